/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-export"

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <glib/gi18n.h>

#include "cm-export-cli.h"
#include "cm-exporter.h"
#include "cm-loader.h"

#define EXIT_FAILED 1
#define EXIT_USAGE  2

/* The parsed command line. Static: a process has one command line. */
static CmExportOptions cli_options;
static gboolean cli_options_ready;
static char *cli_output;
static char *cli_first_option;

static CmExportOptions *
get_cli_options (void)
{
  if (!cli_options_ready)
    {
      cm_export_options_init (&cli_options);
      cli_options_ready = TRUE;
    }

  return &cli_options;
}

static gboolean
option_cb (const char  *option_name,
           const char  *value,
           gpointer     data,
           GError     **error)
{
  if (cli_first_option == NULL)
    cli_first_option = g_strdup (option_name);

  if (g_str_equal (option_name, "--no-legend"))
    return cm_export_options_set (get_cli_options (), "--legend", "off", error);

  return cm_export_options_set (get_cli_options (), option_name, value, error);
}

static gboolean
post_parse_cb (GOptionContext  *context,
               GOptionGroup    *group,
               gpointer         data,
               GError         **error)
{
  if (cli_first_option != NULL && cli_output == NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                   _("%s only applies to an export; add --export OUT"), cli_first_option);
      return FALSE;
    }

  return TRUE;
}

static const GOptionEntry entries[] = {
  { "export", 0, 0, G_OPTION_ARG_FILENAME, &cli_output,
    N_("Export the timeline of FILE to OUT (.png, .svg or .pdf) and exit; needs no display"),
    N_("OUT") },
  { "width", 0, 0, G_OPTION_ARG_CALLBACK, option_cb,
    N_("Width of the export in pixels (points for PDF); default 2400"), N_("PX") },
  { "height", 0, 0, G_OPTION_ARG_CALLBACK, option_cb,
    N_("Height of the export in pixels (points for PDF); default 1200, taller when the lanes need it"), N_("PX") },
  { "scale", 0, 0, G_OPTION_ARG_CALLBACK, option_cb,
    N_("Pixels per unit for PNG: 1, or 2 for high-density screens"), N_("N") },
  { "paper", 0, 0, G_OPTION_ARG_CALLBACK, option_cb,
    N_("Paper size of a PDF: a4 (default), a3 or letter"), N_("SIZE") },
  { "orientation", 0, 0, G_OPTION_ARG_CALLBACK, option_cb,
    N_("Orientation of the paper: landscape (default) or portrait"), N_("ORIENTATION") },
  { "from", 0, 0, G_OPTION_ARG_CALLBACK, option_cb,
    N_("Start of the exported range (ISO 8601, e.g. 2025-02); default: all events"), N_("DATE") },
  { "to", 0, 0, G_OPTION_ARG_CALLBACK, option_cb,
    N_("End of the exported range, included (2025-02 includes all of February)"), N_("DATE") },
  { "theme", 0, 0, G_OPTION_ARG_CALLBACK, option_cb,
    N_("Colours: light (default) or dark"), N_("THEME") },
  { "lanes", 0, 0, G_OPTION_ARG_CALLBACK, option_cb,
    N_("Timeline lanes: group (default), actor, place or none"), N_("MODE") },
  { "axis", 0, 0, G_OPTION_ARG_CALLBACK, option_cb,
    N_("Time axis: linear, or breaks that compress long empty stretches; default: breaks when "
       "those would take over a third of the width"), N_("AXIS") },
  { "layout", 0, 0, G_OPTION_ARG_CALLBACK, option_cb,
    N_("What to draw: timeline (default), timeline+map or map"), N_("LAYOUT") },
  { "title", 0, 0, G_OPTION_ARG_CALLBACK, option_cb,
    N_("Title of the page; default: the dataset's title; \"\" for none"), N_("TEXT") },
  { "no-legend", 0, G_OPTION_FLAG_NO_ARG, G_OPTION_ARG_CALLBACK, option_cb,
    N_("Leave out the legend of groups and colours"), NULL },
  { "format", 0, 0, G_OPTION_ARG_CALLBACK, option_cb,
    N_("File format when OUT's extension does not say: png, svg or pdf"), N_("FORMAT") },
  { NULL },
};

GOptionGroup *
cm_export_cli_get_option_group (void)
{
  GOptionGroup *group;

  get_cli_options ();
  group = g_option_group_new ("export", _("Export options:"),
                              _("Show options for exporting without a window"), NULL, NULL);
  g_option_group_set_translation_domain (group, GETTEXT_PACKAGE);
  g_option_group_add_entries (group, entries);
  g_option_group_set_parse_hooks (group, NULL, post_parse_cb);

  return group;
}

