/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-test-dataset"

#include "config.h"

#include "cm-loader.h"
#include "cm-text-store.h"
#include "generator.h"

static CmTime
day (gint64 year, int month, int d)
{
  CmTime time = { cm_time_from_civil (year, month, d, 0, 0, 0), 0, CM_PRECISION_DAY, FALSE, 0 };

  return time;
}

/* Three events out of time order, two actors in two groups (the first
 * actor without one), one place, one period. */
static CmDataset *
build_small (void)
{
  CmDatasetBuilder *builder = cm_dataset_builder_new ();
  CmGroup group = { "red", "Red", 0xff0000, TRUE, };
  CmActor actor = { 0 };
  CmPlace place = { "here", "Here", NULL, NULL, 10, 20 };
  CmPeriod period = { "p", "Period", NULL, day (2000, 1, 1), day (2000, 1, 1), FALSE };
  CmEvent event = { 0 };
  guint32 actors[2], place_index;
  const char *tags[] = { "a", "b" };

  cm_dataset_builder_set_title (builder, "Small", NULL);
  group.id = "red";
  cm_dataset_builder_add_group (builder, &group);
  actor.id = "nobody";
  actor.name = "Nobody";
  actor.group = CM_NONE;
  actors[0] = cm_dataset_builder_add_actor (builder, &actor, NULL, 0);
  actor.id = "somebody";
  actor.name = "Somebody";
  actor.group = 0;
  actors[1] = cm_dataset_builder_add_actor (builder, &actor, NULL, 0);
  place_index = cm_dataset_builder_add_place (builder, &place);
  cm_dataset_builder_add_period (builder, &period);

  event.id = "late";
  event.title = "Late";
  event.start = day (2020, 5, 1);
  cm_dataset_builder_add_event (builder, &event, &place_index, 1, actors, 2, tags, 2,
                                NULL, 0, NULL, 0);
  event.id = "early";
  event.title = "Early, lasting a year";
  event.start = day (2010, 1, 1);
  event.end = day (2010, 12, 31);
  event.has_end = TRUE;
  cm_dataset_builder_add_event (builder, &event, NULL, 0, actors, 1, tags + 1, 1,
                                NULL, 0, NULL, 0);
  event.id = "same-day";
  event.title = "Same day as late, shorter";
  event.start = day (2020, 5, 1);
  event.has_end = FALSE;
  cm_dataset_builder_add_event (builder, &event, NULL, 0, NULL, 0, NULL, 0, NULL, 0, NULL, 0);

  return cm_dataset_builder_finish (builder);
}

static void
test_find (void)
{
  g_autoptr(CmDataset) dataset = build_small ();

  g_assert_cmpuint (cm_dataset_find_event (dataset, "late"), ==, 0);
  g_assert_cmpuint (cm_dataset_find_event (dataset, "early"), ==, 1);
  g_assert_cmpuint (cm_dataset_find_event (dataset, "same-day"), ==, 2);
  g_assert_cmpuint (cm_dataset_find_event (dataset, "missing"), ==, CM_NONE);
  g_assert_cmpuint (cm_dataset_find_event (dataset, NULL), ==, CM_NONE);
  g_assert_cmpuint (cm_dataset_find_actor (dataset, "somebody"), ==, 1);
  g_assert_cmpuint (cm_dataset_find_place (dataset, "here"), ==, 0);
  g_assert_cmpuint (cm_dataset_find_group (dataset, "red"), ==, 0);
  g_assert_cmpuint (cm_dataset_find_group (dataset, "blue"), ==, CM_NONE);
  g_assert_cmpuint (cm_dataset_get_n_tags (dataset), ==, 2);
}

static void
test_time_order (void)
{
  g_autoptr(CmDataset) dataset = build_small ();
  const guint32 *order = cm_dataset_get_time_order (dataset);

  /* "late" and "same-day" start together; both last a day, so file order
   * decides. */
  g_assert_cmpuint (order[0], ==, 1);
  g_assert_cmpuint (order[1], ==, 0);
  g_assert_cmpuint (order[2], ==, 2);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpuint (cm_dataset_get_time_rank (dataset, order[i]), ==, i);
}

