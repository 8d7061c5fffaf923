/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "cm-dataset.h"

G_BEGIN_DECLS

/* "Save as Chronomap JSON…": asks for a file (suggesting the opened file's
 * name with .json, beside it) and writes the dataset there in a worker
 * thread (cm_json_writer_save_async(): a temporary file renamed when
 * complete; never over the file it was read from). The outcome is a toast
 * in @overlay: "Saved as NAME" with an Open button, or the error. */
void cm_save_as_choose (GtkWindow       *parent,
                        CmDataset       *dataset,
                        AdwToastOverlay *overlay);
/* The same without asking, for a file already chosen (and for tests). */
void cm_save_as_write  (CmDataset       *dataset,
                        GFile           *file,
                        AdwToastOverlay *overlay);

G_END_DECLS
