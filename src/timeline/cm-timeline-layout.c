/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-timeline"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <pango/pangocairo.h>

#include "cm-palette.h"
#include "cm-time.h"
#include "cm-timeline-layout-private.h"

G_DEFINE_ENUM_TYPE (CmLaneMode, cm_lane_mode,
                    G_DEFINE_ENUM_VALUE (CM_LANE_MODE_GROUP, "group"),
                    G_DEFINE_ENUM_VALUE (CM_LANE_MODE_ACTOR, "actor"),
                    G_DEFINE_ENUM_VALUE (CM_LANE_MODE_PLACE, "place"),
                    G_DEFINE_ENUM_VALUE (CM_LANE_MODE_NONE, "none"))

G_DEFINE_ENUM_TYPE (CmTimelineAxis, cm_timeline_axis,
                    G_DEFINE_ENUM_VALUE (CM_TIMELINE_AXIS_AUTO, "auto"),
                    G_DEFINE_ENUM_VALUE (CM_TIMELINE_AXIS_LINEAR, "linear"),
                    G_DEFINE_ENUM_VALUE (CM_TIMELINE_AXIS_BREAKS, "breaks"))

static void
clear_lane_filters (CmTimelineLayout *self)
{
  for (guint l = 0; l < self->n_lane_filters; l++)
    _cm_timeline_lane_filter_free (self->lane_filters[l]);
  g_clear_pointer (&self->lane_filters, g_free);
  self->n_lane_filters = 0;
}

/* Drops the lanes (for another lane mode or dataset) and what follows
 * from them; the dataset's summary stays. */
static void
clear_lanes (CmTimelineLayout *self)
{
  clear_lane_filters (self);
  g_clear_pointer (&self->arranged, cm_timeline_lanes_unref);
  self->lanes = self->no_lanes;
  if (self->frames)
    g_array_set_size (self->frames, 0);
  g_clear_pointer (&self->batch_cache, g_free);
  if (self->lane_layouts)
    g_hash_table_remove_all (self->lane_layouts);
  /* The gutter keeps its width while other lanes are arranged: the axis
   * stays put. The new lanes measure it again. */
}

/* ...and what follows from the dataset. */
static void
clear_dataset (CmTimelineLayout *self)
{
  clear_lanes (self);
  self->gutter_width = -1;
  g_clear_pointer (&self->colors, g_free);
  g_clear_pointer (&self->period_rows, g_free);
  self->n_colors = 0;
  self->n_period_rows = 0;
  memset (&self->summary, 0, sizeof self->summary);
  self->n_gaps = 0;
  self->gaps_valid = FALSE;
  self->overview_valid = FALSE;
}

CmTimelineLayout *
cm_timeline_layout_new (void)
{
  CmTimelineLayout *self = g_new0 (CmTimelineLayout, 1);

  self->lane_mode = CM_LANE_MODE_GROUP;
  self->selected = CM_NONE;
  self->width = 800;
  self->height = 400;
  self->gutter_width = -1;
  cm_timeline_theme_init (&self->theme, FALSE);
  self->no_lanes = g_array_new (FALSE, TRUE, sizeof (Lane));
  self->lanes = self->no_lanes;
  self->ticks = g_array_new (FALSE, TRUE, sizeof (CmTimelineTick));
  self->tick_strings = g_ptr_array_new_with_free_func (g_free);
  self->hits = g_array_new (FALSE, TRUE, sizeof (CmTimelineHit));
  self->labels = g_array_new (FALSE, TRUE, sizeof (CmTimelineLabel));
  self->marks = g_array_new (FALSE, TRUE, sizeof (Mark));
  self->bins = g_array_new (FALSE, TRUE, sizeof (Bin));
  self->frames = g_array_new (FALSE, TRUE, sizeof (LaneFrame));
  self->title_layouts = g_hash_table_new_full (NULL, NULL, NULL, g_object_unref);
  self->string_layouts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->lane_layouts = g_hash_table_new_full (NULL, NULL, NULL, g_object_unref);
  self->short_layouts = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);

  return self;
}

