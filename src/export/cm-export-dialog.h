/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "cm-export-options.h"
#include "cm-session.h"

G_BEGIN_DECLS

/* The Export dialog: options beside a live preview of the page, then a
 * file chooser and the export in a worker thread with progress and
 * cancel. It remembers the last choices in GSettings. Signal
 * ::exported (GFile *file) after a successful export, just before the
 * dialog closes: the window shows a toast with an "Open" button. */

#define CM_TYPE_EXPORT_DIALOG (cm_export_dialog_get_type ())
G_DECLARE_FINAL_TYPE (CmExportDialog, cm_export_dialog, CM, EXPORT_DIALOG, AdwWindow)

CmExportDialog *cm_export_dialog_new            (GtkWindow      *parent,
                                                 CmSession      *session);
/* The span the timeline shows, offered as "Current view" and chosen. */
void            cm_export_dialog_set_view_range (CmExportDialog *self,
                                                 gint64          t0,
                                                 gint64          t1);
/* The lane mode of the window's timeline (CmLaneMode values), chosen. */
void            cm_export_dialog_set_lanes      (CmExportDialog *self,
                                                 CmLaneMode      lanes);

/* "Copy image": the page for @options (size, range and theme of the
 * current view, say), with the session's filter applied when
 * options->filter is NULL, as a PNG texture on @clipboard. Drawn in a
 * worker thread. */
void            cm_export_copy_to_clipboard_async  (GdkClipboard          *clipboard,
                                                    CmSession             *session,
                                                    const CmExportOptions *options,
                                                    GCancellable          *cancellable,
                                                    GAsyncReadyCallback    callback,
                                                    gpointer               user_data);
gboolean        cm_export_copy_to_clipboard_finish (GAsyncResult          *result,
                                                    GError               **error);

G_END_DECLS
