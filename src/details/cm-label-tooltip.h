/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Shows @label's whole text in its tooltip when the label is cut short
 * with an ellipsis. The text is asked for when the tooltip shows: setting
 * a tooltip text asks the display server where the pointer is (about a
 * millisecond each), too much for a list's every row. */
void cm_label_tooltip_when_cut (GtkLabel *label);

G_END_DECLS
