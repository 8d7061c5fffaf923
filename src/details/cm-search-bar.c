/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-details"

#include "config.h"

#include <glib/gi18n.h>

#include "cm-search-bar.h"

struct _CmSearchBar
{
  GtkWidget       parent_instance;

  CmSession      *session;

  GtkSearchBar   *search_bar;
  GtkSearchEntry *entry;
  GtkLabel       *matches_label;
  GtkWidget      *previous_button;
  GtkWidget      *next_button;
};

G_DEFINE_FINAL_TYPE (CmSearchBar, cm_search_bar, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_SEARCH_MODE_ENABLED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
search_is_active (CmSearchBar *self)
{
  CmFilter *filter = self->session ? cm_session_get_filter (self->session) : NULL;

  return filter != NULL && cm_filter_get_search (filter) != NULL;
}

static void
update_matches (CmSearchBar *self)
{
  g_autofree char *text = NULL;
  guint n = 0;

  if (search_is_active (self) &&
      cm_filter_is_search_pending (cm_session_get_filter (self->session)))
    {
      /* The index of a file just opened is still being built: its
       * results come with a filter change. */
      text = g_strdup (_("Searching…"));
    }
  else if (search_is_active (self))
    {
      n = cm_session_get_n_visible (self->session);
      if (n == 0)
        text = g_strdup (_("No matches"));
      else
        /* Translators: how many events match a search */
        text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u match", "%u matches", n), n);
    }

  gtk_label_set_text (self->matches_label, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->matches_label), text != NULL);
  gtk_widget_set_sensitive (self->previous_button, n > 0);
  gtk_widget_set_sensitive (self->next_button, n > 0);
}

/* Applies the entry's text now, without waiting for the search delay. */
static void
apply_search (CmSearchBar *self)
{
  if (self->session)
    cm_session_set_search (self->session, gtk_editable_get_text (GTK_EDITABLE (self->entry)));
  update_matches (self);
}

gboolean
cm_search_bar_select_match (CmSearchBar *self,
                            gboolean     forward)
{
  CmDataset *dataset;
  const guint32 *order;
  guint n, selected, start;

  g_return_val_if_fail (CM_IS_SEARCH_BAR (self), FALSE);

  if (self->session == NULL || (dataset = cm_session_get_dataset (self->session)) == NULL)
    return FALSE;
  n = cm_dataset_get_n_events (dataset);
  if (n == 0 || cm_session_get_n_visible (self->session) == 0)
    return FALSE;

  order = cm_dataset_get_time_order (dataset);
  selected = cm_session_get_selected_event (self->session);
  /* With no event selected, Enter goes to the first match and Shift+Enter
   * to the last. */
  if (selected == CM_NONE)
    start = forward ? n - 1 : 0;
  else
    start = cm_dataset_get_time_rank (dataset, selected);

  for (guint step = 1; step <= n; step++)
    {
      guint rank = forward ? (start + step) % n : (start + n - step % n) % n;

      if (cm_session_is_event_visible (self->session, order[rank]))
        {
          cm_session_select (self->session, CM_SELECTION_EVENT, order[rank]);
          return TRUE;
        }
    }

  return FALSE;
}

static void
search_changed_cb (CmSearchBar *self)
{
  apply_search (self);
}

static void
entry_activate_cb (CmSearchBar *self)
{
  apply_search (self);
  cm_search_bar_select_match (self, TRUE);
}

static void
next_match_cb (CmSearchBar *self)
{
  apply_search (self);
  cm_search_bar_select_match (self, TRUE);
}

static void
previous_match_cb (CmSearchBar *self)
{
  apply_search (self);
  cm_search_bar_select_match (self, FALSE);
}

static gboolean
shift_enter_cb (GtkWidget *widget,
                GVariant  *args,
                gpointer   user_data)
{
  previous_match_cb (CM_SEARCH_BAR (user_data));
  return TRUE;
}

