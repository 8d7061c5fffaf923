/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-loader"

#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n.h>

#include "cm-json-chronomap.h"

/* Validation of the native format while it fills the builder. Items go
 * into the builder only while the file has no problem (after one, the
 * builder is thrown away); ids are still registered, so that references
 * are checked all the same. */

#define CANCEL_CHECK_ITEMS 1024
#define SMALL_LIST 16


typedef enum
{
  KIND_GROUP,
  KIND_ACTOR,
  KIND_PLACE,
  KIND_PERIOD,
  KIND_EVENT,
} Kind;

typedef struct
{
  GHashTable *ids;       /* id -> slot + 1 */
  GArray     *offsets;   /* guint32: where each slot's id is */
  GArray     *stamps;    /* guint32 per slot: the last list that named it */
  Kind        kind;      /* for messages */
} IdTable;

typedef struct
{
  CmLoaderContext  *context;
  CmDatasetBuilder *builder;

  IdTable           groups;
  IdTable           actors;
  IdTable           places;
  IdTable           periods;
  IdTable           events;

  GPtrArray        *place_zones;  /* GTimeZone per place slot, or NULL */
  GHashTable       *zones;        /* name -> GTimeZone, or the reader itself if unknown */
  guint             n_items;
  gboolean          cancelled;
  guint32           stamp;        /* one per list of references read */
  GHashTable       *tag_stamps;   /* tag -> stamp of the last long list naming it */

  /* Scratch arrays for one item's lists. */
  GArray           *refs_places;
  GArray           *refs_actors;
  GPtrArray        *tags;
  GArray           *quotes;
  GArray           *links;
  GArray           *properties;
} Reader;

#define PROBLEM(reader, at, path, ...) \
  cm_loader_context_add_problem ((reader)->context, (at), (path), __VA_ARGS__)

static void
id_table_init (IdTable *table,
               Kind     kind)
{
  table->ids = g_hash_table_new (g_str_hash, g_str_equal);
  table->offsets = g_array_new (FALSE, FALSE, sizeof (guint32));
  table->stamps = g_array_new (FALSE, TRUE, sizeof (guint32));
  table->kind = kind;
}

static void
id_table_clear (IdTable *table)
{
  g_clear_pointer (&table->ids, g_hash_table_unref);
  g_clear_pointer (&table->offsets, g_array_unref);
  g_clear_pointer (&table->stamps, g_array_unref);
}

/* A slot for a new item: the next index, and the id registered under it
 * unless it is already taken (a problem). */
static guint32
id_table_add (Reader             *reader,
              IdTable            *table,
              const CmJsonNode   *id_node,
              const CmLoaderPath *path)
{
  guint32 slot = table->offsets->len;
  guint32 offset = id_node ? id_node->offset : 0;
  gpointer found;

  g_array_append_val (table->offsets, offset);
  if (id_node == NULL)
    return slot;

  found = g_hash_table_lookup (table->ids, id_node->v.string);
  if (found != NULL)
    {
      g_autofree char *quoted = cm_loader_quote (id_node->v.string);
      guint line;

      cm_loader_context_locate (reader->context,
                      g_array_index (table->offsets, guint32, GPOINTER_TO_UINT (found) - 1),
                      &line, NULL);
      /* One sentence per kind, for languages that inflect the noun. */
      switch (table->kind)
        {
        case KIND_GROUP:
          PROBLEM (reader, id_node, path, _("duplicate group id %s (first at line %u)"),
                   quoted, line);
          break;
        case KIND_ACTOR:
          PROBLEM (reader, id_node, path, _("duplicate actor id %s (first at line %u)"),
                   quoted, line);
          break;
        case KIND_PLACE:
          PROBLEM (reader, id_node, path, _("duplicate place id %s (first at line %u)"),
                   quoted, line);
          break;
        case KIND_PERIOD:
          PROBLEM (reader, id_node, path, _("duplicate period id %s (first at line %u)"),
                   quoted, line);
          break;
        case KIND_EVENT:
          PROBLEM (reader, id_node, path, _("duplicate event id %s (first at line %u)"),
                   quoted, line);
          break;
        default:
          g_assert_not_reached ();
        }
    }
  else
    g_hash_table_insert (table->ids, (gpointer) id_node->v.string, GUINT_TO_POINTER (slot + 1));

  return slot;
}

/* Items go into the builder only while the file has no problem: once it
 * has one, the builder is thrown away, and skipping it saves the work. */
static gboolean
building (Reader *reader)
{
  return cm_loader_context_get_n_problems (reader->context) == 0;
}

