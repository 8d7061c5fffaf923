/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-import"

#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n.h>

#include "cm-import.h"

#define CANCEL_CHECK_ITEMS 1024
#define MAX_ID_SLUG        48
#define MAX_MADE_TITLE     80

/* The ids of one kind, and for each base the next number to try, so that
 * a thousand "Untitled event"s cost a thousand steps, not half a million. */
typedef struct
{
  GHashTable *ids;      /* owned id strings */
  GHashTable *next;     /* base -> next suffix */
} IdSpace;

struct _CmImport
{
  CmLoaderContext  *context;
  CmDatasetBuilder *builder;
  IdSpace           event_ids;
  GHashTable       *groups;      /* name -> actor index + 1 */
  IdSpace           group_ids;   /* of groups and their actors */
  GHashTable       *places;      /* "lat lon name" -> place index + 1 */
  IdSpace           place_ids;
  guint             n_groups;
  guint             n_places;
  guint             n_items;
  gboolean          cancelled;
};

static void
id_space_init (IdSpace *space)
{
  space->ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  space->next = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

static void
id_space_clear (IdSpace *space)
{
  g_clear_pointer (&space->ids, g_hash_table_unref);
  g_clear_pointer (&space->next, g_hash_table_unref);
}

CmImport *
cm_import_new (CmLoaderContext  *context,
               CmDatasetBuilder *builder)
{
  CmImport *import = g_new0 (CmImport, 1);

  import->context = context;
  import->builder = builder;
  id_space_init (&import->event_ids);
  import->groups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  id_space_init (&import->group_ids);
  import->places = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  id_space_init (&import->place_ids);

  return import;
}

void
cm_import_free (CmImport *import)
{
  if (import == NULL)
    return;

  id_space_clear (&import->event_ids);
  g_hash_table_unref (import->groups);
  id_space_clear (&import->group_ids);
  g_hash_table_unref (import->places);
  id_space_clear (&import->place_ids);
  g_free (import);
}

CmLoaderContext *
cm_import_get_context (CmImport *import)
{
  return import->context;
}

gboolean
cm_import_check_cancelled (CmImport *import)
{
  if (++import->n_items % CANCEL_CHECK_ITEMS == 0)
    import->cancelled = cm_loader_context_is_cancelled (import->context);
  return import->cancelled;
}

/* Items go into the builder only while the input has no problem. */
static gboolean
building (CmImport *import)
{
  return cm_loader_context_get_n_problems (import->context) == 0;
}

void
cm_import_set_title (CmImport   *import,
                     const char *title,
                     const char *description)
{
  cm_dataset_builder_set_title (import->builder, title && *title ? title : NULL,
                                description && *description ? description : NULL);
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

/* "First Recording!" -> "first-recording"; "" if nothing is left. */
static char *
slugify (const char *text)
{
  GString *slug = g_string_new (NULL);
  gboolean dash = FALSE;

  for (const char *p = text ? text : ""; *p != '\0' && slug->len < MAX_ID_SLUG; p++)
    {
      if (g_ascii_isalnum (*p))
        {
          if (dash && slug->len > 0)
            g_string_append_c (slug, '-');
          g_string_append_c (slug, g_ascii_tolower (*p));
          dash = FALSE;
        }
      else if ((guchar) *p < 0x80 || (guchar) *p >= 0xc0)
        dash = TRUE;
    }

  return g_string_free (slug, FALSE);
}

/* @wanted if it is a valid id not taken in @ids, else one made from
 * @title (or @fallback) with a number when needed. Registered in @ids. */
static const char *
claim_id (IdSpace    *space,
          const char *wanted,
          const char *title,
          const char *fallback)
{
  g_autofree char *base = NULL;
  char *id;

  if (wanted != NULL && is_valid_id (wanted) && !g_hash_table_contains (space->ids, wanted))
    id = g_strdup (wanted);
  else
    {
      base = slugify (title);
      if (*base == '\0')
        {
          g_free (base);
          base = g_strdup (fallback);
        }
      id = g_strdup (base);
      if (g_hash_table_contains (space->ids, id))
        {
          guint n = GPOINTER_TO_UINT (g_hash_table_lookup (space->next, base));

          for (n = MAX (n, 2); g_hash_table_contains (space->ids, id); n++)
            {
              g_free (id);
              id = g_strdup_printf ("%s-%u", base, n);
            }
          g_hash_table_insert (space->next, g_steal_pointer (&base), GUINT_TO_POINTER (n));
        }
    }

  g_hash_table_add (space->ids, id);
  return id;
}

guint32
cm_import_group (CmImport   *import,
                 const char *name)
{
  g_autofree char *trimmed = NULL;
  gpointer found;
  CmGroup group = { 0 };
  CmActor actor = { 0 };
  guint32 index;

  if (name == NULL)
    return CM_NONE;
  trimmed = g_strstrip (g_strdup (name));
  if (*trimmed == '\0')
    return CM_NONE;

  found = g_hash_table_lookup (import->groups, trimmed);
  if (found != NULL)
    return GPOINTER_TO_UINT (found) - 1;

  group.id = claim_id (&import->group_ids, NULL, trimmed, "group");
  group.name = trimmed;
  actor.id = group.id;
  actor.name = trimmed;
  actor.kind = CM_ACTOR_GROUP;

  /* Indexes follow the order of first use whether or not the builder is
   * filled, so they stay the same for both. */
  index = import->n_groups++;
  if (building (import))
    {
      actor.group = cm_dataset_builder_add_group (import->builder, &group);
      cm_dataset_builder_add_actor (import->builder, &actor, NULL, 0);
    }
  g_hash_table_insert (import->groups, g_steal_pointer (&trimmed), GUINT_TO_POINTER (index + 1));

  return index;
}

guint32
cm_import_place (CmImport           *import,
                 const CmJsonNode   *at,
                 const CmLoaderPath *path,
                 const char         *name,
                 double              lat,
                 double              lon)
{
  g_autofree char *key = NULL;
  g_autofree char *made_name = NULL;
  gpointer found;
  CmPlace place = { 0 };
  guint32 index;

  if (!isfinite (lat) || !isfinite (lon) || lat < -90 || lat > 90 || lon < -180 || lon > 180)
    {
      cm_loader_context_add_problem (import->context, at, path,
                                     _("latitude %g and longitude %g are not a place on Earth: "
                                       "latitudes run from -90 to 90, longitudes from -180 "
                                       "to 180"), lat, lon);
      return CM_NONE;
    }

  if (name == NULL || *name == '\0')
    name = made_name = g_strdup_printf ("%.4f, %.4f", lat, lon);

  {
    union { double d; guint64 u; } la = { lat }, lo = { lon };
    gsize name_length = strlen (name);
    char *p;

    /* Exact coordinates, cheaply: their bits in hexadecimal, then the name. */
    key = p = g_malloc (32 + name_length + 1);
    for (int i = 60; i >= 0; i -= 4)
      *p++ = "0123456789abcdef"[(la.u >> i) & 0xf];
    for (int i = 60; i >= 0; i -= 4)
      *p++ = "0123456789abcdef"[(lo.u >> i) & 0xf];
    memcpy (p, name, name_length + 1);
  }
  found = g_hash_table_lookup (import->places, key);
  if (found != NULL)
    return GPOINTER_TO_UINT (found) - 1;

  place.id = claim_id (&import->place_ids, NULL, made_name ? NULL : name, "place");
  place.name = name;
  place.lat = lat;
  place.lon = lon;

  index = import->n_places++;
  if (building (import))
    cm_dataset_builder_add_place (import->builder, &place);
  g_hash_table_insert (import->places, g_steal_pointer (&key), GUINT_TO_POINTER (index + 1));

  return index;
}

/* A title for an event that has none: the start of its summary. */
static char *
make_title (const char *summary)
{
  const char *end;
  glong n;

  if (summary == NULL || *summary == '\0')
    return g_strdup (_("Untitled event"));

  end = strchr (summary, '\n');
  n = g_utf8_strlen (summary, end ? end - summary : -1);
  if (n <= MAX_MADE_TITLE)
    return end ? g_strndup (summary, end - summary) : g_strdup (summary);

  {
    g_autofree char *start = g_utf8_substring (summary, 0, MAX_MADE_TITLE - 1);

    return g_strconcat (start, "…", NULL);
  }
}

static gboolean
check_end (CmImport           *import,
           const CmTime       *start,
           const CmTime       *end,
           const CmJsonNode   *end_at,
           const CmLoaderPath *end_path)
{
  g_autofree char *start_text = NULL;
  g_autofree char *end_text = NULL;

  if (end->seconds >= start->seconds)
    return TRUE;

  start_text = cm_time_format (start);
  end_text = cm_time_format (end);
  if (end_at != NULL)
    cm_loader_context_add_problem (import->context, end_at, end_path,
                                   _("end “%s” is before start “%s”"), end_text, start_text);
  return FALSE;
}

void
cm_import_add_event (CmImport            *import,
                     const CmImportEvent *event,
                     const CmJsonNode    *end_at,
                     const CmLoaderPath  *end_path)
{
  g_autofree char *made_title = NULL;
  CmEvent copy = { 0 };
  guint32 index, actor;

  copy.title = event->title;
  if (copy.title == NULL || *copy.title == '\0')
    copy.title = made_title = make_title (event->summary);
  copy.id = claim_id (&import->event_ids, event->id, copy.title, "event");
  copy.undated = event->undated;
  copy.start = event->start;
  copy.end = event->end;
  copy.has_end = event->has_end && !event->undated;

  if (copy.has_end && !check_end (import, &copy.start, &copy.end, end_at, end_path))
    return;
  if (!building (import))
    return;

  /* The group's actor has the group's index: one of each, made together. */
  actor = event->group;
  index = cm_dataset_builder_add_event (import->builder, &copy,
                                        &event->place, event->place != CM_NONE,
                                        &actor, actor != CM_NONE,
                                        NULL, 0,
                                        event->quotes, event->n_quotes,
                                        event->sources, event->n_sources);
  cm_dataset_builder_set_event_summary (import->builder, index,
                                        event->summary && *event->summary ? event->summary : NULL);
  cm_dataset_builder_set_event_properties (import->builder, index,
                                           event->properties, event->n_properties);
}

void
cm_import_add_period (CmImport           *import,
                      const char         *title,
                      const char         *description,
                      const CmTime       *start,
                      const CmTime       *end,
                      const CmJsonNode   *end_at,
                      const CmLoaderPath *end_path)
{
  CmPeriod period = { 0 };

  period.title = title && *title ? title : _("Untitled period");
  period.description = description && *description ? description : NULL;
  period.start = *start;
  if (end != NULL)
    {
      if (!check_end (import, start, end, end_at, end_path))
        return;
      period.end = *end;
      period.has_end = TRUE;
    }

  if (building (import))
    cm_dataset_builder_add_period (import->builder, &period);
}

gboolean
cm_import_civil_time (gint64   year,
                      int      month,
                      int      day,
                      int      hour,
                      int      minute,
                      int      second,
                      CmTime  *out,
                      GError **error)
{
  g_autoptr(GString) text = g_string_new (NULL);

  /* Written as ISO 8601 and read by the one date parser, so that foreign
   * dates are checked exactly as native ones (30 February, hour 25, the
   * supported years). */
  if (year >= 0 && year <= 9999)
    g_string_append_printf (text, "%04" G_GINT64_FORMAT, year);
  else
    g_string_append_printf (text, "%c%04" G_GINT64_FORMAT, year < 0 ? '-' : '+', ABS (year));

  if (month >= 0)
    {
      g_string_append_printf (text, "-%02d", month);
      if (day >= 0)
        {
          g_string_append_printf (text, "-%02d", day);
          if (hour >= 0)
            {
              g_string_append_printf (text, "T%02d:%02d", hour, MAX (minute, 0));
              if (second >= 0)
                g_string_append_printf (text, ":%02d", second);
              g_string_append_c (text, 'Z');
            }
        }
    }

  if (!cm_time_parse (text->str, NULL, out, error))
    {
      g_autofree char *quoted = g_strdup_printf ("\"%s\" ", text->str);

      /* "\"2001-02-30\" is not a date: February 2001 has 28 days" quotes a
       * date the file never wrote: keep what is wrong. */
      if (error != NULL && *error != NULL && g_str_has_prefix ((*error)->message, quoted) &&
          strstr ((*error)->message, ": ") != NULL)
        {
          char *reason = g_strdup (strstr ((*error)->message, ": ") + 2);

          g_free ((*error)->message);
          (*error)->message = reason;
        }
      return FALSE;
    }

  /* Shown in UTC, but without claiming a zone the file never named. */
  out->has_zone = FALSE;
  return TRUE;
}


/* Sources */

struct _CmImportSources
{
  GArray     *links;    /* CmLink, strings owned */
  GHashTable *seen;     /* "u" URL or "t" title of each, for duplicates */
};

static void
clear_source (gpointer data)
{
  CmLink *link = data;

  g_free ((char *) link->title);
  g_free ((char *) link->url);
}

CmImportSources *
cm_import_sources_new (void)
{
  CmImportSources *sources = g_new0 (CmImportSources, 1);

  sources->links = g_array_new (FALSE, FALSE, sizeof (CmLink));
  g_array_set_clear_func (sources->links, clear_source);
  sources->seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return sources;
}

void
cm_import_sources_free (CmImportSources *sources)
{
  if (sources == NULL)
    return;

  g_array_unref (sources->links);
  g_hash_table_unref (sources->seen);
  g_free (sources);
}

void
cm_import_sources_clear (CmImportSources *sources)
{
  g_array_set_size (sources->links, 0);
  g_hash_table_remove_all (sources->seen);
}

void
cm_import_sources_add (CmImportSources *sources,
                       const char      *title,
                       const char      *url)
{
  g_autofree char *link_url = url ? cm_html_link_url (url) : NULL;
  CmLink link;

  if (title != NULL && *title == '\0')
    title = NULL;
  if (title == NULL && link_url == NULL)
    return;

  /* A set, not a scan: an HTML text may hold thousands of links. */
  if (!g_hash_table_add (sources->seen, link_url ? g_strconcat ("u", link_url, NULL)
                                                 : g_strconcat ("t", title, NULL)))
    return;

  link.title = g_strdup (title);
  link.url = g_steal_pointer (&link_url);
  g_array_append_val (sources->links, link);
}

void
cm_import_sources_add_links (CmImportSources *sources,
                             GArray          *html_links)
{
  for (guint i = 0; i < html_links->len; i++)
    {
      const CmHtmlLink *link = &g_array_index (html_links, CmHtmlLink, i);

      cm_import_sources_add (sources, link->title, link->url);
    }
}

const CmLink *
cm_import_sources_get (CmImportSources *sources,
                       guint           *n_out)
{
  *n_out = MIN (sources->links->len, G_MAXUINT16);
  return (const CmLink *) sources->links->data;
}

const char *
cm_import_get_text (const CmJsonNode *object,
                    const char       *key)
{
  const CmJsonNode *value;

  if (object == NULL || object->type != CM_JSON_OBJECT)
    return NULL;

  value = cm_json_node_get_member (object, key);
  if (value == NULL || value->type != CM_JSON_STRING)
    return NULL;

  for (const char *p = value->v.string; *p != '\0'; p++)
    if (!g_ascii_isspace (*p))
      return value->v.string;

  return NULL;
}
