/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-window"

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "gui-support.h"
#include "cm-application.h"
#include "cm-details-panel.h"
#include "cm-event-item.h"
#include "cm-color-swatch.h"
#include "cm-event-list.h"
#include "cm-event-model.h"
#include "cm-loader.h"
#include "cm-filter-panel.h"
#include "cm-timeline-layout.h"
#include "cm-map-view.h"
#include "cm-place-layer.h"
#include "cm-reload-banner.h"
#include "cm-search-index.h"
#include "cm-timeline-view.h"
#include "cm-session-state.h"
#include "cm-window.h"
#include "generator.h"

/* Three problems, each on its own line. */
static const char broken_json[] =
  "{\"chronomap\": 1, \"title\": \"Broken\", \"actors\": [], \"places\": [],\n"
  " \"events\": [\n"
  "   {\"id\": \"a\", \"title\": \"A\", \"start\": \"2025-13-01\"},\n"
  "   {\"id\": \"b\", \"title\": \"B\", \"start\": \"2025-02-18\", \"actors\": [\"nobody\"]},\n"
  "   {\"id\": \"c\", \"title\": \"C\", \"start\": \"2025-02-30\"}\n"
  " ]}\n";

static CmApplication *app;
static char *tmpdir;

static char *
sample_path (void)
{
  return g_test_build_filename (G_TEST_DIST, "..", "data", "samples",
                                "riyadh-talks-2025.json", NULL);
}

static gboolean
skip_without_sample (void)
{
  g_autofree char *path = sample_path ();

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("the sample file is missing");
      return TRUE;
    }

  return FALSE;
}

static char *
write_broken_file (const char *name)
{
  char *path = g_build_filename (tmpdir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, broken_json, -1, &error);
  g_assert_no_error (error);

  return path;
}

static gboolean
timeout_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;

  return G_SOURCE_REMOVE;
}

static void
wait_for_load (CmWindow *window)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (30, timeout_cb, &timed_out);

  while (cm_window_is_loading (window) && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  g_assert_false (timed_out);
  g_source_remove (id);
  cm_test_flush_main_context ();
}

static CmWindow *
create_window (void)
{
  CmWindow *window = cm_window_new (app);

  gtk_window_present (GTK_WINDOW (window));
  cm_test_flush_main_context ();

  return window;
}

static void
open_path (CmWindow   *window,
           const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);

  cm_window_open (window, file);
  g_assert_true (cm_window_is_loading (window));
  wait_for_load (window);
}

/* The timeline is the first view: switch to the list, as a user clicking
 * its tab would, and let it map. */
static GtkColumnView *
window_column_view (CmWindow *window)
{
  GtkColumnView *column_view =
    cm_event_list_get_column_view (CM_EVENT_LIST (cm_test_window_child (window, "event_list")));
  gboolean timed_out = FALSE;
  guint id;

  adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (cm_test_window_child (window, "view_stack")),
                                         "list");
  id = g_timeout_add_seconds (10, timeout_cb, &timed_out);
  while (!gtk_widget_get_mapped (GTK_WIDGET (column_view)) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (id);

  return column_view;
}

/* The column view's own list: what key presses and clicks act on. */
static GtkWidget *
inner_list_view (GtkColumnView *column_view)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (column_view));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_VIEW (child))
      return child;

  g_assert_not_reached ();
}

static guint
event_at (GtkColumnView *column_view,
          guint          position)
{
  g_autoptr(CmEventItem) item = g_list_model_get_item (G_LIST_MODEL (gtk_column_view_get_model (column_view)),
                                                        position);

  g_assert_nonnull (item);

  return cm_event_item_get_index (item);
}

static void
collect_text (GtkWidget *widget,
              GString   *text)
{
  if (GTK_IS_LABEL (widget))
    {
      g_string_append (text, gtk_label_get_text (GTK_LABEL (widget)));
      g_string_append_c (text, '\n');
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_text (child, text);
}

static GPtrArray *
problem_rows (CmWindow *window)
{
  GtkListBox *list = GTK_LIST_BOX (cm_test_window_child (window, "problem_list"));
  GPtrArray *rows = g_ptr_array_new_with_free_func (g_free);
  GtkListBoxRow *row;

  for (guint i = 0; (row = gtk_list_box_get_row_at_index (list, i)) != NULL; i++)
    {
      GString *text = g_string_new (NULL);

      collect_text (GTK_WIDGET (row), text);
      g_ptr_array_add (rows, g_string_free (text, FALSE));
    }

  return rows;
}

static void
test_empty_state (void)
{
  CmWindow *window = create_window ();

  g_assert_cmpstr (cm_window_get_page (window), ==, "empty");
  g_assert_true (cm_window_is_empty (window));
  g_assert_null (cm_session_get_dataset (cm_window_get_session (window)));
  g_assert_true (gtk_widget_get_mapped (cm_test_window_child (window, "empty_page")));
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (cm_test_window_child (window, "empty_page"))),
                   ==, "Open a Timeline");
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Chronomap");

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_open_sample (void)
{
  g_autofree char *path = NULL;
  CmWindow *window;
  CmDataset *dataset;
  GtkColumnView *column_view;
  GListModel *model;
  const CmEvent *first;

  if (skip_without_sample ())
    return;

  path = sample_path ();
  window = create_window ();
  open_path (window, path);

  g_assert_cmpstr (cm_window_get_page (window), ==, "dataset");
  g_assert_false (cm_window_is_empty (window));
  dataset = cm_session_get_dataset (cm_window_get_session (window));
  g_assert_nonnull (dataset);
  g_assert_cmpuint (cm_dataset_get_n_events (dataset), >, 1);

  /* The cairo renderer (as here) switches pages at once: its crossfade
   * paints the whole window offscreen at every frame, tens of ms each at
   * a million events. Other renderers keep the fade. */
  g_assert_true (GSK_IS_CAIRO_RENDERER (gtk_native_get_renderer (GTK_NATIVE (window))));
  g_assert_cmpint (gtk_stack_get_transition_type (GTK_STACK (cm_test_window_child (window, "main_stack"))),
                   ==, GTK_STACK_TRANSITION_TYPE_NONE);
  g_assert_false (gtk_stack_get_transition_running (GTK_STACK (cm_test_window_child (window, "main_stack"))));
  g_assert_false (gtk_widget_get_mapped (cm_test_window_child (window, "empty_page")));

  /* The window title follows the dataset; the file name is the subtitle. */
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, cm_dataset_get_title (dataset));
  g_assert_cmpstr (adw_window_title_get_title (ADW_WINDOW_TITLE (cm_test_window_child (window, "window_title"))),
                   ==, cm_dataset_get_title (dataset));
  g_assert_cmpstr (adw_window_title_get_subtitle (ADW_WINDOW_TITLE (cm_test_window_child (window, "window_title"))),
                   ==, "riyadh-talks-2025.json");

  /* Every event is listed, earliest first. */
  column_view = window_column_view (window);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (column_view)));
  model = G_LIST_MODEL (gtk_column_view_get_model (column_view));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, cm_dataset_get_n_events (dataset));
  g_assert_cmpuint (event_at (column_view, 0), ==, cm_dataset_get_time_order (dataset)[0]);
  first = cm_dataset_get_event (dataset, event_at (column_view, 0));
  for (guint i = 0; i < cm_dataset_get_n_events (dataset); i++)
    g_assert_cmpint (first->start.seconds, <=, cm_dataset_get_event (dataset, i)->start.seconds);
  for (guint i = 1; i < g_list_model_get_n_items (model); i++)
    g_assert_cmpint (cm_dataset_get_event (dataset, event_at (column_view, i - 1))->start.seconds,
                     <=, cm_dataset_get_event (dataset, event_at (column_view, i))->start.seconds);

  gtk_window_destroy (GTK_WINDOW (window));
}

typedef struct
{
  guint position, removed, added;
} Change;

static void
record_change_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Change     *change)
{
  *change = (Change) { position, removed, added };
}

/* The list's model shows only the first N rows of its order when told,
 * and says which rows came or went. */
