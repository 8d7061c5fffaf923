/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "cm-scene.h"

G_BEGIN_DECLS

/* Appends @scene to @snapshot as native render nodes: colour nodes for
 * rectangles and axis-aligned lines, prepared images (textures) for dots
 * and rounded rectangles and, in a stamped layer, for each dot or pill
 * with its outline and text; rounded clips and border nodes for larger
 * ones, text nodes for text; only hatching goes through cairo.
 * The on-screen backend of every scene (timeline and map); the export
 * draws the same scene with cm_scene_render_cairo(). */
void cm_scene_snapshot        (GtkSnapshot *snapshot,
                               CmScene     *scene);
/* The same for a screen of @scale (gtk_widget_get_scale_factor()): the
 * prepared images of dots, pills and stamps are made at that scale. */
void cm_scene_snapshot_scaled (GtkSnapshot *snapshot,
                               CmScene     *scene,
                               int          scale);

G_END_DECLS
