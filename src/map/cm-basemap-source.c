/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-basemap-source"

#include "config.h"

#include <glib/gi18n.h>

#include "cm-basemap-source.h"
#include "cm-background.h"

/* 256 tiles of 256 x 256 x 4 bytes: 64 MiB at most, a few screens. */
#define CACHE_SIZE 256
#define TILE_SIZE  256

struct _CmBasemapSource
{
  ShumateMapSource parent_instance;

  CmBasemapStyle   style;
  int              scale_factor;
  gboolean         cairo_tiles;
  GHashTable      *cache;       /* guint64 key -> GdkPaintable */
  GQueue           cache_order; /* keys, oldest first */
  gboolean         drawn;       /* a tile came: the basemap is loaded */
};

enum {
  SIGNAL_BASEMAP_LOADED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (CmBasemapSource, cm_basemap_source, SHUMATE_TYPE_MAP_SOURCE)

G_DEFINE_ENUM_TYPE (CmBasemapStyle, cm_basemap_style,
  G_DEFINE_ENUM_VALUE (CM_BASEMAP_LIGHT, "light"),
  G_DEFINE_ENUM_VALUE (CM_BASEMAP_DARK, "dark"))

enum {
  PROP_0,
  PROP_STYLE,
  PROP_SCALE_FACTOR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct
{
  ShumateTile   *tile;
  guint          zoom;
  guint          x;
  guint          y;
  guint          size;      /* device pixels */
  CmBasemapStyle style;
  guint64        key;
  int            scale_factor;
  gboolean       cairo_tiles;
} TileJob;

/* A tile for the cairo renderer. GTK 4.8's cairo renderer copies a
 * texture's pixels into a new surface at every draw (about 0.45 ms a
 * 256 px tile, 10 ms for a map's 24); this paints the tile's own cairo
 * surface instead (0.05 ms). GL renderers keep textures, which they
 * upload once. */
#define CM_TYPE_TILE_PAINTABLE (cm_tile_paintable_get_type ())
G_DECLARE_FINAL_TYPE (CmTilePaintable, cm_tile_paintable, CM, TILE_PAINTABLE, GObject)

struct _CmTilePaintable
{
  GObject          parent_instance;

