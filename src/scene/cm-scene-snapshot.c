/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-scene"

#include "config.h"

#include <math.h>
#include <pango/pangocairo.h>
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

/* Dots and rounded rectangles (markers, label pills), with the outline
 * and the text drawn on them in a stamped layer, as small textures made
 * once per look, size and scale and then reused: a rounded clip costs the
 * cairo renderer a mask each (a thousand map markers took 28 ms a frame),
 * a texture a blit, and three nodes per marker three blits. Placed on
 * whole pixels and drawn at their size: a scaled texture costs more than
 * the clip. Made at the screen's scale, so they stay sharp at 2x. */
#define MAX_SPRITE_SIZE   256.0
#define MAX_SPRITE_CACHE  2048

typedef struct
{
  guint32 fill;        /* RGBA; 0 for none */
  guint32 stroke;
  guint32 text_rgba;
  guint   font_hash;
  char   *text;        /* NULL: none */
  guint16 width;       /* quarter pixels */
  guint16 height;
  guint16 radius;
  gint16  text_x;      /* quarter pixels, from the shape's top left */
  gint16  text_y;
  guint8  line_width;  /* quarter pixels */
  guint8  scale;
} SpriteKey;

typedef struct
{
  GdkTexture *texture;
  float       x;       /* its top left from the shape's, in pixels */
  float       y;
  float       width;   /* its size on screen */
  float       height;
} Sprite;

/* What goes into one sprite; NULL colours for none. */
typedef struct
{
  const CmSceneShape *shape;
  const GdkRGBA      *fill;
  const GdkRGBA      *stroke;
  double              line_width;
  PangoLayout        *text;
  CmRect              text_rect;
  GdkRGBA             text_color;
} SpriteParts;

static guint
sprite_key_hash (gconstpointer data)
{
  const SpriteKey *key = data;

  return (key->fill * 2654435761u) ^ (key->stroke * 40503u) ^ key->text_rgba ^ key->font_hash
         ^ (key->text != NULL ? g_str_hash (key->text) : 0) ^ ((guint) key->width << 16)
         ^ ((guint) key->height << 8) ^ key->radius ^ ((guint) key->line_width << 24)
         ^ ((guint) (guint16) key->text_x << 12) ^ ((guint) (guint16) key->text_y << 4)
         ^ key->scale;
}

static gboolean
sprite_key_equal (gconstpointer a,
                  gconstpointer b)
{
  const SpriteKey *x = a, *y = b;

  return x->fill == y->fill && x->stroke == y->stroke && x->text_rgba == y->text_rgba
         && x->font_hash == y->font_hash && x->width == y->width && x->height == y->height
         && x->radius == y->radius && x->text_x == y->text_x && x->text_y == y->text_y
         && x->line_width == y->line_width && x->scale == y->scale
         && g_strcmp0 (x->text, y->text) == 0;
}

static void
sprite_key_free (gpointer data)
{
  SpriteKey *key = data;

  g_free (key->text);
  g_free (key);
}

static void
sprite_free (gpointer data)
{
  Sprite *sprite = data;

  g_object_unref (sprite->texture);
  g_free (sprite);
}

static guint32
pack_rgba (const GdkRGBA *rgba)
{
  if (rgba == NULL)
    return 0;
  return (guint32) (rgba->red * 255 + .5) << 24 | (guint32) (rgba->green * 255 + .5) << 16
         | (guint32) (rgba->blue * 255 + .5) << 8 | (guint32) (rgba->alpha * 255 + .5);
}

/* The shape's box: top left, size and corner radius. FALSE if it cannot be
 * a sprite. */
static gboolean
get_sprite_box (const CmSceneShape *s,
                double             *x,
                double             *y,
                double             *w,
                double             *h,
                double             *r)
{
  if (s->kind == CM_SCENE_SHAPE_CIRCLE)
    *x = s->x - s->r, *y = s->y - s->r, *w = *h = 2 * s->r, *r = s->r;
  else if (s->kind == CM_SCENE_SHAPE_RECT && s->r >= 0.5)
    *x = s->x, *y = s->y, *w = s->w, *h = s->h, *r = s->r;
  else
    return FALSE;
  return *w > 0 && *h > 0 && *w <= MAX_SPRITE_SIZE && *h <= MAX_SPRITE_SIZE;
}

