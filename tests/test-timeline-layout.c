/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-test"

#include "config.h"

#include <cairo.h>
#include <math.h>

#include "cm-loader.h"
#include "cm-time.h"
#include "cm-timeline-layout.h"
#include "cm-timeline-layout-private.h"
#include "generator.h"

/* Datasets ------------------------------------------------------------- */

static CmTime
make_time (gint64      year,
           int         month,
           int         day,
           int         hour,
           int         minute,
           CmPrecision precision)
{
  CmTime time = { 0, };

  time.seconds = cm_time_from_civil (year, month, day, hour, minute, 0);
  time.precision = precision;
  return time;
}

static guint32
add_event (CmDatasetBuilder *builder,
           const char       *id,
           const char       *title,
           CmTime            start,
           const guint32    *actors,
           guint             n_actors,
           const guint32    *places,
           guint             n_places)
{
  CmEvent event = { 0, };

  event.id = id;
  event.title = title;
  event.start = start;
  event.end = start;
  return cm_dataset_builder_add_event (builder, &event, places, n_places, actors, n_actors,
                                       NULL, 0, NULL, 0, NULL, 0);
}

/* Two groups, three actors (one without a group), two places, and events
 * with zero, one or two actors. */
static CmDataset *
create_small_dataset (void)
{
  CmDatasetBuilder *builder = cm_dataset_builder_new ();
  CmGroup group = { 0, };
  CmActor actor = { 0, };
  CmPlace place = { 0, };
  CmPeriod period = { 0, };
  guint32 a[3], p[2];

  group.id = "ga", group.name = "Group A", group.color = 0x1c71d8, group.has_color = TRUE;
  cm_dataset_builder_add_group (builder, &group);
  group.id = "gb", group.name = "Group B", group.has_color = FALSE;
  cm_dataset_builder_add_group (builder, &group);

  actor.id = "a1", actor.name = "Actor One", actor.group = 0;
  a[0] = cm_dataset_builder_add_actor (builder, &actor, NULL, 0);
  actor.id = "a2", actor.name = "Actor Two", actor.group = 1;
  a[1] = cm_dataset_builder_add_actor (builder, &actor, NULL, 0);
  actor.id = "a3", actor.name = "Actor Three", actor.group = CM_NONE;
  a[2] = cm_dataset_builder_add_actor (builder, &actor, NULL, 0);

  place.id = "p1", place.name = "Riyadh";
  p[0] = cm_dataset_builder_add_place (builder, &place);
  place.id = "p2", place.name = "Kyiv";
  p[1] = cm_dataset_builder_add_place (builder, &place);

  period.id = "war", period.title = "Full-scale war";
  period.start = make_time (2022, 2, 24, 0, 0, CM_PRECISION_DAY);
  cm_dataset_builder_add_period (builder, &period);

  /* e0: two actors of two groups, two places */
  add_event (builder, "e0", "Talks in Riyadh", make_time (2025, 2, 18, 10, 0, CM_PRECISION_MINUTE),
             a, 2, p, 2);
  /* e1: an actor without a group */
  add_event (builder, "e1", "Statement", make_time (2025, 2, 12, 0, 0, CM_PRECISION_DAY),
             a + 2, 1, p + 1, 1);
  /* e2: no actor, no place, known to the month */
  add_event (builder, "e2", "Month event", make_time (2024, 11, 1, 0, 0, CM_PRECISION_MONTH),
             NULL, 0, NULL, 0);
  add_event (builder, "e3", "Earlier", make_time (2022, 2, 24, 4, 0, CM_PRECISION_MINUTE),
             a + 1, 1, p, 1);

  return cm_dataset_builder_finish (builder);
}

/* @n events at random minutes of 2000-2020 in @n_groups groups, titles of
 * varied length. Deterministic. */
static CmDataset *
create_random_dataset (guint n,
                       guint n_groups,
                       guint32 seed)
{
  static const char *const words[] = {
    "talks", "summit", "ceasefire", "sanctions", "treaty", "meeting", "statement",
    "offensive", "aid", "vote", "envoy", "briefing",
  };
  CmDatasetBuilder *builder = cm_dataset_builder_new ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  gint64 from = cm_time_from_civil (2000, 1, 1, 0, 0, 0);
  gint64 to = cm_time_from_civil (2020, 1, 1, 0, 0, 0);

  for (guint g = 0; g < n_groups; g++)
    {
      g_autofree char *id = g_strdup_printf ("g%u", g);
      g_autofree char *name = g_strdup_printf ("Group %u", g);
      CmGroup group = { id, name, 0, FALSE };
      CmActor actor = { 0, };

      cm_dataset_builder_add_group (builder, &group);
      actor.id = id, actor.name = name, actor.group = g;
      cm_dataset_builder_add_actor (builder, &actor, NULL, 0);
    }

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *id = g_strdup_printf ("e%u", i);
      g_autoptr(GString) title = g_string_new (NULL);
      guint32 actor = g_rand_int_range (rand, 0, n_groups);
      CmEvent event = { 0, };
      guint n_words = g_rand_int_range (rand, 1, 6);

      for (guint w = 0; w < n_words; w++)
        g_string_append_printf (title, "%s%s", w ? " " : "",
                                words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))]);
      event.id = id;
      event.title = title->str;
      event.start.seconds = from + (gint64) (g_rand_double (rand) * (to - from)) / 60 * 60;
      event.start.precision = g_rand_int_range (rand, 0, 10) == 0 ? CM_PRECISION_MONTH : CM_PRECISION_MINUTE;
      if (event.start.precision == CM_PRECISION_MONTH)
        {
          gint64 year;
          int month;

          cm_time_to_civil (event.start.seconds, &year, &month, NULL, NULL, NULL, NULL);
          event.start.seconds = cm_time_from_civil (year, month, 1, 0, 0, 0);
        }
      event.end = event.start;
      if (g_rand_int_range (rand, 0, 8) == 0)
        {
          event.has_end = TRUE;
          event.end.seconds += g_rand_int_range (rand, 1, 400) * 86400;
        }
      cm_dataset_builder_add_event (builder, &event, NULL, 0, &actor, 1, NULL, 0, NULL, 0, NULL, 0);
    }

  return cm_dataset_builder_finish (builder);
}

static CmTimelineLayout *
create_layout (CmDataset *dataset,
               int        width,
               int        height)
{
  CmTimelineLayout *layout = cm_timeline_layout_new ();

  cm_timeline_layout_set_dataset (layout, dataset);
  cm_timeline_layout_set_font (layout, "Sans 10");
  cm_timeline_layout_set_size (layout, width, height);
  return layout;
}

/* The ticks of a layout over [t0, t1) at 1000 px, built into a scene. */
static CmTimelineLayout *
build_ticks (gint64       t0,
             gint64       t1,
             gint32       offset,
             const CmTimelineTick **ticks,
             guint       *n_ticks)
{
  CmTimelineLayout *layout = create_layout (NULL, 1000, 300);
  g_autoptr(CmScene) scene = cm_scene_new (1, 1);

  cm_timeline_layout_set_axis_offset (layout, offset);
  cm_timeline_layout_set_range (layout, t0, t1);
  cm_timeline_layout_build (layout, scene);
  *ticks = cm_timeline_layout_get_ticks (layout, n_ticks);
  return layout;
}

static gboolean
has_tick_label (const CmTimelineTick *ticks,
                guint                 n,
                gboolean              major,
                const char           *label)
{
  for (guint i = 0; i < n; i++)
    if (ticks[i].major == major && g_str_equal (ticks[i].label, label))
      return TRUE;
  return FALSE;
}

/* Minor ticks increase, lie in the range, are far enough apart for
 * labels, and are neither too few nor too many. */
static void
check_minor_ticks (const CmTimelineTick *ticks,
                   guint                 n,
                   gint64                t0,
                   gint64                t1)
{
  guint n_minor = 0;
  double last_x = -G_MAXDOUBLE;

  for (guint i = 0; i < n; i++)
    {
      if (ticks[i].major)
        continue;
      n_minor++;
      g_assert_cmpint (ticks[i].time, >=, t0);
      g_assert_cmpint (ticks[i].time, <=, t1);
      g_assert_cmpstr (ticks[i].label, !=, "");
      g_assert_cmpfloat (ticks[i].x - last_x, >=, 20);
      last_x = ticks[i].x;
    }
  g_assert_cmpuint (n_minor, >=, 2);
  g_assert_cmpuint (n_minor, <=, 60);
}

/* With CHRONOMAP_TEST_DUMP=DIR, writes @scene to DIR/NAME.png to look at. */
static void
dump_scene (CmScene    *scene,
            const char *name)
{
  const char *dir = g_getenv ("CHRONOMAP_TEST_DUMP");
  g_autofree char *file = NULL;
  g_autofree char *path = NULL;
  cairo_surface_t *surface;
  cairo_t *cr;

  if (dir == NULL)
    return;
  file = g_strconcat (name, ".png", NULL);
  path = g_build_filename (dir, file, NULL);
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, cm_scene_get_width (scene),
                                        cm_scene_get_height (scene));
  cr = cairo_create (surface);
  cm_scene_render_cairo (scene, cr);
  cairo_destroy (cr);
  cairo_surface_write_to_png (surface, path);
  cairo_surface_destroy (surface);
}

/* Tests ----------------------------------------------------------------- */

static void
test_ticks_levels (void)
{
  struct
  {
    gint64      span;           /* seconds */
    const char *minor_example;
    const char *major_example;  /* NULL: not checked */
  } cases[] = {
    { 30 * 60,           "10:10",   "18 February 2025" },
    { 6 * 3600,          "12:00",   "18 February 2025" },
    { 3 * 86400,         "12:00",   "19 February 2025" },
    { 20 * 86400,        "21",      "February 2025" },
    { 200 * 86400,       "11",      "April 2025" },
    { 700 * 86400,       "Jul",     "2026" },
    { 3 * 31556952LL,    NULL,      "2026" },
    { 30 * 31556952LL,   "2030",    NULL },
    { 300 * 31556952LL,  "2100",    NULL },
    { 3000 * 31556952LL, "3000",    NULL },
  };
  gint64 t0 = cm_time_from_civil (2025, 2, 18, 10, 0, 0);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const CmTimelineTick *ticks;
      guint n;
      g_autoptr(CmTimelineLayout) layout = build_ticks (t0, t0 + cases[i].span, 0, &ticks, &n);

      g_test_message ("span %" G_GINT64_FORMAT " s", cases[i].span);
      for (guint k = 0; k < n; k++)
        g_test_message ("  %s %s", ticks[k].major ? "major" : "minor", ticks[k].label);
      check_minor_ticks (ticks, n, t0, t0 + cases[i].span);
      if (cases[i].minor_example)
        g_assert_true (has_tick_label (ticks, n, FALSE, cases[i].minor_example));
      if (cases[i].major_example)
        g_assert_true (has_tick_label (ticks, n, TRUE, cases[i].major_example));
    }
}

static void
test_ticks_bce (void)
{
  const CmTimelineTick *ticks;
  guint n;
  gint64 t0 = cm_time_from_civil (-620, 1, 1, 0, 0, 0);
  gint64 t1 = cm_time_from_civil (-400, 1, 1, 0, 0, 0);
  g_autoptr(CmTimelineLayout) layout = build_ticks (t0, t1, 0, &ticks, &n);
  gboolean found = FALSE;

  check_minor_ticks (ticks, n, t0, t1);
  for (guint i = 0; i < n; i++)
    if (!ticks[i].major && g_str_equal (ticks[i].label, "500 BCE"))
      {
        /* 500 BCE is astronomical year -499. */
        g_assert_cmpint (ticks[i].time, ==, cm_time_from_civil (-499, 1, 1, 0, 0, 0));
        found = TRUE;
      }
  g_assert_true (found);
  g_assert_true (has_tick_label (ticks, n, TRUE, "5th century BCE"));
  for (guint i = 0; i < n; i++)
    g_assert_null (strchr (ticks[i].label, '-'));
}

