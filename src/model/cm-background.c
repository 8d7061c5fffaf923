/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "chronomap"

#include "config.h"

#include <stdlib.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cm-background.h"

void
cm_thread_set_background (void)
{
#ifdef SYS_gettid
  (void) setpriority (PRIO_PROCESS, (id_t) syscall (SYS_gettid), 10);
#endif
}

/* Long enough for any tile and for an export to notice its cancellable;
 * short enough that a stuck worker never keeps a closed app alive. */
#define EXIT_WAIT_USEC (5 * G_USEC_PER_SEC)

static GMutex guard_lock;
static GCond guard_left;
static guint guard_busy;
static gboolean guard_exiting;
static GPtrArray *guard_cancellables;

static void
wait_for_guarded_work (void)
{
  g_autoptr(GPtrArray) to_cancel = NULL;
  gint64 end = g_get_monotonic_time () + EXIT_WAIT_USEC;

  g_mutex_lock (&guard_lock);
  guard_exiting = TRUE;
  to_cancel = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; guard_cancellables != NULL && i < guard_cancellables->len; i++)
    g_ptr_array_add (to_cancel, g_object_ref (guard_cancellables->pdata[i]));
  g_mutex_unlock (&guard_lock);

  /* Outside the lock: a cancellable's handlers run right here. */
  for (guint i = 0; i < to_cancel->len; i++)
    g_cancellable_cancel (to_cancel->pdata[i]);

  g_mutex_lock (&guard_lock);
  while (guard_busy > 0)
    if (!g_cond_wait_until (&guard_left, &guard_lock, end))
      break;
  g_mutex_unlock (&guard_lock);
}

gboolean
cm_exit_guard_enter (GCancellable *cancellable)
{
  static gsize registered;
  gboolean entered;

  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);

  /* exit() runs this before the destructors of the libraries, which were
   * registered when they were loaded. */
  if (g_once_init_enter (&registered))
    {
      atexit (wait_for_guarded_work);
      g_once_init_leave (&registered, 1);
    }

  g_mutex_lock (&guard_lock);
  entered = !guard_exiting;
  if (entered)
    {
      guard_busy++;
      if (cancellable != NULL)
        {
          if (guard_cancellables == NULL)
            guard_cancellables = g_ptr_array_new ();
          g_ptr_array_add (guard_cancellables, cancellable);
        }
    }
  g_mutex_unlock (&guard_lock);
  return entered;
}

void
cm_exit_guard_leave (GCancellable *cancellable)
{
  g_mutex_lock (&guard_lock);
  g_assert (guard_busy > 0);
  if (cancellable != NULL)
    g_ptr_array_remove_fast (guard_cancellables, cancellable);
  if (--guard_busy == 0)
    g_cond_broadcast (&guard_left);
  g_mutex_unlock (&guard_lock);
}
