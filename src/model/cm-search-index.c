/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-search"

#include "config.h"

#include <string.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "cm-background.h"
#include "cm-filter.h"
#include "cm-search-index-private.h"

/* Looking at one event's text costs about as much as decoding this many
 * bytes of codes: its summary and quotes are kept compressed, and an
 * event on its own costs a block's decompression (30 to 60 us). */
#define SCAN_BYTES_PER_EVENT 65536

static guint
count_bits (CmSearchIndex *index,
            const guint64 *bits)
{
  guint n = 0;

  for (guint k = 0; k < index->n_bit_words; k++)
    n += __builtin_popcountll (bits[k]);

  return n;
}

static gboolean
text_holds (const char *text,
            gpointer    word)
{
  g_autofree char *normalized = NULL;

  if (text == NULL)
    return FALSE;
  normalized = cm_normalize_text (text);

  return strstr (normalized, word) != NULL;
}

/* One query word, and where it has been found. */
typedef struct
{
  const char *word;
  gboolean    in_text;  /* can be in a text's words (holds no white space) */
  guint8     *actors;   /* per actor: its name holds the word */
  guint8     *places;
} Probe;

/* What the index answers for one event, from the event itself: a word
 * without white space is inside one of a text's words exactly when it
 * is inside the text. */
static gboolean
event_holds (CmSearchIndex *index,
             const Probe   *probe,
             guint          i,
             gboolean       text_too)
{
  CmDataset *dataset = index->dataset;
  const CmEvent *event = cm_dataset_get_event (dataset, i);
  const guint32 *refs;
  guint n;

  refs = cm_dataset_get_event_actors (dataset, event, &n);
  for (guint k = 0; k < n; k++)
    if (probe->actors[refs[k]])
      return TRUE;
  refs = cm_dataset_get_event_places (dataset, event, &n);
  for (guint k = 0; k < n; k++)
    if (probe->places[refs[k]])
      return TRUE;

  if (!text_too || !probe->in_text)
    return FALSE;
  if (_cm_search_index_foreach_text (dataset, event, text_holds, (gpointer) probe->word))
    return TRUE;
  refs = cm_dataset_get_event_tags (dataset, event, &n);
  for (guint k = 0; k < n; k++)
    if (text_holds (cm_dataset_get_tag (dataset, refs[k]), (gpointer) probe->word))
      return TRUE;

  return FALSE;
}

/* Sets the bits still clear in @bits of the events that hold the word,
 * looking at each of them. */
static void
add_missing (CmSearchIndex *index,
             const Probe   *probe,
             gboolean       text_too,
             guint64       *bits)
{
  for (guint k = 0; k < index->n_bit_words; k++)
    {
      guint64 missing = ~bits[k];

      if (k == index->n_bit_words - 1 && index->n_events % 64 != 0)
        missing &= (G_GUINT64_CONSTANT (1) << (index->n_events % 64)) - 1;
      for (; missing != 0; missing &= missing - 1)
        {
          guint i = k * 64 + __builtin_ctzll (missing);

          if (event_holds (index, probe, i, text_too))
            bit_set (bits, i);
        }
    }
}

/* Marks the names that hold @word; returns how many events the marked
 * ones have in all. */
static guint64
mark_names (CmSearchIndex  *index,
            char          **names,
            const char     *word,
            const guint32 *(*events_of) (CmDataset *, guint, guint *),
            guint8         *marked)
{
  guint64 listed = 0;

  for (guint i = 0; names[i] != NULL; i++)
    if (strstr (names[i], word) != NULL)
      {
        guint n;

        events_of (index->dataset, i, &n);
        marked[i] = TRUE;
        listed += n;
      }

  return listed;
}

static void
add_events_of (CmSearchIndex  *index,
               const guint8   *marked,
               guint           n_items,
               const guint32 *(*events_of) (CmDataset *, guint, guint *),
               guint64        *bits)
{
  for (guint item = 0; item < n_items; item++)
    if (marked[item])
      {
        guint n;
        const guint32 *events = events_of (index->dataset, item, &n);

        for (guint k = 0; k < n; k++)
          bit_set (bits, events[k]);
      }
}

/* The events of the common words that hold @query_word, straight into
 * @bits; the rare ones' numbers in @sparse. Returns the bytes of their
 * codes. */
