/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-export"

#include "config.h"

#include <math.h>
#include <glib/gi18n.h>
#include <pango/pangocairo.h>

#include "cm-basemap.h"
#include "cm-export-map-private.h"
#include "cm-mercator.h"
#include "cm-palette.h"

/* The map panel of an export page: the basemap, then the places of the
 * events on the page as sized, clustered and labelled markers. */

#define MAX_MAP_LABELS     40
#define MAX_MAP_ZOOM       6.0

static gboolean
is_visible (const CmExportMapPage *page,
            guint                  event)
{
  return page->visible == NULL || (page->visible[event / 64] >> (event % 64)) & 1;
}

static PangoLayout *
create_text (const CmExportMapPage *page,
             cairo_t               *cr,
             const char            *text,
             double                 scale,
             gboolean               bold)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoFontDescription *desc = pango_font_description_from_string (page->font_family);

  pango_font_description_set_size (desc, (int) (page->font_size * scale * PANGO_SCALE));
  if (bold)
    pango_font_description_set_weight (desc, PANGO_WEIGHT_BOLD);
  pango_layout_set_font_description (layout, desc);
  pango_font_description_free (desc);
  pango_layout_set_text (layout, text, -1);

  return layout;
}

static void
get_text_size (PangoLayout *layout,
               float       *width,
               float       *height)
{
  PangoRectangle logical;

  pango_layout_get_extents (layout, NULL, &logical);
  *width = (double) logical.width / PANGO_SCALE;
  *height = (double) logical.height / PANGO_SCALE;
}

static void
get_group_color (const CmExportMapPage *page,
                 guint32                group,
                 CmColor               *color)
{
  cm_color_from_rgb (color, cm_palette_get_group_color (page->dataset, group), 1.0f);
}

static void
keep_scene_texts (const CmExportMapPage *page,
                  CmScene               *scene)
{
  guint n_texts = cm_scene_get_n_texts (scene);

  for (guint i = 0; i < n_texts && page->texts != NULL; i++)
    {
      const char *text = pango_layout_get_text (cm_scene_get_text (scene, i, NULL, NULL));

      if (text != NULL && text[0] != '\0')
        g_ptr_array_add (page->texts, g_strdup (text));
    }
}

typedef struct
{
  guint   place;          /* the busiest place of the marker */
  guint   count;          /* events */
  guint   n_places;       /* places merged into it */
  guint32 group;
  double  x;
  double  y;
  double  radius;
} Marker;

static int
compare_markers (gconstpointer a,
                 gconstpointer b)
{
  const Marker *ma = a, *mb = b;

  return ma->count != mb->count ? (mb->count > ma->count ? 1 : -1)
                                : (ma->place > mb->place) - (ma->place < mb->place);
}

/* The places of the events on the page, with how many events each. */
static GArray *
collect_markers (const CmExportMapPage *page)
{
  guint n_places = cm_dataset_get_n_places (page->dataset);
  guint n_events = cm_dataset_get_n_events (page->dataset);
  const guint32 *order = cm_dataset_get_time_order (page->dataset);
  g_autofree Marker *by_place = g_new0 (Marker, MAX (n_places, 1));
  GArray *markers = g_array_new (FALSE, FALSE, sizeof (Marker));

  for (guint r = 0; r < n_events; r++)
    {
      const CmEvent *event = cm_dataset_get_event (page->dataset, order[r]);
      const guint32 *places;
      guint n;

      if (!is_visible (page, order[r]))
        continue;
      if (page->has_range &&
          (event->start.seconds >= page->t1 || cm_time_get_end (&event->end) <= page->t0))
        continue;

      places = cm_dataset_get_event_places (page->dataset, event, &n);
      for (guint i = 0; i < n; i++)
        {
          /* A place takes the colour of its first event's group. */
          if (by_place[places[i]].count++ == 0)
            by_place[places[i]].group = cm_dataset_get_event_group (page->dataset, event);
        }
    }

  for (guint p = 0; p < n_places; p++)
    {
      if (by_place[p].count > 0)
        {
          by_place[p].place = p;
          g_array_append_val (markers, by_place[p]);
        }
    }
  g_array_sort (markers, compare_markers);

  return markers;
}

