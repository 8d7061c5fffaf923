/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-bench-map"

#include "config.h"

#include <math.h>

#include "bench.h"
#include "cm-basemap-source.h"
#include "cm-basemap.h"
#include "cm-map-stats.h"
#include "cm-mercator.h"
#include "cm-place-layer.h"

/* Map figures: drawing one 256 x 256 basemap tile at zooms 2, 5 and 8,
 * and a frame of the place layer while dragged east by 20 pixels a frame
 * at zoom 3 in 1280 x 800, with 100 and 10,000 places: map-frame-* is the
 * layer's snapshot (what the layer costs the main thread each frame),
 * map-render-* the same snapshot then rasterised by GSK's cairo renderer
 * into an image, the slowest way the frame can reach the screen (the GL
 * renderer keeps the marker textures on the GPU). A drag moves the map by
 * whole pixels; map-frame-10k-glide moves it by fractions, as an
 * animation does. */

#define FRAME_WIDTH  1280
#define FRAME_HEIGHT 800
#define N_FRAMES     60

static void
bench_tiles (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CmBasemap) basemap = cm_basemap_get_default (&error);
  cairo_surface_t *surface;
  cairo_t *cr;
  const guint zooms[] = { 2, 5, 8 };

  if (basemap == NULL)
    {
      g_printerr ("bench-map: no basemap: %s\n", error->message);
      return;
    }

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 256, 256);
  cr = cairo_create (surface);
  /* Fonts load on the first label. */
  cm_basemap_draw_tile (basemap, cr, 3, 4, 2, 256, CM_BASEMAP_LIGHT);

  for (guint z = 0; z < G_N_ELEMENTS (zooms); z++)
    {
      double samples[49];
      guint n = 0, tiles = 1u << zooms[z];
      /* A 7 x 7 block of tiles around Kyiv: land, sea, borders, names. */
      int cx = (int) (cm_mercator_x (30.52) * tiles), cy = (int) (cm_mercator_y (50.45) * tiles);
      g_autofree char *name = g_strdup_printf ("basemap-tile-z%u", zooms[z]);

      for (int dy = -3; dy <= 3; dy++)
        for (int dx = -3; dx <= 3; dx++)
          {
            guint x = (cx + dx + tiles) % tiles, y = CLAMP (cy + dy, 0, (int) tiles - 1);
            double start = bench_now_ms ();

            cm_basemap_draw_tile (basemap, cr, zooms[z], x, y, 256, CM_BASEMAP_LIGHT);
            cairo_surface_flush (surface);
            samples[n++] = bench_now_ms () - start;
          }
      bench_report (name, bench_median (samples, n), "ms");
    }
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

/* Places spread like real datasets: most in a few dense regions, some
 * anywhere; events in one or two places, actors in eight groups. */
static CmDataset *
build_places (guint   n_places,
              guint32 seed)
{
  static const double centres[][2] = {
    { 50, 15 }, { 40, -90 }, { 30, 110 }, { 0, 25 }, { -20, -55 }, { 25, 75 },
  };
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  CmDatasetBuilder *builder = cm_dataset_builder_new ();
  guint32 actors[8];

  for (guint g = 0; g < 8; g++)
    {
      g_autofree char *id = g_strdup_printf ("g%u", g);
      CmGroup group = { id, id, 0, FALSE };
      CmActor actor = { id, id, NULL, NULL, 0, CM_ACTOR_PERSON };

      actor.group = cm_dataset_builder_add_group (builder, &group);
      actors[g] = cm_dataset_builder_add_actor (builder, &actor, NULL, 0);
    }

  for (guint i = 0; i < n_places; i++)
    {
      g_autofree char *id = g_strdup_printf ("p%u", i);
      CmPlace place = { id, id, NULL, NULL, 0, 0 };

      if (i % 4 == 0)
        {
          place.lat = g_rand_double_range (rand, -55, 70);
          place.lon = g_rand_double_range (rand, -180, 180);
        }
      else
        {
          const double *c = centres[g_rand_int_range (rand, 0, G_N_ELEMENTS (centres))];

          place.lat = CLAMP (c[0] + g_rand_double_range (rand, -12, 12), -80, 80);
          place.lon = c[1] + g_rand_double_range (rand, -20, 20);
        }
      cm_dataset_builder_add_place (builder, &place);
    }

  for (guint e = 0; e < n_places * 3; e++)
    {
      g_autofree char *id = g_strdup_printf ("e%u", e);
      CmEvent event = { 0 };
      guint32 where[2] = { g_rand_int_range (rand, 0, n_places),
                           g_rand_int_range (rand, 0, n_places) };
      guint32 who = actors[g_rand_int_range (rand, 0, 8)];

      event.id = id;
      event.title = id;
      event.start.seconds = 1700000000 + e * 3600;
      event.end = event.start;
      cm_dataset_builder_add_event (builder, &event, where, e % 5 == 0 ? 2 : 1, &who, 1,
                                    NULL, 0, NULL, 0, NULL, 0);
    }
  return cm_dataset_builder_finish (builder);
}

