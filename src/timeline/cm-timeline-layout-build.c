/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-timeline"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "cm-time.h"
#include "cm-timeline-layout-private.h"

/* The build: from the layout's inputs to a scene, bounded by what is on
 * screen. The chrome, axis and periods are here; the lanes are in
 * cm-timeline-layout-lanes.c. */

typedef struct
{
  double th;            /* text height */
  double top;           /* the axis's top: below the overview strip */
  double axis_height;   /* the axis's bottom */
  double strip_top;
  double row_height;    /* period strip row */
} Chrome;

static double
measure_cb (const char *text,
            gpointer    user_data)
{
  PangoLayout *layout = _cm_timeline_layout_get_string_layout (user_data, text);

  return _cm_timeline_layout_get_layout_width (layout);
}

/* The gap @t is in, or -1. */
static int
find_gap (CmTimelineLayout *self,
          gint64            t)
{
  for (guint i = 0; i < self->n_gaps; i++)
    if (t > self->gaps[i].start && t < self->gaps[i].end)
      return i;
  return -1;
}

/* Where the stretch of axis a tick at @t labels starts: the left edge,
 * or the end of the break @t is in. */
static double
get_stretch_left (CmTimelineLayout *self,
                  gint64            t)
{
  int gap = find_gap (self, t);

  if (t < self->t0)
    return self->plot_left;
  return gap >= 0 ? to_x (self, self->gaps[gap].end) : -G_MAXDOUBLE;
}

/* Whether [x0, x1] in axis label row @row meets the label of a break. */
static gboolean
meets_break_label (CmTimelineLayout *self,
                   guint             row,
                   double            x0,
                   double            x1)
{
  for (guint i = 0; i < self->n_break_labels; i++)
    if (self->break_labels[i].row == row && x1 > self->break_labels[i].x0 && x0 < self->break_labels[i].x1)
      return TRUE;
  return FALSE;
}

static void
build_grid (CmTimelineLayout *self,
            CmScene          *scene,
            const Chrome     *chrome)
{
  guint minor = cm_scene_batch (scene, CM_SCENE_LAYER_GRID, CM_SCENE_PAINT_STROKE,
                                &self->theme.grid, 1);
  guint major = cm_scene_batch (scene, CM_SCENE_LAYER_GRID, CM_SCENE_PAINT_STROKE,
                                &self->theme.grid_major, 1);
  guint marks = cm_scene_batch (scene, CM_SCENE_LAYER_CHROME, CM_SCENE_PAINT_STROKE,
                                &self->theme.chrome_border, 1);
  double row_end[2] = { -G_MAXDOUBLE, -G_MAXDOUBLE };

  for (guint i = 0; i < self->ticks->len; i++)
    {
      CmTimelineTick *tick = &g_array_index (self->ticks, CmTimelineTick, i);
      const CmTimelineTick *next = NULL;
      PangoLayout *layout;
      double x, lx, w, ly;
      guint row = tick->major ? 0 : 1;

      double edge;

      tick->x = cm_timeline_layout_time_to_x (self, tick->time);
      x = crisp (tick->x);
      edge = get_stretch_left (self, tick->time);
      if (tick->x >= self->plot_left && tick->x <= self->plot_right && find_gap (self, tick->time) < 0)
        {
          cm_scene_add_line (scene, tick->major ? major : minor, x, self->lanes_top, x, self->height);
          cm_scene_add_line (scene, marks, x, tick->major ? chrome->top : chrome->axis_height - 6,
                             x, chrome->axis_height);
        }

      layout = _cm_timeline_layout_get_string_layout (self, tick->label);
      w = _cm_timeline_layout_get_layout_width (layout);
      lx = tick->x + 4;
      ly = chrome->top + (tick->major ? 3 : chrome->th + 5);

      /* A major label whose tick is off to the left (or in a break)
       * sticks to the left edge (or the break's end) until the next one
       * pushes it out. */
      if (tick->major && lx < edge + 4)
        {
          for (guint j = i + 1; j < self->ticks->len && next == NULL; j++)
            if (g_array_index (self->ticks, CmTimelineTick, j).major)
              next = &g_array_index (self->ticks, CmTimelineTick, j);
          lx = edge + 4;
          if (next != NULL && lx + w + LABEL_GAP > cm_timeline_layout_time_to_x (self, next->time))
            continue;
        }
      else if (!tick->major && find_gap (self, tick->time) >= 0)
        continue;

      if (lx < self->plot_left || lx < row_end[row] || lx + w > self->plot_right - 2
          || meets_break_label (self, row, lx, lx + w))
        continue;
      cm_scene_add_text (scene, CM_SCENE_LAYER_CHROME,
                         tick->major ? &self->theme.foreground : &self->theme.dim, layout, lx, ly);
      row_end[row] = lx + w + LABEL_GAP;
    }
}

