/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-basemap"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include <math.h>
#include <stdlib.h>
#include <pango/pangocairo.h>

#include "cm-basemap.h"
#include "cm-mercator.h"
#include "cm-topojson.h"

/* Drawing happens in a space where a tile is 256 units wide whatever its
 * pixel size, so line widths and fonts look the same on every tile. */
#define REF_TILE_SIZE     256.0
#define MAX_LABEL_ZOOM    14
#define LABEL_FONT_PX     10.5
#define LABEL_CHAR_PX     6.0     /* average advance, for fitting names */
#define LABEL_HEIGHT_PX   14.0
#define LABEL_GAP_PX      6.0
#define MIN_SEGMENT_PX    0.45    /* shorter steps are skipped when drawing */

typedef struct
{
  double x;
  double y;
} WPoint;                          /* world units, see cm-mercator.h */

typedef struct
{
  double min_x, min_y, max_x, max_y;
} Box;

typedef struct
{
  guint32 first;
  guint32 n;
  Box     box;
} Path;

typedef struct
{
  const char *name;
  const char *label;               /* the name in the interface's language, or NULL */
  guint16     iso;                 /* ISO 3166-1 numeric code, 0 if none */
  guint32     first_ring;          /* into rings */
  guint32     n_rings;
  Box         box;
  double      label_x;             /* world units */
  double      label_y;
  double      label_width_px;      /* estimated, at REF scale */
  guint32     label_zooms;         /* bit z: the name is drawn at zoom z */
} Country;

struct _CmBasemap
{
  gatomicrefcount ref_count;
  GArray       *points;            /* WPoint of every ring and line */
  GArray       *rings;             /* Path: polygon rings, unwrapped */
  GArray       *borders;           /* Path: arcs shared by two countries */
  GArray       *coasts;            /* Path: arcs of one country */
  GArray       *countries;         /* Country */
  GStringChunk *strings;
};

static const CmBasemapPalette palettes[] = {
  [CM_BASEMAP_LIGHT] = {
    .sea = 0xc9dcea, .land = 0xf5f2eb, .border = 0xbfb3a2,
    .coast = 0x96b0c6, .label = 0x7a7063,
  },
  [CM_BASEMAP_DARK] = {
    .sea = 0x1a2530, .land = 0x33363a, .border = 0x5a5e64,
    .coast = 0x41576b, .label = 0x9ea3aa,
  },
};

const CmBasemapPalette *
cm_basemap_style_get_palette (CmBasemapStyle style)
{
  g_return_val_if_fail (style <= CM_BASEMAP_DARK, &palettes[0]);

  return &palettes[style];
}

static void
box_clear (Box *box)
{
  box->min_x = box->min_y = G_MAXDOUBLE;
  box->max_x = box->max_y = -G_MAXDOUBLE;
}

static void
box_add (Box       *box,
         const Box *other)
{
  box->min_x = MIN (box->min_x, other->min_x);
  box->min_y = MIN (box->min_y, other->min_y);
  box->max_x = MAX (box->max_x, other->max_x);
  box->max_y = MAX (box->max_y, other->max_y);
}

static gboolean
boxes_intersect (const Box *a,
                 const Box *b)
{
  return a->min_x <= b->max_x && b->min_x <= a->max_x
         && a->min_y <= b->max_y && b->min_y <= a->max_y;
}

/* Projects unwrapped points, appending them to self->points. */
static Path
add_path (CmBasemap        *self,
          const CmGeoPoint *points,
          guint             n_points)
{
  Path path = { self->points->len, n_points, { 0 } };

  box_clear (&path.box);
  for (guint i = 0; i < n_points; i++)
    {
      WPoint p = { cm_mercator_x (points[i].lon), cm_mercator_y (points[i].lat) };

      path.box.min_x = MIN (path.box.min_x, p.x);
      path.box.max_x = MAX (path.box.max_x, p.x);
      path.box.min_y = MIN (path.box.min_y, p.y);
      path.box.max_y = MAX (path.box.max_y, p.y);
      g_array_append_val (self->points, p);
    }
  return path;
}

