/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Called first by a worker that builds something the window can do
 * without for a moment (search index, compressed text, map colours,
 * timeline lanes, facet counts): lowers the calling thread's scheduling
 * priority, so on a machine with few cores these builds give way to the
 * main thread's frames instead of stalling them. Linux keeps a nice
 * value per thread, and a pooled thread stays lowered: later jobs on
 * GTask's shared pool (a load, a save, an export) may then run lowered
 * too, slower on a busy machine, never in the window's way. */
void cm_thread_set_background (void);

/* For a worker's pass over many items: whether @cancellable is cancelled,
 * looked at only at every 65,536th item (@i a multiple of it), a check
 * too cheap to see beside the pass. */
static inline gboolean
cm_cancelled_at (GCancellable *cancellable,
                 guint         i)
{
  return i % 65536 == 0 && g_cancellable_is_cancelled (cancellable);
}

/* Work on another thread that draws with cairo (map tiles, exports) must
 * not outlive the libraries it calls: since pixman 0.46 a destructor frees
 * pixman's implementations when the process exits, so a tile still being
 * drawn on a worker as the window closes would call through freed memory.
 * A worker enters the guard before such work and leaves it after; when the
 * process exits, before any library's destructor runs, the guard cancels
 * the cancellables it was given and waits (a few seconds at most) for the
 * work to leave. Entering returns FALSE once the process is exiting: the
 * worker must then not start. */
gboolean cm_exit_guard_enter (GCancellable *cancellable);
void     cm_exit_guard_leave (GCancellable *cancellable);

G_END_DECLS
