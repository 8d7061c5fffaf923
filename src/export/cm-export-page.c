/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-export"

#include "config.h"

#include <math.h>
#include <glib/gi18n.h>
#include <pango/pangocairo.h>

#include "cm-basemap.h"
#include "cm-exporter-private.h"
#include "cm-mercator.h"
#include "cm-palette.h"
#include "cm-scene.h"
#include "cm-timeline-layout.h"

/* The page around the timeline: title, legend, the timeline itself (the
 * window's layout and scene), the map, a footer. Sizes follow the body
 * text, so a page reads the same at any size. */

#define FONT_FAMILY        "Cantarell"
/* Body text in Pango points (at pango-cairo's 96 dpi): 10 matches the
 * window; on a PDF page (72 units an inch) 7 prints at about 9 pt. */
#define FONT_SIZE_SCREEN   10.0
#define FONT_SIZE_PRINT    7.0
/* When lanes overflow the page, the timeline is drawn this much smaller
 * at most before lanes are cut (with a note in the footer). */
#define MAX_LANE_SHRINK    2.0
#define MAX_LEGEND_ROWS    3
#define MAX_MAP_LABELS     40
#define MAX_MAP_ZOOM       6.0

typedef struct
{
  CmDataset             *dataset;
  const CmExportOptions *options;
  cairo_t               *cr;
  double                 width;
  double                 height;
  double                 font_size;
  double                 em;
  double                 margin;
  CmTimelineTheme        theme;
  const guint64         *visible;
  gint64                 t0;
  gint64                 t1;
  gboolean               has_range;
  gint32                 axis_offset;
  guint8                *groups_shown;  /* n_groups + 1 flags, the last for no group */
  char                  *description;   /* the subtitle, computed once */
  CmExportPageInfo      *info;
} Page;

static gboolean
is_visible (Page  *page,
            guint  event)
{
  return page->visible == NULL || (page->visible[event / 64] >> (event % 64)) & 1;
}

static PangoLayout *
create_text (Page       *page,
             const char *text,
             double      scale,
             gboolean    bold,
             double      max_width)
{
  PangoLayout *layout = pango_cairo_create_layout (page->cr);
  PangoFontDescription *desc = pango_font_description_from_string (FONT_FAMILY);

  pango_font_description_set_size (desc, (int) (page->font_size * scale * PANGO_SCALE));
  if (bold)
    pango_font_description_set_weight (desc, PANGO_WEIGHT_BOLD);
  pango_layout_set_font_description (layout, desc);
  pango_font_description_free (desc);
  pango_layout_set_text (layout, text, -1);
  if (max_width > 0)
    {
      pango_layout_set_width (layout, (int) (max_width * PANGO_SCALE));
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
    }

  return layout;
}

static double
text_width (PangoLayout *layout)
{
  PangoRectangle logical;

  pango_layout_get_extents (layout, NULL, &logical);
  return (double) logical.width / PANGO_SCALE;
}

static double
text_height (PangoLayout *layout)
{
  PangoRectangle logical;

  pango_layout_get_extents (layout, NULL, &logical);
  return (double) logical.height / PANGO_SCALE;
}

static void
keep_text (Page       *page,
           const char *text)
{
  if (page->info->texts != NULL && text != NULL && text[0] != '\0')
    g_ptr_array_add (page->info->texts, g_strdup (text));
}

static void
show_text (Page          *page,
           PangoLayout   *layout,
           const CmColor *color,
           double         x,
           double         y)
{
  cairo_set_source_rgba (page->cr, color->red, color->green, color->blue, color->alpha);
  cairo_move_to (page->cr, x, y);
  pango_cairo_show_layout (page->cr, layout);
  keep_text (page, pango_layout_get_text (layout));
}

static void
set_source_color (cairo_t       *cr,
                  const CmColor *color)
{
  cairo_set_source_rgba (cr, color->red, color->green, color->blue, color->alpha);
}

static void
get_group_color (Page    *page,
                 guint32  group,
                 CmColor *color)
{
  cm_color_from_rgb (color, cm_palette_get_group_color (page->dataset, group), 1.0f);
}

