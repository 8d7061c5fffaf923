/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-file-watch"

#include "config.h"

#include "cm-file-watch.h"

struct _CmFileWatch
{
  GObject       parent_instance;

  GFile        *file;
  GFileMonitor *monitor;
  guint         settle_id;
  GFile        *moved_to;    /* where a rename took it, until it settles */
  gboolean      gone;        /* "gone" was emitted and the file is still missing */
};

G_DEFINE_FINAL_TYPE (CmFileWatch, cm_file_watch, G_TYPE_OBJECT)

enum
{
  CHANGED,
  GONE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The quiet period is over: say what became of the file. The check is a
 * stat of a local file, as cheap as the monitor's own work. */
static gboolean
settle_cb (gpointer user_data)
{
  CmFileWatch *self = user_data;
  g_autoptr(GFile) moved_to = g_steal_pointer (&self->moved_to);

  self->settle_id = 0;

  if (g_file_query_exists (self->file, NULL))
    {
      self->gone = FALSE;
      g_signal_emit (self, signals[CHANGED], 0);
    }
  else if (!self->gone)
    {
      self->gone = TRUE;
      g_signal_emit (self, signals[GONE], 0, moved_to);
    }

  return G_SOURCE_REMOVE;
}

static void
monitor_changed_cb (GFileMonitor      *monitor,
                    GFile             *file,
                    GFile             *other_file,
                    GFileMonitorEvent  event,
                    CmFileWatch       *self)
{
  switch (event)
    {
    case G_FILE_MONITOR_EVENT_RENAMED:
    case G_FILE_MONITOR_EVENT_MOVED_OUT:
      /* Our file renamed away (not another renamed over ours). */
      if (other_file != NULL && g_file_equal (file, self->file) &&
          !g_file_equal (other_file, self->file))
        g_set_object (&self->moved_to, other_file);
      break;
    case G_FILE_MONITOR_EVENT_CHANGED:
    case G_FILE_MONITOR_EVENT_CHANGES_DONE_HINT:
    case G_FILE_MONITOR_EVENT_CREATED:
    case G_FILE_MONITOR_EVENT_DELETED:
    case G_FILE_MONITOR_EVENT_MOVED_IN:
    case G_FILE_MONITOR_EVENT_ATTRIBUTE_CHANGED:
      break;
    case G_FILE_MONITOR_EVENT_PRE_UNMOUNT:
    case G_FILE_MONITOR_EVENT_UNMOUNTED:
    case G_FILE_MONITOR_EVENT_MOVED:
    default:
      break;
    }

  /* Every event restarts the quiet period. */
  g_clear_handle_id (&self->settle_id, g_source_remove);
  self->settle_id = g_timeout_add (CM_FILE_WATCH_DELAY_MS, settle_cb, self);
}

void
cm_file_watch_set_file (CmFileWatch *self,
                        GFile       *file)
{
  g_return_if_fail (CM_IS_FILE_WATCH (self));
  g_return_if_fail (file == NULL || G_IS_FILE (file));

  if (self->file != NULL && file != NULL && g_file_equal (self->file, file))
    return;

  g_clear_handle_id (&self->settle_id, g_source_remove);
  g_clear_object (&self->moved_to);
  if (self->monitor != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->monitor, self);
      g_file_monitor_cancel (self->monitor);
      g_clear_object (&self->monitor);
    }
  g_set_object (&self->file, file);
  self->gone = FALSE;

  if (file == NULL)
    return;

  /* Watching the file (through its folder) sees an editor's save by
   * rename as well as a write in place. No monitor (a remote file
   * system, say) means no live reload, nothing worse. */
  self->monitor = g_file_monitor_file (file, G_FILE_MONITOR_WATCH_MOVES, NULL, NULL);
  if (self->monitor != NULL)
    {
      g_file_monitor_set_rate_limit (self->monitor, CM_FILE_WATCH_DELAY_MS);
      g_signal_connect (self->monitor, "changed", G_CALLBACK (monitor_changed_cb), self);
    }
}

GFile *
cm_file_watch_get_file (CmFileWatch *self)
{
  g_return_val_if_fail (CM_IS_FILE_WATCH (self), NULL);

  return self->file;
}

static void
cm_file_watch_dispose (GObject *object)
{
  cm_file_watch_set_file (CM_FILE_WATCH (object), NULL);

  G_OBJECT_CLASS (cm_file_watch_parent_class)->dispose (object);
}

static void
cm_file_watch_class_init (CmFileWatchClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cm_file_watch_dispose;

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[GONE] = g_signal_new ("gone", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_FILE);
}

static void
cm_file_watch_init (CmFileWatch *self)
{
}

CmFileWatch *
cm_file_watch_new (void)
{
  return g_object_new (CM_TYPE_FILE_WATCH, NULL);
}
