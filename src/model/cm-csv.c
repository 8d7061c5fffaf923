/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-csv"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "cm-csv.h"

G_DEFINE_QUARK (cm-csv-error-quark, cm_csv_error)

typedef struct
{
  GString *text;      /* all fields of the record, each NUL-terminated */
  GArray  *starts;    /* guint: where each field starts in text */
  GArray  *offsets;   /* gsize: where each field starts in the input */
  GArray  *fields;    /* CmCsvField, filled at the end of the record */
} Record;

static void
start_field (Record *record,
             gsize   offset)
{
  guint start = record->text->len;

  g_array_append_val (record->starts, start);
  g_array_append_val (record->offsets, offset);
}

static void
end_field (Record *record)
{
  g_string_append_c (record->text, '\0');
}

static gboolean
emit_record (Record          *record,
             guint            number,
             CmCsvRecordFunc  func,
             gpointer         user_data)
{
  gboolean go_on;

  g_array_set_size (record->fields, record->starts->len);
  for (guint i = 0; i < record->starts->len; i++)
    {
      CmCsvField *field = &g_array_index (record->fields, CmCsvField, i);
      guint start = g_array_index (record->starts, guint, i);

      field->text = record->text->str + start;
      field->length = strlen (field->text);
      field->offset = g_array_index (record->offsets, gsize, i);
    }

  go_on = func (user_data, number, (CmCsvField *) record->fields->data, record->fields->len);

  g_string_truncate (record->text, 0);
  g_array_set_size (record->starts, 0);
  g_array_set_size (record->offsets, 0);

  return go_on;
}

static gboolean
fail (GError    **error,
      gsize      *error_offset,
      gsize       offset,
      CmCsvError  code,
      const char *message)
{
  if (error_offset != NULL)
    *error_offset = offset;
  g_set_error_literal (error, CM_CSV_ERROR, code, message);
  return FALSE;
}

gboolean
cm_csv_read (const char       *data,
             gsize             length,
             CmCsvRecordFunc   func,
             gpointer          user_data,
             gsize            *error_offset,
             GError          **error)
{
  Record record;
  const char *invalid = NULL;
  gsize i = 0;
  guint number = 0;
  gboolean ok = TRUE;

  g_return_val_if_fail (data != NULL || length == 0, FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  /* Read up to invalid UTF-8, and report it where it is. */
  if (!g_utf8_validate (data, length, &invalid))
    length = invalid - data;
  else
    invalid = NULL;

  if (length >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
    i = 3;

  record.text = g_string_new (NULL);
  record.starts = g_array_new (FALSE, FALSE, sizeof (guint));
  record.offsets = g_array_new (FALSE, FALSE, sizeof (gsize));
  record.fields = g_array_new (FALSE, FALSE, sizeof (CmCsvField));

  while (ok && i < length)
    {
      gboolean end_of_record = FALSE;

      start_field (&record, i);

      if (data[i] == '"')
        {
          gsize open = i++;

          for (;;)
            {
              const char *quote = memchr (data + i, '"', length - i);

              if (quote == NULL)
                {
                  ok = fail (error, error_offset, open, CM_CSV_ERROR_SYNTAX,
                             _("this quoted field is never closed"));
                  break;
                }
              g_string_append_len (record.text, data + i, quote - (data + i));
              i = quote - data + 1;
              if (i < length && data[i] == '"')
                {
                  g_string_append_c (record.text, '"');
                  i++;
                  continue;
                }
              break;
            }
          if (!ok)
            break;
          if (i < length && data[i] != ',' && data[i] != '\n' && data[i] != '\r')
            {
              ok = fail (error, error_offset, i, CM_CSV_ERROR_SYNTAX,
                         _("text after the closing quote of a field: "
                           "a quote inside a quoted field is written twice (\"\")"));
              break;
            }
        }
      else
        {
          gsize start = i;

          while (i < length && data[i] != ',' && data[i] != '\n' && data[i] != '\r')
            i++;
          g_string_append_len (record.text, data + start, i - start);
        }
      end_field (&record);

      if (i >= length)
        end_of_record = TRUE;
      else if (data[i] == ',')
        {
          i++;
          if (i >= length)
            {
              /* "a,b," at the very end: a last, empty field. */
              start_field (&record, i);
              end_field (&record);
              end_of_record = TRUE;
            }
        }
      else
        {
          if (data[i] == '\r' && i + 1 < length && data[i + 1] == '\n')
            i++;
          i++;
          end_of_record = TRUE;
        }

      if (end_of_record)
        ok = emit_record (&record, number++, func, user_data) && ok;
      if (!ok)
        {
          /* Stopped by the callback: not an error. */
          ok = TRUE;
          invalid = NULL;
          break;
        }
    }

  if (ok && invalid != NULL)
    ok = fail (error, error_offset, invalid - data, CM_CSV_ERROR_UTF8,
               _("invalid UTF-8: save the file as UTF-8"));

  g_string_free (record.text, TRUE);
  g_array_unref (record.starts);
  g_array_unref (record.offsets);
  g_array_unref (record.fields);

  return ok;
}
