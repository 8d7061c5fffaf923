/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-map-view"

#include "config.h"

#include <adwaita.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cm-basemap-source.h"
#include "cm-export-map-private.h"
#include "cm-loader.h"
#include "cm-map-layout.h"
#include "cm-map-view.h"
#include "cm-mercator.h"
#include "cm-place-marker.h"
#include "cm-palette.h"
#include "cm-scene-snapshot.h"

/* The map view in a real window under Xvfb, with no network. */

enum { RIYADH, KYIV, ANKARA, N_PLACES };

static const CmPlace places[] = {
  { "riyadh", "Riyadh", "Saudi Arabia", "Asia/Riyadh", 24.7136, 46.6753 },
  { "kyiv", "Kyiv", "Ukraine", "Europe/Kyiv", 50.4501, 30.5234 },
  { "ankara", "Ankara", "Turkey", "Europe/Istanbul", 39.9334, 32.8597 },
};

#define GROUP_COLOR 0xc01c28

static CmDataset *
build_dataset (void)
{
  CmDatasetBuilder *builder = cm_dataset_builder_new ();
  CmGroup group = { "us", "United States", GROUP_COLOR, TRUE };
  CmActor actor = { "rubio", "Marco Rubio", NULL, NULL, 0, CM_ACTOR_PERSON };
  guint32 actor_index;
  /* Event 0 in Riyadh and Kyiv, event 1 in Ankara, event 2 in Kyiv. */
  const guint32 where[][2] = { { RIYADH, KYIV }, { ANKARA, 0 }, { KYIV, 0 } };
  const guint n_where[] = { 2, 1, 1 };

  cm_dataset_builder_set_title (builder, "Map test", NULL);
  actor.group = cm_dataset_builder_add_group (builder, &group);
  actor_index = cm_dataset_builder_add_actor (builder, &actor, NULL, 0);
  for (guint i = 0; i < N_PLACES; i++)
    cm_dataset_builder_add_place (builder, &places[i]);
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *id = g_strdup_printf ("e%u", i);
      CmEvent event = { 0 };

      event.id = id;
      event.title = id;
      event.start.seconds = 1739836800 + i * 86400;
      event.start.precision = CM_PRECISION_DAY;
      event.end = event.start;
      cm_dataset_builder_add_event (builder, &event, where[i], n_where[i], &actor_index, 1,
                                    NULL, 0, NULL, 0, NULL, 0);
    }
  return cm_dataset_builder_finish (builder);
}

static gboolean
timeout_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
wait_ms (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, timeout_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

typedef gboolean (*Condition) (gpointer data);

static gboolean
wait_for (Condition condition,
          gpointer  data,
          guint     timeout_ms)
{
  gint64 end = g_get_monotonic_time () + timeout_ms * 1000;

  while (!condition (data))
    {
      if (g_get_monotonic_time () > end)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  return TRUE;
}

static gboolean
layer_current (gpointer data)
{
  return cm_place_layer_is_current (data);
}

static gboolean
pointer_cleared (gpointer data)
{
  return *(gpointer *) data == NULL;
}

static void
count_cb (guint *count)
{
  (*count)++;
}

typedef struct
{
  GtkWindow *window;
  CmMapView *view;
  CmSession *session;
} Fixture;

static gboolean
view_ready (gpointer data)
{
  Fixture *f = data;

  return gtk_widget_get_mapped (GTK_WIDGET (f->view))
         && gtk_widget_get_width (GTK_WIDGET (cm_map_view_get_place_layer (f->view))) > 0;
}

/* A session and a map view in a window of its own, not shown yet. */
static void
create_view (Fixture *f)
{
  f->session = cm_session_new ();
  f->view = cm_map_view_new ();
  f->window = GTK_WINDOW (gtk_window_new ());
  cm_map_view_set_session (f->view, f->session);
  gtk_window_set_child (f->window, GTK_WIDGET (f->view));
}

/* Gives the view @dataset (if any) before it has a size, so that framing
 * waits for one, and shows it at @width x @height. */
static void
show_view (Fixture   *f,
           CmDataset *dataset,
           int        width,
           int        height)
{
  if (dataset != NULL)
    cm_session_set_dataset (f->session, dataset);
  gtk_window_set_default_size (f->window, width, height);
  gtk_window_present (f->window);
  g_assert_true (wait_for (view_ready, f, 5000));
}

static CmDataset *
load_sample (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "samples",
                                                 "riyadh-talks-2025.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  CmDataset *dataset = cm_loader_load_file (file, NULL, &error);

  g_assert_no_error (error);
  return dataset;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(CmDataset) dataset = build_dataset ();

  create_view (f);
  show_view (f, dataset, 900, 600);
  wait_ms (100);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gtk_window_destroy (f->window);
  g_clear_object (&f->session);
}

static void
assert_inside (Fixture *f,
               guint    place,
               double  *x_out,
               double  *y_out)
{
  CmPlaceLayer *layer = cm_map_view_get_place_layer (f->view);
  ShumateViewport *viewport = shumate_map_get_viewport (cm_map_view_get_map (f->view));
  int width = gtk_widget_get_width (GTK_WIDGET (layer));
  int height = gtk_widget_get_height (GTK_WIDGET (layer));
  double x, y, sx, sy;

  g_assert_true (cm_place_layer_get_place_position (layer, place, &x, &y));
  g_assert_cmpfloat (x, >, 0);
  g_assert_cmpfloat (x, <, width);
  g_assert_cmpfloat (y, >, 0);
  g_assert_cmpfloat (y, <, height);

  /* The layer projects exactly as libshumate does for its tiles. */
  shumate_viewport_location_to_widget_coords (viewport, GTK_WIDGET (layer),
                                              places[place].lat, places[place].lon, &sx, &sy);
  g_assert_cmpfloat_with_epsilon (x, sx, 1.0);
  g_assert_cmpfloat_with_epsilon (y, sy, 1.0);
  if (x_out)
    *x_out = x;
  if (y_out)
    *y_out = y;
}

/* Renders the place layer alone and reads the pixel at (x, y). */
static guint32
layer_pixel (Fixture *f,
             int      x,
             int      y)
{
  GtkWidget *layer = GTK_WIDGET (cm_map_view_get_place_layer (f->view));
  int width = gtk_widget_get_width (layer), height = gtk_widget_get_height (layer);
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (layer);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cairo_t *cr = cairo_create (surface);
  guint32 pixel;

  /* The layer moves its accessible markers once the map rests, which
   * takes a new layout of it first. */
  wait_ms (300);
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  gsk_render_node_draw (node, cr);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  pixel = *(guint32 *) (cairo_image_surface_get_data (surface)
                        + y * cairo_image_surface_get_stride (surface) + x * 4);
  cairo_surface_destroy (surface);
  return pixel;
}

static void
test_frames_places (Fixture       *f,
                    gconstpointer  data)
{
  ShumateViewport *viewport = shumate_map_get_viewport (cm_map_view_get_map (f->view));
  double x, y;

  /* Framing zoomed in from the whole world. */
  g_assert_cmpfloat (shumate_viewport_get_zoom_level (viewport), >, 2);
  for (guint i = 0; i < N_PLACES; i++)
    assert_inside (f, i, NULL, NULL);

  /* Kyiv's marker is drawn in its group's colour (premultiplied ARGB,
   * nearly opaque). */
  assert_inside (f, KYIV, &x, &y);
  {
    guint32 pixel = layer_pixel (f, (int) x, (int) y);
    int r = (pixel >> 16) & 0xff, g = (pixel >> 8) & 0xff, b = pixel & 0xff;

    g_assert_cmpint ((pixel >> 24) & 0xff, >, 200);
    g_assert_cmpint (abs (r - 0xc0), <, 30);
    g_assert_cmpint (g, <, 60);
    g_assert_cmpint (b, <, 70);
  }
  /* Away from places the layer is transparent: the basemap shows. */
  g_assert_cmphex (layer_pixel (f, 2, 2) >> 24, ==, 0);
}

static GtkGesture *
find_click_gesture (GtkWidget *widget)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_GESTURE_CLICK (controller))
        return GTK_GESTURE (controller);
    }
  return NULL;
}

