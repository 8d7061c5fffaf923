/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <shumate/shumate.h>

#include "cm-basemap.h"

G_BEGIN_DECLS

#define CM_TYPE_BASEMAP_STYLE (cm_basemap_style_get_type ())
GType cm_basemap_style_get_type (void);

/* The offline map source: draws CmBasemap tiles with cairo in worker
 * threads and keeps the recent ones. Works with no network. Each style
 * has its own id, so tile caches never mix light and dark tiles. */

#define CM_TYPE_BASEMAP_SOURCE (cm_basemap_source_get_type ())
G_DECLARE_FINAL_TYPE (CmBasemapSource, cm_basemap_source, CM, BASEMAP_SOURCE, ShumateMapSource)

CmBasemapSource *cm_basemap_source_new              (CmBasemapStyle   style);
CmBasemapStyle   cm_basemap_source_get_style        (CmBasemapSource *self);
/* Tiles are drawn at this many device pixels per logical pixel, so they
 * stay sharp on high-density screens. Changing it drops the cache. */
void             cm_basemap_source_set_scale_factor (CmBasemapSource *self,
                                                     int              scale_factor);
int              cm_basemap_source_get_scale_factor (CmBasemapSource *self);
/* For the cairo renderer: tiles as cairo surfaces rather than textures,
 * which it would convert at every frame. Changing it drops the cache. */
void             cm_basemap_source_set_cairo_tiles  (CmBasemapSource *self,
                                                     gboolean         cairo_tiles);
gboolean         cm_basemap_source_get_cairo_tiles  (CmBasemapSource *self);

G_END_DECLS
