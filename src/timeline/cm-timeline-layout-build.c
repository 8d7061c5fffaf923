/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-timeline"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdlib.h>

#include "cm-time.h"
#include "cm-timeline-layout-private.h"

/* The build: from the layout's inputs to a scene, bounded by what is on
 * screen. Per lane: bisect each duration bucket to the visible span, merge
 * them in time order, fold points whose marks would overlap into badges,
 * then place labels greedily left to right in two rows. */

typedef struct
{
  double th;            /* text height */
  double axis_height;
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

static inline double
to_x (CmTimelineLayout *self,
      gint64            t)
{
  double x = self->plot_left + (double) (t - self->t0) * self->px_per_second;

  /* Far-away times stay finite and precise in float. */
  return CLAMP (x, self->plot_left - 1000, self->plot_right + 1000);
}

/* The first time at or after which x is >= @x (so start < result
 * means x(start) < @x, up to a second). */
static inline gint64
time_at (CmTimelineLayout *self,
         double            x)
{
  return self->t0 + (gint64) floor ((x - self->plot_left) / self->px_per_second);
}

static inline double
crisp (double x)
{
  return floor (x) + 0.5;
}

/* A rectangle with its corners cut by @cut pixels, as two pixel-aligned
 * rectangles: reads as rounded at this size, and pixel-aligned
 * rectangles are the one shape cairo fills without rasterising edges
 * (rounded ones cost ~10 us each). */
static void
add_chamfered_rect (CmScene *scene,
                    guint    batch,
                    double   x,
                    double   y,
                    double   width,
                    double   height,
                    double   cut)
{
  double x0 = round (x), y0 = round (y), x1 = round (x + width), y1 = round (y + height);

  if (x1 - x0 < 2 * cut + 1 || y1 - y0 < 2 * cut + 1)
    {
      cm_scene_add_rect (scene, batch, x0, y0, MAX (x1 - x0, 1), MAX (y1 - y0, 1), 0);
      return;
    }
  cm_scene_add_rect (scene, batch, x0 + cut, y0, x1 - x0 - 2 * cut, y1 - y0, 0);
  cm_scene_add_rect (scene, batch, x0, y0 + cut, cut, y1 - y0 - 2 * cut, 0);
  cm_scene_add_rect (scene, batch, x1 - cut, y0 + cut, cut, y1 - y0 - 2 * cut, 0);
}

static void
add_hit (CmTimelineLayout  *self,
         CmTimelineHitKind  kind,
         guint              event,
         guint              lane,
         const Mark        *badge,
         double             x,
         double             y,
         double             width,
         double             height)
{
  CmTimelineHit hit = { kind, event, lane, 0, 0, 0, { x, y, width, height } };

  if (badge != NULL)
    {
      hit.count = badge->count;
      hit.start = badge->start;
      hit.end = badge->end;
    }
  g_array_append_val (self->hits, hit);
}

static guint
get_event_batch (CmTimelineLayout *self,
                 CmScene          *scene,
                 guint             color,
                 guint             kind)
{
  guint *slot = &self->batch_cache[color * N_BATCH_KINDS + kind];
  CmColor c = self->colors[color];

  if (*slot != G_MAXUINT)
    return *slot;

  switch (kind)
    {
    case BATCH_DOT:
      *slot = cm_scene_batch (scene, CM_SCENE_LAYER_MARKS, CM_SCENE_PAINT_FILL, &c, 0);
      break;
    case BATCH_FADED:
      c.alpha *= 0.35f;
      *slot = cm_scene_batch (scene, CM_SCENE_LAYER_MARKS, CM_SCENE_PAINT_FILL, &c, 0);
      break;
    case BATCH_RING:
      *slot = cm_scene_batch (scene, CM_SCENE_LAYER_MARKS, CM_SCENE_PAINT_STROKE, &c, 1.5);
      break;
    case BATCH_BAR:
      c.alpha *= 0.9f;
      *slot = cm_scene_batch (scene, CM_SCENE_LAYER_MARKS, CM_SCENE_PAINT_FILL, &c, 0);
      break;
    case BATCH_HATCH:
      *slot = cm_scene_batch (scene, CM_SCENE_LAYER_MARKS, CM_SCENE_PAINT_HATCH, &c, 0);
      break;
    default:
      g_assert_not_reached ();
    }
  return *slot;
}

/* Dark or light text, whichever reads on a bar of colour @color. */
static const CmColor *
get_text_color_on (CmTimelineLayout *self,
                   guint             color,
                   gboolean          hatched)
{
  static const CmColor dark = { 0.14f, 0.12f, 0.19f, 1 }, light = { 1, 1, 1, 1 };
  const CmColor *c = &self->colors[color];
  double luminance = 0.299 * c->red + 0.587 * c->green + 0.114 * c->blue;

  if (hatched)
    return &self->theme.foreground;
  return luminance > 0.62 ? &dark : &light;
}

static guint
count_digits (guint32 n)
{
  guint digits = 1;

  while (n >= 10)
    n /= 10, digits++;
  return MIN (digits, 11);
}

static double
get_badge_width (CmTimelineLayout *self,
                 guint32           count)
{
  return MAX (self->badge_widths[count_digits (count)], 2 * DOT_RADIUS + 8);
}

/* How far right of its x a mark reaches, gap included. */
static double
get_footprint (CmTimelineLayout *self,
               guint32           count)
{
  if (count == 1)
    return 2 * DOT_RADIUS + DOT_GAP;
  return get_badge_width (self, count) + DOT_GAP;
}

static void
flush_cluster (CmTimelineLayout *self,
               const Cluster    *cluster)
{
  Mark mark = { 0, };

  mark.x0 = cluster->x;
  mark.start = cluster->start;
  mark.end = cluster->end;
  mark.event = cluster->first.event;
  mark.color = cluster->first.color;
  mark.hatched = cluster->first.hatched;
  mark.count = cluster->count;

  if (cluster->count == 1)
    {
      mark.kind = MARK_DOT;
      mark.x1 = mark.x0;
      self->n_drawn++;
    }
  else
    {
      mark.kind = MARK_BADGE;
      mark.x0 = cluster->x - DOT_RADIUS;
      mark.x1 = mark.x0 + get_badge_width (self, cluster->count);
      self->n_in_badges += cluster->count;
    }
  g_array_append_val (self->marks, mark);
}

static guint
bisect_entries (const Entry *entries,
                guint        n,
                gint64       t)
{
  guint lo = 0, hi = n;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (entries[mid].start < t)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

static inline gboolean
is_filtered_out (CmTimelineLayout *self,
                 guint32           event)
{
  return self->filter != NULL && !((self->filter[event >> 6] >> (event & 63)) & 1);
}

/* The visible placements of @lane as marks (unsorted), counting them. */
static void
collect_marks (CmTimelineLayout *self,
               const Lane       *lane)
{
  const Entry *cursor[N_BUCKETS], *limit[N_BUCKETS];
  const Entry *main_cursor, *main_limit;
  guint n_active = 0;
  Cluster cluster = { 0, };
  gboolean open = FALSE;
  double bar_free = -G_MAXDOUBLE;
  gint64 bar_seconds = (gint64) ceil (BAR_MIN_WIDTH / self->px_per_second);
  gint64 cluster_until = G_MININT64;
  guint next_digit_count = 2;

  g_array_set_size (self->marks, 0);

  /* Placements that started before t0, from the buckets (merged in time
   * order; few: only long ones can still overlap), then the ones starting
   * in [t0, t1) straight from the sorted array. */
  for (guint b = 0; b < N_BUCKETS; b++)
    {
      const Bucket *bucket = &lane->buckets[b];
      guint lo, hi;

      if (bucket->n == 0)
        continue;
      lo = bisect_entries (bucket->entries, bucket->n, self->t0 - bucket->max_extent);
      hi = bisect_entries (bucket->entries, bucket->n, self->t0);
      if (lo < hi)
        {
          cursor[n_active] = bucket->entries + lo;
          limit[n_active++] = bucket->entries + hi;
        }
    }
  main_cursor = lane->all + bisect_entries (lane->all, lane->n_all, self->t0);
  main_limit = lane->all + bisect_entries (lane->all, lane->n_all, self->t1);

  for (;;)
    {
      const Entry *entry;
      gboolean is_bar, hatched;
      double x0, x1;

      if (n_active > 0)
        {
          guint best = 0;

          for (guint b = 1; b < n_active; b++)
            if (cursor[b]->start < cursor[best]->start)
              best = b;

          entry = cursor[best]++;
          if (cursor[best] == limit[best])
            {
              n_active--;
              cursor[best] = cursor[n_active];
              limit[best] = limit[n_active];
            }
        }
      else if (main_cursor < main_limit)
        entry = main_cursor++;
      else
        break;

      if (entry->end <= self->t0 || is_filtered_out (self, entry->event))
        continue;

      self->n_visible++;

      /* The common dense case in time units, without converting to x:
       * an instant inside the open cluster's footprint. */
      if (open && entry->start < cluster_until && entry->end - entry->start < bar_seconds
          && entry->event != self->selected)
        {
          cluster.count++;
          cluster.end = MAX (cluster.end, entry->end);
          if (cluster.count == next_digit_count)
            {
              /* The badge widens at 2, 10, 100, ... events. */
              next_digit_count = next_digit_count < 10 ? 10 : next_digit_count * 10;
              cluster_until = time_at (self, cluster.x + get_footprint (self, cluster.count));
            }
          continue;
        }

      x0 = to_x (self, entry->start);
      x1 = to_x (self, entry->end);

      /* Wide spans are bars while they do not overlap the bar before;
       * the rest fold into the dot row at their start (or the left edge). */
      is_bar = x1 - x0 >= BAR_MIN_WIDTH && (x0 >= bar_free || entry->event == self->selected);
      if (is_bar || entry->event == self->selected)
        {
          Mark mark = { x0, x1, entry->start, entry->end, entry->event, 1, entry->color,
                        is_bar ? MARK_BAR : MARK_DOT, entry->hatched };

          if (!is_bar)
            mark.x0 = mark.x1 = MAX (x0, self->plot_left);
          else
            bar_free = MAX (bar_free, x1 + DOT_GAP);
          g_array_append_val (self->marks, mark);
          self->n_drawn++;
          continue;
        }

      /* A faded dot shows imprecision when the uncertain span is visible. */
      hatched = entry->hatched && x1 - x0 >= 4;
      x0 = MAX (x0, self->plot_left);

      if (open && x0 < cluster.x + get_footprint (self, cluster.count))
        {
          cluster.count++;
          cluster.end = MAX (cluster.end, entry->end);
          next_digit_count = cluster.count < 10 ? 10 : next_digit_count;
          while (next_digit_count <= cluster.count)
            next_digit_count *= 10;
          cluster_until = time_at (self, cluster.x + get_footprint (self, cluster.count));
          continue;
        }

      if (open)
        flush_cluster (self, &cluster);
      cluster.x = x0;
      cluster.count = 1;
      cluster.start = entry->start;
      cluster.end = entry->end;
      cluster.first = *entry;
      cluster.first.hatched = hatched;
      cluster_until = time_at (self, cluster.x + get_footprint (self, 1));
      next_digit_count = 2;
      open = TRUE;
    }

  if (open)
    flush_cluster (self, &cluster);
}

static int
compare_marks (const void *a,
               const void *b)
{
  const Mark *x = a, *y = b;

  if (x->x0 != y->x0)
    return x->x0 < y->x0 ? -1 : 1;
  return x->event < y->event ? -1 : (x->event > y->event);
}

static double
get_label_x (CmTimelineLayout *self,
             const Mark       *mark)
{
  double x = mark->kind == MARK_DOT ? mark->x0 - DOT_RADIUS : mark->x0 + 2;

  return MAX (x, self->plot_left + 2);
}

static const char *
get_event_title (CmTimelineLayout *self,
                 guint32           event)
{
  return cm_dataset_get_event (self->dataset, event)->title;
}

/* Draws the lane's marks; bar titles that fit inside their bar are
 * drawn there and their marks flagged (count 0) so they get no label. */
static void
draw_marks (CmTimelineLayout *self,
            CmScene          *scene,
            guint             lane_index,
            double            y)
{
  double th = self->text_height;
  double bar_y = y + PAD, bar_h = th + 2;
  double dot_cy = bar_y + bar_h + 2 + (th + 2) / 2;
  double bar_text_free = -G_MAXDOUBLE;
  guint badge_batch = G_MAXUINT;

  for (guint i = 0; i < self->marks->len; i++)
    {
      Mark *mark = &g_array_index (self->marks, Mark, i);

      if (mark->event == self->selected && mark->kind != MARK_BADGE)
        {
          guint ring = cm_scene_batch (scene, CM_SCENE_LAYER_SELECTION, CM_SCENE_PAINT_STROKE,
                                       &self->theme.accent, 2.5);

          if (mark->kind == MARK_DOT)
            cm_scene_add_circle (scene, ring, mark->x0, dot_cy, DOT_RADIUS + 3);
          else
            cm_scene_add_rect (scene, ring, MAX (mark->x0, self->plot_left - 4) - 2, bar_y - 2,
                               MIN (mark->x1, self->plot_right + 4)
                               - MAX (mark->x0, self->plot_left - 4) + 4,
                               bar_h + 4, 4);
        }

      if (mark->kind == MARK_BAR)
        {
          double vx0 = MAX (mark->x0, self->plot_left - 4);
          double vx1 = MIN (mark->x1, self->plot_right + 4);
          guint batch = get_event_batch (self, scene, mark->color,
                                         mark->hatched ? BATCH_HATCH : BATCH_BAR);
          PangoLayout *layout;
          double tx, w;

          add_chamfered_rect (scene, batch, vx0, bar_y, vx1 - vx0, bar_h, 2);
          add_hit (self, CM_TIMELINE_HIT_EVENT, mark->event, lane_index, NULL,
                   vx0, bar_y, vx1 - vx0, bar_h);

          /* The title inside the bar, where it fits. */
          tx = MAX (mark->x0, self->plot_left) + 5;
          if (mark->event == self->selected || tx < bar_text_free || bar_y < self->lanes_top
              || MIN (mark->x1, self->plot_right) - tx - 5 < 3 * th)
            continue;
          layout = _cm_timeline_layout_get_title_layout (self, get_event_title (self, mark->event));
          w = _cm_timeline_layout_get_layout_width (layout);
          if (tx + w > MIN (mark->x1, self->plot_right) - 5)
            continue;
          cm_scene_add_text (scene, CM_SCENE_LAYER_LABELS,
                             get_text_color_on (self, mark->color, mark->hatched), layout, tx, bar_y + 1);
          bar_text_free = tx + w + LABEL_GAP;
          mark->count = 0;
        }
      else if (mark->kind == MARK_DOT)
        {
          if (mark->hatched)
            {
              cm_scene_add_circle (scene, get_event_batch (self, scene, mark->color, BATCH_FADED),
                                   mark->x0, dot_cy, DOT_RADIUS);
              cm_scene_add_circle (scene, get_event_batch (self, scene, mark->color, BATCH_RING),
                                   mark->x0, dot_cy, DOT_RADIUS - 0.75);
            }
          else
            cm_scene_add_circle (scene, get_event_batch (self, scene, mark->color, BATCH_DOT),
                                 mark->x0, dot_cy, DOT_RADIUS);
          add_hit (self, CM_TIMELINE_HIT_EVENT, mark->event, lane_index, NULL,
                   mark->x0 - DOT_RADIUS - 2, dot_cy - DOT_RADIUS - 2,
                   2 * DOT_RADIUS + 4, 2 * DOT_RADIUS + 4);
        }
      else
        {
          char text[24];
          PangoLayout *layout;
          double w;

          if (badge_batch == G_MAXUINT)
            badge_batch = cm_scene_batch (scene, CM_SCENE_LAYER_MARKS, CM_SCENE_PAINT_FILL,
                                          &self->theme.badge, 0);
          add_chamfered_rect (scene, badge_batch, mark->x0, dot_cy - (th + 2) / 2,
                              mark->x1 - mark->x0, th + 2, 2);
          if (dot_cy - th / 2 < self->lanes_top)
            continue;
          g_snprintf (text, sizeof text, "+%u", mark->count);
          layout = _cm_timeline_layout_get_string_layout (self, text);
          w = _cm_timeline_layout_get_layout_width (layout);
          cm_scene_add_text (scene, CM_SCENE_LAYER_LABELS, &self->theme.badge_text, layout,
                             round ((mark->x0 + mark->x1 - w) / 2), dot_cy - th / 2);
          add_hit (self, CM_TIMELINE_HIT_BADGE, mark->event, lane_index, mark,
                   mark->x0, dot_cy - (th + 2) / 2, mark->x1 - mark->x0, th + 2);
        }

    }
}

/* Titles under the dots (and bars too short for theirs): left to right,
 * each in the first row where it fits, else not at all. The selected
 * event's title is placed first. */
static void
place_labels (CmTimelineLayout *self,
              CmScene          *scene,
              guint             lane_index,
              double            y)
{
  double th = self->text_height;
  double rows_y = y + PAD + 2 * (th + 2) + 2;
  double row_free[LABEL_ROWS];
  double reserved_x0 = 0, reserved_x1 = 0;
  gboolean has_reserved = FALSE;

  for (guint r = 0; r < LABEL_ROWS; r++)
    row_free[r] = self->plot_left;
  if (rows_y < self->lanes_top)
    return;

  for (guint i = 0; i < self->marks->len; i++)
    {
      const Mark *mark = &g_array_index (self->marks, Mark, i);
      PangoLayout *layout;
      double lx, w;

      if (mark->event != self->selected || mark->kind == MARK_BADGE)
        continue;

      layout = _cm_timeline_layout_get_title_layout (self, get_event_title (self, mark->event));
      w = _cm_timeline_layout_get_layout_width (layout);
      lx = MIN (get_label_x (self, mark), self->plot_right - w - 2);
      lx = MAX (lx, self->plot_left + 2);
      cm_scene_add_text (scene, CM_SCENE_LAYER_LABELS, &self->theme.foreground, layout, lx, rows_y);
      add_hit (self, CM_TIMELINE_HIT_EVENT, mark->event, lane_index, NULL, lx, rows_y, w, th);
      has_reserved = TRUE;
      reserved_x0 = lx - LABEL_GAP;
      reserved_x1 = lx + w + LABEL_GAP;
      break;
    }

  for (guint i = 0; i < self->marks->len; i++)
    {
      const Mark *mark = &g_array_index (self->marks, Mark, i);
      PangoLayout *layout;
      double lx, w, lowest = row_free[0];
      guint row;

      if (mark->kind == MARK_BADGE || mark->count == 0 || mark->event == self->selected)
        continue;

      lx = get_label_x (self, mark);
      for (guint r = 1; r < LABEL_ROWS; r++)
        lowest = MIN (lowest, row_free[r]);
      if (lx < lowest || lx > self->plot_right - 3 * th)
        continue;

      layout = _cm_timeline_layout_get_title_layout (self, get_event_title (self, mark->event));
      w = _cm_timeline_layout_get_layout_width (layout);
      if (lx + w > self->plot_right - 2)
        continue;

      for (row = 0; row < LABEL_ROWS; row++)
        {
          if (lx < row_free[row])
            continue;
          if (row == 0 && has_reserved && lx < reserved_x1 && lx + w > reserved_x0)
            continue;
          break;
        }
      if (row == LABEL_ROWS)
        continue;

      cm_scene_add_text (scene, CM_SCENE_LAYER_LABELS, &self->theme.foreground, layout,
                         lx, rows_y + row * th);
      add_hit (self, CM_TIMELINE_HIT_EVENT, mark->event, lane_index, NULL,
               lx, rows_y + row * th, w, th);
      row_free[row] = lx + w + LABEL_GAP;
    }
}

static void
build_lanes (CmTimelineLayout *self,
             CmScene          *scene)
{
  double content = self->lanes->len * self->lane_height;
  double area = MAX (self->height - self->lanes_top, 0);
  guint separator = G_MAXUINT;

  self->scroll_y = CLAMP (self->scroll_y, 0, MAX (content - area, 0));

  for (guint l = 0; l < self->lanes->len; l++)
    {
      double y = self->lanes_top + l * self->lane_height - self->scroll_y;

      if (y + self->lane_height <= self->lanes_top || y >= self->height)
        continue;

      /* A hairline between lanes: cheaper than translucent stripes and
       * as clear. */
      if (l > 0)
        {
          if (separator == G_MAXUINT)
            separator = cm_scene_batch (scene, CM_SCENE_LAYER_GRID, CM_SCENE_PAINT_STROKE,
                                        &self->theme.lane_stripe, 1);
          cm_scene_add_line (scene, separator, self->plot_left, crisp (y) - 1, self->plot_right,
                             crisp (y) - 1);
        }

      collect_marks (self, &g_array_index (self->lanes, Lane, l));
      qsort (self->marks->data, self->marks->len, sizeof (Mark), compare_marks);
      draw_marks (self, scene, l, y);
      place_labels (self, scene, l, y);
    }
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

      tick->x = cm_timeline_layout_time_to_x (self, tick->time);
      x = crisp (tick->x);
      if (tick->x >= self->plot_left && tick->x <= self->plot_right)
        {
          cm_scene_add_line (scene, tick->major ? major : minor, x, self->lanes_top, x, self->height);
          cm_scene_add_line (scene, marks, x, tick->major ? 0 : chrome->axis_height - 6,
                             x, chrome->axis_height);
        }

      layout = _cm_timeline_layout_get_string_layout (self, tick->label);
      w = _cm_timeline_layout_get_layout_width (layout);
      lx = tick->x + 4;
      ly = tick->major ? 3 : chrome->th + 5;

      /* A major label whose tick is off to the left sticks to the left
       * edge until the next one pushes it out. */
      if (tick->major && lx < self->plot_left + 4)
        {
          for (guint j = i + 1; j < self->ticks->len && next == NULL; j++)
            if (g_array_index (self->ticks, CmTimelineTick, j).major)
              next = &g_array_index (self->ticks, CmTimelineTick, j);
          lx = self->plot_left + 4;
          if (next != NULL && lx + w + LABEL_GAP > cm_timeline_layout_time_to_x (self, next->time))
            continue;
        }

      if (lx < self->plot_left || lx < row_end[row] || lx + w > self->plot_right - 2)
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
  gint64 max_time = 0;
  guint band = G_MAXUINT, pill = G_MAXUINT;

  for (guint r = 0; r < MAX (self->n_period_rows, 1); r++)
    row_text_end[r] = -G_MAXDOUBLE;
  if (self->dataset)
    cm_dataset_get_time_range (self->dataset, NULL, &max_time);

  for (guint p = 0; p < n; p++)
    {
      const CmPeriod *period = cm_dataset_get_period (self->dataset, p);
      gint64 end = period->has_end ? cm_time_get_end (&period->end) : max_time;
      double x0, x1, y, w, tx;
      PangoLayout *layout;
      guint row = self->period_rows[p];
      CmColor strong, band_color;

      if (end <= self->t0 || period->start.seconds >= self->t1)
        continue;

      x0 = MAX (to_x (self, period->start.seconds), self->plot_left);
      x1 = MIN (to_x (self, end), self->plot_right);
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
        }

      cm_scene_add_rect (scene, band, x0, self->lanes_top, x1 - x0, self->height - self->lanes_top, 0);
      y = chrome->strip_top + 2 + row * chrome->row_height;
      cm_scene_add_rect (scene, pill, x0, y, x1 - x0, chrome->th + 4, 4);

      layout = _cm_timeline_layout_get_title_layout (self, period->title);
      w = _cm_timeline_layout_get_layout_width (layout);
      tx = x0 + 6;
      if (tx + w <= x1 - 6 && tx >= row_text_end[row])
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
build_gutter (CmTimelineLayout *self,
              CmScene          *scene,
              const Chrome     *chrome)
{
  double th = self->text_height;
  double label_width = self->plot_left - 2 * SWATCH_RADIUS - 22;

  if (label_width < 8)
    return;

  for (guint l = 0; l < self->lanes->len; l++)
    {
      const Lane *lane = &g_array_index (self->lanes, Lane, l);
      double y = self->lanes_top + l * self->lane_height - self->scroll_y;
      double dot_cy = y + PAD + (th + 2) + 2 + (th + 2) / 2;
      PangoLayout *layout;

      if (dot_cy - th / 2 < self->lanes_top || dot_cy + th / 2 > self->height)
        continue;

      if (self->lane_mode == CM_LANE_MODE_GROUP || self->lane_mode == CM_LANE_MODE_ACTOR)
        {
          guint color = lane->group == CM_NONE ? self->n_colors - 1 : lane->group;
          guint batch = cm_scene_batch (scene, CM_SCENE_LAYER_CHROME, CM_SCENE_PAINT_FILL,
                                        &self->colors[color], 0);

          cm_scene_add_circle (scene, batch, 10 + SWATCH_RADIUS, dot_cy, SWATCH_RADIUS);
        }

      layout = _cm_timeline_layout_get_lane_layout (self, lane);
      pango_layout_set_width (layout, label_width * PANGO_SCALE);
      cm_scene_add_text (scene, CM_SCENE_LAYER_CHROME, &self->theme.foreground, layout,
                         16 + 2 * SWATCH_RADIUS, dot_cy - th / 2);
      add_hit (self, CM_TIMELINE_HIT_LANE, CM_NONE, l, NULL, 0, y, self->plot_left, self->lane_height);
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
    cm_scene_add_text (scene, CM_SCENE_LAYER_CHROME, &self->theme.dim, layout, 10, chrome->th + 5);

  build_gutter (self, scene, chrome);
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
  g_array_set_size (self->ticks, 0);
  g_ptr_array_set_size (self->tick_strings, 0);
  self->n_visible = self->n_drawn = self->n_in_badges = 0;

  if (self->batch_cache == NULL)
    self->batch_cache = g_new (guint, self->n_colors * N_BATCH_KINDS);
  memset (self->batch_cache, 0xff, self->n_colors * N_BATCH_KINDS * sizeof (guint));

  chrome.th = self->text_height;
  chrome.axis_height = 2 * chrome.th + 8;
  chrome.strip_top = chrome.axis_height;
  chrome.row_height = chrome.th + 6;

  background = cm_scene_batch (scene, CM_SCENE_LAYER_BACKGROUND, CM_SCENE_PAINT_FILL,
                               &self->theme.background, 0);
  cm_scene_add_rect (scene, background, 0, 0, self->width, self->height, 0);

  _cm_timeline_layout_compute_ticks (self->t0, self->t1, self->px_per_second, self->axis_offset,
                                     measure_cb, self, self->ticks, self->tick_strings);

  build_chrome (self, scene, &chrome);
  build_grid (self, scene, &chrome);
  build_periods (self, scene, &chrome);
  if (self->dataset != NULL)
    build_lanes (self, scene);
}