static void
test_event_model_limit (void)
{
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CmDataset) dataset = NULL;
  g_autoptr(CmEventModel) model = cm_event_model_new ();
  const guint32 *time_order;
  guint32 *order;
  Change change = { 0 };
  guint n;

  if (skip_without_sample ())
    return;
  path = sample_path ();
  file = g_file_new_for_path (path);
  dataset = cm_loader_load_file (file, NULL, &error);
  g_assert_no_error (error);
  n = cm_dataset_get_n_events (dataset);
  g_assert_cmpuint (n, >, 10);
  time_order = cm_dataset_get_time_order (dataset);
  g_signal_connect (model, "items-changed", G_CALLBACK (record_change_cb), &change);

  cm_event_model_set_limit (model, 5);
  cm_event_model_set_dataset (model, dataset);
  g_assert_cmpuint (change.position, ==, 0);
  g_assert_cmpuint (change.added, ==, 5);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 5);
  g_assert_cmpuint (cm_event_model_get_event (model, 4), ==, time_order[4]);
  g_assert_cmpuint (cm_event_model_get_event (model, 5), ==, CM_NONE);
  g_assert_cmpuint (cm_event_model_get_position (model, time_order[4]), ==, 4);
  g_assert_cmpuint (cm_event_model_get_position (model, time_order[5]), ==, G_MAXUINT);

  /* More rows: the new ones are added after the others. */
  cm_event_model_set_limit (model, 8);
  g_assert_cmpuint (change.position, ==, 5);
  g_assert_cmpuint (change.removed, ==, 0);
  g_assert_cmpuint (change.added, ==, 3);

  /* An order (latest first) under the limit. */
  order = g_new (guint32, n);
  for (guint i = 0; i < n; i++)
    order[i] = time_order[n - 1 - i];
  cm_event_model_set_order (model, order, n);
  g_assert_cmpuint (change.removed, ==, 8);
  g_assert_cmpuint (change.added, ==, 8);
  g_assert_cmpuint (cm_event_model_get_event (model, 0), ==, time_order[n - 1]);
  g_assert_cmpuint (cm_event_model_get_position (model, time_order[0]), ==, G_MAXUINT);

  /* Fewer: the last rows go. */
  cm_event_model_set_limit (model, 2);
  g_assert_cmpuint (change.position, ==, 2);
  g_assert_cmpuint (change.removed, ==, 6);
  g_assert_cmpuint (change.added, ==, 0);

  /* All of them. */
  cm_event_model_set_limit (model, G_MAXUINT);
  g_assert_cmpuint (change.position, ==, 2);
  g_assert_cmpuint (change.added, ==, n - 2);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, n);
  g_assert_cmpuint (cm_event_model_get_position (model, time_order[0]), ==, n - 1);
}

/* On the dataset's arrival: an event chosen at once, and, when the
 * window's "show-list" is set, the list shown before the window went idle,
 * as a user switching views would. */
static void
select_on_arrival_cb (CmSession  *session,
                      GParamSpec *pspec,
                      CmWindow   *window)
{
  CmDataset *dataset = cm_session_get_dataset (session);

  if (dataset == NULL)
    return;
  cm_session_select (session, CM_SELECTION_EVENT, cm_dataset_get_time_order (dataset)[7]);
  if (g_object_get_data (G_OBJECT (window), "show-list"))
    adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (cm_test_window_child (window, "view_stack")),
                                           "list");
}

/* The list's rows are the dataset's events the filter shows, in time
 * order, with the session's event selected; *n_out how many rows. */
static void
assert_list_shows (CmWindow *window,
                   guint    *n_out)
{
  CmSession *session = cm_window_get_session (window);
  CmDataset *dataset = cm_session_get_dataset (session);
  GtkColumnView *column_view =
    cm_event_list_get_column_view (CM_EVENT_LIST (cm_test_window_child (window, "event_list")));
  GtkSingleSelection *selection = GTK_SINGLE_SELECTION (gtk_column_view_get_model (column_view));
  guint n = g_list_model_get_n_items (G_LIST_MODEL (selection)), shown = 0;

  for (guint r = 0; r < cm_dataset_get_n_events (dataset); r++)
    {
      guint event = cm_dataset_get_time_order (dataset)[r];
      g_autoptr(CmEventItem) item = NULL;

      if (!cm_session_is_event_visible (session, event))
        continue;
      item = g_list_model_get_item (G_LIST_MODEL (selection), shown++);
      g_assert_nonnull (item);
      g_assert_true (cm_event_item_get_dataset (item) == dataset);
      g_assert_cmpuint (cm_event_item_get_index (item), ==, event);
    }
  g_assert_cmpuint (n, ==, shown);
  /* An event the filter hides has no row to select. */
  if (cm_session_get_selected_event (session) == CM_NONE ||
      !cm_session_is_event_visible (session, cm_session_get_selected_event (session)))
    g_assert_cmpuint (gtk_single_selection_get_selected (selection), ==, GTK_INVALID_LIST_POSITION);
  else
    g_assert_cmpuint (event_at (column_view, gtk_single_selection_get_selected (selection)), ==,
                      cm_session_get_selected_event (session));
  *n_out = n;
}

static void
wait_until_unmapped (GtkWidget *widget)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (10, timeout_cb, &timed_out);

  while (gtk_widget_get_mapped (widget) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (id);
}

/* A new file's rows: taken in an idle of their own while the list is
 * hidden (not in the frame that first shows the file), at once when the
 * list is shown sooner, and the session's selection follows both ways. */
static void
test_list_takes_new_dataset (void)
{
  g_autofree char *sample = NULL;
  g_autofree char *generated = g_build_filename (tmpdir, "list-new-dataset.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (generated);
  g_autoptr(GError) error = NULL;
  CmWindow *window;
  CmSession *session;
  GtkWidget *list;
  GListModel *model;
  gulong handler;
  guint n_sample, n;

  if (skip_without_sample ())
    return;

  sample = sample_path ();
  g_assert_true (cm_generator_write_file (generated, 300, 20, 20, 4, 1, FALSE, NULL, &error));
  window = create_window ();
  session = cm_window_get_session (window);
  list = cm_test_window_child (window, "event_list");

  /* Hidden (the timeline is on show): the window idle, the rows are the file's. */
  open_path (window, sample);
  g_assert_false (gtk_widget_get_mapped (list));
  assert_list_shows (window, &n_sample);

  /* Shown on the dataset's arrival, before any idle: the new file's first
   * rows at once, never the last file's, then all of them. */
  handler = g_signal_connect_after (session, "notify::dataset",
                                    G_CALLBACK (select_on_arrival_cb), window);
  g_object_set_data (G_OBJECT (window), "show-list", GINT_TO_POINTER (TRUE));
  cm_window_open (window, file);
  while (cm_window_is_loading (window))
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (gtk_widget_get_mapped (list));
  model = G_LIST_MODEL (gtk_column_view_get_model (cm_event_list_get_column_view (CM_EVENT_LIST (list))));
  g_assert_cmpuint (g_list_model_get_n_items (model), >, 0);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(CmEventItem) item = g_list_model_get_item (model, i);

      g_assert_true (cm_event_item_get_dataset (item) == cm_session_get_dataset (session));
      g_assert_cmpuint (cm_event_item_get_index (item), ==,
                        cm_dataset_get_time_order (cm_session_get_dataset (session))[i]);
    }
  cm_test_flush_main_context ();
  assert_list_shows (window, &n);
  g_assert_cmpuint (n, ==, 300);
  g_assert_cmpuint (n, !=, n_sample);

  /* Hidden again: the event chosen while the rows waited for their idle
   * is the selected row once they are there. */
  adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (cm_test_window_child (window, "view_stack")),
                                         "timeline");
  g_object_set_data (G_OBJECT (window), "show-list", NULL);
  open_path (window, sample);
  g_signal_handler_disconnect (session, handler);
  /* The list leaves the screen with the view switch; on sid under a
   * loaded machine it was once still mapped when the load ended. */
  wait_until_unmapped (list);
  g_assert_cmpuint (cm_session_get_selected_event (session), !=, CM_NONE);
  assert_list_shows (window, &n);
  g_assert_cmpuint (n, ==, n_sample);

  /* A filter chosen while the rows come: they are the filter's. */
  cm_window_open (window, file);
  while (cm_window_is_loading (window))
    g_main_context_iteration (NULL, TRUE);
  while (g_list_model_get_n_items (model) == 0)
    g_main_context_iteration (NULL, TRUE);
  cm_session_set_filter_value (session, CM_FACET_GROUP, 1, TRUE);
  cm_test_flush_main_context ();
  g_assert_false (gtk_widget_get_mapped (list));
  assert_list_shows (window, &n);
  g_assert_cmpuint (n, >, 0);
  g_assert_cmpuint (n, <, 300);
  cm_session_clear_filter (session);

  gtk_window_destroy (GTK_WINDOW (window));
  g_unlink (generated);
}

