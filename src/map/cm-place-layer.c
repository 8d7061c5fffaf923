/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-place-layer"

#include "config.h"

#include <math.h>
#include <string.h>

#include "cm-mercator.h"
#include "cm-palette.h"
#include "cm-place-cluster.h"
#include "cm-place-layer.h"

/* Cluster seeds are at least this far apart, in pixels; markers are at
 * most half as wide, so they never overlap. */
#define CLUSTER_DISTANCE 44.0
#define MAX_RADIUS       (CLUSTER_DISTANCE / 2)
#define HIT_SLOP         4.0
#define LABEL_GAP        4.0
#define LABEL_PAD_X      4.0
#define LABEL_PAD_Y      1.0
#define GRID_CELL        6      /* label occupancy grid, pixels */
#define MAX_LABELS       400    /* label attempts per frame */

typedef struct
{
  double  x;                    /* world units */
  double  y;
  guint32 weight;               /* events counted here */
  guint32 group;                /* dominant group, or CM_NONE */
  gboolean shown;
} PlaceInfo;

typedef struct
{
  guint32 place;                /* place, or the seed of a cluster */
  guint32 n_places;
  guint32 weight;
  guint32 color;                /* 0xRRGGBB */
  gboolean highlighted;
} MarkTarget;

/* What the marks were computed for: recomputed when any of it changes. */
typedef struct
{
  double  zoom;
  double  latitude;
  double  longitude;
  int     width;
  int     height;
  guint   generation;
} MarksKey;

struct _CmPlaceLayer
{
  ShumateLayer   parent_instance;

  CmDataset     *dataset;
  PlaceInfo     *places;
  guint          n_places;
  guint64       *filter;        /* NULL: every event counts */
  CmPlaceIndex  *index;
  guint32       *cluster_colors[CM_PLACE_MAX_ZOOM + 1];

  GArray        *highlight;     /* guint32 places */
  gboolean       join;

  /* Per frame, in widget pixels. */
  GArray        *marks;         /* CmPlaceMark, .cluster indexes targets */
  GArray        *targets;       /* MarkTarget */
  MarksKey       marks_key;
  gboolean       marks_valid;
  guint          generation;
  guint8        *grid;
  guint          grid_len;

  PangoLayout  **labels;        /* per place, created on first use */
  GArray        *labels_placed; /* Label, this frame */
  GHashTable    *count_layouts; /* count -> PangoLayout */
  GHashTable    *marker_textures; /* guint64 key -> GdkTexture */
};

G_DEFINE_FINAL_TYPE (CmPlaceLayer, cm_place_layer, SHUMATE_TYPE_LAYER)

/* Statistics --------------------------------------------------------------- */

typedef struct
{
  guint32 place;
  guint32 group;
} PlaceGroup;

static int
compare_place_groups (const void *a,
                      const void *b)
{
  const PlaceGroup *x = a, *y = b;

  if (x->place != y->place)
    return x->place < y->place ? -1 : 1;
  return x->group < y->group ? -1 : x->group > y->group;
}

static gboolean
event_counts (CmPlaceLayer *self,
              guint         event)
{
  return self->filter == NULL || (self->filter[event / 64] >> (event % 64)) & 1;
}

/* Weights and dominant groups: every (place, group) pair of the counted
 * events, sorted, then the longest run per place. */
static void
compute_place_stats (CmPlaceLayer *self)
{
  g_autoptr(GArray) pairs = g_array_new (FALSE, FALSE, sizeof (PlaceGroup));
  guint n_events = cm_dataset_get_n_events (self->dataset);

  for (guint i = 0; i < self->n_places; i++)
    {
      self->places[i].weight = 0;
      self->places[i].group = CM_NONE;
    }

  for (guint e = 0; e < n_events; e++)
    {
      const CmEvent *event;
      const guint32 *places;
      guint n;
      guint32 group;

      if (!event_counts (self, e))
        continue;
      event = cm_dataset_get_event (self->dataset, e);
      places = cm_dataset_get_event_places (self->dataset, event, &n);
      if (n == 0)
        continue;
      group = cm_dataset_get_event_group (self->dataset, event);
      for (guint p = 0; p < n; p++)
        {
          PlaceGroup pair = { places[p], group };

          self->places[places[p]].weight++;
          g_array_append_val (pairs, pair);
        }
    }

  if (pairs->len > 1)
    qsort (pairs->data, pairs->len, sizeof (PlaceGroup), compare_place_groups);
  for (guint i = 0; i < pairs->len;)
    {
      const PlaceGroup *first = &g_array_index (pairs, PlaceGroup, i);
      guint32 place = first->place, best = CM_NONE, best_run = 0;

      while (i < pairs->len && g_array_index (pairs, PlaceGroup, i).place == place)
        {
          guint32 group = g_array_index (pairs, PlaceGroup, i).group;
          guint32 run = 0;

          while (i < pairs->len
                 && g_array_index (pairs, PlaceGroup, i).place == place
                 && g_array_index (pairs, PlaceGroup, i).group == group)
            {
              run++;
              i++;
            }
          /* A real group wins over "no group" unless that is all there is. */
          if (group != CM_NONE && (run > best_run || best == CM_NONE))
            {
              best = group;
              best_run = run;
            }
        }
      self->places[place].group = best;
    }
}