void
cm_timeline_layout_free (CmTimelineLayout *self)
{
  if (self == NULL)
    return;

  clear_dataset (self);
  g_array_unref (self->no_lanes);
  g_array_unref (self->ticks);
  g_ptr_array_unref (self->tick_strings);
  g_array_unref (self->hits);
  g_array_unref (self->labels);
  g_array_unref (self->marks);
  g_array_unref (self->bins);
  g_free (self->bin_ends);
  g_free (self->bin_counts);
  g_free (self->bin_first);
  g_free (self->overview_counts);
  g_free (self->title_widths);
  g_array_unref (self->frames);
  g_hash_table_unref (self->title_layouts);
  g_hash_table_unref (self->string_layouts);
  g_hash_table_unref (self->lane_layouts);
  g_hash_table_unref (self->short_layouts);
  g_clear_object (&self->pango);
  g_clear_pointer (&self->font_desc, pango_font_description_free);
  g_clear_object (&self->dataset);
  g_free (self->font);
  g_free (self);
}

/* ---------------------------------------------------------------------- */
/* Inputs                                                                  */

void
cm_timeline_layout_set_dataset (CmTimelineLayout *self,
                                CmDataset        *dataset)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (dataset == NULL || CM_IS_DATASET (dataset));

  if (self->dataset == dataset)
    return;

  clear_dataset (self);
  g_hash_table_remove_all (self->title_layouts);
  g_hash_table_remove_all (self->short_layouts);
  g_clear_pointer (&self->title_widths, g_free);
  g_set_object (&self->dataset, dataset);
  self->filter = NULL;
  self->highlight = NULL;
  self->selected = CM_NONE;
  self->has_range = FALSE;
  self->scroll_y = 0;
}

CmDataset *
cm_timeline_layout_get_dataset (CmTimelineLayout *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->dataset;
}

void
cm_timeline_layout_set_filter (CmTimelineLayout *self,
                               const guint64    *visible)
{
  g_return_if_fail (self != NULL);

  self->filter = visible;
  self->overview_valid = FALSE;
  /* The same bitset may hold another filter now. */
  clear_lane_filters (self);
}

void
cm_timeline_layout_set_walk_only (CmTimelineLayout *self,
                                  gboolean          walk_only)
{
  g_return_if_fail (self != NULL);

  self->walk_only = !!walk_only;
}

guint
cm_timeline_layout_get_n_summarized (CmTimelineLayout *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_summarized;
}

void
cm_timeline_layout_set_lane_mode (CmTimelineLayout *self,
                                  CmLaneMode        mode)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (mode <= CM_LANE_MODE_NONE);

  if (self->lane_mode == mode)
    return;

  clear_lanes (self);
  self->lane_mode = mode;
  self->scroll_y = 0;
}

void
cm_timeline_layout_set_wait_for_lanes (CmTimelineLayout *self,
                                       gboolean          wait)
{
  g_return_if_fail (self != NULL);

  self->wait_for_lanes = !!wait;
}

void
cm_timeline_layout_set_lanes (CmTimelineLayout *self,
                              CmTimelineLanes  *lanes)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (lanes != NULL);
  g_return_if_fail (lanes->dataset == self->dataset && lanes->mode == self->lane_mode);

  if (lanes == self->arranged)
    return;

  clear_lanes (self);
  self->arranged = cm_timeline_lanes_ref (lanes);
  self->lanes = lanes->lanes;
  self->gutter_width = -1;
  if (!self->summary.valid)
    {
      self->summary = lanes->summary;
      self->gaps_valid = FALSE;
      self->overview_valid = FALSE;
    }
}

gboolean
cm_timeline_layout_is_arranging (CmTimelineLayout *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->dataset != NULL && self->arranged == NULL && self->wait_for_lanes;
}

static void ensure_lanes (CmTimelineLayout *self);

/* The dataset's summary, which comes with lanes (unless it waits for a
 * worker's). FALSE if none yet. */
gboolean
_cm_timeline_layout_ensure_summary (CmTimelineLayout *self)
{
  if (!self->summary.valid)
    ensure_lanes (self);
  return self->summary.valid;
}