/* A click at (@x, @y) of the place layer. GTK gives the pointer to the
 * ShumateMap, not to its layers, so the map view watches it on the way
 * down: the click goes to the view's gesture, in its coordinates. */
static void
click (GtkWidget *layer,
       double     x,
       double     y)
{
  GtkWidget *view = gtk_widget_get_ancestor (layer, CM_TYPE_MAP_VIEW);
  GtkGesture *gesture = find_click_gesture (view);
  graphene_point_t point;
  GtkWidget *picked;

  g_assert_nonnull (gesture);
  g_assert_true (gtk_widget_compute_point (layer, view, &GRAPHENE_POINT_INIT (x, y), &point));
  /* Whatever GTK picks there is inside the view, so its gesture sees it. */
  picked = gtk_widget_pick (view, point.x, point.y, GTK_PICK_DEFAULT);
  g_assert_nonnull (picked);
  g_assert_true (picked == view || gtk_widget_is_ancestor (picked, view));
  g_signal_emit_by_name (gesture, "pressed", 1, point.x, point.y);
  g_signal_emit_by_name (gesture, "released", 1, point.x, point.y);
}

static void
test_click_selects (Fixture       *f,
                    gconstpointer  data)
{
  CmPlaceLayer *layer = cm_map_view_get_place_layer (f->view);
  CmPlacePick pick;
  double x, y;

  assert_inside (f, KYIV, &x, &y);
  g_assert_true (cm_place_layer_pick (layer, x + 2, y - 1, &pick));
  g_assert_cmpuint (pick.place, ==, KYIV);
  g_assert_cmpuint (pick.n_places, ==, 1);
  g_assert_cmpfloat_with_epsilon (pick.latitude, places[KYIV].lat, 0.01);
  g_assert_cmpfloat_with_epsilon (pick.longitude, places[KYIV].lon, 0.01);
  g_assert_cmpuint (cm_place_layer_get_place_weight (layer, KYIV), ==, 2);

  /* Clicking the sea selects nothing. */
  click (GTK_WIDGET (layer), 3, 3);
  g_assert_cmpint (cm_session_get_selection_kind (f->session), ==, CM_SELECTION_NONE);

  click (GTK_WIDGET (layer), x + 2, y - 1);
  g_assert_cmpint (cm_session_get_selection_kind (f->session), ==, CM_SELECTION_PLACE);
  g_assert_cmpuint (cm_session_get_selection_index (f->session), ==, KYIV);
}

typedef struct
{
  Fixture *f;
  guint    place;
} PlaceVisible;

static gboolean
place_visible (gpointer data)
{
  PlaceVisible *pv = data;
  CmPlaceLayer *layer = cm_map_view_get_place_layer (pv->f->view);
  double x, y;

  cm_place_layer_get_place_position (layer, pv->place, &x, &y);
  return x > 0 && y > 0 && x < gtk_widget_get_width (GTK_WIDGET (layer))
         && y < gtk_widget_get_height (GTK_WIDGET (layer));
}

static void
test_selection_pans (Fixture       *f,
                     gconstpointer  data)
{
  ShumateMap *map = cm_map_view_get_map (f->view);
  ShumateViewport *viewport = shumate_map_get_viewport (map);
  CmPlaceLayer *layer = cm_map_view_get_place_layer (f->view);
  PlaceVisible kyiv = { f, KYIV }, riyadh = { f, RIYADH };
  CmPlacePick pick;
  double x, y;

  /* Close in on Riyadh: Kyiv is far off screen. */
  shumate_viewport_set_zoom_level (viewport, 8);
  shumate_map_center_on (map, places[RIYADH].lat, places[RIYADH].lon);
  g_assert_false (place_visible (&kyiv));

  /* Selecting the Kyiv event brings Kyiv into view. */
  cm_session_select (f->session, CM_SELECTION_EVENT, cm_dataset_find_event (
                       cm_session_get_dataset (f->session), "e2"));
  g_assert_true (wait_for (place_visible, &kyiv, 3000));
  wait_ms (600);
  g_assert_true (place_visible (&kyiv));

  /* The event of Riyadh and Kyiv: both shown, joined, highlighted on top. */
  cm_session_select (f->session, CM_SELECTION_EVENT, cm_dataset_find_event (
                       cm_session_get_dataset (f->session), "e0"));
  wait_ms (600);
  g_assert_true (wait_for (place_visible, &riyadh, 3000));
  g_assert_true (place_visible (&kyiv));
  cm_place_layer_get_place_position (layer, RIYADH, &x, &y);
  g_assert_true (cm_place_layer_pick (layer, x, y, &pick));
  g_assert_cmpuint (pick.place, ==, RIYADH);
}

static gboolean
zoom_above (gpointer data)
{
  Fixture *f = ((gpointer *) data)[0];
  double *level = ((gpointer *) data)[1];

  return shumate_viewport_get_zoom_level (shumate_map_get_viewport (cm_map_view_get_map (f->view)))
         > *level + 0.5;
}

