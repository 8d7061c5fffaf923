/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-filter"

#include "config.h"

#include <string.h>

#include "cm-filter.h"
#include "cm-background.h"
#include "cm-search-index.h"

struct _CmFilter
{
  CmDataset  *dataset;
  guint       n_events;
  guint       n_words;          /* bitset words */

  guint8     *chosen[CM_N_FACETS];
  guint       n_values[CM_N_FACETS];
  guint       n_chosen[CM_N_FACETS];
  gint64      from;
  gint64      to;

  char       *search;
  guint64    *search_bits;      /* NULL: no search */

  /* The dataset's shared search index is asked for only by a search (or
   * cm_filter_prepare_search()), never by a filter just made and freed,
   * and never waited for: until it is ready the search matches nothing
   * and is "pending"; then it is computed and @changed_func told. */
  guint       index_request;
  gboolean    search_pending;
  CmFilterChangedFunc changed_func;
  gpointer    changed_data;

  /* Facet counts, all four computed in one pass after a change. */
  guint      *counts[CM_N_FACETS];
  gboolean    counts_dirty;

  guint64    *visible;
  guint       n_visible;
  gboolean    dirty;
};

static inline void
bit_set (guint64 *bits,
         guint    i)
{
  bits[i / 64] |= G_GUINT64_CONSTANT (1) << (i % 64);
}

static inline gboolean
bit_get (const guint64 *bits,
         guint          i)
{
  return (bits[i / 64] >> (i % 64)) & 1;
}

static void compute_search (CmFilter *filter);

static void
or_events (guint64       *bits,
           const guint32 *events,
           guint          n)
{
  for (guint i = 0; i < n; i++)
    bit_set (bits, events[i]);
}

CmFilter *
cm_filter_new (CmDataset *dataset)
{
  CmFilter *filter;

  g_return_val_if_fail (CM_IS_DATASET (dataset), NULL);

  filter = g_new0 (CmFilter, 1);
  filter->dataset = g_object_ref (dataset);
  filter->n_events = cm_dataset_get_n_events (dataset);
  filter->n_words = (filter->n_events + 63) / 64;
  filter->n_values[CM_FACET_GROUP] = cm_dataset_get_n_groups (dataset);
  filter->n_values[CM_FACET_ACTOR] = cm_dataset_get_n_actors (dataset);
  filter->n_values[CM_FACET_PLACE] = cm_dataset_get_n_places (dataset);
  filter->n_values[CM_FACET_TAG] = cm_dataset_get_n_tags (dataset);
  for (guint f = 0; f < CM_N_FACETS; f++)
    filter->chosen[f] = g_new0 (guint8, MAX (filter->n_values[f], 1));
  filter->from = G_MININT64;
  filter->to = G_MAXINT64;
  filter->visible = g_new0 (guint64, MAX (filter->n_words, 1));
  filter->dirty = TRUE;
  filter->counts_dirty = TRUE;

  return filter;
}

void
cm_filter_free (CmFilter *filter)
{
  if (filter == NULL)
    return;

  cm_search_index_cancel_request (filter->dataset, filter->index_request);

  for (guint f = 0; f < CM_N_FACETS; f++)
    {
      g_free (filter->chosen[f]);
      g_free (filter->counts[f]);
    }
  g_free (filter->search);
  g_free (filter->search_bits);
  g_free (filter->visible);
  g_object_unref (filter->dataset);
  g_free (filter);
}

CmDataset *
cm_filter_get_dataset (CmFilter *filter)
{
  g_return_val_if_fail (filter != NULL, NULL);

  return filter->dataset;
}

guint
cm_filter_get_n_values (CmFilter *filter,
                        CmFacet   facet)
{
  g_return_val_if_fail (filter != NULL, 0);
  g_return_val_if_fail (facet < CM_N_FACETS, 0);

  return filter->n_values[facet];
}

