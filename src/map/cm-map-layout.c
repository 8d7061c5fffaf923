/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-map-layout"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <stdlib.h>
#include <string.h>

#include "cm-map-layout-private.h"
#include "cm-map-stats.h"
#include "cm-mercator.h"
#include "cm-palette.h"
#include "cm-place-cluster.h"
#include "cm-sort.h"


void
cm_map_theme_init (CmMapTheme *theme,
                   gboolean    dark)
{
  const CmBasemapPalette *palette =
    cm_basemap_style_get_palette (dark ? CM_BASEMAP_DARK : CM_BASEMAP_LIGHT);

  g_return_if_fail (theme != NULL);

  theme->dark = dark;
  if (dark)
    {
      theme->foreground = (CmColor) { 1, 1, 1, 1 };
      theme->label_background = (CmColor) { 0.14f, 0.14f, 0.14f, 0.82f };
      theme->outline = (CmColor) { 0.1f, 0.1f, 0.1f, 0.9f };
    }
  else
    {
      theme->foreground = (CmColor) { 0.0f, 0.0f, 0.0f, 0.8f };
      theme->label_background = (CmColor) { 1, 1, 1, 0.82f };
      theme->outline = (CmColor) { 1, 1, 1, 0.95f };
    }
  cm_color_from_rgb (&theme->country, palette->label, 1.0f);
}

CmMapLayout *
cm_map_layout_new (void)
{
  CmMapLayout *self = g_new0 (CmMapLayout, 1);

  self->highlight = g_array_new (FALSE, FALSE, sizeof (guint32));
  self->marks = g_array_new (FALSE, FALSE, sizeof (CmMapMark));
  self->hit_marks = g_array_new (FALSE, FALSE, sizeof (CmPlaceMark));
  self->mark_clusters = g_array_new (FALSE, FALSE, sizeof (guint32));
  self->labels = g_array_new (FALSE, FALSE, sizeof (Label));
  self->taken = g_array_new (FALSE, FALSE, sizeof (CmRect));
  self->buckets = g_array_new (FALSE, FALSE, sizeof (guint32));
  self->bucket_entries = g_array_new (FALSE, FALSE, sizeof (BucketEntry));
  self->count_layouts = g_hash_table_new_full (NULL, NULL, NULL, g_object_unref);
  self->cluster_labels = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                g_object_unref);
  self->zoom = 1;
  cm_map_theme_init (&self->theme, FALSE);
  cm_map_layout_set_font (self, NULL);
  return self;
}

static void
clear_clusters (CmMapLayout *self)
{
  g_hash_table_remove_all (self->cluster_labels);
  g_clear_pointer (&self->index, cm_place_index_free);
  for (guint z = 0; z <= CM_PLACE_MAX_ZOOM; z++)
    g_clear_pointer (&self->cluster_colors[z], g_free);
}

static void
clear_text (CmMapLayout *self)
{
  g_hash_table_remove_all (self->count_layouts);
  g_hash_table_remove_all (self->cluster_labels);
  for (guint i = 0; self->place_labels != NULL && i < self->n_places; i++)
    g_clear_object (&self->place_labels[i]);
  for (guint i = 0; self->country_labels != NULL && i < self->n_countries; i++)
    g_clear_object (&self->country_labels[i]);
}

static void
clear_outputs (CmMapLayout *self)
{
  g_array_set_size (self->marks, 0);
  g_array_set_size (self->hit_marks, 0);
  g_array_set_size (self->mark_clusters, 0);
  g_array_set_size (self->labels, 0);
}

static void
release_dataset (CmMapLayout *self)
{
  clear_text (self);
  clear_clusters (self);
  clear_outputs (self);
  g_clear_pointer (&self->place_labels, g_free);
  g_clear_pointer (&self->places, g_free);
  g_clear_pointer (&self->place_mark, g_free);
  g_clear_pointer (&self->filter, g_free);
  g_clear_pointer (&self->stats, cm_map_stats_free);
  g_array_set_size (self->highlight, 0);
  self->n_places = 0;
  g_clear_object (&self->dataset);
}