static void
clear_clusters (CmPlaceLayer *self)
{
  g_clear_pointer (&self->index, cm_place_index_free);
  for (guint z = 0; z <= CM_PLACE_MAX_ZOOM; z++)
    g_clear_pointer (&self->cluster_colors[z], g_free);
  self->generation++;
}

static void
rebuild (CmPlaceLayer *self)
{
  g_autoptr(GArray) points = NULL;

  clear_clusters (self);
  if (self->dataset == NULL)
    return;

  compute_place_stats (self);
  points = g_array_sized_new (FALSE, FALSE, sizeof (CmPlacePoint), self->n_places);
  for (guint i = 0; i < self->n_places; i++)
    {
      PlaceInfo *info = &self->places[i];
      CmPlacePoint point = { info->x, info->y, info->weight, i };

      /* With a filter on, a place none of the shown events happen at
       * would only mislead. */
      info->shown = self->filter == NULL || info->weight > 0;
      if (info->shown)
        g_array_append_val (points, point);
    }
  self->index = cm_place_index_new ((const CmPlacePoint *) points->data, points->len,
                                    CLUSTER_DISTANCE, 256);
}

/* The colour of each cluster at @zoom: the group with most events among
 * its places. */
static const guint32 *
get_cluster_colors (CmPlaceLayer *self,
                    guint         zoom)
{
  const CmPlaceCluster *clusters;
  guint n_clusters, n_groups;
  g_autofree guint32 *tally = NULL;
  g_autoptr(GArray) touched = NULL;

  zoom = MIN (zoom, CM_PLACE_MAX_ZOOM);
  if (self->cluster_colors[zoom] != NULL)
    return self->cluster_colors[zoom];

  clusters = cm_place_index_get_clusters (self->index, zoom, &n_clusters);
  n_groups = cm_dataset_get_n_groups (self->dataset);
  tally = g_new0 (guint32, n_groups + 1);
  touched = g_array_new (FALSE, FALSE, sizeof (guint32));
  self->cluster_colors[zoom] = g_new (guint32, MAX (n_clusters, 1));

  for (guint c = 0; c < n_clusters; c++)
    {
      const guint32 *members = cm_place_index_get_members (self->index, zoom, &clusters[c]);
      guint32 best = CM_NONE, best_weight = 0;

      for (guint m = 0; m < clusters[c].n_places; m++)
        {
          const PlaceInfo *info = &self->places[members[m]];
          guint32 slot = info->group == CM_NONE ? n_groups : info->group;

          if (tally[slot] == 0)
            g_array_append_val (touched, slot);
          tally[slot] += MAX (info->weight, 1);
          if (slot != n_groups && tally[slot] > best_weight)
            {
              best = slot;
              best_weight = tally[slot];
            }
        }
      for (guint t = 0; t < touched->len; t++)
        tally[g_array_index (touched, guint32, t)] = 0;
      g_array_set_size (touched, 0);
      self->cluster_colors[zoom][c] = cm_palette_get_group_color (self->dataset, best);
    }
  return self->cluster_colors[zoom];
}

/* Projection --------------------------------------------------------------- */

typedef struct
{
  double world;      /* pixels per world unit */
  double origin_x;   /* world pixel at the widget's left edge */
  double origin_y;
  int    width;
  int    height;
  guint  zoom;       /* integer zoom of the clusters */
} Projection;

static void
get_projection (CmPlaceLayer *self,
                Projection   *proj)
{
  ShumateViewport *viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));
  ShumateMapSource *source = shumate_viewport_get_reference_map_source (viewport);
  double zoom = shumate_viewport_get_zoom_level (viewport);
  double latitude = shumate_location_get_latitude (SHUMATE_LOCATION (viewport));
  double longitude = shumate_location_get_longitude (SHUMATE_LOCATION (viewport));
  double tile_size = source ? shumate_map_source_get_tile_size (source) : 256;

  proj->world = cm_mercator_world_size (zoom, tile_size);
  proj->width = gtk_widget_get_width (GTK_WIDGET (self));
  proj->height = gtk_widget_get_height (GTK_WIDGET (self));
  proj->origin_x = cm_mercator_x (longitude) * proj->world - proj->width / 2.0;
  proj->origin_y = cm_mercator_y (latitude) * proj->world - proj->height / 2.0;
  /* Clusters of the zoom below: at fractional zooms places are further
   * apart than the clusters assumed, never closer. */
  proj->zoom = (guint) CLAMP (floor (zoom + 1e-6), 0, CM_PLACE_MAX_ZOOM);
}

/* The copy of world point (@x, @y) nearest the widget centre. */
static void
project (const Projection *proj,
         double            x,
         double            y,
         double           *sx,
         double           *sy)
{
  double centre = (proj->origin_x + proj->width / 2.0) / proj->world;

  x += round (centre - x);
  *sx = x * proj->world - proj->origin_x;
  *sy = y * proj->world - proj->origin_y;
}

