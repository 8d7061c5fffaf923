/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-map-view"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <adwaita.h>
#include <math.h>
#include <stdlib.h>

#include "cm-basemap-source.h"
#include "cm-map-view.h"
#include "cm-mercator.h"

#define MIN_ZOOM        1
#define MAX_ZOOM        16
#define FRAME_MAX_ZOOM  7       /* framing never goes closer than this */
#define FRAME_PADDING   48      /* pixels kept free around framed places */
#define PAN_FRACTION    0.25    /* of the view, per arrow key */
#define GO_TO_MS        400
#define CLICK_SLOP      6       /* pixels a click may move and stay a click */
#define SCALE_MIN_WIDTH 420     /* smaller maps show no scale bar */
#define SCALE_MIN_HEIGHT 280

#define OSM_URL         "https://tile.openstreetmap.org/{z}/{x}/{y}.png"

struct _CmMapView
{
  GtkWidget         parent_instance;

  CmSession        *session;
  char             *basemap;
  GSettings        *settings;

  GtkWidget        *overlay;
  ShumateMap       *map;
  ShumateViewport  *viewport;
  CmBasemapSource  *offline_source;
  gboolean          cairo_tiles;    /* drawn by the cairo renderer */
  ShumateMapLayer  *offline_layer;
  ShumateMapSource *osm_source;
  ShumateMapLayer  *osm_layer;
  CmPlaceLayer     *place_layer;
  ShumateLicense   *license;
  ShumateScale     *scale;

  gboolean          frame_pending;
  double            press_x;        /* where the last press on the map was */
  double            press_y;
  double            framed[3];      /* latitude, longitude, zoom of the last framing */
  int               framed_size[2];
};