void
cm_map_layout_free (CmMapLayout *self)
{
  if (self == NULL)
    return;

  release_dataset (self);
  cm_map_layout_set_basemap (self, NULL);
  g_clear_pointer (&self->highlight, g_array_unref);
  g_clear_pointer (&self->marks, g_array_unref);
  g_clear_pointer (&self->hit_marks, g_array_unref);
  g_clear_pointer (&self->mark_clusters, g_array_unref);
  g_clear_pointer (&self->labels, g_array_unref);
  g_clear_pointer (&self->count_layouts, g_hash_table_unref);
  g_clear_pointer (&self->cluster_labels, g_hash_table_unref);
  g_clear_pointer (&self->font, pango_font_description_free);
  g_clear_object (&self->pango);
  g_clear_pointer (&self->taken, g_array_unref);
  g_clear_pointer (&self->buckets, g_array_unref);
  g_clear_pointer (&self->bucket_entries, g_array_unref);
  g_free (self);
}

/* Statistics --------------------------------------------------------------- */

/* The statistics' figures into the places. With none yet (a view whose
 * worker has not answered) no place is drawn, though all frame. */
static void
apply_stats (CmMapLayout *self)
{
  for (guint32 p = 0; p < self->n_places; p++)
    {
      PlaceInfo *info = &self->places[p];

      info->weight = self->stats != NULL ? cm_map_stats_get_weight (self->stats, p) : 0;
      info->group = self->stats != NULL ? cm_map_stats_get_group (self->stats, p) : CM_NONE;
      /* With a filter on, a place none of the shown events happen at
       * would only mislead. */
      info->shown = self->stats == NULL || self->filter == NULL || info->weight > 0;
    }
}

static void
install_stats (CmMapLayout *self,
               CmMapStats  *stats)
{
  g_clear_pointer (&self->stats, cm_map_stats_free);
  self->stats = stats;
  apply_stats (self);
  clear_clusters (self);
}

/* The statistics of the dataset and filter set, computed here unless
 * they come from a worker (async). */
static void
ensure_stats (CmMapLayout *self)
{
  if (!self->async_stats && cm_map_layout_needs_stats (self))
    install_stats (self, cm_map_stats_new (self->dataset, self->filter, NULL));
}

typedef struct
{
  guint32 *count;      /* per group: events, summed over the places */
  guint32 *first;      /* per group: time rank of the earliest */
  GArray  *touched;    /* groups with a count */
  GArray  *merged;     /* CmMapTally */
} Ballot;

static void
ballot_init (CmMapLayout *self,
             Ballot      *ballot)
{
  guint n_groups = cm_dataset_get_n_groups (self->dataset);

  ballot->count = g_new0 (guint32, n_groups + 1);
  ballot->first = g_new (guint32, n_groups + 1);
  ballot->touched = g_array_new (FALSE, FALSE, sizeof (guint32));
  ballot->merged = g_array_new (FALSE, FALSE, sizeof (CmMapTally));
}

static void
ballot_clear (Ballot *ballot)
{
  g_free (ballot->count);
  g_free (ballot->first);
  g_array_unref (ballot->touched);
  g_array_unref (ballot->merged);
}

/* The colour rule over @places together: their tallies summed. */
static guint32
vote_group (CmMapLayout   *self,
            const guint32 *places,
            guint          n_places,
            Ballot        *ballot)
{
  for (guint p = 0; p < n_places; p++)
    {
      guint n;
      const CmMapTally *tallies = cm_map_stats_get_tallies (self->stats, places[p], &n);

      for (guint i = 0; i < n; i++)
        {
          guint32 group = tallies[i].group;

          if (ballot->count[group] == 0)
            {
              g_array_append_val (ballot->touched, group);
              ballot->first[group] = tallies[i].first;
            }
          else
            ballot->first[group] = MIN (ballot->first[group], tallies[i].first);
          ballot->count[group] += tallies[i].count;
        }
    }

  g_array_set_size (ballot->merged, 0);
  for (guint t = 0; t < ballot->touched->len; t++)
    {
      guint32 group = g_array_index (ballot->touched, guint32, t);
      CmMapTally tally = { group, ballot->count[group], ballot->first[group] };

      g_array_append_val (ballot->merged, tally);
      ballot->count[group] = 0;
    }
  g_array_set_size (ballot->touched, 0);
  return cm_map_tally_winner ((const CmMapTally *) ballot->merged->data, ballot->merged->len);
}

/* On screen, clusters are those of the whole zoom below, so they stay put
 * while the zoom animates (places are then further apart than the
 * clusters assumed, never closer). An image is drawn once: its clusters
 * are computed for its own zoom, with tiles as large as that takes. */