/* Marks --------------------------------------------------------------------- */

static void
add_mark (CmPlaceLayer     *self,
          double            sx,
          double            sy,
          double            radius,
          const MarkTarget *target)
{
  CmPlaceMark mark = { sx, sy, radius, self->targets->len };

  g_array_append_val (self->marks, mark);
  g_array_append_val (self->targets, *target);
}

static gboolean
is_highlighted (CmPlaceLayer *self,
                guint32       place)
{
  for (guint i = 0; i < self->highlight->len; i++)
    if (g_array_index (self->highlight, guint32, i) == place)
      return TRUE;
  return FALSE;
}

static void
gather_marks (CmPlaceLayer     *self,
              const Projection *proj)
{
  const CmPlaceCluster *clusters;
  const guint32 *colors;
  guint n_clusters;
  double lo, hi;

  g_array_set_size (self->marks, 0);
  g_array_set_size (self->targets, 0);
  if (self->index == NULL || proj->width <= 0 || proj->height <= 0)
    return;

  clusters = cm_place_index_get_clusters (self->index, proj->zoom, &n_clusters);
  colors = get_cluster_colors (self, proj->zoom);
  lo = (proj->origin_x - MAX_RADIUS) / proj->world;
  hi = (proj->origin_x + proj->width + MAX_RADIUS) / proj->world;

  /* The world repeats east and west; lightest first so the heaviest
   * draw on top. */
  for (int k = (int) floor (lo) - 1; k <= (int) floor (hi); k++)
    for (guint c = n_clusters; c-- > 0;)
      {
        const CmPlaceCluster *cluster = &clusters[c];
        double sx = (cluster->x + k) * proj->world - proj->origin_x;
        double sy = cluster->y * proj->world - proj->origin_y;
        double r = cm_place_marker_radius (cluster->weight, cluster->n_places, MAX_RADIUS);
        MarkTarget target = { cluster->seed, cluster->n_places, cluster->weight, colors[c], FALSE };

        if (sx < -r || sx > proj->width + r || sy < -r || sy > proj->height + r)
          continue;
        add_mark (self, sx, sy, r, &target);
      }

  /* Highlighted places on top, each at its own position. */
  for (guint i = 0; i < self->highlight->len; i++)
    {
      guint32 place = g_array_index (self->highlight, guint32, i);
      const PlaceInfo *info = &self->places[place];
      MarkTarget target = { place, 1, info->weight,
                            cm_palette_get_group_color (self->dataset, info->group), TRUE };
      double sx, sy;

      project (proj, info->x, info->y, &sx, &sy);
      add_mark (self, sx, sy, cm_place_marker_radius (info->weight, 1, MAX_RADIUS), &target);
    }
}

static void
ensure_marks (CmPlaceLayer     *self,
              const Projection *proj)
{
  ShumateViewport *viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));
  MarksKey key = {
    shumate_viewport_get_zoom_level (viewport),
    shumate_location_get_latitude (SHUMATE_LOCATION (viewport)),
    shumate_location_get_longitude (SHUMATE_LOCATION (viewport)),
    proj->width, proj->height, self->generation,
  };

  if (self->marks_valid
      && key.zoom == self->marks_key.zoom
      && key.latitude == self->marks_key.latitude
      && key.longitude == self->marks_key.longitude
      && key.width == self->marks_key.width
      && key.height == self->marks_key.height
      && key.generation == self->marks_key.generation)
    return;
  self->marks_key = key;
  self->marks_valid = TRUE;
  gather_marks (self, proj);
}

/* Drawing ------------------------------------------------------------------ */

static void
get_foreground (GtkWidget *widget,
                GdkRGBA   *color)
{
#if GTK_CHECK_VERSION (4, 10, 0)
  gtk_widget_get_color (widget, color);
#else
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), color);
#endif
}

static void
set_source_rgba (cairo_t       *cr,
                 const GdkRGBA *color)
{
  cairo_set_source_rgba (cr, color->red, color->green, color->blue, color->alpha);
}

static void
add_circle (cairo_t *cr,
            double   x,
            double   y,
            double   r)
{
  cairo_new_sub_path (cr);
  cairo_arc (cr, x, y, r, 0, 2 * G_PI);
}

/* A marker is a small texture, drawn once per colour, size and style and
 * then reused: thousands of texture nodes cost far less to render than as
 * many clipped and stroked shapes, with the GL renderer and with cairo. */
static PangoLayout *get_count_layout (CmPlaceLayer *self,
                                      guint         count);

