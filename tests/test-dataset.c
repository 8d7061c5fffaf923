/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-test-dataset"

#include "config.h"

#include "cm-loader.h"
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

  cm_dataset_builder_expect_events (builder, 2);
  event.id = "a";
  event.title = title;
  event.summary = "Same";
  event.start = day (2001, 1, 1);
  cm_dataset_builder_add_event (builder, &event, NULL, 0, NULL, 0, NULL, 0, NULL, 0, NULL, 0);
  /* The builder copied the text: changing the caller's buffer changes
   * nothing. */
  title[0] = 'W';
  event.id = "b";
  cm_dataset_builder_add_event (builder, &event, NULL, 0, NULL, 0, NULL, 0, NULL, 0, NULL, 0);
  g_assert_cmpuint (cm_dataset_builder_get_n_events (builder), ==, 2);
  dataset = cm_dataset_builder_finish (g_steal_pointer (&builder));

  g_assert_cmpstr (cm_dataset_get_event (dataset, 0)->title, ==, "Talks");
  g_assert_cmpstr (cm_dataset_get_event (dataset, 1)->title, ==, "Walks");
  g_assert_cmpstr (cm_dataset_get_event (dataset, 1)->summary, ==, "Same");
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

  return g_test_run ();
}