gboolean
cm_filter_set_value (CmFilter *filter,
                     CmFacet   facet,
                     guint     index,
                     gboolean  chosen)
{
  g_return_val_if_fail (filter != NULL, FALSE);
  g_return_val_if_fail (facet < CM_N_FACETS, FALSE);
  g_return_val_if_fail (index < filter->n_values[facet], FALSE);

  chosen = !!chosen;
  if (filter->chosen[facet][index] == chosen)
    return FALSE;

  filter->chosen[facet][index] = chosen;
  filter->n_chosen[facet] += chosen ? 1 : -1;
  filter->dirty = TRUE;
  filter->counts_dirty = TRUE;

  return TRUE;
}

gboolean
cm_filter_get_value (CmFilter *filter,
                     CmFacet   facet,
                     guint     index)
{
  g_return_val_if_fail (filter != NULL, FALSE);
  g_return_val_if_fail (facet < CM_N_FACETS, FALSE);
  g_return_val_if_fail (index < filter->n_values[facet], FALSE);

  return filter->chosen[facet][index];
}

guint
cm_filter_get_n_chosen (CmFilter *filter,
                        CmFacet   facet)
{
  g_return_val_if_fail (filter != NULL, 0);
  g_return_val_if_fail (facet < CM_N_FACETS, 0);

  return filter->n_chosen[facet];
}

gboolean
cm_filter_set_range (CmFilter *filter,
                     gint64    from,
                     gint64    to)
{
  g_return_val_if_fail (filter != NULL, FALSE);

  if (filter->from == from && filter->to == to)
    return FALSE;

  filter->from = from;
  filter->to = to;
  filter->dirty = TRUE;
  filter->counts_dirty = TRUE;

  return TRUE;
}

void
cm_filter_get_range (CmFilter *filter,
                     gint64   *from,
                     gint64   *to)
{
  g_return_if_fail (filter != NULL);

  if (from)
    *from = filter->from;
  if (to)
    *to = filter->to;
}

char *
cm_normalize_text (const char *text)
{
  g_autofree char *decomposed = NULL;
  g_autofree char *folded = NULL;
  GString *out;
  gboolean ascii = TRUE;

  if (text == NULL)
    return g_strdup ("");

  for (const char *p = text; *p && ascii; p++)
    ascii = (guchar) *p < 0x80;

  /* Most text is ASCII: lower-casing it is what case folding would do. */
  if (ascii)
    return g_ascii_strdown (text, -1);

  decomposed = g_utf8_normalize (text, -1, G_NORMALIZE_NFKD);
  if (decomposed == NULL)
    return g_strdup ("");

  out = g_string_sized_new (strlen (decomposed));
  for (const char *p = decomposed; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!g_unichar_ismark (c))
        g_string_append_unichar (out, c);
    }
  folded = g_string_free (out, FALSE);

  return g_utf8_casefold (folded, -1);
}

static void
index_ready_cb (CmSearchIndex *index,
                gpointer       user_data)
{
  CmFilter *filter = user_data;

  filter->index_request = 0;
  if (!filter->search_pending)
    return;

  compute_search (filter);
  filter->dirty = TRUE;
  filter->counts_dirty = TRUE;
  if (filter->changed_func != NULL)
    filter->changed_func (filter, filter->changed_data);
}

/* Asks for the index once; TRUE if it is ready. */
static gboolean
want_search_index (CmFilter *filter)
{
  if (cm_search_index_peek (filter->dataset) != NULL)
    return TRUE;
  if (filter->index_request == 0)
    filter->index_request = cm_search_index_request (filter->dataset, index_ready_cb, filter);
  return filter->index_request == 0;
}

void
cm_filter_prepare_search (CmFilter *filter)
{
  g_return_if_fail (filter != NULL);

  want_search_index (filter);
}

void
cm_filter_set_changed_func (CmFilter            *filter,
                            CmFilterChangedFunc  func,
                            gpointer             user_data)
{
  g_return_if_fail (filter != NULL);

  filter->changed_func = func;
  filter->changed_data = user_data;
}

