/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-place-layer"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "cm-background.h"
#include "cm-map-layout.h"
#include "cm-mercator.h"
#include "cm-place-layer.h"
#include "cm-place-marker.h"
#include "cm-scene-snapshot.h"
#include "cm-sort.h"

/* The place layer draws the map layout's scene: every decision (colours,
 * clusters, names) is the layout's, so the export shows the same map. */

#define HIT_SLOP    4.0
/* Markers in the accessibility tree and the focus chain at most: those on
 * screen, selected and busiest first. */
#define MAX_MARKERS 64
#define RING_ROOM   6.0     /* the focus ring's reach beyond a marker */
#define SYNC_DELAY_MS 150
/* Datasets up to this many events get their first statistics at once. */
#define SYNC_STATS_EVENTS 20000
/* A pan (a drag, a glide) moves what was laid out this far beyond the
 * view's edges, laying out again only when it has moved further (or the
 * map rests). */
#define PAN_MARGIN  256.0

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
  gboolean       scene_margin;  /* laid out with PAN_MARGIN, for a drag */
  double         offset_x;      /* how far the scene moved since it was laid out */
  double         offset_y;
  GskRenderNode *scene_node;    /* the scene's nodes, made once per layout */
  int            node_scale;
  guint          generation;
  gboolean       country_names;
  GPtrArray     *markers;       /* CmPlaceMarker pool, children of the layer */
  guint          sync_source;   /* timeout that matches the pool to the markers */
  SceneKey       synced_key;    /* the scene the pool was last matched to */
  GCancellable  *stats_cancellable; /* of the worker making the layout's statistics */
};

enum {
  SIGNAL_MARK_ACTIVATED,
  SIGNAL_STATS_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (CmPlaceLayer, cm_place_layer, SHUMATE_TYPE_LAYER)

static void queue_sync (CmPlaceLayer *self);
static void request_stats (CmPlaceLayer *self);

static void
invalidate (CmPlaceLayer *self)
{
  self->generation++;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  queue_sync (self);
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

/* Whether only the centre moved from @a to @b, and how far the scene
 * moves with it. */
static gboolean
get_pan (const SceneKey *a,
         const SceneKey *b,
         double         *dx,
         double         *dy)
{
  double world = cm_mercator_world_size (a->zoom, 256);

  if (a->zoom != b->zoom || a->width != b->width || a->height != b->height
      || a->generation != b->generation)
    return FALSE;
  *dx = (cm_mercator_x (a->longitude) - cm_mercator_x (b->longitude)) * world;
  *dx -= world * round (*dx / world);
  *dy = (cm_mercator_y (a->latitude) - cm_mercator_y (b->latitude)) * world;
  return TRUE;
}

/* The layout's inputs from the widget: viewport, size, colours, font.
 * While the map is dragged, the last layout moves with it; once it rests
 * (@exact), it is laid out for the view alone, as an export would be. */
static void
update_layout_full (CmPlaceLayer *self,
                    gboolean      exact)
{
  GtkWidget *widget = GTK_WIDGET (self);
  ShumateViewport *viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));
  SceneKey key;
  PangoFontDescription *font;
  g_autofree char *font_name = NULL;
  CmMapTheme theme;
  GdkRGBA fg;
  double dx, dy;
  gboolean panned;

  /* Compared with memcmp: no stray bytes in the padding. */
  memset (&key, 0, sizeof key);
  key.zoom = shumate_viewport_get_zoom_level (viewport);
  key.latitude = shumate_location_get_latitude (SHUMATE_LOCATION (viewport));
  key.longitude = shumate_location_get_longitude (SHUMATE_LOCATION (viewport));
  key.width = gtk_widget_get_width (widget);
  key.height = gtk_widget_get_height (widget);
  key.generation = self->generation;
  if (self->scene_valid && memcmp (&key, &self->scene_key, sizeof key) == 0
      && !(exact && self->scene_margin))
    return;

  panned = self->scene_valid && get_pan (&self->scene_key, &key, &dx, &dy);
  if (panned && !exact && self->scene_margin && fabs (self->offset_x + dx) <= PAN_MARGIN
      && fabs (self->offset_y + dy) <= PAN_MARGIN)
    {
      cm_map_layout_translate (self->layout, dx, dy, key.latitude, key.longitude);
      self->offset_x += dx;
      self->offset_y += dy;
      self->scene_key = key;
      queue_sync (self);
      return;
    }