/* Centre and zoom that show every marker with a margin. */
static void
fit_map (GArray       *markers,
         CmDataset    *dataset,
         const CmRect *area,
         double       *latitude,
         double       *longitude,
         double       *zoom)
{
  double x0 = 1, y0 = 1, x1 = 0, y1 = 0, dx, dy, min_zoom;

  for (guint i = 0; i < markers->len; i++)
    {
      const CmPlace *place = cm_dataset_get_place (dataset,
                                                   g_array_index (markers, Marker, i).place);
      double x = cm_mercator_x (place->lon), y = cm_mercator_y (place->lat);

      x0 = MIN (x0, x), x1 = MAX (x1, x);
      y0 = MIN (y0, y), y1 = MAX (y1, y);
    }

  /* The world must at least fill the frame's height. */
  min_zoom = log2 (MAX (area->height, 1) / 256.0);
  if (markers->len == 0)
    {
      *latitude = 20, *longitude = 10;
      *zoom = MAX (min_zoom, log2 (MAX (area->width, 1) / 256.0));
      return;
    }

  dx = MAX (x1 - x0, 1e-4) * 1.3;
  dy = MAX (y1 - y0, 1e-4) * 1.3;
  *zoom = log2 (MIN (area->width / (dx * 256.0), area->height / (dy * 256.0)));
  *zoom = CLAMP (*zoom, min_zoom, MAX (min_zoom, MAX_MAP_ZOOM));
  *longitude = cm_mercator_longitude ((x0 + x1) / 2);
  *latitude = cm_mercator_latitude ((y0 + y1) / 2);
}

static gboolean
rect_overlaps (const CmRect *a,
               const CmRect *b)
{
  return a->x < b->x + b->width && b->x < a->x + a->width &&
         a->y < b->y + b->height && b->y < a->y + a->height;
}

/* Places closer than @distance on the map become one marker at the
 * busiest of them, as the window's place layer clusters them: thousands
 * of overlapping dots say less than a few hundred sized ones. @markers
 * is sorted by count, busiest first, and stays so. */
static void
cluster_markers (GArray *markers,
                 double  distance)
{
  g_autoptr(GHashTable) cells = g_hash_table_new (g_int64_hash, g_int64_equal);
  /* Never grows past its reserved size: the table points into it. */
  g_autoptr(GArray) keys = g_array_sized_new (FALSE, FALSE, sizeof (gint64), markers->len);
  guint n_kept = 0;

  for (guint i = 0; i < markers->len; i++)
    {
      Marker m = g_array_index (markers, Marker, i);
      gint64 cx = (gint64) floor (m.x / distance), cy = (gint64) floor (m.y / distance);
      Marker *into = NULL;

      for (gint64 dy = -1; dy <= 1 && into == NULL; dy++)
        for (gint64 dx = -1; dx <= 1 && into == NULL; dx++)
          {
            gint64 key = ((cx + dx) << 32) ^ ((cy + dy) & 0xffffffff);
            gpointer found;

            if (g_hash_table_lookup_extended (cells, &key, NULL, &found))
              {
                Marker *c = &g_array_index (markers, Marker, GPOINTER_TO_UINT (found));

                if (hypot (c->x - m.x, c->y - m.y) < distance)
                  into = c;
              }
          }

      if (into != NULL)
        {
          into->count += m.count;
          into->n_places++;
          continue;
        }

      g_array_index (markers, Marker, n_kept) = m;
      {
        gint64 key = (cx << 32) ^ (cy & 0xffffffff);

        g_array_append_val (keys, key);
        g_hash_table_insert (cells, &g_array_index (keys, gint64, keys->len - 1),
                             GUINT_TO_POINTER (n_kept));
      }
      n_kept++;
    }

  g_array_set_size (markers, n_kept);
  g_array_sort (markers, compare_markers);
}