static const char *
get_title (Page *page)
{
  const char *title = page->options->title;

  if (title == NULL || title[0] == '\0')
    title = cm_dataset_get_title (page->dataset);
  if (title == NULL || title[0] == '\0')
    title = _("Timeline");

  return title;
}

static char *
format_moment (gint64 seconds,
               gint64 span,
               gint32 offset)
{
  CmTime time = { 0, };

  /* In the axis's offset, as the axis labels are. */
  time.seconds = seconds;
  time.offset = offset;
  time.has_zone = offset != 0;
  if (span > (gint64) 200 * 365 * 86400)
    time.precision = CM_PRECISION_YEAR;
  else if (span >= 2 * 86400)
    time.precision = CM_PRECISION_DAY;
  else
    time.precision = CM_PRECISION_MINUTE;

  return cm_time_format_short (&time);
}

/* "12 events · 1 Feb 2025 – 31 Mar 2025": what the page covers. */
static char *
describe_range (Page *page)
{
  guint n_events = cm_dataset_get_n_events (page->dataset);
  gint64 from = page->t0, to = page->t1;
  g_autofree char *first = NULL;
  g_autofree char *last = NULL;
  guint count = 0;

  if (!page->options->has_from && !page->options->has_to)
    cm_dataset_get_time_range (page->dataset, &from, &to);

  for (guint i = 0; i < n_events; i++)
    {
      const CmEvent *event = cm_dataset_get_event (page->dataset, i);

      if (is_visible (page, i) && !event->undated && event->start.seconds < to &&
          cm_time_get_end (&event->end) > from)
        count++;
    }

  if (!page->has_range)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u event", "%u events", count),
                            count);

  first = format_moment (from, to - from, page->axis_offset);
  last = format_moment (to - 1, to - from, page->axis_offset);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u event · %s – %s",
                                       "%u events · %s – %s", count),
                          count, first, last);
}

static double
draw_header (Page   *page,
             double  y,
             gboolean measure_only)
{
  double left = page->margin, max_width = page->width - 2 * page->margin;

  if (page->options->show_title)
    {
      g_autoptr(PangoLayout) title = create_text (page, get_title (page), 1.9, TRUE, max_width);

      if (!measure_only)
        show_text (page, title, &page->theme.foreground, left, y);
      y += text_height (title);
    }

  {
    g_autoptr(PangoLayout) subtitle = NULL;

    if (page->description == NULL && page->has_range)
      page->description = describe_range (page);
    subtitle = create_text (page, page->description ? page->description : "", 1.0, FALSE,
                            max_width);

    if (!measure_only)
      show_text (page, subtitle, &page->theme.dim, left, y + 0.15 * page->em);
    y += text_height (subtitle) + 0.15 * page->em;
  }

  return y;
}

static gboolean
event_on_page (Page          *page,
               guint          index,
               const CmEvent *event)
{
  return is_visible (page, index) &&
         (!page->has_range ||
          (!event->undated && event->start.seconds < page->t1 &&
           cm_time_get_end (&event->end) > page->t0));
}

/* The legend shows the groups of the events on the page, not colours
 * that appear nowhere. */
static void
find_groups_shown (Page *page)
{
  guint n_events = cm_dataset_get_n_events (page->dataset);
  guint n_groups = cm_dataset_get_n_groups (page->dataset);

  page->groups_shown = g_new0 (guint8, n_groups + 1);
  for (guint i = 0; i < n_events; i++)
    {
      const CmEvent *event = cm_dataset_get_event (page->dataset, i);
      guint32 group;

      if (!event_on_page (page, i, event))
        continue;
      group = cm_dataset_get_event_group (page->dataset, event);
      page->groups_shown[group == CM_NONE ? n_groups : group] = TRUE;

      /* Lanes by actor colour each copy of an event by its lane's actor. */
      if (page->options->lanes == CM_LANE_MODE_ACTOR &&
          page->options->layout != CM_EXPORT_LAYOUT_MAP)
        {
          guint n_actors;
          const guint32 *actors = cm_dataset_get_event_actors (page->dataset, event, &n_actors);

          for (guint a = 0; a < n_actors; a++)
            {
              group = cm_dataset_get_actor (page->dataset, actors[a])->group;
              page->groups_shown[group == CM_NONE ? n_groups : group] = TRUE;
            }
        }
    }
}

