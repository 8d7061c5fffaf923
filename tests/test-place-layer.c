/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-place-layer"

#include "config.h"

#include <math.h>

#include "cm-mercator.h"
#include "cm-place-cluster.h"

/* The headless part of the place layer: projection, clustering and
 * hit-testing. The widget itself is tested in test-map-view. */

#define DISTANCE 44.0

static CmPlacePoint *
random_points (guint   n,
               guint32 seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  CmPlacePoint *points = g_new (CmPlacePoint, n);

  for (guint i = 0; i < n; i++)
    {
      /* Dense in Europe, sparse elsewhere, like real datasets. */
      gboolean europe = i % 3 != 0;
      double lat = europe ? g_rand_double_range (rand, 35, 60)
                          : g_rand_double_range (rand, -60, 70);
      double lon = europe ? g_rand_double_range (rand, -10, 40)
                          : g_rand_double_range (rand, -180, 180);

      points[i].x = cm_mercator_x (lon);
      points[i].y = cm_mercator_y (lat);
      points[i].weight = g_rand_int_range (rand, 0, 50);
      points[i].id = i;
      points[i].pinned = FALSE;
    }
  return points;
}

static void
test_counts_conserved (void)
{
  guint n = 5000;
  g_autofree CmPlacePoint *points = random_points (n, 7);
  g_autoptr(CmPlaceIndex) index = cm_place_index_new (points, n, DISTANCE, 256);
  guint64 total_weight = 0;

  for (guint i = 0; i < n; i++)
    total_weight += points[i].weight;

  for (guint zoom = 0; zoom <= 16; zoom++)
    {
      g_autofree guint8 *seen = g_new0 (guint8, n);
      const CmPlaceCluster *clusters;
      guint n_clusters, places = 0;
      guint64 weight = 0;

      clusters = cm_place_index_get_clusters (index, zoom, &n_clusters);
      g_assert_cmpuint (n_clusters, >, 0);
      g_assert_cmpuint (n_clusters, <=, n);
      for (guint c = 0; c < n_clusters; c++)
        {
          const guint32 *members = cm_place_index_get_members (index, zoom, &clusters[c]);
          guint64 cluster_weight = 0;

          /* The seed is the first member and the heaviest. */
          g_assert_cmpuint (members[0], ==, clusters[c].seed);
          for (guint m = 0; m < clusters[c].n_places; m++)
            {
              g_assert_cmpuint (members[m], <, n);
              g_assert_false (seen[members[m]]);
              seen[members[m]] = 1;
              g_assert_cmpuint (points[members[m]].weight, <=, points[members[0]].weight);
              g_assert_cmpuint (cm_place_index_find_cluster (index, zoom, members[m]), ==, c);
              cluster_weight += points[members[m]].weight;
            }
          g_assert_cmpuint (cluster_weight, ==, clusters[c].weight);
          places += clusters[c].n_places;
          weight += clusters[c].weight;
        }
      g_assert_cmpuint (places, ==, n);
      g_assert_cmpuint (weight, ==, total_weight);
    }
}

static void
test_no_overlap (void)
{
  guint n = 3000;
  g_autofree CmPlacePoint *points = random_points (n, 11);
  g_autoptr(CmPlaceIndex) index = cm_place_index_new (points, n, DISTANCE, 256);
  guint previous = 0;

  for (guint zoom = 0; zoom <= 14; zoom++)
    {
      double world = cm_mercator_world_size (zoom, 256);
      const CmPlaceCluster *clusters;
      guint n_clusters;

      clusters = cm_place_index_get_clusters (index, zoom, &n_clusters);
      /* Zooming in never merges. */
      g_assert_cmpuint (n_clusters, >=, previous);
      previous = n_clusters;

      for (guint a = 0; a < n_clusters; a++)
        {
          double ra = cm_place_marker_radius (clusters[a].weight, clusters[a].n_places,
                                              DISTANCE / 2);

          for (guint b = a + 1; b < n_clusters; b++)
            {
              double rb = cm_place_marker_radius (clusters[b].weight, clusters[b].n_places,
                                                  DISTANCE / 2);
              /* The world wraps: distances go the short way round. */
              double ax = fabs (clusters[a].x - clusters[b].x);
              double dx = MIN (ax, 1 - ax) * world;
              double dy = (clusters[a].y - clusters[b].y) * world;
              double d = sqrt (dx * dx + dy * dy);

              g_assert_cmpfloat (d, >, DISTANCE);
              g_assert_cmpfloat (d, >, ra + rb);
            }
        }
    }
}

static void
test_split_on_zoom (void)
{
  /* Kyiv and Brovary, 20 km apart; Riyadh far away. */
  CmPlacePoint points[] = {
    { cm_mercator_x (30.5234), cm_mercator_y (50.4501), 5, 0 },
    { cm_mercator_x (30.7909), cm_mercator_y (50.5110), 2, 1 },
    { cm_mercator_x (46.6753), cm_mercator_y (24.7136), 1, 2 },
  };
  g_autoptr(CmPlaceIndex) index = cm_place_index_new (points, 3, DISTANCE, 256);
  const CmPlaceCluster *clusters;
  guint n;

  clusters = cm_place_index_get_clusters (index, 4, &n);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpuint (clusters[0].seed, ==, 0);       /* heaviest first */
  g_assert_cmpuint (clusters[0].n_places, ==, 2);
  g_assert_cmpuint (clusters[0].weight, ==, 7);
  g_assert_cmpfloat (clusters[0].x, ==, points[0].x);
  g_assert_cmpuint (cm_place_index_find_cluster (index, 4, 1), ==, 0);
  g_assert_cmpuint (cm_place_index_find_cluster (index, 4, 2), ==, 1);
  g_assert_cmpuint (cm_place_index_find_cluster (index, 4, 99), ==, G_MAXUINT32);

  /* 20 km is 44 pixels at about zoom 10. */
  clusters = cm_place_index_get_clusters (index, 11, &n);
  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpuint (clusters[0].n_places, ==, 1);

  /* Past the last zoom the last one is used. */
  cm_place_index_get_clusters (index, 100, &n);
  g_assert_cmpuint (n, ==, 3);

  /* Places at the very same spot never split. */
  {
    CmPlacePoint same[] = { { 0.5, 0.5, 1, 10 }, { 0.5, 0.5, 1, 20 } };
    g_autoptr(CmPlaceIndex) twin = cm_place_index_new (same, 2, DISTANCE, 256);

    clusters = cm_place_index_get_clusters (twin, CM_PLACE_MAX_ZOOM, &n);
    g_assert_cmpuint (n, ==, 1);
    /* Equal weights: the first given seeds; ids need not be indexes. */
    g_assert_cmpuint (clusters[0].seed, ==, 10);
    g_assert_cmpuint (cm_place_index_find_cluster (twin, 3, 20), ==, 0);
  }
}

