/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-search"

#include "config.h"

#include <string.h>

#include "cm-filter.h"
#include "cm-search-index.h"

/* Each distinct word once, one a line in the order first met
 * ("\nword\nword\n"), and the events that hold it in one of two forms,
 * whichever is smaller: a bitset over all events for a common word, or
 * the gaps between its events (ascending), each a varint, for the rest.
 * The varints of all words lie end to end in one array; a rare word
 * costs a byte or two an event, a common one an eighth of a byte per
 * event of the dataset. */
struct _CmSearchIndex
{
  CmDataset  *dataset;          /* not owned; NULL for texts */
  guint       n_events;
  guint       n_bit_words;      /* guint64s of a bitset over the events */
  char       *words;
  gsize       words_len;
  guint       n_distinct;
  guint64    *postings_start;   /* n_distinct + 1, into postings */
  guint8     *postings;         /* varint gaps; a dense word has none */
  guint32    *dense_of;         /* per word: 1 + its bitset's number, or 0 */
  guint64    *dense;            /* n_dense bitsets of n_bit_words */
  guint       n_dense;
  char      **actor_names;
  char      **place_names;
};

static inline void
bit_set (guint64 *bits,
         guint    i)
{
  bits[i / 64] |= G_GUINT64_CONSTANT (1) << (i % 64);
}

/* The events of a word are coded as the gaps from the event after the
 * previous one (from 0 for the first), 7 bits a byte, low bits first,
 * the high bit of a byte saying that more follow. */
static inline guint
varint_put (guint8  *out,
            guint32  value)
{
  guint n = 0;

  while (value >= 0x80)
    {
      out[n++] = (value & 0x7f) | 0x80;
      value >>= 7;
    }
  out[n++] = value;

  return n;
}

static inline const guint8 *
varint_get (const guint8 *in,
            guint32      *value)
{
  guint32 v = 0;
  guint shift = 0;

  while (*in & 0x80)
    {
      v |= (guint32) (*in++ & 0x7f) << shift;
      shift += 7;
    }
  *value = v | (guint32) *in++ << shift;

  return in;
}

/* Sets the bits of the events coded in [in, end), the first coded from
 * @next; returns the event after the last. Most gaps take one or two
 * bytes, read here without a branch on which: words with gaps on both
 * sides of 128 would mispredict one in three. */
static guint32
decode_into (const guint8 *in,
             const guint8 *end,
             guint32       next,
             guint64      *bits)
{
  while (in < end)
    {
      guint32 gap;

      if (G_LIKELY (in + 1 < end) && ((in[0] & in[1]) & 0x80) == 0)
        {
          guint32 more = in[0] >> 7;

          gap = (in[0] & 0x7f) | ((in[1] & 0x7f) << 7 & -more);
          in += 1 + more;
        }
      else
        in = varint_get (in, &gap);
      next += gap;
      bit_set (bits, next);
      next++;
    }

  return next;
}

/* Building: each part of the events (one per core) gets its own
 * vocabulary; the parts are then merged in event order. */

#define SMALL_CODES 8
#define MAX_PARTS 4
/* Fewer events than this a part: one thread does it all. */
#define MIN_PART_EVENTS 32768
#define CHECK_EVERY 1024
/* Reading an event's text costs about as much as decoding this many
 * bytes of codes. */
#define SCAN_BYTES_PER_EVENT 512

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
  gsize           dense_bytes;  /* codes longer than a bitset become one */
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
  guint8         *scratch;      /* the word being read, folded */
  gsize           scratch_capacity;
  GArray         *collect;      /* when set, words read go here, not to postings */

  /* The words of each tag, read once a part rather than once an event. */
  guint32        *tag_span;     /* per tag: 1 + first in tag_ids (0: not read), count */
  GArray         *tag_ids;
};

/* Where a byte of text stands: in a word, between words, at the end. */
enum { BYTE_WORD, BYTE_SPACE, BYTE_END, BYTE_HIGH };

static guint8 byte_class[256];

