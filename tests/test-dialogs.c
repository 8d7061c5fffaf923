/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-dialogs"

/* The dialogs whose code differs with the GTK and libadwaita versions:
 * opening and saving files (GtkFileDialog from GTK 4.10, before it
 * GtkFileChooserNative) and the about dialog (AdwAboutDialog from
 * libadwaita 1.5, before it AdwAboutWindow). Debian 12 runs the older
 * branches, `build-aux/dev test-sid` the newer ones. With no file chooser
 * portal on the test bus, both branches show GTK's own file chooser dialog,
 * which the tests fill in as a user would. */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "gui-support.h"
#include "cm-application.h"
#include "cm-export-dialog.h"
#include "cm-session.h"
#include "cm-window.h"

/* The fallback file chooser's own API is deprecated with GtkFileDialog's
 * arrival, but it is what the user sees here. */
G_GNUC_BEGIN_IGNORE_DEPRECATIONS

static CmApplication *app;
static char *tmpdir;

typedef gboolean (*Condition) (gpointer data);

static void
list_toplevels (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      g_test_message ("toplevel %s “%s”%s", G_OBJECT_TYPE_NAME (window),
                      gtk_window_get_title (window),
                      gtk_widget_get_visible (GTK_WIDGET (window)) ? "" : " (hidden)");
    }
}

/* Runs the main loop until @condition holds, for at most 30 s. */
static void
wait_until (Condition condition,
            gpointer  data)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (!condition (data))
    {
      if (g_get_monotonic_time () > deadline)
        {
          list_toplevels ();
          g_error ("timed out waiting");
        }
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
}

/* The visible toplevel of @type, or NULL. */
static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }

  return NULL;
}

static gboolean
chooser_shown (gpointer data)
{
  return find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG) != NULL;
}

static gboolean
chooser_gone (gpointer data)
{
  return find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG) == NULL;
}

static gboolean
chooser_has_file (gpointer data)
{
  GtkWindow *chooser = find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG);
  g_autoptr(GFile) chosen = chooser ? gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser)) : NULL;

  return chosen != NULL && g_file_equal (chosen, data);
}

static gboolean
window_loaded (gpointer data)
{
  return !cm_window_is_loading (data) && !cm_window_is_empty (data);
}

static gboolean
file_written (gpointer data)
{
  return g_file_test (data, G_FILE_TEST_IS_REGULAR);
}

static gboolean
export_dialog_gone (gpointer data)
{
  return find_toplevel (CM_TYPE_EXPORT_DIALOG) == NULL;
}

static gboolean
widget_sensitive (gpointer data)
{
  return gtk_widget_get_sensitive (data);
}

static CmWindow *
create_window (void)
{
  CmWindow *window = cm_window_new (app);

  gtk_window_present (GTK_WINDOW (window));
  cm_test_flush_main_context ();

  return window;
}

static GFile *
sample_file (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "samples",
                                                 "riyadh-talks-2025.json", NULL);

  return g_file_new_for_path (path);
}

/* Waits for the file chooser over @parent and checks what it shows. */
static GtkFileChooser *
wait_for_chooser (GtkWindow            *parent,
                  const char           *title,
                  GtkFileChooserAction  action)
{
  GtkWindow *chooser;

  g_test_message ("waiting for the file chooser “%s”", title);
  wait_until (chooser_shown, NULL);
  chooser = find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG);
  g_assert_cmpstr (gtk_window_get_title (chooser), ==, title);
  g_assert_true (gtk_window_get_transient_for (chooser) == parent);
  g_assert_true (gtk_window_get_modal (chooser));
  g_assert_cmpint (gtk_file_chooser_get_action (GTK_FILE_CHOOSER (chooser)), ==, action);

  return GTK_FILE_CHOOSER (chooser);
}

