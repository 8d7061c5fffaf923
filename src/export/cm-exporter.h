/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <cairo.h>
#include <gio/gio.h>

#include "cm-dataset.h"
#include "cm-export-options.h"

G_BEGIN_DECLS

/* Draws and writes export pages. A page is the title, a legend of the
 * groups, the timeline (the same layout and scene the window draws), the
 * map of the events' places when asked, and a footer. No GTK: it runs
 * headless and in worker threads (a dataset is immutable, so several
 * exports may share one). */

/* Called with a fraction in [0, 1] as the export goes on; from the thread
 * that does the work (the worker thread for _async: use
 * g_main_context_invoke to reach the UI). */
typedef void (*CmExportProgressFunc) (double   fraction,
                                      gpointer user_data);

/* Draws the page into @cr, whose user space must be the page in the
 * output's units (see cm_export_options_get_page_size()); the caller
 * scales @cr for previews and scale 2. */
gboolean         cm_exporter_render          (CmDataset             *dataset,
                                              const CmExportOptions *options,
                                              cairo_t               *cr,
                                              GCancellable          *cancellable,
                                              GError               **error);

/* The page as an ARGB32 image surface @scale times the page size (for
 * previews, pass a fractional scale; 0 takes options->scale). */
cairo_surface_t *cm_exporter_render_image    (CmDataset             *dataset,
                                              const CmExportOptions *options,
                                              double                 scale,
                                              GCancellable          *cancellable,
                                              GError               **error);

/* The page as PNG bytes (options->scale applied, resolution recorded). */
GBytes          *cm_exporter_render_png      (CmDataset             *dataset,
                                              const CmExportOptions *options,
                                              GCancellable          *cancellable,
                                              GError               **error);

/* Writes the page to @file in options->format. Atomic: drawn into a
 * temporary file beside @file, then renamed over it; on failure or cancel
 * the temporary file is removed and an existing @file is untouched. */
gboolean         cm_exporter_write           (CmDataset             *dataset,
                                              const CmExportOptions *options,
                                              GFile                 *file,
                                              GCancellable          *cancellable,
                                              GError               **error);
gboolean         cm_exporter_write_full      (CmDataset             *dataset,
                                              const CmExportOptions *options,
                                              GFile                 *file,
                                              CmExportProgressFunc   progress,
                                              gpointer               progress_data,
                                              GCancellable          *cancellable,
                                              GError               **error);

/* The same in a worker thread. @progress is called on the thread-default
 * main context of the caller; @progress_data lives until the callback has
 * run (free it there or with @progress_destroy). */
void             cm_exporter_write_async     (CmDataset             *dataset,
                                              const CmExportOptions *options,
                                              GFile                 *file,
                                              CmExportProgressFunc   progress,
                                              gpointer               progress_data,
                                              GDestroyNotify         progress_destroy,
                                              GCancellable          *cancellable,
                                              GAsyncReadyCallback    callback,
                                              gpointer               user_data);
gboolean         cm_exporter_write_finish    (GAsyncResult          *result,
                                              GError               **error);

G_END_DECLS