static void
build_periods (CmTimelineLayout *self,
               CmScene          *scene,
               const Chrome     *chrome)
{
  guint n = self->dataset ? cm_dataset_get_n_periods (self->dataset) : 0;
  g_autofree double *row_text_end = g_new (double, MAX (self->n_period_rows, 1));
  guint band = G_MAXUINT, pill = G_MAXUINT, fade = G_MAXUINT;

  for (guint r = 0; r < MAX (self->n_period_rows, 1); r++)
    row_text_end[r] = -G_MAXDOUBLE;

  for (guint p = 0; p < n; p++)
    {
      const CmPeriod *period = cm_dataset_get_period (self->dataset, p);
      /* A period without an end runs on to the edge, fading out. */
      gint64 end = period->has_end ? cm_time_get_end (&period->end) : G_MAXINT64;
      double x0, x1, y, w, tx;
      PangoLayout *layout;
      guint row = self->period_rows[p];
      CmColor strong, band_color;

      if (end <= self->t0 || period->start.seconds >= self->t1)
        continue;

      x0 = MAX (to_x (self, period->start.seconds), self->plot_left);
      x1 = period->has_end ? MIN (to_x (self, end), self->plot_right) : self->plot_right;
      if (x1 - x0 < 1)
        continue;

      if (band == G_MAXUINT)
        {
          /* Blended here into an opaque colour: an opaque fill of most of
           * the view costs a fraction of a translucent one. Overlapping
           * periods share the shade. */
          const CmColor *bg = &self->theme.background, *tint = &self->theme.period;

          band_color.red = bg->red + (tint->red - bg->red) * tint->alpha;
          band_color.green = bg->green + (tint->green - bg->green) * tint->alpha;
          band_color.blue = bg->blue + (tint->blue - bg->blue) * tint->alpha;
          band_color.alpha = 1;
          strong = self->theme.period;
          strong.alpha = MIN (strong.alpha * 2.2f, 1.f);
          band = cm_scene_batch (scene, CM_SCENE_LAYER_BACKGROUND, CM_SCENE_PAINT_FILL,
                                 &band_color, 0);
          pill = cm_scene_batch (scene, CM_SCENE_LAYER_CHROME, CM_SCENE_PAINT_FILL, &strong, 0);
          fade = cm_scene_batch (scene, CM_SCENE_LAYER_CHROME, CM_SCENE_PAINT_FADE, &strong, 0);
        }

      cm_scene_add_rect (scene, band, x0, self->lanes_top, x1 - x0, self->height - self->lanes_top, 0);
      y = chrome->strip_top + 2 + row * chrome->row_height;
      if (period->has_end)
        cm_scene_add_rect (scene, pill, x0, y, x1 - x0, chrome->th + 4, 4);
      else
        {
          double fade_width = MIN (6 * chrome->th, (x1 - x0) / 2);

          cm_scene_add_rect (scene, pill, x0, y, x1 - x0 - fade_width, chrome->th + 4, 4);
          cm_scene_add_rect (scene, fade, x1 - fade_width, y, fade_width, chrome->th + 4, 0);
        }
      {
        CmTimelineHit hit = { CM_TIMELINE_HIT_PERIOD, p, 0, 0, period->start.seconds, end,
                              { x0, y, x1 - x0, chrome->th + 4 } };

        g_array_append_val (self->hits, hit);
      }

      layout = _cm_timeline_layout_get_title_layout (self, period->title);
      w = _cm_timeline_layout_get_layout_width (layout);
      tx = x0 + 6;
      /* A title longer than its band follows it, when nothing in its
       * row comes before the title ends. */
      if (tx + w > x1 - 6)
        {
          tx = x1 + 6;
          for (guint q = p + 1; q < n && tx > 0; q++)
            if (self->period_rows[q] == row
                && to_x (self, cm_dataset_get_period (self->dataset, q)->start.seconds) < tx + w + LABEL_GAP)
              tx = -G_MAXDOUBLE;
          if (tx + w > self->plot_right - 6)
            tx = -G_MAXDOUBLE;
        }
      if (tx > 0 && tx >= row_text_end[row])
        {
          cm_scene_add_text (scene, CM_SCENE_LAYER_CHROME, &self->theme.period_text, layout, tx, y + 2);
          row_text_end[row] = tx + w + LABEL_GAP;
        }
    }

  /* "Today", in the first strip row where its label fits. */
  if (self->show_today && self->now >= self->t0 && self->now < self->t1)
    {
      double x = crisp (cm_timeline_layout_time_to_x (self, self->now));
      guint line = cm_scene_batch (scene, CM_SCENE_LAYER_SELECTION, CM_SCENE_PAINT_STROKE,
                                   &self->theme.accent, 1.5);
      PangoLayout *layout = _cm_timeline_layout_get_string_layout (self, _("Today"));
      double w = _cm_timeline_layout_get_layout_width (layout);

      if (x < self->plot_left)
        return;
      cm_scene_add_line (scene, line, x, self->lanes_top, x, self->height);
      for (guint r = 0; r < MAX (self->n_period_rows, 1); r++)
        {
          double ty = chrome->strip_top + 2 + r * chrome->row_height + 2;
          double tx = x + 4;

          if (tx + w > self->plot_right - 2)
            tx = x - 4 - w;
          if (tx < self->plot_left || tx < row_text_end[r])
            continue;
          cm_scene_add_text (scene, CM_SCENE_LAYER_CHROME, &self->theme.accent, layout, tx, ty);
          break;
        }
    }
}

