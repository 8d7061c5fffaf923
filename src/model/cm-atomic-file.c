/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-atomic-file"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "cm-atomic-file.h"

struct _CmAtomicFile
{
  char *target;
  char *temp;
  char *display_name;
  int   fd;
  int   slot;
};

/* Temporary files to remove if a signal ends the process. The handler
 * may only call async-signal-safe functions: it reads these fixed buffers
 * and calls unlink(). A slot's path is written before it is marked used. */
#define N_SLOTS 32
#define MAX_LINKS 40

static char pending[N_SLOTS][PATH_MAX];
static volatile sig_atomic_t pending_used[N_SLOTS];
static GMutex pending_lock;

static const int cleanup_signals[] = { SIGINT, SIGTERM, SIGHUP };
static struct sigaction previous[G_N_ELEMENTS (cleanup_signals)];

static void
cleanup_handler (int sig)
{
  int saved_errno = errno;

  for (guint i = 0; i < N_SLOTS; i++)
    if (pending_used[i])
      unlink (pending[i]);

  for (guint i = 0; i < G_N_ELEMENTS (cleanup_signals); i++)
    {
      if (cleanup_signals[i] != sig)
        continue;

      /* Whoever handled the signal before goes on handling it; without
       * one, the default action ends the process as it would have. */
      if (previous[i].sa_handler == SIG_IGN)
        break;
      if (previous[i].sa_handler == SIG_DFL)
        {
          sigaction (sig, &previous[i], NULL);
          raise (sig);
        }
      else if (previous[i].sa_flags & SA_SIGINFO)
        previous[i].sa_sigaction (sig, NULL, NULL);
      else
        previous[i].sa_handler (sig);
    }

  errno = saved_errno;
}

static void
install_handlers (void)
{
  static gsize installed = 0;

  if (g_once_init_enter (&installed))
    {
      struct sigaction action = { 0 };

      action.sa_handler = cleanup_handler;
      action.sa_flags = SA_RESTART;
      sigemptyset (&action.sa_mask);
      for (guint i = 0; i < G_N_ELEMENTS (cleanup_signals); i++)
        sigaction (cleanup_signals[i], &action, &previous[i]);
      g_once_init_leave (&installed, 1);
    }
}

static int
register_temp (const char *path)
{
  int slot = -1;

  if (strlen (path) >= PATH_MAX)
    return -1;

  install_handlers ();
  g_mutex_lock (&pending_lock);
  for (int i = 0; i < N_SLOTS && slot < 0; i++)
    if (!pending_used[i])
      {
        strcpy (pending[i], path);
        pending_used[i] = 1;
        slot = i;
      }
  g_mutex_unlock (&pending_lock);

  return slot;
}

static void
unregister_temp (int slot)
{
  if (slot < 0)
    return;

  g_mutex_lock (&pending_lock);
  pending_used[slot] = 0;
  g_mutex_unlock (&pending_lock);
}

/* The file a path names once symbolic links are followed; a dangling
 * link gives the path it points to, which will be created. */
static char *
resolve_links (const char *path)
{
  g_autofree char *current = g_strdup (path);

  for (guint i = 0; i < MAX_LINKS; i++)
    {
      g_autofree char *link = NULL;
      struct stat st;

      if (lstat (current, &st) != 0 || !S_ISLNK (st.st_mode))
        return g_steal_pointer (&current);

      link = g_file_read_link (current, NULL);
      if (link == NULL)
        return g_steal_pointer (&current);
      if (!g_path_is_absolute (link))
        {
          g_autofree char *dir = g_path_get_dirname (current);
          char *joined = g_build_filename (dir, link, NULL);

          g_free (g_steal_pointer (&link));
          link = joined;
        }
      g_free (current);
      current = g_steal_pointer (&link);
    }

  /* A loop of links: writing to the path itself gives the plain error. */
  return g_strdup (path);
}

CmAtomicFile *
cm_atomic_file_new (const char  *path,
                    const char  *display_name,
                    GError     **error)
{
  CmAtomicFile *file;
  int saved_errno;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  file = g_new0 (CmAtomicFile, 1);
  file->target = resolve_links (path);
  file->display_name = g_strdup (display_name ? display_name : path);
  file->temp = g_strconcat (file->target, ".XXXXXX", NULL);
  /* Mode 0666 less the umask, as for any new file. */
  file->fd = g_mkstemp_full (file->temp, O_RDWR | O_CLOEXEC, 0666);
  if (file->fd < 0)
    {
      g_autofree char *dir = g_path_get_dirname (file->display_name);

      saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot save in “%s”: %s"), dir, g_strerror (saved_errno));
      file->slot = -1;
      g_clear_pointer (&file->temp, g_free);
      cm_atomic_file_abort (file);
      return NULL;
    }
  file->slot = register_temp (file->temp);

  return file;
}

int
cm_atomic_file_get_fd (CmAtomicFile *file)
{
  g_return_val_if_fail (file != NULL, -1);
  return file->fd;
}

const char *
cm_atomic_file_get_temp (CmAtomicFile *file)
{
  g_return_val_if_fail (file != NULL, NULL);
  return file->temp;
}

const char *
cm_atomic_file_get_target (CmAtomicFile *file)
{
  g_return_val_if_fail (file != NULL, NULL);
  return file->target;
}

gboolean
cm_atomic_file_commit (CmAtomicFile  *file,
                       GError       **error)
{
  int saved_errno;
  gboolean existed;

  g_return_val_if_fail (file != NULL, FALSE);

  /* Keep the old file safe until the new one is on disk. */
  existed = g_file_test (file->target, G_FILE_TEST_EXISTS);
  if ((existed && fsync (file->fd) != 0) || close (file->fd) != 0)
    {
      saved_errno = errno;
      file->fd = -1;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot write “%s”: %s"), file->display_name, g_strerror (saved_errno));
      cm_atomic_file_abort (file);
      return FALSE;
    }
  file->fd = -1;

  if (g_rename (file->temp, file->target) != 0)
    {
      saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot save “%s”: %s"), file->display_name, g_strerror (saved_errno));
      cm_atomic_file_abort (file);
      return FALSE;
    }

  unregister_temp (file->slot);
  g_free (file->target);
  g_free (file->temp);
  g_free (file->display_name);
  g_free (file);

  return TRUE;
}

void
cm_atomic_file_abort (CmAtomicFile *file)
{
  if (file == NULL)
    return;

  if (file->fd >= 0)
    close (file->fd);
  if (file->temp != NULL)
    g_unlink (file->temp);
  unregister_temp (file->slot);
  g_free (file->target);
  g_free (file->temp);
  g_free (file->display_name);
  g_free (file);
}
