/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-import"

#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n.h>

#include "cm-import-geojson.h"
#include "cm-json-writer.h"

/* GeoJSON has no fixed names for time or title, so they are found by
 * looking at the properties of all features once:
 *
 * - the time is the first of time_keys that some feature has (USGS feeds:
 *   "time", epoch milliseconds), and the end the first of end_keys; a
 *   number is epoch seconds, or milliseconds when larger than 10^11 (a
 *   number of seconds that large is past the year 5000); a string is
 *   ISO 8601 (a space for the "T" is accepted) or such a number;
 * - the title the first of title_keys (USGS: "title"), the summary the
 *   first of summary_keys, a link the first of url_keys;
 * - the group the first of group_keys with 2 to MAX_GROUPS distinct text
 *   values (USGS: "type": earthquake, quarry blast, explosion);
 * - the place is the geometry's point (for lines and polygons, the middle
 *   of their bounding box), named by "place" or "name" if there is one,
 *   else by its coordinates.
 *
 * All other properties are kept as the event's key–value list. A feature
 * without the time property is an undated event; one whose time cannot be
 * read is a problem. */

#define MAX_GROUPS 12
#define KEY_SAMPLE 1000

static const char *const time_keys[] = {
  "time", "timestamp", "datetime", "date_time", "date", "start", "start_time", "starttime",
  "start_date", "startdate", "begin", "when", "dtg", "acq_date",
};
static const char *const end_keys[] = {
  "end", "end_time", "endtime", "end_date", "enddate", "stop", "until",
};
static const char *const title_keys[] = {
  "title", "name", "headline", "label", "event", "place",
};
static const char *const summary_keys[] = {
  "description", "summary", "text", "body", "details",
};
static const char *const url_keys[] = {
  "url", "link", "href", "website", "source",
};
static const char *const group_keys[] = {
  "group", "category", "type", "kind", "class", "layer", "status",
};
/* Not "name": that is the feature's own name, and features at one point
 * share one place. */
static const char *const place_keys[] = {
  "place", "location", "city", "address",
};

#define PROBLEM(import, at, path, ...) \
  cm_loader_context_add_problem (cm_import_get_context (import), (at), (path), __VA_ARGS__)

/* What each property of a feature is for. */
enum
{
  ROLE_TIME, ROLE_END, ROLE_TITLE, ROLE_SUMMARY, ROLE_URL, ROLE_GROUP, ROLE_PLACE,
  N_ROLES
};

typedef struct
{
  CmImport   *import;
  const char *time_key;
  const char *end_key;
  const char *title_key;
  const char *summary_key;
  const char *url_key;
  const char *group_key;
  const char *place_key;
  const char *role_keys[N_ROLES];
  GHashTable *key_info;   /* key -> get_key_info () + 1; keys are the document's */
} Reader;


gboolean
cm_import_geojson_detect (const CmJsonNode *root)
{
  const CmJsonNode *type = cm_json_node_get_member_of_type (root, "type", CM_JSON_STRING);

  return type != NULL && strcmp (type->v.string, "FeatureCollection") == 0 &&
         cm_json_node_get_member (root, "features") != NULL;
}

typedef struct
{
  guint       count;
  GHashTable *values;   /* distinct text values, up to MAX_GROUPS + 1; NULL when not text */
  gboolean    not_text;
} KeyStats;

static void
free_stats (gpointer data)
{
  KeyStats *stats = data;

  g_clear_pointer (&stats->values, g_hash_table_unref);
  g_free (stats);
}

/* The first of @keys that @stats has (case-sensitive first, then not).
 * Compare the result with strcmp: each feature has its own key strings. */
static const char *
pick_key (GHashTable        *stats,
          const char *const *keys,
          guint              n_keys,
          const char        *not_this)
{
  for (guint i = 0; i < n_keys; i++)
    if (g_hash_table_contains (stats, keys[i]) && g_strcmp0 (keys[i], not_this) != 0)
      return keys[i];

  for (guint i = 0; i < n_keys; i++)
    {
      GHashTableIter iter;
      const char *key;

      g_hash_table_iter_init (&iter, stats);
      while (g_hash_table_iter_next (&iter, (gpointer *) &key, NULL))
        if (g_ascii_strcasecmp (key, keys[i]) == 0 && g_strcmp0 (key, not_this) != 0)
          return key;
    }

  return NULL;
}

