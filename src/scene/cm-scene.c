/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-timeline"

#include "config.h"

#include <math.h>
#include <pango/pangocairo.h>

#include "cm-scene.h"

typedef struct
{
  guint8   layer;
  guint8   paint;
  CmColor  color;
  float    line_width;
  GArray  *shapes;      /* CmSceneShape */
} Batch;

typedef struct
{
  PangoLayout *layout;
  CmRect       rect;
  CmColor      color;
  guint8       layer;
} TextRun;

struct _CmScene
{
  double      width;
  double      height;
  GArray     *batches;  /* Batch; shape arrays kept across resets */
  guint       n_batches;
  GArray     *texts;    /* TextRun */
  GHashTable *lookup;   /* batch key -> index + 1 */
  guint       stamped;  /* bit per CmSceneLayer */
};

typedef struct
{
  guint8  layer;
  guint8  paint;
  guint32 rgba;
  float   line_width;
} BatchKey;

static guint
batch_key_hash (gconstpointer data)
{
  const BatchKey *key = data;
  guint32 lw;

  memcpy (&lw, &key->line_width, sizeof lw);
  return (key->rgba * 2654435761u) ^ (key->layer << 24) ^ (key->paint << 20) ^ lw;
}

static gboolean
batch_key_equal (gconstpointer a,
                 gconstpointer b)
{
  const BatchKey *x = a, *y = b;

  return x->layer == y->layer && x->paint == y->paint && x->rgba == y->rgba
         && x->line_width == y->line_width;
}

static guint32
pack_color (const CmColor *color)
{
  guint32 r = CLAMP (color->red, 0.f, 1.f) * 255.f + .5f;
  guint32 g = CLAMP (color->green, 0.f, 1.f) * 255.f + .5f;
  guint32 b = CLAMP (color->blue, 0.f, 1.f) * 255.f + .5f;
  guint32 a = CLAMP (color->alpha, 0.f, 1.f) * 255.f + .5f;

  return r << 24 | g << 16 | b << 8 | a;
}

static void
clear_text_run (gpointer data)
{
  TextRun *run = data;

  g_clear_object (&run->layout);
}

CmScene *
cm_scene_new (double width,
              double height)
{
  CmScene *scene = g_new0 (CmScene, 1);

  scene->width = width;
  scene->height = height;
  scene->batches = g_array_new (FALSE, TRUE, sizeof (Batch));
  scene->texts = g_array_new (FALSE, TRUE, sizeof (TextRun));
  g_array_set_clear_func (scene->texts, clear_text_run);
  scene->lookup = g_hash_table_new_full (batch_key_hash, batch_key_equal, g_free, NULL);

  return scene;
}

void
cm_scene_free (CmScene *scene)
{
  if (scene == NULL)
    return;

  for (guint i = 0; i < scene->batches->len; i++)
    g_array_unref (g_array_index (scene->batches, Batch, i).shapes);
  g_array_unref (scene->batches);
  g_array_unref (scene->texts);
  g_hash_table_unref (scene->lookup);
  g_free (scene);
}

void
cm_scene_reset (CmScene *scene,
                double   width,
                double   height)
{
  g_return_if_fail (scene != NULL);

  scene->width = width;
  scene->height = height;
  for (guint i = 0; i < scene->n_batches; i++)
    g_array_set_size (g_array_index (scene->batches, Batch, i).shapes, 0);
  scene->n_batches = 0;
  g_array_set_size (scene->texts, 0);
  g_hash_table_remove_all (scene->lookup);
  scene->stamped = 0;
}

void
cm_scene_set_stamped (CmScene      *scene,
                      CmSceneLayer  layer,
                      gboolean      stamped)
{
  g_return_if_fail (scene != NULL);
  g_return_if_fail (layer < CM_SCENE_N_LAYERS);

  if (stamped)
    scene->stamped |= 1u << layer;
  else
    scene->stamped &= ~(1u << layer);
}

gboolean
cm_scene_get_stamped (CmScene      *scene,
                      CmSceneLayer  layer)
{
  g_return_val_if_fail (scene != NULL, FALSE);
  g_return_val_if_fail (layer < CM_SCENE_N_LAYERS, FALSE);

  return (scene->stamped >> layer) & 1;
}

double
cm_scene_get_width (CmScene *scene)
{
  g_return_val_if_fail (scene != NULL, 0);

  return scene->width;
}

