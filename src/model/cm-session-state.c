/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-session-state"

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>

#include "cm-session-state.h"

static const char *facet_keys[CM_N_FACETS] = {
  [CM_FACET_GROUP] = "filter-groups",
  [CM_FACET_ACTOR] = "filter-actors",
  [CM_FACET_PLACE] = "filter-places",
  [CM_FACET_TAG] = "filter-tags",
};

static const char *selection_kinds[] = {
  [CM_SELECTION_NONE] = "none",
  [CM_SELECTION_EVENT] = "event",
  [CM_SELECTION_ACTOR] = "actor",
  [CM_SELECTION_PLACE] = "place",
};

/* The id of a facet value: groups, actors and places have ids, tags are
 * their own text. */
static const char *
facet_value_id (CmDataset *dataset,
                CmFacet    facet,
                guint      index)
{
  switch (facet)
    {
    case CM_FACET_GROUP:
      return cm_dataset_get_group (dataset, index)->id;
    case CM_FACET_ACTOR:
      return cm_dataset_get_actor (dataset, index)->id;
    case CM_FACET_PLACE:
      return cm_dataset_get_place (dataset, index)->id;
    case CM_FACET_TAG:
      return cm_dataset_get_tag (dataset, index);
    case CM_N_FACETS:
    default:
      g_assert_not_reached ();
    }
}

static guint
find_facet_value (CmDataset  *dataset,
                  CmFacet     facet,
                  const char *id)
{
  switch (facet)
    {
    case CM_FACET_GROUP:
      return cm_dataset_find_group (dataset, id);
    case CM_FACET_ACTOR:
      return cm_dataset_find_actor (dataset, id);
    case CM_FACET_PLACE:
      return cm_dataset_find_place (dataset, id);
    case CM_FACET_TAG:
      for (guint t = 0; t < cm_dataset_get_n_tags (dataset); t++)
        if (g_str_equal (cm_dataset_get_tag (dataset, t), id))
          return t;
      return CM_NONE;
    case CM_N_FACETS:
    default:
      g_assert_not_reached ();
    }
}

static const char *
selection_id (CmDataset       *dataset,
              CmSelectionKind  kind,
              guint            index)
{
  switch (kind)
    {
    case CM_SELECTION_EVENT:
      return cm_dataset_get_event (dataset, index)->id;
    case CM_SELECTION_ACTOR:
      return cm_dataset_get_actor (dataset, index)->id;
    case CM_SELECTION_PLACE:
      return cm_dataset_get_place (dataset, index)->id;
    case CM_SELECTION_NONE:
    default:
      return NULL;
    }
}

void
cm_session_state_save (CmSession  *session,
                       GKeyFile   *key_file,
                       const char *group)
{
  CmDataset *dataset;
  CmFilter *filter;
  CmSelectionKind kind;
  gint64 from, to;

  g_return_if_fail (CM_IS_SESSION (session));
  g_return_if_fail (key_file != NULL && group != NULL);

  dataset = cm_session_get_dataset (session);
  filter = cm_session_get_filter (session);
  if (dataset == NULL || filter == NULL)
    return;

  kind = cm_session_get_selection_kind (session);
  g_key_file_set_string (key_file, group, "selection", selection_kinds[kind]);
  if (kind != CM_SELECTION_NONE)
    g_key_file_set_string (key_file, group, "selection-id",
                           selection_id (dataset, kind, cm_session_get_selection_index (session)));
  else
    g_key_file_remove_key (key_file, group, "selection-id", NULL);

  for (guint f = 0; f < CM_N_FACETS; f++)
    {
      g_autoptr(GPtrArray) ids = g_ptr_array_new ();

      for (guint v = 0; v < cm_filter_get_n_values (filter, f); v++)
        if (cm_filter_get_value (filter, f, v))
          g_ptr_array_add (ids, (gpointer) facet_value_id (dataset, f, v));
      g_key_file_set_string_list (key_file, group, facet_keys[f],
                                  (const char * const *) ids->pdata, ids->len);
    }

  cm_filter_get_range (filter, &from, &to);
  g_key_file_set_int64 (key_file, group, "filter-from", from);
  g_key_file_set_int64 (key_file, group, "filter-to", to);
  g_key_file_set_string (key_file, group, "search",
                         cm_filter_get_search (filter) ? cm_filter_get_search (filter) : "");
}

