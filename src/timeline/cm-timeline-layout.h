/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "cm-dataset.h"
#include "cm-scene.h"

G_BEGIN_DECLS

/* The timeline's layout: pure geometry from a dataset to a CmScene (time
 * to x, axis ticks, lanes, label placement, aggregation of dense events
 * into count badges). No GTK: the widget and the export both use it.
 *
 * Per frame the work is bounded by what is on screen: each lane keeps its
 * events sorted by start (split by duration class so long events cost no
 * scan), a build bisects to the visible window, stacks overlapping marks
 * in rows within the lane (the lane growing to fit them, up to a cap that
 * keeps every lane in view) and aggregates only what still overlaps into
 * badges ("+37"). Text layouts are cached between builds.
 *
 * Axis labels are in one fixed UTC offset (see
 * cm_timeline_layout_set_axis_offset), so an hour axis never repeats or
 * skips an hour at a daylight-saving change; event dates in tooltips and
 * details keep their own offsets. */

typedef enum
{
  CM_LANE_MODE_GROUP,   /* one lane per group (an event's group: its first actor's) */
  CM_LANE_MODE_ACTOR,   /* one lane per actor; an event shows in each of its actors' lanes */
  CM_LANE_MODE_PLACE,   /* one lane per place; an event shows in each of its places' lanes */
  CM_LANE_MODE_NONE,    /* one lane */
} CmLaneMode;

#define CM_TYPE_LANE_MODE (cm_lane_mode_get_type ())
GType cm_lane_mode_get_type (void);

/* How the axis treats long empty stretches between the events. */
typedef enum
{
  CM_TIMELINE_AXIS_AUTO,    /* breaks when the empty stretches would take over a third */
  CM_TIMELINE_AXIS_LINEAR,  /* time is even across the whole axis */
  CM_TIMELINE_AXIS_BREAKS,  /* every long empty stretch compressed into a break */
} CmTimelineAxis;

#define CM_TYPE_TIMELINE_AXIS (cm_timeline_axis_get_type ())
GType cm_timeline_axis_get_type (void);

/* Colours of the timeline, light or dark. Event colours are the groups'
 * (cm-palette.h: a group's own colour, else the shared default palette),
 * the same on the map and in the export's legend. */
typedef struct
{
  CmColor  background;      /* plot area */
  CmColor  foreground;      /* event labels, lane labels */
  CmColor  dim;             /* axis labels, secondary text */
  CmColor  grid;            /* minor tick lines */
  CmColor  grid_major;      /* major tick lines (month, year, ... boundaries) */
  CmColor  chrome;          /* axis and lane-label panels */
  CmColor  chrome_border;
  CmColor  lane_stripe;     /* hairlines between lanes */
  CmColor  period;          /* period band tint (blended onto the background) */
  CmColor  period_text;
  CmColor  accent;          /* selection, today marker */
  CmColor  badge;           /* count badge fill */
  CmColor  badge_text;
  gboolean dark;
} CmTimelineTheme;

/* The default light or dark theme (GNOME palette). */
void cm_timeline_theme_init (CmTimelineTheme *theme,
                             gboolean         dark);

typedef enum
{
  CM_TIMELINE_HIT_NONE,
  CM_TIMELINE_HIT_EVENT,    /* a dot, bar or label: @event */
  CM_TIMELINE_HIT_BADGE,    /* a count badge: @count events in [@start, @end), the
                             * first (in time order) is @event */
  CM_TIMELINE_HIT_LANE,     /* a lane label: @lane */
  CM_TIMELINE_HIT_PERIOD,   /* a period's band on the axis: period index @event */
  CM_TIMELINE_HIT_OVERVIEW, /* the overview strip (@start, @end: the visible span) */
} CmTimelineHitKind;

typedef struct
{
  CmTimelineHitKind kind;
  guint             event;  /* CM_TIMELINE_HIT_EVENT */
  guint             lane;
  guint             count;  /* CM_TIMELINE_HIT_BADGE */
  gint64            start;  /* CM_TIMELINE_HIT_BADGE: time span of its events */
  gint64            end;
  CmRect            rect;   /* where it is drawn */
} CmTimelineHit;

/* A tick of the axis after a build. Minor ticks carry the finer unit
 * ("18", "Feb", "14:00"), major ticks the wider one ("February 2025"). */
typedef struct
{
  gint64      time;
  double      x;
  const char *label;        /* owned by the layout, valid until the next build */
  gboolean    major;
} CmTimelineTick;

