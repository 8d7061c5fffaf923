/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-details"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "cm-color-swatch.h"
#include "cm-details-private.h"
#include "cm-filter-panel.h"
#include "cm-label-tooltip.h"
#include "cm-palette.h"

/* Lists this long or shorter need no search entry. */
#define SEARCH_THRESHOLD 12
/* Rows a long list shows before "Show More": the most frequent values,
 * and a popover that opens at once (every row is a dozen widgets to
 * measure and draw; four lists of fifty took most of a 70 ms opening). */
#define FIRST_ROWS 20

typedef struct
{
  guint           value;
  GtkWidget      *row;
  GtkCheckButton *check;
  GtkLabel       *count;
} Row;

typedef struct
{
  CmFilterPanel  *panel;
  CmFacet         facet;
  GtkWidget      *box;
  GtkSearchEntry *search;
  GtkListBox     *list;
  GtkLabel       *more;
  GtkWidget      *show_more;

  guint           n_values;
  guint          *order;        /* values in display order */
  char          **folded;       /* normalised names, built on the first search */
  guint          *counts;
  int             count_chars;  /* digits of the largest possible count */
  gboolean        rows_pending; /* rows to build for a new dataset */
  gboolean        expanded;     /* "Show More" was clicked */
  GArray         *rows;         /* Row, the values shown */
} Section;

struct _CmFilterPanel
{
  GtkWidget   parent_instance;

  CmSession  *session;
  CmDataset  *dataset;          /* the one the sections were built for */
  Section     sections[CM_N_FACETS];
  /* > 0 while the panel itself sets check boxes */
  guint       syncing;
  gboolean    counts_dirty;
  gboolean    have_counts;      /* sections hold counts (perhaps of the last filter) */
  GCancellable *count_cancellable; /* of the worker counting for the filter now */
  guint       build_source;     /* idle building the sections' rows, one at a time */

  GtkLabel   *summary_label;
  GtkWidget  *clear_button;
  GtkBox     *sections_box;
  GtkBox     *first_column;
  GtkBox     *second_column;
  GtkScrolledWindow *scroller;
  GtkEntry   *from_entry;
  GtkEntry   *to_entry;
};

G_DEFINE_FINAL_TYPE (CmFilterPanel, cm_filter_panel, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char *
value_name (CmDataset *dataset,
            CmFacet    facet,
            guint      value)
{
  switch (facet)
    {
    case CM_FACET_GROUP:
      return cm_dataset_get_group (dataset, value)->name;
    case CM_FACET_ACTOR:
      return cm_dataset_get_actor (dataset, value)->name;
    case CM_FACET_PLACE:
      return cm_dataset_get_place (dataset, value)->name;
    case CM_FACET_TAG:
      return cm_dataset_get_tag (dataset, value);
    case CM_N_FACETS:
    default:
      g_assert_not_reached ();
    }
}

static void
check_toggled_cb (GtkCheckButton *check,
                  Section        *section)
{
  CmFilterPanel *self = section->panel;
  guint value = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (check), "cm-value"));

  if (self->syncing || self->session == NULL || cm_session_get_filter (self->session) == NULL)
    return;

  cm_session_set_filter_value (self->session, section->facet, value,
                               gtk_check_button_get_active (check));
}

static void show_row_count (Section *section,
                            Row     *r);

/* A row as an AdwActionRow lays it out (box.header: the check box and
 * the group's colour as prefixes, the name, the count), with the widgets
 * it needs only: an action row is a dozen widgets and a title that wraps,
 * measured at several widths; opening the popover measured and drew about
 * eighty of them in one go. */
