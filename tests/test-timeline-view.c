/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-test"

#include "config.h"

#include <adwaita.h>
#include <math.h>

#include "cm-loader.h"
#include "cm-time.h"
#include "cm-timeline-view.h"
#include "generator.h"

/* The timeline in a real window, used as a person would: clicks go
 * through the widget's click gesture, keys through its key controller,
 * zoom through its actions.
 *
 * CHRONOMAP_TIMELINE_DEMO=SECONDS keeps a window open, stepping through
 * zoom levels and lane modes every SECONDS, for screenshots. */

typedef struct
{
  GtkWidget      *window;
  CmTimelineView *view;
  CmSession      *session;
  CmDataset      *dataset;
} Fixture;

static CmDataset *
load_sample (void)
{
  g_autoptr(GError) error = NULL;
  const char *datadir = g_getenv ("CHRONOMAP_DATADIR");
  g_autofree char *path = g_build_filename (datadir ? datadir : SOURCE_DATADIR,
                                            "samples", "riyadh-talks-2025.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  CmDataset *dataset = cm_loader_load_file (file, NULL, &error);

  g_assert_no_error (error);
  return dataset;
}

static void
wait_for_draw (Fixture *fixture)
{
  gtk_widget_queue_draw (GTK_WIDGET (fixture->view));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (fixture->view));
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->dataset = load_sample ();
  fixture->session = cm_session_new ();
  fixture->view = cm_timeline_view_new ();
  cm_timeline_view_set_session (fixture->view, fixture->session);
  cm_session_set_dataset (fixture->session, fixture->dataset);

  fixture->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1200, 700);
  gtk_window_set_child (GTK_WINDOW (fixture->window), GTK_WIDGET (fixture->view));
  gtk_window_present (GTK_WINDOW (fixture->window));
  while (gtk_widget_get_width (GTK_WIDGET (fixture->view)) < 600)
    g_main_context_iteration (NULL, TRUE);
  wait_for_draw (fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_clear_object (&fixture->session);
  g_clear_object (&fixture->dataset);
}

static gpointer
find_controller (GtkWidget *widget,
                 GType      type)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (controller, type))
        return controller; /* owned by the widget */
    }
  g_assert_not_reached ();
}

static void
click (Fixture *fixture,
       double   x,
       double   y)
{
  GtkGesture *gesture = find_controller (GTK_WIDGET (fixture->view), GTK_TYPE_GESTURE_CLICK);

  g_signal_emit_by_name (gesture, "pressed", 1, x, y);
  g_signal_emit_by_name (gesture, "released", 1, x, y);
  wait_for_draw (fixture);
}

static gboolean
press_key (Fixture         *fixture,
           guint            keyval,
           GdkModifierType  state)
{
  GtkEventController *keys = find_controller (GTK_WIDGET (fixture->view), GTK_TYPE_EVENT_CONTROLLER_KEY);
  gboolean handled = FALSE;

  g_signal_emit_by_name (keys, "key-pressed", keyval, 0, state, &handled);
  wait_for_draw (fixture);
  return handled;
}

static void
test_click_selects (Fixture       *fixture,
                    gconstpointer  data)
{
  CmTimelineLayout *layout = cm_timeline_view_get_layout (fixture->view);
  guint n_clicked = 0;

  g_assert_cmpuint (cm_session_get_selected_event (fixture->session), ==, CM_NONE);

  /* Every event drawn on its own can be clicked where it is drawn. */
  for (guint e = 0; e < cm_dataset_get_n_events (fixture->dataset); e++)
    {
      CmRect rect;

      if (!cm_timeline_layout_get_event_rect (layout, e, &rect))
        continue;
      click (fixture, rect.x + rect.width / 2, rect.y + rect.height / 2);
      g_assert_cmpuint (cm_session_get_selected_event (fixture->session), ==, e);
      g_assert_cmpint (cm_session_get_selection_kind (fixture->session), ==, CM_SELECTION_EVENT);
      n_clicked++;
    }
  g_assert_cmpuint (n_clicked, >=, 2);

  /* Empty space clears the selection. */
  click (fixture, gtk_widget_get_width (GTK_WIDGET (fixture->view)) - 3,
         gtk_widget_get_height (GTK_WIDGET (fixture->view)) - 3);
  g_assert_cmpuint (cm_session_get_selected_event (fixture->session), ==, CM_NONE);
}