CmLaneMode
cm_timeline_layout_get_lane_mode (CmTimelineLayout *self)
{
  g_return_val_if_fail (self != NULL, CM_LANE_MODE_GROUP);

  return self->lane_mode;
}

void
cm_timeline_layout_set_range (CmTimelineLayout *self,
                              gint64            t0,
                              gint64            t1)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (t1 > t0);

  self->t0 = t0;
  self->t1 = t1;
  self->has_range = TRUE;
}

void
cm_timeline_layout_get_range (CmTimelineLayout *self,
                              gint64           *t0,
                              gint64           *t1)
{
  g_return_if_fail (self != NULL);

  if (!self->has_range)
    {
      gboolean fits = cm_timeline_layout_get_fit_range (self, &self->t0, &self->t1);

      /* Arranging: the events' span for now, the fit range later. */
      if (!fits && (self->dataset == NULL
                    || !cm_dataset_get_time_range (self->dataset, &self->t0, &self->t1)
                    || self->t1 <= self->t0))
        {
          self->t0 = 0;
          self->t1 = 365 * 86400;
        }
      self->has_range = fits || !cm_timeline_layout_is_arranging (self);
    }

  if (t0)
    *t0 = self->t0;
  if (t1)
    *t1 = self->t1;
}

void
cm_timeline_layout_set_size (CmTimelineLayout *self,
                             int               width,
                             int               height)
{
  g_return_if_fail (self != NULL);

  if (self->width != MAX (width, 1))
    self->overview_valid = FALSE;
  self->width = MAX (width, 1);
  self->height = MAX (height, 1);
}

void
cm_timeline_layout_set_theme (CmTimelineLayout      *self,
                              const CmTimelineTheme *theme)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (theme != NULL);

  self->theme = *theme;
  g_clear_pointer (&self->colors, g_free);
}

void
cm_timeline_layout_set_font (CmTimelineLayout *self,
                             const char       *font)
{
  g_return_if_fail (self != NULL);

  if (g_strcmp0 (self->font, font) == 0)
    return;

  g_free (self->font);
  self->font = g_strdup (font);
  g_clear_pointer (&self->font_desc, pango_font_description_free);
  g_hash_table_remove_all (self->title_layouts);
  g_hash_table_remove_all (self->string_layouts);
  g_hash_table_remove_all (self->lane_layouts);
  g_hash_table_remove_all (self->short_layouts);
  self->gutter_width = -1;
}

void
cm_timeline_layout_set_selected (CmTimelineLayout *self,
                                 guint             event)
{
  g_return_if_fail (self != NULL);

  self->selected = event;
}

void
cm_timeline_layout_set_highlight (CmTimelineLayout *self,
                                  const guint64    *events)
{
  g_return_if_fail (self != NULL);

  self->highlight = events;
}

void
cm_timeline_layout_set_today (CmTimelineLayout *self,
                              gboolean          show,
                              gint64            now)
{
  g_return_if_fail (self != NULL);

  self->show_today = show;
  self->now = now;
}

void
cm_timeline_layout_set_axis_offset (CmTimelineLayout *self,
                                    gint32            offset)
{
  g_return_if_fail (self != NULL);

  self->axis_offset = CLAMP (offset, -18 * 3600, 18 * 3600);
}

gint32
cm_timeline_layout_guess_axis_offset (CmDataset *dataset)
{
  g_autoptr(GHashTable) counts = NULL;
  guint n, best_count = 0;
  gint32 best = 0;
  GHashTableIter iter;
  gpointer key, value;

  g_return_val_if_fail (CM_IS_DATASET (dataset), 0);

  counts = g_hash_table_new (NULL, NULL);
  n = cm_dataset_get_n_events (dataset);
  for (guint i = 0; i < n; i++)
    {
      const CmEvent *event = cm_dataset_get_event (dataset, i);
      gpointer k = GINT_TO_POINTER (event->start.offset);

      if (!event->start.has_zone)
        continue;
      g_hash_table_insert (counts, k,
                           GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (counts, k)) + 1));
    }

  g_hash_table_iter_init (&iter, counts);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      guint count = GPOINTER_TO_UINT (value);
      gint32 offset = GPOINTER_TO_INT (key);

      if (count > best_count || (count == best_count && offset < best))
        best_count = count, best = offset;
    }

  return best;
}

