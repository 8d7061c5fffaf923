/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-text-store"

#include "config.h"

#include <string.h>
#include <zstd.h>

#include "cm-background.h"
#include "cm-text-store.h"

/* Big enough for zstd to find the repeats of a language (a block of
 * summaries compresses 3 to 5 times), small enough that one look-up
 * decompresses it in tens of microseconds. */
#define BLOCK_SIZE (32 * 1024)
/* Fast: compressing costs about a tenth of reading the JSON. */
#define LEVEL 1

/* In a block's raw bytes each item is a mark, then for a text its bytes
 * and a NUL: no offset is kept per item (4 bytes an item), an item is
 * found by skipping the ones before it from the block's start or from
 * where the thread's last look-up in the block ended. */
#define MARK_NULL '\0'
#define MARK_TEXT '\1'

typedef struct
{
  guint8  *data;             /* compressed */
  guint32  compressed_size;
  guint32  raw_size;
  guint32  first_item;
} Block;

/* A full block, compressed by a worker thread while the builder's thread
 * goes on reading the file; collect_jobs() moves the result into its
 * Block. */
typedef struct
{
  CmTextStore *store;
  guint        block;
  guint8      *raw;
  guint32      raw_size;
  guint8      *data;
  gsize        size;
} Job;

struct _CmTextStore
{
  guint       serial;        /* names the store in the threads' caches */
  GArray     *blocks;        /* Block */
  guint       n_items;
  GByteArray *pending;       /* raw bytes of the block being filled */
  guint32     pending_first; /* its first item */
  gsize       text_size;
  gsize       compressed_size;
  gboolean    finished;

  GThreadPool *pool;         /* one worker, while appending */
  GPtrArray   *jobs;         /* Job, pushed and not yet synced */
  GMutex       lock;
  GCond        done;
  guint        n_running;    /* under the lock */
};

/* Each thread keeps the last few blocks it decompressed, whatever the
 * stores: a pass over the events that reads a summary, then quotes, then
 * sources (three stores) decompresses each block of each once. */
#define N_SLOTS 4

typedef struct
{
  guint  serial;             /* 0: empty */
  guint  block;
  guint  used;               /* when last read, for replacing the oldest */
  char  *buffer;
  gsize  capacity;
  guint  next_item;          /* the item after the last one read ... */
  gsize  next_pos;           /* ... starts here in the buffer */
} Slot;

typedef struct
{
  Slot       slots[N_SLOTS];
  guint      clock;
  ZSTD_DCtx *dctx;
} Cache;

static void
free_cache (gpointer data)
{
  Cache *cache = data;

  ZSTD_freeDCtx (cache->dctx);
  for (guint i = 0; i < N_SLOTS; i++)
    g_free (cache->slots[i].buffer);
  g_free (cache);
}

static GPrivate cache_key = G_PRIVATE_INIT (free_cache);

static void
free_compressor (gpointer data)
{
  ZSTD_freeCCtx (data);
}

static GPrivate compressor_key = G_PRIVATE_INIT (free_compressor);
static guint next_serial = 1;

static void
compress_job (gpointer data,
              gpointer user_data)
{
  Job *job = data;
  CmTextStore *store = job->store;
  ZSTD_CCtx *cctx = g_private_get (&compressor_key);
  gsize bound = ZSTD_compressBound (job->raw_size);

  cm_thread_set_background ();

  if (cctx == NULL)
    {
      cctx = ZSTD_createCCtx ();
      g_private_set (&compressor_key, cctx);
    }
  job->data = g_malloc (bound);
  job->size = ZSTD_compressCCtx (cctx, job->data, bound, job->raw, job->raw_size, LEVEL);
  /* Only an allocation failure inside zstd could make this fail. */
  if (ZSTD_isError (job->size))
    g_error ("cannot compress text: %s", ZSTD_getErrorName (job->size));
  job->data = g_realloc (job->data, job->size);
  g_clear_pointer (&job->raw, g_free);

  g_mutex_lock (&store->lock);
  store->n_running--;
  g_cond_signal (&store->done);
  g_mutex_unlock (&store->lock);
}

/* Waits for the worker and moves what it compressed into the blocks. */
static void
collect_jobs (CmTextStore *store)
{
  g_mutex_lock (&store->lock);
  while (store->n_running > 0)
    g_cond_wait (&store->done, &store->lock);
  g_mutex_unlock (&store->lock);

  for (guint i = 0; i < store->jobs->len; i++)
    {
      Job *job = g_ptr_array_index (store->jobs, i);
      Block *block = &g_array_index (store->blocks, Block, job->block);

      block->data = job->data;
      block->compressed_size = job->size;
      store->compressed_size += job->size;
      g_free (job);
    }
  g_ptr_array_set_size (store->jobs, 0);
}