gboolean
cm_session_state_restore (CmSession  *session,
                          GKeyFile   *key_file,
                          const char *group)
{
  CmDataset *dataset;
  g_autofree char *kind_name = NULL;
  g_autofree char *search = NULL;
  g_autofree char *id = NULL;

  g_return_val_if_fail (CM_IS_SESSION (session), FALSE);
  g_return_val_if_fail (key_file != NULL && group != NULL, FALSE);

  dataset = cm_session_get_dataset (session);
  if (dataset == NULL || !g_key_file_has_group (key_file, group))
    return FALSE;

  for (guint f = 0; f < CM_N_FACETS; f++)
    {
      g_auto(GStrv) ids = g_key_file_get_string_list (key_file, group, facet_keys[f], NULL, NULL);

      for (guint i = 0; ids && ids[i]; i++)
        {
          guint value = find_facet_value (dataset, f, ids[i]);

          if (value != CM_NONE)
            cm_session_set_filter_value (session, f, value, TRUE);
        }
    }

  if (g_key_file_has_key (key_file, group, "filter-from", NULL))
    cm_session_set_filter_range (session,
                                 g_key_file_get_int64 (key_file, group, "filter-from", NULL),
                                 g_key_file_get_int64 (key_file, group, "filter-to", NULL));

  search = g_key_file_get_string (key_file, group, "search", NULL);
  cm_session_set_search (session, search);

  kind_name = g_key_file_get_string (key_file, group, "selection", NULL);
  id = g_key_file_get_string (key_file, group, "selection-id", NULL);
  for (CmSelectionKind kind = CM_SELECTION_EVENT; kind_name && id && kind <= CM_SELECTION_PLACE; kind++)
    if (g_str_equal (kind_name, selection_kinds[kind]))
      {
        guint index = kind == CM_SELECTION_EVENT ? cm_dataset_find_event (dataset, id)
                    : kind == CM_SELECTION_ACTOR ? cm_dataset_find_actor (dataset, id)
                    : cm_dataset_find_place (dataset, id);

        if (index != CM_NONE)
          cm_session_select (session, kind, index);
        break;
      }

  return TRUE;
}


/* views.ini: one key file for the process, read once in a worker thread
 * and written in one after each change, so the main thread never waits
 * for the disk. Views saved before the read finishes are kept apart and
 * laid over what was read. Writes never overlap: a change during a write
 * is written after it. */

#define MAX_REMEMBERED_VIEWS 50

typedef struct
{
  CmViewStoreFunc func;
  gpointer        user_data;
  GDestroyNotify  destroy;
} Waiter;

typedef struct
{
  GKeyFile *key_file;     /* what was read, then kept up to date */
  GKeyFile *early;        /* saved before the read finished */
  GArray   *waiters;
  gboolean  writing;
  gboolean  dirty;
  char     *path;
} ViewStore;

static ViewStore *view_store;

static void
view_store_read_thread (GTask        *task,
                        gpointer      source_object,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  GKeyFile *key_file = g_key_file_new ();

  /* Missing or damaged: start afresh, it is only a convenience. */
  g_key_file_load_from_file (key_file, task_data, G_KEY_FILE_NONE, NULL);
  g_task_return_pointer (task, key_file, (GDestroyNotify) g_key_file_unref);
}

static void view_store_write (ViewStore *store);

static void
copy_groups (GKeyFile *from,
             GKeyFile *to)
{
  g_auto(GStrv) groups = g_key_file_get_groups (from, NULL);

  for (guint i = 0; groups[i]; i++)
    {
      g_auto(GStrv) keys = g_key_file_get_keys (from, groups[i], NULL, NULL);

      g_key_file_remove_group (to, groups[i], NULL);
      for (guint k = 0; keys && keys[k]; k++)
        {
          g_autofree char *value = g_key_file_get_value (from, groups[i], keys[k], NULL);

          g_key_file_set_value (to, groups[i], keys[k], value);
        }
    }
}

static void
view_store_read_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  ViewStore *store = user_data;
  g_autoptr(GArray) waiters = NULL;

  store->key_file = g_task_propagate_pointer (G_TASK (result), NULL);
  if (store->early != NULL)
    {
      copy_groups (store->early, store->key_file);
      g_clear_pointer (&store->early, g_key_file_unref);
      view_store_write (store);
    }

  waiters = g_steal_pointer (&store->waiters);
  for (guint i = 0; i < waiters->len; i++)
    {
      Waiter *waiter = &g_array_index (waiters, Waiter, i);

      waiter->func (store->key_file, waiter->user_data);
      if (waiter->destroy)
        waiter->destroy (waiter->user_data);
    }
}