/* Where every event is drawn (x of 0-width rects: not drawn on its own). */
static void
get_all_rects (Fixture *fixture,
               CmRect  *rects)
{
  CmTimelineLayout *layout = cm_timeline_view_get_layout (fixture->view);

  for (guint e = 0; e < cm_dataset_get_n_events (fixture->dataset); e++)
    if (!cm_timeline_layout_get_event_rect (layout, e, &rects[e]))
      memset (&rects[e], 0, sizeof rects[e]);
}

/* Clicking an event selects it and nothing moves: no row reorders, the
 * view neither pans nor scrolls, at fit and at the key day (where the
 * day's bars reach both edges). */
static void
test_click_is_stable (Fixture       *fixture,
                      gconstpointer  data)
{
  guint n = cm_dataset_get_n_events (fixture->dataset);
  g_autofree CmRect *before = g_new0 (CmRect, n);
  g_autofree CmRect *after = g_new0 (CmRect, n);
  const gint64 ranges[][2] = {
    { 0, 0 },
    { cm_time_from_civil (2025, 2, 17, 12, 0, 0), cm_time_from_civil (2025, 2, 19, 6, 0, 0) },
  };

  for (guint r = 0; r < G_N_ELEMENTS (ranges); r++)
    {
      guint n_clicked = 0;

      if (ranges[r][0] != 0)
        cm_timeline_view_set_range (fixture->view, ranges[r][0], ranges[r][1]);
      wait_for_draw (fixture);

      for (guint e = 0; e < n; e++)
        {
          gint64 t0, t1, u0, u1;
          CmRect *rect;

          get_all_rects (fixture, before);
          rect = &before[e];
          if (rect->width == 0)
            continue;
          cm_timeline_view_get_range (fixture->view, &t0, &t1);
          /* the mark's left end: at the edge for bars cut by it */
          click (fixture, rect->x + MIN (rect->width / 2, 6), rect->y + rect->height / 2);
          g_assert_cmpuint (cm_session_get_selected_event (fixture->session), ==, e);
          cm_timeline_view_get_range (fixture->view, &u0, &u1);
          g_assert_cmpint (u0, ==, t0);
          g_assert_cmpint (u1, ==, t1);
          get_all_rects (fixture, after);
          for (guint o = 0; o < n; o++)
            if (memcmp (&before[o], &after[o], sizeof (CmRect)) != 0)
              g_error ("selecting \"%s\" moved \"%s\"",
                       cm_dataset_get_event (fixture->dataset, e)->title,
                       cm_dataset_get_event (fixture->dataset, o)->title);
          n_clicked++;
        }
      g_assert_cmpuint (n_clicked, >=, 8);
    }

  /* An event out of view is brought into it when selected elsewhere. */
  cm_session_select (fixture->session, CM_SELECTION_EVENT, cm_dataset_find_event (fixture->dataset, "full-scale-invasion"));
  wait_for_draw (fixture);
  g_assert_true (cm_timeline_layout_get_event_rect (cm_timeline_view_get_layout (fixture->view),
                                                    cm_session_get_selected_event (fixture->session),
                                                    NULL));
}

/* The overview strip above the axis: a click there centres the view on
 * that time at the same zoom; dragging the brush follows the pointer. */
static void
test_overview_brush (Fixture       *fixture,
                     gconstpointer  data)
{
  CmTimelineLayout *layout = cm_timeline_view_get_layout (fixture->view);
  CmTimelineHit hit;
  CmRect plot;
  gint64 t0, t1, u0, u1, wanted;
  double x;

  /* zoomed in to a week, so that the brush is narrow */
  cm_timeline_view_set_range (fixture->view, cm_time_from_civil (2025, 2, 12, 0, 0, 0),
                              cm_time_from_civil (2025, 2, 19, 0, 0, 0));
  wait_for_draw (fixture);
  cm_timeline_layout_get_plot_area (layout, &plot);
  g_assert_true (cm_timeline_layout_hit_test (layout, plot.x + 5, 4, &hit));
  g_assert_cmpint (hit.kind, ==, CM_TIMELINE_HIT_OVERVIEW);

  cm_timeline_view_get_range (fixture->view, &t0, &t1);
  x = plot.x + plot.width * 0.1;
  wanted = cm_timeline_layout_to_axis (layout, cm_timeline_layout_overview_x_to_time (layout, x));
  click (fixture, x, 4);
  cm_timeline_view_get_range (fixture->view, &u0, &u1);
  /* the same span on the axis, centred where clicked */
  g_assert_cmpint (ABS ((cm_timeline_layout_to_axis (layout, u1) - cm_timeline_layout_to_axis (layout, u0))
                        - (cm_timeline_layout_to_axis (layout, t1) - cm_timeline_layout_to_axis (layout, t0))),
                   <=, 2);
  g_assert_cmpint (ABS ((cm_timeline_layout_to_axis (layout, u0) + cm_timeline_layout_to_axis (layout, u1)) / 2
                        - wanted), <=, 2);
  g_assert_cmpint (u0, <, t0);
}