static double
get_index_scale (CmMapLayout *self)
{
  return self->exact_zoom ? exp2 (self->zoom - floor (self->zoom + 1e-6)) : 1.0;
}

static void
ensure_index (CmMapLayout *self)
{
  g_autoptr(GArray) points = NULL;

  ensure_stats (self);
  if (self->index != NULL && fabs (self->index_scale - get_index_scale (self)) > 1e-9)
    clear_clusters (self);
  if (self->index != NULL || self->dataset == NULL)
    return;

  points = g_array_sized_new (FALSE, FALSE, sizeof (CmPlacePoint), self->n_places);
  for (guint i = 0; i < self->n_places; i++)
    self->places[i].pinned = FALSE;
  /* Selected places first: the index seeds pinned points in the order
   * given, and never puts one into another's cluster. No place before
   * the statistics come. */
  for (guint i = 0; self->stats != NULL && i < self->highlight->len; i++)
    {
      guint32 place = g_array_index (self->highlight, guint32, i);
      PlaceInfo *info = &self->places[place];
      CmPlacePoint point = { info->x, info->y, info->weight, place, TRUE };

      if (info->shown && !info->pinned)
        {
          g_array_append_val (points, point);
          info->pinned = TRUE;
        }
    }
  for (guint i = 0; self->stats != NULL && i < self->n_places; i++)
    {
      const PlaceInfo *info = &self->places[i];
      CmPlacePoint point = { info->x, info->y, info->weight, i, FALSE };

      if (info->shown && !info->pinned)
        g_array_append_val (points, point);
    }

  self->index_scale = get_index_scale (self);
  self->index = cm_place_index_new ((const CmPlacePoint *) points->data, points->len,
                                    CLUSTER_DISTANCE, 256 * self->index_scale);
}

/* The colour of each cluster at @zoom by the colour rule over its places. */
static const guint32 *
get_cluster_colors (CmMapLayout *self,
                    guint        zoom)
{
  const CmPlaceCluster *clusters;
  guint n_clusters;
  Ballot ballot;

  if (self->cluster_colors[zoom] != NULL)
    return self->cluster_colors[zoom];

  clusters = cm_place_index_get_clusters (self->index, zoom, &n_clusters);
  self->cluster_colors[zoom] = g_new (guint32, MAX (n_clusters, 1));
  ballot_init (self, &ballot);
  for (guint c = 0; c < n_clusters; c++)
    {
      const guint32 *members = cm_place_index_get_members (self->index, zoom, &clusters[c]);
      guint32 group = clusters[c].n_places == 1
                      ? self->places[members[0]].group
                      : vote_group (self, members, clusters[c].n_places, &ballot);

      self->cluster_colors[zoom][c] = cm_palette_get_group_color (self->dataset, group);
    }
  ballot_clear (&ballot);
  return self->cluster_colors[zoom];
}

/* Inputs ------------------------------------------------------------------- */

void
cm_map_layout_set_dataset (CmMapLayout *self,
                           CmDataset   *dataset)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (dataset == NULL || CM_IS_DATASET (dataset));

  if (dataset == self->dataset)
    return;

  release_dataset (self);
  if (dataset == NULL)
    return;

  self->dataset = g_object_ref (dataset);
  self->n_places = cm_dataset_get_n_places (dataset);
  self->places = g_new0 (PlaceInfo, MAX (self->n_places, 1));
  self->place_labels = g_new0 (PangoLayout *, MAX (self->n_places, 1));
  self->place_mark = g_new0 (guint32, MAX (self->n_places, 1));
  for (guint i = 0; i < self->n_places; i++)
    {
      const CmPlace *place = cm_dataset_get_place (dataset, i);

      self->places[i].x = cm_mercator_x (place->lon);
      self->places[i].y = cm_mercator_y (place->lat);
    }
  apply_stats (self);
}

CmDataset *
cm_map_layout_get_dataset (CmMapLayout *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->dataset;
}

gboolean
cm_map_layout_set_filter (CmMapLayout   *self,
                          const guint64 *visible)
{
  gsize n_words;

  g_return_val_if_fail (self != NULL, FALSE);

  if (self->dataset == NULL)
    return FALSE;
  n_words = (cm_dataset_get_n_events (self->dataset) + 63) / 64;
  if (visible == NULL && self->filter == NULL)
    return FALSE;
  if (visible != NULL && self->filter != NULL
      && memcmp (visible, self->filter, n_words * sizeof (guint64)) == 0)
    return FALSE;

  g_clear_pointer (&self->filter, g_free);
  if (visible != NULL)
    self->filter = g_memdup2 (visible, MAX (n_words, 1) * sizeof (guint64));
  /* Statistics when next needed; a view keeps the last ones until its
   * worker brings these. */
  return TRUE;
}