  get_foreground (widget, &fg);
  cm_map_theme_init (&theme, 0.2126 * fg.red + 0.7152 * fg.green + 0.0722 * fg.blue > 0.5);
  theme.foreground = (CmColor) { fg.red, fg.green, fg.blue, fg.alpha };
  cm_map_layout_set_theme (self->layout, &theme);
  font = pango_context_get_font_description (gtk_widget_get_pango_context (widget));
  font_name = pango_font_description_to_string (font);
  cm_map_layout_set_font (self->layout, font_name);
  cm_map_layout_set_viewport (self->layout, key.latitude, key.longitude, key.zoom,
                              key.width, key.height);
  /* A margin only where the world is wide enough that no place shows twice. */
  self->scene_margin = panned && !exact
                       && cm_mercator_world_size (key.zoom, 256) >= key.width + 2 * PAN_MARGIN;
  cm_map_layout_set_margin (self->layout, self->scene_margin ? PAN_MARGIN : 0);
  cm_map_layout_build (self->layout, self->scene);
  g_clear_pointer (&self->scene_node, gsk_render_node_unref);
  self->offset_x = self->offset_y = 0;
  self->scene_key = key;
  self->scene_valid = TRUE;
  queue_sync (self);
}

static void
update_layout (CmPlaceLayer *self)
{
  update_layout_full (self, FALSE);
}

/* Accessible markers ------------------------------------------------------ */

static int
compare_marks_for_focus (gconstpointer a,
                         gconstpointer b,
                         gpointer      user_data)
{
  const CmMapMark *marks = user_data;

  return cm_map_mark_compare (&marks[*(const guint *) a], &marks[*(const guint *) b]);
}

static void
marker_activate_cb (CmPlaceMarker *marker,
                    CmPlaceLayer  *self)
{
  int mark = cm_map_layout_find_place_mark (self->layout, cm_place_marker_get_place (marker));

  if (mark >= 0)
    g_signal_emit (self, signals[SIGNAL_MARK_ACTIVATED], 0, (guint) mark);
}

/* The nearest marker in @direction: ahead of the focused one, closer
 * counting double what lies off to the side. */
static void
marker_move_cb (CmPlaceMarker    *from,
                GtkDirectionType  direction,
                CmPlaceLayer     *self)
{
  graphene_rect_t here;
  CmPlaceMarker *best = NULL;
  double best_score = G_MAXDOUBLE;

  if (!gtk_widget_compute_bounds (GTK_WIDGET (from), GTK_WIDGET (self), &here))
    return;
  for (guint i = 0; i < self->markers->len; i++)
    {
      CmPlaceMarker *other = g_ptr_array_index (self->markers, i);
      graphene_rect_t there;
      double dx, dy, ahead, aside;

      if (other == from || !gtk_widget_get_visible (GTK_WIDGET (other))
          || !gtk_widget_compute_bounds (GTK_WIDGET (other), GTK_WIDGET (self), &there))
        continue;
      dx = (there.origin.x + there.size.width / 2) - (here.origin.x + here.size.width / 2);
      dy = (there.origin.y + there.size.height / 2) - (here.origin.y + here.size.height / 2);
      ahead = direction == GTK_DIR_LEFT ? -dx : direction == GTK_DIR_RIGHT ? dx
              : direction == GTK_DIR_UP ? -dy : dy;
      aside = direction == GTK_DIR_LEFT || direction == GTK_DIR_RIGHT ? fabs (dy) : fabs (dx);
      if (ahead <= 0)
        continue;
      if (ahead + 2 * aside < best_score)
        {
          best_score = ahead + 2 * aside;
          best = other;
        }
    }
  if (best != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (best));
  else
    gtk_widget_error_bell (GTK_WIDGET (self));
}

/* Puts a pool marker over each marker on screen (up to MAX_MARKERS), the
 * focused one staying with its place as the map moves. */
