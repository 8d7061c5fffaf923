/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "cm-dataset.h"
#include "cm-time.h"
#include "cm-timeline-layout.h"

G_BEGIN_DECLS

/* What to export and how: a plain struct shared by the command line, the
 * export dialog and the exporter. Values are parsed from the strings a
 * person types, every bad value a CM_EXPORT_ERROR naming the option. */

#define CM_EXPORT_ERROR (cm_export_error_quark ())

typedef enum
{
  CM_EXPORT_ERROR_INVALID_OPTION,   /* a value that is not a number, a date, ... */
  CM_EXPORT_ERROR_UNKNOWN_FORMAT,   /* an output name with no known extension */
  CM_EXPORT_ERROR_TOO_LARGE,        /* beyond what cairo or the format supports */
  CM_EXPORT_ERROR_EMPTY,            /* nothing to draw: no events, empty range */
  CM_EXPORT_ERROR_FAILED,           /* drawing or writing failed */
} CmExportError;

/* Values match the nicks of the GSettings enums. */
typedef enum
{
  CM_EXPORT_FORMAT_PNG,
  CM_EXPORT_FORMAT_SVG,
  CM_EXPORT_FORMAT_PDF,
} CmExportFormat;

typedef enum
{
  CM_EXPORT_THEME_LIGHT,
  CM_EXPORT_THEME_DARK,
} CmExportTheme;

typedef enum
{
  CM_EXPORT_LAYOUT_TIMELINE,
  CM_EXPORT_LAYOUT_TIMELINE_MAP,
  CM_EXPORT_LAYOUT_MAP,
} CmExportLayout;

typedef enum
{
  CM_EXPORT_PAPER_NONE,             /* width x height in points */
  CM_EXPORT_PAPER_A4,
  CM_EXPORT_PAPER_A3,
  CM_EXPORT_PAPER_LETTER,
} CmExportPaper;

/* PNG: pixels per side before @scale. SVG: user units (CSS px). PDF:
 * points, unless a paper size is chosen. */
#define CM_EXPORT_MAX_IMAGE_SIDE 32767
#define CM_EXPORT_MAX_PDF_SIDE   14400
#define CM_EXPORT_MIN_SIDE       200

#define CM_EXPORT_DEFAULT_WIDTH  2400
#define CM_EXPORT_DEFAULT_HEIGHT 1200

typedef struct
{
  CmExportFormat  format;
  gboolean        format_set;      /* explicit --format: the extension is not consulted */
  int             width;
  int             height;
  gboolean        size_set;        /* width or height given explicitly */
  CmExportPaper   paper;           /* PDF only */
  gboolean        landscape;
  int             scale;           /* 1 or 2; PNG only, vectors are resolution-free */
  gboolean        has_from;
  gboolean        has_to;
  gint64          from;            /* seconds, start of the --from interval */
  gint64          to;              /* seconds, end of the --to interval (exclusive) */
  gboolean        from_zoned;      /* an offset was written: else from and to are taken */
  gboolean        to_zoned;        /* as UTC here and moved to the axis's offset by the page */
  CmExportTheme   theme;
  CmLaneMode      lanes;           /* the timeline's own lane modes */
  CmTimelineAxis  axis;            /* axis breaks: auto (default), linear or breaks */
  CmExportLayout  layout;
  char           *title;           /* NULL: the dataset's title */
  gboolean        show_title;
  gboolean        show_legend;
  /* NULL: every event; else the events to draw, one bit per event index
   * as cm_filter_get_visible() gives (copied into immutable bytes so a
   * worker thread may read it while the filter changes). */
  GBytes         *filter;
} CmExportOptions;

GQuark           cm_export_error_quark         (void);

/* Defaults: PNG 2400x1200 at scale 1, the whole range, light theme, lanes
 * by group, timeline only, the dataset's title, legend on. */
void             cm_export_options_init        (CmExportOptions       *options);
void             cm_export_options_clear       (CmExportOptions       *options);
/* @dest must be initialised (or zeroed); its old contents are cleared. */
void             cm_export_options_copy        (const CmExportOptions *src,
                                                CmExportOptions       *dest);
CmExportOptions *cm_export_options_dup         (const CmExportOptions *options);
void             cm_export_options_free        (CmExportOptions       *options);

/* Sets one option from its command-line spelling, e.g. ("--width", "800"),
 * ("--from", "2025-02"), ("--paper", "a4"), ("--orientation", "portrait"),
 * ("--scale", "2"), ("--theme", "dark"), ("--lanes", "actor"),
 * ("--layout", "timeline+map"), ("--title", "..."), ("--format", "pdf"),
 * ("--legend", "off"). The message names the option and quotes the value:
 * `--width: "abc" is not a number`. */
gboolean         cm_export_options_set         (CmExportOptions       *options,
                                                const char            *option,
                                                const char            *value,
                                                GError               **error);

/* Picks the format from @path's extension unless --format was given:
 * "out.gif: unknown format; use .png, .svg or .pdf or --format". */
gboolean         cm_export_options_set_output  (CmExportOptions       *options,
                                                const char            *path,
                                                GError               **error);

/* The page size in the output's units (points for PDF, pixels for the
 * rest) before scale, after applying a paper size. */
void             cm_export_options_get_page_size (const CmExportOptions *options,
                                                  double                *width,
                                                  double                *height);

/* Checks the combination: sizes within what the format supports (also
 * after scale), from before to. CM_EXPORT_ERROR_TOO_LARGE for sizes. */
gboolean         cm_export_options_validate    (const CmExportOptions *options,
                                                GError               **error);

/* Restricts the export to the events of @visible (the bitset of
 * cm_filter_get_visible() for @dataset), copied; NULL exports every
 * event. */
void             cm_export_options_set_filter  (CmExportOptions       *options,
                                                CmDataset             *dataset,
                                                const guint64         *visible);

const char      *cm_export_format_to_extension (CmExportFormat         format);
const char      *cm_export_format_to_mime_type (CmExportFormat         format);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CmExportOptions, cm_export_options_clear)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CmExportOptions, cm_export_options_free)

G_END_DECLS
