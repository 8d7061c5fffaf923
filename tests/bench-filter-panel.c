/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-bench"

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "bench.h"
#include "cm-filter-panel.h"
#include "cm-loader.h"
#include "generator.h"

/* The Filters popover's first opening: the longest the main thread is
 * busy in one main-loop iteration (CPU time, steady on a loaded machine)
 * from the click to the popover drawn with its counts. */

/* With CM_BENCH_VERBOSE, the longest render of each surface (CPU ms):
 * the popover's own, and its window's, which the same frame clock draws
 * in the same iteration when anything in it changed. */
static struct
{
  GdkSurface *popover;
  GdkSurface *open;     /* the surface whose render started last */
  double      start;
  double      longest[2];
} renders;

static void
close_render (void)
{
  if (renders.open != NULL)
    {
      guint i = renders.open == renders.popover;
      double spent = bench_cpu_ms (CLOCK_THREAD_CPUTIME_ID) - renders.start;

      renders.longest[i] = MAX (renders.longest[i], spent);
      renders.open = NULL;
    }
}

static gboolean
render_hook (GSignalInvocationHint *hint,
             guint                  n_values,
             const GValue          *values,
             gpointer               data)
{
  close_render ();
  renders.open = g_value_get_object (&values[0]);
  renders.start = bench_cpu_ms (CLOCK_THREAD_CPUTIME_ID);
  return TRUE;
}

static void
after_paint_cb (GdkFrameClock *clock,
                guint         *n_frames)
{
  close_render ();
  (*n_frames)++;
}

static gboolean
wake_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* Iterates until @done (or @ms have gone when @done is NULL); returns the
 * longest iteration in CPU time and adds up the CPU in *total. */
static double
run_until (gboolean (*done) (gpointer), gpointer data, double ms, double *total)
{
  guint tick = g_timeout_add (1, wake_cb, NULL);
  double end = bench_now_ms () + ms, max_block = 0;

  while (done ? !done (data) : bench_now_ms () < end)
    {
      double start = bench_cpu_ms (CLOCK_THREAD_CPUTIME_ID), spent;

      g_main_context_iteration (NULL, TRUE);
      spent = bench_cpu_ms (CLOCK_THREAD_CPUTIME_ID) - start;
      max_block = MAX (max_block, spent);
      *total += spent;
    }
  g_source_remove (tick);
  return max_block;
}

typedef struct
{
  GtkWidget *panel;
  GtkWidget *popover;
  guint      n_frames;
  gulong     handler;
} Opening;

static gboolean
opened (gpointer data)
{
  Opening *o = data;
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (o->popover));

  if (surface != NULL && o->handler == 0)
    o->handler = g_signal_connect (gdk_surface_get_frame_clock (surface), "after-paint",
                                   G_CALLBACK (after_paint_cb), &o->n_frames);
  return gtk_widget_get_mapped (o->panel) && o->n_frames > 0 &&
         !cm_filter_panel_is_counting (CM_FILTER_PANEL (o->panel));
}

static gboolean
mapped (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (data));
}

/* What the app's window shows before the popover (a search entry, check
 * boxes, boxed lists of rows): their styles and fonts are loaded by the
 * time a user opens Filters, and are not the popover's cost. */
static GtkWidget *
warm_widgets (void)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *list = gtk_list_box_new ();
  GtkWidget *row = adw_action_row_new ();

  gtk_box_append (GTK_BOX (box), gtk_search_entry_new ());
  gtk_box_append (GTK_BOX (box), gtk_entry_new ());
  gtk_box_append (GTK_BOX (box), gtk_check_button_new_with_label ("Events"));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), "Events");
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), gtk_check_button_new ());
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_list_box_append (GTK_LIST_BOX (list), row);
  gtk_box_append (GTK_BOX (box), list);
  return box;
}