void
cm_timeline_layout_set_scroll_y (CmTimelineLayout *self,
                                 double            scroll_y)
{
  g_return_if_fail (self != NULL);

  self->scroll_y = MAX (scroll_y, 0);
}

double
cm_timeline_layout_get_scroll_y (CmTimelineLayout *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->scroll_y;
}

void
cm_timeline_layout_set_overview (CmTimelineLayout *self,
                                 gboolean          overview)
{
  g_return_if_fail (self != NULL);

  self->overview = !!overview;
}

gint64
cm_timeline_layout_overview_x_to_time (CmTimelineLayout *self,
                                       double            x)
{
  double width;

  g_return_val_if_fail (self != NULL, 0);

  width = MAX (self->plot_right - self->plot_left, 1);
  return from_axis (self, self->overview_a0
                          + (gint64) ((x - self->plot_left) / width
                                      * (double) (self->overview_a1 - self->overview_a0)));
}

void
cm_timeline_layout_set_fill_height (CmTimelineLayout *self,
                                    gboolean          fill)
{
  g_return_if_fail (self != NULL);

  self->fill_height = !!fill;
}

gboolean
cm_timeline_layout_get_fill_height (CmTimelineLayout *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->fill_height;
}

/* ---------------------------------------------------------------------- */
/* Text                                                                    */

static void
ensure_font (CmTimelineLayout *self)
{
  g_autoptr(PangoLayout) probe = NULL;
  PangoRectangle logical;

  if (self->font_desc != NULL)
    return;

  if (self->pango == NULL)
    {
      self->pango = pango_font_map_create_context (pango_cairo_font_map_get_default ());
      pango_cairo_context_set_resolution (self->pango, 96);
    }

  self->font_desc = pango_font_description_from_string (self->font ? self->font : "Sans 10");
  if (pango_font_description_get_size (self->font_desc) <= 0)
    pango_font_description_set_size (self->font_desc, 10 * PANGO_SCALE);
  pango_context_set_font_description (self->pango, self->font_desc);

  probe = pango_layout_new (self->pango);
  pango_layout_set_text (probe, "Ag", -1);
  pango_layout_get_pixel_extents (probe, NULL, &logical);
  self->text_height = logical.height;
  self->label_min_width = LABEL_MIN_EMS * logical.height;

  for (guint digits = 1; digits < G_N_ELEMENTS (self->badge_widths); digits++)
    {
      char text[16] = "+";

      memset (text + 1, '8', digits);
      pango_layout_set_text (probe, text, -1);
      pango_layout_get_pixel_extents (probe, NULL, &logical);
      self->badge_widths[digits] = logical.width + 12;
    }
}

static PangoLayout *
create_layout (CmTimelineLayout *self,
               const char       *text,
               int               max_width)
{
  PangoLayout *layout = pango_layout_new (self->pango);

  pango_layout_set_text (layout, text, -1);
  pango_layout_set_single_paragraph_mode (layout, TRUE);
  if (max_width > 0)
    {
      pango_layout_set_width (layout, max_width * PANGO_SCALE);
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
    }
  return layout;
}

PangoLayout *
_cm_timeline_layout_get_string_layout (CmTimelineLayout *self,
                   const char       *text)
{
  PangoLayout *layout = g_hash_table_lookup (self->string_layouts, text);

  if (layout == NULL)
    {
      if (g_hash_table_size (self->string_layouts) > MAX_STRING_CACHE)
        g_hash_table_remove_all (self->string_layouts);
      layout = create_layout (self, text, -1);
      g_hash_table_insert (self->string_layouts, g_strdup (text), layout);
    }
  return layout;
}

/* A title lives as long as the dataset, so its pointer is its key. The
 * cache is bounded like the others: a pass across a large dataset's
 * range would otherwise keep a layout for every title it showed. */
