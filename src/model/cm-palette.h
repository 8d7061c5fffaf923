/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "cm-dataset.h"

G_BEGIN_DECLS

/* Colours of groups, shared by every view and the export so a group has
 * the same colour on the timeline, on the map and in a legend. Colours are
 * 0xRRGGBB. A group without a colour of its own takes the default palette
 * entry of its index (the GNOME palette, readable on light and dark). */

#define CM_PALETTE_SIZE 10

/* Entry @index % CM_PALETTE_SIZE of the default palette. */
guint32  cm_palette_get_default_color  (guint       index);
/* For things that belong to no group. */
guint32  cm_palette_get_no_group_color (void);
/* The colour of @group of @dataset: its own if it has one, else the
 * default palette's; the no-group colour for CM_NONE. */
guint32  cm_palette_get_group_color    (CmDataset  *dataset,
                                        guint32     group);
/* Splits 0xRRGGBB into components in [0, 1]. */
void     cm_palette_to_rgb             (guint32     color,
                                        double     *red,
                                        double     *green,
                                        double     *blue);

G_END_DECLS