/* Swatches and names flowing in rows; returns the height used. */
static double
draw_legend (Page     *page,
             double    y,
             gboolean  measure_only)
{
  guint n_groups = cm_dataset_get_n_groups (page->dataset);
  double left = page->margin, right = page->width - page->margin;
  double x = left, row_height = 1.45 * page->em, swatch = 0.85 * page->em;
  double start_y = y;
  guint row = 0, n_items = 0, n_drawn = 0;

  if (!page->options->show_legend)
    return 0;
  for (guint i = 0; i <= n_groups; i++)
    n_items += page->groups_shown[i];
  if (n_items == 0)
    return 0;

  for (guint i = 0; i <= n_groups; i++)
    {
      const char *name;
      g_autoptr(PangoLayout) label = NULL;
      double item_width;
      CmColor color;

      if (!page->groups_shown[i])
        continue;

      name = i < n_groups ? cm_dataset_get_group (page->dataset, i)->name : _("No group");
      label = create_text (page, name, 1.0, FALSE, 0);
      item_width = swatch + 0.4 * page->em + text_width (label);

      if (x > left && x + item_width > right)
        {
          row++;
          x = left;
          y += row_height;
        }

      if (row == MAX_LEGEND_ROWS - 1 && n_drawn + 1 < n_items &&
          x + item_width + 6 * page->em > right)
        {
          g_autofree char *more = g_strdup_printf (ngettext ("… and %u more", "… and %u more",
                                                                  n_items - n_drawn),
                                                        n_items - n_drawn);
          g_autoptr(PangoLayout) rest = create_text (page, more, 1.0, FALSE, 0);

          if (!measure_only)
            show_text (page, rest, &page->theme.dim, x, y);
          break;
        }

      if (!measure_only)
        {
          get_group_color (page, i < n_groups ? i : CM_NONE, &color);
          set_source_color (page->cr, &color);
          cairo_new_sub_path (page->cr);
          cairo_arc (page->cr, x + swatch / 2, y + text_height (label) / 2, swatch / 2,
                     0, 2 * G_PI);
          cairo_fill (page->cr);
          show_text (page, label, &page->theme.foreground, x + swatch + 0.4 * page->em, y);
        }

      x += item_width + 1.4 * page->em;
      n_drawn++;
    }

  return y + row_height - start_y;
}

/* Counts the lanes the page must hold and shrinks the timeline when they
 * do not fit, up to MAX_LANE_SHRINK. */
static double
fit_lanes (Page             *page,
           CmTimelineLayout *layout,
           CmScene          *scene,
           const CmRect     *area)
{
  CmRect plot;
  double content, shrink, lane_height;
  guint n_lanes;

  cm_timeline_layout_build (layout, scene);
  cm_timeline_layout_get_plot_area (layout, &plot);
  content = cm_timeline_layout_get_content_height (layout);
  n_lanes = cm_timeline_layout_get_n_lanes (layout);
  page->info->n_lanes = n_lanes;
  page->info->n_lanes_shown = n_lanes;

  if (content <= plot.height + 0.5 || n_lanes == 0)
    return 1.0;

  shrink = MIN ((area->height + content - plot.height) / area->height, MAX_LANE_SHRINK);
  cm_timeline_layout_set_size (layout, (int) (area->width * shrink),
                               (int) (area->height * shrink));
  cm_timeline_layout_build (layout, scene);
  cm_timeline_layout_get_plot_area (layout, &plot);
  content = cm_timeline_layout_get_content_height (layout);
  lane_height = content / n_lanes;
  if (content > plot.height + 0.5 && lane_height > 0)
    page->info->n_lanes_shown = MIN (n_lanes, (guint) floor (plot.height / lane_height));

  return shrink;
}

static CmTimelineLayout *
create_layout (Page   *page,
               double  width,
               double  height)
{
  CmTimelineLayout *layout = cm_timeline_layout_new ();
  g_autofree char *font = g_strdup_printf ("%s %g", FONT_FAMILY, page->font_size);

  cm_timeline_layout_set_dataset (layout, page->dataset);
  cm_timeline_layout_set_filter (layout, page->visible);
  cm_timeline_layout_set_lane_mode (layout, page->options->lanes);
  cm_timeline_layout_set_theme (layout, &page->theme);
  cm_timeline_layout_set_font (layout, font);
  cm_timeline_layout_set_selected (layout, CM_NONE);
  cm_timeline_layout_set_today (layout, FALSE, 0);
  cm_timeline_layout_set_axis_offset (layout, page->axis_offset);
  /* Lanes share the page height, as on screen: no empty lower half. */
  cm_timeline_layout_set_fill_height (layout, TRUE);
  cm_timeline_layout_set_size (layout, MAX (1, (int) width), MAX (1, (int) height));

  return layout;
}

