/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-import"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gi18n.h>

#include "cm-import-timelinejs.h"

/* TimelineJS 3 and 2. The format is TimelineJS's own documentation of its
 * JSON ("Using the JSON format" on its site): dates are objects of
 * calendar fields, numbers or numeric strings, where an empty string means
 * "not given"; text is HTML. Version 2 kept dates as "2011,12,10"
 * strings under "timeline.date". */

#define PROBLEM(import, at, path, ...) \
  cm_loader_context_add_problem (cm_import_get_context (import), (at), (path), __VA_ARGS__)

static char *
html_line (const char *html,
           GArray     *links)
{
  return html ? cm_html_to_line (html, links) : NULL;
}

static char *
html_text (const char *html,
           GArray     *links)
{
  return html ? cm_html_to_text (html, links) : NULL;
}

/* An embed that is a quotation (<blockquote>…) rather than a link. */
static gboolean
is_blockquote (const char *media)
{
  while (g_ascii_isspace (*media))
    media++;
  return g_ascii_strncasecmp (media, "<blockquote", 11) == 0;
}

/* The URL of an <iframe src=…> or similar embed, or the media URL itself. */
static char *
media_link (const char *media)
{
  g_autoptr(GArray) links = cm_html_links_new ();
  const char *src;

  while (g_ascii_isspace (*media))
    media++;
  if (*media != '<')
    return cm_html_link_url (media);

  /* Embeds name their target in src= or href=: read it as a link. */
  src = strstr (media, "src=");
  if (src != NULL)
    {
      g_autofree char *as_link = g_strdup_printf ("<a href=%s</a>", src + 4);

      /* Only the link is wanted, not the text. */
      g_free (cm_html_to_text (as_link, links));
      if (links->len > 0)
        return g_strdup (g_array_index (links, CmHtmlLink, 0).url);
    }
  return NULL;
}

void
_cm_import_timelinejs_add_slide (CmImport                *import,
                                 const CmTimelinejsSlide *slide,
                                 const CmTime            *start,
                                 const CmTime            *end,
                                 gboolean                 period,
                                 const CmJsonNode        *end_at,
                                 const CmLoaderPath      *end_path)
{
  g_autoptr(GArray) links = cm_html_links_new ();
  g_autoptr(GArray) credit_links = cm_html_links_new ();
  g_autoptr(CmImportSources) sources = cm_import_sources_new ();
  g_autofree char *title = html_line (slide->headline, links);
  g_autofree char *summary = html_text (slide->text, links);
  g_autofree char *caption = html_line (slide->media_caption, links);
  g_autofree char *credit = html_line (slide->media_credit, credit_links);
  g_autofree char *quote_text = NULL;
  g_autofree char *display_date = NULL;
  CmImportEvent event = { 0 };
  CmQuote quote = { CM_NONE, NULL };
  CmProperty property;

  if (period)
    {
      cm_import_add_period (import, title, summary, start, end, end_at, end_path);
      return;
    }

  /* The media first: it is what the slide shows. */
  if (slide->media_url != NULL && is_blockquote (slide->media_url))
    {
      quote_text = cm_html_to_text (slide->media_url, links);
      if (*quote_text != '\0')
        {
          quote.text = quote_text;
          event.quotes = &quote;
          event.n_quotes = 1;
        }
    }
  else if (slide->media_url != NULL)
    {
      g_autofree char *url = media_link (slide->media_url);

      if (url != NULL)
        cm_import_sources_add (sources, caption && *caption ? caption : credit, url);
    }
  cm_import_sources_add_links (sources, credit_links);
  if (credit != NULL && *credit != '\0' && credit_links->len == 0)
    cm_import_sources_add (sources, credit, NULL);
  cm_import_sources_add_links (sources, links);

  event.id = slide->unique_id;
  event.title = title;
  event.summary = summary;
  event.start = *start;
  if (end != NULL)
    {
      event.end = *end;
      event.has_end = TRUE;
    }
  event.place = CM_NONE;
  event.group = cm_import_group (import, slide->group);
  event.sources = cm_import_sources_get (sources, &event.n_sources);

  if (slide->display_date != NULL)
    {
      display_date = cm_html_to_line (slide->display_date, NULL);
      if (*display_date != '\0')
        {
          property.key = _("Display date");
          property.value = display_date;
          event.properties = &property;
          event.n_properties = 1;
        }
    }

  cm_import_add_event (import, &event, end_at, end_path);
}