double
cm_scene_get_height (CmScene *scene)
{
  g_return_val_if_fail (scene != NULL, 0);

  return scene->height;
}

guint
cm_scene_batch (CmScene       *scene,
                CmSceneLayer   layer,
                CmScenePaint   paint,
                const CmColor *color,
                double         line_width)
{
  BatchKey key;
  gpointer found;
  Batch *batch;

  g_return_val_if_fail (scene != NULL, 0);
  g_return_val_if_fail (layer < CM_SCENE_N_LAYERS, 0);
  g_return_val_if_fail (color != NULL, 0);

  key.layer = layer;
  key.paint = paint;
  key.rgba = pack_color (color);
  key.line_width = paint == CM_SCENE_PAINT_STROKE ? (float) line_width : 0.f;

  found = g_hash_table_lookup (scene->lookup, &key);
  if (found != NULL)
    return GPOINTER_TO_UINT (found) - 1;

  if (scene->n_batches == scene->batches->len)
    {
      Batch fresh = { 0, };

      fresh.shapes = g_array_new (FALSE, FALSE, sizeof (CmSceneShape));
      g_array_append_val (scene->batches, fresh);
    }

  batch = &g_array_index (scene->batches, Batch, scene->n_batches);
  batch->layer = layer;
  batch->paint = paint;
  batch->color = *color;
  batch->line_width = key.line_width;
  g_hash_table_insert (scene->lookup, g_memdup2 (&key, sizeof key),
                       GUINT_TO_POINTER (scene->n_batches + 1));

  return scene->n_batches++;
}

static inline void
add_shape (CmScene          *scene,
           guint             batch,
           CmSceneShapeKind  kind,
           double            x,
           double            y,
           double            w,
           double            h,
           double            r)
{
  CmSceneShape shape = { kind, x, y, w, h, r };

  g_return_if_fail (batch < scene->n_batches);

  g_array_append_val (g_array_index (scene->batches, Batch, batch).shapes, shape);
}

void
cm_scene_add_rect (CmScene *scene,
                   guint    batch,
                   double   x,
                   double   y,
                   double   width,
                   double   height,
                   double   radius)
{
  g_return_if_fail (scene != NULL);

  add_shape (scene, batch, CM_SCENE_SHAPE_RECT, x, y, width, height, radius);
}

void
cm_scene_add_circle (CmScene *scene,
                     guint    batch,
                     double   cx,
                     double   cy,
                     double   radius)
{
  g_return_if_fail (scene != NULL);

  add_shape (scene, batch, CM_SCENE_SHAPE_CIRCLE, cx, cy, 0, 0, radius);
}

void
cm_scene_add_line (CmScene *scene,
                   guint    batch,
                   double   x0,
                   double   y0,
                   double   x1,
                   double   y1)
{
  g_return_if_fail (scene != NULL);

  add_shape (scene, batch, CM_SCENE_SHAPE_LINE, x0, y0, x1 - x0, y1 - y0, 0);
}

void
cm_scene_add_text (CmScene       *scene,
                   CmSceneLayer   layer,
                   const CmColor *color,
                   PangoLayout   *layout,
                   double         x,
                   double         y)
{
  TextRun run;
  PangoRectangle logical;

  g_return_if_fail (scene != NULL);
  g_return_if_fail (layer < CM_SCENE_N_LAYERS);
  g_return_if_fail (color != NULL);
  g_return_if_fail (PANGO_IS_LAYOUT (layout));

  pango_layout_get_pixel_extents (layout, NULL, &logical);
  run.layout = g_object_ref (layout);
  run.rect.x = x + logical.x;
  run.rect.y = y + logical.y;
  run.rect.width = logical.width;
  run.rect.height = logical.height;
  run.color = *color;
  run.layer = layer;
  g_array_append_val (scene->texts, run);
}

guint
cm_scene_get_n_batches (CmScene *scene)
{
  g_return_val_if_fail (scene != NULL, 0);

  return scene->n_batches;
}

void
cm_scene_get_batch_info (CmScene      *scene,
                         guint         batch,
                         CmSceneLayer *layer,
                         CmScenePaint *paint,
                         CmColor      *color,
                         double       *line_width)
{
  const Batch *b;

  g_return_if_fail (scene != NULL);
  g_return_if_fail (batch < scene->n_batches);

  b = &g_array_index (scene->batches, Batch, batch);
  if (layer)
    *layer = b->layer;
  if (paint)
    *paint = b->paint;
  if (color)
    *color = b->color;
  if (line_width)
    *line_width = b->line_width;
}

