/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-loader"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <glib/gstdio.h>
#include <glib/gi18n.h>
#include <gio/gunixinputstream.h>

#include "cm-import-geojson.h"
#include "cm-import-storymap.h"
#include "cm-import-timelinejs.h"
#include "cm-json-chronomap.h"
#include "cm-loader.h"

/* The loader reads a file into one buffer, parses it with cm-json-reader
 * (which keeps each value's location and checks UTF-8, depth and number
 * range before anything else sees the data), validates the tree while
 * filling a CmDatasetBuilder, and frees buffer and tree. Problems are
 * collected with byte offsets; only the ones reported are turned into
 * line and column, at the end, in file order. */

G_DEFINE_QUARK (cm-loader-error-quark, cm_loader_error)

/* Foreign formats, tried in order: text importers on the raw bytes before
 * JSON parsing, JSON importers on documents without a "chronomap" key.
 * Each detect() looks at content only, never at the file's name. */
static const CmLoaderImporter importers[] = {
  { "TimelineJS", NULL, NULL, cm_import_timelinejs_csv_detect, cm_import_timelinejs_csv },
  { "TimelineJS", cm_import_timelinejs_detect, cm_import_timelinejs, NULL, NULL },
  { "TimelineJS 2", cm_import_timelinejs2_detect, cm_import_timelinejs2, NULL, NULL },
  { "StoryMapJS", cm_import_storymap_detect, cm_import_storymap, NULL, NULL },
  { "GeoJSON", cm_import_geojson_detect, cm_import_geojson, NULL, NULL },
  { NULL, NULL, NULL, NULL, NULL },
};

typedef struct
{
  guint32  offset;
  guint32  seq;
  char    *text;     /* "PATH: message" */
} Problem;

struct _CmLoaderContext
{
  const char   *display_name;
  const char   *data;
  gsize         length;
  CmJsonLines  *lines;
  GArray       *problems;
  guint         n_dropped;
  guint         seq;
  /* Once CM_LOADER_MAX_PROBLEMS are kept, a problem at or after the last
   * of them would be dropped: it is only counted, without writing its
   * message, so a file of a million problems costs little more than a
   * valid one. */
  gsize         cutoff;
  GCancellable *cancellable;
  gboolean      cancelled;
  /* For progress reports: the builder being filled, and the length of
   * the document's "events" array (0: unknown). */
  CmDatasetBuilder *builder;
  guint         n_expected;
};

struct _CmLoaderProgress
{
  gint ref_count;
  gint phase;       /* CmLoaderPhase */
  gint permille;    /* of the phase, or -1 */
};

/* The progress of the load running in this thread, if it reports one:
 * the readers need not carry it. */
static GPrivate current_progress;

CmLoaderProgress *
cm_loader_progress_new (void)
{
  CmLoaderProgress *progress = g_new0 (CmLoaderProgress, 1);

  progress->ref_count = 1;
  progress->permille = -1;

  return progress;
}

CmLoaderProgress *
cm_loader_progress_ref (CmLoaderProgress *progress)
{
  g_return_val_if_fail (progress != NULL, NULL);

  g_atomic_int_inc (&progress->ref_count);
  return progress;
}

void
cm_loader_progress_unref (CmLoaderProgress *progress)
{
  if (progress != NULL && g_atomic_int_dec_and_test (&progress->ref_count))
    g_free (progress);
}

CmLoaderPhase
cm_loader_progress_get (CmLoaderProgress *progress,
                        double           *fraction)
{
  gint permille;

  g_return_val_if_fail (progress != NULL, CM_LOADER_PHASE_WAITING);

  permille = g_atomic_int_get (&progress->permille);
  if (fraction)
    *fraction = permille < 0 ? -1 : permille / 1000.0;

  return g_atomic_int_get (&progress->phase);
}

