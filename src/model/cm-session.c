/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-session"

#include "config.h"

#include "cm-session.h"

typedef struct
{
  CmSelectionKind kind;
  guint           index;
} Selection;

struct _CmSession
{
  GObject          parent_instance;

  CmDataset       *dataset;
  CmFilter        *filter;
  CmSelectionKind  selection_kind;
  guint            selection_index;

  /* Selections before and after the current one, most recent last. */
  GArray          *back;
  GArray          *forward;
};

G_DEFINE_FINAL_TYPE (CmSession, cm_session, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_DATASET,
  PROP_CAN_GO_BACK,
  PROP_CAN_GO_FORWARD,
  N_PROPS
};

enum {
  SELECTION_CHANGED,
  FILTER_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
cm_session_dispose (GObject *object)
{
  CmSession *self = CM_SESSION (object);

  g_clear_object (&self->dataset);
  g_clear_pointer (&self->filter, cm_filter_free);

  G_OBJECT_CLASS (cm_session_parent_class)->dispose (object);
}

static void
cm_session_finalize (GObject *object)
{
  CmSession *self = CM_SESSION (object);

  g_clear_pointer (&self->back, g_array_unref);
  g_clear_pointer (&self->forward, g_array_unref);

  G_OBJECT_CLASS (cm_session_parent_class)->finalize (object);
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

    case PROP_CAN_GO_BACK:
      g_value_set_boolean (value, cm_session_can_go_back (self));
      break;

    case PROP_CAN_GO_FORWARD:
      g_value_set_boolean (value, cm_session_can_go_forward (self));
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
  object_class->finalize = cm_session_finalize;
  object_class->get_property = cm_session_get_property;
  object_class->set_property = cm_session_set_property;

  properties[PROP_DATASET] =
    g_param_spec_object ("dataset", NULL, NULL,
                         CM_TYPE_DATASET,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_CAN_GO_BACK] =
    g_param_spec_boolean ("can-go-back", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_CAN_GO_FORWARD] =
    g_param_spec_boolean ("can-go-forward", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

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

  /**
   * CmSession::filter-changed:
   *
   * The set of visible events changed (filters or search).
   */
  signals[FILTER_CHANGED] =
    g_signal_new ("filter-changed",
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
  self->back = g_array_new (FALSE, FALSE, sizeof (Selection));
  self->forward = g_array_new (FALSE, FALSE, sizeof (Selection));
}

/* Notifies the history properties that differ from what they were. */
static void
notify_history (CmSession *self,
                gboolean   could_go_back,
                gboolean   could_go_forward)
{
  if (could_go_back != cm_session_can_go_back (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_GO_BACK]);
  if (could_go_forward != cm_session_can_go_forward (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_GO_FORWARD]);
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

static void
search_ready_cb (CmFilter *filter,
                 gpointer  user_data)
{
  g_signal_emit (user_data, signals[FILTER_CHANGED], 0);
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
  g_clear_pointer (&self->filter, cm_filter_free);
  if (dataset)
    {
      /* The search index starts building in the background now, not on
       * the first key press; a search typed before it is ready shows its
       * results when it is. */
      self->filter = cm_filter_new (dataset);
      cm_filter_set_changed_func (self->filter, search_ready_cb, self);
      cm_filter_prepare_search (self->filter);
    }
  {
    gboolean could_go_back = cm_session_can_go_back (self);
    gboolean could_go_forward = cm_session_can_go_forward (self);

    g_array_set_size (self->back, 0);
    g_array_set_size (self->forward, 0);
    notify_history (self, could_go_back, could_go_forward);
  }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DATASET]);
  g_signal_emit (self, signals[FILTER_CHANGED], 0);
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
  gboolean could_go_back, could_go_forward;

  g_return_if_fail (CM_IS_SESSION (self));

  if (kind == CM_SELECTION_NONE || index >= count_of_kind (self, kind))
    {
      kind = CM_SELECTION_NONE;
      index = CM_NONE;
    }

  if (self->selection_kind == kind && self->selection_index == index)
    return;

  could_go_back = cm_session_can_go_back (self);
  could_go_forward = cm_session_can_go_forward (self);
  if (self->selection_kind != CM_SELECTION_NONE)
    {
      Selection previous = { self->selection_kind, self->selection_index };
      g_array_append_val (self->back, previous);
    }
  g_array_set_size (self->forward, 0);

  self->selection_kind = kind;
  self->selection_index = index;
  notify_history (self, could_go_back, could_go_forward);

  g_signal_emit (self, signals[SELECTION_CHANGED], 0);
}

/* Moves the current selection onto @to and pops the last of @from. */
static gboolean
walk_history (CmSession *self,
              GArray    *from,
              GArray    *to)
{
  Selection current = { self->selection_kind, self->selection_index };
  gboolean could_go_back = cm_session_can_go_back (self);
  gboolean could_go_forward = cm_session_can_go_forward (self);
  Selection next;

  if (from->len == 0)
    return FALSE;

  next = g_array_index (from, Selection, from->len - 1);
  g_array_set_size (from, from->len - 1);
  if (current.kind != CM_SELECTION_NONE)
    g_array_append_val (to, current);

  self->selection_kind = next.kind;
  self->selection_index = next.index;
  notify_history (self, could_go_back, could_go_forward);

  g_signal_emit (self, signals[SELECTION_CHANGED], 0);

  return TRUE;
}

gboolean
cm_session_go_back (CmSession *self)
{
  g_return_val_if_fail (CM_IS_SESSION (self), FALSE);

  return walk_history (self, self->back, self->forward);
}

gboolean
cm_session_go_forward (CmSession *self)
{
  g_return_val_if_fail (CM_IS_SESSION (self), FALSE);

  return walk_history (self, self->forward, self->back);
}

gboolean
cm_session_can_go_back (CmSession *self)
{
  g_return_val_if_fail (CM_IS_SESSION (self), FALSE);

  return self->back->len > 0;
}

gboolean
cm_session_can_go_forward (CmSession *self)
{
  g_return_val_if_fail (CM_IS_SESSION (self), FALSE);

  return self->forward->len > 0;
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

CmFilter *
cm_session_get_filter (CmSession *self)
{
  g_return_val_if_fail (CM_IS_SESSION (self), NULL);

  return self->filter;
}

static void
filter_changed (CmSession *self,
                gboolean   changed)
{
  if (changed)
    g_signal_emit (self, signals[FILTER_CHANGED], 0);
}

void
cm_session_set_filter_value (CmSession *self,
                             CmFacet    facet,
                             guint      index,
                             gboolean   chosen)
{
  g_return_if_fail (CM_IS_SESSION (self));
  g_return_if_fail (self->filter != NULL);

  filter_changed (self, cm_filter_set_value (self->filter, facet, index, chosen));
}

void
cm_session_set_filter_range (CmSession *self,
                             gint64     from,
                             gint64     to)
{
  g_return_if_fail (CM_IS_SESSION (self));
  g_return_if_fail (self->filter != NULL);

  filter_changed (self, cm_filter_set_range (self->filter, from, to));
}

void
cm_session_set_search (CmSession  *self,
                       const char *query)
{
  g_return_if_fail (CM_IS_SESSION (self));

  if (self->filter)
    filter_changed (self, cm_filter_set_search (self->filter, query));
}

void
cm_session_clear_filter (CmSession *self)
{
  g_return_if_fail (CM_IS_SESSION (self));

  if (self->filter)
    filter_changed (self, cm_filter_clear (self->filter));
}

gboolean
cm_session_is_event_visible (CmSession *self,
                             guint      event)
{
  g_return_val_if_fail (CM_IS_SESSION (self), FALSE);

  return self->filter != NULL && cm_filter_is_visible (self->filter, event);
}

guint
cm_session_get_n_visible (CmSession *self)
{
  guint n = 0;

  g_return_val_if_fail (CM_IS_SESSION (self), 0);

  if (self->filter)
    cm_filter_get_visible (self->filter, &n);

  return n;
}
