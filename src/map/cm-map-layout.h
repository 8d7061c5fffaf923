/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "cm-basemap.h"
#include "cm-dataset.h"
#include "cm-map-stats.h"
#include "cm-scene.h"

G_BEGIN_DECLS

/* The map's layout: what the place layer shows on screen and the export
 * prints, computed once, with no GTK. From a dataset, the events that
 * count (the session's filter), the selected places, a viewport and a
 * theme it builds a CmScene: country names, place markers and clusters,
 * place names, selection rings and lines. The place layer draws that scene
 * with GtkSnapshot and the export with cairo, so both show the same map.
 *
 * One rule colours a place: the group with the most counted events there,
 * an event counting for each group among its actors, ties going to the
 * group of the earliest event (cm-map-stats.h). A cluster takes the same
 * rule over its places' tallies summed.
 *
 * Every shown place is drawn exactly once: by its own marker or by the
 * one cluster it belongs to. Selected places are never swallowed by
 * another cluster: each seeds its own (ringed) marker, which may take
 * unselected neighbours and then shows their count.
 *
 * Place names never overlap each other or a marker; country names come
 * last and give way to both. Coordinates are pixels of a view whose world
 * is 256 * 2^zoom pixels wide (ShumateViewport's convention). */

typedef struct
{
  CmColor foreground;        /* place names, selection rings and lines */
  CmColor label_background;  /* the pill behind a place name */
  CmColor outline;           /* around markers, halo of rings */
  CmColor country;           /* country names */
  gboolean dark;
} CmMapTheme;

/* The default light or dark theme (the basemap's palette). */
void cm_map_theme_init (CmMapTheme *theme,
                        gboolean    dark);

/* A marker as drawn, after a build. */
typedef struct
{
  float    x;
  float    y;
  float    radius;
  guint32  place;           /* the place, or the seed (busiest or selected) of a cluster */
  guint32  n_places;        /* 1 for a place */
  guint32  weight;          /* events counted at its places */
  guint32  color;           /* 0xRRGGBB */
  gboolean highlighted;     /* holds a selected place: ringed */
} CmMapMark;

/* The order marks are named in and reached with the keyboard: selected
 * first, then single places, then the busiest. */
int              cm_map_mark_compare               (const CmMapMark  *a,
                                                    const CmMapMark  *b);

typedef struct _CmMapLayout CmMapLayout;

CmMapLayout     *cm_map_layout_new                 (void);
void             cm_map_layout_free                (CmMapLayout      *self);

/* Inputs. Setters record the value; statistics (cm-map-stats.h) are
 * recomputed when next needed after the dataset or filter change,
 * clusters after those or the selection change, the scene on each
 * build. */
void             cm_map_layout_set_dataset         (CmMapLayout      *self,
                                                    CmDataset        *dataset);
CmDataset       *cm_map_layout_get_dataset         (CmMapLayout      *self);
/* Events to count: bit i % 64 of visible[i / 64], or NULL for all.
 * Copied. While a filter is set, places with no counted event are not
 * shown. Returns TRUE if that changed anything. */
gboolean         cm_map_layout_set_filter          (CmMapLayout      *self,
                                                    const guint64    *visible);
/* Statistics off the calling thread (a view that must not block): call
 * with TRUE before the first dataset. Then setting the dataset or the
 * filter records it, and builds keep using the last statistics given
 * (a new dataset's places are not drawn until its first) while the
 * caller makes new ones with cm_map_stats_new() in a worker for the
 * dataset and cm_map_layout_get_filter(), and gives them back with
 * cm_map_layout_set_stats(). FALSE (the default): statistics are
 * computed by the setters, on the calling thread (an export, tests). */
void             cm_map_layout_set_async_stats     (CmMapLayout      *self,
                                                    gboolean          async_stats);
/* The filter last set (not necessarily the statistics' yet), or NULL. */
const guint64   *cm_map_layout_get_filter          (CmMapLayout      *self);
/* Whether the statistics in use are not those of the dataset and filter
 * set. */
gboolean         cm_map_layout_needs_stats         (CmMapLayout      *self);
/* Takes @stats; uses them and returns TRUE if they are for the dataset
 * and filter set now, frees them (stale) and returns FALSE otherwise. */
gboolean         cm_map_layout_set_stats           (CmMapLayout      *self,
                                                    CmMapStats       *stats);
/* Selected places, ringed; with @join they are joined by lines in the
 * order given (an event's places). */
void             cm_map_layout_set_highlight       (CmMapLayout      *self,
                                                    const guint32    *places,
                                                    guint             n_places,
                                                    gboolean          join);
