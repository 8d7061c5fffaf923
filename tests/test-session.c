/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-session"

#include "config.h"

#include "cm-session.h"
#include "cm-session-state.h"
#include "cm-search-index.h"
#include "cm-loader.h"
#include "generator.h"

/* A small dataset built by hand, so every expected set below can be
 * worked out on paper:
 *
 *   event  date        actors          places        tags
 *   e0     2025-02-17  macron, starmer paris         europe, summit
 *   e1     2025-02-18  rubio, lavrov   riyadh        diplomacy
 *   e2     2025-02-18  zelensky        ankara        diplomacy
 *   e3     2025-02     lavrov          moscow        -
 *   e4     2022-02-24  putin           kyiv, moscow  war
 */
static CmDataset *
make_dataset (void)
{
  g_autoptr(CmDatasetBuilder) builder = cm_dataset_builder_new ();
  const CmGroup groups[] = {
    { "us", "United States", 0x1c71d8, TRUE },
    { "ru", "Russia", 0xc01c28, TRUE },
    { "ua", "Ukraine", 0xe5a50a, TRUE },
    { "eu", "European states", 0x2ec27e, TRUE },
  };
  const struct { const char *id, *name; guint group; } actors[] = {
    { "rubio", "Marco Rubio", 0 },
    { "lavrov", "Sergei Lavrov", 1 },
    { "putin", "Vladimir Putin", 1 },
    { "zelensky", "Volodymyr Zelensky", 2 },
    { "macron", "Emmanuel Macron", 3 },
    { "starmer", "Keir Starmer", 3 },
  };
  const char *places[] = { "Paris", "Riyadh", "Ankara", "Moscow", "Kyiv" };
  const struct
  {
    const char *id, *title, *summary, *date;
    guint32 actors[2], n_actors, places[2], n_places;
    const char *tags[2];
    guint n_tags;
  } events[] = {
    { "e0", "Leaders meet at the Élysée", "An emergency summit in Paris.", "2025-02-17",
      { 4, 5 }, 2, { 0 }, 1, { "europe", "summit" }, 2 },
    { "e1", "Talks in Riyadh", "Four hours of talks without handshakes.", "2025-02-18",
      { 0, 1 }, 2, { 1 }, 1, { "diplomacy" }, 1 },
    { "e2", "Zelensky in Ankara", "A visit to Turkey.", "2025-02-18",
      { 3 }, 1, { 2 }, 1, { "diplomacy" }, 1 },
    { "e3", "Moscow welcomes the talks", NULL, "2025-02",
      { 1 }, 1, { 3 }, 1, { NULL }, 0 },
    { "e4", "Full-scale invasion", "Russia invades Ukraine.", "2022-02-24",
      { 2 }, 1, { 4, 3 }, 2, { "war" }, 1 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (groups); i++)
    cm_dataset_builder_add_group (builder, &groups[i]);
  for (guint i = 0; i < G_N_ELEMENTS (actors); i++)
    {
      CmActor actor = { .id = actors[i].id, .name = actors[i].name, .group = actors[i].group };
      cm_dataset_builder_add_actor (builder, &actor, NULL, 0);
    }
  for (guint i = 0; i < G_N_ELEMENTS (places); i++)
    {
      g_autofree char *id = g_ascii_strdown (places[i], -1);
      CmPlace place = { .id = id, .name = places[i] };
      cm_dataset_builder_add_place (builder, &place);
    }
  for (guint i = 0; i < G_N_ELEMENTS (events); i++)
    {
      CmEvent event = { .id = events[i].id, .title = events[i].title };
      guint32 index;
      g_autoptr(GError) error = NULL;

      g_assert_true (cm_time_parse (events[i].date, NULL, &event.start, &error));
      g_assert_no_error (error);
      index = cm_dataset_builder_add_event (builder, &event,
                                            events[i].places, events[i].n_places,
                                            events[i].actors, events[i].n_actors,
                                            events[i].tags, events[i].n_tags,
                                            NULL, 0, NULL, 0);
      cm_dataset_builder_set_event_summary (builder, index, events[i].summary);
    }

  return cm_dataset_builder_finish (g_steal_pointer (&builder));
}

/* The visible events as "e0 e2 ..." for readable assertions. */
static char *
visible_ids (CmSession *session)
{
  CmDataset *dataset = cm_session_get_dataset (session);
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < cm_dataset_get_n_events (dataset); i++)
    if (cm_session_is_event_visible (session, i))
      g_string_append_printf (out, "%s%s", out->len ? " " : "", cm_dataset_get_event (dataset, i)->id);

  return g_string_free (out, FALSE);
}