static void
test_ticks_era_boundary (void)
{
  const CmTimelineTick *ticks;
  guint n;
  gint64 t0 = cm_time_from_civil (-30, 1, 1, 0, 0, 0);
  gint64 t1 = cm_time_from_civil (30, 1, 1, 0, 0, 0);
  g_autoptr(CmTimelineLayout) layout = build_ticks (t0, t1, 0, &ticks, &n);
  gint64 last = G_MININT64;

  check_minor_ticks (ticks, n, t0, t1);
  g_assert_true (has_tick_label (ticks, n, FALSE, "10 BCE"));
  g_assert_true (has_tick_label (ticks, n, FALSE, "10"));
  for (guint i = 0; i < n; i++)
    {
      /* There is no year 0 on a historian's axis. */
      g_assert_cmpstr (ticks[i].label, !=, "0");
      if (!ticks[i].major)
        {
          g_assert_cmpint (ticks[i].time, >, last);
          last = ticks[i].time;
        }
    }
}

static void
test_ticks_deep_time (void)
{
  const CmTimelineTick *ticks;
  guint n;
  gint64 t0 = cm_time_from_civil (-20000, 1, 1, 0, 0, 0);
  gint64 t1 = cm_time_from_civil (2000, 1, 1, 0, 0, 0);
  g_autoptr(CmTimelineLayout) layout = build_ticks (t0, t1, 0, &ticks, &n);

  check_minor_ticks (ticks, n, t0, t1);
  g_assert_true (has_tick_label (ticks, n, FALSE, "10000 BCE"));
}

/* Cosmological timelines: from the Big Bang to today the axis counts in
 * billions of years, readable, every tick where its label says; zoomed in
 * on deep time, millions, with no two ticks saying the same. */
