/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-event-list"

#include "config.h"

#include <glib/gi18n.h>

#include "cm-event-item.h"
#include "cm-event-list.h"
#include "cm-event-model.h"
#include "cm-label-tooltip.h"
#include "cm-background.h"
#include "cm-sort.h"

/* Rows a hidden list makes a new dataset's rows by, each step in an idle
 * of its own, and how many steps before the rest come at once: GTK 4.8's
 * list view makes up to 200 rows whatever it shows. */
#define TAKE_STEP_ROWS 50
#define TAKE_STEPS     4
/* Events from which sorting by a text column (collation keys for every
 * event, then a merge sort: 4 s of CPU at a million) is a worker's job;
 * the list keeps its order until the new one is ready. */
#define SORT_IN_WORKER_MIN 20000

typedef enum
{
  TEXT_TITLE,
  TEXT_PLACES,
  TEXT_ACTORS,
  N_TEXTS,
  /* Sorts by time, not text */
  COLUMN_DATE = N_TEXTS,
} Column;

struct _CmEventList
{
  GtkWidget             parent_instance;

  CmSession            *session;
  CmEventModel         *model;
  GtkSingleSelection   *selection;
  /* Collation keys per event index, built on the first sort by a text column */
  char                **sort_keys[N_TEXTS];
  guint                 n_sort_keys;
  /* Every event in the order of the last sort by a text column, kept so
   * that a filter change need not sort again */
  guint32              *sorted;
  int                   sorted_column;
  gboolean              sorted_descending;
  /* Of the worker sorting a large dataset by a text column, and how */
  GCancellable         *sort_cancellable;
  int                   sorting_column;
  gboolean              sorting_descending;
  /* > 0 while the list itself changes the selection or the session */
  guint                 syncing;
  /* While asking the column view's sorter which column sorts first */
  gboolean              probing;
  int                   probed_column;
  /* The session's new dataset, taken in idles of their own while the list
   * is hidden: the column view makes its first couple of hundred rows
   * (GTK 4.8 makes that many, shown or not) at once, 25-30 ms, which
   * should not land in the frame that first shows a file, so the rows
   * come TAKE_STEP_ROWS at a time. */
  guint                 take_id;

  GtkWidget            *scroller;
  GtkColumnView        *column_view;
  GtkColumnViewColumn  *date_column;
  GtkColumnViewColumn  *title_column;
  GtkColumnViewColumn  *places_column;
  GtkColumnViewColumn  *actors_column;
};

