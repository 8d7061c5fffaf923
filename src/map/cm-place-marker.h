/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* A stand-in for one marker of the place layer in the accessibility tree
 * and the focus chain: GTK 4.8 has accessible objects only for widgets,
 * so the layer keeps a small pool of these invisible, unclickable widgets
 * over the markers on screen. Each carries the marker's name ("Riyadh, 7
 * events") and turns Enter and the arrow keys into its signals. They draw
 * nothing: the layer draws the markers, all in one pass, and the focus
 * ring of the focused one. */

#define CM_TYPE_PLACE_MARKER (cm_place_marker_get_type ())
G_DECLARE_FINAL_TYPE (CmPlaceMarker, cm_place_marker, CM, PLACE_MARKER, GtkWidget)

GtkWidget  *cm_place_marker_new       (void);
/* The seed place of the marker it stands for (G_MAXUINT32: none). */
guint32     cm_place_marker_get_place (CmPlaceMarker *self);
void        cm_place_marker_set_place (CmPlaceMarker *self,
                                       guint32        place);
/* The accessible name; updated only when it changes. */
void        cm_place_marker_set_label (CmPlaceMarker *self,
                                       const char    *label);
const char *cm_place_marker_get_label (CmPlaceMarker *self);

G_END_DECLS
