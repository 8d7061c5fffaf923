/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <math.h>
#include <pango/pango.h>

#include "cm-timeline-layout.h"

G_BEGIN_DECLS

/* Geometry, in pixels. A lane is a stack of rows, each one mark high:
 * marks (dots for instants and short spans, bars for wide spans) are
 * packed first-fit by start into the "free" rows with room for their
 * full title beside them (or inside a bar), else into a row with room
 * for a shortened title (the mark before it in that row then gives up
 * the rest of its title's room); what finds no room falls into the
 * lane's last row, where marks that would leave the one before them no
 * room for a shortened title fold into count badges. So every event is
 * labelled or counted, and no label is cut that had room. A lane has MIN_ROWS rows at least and at most a cap that lets
 * every lane fit the height (MAX_ROWS at most). */
#define PAD              3.0
#define DOT_RADIUS       5.0
#define DOT_GAP          2.0
#define BAR_MIN_WIDTH    14.0
#define ROW_GAP          3.0
#define MIN_ROWS         2
#define MAX_ROWS         6
#define CLUSTER_ROW      G_MAXUINT8
#define LABEL_GAP        8.0
#define LABEL_MIN_EMS    4.0      /* the least room a label is shortened to, in text heights */
#define SHORT_LABEL_STEP 1.15     /* shortened labels come in widths this far apart */
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

/* The entries of a lane whose extents are of one order of magnitude, as
 * positions in its sorted array (so sorted by start too; 4 bytes each,
 * not a 24-byte copy): bisecting at t0 - max_extent finds every overlap,
 * and a few long events cannot make the search scan the whole lane. */
typedef struct
{
  guint32 *positions;
  guint    n;
  gint64   max_extent;
} Bucket;

/* A lane's placements twice: all of them sorted by start (scanned from
 * t0 to t1 without merging), and split by duration (to find the ones that
 * started before t0 and still overlap it). */
typedef struct
{
  const char  *label;
  guint32      key;        /* the group, actor or place index, or CM_NONE */
  guint32      group;      /* colour swatch, or CM_NONE */
  Entry       *all;
  guint        n_all;
  Bucket       buckets[N_BUCKETS];
  /* A summary of @all by blocks of SKIP_BLOCK entries: each block's first
   * start (@skip) and its longest extent's bit length (@block_extent:
   * every extent in the block is below 1 << it). A fitted frame finds
   * where its density columns and folded runs end from these instead of
   * walking every entry in view (see fold_run in
   * cm-timeline-layout-lanes.c). 0.56 bytes a placement. */
  gint64      *skip;
  guint8      *block_extent;
  guint        n_blocks;
} Lane;

#define SKIP_SHIFT 4
#define SKIP_BLOCK (1u << SKIP_SHIFT)

/* The lane's first position at or after @from whose start is >= @t
 * (n_all when none): a gallop over the block starts, then a search in
 * one block. */
guint _cm_timeline_lane_seek (const Lane *lane,
                              guint       from,
                              gint64      t);
/* The first block at or after @block whose first start is >= @t
 * (n_blocks when none), when block @block - 1's is < @t. */
guint _cm_timeline_lane_seek_block (const Lane *lane,
                                    guint       block,
                                    gint64      t);

/* Which of a lane's placements a filter keeps, in the lane's order: one
 * bit each, with the count of kept ones before each 64-bit word, so the
 * kept placements of a run of positions are counted without reading
 * them. Built for a filter the first time a frame folds a run of that
 * lane, and dropped when the filter or the lanes change. */
typedef struct
{
  guint64 *bits;
  guint32 *ranks;
} LaneFilter;

LaneFilter *_cm_timeline_lane_filter_new   (const Lane    *lane,
                                            const guint64 *filter);
void        _cm_timeline_lane_filter_free  (LaneFilter    *lane_filter);

static inline guint
lane_filter_rank (const LaneFilter *lane_filter,
                  guint             position)
{
  guint64 word = lane_filter->bits[position >> 6];
  guint shift = position & 63;

  return lane_filter->ranks[position >> 6]
         + (shift == 0 ? 0 : (guint) __builtin_popcountll (word << (64 - shift)));
}

/* The first kept position at or after @position (there must be one). */
static inline guint
lane_filter_next (const LaneFilter *lane_filter,
                  guint             position)
{
  guint w = position >> 6;
  guint64 word = lane_filter->bits[w] & (~G_GUINT64_CONSTANT (0) << (position & 63));

  while (word == 0)
    word = lane_filter->bits[++w];
  return w * 64 + (guint) __builtin_ctzll (word);
}