static void
test_list_selection (void)
{
  g_autofree char *path = NULL;
  CmWindow *window;
  CmSession *session;
  CmDataset *dataset;
  GtkColumnView *column_view;
  GtkSingleSelection *selection;
  guint event;

  if (skip_without_sample ())
    return;

  path = sample_path ();
  window = create_window ();
  open_path (window, path);
  session = cm_window_get_session (window);
  dataset = cm_session_get_dataset (session);
  column_view = window_column_view (window);
  selection = GTK_SINGLE_SELECTION (gtk_column_view_get_model (column_view));

  /* Nothing is selected on its own. */
  g_assert_cmpuint (cm_session_get_selected_event (session), ==, CM_NONE);
  g_assert_cmpuint (gtk_single_selection_get_selected (selection), ==, GTK_INVALID_LIST_POSITION);

  /* A click on row 3 selects its event everywhere. */
  g_assert_true (gtk_widget_activate_action (inner_list_view (column_view),
                                             "list.select-item", "(ubb)", 3, FALSE, FALSE));
  g_assert_cmpuint (cm_session_get_selection_kind (session), ==, CM_SELECTION_EVENT);
  g_assert_cmpuint (cm_session_get_selected_event (session), ==, event_at (column_view, 3));

  /* Selecting in the session (the timeline, the map) moves the row. */
  event = cm_dataset_get_time_order (dataset)[cm_dataset_get_n_events (dataset) - 1];
  cm_session_select (session, CM_SELECTION_EVENT, event);
  g_assert_cmpuint (gtk_single_selection_get_selected (selection), ==,
                    cm_dataset_get_n_events (dataset) - 1);
  g_assert_cmpuint (event_at (column_view, gtk_single_selection_get_selected (selection)), ==, event);

  /* Selecting an actor leaves no row selected. */
  cm_session_select (session, CM_SELECTION_ACTOR, 0);
  g_assert_cmpuint (gtk_single_selection_get_selected (selection), ==, GTK_INVALID_LIST_POSITION);
  g_assert_cmpuint (cm_session_get_selection_kind (session), ==, CM_SELECTION_ACTOR);

  /* Enter or a double click on a row selects its event. */
  g_assert_true (gtk_widget_activate_action (inner_list_view (column_view),
                                             "list.activate-item", "u", 5));
  g_assert_cmpuint (cm_session_get_selected_event (session), ==, event_at (column_view, 5));

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_list_sort (void)
{
  g_autofree char *path = NULL;
  CmWindow *window;
  CmSession *session;
  CmDataset *dataset;
  GtkColumnView *column_view;
  g_autoptr(GtkColumnViewColumn) title_column = NULL;
  g_autoptr(GtkColumnViewColumn) date_column = NULL;
  GtkSingleSelection *selection;
  GListModel *model;
  guint selected;
  guint n;

  if (skip_without_sample ())
    return;

  path = sample_path ();
  window = create_window ();
  open_path (window, path);
  session = cm_window_get_session (window);
  dataset = cm_session_get_dataset (session);
  column_view = window_column_view (window);
  selection = GTK_SINGLE_SELECTION (gtk_column_view_get_model (column_view));
  model = G_LIST_MODEL (selection);
  n = g_list_model_get_n_items (model);
  title_column = g_list_model_get_item (gtk_column_view_get_columns (column_view), 1);
  g_assert_cmpstr (gtk_column_view_column_get_title (title_column), ==, "Title");

  selected = cm_dataset_get_time_order (dataset)[0];
  cm_session_select (session, CM_SELECTION_EVENT, selected);

  /* A click on the Title header sorts by title, then again reverses. */
  for (int direction = 0; direction < 2; direction++)
    {
      gtk_column_view_sort_by_column (column_view, title_column,
                                      direction == 0 ? GTK_SORT_ASCENDING : GTK_SORT_DESCENDING);
      g_assert_cmpuint (g_list_model_get_n_items (model), ==, n);
      for (guint i = 1; i < n; i++)
        {
          g_autofree char *a = g_utf8_casefold (cm_dataset_get_event (dataset, event_at (column_view, i - 1))->title, -1);
          g_autofree char *b = g_utf8_casefold (cm_dataset_get_event (dataset, event_at (column_view, i))->title, -1);
          g_autofree char *key_a = g_utf8_collate_key_for_filename (a, -1);
          g_autofree char *key_b = g_utf8_collate_key_for_filename (b, -1);
          int order = strcmp (key_a, key_b);

          if (direction == 0)
            g_assert_cmpint (order, <=, 0);
          else
            g_assert_cmpint (order, >=, 0);
        }

      /* The selected event stays selected wherever its row went. */
      g_assert_cmpuint (cm_session_get_selected_event (session), ==, selected);
      g_assert_cmpuint (event_at (column_view, gtk_single_selection_get_selected (selection)),
                        ==, selected);
    }

  /* Date, newest first, then oldest first again. */
  date_column = g_list_model_get_item (gtk_column_view_get_columns (column_view), 0);
  gtk_column_view_sort_by_column (column_view, date_column, GTK_SORT_DESCENDING);
  g_assert_cmpuint (event_at (column_view, 0), ==, cm_dataset_get_time_order (dataset)[n - 1]);
  g_assert_cmpuint (event_at (column_view, n - 1), ==, cm_dataset_get_time_order (dataset)[0]);
  gtk_column_view_sort_by_column (column_view, date_column, GTK_SORT_ASCENDING);
  for (guint i = 0; i < n; i++)
    g_assert_cmpuint (event_at (column_view, i), ==, cm_dataset_get_time_order (dataset)[i]);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Sorting a large list by a text column is a worker's job: the window
 * answers meanwhile, and when it is done the rows are in order, with the
 * filter chosen meanwhile applied and the selected event selected. */
static void
test_list_sort_large (void)
{
  g_autofree char *path = g_build_filename (tmpdir, "sort-large.json", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GtkColumnViewColumn) title_column = NULL;
  GtkColumnView *column_view;
  GtkSingleSelection *selection;
  CmEventList *list;
  CmWindow *window;
  CmSession *session;
  CmDataset *dataset;
  GListModel *model;
  gboolean timed_out = FALSE;
  guint id, selected, n_visible = 0;

  g_assert_true (cm_generator_write_file (path, 25000, 200, 200, 8, 1, FALSE, NULL, &error));
  window = create_window ();
  open_path (window, path);
  session = cm_window_get_session (window);
  dataset = cm_session_get_dataset (session);
  column_view = window_column_view (window);
  list = CM_EVENT_LIST (cm_test_window_child (window, "event_list"));
  selection = GTK_SINGLE_SELECTION (gtk_column_view_get_model (column_view));
  model = G_LIST_MODEL (selection);
  title_column = g_list_model_get_item (gtk_column_view_get_columns (column_view), 1);

  /* The event is in group 1, which the filter chosen meanwhile keeps. */
  selected = CM_NONE;
  for (guint i = 0; i < cm_dataset_get_n_events (dataset) && selected == CM_NONE; i++)
    if (cm_dataset_get_event_group (dataset, cm_dataset_get_event (dataset, i)) == 1)
      selected = i;
  g_assert_cmpuint (selected, !=, CM_NONE);
  cm_session_select (session, CM_SELECTION_EVENT, selected);

  gtk_column_view_sort_by_column (column_view, title_column, GTK_SORT_ASCENDING);
  g_assert_true (cm_event_list_is_sorting (list));
  /* Meanwhile the pointer says so. */
  g_assert_nonnull (gtk_widget_get_cursor (GTK_WIDGET (list)));
  g_assert_cmpstr (gdk_cursor_get_name (gtk_widget_get_cursor (GTK_WIDGET (list))), ==, "progress");
  cm_session_set_filter_value (session, CM_FACET_GROUP, 1, TRUE);

  id = g_timeout_add_seconds (30, timeout_cb, &timed_out);
  while ((cm_event_list_is_sorting (list) ||
          g_list_model_get_n_items (model) != cm_session_get_n_visible (session) ||
          gtk_single_selection_get_selected (selection) == GTK_INVALID_LIST_POSITION) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (id);

  for (guint i = 0; i < cm_dataset_get_n_events (dataset); i++)
    n_visible += cm_session_is_event_visible (session, i);
  g_assert_cmpuint (n_visible, <, 25000);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, n_visible);
  for (guint i = 1; i < n_visible; i++)
    {
      g_autofree char *a = g_utf8_casefold (cm_dataset_get_event (dataset, event_at (column_view, i - 1))->title, -1);
      g_autofree char *b = g_utf8_casefold (cm_dataset_get_event (dataset, event_at (column_view, i))->title, -1);
      g_autofree char *key_a = g_utf8_collate_key_for_filename (a, -1);
      g_autofree char *key_b = g_utf8_collate_key_for_filename (b, -1);

      g_assert_true (cm_session_is_event_visible (session, event_at (column_view, i)));
      g_assert_cmpint (strcmp (key_a, key_b), <=, 0);
    }
  g_assert_cmpuint (event_at (column_view, gtk_single_selection_get_selected (selection)), ==, selected);
  g_assert_null (gtk_widget_get_cursor (GTK_WIDGET (list)));

  cm_session_clear_filter (session);
  gtk_window_destroy (GTK_WINDOW (window));
  g_unlink (path);
}

static void
test_broken_file_keeps_dataset (void)
{
  g_autofree char *path = NULL;
  g_autofree char *broken = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(CmDataset) before = NULL;
  CmWindow *window;
  CmSession *session;
  GtkWidget *back_button;

  if (skip_without_sample ())
    return;

  path = sample_path ();
  broken = write_broken_file ("talks.json");
  window = create_window ();
  session = cm_window_get_session (window);
  open_path (window, path);
  before = g_object_ref (cm_session_get_dataset (session));

  open_path (window, broken);

  g_assert_cmpstr (cm_window_get_page (window), ==, "error");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (cm_test_window_child (window, "error_title"))),
                   ==, "Could not open “talks.json”");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (cm_test_window_child (window, "error_count"))),
                   ==, "3 problems");

  /* Each problem has its row, with where it is and what is wrong. */
  rows = problem_rows (window);
  g_assert_cmpuint (rows->len, ==, 3);
  g_assert_nonnull (strstr (g_ptr_array_index (rows, 0), "talks.json:3:"));
  g_assert_nonnull (strstr (g_ptr_array_index (rows, 0), "events[0].start"));
  g_assert_nonnull (strstr (g_ptr_array_index (rows, 0), "2025-13-01"));
  g_assert_nonnull (strstr (g_ptr_array_index (rows, 1), "nobody"));
  g_assert_nonnull (strstr (g_ptr_array_index (rows, 2), "2025-02-30"));

  /* The failed load replaced nothing, and the file was not touched. */
  g_assert_true (cm_session_get_dataset (session) == before);
  g_file_get_contents (broken, &contents, NULL, NULL);
  g_assert_cmpstr (contents, ==, broken_json);

  back_button = cm_test_window_child (window, "back_button");
  g_assert_true (gtk_widget_get_visible (back_button));
  g_assert_nonnull (strstr (gtk_button_get_label (GTK_BUTTON (back_button)),
                            cm_dataset_get_title (before)));
  g_signal_emit_by_name (back_button, "clicked");
  g_assert_cmpstr (cm_window_get_page (window), ==, "dataset");
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, cm_dataset_get_title (before));

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_broken_file_first (void)
{
  g_autofree char *broken = write_broken_file ("first.json");
  CmWindow *window = create_window ();

  open_path (window, broken);

  g_assert_cmpstr (cm_window_get_page (window), ==, "error");
  g_assert_null (cm_session_get_dataset (cm_window_get_session (window)));
  /* Nothing to go back to. */
  g_assert_false (gtk_widget_get_visible (cm_test_window_child (window, "back_button")));

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_missing_file (void)
{
  g_autofree char *missing = g_build_filename (tmpdir, "no-such-file.json", NULL);
  g_autoptr(GPtrArray) rows = NULL;
  CmWindow *window = create_window ();

  open_path (window, missing);

  g_assert_cmpstr (cm_window_get_page (window), ==, "error");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (cm_test_window_child (window, "error_title"))),
                   ==, "Could not open “no-such-file.json”");
  rows = problem_rows (window);
  g_assert_cmpuint (rows->len, ==, 1);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* A large file: the loading page shows how far the load has gone, and
 * Cancel stops it and brings back what was on show before. */
