/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-basemap"

#include "config.h"

#include <math.h>

#include "cm-basemap.h"
#include "cm-mercator.h"

/* The offline basemap, drawn with plain cairo: no display, no network. */

static CmBasemap *basemap;

static int
find (const char *name)
{
  for (guint i = 0; i < cm_basemap_get_n_countries (basemap); i++)
    if (g_strcmp0 (cm_basemap_get_country_name (basemap, i), name) == 0)
      return (int) i;
  g_error ("no country %s", name);
  return -1;
}

static const char *
country_at (double latitude,
            double longitude)
{
  int index = cm_basemap_find_country (basemap, latitude, longitude);

  return index < 0 ? "sea" : cm_basemap_get_country_name (basemap, index);
}

static void
test_projection (void)
{
  /* Slippy-map tile numbers of known cities. */
  struct { double lat, lon; guint zoom, x, y; } cities[] = {
    { 50.4501, 30.5234, 5, 18, 10 },    /* Kyiv */
    { 24.7136, 46.6753, 5, 20, 13 },    /* Riyadh */
    { 39.9334, 32.8597, 8, 151, 96 },   /* Ankara */
    { 51.4779, -0.0015, 10, 511, 340 }, /* Greenwich */
    { -33.8568, 151.2153, 6, 58, 38 },  /* Sydney */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cities); i++)
    {
      double n = exp2 (cities[i].zoom);

      g_assert_cmpuint ((guint) floor (cm_mercator_x (cities[i].lon) * n), ==, cities[i].x);
      g_assert_cmpuint ((guint) floor (cm_mercator_y (cities[i].lat) * n), ==, cities[i].y);
      g_assert_cmpfloat_with_epsilon (cm_mercator_latitude (cm_mercator_y (cities[i].lat)),
                                      cities[i].lat, 1e-9);
      g_assert_cmpfloat_with_epsilon (cm_mercator_longitude (cm_mercator_x (cities[i].lon)),
                                      cities[i].lon, 1e-9);
    }
  g_assert_cmpfloat_with_epsilon (cm_mercator_y (0), 0.5, 1e-12);
  g_assert_cmpfloat_with_epsilon (cm_mercator_y (CM_MERCATOR_MAX_LATITUDE), 0, 1e-9);
  g_assert_cmpfloat_with_epsilon (cm_mercator_y (-90), 1, 1e-9);
  g_assert_cmpfloat (cm_mercator_world_size (3, 256), ==, 2048);
}

static void
test_countries (void)
{
  g_assert_cmpuint (cm_basemap_get_n_countries (basemap), ==, 241);

  g_assert_cmpstr (country_at (50.4501, 30.5234), ==, "Ukraine");
  g_assert_cmpstr (country_at (24.7136, 46.6753), ==, "Saudi Arabia");
  g_assert_cmpstr (country_at (39.9334, 32.8597), ==, "Turkey");
  g_assert_cmpstr (country_at (48.8566, 2.3522), ==, "France");
  g_assert_cmpstr (country_at (0, -30), ==, "sea");
  g_assert_cmpstr (country_at (43, 34), ==, "sea");          /* Black Sea */
  /* Lesotho is a hole in South Africa and a country of its own. */
  g_assert_cmpstr (country_at (-29.5, 28.2), ==, "Lesotho");
  g_assert_cmpstr (country_at (-26.2, 28.05), ==, "South Africa");
}

static void
test_antimeridian (void)
{
  /* Both sides of 180 degrees in Chukotka are Russia ... */
  g_assert_cmpstr (country_at (66, 175), ==, "Russia");
  g_assert_cmpstr (country_at (66, -175), ==, "Russia");
  g_assert_cmpstr (country_at (-18.1, 178.45), ==, "Fiji");    /* Suva */
  /* ... and neither Russia nor Fiji streaks across the world. */
  g_assert_cmpstr (country_at (70, 0), ==, "sea");            /* Norwegian Sea */
  g_assert_cmpstr (country_at (69, -170), ==, "sea");         /* Chukchi Sea */
  g_assert_cmpstr (country_at (45, -150), ==, "sea");
  g_assert_cmpstr (country_at (-17, 0), ==, "sea");
  g_assert_cmpstr (country_at (-17, -120), ==, "sea");
  /* Antarctica fills the polar cap, but no further. */
  g_assert_cmpstr (country_at (-85, 0), ==, "Antarctica");
  g_assert_cmpstr (country_at (-85, 179.9), ==, "Antarctica");
  g_assert_cmpstr (country_at (-55, 0), ==, "sea");
}