/* --from 2025-02-11 means the start of that day where the axis is
 * written, as the axis labels show it, unless an offset was given. */
static gint64
get_from (Page *page)
{
  return page->options->from - (page->options->from_zoned ? 0 : page->axis_offset);
}

static gint64
get_to (Page *page)
{
  return page->options->to - (page->options->to_zoned ? 0 : page->axis_offset);
}

/* The span to draw: --from/--to, completed by the span that fits every
 * event, as the window's "zoom to fit" shows it. */
static gboolean
compute_range (Page             *page,
               CmTimelineLayout *layout,
               GError          **error)
{
  gint64 t0 = 0, t1 = 0;
  gboolean fits = cm_timeline_layout_get_fit_range (layout, &t0, &t1);

  if (page->options->has_from)
    t0 = get_from (page);
  if (page->options->has_to)
    t1 = get_to (page);

  if (!fits && !(page->options->has_from && page->options->has_to))
    {
      g_set_error (error, CM_EXPORT_ERROR, CM_EXPORT_ERROR_EMPTY,
                   _("The dataset has no events to export; give --from and --to to export "
                   "an empty range"));
      return FALSE;
    }
  if (t1 <= t0)
    {
      /* Only one bound given, beyond the events: show a year from it. */
      if (page->options->has_from)
        t1 = t0 + 365 * 86400;
      else
        t0 = t1 - 365 * 86400;
    }

  page->t0 = t0;
  page->t1 = t1;
  page->has_range = TRUE;
  cm_timeline_layout_set_range (layout, t0, t1);
  return TRUE;
}

static void
keep_scene_texts (Page    *page,
                  CmScene *scene)
{
  guint n_texts = cm_scene_get_n_texts (scene);

  for (guint i = 0; i < n_texts && page->info->texts != NULL; i++)
    keep_text (page, pango_layout_get_text (cm_scene_get_text (scene, i, NULL, NULL)));
}

/* The height the lanes need, between @min and @max. */
static double
fit_timeline_height (Page             *page,
                     CmTimelineLayout *layout,
                     double            width,
                     double            min,
                     double            max)
{
  g_autoptr(CmScene) scene = cm_scene_new (width, max);
  CmRect plot;
  double needed;

  cm_timeline_layout_set_size (layout, (int) width, (int) max);
  cm_timeline_layout_build (layout, scene);
  cm_timeline_layout_get_plot_area (layout, &plot);
  needed = plot.y + cm_timeline_layout_get_content_height (layout) + page->em;

  return CLAMP (needed, min, max);
}

static void
draw_timeline (Page             *page,
               CmTimelineLayout *layout,
               const CmRect     *area)
{
  g_autoptr(CmScene) scene = cm_scene_new (area->width, area->height);
  double shrink = fit_lanes (page, layout, scene, area);

  cairo_save (page->cr);
  cairo_rectangle (page->cr, area->x, area->y, area->width, area->height);
  cairo_clip (page->cr);
  cairo_translate (page->cr, area->x, area->y);
  cairo_scale (page->cr, 1 / shrink, 1 / shrink);
  cm_scene_render_cairo (scene, page->cr);
  cairo_restore (page->cr);

  keep_scene_texts (page, scene);
}

typedef struct
{
  guint   place;          /* the busiest place of the marker */
  guint   count;          /* events */
  guint   n_places;       /* places merged into it */
  guint32 group;
  double  x;
  double  y;
  double  radius;
} Marker;

static int
compare_markers (gconstpointer a,
                 gconstpointer b)
{
  const Marker *ma = a, *mb = b;

  return ma->count != mb->count ? (mb->count > ma->count ? 1 : -1)
                                : (ma->place > mb->place) - (ma->place < mb->place);
}