/* A lane label selects its actor or place; by group it highlights. */
static void
test_lane_label_selects (Fixture       *fixture,
                         gconstpointer  data)
{
  CmTimelineLayout *layout = cm_timeline_view_get_layout (fixture->view);
  const CmLaneMode modes[] = { CM_LANE_MODE_ACTOR, CM_LANE_MODE_PLACE };
  const CmSelectionKind kinds[] = { CM_SELECTION_ACTOR, CM_SELECTION_PLACE };

  for (guint m = 0; m < G_N_ELEMENTS (modes); m++)
    {
      guint n_selected = 0;

      cm_timeline_view_set_lanes (fixture->view, modes[m]);
      wait_for_draw (fixture);
      for (guint lane = 0; lane < cm_timeline_layout_get_n_lanes (layout) && n_selected < 3; lane++)
        {
          double top, height;
          CmRect plot;
          guint32 key = cm_timeline_layout_get_lane_key (layout, lane);

          cm_timeline_layout_get_plot_area (layout, &plot);
          if (key == CM_NONE || !cm_timeline_layout_get_lane_extent (layout, lane, &top, &height)
              || top + 10 > plot.height)
            continue;
          click (fixture, 30, plot.y + top - cm_timeline_layout_get_scroll_y (layout) + 10);
          g_assert_cmpint (cm_session_get_selection_kind (fixture->session), ==, kinds[m]);
          g_assert_cmpuint (cm_session_get_selection_index (fixture->session), ==, key);
          n_selected++;
        }
      g_assert_cmpuint (n_selected, >=, 2);
    }
}

static void
test_click_badge_zooms (Fixture       *fixture,
                        gconstpointer  data)
{
  CmTimelineLayout *layout = cm_timeline_view_get_layout (fixture->view);
  int width = gtk_widget_get_width (GTK_WIDGET (fixture->view));
  int height = gtk_widget_get_height (GTK_WIDGET (fixture->view));
  CmTimelineHit hit = { 0, };
  gint64 t0, t1, u0, u1;
  gboolean found = FALSE;
  guint drawn_after;

  /* By actor the sample has more lanes than fit stacked, so each keeps
   * its least rows and the key day folds into badges. */
  cm_timeline_view_set_lanes (fixture->view, CM_LANE_MODE_ACTOR);
  wait_for_draw (fixture);
  for (int y = 0; y < height && !found; y += 3)
    for (int x = 0; x < width && !found; x += 3)
      found = cm_timeline_layout_hit_test (layout, x, y, &hit) && hit.kind == CM_TIMELINE_HIT_BADGE;
  g_assert_true (found);
  g_assert_cmpuint (hit.count, >=, 2);

  cm_timeline_view_get_range (fixture->view, &t0, &t1);
  click (fixture, hit.rect.x + hit.rect.width / 2, hit.rect.y + hit.rect.height / 2);
  cm_timeline_view_get_range (fixture->view, &u0, &u1);

  /* Zoomed in on the badge's events, which now show on their own. */
  g_assert_cmpint (u1 - u0, <, (t1 - t0) / 4);
  g_assert_cmpint (u0, <=, hit.start);
  g_assert_cmpint (u1, >=, hit.end);
  drawn_after = 0;
  for (guint e = 0; e < cm_dataset_get_n_events (fixture->dataset); e++)
    {
      const CmEvent *event = cm_dataset_get_event (fixture->dataset, e);

      if (event->start.seconds >= hit.start && event->start.seconds < hit.end
          && cm_timeline_layout_get_event_rect (layout, e, NULL))
        drawn_after++;
    }
  g_assert_cmpuint (drawn_after, >=, 2);
}

static void
activate_event_cb (CmTimelineView *view,
                   guint           event,
                   guint          *activated)
{
  *activated = event;
}

