/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-json-writer"

#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <glib/gi18n.h>

#include "cm-atomic-file.h"
#include "cm-json-writer.h"

/* One pass over the dataset into one GString, in file order, two-space
 * indented with one item per line so that the output diffs well. */

static void
append_string (GString    *out,
               const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      guchar c = *p;

      switch (c)
        {
        case '"':
          g_string_append (out, "\\\"");
          break;
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
        case '\r':
          g_string_append (out, "\\r");
          break;
        default:
          if (c < 0x20)
            g_string_append_printf (out, "\\u%04x", c);
          else
            g_string_append_c (out, c);
        }
    }
  g_string_append_c (out, '"');
}

/* , "key": "text" (nothing for NULL) */
static void
append_member (GString    *out,
               const char *key,
               const char *text)
{
  if (text == NULL)
    return;
  g_string_append_printf (out, ", \"%s\": ", key);
  append_string (out, text);
}

static void
append_number (GString *out,
               double   value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  /* The shortest form that reads back as the same double: 38.8, not
   * 38.799999999999997. */
  for (int digits = 15; digits <= 17; digits++)
    {
      char format[8];

      g_snprintf (format, sizeof format, "%%.%dg", digits);
      g_ascii_formatd (buffer, sizeof buffer, format, value);
      if (g_ascii_strtod (buffer, NULL) == value)
        break;
    }
  g_string_append (out, buffer);
}

char *
cm_json_writer_format_time (const CmTime *time)
{
  GString *out = g_string_new (NULL);
  gint64 year;
  int month, day, hour, minute, second;

  g_return_val_if_fail (time != NULL, NULL);

  /* Fields in the time's own offset, as they were written. */
  cm_time_to_civil (time->seconds + time->offset, &year, &month, &day, &hour, &minute, &second);

  if (year >= 0 && year <= 9999)
    g_string_append_printf (out, "%04" G_GINT64_FORMAT, year);
  else
    g_string_append_printf (out, "%c%04" G_GINT64_FORMAT, year < 0 ? '-' : '+', ABS (year));

  if (time->precision >= CM_PRECISION_MONTH)
    g_string_append_printf (out, "-%02d", month);
  if (time->precision >= CM_PRECISION_DAY)
    g_string_append_printf (out, "-%02d", day);
  if (time->precision >= CM_PRECISION_MINUTE)
    {
      g_string_append_printf (out, "T%02d:%02d", hour, minute);
      if (time->precision >= CM_PRECISION_SECOND)
        g_string_append_printf (out, ":%02d", second);

      if (time->has_zone && time->offset == 0)
        g_string_append_c (out, 'Z');
      else if (time->has_zone)
        {
          int magnitude = ABS (time->offset);

          /* Offsets of whole minutes only can be written; local mean
           * time offsets (seconds) come from zones, which are kept. */
          g_string_append_printf (out, "%c%02d:%02d", time->offset < 0 ? '-' : '+',
                                  magnitude / 3600, magnitude / 60 % 60);
        }
    }

  return g_string_free (out, FALSE);
}

static void
append_time (GString      *out,
             const char   *key,
             const CmTime *time)
{
  g_autofree char *text = cm_json_writer_format_time (time);

  append_member (out, key, text);
}

static void
append_links (GString      *out,
              const char   *key,
              const CmLink *links,
              guint         n_links)
{
  if (n_links == 0)
    return;

  g_string_append_printf (out, ", \"%s\": [", key);
  for (guint i = 0; i < n_links; i++)
    {
      g_string_append (out, i ? ", {" : "{");
      if (links[i].title != NULL)
        {
          g_string_append (out, "\"title\": ");
          append_string (out, links[i].title);
        }
      if (links[i].url != NULL)
        {
          g_string_append (out, links[i].title ? ", \"url\": " : "\"url\": ");
          append_string (out, links[i].url);
        }
      g_string_append_c (out, '}');
    }
  g_string_append_c (out, ']');
}

static void
append_refs (GString       *out,
             CmDataset     *dataset,
             const char    *key,
             const guint32 *refs,
             guint          n_refs,
             gboolean       actors)
{
  if (n_refs == 0)
    return;

  g_string_append_printf (out, ", \"%s\": [", key);
  for (guint i = 0; i < n_refs; i++)
    {
      if (i)
        g_string_append (out, ", ");
      append_string (out, actors ? cm_dataset_get_actor (dataset, refs[i])->id
                                 : cm_dataset_get_place (dataset, refs[i])->id);
    }
  g_string_append_c (out, ']');
}