static void
search_mode_notify_cb (CmSearchBar *self)
{
  if (!gtk_search_bar_get_search_mode (self->search_bar))
    {
      /* Closing the bar ends the search: every event shows again. */
      gtk_editable_set_text (GTK_EDITABLE (self->entry), "");
      apply_search (self);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEARCH_MODE_ENABLED]);
}

static void
filter_changed_cb (CmSession   *session,
                   CmSearchBar *self)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->entry))));

  /* The search was cleared elsewhere ("Clear All"). */
  if (text[0] != '\0' && cm_session_get_filter (session) &&
      cm_filter_get_search (cm_session_get_filter (session)) == NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->entry), "");

  update_matches (self);
}

static void
dataset_notify_cb (CmSession   *session,
                   GParamSpec  *pspec,
                   CmSearchBar *self)
{
  /* A reloaded file keeps the search the user typed. */
  apply_search (self);
}

static void
cm_search_bar_dispose (GObject *object)
{
  CmSearchBar *self = CM_SEARCH_BAR (object);

  cm_search_bar_set_session (self, NULL);
  if (self->search_bar)
    {
      gtk_widget_unparent (GTK_WIDGET (self->search_bar));
      self->search_bar = NULL;
    }

  G_OBJECT_CLASS (cm_search_bar_parent_class)->dispose (object);
}

static void
cm_search_bar_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  CmSearchBar *self = CM_SEARCH_BAR (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;

    case PROP_SEARCH_MODE_ENABLED:
      g_value_set_boolean (value, cm_search_bar_get_search_mode_enabled (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cm_search_bar_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  CmSearchBar *self = CM_SEARCH_BAR (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      cm_search_bar_set_session (self, g_value_get_object (value));
      break;

    case PROP_SEARCH_MODE_ENABLED:
      cm_search_bar_set_search_mode_enabled (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cm_search_bar_class_init (CmSearchBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cm_search_bar_dispose;
  object_class->get_property = cm_search_bar_get_property;
  object_class->set_property = cm_search_bar_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL,
                         CM_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_SEARCH_MODE_ENABLED] =
    g_param_spec_boolean ("search-mode-enabled", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "cm-search-bar");
}

static GtkWidget *
new_match_button (const char *icon_name,
                  const char *tooltip)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon_name);

  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_widget_set_sensitive (button, FALSE);

  return button;
}

static void
cm_search_bar_init (CmSearchBar *self)
{
  GtkWidget *box, *buttons;
  GtkEventController *shortcuts;

  self->search_bar = GTK_SEARCH_BAR (gtk_search_bar_new ());
  gtk_search_bar_set_show_close_button (self->search_bar, TRUE);
  gtk_widget_set_parent (GTK_WIDGET (self->search_bar), GTK_WIDGET (self));

  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  self->entry = GTK_SEARCH_ENTRY (gtk_search_entry_new ());
  /* The bar may sit over a narrow side panel: the entry takes what room
   * there is. */
  g_object_set (self->entry,
                "placeholder-text", _("Search events, actors, places"),
                "width-chars", 12,
                NULL);
  gtk_widget_set_hexpand (GTK_WIDGET (self->entry), TRUE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->entry));

  self->matches_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_add_css_class (GTK_WIDGET (self->matches_label), "dim-label");
  gtk_widget_add_css_class (GTK_WIDGET (self->matches_label), "numeric");
  gtk_widget_set_visible (GTK_WIDGET (self->matches_label), FALSE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->matches_label));

  buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  gtk_widget_add_css_class (buttons, "linked");
  self->previous_button = new_match_button ("go-up-symbolic",
                                            _("Previous Match (Shift+Enter)"));
  self->next_button = new_match_button ("go-down-symbolic", _("Next Match (Enter)"));
  gtk_box_append (GTK_BOX (buttons), self->previous_button);
  gtk_box_append (GTK_BOX (buttons), self->next_button);
  gtk_box_append (GTK_BOX (box), buttons);

  gtk_search_bar_set_child (self->search_bar, box);
  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->entry));

  g_signal_connect_swapped (self->entry, "search-changed", G_CALLBACK (search_changed_cb), self);
  g_signal_connect_swapped (self->entry, "activate", G_CALLBACK (entry_activate_cb), self);
  g_signal_connect_swapped (self->entry, "next-match", G_CALLBACK (next_match_cb), self);
  g_signal_connect_swapped (self->entry, "previous-match", G_CALLBACK (previous_match_cb), self);
  g_signal_connect_swapped (self->next_button, "clicked", G_CALLBACK (next_match_cb), self);
  g_signal_connect_swapped (self->previous_button, "clicked",
                            G_CALLBACK (previous_match_cb), self);
  g_signal_connect_swapped (self->search_bar, "notify::search-mode-enabled",
                            G_CALLBACK (search_mode_notify_cb), self);

  /* Enter is the entry's own "activate"; Shift+Enter goes back. */
  shortcuts = gtk_shortcut_controller_new ();
  gtk_event_controller_set_propagation_phase (shortcuts, GTK_PHASE_CAPTURE);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
    gtk_shortcut_new (gtk_alternative_trigger_new (
                        gtk_keyval_trigger_new (GDK_KEY_Return, GDK_SHIFT_MASK),
                        gtk_keyval_trigger_new (GDK_KEY_KP_Enter, GDK_SHIFT_MASK)),
                      gtk_callback_action_new (shift_enter_cb, self, NULL)));
  gtk_widget_add_controller (GTK_WIDGET (self->entry), shortcuts);
}

