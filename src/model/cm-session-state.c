/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-session-state"

#include "config.h"

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