typedef enum
{
  MARK_DOT,
  MARK_BAR,
  MARK_BADGE,
} MarkKind;

typedef enum
{
  LABEL_NONE,
  LABEL_BESIDE,            /* right of the mark (left for the selected one, when needed) */
  LABEL_INSIDE,            /* inside its bar */
} LabelPlace;

typedef struct
{
  double  x0;              /* dot centre, bar or badge left */
  double  x1;              /* bar or badge right */
  double  label_x;         /* LABEL_BESIDE, LABEL_INSIDE */
  float   label_width;     /* room the title is shortened to, 0: its full width */
  gint64  start;           /* badge: span of its events */
  gint64  end;
  guint32 event;           /* dot, bar */
  guint32 count;           /* badge */
  guint16 color;
  guint8  kind;
  guint8  hatched;
  guint8  row;             /* a free row, or CLUSTER_ROW (the lane's last) */
  guint8  label;           /* LabelPlace */
  guint8  selected;        /* the selected event, or a badge holding it */
} Mark;

/* A lane in the last build: its marks (a range of self->marks), rows and
 * place, in pixels from the top of the first lane. */
typedef struct
{
  guint   first_mark;
  guint   end_mark;
  guint   n_free_rows;     /* free rows used; the cluster row comes after them */
  guint   n_rows;
  double  top;
  double  height;
  gboolean packed;
  guint   first_bin;       /* density mode: its bins, a range of self->bins */
  guint   end_bin;
  guint32 max_bin;         /* the largest bin count */
} LaneFrame;

/* A column of a lane's density strip: the events folded there. */
typedef struct
{
  guint32 column;          /* DENSITY_BIN px columns from the plot's left */
  guint32 count;
  guint32 first;           /* first event (in time order) */
  guint16 color;
  guint8  selected;
  guint8  reserved;
} Bin;

/* A lane whose cluster row would hold a badge of DENSITY_MIN_COUNT events
 * or more shows how its folded events spread in time instead: a strip of
 * DENSITY_BIN px columns, clickable by DENSITY_HIT_BINS columns. */
#define DENSITY_BIN        8
#define DENSITY_HIT_BINS   4
#define DENSITY_MIN_COUNT  20
#define DENSITY_LEVELS     4
#define OVERVIEW_COLUMN    3

typedef struct
{
  double  x;
  guint32 count;
  gint64  start;
  gint64  end;
  Entry   first;
  gboolean has_selected;
} Cluster;

/* An empty stretch of time the axis compresses: [start, end) takes
 * gap_length axis seconds from @axis_start on. */
typedef struct
{
  gint64  start;
  gint64  end;
  gint64  axis_start;
} Gap;

#define MAX_GAPS 6

/* What the layout derives from the dataset alone, whatever the lane
 * mode: the axis's candidate breaks (longest first), the last time an
 * event is known at (G_MININT64: none) and the axis offset's guess. */
typedef struct
{
  Gap      gaps[MAX_GAPS];
  guint    n_gaps;
  gint64   last_point;
  gint32   axis_offset;
  gboolean valid;
} Summary;

struct _CmTimelineLanes
{
  gatomicrefcount  ref_count;
  CmDataset       *dataset;
  CmLaneMode       mode;
  GArray          *lanes;             /* Lane */
  guint32         *event_lane_index;  /* CSR: n_events + 1 offsets */
  guint32         *event_lanes;
  Summary          summary;
};

/* The lanes @event is placed in, *n_lanes of them. */
static inline const guint32 *
_cm_timeline_lanes_of_event (const CmTimelineLanes *lanes,
                             guint                  event,
                             guint                 *n_lanes)
{
  *n_lanes = lanes->event_lane_index[event + 1] - lanes->event_lane_index[event];
  return lanes->event_lanes + lanes->event_lane_index[event];
}

/* The pale span of an imprecise date: tint and edge opacities. */
#define TINT_ALPHA_LIGHT 0.2f
#define TINT_ALPHA_DARK  0.3f
#define EDGE_ALPHA       0.85f

#define BREAK_WIDTH_EMS 4.0   /* a break's width at fit, in text heights */

