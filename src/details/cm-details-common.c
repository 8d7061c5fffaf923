/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-details"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cm-color-swatch.h"
#include "cm-details-private.h"
#include "cm-launch.h"
#include "cm-palette.h"

#define KIND_KEY "cm-selection-kind"
#define INDEX_KEY "cm-selection-index"

void
_cm_details_clear_list (GtkListBox *list)
{
  GtkWidget *child;

  g_assert (GTK_IS_LIST_BOX (list));

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static void
selection_clicked_cb (GtkButton *button,
                      CmSession *session)
{
  CmSelectionKind kind = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), KIND_KEY));
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), INDEX_KEY));

  cm_session_select (session, kind, index);
}

static void
connect_selection (GtkWidget       *button,
                   CmSession       *session,
                   CmSelectionKind  kind,
                   guint            index)
{
  g_object_set_data (G_OBJECT (button), KIND_KEY, GUINT_TO_POINTER (kind));
  g_object_set_data (G_OBJECT (button), INDEX_KEY, GUINT_TO_POINTER (index));
  g_signal_connect_object (button, "clicked", G_CALLBACK (selection_clicked_cb), session, 0);
}

static GtkWidget *
new_plain_row (const char *title,
               const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  /* Titles come from the file: plain text, never markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title ? title : "");
  if (subtitle != NULL && subtitle[0] != '\0')
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 3);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 2);

  return row;
}

static void
row_activated_cb (GtkListBox    *list,
                  GtkListBoxRow *row,
                  gpointer       user_data)
{
  GtkWidget *button = g_object_get_data (G_OBJECT (row), "cm-button");

  /* Not gtk_widget_activate(): a button "clicks" that way only after
   * showing itself pressed for a quarter of a second. */
  if (button != NULL)
    g_signal_emit_by_name (button, "clicked");
}

static GtkWidget *
new_label (const char *text,
           const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  if (css_class)
    gtk_widget_add_css_class (label, css_class);

  return label;
}

/* Built by hand rather than as an AdwActionRow: an actor's page may list
 * hundreds of events, and an action row costs ten times as much to make. */
GtkWidget *
_cm_details_add_selection_row (GtkListBox      *list,
                               CmSession       *session,
                               CmSelectionKind  kind,
                               guint            index,
                               const char      *title,
                               const char      *subtitle,
                               gint64           color)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *labels = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *button = gtk_button_new_from_icon_name ("go-next-symbolic");
  g_autofree char *label = NULL;

  g_assert (CM_IS_SESSION (session));

  if (!g_object_get_data (G_OBJECT (list), "cm-rows-activate"))
    {
      g_signal_connect (list, "row-activated", G_CALLBACK (row_activated_cb), NULL);
      g_object_set_data (G_OBJECT (list), "cm-rows-activate", GINT_TO_POINTER (TRUE));
    }

  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 6);
  if (color >= 0)
    {
      GtkWidget *swatch = cm_color_swatch_new ((guint32) color);
      CmDataset *dataset = cm_session_get_dataset (session);

      /* An actor's colour is its group's: say which. */
      if (kind == CM_SELECTION_ACTOR && dataset != NULL &&
          cm_dataset_get_actor (dataset, index)->group != CM_NONE)
        cm_color_swatch_set_label (CM_COLOR_SWATCH (swatch),
                                   cm_dataset_get_group (dataset,
                                                         cm_dataset_get_actor (dataset, index)->group)->name);
      gtk_box_append (GTK_BOX (box), swatch);
    }

  gtk_widget_set_hexpand (labels, TRUE);
  gtk_widget_set_valign (labels, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (labels), new_label (title ? title : "", NULL));
  if (subtitle != NULL && subtitle[0] != '\0')
    gtk_box_append (GTK_BOX (labels), new_label (subtitle, "subtitle"));
  gtk_box_append (GTK_BOX (box), labels);

  /* A label for screen readers, not a tooltip: in GTK 4.8 setting a
   * tooltip asks the display where the pointer is, a round trip per row. */
  /* Translators: what the button that opens an event, actor or place does */
  label = g_strdup_printf (_("Show “%s”"), title ? title : "");
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  connect_selection (button, session, kind, index);
  gtk_box_append (GTK_BOX (box), button);

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  g_object_set_data (G_OBJECT (row), "cm-button", button);
  gtk_widget_add_css_class (row, "cm-link-row");
  gtk_list_box_append (list, row);

  return row;
}