G_DEFINE_FINAL_TYPE (CmEventList, cm_event_list, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static char *
join_names (CmDataset     *dataset,
            const CmEvent *event,
            Column     column)
{
  g_autoptr(GString) text = g_string_new (NULL);
  const guint32 *refs;
  guint n;

  if (column == TEXT_PLACES)
    refs = cm_dataset_get_event_places (dataset, event, &n);
  else
    refs = cm_dataset_get_event_actors (dataset, event, &n);

  for (guint i = 0; i < n; i++)
    {
      const char *name;

      if (column == TEXT_PLACES)
        name = cm_dataset_get_place (dataset, refs[i])->name;
      else
        name = cm_dataset_get_actor (dataset, refs[i])->name;

      if (i > 0)
        /* Translators: separates names in a list, as in "Riyadh, Kyiv" */
        g_string_append (text, _(", "));
      g_string_append (text, name);
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static char *
dup_text (CmDataset  *dataset,
          guint       index,
          Column  column)
{
  const CmEvent *event = cm_dataset_get_event (dataset, index);

  if (column == TEXT_TITLE)
    return g_strdup (event->title);

  return join_names (dataset, event, column);
}

static char *
dup_date_text (const CmEvent *event)
{
  g_autofree char *start = NULL;
  g_autofree char *end = NULL;

  /* Undated events sort last in the time order, and say so. */
  if (event->undated)
    return g_strdup (_("Undated"));
  start = cm_time_format_short (&event->start);
  if (!event->has_end)
    return g_steal_pointer (&start);

  end = cm_time_format_short (&event->end);
  if (g_str_equal (start, end))
    return g_steal_pointer (&start);

  /* Translators: a span of dates, as in "18 Feb 2025 – 20 Feb 2025" */
  return g_strdup_printf (_("%s – %s"), start, end);
}

static void
free_keys (char  **keys,
           guint   n)
{
  if (keys == NULL)
    return;
  for (guint i = 0; i < n; i++)
    g_free (keys[i]);
  g_free (keys);
}

static void show_sorting (CmEventList *self,
                          gboolean     sorting);

/* Stops a text sort under way, if any, and its busy pointer. */
static void
cancel_sort_worker (CmEventList *self)
{
  if (self->sort_cancellable == NULL)
    return;
  g_cancellable_cancel (self->sort_cancellable);
  g_clear_object (&self->sort_cancellable);
  show_sorting (self, FALSE);
}

static void
clear_sort_keys (CmEventList *self)
{
  cancel_sort_worker (self);
  g_clear_pointer (&self->sorted, g_free);
  self->sorted_column = -1;
  for (guint c = 0; c < N_TEXTS; c++)
    {
      free_keys (self->sort_keys[c], self->n_sort_keys);
      self->sort_keys[c] = NULL;
    }
  self->n_sort_keys = 0;
}

/* Collation keys of every event's text in @column; NULL if cancelled. */
static char **
build_keys (CmDataset    *dataset,
            Column        column,
            GCancellable *cancellable)
{
  guint n = cm_dataset_get_n_events (dataset);
  char **keys = g_new0 (char *, MAX (n, 1));

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *text = NULL;
      g_autofree char *folded = NULL;

      if (i % 4096 == 0 && g_cancellable_is_cancelled (cancellable))
        {
          free_keys (keys, i);
          return NULL;
        }
      text = dup_text (dataset, i, column);
      folded = g_utf8_casefold (text, -1);
      /* "Day 2" before "Day 10" */
      keys[i] = g_utf8_collate_key_for_filename (folded, -1);
    }

  return keys;
}

static char **
ensure_sort_keys (CmEventList *self,
                  CmDataset   *dataset,
                  Column   column)
{
  guint n = cm_dataset_get_n_events (dataset);

  g_assert (self->n_sort_keys == 0 || self->n_sort_keys == n);

  if (self->sort_keys[column] == NULL)
    self->sort_keys[column] = build_keys (dataset, column, NULL);
  self->n_sort_keys = n;

  return self->sort_keys[column];
}

/* The column sorters only tell resort() which column the user chose: when
 * probed, each names itself and answers "smaller", so the column view's
 * sorter answers -1 for an ascending and 1 for a descending first column.
 * Sorting itself compares plain keys, with no object per event. */
static int
compare_column (CmEventList *self,
                Column   column,
                CmEventItem *a,
                CmEventItem *b)
{
  CmDataset *dataset = cm_event_item_get_dataset (a);
  guint index_a = cm_event_item_get_index (a);
  guint index_b = cm_event_item_get_index (b);

  if (self->probing)
    {
      if (self->probed_column < 0)
        self->probed_column = column;
      return GTK_ORDERING_SMALLER;
    }

  if (column == COLUMN_DATE)
    {
      guint rank_a = cm_dataset_get_time_rank (dataset, index_a);
      guint rank_b = cm_dataset_get_time_rank (dataset, index_b);

      return (rank_a > rank_b) - (rank_a < rank_b);
    }
  else
    {
      char **keys = ensure_sort_keys (self, dataset, column);

      return strcmp (keys[index_a], keys[index_b]);
    }
}

static int
compare_date_cb (gconstpointer a,
                 gconstpointer b,
                 gpointer      user_data)
{
  return compare_column (user_data, COLUMN_DATE, (CmEventItem *) a, (CmEventItem *) b);
}

static int
compare_title_cb (gconstpointer a,
                  gconstpointer b,
                  gpointer      user_data)
{
  return compare_column (user_data, TEXT_TITLE, (CmEventItem *) a, (CmEventItem *) b);
}

static int
compare_places_cb (gconstpointer a,
                   gconstpointer b,
                   gpointer      user_data)
{
  return compare_column (user_data, TEXT_PLACES, (CmEventItem *) a, (CmEventItem *) b);
}

static int
compare_actors_cb (gconstpointer a,
                   gconstpointer b,
                   gpointer      user_data)
{
  return compare_column (user_data, TEXT_ACTORS, (CmEventItem *) a, (CmEventItem *) b);
}

typedef struct
{
  char     **keys;
  gboolean   descending;
} SortKeys;

static int
compare_keys (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  const SortKeys *sort = user_data;
  int order = strcmp (sort->keys[*(const guint32 *) a], sort->keys[*(const guint32 *) b]);

  return sort->descending ? -order : order;
}

/* The order the column view's sorter asks for, as event indexes, in
 * *order (NULL for time order); FALSE while a worker sorts (resort() runs
 * again when it is done). GTK 4.8 has no API to read the first sort column
 * of a column view, so the column sorters are probed. Ties keep time
 * order. */
static gboolean sort_events (CmEventList  *self,
                             guint32     **order);

/* The sorted order without the events the filter hides (NULL for every
 * event in time order), or FALSE while a worker sorts. */
static gboolean
order_events (CmEventList  *self,
              guint32     **order_out,
              guint        *n_out)
{
  CmDataset *dataset = cm_event_model_get_dataset (self->model);
  CmFilter *filter = self->session ? cm_session_get_filter (self->session) : NULL;
  guint32 *order = NULL;
  guint n, kept = 0;

  if (!sort_events (self, &order))
    return FALSE;

  *order_out = order;
  *n_out = dataset ? cm_dataset_get_n_events (dataset) : 0;
  if (filter == NULL || !cm_filter_is_active (filter))
    return TRUE;

  n = *n_out;
  if (order == NULL)
    order = g_memdup2 (cm_dataset_get_time_order (dataset), sizeof (guint32) * MAX (n, 1));
  for (guint i = 0; i < n; i++)
    if (cm_filter_is_visible (filter, order[i]))
      order[kept++] = order[i];
  *order_out = order;
  *n_out = kept;

  return TRUE;
}

typedef struct
{
  CmDataset *dataset;
  Column     column;
  gboolean   descending;
  char     **keys;              /* the column's, taken from the list or built */
  guint32   *order;
} SortJob;

static void
sort_job_free (gpointer data)
{
  SortJob *job = data;

  free_keys (job->keys, cm_dataset_get_n_events (job->dataset));
  g_free (job->order);
  g_object_unref (job->dataset);
  g_free (job);
}

/* Every event in time order, stably sorted by @keys. */
static guint32 *
sort_by_keys (CmDataset *dataset,
              char     **keys,
              gboolean   descending)
{
  guint n = cm_dataset_get_n_events (dataset);
  guint32 *order = g_memdup2 (cm_dataset_get_time_order (dataset), sizeof (guint32) * MAX (n, 1));
  SortKeys sort = { keys, descending };

  /* A stable sort: equal keys stay in time order. */
  cm_sort_array (order, n, sizeof (guint32), compare_keys, &sort);
  return order;
}

static void
sort_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  SortJob *job = task_data;

  cm_thread_set_background ();
  if (job->keys == NULL)
    job->keys = build_keys (job->dataset, job->column, cancellable);
  if (job->keys != NULL && !g_cancellable_is_cancelled (cancellable))
    job->order = sort_by_keys (job->dataset, job->keys, job->descending);
  g_task_return_boolean (task, job->order != NULL);
}

static void resort (CmEventList *self);

static void
sorted_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  CmEventList *self = CM_EVENT_LIST (source);
  SortJob *job = g_task_get_task_data (G_TASK (result));

  /* Cancelled: a newer sort, filter or dataset. */
  if (!g_task_propagate_boolean (G_TASK (result), NULL) ||
      g_task_get_cancellable (G_TASK (result)) != self->sort_cancellable)
    return;
  g_clear_object (&self->sort_cancellable);
  show_sorting (self, FALSE);

  /* The keys are the list's again, for the next sort by that column. */
  if (self->sort_keys[job->column] == NULL)
    {
      self->sort_keys[job->column] = g_steal_pointer (&job->keys);
      self->n_sort_keys = cm_dataset_get_n_events (job->dataset);
    }
  g_free (self->sorted);
  self->sorted = g_steal_pointer (&job->order);
  self->sorted_column = job->column;
  self->sorted_descending = job->descending;
  resort (self);
}

