/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-details"

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "cm-details-panel.h"
#include "cm-filter-panel.h"
#include "cm-loader.h"
#include "cm-search-bar.h"
#include "generator.h"

/* A real window under Xvfb with the details panel, the filter panel and
 * the search bar on one session, driven as a user would: through the
 * buttons, check boxes and entries they show. */

typedef struct
{
  CmSession *session;
  CmDataset *dataset;
  GtkWindow *window;
  GtkWidget *details;
  GtkWidget *filters;
  GtkWidget *search;
} Fixture;

static void
iterate (void)
{
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
}

/* Runs the main loop until the filter panel's worker has brought the
 * counts of the filter now. */
static void
wait_for_counts (GtkWidget *panel)
{
  while (cm_filter_panel_is_counting (CM_FILTER_PANEL (panel)))
    g_main_context_iteration (NULL, TRUE);
  iterate ();
}

static gboolean
timeout_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;

  return G_SOURCE_REMOVE;
}

static void
wait_until_mapped (GtkWidget *widget)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (10, timeout_cb, &timed_out);

  while (!gtk_widget_get_mapped (widget) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (id);
  iterate ();
}

static void
fixture_set_up_with (Fixture   *fixture,
                     CmDataset *dataset)
{
  GtkWidget *paned, *box;

  fixture->dataset = dataset;
  fixture->session = cm_session_new ();
  cm_session_set_dataset (fixture->session, dataset);

  fixture->details = cm_details_panel_new (fixture->session);
  fixture->filters = cm_filter_panel_new (fixture->session);
  fixture->search = cm_search_bar_new (fixture->session);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_box_append (GTK_BOX (box), fixture->search);
  gtk_widget_set_vexpand (fixture->details, TRUE);
  gtk_box_append (GTK_BOX (box), fixture->details);

  paned = gtk_paned_new (GTK_ORIENTATION_HORIZONTAL);
  gtk_paned_set_start_child (GTK_PANED (paned), fixture->filters);
  gtk_paned_set_end_child (GTK_PANED (paned), box);
  gtk_paned_set_position (GTK_PANED (paned), 340);

  fixture->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (fixture->window, 1000, 800);
  gtk_window_set_child (fixture->window, paned);
  gtk_window_present (fixture->window);
  wait_until_mapped (fixture->filters);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "samples",
                                                 "riyadh-talks-2025.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  CmDataset *dataset = cm_loader_load_file (file, NULL, &error);

  g_assert_no_error (error);
  fixture_set_up_with (fixture, dataset);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (fixture->window);
  iterate ();
  g_clear_object (&fixture->session);
  g_clear_object (&fixture->dataset);
}

/* Widget look-ups: a user finds things by what they read. */

typedef gboolean (*Match) (GtkWidget *widget, gconstpointer data);

static void
collect (GtkWidget     *root,
         Match          match,
         gconstpointer  data,
         GPtrArray     *found)
{
  if (!gtk_widget_get_visible (root))
    return;
  if (match (root, data))
    g_ptr_array_add (found, root);
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect (child, match, data, found);
}

static GtkWidget *
find (GtkWidget     *root,
      Match          match,
      gconstpointer  data)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new ();

  collect (root, match, data, found);

  return found->len > 0 ? g_ptr_array_index (found, 0) : NULL;
}

static gboolean
is_label_with_text (GtkWidget     *widget,
                    gconstpointer  text);

static GtkWidget *
first_label (GtkWidget *widget)
{
  if (GTK_IS_LABEL (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *label = first_label (child);

      if (label)
        return label;
    }

  return NULL;
}

/* A row of a list, found by its title: the first label in it. */
static gboolean
is_row_titled (GtkWidget     *widget,
               gconstpointer  title)
{
  GtkWidget *label;

  if (ADW_IS_ACTION_ROW (widget))
    return g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0;
  if (!GTK_IS_LIST_BOX_ROW (widget))
    return FALSE;
  label = first_label (widget);

  return label != NULL && is_label_with_text (label, title);
}

static gboolean
is_label_with_text (GtkWidget     *widget,
                    gconstpointer  text)
{
  return GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0;
}

static gboolean
is_button_for_action (GtkWidget     *widget,
                      gconstpointer  action)
{
  return GTK_IS_BUTTON (widget) &&
         g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action) == 0;
}

static gboolean
has_label (GtkWidget  *widget,
           const char *label)
{
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), label) == 0)
    return TRUE;
  if (ADW_IS_BUTTON_CONTENT (widget) &&
      g_strcmp0 (adw_button_content_get_label (ADW_BUTTON_CONTENT (widget)), label) == 0)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (has_label (child, label))
      return TRUE;

  return FALSE;
}

static gboolean
is_button_labelled (GtkWidget     *widget,
                    gconstpointer  label)
{
  return GTK_IS_BUTTON (widget) && has_label (widget, label);
}

