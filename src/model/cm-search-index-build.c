/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-search"

#include "config.h"

#include <string.h>

#include "cm-background.h"
#include "cm-filter.h"
#include "cm-search-index-private.h"

/* Building: each part of the events (one per core) gets its own
 * vocabulary; the parts are then merged in event order. */

#define SMALL_CODES 8
#define MAX_PARTS 4
/* Fewer events than this a part: one thread does it all. */
#define MIN_PART_EVENTS 32768
#define CHECK_EVERY 1024

typedef struct
{
  guint32   hash;
  guint32   len;
  gsize     text;       /* offset of the word in the part's words */
  guint32   next;       /* 1 + the last event added; 0 before the first */
  guint32   size;       /* bytes of coded gaps */
  guint32   capacity;   /* of codes.heap; 0 while they fit in codes.small */
  union
  {
    guint8 *heap;
    guint8  small[SMALL_CODES];
  } codes;
  guint64  *bits;       /* once common: its events as a bitset, no codes */
} Word;

typedef struct _Builder Builder;
typedef void (*IndexEventFunc) (Builder  *builder,
                                guint     event,
                                gpointer  data);

struct _Builder
{
  guint           from;         /* the events of this part: [from, to) */
  guint           to;
  guint           n_bit_words;
  gsize           dense_bytes;  /* codes longer than this become a bitset */
  IndexEventFunc  index_event;
  gpointer        data;
  GCancellable   *cancellable;
  gboolean        cancelled;

  GString        *words;        /* "\nword\nword\n" */
  Word           *entries;
  guint           n_entries;
  guint           entries_capacity;
  guint32        *slots;        /* open addressing: 1 + word number, or 0 */
  guint32         mask;
  guint32         event;        /* the event being read */
  GArray         *collect;      /* when set, words read go here, not to postings */

  /* The words of each tag, read once a part rather than once an event. */
  guint32        *tag_span;     /* per tag: 1 + first in tag_ids (0: not read), count */
  GArray         *tag_ids;
};

/* How each byte reads in a word: ASCII capitals folded to small
 * letters, and 0 where a word ends: white space (the C locale's, as
 * strtok() cut words before), the end of the text, and in text not yet
 * normalised (fold_ascii) any byte past ASCII. */
static guint8 fold_any[256];
static guint8 fold_ascii[256];

static void
init_fold (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      for (guint c = 1; c < 256; c++)
        {
          fold_any[c] = c >= 'A' && c <= 'Z' ? c + 'a' - 'A' : c;
          fold_ascii[c] = c < 0x80 ? fold_any[c] : 0;
        }
      fold_any[' '] = fold_any['\t'] = fold_any['\n'] = 0;
      fold_any['\r'] = fold_any['\f'] = fold_any['\v'] = 0;
      fold_ascii[' '] = fold_ascii['\t'] = fold_ascii['\n'] = 0;
      fold_ascii['\r'] = fold_ascii['\f'] = fold_ascii['\v'] = 0;
      g_once_init_leave (&done, 1);
    }
}

static inline guint8 *
word_codes (Word *word)
{
  return word->capacity != 0 ? word->codes.heap : word->codes.small;
}

/* Room for @extra more bytes of codes. */
static guint8 *
word_reserve (Word    *word,
              guint32  extra)
{
  guint32 need = word->size + extra;

  if (word->capacity == 0 && need > SMALL_CODES)
    {
      guint8 *heap = g_malloc (MAX (32, need * 2));

      memcpy (heap, word->codes.small, word->size);
      word->codes.heap = heap;
      word->capacity = MAX (32, need * 2);
    }
  else if (word->capacity != 0 && need > word->capacity)
    {
      word->capacity = MAX (need, word->capacity * 2);
      word->codes.heap = g_realloc (word->codes.heap, word->capacity);
    }

  return word_codes (word);
}

static void
word_free_codes (Word *word)
{
  if (word->capacity != 0)
    g_free (word->codes.heap);
  word->capacity = 0;
  word->size = 0;
}