static void
test_cancel_load (void)
{
  g_autofree char *big = g_build_filename (tmpdir, "big.json", NULL);
  g_autofree char *sample = sample_path ();
  g_autoptr(GFile) file = g_file_new_for_path (big);
  g_autoptr(GError) error = NULL;
  GtkProgressBar *progress;
  CmWindow *window = create_window ();
  CmSession *session = cm_window_get_session (window);
  CmDataset *dataset;
  gboolean timed_out = FALSE, done = FALSE;
  guint id;

  g_assert_true (cm_generator_write_file (big, 150000, 500, 500, 8, 1, FALSE, NULL, &error));
  g_assert_no_error (error);
  progress = GTK_PROGRESS_BAR (cm_test_window_child (window, "load_progress"));

  /* From the start page: the loading page, its progress, then Cancel. */
  cm_window_open (window, file);
  g_assert_cmpstr (cm_window_get_page (window), ==, "loading");
  id = g_timeout_add_seconds (30, timeout_cb, &timed_out);
  while (!gtk_widget_get_visible (GTK_WIDGET (progress)) && cm_window_is_loading (window) &&
         !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (id);
  g_assert_false (timed_out);
  g_assert_true (cm_window_is_loading (window));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (progress)));
  g_assert_cmpstr (gtk_progress_bar_get_text (progress), !=, NULL);
  /* The Cancel button, under the bar. */
  g_assert_true (GTK_IS_BUTTON (gtk_widget_get_next_sibling (GTK_WIDGET (progress))));
  g_assert_cmpstr (gtk_actionable_get_action_name (
                     GTK_ACTIONABLE (gtk_widget_get_next_sibling (GTK_WIDGET (progress)))),
                   ==, "win.cancel-load");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.cancel-load", NULL));
  g_assert_false (cm_window_is_loading (window));
  g_assert_cmpstr (cm_window_get_page (window), ==, "empty");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (progress)));
  /* The worker's late answer changes nothing. */
  g_timeout_add (500, timeout_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_null (cm_session_get_dataset (session));
  g_assert_cmpstr (cm_window_get_page (window), ==, "empty");

  /* With a file open: Cancel goes back to it. */
  if (!skip_without_sample ())
    {
      open_path (window, sample);
      dataset = cm_session_get_dataset (session);
      g_assert_nonnull (dataset);
      cm_window_open (window, file);
      g_assert_true (cm_window_is_loading (window));
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.cancel-load", NULL));
      g_assert_false (cm_window_is_loading (window));
      g_assert_cmpstr (cm_window_get_page (window), ==, "dataset");
      g_assert_true (cm_session_get_dataset (session) == dataset);
    }

  gtk_window_destroy (GTK_WINDOW (window));
  cm_test_flush_main_context ();
  g_unlink (big);
}

static void
test_drop_file (void)
{
  g_autofree char *path = NULL;
  g_autoptr(GListModel) controllers = NULL;
  g_autoptr(GFile) file = NULL;
  g_auto(GValue) value = G_VALUE_INIT;
  GtkDropTarget *target = NULL;
  CmWindow *window;
  gboolean accepted = FALSE;

  if (skip_without_sample ())
    return;

  path = sample_path ();
  file = g_file_new_for_path (path);
  window = create_window ();

  controllers = gtk_widget_observe_controllers (GTK_WIDGET (window));
  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_DROP_TARGET (controller))
        target = GTK_DROP_TARGET (controller);
    }
  g_assert_nonnull (target);

  /* What a file manager drops: a list of files. */
  g_value_init (&value, GDK_TYPE_FILE_LIST);
  g_value_take_boxed (&value, gdk_file_list_new_from_array (&file, 1));
  g_signal_emit_by_name (target, "drop", &value, 10.0, 10.0, &accepted);
  g_assert_true (accepted);

  wait_for_load (window);
  g_assert_cmpstr (cm_window_get_page (window), ==, "dataset");
  g_assert_true (g_file_equal (cm_dataset_get_file (cm_session_get_dataset (cm_window_get_session (window))),
                               file));

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_recent_menu (void)
{
  g_autofree char *path = NULL;
  g_autofree char *target = NULL;
  g_autoptr(GFile) sample = NULL;
  g_autoptr(GFile) recent_file = NULL;
  GMenuModel *section;
  g_autoptr(GMenuModel) submenu = NULL;
  CmWindow *window;
  gboolean timed_out = FALSE;
  guint id;

  if (skip_without_sample ())
    return;

  path = sample_path ();
  sample = g_file_new_for_path (path);
  window = create_window ();
  open_path (window, path);

  /* The recent manager saves and reports changes a moment later. */
  section = G_MENU_MODEL (gtk_widget_get_template_child (GTK_WIDGET (window), CM_TYPE_WINDOW,
                                                         "recent_section"));
  id = g_timeout_add_seconds (10, timeout_cb, &timed_out);
  while (g_menu_model_get_n_items (section) == 0 && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (id);

  submenu = g_menu_model_get_item_link (section, 0, G_MENU_LINK_SUBMENU);
  g_assert_nonnull (submenu);
  g_assert_true (g_menu_model_get_item_attribute (submenu, 0, G_MENU_ATTRIBUTE_TARGET, "s", &target));
  recent_file = g_file_new_for_uri (target);
  g_assert_true (g_file_equal (recent_file, sample));

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_window_size_saved (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  CmWindow *window = create_window ();
  int width, height;

  gtk_window_set_default_size (GTK_WINDOW (window), 911, 633);
  cm_test_flush_main_context ();
  gtk_window_close (GTK_WINDOW (window));
  cm_test_flush_main_context ();

  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 911);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 633);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));

  /* The next window opens at that size. */
  window = create_window ();
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 911);
  g_assert_cmpint (height, ==, 633);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Runs the built binary with no display at all. */
static int
run_cli (const char *const  *args,
         char              **out)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *binary = g_test_build_filename (G_TEST_BUILT, "..", "src", "chronomap", NULL);
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (argv, binary);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                        | G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_subprocess_launcher_unsetenv (launcher, "DISPLAY");
  g_subprocess_launcher_unsetenv (launcher, "WAYLAND_DISPLAY");
  g_subprocess_launcher_set_cwd (launcher, tmpdir);
  process = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
  g_assert_no_error (error);

  g_subprocess_communicate_utf8 (process, NULL, NULL, out, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));

  return g_subprocess_get_exit_status (process);
}

static void
test_cli_validate (void)
{
  g_autofree char *sample = sample_path ();
  g_autofree char *broken = write_broken_file ("cli-broken.json");
  g_autofree char *out = NULL;

  if (skip_without_sample ())
    return;

  g_assert_cmpint (run_cli ((const char *[]) { "--validate", sample, NULL }, &out), ==, 0);
  g_clear_pointer (&out, g_free);

  /* A relative path, as typed in the directory it is in. */
  g_assert_cmpint (run_cli ((const char *[]) { "--validate", "cli-broken.json", NULL }, &out), ==, 1);
  g_assert_nonnull (strstr (out, "cli-broken.json:3:"));
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (run_cli ((const char *[]) { "--validate", sample, broken, NULL }, &out), ==, 1);
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (run_cli ((const char *[]) { "--validate", "no-such-file.json", NULL }, &out), !=, 0);
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (run_cli ((const char *[]) { "--validate", NULL }, &out), !=, 0);
  g_clear_pointer (&out, g_free);
}

