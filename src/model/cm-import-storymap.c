/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-import"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gi18n.h>

#include "cm-import-storymap.h"

/* StoryMapJS tells a story in slides, each at a place; dates are free text
 * or absent. The first slide, when its type is "overview", gives the title
 * and description. A slide's "date" is read only when it is clearly a date
 * ("1790", "1790–2010", "Aug 23, 2005", "23 August 2005", "August 2005",
 * "2005-08-23", "44 BC"); any other slide is an undated event, kept in
 * story order, with its date text (if any) shown as written. Nothing is
 * ever guessed. Maps drawn on an image ("map_as_image", "zoomify") have
 * pixel coordinates, not places on Earth: their slides get no place. */

#define PROBLEM(import, at, path, ...) \
  cm_loader_context_add_problem (cm_import_get_context (import), (at), (path), __VA_ARGS__)

static const char *const month_names[] = {
  "january", "february", "march", "april", "may", "june", "july", "august", "september",
  "october", "november", "december",
};


gboolean
cm_import_storymap_detect (const CmJsonNode *root)
{
  const CmJsonNode *storymap = cm_json_node_get_member_of_type (root, "storymap", CM_JSON_OBJECT);

  return storymap != NULL && cm_json_node_get_member (storymap, "slides") != NULL;
}

/* Words of a date: numbers, month names, era markers. */
typedef struct
{
  const char *p;
} Scanner;

static void
skip_space (Scanner *sc)
{
  while (*sc->p == ' ' || *sc->p == ',' || *sc->p == '.')
    sc->p++;
}

static int
scan_month (Scanner *sc)
{
  const char *start = sc->p;
  gsize n = 0;

  while (g_ascii_isalpha (start[n]))
    n++;
  if (n < 3)
    return 0;

  for (guint i = 0; i < G_N_ELEMENTS (month_names); i++)
    if (g_ascii_strncasecmp (start, month_names[i], n) == 0 &&
        (n == strlen (month_names[i]) || n == 3 || (i == 8 && n == 4)))
      {
        sc->p = start + n;
        return i + 1;
      }
  return 0;
}

static gboolean
scan_number (Scanner *sc,
             gint64  *out,
             int     *n_digits)
{
  const char *start = sc->p;

  *out = 0;
  while (g_ascii_isdigit (*sc->p) && sc->p - start < 7)
    *out = *out * 10 + (*sc->p++ - '0');
  *n_digits = sc->p - start;
  return *n_digits > 0 && !g_ascii_isdigit (*sc->p);
}

/* "BC", "BCE", "B.C." make the year before the common era; "AD", "CE"
 * are allowed. */
static gboolean
scan_era (Scanner *sc,
          gint64  *year)
{
  static const char *const bce[] = { "bce", "bc", "b.c.e.", "b.c." };
  static const char *const ce[] = { "ce", "ad", "c.e.", "a.d." };

  while (*sc->p == ' ')
    sc->p++;
  for (guint i = 0; i < G_N_ELEMENTS (bce); i++)
    if (g_ascii_strncasecmp (sc->p, bce[i], strlen (bce[i])) == 0 &&
        !g_ascii_isalpha (sc->p[strlen (bce[i])]))
      {
        sc->p += strlen (bce[i]);
        *year = 1 - *year;   /* astronomical: 1 BC is year 0 */
        return TRUE;
      }
  for (guint i = 0; i < G_N_ELEMENTS (ce); i++)
    if (g_ascii_strncasecmp (sc->p, ce[i], strlen (ce[i])) == 0 &&
        !g_ascii_isalpha (sc->p[strlen (ce[i])]))
      {
        sc->p += strlen (ce[i]);
        return TRUE;
      }
  return FALSE;
}

/* One date at sc->p: "1790", "44 BC", "Aug 23, 2005", "23 August 2005",
 * "August 2005", "2005-08-23", "2005-08". */