static gboolean
is_count_label (GtkWidget     *widget,
                gconstpointer  data)
{
  return GTK_IS_LABEL (widget) && gtk_widget_has_css_class (widget, "cm-count");
}

static GtkWidget *
find_row (GtkWidget  *root,
          const char *title)
{
  GtkWidget *row = find (root, is_row_titled, title);

  if (row == NULL)
    g_error ("no row “%s”", title);

  return row;
}

/* Clicks the button at the end of a row, which the row itself forwards
 * clicks to. */
static gboolean
is_button (GtkWidget     *widget,
           gconstpointer  data)
{
  return GTK_IS_BUTTON (widget);
}

/* Clicks the button at the end of a row, which the row itself forwards
 * clicks to. */
static void
click_row (GtkWidget  *root,
           const char *title)
{
  GtkWidget *row = find_row (root, title);
  GtkWidget *button;

  if (ADW_IS_ACTION_ROW (row))
    button = adw_action_row_get_activatable_widget (ADW_ACTION_ROW (row));
  else
    button = find (row, is_button, NULL);

  g_assert_true (GTK_IS_BUTTON (button));
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
  iterate ();
}

static gboolean
is_check_button (GtkWidget     *widget,
                 gconstpointer  data)
{
  return GTK_IS_CHECK_BUTTON (widget);
}

/* The check box of a filter row. */
static GtkWidget *
row_check (GtkWidget *row)
{
  GtkWidget *check = find (row, is_check_button, NULL);

  g_assert_true (GTK_IS_CHECK_BUTTON (check));
  return check;
}

static const char *
row_count (GtkWidget  *root,
           const char *title)
{
  GtkWidget *label = find (find_row (root, title), is_count_label, NULL);

  g_assert_nonnull (label);

  return gtk_label_get_text (GTK_LABEL (label));
}

static gboolean
is_stack (GtkWidget     *widget,
          gconstpointer  data)
{
  return GTK_IS_STACK (widget);
}

static GtkWidget *
visible_page (Fixture *fixture)
{
  GtkWidget *stack = find (fixture->details, is_stack, NULL);

  g_assert_nonnull (stack);

  return gtk_stack_get_visible_child (GTK_STACK (stack));
}

static gboolean
event_has_actor (CmDataset *dataset,
                 guint      event,
                 guint      actor)
{
  const guint32 *actors;
  guint n;

  actors = cm_dataset_get_event_actors (dataset, cm_dataset_get_event (dataset, event), &n);
  for (guint i = 0; i < n; i++)
    if (actors[i] == actor)
      return TRUE;

  return FALSE;
}

static gboolean
event_has_group (CmDataset *dataset,
                 guint      event,
                 guint      group)
{
  const guint32 *actors;
  guint n;

  actors = cm_dataset_get_event_actors (dataset, cm_dataset_get_event (dataset, event), &n);
  for (guint i = 0; i < n; i++)
    if (cm_dataset_get_actor (dataset, actors[i])->group == group)
      return TRUE;

  return FALSE;
}

