/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "cm-scene.h"

G_BEGIN_DECLS

/* Appends @scene to @snapshot as native render nodes: colour nodes for
 * rectangles and axis-aligned lines, rounded clips for dots, border nodes
 * for outlines, text nodes for text; only hatching goes through cairo.
 * Shared by the widget and the benchmark. */
void _cm_timeline_view_snapshot_scene (GtkSnapshot *snapshot,
                                       CmScene     *scene);

G_END_DECLS
