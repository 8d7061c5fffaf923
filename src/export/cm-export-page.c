/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-export"

#include "config.h"

#include <math.h>
#include <glib/gi18n.h>
#include <pango/pangocairo.h>

#include "cm-export-map-private.h"
#include "cm-exporter-private.h"
#include "cm-palette.h"
#include "cm-scene.h"
#include "cm-timeline-layout.h"

/* The page around the timeline, laid out as a newspaper graphic: a title,
 * a line saying what and when, a key of the colours, the timeline itself
 * (the window's layout and scene, magnified), the map, and a source line
 * under a rule. Every size follows the body text, and the body text
 * follows the page: a printed page is read at its size, anything else
 * (an image, a PDF with no paper size) as a graphic about 20 x 10 cm, the
 * size a 2400 x 1200 image gets in print or on a phone. */

#define FONT_FAMILY        "Cantarell"
/* Body text and the smallest text (source line, notes), in points. */
#define BODY_POINTS        9.0
#define SMALL_POINTS       9.0
/* The area a page without a paper size is read at, in cm². */
#define READING_AREA_CM2   200.0
/* The timeline is laid out as the window would at its font, then
 * magnified so that its text is body text. */
#define TIMELINE_FONT      FONT_FAMILY " 10"
#define TIMELINE_TEXT_PX   (10.0 * 96.0 / 72.0)
/* When lanes overflow the page, the timeline is drawn this much smaller
 * at most before lanes are cut (with a note in the footer): as far as
 * body text can go before it is smaller than the small text. */
#define MAX_LANE_SHRINK    (BODY_POINTS / SMALL_POINTS)
#define MAX_SOURCES        3
#define MAX_LEGEND_ROWS    3

typedef struct
{
  CmDataset             *dataset;
  const CmExportOptions *options;
  cairo_t               *cr;
  double                 width;
  double                 height;
  double                 font_size;     /* body text in Pango points (96 dpi) */
  double                 em;            /* body text size in page units */
  double                 point;         /* page units per typographic point */
  double                 zoom;          /* page units per pixel of the timeline layout */
  double                 margin;
  CmTimelineTheme        theme;
  const guint64         *visible;
  gint64                 t0;
  gint64                 t1;
  gboolean               has_range;
  gint32                 axis_offset;
  guint8                *groups_shown;  /* n_groups + 1 flags, the last for no group */
  char                  *description;   /* the subtitle, computed once */
  char                  *sources;       /* the source line, computed once */
  gboolean               styles_shown[CM_TIMELINE_N_STYLES];
  double                 subtitle_y;
  double                 subtitle_width;
  CmExportPageInfo      *info;
} Page;

static gboolean
is_visible (Page  *page,
            guint  event)
{
  return page->visible == NULL || (page->visible[event / 64] >> (event % 64)) & 1;
}