static void
build_chrome (CmTimelineLayout *self,
              CmScene          *scene,
              const Chrome     *chrome)
{
  guint panel = cm_scene_batch (scene, CM_SCENE_LAYER_CHROME, CM_SCENE_PAINT_FILL,
                                &self->theme.chrome, 0);
  guint border = cm_scene_batch (scene, CM_SCENE_LAYER_CHROME, CM_SCENE_PAINT_STROKE,
                                 &self->theme.chrome_border, 1);
  g_autofree char *zone = NULL;
  PangoLayout *layout;

  /* Panels first: batches draw in creation order within a layer. */
  cm_scene_add_rect (scene, panel, 0, 0, self->width, self->lanes_top, 0);
  cm_scene_add_rect (scene, panel, 0, self->lanes_top, self->plot_left, self->height - self->lanes_top, 0);
  cm_scene_add_line (scene, border, 0, crisp (self->lanes_top) - 1, self->width, crisp (self->lanes_top) - 1);
  cm_scene_add_line (scene, border, 0, crisp (chrome->axis_height), self->width, crisp (chrome->axis_height));
  cm_scene_add_line (scene, border, crisp (self->plot_left) - 1, 0, crisp (self->plot_left) - 1, self->height);

  /* The zone the axis is written in, in the corner. */
  if (self->axis_offset == 0)
    zone = g_strdup (_("UTC"));
  else
    {
      int magnitude = ABS (self->axis_offset);

      zone = g_strdup_printf ("UTC%c%02d:%02d", self->axis_offset < 0 ? '-' : '+',
                              magnitude / 3600, magnitude / 60 % 60);
    }
  layout = _cm_timeline_layout_get_string_layout (self, zone);
  if (_cm_timeline_layout_get_layout_width (layout) <= self->plot_left - 16)
    cm_scene_add_text (scene, CM_SCENE_LAYER_CHROME, &self->theme.dim, layout, 10,
                       chrome->top + chrome->th + 5);
}

