/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-place-layer"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "cm-map-layout.h"
#include "cm-mercator.h"
#include "cm-place-layer.h"
#include "cm-scene-snapshot.h"

/* The place layer draws the map layout's scene: every decision (colours,
 * clusters, names) is the layout's, so the export shows the same map. */

#define HIT_SLOP 4.0

/* What the scene was built for: rebuilt when any of it changes. */
typedef struct
{
  double  zoom;
  double  latitude;
  double  longitude;
  int     width;
  int     height;
  guint   generation;
} SceneKey;

struct _CmPlaceLayer
{
  ShumateLayer   parent_instance;

  CmMapLayout   *layout;
  CmScene       *scene;
  SceneKey       scene_key;
  gboolean       scene_valid;
  guint          generation;
  gboolean       country_names;
};

G_DEFINE_FINAL_TYPE (CmPlaceLayer, cm_place_layer, SHUMATE_TYPE_LAYER)

static void
invalidate (CmPlaceLayer *self)
{
  self->generation++;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
get_foreground (GtkWidget *widget,
                GdkRGBA   *color)
{
#if GTK_CHECK_VERSION (4, 10, 0)
  gtk_widget_get_color (widget, color);
#else
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), color);
#endif
}

/* The layout's inputs from the widget: viewport, size, colours, font. */
static void
update_layout (CmPlaceLayer *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  ShumateViewport *viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));
  SceneKey key = {
    shumate_viewport_get_zoom_level (viewport),
    shumate_location_get_latitude (SHUMATE_LOCATION (viewport)),
    shumate_location_get_longitude (SHUMATE_LOCATION (viewport)),
    gtk_widget_get_width (widget), gtk_widget_get_height (widget), self->generation,
  };
  PangoFontDescription *font;
  g_autofree char *font_name = NULL;
  CmMapTheme theme;
  GdkRGBA fg;

  if (self->scene_valid && memcmp (&key, &self->scene_key, sizeof key) == 0)
    return;

  get_foreground (widget, &fg);
  cm_map_theme_init (&theme, 0.2126 * fg.red + 0.7152 * fg.green + 0.0722 * fg.blue > 0.5);
  theme.foreground = (CmColor) { fg.red, fg.green, fg.blue, fg.alpha };
  cm_map_layout_set_theme (self->layout, &theme);
  font = pango_context_get_font_description (gtk_widget_get_pango_context (widget));
  font_name = pango_font_description_to_string (font);
  cm_map_layout_set_font (self->layout, font_name);
  cm_map_layout_set_viewport (self->layout, key.latitude, key.longitude, key.zoom,
                              key.width, key.height);
  cm_map_layout_build (self->layout, self->scene);
  self->scene_key = key;
  self->scene_valid = TRUE;
}

static void
cm_place_layer_snapshot (GtkWidget   *widget,
                         GtkSnapshot *snapshot)
{
  CmPlaceLayer *self = CM_PLACE_LAYER (widget);

  update_layout (self);
  cm_scene_snapshot (snapshot, self->scene);
}

/* Interaction -------------------------------------------------------------- */

gboolean
cm_place_layer_pick (CmPlaceLayer *self,
                     double        x,
                     double        y,
                     CmPlacePick  *pick)
{
  int hit;

  g_return_val_if_fail (CM_IS_PLACE_LAYER (self), FALSE);
  g_return_val_if_fail (pick != NULL, FALSE);

  update_layout (self);
  hit = cm_map_layout_pick (self->layout, x, y, HIT_SLOP);
  if (hit < 0)
    return FALSE;
  return cm_place_layer_get_mark (self, (guint) hit, pick);
}

guint
cm_place_layer_get_n_marks (CmPlaceLayer *self)
{
  guint n_marks;

  g_return_val_if_fail (CM_IS_PLACE_LAYER (self), 0);

  update_layout (self);
  cm_map_layout_get_marks (self->layout, &n_marks);
  return n_marks;
}

