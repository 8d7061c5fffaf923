/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "cm-dataset.h"

G_BEGIN_DECLS

#define CM_LOADER_ERROR (cm_loader_error_quark ())

typedef enum
{
  /* The file is not a valid dataset. The message holds every problem, one
   * per line, as "FILE:LINE:COLUMN: PATH: message" (at most
   * CM_LOADER_MAX_PROBLEMS lines, then "… and N more problems"). */
  CM_LOADER_ERROR_INVALID,
  /* The file is in no format Chronomap reads. */
  CM_LOADER_ERROR_UNKNOWN_FORMAT,
} CmLoaderError;

#define CM_LOADER_MAX_PROBLEMS 100

GQuark     cm_loader_error_quark        (void);

/* Reads and validates a dataset. @display_name names the input in problem
 * lines (a file's basename or path). I/O errors are G_IO_ERROR. */
CmDataset *cm_loader_load_bytes         (GBytes              *bytes,
                                         const char          *display_name,
                                         GCancellable        *cancellable,
                                         GError             **error);
CmDataset *cm_loader_load_file          (GFile               *file,
                                         GCancellable        *cancellable,
                                         GError             **error);

/* The same, in a worker thread; the callback runs on the calling thread's
 * main context. */
void       cm_loader_load_file_async    (GFile               *file,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
CmDataset *cm_loader_load_file_finish   (GAsyncResult        *result,
                                         GError             **error);

G_END_DECLS