static guint64
find_words (CmSearchIndex *index,
            const char    *query_word,
            guint64       *bits,
            GArray        *sparse)
{
  const char *text = index->words;
  const char *line = text + 1;
  gsize len = index->words_len;
  gsize word_len = strlen (query_word);
  gsize pos = 1;
  guint64 sparse_bytes = 0;
  guint word = 0;

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
      if (index->dense_of[word] != 0)
        {
          const guint64 *dense = index->dense +
                                 (gsize) (index->dense_of[word] - 1) * index->n_bit_words;

          for (guint k = 0; k < index->n_bit_words; k++)
            bits[k] |= dense[k];
        }
      else
        {
          g_array_append_val (sparse, word);
          sparse_bytes += index->postings_start[word + 1] - index->postings_start[word];
        }

      pos = (end - text) + 1;
      line = end + 1;
      word++;
    }

  return sparse_bytes;
}

/* The distinct words that hold the query word are found with one
 * memmem pass; the common ones' bitsets go first. Once every event is
 * in, the rest can add nothing; when only a few are missing ("a" is in
 * almost every text), looking at those few events is quicker than
 * decoding the rare words' lists or ORing the lists of every actor and
 * place whose name holds the word. */
guint
cm_search_index_match (CmSearchIndex *index,
                       const char    *query_word,
                       guint64       *bits)
{
  g_autoptr(GArray) sparse = NULL;
  g_autofree guint8 *actors = NULL;
  g_autofree guint8 *places = NULL;
  guint n_actors = 0, n_places = 0, n_set;
  guint64 sparse_bytes, listed = 0;
  Probe probe;

  g_return_val_if_fail (index != NULL, 0);
  g_return_val_if_fail (query_word != NULL && bits != NULL, 0);

  sparse = g_array_new (FALSE, FALSE, sizeof (guint32));
  sparse_bytes = find_words (index, query_word, bits, sparse);
  n_set = count_bits (index, bits);
  if (n_set == index->n_events)
    return n_set;

  if (index->dataset != NULL)
    {
      n_actors = cm_dataset_get_n_actors (index->dataset);
      n_places = cm_dataset_get_n_places (index->dataset);
      actors = g_new0 (guint8, MAX (n_actors, 1));
      places = g_new0 (guint8, MAX (n_places, 1));
      listed += mark_names (index, index->actor_names, query_word,
                            cm_dataset_get_actor_events, actors);
      listed += mark_names (index, index->place_names, query_word,
                            cm_dataset_get_place_events, places);
    }
  probe = (Probe) {
    query_word, strpbrk (query_word, " \t\n\r\f\v") == NULL, actors, places
  };

  if (index->dataset != NULL &&
      (guint64) (index->n_events - n_set) * SCAN_BYTES_PER_EVENT < sparse_bytes)
    {
      add_missing (index, &probe, TRUE, bits);
      return count_bits (index, bits);
    }

  for (guint i = 0; i < sparse->len; i++)
    {
      guint32 w = g_array_index (sparse, guint32, i);

      decode_into (index->postings + index->postings_start[w],
                   index->postings + index->postings_start[w + 1], 0, bits);
    }
  if (listed == 0)
    return count_bits (index, bits);

  n_set = count_bits (index, bits);
  if ((guint64) (index->n_events - n_set) * 4 < listed)
    add_missing (index, &probe, FALSE, bits);
  else
    {
      add_events_of (index, actors, n_actors, cm_dataset_get_actor_events, bits);
      add_events_of (index, places, n_places, cm_dataset_get_place_events, bits);
    }

  return count_bits (index, bits);
}

void
cm_search_index_free (CmSearchIndex *index)
{
  if (index == NULL)
    return;

  g_free (index->words);
  g_free (index->postings_start);
  g_free (index->postings);
  g_free (index->dense_of);
  g_free (index->dense);
  g_strfreev (index->actor_names);
  g_strfreev (index->place_names);
  g_free (index);
}

gsize
cm_search_index_get_size (CmSearchIndex *index)
{
  gsize size = sizeof *index;

  g_return_val_if_fail (index != NULL, 0);

  size += index->words_len + 1;
  size += (index->n_distinct + 1) * sizeof (guint64);
  size += index->postings_start[index->n_distinct];
  size += MAX (index->n_distinct, 1) * sizeof (guint32);
  size += (gsize) index->n_dense * index->n_bit_words * sizeof (guint64);
  for (char **name = index->actor_names; *name; name++)
    size += strlen (*name) + 1 + sizeof (char *);
  for (char **name = index->place_names; *name; name++)
    size += strlen (*name) + 1 + sizeof (char *);

  return size;
}

/* One per dataset, as its data: the built index, or the build under way
 * and who waits for it. Touched on the main thread only. */