/* Reports @done of @total (total 0: no fraction) in this thread's load. */
static void
report_progress (CmLoaderPhase phase,
                 guint64       done,
                 guint64       total)
{
  CmLoaderProgress *progress = g_private_get (&current_progress);

  if (progress == NULL)
    return;

  g_atomic_int_set (&progress->permille,
                    total > 0 ? (gint) (MIN (done, total) * 1000 / total) : -1);
  g_atomic_int_set (&progress->phase, phase);
}

static void
clear_problem (gpointer data)
{
  g_free (((Problem *) data)->text);
}

static void
context_init (CmLoaderContext *context,
              const char      *display_name,
              const char      *data,
              gsize            length,
              GCancellable    *cancellable)
{
  memset (context, 0, sizeof *context);
  context->display_name = display_name;
  context->data = data;
  context->length = length;
  context->cancellable = cancellable;
  context->problems = g_array_new (FALSE, FALSE, sizeof (Problem));
  context->cutoff = G_MAXSIZE;
  g_array_set_clear_func (context->problems, clear_problem);
}

static void
context_clear (CmLoaderContext *context)
{
  g_clear_pointer (&context->problems, g_array_unref);
  g_clear_pointer (&context->lines, cm_json_lines_free);
}

void
cm_loader_context_locate (CmLoaderContext *context,
                          gsize            offset,
                          guint           *line,
                          guint           *column)
{
  g_return_if_fail (context != NULL);

  if (context->lines == NULL)
    context->lines = cm_json_lines_new (context->data, context->length);
  cm_json_lines_locate (context->lines, offset, line, column);
}

static int
compare_problems (gconstpointer a,
                  gconstpointer b)
{
  const Problem *pa = a, *pb = b;

  if (pa->offset != pb->offset)
    return pa->offset < pb->offset ? -1 : 1;
  return pa->seq < pb->seq ? -1 : (pa->seq > pb->seq ? 1 : 0);
}

/* Keeps the first CM_LOADER_MAX_PROBLEMS in file order, counting the rest:
 * a file with a million bad events costs no more than one with a hundred. */
static void
trim_problems (CmLoaderContext *context)
{
  g_array_sort (context->problems, compare_problems);
  if (context->problems->len > CM_LOADER_MAX_PROBLEMS)
    {
      context->n_dropped += context->problems->len - CM_LOADER_MAX_PROBLEMS;
      g_array_set_size (context->problems, CM_LOADER_MAX_PROBLEMS);
    }
  if (context->problems->len == CM_LOADER_MAX_PROBLEMS)
    context->cutoff = g_array_index (context->problems, Problem, CM_LOADER_MAX_PROBLEMS - 1).offset;
}

static void
add_problem_text (CmLoaderContext *context,
                  gsize            offset,
                  const char      *path,
                  const char      *message)
{
  Problem problem;

  if (offset >= context->cutoff)
    {
      context->n_dropped++;
      return;
    }

  problem.offset = offset;
  problem.seq = context->seq++;
  problem.text = path != NULL && *path != '\0' ? g_strconcat (path, ": ", message, NULL)
                                               : g_strdup (message);
  g_array_append_val (context->problems, problem);

  if (context->problems->len >= 4 * CM_LOADER_MAX_PROBLEMS)
    trim_problems (context);
}

char *
cm_loader_path_to_string (const CmLoaderPath *path)
{
  const CmLoaderPath *segments[CM_JSON_MAX_DEPTH + 1];
  guint n = 0;
  GString *string = g_string_new (NULL);

  for (; path != NULL && n < G_N_ELEMENTS (segments); path = path->parent)
    segments[n++] = path;

  while (n-- > 0)
    {
      if (segments[n]->key != NULL)
        g_string_append_printf (string, "%s%s", string->len ? "." : "", segments[n]->key);
      else
        g_string_append_printf (string, "[%u]", segments[n]->index);
    }

  return g_string_free (string, FALSE);
}

void
cm_loader_context_add_problem (CmLoaderContext    *context,
                               const CmJsonNode   *at,
                               const CmLoaderPath *path,
                               const char         *format,
                               ...)
{
  g_autofree char *message = NULL;
  g_autofree char *path_string = NULL;
  va_list args;

  g_return_if_fail (context != NULL);
  g_return_if_fail (at != NULL);

  if (at->offset >= context->cutoff)
    {
      context->n_dropped++;
      return;
    }

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  path_string = cm_loader_path_to_string (path);

  add_problem_text (context, at->offset, path_string, message);
}

