/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-search"

#include "config.h"

#include <string.h>

#include "cm-filter.h"
#include "cm-search-index.h"

struct _CmSearchIndex
{
  guint       n_events;
  GString    *words;            /* "\nword\nword\n" */
  guint32    *postings_start;   /* n_distinct + 1, into postings */
  guint32    *postings;         /* event indexes, ascending per word */
  guint       n_distinct;
  char      **actor_names;
  char      **place_names;
};

static inline void
bit_set (guint64 *bits,
         guint    i)
{
  bits[i / 64] |= G_GUINT64_CONSTANT (1) << (i % 64);
}

typedef struct
{
  GHashTable *ids;      /* word (in words) -> id + 1 */
  GArray     *lists;    /* per word id: GArray of event indexes */
} IndexBuilder;

static void
index_text (IndexBuilder *builder,
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

CmSearchIndex *
cm_search_index_build (CmDataset    *dataset,
                       GCancellable *cancellable)
{
  CmSearchIndex *index = g_new0 (CmSearchIndex, 1);
  guint n_actors = cm_dataset_get_n_actors (dataset);
  guint n_places = cm_dataset_get_n_places (dataset);
  IndexBuilder builder;
  GHashTableIter iter;
  gpointer key, value;
  guint total = 0;

  builder.ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  builder.lists = g_array_new (FALSE, FALSE, sizeof (GArray *));

  index->n_events = cm_dataset_get_n_events (dataset);
  for (guint i = 0; i < index->n_events; i++)
    {
      const CmEvent *event = cm_dataset_get_event (dataset, i);
      CmQuote *quotes;
      const guint32 *tags;
      char *summary;
      guint n_quotes, n_tags;

      if (i % 1024 == 0 && g_cancellable_is_cancelled (cancellable))
        {
          for (guint w = 0; w < builder.lists->len; w++)
            g_array_unref (g_array_index (builder.lists, GArray *, w));
          g_array_unref (builder.lists);
          g_hash_table_unref (builder.ids);
          g_free (index);
          return NULL;
        }

      index_text (&builder, i, event->title);
      summary = cm_dataset_dup_event_summary (dataset, event);
      index_text (&builder, i, summary);
      g_free (summary);
      quotes = cm_dataset_dup_event_quotes (dataset, event, &n_quotes);
      for (guint q = 0; q < n_quotes; q++)
        index_text (&builder, i, quotes[q].text);
      g_free (quotes);
      tags = cm_dataset_get_event_tags (dataset, event, &n_tags);
      for (guint t = 0; t < n_tags; t++)
        index_text (&builder, i, cm_dataset_get_tag (dataset, tags[t]));
    }

  /* Flatten: words one a line in id order, postings end to end. */
  index->n_distinct = builder.lists->len;
  for (guint w = 0; w < index->n_distinct; w++)
    total += g_array_index (builder.lists, GArray *, w)->len;

  index->postings_start = g_new (guint32, index->n_distinct + 1);
  index->postings = g_new (guint32, MAX (total, 1));
  total = 0;
  for (guint w = 0; w < index->n_distinct; w++)
    {
      GArray *list = g_array_index (builder.lists, GArray *, w);

      index->postings_start[w] = total;
      memcpy (index->postings + total, list->data, list->len * sizeof (guint32));
      total += list->len;
      g_array_unref (list);
    }
  index->postings_start[index->n_distinct] = total;

  {
    g_autofree const char **by_id = g_new0 (const char *, MAX (index->n_distinct, 1));

    g_hash_table_iter_init (&iter, builder.ids);
    while (g_hash_table_iter_next (&iter, &key, &value))
      by_id[GPOINTER_TO_UINT (value) - 1] = key;

    index->words = g_string_new ("\n");
    for (guint w = 0; w < index->n_distinct; w++)
      {
        g_string_append (index->words, by_id[w]);
        g_string_append_c (index->words, '\n');
      }
  }

  g_array_unref (builder.lists);
  g_hash_table_unref (builder.ids);

  index->actor_names = g_new0 (char *, n_actors + 1);
  for (guint i = 0; i < n_actors; i++)
    index->actor_names[i] = cm_normalize_text (cm_dataset_get_actor (dataset, i)->name);

  index->place_names = g_new0 (char *, n_places + 1);
  for (guint i = 0; i < n_places; i++)
    index->place_names[i] = cm_normalize_text (cm_dataset_get_place (dataset, i)->name);

  return index;
}

/* Events whose own text contains @query_word: find the distinct words
 * that contain it with one memmem pass, then take their events. */
void
cm_search_index_match_text (CmSearchIndex *index,
                            const char    *query_word,
                            guint64       *bits)
{
  const char *text = index->words->str;
  gsize len = index->words->len;
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
      for (guint32 k = index->postings_start[word]; k < index->postings_start[word + 1]; k++)
        bit_set (bits, index->postings[k]);

      pos = (end - text) + 1;
      line = end + 1;
      word++;
    }
}


void
cm_search_index_free (CmSearchIndex *index)
{
  if (index == NULL)
    return;

  if (index->words)
    g_string_free (index->words, TRUE);
  g_free (index->postings_start);
  g_free (index->postings);
  g_strfreev (index->actor_names);
  g_strfreev (index->place_names);
  g_free (index);
}

char **
cm_search_index_get_actor_names (CmSearchIndex *index)
{
  g_return_val_if_fail (index != NULL, NULL);
  return index->actor_names;
}

char **
cm_search_index_get_place_names (CmSearchIndex *index)
{
  g_return_val_if_fail (index != NULL, NULL);
  return index->place_names;
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
  CmSearchIndex *index = cm_search_index_build (source_object, cancellable);

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