G_DEFINE_FINAL_TYPE (CmMapView, cm_map_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_BASEMAP,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Camera ------------------------------------------------------------------- */

/* Frames @places (all shown places if NULL) at a whole zoom, where tiles
 * are drawn pixel for pixel, sharp and without seams. */
static gboolean
frame (CmMapView     *self,
       const guint32 *places,
       guint          n_places,
       int            width,
       int            height,
       gboolean       animate)
{
  CmMapLayout *layout = cm_place_layer_get_layout (self->place_layer);
  double latitude, longitude, zoom;
  gboolean framed;

  framed = cm_map_layout_frame (layout, places, n_places, width, height, FRAME_PADDING,
                                FRAME_MAX_ZOOM, TRUE, &latitude, &longitude, &zoom);
  zoom = CLAMP (zoom, MIN_ZOOM, MAX_ZOOM);
  if (animate && gtk_widget_get_mapped (GTK_WIDGET (self)))
    shumate_map_go_to_full_with_duration (self->map, latitude, longitude, zoom, GO_TO_MS);
  else
    {
      shumate_map_stop_go_to (self->map);
      shumate_viewport_set_zoom_level (self->viewport, zoom);
      shumate_map_center_on (self->map, latitude, longitude);
    }
  return framed;
}

static void
frame_places (CmMapView *self,
              int        width,
              int        height)
{
  self->frame_pending = FALSE;
  frame (self, NULL, 0, width, height, FALSE);
  cm_map_view_get_view (self, &self->framed[0], &self->framed[1], &self->framed[2]);
  self->framed_size[0] = width;
  self->framed_size[1] = height;
}

/* Whether the map still shows its framing, untouched by the user: then a
 * new size frames the places again instead of cutting them off. */
static gboolean
still_framed (CmMapView *self)
{
  double latitude, longitude, zoom;

  cm_map_view_get_view (self, &latitude, &longitude, &zoom);
  return self->framed_size[0] > 0 && fabs (latitude - self->framed[0]) < 1e-9
         && fabs (longitude - self->framed[1]) < 1e-9 && zoom == self->framed[2];
}

void
cm_map_view_zoom_to_fit (CmMapView *self)
{
  int width, height;

  g_return_if_fail (CM_IS_MAP_VIEW (self));

  width = gtk_widget_get_width (GTK_WIDGET (self));
  height = gtk_widget_get_height (GTK_WIDGET (self));
  if (width <= 0 || height <= 0)
    {
      /* Framing needs a size: done on the first allocation. */
      self->frame_pending = TRUE;
      gtk_widget_queue_allocate (GTK_WIDGET (self));
      return;
    }
  frame_places (self, width, height);
}

void
cm_map_view_get_view (CmMapView *self,
                      double    *latitude,
                      double    *longitude,
                      double    *zoom)
{
  g_return_if_fail (CM_IS_MAP_VIEW (self));

  if (latitude)
    *latitude = shumate_location_get_latitude (SHUMATE_LOCATION (self->viewport));
  if (longitude)
    *longitude = shumate_location_get_longitude (SHUMATE_LOCATION (self->viewport));
  if (zoom)
    *zoom = shumate_viewport_get_zoom_level (self->viewport);
}

void
cm_map_view_set_view (CmMapView *self,
                      double     latitude,
                      double     longitude,
                      double     zoom)
{
  g_return_if_fail (CM_IS_MAP_VIEW (self));

  self->frame_pending = FALSE;
  self->framed_size[0] = 0;
  shumate_viewport_set_zoom_level (self->viewport, zoom);
  shumate_map_center_on (self->map, CLAMP (latitude, -85, 85), CLAMP (longitude, -180, 180));
}

/* Pans (or zooms out) so that all of @places are on screen, unless they
 * already are. */
static void
reveal_places (CmMapView     *self,
               const guint32 *places,
               guint          n_places)
{
  CmMapLayout *layout = cm_place_layer_get_layout (self->place_layer);
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));
  double zoom = shumate_viewport_get_zoom_level (self->viewport);
  double latitude, longitude, fit_zoom;
  gboolean all_visible = TRUE;

  if (n_places == 0 || width <= 0)
    return;

  for (guint i = 0; i < n_places && all_visible; i++)
    {
      double x, y;

      cm_place_layer_get_place_position (self->place_layer, places[i], &x, &y);
      all_visible = x >= FRAME_PADDING / 2 && x <= width - FRAME_PADDING / 2
                    && y >= FRAME_PADDING / 2 && y <= height - FRAME_PADDING / 2;
    }
  if (all_visible
      || !cm_map_layout_frame (layout, places, n_places, width, height, FRAME_PADDING,
                               FRAME_MAX_ZOOM, TRUE, &latitude, &longitude, &fit_zoom))
    return;

  /* They fit at this zoom: keep it, just move. */
  shumate_map_go_to_full_with_duration (self->map, latitude, longitude,
                                        CLAMP (MIN (zoom, fit_zoom), MIN_ZOOM, MAX_ZOOM),
                                        GO_TO_MS);
}

/* Session ------------------------------------------------------------------ */

static void
update_selection (CmMapView *self,
                  gboolean   reveal)
{
  CmDataset *dataset = self->session ? cm_session_get_dataset (self->session) : NULL;
  g_autoptr(GArray) places = g_array_new (FALSE, FALSE, sizeof (guint32));
  gboolean join = FALSE;
  guint index;

  if (dataset == NULL)
    {
      cm_place_layer_set_highlight (self->place_layer, NULL, 0, FALSE);
      return;
    }

  index = cm_session_get_selection_index (self->session);
  switch (cm_session_get_selection_kind (self->session))
    {
    case CM_SELECTION_EVENT:
      {
        const CmEvent *event = cm_dataset_get_event (dataset, index);
        guint n;
        const guint32 *event_places = cm_dataset_get_event_places (dataset, event, &n);

        g_array_append_vals (places, event_places, n);
        join = TRUE;
      }
      break;

    case CM_SELECTION_PLACE:
      g_array_append_val (places, index);
      break;

    case CM_SELECTION_ACTOR:
      {
        g_autofree guint8 *seen = g_new0 (guint8, cm_dataset_get_n_places (dataset) + 1);
        guint n_events;
        const guint32 *events = cm_dataset_get_actor_events (dataset, index, &n_events);

        /* Every place the actor was at, in the order they went. */
        for (guint e = 0; e < n_events; e++)
          {
            guint n_places;
            const guint32 *event_places =
              cm_dataset_get_event_places (dataset, cm_dataset_get_event (dataset, events[e]),
                                           &n_places);

            for (guint p = 0; p < n_places; p++)
              if (!seen[event_places[p]])
                {
                  seen[event_places[p]] = 1;
                  g_array_append_val (places, event_places[p]);
                }
          }
      }
      break;

    case CM_SELECTION_NONE:
    default:
      break;
    }

  cm_place_layer_set_highlight (self->place_layer, (const guint32 *) places->data, places->len,
                                join);
  if (reveal)
    reveal_places (self, (const guint32 *) places->data, places->len);
}

