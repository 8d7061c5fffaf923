/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-json"

#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n.h>

#include "cm-json-reader.h"

G_DEFINE_QUARK (cm-json-error-quark, cm_json_error)

#define ARENA_BLOCK_SIZE (1024 * 1024)
#define CANCEL_CHECK_MASK 0xffff

G_STATIC_ASSERT (sizeof (CmJsonNode) == 8 + sizeof (gpointer));

struct _CmJsonDocument
{
  GPtrArray  *blocks;
  char       *current;
  gsize       remaining;
  CmJsonNode *root;
};

typedef struct
{
  gboolean is_object;
  guint    base;        /* first stack slot of this container's children */
} Frame;

typedef struct
{
  CmJsonDocument    *document;
  const guchar      *data;
  const guchar      *p;
  const guchar      *end;

  /* Children of the open containers; a container's children move to the
   * arena, contiguous, when it closes. */
  CmJsonNode        *stack;
  guint              n_stack;
  guint              stack_size;

  Frame              frames[CM_JSON_MAX_DEPTH];
  guint              depth;
  guint              n_values;

  GCancellable      *cancellable;
  CmJsonProblemFunc  problem_func;
  gpointer           user_data;
  const gsize       *problem_cutoff;

  GError            *error;
  gsize              error_offset;
  char              *error_path;
} Parser;

/* Bytes that end the fast scan of a string. */
static const guchar string_special[256] = {
  [0x00 ... 0x1f] = 1,
  ['"'] = 1,
  ['\\'] = 1,
  [0x80 ... 0xff] = 1,
};

static gpointer
arena_alloc (CmJsonDocument *document,
             gsize           size)
{
  gpointer result;

  size = (size + 7) & ~(gsize) 7;
  if (size > ARENA_BLOCK_SIZE / 4)
    {
      result = g_malloc (size);
      g_ptr_array_add (document->blocks, result);
      return result;
    }

  if (size > document->remaining)
    {
      document->current = g_malloc (ARENA_BLOCK_SIZE);
      document->remaining = ARENA_BLOCK_SIZE;
      g_ptr_array_add (document->blocks, document->current);
    }

  result = document->current;
  document->current += size;
  document->remaining -= size;

  return result;
}

void
cm_json_document_free (CmJsonDocument *document)
{
  if (document == NULL)
    return;

  g_ptr_array_unref (document->blocks);
  g_free (document);
}

const CmJsonNode *
cm_json_document_get_root (CmJsonDocument *document)
{
  g_return_val_if_fail (document != NULL, NULL);

  return document->root;
}

const char *
cm_json_type_name (CmJsonType type)
{
  static const char *const names[] = {
    "null", "false", "true", N_("a number"), N_("a string"), N_("an array"), N_("an object"),
  };

  g_return_val_if_fail (type <= CM_JSON_OBJECT, NULL);

  return _(names[type]);
}

const char *
cm_json_type_mismatch (CmJsonType expected,
                       CmJsonType found)
{
  /* Whole sentences, so that each can be translated with its own cases. */
  static const char *const messages[][CM_JSON_OBJECT + 1] = {
    [CM_JSON_NUMBER] = {
      N_("expected a number, found null"), N_("expected a number, found false"),
      N_("expected a number, found true"), NULL,
      N_("expected a number, found a string"), N_("expected a number, found an array"),
      N_("expected a number, found an object"),
    },
    [CM_JSON_STRING] = {
      N_("expected a string, found null"), N_("expected a string, found false"),
      N_("expected a string, found true"), N_("expected a string, found a number"), NULL,
      N_("expected a string, found an array"), N_("expected a string, found an object"),
    },
    [CM_JSON_ARRAY] = {
      N_("expected an array, found null"), N_("expected an array, found false"),
      N_("expected an array, found true"), N_("expected an array, found a number"),
      N_("expected an array, found a string"), NULL, N_("expected an array, found an object"),
    },
    [CM_JSON_OBJECT] = {
      N_("expected an object, found null"), N_("expected an object, found false"),
      N_("expected an object, found true"), N_("expected an object, found a number"),
      N_("expected an object, found a string"), N_("expected an object, found an array"), NULL,
    },
  };

  g_return_val_if_fail (expected >= CM_JSON_NUMBER && expected <= CM_JSON_OBJECT, NULL);
  g_return_val_if_fail (found <= CM_JSON_OBJECT && found != expected, NULL);

  return _(messages[expected][found]);
}

