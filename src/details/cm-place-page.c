/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-details"

#include "config.h"

#include <glib/gi18n.h>

#include "cm-color-swatch.h"
#include "cm-details-private.h"
#include "cm-place-page.h"
#include "cm-palette.h"

struct _CmPlacePage
{
  GtkWidget          parent_instance;

  CmSession         *session;
  guint              place;

  GtkScrolledWindow *scroller;
  GtkLabel          *name_label;
  GtkLabel          *country_label;
  GtkLabel          *coordinates_label;
  GtkWidget         *events_section;
  GtkLabel          *events_heading;
  GtkListBox        *events_list;
  GtkWidget         *actors_section;
  GtkLabel          *actors_heading;
  GtkListBox        *actors_list;
};

G_DEFINE_FINAL_TYPE (CmPlacePage, cm_place_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_PLACE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_heading (GtkLabel   *label,
             const char *format,
             guint       n)
{
  g_autofree char *text = g_strdup_printf (format, n);

  gtk_label_set_text (label, text);
}

static void
fill (CmPlacePage *self)
{
  CmDataset *dataset = cm_session_get_dataset (self->session);
  const CmPlace *place = cm_dataset_get_place (dataset, self->place);
  g_autofree char *coordinates = _cm_details_format_coordinates (place->lat, place->lon);
  CmDetailsScan scan;
  guint n, n_actors = 0;

  gtk_label_set_text (self->name_label, place->name);
  gtk_label_set_text (self->country_label, place->country ? place->country : "");
  gtk_widget_set_visible (GTK_WIDGET (self->country_label), place->country != NULL);
  gtk_label_set_text (self->coordinates_label, coordinates);

  _cm_details_scan (dataset, CM_SELECTION_PLACE, self->place, &scan);

  /* Translators: heading of an actor's or a place's list of events */
  set_heading (self->events_heading,
               g_dngettext (GETTEXT_PACKAGE, "%u Event", "%u Events", scan.n_events),
               scan.n_events);
  _cm_details_fill_events (self->events_list, self->session, &scan);
  _cm_details_show_section (self->events_section, scan.n_events);

  for (guint i = 0; i < cm_dataset_get_n_actors (dataset); i++)
    n_actors += scan.actor_counts[i] > 0;
  /* Translators: heading of the list of actors who were at a place */
  set_heading (self->actors_heading,
               g_dngettext (GETTEXT_PACKAGE, "%u Actor", "%u Actors", n_actors),
               n_actors);
  n = _cm_details_fill_ranked (self->actors_list, self->session, CM_SELECTION_ACTOR,
                               scan.actor_counts, CM_NONE, CM_DETAILS_MAX_ROWS);
  _cm_details_show_section (self->actors_section, n);

  _cm_details_scan_clear (&scan);
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scroller), 0);
}

static void
cm_place_page_dispose (GObject *object)
{
  CmPlacePage *self = CM_PLACE_PAGE (object);
  GtkWidget *child;

  g_clear_object (&self->session);
  gtk_widget_dispose_template (GTK_WIDGET (self), CM_TYPE_PLACE_PAGE);
  /* Template children without an id are not unparented for us. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (cm_place_page_parent_class)->dispose (object);
}

static void
cm_place_page_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  CmPlacePage *self = CM_PLACE_PAGE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;

    case PROP_PLACE:
      g_value_set_uint (value, self->place);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cm_place_page_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  CmPlacePage *self = CM_PLACE_PAGE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      cm_place_page_set_session (self, g_value_get_object (value));
      break;

    case PROP_PLACE:
      cm_place_page_set_place (self, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cm_place_page_class_init (CmPlacePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cm_place_page_dispose;
  object_class->get_property = cm_place_page_get_property;
  object_class->set_property = cm_place_page_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL,
                         CM_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_PLACE] =
    g_param_spec_uint ("place", NULL, NULL,
                       0, G_MAXUINT32, CM_NONE,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (CM_TYPE_COLOR_SWATCH);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/cm-place-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CmPlacePage, scroller);
  gtk_widget_class_bind_template_child (widget_class, CmPlacePage, name_label);
  gtk_widget_class_bind_template_child (widget_class, CmPlacePage, country_label);
  gtk_widget_class_bind_template_child (widget_class, CmPlacePage, coordinates_label);
  gtk_widget_class_bind_template_child (widget_class, CmPlacePage, events_section);
  gtk_widget_class_bind_template_child (widget_class, CmPlacePage, events_heading);
  gtk_widget_class_bind_template_child (widget_class, CmPlacePage, events_list);
  gtk_widget_class_bind_template_child (widget_class, CmPlacePage, actors_section);
  gtk_widget_class_bind_template_child (widget_class, CmPlacePage, actors_heading);
  gtk_widget_class_bind_template_child (widget_class, CmPlacePage, actors_list);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "cm-place-page");
}

static void
cm_place_page_init (CmPlacePage *self)
{
  self->place = CM_NONE;
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
cm_place_page_new (void)
{
  return g_object_new (CM_TYPE_PLACE_PAGE, NULL);
}

CmSession *
cm_place_page_get_session (CmPlacePage *self)
{
  g_return_val_if_fail (CM_IS_PLACE_PAGE (self), NULL);

  return self->session;
}

void
cm_place_page_set_session (CmPlacePage *self,
                          CmSession  *session)
{
  g_return_if_fail (CM_IS_PLACE_PAGE (self));
  g_return_if_fail (!session || CM_IS_SESSION (session));

  if (!g_set_object (&self->session, session))
    return;

  self->place = CM_NONE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

guint
cm_place_page_get_place (CmPlacePage *self)
{
  g_return_val_if_fail (CM_IS_PLACE_PAGE (self), CM_NONE);

  return self->place;
}

void
cm_place_page_set_place (CmPlacePage *self,
                        guint       place)
{
  CmDataset *dataset;

  g_return_if_fail (CM_IS_PLACE_PAGE (self));

  dataset = self->session ? cm_session_get_dataset (self->session) : NULL;
  if (dataset == NULL || place >= cm_dataset_get_n_places (dataset))
    place = CM_NONE;

  if (self->place == place)
    return;

  self->place = place;
  if (place != CM_NONE)
    fill (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLACE]);
}