void
cm_map_layout_set_async_stats (CmMapLayout *self,
                               gboolean     async_stats)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (self->dataset == NULL);

  self->async_stats = !!async_stats;
}

gboolean
cm_map_layout_needs_stats (CmMapLayout *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->dataset != NULL
         && (self->stats == NULL
             || !cm_map_stats_matches (self->stats, self->dataset, self->filter));
}

const guint64 *
cm_map_layout_get_filter (CmMapLayout *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->filter;
}

gboolean
cm_map_layout_set_stats (CmMapLayout *self,
                         CmMapStats  *stats)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (stats != NULL, FALSE);

  if (!cm_map_stats_matches (stats, self->dataset, self->filter))
    {
      cm_map_stats_free (stats);
      return FALSE;
    }
  install_stats (self, stats);
  return TRUE;
}

void
cm_map_layout_set_highlight (CmMapLayout   *self,
                             const guint32 *places,
                             guint          n_places,
                             gboolean       join)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (places != NULL || n_places == 0);

  g_array_set_size (self->highlight, 0);
  for (guint i = 0; i < n_places; i++)
    if (places[i] < self->n_places)
      g_array_append_val (self->highlight, places[i]);
  self->join = join;
  /* Selected places seed their own clusters: regroup. */
  clear_clusters (self);
}

void
cm_map_layout_set_viewport (CmMapLayout *self,
                            double       latitude,
                            double       longitude,
                            double       zoom,
                            double       width,
                            double       height)
{
  g_return_if_fail (self != NULL);

  self->latitude = latitude;
  self->longitude = longitude;
  self->zoom = CLAMP (zoom, 0, CM_PLACE_MAX_ZOOM);
  self->width = MAX (width, 0);
  self->height = MAX (height, 0);
}

void
cm_map_layout_set_margin (CmMapLayout *self,
                          double       margin)
{
  g_return_if_fail (self != NULL);

  self->margin = MAX (margin, 0);
}

void
cm_map_layout_translate (CmMapLayout *self,
                         double       dx,
                         double       dy,
                         double       latitude,
                         double       longitude)
{
  g_return_if_fail (self != NULL);

  for (guint i = 0; i < self->marks->len; i++)
    {
      CmMapMark *mark = &g_array_index (self->marks, CmMapMark, i);
      CmPlaceMark *hit = &g_array_index (self->hit_marks, CmPlaceMark, i);

      mark->x += dx;
      mark->y += dy;
      hit->x += dx;
      hit->y += dy;
    }
  for (guint i = 0; i < self->labels->len; i++)
    {
      Label *label = &g_array_index (self->labels, Label, i);

      label->rect.x += dx;
      label->rect.y += dy;
    }
  self->latitude = latitude;
  self->longitude = longitude;
}

void
cm_map_layout_set_exact_zoom (CmMapLayout *self,
                              gboolean     exact_zoom)
{
  g_return_if_fail (self != NULL);

  self->exact_zoom = !!exact_zoom;
}

void
cm_map_layout_set_theme (CmMapLayout      *self,
                         const CmMapTheme *theme)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (theme != NULL);

  self->theme = *theme;
}

void
cm_map_layout_set_font (CmMapLayout *self,
                        const char  *font)
{
  PangoFontDescription *desc;

  g_return_if_fail (self != NULL);

  desc = pango_font_description_from_string (font != NULL ? font : "Sans 10");
  /* GTK gives sizes in pixels ("Cantarell 13.333px" for 10 points at 96
   * dpi), rounded to Pango units: back to points, as the export asks for
   * them, or the two would measure text a hair apart. */
  if (pango_font_description_get_size_is_absolute (desc))
    pango_font_description_set_size (desc,
                                     (int) (round (pango_font_description_get_size (desc)
                                                   * 72.0 / 96.0 / PANGO_SCALE * 64) / 64
                                            * PANGO_SCALE));
  if (self->font != NULL && pango_font_description_equal (desc, self->font))
    {
      pango_font_description_free (desc);
      return;
    }
  g_clear_pointer (&self->font, pango_font_description_free);
  self->font = desc;
  clear_text (self);
}