/* Signed area and centroid of a closed ring, in world units. */
static double
ring_centroid (const WPoint *p,
               guint         n,
               double       *cx,
               double       *cy)
{
  double area = 0, x = 0, y = 0;

  for (guint i = 0, j = n - 1; i < n; j = i++)
    {
      double cross = p[j].x * p[i].y - p[i].x * p[j].y;

      area += cross;
      x += (p[j].x + p[i].x) * cross;
      y += (p[j].y + p[i].y) * cross;
    }
  area /= 2;
  if (fabs (area) < 1e-18)
    {
      *cx = p[0].x;
      *cy = p[0].y;
      return 0;
    }
  *cx = x / (6 * area);
  *cy = y / (6 * area);
  return area;
}

static void
add_country (CmBasemap            *self,
             CmTopology           *topology,
             const CmTopoGeometry *geometry,
             GArray               *scratch)
{
  Country country = { 0 };
  double best_area = -1;
  Box label_box = { 0 };

  country.name = geometry->name ? g_string_chunk_insert_const (self->strings, geometry->name)
                                : NULL;
  if (geometry->id != NULL)
    country.iso = (guint16) CLAMP (g_ascii_strtoll (geometry->id, NULL, 10), 0, G_MAXUINT16);
  country.first_ring = self->rings->len;
  box_clear (&country.box);

  for (guint p = 0; p < geometry->n_polygons; p++)
    {
      guint polygon = geometry->first_polygon + p;
      guint n_rings = cm_topology_get_polygon_n_rings (topology, polygon);

      for (guint r = 0; r < n_rings; r++)
        {
          const gint32 *arcs;
          guint n_arcs;
          int turns;
          Path path;

          arcs = cm_topology_get_ring_arcs (topology, polygon, r, &n_arcs);
          g_array_set_size (scratch, 0);
          cm_topology_append_ring_points (topology, arcs, n_arcs, scratch);
          if (scratch->len < 3)
            continue;

          turns = cm_geo_unwrap_longitudes ((CmGeoPoint *) scratch->data, scratch->len);
          if (turns != 0)
            {
              /* A ring around a pole (Antarctica) is open once unwrapped:
               * close it along the pole so it fills the polar cap. */
              CmGeoPoint first = g_array_index (scratch, CmGeoPoint, 0);
              CmGeoPoint last = g_array_index (scratch, CmGeoPoint, scratch->len - 1);
              double pole = first.lat < 0 ? -90 : 90;
              CmGeoPoint a = { last.lon, pole }, b = { first.lon, pole };

              g_array_append_val (scratch, a);
              g_array_append_val (scratch, b);
            }

          path = add_path (self, (const CmGeoPoint *) scratch->data, scratch->len);
          g_array_append_val (self->rings, path);
          box_add (&country.box, &path.box);

          /* The name goes at the centroid of the largest exterior ring. */
          if (r == 0)
            {
              double cx, cy;
              double area = fabs (ring_centroid (&g_array_index (self->points, WPoint, path.first),
                                                 path.n, &cx, &cy));

              if (area > best_area)
                {
                  best_area = area;
                  country.label_x = cx - floor (cx);
                  country.label_y = cy;
                  label_box = path.box;
                }
            }
        }
    }

  country.n_rings = self->rings->len - country.first_ring;
  if (country.n_rings == 0)
    return;

  /* Fitting names: shown at zoom z when the name is narrower than the
   * main polygon is wide at z, and not taller than it (collisions are
   * settled afterwards). */
  if (country.name != NULL)
    {
      country.label_width_px = g_utf8_strlen (country.name, -1) * LABEL_CHAR_PX + 4;
      for (guint z = 1; z <= MAX_LABEL_ZOOM; z++)
        {
          double world = cm_mercator_world_size (z, REF_TILE_SIZE);
          double w = (label_box.max_x - label_box.min_x) * world;
          double h = (label_box.max_y - label_box.min_y) * world;

          if (w >= country.label_width_px * 1.1 && h >= LABEL_HEIGHT_PX * 1.2)
            country.label_zooms |= 1u << z;
        }
    }
  g_array_append_val (self->countries, country);
}