static void
test_event_to_actor_and_back (Fixture       *fixture,
                              gconstpointer  data)
{
  CmDataset *dataset = fixture->dataset;
  guint talks = cm_dataset_find_event (dataset, "riyadh-talks");
  guint lavrov = cm_dataset_find_actor (dataset, "lavrov");
  const guint32 *order = cm_dataset_get_time_order (dataset);
  const guint32 *actors;
  GtkWidget *page, *events_list = NULL, *row;
  g_autofree char *heading = NULL;
  guint n, n_lavrov = 0, n_with_rubio = 0, position = 0;

  g_assert_cmpstr (cm_details_panel_get_page_name (CM_DETAILS_PANEL (fixture->details)), ==,
                   "empty");
  g_assert_nonnull (find (fixture->details, is_label_with_text,
                          "Select an event, actor or place"));

  /* The event page: its title and every actor, each with a row. */
  cm_session_select (fixture->session, CM_SELECTION_EVENT, talks);
  iterate ();
  g_assert_cmpstr (cm_details_panel_get_page_name (CM_DETAILS_PANEL (fixture->details)), ==,
                   "event");
  page = visible_page (fixture);
  g_assert_nonnull (find (page, is_label_with_text, cm_dataset_get_event (dataset, talks)->title));
  g_assert_nonnull (find (page, is_label_with_text, "18 February 2025"));
  actors = cm_dataset_get_event_actors (dataset, cm_dataset_get_event (dataset, talks), &n);
  g_assert_cmpuint (n, ==, 5);
  for (guint i = 0; i < n; i++)
    find_row (page, cm_dataset_get_actor (dataset, actors[i])->name);
  find_row (page, "Riyadh");

  /* Click Lavrov: the session selects him and his page lists his events
   * in time order. */
  click_row (page, "Sergei Lavrov");
  g_assert_cmpint (cm_session_get_selection_kind (fixture->session), ==, CM_SELECTION_ACTOR);
  g_assert_cmpuint (cm_session_get_selection_index (fixture->session), ==, lavrov);
  g_assert_cmpstr (cm_details_panel_get_page_name (CM_DETAILS_PANEL (fixture->details)), ==,
                   "actor");
  page = visible_page (fixture);
  g_assert_nonnull (find (page, is_label_with_text, "Sergei Lavrov"));
  g_assert_nonnull (find (page, is_label_with_text, "Minister of Foreign Affairs of Russia"));
  g_assert_nonnull (find (page, is_label_with_text, "Russia"));

  for (guint r = 0; r < cm_dataset_get_n_events (dataset); r++)
    n_lavrov += event_has_actor (dataset, order[r], lavrov);
  g_assert_cmpuint (n_lavrov, >=, 4);
  heading = g_strdup_printf ("%u Events", n_lavrov);
  g_assert_nonnull (find (page, is_label_with_text, heading));

  row = find_row (page, cm_dataset_get_event (dataset, talks)->title);
  events_list = gtk_widget_get_parent (row);
  for (guint r = 0; r < cm_dataset_get_n_events (dataset); r++)
    {
      GtkListBoxRow *listed;

      if (!event_has_actor (dataset, order[r], lavrov))
        continue;
      listed = gtk_list_box_get_row_at_index (GTK_LIST_BOX (events_list), position++);
      g_assert_nonnull (listed);
      g_assert_true (is_row_titled (GTK_WIDGET (listed),
                                    cm_dataset_get_event (dataset, order[r])->title));
    }
  g_assert_null (gtk_list_box_get_row_at_index (GTK_LIST_BOX (events_list), position));

  /* Who he appears with, and how often. */
  for (guint i = 0; i < cm_dataset_get_n_events (dataset); i++)
    n_with_rubio += event_has_actor (dataset, i, lavrov) &&
                    event_has_actor (dataset, i, cm_dataset_find_actor (dataset, "rubio"));
  g_assert_cmpuint (n_with_rubio, >=, 2);
  row = find_row (page, "Marco Rubio");
  g_clear_pointer (&heading, g_free);
  heading = g_strdup_printf ("%u events", n_with_rubio);
  g_assert_nonnull (find (row, is_label_with_text, heading));

  /* Back returns to the event, forward to the actor, through the
   * header's buttons. */
  g_signal_emit_by_name (find (fixture->details, is_button_for_action, "details.back"),
                         "clicked");
  iterate ();
  g_assert_cmpuint (cm_session_get_selected_event (fixture->session), ==, talks);
  g_assert_cmpstr (cm_details_panel_get_page_name (CM_DETAILS_PANEL (fixture->details)), ==,
                   "event");
  g_assert_true (gtk_widget_is_sensitive (find (fixture->details, is_button_for_action,
                                                "details.forward")));

  g_assert_true (gtk_widget_activate_action (fixture->details, "details.forward", NULL));
  iterate ();
  g_assert_cmpuint (cm_session_get_selection_index (fixture->session), ==, lavrov);
  g_assert_false (gtk_widget_is_sensitive (find (fixture->details, is_button_for_action,
                                                 "details.forward")));
}

static void
test_place_page (Fixture       *fixture,
                 gconstpointer  data)
{
  CmDataset *dataset = fixture->dataset;
  guint ankara = cm_dataset_find_place (dataset, "ankara");
  GtkWidget *page;

  /* What happened in Ankara? */
  cm_session_select (fixture->session, CM_SELECTION_PLACE, ankara);
  iterate ();
  page = visible_page (fixture);
  g_assert_nonnull (find (page, is_label_with_text, "Ankara"));
  g_assert_nonnull (find (page, is_label_with_text, "Turkey"));
  g_assert_nonnull (find (page, is_label_with_text, "39.9334° N, 32.8597° E"));
  g_assert_nonnull (find (page, is_label_with_text, "2 Events"));
  find_row (page, cm_dataset_get_event (dataset,
                                        cm_dataset_find_event (dataset, "zelensky-in-ankara"))->title);
  g_assert_nonnull (find (page, is_label_with_text, "2 Actors"));
  g_assert_nonnull (find (find_row (page, "Volodymyr Zelensky"), is_label_with_text, "2 events"));
  find_row (page, "Recep Tayyip Erdoğan");

  /* Activating the row itself (a click or Enter on it) opens the actor. */
  g_assert_true (gtk_widget_activate (find_row (page, "Recep Tayyip Erdoğan")));
  iterate ();
  g_assert_cmpuint (cm_session_get_selection_index (fixture->session), ==,
                    cm_dataset_find_actor (dataset, "erdogan"));
}