const CmSceneShape *
cm_scene_get_shapes (CmScene *scene,
                     guint    batch,
                     guint   *n_shapes)
{
  const Batch *b;

  g_return_val_if_fail (scene != NULL, NULL);
  g_return_val_if_fail (batch < scene->n_batches, NULL);
  g_return_val_if_fail (n_shapes != NULL, NULL);

  b = &g_array_index (scene->batches, Batch, batch);
  *n_shapes = b->shapes->len;
  return (const CmSceneShape *) b->shapes->data;
}

guint
cm_scene_get_n_texts (CmScene *scene)
{
  g_return_val_if_fail (scene != NULL, 0);

  return scene->texts->len;
}

PangoLayout *
cm_scene_get_text (CmScene *scene,
                   guint    index,
                   CmRect  *rect,
                   CmColor *color)
{
  const TextRun *run;

  g_return_val_if_fail (scene != NULL, NULL);
  g_return_val_if_fail (index < scene->texts->len, NULL);

  run = &g_array_index (scene->texts, TextRun, index);
  if (rect)
    *rect = run->rect;
  if (color)
    *color = run->color;
  return run->layout;
}

CmSceneLayer
cm_scene_get_text_layer (CmScene *scene,
                         guint    index)
{
  g_return_val_if_fail (scene != NULL, 0);
  g_return_val_if_fail (index < scene->texts->len, 0);

  return g_array_index (scene->texts, TextRun, index).layer;
}

guint
cm_scene_get_n_shapes (CmScene *scene)
{
  guint n = 0;

  g_return_val_if_fail (scene != NULL, 0);

  for (guint i = 0; i < scene->n_batches; i++)
    n += g_array_index (scene->batches, Batch, i).shapes->len;
  return n;
}

static void
path_rounded_rect (cairo_t            *cr,
                   const CmSceneShape *s)
{
  double r = MIN (s->r, MIN (s->w, s->h) / 2);

  if (r < 0.5)
    {
      cairo_rectangle (cr, s->x, s->y, s->w, s->h);
      return;
    }

  cairo_new_sub_path (cr);
  cairo_arc (cr, s->x + s->w - r, s->y + r, r, -G_PI / 2, 0);
  cairo_arc (cr, s->x + s->w - r, s->y + s->h - r, r, 0, G_PI / 2);
  cairo_arc (cr, s->x + r, s->y + s->h - r, r, G_PI / 2, G_PI);
  cairo_arc (cr, s->x + r, s->y + r, r, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
}

static void
path_shapes (cairo_t *cr,
             GArray  *shapes)
{
  for (guint i = 0; i < shapes->len; i++)
    {
      const CmSceneShape *s = &g_array_index (shapes, CmSceneShape, i);

      switch (s->kind)
        {
        case CM_SCENE_SHAPE_RECT:
          path_rounded_rect (cr, s);
          break;

        case CM_SCENE_SHAPE_CIRCLE:
          cairo_new_sub_path (cr);
          cairo_arc (cr, s->x, s->y, s->r, 0, 2 * G_PI);
          cairo_close_path (cr);
          break;

        case CM_SCENE_SHAPE_LINE:
          cairo_move_to (cr, s->x, s->y);
          cairo_line_to (cr, s->x + s->w, s->y + s->h);
          break;

        default:
          g_assert_not_reached ();
        }
    }
}

static cairo_pattern_t *
create_hatch (const CmColor *color)
{
  cairo_surface_t *tile;
  cairo_pattern_t *pattern;
  cairo_matrix_t matrix;
  cairo_t *cr;

  /* An 8 px tile with one diagonal stroke; repeated it makes continuous
   * 45 degree stripes over a faint tint of the same colour. */
  tile = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 8, 8);
  cr = cairo_create (tile);
  cairo_set_source_rgba (cr, color->red, color->green, color->blue, color->alpha * 0.22);
  cairo_paint (cr);
  cairo_set_source_rgba (cr, color->red, color->green, color->blue, color->alpha * 0.8);
  cairo_set_line_width (cr, 1.6);
  cairo_move_to (cr, -2, 10);
  cairo_line_to (cr, 10, -2);
  cairo_move_to (cr, -2, 2);
  cairo_line_to (cr, 2, -2);
  cairo_move_to (cr, 6, 10);
  cairo_line_to (cr, 10, 6);
  cairo_stroke (cr);
  cairo_destroy (cr);

  pattern = cairo_pattern_create_for_surface (tile);
  cairo_pattern_set_extend (pattern, CAIRO_EXTEND_REPEAT);
  cairo_matrix_init_identity (&matrix);
  cairo_pattern_set_matrix (pattern, &matrix);
  cairo_surface_destroy (tile);

  return pattern;
}