static void
add_row (Section *section,
         guint    value)
{
  CmFilterPanel *self = section->panel;
  CmFilter *filter = cm_session_get_filter (self->session);
  const char *name = value_name (self->dataset, section->facet, value);
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkWidget *prefixes = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkWidget *check = gtk_check_button_new ();
  GtkWidget *title = gtk_label_new (name);
  GtkWidget *count = gtk_label_new (NULL);
  Row r = { value, row, GTK_CHECK_BUTTON (check), GTK_LABEL (count) };

  gtk_widget_add_css_class (header, "header");
  gtk_widget_add_css_class (prefixes, "prefixes");
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), header);
  gtk_box_append (GTK_BOX (header), prefixes);

  self->syncing++;
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check),
                               cm_filter_get_value (filter, section->facet, value));
  self->syncing--;
  g_object_set_data (G_OBJECT (check), "cm-value", GUINT_TO_POINTER (value));
  gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
  g_signal_connect (check, "toggled", G_CALLBACK (check_toggled_cb), section);
  gtk_box_append (GTK_BOX (prefixes), check);
  if (section->facet == CM_FACET_GROUP)
    {
      GtkWidget *swatch = cm_color_swatch_new (cm_palette_get_group_color (self->dataset, value));

      cm_color_swatch_set_label (CM_COLOR_SWATCH (swatch), name);
      gtk_widget_set_valign (swatch, GTK_ALIGN_CENTER);
      gtk_box_append (GTK_BOX (prefixes), swatch);
    }

  /* One line, cut short with an ellipsis. */
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  gtk_label_set_single_line_mode (GTK_LABEL (title), TRUE);
  gtk_widget_set_hexpand (title, TRUE);
  cm_label_tooltip_when_cut (GTK_LABEL (title));
  gtk_box_append (GTK_BOX (header), title);

  gtk_widget_add_css_class (count, "cm-count");
  gtk_widget_add_css_class (count, "dim-label");
  gtk_widget_add_css_class (count, "numeric");
  /* As wide as the largest count can be: nothing moves when the counts
   * come from their worker. */
  gtk_label_set_width_chars (GTK_LABEL (count), section->count_chars);
  gtk_label_set_xalign (GTK_LABEL (count), 1);
  gtk_box_append (GTK_BOX (header), count);

  /* Read as the check box named by the value, as an action row is. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_RELATION_LABELLED_BY,
                                  title, NULL, -1);

  gtk_list_box_append (section->list, row);
  g_array_append_val (section->rows, r);
  if (self->have_counts)
    show_row_count (section, &g_array_index (section->rows, Row, section->rows->len - 1));
}

/* A click on the row, or Enter or Space on it, ticks its box. */
static void
row_activated_cb (GtkListBox    *list,
                  GtkListBoxRow *row,
                  Section       *section)
{
  for (guint i = 0; i < section->rows->len; i++)
    {
      Row *r = &g_array_index (section->rows, Row, i);

      if (r->row == GTK_WIDGET (row))
        {
          gtk_widget_activate (GTK_WIDGET (r->check));
          return;
        }
    }
}

static gboolean
matches_query (Section    *section,
               guint       value,
               const char *query)
{
  if (query == NULL)
    return TRUE;

  if (section->folded == NULL)
    {
      section->folded = g_new0 (char *, section->n_values + 1);
      for (guint i = 0; i < section->n_values; i++)
        section->folded[i] = cm_normalize_text (value_name (section->panel->dataset,
                                                            section->facet, i));
    }

  return strstr (section->folded[value], query) != NULL;
}

/* Chosen values first, so they can always be unticked, then the values
 * in display order that match the section's search, up to the cap. */
static void
build_rows (Section *section)
{
  CmFilterPanel *self = section->panel;
  CmFilter *filter = cm_session_get_filter (self->session);
  const char *text = gtk_editable_get_text (GTK_EDITABLE (section->search));
  g_autofree char *query = NULL;
  guint n_matches = 0, cap;

  _cm_details_clear_list (section->list);
  g_array_set_size (section->rows, 0);
  section->rows_pending = FALSE;

  query = cm_normalize_text (text);
  g_strstrip (query);
  if (query[0] == '\0')
    g_clear_pointer (&query, g_free);
  /* A search shows what it found, up to the most a list shows. */
  cap = section->expanded || query ? CM_FILTER_PANEL_MAX_ROWS : FIRST_ROWS;

  for (guint i = 0; i < section->n_values; i++)
    {
      guint value = section->order[i];

      if (cm_filter_get_value (filter, section->facet, value))
        add_row (section, value);
    }

  for (guint i = 0; i < section->n_values; i++)
    {
      guint value = section->order[i];

      if (!matches_query (section, value, query))
        continue;
      n_matches++;
      if (section->rows->len < cap &&
          !cm_filter_get_value (filter, section->facet, value))
        add_row (section, value);
    }

  if (n_matches > section->rows->len)
    {
      g_autofree char *more = NULL;

      /* Translators: below a shortened list of actors, places or tags */
      more = g_strdup_printf (_("Showing %u of %u. Search to find others."),
                              section->rows->len, n_matches);
      gtk_label_set_text (section->more, more);
    }
  gtk_widget_set_visible (GTK_WIDGET (section->more), n_matches > section->rows->len);
  gtk_widget_set_visible (section->show_more,
                          n_matches > section->rows->len && cap < CM_FILTER_PANEL_MAX_ROWS);
  gtk_widget_set_visible (GTK_WIDGET (section->list), section->rows->len > 0);
}

