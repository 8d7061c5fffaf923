/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "cm-scene.h"

G_BEGIN_DECLS

/* Appends @scene to @snapshot as native render nodes: colour nodes for
 * rectangles and axis-aligned lines, rounded clips for dots, border nodes
 * for outlines, text nodes for text; only hatching goes through cairo.
 * The on-screen backend of every scene (timeline and map); the export
 * draws the same scene with cm_scene_render_cairo(). */
void cm_scene_snapshot (GtkSnapshot *snapshot,
                        CmScene     *scene);

G_END_DECLS