static void
test_ticks_cosmological (void)
{
  struct
  {
    gint64      from, to;       /* years */
    const char *example;
  } cases[] = {
    { G_GINT64_CONSTANT (-13799999999), 2026, "10bn years ago" },
    { G_GINT64_CONSTANT (-4599999999), G_GINT64_CONSTANT (-3999999999), "4.2bn years ago" },
    { -70000000, -60000000, "66m years ago" },
    { -1000500, -999000, "1.0005m years ago" },
    { CM_TIME_MIN_YEAR, CM_TIME_MAX_YEAR, "10bn years ago" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const CmTimelineTick *ticks;
      guint n;
      gint64 t0 = cm_time_from_civil (cases[i].from, 1, 1, 0, 0, 0);
      gint64 t1 = cm_time_from_civil (cases[i].to, 1, 1, 0, 0, 0);
      g_autoptr(CmTimelineLayout) layout = build_ticks (t0, t1, 0, &ticks, &n);
      CmRect plot;

      g_test_message ("years %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT, cases[i].from,
                      cases[i].to);
      for (guint k = 0; k < n; k++)
        g_test_message ("  %s %s", ticks[k].major ? "major" : "minor", ticks[k].label);
      check_minor_ticks (ticks, n, t0, t1);
      g_assert_true (has_tick_label (ticks, n, FALSE, cases[i].example));

      cm_timeline_layout_get_plot_area (layout, &plot);
      g_assert_cmpfloat (fabs (cm_timeline_layout_time_to_x (layout, t0) - plot.x), <, 1);
      g_assert_cmpfloat (fabs (cm_timeline_layout_time_to_x (layout, t1) - (plot.x + plot.width)),
                         <, 1);
      for (guint k = 0; k < n; k++)
        {
          gint64 year;

          /* No 11-digit numbers nor minus signs: deep time reads in words. */
          g_assert_null (strchr (ticks[k].label, '-'));
          g_assert_cmpuint (strlen (ticks[k].label), <=, 20);
          g_assert_cmpfloat (ticks[k].x, >=, plot.x - 1);
          g_assert_cmpfloat (ticks[k].x, <=, plot.x + plot.width + 1);
          if (ticks[k].major)
            continue;
          /* Each tick sits on its label's year (the BCE number's round
           * figure), and no two say the same. */
          cm_time_to_civil (ticks[k].time, &year, NULL, NULL, NULL, NULL, NULL);
          {
            g_autofree char *label = cm_time_format_year (year, TRUE);

            g_assert_cmpstr (label, ==, ticks[k].label);
          }
          for (guint j = k + 1; j < n; j++)
            if (!ticks[j].major)
              g_assert_cmpstr (ticks[k].label, !=, ticks[j].label);
        }
    }
}

/* The axis is labelled in one fixed offset: across the Kyiv spring DST
 * change (2025-03-30 03:00 EET -> 04:00 EEST) hours neither repeat nor
 * vanish, and ticks are evenly spaced. */
static void
test_ticks_dst (void)
{
  const CmTimelineTick *ticks;
  guint n, n_minor = 0;
  gint32 offset = 2 * 3600;
  gint64 t0 = cm_time_from_civil (2025, 3, 30, 0, 0, 0) - offset;
  gint64 t1 = t0 + 8 * 3600;
  g_autoptr(CmTimelineLayout) layout = build_ticks (t0, t1, offset, &ticks, &n);
  const CmTimelineTick *previous = NULL;

  for (guint i = 0; i < n; i++)
    {
      int hour, minute;

      if (ticks[i].major)
        continue;
      g_assert_cmpint (sscanf (ticks[i].label, "%d:%d", &hour, &minute), ==, 2);
      /* The label is the wall clock at the fixed offset. */
      g_assert_cmpint (((ticks[i].time + offset) / 3600) % 24, ==, hour);
      if (previous != NULL)
        {
          int prev_hour, prev_minute;

          sscanf (previous->label, "%d:%d", &prev_hour, &prev_minute);
          g_assert_cmpint (ticks[i].time - previous->time, ==,
                           ((hour * 60 + minute) - (prev_hour * 60 + prev_minute)) * 60);
          g_assert_cmpint (ticks[i].time - previous->time, ==, ticks[1].time - ticks[0].time);
        }
      previous = &ticks[i];
      n_minor++;
    }
  g_assert_cmpuint (n_minor, >=, 8);
  g_assert_true (has_tick_label (ticks, n, FALSE, "03:00"));
  g_assert_true (has_tick_label (ticks, n, FALSE, "04:00"));
  g_assert_true (has_tick_label (ticks, n, TRUE, "30 March 2025"));
}

static void
test_axis_offset_guess (void)
{
  CmDatasetBuilder *builder = cm_dataset_builder_new ();
  g_autoptr(CmDataset) dataset = NULL;
  CmTime time = make_time (2025, 2, 18, 10, 0, CM_PRECISION_MINUTE);

  time.has_zone = TRUE;
  time.offset = 3 * 3600;
  add_event (builder, "a", "A", time, NULL, 0, NULL, 0);
  add_event (builder, "b", "B", time, NULL, 0, NULL, 0);
  time.offset = 3600;
  add_event (builder, "c", "C", time, NULL, 0, NULL, 0);
  time.has_zone = FALSE;
  time.offset = 0;
  add_event (builder, "d", "D", time, NULL, 0, NULL, 0);
  add_event (builder, "e", "E", time, NULL, 0, NULL, 0);
  add_event (builder, "f", "F", time, NULL, 0, NULL, 0);
  dataset = cm_dataset_builder_finish (builder);

  g_assert_cmpint (cm_timeline_layout_guess_axis_offset (dataset), ==, 3 * 3600);
}

static void
test_time_to_x (void)
{
  g_autoptr(CmDataset) dataset = create_small_dataset ();
  g_autoptr(CmTimelineLayout) layout = create_layout (dataset, 1200, 500);
  g_autoptr(CmScene) scene = cm_scene_new (1, 1);
  gint64 t0 = cm_time_from_civil (2020, 1, 1, 0, 0, 0);
  gint64 t1 = cm_time_from_civil (2026, 1, 1, 0, 0, 0);
  CmRect plot;

  cm_timeline_layout_set_axis (layout, CM_TIMELINE_AXIS_LINEAR);
  cm_timeline_layout_set_range (layout, t0, t1);
  cm_timeline_layout_build (layout, scene);
  cm_timeline_layout_get_plot_area (layout, &plot);

  g_assert_cmpfloat (plot.x, >, 0);
  g_assert_cmpfloat_with_epsilon (cm_timeline_layout_time_to_x (layout, t0), plot.x, 1e-6);
  g_assert_cmpfloat_with_epsilon (cm_timeline_layout_time_to_x (layout, t1), plot.x + plot.width, 1e-6);

  for (gint64 t = t0; t < t1; t += 86400 * 37 + 12345)
    {
      double x = cm_timeline_layout_time_to_x (layout, t);
      double seconds_per_px = (t1 - t0) / plot.width;

      g_assert_cmpfloat (fabs ((double) (cm_timeline_layout_x_to_time (layout, x) - t)), <=, 1);
      g_assert_cmpint (cm_timeline_layout_x_to_time (layout, x + 10), >=, t + (gint64) (9 * seconds_per_px));
    }
}

static void
test_lanes (void)
{
  g_autoptr(CmDataset) dataset = create_small_dataset ();
  g_autoptr(CmTimelineLayout) layout = create_layout (dataset, 1200, 800);
  g_autoptr(CmScene) scene = cm_scene_new (1, 1);
  guint32 e0 = cm_dataset_find_event (dataset, "e0");
  guint32 e1 = cm_dataset_find_event (dataset, "e1");
  guint32 e2 = cm_dataset_find_event (dataset, "e2");
  const guint32 *lanes;
  guint n, n_hits_e0 = 0;
  CmRect rect;

  /* By group: an event is in its first actor's group. */
  g_assert_cmpuint (cm_timeline_layout_get_n_lanes (layout), ==, 3);
  g_assert_cmpstr (cm_timeline_layout_get_lane_label (layout, 0), ==, "Group A");
  g_assert_cmpstr (cm_timeline_layout_get_lane_label (layout, 1), ==, "Group B");
  g_assert_cmpstr (cm_timeline_layout_get_lane_label (layout, 2), ==, "No group");
  lanes = cm_timeline_layout_get_event_lanes (layout, e0, &n);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpuint (lanes[0], ==, 0);
  lanes = cm_timeline_layout_get_event_lanes (layout, e1, &n);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpuint (lanes[0], ==, 2);

  /* By actor: e0 is in both its actors' lanes. */
  cm_timeline_layout_set_lane_mode (layout, CM_LANE_MODE_ACTOR);
  g_assert_cmpuint (cm_timeline_layout_get_n_lanes (layout), ==, 4);
  g_assert_cmpstr (cm_timeline_layout_get_lane_label (layout, 0), ==, "Actor One");
  g_assert_cmpstr (cm_timeline_layout_get_lane_label (layout, 3), ==, "No actor");
  lanes = cm_timeline_layout_get_event_lanes (layout, e0, &n);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpuint (lanes[0], ==, 0);
  g_assert_cmpuint (lanes[1], ==, 1);
  lanes = cm_timeline_layout_get_event_lanes (layout, e2, &n);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpstr (cm_timeline_layout_get_lane_label (layout, lanes[0]), ==, "No actor");

  /* ...and is drawn in both. */
  cm_timeline_layout_set_range (layout, cm_time_from_civil (2025, 2, 1, 0, 0, 0),
                                cm_time_from_civil (2025, 3, 1, 0, 0, 0));
  cm_timeline_layout_build (layout, scene);
  for (double y = 0; y < 800; y += 2)
    {
      CmTimelineHit hit;

      g_assert_true (cm_timeline_layout_get_event_rect (layout, e0, &rect));
      if (cm_timeline_layout_hit_test (layout, rect.x + rect.width / 2, y, &hit)
          && hit.kind == CM_TIMELINE_HIT_EVENT && hit.event == e0
          && fabs (hit.rect.x - rect.x) < 0.01 && hit.rect.width == rect.width)
        n_hits_e0++;
    }
  /* two dots of 14 px, sampled every 2 px */
  g_assert_cmpuint (n_hits_e0, ==, 14);

  /* By place: e0 in both places, e2 in "No place". */
  cm_timeline_layout_set_lane_mode (layout, CM_LANE_MODE_PLACE);
  g_assert_cmpuint (cm_timeline_layout_get_n_lanes (layout), ==, 3);
  cm_timeline_layout_get_event_lanes (layout, e0, &n);
  g_assert_cmpuint (n, ==, 2);
  lanes = cm_timeline_layout_get_event_lanes (layout, e2, &n);
  g_assert_cmpstr (cm_timeline_layout_get_lane_label (layout, lanes[0]), ==, "No place");

  cm_timeline_layout_set_lane_mode (layout, CM_LANE_MODE_NONE);
  g_assert_cmpuint (cm_timeline_layout_get_n_lanes (layout), ==, 1);
}

static gboolean
rects_overlap (const CmRect *a,
               const CmRect *b)
{
  return a->x < b->x + b->width && b->x < a->x + a->width
         && a->y < b->y + b->height && b->y < a->y + a->height;
}

static void
assert_texts_disjoint (CmScene *scene)
{
  guint n = cm_scene_get_n_texts (scene);

  for (guint i = 0; i < n; i++)
    for (guint j = i + 1; j < n; j++)
      {
        CmRect a, b;
        PangoLayout *la = cm_scene_get_text (scene, i, &a, NULL);
        PangoLayout *lb = cm_scene_get_text (scene, j, &b, NULL);

        if (rects_overlap (&a, &b))
          g_error ("labels overlap: \"%s\" at %g,%g %gx%g and \"%s\" at %g,%g %gx%g",
                   pango_layout_get_text (la), a.x, a.y, a.width, a.height,
                   pango_layout_get_text (lb), b.x, b.y, b.width, b.height);
      }
}

static void
test_labels_never_overlap (void)
{
  g_autoptr(CmDataset) dataset = create_random_dataset (3000, 4, 7);
  g_autoptr(CmTimelineLayout) layout = create_layout (dataset, 1400, 900);
  g_autoptr(CmScene) scene = cm_scene_new (1, 1);
  gint64 t0, t1;

  g_assert_true (cm_timeline_layout_get_fit_range (layout, &t0, &t1));
  cm_timeline_layout_set_today (layout, TRUE, cm_time_from_civil (2010, 6, 1, 0, 0, 0));

  for (int lanes = CM_LANE_MODE_GROUP; lanes <= CM_LANE_MODE_NONE; lanes++)
    for (int zoom = 0; zoom < 14; zoom++)
      {
        gint64 span = (t1 - t0) >> zoom;
        gint64 start = t0 + ((t1 - t0) - span) / 3;
        guint n_texts;

        cm_timeline_layout_set_lane_mode (layout, lanes);
        cm_timeline_layout_set_range (layout, start, start + span);
        cm_timeline_layout_set_selected (layout, zoom % 2 ? CM_NONE : (guint) zoom * 100);
        cm_timeline_layout_build (layout, scene);
        n_texts = cm_scene_get_n_texts (scene);
        g_assert_cmpuint (n_texts, >, 5);
        assert_texts_disjoint (scene);
      }
}

/* Brute force: placements of events overlapping [t0, t1) in group lanes. */
static guint
count_overlapping (CmDataset     *dataset,
                   gint64         t0,
                   gint64         t1,
                   const guint64 *filter)
{
  guint n = 0;

  for (guint i = 0; i < cm_dataset_get_n_events (dataset); i++)
    {
      const CmEvent *event = cm_dataset_get_event (dataset, i);

      if (filter && !((filter[i / 64] >> (i % 64)) & 1))
        continue;
      if (event->start.seconds < t1 && cm_time_get_end (&event->end) > t0)
        n++;
    }
  return n;
}

static void
test_aggregation_count (void)
{
  g_autoptr(CmDataset) dataset = create_random_dataset (20000, 3, 11);
  g_autoptr(CmTimelineLayout) layout = create_layout (dataset, 1920, 1080);
  g_autoptr(CmScene) scene = cm_scene_new (1, 1);
  guint64 *filter = g_new0 (guint64, 20000 / 64 + 1);
  guint previous_badged = G_MAXUINT;
  gint64 t0, t1;

  cm_timeline_layout_get_fit_range (layout, &t0, &t1);
  for (int zoom = 0; zoom < 16; zoom++)
    {
      gint64 span = (t1 - t0) >> zoom;
      gint64 start = t0 + ((t1 - t0) - span) / 2;
      guint visible, drawn, badged;

      cm_timeline_layout_set_range (layout, start, start + span);
      cm_timeline_layout_build (layout, scene);
      cm_timeline_layout_get_counts (layout, &visible, &drawn, &badged);
      g_assert_cmpuint (visible, ==, count_overlapping (dataset, start, start + span, NULL));
      g_assert_cmpuint (drawn + badged, ==, visible);
      if (zoom == 0)
        {
          /* 20000 events on 1900 px: most are in badges, and the
           * number of marks is bounded by the width, not the data. */
          g_assert_cmpuint (badged, >, visible / 2);
          g_assert_cmpuint (cm_scene_get_n_shapes (scene), <, 3000);
        }
      /* Zooming in expands badges (not strictly monotonic: clusters
       * are greedy). */
      if (zoom % 4 == 0)
        {
          g_assert_cmpuint (badged, <, previous_badged);
          previous_badged = badged;
        }
    }
  {
    guint badged, n_long = 0;
    gint64 a, b;

    /* Deep in, only spans longer than the view can still be folded
     * (they overlap the one bar row); every instant is drawn. */
    cm_timeline_layout_get_range (layout, &a, &b);
    cm_timeline_layout_get_counts (layout, NULL, NULL, &badged);
    for (guint i = 0; i < cm_dataset_get_n_events (dataset); i++)
      {
        const CmEvent *event = cm_dataset_get_event (dataset, i);
        gint64 end = cm_time_get_end (&event->end);

        if (event->start.seconds < b && end > a && end - event->start.seconds > (b - a) / 4)
          n_long++;
      }
    g_assert_cmpuint (badged, <=, n_long);
  }

  /* With a filter, only shown events count. */
  for (guint i = 0; i < 20000; i += 3)
    filter[i / 64] |= G_GUINT64_CONSTANT (1) << (i % 64);
  cm_timeline_layout_set_filter (layout, filter);
  cm_timeline_layout_set_range (layout, t0, t1);
  cm_timeline_layout_build (layout, scene);
  {
    guint visible, drawn, badged;

    cm_timeline_layout_get_counts (layout, &visible, &drawn, &badged);
    g_assert_cmpuint (visible, ==, count_overlapping (dataset, t0, t1, filter));
    g_assert_cmpuint (visible, <, 20000 / 2);
    g_assert_cmpuint (drawn + badged, ==, visible);
  }
  cm_timeline_layout_set_filter (layout, NULL);
  g_free (filter);
}

static void
test_hit_test (void)
{
  g_autoptr(CmDataset) dataset = create_small_dataset ();
  g_autoptr(CmTimelineLayout) layout = create_layout (dataset, 1200, 600);
  g_autoptr(CmScene) scene = cm_scene_new (1, 1);
  CmTimelineHit hit;
  gint64 t0, t1;
  CmRect plot;

  g_assert_true (cm_timeline_layout_get_fit_range (layout, &t0, &t1));
  cm_timeline_layout_set_range (layout, t0, t1);
  cm_timeline_layout_build (layout, scene);
  cm_timeline_layout_get_plot_area (layout, &plot);

  for (guint e = 0; e < cm_dataset_get_n_events (dataset); e++)
    {
      CmRect rect;

      if (!cm_timeline_layout_get_event_rect (layout, e, &rect))
        continue;
      g_assert_true (cm_timeline_layout_hit_test (layout, rect.x + rect.width / 2,
                                                  rect.y + rect.height / 2, &hit));
      g_assert_cmpint (hit.kind, ==, CM_TIMELINE_HIT_EVENT);
      g_assert_cmpuint (hit.event, ==, e);
    }

  /* Empty plot space hits nothing; the gutter hits a lane label. */
  g_assert_false (cm_timeline_layout_hit_test (layout, plot.x + 2, 599, &hit));
  g_assert_cmpint (hit.kind, ==, CM_TIMELINE_HIT_NONE);
}

/* Whether a text of @scene is @text, or starts with it (@prefix). */
static gboolean
scene_find_text (CmScene    *scene,
                 const char *text,
                 gboolean    prefix)
{
  for (guint i = 0; i < cm_scene_get_n_texts (scene); i++)
    {
      const char *run = pango_layout_get_text (cm_scene_get_text (scene, i, NULL, NULL));

      if (prefix ? g_str_has_prefix (run, text) : g_str_equal (run, text))
        return TRUE;
    }
  return FALSE;
}

static gboolean
scene_has_text (CmScene    *scene,
                const char *text)
{
  return scene_find_text (scene, text, FALSE);
}

static gboolean
scene_has_paint (CmScene      *scene,
                 CmScenePaint  wanted)
{
  for (guint b = 0; b < cm_scene_get_n_batches (scene); b++)
    {
      CmScenePaint paint;
      guint n;

      cm_scene_get_batch_info (scene, b, NULL, &paint, NULL, NULL);
      cm_scene_get_shapes (scene, b, &n);
      if (paint == wanted && n > 0)
        return TRUE;
    }
  return FALSE;
}

static void
test_precision_and_chrome (void)
{
  g_autoptr(CmDataset) dataset = create_small_dataset ();
  g_autoptr(CmTimelineLayout) layout = create_layout (dataset, 1200, 600);
  g_autoptr(CmScene) scene = cm_scene_new (1, 1);
  guint32 e2 = cm_dataset_find_event (dataset, "e2");
  guint32 e0 = cm_dataset_find_event (dataset, "e0");
  gint64 t0 = cm_time_from_civil (2024, 9, 1, 0, 0, 0);
  gint64 t1 = cm_time_from_civil (2025, 4, 1, 0, 0, 0);
  double month_px;
  CmRect rect;

  cm_timeline_layout_set_axis (layout, CM_TIMELINE_AXIS_LINEAR);
  cm_timeline_layout_set_range (layout, t0, t1);
  cm_timeline_layout_build (layout, scene);

  /* A month-precision event spans its month, drawn pale: no stripes. */
  g_assert_true (cm_timeline_layout_get_event_rect (layout, e2, &rect));
  month_px = cm_timeline_layout_time_to_x (layout, cm_time_from_civil (2024, 12, 1, 0, 0, 0))
             - cm_timeline_layout_time_to_x (layout, cm_time_from_civil (2024, 11, 1, 0, 0, 0));
  g_assert_cmpfloat (fabs (rect.width - month_px), <, 1);
  g_assert_false (scene_has_paint (scene, CM_SCENE_PAINT_HATCH));

  /* A minute-precision event is a dot. */
  g_assert_true (cm_timeline_layout_get_event_rect (layout, e0, &rect));
  g_assert_cmpfloat (rect.width, <, 20);

  /* Lanes are labelled, periods titled, the axis says its zone. */
  g_assert_true (scene_has_text (scene, "Group A"));
  g_assert_true (scene_has_text (scene, "No group"));
  g_assert_true (scene_has_text (scene, "Full-scale war"));
  g_assert_true (scene_has_text (scene, "UTC"));
  g_assert_true (scene_has_text (scene, "Talks in Riyadh"));

  /* The today marker only when in range. */
  cm_timeline_layout_set_today (layout, TRUE, cm_time_from_civil (2025, 1, 1, 0, 0, 0));
  cm_timeline_layout_build (layout, scene);
  g_assert_true (scene_has_text (scene, "Today"));
  cm_timeline_layout_set_today (layout, TRUE, cm_time_from_civil (2030, 1, 1, 0, 0, 0));
  cm_timeline_layout_build (layout, scene);
  g_assert_false (scene_has_text (scene, "Today"));
}

static CmDataset *
load_sample (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "samples",
                                                 "riyadh-talks-2025.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  CmDataset *dataset = cm_loader_load_file (file, NULL, &error);

  g_assert_no_error (error);
  return dataset;
}

/* Marks drawn on their own in one lane never overlap (a mark's first hit
 * is its dot or bar), and a click on each selects it. */
static void
assert_lane_marks_disjoint (CmTimelineLayout *layout,
                            CmDataset        *dataset)
{
  guint n = cm_dataset_get_n_events (dataset);

  for (guint i = 0; i < n; i++)
    {
      CmRect a;
      CmTimelineHit hit;
      guint n_lanes;
      guint32 lane;

      if (!cm_timeline_layout_get_event_rect (layout, i, &a))
        continue;
      g_assert_true (cm_timeline_layout_hit_test (layout, a.x + a.width / 2, a.y + a.height / 2, &hit));
      g_assert_cmpint (hit.kind, ==, CM_TIMELINE_HIT_EVENT);
      g_assert_cmpuint (hit.event, ==, i);

      lane = cm_timeline_layout_get_event_lanes (layout, i, &n_lanes)[0];
      for (guint j = i + 1; j < n; j++)
        {
          CmRect b;

          if (cm_timeline_layout_get_event_rect (layout, j, &b)
              && cm_timeline_layout_get_event_lanes (layout, j, &n_lanes)[0] == lane
              && rects_overlap (&a, &b))
            g_error ("marks of \"%s\" and \"%s\" overlap",
                     cm_dataset_get_event (dataset, i)->title, cm_dataset_get_event (dataset, j)->title);
        }
    }
}

/* The sample's key day, 18 February 2025: eight events known to the day,
 * so each spans the whole day. Stacked in rows, each is drawn on its own
 * with its title, at a month's zoom and at three days'. */
static void
test_stacked_key_day (void)
{
  g_autoptr(CmDataset) dataset = load_sample ();
  g_autoptr(CmScene) scene = cm_scene_new (1, 1);
  /* A large view, and the timeline's share of a default 1280x800 window:
   * there the busy lanes must take the rows the quiet ones leave. */
  const struct { int width, height; gint64 t0, t1; } views[] = {
    { 1600, 900, cm_time_from_civil (2025, 2, 1, 0, 0, 0), cm_time_from_civil (2025, 3, 1, 0, 0, 0) },
    { 1600, 900, cm_time_from_civil (2025, 2, 17, 0, 0, 0), cm_time_from_civil (2025, 2, 20, 0, 0, 0) },
    { 930, 460, cm_time_from_civil (2025, 2, 17, 0, 0, 0), cm_time_from_civil (2025, 2, 20, 0, 0, 0) },
  };

  for (guint r = 0; r < G_N_ELEMENTS (views); r++)
    {
      g_autoptr(CmTimelineLayout) layout = create_layout (dataset, views[r].width, views[r].height);
      guint n_key_day = 0, visible, drawn, badged;

      cm_timeline_layout_set_range (layout, views[r].t0, views[r].t1);
      cm_timeline_layout_build (layout, scene);

      for (guint i = 0; i < cm_dataset_get_n_events (dataset); i++)
        {
          const CmEvent *event = cm_dataset_get_event (dataset, i);
          gint64 year;
          int month, day;
          CmRect rect;

          cm_time_to_civil (event->start.seconds + event->start.offset, &year, &month, &day,
                            NULL, NULL, NULL);
          if (year != 2025 || month != 2 || day != 18)
            continue;
          n_key_day++;
          if (!cm_timeline_layout_get_event_rect (layout, i, &rect))
            g_error ("\"%s\" is not drawn on its own", event->title);
          /* A day at these zooms is wider than a dot: a bar. */
          g_assert_cmpfloat (rect.width, >=, 40);
          if (!scene_has_text (scene, event->title))
            g_error ("\"%s\" has no label", event->title);
        }
      g_assert_cmpuint (n_key_day, >=, 8);

      cm_timeline_layout_get_counts (layout, &visible, &drawn, &badged);
      g_assert_cmpuint (drawn + badged, ==, visible);
      g_assert_cmpuint (badged, ==, 0);
      /* Imprecise days are pale, never striped under their titles. */
      g_assert_false (scene_has_paint (scene, CM_SCENE_PAINT_HATCH));
      assert_lane_marks_disjoint (layout, dataset);
      assert_texts_disjoint (scene);
    }
}

/* The label rules, on the last build: every event drawn on its own has
 * a title (the others are counted in badges); titles overlap neither
 * each other nor marks; a title is shortened only where it would have
 * met another title or mark, or the edge of the plot. */
static void
assert_labelled_or_counted (CmTimelineLayout *layout,
                            CmDataset        *dataset)
{
  guint n = cm_dataset_get_n_events (dataset), n_labels, visible, drawn, badged;
  const CmTimelineLabel *labels = cm_timeline_layout_get_labels (layout, &n_labels);
  g_autofree CmRect *marks = g_new0 (CmRect, n);
  g_autofree gboolean *own = g_new0 (gboolean, n);
  CmRect plot;

  cm_timeline_layout_get_plot_area (layout, &plot);
  cm_timeline_layout_get_counts (layout, &visible, &drawn, &badged);
  g_assert_cmpuint (drawn + badged, ==, visible);

  for (guint e = 0; e < n; e++)
    own[e] = cm_timeline_layout_get_event_rect (layout, e, &marks[e]);

  for (guint e = 0; e < n; e++)
    {
      gboolean found = FALSE;

      if (!own[e] || marks[e].y < plot.y || marks[e].y + marks[e].height > plot.y + plot.height)
        continue;
      for (guint i = 0; i < n_labels && !found; i++)
        found = labels[i].event == e;
      if (!found)
        g_error ("\"%s\" is drawn bare: no title, not counted",
                 cm_dataset_get_event (dataset, e)->title);
    }

  for (guint i = 0; i < n_labels; i++)
    {
      const CmTimelineLabel *a = &labels[i];
      CmRect full = a->rect;

      full.width = a->full_width;
      g_assert_cmpfloat (a->rect.x, >=, plot.x);
      g_assert_cmpfloat (a->rect.x + a->rect.width, <=, plot.x + plot.width + 0.5);
      for (guint j = 0; j < n_labels; j++)
        if (j != i && rects_overlap (&a->rect, &labels[j].rect))
          g_error ("titles of \"%s\" and \"%s\" overlap",
                   cm_dataset_get_event (dataset, a->event)->title,
                   cm_dataset_get_event (dataset, labels[j].event)->title);
      for (guint e = 0; e < n; e++)
        if (own[e] && e != a->event && rects_overlap (&a->rect, &marks[e]))
          g_error ("the title of \"%s\" covers the mark of \"%s\"",
                   cm_dataset_get_event (dataset, a->event)->title,
                   cm_dataset_get_event (dataset, e)->title);

      if (a->shortened)
        {
          const CmRect *bar = &marks[a->event];
          gboolean inside = own[a->event] && a->rect.x >= bar->x && a->rect.x < bar->x + bar->width;
          /* past the plot's edge, or out of its own bar */
          gboolean blocked = full.x + full.width > plot.x + plot.width - 2
                             || (inside && full.x + full.width > bar->x + bar->width - 4);

          g_assert_cmpfloat (a->rect.width, <, a->full_width);
          for (guint j = 0; j < n_labels && !blocked; j++)
            blocked = j != i && rects_overlap (&full, &labels[j].rect);
          for (guint e = 0; e < n && !blocked; e++)
            blocked = own[e] && e != a->event && rects_overlap (&full, &marks[e]);
          /* or a badge */
          for (double x = full.x; x < full.x + full.width && !blocked; x += 2)
            {
              CmTimelineHit hit;

              blocked = cm_timeline_layout_hit_test (layout, x, full.y + full.height / 2, &hit)
                        && hit.kind == CM_TIMELINE_HIT_BADGE;
            }
          if (!blocked)
            g_error ("\"%s\" is shortened with room for it in full",
                     cm_dataset_get_event (dataset, a->event)->title);
        }
      else
        g_assert_cmpfloat (fabs (a->rect.width - a->full_width), <, 0.5);
    }
}

/* The sample in the default window's timeline (fit, and the key day),
 * and in a maximised one: every event is titled in full or counted. */
static void
test_labels_sample (void)
{
  g_autoptr(CmDataset) dataset = load_sample ();
  g_autoptr(CmScene) scene = cm_scene_new (1, 1);
  const struct { int width, height; } sizes[] = { { 930, 460 }, { 1900, 700 }, { 640, 300 } };

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autoptr(CmTimelineLayout) layout = create_layout (dataset, sizes[i].width, sizes[i].height);
      guint n_labels, n_full = 0, visible, drawn, badged;
      const CmTimelineLabel *labels;
      gint64 t0, t1;

      cm_timeline_layout_set_fill_height (layout, TRUE);
      g_assert_true (cm_timeline_layout_get_fit_range (layout, &t0, &t1));
      cm_timeline_layout_set_range (layout, t0, t1);
      cm_timeline_layout_build (layout, scene);
      {
        g_autofree char *name = g_strdup_printf ("sample-fit-%d", sizes[i].width);

        dump_scene (scene, name);
      }
      assert_labelled_or_counted (layout, dataset);
      assert_texts_disjoint (scene);

      /* "Washington briefs European ministers" was once a bare dot. */
      labels = cm_timeline_layout_get_labels (layout, &n_labels);
      for (guint l = 0; l < n_labels; l++)
        n_full += !labels[l].shortened;
      cm_timeline_layout_get_counts (layout, &visible, &drawn, &badged);
      if (i == 1)
        {
          /* Room enough: every title in full, nothing folded. */
          g_assert_cmpuint (badged, ==, 0);
          g_assert_cmpuint (n_full, ==, cm_dataset_get_n_events (dataset));
        }

      cm_timeline_layout_set_range (layout, cm_time_from_civil (2025, 2, 17, 12, 0, 0),
                                    cm_time_from_civil (2025, 2, 19, 12, 0, 0));
      cm_timeline_layout_build (layout, scene);
      {
        g_autofree char *name = g_strdup_printf ("sample-day-%d", sizes[i].width);

        dump_scene (scene, name);
      }
      assert_labelled_or_counted (layout, dataset);
      assert_texts_disjoint (scene);
    }
}

