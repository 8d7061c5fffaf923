/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* `chronomap --validate FILE...`: loads each file as the app would, with
 * no display, and prints one summary per valid file,
 *   "FILE: ok: N events, N actors, N places, N groups, N periods",
 * ("FILE: ok (TimelineJS): ..." for a file imported from another format),
 * or the file's problems, one per line ("FILE:LINE:COLUMN: PATH: message",
 * "FILE: cannot read: REASON", "FILE: not a Chronomap file ..."). All of it
 * goes to stdout, so `chronomap --validate *.json | grep events` works.
 * Returns the exit status: 0 if every file is valid, 1 otherwise. */
int cm_cli_validate (const char *const *paths);

/* `chronomap --convert OUT.json FILE`: loads FILE in any format Chronomap
 * opens and writes it as Chronomap JSON to OUT (atomically; never over
 * FILE). Prints "OUT: written (TimelineJS): N events, …" or the problems,
 * like --validate. Returns 0 on success, 1 otherwise. */
int cm_cli_convert  (const char        *out,
                     const char        *path);

G_END_DECLS
