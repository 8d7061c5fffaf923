/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-details"

#include "config.h"

#include <glib/gi18n.h>

#include "cm-color-swatch.h"
#include "cm-details-private.h"
#include "cm-actor-page.h"
#include "cm-palette.h"

struct _CmActorPage
{
  GtkWidget          parent_instance;

  CmSession         *session;
  guint              actor;

  GtkScrolledWindow *scroller;
  GtkLabel          *name_label;
  GtkLabel          *role_label;
  GtkLabel          *kind_label;
  CmColorSwatch     *group_swatch;
  GtkLabel          *group_label;
  GtkLabel          *description_label;
  GtkWidget         *links_section;
  GtkListBox        *links_list;
  GtkWidget         *events_section;
  GtkLabel          *events_heading;
  GtkListBox        *events_list;
  GtkWidget         *places_section;
  GtkLabel          *places_heading;
  GtkListBox        *places_list;
  GtkWidget         *partners_section;
  GtkListBox        *partners_list;
};

G_DEFINE_FINAL_TYPE (CmActorPage, cm_actor_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_ACTOR,
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
fill (CmActorPage *self)
{
  CmDataset *dataset = cm_session_get_dataset (self->session);
  const CmActor *actor = cm_dataset_get_actor (dataset, self->actor);
  const CmLink *links;
  CmDetailsScan scan;
  guint n, n_places = 0;

  gtk_label_set_text (self->name_label, actor->name);
  gtk_label_set_text (self->role_label, actor->role ? actor->role : "");
  gtk_widget_set_visible (GTK_WIDGET (self->role_label), actor->role != NULL);
  gtk_label_set_text (self->kind_label, _cm_details_actor_kind_name (actor->kind));
  cm_color_swatch_set_color (self->group_swatch,
                             cm_palette_get_group_color (dataset, actor->group));
  gtk_widget_set_visible (GTK_WIDGET (self->group_swatch), actor->group != CM_NONE);
  cm_color_swatch_set_label (self->group_swatch, actor->group != CM_NONE
                                                 ? cm_dataset_get_group (dataset, actor->group)->name
                                                 : NULL);
  gtk_label_set_text (self->group_label,
                      actor->group != CM_NONE ? cm_dataset_get_group (dataset, actor->group)->name
                                              : "");
  gtk_label_set_text (self->description_label, actor->description ? actor->description : "");
  gtk_widget_set_visible (GTK_WIDGET (self->description_label), actor->description != NULL);

  _cm_details_clear_list (self->links_list);
  links = cm_dataset_get_actor_links (dataset, actor, &n);
  for (guint i = 0; i < n; i++)
    _cm_details_add_link_row (self->links_list, &links[i]);
  _cm_details_show_section (self->links_section, n);

  _cm_details_scan (dataset, CM_SELECTION_ACTOR, self->actor, &scan);

  /* Translators: heading of an actor's or a place's list of events */
  set_heading (self->events_heading,
               g_dngettext (GETTEXT_PACKAGE, "%u Event", "%u Events", scan.n_events),
               scan.n_events);
  _cm_details_fill_events (self->events_list, self->session, &scan);
  _cm_details_show_section (self->events_section, scan.n_events);

  for (guint i = 0; i < cm_dataset_get_n_places (dataset); i++)
    n_places += scan.place_counts[i] > 0;
  /* Translators: heading of the list of places an actor was at */
  set_heading (self->places_heading,
               g_dngettext (GETTEXT_PACKAGE, "%u Place", "%u Places", n_places),
               n_places);
  n = _cm_details_fill_ranked (self->places_list, self->session, CM_SELECTION_PLACE,
                               scan.place_counts, CM_NONE, CM_DETAILS_MAX_ROWS);
  _cm_details_show_section (self->places_section, n);

  n = _cm_details_fill_ranked (self->partners_list, self->session, CM_SELECTION_ACTOR,
                               scan.actor_counts, self->actor, CM_ACTOR_PAGE_MAX_PARTNERS);
  _cm_details_show_section (self->partners_section, n);

  _cm_details_scan_clear (&scan);
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scroller), 0);
}