/* A dense lane: 400 instants over a week in one lane, at zooms from the
 * week to an hour. Whatever does not fit is counted, nothing is bare. */
static void
test_labels_dense_lane (void)
{
  CmDatasetBuilder *builder = cm_dataset_builder_new ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (5);
  g_autoptr(CmDataset) dataset = NULL;
  g_autoptr(CmScene) scene = cm_scene_new (1, 1);
  g_autoptr(CmTimelineLayout) layout = NULL;
  gint64 from = cm_time_from_civil (2025, 2, 12, 0, 0, 0);

  for (guint i = 0; i < 400; i++)
    {
      g_autofree char *id = g_strdup_printf ("e%u", i);
      g_autofree char *title = g_strdup_printf ("Dense event number %u of the week%s", i,
                                                i % 3 ? "" : ", with a much longer title");
      CmTime time = { 0, };

      time.seconds = from + g_rand_int_range (rand, 0, 7 * 86400 / 60) * 60;
      time.precision = CM_PRECISION_MINUTE;
      add_event (builder, id, title, time, NULL, 0, NULL, 0);
    }
  dataset = cm_dataset_builder_finish (builder);
  layout = create_layout (dataset, 1200, 400);
  cm_timeline_layout_set_fill_height (layout, TRUE);

  for (int zoom = 0; zoom < 9; zoom++)
    {
      gint64 span = (7 * 86400) >> zoom;
      guint visible, drawn, badged;

      cm_timeline_layout_set_range (layout, from + 86400 - span / 7, from + 86400 - span / 7 + span);
      cm_timeline_layout_build (layout, scene);
      {
        g_autofree char *name = g_strdup_printf ("dense-%d", zoom);

        dump_scene (scene, name);
      }
      assert_labelled_or_counted (layout, dataset);
      assert_texts_disjoint (scene);
      cm_timeline_layout_get_counts (layout, &visible, &drawn, &badged);
      g_assert_cmpuint (visible, >, 0);
      if (zoom == 0)
        {
          CmRect plot, last = { -1, -1, 0, 0 };
          guint counted = 0;

          /* Most are folded, into a density strip rather than rows of
           * "+33" badges; its columns count every folded event and
           * clicking them zooms in (a badge hit). */
          g_assert_cmpuint (badged, >, visible / 2);
          for (guint i = 0; i < cm_scene_get_n_texts (scene); i++)
            g_assert_false (g_str_has_prefix (pango_layout_get_text (cm_scene_get_text (scene, i, NULL, NULL)), "+"));
          cm_timeline_layout_get_plot_area (layout, &plot);
          for (double y = plot.y; y < plot.y + plot.height && counted == 0; y += 2)
            for (double x = plot.x + 1; x < plot.x + plot.width; x += 4)
              {
                CmTimelineHit hit;

                /* each region once, on the first row of the strip */
                if (cm_timeline_layout_hit_test (layout, x, y, &hit) && hit.kind == CM_TIMELINE_HIT_BADGE
                    && hit.rect.x != last.x)
                  {
                    counted += hit.count;
                    last = hit.rect;
                  }
              }
          g_assert_cmpuint (counted, ==, badged);
        }
    }
}

