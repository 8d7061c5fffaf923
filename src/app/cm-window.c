/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-window"

#include "config.h"

#include <errno.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <glib/gi18n.h>

#include "cm-details-panel.h"
#include "cm-event-list.h"
#include "cm-export-dialog.h"
#include "cm-save-as.h"
#include "cm-file-watch.h"
#include "cm-launch.h"
#include "cm-filter-panel.h"
#include "cm-loader.h"
#include "cm-map-view.h"
#include "cm-place-layer.h"
#include "cm-reload-banner.h"
#include "cm-search-bar.h"
#include "cm-search-index.h"
#include "cm-session-state.h"
#include "cm-timeline-view.h"
#include "cm-window.h"

/* A load that finishes sooner than this never flashes the spinner. */
#define LOADING_PAGE_DELAY_MS 150
/* How often the loading page shows how far a load has gone. */
#define PROGRESS_INTERVAL_MS 100
#define MAX_RECENT_FILES 8
/* Narrower than this, the details panel goes below the views. */
#define NARROW_WIDTH 1000
/* The share of the height the timeline gets over the map until the user
 * moves the divider: four lanes with their labels on a 768 px screen. */
#define TIMELINE_SHARE 0.67
/* How often a window with a new dataset looks whether its builds are done. */
#define SETTLE_INTERVAL_MS 50

struct _CmWindow
{
  AdwApplicationWindow  parent_instance;

  CmSession            *session;
  GSettings            *settings;
  /* The file last asked for: loading, loaded or failed */
  GFile                *file;
  /* Held: the stack keeps its pages model only while someone does */
  GListModel           *view_pages;
  GCancellable         *cancellable;
  guint                 loading_page_id;
  /* The load under way reports here; read every PROGRESS_INTERVAL_MS. */
  CmLoaderProgress     *load_progress_state;
  guint                 load_progress_id;
#if !GTK_CHECK_VERSION (4, 10, 0)
  GtkFileChooserNative *chooser;
#endif

  AdwToastOverlay      *toast_overlay;
  AdwWindowTitle       *window_title;
  GtkStack             *main_stack;
  AdwStatusPage        *empty_page;
  AdwStatusPage        *loading_page;
  GtkSpinner           *spinner;
  GtkProgressBar       *load_progress;
  GtkLabel             *error_title;
  GtkLabel             *error_count;
  GtkListBox           *problem_list;
  GtkButton            *back_button;
  GtkButton            *retry_button;
  GtkWidget            *views_bar;
  AdwViewStack         *view_stack;
  GMenu                *recent_section;
  CmEventList          *event_list;
  CmTimelineView       *timeline_view;
  CmMapView            *map_view;
  CmDetailsPanel       *details_panel;
  CmFilterPanel        *filter_panel;
  CmSearchBar          *search_bar;
  GtkDropDown          *lanes_dropdown;
  GtkPaned             *map_paned;
  GtkPaned             *side_paned;
  guint                 layout_idle_id;
  /* A new dataset's builds (lanes, search index) watched until done;
   * then what they freed goes back to the system. */
  guint                 settle_id;
  gboolean              trimming;
  gboolean              narrow;
  /* The divider follows TIMELINE_SHARE until the user moves it. */
  int                   auto_position;
  gboolean              position_restored;
  GtkMenuButton        *filter_button;
  GtkMenuButton        *menu_button;
  GtkWidget            *lanes_box;
  GtkWidget            *zoom_box;

  /* Live reload: the file on show, watched; a reload under way. */
  CmFileWatch          *watch;
  GCancellable         *reload_cancellable;
  CmReloadBanner       *reload_banner;
};

G_DEFINE_FINAL_TYPE (CmWindow, cm_window, ADW_TYPE_APPLICATION_WINDOW)

typedef struct
{
  CmWindow     *self;
  GFile        *file;
  GCancellable *cancellable;
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_clear_object (&data->self);
  g_clear_object (&data->file);
  g_clear_object (&data->cancellable);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LoadData, load_data_free)

/* Reads @file in a worker thread, reporting into @progress (may be NULL);
 * @callback gets the LoadData. */
static void
start_load (CmWindow            *self,
            GFile               *file,
            GCancellable        *cancellable,
            CmLoaderProgress    *progress,
            GAsyncReadyCallback  callback)
{
  LoadData *data = g_new0 (LoadData, 1);

  data->self = g_object_ref (self);
  data->file = g_object_ref (file);
  data->cancellable = g_object_ref (cancellable);
  cm_loader_load_file_async_with_progress (file, progress, cancellable, callback, data);
}

/* For labels: valid UTF-8 whatever the file system's encoding, no I/O. */
static char *
dup_display_name (GFile *file)
{
  g_autofree char *basename = g_file_get_basename (file);

  return g_filename_display_name (basename);
}

/* Facets or dates chosen, a search aside. */
static gboolean
has_filters (CmFilter *filter)
{
  gint64 from, to;

  if (filter == NULL)
    return FALSE;
  for (CmFacet facet = 0; facet < CM_N_FACETS; facet++)
    if (cm_filter_get_n_chosen (filter, facet) > 0)
      return TRUE;
  cm_filter_get_range (filter, &from, &to);
  return from != G_MININT64 || to != G_MAXINT64;
}

static void
update_title (CmWindow *self)
{
  CmDataset *dataset = cm_session_get_dataset (self->session);
  const char *page = gtk_stack_get_visible_child_name (self->main_stack);
  g_autofree char *file_name = NULL;
  const char *title = _("Chronomap");

  if (dataset && g_strcmp0 (page, "dataset") == 0)
    {
      GFile *file = cm_dataset_get_file (dataset);

      if (file)
        file_name = dup_display_name (file);
      if (cm_dataset_get_title (dataset) && *cm_dataset_get_title (dataset))
        title = cm_dataset_get_title (dataset);
      else if (file_name)
        title = file_name;
    }

  adw_window_title_set_title (self->window_title, title);
  gtk_window_set_title (GTK_WINDOW (self), title);

  /* With a filter or search on, say how much of the story is showing. */
  if (dataset && g_strcmp0 (page, "dataset") == 0 &&
      cm_filter_is_active (cm_session_get_filter (self->session)))
    {
      guint n_events = cm_dataset_get_n_events (dataset);
      g_autofree char *shown =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u event", "%u of %u events", n_events),
                         cm_session_get_n_visible (self->session), n_events);

      adw_window_title_set_subtitle (self->window_title, shown);
    }
  else
    {
      adw_window_title_set_subtitle (self->window_title,
                                     file_name && g_strcmp0 (file_name, title) != 0 ? file_name : NULL);
    }

  /* The Filters button lights for what its popover set, not for a search
   * (the search bar shows that one). */
  if (dataset && g_strcmp0 (page, "dataset") == 0 &&
      has_filters (cm_session_get_filter (self->session)))
    gtk_widget_add_css_class (GTK_WIDGET (self->filter_button), "accent");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->filter_button), "accent");
}