static void
test_cli_options (void)
{
  g_autofree char *out = NULL;

  g_assert_cmpint (run_cli ((const char *[]) { "--version", NULL }, &out), ==, 0);
  g_assert_cmpstr (out, ==, "chronomap " PACKAGE_VERSION "\n");
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (run_cli ((const char *[]) { "--no-such-option", NULL }, &out), !=, 0);
  g_assert_nonnull (strstr (out, "--no-such-option"));
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (run_cli ((const char *[]) { "--help", NULL }, &out), ==, 0);
  g_assert_nonnull (strstr (out, "--validate"));
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

/* One filter and one selection, and every view follows: the list, the
 * timeline, the map and the details panel show the same thing. */
static void
test_linked_views (void)
{
  g_autofree char *path = NULL;
  CmWindow *window;
  CmSession *session;
  CmDataset *dataset;
  CmTimelineView *timeline;
  CmPlaceLayer *places;
  GtkColumnView *column_view;
  guint russia, talks, n_visible, n_drawn, n_badges, n_shown;

  if (skip_without_sample ())
    return;

  path = sample_path ();
  window = create_window ();
  open_path (window, path);
  session = cm_window_get_session (window);
  dataset = cm_session_get_dataset (session);
  timeline = CM_TIMELINE_VIEW (cm_test_window_child (window, "timeline_view"));
  places = cm_map_view_get_place_layer (CM_MAP_VIEW (cm_test_window_child (window, "map_view")));

  russia = cm_dataset_find_group (dataset, "russia");
  g_assert_cmpuint (russia, !=, CM_NONE);
  cm_session_set_filter_value (session, CM_FACET_GROUP, russia, TRUE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.zoom-fit", NULL));
  cm_test_run_main_loop_for (300);

  n_shown = cm_session_get_n_visible (session);
  g_assert_cmpuint (n_shown, >, 0);
  g_assert_cmpuint (n_shown, <, cm_dataset_get_n_events (dataset));

  /* The header says how much is shown. */
  {
    g_autofree char *expected = g_strdup_printf ("%u of %u events", n_shown,
                                                 cm_dataset_get_n_events (dataset));
    g_assert_cmpstr (adw_window_title_get_subtitle (ADW_WINDOW_TITLE (cm_test_window_child (window, "window_title"))),
                     ==, expected);
  }

  /* The timeline places exactly the shown events, one lane each by group. */
  cm_timeline_layout_get_counts (cm_timeline_view_get_layout (timeline), &n_visible, &n_drawn, &n_badges);
  g_assert_cmpuint (n_visible, ==, n_shown);

  /* The map counts only shown events at each place, once its worker
   * has counted them. */
  while (!cm_place_layer_is_current (places))
    g_main_context_iteration (NULL, TRUE);
  for (guint p = 0; p < cm_dataset_get_n_places (dataset); p++)
    {
      guint expected = 0;

      for (guint e = 0; e < cm_dataset_get_n_events (dataset); e++)
        {
          const guint32 *refs;
          guint n;

          if (!cm_session_is_event_visible (session, e))
            continue;
          refs = cm_dataset_get_event_places (dataset, cm_dataset_get_event (dataset, e), &n);
          for (guint k = 0; k < n; k++)
            expected += refs[k] == p;
        }
      g_assert_cmpuint (cm_place_layer_get_place_weight (places, p), ==, expected);
    }

  /* The list holds the shown events only. */
  column_view = window_column_view (window);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (gtk_column_view_get_model (column_view))),
                    ==, n_shown);
  for (guint i = 0; i < n_shown; i++)
    g_assert_true (cm_session_is_event_visible (session, event_at (column_view, i)));

  /* Clearing brings every event back everywhere. */
  cm_session_clear_filter (session);
  cm_test_run_main_loop_for (100);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (gtk_column_view_get_model (column_view))),
                    ==, cm_dataset_get_n_events (dataset));

  /* Selecting an event shows its page in the details panel. */
  talks = cm_dataset_find_event (dataset, "riyadh-talks");
  g_assert_cmpuint (talks, !=, CM_NONE);
  cm_session_select (session, CM_SELECTION_EVENT, talks);
  cm_test_run_main_loop_for (100);
  g_assert_cmpstr (cm_details_panel_get_page_name (CM_DETAILS_PANEL (cm_test_window_child (window, "details_panel"))),
                   ==, "event");

  /* Alt+Left's action walks back. */
  cm_session_select (session, CM_SELECTION_PLACE, cm_dataset_find_place (dataset, "riyadh"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.go-back", NULL));
  g_assert_cmpuint (cm_session_get_selected_event (session), ==, talks);

  gtk_window_destroy (GTK_WINDOW (window));
}


typedef gboolean (*Condition) (gpointer data);

/* Runs the main loop until @condition holds (file monitors and worker
 * threads report through it); fails after a generous minute. */
static void
wait_until (Condition condition,
            gpointer  data)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (60, timeout_cb, &timed_out);

  while (!condition (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (id);
}

static gboolean
is_idle (gpointer window)
{
  return !cm_window_is_busy (window);
}

static gboolean
is_shown (gpointer window)
{
  return !cm_window_is_loading (window);
}

static void
wake_cb (gpointer user_data)
{
}

/* A worker may let go last, after its callback, waking nothing: this
 * looks again in 10 ms. */
static gboolean
is_let_go (gpointer object)
{
  if (G_OBJECT (object)->ref_count == 1)
    return TRUE;
  g_timeout_add_once (10, wake_cb, NULL);
  return FALSE;
}

/* A file too large to arrange at once: the window is busy while it
 * loads, while the timeline arranges its lanes and the search index is
 * built, then not, with all of it there; closed while busy, its workers'
 * results go nowhere and they let go of the dataset. */
static void
test_busy_until_built (void)
{
  g_autofree char *big = g_build_filename (tmpdir, "busy.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (big);
  g_autoptr(GError) error = NULL;
  g_autoptr(CmDataset) dataset = NULL;
  CmWindow *window = create_window ();
  CmTimelineView *timeline = CM_TIMELINE_VIEW (cm_test_window_child (window, "timeline_view"));
  CmTimelineLayout *layout = cm_timeline_view_get_layout (timeline);

  g_assert_true (cm_generator_write_file (big, 30000, 300, 300, 8, 1, FALSE, NULL, &error));
  g_assert_no_error (error);

  g_assert_false (cm_window_is_busy (window));
  cm_window_open (window, file);
  g_assert_true (cm_window_is_busy (window));
  wait_until (is_shown, window);
  g_assert_cmpstr (cm_window_get_page (window), ==, "dataset");
  g_assert_true (cm_timeline_view_is_arranging (timeline));
  g_assert_true (cm_window_is_busy (window));
  wait_until (is_idle, window);
  dataset = g_object_ref (cm_session_get_dataset (cm_window_get_session (window)));
  g_assert_false (cm_timeline_view_is_arranging (timeline));
  g_assert_true (cm_place_layer_is_current (cm_map_view_get_place_layer (
                   CM_MAP_VIEW (cm_test_window_child (window, "map_view")))));
  g_assert_nonnull (cm_search_index_peek (dataset));
  {
    CmTimelineLayout *at_once = cm_timeline_layout_new ();

    cm_timeline_layout_set_dataset (at_once, dataset);
    g_assert_cmpuint (cm_timeline_layout_get_n_lanes (layout), ==,
                      cm_timeline_layout_get_n_lanes (at_once));
    g_assert_cmpuint (cm_timeline_layout_get_n_lanes (layout), >, 1);
    cm_timeline_layout_free (at_once);
  }

  /* Again, closed as soon as the file is on show: the workers' results
   * go nowhere, and the window, its session and the workers all let go
   * of the dataset. */
  g_clear_object (&dataset);
  cm_window_open (window, file);
  wait_until (is_shown, window);
  dataset = g_object_ref (cm_session_get_dataset (cm_window_get_session (window)));
  g_assert_true (cm_window_is_busy (window));
  gtk_window_destroy (GTK_WINDOW (window));
  wait_until (is_let_go, dataset);
  g_unlink (big);
}

static gboolean
banner_shown (gpointer data)
{
  return cm_reload_banner_is_shown (data);
}

static gboolean
banner_hidden (gpointer data)
{
  return !cm_reload_banner_is_shown (data);
}

typedef struct
{
  CmSession *session;
  CmDataset *old;
} Swap;

static gboolean
dataset_swapped (gpointer data)
{
  Swap *swap = data;

  return cm_session_get_dataset (swap->session) != swap->old;
}

static void
write_file (const char *path,
            const char *contents)
{
  g_autofree char *tmp = g_strconcat (path, ".new", NULL);

  /* As editors save: a new file renamed over the old one. */
  g_assert_true (g_file_set_contents (tmp, contents, -1, NULL));
  g_assert_cmpint (g_rename (tmp, path), ==, 0);
}

/* Live reload: the open file changes on disk. A valid version is swapped
 * in, keeping selection and filters; an invalid one leaves the data and
 * shows a banner with each problem's line and column; fixing the file
 * clears it; deleting the file keeps the data and says so. */
static void
test_live_reload (void)
{
  g_autofree char *sample = NULL;
  g_autofree char *original = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GString) broken = NULL;
  g_autoptr(GString) edited = NULL;
  CmReloadBanner *banner;
  CmWindow *window;
  CmSession *session;
  CmDataset *dataset;
  Swap swap;
  guint talks, russia;

  if (skip_without_sample ())
    return;

  sample = sample_path ();
  g_assert_true (g_file_get_contents (sample, &original, NULL, NULL));
  dir = g_dir_make_tmp ("test-reload-XXXXXX", NULL);
  path = g_build_filename (dir, "talks.json", NULL);
  g_assert_true (g_file_set_contents (path, original, -1, NULL));

  window = create_window ();
  open_path (window, path);
  banner = CM_RELOAD_BANNER (cm_test_window_child (window, "reload_banner"));
  session = cm_window_get_session (window);
  dataset = cm_session_get_dataset (session);
  talks = cm_dataset_find_event (dataset, "riyadh-talks");
  russia = cm_dataset_find_group (dataset, "russia");
  g_assert_cmpuint (talks, !=, CM_NONE);
  cm_session_set_filter_value (session, CM_FACET_GROUP, russia, TRUE);
  cm_session_select (session, CM_SELECTION_EVENT, talks);
  g_assert_false (cm_reload_banner_is_shown (banner));

  /* Broken: a month 13 and an unknown actor. */
  broken = g_string_new (original);
  g_string_replace (broken, "\"start\": \"2025-02-18\"", "\"start\": \"2025-13-18\"", 1);
  write_file (path, broken->str);
  wait_until (banner_shown, banner);
  g_assert_true (cm_session_get_dataset (session) == dataset);
  g_assert_nonnull (strstr (cm_reload_banner_get_title (banner), "“talks.json” changed on disk"));
  g_assert_true (g_regex_match_simple ("^Line [0-9]+, column [0-9]+: events\\[[0-9]+\\]\\.start: "
                                       "\"2025-13-18\" is not a date",
                                       cm_reload_banner_get_details (banner), 0, 0));
  g_assert_cmpuint (cm_session_get_selected_event (session), ==, talks);

  /* Fixed, with a new title: swapped in, selection and filter kept. */
  edited = g_string_new (original);
  g_string_replace (edited, "US and Russian delegations meet in Riyadh",
                    "US and Russian delegations meet in Riyadh (edited)", 1);
  g_assert_cmpuint (edited->len, >, strlen (original));
  swap.session = session;
  swap.old = dataset;
  write_file (path, edited->str);
  wait_until (dataset_swapped, &swap);
  wait_until (banner_hidden, banner);
  dataset = cm_session_get_dataset (session);
  talks = cm_dataset_find_event (dataset, "riyadh-talks");
  g_assert_cmpint (cm_session_get_selection_kind (session), ==, CM_SELECTION_EVENT);
  g_assert_cmpuint (cm_session_get_selected_event (session), ==, talks);
  g_assert_cmpstr (cm_dataset_get_event (dataset, talks)->title, ==,
                   "US and Russian delegations meet in Riyadh (edited)");
  g_assert_true (cm_filter_get_value (cm_session_get_filter (session), CM_FACET_GROUP,
                                      cm_dataset_find_group (dataset, "russia")));

  /* Deleted: the data stays, the banner says so. */
  g_assert_cmpint (g_unlink (path), ==, 0);
  wait_until (banner_shown, banner);
  g_assert_cmpstr (cm_reload_banner_get_title (banner),
                   ==, "“talks.json” was deleted; its events stay open here");
  g_assert_true (cm_session_get_dataset (session) == dataset);

  /* Back again: read again, the banner goes. */
  swap.old = dataset;
  write_file (path, original);
  wait_until (dataset_swapped, &swap);
  wait_until (banner_hidden, banner);
  dataset = cm_session_get_dataset (session);

  /* Renamed: the data stays, the banner names the new file. */
  {
    g_autofree char *renamed = g_build_filename (dir, "talks-old.json", NULL);

    g_assert_cmpint (g_rename (path, renamed), ==, 0);
    wait_until (banner_shown, banner);
    g_assert_cmpstr (cm_reload_banner_get_title (banner),
                     ==, "“talks.json” was renamed to “talks-old.json”; its events stay open here");
    g_assert_true (cm_session_get_dataset (session) == dataset);
    g_unlink (renamed);
  }

  gtk_window_close (GTK_WINDOW (window));
  cm_test_flush_main_context ();
  g_rmdir (dir);
}

/* The search index is built in the background: a search typed before it
 * is ready shows its results when it is. */
static void
wait_for_search (CmSession *session)
{
  while (cm_filter_is_search_pending (cm_session_get_filter (session)))
    g_main_context_iteration (NULL, TRUE);
}

/* Closing a window remembers the view of its file; opening the file again
 * brings back the filter, search, selection and time range. */
static void
test_view_remembered (void)
{
  g_autofree char *path = NULL;
  CmWindow *window;
  CmSession *session;
  CmDataset *dataset;
  guint lavrov, n_visible;
  gint64 t0, t1, r0, r1;

  if (skip_without_sample ())
    return;

  path = sample_path ();
  window = create_window ();
  open_path (window, path);
  session = cm_window_get_session (window);
  /* Held, so that the reopened file's dataset cannot take its address. */
  dataset = g_object_ref (cm_session_get_dataset (session));
  lavrov = cm_dataset_find_actor (dataset, "lavrov");
  cm_session_set_filter_value (session, CM_FACET_GROUP, cm_dataset_find_group (dataset, "russia"), TRUE);
  cm_session_set_search (session, "riyadh");
  wait_for_search (session);
  cm_session_select (session, CM_SELECTION_ACTOR, lavrov);
  n_visible = cm_session_get_n_visible (session);
  cm_timeline_view_get_range (CM_TIMELINE_VIEW (cm_test_window_child (window, "timeline_view")), &t0, &t1);
  t0 += (t1 - t0) / 4;
  cm_timeline_view_set_range (CM_TIMELINE_VIEW (cm_test_window_child (window, "timeline_view")), t0, t1);
  gtk_window_close (GTK_WINDOW (window));
  cm_test_flush_main_context ();

  /* views.ini is written in the background, and it is written. */
  cm_view_store_flush ();
  {
    g_autofree char *views = g_build_filename (g_get_user_state_dir (), "chronomap", "views.ini",
                                               NULL);
    g_autofree char *contents = NULL;
    g_autoptr(GFile) file = g_file_new_for_path (path);
    g_autofree char *uri = g_file_get_uri (file);

    g_assert_true (g_file_get_contents (views, &contents, NULL, NULL));
    g_assert_nonnull (strstr (contents, uri));
  }

  window = create_window ();
  open_path (window, path);
  session = cm_window_get_session (window);
  g_assert_true (cm_session_get_dataset (session) != dataset);
  g_clear_object (&dataset);
  cm_view_store_flush ();
  cm_test_flush_main_context ();
  wait_for_search (session);
  g_assert_cmpuint (cm_session_get_n_visible (session), ==, n_visible);
  g_assert_cmpstr (cm_filter_get_search (cm_session_get_filter (session)), ==, "riyadh");
  g_assert_cmpint (cm_session_get_selection_kind (session), ==, CM_SELECTION_ACTOR);
  g_assert_cmpuint (cm_session_get_selection_index (session), ==, lavrov);
  cm_timeline_view_get_range (CM_TIMELINE_VIEW (cm_test_window_child (window, "timeline_view")), &r0, &r1);
  g_assert_cmpint (r0, ==, t0);
  g_assert_cmpint (r1, ==, t1);

  /* Leave nothing behind for the other tests. */
  cm_session_clear_filter (session);
  cm_session_select (session, CM_SELECTION_NONE, 0);
  gtk_window_close (GTK_WINDOW (window));
  cm_test_flush_main_context ();
}

static void
collect_rows (GtkWidget *widget,
              GPtrArray *rows)
{
  if (GTK_IS_LIST_BOX_ROW (widget) && gtk_widget_get_visible (widget))
    g_ptr_array_add (rows, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_rows (child, rows);
}

static gboolean
is_swatch (GtkWidget     *widget,
           gconstpointer  data)
{
  return CM_IS_COLOR_SWATCH (widget);
}

static gboolean
is_search_entry (GtkWidget     *widget,
                 gconstpointer  data)
{
  return GTK_IS_SEARCH_ENTRY (widget);
}

static gboolean
is_label_titled (GtkWidget     *widget,
                 gconstpointer  title)
{
  return GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), title) == 0;
}

/* A filter row: a list row with its value's name in a label. */
static gboolean
is_row_titled (GtkWidget     *widget,
               gconstpointer  title)
{
  return GTK_IS_LIST_BOX_ROW (widget) && cm_test_find_descendant (widget, is_label_titled, title) != NULL;
}

static gboolean
is_check_button (GtkWidget     *widget,
                 gconstpointer  data)
{
  return GTK_IS_CHECK_BUTTON (widget);
}

static gboolean
is_button_labelled (GtkWidget     *widget,
                    gconstpointer  label)
{
  g_autofree char *error = NULL;

  if (!GTK_IS_BUTTON (widget) || !gtk_widget_get_mapped (widget) ||
      !gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL))
    return FALSE;
  error = gtk_test_accessible_check_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                              label);
  return error == NULL;
}

