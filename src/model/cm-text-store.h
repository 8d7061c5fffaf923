/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Long texts kept compressed: items (strings or NULL) are appended in
 * order and numbered from 0, packed into blocks of about 32 KB that a
 * worker thread compresses with zstd as they fill (the appending thread
 * goes on meanwhile). Reading an item decompresses its
 * block into a one-block cache of the calling thread, so a pass over the
 * items in order decompresses each block once, and a single look-up costs
 * one block (tens of microseconds).
 *
 * Appending is for one thread (the builder's). Once finished, the store
 * is immutable and may be read from any number of threads at once. The
 * texts together may not pass 4 GiB (the loader refuses files of 2). */
typedef struct _CmTextStore CmTextStore;

CmTextStore *cm_text_store_new             (void);
void         cm_text_store_free            (CmTextStore *store);
/* Appends @text (NULL is kept as NULL, "" as ""); returns its item. */
guint        cm_text_store_append          (CmTextStore *store,
                                            const char  *text);
/* Compresses what is pending; no item can be appended after. */
void         cm_text_store_finish          (CmTextStore *store);
guint        cm_text_store_get_n_items     (CmTextStore *store);
/* A copy of the item's text, or NULL; g_free() it. */
char        *cm_text_store_dup             (CmTextStore *store,
                                            guint        item);
/* Whether the item is NULL. */
gboolean     cm_text_store_is_null         (CmTextStore *store,
                                            guint        item);
/* Heap bytes held: the compressed blocks (no per-item overhead). */
gsize        cm_text_store_get_memory_size (CmTextStore *store);
/* The texts' bytes before compression (with a terminating NUL each). */
gsize        cm_text_store_get_text_size   (CmTextStore *store);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CmTextStore, cm_text_store_free)

G_END_DECLS
