/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-details"

#include "config.h"

#include <glib/gi18n.h>

#include "cm-actor-page.h"
#include "cm-details-panel.h"
#include "cm-event-page.h"
#include "cm-place-page.h"

struct _CmDetailsPanel
{
  GtkWidget    parent_instance;

  CmSession   *session;

  GtkStack    *stack;
  GtkLabel    *kind_label;
  CmEventPage *event_page;
  CmActorPage *actor_page;
  CmPlacePage *place_page;
};

G_DEFINE_FINAL_TYPE (CmDetailsPanel, cm_details_panel, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
update_history_actions (CmDetailsPanel *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "details.back",
                                 self->session && cm_session_can_go_back (self->session));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "details.forward",
                                 self->session && cm_session_can_go_forward (self->session));
}

/* When the focus was on the page that went (a row's button), the stack
 * gives it to the new page's first focusable widget, often a selectable
 * label (an actor's description, a place's coordinates), and GTK selects
 * all of a label that takes the focus. The page opens with nothing
 * selected; the focus stays on it for the keyboard. */
static void
deselect_focused_text (CmDetailsPanel *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  if (GTK_IS_LABEL (focus) && gtk_widget_is_ancestor (focus, GTK_WIDGET (self->stack)))
    gtk_label_select_region (GTK_LABEL (focus), 0, 0);
}

static void
show_selection (CmDetailsPanel *self)
{
  CmSelectionKind kind = self->session ? cm_session_get_selection_kind (self->session)
                                       : CM_SELECTION_NONE;
  guint index = self->session ? cm_session_get_selection_index (self->session) : CM_NONE;

  switch (kind)
    {
    case CM_SELECTION_EVENT:
      cm_event_page_set_event (self->event_page, index);
      gtk_stack_set_visible_child_name (self->stack, "event");
      gtk_label_set_text (self->kind_label, _("Event"));
      break;

    case CM_SELECTION_ACTOR:
      cm_actor_page_set_actor (self->actor_page, index);
      gtk_stack_set_visible_child_name (self->stack, "actor");
      gtk_label_set_text (self->kind_label, _("Actor"));
      break;

    case CM_SELECTION_PLACE:
      cm_place_page_set_place (self->place_page, index);
      gtk_stack_set_visible_child_name (self->stack, "place");
      gtk_label_set_text (self->kind_label, _("Place"));
      break;

    case CM_SELECTION_NONE:
    default:
      /* A new dataset (a reload) starts with no selection: forget the
       * pages' items, so the same index in it is filled afresh. */
      cm_event_page_set_event (self->event_page, CM_NONE);
      cm_actor_page_set_actor (self->actor_page, CM_NONE);
      cm_place_page_set_place (self->place_page, CM_NONE);
      gtk_stack_set_visible_child_name (self->stack, "empty");
      gtk_label_set_text (self->kind_label, "");
      break;
    }

  deselect_focused_text (self);
}

static void
selection_changed_cb (CmSession      *session,
                      CmDetailsPanel *self)
{
  show_selection (self);
  /* cm_session_select() does not notify "can-go-back" when the history
   * was empty: check the history on every selection as well. */
  update_history_actions (self);
}

static void
history_notify_cb (CmSession      *session,
                   GParamSpec     *pspec,
                   CmDetailsPanel *self)
{
  update_history_actions (self);
}

static void
go_back_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  CmDetailsPanel *self = CM_DETAILS_PANEL (widget);

  if (self->session)
    cm_session_go_back (self->session);
}

static void
go_forward_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  CmDetailsPanel *self = CM_DETAILS_PANEL (widget);

  if (self->session)
    cm_session_go_forward (self->session);
}

static void
cm_details_panel_dispose (GObject *object)
{
  CmDetailsPanel *self = CM_DETAILS_PANEL (object);
  GtkWidget *child;

  cm_details_panel_set_session (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), CM_TYPE_DETAILS_PANEL);
  /* Template children without an id are not unparented for us. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (cm_details_panel_parent_class)->dispose (object);
}

static void
cm_details_panel_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  CmDetailsPanel *self = CM_DETAILS_PANEL (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cm_details_panel_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  CmDetailsPanel *self = CM_DETAILS_PANEL (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      cm_details_panel_set_session (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cm_details_panel_class_init (CmDetailsPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cm_details_panel_dispose;
  object_class->get_property = cm_details_panel_get_property;
  object_class->set_property = cm_details_panel_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL,
                         CM_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_action (widget_class, "details.back", NULL, go_back_action);
  gtk_widget_class_install_action (widget_class, "details.forward", NULL, go_forward_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK,
                                       "details.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, GDK_ALT_MASK,
                                       "details.forward", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Back, 0, "details.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Forward, 0,
                                       "details.forward", NULL);

  g_type_ensure (CM_TYPE_EVENT_PAGE);
  g_type_ensure (CM_TYPE_ACTOR_PAGE);
  g_type_ensure (CM_TYPE_PLACE_PAGE);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/cm-details-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, CmDetailsPanel, stack);
  gtk_widget_class_bind_template_child (widget_class, CmDetailsPanel, kind_label);
  gtk_widget_class_bind_template_child (widget_class, CmDetailsPanel, event_page);
  gtk_widget_class_bind_template_child (widget_class, CmDetailsPanel, actor_page);
  gtk_widget_class_bind_template_child (widget_class, CmDetailsPanel, place_page);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "cm-details-panel");
}

static void
cm_details_panel_init (CmDetailsPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  update_history_actions (self);
}

GtkWidget *
cm_details_panel_new (CmSession *session)
{
  g_return_val_if_fail (!session || CM_IS_SESSION (session), NULL);

  return g_object_new (CM_TYPE_DETAILS_PANEL, "session", session, NULL);
}

CmSession *
cm_details_panel_get_session (CmDetailsPanel *self)
{
  g_return_val_if_fail (CM_IS_DETAILS_PANEL (self), NULL);

  return self->session;
}

void
cm_details_panel_set_session (CmDetailsPanel *self,
                              CmSession      *session)
{
  g_return_if_fail (CM_IS_DETAILS_PANEL (self));
  g_return_if_fail (!session || CM_IS_SESSION (session));

  if (self->session == session)
    return;

  if (self->session)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_set_object (&self->session, session);

  if (session)
    {
      g_signal_connect_object (session, "selection-changed",
                               G_CALLBACK (selection_changed_cb), self, 0);
      g_signal_connect_object (session, "notify::can-go-back",
                               G_CALLBACK (history_notify_cb), self, 0);
      g_signal_connect_object (session, "notify::can-go-forward",
                               G_CALLBACK (history_notify_cb), self, 0);
    }

  /* After dispose the template children are gone. */
  if (self->event_page)
    {
      cm_event_page_set_session (self->event_page, session);
      cm_actor_page_set_session (self->actor_page, session);
      cm_place_page_set_session (self->place_page, session);
      show_selection (self);
    }
  update_history_actions (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

const char *
cm_details_panel_get_page_name (CmDetailsPanel *self)
{
  g_return_val_if_fail (CM_IS_DETAILS_PANEL (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}
