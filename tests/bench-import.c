/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-bench"

#include "config.h"

#include "bench.h"
#include "cm-loader.h"
#include "generator.h"

/* Importing 100,000 GeoJSON features shaped like a USGS earthquake feed
 * (26 properties each, epoch-millisecond times, a "type" to group by),
 * against loading 100,000 native events from the generator, measured in
 * the same run so that the ratio does not depend on the machine's load. */

#define N_FEATURES 100000
#define N_RUNS 3

static const char *const types[] = { "earthquake", "earthquake", "earthquake", "quarry blast",
                                     "explosion" };
static const char *const nets[] = { "ak", "us", "ci", "nc", "hv", "nn", "uw", "pr" };
static const char *const directions[] = { "N", "NE", "E", "SE", "S", "SW", "W", "NW" };

static char *
generate_geojson (guint  n,
                  gsize *length)
{
  GString *out = g_string_sized_new (n * 900);
  GRand *rand = g_rand_new_with_seed (42);
  gint64 t0 = G_GINT64_CONSTANT (1700000000000);

  g_string_append (out, "{\"type\":\"FeatureCollection\",\"metadata\":{\"generated\":1733400000000,"
                        "\"title\":\"Generated earthquakes\",\"status\":200,\"count\":");
  g_string_append_printf (out, "%u},\"features\":[", n);
  for (guint i = 0; i < n; i++)
    {
      const char *net = nets[g_rand_int_range (rand, 0, G_N_ELEMENTS (nets))];
      double mag = g_rand_double_range (rand, 2.5, 7.5);
      double lon = g_rand_double_range (rand, -180, 180);
      double lat = g_rand_double_range (rand, -70, 70);
      gint64 time = t0 + (gint64) i * 31000 + g_rand_int_range (rand, 0, 30000);
      guint km = g_rand_int_range (rand, 1, 200);
      const char *dir = directions[g_rand_int_range (rand, 0, G_N_ELEMENTS (directions))];

      g_string_append_printf (out,
        "%s{\"type\":\"Feature\",\"properties\":{\"mag\":%.1f,\"place\":\"%u km %s of Town %u\","
        "\"time\":%" G_GINT64_FORMAT ",\"updated\":%" G_GINT64_FORMAT ",\"tz\":null,"
        "\"url\":\"https://earthquake.usgs.gov/earthquakes/eventpage/%s%07u\","
        "\"detail\":\"https://earthquake.usgs.gov/fdsnws/event/1/query?eventid=%s%07u\","
        "\"felt\":null,\"cdi\":null,\"mmi\":null,\"alert\":null,\"status\":\"reviewed\","
        "\"tsunami\":0,\"sig\":%d,\"net\":\"%s\",\"code\":\"%07u\",\"ids\":\",%s%07u,\","
        "\"sources\":\",%s,\",\"types\":\",origin,phase-data,\",\"nst\":%u,\"dmin\":%.3f,"
        "\"rms\":%.2f,\"gap\":%u,\"magType\":\"%s\",\"type\":\"%s\","
        "\"title\":\"M %.1f - %u km %s of Town %u\"},"
        "\"geometry\":{\"type\":\"Point\",\"coordinates\":[%.4f,%.4f,%.2f]},\"id\":\"%s%07u\"}",
        i ? "," : "", mag, km, dir, i % 5000, time, time + 600000, net, i, net, i,
        (int) (mag * 70), net, i, net, i, net, 10 + i % 90, g_rand_double_range (rand, 0, 5),
        g_rand_double_range (rand, 0.1, 1.5), 20 + i % 200, mag > 4.5 ? "mww" : "ml",
        types[i % G_N_ELEMENTS (types)], mag, km, dir, i % 5000, lon, lat,
        g_rand_double_range (rand, 0, 600), net, i);
    }
  g_string_append (out, "]}");
  g_rand_free (rand);

  *length = out->len;
  return g_string_free (out, FALSE);
}

static double
median_load_ms (GBytes     *bytes,
                const char *name,
                guint       n_expected)
{
  double samples[N_RUNS];

  for (guint i = 0; i < N_RUNS; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CmDataset) dataset = NULL;
      double start = bench_now_ms ();

      dataset = cm_loader_load_bytes (bytes, name, NULL, &error);
      samples[i] = bench_now_ms () - start;
      g_assert_no_error (error);
      g_assert_cmpuint (cm_dataset_get_n_events (dataset), ==, n_expected);
    }

  return bench_median (samples, N_RUNS);
}

void
bench_import (void)
{
  g_autoptr(GBytes) geojson = NULL;
  g_autoptr(GBytes) native = NULL;
  double import_ms, load_ms;
  gsize length;
  char *text;

  text = generate_geojson (N_FEATURES, &length);
  geojson = g_bytes_new_take (text, length);
  text = cm_generator_json (N_FEATURES, 2000, 5000, 40, 1, &length);
  native = g_bytes_new_take (text, length);

  bench_report ("import-geojson-file-size-100k", g_bytes_get_size (geojson) / 1e6, "MB");
  import_ms = median_load_ms (geojson, "bench.geojson", N_FEATURES);
  load_ms = median_load_ms (native, "bench.json", N_FEATURES);
  bench_report ("import-geojson-100k", import_ms, "ms");
  bench_report ("import-geojson-load-100k", load_ms, "ms");
  bench_report ("import-geojson-ratio-100k", import_ms / load_ms, "x");
}