gboolean
cm_place_layer_get_mark (CmPlaceLayer *self,
                         guint         index,
                         CmPlacePick  *pick)
{
  const CmMapMark *marks;
  guint n_marks;
  const CmPlace *place;

  g_return_val_if_fail (CM_IS_PLACE_LAYER (self), FALSE);
  g_return_val_if_fail (pick != NULL, FALSE);

  update_layout (self);
  marks = cm_map_layout_get_marks (self->layout, &n_marks);
  if (index >= n_marks)
    return FALSE;
  place = cm_dataset_get_place (cm_map_layout_get_dataset (self->layout), marks[index].place);
  pick->place = marks[index].place;
  pick->n_places = marks[index].n_places;
  pick->weight = marks[index].weight;
  pick->x = marks[index].x;
  pick->y = marks[index].y;
  pick->radius = marks[index].radius;
  pick->latitude = place->lat;
  pick->longitude = place->lon;
  return TRUE;
}

char *
cm_place_layer_describe_mark (CmPlaceLayer *self,
                              guint         index)
{
  guint n_marks;

  g_return_val_if_fail (CM_IS_PLACE_LAYER (self), NULL);

  update_layout (self);
  cm_map_layout_get_marks (self->layout, &n_marks);
  g_return_val_if_fail (index < n_marks, NULL);
  return cm_map_layout_describe_mark (self->layout, index);
}

CmMapLayout *
cm_place_layer_get_layout (CmPlaceLayer *self)
{
  g_return_val_if_fail (CM_IS_PLACE_LAYER (self), NULL);

  update_layout (self);
  return self->layout;
}

CmScene *
cm_place_layer_get_scene (CmPlaceLayer *self)
{
  g_return_val_if_fail (CM_IS_PLACE_LAYER (self), NULL);

  update_layout (self);
  return self->scene;
}

gboolean
cm_place_layer_get_place_position (CmPlaceLayer *self,
                                   guint         place,
                                   double       *x,
                                   double       *y)
{
  g_return_val_if_fail (CM_IS_PLACE_LAYER (self), FALSE);
  g_return_val_if_fail (x != NULL && y != NULL, FALSE);

  update_layout (self);
  return cm_map_layout_get_place_position (self->layout, place, x, y);
}

static gboolean
cm_place_layer_query_tooltip (GtkWidget  *widget,
                              int         x,
                              int         y,
                              gboolean    keyboard_mode,
                              GtkTooltip *tooltip)
{
  CmPlaceLayer *self = CM_PLACE_LAYER (widget);
  CmDataset *dataset = cm_map_layout_get_dataset (self->layout);
  g_autofree char *text = NULL;
  CmPlacePick pick;

  if (keyboard_mode || dataset == NULL || !cm_place_layer_pick (self, x, y, &pick))
    return FALSE;

  if (pick.n_places == 1)
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s — %u event", "%s — %u events",
                                         pick.weight),
                            cm_dataset_get_place (dataset, pick.place)->name, pick.weight);
  else
    {
      g_autofree char *places = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u place",
                                                              "%u places", pick.n_places),
                                                 pick.n_places);

      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s, %u event — zoom in to see them",
                                           "%s, %u events — zoom in to see them", pick.weight),
                              places, pick.weight);
    }
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
motion_cb (GtkEventControllerMotion *controller,
           double                    x,
           double                    y,
           CmPlaceLayer             *self)
{
  CmPlacePick pick;

  gtk_widget_set_cursor_from_name (GTK_WIDGET (self),
                                   cm_place_layer_pick (self, x, y, &pick) ? "pointer" : NULL);
}