static void
sync_markers (CmPlaceLayer *self)
{
  guint n_marks, n_wanted;
  const CmMapMark *marks = cm_map_layout_get_marks (self->layout, &n_marks);
  g_autofree guint *order = g_new (guint, MAX (n_marks, 1));
  g_autofree gboolean *taken = NULL;
  g_autoptr(GPtrArray) free_markers = g_ptr_array_new ();

  for (guint i = 0; i < n_marks; i++)
    order[i] = i;
  cm_sort_array (order, n_marks, sizeof (guint), compare_marks_for_focus, (gpointer) marks);
  n_wanted = MIN (n_marks, MAX_MARKERS);
  taken = g_new0 (gboolean, MAX (n_marks, 1));

  while (self->markers->len < n_wanted)
    {
      GtkWidget *marker = cm_place_marker_new ();

      g_signal_connect_object (marker, "activate", G_CALLBACK (marker_activate_cb), self, 0);
      g_signal_connect_object (marker, "move", G_CALLBACK (marker_move_cb), self, 0);
      gtk_widget_set_parent (marker, GTK_WIDGET (self));
      g_ptr_array_add (self->markers, marker);
    }

  /* Markers whose place is still drawn keep it (and their focus). */
  for (guint i = 0; i < self->markers->len; i++)
    {
      CmPlaceMarker *marker = g_ptr_array_index (self->markers, i);
      int mark = cm_map_layout_find_place_mark (self->layout, cm_place_marker_get_place (marker));

      if (mark >= 0 && marks[mark].place == cm_place_marker_get_place (marker) && !taken[mark])
        taken[mark] = TRUE;
      else
        g_ptr_array_add (free_markers, marker);
    }
  for (guint k = 0, f = 0; k < n_wanted && f < free_markers->len; k++)
    {
      guint mark = order[k];

      if (taken[mark])
        continue;
      cm_place_marker_set_place (g_ptr_array_index (free_markers, f++), marks[mark].place);
      taken[mark] = TRUE;
    }
  for (guint i = 0; i < self->markers->len; i++)
    {
      CmPlaceMarker *marker = g_ptr_array_index (self->markers, i);
      int mark = cm_map_layout_find_place_mark (self->layout, cm_place_marker_get_place (marker));
      gboolean shown = mark >= 0 && marks[mark].place == cm_place_marker_get_place (marker);

      if (!shown)
        cm_place_marker_set_place (marker, G_MAXUINT32);
      gtk_widget_set_visible (GTK_WIDGET (marker), shown);
      if (shown)
        {
          g_autofree char *label = cm_map_layout_describe_mark (self->layout, (guint) mark);

          cm_place_marker_set_label (marker, label);
        }
    }
}

/* Widgets are added, shown and hidden outside of size allocation, where
 * that is not allowed: in an idle after each change of the markers. */
static gboolean
sync_markers_cb (gpointer user_data)
{
  CmPlaceLayer *self = user_data;

  self->sync_source = 0;
  update_layout_full (self, TRUE);
  if (memcmp (&self->synced_key, &self->scene_key, sizeof (SceneKey)) == 0)
    return G_SOURCE_REMOVE;
  self->synced_key = self->scene_key;
  sync_markers (self);
  gtk_widget_queue_allocate (GTK_WIDGET (self));
  return G_SOURCE_REMOVE;
}

/* Once the map rests: relaying out widgets each frame of a pan or an
 * animation would stall them. The focus ring follows the map meanwhile,
 * drawn by the layer. */
static void
queue_sync (CmPlaceLayer *self)
{
  g_clear_handle_id (&self->sync_source, g_source_remove);
  self->sync_source = g_timeout_add (SYNC_DELAY_MS, sync_markers_cb, self);
}

static void
cm_place_layer_size_allocate (GtkWidget *widget,
                              int        width,
                              int        height,
                              int        baseline)
{
  CmPlaceLayer *self = CM_PLACE_LAYER (widget);
  guint n_marks;
  const CmMapMark *marks;

  if (GTK_WIDGET_CLASS (cm_place_layer_parent_class)->size_allocate != NULL)
    GTK_WIDGET_CLASS (cm_place_layer_parent_class)->size_allocate (widget, width, height,
                                                                    baseline);
  update_layout (self);
  marks = cm_map_layout_get_marks (self->layout, &n_marks);
  for (guint i = 0; i < self->markers->len; i++)
    {
      GtkWidget *marker = g_ptr_array_index (self->markers, i);
      int mark = cm_map_layout_find_place_mark (self->layout,
                                                cm_place_marker_get_place (CM_PLACE_MARKER (marker)));
      double r;

      if (!gtk_widget_get_visible (marker))
        continue;
      if (mark < 0 || marks[mark].place != cm_place_marker_get_place (CM_PLACE_MARKER (marker)))
        {
          /* Until the next sync: out of the way. */
          gtk_widget_size_allocate (marker, &(GtkAllocation) { -1, -1, 0, 0 }, -1);
          continue;
        }
      r = marks[mark].radius + (marks[mark].highlighted ? 7.0 : 0) + RING_ROOM;
      gtk_widget_size_allocate (marker,
                                &(GtkAllocation) { (int) floor (marks[mark].x - r),
                                                   (int) floor (marks[mark].y - r),
                                                   (int) ceil (2 * r), (int) ceil (2 * r) },
                                -1);
    }
}