const CmJsonNode *
cm_json_node_get_member (const CmJsonNode *object,
                         const char       *key)
{
  const CmJsonNode *found = NULL;

  g_return_val_if_fail (object != NULL && object->type == CM_JSON_OBJECT, NULL);
  g_return_val_if_fail (key != NULL, NULL);

  for (guint i = 0; i < object->length; i++)
    if (strcmp (object->v.children[2 * i].v.string, key) == 0)
      found = &object->v.children[2 * i + 1];

  return found;
}

const CmJsonNode *
cm_json_node_get_member_of_type (const CmJsonNode *object,
                                 const char       *key,
                                 CmJsonType        type)
{
  const CmJsonNode *value;

  g_return_val_if_fail (key != NULL, NULL);

  if (object == NULL || object->type != CM_JSON_OBJECT)
    return NULL;
  value = cm_json_node_get_member (object, key);
  return value != NULL && value->type == type ? value : NULL;
}

/* The path of the value being read, from the open containers. The
 * innermost container contributes a segment only if @in_value. */
static char *
parser_path (Parser   *parser,
             gboolean  in_value)
{
  GString *path = g_string_new (NULL);

  for (guint i = 0; i < parser->depth; i++)
    {
      const Frame *frame = &parser->frames[i];
      guint end = i + 1 < parser->depth ? parser->frames[i + 1].base : parser->n_stack;
      guint count = end - frame->base;

      if (i + 1 == parser->depth && !in_value)
        break;

      /* A path 500 levels deep says no more than its ends and its depth. */
      if (parser->depth > 16 && i == 6)
        {
          g_string_append_printf (path, "…(%u levels)…", parser->depth - 12);
          i = parser->depth - 7;
          continue;
        }

      if (!frame->is_object)
        g_string_append_printf (path, "[%u]", count);
      else if (count % 2 == 1)
        g_string_append_printf (path, "%s%s", path->len ? "." : "",
                                parser->stack[end - 1].v.string);
      else
        break;
    }

  return g_string_free (path, FALSE);
}

static gboolean G_GNUC_PRINTF (5, 6)
fail (Parser       *parser,
      const guchar *at,
      CmJsonError   code,
      gboolean      in_value,
      const char   *format,
      ...)
{
  va_list args;

  g_assert (parser->error == NULL);

  va_start (args, format);
  parser->error = g_error_new_valist (CM_JSON_ERROR, code, format, args);
  va_end (args);
  parser->error_offset = at - parser->data;
  parser->error_path = parser_path (parser, in_value);

  return FALSE;
}

typedef enum
{
  EXPECT_ESCAPE,
  EXPECT_DIGIT,
  EXPECT_FRACTION,
  EXPECT_EXPONENT,
  EXPECT_ARRAY_NEXT,
  EXPECT_KEY,
  EXPECT_COLON,
  EXPECT_OBJECT_NEXT,
  EXPECT_VALUE,
  EXPECT_END,
  N_EXPECTED
} Expected;

/* What the parser expected where it found something else: whole
 * sentences per case (end of file, a character, a control character), so
 * that each can be translated as one. */