static void
find_keys (Reader           *reader,
           const CmJsonNode *features)
{
  g_autoptr(GHashTable) stats = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, free_stats);

  /* The first thousand features and a thousand more spread over the rest
   * tell which keys there are: looking at all of them cost as much as the
   * rest of the import. */
  guint step = features->length > 2 * KEY_SAMPLE ? features->length / KEY_SAMPLE : 1;

  for (guint i = 0; i < features->length; i += i < KEY_SAMPLE ? 1 : step)
    {
      const CmJsonNode *properties =
        cm_json_node_get_member_of_type (cm_json_node_get_element (features, i), "properties", CM_JSON_OBJECT);

      for (guint j = 0; properties != NULL && j < properties->length; j++)
        {
          const char *key = properties->v.children[2 * j].v.string;
          const CmJsonNode *value = &properties->v.children[2 * j + 1];
          KeyStats *key_stats = g_hash_table_lookup (stats, key);

          if (value->type == CM_JSON_NULL)
            continue;
          if (key_stats == NULL)
            {
              key_stats = g_new0 (KeyStats, 1);
              key_stats->values = g_hash_table_new (g_str_hash, g_str_equal);
              g_hash_table_insert (stats, (gpointer) key, key_stats);
            }
          key_stats->count++;
          if (value->type != CM_JSON_STRING)
            key_stats->not_text = TRUE;
          else if (key_stats->values != NULL &&
                   g_hash_table_size (key_stats->values) <= MAX_GROUPS)
            g_hash_table_add (key_stats->values, (gpointer) value->v.string);
        }
    }

  reader->time_key = pick_key (stats, time_keys, G_N_ELEMENTS (time_keys), NULL);
  reader->end_key = pick_key (stats, end_keys, G_N_ELEMENTS (end_keys), reader->time_key);
  reader->title_key = pick_key (stats, title_keys, G_N_ELEMENTS (title_keys), NULL);
  reader->summary_key = pick_key (stats, summary_keys, G_N_ELEMENTS (summary_keys),
                                  reader->title_key);
  reader->url_key = pick_key (stats, url_keys, G_N_ELEMENTS (url_keys), NULL);
  reader->place_key = pick_key (stats, place_keys, G_N_ELEMENTS (place_keys), NULL);

  for (guint i = 0; i < G_N_ELEMENTS (group_keys) && reader->group_key == NULL; i++)
    {
      GHashTableIter iter;
      const char *key;
      KeyStats *key_stats;

      g_hash_table_iter_init (&iter, stats);
      while (g_hash_table_iter_next (&iter, (gpointer *) &key, (gpointer *) &key_stats))
        if (g_ascii_strcasecmp (key, group_keys[i]) == 0 && !key_stats->not_text &&
            g_hash_table_size (key_stats->values) >= 2 &&
            g_hash_table_size (key_stats->values) <= MAX_GROUPS &&
            g_strcmp0 (key, reader->title_key) != 0 && g_strcmp0 (key, reader->time_key) != 0)
          {
            reader->group_key = key;
            break;
          }
    }
}

static void
set_roles (Reader *reader)
{
  reader->role_keys[ROLE_TIME] = reader->time_key;
  reader->role_keys[ROLE_END] = reader->end_key;
  reader->role_keys[ROLE_TITLE] = reader->title_key;
  reader->role_keys[ROLE_SUMMARY] = reader->summary_key;
  reader->role_keys[ROLE_URL] = reader->url_key;
  reader->role_keys[ROLE_GROUP] = reader->group_key;
  reader->role_keys[ROLE_PLACE] = reader->place_key;
}

#define SHOWN_ROLES ((1 << ROLE_TIME) | (1 << ROLE_END) | (1 << ROLE_TITLE) | \
                     (1 << ROLE_SUMMARY) | (1 << ROLE_URL))
#define TIME_LIKE   (1 << N_ROLES)