/* The places of the events on the page, with how many events each. */
static GArray *
collect_markers (Page *page)
{
  guint n_places = cm_dataset_get_n_places (page->dataset);
  guint n_events = cm_dataset_get_n_events (page->dataset);
  const guint32 *order = cm_dataset_get_time_order (page->dataset);
  g_autofree Marker *by_place = g_new0 (Marker, MAX (n_places, 1));
  GArray *markers = g_array_new (FALSE, FALSE, sizeof (Marker));

  for (guint r = 0; r < n_events; r++)
    {
      const CmEvent *event = cm_dataset_get_event (page->dataset, order[r]);
      const guint32 *places;
      guint n;

      if (!is_visible (page, order[r]))
        continue;
      if (page->has_range &&
          (event->undated || event->start.seconds >= page->t1 ||
           cm_time_get_end (&event->end) <= page->t0))
        continue;

      places = cm_dataset_get_event_places (page->dataset, event, &n);
      for (guint i = 0; i < n; i++)
        {
          /* A place takes the colour of its first event's group. */
          if (by_place[places[i]].count++ == 0)
            by_place[places[i]].group = cm_dataset_get_event_group (page->dataset, event);
        }
    }

  for (guint p = 0; p < n_places; p++)
    {
      if (by_place[p].count > 0)
        {
          by_place[p].place = p;
          g_array_append_val (markers, by_place[p]);
        }
    }
  g_array_sort (markers, compare_markers);

  return markers;
}

/* Centre and zoom that show every marker with a margin. */
static void
fit_map (GArray       *markers,
         CmDataset    *dataset,
         const CmRect *area,
         double       *latitude,
         double       *longitude,
         double       *zoom)
{
  double x0 = 1, y0 = 1, x1 = 0, y1 = 0, dx, dy, min_zoom;

  for (guint i = 0; i < markers->len; i++)
    {
      const CmPlace *place = cm_dataset_get_place (dataset,
                                                   g_array_index (markers, Marker, i).place);
      double x = cm_mercator_x (place->lon), y = cm_mercator_y (place->lat);

      x0 = MIN (x0, x), x1 = MAX (x1, x);
      y0 = MIN (y0, y), y1 = MAX (y1, y);
    }

  /* The world must at least fill the frame's height. */
  min_zoom = log2 (MAX (area->height, 1) / 256.0);
  if (markers->len == 0)
    {
      *latitude = 20, *longitude = 10;
      *zoom = MAX (min_zoom, log2 (MAX (area->width, 1) / 256.0));
      return;
    }

  dx = MAX (x1 - x0, 1e-4) * 1.3;
  dy = MAX (y1 - y0, 1e-4) * 1.3;
  *zoom = log2 (MIN (area->width / (dx * 256.0), area->height / (dy * 256.0)));
  *zoom = CLAMP (*zoom, min_zoom, MAX (min_zoom, MAX_MAP_ZOOM));
  *longitude = cm_mercator_longitude ((x0 + x1) / 2);
  *latitude = cm_mercator_latitude ((y0 + y1) / 2);
}

static gboolean
rect_overlaps (const CmRect *a,
               const CmRect *b)
{
  return a->x < b->x + b->width && b->x < a->x + a->width &&
         a->y < b->y + b->height && b->y < a->y + a->height;
}

/* Places closer than @distance on the map become one marker at the
 * busiest of them, as the window's place layer clusters them: thousands
 * of overlapping dots say less than a few hundred sized ones. @markers
 * is sorted by count, busiest first, and stays so. */