static void update_actions (CmWindow *self);
static void update_details_visibility (CmWindow *self);

static void
show_page (CmWindow   *self,
           const char *name)
{
  gboolean loading = g_str_equal (name, "loading");
  GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (self));

  /* The cairo renderer draws a crossfade by painting both pages into
   * window-sized offscreen surfaces at every frame: over the dataset page
   * that took 30-60 ms of the main thread per frame (measured at 1M
   * events), the longest stalls of opening a file. GL renderers fade. */
  gtk_stack_set_transition_type (self->main_stack,
                                 renderer != NULL && GSK_IS_CAIRO_RENDERER (renderer)
                                 ? GTK_STACK_TRANSITION_TYPE_NONE
                                 : GTK_STACK_TRANSITION_TYPE_CROSSFADE);
  gtk_stack_set_visible_child_name (self->main_stack, name);
  if (loading)
    gtk_spinner_start (self->spinner);
  else
    gtk_spinner_stop (self->spinner);

  update_title (self);
  update_actions (self);
}

static void
update_actions (CmWindow *self)
{
  gboolean has_dataset = cm_session_get_dataset (self->session) != NULL;
  gboolean showing = has_dataset &&
                     g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "dataset") == 0;
  const char *dataset_actions[] = {
    "win.export", "win.copy-image", "win.zoom-in", "win.zoom-out", "win.zoom-fit",
    "win.go-back", "win.go-forward", "win.save-as",
  };

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.back-to-dataset", has_dataset);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.reload", self->file != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cancel-load", self->cancellable != NULL);
  for (guint i = 0; i < G_N_ELEMENTS (dataset_actions); i++)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), dataset_actions[i], showing);
  if (showing)
    {
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.go-back",
                                     cm_session_can_go_back (self->session));
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.go-forward",
                                     cm_session_can_go_forward (self->session));
    }
  gtk_widget_set_sensitive (GTK_WIDGET (self->filter_button), showing);
}

static gboolean
update_load_progress_cb (gpointer user_data)
{
  CmWindow *self = user_data;
  double fraction;
  const char *text = NULL;

  switch (cm_loader_progress_get (self->load_progress_state, &fraction))
    {
    case CM_LOADER_PHASE_WAITING:
      break;
    case CM_LOADER_PHASE_READING:
      text = _("Reading the file");
      break;
    case CM_LOADER_PHASE_PARSING:
      text = _("Checking the file");
      break;
    case CM_LOADER_PHASE_BUILDING:
      text = _("Reading the events");
      break;
    case CM_LOADER_PHASE_INDEXING:
    default:
      text = _("Sorting the events");
      break;
    }

  if (text == NULL)
    return G_SOURCE_CONTINUE;

  gtk_widget_set_visible (GTK_WIDGET (self->load_progress), TRUE);
  gtk_progress_bar_set_text (self->load_progress, text);
  if (fraction >= 0)
    gtk_progress_bar_set_fraction (self->load_progress, fraction);
  else
    gtk_progress_bar_pulse (self->load_progress);

  return G_SOURCE_CONTINUE;
}

/* The load under way is over (done, failed, cancelled or replaced). */
static void
stop_load_progress (CmWindow *self)
{
  g_clear_handle_id (&self->load_progress_id, g_source_remove);
  g_clear_pointer (&self->load_progress_state, cm_loader_progress_unref);
  gtk_widget_set_visible (GTK_WIDGET (self->load_progress), FALSE);
  gtk_progress_bar_set_fraction (self->load_progress, 0);
}

static gboolean
show_loading_page_cb (gpointer user_data)
{
  CmWindow *self = user_data;

  self->loading_page_id = 0;
  show_page (self, "loading");

  return G_SOURCE_REMOVE;
}

static GtkWidget *
create_problem_label (const char *text,
                      const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  /* People copy these into their editor's "go to line". */
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, css_class);

  return label;
}

/* A problem line is "FILE:LINE:COLUMN: PATH: message": the location and
 * path go on a small monospace line above the message. Other lines (I/O
 * errors, "… and 12 more problems") are shown whole. */
static GtkWidget *
create_problem_row (const char *line)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  const char *sep = strstr (line, ": ");
  g_autofree char *where = NULL;
  const char *text = line;

  if (sep && sep > line && g_ascii_isdigit (sep[-1]))
    {
      const char *rest = sep + 2;
      const char *path_end = strstr (rest, ": ");

      where = g_strndup (line, sep - line);
      text = rest;
      /* A JSON path has no spaces; a message that merely contains ": " does. */
      if (path_end && path_end > rest && memchr (rest, ' ', path_end - rest) == NULL)
        {
          g_autofree char *path = g_strndup (rest, path_end - rest);
          char *joined = g_strdup_printf ("%s  %s", where, path);

          g_free (where);
          where = joined;
          text = path_end + 2;
        }
    }

  gtk_widget_add_css_class (box, "cm-problem");
  if (where)
    {
      GtkWidget *location = create_problem_label (where, "cm-problem-location");

      gtk_widget_add_css_class (location, "monospace");
      gtk_widget_add_css_class (location, "caption");
      gtk_widget_add_css_class (location, "dim-label");
      gtk_box_append (GTK_BOX (box), location);
    }
  gtk_box_append (GTK_BOX (box), create_problem_label (text, "cm-problem-message"));

  return box;
}

/* Fills the problem list; returns how many problems there are, counting
 * those the loader only summed up ("… and 12 more problems"). */
static guint
fill_problem_list (CmWindow   *self,
                   const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  GtkWidget *child;
  guint n_problems = 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->problem_list))))
    gtk_list_box_remove (self->problem_list, child);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *digits;
      GtkWidget *row;

      g_strstrip (lines[i]);
      if (*lines[i] == '\0')
        continue;

      row = create_problem_row (lines[i]);
      gtk_list_box_append (self->problem_list, row);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (gtk_widget_get_parent (row)), FALSE);

      digits = strpbrk (lines[i], "0123456789");
      if (g_str_has_prefix (lines[i], "…") && digits)
        n_problems += (guint) g_ascii_strtoull (digits, NULL, 10);
      else
        n_problems++;
    }

  return n_problems;
}