static const char *const unexpected_messages[N_EXPECTED][3] = {
  [EXPECT_ESCAPE] = {
    N_("unexpected end of file, expected an escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u)"),
    N_("unexpected character “%s”, expected an escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u)"),
    N_("unexpected character U+%04X, expected an escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u)"),
  },
  [EXPECT_DIGIT] = {
    N_("unexpected end of file, expected a digit"),
    N_("unexpected character “%s”, expected a digit"),
    N_("unexpected character U+%04X, expected a digit"),
  },
  [EXPECT_FRACTION] = {
    N_("unexpected end of file, expected a digit after the decimal point"),
    N_("unexpected character “%s”, expected a digit after the decimal point"),
    N_("unexpected character U+%04X, expected a digit after the decimal point"),
  },
  [EXPECT_EXPONENT] = {
    N_("unexpected end of file, expected a digit in the exponent"),
    N_("unexpected character “%s”, expected a digit in the exponent"),
    N_("unexpected character U+%04X, expected a digit in the exponent"),
  },
  [EXPECT_ARRAY_NEXT] = {
    N_("unexpected end of file, expected “,” or “]”"),
    N_("unexpected character “%s”, expected “,” or “]”"),
    N_("unexpected character U+%04X, expected “,” or “]”"),
  },
  [EXPECT_KEY] = {
    N_("unexpected end of file, expected a key in double quotes"),
    N_("unexpected character “%s”, expected a key in double quotes"),
    N_("unexpected character U+%04X, expected a key in double quotes"),
  },
  [EXPECT_COLON] = {
    N_("unexpected end of file, expected “:”"),
    N_("unexpected character “%s”, expected “:”"),
    N_("unexpected character U+%04X, expected “:”"),
  },
  [EXPECT_OBJECT_NEXT] = {
    N_("unexpected end of file, expected “,” or “}”"),
    N_("unexpected character “%s”, expected “,” or “}”"),
    N_("unexpected character U+%04X, expected “,” or “}”"),
  },
  [EXPECT_VALUE] = {
    N_("unexpected end of file, expected a value"),
    N_("unexpected character “%s”, expected a value"),
    N_("unexpected character U+%04X, expected a value"),
  },
  [EXPECT_END] = {
    N_("unexpected end of file, expected the end of the file after the top-level value"),
    N_("unexpected character “%s”, expected the end of the file after the top-level value"),
    N_("unexpected character U+%04X, expected the end of the file after the top-level value"),
  },
};

static gboolean
fail_unexpected (Parser   *parser,
                 gboolean  in_value,
                 Expected  expected)
{
  const char *const *messages = unexpected_messages[expected];
  const guchar *p = parser->p;
  char buf[8] = { 0 };

  if (p >= parser->end)
    return fail (parser, p, CM_JSON_ERROR_SYNTAX, in_value, _(messages[0]), NULL);

  if (*p >= 0x80)
    {
      gunichar c = g_utf8_get_char_validated ((const char *) p, parser->end - p);

      if (c == (gunichar) -1 || c == (gunichar) -2)
        return fail (parser, p, CM_JSON_ERROR_UTF8, in_value, _("invalid UTF-8 (byte 0x%02x)"), *p);

      g_unichar_to_utf8 (c, buf);
      return fail (parser, p, CM_JSON_ERROR_SYNTAX, in_value, _(messages[1]), buf);
    }

  if (g_ascii_isgraph (*p))
    {
      buf[0] = *p;
      return fail (parser, p, CM_JSON_ERROR_SYNTAX, in_value, _(messages[1]), buf);
    }

  return fail (parser, p, CM_JSON_ERROR_SYNTAX, in_value, _(messages[2]), *p);
}