CmTextStore *
cm_text_store_new (void)
{
  CmTextStore *store = g_new0 (CmTextStore, 1);

  store->serial = (guint) g_atomic_int_add (&next_serial, 1);
  if (store->serial == 0)
    store->serial = (guint) g_atomic_int_add (&next_serial, 1);
  store->blocks = g_array_new (FALSE, FALSE, sizeof (Block));
  store->pending = g_byte_array_sized_new (BLOCK_SIZE + 1024);
  store->jobs = g_ptr_array_new ();
  g_mutex_init (&store->lock);
  g_cond_init (&store->done);

  return store;
}

void
cm_text_store_free (CmTextStore *store)
{
  if (store == NULL)
    return;

  /* Unfinished (a load that failed or was cancelled): let the worker end. */
  if (store->pool != NULL)
    g_thread_pool_free (store->pool, FALSE, TRUE);
  collect_jobs (store);
  g_ptr_array_unref (store->jobs);
  g_mutex_clear (&store->lock);
  g_cond_clear (&store->done);
  for (guint b = 0; b < store->blocks->len; b++)
    g_free (g_array_index (store->blocks, Block, b).data);
  g_array_unref (store->blocks);
  if (store->pending != NULL)
    g_byte_array_unref (store->pending);
  g_free (store);
}

/* Closes the pending block, if any item is in it, and hands its bytes to
 * the worker. */
static void
flush (CmTextStore *store)
{
  Block block = { NULL, 0, store->pending->len, store->pending_first };
  Job *job;

  /* Every item takes at least its mark. */
  if (store->pending->len == 0)
    return;

  job = g_new0 (Job, 1);
  job->store = store;
  job->block = store->blocks->len;
  job->raw_size = block.raw_size;
  job->raw = g_byte_array_free (store->pending, FALSE);
  store->pending = g_byte_array_sized_new (BLOCK_SIZE + 1024);
  if (store->pool == NULL)
    store->pool = g_thread_pool_new (compress_job, NULL, 1, FALSE, NULL);
  g_ptr_array_add (store->jobs, job);
  g_mutex_lock (&store->lock);
  store->n_running++;
  g_mutex_unlock (&store->lock);
  g_thread_pool_push (store->pool, job, NULL);

  g_array_append_val (store->blocks, block);
  store->pending_first = store->n_items;
}

guint
cm_text_store_append (CmTextStore *store,
                      const char  *text)
{
  static const guint8 null_mark = MARK_NULL, text_mark = MARK_TEXT;
  gsize length;

  g_return_val_if_fail (store != NULL, 0);
  g_return_val_if_fail (!store->finished, 0);
  g_return_val_if_fail (store->n_items < G_MAXUINT32, 0);

  length = text != NULL ? strlen (text) + 1 : 0;
  g_return_val_if_fail (length < G_MAXUINT32 / 2, 0);
  /* A text as big as a block gets a block of its own: the small texts
   * around it then never pay for decompressing it. */
  if (length >= BLOCK_SIZE)
    flush (store);
  if (text != NULL)
    {
      g_byte_array_append (store->pending, &text_mark, 1);
      g_byte_array_append (store->pending, (const guint8 *) text, length);
      store->text_size += length;
    }
  else
    g_byte_array_append (store->pending, &null_mark, 1);
  store->n_items++;
  if (store->pending->len >= BLOCK_SIZE)
    flush (store);

  return store->n_items - 1;
}

void
cm_text_store_finish (CmTextStore *store)
{
  g_return_if_fail (store != NULL);

  if (store->finished)
    return;

  flush (store);
  if (store->pool != NULL)
    g_thread_pool_free (g_steal_pointer (&store->pool), FALSE, TRUE);
  collect_jobs (store);
  g_clear_pointer (&store->pending, g_byte_array_unref);
  store->finished = TRUE;
}

guint
cm_text_store_get_n_items (CmTextStore *store)
{
  g_return_val_if_fail (store != NULL, 0);

  return store->n_items;
}

/* The block of @item; n_blocks for the pending one. */
static guint
find_block (CmTextStore *store,
            guint        item)
{
  const Block *blocks = (const Block *) store->blocks->data;
  guint lo = 0, hi = store->blocks->len;

  if (!store->finished && item >= store->pending_first)
    return store->blocks->len;

  /* The last block whose first item is at or before @item. */
  while (hi - lo > 1)
    {
      guint mid = lo + (hi - lo) / 2;

      if (blocks[mid].first_item <= item)
        lo = mid;
      else
        hi = mid;
    }

  return lo;
}

/* The raw bytes of the compressed block @b, through the thread's cache
 * (*slot_out: its slot), or for a block too big to keep cached, in a copy
 * for the caller (*slot_out NULL). */