static void
show_error (CmWindow     *self,
            GFile        *file,
            const GError *error)
{
  g_autofree char *name = dup_display_name (file);
  g_autofree char *heading = NULL;
  g_autofree char *count = NULL;
  CmDataset *dataset = cm_session_get_dataset (self->session);
  guint n_problems = fill_problem_list (self, error->message);

  /* Translators: %s is a file name */
  heading = g_strdup_printf (_("Could not open “%s”"), name);
  gtk_label_set_text (self->error_title, heading);

  if (g_error_matches (error, CM_LOADER_ERROR, CM_LOADER_ERROR_INVALID))
    count = g_strdup_printf (ngettext ("%u problem", "%u problems", n_problems), n_problems);
  else if (g_error_matches (error, CM_LOADER_ERROR, CM_LOADER_ERROR_UNKNOWN_FORMAT))
    count = g_strdup (_("Chronomap opens Chronomap JSON files and imports TimelineJS, "
                        "StoryMapJS and GeoJSON files"));
  else
    count = g_strdup (_("The file could not be read"));
  gtk_label_set_text (self->error_count, count);

  gtk_widget_set_visible (GTK_WIDGET (self->back_button), dataset != NULL);
  if (dataset)
    {
      const char *title = cm_dataset_get_title (dataset);
      g_autofree char *label = NULL;
      g_autofree char *dataset_name = NULL;

      if (!title || !*title)
        title = dataset_name = cm_dataset_get_file (dataset)
          ? dup_display_name (cm_dataset_get_file (dataset))
          : g_strdup (_("Timeline"));
      /* Translators: %s is the title of the timeline that stays loaded */
      label = g_strdup_printf (_("_Back to “%s”"), title);
      gtk_button_set_label (self->back_button, label);
    }

  show_page (self, "error");
  gtk_widget_grab_focus (dataset ? GTK_WIDGET (self->back_button) : GTK_WIDGET (self->retry_button));
}

static int
compare_recent_info (gconstpointer a,
                     gconstpointer b)
{
  GtkRecentInfo *info_a = *(GtkRecentInfo **) a;
  GtkRecentInfo *info_b = *(GtkRecentInfo **) b;

  /* Newest first */
  return g_date_time_compare (gtk_recent_info_get_modified (info_b),
                              gtk_recent_info_get_modified (info_a));
}

static void
update_recent_menu (CmWindow *self)
{
  GtkRecentManager *manager = gtk_recent_manager_get_default ();
  g_autoptr(GMenu) submenu = g_menu_new ();
  g_autoptr(GPtrArray) infos = g_ptr_array_new_with_free_func ((GDestroyNotify) gtk_recent_info_unref);
  GList *items = gtk_recent_manager_get_items (manager);

  for (GList *l = items; l != NULL; l = l->next)
    {
      GtkRecentInfo *info = l->data;

      if (gtk_recent_info_has_application (info, g_get_application_name ())
          && gtk_recent_info_exists (info))
        g_ptr_array_add (infos, gtk_recent_info_ref (info));
    }
  g_list_free_full (items, (GDestroyNotify) gtk_recent_info_unref);
  g_ptr_array_sort (infos, compare_recent_info);

  for (guint i = 0; i < infos->len && i < MAX_RECENT_FILES; i++)
    {
      GtkRecentInfo *info = g_ptr_array_index (infos, i);
      g_autoptr(GMenuItem) item = g_menu_item_new (gtk_recent_info_get_display_name (info), NULL);

      g_menu_item_set_action_and_target (item, "app.open-uri", "s", gtk_recent_info_get_uri (info));
      g_menu_append_item (submenu, item);
    }

  g_menu_remove_all (self->recent_section);
  if (g_menu_model_get_n_items (G_MENU_MODEL (submenu)) > 0)
    g_menu_append_submenu (self->recent_section, _("Open _Recent"), G_MENU_MODEL (submenu));
}

/* The view switcher appears once there is more than one view. */
static void
update_views_bar (CmWindow *self)
{
  gtk_widget_set_visible (self->views_bar, g_list_model_get_n_items (self->view_pages) > 1);
}

static void
add_to_recent (GFile *file)
{
  g_autofree char *uri = g_file_get_uri (file);

  gtk_recent_manager_add_item (gtk_recent_manager_get_default (), uri);
}


/* What the user is looking at (filters, search, selection, time range,
 * map view) into @group of @key_file, and back: for views.ini and for a
 * live reload. */
static void
capture_view (CmWindow   *self,
              GKeyFile   *key_file,
              const char *group)
{
  double lat, lon, zoom;
  gint64 t0, t1;

  cm_session_state_save (self->session, key_file, group);
  cm_timeline_view_get_range (self->timeline_view, &t0, &t1);
  g_key_file_set_int64 (key_file, group, "timeline-from", t0);
  g_key_file_set_int64 (key_file, group, "timeline-to", t1);
  cm_map_view_get_view (self->map_view, &lat, &lon, &zoom);
  g_key_file_set_double (key_file, group, "map-latitude", lat);
  g_key_file_set_double (key_file, group, "map-longitude", lon);
  g_key_file_set_double (key_file, group, "map-zoom", zoom);
}

static void
apply_view (CmWindow   *self,
            GKeyFile   *key_file,
            const char *group)
{
  gint64 t0, t1;

  if (!cm_session_state_restore (self->session, key_file, group))
    return;

  t0 = g_key_file_get_int64 (key_file, group, "timeline-from", NULL);
  t1 = g_key_file_get_int64 (key_file, group, "timeline-to", NULL);
  if (t1 > t0)
    cm_timeline_view_set_range (self->timeline_view, t0, t1);
  if (g_key_file_has_key (key_file, group, "map-zoom", NULL))
    cm_map_view_set_view (self->map_view,
                          g_key_file_get_double (key_file, group, "map-latitude", NULL),
                          g_key_file_get_double (key_file, group, "map-longitude", NULL),
                          g_key_file_get_double (key_file, group, "map-zoom", NULL));
}

/* Remembers what the user was looking at in the file on show; written to
 * views.ini in the background. */
static void
save_view_state (CmWindow *self)
{
  CmDataset *dataset = cm_session_get_dataset (self->session);
  GKeyFile *key_file;
  g_autofree char *uri = NULL;

  if (dataset == NULL || cm_dataset_get_file (dataset) == NULL)
    return;

  key_file = cm_view_store_edit ();
  uri = g_file_get_uri (cm_dataset_get_file (dataset));
  capture_view (self, key_file, uri);
  g_key_file_set_int64 (key_file, uri, "seen", g_get_real_time ());
  cm_view_store_save ();
}

typedef struct
{
  GWeakRef   window;
  CmDataset *dataset;
} RestoreData;

static void
restore_data_free (gpointer data)
{
  RestoreData *restore = data;

  g_weak_ref_clear (&restore->window);
  g_object_unref (restore->dataset);
  g_free (restore);
}

static void
restore_views_cb (GKeyFile *key_file,
                  gpointer  user_data)
{
  RestoreData *restore = user_data;
  g_autoptr(CmWindow) self = g_weak_ref_get (&restore->window);
  g_autofree char *uri = NULL;

  /* The window went, or shows another file by now. */
  if (self == NULL || cm_session_get_dataset (self->session) != restore->dataset)
    return;

  uri = g_file_get_uri (cm_dataset_get_file (restore->dataset));
  apply_view (self, key_file, uri);
}

