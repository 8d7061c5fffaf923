/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-bench"

#include "config.h"

#include <gtk/gtk.h>

#include "bench.h"
#include "cm-loader.h"
#include "cm-timeline-layout.h"
#include "cm-scene-snapshot.h"
#include "generator.h"

/* A timeline frame at 1920x1080: layout + scene, then the widget's
 * snapshot (render nodes) rasterised with gsk_render_node_draw() into an
 * image surface, as the cairo GSK renderer does. Also the scene drawn
 * with cm_scene_render_cairo() alone (the export path). Each frame pans a
 * little, as a user dragging would. */

#define WIDTH    1920
#define HEIGHT   1080
#define N_FRAMES 60

static CmDataset *
load_generated (guint    n_events,
                gboolean large_proportions)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  CmDataset *dataset;
  gsize length;
  char *json;

  /* bench-large.c's proportions (2000 actors, 5000 places, 40 groups),
   * or ones that grow with the dataset. */
  if (large_proportions)
    json = cm_generator_json (n_events, 2000, 5000, 40, 1, &length);
  else
    json = cm_generator_json (n_events, MAX (n_events / 500, 20), MAX (n_events / 1000, 10), 12, 1,
                              &length);
  bytes = g_bytes_new_take (json, length);
  dataset = cm_loader_load_bytes (bytes, "generated", NULL, &error);
  if (dataset == NULL)
    g_error ("generated dataset does not load: %s", error->message);
  return dataset;
}

/* CHRONOMAP_BENCH_TIMELINE_FRAMES=N measures N frames (1..N_FRAMES) rather
 * than N_FRAMES, for short callgrind runs. */
static int
bench_timeline_n_frames (void)
{
  const char *frames = g_getenv ("CHRONOMAP_BENCH_TIMELINE_FRAMES");

  return frames != NULL ? CLAMP (atoi (frames), 1, N_FRAMES) : N_FRAMES;
}

typedef struct
{
  double frame[N_FRAMES];
  double cairo[N_FRAMES];
} Samples;

static void
run_frames (CmTimelineLayout *layout,
            gint64            t0,
            gint64            t1,
            gboolean          with_gtk,
            Samples          *samples)
{
  g_autoptr(CmScene) scene = cm_scene_new (WIDTH, HEIGHT);
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, WIDTH, HEIGHT);
  /* CHRONOMAP_BENCH_TIMELINE_WARMUP=N frames before the measured ones
   * (5 by default; 0 for callgrind runs that count every frame). */
  const char *warmup = g_getenv ("CHRONOMAP_BENCH_TIMELINE_WARMUP");
  int first = warmup != NULL ? -CLAMP (atoi (warmup), 0, 100) : -5;

  for (int i = first; i < bench_timeline_n_frames (); i++)
    {
      /* Pan back and forth by half a percent a frame, ending where it began. */
      gint64 shift = (t1 - t0) / 200 * (i < 0 ? 0 : (i % 20 < 10 ? i % 20 : 20 - i % 20));
      double start;
      cairo_t *cr;

      cm_timeline_layout_set_range (layout, t0 + shift, t1 + shift);

      /* layout + scene + snapshot + rasterisation */
      start = bench_now_ms ();
      cm_timeline_layout_build (layout, scene);
      if (with_gtk)
        {
          GtkSnapshot *snapshot = gtk_snapshot_new ();
          GskRenderNode *node;

          cm_scene_snapshot (snapshot, scene);
          node = gtk_snapshot_free_to_node (snapshot);
          cr = cairo_create (surface);
          gsk_render_node_draw (node, cr);
          cairo_destroy (cr);
          gsk_render_node_unref (node);
        }
      else
        {
          cr = cairo_create (surface);
          cm_scene_render_cairo (scene, cr);
          cairo_destroy (cr);
        }
      cairo_surface_flush (surface);
      if (i >= 0)
        samples->frame[i] = bench_now_ms () - start;

      /* The scene alone drawn with cairo (export, GSK_RENDERER=cairo fallback) */
      start = bench_now_ms ();
      cr = cairo_create (surface);
      cm_scene_render_cairo (scene, cr);
      cairo_destroy (cr);
      cairo_surface_flush (surface);
      if (i >= 0)
        samples->cairo[i] = bench_now_ms () - start;
    }

  if (g_getenv ("CHRONOMAP_BENCH_SHOTS") != NULL)
    {
      gint64 a, b;
      g_autofree char *path = NULL;

      cm_timeline_layout_get_range (layout, &a, &b);
      path = g_strdup_printf ("%s/timeline-%u-%" G_GINT64_FORMAT ".png",
                              g_getenv ("CHRONOMAP_BENCH_SHOTS"),
                              cm_dataset_get_n_events (cm_timeline_layout_get_dataset (layout)),
                              (b - a) / 86400);
      cairo_surface_write_to_png (surface, path);
    }
  cairo_surface_destroy (surface);
}

