/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-cli"

#include "config.h"

#include <stdio.h>

#include "cm-cli.h"
#include "cm-loader.h"

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

      printf ("%s: ok: %u events, %u actors, %u places, %u groups, %u periods\n",
              paths[i],
              cm_dataset_get_n_events (dataset),
              cm_dataset_get_n_actors (dataset),
              cm_dataset_get_n_places (dataset),
              cm_dataset_get_n_groups (dataset),
              cm_dataset_get_n_periods (dataset));
    }

  fflush (stdout);

  return status;
}
