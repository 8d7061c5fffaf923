/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cm-export-dialog.h"

G_BEGIN_DECLS

/* Tests: what the Export button does once the file chooser returned
 * @file. */
void _cm_export_dialog_export_to (CmExportDialog *self,
                                  GFile          *file);

/* Tests: the pixels the preview shows (device pixels), NULL before the
 * first one is drawn. */
GdkTexture *_cm_export_dialog_get_preview (CmExportDialog *self);

G_END_DECLS
