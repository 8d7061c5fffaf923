/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-search-index"

#include "config.h"

#include <string.h>

#include "cm-filter.h"
#include "cm-loader.h"
#include "cm-search-index.h"
#include "generator.h"

/* The search index against what it stands for: the events whose
 * normalised text holds each query word. Built over one text an event
 * (cm_search_index_build_texts()) to reach millions of events cheaply,
 * in one part and in several, and over datasets through the filter. */

static guint64 *
new_bits (guint n_events)
{
  return g_new0 (guint64, MAX ((n_events + 63) / 64, 1));
}

/* The events of @bits as a list, for readable failures. */
static GArray *
bits_to_events (const guint64 *bits,
                guint          n_events)
{
  GArray *events = g_array_new (FALSE, FALSE, sizeof (guint));

  for (guint i = 0; i < n_events; i++)
    if ((bits[i / 64] >> (i % 64)) & 1)
      g_array_append_val (events, i);

  return events;
}

static void
assert_events (CmSearchIndex *index,
               guint          n_events,
               const char    *word,
               const guint   *expected,
               guint          n_expected)
{
  g_autofree guint64 *bits = new_bits (n_events);
  g_autoptr(GArray) events = NULL;
  guint n = cm_search_index_match (index, word, bits);

  events = bits_to_events (bits, n_events);
  g_assert_cmpuint (n, ==, n_expected);
  g_assert_cmpuint (events->len, ==, n_expected);
  for (guint i = 0; i < n_expected; i++)
    g_assert_cmpuint (g_array_index (events, guint, i), ==, expected[i]);
}

/* Events far apart: gaps of every length of code, one to four bytes,
 * each side of every byte boundary, and the last event of three million
 * (a first code of four bytes); parts end at 1M and 2M. */
static const guint far_events[] = {
  0, 1, 2, 130, 259, 16643, 33028, 999999, 1000000, 1000001,
  2000000, 2000001, 2000129, 2999999,
};
static const guint huge_gap_events[] = { 5, 2097158, 2999998 };
static const guint last_event[] = { 2999999 };

#define N_FAR 3000000

static gboolean
in_list (const guint *list,
         guint        n,
         guint        event)
{
  for (guint i = 0; i < n; i++)
    if (list[i] == event)
      return TRUE;
  return FALSE;
}

static const char *
far_text (guint    event,
          gpointer user_data)
{
  static const char *const texts[] = {
    NULL, "far", "huge", "far huge", "last", "far last", "huge last", "far huge last",
  };
  guint k = in_list (far_events, G_N_ELEMENTS (far_events), event) |
            in_list (huge_gap_events, G_N_ELEMENTS (huge_gap_events), event) << 1 |
            (event == 2999999) << 2;

  return texts[k];
}

static void
test_coding (void)
{
  for (guint parts = 1; parts <= 3; parts++)
    {
      g_autoptr(CmSearchIndex) index = cm_search_index_build_texts (N_FAR, far_text, NULL,
                                                                     parts, NULL);

      g_assert_nonnull (index);
      assert_events (index, N_FAR, "far", far_events, G_N_ELEMENTS (far_events));
      assert_events (index, N_FAR, "huge", huge_gap_events, G_N_ELEMENTS (huge_gap_events));
      assert_events (index, N_FAR, "last", last_event, 1);
      assert_events (index, N_FAR, "a", far_events, G_N_ELEMENTS (far_events));
      assert_events (index, N_FAR, "nothing", NULL, 0);
      /* Rare words take a few bytes an event, not a bitset each. */
      g_assert_cmpuint (cm_search_index_get_size (index), <, 4096);
    }
}

/* Common words become bitsets, in some parts and not in others:
 * "every" is in every event, "early" in each of the first 40%, "late"
 * in each of the last 30% and a few before (sparse in one part, dense in
 * the next), "even" in every other one, "odd" in a few. */
#define N_DENSE 90000

static char *dense_texts[32];

static void
make_dense_texts (void)
{
  const char *names[] = { "even", "early", "late", "odd" };

  if (dense_texts[0] != NULL)
    return;
  for (guint k = 0; k < 32; k++)
    {
      GString *text = g_string_new ("every");

      for (guint b = 0; b < G_N_ELEMENTS (names); b++)
        if (k & (1 << b))
          g_string_append_printf (text, " %s", names[b]);
      dense_texts[k] = g_string_free (text, FALSE);
    }
}

static const char *
dense_text (guint    event,
            gpointer user_data)
{
  gboolean early = event < N_DENSE * 4 / 10;
  gboolean late = event >= N_DENSE * 7 / 10 || event % 1000 == 3;
  gboolean odd = event % 1000 == 1;

  return dense_texts[(event % 2 == 0) | early << 1 | late << 2 | odd << 3];
}

