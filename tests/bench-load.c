/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-bench"

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <unistd.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "bench.h"
#include "cm-loader.h"
#include "generator.h"

#define N_EVENTS 100000
#define N_RUNS 5

static gsize
heap_in_use (void)
{
#if defined(__GLIBC__)
  struct mallinfo2 info = mallinfo2 ();

  return info.uordblks + info.hblkhd;
#else
  return 0;
#endif
}

typedef struct
{
  CmDataset *dataset;
  gboolean   done;
} AsyncLoad;

/* Event texts are kept compressed (cm-text-store.c): a pass over every
 * event's summary, quotes and sources in event order, as the search
 * index and the JSON writer make, and single look-ups at random, as the
 * details page makes (the median of one look-up, in ms). */
static void
bench_event_texts (CmDataset *dataset)
{
  guint n_events = cm_dataset_get_n_events (dataset);
  double lookups[200];
  gsize total = 0;
  double start;
  GRand *rand;

  start = bench_now_ms ();
  for (guint i = 0; i < n_events; i++)
    {
      const CmEvent *event = cm_dataset_get_event (dataset, i);
      g_autofree char *summary = cm_dataset_dup_event_summary (dataset, event);
      g_autofree CmQuote *quotes = NULL;
      g_autofree CmLink *sources = NULL;
      guint n_quotes, n_sources;

      quotes = cm_dataset_dup_event_quotes (dataset, event, &n_quotes);
      sources = cm_dataset_dup_event_sources (dataset, event, &n_sources);
      total += (summary != NULL) + n_quotes + n_sources;
    }
  bench_report ("event-texts-pass-100k", bench_now_ms () - start, "ms");
  g_assert_cmpuint (total, >, n_events);

  rand = g_rand_new_with_seed (7);
  for (guint k = 0; k < G_N_ELEMENTS (lookups); k++)
    {
      const CmEvent *event = cm_dataset_get_event (dataset, g_rand_int_range (rand, 0, n_events));
      g_autofree char *summary = NULL;

      start = bench_now_ms ();
      summary = cm_dataset_dup_event_summary (dataset, event);
      lookups[k] = bench_now_ms () - start;
      g_assert_nonnull (summary);
    }
  g_rand_free (rand);
  bench_report ("event-summary-lookup", bench_median (lookups, G_N_ELEMENTS (lookups)), "ms");
}

static void
load_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  AsyncLoad *load = user_data;
  g_autoptr(GError) error = NULL;

  load->dataset = cm_loader_load_file_finish (result, &error);
  g_assert_no_error (error);
  load->done = TRUE;
}

static gboolean
set_done_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;

  return G_SOURCE_REMOVE;
}

/* The longest the main loop went without an iteration while a load ran
 * in the worker (or, without a file, for a second of idling). */
static double
measure_main_thread_block (GFile *file)
{
  AsyncLoad load = { 0 };
  double max_gap;

  if (file != NULL)
    cm_loader_load_file_async (file, NULL, load_done_cb, &load);
  else
    g_timeout_add (1000, set_done_cb, &load.done);
  max_gap = bench_main_loop_max_gap (&load.done);
  g_clear_object (&load.dataset);

  return max_gap;
}

void
bench_load (void)
{
  g_autofree char *json = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  double parse_ms[N_RUNS], load_ms[N_RUNS], file_ms[N_RUNS];
  double parse, load;
  gsize length, before, after;
  CmDataset *dataset;
  int fd;

  json = cm_generator_json (N_EVENTS, 2000, 5000, 40, 1, &length);
  bytes = g_bytes_new_static (json, length);
  fd = g_file_open_tmp ("chronomap-bench-XXXXXX.json", &path, &error);
  g_assert_no_error (error);
  close (fd);
  g_file_set_contents (path, json, length, &error);
  g_assert_no_error (error);
  file = g_file_new_for_path (path);
  bench_report ("load-file-size-100k", length / 1e6, "MB");

  for (guint i = 0; i < N_RUNS; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new_immutable ();
      double start = bench_now_ms ();

      json_parser_load_from_data (parser, json, length, &error);
      parse_ms[i] = bench_now_ms () - start;
      g_assert_no_error (error);
    }

  for (guint i = 0; i < N_RUNS; i++)
    {
      double start = bench_now_ms ();

      dataset = cm_loader_load_bytes (bytes, "bench.json", NULL, &error);
      load_ms[i] = bench_now_ms () - start;
      g_assert_no_error (error);
      g_assert_cmpuint (cm_dataset_get_n_events (dataset), ==, N_EVENTS);
      g_object_unref (dataset);
    }

  for (guint i = 0; i < N_RUNS; i++)
    {
      double start = bench_now_ms ();

      dataset = cm_loader_load_file (file, NULL, &error);
      file_ms[i] = bench_now_ms () - start;
      g_assert_no_error (error);
      g_object_unref (dataset);
    }

  parse = bench_median (parse_ms, N_RUNS);
  load = bench_median (load_ms, N_RUNS);
  bench_report ("parse-only-100k", parse, "ms");
  bench_report ("load-100k", load, "ms");
  bench_report ("load-ratio-100k", load / parse, "x");
  bench_report ("load-file-100k", bench_median (file_ms, N_RUNS), "ms");

  /* Resident model: what stays allocated once the text and tree are gone. */
  g_clear_pointer (&bytes, g_bytes_unref);
  g_clear_pointer (&json, g_free);
  before = heap_in_use ();
  dataset = cm_loader_load_file (file, NULL, &error);
  g_assert_no_error (error);
  after = heap_in_use ();
  bench_report ("model-bytes-per-event", (double) (after - before) / N_EVENTS, "bytes");
  bench_report ("model-memory-size-per-event",
                (double) cm_dataset_get_memory_size (dataset) / N_EVENTS, "bytes");
  bench_event_texts (dataset);
  g_object_unref (dataset);

  bench_report ("load-main-thread-max-block", measure_main_thread_block (file), "ms");
  /* The same measure with no load running: on a busy machine the
   * scheduler alone makes gaps of this size. */
  bench_report ("idle-main-thread-max-block", measure_main_thread_block (NULL), "ms");

  g_unlink (path);
}