void
cm_map_layout_set_basemap (CmMapLayout *self,
                           CmBasemap   *basemap)
{
  g_return_if_fail (self != NULL);

  if (basemap == self->basemap)
    return;
  clear_text (self);
  g_clear_pointer (&self->country_labels, g_free);
  g_clear_pointer (&self->basemap, cm_basemap_unref);
  self->n_countries = 0;
  if (basemap != NULL)
    {
      self->basemap = cm_basemap_ref (basemap);
      self->n_countries = cm_basemap_get_n_countries (basemap);
      self->country_labels = g_new0 (PangoLayout *, MAX (self->n_countries, 1));
    }
}

/* Projection --------------------------------------------------------------- */

static void
get_projection (CmMapLayout *self,
                Projection  *proj)
{
  proj->world = cm_mercator_world_size (self->zoom, 256);
  proj->origin_x = cm_mercator_x (self->longitude) * proj->world - self->width / 2.0;
  proj->origin_y = cm_mercator_y (self->latitude) * proj->world - self->height / 2.0;
}

/* The copy of world point (@x, @y) nearest the view's centre: markers are
 * drawn once, never once per copy of the world. */
void
_cm_map_layout_project (CmMapLayout      *self,
                        const Projection *proj,
                        double            x,
                        double            y,
                        double           *sx,
                        double           *sy)
{
  double centre = (proj->origin_x + self->width / 2.0) / proj->world;

  x += round (centre - x);
  *sx = x * proj->world - proj->origin_x;
  *sy = y * proj->world - proj->origin_y;
}

/* Marks -------------------------------------------------------------------- */

static void
gather_marks (CmMapLayout      *self,
              const Projection *proj)
{
  const CmPlaceCluster *clusters;
  const guint32 *colors;
  guint n_clusters;

  ensure_index (self);
  self->cluster_zoom = (guint) CLAMP (floor (self->zoom + 1e-6), 0, CM_PLACE_MAX_ZOOM);
  clusters = cm_place_index_get_clusters (self->index, self->cluster_zoom, &n_clusters);
  colors = get_cluster_colors (self, self->cluster_zoom);

  /* Lightest first, so the busiest draw on top; selected ones last. */
  for (guint pass = 0; pass < 2; pass++)
    for (guint c = n_clusters; c-- > 0;)
      {
        const CmPlaceCluster *cluster = &clusters[c];
        gboolean pinned = self->places[cluster->seed].pinned;
        CmMapMark mark = { 0, };
        CmPlaceMark hit;
        double sx, sy, r;

        if (pinned != (pass == 1))
          continue;
        _cm_map_layout_project (self, proj, cluster->x, cluster->y, &sx, &sy);
        r = cm_place_marker_radius (cluster->weight, cluster->n_places, MAX_RADIUS);
        if (sx < -r - self->margin || sx > self->width + r + self->margin
            || sy < -r - self->margin || sy > self->height + r + self->margin)
          continue;

        mark.x = sx;
        mark.y = sy;
        mark.radius = r;
        mark.place = cluster->seed;
        mark.n_places = cluster->n_places;
        mark.weight = cluster->weight;
        mark.color = colors[c];
        mark.highlighted = pinned;
        hit = (CmPlaceMark) { sx, sy, pinned ? r + RING_GAP + RING_WIDTH : r, self->marks->len };
        g_array_append_val (self->marks, mark);
        g_array_append_val (self->hit_marks, hit);
        g_array_append_val (self->mark_clusters, c);
      }
}