static Sprite *
make_sprite (const SpriteKey *key,
             PangoLayout     *text)
{
  double w = key->width / 4.0, h = key->height / 4.0, r = key->radius / 4.0;
  double stroke = key->line_width / 4.0, margin = stroke / 2 + 1;
  double left = -margin, top = -margin, right = w + margin, bottom = h + margin;
  double tx = key->text_x / 4.0, ty = key->text_y / 4.0;
  PangoRectangle ink, logical;
  Sprite *sprite = g_new0 (Sprite, 1);
  cairo_surface_t *surface;
  cairo_t *cr;
  GBytes *bytes;
  int pixels_w, pixels_h;

  if (text != NULL)
    {
      pango_layout_get_pixel_extents (text, &ink, &logical);
      left = MIN (left, tx + ink.x - logical.x - 1);
      top = MIN (top, ty + ink.y - logical.y - 1);
      right = MAX (right, tx + ink.x - logical.x + ink.width + 1);
      bottom = MAX (bottom, ty + ink.y - logical.y + ink.height + 1);
    }
  left = floor (left);
  top = floor (top);
  pixels_w = (int) ceil ((right - left) * key->scale);
  pixels_h = (int) ceil ((bottom - top) * key->scale);

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, pixels_w, pixels_h);
  cr = cairo_create (surface);
  cairo_scale (cr, key->scale, key->scale);
  cairo_translate (cr, -left, -top);
  cairo_new_sub_path (cr);
  cairo_arc (cr, w - r, r, r, -G_PI / 2, 0);
  cairo_arc (cr, w - r, h - r, r, 0, G_PI / 2);
  cairo_arc (cr, r, h - r, r, G_PI / 2, G_PI);
  cairo_arc (cr, r, r, r, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
  if (key->fill != 0)
    {
      cairo_set_source_rgba (cr, (key->fill >> 24) / 255.0, (key->fill >> 16 & 0xff) / 255.0,
                             (key->fill >> 8 & 0xff) / 255.0, (key->fill & 0xff) / 255.0);
      cairo_fill_preserve (cr);
    }
  if (key->stroke != 0)
    {
      cairo_set_source_rgba (cr, (key->stroke >> 24) / 255.0, (key->stroke >> 16 & 0xff) / 255.0,
                             (key->stroke >> 8 & 0xff) / 255.0, (key->stroke & 0xff) / 255.0);
      cairo_set_line_width (cr, stroke);
      cairo_stroke_preserve (cr);
    }
  cairo_new_path (cr);
  if (text != NULL)
    {
      guint32 c = key->text_rgba;

      cairo_set_source_rgba (cr, (c >> 24) / 255.0, (c >> 16 & 0xff) / 255.0,
                             (c >> 8 & 0xff) / 255.0, (c & 0xff) / 255.0);
      cairo_move_to (cr, tx - logical.x, ty - logical.y);
      pango_cairo_show_layout (cr, text);
    }
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  bytes = g_bytes_new_with_free_func (cairo_image_surface_get_data (surface),
                                      (gsize) cairo_image_surface_get_stride (surface) * pixels_h,
                                      (GDestroyNotify) cairo_surface_destroy, surface);
  sprite->texture = gdk_memory_texture_new (pixels_w, pixels_h, GDK_MEMORY_DEFAULT, bytes,
                                            cairo_image_surface_get_stride (surface));
  g_bytes_unref (bytes);
  sprite->x = left;
  sprite->y = top;
  sprite->width = pixels_w / (float) key->scale;
  sprite->height = pixels_h / (float) key->scale;
  return sprite;
}