static gboolean
check_cancelled (Reader *reader)
{
  if (++reader->n_items % CANCEL_CHECK_ITEMS == 0)
    reader->cancelled = cm_loader_context_is_cancelled (reader->context);
  return reader->cancelled;
}

static gboolean
check_type (Reader             *reader,
            const CmJsonNode   *node,
            const CmLoaderPath *path,
            CmJsonType          type)
{
  if (node->type == type)
    return TRUE;

  PROBLEM (reader, node, path, "%s", cm_json_type_mismatch (type, node->type));
  return FALSE;
}

static gboolean
check_length (Reader             *reader,
              const CmJsonNode   *array,
              const CmLoaderPath *path)
{
  if (array->length <= G_MAXUINT16)
    return TRUE;

  PROBLEM (reader, array, path, _("too many items (at most %u)"), G_MAXUINT16);
  return FALSE;
}

/* Finds the known keys of an object; unknown keys are allowed. */
static void
read_members (Reader             *reader,
              const CmJsonNode   *object,
              const CmLoaderPath *path,
              const char *const  *keys,
              guint               n_keys,
              const CmJsonNode  **values)
{
  memset (values, 0, n_keys * sizeof (CmJsonNode *));

  for (guint i = 0; i < object->length; i++)
    {
      const CmJsonNode *key = &object->v.children[2 * i];
      const char *name = key->v.string;

      for (guint j = 0; j < n_keys; j++)
        if (name[0] == keys[j][0] && strcmp (name, keys[j]) == 0)
          {
            CmLoaderPath key_path = { path, keys[j], 0 };

            if (values[j] != NULL)
              PROBLEM (reader, key, &key_path, _("duplicate key \"%s\""), keys[j]);
            values[j] = &object->v.children[2 * i + 1];
            break;
          }
    }
}

static gboolean
require (Reader             *reader,
         const CmJsonNode   *object,
         const CmLoaderPath *path,
         const CmJsonNode   *value,
         const char         *key)
{
  if (value != NULL)
    return TRUE;

  PROBLEM (reader, object, path, _("missing required key \"%s\""), key);
  return FALSE;
}

/* A string member, or NULL if absent or wrong (a problem). */
static const char *
read_string (Reader             *reader,
             const CmJsonNode   *value,
             const CmLoaderPath *parent,
             const char         *key,
             gboolean            non_empty)
{
  CmLoaderPath path = { parent, key, 0 };

  if (value == NULL || !check_type (reader, value, &path, CM_JSON_STRING))
    return NULL;

  if (non_empty && value->length == 0)
    {
      PROBLEM (reader, value, &path, _("must not be empty"));
      return NULL;
    }

  return value->v.string;
}

static gboolean
is_valid_id (const char *id)
{
  if (!g_ascii_isalnum (id[0]))
    return FALSE;

  for (const char *p = id + 1; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '_' && *p != '.' && *p != ':' && *p != '-')
      return FALSE;

  return TRUE;
}

/* The id node if valid, else NULL (a problem if present). */
static const CmJsonNode *
read_id (Reader             *reader,
         const CmJsonNode   *value,
         const CmLoaderPath *parent)
{
  CmLoaderPath path = { parent, "id", 0 };

  if (value == NULL || !check_type (reader, value, &path, CM_JSON_STRING))
    return NULL;

  if (!is_valid_id (value->v.string))
    {
      g_autofree char *quoted = cm_loader_quote (value->v.string);

      PROBLEM (reader, value, &path,
               _("%s is not a valid id: use letters, digits, “_”, “.”, “:” and “-”, "
               "starting with a letter or digit"), quoted);
      return NULL;
    }

  return value;
}

/* The index of the item an id names, or CM_NONE (a problem). */
static guint32
read_ref (Reader             *reader,
          IdTable            *table,
          const CmJsonNode   *value,
          const CmLoaderPath *path)
{
  gpointer found;

  if (!check_type (reader, value, path, CM_JSON_STRING))
    return CM_NONE;

  found = g_hash_table_lookup (table->ids, value->v.string);
  if (found == NULL)
    {
      g_autofree char *quoted = cm_loader_quote (value->v.string);

      switch (table->kind)
        {
        case KIND_GROUP:
          PROBLEM (reader, value, path, _("unknown group %s"), quoted);
          break;
        case KIND_ACTOR:
          PROBLEM (reader, value, path, _("unknown actor %s"), quoted);
          break;
        case KIND_PLACE:
          PROBLEM (reader, value, path, _("unknown place %s"), quoted);
          break;
        default:
          g_assert_not_reached ();
        }
      return CM_NONE;
    }

  return GPOINTER_TO_UINT (found) - 1;
}