static void
test_keyboard_order (Fixture       *fixture,
                     gconstpointer  data)
{
  const guint32 *order = cm_dataset_get_time_order (fixture->dataset);
  guint n = cm_dataset_get_n_events (fixture->dataset);
  guint activated = CM_NONE;

  g_signal_connect (fixture->view, "activate-event", G_CALLBACK (activate_event_cb), &activated);
  gtk_widget_grab_focus (GTK_WIDGET (fixture->view));

  /* Nothing selected: Tab selects the first event in view. */
  g_assert_true (press_key (fixture, GDK_KEY_Tab, 0));
  g_assert_cmpuint (cm_session_get_selected_event (fixture->session), ==, order[0]);

  /* Right and Tab step forward in time order, through every event. */
  for (guint i = 1; i < n; i++)
    {
      g_assert_true (press_key (fixture, i % 2 ? GDK_KEY_Right : GDK_KEY_Tab, 0));
      g_assert_cmpuint (cm_session_get_selected_event (fixture->session), ==, order[i]);
    }
  /* At the end Tab lets focus move on. */
  g_assert_false (press_key (fixture, GDK_KEY_Tab, 0));

  /* Left and Shift+Tab step back. */
  g_assert_true (press_key (fixture, GDK_KEY_Left, 0));
  g_assert_cmpuint (cm_session_get_selected_event (fixture->session), ==, order[n - 2]);
  g_assert_true (press_key (fixture, GDK_KEY_ISO_Left_Tab, GDK_SHIFT_MASK));
  g_assert_cmpuint (cm_session_get_selected_event (fixture->session), ==, order[n - 3]);

  /* The selected event stays in view while stepping. */
  {
    gint64 t0, t1;
    const CmEvent *event = cm_dataset_get_event (fixture->dataset, order[n - 3]);

    cm_timeline_view_get_range (fixture->view, &t0, &t1);
    g_assert_cmpint (event->start.seconds, >=, t0);
    g_assert_cmpint (event->start.seconds, <, t1);
  }

  /* Enter asks for the details. */
  g_assert_true (press_key (fixture, GDK_KEY_Return, 0));
  g_assert_cmpuint (activated, ==, order[n - 3]);

  /* Escape clears; then the arrows pan instead. */
  g_assert_true (press_key (fixture, GDK_KEY_Escape, 0));
  g_assert_cmpuint (cm_session_get_selected_event (fixture->session), ==, CM_NONE);
  {
    gint64 t0, t1, u0, u1;

    cm_timeline_view_get_range (fixture->view, &t0, &t1);
    g_assert_true (press_key (fixture, GDK_KEY_Right, 0));
    cm_timeline_view_get_range (fixture->view, &u0, &u1);
    g_assert_cmpint (u0, >, t0);
    /* The same span on the axis (whose breaks are squeezed), up to rounding. */
    {
      CmTimelineLayout *layout = cm_timeline_view_get_layout (fixture->view);
      gint64 before = cm_timeline_layout_to_axis (layout, t1) - cm_timeline_layout_to_axis (layout, t0);
      gint64 after = cm_timeline_layout_to_axis (layout, u1) - cm_timeline_layout_to_axis (layout, u0);

      g_assert_cmpint (ABS (after - before), <=, 2);
    }
  }
}

static void
assert_every_event_in_view (Fixture *fixture)
{
  CmTimelineLayout *layout = cm_timeline_view_get_layout (fixture->view);
  int width = gtk_widget_get_width (GTK_WIDGET (fixture->view));
  CmRect plot;

  cm_timeline_layout_get_plot_area (layout, &plot);
  for (guint e = 0; e < cm_dataset_get_n_events (fixture->dataset); e++)
    {
      const CmEvent *event = cm_dataset_get_event (fixture->dataset, e);
      double x0 = cm_timeline_layout_time_to_x (layout, event->start.seconds);
      double x1 = cm_timeline_layout_time_to_x (layout, cm_time_get_end (&event->end));

      g_assert_cmpfloat (x0, >=, plot.x);
      g_assert_cmpfloat (x1, <=, width);
    }
}

