/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <shumate/shumate.h>

#include "cm-dataset.h"
#include "cm-map-layout.h"

G_BEGIN_DECLS

/* All places of a dataset, drawn by one layer in one snapshot pass: the
 * scene of a CmMapLayout (markers, clusters, names, selection) for the
 * viewport, drawn with cm_scene_snapshot(). Never a widget per place. */

#define CM_TYPE_PLACE_LAYER (cm_place_layer_get_type ())
G_DECLARE_FINAL_TYPE (CmPlaceLayer, cm_place_layer, CM, PLACE_LAYER, ShumateLayer)

/* What is under a point of the layer. */
typedef struct
{
  guint32 place;       /* the place, or the seed of a cluster */
  guint   n_places;    /* 1 for a place, more for a cluster */
  guint   weight;      /* events at its places */
  double  latitude;    /* of the marker */
  double  longitude;
  double  x;           /* where it is drawn, layer coordinates */
  double  y;
  double  radius;
} CmPlacePick;

CmPlaceLayer *cm_place_layer_new                (ShumateViewport *viewport);

void          cm_place_layer_set_dataset        (CmPlaceLayer    *self,
                                                 CmDataset       *dataset);
CmDataset    *cm_place_layer_get_dataset        (CmPlaceLayer    *self);
/* Events to count: bit i % 64 of visible[i / 64] for event i (the bitset
 * of cm_filter_get_visible()), or NULL for all. Copied. Places with no
 * visible event are hidden while a filter is set. */
void          cm_place_layer_set_filter         (CmPlaceLayer    *self,
                                                 const guint64   *visible);
/* Whether the colours and counts shown are those of the dataset and
 * filter set: a worker computes them after each change ("stats-changed"
 * says when they came), and until then the map shows the previous ones
 * (a new dataset's places appear when theirs come). */
gboolean      cm_place_layer_is_current         (CmPlaceLayer    *self);
/* Places drawn highlighted, on top and never clustered; with @join they
 * are joined by lines in the order given (an event's places). */
void          cm_place_layer_set_highlight      (CmPlaceLayer    *self,
                                                 const guint32   *places,
                                                 guint            n_places,
                                                 gboolean         join);
/* Country names from the offline basemap, placed around the places (off
 * when another basemap brings its own), once it is loaded: the offline
 * map source loads it for its first tile, and the view then calls
 * cm_place_layer_basemap_loaded(). */
void          cm_place_layer_set_country_names  (CmPlaceLayer    *self,
                                                 gboolean         country_names);
void          cm_place_layer_basemap_loaded     (CmPlaceLayer    *self);
/* Number of events counted at @place (after the filter, once current). */
guint         cm_place_layer_get_place_weight   (CmPlaceLayer    *self,
                                                 guint            place);

/* The marker under (@x, @y) in layer coordinates: TRUE and @pick filled,
 * or FALSE. */
gboolean      cm_place_layer_pick               (CmPlaceLayer    *self,
                                                 double           x,
                                                 double           y,
                                                 CmPlacePick     *pick);
/* The markers drawn now (places and clusters), in drawing order, and
 * what a screen reader says of each. */
guint         cm_place_layer_get_n_marks        (CmPlaceLayer    *self);
gboolean      cm_place_layer_get_mark           (CmPlaceLayer    *self,
                                                 guint            index,
                                                 CmPlacePick     *pick);
char         *cm_place_layer_describe_mark      (CmPlaceLayer    *self,
                                                 guint            index);
/* What the pointer at (@x, @y) shows in a tooltip ("Riyadh — 7 events"
 * and the colour rule), or NULL off the markers. */
char         *cm_place_layer_get_tooltip        (CmPlaceLayer    *self,
                                                 double           x,
                                                 double           y);
/* The layout and scene of the current frame (tests). */
CmMapLayout  *cm_place_layer_get_layout         (CmPlaceLayer    *self);
CmScene      *cm_place_layer_get_scene          (CmPlaceLayer    *self);
/* Where @place is drawn now, in layer coordinates (the copy of the world
 * nearest the centre). */
gboolean      cm_place_layer_get_place_position (CmPlaceLayer    *self,
                                                 guint            place,
                                                 double          *x,
                                                 double          *y);

G_END_DECLS