/* A latitude (@limit 90) or longitude (@limit 180). */
static gboolean
read_number (Reader             *reader,
             const CmJsonNode   *value,
             const CmLoaderPath *parent,
             const char         *key,
             double              limit,
             double             *out)
{
  CmLoaderPath path = { parent, key, 0 };

  if (!check_type (reader, value, &path, CM_JSON_NUMBER))
    return FALSE;

  /* The reader already reported numbers that overflow. */
  if (!isfinite (value->v.number))
    return FALSE;

  if (value->v.number < -limit || value->v.number > limit)
    {
      if (limit == 90)
        PROBLEM (reader, value, &path, _("latitude %g is outside [-90, 90]"), value->v.number);
      else
        PROBLEM (reader, value, &path, _("longitude %g is outside [-180, 180]"),
                 value->v.number);
      return FALSE;
    }

  *out = value->v.number;
  return TRUE;
}

static const char *
read_url (Reader             *reader,
          const CmJsonNode   *value,
          const CmLoaderPath *parent)
{
  CmLoaderPath path = { parent, "url", 0 };
  const char *url = read_string (reader, value, parent, "url", FALSE);
  const char *rest;

  if (url == NULL)
    return NULL;

  if (g_ascii_strncasecmp (url, "http://", 7) == 0)
    rest = url + 7;
  else if (g_ascii_strncasecmp (url, "https://", 8) == 0)
    rest = url + 8;
  else
    {
      PROBLEM (reader, value, &path, _("only http and https links are allowed"));
      return NULL;
    }

  for (const char *p = rest; *p != '\0'; p++)
    if (g_ascii_isspace (*p) || (guchar) *p < 0x20)
      rest = "";

  if (*rest == '\0')
    {
      g_autofree char *quoted = cm_loader_quote (url);

      PROBLEM (reader, value, &path, _("%s is not a valid link"), quoted);
      return NULL;
    }

  return url;
}

/* A date, in @zone unless it has an offset. */
static gboolean
read_date (Reader             *reader,
           const CmJsonNode   *value,
           const CmLoaderPath *parent,
           const char         *key,
           GTimeZone          *zone,
           CmTime             *out)
{
  CmLoaderPath path = { parent, key, 0 };
  g_autoptr(GError) error = NULL;
  const char *text = read_string (reader, value, parent, key, FALSE);

  if (text == NULL)
    return FALSE;

  /* cm-time's messages read "\"2025-13-01\" is not a date: month 13 ...";
   * past the hundredth problem only the count matters. */
  if (!cm_time_parse (text, zone, out,
                      cm_loader_context_wants_problem (reader->context, value) ? &error : NULL))
    {
      PROBLEM (reader, value, &path, "%s", error ? error->message : "");
      return FALSE;
    }

  return TRUE;
}

static void
check_end (Reader             *reader,
           const CmJsonNode   *start_node,
           const CmJsonNode   *end_node,
           const CmLoaderPath *parent,
           const CmTime       *start,
           const CmTime       *end)
{
  CmLoaderPath path = { parent, "end", 0 };
  g_autofree char *start_text = NULL;
  g_autofree char *end_text = NULL;

  if (end->seconds >= start->seconds)
    return;

  start_text = cm_loader_quote (start_node->v.string);
  end_text = cm_loader_quote (end_node->v.string);
  PROBLEM (reader, end_node, &path, _("end %s is before start %s"), end_text, start_text);
}

/* Links of an actor or sources of an event into reader->links. */
static void
read_links (Reader             *reader,
            const CmJsonNode   *array,
            const CmLoaderPath *parent,
            const char         *key,
            gboolean            are_sources)
{
  static const char *const keys[] = { "title", "url" };
  CmLoaderPath path = { parent, key, 0 };

  g_array_set_size (reader->links, 0);
  if (array == NULL || !check_type (reader, array, &path, CM_JSON_ARRAY) ||
      !check_length (reader, array, &path))
    return;

  for (guint i = 0; i < array->length; i++)
    {
      const CmJsonNode *object = cm_json_node_get_element (array, i);
      CmLoaderPath item = { &path, NULL, i };
      const CmJsonNode *values[G_N_ELEMENTS (keys)];
      CmLink link;

      if (!check_type (reader, object, &item, CM_JSON_OBJECT))
        continue;

      read_members (reader, object, &item, keys, G_N_ELEMENTS (keys), values);
      if (are_sources && values[0] == NULL && values[1] == NULL)
        PROBLEM (reader, object, &item, _("a source needs a \"title\" or a \"url\""));
      else if (!are_sources)
        require (reader, object, &item, values[1], "url");

      link.title = read_string (reader, values[0], &item, "title", are_sources);
      link.url = values[1] ? read_url (reader, values[1], &item) : NULL;
      g_array_append_val (reader->links, link);
    }
}

