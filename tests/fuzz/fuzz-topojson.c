/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The TopoJSON decoder of the offline basemap. */
#include "config.h"

#include "cm-topojson.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  CmTopology *topology = cm_topology_new_from_data ((const char *) data, size, &error);

  g_assert ((topology == NULL) != (error == NULL));
  if (topology != NULL)
    {
      for (guint i = 0; i < cm_topology_get_n_arcs (topology); i++)
        {
          guint n = 0;

          cm_topology_get_arc (topology, i, &n);
        }
      cm_topology_free (topology);
    }

  return 0;
}