gboolean
cm_filter_is_search_pending (CmFilter *filter)
{
  g_return_val_if_fail (filter != NULL, FALSE);

  return filter->search_pending;
}

static void
compute_search (CmFilter *filter)
{
  g_autofree char *normalized = NULL;
  g_auto(GStrv) words = NULL;
  g_autofree guint64 *word_bits = NULL;
  CmSearchIndex *index;

  g_free (filter->search_bits);
  filter->search_bits = g_new0 (guint64, MAX (filter->n_words, 1));
  filter->search_pending = !want_search_index (filter);
  if (filter->search_pending)
    return;

  index = cm_search_index_peek (filter->dataset);
  normalized = cm_normalize_text (filter->search);
  words = g_strsplit_set (normalized, " \t\n\r", -1);
  word_bits = g_new (guint64, MAX (filter->n_words, 1));
  memset (filter->search_bits, 0xff, filter->n_words * sizeof (guint64));

  for (guint w = 0; words[w]; w++)
    {
      guint64 left = 0;

      if (words[w][0] == '\0')
        continue;

      memset (word_bits, 0, filter->n_words * sizeof (guint64));
      cm_search_index_match (index, words[w], word_bits);
      for (guint k = 0; k < filter->n_words; k++)
        left |= filter->search_bits[k] &= word_bits[k];
      /* Nothing left: the other words cannot bring anything back. */
      if (left == 0)
        break;
    }
}

gboolean
cm_filter_set_search (CmFilter   *filter,
                      const char *query)
{
  g_autofree char *stripped = NULL;

  g_return_val_if_fail (filter != NULL, FALSE);

  stripped = g_strstrip (g_strdup (query ? query : ""));
  if (stripped[0] == '\0')
    g_clear_pointer (&stripped, g_free);

  if (g_strcmp0 (stripped, filter->search) == 0)
    return FALSE;

  g_free (filter->search);
  filter->search = g_steal_pointer (&stripped);
  g_clear_pointer (&filter->search_bits, g_free);
  filter->search_pending = FALSE;
  if (filter->search)
    compute_search (filter);
  filter->dirty = TRUE;
  filter->counts_dirty = TRUE;

  return TRUE;
}

const char *
cm_filter_get_search (CmFilter *filter)
{
  g_return_val_if_fail (filter != NULL, NULL);

  return filter->search;
}

gboolean
cm_filter_clear (CmFilter *filter)
{
  gboolean changed;

  g_return_val_if_fail (filter != NULL, FALSE);

  changed = cm_filter_set_search (filter, NULL);
  changed |= cm_filter_set_range (filter, G_MININT64, G_MAXINT64);
  for (guint f = 0; f < CM_N_FACETS; f++)
    if (filter->n_chosen[f] > 0)
      {
        memset (filter->chosen[f], 0, filter->n_values[f]);
        filter->n_chosen[f] = 0;
        changed = TRUE;
      }
  filter->dirty |= changed;
  filter->counts_dirty |= changed;

  return changed;
}

gboolean
cm_filter_is_active (CmFilter *filter)
{
  g_return_val_if_fail (filter != NULL, FALSE);

  for (guint f = 0; f < CM_N_FACETS; f++)
    if (filter->n_chosen[f] > 0)
      return TRUE;

  return filter->search != NULL || filter->from != G_MININT64 || filter->to != G_MAXINT64;
}

static gboolean
any_chosen (const guint8  *chosen,
            const guint32 *refs,
            guint          n)
{
  for (guint i = 0; i < n; i++)
    if (chosen[refs[i]])
      return TRUE;

  return FALSE;
}