typedef struct
{
  double area;
  guint  country;
} AreaEntry;

static int
compare_by_area_desc (const void *a,
                      const void *b)
{
  const AreaEntry *x = a, *y = b;

  if (x->area != y->area)
    return x->area > y->area ? -1 : 1;
  return x->country < y->country ? -1 : x->country > y->country;
}

static void
label_box_at (const Country *country,
              double         world,
              Box           *box)
{
  double x = country->label_x * world, y = country->label_y * world;
  double half_w = country->label_width_px / 2 + LABEL_GAP_PX / 2;
  double half_h = LABEL_HEIGHT_PX / 2 + LABEL_GAP_PX / 2;

  *box = (Box) { x - half_w, y - half_h, x + half_w, y + half_h };
}

/* Greedy, biggest countries first, the same for every tile of a zoom so
 * names never disagree at tile edges. */
static void
settle_label_collisions (CmBasemap *self)
{
  guint n = self->countries->len;
  Country *countries = (Country *) self->countries->data;
  g_autofree AreaEntry *order = g_new (AreaEntry, MAX (n, 1));
  g_autofree Box *placed = g_new (Box, MAX (n, 1));

  for (guint i = 0; i < n; i++)
    {
      const Box *b = &countries[i].box;

      order[i] = (AreaEntry) { (b->max_x - b->min_x) * (b->max_y - b->min_y), i };
    }
  qsort (order, n, sizeof (AreaEntry), compare_by_area_desc);

  for (guint z = 1; z <= MAX_LABEL_ZOOM; z++)
    {
      double world = cm_mercator_world_size (z, REF_TILE_SIZE);
      guint n_placed = 0;

      for (guint i = 0; i < n; i++)
        {
          Country *country = &countries[order[i].country];
          Box box;
          gboolean free = TRUE;

          if (!(country->label_zooms & (1u << z)))
            continue;
          label_box_at (country, world, &box);
          for (guint j = 0; j < n_placed && free; j++)
            free = !boxes_intersect (&box, &placed[j]);
          if (free)
            placed[n_placed++] = box;
          else
            country->label_zooms &= ~(1u << z);
        }
    }
}

/* Arcs referenced by two rings are land borders, by one ring coasts. */
static void
add_lines (CmBasemap  *self,
           CmTopology *topology,
           const CmTopoGeometry *geometries,
           guint       n_geometries,
           GArray     *scratch)
{
  guint n_arcs = cm_topology_get_n_arcs (topology);
  g_autofree guint8 *uses = g_new0 (guint8, n_arcs);

  for (guint g = 0; g < n_geometries; g++)
    for (guint p = 0; p < geometries[g].n_polygons; p++)
      {
        guint polygon = geometries[g].first_polygon + p;
        guint n_rings = cm_topology_get_polygon_n_rings (topology, polygon);

        for (guint r = 0; r < n_rings; r++)
          {
            guint n;
            const gint32 *arcs = cm_topology_get_ring_arcs (topology, polygon, r, &n);

            for (guint i = 0; i < n; i++)
              {
                guint index = arcs[i] < 0 ? (guint) ~arcs[i] : (guint) arcs[i];

                uses[index] = MIN (uses[index] + 1, 2);
              }
          }
      }

  for (guint i = 0; i < n_arcs; i++)
    {
      const CmGeoPoint *points;
      guint n;
      Path path;

      if (uses[i] == 0)
        continue;
      points = cm_topology_get_arc (topology, i, &n);
      g_array_set_size (scratch, 0);
      g_array_append_vals (scratch, points, n);
      cm_geo_unwrap_longitudes ((CmGeoPoint *) scratch->data, n);
      path = add_path (self, (const CmGeoPoint *) scratch->data, n);
      g_array_append_val (uses[i] == 2 ? self->borders : self->coasts, path);
    }
}

