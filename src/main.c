/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "chronomap"

#include "config.h"

int
main (int   argc,
      char *argv[])
{
  return 0;
}