typedef struct
{
  guint                   id;
  CmSearchIndexReadyFunc  func;
  gpointer                user_data;
} Request;

typedef struct
{
  CmSearchIndex *index;
  GCancellable  *cancellable;   /* of the build under way, or NULL */
  GArray        *requests;
  guint          next_id;
} Slot;

static const char slot_key[] = "cm-search-index";

static void
slot_free (gpointer data)
{
  Slot *slot = data;

  /* A build under way holds the dataset: no slot is freed under it. */
  g_assert (slot->cancellable == NULL);
  cm_search_index_free (slot->index);
  g_array_unref (slot->requests);
  g_free (slot);
}

static Slot *
get_slot (CmDataset *dataset)
{
  Slot *slot = g_object_get_data (G_OBJECT (dataset), slot_key);

  if (slot == NULL)
    {
      slot = g_new0 (Slot, 1);
      slot->requests = g_array_new (FALSE, FALSE, sizeof (Request));
      slot->next_id = 1;
      g_object_set_data_full (G_OBJECT (dataset), slot_key, slot, slot_free);
    }

  return slot;
}

CmSearchIndex *
cm_search_index_peek (CmDataset *dataset)
{
  Slot *slot;

  g_return_val_if_fail (CM_IS_DATASET (dataset), NULL);

  slot = g_object_get_data (G_OBJECT (dataset), slot_key);
  return slot ? slot->index : NULL;
}

static void
build_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  CmSearchIndex *index;

  cm_thread_set_background ();
  index = cm_search_index_build (source_object, cancellable);

#if defined(__GLIBC__)
  /* The parts' word tables and codes were freed in pieces that glibc
   * keeps in the build threads' arenas: give them back to the system. */
  malloc_trim (0);
#endif

  if (index != NULL)
    g_task_return_pointer (task, index, (GDestroyNotify) cm_search_index_free);
  else
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "cancelled");
}

static void
build_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GCancellable) cancellable = user_data;
  CmDataset *dataset = CM_DATASET (source);
  Slot *slot = get_slot (dataset);
  CmSearchIndex *index = g_task_propagate_pointer (G_TASK (result), NULL);
  g_autoptr(GArray) requests = NULL;

  /* A cancelled build may finish after a newer one started. */
  if (slot->cancellable == cancellable)
    g_clear_object (&slot->cancellable);

  if (index == NULL || slot->index != NULL)
    {
      cm_search_index_free (index);
      return;
    }

  slot->index = index;
  requests = g_steal_pointer (&slot->requests);
  slot->requests = g_array_new (FALSE, FALSE, sizeof (Request));
  for (guint i = 0; i < requests->len; i++)
    {
      const Request *request = &g_array_index (requests, Request, i);

      request->func (index, request->user_data);
    }
}

guint
cm_search_index_request (CmDataset              *dataset,
                         CmSearchIndexReadyFunc  func,
                         gpointer                user_data)
{
  Slot *slot;
  Request request;

  g_return_val_if_fail (CM_IS_DATASET (dataset), 0);
  g_return_val_if_fail (func != NULL, 0);

  slot = get_slot (dataset);
  if (slot->index != NULL)
    return 0;

  request.id = slot->next_id++;
  request.func = func;
  request.user_data = user_data;
  g_array_append_val (slot->requests, request);

  if (slot->cancellable == NULL)
    {
      g_autoptr(GTask) task = NULL;

      slot->cancellable = g_cancellable_new ();
      task = g_task_new (dataset, slot->cancellable, build_done_cb,
                         g_object_ref (slot->cancellable));
      g_task_set_source_tag (task, cm_search_index_request);
      g_task_set_name (task, "[chronomap] search index");
      g_task_run_in_thread (task, build_thread);
    }

  return request.id;
}

void
cm_search_index_cancel_request (CmDataset *dataset,
                                guint      request)
{
  Slot *slot;

  g_return_if_fail (CM_IS_DATASET (dataset));

  slot = g_object_get_data (G_OBJECT (dataset), slot_key);
  if (slot == NULL || request == 0)
    return;

  for (guint i = 0; i < slot->requests->len; i++)
    if (g_array_index (slot->requests, Request, i).id == request)
      {
        g_array_remove_index (slot->requests, i);
        break;
      }

  /* Nobody waits: stop the build; a later request starts a new one. */
  if (slot->requests->len == 0 && slot->cancellable != NULL)
    {
      g_cancellable_cancel (slot->cancellable);
      g_clear_object (&slot->cancellable);
    }
}
