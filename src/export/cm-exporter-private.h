/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cm-exporter.h"

G_BEGIN_DECLS

/* What a drawn page holds, for the writers: the text on it in reading
 * order (SVG carries it in <desc>, since cairo writes glyphs as paths). */
typedef struct
{
  GPtrArray *texts;         /* char *, may be NULL when not wanted */
  guint      n_lanes;       /* lanes in the timeline */
  guint      n_lanes_shown; /* lanes that fit on the page */
  gboolean   has_map;
  double     min_text_size; /* the smallest text drawn, in page units */
  double     point;         /* page units per typographic point as the page is read */
  gboolean   measure_only;  /* in: lay the page out, draw nothing */
  double     wanted_height; /* out: the height at which every lane's rows fit (0: any) */
} CmExportPageInfo;

/* The page size of an export: cm_export_options_get_page_size(), except
 * that an image with a timeline whose size was not asked for is as tall
 * as its lanes' rows need (within CM_EXPORT_DEFAULT_HEIGHT and twice that), so that the
 * default picture labels the story's busiest day instead of folding it. */
void     _cm_export_get_page_size (CmDataset             *dataset,
                                   const CmExportOptions *options,
                                   double                *width,
                                   double                *height);

/* Draws the page of @width x @height units into @cr. @progress covers
 * [0, 1] of the drawing. */
gboolean _cm_export_page_draw (CmDataset             *dataset,
                               const CmExportOptions *options,
                               cairo_t               *cr,
                               double                 width,
                               double                 height,
                               CmExportPageInfo      *info,
                               CmExportProgressFunc   progress,
                               gpointer               progress_data,
                               GCancellable          *cancellable,
                               GError               **error);

/* Tests: the writers fail with a write error after this many bytes of
 * output (0: never). Checks that a failed write leaves nothing behind. */
void     _cm_exporter_set_fail_after (gsize bytes);

G_END_DECLS
