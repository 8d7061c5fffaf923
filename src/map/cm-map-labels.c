/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-map-layout"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <string.h>

#include "cm-map-layout-private.h"
#include "cm-sort.h"

/* The map layout's text: shaped once and kept (shaping is the costly
 * part), and placed where it overlaps nothing: place names first, then
 * country names in the room left. */

/* Text --------------------------------------------------------------------- */

static PangoLayout *
create_text (CmMapLayout *self,
             const char  *text,
             double       scale,
             gboolean     bold)
{
  PangoFontDescription *desc = pango_font_description_copy_static (self->font);
  PangoLayout *layout;

  if (self->pango == NULL)
    {
      /* The resolution GTK uses by default: a "10" font is as large on
       * the page as in the window. */
      self->pango = pango_font_map_create_context (pango_cairo_font_map_get_default ());
      pango_cairo_context_set_resolution (self->pango, 96);
    }
  layout = pango_layout_new (self->pango);
  pango_font_description_set_size (desc, (int) (pango_font_description_get_size (desc) * scale));
  if (bold)
    pango_font_description_set_weight (desc, PANGO_WEIGHT_BOLD);
  pango_layout_set_font_description (layout, desc);
  pango_font_description_free (desc);
  pango_layout_set_text (layout, text, -1);
  return layout;
}

void
_cm_map_text_size (PangoLayout *layout,
                   double      *width,
                   double      *height)
{
  PangoRectangle logical;

  pango_layout_get_pixel_extents (layout, NULL, &logical);
  *width = logical.width;
  *height = logical.height;
}

PangoLayout *
_cm_map_layout_get_count_text (CmMapLayout *self,
                               guint        count)
{
  PangoLayout *layout = g_hash_table_lookup (self->count_layouts, GUINT_TO_POINTER (count));

  if (layout == NULL)
    {
      g_autofree char *text = g_strdup_printf ("%u", count);

      layout = create_text (self, text, PLACE_SCALE, TRUE);
      g_hash_table_insert (self->count_layouts, GUINT_TO_POINTER (count), layout);
    }
  return layout;
}

static PangoLayout *
get_place_label (CmMapLayout *self,
                 guint32      place)
{
  if (self->place_labels[place] == NULL)
    self->place_labels[place] = create_text (self, cm_dataset_get_place (self->dataset,
                                                                         place)->name,
                                             PLACE_SCALE, FALSE);
  return self->place_labels[place];
}

/* "Brussels, London, Paris" for a few places, "Moscow +4" for more;
 * kept until the places regroup (text shaping is the costly part). */
static PangoLayout *
get_cluster_label (CmMapLayout *self,
                   guint        mark)
{
  guint n;
  const guint32 *places = cm_map_layout_get_mark_places (self, mark, &n);
  /* A few names depend on the zoom's grouping, a count does not. */
  gint64 key = ((gint64) places[0] << 32) | ((gint64) (n <= 3 ? self->cluster_zoom + 1 : 0) << 24)
               | MIN (n, 0xffffff);
  PangoLayout *layout = g_hash_table_lookup (self->cluster_labels, &key);
  const char *first = cm_dataset_get_place (self->dataset, places[0])->name;
  g_autoptr(GString) text = NULL;

  if (layout != NULL)
    return layout;
  text = g_string_new (first);

  if (n <= 3)
    for (guint i = 1; i < n; i++)
      {
        /* Translators: between the place names of a map cluster */
        g_string_append (text, C_("list", ", "));
        g_string_append (text, cm_dataset_get_place (self->dataset, places[i])->name);
      }
  else
    {
      g_string_truncate (text, 0);
      /* Translators: the busiest place of a map cluster and how many more it holds */
      g_string_append_printf (text, C_("map cluster", "%s +%u"), first, n - 1);
    }
  layout = create_text (self, text->str, PLACE_SCALE, FALSE);
  g_hash_table_insert (self->cluster_labels, g_memdup2 (&key, sizeof key), layout);
  return layout;
}

static PangoLayout *
get_country_label (CmMapLayout *self,
                   guint        country)
{
  if (self->country_labels[country] == NULL)
    self->country_labels[country] = create_text (self,
                                                 cm_basemap_get_country_label (self->basemap,
                                                                               country),
                                                 COUNTRY_SCALE, FALSE);
  return self->country_labels[country];
}

/* Labels ------------------------------------------------------------------- */