void
cm_loader_context_add_problem_at (CmLoaderContext *context,
                                  gsize            offset,
                                  const char      *path,
                                  const char      *format,
                                  ...)
{
  g_autofree char *message = NULL;
  va_list args;

  g_return_if_fail (context != NULL);

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  add_problem_text (context, offset, path, message);
}

gboolean
cm_loader_context_wants_problem (CmLoaderContext *context,
                                 const CmJsonNode *at)
{
  g_return_val_if_fail (context != NULL, FALSE);
  g_return_val_if_fail (at != NULL, FALSE);

  return at->offset < context->cutoff;
}

guint
cm_loader_context_get_n_problems (CmLoaderContext *context)
{
  g_return_val_if_fail (context != NULL, 0);

  return context->problems->len + context->n_dropped;
}

gboolean
cm_loader_context_is_cancelled (CmLoaderContext *context)
{
  g_return_val_if_fail (context != NULL, TRUE);

  if (!context->cancelled)
    context->cancelled = g_cancellable_is_cancelled (context->cancellable);
  /* Readers call this every thousand items or so: a good pace for it. */
  if (context->builder != NULL && context->n_expected > 0)
    report_progress (CM_LOADER_PHASE_BUILDING,
                     cm_dataset_builder_get_n_events (context->builder), context->n_expected);

  return context->cancelled;
}

/* The problem lines, in file order, for an error message. */
static char *
format_problems (CmLoaderContext *context)
{
  GString *text = g_string_new (NULL);
  guint total;

  trim_problems (context);
  total = context->problems->len + context->n_dropped;

  for (guint i = 0; i < context->problems->len; i++)
    {
      const Problem *problem = &g_array_index (context->problems, Problem, i);
      guint line, column;

      cm_loader_context_locate (context, problem->offset, &line, &column);
      g_string_append_printf (text, "%s%s:%u:%u: %s", i ? "\n" : "",
                              context->display_name, line, column, problem->text);
    }

  if (total > CM_LOADER_MAX_PROBLEMS)
    {
      guint more = total - CM_LOADER_MAX_PROBLEMS;

      g_string_append_c (text, '\n');
      g_string_append_printf (text, ngettext ("… and %u more problem", "… and %u more problems", more),
                              more);
    }

  return g_string_free (text, FALSE);
}

char *
cm_loader_quote (const char *text)
{
  GString *string;
  guint n = 0;

  g_return_val_if_fail (text != NULL, NULL);

  string = g_string_new ("\"");

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (n++ == 60)
        {
          g_string_append (string, "…");
          break;
        }
      if (c == '"' || c == '\\')
        g_string_append_printf (string, "\\%c", (char) c);
      else if (c == '\n')
        g_string_append (string, "\\n");
      else if (c == '\t')
        g_string_append (string, "\\t");
      else if (c < 0x20)
        g_string_append_printf (string, "\\u%04x", c);
      else
        g_string_append_unichar (string, c);
    }
  g_string_append_c (string, '"');

  return g_string_free (string, FALSE);
}


/* Loading */

static void
parser_problem_cb (gpointer    user_data,
                   gsize       offset,
                   const char *path,
                   const char *message)
{
  add_problem_text (user_data, offset, path, message);
}

/* The text importer that recognises @data, or NULL. */
static const CmLoaderImporter *
detect_text_importer (const char *data,
                      gsize       length)
{
  for (guint i = 0; importers[i].name != NULL; i++)
    if (importers[i].detect_text != NULL && importers[i].detect_text (data, length))
      return &importers[i];

  return NULL;
}

/* Comma-separated text that is not the TimelineJS template: a first line
 * with commas, not starting like JSON. Told apart so that the message
 * says what Chronomap reads instead of pointing at a JSON syntax error. */