/* Brings back what save_view_state() remembered of the dataset's file,
 * once views.ini is read (at once if it is). */
static void
restore_view_state (CmWindow *self)
{
  CmDataset *dataset = cm_session_get_dataset (self->session);
  RestoreData *restore;

  if (dataset == NULL || cm_dataset_get_file (dataset) == NULL)
    return;

  restore = g_new0 (RestoreData, 1);
  g_weak_ref_init (&restore->window, self);
  restore->dataset = g_object_ref (dataset);
  cm_view_store_when_loaded (restore_views_cb, restore, restore_data_free);
}

/* Settling: after a dataset's builds */

static void
trim_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
#if defined(__GLIBC__)
  /* Scratch of the builds, freed in pieces glibc keeps for reuse: at a
   * million events 30 to 150 bytes an event (in a worker: ~10 ms). */
  malloc_trim (0);
#endif
  g_task_return_boolean (task, TRUE);
}

static void
trimmed_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  CM_WINDOW (source)->trimming = FALSE;
}

/* A load, or a build for the dataset on show, in a worker. */
static gboolean
is_building (CmWindow *self)
{
  CmDataset *dataset = cm_session_get_dataset (self->session);

  return cm_window_is_loading (self)
         || cm_timeline_view_is_arranging (self->timeline_view)
         || !cm_place_layer_is_current (cm_map_view_get_place_layer (self->map_view))
         || (dataset != NULL && cm_search_index_peek (dataset) == NULL);
}

static gboolean
settle_cb (gpointer user_data)
{
  CmWindow *self = user_data;
  g_autoptr(GTask) task = NULL;

  if (is_building (self))
    return G_SOURCE_CONTINUE;

  self->settle_id = 0;
  self->trimming = TRUE;
  task = g_task_new (self, NULL, trimmed_cb, NULL);
  g_task_run_in_thread (task, trim_thread);
  return G_SOURCE_REMOVE;
}

/* Watches the builds a new dataset on show started, until they are done. */
static void
settle_when_built (CmWindow *self)
{
  g_clear_handle_id (&self->settle_id, g_source_remove);
  if (cm_session_get_dataset (self->session) != NULL)
    self->settle_id = g_timeout_add (SETTLE_INTERVAL_MS, settle_cb, self);
}

/* Live reload */

static void
reload_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(LoadData) data = user_data;
  CmWindow *self = data->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(CmDataset) dataset = cm_loader_load_file_finish (result, &error);
  g_autoptr(GKeyFile) view = NULL;

  /* Superseded by a newer reload or load, or the window is gone. */
  if (data->cancellable != self->reload_cancellable ||
      g_cancellable_is_cancelled (data->cancellable))
    return;
  g_clear_object (&self->reload_cancellable);

  /* Invalid now: the last good version stays, the banner says why. */
  if (dataset == NULL)
    {
      cm_reload_banner_show_problems (self->reload_banner, data->file, error);
      return;
    }

  /* Valid: swap it in, keeping selection, filters, search and view (by
   * id, so what was removed from the file is simply dropped). */
  if (cm_dataset_get_file (dataset) == NULL)
    cm_dataset_set_file (dataset, data->file);
  view = g_key_file_new ();
  capture_view (self, view, "live");
  cm_session_set_dataset (self->session, dataset);
  settle_when_built (self);
  apply_view (self, view, "live");
  cm_reload_banner_hide (self->reload_banner);
  update_title (self);
  update_actions (self);
}

static void
file_changed_cb (CmFileWatch *watch,
                 CmWindow    *self)
{
  CmDataset *dataset = cm_session_get_dataset (self->session);

  if (dataset == NULL || cm_dataset_get_file (dataset) == NULL)
    return;

  /* A newer change replaces a reload still reading the older one. */
  g_cancellable_cancel (self->reload_cancellable);
  g_clear_object (&self->reload_cancellable);
  self->reload_cancellable = g_cancellable_new ();

  start_load (self, cm_dataset_get_file (dataset), self->reload_cancellable, NULL, reload_cb);
}

static void
file_gone_cb (CmFileWatch *watch,
              GFile       *new_file,
              CmWindow    *self)
{
  g_cancellable_cancel (self->reload_cancellable);
  g_clear_object (&self->reload_cancellable);
  cm_reload_banner_show_gone (self->reload_banner, cm_file_watch_get_file (watch), new_file);
}

/* Watches the file of the dataset on show, from a fresh start. */
static void
watch_dataset_file (CmWindow *self)
{
  CmDataset *dataset = cm_session_get_dataset (self->session);

  g_cancellable_cancel (self->reload_cancellable);
  g_clear_object (&self->reload_cancellable);
  cm_reload_banner_hide (self->reload_banner);
  cm_file_watch_set_file (self->watch, NULL);
  if (dataset != NULL)
    cm_file_watch_set_file (self->watch, cm_dataset_get_file (dataset));
}

/* An imported file is said to be one, with the way to keep it as ours. */
static void
announce_import (CmWindow  *self,
                 CmDataset *dataset)
{
  const char *format = cm_dataset_get_format (dataset);
  g_autofree char *title = NULL;
  AdwToast *toast;

  if (format == NULL)
    return;

  /* Translators: %s is a file format, e.g. "Imported from TimelineJS" */
  title = g_strdup_printf (_("Imported from %s"), format);
  toast = adw_toast_new (title);
  adw_toast_set_button_label (toast, _("_Save as Chronomap JSON…"));
  adw_toast_set_action_name (toast, "win.save-as");
  adw_toast_set_timeout (toast, 8);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
load_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(LoadData) data = user_data;
  CmWindow *self = data->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(CmDataset) dataset = cm_loader_load_file_finish (result, &error);

  /* Superseded by a newer load, or the window is gone. */
  if (data->cancellable != self->cancellable || g_cancellable_is_cancelled (data->cancellable))
    return;

  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->loading_page_id, g_source_remove);
  stop_load_progress (self);

  if (dataset == NULL)
    {
      show_error (self, data->file, error);
    }
  else
    {
      if (cm_dataset_get_file (dataset) == NULL)
        cm_dataset_set_file (dataset, data->file);
      save_view_state (self);
      cm_session_set_dataset (self->session, dataset);
      settle_when_built (self);
      restore_view_state (self);
      watch_dataset_file (self);
      add_to_recent (data->file);
      show_page (self, "dataset");
      update_details_visibility (self);
      announce_import (self, dataset);
      /* A story with no dates at all has nothing on a timeline: its events
       * are in the list, marked "Undated". */
      if (cm_dataset_get_n_events (dataset) > 0 && cm_dataset_get_n_dated_events (dataset) == 0)
        adw_view_stack_set_visible_child_name (self->view_stack, "list");
    }

  update_actions (self);
}

