/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cm-search-index.h"

G_BEGIN_DECLS

/* Shared by the queries (cm-search-index.c) and the build
 * (cm-search-index-build.c).
 *
 * Each distinct word once, one a line in the order first met
 * ("\nword\nword\n"), and the events that hold it in one of two forms:
 * a bitset over all events for a common word, or the gaps between its
 * events (ascending), each a varint, for the rest. The varints of all
 * words lie end to end in one array; a rare word costs a byte or two an
 * event, a common one an eighth of a byte per event of the dataset. A
 * word becomes a bitset once its codes pass a quarter of a bitset's
 * size: a bitset is ORed some twenty times faster than as many bytes
 * of codes are decoded, so a few bytes an event buy a first search of
 * "a" or "e" that ORs bitsets rather than decoding most of the index. */
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
static inline guint32
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

/* Calls @func on each of an event's own texts but its tags (title,
 * summary, quotes), until it returns TRUE; returns whether it did. Tags
 * are few and shared: the build reads each once. */
typedef gboolean (*CmSearchTextFunc) (const char *text,
                                      gpointer    data);
gboolean _cm_search_index_foreach_text (CmDataset        *dataset,
                                        const CmEvent    *event,
                                        CmSearchTextFunc  func,
                                        gpointer          data);

G_END_DECLS
