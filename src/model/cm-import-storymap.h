/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cm-import.h"

G_BEGIN_DECLS

/* StoryMapJS: {"storymap": {"slides": [...]}}, each slide a "location"
 * (lat, lon, name), "text" (headline, HTML text), "media" and perhaps a
 * "date"; the overview slide gives the title. Slides whose date is not
 * clearly a date are undated events, in story order. */
gboolean cm_import_storymap_detect (const CmJsonNode *root);
void     cm_import_storymap        (CmLoaderContext  *context,
                                    const CmJsonNode *root,
                                    CmDatasetBuilder *builder);

G_END_DECLS
