/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Runs a fuzz harness over saved inputs: every file in the folders given,
 * the regressions (one per finding) and the seeds. Built with any
 * compiler, in the unit suite, so a finding stays fixed. */
#include "config.h"

#include <stdio.h>
#include <glib.h>

#include "fuzz.h"

int
main (int    argc,
      char **argv)
{
  guint n = 0;

  for (int i = 1; i < argc; i++)
    {
      g_autoptr(GDir) dir = g_dir_open (argv[i], 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *path = g_build_filename (argv[i], name, NULL);
          g_autofree char *data = NULL;
          gsize length;

          if (name[0] == '.' || !g_file_test (path, G_FILE_TEST_IS_REGULAR) ||
              !g_file_get_contents (path, &data, &length, NULL))
            continue;
          LLVMFuzzerTestOneInput ((const guint8 *) data, length);
          n++;
        }
    }

  printf ("1..1\nok 1 - %u inputs\n", n);
  return n > 0 ? 0 : 1;
}