static gboolean
is_time_like (const char *key)
{
  static const char *const other_time_keys[] = { "updated", "modified", "created", "generated" };

  for (guint i = 0; i < G_N_ELEMENTS (other_time_keys); i++)
    if (g_ascii_strcasecmp (key, other_time_keys[i]) == 0)
      return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (time_keys); i++)
    if (g_ascii_strcasecmp (key, time_keys[i]) == 0)
      return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (end_keys); i++)
    if (g_ascii_strcasecmp (key, end_keys[i]) == 0)
      return TRUE;
  return FALSE;
}

/* The roles of a property key as a bit mask (a key may be both the
 * title and the place), plus TIME_LIKE; worked out once per distinct key. */
static guint
get_key_info (Reader     *reader,
              const char *key)
{
  gpointer found = g_hash_table_lookup (reader->key_info, key);
  guint info = 0;

  if (found != NULL)
    return GPOINTER_TO_UINT (found) - 1;

  for (int r = 0; r < N_ROLES; r++)
    if (reader->role_keys[r] != NULL && strcmp (reader->role_keys[r], key) == 0)
      info |= 1 << r;
  if (is_time_like (key))
    info |= TIME_LIKE;
  g_hash_table_insert (reader->key_info, (gpointer) key, GUINT_TO_POINTER (info + 1));

  return info;
}

/* A string with something other than white space in it, or NULL. */
static const char *
node_text (const CmJsonNode *value)
{
  if (value == NULL || value->type != CM_JSON_STRING)
    return NULL;
  for (const char *p = value->v.string; *p != '\0'; p++)
    if (!g_ascii_isspace (*p))
      return value->v.string;
  return NULL;
}

/* A time from a number of seconds or milliseconds since 1970. */
static gboolean
epoch_time (double  number,
            CmTime *out)
{
  gint64 seconds;

  if (!isfinite (number))
    return FALSE;
  if (fabs (number) > 1e11)
    number /= 1000;
  /* Within the years Chronomap supports. */
  if (fabs (number) > 3e13)
    return FALSE;

  seconds = (gint64) floor (number);
  memset (out, 0, sizeof *out);
  out->seconds = seconds;
  out->precision = CM_PRECISION_SECOND;
  out->has_zone = TRUE;
  return TRUE;
}

static gboolean
read_time (Reader             *reader,
           const CmJsonNode   *value,
           const CmLoaderPath *path,
           CmTime             *out)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  char *end;
  double number;

  if (value->type == CM_JSON_NUMBER)
    {
      if (epoch_time (value->v.number, out))
        return TRUE;
      PROBLEM (reader->import, value, path, _("%g is not a time Chronomap can show"),
               value->v.number);
      return FALSE;
    }

  if (value->type != CM_JSON_STRING)
    {
      PROBLEM (reader->import, value, path,
               _("expected a date or a number of seconds since 1970, found %s"),
               cm_json_type_name (value->type));
      return FALSE;
    }

  text = g_strstrip (g_strdup (value->v.string));
  number = g_ascii_strtod (text, &end);
  /* Nine digits or more: seconds since 1970 (from 1973 on) or
   * milliseconds; "20240412" is a date written without hyphens, for the
   * date parser to explain. */
  if (*text != '\0' && *end == '\0' && strchr (text, '-') == NULL &&
      strlen (text) >= 9 && epoch_time (number, out))
    return TRUE;

  /* "2025-02-18 10:00:00" is common outside ISO 8601. */
  if (strlen (text) > 10 && text[10] == ' ')
    text[10] = 'T';
  if (!cm_time_parse (text, NULL, out, &error))
    {
      PROBLEM (reader->import, value, path, "%s", error->message);
      return FALSE;
    }

  return TRUE;
}