  cairo_surface_t *surface;
};

static void cm_tile_paintable_iface_init (GdkPaintableInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CmTilePaintable, cm_tile_paintable, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (GDK_TYPE_PAINTABLE,
                                                      cm_tile_paintable_iface_init))

static void
cm_tile_paintable_snapshot (GdkPaintable *paintable,
                            GdkSnapshot  *snapshot,
                            double        width,
                            double        height)
{
  CmTilePaintable *self = CM_TILE_PAINTABLE (paintable);
  int size = cairo_image_surface_get_width (self->surface);
  cairo_t *cr;

  if (width <= 0 || height <= 0)
    return;

  /* As a texture node draws it: scaled to the bounds, edges padded so
   * that neighbouring tiles meet without a seam. */
  cr = gtk_snapshot_append_cairo (GTK_SNAPSHOT (snapshot), &GRAPHENE_RECT_INIT (0, 0, width, height));
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_scale (cr, width / size, height / size);
  cairo_set_source_surface (cr, self->surface, 0, 0);
  cairo_pattern_set_extend (cairo_get_source (cr), CAIRO_EXTEND_PAD);
  cairo_fill (cr);
  cairo_destroy (cr);
}

static int
cm_tile_paintable_get_intrinsic_size (GdkPaintable *paintable)
{
  return cairo_image_surface_get_width (CM_TILE_PAINTABLE (paintable)->surface);
}

static GdkPaintableFlags
cm_tile_paintable_get_flags (GdkPaintable *paintable)
{
  return GDK_PAINTABLE_STATIC_SIZE | GDK_PAINTABLE_STATIC_CONTENTS;
}

static void
cm_tile_paintable_iface_init (GdkPaintableInterface *iface)
{
  iface->snapshot = cm_tile_paintable_snapshot;
  iface->get_intrinsic_width = cm_tile_paintable_get_intrinsic_size;
  iface->get_intrinsic_height = cm_tile_paintable_get_intrinsic_size;
  iface->get_flags = cm_tile_paintable_get_flags;
}

static void
cm_tile_paintable_finalize (GObject *object)
{
  g_clear_pointer (&CM_TILE_PAINTABLE (object)->surface, cairo_surface_destroy);

  G_OBJECT_CLASS (cm_tile_paintable_parent_class)->finalize (object);
}

static void
cm_tile_paintable_class_init (CmTilePaintableClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cm_tile_paintable_finalize;
}

static void
cm_tile_paintable_init (CmTilePaintable *self)
{
}

static void
tile_job_free (gpointer data)
{
  TileJob *job = data;

  g_clear_object (&job->tile);
  g_free (job);
}

static guint64
tile_key (guint zoom,
          guint x,
          guint y)
{
  return ((guint64) zoom << 58) | ((guint64) x << 29) | (guint64) y;
}

static void
cache_clear (CmBasemapSource *self)
{
  g_hash_table_remove_all (self->cache);
  g_queue_clear_full (&self->cache_order, g_free);
}

static void
cache_insert (CmBasemapSource *self,
              guint64          key,
              GdkPaintable    *paintable)
{
  guint64 *stored;

  if (g_hash_table_contains (self->cache, &key))
    return;
  while (self->cache_order.length >= CACHE_SIZE)
    {
      g_autofree guint64 *oldest = g_queue_pop_head (&self->cache_order);

      g_hash_table_remove (self->cache, oldest);
    }
  stored = g_memdup2 (&key, sizeof key);
  g_hash_table_insert (self->cache, stored, g_object_ref (paintable));
  g_queue_push_tail (&self->cache_order, g_memdup2 (&key, sizeof key));
}

/* The first tile loads the basemap; the others wait for it. */
static void
draw_tile (GTask   *task,
           TileJob *job)
{
  g_autoptr(CmBasemap) basemap = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  cairo_surface_t *surface;
  cairo_t *cr;
  GdkPaintable *paintable;

  basemap = cm_basemap_get_default (&error);
  if (basemap == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, job->size, job->size);
  cr = cairo_create (surface);
  cm_basemap_draw_tile (basemap, cr, job->zoom, job->x, job->y, job->size, job->style);
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  if (job->cairo_tiles)
    {
      paintable = g_object_new (CM_TYPE_TILE_PAINTABLE, NULL);
      CM_TILE_PAINTABLE (paintable)->surface = surface;
      g_task_return_pointer (task, paintable, g_object_unref);
      return;
    }

  /* Cairo's ARGB32 is premultiplied native-endian BGRA: GDK_MEMORY_DEFAULT. */
  bytes = g_bytes_new_with_free_func (cairo_image_surface_get_data (surface),
                                      (gsize) cairo_image_surface_get_stride (surface) * job->size,
                                      (GDestroyNotify) cairo_surface_destroy, surface);
  paintable = GDK_PAINTABLE (gdk_memory_texture_new (job->size, job->size, GDK_MEMORY_DEFAULT, bytes,
                                                    cairo_image_surface_get_stride (surface)));
  g_task_return_pointer (task, paintable, g_object_unref);
}

/* Tiles are drawn in a pool of their own, one thread fewer than the
 * machine has cores and at a lower priority: a screenful of new tiles (20
 * to 40 as a file is framed) in GTask's pool took turns with the main
 * thread's frames (and with the X server) on two cores, stalling a frame
 * by tens of milliseconds; a tile that comes a frame later is better. */
static void
draw_tile_in_pool (gpointer data,
                   gpointer user_data)
{
  g_autoptr(GTask) task = data;

  cm_thread_set_background ();
  if (g_task_return_error_if_cancelled (task))
    return;
  /* Not while the process exits: pixman may be gone. */
  if (!cm_exit_guard_enter (NULL))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "exiting");
      return;
    }
  draw_tile (task, g_task_get_task_data (task));
  cm_exit_guard_leave (NULL);
}

static void
draw_tile_async (GTask *task)
{
  static GThreadPool *pool;

  if (g_once_init_enter (&pool))
    {
      int threads = MAX (1, (int) g_get_num_processors () - 1);

      g_once_init_leave (&pool, g_thread_pool_new (draw_tile_in_pool, NULL, threads, FALSE, NULL));
    }
  g_thread_pool_push (pool, g_object_ref (task), NULL);
}