/* Fit on the sample compresses 2022-2024 into a break: the story's days
 * get most of the width, the 2021-2022 events stay on screen, ticks are
 * honest (none inside a break), the mapping is monotonic and x <-> time
 * round-trips. --axis linear has none. */
static void
test_axis_breaks (void)
{
  g_autoptr(CmDataset) dataset = load_sample ();
  g_autoptr(CmTimelineLayout) layout = create_layout (dataset, 930, 460);
  g_autoptr(CmScene) scene = cm_scene_new (1, 1);
  gint64 t0, t1, start, end, day0 = cm_time_from_civil (2025, 2, 12, 0, 0, 0);
  gint64 day1 = cm_time_from_civil (2025, 2, 19, 0, 0, 0);
  const CmTimelineTick *ticks;
  guint n_ticks, n_breaks;
  CmRect plot, rect;
  double last_x = -G_MAXDOUBLE;
  gboolean found = FALSE;

  g_assert_cmpint (cm_timeline_layout_get_axis (layout), ==, CM_TIMELINE_AXIS_AUTO);
  g_assert_true (cm_timeline_layout_get_fit_range (layout, &t0, &t1));
  cm_timeline_layout_set_range (layout, t0, t1);
  cm_timeline_layout_build (layout, scene);
  cm_timeline_layout_get_plot_area (layout, &plot);

  n_breaks = cm_timeline_layout_get_n_breaks (layout);
  g_assert_cmpuint (n_breaks, >=, 1);
  for (guint b = 0; b < n_breaks; b++)
    {
      cm_timeline_layout_get_break (layout, b, &start, &end);
      /* at fit, a break is narrow whatever it skips */
      g_assert_cmpfloat (cm_timeline_layout_time_to_x (layout, end)
                         - cm_timeline_layout_time_to_x (layout, start), <, plot.width / 5);
      if (start <= cm_time_from_civil (2023, 1, 1, 0, 0, 0) && end >= cm_time_from_civil (2024, 6, 1, 0, 0, 0))
        found = TRUE;
    }
  g_assert_true (found);
  g_assert_true (scene_has_text (scene, "2022 … 2025"));

  /* The week of talks takes an eighth of the width at least (it was a
   * sliver); the events of 2021 and 2022 are on screen. */
  g_assert_cmpfloat (cm_timeline_layout_time_to_x (layout, day1) - cm_timeline_layout_time_to_x (layout, day0),
                     >, plot.width / 8);
  g_assert_true (cm_timeline_layout_get_event_rect (layout, cm_dataset_find_event (dataset, "nato-withdrawal-demand"), &rect));
  g_assert_true (cm_timeline_layout_get_event_rect (layout, cm_dataset_find_event (dataset, "full-scale-invasion"), &rect));
  g_assert_cmpfloat (rect.x, >=, plot.x);
  assert_labelled_or_counted (layout, dataset);
  assert_texts_disjoint (scene);

  /* Monotonic, and round-trips to the second. */
  for (double x = plot.x; x < plot.x + plot.width; x += 1)
    {
      gint64 t = cm_timeline_layout_x_to_time (layout, x);

      g_assert_cmpfloat (fabs (cm_timeline_layout_time_to_x (layout, t) - x), <, 0.01);
      g_assert_cmpfloat (x, >, last_x);
      last_x = x;
    }
  for (gint64 t = t0; t < t1; t += 86400 * 3 + 17)
    g_assert_cmpint (ABS (cm_timeline_layout_x_to_time (layout, cm_timeline_layout_time_to_x (layout, t)) - t),
                     <=, 86400);

  /* No minor tick inside a break. */
  ticks = cm_timeline_layout_get_ticks (layout, &n_ticks);
  for (guint i = 0; i < n_ticks; i++)
    for (guint b = 0; b < n_breaks && !ticks[i].major; b++)
      {
        cm_timeline_layout_get_break (layout, b, &start, &end);
        g_assert_false (ticks[i].time > start && ticks[i].time < end);
      }

  cm_timeline_layout_set_axis (layout, CM_TIMELINE_AXIS_LINEAR);
  g_assert_cmpuint (cm_timeline_layout_get_n_breaks (layout), ==, 0);
  g_assert_true (cm_timeline_layout_get_fit_range (layout, &t0, &t1));
  cm_timeline_layout_set_range (layout, t0, t1);
  cm_timeline_layout_build (layout, scene);
  g_assert_false (scene_has_text (scene, "2022 … 2025"));
  g_assert_cmpfloat (cm_timeline_layout_time_to_x (layout, day1) - cm_timeline_layout_time_to_x (layout, day0),
                     <, plot.width / 50);

  /* Evenly spread events have no break, even when asked for. */
  {
    g_autoptr(CmDataset) even = create_random_dataset (2000, 3, 3);
    g_autoptr(CmTimelineLayout) even_layout = create_layout (even, 930, 460);

    cm_timeline_layout_set_axis (even_layout, CM_TIMELINE_AXIS_BREAKS);
    g_assert_cmpuint (cm_timeline_layout_get_n_breaks (even_layout), ==, 0);
  }
}

/* A period without an end runs to the edge and fades; its hit says
 * which period it is. The legend's swatches draw each style. */
static void
test_open_period (void)
{
  g_autoptr(CmDataset) dataset = load_sample ();
  g_autoptr(CmTimelineLayout) layout = create_layout (dataset, 1200, 500);
  g_autoptr(CmScene) scene = cm_scene_new (1, 1);
  g_autoptr(CmScene) swatches = cm_scene_new (100, 100);
  CmTimelineTheme theme;
  CmColor blue = { 0.1f, 0.4f, 0.8f, 1 };
  CmTimelineHit hit;
  CmRect plot;
  gboolean found = FALSE;

  cm_timeline_layout_set_range (layout, cm_time_from_civil (2024, 12, 1, 0, 0, 0),
                                cm_time_from_civil (2025, 3, 1, 0, 0, 0));
  cm_timeline_layout_build (layout, scene);
  cm_timeline_layout_get_plot_area (layout, &plot);
  g_assert_true (scene_has_paint (scene, CM_SCENE_PAINT_FADE));

  for (double y = 0; y < plot.y && !found; y += 1)
    if (cm_timeline_layout_hit_test (layout, plot.x + plot.width - 3, y, &hit)
        && hit.kind == CM_TIMELINE_HIT_PERIOD)
      found = TRUE;
  g_assert_true (found);
  g_assert_cmpstr (cm_dataset_get_period (dataset, hit.event)->title, ==, "Full-scale war");
  g_assert_false (cm_dataset_get_period (dataset, hit.event)->has_end);

  cm_timeline_theme_init (&theme, TRUE);
  for (guint s = 0; s < CM_TIMELINE_N_STYLES; s++)
    {
      guint before = cm_scene_get_n_shapes (swatches);

      cm_timeline_style_add_swatch (swatches, s, &blue, &theme, 10, 10 + 20 * s, 30, 14);
      g_assert_cmpuint (cm_scene_get_n_shapes (swatches), >, before);
      g_assert_nonnull (cm_timeline_style_get_caption (s));
    }
}

/* @n events known to the same day, in one lane. */
static CmDataset *
create_same_day_dataset (guint n)
{
  CmDatasetBuilder *builder = cm_dataset_builder_new ();

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *id = g_strdup_printf ("e%u", i);
      g_autofree char *title = g_strdup_printf ("Same day %u", i);

      add_event (builder, id, title, make_time (2025, 2, 18, 0, 0, CM_PRECISION_DAY), NULL, 0, NULL, 0);
    }
  return cm_dataset_builder_finish (builder);
}

/* A lane stacks at most six rows: five of marks, then one where the rest
 * fold into a badge. Fewer events need fewer rows, and no badge. */