static void
test_bisect (void)
{
  g_autoptr(CmDataset) dataset = build_small ();

  g_assert_cmpuint (cm_dataset_bisect_start (dataset, G_MININT64), ==, 0);
  g_assert_cmpuint (cm_dataset_bisect_start (dataset, day (2010, 1, 1).seconds), ==, 0);
  g_assert_cmpuint (cm_dataset_bisect_start (dataset, day (2010, 1, 1).seconds + 1), ==, 1);
  g_assert_cmpuint (cm_dataset_bisect_start (dataset, day (2020, 5, 1).seconds), ==, 1);
  g_assert_cmpuint (cm_dataset_bisect_start (dataset, day (2020, 5, 2).seconds), ==, 3);
}

static void
test_time_range (void)
{
  g_autoptr(CmDataset) dataset = build_small ();
  g_autoptr(CmDataset) empty = cm_dataset_builder_finish (cm_dataset_builder_new ());
  gint64 min, max;

  g_assert_true (cm_dataset_get_time_range (dataset, &min, &max));
  /* The period starts first; the last event ends after its day. */
  g_assert_cmpint (min, ==, day (2000, 1, 1).seconds);
  g_assert_cmpint (max, ==, day (2020, 5, 2).seconds);
  g_assert_cmpint (cm_dataset_get_max_duration (dataset), ==,
                   day (2011, 1, 1).seconds - day (2010, 1, 1).seconds);

  g_assert_false (cm_dataset_get_time_range (empty, &min, &max));
  g_assert_cmpuint (cm_dataset_get_n_events (empty), ==, 0);
  g_assert_cmpuint (cm_dataset_bisect_start (empty, 0), ==, 0);
}

static void
test_event_group (void)
{
  g_autoptr(CmDataset) dataset = build_small ();

  /* The first actor with a group gives the event its group. */
  g_assert_cmpuint (cm_dataset_get_event_group (dataset, cm_dataset_get_event (dataset, 0)),
                    ==, 0);
  g_assert_cmpuint (cm_dataset_get_event_group (dataset, cm_dataset_get_event (dataset, 1)),
                    ==, CM_NONE);
  g_assert_cmpuint (cm_dataset_get_event_group (dataset, cm_dataset_get_event (dataset, 2)),
                    ==, CM_NONE);
}

static void
test_generated_order (void)
{
  gsize length;
  g_autofree char *json = cm_generator_json (5000, 100, 200, 8, 11, &length);
  g_autoptr(GBytes) bytes = g_bytes_new_static (json, length);
  g_autoptr(GError) error = NULL;
  g_autoptr(CmDataset) dataset = cm_loader_load_bytes (bytes, "gen.json", NULL, &error);
  const guint32 *order;
  gint64 min, max;
  guint n;

  g_assert_no_error (error);
  n = cm_dataset_get_n_events (dataset);
  order = cm_dataset_get_time_order (dataset);
  g_assert_true (cm_dataset_get_time_range (dataset, &min, &max));
  for (guint i = 1; i < n; i++)
    g_assert_cmpint (cm_dataset_get_event (dataset, order[i - 1])->start.seconds, <=,
                     cm_dataset_get_event (dataset, order[i])->start.seconds);

  /* Every event lies in the range, and bisecting at each start finds the
   * first of the events starting then. */
  for (guint i = 0; i < n; i++)
    {
      const CmEvent *event = cm_dataset_get_event (dataset, order[i]);
      guint pos = cm_dataset_bisect_start (dataset, event->start.seconds);

      g_assert_cmpint (event->start.seconds, >=, min);
      g_assert_cmpint (cm_time_get_end (&event->end), <=, max);
      g_assert_cmpuint (pos, <=, i);
      g_assert_cmpint (cm_dataset_get_event (dataset, order[pos])->start.seconds, ==,
                       event->start.seconds);
      g_assert_true (pos == 0 ||
                     cm_dataset_get_event (dataset, order[pos - 1])->start.seconds <
                     event->start.seconds);
      g_assert_cmpuint (cm_dataset_find_event (dataset, event->id), ==, order[i]);
    }
}

/* What the dataset works out at load (event groups, tag counts) agrees
 * with the events themselves, and titles that are copied rather than
 * interned stay each event's own. */