gint64
_cm_import_timelinejs_year (gint64 year)
{
  /* TimelineJS shows year -500 as "500 BCE" (it drops the sign and adds
   * BCE), which astronomical numbering calls -499: the author meant what
   * TimelineJS showed them. */
  return year < 0 ? year + 1 : year;
}

void
_cm_import_timelinejs_set_title (CmImport                *import,
                                 const CmTimelinejsSlide *slide)
{
  g_autofree char *title = html_line (slide->headline, NULL);
  g_autofree char *text = html_text (slide->text, NULL);

  cm_import_set_title (import, title, text);
}


/* TimelineJS 3 */


gboolean
cm_import_timelinejs_detect (const CmJsonNode *root)
{
  const CmJsonNode *events = cm_json_node_get_member_of_type (root, "events", CM_JSON_ARRAY);
  const CmJsonNode *first;

  if (events == NULL)
    return FALSE;
  if (cm_json_node_get_member_of_type (root, "title", CM_JSON_OBJECT) != NULL ||
      cm_json_node_get_member_of_type (root, "eras", CM_JSON_ARRAY) != NULL ||
      cm_json_node_get_member_of_type (root, "scale", CM_JSON_STRING) != NULL)
    return TRUE;
  if (events->length == 0)
    return FALSE;

  first = cm_json_node_get_element (events, 0);
  return first->type == CM_JSON_OBJECT &&
         (cm_json_node_get_member (first, "start_date") != NULL ||
          cm_json_node_get_member (first, "text") != NULL ||
          cm_json_node_get_member (first, "media") != NULL);
}

/* One calendar field: a whole number or a string of one; absent, null
 * and "" give -2 (absent). FALSE after a problem. */
static gboolean
read_field (CmImport           *import,
            const CmJsonNode   *date,
            const CmLoaderPath *path,
            const char         *key,
            gint64              min,
            gint64              max,
            gint64             *out)
{
  const CmJsonNode *value = cm_json_node_get_member (date, key);
  CmLoaderPath field_path = { path, key, 0 };
  g_autofree char *quoted = NULL;
  double number;

  *out = G_MININT64;
  if (value == NULL || value->type == CM_JSON_NULL)
    return TRUE;

  if (value->type == CM_JSON_STRING)
    {
      g_autofree char *text = g_strstrip (g_strdup (value->v.string));
      char *end;

      if (*text == '\0')
        return TRUE;
      number = g_ascii_strtod (text, &end);
      if (*end != '\0' || end == text)
        {
          quoted = cm_loader_quote (value->v.string);
          PROBLEM (import, value, &field_path, _("%s is not a number"), quoted);
          return FALSE;
        }
    }
  else if (value->type == CM_JSON_NUMBER)
    number = value->v.number;
  else
    {
      PROBLEM (import, value, &field_path, _("expected a number or a string, found %s"),
               cm_json_type_name (value->type));
      return FALSE;
    }

  if (!isfinite (number) || number != floor (number))
    {
      PROBLEM (import, value, &field_path, _("%g is not a whole number"), number);
      return FALSE;
    }
  if (number < min || number > max)
    {
      const char *message;

      /* Whole sentences, for translators. */
      if (strcmp (key, "year") == 0)
        {
          g_autofree char *lowest = g_strdup_printf ("%" G_GINT64_FORMAT, min);
          g_autofree char *highest = g_strdup_printf ("%" G_GINT64_FORMAT, max);

          PROBLEM (import, value, &field_path,
                   _("year %.0f is outside the years Chronomap supports, %s to %s"),
                   number, lowest, highest);
          return FALSE;
        }
      if (strcmp (key, "month") == 0)
        message = _("month %.0f does not exist; months run from 1 to 12");
      else if (strcmp (key, "day") == 0)
        message = _("day %.0f does not exist; days run from 1 to 31");
      else if (strcmp (key, "hour") == 0)
        message = _("hour %.0f does not exist; hours run from 0 to 23");
      else if (strcmp (key, "minute") == 0)
        message = _("minute %.0f does not exist; minutes run from 0 to 59");
      else if (strcmp (key, "second") == 0)
        message = _("second %.0f does not exist; seconds run from 0 to 59");
      else
        message = _("millisecond %.0f does not exist; milliseconds run from 0 to 999");
      PROBLEM (import, value, &field_path, message, number);
      return FALSE;
    }

  *out = (gint64) number;
  return TRUE;
}