static void
tile_drawn_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  CmBasemapSource *self = CM_BASEMAP_SOURCE (object);
  g_autoptr(GTask) task = user_data;
  TileJob *job = g_task_get_task_data (G_TASK (result));
  /* Let go of here, on this thread: the worker may drop the draw task's
   * last reference, and a tile (and the paintable it holds) must not be
   * finalized there. */
  g_autoptr(ShumateTile) tile = g_steal_pointer (&job->tile);
  g_autoptr(GdkPaintable) paintable = NULL;
  GError *error = NULL;

  paintable = g_task_propagate_pointer (G_TASK (result), &error);
  if (paintable == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* A tile drawn before the scale factor or the renderer changed is still
   * right to show, but not worth keeping. */
  if (job->scale_factor == self->scale_factor && job->cairo_tiles == self->cairo_tiles)
    cache_insert (self, job->key, paintable);
  shumate_tile_set_paintable (tile, paintable);
  shumate_tile_set_state (tile, SHUMATE_STATE_DONE);
  g_task_return_boolean (task, TRUE);
  if (!self->drawn)
    {
      self->drawn = TRUE;
      g_signal_emit (self, signals[SIGNAL_BASEMAP_LOADED], 0);
    }
}

static void
cm_basemap_source_fill_tile_async (ShumateMapSource    *source,
                                   ShumateTile         *tile,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  CmBasemapSource *self = CM_BASEMAP_SOURCE (source);
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) draw = NULL;
  GdkPaintable *cached;
  TileJob *job;
  guint64 key;

  g_return_if_fail (SHUMATE_IS_TILE (tile));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cm_basemap_source_fill_tile_async);

  key = tile_key (shumate_tile_get_zoom_level (tile), shumate_tile_get_x (tile),
                  shumate_tile_get_y (tile));
  cached = g_hash_table_lookup (self->cache, &key);
  if (cached != NULL)
    {
      shumate_tile_set_paintable (tile, cached);
      shumate_tile_set_state (tile, SHUMATE_STATE_DONE);
      g_task_return_boolean (task, TRUE);
      return;
    }

  shumate_tile_set_state (tile, SHUMATE_STATE_LOADING);
  job = g_new0 (TileJob, 1);
  job->tile = g_object_ref (tile);
  job->zoom = shumate_tile_get_zoom_level (tile);
  job->x = shumate_tile_get_x (tile);
  job->y = shumate_tile_get_y (tile);
  job->size = MAX (1, shumate_tile_get_size (tile)) * self->scale_factor;
  job->style = self->style;
  job->key = key;
  job->scale_factor = self->scale_factor;
  job->cairo_tiles = self->cairo_tiles;

  /* Drawn in a worker; the tile is only touched back on this thread. */
  draw = g_task_new (self, cancellable, tile_drawn_cb, g_steal_pointer (&task));
  g_task_set_source_tag (draw, cm_basemap_source_fill_tile_async);
  g_task_set_task_data (draw, job, tile_job_free);
  draw_tile_async (draw);
}

static gboolean
cm_basemap_source_fill_tile_finish (ShumateMapSource  *source,
                                    GAsyncResult      *result,
                                    GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, source), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
cm_basemap_source_constructed (GObject *object)
{
  CmBasemapSource *self = CM_BASEMAP_SOURCE (object);
  ShumateMapSource *source = SHUMATE_MAP_SOURCE (object);

  G_OBJECT_CLASS (cm_basemap_source_parent_class)->constructed (object);

  shumate_map_source_set_id (source, self->style == CM_BASEMAP_DARK
                                       ? "chronomap-offline-dark" : "chronomap-offline-light");
  shumate_map_source_set_name (source, _("Natural Earth (offline)"));
  shumate_map_source_set_license (source, _("Made with Natural Earth"));
  shumate_map_source_set_license_uri (source, "https://www.naturalearthdata.com/");
  shumate_map_source_set_min_zoom_level (source, 0);
  shumate_map_source_set_max_zoom_level (source, 16);
  shumate_map_source_set_tile_size (source, TILE_SIZE);
  shumate_map_source_set_projection (source, SHUMATE_MAP_PROJECTION_MERCATOR);
}