void             cm_map_layout_set_viewport        (CmMapLayout      *self,
                                                    double            latitude,
                                                    double            longitude,
                                                    double            zoom,
                                                    double            width,
                                                    double            height);
/* Lays out @margin pixels beyond each edge of the view too (0, the
 * default, for an image): a view being panned then moves what it has
 * with cm_map_layout_translate() until it has moved that far. */
void             cm_map_layout_set_margin          (CmMapLayout      *self,
                                                    double            margin);
/* Moves the built outputs (marks, names) by @dx, @dy pixels, and the
 * view's centre to @latitude, @longitude, which must be that far from
 * the built one: what a pan does, without laying out again. */
void             cm_map_layout_translate           (CmMapLayout      *self,
                                                    double            dx,
                                                    double            dy,
                                                    double            latitude,
                                                    double            longitude);
/* FALSE (the default, for a view that zooms): clusters of the whole zoom
 * below, stable while zooming. TRUE (an image): clusters of the zoom
 * itself, no coarser than they must be. */
void             cm_map_layout_set_exact_zoom      (CmMapLayout      *self,
                                                    gboolean          exact_zoom);
void             cm_map_layout_set_theme           (CmMapLayout      *self,
                                                    const CmMapTheme *theme);
/* A Pango font description string, e.g. "Cantarell 10"; NULL: "Sans 10".
 * Place names are drawn a step smaller, country names smaller still. */
void             cm_map_layout_set_font            (CmMapLayout      *self,
                                                    const char       *font);
/* Where country names come from; NULL: none are drawn. */
void             cm_map_layout_set_basemap         (CmMapLayout      *self,
                                                    CmBasemap        *basemap);

/* Lays out the current inputs into @scene (reset to the viewport size). */
void             cm_map_layout_build               (CmMapLayout      *self,
                                                    CmScene          *scene);

/* Outputs of the last build. */
const CmMapMark *cm_map_layout_get_marks           (CmMapLayout      *self,
                                                    guint            *n_marks);
/* The places of mark @index, its seed first, then busiest first. */
const guint32   *cm_map_layout_get_mark_places     (CmMapLayout      *self,
                                                    guint             index,
                                                    guint            *n_places);
/* The mark under (@x, @y) with @slop pixels of tolerance, or -1. */
int              cm_map_layout_pick                (CmMapLayout      *self,
                                                    double            x,
                                                    double            y,
                                                    double            slop);
/* The mark drawing @place in the last build, or -1. */
int              cm_map_layout_find_place_mark     (CmMapLayout      *self,
                                                    guint32           place);
/* "Riyadh, 7 events" or "Cluster of 2 places: Kyiv, Moscow": what a
 * screen reader says of mark @index. */
char            *cm_map_layout_describe_mark       (CmMapLayout      *self,
                                                    guint             index);
/* Place names drawn: the place (or cluster seed) of each, in drawing order. */
guint            cm_map_layout_get_n_labels        (CmMapLayout      *self);
void             cm_map_layout_get_label           (CmMapLayout      *self,
                                                    guint             index,
                                                    guint32          *mark,
                                                    CmRect           *rect);

/* Statistics (independent of the viewport). */
guint            cm_map_layout_get_place_weight    (CmMapLayout      *self,
                                                    guint32           place);
/* The colour rule's group for @place, or CM_NONE. */
guint32          cm_map_layout_get_place_group     (CmMapLayout      *self,
                                                    guint32           place);
gboolean         cm_map_layout_is_place_shown      (CmMapLayout      *self,
                                                    guint32           place);
/* Where @place is in the current viewport (the copy of the world nearest
 * its centre). */
gboolean         cm_map_layout_get_place_position  (CmMapLayout      *self,
                                                    guint32           place,
                                                    double           *x,
                                                    double           *y);

/* The view of @width x @height pixels that frames @places (all shown
 * places if NULL) with @margin pixels around them: never zoomed out so far
 * that the world repeats across the width, nor in closer than @max_zoom;
 * with @whole_zoom the zoom is a whole number (sharp tiles). FALSE (and a
 * world view) when there is nothing to frame. */
gboolean         cm_map_layout_frame               (CmMapLayout      *self,
                                                    const guint32    *places,
                                                    guint             n_places,
                                                    double            width,
                                                    double            height,
                                                    double            margin,
                                                    double            max_zoom,
                                                    gboolean          whole_zoom,
                                                    double           *latitude,
                                                    double           *longitude,
                                                    double           *zoom);
/* Width / height, in map pixels, of the extent of the shown places (or
 * 0 if none): a wide band of places wants a wide panel. */
double           cm_map_layout_get_extent_aspect   (CmMapLayout      *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CmMapLayout, cm_map_layout_free)

G_END_DECLS
