/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cm-import.h"

G_BEGIN_DECLS

/* GeoJSON (RFC 7946) FeatureCollections whose features have a time: each
 * feature an event at its own place. See cm-import-geojson.c for how the
 * time, title and group properties are found. */
gboolean cm_import_geojson_detect (const CmJsonNode *root);
void     cm_import_geojson        (CmLoaderContext  *context,
                                   const CmJsonNode *root,
                                   CmDatasetBuilder *builder);

G_END_DECLS
