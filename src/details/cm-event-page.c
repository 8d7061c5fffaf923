/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-details"

#include "config.h"

#include <glib/gi18n.h>

#include "cm-details-private.h"
#include "cm-event-page.h"
#include "cm-palette.h"

struct _CmEventPage
{
  GtkWidget          parent_instance;

  CmSession         *session;
  guint              event;
  guint              previous;
  guint              next;

  GtkScrolledWindow *scroller;
  GtkLabel          *title_label;
  GtkLabel          *date_label;
  GtkFlowBox        *tags_box;
  GtkLabel          *summary_label;
  GtkWidget         *places_section;
  GtkListBox        *places_list;
  GtkWidget         *actors_section;
  GtkListBox        *actors_list;
  GtkWidget         *quotes_section;
  GtkBox            *quotes_box;
  GtkWidget         *sources_section;
  GtkListBox        *sources_list;
  GtkWidget         *properties_section;
  GtkListBox        *properties_list;
  GtkWidget         *previous_button;
  GtkWidget         *next_button;
};

G_DEFINE_FINAL_TYPE (CmEventPage, cm_event_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_EVENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The nearest event before (@step -1) or after (+1) @event in time order
 * that the filter shows, or CM_NONE. */
static guint
find_neighbour (CmSession *session,
                guint      event,
                int        step)
{
  CmDataset *dataset = cm_session_get_dataset (session);
  const guint32 *order = cm_dataset_get_time_order (dataset);
  gint64 n = cm_dataset_get_n_events (dataset);

  for (gint64 rank = (gint64) cm_dataset_get_time_rank (dataset, event) + step;
       rank >= 0 && rank < n;
       rank += step)
    if (cm_session_is_event_visible (session, order[rank]))
      return order[rank];

  return CM_NONE;
}

static void
set_neighbour_button (CmEventPage *self,
                      GtkWidget   *button,
                      guint        event)
{
  CmDataset *dataset = self->session ? cm_session_get_dataset (self->session) : NULL;

  gtk_widget_set_sensitive (button, event != CM_NONE);
  gtk_widget_set_tooltip_text (button,
                               event != CM_NONE ? cm_dataset_get_event (dataset, event)->title
                                                : NULL);
}

static void
update_neighbours (CmEventPage *self)
{
  self->previous = self->next = CM_NONE;

  if (self->session && cm_session_get_dataset (self->session) && self->event != CM_NONE)
    {
      self->previous = find_neighbour (self->session, self->event, -1);
      self->next = find_neighbour (self->session, self->event, +1);
    }

  set_neighbour_button (self, self->previous_button, self->previous);
  set_neighbour_button (self, self->next_button, self->next);
}

static void
tag_clicked_cb (GtkButton   *button,
                CmEventPage *self)
{
  guint tag = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "cm-tag"));

  if (self->session && cm_session_get_filter (self->session))
    cm_session_set_filter_value (self->session, CM_FACET_TAG, tag, TRUE);
}

static void
fill_tags (CmEventPage   *self,
           CmDataset     *dataset,
           const CmEvent *event)
{
  const guint32 *tags;
  GtkWidget *child;
  guint n;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->tags_box))) != NULL)
    gtk_flow_box_remove (self->tags_box, child);

  tags = cm_dataset_get_event_tags (dataset, event, &n);
  for (guint i = 0; i < n; i++)
    {
      const char *name = cm_dataset_get_tag (dataset, tags[i]);
      GtkWidget *button = gtk_button_new_with_label (name);
      g_autofree char *tooltip = NULL;

      gtk_label_set_use_markup (GTK_LABEL (gtk_button_get_child (GTK_BUTTON (button))), FALSE);
      /* Translators: tooltip of a tag on an event page */
      tooltip = g_strdup_printf (_("Show only events tagged “%s”"), name);
      gtk_widget_set_tooltip_text (button, tooltip);
      gtk_widget_add_css_class (button, "cm-tag");
      gtk_widget_add_css_class (button, "circular");
      gtk_widget_add_css_class (button, "caption");
      g_object_set_data (G_OBJECT (button), "cm-tag", GUINT_TO_POINTER (tags[i]));
      g_signal_connect_object (button, "clicked", G_CALLBACK (tag_clicked_cb), self, 0);
      gtk_flow_box_append (self->tags_box, button);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->tags_box), n > 0);
}