static void
read_group (Reader             *reader,
            const CmJsonNode   *object,
            const CmLoaderPath *path)
{
  static const char *const keys[] = { "id", "name", "color" };
  const CmJsonNode *values[G_N_ELEMENTS (keys)];
  const CmJsonNode *id;
  CmGroup group = { 0 };

  if (!check_type (reader, object, path, CM_JSON_OBJECT))
    return;

  read_members (reader, object, path, keys, G_N_ELEMENTS (keys), values);
  require (reader, object, path, values[0], "id");
  require (reader, object, path, values[1], "name");

  id = read_id (reader, values[0], path);
  group.name = read_string (reader, values[1], path, "name", TRUE);

  if (values[2] != NULL)
    {
      CmLoaderPath color_path = { path, "color", 0 };
      const char *color = read_string (reader, values[2], path, "color", FALSE);
      gboolean valid = color != NULL && color[0] == '#' && strlen (color) == 7;

      for (guint i = 1; valid && i < 7; i++)
        valid = g_ascii_isxdigit (color[i]);

      if (valid)
        {
          group.color = strtoul (color + 1, NULL, 16);
          group.has_color = TRUE;
        }
      else if (color != NULL)
        {
          g_autofree char *quoted = cm_loader_quote (color);

          PROBLEM (reader, values[2], &color_path, _("%s is not a colour: write it as #rrggbb"),
                   quoted);
        }
    }

  if (id == NULL)
    return;

  id_table_add (reader, &reader->groups, id, (&(CmLoaderPath) { path, "id", 0 }));
  group.id = id->v.string;
  if (building (reader))
    cm_dataset_builder_add_group (reader->builder, &group);
}

static void
read_actor (Reader             *reader,
            const CmJsonNode   *object,
            const CmLoaderPath *path)
{
  static const char *const keys[] = {
    "id", "name", "kind", "role", "group", "description", "links",
  };
  static const char *const kinds[] = {
    [CM_ACTOR_PERSON] = "person",
    [CM_ACTOR_GOVERNMENT] = "government",
    [CM_ACTOR_ORGANISATION] = "organisation",
    [CM_ACTOR_GROUP] = "group",
    [CM_ACTOR_OTHER] = "other",
  };
  const CmJsonNode *values[G_N_ELEMENTS (keys)];
  const CmJsonNode *id;
  CmActor actor = { 0 };
  const char *kind;

  if (!check_type (reader, object, path, CM_JSON_OBJECT))
    return;

  read_members (reader, object, path, keys, G_N_ELEMENTS (keys), values);
  require (reader, object, path, values[0], "id");
  require (reader, object, path, values[1], "name");

  id = read_id (reader, values[0], path);
  actor.name = read_string (reader, values[1], path, "name", TRUE);
  actor.kind = CM_ACTOR_OTHER;
  kind = read_string (reader, values[2], path, "kind", FALSE);
  if (kind != NULL)
    {
      guint i;

      for (i = 0; i < G_N_ELEMENTS (kinds) && strcmp (kind, kinds[i]) != 0; i++)
        ;
      if (i < G_N_ELEMENTS (kinds))
        actor.kind = i;
      else
        {
          g_autofree char *quoted = cm_loader_quote (kind);

          PROBLEM (reader, values[2], (&(CmLoaderPath) { path, "kind", 0 }),
                   _("%s is not a kind of actor: use person, government, organisation, "
                   "group or other"), quoted);
        }
    }
  actor.role = read_string (reader, values[3], path, "role", FALSE);
  actor.group = CM_NONE;
  if (values[4] != NULL)
    actor.group = read_ref (reader, &reader->groups, values[4],
                            (&(CmLoaderPath) { path, "group", 0 }));
  actor.description = read_string (reader, values[5], path, "description", FALSE);
  read_links (reader, values[6], path, "links", FALSE);

  if (id == NULL)
    return;

  id_table_add (reader, &reader->actors, id, (&(CmLoaderPath) { path, "id", 0 }));
  actor.id = id->v.string;
  if (building (reader))
    cm_dataset_builder_add_actor (reader->builder, &actor,
                                  (const CmLink *) reader->links->data, reader->links->len);
}

/* A time zone by IANA name, loaded once per name; NULL if unknown. */
static GTimeZone *
lookup_zone (Reader     *reader,
             const char *name)
{
  gpointer found;

  if (!g_hash_table_lookup_extended (reader->zones, name, NULL, &found))
    {
      gboolean plausible = g_ascii_isalpha (name[0]);

      /* Only names: g_time_zone_new_identifier() would also take "+03:00". */
      for (const char *p = name; plausible && *p != '\0'; p++)
        plausible = g_ascii_isalnum (*p) || strchr ("_+-/", *p) != NULL;

      found = plausible ? g_time_zone_new_identifier (name) : NULL;
      g_hash_table_insert (reader->zones, g_strdup (name), found);
    }

  return found;
}

