/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-background"

#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cm-background.h"

/* The exit guard: exit() lets guarded work on other threads finish (or
 * cancels it) before the libraries' destructors run. Each case runs in a
 * child process that exits while a worker is inside the guard. */

typedef struct
{
  GMutex        lock;
  GCond         cond;
  gboolean      entered;
  GCancellable *cancellable;
} Worker;

static void
say (const char *line)
{
  /* Straight to the file descriptor: stdio's buffers are flushed by
   * exit() itself, which is what is being tested. */
  g_assert_true (write (STDOUT_FILENO, line, strlen (line)) == (ssize_t) strlen (line));
}

static void
mark_entered (Worker *worker)
{
  g_mutex_lock (&worker->lock);
  worker->entered = TRUE;
  g_cond_signal (&worker->cond);
  g_mutex_unlock (&worker->lock);
}

static void
wait_entered (Worker *worker)
{
  g_mutex_lock (&worker->lock);
  while (!worker->entered)
    g_cond_wait (&worker->cond, &worker->lock);
  g_mutex_unlock (&worker->lock);
}

static gpointer
slow_worker (gpointer data)
{
  Worker *worker = data;

  g_assert_true (cm_exit_guard_enter (NULL));
  mark_entered (worker);
  g_usleep (300 * 1000);
  say ("worker finished\n");
  cm_exit_guard_leave (NULL);
  return NULL;
}

static void
test_exit_waits (void)
{
  static Worker worker;

  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 30 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
      g_test_trap_assert_passed ();
      g_test_trap_assert_stdout ("*worker finished*");
      return;
    }

  g_thread_unref (g_thread_new ("slow", slow_worker, &worker));
  wait_entered (&worker);
  /* Returning lets the child exit at once, with the worker mid-way. */
}

static gpointer
cancellable_worker (gpointer data)
{
  Worker *worker = data;
  GPollFD poll_fd = { 0, G_IO_IN, 0 };

  g_assert_true (cm_exit_guard_enter (worker->cancellable));
  g_assert_true (g_cancellable_make_pollfd (worker->cancellable, &poll_fd));
  mark_entered (worker);
  /* Far longer than the guard waits: only the cancellation ends it. */
  g_poll (&poll_fd, 1, 60 * 1000);
  say (g_cancellable_is_cancelled (worker->cancellable) ? "worker cancelled\n" : "worker timed out\n");
  g_cancellable_release_fd (worker->cancellable);
  cm_exit_guard_leave (worker->cancellable);
  return NULL;
}

static void
test_exit_cancels (void)
{
  static Worker worker;
  gint64 start = g_get_monotonic_time ();

  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 30 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
      g_test_trap_assert_passed ();
      g_test_trap_assert_stdout ("*worker cancelled*");
      /* Well within the guard's few seconds of patience. */
      g_assert_cmpint (g_get_monotonic_time () - start, <, 4 * G_USEC_PER_SEC);
      return;
    }

  worker.cancellable = g_cancellable_new ();
  g_thread_unref (g_thread_new ("cancellable", cancellable_worker, &worker));
  wait_entered (&worker);
}

static void
check_refused_at_exit (void)
{
  say (cm_exit_guard_enter (NULL) ? "entered while exiting\n" : "refused while exiting\n");
}

static void
test_refused_while_exiting (void)
{
  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 30 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
      g_test_trap_assert_passed ();
      g_test_trap_assert_stdout ("*refused while exiting*");
      return;
    }

  /* Registered before the guard's own handler, so it runs after it. */
  atexit (check_refused_at_exit);
  g_assert_true (cm_exit_guard_enter (NULL));
  cm_exit_guard_leave (NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/background/exit-waits", test_exit_waits);
  g_test_add_func ("/background/exit-cancels", test_exit_cancels);
  g_test_add_func ("/background/refused-while-exiting", test_refused_while_exiting);

  return g_test_run ();
}