static void
test_dense (void)
{
  make_dense_texts ();
  for (guint parts = 1; parts <= 3; parts++)
    {
      g_autoptr(CmSearchIndex) index = cm_search_index_build_texts (N_DENSE, dense_text, NULL,
                                                                     parts, NULL);
      g_autofree guint64 *bits = new_bits (N_DENSE);
      g_autoptr(GArray) expected = g_array_new (FALSE, FALSE, sizeof (guint));
      const char *words[] = { "every", "early", "late", "even", "odd", "ev", "e", "y" };

      for (guint w = 0; w < G_N_ELEMENTS (words); w++)
        {
          g_array_set_size (expected, 0);
          for (guint i = 0; i < N_DENSE; i++)
            if (strstr (dense_text (i, NULL), words[w]) != NULL)
              g_array_append_val (expected, i);
          assert_events (index, N_DENSE, words[w], (const guint *) expected->data,
                         expected->len);
        }

      /* Five words over 90,000 events: the common ones are bitsets
       * (11 KB each), far below 4 bytes an event a word. */
      g_assert_cmpuint (cm_search_index_get_size (index), <, 6 * N_DENSE / 8 + 2048);
    }
}

/* Texts from a vocabulary with capitals, accents, other scripts and all
 * the white space strtok() knew, against strstr() on the normalised
 * text. */
static const char *const vocabulary[] = {
  "Élysée", "élysée", "ELYSEE", "Straße", "STRASSE", "Київ", "київ", "naïve", "Naive",
  "café", "CAFE\xcc\x81", "talks", "Talks.", "so-called", "\"final\"", "a", "e", "Zelenskyy",
  "Erdoğan", "ERDOGAN", "über", "x", "summit", "Summits", "ﬁnal", "Ⅻ", "ǅ",
};
static const char *const separators[] = { " ", "  ", "\t", "\n", "\r\n", "\f", "\v", " \t " };

static char **
random_texts (guint n_events,
              guint seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  char **texts = g_new0 (char *, n_events + 1);

  for (guint i = 0; i < n_events; i++)
    {
      guint n_words = g_rand_int_range (rand, 0, 12);
      GString *text;

      if (g_rand_int_range (rand, 0, 20) == 0)
        {
          texts[i] = g_strdup (i % 2 ? "" : "   ");
          continue;
        }
      text = g_string_new (NULL);
      for (guint w = 0; w < n_words; w++)
        {
          if (w > 0 || g_rand_boolean (rand))
            g_string_append (text,
                             separators[g_rand_int_range (rand, 0, G_N_ELEMENTS (separators))]);
          g_string_append (text, vocabulary[g_rand_int_range (rand, 0, G_N_ELEMENTS (vocabulary))]);
        }
      texts[i] = g_string_free (text, FALSE);
    }

  return texts;
}

static const char *
array_text (guint    event,
            gpointer user_data)
{
  char **texts = user_data;

  return texts[event];
}

/* Every distinct normalised word of the vocabulary, some of their
 * substrings, and a few that are in none. */
static GPtrArray *
query_words (void)
{
  GPtrArray *words = g_ptr_array_new_with_free_func (g_free);
  const char *extra[] = { "a", "e", "ss", "ки", "ï", "nai", "lk", "s.", "\"", "-", "zz", "é" };

  for (guint i = 0; i < G_N_ELEMENTS (vocabulary); i++)
    {
      char *word = cm_normalize_text (vocabulary[i]);
      glong n = g_utf8_strlen (word, -1);

      g_ptr_array_add (words, word);
      if (n > 2)
        g_ptr_array_add (words, g_utf8_substring (word, 1, n - 1));
    }
  for (guint i = 0; i < G_N_ELEMENTS (extra); i++)
    g_ptr_array_add (words, g_strdup (extra[i]));

  return words;
}

static void
test_naive (void)
{
  const guint n_events = 70000;
  g_auto(GStrv) texts = random_texts (n_events, 7);
  g_autoptr(GPtrArray) words = query_words ();
  g_autofree char **normalized = g_new0 (char *, n_events + 1);
  g_autoptr(GArray) expected = g_array_new (FALSE, FALSE, sizeof (guint));

  for (guint i = 0; i < n_events; i++)
    normalized[i] = cm_normalize_text (texts[i]);

  for (guint parts = 1; parts <= 3; parts++)
    {
      g_autoptr(CmSearchIndex) index = cm_search_index_build_texts (n_events, array_text, texts,
                                                                     parts, NULL);

      for (guint w = 0; w < words->len; w++)
        {
          const char *word = g_ptr_array_index (words, w);

          g_array_set_size (expected, 0);
          for (guint i = 0; i < n_events; i++)
            if (strstr (normalized[i], word) != NULL)
              g_array_append_val (expected, i);
          assert_events (index, n_events, word, (const guint *) expected->data, expected->len);
        }
    }

  for (guint i = 0; i < n_events; i++)
    g_free (normalized[i]);
}