static void
test_antimeridian (void)
{
  /* Fiji's islands on both sides of 180 degrees, 10 km apart. */
  CmPlacePoint points[] = {
    { cm_mercator_x (179.95), cm_mercator_y (-16.8), 3, 0 },
    { cm_mercator_x (-179.95), cm_mercator_y (-16.8), 1, 1 },
    { cm_mercator_x (-179.9), cm_mercator_y (-16.9), 1, 2 },
  };
  g_autoptr(CmPlaceIndex) index = cm_place_index_new (points, 3, DISTANCE, 256);
  const CmPlaceCluster *clusters;
  guint n;

  /* One cluster across the seam, seeded by the heaviest. */
  clusters = cm_place_index_get_clusters (index, 5, &n);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpuint (clusters[0].seed, ==, 0);
  g_assert_cmpuint (clusters[0].n_places, ==, 3);
  clusters = cm_place_index_get_clusters (index, 14, &n);
  g_assert_cmpuint (n, ==, 3);
}

static void
test_empty (void)
{
  g_autoptr(CmPlaceIndex) index = cm_place_index_new (NULL, 0, DISTANCE, 256);
  guint n = 99;

  cm_place_index_get_clusters (index, 3, &n);
  g_assert_cmpuint (n, ==, 0);
  g_assert_cmpuint (cm_place_index_get_n_points (index), ==, 0);
}

static void
test_radius (void)
{
  double previous = 0;

  for (guint w = 0; w < 2000; w += 7)
    {
      double r = cm_place_marker_radius (w, 1, 22);

      g_assert_cmpfloat (r, >=, previous);
      g_assert_cmpfloat (r, <=, 22);
      g_assert_cmpfloat (r, >=, 4);
      previous = r;
    }
  /* A cluster leaves room for its count. */
  g_assert_cmpfloat (cm_place_marker_radius (2, 2, 22), >, cm_place_marker_radius (2, 1, 22));
  g_assert_cmpfloat (cm_place_marker_radius (2, 2, 22), >=, 9);
}

static void
test_hit (void)
{
  CmPlaceMark marks[] = {
    { 100, 100, 10, 0 },
    { 112, 100, 10, 1 },    /* overlaps the first, drawn on top */
    { 300, 50, 5, 2 },
  };

  g_assert_cmpint (cm_place_marks_hit (marks, 3, 100, 100, 0), ==, 0);
  g_assert_cmpint (cm_place_marks_hit (marks, 3, 106, 100, 0), ==, 1);
  g_assert_cmpint (cm_place_marks_hit (marks, 3, 300, 50, 0), ==, 2);
  g_assert_cmpint (cm_place_marks_hit (marks, 3, 300, 57, 0), ==, -1);
  /* The slop makes small markers easier to hit. */
  g_assert_cmpint (cm_place_marks_hit (marks, 3, 300, 57, 4), ==, 2);
  g_assert_cmpint (cm_place_marks_hit (marks, 3, 200, 200, 4), ==, -1);
  g_assert_cmpint (cm_place_marks_hit (NULL, 0, 0, 0, 4), ==, -1);
}

static void
test_projection_to_pixels (void)
{
  /* At zoom 3 (2048 px world), Kyiv and Riyadh land where a tile server
   * would draw them: pixel = world units * 256 * 2^zoom. */
  double world = cm_mercator_world_size (3, 256);
  double kx = cm_mercator_x (30.5234) * world, ky = cm_mercator_y (50.4501) * world;
  double rx = cm_mercator_x (46.6753) * world, ry = cm_mercator_y (24.7136) * world;

  g_assert_cmpfloat_with_epsilon (kx, 1197.644, 0.001);
  g_assert_cmpfloat_with_epsilon (ky, 690.566, 0.001);
  g_assert_cmpfloat_with_epsilon (rx, 1289.531, 0.001);
  g_assert_cmpfloat_with_epsilon (ry, 878.833, 0.001);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/place-layer/projection/pixels", test_projection_to_pixels);
  g_test_add_func ("/place-layer/cluster/counts-conserved", test_counts_conserved);
  g_test_add_func ("/place-layer/cluster/no-overlap", test_no_overlap);
  g_test_add_func ("/place-layer/cluster/split-on-zoom", test_split_on_zoom);
  g_test_add_func ("/place-layer/cluster/antimeridian", test_antimeridian);
  g_test_add_func ("/place-layer/cluster/empty", test_empty);
  g_test_add_func ("/place-layer/marker-radius", test_radius);
  g_test_add_func ("/place-layer/hit", test_hit);

  return g_test_run ();
}