/* Tests read the smallest text on the page back from the info. */
static void
note_text_size (Page   *page,
                double  size)
{
  if (page->info->min_text_size == 0 || size < page->info->min_text_size)
    page->info->min_text_size = size;
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
  note_text_size (page, page->em * scale);
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

/* Whether the page draws @event, so that its group is in the legend and
 * its sources in the source line. A dated event is drawn where the page's
 * range (if any) meets it; an undated one has no place in time and is
 * drawn only as a place on the map of a page without a range. */
static gboolean
event_on_page (Page          *page,
               guint          index,
               const CmEvent *event)
{
  if (!is_visible (page, index))
    return FALSE;
  if (event->undated)
    return !page->has_range && page->options->layout != CM_EXPORT_LAYOUT_TIMELINE &&
           event->n_places > 0;
  return !page->has_range ||
         (event->start.seconds < page->t1 && cm_time_get_end (&event->end) > page->t0);
}

/* A bound of the page's range in the axis's offset, as the axis labels
 * are: to the day, or the minute for a page under two days. */
static char *
format_bound (gint64 seconds,
              gint64 span,
              gint32 offset)
{
  CmTime time = { 0, };

  time.seconds = seconds;
  time.offset = offset;
  time.has_zone = offset != 0;
  time.precision = span >= 2 * 86400 ? CM_PRECISION_DAY : CM_PRECISION_MINUTE;

  return cm_time_format_short (&time);
}

/* "19 events · Dec 2021 – 28 Feb 2025": how many events the page shows and
 * the first and last dates of those events, as precise as the data gives
 * them ("Dec 2021" for a month). Where --from or --to cuts an event, the
 * cut is the date. */
static char *
describe_range (Page *page)
{
  guint n_events = cm_dataset_get_n_events (page->dataset);
  const CmTime *first = NULL, *last = NULL;
  g_autofree char *first_text = NULL;
  g_autofree char *last_text = NULL;
  guint count = 0;

  for (guint i = 0; i < n_events; i++)
    {
      const CmEvent *event = cm_dataset_get_event (page->dataset, i);

      /* Undated events have no dates to give. */
      if (!event_on_page (page, i, event) || event->undated)
        continue;
      count++;
      if (first == NULL || event->start.seconds < first->seconds)
        first = &event->start;
      if (last == NULL || cm_time_get_end (&event->end) > cm_time_get_end (last))
        last = &event->end;
    }

  if (count == 0)
    return g_strdup (_("No events"));

  if (page->has_range && first->seconds < page->t0)
    first_text = format_bound (page->t0, page->t1 - page->t0, page->axis_offset);
  else
    first_text = cm_time_format_short (first);
  if (page->has_range && cm_time_get_end (last) > page->t1)
    last_text = format_bound (page->t1 - 1, page->t1 - page->t0, page->axis_offset);
  else
    last_text = cm_time_format_short (last);

  if (g_strcmp0 (first_text, last_text) == 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u event · %s", "%u events · %s",
                                         count),
                            count, first_text);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u event · %s – %s",
                                       "%u events · %s – %s", count),
                          count, first_text, last_text);
}