static void
test_group_filter (Fixture       *fixture,
                   gconstpointer  data)
{
  CmDataset *dataset = fixture->dataset;
  guint russia = cm_dataset_find_group (dataset, "russia");
  guint rubio = cm_dataset_find_actor (dataset, "rubio");
  guint n_russia = 0, n_rubio = 0, n_rubio_russia = 0;
  g_autofree char *before = NULL, *after = NULL, *summary = NULL;
  GtkWidget *check, *clear, *label;
  int width;

  for (guint i = 0; i < cm_dataset_get_n_events (dataset); i++)
    {
      n_russia += event_has_group (dataset, i, russia);
      n_rubio += event_has_actor (dataset, i, rubio);
      n_rubio_russia += event_has_group (dataset, i, russia) && event_has_actor (dataset, i, rubio);
    }
  g_assert_cmpuint (n_rubio_russia, <, n_rubio);

  before = g_strdup_printf ("%u", n_rubio);
  wait_for_counts (fixture->filters);
  g_assert_cmpstr (row_count (fixture->filters, "Marco Rubio"), ==, before);
  g_assert_nonnull (find (fixture->filters, is_label_with_text, "19 events"));

  /* Tick "Russia". */
  check = row_check (find_row (fixture->filters, "Russia"));
  g_assert_true (GTK_IS_CHECK_BUTTON (check));
  label = find (find_row (fixture->filters, "Marco Rubio"), is_count_label, NULL);
  width = gtk_widget_get_width (label);
  gtk_widget_activate (check);
  /* The counts come from a worker: meanwhile the last ones stay. */
  g_assert_true (cm_filter_panel_is_counting (CM_FILTER_PANEL (fixture->filters)));
  g_assert_cmpstr (row_count (fixture->filters, "Marco Rubio"), ==, before);
  wait_for_counts (fixture->filters);

  g_assert_true (cm_filter_get_value (cm_session_get_filter (fixture->session),
                                      CM_FACET_GROUP, russia));
  g_assert_cmpuint (cm_session_get_n_visible (fixture->session), ==, n_russia);
  after = g_strdup_printf ("%u", n_rubio_russia);
  /* Nothing moved when they came. */
  g_assert_cmpint (gtk_widget_get_width (label), ==, width);
  g_assert_cmpstr (row_count (fixture->filters, "Marco Rubio"), ==, after);
  summary = g_strdup_printf ("%u of 19 events", n_russia);
  g_assert_nonnull (find (fixture->filters, is_label_with_text, summary));

  /* "Clear All" shows everything again and unticks the box. */
  clear = find (fixture->filters, is_button_labelled, "_Clear All");
  g_assert_true (gtk_widget_is_sensitive (clear));
  g_signal_emit_by_name (clear, "clicked");
  wait_for_counts (fixture->filters);
  g_assert_cmpuint (cm_session_get_n_visible (fixture->session), ==, 19);
  g_assert_false (gtk_check_button_get_active (GTK_CHECK_BUTTON (check)));
  g_assert_cmpstr (row_count (fixture->filters, "Marco Rubio"), ==, before);
  g_assert_false (gtk_widget_is_sensitive (clear));

  /* Activating the row itself (a click or Enter on it) ticks its box, and
   * again unticks it. */
  g_assert_true (gtk_widget_activate (find_row (fixture->filters, "Russia")));
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (check)));
  g_assert_true (cm_filter_get_value (cm_session_get_filter (fixture->session),
                                      CM_FACET_GROUP, russia));
  g_assert_true (gtk_widget_activate (find_row (fixture->filters, "Russia")));
  g_assert_false (gtk_check_button_get_active (GTK_CHECK_BUTTON (check)));
  g_assert_false (cm_filter_is_active (cm_session_get_filter (fixture->session)));
  wait_for_counts (fixture->filters);
}

static gboolean
is_heading (GtkWidget     *widget,
            gconstpointer  text)
{
  return is_label_with_text (widget, text) && gtk_widget_has_css_class (widget, "heading");
}

static gboolean
is_visible_row (GtkWidget     *widget,
                gconstpointer  data)
{
  return GTK_IS_LIST_BOX_ROW (widget) && gtk_widget_get_visible (widget);
}

static gboolean
is_search_entry (GtkWidget     *widget,
                 gconstpointer  data)
{
  return GTK_IS_SEARCH_ENTRY (widget);
}

static gboolean
is_caption (GtkWidget     *widget,
            gconstpointer  data)
{
  return GTK_IS_LABEL (widget) && gtk_widget_has_css_class (widget, "caption");
}

static GtkWidget *
nth_row (GtkWidget *section,
         guint      n)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  collect (section, is_visible_row, NULL, rows);
  return n < rows->len ? g_ptr_array_index (rows, n) : NULL;
}