static void
test_generated_derived (void)
{
  gsize length;
  g_autofree char *json = cm_generator_json (3000, 60, 90, 7, 13, &length);
  g_autoptr(GBytes) bytes = g_bytes_new_static (json, length);
  g_autoptr(GError) error = NULL;
  g_autoptr(CmDataset) dataset = cm_loader_load_bytes (bytes, "gen.json", NULL, &error);
  g_autofree guint *tag_counts = NULL;
  guint n_tags, total = 0;

  g_assert_no_error (error);
  n_tags = cm_dataset_get_n_tags (dataset);
  g_assert_cmpuint (n_tags, >, 10);
  tag_counts = g_new0 (guint, n_tags);
  for (guint i = 0; i < cm_dataset_get_n_events (dataset); i++)
    {
      const CmEvent *event = cm_dataset_get_event (dataset, i);
      g_autofree char *id = g_strdup_printf ("e%u", i);
      const guint32 *refs;
      guint32 group = CM_NONE;
      guint n;

      refs = cm_dataset_get_event_actors (dataset, event, &n);
      for (guint k = 0; k < n && group == CM_NONE; k++)
        group = cm_dataset_get_actor (dataset, refs[k])->group;
      g_assert_cmpuint (cm_dataset_get_event_group (dataset, event), ==, group);

      refs = cm_dataset_get_event_tags (dataset, event, &n);
      for (guint k = 0; k < n; k++)
        tag_counts[refs[k]]++;

      g_assert_cmpstr (event->id, ==, id);
      g_assert_cmpuint (cm_dataset_find_event (dataset, id), ==, i);
    }
  for (guint t = 0; t < n_tags; t++)
    {
      g_assert_cmpuint (cm_dataset_get_tag_n_events (dataset, t), ==, tag_counts[t]);
      total += tag_counts[t];
    }
  g_assert_cmpuint (total, >, 0);
}

/* Two events with the same title and summary: each keeps its own. */
static void
test_equal_titles (void)
{
  g_autoptr(CmDatasetBuilder) builder = cm_dataset_builder_new ();
  g_autoptr(CmDataset) dataset = NULL;
  CmEvent event = { 0 };
  char title[] = "Talks";
  g_autofree char *summary = NULL;

  cm_dataset_builder_expect_events (builder, 2);
  event.id = "a";
  event.title = title;
  event.start = day (2001, 1, 1);
  cm_dataset_builder_add_event (builder, &event, NULL, 0, NULL, 0, NULL, 0, NULL, 0, NULL, 0);
  /* The builder copied the text: changing the caller's buffer changes
   * nothing. */
  title[0] = 'W';
  event.id = "b";
  cm_dataset_builder_add_event (builder, &event, NULL, 0, NULL, 0, NULL, 0, NULL, 0, NULL, 0);
  cm_dataset_builder_set_event_summary (builder, 1, "Same");
  g_assert_cmpuint (cm_dataset_builder_get_n_events (builder), ==, 2);
  dataset = cm_dataset_builder_finish (g_steal_pointer (&builder));

  g_assert_cmpstr (cm_dataset_get_event (dataset, 0)->title, ==, "Talks");
  g_assert_cmpstr (cm_dataset_get_event (dataset, 1)->title, ==, "Walks");
  summary = cm_dataset_dup_event_summary (dataset, cm_dataset_get_event (dataset, 1));
  g_assert_cmpstr (summary, ==, "Same");
  g_assert_null (cm_dataset_dup_event_summary (dataset, cm_dataset_get_event (dataset, 0)));
  g_assert_cmpuint (cm_dataset_find_event (dataset, "b"), ==, 1);
}

static void
test_memory_size (void)
{
  gsize length;
  g_autofree char *json = cm_generator_json (10000, 200, 500, 10, 5, &length);
  g_autoptr(GBytes) bytes = g_bytes_new_static (json, length);
  g_autoptr(GError) error = NULL;
  g_autoptr(CmDataset) dataset = cm_loader_load_bytes (bytes, "gen.json", NULL, &error);
  gsize size;

  g_assert_no_error (error);
  size = cm_dataset_get_memory_size (dataset);
  /* At least the event structs; well under the 600 bytes an event the
   * design allows, and far less than the text it came from. */
  g_assert_cmpuint (size, >=, 10000 * sizeof (CmEvent));
  g_assert_cmpuint (size, <=, 10000 * 600);
  g_assert_cmpuint (size, <, length);
}

/* Event groups and quotes' actors are kept in one, two or four bytes
 * each, by how many groups or actors there are: every index, the last
 * before each width changes and CM_NONE, reads back as it was given. */
