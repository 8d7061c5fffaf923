/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cm-dataset.h"

G_BEGIN_DECLS

/* The word index that makes search instant, one per dataset and shared by
 * every filter of it. Built in a worker thread (a GTask with a
 * GCancellable) only when something asks for it, and cancelled when
 * nothing waits for it any more: the main thread never waits for it.
 *
 * Every event's own text (title, summary, quotes, tags) is normalised
 * and cut at white space into words; each distinct word is kept once,
 * one a line, with the events that contain it (a bitset for a common
 * word, coded gaps for the rest: a few bytes an event in all). A query
 * word never holds white space, so it is inside one text word exactly
 * when it is inside the event's text: scanning the distinct words gives
 * the same answer as scanning all the text, at a fraction of its size. Names of actors and
 * places are apart, since many events share them. */
typedef struct _CmSearchIndex CmSearchIndex;

typedef void (*CmSearchIndexReadyFunc) (CmSearchIndex *index,
                                        gpointer       user_data);

/* The index if it is built, else NULL. */
CmSearchIndex *cm_search_index_peek           (CmDataset      *dataset);
/* Calls @func on the main thread when the index is ready, starting its
 * build if none runs. Returns a request id for cancel_request(); 0 (and
 * no call) if the index is ready already: peek() it. */
guint          cm_search_index_request        (CmDataset              *dataset,
                                               CmSearchIndexReadyFunc  func,
                                               gpointer                user_data);
/* Forgets a request; the build stops once no request is left. */
void           cm_search_index_cancel_request (CmDataset      *dataset,
                                               guint           request);
/* Builds an index (NULL if cancelled); for the worker and the
 * benchmarks. Large datasets are split across the machine's cores, in
 * threads that the calling thread waits for: never call it on the main
 * thread of the app. Some queries read @dataset's text again: free the
 * index (cm_search_index_free()) before the dataset. */
CmSearchIndex *cm_search_index_build          (CmDataset      *dataset,
                                               GCancellable   *cancellable);
/* The same over one text an event, read by @func (NULL: none), which
 * may be called from several threads at once; in @n_parts parts (0: as
 * the machine allows). For the tests; no actor or place names. */
typedef const char *(*CmSearchIndexTextFunc) (guint    event,
                                              gpointer user_data);
CmSearchIndex *cm_search_index_build_texts    (guint                  n_events,
                                               CmSearchIndexTextFunc  func,
                                               gpointer               user_data,
                                               guint                  n_parts,
                                               GCancellable          *cancellable);
void           cm_search_index_free           (CmSearchIndex  *index);
/* Bytes it holds, for the benchmarks. */
gsize          cm_search_index_get_size       (CmSearchIndex  *index);

/* Sets in @bits (room for every event) the bit of each event whose
 * own text or one of whose actors' or places' names holds @word
 * (normalised); returns how many bits @bits then holds. */
guint          cm_search_index_match          (CmSearchIndex  *index,
                                               const char     *word,
                                               guint64        *bits);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CmSearchIndex, cm_search_index_free)

G_END_DECLS