static gboolean
timeout_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
spin (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, timeout_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static void
bench_frames (guint    n_places,
              gboolean glide,
              double  *snapshot_ms,
              double  *render_ms)
{
  g_autoptr(CmDataset) dataset = build_places (n_places, 42);
  g_autoptr(CmBasemapSource) source = cm_basemap_source_new (CM_BASEMAP_LIGHT);
  ShumateViewport *viewport = shumate_viewport_new ();
  GtkWidget *window = gtk_window_new ();
  CmPlaceLayer *layer = cm_place_layer_new (viewport);
  cairo_surface_t *surface;
  double samples[N_FRAMES];
  double render_samples[N_FRAMES];

  /* The layer alone: no tiles being drawn in other threads meanwhile. */
  shumate_viewport_set_reference_map_source (viewport, SHUMATE_MAP_SOURCE (source));
  shumate_viewport_set_zoom_level (viewport, 3);
  shumate_location_set_location (SHUMATE_LOCATION (viewport), 30, 0);
  cm_place_layer_set_dataset (layer, dataset);
  gtk_window_set_default_size (GTK_WINDOW (window), FRAME_WIDTH, FRAME_HEIGHT);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (layer));
  gtk_window_present (GTK_WINDOW (window));
  /* Sized, and with the statistics its worker makes. */
  while (gtk_widget_get_width (GTK_WIDGET (layer)) < FRAME_WIDTH / 2
         || !cm_place_layer_is_current (layer))
    g_main_context_iteration (NULL, TRUE);
  spin (100);

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32,
                                        gtk_widget_get_width (GTK_WIDGET (layer)),
                                        gtk_widget_get_height (GTK_WIDGET (layer)));
  for (int i = -5; i < N_FRAMES; i++)
    {
      GtkSnapshot *snapshot;
      GskRenderNode *node;
      cairo_t *cr;
      double start;

      /* East by 20 pixels a frame (of a 2048-pixel world), or by 19.9. */
      shumate_location_set_location (SHUMATE_LOCATION (viewport), 30,
                                     glide ? -20 + i * 3.5
                                     : cm_mercator_longitude (cm_mercator_x (-20)
                                                              + i * 20 / 2048.0));
      start = bench_now_ms ();
      snapshot = gtk_snapshot_new ();
      GTK_WIDGET_GET_CLASS (layer)->snapshot (GTK_WIDGET (layer), snapshot);
      node = gtk_snapshot_free_to_node (snapshot);
      if (i >= 0)
        samples[i] = bench_now_ms () - start;
      cr = cairo_create (surface);
      cairo_set_operator (cr, CAIRO_OPERATOR_CLEAR);
      cairo_paint (cr);
      cairo_set_operator (cr, CAIRO_OPERATOR_OVER);
      if (node != NULL)
        gsk_render_node_draw (node, cr);
      cairo_destroy (cr);
      cairo_surface_flush (surface);
      if (i >= 0)
        render_samples[i] = bench_now_ms () - start;
      g_clear_pointer (&node, gsk_render_node_unref);
    }

  if (g_getenv ("CHRONOMAP_BENCH_SHOTS") != NULL)
    {
      g_autofree char *path = g_strdup_printf ("%s/map-frame-%u.png",
                                               g_getenv ("CHRONOMAP_BENCH_SHOTS"), n_places);

      cairo_surface_write_to_png (surface, path);
    }
  cairo_surface_destroy (surface);
  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (viewport);
  *snapshot_ms = bench_median (samples, N_FRAMES);
  *render_ms = bench_median (render_samples, N_FRAMES);
}

typedef struct
{
  guint    n_left;
  gboolean failed;
} TileFills;

static void
tile_filled_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  TileFills *fills = user_data;

  fills->failed |= !shumate_map_source_fill_tile_finish (SHUMATE_MAP_SOURCE (source), result, NULL);
  fills->n_left--;
}

/* The basemap tiles of a 1280 x 800 view at zoom 3 (20 tiles, drawn
 * half a pixel off the grid as between zoom levels) rasterised by GSK's
 * cairo renderer: what the map's tiles cost that renderer each frame, as
 * the cairo surfaces the map view gives it (map-tiles-render) and as
 * textures (map-tiles-render-texture), which it converts at every draw. */
