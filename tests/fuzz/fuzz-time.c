/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The date parser, with and without a zone (one with daylight saving). */
#include "config.h"

#include <string.h>

#include "cm-time.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static GTimeZone *zone;
  g_autofree char *text = g_strndup ((const char *) data, size);
  GTimeZone *zones[2];

  if (zone == NULL)
    zone = g_time_zone_new_identifier ("Europe/Kyiv");
  zones[0] = NULL;
  zones[1] = zone;

  for (guint i = 0; i < G_N_ELEMENTS (zones); i++)
    {
      g_autoptr(GError) error = NULL;
      CmTime time;

      if (cm_time_parse (text, zones[i], &time, &error))
        g_assert (cm_time_get_end (&time) > time.seconds);
      else
        g_assert (error != NULL && error->message != NULL);
    }

  return 0;
}
