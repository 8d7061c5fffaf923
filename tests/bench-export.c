/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-bench"

#include "config.h"

#include <glib/gstdio.h>
#include <time.h>

#include "bench.h"
#include "cm-exporter.h"
#include "cm-loader.h"
#include "generator.h"

#define N_EVENTS 100000
#define N_RUNS 3

/* Whole exports, drawing and writing: the timeline of 100k events (the
 * whole range, so the layout aggregates into badges as the window would),
 * and the sample as a user would export it. */

/* Wall-clock median, and the CPU time: an export uses one thread, so on a
 * busy machine the CPU time is what it takes on an idle one. */
static double
time_export (CmDataset             *dataset,
             const CmExportOptions *options,
             const char            *path,
             const char            *name)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autofree char *cpu_name = g_strconcat (name, "-cpu", NULL);
  double samples[N_RUNS], cpu[N_RUNS];

  for (guint i = 0; i < N_RUNS; i++)
    {
      double start = bench_now_ms (), cpu_start = bench_cpu_ms (CLOCK_PROCESS_CPUTIME_ID);

      if (!cm_exporter_write (dataset, options, file, NULL, &error))
        g_error ("export failed: %s", error->message);
      samples[i] = bench_now_ms () - start;
      cpu[i] = bench_cpu_ms (CLOCK_PROCESS_CPUTIME_ID) - cpu_start;
    }

  bench_report (name, bench_median (samples, N_RUNS), "ms");
  bench_report (cpu_name, bench_median (cpu, N_RUNS), "ms");
  return bench_median (samples, N_RUNS);
}

static void
write_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!cm_exporter_write_finish (result, &error))
    g_error ("export failed: %s", error->message);
  *(gboolean *) user_data = TRUE;
}

/* The longest the main loop waits during an async export. */
static double
measure_main_thread_block (CmDataset             *dataset,
                           const CmExportOptions *options,
                           const char            *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  gboolean done = FALSE;

  cm_exporter_write_async (dataset, options, file, NULL, NULL, NULL, NULL, write_done_cb, &done);

  return bench_main_loop_max_gap (&done);
}

void
bench_export (void)
{
  g_autofree char *json = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(CmDataset) dataset = NULL;
  g_autoptr(CmDataset) sample = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) sample_file = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cm-bench-export-XXXXXX", &error);
  g_autofree char *png = g_build_filename (dir, "export.png", NULL);
  g_autofree char *svg = g_build_filename (dir, "export.svg", NULL);
  g_autofree char *pdf = g_build_filename (dir, "export.pdf", NULL);
  g_autofree char *sample_path = NULL;
  g_auto(CmExportOptions) options = { 0, };
  gsize length;
  struct stat st;

  g_assert_no_error (error);
  json = cm_generator_json (N_EVENTS, 2000, 5000, 40, 1, &length);
  bytes = g_bytes_new_take (g_steal_pointer (&json), length);
  dataset = cm_loader_load_bytes (bytes, "generated.json", NULL, &error);
  g_assert_no_error (error);

  cm_export_options_init (&options);
  options.width = 8000;
  options.height = 2000;
  options.format = CM_EXPORT_FORMAT_PNG;
  time_export (dataset, &options, png, "export-png-100k");
  if (g_stat (png, &st) == 0)
    bench_report ("export-png-100k-size", st.st_size / 1e6, "MB");
  bench_report ("export-main-thread-max-block",
                measure_main_thread_block (dataset, &options, png), "ms");

  options.format = CM_EXPORT_FORMAT_SVG;
  time_export (dataset, &options, svg, "export-svg-100k");
  if (g_stat (svg, &st) == 0)
    bench_report ("export-svg-100k-size", st.st_size / 1e6, "MB");

  options.format = CM_EXPORT_FORMAT_PDF;
  time_export (dataset, &options, pdf, "export-pdf-100k");
  if (g_stat (pdf, &st) == 0)
    bench_report ("export-pdf-100k-size", st.st_size / 1e6, "MB");

  sample_path = g_build_filename (SOURCE_DATADIR, "samples", "riyadh-talks-2025.json", NULL);
  sample_file = g_file_new_for_path (sample_path);
  sample = cm_loader_load_file (sample_file, NULL, &error);
  g_assert_no_error (error);
  cm_export_options_init (&options);
  /* Asked for, so that the page stays 2400x1200 and the figure comparable
   * (without a size the page grows with the lanes). */
  options.size_set = TRUE;
  options.width = 2400;
  options.height = 1200;
  time_export (sample, &options, png, "export-png-sample");
  if (g_stat (png, &st) == 0)
    bench_report ("export-png-sample-size", st.st_size / 1e3, "kB");

  g_unlink (png);
  g_unlink (svg);
  g_unlink (pdf);
  g_rmdir (dir);
}
