/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-dialogs"

/* The dialogs whose code differs with the GTK and libadwaita versions:
 * opening and saving files (GtkFileDialog from GTK 4.10, before it
 * GtkFileChooserNative) and the about dialog (AdwAboutDialog from
 * libadwaita 1.5, before it AdwAboutWindow). Debian 12 runs the older
 * branches, `build-aux/dev test-sid` the newer ones. With no file chooser
 * portal on the test bus, both branches show GTK's own file chooser dialog,
 * which the tests fill in as a user would.
 *
 * Opening an export or a web link (GtkFileLauncher and GtkUriLauncher from
 * GTK 4.10, before them gtk_show_uri()) goes, with no portal, to the
 * default application GIO finds: here a test handler of our own,
 * installed in a private XDG_DATA_HOME and made the default in a private
 * XDG_CONFIG_HOME, which only writes down what it was given. No other
 * program starts and nothing touches the network. */

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
/* What the test handler writes: the arguments it was started with. */
static char *launched_path;

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

/* The default application for https links and for exported PNG files: a
 * script that writes its arguments to launched_path (whole, through a
 * rename). */
static void
install_test_handler (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data = g_build_filename (tmpdir, "launch", "data", NULL);
  g_autofree char *apps = g_build_filename (data, "applications", NULL);
  g_autofree char *config = g_build_filename (tmpdir, "launch", "config", NULL);
  g_autofree char *handler = g_build_filename (tmpdir, "launch", "handler", NULL);
  g_autofree char *desktop = g_build_filename (apps, "chronomap-test-handler.desktop", NULL);
  g_autofree char *mimeapps = g_build_filename (config, "mimeapps.list", NULL);
  g_autofree char *png_type = g_content_type_guess ("export.png", NULL, 0, NULL);
  g_autofree char *png_mime = g_content_type_get_mime_type (png_type);
  g_autofree char *script = NULL;
  g_autofree char *entry = NULL;
  g_autofree char *defaults = NULL;

  launched_path = g_build_filename (tmpdir, "launch", "launched", NULL);
  g_assert_cmpint (g_mkdir_with_parents (apps, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (config, 0700), ==, 0);

  script = g_strdup_printf ("#!/bin/sh\n"
                            "printf '%%s\\n' \"$@\" >'%s.part' && mv '%s.part' '%s'\n",
                            launched_path, launched_path, launched_path);
  g_file_set_contents (handler, script, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (handler, 0700), ==, 0);

  entry = g_strdup_printf ("[Desktop Entry]\n"
                           "Type=Application\n"
                           "Name=Chronomap test handler\n"
                           "Exec=%s %%u\n"
                           "MimeType=%s;x-scheme-handler/https;\n"
                           "NoDisplay=true\n",
                           handler, png_mime);
  g_file_set_contents (desktop, entry, -1, &error);
  g_assert_no_error (error);

  defaults = g_strdup_printf ("[Default Applications]\n"
                              "%s=chronomap-test-handler.desktop\n"
                              "x-scheme-handler/https=chronomap-test-handler.desktop\n",
                              png_mime);
  g_file_set_contents (mimeapps, defaults, -1, &error);
  g_assert_no_error (error);

  /* Read by GIO on its first look-up, which comes later. */
  g_setenv ("XDG_DATA_HOME", data, TRUE);
  g_setenv ("XDG_CONFIG_HOME", config, TRUE);
}

/* Waits for the test handler to run and returns the one argument it got. */
static char *
wait_for_launch (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;

  wait_until (file_written, launched_path);
  g_file_get_contents (launched_path, &contents, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_suffix (contents, "\n"));
  contents[strlen (contents) - 1] = '\0';
  g_assert_null (strchr (contents, '\n'));
  g_assert_cmpint (g_unlink (launched_path), ==, 0);

  return g_steal_pointer (&contents);
}

/* A button labelled @label on a toast (not the header bar's Open). */
static gboolean
is_toast_button (GtkWidget    *widget,
                 gconstpointer label)
{
  if (!GTK_IS_BUTTON (widget) || !gtk_widget_is_drawable (widget) ||
      g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) != 0)
    return FALSE;
  for (GtkWidget *up = gtk_widget_get_parent (widget); up != NULL; up = gtk_widget_get_parent (up))
    if (g_str_equal (gtk_widget_get_css_name (up), "toast"))
      return TRUE;

  return FALSE;
}