/* A busy pointer over the list while a worker sorts it. */
static void
show_sorting (CmEventList *self,
              gboolean     sorting)
{
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), sorting ? "progress" : NULL);
}

static void
start_sort_worker (CmEventList *self,
                   CmDataset   *dataset,
                   Column       column,
                   gboolean     descending)
{
  g_autoptr(GTask) task = NULL;
  SortJob *job = g_new0 (SortJob, 1);

  g_cancellable_cancel (self->sort_cancellable);
  g_clear_object (&self->sort_cancellable);
  self->sort_cancellable = g_cancellable_new ();
  self->sorting_column = column;
  self->sorting_descending = descending;

  job->dataset = g_object_ref (dataset);
  job->column = column;
  job->descending = descending;
  /* The worker owns the keys while it sorts: the list may drop its own. */
  job->keys = g_steal_pointer (&self->sort_keys[column]);
  task = g_task_new (self, self->sort_cancellable, sorted_cb, NULL);
  g_task_set_task_data (task, job, sort_job_free);
  g_task_run_in_thread (task, sort_thread);
  show_sorting (self, TRUE);
}

static gboolean
sort_events (CmEventList  *self,
             guint32     **order_out)
{
  CmDataset *dataset = cm_event_model_get_dataset (self->model);
  GtkSorter *sorter = gtk_column_view_get_sorter (self->column_view);
  g_autoptr(CmEventItem) probe_a = NULL;
  g_autoptr(CmEventItem) probe_b = NULL;
  guint n = dataset ? cm_dataset_get_n_events (dataset) : 0;
  guint32 *order;
  gboolean descending;

  *order_out = NULL;
  if (n < 2)
    return TRUE;

  /* Two items: a sorter never compares an item with itself. */
  probe_a = cm_event_item_new (dataset, 0);
  probe_b = cm_event_item_new (dataset, 1);
  self->probing = TRUE;
  self->probed_column = -1;
  descending = gtk_sorter_compare (sorter, probe_a, probe_b) == GTK_ORDERING_LARGER;
  self->probing = FALSE;

  if (self->probed_column < 0 || self->probed_column == COLUMN_DATE)
    {
      /* Sorting by date again: a text sort under way is not wanted. */
      cancel_sort_worker (self);
    }
  if (self->probed_column < 0 || (self->probed_column == COLUMN_DATE && !descending))
    return TRUE;

  if (self->probed_column == COLUMN_DATE)
    {
      order = g_memdup2 (cm_dataset_get_time_order (dataset), sizeof (guint32) * n);
      for (guint i = 0; i < n / 2; i++)
        {
          guint32 swap = order[i];

          order[i] = order[n - 1 - i];
          order[n - 1 - i] = swap;
        }
      *order_out = order;
      return TRUE;
    }

  if (self->sorted == NULL || self->sorted_column != self->probed_column ||
      self->sorted_descending != descending)
    {
      if (n >= SORT_IN_WORKER_MIN)
        {
          /* A filter change while the worker sorts: its order comes with
           * the filter applied. */
          if (self->sort_cancellable == NULL || self->sorting_column != self->probed_column ||
              self->sorting_descending != descending)
            start_sort_worker (self, dataset, self->probed_column, descending);
          return FALSE;
        }
      g_free (self->sorted);
      self->sorted = sort_by_keys (dataset, ensure_sort_keys (self, dataset, self->probed_column),
                                   descending);
      self->sorted_column = self->probed_column;
      self->sorted_descending = descending;
    }

  *order_out = g_memdup2 (self->sorted, sizeof (guint32) * n);
  return TRUE;
}