static void
test_zoom_fit (Fixture       *fixture,
               gconstpointer  data)
{
  CmTimelineLayout *layout = cm_timeline_view_get_layout (fixture->view);
  gint64 t0, t1, u0, u1;
  guint visible;

  /* Opening a file fits it. */
  assert_every_event_in_view (fixture);
  cm_timeline_layout_get_counts (layout, &visible, NULL, NULL);
  g_assert_cmpuint (visible, >=, cm_dataset_get_n_events (fixture->dataset));

  cm_timeline_view_get_range (fixture->view, &t0, &t1);
  for (int i = 0; i < 6; i++)
    gtk_widget_activate_action (GTK_WIDGET (fixture->view), "timeline.zoom-in", NULL);
  wait_for_draw (fixture);
  cm_timeline_view_get_range (fixture->view, &u0, &u1);
  g_assert_cmpint (u1 - u0, <, (t1 - t0) / 8);

  gtk_widget_activate_action (GTK_WIDGET (fixture->view), "timeline.zoom-out", NULL);
  cm_timeline_view_get_range (fixture->view, &t0, &t1);
  g_assert_cmpint (t1 - t0, >, u1 - u0);

  gtk_widget_activate_action (GTK_WIDGET (fixture->view), "timeline.zoom-fit", NULL);
  wait_for_draw (fixture);
  assert_every_event_in_view (fixture);
  cm_timeline_layout_get_counts (layout, &visible, NULL, NULL);
  g_assert_cmpuint (visible, >=, cm_dataset_get_n_events (fixture->dataset));
}

/* A cosmological timeline (TimelineJS, the Big Bang to the Moon landing)
 * fits, zooms in on deep time and out as far as it goes, and back, with
 * no overflow: every range stays ordered and covers what it should. */
static void
test_zoom_cosmological (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", "import",
                                                 "timelinejs3-cosmological.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(CmDataset) dataset = cm_loader_load_file (file, NULL, &error);
  CmTimelineLayout *layout = cm_timeline_view_get_layout (fixture->view);
  gint64 big_bang = cm_time_from_civil (G_GINT64_CONSTANT (-13799999999), 1, 1, 0, 0, 0);
  gint64 t0, t1, u0, u1;
  guint visible;

  g_assert_no_error (error);
  cm_session_set_dataset (fixture->session, dataset);
  gtk_widget_activate_action (GTK_WIDGET (fixture->view), "timeline.zoom-fit", NULL);
  wait_for_draw (fixture);
  cm_timeline_view_get_range (fixture->view, &t0, &t1);
  g_assert_cmpint (t0, <=, big_bang);
  g_assert_cmpint (t1, >=, cm_time_from_civil (1969, 7, 20, 0, 0, 0));
  cm_timeline_layout_get_counts (layout, &visible, NULL, NULL);
  g_assert_cmpuint (visible, ==, cm_dataset_get_n_events (dataset));

  /* In, towards the Big Bang, to a million years. */
  for (int i = 0; i < 40; i++)
    cm_timeline_view_zoom_at (fixture->view, 1.5, cm_timeline_layout_time_to_x (layout, big_bang));
  wait_for_draw (fixture);
  cm_timeline_view_get_range (fixture->view, &u0, &u1);
  g_assert_cmpint (u0, <, u1);
  g_assert_cmpint (u1 - u0, <, (t1 - t0) / 10000);
  g_assert_cmpint (u0, <=, big_bang);
  g_assert_cmpint (u1, >=, big_bang);

  /* Out, past the whole range of times: clamped, never wrapped. */
  for (int i = 0; i < 80; i++)
    gtk_widget_activate_action (GTK_WIDGET (fixture->view), "timeline.zoom-out", NULL);
  wait_for_draw (fixture);
  cm_timeline_view_get_range (fixture->view, &u0, &u1);
  g_assert_cmpint (u0, <, u1);
  g_assert_cmpint (u1 - u0, >=, t1 - t0);
  g_assert_cmpint (u0, >=, cm_time_from_civil (-2 * CM_TIME_MAX_YEAR, 1, 1, 0, 0, 0));
  g_assert_cmpint (u1, <=, cm_time_from_civil (2 * CM_TIME_MAX_YEAR, 1, 1, 0, 0, 0));

  gtk_widget_activate_action (GTK_WIDGET (fixture->view), "timeline.zoom-fit", NULL);
  wait_for_draw (fixture);
  cm_timeline_view_get_range (fixture->view, &u0, &u1);
  g_assert_cmpint (u0, ==, t0);
  g_assert_cmpint (u1, ==, t1);
}