/* Appends the sprite of @parts; FALSE if its shape cannot be one. */
static gboolean
snapshot_sprite (GtkSnapshot       *snapshot,
                 const SpriteParts *parts,
                 int                scale)
{
  static GHashTable *cache;     /* snapshots happen on the GTK thread only */
  SpriteKey key = { 0, };
  Sprite *sprite;
  double x, y, w, h, r;

  if (!get_sprite_box (parts->shape, &x, &y, &w, &h, &r)
      || (parts->stroke != NULL && parts->line_width > 60))
    return FALSE;

  key.fill = pack_rgba (parts->fill);
  key.stroke = pack_rgba (parts->stroke);
  key.width = (guint16) lround (w * 4);
  key.height = (guint16) lround (h * 4);
  key.radius = (guint16) lround (MIN (r, MIN (w, h) / 2) * 4);
  key.line_width = parts->stroke != NULL ? (guint8) MIN (lround (parts->line_width * 4), 255) : 0;
  key.scale = (guint8) CLAMP (scale, 1, 8);
  if (parts->text != NULL)
    {
      const PangoFontDescription *font = pango_layout_get_font_description (parts->text);

      if (font == NULL)
        font = pango_context_get_font_description (pango_layout_get_context (parts->text));
      key.text = (char *) pango_layout_get_text (parts->text);
      key.font_hash = pango_font_description_hash (font);
      key.text_rgba = pack_rgba (&parts->text_color);
      /* From where the shape lands, so the text keeps its own place. */
      key.text_x = (gint16) lround ((parts->text_rect.x - roundf (x)) * 4);
      key.text_y = (gint16) lround ((parts->text_rect.y - roundf (y)) * 4);
    }

  if (cache == NULL)
    cache = g_hash_table_new_full (sprite_key_hash, sprite_key_equal, sprite_key_free,
                                   sprite_free);
  sprite = g_hash_table_lookup (cache, &key);
  if (sprite == NULL)
    {
      SpriteKey *stored = g_memdup2 (&key, sizeof key);

      stored->text = g_strdup (key.text);
      sprite = make_sprite (&key, parts->text);
      if (g_hash_table_size (cache) >= MAX_SPRITE_CACHE)
        g_hash_table_remove_all (cache);
      g_hash_table_insert (cache, stored, sprite);
    }
  gtk_snapshot_append_texture (snapshot, sprite->texture,
                               &GRAPHENE_RECT_INIT (roundf (x + sprite->x), roundf (y + sprite->y),
                                                    sprite->width, sprite->height));
  return TRUE;
}