static GdkTexture *
get_marker_texture (CmPlaceLayer  *self,
                    guint32        color,
                    double         radius,
                    guint          count,
                    gboolean       highlighted,
                    const GdkRGBA *fg,
                    const GdkRGBA *outline,
                    double        *extent)
{
  guint half_px = (guint) MIN (lround (radius * 2), 255);
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  /* Counts from 10,000 show in thousands: one texture per thousand. */
  guint count_key = count < 10000 ? count : MIN (10000 + count / 1000, (1u << 20) - 1);
  guint64 key = ((guint64) (color & 0xffffff) << 32) | ((guint64) half_px << 24)
                | ((guint64) count_key << 2)
                | ((guint64) highlighted << 1) | (guint64) (outline->red < 0.5);
  GdkTexture *texture;
  cairo_surface_t *surface;
  cairo_t *cr;
  double r = half_px / 2.0, r_out = highlighted ? r + 7 : r + 1;
  int size = (int) ceil (2 * r_out + 2);
  double red, green, blue;
  g_autoptr(GBytes) bytes = NULL;

  *extent = size;
  texture = g_hash_table_lookup (self->marker_textures, &key);
  if (texture != NULL)
    return texture;

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, size * scale, size * scale);
  cr = cairo_create (surface);
  cairo_scale (cr, scale, scale);
  if (highlighted)
    {
      /* A ring in the text colour, visible on any group colour, with a
       * halo so it shows on the basemap too. */
      add_circle (cr, size / 2.0, size / 2.0, r + 4.5);
      set_source_rgba (cr, outline);
      cairo_set_line_width (cr, 5.5);
      cairo_stroke (cr);
      add_circle (cr, size / 2.0, size / 2.0, r + 4.5);
      set_source_rgba (cr, fg);
      cairo_set_line_width (cr, 2.5);
      cairo_stroke (cr);
    }
  add_circle (cr, size / 2.0, size / 2.0, r);
  cm_palette_to_rgb (color, &red, &green, &blue);
  cairo_set_source_rgba (cr, red, green, blue, highlighted ? 1.0 : 0.9);
  cairo_fill_preserve (cr);
  set_source_rgba (cr, outline);
  cairo_set_line_width (cr, 1.75);
  cairo_stroke (cr);
  if (count > 1)
    {
      PangoLayout *layout = get_count_layout (self, count);
      int w, h;

      /* The count is part of the texture: no text to lay out per frame. */
      pango_layout_get_pixel_size (layout, &w, &h);
      cairo_move_to (cr, round ((size - w) / 2.0), round ((size - h) / 2.0));
      /* White on the usual group colours, dark on very light ones. */
      if (0.2126 * red + 0.7152 * green + 0.0722 * blue > 0.7)
        cairo_set_source_rgb (cr, 0.14, 0.14, 0.14);
      else
        cairo_set_source_rgb (cr, 1, 1, 1);
      pango_cairo_show_layout (cr, layout);
    }
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  bytes = g_bytes_new_with_free_func (cairo_image_surface_get_data (surface),
                                      (gsize) cairo_image_surface_get_stride (surface)
                                        * size * scale,
                                      (GDestroyNotify) cairo_surface_destroy, surface);
  texture = gdk_memory_texture_new (size * scale, size * scale, GDK_MEMORY_DEFAULT, bytes,
                                    cairo_image_surface_get_stride (surface));
  if (g_hash_table_size (self->marker_textures) > 4096)
    g_hash_table_remove_all (self->marker_textures);
  g_hash_table_insert (self->marker_textures, g_memdup2 (&key, sizeof key), texture);
  return texture;
}

static void
draw_markers (CmPlaceLayer     *self,
              GtkSnapshot      *snapshot,
              const GdkRGBA    *fg,
              const GdkRGBA    *outline)
{
  const CmPlaceMark *marks = (const CmPlaceMark *) self->marks->data;
  const MarkTarget *targets = (const MarkTarget *) self->targets->data;

  for (guint i = 0; i < self->marks->len; i++)
    {
      const CmPlaceMark *mark = &marks[i];
      const MarkTarget *target = &targets[mark->cluster];
      double size;
      GdkTexture *texture = get_marker_texture (self, target->color, mark->radius,
                                                target->n_places, target->highlighted, fg,
                                                outline, &size);
      /* Whole pixels, so the texture is not resampled. */
      float x = roundf (mark->x - size / 2), y = roundf (mark->y - size / 2);

      gtk_snapshot_append_texture (snapshot, texture, &GRAPHENE_RECT_INIT (x, y, size, size));
    }
}

static PangoLayout *
get_count_layout (CmPlaceLayer *self,
                  guint         count)
{
  PangoLayout *layout = g_hash_table_lookup (self->count_layouts, GUINT_TO_POINTER (count));

  if (layout == NULL)
    {
      g_autofree char *text = NULL;
      PangoAttrList *attrs = pango_attr_list_new ();

      if (count >= 10000)
        text = g_strdup_printf ("%uk", count / 1000);
      else if (count >= 1000)
        text = g_strdup_printf ("%.1fk", count / 1000.0);
      else
        text = g_strdup_printf ("%u", count);
      layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
      pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
      pango_attr_list_insert (attrs, pango_attr_scale_new (PANGO_SCALE_SMALL));
      pango_layout_set_attributes (layout, attrs);
      pango_attr_list_unref (attrs);
      g_hash_table_insert (self->count_layouts, GUINT_TO_POINTER (count), layout);
    }
  return layout;
}