static void
setup_label (GtkListItem *list_item,
             const char  *css_class)
{
  GtkWidget *label = gtk_label_new (NULL);

  /* A title's tooltip: the whole title when the column cuts it short
   * (bind leaves it on for the title column only). */
  cm_label_tooltip_when_cut (GTK_LABEL (label));

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_single_line_mode (GTK_LABEL (label), TRUE);
  if (css_class)
    gtk_widget_add_css_class (label, css_class);
  gtk_list_item_set_child (list_item, label);
}

static void
setup_date_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               CmEventList              *self)
{
  setup_label (list_item, "numeric");
}

static void
setup_text_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               CmEventList              *self)
{
  setup_label (list_item, NULL);
}

static void
bind_text (GtkListItem *list_item,
           Column   column)
{
  CmEventItem *item = gtk_list_item_get_item (list_item);
  GtkLabel *label = GTK_LABEL (gtk_list_item_get_child (list_item));
  g_autofree char *text = dup_text (cm_event_item_get_dataset (item),
                                    cm_event_item_get_index (item), column);

  gtk_label_set_text (label, text);
  /* Long titles are ellipsized; the tooltip shows them whole. Asked for
   * when shown: setting a tooltip text at each bind asks the display
   * server where the pointer is, about a millisecond a row. */
  gtk_widget_set_has_tooltip (GTK_WIDGET (label), column == TEXT_TITLE);
}