static const char *
open_block (CmTextStore  *store,
            guint         b,
            char        **copy,
            Slot        **slot_out)
{
  const Block *block;
  Cache *cache;
  Slot *slot = NULL;
  char *buffer;
  gsize size;

  *copy = NULL;
  *slot_out = NULL;
  if (!store->finished)
    collect_jobs (store);

  block = &g_array_index (store->blocks, Block, b);

  cache = g_private_get (&cache_key);
  if (cache == NULL)
    {
      cache = g_new0 (Cache, 1);
      cache->dctx = ZSTD_createDCtx ();
      g_private_set (&cache_key, cache);
    }
  cache->clock++;
  for (guint i = 0; i < N_SLOTS; i++)
    {
      Slot *candidate = &cache->slots[i];

      if (candidate->serial == store->serial && candidate->block == b)
        {
          candidate->used = cache->clock;
          *slot_out = candidate;
          return candidate->buffer;
        }
      if (slot == NULL || candidate->used < slot->used)
        slot = candidate;
    }

  /* One huge text is its own block: decompressed for the caller only,
   * not kept in every thread that once read it. */
  if (block->raw_size > 4 * BLOCK_SIZE)
    buffer = *copy = g_malloc (block->raw_size);
  else
    {
      if (slot->capacity < block->raw_size)
        {
          g_free (slot->buffer);
          slot->capacity = MAX (block->raw_size, 2 * BLOCK_SIZE);
          slot->buffer = g_malloc (slot->capacity);
        }
      slot->serial = 0;
      buffer = slot->buffer;
    }

  size = ZSTD_decompressDCtx (cache->dctx, buffer, block->raw_size,
                              block->data, block->compressed_size);
  /* The blocks are ours, compressed in this process: never corrupt. */
  if (ZSTD_isError (size) || size != block->raw_size)
    g_error ("cannot decompress text block %u: %s", b,
             ZSTD_isError (size) ? ZSTD_getErrorName (size) : "short");

  if (*copy == NULL)
    {
      slot->serial = store->serial;
      slot->block = b;
      slot->used = cache->clock;
      slot->next_item = block->first_item;
      slot->next_pos = 0;
      *slot_out = slot;
    }

  return buffer;
}

/* Where the item that starts at @pos ends. */
static gsize
skip_item (const char *raw,
           gsize       pos)
{
  if (raw[pos] == MARK_NULL)
    return pos + 1;
  return pos + 1 + strlen (raw + pos + 1) + 1;
}

/* Finds @item: *text_out its text (NULL for NULL) in the raw bytes of its
 * block. Returns what to g_free() once the text is copied: a huge
 * block's bytes, decompressed for this call only. */
static char *
find_item (CmTextStore  *store,
           guint         item,
           const char  **text_out)
{
  guint b = find_block (store, item);
  const char *raw;
  char *copy = NULL;
  Slot *slot = NULL;
  guint at;
  gsize pos = 0;

  if (b == store->blocks->len)
    {
      raw = (const char *) store->pending->data;
      at = store->pending_first;
    }
  else
    {
      raw = open_block (store, b, &copy, &slot);
      at = g_array_index (store->blocks, Block, b).first_item;
    }

  /* Items are mostly read in order: go on from the last one. */
  if (slot != NULL && slot->next_item >= at && slot->next_item <= item)
    {
      at = slot->next_item;
      pos = slot->next_pos;
    }
  for (; at < item; at++)
    pos = skip_item (raw, pos);

  *text_out = raw[pos] == MARK_NULL ? NULL : raw + pos + 1;
  if (slot != NULL)
    {
      slot->next_item = item + 1;
      slot->next_pos = skip_item (raw, pos);
    }

  return copy;
}

gboolean
cm_text_store_is_null (CmTextStore *store,
                       guint        item)
{
  g_autofree char *copy = NULL;
  const char *text;

  g_return_val_if_fail (store != NULL, TRUE);
  g_return_val_if_fail (item < store->n_items, TRUE);

  copy = find_item (store, item, &text);

  return text == NULL;
}

char *
cm_text_store_dup (CmTextStore *store,
                   guint        item)
{
  g_autofree char *copy = NULL;
  const char *text;

  g_return_val_if_fail (store != NULL, NULL);
  g_return_val_if_fail (item < store->n_items, NULL);

  copy = find_item (store, item, &text);
  /* A block too large to cache was decompressed for this look alone: it
   * holds this one text, handed over rather than copied again. */
  if (copy != NULL && text != NULL)
    {
      memmove (copy, text, strlen (text) + 1);
      return g_steal_pointer (&copy);
    }

  return g_strdup (text);
}

gsize
cm_text_store_get_memory_size (CmTextStore *store)
{
  g_return_val_if_fail (store != NULL, 0);

  if (!store->finished)
    collect_jobs (store);
  return sizeof *store + store->compressed_size +
         store->blocks->len * sizeof (Block) +
         (store->pending != NULL ? store->pending->len : 0);
}

gsize
cm_text_store_get_text_size (CmTextStore *store)
{
  g_return_val_if_fail (store != NULL, 0);

  return store->text_size;
}