/* The ring of the marker focused from the keyboard, where its marker is
 * now (its stand-in widget moves only once the map rests). */
static void
snapshot_focus (CmPlaceLayer *self,
                GtkSnapshot  *snapshot)
{
  GtkWidget *focus = gtk_root_get_focus (gtk_widget_get_root (GTK_WIDGET (self)));
  const CmMapMark *marks;
  guint n_marks;
  int mark;
  double r;
  graphene_rect_t bounds;
  GskRoundedRect ring;
  GdkRGBA color;
  float widths[4] = { 2, 2, 2, 2 };

  if (focus == NULL || !CM_IS_PLACE_MARKER (focus) || gtk_widget_get_parent (focus) != GTK_WIDGET (self)
      || !gtk_widget_has_visible_focus (focus))
    return;
  mark = cm_map_layout_find_place_mark (self->layout,
                                        cm_place_marker_get_place (CM_PLACE_MARKER (focus)));
  if (mark < 0)
    return;
  marks = cm_map_layout_get_marks (self->layout, &n_marks);
  r = marks[mark].radius + (marks[mark].highlighted ? 7.0 : 0) + RING_ROOM - 2;
  bounds = GRAPHENE_RECT_INIT (marks[mark].x - r, marks[mark].y - r, 2 * r, 2 * r);
  gsk_rounded_rect_init_from_rect (&ring, &bounds, r);
  get_foreground (GTK_WIDGET (self), &color);
  gtk_snapshot_append_border (snapshot, &ring, widths,
                              (GdkRGBA[4]) { color, color, color, color });
}

static void
append_visible (GtkSnapshot           *snapshot,
                GskRenderNode         *node,
                const graphene_rect_t *view)
{
  graphene_rect_t bounds;

  if (gsk_render_node_get_node_type (node) == GSK_CONTAINER_NODE)
    {
      for (guint i = 0; i < gsk_container_node_get_n_children (node); i++)
        append_visible (snapshot, gsk_container_node_get_child (node, i), view);
      return;
    }
  gsk_render_node_get_bounds (node, &bounds);
  if (graphene_rect_intersection (&bounds, view, NULL))
    gtk_snapshot_append_node (snapshot, node);
}

static void
cm_place_layer_snapshot (GtkWidget   *widget,
                         GtkSnapshot *snapshot)
{
  CmPlaceLayer *self = CM_PLACE_LAYER (widget);

  int scale = gtk_widget_get_scale_factor (widget);

  update_layout (self);
  if (self->scene_node == NULL || self->node_scale != scale)
    {
      GtkSnapshot *scene_snapshot = gtk_snapshot_new ();

      g_clear_pointer (&self->scene_node, gsk_render_node_unref);
      cm_scene_snapshot_scaled (scene_snapshot, self->scene, scale);
      self->scene_node = gtk_snapshot_free_to_node (scene_snapshot);
      self->node_scale = scale;
    }
  if (self->scene_node != NULL && !self->scene_margin)
    gtk_snapshot_append_node (snapshot, self->scene_node);
  else if (self->scene_node != NULL)
    {
      double width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
      GskRenderNode *node = self->scene_node;

      /* The scene's own clip is the view it was laid out for; what lay
       * beyond is wanted now. Only what reaches the view: the cairo
       * renderer would draw the rest. */
      if (gsk_render_node_get_node_type (node) == GSK_CLIP_NODE)
        node = gsk_clip_node_get_child (node);
      gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
      gtk_snapshot_save (snapshot);
      /* On whole pixels, as the images were made: a fraction of a pixel
       * off while the map glides, laid out exactly once it rests. */
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (round (self->offset_x),
                                                              round (self->offset_y)));
      append_visible (snapshot, node,
                      &GRAPHENE_RECT_INIT (-round (self->offset_x), -round (self->offset_y),
                                           width, height));
      gtk_snapshot_restore (snapshot);
      gtk_snapshot_pop (snapshot);
    }
  snapshot_focus (self, snapshot);
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

  /* As laid out for the view alone, the export's way. */
  update_layout_full (self, TRUE);
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