static void
init_byte_class (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      for (guint c = 0x80; c < 256; c++)
        byte_class[c] = BYTE_HIGH;
      /* As strtok() cut the words before: the C locale's white space. */
      byte_class[' '] = byte_class['\t'] = byte_class['\n'] = BYTE_SPACE;
      byte_class['\r'] = byte_class['\f'] = byte_class['\v'] = BYTE_SPACE;
      byte_class[0] = BYTE_END;
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

/* The number of the folded word @text, added if new. */
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
          memcmp (builder->words->str + word->text, text, len) == 0)
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
  g_string_append_len (builder->words, (const char *) text, len);
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
  const guint8 *p = (const guint8 *) text;

  for (;;)
    {
      guint32 hash = 2166136261u;
      gsize len = 0;

      while (byte_class[*p] == BYTE_SPACE)
        p++;
      if (*p == 0)
        return TRUE;

      for (;; p++)
        {
          guint8 c = *p;
          guint8 kind = byte_class[c];

          if (kind == BYTE_HIGH && !folded)
            return FALSE;
          if (kind == BYTE_SPACE || kind == BYTE_END)
            break;
          if (c >= 'A' && c <= 'Z')
            c += 'a' - 'A';
          if (len == builder->scratch_capacity)
            {
              builder->scratch_capacity = MAX (64, builder->scratch_capacity * 2);
              builder->scratch = g_realloc (builder->scratch, builder->scratch_capacity);
            }
          builder->scratch[len++] = c;
          hash = hash_byte (hash, c);
        }
      emit_word (builder, builder->scratch, len, hash);
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

/* An event's own text: title, summary, quotes, tags. */
static void
index_dataset_event (Builder  *builder,
                     guint     i,
                     gpointer  data)
{
  CmDataset *dataset = data;
  const CmEvent *event = cm_dataset_get_event (dataset, i);
  const CmQuote *quotes;
  const guint32 *tags;
  guint n_quotes, n_tags;

  index_text (builder, event->title);
  index_text (builder, event->summary);
  quotes = cm_dataset_get_event_quotes (dataset, event, &n_quotes);
  for (guint q = 0; q < n_quotes; q++)
    index_text (builder, quotes[q].text);
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
  builder->dense_bytes = MAX (builder->n_bit_words, 1) * sizeof (guint64);
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
  g_free (builder->scratch);
  g_free (builder->tag_span);
  if (builder->tag_ids != NULL)
    g_array_unref (builder->tag_ids);
  if (builder->words != NULL)
    g_string_free (builder->words, TRUE);
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

  init_byte_class ();
  n_parts = count_parts (n_events, n_parts);
  for (guint p = 0; p < n_parts; p++)
    builder_init (&parts[p], n_events,
                  (guint) ((guint64) n_events * p / n_parts),
                  (guint) ((guint64) n_events * (p + 1) / n_parts),
                  index_event, data, cancellable);

  for (guint p = 1; p < n_parts; p++)
    threads[p] = g_thread_try_new ("cm-search-index", builder_run, &parts[p], NULL);
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
            const char *word)
{
  g_autofree char *normalized = NULL;

  if (text == NULL)
    return FALSE;
  normalized = cm_normalize_text (text);

  return strstr (normalized, word) != NULL;
}

/* What the index answers for one event, from its text: a word without
 * white space is inside one of the text's words exactly when it is
 * inside the text. */
static gboolean
event_holds (CmDataset  *dataset,
             guint       i,
             const char *word)
{
  const CmEvent *event = cm_dataset_get_event (dataset, i);
  const CmQuote *quotes;
  const guint32 *tags;
  guint n_quotes, n_tags;

  if (text_holds (event->title, word) || text_holds (event->summary, word))
    return TRUE;
  quotes = cm_dataset_get_event_quotes (dataset, event, &n_quotes);
  for (guint q = 0; q < n_quotes; q++)
    if (text_holds (quotes[q].text, word))
      return TRUE;
  tags = cm_dataset_get_event_tags (dataset, event, &n_tags);
  for (guint t = 0; t < n_tags; t++)
    if (text_holds (cm_dataset_get_tag (dataset, tags[t]), word))
      return TRUE;

  return FALSE;
}

/* Sets the bits of the events still clear in @bits whose text holds
 * @word, reading their text. */
static void
scan_missing (CmSearchIndex *index,
              const char    *word,
              guint64       *bits)
{
  if (strpbrk (word, " \t\n\r\f\v") != NULL)
    return;

  for (guint k = 0; k < index->n_bit_words; k++)
    {
      guint64 missing = ~bits[k];

      if (k == index->n_bit_words - 1 && index->n_events % 64 != 0)
        missing &= (G_GUINT64_CONSTANT (1) << (index->n_events % 64)) - 1;
      for (; missing != 0; missing &= missing - 1)
        {
          guint i = k * 64 + __builtin_ctzll (missing);

          if (event_holds (index->dataset, i, word))
            bit_set (bits, i);
        }
    }
}

/* Events whose own text contains @query_word: find the distinct words
 * that contain it with one memmem pass, then take their events, the
 * common words' bitsets first. Once every event is in, the rest can add
 * nothing; when only a few are missing ("a" is in almost every text),
 * reading those few events' text is quicker than the rest's lists. */
guint
cm_search_index_match_text (CmSearchIndex *index,
                            const char    *query_word,
                            guint64       *bits)
{
  g_autoptr(GArray) sparse = NULL;
  const char *text, *line;
  gsize len, word_len, pos = 1;
  guint64 sparse_bytes = 0;
  guint word = 0, n_set;

  g_return_val_if_fail (index != NULL, 0);
  g_return_val_if_fail (query_word != NULL && bits != NULL, 0);

  sparse = g_array_new (FALSE, FALSE, sizeof (guint32));
  text = index->words;
  len = index->words_len;
  word_len = strlen (query_word);
  line = text + 1;

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
          const guint64 *dense = index->dense + (gsize) (index->dense_of[word] - 1) * index->n_bit_words;

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

  if (sparse->len == 0)
    return count_bits (index, bits);

  n_set = count_bits (index, bits);
  if (n_set == index->n_events)
    return n_set;
  if (index->dataset != NULL &&
      (guint64) (index->n_events - n_set) * SCAN_BYTES_PER_EVENT < sparse_bytes)
    {
      scan_missing (index, query_word, bits);
      return count_bits (index, bits);
    }

  for (guint i = 0; i < sparse->len; i++)
    {
      guint32 w = g_array_index (sparse, guint32, i);

      decode_into (index->postings + index->postings_start[w],
                   index->postings + index->postings_start[w + 1], 0, bits);
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