static void
test_stack_cap (void)
{
  const guint sizes[] = { 4, 10 };

  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      g_autoptr(CmDataset) dataset = create_same_day_dataset (sizes[s]);
      g_autoptr(CmTimelineLayout) layout = create_layout (dataset, 1200, 900);
      g_autoptr(CmScene) scene = cm_scene_new (1, 1);
      guint visible, drawn, badged, n_badges = 0, n_own = 0;
      CmRect plot;
      double content, x, last_badge_y;

      cm_timeline_layout_set_range (layout, cm_time_from_civil (2025, 2, 17, 0, 0, 0),
                                    cm_time_from_civil (2025, 2, 20, 0, 0, 0));
      cm_timeline_layout_build (layout, scene);
      cm_timeline_layout_get_counts (layout, &visible, &drawn, &badged);
      g_assert_cmpuint (visible, ==, sizes[s]);
      g_assert_cmpuint (drawn + badged, ==, visible);
      g_assert_cmpuint (drawn, ==, MIN (sizes[s], 5));
      g_assert_cmpuint (badged, ==, sizes[s] - drawn);

      for (guint i = 0; i < sizes[s]; i++)
        if (cm_timeline_layout_get_event_rect (layout, i, NULL))
          n_own++;
      g_assert_cmpuint (n_own, ==, drawn);
      cm_timeline_layout_get_plot_area (layout, &plot);
      x = cm_timeline_layout_time_to_x (layout, cm_time_from_civil (2025, 2, 18, 0, 0, 0)) + 2;
      last_badge_y = -1;
      for (double y = plot.y; y < plot.y + plot.height; y += 2)
        {
          CmTimelineHit hit;

          /* the day's start, sampled down the lane: one badge at most */
          if (cm_timeline_layout_hit_test (layout, x, y, &hit) && hit.kind == CM_TIMELINE_HIT_BADGE
              && hit.rect.y != last_badge_y)
            {
              g_assert_cmpuint (hit.count, ==, badged);
              last_badge_y = hit.rect.y;
              n_badges++;
            }
        }
      g_assert_cmpuint (n_badges, ==, badged > 0 ? 1 : 0);

      /* The lane is as high as its rows; filling lets it take the plot's height. */
      content = cm_timeline_layout_get_content_height (layout);
      g_assert_cmpfloat (content, <, plot.height / 2);
      cm_timeline_layout_set_fill_height (layout, TRUE);
      cm_timeline_layout_build (layout, scene);
      g_assert_cmpfloat (fabs (cm_timeline_layout_get_content_height (layout) - plot.height), <, 1);
      g_assert_cmpuint (cm_timeline_layout_get_event_rect (layout, 0, NULL), ==, TRUE);
    }
}

static void
test_scene_batches (void)
{
  g_autoptr(CmScene) scene = cm_scene_new (100, 50);
  CmColor red = { 1, 0, 0, 1 }, blue = { 0, 0, 1, 1 };
  cairo_surface_t *surface;
  cairo_t *cr;
  guint32 *pixels;
  int stride;

  for (guint i = 0; i < 1000; i++)
    {
      guint batch = cm_scene_batch (scene, CM_SCENE_LAYER_MARKS, CM_SCENE_PAINT_FILL,
                                    i % 2 ? &red : &blue, 0);

      cm_scene_add_rect (scene, batch, i % 2 ? 0 : 50, 0, 50, 50, 0);
    }
  /* One batch per colour, whatever the number of shapes. */
  g_assert_cmpuint (cm_scene_get_n_batches (scene), ==, 2);
  g_assert_cmpuint (cm_scene_get_n_shapes (scene), ==, 1000);

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 100, 50);
  cr = cairo_create (surface);
  cm_scene_render_cairo (scene, cr);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  pixels = (guint32 *) cairo_image_surface_get_data (surface);
  stride = cairo_image_surface_get_stride (surface) / 4;
  g_assert_cmphex (pixels[25 * stride + 10], ==, 0xffff0000);
  g_assert_cmphex (pixels[25 * stride + 90], ==, 0xff0000ff);
  cairo_surface_destroy (surface);

  cm_scene_reset (scene, 10, 10);
  g_assert_cmpuint (cm_scene_get_n_batches (scene), ==, 0);
  g_assert_cmpuint (cm_scene_get_n_shapes (scene), ==, 0);
}

static void
lanes_ready_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask **out = user_data;

  *out = g_object_ref (G_TASK (result));
}

/* cm_timeline_lanes_new_async(), waited for. */
static CmTimelineLanes *
arrange_in_worker (CmDataset     *dataset,
                   CmLaneMode     mode,
                   GCancellable  *cancellable,
                   GError       **error)
{
  g_autoptr(GTask) result = NULL;

  cm_timeline_lanes_new_async (dataset, mode, cancellable, lanes_ready_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return cm_timeline_lanes_new_finish (G_ASYNC_RESULT (result), error);
}

/* Two layouts drew the same: lanes, each event's lanes, breaks, fit and
 * what the build at the fit range placed and labelled. */
static void
assert_same_layout (CmTimelineLayout *a,
                    CmTimelineLayout *b,
                    CmDataset        *dataset)
{
  g_autoptr(CmScene) scene_a = cm_scene_new (1, 1);
  g_autoptr(CmScene) scene_b = cm_scene_new (1, 1);
  const CmTimelineLabel *labels_a, *labels_b;
  guint n_labels_a, n_labels_b, counts_a[3], counts_b[3];
  gint64 t0, t1, u0, u1;

  g_assert_cmpuint (cm_timeline_layout_get_n_lanes (a), ==, cm_timeline_layout_get_n_lanes (b));
  for (guint l = 0; l < cm_timeline_layout_get_n_lanes (a); l++)
    {
      g_assert_cmpstr (cm_timeline_layout_get_lane_label (a, l), ==, cm_timeline_layout_get_lane_label (b, l));
      g_assert_cmpuint (cm_timeline_layout_get_lane_key (a, l), ==, cm_timeline_layout_get_lane_key (b, l));
    }
  for (guint e = 0; e < cm_dataset_get_n_events (dataset); e++)
    {
      guint n_a, n_b;
      const guint32 *lanes_a = cm_timeline_layout_get_event_lanes (a, e, &n_a);
      const guint32 *lanes_b = cm_timeline_layout_get_event_lanes (b, e, &n_b);

      g_assert_cmpmem (lanes_a, n_a * sizeof (guint32), lanes_b, n_b * sizeof (guint32));
    }
  g_assert_cmpuint (cm_timeline_layout_get_n_breaks (a), ==, cm_timeline_layout_get_n_breaks (b));
  for (guint i = 0; i < cm_timeline_layout_get_n_breaks (a); i++)
    {
      cm_timeline_layout_get_break (a, i, &t0, &t1);
      cm_timeline_layout_get_break (b, i, &u0, &u1);
      g_assert_cmpint (t0, ==, u0);
      g_assert_cmpint (t1, ==, u1);
    }
  g_assert_true (cm_timeline_layout_get_fit_range (a, &t0, &t1));
  g_assert_true (cm_timeline_layout_get_fit_range (b, &u0, &u1));
  g_assert_cmpint (t0, ==, u0);
  g_assert_cmpint (t1, ==, u1);

  cm_timeline_layout_set_range (a, t0, t1);
  cm_timeline_layout_set_range (b, t0, t1);
  cm_timeline_layout_build (a, scene_a);
  cm_timeline_layout_build (b, scene_b);
  cm_timeline_layout_get_counts (a, &counts_a[0], &counts_a[1], &counts_a[2]);
  cm_timeline_layout_get_counts (b, &counts_b[0], &counts_b[1], &counts_b[2]);
  g_assert_cmpmem (counts_a, sizeof counts_a, counts_b, sizeof counts_b);
  g_assert_cmpuint (counts_a[0], >, 0);
  labels_a = cm_timeline_layout_get_labels (a, &n_labels_a);
  labels_b = cm_timeline_layout_get_labels (b, &n_labels_b);
  g_assert_cmpuint (n_labels_a, ==, n_labels_b);
  for (guint i = 0; i < n_labels_a; i++)
    {
      g_assert_cmpuint (labels_a[i].event, ==, labels_b[i].event);
      g_assert_cmpuint (labels_a[i].lane, ==, labels_b[i].lane);
      g_assert_cmpfloat (labels_a[i].rect.x, ==, labels_b[i].rect.x);
      g_assert_cmpfloat (labels_a[i].rect.y, ==, labels_b[i].rect.y);
    }
  g_assert_cmpuint (cm_scene_get_n_shapes (scene_a), ==, cm_scene_get_n_shapes (scene_b));
  g_assert_cmpuint (cm_scene_get_n_texts (scene_a), ==, cm_scene_get_n_texts (scene_b));
}

/* Lanes arranged in a worker thread and given to a layout that waits for
 * them lay out exactly as the lanes a layout arranges itself, in every
 * lane mode. Until they come, the layout has no lanes and no fit, and
 * says where the lanes go that they are being arranged; after a lane-mode
 * switch it keeps the axis (breaks) while it waits again. */
static void
test_lanes_from_worker (void)
{
  g_autoptr(CmDataset) sample = load_sample ();
  g_autoptr(CmDataset) random = create_random_dataset (3000, 7, 11);
  CmDataset *datasets[] = { sample, random };

  for (guint d = 0; d < G_N_ELEMENTS (datasets); d++)
    for (CmLaneMode mode = CM_LANE_MODE_GROUP; mode <= CM_LANE_MODE_NONE; mode++)
      {
        g_autoptr(CmScene) scene = cm_scene_new (1, 1);
        g_autoptr(CmTimelineLanes) lanes = NULL;
        g_autoptr(GError) error = NULL;
        CmTimelineLayout *own = create_layout (datasets[d], 1200, 600);
        CmTimelineLayout *given = create_layout (datasets[d], 1200, 600);
        gint64 t0, t1;
        guint n_ticks;

        cm_timeline_layout_set_lane_mode (own, mode);
        cm_timeline_layout_set_lane_mode (given, mode);
        cm_timeline_layout_set_wait_for_lanes (given, TRUE);
        g_assert_true (cm_timeline_layout_is_arranging (given));
        g_assert_cmpuint (cm_timeline_layout_get_n_lanes (given), ==, 0);
        g_assert_false (cm_timeline_layout_get_fit_range (given, &t0, &t1));
        cm_timeline_layout_build (given, scene);
        g_assert_true (scene_find_text (scene, "Arranging ", TRUE));

        lanes = arrange_in_worker (datasets[d], mode, NULL, &error);
        g_assert_no_error (error);
        cm_timeline_layout_set_lanes (given, lanes);
        g_assert_false (cm_timeline_layout_is_arranging (given));
        g_assert_false (cm_timeline_layout_is_arranging (own));
        assert_same_layout (own, given, datasets[d]);
        cm_timeline_layout_build (given, scene);
        g_assert_false (scene_find_text (scene, "Arranging ", TRUE));

        /* Another mode: arranging again, on the axis it has. */
        cm_timeline_layout_set_lane_mode (given, (mode + 1) % (CM_LANE_MODE_NONE + 1));
        g_assert_true (cm_timeline_layout_is_arranging (given));
        g_assert_true (cm_timeline_layout_get_fit_range (given, &t0, &t1));
        cm_timeline_layout_build (given, scene);
        g_assert_true (scene_find_text (scene, "Arranging ", TRUE));
        cm_timeline_layout_get_ticks (given, &n_ticks);
        g_assert_cmpuint (n_ticks, >, 0);

        cm_timeline_layout_free (own);
        cm_timeline_layout_free (given);
      }
}

/* Asserts that @a and @b hold the same shapes, batch by batch; returns
 * how many. */
static guint
assert_same_shapes (CmScene *a,
                    CmScene *b)
{
  guint n_shapes = 0;

  g_assert_cmpuint (cm_scene_get_n_batches (a), ==, cm_scene_get_n_batches (b));
  for (guint batch = 0; batch < cm_scene_get_n_batches (a); batch++)
    {
      guint n_a, n_b;
      const CmSceneShape *sa = cm_scene_get_shapes (a, batch, &n_a);
      const CmSceneShape *sb = cm_scene_get_shapes (b, batch, &n_b);

      g_assert_cmpuint (n_a, ==, n_b);
      for (guint i = 0; i < n_a; i++)
        {
          g_assert_cmpuint (sa[i].kind, ==, sb[i].kind);
          g_assert_cmpfloat (sa[i].x, ==, sb[i].x);
          g_assert_cmpfloat (sa[i].y, ==, sb[i].y);
          g_assert_cmpfloat (sa[i].w, ==, sb[i].w);
          g_assert_cmpfloat (sa[i].h, ==, sb[i].h);
        }
      n_shapes += n_a;
    }
  return n_shapes;
}

/* With every event shown, the overview strip counts each column's
 * events from the time order; it draws the same as the pass over the
 * events a filter takes (here a filter that hides nothing). */
static void
test_overview_from_time_order (void)
{
  g_autoptr(CmDataset) sample = load_sample ();
  g_autoptr(CmDataset) random = create_random_dataset (5000, 7, 5);
  CmDataset *datasets[] = { sample, random };

  for (guint d = 0; d < G_N_ELEMENTS (datasets); d++)
    {
      guint n = cm_dataset_get_n_events (datasets[d]);
      g_autofree guint64 *everything = g_new (guint64, n / 64 + 1);
      g_autoptr(CmScene) scene_all = cm_scene_new (1, 1);
      g_autoptr(CmScene) scene_filtered = cm_scene_new (1, 1);
      CmTimelineLayout *all = create_layout (datasets[d], 1200, 500);
      CmTimelineLayout *filtered = create_layout (datasets[d], 1200, 500);
      guint n_shapes;
      gint64 t0, t1;

      memset (everything, 0xff, (n / 64 + 1) * sizeof (guint64));
      cm_timeline_layout_set_overview (all, TRUE);
      cm_timeline_layout_set_overview (filtered, TRUE);
      cm_timeline_layout_set_filter (filtered, everything);
      g_assert_true (cm_timeline_layout_get_fit_range (all, &t0, &t1));
      cm_timeline_layout_set_range (all, t0, t1);
      cm_timeline_layout_set_range (filtered, t0, t1);
      cm_timeline_layout_build (all, scene_all);
      cm_timeline_layout_build (filtered, scene_filtered);

      n_shapes = assert_same_shapes (scene_all, scene_filtered);
      g_assert_cmpuint (n_shapes, >, 0);
      cm_timeline_layout_free (all);
      cm_timeline_layout_free (filtered);
    }
}

/* A dataset from the benchmarks' generator. */
static CmDataset *
load_generated (guint   n_events,
                guint   n_actors,
                guint   n_places,
                guint   n_groups,
                guint32 seed)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  gsize length;
  char *json = cm_generator_json (n_events, n_actors, n_places, n_groups, seed, &length);
  CmDataset *dataset;

  bytes = g_bytes_new_take (json, length);
  dataset = cm_loader_load_bytes (bytes, "generated", NULL, &error);
  g_assert_no_error (error);
  return dataset;
}