static CmBasemap *
basemap_new_from_topology (CmTopology *topology,
                           GError    **error)
{
  g_autoptr(CmBasemap) self = g_new0 (CmBasemap, 1);
  g_autoptr(GArray) scratch = g_array_new (FALSE, FALSE, sizeof (CmGeoPoint));
  const CmTopoGeometry *geometries;
  guint n_geometries;

  g_atomic_ref_count_init (&self->ref_count);
  self->points = g_array_new (FALSE, FALSE, sizeof (WPoint));
  self->rings = g_array_new (FALSE, FALSE, sizeof (Path));
  self->borders = g_array_new (FALSE, FALSE, sizeof (Path));
  self->coasts = g_array_new (FALSE, FALSE, sizeof (Path));
  self->countries = g_array_new (FALSE, FALSE, sizeof (Country));
  self->strings = g_string_chunk_new (4096);

  geometries = cm_topology_get_geometries (topology, "countries", &n_geometries);
  if (geometries == NULL)
    {
      g_set_error_literal (error, CM_TOPOJSON_ERROR, CM_TOPOJSON_ERROR_INVALID,
                           "the topology has no \"countries\" object");
      return NULL;
    }

  for (guint i = 0; i < n_geometries; i++)
    add_country (self, topology, &geometries[i], scratch);
  settle_label_collisions (self);
  add_lines (self, topology, geometries, n_geometries, scratch);

  return g_steal_pointer (&self);
}

CmBasemap *
cm_basemap_new_from_data (const char *data,
                          gssize      length,
                          GError    **error)
{
  g_autoptr(CmTopology) topology = NULL;

  g_return_val_if_fail (data != NULL, NULL);

  topology = cm_topology_new_from_data (data, length, error);
  if (topology == NULL)
    return NULL;
  return basemap_new_from_topology (topology, error);
}

CmBasemap *
cm_basemap_new_from_file (const char *path,
                          GError    **error)
{
  g_autoptr(CmTopology) topology = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  topology = cm_topology_new_from_file (path, error);
  if (topology == NULL)
    return NULL;
  return basemap_new_from_topology (topology, error);
}

char *
cm_basemap_get_default_path (void)
{
  const char *datadir = g_getenv ("CHRONOMAP_DATADIR");

  if (datadir == NULL || datadir[0] == '\0')
    datadir = PKGDATADIR;
  return g_build_filename (datadir, "basemap", "countries-50m.json", NULL);
}

#define MAX_NAMES_SIZE (1024 * 1024)

/* The code translators give as the translation of this message: names
 * of countries follow the interface, not only the environment. */
static const char *
get_interface_language (void)
{
  /* Translators: your language's code as in po/LINGUAS (e.g. "uk"): the
   * map shows country names in that language */
  return C_("language code", "en");
}

gboolean
cm_basemap_load_labels (CmBasemap   *self,
                        const char  *path,
                        const char  *language,
                        GError     **error)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GHashTable) by_iso = NULL;
  GStatBuf info;
  int column = -1;
  gsize length;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (language == NULL)
    language = get_interface_language ();
  if (g_stat (path, &info) == 0 && info.st_size > MAX_NAMES_SIZE)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "%s: larger than %d bytes", path,
                   MAX_NAMES_SIZE);
      return FALSE;
    }
  if (!g_file_get_contents (path, &contents, &length, error))
    return FALSE;

  by_iso = g_hash_table_new (NULL, NULL);
  for (guint c = 0; c < self->countries->len; c++)
    {
      Country *country = &g_array_index (self->countries, Country, c);

      country->label = NULL;
      if (country->iso != 0)
        g_hash_table_insert (by_iso, GUINT_TO_POINTER (country->iso), country);
    }

  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = NULL;
      Country *country;
      guint n;

      if (lines[i][0] == '#' || lines[i][0] == '\0')
        continue;
      fields = g_strsplit (lines[i], "\t", -1);
      n = g_strv_length (fields);
      if (column < 0)
        {
          /* The header: id, then one column per language. */
          for (guint f = 1; f < n; f++)
            if (g_str_equal (fields[f], language))
              column = (int) f;
          if (column < 0)
            return TRUE;
          continue;
        }
      country = g_hash_table_lookup (by_iso,
                                     GUINT_TO_POINTER (g_ascii_strtoull (fields[0], NULL, 10)));
      if (country != NULL && (guint) column < n && fields[column][0] != '\0'
          && g_utf8_validate (fields[column], -1, NULL))
        country->label = g_string_chunk_insert_const (self->strings, fields[column]);
    }
  return TRUE;
}

