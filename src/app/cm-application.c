/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-application"

#include "config.h"

#include <glib/gi18n.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "cm-application.h"
#include "cm-cli.h"
#include "cm-export-cli.h"
#include "cm-window.h"

struct _CmApplication
{
  AdwApplication parent_instance;
};

G_DEFINE_FINAL_TYPE (CmApplication, cm_application, ADW_TYPE_APPLICATION)

/* Options that run without a window return an exit status from
 * handle-local-options, before GTK or a display is ever touched. */
static const GOptionEntry option_entries[] = {
  { "validate", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Check each FILE for problems, print them and exit"), NULL },
  { "convert", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Write FILE (any format Chronomap opens) as Chronomap JSON to OUT and exit"),
    N_("OUT.json") },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Print the version and exit"), NULL },
  { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, NULL,
    NULL, N_("[FILE…]") },
  { NULL }
};

GFile *
cm_application_get_sample_file (void)
{
  const char *datadir = g_getenv ("CHRONOMAP_DATADIR");

  if (datadir == NULL || *datadir == '\0')
    datadir = PKGDATADIR;

  return g_file_new_build_filename (datadir, "samples", "riyadh-talks-2025.json", NULL);
}

static CmWindow *
get_active_window (CmApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (CM_IS_WINDOW (window))
    return CM_WINDOW (window);

  return NULL;
}

/* The active window, or a new one. */
static CmWindow *
ensure_window (CmApplication *self)
{
  CmWindow *window = get_active_window (self);

  if (window == NULL)
    window = cm_window_new (self);

  return window;
}

/* A window needs the GSettings schema; GSettings aborts without it. */
static gboolean
settings_schema_installed (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);

  return schema != NULL;
}

/* The meson build directory this program was built in, when it runs from
 * there (BUILDDIR/src/chronomap), else a placeholder for the message. */
static char *
find_build_dir (void)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *exedir = exe ? g_path_get_dirname (exe) : NULL;
  g_autofree char *builddir = exedir ? g_path_get_dirname (exedir) : NULL;
  g_autofree char *ninja = builddir ? g_build_filename (builddir, "build.ninja", NULL) : NULL;

  if (ninja != NULL && g_file_test (ninja, G_FILE_TEST_IS_REGULAR))
    return g_steal_pointer (&builddir);

  return g_strdup ("BUILDDIR");
}

static int
cm_application_handle_local_options (GApplication *app,
                                     GVariantDict *options)
{
  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("%s %s\n", PACKAGE_NAME, PACKAGE_VERSION);
      return EXIT_SUCCESS;
    }

  if (cm_export_cli_requested ())
    {
      g_autofree char **paths = NULL;

      g_variant_dict_lookup (options, G_OPTION_REMAINING, "^a&ay", &paths);

      return cm_export_cli_main (paths);
    }

  if (g_variant_dict_contains (options, "convert"))
    {
      g_autofree const char **paths = NULL;
      g_autofree char *out = NULL;

      g_variant_dict_lookup (options, "convert", "^ay", &out);
      if (!g_variant_dict_lookup (options, G_OPTION_REMAINING, "^a&ay", &paths)
          || paths[0] == NULL || paths[1] != NULL)
        {
          g_printerr (_("%s: --convert needs one FILE\n"), g_get_prgname ());
          return 2;
        }

      return cm_cli_convert (out, paths[0]);
    }

  if (g_variant_dict_contains (options, "validate"))
    {
      g_autofree const char **paths = NULL;

      if (!g_variant_dict_lookup (options, G_OPTION_REMAINING, "^a&ay", &paths)
          || paths[0] == NULL)
        {
          g_printerr (_("%s: --validate needs at least one FILE\n"), g_get_prgname ());
          return 2;
        }

      return cm_cli_validate (paths);
    }

  if (!settings_schema_installed ())
    {
      g_autofree char *builddir = find_build_dir ();

      g_printerr (_("%s: the settings schema %s is not installed, so no window can open.\n"
                    "To run Chronomap from its build tree:\n\n"
                    "    meson devenv -C %s chronomap [FILE…]\n\n"
                    "or install it with “meson install -C %s”. "
                    "--validate and --export work without it.\n"),
                  g_get_prgname (), APP_ID, builddir, builddir);
      return EXIT_FAILURE;
    }

  /* Go on to the primary instance: command-line opens the files. */
  return -1;
}