static void
selection_changed_cb (CmMapView *self,
                      CmSession *session)
{
  update_selection (self, TRUE);
}

static void
filter_changed_cb (CmMapView *self,
                   CmSession *session)
{
  CmFilter *filter = cm_session_get_filter (session);

  cm_place_layer_set_filter (self->place_layer,
                             filter && cm_filter_is_active (filter)
                               ? cm_filter_get_visible (filter, NULL) : NULL);
}

static void
dataset_changed_cb (CmMapView  *self,
                    GParamSpec *pspec,
                    CmSession  *session)
{
  cm_place_layer_set_dataset (self->place_layer, cm_session_get_dataset (session));
  filter_changed_cb (self, session);
  update_selection (self, FALSE);
  cm_map_view_zoom_to_fit (self);
}

/* Basemaps ----------------------------------------------------------------- */

static void
set_offline_style (CmMapView      *self,
                   CmBasemapStyle  style)
{
  g_autoptr(CmBasemapSource) source = NULL;
  ShumateMapLayer *layer;

  if (self->offline_source != NULL && cm_basemap_source_get_style (self->offline_source) == style)
    return;

  source = cm_basemap_source_new (style);
  cm_basemap_source_set_scale_factor (source, gtk_widget_get_scale_factor (GTK_WIDGET (self)));
  cm_basemap_source_set_cairo_tiles (source, self->cairo_tiles);
  g_signal_connect_object (source, "basemap-loaded", G_CALLBACK (cm_place_layer_basemap_loaded),
                           self->place_layer, G_CONNECT_SWAPPED);
  layer = shumate_map_layer_new (SHUMATE_MAP_SOURCE (source), self->viewport);
  /* The offline map is the reference (projection, zoom range) and the
   * bottom layer. */
  shumate_map_set_map_source (self->map, SHUMATE_MAP_SOURCE (source));
  if (self->offline_layer != NULL)
    {
      shumate_map_insert_layer_behind (self->map, SHUMATE_LAYER (layer),
                                       SHUMATE_LAYER (self->offline_layer));
      shumate_map_remove_layer (self->map, SHUMATE_LAYER (self->offline_layer));
      shumate_license_remove_map_source (self->license, SHUMATE_MAP_SOURCE (self->offline_source));
    }
  else
    shumate_map_insert_layer_behind (self->map, SHUMATE_LAYER (layer),
                                     SHUMATE_LAYER (self->place_layer));
  shumate_license_append_map_source (self->license, SHUMATE_MAP_SOURCE (source));
  self->offline_layer = layer;
  g_set_object (&self->offline_source, source);
}

static void
style_dark_cb (CmMapView *self)
{
  gboolean dark = FALSE;

  if (adw_is_initialized ())
    dark = adw_style_manager_get_dark (adw_style_manager_get_default ());
  set_offline_style (self, dark ? CM_BASEMAP_DARK : CM_BASEMAP_LIGHT);
}

