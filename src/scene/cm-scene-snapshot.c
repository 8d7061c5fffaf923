/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-scene"

#include "config.h"

#include <math.h>
#include <string.h>

#include "cm-scene-snapshot.h"

/* ---------------------------------------------------------------------- */
/* Scene to render nodes                                                   */

static void
color_to_rgba (const CmColor *color,
               GdkRGBA       *rgba)
{
  rgba->red = color->red;
  rgba->green = color->green;
  rgba->blue = color->blue;
  rgba->alpha = color->alpha;
}

static void
snapshot_line (GtkSnapshot        *snapshot,
               const CmSceneShape *s,
               const GdkRGBA      *rgba,
               double              width)
{
  graphene_rect_t rect;

  /* Every line the layout draws is horizontal or vertical. */
  if (s->w == 0)
    graphene_rect_init (&rect, s->x - width / 2, MIN (s->y, s->y + s->h), width, fabs (s->h));
  else if (s->h == 0)
    graphene_rect_init (&rect, MIN (s->x, s->x + s->w), s->y - width / 2, fabs (s->w), width);
  else
    {
      cairo_t *cr;

      graphene_rect_init (&rect, MIN (s->x, s->x + s->w) - width, MIN (s->y, s->y + s->h) - width,
                          fabs (s->w) + 2 * width, fabs (s->h) + 2 * width);
      cr = gtk_snapshot_append_cairo (snapshot, &rect);
      gdk_cairo_set_source_rgba (cr, rgba);
      cairo_set_line_width (cr, width);
      cairo_move_to (cr, s->x, s->y);
      cairo_line_to (cr, s->x + s->w, s->y + s->h);
      cairo_stroke (cr);
      cairo_destroy (cr);
      return;
    }
  gtk_snapshot_append_color (snapshot, rgba, &rect);
}

/* Dots and rounded rectangles (markers, label pills) as small textures,
 * drawn once per colour, size and paint and then reused: a rounded clip
 * costs the cairo renderer a mask each (a thousand map markers took 28 ms
 * a frame), a texture a blit. Placed on whole pixels and drawn at their
 * size: a scaled texture costs more than the clip. */
#define MAX_SPRITE_SIZE   256.0
#define MAX_SPRITE_CACHE  2048

typedef struct
{
  guint32 rgba;
  guint16 width;       /* quarter pixels */
  guint16 height;
  guint16 radius;
  guint8  line_width;
  guint8  paint;
} SpriteKey;

static guint
sprite_key_hash (gconstpointer data)
{
  const SpriteKey *key = data;

  return key->rgba * 2654435761u ^ (key->width << 16) ^ (key->height << 8) ^ key->radius
         ^ (key->line_width << 24) ^ key->paint;
}

static gboolean
sprite_key_equal (gconstpointer a,
                  gconstpointer b)
{
  return memcmp (a, b, sizeof (SpriteKey)) == 0;
}

/* The texture of a shape of @width x @height with corner @radius, and the
 * offset of its top left corner from the shape's (the stroke and a pixel
 * of antialiasing reach out). */