static void
read_place (Reader             *reader,
            const CmJsonNode   *object,
            const CmLoaderPath *path)
{
  static const char *const keys[] = { "id", "name", "country", "lat", "lon", "timezone" };
  const CmJsonNode *values[G_N_ELEMENTS (keys)];
  const CmJsonNode *id;
  CmPlace place = { 0 };
  GTimeZone *zone = NULL;

  if (!check_type (reader, object, path, CM_JSON_OBJECT))
    return;

  read_members (reader, object, path, keys, G_N_ELEMENTS (keys), values);
  require (reader, object, path, values[0], "id");
  require (reader, object, path, values[1], "name");
  require (reader, object, path, values[3], "lat");
  require (reader, object, path, values[4], "lon");

  id = read_id (reader, values[0], path);
  place.name = read_string (reader, values[1], path, "name", TRUE);
  place.country = read_string (reader, values[2], path, "country", FALSE);
  if (values[3] != NULL)
    read_number (reader, values[3], path, "lat", 90, &place.lat);
  if (values[4] != NULL)
    read_number (reader, values[4], path, "lon", 180, &place.lon);
  place.timezone = read_string (reader, values[5], path, "timezone", FALSE);
  if (place.timezone != NULL)
    {
      zone = lookup_zone (reader, place.timezone);
      if (zone == NULL)
        {
          g_autofree char *quoted = cm_loader_quote (place.timezone);

          PROBLEM (reader, values[5], (&(CmLoaderPath) { path, "timezone", 0 }),
                   _("unknown time zone %s"), quoted);
        }
    }

  if (id == NULL)
    return;

  id_table_add (reader, &reader->places, id, (&(CmLoaderPath) { path, "id", 0 }));
  g_ptr_array_add (reader->place_zones, zone);
  place.id = id->v.string;
  if (building (reader))
    cm_dataset_builder_add_place (reader->builder, &place);
}

static void
read_period (Reader             *reader,
             const CmJsonNode   *object,
             const CmLoaderPath *path)
{
  static const char *const keys[] = { "id", "title", "start", "end", "description" };
  const CmJsonNode *values[G_N_ELEMENTS (keys)];
  const CmJsonNode *id = NULL;
  CmPeriod period = { 0 };
  gboolean has_start;

  if (!check_type (reader, object, path, CM_JSON_OBJECT))
    return;

  read_members (reader, object, path, keys, G_N_ELEMENTS (keys), values);
  require (reader, object, path, values[1], "title");
  require (reader, object, path, values[2], "start");

  if (values[0] != NULL && (id = read_id (reader, values[0], path)) != NULL)
    id_table_add (reader, &reader->periods, id, (&(CmLoaderPath) { path, "id", 0 }));
  period.id = id ? id->v.string : NULL;
  period.title = read_string (reader, values[1], path, "title", TRUE);
  has_start = values[2] && read_date (reader, values[2], path, "start", NULL, &period.start);
  if (values[3] != NULL)
    {
      period.has_end = read_date (reader, values[3], path, "end", NULL, &period.end);
      if (has_start && period.has_end)
        check_end (reader, values[2], values[3], path, &period.start, &period.end);
    }
  period.description = read_string (reader, values[4], path, "description", FALSE);

  if (building (reader))
    cm_dataset_builder_add_period (reader->builder, &period);
}

/* An event's list of places or actors into @out. */
static void
read_refs (Reader             *reader,
           IdTable            *table,
           const CmJsonNode   *array,
           const CmLoaderPath *parent,
           const char         *key,
           GArray             *out)
{
  CmLoaderPath path = { parent, key, 0 };
  guint32 stamp;

  g_array_set_size (out, 0);
  if (array == NULL || !check_type (reader, array, &path, CM_JSON_ARRAY) ||
      !check_length (reader, array, &path))
    return;

  /* A repeat is a slot already stamped by this list: constant time per
   * item, however long the list (the first stamp is 1). */
  stamp = ++reader->stamp;
  if (table->stamps->len < table->offsets->len)
    g_array_set_size (table->stamps, table->offsets->len);

  for (guint i = 0; i < array->length; i++)
    {
      CmLoaderPath item = { &path, NULL, i };
      const CmJsonNode *value = cm_json_node_get_element (array, i);
      guint32 index = read_ref (reader, table, value, &item);
      guint32 *seen;

      if (index == CM_NONE)
        continue;

      seen = &g_array_index (table->stamps, guint32, index);
      if (*seen == stamp)
        {
          g_autofree char *quoted = cm_loader_quote (value->v.string);

          if (table->kind == KIND_PLACE)
            PROBLEM (reader, value, &item, _("place %s is listed twice"), quoted);
          else
            PROBLEM (reader, value, &item, _("actor %s is listed twice"), quoted);
        }
      else
        {
          *seen = stamp;
          g_array_append_val (out, index);
        }
    }
}

