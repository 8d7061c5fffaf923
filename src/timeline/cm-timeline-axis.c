/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-timeline"

#include "config.h"

#include <math.h>

#include "cm-time.h"
#include "cm-timeline-layout-private.h"

/* The time axis: which empty stretches it compresses into breaks, the
 * span that fits the events, and time <-> x. */

void
cm_timeline_layout_set_axis (CmTimelineLayout *self,
                             CmTimelineAxis    axis)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (axis <= CM_TIMELINE_AXIS_BREAKS);

  if (self->axis == axis)
    return;
  self->axis = axis;
  self->gaps_valid = FALSE;
  self->overview_valid = FALSE;
}

CmTimelineAxis
cm_timeline_layout_get_axis (CmTimelineLayout *self)
{
  g_return_val_if_fail (self != NULL, CM_TIMELINE_AXIS_AUTO);

  return self->axis;
}

static int
compare_gaps_by_start (gconstpointer a,
                       gconstpointer b)
{
  const Gap *ga = a, *gb = b;

  return ga->start < gb->start ? -1 : ga->start > gb->start;
}

/* The breaks: the dataset's candidates (see find_gaps()), and by
 * default only when they would take over a third of the width. */
void
_cm_timeline_layout_ensure_gaps (CmTimelineLayout *self)
{
  gint64 min, max, span, total = 0;

  if (self->gaps_valid)
    return;
  self->n_gaps = 0;
  self->gap_length = 1;
  if (self->dataset == NULL || self->axis == CM_TIMELINE_AXIS_LINEAR
      || !cm_dataset_get_time_range (self->dataset, &min, &max) || max - min < 3600)
    {
      self->gaps_valid = TRUE;
      return;
    }
  /* Arranging: no breaks until the worker has found them. */
  if (!_cm_timeline_layout_ensure_summary (self))
    return;

  self->gaps_valid = TRUE;
  span = max - min;
  self->n_gaps = self->summary.n_gaps;
  for (guint i = 0; i < self->n_gaps; i++)
    total += self->summary.gaps[i].end - self->summary.gaps[i].start;

  if (self->n_gaps == 0 || (self->axis == CM_TIMELINE_AXIS_AUTO && total <= span / 3))
    {
      self->n_gaps = 0;
      return;
    }

  memcpy (self->gaps, self->summary.gaps, self->n_gaps * sizeof (Gap));
  qsort (self->gaps, self->n_gaps, sizeof (Gap), compare_gaps_by_start);
  self->gaps_remaining = MAX (span - total, span / 40);
  self->gap_length = -1;
}

/* A break takes what its label needs at fit: its axis length follows the
 * width of the plot. */
void
_cm_timeline_layout_update_gap_length (CmTimelineLayout *self)
{
  double plot_width = self->plot_right - self->plot_left, room;
  gint64 length, removed = 0;

  if (self->n_gaps == 0)
    return;
  room = MAX (plot_width - self->n_gaps * BREAK_WIDTH_EMS * self->text_height, plot_width / 2);
  length = MAX ((gint64) (BREAK_WIDTH_EMS * self->text_height / room * self->gaps_remaining), 1);
  if (length == self->gap_length)
    return;

  self->gap_length = length;
  for (guint i = 0; i < self->n_gaps; i++)
    {
      Gap *gap = &self->gaps[i];

      gap->axis_start = gap->start - removed;
      removed += (gap->end - gap->start) - self->gap_length;
    }
}

guint
cm_timeline_layout_get_n_breaks (CmTimelineLayout *self)
{
  g_return_val_if_fail (self != NULL, 0);

  _cm_timeline_layout_ensure_gaps (self);
  return self->n_gaps;
}

void
cm_timeline_layout_get_break (CmTimelineLayout *self,
                              guint             index,
                              gint64           *start,
                              gint64           *end)
{
  g_return_if_fail (self != NULL);

  _cm_timeline_layout_ensure_gaps (self);
  g_return_if_fail (index < self->n_gaps);

  if (start)
    *start = self->gaps[index].start;
  if (end)
    *end = self->gaps[index].end;
}

gint64
cm_timeline_layout_to_axis (CmTimelineLayout *self,
                            gint64            t)
{
  g_return_val_if_fail (self != NULL, t);

  _cm_timeline_layout_ensure_frame (self);
  return to_axis (self, t);
}

gint64
cm_timeline_layout_from_axis (CmTimelineLayout *self,
                              gint64            a)
{
  g_return_val_if_fail (self != NULL, a);

  _cm_timeline_layout_ensure_frame (self);
  return from_axis (self, a);
}

/* Room right of the last events for their titles, so fit and export
 * show them in full: the widest title among the last few events to
 * start, at most a quarter of the plot (a title at the edge may go left
 * of its mark). */
static double
get_last_labels_width (CmTimelineLayout *self,
                       double            plot_width)
{
  const guint32 *order = cm_dataset_get_time_order (self->dataset);
  guint n = cm_dataset_get_n_dated_events (self->dataset);
  double widest = 0;

  for (guint r = n; r > 0 && r + 8 > n; r--)
    {
      const CmEvent *event = cm_dataset_get_event (self->dataset, order[r - 1]);
      PangoLayout *layout = _cm_timeline_layout_get_title_layout (self, event->title);

      widest = MAX (widest, _cm_timeline_layout_get_layout_width (layout));
    }
  return MIN (widest + 2 * DOT_RADIUS + LABEL_GAP, plot_width / 4);
}

gboolean
cm_timeline_layout_get_fit_range (CmTimelineLayout *self,
                                  gint64           *t0,
                                  gint64           *t1)
{
  gint64 min, max, span, total;
  double plot_width, margin;

  g_return_val_if_fail (self != NULL, FALSE);

  if (self->dataset == NULL || !cm_dataset_get_time_range (self->dataset, &min, &max)
      || !_cm_timeline_layout_ensure_summary (self))
    return FALSE;
  /* The last time an event is known at, not the end of its imprecision. */
  max = MAX (self->summary.last_point, min);

  /* On the axis: breaks take their width, not their span. */
  _cm_timeline_layout_ensure_frame (self);
  min = to_axis (self, min);
  max = to_axis (self, max);
  span = MAX (max - min, 3600);
  if (max - min < 3600)
    min -= (3600 - (max - min)) / 2;

  /* A little room on the left; on the right, room for the last labels. */
  plot_width = MAX (self->plot_right - self->plot_left, 1);
  margin = get_last_labels_width (self, plot_width);
  total = (gint64) ((span + span / 25) / (1.0 - margin / plot_width));
  if (t0)
    *t0 = from_axis (self, min - span / 25);
  if (t1)
    *t1 = from_axis (self, min - span / 25 + total);
  return TRUE;
}

double
cm_timeline_layout_time_to_x (CmTimelineLayout *self,
                              gint64            t)
{
  g_return_val_if_fail (self != NULL, 0);

  if (self->px_per_second <= 0)
    _cm_timeline_layout_ensure_geometry (self);
  return self->plot_left + (double) (to_axis (self, t) - self->axis_t0) * self->px_per_second;
}

gint64
cm_timeline_layout_x_to_time (CmTimelineLayout *self,
                              double            x)
{
  g_return_val_if_fail (self != NULL, 0);

  if (self->px_per_second <= 0)
    _cm_timeline_layout_ensure_geometry (self);
  return from_axis (self, self->axis_t0 + (gint64) llround ((x - self->plot_left) / self->px_per_second));
}