static GdkTexture *
get_sprite (const GdkRGBA *rgba,
            CmScenePaint   paint,
            double         width,
            double         height,
            double         radius,
            double         line_width,
            double        *offset)
{
  static GHashTable *cache;     /* snapshots happen on the GTK thread only */
  SpriteKey key = { 0, };
  GdkTexture *texture;
  cairo_surface_t *surface;
  cairo_t *cr;
  g_autoptr(GBytes) bytes = NULL;
  double w, h, r, stroke, margin;
  int pixels_w, pixels_h;

  key.rgba = (guint32) (rgba->red * 255 + .5) << 24 | (guint32) (rgba->green * 255 + .5) << 16
             | (guint32) (rgba->blue * 255 + .5) << 8 | (guint32) (rgba->alpha * 255 + .5);
  key.width = (guint16) lround (width * 4);
  key.height = (guint16) lround (height * 4);
  key.radius = (guint16) lround (MIN (radius, MIN (width, height) / 2) * 4);
  key.line_width = paint == CM_SCENE_PAINT_STROKE ? (guint8) MIN (lround (line_width * 4), 255) : 0;
  key.paint = paint;
  w = key.width / 4.0;
  h = key.height / 4.0;
  r = key.radius / 4.0;
  stroke = key.line_width / 4.0;
  margin = stroke / 2 + 1;
  *offset = -margin;

  if (cache == NULL)
    cache = g_hash_table_new_full (sprite_key_hash, sprite_key_equal, g_free, g_object_unref);
  texture = g_hash_table_lookup (cache, &key);
  if (texture != NULL)
    return texture;

  pixels_w = (int) ceil (w + 2 * margin);
  pixels_h = (int) ceil (h + 2 * margin);
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, pixels_w, pixels_h);
  cr = cairo_create (surface);
  cairo_translate (cr, margin, margin);
  cairo_new_sub_path (cr);
  cairo_arc (cr, w - r, r, r, -G_PI / 2, 0);
  cairo_arc (cr, w - r, h - r, r, 0, G_PI / 2);
  cairo_arc (cr, r, h - r, r, G_PI / 2, G_PI);
  cairo_arc (cr, r, r, r, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
  gdk_cairo_set_source_rgba (cr, rgba);
  if (paint == CM_SCENE_PAINT_STROKE)
    {
      cairo_set_line_width (cr, stroke);
      cairo_stroke (cr);
    }
  else
    cairo_fill (cr);
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  bytes = g_bytes_new_with_free_func (cairo_image_surface_get_data (surface),
                                      (gsize) cairo_image_surface_get_stride (surface) * pixels_h,
                                      (GDestroyNotify) cairo_surface_destroy, surface);
  texture = gdk_memory_texture_new (pixels_w, pixels_h, GDK_MEMORY_DEFAULT, bytes,
                                    cairo_image_surface_get_stride (surface));
  if (g_hash_table_size (cache) >= MAX_SPRITE_CACHE)
    g_hash_table_remove_all (cache);
  g_hash_table_insert (cache, g_memdup2 (&key, sizeof key), texture);
  return texture;
}

static gboolean
snapshot_sprite (GtkSnapshot        *snapshot,
                 const CmSceneShape *s,
                 CmScenePaint        paint,
                 const GdkRGBA      *rgba,
                 double              line_width)
{
  double x, y, w, h, r, offset;
  GdkTexture *texture;

  if (s->kind == CM_SCENE_SHAPE_CIRCLE)
    x = s->x - s->r, y = s->y - s->r, w = h = r = 2 * s->r;
  else if (s->kind == CM_SCENE_SHAPE_RECT && s->r >= 0.5)
    x = s->x, y = s->y, w = s->w, h = s->h, r = s->r;
  else
    return FALSE;
  if (w > MAX_SPRITE_SIZE || h > MAX_SPRITE_SIZE || line_width > 60 || w <= 0 || h <= 0)
    return FALSE;

  texture = get_sprite (rgba, paint, w, h, r, line_width, &offset);
  gtk_snapshot_append_texture (snapshot, texture,
                               &GRAPHENE_RECT_INIT (roundf (x + offset), roundf (y + offset),
                                                    gdk_texture_get_width (texture),
                                                    gdk_texture_get_height (texture)));
  return TRUE;
}

static void
snapshot_shape (GtkSnapshot        *snapshot,
                const CmSceneShape *s,
                CmScenePaint        paint,
                const GdkRGBA      *rgba,
                double              line_width)
{
  GskRoundedRect outline;
  graphene_rect_t rect;

  if (s->kind == CM_SCENE_SHAPE_LINE)
    {
      snapshot_line (snapshot, s, rgba, line_width);
      return;
    }

  if (paint != CM_SCENE_PAINT_HATCH
      && snapshot_sprite (snapshot, s, paint, rgba, line_width))
    return;

  if (s->kind == CM_SCENE_SHAPE_CIRCLE)
    {
      double r = paint == CM_SCENE_PAINT_STROKE ? s->r + line_width / 2 : s->r;

      graphene_rect_init (&rect, s->x - r, s->y - r, 2 * r, 2 * r);
      gsk_rounded_rect_init_from_rect (&outline, &rect, r);
    }
  else
    {
      double grow = paint == CM_SCENE_PAINT_STROKE ? line_width / 2 : 0;

      graphene_rect_init (&rect, s->x - grow, s->y - grow, s->w + 2 * grow, s->h + 2 * grow);
      gsk_rounded_rect_init_from_rect (&outline, &rect,
                                       MIN (s->r + grow, MIN (rect.size.width, rect.size.height) / 2));
    }

  if (paint == CM_SCENE_PAINT_STROKE)
    {
      const float widths[4] = { line_width, line_width, line_width, line_width };
      const GdkRGBA colors[4] = { *rgba, *rgba, *rgba, *rgba };

      gtk_snapshot_append_border (snapshot, &outline, widths, colors);
    }
  else if (s->kind == CM_SCENE_SHAPE_RECT && s->r < 0.5)
    gtk_snapshot_append_color (snapshot, rgba, &rect);
  else
    {
      gtk_snapshot_push_rounded_clip (snapshot, &outline);
      gtk_snapshot_append_color (snapshot, rgba, &rect);
      gtk_snapshot_pop (snapshot);
    }
}