/* Ticks for each stretch of the axis between breaks: a break has no
 * ticks (its time is squeezed), and ticks stay honest on both sides. */
static void
compute_ticks (CmTimelineLayout *self)
{
  gint64 from = self->t0;

  if (self->n_gaps == 0)
    {
      _cm_timeline_layout_compute_ticks (self->t0, self->t1, self->px_per_second, self->axis_offset,
                                         measure_cb, self, self->ticks, self->tick_strings);
      return;
    }

  for (guint g = 0; g <= self->n_gaps && from < self->t1; g++)
    {
      gint64 to = g < self->n_gaps ? MIN (self->gaps[g].start, self->t1) : self->t1;
      guint first = self->ticks->len;

      if (g < self->n_gaps && self->gaps[g].end <= self->t0)
        continue;
      if (to > from)
        {
          _cm_timeline_layout_compute_ticks (from, to, self->px_per_second, self->axis_offset,
                                             measure_cb, self, self->ticks, self->tick_strings);
          /* A major tick both stretches carry is kept once. */
          for (guint i = first; i < self->ticks->len; i++)
            {
              CmTimelineTick *tick = &g_array_index (self->ticks, CmTimelineTick, i);

              for (guint j = 0; j < first && tick->major; j++)
                if (g_array_index (self->ticks, CmTimelineTick, j).major
                    && g_array_index (self->ticks, CmTimelineTick, j).time == tick->time)
                  {
                    g_array_remove_index (self->ticks, i--);
                    break;
                  }
            }
        }
      if (g < self->n_gaps)
        from = MAX (self->gaps[g].end, self->t0);
    }
}

/* "2022 … 2024": the years a break skips, or its months ("Dec 2021 …
 * Feb 2022") when it is shorter than two years, where the axis is
 * written. */
static char *
describe_gap (CmTimelineLayout *self,
              const Gap        *gap)
{
  CmTime start = { .seconds = gap->start, .precision = CM_PRECISION_YEAR, .offset = self->axis_offset };
  CmTime end = { .seconds = gap->end - 1, .precision = CM_PRECISION_YEAR, .offset = self->axis_offset };
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;

  if (gap->end - gap->start < 2 * 365 * G_GINT64_CONSTANT (86400))
    start.precision = end.precision = CM_PRECISION_MONTH;
  from = cm_time_format_short (&start);
  to = cm_time_format_short (&end);
  /* Translators: the span an axis break skips, e.g. "2022 … 2024" */
  return g_strdup_printf (_("%s … %s"), from, to);
}

/* Each break in view: a narrow band across the lanes and the axis, edged
 * by two lines, and the span it skips on the axis (in the minor row, else
 * the major one when a break just before took that room). */
