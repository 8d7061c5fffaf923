/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cm-loader.h"

G_BEGIN_DECLS

/* Reads a Chronomap JSON version 1 document into @builder, reporting every
 * problem to @context. The loader's reader for its own format, with the
 * signature of an importer. */
void cm_json_chronomap_read (CmLoaderContext  *context,
                             const CmJsonNode *root,
                             CmDatasetBuilder *builder);

G_END_DECLS
