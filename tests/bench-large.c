/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-bench"

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "cm-application.h"
#include "cm-loader.h"
#include "cm-session.h"
#include "cm-window.h"
#include "generator.h"

/* A million and ten million events (`build-aux/dev bench --large`): the
 * app's open path in a real window, its memory, and the frame, filter and
 * search figures at 1M beside the same figures at 100k in the same run.
 *
 * The 1M file is the load and filter benchmarks' 100k file with ten
 * times the events (2,000 actors, 5,000 places, 40 groups: a large
 * event database has many events per actor). The 10M file is lean (no
 * summaries, quotes or sources, as a conversion of such a database
 * would be; see cm_generator_write_file()), which keeps it under the
 * loader's 2 GiB. */

#define N_1M   1000000
#define N_10M  10000000
/* What the 10M run needs free: its peak was 5.2 GB for --validate, and
 * the window keeps the model, the search index and the views. */
#define NEEDED_10M (G_GUINT64_CONSTANT (12) << 30)

static gsize
resident_bytes (void)
{
  g_autofree char *statm = NULL;
  unsigned long size = 0, resident = 0;

  if (!g_file_get_contents ("/proc/self/statm", &statm, NULL, NULL) ||
      sscanf (statm, "%lu %lu", &size, &resident) != 2)
    return 0;

  return resident * sysconf (_SC_PAGESIZE);
}

/* A "Key:   N kB" line of a /proc file, in bytes; 0 if missing. */
static guint64
proc_kb (const char *path,
         const char *key)
{
  g_autofree char *text = NULL;
  const char *line;

  if (!g_file_get_contents (path, &text, NULL, NULL) || (line = strstr (text, key)) == NULL)
    return 0;

  return g_ascii_strtoull (line + strlen (key), NULL, 10) * 1024;
}

static guint64
available_bytes (void)
{
  return proc_kb ("/proc/meminfo", "MemAvailable:");
}

static char *
write_generated (guint     n_events,
                 gboolean  lean,
                 gsize    *length)
{
  g_autoptr(GError) error = NULL;
  char *path;
  int fd;

  fd = g_file_open_tmp ("chronomap-bench-large-XXXXXX.json", &path, &error);
  g_assert_no_error (error);
  close (fd);
  if (!cm_generator_write_file (path, n_events, 2000, 5000, 40, 1, lean, length, &error))
    g_error ("cannot write %s: %s", path, error->message);

  return path;
}


/* Opening in a real window */

static gboolean
set_flag_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;

  return G_SOURCE_REMOVE;
}

static void
after_paint_cb (GdkFrameClock *clock,
                gpointer       user_data)
{
  *(gboolean *) user_data = TRUE;
}

static gboolean
tick_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* Runs the main loop, woken every millisecond, until @window has its
 * file on show with everything built (cm_window_is_busy(): loaded, the
 * timeline's lanes arranged, the search index built), a frame has been
 * painted after that, and a low-priority idle runs: nothing is left to do.
 * Returns the time that took; *max_gap the longest the main thread went
 * between two iterations. */
static double
run_until_idle (CmWindow *window,
                double    start,
                double   *max_gap,
                double   *max_gap_cpu)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  CmSession *session = cm_window_get_session (window);
  guint tick = g_timeout_add (1, tick_cb, NULL);
  gboolean ready = FALSE, painted = FALSE, idle = FALSE;
  gulong handler = 0;
  double last = bench_now_ms (), last_cpu = bench_cpu_ms (CLOCK_THREAD_CPUTIME_ID);

  *max_gap = *max_gap_cpu = 0;
  while (!idle)
    {
      double now, now_cpu;

      g_main_context_iteration (NULL, TRUE);
      now = bench_now_ms ();
      now_cpu = bench_cpu_ms (CLOCK_THREAD_CPUTIME_ID);
      *max_gap = MAX (*max_gap, now - last);
      *max_gap_cpu = MAX (*max_gap_cpu, now_cpu - last_cpu);
      last = now;
      last_cpu = now_cpu;

      if (!ready && !cm_window_is_busy (window) && cm_session_get_dataset (session) != NULL)
        {
          ready = TRUE;
          handler = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &painted);
          gtk_widget_queue_draw (GTK_WIDGET (window));
        }
      if (painted && handler != 0)
        {
          g_clear_signal_handler (&handler, clock);
          g_idle_add_full (G_PRIORITY_LOW, set_flag_cb, &idle, NULL);
        }
    }
  g_source_remove (tick);

  return bench_now_ms () - start;
}