static PangoLayout *
get_label_layout (CmPlaceLayer *self,
                  guint32       place)
{
  if (self->labels[place] == NULL)
    {
      const CmPlace *p = cm_dataset_get_place (self->dataset, place);
      PangoAttrList *attrs = pango_attr_list_new ();
      PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), p->name);

      pango_attr_list_insert (attrs, pango_attr_scale_new (PANGO_SCALE_SMALL));
      pango_layout_set_attributes (layout, attrs);
      pango_attr_list_unref (attrs);
      self->labels[place] = layout;
    }
  return self->labels[place];
}

/* Occupancy grid for labels: a label goes only where no marker and no
 * other label is. */
typedef struct
{
  guint8 *cells;
  int     columns;
  int     rows;
} Grid;

static gboolean
grid_test_and_set (Grid    *grid,
                   double   x0,
                   double   y0,
                   double   x1,
                   double   y1,
                   gboolean test)
{
  int c0 = (int) floor (x0 / GRID_CELL), c1 = (int) floor (x1 / GRID_CELL);
  int r0 = (int) floor (y0 / GRID_CELL), r1 = (int) floor (y1 / GRID_CELL);

  if (test && (c0 < 0 || r0 < 0 || c1 >= grid->columns || r1 >= grid->rows))
    return FALSE;
  c0 = MAX (c0, 0);
  r0 = MAX (r0, 0);
  c1 = MIN (c1, grid->columns - 1);
  r1 = MIN (r1, grid->rows - 1);
  if (test)
    for (int r = r0; r <= r1; r++)
      for (int c = c0; c <= c1; c++)
        if (grid->cells[r * grid->columns + c])
          return FALSE;
  for (int r = r0; r <= r1; r++)
    for (int c = c0; c <= c1; c++)
      grid->cells[r * grid->columns + c] = 1;
  return TRUE;
}

typedef struct
{
  PangoLayout *layout;
  float        x;
  float        y;
  int          width;
  int          height;
} Label;

static void
add_label (GArray      *labels,
           PangoLayout *layout,
           double       x,
           double       y,
           int          w,
           int          h)
{
  Label label = { layout, x, y, w, h };

  g_array_append_val (labels, label);
}

static void
draw_labels (GtkSnapshot   *snapshot,
             GArray        *labels,
             const GdkRGBA *fg,
             const GdkRGBA *bg)
{
  for (guint i = 0; i < labels->len; i++)
    {
      const Label *label = &g_array_index (labels, Label, i);
      graphene_rect_t rect = GRAPHENE_RECT_INIT (label->x - LABEL_PAD_X, label->y - LABEL_PAD_Y,
                                                 label->width + 2 * LABEL_PAD_X,
                                                 label->height + 2 * LABEL_PAD_Y);
      GskRoundedRect rounded;

      gsk_rounded_rect_init_from_rect (&rounded, &rect, rect.size.height / 2);
      gtk_snapshot_push_rounded_clip (snapshot, &rounded);
      gtk_snapshot_append_color (snapshot, bg, &rect);
      gtk_snapshot_pop (snapshot);
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (label->x, label->y));
      gtk_snapshot_append_layout (snapshot, label->layout, fg);
      gtk_snapshot_restore (snapshot);
    }
}

static void
place_labels (CmPlaceLayer     *self,
              const Projection *proj,
              GArray           *labels)
{
  const CmPlaceMark *marks = (const CmPlaceMark *) self->marks->data;
  const MarkTarget *targets = (const MarkTarget *) self->targets->data;
  guint n = self->marks->len, attempts = 0;
  Grid grid;

  grid.columns = proj->width / GRID_CELL + 1;
  grid.rows = proj->height / GRID_CELL + 1;
  if ((guint) (grid.columns * grid.rows) > self->grid_len)
    {
      self->grid_len = grid.columns * grid.rows;
      self->grid = g_realloc (self->grid, self->grid_len);
    }
  grid.cells = self->grid;
  memset (grid.cells, 0, grid.columns * grid.rows);

  /* Markers are obstacles (their inner square is enough). */
  for (guint i = 0; i < n; i++)
    {
      double r = marks[i].radius * 0.8;

      grid_test_and_set (&grid, marks[i].x - r, marks[i].y - r, marks[i].x + r, marks[i].y + r,
                         FALSE);
    }

  /* Highlighted places first (last in the array), then the heaviest. */
  for (guint j = n; j-- > 0 && attempts < MAX_LABELS;)
    {
      const CmPlaceMark *mark = &marks[j];
      const MarkTarget *target = &targets[mark->cluster];
      PangoLayout *layout;
      int w, h;
      double y, x_right, x_left;

      if (target->n_places != 1)
        continue;
      /* An unhighlighted duplicate of a highlighted place stays quiet. */
      if (!target->highlighted && is_highlighted (self, target->place))
        continue;
      attempts++;
      layout = get_label_layout (self, target->place);
      pango_layout_get_pixel_size (layout, &w, &h);
      y = roundf (mark->y - h / 2.0f);
      x_right = roundf (mark->x + mark->radius + LABEL_GAP + LABEL_PAD_X);
      x_left = roundf (mark->x - mark->radius - LABEL_GAP - LABEL_PAD_X - w);

      if (grid_test_and_set (&grid, x_right - LABEL_PAD_X, y, x_right + w + LABEL_PAD_X, y + h,
                             TRUE))
        add_label (labels, layout, x_right, y, w, h);
      else if (grid_test_and_set (&grid, x_left - LABEL_PAD_X, y, x_left + w + LABEL_PAD_X, y + h,
                                  TRUE))
        add_label (labels, layout, x_left, y, w, h);
      else if (target->highlighted)
        add_label (labels, layout, x_right, y, w, h);
    }
}