static void
test_cluster_click_zooms (Fixture       *f,
                          gconstpointer  data)
{
  CmDatasetBuilder *builder = cm_dataset_builder_new ();
  CmPlace brovary = { "brovary", "Brovary", NULL, NULL, 50.5110, 30.7909 };
  g_autoptr(CmDataset) dataset = NULL;
  CmPlaceLayer *layer = cm_map_view_get_place_layer (f->view);
  ShumateViewport *viewport = shumate_map_get_viewport (cm_map_view_get_map (f->view));
  CmPlacePick pick;
  double x, y, level;
  gpointer closure[2] = { f, &level };

  cm_dataset_builder_add_place (builder, &places[KYIV]);
  cm_dataset_builder_add_place (builder, &brovary);
  cm_dataset_builder_add_place (builder, &places[RIYADH]);
  dataset = cm_dataset_builder_finish (builder);
  cm_session_set_dataset (f->session, dataset);
  wait_ms (50);

  /* Framed to show Riyadh too, Kyiv and Brovary are one cluster. */
  cm_place_layer_get_place_position (layer, 0, &x, &y);
  g_assert_true (cm_place_layer_pick (layer, x, y, &pick));
  g_assert_cmpuint (pick.n_places, ==, 2);

  level = shumate_viewport_get_zoom_level (viewport);
  click (GTK_WIDGET (layer), x, y);
  g_assert_true (wait_for (zoom_above, closure, 3000));
  g_assert_cmpint (cm_session_get_selection_kind (f->session), ==, CM_SELECTION_NONE);
}

static gboolean
longitude_above (gpointer data)
{
  Fixture *f = ((gpointer *) data)[0];
  double *longitude = ((gpointer *) data)[1];
  ShumateViewport *viewport = shumate_map_get_viewport (cm_map_view_get_map (f->view));

  return shumate_location_get_longitude (SHUMATE_LOCATION (viewport)) > *longitude + 0.1;
}

static void
test_keyboard_actions (Fixture       *f,
                       gconstpointer  data)
{
  ShumateViewport *viewport = shumate_map_get_viewport (cm_map_view_get_map (f->view));
  double level = shumate_viewport_get_zoom_level (viewport);
  double longitude = shumate_location_get_longitude (SHUMATE_LOCATION (viewport));
  gpointer closure[2] = { f, &level };

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "map.zoom-in", NULL));
  g_assert_true (wait_for (zoom_above, closure, 3000));

  /* Panning east animates: wait for it, however slow the machine. */
  longitude = shumate_location_get_longitude (SHUMATE_LOCATION (viewport));
  closure[1] = &longitude;
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "map.pan", "(ii)", 1, 0));
  g_assert_true (wait_for (longitude_above, closure, 3000));
}

typedef struct
{
  gboolean done;
  gboolean ok;
  GError  *error;
} FillResult;

static void
tile_filled_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  FillResult *r = user_data;

  r->ok = shumate_map_source_fill_tile_finish (SHUMATE_MAP_SOURCE (object), result, &r->error);
  r->done = TRUE;
}

static gboolean
fill_done (gpointer data)
{
  return ((FillResult *) data)->done;
}

static void
test_offline_tiles (void)
{
  g_autoptr(CmBasemapSource) source = cm_basemap_source_new (CM_BASEMAP_LIGHT);
  const CmBasemapPalette *palette = cm_basemap_style_get_palette (CM_BASEMAP_LIGHT);
  ShumateTile *tile = g_object_ref_sink (shumate_tile_new_full (2, 1, 256, 2));
  ShumateTile *again = g_object_ref_sink (shumate_tile_new_full (2, 1, 256, 2));
  FillResult r = { 0 };
  GdkPaintable *paintable;
  g_autofree guint8 *pixels = g_malloc (256 * 256 * 4);
  guint land = 0, sea = 0;

  g_assert_cmpstr (shumate_map_source_get_id (SHUMATE_MAP_SOURCE (source)), ==,
                   "chronomap-offline-light");
  shumate_map_source_fill_tile_async (SHUMATE_MAP_SOURCE (source), tile, NULL, tile_filled_cb, &r);
  g_assert_true (wait_for (fill_done, &r, 10000));
  g_assert_no_error (r.error);
  g_assert_true (r.ok);
  g_assert_cmpint (shumate_tile_get_state (tile), ==, SHUMATE_STATE_DONE);

  paintable = shumate_tile_get_paintable (tile);
  g_assert_true (GDK_IS_TEXTURE (paintable));
  g_assert_cmpint (gdk_texture_get_width (GDK_TEXTURE (paintable)), ==, 256);
  gdk_texture_download (GDK_TEXTURE (paintable), pixels, 256 * 4);
  for (guint i = 0; i < 256 * 256; i++)
    {
      guint32 p = ((guint32 *) pixels)[i] & 0xffffff;

      land += p == palette->land;
      sea += p == palette->sea;
    }
  /* Europe and Africa with the sea around them. */
  g_assert_cmpuint (land, >, 256 * 256 / 4);
  g_assert_cmpuint (sea, >, 256 * 256 / 20);

  /* The same tile again comes from the cache: the very same texture. */
  r = (FillResult) { 0 };
  shumate_map_source_fill_tile_async (SHUMATE_MAP_SOURCE (source), again, NULL, tile_filled_cb,
                                      &r);
  g_assert_true (wait_for (fill_done, &r, 1000));
  g_assert_true (r.ok);
  g_assert_true (shumate_tile_get_paintable (again) == paintable);

  /* A cancelled fill reports it and leaves the tile alone. */
  {
    ShumateTile *cancelled = g_object_ref_sink (shumate_tile_new_full (3, 3, 256, 3));
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();

    r = (FillResult) { 0 };
    g_cancellable_cancel (cancellable);
    shumate_map_source_fill_tile_async (SHUMATE_MAP_SOURCE (source), cancelled, cancellable,
                                        tile_filled_cb, &r);
    g_assert_true (wait_for (fill_done, &r, 5000));
    g_assert_false (r.ok);
    g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_clear_error (&r.error);
    g_assert_null (shumate_tile_get_paintable (cancelled));
    g_object_unref (cancelled);
  }

  g_object_unref (tile);
  g_object_unref (again);
}