static void
test_narrow_indexes (void)
{
  /* The widths change at 255 and 65,535 items. */
  static const guint counts[] = { 1, 2, 254, 255, 256, 65534, 65535, 65536, 70001 };

  for (guint c = 0; c < G_N_ELEMENTS (counts); c++)
    {
      g_autoptr(CmDatasetBuilder) builder = cm_dataset_builder_new ();
      g_autoptr(CmDataset) dataset = NULL;
      guint n = counts[c];
      /* The indexes to try: the first, the last, their neighbours, the
       * width boundaries below n, and none. */
      guint32 wanted[] = { 0, 1, n - 2, n - 1, 253, 254, 255, 65533, 65534, 65535, CM_NONE };
      guint n_wanted = 0;

      for (guint i = 0; i < n; i++)
        {
          g_autofree char *id = g_strdup_printf ("g%u", i);
          CmGroup group = { id, id, i, TRUE };
          CmActor actor = { id, id, NULL, NULL, i, CM_ACTOR_PERSON, 0, 0 };

          g_assert_cmpuint (cm_dataset_builder_add_group (builder, &group), ==, i);
          g_assert_cmpuint (cm_dataset_builder_add_actor (builder, &actor, NULL, 0), ==, i);
        }
      for (guint k = 0; k < G_N_ELEMENTS (wanted); k++)
        if (wanted[k] == CM_NONE || wanted[k] < n)
          wanted[n_wanted++] = wanted[k];
      /* A quote by an actor that does not exist is refused, as an
       * unknown place or actor is (a narrow copy could not keep it),
       * before anything of its event is kept: the quotes of the events
       * after it read back as given. */
      {
        CmEvent event = { .id = "bad", .title = "Bad" };
        CmQuote quotes[2] = { { 0, "kept?" }, { n, "said" } };

        g_test_expect_message ("cm-dataset", G_LOG_LEVEL_CRITICAL, "*quotes[i].actor*");
        g_assert_cmpuint (cm_dataset_builder_add_event (builder, &event, NULL, 0, NULL, 0, NULL, 0,
                                                        quotes, 2, NULL, 0), ==, CM_NONE);
        g_test_assert_expected_messages ();
      }
      for (guint k = 0; k < n_wanted; k++)
        {
          g_autofree char *id = g_strdup_printf ("e%u", k);
          CmEvent event = { .id = id, .title = id, .start = day (2000, 1, 1 + k) };
          CmQuote quotes[2] = { { wanted[k], "said" }, { wanted[n_wanted - 1 - k], "" } };
          guint32 actor = wanted[k];

          /* An event with no actor has no group; one whose actor has
           * group i is drawn in group i. */
          cm_dataset_builder_add_event (builder, &event, NULL, 0, &actor, actor != CM_NONE,
                                        NULL, 0, quotes, 2, NULL, 0);
        }
      dataset = cm_dataset_builder_finish (g_steal_pointer (&builder));

      for (guint k = 0; k < n_wanted; k++)
        {
          const CmEvent *event = cm_dataset_get_event (dataset, k);
          g_autofree CmQuote *quotes = NULL;
          guint n_quotes;

          g_assert_cmpuint (cm_dataset_get_event_group (dataset, event), ==, wanted[k]);
          quotes = cm_dataset_dup_event_quotes (dataset, event, &n_quotes);
          g_assert_cmpuint (n_quotes, ==, 2);
          g_assert_cmpuint (quotes[0].actor, ==, wanted[k]);
          g_assert_cmpstr (quotes[0].text, ==, "said");
          g_assert_cmpuint (quotes[1].actor, ==, wanted[n_wanted - 1 - k]);
          g_assert_cmpstr (quotes[1].text, ==, "");
        }
    }
}

/* The text of item @i of the stores the tests fill: NULL, "", a word or
 * two, and now and then a text bigger than a block (or than four), so
 * that items end exactly on, straddle and span block boundaries. */
static char *
make_text (guint i)
{
  GString *text;

  if (i % 7 == 3)
    return NULL;
  if (i % 11 == 5)
    return g_strdup ("");
  text = g_string_new (NULL);
  if (i % 1009 == 17)
    {
      /* 40 KB, or 200 KB: one block, or past what a thread caches. */
      guint size = i % 2 ? 40 * 1024 : 200 * 1024;

      while (text->len < size)
        g_string_append_printf (text, "%u ", (guint) text->len ^ i);
    }
  else
    g_string_append_printf (text, "Item %u, %s talks, é ✓", i, i % 3 ? "trade" : "ceasefire");

  return g_string_free (text, FALSE);
}

