/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-timeline"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>

#include "cm-time.h"
#include "cm-timeline-view.h"
#include "cm-scene-snapshot.h"

/* The timeline widget: keeps a CmTimelineLayout and a CmScene, rebuilds
 * the scene each frame (bounded by what is on screen) and appends it as
 * render nodes. Input:
 *
 *  - Ctrl+scroll, pinch, +/- and the zoom actions zoom, anchored at the
 *    pointer (keys and actions: at the centre); Ctrl+0 fits everything.
 *  - Drag pans in time and scrolls the lanes. A horizontal scroll, and a
 *    Shift+scroll, pan in time; a vertical scroll scrolls the lanes when
 *    they overflow, else pans in time.
 *  - Left/Right and Tab/Shift+Tab move the selection event by event in
 *    time order (among the events the filter shows); with no event
 *    selected, Left/Right pan and Tab selects the first event in view.
 *    Up/Down scroll the lanes. Enter (or a double click) emits
 *    ::activate-event, Escape clears the selection. Ctrl+Tab leaves.
 *  - Click selects an event (or clears the selection on empty space); a
 *    click on a count badge zooms in on its events. */

#define MIN_SPAN      600                              /* 10 minutes */
/* Deep time: the times' range is 20 billion years either side of year 0;
 * 60 billion years are 1.9e18 s, far from gint64 overflow. */
#define MAX_SPAN      G_GINT64_CONSTANT (1893417120000000000) /* 60 billion years */
#define MAX_TIME      G_GINT64_CONSTANT (946708560000000000)  /* 30 billion years */
#define ZOOM_STEP     1.5
#define PAN_STEP      0.15                             /* of the width, per key press */
#define SCROLL_PIXELS 48.0
/* Lanes of more events than this are arranged in a worker (a few ms
 * here; half a second at a million); fewer at once, with no flash of
 * "Arranging". */
#define ARRANGE_AT_ONCE_MAX 10000

struct _CmTimelineView
{
  GtkWidget         parent_instance;

  CmSession        *session;
  CmDataset        *dataset;
  CmLaneMode        lanes;
  CmTimelineLayout *layout;
  CmScene          *scene;
  GCancellable     *arranging;        /* the lanes' build under way */

  gboolean          needs_fit;
  double            pointer_x;
  double            pointer_y;

  /* drag, on the axis */
  gint64            drag_t0;
  gint64            drag_t1;
  double            drag_scroll_y;
  gboolean          drag_moved;
  gboolean          drag_overview;     /* dragging the overview's brush */
  double            drag_x;

  /* pinch */
  gint64            zoom_t0;
  gint64            zoom_t1;

  /* the selected actor's or place's events, or a clicked group lane's */
  guint64          *highlight;
  guint32           highlight_group;
};

G_DEFINE_FINAL_TYPE (CmTimelineView, cm_timeline_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_LANES,
  PROP_AXIS_BREAKS,
  N_PROPS
};

enum {
  ACTIVATE_EVENT,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* ---------------------------------------------------------------------- */
/* Range                                                                   */

static void
update_theme (CmTimelineView *self)
{
  CmTimelineTheme theme;

  cm_timeline_theme_init (&theme, adw_style_manager_get_dark (adw_style_manager_get_default ()));
  cm_timeline_layout_set_theme (self->layout, &theme);
}

static void
sync_layout_size (CmTimelineView *self)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));
  PangoFontDescription *font;
  g_autofree char *font_name = NULL;

  font = pango_context_get_font_description (gtk_widget_get_pango_context (GTK_WIDGET (self)));
  font_name = pango_font_description_to_string (font);
  cm_timeline_layout_set_font (self->layout, font_name);
  cm_timeline_layout_set_size (self->layout, MAX (width, 1), MAX (height, 1));
}

