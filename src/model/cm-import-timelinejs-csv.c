/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-import"

#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <glib/gi18n.h>

#include "cm-csv.h"
#include "cm-import-timelinejs.h"

/* The TimelineJS Google Sheets template, saved as CSV: a header row naming
 * the columns (Year, Month, Day, Time, End Year, End Month, End Day, End
 * Time, Display Date, Headline, Text, Media, Media Credit, Media Caption,
 * Media Thumbnail, Type, Group, Background), then one row per slide. Rows
 * of Type "title" and "era" are the title and the periods. Columns are
 * found by name, so their order and extra columns do not matter. Problems
 * are reported as "FILE:LINE:COLUMN: row N, Column: message", N counting
 * rows as the spreadsheet does (the header is row 1). */

enum
{
  COL_YEAR, COL_MONTH, COL_DAY, COL_TIME,
  COL_END_YEAR, COL_END_MONTH, COL_END_DAY, COL_END_TIME,
  COL_DISPLAY_DATE, COL_HEADLINE, COL_TEXT, COL_MEDIA, COL_MEDIA_CREDIT, COL_MEDIA_CAPTION,
  COL_TYPE, COL_GROUP,
  N_COLUMNS
};

static const char *const column_names[N_COLUMNS] = {
  "Year", "Month", "Day", "Time",
  "End Year", "End Month", "End Day", "End Time",
  "Display Date", "Headline", "Text", "Media", "Media Credit", "Media Caption",
  "Type", "Group",
};

typedef struct
{
  CmImport   *import;
  int         columns[N_COLUMNS];  /* field index, or -1 */
  gboolean    have_header;
  gboolean    stopped;
} Reader;

static gboolean
name_matches (const char *field,
              const char *name)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (field));

  return g_ascii_strcasecmp (trimmed, name) == 0;
}

/* The header row names each template column at most once; -1 for those
 * it lacks. */
static void
find_columns (const CmCsvField *fields,
              guint             n_fields,
              int              *columns)
{
  for (guint c = 0; c < N_COLUMNS; c++)
    {
      columns[c] = -1;
      for (guint i = 0; i < n_fields && columns[c] < 0; i++)
        if (name_matches (fields[i].text, column_names[c]))
          columns[c] = i;
    }
}

static gboolean
header_cb (gpointer          user_data,
           guint             record,
           const CmCsvField *fields,
           guint             n_fields)
{
  int *columns = user_data;

  find_columns (fields, n_fields, columns);
  return FALSE;
}