static void
place_markers (const CmExportMapPage *page,
               cairo_t               *cr,
               CmScene               *scene,
               GArray                *markers,
               const CmRect          *area,
               double                 latitude,
               double                 longitude,
               double                 zoom)
{
  double world = cm_mercator_world_size (zoom, 256);
  double cx = cm_mercator_x (longitude) * world, cy = cm_mercator_y (latitude) * world;
  guint max_count;
  g_autoptr(GArray) taken = g_array_new (FALSE, FALSE, sizeof (CmRect));
  CmColor halo = page->theme->background;
  guint outline, n_labels = 0;

  for (guint i = 0; i < markers->len; i++)
    {
      Marker *m = &g_array_index (markers, Marker, i);
      const CmPlace *place = cm_dataset_get_place (page->dataset, m->place);
      double x = cm_mercator_x (place->lon) * world - cx;

      /* The world repeats: take the copy nearest the centre. */
      x -= world * round (x / world);
      m->x = x + area->width / 2;
      m->y = cm_mercator_y (place->lat) * world - cy + area->height / 2;
      m->n_places = 1;
    }

  cluster_markers (markers, 1.4 * page->em);
  max_count = markers->len > 0 ? g_array_index (markers, Marker, 0).count : 1;

  for (guint i = 0; i < markers->len; i++)
    {
      Marker *m = &g_array_index (markers, Marker, i);
      CmColor color;

      m->radius = page->em * (0.3 + 0.45 * sqrt ((double) m->count / max_count));
      get_group_color (page, m->group, &color);
      cm_scene_add_circle (scene,
                           cm_scene_batch (scene, CM_SCENE_LAYER_MARKS, CM_SCENE_PAINT_FILL,
                                           &color, 0),
                           m->x, m->y, m->radius);
    }

  /* Outlines after every fill, one path. */
  outline = cm_scene_batch (scene, CM_SCENE_LAYER_MARKS, CM_SCENE_PAINT_STROKE, &halo,
                            MAX (1.0, page->em * 0.1));
  for (guint i = 0; i < markers->len; i++)
    {
      const Marker *m = &g_array_index (markers, Marker, i);

      cm_scene_add_circle (scene, outline, m->x, m->y, m->radius);
    }

  /* Names of the busiest places first, never over another name. */
  for (guint i = 0; i < markers->len && n_labels < MAX_MAP_LABELS; i++)
    {
      const Marker *m = &g_array_index (markers, Marker, i);
      const CmPlace *place = cm_dataset_get_place (page->dataset, m->place);
      g_autofree char *name = m->n_places > 1
                              ? g_strdup_printf ("%s +%u", place->name, m->n_places - 1)
                              : g_strdup (place->name);
      g_autoptr(PangoLayout) label = create_text (page, cr, name, 0.95, TRUE);
      CmRect rect = { 0, };
      gboolean free_spot = TRUE;

      get_text_size (label, &rect.width, &rect.height);
      rect.x = m->x + m->radius + 0.25 * page->em;
      rect.y = m->y - rect.height / 2;
      if (rect.x + rect.width > area->width)
        rect.x = m->x - m->radius - 0.25 * page->em - rect.width;
      if (rect.x < 0 || rect.y < 0 || rect.y + rect.height > area->height)
        continue;

      for (guint j = 0; j < taken->len && free_spot; j++)
        free_spot = !rect_overlaps (&rect, &g_array_index (taken, CmRect, j));
      if (!free_spot)
        continue;

      g_array_append_val (taken, rect);
      cm_scene_add_text (scene, CM_SCENE_LAYER_LABELS, &page->theme->foreground, label,
                         rect.x, rect.y);
      n_labels++;
    }
}

gboolean
_cm_export_map_draw (const CmExportMapPage *page,
                     cairo_t               *cr,
                     const CmRect          *area,
                     GError               **error)
{
  g_autoptr(CmBasemap) basemap = cm_basemap_get_default (error);
  g_autoptr(GArray) markers = NULL;
  g_autoptr(CmScene) scene = NULL;
  double latitude, longitude, zoom, radius = 0.5 * page->em;

  if (basemap == NULL)
    {
      g_prefix_error (error, _("Cannot draw the map: "));
      return FALSE;
    }

  markers = collect_markers (page);
  fit_map (markers, page->dataset, area, &latitude, &longitude, &zoom);

  cairo_save (cr);
  cairo_translate (cr, area->x, area->y);
  cairo_new_sub_path (cr);
  cairo_arc (cr, radius, radius, radius, G_PI, 1.5 * G_PI);
  cairo_arc (cr, area->width - radius, radius, radius, 1.5 * G_PI, 2 * G_PI);
  cairo_arc (cr, area->width - radius, area->height - radius, radius, 0, 0.5 * G_PI);
  cairo_arc (cr, radius, area->height - radius, radius, 0.5 * G_PI, G_PI);
  cairo_close_path (cr);
  cairo_save (cr);
  cairo_clip_preserve (cr);
  cm_basemap_draw_view (basemap, cr, latitude, longitude, zoom,
                        (int) ceil (area->width), (int) ceil (area->height),
                        page->theme->dark ? CM_BASEMAP_DARK : CM_BASEMAP_LIGHT);

  scene = cm_scene_new (area->width, area->height);
  place_markers (page, cr, scene, markers, area, latitude, longitude, zoom);
  cm_scene_render_cairo (scene, cr);
  keep_scene_texts (page, scene);
  cairo_restore (cr);

  cairo_set_source_rgba (cr, page->theme->chrome_border.red, page->theme->chrome_border.green,
                         page->theme->chrome_border.blue, page->theme->chrome_border.alpha);
  cairo_set_line_width (cr, MAX (1.0, page->em * 0.08));
  cairo_stroke (cr);
  cairo_restore (cr);

  return TRUE;
}