static guint
count_rows (GtkWidget *section)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  collect (section, is_visible_row, NULL, rows);
  return rows->len;
}

/* Runs the main loop until @row_title shows in @root, as a search entry
 * answers after a pause in typing. */
static void
wait_for_row (GtkWidget  *root,
              const char *row_title)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (10, timeout_cb, &timed_out);

  while (find (root, is_row_titled, row_title) == NULL && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (id);
  iterate ();
}

/* 5,000 places: the popover shows the most frequent twenty, "Show More"
 * fifty, and the section's search finds any other; ticking one filters
 * the events, and its count comes from the worker. */
static void
test_long_list (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *wanted_name = NULL, *summary = NULL, *count = NULL;
  CmDataset *dataset;
  Fixture fixture = { 0 };
  GtkWidget *section, *more, *entry, *row, *check;
  guint n_matches = 0, wanted = CM_NONE, n_wanted_events;
  gsize length;
  char *json;

  json = cm_generator_json (20000, 2000, 5000, 40, 7, &length);
  bytes = g_bytes_new_take (json, length);
  dataset = cm_loader_load_bytes (bytes, "long.json", NULL, &error);
  g_assert_no_error (error);
  fixture_set_up_with (&fixture, dataset);
  wait_for_counts (fixture.filters);

  section = gtk_widget_get_parent (find (fixture.filters, is_heading, "Places"));
  g_assert_cmpuint (count_rows (section), ==, 20);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (find (section, is_caption, NULL))), ==,
                   "Showing 20 of 5000. Search to find others.");
  /* Forty groups: twenty, a search and "Show More" as well. */
  g_assert_cmpuint (count_rows (gtk_widget_get_parent (find (fixture.filters, is_heading,
                                                             "Groups"))), ==, 20);

  more = find (section, is_button_labelled, "Show More");
  g_assert_nonnull (more);
  g_signal_emit_by_name (more, "clicked");
  iterate ();
  g_assert_cmpuint (count_rows (section), ==, CM_FILTER_PANEL_MAX_ROWS);
  g_assert_null (find (section, is_button_labelled, "Show More"));
  /* The keyboard goes on at the first row it brought. */
  g_assert_true (gtk_window_get_focus (fixture.window) == nth_row (section, 20));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (find (section, is_caption, NULL))), ==,
                   "Showing 50 of 5000. Search to find others.");

  /* "432" is in "Name 432", "Name 1432", ... "Name 4329". */
  for (guint i = 0; i < cm_dataset_get_n_places (dataset); i++)
    if (strstr (cm_dataset_get_place (dataset, i)->name, "432") != NULL)
      {
        guint n;

        n_matches++;
        cm_dataset_get_place_events (dataset, i, &n);
        if (wanted == CM_NONE && n > 0)
          wanted = i;
      }
  g_assert_cmpuint (n_matches, >, 5);
  g_assert_cmpuint (wanted, !=, CM_NONE);
  wanted_name = g_strdup (cm_dataset_get_place (dataset, wanted)->name);
  cm_dataset_get_place_events (dataset, wanted, &n_wanted_events);

  entry = find (section, is_search_entry, NULL);
  gtk_editable_set_text (GTK_EDITABLE (entry), "432");
  wait_for_row (section, wanted_name);
  g_assert_cmpuint (count_rows (section), ==, n_matches);
  g_assert_null (find (section, is_caption, NULL));

  /* Tick it: the events of that place, and its count, once counted. */
  row = find_row (section, wanted_name);
  check = row_check (row);
  gtk_widget_activate (check);
  wait_for_counts (fixture.filters);
  g_assert_cmpuint (cm_session_get_n_visible (fixture.session), ==, n_wanted_events);
  summary = g_strdup_printf ("%u of 20000 events", n_wanted_events);
  g_assert_nonnull (find (fixture.filters, is_label_with_text, summary));
  count = g_strdup_printf ("%u", n_wanted_events);
  g_assert_cmpstr (row_count (section, wanted_name), ==, count);

  /* The search cleared, the chosen place stays in view, first. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  g_signal_emit_by_name (entry, "search-changed");
  iterate ();
  row = find_row (section, wanted_name);
  g_assert_true (find (section, is_visible_row, NULL) == row);
  check = row_check (row);
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (check)));
  /* Still showing more, as the user asked. */
  g_assert_cmpuint (count_rows (section), ==, CM_FILTER_PANEL_MAX_ROWS);

  fixture_tear_down (&fixture, NULL);
}

