/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-place-marker"

#include "config.h"

#include "cm-place-marker.h"

struct _CmPlaceMarker
{
  GtkWidget  parent_instance;

  guint32    place;
  char      *label;
};

G_DEFINE_FINAL_TYPE (CmPlaceMarker, cm_place_marker, GTK_TYPE_WIDGET)

enum {
  SIGNAL_ACTIVATE,
  SIGNAL_MOVE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gboolean
key_pressed_cb (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                CmPlaceMarker         *self)
{
  if (state & (GDK_CONTROL_MASK | GDK_ALT_MASK))
    return FALSE;

  switch (keyval)
    {
    case GDK_KEY_Return:
    case GDK_KEY_KP_Enter:
    case GDK_KEY_ISO_Enter:
    case GDK_KEY_space:
    case GDK_KEY_KP_Space:
      g_signal_emit (self, signals[SIGNAL_ACTIVATE], 0);
      return TRUE;

    case GDK_KEY_Left:
    case GDK_KEY_KP_Left:
      g_signal_emit (self, signals[SIGNAL_MOVE], 0, GTK_DIR_LEFT);
      return TRUE;

    case GDK_KEY_Right:
    case GDK_KEY_KP_Right:
      g_signal_emit (self, signals[SIGNAL_MOVE], 0, GTK_DIR_RIGHT);
      return TRUE;

    case GDK_KEY_Up:
    case GDK_KEY_KP_Up:
      g_signal_emit (self, signals[SIGNAL_MOVE], 0, GTK_DIR_UP);
      return TRUE;

    case GDK_KEY_Down:
    case GDK_KEY_KP_Down:
      g_signal_emit (self, signals[SIGNAL_MOVE], 0, GTK_DIR_DOWN);
      return TRUE;

    default:
      return FALSE;
    }
}

/* The layer draws the focus ring. */
static void
focus_changed_cb (CmPlaceMarker *self)
{
  GtkWidget *parent = gtk_widget_get_parent (GTK_WIDGET (self));

  if (parent != NULL)
    gtk_widget_queue_draw (parent);
}

static void
cm_place_marker_finalize (GObject *object)
{
  CmPlaceMarker *self = CM_PLACE_MARKER (object);

  g_clear_pointer (&self->label, g_free);

  G_OBJECT_CLASS (cm_place_marker_parent_class)->finalize (object);
}

static void
cm_place_marker_class_init (CmPlaceMarkerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = cm_place_marker_finalize;

  /* Enter on it selects the place (or opens the cluster): a button. */
  signals[SIGNAL_ACTIVATE] = g_signal_new ("activate", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                           G_TYPE_NONE, 0);
  /* An arrow key: the nearest marker that way should take the focus. */
  signals[SIGNAL_MOVE] = g_signal_new ("move", G_TYPE_FROM_CLASS (klass),
                                       G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                       G_TYPE_NONE, 1, GTK_TYPE_DIRECTION_TYPE);
  gtk_widget_class_set_activate_signal (widget_class, signals[SIGNAL_ACTIVATE]);

  gtk_widget_class_set_css_name (widget_class, "cm-place-marker");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_BUTTON);
}

static void
cm_place_marker_init (CmPlaceMarker *self)
{
  GtkEventController *keys = gtk_event_controller_key_new ();
  GtkEventController *focus = gtk_event_controller_focus_new ();

  self->place = G_MAXUINT32;
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  /* Pointer events go to the layer below, which hit-tests markers. */
  gtk_widget_set_can_target (GTK_WIDGET (self), FALSE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
  g_signal_connect_swapped (focus, "enter", G_CALLBACK (focus_changed_cb), self);
  g_signal_connect_swapped (focus, "leave", G_CALLBACK (focus_changed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), focus);
}

GtkWidget *
cm_place_marker_new (void)
{
  return g_object_new (CM_TYPE_PLACE_MARKER, NULL);
}

guint32
cm_place_marker_get_place (CmPlaceMarker *self)
{
  g_return_val_if_fail (CM_IS_PLACE_MARKER (self), G_MAXUINT32);

  return self->place;
}

void
cm_place_marker_set_place (CmPlaceMarker *self,
                           guint32        place)
{
  g_return_if_fail (CM_IS_PLACE_MARKER (self));

  self->place = place;
}

void
cm_place_marker_set_label (CmPlaceMarker *self,
                           const char    *label)
{
  g_return_if_fail (CM_IS_PLACE_MARKER (self));

  if (g_strcmp0 (label, self->label) == 0)
    return;
  g_free (self->label);
  self->label = g_strdup (label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  label != NULL ? label : "", -1);
}

const char *
cm_place_marker_get_label (CmPlaceMarker *self)
{
  g_return_val_if_fail (CM_IS_PLACE_MARKER (self), NULL);

  return self->label;
}