static void
fill_quotes (CmEventPage   *self,
             CmDataset     *dataset,
             const CmEvent *event)
{
  g_autofree CmQuote *quotes = NULL;
  GtkWidget *child;
  guint n;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->quotes_box))) != NULL)
    gtk_box_remove (self->quotes_box, child);

  quotes = cm_dataset_dup_event_quotes (dataset, event, &n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PangoAttrList) attrs = pango_attr_list_new ();
      g_autofree char *quoted = NULL;
      GtkWidget *card, *text, *who;

      card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
      gtk_widget_add_css_class (card, "card");
      gtk_widget_add_css_class (card, "cm-quote");

      /* Translators: a quotation, as in “We agreed to …” */
      quoted = g_strdup_printf (_("“%s”"), quotes[i].text);
      text = gtk_label_new (quoted);
      pango_attr_list_insert (attrs, pango_attr_style_new (PANGO_STYLE_ITALIC));
      gtk_label_set_attributes (GTK_LABEL (text), attrs);
      gtk_label_set_wrap (GTK_LABEL (text), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (text), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_xalign (GTK_LABEL (text), 0);
      gtk_label_set_selectable (GTK_LABEL (text), TRUE);
      gtk_widget_set_margin_top (text, 12);
      gtk_widget_set_margin_start (text, 12);
      gtk_widget_set_margin_end (text, 12);
      gtk_box_append (GTK_BOX (card), text);

      if (quotes[i].actor != CM_NONE)
        {
          const CmActor *actor = cm_dataset_get_actor (dataset, quotes[i].actor);

          who = _cm_details_selection_button (self->session, CM_SELECTION_ACTOR,
                                              quotes[i].actor, actor->name);
        }
      else
        {
          who = gtk_label_new (_("Unknown speaker"));
          gtk_widget_add_css_class (who, "dim-label");
          gtk_widget_set_halign (who, GTK_ALIGN_START);
        }
      gtk_widget_set_margin_start (who, 6);
      gtk_widget_set_margin_bottom (who, 6);
      gtk_box_append (GTK_BOX (card), who);

      gtk_box_append (self->quotes_box, card);
    }
  _cm_details_show_section (self->quotes_section, n);
}

/* Keys and values carried over from an imported file (a GeoJSON
 * feature's properties, a slide's date as written): plain text, the key
 * beside its value, both selectable for copying. */
static void
fill_properties (CmEventPage   *self,
                 CmDataset     *dataset,
                 const CmEvent *event)
{
  const CmProperty *items;
  guint n;

  items = cm_dataset_get_event_properties (dataset, event, &n);
  _cm_details_clear_list (self->properties_list);
  for (guint i = 0; i < n; i++)
    {
      GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
      GtkWidget *key = gtk_label_new (items[i].key);
      GtkWidget *value = gtk_label_new (items[i].value);

      gtk_label_set_xalign (GTK_LABEL (key), 0);
      gtk_label_set_yalign (GTK_LABEL (key), 0);
      gtk_label_set_wrap (GTK_LABEL (key), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (key), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_width_chars (GTK_LABEL (key), 8);
      gtk_label_set_max_width_chars (GTK_LABEL (key), 14);
      gtk_widget_add_css_class (key, "dim-label");
      gtk_label_set_xalign (GTK_LABEL (value), 0);
      gtk_label_set_wrap (GTK_LABEL (value), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (value), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_selectable (GTK_LABEL (value), TRUE);
      gtk_widget_set_hexpand (value, TRUE);
      gtk_widget_set_margin_top (row, 8);
      gtk_widget_set_margin_bottom (row, 8);
      gtk_widget_set_margin_start (row, 12);
      gtk_widget_set_margin_end (row, 12);
      gtk_box_append (GTK_BOX (row), key);
      gtk_box_append (GTK_BOX (row), value);
      gtk_list_box_append (self->properties_list, row);
      gtk_list_box_row_set_activatable (
        GTK_LIST_BOX_ROW (gtk_widget_get_parent (row)), FALSE);
    }
  _cm_details_show_section (self->properties_section, n);
}

static void
fill (CmEventPage *self)
{
  CmDataset *dataset = cm_session_get_dataset (self->session);
  const CmEvent *event = cm_dataset_get_event (dataset, self->event);
  g_autofree char *date = _cm_details_format_event_date (event);
  g_autofree char *summary = cm_dataset_dup_event_summary (dataset, event);
  const guint32 *refs;
  g_autofree CmLink *sources = NULL;
  guint n;

  gtk_label_set_text (self->title_label, event->title);
  gtk_label_set_text (self->date_label, date);
  gtk_label_set_text (self->summary_label, summary ? summary : "");
  gtk_widget_set_visible (GTK_WIDGET (self->summary_label), summary != NULL && summary[0] != '\0');
  fill_tags (self, dataset, event);

  _cm_details_clear_list (self->places_list);
  refs = cm_dataset_get_event_places (dataset, event, &n);
  for (guint i = 0; i < n; i++)
    {
      const CmPlace *place = cm_dataset_get_place (dataset, refs[i]);

      _cm_details_add_selection_row (self->places_list, self->session, CM_SELECTION_PLACE,
                                     refs[i], place->name, place->country, -1);
    }
  _cm_details_show_section (self->places_section, n);

  _cm_details_clear_list (self->actors_list);
  refs = cm_dataset_get_event_actors (dataset, event, &n);
  for (guint i = 0; i < n; i++)
    {
      const CmActor *actor = cm_dataset_get_actor (dataset, refs[i]);

      _cm_details_add_selection_row (self->actors_list, self->session, CM_SELECTION_ACTOR,
                                     refs[i], actor->name, actor->role,
                                     cm_palette_get_group_color (dataset, actor->group));
    }
  _cm_details_show_section (self->actors_section, n);

  fill_quotes (self, dataset, event);

  _cm_details_clear_list (self->sources_list);
  sources = cm_dataset_dup_event_sources (dataset, event, &n);
  for (guint i = 0; i < n; i++)
    _cm_details_add_link_row (self->sources_list, &sources[i]);
  _cm_details_show_section (self->sources_section, n);

  fill_properties (self, dataset, event);

  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scroller), 0);
}

