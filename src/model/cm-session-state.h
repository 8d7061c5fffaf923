/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cm-session.h"

G_BEGIN_DECLS

/* What a user was looking at in a file (selection, filters, search),
 * written to a group of a key file so that reopening the file brings it
 * back. Items are stored by id, not index, so a file edited in between
 * restores what still exists and skips the rest. */

void     cm_session_state_save    (CmSession  *session,
                                   GKeyFile   *key_file,
                                   const char *group);
/* Returns FALSE when @group holds nothing to restore. */
gboolean cm_session_state_restore (CmSession  *session,
                                   GKeyFile   *key_file,
                                   const char *group);

/* The views of the last 50 files, in ~/.local/state/chronomap/views.ini,
 * one group per file URI. Read (at the first call) and written in worker
 * threads, never on the main thread. */
typedef void (*CmViewStoreFunc) (GKeyFile *key_file,
                                 gpointer  user_data);

/* Calls @func with the views once they are read: at once if they are. */
void      cm_view_store_when_loaded (CmViewStoreFunc  func,
                                     gpointer         user_data,
                                     GDestroyNotify   destroy);
/* The key file to change before cm_view_store_save(); always available
 * (changes made before the read finishes are laid over what it reads). */
GKeyFile *cm_view_store_edit        (void);
/* Keeps the 50 files seen last (by their "seen" key) and writes them in
 * the background; the default GApplication is held until it is done. */
void      cm_view_store_save        (void);
/* Waits, running the main context, until nothing is being read or
 * written: for tests. */
void      cm_view_store_flush       (void);

G_END_DECLS