struct _CmTimelineLayout
{
  /* inputs */
  CmDataset       *dataset;
  const guint64   *filter;
  const guint64   *highlight;
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
  CmTimelineAxis   axis;
  double           scroll_y;
  gboolean         fill_height;
  gboolean         overview;
  gboolean         walk_only;         /* tests: never fold runs from the lanes' summaries */

  /* derived from dataset + lane mode, maybe in a worker */
  CmTimelineLanes *arranged;          /* NULL: not yet */
  GArray          *lanes;             /* Lane: arranged's, or no_lanes */
  LaneFilter     **lane_filters;      /* per lane, for the filter; NULL: not built yet */
  guint            n_lane_filters;
  GArray          *no_lanes;
  gboolean         wait_for_lanes;    /* never arrange them here: a worker does */
  Summary          summary;           /* of the dataset, kept across lane modes */
  CmColor         *colors;            /* per group, then "no group" */
  guint            n_colors;
  guint           *period_rows;
  guint            n_period_rows;
  double           gutter_width;      /* < 0: to measure */
  Gap              gaps[MAX_GAPS];    /* compressed stretches, in time order */
  guint            n_gaps;
  gboolean         gaps_valid;
  gint64           gap_length;        /* axis seconds a gap takes */
  gint64           gaps_remaining;    /* the events' span without the gaps */
  struct { double x0, x1; guint row; } break_labels[MAX_GAPS]; /* the breaks' labels, last build */
  guint            n_break_labels;

  /* text */
  PangoContext    *pango;
  PangoFontDescription *font_desc;
  double           text_height;
  double           badge_widths[12];  /* by number of digits */
  GHashTable      *title_layouts;     /* interned title -> PangoLayout (max width) */
  guint16         *title_widths;      /* by event: 1 + its title's width in px, 0 unknown */
  GHashTable      *string_layouts;    /* string -> PangoLayout */
  GHashTable      *lane_layouts;      /* lane label -> PangoLayout (gutter width) */
  GHashTable      *short_layouts;     /* (title pointer << 16 ^ width) -> ellipsized PangoLayout */
  double           label_min_width;

  /* the overview strip: the fit range and the events' starts per column */
  double           overview_height;
  gboolean         overview_valid;
  gint64           overview_a0;       /* on the axis */
  gint64           overview_a1;
  guint32         *overview_counts;
  guint            n_overview_columns;

  /* results of the last build */
  double           plot_left;
  double           plot_right;
  double           lanes_top;
  double           row_height;
  double           content_height;
  GArray          *frames;            /* LaneFrame, per lane */
  double           px_per_second;     /* per axis second: real ones outside gaps */
  gint64           axis_t0;           /* t0 on the axis */
  GArray          *ticks;             /* CmTimelineTick */
  GPtrArray       *tick_strings;
  GArray          *hits;              /* CmTimelineHit */
  GArray          *labels;            /* CmTimelineLabel */
  GArray          *marks;             /* Mark, scratch */
  GArray          *bins;              /* Bin, of the lanes in density mode */
  gint64          *bin_ends;          /* per column: the first time right of it */
  guint32         *bin_counts;        /* per column, scratch for one lane */
  guint32         *bin_first;
  guint            n_columns;
  gboolean         trial;             /* packing to count rows, not to draw */
  gboolean         trial_wants_density;
  guint            n_visible;
  guint            n_drawn;
  guint            n_in_badges;
  guint            n_summarized;      /* of n_visible: counted from the lanes' summaries */
  guint           *batch_cache;       /* per colour: 4 batch ids, scratch */
};

/* Per colour: solid dots, an imprecise dot's tint and ring, solid bars,
 * an imprecise span's tint and edge, marks outside the highlight. */
enum { BATCH_DOT, BATCH_FADED, BATCH_RING, BATCH_BAR, BATCH_TINT, BATCH_EDGE, BATCH_DIM,
       N_BATCH_KINDS };

static inline gboolean
is_highlighted (CmTimelineLayout *self,
                guint32           event)
{
  return self->highlight == NULL || ((self->highlight[event >> 6] >> (event & 63)) & 1);
}


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

/* The axis maps time to "axis seconds": the same outside the compressed
 * gaps, squeezed to gap_length inside each. Monotonic, so x <-> time
 * stays one to one and hit tests, pans and zooms agree with what is
 * drawn. Without gaps, both are the identity. */