static void
test_zoom_anchored (Fixture       *fixture,
                    gconstpointer  data)
{
  CmTimelineLayout *layout = cm_timeline_view_get_layout (fixture->view);
  double x = 700;
  gint64 before = cm_timeline_layout_x_to_time (layout, x);
  gint64 t0, t1;

  cm_timeline_view_zoom_at (fixture->view, 3.0, x);
  wait_for_draw (fixture);
  cm_timeline_view_get_range (fixture->view, &t0, &t1);
  /* The time under the pointer stays under it (to a pixel). */
  g_assert_cmpfloat (fabs (cm_timeline_layout_time_to_x (layout, before) - x), <, 1.0);
}

static void
test_lanes_and_accessible (Fixture       *fixture,
                           gconstpointer  data)
{
  CmTimelineLayout *layout = cm_timeline_view_get_layout (fixture->view);
  guint32 event = cm_dataset_find_event (fixture->dataset, "riyadh-talks");
  g_autofree char *date = NULL;
  g_autofree char *expected = NULL;
  char *message;
  guint n_group_lanes;

  n_group_lanes = cm_timeline_layout_get_n_lanes (layout);
  g_object_set (fixture->view, "lanes", CM_LANE_MODE_ACTOR, NULL);
  wait_for_draw (fixture);
  g_assert_cmpint (cm_timeline_view_get_lanes (fixture->view), ==, CM_LANE_MODE_ACTOR);
  g_assert_cmpuint (cm_timeline_layout_get_n_lanes (layout), >, n_group_lanes);

  if (event == CM_NONE)
    event = 0;
  cm_session_select (fixture->session, CM_SELECTION_EVENT, event);
  wait_for_draw (fixture);
  date = cm_time_format (&cm_dataset_get_event (fixture->dataset, event)->start);
  expected = g_strdup_printf ("%s, %s", cm_dataset_get_event (fixture->dataset, event)->title, date);
  message = gtk_test_accessible_check_property (GTK_ACCESSIBLE (fixture->view),
                                                GTK_ACCESSIBLE_PROPERTY_LABEL, expected);
  g_assert_null (message);
}

/* Screenshots: a window that changes state every few seconds. */
/* More events than the timeline arranges at once: its lanes are
 * arranged in a worker. */
static CmDataset *
create_large_dataset (void)
{
  g_autoptr(GError) error = NULL;
  gsize length;
  char *json = cm_generator_json (12000, 300, 200, 12, 7, &length);
  g_autoptr(GBytes) bytes = g_bytes_new_take (json, length);
  CmDataset *dataset = cm_loader_load_bytes (bytes, "large.json", NULL, &error);

  g_assert_no_error (error);
  return dataset;
}

/* Runs the main loop until the timeline has its lanes (a hang is the
 * test runner's timeout: a slow machine never fails this). */
static void
wait_for_lanes (Fixture *fixture)
{
  while (cm_timeline_view_is_arranging (fixture->view))
    g_main_context_iteration (NULL, TRUE);
  wait_for_draw (fixture);
}

/* The lanes a layout arranges itself, of @dataset in @mode. */
static void
assert_lanes_as_arranged_at_once (CmTimelineLayout *layout,
                                  CmDataset        *dataset,
                                  CmLaneMode        mode)
{
  CmTimelineLayout *own = cm_timeline_layout_new ();

  cm_timeline_layout_set_dataset (own, dataset);
  cm_timeline_layout_set_lane_mode (own, mode);
  g_assert_cmpint (cm_timeline_layout_get_lane_mode (layout), ==, mode);
  g_assert_cmpuint (cm_timeline_layout_get_n_lanes (layout), ==, cm_timeline_layout_get_n_lanes (own));
  g_assert_cmpuint (cm_timeline_layout_get_n_lanes (layout), >, 1);
  for (guint l = 0; l < cm_timeline_layout_get_n_lanes (own); l++)
    g_assert_cmpstr (cm_timeline_layout_get_lane_label (layout, l), ==,
                     cm_timeline_layout_get_lane_label (own, l));
  cm_timeline_layout_free (own);
}

/* A large file: the timeline first says its lanes are being arranged
 * (no lanes, nothing drawn, no fit yet), then shows them, fitted to the
 * events, as a layout arranging them at once would. */