/* A TimelineJS date object. */
static gboolean
read_date (CmImport           *import,
           const CmJsonNode   *date,
           const CmLoaderPath *path,
           CmTime             *out)
{
  static const struct
  {
    const char *key;
    gint64      min, max;
  } fields[] = {
    { "year", CM_TIME_MIN_YEAR, CM_TIME_MAX_YEAR },
    { "month", 1, 12 },
    { "day", 1, 31 },
    { "hour", 0, 23 },
    { "minute", 0, 59 },
    { "second", 0, 59 },
    { "millisecond", 0, 999 },
  };
  gint64 values[G_N_ELEMENTS (fields)];
  g_autoptr(GError) error = NULL;
  gboolean ok = TRUE;
  guint n_given = 0;

  if (date->type != CM_JSON_OBJECT)
    {
      PROBLEM (import, date, path, "%s",
               cm_json_type_mismatch (CM_JSON_OBJECT, date->type));
      return FALSE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    ok &= read_field (import, date, path, fields[i].key, fields[i].min, fields[i].max,
                      &values[i]);
  if (!ok)
    return FALSE;

  if (values[0] == G_MININT64)
    {
      PROBLEM (import, date, path, _("missing required key \"%s\""), "year");
      return FALSE;
    }

  /* Fields count up to the first one missing; a later one given anyway
   * would be a date made up. */
  while (n_given < G_N_ELEMENTS (fields) && values[n_given] != G_MININT64)
    n_given++;
  for (guint i = n_given + 1; i < G_N_ELEMENTS (fields); i++)
    if (values[i] != G_MININT64)
      {
        CmLoaderPath field_path = { path, fields[i].key, 0 };

        static const char *const missing[] = {
          NULL,
          N_("the month is missing: a day or a time needs it"),
          N_("the day is missing: a time needs it"),
          N_("the hour is missing: minutes and seconds need it"),
          N_("the minute is missing: seconds need it"),
          N_("the second is missing: milliseconds need it"),
        };

        PROBLEM (import, cm_json_node_get_member (date, fields[i].key), &field_path,
                 "%s", _(missing[n_given]));
        return FALSE;
      }

  if (!cm_import_civil_time (_cm_import_timelinejs_year (values[0]),
                             n_given > 1 ? (int) values[1] : -1,
                             n_given > 2 ? (int) values[2] : -1,
                             n_given > 3 ? (int) values[3] : -1,
                             n_given > 4 ? (int) values[4] : -1,
                             n_given > 5 ? (int) values[5] : -1,
                             out, &error))
    {
      PROBLEM (import, date, path, "%s", error->message);
      return FALSE;
    }

  return TRUE;
}

static gboolean
is_blank (const char *text)
{
  for (; *text != '\0'; text++)
    if (!g_ascii_isspace (*text))
      return FALSE;
  return TRUE;
}

/* A date object with nothing in it ("end_date": {"year": ""}) is none. */
static gboolean
is_empty_date (const CmJsonNode *date)
{
  if (date->type == CM_JSON_NULL)
    return TRUE;
  if (date->type != CM_JSON_OBJECT)
    return FALSE;

  for (guint i = 0; i < date->length; i++)
    {
      const CmJsonNode *value = &date->v.children[2 * i + 1];

      if (value->type == CM_JSON_NUMBER)
        return FALSE;
      if (value->type == CM_JSON_STRING && !is_blank (value->v.string))
        return FALSE;
    }
  return TRUE;
}

static void
read_slide_fields (const CmJsonNode  *object,
                   CmTimelinejsSlide *slide)
{
  const CmJsonNode *text = cm_json_node_get_member_of_type (object, "text", CM_JSON_OBJECT);
  const CmJsonNode *media = cm_json_node_get_member_of_type (object, "media", CM_JSON_OBJECT);
  const CmJsonNode *start = cm_json_node_get_member_of_type (object, "start_date", CM_JSON_OBJECT);

  memset (slide, 0, sizeof *slide);
  slide->unique_id = cm_import_get_text (object, "unique_id");
  slide->headline = cm_import_get_text (text, "headline");
  slide->text = cm_import_get_text (text, "text");
  slide->media_url = cm_import_get_text (media, "url");
  slide->media_caption = cm_import_get_text (media, "caption");
  slide->media_credit = cm_import_get_text (media, "credit");
  slide->group = cm_import_get_text (object, "group");
  /* TimelineJS has called it display_date on the slide and on its dates,
   * and display_text on dates. */
  slide->display_date = cm_import_get_text (object, "display_date");
  if (slide->display_date == NULL)
    slide->display_date = cm_import_get_text (start, "display_date");
  if (slide->display_date == NULL)
    slide->display_date = cm_import_get_text (start, "display_text");
}

static void
read_slide (CmImport           *import,
            const CmJsonNode   *object,
            const CmLoaderPath *path,
            gboolean            period)
{
  CmLoaderPath start_path = { path, "start_date", 0 };
  CmLoaderPath end_path = { path, "end_date", 0 };
  const CmJsonNode *start_node, *end_node;
  CmTimelinejsSlide slide;
  CmTime start, end;
  gboolean has_end = FALSE;

  if (object->type != CM_JSON_OBJECT)
    {
      PROBLEM (import, object, path, "%s",
               cm_json_type_mismatch (CM_JSON_OBJECT, object->type));
      return;
    }

  start_node = cm_json_node_get_member (object, "start_date");
  end_node = cm_json_node_get_member (object, "end_date");
  if (start_node == NULL)
    {
      PROBLEM (import, object, path, _("missing required key \"%s\""), "start_date");
      return;
    }
  if (!read_date (import, start_node, &start_path, &start))
    return;
  if (end_node != NULL && !is_empty_date (end_node))
    {
      if (!read_date (import, end_node, &end_path, &end))
        return;
      has_end = TRUE;
    }

  read_slide_fields (object, &slide);
  _cm_import_timelinejs_add_slide (import, &slide, &start, has_end ? &end : NULL, period,
                                   end_node, &end_path);
}

typedef void (*ReadSlideFunc) (CmImport           *import,
                               const CmJsonNode   *object,
                               const CmLoaderPath *path,
                               gboolean            period);

/* The slides of @parent's array @key (events or eras, in either version
 * of the format), each read by @read_one. */
static void
read_slides (CmImport           *import,
             const CmJsonNode   *parent,
             const CmLoaderPath *parent_path,
             const char         *key,
             gboolean            period,
             ReadSlideFunc       read_one)
{
  const CmJsonNode *array = cm_json_node_get_member (parent, key);
  CmLoaderPath path = { parent_path, key, 0 };

  if (array == NULL || array->type == CM_JSON_NULL)
    return;
  if (array->type != CM_JSON_ARRAY)
    {
      PROBLEM (import, array, &path, "%s",
               cm_json_type_mismatch (CM_JSON_ARRAY, array->type));
      return;
    }

  for (guint i = 0; i < array->length && !cm_import_check_cancelled (import); i++)
    {
      CmLoaderPath item = { &path, NULL, i };

      read_one (import, cm_json_node_get_element (array, i), &item, period);
    }
}

void
cm_import_timelinejs (CmLoaderContext  *context,
                      const CmJsonNode *root,
                      CmDatasetBuilder *builder)
{
  g_autoptr(CmImport) import = cm_import_new (context, builder);
  const CmJsonNode *title = cm_json_node_get_member_of_type (root, "title", CM_JSON_OBJECT);

  if (title != NULL)
    {
      CmTimelinejsSlide slide;

      read_slide_fields (title, &slide);
      _cm_import_timelinejs_set_title (import, &slide);
    }

  /* Eras first: periods do not depend on events, and events then come in
   * file order. */
  read_slides (import, root, NULL, "eras", TRUE, read_slide);
  read_slides (import, root, NULL, "events", FALSE, read_slide);
}


/* TimelineJS 2 */

gboolean
cm_import_timelinejs2_detect (const CmJsonNode *root)
{
  const CmJsonNode *timeline = cm_json_node_get_member_of_type (root, "timeline", CM_JSON_OBJECT);

  return timeline != NULL &&
         (cm_json_node_get_member (timeline, "date") != NULL ||
          cm_json_node_get_member (timeline, "headline") != NULL);
}

/* "2011,12,10", "2011,12,10,07,02,10", "1963", "-500". */
static gboolean
read_date2 (CmImport           *import,
            const CmJsonNode   *value,
            const CmLoaderPath *path,
            CmTime             *out)
{
  g_auto(GStrv) parts = NULL;
  g_autoptr(GError) error = NULL;
  gint64 numbers[6] = { 0 };
  guint n = 0;

  if (value->type == CM_JSON_NUMBER && value->v.number == floor (value->v.number) &&
      fabs (value->v.number) <= CM_TIME_MAX_YEAR)
    return cm_import_civil_time (_cm_import_timelinejs_year ((gint64) value->v.number),
                                 -1, -1, -1, -1, -1, out, NULL);

  if (value->type != CM_JSON_STRING)
    {
      PROBLEM (import, value, path, _("expected a date such as \"2011,12,10\", found %s"),
               cm_json_type_name (value->type));
      return FALSE;
    }

  parts = g_strsplit (value->v.string, ",", 0);
  for (n = 0; parts[n] != NULL; n++)
    {
      char *part = g_strstrip (parts[n]);
      char *end;

      if (n >= G_N_ELEMENTS (numbers))
        break;
      numbers[n] = g_ascii_strtoll (part, &end, 10);
      if (*part == '\0' || *end != '\0')
        {
          /* "2011,12," is "2011,12". */
          if (*part == '\0' && n > 0)
            break;
          n = G_N_ELEMENTS (numbers) + 1;
          break;
        }
      if (ABS (numbers[n]) > (n == 0 ? CM_TIME_MAX_YEAR : 99))
        {
          n = G_N_ELEMENTS (numbers) + 1;
          break;
        }
    }

  if (n == 0 || n > G_N_ELEMENTS (numbers) ||
      !cm_import_civil_time (_cm_import_timelinejs_year (numbers[0]),
                             n > 1 ? (int) numbers[1] : -1, n > 2 ? (int) numbers[2] : -1,
                             n > 3 ? (int) numbers[3] : -1, n > 4 ? (int) numbers[4] : -1,
                             n > 5 ? (int) numbers[5] : -1, out, &error))
    {
      g_autofree char *quoted = cm_loader_quote (value->v.string);

      if (error != NULL)
        PROBLEM (import, value, path, _("%s is not a date: %s"), quoted, error->message);
      else
        PROBLEM (import, value, path,
                 _("%s is not a date: TimelineJS 2 writes dates as year,month,day, "
                   "as in \"2011,12,10\""), quoted);
      return FALSE;
    }

  return TRUE;
}

static void
read_slide2 (CmImport           *import,
             const CmJsonNode   *object,
             const CmLoaderPath *path,
             gboolean            period)
{
  CmLoaderPath start_path = { path, "startDate", 0 };
  CmLoaderPath end_path = { path, "endDate", 0 };
  const CmJsonNode *asset, *start_node, *end_node;
  CmTimelinejsSlide slide = { 0 };
  CmTime start, end;
  gboolean has_end = FALSE;

  if (object->type != CM_JSON_OBJECT)
    {
      PROBLEM (import, object, path, "%s",
               cm_json_type_mismatch (CM_JSON_OBJECT, object->type));
      return;
    }

  start_node = cm_json_node_get_member (object, "startDate");
  end_node = cm_json_node_get_member (object, "endDate");
  if (start_node == NULL)
    {
      PROBLEM (import, object, path, _("missing required key \"%s\""), "startDate");
      return;
    }
  if (!read_date2 (import, start_node, &start_path, &start))
    return;
  if (end_node != NULL && end_node->type == CM_JSON_STRING && is_blank (end_node->v.string))
    end_node = NULL;
  if (end_node != NULL && end_node->type != CM_JSON_NULL)
    {
      if (!read_date2 (import, end_node, &end_path, &end))
        return;
      has_end = TRUE;
    }

  asset = cm_json_node_get_member_of_type (object, "asset", CM_JSON_OBJECT);
  slide.headline = cm_import_get_text (object, "headline");
  slide.text = cm_import_get_text (object, "text");
  slide.media_url = cm_import_get_text (asset, "media");
  slide.media_caption = cm_import_get_text (asset, "caption");
  slide.media_credit = cm_import_get_text (asset, "credit");
  slide.group = cm_import_get_text (object, "tag");

  _cm_import_timelinejs_add_slide (import, &slide, &start, has_end ? &end : NULL, period,
                                   end_node, &end_path);
}

void
cm_import_timelinejs2 (CmLoaderContext  *context,
                       const CmJsonNode *root,
                       CmDatasetBuilder *builder)
{
  g_autoptr(CmImport) import = cm_import_new (context, builder);
  const CmJsonNode *timeline = cm_json_node_get_member (root, "timeline");
  CmLoaderPath path = { NULL, "timeline", 0 };
  CmTimelinejsSlide title = { 0 };

  title.headline = cm_import_get_text (timeline, "headline");
  title.text = cm_import_get_text (timeline, "text");
  _cm_import_timelinejs_set_title (import, &title);

  read_slides (import, timeline, &path, "era", TRUE, read_slide2);
  read_slides (import, timeline, &path, "date", FALSE, read_slide2);
}