static int
cm_application_command_line (GApplication            *app,
                             GApplicationCommandLine *command_line)
{
  GVariantDict *options = g_application_command_line_get_options_dict (command_line);
  g_autofree const char **paths = NULL;
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);

  if (g_variant_dict_lookup (options, G_OPTION_REMAINING, "^a&ay", &paths))
    {
      /* Relative to the directory the command ran in, which may be
       * another process's. */
      for (guint i = 0; paths[i] != NULL; i++)
        g_ptr_array_add (files, g_application_command_line_create_file_for_arg (command_line,
                                                                               paths[i]));
    }

  if (files->len > 0)
    g_application_open (app, (GFile **) files->pdata, files->len, "");
  else
    g_application_activate (app);

  return EXIT_SUCCESS;
}

static void
cm_application_activate (GApplication *app)
{
  gtk_window_present (GTK_WINDOW (ensure_window (CM_APPLICATION (app))));
}

static void
cm_application_open (GApplication  *app,
                     GFile        **files,
                     int            n_files,
                     const char    *hint)
{
  CmApplication *self = CM_APPLICATION (app);

  for (int i = 0; i < n_files; i++)
    {
      CmWindow *window = get_active_window (self);

      /* An untouched window takes the file; otherwise each file gets a
       * window of its own, like documents opened from the file manager. */
      if (window == NULL || !cm_window_is_empty (window))
        window = cm_window_new (self);

      cm_window_open (window, files[i]);
      gtk_window_present (GTK_WINDOW (window));
    }
}

static void
open_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  CmWindow *window = ensure_window (user_data);

  gtk_window_present (GTK_WINDOW (window));
  cm_window_choose_file (window);
}

static void
open_sample_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  CmWindow *window = ensure_window (user_data);
  g_autoptr(GFile) sample = cm_application_get_sample_file ();

  gtk_window_present (GTK_WINDOW (window));
  cm_window_open (window, sample);
}

static void
open_uri_action (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  CmWindow *window = ensure_window (user_data);
  g_autoptr(GFile) file = g_file_new_for_uri (g_variant_get_string (parameter, NULL));

  gtk_window_present (GTK_WINDOW (window));
  cm_window_open (window, file);
}

static void
new_window_action (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  gtk_window_present (GTK_WINDOW (cm_window_new (user_data)));
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  g_autoptr(GList) windows = NULL;

  /* Closing each window lets it save its state; the application quits
   * when the last one is gone. */
  windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (user_data)));
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (l->data);
}

#if ADW_CHECK_VERSION (1, 5, 0)
# define ABOUT_TYPE ADW_TYPE_ABOUT_DIALOG
# define about_add_credit_section(about, ...) \
  adw_about_dialog_add_credit_section (ADW_ABOUT_DIALOG (about), __VA_ARGS__)
# define about_add_legal_section(about, ...) \
  adw_about_dialog_add_legal_section (ADW_ABOUT_DIALOG (about), __VA_ARGS__)
#else
# define ABOUT_TYPE ADW_TYPE_ABOUT_WINDOW
# define about_add_credit_section(about, ...) \
  adw_about_window_add_credit_section (ADW_ABOUT_WINDOW (about), __VA_ARGS__)
# define about_add_legal_section(about, ...) \
  adw_about_window_add_legal_section (ADW_ABOUT_WINDOW (about), __VA_ARGS__)