static void
read_tags (Reader             *reader,
           const CmJsonNode   *array,
           const CmLoaderPath *parent)
{
  CmLoaderPath path = { parent, "tags", 0 };
  guint32 stamp = 0;

  g_ptr_array_set_size (reader->tags, 0);
  if (array == NULL || !check_type (reader, array, &path, CM_JSON_ARRAY) ||
      !check_length (reader, array, &path))
    return;

  /* A few tags are compared in place; a long list goes through a table of
   * tag -> the last list that named it, so that 65,535 distinct tags cost
   * 65,535 lookups, not two billion comparisons. */
  if (array->length > SMALL_LIST)
    stamp = ++reader->stamp;

  for (guint i = 0; i < array->length; i++)
    {
      CmLoaderPath item = { &path, NULL, i };
      const CmJsonNode *value = cm_json_node_get_element (array, i);
      const char *tag;
      gboolean repeated = FALSE;

      if (!check_type (reader, value, &item, CM_JSON_STRING))
        continue;
      tag = value->v.string;
      if (*tag == '\0')
        {
          PROBLEM (reader, value, &item, _("must not be empty"));
          continue;
        }

      if (stamp != 0)
        {
          repeated = GPOINTER_TO_UINT (g_hash_table_lookup (reader->tag_stamps, tag)) == stamp;
          if (!repeated)
            g_hash_table_insert (reader->tag_stamps, (gpointer) tag, GUINT_TO_POINTER (stamp));
        }
      else
        for (guint j = 0; j < reader->tags->len && !repeated; j++)
          repeated = strcmp (g_ptr_array_index (reader->tags, j), tag) == 0;

      if (repeated)
        {
          g_autofree char *quoted = cm_loader_quote (tag);

          PROBLEM (reader, value, &item, _("tag %s is listed twice"), quoted);
        }
      else
        g_ptr_array_add (reader->tags, (gpointer) tag);
    }
}

static void
read_quotes (Reader             *reader,
             const CmJsonNode   *array,
             const CmLoaderPath *parent)
{
  static const char *const keys[] = { "actor", "text" };
  CmLoaderPath path = { parent, "quotes", 0 };

  g_array_set_size (reader->quotes, 0);
  if (array == NULL || !check_type (reader, array, &path, CM_JSON_ARRAY) ||
      !check_length (reader, array, &path))
    return;

  for (guint i = 0; i < array->length; i++)
    {
      const CmJsonNode *object = cm_json_node_get_element (array, i);
      CmLoaderPath item = { &path, NULL, i };
      const CmJsonNode *values[G_N_ELEMENTS (keys)];
      CmQuote quote_item = { CM_NONE, NULL };

      if (!check_type (reader, object, &item, CM_JSON_OBJECT))
        continue;

      read_members (reader, object, &item, keys, G_N_ELEMENTS (keys), values);
      require (reader, object, &item, values[1], "text");
      if (values[0] != NULL)
        quote_item.actor = read_ref (reader, &reader->actors, values[0],
                                     (&(CmLoaderPath) { &item, "actor", 0 }));
      quote_item.text = read_string (reader, values[1], &item, "text", TRUE);
      g_array_append_val (reader->quotes, quote_item);
    }
}

/* "undated": true marks an event with no known date (imported from a
 * story): it then has no "start" or "end". */
static gboolean
read_undated (Reader             *reader,
              const CmJsonNode   *value,
              const CmJsonNode   *start,
              const CmJsonNode   *end,
              const CmLoaderPath *parent)
{
  CmLoaderPath path = { parent, "undated", 0 };

  if (value == NULL)
    return FALSE;
  if (value->type != CM_JSON_TRUE && value->type != CM_JSON_FALSE)
    {
      PROBLEM (reader, value, &path, _("expected true or false, found %s"),
               cm_json_type_name (value->type));
      return FALSE;
    }
  if (value->type == CM_JSON_FALSE)
    return FALSE;
  if (start != NULL || end != NULL)
    PROBLEM (reader, start ? start : end, (&(CmLoaderPath) { parent, start ? "start" : "end", 0 }),
             _("an undated event has no start or end"));
  return TRUE;
}