gboolean
cm_import_timelinejs_csv_detect (const char *data,
                                 gsize       length)
{
  int columns[N_COLUMNS];
  gsize i = 0;
  const char *newline;

  /* Not JSON, and a first line that mentions the template's columns. */
  if (length >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
    i = 3;
  while (i < length && g_ascii_isspace (data[i]))
    i++;
  if (i >= length || data[i] == '{' || data[i] == '[')
    return FALSE;

  newline = memchr (data, '\n', MIN (length, 64 * 1024));
  if (newline == NULL && length > 64 * 1024)
    return FALSE;

  /* The header alone (headers have no line breaks in their names). */
  if (!cm_csv_read (data, newline ? (gsize) (newline - data) : length, header_cb, columns,
                    NULL, NULL))
    return FALSE;

  return columns[COL_YEAR] >= 0 && columns[COL_HEADLINE] >= 0 &&
         (columns[COL_MONTH] >= 0 || columns[COL_TEXT] >= 0);
}

static const CmCsvField *
get_field (Reader           *reader,
           const CmCsvField *fields,
           guint             n_fields,
           int               column)
{
  int index = reader->columns[column];

  if (index < 0 || (guint) index >= n_fields)
    return NULL;
  return &fields[index];
}

/* The field's text if it has any (other than white space). */
static const char *
get_text (Reader           *reader,
          const CmCsvField *fields,
          guint             n_fields,
          int               column)
{
  const CmCsvField *field = get_field (reader, fields, n_fields, column);

  if (field == NULL)
    return NULL;
  for (const char *p = field->text; *p != '\0'; p++)
    if (!g_ascii_isspace (*p))
      return field->text;
  return NULL;
}

static void
problem (Reader           *reader,
         const CmCsvField *field,
         guint             record,
         int               column,
         const char       *message)
{
  g_autofree char *path = g_strdup_printf (_("row %u, %s"), record + 1, column_names[column]);

  cm_loader_context_add_problem_at (cm_import_get_context (reader->import), field->offset, path,
                                    "%s", message);
}

/* A whole number in a cell; -1 if empty; FALSE after a problem. */
static gboolean
read_number (Reader           *reader,
             const CmCsvField *fields,
             guint             n_fields,
             guint             record,
             int               column,
             gint64           *out)
{
  const char *text = get_text (reader, fields, n_fields, column);
  g_autofree char *trimmed = NULL;
  char *end;

  *out = -1;
  if (text == NULL)
    return TRUE;

  trimmed = g_strstrip (g_strdup (text));
  *out = g_ascii_strtoll (trimmed, &end, 10);
  if (*end != '\0' || (column != COL_YEAR && column != COL_END_YEAR && *out < 0))
    {
      g_autofree char *quoted = cm_loader_quote (text);
      g_autofree char *message = g_strdup_printf (_("%s is not a whole number"), quoted);

      problem (reader, get_field (reader, fields, n_fields, column), record, column, message);
      return FALSE;
    }
  return TRUE;
}

/* "10:30", "10:30:15", "9:05 PM"; empty gives -1s. */
static gboolean
read_clock (Reader           *reader,
            const CmCsvField *fields,
            guint             n_fields,
            guint             record,
            int               column,
            int              *hour,
            int              *minute,
            int              *second)
{
  const char *text = get_text (reader, fields, n_fields, column);
  g_autofree char *trimmed = NULL;
  const char *p;
  char *end;
  long h, m = 0, s = -1;

  *hour = *minute = *second = -1;
  if (text == NULL)
    return TRUE;

  p = trimmed = g_strstrip (g_strdup (text));
  h = strtol (p, &end, 10);
  if (end == p)
    goto fail;
  p = end;
  if (*p == ':')
    {
      m = strtol (p + 1, &end, 10);
      if (end == p + 1)
        goto fail;
      p = end;
      if (*p == ':')
        {
          s = strtol (p + 1, &end, 10);
          if (end == p + 1)
            goto fail;
          p = end;
        }
    }
  while (*p == ' ')
    p++;
  if (g_ascii_strcasecmp (p, "pm") == 0 || g_ascii_strcasecmp (p, "p.m.") == 0)
    {
      if (h < 1 || h > 12)
        goto fail;
      h = h % 12 + 12;
    }
  else if (g_ascii_strcasecmp (p, "am") == 0 || g_ascii_strcasecmp (p, "a.m.") == 0)
    {
      if (h < 1 || h > 12)
        goto fail;
      h = h % 12;
    }
  else if (*p != '\0')
    goto fail;

  if (h < 0 || h > 23 || m < 0 || m > 59 || s > 59)
    goto fail;

  *hour = h;
  *minute = m;
  *second = s;
  return TRUE;

fail:
  {
    g_autofree char *quoted = cm_loader_quote (text);
    g_autofree char *message = g_strdup_printf (_("%s is not a time of day such as 14:30"),
                                                quoted);

    problem (reader, get_field (reader, fields, n_fields, column), record, column, message);
    return FALSE;
  }
}

/* The date of the columns from @first (Year or End Year); FALSE if none is
 * given (*given FALSE) or after a problem (*given TRUE). */
static gboolean
read_date (Reader           *reader,
           const CmCsvField *fields,
           guint             n_fields,
           guint             record,
           int               first,
           CmTime           *out,
           gboolean         *given)
{
  g_autoptr(GError) error = NULL;
  gint64 year, month, day;
  int hour, minute, second;
  const CmCsvField *at;
  int missing = -1;

  *given = FALSE;
  if (!read_number (reader, fields, n_fields, record, first, &year) ||
      !read_number (reader, fields, n_fields, record, first + 1, &month) ||
      !read_number (reader, fields, n_fields, record, first + 2, &day) ||
      !read_clock (reader, fields, n_fields, record, first + 3, &hour, &minute, &second))
    {
      *given = TRUE;
      return FALSE;
    }

  if (year == -1 && month < 0 && day < 0 && hour < 0 &&
      get_text (reader, fields, n_fields, first) == NULL)
    return FALSE;
  *given = TRUE;

  if (get_text (reader, fields, n_fields, first) == NULL)
    missing = first;
  else if (month < 0 && (day >= 0 || hour >= 0))
    missing = first + 1;
  else if (day < 0 && hour >= 0)
    missing = first + 2;
  if (missing >= 0)
    {
      g_autofree char *message = g_strdup_printf (_("this date needs a %s"),
                                                  column_names[missing]);

      at = get_field (reader, fields, n_fields, missing);
      if (at == NULL)
        at = &fields[0];
      problem (reader, at, record, missing, message);
      return FALSE;
    }

  if (!cm_import_civil_time (_cm_import_timelinejs_year (year), month, month >= 0 ? day : -1,
                             day >= 0 ? hour : -1,
                             minute, second, out, &error))
    {
      problem (reader, get_field (reader, fields, n_fields, first), record, first,
               error->message);
      return FALSE;
    }

  return TRUE;
}

static gboolean
row_cb (gpointer          user_data,
        guint             record,
        const CmCsvField *fields,
        guint             n_fields)
{
  Reader *reader = user_data;
  CmTimelinejsSlide slide = { 0 };
  const char *type;
  CmTime start, end;
  gboolean has_start, has_end, start_given, end_given;
  gboolean blank = TRUE;

  if (!reader->have_header)
    {
      find_columns (fields, n_fields, reader->columns);
      reader->have_header = TRUE;
      return TRUE;
    }
  if (cm_import_check_cancelled (reader->import))
    {
      reader->stopped = TRUE;
      return FALSE;
    }

  for (guint i = 0; i < n_fields && blank; i++)
    for (const char *p = fields[i].text; *p != '\0' && blank; p++)
      blank = g_ascii_isspace (*p);
  if (blank)
    return TRUE;

  slide.headline = get_text (reader, fields, n_fields, COL_HEADLINE);
  slide.text = get_text (reader, fields, n_fields, COL_TEXT);
  slide.media_url = get_text (reader, fields, n_fields, COL_MEDIA);
  slide.media_caption = get_text (reader, fields, n_fields, COL_MEDIA_CAPTION);
  slide.media_credit = get_text (reader, fields, n_fields, COL_MEDIA_CREDIT);
  slide.group = get_text (reader, fields, n_fields, COL_GROUP);
  slide.display_date = get_text (reader, fields, n_fields, COL_DISPLAY_DATE);
  type = get_text (reader, fields, n_fields, COL_TYPE);

  if (type != NULL && name_matches (type, "title"))
    {
      _cm_import_timelinejs_set_title (reader->import, &slide);
      return TRUE;
    }

  has_start = read_date (reader, fields, n_fields, record, COL_YEAR, &start, &start_given);
  has_end = read_date (reader, fields, n_fields, record, COL_END_YEAR, &end, &end_given);
  if (!start_given)
    {
      const CmCsvField *at = get_field (reader, fields, n_fields, COL_YEAR);

      problem (reader, at ? at : &fields[0], record, COL_YEAR,
               _("a slide needs a Year (or Type \"title\" for the title slide)"));
      return TRUE;
    }
  if (!has_start || (end_given && !has_end))
    return TRUE;

  {
    const CmCsvField *end_field = get_field (reader, fields, n_fields, COL_END_YEAR);
    CmJsonNode end_at = { 0 };
    g_autofree char *end_path = g_strdup_printf (_("row %u, %s"), record + 1,
                                                 column_names[COL_END_YEAR]);
    CmLoaderPath path = { NULL, end_path, 0 };

    /* Problems of the end are reported at the End Year cell. */
    end_at.offset = end_field ? end_field->offset : fields[0].offset;
    _cm_import_timelinejs_add_slide (reader->import, &slide, &start, has_end ? &end : NULL,
                                     type != NULL && name_matches (type, "era"),
                                     &end_at, &path);
  }

  return TRUE;
}

void
cm_import_timelinejs_csv (CmLoaderContext  *context,
                          const char       *data,
                          gsize             length,
                          CmDatasetBuilder *builder)
{
  g_autoptr(CmImport) import = cm_import_new (context, builder);
  g_autoptr(GError) error = NULL;
  Reader reader = { import, { 0 }, FALSE, FALSE };
  gsize error_offset = 0;

  if (!cm_csv_read (data, length, row_cb, &reader, &error_offset, &error))
    cm_loader_context_add_problem_at (context, error_offset, NULL, "%s", error->message);
}
