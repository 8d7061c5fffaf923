/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-timeline"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <pango/pangocairo.h>

#include "cm-palette.h"
#include "cm-sort.h"
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
clear_lanes (CmTimelineLayout *self)
{
  for (guint i = 0; i < self->lanes->len; i++)
    {
      Lane *lane = &g_array_index (self->lanes, Lane, i);

      for (guint b = 0; b < N_BUCKETS; b++)
        g_free (lane->buckets[b].entries);
      g_free (lane->all);
    }
  g_array_set_size (self->lanes, 0);
  if (self->frames)
    g_array_set_size (self->frames, 0);
  g_clear_pointer (&self->event_lane_index, g_free);
  g_clear_pointer (&self->event_lanes, g_free);
  g_clear_pointer (&self->colors, g_free);
  g_clear_pointer (&self->period_rows, g_free);
  g_clear_pointer (&self->batch_cache, g_free);
  if (self->lane_layouts)
    g_hash_table_remove_all (self->lane_layouts);
  self->n_colors = 0;
  self->n_period_rows = 0;
  self->n_gaps = 0;
  self->gaps_valid = FALSE;
  self->overview_valid = FALSE;
  self->lanes_valid = FALSE;
  self->gutter_width = -1;
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
  self->lanes = g_array_new (FALSE, TRUE, sizeof (Lane));
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

  clear_lanes (self);
  g_array_unref (self->lanes);
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

  clear_lanes (self);
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

  if (!self->has_range && !cm_timeline_layout_get_fit_range (self, &self->t0, &self->t1))
    {
      self->t0 = 0;
      self->t1 = 365 * 86400;
    }
  self->has_range = TRUE;

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

static guint
get_bucket (gint64 extent)
{
  return MIN (g_bit_storage ((guint64) MAX (extent, 1)) / 3, N_BUCKETS - 1);
}

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

/* The lanes of an event (into @out, at most @max) and the colour index
 * it is drawn with in each. Returns how many. */
static guint
get_event_lane_keys (CmTimelineLayout *self,
                     const CmEvent    *event,
                     guint32          *keys,
                     guint16          *colors,
                     guint             max)
{
  CmDataset *dataset = self->dataset;
  guint32 group = cm_dataset_get_event_group (dataset, event);
  guint16 color = group == CM_NONE ? self->n_colors - 1 : group;
  const guint32 *refs;
  guint n = 0, n_refs;

  /* An undated event has no place in time: it is in no lane. */
  if (event->undated)
    return 0;

  switch (self->lane_mode)
    {
    case CM_LANE_MODE_GROUP:
      keys[0] = group;
      colors[0] = color;
      return 1;

    case CM_LANE_MODE_ACTOR:
      refs = cm_dataset_get_event_actors (dataset, event, &n_refs);
      for (guint i = 0; i < n_refs && n < max; i++)
        {
          guint32 actor_group = cm_dataset_get_actor (dataset, refs[i])->group;

          keys[n] = refs[i];
          colors[n++] = actor_group == CM_NONE ? self->n_colors - 1 : actor_group;
        }
      break;

    case CM_LANE_MODE_PLACE:
      refs = cm_dataset_get_event_places (dataset, event, &n_refs);
      for (guint i = 0; i < n_refs && n < max; i++)
        {
          keys[n] = refs[i];
          colors[n++] = color;
        }
      break;

    case CM_LANE_MODE_NONE:
    default:
      keys[0] = 0;
      colors[0] = color;
      return 1;
    }

  if (n == 0)
    {
      keys[0] = CM_NONE;
      colors[0] = color;
      n = 1;
    }
  return n;
}

static guint
get_n_keys (CmTimelineLayout *self)
{
  switch (self->lane_mode)
    {
    case CM_LANE_MODE_GROUP: return cm_dataset_get_n_groups (self->dataset);
    case CM_LANE_MODE_ACTOR: return cm_dataset_get_n_actors (self->dataset);
    case CM_LANE_MODE_PLACE: return cm_dataset_get_n_places (self->dataset);
    case CM_LANE_MODE_NONE:
    default:                 return 1;
    }
}

static void
describe_lane (CmTimelineLayout *self,
               guint32           key,
               Lane             *lane)
{
  lane->group = CM_NONE;
  lane->key = self->lane_mode == CM_LANE_MODE_NONE ? CM_NONE : key;

  switch (self->lane_mode)
    {
    case CM_LANE_MODE_GROUP:
      lane->label = key == CM_NONE ? _("No group") : cm_dataset_get_group (self->dataset, key)->name;
      lane->group = key;
      break;
    case CM_LANE_MODE_ACTOR:
      if (key == CM_NONE)
        lane->label = _("No actor");
      else
        {
          const CmActor *actor = cm_dataset_get_actor (self->dataset, key);

          lane->label = actor->name;
          lane->group = actor->group;
        }
      break;
    case CM_LANE_MODE_PLACE:
      lane->label = key == CM_NONE ? _("No place") : cm_dataset_get_place (self->dataset, key)->name;
      break;
    case CM_LANE_MODE_NONE:
    default:
      lane->label = _("All events");
      break;
    }
}

/* Actors are grouped by their group, then kept in file order. */
static int
compare_actor_keys (gconstpointer a,
                    gconstpointer b,
                    gpointer      user_data)
{
  CmDataset *dataset = user_data;
  guint32 ka = *(const guint32 *) a, kb = *(const guint32 *) b;
  guint32 ga = cm_dataset_get_actor (dataset, ka)->group;
  guint32 gb = cm_dataset_get_actor (dataset, kb)->group;

  if (ga != gb)
    return ga < gb ? -1 : 1;
  return ka < kb ? -1 : (ka > kb);
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

static void
ensure_lanes (CmTimelineLayout *self)
{
  guint n_events, n_keys, n_placements = 0;
  g_autofree guint32 *key_lane = NULL;
  g_autofree guint32 *key_order = NULL;
  g_autofree guint *bucket_counts = NULL;
  guint32 no_key_lane = CM_NONE;
  guint32 keys[256];
  guint16 colors[256];
  const guint32 *order;

  if (self->lanes_valid)
    return;

  clear_lanes (self);
  self->lanes_valid = TRUE;
  if (self->dataset == NULL)
    return;

  ensure_colors (self);
  assign_period_rows (self);
  n_events = cm_dataset_get_n_events (self->dataset);
  n_keys = get_n_keys (self);
  order = cm_dataset_get_time_order (self->dataset);

  /* Which keys have events: only those get a lane. */
  key_lane = g_new (guint32, MAX (n_keys, 1));
  memset (key_lane, 0xff, n_keys * sizeof (guint32));
  self->event_lane_index = g_new (guint32, n_events + 1);
  for (guint e = 0; e < n_events; e++)
    {
      guint n = get_event_lane_keys (self, cm_dataset_get_event (self->dataset, e),
                                     keys, colors, G_N_ELEMENTS (keys));

      self->event_lane_index[e] = n_placements;
      n_placements += n;
      for (guint i = 0; i < n; i++)
        {
          if (keys[i] == CM_NONE)
            no_key_lane = 0;
          else
            key_lane[keys[i]] = 0;
        }
    }
  self->event_lane_index[n_events] = n_placements;

  key_order = g_new (guint32, n_keys);
  for (guint k = 0; k < n_keys; k++)
    key_order[k] = k;
  if (self->lane_mode == CM_LANE_MODE_ACTOR)
    cm_sort_array (key_order, n_keys, sizeof (guint32), compare_actor_keys, self->dataset);

  for (guint i = 0; i < n_keys; i++)
    if (key_lane[key_order[i]] == 0)
      {
        Lane lane = { 0, };

        describe_lane (self, key_order[i], &lane);
        key_lane[key_order[i]] = self->lanes->len;
        g_array_append_val (self->lanes, lane);
      }
  if (no_key_lane == 0)
    {
      Lane lane = { 0, };

      describe_lane (self, CM_NONE, &lane);
      no_key_lane = self->lanes->len;
      g_array_append_val (self->lanes, lane);
    }

  /* Fill the buckets in time order, so each stays sorted by start. Two
   * passes: count, then place. */
  bucket_counts = g_new0 (guint, self->lanes->len * N_BUCKETS);
  self->event_lanes = g_new (guint32, MAX (n_placements, 1));
  for (int pass = 0; pass < 2; pass++)
    {
      for (guint r = 0; r < n_events; r++)
        {
          guint e = order[r];
          const CmEvent *event = cm_dataset_get_event (self->dataset, e);
          gint64 end = cm_time_get_end (&event->end);
          guint bucket = get_bucket (end - event->start.seconds);
          guint n = get_event_lane_keys (self, event, keys, colors, G_N_ELEMENTS (keys));

          for (guint i = 0; i < n; i++)
            {
              guint32 l = keys[i] == CM_NONE ? no_key_lane : key_lane[keys[i]];
              Lane *lane = &g_array_index (self->lanes, Lane, l);
              Bucket *b = &lane->buckets[bucket];

              if (pass == 0)
                {
                  bucket_counts[l * N_BUCKETS + bucket]++;
                  self->event_lanes[self->event_lane_index[e] + i] = l;
                  continue;
                }

              b->entries[b->n].start = event->start.seconds;
              b->entries[b->n].end = end;
              b->entries[b->n].event = e;
              b->entries[b->n].color = colors[i];
              b->entries[b->n].hatched = event->start.precision <= CM_PRECISION_DAY
                                         && !(event->has_end && event->end.seconds > event->start.seconds);
              b->max_extent = MAX (b->max_extent, end - event->start.seconds);
              lane->all[lane->n_all++] = b->entries[b->n];
              b->n++;
            }
        }

      if (pass == 0)
        for (guint l = 0; l < self->lanes->len; l++)
          {
            Lane *lane = &g_array_index (self->lanes, Lane, l);
            guint n_all = 0;

            for (guint b = 0; b < N_BUCKETS; b++)
              if (bucket_counts[l * N_BUCKETS + b] > 0)
                {
                  lane->buckets[b].entries = g_new (Entry, bucket_counts[l * N_BUCKETS + b]);
                  n_all += bucket_counts[l * N_BUCKETS + b];
                }
            lane->all = g_new (Entry, MAX (n_all, 1));
          }
    }
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

  *n_lanes = self->event_lane_index[event + 1] - self->event_lane_index[event];
  return self->event_lanes + self->event_lane_index[event];
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