static gboolean
scan_date (Scanner *sc,
           CmTime  *out)
{
  gint64 year = -1, first;
  int month = -1, day = -1, n;

  skip_space (sc);

  if ((month = scan_month (sc)) > 0)
    {
      /* "Aug 23, 2005" or "August 2005" */
      skip_space (sc);
      if (!scan_number (sc, &first, &n))
        return FALSE;
      if (n <= 2)
        {
          day = first;
          skip_space (sc);
          if (!scan_number (sc, &year, &n) || n < 3)
            return FALSE;
        }
      else
        year = first;
    }
  else if (scan_number (sc, &first, &n))
    {
      if (n <= 2 && (year = first, scan_era (sc, &year)))
        return cm_import_civil_time (year, -1, -1, -1, -1, -1, out, NULL);
      else if (n <= 2)
        {
          /* "23 August 2005" */
          day = first;
          skip_space (sc);
          if ((month = scan_month (sc)) == 0)
            return FALSE;
          skip_space (sc);
          if (!scan_number (sc, &year, &n) || n < 3)
            return FALSE;
        }
      else if (n == 4 && sc->p[0] == '-' && g_ascii_isdigit (sc->p[1]) &&
               g_ascii_isdigit (sc->p[2]) && !g_ascii_isdigit (sc->p[3]))
        {
          /* ISO "2005-08" or "2005-08-23" */
          g_autofree char *iso = NULL;
          const char *start = sc->p - 4;
          gsize len = 7;

          if (sc->p[3] == '-' && g_ascii_isdigit (sc->p[4]) && g_ascii_isdigit (sc->p[5]) &&
              !g_ascii_isdigit (sc->p[6]))
            len = 10;
          iso = g_strndup (start, len);
          sc->p = start + len;
          return cm_time_parse (iso, NULL, out, NULL);
        }
      else if (n >= 3)
        year = first;
      else
        return FALSE;
    }
  else
    return FALSE;

  scan_era (sc, &year);

  return cm_import_civil_time (year, month > 0 ? month : -1, month > 0 ? day : -1, -1, -1, -1,
                               out, NULL);
}

/* TRUE if all of @text is a date or a range of two ("1790–2010"). */
static gboolean
parse_story_date (const char *text,
                  CmTime     *start,
                  CmTime     *end,
                  gboolean   *has_end)
{
  Scanner sc = { text };

  *has_end = FALSE;
  if (!scan_date (&sc, start))
    return FALSE;

  while (*sc.p == ' ')
    sc.p++;
  if (*sc.p == '\0')
    return TRUE;

  /* A range: "-", "–" (en dash), "—", "to". */
  if (*sc.p == '-')
    sc.p++;
  else if (g_str_has_prefix (sc.p, "–") || g_str_has_prefix (sc.p, "—"))
    sc.p += strlen ("–");
  else if (g_ascii_strncasecmp (sc.p, "to ", 3) == 0)
    sc.p += 3;
  else
    return FALSE;

  if (!scan_date (&sc, end))
    return FALSE;
  while (*sc.p == ' ' || *sc.p == '.')
    sc.p++;
  if (*sc.p != '\0' || end->seconds < start->seconds)
    return FALSE;

  *has_end = TRUE;
  return TRUE;
}

static gboolean
read_coordinate (const CmJsonNode *location,
                 const char       *key,
                 double           *out)
{
  const CmJsonNode *value = cm_json_node_get_member (location, key);
  char *end;

  if (value == NULL)
    return FALSE;
  if (value->type == CM_JSON_NUMBER)
    {
      *out = value->v.number;
      return TRUE;
    }
  if (value->type == CM_JSON_STRING && *value->v.string != '\0')
    {
      *out = g_ascii_strtod (value->v.string, &end);
      return *end == '\0';
    }
  return FALSE;
}