static void
append_event (GString       *out,
              CmDataset     *dataset,
              const CmEvent *event)
{
  const guint32 *refs;
  g_autofree CmQuote *quotes = NULL;
  g_autofree CmLink *sources = NULL;
  const CmProperty *properties;
  g_autofree char *summary = cm_dataset_dup_event_summary (dataset, event);
  guint n;

  g_string_append (out, "{\"id\": ");
  append_string (out, event->id);
  append_member (out, "title", event->title);
  if (event->undated)
    g_string_append (out, ", \"undated\": true");
  else
    {
      append_time (out, "start", &event->start);
      if (event->has_end)
        append_time (out, "end", &event->end);
    }

  refs = cm_dataset_get_event_places (dataset, event, &n);
  append_refs (out, dataset, "places", refs, n, FALSE);
  refs = cm_dataset_get_event_actors (dataset, event, &n);
  append_refs (out, dataset, "actors", refs, n, TRUE);

  refs = cm_dataset_get_event_tags (dataset, event, &n);
  if (n > 0)
    {
      g_string_append (out, ", \"tags\": [");
      for (guint i = 0; i < n; i++)
        {
          if (i)
            g_string_append (out, ", ");
          append_string (out, cm_dataset_get_tag (dataset, refs[i]));
        }
      g_string_append_c (out, ']');
    }

  append_member (out, "summary", summary);

  quotes = cm_dataset_dup_event_quotes (dataset, event, &n);
  if (n > 0)
    {
      g_string_append (out, ", \"quotes\": [");
      for (guint i = 0; i < n; i++)
        {
          g_string_append (out, i ? ", {" : "{");
          if (quotes[i].actor != CM_NONE)
            {
              g_string_append (out, "\"actor\": ");
              append_string (out, cm_dataset_get_actor (dataset, quotes[i].actor)->id);
              g_string_append (out, ", ");
            }
          g_string_append (out, "\"text\": ");
          append_string (out, quotes[i].text);
          g_string_append_c (out, '}');
        }
      g_string_append_c (out, ']');
    }

  sources = cm_dataset_dup_event_sources (dataset, event, &n);
  append_links (out, "sources", sources, n);

  properties = cm_dataset_get_event_properties (dataset, event, &n);
  if (n > 0)
    {
      g_string_append (out, ", \"properties\": [");
      for (guint i = 0; i < n; i++)
        {
          g_string_append (out, i ? ", {\"key\": " : "{\"key\": ");
          append_string (out, properties[i].key);
          g_string_append (out, ", \"value\": ");
          append_string (out, properties[i].value);
          g_string_append_c (out, '}');
        }
      g_string_append_c (out, ']');
    }

  g_string_append_c (out, '}');
}

static const char *const kind_names[] = {
  [CM_ACTOR_PERSON] = "person",
  [CM_ACTOR_GOVERNMENT] = "government",
  [CM_ACTOR_ORGANISATION] = "organisation",
  [CM_ACTOR_GROUP] = "group",
  [CM_ACTOR_OTHER] = "other",
};

static void
open_list (GString    *out,
           const char *key,
           guint       n)
{
  g_string_append_printf (out, ",\n  \"%s\": [%s", key, n ? "\n    " : "");
}

static void
close_list (GString *out,
            guint    n)
{
  g_string_append (out, n ? "\n  ]" : "]");
}

GBytes *
cm_json_writer_to_bytes (CmDataset *dataset)
{
  GString *out = g_string_new ("{\n  \"chronomap\": 1");
  guint n;

  g_return_val_if_fail (CM_IS_DATASET (dataset), NULL);

  if (cm_dataset_get_title (dataset) != NULL)
    {
      g_string_append (out, ",\n  \"title\": ");
      append_string (out, cm_dataset_get_title (dataset));
    }
  if (cm_dataset_get_description (dataset) != NULL)
    {
      g_string_append (out, ",\n  \"description\": ");
      append_string (out, cm_dataset_get_description (dataset));
    }

  n = cm_dataset_get_n_groups (dataset);
  open_list (out, "groups", n);
  for (guint i = 0; i < n; i++)
    {
      const CmGroup *group = cm_dataset_get_group (dataset, i);

      g_string_append (out, i ? ",\n    {\"id\": " : "{\"id\": ");
      append_string (out, group->id);
      append_member (out, "name", group->name);
      if (group->has_color)
        g_string_append_printf (out, ", \"color\": \"#%06x\"", group->color & 0xffffff);
      g_string_append_c (out, '}');
    }
  close_list (out, n);

  n = cm_dataset_get_n_actors (dataset);
  open_list (out, "actors", n);
  for (guint i = 0; i < n; i++)
    {
      const CmActor *actor = cm_dataset_get_actor (dataset, i);
      const CmLink *links;
      guint n_links;

      g_string_append (out, i ? ",\n    {\"id\": " : "{\"id\": ");
      append_string (out, actor->id);
      append_member (out, "name", actor->name);
      append_member (out, "kind", kind_names[MIN (actor->kind, CM_ACTOR_OTHER)]);
      append_member (out, "role", actor->role);
      if (actor->group != CM_NONE)
        append_member (out, "group", cm_dataset_get_group (dataset, actor->group)->id);
      append_member (out, "description", actor->description);
      links = cm_dataset_get_actor_links (dataset, actor, &n_links);
      append_links (out, "links", links, n_links);
      g_string_append_c (out, '}');
    }
  close_list (out, n);

  n = cm_dataset_get_n_places (dataset);
  open_list (out, "places", n);
  for (guint i = 0; i < n; i++)
    {
      const CmPlace *place = cm_dataset_get_place (dataset, i);

      g_string_append (out, i ? ",\n    {\"id\": " : "{\"id\": ");
      append_string (out, place->id);
      append_member (out, "name", place->name);
      append_member (out, "country", place->country);
      g_string_append (out, ", \"lat\": ");
      append_number (out, place->lat);
      g_string_append (out, ", \"lon\": ");
      append_number (out, place->lon);
      append_member (out, "timezone", place->timezone);
      g_string_append_c (out, '}');
    }
  close_list (out, n);

  n = cm_dataset_get_n_periods (dataset);
  open_list (out, "periods", n);
  for (guint i = 0; i < n; i++)
    {
      const CmPeriod *period = cm_dataset_get_period (dataset, i);

      g_string_append (out, i ? ",\n    {" : "{");
      if (period->id != NULL)
        {
          g_string_append (out, "\"id\": ");
          append_string (out, period->id);
          g_string_append (out, ", ");
        }
      g_string_append (out, "\"title\": ");
      append_string (out, period->title);
      append_time (out, "start", &period->start);
      if (period->has_end)
        append_time (out, "end", &period->end);
      append_member (out, "description", period->description);
      g_string_append_c (out, '}');
    }
  close_list (out, n);

  n = cm_dataset_get_n_events (dataset);
  open_list (out, "events", n);
  for (guint i = 0; i < n; i++)
    {
      if (i)
        g_string_append (out, ",\n    ");
      append_event (out, dataset, cm_dataset_get_event (dataset, i));
    }
  close_list (out, n);

  g_string_append (out, "\n}\n");

  return g_string_free_to_bytes (out);
}

