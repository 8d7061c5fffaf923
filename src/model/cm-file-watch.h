/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Watches the file on show for changes on disk (a GFileMonitor), and
 * settles each burst of events (an editor's save is often a write, a
 * rename over the file and a change of attributes) into one signal once
 * the file has been quiet for CM_FILE_WATCH_DELAY_MS:
 *
 *   "changed"  the file exists and differs from what was last seen;
 *   "gone"     the file was deleted, or renamed (@new_file is then where it
 *              went, else NULL).
 *
 * Any write counts as a change: the reload that follows is what finds
 * whether the content says anything new. */
#define CM_TYPE_FILE_WATCH (cm_file_watch_get_type ())
G_DECLARE_FINAL_TYPE (CmFileWatch, cm_file_watch, CM, FILE_WATCH, GObject)

#define CM_FILE_WATCH_DELAY_MS 300

CmFileWatch *cm_file_watch_new      (void);
/* Starts watching @file (NULL stops). */
void         cm_file_watch_set_file (CmFileWatch *self,
                                     GFile       *file);
GFile       *cm_file_watch_get_file (CmFileWatch *self);

G_END_DECLS