/* Extends the bounding box with every position in a coordinates array. */
static gboolean
add_positions (const CmJsonNode *coordinates,
               double           *box,
               guint             depth)
{
  const CmJsonNode *first;

  if (coordinates->type != CM_JSON_ARRAY || coordinates->length == 0 || depth > 4)
    return FALSE;

  first = cm_json_node_get_element (coordinates, 0);
  if (first->type == CM_JSON_NUMBER)
    {
      const CmJsonNode *lat = cm_json_node_get_element (coordinates, 1);

      if (coordinates->length < 2 || lat->type != CM_JSON_NUMBER)
        return FALSE;
      box[0] = MIN (box[0], first->v.number);
      box[1] = MIN (box[1], lat->v.number);
      box[2] = MAX (box[2], first->v.number);
      box[3] = MAX (box[3], lat->v.number);
      return TRUE;
    }

  for (guint i = 0; i < coordinates->length; i++)
    if (!add_positions (cm_json_node_get_element (coordinates, i), box, depth + 1))
      return FALSE;
  return TRUE;
}

/* The point of a geometry: a Point's own; the middle of the bounding box
 * of anything else. FALSE (a problem) if it has none. */
static gboolean
read_point (Reader             *reader,
            const CmJsonNode   *geometry,
            const CmLoaderPath *path,
            double             *lat,
            double             *lon)
{
  const CmJsonNode *type, *coordinates;
  CmLoaderPath coordinates_path = { path, "coordinates", 0 };
  double box[4] = { INFINITY, INFINITY, -INFINITY, -INFINITY };

  /* A geometry that is not an object (found by fuzz-import). */
  if (geometry->type != CM_JSON_OBJECT)
    {
      PROBLEM (reader->import, geometry, path, "%s",
               cm_json_type_mismatch (CM_JSON_OBJECT, geometry->type));
      return FALSE;
    }
  type = cm_json_node_get_member_of_type (geometry, "type", CM_JSON_STRING);
  coordinates = cm_json_node_get_member (geometry, "coordinates");

  if (type != NULL && strcmp (type->v.string, "GeometryCollection") == 0)
    {
      const CmJsonNode *geometries = cm_json_node_get_member_of_type (geometry, "geometries", CM_JSON_ARRAY);
      CmLoaderPath geometries_path = { path, "geometries", 0 };
      CmLoaderPath first_path = { &geometries_path, NULL, 0 };

      if (geometries != NULL && geometries->length > 0)
        return read_point (reader, cm_json_node_get_element (geometries, 0), &first_path,
                           lat, lon);
      PROBLEM (reader->import, geometry, path, _("an empty GeometryCollection has no place"));
      return FALSE;
    }

  if (type == NULL || coordinates == NULL)
    {
      PROBLEM (reader->import, geometry, path,
               _("a geometry needs a \"type\" and \"coordinates\""));
      return FALSE;
    }

  if (!add_positions (coordinates, box, 0))
    {
      PROBLEM (reader->import, coordinates, &coordinates_path,
               _("expected positions of numbers, as in [longitude, latitude]"));
      return FALSE;
    }

  *lon = (box[0] + box[2]) / 2;
  *lat = (box[1] + box[3]) / 2;
  return TRUE;
}

/* RFC 7946 allows empty geometries ("coordinates": []): a feature with
 * one has no place, like one with a null geometry. */
static gboolean
is_empty_geometry (const CmJsonNode *geometry)
{
  const CmJsonNode *coordinates, *geometries;

  if (geometry->type != CM_JSON_OBJECT)
    return FALSE;
  coordinates = cm_json_node_get_member (geometry, "coordinates");
  geometries = cm_json_node_get_member (geometry, "geometries");
  return (coordinates != NULL && coordinates->type == CM_JSON_ARRAY && coordinates->length == 0) ||
         (coordinates == NULL && geometries != NULL && geometries->type == CM_JSON_ARRAY &&
          geometries->length == 0);
}

/* "4.6", "326", "0.001": the short decimal the number was written as,
 * without printf in the common case (a feed has millions of numbers). */