static void
cm_actor_page_dispose (GObject *object)
{
  CmActorPage *self = CM_ACTOR_PAGE (object);
  GtkWidget *child;

  g_clear_object (&self->session);
  gtk_widget_dispose_template (GTK_WIDGET (self), CM_TYPE_ACTOR_PAGE);
  /* Template children without an id are not unparented for us. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (cm_actor_page_parent_class)->dispose (object);
}

static void
cm_actor_page_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  CmActorPage *self = CM_ACTOR_PAGE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;

    case PROP_ACTOR:
      g_value_set_uint (value, self->actor);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cm_actor_page_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  CmActorPage *self = CM_ACTOR_PAGE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      cm_actor_page_set_session (self, g_value_get_object (value));
      break;

    case PROP_ACTOR:
      cm_actor_page_set_actor (self, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cm_actor_page_class_init (CmActorPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cm_actor_page_dispose;
  object_class->get_property = cm_actor_page_get_property;
  object_class->set_property = cm_actor_page_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL,
                         CM_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_ACTOR] =
    g_param_spec_uint ("actor", NULL, NULL,
                       0, G_MAXUINT32, CM_NONE,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (CM_TYPE_COLOR_SWATCH);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/cm-actor-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CmActorPage, scroller);
  gtk_widget_class_bind_template_child (widget_class, CmActorPage, name_label);
  gtk_widget_class_bind_template_child (widget_class, CmActorPage, role_label);
  gtk_widget_class_bind_template_child (widget_class, CmActorPage, kind_label);
  gtk_widget_class_bind_template_child (widget_class, CmActorPage, group_swatch);
  gtk_widget_class_bind_template_child (widget_class, CmActorPage, group_label);
  gtk_widget_class_bind_template_child (widget_class, CmActorPage, description_label);
  gtk_widget_class_bind_template_child (widget_class, CmActorPage, links_section);
  gtk_widget_class_bind_template_child (widget_class, CmActorPage, links_list);
  gtk_widget_class_bind_template_child (widget_class, CmActorPage, events_section);
  gtk_widget_class_bind_template_child (widget_class, CmActorPage, events_heading);
  gtk_widget_class_bind_template_child (widget_class, CmActorPage, events_list);
  gtk_widget_class_bind_template_child (widget_class, CmActorPage, places_section);
  gtk_widget_class_bind_template_child (widget_class, CmActorPage, places_heading);
  gtk_widget_class_bind_template_child (widget_class, CmActorPage, places_list);
  gtk_widget_class_bind_template_child (widget_class, CmActorPage, partners_section);
  gtk_widget_class_bind_template_child (widget_class, CmActorPage, partners_list);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "cm-actor-page");
}

static void
cm_actor_page_init (CmActorPage *self)
{
  self->actor = CM_NONE;
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
cm_actor_page_new (void)
{
  return g_object_new (CM_TYPE_ACTOR_PAGE, NULL);
}

CmSession *
cm_actor_page_get_session (CmActorPage *self)
{
  g_return_val_if_fail (CM_IS_ACTOR_PAGE (self), NULL);

  return self->session;
}

void
cm_actor_page_set_session (CmActorPage *self,
                          CmSession  *session)
{
  g_return_if_fail (CM_IS_ACTOR_PAGE (self));
  g_return_if_fail (!session || CM_IS_SESSION (session));

  if (!g_set_object (&self->session, session))
    return;

  self->actor = CM_NONE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

guint
cm_actor_page_get_actor (CmActorPage *self)
{
  g_return_val_if_fail (CM_IS_ACTOR_PAGE (self), CM_NONE);

  return self->actor;
}

void
cm_actor_page_set_actor (CmActorPage *self,
                        guint       actor)
{
  CmDataset *dataset;

  g_return_if_fail (CM_IS_ACTOR_PAGE (self));

  dataset = self->session ? cm_session_get_dataset (self->session) : NULL;
  if (dataset == NULL || actor >= cm_dataset_get_n_actors (dataset))
    actor = CM_NONE;

  if (self->actor == actor)
    return;

  self->actor = actor;
  if (actor != CM_NONE)
    fill (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTOR]);
}
