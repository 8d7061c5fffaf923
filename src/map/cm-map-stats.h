/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "cm-dataset.h"

G_BEGIN_DECLS

/* What the map's colour rule needs of a dataset's places, for the events
 * that count (a filter): per place, the number of counted events (its
 * weight) and, per group among their actors, a tally (events, each once
 * per group, and the time rank of the earliest). A place's colour is the
 * group with the most events there, ties to the earliest; a cluster's is
 * the same rule over its places' tallies summed.
 *
 * Computed in a few passes over the events in their stored order (no
 * random access per event), immutable once made, and safe to make in a
 * worker thread: the map view computes them off the main thread for each
 * new filter, the export on its own worker. */

typedef struct
{
  guint32 group;
  guint32 count;      /* counted events at the place with an actor of the group */
  guint32 first;      /* the time rank of the earliest of them */
} CmMapTally;

/* The colour rule: the group of the tally with the most events, ties to
 * the earliest event, then (one event of two groups) to the group listed
 * first in the file; CM_NONE if there are no tallies. */
guint32           cm_map_tally_winner       (const CmMapTally *tallies,
                                             guint             n_tallies);

typedef struct _CmMapStats CmMapStats;

/* @visible: bit i % 64 of visible[i / 64] for each counted event, or NULL
 * for all; copied. NULL if @cancellable was cancelled. Any thread. */
CmMapStats       *cm_map_stats_new          (CmDataset        *dataset,
                                             const guint64    *visible,
                                             GCancellable     *cancellable);
void              cm_map_stats_free         (CmMapStats       *self);

/* Whether the stats were made for @dataset and @visible (NULL: all). */
gboolean          cm_map_stats_matches      (CmMapStats       *self,
                                             CmDataset        *dataset,
                                             const guint64    *visible);

guint             cm_map_stats_get_weight   (CmMapStats       *self,
                                             guint32           place);
/* The colour rule's group at @place, or CM_NONE. */
guint32           cm_map_stats_get_group    (CmMapStats       *self,
                                             guint32           place);
/* The tallies of @place, one per group with counted events there. */
const CmMapTally *cm_map_stats_get_tallies  (CmMapStats       *self,
                                             guint32           place,
                                             guint            *n_tallies);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CmMapStats, cm_map_stats_free)

G_END_DECLS
