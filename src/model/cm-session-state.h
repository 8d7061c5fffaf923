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

G_END_DECLS