static void
bind_date_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              CmEventList              *self)
{
  CmEventItem *item = gtk_list_item_get_item (list_item);
  g_autofree char *text = dup_date_text (cm_event_item_get_event (item));

  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (list_item)), text);
}

static void
bind_title_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               CmEventList              *self)
{
  bind_text (list_item, TEXT_TITLE);
}

static void
bind_places_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *list_item,
                CmEventList              *self)
{
  bind_text (list_item, TEXT_PLACES);
}

static void
bind_actors_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *list_item,
                CmEventList              *self)
{
  bind_text (list_item, TEXT_ACTORS);
}

static void
scroll_to_position (CmEventList *self,
                    guint        position)
{
#if GTK_CHECK_VERSION (4, 12, 0)
  gtk_column_view_scroll_to (self->column_view, position, NULL, GTK_LIST_SCROLL_NONE, NULL);
#else
  /* Before 4.12 only the column view's inner list view can scroll to an
   * item, through its action. */
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->column_view));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_LIST_VIEW (child))
        {
          gtk_widget_activate_action (child, "list.scroll-to-item", "u", position);
          break;
        }
    }
#endif
}

/* Shows the session's selected event as the selected row. */
static void
select_from_session (CmEventList *self,
                     gboolean     scroll)
{
  guint event = self->session ? cm_session_get_selected_event (self->session) : CM_NONE;
  guint position = GTK_INVALID_LIST_POSITION;

  /* Until the new dataset's rows are all there: taking it selects. */
  if (self->take_id != 0)
    return;

  if (event != CM_NONE)
    position = cm_event_model_get_position (self->model, event);

  /* Newer GTK (4.24) clears a single selection only while it may be
   * unselected; the user still cannot unselect a row by a Ctrl+click. */
  self->syncing++;
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_single_selection_set_selected (self->selection, position);
  gtk_single_selection_set_can_unselect (self->selection, FALSE);
  self->syncing--;

  if (scroll && position != GTK_INVALID_LIST_POSITION)
    scroll_to_position (self, position);
}

static void
select_event_at (CmEventList *self,
                 guint        position)
{
  guint event = cm_event_model_get_event (self->model, position);

  if (self->session == NULL || event == CM_NONE)
    return;

  self->syncing++;
  cm_session_select (self->session, CM_SELECTION_EVENT, event);
  self->syncing--;
}