static CmWindow *
open_sample_at (int width,
                int height)
{
  g_autofree char *path = sample_path ();
  CmWindow *window = cm_window_new (app);

  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_present (GTK_WINDOW (window));
  cm_test_flush_main_context ();
  open_path (window, path);
  cm_test_run_main_loop_for (300);
  return window;
}

/* The filter panel's rows are built while the window is idle, before the
 * popover first opens: opening it shows those same rows, each read as its
 * value's name, and clicking one ticks its box. */
static void
test_filter_rows_built_when_idle (void)
{
  g_autoptr(GPtrArray) before = g_ptr_array_new ();
  g_autoptr(GPtrArray) after = g_ptr_array_new ();
  GtkWidget *panel, *button, *row, *check;
  CmWindow *window;
  CmSession *session;
  CmDataset *dataset;
  guint n_groups;

  if (skip_without_sample ())
    return;
  window = open_sample_at (1280, 800);
  session = cm_window_get_session (window);
  dataset = cm_session_get_dataset (session);
  panel = cm_test_window_child (window, "filter_panel");
  button = cm_test_window_child (window, "filter_button");

  g_assert_false (gtk_widget_get_mapped (panel));
  collect_rows (panel, before);
  n_groups = cm_dataset_get_n_groups (dataset);
  g_assert_cmpuint (n_groups, >, 0);
  g_assert_cmpuint (before->len, >=, n_groups);
  for (guint g = 0; g < MIN (n_groups, 20); g++)
    {
      const char *name = cm_dataset_get_group (dataset, g)->name;
      g_autofree char *error = NULL;

      row = cm_test_find_descendant (panel, is_row_titled, name);
      g_assert_nonnull (row);
      g_assert_nonnull (cm_test_find_descendant (row, is_check_button, NULL));
      error = gtk_test_accessible_check_property (GTK_ACCESSIBLE (row),
                                                  GTK_ACCESSIBLE_PROPERTY_LABEL, name);
      g_assert_null (error);
    }

  gtk_menu_button_popup (GTK_MENU_BUTTON (button));
  cm_test_run_main_loop_for (300);
  g_assert_true (gtk_widget_get_mapped (panel));
  collect_rows (panel, after);
  g_assert_cmpuint (after->len, ==, before->len);
  for (guint i = 0; i < before->len; i++)
    g_assert_true (g_ptr_array_index (after, i) == g_ptr_array_index (before, i));

  /* A click on the row, not only on its box, ticks it. */
  row = cm_test_find_descendant (panel, is_row_titled, cm_dataset_get_group (dataset, 0)->name);
  check = cm_test_find_descendant (row, is_check_button, NULL);
  g_assert_false (gtk_check_button_get_active (GTK_CHECK_BUTTON (check)));
  g_signal_emit_by_name (row, "activate");
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (check)));
  g_assert_true (cm_filter_get_value (cm_session_get_filter (session), CM_FACET_GROUP, 0));
  cm_session_clear_filter (session);

  gtk_popover_popdown (gtk_menu_button_get_popover (GTK_MENU_BUTTON (button)));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The Filters popover on a 1080 px screen shows the sample's 8 groups and
 * 18 actors without scrolling (two columns, rows a line high). */
