/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-import-window"

#include "config.h"

#include <adwaita.h>
#include <string.h>
#include <glib/gstdio.h>

#include "gui-support.h"
#include "cm-application.h"
#include "cm-event-item.h"
#include "cm-event-list.h"
#include "cm-loader.h"
#include "cm-save-as.h"
#include "cm-timeline-view.h"
#include "cm-window.h"

/* Imported files in a real window, as a user sees them: the toast that
 * says where the file came from, Save as Chronomap JSON, undated events
 * in the list and on the event page, and a GeoJSON feature's properties
 * under More Details. */

static CmApplication *app;
static char *tmpdir;

static char *
fixture_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "fixtures", "import", name, NULL);
}

static gboolean
timeout_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static CmWindow *
open_in_window (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  CmWindow *window = cm_window_new (app);
  gboolean timed_out = FALSE;
  guint id;

  gtk_window_present (GTK_WINDOW (window));
  cm_test_flush_main_context ();
  cm_window_open (window, file);

  id = g_timeout_add_seconds (30, timeout_cb, &timed_out);
  while (cm_window_is_loading (window) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (id);
  cm_test_run_main_loop_for (200);

  return window;
}

static void
collect_text (GtkWidget *widget,
              GString   *text)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget))
    {
      g_string_append (text, gtk_label_get_text (GTK_LABEL (widget)));
      g_string_append_c (text, '\n');
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_text (child, text);
}

/* What a user can read in @widget, one label a line. */
static char *
shown_text (GtkWidget *widget)
{
  GString *text = g_string_new (NULL);

  collect_text (widget, text);
  return g_string_free (text, FALSE);
}

static void
assert_shows (GtkWidget  *widget,
              const char *line)
{
  g_autofree char *text = shown_text (widget);
  g_autofree char *needle = g_strconcat ("\n", line, "\n", NULL);
  g_autofree char *haystack = g_strconcat ("\n", text, NULL);

  if (strstr (haystack, needle) == NULL)
    g_error ("“%s” is not shown; the text is:\n%s", line, text);
}

/* Toasts take their turn: waits until @part is shown (a substring). */
static void
wait_for_text (GtkWidget  *widget,
               const char *part)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (10, timeout_cb, &timed_out);

  for (;;)
    {
      g_autofree char *text = shown_text (widget);

      if (strstr (text, part) != NULL)
        break;
      if (timed_out)
        g_error ("“%s” is never shown; the text is:\n%s", part, text);
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (id);
}