static void
assert_item (CmTextStore *store,
             guint        i)
{
  g_autofree char *expected = make_text (i);
  g_autofree char *text = cm_text_store_dup (store, i);

  g_assert_cmpstr (text, ==, expected);
  g_assert_cmpint (cm_text_store_is_null (store, i), ==, expected == NULL);
}

#define N_ITEMS 20000

/* Every item reads back as it was given, NULL and "" told apart, in
 * order, in random order, while filling (from the pending block) and
 * after; and the texts take less room than they would plain. */
static void
test_text_store (void)
{
  g_autoptr(CmTextStore) store = cm_text_store_new ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (5);
  gsize plain = 0;

  g_assert_cmpuint (cm_text_store_get_n_items (store), ==, 0);
  for (guint i = 0; i < N_ITEMS; i++)
    {
      g_autofree char *text = make_text (i);

      g_assert_cmpuint (cm_text_store_append (store, text), ==, i);
      plain += text ? strlen (text) + 1 : 0;
      /* The last item (pending or just compressed) and an older one. */
      assert_item (store, i);
      if (i % 97 == 0)
        assert_item (store, g_rand_int_range (rand, 0, i + 1));
    }
  cm_text_store_finish (store);
  g_assert_cmpuint (cm_text_store_get_n_items (store), ==, N_ITEMS);
  g_assert_cmpuint (cm_text_store_get_text_size (store), ==, plain);
  g_assert_cmpuint (cm_text_store_get_memory_size (store), <, plain / 2);

  for (guint i = 0; i < N_ITEMS; i++)
    assert_item (store, i);
  for (guint i = N_ITEMS; i-- > 0;)
    assert_item (store, i);
  for (guint k = 0; k < 2000; k++)
    assert_item (store, g_rand_int_range (rand, 0, N_ITEMS));
}

/* Empty stores, a store of NULLs only, and a single text. */
static void
test_text_store_edges (void)
{
  g_autoptr(CmTextStore) empty = cm_text_store_new ();
  g_autoptr(CmTextStore) nulls = cm_text_store_new ();
  g_autoptr(CmTextStore) one = cm_text_store_new ();
  g_autofree char *text = NULL;

  cm_text_store_finish (empty);
  g_assert_cmpuint (cm_text_store_get_n_items (empty), ==, 0);

  for (guint i = 0; i < 100000; i++)
    cm_text_store_append (nulls, NULL);
  cm_text_store_finish (nulls);
  for (guint i = 0; i < 100000; i += 999)
    {
      g_assert_null (cm_text_store_dup (nulls, i));
      g_assert_true (cm_text_store_is_null (nulls, i));
    }

  cm_text_store_append (one, "");
  cm_text_store_finish (one);
  text = cm_text_store_dup (one, 0);
  g_assert_cmpstr (text, ==, "");
  g_assert_false (cm_text_store_is_null (one, 0));
}

static gpointer
read_items (gpointer data)
{
  CmTextStore *store = data;
  g_autoptr(GRand) rand = g_rand_new ();

  for (guint k = 0; k < 3000; k++)
    assert_item (store, g_rand_int_range (rand, 0, N_ITEMS));
  for (guint i = 0; i < N_ITEMS; i++)
    assert_item (store, i);

  return NULL;
}

/* A finished store is read by several threads at once, each with its own
 * cache, beside a second store whose blocks must never be mistaken for
 * the first's. */
static void
test_text_store_threads (void)
{
  g_autoptr(CmTextStore) store = cm_text_store_new ();
  g_autoptr(CmTextStore) other = cm_text_store_new ();
  GThread *threads[4];

  for (guint i = 0; i < N_ITEMS; i++)
    {
      g_autofree char *text = make_text (i);

      cm_text_store_append (store, text);
      cm_text_store_append (other, "another store");
    }
  cm_text_store_finish (store);
  cm_text_store_finish (other);

  for (guint t = 0; t < G_N_ELEMENTS (threads); t++)
    threads[t] = g_thread_new ("reader", read_items, store);
  for (guint i = 0; i < N_ITEMS; i += 13)
    {
      g_autofree char *text = cm_text_store_dup (other, i);

      g_assert_cmpstr (text, ==, "another store");
      assert_item (store, i);
    }
  for (guint t = 0; t < G_N_ELEMENTS (threads); t++)
    g_thread_join (threads[t]);
}