static void
update_osm (CmMapView *self)
{
  gboolean wanted = g_strcmp0 (self->basemap, "osm") == 0;

  if (wanted == (self->osm_layer != NULL))
    return;

  if (wanted)
    {
      if (self->osm_source == NULL)
        {
          /* CHRONOMAP_OSM_URL points at another tile server (or, in
           * tests, at nothing) with the same {z}/{x}/{y} template. */
          const char *url = g_getenv ("CHRONOMAP_OSM_URL");

          /* The tile usage policy asks for an identifying user agent. */
          shumate_set_user_agent (PACKAGE_NAME "/" PACKAGE_VERSION " (" APP_ID ") libshumate");
          self->osm_source = SHUMATE_MAP_SOURCE (
            shumate_raster_renderer_new_full_from_url ("osm-mapnik", "OpenStreetMap",
                                                       _("© OpenStreetMap contributors"),
                                                       "https://www.openstreetmap.org/copyright",
                                                       0, 19, 256,
                                                       SHUMATE_MAP_PROJECTION_MERCATOR,
                                                       url ? url : OSM_URL));
        }
      /* Above the offline map: where a tile fails (no network), the
       * offline map shows through. */
      self->osm_layer = shumate_map_layer_new (self->osm_source, self->viewport);
      shumate_map_insert_layer_above (self->map, SHUMATE_LAYER (self->osm_layer),
                                      SHUMATE_LAYER (self->offline_layer));
      shumate_license_append_map_source (self->license, self->osm_source);
    }
  else
    {
      shumate_map_remove_layer (self->map, SHUMATE_LAYER (self->osm_layer));
      shumate_license_remove_map_source (self->license, self->osm_source);
      self->osm_layer = NULL;
    }
  /* OpenStreetMap tiles carry their own names. */
  cm_place_layer_set_country_names (self->place_layer, !wanted);
}

/* Input -------------------------------------------------------------------- */

static void activate_pick (CmMapView         *self,
                           const CmPlacePick *pick);

/* The map, not its layers, receives the pointer (ShumateMap is what GTK
 * picks), so the view watches it on the way down and asks the place layer
 * what is under it. */
static gboolean
to_layer (CmMapView *self,
          double     x,
          double     y,
          double    *lx,
          double    *ly)
{
  graphene_point_t point;

  if (!gtk_widget_compute_point (GTK_WIDGET (self), GTK_WIDGET (self->place_layer),
                                 &GRAPHENE_POINT_INIT (x, y), &point))
    return FALSE;
  *lx = point.x;
  *ly = point.y;
  return TRUE;
}

static void
view_released_cb (GtkGestureClick *gesture,
                  int              n_press,
                  double           x,
                  double           y,
                  CmMapView       *self)
{
  CmPlacePick pick;
  double lx, ly;

  /* A second press is the map's: it zooms in. A press that moved was a
   * drag of the map. */
  if (n_press != 1 || hypot (x - self->press_x, y - self->press_y) > CLICK_SLOP
      || !to_layer (self, x, y, &lx, &ly)
      || !cm_place_layer_pick (self->place_layer, lx, ly, &pick))
    return;
  activate_pick (self, &pick);
}

static void
view_motion_cb (GtkEventControllerMotion *controller,
                double                    x,
                double                    y,
                CmMapView                *self)
{
  CmPlacePick pick;
  double lx, ly;
  gboolean over = to_layer (self, x, y, &lx, &ly)
                  && cm_place_layer_pick (self->place_layer, lx, ly, &pick);

  gtk_widget_set_cursor_from_name (GTK_WIDGET (self->map), over ? "pointer" : NULL);
}