static void
snapshot_shape (GtkSnapshot        *snapshot,
                const CmSceneShape *s,
                CmScenePaint        paint,
                const GdkRGBA      *rgba,
                double              line_width,
                int                 scale)
{
  SpriteParts parts = { s, paint == CM_SCENE_PAINT_FILL ? rgba : NULL,
                        paint == CM_SCENE_PAINT_STROKE ? rgba : NULL, line_width, NULL, };

  GskRoundedRect outline;
  graphene_rect_t rect;

  if (s->kind == CM_SCENE_SHAPE_LINE)
    {
      snapshot_line (snapshot, s, rgba, line_width);
      return;
    }

  if (paint != CM_SCENE_PAINT_HATCH && snapshot_sprite (snapshot, &parts, scale))
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

/* Stamps: the groups of a stamped layer ------------------------------- */

#define STAMP_CELL 64.0

typedef struct
{
  guint  batch;         /* the fill's */
  guint  index;
  int    stroke_batch;  /* -1: no outline */
  guint  stroke_index;
  int    text;          /* -1: no text */
} Stamp;

typedef struct
{
  CmScene *scene;
  guint    layer;
  GArray  *stamps;      /* Stamp, in drawing order */
  guint   *base;        /* per batch: its first shape's index into used */
  guint8  *used;        /* per shape: drawn by a stamp */
  guint8  *text_used;   /* per text: drawn by a stamp */
  int     *cells;       /* per cell: first entry, or -1 */
  GArray  *entries;     /* CellEntry */
  int      columns;
  int      rows;
} Stamps;

typedef struct
{
  guint stamp;
  int   next;
} CellEntry;

static const CmSceneShape *
stamp_shape (Stamps      *st,
             const Stamp *stamp)
{
  guint n;

  return &cm_scene_get_shapes (st->scene, stamp->batch, &n)[stamp->index];
}

/* The stamp whose shape holds (@x, @y) and passes @match, or NULL. */
static Stamp *
find_stamp (Stamps *st,
            double  x,
            double  y,
            gboolean (*match) (const CmSceneShape *, const Stamp *, gconstpointer),
            gconstpointer data)
{
  /* Shapes were filed in the cells they cover, clamped to the grid. */
  int c = CLAMP ((int) floor (x / STAMP_CELL), 0, st->columns - 1);
  int r = CLAMP ((int) floor (y / STAMP_CELL), 0, st->rows - 1);

  for (int e = st->cells[r * st->columns + c]; e >= 0;
       e = g_array_index (st->entries, CellEntry, e).next)
    {
      Stamp *stamp = &g_array_index (st->stamps, Stamp, g_array_index (st->entries, CellEntry,
                                                                       e).stamp);

      if (match (stamp_shape (st, stamp), stamp, data))
        return stamp;
    }
  return NULL;
}

static gboolean
match_outline (const CmSceneShape *fill,
               const Stamp        *stamp,
               gconstpointer       data)
{
  const CmSceneShape *s = data;

  return stamp->stroke_batch < 0 && fill->kind == s->kind && fill->x == s->x && fill->y == s->y
         && fill->w == s->w && fill->h == s->h && fill->r == s->r;
}

static gboolean
match_text (const CmSceneShape *fill,
            const Stamp        *stamp,
            gconstpointer       data)
{
  const CmRect *t = data;
  double x = 0, y = 0, w = 0, h = 0, r = 0, cx = t->x + t->width / 2, cy = t->y + t->height / 2;

  get_sprite_box (fill, &x, &y, &w, &h, &r);
  return stamp->text < 0 && cx >= x && cx <= x + w && cy >= y && cy <= y + h;
}

/* Groups the layer's fills with the outlines and texts drawn on them. */
static void
stamps_init (Stamps  *st,
             CmScene *scene,
             guint    layer)
{
  guint n_batches = cm_scene_get_n_batches (scene), n_texts = cm_scene_get_n_texts (scene);
  guint total = 0;

  st->scene = scene;
  st->layer = layer;
  st->stamps = g_array_new (FALSE, FALSE, sizeof (Stamp));
  st->entries = g_array_new (FALSE, FALSE, sizeof (CellEntry));
  st->base = g_new (guint, MAX (n_batches, 1));
  for (guint b = 0; b < n_batches; b++)
    {
      guint n;

      cm_scene_get_shapes (scene, b, &n);
      st->base[b] = total;
      total += n;
    }
  st->used = g_new0 (guint8, MAX (total, 1));
  st->text_used = g_new0 (guint8, MAX (n_texts, 1));
  st->columns = (int) ceil (cm_scene_get_width (scene) / STAMP_CELL) + 1;
  st->rows = (int) ceil (cm_scene_get_height (scene) / STAMP_CELL) + 1;
  st->cells = g_new (int, st->columns * st->rows);
  memset (st->cells, 0xff, sizeof (int) * st->columns * st->rows);

  for (guint b = 0; b < n_batches; b++)
    {
      CmSceneLayer batch_layer;
      CmScenePaint paint;
      const CmSceneShape *shapes;
      guint n;

      cm_scene_get_batch_info (scene, b, &batch_layer, &paint, NULL, NULL);
      if (batch_layer != layer || paint != CM_SCENE_PAINT_FILL)
        continue;
      shapes = cm_scene_get_shapes (scene, b, &n);
      for (guint i = 0; i < n; i++)
        {
          Stamp stamp = { b, i, -1, 0, -1 };
          double x, y, w, h, r;
          int c0, c1, r0, r1;

          if (!get_sprite_box (&shapes[i], &x, &y, &w, &h, &r))
            continue;
          c0 = CLAMP ((int) floor (x / STAMP_CELL), 0, st->columns - 1);
          c1 = CLAMP ((int) floor ((x + w) / STAMP_CELL), 0, st->columns - 1);
          r0 = CLAMP ((int) floor (y / STAMP_CELL), 0, st->rows - 1);
          r1 = CLAMP ((int) floor ((y + h) / STAMP_CELL), 0, st->rows - 1);
          for (int row = r0; row <= r1; row++)
            for (int col = c0; col <= c1; col++)
              {
                CellEntry entry = { st->stamps->len, st->cells[row * st->columns + col] };

                st->cells[row * st->columns + col] = (int) st->entries->len;
                g_array_append_val (st->entries, entry);
              }
          st->used[st->base[b] + i] = 1;
          g_array_append_val (st->stamps, stamp);
        }
    }

  for (guint b = 0; b < n_batches; b++)
    {
      CmSceneLayer batch_layer;
      CmScenePaint paint;
      const CmSceneShape *shapes;
      guint n;

      cm_scene_get_batch_info (scene, b, &batch_layer, &paint, NULL, NULL);
      if (batch_layer != layer || paint != CM_SCENE_PAINT_STROKE)
        continue;
      shapes = cm_scene_get_shapes (scene, b, &n);
      for (guint i = 0; i < n; i++)
        {
          double cx = shapes[i].kind == CM_SCENE_SHAPE_CIRCLE ? shapes[i].x
                      : shapes[i].x + shapes[i].w / 2;
          double cy = shapes[i].kind == CM_SCENE_SHAPE_CIRCLE ? shapes[i].y
                      : shapes[i].y + shapes[i].h / 2;
          Stamp *stamp = shapes[i].kind == CM_SCENE_SHAPE_LINE ? NULL
                         : find_stamp (st, cx, cy, match_outline, &shapes[i]);

          if (stamp == NULL)
            continue;
          stamp->stroke_batch = (int) b;
          stamp->stroke_index = i;
          st->used[st->base[b] + i] = 1;
        }
    }

  for (guint t = 0; t < n_texts; t++)
    {
      CmRect rect;
      Stamp *stamp;

      if (cm_scene_get_text_layer (scene, t) != layer)
        continue;
      cm_scene_get_text (scene, t, &rect, NULL);
      stamp = find_stamp (st, rect.x + rect.width / 2, rect.y + rect.height / 2, match_text,
                          &rect);
      if (stamp == NULL)
        continue;
      stamp->text = (int) t;
      st->text_used[t] = 1;
    }
}

static void
stamps_clear (Stamps *st)
{
  g_array_unref (st->stamps);
  g_array_unref (st->entries);
  g_free (st->base);
  g_free (st->used);
  g_free (st->text_used);
  g_free (st->cells);
}

static void
snapshot_stamp (GtkSnapshot *snapshot,
                Stamps      *st,
                const Stamp *stamp,
                int          scale)
{
  CmColor fill, stroke, text;
  GdkRGBA fill_rgba, stroke_rgba;
  SpriteParts parts = { stamp_shape (st, stamp), &fill_rgba, NULL, 0, NULL, };

  cm_scene_get_batch_info (st->scene, stamp->batch, NULL, NULL, &fill, NULL);
  color_to_rgba (&fill, &fill_rgba);
  if (stamp->stroke_batch >= 0)
    {
      cm_scene_get_batch_info (st->scene, stamp->stroke_batch, NULL, NULL, &stroke,
                               &parts.line_width);
      color_to_rgba (&stroke, &stroke_rgba);
      parts.stroke = &stroke_rgba;
    }
  if (stamp->text >= 0)
    {
      parts.text = cm_scene_get_text (st->scene, stamp->text, &parts.text_rect, &text);
      color_to_rgba (&text, &parts.text_color);
    }
  /* A stamp's shape always makes a sprite (get_sprite_box said so). */
  snapshot_sprite (snapshot, &parts, scale);
}

static void
snapshot_batch (GtkSnapshot *snapshot,
                CmScene     *scene,
                guint        batch,
                int          scale,
                Stamps      *st,
                guint       *next_stamp)
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
    {
      if (st == NULL || !st->used[st->base[batch] + i])
        snapshot_shape (snapshot, &shapes[i], paint, &rgba, line_width, scale);
      else if (paint == CM_SCENE_PAINT_FILL)
        /* Stamps are in the order of their fills. */
        snapshot_stamp (snapshot, st, &g_array_index (st->stamps, Stamp, (*next_stamp)++), scale);
    }
}

