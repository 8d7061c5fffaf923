/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* A small dot in a group's colour, drawn, not styled: the colour comes
 * from the data. */

#define CM_TYPE_COLOR_SWATCH (cm_color_swatch_get_type ())
G_DECLARE_FINAL_TYPE (CmColorSwatch, cm_color_swatch, CM, COLOR_SWATCH, GtkWidget)

GtkWidget *cm_color_swatch_new       (guint32        color);
/* 0xRRGGBB */
guint32    cm_color_swatch_get_color (CmColorSwatch *self);
void       cm_color_swatch_set_color (CmColorSwatch *self,
                                      guint32        color);

/* What the colour stands for (a group's name), for screen readers. */
void       cm_color_swatch_set_label (CmColorSwatch *self,
                                      const char    *label);

G_END_DECLS