/* An event's title as drawn in the last build. */
typedef struct
{
  guint       event;
  guint       lane;
  CmRect      rect;         /* where the (maybe shortened) title is drawn */
  double      full_width;   /* the title's width in full */
  gboolean    shortened;    /* ellipsized: the full title is in the tooltip */
} CmTimelineLabel;

/* How the timeline draws what it knows about time, for a legend that
 * explains it (the export's) and matches it. */
typedef enum
{
  CM_TIMELINE_STYLE_INSTANT,    /* a known moment: a solid dot */
  CM_TIMELINE_STYLE_SPAN,       /* a known duration: a solid bar */
  CM_TIMELINE_STYLE_UNCERTAIN,  /* a date known to the day, month or year, seen wider
                                 * than a dot: the pale span it falls in */
  CM_TIMELINE_STYLE_OPEN,       /* a period with no end date: fades out at the edge */
  CM_TIMELINE_N_STYLES
} CmTimelineStyle;

/* Adds a swatch of @style in @color into @scene's MARKS layer, in the
 * rectangle @x, @y, @width, @height (a line of text high reads best). */
void         cm_timeline_style_add_swatch (CmScene               *scene,
                                           CmTimelineStyle        style,
                                           const CmColor         *color,
                                           const CmTimelineTheme *theme,
                                           double                 x,
                                           double                 y,
                                           double                 width,
                                           double                 height);
/* A short translated caption for @style, e.g. "Date known to the day or
 * month". */
const char  *cm_timeline_style_get_caption (CmTimelineStyle       style);

/* The lanes of a dataset in a lane mode: which events each lane holds,
 * sorted by start and split by duration, each event's lanes, and what
 * the axis needs of the whole dataset (its breaks, where the events end,
 * the offset of its labels). Passes over every event: about half a
 * second at a million events, so a window builds them in a worker
 * (cm_timeline_lanes_new_async()) and gives them to its layout with
 * cm_timeline_layout_set_lanes(); a layout given none builds them itself
 * when first needed. Immutable once built, shared by reference. */
typedef struct _CmTimelineLanes CmTimelineLanes;

#define CM_TYPE_TIMELINE_LANES (cm_timeline_lanes_get_type ())
GType             cm_timeline_lanes_get_type        (void);

/* Any thread: reads @dataset only. NULL when @cancellable is cancelled
 * before the end. */
CmTimelineLanes  *cm_timeline_lanes_new             (CmDataset             *dataset,
                                                     CmLaneMode             mode,
                                                     GCancellable          *cancellable);
/* The same in a worker thread; @callback runs in the calling thread's
 * main context (a cancelled build gives G_IO_ERROR_CANCELLED). */
void              cm_timeline_lanes_new_async       (CmDataset             *dataset,
                                                     CmLaneMode             mode,
                                                     GCancellable          *cancellable,
                                                     GAsyncReadyCallback    callback,
                                                     gpointer               user_data);
CmTimelineLanes  *cm_timeline_lanes_new_finish      (GAsyncResult          *result,
                                                     GError               **error);
CmTimelineLanes  *cm_timeline_lanes_ref             (CmTimelineLanes       *self);
void              cm_timeline_lanes_unref           (CmTimelineLanes       *self);
CmDataset        *cm_timeline_lanes_get_dataset     (CmTimelineLanes       *self);
CmLaneMode        cm_timeline_lanes_get_mode        (CmTimelineLanes       *self);
/* cm_timeline_layout_guess_axis_offset() of its dataset. */
gint32            cm_timeline_lanes_get_axis_offset (CmTimelineLanes       *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CmTimelineLanes, cm_timeline_lanes_unref)

typedef struct _CmTimelineLayout CmTimelineLayout;

CmTimelineLayout *cm_timeline_layout_new            (void);
void              cm_timeline_layout_free           (CmTimelineLayout      *self);

/* Inputs. Each setter only records the value; cm_timeline_layout_build()
 * does the work. */
void              cm_timeline_layout_set_dataset    (CmTimelineLayout      *self,
                                                     CmDataset             *dataset);
CmDataset        *cm_timeline_layout_get_dataset    (CmTimelineLayout      *self);
/* Events to show: bit i % 64 of visible[i / 64] for event index i (the
 * bitset of cm_filter_get_visible()); NULL shows every event. Not copied:
 * keep it alive and unchanged until the filter is replaced, and set it
 * again after it changes. */
void              cm_timeline_layout_set_filter     (CmTimelineLayout      *self,
                                                     const guint64         *visible);
/* For tests and benchmarks: lay out by walking every placement in view,
 * as before the lanes had summaries. The picture is the same. */
