/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-bench"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "bench.h"

/* Benchmarks of each capability, defined in bench-*.c. */
typedef void (*BenchFunc) (void);

/* Groups marked opt_in run only when named, or with --large. */
static const struct
{
  const char *name;
  BenchFunc   func;
  gboolean    opt_in;
} benches[] = {
  { "load", bench_load },
  { "filter", bench_filter },
  { "filter-panel", bench_filter_panel },
  { "hostile", bench_hostile },
  { "export", bench_export },
  { "map", bench_map },
  { "timeline", bench_timeline },
  { "import", bench_import },
  { "large", bench_large, TRUE },
  { "large-10m", bench_large_10m, TRUE },
  { NULL, NULL },
};

void
bench_report (const char *name,
              double      value,
              const char *unit)
{
  g_print ("bench: %s: %.3f %s\n", name, value, unit);
}

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : (x > y ? 1 : 0);
}

double
bench_median (double *samples,
              guint   n)
{
  g_assert (n > 0);
  qsort (samples, n, sizeof (double), compare_doubles);
  return n % 2 ? samples[n / 2] : (samples[n / 2 - 1] + samples[n / 2]) / 2;
}

double
bench_p95 (double *samples,
           guint   n)
{
  g_assert (n > 0);
  qsort (samples, n, sizeof (double), compare_doubles);
  return samples[MIN (n - 1, (guint) (0.95 * n))];
}

double
bench_now_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

double
bench_cpu_ms (clockid_t clock)
{
  struct timespec ts;

  clock_gettime (clock, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static gboolean
wake_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

double
bench_main_loop_max_gap (const gboolean *done)
{
  guint tick = g_timeout_add (1, wake_cb, NULL);
  double last = bench_now_ms (), max_gap = 0;

  while (!*done)
    {
      double now;

      g_main_context_iteration (NULL, TRUE);
      now = bench_now_ms ();
      max_gap = MAX (max_gap, now - last);
      last = now;
    }
  g_source_remove (tick);

  return max_gap;
}

/* A large group reads the app's resident memory against an empty
 * window's, and keeps the windows' state apart from the user's: it runs
 * in a process of its own, which has held no dataset and read no
 * state before. */
static void
run_in_child (const char *name)
{
  const char *child_argv[] = { "/proc/self/exe", name, NULL };
  g_autoptr(GError) error = NULL;
  int status;

  fflush (stdout);
  if (!g_spawn_sync (NULL, (char **) child_argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL,
                     &status, &error)
      || !g_spawn_check_wait_status (status, &error))
    g_error ("bench %s: %s", name, error->message);
}

int
main (int   argc,
      char *argv[])
{
  gboolean large = FALSE, named = FALSE;
  guint n_wanted = 0;

  for (int j = 1; j < argc; j++)
    {
      if (g_str_equal (argv[j], "--large"))
        large = TRUE;
      else
        named = TRUE;
    }

  /* "bench NAME..." runs only the named groups; "bench --large" every
   * group, the 1M and 10M ones included. */
  for (guint i = 0; benches[i].name != NULL; i++)
    {
      gboolean wanted = !named && (!benches[i].opt_in || large);

      for (int j = 1; j < argc; j++)
        wanted |= g_str_equal (argv[j], benches[i].name);
      if (!wanted)
        continue;
      /* Whatever ran before (GTK, other groups' datasets) would count
       * against a large group's memory figures. */
      if (benches[i].opt_in && n_wanted > 0)
        run_in_child (benches[i].name);
      else
        benches[i].func ();
      n_wanted++;
    }

  return EXIT_SUCCESS;
}
