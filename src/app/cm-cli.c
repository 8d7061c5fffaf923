/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-cli"

#include "config.h"

#include <stdio.h>

#include "cm-cli.h"
#include "cm-json-writer.h"
#include "cm-loader.h"

/* "N events, N actors, …", with " (FORMAT)" before it for imports. */
static void
print_summary (const char *name,
               const char *verb,
               CmDataset  *dataset)
{
  const char *format = cm_dataset_get_format (dataset);
  g_autofree char *from = format ? g_strdup_printf (" (%s)", format) : g_strdup ("");
  guint n_undated = cm_dataset_get_n_events (dataset) - cm_dataset_get_n_dated_events (dataset);

  printf ("%s: %s%s: %u events, %u actors, %u places, %u groups, %u periods", name, verb, from,
          cm_dataset_get_n_events (dataset),
          cm_dataset_get_n_actors (dataset),
          cm_dataset_get_n_places (dataset),
          cm_dataset_get_n_groups (dataset),
          cm_dataset_get_n_periods (dataset));
  if (n_undated > 0)
    printf (", %u undated", n_undated);
  printf ("\n");
}

int
cm_cli_validate (const char *const *paths)
{
  int status = 0;

  g_return_val_if_fail (paths != NULL, 1);

  for (guint i = 0; paths[i] != NULL; i++)
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (paths[i]);
      g_autoptr(CmDataset) dataset = NULL;
      g_autoptr(GError) error = NULL;

      dataset = cm_loader_load_file_with_name (file, paths[i], NULL, &error);
      if (dataset == NULL)
        {
          /* Every loader message already names the file. */
          printf ("%s\n", error->message);
          status = 1;
          continue;
        }

      print_summary (paths[i], "ok", dataset);
    }

  fflush (stdout);

  return status;
}

int
cm_cli_convert (const char *out,
                const char *path)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFile) target = NULL;
  g_autoptr(CmDataset) dataset = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (out != NULL && path != NULL, 1);

  file = g_file_new_for_commandline_arg (path);
  target = g_file_new_for_commandline_arg (out);

  dataset = cm_loader_load_file_with_name (file, path, NULL, &error);
  if (dataset == NULL)
    {
      printf ("%s\n", error->message);
      fflush (stdout);
      return 1;
    }

  if (!cm_json_writer_save (dataset, target, NULL, &error))
    {
      g_printerr ("%s: %s\n", out, error->message);
      return 1;
    }

  print_summary (out, "written", dataset);
  fflush (stdout);

  return 0;
}