static gboolean
is_button_with_tooltip (GtkWidget    *widget,
                        gconstpointer tooltip)
{
  return GTK_IS_BUTTON (widget) && gtk_widget_is_drawable (widget) &&
         g_strcmp0 (gtk_widget_get_tooltip_text (widget), tooltip) == 0;
}

static gboolean
toast_button_shown (gpointer data)
{
  return cm_test_find_descendant (data, is_toast_button, "_Open") != NULL;
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

  /* Then half a second, as a person takes before acting on it. GTK 4.24's
   * chooser, told to go elsewhere or cancelled the instant it appeared,
   * can trip over its own work on the first folder: its path bar's late
   * answers remove a button twice ("gtk_box_remove: assertion ...
   * failed"), or a destroyed chooser updates its freed folder model
   * ("thaw_updates: assertion 'GTK_IS_FILE_SYSTEM_MODEL (model)'
   * failed", or a crash): about 1 run in 3 under sway, never on 4.8. */
  cm_test_run_main_loop_for (500);

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
cancel_chooser (GtkFileChooser *chooser)
{
  gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_CANCEL);
  wait_until (chooser_gone, NULL);
}

static void
test_open_dialog_cancel (void)
{
  CmWindow *window = create_window ();
  GtkFileChooser *chooser;

  cm_window_choose_file (window);
  chooser = wait_for_chooser (GTK_WINDOW (window), "Open Timeline", GTK_FILE_CHOOSER_ACTION_OPEN);
  cancel_chooser (chooser);

  /* Nothing opened, nothing loading, and the dialog can come back. */
  g_assert_true (cm_window_is_empty (window));
  g_assert_false (cm_window_is_loading (window));
  cm_window_choose_file (window);
  chooser = wait_for_chooser (GTK_WINDOW (window), "Open Timeline", GTK_FILE_CHOOSER_ACTION_OPEN);
  cancel_chooser (chooser);

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
  g_autofree char *launched = NULL;
  g_autoptr(GFile) opened = NULL;
  GtkWidget *toast;

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

  /* Done: the export dialog closes itself, and a toast offers to open
   * the file. */
  wait_until (export_dialog_gone, NULL);
  wait_until (toast_button_shown, window);
  toast = cm_test_find_descendant (GTK_WIDGET (window), is_toast_button, "_Open");

  /* Open: the file goes to its default application. */
  g_signal_emit_by_name (toast, "clicked");
  launched = wait_for_launch ();
  g_test_message ("the handler was given %s", launched);
  opened = g_file_new_for_commandline_arg (launched);
  g_assert_true (g_file_equal (opened, target));

  gtk_window_destroy (GTK_WINDOW (window));
  g_unlink (path);
}

/* A web link on an actor's page, clicked: the URI goes to the default web
 * application, and nothing else happens. */
static void
test_open_link (void)
{
  CmWindow *window = create_window ();
  g_autoptr(GFile) sample = sample_file ();
  const char *url = "https://en.wikipedia.org/wiki/Sergei_Lavrov";
  g_autofree char *launched = NULL;
  CmSession *session;
  GtkWidget *button;
  guint32 lavrov;

  cm_window_open (window, sample);
  wait_until (window_loaded, window);
  session = cm_window_get_session (window);
  lavrov = cm_dataset_find_actor (cm_session_get_dataset (session), "lavrov");
  g_assert_cmpuint (lavrov, !=, CM_NONE);
  cm_session_select (session, CM_SELECTION_ACTOR, lavrov);
  cm_test_run_main_loop_for (100);

  button = cm_test_find_descendant (GTK_WIDGET (window), is_button_with_tooltip, url);
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  launched = wait_for_launch ();
  g_assert_cmpstr (launched, ==, url);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));

  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