void
cm_timeline_view_set_range (CmTimelineView *self,
                            gint64          t0,
                            gint64          t1)
{
  gint64 span;

  g_return_if_fail (CM_IS_TIMELINE_VIEW (self));
  g_return_if_fail (t1 > t0);

  span = CLAMP (t1 - t0, MIN_SPAN, MAX_SPAN);
  if (span != t1 - t0)
    {
      gint64 mid = t0 + (t1 - t0) / 2;

      t0 = mid - span / 2;
    }
  t0 = CLAMP (t0, -MAX_TIME, MAX_TIME);
  cm_timeline_layout_set_range (self->layout, t0, t0 + span);
  self->needs_fit = FALSE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Sets the range from axis units (breaks squeezed). */
static void
set_axis_range (CmTimelineView *self,
                gint64          a0,
                gint64          a1)
{
  cm_timeline_view_set_range (self, cm_timeline_layout_from_axis (self->layout, a0),
                              cm_timeline_layout_from_axis (self->layout, a1));
}

void
cm_timeline_view_get_range (CmTimelineView *self,
                            gint64         *t0,
                            gint64         *t1)
{
  g_return_if_fail (CM_IS_TIMELINE_VIEW (self));

  if (self->needs_fit)
    cm_timeline_view_zoom_to_fit (self);
  cm_timeline_layout_get_range (self->layout, t0, t1);
}

void
cm_timeline_view_zoom_to_fit (CmTimelineView *self)
{
  gint64 t0, t1;

  g_return_if_fail (CM_IS_TIMELINE_VIEW (self));

  sync_layout_size (self);
  if (cm_timeline_layout_get_fit_range (self->layout, &t0, &t1))
    cm_timeline_view_set_range (self, t0, t1);
  /* Until the widget has a width and the lanes are arranged. */
  self->needs_fit = gtk_widget_get_width (GTK_WIDGET (self)) <= 1
                    || cm_timeline_layout_is_arranging (self->layout);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* The fit waits while the lanes are arranged (it needs the breaks). */
static gboolean
can_fit (CmTimelineView *self)
{
  return self->needs_fit && self->dataset != NULL && !cm_timeline_layout_is_arranging (self->layout);
}

void
cm_timeline_view_zoom_at (CmTimelineView *self,
                          double          factor,
                          double          x)
{
  CmRect plot;
  gint64 t0, t1, a0, a1, anchor, span;
  double fraction;

  g_return_if_fail (CM_IS_TIMELINE_VIEW (self));
  g_return_if_fail (factor > 0);

  /* On the axis, so that a break keeps its place under the pointer. */
  cm_timeline_view_get_range (self, &t0, &t1);
  a0 = cm_timeline_layout_to_axis (self->layout, t0);
  a1 = cm_timeline_layout_to_axis (self->layout, t1);
  cm_timeline_layout_get_plot_area (self->layout, &plot);
  fraction = plot.width > 0 ? CLAMP ((x - plot.x) / plot.width, 0, 1) : 0.5;
  anchor = a0 + (gint64) ((a1 - a0) * fraction);
  span = (gint64) CLAMP ((a1 - a0) / factor, MIN_SPAN, (double) MAX_SPAN);
  a0 = anchor - (gint64) (span * fraction);
  set_axis_range (self, a0, a0 + span);
}

static void
zoom_centre (CmTimelineView *self,
             double          factor)
{
  CmRect plot;

  cm_timeline_layout_get_plot_area (self->layout, &plot);
  cm_timeline_view_zoom_at (self, factor, plot.x + plot.width / 2);
}

static void
pan_pixels (CmTimelineView *self,
            double          dx)
{
  CmRect plot;
  gint64 t0, t1, a0, a1, shift;

  cm_timeline_view_get_range (self, &t0, &t1);
  cm_timeline_layout_get_plot_area (self->layout, &plot);
  if (plot.width <= 0)
    return;
  a0 = cm_timeline_layout_to_axis (self->layout, t0);
  a1 = cm_timeline_layout_to_axis (self->layout, t1);
  shift = (gint64) (dx / plot.width * (a1 - a0));
  set_axis_range (self, a0 + shift, a1 + shift);
}

static void
scroll_lanes (CmTimelineView *self,
              double          dy)
{
  cm_timeline_layout_set_scroll_y (self->layout, cm_timeline_layout_get_scroll_y (self->layout) + dy);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static gboolean
lanes_overflow (CmTimelineView *self)
{
  CmRect plot;

  cm_timeline_layout_get_plot_area (self->layout, &plot);
  return cm_timeline_layout_get_content_height (self->layout) > plot.height;
}

/* Pans (keeping the zoom) so @event is in view when none of it is, and
 * scrolls its first lane into view when it is out of view: an event the
 * user can see never moves under the pointer. */
static void
reveal_event (CmTimelineView *self,
              guint           event)
{
  const CmEvent *e = cm_dataset_get_event (self->dataset, event);
  CmRect plot;
  gint64 t0, t1, span, end = cm_time_get_end (&e->end);
  const guint32 *lanes;
  guint n_lanes;

  if (e->undated)
    return;

  cm_timeline_view_get_range (self, &t0, &t1);
  if (e->start.seconds >= t1 || end <= t0)
    {
      gint64 a = cm_timeline_layout_to_axis (self->layout, e->start.seconds);

      span = cm_timeline_layout_to_axis (self->layout, t1) - cm_timeline_layout_to_axis (self->layout, t0);
      set_axis_range (self, a - span / 3, a - span / 3 + span);
    }

  lanes = cm_timeline_layout_get_event_lanes (self->layout, event, &n_lanes);
  cm_timeline_layout_get_plot_area (self->layout, &plot);
  if (n_lanes > 0 && plot.height > 0)
    {
      double top, lane_height, scroll = cm_timeline_layout_get_scroll_y (self->layout);

      /* Lanes are as high as the rows they stack; before a first build,
       * they all count at their least. */
      if (!cm_timeline_layout_get_lane_extent (self->layout, lanes[0], &top, &lane_height))
        {
          lane_height = cm_timeline_layout_get_content_height (self->layout)
                        / MAX (cm_timeline_layout_get_n_lanes (self->layout), 1);
          top = lanes[0] * lane_height;
        }
      if (top + lane_height <= scroll || top >= scroll + plot.height)
        cm_timeline_layout_set_scroll_y (self->layout, top - (plot.height - lane_height) / 2);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* ---------------------------------------------------------------------- */
/* Selection                                                               */

static gboolean
is_event_shown (CmTimelineView *self,
                guint           event)
{
  return cm_session_is_event_visible (self->session, event);
}

/* The next (direction 1) or previous (-1) shown event in time order from
 * @from; from none: the first shown event starting in view. */
static guint
find_adjacent_event (CmTimelineView *self,
                     guint           from,
                     int             direction)
{
  const guint32 *order = cm_dataset_get_time_order (self->dataset);
  gint64 n = cm_dataset_get_n_dated_events (self->dataset);
  gint64 rank;

  if (from == CM_NONE)
    {
      gint64 t0, t1;

      cm_timeline_view_get_range (self, &t0, &t1);
      rank = direction > 0 ? cm_dataset_bisect_start (self->dataset, t0)
                           : (gint64) cm_dataset_bisect_start (self->dataset, t1) - 1;
    }
  else
    rank = (gint64) cm_dataset_get_time_rank (self->dataset, from) + direction;

  for (; rank >= 0 && rank < n; rank += direction)
    if (is_event_shown (self, order[rank]))
      return order[rank];

  return CM_NONE;
}

static gboolean
move_selection (CmTimelineView *self,
                int             direction)
{
  guint event;

  if (self->dataset == NULL)
    return FALSE;

  event = find_adjacent_event (self, cm_session_get_selected_event (self->session), direction);
  if (event == CM_NONE)
    return FALSE;

  cm_session_select (self->session, CM_SELECTION_EVENT, event);
  return TRUE;
}

static char *
describe_event_date (CmDataset     *dataset,
                     const CmEvent *event)
{
  g_autofree char *start = NULL;
  g_autofree char *end = NULL;

  if (event->undated)
    return g_strdup (_("Undated"));
  start = cm_time_format (&event->start);
  if (!event->has_end || cm_time_compare (&event->start, &event->end) == 0)
    return g_steal_pointer (&start);

  end = cm_time_format (&event->end);
  /* Translators: a span of dates, e.g. "18 February 2025 – 20 February 2025" */
  return g_strdup_printf (_("%s – %s"), start, end);
}

static void
update_accessible (CmTimelineView *self)
{
  guint event = self->session ? cm_session_get_selected_event (self->session) : CM_NONE;
  const CmEvent *e;
  g_autofree char *date = NULL;
  g_autofree char *label = NULL;
  g_autofree char *summary = NULL;

  if (self->dataset == NULL || event == CM_NONE)
    {
      gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Timeline"),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, _("No event selected"),
                                      -1);
      return;
    }

  e = cm_dataset_get_event (self->dataset, event);
  date = describe_event_date (self->dataset, e);
  summary = cm_dataset_dup_event_summary (self->dataset, e);
  /* Translators: accessible label of the timeline, e.g. "Talks in Riyadh, 18 February 2025" */
  label = g_strdup_printf (_("%s, %s"), e->title, date);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  summary ? summary : date,
                                  -1);
}

/* Highlights the events of the selected actor or place, or of the group
 * whose lane label was clicked (@group, CM_NONE for none). */
static void
update_highlight (CmTimelineView *self,
                  guint32         group)
{
  CmSelectionKind kind = self->session ? cm_session_get_selection_kind (self->session)
                                       : CM_SELECTION_NONE;
  guint index = self->session ? cm_session_get_selection_index (self->session) : 0;
  guint n;

  g_clear_pointer (&self->highlight, g_free);
  self->highlight_group = group;
  cm_timeline_layout_set_highlight (self->layout, NULL);
  if (self->dataset == NULL
      || (group == CM_NONE && kind != CM_SELECTION_ACTOR && kind != CM_SELECTION_PLACE))
    return;

  n = cm_dataset_get_n_events (self->dataset);
  self->highlight = g_new0 (guint64, n / 64 + 1);
  if (group != CM_NONE)
    {
      for (guint e = 0; e < n; e++)
        if (cm_dataset_get_event_group (self->dataset, cm_dataset_get_event (self->dataset, e)) == group)
          self->highlight[e / 64] |= G_GUINT64_CONSTANT (1) << (e % 64);
    }
  else
    {
      /* From the dataset's index: no pass over a million events. */
      guint n_events;
      const guint32 *events = kind == CM_SELECTION_ACTOR
                              ? cm_dataset_get_actor_events (self->dataset, index, &n_events)
                              : cm_dataset_get_place_events (self->dataset, index, &n_events);

      for (guint i = 0; i < n_events; i++)
        self->highlight[events[i] / 64] |= G_GUINT64_CONSTANT (1) << (events[i] % 64);
    }
  cm_timeline_layout_set_highlight (self->layout, self->highlight);
}

static void
selection_changed_cb (CmTimelineView *self,
                      CmSession      *session)
{
  guint event = cm_session_get_selected_event (session);

  update_highlight (self, CM_NONE);

  cm_timeline_layout_set_selected (self->layout, event);
  if (event != CM_NONE && self->dataset != NULL && !self->needs_fit)
    reveal_event (self, event);
  update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
filter_changed_cb (CmTimelineView *self,
                   CmSession      *session)
{
  CmFilter *filter = cm_session_get_filter (session);
  guint n_visible;

  cm_timeline_layout_set_filter (self->layout,
                                 filter && cm_filter_is_active (filter)
                                 ? cm_filter_get_visible (filter, &n_visible) : NULL);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Lanes for the dataset and lane mode on show: the axis offset they
 * found, and the fit that waited for them. */
static void
apply_lanes (CmTimelineView  *self,
             CmTimelineLanes *lanes)
{
  cm_timeline_layout_set_lanes (self->layout, lanes);
  cm_timeline_layout_set_axis_offset (self->layout, cm_timeline_lanes_get_axis_offset (lanes));
  if (self->needs_fit && gtk_widget_get_width (GTK_WIDGET (self)) > 1)
    cm_timeline_view_zoom_to_fit (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
lanes_ready_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(CmTimelineView) self = user_data;
  g_autoptr(CmTimelineLanes) lanes = cm_timeline_lanes_new_finish (result, NULL);

  /* Cancelled: another dataset or lane mode came, or the view went. */
  if (lanes == NULL || cm_timeline_lanes_get_dataset (lanes) != self->dataset
      || cm_timeline_lanes_get_mode (lanes) != self->lanes)
    return;

  g_clear_object (&self->arranging);
  apply_lanes (self, lanes);
}

/* Arranges the lanes of the dataset in the lane mode: at once when it is
 * small, else in a worker while the timeline says so. */
static void
arrange_lanes (CmTimelineView *self)
{
  g_cancellable_cancel (self->arranging);
  g_clear_object (&self->arranging);
  if (self->dataset == NULL)
    return;

  if (cm_dataset_get_n_events (self->dataset) <= ARRANGE_AT_ONCE_MAX)
    {
      g_autoptr(CmTimelineLanes) lanes = cm_timeline_lanes_new (self->dataset, self->lanes, NULL);

      cm_timeline_layout_set_wait_for_lanes (self->layout, FALSE);
      apply_lanes (self, lanes);
      return;
    }

  cm_timeline_layout_set_wait_for_lanes (self->layout, TRUE);
  self->arranging = g_cancellable_new ();
  cm_timeline_lanes_new_async (self->dataset, self->lanes, self->arranging, lanes_ready_cb,
                               g_object_ref (self));
}

static void
dataset_changed_cb (CmTimelineView *self,
                    GParamSpec     *pspec,
                    CmSession      *session)
{
  CmDataset *dataset = cm_session_get_dataset (session);

  if (self->dataset == dataset)
    return;

  g_set_object (&self->dataset, dataset);
  cm_timeline_layout_set_dataset (self->layout, dataset);
  update_highlight (self, CM_NONE);
  filter_changed_cb (self, session);
  cm_timeline_layout_set_selected (self->layout, cm_session_get_selected_event (session));
  self->needs_fit = TRUE;
  arrange_lanes (self);
  if (can_fit (self) && gtk_widget_get_width (GTK_WIDGET (self)) > 1)
    cm_timeline_view_zoom_to_fit (self);
  update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* ---------------------------------------------------------------------- */
/* Input                                                                   */

static void
activate_selected (CmTimelineView *self)
{
  guint event = self->session ? cm_session_get_selected_event (self->session) : CM_NONE;

  if (event != CM_NONE)
    g_signal_emit (self, signals[ACTIVATE_EVENT], 0, event);
}

static void
zoom_to_badge (CmTimelineView      *self,
               const CmTimelineHit *hit)
{
  gint64 span = MAX (hit->end - hit->start, MIN_SPAN);
  gint64 t0, t1;

  /* Events that overlap across most of the view (say, several known only
   * to the same day) do not come apart by zooming: select the first, and
   * Tab walks through the others. */
  cm_timeline_view_get_range (self, &t0, &t1);
  if (span >= (t1 - t0) / 3 && hit->event != CM_NONE)
    {
      cm_session_select (self->session, CM_SELECTION_EVENT, hit->event);
      return;
    }

  /* The badge's events spread over most of the view. */
  cm_timeline_view_set_range (self, hit->start - span / 8, hit->start + span + span / 4);
}

/* Centres the view, at its zoom, on the time under @x in the overview. */
static void
centre_on_overview (CmTimelineView *self,
                    double          x,
                    gint64          a0,
                    gint64          a1)
{
  gint64 centre = cm_timeline_layout_to_axis (self->layout,
                                              cm_timeline_layout_overview_x_to_time (self->layout, x));

  set_axis_range (self, centre - (a1 - a0) / 2, centre - (a1 - a0) / 2 + (a1 - a0));
}

/* A lane label selects its actor or place; a group lane (groups have no
 * page of their own) highlights its group's events, a second click ends
 * that. */
static void
select_lane (CmTimelineView *self,
             guint           lane)
{
  guint32 key = cm_timeline_layout_get_lane_key (self->layout, lane);

  if (key == CM_NONE)
    return;
  switch (self->lanes)
    {
    case CM_LANE_MODE_ACTOR:
      cm_session_select (self->session, CM_SELECTION_ACTOR, key);
      break;
    case CM_LANE_MODE_PLACE:
      cm_session_select (self->session, CM_SELECTION_PLACE, key);
      break;
    case CM_LANE_MODE_GROUP:
      update_highlight (self, self->highlight_group == key ? CM_NONE : key);
      gtk_widget_queue_draw (GTK_WIDGET (self));
      break;
    case CM_LANE_MODE_NONE:
    default:
      break;
    }
}

static void
click_released_cb (CmTimelineView *self,
                   int             n_press,
                   double          x,
                   double          y,
                   GtkGestureClick *gesture)
{
  CmTimelineHit hit;

  if (self->drag_moved || self->session == NULL || self->dataset == NULL)
    return;

  gtk_widget_grab_focus (GTK_WIDGET (self));
  cm_timeline_layout_hit_test (self->layout, x, y, &hit);

  switch (hit.kind)
    {
    case CM_TIMELINE_HIT_EVENT:
      cm_session_select (self->session, CM_SELECTION_EVENT, hit.event);
      if (n_press == 2)
        activate_selected (self);
      break;

    case CM_TIMELINE_HIT_BADGE:
      zoom_to_badge (self, &hit);
      break;

    case CM_TIMELINE_HIT_LANE:
      select_lane (self, hit.lane);
      break;

    case CM_TIMELINE_HIT_PERIOD:
      break;

    case CM_TIMELINE_HIT_OVERVIEW:
      {
        gint64 t0, t1;

        cm_timeline_view_get_range (self, &t0, &t1);
        centre_on_overview (self, x, cm_timeline_layout_to_axis (self->layout, t0),
                            cm_timeline_layout_to_axis (self->layout, t1));
      }
      break;

    case CM_TIMELINE_HIT_NONE:
    default:
      cm_session_select (self->session, CM_SELECTION_NONE, 0);
      break;
    }
}

static void
drag_begin_cb (CmTimelineView *self,
               double          x,
               double          y,
               GtkGestureDrag *gesture)
{
  cm_timeline_view_get_range (self, &self->drag_t0, &self->drag_t1);
  self->drag_t0 = cm_timeline_layout_to_axis (self->layout, self->drag_t0);
  self->drag_t1 = cm_timeline_layout_to_axis (self->layout, self->drag_t1);
  self->drag_scroll_y = cm_timeline_layout_get_scroll_y (self->layout);
  self->drag_moved = FALSE;
  {
    CmTimelineHit hit;

    self->drag_x = x;
    self->drag_overview = cm_timeline_layout_hit_test (self->layout, x, y, &hit)
                          && hit.kind == CM_TIMELINE_HIT_OVERVIEW;
  }
}

static void
drag_update_cb (CmTimelineView *self,
                double          dx,
                double          dy,
                GtkGestureDrag *gesture)
{
  CmRect plot;
  gint64 shift;

  if (!self->drag_moved && hypot (dx, dy) < 4)
    return;
  if (!self->drag_moved)
    gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "grabbing");
  self->drag_moved = TRUE;

  /* In the overview the brush follows the pointer. */
  if (self->drag_overview)
    {
      centre_on_overview (self, self->drag_x + dx, self->drag_t0, self->drag_t1);
      return;
    }

  cm_timeline_layout_get_plot_area (self->layout, &plot);
  if (plot.width <= 0)
    return;
  shift = (gint64) (-dx / plot.width * (self->drag_t1 - self->drag_t0));
  set_axis_range (self, self->drag_t0 + shift, self->drag_t1 + shift);
  cm_timeline_layout_set_scroll_y (self->layout, self->drag_scroll_y - dy);
}

static void
drag_end_cb (CmTimelineView *self,
             double          dx,
             double          dy,
             GtkGestureDrag *gesture)
{
  gtk_widget_set_cursor (GTK_WIDGET (self), NULL);
}

static gboolean
scroll_cb (CmTimelineView           *self,
           double                    dx,
           double                    dy,
           GtkEventControllerScroll *controller)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));
  GdkScrollUnit unit = GDK_SCROLL_UNIT_WHEEL;
  double step;

#if GTK_CHECK_VERSION (4, 8, 0)
  unit = gtk_event_controller_scroll_get_unit (controller);
#endif
  step = unit == GDK_SCROLL_UNIT_WHEEL ? SCROLL_PIXELS : 1.0;

  if (state & GDK_CONTROL_MASK)
    {
      double factor = unit == GDK_SCROLL_UNIT_WHEEL ? pow (ZOOM_STEP, -dy) : exp (-dy * 0.01);

      cm_timeline_view_zoom_at (self, factor, self->pointer_x);
      return TRUE;
    }

  if (state & GDK_SHIFT_MASK)
    dx += dy, dy = 0;
  if (dy != 0 && !lanes_overflow (self))
    dx += dy, dy = 0;

  if (dx != 0)
    pan_pixels (self, dx * step);
  if (dy != 0)
    scroll_lanes (self, dy * step);
  return TRUE;
}

static void
motion_cb (CmTimelineView           *self,
           double                    x,
           double                    y,
           GtkEventControllerMotion *controller)
{
  self->pointer_x = x;
  self->pointer_y = y;
}

static void
zoom_begin_cb (CmTimelineView   *self,
               GdkEventSequence *sequence,
               GtkGesture       *gesture)
{
  cm_timeline_view_get_range (self, &self->zoom_t0, &self->zoom_t1);
}

static void
zoom_scale_changed_cb (CmTimelineView *self,
                       double          scale,
                       GtkGestureZoom *gesture)
{
  double cx, cy;

  if (scale <= 0)
    return;
  if (!gtk_gesture_get_bounding_box_center (GTK_GESTURE (gesture), &cx, &cy))
    {
      CmRect plot;

      cm_timeline_layout_get_plot_area (self->layout, &plot);
      cx = plot.x + plot.width / 2;
    }

  /* Relative to the range at the start of the pinch, not cumulative. */
  cm_timeline_layout_set_range (self->layout, self->zoom_t0, self->zoom_t1);
  cm_timeline_view_zoom_at (self, scale, cx);
}

static gboolean
key_pressed_cb (CmTimelineView        *self,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                GtkEventControllerKey *controller)
{
  gboolean selected = self->session != NULL
                      && cm_session_get_selected_event (self->session) != CM_NONE;
  CmRect plot;

  if (state & (GDK_CONTROL_MASK | GDK_ALT_MASK))
    return FALSE;

  cm_timeline_layout_get_plot_area (self->layout, &plot);

  switch (keyval)
    {
    case GDK_KEY_Left:
    case GDK_KEY_KP_Left:
    case GDK_KEY_Right:
    case GDK_KEY_KP_Right:
      {
        int direction = keyval == GDK_KEY_Left || keyval == GDK_KEY_KP_Left ? -1 : 1;

        if (selected)
          move_selection (self, direction);
        else
          pan_pixels (self, direction * PAN_STEP * plot.width);
        return TRUE;
      }

    case GDK_KEY_Tab:
    case GDK_KEY_KP_Tab:
    case GDK_KEY_ISO_Left_Tab:
      return move_selection (self, keyval == GDK_KEY_ISO_Left_Tab || (state & GDK_SHIFT_MASK) ? -1 : 1);

    case GDK_KEY_Up:
    case GDK_KEY_KP_Up:
    case GDK_KEY_Down:
    case GDK_KEY_KP_Down:
      scroll_lanes (self, (keyval == GDK_KEY_Up || keyval == GDK_KEY_KP_Up ? -1 : 1) * SCROLL_PIXELS);
      return TRUE;

    case GDK_KEY_Return:
    case GDK_KEY_KP_Enter:
    case GDK_KEY_ISO_Enter:
    case GDK_KEY_space:
      activate_selected (self);
      return selected;

    case GDK_KEY_Escape:
      if (!selected)
        return FALSE;
      cm_session_select (self->session, CM_SELECTION_NONE, 0);
      return TRUE;

    default:
      return FALSE;
    }
}

static gboolean
cm_timeline_view_query_tooltip (GtkWidget  *widget,
                                int         x,
                                int         y,
                                gboolean    keyboard_mode,
                                GtkTooltip *tooltip)
{
  CmTimelineView *self = CM_TIMELINE_VIEW (widget);
  g_autoptr(GString) markup = g_string_new (NULL);
  g_autofree char *title = NULL;
  g_autofree char *date = NULL;
  CmTimelineHit hit;

  if (self->dataset == NULL)
    return FALSE;

  if (keyboard_mode)
    {
      guint event = cm_session_get_selected_event (self->session);

      if (event == CM_NONE)
        return FALSE;
      hit.kind = CM_TIMELINE_HIT_EVENT;
      hit.event = event;
    }
  else if (!cm_timeline_layout_hit_test (self->layout, x, y, &hit))
    return FALSE;

  if (hit.kind == CM_TIMELINE_HIT_EVENT)
    {
      const CmEvent *event = cm_dataset_get_event (self->dataset, hit.event);
      const guint32 *places;
      guint n_places;

      title = g_markup_escape_text (event->title, -1);
      date = describe_event_date (self->dataset, event);
      g_string_append_printf (markup, "<b>%s</b>\n%s", title, date);
      places = cm_dataset_get_event_places (self->dataset, event, &n_places);
      for (guint i = 0; i < n_places; i++)
        {
          g_autofree char *name = g_markup_escape_text (cm_dataset_get_place (self->dataset, places[i])->name, -1);

          g_string_append (markup, i == 0 ? "\n" : ", ");
          g_string_append (markup, name);
        }
    }
  else if (hit.kind == CM_TIMELINE_HIT_BADGE)
    {
      CmTime start = { .seconds = hit.start, .precision = CM_PRECISION_DAY };
      CmTime end = { .seconds = hit.end - 1, .precision = CM_PRECISION_DAY };
      g_autofree char *from = cm_time_format (&start);
      g_autofree char *to = cm_time_format (&end);

      g_string_append_printf (markup,
                              g_dngettext (NULL, "<b>%u event</b>", "<b>%u events</b>", hit.count),
                              hit.count);
      g_string_append_printf (markup, "\n%s – %s\n%s", from, to, _("Click to zoom in"));
    }
  else if (hit.kind == CM_TIMELINE_HIT_PERIOD)
    {
      const CmPeriod *period = cm_dataset_get_period (self->dataset, hit.event);
      g_autofree char *from = cm_time_format (&period->start);

      title = g_markup_escape_text (period->title, -1);
      if (period->has_end)
        {
          g_autofree char *to = cm_time_format (&period->end);

          /* Translators: a span of dates, e.g. "18 February 2025 – 20 February 2025" */
          date = g_strdup_printf (_("%s – %s"), from, to);
        }
      else
        /* Translators: a period still going on, e.g. "From 24 February 2022; no end date" */
        date = g_strdup_printf (_("From %s; no end date"), from);
      g_string_append_printf (markup, "<b>%s</b>\n%s", title, date);
      if (period->description != NULL)
        {
          g_autofree char *description = g_markup_escape_text (period->description, -1);

          g_string_append_printf (markup, "\n%s", description);
        }
    }
  else if (hit.kind == CM_TIMELINE_HIT_OVERVIEW)
    g_string_append (markup, _("All events: click or drag to move the view"));
  else if (hit.kind == CM_TIMELINE_HIT_LANE)
    {
      title = g_markup_escape_text (cm_timeline_layout_get_lane_label (self->layout, hit.lane), -1);
      g_string_append (markup, title);
      if (cm_timeline_layout_get_lane_key (self->layout, hit.lane) != CM_NONE)
        {
          if (self->lanes == CM_LANE_MODE_GROUP)
            g_string_append_printf (markup, "\n%s", _("Click to highlight its events"));
          else if (self->lanes != CM_LANE_MODE_NONE)
            g_string_append_printf (markup, "\n%s", _("Click to select"));
        }
    }
  else
    return FALSE;

  gtk_tooltip_set_markup (tooltip, markup->str);
  gtk_tooltip_set_tip_area (tooltip, &(GdkRectangle) { hit.rect.x, hit.rect.y,
                                                        MAX (hit.rect.width, 1),
                                                        MAX (hit.rect.height, 1) });
  return TRUE;
}

static void
zoom_in_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  zoom_centre (CM_TIMELINE_VIEW (widget), ZOOM_STEP);
}

static void
zoom_out_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  zoom_centre (CM_TIMELINE_VIEW (widget), 1 / ZOOM_STEP);
}

static void
zoom_fit_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  cm_timeline_view_zoom_to_fit (CM_TIMELINE_VIEW (widget));
}

