/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "cm-application.h"
#include "cm-window.h"

G_BEGIN_DECLS

/* The application of a gui test program, on a private session bus (not
 * the user's, and with no portal on it), registered and held. GTK and
 * libadwaita start with it, on that bus: started before it, libadwaita
 * talked to the outer bus, and on Debian sid's GNOME `meson test` then
 * waited out its timeout after the last test passed. The bus is never
 * taken down: libadwaita keeps its connection for the process's life. */
CmApplication *cm_test_app_start           (void);
void           cm_test_app_stop            (CmApplication *app);

/* Runs what is pending on the main context, without waiting. */
void           cm_test_flush_main_context  (void);
/* Lets the views lay out and draw what changed for @ms milliseconds. */
void           cm_test_run_main_loop_for   (guint          ms);
/* A child of the window's template, which must exist. */
GtkWidget     *cm_test_window_child        (CmWindow      *window,
                                            const char    *name);

/* The first widget in @widget's tree (itself included, depth first) that
 * @match accepts, or NULL. */
GtkWidget     *cm_test_find_descendant     (GtkWidget     *widget,
                                            gboolean     (*match) (GtkWidget *, gconstpointer),
                                            gconstpointer  data);

G_END_DECLS