static void
build_breaks (CmTimelineLayout *self,
              CmScene          *scene,
              const Chrome     *chrome)
{
  guint band = G_MAXUINT, edge = G_MAXUINT, axis_edge = G_MAXUINT, cover = G_MAXUINT;
  double row_end[2] = { -G_MAXDOUBLE, -G_MAXDOUBLE };

  self->n_break_labels = 0;
  for (guint g = 0; g < self->n_gaps; g++)
    {
      const Gap *gap = &self->gaps[g];
      double x0 = to_x (self, gap->start), x1 = to_x (self, gap->end), cx = round ((x0 + x1) / 2);
      g_autofree char *text = NULL;
      PangoLayout *layout;
      double w, lx;
      guint row;

      if (cx < self->plot_left + 4 || cx > self->plot_right - 4)
        continue;
      if (band == G_MAXUINT)
        {
          band = cm_scene_batch (scene, CM_SCENE_LAYER_GRID, CM_SCENE_PAINT_FILL, &self->theme.chrome, 0);
          edge = cm_scene_batch (scene, CM_SCENE_LAYER_GRID, CM_SCENE_PAINT_STROKE,
                                 &self->theme.grid_major, 1);
          axis_edge = cm_scene_batch (scene, CM_SCENE_LAYER_CHROME, CM_SCENE_PAINT_STROKE,
                                      &self->theme.chrome_border, 1);
          cover = cm_scene_batch (scene, CM_SCENE_LAYER_CHROME, CM_SCENE_PAINT_FILL,
                                  &self->theme.chrome, 0);
        }
      cm_scene_add_rect (scene, band, cx - 3, self->lanes_top, 6, self->height - self->lanes_top, 0);
      cm_scene_add_line (scene, edge, cx - 3.5, self->lanes_top, cx - 3.5, self->height);
      cm_scene_add_line (scene, edge, cx + 3.5, self->lanes_top, cx + 3.5, self->height);
      cm_scene_add_line (scene, axis_edge, cx - 3.5, chrome->top, cx - 3.5, chrome->axis_height);
      cm_scene_add_line (scene, axis_edge, cx + 3.5, chrome->top, cx + 3.5, chrome->axis_height);

      text = describe_gap (self, gap);
      layout = _cm_timeline_layout_get_string_layout (self, text);
      w = _cm_timeline_layout_get_layout_width (layout);
      lx = CLAMP (round (cx - w / 2), self->plot_left + 2, self->plot_right - 2 - w);
      row = lx - 4 >= row_end[1] ? 1 : 0;
      if (lx - 4 < row_end[row] || self->n_break_labels == MAX_GAPS)
        continue;
      cm_scene_add_rect (scene, cover, lx - 4, chrome->top + (row ? chrome->th + 3 : 1), w + 8,
                         chrome->th + 4, 0);
      cm_scene_add_text (scene, CM_SCENE_LAYER_CHROME, &self->theme.dim, layout, lx,
                         chrome->top + (row ? chrome->th + 5 : 3));
      row_end[row] = lx + w + 4 + LABEL_GAP;
      self->break_labels[self->n_break_labels].x0 = lx - 4 - LABEL_GAP;
      self->break_labels[self->n_break_labels].x1 = lx + w + 4 + LABEL_GAP;
      self->break_labels[self->n_break_labels].row = row;
      self->n_break_labels++;
    }
}

/* Where the lanes go while a worker arranges them: what it is doing, in
 * the middle of the plot (of the whole timeline before the axis is
 * known). */
static void
build_arranging (CmTimelineLayout *self,
                 CmScene          *scene,
                 double            left,
                 double            top)
{
  guint n = cm_dataset_get_n_dated_events (self->dataset);
  g_autofree char *text = NULL;
  PangoLayout *layout;
  double w;

  /* Translators: shown where the timeline's lanes go while they are
   * worked out; %'u is a number of events, e.g. "1,000,000" */
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Arranging %'u event…", "Arranging %'u events…", n), n);
  layout = _cm_timeline_layout_get_string_layout (self, text);
  w = _cm_timeline_layout_get_layout_width (layout);
  cm_scene_add_text (scene, CM_SCENE_LAYER_LABELS, &self->theme.dim, layout,
                     round (left + (self->width - left - w) / 2),
                     round (top + (self->height - top - self->text_height) / 2));
}

/* The first rank in the time order (of dated events) whose start falls
 * in overview column @column or after, by the same arithmetic as the
 * pass over the events below. */