static char *
format_number (double  value,
               char   *buffer,
               gsize   size)
{
  static const double powers[] = { 1, 10, 100, 1000, 10000, 100000, 1000000 };

  for (guint k = 0; k < G_N_ELEMENTS (powers); k++)
    {
      double scaled = value * powers[k];
      gint64 digits;
      char text[32], *p = text + sizeof text;
      guint64 magnitude;
      guint n = 0;

      if (!(fabs (scaled) < 1e15) || scaled != floor (scaled))
        continue;
      digits = (gint64) scaled;
      /* Exactly the number the file wrote, read back. */
      if ((double) digits / powers[k] != value)
        continue;

      magnitude = digits < 0 ? (guint64) -digits : (guint64) digits;
      *--p = '\0';
      do
        {
          if (n++ == k && k > 0)
            *--p = '.';
          *--p = '0' + magnitude % 10;
          magnitude /= 10;
        }
      while (magnitude > 0 || n <= k);
      if (digits < 0)
        *--p = '-';
      return g_strdup (p);
    }

  return g_strdup (g_ascii_formatd (buffer, size, "%.15g", value));
}

/* A property's value as text, or NULL for null, objects and arrays. */
static char *
value_to_text (const CmJsonNode *value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  switch ((CmJsonType) value->type)
    {
    case CM_JSON_STRING:
      return g_strdup (value->v.string);
    case CM_JSON_NUMBER:
      return format_number (value->v.number, buffer, sizeof buffer);
    case CM_JSON_TRUE:
      return g_strdup ("true");
    case CM_JSON_FALSE:
      return g_strdup ("false");
    case CM_JSON_NULL:
    case CM_JSON_ARRAY:
    case CM_JSON_OBJECT:
    default:
      return NULL;
    }
}

/* Other times given as epoch numbers (USGS "updated") are shown as dates
 * a person can read, in UTC: "2024-12-02T14:02:03Z". Only numbers that are
 * clearly epoch times (after 1973 in seconds). */
static char *
format_time_number (const CmJsonNode *value)
{
  CmTime time;

  if (value->type != CM_JSON_NUMBER || fabs (value->v.number) < 1e8 ||
      !epoch_time (value->v.number, &time))
    return NULL;
  return cm_json_writer_format_time (&time);
}

static void
read_feature (Reader             *reader,
              const CmJsonNode   *feature,
              const CmLoaderPath *path,
              GArray             *properties_out,
              GPtrArray          *texts,
              CmImportSources    *sources,
              GArray             *roles)
{
  const CmJsonNode *by_role[N_ROLES];
  CmLoaderPath properties_path = { path, "properties", 0 };
  CmLoaderPath geometry_path = { path, "geometry", 0 };
  const CmJsonNode *properties, *geometry, *id, *time_node = NULL, *end_node = NULL;
  CmLoaderPath time_path = { &properties_path, reader->time_key, 0 };
  CmLoaderPath end_path = { &properties_path, reader->end_key, 0 };
  CmImportEvent event = { 0 };
  g_autofree char *id_text = NULL;
  const char *place_name = NULL;
  double lat = 0, lon = 0;
  gboolean ok = TRUE;

  if (feature->type != CM_JSON_OBJECT)
    {
      PROBLEM (reader->import, feature, path, "%s",
               cm_json_type_mismatch (CM_JSON_OBJECT, feature->type));
      return;
    }

  properties = cm_json_node_get_member_of_type (feature, "properties", CM_JSON_OBJECT);
  geometry = cm_json_node_get_member (feature, "geometry");
  id = cm_json_node_get_member (feature, "id");

  g_array_set_size (properties_out, 0);
  g_ptr_array_set_size (texts, 0);
  cm_import_sources_clear (sources);

  /* One pass over the properties finds what each is for. */
  g_array_set_size (roles, 0);
  memset (by_role, 0, sizeof by_role);
  for (guint i = 0; properties != NULL && i < properties->length; i++)
    {
      guint info = get_key_info (reader, properties->v.children[2 * i].v.string);

      g_array_append_val (roles, info);
      for (int r = 0; r < N_ROLES; r++)
        if (info & (1 << r))
          by_role[r] = &properties->v.children[2 * i + 1];
    }
  time_node = by_role[ROLE_TIME];
  end_node = by_role[ROLE_END];
  if (time_node != NULL && time_node->type == CM_JSON_NULL)
    time_node = NULL;
  if (end_node != NULL && end_node->type == CM_JSON_NULL)
    end_node = NULL;

  event.undated = time_node == NULL;
  if (time_node != NULL)
    ok &= read_time (reader, time_node, &time_path, &event.start);
  if (time_node != NULL && end_node != NULL)
    {
      ok &= read_time (reader, end_node, &end_path, &event.end);
      event.has_end = TRUE;
    }

  event.place = CM_NONE;
  if (geometry != NULL && geometry->type != CM_JSON_NULL && !is_empty_geometry (geometry))
    {
      if (!read_point (reader, geometry, &geometry_path, &lat, &lon))
        return;
      place_name = node_text (by_role[ROLE_PLACE]);
      event.place = cm_import_place (reader->import, geometry, &geometry_path, place_name,
                                     lat, lon);
    }
  if (!ok)
    return;

  if (id != NULL)
    event.id = id_text = value_to_text (id);
  event.title = node_text (by_role[ROLE_TITLE]);
  if (event.title == NULL)
    event.title = place_name;
  event.summary = node_text (by_role[ROLE_SUMMARY]);
  cm_import_sources_add (sources, NULL, node_text (by_role[ROLE_URL]));
  event.sources = cm_import_sources_get (sources, &event.n_sources);
  event.group = cm_import_group (reader->import, node_text (by_role[ROLE_GROUP]));

  /* Everything else, as written. */
  for (guint i = 0; properties != NULL && i < properties->length; i++)
    {
      const CmJsonNode *value = &properties->v.children[2 * i + 1];
      guint info = g_array_index (roles, guint, i);
      char *text = NULL;
      CmProperty property;

      if (info & SHOWN_ROLES)
        continue;
      property.key = properties->v.children[2 * i].v.string;
      if (value->type == CM_JSON_STRING)
        property.value = value->v.string;
      else if ((info & TIME_LIKE) != 0 && (text = format_time_number (value)) != NULL)
        property.value = text;
      else if ((text = value_to_text (value)) != NULL)
        property.value = text;
      else
        continue;
      if (text != NULL)
        g_ptr_array_add (texts, text);
      g_array_append_val (properties_out, property);
    }
  event.properties = (const CmProperty *) properties_out->data;
  event.n_properties = properties_out->len;

  cm_import_add_event (reader->import, &event, end_node, &end_path);
}