/* "properties": [{"key": "mag", "value": "4.5"}, ...], kept from imports. */
static void
read_properties (Reader             *reader,
                 const CmJsonNode   *array,
                 const CmLoaderPath *parent)
{
  static const char *const keys[] = { "key", "value" };
  CmLoaderPath path = { parent, "properties", 0 };

  g_array_set_size (reader->properties, 0);
  if (array == NULL || !check_type (reader, array, &path, CM_JSON_ARRAY) ||
      !check_length (reader, array, &path))
    return;

  for (guint i = 0; i < array->length; i++)
    {
      const CmJsonNode *object = cm_json_node_get_element (array, i);
      CmLoaderPath item = { &path, NULL, i };
      const CmJsonNode *values[G_N_ELEMENTS (keys)];
      CmProperty property;

      if (!check_type (reader, object, &item, CM_JSON_OBJECT))
        continue;

      read_members (reader, object, &item, keys, G_N_ELEMENTS (keys), values);
      require (reader, object, &item, values[0], "key");
      require (reader, object, &item, values[1], "value");
      property.key = read_string (reader, values[0], &item, "key", TRUE);
      property.value = read_string (reader, values[1], &item, "value", FALSE);
      if (property.key != NULL && property.value != NULL)
        g_array_append_val (reader->properties, property);
    }
}

static void
read_event (Reader             *reader,
            const CmJsonNode   *object,
            const CmLoaderPath *path)
{
  static const char *const keys[] = {
    "id", "title", "start", "end", "places", "actors", "tags", "summary", "quotes", "sources",
    "undated", "properties",
  };
  enum { ID, TITLE, START, END, PLACES, ACTORS, TAGS, SUMMARY, QUOTES, SOURCES, UNDATED,
         PROPERTIES };
  const CmJsonNode *values[G_N_ELEMENTS (keys)];
  const CmJsonNode *id;
  CmEvent event = { 0 };
  const char *summary;
  GTimeZone *zone = NULL;
  gboolean has_start;

  if (!check_type (reader, object, path, CM_JSON_OBJECT))
    return;

  read_members (reader, object, path, keys, G_N_ELEMENTS (keys), values);
  require (reader, object, path, values[ID], "id");
  require (reader, object, path, values[TITLE], "title");
  event.undated = read_undated (reader, values[UNDATED], values[START], values[END], path);
  if (!event.undated)
    require (reader, object, path, values[START], "start");

  id = read_id (reader, values[ID], path);
  if (id != NULL)
    id_table_add (reader, &reader->events, id, (&(CmLoaderPath) { path, "id", 0 }));
  event.id = id ? id->v.string : NULL;
  event.title = read_string (reader, values[TITLE], path, "title", TRUE);

  /* Places first: times without an offset are local to the first one. */
  read_refs (reader, &reader->places, values[PLACES], path, "places", reader->refs_places);
  read_refs (reader, &reader->actors, values[ACTORS], path, "actors", reader->refs_actors);
  if (reader->refs_places->len > 0)
    zone = g_ptr_array_index (reader->place_zones, g_array_index (reader->refs_places, guint32, 0));

  has_start = !event.undated && values[START] && read_date (reader, values[START], path, "start", zone, &event.start);
  if (values[END] != NULL && !event.undated)
    {
      event.has_end = read_date (reader, values[END], path, "end", zone, &event.end);
      if (has_start && event.has_end)
        check_end (reader, values[START], values[END], path, &event.start, &event.end);
    }

  read_tags (reader, values[TAGS], path);
  summary = read_string (reader, values[SUMMARY], path, "summary", FALSE);
  read_quotes (reader, values[QUOTES], path);
  read_links (reader, values[SOURCES], path, "sources", TRUE);
  read_properties (reader, values[PROPERTIES], path);

  if (building (reader))
    {
      guint32 index;

      index = cm_dataset_builder_add_event (reader->builder, &event,
                                            (const guint32 *) reader->refs_places->data,
                                            reader->refs_places->len,
                                            (const guint32 *) reader->refs_actors->data,
                                            reader->refs_actors->len,
                                            (const char *const *) reader->tags->pdata,
                                            reader->tags->len,
                                            (const CmQuote *) reader->quotes->data,
                                            reader->quotes->len,
                                            (const CmLink *) reader->links->data,
                                            reader->links->len);
      cm_dataset_builder_set_event_summary (reader->builder, index, summary);
      cm_dataset_builder_set_event_properties (reader->builder, index,
                                               (const CmProperty *) reader->properties->data,
                                               reader->properties->len);
    }
}

