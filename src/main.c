/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "chronomap"

#include "config.h"

#include <locale.h>

#include <glib/gi18n.h>

#include "cm-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(CmApplication) app = NULL;
  /* Set by `meson devenv` to the build tree's translations. */
  const char *localedir = g_getenv ("CHRONOMAP_LOCALEDIR");

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL && *localedir != '\0' ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* No GTK call before run: --validate and --version must work without a
   * display, and GtkApplication initialises GTK only in startup. */
  app = cm_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