PangoLayout *
_cm_timeline_layout_get_title_layout (CmTimelineLayout *self,
                  const char       *title)
{
  PangoLayout *layout = g_hash_table_lookup (self->title_layouts, title);

  if (layout == NULL)
    {
      if (g_hash_table_size (self->title_layouts) > MAX_STRING_CACHE)
        g_hash_table_remove_all (self->title_layouts);
      layout = create_layout (self, title, -1);
      g_hash_table_insert (self->title_layouts, (gpointer) title, layout);
    }
  return layout;
}

/* @title ellipsized to @width, rounded down to one of a few widths
 * (steps of 15% from the least label width): panning changes the room of
 * hundreds of labels a frame, and shaping a new layout for each would cost
 * more than the rest of the frame. Several widths of one title can be in
 * one scene (an event in several lanes), so the width is in the key. */
PangoLayout *
_cm_timeline_layout_get_short_title_layout (CmTimelineLayout *self,
                                            const char       *title,
                                            double            width)
{
  guint64 key;
  PangoLayout *layout;
  int w;

  if (width >= self->label_min_width)
    w = (int) floor (self->label_min_width
                     * pow (SHORT_LABEL_STEP, floor (log (width / self->label_min_width)
                                                     / log (SHORT_LABEL_STEP))));
  else
    w = MAX ((int) floor (width / 4) * 4, 8);
  w = MIN (w, (int) floor (width));

  /* Keyed by title pointer and width in one integer: no string keys in
   * a path taken for hundreds of labels a frame. */
  key = ((guint64) GPOINTER_TO_SIZE (title) << 16) ^ (guint64) w;
  layout = g_hash_table_lookup (self->short_layouts, &key);
  if (layout == NULL)
    {
      guint64 *stored = g_new (guint64, 1);

      if (g_hash_table_size (self->short_layouts) > MAX_STRING_CACHE)
        g_hash_table_remove_all (self->short_layouts);
      layout = create_layout (self, title, w);
      *stored = key;
      g_hash_table_insert (self->short_layouts, stored, layout);
    }
  return layout;
}

double
_cm_timeline_layout_get_layout_width (PangoLayout *layout)
{
  PangoRectangle logical;

  pango_layout_get_pixel_extents (layout, NULL, &logical);
  return logical.width;
}

/* ---------------------------------------------------------------------- */
/* Lanes                                                                   */

static void
ensure_colors (CmTimelineLayout *self)
{
  guint n_groups;

  if (self->colors != NULL)
    return;

  n_groups = self->dataset ? cm_dataset_get_n_groups (self->dataset) : 0;
  self->n_colors = n_groups + 1;
  self->colors = g_new (CmColor, self->n_colors);
  for (guint g = 0; g < n_groups; g++)
    cm_color_from_rgb (&self->colors[g], cm_palette_get_group_color (self->dataset, g), 1.f);
  cm_color_from_rgb (&self->colors[n_groups], cm_palette_get_no_group_color (), 1.f);
  g_clear_pointer (&self->batch_cache, g_free);
}

static void
assign_period_rows (CmTimelineLayout *self)
{
  guint n = cm_dataset_get_n_periods (self->dataset);
  g_autofree gint64 *row_end = g_new0 (gint64, n + 1);

  self->period_rows = g_new0 (guint, n + 1);
  self->n_period_rows = 0;

  /* Periods that overlap in time go in different rows (file order). */
  for (guint p = 0; p < n; p++)
    {
      const CmPeriod *period = cm_dataset_get_period (self->dataset, p);
      gint64 end = period->has_end ? cm_time_get_end (&period->end) : G_MAXINT64;
      guint row = 0;

      while (row < self->n_period_rows && row_end[row] > period->start.seconds)
        row++;
      row_end[row] = end;
      self->period_rows[p] = row;
      self->n_period_rows = MAX (self->n_period_rows, row + 1);
    }
}

/* The lanes, unless a worker arranges them. */
static void
ensure_lanes (CmTimelineLayout *self)
{
  CmTimelineLanes *lanes;

  if (self->arranged != NULL || self->dataset == NULL || self->wait_for_lanes)
    return;

  lanes = cm_timeline_lanes_new (self->dataset, self->lane_mode, NULL);
  cm_timeline_layout_set_lanes (self, lanes);
  cm_timeline_lanes_unref (lanes);
}