static gboolean
cm_map_view_query_tooltip (GtkWidget  *widget,
                           int         x,
                           int         y,
                           gboolean    keyboard_mode,
                           GtkTooltip *tooltip)
{
  CmMapView *self = CM_MAP_VIEW (widget);
  g_autofree char *text = NULL;
  double lx, ly;

  if (keyboard_mode || !to_layer (self, x, y, &lx, &ly))
    return FALSE;
  text = cm_place_layer_get_tooltip (self->place_layer, lx, ly);
  if (text == NULL)
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

/* Enter on a marker does what a click does. */
static void
mark_activated_cb (CmPlaceLayer *layer,
                   guint         mark,
                   CmMapView    *self)
{
  CmPlacePick pick;

  if (cm_place_layer_get_mark (layer, mark, &pick))
    activate_pick (self, &pick);
}

/* A click on a place selects it; on a cluster, the map zooms in on it. */
static void
activate_pick (CmMapView         *self,
               const CmPlacePick *pick)
{
  if (self->session == NULL)
    return;
  if (pick->n_places > 1 && shumate_viewport_get_zoom_level (self->viewport) < MAX_ZOOM)
    {
      /* A cluster opens up as the map zooms in on it. */
      double zoom = MIN (floor (shumate_viewport_get_zoom_level (self->viewport)) + 2, MAX_ZOOM);

      shumate_map_go_to_full_with_duration (self->map, pick->latitude, pick->longitude, zoom,
                                            GO_TO_MS);
      return;
    }
  cm_session_select (self->session, CM_SELECTION_PLACE, pick->place);
}

static void
view_pressed_cb (GtkGestureClick *gesture,
                 int              n_press,
                 double           x,
                 double           y,
                 CmMapView       *self)
{
  self->press_x = x;
  self->press_y = y;
  /* So that the keys work after a click on the map. */
  gtk_widget_grab_focus (GTK_WIDGET (self));
}

static void
zoom_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CmMapView *self = CM_MAP_VIEW (widget);
  ShumateLocation *centre = SHUMATE_LOCATION (self->viewport);
  double zoom = round (shumate_viewport_get_zoom_level (self->viewport));

  /* Whole steps from the nearest whole zoom, where tiles are sharpest. */
  zoom += g_str_equal (action_name, "map.zoom-in") ? 1 : -1;
  shumate_map_go_to_full_with_duration (self->map,
                                        shumate_location_get_latitude (centre),
                                        shumate_location_get_longitude (centre),
                                        CLAMP (zoom, MIN_ZOOM, MAX_ZOOM), 250);
}

static void
pan_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  CmMapView *self = CM_MAP_VIEW (widget);
  double zoom = shumate_viewport_get_zoom_level (self->viewport);
  double world = cm_mercator_world_size (zoom, 256);
  double latitude = shumate_location_get_latitude (SHUMATE_LOCATION (self->viewport));
  double longitude = shumate_location_get_longitude (SHUMATE_LOCATION (self->viewport));
  double x = cm_mercator_x (longitude) * world, y = cm_mercator_y (latitude) * world;
  int dx, dy;

  g_variant_get (parameter, "(ii)", &dx, &dy);
  x += dx * PAN_FRACTION * gtk_widget_get_width (widget);
  y += dy * PAN_FRACTION * gtk_widget_get_height (widget);
  x = fmod (x / world + 1, 1);
  y = CLAMP (y / world, 0, 1);
  shumate_map_go_to_full_with_duration (self->map, cm_mercator_latitude (y),
                                        cm_mercator_longitude (x), zoom, 150);
}

static void
rotation_cb (CmMapView *self)
{
  /* Places and labels are drawn north up: keep the map so. */
  if (shumate_viewport_get_rotation (self->viewport) != 0)
    shumate_viewport_set_rotation (self->viewport, 0);
}

/* Widget ------------------------------------------------------------------- */

static void
cm_map_view_measure (GtkWidget      *widget,
                     GtkOrientation  orientation,
                     int             for_size,
                     int            *minimum,
                     int            *natural,
                     int            *minimum_baseline,
                     int            *natural_baseline)
{
  CmMapView *self = CM_MAP_VIEW (widget);

  gtk_widget_measure (self->overlay, orientation, for_size, minimum, natural, NULL, NULL);
  *natural = MAX (*natural, orientation == GTK_ORIENTATION_HORIZONTAL ? 360 : 240);
}