static void
test_open_dialog (void)
{
  CmWindow *window = create_window ();
  g_autoptr(GFile) sample = sample_file ();
  g_autoptr(GListModel) filters = NULL;
  g_autoptr(GtkFileFilter) filter = NULL;
  g_autoptr(GError) error = NULL;
  GtkFileChooser *chooser;

  /* The Open button's action, as a click would run it. */
  g_assert_true (cm_window_is_empty (window));
  cm_window_choose_file (window);
  chooser = wait_for_chooser (GTK_WINDOW (window), "Open Timeline", GTK_FILE_CHOOSER_ACTION_OPEN);

  /* Timeline files first, then everything. */
  filters = gtk_file_chooser_get_filters (chooser);
  g_assert_cmpuint (g_list_model_get_n_items (filters), ==, 2);
  filter = g_list_model_get_item (filters, 0);
  g_assert_true (gtk_file_chooser_get_filter (chooser) == filter);
  g_assert_cmpstr (gtk_file_filter_get_name (filter), ==, "Chronomap and timeline files");

  /* Pick the sample and press Open: the window loads it. */
  gtk_file_chooser_set_file (chooser, sample, &error);
  g_assert_no_error (error);
  g_test_message ("waiting for the chooser to select the sample");
  wait_until (chooser_has_file, sample);
  gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_ACCEPT);
  wait_until (chooser_gone, NULL);
  wait_until (window_loaded, window);
  g_assert_cmpstr (cm_dataset_get_title (cm_session_get_dataset (cm_window_get_session (window))),
                   ==, "US–Russia talks in Riyadh, February 2025");

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_open_dialog_cancel (void)
{
  CmWindow *window = create_window ();
  GtkFileChooser *chooser;

  cm_window_choose_file (window);
  chooser = wait_for_chooser (GTK_WINDOW (window), "Open Timeline", GTK_FILE_CHOOSER_ACTION_OPEN);
  gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_CANCEL);
  wait_until (chooser_gone, NULL);

  /* Nothing opened, nothing loading, and the dialog can come back. */
  g_assert_true (cm_window_is_empty (window));
  g_assert_false (cm_window_is_loading (window));
  cm_window_choose_file (window);
  chooser = wait_for_chooser (GTK_WINDOW (window), "Open Timeline", GTK_FILE_CHOOSER_ACTION_OPEN);
  gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_CANCEL);
  wait_until (chooser_gone, NULL);

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_export_save_dialog (void)
{
  CmWindow *window = create_window ();
  g_autoptr(GFile) sample = sample_file ();
  g_autofree char *path = g_build_filename (tmpdir, "talks.png", NULL);
  g_autoptr(GFile) target = g_file_new_for_path (path);
  g_autoptr(GFile) folder = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length;
  GtkWindow *dialog;
  GtkWidget *export_button;
  GtkFileChooser *chooser;
  g_autofree char *name = NULL;

  cm_window_open (window, sample);
  wait_until (window_loaded, window);

  /* Ctrl+E, then the Export… button once the preview is ready. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.export", NULL));
  dialog = find_toplevel (CM_TYPE_EXPORT_DIALOG);
  g_assert_nonnull (dialog);
  export_button = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (dialog),
                                                             CM_TYPE_EXPORT_DIALOG,
                                                             "export_button"));
  wait_until (widget_sensitive, export_button);
  g_signal_emit_by_name (export_button, "clicked");

  /* A save dialog over the export dialog, named after the dataset. */
  chooser = wait_for_chooser (dialog, "Export", GTK_FILE_CHOOSER_ACTION_SAVE);
  name = gtk_file_chooser_get_current_name (chooser);
  g_assert_cmpstr (name, ==, "US–Russia talks in Riyadh, February 2025.png");

  /* Into our folder, under a name typed over the suggestion. */
  folder = g_file_new_for_path (tmpdir);
  gtk_file_chooser_set_current_folder (chooser, folder, &error);
  g_assert_no_error (error);
  gtk_file_chooser_set_current_name (chooser, "talks.png");
  wait_until (chooser_has_file, target);
  gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_ACCEPT);
  wait_until (chooser_gone, NULL);
  wait_until (file_written, path);

  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (length, >, 8);
  g_assert_cmpmem (contents, 8, "\x89PNG\r\n\x1a\n", 8);

  /* Done: the export dialog closes itself. */
  wait_until (export_dialog_gone, NULL);

  gtk_window_destroy (GTK_WINDOW (window));
  g_unlink (path);
}

static gboolean
about_shown (gpointer data)
{
#if ADW_CHECK_VERSION (1, 5, 0)
  return ADW_IS_ABOUT_DIALOG (adw_application_window_get_visible_dialog (data));
#else
  return find_toplevel (ADW_TYPE_ABOUT_WINDOW) != NULL;
#endif
}

#if ADW_CHECK_VERSION (1, 5, 0)
static gboolean
about_gone (gpointer data)
{
  return !about_shown (data);
}
#endif

static void
test_about (void)
{
  CmWindow *window = create_window ();
  g_autofree char *name = NULL;
  g_autofree char *version = NULL;
  g_autofree char *website = NULL;
  GtkLicense license;
  GObject *about;

  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  wait_until (about_shown, window);

  /* Over the window it was asked from. */
#if ADW_CHECK_VERSION (1, 5, 0)
  about = G_OBJECT (adw_application_window_get_visible_dialog (ADW_APPLICATION_WINDOW (window)));
#else
  about = G_OBJECT (find_toplevel (ADW_TYPE_ABOUT_WINDOW));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (about)) == GTK_WINDOW (window));
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (about)));
#endif

  g_object_get (about, "application-name", &name, "version", &version, "website", &website,
                "license-type", &license, NULL);
  g_assert_cmpstr (name, ==, "Chronomap");
  g_assert_cmpstr (version, ==, PACKAGE_VERSION);
  g_assert_cmpstr (website, ==, "https://github.com/chronomap/chronomap");
  g_assert_cmpint (license, ==, GTK_LICENSE_GPL_3_0);

#if ADW_CHECK_VERSION (1, 5, 0)
  g_assert_true (adw_dialog_close (ADW_DIALOG (about)));
  wait_until (about_gone, window);
#else
  gtk_window_destroy (GTK_WINDOW (about));
#endif

  gtk_window_destroy (GTK_WINDOW (window));
}

G_GNUC_END_IGNORE_DEPRECATIONS

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  tmpdir = g_dir_make_tmp ("test-dialogs-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("XDG_DATA_HOME", tmpdir, TRUE);
  g_setenv ("XDG_STATE_HOME", tmpdir, TRUE);
  /* A private bus with no file chooser portal on it. */
  app = cm_test_app_start ();

  g_test_add_func ("/dialogs/open", test_open_dialog);
  g_test_add_func ("/dialogs/open-cancel", test_open_dialog_cancel);
  g_test_add_func ("/dialogs/export-save", test_export_save_dialog);
  g_test_add_func ("/dialogs/about", test_about);

  status = g_test_run ();

  g_clear_pointer (&app, cm_test_app_stop);
  g_rmdir (tmpdir);
  g_free (tmpdir);

  return status;
}
