/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-filter"

#include "config.h"

#include <string.h>

#include "cm-filter.h"

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

  /* Search index, built on the first search. Every event's own text is
   * normalised and cut at white space into words; each distinct word is
   * kept once, one a line in @words, with the events that contain it. A
   * query word never holds white space, so it is inside one text word
   * exactly when it is inside the event's text: scanning the distinct
   * words gives the same answer as scanning all the text, at a fraction
   * of its size. Names of actors and places are apart, since many events
   * share them. */
  GThread    *index_thread;     /* building the index below, from creation */
  GString    *words;
  guint32    *postings_start;   /* n_distinct + 1, into postings */
  guint32    *postings;         /* event indexes, ascending per word */
  guint       n_distinct;
  char      **actor_names;
  char      **place_names;

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

static gpointer build_search_index_thread (gpointer data);
static void     ensure_search_index       (CmFilter *filter);

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
  /* The index takes a quarter of a second at 100k events: build it in the
   * background now rather than on the first key press of a search. Only
   * this thread touches the index fields until ensure_search_index(). */
  filter->index_thread = g_thread_new ("cm-search-index", build_search_index_thread, filter);

  return filter;
}

void
cm_filter_free (CmFilter *filter)
{
  if (filter == NULL)
    return;

  ensure_search_index (filter);

  for (guint f = 0; f < CM_N_FACETS; f++)
    {
      g_free (filter->chosen[f]);
      g_free (filter->counts[f]);
    }
  g_free (filter->search);
  g_free (filter->search_bits);
  if (filter->words)
    g_string_free (filter->words, TRUE);
  g_free (filter->postings_start);
  g_free (filter->postings);
  g_strfreev (filter->actor_names);
  g_strfreev (filter->place_names);
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

typedef struct
{
  GHashTable *ids;      /* word (in words) -> id + 1 */
  GArray     *lists;    /* per word id: GArray of event indexes */
} IndexBuilder;

static void
index_text (CmFilter     *filter,
            IndexBuilder *builder,
            guint         event,
            const char   *text)
{
  g_autofree char *normalized = NULL;
  char *word, *save = NULL;

  if (text == NULL)
    return;

  normalized = cm_normalize_text (text);
  for (word = strtok_r (normalized, " \t\n\r\f\v", &save);
       word != NULL;
       word = strtok_r (NULL, " \t\n\r\f\v", &save))
    {
      guint id = GPOINTER_TO_UINT (g_hash_table_lookup (builder->ids, word));
      GArray *list;

      if (id == 0)
        {
          g_autoptr(GArray) fresh = g_array_new (FALSE, FALSE, sizeof (guint32));

          g_hash_table_insert (builder->ids, g_strdup (word),
                               GUINT_TO_POINTER (builder->lists->len + 1));
          g_array_append_val (builder->lists, fresh);
          fresh = NULL;
          id = builder->lists->len;
        }

      list = g_array_index (builder->lists, GArray *, id - 1);
      /* Events come in index order: a repeat is always the last one. */
      if (list->len == 0 || g_array_index (list, guint32, list->len - 1) != event)
        g_array_append_val (list, event);
    }
}

static void
build_search_index (CmFilter *filter)
{
  CmDataset *dataset = filter->dataset;
  guint n_actors = cm_dataset_get_n_actors (dataset);
  guint n_places = cm_dataset_get_n_places (dataset);
  IndexBuilder builder;
  GHashTableIter iter;
  gpointer key, value;
  guint total = 0;

  builder.ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  builder.lists = g_array_new (FALSE, FALSE, sizeof (GArray *));

  for (guint i = 0; i < filter->n_events; i++)
    {
      const CmEvent *event = cm_dataset_get_event (dataset, i);
      const CmQuote *quotes;
      const guint32 *tags;
      guint n_quotes, n_tags;

      index_text (filter, &builder, i, event->title);
      index_text (filter, &builder, i, event->summary);
      quotes = cm_dataset_get_event_quotes (dataset, event, &n_quotes);
      for (guint q = 0; q < n_quotes; q++)
        index_text (filter, &builder, i, quotes[q].text);
      tags = cm_dataset_get_event_tags (dataset, event, &n_tags);
      for (guint t = 0; t < n_tags; t++)
        index_text (filter, &builder, i, cm_dataset_get_tag (dataset, tags[t]));
    }

  /* Flatten: words one a line in id order, postings end to end. */
  filter->n_distinct = builder.lists->len;
  for (guint w = 0; w < filter->n_distinct; w++)
    total += g_array_index (builder.lists, GArray *, w)->len;

  filter->postings_start = g_new (guint32, filter->n_distinct + 1);
  filter->postings = g_new (guint32, MAX (total, 1));
  total = 0;
  for (guint w = 0; w < filter->n_distinct; w++)
    {
      GArray *list = g_array_index (builder.lists, GArray *, w);

      filter->postings_start[w] = total;
      memcpy (filter->postings + total, list->data, list->len * sizeof (guint32));
      total += list->len;
      g_array_unref (list);
    }
  filter->postings_start[filter->n_distinct] = total;

  {
    g_autofree const char **by_id = g_new0 (const char *, MAX (filter->n_distinct, 1));

    g_hash_table_iter_init (&iter, builder.ids);
    while (g_hash_table_iter_next (&iter, &key, &value))
      by_id[GPOINTER_TO_UINT (value) - 1] = key;

    filter->words = g_string_new ("\n");
    for (guint w = 0; w < filter->n_distinct; w++)
      {
        g_string_append (filter->words, by_id[w]);
        g_string_append_c (filter->words, '\n');
      }
  }

  g_array_unref (builder.lists);
  g_hash_table_unref (builder.ids);

  filter->actor_names = g_new0 (char *, n_actors + 1);
  for (guint i = 0; i < n_actors; i++)
    filter->actor_names[i] = cm_normalize_text (cm_dataset_get_actor (dataset, i)->name);

  filter->place_names = g_new0 (char *, n_places + 1);
  for (guint i = 0; i < n_places; i++)
    filter->place_names[i] = cm_normalize_text (cm_dataset_get_place (dataset, i)->name);
}

static gpointer
build_search_index_thread (gpointer data)
{
  build_search_index (data);

  return NULL;
}

/* Waits for the index if it is still being built. */
static void
ensure_search_index (CmFilter *filter)
{
  if (filter->index_thread != NULL)
    g_thread_join (g_steal_pointer (&filter->index_thread));
}

/* Events whose own text contains @query_word: find the distinct words
 * that contain it with one memmem pass, then take their events. */
static void
match_text (CmFilter   *filter,
            const char *query_word,
            guint64    *bits)
{
  const char *text = filter->words->str;
  gsize len = filter->words->len;
  gsize word_len = strlen (query_word);
  gsize pos = 1;
  guint word = 0;
  const char *line = text + 1;

  while (pos < len)
    {
      const char *hit = memmem (text + pos, len - pos, query_word, word_len);
      const char *end;

      if (hit == NULL)
        break;

      /* Count the lines skipped to know which word was hit. */
      while ((end = memchr (line, '\n', text + len - line)) != NULL && end < hit)
        {
          line = end + 1;
          word++;
        }
      for (guint32 k = filter->postings_start[word]; k < filter->postings_start[word + 1]; k++)
        bit_set (bits, filter->postings[k]);

      pos = (end - text) + 1;
      line = end + 1;
      word++;
    }
}

static guint8 *
match_names (char       **names,
             guint        n,
             const char  *word,
             gboolean    *any)
{
  guint8 *matched = g_new0 (guint8, MAX (n, 1));

  *any = FALSE;
  for (guint i = 0; i < n; i++)
    if (strstr (names[i], word) != NULL)
      matched[i] = *any = TRUE;

  return matched;
}

static void
compute_search (CmFilter *filter)
{
  CmDataset *dataset = filter->dataset;
  g_autofree char *normalized = cm_normalize_text (filter->search);
  g_auto(GStrv) words = g_strsplit_set (normalized, " \t\n\r", -1);
  g_autofree guint64 *word_bits = g_new (guint64, MAX (filter->n_words, 1));

  ensure_search_index (filter);

  g_free (filter->search_bits);
  filter->search_bits = g_new (guint64, MAX (filter->n_words, 1));
  memset (filter->search_bits, 0xff, filter->n_words * sizeof (guint64));

  for (guint w = 0; words[w]; w++)
    {
      g_autofree guint8 *actors = NULL;
      g_autofree guint8 *places = NULL;
      gboolean any_actor, any_place;

      if (words[w][0] == '\0')
        continue;

      memset (word_bits, 0, filter->n_words * sizeof (guint64));
      match_text (filter, words[w], word_bits);

      actors = match_names (filter->actor_names, cm_dataset_get_n_actors (dataset),
                            words[w], &any_actor);
      places = match_names (filter->place_names, cm_dataset_get_n_places (dataset),
                            words[w], &any_place);

      if (any_actor || any_place)
        for (guint i = 0; i < filter->n_events; i++)
          {
            const CmEvent *event;
            const guint32 *refs;
            guint n;

            if (bit_get (word_bits, i))
              continue;

            event = cm_dataset_get_event (dataset, i);
            refs = cm_dataset_get_event_actors (dataset, event, &n);
            for (guint k = 0; any_actor && k < n; k++)
              if (actors[refs[k]])
                {
                  bit_set (word_bits, i);
                  break;
                }
            refs = cm_dataset_get_event_places (dataset, event, &n);
            for (guint k = 0; any_place && k < n; k++)
              if (places[refs[k]])
                {
                  bit_set (word_bits, i);
                  break;
                }
          }

      for (guint k = 0; k < filter->n_words; k++)
        filter->search_bits[k] &= word_bits[k];
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

static void
update_visible (CmFilter *filter)
{
  if (!filter->dirty)
    return;

  memset (filter->visible, 0, filter->n_words * sizeof (guint64));
  filter->n_visible = 0;

  if (!cm_filter_is_active (filter))
    {
      for (guint i = 0; i < filter->n_events; i++)
        bit_set (filter->visible, i);
      filter->n_visible = filter->n_events;
    }
  else
    {
      CmFacet failed;

      for (guint i = 0; i < filter->n_events; i++)
        if (count_failures (filter, i, &failed) == 0)
          {
            bit_set (filter->visible, i);
            filter->n_visible++;
          }
    }

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
 * nowhere. */
static void
update_counts (CmFilter *filter)
{
  if (!filter->counts_dirty)
    return;

  for (guint f = 0; f < CM_N_FACETS; f++)
    {
      if (filter->counts[f] == NULL)
        filter->counts[f] = g_new (guint, MAX (filter->n_values[f], 1));
      memset (filter->counts[f], 0, filter->n_values[f] * sizeof (guint));
    }

  for (guint i = 0; i < filter->n_events; i++)
    {
      const CmEvent *event = cm_dataset_get_event (filter->dataset, i);
      CmFacet failed = CM_N_FACETS;
      guint n_failed = count_failures (filter, i, &failed);

      if (n_failed == 0)
        for (guint f = 0; f < CM_N_FACETS; f++)
          count_event (filter, event, f);
      else if (n_failed == 1)
        count_event (filter, event, failed);
    }

  filter->counts_dirty = FALSE;
}

void
cm_filter_get_counts (CmFilter *filter,
                      CmFacet   facet,
                      guint    *counts)
{
  g_return_if_fail (filter != NULL);
  g_return_if_fail (facet < CM_N_FACETS);
  g_return_if_fail (counts != NULL || filter->n_values[facet] == 0);

  update_counts (filter);
  memcpy (counts, filter->counts[facet], filter->n_values[facet] * sizeof (guint));
}
