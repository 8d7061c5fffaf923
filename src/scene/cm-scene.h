/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <cairo.h>
#include <pango/pango.h>

G_BEGIN_DECLS

/* A scene is what the timeline and the map draw: a flat list of primitives, batched
 * by layer, paint and colour so that a backend fills one path per batch
 * (cairo SVG/PDF output with 100k separate fills takes tens of seconds,
 * one path per colour well under a second). The on-screen widget and the
 * PNG/SVG/PDF export draw the same scene. No GTK here: cairo and pango
 * only, so export and tests run without a display.
 *
 * Coordinates are in pixels (user-space units), origin top left. */

/* Straight (not premultiplied) RGBA, each in [0, 1]. */
typedef struct
{
  float red;
  float green;
  float blue;
  float alpha;
} CmColor;

typedef struct
{
  float x;
  float y;
  float width;
  float height;
} CmRect;

/* Drawn in this order; in each layer the shape batches first (in the order
 * they were created), then the text runs (in the order they were added). */
typedef enum
{
  CM_SCENE_LAYER_BACKGROUND,  /* lane stripes, period bands */
  CM_SCENE_LAYER_GRID,        /* tick lines */
  CM_SCENE_LAYER_MARKS,       /* events: dots, bars, count badges */
  CM_SCENE_LAYER_LABELS,      /* event labels */
  CM_SCENE_LAYER_SELECTION,   /* selection ring, today marker */
  CM_SCENE_LAYER_CHROME,      /* axis and lane-label panels over everything */
  CM_SCENE_N_LAYERS
} CmSceneLayer;

typedef enum
{
  CM_SCENE_PAINT_FILL,        /* rectangles and circles are filled */
  CM_SCENE_PAINT_STROKE,      /* outlines and lines, with the batch's line width */
  CM_SCENE_PAINT_HATCH,       /* filled with diagonal hatching over a faint tint:
                               * imprecise dates */
  CM_SCENE_PAINT_FADE,        /* rectangles filled with the colour at their left
                               * edge fading to transparent at their right: a
                               * span that runs on past what is shown */
} CmScenePaint;

typedef enum
{
  CM_SCENE_SHAPE_RECT,
  CM_SCENE_SHAPE_CIRCLE,
  CM_SCENE_SHAPE_LINE,
} CmSceneShapeKind;

/* One primitive. RECT: x, y, w, h and corner radius r. CIRCLE: centre x, y
 * and radius r. LINE: from x, y to x + w, y + h. */
typedef struct
{
  guint8 kind;                /* CmSceneShapeKind */
  float  x;
  float  y;
  float  w;
  float  h;
  float  r;
} CmSceneShape;

typedef struct _CmScene CmScene;

CmScene      *cm_scene_new              (double              width,
                                         double              height);
void          cm_scene_free             (CmScene            *scene);
/* Empties the scene and sets its size, keeping allocations for reuse. */
void          cm_scene_reset            (CmScene            *scene,
                                         double              width,
                                         double              height);
double        cm_scene_get_width        (CmScene            *scene);
double        cm_scene_get_height       (CmScene            *scene);

/* A stamped layer's shapes never overlap but for a filled circle or
 * rounded rectangle, an outline of the same shape and a text inside it
 * (a map marker and its count, a name on its pill): a backend may draw
 * each such group as one prepared image (the screen does; an image per
 * group costs the renderer far less than three nodes). Drawn the same
 * either way. A reset makes every layer unstamped. */
void          cm_scene_set_stamped      (CmScene            *scene,
                                         CmSceneLayer        layer,
                                         gboolean            stamped);
gboolean      cm_scene_get_stamped      (CmScene            *scene,
                                         CmSceneLayer        layer);

/* The batch for a layer, paint and colour (and line width for STROKE),
 * created on first use. The returned id stays valid until the next reset. */
guint         cm_scene_batch            (CmScene            *scene,
                                         CmSceneLayer        layer,
                                         CmScenePaint        paint,
                                         const CmColor      *color,
                                         double              line_width);
void          cm_scene_add_rect         (CmScene            *scene,
                                         guint               batch,
                                         double              x,
                                         double              y,
                                         double              width,
                                         double              height,
                                         double              radius);
void          cm_scene_add_circle       (CmScene            *scene,
                                         guint               batch,
                                         double              cx,
                                         double              cy,
                                         double              radius);
void          cm_scene_add_line         (CmScene            *scene,
                                         guint               batch,
                                         double              x0,
                                         double              y0,
                                         double              x1,
                                         double              y1);

/* A text run: @layout (a reference is taken) drawn with its top-left
 * corner at @x, @y in @color. The text's rectangle is the layout's
 * logical extents moved to x, y. Layouts are shared between frames by
 * whoever builds the scene (text shaping is the costly part). */
void          cm_scene_add_text         (CmScene            *scene,
                                         CmSceneLayer        layer,
                                         const CmColor      *color,
                                         PangoLayout        *layout,
                                         double              x,
                                         double              y);

/* Reading a scene back (backends, tests). */
guint         cm_scene_get_n_batches    (CmScene            *scene);
void          cm_scene_get_batch_info   (CmScene            *scene,
                                         guint               batch,
                                         CmSceneLayer       *layer,
                                         CmScenePaint       *paint,
                                         CmColor            *color,
                                         double             *line_width);
const CmSceneShape *
              cm_scene_get_shapes       (CmScene            *scene,
                                         guint               batch,
                                         guint              *n_shapes);
guint         cm_scene_get_n_texts      (CmScene            *scene);
/* The text of run @index, its rectangle and colour; returns its layout
 * (owned by the scene). */
PangoLayout  *cm_scene_get_text         (CmScene            *scene,
                                         guint               index,
                                         CmRect             *rect,
                                         CmColor            *color);
CmSceneLayer  cm_scene_get_text_layer   (CmScene            *scene,
                                         guint               index);
/* Total number of shapes in all batches. */
guint         cm_scene_get_n_shapes     (CmScene            *scene);

/* Draws the whole scene with @cr in user space (translate or scale @cr
 * first to place it). Fills one path per batch; text goes through
 * pango-cairo, so PDF and SVG output carries real text. Nothing outside
 * [0, width] x [0, height] is painted. */
void          cm_scene_render_cairo     (CmScene            *scene,
                                         cairo_t            *cr);

/* Draws one batch with @cr (paint, colour and line width included): for
 * backends that draw most primitives natively and hatching with cairo. */
void          cm_scene_render_batch_cairo (CmScene          *scene,
                                           guint             batch,
                                           cairo_t          *cr);

/* 0xRRGGBB and an alpha to a colour. */
void          cm_color_from_rgb         (CmColor            *color,
                                         guint32             rgb,
                                         float               alpha);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CmScene, cm_scene_free)

G_END_DECLS