static void
add_marks_to_scene (CmMapLayout *self,
                    CmScene     *scene)
{
  const CmMapMark *marks = (const CmMapMark *) self->marks->data;
  guint halo = 0, ring = 0, outline;

  if (self->highlight->len > 0)
    {
      halo = cm_scene_batch (scene, CM_SCENE_LAYER_SELECTION, CM_SCENE_PAINT_STROKE,
                             &self->theme.outline, RING_HALO);
      ring = cm_scene_batch (scene, CM_SCENE_LAYER_SELECTION, CM_SCENE_PAINT_STROKE,
                             &self->theme.foreground, RING_WIDTH);
    }

  for (guint i = 0; i < self->marks->len; i++)
    {
      const CmMapMark *mark = &marks[i];
      CmColor color;

      cm_color_from_rgb (&color, mark->color, mark->highlighted ? 1.0f : 0.9f);
      cm_scene_add_circle (scene, cm_scene_batch (scene, CM_SCENE_LAYER_MARKS,
                                                  CM_SCENE_PAINT_FILL, &color, 0),
                           mark->x, mark->y, mark->radius);
      if (mark->highlighted)
        {
          cm_scene_add_circle (scene, halo, mark->x, mark->y, mark->radius + RING_GAP);
          cm_scene_add_circle (scene, ring, mark->x, mark->y, mark->radius + RING_GAP);
        }
    }

  /* Outlines after every fill, one path. */
  outline = cm_scene_batch (scene, CM_SCENE_LAYER_MARKS, CM_SCENE_PAINT_STROKE,
                            &self->theme.outline, OUTLINE_WIDTH);
  for (guint i = 0; i < self->marks->len; i++)
    cm_scene_add_circle (scene, outline, marks[i].x, marks[i].y, marks[i].radius);

  /* The number of places in a cluster, white on the usual group colours,
   * dark on very light ones. */
  for (guint i = 0; i < self->marks->len; i++)
    {
      const CmMapMark *mark = &marks[i];
      PangoLayout *layout;
      double w, h, red, green, blue;
      CmColor text;

      if (mark->n_places < 2)
        continue;
      layout = _cm_map_layout_get_count_text (self, mark->n_places);
      _cm_map_text_size (layout, &w, &h);
      cm_palette_to_rgb (mark->color, &red, &green, &blue);
      text = 0.2126 * red + 0.7152 * green + 0.0722 * blue > 0.7
             ? (CmColor) { 0.14f, 0.14f, 0.14f, 1 } : (CmColor) { 1, 1, 1, 1 };
      cm_scene_add_text (scene, CM_SCENE_LAYER_MARKS, &text, layout,
                         round (mark->x - w / 2), round (mark->y - h / 2));
    }
}

/* Lines between an event's places, each step the short way round. */
static void
add_joins_to_scene (CmMapLayout      *self,
                    const Projection *proj,
                    CmScene          *scene)
{
  CmColor color = self->theme.foreground;
  double last_x = 0, last_y = 0;
  guint batch;

  if (!self->join || self->highlight->len < 2)
    return;

  color.alpha *= 0.85f;
  batch = cm_scene_batch (scene, CM_SCENE_LAYER_GRID, CM_SCENE_PAINT_STROKE, &color, JOIN_WIDTH);
  for (guint i = 0; i < self->highlight->len; i++)
    {
      const PlaceInfo *info = &self->places[g_array_index (self->highlight, guint32, i)];
      double x, y;

      if (i == 0)
        _cm_map_layout_project (self, proj, info->x, info->y, &x, &y);
      else
        {
          double previous = (last_x + proj->origin_x) / proj->world;
          double wx = info->x + round (previous - info->x);

          x = wx * proj->world - proj->origin_x;
          y = info->y * proj->world - proj->origin_y;
          if (x != last_x || y != last_y)
            cm_scene_add_line (scene, batch, last_x, last_y, x, y);
        }
      last_x = x;
      last_y = y;
    }
}

void
cm_map_layout_build (CmMapLayout *self,
                     CmScene     *scene)
{
  Projection proj;

  g_return_if_fail (self != NULL);
  g_return_if_fail (scene != NULL);

  cm_scene_reset (scene, self->width, self->height);
  clear_outputs (self);
  if (self->width < 1 || self->height < 1)
    return;

  /* Markers never overlap, nor do names and their pills: the screen draws
   * each marker with its outline and count, and each name on its pill, as
   * one image. */
  cm_scene_set_stamped (scene, CM_SCENE_LAYER_MARKS, TRUE);
  cm_scene_set_stamped (scene, CM_SCENE_LAYER_LABELS, TRUE);
  get_projection (self, &proj);
  _cm_map_layout_reset_taken (self);
  if (self->dataset != NULL)
    {
      for (guint i = 0; i < self->n_places; i++)
        self->place_mark[i] = 0;
      gather_marks (self, &proj);
      for (guint m = 0; m < self->marks->len; m++)
        {
          guint n;
          const guint32 *places = cm_map_layout_get_mark_places (self, m, &n);

          for (guint k = 0; k < n; k++)
            self->place_mark[places[k]] = m + 1;
        }
      add_joins_to_scene (self, &proj, scene);
      add_marks_to_scene (self, scene);
      _cm_map_layout_add_place_labels (self, scene);
    }
  if (self->basemap != NULL)
    _cm_map_layout_add_country_labels (self, &proj, scene);
}

