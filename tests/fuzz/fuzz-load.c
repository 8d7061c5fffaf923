/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The whole load path: bytes -> a dataset, or problems that each name a
 * line and column. */
#include "config.h"

#include <string.h>

#include "cm-loader.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(CmDataset) dataset = NULL;

  dataset = cm_loader_load_bytes (bytes, "fuzz.json", NULL, &error);
  g_assert ((dataset == NULL) != (error == NULL));

  if (dataset != NULL)
    {
      /* Everything the views read, in range. */
      for (guint i = 0; i < cm_dataset_get_n_events (dataset); i++)
        {
          const CmEvent *event = cm_dataset_get_event (dataset, i);
          guint n;

          g_assert (event->title != NULL);
          g_assert (cm_time_get_end (&event->start) >= event->start.seconds);
          cm_dataset_get_event_actors (dataset, event, &n);
          cm_dataset_get_event_places (dataset, event, &n);
        }
    }
  else if (error->domain == CM_LOADER_ERROR)
    g_assert (g_str_has_prefix (error->message, "fuzz.json:"));

  return 0;
}