static void
count_signal_cb (gpointer  instance,
                 guint    *count)
{
  (*count)++;
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 guint      *count)
{
  (*count)++;
}

/* What the filter's rule says, event by event: in every facet with
 * choices, one of the event's values is chosen, and it overlaps the
 * range when there is one. */
static gboolean
passes_by_hand (CmDataset     *dataset,
                CmFilter      *filter,
                const CmEvent *event,
                gint64         from,
                gint64         to)
{
  const guint32 *refs;
  guint n;
  gboolean any;

  if ((from != G_MININT64 || to != G_MAXINT64) &&
      (event->undated || event->start.seconds >= to || cm_time_get_end (&event->end) <= from))
    return FALSE;
  if (cm_filter_get_n_chosen (filter, CM_FACET_GROUP) > 0)
    {
      refs = cm_dataset_get_event_actors (dataset, event, &n);
      any = FALSE;
      for (guint k = 0; k < n; k++)
        {
          guint32 group = cm_dataset_get_actor (dataset, refs[k])->group;

          any |= group != CM_NONE && cm_filter_get_value (filter, CM_FACET_GROUP, group);
        }
      if (!any)
        return FALSE;
    }
  for (CmFacet f = CM_FACET_ACTOR; f < CM_N_FACETS; f++)
    {
      if (cm_filter_get_n_chosen (filter, f) == 0)
        continue;
      refs = f == CM_FACET_ACTOR ? cm_dataset_get_event_actors (dataset, event, &n)
           : f == CM_FACET_PLACE ? cm_dataset_get_event_places (dataset, event, &n)
           : cm_dataset_get_event_tags (dataset, event, &n);
      any = FALSE;
      for (guint k = 0; k < n; k++)
        any |= cm_filter_get_value (filter, f, refs[k]);
      if (!any)
        return FALSE;
    }

  return TRUE;
}

/* The visible set, worked out from the indexes by actor and place, is
 * the rule's, whatever the choices. */
static void
test_filter_matches_rule (void)
{
  gsize length;
  g_autofree char *json = cm_generator_json (4000, 40, 60, 6, 21, &length);
  g_autoptr(GBytes) bytes = g_bytes_new_static (json, length);
  g_autoptr(GError) error = NULL;
  g_autoptr(CmDataset) dataset = cm_loader_load_bytes (bytes, "gen.json", NULL, &error);
  g_autoptr(GRand) rand = g_rand_new_with_seed (5);
  CmFilter *filter;
  gint64 min, max;

  g_assert_no_error (error);
  filter = cm_filter_new (dataset);
  g_assert_true (cm_dataset_get_time_range (dataset, &min, &max));

  for (guint round = 0; round < 40; round++)
    {
      const guint64 *visible;
      gint64 from = G_MININT64, to = G_MAXINT64;
      guint n_visible, n_expected = 0;

      cm_filter_clear (filter);
      for (CmFacet f = CM_FACET_GROUP; f < CM_N_FACETS; f++)
        if (g_rand_int_range (rand, 0, 3) == 0)
          for (guint c = g_rand_int_range (rand, 1, 4); c > 0; c--)
            cm_filter_set_value (filter, f,
                                 g_rand_int_range (rand, 0, cm_filter_get_n_values (filter, f)), TRUE);
      if (round % 4 == 3)
        {
          from = min + (max - min) / 4;
          to = from + (max - min) / 3;
          cm_filter_set_range (filter, from, to);
        }

      visible = cm_filter_get_visible (filter, &n_visible);
      for (guint i = 0; i < cm_dataset_get_n_events (dataset); i++)
        {
          gboolean expected = passes_by_hand (dataset, filter, cm_dataset_get_event (dataset, i),
                                              from, to);

          g_assert_cmpint ((visible[i / 64] >> (i % 64)) & 1, ==, expected);
          g_assert_cmpint (cm_filter_is_visible (filter, i), ==, expected);
          n_expected += expected;
        }
      g_assert_cmpuint (n_visible, ==, n_expected);
    }

  cm_filter_free (filter);
}