static void
test_arranging (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(CmDataset) large = create_large_dataset ();
  CmTimelineLayout *layout = cm_timeline_view_get_layout (fixture->view);
  guint n_visible, n_drawn, n_badges;
  gint64 t0, t1, fit0, fit1;

  cm_session_set_dataset (fixture->session, large);
  g_assert_true (cm_timeline_view_is_arranging (fixture->view));
  wait_for_draw (fixture);
  if (cm_timeline_view_is_arranging (fixture->view))
    {
      g_assert_cmpuint (cm_timeline_layout_get_n_lanes (layout), ==, 0);
      cm_timeline_layout_get_counts (layout, &n_visible, &n_drawn, &n_badges);
      g_assert_cmpuint (n_visible, ==, 0);
    }

  wait_for_lanes (fixture);
  assert_lanes_as_arranged_at_once (layout, large, CM_LANE_MODE_GROUP);
  cm_timeline_layout_get_counts (layout, &n_visible, &n_drawn, &n_badges);
  g_assert_cmpuint (n_visible, >, 0);
  cm_timeline_view_get_range (fixture->view, &t0, &t1);
  g_assert_true (cm_timeline_layout_get_fit_range (layout, &fit0, &fit1));
  g_assert_cmpint (t0, ==, fit0);
  g_assert_cmpint (t1, ==, fit1);
}

/* Lane modes switched while the lanes are arranged end in the last
 * mode's lanes; the earlier builds' results are dropped. */
static void
test_arranging_lane_switch (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(CmDataset) large = create_large_dataset ();
  CmTimelineLayout *layout = cm_timeline_view_get_layout (fixture->view);

  cm_session_set_dataset (fixture->session, large);
  cm_timeline_view_set_lanes (fixture->view, CM_LANE_MODE_ACTOR);
  g_assert_true (cm_timeline_view_is_arranging (fixture->view));
  wait_for_draw (fixture);
  cm_timeline_view_set_lanes (fixture->view, CM_LANE_MODE_PLACE);
  wait_for_lanes (fixture);
  assert_lanes_as_arranged_at_once (layout, large, CM_LANE_MODE_PLACE);

  /* Once arranged, a switch arranges again, then shows the new mode. */
  cm_timeline_view_set_lanes (fixture->view, CM_LANE_MODE_ACTOR);
  g_assert_true (cm_timeline_view_is_arranging (fixture->view));
  wait_for_lanes (fixture);
  assert_lanes_as_arranged_at_once (layout, large, CM_LANE_MODE_ACTOR);
}

static void
set_flag_once_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
}

/* Closing the window while the lanes are arranged: the worker stops, its
 * result goes nowhere, and it lets go of the dataset. */
static void
test_arranging_close (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(CmDataset) large = create_large_dataset ();

  cm_session_set_dataset (fixture->session, large);
  g_assert_true (cm_timeline_view_is_arranging (fixture->view));
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  cm_session_set_dataset (fixture->session, fixture->dataset);

  /* A worker may let go last, after its callback: look every 10 ms
   * (a hang is the test runner's timeout). */
  while (G_OBJECT (large)->ref_count > 1)
    {
      gboolean woken = FALSE;

      g_timeout_add_once (10, set_flag_once_cb, &woken);
      while (!woken)
        g_main_context_iteration (NULL, TRUE);
    }
  fixture->window = gtk_window_new ();
}