#endif

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  static const char *developers[] = { "The Chronomap developers", NULL };
  static const char *map_data[] = {
    "Natural Earth https://www.naturalearthdata.com",
    "OpenStreetMap contributors https://www.openstreetmap.org/copyright",
    NULL
  };
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (user_data));
  GObject *about;

  about = g_object_new (ABOUT_TYPE,
                        "application-name", _("Chronomap"),
                        "application-icon", APP_ID,
                        "version", PACKAGE_VERSION,
                        "developer-name", _("The Chronomap developers"),
                        "website", "https://github.com/chronomap/chronomap",
                        "issue-url", "https://github.com/chronomap/chronomap/issues",
                        "copyright", _("© 2025 The Chronomap developers"),
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "developers", developers,
                        /* Translators: your names, one per line */
                        "translator-credits", _("translator-credits"),
                        NULL);

  about_add_credit_section (about, _("Map Data"), map_data);
  about_add_legal_section (about, "Natural Earth",
                           _("Public domain"),
                           GTK_LICENSE_CUSTOM,
                           _("The offline basemap draws country outlines from "
                             "<a href=\"https://www.naturalearthdata.com\">Natural Earth</a>, "
                             "which is in the public domain, as packaged by "
                             "<a href=\"https://github.com/topojson/world-atlas\">world-atlas</a> "
                             "(ISC license)."));
  about_add_legal_section (about, "OpenStreetMap",
                           _("© OpenStreetMap contributors"),
                           GTK_LICENSE_CUSTOM,
                           _("The optional online basemap shows OpenStreetMap tiles. Map data "
                             "is available under the "
                             "<a href=\"https://opendatacommons.org/licenses/odbl/\">Open "
                             "Database License</a>."));

#if ADW_CHECK_VERSION (1, 5, 0)
  adw_dialog_present (ADW_DIALOG (about), parent ? GTK_WIDGET (parent) : NULL);
#else
  gtk_window_set_transient_for (GTK_WINDOW (about), parent);
  gtk_window_set_modal (GTK_WINDOW (about), TRUE);
  gtk_window_present (GTK_WINDOW (about));
#endif
}

static const GActionEntry app_actions[] = {
  { "open", open_action },
  { "open-sample", open_sample_action },
  { "open-uri", open_uri_action, "s" },
  { "new-window", new_window_action },
  { "quit", quit_action },
  { "about", about_action },
};

static void
cm_application_startup (GApplication *app)
{
  static const struct {
    const char *action;
    const char *accels[3];
  } accels[] = {
    { "app.open", { "<Control>o", NULL } },
    { "app.new-window", { "<Control>n", NULL } },
    { "app.quit", { "<Control>q", NULL } },
    { "window.close", { "<Control>w", NULL } },
    { "win.reload", { "<Control>r", "F5", NULL } },
  };

  G_APPLICATION_CLASS (cm_application_parent_class)->startup (app);

#if defined(__GLIBC__)
  /* Blocks of a megabyte or more (a large file's text, the arrays of a
   * million events) come from the system and go back to it when freed.
   * Left to itself glibc raises this threshold to the biggest block freed
   * so far (up to 32 MB), and the arrays a load or a layout frees stay in
   * its arenas: 80 to 180 bytes an event resident at 1M that nothing
   * uses. */
  mallopt (M_MMAP_THRESHOLD, 1024 * 1024);
#endif

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions,
                                   G_N_ELEMENTS (app_actions), app);
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (app),
                                           accels[i].action, accels[i].accels);
}

static void
cm_application_class_init (CmApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->handle_local_options = cm_application_handle_local_options;
  app_class->startup = cm_application_startup;
  app_class->command_line = cm_application_command_line;
  app_class->activate = cm_application_activate;
  app_class->open = cm_application_open;
}

static void
cm_application_init (CmApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_add_option_group (G_APPLICATION (self), cm_export_cli_get_option_group ());
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Show the events of a timeline file in time "
                                              "and on a map.\n\n"
                                              "With --validate, check each FILE and print "
                                              "its problems as FILE:LINE:COLUMN: PATH: message; "
                                              "the exit status is 0 when every file is valid.\n\n"
                                              "With --convert OUT.json, write FILE (TimelineJS, "
                                              "StoryMapJS, GeoJSON or Chronomap JSON) as "
                                              "Chronomap JSON.\n\n"
                                              "With --export OUT.png|svg|pdf, draw FILE's timeline "
                                              "into OUT without opening a window (see --help-export)."));
}

CmApplication *
cm_application_new (void)
{
  return g_object_new (CM_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       /* Files from the command line come through
                        * command-line (with its working directory), those
                        * from a file manager through open. */
                       "flags", G_APPLICATION_HANDLES_OPEN | G_APPLICATION_HANDLES_COMMAND_LINE,
                       "resource-base-path", RESOURCE_BASE,
                       NULL);
}