/* Outputs ------------------------------------------------------------------ */

const CmMapMark *
cm_map_layout_get_marks (CmMapLayout *self,
                         guint       *n_marks)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (n_marks != NULL, NULL);

  *n_marks = self->marks->len;
  return (const CmMapMark *) self->marks->data;
}

const guint32 *
cm_map_layout_get_mark_places (CmMapLayout *self,
                               guint        index,
                               guint       *n_places)
{
  const CmPlaceCluster *clusters;
  guint n_clusters, cluster;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->marks->len, NULL);
  g_return_val_if_fail (n_places != NULL, NULL);

  clusters = cm_place_index_get_clusters (self->index, self->cluster_zoom, &n_clusters);
  cluster = g_array_index (self->mark_clusters, guint32, index);
  *n_places = clusters[cluster].n_places;
  return cm_place_index_get_members (self->index, self->cluster_zoom, &clusters[cluster]);
}

int
cm_map_layout_pick (CmMapLayout *self,
                    double       x,
                    double       y,
                    double       slop)
{
  g_return_val_if_fail (self != NULL, -1);

  return cm_place_marks_hit ((const CmPlaceMark *) self->hit_marks->data, self->hit_marks->len,
                             x, y, slop);
}

int
cm_map_layout_find_place_mark (CmMapLayout *self,
                               guint32      place)
{
  g_return_val_if_fail (self != NULL, -1);

  if (place >= self->n_places || self->place_mark == NULL)
    return -1;
  return (int) self->place_mark[place] - 1;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_utf8_collate (*(const char *const *) a, *(const char *const *) b);
}

char *
cm_map_layout_describe_mark (CmMapLayout *self,
                             guint        index)
{
  const CmMapMark *mark;
  g_autoptr(GString) names = NULL;
  const guint32 *places;
  guint n;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->marks->len, NULL);

  mark = &g_array_index (self->marks, CmMapMark, index);
  if (mark->n_places == 1)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s, %u event", "%s, %u events",
                                         mark->weight),
                            cm_dataset_get_place (self->dataset, mark->place)->name,
                            mark->weight);

  /* Names in alphabetical order, as a list is read. */
  places = cm_map_layout_get_mark_places (self, index, &n);
  {
    g_autoptr(GPtrArray) sorted = g_ptr_array_sized_new (n);

    for (guint i = 0; i < n; i++)
      g_ptr_array_add (sorted, (gpointer) cm_dataset_get_place (self->dataset, places[i])->name);
    g_ptr_array_sort (sorted, compare_names);
    names = g_string_new (NULL);
    for (guint i = 0; i < n && i < 10; i++)
      {
        if (i > 0)
          /* Translators: between the place names of a map cluster */
          g_string_append (names, C_("list", ", "));
        g_string_append (names, g_ptr_array_index (sorted, i));
      }
    if (n > 10)
      g_string_append (names, "…");
  }
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Cluster of %u place: %s",
                                       "Cluster of %u places: %s", n),
                          n, names->str);
}

guint
cm_map_layout_get_n_labels (CmMapLayout *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->labels->len;
}

void
cm_map_layout_get_label (CmMapLayout *self,
                         guint        index,
                         guint32     *mark,
                         CmRect      *rect)
{
  const Label *label;

  g_return_if_fail (self != NULL);
  g_return_if_fail (index < self->labels->len);

  label = &g_array_index (self->labels, Label, index);
  if (mark != NULL)
    *mark = label->mark;
  if (rect != NULL)
    *rect = label->rect;
}

guint
cm_map_layout_get_place_weight (CmMapLayout *self,
                                guint32      place)
{
  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (place < self->n_places, 0);

  ensure_stats (self);
  return self->places[place].weight;
}

guint32
cm_map_layout_get_place_group (CmMapLayout *self,
                               guint32      place)
{
  g_return_val_if_fail (self != NULL, CM_NONE);
  g_return_val_if_fail (place < self->n_places, CM_NONE);

  ensure_stats (self);
  return self->places[place].group;
}

gboolean
cm_map_layout_is_place_shown (CmMapLayout *self,
                              guint32      place)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (place < self->n_places, FALSE);

  ensure_stats (self);
  return self->places[place].shown;
}

