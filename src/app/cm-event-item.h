/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "cm-dataset.h"

G_BEGIN_DECLS

/* One event of a dataset as a list item: created on demand by
 * CmEventModel, never one per event up front. */

#define CM_TYPE_EVENT_ITEM (cm_event_item_get_type ())
G_DECLARE_FINAL_TYPE (CmEventItem, cm_event_item, CM, EVENT_ITEM, GObject)

CmEventItem    *cm_event_item_new         (CmDataset   *dataset,
                                           guint        index);
CmDataset      *cm_event_item_get_dataset (CmEventItem *self);
guint           cm_event_item_get_index   (CmEventItem *self);
const CmEvent  *cm_event_item_get_event   (CmEventItem *self);

G_END_DECLS