static void
test_filter_facets (void)
{
  g_autoptr(CmDataset) dataset = make_dataset ();
  g_autoptr(CmSession) session = cm_session_new ();
  g_autofree char *ids = NULL;
  guint changes = 0;

  cm_session_set_dataset (session, dataset);
  g_signal_connect (session, "filter-changed", G_CALLBACK (count_signal_cb), &changes);

  ids = visible_ids (session);
  g_assert_cmpstr (ids, ==, "e0 e1 e2 e3 e4");
  g_assert_cmpuint (cm_session_get_n_visible (session), ==, 5);

  /* OR within a kind: Russia or Ukraine. */
  cm_session_set_filter_value (session, CM_FACET_GROUP, cm_dataset_find_group (dataset, "ru"), TRUE);
  g_clear_pointer (&ids, g_free);
  ids = visible_ids (session);
  g_assert_cmpstr (ids, ==, "e1 e3 e4");
  cm_session_set_filter_value (session, CM_FACET_GROUP, cm_dataset_find_group (dataset, "ua"), TRUE);
  g_clear_pointer (&ids, g_free);
  ids = visible_ids (session);
  g_assert_cmpstr (ids, ==, "e1 e2 e3 e4");

  /* AND across kinds: ... and tagged diplomacy. */
  for (guint t = 0; t < cm_dataset_get_n_tags (dataset); t++)
    if (g_str_equal (cm_dataset_get_tag (dataset, t), "diplomacy"))
      cm_session_set_filter_value (session, CM_FACET_TAG, t, TRUE);
  g_clear_pointer (&ids, g_free);
  ids = visible_ids (session);
  g_assert_cmpstr (ids, ==, "e1 e2");
  g_assert_cmpuint (cm_session_get_n_visible (session), ==, 2);

  /* Choosing what is chosen changes nothing and says nothing. */
  g_assert_cmpuint (changes, ==, 3);
  cm_session_set_filter_value (session, CM_FACET_GROUP, cm_dataset_find_group (dataset, "ua"), TRUE);
  g_assert_cmpuint (changes, ==, 3);

  /* Places: Moscow. e4 has two places; it matches on its second. */
  cm_session_clear_filter (session);
  g_assert_cmpuint (changes, ==, 4);
  g_assert_false (cm_filter_is_active (cm_session_get_filter (session)));
  cm_session_set_filter_value (session, CM_FACET_PLACE, cm_dataset_find_place (dataset, "moscow"), TRUE);
  g_clear_pointer (&ids, g_free);
  ids = visible_ids (session);
  g_assert_cmpstr (ids, ==, "e3 e4");
}