static void
test_tag_and_neighbours (Fixture       *fixture,
                         gconstpointer  data)
{
  CmDataset *dataset = fixture->dataset;
  guint talks = cm_dataset_find_event (dataset, "riyadh-talks");
  const guint32 *order = cm_dataset_get_time_order (dataset);
  guint rank = cm_dataset_get_time_rank (dataset, talks);
  GtkWidget *page, *tag, *later, *check;
  guint expected = CM_NONE;

  cm_session_select (fixture->session, CM_SELECTION_EVENT, talks);
  iterate ();
  page = visible_page (fixture);

  /* Clicking the "diplomacy" tag filters by it, and the filter panel's
   * box follows. */
  tag = find (page, is_button_labelled, "diplomacy");
  g_assert_nonnull (tag);
  g_signal_emit_by_name (tag, "clicked");
  iterate ();
  check = row_check (find_row (fixture->filters, "diplomacy"));
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (check)));
  g_assert_true (cm_session_is_event_visible (fixture->session, talks));

  /* "Later event" skips what the filter hides. */
  for (guint r = rank + 1; r < cm_dataset_get_n_events (dataset) && expected == CM_NONE; r++)
    if (cm_session_is_event_visible (fixture->session, order[r]))
      expected = order[r];
  g_assert_cmpuint (expected, !=, CM_NONE);
  /* The event right after it in time is not tagged so. */
  g_assert_false (cm_session_is_event_visible (fixture->session, order[rank + 1]));
  later = find (page, is_button_labelled, "_Later Event");
  g_signal_emit_by_name (later, "clicked");
  iterate ();
  g_assert_cmpuint (cm_session_get_selected_event (fixture->session), ==, expected);
  g_assert_cmpuint (cm_session_get_selected_event (fixture->session), !=, order[rank + 1]);
}

static void
test_date_range (Fixture       *fixture,
                 gconstpointer  data)
{
  GtkWidget *grid = NULL;
  GtkWidget *from, *to;
  guint expected = 0;
  gint64 range_from, range_to;

  for (GtkWidget *w = find (fixture->filters, is_label_with_text, "Dates"); w; w = gtk_widget_get_next_sibling (w))
    if (GTK_IS_GRID (w))
      grid = w;
  g_assert_nonnull (grid);
  from = gtk_grid_get_child_at (GTK_GRID (grid), 1, 0);
  to = gtk_grid_get_child_at (GTK_GRID (grid), 1, 1);

  /* Not a date: an error on the entry, nothing applied. */
  gtk_editable_set_text (GTK_EDITABLE (from), "2025-13");
  g_signal_emit_by_name (from, "activate");
  iterate ();
  g_assert_true (gtk_widget_has_css_class (from, "error"));
  g_assert_nonnull (gtk_widget_get_tooltip_text (from));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (from), "2025-13"));
  cm_filter_get_range (cm_session_get_filter (fixture->session), &range_from, &range_to);
  g_assert_cmpint (range_from, ==, G_MININT64);

  /* The 18th of February, whole. */
  gtk_editable_set_text (GTK_EDITABLE (from), "2025-02-18");
  g_assert_false (gtk_widget_has_css_class (from, "error"));
  gtk_editable_set_text (GTK_EDITABLE (to), "2025-02-18");
  g_signal_emit_by_name (to, "activate");
  iterate ();
  for (guint i = 0; i < cm_dataset_get_n_events (fixture->dataset); i++)
    {
      const CmEvent *event = cm_dataset_get_event (fixture->dataset, i);
      CmTime day;

      g_assert_true (cm_time_parse ("2025-02-18", NULL, &day, NULL));
      expected += event->start.seconds < cm_time_get_end (&day) &&
                  cm_time_get_end (&event->end) > day.seconds;
    }
  g_assert_cmpuint (expected, >, 5);
  g_assert_cmpuint (cm_session_get_n_visible (fixture->session), ==, expected);

  /* An end before the start is refused. */
  gtk_editable_set_text (GTK_EDITABLE (to), "2024");
  g_signal_emit_by_name (to, "activate");
  iterate ();
  g_assert_true (gtk_widget_has_css_class (to, "error"));
  g_assert_cmpuint (cm_session_get_n_visible (fixture->session), ==, expected);
}

typedef struct
{
  const char *text;
  gboolean    done;
} Typing;

/* Setting the text first deletes the old text, which an empty entry
 * reports at once: wait for the search of the new text. */
static void
search_changed_cb (GtkSearchEntry *entry,
                   Typing         *typing)
{
  if (g_str_equal (gtk_editable_get_text (GTK_EDITABLE (entry)), typing->text))
    typing->done = TRUE;
}

