/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Opens @file with its default application, or the web link @uri, from
 * @widget's window (GtkFileLauncher and GtkUriLauncher on GTK 4.10 and
 * later, gtk_show_uri_full() before). When no application takes it, a
 * toast in the AdwToastOverlay that holds @widget (or is @widget) says
 * so: the click must not just do nothing. */
void cm_launch_file (GtkWidget  *widget,
                     GFile      *file);
void cm_launch_uri  (GtkWidget  *widget,
                     const char *uri);

G_END_DECLS