static void
clear_section (Section *section)
{
  if (section->folded)
    {
      for (guint i = 0; i < section->n_values; i++)
        g_free (section->folded[i]);
      g_clear_pointer (&section->folded, g_free);
    }
  g_clear_pointer (&section->order, g_free);
  g_clear_pointer (&section->counts, g_free);
  section->n_values = 0;
  section->rows_pending = FALSE;
  section->expanded = FALSE;
  if (section->rows)
    g_array_set_size (section->rows, 0);
  if (section->list)
    _cm_details_clear_list (section->list);
}

/* How many events each value of @facet has in the whole dataset, from
 * the counts the dataset keeps: no pass over a million events on the
 * main thread while a file opens. */
static void
get_totals (CmDataset *dataset,
            CmFacet    facet,
            guint     *totals,
            guint      n)
{
  for (guint i = 0; i < n; i++)
    {
      switch (facet)
        {
        case CM_FACET_ACTOR:
          cm_dataset_get_actor_events (dataset, i, &totals[i]);
          break;
        case CM_FACET_PLACE:
          cm_dataset_get_place_events (dataset, i, &totals[i]);
          break;
        case CM_FACET_TAG:
          totals[i] = cm_dataset_get_tag_n_events (dataset, i);
          break;
        case CM_FACET_GROUP:
        case CM_N_FACETS:
        default:
          g_assert_not_reached ();
        }
    }
}

/* Short lists keep the file's order (groups always do); long ones show
 * the values with the most events first. */
static void
setup_section (Section *section)
{
  CmFilterPanel *self = section->panel;
  g_autoptr(CmFilter) everything = cm_filter_new (self->dataset);
  guint n = cm_filter_get_n_values (everything, section->facet);

  clear_section (section);
  section->n_values = n;
  section->counts = g_new0 (guint, MAX (n, 1));
  section->count_chars = snprintf (NULL, 0, "%u", cm_dataset_get_n_events (self->dataset));
  section->order = g_new (guint, MAX (n, 1));

  if (section->facet == CM_FACET_GROUP || (n <= SEARCH_THRESHOLD && section->facet != CM_FACET_TAG))
    {
      for (guint i = 0; i < n; i++)
        section->order[i] = i;
    }
  else
    {
      g_autofree guint *totals = g_new0 (guint, MAX (n, 1));
      g_autofree guint *ranked = NULL;
      guint n_ranked, m = 0;

      get_totals (self->dataset, section->facet, totals, n);
      ranked = _cm_details_rank_by_count (totals, n, &n_ranked);
      for (guint i = 0; i < n_ranked; i++)
        section->order[m++] = ranked[i];
      /* Values no event uses go last. */
      for (guint i = 0; i < n; i++)
        if (totals[i] == 0)
          section->order[m++] = i;
      g_assert (m == n);
    }

  gtk_widget_set_visible (GTK_WIDGET (section->search), n > SEARCH_THRESHOLD);
  gtk_widget_set_visible (section->box, n > 0);
  /* Rows are widgets: built a section at a time when the main loop has
   * nothing else to do (a hundred and fifty rows at once would stall a
   * window opening a large file), or at once when the panel shows. */
  section->rows_pending = TRUE;
}

static gboolean
build_pending_cb (gpointer user_data)
{
  CmFilterPanel *self = user_data;

  for (guint f = 0; f < CM_N_FACETS; f++)
    if (self->sections[f].rows_pending)
      {
        build_rows (&self->sections[f]);
        return G_SOURCE_CONTINUE;
      }
  self->build_source = 0;
  return G_SOURCE_REMOVE;
}