static void
word_make_dense (Builder *builder,
                 Word    *word)
{
  const guint8 *codes = word_codes (word);

  word->bits = g_new0 (guint64, builder->n_bit_words);
  decode_into (codes, codes + word->size, 0, word->bits);
  word_free_codes (word);
}

static void
word_add_event (Builder *builder,
                Word    *word,
                guint32  event)
{
  guint8 *codes;

  /* Events come in order: a repeat is always the last one. */
  if (word->next == event + 1)
    return;

  if (word->bits != NULL)
    bit_set (word->bits, event);
  else
    {
      codes = word_reserve (word, 5);
      word->size += varint_put (codes + word->size, event - word->next);
      if (word->size > builder->dense_bytes)
        word_make_dense (builder, word);
    }
  word->next = event + 1;
}

static inline guint32
slot_of (guint32 hash)
{
  hash ^= hash >> 16;
  hash *= 0x7feb352d;
  hash ^= hash >> 15;
  return hash;
}

static void
grow_slots (Builder *builder)
{
  guint32 mask = builder->mask * 2 + 1;
  guint32 *slots = g_new0 (guint32, (gsize) mask + 1);

  for (guint w = 0; w < builder->n_entries; w++)
    {
      guint32 s = slot_of (builder->entries[w].hash) & mask;

      while (slots[s] != 0)
        s = (s + 1) & mask;
      slots[s] = w + 1;
    }
  g_free (builder->slots);
  builder->slots = slots;
  builder->mask = mask;
}

static gboolean
same_word (const char   *known,
           const guint8 *text,
           guint32       len)
{
  /* Most words are in small letters already. */
  if (memcmp (known, text, len) == 0)
    return TRUE;
  for (guint32 i = 0; i < len; i++)
    if ((guint8) known[i] != fold_any[text[i]])
      return FALSE;

  return TRUE;
}

/* The number of the word @text (folded as it is compared and kept), added
 * if new. */
static guint32
find_word (Builder      *builder,
           const guint8 *text,
           guint32       len,
           guint32       hash)
{
  guint32 s = slot_of (hash) & builder->mask;
  Word *word;

  for (; builder->slots[s] != 0; s = (s + 1) & builder->mask)
    {
      word = &builder->entries[builder->slots[s] - 1];
      if (word->hash == hash && word->len == len &&
          same_word (builder->words->str + word->text, text, len))
        return builder->slots[s] - 1;
    }

  if (builder->n_entries == builder->entries_capacity)
    {
      builder->entries_capacity = MAX (256, builder->entries_capacity * 2);
      builder->entries = g_renew (Word, builder->entries, builder->entries_capacity);
    }
  word = &builder->entries[builder->n_entries];
  memset (word, 0, sizeof *word);
  word->hash = hash;
  word->len = len;
  word->text = builder->words->len;
  for (guint32 i = 0; i < len; i++)
    g_string_append_c (builder->words, fold_any[text[i]]);
  g_string_append_c (builder->words, '\n');
  builder->slots[s] = ++builder->n_entries;
  if (builder->n_entries * 2 > builder->mask)
    grow_slots (builder);

  return builder->n_entries - 1;
}

static inline guint32
hash_byte (guint32 hash,
           guint8  c)
{
  return (hash ^ c) * 16777619;
}

static void
emit_word (Builder      *builder,
           const guint8 *text,
           guint32       len,
           guint32       hash)
{
  guint32 id = find_word (builder, text, len, hash);

  if (builder->collect != NULL)
    g_array_append_val (builder->collect, id);
  else
    word_add_event (builder, &builder->entries[id], builder->event);
}

/* Cuts @text at white space, folding ASCII capitals as it goes. Text
 * that is not all ASCII needs the whole of cm_normalize_text(): without
 * @folded, FALSE at its first such byte (the words before it are the
 * same in the folded text, so giving them twice changes nothing). */
static gboolean
read_words (Builder    *builder,
            const char *text,
            gboolean    folded)
{
  const guint8 *fold = folded ? fold_any : fold_ascii;
  const guint8 *p = (const guint8 *) text;

  for (;;)
    {
      const guint8 *start;
      guint32 hash = 2166136261u;
      guint8 c;

      while (*p != 0 && fold_any[*p] == 0)
        p++;
      for (start = p; (c = fold[*p]) != 0; p++)
        hash = hash_byte (hash, c);
      if (*p >= 0x80)
        return FALSE;
      if (p > start)
        emit_word (builder, start, p - start, hash);
      if (*p == 0)
        return TRUE;
    }
}