static void
test_osm_fallback (Fixture       *f,
                   gconstpointer  data)
{
  ShumateMap *map = cm_map_view_get_map (f->view);
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  GtkWidget *first, *second, *third;

  g_assert_cmpstr (cm_map_view_get_basemap (f->view), ==, "offline");
  first = gtk_widget_get_first_child (GTK_WIDGET (map));
  g_assert_true (SHUMATE_IS_MAP_LAYER (first));
  g_assert_true (CM_IS_PLACE_LAYER (gtk_widget_get_next_sibling (first)));

  /* The setting switches the map to OpenStreetMap tiles (pointed at a
   * closed local port here: no network), over the offline map. */
  g_settings_set_string (settings, "basemap", "osm");
  g_assert_cmpstr (cm_map_view_get_basemap (f->view), ==, "osm");
  first = gtk_widget_get_first_child (GTK_WIDGET (map));
  second = gtk_widget_get_next_sibling (first);
  third = gtk_widget_get_next_sibling (second);
  g_assert_true (SHUMATE_IS_MAP_LAYER (first));
  g_assert_true (SHUMATE_IS_MAP_LAYER (second));
  g_assert_true (CM_IS_PLACE_LAYER (third));
  g_assert_true (SHUMATE_IS_MAP_SOURCE (shumate_viewport_get_reference_map_source (
                   shumate_map_get_viewport (map))));
  g_assert_true (CM_IS_BASEMAP_SOURCE (shumate_viewport_get_reference_map_source (
                   shumate_map_get_viewport (map))));
  g_assert_nonnull (strstr (shumate_get_user_agent (), "chronomap"));

  /* Failing downloads leave the offline map and the places working. */
  wait_ms (500);
  assert_inside (f, KYIV, NULL, NULL);

  g_settings_set_string (settings, "basemap", "offline");
  first = gtk_widget_get_first_child (GTK_WIDGET (map));
  g_assert_true (CM_IS_PLACE_LAYER (gtk_widget_get_next_sibling (first)));
}

/* Draws @paintable at @size × @size logical pixels as the cairo renderer
 * would, into a new 256 px image surface. */
static cairo_surface_t *
draw_paintable (GdkPaintable *paintable,
                double        size)
{
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 256, 256);
  g_autoptr(GskRenderNode) node = NULL;
  cairo_t *cr = cairo_create (surface);

  gdk_paintable_snapshot (paintable, snapshot, size, size);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  gsk_render_node_draw (node, cr);
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  return surface;
}

static GdkPaintable *
fill_tile (CmBasemapSource *source,
           ShumateTile     *tile)
{
  FillResult r = { 0 };

  shumate_map_source_fill_tile_async (SHUMATE_MAP_SOURCE (source), tile, NULL, tile_filled_cb, &r);
  g_assert_true (wait_for (fill_done, &r, 10000));
  g_assert_no_error (r.error);
  g_assert_true (r.ok);

  return shumate_tile_get_paintable (tile);
}

/* For the cairo renderer, tiles are cairo surfaces, not textures it
 * would convert at every frame; they look the same, scaled too. */
static void
test_cairo_tiles (void)
{
  g_autoptr(CmBasemapSource) source = cm_basemap_source_new (CM_BASEMAP_LIGHT);
  ShumateTile *texture_tile = g_object_ref_sink (shumate_tile_new_full (2, 1, 256, 2));
  ShumateTile *cairo_tile = g_object_ref_sink (shumate_tile_new_full (2, 1, 256, 2));
  ShumateTile *again = g_object_ref_sink (shumate_tile_new_full (2, 1, 256, 2));
  ShumateTile *back = g_object_ref_sink (shumate_tile_new_full (2, 1, 256, 2));
  GdkPaintable *texture, *tile;

  g_assert_false (cm_basemap_source_get_cairo_tiles (source));
  texture = fill_tile (source, texture_tile);
  g_assert_true (GDK_IS_TEXTURE (texture));

  /* The switch drops the cached texture. */
  cm_basemap_source_set_cairo_tiles (source, TRUE);
  g_assert_true (cm_basemap_source_get_cairo_tiles (source));
  tile = fill_tile (source, cairo_tile);
  g_assert_false (GDK_IS_TEXTURE (tile));
  g_assert_cmpint (gdk_paintable_get_intrinsic_width (tile), ==, 256);
  g_assert_cmpint (gdk_paintable_get_intrinsic_height (tile), ==, 256);
  g_assert_true (fill_tile (source, again) == tile);

  for (guint i = 0; i < 2; i++)
    {
      /* Full size, and shrunk as between two zoom levels. */
      int size = i == 0 ? 256 : 200;
      cairo_surface_t *a = draw_paintable (texture, size);
      cairo_surface_t *b = draw_paintable (tile, size);
      const guint8 *pa = cairo_image_surface_get_data (a);
      const guint8 *pb = cairo_image_surface_get_data (b);
      int stride = cairo_image_surface_get_stride (a);
      guint opaque = 0, off = 0;

      for (int y = 0; y < 256; y++)
        for (int x = 0; x < 256; x++)
          {
            const guint8 *qa = pa + y * stride + x * 4, *qb = pb + y * stride + x * 4;

            /* Nothing outside the tile's bounds. */
            if (x >= size || y >= size)
              {
                g_assert_cmpuint (qb[3], ==, 0);
                continue;
              }
            opaque += qb[3] == 255;
            for (int c = 0; c < 4; c++)
              off += ABS (qa[c] - qb[c]) > 2;
          }
      g_assert_cmpuint (opaque, ==, (guint) (size * size));
      g_assert_cmpuint (off, <, (guint) (size * size / 1000));
      cairo_surface_destroy (a);
      cairo_surface_destroy (b);
    }

  /* And back. */
  cm_basemap_source_set_cairo_tiles (source, FALSE);
  g_assert_true (GDK_IS_TEXTURE (fill_tile (source, back)));

  g_object_unref (texture_tile);
  g_object_unref (cairo_tile);
  g_object_unref (again);
  g_object_unref (back);
}

/* The view asks for cairo tiles under the cairo renderer (as the tests
 * run); its dark basemap too (test_dark_basemap). */
static void
test_view_cairo_tiles (Fixture       *f,
                       gconstpointer  data)
{
  ShumateViewport *viewport = shumate_map_get_viewport (cm_map_view_get_map (f->view));

  g_assert_true (GSK_IS_CAIRO_RENDERER (gtk_native_get_renderer (GTK_NATIVE (f->window))));
  g_assert_true (cm_basemap_source_get_cairo_tiles (CM_BASEMAP_SOURCE (
                   shumate_viewport_get_reference_map_source (viewport))));
}

static void
test_dark_basemap (Fixture       *f,
                   gconstpointer  data)
{
  AdwStyleManager *manager = adw_style_manager_get_default ();
  ShumateViewport *viewport = shumate_map_get_viewport (cm_map_view_get_map (f->view));

  g_assert_cmpint (cm_basemap_source_get_style (CM_BASEMAP_SOURCE (
                     shumate_viewport_get_reference_map_source (viewport))), ==, CM_BASEMAP_LIGHT);
  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_FORCE_DARK);
  g_assert_cmpint (cm_basemap_source_get_style (CM_BASEMAP_SOURCE (
                     shumate_viewport_get_reference_map_source (viewport))), ==, CM_BASEMAP_DARK);
  g_assert_true (cm_basemap_source_get_cairo_tiles (CM_BASEMAP_SOURCE (
                   shumate_viewport_get_reference_map_source (viewport))));
  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_FORCE_LIGHT);
  g_assert_cmpint (cm_basemap_source_get_style (CM_BASEMAP_SOURCE (
                     shumate_viewport_get_reference_map_source (viewport))), ==, CM_BASEMAP_LIGHT);
}