static gboolean
passes_facet (CmFilter      *filter,
              const CmEvent *event,
              CmFacet        facet)
{
  CmDataset *dataset = filter->dataset;
  const guint32 *refs;
  guint n;

  switch (facet)
    {
    case CM_FACET_GROUP:
      refs = cm_dataset_get_event_actors (dataset, event, &n);
      for (guint i = 0; i < n; i++)
        {
          guint32 group = cm_dataset_get_actor (dataset, refs[i])->group;

          if (group != CM_NONE && filter->chosen[CM_FACET_GROUP][group])
            return TRUE;
        }
      return FALSE;

    case CM_FACET_ACTOR:
      refs = cm_dataset_get_event_actors (dataset, event, &n);
      return any_chosen (filter->chosen[facet], refs, n);

    case CM_FACET_PLACE:
      refs = cm_dataset_get_event_places (dataset, event, &n);
      return any_chosen (filter->chosen[facet], refs, n);

    case CM_FACET_TAG:
      refs = cm_dataset_get_event_tags (dataset, event, &n);
      return any_chosen (filter->chosen[facet], refs, n);

    case CM_N_FACETS:
    default:
      g_assert_not_reached ();
    }
}

/* How many facets @index fails, counting to two (enough for the counts),
 * with the last one failed in @failed; G_MAXUINT when the search or the
 * date range rejects it whatever the facets. */
static guint
count_failures (CmFilter *filter,
                guint     index,
                CmFacet  *failed)
{
  const CmEvent *event = cm_dataset_get_event (filter->dataset, index);
  guint n_failed = 0;

  if (filter->search_bits && !bit_get (filter->search_bits, index))
    return G_MAXUINT;

  if ((filter->from != G_MININT64 || filter->to != G_MAXINT64) &&
      (event->undated || event->start.seconds >= filter->to ||
       cm_time_get_end (&event->end) <= filter->from))
    return G_MAXUINT;

  for (guint f = 0; f < CM_N_FACETS && n_failed < 2; f++)
    if (filter->n_chosen[f] > 0 && !passes_facet (filter, event, f))
      {
        *failed = f;
        n_failed++;
      }

  return n_failed;
}

/* The events that pass @facet (one with choices), from the dataset's
 * indexes of events by actor and by place: the work follows the events
 * of the chosen values, not all events. */
static void
facet_bits (CmFilter *filter,
            CmFacet   facet,
            guint64  *bits)
{
  CmDataset *dataset = filter->dataset;
  const guint32 *events;
  guint n;

  memset (bits, 0, filter->n_words * sizeof (guint64));
  for (guint v = 0; v < (facet == CM_FACET_GROUP ? cm_dataset_get_n_actors (dataset)
                                                 : filter->n_values[facet]); v++)
    {
      if (facet == CM_FACET_GROUP)
        {
          /* An event is in a group when any of its actors is. */
          guint32 group = cm_dataset_get_actor (dataset, v)->group;

          if (group == CM_NONE || !filter->chosen[CM_FACET_GROUP][group])
            continue;
          events = cm_dataset_get_actor_events (dataset, v, &n);
        }
      else if (!filter->chosen[facet][v])
        continue;
      else if (facet == CM_FACET_ACTOR)
        events = cm_dataset_get_actor_events (dataset, v, &n);
      else
        events = cm_dataset_get_place_events (dataset, v, &n);
      or_events (bits, events, n);
    }
}