static void
test_filter_range (void)
{
  g_autoptr(CmDataset) dataset = make_dataset ();
  g_autoptr(CmSession) session = cm_session_new ();
  g_autofree char *ids = NULL;
  CmTime from, to;

  cm_session_set_dataset (session, dataset);
  g_assert_true (cm_time_parse ("2025-02-18", NULL, &from, NULL));
  g_assert_true (cm_time_parse ("2025-02-19", NULL, &to, NULL));

  /* e3 is known only to the month: it overlaps the 18th. */
  cm_session_set_filter_range (session, from.seconds, to.seconds);
  ids = visible_ids (session);
  g_assert_cmpstr (ids, ==, "e1 e2 e3");

  cm_session_set_filter_range (session, G_MININT64, from.seconds);
  g_clear_pointer (&ids, g_free);
  ids = visible_ids (session);
  g_assert_cmpstr (ids, ==, "e0 e3 e4");
}

static void
count_ready_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static CmFilter *
count_in_worker (CmFilter     *filter,
                 GCancellable *cancellable,
                 GError      **error)
{
  GAsyncResult *result = NULL;
  CmFilter *counted;

  cm_filter_count_async (filter, cancellable, count_ready_cb, &result);
  /* What the filter chooses after the call does not reach the count. */
  cm_filter_set_value (filter, CM_FACET_GROUP, 0, !cm_filter_get_value (filter, CM_FACET_GROUP, 0));
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  counted = cm_filter_count_finish (result, error);
  g_object_unref (result);
  return counted;
}

/* Counts made in a worker, for a copy of the filter, are those the
 * filter gives on the spot for the same choices; a cancelled count gives
 * nothing. */