static void
index_text (Builder    *builder,
            const char *text)
{
  if (text != NULL && !read_words (builder, text, FALSE))
    {
      g_autofree char *normalized = cm_normalize_text (text);

      read_words (builder, normalized, TRUE);
    }
}

static void
index_tag (Builder   *builder,
           CmDataset *dataset,
           guint32    tag)
{
  const guint32 *ids;

  if (builder->tag_span == NULL)
    {
      builder->tag_span = g_new0 (guint32, 2 * (gsize) cm_dataset_get_n_tags (dataset));
      builder->tag_ids = g_array_new (FALSE, FALSE, sizeof (guint32));
    }

  if (builder->tag_span[2 * tag] == 0)
    {
      guint first = builder->tag_ids->len;

      builder->collect = builder->tag_ids;
      index_text (builder, cm_dataset_get_tag (dataset, tag));
      builder->collect = NULL;
      builder->tag_span[2 * tag] = first + 1;
      builder->tag_span[2 * tag + 1] = builder->tag_ids->len - first;
    }

  ids = &g_array_index (builder->tag_ids, guint32, builder->tag_span[2 * tag] - 1);
  for (guint k = 0; k < builder->tag_span[2 * tag + 1]; k++)
    word_add_event (builder, &builder->entries[ids[k]], builder->event);
}

gboolean
_cm_search_index_foreach_text (CmDataset        *dataset,
                               const CmEvent    *event,
                               CmSearchTextFunc  func,
                               gpointer          data)
{
  g_autofree char *summary = NULL;
  g_autofree CmQuote *quotes = NULL;
  guint n_quotes;

  if (func (event->title, data))
    return TRUE;
  /* Kept compressed: a pass in event order decompresses each block once
   * a thread. */
  summary = cm_dataset_dup_event_summary (dataset, event);
  if (func (summary, data))
    return TRUE;
  quotes = cm_dataset_dup_event_quotes (dataset, event, &n_quotes);
  for (guint q = 0; q < n_quotes; q++)
    if (func (quotes[q].text, data))
      return TRUE;

  return FALSE;
}

static gboolean
index_one_text (const char *text,
                gpointer    data)
{
  index_text (data, text);
  return FALSE;
}

/* An event's own text: title, summary, quotes, tags. */
static void
index_dataset_event (Builder  *builder,
                     guint     i,
                     gpointer  data)
{
  CmDataset *dataset = data;
  const CmEvent *event = cm_dataset_get_event (dataset, i);
  const guint32 *tags;
  guint n_tags;

  _cm_search_index_foreach_text (dataset, event, index_one_text, builder);
  tags = cm_dataset_get_event_tags (dataset, event, &n_tags);
  for (guint t = 0; t < n_tags; t++)
    index_tag (builder, dataset, tags[t]);
}

static void
builder_init (Builder        *builder,
              guint           n_events,
              guint           from,
              guint           to,
              IndexEventFunc  index_event,
              gpointer        data,
              GCancellable   *cancellable)
{
  memset (builder, 0, sizeof *builder);
  builder->from = from;
  builder->to = to;
  builder->n_bit_words = (n_events + 63) / 64;
  /* A quarter of a bitset (see cm-search-index-private.h). */
  builder->dense_bytes = MAX (builder->n_bit_words, 1) * sizeof (guint64) / 4;
  builder->index_event = index_event;
  builder->data = data;
  builder->cancellable = cancellable;
  builder->words = g_string_new ("\n");
  builder->mask = 255;
  builder->slots = g_new0 (guint32, builder->mask + 1);
}

static void
builder_clear (Builder *builder)
{
  for (guint w = 0; w < builder->n_entries; w++)
    {
      word_free_codes (&builder->entries[w]);
      g_free (builder->entries[w].bits);
    }
  g_free (builder->entries);
  g_free (builder->slots);
  g_free (builder->tag_span);
  if (builder->tag_ids != NULL)
    g_array_unref (builder->tag_ids);
  if (builder->words != NULL)
    g_string_free (builder->words, TRUE);
}