static inline gint64
to_axis (const CmTimelineLayout *self,
         gint64                  t)
{
  gint64 removed = 0;

  for (guint i = 0; i < self->n_gaps; i++)
    {
      const Gap *gap = &self->gaps[i];

      if (t <= gap->start)
        break;
      if (t < gap->end)
        return gap->axis_start
               + (gint64) ((double) (t - gap->start) * self->gap_length / (double) (gap->end - gap->start));
      removed += (gap->end - gap->start) - self->gap_length;
    }
  return t - removed;
}

static inline gint64
from_axis (const CmTimelineLayout *self,
           gint64                  a)
{
  gint64 removed = 0;

  for (guint i = 0; i < self->n_gaps; i++)
    {
      const Gap *gap = &self->gaps[i];

      if (a <= gap->axis_start)
        break;
      if (a < gap->axis_start + self->gap_length)
        return gap->start
               + (gint64) ((double) (a - gap->axis_start) * (double) (gap->end - gap->start) / self->gap_length);
      removed += (gap->end - gap->start) - self->gap_length;
    }
  return a + removed;
}

static inline double
to_x (CmTimelineLayout *self,
      gint64            t)
{
  double x = self->plot_left + (double) (to_axis (self, t) - self->axis_t0) * self->px_per_second;

  /* Far-away times stay finite and precise in float. */
  return CLAMP (x, self->plot_left - 1000, self->plot_right + 1000);
}

/* The first time at or after which x is >= @x (so start < result
 * means x(start) < @x, up to a second). */
static inline gint64
time_at (CmTimelineLayout *self,
         double            x)
{
  return from_axis (self, self->axis_t0 + (gint64) floor ((x - self->plot_left) / self->px_per_second));
}

static inline double
crisp (double x)
{
  return floor (x) + 0.5;
}

/* Shared by cm-timeline-layout.c (inputs, lanes, text, queries),
 * cm-timeline-axis.c (breaks, fit, time <-> x), cm-timeline-layout-build.c
 * (the scene), cm-timeline-layout-lanes.c (its lanes) and
 * cm-timeline-style.c (themes, legend swatches). */
void          _cm_timeline_layout_ensure_frame (CmTimelineLayout *self);
gboolean      _cm_timeline_layout_ensure_summary (CmTimelineLayout *self);
void          _cm_timeline_layout_ensure_geometry (CmTimelineLayout *self);
/* cm-timeline-axis.c: the breaks from the dataset, and their length for
 * the plot's width (after the frame is measured). */
void          _cm_timeline_layout_ensure_gaps (CmTimelineLayout *self);
void          _cm_timeline_layout_update_gap_length (CmTimelineLayout *self);
PangoLayout  *_cm_timeline_layout_get_string_layout (CmTimelineLayout *self,
                                                     const char       *text);
PangoLayout  *_cm_timeline_layout_get_title_layout (CmTimelineLayout *self,
                                                    const char       *title);
PangoLayout  *_cm_timeline_layout_get_short_title_layout (CmTimelineLayout *self,
                                                          const char       *title,
                                                          double            width);
PangoLayout  *_cm_timeline_layout_get_lane_layout (CmTimelineLayout *self,
                                                   const Lane       *lane);
double        _cm_timeline_layout_get_layout_width (PangoLayout     *layout);
double        _cm_timeline_layout_get_lane_height (CmTimelineLayout *self,
                                                   guint             n_rows);
void          _cm_timeline_layout_build_lanes (CmTimelineLayout *self,
                                               CmScene          *scene);
/* cm-timeline-layout-lanes.c, for its helpers */
void          _cm_timeline_layout_add_hit (CmTimelineLayout  *self,
                                           CmTimelineHitKind  kind,
                                           guint              event,
                                           guint              lane,
                                           const Mark        *badge,
                                           double             x,
                                           double             y,
                                           double             width,
                                           double             height);
guint         _cm_timeline_layout_get_event_batch (CmTimelineLayout *self,
                                                   CmScene          *scene,
                                                   guint             color,
                                                   guint             kind);
/* cm-timeline-density.c */
void          _cm_timeline_layout_prepare_columns (CmTimelineLayout *self);
void          _cm_timeline_layout_to_density (CmTimelineLayout *self,
                                              LaneFrame        *frame);
void          _cm_timeline_layout_draw_density (CmTimelineLayout *self,
                                                CmScene          *scene,
                                                guint             lane_index,
                                                const LaneFrame  *frame,
                                                double            top);
void          _cm_timeline_layout_build_gutter (CmTimelineLayout *self,
                                                CmScene          *scene);

G_END_DECLS