static void
selection_notify_cb (GtkSingleSelection *selection,
                     GParamSpec         *pspec,
                     CmEventList        *self)
{
  guint position = gtk_single_selection_get_selected (selection);

  if (self->syncing > 0 || position == GTK_INVALID_LIST_POSITION)
    return;

  select_event_at (self, position);
}

static void
column_view_activate_cb (GtkColumnView *column_view,
                         guint          position,
                         CmEventList   *self)
{
  select_event_at (self, position);
}

static void
session_selection_changed_cb (CmSession   *session,
                              CmEventList *self)
{
  if (self->syncing > 0)
    return;

  select_from_session (self, TRUE);
}

static gboolean take_dataset_cb (gpointer user_data);

static void
resort (CmEventList *self)
{
  gint64 start = g_get_monotonic_time ();
  guint32 *order;
  guint n, limit;

  /* The rows are still the last dataset's: taking the new one sorts it. */
  if (self->session && cm_event_model_get_dataset (self->model) != cm_session_get_dataset (self->session))
    return;

  /* Sorting in a worker: the rows keep their order until it is done. */
  if (!order_events (self, &order, &n))
    return;

  self->syncing++;
  /* No row selected while the rows change: GTK 4.8's single selection
   * would look for the selected item among every new row (a new item
   * each: 300 ms at a million). select_from_session() selects again. */
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  gtk_single_selection_set_can_unselect (self->selection, FALSE);
  /* The old rows go, then the new ones come: told both at once, GTK 4.8's
   * list view asks for every new item to look for a row to reuse (a new
   * item each, never one: half a second at a million). */
  limit = cm_event_model_get_limit (self->model);
  cm_event_model_set_limit (self->model, 0);
  cm_event_model_set_order (self->model, order, n);
  /* And a few at a time, as for a new dataset: GTK 4.8 makes, measures
   * and draws two hundred rows at once otherwise (100 ms and more). */
  if (n > TAKE_STEP_ROWS && limit > TAKE_STEP_ROWS)
    {
      limit = TAKE_STEP_ROWS;
      if (self->take_id == 0)
        self->take_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, take_dataset_cb, self, NULL);
    }
  cm_event_model_set_limit (self->model, limit);
  self->syncing--;

  g_debug ("Sorted %u events in %.1f ms",
           g_list_model_get_n_items (G_LIST_MODEL (self->model)),
           (g_get_monotonic_time () - start) / 1000.0);

  select_from_session (self, TRUE);
}

static void
sorter_changed_cb (GtkSorter       *sorter,
                   GtkSorterChange  change,
                   CmEventList     *self)
{
  resort (self);
}

/* The session's dataset as the list's rows, sorted and filtered, at once. */
static void
take_dataset (CmEventList *self)
{
  g_clear_handle_id (&self->take_id, g_source_remove);
  clear_sort_keys (self);

  self->syncing++;
  cm_event_model_set_dataset (self->model, self->session ? cm_session_get_dataset (self->session) : NULL);
  cm_event_model_set_limit (self->model, G_MAXUINT);
  self->syncing--;

  resort (self);
}

/* The model on @dataset, sorted and filtered, with no row shown yet. */
static void
switch_dataset (CmEventList *self,
                CmDataset   *dataset)
{
  clear_sort_keys (self);
  self->syncing++;
  cm_event_model_set_limit (self->model, 0);
  cm_event_model_set_dataset (self->model, dataset);
  self->syncing--;
  resort (self);
}

/* The same a step at a time: first the last dataset's rows go, a few at
 * a time (destroying them costs as much as making them), then the new one
 * is sorted with none shown, then its rows come a few at a time. */