static gpointer builder_run (gpointer data);

/* A part of the build on a thread of its own. */
static gpointer
builder_thread (gpointer data)
{
  cm_thread_set_background ();
  return builder_run (data);
}

static gpointer
builder_run (gpointer data)
{
  Builder *builder = data;

  for (guint i = builder->from; i < builder->to; i++)
    {
      if ((i - builder->from) % CHECK_EVERY == 0 &&
          g_cancellable_is_cancelled (builder->cancellable))
        {
          builder->cancelled = TRUE;
          break;
        }
      builder->event = i;
      builder->index_event (builder, i, builder->data);
    }

  return NULL;
}

/* Adds the events of @later's words (all after @into's) to @into. */
static void
builder_merge (Builder *into,
               Builder *later)
{
  for (guint w = 0; w < later->n_entries; w++)
    {
      Word *from = &later->entries[w];
      const guint8 *codes = word_codes (from);
      guint32 id = find_word (into, (const guint8 *) later->words->str + from->text,
                              from->len, from->hash);
      Word *word = &into->entries[id];

      if (from->bits != NULL && word->bits == NULL)
        {
          const guint8 *mine = word_codes (word);

          decode_into (mine, mine + word->size, 0, from->bits);
          word_free_codes (word);
          word->bits = g_steal_pointer (&from->bits);
        }
      else if (from->bits != NULL)
        {
          for (guint k = later->from / 64; k < into->n_bit_words; k++)
            word->bits[k] |= from->bits[k];
        }
      else if (word->bits != NULL)
        decode_into (codes, codes + from->size, 0, word->bits);
      else if (from->size > 0)
        {
          /* The first gap of @later's codes is from event 0. */
          guint8 head[5];
          guint32 first;
          const guint8 *rest = varint_get (codes, &first);
          guint n = varint_put (head, first - word->next);
          guint8 *out = word_reserve (word, n + (codes + from->size - rest));

          memcpy (out + word->size, head, n);
          memcpy (out + word->size + n, rest, codes + from->size - rest);
          word->size += n + (codes + from->size - rest);
          if (word->size > into->dense_bytes)
            word_make_dense (into, word);
        }
      if (from->next != 0)
        word->next = from->next;
    }
}

/* The index's arrays from a builder's words, freeing them as it goes. */
static CmSearchIndex *
index_new (Builder *builder,
           guint    n_events)
{
  CmSearchIndex *index = g_new0 (CmSearchIndex, 1);
  gsize total = 0;
  guint dense = 0;

  index->n_events = n_events;
  index->n_bit_words = builder->n_bit_words;
  index->n_distinct = builder->n_entries;
  for (guint w = 0; w < builder->n_entries; w++)
    {
      if (builder->entries[w].bits != NULL)
        index->n_dense++;
      total += builder->entries[w].size;
    }

  index->postings_start = g_new (guint64, index->n_distinct + 1);
  index->postings = g_malloc (MAX (total, 1));
  index->dense_of = g_new0 (guint32, MAX (index->n_distinct, 1));
  index->dense = g_new (guint64, MAX ((gsize) index->n_dense * index->n_bit_words, 1));
  total = 0;
  for (guint w = 0; w < builder->n_entries; w++)
    {
      Word *word = &builder->entries[w];

      index->postings_start[w] = total;
      if (word->bits != NULL)
        {
          memcpy (index->dense + (gsize) dense * index->n_bit_words, word->bits,
                  index->n_bit_words * sizeof (guint64));
          g_clear_pointer (&word->bits, g_free);
          index->dense_of[w] = ++dense;
        }
      else
        {
          memcpy (index->postings + total, word_codes (word), word->size);
          total += word->size;
          word_free_codes (word);
        }
    }
  index->postings_start[index->n_distinct] = total;

  index->words_len = builder->words->len;
  index->words = g_realloc (g_string_free (g_steal_pointer (&builder->words), FALSE),
                            index->words_len + 1);

  return index;
}