static void
draw_joins (CmPlaceLayer     *self,
            GtkSnapshot      *snapshot,
            const Projection *proj,
            const GdkRGBA    *color)
{
  g_autofree double *xs = NULL;
  g_autofree double *ys = NULL;
  double min_x = G_MAXDOUBLE, min_y = G_MAXDOUBLE, max_x = -G_MAXDOUBLE, max_y = -G_MAXDOUBLE;
  guint n = self->highlight->len;
  graphene_rect_t bounds;
  cairo_t *cr;

  if (!self->join || n < 2)
    return;

  xs = g_new (double, n);
  ys = g_new (double, n);
  for (guint i = 0; i < n; i++)
    {
      const PlaceInfo *info = &self->places[g_array_index (self->highlight, guint32, i)];
      double x = info->x;

      /* Each step goes the short way round, across the antimeridian if
       * that is shorter. */
      if (i > 0)
        {
          double previous = (xs[i - 1] + proj->origin_x) / proj->world;

          x += round (previous - x);
          xs[i] = x * proj->world - proj->origin_x;
          ys[i] = info->y * proj->world - proj->origin_y;
        }
      else
        project (proj, info->x, info->y, &xs[0], &ys[0]);
      min_x = MIN (min_x, xs[i]);
      min_y = MIN (min_y, ys[i]);
      max_x = MAX (max_x, xs[i]);
      max_y = MAX (max_y, ys[i]);
    }

  min_x = MAX (min_x, -proj->width);
  min_y = MAX (min_y, -proj->height);
  max_x = MIN (max_x, 2.0 * proj->width);
  max_y = MIN (max_y, 2.0 * proj->height);
  if (max_x < min_x || max_y < min_y)
    return;
  bounds = GRAPHENE_RECT_INIT (min_x - 4, min_y - 4, max_x - min_x + 8, max_y - min_y + 8);
  cr = gtk_snapshot_append_cairo (snapshot, &bounds);
  gdk_cairo_set_source_rgba (cr, color);
  cairo_set_line_width (cr, 2);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  cairo_move_to (cr, xs[0], ys[0]);
  for (guint i = 1; i < n; i++)
    cairo_line_to (cr, xs[i], ys[i]);
  cairo_stroke (cr);
  cairo_destroy (cr);
}

static void
cm_place_layer_snapshot (GtkWidget   *widget,
                         GtkSnapshot *snapshot)
{
  CmPlaceLayer *self = CM_PLACE_LAYER (widget);
  Projection proj;
  GdkRGBA fg, bg, outline, accent;
  gboolean dark;

  if (self->index == NULL)
    return;

  get_projection (self, &proj);
  ensure_marks (self, &proj);

  get_foreground (widget, &fg);
  dark = 0.2126 * fg.red + 0.7152 * fg.green + 0.0722 * fg.blue > 0.5;
  bg = dark ? (GdkRGBA) { 0.14, 0.14, 0.14, 0.82 } : (GdkRGBA) { 1, 1, 1, 0.82 };
  outline = dark ? (GdkRGBA) { 0.1, 0.1, 0.1, 0.9 } : (GdkRGBA) { 1, 1, 1, 0.95 };
  accent = fg;
  accent.alpha = 0.85f;

  draw_joins (self, snapshot, &proj, &accent);
  draw_markers (self, snapshot, &fg, &outline);

  g_array_set_size (self->labels_placed, 0);
  place_labels (self, &proj, self->labels_placed);
  draw_labels (snapshot, self->labels_placed, &fg, &bg);
}

/* Interaction -------------------------------------------------------------- */