gboolean
cm_map_layout_get_place_position (CmMapLayout *self,
                                  guint32      place,
                                  double      *x,
                                  double      *y)
{
  Projection proj;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (x != NULL && y != NULL, FALSE);

  if (place >= self->n_places)
    return FALSE;
  get_projection (self, &proj);
  _cm_map_layout_project (self, &proj, self->places[place].x, self->places[place].y, x, y);
  return TRUE;
}

/* Framing ------------------------------------------------------------------ */

typedef struct
{
  double min_x, min_y, max_x, max_y;   /* world units; max_x may pass 1 */
} Extent;

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

/* The smallest extent holding the places, going across the antimeridian
 * when that is narrower (a dataset around the Pacific). */
static gboolean
get_extent (CmMapLayout   *self,
            const guint32 *places,
            guint          n_places,
            Extent        *extent)
{
  g_autofree double *xs = NULL;
  double gap, start;
  guint n = 0;

  ensure_stats (self);
  if (places == NULL)
    n_places = self->n_places;
  xs = g_new (double, MAX (n_places, 1));
  extent->min_y = G_MAXDOUBLE;
  extent->max_y = -G_MAXDOUBLE;
  for (guint i = 0; i < n_places; i++)
    {
      guint32 place = places != NULL ? places[i] : i;
      const PlaceInfo *info;

      if (place >= self->n_places)
        continue;
      info = &self->places[place];
      if (places == NULL && !info->shown)
        continue;
      xs[n++] = info->x;
      extent->min_y = MIN (extent->min_y, info->y);
      extent->max_y = MAX (extent->max_y, info->y);
    }
  if (n == 0)
    return FALSE;
  qsort (xs, n, sizeof (double), compare_doubles);

  /* Leave out the widest empty band of longitude. */
  gap = xs[0] + 1 - xs[n - 1];
  start = xs[0];
  for (guint i = 1; i < n; i++)
    if (xs[i] - xs[i - 1] > gap)
      {
        gap = xs[i] - xs[i - 1];
        start = xs[i];
      }
  extent->min_x = start;
  extent->max_x = start + (1 - gap);
  return TRUE;
}

gboolean
cm_map_layout_frame (CmMapLayout   *self,
                     const guint32 *places,
                     guint          n_places,
                     double         width,
                     double         height,
                     double         margin,
                     double         max_zoom,
                     gboolean       whole_zoom,
                     double        *latitude,
                     double        *longitude,
                     double        *zoom)
{
  /* The world at least as wide as the view: it never repeats. */
  double min_zoom = MAX (0, log2 (MAX (width, 1) / 256.0));
  double dx, dy, zoom_x, zoom_y, z, cx, cy;
  Extent extent;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (latitude != NULL && longitude != NULL && zoom != NULL, FALSE);

  if (self->dataset == NULL || !get_extent (self, places, n_places, &extent))
    {
      *latitude = 30;
      *longitude = 15;
      *zoom = whole_zoom ? ceil (min_zoom - 1e-9) : min_zoom;
      return FALSE;
    }

  dx = MAX (extent.max_x - extent.min_x, 1e-9);
  dy = MAX (extent.max_y - extent.min_y, 1e-9);
  zoom_x = log2 (MAX (width - 2 * margin, 32) / (dx * 256));
  zoom_y = log2 (MAX (height - 2 * margin, 32) / (dy * 256));
  z = MIN (MIN (zoom_x, zoom_y), MAX (min_zoom, max_zoom));
  /* A whole zoom draws the tiles pixel for pixel, but not at the price of
   * cutting places off: in a wide, short view the whole zoom above the
   * world's width may be too close for them, and the places win. */
  if (whole_zoom && floor (z + 1e-9) >= min_zoom)
    z = floor (z + 1e-9);
  *zoom = MAX (z, min_zoom);
  cx = (extent.min_x + extent.max_x) / 2;
  cy = (extent.min_y + extent.max_y) / 2;
  *latitude = cm_mercator_latitude (cy);
  *longitude = cm_mercator_longitude (cx - floor (cx));
  return TRUE;
}

double
cm_map_layout_get_extent_aspect (CmMapLayout *self)
{
  Extent extent;

  g_return_val_if_fail (self != NULL, 0);

  if (self->dataset == NULL || !get_extent (self, NULL, 0, &extent))
    return 0;
  return MAX (extent.max_x - extent.min_x, 1e-4) / MAX (extent.max_y - extent.min_y, 1e-4);
}