static void
back_to_dataset_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  CmWindow *self = CM_WINDOW (widget);
  CmDataset *dataset = cm_session_get_dataset (self->session);

  if (dataset == NULL)
    return;

  /* Reloading now means the file on show, not the one that failed. */
  g_set_object (&self->file, cm_dataset_get_file (dataset));
  update_actions (self);
  show_page (self, "dataset");
}

/* Cancel on the loading page: the load stops, and the window shows what
 * it showed before (the file already open, or the start page). */
static void
cancel_load_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  CmWindow *self = CM_WINDOW (widget);
  CmDataset *dataset = cm_session_get_dataset (self->session);

  if (self->cancellable == NULL)
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->loading_page_id, g_source_remove);
  stop_load_progress (self);
  if (dataset != NULL)
    g_set_object (&self->file, cm_dataset_get_file (dataset));
  else
    g_clear_object (&self->file);
  show_page (self, dataset != NULL ? "dataset" : "empty");
}

static void
reload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CmWindow *self = CM_WINDOW (widget);
  g_autoptr(GFile) file = self->file ? g_object_ref (self->file) : NULL;

  if (file)
    cm_window_open (self, file);
}

static gboolean
drop_cb (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         CmWindow      *self)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new ();
  g_autoptr(GSList) list = NULL;

  if (G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    {
      list = gdk_file_list_get_files (g_value_get_boxed (value));
      for (GSList *l = list; l != NULL; l = l->next)
        g_ptr_array_add (files, l->data);
    }
  else if (G_VALUE_HOLDS (value, G_TYPE_FILE))
    {
      g_ptr_array_add (files, g_value_get_object (value));
    }

  if (files->len == 0)
    return FALSE;

  cm_window_open (self, g_ptr_array_index (files, 0));

  /* More than one file: the others open in windows of their own. */
  if (files->len > 1)
    g_application_open (G_APPLICATION (gtk_window_get_application (GTK_WINDOW (self))),
                        (GFile **) files->pdata + 1, files->len - 1, "");

  return TRUE;
}


static void
zoom_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CmWindow *self = CM_WINDOW (widget);
  double centre = gtk_widget_get_width (GTK_WIDGET (self->timeline_view)) / 2.0;

  if (g_str_equal (action_name, "win.zoom-fit"))
    cm_timeline_view_zoom_to_fit (self->timeline_view);
  else
    cm_timeline_view_zoom_at (self->timeline_view,
                              g_str_equal (action_name, "win.zoom-in") ? 2.0 : 0.5, centre);
}

static void
history_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  CmWindow *self = CM_WINDOW (widget);

  if (g_str_equal (action_name, "win.go-back"))
    cm_session_go_back (self->session);
  else
    cm_session_go_forward (self->session);
}

static void
show_exported_cb (AdwToast *toast,
                  CmWindow *self)
{
  cm_launch_file (GTK_WIDGET (self->toast_overlay), g_object_get_data (G_OBJECT (toast), "file"));
}

static void
exported_cb (CmExportDialog *dialog,
             GFile          *file,
             CmWindow       *self)
{
  g_autofree char *name = dup_display_name (file);
  g_autofree char *title = g_strdup_printf (_("Exported to “%s”"), name);
  AdwToast *toast = adw_toast_new (title);

  adw_toast_set_button_label (toast, _("_Open"));
  g_object_set_data_full (G_OBJECT (toast), "file", g_object_ref (file), g_object_unref);
  g_signal_connect_object (toast, "button-clicked", G_CALLBACK (show_exported_cb), self, 0);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
save_as_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  CmWindow *self = CM_WINDOW (widget);
  CmDataset *dataset = cm_session_get_dataset (self->session);

  if (dataset != NULL)
    cm_save_as_choose (GTK_WINDOW (self), dataset, self->toast_overlay);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CmWindow *self = CM_WINDOW (widget);
  CmExportDialog *dialog = cm_export_dialog_new (GTK_WINDOW (self), self->session);
  gint64 t0, t1;

  cm_timeline_view_get_range (self->timeline_view, &t0, &t1);
  cm_export_dialog_set_view_range (dialog, t0, t1);
  cm_export_dialog_set_lanes (dialog, cm_timeline_view_get_lanes (self->timeline_view));
  g_signal_connect_object (dialog, "exported", G_CALLBACK (exported_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
copy_image_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(CmWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (cm_export_copy_to_clipboard_finish (result, &error))
    adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (_("Image copied")));
  else
    adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
}

static void
copy_image_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  CmWindow *self = CM_WINDOW (widget);
  CmExportOptions options;
  gint64 t0, t1;

  /* What is on screen: the view's range, lanes, size and style. */
  cm_export_options_init (&options);
  cm_timeline_view_get_range (self->timeline_view, &t0, &t1);
  options.has_from = options.has_to = TRUE;
  options.from_zoned = options.to_zoned = TRUE;
  options.from = t0;
  options.to = t1;
  options.lanes = cm_timeline_view_get_lanes (self->timeline_view);
  options.axis = cm_timeline_view_get_axis_breaks (self->timeline_view) ? CM_TIMELINE_AXIS_AUTO
                                                                        : CM_TIMELINE_AXIS_LINEAR;
  options.width = MAX (gtk_widget_get_width (GTK_WIDGET (self->timeline_view)), CM_EXPORT_MIN_SIDE);
  options.height = MAX (gtk_widget_get_height (GTK_WIDGET (self->timeline_view)) + 120,
                        CM_EXPORT_MIN_SIDE);
  options.theme = adw_style_manager_get_dark (adw_style_manager_get_default ())
                  ? CM_EXPORT_THEME_DARK : CM_EXPORT_THEME_LIGHT;
  if (cm_filter_is_active (cm_session_get_filter (self->session)))
    cm_export_options_set_filter (&options, cm_session_get_dataset (self->session),
                                  cm_filter_get_visible (cm_session_get_filter (self->session), NULL));

  cm_export_copy_to_clipboard_async (gtk_widget_get_clipboard (widget), self->session, &options,
                                     NULL, copy_image_cb, g_object_ref (self));
  cm_export_options_clear (&options);
}

static void
lanes_changed_cb (CmWindow *self)
{
  guint lanes = gtk_drop_down_get_selected (self->lanes_dropdown);

  cm_timeline_view_set_lanes (self->timeline_view, (CmLaneMode) lanes);
  g_settings_set_enum (self->settings, "lanes", lanes);
}

/* The filter popover may take the screen's height below the header bar,
 * not a fixed 640 px: a popover can reach past a window that is not
 * maximised. */
static void
filter_popover_show_cb (CmWindow *self)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (self));
  GdkMonitor *monitor = NULL;
  GdkRectangle area = { 0, 0, gtk_widget_get_width (GTK_WIDGET (self)),
                        gtk_widget_get_height (GTK_WIDGET (self)) };

  if (surface != NULL)
    monitor = gdk_display_get_monitor_at_surface (gtk_widget_get_display (GTK_WIDGET (self)),
                                                  surface);
  if (monitor != NULL)
    gdk_monitor_get_geometry (monitor, &area);
  /* Less a shell's top bar, the header bar and the popover's arrow. */
  cm_filter_panel_set_available_size (self->filter_panel,
                                      MAX (gtk_widget_get_width (GTK_WIDGET (self)), area.width) - 24,
                                      area.height - 110);
}