PangoLayout *
_cm_timeline_layout_get_lane_layout (CmTimelineLayout *self,
                 const Lane       *lane)
{
  PangoLayout *layout = g_hash_table_lookup (self->lane_layouts, lane->label);

  if (layout == NULL)
    {
      layout = create_layout (self, lane->label, GUTTER_MAX - 2 * SWATCH_RADIUS - 20);
      g_hash_table_insert (self->lane_layouts, (gpointer) lane->label, layout);
    }
  return layout;
}

/* Lanes, fonts, gutter, breaks: everything but the time range. */
void
_cm_timeline_layout_ensure_frame (CmTimelineLayout *self)
{
  ensure_font (self);
  ensure_lanes (self);
  ensure_colors (self);
  if (self->period_rows == NULL && self->dataset != NULL)
    assign_period_rows (self);
  _cm_timeline_layout_ensure_gaps (self);

  if (self->gutter_width < 0)
    {
      double widest = 0;

      for (guint l = 0; l < self->lanes->len; l++)
        {
          const Lane *lane = &g_array_index (self->lanes, Lane, l);
          PangoLayout *layout = _cm_timeline_layout_get_lane_layout (self, lane);

          widest = MAX (widest, _cm_timeline_layout_get_layout_width (layout));
        }
      self->gutter_width = CLAMP (widest + 2 * SWATCH_RADIUS + 22, GUTTER_MIN, GUTTER_MAX);
    }

  self->plot_left = MIN (self->gutter_width, floor (self->width / 3.0));
  self->plot_right = self->width;
  _cm_timeline_layout_update_gap_length (self);
  /* A bar is a line of text high; titles sit beside marks on their row. */
  self->row_height = self->text_height + 2 + ROW_GAP;
  self->overview_height = self->overview ? self->text_height + 8 : 0;
  self->lanes_top = self->overview_height + 2 * self->text_height + 8
                    + MAX (self->n_period_rows, 1) * (self->text_height + 6) + 4;
}

/* ...and the horizontal mapping for the current inputs. */
void
_cm_timeline_layout_ensure_geometry (CmTimelineLayout *self)
{
  double plot_width;

  _cm_timeline_layout_ensure_frame (self);
  cm_timeline_layout_get_range (self, NULL, NULL);
  plot_width = MAX (self->plot_right - self->plot_left, 1);
  self->axis_t0 = to_axis (self, self->t0);
  self->px_per_second = plot_width / (double) MAX (to_axis (self, self->t1) - self->axis_t0, 1);
}

/* ---------------------------------------------------------------------- */
/* Results of the last build                                               */

void
cm_timeline_layout_get_plot_area (CmTimelineLayout *self,
                                  CmRect           *area)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (area != NULL);

  _cm_timeline_layout_ensure_geometry (self);
  area->x = self->plot_left;
  area->y = self->lanes_top;
  area->width = self->plot_right - self->plot_left;
  area->height = MAX (self->height - self->lanes_top, 0);
}

double
cm_timeline_layout_get_content_height (CmTimelineLayout *self)
{
  g_return_val_if_fail (self != NULL, 0);

  _cm_timeline_layout_ensure_geometry (self);
  if (self->frames->len != self->lanes->len)
    return self->lanes->len * _cm_timeline_layout_get_lane_height (self, MIN_ROWS);
  return self->content_height;
}

double
_cm_timeline_layout_get_lane_height (CmTimelineLayout *self,
                                     guint             n_rows)
{
  return 2 * PAD + n_rows * self->row_height;
}

gboolean
cm_timeline_layout_get_lane_extent (CmTimelineLayout *self,
                                    guint             lane,
                                    double           *top,
                                    double           *height)
{
  const LaneFrame *frame;

  g_return_val_if_fail (self != NULL, FALSE);

  if (lane >= self->frames->len || self->frames->len != self->lanes->len)
    return FALSE;
  frame = &g_array_index (self->frames, LaneFrame, lane);
  if (top)
    *top = frame->top;
  if (height)
    *height = frame->height;
  return TRUE;
}