static void
flush_main_context (void)
{
  gboolean done = FALSE;

  /* Long enough for the first frames and any startup work. */
  g_timeout_add (500, set_flag_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

/* From cm_window_open() to idle with everything built, the longest
 * main-thread block on the way, and what the open file holds resident
 * beyond the empty window's. */
static void
bench_open (CmApplication *app,
            const char    *path,
            const char    *size,
            guint          n_events)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *name = NULL;
  CmWindow *window = cm_window_new (app);
  gsize empty, opened;
  double start, start_cpu, elapsed, max_gap, max_gap_cpu;

  gtk_window_set_default_size (GTK_WINDOW (window), 1920, 1080);
  gtk_window_present (GTK_WINDOW (window));
  flush_main_context ();
  empty = resident_bytes ();

  start = bench_now_ms ();
  start_cpu = bench_cpu_ms (CLOCK_PROCESS_CPUTIME_ID);
  cm_window_open (window, file);
  elapsed = run_until_idle (window, start, &max_gap, &max_gap_cpu);
  opened = resident_bytes ();
  g_assert_cmpstr (cm_window_get_page (window), ==, "dataset");
  g_assert_cmpuint (cm_dataset_get_n_events (cm_session_get_dataset (cm_window_get_session (window))),
                    ==, n_events);

  name = g_strdup_printf ("open-to-idle-%s", size);
  bench_report (name, elapsed, "ms");
  g_free (name);
  name = g_strdup_printf ("open-to-idle-%s-cpu", size);
  bench_report (name, bench_cpu_ms (CLOCK_PROCESS_CPUTIME_ID) - start_cpu, "ms");
  g_free (name);
  name = g_strdup_printf ("open-main-thread-max-block-%s", size);
  bench_report (name, max_gap, "ms");
  g_free (name);
  /* The main thread's own CPU time in its longest stretch between two
   * iterations: the work it did, whatever else the machine ran. */
  name = g_strdup_printf ("open-main-thread-max-block-%s-cpu", size);
  bench_report (name, max_gap_cpu, "ms");
  g_free (name);
  name = g_strdup_printf ("app-bytes-per-event-%s", size);
  bench_report (name, ((double) opened - empty) / n_events, "bytes");
  bench_filter_popover_open (GTK_MENU_BUTTON (gtk_widget_get_template_child (GTK_WIDGET (window),
                                                                            CM_TYPE_WINDOW,
                                                                            "filter_button")),
                             size);

  gtk_window_destroy (GTK_WINDOW (window));
  flush_main_context ();
}

static CmApplication *
create_app (void)
{
  g_autoptr(GError) error = NULL;
  CmApplication *app = cm_application_new ();

  g_application_set_flags (G_APPLICATION (app),
                           g_application_get_flags (G_APPLICATION (app)) | G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  g_application_hold (G_APPLICATION (app));

  return app;
}


static CmDataset *
load_timed (const char *path,
            const char *figure)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autofree char *cpu_figure = g_strdup_printf ("%s-cpu", figure);
  double start = bench_now_ms (), start_cpu = bench_cpu_ms (CLOCK_PROCESS_CPUTIME_ID);
  CmDataset *dataset = cm_loader_load_file (file, NULL, &error);

  g_assert_no_error (error);
  bench_report (figure, bench_now_ms () - start, "ms");
  bench_report (cpu_figure, bench_cpu_ms (CLOCK_PROCESS_CPUTIME_ID) - start_cpu, "ms");

  return dataset;
}

static char *state_dir;

static void
remove_state_dir (void)
{
  g_autofree char *recent = g_build_filename (state_dir, "recently-used.xbel", NULL);
  g_autofree char *state = g_build_filename (state_dir, "chronomap", NULL);
  g_autofree char *views = g_build_filename (state, "views.ini", NULL);

  g_unlink (recent);
  g_unlink (views);
  g_rmdir (state);
  g_rmdir (state_dir);
}

/* One app for both groups (a process can register only one), its
 * windows' state (recent files, views.ini, settings) apart from the
 * user's, drawn with the cairo renderer as the README's other figures
 * (GL under Xvfb is llvmpipe, which takes both cores). */
static CmApplication *
get_app (void)
{
  static CmApplication *app;

  if (app != NULL || !gtk_init_check ())
    return app;

  state_dir = g_dir_make_tmp ("chronomap-bench-XXXXXX", NULL);
  g_setenv ("XDG_STATE_HOME", state_dir, TRUE);
  g_setenv ("XDG_DATA_HOME", state_dir, TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("GSK_RENDERER", "cairo", FALSE);
  /* The name the recent files are filed under, as the app's own run
   * gives it. */
  g_set_prgname ("chronomap");
  atexit (remove_state_dir);
  app = create_app ();

  return app;
}

void
bench_large_10m (void)
{
  g_autofree char *path = NULL;
  guint64 available = available_bytes ();
  CmApplication *app;
  gsize length;

  if (available < NEEDED_10M)
    {
      g_print ("bench: skipped: validate-10m, open-to-idle-10m: %.1f GB free, %.0f GB needed\n",
               available / 1e9, NEEDED_10M / 1e9);
      return;
    }

  if ((app = get_app ()) == NULL)
    {
      g_print ("bench: skipped: large-10m: no display\n");
      return;
    }

  path = write_generated (N_10M, TRUE, &length);
  bench_report ("load-file-size-10m", length / 1e6, "MB");
  /* The window first, in a process that has held no dataset yet. */
  bench_open (app, path, "10m", N_10M);
  g_object_unref (load_timed (path, "validate-10m"));
  bench_report ("peak-resident-10m", proc_kb ("/proc/self/status", "VmHWM:") / 1e9, "GB");
  g_unlink (path);
}

void
bench_large (void)
{
  g_autoptr(CmDataset) dataset = NULL;
  g_autofree char *path = NULL;
  CmApplication *app;
  double frame_1m, frame_100k;
  gsize length;

  if ((app = get_app ()) == NULL)
    {
      g_print ("bench: skipped: large: no display\n");
      return;
    }

  path = write_generated (N_1M, FALSE, &length);
  bench_report ("load-file-size-1m", length / 1e6, "MB");

  /* First, in a process that has held no dataset yet. */
  bench_open (app, path, "1m", N_1M);

  dataset = load_timed (path, "load-1m");
  bench_filter_dataset (dataset, "1m");
  frame_1m = bench_timeline_dataset (dataset, "1m", TRUE);
  g_clear_object (&dataset);
  g_unlink (path);
  g_free (path);

  /* The reference: the same generator and proportions at 100k. */
  path = write_generated (N_1M / 10, FALSE, &length);
  dataset = load_timed (path, "load-100k-of-large");
  frame_100k = bench_timeline_dataset (dataset, "100k-of-large", TRUE);
  bench_report ("timeline-frame-ratio-1m-100k", frame_1m / frame_100k, "x");
  g_clear_object (&dataset);
  g_unlink (path);
}