void              cm_timeline_layout_set_walk_only  (CmTimelineLayout      *self,
                                                     gboolean               walk_only);
/* For tests and benchmarks: how many of the last build's placements in
 * view were counted from the lanes' summaries rather than walked. */
guint             cm_timeline_layout_get_n_summarized (CmTimelineLayout    *self);
void              cm_timeline_layout_set_lane_mode  (CmTimelineLayout      *self,
                                                     CmLaneMode             mode);
CmLaneMode        cm_timeline_layout_get_lane_mode  (CmTimelineLayout      *self);
/* Whether the layout waits for cm_timeline_layout_set_lanes() instead of
 * arranging the lanes itself (FALSE by default). While it waits it has
 * no lanes: a build draws "Arranging N events…" where they go (the axis
 * too once it has had lanes of this dataset in another mode), and there
 * is no fit range yet. */
void              cm_timeline_layout_set_wait_for_lanes (CmTimelineLayout  *self,
                                                         gboolean           wait);
/* Lanes of the layout's dataset in its lane mode (others are refused);
 * a reference is kept. */
void              cm_timeline_layout_set_lanes      (CmTimelineLayout      *self,
                                                     CmTimelineLanes       *lanes);
/* TRUE while it waits for lanes it does not have. */
gboolean          cm_timeline_layout_is_arranging   (CmTimelineLayout      *self);
/* The visible time span [t0, t1) in seconds (t1 > t0). */
void              cm_timeline_layout_set_range      (CmTimelineLayout      *self,
                                                     gint64                 t0,
                                                     gint64                 t1);
void              cm_timeline_layout_get_range      (CmTimelineLayout      *self,
                                                     gint64                *t0,
                                                     gint64                *t1);
void              cm_timeline_layout_set_size       (CmTimelineLayout      *self,
                                                     int                    width,
                                                     int                    height);
void              cm_timeline_layout_set_theme      (CmTimelineLayout      *self,
                                                     const CmTimelineTheme *theme);
/* A Pango font description string, e.g. "Cantarell 11"; NULL: "Sans 10". */
void              cm_timeline_layout_set_font       (CmTimelineLayout      *self,
                                                     const char            *font);
/* The selected event (CM_NONE for none): drawn ringed, never folded into
 * a badge, its label placed first. */
void              cm_timeline_layout_set_selected   (CmTimelineLayout      *self,
                                                     guint                  event);
/* Events to highlight, a bitset like the filter's (the selected actor's
 * or place's events): the others are drawn faint. NULL highlights none
 * (all are drawn plainly). Not copied: keep it alive while it is set. */
void              cm_timeline_layout_set_highlight  (CmTimelineLayout      *self,
                                                     const guint64         *events);
/* Draws a "Today" marker at @now when it is in range; show FALSE hides it. */
void              cm_timeline_layout_set_today      (CmTimelineLayout      *self,
                                                     gboolean               show,
                                                     gint64                 now);
/* The UTC offset (seconds east) axis labels are written in. */
void              cm_timeline_layout_set_axis_offset (CmTimelineLayout     *self,
                                                      gint32                offset);
/* Whether empty stretches are compressed into axis breaks (AUTO by
 * default). Breaks come from the dataset's events (not the filter), so
 * the axis stays put while filtering. */
void              cm_timeline_layout_set_axis        (CmTimelineLayout     *self,
                                                      CmTimelineAxis        axis);
CmTimelineAxis    cm_timeline_layout_get_axis        (CmTimelineLayout     *self);
/* How many breaks the axis has for the current dataset and mode, and
 * the span each skips ([start, end) in seconds). */
guint             cm_timeline_layout_get_n_breaks    (CmTimelineLayout     *self);
void              cm_timeline_layout_get_break       (CmTimelineLayout     *self,
                                                      guint                 index,
                                                      gint64               *start,
                                                      gint64               *end);
/* Time along the axis: seconds, with each break's span squeezed. A view
 * pans and zooms in these units so that breaks keep their width; without
 * breaks both are the identity. */
gint64            cm_timeline_layout_to_axis         (CmTimelineLayout     *self,
                                                      gint64                t);
gint64            cm_timeline_layout_from_axis       (CmTimelineLayout     *self,
                                                      gint64                a);
/* The most common offset among the dataset's zoned event starts, else 0. */
gint32            cm_timeline_layout_guess_axis_offset (CmDataset          *dataset);
/* Vertical scroll of the lanes, in pixels from the top of the first lane
 * (clamped to [0, content height - lanes area height] at build). */
void              cm_timeline_layout_set_scroll_y   (CmTimelineLayout      *self,
                                                     double                 scroll_y);