/* Two builds draw the same: counts, texts, every shape, and what a
 * click anywhere on a 1400x700 plot hits (@counts: the first's). */
static void
assert_same_picture (CmTimelineLayout *a,
                     CmScene          *scene_a,
                     CmTimelineLayout *b,
                     CmScene          *scene_b,
                     guint            *counts)
{
  guint counts_b[3];

  cm_timeline_layout_get_counts (a, &counts[0], &counts[1], &counts[2]);
  cm_timeline_layout_get_counts (b, &counts_b[0], &counts_b[1], &counts_b[2]);
  g_assert_cmpmem (counts, 3 * sizeof (guint), counts_b, sizeof counts_b);
  g_assert_cmpuint (counts[0], >, 0);
  g_assert_cmpuint (cm_scene_get_n_texts (scene_a), ==, cm_scene_get_n_texts (scene_b));
  g_assert_cmpuint (assert_same_shapes (scene_a, scene_b), >, 0);
  /* The strips' hits: what a click there zooms to. */
  for (double x = 300; x < 1400; x += 37)
    for (double y = 60; y < 700; y += 23)
      {
        CmTimelineHit ha, hb;
        gboolean found = cm_timeline_layout_hit_test (a, x, y, &ha);

        g_assert_cmpint (found, ==, cm_timeline_layout_hit_test (b, x, y, &hb));
        if (!found)
          continue;
        g_assert_cmpint (ha.kind, ==, hb.kind);
        g_assert_cmpuint (ha.event, ==, hb.event);
        g_assert_cmpuint (ha.lane, ==, hb.lane);
        g_assert_cmpuint (ha.count, ==, hb.count);
        g_assert_cmpint (ha.start, ==, hb.start);
        g_assert_cmpint (ha.end, ==, hb.end);
        g_assert_cmpfloat (ha.rect.x, ==, hb.rect.x);
        g_assert_cmpfloat (ha.rect.width, ==, hb.rect.width);
      }
}

/* A filter that hides nothing draws the dense lanes' strips as no filter
 * does: the same scene, shape for shape, counts and hits, at several
 * zooms, with a strip's column selected and without. (The unfiltered
 * frame folds its runs by position in the lanes, the filtered one by the
 * kept placements' ranks; summary-as-walk compares both with the walk.) */
static void
test_density_unfiltered_as_filtered (void)
{
  g_autoptr(CmDataset) random = create_random_dataset (30000, 4, 9);
  g_autoptr(CmDataset) generated = load_generated (60000, 40, 100, 3, 3);
  CmDataset *datasets[2];
  guint n_strips = 0;

  datasets[0] = random;
  datasets[1] = generated;

  for (guint d = 0; d < G_N_ELEMENTS (datasets); d++)
    for (guint zoom = 0; zoom < 4; zoom++)
      for (guint with_selection = 0; with_selection < 2; with_selection++)
        {
          guint n = cm_dataset_get_n_events (datasets[d]);
          g_autofree guint64 *everything = g_new (guint64, n / 64 + 1);
          g_autoptr(CmScene) scene_sorted = cm_scene_new (1, 1);
          g_autoptr(CmScene) scene_walked = cm_scene_new (1, 1);
          CmTimelineLayout *sorted = create_layout (datasets[d], 1400, 700);
          CmTimelineLayout *walked = create_layout (datasets[d], 1400, 700);
          guint counts_a[3];
          gint64 t0, t1, span;

          memset (everything, 0xff, (n / 64 + 1) * sizeof (guint64));
          cm_timeline_layout_set_filter (walked, everything);
          g_assert_true (cm_timeline_layout_get_fit_range (sorted, &t0, &t1));
          /* The fit, a half, a tenth and a fiftieth of it, off centre. */
          span = (t1 - t0) / (zoom == 0 ? 1 : zoom == 1 ? 2 : zoom == 2 ? 10 : 50);
          t0 += zoom == 0 ? 0 : (t1 - t0) / 3;
          t1 = t0 + span;
          cm_timeline_layout_set_range (sorted, t0, t1);
          cm_timeline_layout_set_range (walked, t0, t1);
          if (with_selection)
            {
              /* The first event of a strip's column, near the middle:
               * its column is drawn selected. */
              CmTimelineHit hit;
              guint event = CM_NONE;

              cm_timeline_layout_build (sorted, scene_sorted);
              for (double x = 200; x < 1400 && event == CM_NONE; x += 20)
                for (double y = 60; y < 700 && event == CM_NONE; y += 5)
                  if (cm_timeline_layout_hit_test (sorted, x, y, &hit) && hit.kind == CM_TIMELINE_HIT_BADGE
                      && hit.count >= DENSITY_MIN_COUNT)
                    event = hit.event;
              if (zoom == 0)
                g_assert_cmpuint (event, !=, CM_NONE);
              cm_timeline_layout_set_selected (sorted, event);
              cm_timeline_layout_set_selected (walked, event);
            }
          cm_timeline_layout_build (sorted, scene_sorted);
          cm_timeline_layout_build (walked, scene_walked);

          assert_same_picture (sorted, scene_sorted, walked, scene_walked, counts_a);
          if (zoom == 0)
            n_strips += counts_a[2] > counts_a[0] / 2;
          cm_timeline_layout_free (sorted);
          cm_timeline_layout_free (walked);
        }
  /* At the fit, most events of both datasets are in strips. */
  g_assert_cmpuint (n_strips, ==, 2 * G_N_ELEMENTS (datasets));
}

/* Builds @layout over the fit's [@num/@den, +1/@den] (the fit itself
 * for 0/1) and returns it; both layouts of a comparison take its range. */
static void
set_zoom (CmTimelineLayout *layout,
          guint             zoom)
{
  gint64 t0, t1, span;

  g_assert_true (cm_timeline_layout_get_fit_range (layout, &t0, &t1));
  /* The fit, a half, a tenth and a fiftieth of it, off centre. */
  span = (t1 - t0) / (zoom == 0 ? 1 : zoom == 1 ? 2 : zoom == 2 ? 10 : 50);
  t0 += zoom == 0 ? 0 : (t1 - t0) / 3;
  cm_timeline_layout_set_range (layout, t0, t0 + span);
}

/* Keeps about one event in @keep (hashed, so kept events are spread
 * through every lane and time); 1 keeps them all. */
static void
fill_filter (guint64 *filter,
             guint    n,
             guint    keep,
             guint    salt)
{
  memset (filter, 0, (n / 64 + 1) * sizeof (guint64));
  for (guint e = 0; e < n; e++)
    if (((e + salt) * 2654435761u >> 8) % keep == 0)
      filter[e / 64] |= G_GUINT64_CONSTANT (1) << (e % 64);
}

/* The lanes' summaries give the picture the walk over every placement in
 * view gives: the same shapes, texts, counts and hits, with lanes by
 * group, actor and place, at the fit and zoomed in, without a filter and
 * with filters keeping about a half and a twentieth of the events, with
 * no selection, the first event of a strip's column selected, and an
 * event inside a column selected. And at the fit most events in view
 * are counted from the summaries, not walked. */