typedef struct
{
  guint  land;
  guint  sea;
  double variance;
} PixelStats;

static guint32
pixel_at (cairo_surface_t *surface,
          int              x,
          int              y)
{
  const guint8 *data = cairo_image_surface_get_data (surface);
  int stride = cairo_image_surface_get_stride (surface);

  return *(const guint32 *) (data + y * stride + x * 4) & 0xffffff;
}

static void
pixel_stats (cairo_surface_t        *surface,
             const CmBasemapPalette *palette,
             PixelStats             *stats)
{
  int width = cairo_image_surface_get_width (surface);
  int height = cairo_image_surface_get_height (surface);
  double sum = 0, sum2 = 0;

  cairo_surface_flush (surface);
  *stats = (PixelStats) { 0 };
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guint32 p = pixel_at (surface, x, y);
        double luma = ((p >> 16) & 0xff) * 0.3 + ((p >> 8) & 0xff) * 0.59 + (p & 0xff) * 0.11;

        stats->land += p == palette->land;
        stats->sea += p == palette->sea;
        sum += luma;
        sum2 += luma * luma;
      }
  sum /= width * height;
  stats->variance = sum2 / (width * height) - sum * sum;
}

static cairo_surface_t *
draw_tile (guint          zoom,
           guint          x,
           guint          y,
           guint          size,
           CmBasemapStyle style)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, size, size);
  cairo_t *cr = cairo_create (surface);

  cm_basemap_draw_tile (basemap, cr, zoom, x, y, size, style);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  return surface;
}

static void
test_tile_europe (void)
{
  const CmBasemapPalette *palette = cm_basemap_style_get_palette (CM_BASEMAP_LIGHT);
  /* z2 tile 2/1: 0-90 E, 0-66.5 N: Europe, Africa, Arabia, sea around. */
  cairo_surface_t *surface = draw_tile (2, 2, 1, 256, CM_BASEMAP_LIGHT);
  PixelStats stats;

  pixel_stats (surface, palette, &stats);
  g_assert_cmpuint (stats.land, >, 256 * 256 / 4);
  g_assert_cmpuint (stats.sea, >, 256 * 256 / 20);
  g_assert_cmpfloat (stats.variance, >, 10);

  /* Pixels of known places have the expected colour. */
  {
    double n = 4 * 256;
    int kx = (int) (cm_mercator_x (30.5234) * n) - 2 * 256;
    int ky = (int) (cm_mercator_y (50.4501) * n) - 256;
    int sx = (int) (cm_mercator_x (34) * n) - 2 * 256;      /* Black Sea */
    int sy = (int) (cm_mercator_y (43) * n) - 256;

    g_assert_cmphex (pixel_at (surface, kx, ky), ==, palette->land);
    g_assert_cmphex (pixel_at (surface, sx, sy), ==, palette->sea);
  }
  cairo_surface_destroy (surface);
}

static void
test_tile_pacific (void)
{
  const CmBasemapPalette *palette = cm_basemap_style_get_palette (CM_BASEMAP_LIGHT);
  /* z1 tile 0/0: the north-west quarter. A ring streaking across the
   * antimeridian would paint the North Pacific as land. */
  cairo_surface_t *surface = draw_tile (1, 0, 0, 256, CM_BASEMAP_LIGHT);
  double n = 2 * 256;

  g_assert_cmphex (pixel_at (surface, cm_mercator_x (-150) * n, cm_mercator_y (45) * n), ==,
                   palette->sea);
  g_assert_cmphex (pixel_at (surface, cm_mercator_x (-170) * n, cm_mercator_y (72) * n), ==,
                   palette->sea);
  /* Chukotka west of 180 W... is drawn at the western edge. */
  g_assert_cmphex (pixel_at (surface, cm_mercator_x (-178) * n, cm_mercator_y (67.5) * n), ==,
                   palette->land);
  cairo_surface_destroy (surface);
}