static void
type_search (GtkSearchEntry *entry,
             const char     *text)
{
  Typing typing = { text, FALSE };
  gboolean timed_out = FALSE;
  gulong handler = g_signal_connect (entry, "search-changed", G_CALLBACK (search_changed_cb),
                                     &typing);
  guint id = g_timeout_add_seconds (5, timeout_cb, &timed_out);

  gtk_editable_set_text (GTK_EDITABLE (entry), text);
  while (!typing.done && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (id);
  g_signal_handler_disconnect (entry, handler);
  iterate ();
}

static void
test_search_enter (Fixture       *fixture,
                   gconstpointer  data)
{
  CmSearchBar *bar = CM_SEARCH_BAR (fixture->search);
  GtkSearchEntry *entry = cm_search_bar_get_entry (bar);
  CmDataset *dataset = fixture->dataset;
  const guint32 *order = cm_dataset_get_time_order (dataset);
  guint lavrov = cm_dataset_find_actor (dataset, "lavrov");
  g_autoptr(GArray) matches = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autofree char *label = NULL;

  cm_search_bar_set_search_mode_enabled (bar, TRUE);
  iterate ();
  g_assert_true (cm_search_bar_get_search_mode_enabled (bar));

  /* Accents and case do not matter. */
  type_search (entry, "LÁVROV");
  for (guint r = 0; r < cm_dataset_get_n_events (dataset); r++)
    if (cm_session_is_event_visible (fixture->session, order[r]))
      g_array_append_val (matches, order[r]);
  for (guint i = 0; i < cm_dataset_get_n_events (dataset); i++)
    if (event_has_actor (dataset, i, lavrov))
      g_assert_true (cm_session_is_event_visible (fixture->session, i));
  g_assert_cmpuint (matches->len, >=, 3);
  g_assert_cmpuint (matches->len, <, 19);
  label = g_strdup_printf ("%u matches", matches->len);
  g_assert_nonnull (find (fixture->search, is_label_with_text, label));

  /* Enter: the first match in time order, then the next; Shift+Enter
   * goes back. */
  g_signal_emit_by_name (entry, "activate");
  iterate ();
  g_assert_cmpuint (cm_session_get_selected_event (fixture->session), ==,
                    g_array_index (matches, guint, 0));
  g_signal_emit_by_name (entry, "activate");
  iterate ();
  g_assert_cmpuint (cm_session_get_selected_event (fixture->session), ==,
                    g_array_index (matches, guint, 1));
  g_signal_emit_by_name (entry, "previous-match");
  iterate ();
  g_assert_cmpuint (cm_session_get_selected_event (fixture->session), ==,
                    g_array_index (matches, guint, 0));
  /* ... and wraps around from the first to the last. */
  g_signal_emit_by_name (entry, "previous-match");
  iterate ();
  g_assert_cmpuint (cm_session_get_selected_event (fixture->session), ==,
                    g_array_index (matches, guint, matches->len - 1));

  /* Nothing found. */
  type_search (entry, "zzzz-nothing");
  g_assert_cmpuint (cm_session_get_n_visible (fixture->session), ==, 0);
  g_assert_nonnull (find (fixture->search, is_label_with_text, "No matches"));

  /* Escape closes the bar and ends the search. */
  g_signal_emit_by_name (entry, "stop-search");
  iterate ();
  g_assert_false (cm_search_bar_get_search_mode_enabled (bar));
  g_assert_null (cm_filter_get_search (cm_session_get_filter (fixture->session)));
  g_assert_cmpuint (cm_session_get_n_visible (fixture->session), ==, 19);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "");
}

/* Many events, each titled "Event N" and every tenth "Summit N", in a
 * dataset whose search index is not built yet. */
static CmDataset *
make_many_events (guint n)
{
  g_autoptr(CmDatasetBuilder) builder = cm_dataset_builder_new ();

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *id = g_strdup_printf ("e%u", i);
      g_autofree char *title = g_strdup_printf ("%s %u", i % 10 ? "Event" : "Summit", i);
      CmEvent event = { .id = id, .title = title };

      event.start.seconds = 1700000000 + i * 60;
      event.start.precision = CM_PRECISION_MINUTE;
      event.end = event.start;
      cm_dataset_builder_add_event (builder, &event, NULL, 0, NULL, 0, NULL, 0, NULL, 0, NULL, 0);
    }

  return cm_dataset_builder_finish (g_steal_pointer (&builder));
}

/* A search typed while the index of a file just opened is being built
 * says so, rather than "No matches", until its results come. */