char *
cm_place_layer_get_tooltip (CmPlaceLayer *self,
                            double        x,
                            double        y)
{
  CmDataset *dataset;
  CmPlacePick pick;

  g_return_val_if_fail (CM_IS_PLACE_LAYER (self), NULL);

  dataset = cm_map_layout_get_dataset (self->layout);
  if (dataset == NULL || !cm_place_layer_pick (self, x, y, &pick))
    return NULL;

  if (pick.n_places == 1)
    {
      guint32 group = cm_map_layout_get_place_group (self->layout, pick.place);
      g_autofree char *count =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s — %u event", "%s — %u events",
                                      pick.weight),
                         cm_dataset_get_place (dataset, pick.place)->name, pick.weight);

      /* The colour rule, where the colour is looked at. */
      if (group == CM_NONE)
        return g_steal_pointer (&count);
      /* Translators: a map marker's tooltip: "Riyadh — 7 events", then the group */
      return g_strdup_printf (_("%s\nIn the colour of %s, the group with the most events here"),
                              count, cm_dataset_get_group (dataset, group)->name);
    }
  else
    {
      g_autofree char *places = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u place",
                                                              "%u places", pick.n_places),
                                                 pick.n_places);

      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s, %u event — zoom in to see them",
                                           "%s, %u events — zoom in to see them", pick.weight),
                              places, pick.weight);
    }
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
cm_place_layer_dispose (GObject *object)
{
  CmPlaceLayer *self = CM_PLACE_LAYER (object);

  g_clear_handle_id (&self->sync_source, g_source_remove);
  g_cancellable_cancel (self->stats_cancellable);
  g_clear_object (&self->stats_cancellable);
  if (self->markers != NULL)
    {
      for (guint i = 0; i < self->markers->len; i++)
        gtk_widget_unparent (g_ptr_array_index (self->markers, i));
      g_ptr_array_set_size (self->markers, 0);
    }

  G_OBJECT_CLASS (cm_place_layer_parent_class)->dispose (object);
}

static void
cm_place_layer_finalize (GObject *object)
{
  CmPlaceLayer *self = CM_PLACE_LAYER (object);

  g_clear_pointer (&self->markers, g_ptr_array_unref);
  g_clear_pointer (&self->layout, cm_map_layout_free);
  g_clear_pointer (&self->scene, cm_scene_free);
  g_clear_pointer (&self->scene_node, gsk_render_node_unref);

  G_OBJECT_CLASS (cm_place_layer_parent_class)->finalize (object);
}

static void
cm_place_layer_class_init (CmPlaceLayerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = cm_place_layer_constructed;
  object_class->dispose = cm_place_layer_dispose;
  object_class->finalize = cm_place_layer_finalize;

  widget_class->snapshot = cm_place_layer_snapshot;
  widget_class->size_allocate = cm_place_layer_size_allocate;

  /* The colours and counts are now those of the dataset and filter set
   * (the statistics came from their worker). */
  signals[SIGNAL_STATS_CHANGED] = g_signal_new ("stats-changed", G_TYPE_FROM_CLASS (klass),
                                                G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                                G_TYPE_NONE, 0);
  /* A marker was activated from the keyboard (Enter on its stand-in). */
  signals[SIGNAL_MARK_ACTIVATED] = g_signal_new ("mark-activated", G_TYPE_FROM_CLASS (klass),
                                                 G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                                 G_TYPE_NONE, 1, G_TYPE_UINT);
  widget_class->system_setting_changed = cm_place_layer_system_setting_changed;
  widget_class->css_changed = cm_place_layer_css_changed;

  gtk_widget_class_set_css_name (widget_class, "cm-place-layer");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
cm_place_layer_init (CmPlaceLayer *self)
{
  self->layout = cm_map_layout_new ();
  /* Colours and counts come from a worker: a new filter at a million
   * events never stalls the window. */
  cm_map_layout_set_async_stats (self->layout, TRUE);
  self->scene = cm_scene_new (1, 1);
  self->markers = g_ptr_array_new ();
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Places on the map"), -1);
  self->generation = 1;

}

/* Statistics ------------------------------------------------------------- */

typedef struct
{
  CmDataset *dataset;
  guint64   *visible;
} StatsRequest;

static void
stats_request_free (gpointer data)
{
  StatsRequest *request = data;

  g_object_unref (request->dataset);
  g_free (request->visible);
  g_free (request);
}

static void
stats_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  StatsRequest *request = task_data;
  CmMapStats *stats;

  cm_thread_set_background ();
  stats = cm_map_stats_new (request->dataset, request->visible, cancellable);

  if (stats == NULL)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Cancelled");
  else
    g_task_return_pointer (task, stats, (GDestroyNotify) cm_map_stats_free);
}