static void
test_tile_dark (void)
{
  const CmBasemapPalette *dark = cm_basemap_style_get_palette (CM_BASEMAP_DARK);
  const CmBasemapPalette *light = cm_basemap_style_get_palette (CM_BASEMAP_LIGHT);
  cairo_surface_t *surface = draw_tile (2, 2, 1, 256, CM_BASEMAP_DARK);
  PixelStats stats;

  g_assert_cmphex (dark->sea, !=, light->sea);
  pixel_stats (surface, dark, &stats);
  g_assert_cmpuint (stats.land, >, 256 * 256 / 4);
  g_assert_cmpuint (stats.sea, >, 256 * 256 / 20);
  cairo_surface_destroy (surface);
}

static void
test_tile_hidpi (void)
{
  const CmBasemapPalette *palette = cm_basemap_style_get_palette (CM_BASEMAP_LIGHT);
  cairo_surface_t *surface = draw_tile (5, 18, 10, 512, CM_BASEMAP_LIGHT);
  int kx = (int) ((cm_mercator_x (30.5234) * 32 - 18) * 512);
  int ky = (int) ((cm_mercator_y (50.4501) * 32 - 10) * 512);

  /* A 512-pixel tile covers the same ground as a 256-pixel one. */
  g_assert_cmphex (pixel_at (surface, kx, ky), ==, palette->land);
  cairo_surface_destroy (surface);
}

static void
test_view (void)
{
  const CmBasemapPalette *palette = cm_basemap_style_get_palette (CM_BASEMAP_LIGHT);
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 800, 600);
  cairo_t *cr = cairo_create (surface);
  double world = cm_mercator_world_size (4.5, 256);
  double ox = cm_mercator_x (35) * world - 400, oy = cm_mercator_y (45) * world - 300;
  PixelStats stats;

  cm_basemap_draw_view (basemap, cr, 45, 35, 4.5, 800, 600, CM_BASEMAP_LIGHT);
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  pixel_stats (surface, palette, &stats);
  g_assert_cmpuint (stats.land, >, 800 * 600 / 4);
  g_assert_cmpuint (stats.sea, >, 800 * 600 / 20);
  g_assert_cmphex (pixel_at (surface, cm_mercator_x (37.6) * world - ox,
                             cm_mercator_y (55.2) * world - oy), ==, palette->land);
  g_assert_cmphex (pixel_at (surface, cm_mercator_x (34) * world - ox,
                             cm_mercator_y (43) * world - oy), ==, palette->sea);
  cairo_surface_destroy (surface);
}

static void
test_labels (void)
{
  int ukraine = find ("Ukraine"), russia = find ("Russia"), malta = find ("Malta");

  /* Names show once they fit. */
  g_assert_false (cm_basemap_country_label_visible (basemap, ukraine, 0));
  g_assert_true (cm_basemap_country_label_visible (basemap, ukraine, 4));
  g_assert_true (cm_basemap_country_label_visible (basemap, russia, 2));
  g_assert_false (cm_basemap_country_label_visible (basemap, malta, 3));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  path = cm_basemap_get_default_path ();
  basemap = cm_basemap_new_from_file (path, &error);
  g_assert_no_error (error);

  g_test_add_func ("/basemap/projection/known-cities", test_projection);
  g_test_add_func ("/basemap/countries/find", test_countries);
  g_test_add_func ("/basemap/countries/antimeridian", test_antimeridian);
  g_test_add_func ("/basemap/tile/europe-z2", test_tile_europe);
  g_test_add_func ("/basemap/tile/pacific-z1", test_tile_pacific);
  g_test_add_func ("/basemap/tile/dark", test_tile_dark);
  g_test_add_func ("/basemap/tile/hidpi", test_tile_hidpi);
  g_test_add_func ("/basemap/view", test_view);
  g_test_add_func ("/basemap/labels", test_labels);

  status = g_test_run ();
  cm_basemap_unref (basemap);
  return status;
}
