/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-place-cluster"

#include "config.h"

#include <math.h>
#include <stdlib.h>

#include "cm-mercator.h"
#include "cm-place-cluster.h"

typedef struct
{
  CmPlaceCluster *clusters;
  guint           n_clusters;
  guint32        *members;     /* place ids grouped by cluster */
  guint32        *cluster_of;  /* per point (input order) */
} Level;

struct _CmPlaceIndex
{
  CmPlacePoint *points;
  guint         n_points;
  guint32      *order;         /* point indexes, heaviest first */
  double        distance;
  double        tile_size;
  GHashTable   *id_to_point;   /* only built when ids are not 0..n-1 */
  Level         levels[CM_PLACE_MAX_ZOOM + 1];
  gboolean      computed[CM_PLACE_MAX_ZOOM + 1];
};

typedef struct
{
  guint64 cell;
  guint32 point;
} CellEntry;

typedef struct
{
  guint32 pinned;
  guint32 weight;
  guint32 point;
} WeightEntry;

static int
compare_by_weight (const void *a,
                   const void *b)
{
  const WeightEntry *x = a, *y = b;

  if (x->pinned != y->pinned)
    return x->pinned ? -1 : 1;
  if (!x->pinned && x->weight != y->weight)
    return x->weight > y->weight ? -1 : 1;
  return x->point < y->point ? -1 : x->point > y->point;
}

static int
compare_cells (const void *a,
               const void *b)
{
  const CellEntry *x = a, *y = b;

  if (x->cell != y->cell)
    return x->cell < y->cell ? -1 : 1;
  return x->point < y->point ? -1 : x->point > y->point;
}

CmPlaceIndex *
cm_place_index_new (const CmPlacePoint *points,
                    guint               n_points,
                    double              distance,
                    double              tile_size)
{
  CmPlaceIndex *self;
  g_autofree WeightEntry *entries = NULL;
  gboolean dense_ids = TRUE;

  g_return_val_if_fail (points != NULL || n_points == 0, NULL);
  g_return_val_if_fail (distance > 0, NULL);
  g_return_val_if_fail (tile_size > 0, NULL);

  self = g_new0 (CmPlaceIndex, 1);
  self->points = g_memdup2 (points, sizeof (CmPlacePoint) * n_points);
  self->n_points = n_points;
  self->distance = distance;
  self->tile_size = tile_size;
  self->order = g_new (guint32, MAX (n_points, 1));
  entries = g_new (WeightEntry, MAX (n_points, 1));
  for (guint i = 0; i < n_points; i++)
    {
      entries[i] = (WeightEntry) { points[i].pinned != FALSE, points[i].weight, i };
      dense_ids &= points[i].id == i;
    }
  qsort (entries, n_points, sizeof (WeightEntry), compare_by_weight);
  for (guint i = 0; i < n_points; i++)
    self->order[i] = entries[i].point;

  if (!dense_ids)
    {
      self->id_to_point = g_hash_table_new (NULL, NULL);
      for (guint i = 0; i < n_points; i++)
        g_hash_table_insert (self->id_to_point, GUINT_TO_POINTER (points[i].id),
                             GUINT_TO_POINTER (i + 1));
    }
  return self;
}

void
cm_place_index_free (CmPlaceIndex *self)
{
  if (self == NULL)
    return;
  for (guint z = 0; z <= CM_PLACE_MAX_ZOOM; z++)
    {
      g_free (self->levels[z].clusters);
      g_free (self->levels[z].members);
      g_free (self->levels[z].cluster_of);
    }
  g_clear_pointer (&self->id_to_point, g_hash_table_unref);
  g_free (self->points);
  g_free (self->order);
  g_free (self);
}

guint
cm_place_index_get_n_points (CmPlaceIndex *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_points;
}

double
cm_place_index_get_distance (CmPlaceIndex *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->distance;
}

static inline guint64
cell_key (gint64 cx,
          gint64 cy)
{
  return ((guint64) (cx + G_MAXINT32) << 32) | (guint64) (cy + G_MAXINT32);
}

/* The entries of one cell: a binary search in the sorted cell array. */
static const CellEntry *
find_cell (const CellEntry *cells,
           guint            n,
           guint64          key,
           guint           *n_out)
{
  guint lo = 0, hi = n, start;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (cells[mid].cell < key)
        lo = mid + 1;
      else
        hi = mid;
    }
  start = lo;
  while (lo < n && cells[lo].cell == key)
    lo++;
  *n_out = lo - start;
  return cells + start;
}