static guint
count_parts (guint n_events,
             guint n_parts)
{
  if (n_parts == 0)
    n_parts = MIN (g_get_num_processors (), n_events / MIN_PART_EVENTS);

  return CLAMP (n_parts, 1, MAX_PARTS);
}

/* The parts in threads of their own but the first, which is the calling
 * thread's; the calling thread waits for them, and only it merges. */
static CmSearchIndex *
build_parts (guint           n_events,
             guint           n_parts,
             IndexEventFunc  index_event,
             gpointer        data,
             GCancellable   *cancellable)
{
  Builder parts[MAX_PARTS];
  GThread *threads[MAX_PARTS] = { NULL, };
  CmSearchIndex *index = NULL;
  gboolean cancelled = FALSE;

  init_fold ();
  n_parts = count_parts (n_events, n_parts);
  for (guint p = 0; p < n_parts; p++)
    builder_init (&parts[p], n_events,
                  (guint) ((guint64) n_events * p / n_parts),
                  (guint) ((guint64) n_events * (p + 1) / n_parts),
                  index_event, data, cancellable);

  for (guint p = 1; p < n_parts; p++)
    threads[p] = g_thread_try_new ("cm-search-index", builder_thread, &parts[p], NULL);
  builder_run (&parts[0]);
  for (guint p = 1; p < n_parts; p++)
    {
      if (threads[p] != NULL)
        g_thread_join (threads[p]);
      else
        builder_run (&parts[p]);
      cancelled |= parts[p].cancelled;
    }
  cancelled |= parts[0].cancelled || g_cancellable_is_cancelled (cancellable);

  for (guint p = 1; p < n_parts && !cancelled; p++)
    builder_merge (&parts[0], &parts[p]);
  if (!cancelled)
    index = index_new (&parts[0], n_events);

  for (guint p = 0; p < n_parts; p++)
    builder_clear (&parts[p]);

  return index;
}

static char **
normalize_names (guint         n,
                 const char *(*name_of) (CmDataset *, guint),
                 CmDataset    *dataset)
{
  char **names = g_new0 (char *, n + 1);

  for (guint i = 0; i < n; i++)
    names[i] = cm_normalize_text (name_of (dataset, i));

  return names;
}

static const char *
actor_name (CmDataset *dataset,
            guint      i)
{
  return cm_dataset_get_actor (dataset, i)->name;
}

static const char *
place_name (CmDataset *dataset,
            guint      i)
{
  return cm_dataset_get_place (dataset, i)->name;
}

CmSearchIndex *
cm_search_index_build (CmDataset    *dataset,
                       GCancellable *cancellable)
{
  CmSearchIndex *index;

  g_return_val_if_fail (CM_IS_DATASET (dataset), NULL);

  index = build_parts (cm_dataset_get_n_events (dataset), 0, index_dataset_event, dataset,
                       cancellable);
  if (index == NULL)
    return NULL;

  index->dataset = dataset;
  index->actor_names = normalize_names (cm_dataset_get_n_actors (dataset), actor_name, dataset);
  index->place_names = normalize_names (cm_dataset_get_n_places (dataset), place_name, dataset);

  return index;
}

typedef struct
{
  CmSearchIndexTextFunc  func;
  gpointer               user_data;
} TextSource;

static void
index_source_event (Builder  *builder,
                    guint     i,
                    gpointer  data)
{
  TextSource *source = data;

  index_text (builder, source->func (i, source->user_data));
}

CmSearchIndex *
cm_search_index_build_texts (guint                  n_events,
                             CmSearchIndexTextFunc  func,
                             gpointer               user_data,
                             guint                  n_parts,
                             GCancellable          *cancellable)
{
  TextSource source = { func, user_data };
  CmSearchIndex *index;

  g_return_val_if_fail (func != NULL, NULL);

  index = build_parts (n_events, n_parts, index_source_event, &source, cancellable);
  if (index == NULL)
    return NULL;

  index->actor_names = g_new0 (char *, 1);
  index->place_names = g_new0 (char *, 1);

  return index;
}