static gboolean
looks_like_other_csv (const char *data,
                      gsize       length)
{
  gsize i = length >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
  guint n_commas = 0;

  while (i < length && g_ascii_isspace (data[i]))
    i++;
  if (i >= length || strchr ("{[\"-0123456789", data[i]) != NULL)
    return FALSE;
  for (guint k = 0; k < 3; k++)
    {
      static const char *const literals[] = { "true", "false", "null" };
      gsize n = strlen (literals[k]);

      if (length - i >= n && memcmp (data + i, literals[k], n) == 0 &&
          (length - i == n || !g_ascii_isalnum (data[i + n])))
        return FALSE;
    }
  for (; i < length && data[i] != '\n' && i < 64 * 1024; i++)
    n_commas += data[i] == ',';

  return n_commas > 0;
}

/* The JSON importer that recognises a document without "chronomap", or
 * NULL. */
static const CmLoaderImporter *
detect_json_importer (const CmJsonNode *root)
{
  if (root->type != CM_JSON_OBJECT || cm_json_node_get_member (root, "chronomap") != NULL)
    return NULL;

  for (guint i = 0; importers[i].name != NULL; i++)
    if (importers[i].detect != NULL && importers[i].detect (root))
      return &importers[i];

  return NULL;
}

/* Parses and reads @data (@length bytes plus one spare byte), which it
 * changes in place. Nothing partially read is ever returned: the dataset
 * if the input had no problem, else every problem in one error. */
static CmDataset *
load_data (char          *data,
           gsize          length,
           const char    *display_name,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autoptr(CmJsonDocument) document = NULL;
  g_autoptr(CmDatasetBuilder) builder = cm_dataset_builder_new ();
  g_autoptr(GError) local_error = NULL;
  g_autofree char *error_path = NULL;
  const CmLoaderImporter *importer;
  CmLoaderContext context;
  gsize error_offset = 0;
  guint line, column;
  CmDataset *dataset = NULL;

  context_init (&context, display_name, data, length, cancellable);
  context.builder = builder;
  report_progress (CM_LOADER_PHASE_PARSING, 0, 0);

  if ((importer = detect_text_importer (data, length)) != NULL)
    {
      cm_dataset_builder_set_format (builder, importer->name);
      importer->import_text (&context, data, length, builder);
    }
  else if (looks_like_other_csv (data, length))
    {
      g_set_error (error, CM_LOADER_ERROR, CM_LOADER_ERROR_UNKNOWN_FORMAT,
                   _("%s: a CSV file Chronomap cannot read: it reads the TimelineJS spreadsheet "
                     "template, whose first row names the columns Year, Month, Day, Headline, "
                     "Text…"), display_name);
      context_clear (&context);
      return NULL;
    }
  else if ((document = cm_json_document_parse (data, length, cancellable, parser_problem_cb,
                                               &context, &context.cutoff, &error_offset,
                                               &error_path, &local_error)) == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          context_clear (&context);
          return NULL;
        }
      add_problem_text (&context, error_offset, error_path, local_error->message);
    }
  else
    {
      const CmJsonNode *root = cm_json_document_get_root (document);
      const CmJsonNode *events = root->type == CM_JSON_OBJECT
                                 ? cm_json_node_get_member (root, "events") : NULL;

      if (events != NULL && events->type == CM_JSON_ARRAY)
        {
          context.n_expected = events->length;
          cm_dataset_builder_expect_events (builder, events->length);
        }
      report_progress (CM_LOADER_PHASE_BUILDING, 0, context.n_expected);

      /* Every refusal has a line and column, the top level's included. */
      cm_loader_context_locate (&context, root->offset, &line, &column);

      if ((importer = detect_json_importer (root)) != NULL)
        {
          cm_dataset_builder_set_format (builder, importer->name);
          importer->import (&context, root, builder);
        }
      else if (root->type != CM_JSON_OBJECT)
        {
          g_set_error (error, CM_LOADER_ERROR, CM_LOADER_ERROR_UNKNOWN_FORMAT,
                       _("%s:%u:%u: not a Chronomap file: %s"), display_name, line, column,
                       cm_json_type_mismatch (CM_JSON_OBJECT, root->type));
          context_clear (&context);
          return NULL;
        }
      else if (cm_json_node_get_member (root, "chronomap") == NULL &&
               cm_json_node_get_member (root, "events") == NULL)
        {
          g_set_error (error, CM_LOADER_ERROR, CM_LOADER_ERROR_UNKNOWN_FORMAT,
                       _("%s:%u:%u: not a Chronomap file (no \"chronomap\" key)"),
                       display_name, line, column);
          context_clear (&context);
          return NULL;
        }
      else
        cm_json_chronomap_read (&context, root, builder);
    }

  if (cm_loader_context_is_cancelled (&context))
    g_cancellable_set_error_if_cancelled (cancellable, error);
  else if (cm_loader_context_get_n_problems (&context) > 0)
    {
      g_autofree char *message = format_problems (&context);

      g_set_error_literal (error, CM_LOADER_ERROR, CM_LOADER_ERROR_INVALID, message);
    }
  else
    {
      /* The tree is done with: free it before the builder sorts. */
      g_clear_pointer (&document, cm_json_document_free);
      report_progress (CM_LOADER_PHASE_INDEXING, 0, 0);
      context.builder = NULL;
      dataset = cm_dataset_builder_finish (g_steal_pointer (&builder));
    }

  context_clear (&context);

  return dataset;
}