static void
read_slide (CmImport           *import,
            const CmJsonNode   *slide,
            const CmLoaderPath *path,
            gboolean            on_image)
{
  CmLoaderPath location_path = { path, "location", 0 };
  const CmJsonNode *text = cm_json_node_get_member_of_type (slide, "text", CM_JSON_OBJECT);
  const CmJsonNode *media = cm_json_node_get_member_of_type (slide, "media", CM_JSON_OBJECT);
  const CmJsonNode *location = cm_json_node_get_member (slide, "location");
  const char *date = cm_import_get_text (slide, "date");
  g_autoptr(GArray) links = cm_html_links_new ();
  g_autoptr(CmImportSources) sources = cm_import_sources_new ();
  g_autofree char *title = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *caption = NULL;
  g_autofree char *credit = NULL;
  g_autofree char *date_text = NULL;
  const char *html;
  CmImportEvent event = { 0 };
  CmProperty property;
  double lat, lon;

  html = cm_import_get_text (text, "headline");
  title = html ? cm_html_to_line (html, links) : NULL;
  html = cm_import_get_text (text, "text");
  summary = html ? cm_html_to_text (html, links) : NULL;
  html = cm_import_get_text (media, "caption");
  caption = html ? cm_html_to_line (html, NULL) : NULL;
  html = cm_import_get_text (media, "credit");
  credit = html ? cm_html_to_line (html, links) : NULL;

  if (cm_import_get_text (media, "url") != NULL)
    cm_import_sources_add (sources, caption && *caption ? caption : credit,
                           cm_import_get_text (media, "url"));
  cm_import_sources_add_links (sources, links);

  event.place = CM_NONE;
  event.group = CM_NONE;
  if (location != NULL && location->type == CM_JSON_OBJECT && !on_image)
    {
      gboolean has_lat = read_coordinate (location, "lat", &lat);
      gboolean has_lon = read_coordinate (location, "lon", &lon);

      if (has_lat && has_lon)
        {
          const char *name_html = cm_import_get_text (location, "name");
          g_autofree char *name = name_html ? cm_html_to_line (name_html, NULL) : NULL;

          event.place = cm_import_place (import, location, &location_path,
                                         name ? name : title, lat, lon);
        }
      else if (has_lat != has_lon)
        PROBLEM (import, location, &location_path,
                 _("a location needs both \"lat\" and \"lon\" as numbers"));
    }

  event.title = title;
  event.summary = summary;
  event.sources = cm_import_sources_get (sources, &event.n_sources);
  event.undated = date == NULL ||
                  !parse_story_date (date, &event.start, &event.end, &event.has_end);
  if (date != NULL && event.undated)
    {
      /* Shown as written, never turned into a made-up date. */
      date_text = cm_html_to_line (date, NULL);
      property.key = _("Date");
      property.value = date_text;
      event.properties = &property;
      event.n_properties = *date_text != '\0';
    }

  cm_import_add_event (import, &event, NULL, NULL);
}

void
cm_import_storymap (CmLoaderContext  *context,
                    const CmJsonNode *root,
                    CmDatasetBuilder *builder)
{
  g_autoptr(CmImport) import = cm_import_new (context, builder);
  const CmJsonNode *storymap = cm_json_node_get_member (root, "storymap");
  const CmJsonNode *slides = cm_json_node_get_member (storymap, "slides");
  const CmJsonNode *map_type = cm_json_node_get_member_of_type (storymap, "map_type", CM_JSON_STRING);
  CmLoaderPath storymap_path = { NULL, "storymap", 0 };
  CmLoaderPath path = { &storymap_path, "slides", 0 };
  gboolean on_image;

  on_image = cm_json_node_get_member_of_type (storymap, "map_as_image", CM_JSON_TRUE) != NULL ||
             (map_type != NULL && strcmp (map_type->v.string, "zoomify") == 0);

  if (slides->type != CM_JSON_ARRAY)
    {
      PROBLEM (import, slides, &path, "%s",
               cm_json_type_mismatch (CM_JSON_ARRAY, slides->type));
      return;
    }

  for (guint i = 0; i < slides->length && !cm_import_check_cancelled (import); i++)
    {
      const CmJsonNode *slide = cm_json_node_get_element (slides, i);
      const char *type = cm_import_get_text (slide, "type");
      CmLoaderPath item = { &path, NULL, i };

      if (slide->type != CM_JSON_OBJECT)
        {
          PROBLEM (import, slide, &item, "%s",
                   cm_json_type_mismatch (CM_JSON_OBJECT, slide->type));
          continue;
        }

      /* StoryMapJS takes only the first slide as the overview; a later one
       * marked so is shown as an ordinary slide, and kept as one. */
      if (i == 0 && type != NULL && strcmp (type, "overview") == 0)
        {
          const CmJsonNode *text = cm_json_node_get_member_of_type (slide, "text", CM_JSON_OBJECT);
          const char *headline = cm_import_get_text (text, "headline");
          const char *body = cm_import_get_text (text, "text");
          g_autofree char *title = headline ? cm_html_to_line (headline, NULL) : NULL;
          g_autofree char *description = body ? cm_html_to_text (body, NULL) : NULL;

          cm_import_set_title (import, title, description);
          continue;
        }

      read_slide (import, slide, &item, on_image);
    }
}