static void
cluster_markers (GArray *markers,
                 double  distance)
{
  g_autoptr(GHashTable) cells = g_hash_table_new (g_int64_hash, g_int64_equal);
  /* Never grows past its reserved size: the table points into it. */
  g_autoptr(GArray) keys = g_array_sized_new (FALSE, FALSE, sizeof (gint64), markers->len);
  guint n_kept = 0;

  for (guint i = 0; i < markers->len; i++)
    {
      Marker m = g_array_index (markers, Marker, i);
      gint64 cx = (gint64) floor (m.x / distance), cy = (gint64) floor (m.y / distance);
      Marker *into = NULL;

      for (gint64 dy = -1; dy <= 1 && into == NULL; dy++)
        for (gint64 dx = -1; dx <= 1 && into == NULL; dx++)
          {
            gint64 key = ((cx + dx) << 32) ^ ((cy + dy) & 0xffffffff);
            gpointer found;

            if (g_hash_table_lookup_extended (cells, &key, NULL, &found))
              {
                Marker *c = &g_array_index (markers, Marker, GPOINTER_TO_UINT (found));

                if (hypot (c->x - m.x, c->y - m.y) < distance)
                  into = c;
              }
          }

      if (into != NULL)
        {
          into->count += m.count;
          into->n_places++;
          continue;
        }

      g_array_index (markers, Marker, n_kept) = m;
      {
        gint64 key = (cx << 32) ^ (cy & 0xffffffff);

        g_array_append_val (keys, key);
        g_hash_table_insert (cells, &g_array_index (keys, gint64, keys->len - 1),
                             GUINT_TO_POINTER (n_kept));
      }
      n_kept++;
    }

  g_array_set_size (markers, n_kept);
  g_array_sort (markers, compare_markers);
}

static void
place_markers (Page         *page,
               CmScene      *scene,
               GArray       *markers,
               const CmRect *area,
               double        latitude,
               double        longitude,
               double        zoom)
{
  double world = cm_mercator_world_size (zoom, 256);
  double cx = cm_mercator_x (longitude) * world, cy = cm_mercator_y (latitude) * world;
  guint max_count;
  g_autoptr(GArray) taken = g_array_new (FALSE, FALSE, sizeof (CmRect));
  CmColor halo = page->theme.background;
  guint outline, n_labels = 0;

  for (guint i = 0; i < markers->len; i++)
    {
      Marker *m = &g_array_index (markers, Marker, i);
      const CmPlace *place = cm_dataset_get_place (page->dataset, m->place);
      double x = cm_mercator_x (place->lon) * world - cx;

      /* The world repeats: take the copy nearest the centre. */
      x -= world * round (x / world);
      m->x = x + area->width / 2;
      m->y = cm_mercator_y (place->lat) * world - cy + area->height / 2;
      m->n_places = 1;
    }

  cluster_markers (markers, 1.4 * page->em);
  max_count = markers->len > 0 ? g_array_index (markers, Marker, 0).count : 1;

  for (guint i = 0; i < markers->len; i++)
    {
      Marker *m = &g_array_index (markers, Marker, i);
      CmColor color;

      m->radius = page->em * (0.3 + 0.45 * sqrt ((double) m->count / max_count));
      get_group_color (page, m->group, &color);
      cm_scene_add_circle (scene,
                           cm_scene_batch (scene, CM_SCENE_LAYER_MARKS, CM_SCENE_PAINT_FILL,
                                           &color, 0),
                           m->x, m->y, m->radius);
    }

  /* Outlines after every fill, one path. */
  outline = cm_scene_batch (scene, CM_SCENE_LAYER_MARKS, CM_SCENE_PAINT_STROKE, &halo,
                            MAX (1.0, page->em * 0.1));
  for (guint i = 0; i < markers->len; i++)
    {
      const Marker *m = &g_array_index (markers, Marker, i);

      cm_scene_add_circle (scene, outline, m->x, m->y, m->radius);
    }

  /* Names of the busiest places first, never over another name. */
  for (guint i = 0; i < markers->len && n_labels < MAX_MAP_LABELS; i++)
    {
      const Marker *m = &g_array_index (markers, Marker, i);
      const CmPlace *place = cm_dataset_get_place (page->dataset, m->place);
      g_autofree char *name = m->n_places > 1
                              ? g_strdup_printf ("%s +%u", place->name, m->n_places - 1)
                              : g_strdup (place->name);
      g_autoptr(PangoLayout) label = create_text (page, name, 0.95, TRUE, 0);
      CmRect rect = { 0, };
      gboolean free_spot = TRUE;

      rect.width = text_width (label);
      rect.height = text_height (label);
      rect.x = m->x + m->radius + 0.25 * page->em;
      rect.y = m->y - rect.height / 2;
      if (rect.x + rect.width > area->width)
        rect.x = m->x - m->radius - 0.25 * page->em - rect.width;
      if (rect.x < 0 || rect.y < 0 || rect.y + rect.height > area->height)
        continue;

      for (guint j = 0; j < taken->len && free_spot; j++)
        free_spot = !rect_overlaps (&rect, &g_array_index (taken, CmRect, j));
      if (!free_spot)
        continue;

      g_array_append_val (taken, rect);
      cm_scene_add_text (scene, CM_SCENE_LAYER_LABELS, &page->theme.foreground, label,
                         rect.x, rect.y);
      n_labels++;
    }
}