static gboolean
take_dataset_cb (gpointer user_data)
{
  CmEventList *self = user_data;
  CmDataset *dataset = cm_session_get_dataset (self->session);
  guint limit = cm_event_model_get_limit (self->model);

  if (cm_event_model_get_dataset (self->model) != dataset)
    {
      guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->model));

      if (shown > 0)
        {
          shown = MIN (shown, TAKE_STEP_ROWS * TAKE_STEPS);
          self->syncing++;
          cm_event_model_set_limit (self->model, shown > TAKE_STEP_ROWS ? shown - TAKE_STEP_ROWS : 0);
          self->syncing--;
          return G_SOURCE_CONTINUE;
        }
      switch_dataset (self, dataset);
      return G_SOURCE_CONTINUE;
    }

  self->syncing++;
  if (limit + TAKE_STEP_ROWS < TAKE_STEP_ROWS * TAKE_STEPS)
    {
      cm_event_model_set_limit (self->model, limit + TAKE_STEP_ROWS);
      self->syncing--;
      return G_SOURCE_CONTINUE;
    }
  cm_event_model_set_limit (self->model, G_MAXUINT);
  self->syncing--;

  self->take_id = 0;
  select_from_session (self, TRUE);
  return G_SOURCE_REMOVE;
}

/* A list on show takes a new dataset's first rows at once, so that the
 * frame that shows the file shows them, and the rest in steps as a hidden
 * list does: GTK 4.8 makes, measures and draws the two hundred rows it
 * keeps, 150 ms and more of the main thread at once. */
static void
take_first_rows (CmEventList *self)
{
  CmDataset *dataset = cm_session_get_dataset (self->session);

  if (self->take_id == 0)
    self->take_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, take_dataset_cb, self, NULL);
  if (cm_event_model_get_dataset (self->model) == dataset)
    return;

  switch_dataset (self, dataset);
  self->syncing++;
  cm_event_model_set_limit (self->model, TAKE_STEP_ROWS);
  self->syncing--;
}

static void
session_dataset_notify_cb (CmSession   *session,
                           GParamSpec  *pspec,
                           CmEventList *self)
{
  if (cm_session_get_dataset (session) == NULL)
    take_dataset (self);
  else if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    take_first_rows (self);
  else if (self->take_id == 0)
    /* After the frames that show the file (GDK_PRIORITY_REDRAW), before
     * the filter panel's rows (G_PRIORITY_LOW). */
    self->take_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, take_dataset_cb, self, NULL);
}

static void
cm_event_list_map (GtkWidget *widget)
{
  CmEventList *self = CM_EVENT_LIST (widget);

  /* Shown before the rows came: the first ones now, never the last
   * file's. */
  if (self->take_id != 0)
    take_first_rows (self);

  GTK_WIDGET_CLASS (cm_event_list_parent_class)->map (widget);
}

static void
cm_event_list_dispose (GObject *object)
{
  CmEventList *self = CM_EVENT_LIST (object);

  /* Removing the columns changes the sorter: nothing to sort any more. */
  if (self->column_view)
    g_signal_handlers_disconnect_by_data (gtk_column_view_get_sorter (self->column_view), self);
  if (self->session)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_handle_id (&self->take_id, g_source_remove);
  g_cancellable_cancel (self->sort_cancellable);
  g_clear_object (&self->sort_cancellable);

  gtk_widget_dispose_template (GTK_WIDGET (self), CM_TYPE_EVENT_LIST);
  g_clear_object (&self->session);
  g_clear_object (&self->selection);
  g_clear_object (&self->model);

  G_OBJECT_CLASS (cm_event_list_parent_class)->dispose (object);
}

static void
cm_event_list_finalize (GObject *object)
{
  clear_sort_keys (CM_EVENT_LIST (object));

  G_OBJECT_CLASS (cm_event_list_parent_class)->finalize (object);
}

