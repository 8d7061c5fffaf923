/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "cm-export-options.h"

G_BEGIN_DECLS

/* `chronomap --export OUT.png|svg|pdf [options] FILE`: exports without a
 * display. Nothing on this path initialises GTK; it needs cairo and
 * pango only. Exit status: 0 on success, 1 when the input cannot be read
 * or the file cannot be written, 2 for a bad option. Messages go to
 * stderr as "chronomap: ...". */

/* The whole command line, parsed by its own GOptionContext. main() can
 * call it first thing:
 *
 *   if (cm_export_cli_wanted (argc, argv))
 *     return cm_export_cli_main_argv (argc, argv);
 */
gboolean      cm_export_cli_wanted            (int                    argc,
                                               char                 **argv);
int           cm_export_cli_main_argv         (int                    argc,
                                               char                 **argv);

/* Or as a group of a GApplication's options: add the group, then in
 * ::handle-local-options return cm_export_cli_main (files) when
 * cm_export_cli_requested(). The group fails the parse with a clear
 * error for a bad value, or an export option without --export. */
GOptionGroup *cm_export_cli_get_option_group  (void);
gboolean      cm_export_cli_requested         (void);
/* @files: the positional arguments left after parsing (exactly one
 * input file is expected). */
int           cm_export_cli_main              (char                 **files);

/* Loads @input (a path or URI) and writes @output. */
int           cm_export_cli_run               (const char            *input,
                                               const char            *output,
                                               const CmExportOptions *options);

G_END_DECLS