static void
test_toast_and_save_as (void)
{
  g_autofree char *path = fixture_path ("usgs-earthquakes.geojson");
  g_autofree char *target = g_build_filename (tmpdir, "quakes.json", NULL);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GFile) target_file = g_file_new_for_path (target);
  g_autoptr(CmDataset) saved = NULL;
  g_autoptr(GError) error = NULL;
  AdwToastOverlay *overlay;
  CmWindow *window;
  CmDataset *dataset;
  gboolean timed_out = FALSE;
  guint id;

  g_assert_true (g_file_get_contents (path, &before, NULL, NULL));
  window = open_in_window (path);
  dataset = cm_session_get_dataset (cm_window_get_session (window));
  g_assert_cmpstr (cm_dataset_get_format (dataset), ==, "GeoJSON");
  overlay = ADW_TOAST_OVERLAY (cm_test_window_child (window, "toast_overlay"));

  /* The toast says where the file came from and offers to keep it. */
  assert_shows (GTK_WIDGET (overlay), "Imported from GeoJSON");

  /* Save as, with the file already chosen (the chooser is the portal's). */
  cm_save_as_write (dataset, target_file, overlay);
  id = g_timeout_add_seconds (30, timeout_cb, &timed_out);
  while (!g_file_test (target, G_FILE_TEST_EXISTS) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (id);
  wait_for_text (GTK_WIDGET (overlay), "Saved as “quakes.json”");

  saved = cm_loader_load_file (target_file, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (cm_dataset_get_format (saved));
  g_assert_cmpuint (cm_dataset_get_n_events (saved), ==, cm_dataset_get_n_events (dataset));

  /* Over the opened file: refused with a toast, the file unchanged. */
  cm_save_as_write (dataset, cm_dataset_get_file (dataset), overlay);
  wait_for_text (GTK_WIDGET (overlay), "is the file that was opened: choose another name");
  g_assert_true (g_file_get_contents (path, &after, NULL, NULL));
  g_assert_cmpstr (after, ==, before);

  g_unlink (target);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_geojson_properties (void)
{
  g_autofree char *path = fixture_path ("usgs-earthquakes.geojson");
  CmWindow *window = open_in_window (path);
  CmSession *session = cm_window_get_session (window);
  GtkWidget *details = cm_test_window_child (window, "details_panel");

  cm_session_select (session, CM_SELECTION_EVENT, 1);
  cm_test_run_main_loop_for (300);

  assert_shows (details, "M 6.2 - 12 km NNE of Volcano, Hawaii");
  assert_shows (details, "2 December 2024, 13:02:03 UTC");
  assert_shows (details, "More Details");
  assert_shows (details, "mag");
  assert_shows (details, "6.2");
  assert_shows (details, "magType");

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_storymap_undated (void)
{
  g_autofree char *path = fixture_path ("storymap.json");
  CmWindow *window = open_in_window (path);
  CmSession *session = cm_window_get_session (window);
  CmDataset *dataset = cm_session_get_dataset (session);
  CmTimelineView *timeline = CM_TIMELINE_VIEW (cm_test_window_child (window, "timeline_view"));
  GtkWidget *details = cm_test_window_child (window, "details_panel");
  GtkWidget *list = cm_test_window_child (window, "event_list");
  guint n_visible, n_drawn, n_badges, n_lanes;

  assert_shows (cm_test_window_child (window, "toast_overlay"), "Imported from StoryMapJS");

  /* The timeline places the four dated slides only. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.zoom-fit", NULL));
  cm_test_run_main_loop_for (300);
  cm_timeline_layout_get_counts (cm_timeline_view_get_layout (timeline),
                                 &n_visible, &n_drawn, &n_badges);
  g_assert_cmpuint (n_visible, ==, 4);
  cm_timeline_layout_get_event_lanes (cm_timeline_view_get_layout (timeline), 2, &n_lanes);
  g_assert_cmpuint (n_lanes, ==, 0);

  /* The list shows them last, as "Undated". */
  adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (cm_test_window_child (window, "view_stack")),
                                         "list");
  cm_test_run_main_loop_for (500);
  assert_shows (list, "Undated");
  assert_shows (list, "Great Falls portage");

  /* The event page says "Undated" and shows the slide's words as written. */
  cm_session_select (session, CM_SELECTION_EVENT, 2);
  cm_test_run_main_loop_for (300);
  g_assert_true (cm_dataset_get_event (dataset, 2)->undated);
  assert_shows (details, "Great Falls portage");
  assert_shows (details, "Undated");
  assert_shows (details, "Summer, on the river");

  gtk_window_destroy (GTK_WINDOW (window));
}

/* A story without a single date opens on the list, not on an empty
 * timeline with a made-up range. */
static void
test_storymap_all_undated (void)
{
  g_autofree char *path = fixture_path ("storymap-undated.json");
  CmWindow *window = open_in_window (path);
  AdwViewStack *stack = ADW_VIEW_STACK (cm_test_window_child (window, "view_stack"));

  g_assert_cmpuint (cm_dataset_get_n_dated_events (
                      cm_session_get_dataset (cm_window_get_session (window))), ==, 0);
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (stack), ==, "list");
  cm_test_run_main_loop_for (500);
  assert_shows (cm_test_window_child (window, "event_list"), "Montmartre");
  assert_shows (cm_test_window_child (window, "event_list"), "Undated");

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  /* GTK and libadwaita start with the application, on the private bus
   * below, as in test-window.c: started before it (gtk_test_init,
   * adw_init), libadwaita talked to the outer session bus, and on Debian
   * sid's GNOME `meson test` then waited out its timeout after the last
   * test passed. */
  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("chronomap-import-window-XXXXXX", &error);
  g_assert_no_error (error);

  app = cm_test_app_start ();

  g_test_add_func ("/import-window/toast-and-save-as", test_toast_and_save_as);
  g_test_add_func ("/import-window/geojson-properties", test_geojson_properties);
  g_test_add_func ("/import-window/storymap-undated", test_storymap_undated);
  g_test_add_func ("/import-window/storymap-all-undated", test_storymap_all_undated);

  status = g_test_run ();

  g_clear_pointer (&app, cm_test_app_stop);
  g_rmdir (tmpdir);
  g_free (tmpdir);

  return status;
}
