/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

G_BEGIN_DECLS

/* Called first by a worker that builds something the window can do
 * without for a moment (search index, compressed text, map colours,
 * timeline lanes, facet counts): lowers the calling thread's scheduling
 * priority, so on a machine with few cores these builds give way to the
 * main thread's frames instead of stalling them. Linux keeps a nice
 * value per thread; a pooled thread stays lowered, which only ever
 * yields to the main thread and to other programs. */
static inline void
cm_thread_set_background (void)
{
#ifdef SYS_gettid
  (void) setpriority (PRIO_PROCESS, (id_t) syscall (SYS_gettid), 10);
#endif
}

G_END_DECLS