static void
snapshot_batch (GtkSnapshot *snapshot,
                CmScene     *scene,
                guint        batch)
{
  const CmSceneShape *shapes;
  CmScenePaint paint;
  CmColor color;
  GdkRGBA rgba;
  double line_width;
  guint n;

  shapes = cm_scene_get_shapes (scene, batch, &n);
  if (n == 0)
    return;
  cm_scene_get_batch_info (scene, batch, NULL, &paint, &color, &line_width);
  color_to_rgba (&color, &rgba);

  if (paint == CM_SCENE_PAINT_HATCH)
    {
      graphene_rect_t bounds;
      cairo_t *cr;

      /* Hatching has no render node: one cairo node for the batch. */
      graphene_rect_init (&bounds, shapes[0].x, shapes[0].y, shapes[0].w, shapes[0].h);
      for (guint i = 1; i < n; i++)
        {
          graphene_rect_t r;

          graphene_rect_init (&r, shapes[i].x, shapes[i].y, shapes[i].w, shapes[i].h);
          graphene_rect_union (&bounds, &r, &bounds);
        }
      graphene_rect_intersection (&bounds,
                                  &GRAPHENE_RECT_INIT (0, 0, cm_scene_get_width (scene),
                                                       cm_scene_get_height (scene)),
                                  &bounds);
      if (bounds.size.width < 1 || bounds.size.height < 1)
        return;
      cr = gtk_snapshot_append_cairo (snapshot, &bounds);
      cm_scene_render_batch_cairo (scene, batch, cr);
      cairo_destroy (cr);
      return;
    }

  if (paint == CM_SCENE_PAINT_FADE)
    {
      GdkRGBA clear = rgba;

      clear.alpha = 0;
      for (guint i = 0; i < n; i++)
        {
          const CmSceneShape *s = &shapes[i];
          const GskColorStop stops[2] = { { 0, rgba }, { 1, clear } };

          gtk_snapshot_append_linear_gradient (snapshot,
                                               &GRAPHENE_RECT_INIT (s->x, s->y, s->w, s->h),
                                               &GRAPHENE_POINT_INIT (s->x, s->y),
                                               &GRAPHENE_POINT_INIT (s->x + s->w, s->y),
                                               stops, 2);
        }
      return;
    }

  for (guint i = 0; i < n; i++)
    snapshot_shape (snapshot, &shapes[i], paint, &rgba, line_width);
}

void
cm_scene_snapshot (GtkSnapshot *snapshot,
                   CmScene     *scene)
{
  guint n_batches = cm_scene_get_n_batches (scene);
  guint n_texts = cm_scene_get_n_texts (scene);

  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (0, 0, cm_scene_get_width (scene),
                                                         cm_scene_get_height (scene)));

  for (guint layer = 0; layer < CM_SCENE_N_LAYERS; layer++)
    {
      for (guint b = 0; b < n_batches; b++)
        {
          CmSceneLayer batch_layer;

          cm_scene_get_batch_info (scene, b, &batch_layer, NULL, NULL, NULL);
          if (batch_layer == layer)
            snapshot_batch (snapshot, scene, b);
        }

      for (guint t = 0; t < n_texts; t++)
        {
          CmRect rect;
          CmColor color;
          GdkRGBA rgba;
          PangoLayout *text = cm_scene_get_text (scene, t, &rect, &color);
          PangoRectangle logical;

          if (cm_scene_get_text_layer (scene, t) != layer)
            continue;

          pango_layout_get_pixel_extents (text, NULL, &logical);
          color_to_rgba (&color, &rgba);
          gtk_snapshot_save (snapshot);
          gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (rect.x - logical.x, rect.y - logical.y));
          gtk_snapshot_append_layout (snapshot, text, &rgba);
          gtk_snapshot_restore (snapshot);
        }
    }

  gtk_snapshot_pop (snapshot);
}
