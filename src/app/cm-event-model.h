/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "cm-dataset.h"

G_BEGIN_DECLS

/* A GListModel of a dataset's events (CmEventItem), in an order of its
 * own. Items are created only when asked for, and an order is an array
 * of indexes: no object per event is kept. */

#define CM_TYPE_EVENT_MODEL (cm_event_model_get_type ())
G_DECLARE_FINAL_TYPE (CmEventModel, cm_event_model, CM, EVENT_MODEL, GObject)

CmEventModel *cm_event_model_new          (void);
CmDataset    *cm_event_model_get_dataset  (CmEventModel *self);
/* Shows @dataset's events in time order. */
void          cm_event_model_set_dataset  (CmEventModel *self,
                                           CmDataset    *dataset);
/* Shows the @n_order events in @order (event indexes, all of them or
 * those the filter shows), which the model takes; NULL restores every
 * event in time order. */
void          cm_event_model_set_order    (CmEventModel *self,
                                           guint32      *order,
                                           guint         n_order);
/* Shows only the first @limit rows of the order (G_MAXUINT, the default:
 * all of them), so that a list view makes its rows a few at a time. */
void          cm_event_model_set_limit    (CmEventModel *self,
                                           guint         limit);
guint         cm_event_model_get_limit    (CmEventModel *self);
/* The event index shown at @position, or CM_NONE. */
guint         cm_event_model_get_event    (CmEventModel *self,
                                           guint         position);
/* The position of event @event, or G_MAXUINT. */
guint         cm_event_model_get_position (CmEventModel *self,
                                           guint         event);

G_END_DECLS