static void
build_all_pending (CmFilterPanel *self)
{
  g_clear_handle_id (&self->build_source, g_source_remove);
  for (guint f = 0; f < CM_N_FACETS; f++)
    if (self->sections[f].rows_pending)
      build_rows (&self->sections[f]);
}

static void
show_row_count (Section *section,
                Row     *r)
{
  g_autofree char *text = g_strdup_printf ("%u", section->counts[r->value]);

  gtk_label_set_text (r->count, text);
  /* A choice that would show nothing stays usable but recedes. */
  if (section->counts[r->value] == 0 && !gtk_check_button_get_active (r->check))
    gtk_widget_add_css_class (r->row, "dim-label");
  else
    gtk_widget_remove_css_class (r->row, "dim-label");
}

static void
show_section_counts (Section *section)
{
  for (guint i = 0; i < section->rows->len; i++)
    show_row_count (section, &g_array_index (section->rows, Row, i));
}

static void
counts_ready_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(CmFilterPanel) self = user_data;
  g_autoptr(CmFilter) counted = cm_filter_count_finish (result, NULL);

  /* Cancelled: the filter changed again, or the panel went. */
  if (counted == NULL || g_task_get_cancellable (G_TASK (result)) != self->count_cancellable)
    return;
  g_clear_object (&self->count_cancellable);
  for (guint f = 0; f < CM_N_FACETS; f++)
    {
      Section *section = &self->sections[f];

      if (section->n_values == 0)
        continue;
      cm_filter_get_counts (counted, section->facet, section->counts);
      show_section_counts (section);
    }
  self->have_counts = TRUE;
}

/* Counting is a pass over every event: in a worker, for a copy of the
 * filter, while the panel shows the last counts (or none yet). */
static void
update_counts (CmFilterPanel *self)
{
  CmFilter *filter = cm_session_get_filter (self->session);

  g_cancellable_cancel (self->count_cancellable);
  g_clear_object (&self->count_cancellable);
  self->counts_dirty = FALSE;
  if (filter == NULL)
    return;
  self->count_cancellable = g_cancellable_new ();
  cm_filter_count_async (filter, self->count_cancellable, counts_ready_cb, g_object_ref (self));
}

static void
show_more_clicked_cb (GtkButton *button,
                      Section   *section)
{
  guint n_shown = section->rows->len;

  section->expanded = TRUE;
  build_rows (section);
  /* The button has gone: the keyboard goes on at the first new row. */
  if (n_shown < section->rows->len)
    gtk_widget_grab_focus (g_array_index (section->rows, Row, n_shown).row);
}

static void
section_search_changed_cb (GtkSearchEntry *entry,
                           Section        *section)
{
  if (section->panel->dataset == NULL)
    return;

  build_rows (section);
}

static void
set_entry_error (GtkEntry   *entry,
                 const char *message)
{
  if (message)
    {
      gtk_widget_add_css_class (GTK_WIDGET (entry), "error");
      gtk_widget_set_tooltip_text (GTK_WIDGET (entry), message);
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (entry), "error");
      gtk_widget_set_tooltip_text (GTK_WIDGET (entry), NULL);
    }
}

/* The date range as shown in the entries, or FALSE (and an error shown on
 * the entry at fault) when one of them is not a date. */
static gboolean
parse_range (CmFilterPanel *self,
             gint64        *from,
             gint64        *to)
{
  const char *from_text = gtk_editable_get_text (GTK_EDITABLE (self->from_entry));
  const char *to_text = gtk_editable_get_text (GTK_EDITABLE (self->to_entry));
  g_autofree char *from_stripped = g_strstrip (g_strdup (from_text));
  g_autofree char *to_stripped = g_strstrip (g_strdup (to_text));
  g_autoptr(GError) error = NULL;
  CmTime time;

  *from = G_MININT64;
  *to = G_MAXINT64;

  if (from_stripped[0] != '\0')
    {
      if (!cm_time_parse (from_stripped, NULL, &time, &error))
        {
          set_entry_error (self->from_entry, error->message);
          return FALSE;
        }
      *from = time.seconds;
    }
  set_entry_error (self->from_entry, NULL);

  if (to_stripped[0] != '\0')
    {
      /* "To 2025-02" includes the whole of February. */
      if (!cm_time_parse (to_stripped, NULL, &time, &error))
        {
          set_entry_error (self->to_entry, error->message);
          return FALSE;
        }
      *to = cm_time_get_end (&time);
    }

  if (*to <= *from)
    {
      set_entry_error (self->to_entry, _("The end is before the start"));
      return FALSE;
    }
  set_entry_error (self->to_entry, NULL);

  return TRUE;
}