guint
cm_timeline_layout_get_n_lanes (CmTimelineLayout *self)
{
  g_return_val_if_fail (self != NULL, 0);

  ensure_lanes (self);
  return self->lanes->len;
}

const char *
cm_timeline_layout_get_lane_label (CmTimelineLayout *self,
                                   guint             lane)
{
  g_return_val_if_fail (self != NULL, NULL);

  ensure_lanes (self);
  g_return_val_if_fail (lane < self->lanes->len, NULL);

  return g_array_index (self->lanes, Lane, lane).label;
}

guint32
cm_timeline_layout_get_lane_key (CmTimelineLayout *self,
                                 guint             lane)
{
  g_return_val_if_fail (self != NULL, CM_NONE);

  ensure_lanes (self);
  g_return_val_if_fail (lane < self->lanes->len, CM_NONE);

  return g_array_index (self->lanes, Lane, lane).key;
}

const guint32 *
cm_timeline_layout_get_event_lanes (CmTimelineLayout *self,
                                    guint             event,
                                    guint            *n_lanes)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (n_lanes != NULL, NULL);

  *n_lanes = 0;
  ensure_lanes (self);
  g_return_val_if_fail (self->dataset != NULL, NULL);
  g_return_val_if_fail (event < cm_dataset_get_n_events (self->dataset), NULL);

  if (self->arranged == NULL)
    return NULL;
  return _cm_timeline_lanes_of_event (self->arranged, event, n_lanes);
}

const CmTimelineTick *
cm_timeline_layout_get_ticks (CmTimelineLayout *self,
                              guint            *n_ticks)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (n_ticks != NULL, NULL);

  *n_ticks = self->ticks->len;
  return (const CmTimelineTick *) self->ticks->data;
}

static gboolean
rect_contains (const CmRect *rect,
               double        x,
               double        y)
{
  return x >= rect->x && x < rect->x + rect->width && y >= rect->y && y < rect->y + rect->height;
}

gboolean
cm_timeline_layout_hit_test (CmTimelineLayout *self,
                             double            x,
                             double            y,
                             CmTimelineHit    *hit)
{
  g_return_val_if_fail (self != NULL, FALSE);

  /* Hits are recorded bottom to top: the last match is the topmost. */
  for (guint i = self->hits->len; i > 0; i--)
    {
      const CmTimelineHit *h = &g_array_index (self->hits, CmTimelineHit, i - 1);

      if (rect_contains (&h->rect, x, y))
        {
          if (hit)
            *hit = *h;
          return TRUE;
        }
    }

  if (hit)
    {
      memset (hit, 0, sizeof *hit);
      hit->kind = CM_TIMELINE_HIT_NONE;
      hit->event = CM_NONE;
    }
  return FALSE;
}

gboolean
cm_timeline_layout_get_event_rect (CmTimelineLayout *self,
                                   guint             event,
                                   CmRect           *rect)
{
  g_return_val_if_fail (self != NULL, FALSE);

  /* Marks are recorded before labels: the first hit is the mark. */
  for (guint i = 0; i < self->hits->len; i++)
    {
      const CmTimelineHit *h = &g_array_index (self->hits, CmTimelineHit, i);

      if (h->kind == CM_TIMELINE_HIT_EVENT && h->event == event)
        {
          if (rect)
            *rect = h->rect;
          return TRUE;
        }
    }
  return FALSE;
}

const CmTimelineLabel *
cm_timeline_layout_get_labels (CmTimelineLayout *self,
                               guint            *n_labels)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (n_labels != NULL, NULL);

  *n_labels = self->labels->len;
  return (const CmTimelineLabel *) self->labels->data;
}

void
cm_timeline_layout_get_counts (CmTimelineLayout *self,
                               guint            *n_visible,
                               guint            *n_drawn,
                               guint            *n_in_badges)
{
  g_return_if_fail (self != NULL);

  if (n_visible)
    *n_visible = self->n_visible;
  if (n_drawn)
    *n_drawn = self->n_drawn;
  if (n_in_badges)
    *n_in_badges = self->n_in_badges;
}