static void
filter_changed_cb (CmSession   *session,
                   CmEventPage *self)
{
  update_neighbours (self);
}

static void
previous_clicked_cb (CmEventPage *self)
{
  if (self->previous != CM_NONE)
    cm_session_select (self->session, CM_SELECTION_EVENT, self->previous);
}

static void
next_clicked_cb (CmEventPage *self)
{
  if (self->next != CM_NONE)
    cm_session_select (self->session, CM_SELECTION_EVENT, self->next);
}

static void
cm_event_page_dispose (GObject *object)
{
  CmEventPage *self = CM_EVENT_PAGE (object);
  GtkWidget *child;

  cm_event_page_set_session (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), CM_TYPE_EVENT_PAGE);
  /* Template children without an id are not unparented for us. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (cm_event_page_parent_class)->dispose (object);
}

static void
cm_event_page_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  CmEventPage *self = CM_EVENT_PAGE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;

    case PROP_EVENT:
      g_value_set_uint (value, self->event);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cm_event_page_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  CmEventPage *self = CM_EVENT_PAGE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      cm_event_page_set_session (self, g_value_get_object (value));
      break;

    case PROP_EVENT:
      cm_event_page_set_event (self, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cm_event_page_class_init (CmEventPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cm_event_page_dispose;
  object_class->get_property = cm_event_page_get_property;
  object_class->set_property = cm_event_page_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL,
                         CM_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_EVENT] =
    g_param_spec_uint ("event", NULL, NULL,
                       0, G_MAXUINT32, CM_NONE,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/cm-event-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CmEventPage, scroller);
  gtk_widget_class_bind_template_child (widget_class, CmEventPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, CmEventPage, date_label);
  gtk_widget_class_bind_template_child (widget_class, CmEventPage, tags_box);
  gtk_widget_class_bind_template_child (widget_class, CmEventPage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, CmEventPage, places_section);
  gtk_widget_class_bind_template_child (widget_class, CmEventPage, places_list);
  gtk_widget_class_bind_template_child (widget_class, CmEventPage, actors_section);
  gtk_widget_class_bind_template_child (widget_class, CmEventPage, actors_list);
  gtk_widget_class_bind_template_child (widget_class, CmEventPage, quotes_section);
  gtk_widget_class_bind_template_child (widget_class, CmEventPage, quotes_box);
  gtk_widget_class_bind_template_child (widget_class, CmEventPage, sources_section);
  gtk_widget_class_bind_template_child (widget_class, CmEventPage, sources_list);
  gtk_widget_class_bind_template_child (widget_class, CmEventPage, properties_section);
  gtk_widget_class_bind_template_child (widget_class, CmEventPage, properties_list);
  gtk_widget_class_bind_template_child (widget_class, CmEventPage, previous_button);
  gtk_widget_class_bind_template_child (widget_class, CmEventPage, next_button);
  gtk_widget_class_bind_template_callback (widget_class, previous_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, next_clicked_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "cm-event-page");
}

static void
cm_event_page_init (CmEventPage *self)
{
  self->event = self->previous = self->next = CM_NONE;
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
cm_event_page_new (void)
{
  return g_object_new (CM_TYPE_EVENT_PAGE, NULL);
}

CmSession *
cm_event_page_get_session (CmEventPage *self)
{
  g_return_val_if_fail (CM_IS_EVENT_PAGE (self), NULL);

  return self->session;
}

void
cm_event_page_set_session (CmEventPage *self,
                           CmSession   *session)
{
  g_return_if_fail (CM_IS_EVENT_PAGE (self));
  g_return_if_fail (!session || CM_IS_SESSION (session));

  if (self->session == session)
    return;

  if (self->session)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_set_object (&self->session, session);
  if (session)
    g_signal_connect_object (session, "filter-changed", G_CALLBACK (filter_changed_cb), self, 0);

  self->event = CM_NONE;
  update_neighbours (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

guint
cm_event_page_get_event (CmEventPage *self)
{
  g_return_val_if_fail (CM_IS_EVENT_PAGE (self), CM_NONE);

  return self->event;
}

void
cm_event_page_set_event (CmEventPage *self,
                         guint        event)
{
  CmDataset *dataset;

  g_return_if_fail (CM_IS_EVENT_PAGE (self));

  dataset = self->session ? cm_session_get_dataset (self->session) : NULL;
  if (dataset == NULL || event >= cm_dataset_get_n_events (dataset))
    event = CM_NONE;

  if (self->event == event)
    return;

  self->event = event;
  if (event != CM_NONE)
    fill (self);
  update_neighbours (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EVENT]);
}
