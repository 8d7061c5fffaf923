/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Clustering and hit-testing of map places: plain C, no GTK, tested
 * headless.
 *
 * Places are clustered per integer zoom, greedily: pinned places first,
 * then the heaviest place not yet taken, seed a cluster at its own position and takes every free place
 * within the cluster distance (in pixels at that zoom). Seeds are
 * therefore more than the distance apart, and a marker is never wider
 * than half of it, so cluster markers never overlap. Zooming in spreads
 * places apart and the clusters split. Each zoom is computed on first use
 * and kept. */

typedef struct
{
  double  x;            /* world units (cm-mercator.h) */
  double  y;
  guint32 weight;       /* number of events */
  guint32 id;           /* the caller's place index */
  gboolean pinned;      /* seeds its own cluster, first, and is never taken
                         * into another (a selected place) */
} CmPlacePoint;

typedef struct
{
  double  x;            /* the seed's position, world units */
  double  y;
  guint32 seed;         /* id of the heaviest place */
  guint32 n_places;
  guint32 weight;       /* sum of the weights */
  guint32 first_member; /* into cm_place_index_get_members() */
} CmPlaceCluster;

#define CM_PLACE_MAX_ZOOM 24

typedef struct _CmPlaceIndex CmPlaceIndex;

/* @distance: the least distance between cluster seeds, in pixels of
 * @tile_size-pixel tiles. */
CmPlaceIndex         *cm_place_index_new           (const CmPlacePoint *points,
                                                    guint               n_points,
                                                    double              distance,
                                                    double              tile_size);
void                  cm_place_index_free          (CmPlaceIndex       *self);
guint                 cm_place_index_get_n_points  (CmPlaceIndex       *self);
double                cm_place_index_get_distance  (CmPlaceIndex       *self);

/* Clusters at integer @zoom (clamped to CM_PLACE_MAX_ZOOM), heaviest
 * first. */
const CmPlaceCluster *cm_place_index_get_clusters  (CmPlaceIndex       *self,
                                                    guint               zoom,
                                                    guint              *n_clusters);
/* Place ids of the members of @cluster (seed first). */
const guint32        *cm_place_index_get_members   (CmPlaceIndex       *self,
                                                    guint               zoom,
                                                    const CmPlaceCluster *cluster);
/* The cluster at @zoom holding the place with @id, or G_MAXUINT32. */
guint32               cm_place_index_find_cluster  (CmPlaceIndex       *self,
                                                    guint               zoom,
                                                    guint32             id);

/* The radius in pixels of a marker of @n_places places with @weight
 * events in all: it grows with the square root of the weight, clusters
 * leave room for their count, and no marker exceeds @max_radius. */
double                cm_place_marker_radius       (guint32             weight,
                                                    guint32             n_places,
                                                    double              max_radius);

/* A marker as drawn, in widget pixels. */
typedef struct
{
  float   x;
  float   y;
  float   radius;
  guint32 cluster;      /* the caller's value, e.g. a cluster index */
} CmPlaceMark;

/* The mark under (@x, @y), or -1: marks later in the array are drawn on
 * top and win; @slop pixels are added to each radius for fingers and
 * small markers. */
int                   cm_place_marks_hit           (const CmPlaceMark  *marks,
                                                    guint               n_marks,
                                                    double              x,
                                                    double              y,
                                                    double              slop);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CmPlaceIndex, cm_place_index_free)

G_END_DECLS