/* Where names may go: the rectangles taken by markers and names, found
 * through buckets of BUCKET pixels, so each test looks at a few. Exact:
 * two names may touch, never overlap. */
void
_cm_map_layout_reset_taken (CmMapLayout *self)
{
  self->bucket_columns = (int) ((self->width + 2 * self->margin) / BUCKET) + 1;
  self->bucket_rows = (int) ((self->height + 2 * self->margin) / BUCKET) + 1;
  g_array_set_size (self->taken, 0);
  g_array_set_size (self->bucket_entries, 0);
  g_array_set_size (self->buckets, (guint) (self->bucket_columns * self->bucket_rows));
  memset (self->buckets->data, 0xff, self->buckets->len * sizeof (guint32));
}

static gboolean
overlaps (const CmRect *a,
          double        x0,
          double        y0,
          double        x1,
          double        y1)
{
  return a->x < x1 && x0 < a->x + a->width && a->y < y1 && y0 < a->y + a->height;
}

/* With @test: FALSE if the rectangle overlaps a taken one or leaves the
 * view; otherwise (or if it is free) it is taken. */
static gboolean
claim (CmMapLayout *self,
       double       x0,
       double       y0,
       double       x1,
       double       y1,
       gboolean     test)
{
  double m = self->margin;
  int c0 = CLAMP ((int) floor ((x0 + m) / BUCKET), 0, self->bucket_columns - 1);
  int c1 = CLAMP ((int) floor ((x1 + m) / BUCKET), 0, self->bucket_columns - 1);
  int r0 = CLAMP ((int) floor ((y0 + m) / BUCKET), 0, self->bucket_rows - 1);
  int r1 = CLAMP ((int) floor ((y1 + m) / BUCKET), 0, self->bucket_rows - 1);
  guint32 *heads = (guint32 *) self->buckets->data;
  CmRect rect = { x0, y0, x1 - x0, y1 - y0 };
  guint32 index;

  if (test)
    {
      if (x0 < -m || y0 < -m || x1 > self->width + m || y1 > self->height + m)
        return FALSE;
      for (int r = r0; r <= r1; r++)
        for (int c = c0; c <= c1; c++)
          for (guint32 e = heads[r * self->bucket_columns + c]; e != G_MAXUINT32;
               e = g_array_index (self->bucket_entries, BucketEntry, e).next)
            {
              const CmRect *other = &g_array_index (self->taken, CmRect,
                                                    g_array_index (self->bucket_entries,
                                                                   BucketEntry, e).rect);

              if (overlaps (other, x0, y0, x1, y1))
                return FALSE;
            }
    }

  index = self->taken->len;
  g_array_append_val (self->taken, rect);
  for (int r = r0; r <= r1; r++)
    for (int c = c0; c <= c1; c++)
      {
        BucketEntry entry = { index, heads[r * self->bucket_columns + c] };

        heads[r * self->bucket_columns + c] = self->bucket_entries->len;
        g_array_append_val (self->bucket_entries, entry);
      }
  return TRUE;
}

int
cm_map_mark_compare (const CmMapMark *a,
                     const CmMapMark *b)
{
  if (a->highlighted != b->highlighted)
    return a->highlighted ? -1 : 1;
  if ((a->n_places == 1) != (b->n_places == 1))
    return a->n_places == 1 ? -1 : 1;
  if (a->weight != b->weight)
    return a->weight > b->weight ? -1 : 1;
  return a->place < b->place ? -1 : a->place > b->place;
}

/* Right of the marker, then left, above, below: the first free spot. */
static gboolean
place_name (CmMapLayout     *self,
            const CmMapMark *mark,
            double           w,
            double           h,
            CmRect          *rect)
{
  double reach = mark->radius + LABEL_GAP + LABEL_PAD_X;
  double spots[4][2] = {
    { mark->x + reach, mark->y - h / 2 },
    { mark->x - reach - w, mark->y - h / 2 },
    { mark->x - w / 2, mark->y - mark->radius - LABEL_GAP - LABEL_PAD_Y - h },
    { mark->x - w / 2, mark->y + mark->radius + LABEL_GAP + LABEL_PAD_Y },
  };

  if (mark->highlighted)
    {
      /* Clear of the ring. */
      spots[0][0] += RING_GAP + RING_WIDTH;
      spots[1][0] -= RING_GAP + RING_WIDTH;
      spots[2][1] -= RING_GAP + RING_WIDTH;
      spots[3][1] += RING_GAP + RING_WIDTH;
    }
  for (guint s = 0; s < G_N_ELEMENTS (spots); s++)
    {
      double x = round (spots[s][0]), y = round (spots[s][1]);

      if (claim (self, x - LABEL_PAD_X, y - LABEL_PAD_Y, x + w + LABEL_PAD_X,
                      y + h + LABEL_PAD_Y, TRUE))
        {
          *rect = (CmRect) { x, y, w, h };
          return TRUE;
        }
    }
  return FALSE;
}