typedef void (*ReadItemFunc) (Reader             *reader,
                              const CmJsonNode   *object,
                              const CmLoaderPath *path);

static void
read_list (Reader           *reader,
           const CmJsonNode *array,
           const char       *key,
           ReadItemFunc      read_item)
{
  CmLoaderPath path = { NULL, key, 0 };

  if (array == NULL || !check_type (reader, array, &path, CM_JSON_ARRAY))
    return;

  for (guint i = 0; i < array->length && !check_cancelled (reader); i++)
    {
      CmLoaderPath item = { &path, NULL, i };

      read_item (reader, cm_json_node_get_element (array, i), &item);
    }
}

static void
unref_zone (gpointer zone)
{
  if (zone != NULL)
    g_time_zone_unref (zone);
}

static void
reader_init (Reader           *reader,
             CmLoaderContext  *context,
             CmDatasetBuilder *builder)
{
  memset (reader, 0, sizeof *reader);
  reader->context = context;
  reader->builder = builder;
  id_table_init (&reader->groups, KIND_GROUP);
  id_table_init (&reader->actors, KIND_ACTOR);
  id_table_init (&reader->places, KIND_PLACE);
  id_table_init (&reader->periods, KIND_PERIOD);
  id_table_init (&reader->events, KIND_EVENT);
  reader->place_zones = g_ptr_array_new ();
  reader->zones = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         unref_zone);
  reader->refs_places = g_array_new (FALSE, FALSE, sizeof (guint32));
  reader->refs_actors = g_array_new (FALSE, FALSE, sizeof (guint32));
  reader->tags = g_ptr_array_new ();
  reader->tag_stamps = g_hash_table_new (g_str_hash, g_str_equal);
  reader->quotes = g_array_new (FALSE, FALSE, sizeof (CmQuote));
  reader->links = g_array_new (FALSE, FALSE, sizeof (CmLink));
  reader->properties = g_array_new (FALSE, FALSE, sizeof (CmProperty));
}

static void
reader_clear (Reader *reader)
{
  id_table_clear (&reader->groups);
  id_table_clear (&reader->actors);
  id_table_clear (&reader->places);
  id_table_clear (&reader->periods);
  id_table_clear (&reader->events);
  g_clear_pointer (&reader->place_zones, g_ptr_array_unref);
  g_clear_pointer (&reader->zones, g_hash_table_unref);
  g_clear_pointer (&reader->refs_places, g_array_unref);
  g_clear_pointer (&reader->refs_actors, g_array_unref);
  g_clear_pointer (&reader->tags, g_ptr_array_unref);
  g_clear_pointer (&reader->tag_stamps, g_hash_table_unref);
  g_clear_pointer (&reader->quotes, g_array_unref);
  g_clear_pointer (&reader->links, g_array_unref);
  g_clear_pointer (&reader->properties, g_array_unref);
}

void
cm_json_chronomap_read (CmLoaderContext  *context,
                        const CmJsonNode *root,
                        CmDatasetBuilder *builder)
{
  static const char *const keys[] = {
    "chronomap", "title", "description", "groups", "actors", "places", "periods", "events",
  };
  enum { VERSION, TITLE, DESCRIPTION, GROUPS, ACTORS, PLACES, PERIODS, EVENTS };
  const CmJsonNode *values[G_N_ELEMENTS (keys)];
  Reader reader;

  reader_init (&reader, context, builder);
  read_members (&reader, root, NULL, keys, G_N_ELEMENTS (keys), values);

  if (require (&reader, root, NULL, values[VERSION], "chronomap") &&
      check_type (&reader, values[VERSION], (&(CmLoaderPath) { NULL, "chronomap", 0 }),
                  CM_JSON_NUMBER) &&
      values[VERSION]->v.number != 1)
    {
      /* A newer file would only bring a flood of confusing problems. */
      PROBLEM (&reader, values[VERSION], (&(CmLoaderPath) { NULL, "chronomap", 0 }),
               _("unknown version %g; this Chronomap reads version 1"), values[VERSION]->v.number);
      reader_clear (&reader);
      return;
    }
  require (&reader, root, NULL, values[EVENTS], "events");

  cm_dataset_builder_set_title (builder,
                                read_string (&reader, values[TITLE], NULL, "title", FALSE),
                                read_string (&reader, values[DESCRIPTION], NULL,
                                             "description", FALSE));

  read_list (&reader, values[GROUPS], "groups", read_group);
  read_list (&reader, values[ACTORS], "actors", read_actor);
  read_list (&reader, values[PLACES], "places", read_place);
  read_list (&reader, values[PERIODS], "periods", read_period);
  read_list (&reader, values[EVENTS], "events", read_event);

  reader_clear (&reader);
}
