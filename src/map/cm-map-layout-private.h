/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <pango/pango.h>

#include "cm-map-layout.h"
#include "cm-map-stats.h"
#include "cm-place-cluster.h"

G_BEGIN_DECLS

/* Shared by the two files of the map layout: cm-map-layout.c (statistics,
 * clusters, markers, framing) and cm-map-labels.c (text and names). */

/* Cluster seeds are at least this far apart, in pixels; markers are at
 * most half as wide, so they never overlap. */
#define CLUSTER_DISTANCE 44.0
#define MAX_RADIUS       (CLUSTER_DISTANCE / 2)
#define RING_GAP         4.5     /* between a marker and its selection ring */
#define RING_WIDTH       2.5
#define RING_HALO        5.5
#define OUTLINE_WIDTH    1.75
#define JOIN_WIDTH       2.0
#define LABEL_GAP        4.0     /* between a marker and its name */
#define LABEL_PAD_X      4.0     /* the pill around a name */
#define LABEL_PAD_Y      1.0
#define COUNTRY_ROOM     6.0     /* kept free around place names for country names */
#define BUCKET           64      /* pixels, of the index of taken rectangles */
#define MAX_LABELS       400     /* place name attempts per build */
#define MAX_NAMES        120     /* names drawn at most: more is clutter, and costs frames */
#define PLACE_SCALE      PANGO_SCALE_SMALL
#define COUNTRY_SCALE    0.75

typedef struct
{
  double  x;                     /* world units */
  double  y;
  guint32 weight;                /* counted events */
  guint32 group;                 /* by the colour rule, or CM_NONE */
  gboolean shown;
  gboolean pinned;               /* selected */
} PlaceInfo;

typedef struct
{
  guint32 mark;                  /* index into marks */
  CmRect  rect;                  /* the text's rectangle */
} Label;

typedef struct
{
  guint32 rect;
  guint32 next;        /* next entry of the same bucket, or G_MAXUINT32 */
} BucketEntry;

struct _CmMapLayout
{
  CmDataset     *dataset;
  PlaceInfo     *places;
  guint          n_places;
  guint64       *filter;         /* NULL: every event counts */
  CmMapStats    *stats;          /* of the places, for filter (or an earlier one, async) */
  gboolean       async_stats;    /* stats come from cm_map_layout_set_stats() */
  GArray        *highlight;      /* guint32 places, in order */
  gboolean       join;
  CmPlaceIndex  *index;          /* NULL until needed after a change */
  gboolean       exact_zoom;     /* cluster at the zoom itself, not the whole zoom below */
  double         index_scale;    /* tile size / 256 the index was built for */
  guint32       *cluster_colors[CM_PLACE_MAX_ZOOM + 1];

  double         latitude;
  double         longitude;
  double         zoom;
  double         width;
  double         height;
  double         margin;         /* laid out beyond each edge, pixels */
  CmMapTheme     theme;
  CmBasemap     *basemap;

  PangoContext  *pango;
  PangoFontDescription *font;
  PangoLayout  **place_labels;   /* per place (a cluster's label is built per build) */
  PangoLayout  **country_labels; /* per basemap country */
  guint          n_countries;
  GHashTable    *count_layouts;  /* count -> PangoLayout */
  GHashTable    *cluster_labels; /* (seed, n_places) -> PangoLayout, until regrouped */

  /* Outputs. */
  guint          cluster_zoom;
  GArray        *marks;          /* CmMapMark */
  GArray        *hit_marks;      /* CmPlaceMark, parallel to marks */
  GArray        *mark_clusters;  /* guint32 cluster index per mark */
  GArray        *labels;         /* Label */
  guint32       *place_mark;     /* per place: its mark + 1, 0 when not drawn */
  GArray        *taken;          /* CmRect: markers and names so far */
  GArray        *buckets;        /* guint32 per bucket: its first entry */
  GArray        *bucket_entries; /* BucketEntry */
  int            bucket_columns;
  int            bucket_rows;
};

typedef struct
{
  double world;      /* pixels per world unit */
  double origin_x;   /* world pixel at the left edge */
  double origin_y;
} Projection;

void         _cm_map_layout_project            (CmMapLayout      *self,
                                                const Projection *proj,
                                                double            x,
                                                double            y,
                                                double           *sx,
                                                double           *sy);
void         _cm_map_text_size                 (PangoLayout      *layout,
                                                double           *width,
                                                double           *height);
PangoLayout *_cm_map_layout_get_count_text     (CmMapLayout      *self,
                                                guint             count);
void         _cm_map_layout_reset_taken        (CmMapLayout      *self);
/* Claims the rectangles of the markers, then names them where they fit. */
void         _cm_map_layout_add_place_labels   (CmMapLayout      *self,
                                                CmScene          *scene);
/* Country names where the place names and markers left room. */
void         _cm_map_layout_add_country_labels (CmMapLayout      *self,
                                                const Projection *proj,
                                                CmScene          *scene);

G_END_DECLS
