/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A stable sort of @n elements of @size bytes, on every supported GLib:
 * GLib 2.82 replaced g_qsort_with_data(), whose count is an int, with
 * g_sort_array(). Both are stable merge sorts. */
static inline void
cm_sort_array (gpointer         array,
               gsize            n,
               gsize            size,
               GCompareDataFunc compare,
               gpointer         user_data)
{
#if GLIB_CHECK_VERSION (2, 82, 0)
  g_sort_array (array, n, size, compare, user_data);
#else
  g_assert (n <= G_MAXINT);
  g_qsort_with_data (array, (gint) n, size, compare, user_data);
#endif
}

G_END_DECLS