is_label_starting (GtkWidget    *widget,
                   gconstpointer prefix)
{
  return GTK_IS_LABEL (widget) && gtk_widget_is_drawable (widget) &&
         g_str_has_prefix (gtk_label_get_label (GTK_LABEL (widget)), prefix);
}

static gboolean
link_failure_shown (gpointer data)
{
  /* Either words, as GIO or GTK tell why. */
  return cm_test_find_descendant (data, is_label_starting, "No application is set up to open web links") != NULL ||
         cm_test_find_descendant (data, is_label_starting, "Could not open the link: ") != NULL;
}

/* A link no application takes (plain http here: the test handler takes
 * https only): the click says so in a toast instead of doing nothing. */
static void
test_open_link_fails (void)
{
  const char *https = "https://en.wikipedia.org/wiki/Sergei_Lavrov";
  const char *http = "http://example.org/lavrov";
  g_autolist(GAppInfo) handlers = g_app_info_get_all_for_type ("x-scheme-handler/http");
  g_autofree char *path = g_build_filename (tmpdir, "plain-link.json", NULL);
  g_autofree char *sample_path = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GString) edited = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFile) sample = sample_file ();
  g_autoptr(GError) error = NULL;
  CmWindow *window;
  CmSession *session;
  GtkWidget *button;
  guint32 lavrov;

  if (handlers != NULL)
    {
      g_test_skip ("this machine has an application for http links");
      return;
    }

  sample_path = g_file_get_path (sample);
  g_file_get_contents (sample_path, &contents, NULL, &error);
  g_assert_no_error (error);
  edited = g_string_new (contents);
  g_assert_cmpuint (g_string_replace (edited, https, http, 1), ==, 1);
  g_file_set_contents (path, edited->str, edited->len, &error);
  g_assert_no_error (error);
  file = g_file_new_for_path (path);

  window = create_window ();
  cm_window_open (window, file);
  wait_until (window_loaded, window);
  session = cm_window_get_session (window);
  lavrov = cm_dataset_find_actor (cm_session_get_dataset (session), "lavrov");
  cm_session_select (session, CM_SELECTION_ACTOR, lavrov);
  cm_test_run_main_loop_for (100);

  button = cm_test_find_descendant (GTK_WIDGET (window), is_button_with_tooltip, http);
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  wait_until (link_failure_shown, window);
  g_assert_false (g_file_test (launched_path, G_FILE_TEST_EXISTS));

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
  g_setenv ("XDG_STATE_HOME", tmpdir, TRUE);
  install_test_handler ();
  /* A private bus with no file chooser portal on it. */
  app = cm_test_app_start ();

  g_test_add_func ("/dialogs/open", test_open_dialog);
  g_test_add_func ("/dialogs/open-cancel", test_open_dialog_cancel);
  g_test_add_func ("/dialogs/export-save-open", test_export_save_dialog);
  g_test_add_func ("/dialogs/open-link", test_open_link);
  g_test_add_func ("/dialogs/open-link-fails", test_open_link_fails);
  g_test_add_func ("/dialogs/about", test_about);

  status = g_test_run ();

  g_clear_pointer (&app, cm_test_app_stop);
  /* What the test and GTK wrote there. */
  for (guint i = 0; i < 9; i++)
    {
      const char *names[] = { "launch/handler", "launch/data/applications/chronomap-test-handler.desktop",
                              "launch/config/mimeapps.list", "launch/data/recently-used.xbel",
                              "launch/data/applications", "launch/data", "launch/config/gtk-4.0",
                              "launch/config", "launch" };
      g_autofree char *file = g_build_filename (tmpdir, names[i], NULL);

      g_remove (file);
    }
  g_rmdir (tmpdir);
  g_free (tmpdir);

  return status;
}