static gboolean
refuse_original (const char  *name,
                 GError     **error)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
               _("“%s” is the file that was opened: choose another name, so that the "
                 "original stays as it is"), name);
  return FALSE;
}

/* Through the project's one atomic writer: a temporary file beside the
 * target (links followed), renamed over it only when all is written, and
 * removed on failure or when the process is stopped. */
static gboolean
write_atomically (GBytes        *bytes,
                  const char    *path,
                  GFile         *source,
                  GCancellable  *cancellable,
                  GError       **error)
{
  g_autofree char *name = g_filename_display_name (path);
  g_autofree char *source_path = source ? g_file_get_path (source) : NULL;
  g_autofree char *source_real = source_path ? realpath (source_path, NULL) : NULL;
  g_autoptr(CmAtomicFile) atomic = cm_atomic_file_new (path, name, error);
  const char *data = g_bytes_get_data (bytes, NULL);
  gsize length = g_bytes_get_size (bytes);
  int fd;

  if (atomic == NULL)
    return FALSE;

  /* A link to the opened file is the opened file. */
  if (source_real != NULL && g_strcmp0 (cm_atomic_file_get_target (atomic), source_real) == 0)
    return refuse_original (name, error);

  fd = cm_atomic_file_get_fd (atomic);
  while (length > 0)
    {
      gssize n = write (fd, data, MIN (length, 1 << 20));

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved_errno = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       _("Cannot write “%s”: %s"), name, g_strerror (saved_errno));
          return FALSE;
        }
      data += n;
      length -= n;
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
    }

  return cm_atomic_file_commit (g_steal_pointer (&atomic), error);
}

gboolean
cm_json_writer_save (CmDataset     *dataset,
                     GFile         *file,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *path = NULL;
  GFile *source;

  g_return_val_if_fail (CM_IS_DATASET (dataset), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  source = cm_dataset_get_file (dataset);
  if (source != NULL && g_file_equal (source, file))
    {
      g_autofree char *name = g_file_get_parse_name (file);

      return refuse_original (name, error);
    }

  bytes = cm_json_writer_to_bytes (dataset);
  path = g_file_get_path (file);

  /* Remote locations: GIO's own replace, atomic where the backend can be. */
  if (path == NULL)
    return g_file_replace_contents (file, g_bytes_get_data (bytes, NULL),
                                    g_bytes_get_size (bytes), NULL, FALSE, G_FILE_CREATE_NONE,
                                    NULL, cancellable, error);

  return write_atomically (bytes, path, source, cancellable, error);
}

static void
save_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;

  if (cm_json_writer_save (source_object, task_data, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
cm_json_writer_save_async (CmDataset           *dataset,
                           GFile               *file,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (CM_IS_DATASET (dataset));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (dataset, cancellable, callback, user_data);
  g_task_set_source_tag (task, cm_json_writer_save_async);
  g_task_set_name (task, "[chronomap] save dataset");
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  g_task_run_in_thread (task, save_thread);
}

gboolean
cm_json_writer_save_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cm_json_writer_save_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