static gboolean
demo_step_cb (gpointer user_data)
{
  Fixture *fixture = user_data;
  static int step = 0;
  CmTimelineLayout *layout = cm_timeline_view_get_layout (fixture->view);
  CmDataset *dataset = cm_session_get_dataset (fixture->session);
  guint32 talks = cm_dataset_find_event (dataset, "riyadh-talks");
  const CmEvent *event;

  /* Another file: the event in the middle of its time order. */
  if (talks == CM_NONE)
    talks = cm_dataset_get_time_order (dataset)[cm_dataset_get_n_events (dataset) / 2];
  event = cm_dataset_get_event (dataset, talks);

  g_print ("demo step %d\n", step);
  switch (step++)
    {
    case 0:
      cm_timeline_view_zoom_to_fit (fixture->view);
      break;
    case 1:
      cm_timeline_view_set_range (fixture->view, event->start.seconds - 20 * 86400,
                                  event->start.seconds + 12 * 86400);
      break;
    case 2:
      /* The sample's key day: stacked rows, not badges. */
      cm_timeline_view_set_range (fixture->view, cm_time_from_civil (2025, 2, 1, 0, 0, 0),
                                  cm_time_from_civil (2025, 3, 1, 0, 0, 0));
      break;
    case 3:
      cm_timeline_view_set_range (fixture->view, cm_time_from_civil (2025, 2, 17, 0, 0, 0),
                                  cm_time_from_civil (2025, 2, 20, 0, 0, 0));
      break;
    case 4:
      cm_session_select (fixture->session, CM_SELECTION_EVENT, talks);
      cm_timeline_view_set_range (fixture->view, event->start.seconds - 36 * 3600,
                                  event->start.seconds + 30 * 3600);
      break;
    case 5:
      cm_timeline_view_set_lanes (fixture->view, CM_LANE_MODE_ACTOR);
      cm_timeline_view_zoom_to_fit (fixture->view);
      break;
    case 6:
      adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
      cm_timeline_view_set_lanes (fixture->view, CM_LANE_MODE_GROUP);
      cm_timeline_view_set_range (fixture->view, event->start.seconds - 60 * 86400,
                                  event->start.seconds + 20 * 86400);
      break;
    default:
      (void) layout;
      gtk_widget_set_visible (fixture->window, FALSE);
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static int
run_demo (guint seconds)
{
  Fixture fixture;
  const char *path = g_getenv ("CHRONOMAP_TIMELINE_DEMO_FILE");

  adw_init ();
  fixture_set_up (&fixture, NULL);
  if (path != NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (path);
      g_autoptr(GError) error = NULL;
      g_autoptr(CmDataset) dataset = cm_loader_load_file (file, NULL, &error);

      g_assert_no_error (error);
      cm_session_set_dataset (fixture.session, dataset);
    }
  gtk_window_set_default_size (GTK_WINDOW (fixture.window), 1560, 860);
  gtk_window_set_title (GTK_WINDOW (fixture.window), "Chronomap timeline");
  g_timeout_add_seconds (seconds, demo_step_cb, &fixture);
  demo_step_cb (&fixture);
  while (gtk_widget_get_visible (fixture.window))
    g_main_context_iteration (NULL, TRUE);
  fixture_tear_down (&fixture, NULL);
  return 0;
}

int
main (int   argc,
      char *argv[])
{
  /* The test AT context records accessible properties so they can be
   * checked; it talks to no bus. */
  g_setenv ("GTK_A11Y", "test", TRUE);
  gtk_test_init (&argc, &argv, NULL);

  if (g_getenv ("CHRONOMAP_TIMELINE_DEMO") != NULL)
    return run_demo (MAX (atoi (g_getenv ("CHRONOMAP_TIMELINE_DEMO")), 1));

  adw_init ();

  g_test_add ("/timeline-view/click-selects", Fixture, NULL,
              fixture_set_up, test_click_selects, fixture_tear_down);
  g_test_add ("/timeline-view/click-is-stable", Fixture, NULL,
              fixture_set_up, test_click_is_stable, fixture_tear_down);
  g_test_add ("/timeline-view/lane-label-selects", Fixture, NULL,
              fixture_set_up, test_lane_label_selects, fixture_tear_down);
  g_test_add ("/timeline-view/overview-brush", Fixture, NULL,
              fixture_set_up, test_overview_brush, fixture_tear_down);
  g_test_add ("/timeline-view/click-badge-zooms", Fixture, NULL,
              fixture_set_up, test_click_badge_zooms, fixture_tear_down);
  g_test_add ("/timeline-view/keyboard-order", Fixture, NULL,
              fixture_set_up, test_keyboard_order, fixture_tear_down);
  g_test_add ("/timeline-view/zoom-fit", Fixture, NULL,
              fixture_set_up, test_zoom_fit, fixture_tear_down);
  g_test_add ("/timeline-view/zoom-cosmological", Fixture, NULL,
              fixture_set_up, test_zoom_cosmological, fixture_tear_down);
  g_test_add ("/timeline-view/zoom-anchored", Fixture, NULL,
              fixture_set_up, test_zoom_anchored, fixture_tear_down);
  g_test_add ("/timeline-view/lanes-and-accessible", Fixture, NULL,
              fixture_set_up, test_lanes_and_accessible, fixture_tear_down);
  g_test_add ("/timeline-view/arranging", Fixture, NULL,
              fixture_set_up, test_arranging, fixture_tear_down);
  g_test_add ("/timeline-view/arranging-lane-switch", Fixture, NULL,
              fixture_set_up, test_arranging_lane_switch, fixture_tear_down);
  g_test_add ("/timeline-view/arranging-close", Fixture, NULL,
              fixture_set_up, test_arranging_close, fixture_tear_down);

  return g_test_run ();
}
