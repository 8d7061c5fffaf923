/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <pango/pango.h>

#include "cm-timeline-layout.h"

G_BEGIN_DECLS

/* Geometry, in pixels. A lane is, top to bottom: a bar row (spans wide
 * enough to draw as bars, their title inside when it fits), a dot row
 * (instants and short spans as dots, clusters as count badges) and two
 * label rows (titles of dots and of bars too short for their title). */
#define PAD              3.0
#define DOT_RADIUS       5.0
#define DOT_GAP          2.0
#define BAR_MIN_WIDTH    14.0
#define LABEL_ROWS       2
#define LABEL_MAX_WIDTH  260
#define LABEL_GAP        8.0
#define GUTTER_MIN       72.0
#define GUTTER_MAX       220.0
#define SWATCH_RADIUS    5.0
#define N_BUCKETS        24
#define MAX_STRING_CACHE 4096

/* One placement of an event in a lane. */
typedef struct
{
  gint64  start;
  gint64  end;             /* extent end: cm_time_get_end (&event->end) */
  guint32 event;
  guint16 color;           /* index into self->colors */
  guint8  hatched;         /* its extent is date imprecision, not a duration */
  guint8  reserved;
} Entry;

/* Entries of a lane whose extents are of one order of magnitude, sorted
 * by start: bisecting at t0 - max_extent finds every overlap, and a few
 * long events cannot make the search scan the whole lane. */
typedef struct
{
  Entry  *entries;
  guint   n;
  gint64  max_extent;
} Bucket;

/* A lane's placements twice: all of them sorted by start (scanned from
 * t0 to t1 without merging), and split by duration (to find the ones that
 * started before t0 and still overlap it). */
typedef struct
{
  const char  *label;
  guint32      group;      /* colour swatch, or CM_NONE */
  Entry       *all;
  guint        n_all;
  Bucket       buckets[N_BUCKETS];
} Lane;

typedef enum
{
  MARK_DOT,
  MARK_BAR,
  MARK_BADGE,
} MarkKind;

typedef struct
{
  double  x0;              /* dot centre, bar or badge left */
  double  x1;              /* bar or badge right */
  gint64  start;           /* badge: span of its events */
  gint64  end;
  guint32 event;           /* dot, bar */
  guint32 count;           /* badge */
  guint16 color;
  guint8  kind;
  guint8  hatched;
} Mark;

typedef struct
{
  double  x;
  guint32 count;
  gint64  start;
  gint64  end;
  Entry   first;
} Cluster;

struct _CmTimelineLayout
{
  /* inputs */
  CmDataset       *dataset;
  const guint64   *filter;
  CmLaneMode       lane_mode;
  gint64           t0;
  gint64           t1;
  gboolean         has_range;
  int              width;
  int              height;
  CmTimelineTheme  theme;
  char            *font;
  guint            selected;
  gboolean         show_today;
  gint64           now;
  gint32           axis_offset;
  double           scroll_y;

  /* derived from dataset + lane mode */
  gboolean         lanes_valid;
  GArray          *lanes;             /* Lane */
  guint32         *event_lane_index;  /* CSR: n_events + 1 offsets */
  guint32         *event_lanes;
  CmColor         *colors;            /* per group, then "no group" */
  guint            n_colors;
  guint           *period_rows;
  guint            n_period_rows;
  double           gutter_width;      /* < 0: to measure */

  /* text */
  PangoContext    *pango;
  PangoFontDescription *font_desc;
  double           text_height;
  double           badge_widths[12];  /* by number of digits */
  GHashTable      *title_layouts;     /* interned title -> PangoLayout (max width) */
  GHashTable      *string_layouts;    /* string -> PangoLayout */
  GHashTable      *lane_layouts;      /* lane label -> PangoLayout (gutter width) */

  /* results of the last build */
  double           plot_left;
  double           plot_right;
  double           lanes_top;
  double           lane_height;
  double           px_per_second;
  GArray          *ticks;             /* CmTimelineTick */
  GPtrArray       *tick_strings;
  GArray          *hits;              /* CmTimelineHit */
  GArray          *marks;             /* Mark, scratch */
  guint            n_visible;
  guint            n_drawn;
  guint            n_in_badges;
  guint           *batch_cache;       /* per colour: 4 batch ids, scratch */
};

enum { BATCH_DOT, BATCH_FADED, BATCH_RING, BATCH_BAR, BATCH_HATCH, N_BATCH_KINDS };


/* Width in pixels of @text in the layout's font. */
typedef double (*CmMeasureFunc) (const char *text,
                                 gpointer    user_data);

/* Axis ticks for [t0, t1] at @px_per_second, labelled in the fixed UTC
 * @offset. Appends CmTimelineTick (x left 0) to @ticks: the minor ticks
 * inside the span, then the major ones including the last at or before
 * t0 (for a label that sticks to the left edge). Labels are allocated in
 * @strings. The step is the smallest whose ticks are at least the widest
 * label apart. */
void _cm_timeline_layout_compute_ticks (gint64         t0,
                                        gint64         t1,
                                        double         px_per_second,
                                        gint32         offset,
                                        CmMeasureFunc  measure,
                                        gpointer       user_data,
                                        GArray        *ticks,
                                        GPtrArray     *strings);

/* Shared by cm-timeline-layout.c (inputs, lanes, text, queries) and
 * cm-timeline-layout-build.c (the scene). */
void          _cm_timeline_layout_ensure_geometry (CmTimelineLayout *self);
PangoLayout  *_cm_timeline_layout_get_string_layout (CmTimelineLayout *self,
                                                     const char       *text);
PangoLayout  *_cm_timeline_layout_get_title_layout (CmTimelineLayout *self,
                                                    const char       *title);
PangoLayout  *_cm_timeline_layout_get_lane_layout (CmTimelineLayout *self,
                                                   const Lane       *lane);
double        _cm_timeline_layout_get_layout_width (PangoLayout     *layout);

G_END_DECLS