static int
strcmp_indirect (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* What a scene shows, as sorted text lines: each marker (fill colour,
 * centre, radius) and each text (layer, string, position). Two scenes
 * that show the same map give the same lines. */
static char *
describe_scene (CmScene *scene)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) all = g_string_new (NULL);

  for (guint b = 0; b < cm_scene_get_n_batches (scene); b++)
    {
      CmSceneLayer layer;
      CmScenePaint paint;
      CmColor color;
      guint n;
      const CmSceneShape *shapes;

      cm_scene_get_batch_info (scene, b, &layer, &paint, &color, NULL);
      shapes = cm_scene_get_shapes (scene, b, &n);
      if (layer != CM_SCENE_LAYER_MARKS || paint != CM_SCENE_PAINT_FILL)
        continue;
      for (guint i = 0; i < n; i++)
        g_ptr_array_add (lines, g_strdup_printf ("marker #%02x%02x%02x at %.1f,%.1f r %.1f",
                                                 (int) lround (color.red * 255),
                                                 (int) lround (color.green * 255),
                                                 (int) lround (color.blue * 255),
                                                 shapes[i].x, shapes[i].y, shapes[i].r));
    }
  for (guint t = 0; t < cm_scene_get_n_texts (scene); t++)
    {
      CmRect rect;
      PangoLayout *layout = cm_scene_get_text (scene, t, &rect, NULL);

      g_ptr_array_add (lines, g_strdup_printf ("text %d \"%s\" at %.1f,%.1f w %.1f",
                                               cm_scene_get_text_layer (scene, t),
                                               pango_layout_get_text (layout), rect.x, rect.y, rect.width));
    }
  g_ptr_array_sort (lines, (GCompareFunc) strcmp_indirect);
  for (guint i = 0; i < lines->len; i++)
    g_string_append_printf (all, "%s\n", (char *) g_ptr_array_index (lines, i));
  return g_string_free (g_steal_pointer (&all), FALSE);
}

/* Two filters in a row: the first one's statistics never show, the
 * second's do, with the counts and colours a layout computes for it on
 * the spot. */
static void
test_second_filter_wins (void)
{
  g_autoptr(CmDataset) dataset = load_sample ();
  g_autoptr(CmMapLayout) expected = cm_map_layout_new ();
  Fixture f;
  CmSession *session;
  CmPlaceLayer *layer;
  guint n_changes = 0;
  guint32 russia, us;

  create_view (&f);
  session = f.session;
  layer = cm_map_view_get_place_layer (f.view);
  show_view (&f, dataset, 900, 600);
  /* A small dataset's first statistics come at once. */
  g_assert_true (cm_place_layer_is_current (layer));
  g_signal_connect_swapped (layer, "stats-changed", G_CALLBACK (count_cb), &n_changes);

  russia = cm_dataset_find_group (dataset, "russia");
  us = cm_dataset_find_group (dataset, "us");
  g_assert_cmpuint (russia, !=, CM_NONE);
  g_assert_cmpuint (us, !=, CM_NONE);
  cm_session_set_filter_value (session, CM_FACET_GROUP, russia, TRUE);
  g_assert_false (cm_place_layer_is_current (layer));
  cm_session_set_filter_value (session, CM_FACET_GROUP, russia, FALSE);
  cm_session_set_filter_value (session, CM_FACET_GROUP, us, TRUE);
  g_assert_true (wait_for (layer_current, layer, 30000));
  wait_ms (100);
  g_assert_cmpuint (n_changes, ==, 1);

  cm_map_layout_set_dataset (expected, dataset);
  cm_map_layout_set_filter (expected,
                            cm_filter_get_visible (cm_session_get_filter (session), NULL));
  for (guint p = 0; p < cm_dataset_get_n_places (dataset); p++)
    {
      CmMapLayout *shown = cm_place_layer_get_layout (layer);

      g_assert_cmpuint (cm_place_layer_get_place_weight (layer, p), ==,
                        cm_map_layout_get_place_weight (expected, p));
      g_assert_cmpuint (cm_map_layout_get_place_group (shown, p), ==,
                        cm_map_layout_get_place_group (expected, p));
      g_assert_cmpint (cm_map_layout_is_place_shown (shown, p), ==,
                       cm_map_layout_is_place_shown (expected, p));
    }

  fixture_tear_down (&f, NULL);
}

static gboolean
has_country_names (gpointer data)
{
  CmScene *scene = cm_place_layer_get_scene (data);

  for (guint t = 0; t < cm_scene_get_n_texts (scene); t++)
    if (cm_scene_get_text_layer (scene, t) == CM_SCENE_LAYER_BACKGROUND)
      return TRUE;
  return FALSE;
}

/* Country names come once the offline map's first tile has loaded the
 * basemap in a worker: the window never reads it while it opens. In a
 * fresh process, where nothing has loaded it yet. */
static void
test_country_names_later (void)
{
  g_autoptr(CmDataset) dataset = NULL;
  Fixture f;

  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
      g_test_trap_assert_passed ();
      return;
    }

  dataset = build_dataset ();
  create_view (&f);
  g_assert_null (cm_basemap_peek_default ());
  show_view (&f, dataset, 900, 600);
  g_assert_true (wait_for (has_country_names, cm_map_view_get_place_layer (f.view), 30000));
  g_assert_nonnull (cm_basemap_peek_default ());
  fixture_tear_down (&f, NULL);
}

/* A dataset large enough that its statistics take a worker a while. */
static CmDataset *
build_large_dataset (guint n_events)
{
  CmDatasetBuilder *builder = cm_dataset_builder_new ();
  CmGroup groups[] = { { "red", "Red", 0xc01c28, TRUE }, { "blue", "Blue", 0x1c71d8, TRUE } };
  guint32 actors[2];
  GRand *rand = g_rand_new_with_seed (7);

  cm_dataset_builder_expect_events (builder, n_events);
  for (guint g = 0; g < 2; g++)
    {
      CmActor actor = { groups[g].id, groups[g].name, NULL, NULL, 0, CM_ACTOR_GROUP };

      actor.group = cm_dataset_builder_add_group (builder, &groups[g]);
      actors[g] = cm_dataset_builder_add_actor (builder, &actor, NULL, 0);
    }
  for (guint p = 0; p < 500; p++)
    {
      g_autofree char *id = g_strdup_printf ("p%u", p);
      CmPlace place = { id, id, NULL, NULL, g_rand_double_range (rand, -50, 60),
                        g_rand_double_range (rand, -170, 170) };

      cm_dataset_builder_add_place (builder, &place);
    }
  for (guint e = 0; e < n_events; e++)
    {
      g_autofree char *id = g_strdup_printf ("e%u", e);
      guint32 where = g_rand_int_range (rand, 0, 500);
      CmEvent event = { 0 };

      event.id = id;
      event.title = id;
      event.start.seconds = 1739836800 + g_rand_int_range (rand, 0, 1000) * 86400;
      event.start.precision = CM_PRECISION_DAY;
      event.end = event.start;
      cm_dataset_builder_add_event (builder, &event, &where, 1, &actors[e % 3 == 0], 1,
                                    NULL, 0, NULL, 0, NULL, 0);
    }
  g_rand_free (rand);
  return cm_dataset_builder_finish (builder);
}