static guint
bisect_column (CmTimelineLayout *self,
               double            per_column,
               guint             column)
{
  const guint32 *order = cm_dataset_get_time_order (self->dataset);
  guint lo = 0, hi = cm_dataset_get_n_dated_events (self->dataset);

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      gint64 a = to_axis (self, cm_dataset_get_event (self->dataset, order[mid])->start.seconds);

      if ((a - self->overview_a0) / per_column < column)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

/* The fit range and how many shown events start in each column of it:
 * once per dataset, filter, axis and width, not per frame. */
static void
ensure_overview (CmTimelineLayout *self)
{
  guint n_columns = (guint) ceil ((self->plot_right - self->plot_left) / OVERVIEW_COLUMN);
  gint64 t0, t1;
  double per_column;
  guint n;

  if (self->overview_valid)
    return;
  self->overview_valid = TRUE;
  self->n_overview_columns = n_columns;
  self->overview_counts = g_renew (guint32, self->overview_counts, MAX (n_columns, 1));
  memset (self->overview_counts, 0, MAX (n_columns, 1) * sizeof (guint32));
  if (self->dataset == NULL || !cm_timeline_layout_get_fit_range (self, &t0, &t1) || n_columns == 0)
    {
      self->overview_a0 = to_axis (self, self->t0);
      self->overview_a1 = to_axis (self, self->t1);
      return;
    }

  self->overview_a0 = to_axis (self, t0);
  self->overview_a1 = MAX (to_axis (self, t1), self->overview_a0 + 1);
  per_column = (double) (self->overview_a1 - self->overview_a0) / n_columns;
  /* Every event shown: each column's from where its first event is in
   * the time order, not a pass over a million events. */
  if (self->filter == NULL)
    {
      guint first = bisect_column (self, per_column, 0);

      for (guint c = 0; c < n_columns; c++)
        {
          guint next = bisect_column (self, per_column, c + 1);

          self->overview_counts[c] = next - first;
          first = next;
        }
      return;
    }
  n = cm_dataset_get_n_events (self->dataset);
  for (guint e = 0; e < n; e++)
    {
      gint64 a;
      double c;

      if (self->filter != NULL && !((self->filter[e >> 6] >> (e & 63)) & 1))
        continue;
      /* An undated event has no place in time. */
      if (cm_dataset_get_event (self->dataset, e)->undated)
        continue;
      a = to_axis (self, cm_dataset_get_event (self->dataset, e)->start.seconds);
      c = (a - self->overview_a0) / per_column;
      if (c >= 0 && c < n_columns)
        self->overview_counts[(guint) c]++;
    }
}

static double
overview_x (CmTimelineLayout *self,
            gint64            t)
{
  double width = self->plot_right - self->plot_left;

  return self->plot_left + (double) (to_axis (self, t) - self->overview_a0)
                           / (double) (self->overview_a1 - self->overview_a0) * width;
}

/* The overview strip: the events' density over the fit range (columns
 * in four levels, drawn as runs) and the visible span as a brush. */
static void
build_overview (CmTimelineLayout *self,
                CmScene          *scene,
                const Chrome     *chrome)
{
  double top = 2, bottom = self->overview_height - 3, step = (bottom - top) / DENSITY_LEVELS;
  guint bars, brush_fill, brush_edge, border;
  guint32 max = 1;
  double x0, x1;
  CmColor fill = self->theme.accent;

  ensure_overview (self);
  bars = cm_scene_batch (scene, CM_SCENE_LAYER_CHROME, CM_SCENE_PAINT_FILL, &self->theme.dim, 0);
  for (guint c = 0; c < self->n_overview_columns; c++)
    max = MAX (max, self->overview_counts[c]);
  for (guint level = 1; level <= DENSITY_LEVELS; level++)
    {
      guint run_start = G_MAXUINT;

      for (guint c = 0; c <= self->n_overview_columns; c++)
        {
          gboolean in = c < self->n_overview_columns && self->overview_counts[c] > 0
                        && ceil (DENSITY_LEVELS * sqrt ((double) self->overview_counts[c] / max)) >= level;

          if (in && run_start == G_MAXUINT)
            run_start = c;
          else if (!in && run_start != G_MAXUINT)
            {
              cm_scene_add_rect (scene, bars, round (self->plot_left) + run_start * OVERVIEW_COLUMN,
                                 round (bottom - level * step), (c - run_start) * OVERVIEW_COLUMN,
                                 round (bottom - (level - 1) * step) - round (bottom - level * step), 0);
              run_start = G_MAXUINT;
            }
        }
    }

  x0 = CLAMP (overview_x (self, self->t0), self->plot_left, self->plot_right);
  x1 = CLAMP (overview_x (self, self->t1), self->plot_left, self->plot_right);
  if (x1 - x0 < 6)
    x0 = (x0 + x1) / 2 - 3, x1 = x0 + 6;
  fill.alpha = 0.22f;
  brush_fill = cm_scene_batch (scene, CM_SCENE_LAYER_CHROME, CM_SCENE_PAINT_FILL, &fill, 0);
  brush_edge = cm_scene_batch (scene, CM_SCENE_LAYER_CHROME, CM_SCENE_PAINT_STROKE, &self->theme.accent, 1.5);
  border = cm_scene_batch (scene, CM_SCENE_LAYER_CHROME, CM_SCENE_PAINT_STROKE, &self->theme.chrome_border, 1);
  cm_scene_add_rect (scene, brush_fill, x0, 1, x1 - x0, self->overview_height - 2, 3);
  cm_scene_add_rect (scene, brush_edge, x0 + 0.75, 1.75, x1 - x0 - 1.5, self->overview_height - 3.5, 3);
  cm_scene_add_line (scene, border, 0, crisp (chrome->top) - 1, self->width, crisp (chrome->top) - 1);
  /* The breaks, as on the axis: two lines where each is. */
  for (guint g = 0; g < self->n_gaps; g++)
    {
      double cx = round ((overview_x (self, self->gaps[g].start) + overview_x (self, self->gaps[g].end)) / 2);

      cm_scene_add_line (scene, border, cx - 1.5, 1, cx - 1.5, self->overview_height - 2);
      cm_scene_add_line (scene, border, cx + 1.5, 1, cx + 1.5, self->overview_height - 2);
    }
  {
    CmTimelineHit hit = { CM_TIMELINE_HIT_OVERVIEW, CM_NONE, 0, 0, self->t0, self->t1,
                          { self->plot_left, 0, self->plot_right - self->plot_left, self->overview_height } };

    g_array_append_val (self->hits, hit);
  }
}

void
cm_timeline_layout_build (CmTimelineLayout *self,
                          CmScene          *scene)
{
  guint background;
  Chrome chrome;

  g_return_if_fail (self != NULL);
  g_return_if_fail (scene != NULL);

  _cm_timeline_layout_ensure_geometry (self);
  cm_scene_reset (scene, self->width, self->height);
  g_array_set_size (self->hits, 0);
  g_array_set_size (self->labels, 0);
  g_array_set_size (self->ticks, 0);
  g_ptr_array_set_size (self->tick_strings, 0);
  self->n_visible = self->n_drawn = self->n_in_badges = self->n_summarized = 0;

  if (self->batch_cache == NULL)
    self->batch_cache = g_new (guint, self->n_colors * N_BATCH_KINDS);
  memset (self->batch_cache, 0xff, self->n_colors * N_BATCH_KINDS * sizeof (guint));

  chrome.th = self->text_height;
  chrome.top = self->overview_height;
  chrome.axis_height = chrome.top + 2 * chrome.th + 8;
  chrome.strip_top = chrome.axis_height;
  chrome.row_height = chrome.th + 6;

  background = cm_scene_batch (scene, CM_SCENE_LAYER_BACKGROUND, CM_SCENE_PAINT_FILL,
                               &self->theme.background, 0);
  cm_scene_add_rect (scene, background, 0, 0, self->width, self->height, 0);

  /* A new dataset's lanes are being arranged: its axis is not known yet. */
  if (cm_timeline_layout_is_arranging (self) && !self->summary.valid)
    {
      build_arranging (self, scene, 0, 0);
      return;
    }

  compute_ticks (self);

  build_chrome (self, scene, &chrome);
  if (self->overview)
    build_overview (self, scene, &chrome);
  build_breaks (self, scene, &chrome);
  build_grid (self, scene, &chrome);
  build_periods (self, scene, &chrome);
  if (cm_timeline_layout_is_arranging (self))
    build_arranging (self, scene, self->plot_left, self->lanes_top);
  else if (self->dataset != NULL)
    _cm_timeline_layout_build_lanes (self, scene);
  /* After the lanes: their heights follow what they hold. */
  _cm_timeline_layout_build_gutter (self, scene);
}