static void
activate_event_cb (CmTimelineView *view,
                   guint           event,
                   CmWindow       *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->details_panel), TRUE);
}

/* Something selected: the details show. Nothing: an empty "Nothing
 * Selected" page is not worth a quarter of the window (more than half of
 * a narrow one): it gives its room back to the timeline and map. The
 * Details button (F9) still opens it. */
static void
update_details_visibility (CmWindow *self)
{
  gboolean was_visible = gtk_widget_get_visible (GTK_WIDGET (self->details_panel));

  if (cm_session_get_selection_kind (self->session) != CM_SELECTION_NONE)
    gtk_widget_set_visible (GTK_WIDGET (self->details_panel), TRUE);
  else
    gtk_widget_set_visible (GTK_WIDGET (self->details_panel), FALSE);

  /* A bottom sheet opening takes two fifths of the height, not what its
   * content would like: the views keep theirs. */
  if (self->narrow && !was_visible && gtk_widget_get_visible (GTK_WIDGET (self->details_panel)))
    gtk_paned_set_position (self->side_paned,
                            MAX (gtk_widget_get_height (GTK_WIDGET (self->side_paned)), 400) * 0.6);
}

/* The lanes and zoom act on the timeline: the list hides them. */
static void
view_changed_cb (CmWindow *self)
{
  gboolean timeline = g_strcmp0 (adw_view_stack_get_visible_child_name (self->view_stack),
                                 "timeline") == 0;

  gtk_widget_set_visible (self->lanes_box, timeline);
  gtk_widget_set_visible (self->zoom_box, timeline);
}

/* Until the user drags the divider, the timeline keeps TIMELINE_SHARE of
 * whatever height the window gets (a restored or maximised window is
 * allocated after it is built). */
static void
map_paned_max_position_cb (CmWindow *self)
{
  int max = 0;

  if (self->position_restored || self->auto_position < 0)
    return;
  g_object_get (self->map_paned, "max-position", &max, NULL);
  if (max <= 0)
    return;
  self->auto_position = MAX ((int) (max * TIMELINE_SHARE), 1);
  gtk_paned_set_position (self->map_paned, self->auto_position);
}

static void
map_paned_position_cb (CmWindow *self)
{
  /* A position other than ours is the user's: stop following. */
  if (self->auto_position > 0 && gtk_paned_get_position (self->map_paned) != self->auto_position)
    self->auto_position = -1;
}

/* A wide window shows the details beside the views, a narrow one below
 * them, like a bottom sheet. */
static void
apply_layout (gpointer user_data)
{
  CmWindow *self = user_data;

  self->layout_idle_id = 0;
  gtk_orientable_set_orientation (GTK_ORIENTABLE (self->side_paned),
                                  self->narrow ? GTK_ORIENTATION_VERTICAL
                                               : GTK_ORIENTATION_HORIZONTAL);
  gtk_widget_set_size_request (GTK_WIDGET (self->details_panel),
                               self->narrow ? -1 : 340, self->narrow ? 200 : -1);
  /* Side by side, the views never get less than they need: GTK 4.24 warns
   * when a paned measures a child below its minimum width, as it does when
   * the panel's natural width crowds the views. A wide window has room. */
  gtk_paned_set_shrink_start_child (self->side_paned, self->narrow);
  if (self->narrow)
    gtk_paned_set_position (self->side_paned,
                            MAX (gtk_widget_get_height (GTK_WIDGET (self->side_paned)), 400) * 0.6);
  update_details_visibility (self);
}

static void
cm_window_size_allocate (GtkWidget *widget,
                         int        width,
                         int        height,
                         int        baseline)
{
  CmWindow *self = CM_WINDOW (widget);
  gboolean narrow = width < NARROW_WIDTH;

  GTK_WIDGET_CLASS (cm_window_parent_class)->size_allocate (widget, width, height, baseline);

  /* Changing the layout inside an allocation would allocate again. */
  if (narrow != self->narrow && self->layout_idle_id == 0)
    {
      self->narrow = narrow;
      self->layout_idle_id = g_idle_add_once (apply_layout, self);
    }
}

static gboolean
cm_window_close_request (GtkWindow *window)
{
  CmWindow *self = CM_WINDOW (window);
  int width, height;

  save_view_state (self);

  gtk_window_get_default_size (window, &width, &height);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
  g_settings_set_int (self->settings, "paned-position", gtk_paned_get_position (self->map_paned));

  return GTK_WINDOW_CLASS (cm_window_parent_class)->close_request (window);
}

static void
cm_window_dispose (GObject *object)
{
  CmWindow *self = CM_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_cancellable_cancel (self->reload_cancellable);
  g_clear_object (&self->reload_cancellable);
  if (self->watch != NULL)
    g_signal_handlers_disconnect_by_data (self->watch, self);
  g_clear_object (&self->watch);
  g_clear_handle_id (&self->loading_page_id, g_source_remove);
  g_clear_handle_id (&self->load_progress_id, g_source_remove);
  g_clear_pointer (&self->load_progress_state, cm_loader_progress_unref);
  g_clear_handle_id (&self->layout_idle_id, g_source_remove);
  g_clear_handle_id (&self->settle_id, g_source_remove);
#if !GTK_CHECK_VERSION (4, 10, 0)
  if (self->chooser)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
#endif

  g_clear_object (&self->view_pages);
  /* They hold the search bar and the details panel, and through them the
   * session and its dataset, as long as anything holds the window's
   * actions. */
  g_action_map_remove_action (G_ACTION_MAP (self), "find");
  g_action_map_remove_action (G_ACTION_MAP (self), "show-details");
  gtk_widget_dispose_template (GTK_WIDGET (self), CM_TYPE_WINDOW);

  g_clear_object (&self->session);
  g_clear_object (&self->settings);
  g_clear_object (&self->file);

  G_OBJECT_CLASS (cm_window_parent_class)->dispose (object);
}

