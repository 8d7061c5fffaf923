/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "cm-dataset.h"

G_BEGIN_DECLS

/* Writes a dataset as Chronomap JSON version 1, so that an imported file
 * can be kept in Chronomap's own format ("Save as Chronomap JSON…",
 * `chronomap --convert`). Loading what is written gives the same dataset:
 * the same items in the same order, the same ids, texts and references,
 * the same instants with the same precision and offset. A time is written
 * with its offset when it has one ("2025-02-18T10:00:00+03:00"), so that
 * it does not depend on the place's time zone rule; dates without a time
 * are written as the date they name in their own offset.
 *
 * cm_json_writer_to_bytes() needs no I/O. cm_json_writer_save() writes
 * through the project's atomic writer (cm-atomic-file.h: a temporary file
 * beside @file, renamed over it only when complete, removed on failure or
 * SIGINT/SIGTERM; links written through), and refuses to write over the
 * file the dataset was read from, also through a link. */

GBytes   *cm_json_writer_to_bytes     (CmDataset            *dataset);
gboolean  cm_json_writer_save         (CmDataset            *dataset,
                                       GFile                *file,
                                       GCancellable         *cancellable,
                                       GError              **error);
/* The same in a worker thread. */
void      cm_json_writer_save_async   (CmDataset            *dataset,
                                       GFile                *file,
                                       GCancellable         *cancellable,
                                       GAsyncReadyCallback   callback,
                                       gpointer              user_data);
gboolean  cm_json_writer_save_finish  (GAsyncResult         *result,
                                       GError              **error);

/* "2025", "2025-02", "2025-02-18", "2025-02-18T10:00+03:00",
 * "2025-02-18T10:00:30Z", "-0043-03-15": what cm_time_parse() reads back
 * as @time. */
char     *cm_json_writer_format_time  (const CmTime         *time);

G_END_DECLS
