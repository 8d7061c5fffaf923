/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-timeline"

#include "config.h"

#include <glib/gi18n.h>

#include "cm-timeline-layout-private.h"

/* How the timeline looks: its light and dark themes, and the styles of
 * its marks as a legend draws them. */

static void
set_rgba (CmColor *color,
          guint32  rgb,
          float    alpha)
{
  cm_color_from_rgb (color, rgb, alpha);
}

void
cm_timeline_theme_init (CmTimelineTheme *theme,
                        gboolean         dark)
{
  g_return_if_fail (theme != NULL);

  memset (theme, 0, sizeof *theme);
  theme->dark = dark;

  if (!dark)
    {
      set_rgba (&theme->background, 0xffffff, 1);
      set_rgba (&theme->foreground, 0x241f31, 1);
      set_rgba (&theme->dim, 0x241f31, 0.62f);
      set_rgba (&theme->grid, 0x000000, 0.06f);
      set_rgba (&theme->grid_major, 0x000000, 0.16f);
      set_rgba (&theme->chrome, 0xf6f5f4, 1);
      set_rgba (&theme->chrome_border, 0x000000, 0.14f);
      set_rgba (&theme->lane_stripe, 0x000000, 0.08f);
      set_rgba (&theme->period, 0x9a9996, 0.12f);
      set_rgba (&theme->period_text, 0x3d3846, 1);
      set_rgba (&theme->accent, 0x1c71d8, 1);
      set_rgba (&theme->badge, 0x5e5c64, 0.92f);
      set_rgba (&theme->badge_text, 0xffffff, 1);
    }
  else
    {
      set_rgba (&theme->background, 0x242424, 1);
      set_rgba (&theme->foreground, 0xffffff, 0.92f);
      set_rgba (&theme->dim, 0xffffff, 0.6f);
      set_rgba (&theme->grid, 0xffffff, 0.06f);
      set_rgba (&theme->grid_major, 0xffffff, 0.16f);
      set_rgba (&theme->chrome, 0x303030, 1);
      set_rgba (&theme->chrome_border, 0x000000, 0.45f);
      set_rgba (&theme->lane_stripe, 0xffffff, 0.08f);
      set_rgba (&theme->period, 0xc0bfbc, 0.1f);
      set_rgba (&theme->period_text, 0xdeddda, 1);
      set_rgba (&theme->accent, 0x78aeed, 1);
      set_rgba (&theme->badge, 0xc0bfbc, 0.9f);
      set_rgba (&theme->badge_text, 0x241f31, 1);
    }
}

void
cm_timeline_style_add_swatch (CmScene               *scene,
                              CmTimelineStyle        style,
                              const CmColor         *color,
                              const CmTimelineTheme *theme,
                              double                 x,
                              double                 y,
                              double                 width,
                              double                 height)
{
  CmColor c = *color;

  g_return_if_fail (scene != NULL);
  g_return_if_fail (color != NULL && theme != NULL);

  switch (style)
    {
    case CM_TIMELINE_STYLE_INSTANT:
      cm_scene_add_circle (scene, cm_scene_batch (scene, CM_SCENE_LAYER_MARKS, CM_SCENE_PAINT_FILL, &c, 0),
                           x + MIN (width, height) / 2, y + height / 2, MIN (width, height) / 2);
      break;
    case CM_TIMELINE_STYLE_SPAN:
      c.alpha *= 0.9f;
      cm_scene_add_rect (scene, cm_scene_batch (scene, CM_SCENE_LAYER_MARKS, CM_SCENE_PAINT_FILL, &c, 0),
                         x, y, width, height, 2);
      break;
    case CM_TIMELINE_STYLE_UNCERTAIN:
      c.alpha = color->alpha * (theme->dark ? TINT_ALPHA_DARK : TINT_ALPHA_LIGHT);
      cm_scene_add_rect (scene, cm_scene_batch (scene, CM_SCENE_LAYER_MARKS, CM_SCENE_PAINT_FILL, &c, 0),
                         x, y, width, height, 0);
      c.alpha = color->alpha * EDGE_ALPHA;
      cm_scene_add_rect (scene, cm_scene_batch (scene, CM_SCENE_LAYER_MARKS, CM_SCENE_PAINT_STROKE, &c, 1),
                         x + 0.5, y + 0.5, width - 1, height - 1, 0);
      /* (vectors: one outline; on screen the bars use four fills) */
      break;
    case CM_TIMELINE_STYLE_OPEN:
      c = theme->period;
      c.alpha = MIN (c.alpha * 2.2f, 1.f);
      cm_scene_add_rect (scene, cm_scene_batch (scene, CM_SCENE_LAYER_MARKS, CM_SCENE_PAINT_FILL, &c, 0),
                         x, y, width / 2, height, 0);
      cm_scene_add_rect (scene, cm_scene_batch (scene, CM_SCENE_LAYER_MARKS, CM_SCENE_PAINT_FADE, &c, 0),
                         x + width / 2, y, width / 2, height, 0);
      break;
    case CM_TIMELINE_N_STYLES:
    default:
      g_return_if_reached ();
    }
}

const char *
cm_timeline_style_get_caption (CmTimelineStyle style)
{
  switch (style)
    {
    case CM_TIMELINE_STYLE_INSTANT:
      return _("Event");
    case CM_TIMELINE_STYLE_SPAN:
      return _("Event with a duration");
    case CM_TIMELINE_STYLE_UNCERTAIN:
      return _("Date known only to the day, month or year");
    case CM_TIMELINE_STYLE_OPEN:
      return _("Period with no end date");
    case CM_TIMELINE_N_STYLES:
    default:
      g_return_val_if_reached (NULL);
    }
}
