/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A small JSON reader for the loader and the importers. Unlike json-glib it
 * records where each value starts, so problems can be reported at a line
 * and column; it checks what json-glib 1.6 does not (UTF-8, nesting depth,
 * numbers that overflow to infinity); and it is fast and compact: strings
 * stay in the input buffer (NUL-terminated in place), nodes live in one
 * arena, and the whole tree goes away with cm_json_document_free().
 *
 * Locations are byte offsets into the input. cm_json_document_locate()
 * turns one into a 1-based line and a 1-based column that counts Unicode
 * characters (code points), not bytes: a tab is one column, "é" is one
 * column. That is what text editors show. */

#define CM_JSON_MAX_DEPTH 512

typedef enum
{
  CM_JSON_NULL,
  CM_JSON_FALSE,
  CM_JSON_TRUE,
  CM_JSON_NUMBER,
  CM_JSON_STRING,
  CM_JSON_ARRAY,
  CM_JSON_OBJECT,
} CmJsonType;

typedef struct _CmJsonNode CmJsonNode;

/* 16 bytes: a 100k-event file has some 3 million values. */
#define CM_JSON_MAX_LENGTH ((1u << 29) - 1)

struct _CmJsonNode
{
  guint32 offset;     /* byte offset of the value's first character */
  guint32 type : 3;   /* CmJsonType */
  guint32 length : 29;  /* bytes of a string, elements of an array, members of an object */
  union
  {
    double            number;
    const char       *string;    /* NUL-terminated UTF-8, no NUL inside (\u0000 is a problem) */
    const CmJsonNode *children;  /* arrays: length nodes; objects: 2 * length, key then value */
  } v;
};

typedef struct _CmJsonDocument CmJsonDocument;

#define CM_JSON_ERROR (cm_json_error_quark ())

typedef enum
{
  CM_JSON_ERROR_SYNTAX,      /* not JSON */
  CM_JSON_ERROR_UTF8,        /* invalid UTF-8 */
  CM_JSON_ERROR_DEPTH,       /* nested deeper than CM_JSON_MAX_DEPTH */
  CM_JSON_ERROR_TOO_LARGE,   /* 4 GiB or more, or a string or array over CM_JSON_MAX_LENGTH */
} CmJsonError;

/* Problems that do not stop reading (a number that overflows to infinity):
 * @path is where the value is, as "events[3].start" ("" at the top). */
typedef void (*CmJsonProblemFunc) (gpointer    user_data,
                                   gsize       offset,
                                   const char *path,
                                   const char *message);

GQuark            cm_json_error_quark         (void);

/* Parses @data in place: it must stay alive as long as the document and be
 * @length bytes long plus one more byte (any value) at data[length]. The
 * only bytes changed are the closing quotes of strings, which become NUL
 * (strings with escapes are decoded into the arena), so line and column
 * counts of @data stay right after parsing. On a fatal
 * error returns NULL, sets @error (CM_JSON_ERROR or G_IO_ERROR_CANCELLED),
 * stores the byte offset of the problem in @error_offset and its path in
 * @error_path (free with g_free). The cancellable is checked every few
 * thousand values. If @problem_cutoff is not NULL, problems at or after
 * the offset it points to are passed with an empty path and message: the
 * consumer only counts them (it keeps a limited number, in file order). */
CmJsonDocument   *cm_json_document_parse      (char              *data,
                                               gsize              length,
                                               GCancellable      *cancellable,
                                               CmJsonProblemFunc  problem_func,
                                               gpointer           user_data,
                                               const gsize       *problem_cutoff,
                                               gsize             *error_offset,
                                               char             **error_path,
                                               GError           **error);
void              cm_json_document_free       (CmJsonDocument    *document);
const CmJsonNode *cm_json_document_get_root   (CmJsonDocument    *document);

/* Line and column (both 1-based, columns in characters) of byte offsets
 * of a text: new() builds a line index in one pass, locate() bisects it.
 * A UTF-8 byte order mark at the start takes no column. */
typedef struct _CmJsonLines CmJsonLines;

CmJsonLines      *cm_json_lines_new           (const char        *data,
                                               gsize              length);
void              cm_json_lines_free          (CmJsonLines       *lines);
void              cm_json_lines_locate        (CmJsonLines       *lines,
                                               gsize              offset,
                                               guint             *line,
                                               guint             *column);

const char       *cm_json_type_name           (CmJsonType         type);
/* "expected a string, found a number", translated as one sentence. */
const char       *cm_json_type_mismatch       (CmJsonType         expected,
                                               CmJsonType         found);

/* The value of @key in an object (the last one if repeated), or NULL. */
const CmJsonNode *cm_json_node_get_member     (const CmJsonNode  *object,
                                               const char        *key);
/* The same, but NULL also when @object is NULL or not an object, or the
 * value is not of @type: for importers probing a foreign document. */
const CmJsonNode *cm_json_node_get_member_of_type (const CmJsonNode *object,
                                                   const char       *key,
                                                   CmJsonType        type);

/* The element at @index, or NULL past the end (an empty array has no
 * children to point into). */
static inline const CmJsonNode *
cm_json_node_get_element (const CmJsonNode *array,
                          guint             index)
{
  return index < array->length ? &array->v.children[index] : NULL;
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CmJsonDocument, cm_json_document_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CmJsonLines, cm_json_lines_free)

G_END_DECLS
