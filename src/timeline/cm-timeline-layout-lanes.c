/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-timeline"

#include "config.h"

#include <math.h>

#include "cm-time.h"
#include "cm-timeline-layout-private.h"

/* The lanes of a build, bounded by what is on screen. Per lane: bisect
 * each duration bucket to the visible span, merge them in time order,
 * stack each mark first-fit by start in a row with room for it and its
 * title, and fold what finds no row into badges in the lane's last row.
 * Then lanes get their heights (as many rows as they hold, up to a cap
 * that keeps every lane in view) and are drawn. */

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

void
_cm_timeline_layout_add_hit (CmTimelineLayout  *self,
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

guint
_cm_timeline_layout_get_event_batch (CmTimelineLayout *self,
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
    case BATCH_TINT:
      c.alpha *= self->theme.dark ? TINT_ALPHA_DARK : TINT_ALPHA_LIGHT;
      *slot = cm_scene_batch (scene, CM_SCENE_LAYER_MARKS, CM_SCENE_PAINT_FILL, &c, 0);
      break;
    case BATCH_EDGE:
      c.alpha *= EDGE_ALPHA;
      *slot = cm_scene_batch (scene, CM_SCENE_LAYER_MARKS, CM_SCENE_PAINT_FILL, &c, 0);
      break;
    case BATCH_DIM:
      c.alpha *= 0.22f;
      *slot = cm_scene_batch (scene, CM_SCENE_LAYER_MARKS, CM_SCENE_PAINT_FILL, &c, 0);
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

/* The same over a bucket's positions in @entries. */
static guint
bisect_positions (const Entry   *entries,
                  const guint32 *positions,
                  guint          n,
                  gint64         t)
{
  guint lo = 0, hi = n;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (entries[positions[mid]].start < t)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

static inline gboolean
is_filtered_out (const guint64 *filter,
                 guint32        event)
{
  return filter != NULL && !((filter[event >> 6] >> (event & 63)) & 1);
}

static const char *
get_event_title (CmTimelineLayout *self,
                 guint32           event)
{
  return cm_dataset_get_event (self->dataset, event)->title;
}

/* The free rows of a lane while it is packed: how far right each is
 * taken with full titles (@frontier) and with the last title shortened
 * to the least room (@hard), and the mark that title belongs to. */
typedef struct
{
  double   frontier[MAX_ROWS];
  double   hard[MAX_ROWS];
  guint    last[MAX_ROWS];
  guint    n_rows;
  guint    n_used;
  gint64   blocked_until;   /* a dot starting before this fits in no free row */
} Rows;

/* Keeps the time before which every free row is taken at a dot's left,
 * so dense instants are folded without converting them to x. */
static void
update_blocked (CmTimelineLayout *self,
                Rows             *rows)
{
  double lowest = G_MAXDOUBLE;

  for (guint r = 0; r < rows->n_rows; r++)
    lowest = MIN (lowest, rows->hard[r]);
  if (lowest + DOT_RADIUS <= self->plot_left)
    rows->blocked_until = G_MININT64;
  else
    rows->blocked_until = time_at (self, MIN (lowest + DOT_RADIUS, self->plot_right + 2000));
}

/* The mark of @entry as its own dot or bar, and how far it reaches
 * (@left, @right: gap included). */
static void
shape_mark (CmTimelineLayout *self,
            const Entry      *entry,
            Mark             *mark,
            double           *left,
            double           *right)
{
  double x0 = to_x (self, entry->start), x1 = to_x (self, entry->end);

  memset (mark, 0, sizeof *mark);
  mark->start = entry->start;
  mark->end = entry->end;
  mark->event = entry->event;
  mark->count = 1;
  mark->color = entry->color;
  mark->label = LABEL_NONE;

  if (x1 - x0 >= BAR_MIN_WIDTH)
    {
      mark->kind = MARK_BAR;
      mark->hatched = entry->hatched;
      mark->x0 = x0;
      mark->x1 = x1;
      *left = MAX (x0, self->plot_left - 4);
      *right = x1 + DOT_GAP;
    }
  else
    {
      /* A faded dot shows imprecision when the uncertain span is visible. */
      mark->kind = MARK_DOT;
      mark->hatched = entry->hatched && x1 - x0 >= 4;
      mark->x0 = mark->x1 = MAX (x0, self->plot_left);
      *left = mark->x0 - DOT_RADIUS;
      *right = mark->x0 + DOT_RADIUS + DOT_GAP;
    }
}

/* Packing measures every title in view: the widths are kept by event
 * (2 bytes each) for the dataset and font, while the layouts themselves
 * are a bounded cache for the titles drawn. */
static double
get_title_width (CmTimelineLayout *self,
                 guint32           event)
{
  if (self->title_widths == NULL)
    self->title_widths = g_new0 (guint16, MAX (cm_dataset_get_n_events (self->dataset), 1));
  if (self->title_widths[event] == 0)
    {
      double width = _cm_timeline_layout_get_layout_width (
        _cm_timeline_layout_get_title_layout (self, get_event_title (self, event)));

      self->title_widths[event] = 1 + (guint16) CLAMP (ceil (width), 0, G_MAXUINT16 - 1);
    }

  return self->title_widths[event] - 1;
}

/* Where a title right of @mark starts. */
static double
get_beside_x (const Mark *mark)
{
  return (mark->kind == MARK_BAR ? mark->x1 : mark->x0 + DOT_RADIUS) + 4;
}

/* Gives the title of @mark (beside it, on its right) only the room left
 * of @limit. */
static void
cut_label (CmTimelineLayout *self,
           Mark             *mark,
           double            limit)
{
  double room = limit - 4 - mark->label_x;
  double w = mark->label_width > 0 ? mark->label_width : get_title_width (self, mark->event);

  if (mark->label != LABEL_BESIDE || mark->label_x < mark->x0 || room >= w)
    return;
  mark->label_width = MAX (room, 1);
}

static void
take_row (CmTimelineLayout *self,
          Rows             *rows,
          Mark             *mark,
          guint             row,
          double            left,
          double            frontier,
          double            hard)
{
  if (rows->last[row] != G_MAXUINT)
    cut_label (self, &g_array_index (self->marks, Mark, rows->last[row]), left);
  mark->row = row;
  mark->selected = mark->event == self->selected;
  rows->frontier[row] = frontier;
  rows->hard[row] = hard;
  rows->last[row] = self->marks->len;
  rows->n_used = MAX (rows->n_used, row + 1);
  update_blocked (self, rows);
  g_array_append_val (self->marks, *mark);
  self->n_drawn++;
}

/* The first free row whose full titles end left of @left, else (when
 * @cut) the one whose shortened titles do, cutting the fewest pixels. */
static guint
find_row (const Rows *rows,
          double      left,
          gboolean    cut)
{
  guint best = G_MAXUINT;

  for (guint r = 0; r < rows->n_rows; r++)
    if (rows->frontier[r] <= left)
      return r;
  if (!cut)
    return G_MAXUINT;
  for (guint r = 0; r < rows->n_rows; r++)
    if (rows->hard[r] <= left && (best == G_MAXUINT || rows->frontier[r] < rows->frontier[best]))
      best = r;
  return best;
}

/* Places @entry as its own mark with its title: in full inside its bar
 * or right of it, else left of it (a mark at the right edge keeps its
 * title), else inside its bar or right of it shortened to the room there
 * is. FALSE when no free row has room for the mark and a shortened
 * title. */
static gboolean
place_in_rows (CmTimelineLayout *self,
               Rows             *rows,
               const Entry      *entry)
{
  Mark mark;
  double left, right, w, x, lx, min_w;
  double plot_end = self->plot_right - 2;
  guint row;

  shape_mark (self, entry, &mark, &left, &right);
  /* Every way below needs a row whose marks and shortened titles end
   * left of this mark: without one, fold it before measuring its title
   * (shaping titles that are not drawn is what a dense frame would
   * spend its time on). */
  if (find_row (rows, left, TRUE) == G_MAXUINT)
    return FALSE;
  w = get_title_width (self, entry->event);
  min_w = MIN (w, self->label_min_width);

  if (mark.kind == MARK_BAR)
    {
      x = MAX (mark.x0, self->plot_left) + 5;
      if (x + w <= MIN (mark.x1, self->plot_right) - 5 && (row = find_row (rows, left, TRUE)) != G_MAXUINT)
        {
          mark.label = LABEL_INSIDE;
          mark.label_x = x;
          take_row (self, rows, &mark, row, left, right, right);
          return TRUE;
        }
    }

  x = get_beside_x (&mark);
  if (x + w <= plot_end && x >= self->plot_left + 2 && (row = find_row (rows, left, FALSE)) != G_MAXUINT)
    {
      mark.label = LABEL_BESIDE;
      mark.label_x = x;
      take_row (self, rows, &mark, row, left, x + w + LABEL_GAP, x + min_w + LABEL_GAP);
      return TRUE;
    }

  lx = left - 2 - w;
  if (lx >= self->plot_left + 2 && (row = find_row (rows, lx - LABEL_GAP, FALSE)) != G_MAXUINT)
    {
      mark.label = LABEL_BESIDE;
      mark.label_x = lx;
      take_row (self, rows, &mark, row, lx - LABEL_GAP, right, right);
      return TRUE;
    }

  /* Shortened: in a bar with room for it, else beside the mark up to the
   * next one in its row (or the edge). */
  if (mark.kind == MARK_BAR)
    {
      double room = MIN (mark.x1, self->plot_right) - 5 - (MAX (mark.x0, self->plot_left) + 5);

      if (room >= min_w && (row = find_row (rows, left, TRUE)) != G_MAXUINT)
        {
          mark.label = LABEL_INSIDE;
          mark.label_x = MAX (mark.x0, self->plot_left) + 5;
          mark.label_width = room;
          take_row (self, rows, &mark, row, left, right, right);
          return TRUE;
        }
    }
  if (x + min_w <= plot_end && x >= self->plot_left + 2 && (row = find_row (rows, left, TRUE)) != G_MAXUINT)
    {
      mark.label = LABEL_BESIDE;
      mark.label_x = x;
      if (x + w > plot_end)
        mark.label_width = plot_end - x;
      take_row (self, rows, &mark, row, left, MIN (x + w, plot_end) + LABEL_GAP,
                x + min_w + LABEL_GAP);
      return TRUE;
    }
  return FALSE;
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
  mark.row = CLUSTER_ROW;
  mark.label = LABEL_NONE;
  mark.selected = cluster->has_selected;

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

/* How far right of its x a mark of the cluster row reaches: a lone dot
 * keeps room for a shortened title, so it is never left untitled. */
static double
get_footprint (CmTimelineLayout *self,
               guint32           count)
{
  if (count == 1)
    return 2 * DOT_RADIUS + 8 + self->label_min_width + DOT_GAP;
  return get_badge_width (self, count) + DOT_GAP;
}

/* Titles of the lone dots of the cluster row, up to the next mark of
 * that row (its marks are in x order); at the right edge, left of the
 * dot when it has more room there. */
static void
label_cluster_row (CmTimelineLayout *self,
                   guint             first)
{
  Mark *pending = NULL;
  double previous_right = self->plot_left;

  for (guint i = first; i <= self->marks->len; i++)
    {
      Mark *mark = i < self->marks->len ? &g_array_index (self->marks, Mark, i) : NULL;

      if (mark != NULL && mark->row != CLUSTER_ROW)
        continue;

      if (pending != NULL)
        {
          double w = get_title_width (self, pending->event);
          double limit = mark == NULL ? self->plot_right - 2
                                      : mark->x0 - (mark->kind == MARK_DOT ? DOT_RADIUS : 0) - 4;
          double x = get_beside_x (pending);
          double lx = pending->x0 - DOT_RADIUS - 2 - w;

          pending->label = LABEL_BESIDE;
          pending->label_x = x;
          if (x + w > limit)
            {
              if (mark == NULL && lx >= previous_right + LABEL_GAP && lx >= self->plot_left + 2)
                pending->label_x = lx;
              else
                pending->label_width = MAX (limit - x, 1);
            }
          previous_right = pending->label_x < pending->x0
                           ? pending->x0 + DOT_RADIUS
                           : pending->label_x + (pending->label_width > 0 ? pending->label_width : w);
        }
      pending = NULL;
      if (mark != NULL && mark->kind == MARK_DOT)
        pending = mark;
      else if (mark != NULL)
        previous_right = mark->x1;
    }
}

/* Counts @entry, folded into the cluster row, in its density column;
 * entries come in time order, so the column only moves right. */
static inline guint
bin_entry_in (const gint64 *bin_ends,
              guint32      *bin_counts,
              guint32      *bin_first,
              guint         n_columns,
              guint         column,
              const Entry  *entry)
{
  while (column + 1 < n_columns && entry->start >= bin_ends[column])
    column++;
  if (bin_counts[column]++ == 0)
    bin_first[column] = entry->event;
  return column;
}

static inline guint
bin_entry (CmTimelineLayout *self,
           guint             column,
           const Entry      *entry)
{
  return bin_entry_in (self->bin_ends, self->bin_counts, self->bin_first, self->n_columns, column,
                       entry);
}

/* Folding from the lanes' summaries.
 *
 * In a dense frame most placements in view fold into the open cluster
 * one after another, and what the walk below does for each of them is
 * count it in its density column. A run of them is known without
 * reading them: every placement that starts before the cluster's
 * footprint ends and before a free row has room for a dot (the walk's
 * "until") folds when it is an instant, and so does a bar that starts
 * left of where any free row's titles end and left of the cluster's
 * footprint (a bar can find a row a dot cannot: it reaches right from
 * its start, a dot also left of it). So a run is folded by a few
 * searches of the lane's block starts (where it ends, where each density
 * column in it ends) and, when a filter is on, the counts of kept
 * placements in the lane's order; the frame then touches what is on
 * screen, not every event in view. What the run leaves as it is: the
 * cluster's end, which only a badge's hit reads, and a run is folded only
 * when it makes the cluster big enough for the lane to become a density
 * strip, which has no badges. The walk stays the reference: the
 * picture is the same (tests/test-timeline-layout.c compares them). */

#define FOLD_MIN   32   /* shorter runs are walked */
#define FOLD_BATCH 16   /* columns whose ends are found together */

typedef struct
{
  const LaneFilter *filter;
  guint             selected;        /* position of the selected event in the lane, or G_MAXUINT */
  gboolean          prepared;
  gboolean          folded;
} FoldState;

/* The first time whose mark is at or right of @x (a time's x clamped to
 * the plot's left edge, as the cluster row's marks are): every start
 * before it is left of @x. */
static gint64
get_time_left_of (CmTimelineLayout *self,
                  double            x)
{
  gint64 t, step = 1;

  if (x <= self->plot_left)
    return G_MININT64;
  t = time_at (self, MIN (x, self->plot_right + 2000));
  while (to_x (self, t - 1) >= x)
    {
      t -= step;
      step *= 2;
    }
  return t;
}

static const LaneFilter *
get_lane_filter (CmTimelineLayout *self,
                 const Lane       *lane)
{
  guint l = lane - (const Lane *) self->lanes->data;

  if (self->lane_filters == NULL)
    {
      self->n_lane_filters = self->lanes->len;
      self->lane_filters = g_new0 (LaneFilter *, self->n_lane_filters);
    }
  g_assert (l < self->n_lane_filters);
  if (self->lane_filters[l] == NULL)
    self->lane_filters[l] = _cm_timeline_lane_filter_new (lane, self->filter);
  return self->lane_filters[l];
}

/* Where in @lane the selected event is, when it is there and kept. */
static guint
find_selected (CmTimelineLayout *self,
               const Lane       *lane,
               const LaneFilter *lane_filter)
{
  guint l = lane - (const Lane *) self->lanes->data, n_lanes, position;
  const guint32 *lanes;
  gint64 start;

  if (self->selected == CM_NONE || self->arranged == NULL)
    return G_MAXUINT;
  lanes = _cm_timeline_lanes_of_event (self->arranged, self->selected, &n_lanes);
  for (guint i = 0; i < n_lanes; i++)
    if (lanes[i] == l)
      {
        start = cm_dataset_get_event (self->dataset, self->selected)->start.seconds;
        for (position = bisect_entries (lane->all, lane->n_all, start);
             position < lane->n_all && lane->all[position].start == start; position++)
          if (lane->all[position].event == self->selected)
            {
              if (lane_filter != NULL && !((lane_filter->bits[position >> 6] >> (position & 63)) & 1))
                return G_MAXUINT;
              return position;
            }
      }
  return G_MAXUINT;
}

/* Counts the placements [@from, @to) of @lane (those @lane_filter keeps)
 * in their density columns, from @column on. */
static void
bin_run (CmTimelineLayout *self,
         const Lane       *lane,
         const LaneFilter *lane_filter,
         guint             from,
         guint             to,
         guint            *column)
{
  const Entry *all = lane->all;
  guint c = *column;

  while (from < to)
    {
      guint ends[FOLD_BATCH], n_ends = 0, block;

      while (c + 1 < self->n_columns && all[from].start >= self->bin_ends[c])
        c++;
      /* Which blocks the next columns end in, from the block starts
       * alone; their entries are fetched together, not one cache miss
       * after another. */
      block = (from >> SKIP_SHIFT) + 1;
      for (guint k = c; k + 1 < self->n_columns && n_ends < FOLD_BATCH; k++)
        {
          const char *line, *end;

          block = _cm_timeline_lane_seek_block (lane, block, self->bin_ends[k]);
          line = (const char *) &all[(block - 1) << SKIP_SHIFT];
          end = (const char *) &all[MIN (block << SKIP_SHIFT, lane->n_all)];
          ends[n_ends++] = block;
          for (; line < end; line += 64)
            __builtin_prefetch (line);
          if (((block - 1) << SKIP_SHIFT) >= to)
            break;
        }

      for (guint i = 0;; i++, c++)
        {
          guint next = to, n;

          if (i < n_ends)
            {
              guint end = MIN (ends[i] << SKIP_SHIFT, lane->n_all);

              for (next = MAX (from, (ends[i] - 1) << SKIP_SHIFT);
                   next < end && all[next].start < self->bin_ends[c]; next++)
                ;
              next = MIN (next, to);
            }
          else if (c + 1 < self->n_columns)
            break;   /* more columns to find */
          /* (else the last column takes the rest) */

          n = lane_filter != NULL ? lane_filter_rank (lane_filter, next) - lane_filter_rank (lane_filter, from)
                                  : next - from;
          if (n > 0)
            {
              if (self->bin_counts[c] == 0)
                self->bin_first[c] = all[lane_filter != NULL ? lane_filter_next (lane_filter, from) : from].event;
              self->bin_counts[c] += n;
            }
          from = next;
          if (from >= to)
            break;
        }
    }
  *column = c;
}

/* Folds the runs from position @from (before @limit) into @cluster, as
 * the walk would (see above); returns where the walk takes over. */
static guint
fold_runs (CmTimelineLayout *self,
           const Lane       *lane,
           const Rows       *rows,
           Cluster          *cluster,
           FoldState        *state,
           guint             from,
           guint             limit,
           gint64            bar_seconds,
           guint            *column,
           guint            *next_digit_count,
           gint64           *cluster_until,
           guint            *n_visible)
{
  /* The footprint grows with the count from 2 on (a lone dot keeps room
   * for its title): a run's end found at the count it starts with
   * holds for the counts it reaches. */
  while (cluster->count >= 2 && limit - from >= FOLD_MIN)
    {
      gint64 until = MIN (*cluster_until, rows->blocked_until);
      double lowest = G_MAXDOUBLE;
      guint to, bars_from, n;

      if (lane->all[from + FOLD_MIN - 1].start >= until)
        break;
      to = MIN (_cm_timeline_lane_seek (lane, from, until), limit);
      for (guint r = 0; r < rows->n_rows; r++)
        lowest = MIN (lowest, rows->hard[r]);
      bars_from = _cm_timeline_lane_seek (
        lane, from, MIN (until, get_time_left_of (self, MIN (lowest, cluster->x + get_footprint (self, cluster->count)))));
      bars_from = MIN (bars_from, to);
      /* Past that, up to the first block that may hold a bar. */
      for (guint b = bars_from >> SKIP_SHIFT; (b << SKIP_SHIFT) < to; b++)
        if (lane->block_extent[b] >= 63 || (G_GINT64_CONSTANT (1) << lane->block_extent[b]) > bar_seconds)
          {
            to = MAX (bars_from, b << SKIP_SHIFT);
            break;
          }
      if (to - from < FOLD_MIN)
        break;

      if (!state->prepared)
        {
          state->filter = self->filter != NULL ? get_lane_filter (self, lane) : NULL;
          state->selected = find_selected (self, lane, state->filter);
          state->prepared = TRUE;
        }
      n = state->filter != NULL ? lane_filter_rank (state->filter, to) - lane_filter_rank (state->filter, from)
                                : to - from;
      if (n == 0)
        return to;
      if (cluster->count + n < DENSITY_MIN_COUNT)
        break;

      bin_run (self, lane, state->filter, from, to, column);
      cluster->count += n;
      cluster->has_selected |= state->selected >= from && state->selected < to;
      *n_visible += n;
      self->n_summarized += n;
      state->folded = TRUE;
      from = to;

      if (cluster->count < *next_digit_count)
        break;
      /* The badge widened: the run may go on. */
      while (*next_digit_count <= cluster->count)
        *next_digit_count = *next_digit_count < 10 ? 10 : *next_digit_count * 10;
      *cluster_until = time_at (self, cluster->x + get_footprint (self, cluster->count));
    }
  return from;
}

/* Packs the visible placements of @lane into @frame: marks in up to
 * @cap - 1 free rows, the rest folded in the cluster row. */
static void
pack_lane (CmTimelineLayout *self,
           const Lane       *lane,
           guint             cap,
           LaneFrame        *frame)
{
  const guint32 *cursor[N_BUCKETS], *limit[N_BUCKETS];
  const Entry *all = lane->all;
  const Entry *main_cursor, *main_limit;
  guint n_active = 0;
  Cluster cluster = { 0, };
  gboolean open = FALSE, has_cluster_row = FALSE;
  gint64 bar_seconds = (gint64) ceil (BAR_MIN_WIDTH / self->px_per_second);
  gint64 cluster_until = G_MININT64;
  guint next_digit_count = 2, max_cluster = 0, column = 0;
  Rows rows;
  /* Read once: the loop below runs for every event in view, and stores
   * through self (counts, bins) would make the compiler reload them. */
  const gboolean trial = self->trial;
  const gint64 t0 = self->t0;
  const guint selected = self->selected;
  const guint64 *filter = self->filter;
  const gboolean summarized = !trial && !self->walk_only && lane->skip != NULL;
  FoldState fold = { NULL, G_MAXUINT, FALSE, FALSE };
  guint n_visible = 0;

  g_assert (cap >= MIN_ROWS && cap <= MAX_ROWS);
  memset (self->bin_counts, 0, self->n_columns * sizeof (guint32));

  frame->first_mark = self->marks->len;
  frame->packed = TRUE;
  rows.n_rows = cap - 1;
  rows.n_used = 0;
  for (guint r = 0; r < MAX_ROWS; r++)
    {
      rows.frontier[r] = rows.hard[r] = -G_MAXDOUBLE;
      rows.last[r] = G_MAXUINT;
    }
  rows.blocked_until = G_MININT64;

  /* Placements that started before t0, from the buckets (merged in time
   * order; few: only long ones can still overlap), then the ones starting
   * in [t0, t1) straight from the sorted array. */
  for (guint b = 0; b < N_BUCKETS; b++)
    {
      const Bucket *bucket = &lane->buckets[b];
      guint lo, hi;

      /* None started before t0 (a fitted view): no search. */
      if (bucket->n == 0 || all[bucket->positions[0]].start >= self->t0)
        continue;
      lo = bisect_positions (all, bucket->positions, bucket->n, self->t0 - bucket->max_extent);
      hi = bisect_positions (all, bucket->positions, bucket->n, self->t0);
      if (lo < hi)
        {
          cursor[n_active] = bucket->positions + lo;
          limit[n_active++] = bucket->positions + hi;
        }
    }
  main_cursor = lane->all + bisect_entries (lane->all, lane->n_all, self->t0);
  main_limit = lane->all + bisect_entries (lane->all, lane->n_all, self->t1);

  for (;;)
    {
      const Entry *entry;
      double x0;
      gboolean hatched;

      /* A trial packing only wants the lane's rows and whether it needs a
       * density strip: once every free row is taken, the cluster row is
       * open and a badge is big enough for a strip, the rest of the lane
       * cannot change either (a dense frame would otherwise walk every
       * event in view twice). Its marks are thrown away. */
      if (trial && open && rows.n_used == rows.n_rows
          && MAX (max_cluster, cluster.count) >= DENSITY_MIN_COUNT)
        {
          max_cluster = MAX (max_cluster, cluster.count);
          break;
        }

      /* The dense case again, in a tight loop over the sorted array with
       * the cluster in locals: most of a fitted large frame's events are
       * folded here, one after another. Same tests as below. */
      if (!trial && open && n_active == 0)
        {
          gint64 until = MIN (cluster_until, rows.blocked_until);
          gint64 end = cluster.end;
          guint32 count = cluster.count;
          gboolean has_selected = cluster.has_selected;
          const Entry *e = main_cursor;
          const gint64 *bin_ends = self->bin_ends;
          guint32 *bin_counts = self->bin_counts, *bin_first = self->bin_first;
          guint n_columns = self->n_columns;

          if (summarized)
            {
              e = lane->all + fold_runs (self, lane, &rows, &cluster, &fold, e - lane->all,
                                         main_limit - lane->all, bar_seconds, &column,
                                         &next_digit_count, &cluster_until, &n_visible);
              count = cluster.count;
              has_selected = cluster.has_selected;
              until = MIN (cluster_until, rows.blocked_until);
            }
          for (; e < main_limit && e->start < until && e->end - e->start < bar_seconds; e++)
            {
              if (e->end <= t0 || is_filtered_out (filter, e->event))
                continue;
              n_visible++;
              column = bin_entry_in (bin_ends, bin_counts, bin_first, n_columns, column, e);
              count++;
              end = MAX (end, e->end);
              has_selected |= e->event == selected;
              if (count == next_digit_count)
                {
                  next_digit_count = next_digit_count < 10 ? 10 : next_digit_count * 10;
                  cluster_until = time_at (self, cluster.x + get_footprint (self, count));
                  until = MIN (cluster_until, rows.blocked_until);
                }
            }
          main_cursor = e;
          cluster.end = end;
          cluster.count = count;
          cluster.has_selected = has_selected;
        }

      if (n_active > 0)
        {
          guint best = 0;

          for (guint b = 1; b < n_active; b++)
            if (all[*cursor[b]].start < all[*cursor[best]].start)
              best = b;

          entry = &all[*cursor[best]++];
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

      if (entry->end <= t0 || is_filtered_out (filter, entry->event))
        continue;

      n_visible++;

      /* The common dense case in time units, without converting to x:
       * an instant no free row has room for, inside the open cluster's
       * footprint. */
      if (open && entry->start < cluster_until && entry->start < rows.blocked_until
          && entry->end - entry->start < bar_seconds)
        {
          if (!trial)
            column = bin_entry (self, column, entry);
          cluster.count++;
          cluster.end = MAX (cluster.end, entry->end);
          cluster.has_selected |= entry->event == selected;
          if (cluster.count == next_digit_count)
            {
              /* The badge widens at 2, 10, 100, ... events. */
              next_digit_count = next_digit_count < 10 ? 10 : next_digit_count * 10;
              cluster_until = time_at (self, cluster.x + get_footprint (self, cluster.count));
            }
          continue;
        }

      if (place_in_rows (self, &rows, entry))
        continue;

      /* No free row: a dot in the cluster row at its start (or the left
       * edge), folded with the dots it would overlap. */
      x0 = to_x (self, entry->start);
      hatched = entry->hatched && to_x (self, entry->end) - x0 >= 4;
      x0 = MAX (x0, self->plot_left);

      if (!trial)
        column = bin_entry (self, column, entry);
      if (open && x0 < cluster.x + get_footprint (self, cluster.count))
        {
          cluster.count++;
          cluster.end = MAX (cluster.end, entry->end);
          cluster.has_selected |= entry->event == selected;
          next_digit_count = cluster.count < 10 ? 10 : next_digit_count;
          while (next_digit_count <= cluster.count)
            next_digit_count *= 10;
          cluster_until = time_at (self, cluster.x + get_footprint (self, cluster.count));
          continue;
        }

      if (open)
        {
          max_cluster = MAX (max_cluster, cluster.count);
          flush_cluster (self, &cluster);
        }
      cluster.x = x0;
      cluster.count = 1;
      cluster.start = entry->start;
      cluster.end = entry->end;
      cluster.first = *entry;
      cluster.first.hatched = hatched;
      cluster.has_selected = entry->event == selected;
      cluster_until = time_at (self, cluster.x + get_footprint (self, 1));
      next_digit_count = 2;
      open = TRUE;
      has_cluster_row = TRUE;
    }

  self->n_visible += n_visible;
  if (open)
    {
      max_cluster = MAX (max_cluster, cluster.count);
      flush_cluster (self, &cluster);
    }
  /* (What a folded run left as it was is never read.) */
  g_assert (!fold.folded || max_cluster >= DENSITY_MIN_COUNT);
  frame->first_bin = frame->end_bin = self->bins->len;
  if (max_cluster >= DENSITY_MIN_COUNT && trial)
    self->trial_wants_density = TRUE;
  else if (max_cluster >= DENSITY_MIN_COUNT)
    _cm_timeline_layout_to_density (self, frame);
  else if (has_cluster_row)
    label_cluster_row (self, frame->first_mark);

  frame->end_mark = self->marks->len;
  frame->n_free_rows = rows.n_used;
  frame->n_rows = rows.n_used + (has_cluster_row ? 1 : 0);
}

static void
draw_label (CmTimelineLayout *self,
            CmScene          *scene,
            const Mark       *mark,
            guint             lane_index,
            double            y)
{
  PangoLayout *layout;
  const CmColor *color = &self->theme.foreground;
  CmSceneLayer layer = CM_SCENE_LAYER_LABELS;
  CmColor faint;
  double w;

  if (mark->label == LABEL_NONE || y < self->lanes_top)
    return;
  if (mark->label_width > 0)
    layout = _cm_timeline_layout_get_short_title_layout (self, get_event_title (self, mark->event),
                                                         mark->label_width);
  else
    layout = _cm_timeline_layout_get_title_layout (self, get_event_title (self, mark->event));
  w = _cm_timeline_layout_get_layout_width (layout);

  if (mark->label == LABEL_INSIDE)
    color = get_text_color_on (self, mark->color, mark->hatched);
  if (mark->selected)
    {
      /* The selected title on an accent pill: reads in light and dark. */
      guint pill = cm_scene_batch (scene, CM_SCENE_LAYER_SELECTION, CM_SCENE_PAINT_FILL,
                                   &self->theme.accent, 0);

      if (mark->label == LABEL_BESIDE)
        cm_scene_add_rect (scene, pill, mark->label_x - 3, y - 1, w + 6, self->text_height + 2, 3);
      color = mark->label == LABEL_BESIDE ? &self->theme.background : color;
      layer = CM_SCENE_LAYER_SELECTION;
    }
  else if (!is_highlighted (self, mark->event))
    {
      faint = *color;
      faint.alpha *= 0.4f;
      color = &faint;
    }
  cm_scene_add_text (scene, layer, color, layout, mark->label_x, y);
  {
    CmTimelineLabel label = { mark->event, lane_index, { mark->label_x, y, w, self->text_height },
                              get_title_width (self, mark->event), mark->label_width > 0 };

    g_array_append_val (self->labels, label);
  }
  if (mark->label == LABEL_BESIDE)
    _cm_timeline_layout_add_hit (self, CM_TIMELINE_HIT_EVENT, mark->event, lane_index, NULL, mark->label_x, y,
             w, self->text_height);
}

/* A halo in the background colour, then a thick accent outline: visible
 * on any group colour, in light and dark. */
static void
draw_selection (CmTimelineLayout *self,
                CmScene          *scene,
                const Mark       *mark,
                double            cy,
                double            bar_y,
                double            bar_h)
{
  guint halo = cm_scene_batch (scene, CM_SCENE_LAYER_SELECTION, CM_SCENE_PAINT_STROKE,
                               &self->theme.background, 6);
  guint ring = cm_scene_batch (scene, CM_SCENE_LAYER_SELECTION, CM_SCENE_PAINT_STROKE,
                               &self->theme.accent, 3);

  if (mark->kind == MARK_DOT)
    {
      cm_scene_add_circle (scene, halo, mark->x0, cy, DOT_RADIUS + 3.5);
      cm_scene_add_circle (scene, ring, mark->x0, cy, DOT_RADIUS + 3.5);
    }
  else
    {
      double x0 = MAX (mark->x0, self->plot_left - 4) - 3;
      double x1 = mark->kind == MARK_BADGE ? mark->x1 + 3 : MIN (mark->x1, self->plot_right + 4) + 3;

      cm_scene_add_rect (scene, halo, x0, bar_y - 3, x1 - x0, bar_h + 6, 4);
      cm_scene_add_rect (scene, ring, x0, bar_y - 3, x1 - x0, bar_h + 6, 4);
    }
}

static void
draw_mark (CmTimelineLayout *self,
           CmScene          *scene,
           const Mark       *mark,
           guint             lane_index,
           double            cy)
{
  double th = self->text_height;
  double bar_y = cy - (th + 2) / 2, bar_h = th + 2;
  gboolean dim = mark->kind != MARK_BADGE && !mark->selected && !is_highlighted (self, mark->event);

  if (mark->selected)
    draw_selection (self, scene, mark, cy, bar_y, bar_h);

  if (mark->kind == MARK_BAR)
    {
      double vx0 = MAX (mark->x0, self->plot_left - 4);
      double vx1 = MIN (mark->x1, self->plot_right + 4);

      /* A span that is only the date's imprecision (a day known to the
       * day, seen at hours) is a pale tint with a thin edge: no stripes
       * under its title, and it does not look like a known duration. */
      if (dim)
        add_chamfered_rect (scene, _cm_timeline_layout_get_event_batch (self, scene, mark->color, BATCH_DIM),
                            vx0, bar_y, vx1 - vx0, bar_h, 2);
      else if (mark->hatched)
        {
          double x0 = round (vx0), y0 = round (bar_y), w = round (vx1) - x0, h = round (bar_h);
          guint edge = _cm_timeline_layout_get_event_batch (self, scene, mark->color, BATCH_EDGE);

          /* The edge as four pixel-aligned fills: the cheapest shapes for
           * both backends (an outline is a border node per bar). */
          cm_scene_add_rect (scene, _cm_timeline_layout_get_event_batch (self, scene, mark->color, BATCH_TINT),
                             x0 + 1, y0 + 1, w - 2, h - 2, 0);
          cm_scene_add_rect (scene, edge, x0, y0, w, 1, 0);
          cm_scene_add_rect (scene, edge, x0, y0 + h - 1, w, 1, 0);
          cm_scene_add_rect (scene, edge, x0, y0 + 1, 1, h - 2, 0);
          cm_scene_add_rect (scene, edge, x0 + w - 1, y0 + 1, 1, h - 2, 0);
        }
      else
        add_chamfered_rect (scene, _cm_timeline_layout_get_event_batch (self, scene, mark->color, BATCH_BAR),
                            vx0, bar_y, vx1 - vx0, bar_h, 2);
      _cm_timeline_layout_add_hit (self, CM_TIMELINE_HIT_EVENT, mark->event, lane_index, NULL,
               vx0, bar_y, vx1 - vx0, bar_h);
    }
  else if (mark->kind == MARK_DOT)
    {
      if (dim)
        cm_scene_add_circle (scene, _cm_timeline_layout_get_event_batch (self, scene, mark->color, BATCH_DIM),
                             mark->x0, cy, DOT_RADIUS);
      else if (mark->hatched)
        {
          cm_scene_add_circle (scene, _cm_timeline_layout_get_event_batch (self, scene, mark->color, BATCH_FADED),
                               mark->x0, cy, DOT_RADIUS);
          cm_scene_add_circle (scene, _cm_timeline_layout_get_event_batch (self, scene, mark->color, BATCH_RING),
                               mark->x0, cy, DOT_RADIUS - 0.75);
        }
      else
        cm_scene_add_circle (scene, _cm_timeline_layout_get_event_batch (self, scene, mark->color, BATCH_DOT),
                             mark->x0, cy, DOT_RADIUS);
      _cm_timeline_layout_add_hit (self, CM_TIMELINE_HIT_EVENT, mark->event, lane_index, NULL,
               mark->x0 - DOT_RADIUS - 2, cy - DOT_RADIUS - 2,
               2 * DOT_RADIUS + 4, 2 * DOT_RADIUS + 4);
    }
  else
    {
      char text[24];
      PangoLayout *layout;
      double w;

      add_chamfered_rect (scene, cm_scene_batch (scene, CM_SCENE_LAYER_MARKS, CM_SCENE_PAINT_FILL,
                                                 &self->theme.badge, 0),
                          mark->x0, bar_y, mark->x1 - mark->x0, bar_h, 2);
      if (bar_y + 1 < self->lanes_top)
        return;
      g_snprintf (text, sizeof text, "+%u", mark->count);
      layout = _cm_timeline_layout_get_string_layout (self, text);
      w = _cm_timeline_layout_get_layout_width (layout);
      cm_scene_add_text (scene, CM_SCENE_LAYER_LABELS, &self->theme.badge_text, layout,
                         round ((mark->x0 + mark->x1 - w) / 2), bar_y + 1);
      _cm_timeline_layout_add_hit (self, CM_TIMELINE_HIT_BADGE, mark->event, lane_index, mark,
               mark->x0, bar_y, mark->x1 - mark->x0, bar_h);
    }
}

/* Draws a packed lane whose top is at @y; each mark's title follows it,
 * so the first hit of an event is its mark. */
static void
draw_lane (CmTimelineLayout *self,
           CmScene          *scene,
           guint             lane_index,
           const LaneFrame  *frame,
           double            y)
{
  double rh = self->row_height;

  for (guint i = frame->first_mark; i < frame->end_mark; i++)
    {
      const Mark *mark = &g_array_index (self->marks, Mark, i);
      guint row = mark->row == CLUSTER_ROW ? frame->n_free_rows : mark->row;
      double cy = y + PAD + row * rh + rh / 2;

      if (cy + rh / 2 <= self->lanes_top || cy - rh / 2 >= self->height)
        continue;
      draw_mark (self, scene, mark, lane_index, cy);
      draw_label (self, scene, mark, lane_index, cy - self->text_height / 2);
    }
  if (frame->end_bin > frame->first_bin)
    _cm_timeline_layout_draw_density (self, scene, lane_index, frame, y + PAD + frame->n_free_rows * rh);
}

/* How many rows a lane may stack: as many as keep every lane in view
 * (MAX_ROWS at most). At MIN_ROWS lanes all get that height and scroll
 * when they do not fit, and lanes off screen are not packed. */
static guint
get_row_cap (CmTimelineLayout *self,
             double            area)
{
  double share = area / MAX (self->lanes->len, 1);
  double rows = floor ((share - 2 * PAD) / self->row_height);

  return (guint) CLAMP (rows, MIN_ROWS, MAX_ROWS);
}

/* Packs every lane with at most @cap rows (or @caps[lane] when given);
 * returns their total height. */
static double
pack_lanes (CmTimelineLayout *self,
            guint             cap,
            const guint      *caps)
{
  guint n_lanes = self->lanes->len;
  double content = 0;

  g_array_set_size (self->marks, 0);
  g_array_set_size (self->bins, 0);
  g_array_set_size (self->frames, n_lanes);
  /* The counts are of the last packing, the one drawn (not of a trial's
   * as well). */
  self->n_visible = self->n_drawn = self->n_in_badges = self->n_summarized = 0;
  for (guint l = 0; l < n_lanes; l++)
    {
      LaneFrame *frame = &g_array_index (self->frames, LaneFrame, l);
      guint lane_cap = caps ? caps[l] : cap;

      memset (frame, 0, sizeof *frame);
      if (lane_cap > MIN_ROWS || caps != NULL)
        pack_lane (self, &g_array_index (self->lanes, Lane, l), lane_cap, frame);
      frame->height = _cm_timeline_layout_get_lane_height (self, MAX (frame->n_rows, MIN_ROWS));
      content += frame->height;
    }

  return content;
}

/* Shares the rows @area holds among the lanes by need, after a packing
 * with MAX_ROWS each: every lane gets MIN_ROWS, then each further row goes
 * to the lane that misses the most (a quiet lane gives its share to busy
 * ones). Returns the total height of the repacking. */
static double
pack_lanes_by_need (CmTimelineLayout *self,
                    double            area)
{
  guint n_lanes = self->lanes->len;
  g_autofree guint *wanted = g_new (guint, n_lanes);
  g_autofree guint *caps = g_new (guint, n_lanes);
  int left = (int) floor ((area - n_lanes * 2 * PAD) / self->row_height) - (int) (n_lanes * MIN_ROWS);

  for (guint l = 0; l < n_lanes; l++)
    {
      wanted[l] = MAX (g_array_index (self->frames, LaneFrame, l).n_rows, MIN_ROWS);
      caps[l] = MIN_ROWS;
    }
  for (; left > 0; left--)
    {
      guint best = G_MAXUINT;

      for (guint l = 0; l < n_lanes; l++)
        if (caps[l] < wanted[l] && (best == G_MAXUINT || wanted[l] - caps[l] > wanted[best] - caps[best]))
          best = l;
      if (best == G_MAXUINT)
        break;
      caps[best]++;
    }
  return pack_lanes (self, 0, caps);
}

void
_cm_timeline_layout_build_lanes (CmTimelineLayout *self,
             CmScene          *scene)
{
  double area = MAX (self->height - self->lanes_top, 0);
  guint n_lanes = self->lanes->len;
  guint cap = get_row_cap (self, area);
  double content, top = 0;
  guint separator = G_MAXUINT;
  gboolean fits;

  _cm_timeline_layout_prepare_columns (self);

  /* Lanes take the rows they need when all of them then fit: a busy lane
   * need not fold because a quiet one leaves its share unused. Otherwise
   * the rows there are go where they are most needed. */
  fits = n_lanes * _cm_timeline_layout_get_lane_height (self, MIN_ROWS) <= area;
  /* (A trial packing only counts rows: no density columns.) */
  self->trial = fits && cap < MAX_ROWS;
  self->trial_wants_density = FALSE;
  content = self->trial ? pack_lanes (self, MAX_ROWS, NULL) : area + 1;
  self->trial = FALSE;
  if (content <= area && self->trial_wants_density)
    content = pack_lanes (self, MAX_ROWS, NULL);
  if (content > area && fits && cap < MAX_ROWS)
    content = pack_lanes_by_need (self, area);
  else if (content > area)
    content = pack_lanes (self, cap, NULL);

  for (guint l = 0; l < n_lanes; l++)
    {
      LaneFrame *frame = &g_array_index (self->frames, LaneFrame, l);

      if (self->fill_height && content < area)
        frame->height += floor ((area - content) / n_lanes);
      frame->top = top;
      top += frame->height;
    }
  self->content_height = top;
  self->scroll_y = CLAMP (self->scroll_y, 0, MAX (top - area, 0));

  for (guint l = 0; l < n_lanes; l++)
    {
      LaneFrame *frame = &g_array_index (self->frames, LaneFrame, l);
      double y = self->lanes_top + frame->top - self->scroll_y;

      if (y + frame->height <= self->lanes_top || y >= self->height)
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

      if (!frame->packed)
        pack_lane (self, &g_array_index (self->lanes, Lane, l), cap, frame);
      draw_lane (self, scene, l, frame, y);
    }
}

void
_cm_timeline_layout_build_gutter (CmTimelineLayout *self,
              CmScene          *scene)
{
  double th = self->text_height;
  double label_width = self->plot_left - 2 * SWATCH_RADIUS - 22;

  if (label_width < 8 || self->frames->len != self->lanes->len)
    return;

  for (guint l = 0; l < self->lanes->len; l++)
    {
      const Lane *lane = &g_array_index (self->lanes, Lane, l);
      const LaneFrame *frame = &g_array_index (self->frames, LaneFrame, l);
      double y = self->lanes_top + frame->top - self->scroll_y;
      double cy = y + PAD + self->row_height / 2;
      PangoLayout *layout;

      if (cy - th / 2 < self->lanes_top || cy + th / 2 > self->height)
        continue;

      if (self->lane_mode == CM_LANE_MODE_GROUP || self->lane_mode == CM_LANE_MODE_ACTOR)
        {
          guint color = lane->group == CM_NONE ? self->n_colors - 1 : lane->group;
          guint batch = cm_scene_batch (scene, CM_SCENE_LAYER_CHROME, CM_SCENE_PAINT_FILL,
                                        &self->colors[color], 0);

          cm_scene_add_circle (scene, batch, 10 + SWATCH_RADIUS, cy, SWATCH_RADIUS);
        }

      layout = _cm_timeline_layout_get_lane_layout (self, lane);
      pango_layout_set_width (layout, label_width * PANGO_SCALE);
      cm_scene_add_text (scene, CM_SCENE_LAYER_CHROME, &self->theme.foreground, layout,
                         16 + 2 * SWATCH_RADIUS, cy - th / 2);
      _cm_timeline_layout_add_hit (self, CM_TIMELINE_HIT_LANE, CM_NONE, l, NULL, 0, y, self->plot_left, frame->height);
    }
}
