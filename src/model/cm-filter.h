/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cm-dataset.h"

G_BEGIN_DECLS

/* Which events are shown: facets (groups, actors, places, tags), a date
 * range and a text search, computed on the dataset's arrays as a bitset
 * over event indexes so it stays instant at 100k events. Facets combine
 * with AND across kinds and OR within a kind; an empty facet does not
 * constrain. Plain C state; CmSession wraps it and tells the views. */

typedef enum
{
  CM_FACET_GROUP,
  CM_FACET_ACTOR,
  CM_FACET_PLACE,
  CM_FACET_TAG,
  CM_N_FACETS
} CmFacet;

typedef struct _CmFilter CmFilter;

CmFilter       *cm_filter_new              (CmDataset  *dataset);
void            cm_filter_free             (CmFilter   *filter);
CmDataset      *cm_filter_get_dataset      (CmFilter   *filter);

/* Setters return TRUE when the filter really changed. */
gboolean        cm_filter_set_value        (CmFilter   *filter,
                                            CmFacet     facet,
                                            guint       index,
                                            gboolean    chosen);
gboolean        cm_filter_get_value        (CmFilter   *filter,
                                            CmFacet     facet,
                                            guint       index);
/* Number of chosen values of @facet. */
guint           cm_filter_get_n_chosen     (CmFilter   *filter,
                                            CmFacet     facet);
/* Events overlapping [from, to); G_MININT64 / G_MAXINT64 for no bound. */
gboolean        cm_filter_set_range        (CmFilter   *filter,
                                            gint64      from,
                                            gint64      to);
void            cm_filter_get_range        (CmFilter   *filter,
                                            gint64     *from,
                                            gint64     *to);
/* Case- and accent-insensitive; every word must match the event's title,
 * summary, quotes, tags, or the name of one of its actors or places.
 * NULL or blank clears the search. */
gboolean        cm_filter_set_search       (CmFilter   *filter,
                                            const char *query);
const char     *cm_filter_get_search       (CmFilter   *filter);
/* Clears facets, range and search. */
gboolean        cm_filter_clear            (CmFilter   *filter);
gboolean        cm_filter_is_active        (CmFilter   *filter);

/* One bit per event index, (n_events + 63) / 64 words; recomputed only
 * after a change. */
const guint64  *cm_filter_get_visible      (CmFilter   *filter,
                                            guint      *n_visible);
gboolean        cm_filter_is_visible       (CmFilter   *filter,
                                            guint       event);
/* For each value of @facet, how many events pass every other part of the
 * filter and have that value: the number the user would see by choosing
 * it. @counts has room for the facet's number of values. */
void            cm_filter_get_counts       (CmFilter   *filter,
                                            CmFacet     facet,
                                            guint      *counts);
guint           cm_filter_get_n_values     (CmFilter   *filter,
                                            CmFacet     facet);
/* The counts of all four facets made in a worker, for a copy of what
 * @filter chooses now (its later changes do not reach it): a pass over
 * every event, tens of milliseconds at a million, that must not hold up
 * the window. _finish() gives the copy, whose cm_filter_get_counts() is
 * then instant, or NULL and G_IO_ERROR_CANCELLED. */
void            cm_filter_count_async      (CmFilter            *filter,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
CmFilter       *cm_filter_count_finish     (GAsyncResult        *result,
                                            GError             **error);

/* Search uses the dataset's shared index (cm-search-index.h), built in
 * the background on the first search or on prepare_search(), which the
 * session calls for the filter it shows: a filter made and freed (for
 * counts, say) costs no build. Until the index is ready a search matches
 * nothing and is pending; when it is, the search is computed and
 * @func called (on the main thread). */
typedef void (*CmFilterChangedFunc) (CmFilter *filter,
                                     gpointer  user_data);

void            cm_filter_prepare_search   (CmFilter            *filter);
void            cm_filter_set_changed_func (CmFilter            *filter,
                                            CmFilterChangedFunc  func,
                                            gpointer             user_data);
gboolean        cm_filter_is_search_pending (CmFilter           *filter);

/* Folds case and strips accents: "Zelenskyy Élysée" -> "zelenskyy elysee". */
char           *cm_normalize_text          (const char *text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CmFilter, cm_filter_free)

G_END_DECLS