static double
bench_tiles_render (gboolean cairo_tiles)
{
  g_autoptr(CmBasemapSource) source = cm_basemap_source_new (CM_BASEMAP_LIGHT);
  g_autoptr(GPtrArray) tiles = g_ptr_array_new_with_free_func (g_object_unref);
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, FRAME_WIDTH, FRAME_HEIGHT);
  TileFills fills = { 0 };
  double samples[N_FRAMES];

  cm_basemap_source_set_cairo_tiles (source, cairo_tiles);
  for (guint y = 0; y * 256 < FRAME_HEIGHT; y++)
    for (guint x = 0; x * 256 < FRAME_WIDTH; x++)
      {
        ShumateTile *tile = g_object_ref_sink (shumate_tile_new_full (x, y, 256, 3));

        g_ptr_array_add (tiles, tile);
        fills.n_left++;
        shumate_map_source_fill_tile_async (SHUMATE_MAP_SOURCE (source), tile, NULL,
                                            tile_filled_cb, &fills);
      }
  while (fills.n_left > 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (fills.failed);

  for (int i = -5; i < N_FRAMES; i++)
    {
      double start = bench_now_ms ();
      GtkSnapshot *snapshot = gtk_snapshot_new ();
      GskRenderNode *node;
      cairo_t *cr;

      for (guint t = 0; t < tiles->len; t++)
        {
          ShumateTile *tile = g_ptr_array_index (tiles, t);

          gtk_snapshot_save (snapshot);
          gtk_snapshot_translate (snapshot,
                                  &GRAPHENE_POINT_INIT (shumate_tile_get_x (tile) * 256 - 0.5,
                                                        shumate_tile_get_y (tile) * 256 - 0.5));
          gdk_paintable_snapshot (shumate_tile_get_paintable (tile), snapshot, 256, 256);
          gtk_snapshot_restore (snapshot);
        }
      node = gtk_snapshot_free_to_node (snapshot);
      cr = cairo_create (surface);
      gsk_render_node_draw (node, cr);
      cairo_destroy (cr);
      cairo_surface_flush (surface);
      gsk_render_node_unref (node);
      if (i >= 0)
        samples[i] = bench_now_ms () - start;
    }
  cairo_surface_destroy (surface);

  return bench_median (samples, N_FRAMES);
}

void
bench_map_dataset (CmDataset  *dataset,
                   const char *size)
{
  double samples[5], filtered[5];
  gsize n_words = (cm_dataset_get_n_events (dataset) + 63) / 64 + 1;
  g_autofree guint64 *one_group = g_new0 (guint64, n_words);
  g_autofree char *name = NULL;

  /* The events of the first group's actors. */
  for (guint a = 0; a < cm_dataset_get_n_actors (dataset); a++)
    if (cm_dataset_get_actor (dataset, a)->group == 0)
      {
        guint n;
        const guint32 *events = cm_dataset_get_actor_events (dataset, a, &n);

        for (guint i = 0; i < n; i++)
          one_group[events[i] / 64] |= G_GUINT64_CONSTANT (1) << (events[i] % 64);
      }
  for (guint i = 0; i < G_N_ELEMENTS (samples); i++)
    {
      double start = bench_now_ms ();

      cm_map_stats_free (cm_map_stats_new (dataset, NULL, NULL));
      samples[i] = bench_now_ms () - start;
      start = bench_now_ms ();
      cm_map_stats_free (cm_map_stats_new (dataset, one_group, NULL));
      filtered[i] = bench_now_ms () - start;
    }
  name = g_strdup_printf ("map-stats-%s", size);
  bench_report (name, bench_median (samples, G_N_ELEMENTS (samples)), "ms");
  g_free (name);
  name = g_strdup_printf ("map-stats-filtered-%s", size);
  bench_report (name, bench_median (filtered, G_N_ELEMENTS (filtered)), "ms");
}

void
bench_map (void)
{
  double small, large, small_render, large_render, glide, glide_render;

  bench_tiles ();

  if (!gtk_init_check ())
    {
      g_printerr ("bench-map: no display, place layer frames skipped\n");
      return;
    }
  bench_frames (100, FALSE, &small, &small_render);
  bench_frames (10000, FALSE, &large, &large_render);
  bench_frames (10000, TRUE, &glide, &glide_render);
  bench_report ("map-frame-100", small, "ms");
  bench_report ("map-frame-10k", large, "ms");
  bench_report ("map-frame-ratio-10k-100", large / small, "x");
  bench_report ("map-render-100", small_render, "ms");
  bench_report ("map-render-10k", large_render, "ms");
  bench_report ("map-frame-10k-glide", glide, "ms");
  bench_report ("map-render-10k-glide", glide_render, "ms");
  bench_report ("map-tiles-render", bench_tiles_render (TRUE), "ms");
  bench_report ("map-tiles-render-texture", bench_tiles_render (FALSE), "ms");
}