static int
compare_label_order (gconstpointer a,
                     gconstpointer b,
                     gpointer      user_data)
{
  const CmMapMark *marks = user_data;

  return cm_map_mark_compare (&marks[*(const guint *) a], &marks[*(const guint *) b]);
}

void
_cm_map_layout_add_place_labels (CmMapLayout *self,
                                 CmScene     *scene)
{
  const CmMapMark *marks = (const CmMapMark *) self->marks->data;
  guint n = self->marks->len;
  g_autofree guint *order = g_new (guint, MAX (n, 1));
  guint pill = cm_scene_batch (scene, CM_SCENE_LAYER_LABELS, CM_SCENE_PAINT_FILL,
                               &self->theme.label_background, 0);

  /* Markers (and rings) are obstacles. */
  for (guint i = 0; i < n; i++)
    {
      double r = marks[i].radius + (marks[i].highlighted ? RING_GAP + RING_WIDTH : 1);

      claim (self, marks[i].x - r, marks[i].y - r, marks[i].x + r, marks[i].y + r, FALSE);
      order[i] = i;
    }
  cm_sort_array (order, n, sizeof (guint), compare_label_order, (gpointer) marks);

  for (guint k = 0; k < n && k < MAX_LABELS && self->labels->len < MAX_NAMES; k++)
    {
      const CmMapMark *mark = &marks[order[k]];
      PangoLayout *layout;
      Label label = { order[k], { 0, } };
      double w, h;

      if (mark->n_places == 1)
        layout = get_place_label (self, mark->place);
      else
        layout = get_cluster_label (self, order[k]);
      _cm_map_text_size (layout, &w, &h);
      if (!place_name (self, mark, w, h, &label.rect))
        continue;

      cm_scene_add_rect (scene, pill, label.rect.x - LABEL_PAD_X, label.rect.y - LABEL_PAD_Y,
                         w + 2 * LABEL_PAD_X, h + 2 * LABEL_PAD_Y, (h + 2 * LABEL_PAD_Y) / 2);
      cm_scene_add_text (scene, CM_SCENE_LAYER_LABELS, &self->theme.foreground, layout,
                         label.rect.x, label.rect.y);
      g_array_append_val (self->labels, label);
    }

  /* Country names keep their distance from place names. */
  for (guint i = 0; i < self->labels->len; i++)
    {
      const CmRect *r = &g_array_index (self->labels, Label, i).rect;

      claim (self, r->x - LABEL_PAD_X - COUNTRY_ROOM, r->y - COUNTRY_ROOM,
                  r->x + r->width + LABEL_PAD_X + COUNTRY_ROOM, r->y + r->height + COUNTRY_ROOM,
                  FALSE);
    }
}

/* Country names the basemap shows at this zoom, where they stay clear of
 * places, their names and each other. */
void
_cm_map_layout_add_country_labels (CmMapLayout      *self,
                                   const Projection *proj,
                                   CmScene          *scene)
{
  guint zoom = (guint) CLAMP (floor (self->zoom + 1e-6), 0, 30);

  for (guint c = 0; c < self->n_countries; c++)
    {
      PangoLayout *layout;
      double wx, wy, x, y, w, h;

      if (!cm_basemap_country_label_visible (self->basemap, c, zoom))
        continue;
      cm_basemap_get_country_label_position (self->basemap, c, &wx, &wy);
      _cm_map_layout_project (self, proj, wx, wy, &x, &y);
      if (x < -200 - self->margin || x > self->width + 200 + self->margin
          || y < -20 - self->margin || y > self->height + 20 + self->margin)
        continue;
      layout = get_country_label (self, c);
      _cm_map_text_size (layout, &w, &h);
      x = round (x - w / 2);
      y = round (y - h / 2);
      if (claim (self, x, y, x + w, y + h, TRUE))
        cm_scene_add_text (scene, CM_SCENE_LAYER_BACKGROUND, &self->theme.country, layout, x, y);
    }
}
