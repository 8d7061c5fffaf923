/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Linked into every libFuzzer harness: a GLib critical or warning on bad
 * input is a bug like a crash, and it aborts (which libFuzzer catches and
 * saves as a finding; G_DEBUG=fatal-criticals traps, which it does not). */
#include "config.h"

#include <stdlib.h>
#include <glib.h>

int LLVMFuzzerInitialize (int    *argc,
                          char ***argv);

static GLogWriterOutput
abort_on_warning (GLogLevelFlags   level,
                  const GLogField *fields,
                  gsize            n_fields,
                  gpointer         user_data)
{
  GLogWriterOutput result = g_log_writer_default (level, fields, n_fields, user_data);

  if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    abort ();
  return result;
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_log_set_writer_func (abort_on_warning, NULL, NULL);
  return 0;
}
