/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-export"

#include "config.h"

#include <math.h>
#include <glib/gi18n.h>
#include <pango/pangocairo.h>

#include "cm-export-map-private.h"
#include "cm-map-layout.h"

/* The map panel of an export page: the basemap, then the scene of the map
 * layout the window's place layer draws, framed on the places of the
 * events on the page. The layout works in screen pixels at the window's
 * text size; the panel is that scene scaled to the page's text size, so
 * the page shows what the window shows. */

#define SCREEN_FONT_SIZE 10.0   /* the layout's text size, as in the window */
#define MAX_MAP_ZOOM     6.0
#define FRAME_MARGIN     40.0   /* pixels around the framed places */

/* Events the map counts: those on the page (filter and time range). */
static guint64 *
get_page_events (const CmExportMapPage *page)
{
  guint n_events = cm_dataset_get_n_events (page->dataset);
  guint64 *bits = g_new0 (guint64, MAX ((n_events + 63) / 64, 1));

  for (guint i = 0; i < n_events; i++)
    {
      const CmEvent *event = cm_dataset_get_event (page->dataset, i);

      if (page->visible != NULL && !((page->visible[i / 64] >> (i % 64)) & 1))
        continue;
      if (page->has_range &&
          (event->undated || event->start.seconds >= page->t1 ||
           cm_time_get_end (&event->end) <= page->t0))
        continue;
      bits[i / 64] |= G_GUINT64_CONSTANT (1) << (i % 64);
    }
  return bits;
}

static CmMapLayout *
create_layout (const CmExportMapPage *page)
{
  CmMapLayout *layout = cm_map_layout_new ();
  g_autofree guint64 *events = get_page_events (page);
  g_autofree char *font = g_strdup_printf ("%s %g", page->font_family, SCREEN_FONT_SIZE);
  CmMapTheme theme;

  cm_map_theme_init (&theme, page->theme->dark);
  theme.foreground = page->theme->foreground;
  cm_map_layout_set_theme (layout, &theme);
  cm_map_layout_set_font (layout, font);
  cm_map_layout_set_dataset (layout, page->dataset);
  cm_map_layout_set_filter (layout, events);
  cm_map_layout_set_exact_zoom (layout, TRUE);
  return layout;
}

double
_cm_export_map_get_aspect (const CmExportMapPage *page)
{
  g_autoptr(CmMapLayout) layout = create_layout (page);

  return cm_map_layout_get_extent_aspect (layout);
}

/* Page units per layout pixel. */
static double
get_scale (const CmExportMapPage *page)
{
  return page->font_size / SCREEN_FONT_SIZE;
}

CmScene *
_cm_export_map_build (const CmExportMapPage *page,
                      CmBasemap             *basemap,
                      double                 width,
                      double                 height,
                      gboolean               frame,
                      double                *latitude,
                      double                *longitude,
                      double                *zoom)
{
  g_autoptr(CmMapLayout) layout = create_layout (page);
  CmScene *scene = cm_scene_new (width, height);

  /* A small panel keeps less margin: the places matter more. */
  if (frame)
    cm_map_layout_frame (layout, NULL, 0, width, height,
                         MIN (FRAME_MARGIN, 0.12 * MIN (width, height)), MAX_MAP_ZOOM, FALSE,
                         latitude, longitude, zoom);
  cm_map_layout_set_viewport (layout, *latitude, *longitude, *zoom, width, height);
  cm_map_layout_set_basemap (layout, basemap);
  cm_map_layout_build (layout, scene);
  return scene;
}

/* The panel's outline, a rectangle with rounded corners at (0, 0). */
static void
add_panel_path (cairo_t      *cr,
                const CmRect *area,
                double        radius)
{
  cairo_new_path (cr);
  cairo_new_sub_path (cr);
  cairo_arc (cr, radius, radius, radius, G_PI, 1.5 * G_PI);
  cairo_arc (cr, area->width - radius, radius, radius, 1.5 * G_PI, 2 * G_PI);
  cairo_arc (cr, area->width - radius, area->height - radius, radius, 0, 0.5 * G_PI);
  cairo_arc (cr, radius, area->height - radius, radius, 0.5 * G_PI, G_PI);
  cairo_close_path (cr);
}