static void
update_visible (CmFilter *filter)
{
  guint64 *visible = filter->visible;
  gboolean by_event;

  if (!filter->dirty)
    return;

  filter->n_visible = 0;
  memset (visible, 0xff, filter->n_words * sizeof (guint64));
  if (filter->n_events % 64 != 0)
    visible[filter->n_words - 1] = (G_GUINT64_CONSTANT (1) << (filter->n_events % 64)) - 1;
  if (filter->n_events == 0)
    memset (visible, 0, sizeof (guint64));

  if (cm_filter_is_active (filter))
    {
      g_autofree guint64 *bits = g_new (guint64, MAX (filter->n_words, 1));

      /* Word by word: the search, then each facet the dataset indexes. */
      if (filter->search_bits != NULL)
        for (guint k = 0; k < filter->n_words; k++)
          visible[k] &= filter->search_bits[k];
      for (CmFacet f = CM_FACET_GROUP; f <= CM_FACET_PLACE; f++)
        if (filter->n_chosen[f] > 0)
          {
            facet_bits (filter, f, bits);
            for (guint k = 0; k < filter->n_words; k++)
              visible[k] &= bits[k];
          }

      /* Tags and dates, event by event, only for what is still in. */
      by_event = filter->n_chosen[CM_FACET_TAG] > 0 ||
                 filter->from != G_MININT64 || filter->to != G_MAXINT64;
      for (guint k = 0; by_event && k < filter->n_words; k++)
        for (guint64 word = visible[k]; word != 0; word &= word - 1)
          {
            guint i = k * 64 + __builtin_ctzll (word);
            CmFacet failed;

            if (count_failures (filter, i, &failed) != 0)
              visible[k] &= ~(G_GUINT64_CONSTANT (1) << (i % 64));
          }
    }

  for (guint k = 0; k < filter->n_words; k++)
    filter->n_visible += __builtin_popcountll (visible[k]);

  filter->dirty = FALSE;
}

const guint64 *
cm_filter_get_visible (CmFilter *filter,
                       guint    *n_visible)
{
  g_return_val_if_fail (filter != NULL, NULL);

  update_visible (filter);
  if (n_visible)
    *n_visible = filter->n_visible;

  return filter->visible;
}

gboolean
cm_filter_is_visible (CmFilter *filter,
                      guint     event)
{
  g_return_val_if_fail (filter != NULL, FALSE);
  g_return_val_if_fail (event < filter->n_events, FALSE);

  update_visible (filter);

  return bit_get (filter->visible, event);
}

static void
count_event (CmFilter      *filter,
             const CmEvent *event,
             CmFacet        facet)
{
  CmDataset *dataset = filter->dataset;
  guint *counts = filter->counts[facet];
  const guint32 *refs;
  guint n;

  switch (facet)
    {
    case CM_FACET_GROUP:
      /* Count an event once per group, however many of its actors
       * belong to it. */
      refs = cm_dataset_get_event_actors (dataset, event, &n);
      for (guint k = 0; k < n; k++)
        {
          guint32 group = cm_dataset_get_actor (dataset, refs[k])->group;
          gboolean seen = FALSE;

          if (group == CM_NONE)
            continue;
          for (guint j = 0; j < k && !seen; j++)
            seen = cm_dataset_get_actor (dataset, refs[j])->group == group;
          if (!seen)
            counts[group]++;
        }
      break;

    case CM_FACET_ACTOR:
      refs = cm_dataset_get_event_actors (dataset, event, &n);
      for (guint k = 0; k < n; k++)
        counts[refs[k]]++;
      break;

    case CM_FACET_PLACE:
      refs = cm_dataset_get_event_places (dataset, event, &n);
      for (guint k = 0; k < n; k++)
        counts[refs[k]]++;
      break;

    case CM_FACET_TAG:
      refs = cm_dataset_get_event_tags (dataset, event, &n);
      for (guint k = 0; k < n; k++)
        counts[refs[k]]++;
      break;

    case CM_N_FACETS:
    default:
      g_assert_not_reached ();
    }
}

/* All four facets in one pass. The count of a value of facet F is the
 * number of events that pass every part of the filter except F itself:
 * an event failing nothing counts in every facet, one failing only F
 * counts in F alone, one failing two parts or the search or range counts
 * nowhere. FALSE if @cancellable was cancelled first. */