static gboolean set_too_large_error (GError     **error,
                                     guint64      size,
                                     const char  *display_name);

CmDataset *
cm_loader_load_bytes (GBytes        *bytes,
                      const char    *display_name,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_autofree char *copy = NULL;
  gsize length;
  const char *data;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (display_name == NULL)
    display_name = "(data)";

  data = g_bytes_get_data (bytes, &length);
  if (length > CM_LOADER_MAX_FILE_SIZE)
    {
      set_too_large_error (error, length, display_name);
      return NULL;
    }
  copy = g_malloc (length + 1);
  if (length > 0)
    memcpy (copy, data, length);

  return load_data (copy, length, display_name, cancellable, error);
}

static gboolean
set_read_error (GError     **error,
                int          saved_errno,
                const char  *display_name)
{
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
               _("%s: cannot read: %s"), display_name, g_strerror (saved_errno));
  return FALSE;
}

static gboolean
set_too_large_error (GError     **error,
                     guint64      size,
                     const char  *display_name)
{
  g_autofree char *size_text = g_format_size_full (size, G_FORMAT_SIZE_IEC_UNITS);

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
               _("%s: the file is %s; Chronomap reads files of at most 2 GiB"),
               display_name, size_text);
  return FALSE;
}

/* Only regular files are read: a named pipe without a writer would block
 * forever, a device such as /dev/zero never ends, a folder has no data.
 * Whole sentences per kind, for translators. */
static gboolean
check_file_type (GFileType     type,
                 guint32       mode,
                 const char   *display_name,
                 GError      **error)
{
  if (type == G_FILE_TYPE_REGULAR || (mode != 0 && S_ISREG (mode)))
    return TRUE;

  if (type == G_FILE_TYPE_DIRECTORY || (mode != 0 && S_ISDIR (mode)))
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY,
                 _("%s: this is a folder; open a file inside it"), display_name);
  else if (mode != 0 && S_ISFIFO (mode))
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                 _("%s: this is a named pipe; Chronomap reads only regular files"),
                 display_name);
  else if (mode != 0 && (S_ISCHR (mode) || S_ISBLK (mode)))
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                 _("%s: this is a device; Chronomap reads only regular files"), display_name);
  else if (mode != 0 && S_ISSOCK (mode))
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                 _("%s: this is a socket; Chronomap reads only regular files"), display_name);
  else
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                 _("%s: this is not a regular file; Chronomap reads only regular files"),
                 display_name);
  return FALSE;
}