/* Set once, under its lock; read without it by cm_basemap_peek_default(). */
static GMutex default_lock;
static CmBasemap *default_basemap;

CmBasemap *
cm_basemap_get_default (GError **error)
{
  CmBasemap *basemap = cm_basemap_peek_default ();
  g_autoptr(GMutexLocker) locker = NULL;

  if (basemap != NULL)
    return basemap;

  locker = g_mutex_locker_new (&default_lock);
  if (default_basemap == NULL)
    {
      g_autofree char *path = cm_basemap_get_default_path ();
      g_autofree char *dir = NULL;
      g_autofree char *names = NULL;

      /* Kept for the life of the process, like the fonts. */
      basemap = cm_basemap_new_from_file (path, error);
      if (basemap == NULL)
        return NULL;
      /* Without the names file the map speaks English: not an error. */
      dir = g_path_get_dirname (path);
      names = g_build_filename (dir, "country-names.tsv", NULL);
      if (g_file_test (names, G_FILE_TEST_EXISTS))
        {
          g_autoptr(GError) local_error = NULL;

          if (!cm_basemap_load_labels (basemap, names, NULL, &local_error))
            g_warning ("Country names not loaded: %s", local_error->message);
        }
      g_atomic_pointer_set (&default_basemap, basemap);
    }
  return cm_basemap_ref (default_basemap);
}

CmBasemap *
cm_basemap_peek_default (void)
{
  CmBasemap *basemap = g_atomic_pointer_get (&default_basemap);

  return basemap != NULL ? cm_basemap_ref (basemap) : NULL;
}

CmBasemap *
cm_basemap_ref (CmBasemap *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
cm_basemap_unref (CmBasemap *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_clear_pointer (&self->points, g_array_unref);
  g_clear_pointer (&self->rings, g_array_unref);
  g_clear_pointer (&self->borders, g_array_unref);
  g_clear_pointer (&self->coasts, g_array_unref);
  g_clear_pointer (&self->countries, g_array_unref);
  g_clear_pointer (&self->strings, g_string_chunk_free);
  g_free (self);
}

guint
cm_basemap_get_n_countries (CmBasemap *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->countries->len;
}

const char *
cm_basemap_get_country_name (CmBasemap *self,
                             guint      index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->countries->len, NULL);

  return g_array_index (self->countries, Country, index).name;
}

const char *
cm_basemap_get_country_label (CmBasemap *self,
                              guint      index)
{
  const Country *country;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->countries->len, NULL);

  country = &g_array_index (self->countries, Country, index);
  return country->label != NULL ? country->label : country->name != NULL ? country->name : "";
}

void
cm_basemap_get_country_label_position (CmBasemap *self,
                                       guint      index,
                                       double    *x,
                                       double    *y)
{
  const Country *country;

  g_return_if_fail (self != NULL);
  g_return_if_fail (index < self->countries->len);

  country = &g_array_index (self->countries, Country, index);
  *x = country->label_x;
  *y = country->label_y;
}

gboolean
cm_basemap_country_label_visible (CmBasemap *self,
                                  guint      index,
                                  guint      zoom)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (index < self->countries->len, FALSE);

  zoom = MIN (zoom, MAX_LABEL_ZOOM);
  return (g_array_index (self->countries, Country, index).label_zooms & (1u << zoom)) != 0;
}

static gboolean
ring_contains (const WPoint *p,
               guint         n,
               double        x,
               double        y)
{
  gboolean inside = FALSE;

  for (guint i = 0, j = n - 1; i < n; j = i++)
    if ((p[i].y > y) != (p[j].y > y)
        && x < (p[j].x - p[i].x) * (y - p[i].y) / (p[j].y - p[i].y) + p[i].x)
      inside = !inside;
  return inside;
}