GtkWidget *
cm_search_bar_new (CmSession *session)
{
  g_return_val_if_fail (!session || CM_IS_SESSION (session), NULL);

  return g_object_new (CM_TYPE_SEARCH_BAR, "session", session, NULL);
}

CmSession *
cm_search_bar_get_session (CmSearchBar *self)
{
  g_return_val_if_fail (CM_IS_SEARCH_BAR (self), NULL);

  return self->session;
}

void
cm_search_bar_set_session (CmSearchBar *self,
                           CmSession   *session)
{
  g_return_if_fail (CM_IS_SEARCH_BAR (self));
  g_return_if_fail (!session || CM_IS_SESSION (session));

  if (self->session == session)
    return;

  if (self->session)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_set_object (&self->session, session);
  if (session)
    {
      g_signal_connect_object (session, "filter-changed", G_CALLBACK (filter_changed_cb), self, 0);
      g_signal_connect_object (session, "notify::dataset", G_CALLBACK (dataset_notify_cb), self, 0);
      apply_search (self);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

gboolean
cm_search_bar_get_search_mode_enabled (CmSearchBar *self)
{
  g_return_val_if_fail (CM_IS_SEARCH_BAR (self), FALSE);

  return gtk_search_bar_get_search_mode (self->search_bar);
}

void
cm_search_bar_set_search_mode_enabled (CmSearchBar *self,
                                       gboolean     enabled)
{
  g_return_if_fail (CM_IS_SEARCH_BAR (self));

  /* The search bar's notify is forwarded as ours. */
  gtk_search_bar_set_search_mode (self->search_bar, enabled);
  if (enabled)
    gtk_widget_grab_focus (GTK_WIDGET (self->entry));
}

void
cm_search_bar_set_key_capture_widget (CmSearchBar *self,
                                      GtkWidget   *widget)
{
  g_return_if_fail (CM_IS_SEARCH_BAR (self));
  g_return_if_fail (!widget || GTK_IS_WIDGET (widget));

  gtk_search_bar_set_key_capture_widget (self->search_bar, widget);
}

GtkSearchEntry *
cm_search_bar_get_entry (CmSearchBar *self)
{
  g_return_val_if_fail (CM_IS_SEARCH_BAR (self), NULL);

  return self->entry;
}