gboolean
cm_place_layer_pick (CmPlaceLayer *self,
                     double        x,
                     double        y,
                     CmPlacePick  *pick)
{
  Projection proj;
  const CmPlaceMark *mark;
  const MarkTarget *target;
  int hit;

  g_return_val_if_fail (CM_IS_PLACE_LAYER (self), FALSE);
  g_return_val_if_fail (pick != NULL, FALSE);

  if (self->index == NULL)
    return FALSE;
  get_projection (self, &proj);
  ensure_marks (self, &proj);
  hit = cm_place_marks_hit ((const CmPlaceMark *) self->marks->data, self->marks->len,
                            x, y, HIT_SLOP);
  if (hit < 0)
    return FALSE;

  mark = &g_array_index (self->marks, CmPlaceMark, hit);
  target = &g_array_index (self->targets, MarkTarget, mark->cluster);
  pick->place = target->place;
  pick->n_places = target->n_places;
  pick->longitude = cm_mercator_longitude ((mark->x + proj.origin_x) / proj.world);
  pick->longitude = fmod (pick->longitude + 540.0, 360.0) - 180.0;
  pick->latitude = cm_mercator_latitude ((mark->y + proj.origin_y) / proj.world);
  return TRUE;
}

gboolean
cm_place_layer_get_place_position (CmPlaceLayer *self,
                                   guint         place,
                                   double       *x,
                                   double       *y)
{
  Projection proj;

  g_return_val_if_fail (CM_IS_PLACE_LAYER (self), FALSE);
  g_return_val_if_fail (x != NULL && y != NULL, FALSE);

  if (place >= self->n_places)
    return FALSE;
  get_projection (self, &proj);
  project (&proj, self->places[place].x, self->places[place].y, x, y);
  return TRUE;
}

static gboolean
cm_place_layer_query_tooltip (GtkWidget  *widget,
                              int         x,
                              int         y,
                              gboolean    keyboard_mode,
                              GtkTooltip *tooltip)
{
  CmPlaceLayer *self = CM_PLACE_LAYER (widget);
  g_autofree char *text = NULL;
  CmPlacePick pick;

  if (keyboard_mode || !cm_place_layer_pick (self, x, y, &pick))
    return FALSE;

  if (pick.n_places == 1)
    {
      const CmPlace *place = cm_dataset_get_place (self->dataset, pick.place);
      guint weight = self->places[pick.place].weight;

      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s — %u event", "%s — %u events",
                                           weight),
                              place->name, weight);
    }
  else
    {
      g_autofree char *places = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u place",
                                                              "%u places", pick.n_places),
                                                 pick.n_places);
      const CmPlaceMark *marks = (const CmPlaceMark *) self->marks->data;
      int hit = cm_place_marks_hit (marks, self->marks->len, x, y, HIT_SLOP);
      guint weight = g_array_index (self->targets, MarkTarget, marks[hit].cluster).weight;

      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s, %u event — zoom in to see them",
                                           "%s, %u events — zoom in to see them", weight),
                              places, weight);
    }
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
motion_cb (GtkEventControllerMotion *controller,
           double                    x,
           double                    y,
           CmPlaceLayer             *self)
{
  CmPlacePick pick;

  gtk_widget_set_cursor_from_name (GTK_WIDGET (self),
                                   cm_place_layer_pick (self, x, y, &pick) ? "pointer" : NULL);
}