void
_cm_details_add_more_row (GtkListBox *list,
                          guint       n_more)
{
  g_autofree char *text = NULL;
  GtkWidget *row;

  /* Translators: the end of a shortened list */
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "and %u more", "and %u more", n_more),
                          n_more);
  row = new_plain_row (text, NULL);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_add_css_class (row, "dim-label");
  gtk_list_box_append (list, row);
}

static void
open_uri_clicked_cb (GtkButton *button,
                     gpointer   user_data)
{
  const char *uri = g_object_get_data (G_OBJECT (button), "cm-uri");

  _cm_details_open_uri (GTK_WIDGET (button), uri);
}

GtkWidget *
_cm_details_add_link_row (GtkListBox   *list,
                          const CmLink *link)
{
  g_autoptr(GUri) uri = NULL;
  const char *title = link->title;
  const char *subtitle = NULL;
  GtkWidget *row;

  if (link->url != NULL)
    uri = g_uri_parse (link->url, G_URI_FLAGS_NONE, NULL);
  if (_cm_details_is_web_uri (link->url))
    subtitle = uri ? g_uri_get_host (uri) : link->url;
  else
    subtitle = link->url;

  if (title == NULL || title[0] == '\0')
    {
      title = link->url ? link->url : "";
      subtitle = NULL;
    }

  row = new_plain_row (title, subtitle);

  if (_cm_details_is_web_uri (link->url))
    {
      GtkWidget *button = gtk_button_new_from_icon_name ("adw-external-link-symbolic");
      /* Translators: what the button beside a link does, e.g. "Open “Sergei Lavrov (Wikipedia)”" */
      g_autofree char *label = g_strdup_printf (_("Open “%s”"), title);

      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                      -1);
      g_object_set_data_full (G_OBJECT (button), "cm-uri", g_strdup (link->url), g_free);
      gtk_widget_set_tooltip_text (button, link->url);
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (button, "flat");
      g_signal_connect (button, "clicked", G_CALLBACK (open_uri_clicked_cb), NULL);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), button);
    }

  gtk_list_box_append (list, row);

  return row;
}

GtkWidget *
_cm_details_selection_button (CmSession       *session,
                              CmSelectionKind  kind,
                              guint            index,
                              const char      *label)
{
  GtkWidget *button = gtk_button_new_with_label (label);
  GtkWidget *child = gtk_button_get_child (GTK_BUTTON (button));

  g_assert (CM_IS_SESSION (session));

  /* GtkLabel of a plain button: no markup, no mnemonic. */
  if (GTK_IS_LABEL (child))
    {
      gtk_label_set_use_markup (GTK_LABEL (child), FALSE);
      gtk_label_set_ellipsize (GTK_LABEL (child), PANGO_ELLIPSIZE_END);
    }
  gtk_widget_add_css_class (button, "link");
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_halign (button, GTK_ALIGN_START);
  connect_selection (button, session, kind, index);

  return button;
}

void
_cm_details_show_section (GtkWidget *section,
                          guint      n_rows)
{
  gtk_widget_set_visible (section, n_rows > 0);
}

gboolean
_cm_details_is_web_uri (const char *uri)
{
  g_autofree char *scheme = NULL;

  if (uri == NULL)
    return FALSE;

  scheme = g_uri_parse_scheme (uri);

  return scheme != NULL &&
         (g_ascii_strcasecmp (scheme, "http") == 0 || g_ascii_strcasecmp (scheme, "https") == 0);
}