static void
stats_ready_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  CmPlaceLayer *self = CM_PLACE_LAYER (source);
  CmMapStats *stats = g_task_propagate_pointer (G_TASK (result), NULL);

  /* Cancelled: the layer is gone, or a newer request replaced it. */
  if (stats == NULL || g_task_get_cancellable (G_TASK (result)) != self->stats_cancellable)
    {
      g_clear_pointer (&stats, cm_map_stats_free);
      return;
    }
  g_clear_object (&self->stats_cancellable);
  if (cm_map_layout_set_stats (self->layout, stats))
    {
      invalidate (self);
      g_signal_emit (self, signals[SIGNAL_STATS_CHANGED], 0);
    }
}

/* Makes the statistics of the layout's dataset and filter in a worker,
 * over a copy of them, replacing any request still running. */
static void
request_stats (CmPlaceLayer *self)
{
  g_autoptr(GTask) task = NULL;
  StatsRequest *request;
  CmDataset *dataset = cm_map_layout_get_dataset (self->layout);
  const guint64 *visible = cm_map_layout_get_filter (self->layout);

  g_cancellable_cancel (self->stats_cancellable);
  g_clear_object (&self->stats_cancellable);
  if (!cm_map_layout_needs_stats (self->layout))
    return;

  request = g_new0 (StatsRequest, 1);
  request->dataset = g_object_ref (dataset);
  if (visible != NULL)
    request->visible = g_memdup2 (visible, MAX ((cm_dataset_get_n_events (dataset) + 63) / 64, 1)
                                           * sizeof (guint64));
  self->stats_cancellable = g_cancellable_new ();
  task = g_task_new (self, self->stats_cancellable, stats_ready_cb, NULL);
  g_task_set_source_tag (task, request_stats);
  g_task_set_task_data (task, request, stats_request_free);
  g_task_run_in_thread (task, stats_thread);
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
  /* A small dataset's statistics take less than a millisecond: at once,
   * so that a file reloaded never blinks. A large one's places appear
   * when their worker is done. */
  if (dataset != NULL && cm_dataset_get_n_events (dataset) <= SYNC_STATS_EVENTS)
    cm_map_layout_set_stats (self->layout, cm_map_stats_new (dataset, NULL, NULL));
  request_stats (self);
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

  /* The map keeps its colours until the new ones come. */
  if (cm_map_layout_set_filter (self->layout, visible))
    request_stats (self);
}

gboolean
cm_place_layer_is_current (CmPlaceLayer *self)
{
  g_return_val_if_fail (CM_IS_PLACE_LAYER (self), FALSE);

  return !cm_map_layout_needs_stats (self->layout);
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

/* Country names come from the offline basemap once loaded: reading it
 * here would stall the window for ~90 ms as it opens, and the offline
 * map's first tile loads it in a worker anyway. */
static void
update_country_names (CmPlaceLayer *self)
{
  g_autoptr(CmBasemap) basemap = self->country_names ? cm_basemap_peek_default () : NULL;

  if (self->country_names && basemap == NULL)
    return;
  cm_map_layout_set_basemap (self->layout, basemap);
  invalidate (self);
}

void
cm_place_layer_set_country_names (CmPlaceLayer *self,
                                  gboolean      country_names)
{
  g_return_if_fail (CM_IS_PLACE_LAYER (self));

  country_names = !!country_names;
  if (self->country_names == country_names)
    return;
  self->country_names = country_names;
  update_country_names (self);
}

void
cm_place_layer_basemap_loaded (CmPlaceLayer *self)
{
  g_return_if_fail (CM_IS_PLACE_LAYER (self));

  if (self->country_names)
    update_country_names (self);
}

guint
cm_place_layer_get_place_weight (CmPlaceLayer *self,
                                 guint         place)
{
  g_return_val_if_fail (CM_IS_PLACE_LAYER (self), 0);

  return cm_map_layout_get_place_weight (self->layout, place);
}