static void
test_summary_as_walk (void)
{
  g_autoptr(CmDataset) random = create_random_dataset (30000, 4, 9);
  g_autoptr(CmDataset) generated = load_generated (60000, 12, 30, 3, 5);
  static const CmLaneMode modes[] = { CM_LANE_MODE_GROUP, CM_LANE_MODE_ACTOR, CM_LANE_MODE_PLACE };
  static const guint keeps[] = { 0, 2, 20 };
  CmDataset *datasets[2];

  datasets[0] = random;
  datasets[1] = generated;

  for (guint d = 0; d < G_N_ELEMENTS (datasets); d++)
    for (guint m = 0; m < G_N_ELEMENTS (modes); m++)
      for (guint f = 0; f < G_N_ELEMENTS (keeps); f++)
        {
          guint n = cm_dataset_get_n_events (datasets[d]);
          g_autofree guint64 *filter = g_new (guint64, n / 64 + 1);
          guint fit_visible = 0, fit_summarized = 0;
          /* Arranged once for all the layouts of this mode. */
          CmTimelineLanes *lanes = cm_timeline_lanes_new (datasets[d], modes[m], NULL);

          if (keeps[f] > 0)
            fill_filter (filter, n, keeps[f], 0);
          for (guint zoom = 0; zoom < 4; zoom++)
            for (guint selection = 0; selection < 3; selection++)
              {
                g_autoptr(CmScene) scene_summarized = cm_scene_new (1, 1);
                g_autoptr(CmScene) scene_walked = cm_scene_new (1, 1);
                CmTimelineLayout *summarized = create_layout (datasets[d], 1400, 700);
                CmTimelineLayout *walked = create_layout (datasets[d], 1400, 700);
                guint counts[3], event = CM_NONE;
                gint64 t0, t1;

                cm_timeline_layout_set_walk_only (walked, TRUE);
                cm_timeline_layout_set_lane_mode (summarized, modes[m]);
                cm_timeline_layout_set_lane_mode (walked, modes[m]);
                cm_timeline_layout_set_lanes (summarized, lanes);
                cm_timeline_layout_set_lanes (walked, lanes);
                cm_timeline_layout_set_filter (summarized, keeps[f] > 0 ? filter : NULL);
                cm_timeline_layout_set_filter (walked, keeps[f] > 0 ? filter : NULL);
                set_zoom (summarized, zoom);
                cm_timeline_layout_get_range (summarized, &t0, &t1);
                cm_timeline_layout_set_range (walked, t0, t1);

                if (selection > 0)
                  {
                    /* A strip's column: its first event, or the next
                     * event kept in the same lane after it. */
                    CmTimelineHit hit;

                    cm_timeline_layout_build (summarized, scene_summarized);
                    for (double x = 200; x < 1400 && event == CM_NONE; x += 20)
                      for (double y = 60; y < 700 && event == CM_NONE; y += 5)
                        if (cm_timeline_layout_hit_test (summarized, x, y, &hit)
                            && hit.kind == CM_TIMELINE_HIT_BADGE && hit.count >= DENSITY_MIN_COUNT)
                          event = hit.event;
                    if (event != CM_NONE && selection == 2)
                      {
                        const guint32 *order = cm_dataset_get_time_order (datasets[d]);
                        guint n_lanes, n_other;
                        const guint32 *event_lanes = cm_timeline_layout_get_event_lanes (summarized, event,
                                                                                         &n_lanes);
                        guint r = 0;

                        while (order[r] != event)
                          r++;
                        for (r++; r < n; r++)
                          {
                            const guint32 *other = cm_timeline_layout_get_event_lanes (summarized, order[r],
                                                                                       &n_other);

                            if (n_other > 0 && n_lanes > 0 && other[0] == event_lanes[0]
                                && (keeps[f] == 0 || (filter[order[r] / 64] >> (order[r] % 64)) & 1))
                              break;
                          }
                        event = r < n ? order[r] : CM_NONE;
                      }
                    cm_timeline_layout_set_selected (summarized, event);
                    cm_timeline_layout_set_selected (walked, event);
                  }
                cm_timeline_layout_build (summarized, scene_summarized);
                cm_timeline_layout_build (walked, scene_walked);
                assert_same_picture (summarized, scene_summarized, walked, scene_walked, counts);
                g_assert_cmpuint (cm_timeline_layout_get_n_summarized (walked), ==, 0);
                g_assert_cmpuint (cm_timeline_layout_get_n_summarized (summarized), <=, counts[2]);
                if (zoom == 0 && selection == 0)
                  {
                    fit_visible = counts[0];
                    fit_summarized = cm_timeline_layout_get_n_summarized (summarized);
                  }
                cm_timeline_layout_free (summarized);
                cm_timeline_layout_free (walked);
              }
          cm_timeline_lanes_unref (lanes);
          /* Lanes by group hold thousands of events each at the fit: the
           * summaries count most of them. */
          if (modes[m] == CM_LANE_MODE_GROUP && keeps[f] < 20)
            g_assert_cmpuint (fit_summarized, >, fit_visible / 2);
          else if (modes[m] == CM_LANE_MODE_GROUP)
            g_assert_cmpuint (fit_summarized, >, 0);
        }
}

/* The summaries of a filter follow it: a bitset changed in place and set
 * again, and lanes of another mode under the same filter, draw as the
 * walk does. */
static void
test_summary_follows_filter (void)
{
  g_autoptr(CmDataset) dataset = create_random_dataset (30000, 4, 11);
  guint n = cm_dataset_get_n_events (dataset);
  g_autofree guint64 *filter = g_new (guint64, n / 64 + 1);
  CmTimelineLayout *summarized = create_layout (dataset, 1400, 700);
  CmTimelineLayout *walked = create_layout (dataset, 1400, 700);
  g_autoptr(CmScene) scene_summarized = cm_scene_new (1, 1);
  g_autoptr(CmScene) scene_walked = cm_scene_new (1, 1);
  guint counts[3], before;

  cm_timeline_layout_set_walk_only (walked, TRUE);
  fill_filter (filter, n, 2, 0);
  cm_timeline_layout_set_filter (summarized, filter);
  cm_timeline_layout_set_filter (walked, filter);
  set_zoom (summarized, 0);
  set_zoom (walked, 0);
  cm_timeline_layout_build (summarized, scene_summarized);
  cm_timeline_layout_build (walked, scene_walked);
  assert_same_picture (summarized, scene_summarized, walked, scene_walked, counts);
  g_assert_cmpuint (cm_timeline_layout_get_n_summarized (summarized), >, 0);
  before = counts[0];

  /* Another half, in the same bitset. */
  fill_filter (filter, n, 3, 7);
  cm_timeline_layout_set_filter (summarized, filter);
  cm_timeline_layout_set_filter (walked, filter);
  cm_timeline_layout_build (summarized, scene_summarized);
  cm_timeline_layout_build (walked, scene_walked);
  assert_same_picture (summarized, scene_summarized, walked, scene_walked, counts);
  g_assert_cmpuint (counts[0], <, before);

  /* Lanes by actor, then by place, under that filter. */
  for (CmLaneMode mode = CM_LANE_MODE_ACTOR; mode <= CM_LANE_MODE_PLACE; mode++)
    {
      cm_timeline_layout_set_lane_mode (summarized, mode);
      cm_timeline_layout_set_lane_mode (walked, mode);
      set_zoom (summarized, 0);
      set_zoom (walked, 0);
      cm_timeline_layout_build (summarized, scene_summarized);
      cm_timeline_layout_build (walked, scene_walked);
      assert_same_picture (summarized, scene_summarized, walked, scene_walked, counts);
    }
  cm_timeline_layout_free (summarized);
  cm_timeline_layout_free (walked);
}

/* The lanes' block summaries and a filter's ranks answer as a plain scan
 * of a lane does, where many events share a start (days, months) and
 * across blocks: the first position from any position whose start is at
 * or after any time, and the kept placements before any position. */
static void
test_summary_search (void)
{
  g_autoptr(CmDataset) dataset = create_random_dataset (5000, 3, 17);
  CmTimelineLanes *lanes = cm_timeline_lanes_new (dataset, CM_LANE_MODE_GROUP, NULL);
  guint n = cm_dataset_get_n_events (dataset);
  g_autofree guint64 *filter = g_new (guint64, n / 64 + 1);
  g_autoptr(GRand) rand = g_rand_new_with_seed (5);
  guint n_ties = 0;

  fill_filter (filter, n, 3, 1);
  g_assert_cmpuint (lanes->lanes->len, >=, 3);
  for (guint l = 0; l < lanes->lanes->len; l++)
    {
      const Lane *lane = &g_array_index (lanes->lanes, Lane, l);
      LaneFilter *lane_filter = _cm_timeline_lane_filter_new (lane, filter);
      guint kept = 0;

      g_assert_cmpuint (lane->n_blocks, ==, (lane->n_all + SKIP_BLOCK - 1) / SKIP_BLOCK);
      for (guint i = 0; i < lane->n_all; i++)
        {
          const Entry *entry = &lane->all[i];

          if (i % SKIP_BLOCK == 0)
            g_assert_cmpint (lane->skip[i / SKIP_BLOCK], ==, entry->start);
          g_assert_cmpuint (entry->end - entry->start, <, G_GINT64_CONSTANT (1) << lane->block_extent[i / SKIP_BLOCK]);
          n_ties += i > 0 && lane->all[i - 1].start == entry->start;

          /* Ranks and the next kept placement. */
          g_assert_cmpuint (lane_filter_rank (lane_filter, i), ==, kept);
          if ((filter[entry->event / 64] >> (entry->event % 64)) & 1)
            {
              for (guint j = i; j > 0 && j + 40 > i; j--)
                if (j == i || lane_filter_rank (lane_filter, j) == kept)
                  g_assert_cmpuint (lane_filter_next (lane_filter, j), ==, i);
              kept++;
            }
        }
      g_assert_cmpuint (lane_filter_rank (lane_filter, lane->n_all), ==, kept);
      _cm_timeline_lane_filter_free (lane_filter);

      for (guint k = 0; k < 3000; k++)
        {
          guint from = g_rand_int_range (rand, 0, lane->n_all + 1), expected;
          guint at = g_rand_int_range (rand, 0, lane->n_all);
          /* A start (tied or not), a second either side, or far away. */
          gint64 t = k % 50 == 0 ? G_MININT64 + 1 : k % 50 == 1 ? G_MAXINT64
                     : lane->all[at].start + g_rand_int_range (rand, -1, 2);

          for (expected = from; expected < lane->n_all && lane->all[expected].start < t; expected++)
            ;
          g_assert_cmpuint (_cm_timeline_lane_seek (lane, from, t), ==, expected);
        }
    }
  /* Months and minutes: many starts are shared. */
  g_assert_cmpuint (n_ties, >, 100);
  cm_timeline_lanes_unref (lanes);
}

/* A cancelled build gives nothing, at once or in a worker. */
static void
test_lanes_cancelled (void)
{
  g_autoptr(CmDataset) dataset = create_random_dataset (20000, 5, 3);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (cancellable);
  g_assert_null (cm_timeline_lanes_new (dataset, CM_LANE_MODE_GROUP, cancellable));
  g_assert_null (arrange_in_worker (dataset, CM_LANE_MODE_ACTOR, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/timeline/ticks/levels", test_ticks_levels);
  g_test_add_func ("/timeline/ticks/bce", test_ticks_bce);
  g_test_add_func ("/timeline/ticks/era-boundary", test_ticks_era_boundary);
  g_test_add_func ("/timeline/ticks/deep-time", test_ticks_deep_time);
  g_test_add_func ("/timeline/ticks/cosmological", test_ticks_cosmological);
  g_test_add_func ("/timeline/ticks/dst", test_ticks_dst);
  g_test_add_func ("/timeline/ticks/axis-offset-guess", test_axis_offset_guess);
  g_test_add_func ("/timeline/layout/time-to-x", test_time_to_x);
  g_test_add_func ("/timeline/layout/lanes", test_lanes);
  g_test_add_func ("/timeline/layout/lanes-from-worker", test_lanes_from_worker);
  g_test_add_func ("/timeline/layout/lanes-cancelled", test_lanes_cancelled);
  g_test_add_func ("/timeline/layout/overview-from-time-order", test_overview_from_time_order);
  g_test_add_func ("/timeline/layout/density-unfiltered-as-filtered", test_density_unfiltered_as_filtered);
  g_test_add_func ("/timeline/layout/summary-as-walk", test_summary_as_walk);
  g_test_add_func ("/timeline/layout/summary-follows-filter", test_summary_follows_filter);
  g_test_add_func ("/timeline/layout/summary-search", test_summary_search);
  g_test_add_func ("/timeline/layout/labels-never-overlap", test_labels_never_overlap);
  g_test_add_func ("/timeline/layout/aggregation-count", test_aggregation_count);
  g_test_add_func ("/timeline/layout/hit-test", test_hit_test);
  g_test_add_func ("/timeline/layout/precision-and-chrome", test_precision_and_chrome);
  g_test_add_func ("/timeline/layout/stacked-key-day", test_stacked_key_day);
  g_test_add_func ("/timeline/layout/stack-cap", test_stack_cap);
  g_test_add_func ("/timeline/layout/labels/sample", test_labels_sample);
  g_test_add_func ("/timeline/layout/labels/dense-lane", test_labels_dense_lane);
  g_test_add_func ("/timeline/layout/axis-breaks", test_axis_breaks);
  g_test_add_func ("/timeline/layout/open-period", test_open_period);
  g_test_add_func ("/timeline/scene/batches", test_scene_batches);

  return g_test_run ();
}