static inline void
skip_whitespace (Parser *parser)
{
  const guchar *p = parser->p;

  while (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')
    p++;
  parser->p = p;
}

static inline CmJsonNode *
push (Parser       *parser,
      CmJsonType    type,
      const guchar *at)
{
  CmJsonNode *node;

  if (G_UNLIKELY (parser->n_stack == parser->stack_size))
    {
      parser->stack_size = MAX (256, parser->stack_size * 2);
      parser->stack = g_renew (CmJsonNode, parser->stack, parser->stack_size);
    }

  node = &parser->stack[parser->n_stack++];
  node->type = type;
  node->offset = at - parser->data;
  node->length = 0;

  return node;
}

static int
hex_value (guchar c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

static gboolean
read_hex4 (const guchar *p,
           gunichar     *out)
{
  gunichar value = 0;

  for (int i = 0; i < 4; i++)
    {
      int digit = hex_value (p[i]);

      if (digit < 0)
        return FALSE;
      value = value * 16 + digit;
    }

  *out = value;
  return TRUE;
}

/* Whether the consumer keeps a problem at @at, or only counts it (then
 * its path need not be written). */
static inline gboolean
problem_wanted (Parser       *parser,
                const guchar *at)
{
  return parser->problem_cutoff == NULL || (gsize) (at - parser->data) < *parser->problem_cutoff;
}

/* \u0000 would end the string early for everything that reads it as C
 * text ("2025-02-18\u0000garbage" read as a date, "a\u0000x" as id "a"):
 * it is a problem where it stands, and reading goes on. */
static gboolean
report_nul (Parser       *parser,
            const guchar *at)
{
  const char *message = _("\\u0000 (the NUL character) is not allowed in a string");
  g_autofree char *path = NULL;

  if (parser->problem_func == NULL)
    return fail (parser, at, CM_JSON_ERROR_SYNTAX, TRUE, "%s", message);

  if (problem_wanted (parser, at))
    path = parser_path (parser, TRUE);
  parser->problem_func (parser->user_data, at - parser->data, path ? path : "", message);
  return TRUE;
}

/* Decodes the escapes of the string between @start and @end into the
 * arena. The scan already found @end, so every escape has a next byte. */
static gboolean
decode_string (Parser        *parser,
               const guchar  *start,
               const guchar  *end,
               const char   **string,
               gsize         *length)
{
  char *out = arena_alloc (parser->document, end - start + 1);
  char *o = out;

  for (const guchar *p = start; p < end;)
    {
      gunichar c;

      if (*p != '\\')
        {
          *o++ = *p++;
          continue;
        }

      switch (p[1])
        {
        case '"': *o++ = '"'; p += 2; continue;
        case '\\': *o++ = '\\'; p += 2; continue;
        case '/': *o++ = '/'; p += 2; continue;
        case 'b': *o++ = '\b'; p += 2; continue;
        case 'f': *o++ = '\f'; p += 2; continue;
        case 'n': *o++ = '\n'; p += 2; continue;
        case 'r': *o++ = '\r'; p += 2; continue;
        case 't': *o++ = '\t'; p += 2; continue;
        case 'u':
          break;
        default:
          parser->p = p + 1;
          return fail_unexpected (parser, TRUE, EXPECT_ESCAPE);
        }

      if (p + 6 > end || !read_hex4 (p + 2, &c))
        return fail (parser, p, CM_JSON_ERROR_SYNTAX, TRUE,
                     _("\\u must be followed by four hexadecimal digits"));
      if (c >= 0xdc00 && c <= 0xdfff)
        return fail (parser, p, CM_JSON_ERROR_SYNTAX, TRUE,
                     _("\\u%04X is half of a surrogate pair without its first half"), c);
      if (c >= 0xd800 && c <= 0xdbff)
        {
          gunichar low;

          if (p + 12 > end || p[6] != '\\' || p[7] != 'u' || !read_hex4 (p + 8, &low) ||
              low < 0xdc00 || low > 0xdfff)
            return fail (parser, p, CM_JSON_ERROR_SYNTAX, TRUE,
                         _("\\u%04X is half of a surrogate pair without its second half"), c);
          c = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
          p += 6;
        }
      p += 6;
      if (G_UNLIKELY (c == 0) && !report_nul (parser, p - 6))
        return FALSE;
      /* U+FFFD in its place keeps "a\u0000x" and "a\u0000y" apart. */
      o += g_unichar_to_utf8 (c == 0 ? 0xfffd : c, o);
    }

  *o = '\0';
  *string = out;
  *length = o - out;

  return TRUE;
}

static gboolean
parse_string (Parser *parser)
{
  const guchar *open = parser->p;
  const guchar *start = open + 1;
  const guchar *q = start;
  gboolean has_escape = FALSE, has_high = FALSE;
  const char *string = NULL;
  gsize length = 0;
  CmJsonNode *node;

  for (;;)
    {
      guchar c = *q;

      if (G_LIKELY (!string_special[c]))
        {
          q++;
          continue;
        }
      if (c == '"')
        break;
      if (c == '\\')
        {
          if (q + 1 >= parser->end)
            return fail (parser, open, CM_JSON_ERROR_SYNTAX, TRUE, _("unterminated string"));
          has_escape = TRUE;
          q += 2;
          continue;
        }
      if (c >= 0x80)
        {
          has_high = TRUE;
          q++;
          continue;
        }
      if (q >= parser->end)
        return fail (parser, open, CM_JSON_ERROR_SYNTAX, TRUE, _("unterminated string"));
      if (c == '\n')
        return fail (parser, q, CM_JSON_ERROR_SYNTAX, TRUE,
                     _("line break in a string (write it as \\n)"));
      return fail (parser, q, CM_JSON_ERROR_SYNTAX, TRUE,
                   _("control character U+%04X in a string (escape it)"), c);
    }

  if (has_high)
    {
      const char *bad;

      if (!g_utf8_validate_len ((const char *) start, q - start, &bad))
        return fail (parser, (const guchar *) bad, CM_JSON_ERROR_UTF8, TRUE,
                     _("invalid UTF-8 (byte 0x%02x)"), *(const guchar *) bad);
    }

  if (has_escape)
    {
      if (!decode_string (parser, start, q, &string, &length))
        return FALSE;
    }
  else
    {
      /* In place: the closing quote becomes the terminator. */
      *(guchar *) q = '\0';
      string = (const char *) start;
      length = q - start;
    }

  if (G_UNLIKELY (length > CM_JSON_MAX_LENGTH))
    return fail (parser, open, CM_JSON_ERROR_TOO_LARGE, TRUE,
                 _("strings of 512 MiB or more are not supported"));

  node = push (parser, CM_JSON_STRING, open);
  node->v.string = string;
  node->length = length;

  parser->p = q + 1;
  return TRUE;
}

static const double powers_of_ten[] = {
  1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
  1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

static gboolean
parse_number (Parser *parser)
{
  const guchar *start = parser->p;
  const guchar *p = start;
  gboolean negative = FALSE, exact = TRUE;
  guint64 mantissa = 0;
  int n_digits = 0, exponent = 0;
  double value;

  if (*p == '-')
    {
      negative = TRUE;
      p++;
    }

  if (*p == 'I' && strncmp ((const char *) p, "Infinity", 8) == 0)
    return fail (parser, start, CM_JSON_ERROR_SYNTAX, TRUE,
                 _("-Infinity is not a number: JSON numbers are finite"));

  if (!g_ascii_isdigit (*p))
    {
      parser->p = p;
      return fail_unexpected (parser, TRUE, EXPECT_DIGIT);
    }

  if (*p == '0' && g_ascii_isdigit (p[1]))
    return fail (parser, start, CM_JSON_ERROR_SYNTAX, TRUE,
                 _("numbers must not start with 0 (write 7, not 07)"));

  for (; g_ascii_isdigit (*p); p++)
    {
      if (n_digits < 19)
        {
          mantissa = mantissa * 10 + (*p - '0');
          n_digits += mantissa != 0;
        }
      else
        {
          exponent++;
          exact = FALSE;
        }
    }

  if (*p == '.')
    {
      p++;
      if (!g_ascii_isdigit (*p))
        {
          parser->p = p;
          return fail_unexpected (parser, TRUE, EXPECT_FRACTION);
        }
      for (; g_ascii_isdigit (*p); p++)
        {
          if (n_digits < 19)
            {
              mantissa = mantissa * 10 + (*p - '0');
              n_digits += mantissa != 0;
              exponent--;
            }
          else
            exact = FALSE;
        }
    }

  if (*p == 'e' || *p == 'E')
    {
      gboolean negative_exponent = FALSE;
      int e = 0;

      p++;
      if (*p == '+' || *p == '-')
        negative_exponent = *p++ == '-';
      if (!g_ascii_isdigit (*p))
        {
          parser->p = p;
          return fail_unexpected (parser, TRUE, EXPECT_EXPONENT);
        }
      for (; g_ascii_isdigit (*p); p++)
        e = MIN (e * 10 + (*p - '0'), 100000);
      exponent += negative_exponent ? -e : e;
    }

  /* Clinger's fast path: both operands exact, one correctly rounded
   * operation. Anything else goes to strtod. */
  if (exact && mantissa <= (G_GUINT64_CONSTANT (1) << 53) && exponent >= -22 && exponent <= 22)
    {
      value = (double) mantissa;
      value = exponent < 0 ? value / powers_of_ten[-exponent] : value * powers_of_ten[exponent];
      if (negative)
        value = -value;
    }
  else
    value = g_ascii_strtod ((const char *) start, NULL);

  if (G_UNLIKELY (!isfinite (value)) && parser->problem_func != NULL)
    {
      g_autofree char *path = NULL;
      g_autofree char *message = NULL;

      if (problem_wanted (parser, start))
        {
          path = parser_path (parser, TRUE);
          message = g_strdup_printf (_("number %.*s is too large"), (int) MIN (p - start, 40),
                                     start);
        }
      parser->problem_func (parser->user_data, start - parser->data, path ? path : "",
                            message ? message : "");
    }

  push (parser, CM_JSON_NUMBER, start)->v.number = value;
  parser->p = p;

  return TRUE;
}

static gboolean parse_value (Parser *parser);

static gboolean
close_container (Parser       *parser,
                 CmJsonType    type,
                 const guchar *open)
{
  Frame *frame = &parser->frames[parser->depth - 1];
  guint count = parser->n_stack - frame->base;
  CmJsonNode *children = NULL;
  CmJsonNode *node;

  if (G_UNLIKELY ((type == CM_JSON_OBJECT ? count / 2 : count) > CM_JSON_MAX_LENGTH))
    return fail (parser, open, CM_JSON_ERROR_TOO_LARGE, FALSE,
                 _("more than %u items in one array or object are not supported"),
                 CM_JSON_MAX_LENGTH);
  parser->depth--;

  if (count > 0)
    {
      children = arena_alloc (parser->document, count * sizeof (CmJsonNode));
      memcpy (children, &parser->stack[frame->base], count * sizeof (CmJsonNode));
    }
  parser->n_stack = frame->base;

  node = push (parser, type, open);
  node->length = type == CM_JSON_OBJECT ? count / 2 : count;
  node->v.children = children;

  return TRUE;
}

static gboolean
open_container (Parser       *parser,
                const guchar *open,
                gboolean      is_object)
{
  if (parser->depth == CM_JSON_MAX_DEPTH)
    return fail (parser, open, CM_JSON_ERROR_DEPTH, TRUE,
                 _("nested deeper than %d levels"), CM_JSON_MAX_DEPTH);

  parser->frames[parser->depth].is_object = is_object;
  parser->frames[parser->depth].base = parser->n_stack;
  parser->depth++;
  parser->p = open + 1;
  skip_whitespace (parser);

  return TRUE;
}

static gboolean
parse_array (Parser *parser)
{
  const guchar *open = parser->p;

  if (!open_container (parser, open, FALSE))
    return FALSE;

  if (*parser->p != ']')
    for (;;)
      {
        if (!parse_value (parser))
          return FALSE;
        skip_whitespace (parser);
        if (*parser->p == ']')
          break;
        if (*parser->p != ',')
          return fail_unexpected (parser, FALSE, EXPECT_ARRAY_NEXT);
        parser->p++;
        skip_whitespace (parser);
      }

  parser->p++;
  return close_container (parser, CM_JSON_ARRAY, open);
}

static gboolean
parse_object (Parser *parser)
{
  const guchar *open = parser->p;

  if (!open_container (parser, open, TRUE))
    return FALSE;

  if (*parser->p != '}')
    for (;;)
      {
        if (*parser->p != '"')
          return fail_unexpected (parser, FALSE, EXPECT_KEY);
        if (!parse_string (parser))
          return FALSE;
        skip_whitespace (parser);
        if (*parser->p != ':')
          return fail_unexpected (parser, TRUE, EXPECT_COLON);
        parser->p++;
        skip_whitespace (parser);
        if (!parse_value (parser))
          return FALSE;
        skip_whitespace (parser);
        if (*parser->p == '}')
          break;
        if (*parser->p != ',')
          return fail_unexpected (parser, FALSE, EXPECT_OBJECT_NEXT);
        parser->p++;
        skip_whitespace (parser);
      }

  parser->p++;
  return close_container (parser, CM_JSON_OBJECT, open);
}

static gboolean
parse_literal (Parser     *parser,
               const char *word,
               CmJsonType  type)
{
  gsize len = strlen (word);

  if (strncmp ((const char *) parser->p, word, len) != 0)
    return fail_unexpected (parser, TRUE, EXPECT_VALUE);

  push (parser, type, parser->p);
  parser->p += len;

  return TRUE;
}

static gboolean
parse_value (Parser *parser)
{
  if (G_UNLIKELY ((++parser->n_values & CANCEL_CHECK_MASK) == 0) &&
      g_cancellable_set_error_if_cancelled (parser->cancellable, &parser->error))
    return FALSE;

  switch (*parser->p)
    {
    case '"':
      return parse_string (parser);
    case '{':
      return parse_object (parser);
    case '[':
      return parse_array (parser);
    case '-': case '0': case '1': case '2': case '3': case '4':
    case '5': case '6': case '7': case '8': case '9':
      return parse_number (parser);
    case 't':
      return parse_literal (parser, "true", CM_JSON_TRUE);
    case 'f':
      return parse_literal (parser, "false", CM_JSON_FALSE);
    case 'n':
      return parse_literal (parser, "null", CM_JSON_NULL);
    case 'N':
      if (strncmp ((const char *) parser->p, "NaN", 3) == 0)
        return fail (parser, parser->p, CM_JSON_ERROR_SYNTAX, TRUE,
                     _("NaN is not a number: JSON numbers are finite"));
      break;
    case 'I':
      if (strncmp ((const char *) parser->p, "Infinity", 8) == 0)
        return fail (parser, parser->p, CM_JSON_ERROR_SYNTAX, TRUE,
                     _("Infinity is not a number: JSON numbers are finite"));
      break;
    default:
      break;
    }

  return fail_unexpected (parser, TRUE, EXPECT_VALUE);
}

CmJsonDocument *
cm_json_document_parse (char               *data,
                        gsize               length,
                        GCancellable       *cancellable,
                        CmJsonProblemFunc   problem_func,
                        gpointer            user_data,
                        const gsize        *problem_cutoff,
                        gsize              *error_offset,
                        char              **error_path,
                        GError            **error)
{
  g_autoptr(CmJsonDocument) document = NULL;
  Parser parser = { 0 };
  gboolean ok;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (length >= G_MAXUINT32)
    {
      g_set_error (error, CM_JSON_ERROR, CM_JSON_ERROR_TOO_LARGE,
                   _("files of 4 GiB or more are not supported"));
      if (error_offset)
        *error_offset = 0;
      if (error_path)
        *error_path = g_strdup ("");
      return NULL;
    }

  document = g_new0 (CmJsonDocument, 1);
  document->blocks = g_ptr_array_new_with_free_func (g_free);

  data[length] = '\0';
  parser.document = document;
  parser.data = (const guchar *) data;
  parser.p = parser.data;
  parser.end = parser.data + length;
  parser.cancellable = cancellable;
  parser.problem_func = problem_func;
  parser.user_data = user_data;
  parser.problem_cutoff = problem_cutoff;

  if (length >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
    parser.p += 3;
  skip_whitespace (&parser);

  if (parser.p == parser.end)
    ok = fail (&parser, parser.p, CM_JSON_ERROR_SYNTAX, FALSE, _("the file is empty"));
  else
    ok = parse_value (&parser);

  if (ok)
    {
      skip_whitespace (&parser);
      if (parser.p != parser.end)
        ok = fail_unexpected (&parser, FALSE, EXPECT_END);
    }

  if (!ok)
    {
      if (error_offset)
        *error_offset = parser.error_offset;
      if (error_path)
        *error_path = parser.error_path ? g_steal_pointer (&parser.error_path) : g_strdup ("");
      g_free (parser.error_path);
      g_free (parser.stack);
      g_propagate_error (error, parser.error);
      return NULL;
    }

  g_assert (parser.n_stack == 1 && parser.depth == 0);
  document->root = arena_alloc (document, sizeof (CmJsonNode));
  *document->root = parser.stack[0];
  g_free (parser.stack);

  return g_steal_pointer (&document);
}


/* Locations */

struct _CmJsonLines
{
  const guchar *data;
  gsize         length;
  GArray       *starts;   /* byte offset of each line's first byte */
  /* The last place located: columns of later offsets on the same line
   * count on from there, so problems located in file order cost one pass
   * over the file, however long its lines. */
  guint         cursor_line;
  gsize         cursor_offset;
  guint         cursor_column;
};

CmJsonLines *
cm_json_lines_new (const char *data,
                   gsize       length)
{
  CmJsonLines *lines = g_new0 (CmJsonLines, 1);
  const char *p = data, *end = data + length;
  guint32 zero = 0;

  lines->data = (const guchar *) data;
  lines->length = length;
  lines->starts = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_array_append_val (lines->starts, zero);

  while (p < end && (p = memchr (p, '\n', end - p)) != NULL)
    {
      guint32 start = ++p - data;
      g_array_append_val (lines->starts, start);
    }

  return lines;
}

void
cm_json_lines_free (CmJsonLines *lines)
{
  if (lines == NULL)
    return;

  g_array_unref (lines->starts);
  g_free (lines);
}

void
cm_json_lines_locate (CmJsonLines *lines,
                      gsize        offset,
                      guint       *line,
                      guint       *column)
{
  const guint32 *starts = (const guint32 *) lines->starts->data;
  guint lo = 0, hi = lines->starts->len;
  guint col = 1;
  gsize from;

  g_return_if_fail (lines != NULL);

  offset = MIN (offset, lines->length);

  /* The last line starting at or before @offset. */
  while (hi - lo > 1)
    {
      guint mid = lo + (hi - lo) / 2;

      if (starts[mid] <= offset)
        lo = mid;
      else
        hi = mid;
    }

  if (line)
    *line = lo + 1;
  if (column == NULL)
    return;

  if (lines->cursor_column > 0 && lines->cursor_line == lo && lines->cursor_offset <= offset)
    {
      from = lines->cursor_offset;
      col = lines->cursor_column;
    }
  else
    {
      from = starts[lo];
      if (from == 0 && lines->length >= 3 && memcmp (lines->data, "\xef\xbb\xbf", 3) == 0)
        from = MIN (3, offset);
    }

  for (gsize i = from; i < offset; i++)
    col += (lines->data[i] & 0xc0) != 0x80;

  lines->cursor_line = lo;
  lines->cursor_offset = offset;
  lines->cursor_column = col;
  *column = col;
}