double
bench_filter_popover_open (GtkMenuButton *button,
                           const char    *size)
{
  g_autofree char *name = g_strdup_printf ("filter-popover-open-%s-cpu", size);
  Opening o = { 0 };
  double total = 0, block, later;
  gulong hook;

  o.popover = GTK_WIDGET (gtk_menu_button_get_popover (button));
  o.panel = gtk_popover_get_child (GTK_POPOVER (o.popover));
  g_assert (CM_IS_FILTER_PANEL (o.panel));
  /* The window idle, as when a user reaches for the button: the rows
   * were built in idle callbacks meanwhile. */
  run_until (NULL, NULL, 1500, &total);

  total = 0;
  memset (&renders, 0, sizeof renders);
  hook = g_signal_add_emission_hook (g_signal_lookup ("render", GDK_TYPE_SURFACE), 0,
                                     render_hook, NULL, NULL);
  /* The click's own iteration: showing the popover measures it. */
  block = bench_cpu_ms (CLOCK_THREAD_CPUTIME_ID);
  gtk_menu_button_popup (button);
  block = bench_cpu_ms (CLOCK_THREAD_CPUTIME_ID) - block;
  total += block;
  renders.popover = gtk_native_get_surface (GTK_NATIVE (o.popover));
  /* (Not in MAX (): it would run the loop twice.) */
  later = run_until (opened, &o, 0, &total);
  block = MAX (block, later);
  /* Anything the opening left for later. */
  later = run_until (NULL, NULL, 300, &total);
  block = MAX (block, later);
  bench_report (name, block, "ms");
  g_signal_remove_emission_hook (g_signal_lookup ("render", GDK_TYPE_SURFACE), hook);
  if (g_getenv ("CM_BENCH_VERBOSE"))
    g_print ("  %s: %u frames, %.1f ms CPU in all; longest render %.1f ms of the popover, "
             "%.1f ms of its window\n",
             name, o.n_frames, total, renders.longest[1], renders.longest[0]);

  g_signal_handler_disconnect (gdk_surface_get_frame_clock (gtk_native_get_surface (GTK_NATIVE (o.popover))),
                               o.handler);
  gtk_popover_popdown (GTK_POPOVER (o.popover));
  run_until (NULL, NULL, 100, &total);

  return block;
}

/* A window with a header bar and the Filters button, as the app's. */
static void
bench_filter_panel_dataset (CmDataset  *dataset,
                            const char *size)
{
  g_autoptr(CmSession) session = cm_session_new ();
  GtkWidget *window, *button, *header, *panel, *popover;
  double total = 0;

  cm_session_set_dataset (session, dataset);
  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1600, 1000);
  header = gtk_header_bar_new ();
  button = gtk_menu_button_new ();
  gtk_menu_button_set_label (GTK_MENU_BUTTON (button), "Filters");
  panel = cm_filter_panel_new (session);
  popover = gtk_popover_new ();
  gtk_popover_set_child (GTK_POPOVER (popover), panel);
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (button), popover);
  gtk_header_bar_pack_start (GTK_HEADER_BAR (header), button);
  gtk_window_set_titlebar (GTK_WINDOW (window), header);
  gtk_window_set_child (GTK_WINDOW (window), warm_widgets ());
  gtk_window_present (GTK_WINDOW (window));
  run_until (mapped, button, 0, &total);
  cm_filter_panel_set_available_size (CM_FILTER_PANEL (panel), 1576, 890);

  bench_filter_popover_open (GTK_MENU_BUTTON (button), size);
  gtk_window_destroy (GTK_WINDOW (window));
  run_until (NULL, NULL, 100, &total);
}

void
bench_filter_panel (void)
{
  g_autofree char *path = g_build_filename (SOURCE_DATADIR, "samples", "riyadh-talks-2025.json",
                                            NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(CmDataset) sample = NULL;
  g_autoptr(CmDataset) dataset = NULL;
  char *json;
  gsize length;

  /* As the README's other figures: GL under Xvfb is llvmpipe. */
  g_setenv ("GSK_RENDERER", "cairo", FALSE);
  if (!gtk_init_check ())
    {
      g_print ("bench: skipped: filter-popover: no display\n");
      return;
    }
  adw_init ();

  sample = cm_loader_load_file (file, NULL, &error);
  g_assert_no_error (error);
  bench_filter_panel_dataset (sample, "sample");

  json = cm_generator_json (100000, 2000, 5000, 40, 1, &length);
  bytes = g_bytes_new_take (json, length);
  dataset = cm_loader_load_bytes (bytes, "bench.json", NULL, &error);
  g_assert_no_error (error);
  bench_filter_panel_dataset (dataset, "100k");
}
