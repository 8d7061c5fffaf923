/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-event-item"

#include "config.h"

#include "cm-event-item.h"

struct _CmEventItem
{
  GObject    parent_instance;

  CmDataset *dataset;
  guint      index;
};

G_DEFINE_FINAL_TYPE (CmEventItem, cm_event_item, G_TYPE_OBJECT)

static void
cm_event_item_dispose (GObject *object)
{
  CmEventItem *self = CM_EVENT_ITEM (object);

  g_clear_object (&self->dataset);

  G_OBJECT_CLASS (cm_event_item_parent_class)->dispose (object);
}

static void
cm_event_item_class_init (CmEventItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cm_event_item_dispose;
}

static void
cm_event_item_init (CmEventItem *self)
{
}

CmEventItem *
cm_event_item_new (CmDataset *dataset,
                   guint      index)
{
  CmEventItem *self;

  g_return_val_if_fail (CM_IS_DATASET (dataset), NULL);
  g_return_val_if_fail (index < cm_dataset_get_n_events (dataset), NULL);

  self = g_object_new (CM_TYPE_EVENT_ITEM, NULL);
  self->dataset = g_object_ref (dataset);
  self->index = index;

  return self;
}

CmDataset *
cm_event_item_get_dataset (CmEventItem *self)
{
  g_return_val_if_fail (CM_IS_EVENT_ITEM (self), NULL);

  return self->dataset;
}

guint
cm_event_item_get_index (CmEventItem *self)
{
  g_return_val_if_fail (CM_IS_EVENT_ITEM (self), CM_NONE);

  return self->index;
}

const CmEvent *
cm_event_item_get_event (CmEventItem *self)
{
  g_return_val_if_fail (CM_IS_EVENT_ITEM (self), NULL);

  return cm_dataset_get_event (self->dataset, self->index);
}
