/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A reader of comma-separated values as RFC 4180 describes them, as
 * spreadsheets save them: fields separated by commas, records by CRLF, LF
 * or CR; a field in double quotes may hold commas, line breaks and doubled
 * quotes (""). A UTF-8 byte order mark at the start is skipped. Lenient
 * where spreadsheets are: a quote inside an unquoted field is kept as
 * text, and the last record may lack its line break. Not lenient where
 * data would be lost: an unclosed quote, text after a closing quote, and
 * invalid UTF-8 are errors with their byte offset. Records may have
 * different numbers of fields; a blank line is a record with one empty
 * field.
 *
 * The reader is one pass over the input; each record's fields go to the
 * callback, decoded, with the byte offset where each field starts (for
 * line and column in messages). */

typedef struct
{
  const char *text;     /* decoded, NUL-terminated; valid until the callback returns */
  gsize       length;
  gsize       offset;   /* byte offset of the field's first character in the input */
} CmCsvField;

/* Return FALSE to stop reading (cm_csv_read() then returns TRUE). */
typedef gboolean (*CmCsvRecordFunc) (gpointer          user_data,
                                     guint             record,
                                     const CmCsvField *fields,
                                     guint             n_fields);

#define CM_CSV_ERROR (cm_csv_error_quark ())

typedef enum
{
  CM_CSV_ERROR_SYNTAX,
  CM_CSV_ERROR_UTF8,
} CmCsvError;

GQuark   cm_csv_error_quark (void);

gboolean cm_csv_read        (const char       *data,
                             gsize             length,
                             CmCsvRecordFunc   func,
                             gpointer          user_data,
                             gsize            *error_offset,
                             GError          **error);

G_END_DECLS
