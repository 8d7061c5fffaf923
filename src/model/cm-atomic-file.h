/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A file written whole or not at all: the data goes to a temporary file
 * beside the target, which replaces the target only on commit. The
 * temporary file is removed on abort, on any failure, and when the
 * process is stopped by SIGINT, SIGTERM or SIGHUP while it exists. A
 * target that is a symbolic link is written through: the link stays and
 * the file it points to is replaced, atomically, in its own folder. */
typedef struct _CmAtomicFile CmAtomicFile;

/* @display_name names the target in messages (G_IO_ERROR). */
CmAtomicFile *cm_atomic_file_new         (const char    *path,
                                          const char    *display_name,
                                          GError       **error);
int           cm_atomic_file_get_fd      (CmAtomicFile  *file);
/* The temporary file's path, the real target's path (links followed). */
const char   *cm_atomic_file_get_temp    (CmAtomicFile  *file);
const char   *cm_atomic_file_get_target  (CmAtomicFile  *file);
/* Flushes, closes and renames over the target; frees @file. On failure
 * the temporary file is removed and the target is left as it was. */
gboolean      cm_atomic_file_commit      (CmAtomicFile  *file,
                                          GError       **error);
/* Closes and removes the temporary file; frees @file. NULL is allowed. */
void          cm_atomic_file_abort       (CmAtomicFile  *file);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CmAtomicFile, cm_atomic_file_abort)

G_END_DECLS
