/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-timeline"

#include "config.h"

#include <math.h>

#include "cm-timeline-layout-private.h"

/* Density strips: where a lane folds many events, how they spread in
 * time, counted per column while the lane is packed (see bin_entry in
 * cm-timeline-layout-lanes.c) and drawn as runs. */

/* The density columns of this build: where each ends in time. */
void
_cm_timeline_layout_prepare_columns (CmTimelineLayout *self)
{
  guint n = (guint) ceil ((self->plot_right - self->plot_left) / DENSITY_BIN) + 1;

  if (n != self->n_columns)
    {
      self->n_columns = n;
      self->bin_ends = g_renew (gint64, self->bin_ends, n);
      self->bin_counts = g_renew (guint32, self->bin_counts, n);
      self->bin_first = g_renew (guint32, self->bin_first, n);
    }
  for (guint c = 0; c < n; c++)
    self->bin_ends[c] = time_at (self, self->plot_left + (c + 1) * DENSITY_BIN);
}

/* Replaces the badges and lone dots of a lane's cluster row (from
 * frame->first_mark on) by its density columns. */
void
_cm_timeline_layout_to_density (CmTimelineLayout *self,
            LaneFrame        *frame)
{
  guint kept = frame->first_mark;
  gboolean selected = FALSE;
  guint16 color = 0;

  for (guint i = frame->first_mark; i < self->marks->len; i++)
    {
      const Mark *mark = &g_array_index (self->marks, Mark, i);

      if (mark->row != CLUSTER_ROW)
        {
          g_array_index (self->marks, Mark, kept++) = *mark;
          continue;
        }
      selected |= mark->selected;
      color = mark->color;
      if (mark->kind == MARK_DOT)
        {
          self->n_drawn--;
          self->n_in_badges++;
        }
    }
  g_array_set_size (self->marks, kept);

  frame->max_bin = 0;
  for (guint c = 0; c < self->n_columns; c++)
    if (self->bin_counts[c] > 0)
      {
        Bin bin = { c, self->bin_counts[c], self->bin_first[c], color, 0, 0 };

        bin.selected = selected && self->bin_first[c] == self->selected;
        frame->max_bin = MAX (frame->max_bin, bin.count);
        g_array_append_val (self->bins, bin);
      }
  frame->end_bin = self->bins->len;
}

static guint
get_density_level (guint32 count,
                   guint32 max)
{
  return (guint) ceil (DENSITY_LEVELS * sqrt ((double) count / MAX (max, 1)));
}

/* (Every rectangle here is pixel-aligned: cairo fills a batch of those
 * as boxes, where one fractional edge makes it rasterise a mask over the
 * batch's whole extent.) */

/* A lane's density strip in the row at @top: each DENSITY_BIN px column
 * as high as the square root of its share of the fullest column (so lone
 * events still show), in DENSITY_LEVELS steps drawn as horizontal runs:
 * a few rectangles per lane, not one per column. Each DENSITY_HIT_BINS
 * columns are one hit that zooms there. */
void
_cm_timeline_layout_draw_density (CmTimelineLayout *self,
              CmScene          *scene,
              guint             lane_index,
              const LaneFrame  *frame,
              double            top)
{
  double rh = self->row_height, bottom = top + rh - ROW_GAP, step = (rh - ROW_GAP) / DENSITY_LEVELS;
  Mark region = { 0, };
  guint region_column = G_MAXUINT;

  if (bottom <= self->lanes_top || top >= self->height)
    return;

  for (guint level = 1; level <= DENSITY_LEVELS; level++)
    {
      guint run_start = G_MAXUINT, run_end = 0;
      guint16 color = 0;

      for (guint i = frame->first_bin; i <= frame->end_bin; i++)
        {
          const Bin *bin = i < frame->end_bin ? &g_array_index (self->bins, Bin, i) : NULL;
          gboolean in = bin != NULL && get_density_level (bin->count, frame->max_bin) >= level;

          if (run_start != G_MAXUINT && (!in || bin->column != run_end))
            {
              cm_scene_add_rect (scene, _cm_timeline_layout_get_event_batch (self, scene, color, BATCH_BAR),
                                 round (self->plot_left) + run_start * DENSITY_BIN,
                                 round (bottom - level * step),
                                 (run_end - run_start) * DENSITY_BIN - 1,
                                 round (bottom - (level - 1) * step) - round (bottom - level * step), 0);
              run_start = G_MAXUINT;
            }
          if (!in)
            continue;
          if (run_start == G_MAXUINT)
            run_start = bin->column;
          run_end = bin->column + 1;
          color = bin->color;
        }
    }

  for (guint i = frame->first_bin; i <= frame->end_bin; i++)
    {
      const Bin *bin = i < frame->end_bin ? &g_array_index (self->bins, Bin, i) : NULL;
      guint hit_column = bin ? bin->column / DENSITY_HIT_BINS : G_MAXUINT;

      /* One hit per group of columns: its count and time span. */
      if (region_column != G_MAXUINT && hit_column != region_column)
        {
          double x0 = self->plot_left + region_column * DENSITY_HIT_BINS * DENSITY_BIN;

          _cm_timeline_layout_add_hit (self, CM_TIMELINE_HIT_BADGE, region.event, lane_index, &region,
                   x0, top, DENSITY_HIT_BINS * DENSITY_BIN, rh - ROW_GAP);
          region_column = G_MAXUINT;
        }
      if (bin == NULL)
        break;
      if (region_column == G_MAXUINT)
        {
          guint first = hit_column * DENSITY_HIT_BINS;

          region_column = hit_column;
          region.count = 0;
          region.event = bin->first;
          region.start = first == 0 ? self->t0 : self->bin_ends[first - 1];
        }
      region.count += bin->count;
      region.end = self->bin_ends[MIN ((hit_column + 1) * DENSITY_HIT_BINS, self->n_columns) - 1];
      if (bin->selected)
        cm_scene_add_rect (scene, cm_scene_batch (scene, CM_SCENE_LAYER_SELECTION,
                                                  CM_SCENE_PAINT_STROKE, &self->theme.accent, 2),
                           self->plot_left + bin->column * DENSITY_BIN - 2, top - 1,
                           DENSITY_BIN + 3, rh - ROW_GAP + 2, 2);
    }
}