/* The colour rule, said where the reader looks for it: under the map's
 * places, in the corner of the panel. */
static void
draw_colour_note (const CmExportMapPage *page,
                  cairo_t               *cr,
                  const CmRect          *area)
{
  g_autoptr(PangoLayout) layout = pango_cairo_create_layout (cr);
  PangoFontDescription *font = pango_font_description_from_string (page->font_family);
  const char *text = _("Colour: the group with the most events there");
  const CmColor *fg = &page->theme->dim;
  const CmColor *bg = &page->theme->background;
  PangoRectangle logical;
  double pad = 0.3 * page->em, x = 0.5 * page->em, y;

  pango_font_description_set_size (font, (int) (page->font_size * 0.85 * PANGO_SCALE));
  pango_layout_set_font_description (layout, font);
  pango_font_description_free (font);
  pango_layout_set_text (layout, text, -1);
  /* On a narrow panel, on two lines. */
  pango_layout_set_width (layout, (int) ((area->width - 2 * x) * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD);
  pango_layout_get_extents (layout, NULL, &logical);
  if (logical.height / (double) PANGO_SCALE > area->height / 4)
    return;
  y = area->height - 0.5 * page->em - logical.height / (double) PANGO_SCALE;

  cairo_set_source_rgba (cr, bg->red, bg->green, bg->blue, 0.85);
  cairo_rectangle (cr, x - pad, y - pad / 2, logical.width / (double) PANGO_SCALE + 2 * pad,
                   logical.height / (double) PANGO_SCALE + pad);
  cairo_fill (cr);
  cairo_set_source_rgba (cr, fg->red, fg->green, fg->blue, fg->alpha);
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
  if (page->texts != NULL)
    g_ptr_array_add (page->texts, g_strdup (text));
}

gboolean
_cm_export_map_draw (const CmExportMapPage *page,
                     cairo_t               *cr,
                     const CmRect          *area,
                     GError               **error)
{
  g_autoptr(CmBasemap) basemap = cm_basemap_get_default (error);
  g_autoptr(CmScene) scene = NULL;
  double scale = get_scale (page), radius = 0.5 * page->em;
  double width = area->width / scale, height = area->height / scale;
  double latitude, longitude, zoom;

  if (basemap == NULL)
    {
      g_prefix_error (error, _("Cannot draw the map: "));
      return FALSE;
    }

  scene = _cm_export_map_build (page, basemap, width, height, TRUE, &latitude, &longitude,
                                &zoom);

  cairo_save (cr);
  cairo_translate (cr, area->x, area->y);
  cairo_save (cr);
  add_panel_path (cr, area, radius);
  cairo_clip (cr);
  cairo_save (cr);
  cairo_scale (cr, scale, scale);
  cm_basemap_draw_view (basemap, cr, latitude, longitude, zoom,
                        (int) ceil (width), (int) ceil (height),
                        page->theme->dark ? CM_BASEMAP_DARK : CM_BASEMAP_LIGHT);
  cm_scene_render_cairo (scene, cr);
  cairo_restore (cr);
  draw_colour_note (page, cr, area);
  cairo_restore (cr);

  for (guint i = 0; page->texts != NULL && i < cm_scene_get_n_texts (scene); i++)
    {
      const char *text = pango_layout_get_text (cm_scene_get_text (scene, i, NULL, NULL));

      if (text != NULL && text[0] != '\0')
        g_ptr_array_add (page->texts, g_strdup (text));
    }

  cairo_set_source_rgba (cr, page->theme->chrome_border.red, page->theme->chrome_border.green,
                         page->theme->chrome_border.blue, page->theme->chrome_border.alpha);
  cairo_set_line_width (cr, MAX (1.0, page->em * 0.08));
  add_panel_path (cr, area, radius);
  cairo_stroke (cr);
  cairo_restore (cr);

  return TRUE;
}