static void
test_filter_popover_height (void)
{
  CmWindow *window;
  GtkWidget *panel, *scroller, *column;
  GdkMonitor *monitor;
  GdkRectangle area;
  graphene_rect_t bounds;
  g_autoptr(GPtrArray) groups = g_ptr_array_new ();
  g_autoptr(GPtrArray) actors = g_ptr_array_new ();

  if (skip_without_sample ())
    return;
  window = open_sample_at (1280, 800);
  monitor = gdk_display_get_monitor_at_surface (gtk_widget_get_display (GTK_WIDGET (window)),
                                                gtk_native_get_surface (GTK_NATIVE (window)));
  gdk_monitor_get_geometry (monitor, &area);
  if (area.height < 1080)
    {
      g_test_skip ("the screen is less than 1080 px high");
      gtk_window_destroy (GTK_WINDOW (window));
      return;
    }

  gtk_menu_button_popup (GTK_MENU_BUTTON (cm_test_window_child (window, "filter_button")));
  cm_test_run_main_loop_for (500);
  panel = cm_test_window_child (window, "filter_panel");
  g_assert_true (gtk_widget_get_mapped (panel));
  scroller = GTK_WIDGET (gtk_widget_get_template_child (panel, CM_TYPE_FILTER_PANEL, "scroller"));
  column = GTK_WIDGET (gtk_widget_get_template_child (panel, CM_TYPE_FILTER_PANEL, "first_column"));
  collect_rows (column, groups);
  column = GTK_WIDGET (gtk_widget_get_template_child (panel, CM_TYPE_FILTER_PANEL, "second_column"));
  collect_rows (column, actors);
  /* Groups come first in their column, actors in theirs. */
  g_assert_cmpuint (groups->len, >=, 8);
  g_assert_cmpuint (actors->len, >=, 18);
  g_ptr_array_set_size (groups, 8);
  g_ptr_array_set_size (actors, 18);
  g_ptr_array_extend_and_steal (groups, g_steal_pointer (&actors));
  actors = g_ptr_array_new ();

  g_assert_cmpfloat (gtk_adjustment_get_value (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller))),
                     ==, 0);
  for (guint i = 0; i < groups->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (groups, i);

      g_assert_true (gtk_widget_compute_bounds (row, scroller, &bounds));
      g_assert_cmpfloat (bounds.origin.y, >=, 0);
      g_assert_cmpfloat (bounds.origin.y + bounds.size.height, <=,
                         gtk_widget_get_height (scroller) + 0.5);
    }
  g_assert_true (cm_test_find_descendant (panel, is_row_titled, "Saudi Arabia (host)") != NULL);

  gtk_popover_popdown (gtk_menu_button_get_popover (GTK_MENU_BUTTON (cm_test_window_child (window, "filter_button"))));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The Filters button lights for the popover's filters, not for a search
 * typed in the search bar. */
