/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A decoded TopoJSON topology (https://github.com/topojson/topojson-specification):
 * shared arcs, delta-decoded and de-quantised to longitude/latitude, and the
 * polygon geometries of its objects as rings of signed arc references
 * (~i, that is -i-1, means arc i reversed). Only Polygon, MultiPolygon and
 * GeometryCollections of them are kept: that is all a basemap needs. */

#define CM_TOPOJSON_ERROR (cm_topojson_error_quark ())

typedef enum
{
  CM_TOPOJSON_ERROR_PARSE,      /* not JSON */
  CM_TOPOJSON_ERROR_INVALID,    /* JSON, but not a valid topology */
} CmTopojsonError;

typedef struct
{
  double lon;
  double lat;
} CmGeoPoint;

typedef enum
{
  CM_TOPO_POLYGON,
  CM_TOPO_MULTI_POLYGON,
} CmTopoGeometryType;

typedef struct
{
  const char *id;           /* may be NULL */
  const char *name;         /* properties.name, may be NULL */
  guint8      type;         /* CmTopoGeometryType */
  guint32     first_polygon;
  guint32     n_polygons;
} CmTopoGeometry;

typedef struct _CmTopology CmTopology;

GQuark            cm_topojson_error_quark          (void);

CmTopology       *cm_topology_new_from_data        (const char     *data,
                                                    gssize          length,
                                                    GError        **error);
CmTopology       *cm_topology_new_from_file        (const char     *path,
                                                    GError        **error);
void              cm_topology_free                 (CmTopology     *self);

guint             cm_topology_get_n_arcs           (CmTopology     *self);
/* The decoded points of arc @index (>= 0) in file order. */
const CmGeoPoint *cm_topology_get_arc              (CmTopology     *self,
                                                    guint           index,
                                                    guint          *n_points);

/* The geometries of object @name ("countries"); NULL if there is no such
 * object. */
const CmTopoGeometry *cm_topology_get_geometries   (CmTopology     *self,
                                                    const char     *name,
                                                    guint          *n_geometries);
guint             cm_topology_get_polygon_n_rings  (CmTopology     *self,
                                                    guint           polygon);
/* Signed arc references of ring @ring (0 is the exterior) of @polygon. */
const gint32     *cm_topology_get_ring_arcs        (CmTopology     *self,
                                                    guint           polygon,
                                                    guint           ring,
                                                    guint          *n_arcs);
/* Appends the points of a ring to @points (a GArray of CmGeoPoint):
 * arcs are joined, reversed where referenced as ~i, and the point each
 * arc shares with the previous one is not repeated. */
void              cm_topology_append_ring_points   (CmTopology     *self,
                                                    const gint32   *arcs,
                                                    guint           n_arcs,
                                                    GArray         *points);

/* Makes the longitudes of a path continuous: every step across the
 * antimeridian (a jump of more than 180 degrees) is undone by adding or
 * removing 360, so the path may leave [-180, 180]. Returns the number of
 * whole turns the path makes around the pole (last minus first longitude,
 * over 360): 0 for ordinary rings, +-1 for a ring around a pole
 * (Antarctica). */
int               cm_geo_unwrap_longitudes         (CmGeoPoint     *points,
                                                    guint           n_points);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CmTopology, cm_topology_free)

G_END_DECLS