static void
cm_basemap_source_finalize (GObject *object)
{
  CmBasemapSource *self = CM_BASEMAP_SOURCE (object);

  cache_clear (self);
  g_clear_pointer (&self->cache, g_hash_table_unref);

  G_OBJECT_CLASS (cm_basemap_source_parent_class)->finalize (object);
}

static void
cm_basemap_source_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  CmBasemapSource *self = CM_BASEMAP_SOURCE (object);

  switch (prop_id)
    {
    case PROP_STYLE:
      g_value_set_enum (value, self->style);
      break;
    case PROP_SCALE_FACTOR:
      g_value_set_int (value, self->scale_factor);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cm_basemap_source_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  CmBasemapSource *self = CM_BASEMAP_SOURCE (object);

  switch (prop_id)
    {
    case PROP_STYLE:
      self->style = g_value_get_enum (value);
      break;
    case PROP_SCALE_FACTOR:
      cm_basemap_source_set_scale_factor (self, g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cm_basemap_source_class_init (CmBasemapSourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  ShumateMapSourceClass *source_class = SHUMATE_MAP_SOURCE_CLASS (klass);

  object_class->constructed = cm_basemap_source_constructed;
  object_class->finalize = cm_basemap_source_finalize;
  object_class->get_property = cm_basemap_source_get_property;
  object_class->set_property = cm_basemap_source_set_property;

  source_class->fill_tile_async = cm_basemap_source_fill_tile_async;
  source_class->fill_tile_finish = cm_basemap_source_fill_tile_finish;

  properties[PROP_STYLE] =
    g_param_spec_enum ("style", NULL, NULL,
                       CM_TYPE_BASEMAP_STYLE, CM_BASEMAP_LIGHT,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SCALE_FACTOR] =
    g_param_spec_int ("scale-factor", NULL, NULL,
                      1, 8, 1,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The first tile is drawn: the process-wide basemap is loaded (by a
   * worker) and cm_basemap_peek_default() has it. */
  signals[SIGNAL_BASEMAP_LOADED] = g_signal_new ("basemap-loaded", G_TYPE_FROM_CLASS (klass),
                                                 G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                                 G_TYPE_NONE, 0);
}

static void
cm_basemap_source_init (CmBasemapSource *self)
{
  self->scale_factor = 1;
  self->cache = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
  g_queue_init (&self->cache_order);
}

CmBasemapSource *
cm_basemap_source_new (CmBasemapStyle style)
{
  return g_object_new (CM_TYPE_BASEMAP_SOURCE, "style", style, NULL);
}

CmBasemapStyle
cm_basemap_source_get_style (CmBasemapSource *self)
{
  g_return_val_if_fail (CM_IS_BASEMAP_SOURCE (self), CM_BASEMAP_LIGHT);

  return self->style;
}

void
cm_basemap_source_set_scale_factor (CmBasemapSource *self,
                                    int              scale_factor)
{
  g_return_if_fail (CM_IS_BASEMAP_SOURCE (self));
  g_return_if_fail (scale_factor >= 1);

  if (self->scale_factor == scale_factor)
    return;
  self->scale_factor = scale_factor;
  cache_clear (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCALE_FACTOR]);
}

int
cm_basemap_source_get_scale_factor (CmBasemapSource *self)
{
  g_return_val_if_fail (CM_IS_BASEMAP_SOURCE (self), 1);

  return self->scale_factor;
}

void
cm_basemap_source_set_cairo_tiles (CmBasemapSource *self,
                                   gboolean         cairo_tiles)
{
  g_return_if_fail (CM_IS_BASEMAP_SOURCE (self));

  cairo_tiles = !!cairo_tiles;
  if (self->cairo_tiles == cairo_tiles)
    return;
  self->cairo_tiles = cairo_tiles;
  cache_clear (self);
}

gboolean
cm_basemap_source_get_cairo_tiles (CmBasemapSource *self)
{
  g_return_val_if_fail (CM_IS_BASEMAP_SOURCE (self), FALSE);

  return self->cairo_tiles;
}