static void
compute_level (CmPlaceIndex *self,
               guint         zoom)
{
  Level *level = &self->levels[zoom];
  double scale = cm_mercator_world_size (zoom, self->tile_size) / self->distance;
  double limit = 1.0 / (scale * scale);   /* distance squared, world units */
  g_autofree CellEntry *cells = g_new (CellEntry, MAX (self->n_points, 1));
  g_autofree guint32 *counts = NULL;
  guint n = self->n_points;

  for (guint i = 0; i < n; i++)
    {
      cells[i].cell = cell_key ((gint64) floor (self->points[i].x * scale),
                                (gint64) floor (self->points[i].y * scale));
      cells[i].point = i;
    }
  qsort (cells, n, sizeof (CellEntry), compare_cells);

  level->cluster_of = g_new (guint32, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    level->cluster_of[i] = G_MAXUINT32;
  level->clusters = g_new0 (CmPlaceCluster, MAX (n, 1));
  level->n_clusters = 0;

  for (guint o = 0; o < n; o++)
    {
      guint32 seed = self->order[o];
      const CmPlacePoint *p = &self->points[seed];
      gint64 cy = (gint64) floor (p->y * scale);
      CmPlaceCluster *cluster;
      guint32 c;

      if (level->cluster_of[seed] != G_MAXUINT32)
        continue;

      c = level->n_clusters++;
      cluster = &level->clusters[c];
      cluster->x = p->x;
      cluster->y = p->y;
      cluster->seed = p->id;
      level->cluster_of[seed] = c;

      /* Cells are as wide as the distance: the 3 x 3 around the seed hold
       * every place within it. The world wraps east and west, so near an
       * edge the cells of the seed moved by one world width count too. */
      for (int shift = -1; shift <= 1; shift++)
        {
          double sx = p->x + shift;
          gint64 scx = (gint64) floor (sx * scale);

          if (shift != 0 && (sx * scale < -2 || sx * scale > scale + 2))
            continue;
          for (gint64 dx = -1; dx <= 1; dx++)
            for (gint64 dy = -1; dy <= 1; dy++)
              {
                guint n_in;
                const CellEntry *in = find_cell (cells, n, cell_key (scx + dx, cy + dy), &n_in);

                for (guint k = 0; k < n_in; k++)
                  {
                    const CmPlacePoint *q = &self->points[in[k].point];
                    double ex = q->x - sx, ey = q->y - p->y;

                    if (level->cluster_of[in[k].point] == G_MAXUINT32 && !q->pinned
                        && ex * ex + ey * ey <= limit)
                      level->cluster_of[in[k].point] = c;
                  }
              }
        }
    }

  /* Members grouped by cluster, seed first, then in weight order. */
  counts = g_new0 (guint32, level->n_clusters + 1);
  for (guint i = 0; i < n; i++)
    {
      CmPlaceCluster *cluster = &level->clusters[level->cluster_of[i]];

      cluster->n_places++;
      cluster->weight += self->points[i].weight;
    }
  for (guint c = 0, first = 0; c < level->n_clusters; c++)
    {
      level->clusters[c].first_member = first;
      first += level->clusters[c].n_places;
    }
  level->members = g_new (guint32, MAX (n, 1));
  for (guint o = 0; o < n; o++)
    {
      guint32 i = self->order[o];
      guint32 c = level->cluster_of[i];

      level->members[level->clusters[c].first_member + counts[c]++] = self->points[i].id;
    }
  level->clusters = g_renew (CmPlaceCluster, level->clusters, MAX (level->n_clusters, 1));
  self->computed[zoom] = TRUE;
}

const CmPlaceCluster *
cm_place_index_get_clusters (CmPlaceIndex *self,
                             guint         zoom,
                             guint        *n_clusters)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (n_clusters != NULL, NULL);

  zoom = MIN (zoom, CM_PLACE_MAX_ZOOM);
  if (!self->computed[zoom])
    compute_level (self, zoom);
  *n_clusters = self->levels[zoom].n_clusters;
  return self->levels[zoom].clusters;
}

const guint32 *
cm_place_index_get_members (CmPlaceIndex         *self,
                            guint                 zoom,
                            const CmPlaceCluster *cluster)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (cluster != NULL, NULL);

  zoom = MIN (zoom, CM_PLACE_MAX_ZOOM);
  g_return_val_if_fail (self->computed[zoom], NULL);
  return self->levels[zoom].members + cluster->first_member;
}

guint32
cm_place_index_find_cluster (CmPlaceIndex *self,
                             guint         zoom,
                             guint32       id)
{
  guint n;
  guint32 point;

  g_return_val_if_fail (self != NULL, G_MAXUINT32);

  zoom = MIN (zoom, CM_PLACE_MAX_ZOOM);
  cm_place_index_get_clusters (self, zoom, &n);
  if (self->id_to_point != NULL)
    {
      gpointer value = g_hash_table_lookup (self->id_to_point, GUINT_TO_POINTER (id));

      if (value == NULL)
        return G_MAXUINT32;
      point = GPOINTER_TO_UINT (value) - 1;
    }
  else if (id < self->n_points)
    point = id;
  else
    return G_MAXUINT32;
  return self->levels[zoom].cluster_of[point];
}

double
cm_place_marker_radius (guint32 weight,
                        guint32 n_places,
                        double  max_radius)
{
  double base = n_places > 1 ? 9.0 : 4.0;

  return MIN (max_radius, base + 1.6 * sqrt ((double) weight));
}

int
cm_place_marks_hit (const CmPlaceMark *marks,
                    guint              n_marks,
                    double             x,
                    double             y,
                    double             slop)
{
  g_return_val_if_fail (marks != NULL || n_marks == 0, -1);

  /* Topmost first: a mark drawn on top of another is the one seen. */
  for (guint i = n_marks; i-- > 0;)
    {
      double dx = x - marks[i].x, dy = y - marks[i].y;
      double r = marks[i].radius + slop;

      if (dx * dx + dy * dy <= r * r)
        return (int) i;
    }
  return -1;
}
