/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-scene"

#include "config.h"

#include <math.h>

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