static void
test_search_pending (Fixture       *fixture,
                     gconstpointer  data)
{
  CmSearchBar *bar = CM_SEARCH_BAR (fixture->search);
  GtkSearchEntry *entry = cm_search_bar_get_entry (bar);
  g_autoptr(CmDataset) many = make_many_events (200000);
  CmFilter *filter;
  gboolean timed_out = FALSE;
  guint id;

  cm_search_bar_set_search_mode_enabled (bar, TRUE);
  iterate ();
  cm_session_set_dataset (fixture->session, many);
  gtk_editable_set_text (GTK_EDITABLE (entry), "summit");
  g_signal_emit_by_name (entry, "activate");
  filter = cm_session_get_filter (fixture->session);

  /* 200,000 events take tens of milliseconds to index: unless this
   * thread was held up that long, the search is still pending. */
  if (cm_filter_is_search_pending (filter))
    {
      g_test_message ("searching while the index is built");
      g_assert_nonnull (find (fixture->search, is_label_with_text, "Searching…"));
      g_assert_null (find (fixture->search, is_label_with_text, "No matches"));
    }

  id = g_timeout_add_seconds (20, timeout_cb, &timed_out);
  while (cm_filter_is_search_pending (filter) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (id);
  iterate ();
  g_assert_cmpuint (cm_session_get_n_visible (fixture->session), ==, 20000);
  g_assert_nonnull (find (fixture->search, is_label_with_text, "20000 matches"));
  g_assert_null (find (fixture->search, is_label_with_text, "Searching…"));
}

/* Text from a file is shown as it is, never read as markup. */
static void
test_plain_text (void)
{
  g_autoptr(CmDatasetBuilder) builder = cm_dataset_builder_new ();
  const char *title = "Talks <b>resume</b> & stall";
  const char *name = "Smith & <i>Sons</i>";
  CmGroup group = { "g", "A & B", 0x3584e4, TRUE };
  CmActor actor = { .id = "a", .name = name, .role = "<u>role</u>", .group = 0 };
  CmPlace place = { .id = "p", .name = "<Nowhere>", .lat = -33.8688, .lon = -151.2093 };
  CmQuote quote = { 0, "We said <no> & left" };
  CmLink source = { "A <source>", "javascript:alert(1)" };
  CmEvent event = { .id = "e", .title = title };
  guint32 zero = 0;
  Fixture fixture = { 0 };
  GtkWidget *page, *row;

  cm_dataset_builder_add_group (builder, &group);
  cm_dataset_builder_add_actor (builder, &actor, NULL, 0);
  cm_dataset_builder_add_place (builder, &place);
  g_assert_true (cm_time_parse ("2025-02-18T10:00+03:00", NULL, &event.start, NULL));
  event.end = event.start;
  cm_dataset_builder_add_event (builder, &event, &zero, 1, &zero, 1, NULL, 0,
                                &quote, 1, &source, 1);
  cm_dataset_builder_set_event_summary (builder, 0, "x < y");
  fixture_set_up_with (&fixture, cm_dataset_builder_finish (g_steal_pointer (&builder)));

  cm_session_select (fixture.session, CM_SELECTION_EVENT, 0);
  iterate ();
  page = visible_page (&fixture);
  g_assert_nonnull (find (page, is_label_with_text, title));
  g_assert_nonnull (find (page, is_label_with_text, "x < y"));
  g_assert_nonnull (find (page, is_label_with_text, "“We said <no> & left”"));
  g_assert_nonnull (find (page, is_label_with_text, "18 February 2025, 10:00 +03:00"));
  row = find_row (page, name);
  g_assert_nonnull (find (row, is_label_with_text, name));
  g_assert_nonnull (find (row, is_label_with_text, "<u>role</u>"));
  /* A link that is not http(s) gets no button to open it. */
  row = find_row (page, "A <source>");
  g_assert_null (adw_action_row_get_activatable_widget (ADW_ACTION_ROW (row)));
  g_assert_nonnull (find (fixture.filters, is_label_with_text, "A & B"));

  cm_session_select (fixture.session, CM_SELECTION_PLACE, 0);
  iterate ();
  page = visible_page (&fixture);
  g_assert_nonnull (find (page, is_label_with_text, "<Nowhere>"));
  g_assert_nonnull (find (page, is_label_with_text, "33.8688° S, 151.2093° W"));

  fixture_tear_down (&fixture, NULL);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/details/panel/event-actor-back", Fixture, NULL,
              fixture_set_up, test_event_to_actor_and_back, fixture_tear_down);
  g_test_add ("/details/panel/place", Fixture, NULL,
              fixture_set_up, test_place_page, fixture_tear_down);
  g_test_add ("/details/panel/tag-and-neighbours", Fixture, NULL,
              fixture_set_up, test_tag_and_neighbours, fixture_tear_down);
  g_test_add_func ("/details/panel/plain-text", test_plain_text);
  g_test_add ("/details/filters/group", Fixture, NULL,
              fixture_set_up, test_group_filter, fixture_tear_down);
  g_test_add_func ("/details/filters/long-list", test_long_list);
  g_test_add ("/details/filters/date-range", Fixture, NULL,
              fixture_set_up, test_date_range, fixture_tear_down);
  g_test_add ("/details/search/enter", Fixture, NULL,
              fixture_set_up, test_search_enter, fixture_tear_down);
  g_test_add ("/details/search/pending", Fixture, NULL,
              fixture_set_up, test_search_pending, fixture_tear_down);

  return g_test_run ();
}