static void
cm_map_view_size_allocate (GtkWidget *widget,
                           int        width,
                           int        height,
                           int        baseline)
{
  CmMapView *self = CM_MAP_VIEW (widget);

  /* Framing first: moving the camera queues an allocation of the
   * layers, which must come before they are allocated, not after. */
  /* Hardly so far out that the world repeats across the view: the
   * viewport takes whole levels only, and the level above the world's
   * width could be too close to frame the places of a short, wide map
   * (framing itself never goes below the world's width). */
  shumate_viewport_set_min_zoom_level (self->viewport,
                                       (guint) CLAMP (floor (log2 (MAX (width, 1) / 256.0) + 1e-9),
                                                      MIN_ZOOM, MAX_ZOOM));
  /* The scale bar is for maps with room to spare, not over a small one. */
  gtk_widget_set_child_visible (GTK_WIDGET (self->scale),
                                width >= SCALE_MIN_WIDTH && height >= SCALE_MIN_HEIGHT);
  if (width > 0 && height > 0
      && (self->frame_pending
          || ((width != self->framed_size[0] || height != self->framed_size[1])
              && still_framed (self))))
    frame_places (self, width, height);
  gtk_widget_allocate (self->overlay, width, height, baseline, NULL);
}

static void
scale_factor_cb (CmMapView *self)
{
  if (self->offline_source != NULL)
    cm_basemap_source_set_scale_factor (self->offline_source,
                                        gtk_widget_get_scale_factor (GTK_WIDGET (self)));
}

static void
cm_map_view_dispose (GObject *object)
{
  CmMapView *self = CM_MAP_VIEW (object);

  cm_map_view_set_session (self, NULL);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->overlay, gtk_widget_unparent);
  self->map = NULL;
  self->place_layer = NULL;
  self->offline_layer = NULL;
  self->osm_layer = NULL;
  g_clear_object (&self->offline_source);
  g_clear_object (&self->osm_source);

  G_OBJECT_CLASS (cm_map_view_parent_class)->dispose (object);
}

static void
cm_map_view_finalize (GObject *object)
{
  CmMapView *self = CM_MAP_VIEW (object);

  g_free (self->basemap);

  G_OBJECT_CLASS (cm_map_view_parent_class)->finalize (object);
}