/* A cancel seen by any part stops the build: nothing is returned and
 * nothing is left behind (the asan suite checks the leaks). */
typedef struct
{
  GCancellable *cancellable;
  guint         at;
  gint          reads;
} CancelAt;

static const char *
cancelling_text (guint    event,
                 gpointer user_data)
{
  CancelAt *cancel = user_data;

  g_atomic_int_inc (&cancel->reads);
  if (event == cancel->at)
    g_cancellable_cancel (cancel->cancellable);

  return event % 3 ? "every word here" : "every other word";
}

static void
test_cancel (void)
{
  const guint n_events = 2000000;

  for (guint parts = 1; parts <= 2; parts++)
    {
      g_autoptr(GCancellable) cancellable = g_cancellable_new ();
      CancelAt cancel = { cancellable, n_events / 4, 0 };
      CmSearchIndex *index = cm_search_index_build_texts (n_events, cancelling_text, &cancel,
                                                          parts, cancellable);

      g_assert_null (index);
      /* The part that saw it stopped within a check's worth of events;
       * a part alone in its thread may have gone to its end. */
      g_assert_cmpint (cancel.reads, <, (gint) (n_events * 3 / 4 + 2048));
    }

  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();

    g_cancellable_cancel (cancellable);
    g_assert_null (cm_search_index_build_texts (n_events, cancelling_text,
                                                &(CancelAt) { cancellable, 0, 0 }, 0,
                                                cancellable));
  }
}

/* Through the filter, on datasets: every query word must be in the
 * event's title, summary, quotes or tags, or in the name of one of its
 * actors or places. */
static void
append_normalized (GString    *out,
                   const char *text)
{
  g_autofree char *normalized = cm_normalize_text (text);

  g_string_append_printf (out, "%s\n", normalized);
}

/* All an event's searchable text, normalised, one piece a line (no
 * query word holds a line break). */
static char *
event_haystack (CmDataset *dataset,
                guint      i)
{
  const CmEvent *event = cm_dataset_get_event (dataset, i);
  GString *out = g_string_new (NULL);
  g_autofree char *summary = cm_dataset_dup_event_summary (dataset, event);
  g_autofree CmQuote *quotes = NULL;
  const guint32 *refs;
  guint n;

  append_normalized (out, event->title);
  append_normalized (out, summary);
  quotes = cm_dataset_dup_event_quotes (dataset, event, &n);
  for (guint k = 0; k < n; k++)
    append_normalized (out, quotes[k].text);
  refs = cm_dataset_get_event_tags (dataset, event, &n);
  for (guint k = 0; k < n; k++)
    append_normalized (out, cm_dataset_get_tag (dataset, refs[k]));
  refs = cm_dataset_get_event_actors (dataset, event, &n);
  for (guint k = 0; k < n; k++)
    append_normalized (out, cm_dataset_get_actor (dataset, refs[k])->name);
  refs = cm_dataset_get_event_places (dataset, event, &n);
  for (guint k = 0; k < n; k++)
    append_normalized (out, cm_dataset_get_place (dataset, refs[k])->name);

  return g_string_free (out, FALSE);
}

static void
assert_search (CmFilter    *filter,
               char *const *haystacks,
               const char  *query)
{
  CmDataset *dataset = cm_filter_get_dataset (filter);
  g_autofree char *normalized = cm_normalize_text (query);
  g_auto(GStrv) words = g_strsplit_set (normalized, " \t\n\r", -1);
  guint n_visible, n_expected = 0;

  cm_filter_set_search (filter, query);
  g_assert_false (cm_filter_is_search_pending (filter));
  cm_filter_get_visible (filter, &n_visible);
  for (guint i = 0; i < cm_dataset_get_n_events (dataset); i++)
    {
      gboolean expected = TRUE;

      for (guint w = 0; words[w] && expected; w++)
        expected = strstr (haystacks[i], words[w]) != NULL;
      if (expected != cm_filter_is_visible (filter, i))
        g_error ("\"%s\": event %u is %s", query, i, expected ? "missing" : "found wrongly");
      n_expected += expected;
    }
  g_assert_cmpuint (n_visible, ==, n_expected);
}

static GStrv
all_haystacks (CmDataset *dataset)
{
  guint n = cm_dataset_get_n_events (dataset);
  char **haystacks = g_new0 (char *, n + 1);

  for (guint i = 0; i < n; i++)
    haystacks[i] = event_haystack (dataset, i);

  return haystacks;
}

static CmFilter *
ready_filter (CmDataset *dataset)
{
  CmFilter *filter = cm_filter_new (dataset);

  cm_filter_prepare_search (filter);
  while (cm_search_index_peek (dataset) == NULL)
    g_main_context_iteration (NULL, TRUE);

  return filter;
}

