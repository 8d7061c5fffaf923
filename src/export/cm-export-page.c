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
  CmExportMapPage map = { 0, };
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

      if (aspect > 0 ? fabs (log (side / content.height / aspect))
                       < fabs (log (content.width / below / aspect))
                     : content.width / content.height >= 1.6)
        {
          map_area.width = side;
          timeline_area.width = content.width - map_area.width - gap;
          map_area.x = timeline_area.x + timeline_area.width + gap;
        }
      else
        {
          /* The lanes take what they need; the map at least what the
           * places' shape asks for. */
          timeline_area.height = fit_timeline_height (&page, layout, timeline_area.width,
                                                      content.height * 0.3,
                                                      MAX (content.height * 0.3,
                                                           content.height - below - gap));
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

  if (with_map)
    {
      if (!_cm_export_map_draw (&map, cr, &map_area, error))
        return FALSE;
      page.info->has_map = TRUE;
    }

  draw_footer (&page, height - page.margin - footer_height + 0.5 * page.em);
  report (progress, progress_data, 1.0);

  return !g_cancellable_set_error_if_cancelled (cancellable, error);
}