void
cm_import_geojson (CmLoaderContext  *context,
                   const CmJsonNode *root,
                   CmDatasetBuilder *builder)
{
  g_autoptr(CmImport) import = cm_import_new (context, builder);
  g_autoptr(GArray) properties = g_array_new (FALSE, FALSE, sizeof (CmProperty));
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(CmImportSources) sources = cm_import_sources_new ();
  g_autoptr(GArray) roles = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GHashTable) key_info = g_hash_table_new (g_str_hash, g_str_equal);
  const CmJsonNode *features = cm_json_node_get_member (root, "features");
  CmLoaderPath path = { NULL, "features", 0 };
  Reader reader = { import, };

  reader.key_info = key_info;

  if (features->type != CM_JSON_ARRAY)
    {
      PROBLEM (import, features, &path, "%s",
               cm_json_type_mismatch (CM_JSON_ARRAY, features->type));
      return;
    }

  find_keys (&reader, features);
  set_roles (&reader);
  if (reader.time_key == NULL && features->length > 0)
    {
      PROBLEM (import, features, &path,
               _("no feature has a time: Chronomap looks for a property named \"time\", "
                 "\"timestamp\", \"datetime\", \"date\" or \"start\""));
      return;
    }

  {
    const CmJsonNode *name = cm_json_node_get_member_of_type (root, "name", CM_JSON_STRING);
    const CmJsonNode *metadata = cm_json_node_get_member_of_type (root, "metadata", CM_JSON_OBJECT);

    /* USGS feeds carry "metadata": {"title": ...}. */
    cm_import_set_title (import, metadata ? cm_import_get_text (metadata, "title")
                                          : name ? name->v.string : NULL, NULL);
  }

  for (guint i = 0; i < features->length && !cm_import_check_cancelled (import); i++)
    {
      CmLoaderPath item = { &path, NULL, i };

      read_feature (&reader, cm_json_node_get_element (features, i), &item,
                    properties, texts, sources, roles);
    }
}
