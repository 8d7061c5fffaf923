/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-session"

#include "config.h"

#include "cm-session.h"

struct _CmSession
{
  GObject          parent_instance;

  CmDataset       *dataset;
  CmSelectionKind  selection_kind;
  guint            selection_index;
};

G_DEFINE_FINAL_TYPE (CmSession, cm_session, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_DATASET,
  N_PROPS
};

enum {
  SELECTION_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
cm_session_dispose (GObject *object)
{
  CmSession *self = CM_SESSION (object);

  g_clear_object (&self->dataset);

  G_OBJECT_CLASS (cm_session_parent_class)->dispose (object);
}

static void
cm_session_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  CmSession *self = CM_SESSION (object);

  switch (prop_id)
    {
    case PROP_DATASET:
      g_value_set_object (value, self->dataset);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cm_session_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  CmSession *self = CM_SESSION (object);

  switch (prop_id)
    {
    case PROP_DATASET:
      cm_session_set_dataset (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cm_session_class_init (CmSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cm_session_dispose;
  object_class->get_property = cm_session_get_property;
  object_class->set_property = cm_session_set_property;

  properties[PROP_DATASET] =
    g_param_spec_object ("dataset", NULL, NULL,
                         CM_TYPE_DATASET,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CmSession::selection-changed:
   *
   * The selected event, actor or place changed.
   */
  signals[SELECTION_CHANGED] =
    g_signal_new ("selection-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
cm_session_init (CmSession *self)
{
  self->selection_kind = CM_SELECTION_NONE;
  self->selection_index = CM_NONE;
}

CmSession *
cm_session_new (void)
{
  return g_object_new (CM_TYPE_SESSION, NULL);
}

CmDataset *
cm_session_get_dataset (CmSession *self)
{
  g_return_val_if_fail (CM_IS_SESSION (self), NULL);

  return self->dataset;
}

void
cm_session_set_dataset (CmSession *self,
                        CmDataset *dataset)
{
  g_return_if_fail (CM_IS_SESSION (self));
  g_return_if_fail (!dataset || CM_IS_DATASET (dataset));

  if (!g_set_object (&self->dataset, dataset))
    return;

  /* Indexes of the old dataset mean nothing in the new one. */
  self->selection_kind = CM_SELECTION_NONE;
  self->selection_index = CM_NONE;

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DATASET]);
  g_signal_emit (self, signals[SELECTION_CHANGED], 0);
}

static guint
count_of_kind (CmSession       *self,
               CmSelectionKind  kind)
{
  if (!self->dataset)
    return 0;

  switch (kind)
    {
    case CM_SELECTION_EVENT:
      return cm_dataset_get_n_events (self->dataset);
    case CM_SELECTION_ACTOR:
      return cm_dataset_get_n_actors (self->dataset);
    case CM_SELECTION_PLACE:
      return cm_dataset_get_n_places (self->dataset);
    case CM_SELECTION_NONE:
    default:
      return 0;
    }
}

void
cm_session_select (CmSession       *self,
                   CmSelectionKind  kind,
                   guint            index)
{
  g_return_if_fail (CM_IS_SESSION (self));

  if (kind == CM_SELECTION_NONE || index >= count_of_kind (self, kind))
    {
      kind = CM_SELECTION_NONE;
      index = CM_NONE;
    }

  if (self->selection_kind == kind && self->selection_index == index)
    return;

  self->selection_kind = kind;
  self->selection_index = index;

  g_signal_emit (self, signals[SELECTION_CHANGED], 0);
}

CmSelectionKind
cm_session_get_selection_kind (CmSession *self)
{
  g_return_val_if_fail (CM_IS_SESSION (self), CM_SELECTION_NONE);

  return self->selection_kind;
}

guint
cm_session_get_selection_index (CmSession *self)
{
  g_return_val_if_fail (CM_IS_SESSION (self), CM_NONE);

  return self->selection_index;
}

guint
cm_session_get_selected_event (CmSession *self)
{
  g_return_val_if_fail (CM_IS_SESSION (self), CM_NONE);

  return self->selection_kind == CM_SELECTION_EVENT ? self->selection_index : CM_NONE;
}