/* A large dataset's places appear when their worker is done, never some
 * other dataset's before; a view freed while its worker counts goes away
 * once the worker stops, and nothing touches it after. */
static void
test_free_while_counting (void)
{
  g_autoptr(CmDataset) dataset = build_large_dataset (300000);
  Fixture f;
  CmSession *session;
  CmPlaceLayer *layer;

  create_view (&f);
  session = f.session;
  layer = cm_map_view_get_place_layer (f.view);
  show_view (&f, NULL, 900, 600);

  cm_session_set_dataset (session, dataset);
  g_assert_false (cm_place_layer_is_current (layer));
  g_assert_cmpuint (cm_place_layer_get_n_marks (layer), ==, 0);
  g_assert_true (wait_for (layer_current, layer, 60000));
  g_assert_cmpuint (cm_place_layer_get_n_marks (layer), >, 0);

  /* A filter, and the window closed before its statistics come. */
  g_object_add_weak_pointer (G_OBJECT (layer), (gpointer *) &layer);
  cm_session_set_filter_value (session, CM_FACET_GROUP, 0, TRUE);
  g_assert_false (cm_place_layer_is_current (layer));
  fixture_tear_down (&f, NULL);
  g_assert_true (wait_for (pointer_cleared, &layer, 60000));
}

/* The window's map and the export's map of the sample, at the same view:
 * the same markers, colours and names, drawn by one layout. */
static void
test_export_parity (void)
{
  g_autoptr(CmDataset) dataset = load_sample ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CmBasemap) basemap = cm_basemap_get_default (&error);
  g_autoptr(CmScene) exported = NULL;
  g_autofree char *screen_lines = NULL;
  g_autofree char *export_lines = NULL;
  CmTimelineTheme theme;
  CmExportMapPage page = { 0, };
  Fixture f;
  CmMapView *view;
  CmSession *session;
  CmPlaceLayer *layer;
  double latitude, longitude, zoom;
  int width, height;

  g_autofree char *old_font = NULL;

  g_assert_no_error (error);
  create_view (&f);
  view = f.view;
  session = f.session;
  layer = cm_map_view_get_place_layer (view);
  /* The export lays out text at the window's default size. */
  g_object_get (gtk_settings_get_default (), "gtk-font-name", &old_font, NULL);
  g_object_set (gtk_settings_get_default (), "gtk-font-name", "Cantarell 10", NULL);
  show_view (&f, dataset, 1000, 620);
  wait_ms (200);

  cm_map_view_get_view (view, &latitude, &longitude, &zoom);
  /* Framed at a whole zoom on open, the world not repeated. */
  g_assert_cmpfloat (zoom, ==, floor (zoom));
  width = gtk_widget_get_width (GTK_WIDGET (layer));
  height = gtk_widget_get_height (GTK_WIDGET (layer));
  g_assert_cmpfloat (256 * exp2 (zoom), >=, width);

  cm_timeline_theme_init (&theme, FALSE);
  page.dataset = dataset;
  page.theme = &theme;
  page.font_family = "Cantarell";
  page.font_size = 10;
  page.em = 10 * 96.0 / 72.0;
  exported = _cm_export_map_build (&page, basemap, width, height, FALSE,
                                   &latitude, &longitude, &zoom);

  screen_lines = describe_scene (cm_place_layer_get_scene (layer));
  export_lines = describe_scene (exported);
  g_test_message ("screen:\n%s", screen_lines);
  g_assert_nonnull (strstr (screen_lines, "\"Riyadh\""));
  g_assert_nonnull (strstr (screen_lines, "marker"));
  g_assert_cmpstr (screen_lines, ==, export_lines);

  /* A filter: the map keeps its colours while its worker counts, then
   * shows those of the filter, as the export of the same events does. */
  {
    guint32 russia = cm_dataset_find_group (dataset, "russia");
    g_autofree char *waiting_lines = NULL;
    g_autofree char *filtered_lines = NULL;
    g_autofree char *filtered_export_lines = NULL;
    g_autoptr(CmScene) filtered = NULL;

    cm_session_set_filter_value (session, CM_FACET_GROUP, russia, TRUE);
    g_assert_false (cm_place_layer_is_current (layer));
    waiting_lines = describe_scene (cm_place_layer_get_scene (layer));
    g_assert_cmpstr (waiting_lines, ==, screen_lines);
    g_assert_true (wait_for (layer_current, layer, 30000));

    page.visible = cm_filter_get_visible (cm_session_get_filter (session), NULL);
    filtered = _cm_export_map_build (&page, basemap, width, height, FALSE,
                                     &latitude, &longitude, &zoom);
    filtered_lines = describe_scene (cm_place_layer_get_scene (layer));
    filtered_export_lines = describe_scene (filtered);
    g_test_message ("filtered screen:\n%s", filtered_lines);
    g_assert_cmpstr (filtered_lines, ==, filtered_export_lines);
    g_assert_cmpstr (filtered_lines, !=, screen_lines);
  }

  fixture_tear_down (&f, NULL);
  g_object_set (gtk_settings_get_default (), "gtk-font-name", old_font, NULL);
}

/* Every marker of @exact is where @layer has it. */
static void
assert_marks_match (CmPlaceLayer *layer,
                    CmMapLayout  *exact)
{
  CmMapLayout *moved = cm_place_layer_get_layout (layer);
  guint n_exact, n_moved;
  const CmMapMark *want = cm_map_layout_get_marks (exact, &n_exact);
  const CmMapMark *have = cm_map_layout_get_marks (moved, &n_moved);

  g_assert_cmpuint (n_exact, >, 0);
  for (guint i = 0; i < n_exact; i++)
    {
      int m = cm_map_layout_find_place_mark (moved, want[i].place);

      g_assert_cmpint (m, >=, 0);
      g_assert_cmpuint (have[m].place, ==, want[i].place);
      g_assert_cmpuint (have[m].n_places, ==, want[i].n_places);
      g_assert_cmpuint (have[m].color, ==, want[i].color);
      g_assert_cmpfloat_with_epsilon (have[m].x, want[i].x, 1e-3);
      g_assert_cmpfloat_with_epsilon (have[m].y, want[i].y, 1e-3);
      g_assert_cmpfloat_with_epsilon (have[m].radius, want[i].radius, 1e-6);
    }
}

