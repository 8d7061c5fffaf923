/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-bench"

#include "config.h"

#include "bench.h"
#include "cm-filter.h"
#include "cm-search-index.h"
#include "cm-loader.h"
#include "generator.h"

/* Filtering and searching 100k events: what one click on a check box or
 * one key typed in the search entry costs before the views can redraw. */

#define N_EVENTS 100000
#define N_RUNS 21

static CmDataset *
load_dataset (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  CmDataset *dataset;
  char *json;
  gsize length;

  json = cm_generator_json (N_EVENTS, 2000, 5000, 40, 1, &length);
  bytes = g_bytes_new_take (json, length);
  dataset = cm_loader_load_bytes (bytes, "bench.json", NULL, &error);
  g_assert_no_error (error);

  return dataset;
}

static void
report (const char *what,
        const char *size,
        double      value,
        const char *unit)
{
  g_autofree char *name = g_strdup_printf ("%s-%s", what, size);

  bench_report (name, value, unit);
}

/* One facet change, then the visible set: a group toggled on and off. */
static void
bench_facet_change (CmFilter   *filter,
                    const char *size)
{
  double samples[N_RUNS];
  guint n_visible;

  for (guint i = 0; i < N_RUNS; i++)
    {
      double start = bench_now_ms ();

      cm_filter_set_value (filter, CM_FACET_GROUP, i % 40, i % 2 == 0);
      cm_filter_get_visible (filter, &n_visible);
      samples[i] = bench_now_ms () - start;
    }
  cm_filter_clear (filter);

  report ("filter", size, bench_median (samples, N_RUNS), "ms");
}

/* What the filter panel recomputes after each change: the counts of all
 * four facets, here with one group chosen. */
static void
bench_facet_counts (CmFilter   *filter,
                    const char *size)
{
  double samples[N_RUNS];
  g_autofree guint *counts = NULL;
  guint max = 0;

  for (guint f = 0; f < CM_N_FACETS; f++)
    max = MAX (max, cm_filter_get_n_values (filter, f));
  counts = g_new (guint, max);

  cm_filter_set_value (filter, CM_FACET_GROUP, 3, TRUE);
  for (guint i = 0; i < N_RUNS; i++)
    {
      double start;

      /* A change each run, so the counts are really recomputed. */
      cm_filter_set_value (filter, CM_FACET_GROUP, 5, i % 2 == 0);
      start = bench_now_ms ();

      for (guint f = 0; f < CM_N_FACETS; f++)
        cm_filter_get_counts (filter, f, counts);
      samples[i] = bench_now_ms () - start;
    }
  cm_filter_clear (filter);

  report ("facet-counts", size, bench_median (samples, N_RUNS), "ms");
}

/* Typing: each step is the query one more letter long, as search-changed
 * delivers it, alternating with the next word so that every run changes
 * the query. The text index is built in the background from the filter's
 * creation: measured apart on a new filter, and as the first search of
 * one that has existed for a while, which is what a user meets. */
static void
bench_search (CmFilter   *filter,
              const char *size)
{
  static const char *const queries[] = {
    "talk", "talks", "minister", "summit", "agree", "sanction", "visit", "meet",
  };
  CmDataset *dataset = cm_filter_get_dataset (filter);
  g_autofree char *cpu_name = g_strdup_printf ("search-index-%s-cpu", size);
  double samples[N_RUNS];
  double start, start_cpu, elapsed, elapsed_cpu;
  gsize bytes;
  guint n_visible;

  /* The index alone, as its worker builds it (on a core each part: the
   * CPU time is of all of them). */
  start = bench_now_ms ();
  start_cpu = bench_cpu_ms (CLOCK_PROCESS_CPUTIME_ID);
  {
    g_autoptr(CmSearchIndex) index = cm_search_index_build (dataset, NULL);

    elapsed = bench_now_ms () - start;
    elapsed_cpu = bench_cpu_ms (CLOCK_PROCESS_CPUTIME_ID) - start_cpu;
    bytes = cm_search_index_get_size (index);
  }
  report ("search-index", size, elapsed, "ms");
  bench_report (cpu_name, elapsed_cpu, "ms");
  report ("search-index-bytes-per-event", size,
          (double) bytes / MAX (cm_dataset_get_n_events (dataset), 1), "B");

  /* The shared one, in the background; the first search once it is in. */
  cm_filter_prepare_search (filter);
  while (cm_search_index_peek (dataset) == NULL)
    g_main_context_iteration (NULL, TRUE);

  start = bench_now_ms ();
  cm_filter_set_search (filter, "a");
  cm_filter_get_visible (filter, &n_visible);
  report ("search-first", size, bench_now_ms () - start, "ms");

  for (guint i = 0; i < N_RUNS; i++)
    {
      start = bench_now_ms ();
      cm_filter_set_search (filter, queries[i % G_N_ELEMENTS (queries)]);
      cm_filter_get_visible (filter, &n_visible);
      samples[i] = bench_now_ms () - start;
    }
  cm_filter_clear (filter);

  report ("search", size, bench_median (samples, N_RUNS), "ms");
}

void
bench_filter_dataset (CmDataset  *dataset,
                      const char *size)
{
  g_autoptr(CmFilter) filter = cm_filter_new (dataset);

  bench_facet_change (filter, size);
  bench_search (filter, size);
  bench_facet_counts (filter, size);
  bench_map_dataset (dataset, size);
}

void
bench_filter (void)
{
  g_autoptr(CmDataset) dataset = load_dataset ();

  bench_filter_dataset (dataset, "100k");
}