void
cm_scene_snapshot (GtkSnapshot *snapshot,
                   CmScene     *scene)
{
  cm_scene_snapshot_scaled (snapshot, scene, 1);
}

void
cm_scene_snapshot_scaled (GtkSnapshot *snapshot,
                          CmScene     *scene,
                          int          scale)
{
  guint n_batches = cm_scene_get_n_batches (scene);
  guint n_texts = cm_scene_get_n_texts (scene);

  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (0, 0, cm_scene_get_width (scene),
                                                         cm_scene_get_height (scene)));

  for (guint layer = 0; layer < CM_SCENE_N_LAYERS; layer++)
    {
      Stamps stamps, *st = NULL;
      guint next_stamp = 0;

      if (cm_scene_get_stamped (scene, layer))
        {
          stamps_init (&stamps, scene, layer);
          st = &stamps;
        }
      for (guint b = 0; b < n_batches; b++)
        {
          CmSceneLayer batch_layer;

          cm_scene_get_batch_info (scene, b, &batch_layer, NULL, NULL, NULL);
          if (batch_layer == layer)
            snapshot_batch (snapshot, scene, b, scale, st, &next_stamp);
        }

      for (guint t = 0; t < n_texts; t++)
        {
          CmRect rect;
          CmColor color;
          GdkRGBA rgba;
          PangoLayout *text = cm_scene_get_text (scene, t, &rect, &color);
          PangoRectangle logical;

          if (cm_scene_get_text_layer (scene, t) != layer || (st != NULL && st->text_used[t]))
            continue;

          pango_layout_get_pixel_extents (text, NULL, &logical);
          color_to_rgba (&color, &rgba);
          gtk_snapshot_save (snapshot);
          gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (rect.x - logical.x, rect.y - logical.y));
          gtk_snapshot_append_layout (snapshot, text, &rgba);
          gtk_snapshot_restore (snapshot);
        }
      if (st != NULL)
        stamps_clear (st);
    }

  gtk_snapshot_pop (snapshot);
}
