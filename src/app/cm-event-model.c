/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-event-model"

#include "config.h"

#include <string.h>

#include "cm-event-item.h"
#include "cm-event-model.h"

struct _CmEventModel
{
  GObject      parent_instance;

  CmDataset   *dataset;
  guint        n_items;         /* shown: n_ordered up to the limit */
  guint        n_ordered;       /* in the order */
  guint        limit;
  /* order[position] = event index; NULL means the dataset's time order */
  guint32     *order;
  /* positions[event index] = position; NULL with order */
  guint32     *positions;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CmEventModel, cm_event_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static GType
cm_event_model_get_item_type (GListModel *model)
{
  return CM_TYPE_EVENT_ITEM;
}

static guint
cm_event_model_get_n_items (GListModel *model)
{
  return CM_EVENT_MODEL (model)->n_items;
}

static gpointer
cm_event_model_get_item (GListModel *model,
                         guint       position)
{
  CmEventModel *self = CM_EVENT_MODEL (model);

  if (position >= self->n_items)
    return NULL;

  return cm_event_item_new (self->dataset, cm_event_model_get_event (self, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = cm_event_model_get_item_type;
  iface->get_n_items = cm_event_model_get_n_items;
  iface->get_item = cm_event_model_get_item;
}

static void
clear_order (CmEventModel *self)
{
  g_clear_pointer (&self->order, g_free);
  g_clear_pointer (&self->positions, g_free);
}

static void
cm_event_model_finalize (GObject *object)
{
  CmEventModel *self = CM_EVENT_MODEL (object);

  clear_order (self);
  g_clear_object (&self->dataset);

  G_OBJECT_CLASS (cm_event_model_parent_class)->finalize (object);
}

static void
cm_event_model_class_init (CmEventModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cm_event_model_finalize;
}

static void
cm_event_model_init (CmEventModel *self)
{
  self->limit = G_MAXUINT;
}

CmEventModel *
cm_event_model_new (void)
{
  return g_object_new (CM_TYPE_EVENT_MODEL, NULL);
}

CmDataset *
cm_event_model_get_dataset (CmEventModel *self)
{
  g_return_val_if_fail (CM_IS_EVENT_MODEL (self), NULL);

  return self->dataset;
}

void
cm_event_model_set_dataset (CmEventModel *self,
                            CmDataset    *dataset)
{
  guint old_n;

  g_return_if_fail (CM_IS_EVENT_MODEL (self));
  g_return_if_fail (!dataset || CM_IS_DATASET (dataset));

  if (self->dataset == dataset)
    return;

  old_n = self->n_items;
  g_set_object (&self->dataset, dataset);
  clear_order (self);
  self->n_ordered = dataset ? cm_dataset_get_n_events (dataset) : 0;
  self->n_items = MIN (self->n_ordered, self->limit);

  if (old_n > 0 || self->n_items > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n, self->n_items);
}

void
cm_event_model_set_order (CmEventModel *self,
                          guint32      *order,
                          guint         n_order)
{
  guint old_n, n_events;

  g_return_if_fail (CM_IS_EVENT_MODEL (self));

  n_events = self->dataset ? cm_dataset_get_n_events (self->dataset) : 0;
  g_return_if_fail (order == NULL || n_order <= n_events);

  /* Time order again: a list view takes long to re-read 100k rows. */
  if (order == NULL && self->order == NULL)
    return;

  old_n = self->n_items;
  clear_order (self);
  self->n_ordered = n_events;

  if (order && n_events > 0)
    {
      self->order = order;
      self->n_ordered = n_order;
      /* Events left out (filtered) have no position. */
      self->positions = g_new (guint32, n_events);
      memset (self->positions, 0xff, n_events * sizeof (guint32));
      for (guint i = 0; i < n_order; i++)
        self->positions[order[i]] = i;
    }
  else
    {
      g_free (order);
    }
  self->n_items = MIN (self->n_ordered, self->limit);

  if (old_n > 0 || self->n_items > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n, self->n_items);
}

void
cm_event_model_set_limit (CmEventModel *self,
                          guint         limit)
{
  guint old_n;

  g_return_if_fail (CM_IS_EVENT_MODEL (self));

  old_n = self->n_items;
  self->limit = limit;
  self->n_items = MIN (self->n_ordered, limit);
  if (self->n_items > old_n)
    g_list_model_items_changed (G_LIST_MODEL (self), old_n, 0, self->n_items - old_n);
  else if (self->n_items < old_n)
    g_list_model_items_changed (G_LIST_MODEL (self), self->n_items, old_n - self->n_items, 0);
}

guint
cm_event_model_get_limit (CmEventModel *self)
{
  g_return_val_if_fail (CM_IS_EVENT_MODEL (self), G_MAXUINT);

  return self->limit;
}

guint
cm_event_model_get_event (CmEventModel *self,
                          guint         position)
{
  g_return_val_if_fail (CM_IS_EVENT_MODEL (self), CM_NONE);

  if (position >= self->n_items)
    return CM_NONE;

  if (self->order)
    return self->order[position];

  return cm_dataset_get_time_order (self->dataset)[position];
}

guint
cm_event_model_get_position (CmEventModel *self,
                             guint         event)
{
  guint position;

  g_return_val_if_fail (CM_IS_EVENT_MODEL (self), G_MAXUINT);

  if (self->dataset == NULL || event >= cm_dataset_get_n_events (self->dataset))
    return G_MAXUINT;

  if (self->positions)
    position = self->positions[event] == G_MAXUINT32 ? G_MAXUINT : self->positions[event];
  else
    position = cm_dataset_get_time_rank (self->dataset, event);

  return position < self->n_items ? position : G_MAXUINT;
}