static void
cm_map_view_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  CmMapView *self = CM_MAP_VIEW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_BASEMAP:
      g_value_set_string (value, self->basemap);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cm_map_view_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  CmMapView *self = CM_MAP_VIEW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      cm_map_view_set_session (self, g_value_get_object (value));
      break;
    case PROP_BASEMAP:
      cm_map_view_set_basemap (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* The renderer is known once the window is realized, before any tile is
 * asked for. */
static void
cm_map_view_realize (GtkWidget *widget)
{
  CmMapView *self = CM_MAP_VIEW (widget);
  GskRenderer *renderer;

  GTK_WIDGET_CLASS (cm_map_view_parent_class)->realize (widget);

  renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  self->cairo_tiles = renderer != NULL && GSK_IS_CAIRO_RENDERER (renderer);
  if (self->offline_source != NULL)
    cm_basemap_source_set_cairo_tiles (self->offline_source, self->cairo_tiles);
}

static void
cm_map_view_class_init (CmMapViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cm_map_view_dispose;
  object_class->finalize = cm_map_view_finalize;
  object_class->get_property = cm_map_view_get_property;
  object_class->set_property = cm_map_view_set_property;

  widget_class->realize = cm_map_view_realize;
  widget_class->measure = cm_map_view_measure;
  widget_class->size_allocate = cm_map_view_size_allocate;
  widget_class->query_tooltip = cm_map_view_query_tooltip;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL,
                         CM_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BASEMAP] =
    g_param_spec_string ("basemap", NULL, NULL,
                         "offline",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_action (widget_class, "map.zoom-in", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "map.zoom-out", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "map.pan", "(ii)", pan_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, 0, "map.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, 0, "map.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Add, 0, "map.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, 0, "map.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Subtract, 0, "map.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, 0, "map.pan", "(ii)", -1, 0);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, 0, "map.pan", "(ii)", 1, 0);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Up, 0, "map.pan", "(ii)", 0, -1);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Down, 0, "map.pan", "(ii)", 0, 1);

  gtk_widget_class_set_css_name (widget_class, "cm-map-view");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static GtkWidget *
create_zoom_buttons (void)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *zoom_in = gtk_button_new_from_icon_name ("zoom-in-symbolic");
  GtkWidget *zoom_out = gtk_button_new_from_icon_name ("zoom-out-symbolic");

  gtk_actionable_set_action_name (GTK_ACTIONABLE (zoom_in), "map.zoom-in");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (zoom_out), "map.zoom-out");
  gtk_widget_set_tooltip_text (zoom_in, _("Zoom In"));
  gtk_widget_set_tooltip_text (zoom_out, _("Zoom Out"));
  /* Named for screen readers: an icon alone is read as "GtkImage". */
  gtk_accessible_update_property (GTK_ACCESSIBLE (zoom_in), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Zoom In"), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (zoom_out), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Zoom Out"), -1);
  gtk_widget_set_focus_on_click (zoom_in, FALSE);
  gtk_widget_set_focus_on_click (zoom_out, FALSE);
  gtk_box_append (GTK_BOX (box), zoom_in);
  gtk_box_append (GTK_BOX (box), zoom_out);
  gtk_widget_add_css_class (box, "linked");
  gtk_widget_add_css_class (box, "osd");
  gtk_widget_set_halign (box, GTK_ALIGN_END);
  gtk_widget_set_valign (box, GTK_ALIGN_START);
  gtk_widget_set_margin_top (box, 12);
  gtk_widget_set_margin_end (box, 12);
  return box;
}