gboolean
cm_export_cli_requested (void)
{
  return cli_output != NULL;
}

static void
print_error (const char *message)
{
  /* Print is not used: it may be redirected to a GUI log handler. */
  fprintf (stderr, "chronomap: %s\n", message);
  fflush (stderr);
}

int
cm_export_cli_run (const char            *input,
                   const char            *output,
                   const CmExportOptions *options)
{
  g_auto(CmExportOptions) local = { 0, };
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) in_file = NULL;
  g_autoptr(GFile) out_file = NULL;
  g_autoptr(CmDataset) dataset = NULL;

  g_return_val_if_fail (input != NULL, EXIT_USAGE);
  g_return_val_if_fail (output != NULL, EXIT_USAGE);
  g_return_val_if_fail (options != NULL, EXIT_USAGE);

  cm_export_options_copy (options, &local);
  if (!cm_export_options_set_output (&local, output, &error) ||
      !cm_export_options_validate (&local, &error))
    {
      print_error (error->message);
      return EXIT_USAGE;
    }

  in_file = g_file_new_for_commandline_arg (input);
  dataset = cm_loader_load_file (in_file, NULL, &error);
  if (dataset == NULL)
    {
      g_autofree char *message = NULL;

      /* The loader's messages name the file already. */
      if (g_error_matches (error, CM_LOADER_ERROR, CM_LOADER_ERROR_INVALID))
        message = g_strdup_printf (_("%s is not a valid dataset:\n%s"), input, error->message);
      else
        message = g_strdup (error->message);
      print_error (message);
      return EXIT_FAILED;
    }

  out_file = g_file_new_for_commandline_arg (output);
  if (!cm_exporter_write (dataset, &local, out_file, NULL, &error))
    {
      g_autofree char *message = g_strdup_printf (_("cannot export to %s: %s"), output,
                                                  error->message);

      print_error (message);
      return g_error_matches (error, CM_EXPORT_ERROR, CM_EXPORT_ERROR_TOO_LARGE) ||
             g_error_matches (error, CM_EXPORT_ERROR, CM_EXPORT_ERROR_INVALID_OPTION)
             ? EXIT_USAGE : EXIT_FAILED;
    }

  return EXIT_SUCCESS;
}

int
cm_export_cli_main (char **files)
{
  guint n_files = files != NULL ? g_strv_length (files) : 0;

  if (cli_output == NULL)
    {
      print_error (_("no --export OUT given"));
      return EXIT_USAGE;
    }
  if (n_files != 1)
    {
      print_error (n_files == 0 ? _("--export needs an input FILE")
                                : _("--export takes exactly one input FILE"));
      return EXIT_USAGE;
    }

  return cm_export_cli_run (files[0], cli_output, get_cli_options ());
}

gboolean
cm_export_cli_wanted (int    argc,
                      char **argv)
{
  for (int i = 1; i < argc && argv[i] != NULL; i++)
    {
      if (g_str_equal (argv[i], "--"))
        break;
      if (g_str_equal (argv[i], "--export") || g_str_has_prefix (argv[i], "--export="))
        return TRUE;
    }

  return FALSE;
}

int
cm_export_cli_main_argv (int    argc,
                         char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) files = NULL;
  g_auto(GStrv) args = NULL;
  const GOptionEntry remaining[] = {
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, N_("FILE") },
    { NULL },
  };

  /* A fresh start, should a process parse twice. */
  if (cli_options_ready)
    cm_export_options_clear (&cli_options);
  cli_options_ready = FALSE;
  g_clear_pointer (&cli_output, g_free);
  g_clear_pointer (&cli_first_option, g_free);

  context = g_option_context_new (_("FILE"));
  g_option_context_set_summary (context, _("Export the timeline of FILE as PNG, SVG or PDF."));
  g_option_context_set_main_group (context, cm_export_cli_get_option_group ());
  g_option_context_add_main_entries (context, remaining, NULL);

  /* Parse a copy: the caller's argv stays as it was. */
  args = g_new0 (char *, argc + 1);
  for (int i = 0; i < argc; i++)
    args[i] = g_strdup (argv[i]);

  if (!g_option_context_parse_strv (context, &args, &error))
    {
      print_error (error->message);
      return EXIT_USAGE;
    }

  return cm_export_cli_main (files);
}