static double
draw_header (Page   *page,
             double  y,
             gboolean measure_only)
{
  double left = page->margin, max_width = page->width - 2 * page->margin;

  if (page->options->show_title)
    {
      g_autoptr(PangoLayout) title = create_text (page, get_title (page), 1.75, TRUE, max_width);

      if (!measure_only)
        show_text (page, title, &page->theme.foreground, left, y);
      y += text_height (title) + 0.1 * page->em;
    }
  page->subtitle_y = y;

  {
    g_autoptr(PangoLayout) subtitle = NULL;

    if (page->description == NULL)
      page->description = describe_range (page);
    subtitle = create_text (page, page->description, 1.1, FALSE, max_width);
    page->subtitle_width = text_width (subtitle);

    if (!measure_only)
      show_text (page, subtitle, &page->theme.foreground, left, y);
    y += text_height (subtitle);
  }

  return y;
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

/* One entry of the key: a group's colour, or a way the timeline draws
 * time that a reader needs explained. */
typedef struct
{
  guint32     group;        /* CM_NONE: no group */
  int         style;        /* a CmTimelineStyle, or -1 for a group */
  const char *name;
} LegendItem;

static GArray *
collect_legend_items (Page *page)
{
  guint n_groups = cm_dataset_get_n_groups (page->dataset);
  GArray *items = g_array_new (FALSE, FALSE, sizeof (LegendItem));

  /* Lanes by group name each group beside its colour already: the key
   * would say it twice. */
  gboolean groups_in_lanes = page->options->lanes == CM_LANE_MODE_GROUP &&
                             page->options->layout != CM_EXPORT_LAYOUT_MAP;

  for (guint i = 0; i <= n_groups && !groups_in_lanes; i++)
    {
      LegendItem item = { i < n_groups ? i : CM_NONE, -1, NULL };

      if (!page->groups_shown[i])
        continue;
      item.name = i < n_groups ? cm_dataset_get_group (page->dataset, i)->name : _("No group");
      g_array_append_val (items, item);
    }
  for (int style = 0; style < CM_TIMELINE_N_STYLES; style++)
    {
      LegendItem item = { CM_NONE, style, NULL };

      if (!page->styles_shown[style])
        continue;
      /* Shorter than the timeline's own captions, so that the key fits
       * beside the subtitle and the lanes keep the height. */
      if (style == CM_TIMELINE_STYLE_UNCERTAIN)
        item.name = _("Imprecise date");
      else if (style == CM_TIMELINE_STYLE_OPEN)
        item.name = _("No end date");
      else
        item.name = cm_timeline_style_get_caption (style);
      g_array_append_val (items, item);
    }

  return items;
}

static void
draw_legend_swatch (Page             *page,
                    const LegendItem *item,
                    double            x,
                    double            y,
                    double            line_height,
                    double            swatch)
{
  CmColor color;

  if (item->style >= 0)
    {
      g_autoptr(CmScene) scene = cm_scene_new (page->width, page->height);
      double height = 0.7 * page->em;

      cm_timeline_style_add_swatch (scene, item->style, &page->theme.dim, &page->theme,
                                    x, y + (line_height - height) / 2, 2 * swatch, height);
      cm_scene_render_cairo (scene, page->cr);
      return;
    }

  get_group_color (page, item->group, &color);
  set_source_color (page->cr, &color);
  cairo_new_sub_path (page->cr);
  cairo_arc (page->cr, x + swatch / 2, y + line_height / 2, swatch / 2, 0, 2 * G_PI);
  cairo_fill (page->cr);
}

/* Swatches and names flowing in rows from @left: the groups' colours
 * (unless the lanes name them), then the timeline's ways of drawing uncertain and open dates when the
 * page shows them. Returns the height used and sets @width to the widest
 * row's width. */
static double
draw_legend (Page     *page,
             double    left,
             double    y,
             gboolean  measure_only,
             double   *width)
{
  g_autoptr(GArray) items = NULL;
  double right = page->width - page->margin;
  double x = left, row_height = 1.45 * page->em, swatch = 0.85 * page->em;
  double start_y = y, widest = 0;
  guint row = 0;

  *width = 0;

  if (!page->options->show_legend)
    return 0;
  items = collect_legend_items (page);
  if (items->len == 0)
    return 0;

  for (guint i = 0; i < items->len; i++)
    {
      const LegendItem *item = &g_array_index (items, LegendItem, i);
      g_autoptr(PangoLayout) label = create_text (page, item->name, 1.0, FALSE, 0);
      double swatch_width = item->style >= 0 ? 2 * swatch : swatch;
      double item_width = swatch_width + 0.4 * page->em + text_width (label);

      if (x > left && x + item_width > right + 0.5)
        {
          row++;
          x = left;
          y += row_height;
        }

      if (row == MAX_LEGEND_ROWS - 1 && i + 1 < items->len &&
          x + item_width + 6 * page->em > right)
        {
          g_autofree char *more = g_strdup_printf (ngettext ("… and %u more", "… and %u more",
                                                             items->len - i),
                                                   items->len - i);
          g_autoptr(PangoLayout) rest = create_text (page, more, 1.0, FALSE, 0);

          if (!measure_only)
            show_text (page, rest, &page->theme.dim, x, y);
          break;
        }

      if (!measure_only)
        {
          draw_legend_swatch (page, item, x, y, text_height (label), swatch);
          show_text (page, label, &page->theme.foreground, x + swatch_width + 0.4 * page->em, y);
        }

      widest = MAX (widest, x + item_width - left);
      x += item_width + 1.4 * page->em;
    }

  *width = widest;
  return y + row_height - start_y;
}

/* Which of the timeline's less obvious styles the page will show: a pale
 * span for a date known only to the day, month or year (where it is
 * drawn wider than a dot, as the layout does) and the fading end of a
 * period with no end date. */
static void
find_styles_shown (Page             *page,
                   CmTimelineLayout *layout)
{
  g_autoptr(CmScene) scene = cm_scene_new (page->width / page->zoom, page->height / page->zoom);
  guint n_events = cm_dataset_get_n_events (page->dataset);
  guint n_periods = cm_dataset_get_n_periods (page->dataset);

  cm_timeline_layout_build (layout, scene);
  for (guint i = 0; i < n_events && !page->styles_shown[CM_TIMELINE_STYLE_UNCERTAIN]; i++)
    {
      const CmEvent *event = cm_dataset_get_event (page->dataset, i);

      if (event->has_end || !event_on_page (page, i, event))
        continue;
      if (cm_timeline_layout_time_to_x (layout, cm_time_get_end (&event->start)) -
          cm_timeline_layout_time_to_x (layout, event->start.seconds) >= 4)
        page->styles_shown[CM_TIMELINE_STYLE_UNCERTAIN] = TRUE;
    }
  for (guint i = 0; i < n_periods; i++)
    {
      const CmPeriod *period = cm_dataset_get_period (page->dataset, i);

      if (!period->has_end && (!page->has_range || period->start.seconds < page->t1))
        page->styles_shown[CM_TIMELINE_STYLE_OPEN] = TRUE;
    }
}

/* Counts the lanes the page must hold and shrinks the timeline when they
 * do not fit, up to MAX_LANE_SHRINK. @area is in layout pixels. */
static double
fit_lanes (Page             *page,
           CmTimelineLayout *layout,
           CmScene          *scene,
           const CmRect     *area)
{
  CmRect plot;
  double content, shrink;
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
  /* A lane counts as shown when its label and first row are. */
  if (content > plot.height + 0.5)
    for (guint l = 0; l < n_lanes; l++)
      {
        double top, lane_height;

        if (cm_timeline_layout_get_lane_extent (layout, l, &top, &lane_height) &&
            top + MIN (lane_height, 2 * TIMELINE_TEXT_PX) > plot.height)
          {
            page->info->n_lanes_shown = l;
            break;
          }
      }

  return shrink;
}

/* The layout works in its own pixels, page->zoom page units each; @width
 * and @height are page units. */
static void
set_layout_size (Page             *page,
                 CmTimelineLayout *layout,
                 double            width,
                 double            height)
{
  cm_timeline_layout_set_size (layout, MAX (1, (int) (width / page->zoom)),
                               MAX (1, (int) (height / page->zoom)));
}

static CmTimelineLayout *
create_layout (Page   *page,
               double  width,
               double  height)
{
  CmTimelineLayout *layout = cm_timeline_layout_new ();

  cm_timeline_layout_set_dataset (layout, page->dataset);
  cm_timeline_layout_set_filter (layout, page->visible);
  cm_timeline_layout_set_lane_mode (layout, page->options->lanes);
  cm_timeline_layout_set_axis (layout, page->options->axis);
  cm_timeline_layout_set_theme (layout, &page->theme);
  cm_timeline_layout_set_font (layout, TIMELINE_FONT);
  cm_timeline_layout_set_selected (layout, CM_NONE);
  cm_timeline_layout_set_today (layout, FALSE, 0);
  cm_timeline_layout_set_axis_offset (layout, page->axis_offset);
  /* Lanes share the page height, as on screen: no empty lower half. */
  cm_timeline_layout_set_fill_height (layout, TRUE);
  set_layout_size (page, layout, width, height);

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

/* Keeps the scene's texts for the SVG and notes their size on the page,
 * @scale page units a scene unit. */
static void
keep_scene_texts (Page    *page,
                  CmScene *scene,
                  double   scale)
{
  guint n_texts = cm_scene_get_n_texts (scene);

  for (guint i = 0; i < n_texts; i++)
    {
      PangoLayout *text = cm_scene_get_text (scene, i, NULL, NULL);
      const PangoFontDescription *desc = pango_layout_get_font_description (text);
      double size;

      if (desc == NULL)
        desc = pango_context_get_font_description (pango_layout_get_context (text));
      size = (double) pango_font_description_get_size (desc) / PANGO_SCALE;
      if (!pango_font_description_get_size_is_absolute (desc))
        size *= pango_cairo_context_get_resolution (pango_layout_get_context (text)) / 72.0;
      if (size > 0)
        note_text_size (page, size * scale);
      keep_text (page, pango_layout_get_text (text));
    }
}


/* The height the lanes need, between @min and @max. */
static double
fit_timeline_height (Page             *page,
                     CmTimelineLayout *layout,
                     double            width,
                     double            min,
                     double            max)
{
  g_autoptr(CmScene) scene = cm_scene_new (width / page->zoom, max / page->zoom);
  CmRect plot;
  double needed;

  set_layout_size (page, layout, width, max);
  cm_timeline_layout_build (layout, scene);
  cm_timeline_layout_get_plot_area (layout, &plot);
  needed = (plot.y + cm_timeline_layout_get_content_height (layout)) * page->zoom + page->em;

  return CLAMP (needed, min, max);
}

/* Whether every lane fits in @width x @height page units. */
static gboolean
lanes_fit (Page             *page,
           CmTimelineLayout *layout,
           double            width,
           double            height)
{
  g_autoptr(CmScene) scene = NULL;
  CmRect plot;

  if (height <= 0)
    return FALSE;
  scene = cm_scene_new (width / page->zoom, height / page->zoom);
  set_layout_size (page, layout, width, height);
  cm_timeline_layout_build (layout, scene);
  cm_timeline_layout_get_plot_area (layout, &plot);
  return cm_timeline_layout_get_content_height (layout) <= plot.height + 0.5;
}

static void
draw_timeline (Page             *page,
               CmTimelineLayout *layout,
               const CmRect     *area)
{
  CmRect pixels = { 0, 0, area->width / page->zoom, area->height / page->zoom };
  g_autoptr(CmScene) scene = cm_scene_new (pixels.width, pixels.height);
  double shrink = fit_lanes (page, layout, scene, &pixels);

  cairo_save (page->cr);
  cairo_rectangle (page->cr, area->x, area->y, area->width, area->height);
  cairo_clip (page->cr);
  cairo_translate (page->cr, area->x, area->y);
  cairo_scale (page->cr, page->zoom / shrink, page->zoom / shrink);
  cm_scene_render_cairo (scene, page->cr);
  cairo_restore (page->cr);

  keep_scene_texts (page, scene, page->zoom / shrink);
}

typedef struct
{
  const char *name;
  guint       count;
  guint       first;     /* order of first citation, for a stable sort */
} SourceCount;

static int
compare_sources (gconstpointer a,
                 gconstpointer b)
{
  const SourceCount *sa = a, *sb = b;

  if (sa->count != sb->count)
    return sa->count > sb->count ? -1 : 1;
  return (sa->first > sb->first) - (sa->first < sb->first);
}

/* "Sources: A; B; C and 4 more. Data: <the dataset's title>. Map data:
 * Natural Earth." The sources are those of the events on the page, most
 * cited first, by title or else by web site. */
static char *
describe_sources (Page     *page,
                  gboolean  with_map)
{
  guint n_events = cm_dataset_get_n_events (page->dataset);
  g_autoptr(GHashTable) index = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GArray) counts = g_array_new (FALSE, FALSE, sizeof (SourceCount));
  g_autoptr(GPtrArray) hosts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) text = g_string_new (NULL);
  const char *dataset_title = cm_dataset_get_title (page->dataset);

  for (guint i = 0; i < n_events; i++)
    {
      const CmEvent *event = cm_dataset_get_event (page->dataset, i);
      g_autofree CmLink *links = NULL;
      guint n_links;

      if (!event_on_page (page, i, event))
        continue;
      links = cm_dataset_dup_event_sources (page->dataset, event, &n_links);
      for (guint l = 0; l < n_links; l++)
        {
          const char *name = links[l].title;
          gpointer found;

          if (name == NULL && links[l].url != NULL)
            {
              g_autoptr(GUri) uri = g_uri_parse (links[l].url, G_URI_FLAGS_NONE, NULL);

              if (uri == NULL || g_uri_get_host (uri) == NULL)
                continue;
              name = g_uri_get_host (uri);
              if (g_str_has_prefix (name, "www."))
                name += 4;
              name = g_strdup (name);
              g_ptr_array_add (hosts, (char *) name);
            }
          if (name == NULL || name[0] == '\0')
            continue;

          if (g_hash_table_lookup_extended (index, name, NULL, &found))
            g_array_index (counts, SourceCount, GPOINTER_TO_UINT (found)).count++;
          else
            {
              SourceCount count;

              /* The event's sources are a copy freed with it: keep one. */
              if (name == links[l].title)
                {
                  name = g_strdup (name);
                  g_ptr_array_add (hosts, (char *) name);
                }
              count = (SourceCount) { name, 1, counts->len };
              g_hash_table_insert (index, (char *) name, GUINT_TO_POINTER (counts->len));
              g_array_append_val (counts, count);
            }
        }
    }

  g_array_sort (counts, compare_sources);
  for (guint i = 0; i < MIN (counts->len, MAX_SOURCES); i++)
    {
      const char *name = g_array_index (counts, SourceCount, i).name;

      if (i == 0)
        g_string_append_printf (text, ngettext ("Source: %s", "Sources: %s", counts->len), name);
      else
        g_string_append_printf (text, "; %s", name);
    }
  if (counts->len > MAX_SOURCES)
    g_string_append_printf (text, ngettext (" and %u more", " and %u more",
                                            counts->len - MAX_SOURCES),
                            counts->len - MAX_SOURCES);
  if (counts->len > 0)
    g_string_append (text, ". ");

  /* The dataset's title, unless it is the headline already. */
  if (dataset_title != NULL && dataset_title[0] != '\0' &&
      (!page->options->show_title || g_strcmp0 (get_title (page), dataset_title) != 0))
    g_string_append_printf (text, _("Data: %s. "), dataset_title);
  if (with_map)
    g_string_append_printf (text, "%s. ", _("Map data: Natural Earth"));

  /* The last ". " becomes "." */
  if (text->len > 0)
    g_string_truncate (text, text->len - 1);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* Under a hairline: the source line (at most two lines) and, when the
 * lanes did not all fit, a note at the right. Returns the height used. */
static double
draw_footer (Page     *page,
             double    y,
             gboolean  with_map,
             gboolean  measure_only)
{
  double rule = MAX (page->point * 0.5, 0.5), gap = 0.45 * page->em;
  double left = page->margin, width = page->width - 2 * page->margin;
  g_autofree char *note = NULL;
  g_autoptr(PangoLayout) source_line = NULL;
  g_autoptr(PangoLayout) note_line = NULL;

  if (page->sources == NULL)
    page->sources = describe_sources (page, with_map);
  if (page->sources[0] == '\0' && page->info->n_lanes_shown >= page->info->n_lanes)
    return 0;

  if (!measure_only && page->info->n_lanes_shown < page->info->n_lanes)
    {
      note = g_strdup_printf (ngettext ("%u of %u lane shown; export a taller image to see it",
                                        "%u of %u lanes shown; export a taller image to see them all",
                                        page->info->n_lanes),
                              page->info->n_lanes_shown, page->info->n_lanes);
      note_line = create_text (page, note, SMALL_POINTS / BODY_POINTS, FALSE, width / 2);
      width -= text_width (note_line) + page->em;
    }

  source_line = create_text (page, page->sources, SMALL_POINTS / BODY_POINTS, FALSE, 0);
  pango_layout_set_width (source_line, (int) (MAX (width, page->em) * PANGO_SCALE));
  pango_layout_set_wrap (source_line, PANGO_WRAP_WORD);
  pango_layout_set_height (source_line, -2);
  pango_layout_set_ellipsize (source_line, PANGO_ELLIPSIZE_END);

  if (!measure_only)
    {
      set_source_color (page->cr, &page->theme.chrome_border);
      cairo_rectangle (page->cr, left, y, page->width - 2 * page->margin, rule);
      cairo_fill (page->cr);
      show_text (page, source_line, &page->theme.dim, left, y + rule + gap);
      if (note_line != NULL)
        show_text (page, note_line, &page->theme.dim,
                   page->width - page->margin - text_width (note_line), y + rule + gap);
    }

  /* Room for two lines whatever the note does to the wrapping. */
  return rule + gap + MAX (text_height (source_line),
                           note_line != NULL ? text_height (note_line) : 0);
}

/* An image (not a PDF) of the default size, no size having been asked
 * for: its height may follow its lanes (_cm_export_get_page_size). */
static gboolean
is_default_image (const CmExportOptions *options)
{
  return !options->size_set && options->format != CM_EXPORT_FORMAT_PDF &&
         options->paper == CM_EXPORT_PAPER_NONE &&
         options->width == CM_EXPORT_DEFAULT_WIDTH && options->height == CM_EXPORT_DEFAULT_HEIGHT;
}

/* Page units per typographic point: a paper page is read at its size; an
 * image or a page with no paper size as a graphic of READING_AREA_CM2,
 * and never smaller than the screen shows it. */
static double
get_point_size (const CmExportOptions *options,
                double                 width,
                double                 height)
{
  double units_per_cm, point;

  /* An image of the default size is read as the default graphic however
   * tall its lanes make it (_cm_export_get_page_size). */
  if (is_default_image (options))
    {
      width = CM_EXPORT_DEFAULT_WIDTH;
      height = CM_EXPORT_DEFAULT_HEIGHT;
    }
  units_per_cm = sqrt (width * height / READING_AREA_CM2);
  point = units_per_cm * 2.54 / 72.0;

  /* A PDF with no size asked for is on A4 (cm_export_options_get_page_size). */
  if (options->format == CM_EXPORT_FORMAT_PDF)
    return options->paper != CM_EXPORT_PAPER_NONE || !options->size_set ? 1.0
                                                                         : MAX (point, 1.0);
  return MAX (point, 96.0 / 72.0);
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
  CmExportMapPage map = { 0, };
  double header_bottom, legend_x, legend_y, legend_height, legend_width, footer_height, gap;
  g_autofree guint8 *groups_shown = NULL;
  g_autofree char *description = NULL;
  g_autofree char *sources = NULL;

  page.dataset = dataset;
  page.options = options;
  page.cr = cr;
  page.width = width;
  page.height = height;
  page.point = get_point_size (options, width, height);
  page.em = BODY_POINTS * page.point;
  /* create_text sizes text in Pango points at pango-cairo's 96 dpi. */
  page.font_size = page.em * 72.0 / 96.0;
  page.zoom = page.em / TIMELINE_TEXT_PX;
  page.margin = 1.4 * page.em;
  page.info = info != NULL ? info : &local_info;
  page.info->point = page.point;
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
  if (with_timeline)
    find_styles_shown (&page, layout);

  /* Where things go: header, then the content, then a footer line. */
  /* The key goes beside the subtitle when one row of it fits there, as
   * in a newspaper graphic; else on its own rows below. */
  header_bottom = draw_header (&page, page.margin, TRUE);
  description = page.description;
  legend_x = page.margin;
  legend_y = header_bottom + 0.6 * page.em;
  legend_height = draw_legend (&page, legend_x, legend_y, TRUE, &legend_width);
  if (legend_height > 0 && legend_height < 2 * page.em &&
      page.subtitle_width + 2 * page.em + legend_width <= width - 2 * page.margin)
    {
      legend_x = width - page.margin - legend_width;
      legend_y = page.subtitle_y;
      header_bottom = MAX (header_bottom, legend_y + legend_height);
    }
  else if (legend_height > 0)
    header_bottom = legend_y + legend_height;
  header_bottom += 0.5 * page.em;
  footer_height = draw_footer (&page, 0, with_map, TRUE);
  sources = page.sources;
  footer_height += footer_height > 0 ? 0.5 * page.em : 0;

  content.x = page.margin;
  content.y = header_bottom;
  content.width = width - 2 * page.margin;
  content.height = height - header_bottom - page.margin - footer_height;

  if (page.info->measure_only)
    {
      if (with_timeline)
        {
          /* Lanes as high as their rows need, however tall that is; with
           * a map, at the width they keep beside it. */
          double lanes_width = with_map ? content.width * 0.64 - page.em : content.width;

          cm_timeline_layout_set_fill_height (layout, FALSE);
          page.info->wanted_height = header_bottom + page.margin + footer_height +
                                     fit_timeline_height (&page, layout, lanes_width, 0,
                                                          4 * height);
        }
      return TRUE;
    }
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
  map.dataset = dataset;
  map.visible = page.visible;
  map.has_range = page.has_range;
  map.t0 = page.t0;
  map.t1 = page.t1;
  map.theme = &page.theme;
  map.font_family = FONT_FAMILY;
  map.font_size = page.font_size;
  map.em = page.em;
  map.texts = page.info->texts;
  if (with_map && with_timeline)
    {
      /* The map panel takes the shape of the places: a wide band of
       * places gets a wide panel below the timeline, a tall spread a
       * panel beside it, so that the places, not the oceans, fill it. */
      double aspect = _cm_export_map_get_aspect (&map);
      double side = CLAMP (content.height * aspect, content.width * 0.25, content.width * 0.45);
      double below = CLAMP (content.width / MAX (aspect, 0.1), content.height * 0.3,
                            content.height * 0.58);

      /* The lanes must all fit: when a panel below would leave them too
       * little even at its smallest, the map goes beside instead (the
       * page's type is large enough that lanes, not oceans, run short). */
      double above = content.height - below - gap;
      gboolean lanes_fit_above;

      /* The map below may shrink to 30% for the lanes to fit above. */
      if (!lanes_fit (&page, layout, content.width, above))
        above = content.height * 0.7 - gap;
      lanes_fit_above = lanes_fit (&page, layout, content.width, above);

      if (!lanes_fit_above ||
          (aspect > 0 ? fabs (log (side / content.height / aspect))
                        < fabs (log (content.width / below / aspect))
                      : content.width / content.height >= 1.6))
        {
          /* Beside only for the lanes' sake: the timeline keeps most of
           * the width. */
          map_area.width = lanes_fit_above ? side : MIN (side, content.width * 0.36);
          timeline_area.width = content.width - map_area.width - gap;
          map_area.x = timeline_area.x + timeline_area.width + gap;
          /* No taller than the band of places asks for: oceans above and
           * below them would say nothing. */
          if (aspect > 0)
            map_area.height = CLAMP (side / aspect * 1.3, content.height * 0.5, content.height);
        }
      else
        {
          /* The lanes take what they need, up to 58% (more if the
           * places' band wants less); the map the rest. */
          timeline_area.height = fit_timeline_height (&page, layout, timeline_area.width,
                                                      content.height * 0.3,
                                                      MAX (content.height * 0.3, above));
          map_area.height = content.height - timeline_area.height - gap;
          map_area.y = timeline_area.y + timeline_area.height + gap;
        }
    }
  if (with_timeline)
    set_layout_size (&page, layout, timeline_area.width, timeline_area.height);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  report (progress, progress_data, 0.15);

  set_source_color (cr, &page.theme.background);
  cairo_paint (cr);

  draw_header (&page, page.margin, FALSE);
  draw_legend (&page, legend_x, legend_y, FALSE, &legend_width);

  if (with_timeline)
    {
      draw_timeline (&page, layout, &timeline_area);
      report (progress, progress_data, 0.6);
    }

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  if (with_map)
    {
      if (!_cm_export_map_draw (&map, cr, &map_area, error))
        return FALSE;
      page.info->has_map = TRUE;
    }

  draw_footer (&page, height - page.margin - footer_height + 0.5 * page.em, with_map, FALSE);
  report (progress, progress_data, 1.0);

  return !g_cancellable_set_error_if_cancelled (cancellable, error);
}

void
_cm_export_get_page_size (CmDataset             *dataset,
                          const CmExportOptions *options,
                          double                *width,
                          double                *height)
{
  CmExportPageInfo info = { .measure_only = TRUE };
  cairo_surface_t *scratch;
  cairo_t *cr;

  cm_export_options_get_page_size (options, width, height);
  if (!is_default_image (options) || options->layout == CM_EXPORT_LAYOUT_MAP)
    return;

  scratch = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 1, 1);
  cr = cairo_create (scratch);
  if (_cm_export_page_draw (dataset, options, cr, *width, *height, &info, NULL, NULL, NULL,
                            NULL) &&
      info.wanted_height > 0)
    *height = CLAMP (ceil (info.wanted_height), *height, 2 * *height);
  cairo_destroy (cr);
  cairo_surface_destroy (scratch);
}