static void
apply_range (CmFilterPanel *self)
{
  gint64 from, to;

  if (self->session == NULL || cm_session_get_filter (self->session) == NULL)
    return;

  if (parse_range (self, &from, &to))
    cm_session_set_filter_range (self->session, from, to);
}

static void
date_activate_cb (CmFilterPanel *self)
{
  apply_range (self);
}

static void
date_changed_cb (CmFilterPanel *self,
                 GtkEditable   *entry)
{
  /* Judged again when the user presses Enter or leaves the entry. */
  set_entry_error (GTK_ENTRY (entry), NULL);
}

static void
date_focus_leave_cb (GtkEventControllerFocus *controller,
                     CmFilterPanel           *self)
{
  apply_range (self);
}

static void
clear_clicked_cb (CmFilterPanel *self)
{
  if (self->session)
    cm_session_clear_filter (self->session);
}

/* Entries follow a range cleared elsewhere ("Clear All", a new file). */
static void
sync_range_entries (CmFilterPanel *self,
                    CmFilter      *filter)
{
  gint64 from, to, shown_from, shown_to;

  cm_filter_get_range (filter, &from, &to);
  if (from == G_MININT64 && to == G_MAXINT64 &&
      parse_range (self, &shown_from, &shown_to) &&
      (shown_from != from || shown_to != to))
    {
      gtk_editable_set_text (GTK_EDITABLE (self->from_entry), "");
      gtk_editable_set_text (GTK_EDITABLE (self->to_entry), "");
    }
}

static void
refresh (CmFilterPanel *self)
{
  CmDataset *dataset = self->session ? cm_session_get_dataset (self->session) : NULL;
  CmFilter *filter = self->session ? cm_session_get_filter (self->session) : NULL;
  g_autofree char *summary = NULL;
  guint n_visible, n_events;

  if (dataset != self->dataset)
    {
      g_set_object (&self->dataset, dataset);
      /* No counts until the new dataset's come. */
      self->have_counts = FALSE;
      g_cancellable_cancel (self->count_cancellable);
      g_clear_object (&self->count_cancellable);
      for (guint f = 0; f < CM_N_FACETS; f++)
        {
          if (dataset)
            setup_section (&self->sections[f]);
          else
            clear_section (&self->sections[f]);
        }
      g_clear_handle_id (&self->build_source, g_source_remove);
      if (gtk_widget_get_mapped (GTK_WIDGET (self)))
        build_all_pending (self);
      else if (dataset != NULL)
        self->build_source = g_idle_add_full (G_PRIORITY_LOW, build_pending_cb, self, NULL);
    }

  gtk_widget_set_sensitive (GTK_WIDGET (self->sections_box), filter != NULL);
  gtk_widget_set_sensitive (self->clear_button, filter && cm_filter_is_active (filter));
  if (filter == NULL)
    {
      gtk_label_set_text (self->summary_label, _("No events"));
      return;
    }

  n_events = cm_dataset_get_n_events (dataset);
  n_visible = cm_session_get_n_visible (self->session);
  if (cm_filter_is_active (filter))
    /* Translators: as in "37 of 120 events" */
    summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u event", "%u of %u events",
                                            n_events),
                               n_visible, n_events);
  else
    summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u event", "%u events", n_events),
                               n_events);
  gtk_label_set_text (self->summary_label, summary);

  /* Check boxes follow choices made elsewhere (a tag on an event page). */
  self->syncing++;
  for (guint f = 0; f < CM_N_FACETS; f++)
    {
      Section *section = &self->sections[f];
      guint n_shown_chosen = 0;

      for (guint i = 0; i < section->rows->len; i++)
        {
          Row *r = &g_array_index (section->rows, Row, i);
          gboolean chosen = cm_filter_get_value (filter, section->facet, r->value);

          gtk_check_button_set_active (r->check, chosen);
          n_shown_chosen += chosen;
        }
      /* A value chosen elsewhere that the list does not show yet. */
      if (n_shown_chosen < cm_filter_get_n_chosen (filter, section->facet))
        build_rows (section);
    }
  self->syncing--;

  sync_range_entries (self, filter);

  /* Counting is a pass over every event: only for a panel the user can
   * see. */
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    update_counts (self);
  else
    self->counts_dirty = TRUE;
}