/* Summaries given to some events only, not all in a row, and quotes and
 * sources in varied numbers, NULL texts among them: each event reads
 * back its own. (The import tests write every fixture back as JSON and
 * compare, these included.) */
static void
test_summaries (void)
{
  g_autoptr(CmDatasetBuilder) builder = cm_dataset_builder_new ();
  g_autoptr(CmDataset) dataset = NULL;
  CmEvent event = { 0 };
  CmActor actor = { .id = "a", .name = "A", .group = CM_NONE };

  cm_dataset_builder_add_actor (builder, &actor, NULL, 0);
  for (guint i = 0; i < 5000; i++)
    {
      g_autofree char *id = g_strdup_printf ("e%u", i);
      g_autofree char *text = make_text (i);
      g_autofree char *other = make_text (i + 1);
      CmQuote quotes[2] = { { CM_NONE, text }, { 0, other } };
      CmLink sources[2] = { { "Report", other }, { NULL, text } };
      guint32 index;

      event.id = id;
      event.title = "Talks";
      event.start = day (2001, 1, 1 + i % 28);
      index = cm_dataset_builder_add_event (builder, &event, NULL, 0, NULL, 0, NULL, 0,
                                            quotes, i % 3, sources, i % 4 % 3);
      g_assert_cmpuint (index, ==, i);
      if (i % 5 != 0)
        cm_dataset_builder_set_event_summary (builder, index, text);
    }
  dataset = cm_dataset_builder_finish (g_steal_pointer (&builder));

  for (guint i = 0; i < 5000; i++)
    {
      const CmEvent *e = cm_dataset_get_event (dataset, i);
      g_autofree char *text = cm_dataset_dup_event_summary (dataset, e);
      g_autofree char *expected = make_text (i);
      g_autofree char *other = make_text (i + 1);
      g_autofree CmQuote *quotes = NULL;
      g_autofree CmLink *sources = NULL;
      guint n;

      g_assert_cmpstr (text, ==, i % 5 != 0 ? expected : NULL);

      quotes = cm_dataset_dup_event_quotes (dataset, e, &n);
      g_assert_cmpuint (n, ==, i % 3);
      g_assert_true ((quotes == NULL) == (n == 0));
      if (n > 0)
        {
          g_assert_cmpuint (quotes[0].actor, ==, CM_NONE);
          g_assert_cmpstr (quotes[0].text, ==, expected);
        }
      if (n > 1)
        {
          g_assert_cmpuint (quotes[1].actor, ==, 0);
          g_assert_cmpstr (quotes[1].text, ==, other);
        }

      sources = cm_dataset_dup_event_sources (dataset, e, &n);
      g_assert_cmpuint (n, ==, i % 4 % 3);
      if (n > 0)
        {
          g_assert_cmpstr (sources[0].title, ==, "Report");
          g_assert_cmpstr (sources[0].url, ==, other);
        }
      if (n > 1)
        {
          g_assert_null (sources[1].title);
          g_assert_cmpstr (sources[1].url, ==, expected);
        }
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/dataset/find", test_find);
  g_test_add_func ("/dataset/time-order", test_time_order);
  g_test_add_func ("/dataset/bisect", test_bisect);
  g_test_add_func ("/dataset/time-range", test_time_range);
  g_test_add_func ("/dataset/event-group", test_event_group);
  g_test_add_func ("/dataset/generated-order", test_generated_order);
  g_test_add_func ("/dataset/memory-size", test_memory_size);
  g_test_add_func ("/dataset/generated-derived", test_generated_derived);
  g_test_add_func ("/dataset/equal-titles", test_equal_titles);
  g_test_add_func ("/dataset/summaries", test_summaries);
  g_test_add_func ("/dataset/narrow-indexes", test_narrow_indexes);
  g_test_add_func ("/text-store/round-trip", test_text_store);
  g_test_add_func ("/text-store/edges", test_text_store_edges);
  g_test_add_func ("/text-store/threads", test_text_store_threads);

  return g_test_run ();
}