/* Reads @stream to its end into a buffer with one spare byte, stopping
 * with an error past CM_LOADER_MAX_FILE_SIZE: a file that grows while it
 * is read is held to the same limit as one that was too large to start. */
static gboolean
read_stream (GInputStream  *stream,
             guint64        size_hint,
             const char    *display_name,
             GCancellable  *cancellable,
             char         **data_out,
             gsize         *length_out,
             GError       **error)
{
  g_autofree char *data = NULL;
  gsize length = 0, size;

  /* The size, the spare byte, and one more so that the read that finds
   * the end does not need a bigger buffer. */
  size = size_hint > 0 ? (gsize) size_hint + 2 : 64 * 1024;
  data = g_try_malloc (size);
  if (data == NULL)
    return set_read_error (error, ENOMEM, display_name);

  for (;;)
    {
      g_autoptr(GError) local_error = NULL;
      gssize n;

      if (length + 1 >= size)
        {
          size = MIN (size * 2, CM_LOADER_MAX_FILE_SIZE + 2);
          if (length + 1 >= size)
            return set_too_large_error (error, length, display_name);
          data = g_try_realloc (data, size);
          if (data == NULL)
            return set_read_error (error, ENOMEM, display_name);
        }

      n = g_input_stream_read (stream, data + length, size - length - 1, cancellable,
                               &local_error);
      if (n < 0)
        {
          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            g_propagate_error (error, g_steal_pointer (&local_error));
          else
            g_set_error (error, local_error->domain, local_error->code,
                         _("%s: cannot read: %s"), display_name, local_error->message);
          return FALSE;
        }
      if (n == 0)
        break;
      length += n;
      report_progress (CM_LOADER_PHASE_READING, length, size_hint);
      if (length > CM_LOADER_MAX_FILE_SIZE)
        return set_too_large_error (error, length, display_name);
    }

  *data_out = g_steal_pointer (&data);
  *length_out = length;

  return TRUE;
}

/* Files with a local path are opened directly, for plain error messages
 * and so that nothing can block: the type is checked before opening, and
 * the file is opened without waiting (O_NONBLOCK) and checked again, in
 * case it was replaced in between. */
static GInputStream *
open_local (const char    *path,
            const char    *display_name,
            guint64       *size,
            GError       **error)
{
  struct stat st;
  int fd;

  if (g_stat (path, &st) != 0)
    {
      set_read_error (error, errno, display_name);
      return NULL;
    }
  if (!check_file_type (G_FILE_TYPE_UNKNOWN, st.st_mode, display_name, error))
    return NULL;
  if ((guint64) st.st_size > CM_LOADER_MAX_FILE_SIZE)
    {
      set_too_large_error (error, st.st_size, display_name);
      return NULL;
    }

  fd = g_open (path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY, 0);
  if (fd < 0)
    {
      set_read_error (error, errno, display_name);
      return NULL;
    }
  if (fstat (fd, &st) != 0)
    set_read_error (error, errno, display_name);
  else if (!check_file_type (G_FILE_TYPE_UNKNOWN, st.st_mode, display_name, error))
    ;
  else if ((guint64) st.st_size > CM_LOADER_MAX_FILE_SIZE)
    set_too_large_error (error, st.st_size, display_name);
  else
    {
      *size = st.st_size;
      return g_unix_input_stream_new (fd, TRUE);
    }

  close (fd);
  return NULL;
}

/* The whole file plus one spare byte, as cm_json_document_parse() wants
 * it; never more than CM_LOADER_MAX_FILE_SIZE bytes. */