static void
test_filters_button_not_for_search (void)
{
  CmWindow *window;
  GtkWidget *button, *entry, *row;
  CmSession *session;
  guint n_events;

  if (skip_without_sample ())
    return;
  window = open_sample_at (1280, 800);
  session = cm_window_get_session (window);
  n_events = cm_dataset_get_n_events (cm_session_get_dataset (session));
  button = cm_test_window_child (window, "filter_button");
  g_assert_false (gtk_widget_has_css_class (button, "accent"));

  /* Ctrl+F and a word, as a user searches. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.find", NULL));
  entry = cm_test_find_descendant (cm_test_window_child (window, "search_bar"), is_search_entry, NULL);
  g_assert_nonnull (entry);
  gtk_editable_set_text (GTK_EDITABLE (entry), "Riyadh");
  g_signal_emit_by_name (entry, "activate");
  cm_test_run_main_loop_for (400);
  g_assert_cmpuint (cm_session_get_n_visible (session), <, n_events);
  g_assert_false (gtk_widget_has_css_class (button, "accent"));

  /* A group ticked in the popover: now it lights. */
  gtk_menu_button_popup (GTK_MENU_BUTTON (button));
  cm_test_run_main_loop_for (300);
  row = cm_test_find_descendant (cm_test_window_child (window, "filter_panel"), is_row_titled, "Russia");
  g_assert_nonnull (row);
  gtk_widget_activate (cm_test_find_descendant (row, is_check_button, NULL));
  cm_test_run_main_loop_for (200);
  g_assert_true (gtk_widget_has_css_class (button, "accent"));

  gtk_popover_popdown (gtk_menu_button_get_popover (GTK_MENU_BUTTON (button)));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The list hides what only acts on the timeline: lanes and zoom. */
static void
test_list_hides_timeline_controls (void)
{
  CmWindow *window;

  if (skip_without_sample ())
    return;
  window = open_sample_at (1280, 800);
  g_assert_true (gtk_widget_get_visible (cm_test_window_child (window, "lanes_box")));
  g_assert_true (gtk_widget_get_visible (cm_test_window_child (window, "zoom_box")));

  window_column_view (window);
  g_assert_false (gtk_widget_get_visible (cm_test_window_child (window, "lanes_box")));
  g_assert_false (gtk_widget_get_visible (cm_test_window_child (window, "zoom_box")));

  adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (cm_test_window_child (window, "view_stack")),
                                         "timeline");
  g_assert_true (gtk_widget_get_visible (cm_test_window_child (window, "lanes_box")));
  g_assert_true (gtk_widget_get_visible (cm_test_window_child (window, "zoom_box")));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* A laptop screen (1366 x 768, less a top bar) opens the sample with
 * every lane in view and no empty details page; a narrow window (1920 x
 * 1080 at 2x) gives the details their room only when something is
 * selected, and then less than half. */
static void
test_small_screens (void)
{
  CmWindow *window;
  CmTimelineLayout *layout;
  CmSession *session;
  GtkWidget *details;
  CmRect plot;
  double top, height;
  guint n_lanes;

  if (skip_without_sample ())
    return;
  window = open_sample_at (1366, 736);
  details = cm_test_window_child (window, "details_panel");
  g_assert_false (gtk_widget_get_visible (details));
  layout = cm_timeline_view_get_layout (CM_TIMELINE_VIEW (cm_test_window_child (window, "timeline_view")));
  n_lanes = cm_timeline_layout_get_n_lanes (layout);
  g_assert_cmpuint (n_lanes, ==, 4);
  cm_timeline_layout_get_plot_area (layout, &plot);
  g_assert_true (cm_timeline_layout_get_lane_extent (layout, n_lanes - 1, &top, &height));
  g_assert_cmpfloat (top + height, <=, plot.height + 1);
  g_assert_cmpint (gtk_widget_get_height (cm_test_window_child (window, "timeline_view")), >=, 300);
  gtk_window_destroy (GTK_WINDOW (window));

  window = open_sample_at (960, 524);
  session = cm_window_get_session (window);
  details = cm_test_window_child (window, "details_panel");
  g_assert_false (gtk_widget_get_visible (details));
  cm_session_select (session, CM_SELECTION_EVENT,
                     cm_dataset_find_event (cm_session_get_dataset (session), "riyadh-talks"));
  cm_test_run_main_loop_for (300);
  g_assert_true (gtk_widget_get_visible (details));
  g_assert_cmpint (gtk_widget_get_height (details), <, 524 / 2);
  /* Nothing selected again: the room goes back to the views. */
  cm_session_select (session, CM_SELECTION_NONE, CM_NONE);
  cm_test_run_main_loop_for (200);
  g_assert_false (gtk_widget_get_visible (details));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Following a link in the details (an event's actor, an actor's place)
 * opens the page with no text selected. */
static void
test_details_open_unselected (void)
{
  CmWindow *window;
  CmSession *session;
  CmDataset *dataset;
  GtkWidget *details, *button, *focus;
  const char *links[] = { "Show “Sergei Lavrov”", "Show “Riyadh”" };
  guint32 event;

  if (skip_without_sample ())
    return;
  window = open_sample_at (1600, 900);
  session = cm_window_get_session (window);
  dataset = cm_session_get_dataset (session);
  details = cm_test_window_child (window, "details_panel");
  event = cm_dataset_find_event (dataset, "riyadh-talks");
  cm_session_select (session, CM_SELECTION_EVENT, event);
  cm_test_run_main_loop_for (200);

  for (guint i = 0; i < G_N_ELEMENTS (links); i++)
    {
      int start, end;

      cm_session_select (session, CM_SELECTION_EVENT, event);
      cm_test_run_main_loop_for (100);
      button = cm_test_find_descendant (details, is_button_labelled, links[i]);
      g_assert_nonnull (button);
      /* A click focuses the button, then activates it. */
      gtk_widget_grab_focus (button);
      g_signal_emit_by_name (button, "clicked");
      cm_test_run_main_loop_for (200);
      g_assert_cmpint (cm_session_get_selection_kind (session), ==,
                       i == 0 ? CM_SELECTION_ACTOR : CM_SELECTION_PLACE);
      focus = gtk_root_get_focus (GTK_ROOT (window));
      if (GTK_IS_LABEL (focus))
        g_assert_false (gtk_label_get_selection_bounds (GTK_LABEL (focus), &start, &end));
    }

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
check_icon_buttons (GtkWidget *widget,
                    GString   *unnamed)
{
  if (!gtk_widget_get_mapped (widget))
    return;
  if (GTK_IS_BUTTON (widget))
  /* A label of its own: GTK 4.8 labels an icon-only button by its image,
   * which a screen reader speaks as "GtkImage". */
  if (GTK_IS_BUTTON (widget) && GTK_IS_IMAGE (gtk_button_get_child (GTK_BUTTON (widget))) &&
      !gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL))
    g_string_append_printf (unnamed, "%s (%s) ", G_OBJECT_TYPE_NAME (widget),
                            gtk_image_get_icon_name (GTK_IMAGE (gtk_button_get_child (GTK_BUTTON (widget)))));
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    check_icon_buttons (child, unnamed);
}

/* Every icon-only button has a name for screen readers, and the groups'
 * colour swatches say their group. */
static void
test_accessible_names (void)
{
  CmWindow *window;
  g_autoptr(GString) unnamed = g_string_new (NULL);
  GtkWidget *row, *swatch;

  if (skip_without_sample ())
    return;
  window = open_sample_at (1600, 900);
  cm_session_select (cm_window_get_session (window), CM_SELECTION_ACTOR, 0);
  cm_test_run_main_loop_for (200);
  check_icon_buttons (GTK_WIDGET (window), unnamed);
  g_assert_cmpstr (unnamed->str, ==, "");

  row = cm_test_find_descendant (cm_test_window_child (window, "filter_panel"), is_row_titled, "United States");
  g_assert_nonnull (row);
  swatch = cm_test_find_descendant (row, is_swatch, NULL);
  g_assert_nonnull (swatch);
  g_assert_null (gtk_test_accessible_check_property (GTK_ACCESSIBLE (swatch),
                                                     GTK_ACCESSIBLE_PROPERTY_LABEL,
                                                     "United States"));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Asks for the window to be @width wide and runs the main loop until it
 * is, about. The window system applies a resize asynchronously, and a
 * request sent before the previous one is done can be lost on a loaded
 * machine (X11), or answered with the size the window had (a Wayland
 * compositor's late configure): the request is made again every second,
 * a pixel off so that GTK sends it anew. */
static void
resize_to_width (CmWindow *window,
                 int       width)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  gint64 next_request = 0;
  guint tries = 0;

  while (ABS (gtk_widget_get_width (GTK_WIDGET (window)) - width) > 20)
    {
      gint64 now = g_get_monotonic_time ();

      if (now > deadline)
        g_error ("the window is %d px wide after %u requests for %d",
                 gtk_widget_get_width (GTK_WIDGET (window)), tries, width);
      if (now >= next_request)
        {
          gtk_window_set_default_size (GTK_WINDOW (window), width + (int) (tries % 2), 800);
          next_request = now + G_USEC_PER_SEC;
          tries++;
        }
      cm_test_run_main_loop_for (20);
    }
  cm_test_run_main_loop_for (100);
}

/* A narrow window puts the details below the views, a wide one beside. */
static void
test_narrow_layout (void)
{
  CmWindow *window = create_window ();
  GtkOrientable *side = GTK_ORIENTABLE (cm_test_window_child (window, "side_paned"));

  resize_to_width (window, 1400);
  g_assert_cmpint (gtk_orientable_get_orientation (side), ==, GTK_ORIENTATION_HORIZONTAL);

  resize_to_width (window, 700);
  g_assert_cmpint (gtk_orientable_get_orientation (side), ==, GTK_ORIENTATION_VERTICAL);

  resize_to_width (window, 1400);
  g_assert_cmpint (gtk_orientable_get_orientation (side), ==, GTK_ORIENTATION_HORIZONTAL);

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  /* Accessible names are read back from GTK's test AT context. */
  g_setenv ("GTK_A11Y", "test", TRUE);

  /* Recent files go to a temporary data directory, and the application
   * talks to a private session bus, not the user's. */
  tmpdir = g_dir_make_tmp ("test-window-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("XDG_DATA_HOME", tmpdir, TRUE);
  /* Remembered views start empty on every run. */
  g_setenv ("XDG_STATE_HOME", tmpdir, TRUE);
  app = cm_test_app_start ();

  g_test_add_func ("/window/empty-state", test_empty_state);
  g_test_add_func ("/window/open-sample", test_open_sample);
  g_test_add_func ("/window/list/selection", test_list_selection);
  g_test_add_func ("/window/list/sort", test_list_sort);
  g_test_add_func ("/window/list/takes-new-dataset", test_list_takes_new_dataset);
  g_test_add_func ("/window/list/model-limit", test_event_model_limit);
  g_test_add_func ("/window/list/sort-large", test_list_sort_large);
  g_test_add_func ("/window/error/keeps-dataset", test_broken_file_keeps_dataset);
  g_test_add_func ("/window/error/first-file", test_broken_file_first);
  g_test_add_func ("/window/error/missing-file", test_missing_file);
  g_test_add_func ("/window/linked-views", test_linked_views);
  g_test_add_func ("/window/live-reload", test_live_reload);
  g_test_add_func ("/window/view-remembered", test_view_remembered);
  g_test_add_func ("/window/narrow-layout", test_narrow_layout);
  g_test_add_func ("/window/filter-popover-height", test_filter_popover_height);
  g_test_add_func ("/window/filter-rows-built-when-idle", test_filter_rows_built_when_idle);
  g_test_add_func ("/window/filters-button-not-for-search", test_filters_button_not_for_search);
  g_test_add_func ("/window/list-hides-timeline-controls", test_list_hides_timeline_controls);
  g_test_add_func ("/window/small-screens", test_small_screens);
  g_test_add_func ("/window/details-open-unselected", test_details_open_unselected);
  g_test_add_func ("/window/accessible-names", test_accessible_names);
  g_test_add_func ("/window/drop-file", test_drop_file);
  g_test_add_func ("/window/cancel-load", test_cancel_load);
  g_test_add_func ("/window/busy-until-built", test_busy_until_built);
  g_test_add_func ("/window/recent-menu", test_recent_menu);
  g_test_add_func ("/window/size-saved", test_window_size_saved);
  g_test_add_func ("/cli/validate", test_cli_validate);
  g_test_add_func ("/cli/options", test_cli_options);

  status = g_test_run ();

  g_clear_pointer (&app, cm_test_app_stop);
  /* Not g_test_dbus_down(): libadwaita keeps the session connection for
   * the life of the process, so waiting for it to go times out. GTestDBus's
   * watcher process stops the bus when this process exits. */
  remove_tree (tmpdir);
  g_free (tmpdir);

  return status;
}