int
cm_basemap_find_country (CmBasemap *self,
                         double     latitude,
                         double     longitude)
{
  double x = cm_mercator_x (longitude), y = cm_mercator_y (latitude);

  g_return_val_if_fail (self != NULL, -1);

  for (guint c = 0; c < self->countries->len; c++)
    {
      const Country *country = &g_array_index (self->countries, Country, c);

      /* Unwrapped rings may reach past the edges: try the copies too. */
      for (int k = -1; k <= 1; k++)
        {
          double kx = x + k;
          gboolean inside = FALSE;

          if (kx < country->box.min_x || kx > country->box.max_x
              || y < country->box.min_y || y > country->box.max_y)
            continue;
          for (guint r = 0; r < country->n_rings; r++)
            {
              const Path *ring = &g_array_index (self->rings, Path, country->first_ring + r);

              if (kx >= ring->box.min_x && kx <= ring->box.max_x
                  && ring_contains (&g_array_index (self->points, WPoint, ring->first),
                                    ring->n, kx, y))
                inside = !inside;
            }
          if (inside)
            return (int) c;
        }
    }
  return -1;
}

/* Drawing ------------------------------------------------------------------ */

typedef struct
{
  cairo_t *cr;
  double   world;          /* reference pixels per world unit */
  double   origin_x;       /* reference pixel of the region's top left */
  double   origin_y;
  Box      view;           /* the region in world units */
  double   zoom;
} Region;

static void
set_source_rgb (cairo_t *cr,
                guint32  rgb)
{
  cairo_set_source_rgb (cr,
                        ((rgb >> 16) & 0xff) / 255.0,
                        ((rgb >> 8) & 0xff) / 255.0,
                        (rgb & 0xff) / 255.0);
}

/* Integer shifts k such that the box moved by k world widths meets the
 * view: the world repeats east and west. */
static void
copies_range (const Region *region,
              const Box    *box,
              int          *k_min,
              int          *k_max)
{
  *k_min = (int) ceil (region->view.min_x - box->max_x);
  *k_max = (int) floor (region->view.max_x - box->min_x);
}

static void
append_path (const Region *region,
             const WPoint *points,
             guint         n,
             double        shift,
             gboolean      closed,
             gboolean      skip_polar)
{
  cairo_t *cr = region->cr;
  double last_x = 0, last_y = 0;
  gboolean pen_down = FALSE;

  for (guint i = 0; i < n; i++)
    {
      double x = (points[i].x + shift) * region->world - region->origin_x;
      double y = points[i].y * region->world - region->origin_y;

      /* Lines along the edge of the projection (the south pole) are not
       * coasts anyone wants to see. */
      if (skip_polar && i > 0
          && ((points[i].y >= 0.9999 && points[i - 1].y >= 0.9999)
              || (points[i].y <= 0.0001 && points[i - 1].y <= 0.0001)))
        {
          pen_down = FALSE;
          continue;
        }

      if (!pen_down)
        {
          cairo_move_to (cr, x, y);
          pen_down = TRUE;
        }
      else if (fabs (x - last_x) + fabs (y - last_y) >= MIN_SEGMENT_PX || i == n - 1)
        cairo_line_to (cr, x, y);
      else
        continue;
      last_x = x;
      last_y = y;
    }
  if (closed && pen_down)
    cairo_close_path (cr);
}

static void
draw_land (CmBasemap    *self,
           const Region *region)
{
  /* One even-odd path for all countries: they never overlap, and an
   * enclave is a hole of its neighbour and a polygon of its own. */
  cairo_set_fill_rule (region->cr, CAIRO_FILL_RULE_EVEN_ODD);
  cairo_new_path (region->cr);

  for (guint c = 0; c < self->countries->len; c++)
    {
      const Country *country = &g_array_index (self->countries, Country, c);
      int k_min, k_max;

      copies_range (region, &country->box, &k_min, &k_max);
      if (country->box.max_y < region->view.min_y || country->box.min_y > region->view.max_y)
        continue;

      for (int k = k_min; k <= k_max; k++)
        for (guint r = 0; r < country->n_rings; r++)
          {
            const Path *ring = &g_array_index (self->rings, Path, country->first_ring + r);
            Box moved = { ring->box.min_x + k, ring->box.min_y,
                          ring->box.max_x + k, ring->box.max_y };

            if (boxes_intersect (&moved, &region->view))
              append_path (region, &g_array_index (self->points, WPoint, ring->first), ring->n,
                           k, TRUE, FALSE);
          }
    }
  cairo_fill (region->cr);
}