/* Panned, the layer moves its last layout instead of laying out again: its markers are where a fresh layout puts them, and
 * once it rests it is laid out for the view alone (the export's scene). */
static void
test_drag_moves_layout (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "samples",
                                                 "riyadh-talks-2025.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(CmDataset) dataset = cm_loader_load_file (file, NULL, &error);
  g_autoptr(CmSession) session = cm_session_new ();
  g_autoptr(CmScene) scene = cm_scene_new (1, 1);
  g_autoptr(CmMapLayout) exact = cm_map_layout_new ();
  CmMapView *view = cm_map_view_new ();
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  CmPlaceLayer *layer = cm_map_view_get_place_layer (view);
  ShumateViewport *viewport = shumate_layer_get_viewport (SHUMATE_LAYER (layer));
  Fixture f = { window, view, session };
  double x0, y0, world, zoom;
  int width, height;

  g_assert_no_error (error);
  cm_map_view_set_session (view, session);
  cm_session_set_dataset (session, dataset);
  gtk_window_set_default_size (window, 900, 600);
  gtk_window_set_child (window, GTK_WIDGET (view));
  gtk_window_present (window);
  g_assert_true (wait_for (view_ready, &f, 5000));
  wait_ms (200);

  /* At zoom 3 the world (2048 pixels) is wide enough for the margin. */
  zoom = 3;
  world = 256 * exp2 (zoom);
  width = gtk_widget_get_width (GTK_WIDGET (layer));
  height = gtk_widget_get_height (GTK_WIDGET (layer));
  shumate_viewport_set_zoom_level (viewport, zoom);
  x0 = cm_mercator_x (20) * world;
  y0 = cm_mercator_y (45) * world;
  cm_map_layout_set_dataset (exact, dataset);

  for (int step = 0; step <= 12; step++)
    {
      /* East and a little north, 23 and 7 pixels a step, and then by
       * fractions (a glide): some steps move the laid-out margin, some
       * lay out again. */
      double shift = step <= 6 ? step : 6 + (step - 6) * 1.37;
      double latitude = cm_mercator_latitude ((y0 - 7 * shift) / world);
      double longitude = cm_mercator_longitude ((x0 + 23 * shift) / world);

      shumate_location_set_location (SHUMATE_LOCATION (viewport), latitude, longitude);
      cm_map_layout_set_viewport (exact, latitude, longitude, zoom, width, height);
      cm_map_layout_build (exact, scene);
      assert_marks_match (layer, exact);
    }
  /* At rest: laid out for the view alone, the same markers. */
  cm_place_layer_get_scene (layer);
  assert_marks_match (layer, exact);
  {
    guint n_exact, n_layer;

    cm_map_layout_get_marks (exact, &n_exact);
    cm_map_layout_get_marks (cm_place_layer_get_layout (layer), &n_layer);
    g_assert_cmpuint (n_layer, ==, n_exact);
  }

  gtk_window_destroy (window);
}

static cairo_surface_t *
draw_scene_nodes (CmScene *scene,
                  int      scale)
{
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 120 * scale,
                                                         80 * scale);
  cairo_t *cr = cairo_create (surface);

  cm_scene_snapshot_scaled (snapshot, scene, scale);
  node = gtk_snapshot_free_to_node (snapshot);
  cairo_scale (cr, scale, scale);
  gsk_render_node_draw (node, cr);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  return surface;
}

/* A stamped layer (a marker with its outline and count, a name on its
 * pill, each one image) looks as the same layer drawn node by node, at 1x
 * and at 2x; a stray outline or text stays drawn. */
static void
test_stamped_layer (void)
{
  for (int scale = 1; scale <= 2; scale++)
    {
      g_autoptr(CmScene) scene = cm_scene_new (120, 80);
      PangoContext *context = gtk_widget_create_pango_context (GTK_WIDGET (gtk_label_new ("")));
      g_autoptr(PangoLayout) count = pango_layout_new (context);
      g_autoptr(PangoLayout) name = pango_layout_new (context);
      const CmColor red = { 0.9f, 0.1f, 0.1f, 0.9f }, white = { 1, 1, 1, 1 };
      const CmColor pill = { 0.9f, 0.9f, 0.9f, 0.8f }, ink = { 0, 0, 0, 0.8f };
      cairo_surface_t *plain = NULL, *stamped = NULL;
      PangoRectangle logical;
      guint64 differ = 0, painted = 0;

      pango_layout_set_text (count, "12", -1);
      pango_layout_set_text (name, "Great Falls", -1);
      for (int pass = 0; pass < 2; pass++)
        {
          cm_scene_reset (scene, 120, 80);
          cm_scene_set_stamped (scene, CM_SCENE_LAYER_MARKS, pass == 1);
          cm_scene_set_stamped (scene, CM_SCENE_LAYER_LABELS, pass == 1);
          cm_scene_add_circle (scene, cm_scene_batch (scene, CM_SCENE_LAYER_MARKS,
                                                      CM_SCENE_PAINT_FILL, &red, 0),
                               20.3, 20.6, 12.2);
          cm_scene_add_circle (scene, cm_scene_batch (scene, CM_SCENE_LAYER_MARKS,
                                                      CM_SCENE_PAINT_STROKE, &white, 1.75),
                               20.3, 20.6, 12.2);
          /* An outline on nothing: drawn alone. */
          cm_scene_add_circle (scene, cm_scene_batch (scene, CM_SCENE_LAYER_MARKS,
                                                      CM_SCENE_PAINT_STROKE, &ink, 1.75),
                               90, 20, 6);
          pango_layout_get_pixel_extents (count, NULL, &logical);
          cm_scene_add_text (scene, CM_SCENE_LAYER_MARKS, &white, count,
                             round (20.3 - logical.width / 2.0),
                             round (20.6 - logical.height / 2.0));
          pango_layout_get_pixel_extents (name, NULL, &logical);
          cm_scene_add_rect (scene, cm_scene_batch (scene, CM_SCENE_LAYER_LABELS,
                                                    CM_SCENE_PAINT_FILL, &pill, 0),
                             36, 46, logical.width + 8, logical.height + 2,
                             (logical.height + 2) / 2.0);
          cm_scene_add_text (scene, CM_SCENE_LAYER_LABELS, &ink, name, 40, 47);
          if (pass == 0)
            plain = draw_scene_nodes (scene, scale);
          else
            stamped = draw_scene_nodes (scene, scale);
        }

      for (int y = 0; y < 80 * scale; y++)
        for (int x = 0; x < 120 * scale; x++)
          {
            const guint8 *a = cairo_image_surface_get_data (plain)
                              + y * cairo_image_surface_get_stride (plain) + 4 * x;
            const guint8 *b = cairo_image_surface_get_data (stamped)
                              + y * cairo_image_surface_get_stride (stamped) + 4 * x;
            int worst = 0;

            for (int c = 0; c < 4; c++)
              worst = MAX (worst, abs (a[c] - b[c]));
            painted += a[3] > 0;
            /* Antialiasing and a shape's sub-pixel placement differ. */
            differ += worst > 96;
          }
      g_test_message ("%d: %lu of %lu pixels differ", scale, (gulong) differ, (gulong) painted);
      g_assert_cmpuint (painted, >, 1000 * scale * scale);
      g_assert_cmpuint (differ, <, painted / 50);
      cairo_surface_destroy (plain);
      cairo_surface_destroy (stamped);
      g_object_unref (context);
    }
}