static void
test_filter_counts_async (void)
{
  gsize length;
  g_autofree char *json = cm_generator_json (4000, 40, 60, 6, 21, &length);
  g_autoptr(GBytes) bytes = g_bytes_new_static (json, length);
  g_autoptr(GError) error = NULL;
  g_autoptr(CmDataset) dataset = cm_loader_load_bytes (bytes, "gen.json", NULL, &error);
  g_autoptr(CmFilter) filter = NULL;
  g_autoptr(CmFilter) same = NULL;
  g_autoptr(CmFilter) counted = NULL;
  g_autoptr(CmFilter) cancelled = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  gint64 min, max;

  g_assert_no_error (error);
  g_assert_true (cm_dataset_get_time_range (dataset, &min, &max));
  filter = cm_filter_new (dataset);
  same = cm_filter_new (dataset);
  for (guint i = 0; i < 2; i++)
    {
      CmFilter *f = i == 0 ? filter : same;

      cm_filter_set_value (f, CM_FACET_GROUP, 1, TRUE);
      cm_filter_set_value (f, CM_FACET_TAG, 2, TRUE);
      cm_filter_set_range (f, min + (max - min) / 5, max - (max - min) / 5);
    }

  counted = count_in_worker (filter, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (counted);
  g_assert_false (cm_filter_get_value (counted, CM_FACET_GROUP, 0));
  for (CmFacet f = CM_FACET_GROUP; f < CM_N_FACETS; f++)
    {
      guint n = cm_filter_get_n_values (same, f);
      g_autofree guint *expected = g_new (guint, MAX (n, 1));
      g_autofree guint *got = g_new (guint, MAX (n, 1));
      guint total = 0;

      cm_filter_get_counts (same, f, expected);
      cm_filter_get_counts (counted, f, got);
      for (guint v = 0; v < n; v++)
        {
          g_assert_cmpuint (got[v], ==, expected[v]);
          total += got[v];
        }
      g_assert_cmpuint (total, >, 0);
    }

  g_cancellable_cancel (cancellable);
  cancelled = count_in_worker (filter, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (cancelled);
}

static void
test_filter_counts (void)
{
  g_autoptr(CmDataset) dataset = make_dataset ();
  g_autoptr(CmSession) session = cm_session_new ();
  CmFilter *filter;
  guint groups[4], tags[8];
  guint ru = cm_dataset_find_group (dataset, "ru");
  guint eu = cm_dataset_find_group (dataset, "eu");
  guint us = cm_dataset_find_group (dataset, "us");

  cm_session_set_dataset (session, dataset);
  filter = cm_session_get_filter (session);
  g_assert_cmpuint (cm_filter_get_n_values (filter, CM_FACET_GROUP), ==, 4);

  /* e0 has two European actors: it counts once for its group. */
  cm_filter_get_counts (filter, CM_FACET_GROUP, groups);
  g_assert_cmpuint (groups[eu], ==, 1);
  g_assert_cmpuint (groups[ru], ==, 3);
  g_assert_cmpuint (groups[us], ==, 1);

  /* A group filter does not change the group counts (OR within a
   * kind), but changes the tag counts (AND across kinds). */
  cm_session_set_filter_value (session, CM_FACET_GROUP, ru, TRUE);
  cm_filter_get_counts (filter, CM_FACET_GROUP, groups);
  g_assert_cmpuint (groups[eu], ==, 1);
  g_assert_cmpuint (groups[ru], ==, 3);
  g_assert_cmpuint (cm_dataset_get_n_tags (dataset), <=, G_N_ELEMENTS (tags));
  cm_filter_get_counts (filter, CM_FACET_TAG, tags);
  for (guint t = 0; t < cm_dataset_get_n_tags (dataset); t++)
    {
      const char *tag = cm_dataset_get_tag (dataset, t);
      guint expected = g_str_equal (tag, "diplomacy") || g_str_equal (tag, "war") ? 1 : 0;

      g_assert_cmpuint (tags[t], ==, expected);
    }
}

static void
test_search_normalize (void)
{
  const struct { const char *in, *out; } cases[] = {
    { "Élysée", "elysee" },
    { "ZELENSKY", "zelensky" },
    { "Erdoğan", "erdogan" },
    { "Straße", "strasse" },
    /* ї is і with a diaeresis: folded like any accent. */
    { "Kyiv – Київ", "kyiv – ки\u0456в" },
    { "", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *normalized = cm_normalize_text (cases[i].in);
      g_assert_cmpstr (normalized, ==, cases[i].out);
    }
}

static void
wait_for_search_index (CmDataset *dataset)
{
  while (cm_search_index_peek (dataset) == NULL)
    g_main_context_iteration (NULL, TRUE);
}

static void
test_search (void)
{
  g_autoptr(CmDataset) dataset = make_dataset ();
  g_autoptr(CmSession) session = cm_session_new ();
  g_autofree char *ids = NULL;
  guint changes = 0;

  cm_session_set_dataset (session, dataset);
  g_signal_connect (session, "filter-changed", G_CALLBACK (count_signal_cb), &changes);

  /* Typed before the index is ready: nothing matches yet, nothing waits,
   * and the results come with a filter-changed when it is. */
  if (cm_search_index_peek (dataset) == NULL)
    {
      cm_session_set_search (session, "ELYSEE");
      g_assert_true (cm_filter_is_search_pending (cm_session_get_filter (session)));
      g_assert_cmpuint (cm_session_get_n_visible (session), ==, 0);
      g_assert_cmpuint (changes, ==, 1);
      wait_for_search_index (dataset);
      g_assert_cmpuint (changes, ==, 2);
      g_assert_false (cm_filter_is_search_pending (cm_session_get_filter (session)));
    }

  /* Accents and case in the query and the text are ignored. */
  cm_session_set_search (session, "ELYSEE");
  ids = visible_ids (session);
  g_assert_cmpstr (ids, ==, "e0");

  /* Actor names count: Lavrov is in e1 and e3, not in their text. */
  cm_session_set_search (session, "lavrov");
  g_clear_pointer (&ids, g_free);
  ids = visible_ids (session);
  g_assert_cmpstr (ids, ==, "e1 e3");

  /* Place names count, and every word must match. */
  cm_session_set_search (session, "moscow invades");
  g_clear_pointer (&ids, g_free);
  ids = visible_ids (session);
  g_assert_cmpstr (ids, ==, "e4");

  /* Tags count; the search combines with the filter. */
  cm_session_set_search (session, "diplomacy");
  cm_session_set_filter_value (session, CM_FACET_ACTOR, cm_dataset_find_actor (dataset, "zelensky"), TRUE);
  g_clear_pointer (&ids, g_free);
  ids = visible_ids (session);
  g_assert_cmpstr (ids, ==, "e2");

  cm_session_set_search (session, "nothing like this");
  g_assert_cmpuint (cm_session_get_n_visible (session), ==, 0);

  /* Blank clears the search. */
  cm_session_set_search (session, "   ");
  g_assert_null (cm_filter_get_search (cm_session_get_filter (session)));
  g_assert_cmpuint (cm_session_get_n_visible (session), ==, 1);
}

static CmDataset *
load_generated (guint n_events)
{
  gsize length;
  g_autofree char *json = cm_generator_json (n_events, 200, 300, 8, 1, &length);
  g_autoptr(GBytes) bytes = g_bytes_new_take (g_steal_pointer (&json), length);
  g_autoptr(GError) error = NULL;
  CmDataset *dataset = cm_loader_load_bytes (bytes, "generated.json", NULL, &error);

  g_assert_no_error (error);
  return dataset;
}

/* Filters made and freed (the filter panel makes one per facet for its
 * counts) start no index build; switching datasets cancels the build of
 * the old one rather than waiting for it. */
static void
test_search_index_lazy (void)
{
  g_autoptr(CmDataset) first = load_generated (20000);
  g_autoptr(CmDataset) second = make_dataset ();
  g_autoptr(CmSession) session = cm_session_new ();

  for (guint i = 0; i < 10; i++)
    {
      g_autoptr(CmFilter) filter = cm_filter_new (first);

      cm_filter_set_value (filter, CM_FACET_GROUP, 0, TRUE);
    }
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_null (cm_search_index_peek (first));

  cm_session_set_dataset (session, first);
  cm_session_set_dataset (session, second);
  wait_for_search_index (second);
  /* The first build was cancelled: it never lands, whenever it stopped. */
  for (guint i = 0; i < 50; i++)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (2000);
    }
  g_assert_null (cm_search_index_peek (first));
}

static void
test_history (void)
{
  g_autoptr(CmDataset) dataset = make_dataset ();
  g_autoptr(CmSession) session = cm_session_new ();
  guint selections = 0;

  guint back_notifies = 0;

  cm_session_set_dataset (session, dataset);
  g_signal_connect (session, "selection-changed", G_CALLBACK (count_signal_cb), &selections);
  g_signal_connect (session, "notify::can-go-back", G_CALLBACK (count_notify_cb), &back_notifies);
  g_assert_false (cm_session_can_go_back (session));
  g_assert_false (cm_session_go_back (session));

  cm_session_select (session, CM_SELECTION_EVENT, 1);
  g_assert_cmpuint (back_notifies, ==, 0);
  cm_session_select (session, CM_SELECTION_ACTOR, 2);
  /* The Back button must learn it can now be used. */
  g_assert_cmpuint (back_notifies, ==, 1);
  cm_session_select (session, CM_SELECTION_PLACE, 3);
  g_assert_cmpuint (selections, ==, 3);
  g_assert_true (cm_session_can_go_back (session));
  g_assert_false (cm_session_can_go_forward (session));

  g_assert_true (cm_session_go_back (session));
  g_assert_cmpint (cm_session_get_selection_kind (session), ==, CM_SELECTION_ACTOR);
  g_assert_cmpuint (cm_session_get_selection_index (session), ==, 2);
  g_assert_cmpuint (cm_session_get_selected_event (session), ==, CM_NONE);
  g_assert_true (cm_session_go_back (session));
  g_assert_cmpuint (cm_session_get_selected_event (session), ==, 1);
  g_assert_false (cm_session_can_go_back (session));
  g_assert_true (cm_session_go_forward (session));
  g_assert_cmpint (cm_session_get_selection_kind (session), ==, CM_SELECTION_ACTOR);

  /* A new selection drops what was ahead. */
  cm_session_select (session, CM_SELECTION_EVENT, 4);
  g_assert_false (cm_session_can_go_forward (session));
  g_assert_cmpuint (selections, ==, 7);

  /* Out of range selects nothing; a new dataset clears everything. */
  cm_session_select (session, CM_SELECTION_EVENT, 99);
  g_assert_cmpint (cm_session_get_selection_kind (session), ==, CM_SELECTION_NONE);
  cm_session_set_dataset (session, NULL);
  g_assert_false (cm_session_can_go_back (session));
  g_assert_null (cm_session_get_filter (session));
}

static void
test_state_round_trip (void)
{
  g_autoptr(CmDataset) dataset = make_dataset ();
  g_autoptr(CmDataset) again = make_dataset ();
  g_autoptr(CmSession) session = cm_session_new ();
  g_autoptr(CmSession) reopened = cm_session_new ();
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *data = NULL;
  CmTime from;

  cm_session_set_dataset (session, dataset);
  wait_for_search_index (dataset);
  cm_session_set_filter_value (session, CM_FACET_GROUP, cm_dataset_find_group (dataset, "ru"), TRUE);
  cm_session_set_filter_value (session, CM_FACET_GROUP, cm_dataset_find_group (dataset, "eu"), TRUE);
  g_assert_true (cm_time_parse ("2025", NULL, &from, NULL));
  cm_session_set_filter_range (session, from.seconds, G_MAXINT64);
  cm_session_set_search (session, "talks");
  cm_session_select (session, CM_SELECTION_ACTOR, cm_dataset_find_actor (dataset, "lavrov"));
  before = visible_ids (session);
  g_assert_cmpstr (before, ==, "e1 e3");

  cm_session_state_save (session, key_file, "file:///talks.json");
  /* Through text, as it goes to disk. */
  data = g_key_file_to_data (key_file, NULL, NULL);
  g_key_file_free (g_steal_pointer (&key_file));
  key_file = g_key_file_new ();
  g_assert_true (g_key_file_load_from_data (key_file, data, -1, G_KEY_FILE_NONE, NULL));

  /* A new session on a new load of the same file gets it all back. */
  cm_session_set_dataset (reopened, again);
  wait_for_search_index (again);
  g_assert_false (cm_session_state_restore (reopened, key_file, "file:///other.json"));
  g_assert_true (cm_session_state_restore (reopened, key_file, "file:///talks.json"));
  after = visible_ids (reopened);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpstr (cm_filter_get_search (cm_session_get_filter (reopened)), ==, "talks");
  g_assert_cmpint (cm_session_get_selection_kind (reopened), ==, CM_SELECTION_ACTOR);
  g_assert_cmpuint (cm_session_get_selection_index (reopened), ==, cm_dataset_find_actor (again, "lavrov"));
  g_assert_true (cm_filter_get_value (cm_session_get_filter (reopened), CM_FACET_GROUP,
                                      cm_dataset_find_group (again, "eu")));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/session/filter/facets", test_filter_facets);
  g_test_add_func ("/session/filter/matches-rule", test_filter_matches_rule);
  g_test_add_func ("/session/filter/range", test_filter_range);
  g_test_add_func ("/session/filter/counts", test_filter_counts);
  g_test_add_func ("/session/filter/counts-async", test_filter_counts_async);
  g_test_add_func ("/session/search/normalize", test_search_normalize);
  g_test_add_func ("/session/search/match", test_search);
  g_test_add_func ("/session/search/index-lazy", test_search_index_lazy);
  g_test_add_func ("/session/history", test_history);
  g_test_add_func ("/session/state/round-trip", test_state_round_trip);

  return g_test_run ();
}