static void
filter_changed_cb (CmSession     *session,
                   CmFilterPanel *self)
{
  refresh (self);
}

static void
cm_filter_panel_map (GtkWidget *widget)
{
  CmFilterPanel *self = CM_FILTER_PANEL (widget);

  build_all_pending (self);
  GTK_WIDGET_CLASS (cm_filter_panel_parent_class)->map (widget);

  if (self->counts_dirty && self->session && cm_session_get_filter (self->session))
    update_counts (self);
}

static void
build_section (CmFilterPanel *self,
               GtkBox        *column,
               CmFacet        facet,
               const char    *title,
               const char    *search_placeholder)
{
  Section *section = &self->sections[facet];
  GtkWidget *heading;

  section->panel = self;
  section->facet = facet;
  section->rows = g_array_new (FALSE, FALSE, sizeof (Row));

  section->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  heading = gtk_label_new (title);
  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  gtk_widget_add_css_class (heading, "heading");
  gtk_box_append (GTK_BOX (section->box), heading);

  section->search = GTK_SEARCH_ENTRY (gtk_search_entry_new ());
  g_object_set (section->search, "placeholder-text", search_placeholder, NULL);
  g_signal_connect (section->search, "search-changed",
                    G_CALLBACK (section_search_changed_cb), section);
  gtk_box_append (GTK_BOX (section->box), GTK_WIDGET (section->search));

  section->list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (section->list, GTK_SELECTION_NONE);
  g_signal_connect (section->list, "row-activated", G_CALLBACK (row_activated_cb), section);
  gtk_widget_add_css_class (GTK_WIDGET (section->list), "boxed-list");
  /* Rows a line high, not the 50 px of a settings row: a list to scan. */
  gtk_widget_add_css_class (GTK_WIDGET (section->list), "cm-compact-list");
  gtk_box_append (GTK_BOX (section->box), GTK_WIDGET (section->list));

  section->more = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (section->more, 0);
  gtk_label_set_wrap (section->more, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (section->more), "dim-label");
  gtk_widget_add_css_class (GTK_WIDGET (section->more), "caption");
  gtk_widget_set_visible (GTK_WIDGET (section->more), FALSE);
  gtk_box_append (GTK_BOX (section->box), GTK_WIDGET (section->more));

  /* Translators: below a shortened list of groups, actors, places or tags */
  section->show_more = gtk_button_new_with_label (_("Show More"));
  gtk_widget_set_halign (section->show_more, GTK_ALIGN_START);
  gtk_widget_add_css_class (section->show_more, "flat");
  g_signal_connect (section->show_more, "clicked", G_CALLBACK (show_more_clicked_cb), section);
  gtk_widget_set_visible (section->show_more, FALSE);
  gtk_box_append (GTK_BOX (section->box), section->show_more);

  gtk_widget_set_visible (section->box, FALSE);
  gtk_box_append (column, section->box);
}