static void
cm_event_list_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  CmEventList *self = CM_EVENT_LIST (object);

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
cm_event_list_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  CmEventList *self = CM_EVENT_LIST (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      cm_event_list_set_session (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cm_event_list_class_init (CmEventListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cm_event_list_dispose;
  object_class->finalize = cm_event_list_finalize;
  object_class->get_property = cm_event_list_get_property;
  object_class->set_property = cm_event_list_set_property;
  widget_class->map = cm_event_list_map;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL,
                         CM_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/cm-event-list.ui");
  gtk_widget_class_bind_template_child (widget_class, CmEventList, scroller);
  gtk_widget_class_bind_template_child (widget_class, CmEventList, column_view);
  gtk_widget_class_bind_template_child (widget_class, CmEventList, date_column);
  gtk_widget_class_bind_template_child (widget_class, CmEventList, title_column);
  gtk_widget_class_bind_template_child (widget_class, CmEventList, places_column);
  gtk_widget_class_bind_template_child (widget_class, CmEventList, actors_column);
  gtk_widget_class_bind_template_callback (widget_class, column_view_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, setup_date_cb);
  gtk_widget_class_bind_template_callback (widget_class, setup_text_cb);
  gtk_widget_class_bind_template_callback (widget_class, bind_date_cb);
  gtk_widget_class_bind_template_callback (widget_class, bind_title_cb);
  gtk_widget_class_bind_template_callback (widget_class, bind_places_cb);
  gtk_widget_class_bind_template_callback (widget_class, bind_actors_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "cm-event-list");
}

static void
set_column_sorter (GtkColumnViewColumn *column,
                   GCompareDataFunc     compare,
                   CmEventList         *self)
{
  g_autoptr(GtkCustomSorter) sorter = gtk_custom_sorter_new (compare, self, NULL);

  gtk_column_view_column_set_sorter (column, GTK_SORTER (sorter));
}

static void
cm_event_list_init (CmEventList *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->sorted_column = -1;
  self->sorting_column = -1;
  self->model = cm_event_model_new ();
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->model)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  g_signal_connect (self->selection, "notify::selected",
                    G_CALLBACK (selection_notify_cb), self);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));

  set_column_sorter (self->date_column, compare_date_cb, self);
  set_column_sorter (self->title_column, compare_title_cb, self);
  set_column_sorter (self->places_column, compare_places_cb, self);
  set_column_sorter (self->actors_column, compare_actors_cb, self);

  g_signal_connect (gtk_column_view_get_sorter (self->column_view), "changed",
                    G_CALLBACK (sorter_changed_cb), self);
  gtk_column_view_sort_by_column (self->column_view, self->date_column, GTK_SORT_ASCENDING);
}

GtkWidget *
cm_event_list_new (void)
{
  return g_object_new (CM_TYPE_EVENT_LIST, NULL);
}

CmSession *
cm_event_list_get_session (CmEventList *self)
{
  g_return_val_if_fail (CM_IS_EVENT_LIST (self), NULL);

  return self->session;
}

void
cm_event_list_set_session (CmEventList *self,
                           CmSession   *session)
{
  g_return_if_fail (CM_IS_EVENT_LIST (self));
  g_return_if_fail (!session || CM_IS_SESSION (session));

  if (self->session == session)
    return;

  if (self->session)
    g_signal_handlers_disconnect_by_data (self->session, self);

  g_set_object (&self->session, session);

  if (session)
    {
      g_signal_connect_object (session, "notify::dataset",
                               G_CALLBACK (session_dataset_notify_cb), self, 0);
      g_signal_connect_object (session, "selection-changed",
                               G_CALLBACK (session_selection_changed_cb), self, 0);
      g_signal_connect_object (session, "filter-changed",
                               G_CALLBACK (resort), self, G_CONNECT_SWAPPED);
    }

  take_dataset (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

GtkColumnView *
cm_event_list_get_column_view (CmEventList *self)
{
  g_return_val_if_fail (CM_IS_EVENT_LIST (self), NULL);

  return self->column_view;
}

gboolean
cm_event_list_is_sorting (CmEventList *self)
{
  g_return_val_if_fail (CM_IS_EVENT_LIST (self), FALSE);

  return self->sort_cancellable != NULL;
}