/* Random texts and names from the vocabulary above, tags among a few. */
static CmDataset *
random_dataset (guint n_events)
{
  g_autoptr(CmDatasetBuilder) builder = cm_dataset_builder_new ();
  g_auto(GStrv) texts = random_texts (n_events * 3, 11);
  g_autoptr(GRand) rand = g_rand_new_with_seed (5);
  const char *tags[] = { "Diplomacy", "war", "Élysée talks", "café", "ß" };
  guint n_actors = 60, n_places = 40;

  for (guint a = 0; a < n_actors; a++)
    {
      g_autofree char *id = g_strdup_printf ("a%u", a);
      g_autofree char *name = g_strdup_printf ("%s %u",
                                               vocabulary[a % G_N_ELEMENTS (vocabulary)], a);
      CmActor actor = { .id = id, .name = name, .group = CM_NONE };

      cm_dataset_builder_add_actor (builder, &actor, NULL, 0);
    }
  for (guint p = 0; p < n_places; p++)
    {
      g_autofree char *id = g_strdup_printf ("p%u", p);
      g_autofree char *name = g_strdup_printf ("Place %s",
                                               vocabulary[(p * 7) % G_N_ELEMENTS (vocabulary)]);
      CmPlace place = { .id = id, .name = name };

      cm_dataset_builder_add_place (builder, &place);
    }
  for (guint i = 0; i < n_events; i++)
    {
      g_autofree char *id = g_strdup_printf ("e%u", i);
      CmEvent event = { .id = id, .title = texts[3 * i] };
      const char *summary = g_rand_boolean (rand) ? texts[3 * i + 1] : NULL;
      CmQuote quote = { CM_NONE, texts[3 * i + 2] };
      guint32 actor = g_rand_int_range (rand, 0, n_actors);
      guint32 place = g_rand_int_range (rand, 0, n_places);
      guint tag = g_rand_int_range (rand, 0, G_N_ELEMENTS (tags));
      const char *event_tags[] = { tags[tag], tags[(tag + 1) % G_N_ELEMENTS (tags)] };

      event.start.seconds = i * 3600;
      event.start.precision = CM_PRECISION_MINUTE;
      event.end = event.start;
      guint32 index = cm_dataset_builder_add_event (builder, &event, &place, i % 5 != 0,
                                                    &actor, i % 7 != 0, event_tags, i % 3,
                                                    &quote, i % 4 == 0, NULL, 0);

      cm_dataset_builder_set_event_summary (builder, index, summary);
    }

  return cm_dataset_builder_finish (g_steal_pointer (&builder));
}

static void
test_filter_random (void)
{
  g_autoptr(CmDataset) dataset = random_dataset (40000);
  g_autoptr(CmFilter) filter = ready_filter (dataset);
  g_auto(GStrv) haystacks = all_haystacks (dataset);
  g_autoptr(GPtrArray) words = query_words ();
  const char *queries[] = {
    "a", "e", "A E", "élysée Talks", "place", "Place KYIV", "3", "12 a", "summit zz", "ß",
    "diplomacy", "war", "  Straße\t café ",
  };

  for (guint w = 0; w < words->len; w++)
    assert_search (filter, haystacks, g_ptr_array_index (words, w));
  for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
    assert_search (filter, haystacks, queries[q]);
}

/* The benchmarks' dataset, where "a" is in nearly every text, so the
 * few events it misses are read rather than every list decoded, and
 * actor and place names hold most queries' letters. */
static void
test_filter_generated (void)
{
  gsize length;
  g_autofree char *json = cm_generator_json (30000, 300, 500, 8, 3, &length);
  g_autoptr(GBytes) bytes = g_bytes_new_take (g_steal_pointer (&json), length);
  g_autoptr(GError) error = NULL;
  g_autoptr(CmDataset) dataset = cm_loader_load_bytes (bytes, "generated.json", NULL, &error);
  g_autoptr(CmFilter) filter = NULL;
  g_auto(GStrv) haystacks = NULL;
  const char *queries[] = {
    "a", "e", "i", "ta", "talks", "garcia", "garcía a", "anna", "final", "\"final\"", "s.",
    "talks-1", "-1", "summit agree", "nakamura 4", "zz", "o r",
  };

  g_assert_no_error (error);
  filter = ready_filter (dataset);
  haystacks = all_haystacks (dataset);
  for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
    assert_search (filter, haystacks, queries[q]);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/search-index/coding", test_coding);
  g_test_add_func ("/search-index/dense", test_dense);
  g_test_add_func ("/search-index/naive", test_naive);
  g_test_add_func ("/search-index/cancel", test_cancel);
  g_test_add_func ("/search-index/filter/random", test_filter_random);
  g_test_add_func ("/search-index/filter/generated", test_filter_generated);

  return g_test_run ();
}