static void
cm_filter_panel_dispose (GObject *object)
{
  CmFilterPanel *self = CM_FILTER_PANEL (object);
  GtkWidget *child;

  cm_filter_panel_set_session (self, NULL);
  g_clear_handle_id (&self->build_source, g_source_remove);
  g_cancellable_cancel (self->count_cancellable);
  g_clear_object (&self->count_cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), CM_TYPE_FILTER_PANEL);
  /* Template children without an id are not unparented for us. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (cm_filter_panel_parent_class)->dispose (object);
}

static void
cm_filter_panel_finalize (GObject *object)
{
  CmFilterPanel *self = CM_FILTER_PANEL (object);

  for (guint f = 0; f < CM_N_FACETS; f++)
    {
      self->sections[f].list = NULL;
      clear_section (&self->sections[f]);
      g_clear_pointer (&self->sections[f].rows, g_array_unref);
    }
  g_clear_object (&self->dataset);

  G_OBJECT_CLASS (cm_filter_panel_parent_class)->finalize (object);
}

static void
cm_filter_panel_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  CmFilterPanel *self = CM_FILTER_PANEL (object);

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
cm_filter_panel_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  CmFilterPanel *self = CM_FILTER_PANEL (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      cm_filter_panel_set_session (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cm_filter_panel_class_init (CmFilterPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cm_filter_panel_dispose;
  object_class->finalize = cm_filter_panel_finalize;
  object_class->get_property = cm_filter_panel_get_property;
  object_class->set_property = cm_filter_panel_set_property;

  widget_class->map = cm_filter_panel_map;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL,
                         CM_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/cm-filter-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, CmFilterPanel, summary_label);
  gtk_widget_class_bind_template_child (widget_class, CmFilterPanel, clear_button);
  gtk_widget_class_bind_template_child (widget_class, CmFilterPanel, sections_box);
  gtk_widget_class_bind_template_child (widget_class, CmFilterPanel, first_column);
  gtk_widget_class_bind_template_child (widget_class, CmFilterPanel, second_column);
  gtk_widget_class_bind_template_child (widget_class, CmFilterPanel, scroller);
  gtk_widget_class_bind_template_child (widget_class, CmFilterPanel, from_entry);
  gtk_widget_class_bind_template_child (widget_class, CmFilterPanel, to_entry);
  gtk_widget_class_bind_template_callback (widget_class, clear_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, date_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, date_changed_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "cm-filter-panel");
}

static void
cm_filter_panel_init (CmFilterPanel *self)
{
  GtkEntry *entries[] = { NULL, NULL };

  gtk_widget_init_template (GTK_WIDGET (self));

  entries[0] = self->from_entry;
  entries[1] = self->to_entry;
  for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
    {
      GtkEventController *focus = gtk_event_controller_focus_new ();

      g_signal_connect (focus, "leave", G_CALLBACK (date_focus_leave_cb), self);
      gtk_widget_add_controller (GTK_WIDGET (entries[i]), focus);
    }

  build_section (self, self->first_column, CM_FACET_GROUP, _("Groups"), _("Search groups"));
  build_section (self, self->second_column, CM_FACET_ACTOR, _("Actors"), _("Search actors"));
  build_section (self, self->second_column, CM_FACET_PLACE, _("Places"), _("Search places"));
  build_section (self, self->first_column, CM_FACET_TAG, _("Tags"), _("Search tags"));

  refresh (self);
}

GtkWidget *
cm_filter_panel_new (CmSession *session)
{
  g_return_val_if_fail (!session || CM_IS_SESSION (session), NULL);

  return g_object_new (CM_TYPE_FILTER_PANEL, "session", session, NULL);
}

CmSession *
cm_filter_panel_get_session (CmFilterPanel *self)
{
  g_return_val_if_fail (CM_IS_FILTER_PANEL (self), NULL);

  return self->session;
}

void
cm_filter_panel_set_session (CmFilterPanel *self,
                             CmSession     *session)
{
  g_return_if_fail (CM_IS_FILTER_PANEL (self));
  g_return_if_fail (!session || CM_IS_SESSION (session));

  if (self->session == session)
    return;

  if (self->session)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_set_object (&self->session, session);
  if (session)
    g_signal_connect_object (session, "filter-changed", G_CALLBACK (filter_changed_cb), self, 0);

  if (self->summary_label)
    refresh (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

gboolean
cm_filter_panel_is_counting (CmFilterPanel *self)
{
  g_return_val_if_fail (CM_IS_FILTER_PANEL (self), FALSE);

  return self->count_cancellable != NULL;
}

void
cm_filter_panel_set_available_size (CmFilterPanel *self,
                                    int            width,
                                    int            height)
{
  g_return_if_fail (CM_IS_FILTER_PANEL (self));

  /* Two columns of 300 px with their margins and spacing. */
  gtk_orientable_set_orientation (GTK_ORIENTABLE (self->sections_box),
                                  width >= 660 ? GTK_ORIENTATION_HORIZONTAL
                                               : GTK_ORIENTATION_VERTICAL);
  gtk_box_set_spacing (self->sections_box, width >= 660 ? 24 : 18);
  /* Less the header with "Clear All" above the scrolled sections. */
  gtk_scrolled_window_set_max_content_height (self->scroller, MAX (height - 60, 200));
}