static void
dark_changed_cb (CmTimelineView  *self,
                 GParamSpec      *pspec,
                 AdwStyleManager *manager)
{
  update_theme (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* ---------------------------------------------------------------------- */
/* GtkWidget                                                               */

static void
cm_timeline_view_snapshot (GtkWidget   *widget,
                           GtkSnapshot *snapshot)
{
  CmTimelineView *self = CM_TIMELINE_VIEW (widget);

  sync_layout_size (self);
  if (can_fit (self))
    cm_timeline_view_zoom_to_fit (self);

  cm_timeline_layout_set_today (self->layout, TRUE, g_get_real_time () / G_USEC_PER_SEC);
  cm_timeline_layout_build (self->layout, self->scene);

  if (G_UNLIKELY (g_getenv ("CHRONOMAP_TIMELINE_CAIRO") != NULL))
    {
      cairo_t *cr = gtk_snapshot_append_cairo (snapshot,
                                               &GRAPHENE_RECT_INIT (0, 0,
                                                                    gtk_widget_get_width (widget),
                                                                    gtk_widget_get_height (widget)));

      cm_scene_render_cairo (self->scene, cr);
      cairo_destroy (cr);
      return;
    }

  cm_scene_snapshot (snapshot, self->scene);
}

static void
cm_timeline_view_size_allocate (GtkWidget *widget,
                                int        width,
                                int        height,
                                int        baseline)
{
  CmTimelineView *self = CM_TIMELINE_VIEW (widget);

  sync_layout_size (self);
  if (can_fit (self) && width > 1)
    cm_timeline_view_zoom_to_fit (self);
}

static void
cm_timeline_view_measure (GtkWidget      *widget,
                          GtkOrientation  orientation,
                          int             for_size,
                          int            *minimum,
                          int            *natural,
                          int            *minimum_baseline,
                          int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    *minimum = 240, *natural = 800;
  else
    *minimum = 160, *natural = 480;
}

static void
cm_timeline_view_dispose (GObject *object)
{
  CmTimelineView *self = CM_TIMELINE_VIEW (object);

  cm_timeline_view_set_session (self, NULL);
  g_cancellable_cancel (self->arranging);
  g_clear_object (&self->arranging);
  g_clear_object (&self->dataset);

  G_OBJECT_CLASS (cm_timeline_view_parent_class)->dispose (object);
}

static void
cm_timeline_view_finalize (GObject *object)
{
  CmTimelineView *self = CM_TIMELINE_VIEW (object);

  g_clear_pointer (&self->scene, cm_scene_free);
  g_clear_pointer (&self->layout, cm_timeline_layout_free);
  g_clear_pointer (&self->highlight, g_free);

  G_OBJECT_CLASS (cm_timeline_view_parent_class)->finalize (object);
}

static void
cm_timeline_view_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  CmTimelineView *self = CM_TIMELINE_VIEW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;

    case PROP_LANES:
      g_value_set_enum (value, self->lanes);
      break;

    case PROP_AXIS_BREAKS:
      g_value_set_boolean (value, cm_timeline_view_get_axis_breaks (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cm_timeline_view_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  CmTimelineView *self = CM_TIMELINE_VIEW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      cm_timeline_view_set_session (self, g_value_get_object (value));
      break;

    case PROP_LANES:
      cm_timeline_view_set_lanes (self, g_value_get_enum (value));
      break;

    case PROP_AXIS_BREAKS:
      cm_timeline_view_set_axis_breaks (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cm_timeline_view_class_init (CmTimelineViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cm_timeline_view_dispose;
  object_class->finalize = cm_timeline_view_finalize;
  object_class->get_property = cm_timeline_view_get_property;
  object_class->set_property = cm_timeline_view_set_property;

  widget_class->snapshot = cm_timeline_view_snapshot;
  widget_class->size_allocate = cm_timeline_view_size_allocate;
  widget_class->measure = cm_timeline_view_measure;
  widget_class->query_tooltip = cm_timeline_view_query_tooltip;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL,
                         CM_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_LANES] =
    g_param_spec_enum ("lanes", NULL, NULL,
                       CM_TYPE_LANE_MODE, CM_LANE_MODE_GROUP,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /* Whether long empty stretches are compressed into breaks (when they
   * would take over a third of the width). */
  properties[PROP_AXIS_BREAKS] =
    g_param_spec_boolean ("axis-breaks", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CmTimelineView::activate-event:
   * @event: the event index
   *
   * The user asked for the details of the selected event (Enter or a
   * double click).
   */
  signals[ACTIVATE_EVENT] =
    g_signal_new ("activate-event",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_UINT);

  gtk_widget_class_install_action (widget_class, "timeline.zoom-in", NULL, zoom_in_action);
  gtk_widget_class_install_action (widget_class, "timeline.zoom-out", NULL, zoom_out_action);
  gtk_widget_class_install_action (widget_class, "timeline.zoom-fit", NULL, zoom_fit_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, 0, "timeline.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, 0, "timeline.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Add, 0, "timeline.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, GDK_CONTROL_MASK, "timeline.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, GDK_CONTROL_MASK, "timeline.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, 0, "timeline.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Subtract, 0, "timeline.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, GDK_CONTROL_MASK, "timeline.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, GDK_CONTROL_MASK, "timeline.zoom-fit", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_0, GDK_CONTROL_MASK, "timeline.zoom-fit", NULL);

  gtk_widget_class_set_css_name (widget_class, "timeline");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
cm_timeline_view_init (CmTimelineView *self)
{
  GtkEventController *controller;
  GtkGesture *gesture;

  self->layout = cm_timeline_layout_new ();
  cm_timeline_layout_set_fill_height (self->layout, TRUE);
  cm_timeline_layout_set_overview (self->layout, TRUE);
  self->scene = cm_scene_new (1, 1);
  self->lanes = CM_LANE_MODE_GROUP;
  self->highlight_group = CM_NONE;

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_focus_on_click (GTK_WIDGET (self), TRUE);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);

  gesture = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (gesture), GDK_BUTTON_PRIMARY);
  g_signal_connect_swapped (gesture, "released", G_CALLBACK (click_released_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));

  gesture = gtk_gesture_drag_new ();
  g_signal_connect_swapped (gesture, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect_swapped (gesture, "drag-update", G_CALLBACK (drag_update_cb), self);
  g_signal_connect_swapped (gesture, "drag-end", G_CALLBACK (drag_end_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));

  gesture = gtk_gesture_zoom_new ();
  g_signal_connect_swapped (gesture, "begin", G_CALLBACK (zoom_begin_cb), self);
  g_signal_connect_swapped (gesture, "scale-changed", G_CALLBACK (zoom_scale_changed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));

  controller = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  g_signal_connect_swapped (controller, "scroll", G_CALLBACK (scroll_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = gtk_event_controller_motion_new ();
  g_signal_connect_swapped (controller, "enter", G_CALLBACK (motion_cb), self);
  g_signal_connect_swapped (controller, "motion", G_CALLBACK (motion_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = gtk_event_controller_key_new ();
  g_signal_connect_swapped (controller, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (dark_changed_cb), self, G_CONNECT_SWAPPED);
  update_theme (self);
  update_accessible (self);
}

/* ---------------------------------------------------------------------- */
/* Public API                                                              */

CmTimelineView *
cm_timeline_view_new (void)
{
  return g_object_new (CM_TYPE_TIMELINE_VIEW, NULL);
}

CmSession *
cm_timeline_view_get_session (CmTimelineView *self)
{
  g_return_val_if_fail (CM_IS_TIMELINE_VIEW (self), NULL);

  return self->session;
}

void
cm_timeline_view_set_session (CmTimelineView *self,
                              CmSession      *session)
{
  g_return_if_fail (CM_IS_TIMELINE_VIEW (self));
  g_return_if_fail (session == NULL || CM_IS_SESSION (session));

  if (self->session == session)
    return;

  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_set_object (&self->session, session);

  if (session != NULL)
    {
      g_signal_connect_object (session, "notify::dataset", G_CALLBACK (dataset_changed_cb),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (session, "selection-changed", G_CALLBACK (selection_changed_cb),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (session, "filter-changed", G_CALLBACK (filter_changed_cb),
                               self, G_CONNECT_SWAPPED);
      dataset_changed_cb (self, NULL, session);
    }
  else
    {
      g_clear_object (&self->dataset);
      cm_timeline_layout_set_dataset (self->layout, NULL);
      arrange_lanes (self);
    }

  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

CmLaneMode
cm_timeline_view_get_lanes (CmTimelineView *self)
{
  g_return_val_if_fail (CM_IS_TIMELINE_VIEW (self), CM_LANE_MODE_GROUP);

  return self->lanes;
}

void
cm_timeline_view_set_lanes (CmTimelineView *self,
                            CmLaneMode      lanes)
{
  g_return_if_fail (CM_IS_TIMELINE_VIEW (self));
  g_return_if_fail (lanes <= CM_LANE_MODE_NONE);

  if (self->lanes == lanes)
    return;

  self->lanes = lanes;
  cm_timeline_layout_set_lane_mode (self->layout, lanes);
  arrange_lanes (self);
  if (self->highlight_group != CM_NONE)
    update_highlight (self, CM_NONE);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LANES]);
}

gboolean
cm_timeline_view_get_axis_breaks (CmTimelineView *self)
{
  g_return_val_if_fail (CM_IS_TIMELINE_VIEW (self), TRUE);

  return cm_timeline_layout_get_axis (self->layout) != CM_TIMELINE_AXIS_LINEAR;
}

/* Switching refits: the same range would show a different span. */
void
cm_timeline_view_set_axis_breaks (CmTimelineView *self,
                                  gboolean        breaks)
{
  g_return_if_fail (CM_IS_TIMELINE_VIEW (self));

  if (cm_timeline_view_get_axis_breaks (self) == !!breaks)
    return;

  cm_timeline_layout_set_axis (self->layout, breaks ? CM_TIMELINE_AXIS_AUTO : CM_TIMELINE_AXIS_LINEAR);
  if (self->dataset != NULL)
    {
      self->needs_fit = TRUE;
      if (gtk_widget_get_width (GTK_WIDGET (self)) > 1)
        cm_timeline_view_zoom_to_fit (self);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AXIS_BREAKS]);
}

CmTimelineLayout *
cm_timeline_view_get_layout (CmTimelineView *self)
{
  g_return_val_if_fail (CM_IS_TIMELINE_VIEW (self), NULL);

  return self->layout;
}

/* TRUE while the lanes of the dataset on show are arranged in a worker:
 * the timeline says so where they go, and its fit waits for them. */
gboolean
cm_timeline_view_is_arranging (CmTimelineView *self)
{
  g_return_val_if_fail (CM_IS_TIMELINE_VIEW (self), FALSE);

  return cm_timeline_layout_is_arranging (self->layout);
}