static void
cm_window_class_init (CmWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = cm_window_dispose;
  window_class->close_request = cm_window_close_request;
  widget_class->size_allocate = cm_window_size_allocate;

  g_type_ensure (CM_TYPE_RELOAD_BANNER);
  g_type_ensure (CM_TYPE_EVENT_LIST);
  g_type_ensure (CM_TYPE_TIMELINE_VIEW);
  g_type_ensure (CM_TYPE_MAP_VIEW);
  g_type_ensure (CM_TYPE_DETAILS_PANEL);
  g_type_ensure (CM_TYPE_FILTER_PANEL);
  g_type_ensure (CM_TYPE_SEARCH_BAR);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/cm-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CmWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CmWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, CmWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, CmWindow, reload_banner);
  gtk_widget_class_bind_template_child (widget_class, CmWindow, empty_page);
  gtk_widget_class_bind_template_child (widget_class, CmWindow, loading_page);
  gtk_widget_class_bind_template_child (widget_class, CmWindow, spinner);
  gtk_widget_class_bind_template_child (widget_class, CmWindow, load_progress);
  gtk_widget_class_bind_template_child (widget_class, CmWindow, error_title);
  gtk_widget_class_bind_template_child (widget_class, CmWindow, error_count);
  gtk_widget_class_bind_template_child (widget_class, CmWindow, problem_list);
  gtk_widget_class_bind_template_child (widget_class, CmWindow, back_button);
  gtk_widget_class_bind_template_child (widget_class, CmWindow, retry_button);
  gtk_widget_class_bind_template_child (widget_class, CmWindow, views_bar);
  gtk_widget_class_bind_template_child (widget_class, CmWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, CmWindow, recent_section);
  gtk_widget_class_bind_template_child (widget_class, CmWindow, event_list);
  gtk_widget_class_bind_template_child (widget_class, CmWindow, timeline_view);
  gtk_widget_class_bind_template_child (widget_class, CmWindow, map_view);
  gtk_widget_class_bind_template_child (widget_class, CmWindow, details_panel);
  gtk_widget_class_bind_template_child (widget_class, CmWindow, filter_panel);
  gtk_widget_class_bind_template_child (widget_class, CmWindow, search_bar);
  gtk_widget_class_bind_template_child (widget_class, CmWindow, lanes_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CmWindow, map_paned);
  gtk_widget_class_bind_template_child (widget_class, CmWindow, side_paned);
  gtk_widget_class_bind_template_child (widget_class, CmWindow, filter_button);
  gtk_widget_class_bind_template_child (widget_class, CmWindow, menu_button);
  gtk_widget_class_bind_template_child (widget_class, CmWindow, lanes_box);
  gtk_widget_class_bind_template_child (widget_class, CmWindow, zoom_box);
  gtk_widget_class_bind_template_callback (widget_class, filter_popover_show_cb);

  gtk_widget_class_install_action (widget_class, "win.back-to-dataset", NULL,
                                   back_to_dataset_action);
  gtk_widget_class_install_action (widget_class, "win.reload", NULL, reload_action);
  gtk_widget_class_install_action (widget_class, "win.cancel-load", NULL, cancel_load_action);
  gtk_widget_class_install_action (widget_class, "win.zoom-in", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "win.zoom-out", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "win.zoom-fit", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "win.go-back", NULL, history_action);
  gtk_widget_class_install_action (widget_class, "win.go-forward", NULL, history_action);
  gtk_widget_class_install_action (widget_class, "win.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "win.save-as", NULL, save_as_action);
  gtk_widget_class_install_action (widget_class, "win.copy-image", NULL, copy_image_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, GDK_CONTROL_MASK, "win.zoom-fit", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, GDK_CONTROL_MASK, "win.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, GDK_CONTROL_MASK, "win.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, GDK_CONTROL_MASK, "win.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "win.go-back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, GDK_ALT_MASK, "win.go-forward", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "win.export", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.save-as", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.copy-image", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.find", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F9, 0, "win.show-details", NULL);
}

static void
cm_window_init (CmWindow *self)
{
  GType drop_types[] = { GDK_TYPE_FILE_LIST, G_TYPE_FILE };
  GtkDropTarget *drop_target;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->session = cm_session_new ();
  self->watch = cm_file_watch_new ();
  g_signal_connect (self->watch, "changed", G_CALLBACK (file_changed_cb), self);
  g_signal_connect (self->watch, "gone", G_CALLBACK (file_gone_cb), self);
  cm_event_list_set_session (self->event_list, self->session);
  cm_timeline_view_set_session (self->timeline_view, self->session);
  cm_map_view_set_session (self->map_view, self->session);
  cm_details_panel_set_session (self->details_panel, self->session);
  cm_filter_panel_set_session (self->filter_panel, self->session);
  cm_search_bar_set_session (self->search_bar, self->session);
  /* The subtitle says how many events the filter shows. */
  g_signal_connect_object (self->session, "filter-changed",
                           G_CALLBACK (update_title), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::can-go-back",
                           G_CALLBACK (update_actions), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::can-go-forward",
                           G_CALLBACK (update_actions), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->timeline_view, "activate-event",
                           G_CALLBACK (activate_event_cb), self, 0);

  /* The schema is part of the application: without it, fail loudly here. */
  self->settings = g_settings_new (APP_ID);
  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  /* Laid out for the restored width from the start, not after a first
   * allocation in the wrong layout. */
  self->narrow = g_settings_get_int (self->settings, "window-width") < NARROW_WIDTH;
  apply_layout (self);
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
  /* The timeline gets most of the height until the user moves the
   * divider; where they left it is kept. */
  if (g_settings_get_int (self->settings, "paned-position") > 0)
    {
      self->position_restored = TRUE;
      gtk_paned_set_position (self->map_paned, g_settings_get_int (self->settings, "paned-position"));
    }
  g_signal_connect_object (self->map_paned, "notify::max-position",
                           G_CALLBACK (map_paned_max_position_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->map_paned, "notify::position",
                           G_CALLBACK (map_paned_position_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "selection-changed",
                           G_CALLBACK (update_details_visibility), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->view_stack, "notify::visible-child-name",
                           G_CALLBACK (view_changed_cb), self, G_CONNECT_SWAPPED);
  view_changed_cb (self);
  /* GTK 4.8 gives a menu button's label to the menu button, while a
   * screen reader is on the button inside it. */
  if (GTK_IS_WIDGET (gtk_widget_get_first_child (GTK_WIDGET (self->menu_button))))
    gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_widget_get_first_child (GTK_WIDGET (self->menu_button))),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, _("Main Menu"), -1);

  gtk_drop_down_set_selected (self->lanes_dropdown, g_settings_get_enum (self->settings, "lanes"));
  lanes_changed_cb (self);
  g_signal_connect_object (self->lanes_dropdown, "notify::selected",
                           G_CALLBACK (lanes_changed_cb), self, G_CONNECT_SWAPPED);

  /* Stateful actions that mirror a property or a setting. */
  {
    g_autoptr(GPropertyAction) find = g_property_action_new ("find", self->search_bar,
                                                             "search-mode-enabled");
    g_autoptr(GPropertyAction) details = g_property_action_new ("show-details", self->details_panel,
                                                                "visible");
    g_autoptr(GAction) basemap = g_settings_create_action (self->settings, "basemap");
    g_autoptr(GAction) axis_breaks = g_settings_create_action (self->settings, "axis-breaks");

    g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (find));
    g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (details));
    g_action_map_add_action (G_ACTION_MAP (self), basemap);
    g_action_map_add_action (G_ACTION_MAP (self), axis_breaks);
    g_settings_bind (self->settings, "axis-breaks", self->timeline_view, "axis-breaks",
                     G_SETTINGS_BIND_GET);
  }

  drop_target = gtk_drop_target_new (G_TYPE_INVALID, GDK_ACTION_COPY);
  gtk_drop_target_set_gtypes (drop_target, drop_types, G_N_ELEMENTS (drop_types));
  g_signal_connect (drop_target, "drop", G_CALLBACK (drop_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop_target));

  g_signal_connect_object (gtk_recent_manager_get_default (), "changed",
                           G_CALLBACK (update_recent_menu), self, G_CONNECT_SWAPPED);
  update_recent_menu (self);

  self->view_pages = G_LIST_MODEL (adw_view_stack_get_pages (self->view_stack));
  g_signal_connect_object (self->view_pages, "items-changed",
                           G_CALLBACK (update_views_bar), self, G_CONNECT_SWAPPED);
  update_views_bar (self);

  show_page (self, "empty");
  update_actions (self);
}

