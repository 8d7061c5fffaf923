/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-bench"

#include "config.h"

#include "bench.h"
#include "cm-loader.h"
#include "hostile.h"

/* About the size of the 100k-event file: big enough that fixed costs
 * vanish and anything worse than linear shows. */
#define HOSTILE_SIZE (50 * 1024 * 1024)
#define N_RUNS 2

static double
validate_ms (GString *text)
{
  double best = G_MAXDOUBLE;

  for (guint run = 0; run < N_RUNS; run++)
    {
      g_autoptr(GBytes) bytes = g_bytes_new_static (text->str, text->len);
      g_autoptr(GError) error = NULL;
      g_autoptr(CmDataset) dataset = NULL;
      double start = bench_now_ms ();

      dataset = cm_loader_load_bytes (bytes, "hostile.json", NULL, &error);
      best = MIN (best, bench_now_ms () - start);
    }

  return best;
}

/* Each hostile case's validation time over a plain file's of the same
 * size; the slowest case is the figure (tests/fixtures/hostile/). */
void
bench_hostile (void)
{
  double worst = 0;
  const char *worst_name = NULL;

  for (guint i = 0; i < HOSTILE_N_CASES; i++)
    {
      g_autoptr(GString) text = hostile_generate (i, HOSTILE_SIZE);
      double hostile = validate_ms (text);
      g_autoptr(GString) plain = NULL;
      double ratio;

      g_string_free (g_steal_pointer (&text), TRUE);
      plain = hostile_plain (HOSTILE_SIZE);
      ratio = hostile / MAX (validate_ms (plain), 0.001);
      g_print ("# %s: %.0f ms, %.2fx a plain file\n", hostile_case_name (i), hostile, ratio);
      if (ratio > worst)
        {
          worst = ratio;
          worst_name = hostile_case_name (i);
        }
    }

  g_print ("# slowest: %s\n", worst_name);
  bench_report ("validate-hostile-ratio", worst, "x");
}