void
_cm_details_open_uri (GtkWidget  *widget,
                      const char *uri)
{
  /* Only web links leave the application, and only from a click. */
  if (_cm_details_is_web_uri (uri))
    cm_launch_uri (widget, uri);
}

char *
_cm_details_format_event_date (const CmEvent *event)
{
  g_autofree char *start = NULL;
  g_autofree char *end = NULL;

  if (event->undated)
    return g_strdup (_("Undated"));
  start = cm_time_format (&event->start);
  if (!event->has_end)
    return g_steal_pointer (&start);

  end = cm_time_format (&event->end);
  if (g_str_equal (start, end))
    return g_steal_pointer (&start);

  /* Translators: a span of dates, as in "18 February 2025 – 20 February 2025" */
  return g_strdup_printf (_("%s – %s"), start, end);
}

char *
_cm_details_format_coordinates (double lat,
                                double lon)
{
  char lat_text[G_ASCII_DTOSTR_BUF_SIZE];
  char lon_text[G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_formatd (lat_text, sizeof lat_text, "%.4f", fabs (lat));
  g_ascii_formatd (lon_text, sizeof lon_text, "%.4f", fabs (lon));

  /* Translators: coordinates, as in "24.7136° N, 46.6753° E"; the second
   * and fourth %s are the hemisphere letters below */
  return g_strdup_printf (_("%s° %s, %s° %s"),
                          lat_text, lat >= 0 ? C_("latitude", "N") : C_("latitude", "S"),
                          lon_text, lon >= 0 ? C_("longitude", "E") : C_("longitude", "W"));
}

const char *
_cm_details_actor_kind_name (CmActorKind kind)
{
  switch (kind)
    {
    case CM_ACTOR_PERSON:
      return _("Person");
    case CM_ACTOR_GOVERNMENT:
      return _("Government");
    case CM_ACTOR_ORGANISATION:
      return _("Organisation");
    case CM_ACTOR_GROUP:
      return _("Group");
    case CM_ACTOR_OTHER:
    default:
      return _("Other");
    }
}

typedef struct
{
  guint index;
  guint count;
} Ranked;

static int
compare_ranked (const void *a,
                const void *b)
{
  const Ranked *x = a, *y = b;

  if (x->count != y->count)
    return x->count > y->count ? -1 : 1;

  return x->index < y->index ? -1 : (x->index > y->index);
}

guint *
_cm_details_rank_by_count (const guint *counts,
                           guint        n,
                           guint       *n_ranked)
{
  g_autofree Ranked *ranked = g_new (Ranked, MAX (n, 1));
  guint *indexes;
  guint m = 0;

  for (guint i = 0; i < n; i++)
    if (counts[i] > 0)
      ranked[m++] = (Ranked) { i, counts[i] };

  qsort (ranked, m, sizeof (Ranked), compare_ranked);

  indexes = g_new (guint, MAX (m, 1));
  for (guint i = 0; i < m; i++)
    indexes[i] = ranked[i].index;
  *n_ranked = m;

  return indexes;
}

void
_cm_details_scan (CmDataset       *dataset,
                  CmSelectionKind  kind,
                  guint            index,
                  CmDetailsScan   *scan)
{
  const guint32 *events;
  guint n_events;

  g_assert (kind == CM_SELECTION_ACTOR || kind == CM_SELECTION_PLACE);

  memset (scan, 0, sizeof *scan);
  scan->actor_counts = g_new0 (guint, MAX (cm_dataset_get_n_actors (dataset), 1));
  scan->place_counts = g_new0 (guint, MAX (cm_dataset_get_n_places (dataset), 1));

  /* The dataset's index lists them already in time order. */
  events = kind == CM_SELECTION_ACTOR ? cm_dataset_get_actor_events (dataset, index, &n_events)
                                      : cm_dataset_get_place_events (dataset, index, &n_events);
  for (guint i = 0; i < n_events; i++)
    {
      const CmEvent *event = cm_dataset_get_event (dataset, events[i]);
      const guint32 *actors, *places;
      guint n_actors, n_places;

      actors = cm_dataset_get_event_actors (dataset, event, &n_actors);
      places = cm_dataset_get_event_places (dataset, event, &n_places);
      for (guint k = 0; k < n_actors; k++)
        scan->actor_counts[actors[k]]++;
      for (guint k = 0; k < n_places; k++)
        scan->place_counts[places[k]]++;
    }

  scan->n_events = n_events;
  scan->n_shown = MIN (n_events, CM_DETAILS_MAX_ROWS);
  scan->events = g_new (guint32, MAX (scan->n_shown, 1));
  memcpy (scan->events, events, scan->n_shown * sizeof (guint32));
}

void
_cm_details_scan_clear (CmDetailsScan *scan)
{
  g_clear_pointer (&scan->events, g_free);
  g_clear_pointer (&scan->actor_counts, g_free);
  g_clear_pointer (&scan->place_counts, g_free);
  scan->n_shown = scan->n_events = 0;
}

void
_cm_details_fill_events (GtkListBox          *list,
                         CmSession           *session,
                         const CmDetailsScan *scan)
{
  CmDataset *dataset = cm_session_get_dataset (session);

  _cm_details_clear_list (list);
  for (guint i = 0; i < scan->n_shown; i++)
    {
      const CmEvent *event = cm_dataset_get_event (dataset, scan->events[i]);
      g_autofree char *date = _cm_details_format_event_date (event);

      _cm_details_add_selection_row (list, session, CM_SELECTION_EVENT, scan->events[i],
                                     event->title, date, -1);
    }
  if (scan->n_events > scan->n_shown)
    _cm_details_add_more_row (list, scan->n_events - scan->n_shown);
}

guint
_cm_details_fill_ranked (GtkListBox      *list,
                         CmSession       *session,
                         CmSelectionKind  kind,
                         const guint     *counts,
                         guint            exclude,
                         guint            max)
{
  CmDataset *dataset = cm_session_get_dataset (session);
  guint n_values = kind == CM_SELECTION_ACTOR ? cm_dataset_get_n_actors (dataset)
                                              : cm_dataset_get_n_places (dataset);
  g_autofree guint *ranked = NULL;
  guint n_ranked, n_rows = 0;

  g_assert (kind == CM_SELECTION_ACTOR || kind == CM_SELECTION_PLACE);

  _cm_details_clear_list (list);
  ranked = _cm_details_rank_by_count (counts, n_values, &n_ranked);
  for (guint i = 0; i < n_ranked && n_rows < max; i++)
    {
      guint value = ranked[i];
      g_autofree char *subtitle = NULL;
      const char *name;
      gint64 color = -1;

      if (value == exclude)
        continue;

      if (kind == CM_SELECTION_ACTOR)
        {
          const CmActor *actor = cm_dataset_get_actor (dataset, value);

          name = actor->name;
          color = cm_palette_get_group_color (dataset, actor->group);
        }
      else
        {
          name = cm_dataset_get_place (dataset, value)->name;
        }

      /* Translators: how many events an actor or place is part of */
      subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u event", "%u events",
                                               counts[value]),
                                  counts[value]);
      _cm_details_add_selection_row (list, session, kind, value, name, subtitle, color);
      n_rows++;
    }

  /* A short "top N" list is complete as it is; a long one says how much
   * it leaves out. */
  if (max >= CM_DETAILS_MAX_ROWS)
    {
      guint n_candidates = n_ranked;

      if (exclude < n_values && counts[exclude] > 0)
        n_candidates--;
      if (n_candidates > n_rows)
        _cm_details_add_more_row (list, n_candidates - n_rows);
    }

  return n_rows;
}