static gboolean
draw_map (Page          *page,
          const CmRect  *area,
          GError       **error)
{
  g_autoptr(CmBasemap) basemap = cm_basemap_get_default (error);
  g_autoptr(GArray) markers = NULL;
  g_autoptr(CmScene) scene = NULL;
  double latitude, longitude, zoom, radius = 0.5 * page->em;

  if (basemap == NULL)
    {
      g_prefix_error (error, _("Cannot draw the map: "));
      return FALSE;
    }

  markers = collect_markers (page);
  fit_map (markers, page->dataset, area, &latitude, &longitude, &zoom);

  cairo_save (page->cr);
  cairo_translate (page->cr, area->x, area->y);
  cairo_new_sub_path (page->cr);
  cairo_arc (page->cr, radius, radius, radius, G_PI, 1.5 * G_PI);
  cairo_arc (page->cr, area->width - radius, radius, radius, 1.5 * G_PI, 2 * G_PI);
  cairo_arc (page->cr, area->width - radius, area->height - radius, radius, 0, 0.5 * G_PI);
  cairo_arc (page->cr, radius, area->height - radius, radius, 0.5 * G_PI, G_PI);
  cairo_close_path (page->cr);
  cairo_save (page->cr);
  cairo_clip_preserve (page->cr);
  cm_basemap_draw_view (basemap, page->cr, latitude, longitude, zoom,
                        (int) ceil (area->width), (int) ceil (area->height),
                        page->theme.dark ? CM_BASEMAP_DARK : CM_BASEMAP_LIGHT);

  scene = cm_scene_new (area->width, area->height);
  place_markers (page, scene, markers, area, latitude, longitude, zoom);
  cm_scene_render_cairo (scene, page->cr);
  keep_scene_texts (page, scene);
  cairo_restore (page->cr);

  set_source_color (page->cr, &page->theme.chrome_border);
  cairo_set_line_width (page->cr, MAX (1.0, page->em * 0.08));
  cairo_stroke (page->cr);
  cairo_restore (page->cr);

  page->info->has_map = TRUE;
  return TRUE;
}

static void
draw_footer (Page   *page,
             double  y)
{
  g_autofree char *note = NULL;

  if (page->info->n_lanes_shown < page->info->n_lanes)
    note = g_strdup_printf (ngettext ("%u of %u lane shown; export a taller image to see it",
                                      "%u of %u lanes shown; export a taller image to see them all",
                                      page->info->n_lanes),
                            page->info->n_lanes_shown, page->info->n_lanes);

  if (note != NULL)
    {
      g_autoptr(PangoLayout) left = create_text (page, note, 0.85, FALSE, 0);

      show_text (page, left, &page->theme.dim, page->margin, y);
    }

  if (page->info->has_map)
    {
      g_autoptr(PangoLayout) right = create_text (page, _("Map data: Natural Earth"), 0.85,
                                                  FALSE, 0);

      show_text (page, right, &page->theme.dim,
                 page->width - page->margin - text_width (right), y);
    }
}

static void
report (CmExportProgressFunc progress,
        gpointer             progress_data,
        double               fraction)
{
  if (progress != NULL)
    progress (fraction, progress_data);
}

