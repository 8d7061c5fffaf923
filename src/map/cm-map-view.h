/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>
#include <shumate/shumate.h>

#include "cm-place-layer.h"
#include "cm-session.h"

G_BEGIN_DECLS

/* The map of a session: the offline basemap (or OpenStreetMap over it,
 * from the "basemap" setting), the places of the dataset, zoom buttons,
 * scale and attribution. Frames all places when a dataset arrives;
 * highlights the selection's places and pans to them; clicking a place
 * selects it, clicking a cluster zooms into it. Keys: + and - zoom, the
 * arrows pan. */

#define CM_TYPE_MAP_VIEW (cm_map_view_get_type ())
G_DECLARE_FINAL_TYPE (CmMapView, cm_map_view, CM, MAP_VIEW, GtkWidget)

CmMapView       *cm_map_view_new              (void);

CmSession       *cm_map_view_get_session      (CmMapView   *self);
void             cm_map_view_set_session      (CmMapView   *self,
                                               CmSession   *session);

/* "offline" (the default, no network) or "osm" (OpenStreetMap tiles over
 * the offline map). Bound to the GSettings key "basemap" when the schema
 * is installed. */
const char      *cm_map_view_get_basemap      (CmMapView   *self);
void             cm_map_view_set_basemap      (CmMapView   *self,
                                               const char  *basemap);

/* Shows every place of the dataset (or, with no dataset, the world). */
void             cm_map_view_zoom_to_fit      (CmMapView   *self);
/* The camera, to remember and restore a view: centre and zoom level.
 * Setting it replaces a framing still waiting for the first allocation. */
void             cm_map_view_get_view         (CmMapView   *self,
                                               double      *latitude,
                                               double      *longitude,
                                               double      *zoom);
void             cm_map_view_set_view         (CmMapView   *self,
                                               double       latitude,
                                               double       longitude,
                                               double       zoom);

ShumateMap      *cm_map_view_get_map          (CmMapView   *self);
CmPlaceLayer    *cm_map_view_get_place_layer  (CmMapView   *self);

G_END_DECLS