static void
viewport_changed_cb (CmPlaceLayer *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
clear_text_caches (CmPlaceLayer *self)
{
  g_hash_table_remove_all (self->count_layouts);
  for (guint i = 0; self->labels != NULL && i < self->n_places; i++)
    g_clear_object (&self->labels[i]);
}

static void
cm_place_layer_system_setting_changed (GtkWidget        *widget,
                                       GtkSystemSetting  setting)
{
  CmPlaceLayer *self = CM_PLACE_LAYER (widget);

  GTK_WIDGET_CLASS (cm_place_layer_parent_class)->system_setting_changed (widget, setting);

  if (setting == GTK_SYSTEM_SETTING_FONT_NAME || setting == GTK_SYSTEM_SETTING_FONT_CONFIG
      || setting == GTK_SYSTEM_SETTING_DPI)
    {
      clear_text_caches (self);
      gtk_widget_queue_draw (widget);
    }
}

/* Object ------------------------------------------------------------------- */

static void
cm_place_layer_constructed (GObject *object)
{
  CmPlaceLayer *self = CM_PLACE_LAYER (object);
  ShumateViewport *viewport;

  G_OBJECT_CLASS (cm_place_layer_parent_class)->constructed (object);

  viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));
  g_signal_connect_object (viewport, "notify::latitude", G_CALLBACK (viewport_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (viewport, "notify::longitude", G_CALLBACK (viewport_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (viewport, "notify::zoom-level", G_CALLBACK (viewport_changed_cb),
                           self, G_CONNECT_SWAPPED);
}

static void
release_dataset (CmPlaceLayer *self)
{
  clear_text_caches (self);
  g_clear_pointer (&self->labels, g_free);
  g_clear_pointer (&self->places, g_free);
  clear_clusters (self);
  g_array_set_size (self->highlight, 0);
  g_array_set_size (self->marks, 0);
  g_array_set_size (self->targets, 0);
  g_array_set_size (self->labels_placed, 0);
  self->n_places = 0;
  g_clear_object (&self->dataset);
}

static void
cm_place_layer_dispose (GObject *object)
{
  CmPlaceLayer *self = CM_PLACE_LAYER (object);

  release_dataset (self);

  G_OBJECT_CLASS (cm_place_layer_parent_class)->dispose (object);
}

static void
cm_place_layer_finalize (GObject *object)
{
  CmPlaceLayer *self = CM_PLACE_LAYER (object);

  g_clear_pointer (&self->filter, g_free);
  g_clear_pointer (&self->highlight, g_array_unref);
  g_clear_pointer (&self->marks, g_array_unref);
  g_clear_pointer (&self->targets, g_array_unref);
  g_clear_pointer (&self->labels_placed, g_array_unref);
  g_clear_pointer (&self->count_layouts, g_hash_table_unref);
  g_clear_pointer (&self->marker_textures, g_hash_table_unref);
  g_clear_pointer (&self->grid, g_free);

  G_OBJECT_CLASS (cm_place_layer_parent_class)->finalize (object);
}

static void
cm_place_layer_class_init (CmPlaceLayerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = cm_place_layer_constructed;
  object_class->dispose = cm_place_layer_dispose;
  object_class->finalize = cm_place_layer_finalize;

  widget_class->snapshot = cm_place_layer_snapshot;
  widget_class->query_tooltip = cm_place_layer_query_tooltip;
  widget_class->system_setting_changed = cm_place_layer_system_setting_changed;

  gtk_widget_class_set_css_name (widget_class, "cm-place-layer");
}

static void
cm_place_layer_init (CmPlaceLayer *self)
{
  GtkEventController *motion = gtk_event_controller_motion_new ();

  self->highlight = g_array_new (FALSE, FALSE, sizeof (guint32));
  self->marks = g_array_new (FALSE, FALSE, sizeof (CmPlaceMark));
  self->targets = g_array_new (FALSE, FALSE, sizeof (MarkTarget));
  self->labels_placed = g_array_new (FALSE, FALSE, sizeof (Label));
  self->count_layouts = g_hash_table_new_full (NULL, NULL, NULL, g_object_unref);
  self->marker_textures = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                 g_object_unref);
  self->generation = 1;

  g_signal_connect (motion, "motion", G_CALLBACK (motion_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
}

CmPlaceLayer *
cm_place_layer_new (ShumateViewport *viewport)
{
  g_return_val_if_fail (SHUMATE_IS_VIEWPORT (viewport), NULL);

  return g_object_new (CM_TYPE_PLACE_LAYER, "viewport", viewport, NULL);
}

void
cm_place_layer_set_dataset (CmPlaceLayer *self,
                            CmDataset    *dataset)
{
  g_return_if_fail (CM_IS_PLACE_LAYER (self));
  g_return_if_fail (dataset == NULL || CM_IS_DATASET (dataset));

  if (dataset == self->dataset)
    return;

  release_dataset (self);
  g_clear_pointer (&self->filter, g_free);
  if (dataset != NULL)
    {
      self->dataset = g_object_ref (dataset);
      self->n_places = cm_dataset_get_n_places (dataset);
      self->places = g_new0 (PlaceInfo, MAX (self->n_places, 1));
      self->labels = g_new0 (PangoLayout *, MAX (self->n_places, 1));
      for (guint i = 0; i < self->n_places; i++)
        {
          const CmPlace *place = cm_dataset_get_place (dataset, i);

          self->places[i].x = cm_mercator_x (place->lon);
          self->places[i].y = cm_mercator_y (place->lat);
        }
    }
  rebuild (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

CmDataset *
cm_place_layer_get_dataset (CmPlaceLayer *self)
{
  g_return_val_if_fail (CM_IS_PLACE_LAYER (self), NULL);

  return self->dataset;
}

void
cm_place_layer_set_filter (CmPlaceLayer  *self,
                           const guint64 *visible)
{
  guint n_words;

  g_return_if_fail (CM_IS_PLACE_LAYER (self));

  if (self->dataset == NULL)
    return;
  n_words = (cm_dataset_get_n_events (self->dataset) + 63) / 64;
  if (visible == NULL && self->filter == NULL)
    return;
  if (visible != NULL && self->filter != NULL
      && memcmp (visible, self->filter, n_words * sizeof (guint64)) == 0)
    return;

  g_clear_pointer (&self->filter, g_free);
  if (visible != NULL)
    self->filter = g_memdup2 (visible, MAX (n_words, 1) * sizeof (guint64));
  rebuild (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
cm_place_layer_set_highlight (CmPlaceLayer  *self,
                              const guint32 *places,
                              guint          n_places,
                              gboolean       join)
{
  g_return_if_fail (CM_IS_PLACE_LAYER (self));
  g_return_if_fail (places != NULL || n_places == 0);

  g_array_set_size (self->highlight, 0);
  for (guint i = 0; i < n_places; i++)
    if (places[i] < self->n_places)
      g_array_append_val (self->highlight, places[i]);
  self->join = join;
  self->generation++;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
cm_place_layer_get_place_weight (CmPlaceLayer *self,
                                 guint         place)
{
  g_return_val_if_fail (CM_IS_PLACE_LAYER (self), 0);
  g_return_val_if_fail (place < self->n_places, 0);

  return self->places[place].weight;
}