static GPtrArray *
get_markers (CmPlaceLayer *layer)
{
  GPtrArray *markers = g_ptr_array_new ();

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (layer)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (CM_IS_PLACE_MARKER (child) && gtk_widget_get_visible (child))
      g_ptr_array_add (markers, child);
  return markers;
}

static CmPlaceMarker *
find_marker (GPtrArray  *markers,
             const char *label)
{
  for (guint i = 0; i < markers->len; i++)
    if (g_strcmp0 (cm_place_marker_get_label (g_ptr_array_index (markers, i)), label) == 0)
      return g_ptr_array_index (markers, i);
  return NULL;
}

/* The accessible markers follow the drawn marks a frame or two later (later
 * still on a loaded machine): one for each mark, Riyadh's over Riyadh. */
static gboolean
markers_settled (gpointer data)
{
  CmPlaceLayer *layer = data;
  g_autoptr(GPtrArray) markers = get_markers (layer);
  CmPlaceMarker *riyadh = find_marker (markers, "Riyadh, 1 event");
  graphene_rect_t bounds;
  double x, y;

  if (cm_place_layer_get_n_marks (layer) == 0 || markers->len != cm_place_layer_get_n_marks (layer) ||
      riyadh == NULL || !gtk_widget_compute_bounds (GTK_WIDGET (riyadh), GTK_WIDGET (layer), &bounds))
    return FALSE;
  cm_place_layer_get_place_position (layer, RIYADH, &x, &y);
  return graphene_rect_contains_point (&bounds, &GRAPHENE_POINT_INIT (x, y));
}

/* Each marker on screen is in the accessibility tree with a name, Tab
 * reaches the markers, arrows move between them, Enter selects. */
static void
test_accessible_markers (Fixture       *f,
                         gconstpointer  data)
{
  CmPlaceLayer *layer = cm_map_view_get_place_layer (f->view);
  g_autoptr(GPtrArray) markers = NULL;
  CmPlaceMarker *riyadh, *ankara, *kyiv;
  GtkWidget *focus;
  graphene_rect_t bounds;
  double x, y;

  g_assert_true (wait_for (markers_settled, layer, 10000));
  markers = get_markers (layer);
  g_assert_cmpuint (markers->len, ==, cm_place_layer_get_n_marks (layer));
  riyadh = find_marker (markers, "Riyadh, 1 event");
  ankara = find_marker (markers, "Ankara, 1 event");
  kyiv = find_marker (markers, "Kyiv, 2 events");
  g_assert_nonnull (riyadh);
  g_assert_nonnull (ankara);
  g_assert_nonnull (kyiv);
  g_assert_true (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (riyadh))
                 == GTK_ACCESSIBLE_ROLE_BUTTON);

  /* Over its marker, for screen readers that show where it is. */
  g_assert_true (gtk_widget_compute_bounds (GTK_WIDGET (riyadh), GTK_WIDGET (layer), &bounds));
  cm_place_layer_get_place_position (layer, RIYADH, &x, &y);
  g_assert_true (graphene_rect_contains_point (&bounds, &GRAPHENE_POINT_INIT (x, y)));

  /* Tab from the map goes to a marker. */
  gtk_widget_grab_focus (GTK_WIDGET (f->view));
  for (guint i = 0; i < 4; i++)
    {
      focus = gtk_root_get_focus (GTK_ROOT (f->window));
      if (CM_IS_PLACE_MARKER (focus))
        break;
      gtk_widget_child_focus (GTK_WIDGET (f->window), GTK_DIR_TAB_FORWARD);
    }
  focus = gtk_root_get_focus (GTK_ROOT (f->window));
  g_assert_true (CM_IS_PLACE_MARKER (focus));

  /* Arrows: Kyiv is north of Ankara, Riyadh south-east of it. */
  gtk_widget_grab_focus (GTK_WIDGET (ankara));
  g_signal_emit_by_name (ankara, "move", GTK_DIR_UP);
  g_assert_true (gtk_root_get_focus (GTK_ROOT (f->window)) == GTK_WIDGET (kyiv));
  g_signal_emit_by_name (kyiv, "move", GTK_DIR_DOWN);
  g_assert_true (gtk_root_get_focus (GTK_ROOT (f->window)) == GTK_WIDGET (ankara));

  /* Enter selects the place. */
  g_assert_true (gtk_widget_activate (GTK_WIDGET (ankara)));
  g_assert_cmpint (cm_session_get_selection_kind (f->session), ==, CM_SELECTION_PLACE);
  g_assert_cmpuint (cm_session_get_selection_index (f->session), ==, ANKARA);
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("CHRONOMAP_OSM_URL", "http://127.0.0.1:9/{z}/{x}/{y}.png", TRUE);
  g_test_init (&argc, &argv, NULL);
  gtk_init ();
  adw_init ();
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_LIGHT);

#define ADD(path, func) \
  g_test_add ("/map-view/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("frames-places", test_frames_places);
  ADD ("click-selects", test_click_selects);
  ADD ("selection-pans", test_selection_pans);
  ADD ("cluster-click-zooms", test_cluster_click_zooms);
  ADD ("keyboard-actions", test_keyboard_actions);
  ADD ("osm-fallback", test_osm_fallback);
  ADD ("view-cairo-tiles", test_view_cairo_tiles);
  ADD ("dark-basemap", test_dark_basemap);
  ADD ("accessible-markers", test_accessible_markers);
#undef ADD
  g_test_add_func ("/map-view/offline-tiles", test_offline_tiles);
  g_test_add_func ("/map-view/cairo-tiles", test_cairo_tiles);
  g_test_add_func ("/map-view/country-names-later", test_country_names_later);
  g_test_add_func ("/map-view/export-parity", test_export_parity);
  g_test_add_func ("/map-view/second-filter-wins", test_second_filter_wins);
  g_test_add_func ("/map-view/free-while-counting", test_free_while_counting);
  g_test_add_func ("/map-view/drag-moves-layout", test_drag_moves_layout);
  g_test_add_func ("/map-view/stamped-layer", test_stamped_layer);

  return g_test_run ();
}
