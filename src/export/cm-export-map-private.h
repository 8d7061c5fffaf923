/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <cairo.h>

#include "cm-basemap.h"
#include "cm-dataset.h"
#include "cm-scene.h"
#include "cm-timeline-layout.h"

G_BEGIN_DECLS

/* What the map panel of an export page needs from the page. */
typedef struct
{
  CmDataset             *dataset;
  const guint64         *visible;     /* one bit per event, NULL for all */
  gboolean               has_range;   /* only events meeting [t0, t1) */
  gint64                 t0;
  gint64                 t1;
  const CmTimelineTheme *theme;
  const char            *font_family;
  double                 font_size;   /* body text, Pango points */
  double                 em;          /* body text size in page units */
  GPtrArray             *texts;       /* char *: the texts drawn are added; may be NULL */
} CmExportMapPage;

/* Width / height of the extent of the places on the page (0: none): a
 * wide band of places wants a wide panel. */
double   _cm_export_map_get_aspect (const CmExportMapPage *page);

/* The map layout's scene for a panel of @width x @height screen pixels:
 * with @frame, framed on the places on the page (the view chosen is
 * returned), else at the view given. The parity test draws it beside the
 * window's. */
CmScene *_cm_export_map_build (const CmExportMapPage *page,
                               CmBasemap             *basemap,
                               double                 width,
                               double                 height,
                               gboolean               frame,
                               double                *latitude,
                               double                *longitude,
                               double                *zoom);

/* Draws the map panel into @area of @cr: basemap, markers, labels. */
gboolean _cm_export_map_draw (const CmExportMapPage *page,
                              cairo_t               *cr,
                              const CmRect          *area,
                              GError               **error);

G_END_DECLS