static void
cm_map_view_init (CmMapView *self)
{
  GtkGesture *click;

  self->basemap = g_strdup ("offline");
  self->overlay = gtk_overlay_new ();
  gtk_widget_set_parent (self->overlay, GTK_WIDGET (self));

  self->map = shumate_map_new ();
  self->viewport = shumate_map_get_viewport (self->map);
  shumate_viewport_set_min_zoom_level (self->viewport, MIN_ZOOM);
  shumate_viewport_set_max_zoom_level (self->viewport, MAX_ZOOM);
  gtk_overlay_set_child (GTK_OVERLAY (self->overlay), GTK_WIDGET (self->map));
  g_signal_connect_object (self->viewport, "notify::rotation", G_CALLBACK (rotation_cb), self,
                           G_CONNECT_SWAPPED);

  self->place_layer = cm_place_layer_new (self->viewport);
  cm_place_layer_set_country_names (self->place_layer, TRUE);
  shumate_map_add_layer (self->map, SHUMATE_LAYER (self->place_layer));
  g_signal_connect (self->place_layer, "mark-activated", G_CALLBACK (mark_activated_cb), self);

  self->license = shumate_license_new ();
  gtk_widget_set_halign (GTK_WIDGET (self->license), GTK_ALIGN_END);
  gtk_widget_set_valign (GTK_WIDGET (self->license), GTK_ALIGN_END);
  gtk_overlay_add_overlay (GTK_OVERLAY (self->overlay), GTK_WIDGET (self->license));

  self->scale = shumate_scale_new (self->viewport);
  gtk_widget_set_halign (GTK_WIDGET (self->scale), GTK_ALIGN_START);
  gtk_widget_set_valign (GTK_WIDGET (self->scale), GTK_ALIGN_END);
  gtk_overlay_add_overlay (GTK_OVERLAY (self->overlay), GTK_WIDGET (self->scale));

  gtk_overlay_add_overlay (GTK_OVERLAY (self->overlay), create_zoom_buttons ());

  style_dark_cb (self);
  if (adw_is_initialized ())
    g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                             G_CALLBACK (style_dark_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect (self, "notify::scale-factor", G_CALLBACK (scale_factor_cb), NULL);

  /* The basemap choice lives in GSettings when the schema is installed
   * (it always is, except in some unit tests). */
  {
    GSettingsSchemaSource *schemas = g_settings_schema_source_get_default ();
    g_autoptr(GSettingsSchema) schema = schemas
      ? g_settings_schema_source_lookup (schemas, APP_ID, TRUE) : NULL;

    if (schema != NULL && g_settings_schema_has_key (schema, "basemap"))
      {
        self->settings = g_settings_new (APP_ID);
        g_settings_bind (self->settings, "basemap", self, "basemap", G_SETTINGS_BIND_GET);
      }
  }

  click = gtk_gesture_click_new ();
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (click), GTK_PHASE_CAPTURE);
  g_signal_connect (click, "pressed", G_CALLBACK (view_pressed_cb), self);
  g_signal_connect (click, "released", G_CALLBACK (view_released_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
  {
    GtkEventController *motion = gtk_event_controller_motion_new ();

    g_signal_connect (motion, "motion", G_CALLBACK (view_motion_cb), self);
    gtk_widget_add_controller (GTK_WIDGET (self), motion);
  }
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);

  shumate_viewport_set_zoom_level (self->viewport, MIN_ZOOM);
  shumate_map_center_on (self->map, 30, 15);
}

CmMapView *
cm_map_view_new (void)
{
  return g_object_new (CM_TYPE_MAP_VIEW, NULL);
}

CmSession *
cm_map_view_get_session (CmMapView *self)
{
  g_return_val_if_fail (CM_IS_MAP_VIEW (self), NULL);

  return self->session;
}

void
cm_map_view_set_session (CmMapView *self,
                         CmSession *session)
{
  g_return_if_fail (CM_IS_MAP_VIEW (self));
  g_return_if_fail (session == NULL || CM_IS_SESSION (session));

  if (self->session == session)
    return;

  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_set_object (&self->session, session);
  if (session != NULL)
    {
      g_signal_connect_object (session, "notify::dataset", G_CALLBACK (dataset_changed_cb),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (session, "selection-changed", G_CALLBACK (selection_changed_cb),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (session, "filter-changed", G_CALLBACK (filter_changed_cb),
                               self, G_CONNECT_SWAPPED);
      dataset_changed_cb (self, NULL, session);
    }
  else if (self->place_layer != NULL)
    cm_place_layer_set_dataset (self->place_layer, NULL);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

const char *
cm_map_view_get_basemap (CmMapView *self)
{
  g_return_val_if_fail (CM_IS_MAP_VIEW (self), NULL);

  return self->basemap;
}

void
cm_map_view_set_basemap (CmMapView  *self,
                         const char *basemap)
{
  g_return_if_fail (CM_IS_MAP_VIEW (self));

  if (basemap == NULL || (!g_str_equal (basemap, "offline") && !g_str_equal (basemap, "osm")))
    basemap = "offline";
  if (g_strcmp0 (self->basemap, basemap) == 0)
    return;

  g_free (self->basemap);
  self->basemap = g_strdup (basemap);
  update_osm (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BASEMAP]);
}

ShumateMap *
cm_map_view_get_map (CmMapView *self)
{
  g_return_val_if_fail (CM_IS_MAP_VIEW (self), NULL);

  return self->map;
}

CmPlaceLayer *
cm_map_view_get_place_layer (CmMapView *self)
{
  g_return_val_if_fail (CM_IS_MAP_VIEW (self), NULL);

  return self->place_layer;
}