double
bench_timeline_dataset (CmDataset  *dataset,
                        const char *size,
                        gboolean    with_gtk)
{
  g_autoptr(CmTimelineLayout) layout = cm_timeline_layout_new ();
  /* fit-filtered: the fit under a filter keeping about half the events,
   * spread through every lane and time (as a search for a common word). */
  const char *zooms[] = { "fit", "deep", "fit-filtered" };
  guint n = cm_dataset_get_n_events (dataset);
  g_autofree guint64 *half = g_new0 (guint64, n / 64 + 1);
  double fit_median = 0;
  gint64 t0, t1;

  for (guint e = 0; e < n; e++)
    if ((e * 2654435761u >> 8) % 2 == 0)
      half[e / 64] |= G_GUINT64_CONSTANT (1) << (e % 64);

  cm_timeline_layout_set_dataset (layout, dataset);
  cm_timeline_layout_set_size (layout, WIDTH, HEIGHT);
  cm_timeline_layout_set_font (layout, "Cantarell 11");
  cm_timeline_layout_set_axis_offset (layout, cm_timeline_layout_guess_axis_offset (dataset));
  cm_timeline_layout_get_fit_range (layout, &t0, &t1);

  for (guint z = 0; z < G_N_ELEMENTS (zooms); z++)
    {
      Samples samples;
      const char *only_zoom = g_getenv ("CHRONOMAP_BENCH_TIMELINE_ZOOM");
      g_autofree char *name = NULL;
      gint64 a = t0, b = t1;
      double median;

      /* CHRONOMAP_BENCH_TIMELINE_ZOOM=fit|deep|fit-filtered runs one zoom only (short
       * callgrind runs); the reports of the other zoom are then left out. */
      if (only_zoom != NULL && !g_str_equal (only_zoom, zooms[z]))
        continue;
      cm_timeline_layout_set_filter (layout, z == 2 ? half : NULL);
      if (z == 1)
        {
          /* About a month, in the middle of the data. */
          a = t0 + (t1 - t0) / 2;
          b = a + 30 * 86400;
        }
      run_frames (layout, a, b, with_gtk, &samples);

      median = bench_median (samples.frame, bench_timeline_n_frames ());
      if (z == 0)
        fit_median = median;
      name = g_strdup_printf ("timeline-frame-%s-%s-median", size, zooms[z]);
      bench_report (name, median, "ms");
      g_free (name);
      name = g_strdup_printf ("timeline-frame-%s-%s-p95", size, zooms[z]);
      bench_report (name, bench_p95 (samples.frame, bench_timeline_n_frames ()), "ms");
      g_free (name);
      name = g_strdup_printf ("timeline-scene-cairo-%s-%s-median", size, zooms[z]);
      bench_report (name, bench_median (samples.cairo, bench_timeline_n_frames ()), "ms");
    }

  return fit_median;
}

static double
bench_dataset (const char *size,
               guint       n_events,
               gboolean    with_gtk)
{
  g_autoptr(CmDataset) dataset = load_generated (n_events, g_str_has_suffix (size, "-of-large")
                                                            || g_str_equal (size, "1m"));

  return bench_timeline_dataset (dataset, size, with_gtk);
}

void
bench_timeline (void)
{
  gboolean with_gtk = gtk_init_check ();
  double small, large;
  /* CHRONOMAP_BENCH_TIMELINE_SIZE=1k|100k runs one dataset size only;
   * 1m|100k-of-large, bench-large.c's timeline frames without its file
   * and window (generated in memory: about 1 GB at 1m). */
  const char *only_size = g_getenv ("CHRONOMAP_BENCH_TIMELINE_SIZE");

  if (!with_gtk)
    g_printerr ("bench-timeline: no display, measuring cm_scene_render_cairo instead of the snapshot\n");

  if (only_size != NULL)
    {
      bench_dataset (only_size,
                     g_str_equal (only_size, "1k") ? 1000 : g_str_equal (only_size, "1m") ? 1000000 : 100000,
                     with_gtk);
      return;
    }
  small = bench_dataset ("1k", 1000, with_gtk);
  large = bench_dataset ("100k", 100000, with_gtk);
  bench_report ("timeline-frame-ratio-100k-1k", large / small, "x");
}