static gboolean
read_file (GFile         *file,
           const char    *display_name,
           GCancellable  *cancellable,
           char         **data_out,
           gsize         *length_out,
           GError       **error)
{
  const char *path = g_file_peek_path (file);
  g_autoptr(GInputStream) stream = NULL;
  guint64 size = 0;

  if (path != NULL)
    stream = open_local (path, display_name, &size, error);
  else
    {
      g_autoptr(GFileInfo) info = NULL;
      g_autoptr(GError) local_error = NULL;

      info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_TYPE ","
                                G_FILE_ATTRIBUTE_STANDARD_SIZE ","
                                G_FILE_ATTRIBUTE_UNIX_MODE,
                                G_FILE_QUERY_INFO_NONE, cancellable, &local_error);
      if (info == NULL)
        {
          g_set_error (error, local_error->domain, local_error->code,
                       _("%s: cannot read: %s"), display_name, local_error->message);
          return FALSE;
        }
      if (!check_file_type (g_file_info_get_file_type (info),
                            g_file_info_get_attribute_uint32 (info, G_FILE_ATTRIBUTE_UNIX_MODE),
                            display_name, error))
        return FALSE;
      size = g_file_info_get_size (info);
      if (size > CM_LOADER_MAX_FILE_SIZE)
        return set_too_large_error (error, size, display_name);

      stream = G_INPUT_STREAM (g_file_read (file, cancellable, &local_error));
      if (stream == NULL)
        {
          g_set_error (error, local_error->domain, local_error->code,
                       _("%s: cannot read: %s"), display_name, local_error->message);
          return FALSE;
        }
    }

  if (stream == NULL)
    return FALSE;

  return read_stream (stream, size, display_name, cancellable, data_out, length_out, error);
}

CmDataset *
cm_loader_load_file_with_name (GFile         *file,
                               const char    *display_name,
                               GCancellable  *cancellable,
                               GError       **error)
{
  g_autofree char *basename = NULL;
  g_autofree char *data = NULL;
  gsize length = 0;
  CmDataset *dataset;

  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (display_name == NULL)
    display_name = basename = g_file_get_basename (file);

  if (!read_file (file, display_name, cancellable, &data, &length, error))
    return NULL;

  dataset = load_data (data, length, display_name, cancellable, error);
  g_clear_pointer (&data, g_free);

  if (dataset != NULL)
    cm_dataset_set_file (dataset, file);

  return dataset;
}

CmDataset *
cm_loader_load_file (GFile         *file,
                     GCancellable  *cancellable,
                     GError       **error)
{
  return cm_loader_load_file_with_name (file, NULL, cancellable, error);
}

typedef struct
{
  GFile            *file;
  CmLoaderProgress *progress;   /* may be NULL */
} LoadTaskData;

static void
load_task_data_free (gpointer user_data)
{
  LoadTaskData *data = user_data;

  g_object_unref (data->file);
  g_clear_pointer (&data->progress, cm_loader_progress_unref);
  g_free (data);
}

static void
load_file_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  LoadTaskData *data = task_data;
  GError *error = NULL;
  CmDataset *dataset;

  g_private_set (&current_progress, data->progress);
  report_progress (CM_LOADER_PHASE_READING, 0, 0);
  dataset = cm_loader_load_file (data->file, cancellable, &error);
  g_private_set (&current_progress, NULL);
#if defined(__GLIBC__)
  /* The text and the JSON tree were several times the dataset's size,
   * freed in pieces that glibc keeps for reuse: give them back to the
   * system, or a million-event file leaves the app holding its peak. */
  malloc_trim (0);
#endif
  if (dataset != NULL)
    g_task_return_pointer (task, dataset, g_object_unref);
  else
    g_task_return_error (task, error);
}

void
cm_loader_load_file_async_with_progress (GFile               *file,
                                         CmLoaderProgress    *progress,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  LoadTaskData *data;

  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  data = g_new0 (LoadTaskData, 1);
  data->file = g_object_ref (file);
  data->progress = progress != NULL ? cm_loader_progress_ref (progress) : NULL;
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, cm_loader_load_file_async);
  g_task_set_name (task, "[chronomap] load dataset");
  g_task_set_task_data (task, data, load_task_data_free);
  g_task_run_in_thread (task, load_file_thread);
}

void
cm_loader_load_file_async (GFile               *file,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  cm_loader_load_file_async_with_progress (file, NULL, cancellable, callback, user_data);
}

CmDataset *
cm_loader_load_file_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cm_loader_load_file_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
