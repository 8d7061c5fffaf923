/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <shumate/shumate.h>

#include "cm-dataset.h"

G_BEGIN_DECLS

/* All places of a dataset, drawn by one layer in one snapshot pass: a
 * marker per place sized by its number of events and coloured by its
 * dominant group, clusters with a count where markers would overlap,
 * names where they fit, the highlighted places on top (joined by thin
 * lines for an event in several places). Never a widget per place. */

#define CM_TYPE_PLACE_LAYER (cm_place_layer_get_type ())
G_DECLARE_FINAL_TYPE (CmPlaceLayer, cm_place_layer, CM, PLACE_LAYER, ShumateLayer)

/* What is under a point of the layer. */
typedef struct
{
  guint32 place;       /* the place, or the heaviest place of a cluster */
  guint   n_places;    /* 1 for a place, more for a cluster */
  double  latitude;    /* of the marker */
  double  longitude;
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
/* Places drawn highlighted, on top and never clustered; with @join they
 * are joined by lines in the order given (an event's places). */
void          cm_place_layer_set_highlight      (CmPlaceLayer    *self,
                                                 const guint32   *places,
                                                 guint            n_places,
                                                 gboolean         join);
/* Number of events counted at @place (after the filter). */
guint         cm_place_layer_get_place_weight   (CmPlaceLayer    *self,
                                                 guint            place);

/* The marker under (@x, @y) in layer coordinates: TRUE and @pick filled,
 * or FALSE. */
gboolean      cm_place_layer_pick               (CmPlaceLayer    *self,
                                                 double           x,
                                                 double           y,
                                                 CmPlacePick     *pick);
/* Where @place is drawn now, in layer coordinates (the copy of the world
 * nearest the centre). */
gboolean      cm_place_layer_get_place_position (CmPlaceLayer    *self,
                                                 guint            place,
                                                 double          *x,
                                                 double          *y);

G_END_DECLS