static void
render_batch (cairo_t     *cr,
              const Batch *batch)
{
  const CmColor *c = &batch->color;

  if (batch->shapes->len == 0)
    return;

  cairo_new_path (cr);
  path_shapes (cr, batch->shapes);

  switch (batch->paint)
    {
    case CM_SCENE_PAINT_FILL:
      cairo_set_source_rgba (cr, c->red, c->green, c->blue, c->alpha);
      cairo_fill (cr);
      break;

    case CM_SCENE_PAINT_STROKE:
      cairo_set_source_rgba (cr, c->red, c->green, c->blue, c->alpha);
      cairo_set_line_width (cr, batch->line_width);
      cairo_stroke (cr);
      break;

    case CM_SCENE_PAINT_HATCH:
      {
        cairo_pattern_t *pattern = create_hatch (c);

        cairo_set_source (cr, pattern);
        cairo_fill (cr);
        cairo_pattern_destroy (pattern);
      }
      break;

    case CM_SCENE_PAINT_FADE:
      /* A gradient per rectangle: few of them (open-ended periods). */
      cairo_new_path (cr);
      for (guint i = 0; i < batch->shapes->len; i++)
        {
          const CmSceneShape *s = &g_array_index (batch->shapes, CmSceneShape, i);
          cairo_pattern_t *pattern = cairo_pattern_create_linear (s->x, 0, s->x + s->w, 0);

          cairo_pattern_add_color_stop_rgba (pattern, 0, c->red, c->green, c->blue, c->alpha);
          cairo_pattern_add_color_stop_rgba (pattern, 1, c->red, c->green, c->blue, 0);
          path_rounded_rect (cr, s);
          cairo_set_source (cr, pattern);
          cairo_fill (cr);
          cairo_pattern_destroy (pattern);
        }
      break;

    default:
      g_assert_not_reached ();
    }
}

void
cm_scene_render_cairo (CmScene *scene,
                       cairo_t *cr)
{
  g_return_if_fail (scene != NULL);
  g_return_if_fail (cr != NULL);

  cairo_save (cr);
  cairo_rectangle (cr, 0, 0, scene->width, scene->height);
  cairo_clip (cr);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_BUTT);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_fill_rule (cr, CAIRO_FILL_RULE_WINDING);
  /* A quarter pixel is invisible on marks and halves the cost of arcs. */
  cairo_set_tolerance (cr, 0.25);

  for (guint layer = 0; layer < CM_SCENE_N_LAYERS; layer++)
    {
      for (guint i = 0; i < scene->n_batches; i++)
        {
          const Batch *batch = &g_array_index (scene->batches, Batch, i);

          if (batch->layer == layer)
            render_batch (cr, batch);
        }

      for (guint i = 0; i < scene->texts->len; i++)
        {
          const TextRun *run = &g_array_index (scene->texts, TextRun, i);
          PangoRectangle logical;

          if (run->layer != layer)
            continue;

          pango_layout_get_pixel_extents (run->layout, NULL, &logical);
          cairo_set_source_rgba (cr, run->color.red, run->color.green,
                                 run->color.blue, run->color.alpha);
          cairo_move_to (cr, run->rect.x - logical.x, run->rect.y - logical.y);
          pango_cairo_show_layout (cr, run->layout);
        }
    }

  cairo_restore (cr);
}

void
cm_scene_render_batch_cairo (CmScene *scene,
                             guint    batch,
                             cairo_t *cr)
{
  g_return_if_fail (scene != NULL);
  g_return_if_fail (batch < scene->n_batches);
  g_return_if_fail (cr != NULL);

  cairo_save (cr);
  render_batch (cr, &g_array_index (scene->batches, Batch, batch));
  cairo_restore (cr);
}

void
cm_color_from_rgb (CmColor *color,
                   guint32  rgb,
                   float    alpha)
{
  g_return_if_fail (color != NULL);

  color->red = ((rgb >> 16) & 0xff) / 255.f;
  color->green = ((rgb >> 8) & 0xff) / 255.f;
  color->blue = (rgb & 0xff) / 255.f;
  color->alpha = alpha;
}