CmWindow *
cm_window_new (CmApplication *application)
{
  g_return_val_if_fail (CM_IS_APPLICATION (application), NULL);

  return g_object_new (CM_TYPE_WINDOW, "application", application, NULL);
}

CmSession *
cm_window_get_session (CmWindow *self)
{
  g_return_val_if_fail (CM_IS_WINDOW (self), NULL);

  return self->session;
}

void
cm_window_open (CmWindow *self,
                GFile    *file)
{
  g_autofree char *name = NULL;
  g_autofree char *loading_title = NULL;

  g_return_if_fail (CM_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_set_object (&self->file, file);
  update_actions (self);

  name = dup_display_name (file);
  /* Translators: %s is a file name */
  loading_title = g_strdup_printf (_("Opening “%s”…"), name);
  adw_status_page_set_title (self->loading_page, loading_title);
  g_clear_handle_id (&self->loading_page_id, g_source_remove);
  if (g_str_equal (cm_window_get_page (self), "empty"))
    show_page (self, "loading");
  else
    self->loading_page_id = g_timeout_add (LOADING_PAGE_DELAY_MS, show_loading_page_cb, self);

  stop_load_progress (self);
  self->load_progress_state = cm_loader_progress_new ();
  self->load_progress_id = g_timeout_add (PROGRESS_INTERVAL_MS, update_load_progress_cb, self);
  start_load (self, file, self->cancellable, self->load_progress_state, load_cb);
}

static GtkFileFilter *
create_timeline_filter (void)
{
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("Chronomap and timeline files"));
  gtk_file_filter_add_suffix (filter, "json");
  gtk_file_filter_add_suffix (filter, "geojson");
  /* The TimelineJS spreadsheet, saved as CSV. */
  gtk_file_filter_add_suffix (filter, "csv");

  return filter;
}

static GtkFileFilter *
create_all_filter (void)
{
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("All files"));
  gtk_file_filter_add_pattern (filter, "*");

  return filter;
}

#if GTK_CHECK_VERSION (4, 10, 0)
static void
open_dialog_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(CmWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = gtk_file_dialog_open_finish (GTK_FILE_DIALOG (source), result, &error);

  if (file)
    cm_window_open (self, file);
  else if (!g_error_matches (error, GTK_DIALOG_ERROR, GTK_DIALOG_ERROR_DISMISSED)
           && !g_error_matches (error, GTK_DIALOG_ERROR, GTK_DIALOG_ERROR_CANCELLED))
    adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
}

void
cm_window_choose_file (CmWindow *self)
{
  g_autoptr(GtkFileDialog) dialog = NULL;
  g_autoptr(GListStore) filters = NULL;
  g_autoptr(GtkFileFilter) timeline_filter = NULL;
  g_autoptr(GtkFileFilter) all_filter = NULL;

  g_return_if_fail (CM_IS_WINDOW (self));

  timeline_filter = create_timeline_filter ();
  all_filter = create_all_filter ();
  filters = g_list_store_new (GTK_TYPE_FILE_FILTER);
  g_list_store_append (filters, timeline_filter);
  g_list_store_append (filters, all_filter);

  dialog = gtk_file_dialog_new ();
  gtk_file_dialog_set_title (dialog, _("Open Timeline"));
  gtk_file_dialog_set_filters (dialog, G_LIST_MODEL (filters));
  gtk_file_dialog_set_default_filter (dialog, timeline_filter);
  gtk_file_dialog_open (dialog, GTK_WINDOW (self), NULL, open_dialog_cb, g_object_ref (self));
}
#else
static void
chooser_response_cb (GtkNativeDialog *chooser,
                     int              response,
                     CmWindow        *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

  gtk_native_dialog_destroy (chooser);
  g_clear_object (&self->chooser);

  if (file)
    cm_window_open (self, file);
}

void
cm_window_choose_file (CmWindow *self)
{
  g_autoptr(GtkFileFilter) timeline_filter = NULL;
  g_autoptr(GtkFileFilter) all_filter = NULL;

  g_return_if_fail (CM_IS_WINDOW (self));

  if (self->chooser)
    {
      gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
      return;
    }

  self->chooser = gtk_file_chooser_native_new (_("Open Timeline"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_OPEN,
                                               _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);

  timeline_filter = create_timeline_filter ();
  all_filter = create_all_filter ();
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), timeline_filter);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), all_filter);
  gtk_file_chooser_set_filter (GTK_FILE_CHOOSER (self->chooser), timeline_filter);

  g_signal_connect (self->chooser, "response", G_CALLBACK (chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}
#endif

gboolean
cm_window_is_loading (CmWindow *self)
{
  g_return_val_if_fail (CM_IS_WINDOW (self), FALSE);

  return self->cancellable != NULL;
}

gboolean
cm_window_is_empty (CmWindow *self)
{
  g_return_val_if_fail (CM_IS_WINDOW (self), FALSE);

  return self->cancellable == NULL && self->file == NULL
         && cm_session_get_dataset (self->session) == NULL;
}

gboolean
cm_window_is_busy (CmWindow *self)
{
  g_return_val_if_fail (CM_IS_WINDOW (self), FALSE);

  return is_building (self) || self->settle_id != 0 || self->trimming;
}

const char *
cm_window_get_page (CmWindow *self)
{
  g_return_val_if_fail (CM_IS_WINDOW (self), NULL);

  return gtk_stack_get_visible_child_name (self->main_stack);
}