double            cm_timeline_layout_get_scroll_y   (CmTimelineLayout      *self);
/* Whether lanes grow to fill the plot area's height when they need less
 * (the spare height is shared evenly; FALSE by default: each lane is as
 * high as its stacked rows need). */
void              cm_timeline_layout_set_fill_height (CmTimelineLayout     *self,
                                                      gboolean              fill);
gboolean          cm_timeline_layout_get_fill_height (CmTimelineLayout     *self);

/* Whether to draw an overview strip above the axis: the whole fit range
 * with the events' density and the visible span as a brush (FALSE by
 * default; the window's timeline shows it). */
void              cm_timeline_layout_set_overview   (CmTimelineLayout      *self,
                                                     gboolean               overview);
/* The time at @x in the overview strip of the last build. */
gint64            cm_timeline_layout_overview_x_to_time (CmTimelineLayout  *self,
                                                         double             x);

/* The span that shows every event and period with a margin, for the
 * current size (the dataset's range widened by a few percent; at least an
 * hour). FALSE without a dataset or events. */
gboolean          cm_timeline_layout_get_fit_range  (CmTimelineLayout      *self,
                                                     gint64                *t0,
                                                     gint64                *t1);

/* Lays out the current inputs into @scene (which is reset first). */
void              cm_timeline_layout_build          (CmTimelineLayout      *self,
                                                     CmScene               *scene);

/* Geometry of the last build. */
double            cm_timeline_layout_time_to_x      (CmTimelineLayout      *self,
                                                     gint64                 t);
gint64            cm_timeline_layout_x_to_time      (CmTimelineLayout      *self,
                                                     double                 x);
/* Where events are drawn: right of the lane labels, below the axis. */
void              cm_timeline_layout_get_plot_area  (CmTimelineLayout      *self,
                                                     CmRect                *area);
/* Height of all lanes together in the last build (may exceed the plot
 * area: scroll). Lanes are as high as their stacked rows need, so this
 * follows the range; before a build, every lane counts at its least. */
double            cm_timeline_layout_get_content_height (CmTimelineLayout  *self);
/* Where @lane was in the last build, in pixels from the top of the first
 * lane (unscrolled). FALSE before a build or for a lane out of range. */
gboolean          cm_timeline_layout_get_lane_extent (CmTimelineLayout     *self,
                                                      guint                 lane,
                                                      double               *top,
                                                      double               *height);
guint             cm_timeline_layout_get_n_lanes    (CmTimelineLayout      *self);
const char       *cm_timeline_layout_get_lane_label (CmTimelineLayout      *self,
                                                     guint                  lane);
/* What @lane gathers: the group, actor or place index of the lane mode,
 * CM_NONE for the lane of events without one (and in CM_LANE_MODE_NONE). */
guint32           cm_timeline_layout_get_lane_key   (CmTimelineLayout      *self,
                                                     guint                  lane);
/* The lane indexes event @event is in (1 or more; several by actor or
 * place). Valid until the dataset or lane mode changes. */
const guint32    *cm_timeline_layout_get_event_lanes (CmTimelineLayout     *self,
                                                      guint                 event,
                                                      guint                *n_lanes);
const CmTimelineTick *
                  cm_timeline_layout_get_ticks      (CmTimelineLayout      *self,
                                                     guint                 *n_ticks);
/* What is at (x, y): the topmost mark, badge, label or lane label. */
gboolean          cm_timeline_layout_hit_test       (CmTimelineLayout      *self,
                                                     double                 x,
                                                     double                 y,
                                                     CmTimelineHit         *hit);
/* Where @event's mark is drawn (its first visible lane), FALSE when it is
 * not drawn on its own (off screen, filtered out or inside a badge). */
gboolean          cm_timeline_layout_get_event_rect (CmTimelineLayout      *self,
                                                     guint                  event,
                                                     CmRect                *rect);
/* Titles drawn in the last build, in drawing order. Every event drawn
 * as its own mark has one; the others are counted in badges. */
const CmTimelineLabel *
                  cm_timeline_layout_get_labels     (CmTimelineLayout      *self,
                                                     guint                 *n_labels);
/* Counts of the last build, over all lanes on screen: placements of
 * events overlapping the range, those drawn as their own mark, and those
 * folded into badges (visible == drawn + in_badges). */
void              cm_timeline_layout_get_counts     (CmTimelineLayout      *self,
                                                     guint                 *n_visible,
                                                     guint                 *n_drawn,
                                                     guint                 *n_in_badges);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CmTimelineLayout, cm_timeline_layout_free)

G_END_DECLS