static gboolean
update_counts (CmFilter     *filter,
               GCancellable *cancellable)
{
  /* With nothing filtered, an actor's or a place's count is the length
   * of its list in the dataset's index: no need to walk the events. */
  gboolean from_index = !cm_filter_is_active (filter);

  if (!filter->counts_dirty)
    return TRUE;

  for (guint f = 0; f < CM_N_FACETS; f++)
    {
      if (filter->counts[f] == NULL)
        filter->counts[f] = g_new (guint, MAX (filter->n_values[f], 1));
      memset (filter->counts[f], 0, filter->n_values[f] * sizeof (guint));
    }
  if (from_index)
    {
      for (guint a = 0; a < filter->n_values[CM_FACET_ACTOR]; a++)
        cm_dataset_get_actor_events (filter->dataset, a, &filter->counts[CM_FACET_ACTOR][a]);
      for (guint p = 0; p < filter->n_values[CM_FACET_PLACE]; p++)
        cm_dataset_get_place_events (filter->dataset, p, &filter->counts[CM_FACET_PLACE][p]);
    }

  for (guint i = 0; i < filter->n_events; i++)
    {
      const CmEvent *event = cm_dataset_get_event (filter->dataset, i);
      CmFacet failed = CM_N_FACETS;
      guint n_failed;

      if (cm_cancelled_at (cancellable, i))
        return FALSE;
      n_failed = count_failures (filter, i, &failed);
      if (n_failed == 0)
        for (guint f = 0; f < CM_N_FACETS; f++)
          {
            if (!from_index || (f != CM_FACET_ACTOR && f != CM_FACET_PLACE))
              count_event (filter, event, f);
          }
      else if (n_failed == 1)
        count_event (filter, event, failed);
    }

  filter->counts_dirty = FALSE;
  return TRUE;
}

void
cm_filter_get_counts (CmFilter *filter,
                      CmFacet   facet,
                      guint    *counts)
{
  g_return_if_fail (filter != NULL);
  g_return_if_fail (facet < CM_N_FACETS);
  g_return_if_fail (counts != NULL || filter->n_values[facet] == 0);

  update_counts (filter, NULL);
  memcpy (counts, filter->counts[facet], filter->n_values[facet] * sizeof (guint));
}

/* What decides which events pass (choices, range, the search's result),
 * copied for a worker to count on: the dataset is shared and immutable,
 * the copy never searches or calls back. */
static CmFilter *
copy_for_counting (CmFilter *filter)
{
  CmFilter *copy = g_new0 (CmFilter, 1);

  copy->dataset = g_object_ref (filter->dataset);
  copy->n_events = filter->n_events;
  copy->n_words = filter->n_words;
  for (guint f = 0; f < CM_N_FACETS; f++)
    {
      copy->n_values[f] = filter->n_values[f];
      copy->n_chosen[f] = filter->n_chosen[f];
      copy->chosen[f] = g_memdup2 (filter->chosen[f], MAX (filter->n_values[f], 1));
    }
  copy->from = filter->from;
  copy->to = filter->to;
  copy->search = g_strdup (filter->search);
  if (filter->search_bits != NULL)
    copy->search_bits = g_memdup2 (filter->search_bits,
                                   MAX (filter->n_words, 1) * sizeof (guint64));
  copy->visible = g_new0 (guint64, MAX (filter->n_words, 1));
  copy->dirty = TRUE;
  copy->counts_dirty = TRUE;
  return copy;
}

static void
count_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  CmFilter *copy = task_data;

  /* The thread always runs, so it owns the copy: freed here, or given
   * to the caller. */
  if (!update_counts (copy, cancellable))
    {
      cm_filter_free (copy);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Cancelled");
      return;
    }
  g_task_return_pointer (task, copy, (GDestroyNotify) cm_filter_free);
}

void
cm_filter_count_async (CmFilter            *filter,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (filter != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, cm_filter_count_async);
  g_task_set_task_data (task, copy_for_counting (filter), NULL);
  g_task_run_in_thread (task, count_thread);
}

CmFilter *
cm_filter_count_finish (GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cm_filter_count_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