gboolean
_cm_export_page_draw (CmDataset             *dataset,
                      const CmExportOptions *options,
                      cairo_t               *cr,
                      double                 width,
                      double                 height,
                      CmExportPageInfo      *info,
                      CmExportProgressFunc   progress,
                      gpointer               progress_data,
                      GCancellable          *cancellable,
                      GError               **error)
{
  Page page = { 0, };
  g_autoptr(CmTimelineLayout) layout = NULL;
  CmExportPageInfo local_info = { 0, };
  gboolean with_timeline = options->layout != CM_EXPORT_LAYOUT_MAP;
  gboolean with_map = options->layout != CM_EXPORT_LAYOUT_TIMELINE;
  CmRect content, timeline_area = { 0, }, map_area = { 0, };
  double header_bottom, legend_y, footer_height, gap;
  g_autofree guint8 *groups_shown = NULL;
  g_autofree char *description = NULL;

  page.dataset = dataset;
  page.options = options;
  page.cr = cr;
  page.width = width;
  page.height = height;
  page.font_size = options->format == CM_EXPORT_FORMAT_PDF ? FONT_SIZE_PRINT
                                                            : FONT_SIZE_SCREEN;
  page.em = page.font_size * 96.0 / 72.0;
  page.margin = 2 * page.em;
  page.info = info != NULL ? info : &local_info;
  page.axis_offset = cm_timeline_layout_guess_axis_offset (dataset);
  cm_timeline_theme_init (&page.theme, options->theme == CM_EXPORT_THEME_DARK);
  if (options->filter != NULL &&
      g_bytes_get_size (options->filter) >= (cm_dataset_get_n_events (dataset) + 63) / 64 * 8)
    page.visible = g_bytes_get_data (options->filter, NULL);

  report (progress, progress_data, 0.05);

  /* The range first (the legend lists the groups in it), from a layout of
   * about the final size: the fit range hardly depends on it. */
  if (with_timeline)
    {
      layout = create_layout (&page, width - 2 * page.margin, height * 0.7);
      if (!compute_range (&page, layout, error))
        return FALSE;
    }
  else
    {
      gint64 min = 0, max = 0;

      page.has_range = cm_dataset_get_time_range (dataset, &min, &max) ||
                       (options->has_from && options->has_to);
      page.t0 = options->has_from ? get_from (&page) : min;
      page.t1 = options->has_to ? get_to (&page) : max;
    }
  find_groups_shown (&page);
  groups_shown = page.groups_shown;

  /* Where things go: header, then the content, then a footer line. */
  legend_y = draw_header (&page, page.margin, TRUE) + 0.6 * page.em;
  description = page.description;
  header_bottom = legend_y + draw_legend (&page, legend_y, TRUE) + 0.4 * page.em;
  footer_height = 1.6 * page.em;

  content.x = page.margin;
  content.y = header_bottom;
  content.width = width - 2 * page.margin;
  content.height = height - header_bottom - page.margin - footer_height;
  if (content.height < 4 * page.em || content.width < 4 * page.em)
    {
      g_set_error (error, CM_EXPORT_ERROR, CM_EXPORT_ERROR_INVALID_OPTION,
                   _("%.0f x %.0f is too small for the title, legend and timeline; "
                   "make the page larger or turn the title and legend off"), width, height);
      return FALSE;
    }

  gap = page.em;
  timeline_area = content;
  map_area = content;
  if (with_map && with_timeline)
    {
      if (content.width / content.height >= 1.6)
        {
          map_area.width = MIN (content.width * 0.36, content.height * 1.5);
          timeline_area.width = content.width - map_area.width - gap;
          map_area.x = timeline_area.x + timeline_area.width + gap;
        }
      else
        {
          /* The map takes what the lanes leave, at least 42%. */
          timeline_area.height = fit_timeline_height (&page, layout, timeline_area.width,
                                                      content.height * 0.3,
                                                      content.height * 0.58 - gap);
          map_area.height = content.height - timeline_area.height - gap;
          map_area.y = timeline_area.y + timeline_area.height + gap;
        }
    }
  if (with_timeline)
    cm_timeline_layout_set_size (layout, (int) timeline_area.width,
                                 (int) timeline_area.height);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  report (progress, progress_data, 0.15);

  set_source_color (cr, &page.theme.background);
  cairo_paint (cr);

  draw_header (&page, page.margin, FALSE);
  draw_legend (&page, legend_y, FALSE);

  if (with_timeline)
    {
      draw_timeline (&page, layout, &timeline_area);
      report (progress, progress_data, 0.6);
    }

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  if (with_map && !draw_map (&page, &map_area, error))
    return FALSE;

  draw_footer (&page, height - page.margin - footer_height + 0.5 * page.em);
  report (progress, progress_data, 1.0);

  return !g_cancellable_set_error_if_cancelled (cancellable, error);
}