static void
draw_lines (CmBasemap    *self,
            const Region *region,
            GArray       *lines)
{
  cairo_new_path (region->cr);
  for (guint i = 0; i < lines->len; i++)
    {
      const Path *line = &g_array_index (lines, Path, i);
      int k_min, k_max;

      if (line->box.max_y < region->view.min_y || line->box.min_y > region->view.max_y)
        continue;
      copies_range (region, &line->box, &k_min, &k_max);
      for (int k = k_min; k <= k_max; k++)
        append_path (region, &g_array_index (self->points, WPoint, line->first), line->n,
                     k, FALSE, TRUE);
    }
  cairo_stroke (region->cr);
}

static void
draw_region (CmBasemap      *self,
             const Region   *region,
             double          width,
             double          height,
             CmBasemapStyle  style)
{
  const CmBasemapPalette *palette = cm_basemap_style_get_palette (style);
  cairo_t *cr = region->cr;
  double line_scale = CLAMP (0.6 + region->zoom * 0.1, 0.6, 1.4);

  cairo_save (cr);
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_clip (cr);
  set_source_rgb (cr, palette->sea);
  cairo_paint (cr);

  set_source_rgb (cr, palette->land);
  draw_land (self, region);

  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  set_source_rgb (cr, palette->coast);
  cairo_set_line_width (cr, 0.8 * line_scale);
  draw_lines (self, region, self->coasts);
  set_source_rgb (cr, palette->border);
  cairo_set_line_width (cr, 0.9 * line_scale);
  draw_lines (self, region, self->borders);
  cairo_restore (cr);
}

static void
region_init (Region  *region,
             cairo_t *cr,
             double   zoom,
             double   origin_x,
             double   origin_y,
             double   width,
             double   height)
{
  /* A margin of a few pixels so lines just outside still join up. */
  double margin = 4;

  region->cr = cr;
  region->zoom = zoom;
  region->world = cm_mercator_world_size (zoom, REF_TILE_SIZE);
  region->origin_x = origin_x;
  region->origin_y = origin_y;
  region->view.min_x = (origin_x - margin) / region->world;
  region->view.min_y = (origin_y - margin) / region->world;
  region->view.max_x = (origin_x + width + margin) / region->world;
  region->view.max_y = (origin_y + height + margin) / region->world;
}

void
cm_basemap_draw_tile (CmBasemap      *self,
                      cairo_t        *cr,
                      guint           zoom,
                      guint           x,
                      guint           y,
                      guint           size,
                      CmBasemapStyle  style)
{
  Region region;

  g_return_if_fail (self != NULL);
  g_return_if_fail (cr != NULL);
  g_return_if_fail (zoom < 31);
  g_return_if_fail (size > 0);

  cairo_save (cr);
  cairo_scale (cr, size / REF_TILE_SIZE, size / REF_TILE_SIZE);
  region_init (&region, cr, zoom, x * REF_TILE_SIZE, y * REF_TILE_SIZE,
               REF_TILE_SIZE, REF_TILE_SIZE);
  draw_region (self, &region, REF_TILE_SIZE, REF_TILE_SIZE, style);
  cairo_restore (cr);
}

void
cm_basemap_draw_view (CmBasemap      *self,
                      cairo_t        *cr,
                      double          latitude,
                      double          longitude,
                      double          zoom,
                      int             width,
                      int             height,
                      CmBasemapStyle  style)
{
  Region region;
  double world;

  g_return_if_fail (self != NULL);
  g_return_if_fail (cr != NULL);
  g_return_if_fail (zoom >= 0 && zoom < 31);
  g_return_if_fail (width > 0 && height > 0);

  world = cm_mercator_world_size (zoom, REF_TILE_SIZE);
  region_init (&region, cr, zoom,
               cm_mercator_x (longitude) * world - width / 2.0,
               cm_mercator_y (latitude) * world - height / 2.0,
               width, height);
  draw_region (self, &region, width, height, style);
}