static ViewStore *
get_view_store (void)
{
  if (view_store == NULL)
    {
      g_autoptr(GTask) task = NULL;

      view_store = g_new0 (ViewStore, 1);
      view_store->waiters = g_array_new (FALSE, FALSE, sizeof (Waiter));
      view_store->path = g_build_filename (g_get_user_state_dir (), "chronomap", "views.ini",
                                           NULL);
      task = g_task_new (NULL, NULL, view_store_read_cb, view_store);
      g_task_set_name (task, "[chronomap] read views.ini");
      g_task_set_task_data (task, g_strdup (view_store->path), g_free);
      g_task_run_in_thread (task, view_store_read_thread);
    }

  return view_store;
}

void
cm_view_store_when_loaded (CmViewStoreFunc func,
                           gpointer        user_data,
                           GDestroyNotify  destroy)
{
  ViewStore *store = get_view_store ();

  g_return_if_fail (func != NULL);

  if (store->key_file != NULL)
    {
      func (store->key_file, user_data);
      if (destroy)
        destroy (user_data);
    }
  else
    {
      Waiter waiter = { func, user_data, destroy };

      g_array_append_val (store->waiters, waiter);
    }
}

GKeyFile *
cm_view_store_edit (void)
{
  ViewStore *store = get_view_store ();

  if (store->key_file != NULL)
    return store->key_file;
  if (store->early == NULL)
    store->early = g_key_file_new ();
  return store->early;
}

/* Drops the files seen longest ago beyond MAX_REMEMBERED_VIEWS. */
static void
trim_views (GKeyFile *key_file)
{
  g_auto(GStrv) groups = g_key_file_get_groups (key_file, NULL);
  guint n = g_strv_length (groups);

  while (n-- > MAX_REMEMBERED_VIEWS)
    {
      const char *oldest = NULL;
      gint64 oldest_time = G_MAXINT64;

      for (guint i = 0; groups[i]; i++)
        {
          gint64 seen = g_key_file_get_int64 (key_file, groups[i], "seen", NULL);

          if (g_key_file_has_group (key_file, groups[i]) && seen < oldest_time)
            {
              oldest = groups[i];
              oldest_time = seen;
            }
        }
      g_key_file_remove_group (key_file, oldest, NULL);
    }
}

static void
view_store_write_thread (GTask        *task,
                         gpointer      source_object,
                         gpointer      task_data,
                         GCancellable *cancellable)
{
  GBytes *data = task_data;
  g_autofree char *dir = g_path_get_dirname (view_store->path);
  g_autoptr(GError) error = NULL;
  gsize length;
  const char *contents = g_bytes_get_data (data, &length);

  if (g_mkdir_with_parents (dir, 0700) != 0 ||
      !g_file_set_contents_full (view_store->path, contents, length,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
    g_debug ("Could not remember the views in %s: %s", view_store->path,
             error ? error->message : g_strerror (errno));
  g_task_return_boolean (task, TRUE);
}

static void
view_store_write_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  ViewStore *store = user_data;
  GApplication *application = g_application_get_default ();

  store->writing = FALSE;
  if (store->dirty)
    view_store_write (store);
  /* Held while writing, so that quitting waits for the file. */
  if (application != NULL)
    g_application_release (application);
}

static void
view_store_write (ViewStore *store)
{
  g_autoptr(GTask) task = NULL;
  GApplication *application = g_application_get_default ();
  gsize length;
  char *data;

  if (store->writing)
    {
      store->dirty = TRUE;
      return;
    }

  store->dirty = FALSE;
  store->writing = TRUE;
  trim_views (store->key_file);
  data = g_key_file_to_data (store->key_file, &length, NULL);
  if (application != NULL)
    g_application_hold (application);
  task = g_task_new (NULL, NULL, view_store_write_cb, store);
  g_task_set_name (task, "[chronomap] write views.ini");
  g_task_set_task_data (task, g_bytes_new_take (data, length), (GDestroyNotify) g_bytes_unref);
  g_task_run_in_thread (task, view_store_write_thread);
}

void
cm_view_store_save (void)
{
  ViewStore *store = get_view_store ();

  /* Views saved before the read are written once it is done. */
  if (store->key_file != NULL)
    view_store_write (store);
}

void
cm_view_store_flush (void)
{
  ViewStore *store = get_view_store ();

  while (store->key_file == NULL || store->writing)
    g_main_context_iteration (NULL, TRUE);
}