static void
viewport_changed_cb (CmPlaceLayer *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
cm_place_layer_system_setting_changed (GtkWidget        *widget,
                                       GtkSystemSetting  setting)
{
  CmPlaceLayer *self = CM_PLACE_LAYER (widget);

  GTK_WIDGET_CLASS (cm_place_layer_parent_class)->system_setting_changed (widget, setting);

  if (setting == GTK_SYSTEM_SETTING_FONT_NAME || setting == GTK_SYSTEM_SETTING_FONT_CONFIG
      || setting == GTK_SYSTEM_SETTING_DPI)
    {
      /* The same font name may now render differently. */
      cm_map_layout_set_font (self->layout, "Sans 1");
      invalidate (self);
    }
}

static void
cm_place_layer_css_changed (GtkWidget         *widget,
                            GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (cm_place_layer_parent_class)->css_changed (widget, change);

  /* Colours and fonts come from the style. */
  invalidate (CM_PLACE_LAYER (widget));
}

/* Object ------------------------------------------------------------------- */

static void
cm_place_layer_constructed (GObject *object)
{
  CmPlaceLayer *self = CM_PLACE_LAYER (object);
  ShumateViewport *viewport;

  G_OBJECT_CLASS (cm_place_layer_parent_class)->constructed (object);

  viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));
  g_signal_connect_object (viewport, "notify::latitude", G_CALLBACK (viewport_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (viewport, "notify::longitude", G_CALLBACK (viewport_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (viewport, "notify::zoom-level", G_CALLBACK (viewport_changed_cb),
                           self, G_CONNECT_SWAPPED);
}

static void
cm_place_layer_finalize (GObject *object)
{
  CmPlaceLayer *self = CM_PLACE_LAYER (object);

  g_clear_pointer (&self->layout, cm_map_layout_free);
  g_clear_pointer (&self->scene, cm_scene_free);

  G_OBJECT_CLASS (cm_place_layer_parent_class)->finalize (object);
}

static void
cm_place_layer_class_init (CmPlaceLayerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = cm_place_layer_constructed;
  object_class->finalize = cm_place_layer_finalize;

  widget_class->snapshot = cm_place_layer_snapshot;
  widget_class->query_tooltip = cm_place_layer_query_tooltip;
  widget_class->system_setting_changed = cm_place_layer_system_setting_changed;
  widget_class->css_changed = cm_place_layer_css_changed;

  gtk_widget_class_set_css_name (widget_class, "cm-place-layer");
}

static void
cm_place_layer_init (CmPlaceLayer *self)
{
  GtkEventController *motion = gtk_event_controller_motion_new ();

  self->layout = cm_map_layout_new ();
  self->scene = cm_scene_new (1, 1);
  self->generation = 1;

  g_signal_connect (motion, "motion", G_CALLBACK (motion_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
}

CmPlaceLayer *
cm_place_layer_new (ShumateViewport *viewport)
{
  g_return_val_if_fail (SHUMATE_IS_VIEWPORT (viewport), NULL);

  return g_object_new (CM_TYPE_PLACE_LAYER, "viewport", viewport, NULL);
}

void
cm_place_layer_set_dataset (CmPlaceLayer *self,
                            CmDataset    *dataset)
{
  g_return_if_fail (CM_IS_PLACE_LAYER (self));
  g_return_if_fail (dataset == NULL || CM_IS_DATASET (dataset));

  if (dataset == cm_map_layout_get_dataset (self->layout))
    return;
  cm_map_layout_set_dataset (self->layout, dataset);
  invalidate (self);
}

CmDataset *
cm_place_layer_get_dataset (CmPlaceLayer *self)
{
  g_return_val_if_fail (CM_IS_PLACE_LAYER (self), NULL);

  return cm_map_layout_get_dataset (self->layout);
}

void
cm_place_layer_set_filter (CmPlaceLayer  *self,
                           const guint64 *visible)
{
  g_return_if_fail (CM_IS_PLACE_LAYER (self));

  if (cm_map_layout_set_filter (self->layout, visible))
    invalidate (self);
}

void
cm_place_layer_set_highlight (CmPlaceLayer  *self,
                              const guint32 *places,
                              guint          n_places,
                              gboolean       join)
{
  g_return_if_fail (CM_IS_PLACE_LAYER (self));
  g_return_if_fail (places != NULL || n_places == 0);

  cm_map_layout_set_highlight (self->layout, places, n_places, join);
  invalidate (self);
}

void
cm_place_layer_set_country_names (CmPlaceLayer *self,
                                  gboolean      country_names)
{
  g_autoptr(CmBasemap) basemap = NULL;

  g_return_if_fail (CM_IS_PLACE_LAYER (self));

  country_names = !!country_names;
  if (self->country_names == country_names)
    return;
  self->country_names = country_names;
  /* No names if the basemap cannot load: the tiles then say why. */
  if (country_names)
    basemap = cm_basemap_get_default (NULL);
  cm_map_layout_set_basemap (self->layout, basemap);
  invalidate (self);
}

guint
cm_place_layer_get_place_weight (CmPlaceLayer *self,
                                 guint         place)
{
  g_return_val_if_fail (CM_IS_PLACE_LAYER (self), 0);

  return cm_map_layout_get_place_weight (self->layout, place);
}
