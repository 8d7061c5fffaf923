/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-topojson"

#include "config.h"

#include <math.h>

#include "cm-topojson.h"

/* Two squares sharing an edge, quantised with scale 0.5 / translate (10, 20):
 * arc 0 is the shared edge (2,0)->(2,2), arc 1 the rest of the left square,
 * arc 2 the rest of the right square. Positions are delta-encoded. */
static const char two_squares[] =
  "{\"type\": \"Topology\","
  " \"transform\": {\"scale\": [0.5, 0.5], \"translate\": [10, 20]},"
  " \"arcs\": ["
  "   [[2, 0], [0, 2]],"
  "   [[2, 2], [-2, 0], [0, -2], [2, 0]],"
  "   [[2, 0], [2, 0], [0, 2], [-2, 0]]"
  " ],"
  " \"objects\": {\"shapes\": {\"type\": \"GeometryCollection\", \"geometries\": ["
  "   {\"type\": \"Polygon\", \"arcs\": [[0, 1]], \"id\": \"L\","
  "    \"properties\": {\"name\": \"Left\"}},"
  "   {\"type\": \"MultiPolygon\", \"arcs\": [[[2, -1]]], \"id\": 7},"
  "   {\"type\": \"Point\", \"coordinates\": [1, 1]},"
  "   {\"type\": \"GeometryCollection\", \"geometries\": ["
  "     {\"type\": \"Polygon\", \"arcs\": [[-3, 0]], \"properties\": {\"name\": \"Inner\"}}]}"
  " ]}}}";

static CmTopology *
parse (const char *text)
{
  g_autoptr(GError) error = NULL;
  CmTopology *topology = cm_topology_new_from_data (text, -1, &error);

  g_assert_no_error (error);
  g_assert_nonnull (topology);
  return topology;
}

static void
assert_point (const CmGeoPoint *p,
              double            lon,
              double            lat)
{
  g_assert_cmpfloat_with_epsilon (p->lon, lon, 1e-9);
  g_assert_cmpfloat_with_epsilon (p->lat, lat, 1e-9);
}

static void
test_quantised (void)
{
  g_autoptr(CmTopology) topology = parse (two_squares);
  const CmGeoPoint *arc;
  guint n;

  g_assert_cmpuint (cm_topology_get_n_arcs (topology), ==, 3);

  /* Delta-decoded then scaled: (2,0) -> (11, 20); (2,2) -> (11, 21). */
  arc = cm_topology_get_arc (topology, 0, &n);
  g_assert_cmpuint (n, ==, 2);
  assert_point (&arc[0], 11, 20);
  assert_point (&arc[1], 11, 21);

  arc = cm_topology_get_arc (topology, 1, &n);
  g_assert_cmpuint (n, ==, 4);
  assert_point (&arc[0], 11, 21);
  assert_point (&arc[1], 10, 21);
  assert_point (&arc[2], 10, 20);
  assert_point (&arc[3], 11, 20);

  arc = cm_topology_get_arc (topology, 2, &n);
  assert_point (&arc[1], 12, 20);
  assert_point (&arc[3], 11, 21);
}

static void
test_unquantised (void)
{
  g_autoptr(CmTopology) topology = parse (
    "{\"type\": \"Topology\", \"arcs\": [[[1.5, 2.5], [3.25, -4], [1.5, 2.5]]],"
    " \"objects\": {\"o\": {\"type\": \"Polygon\", \"arcs\": [[0]]}}}");
  const CmGeoPoint *arc;
  guint n;

  /* Without a transform positions are absolute, not deltas. */
  arc = cm_topology_get_arc (topology, 0, &n);
  g_assert_cmpuint (n, ==, 3);
  assert_point (&arc[0], 1.5, 2.5);
  assert_point (&arc[1], 3.25, -4);
  assert_point (&arc[2], 1.5, 2.5);
}

static void
test_geometries (void)
{
  g_autoptr(CmTopology) topology = parse (two_squares);
  const CmTopoGeometry *geometries;
  guint n;

  g_assert_null (cm_topology_get_geometries (topology, "nothing", &n));
  g_assert_cmpuint (n, ==, 0);

  /* The point is left out; the nested collection is flattened. */
  geometries = cm_topology_get_geometries (topology, "shapes", &n);
  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpstr (geometries[0].name, ==, "Left");
  g_assert_cmpstr (geometries[0].id, ==, "L");
  g_assert_cmpint (geometries[0].type, ==, CM_TOPO_POLYGON);
  g_assert_cmpuint (geometries[0].n_polygons, ==, 1);
  g_assert_null (geometries[1].name);
  g_assert_cmpstr (geometries[1].id, ==, "7");
  g_assert_cmpint (geometries[1].type, ==, CM_TOPO_MULTI_POLYGON);
  g_assert_cmpstr (geometries[2].name, ==, "Inner");
}

static void
test_arc_reversal (void)
{
  g_autoptr(CmTopology) topology = parse (two_squares);
  g_autoptr(GArray) points = g_array_new (FALSE, FALSE, sizeof (CmGeoPoint));
  const CmTopoGeometry *geometries;
  const gint32 *arcs;
  guint n, n_arcs;

  geometries = cm_topology_get_geometries (topology, "shapes", &n);

  /* Right square: arc 2 then arc 0 backwards (~0 == -1). */
  arcs = cm_topology_get_ring_arcs (topology, geometries[1].first_polygon, 0, &n_arcs);
  g_assert_cmpuint (n_arcs, ==, 2);
  g_assert_cmpint (arcs[0], ==, 2);
  g_assert_cmpint (arcs[1], ==, -1);

  cm_topology_append_ring_points (topology, arcs, n_arcs, points);
  /* 4 points of arc 2, then arc 0 reversed without its repeated first
   * point: a closed ring of 5. */
  g_assert_cmpuint (points->len, ==, 5);
  assert_point (&g_array_index (points, CmGeoPoint, 0), 11, 20);
  assert_point (&g_array_index (points, CmGeoPoint, 1), 12, 20);
  assert_point (&g_array_index (points, CmGeoPoint, 2), 12, 21);
  assert_point (&g_array_index (points, CmGeoPoint, 3), 11, 21);
  assert_point (&g_array_index (points, CmGeoPoint, 4), 11, 20);

  /* Inner: ~2 (arc 2 backwards) then arc 0. */
  g_array_set_size (points, 0);
  arcs = cm_topology_get_ring_arcs (topology, geometries[2].first_polygon, 0, &n_arcs);
  cm_topology_append_ring_points (topology, arcs, n_arcs, points);
  g_assert_cmpuint (points->len, ==, 5);
  assert_point (&g_array_index (points, CmGeoPoint, 0), 11, 21);
  assert_point (&g_array_index (points, CmGeoPoint, 1), 12, 21);
  assert_point (&g_array_index (points, CmGeoPoint, 3), 11, 20);
  assert_point (&g_array_index (points, CmGeoPoint, 4), 11, 21);
}

static void
assert_error (const char *text,
              int         code,
              const char *fragment)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CmTopology) topology = cm_topology_new_from_data (text, -1, &error);

  g_assert_null (topology);
  g_assert_error (error, CM_TOPOJSON_ERROR, code);
  if (fragment != NULL && strstr (error->message, fragment) == NULL)
    g_error ("\"%s\" does not mention \"%s\"", error->message, fragment);
}

static void
test_errors (void)
{
  assert_error ("{\"type\": ", CM_TOPOJSON_ERROR_PARSE, "not JSON");
  assert_error ("[1, 2]", CM_TOPOJSON_ERROR_INVALID, "Topology");
  assert_error ("{\"type\": \"FeatureCollection\"}", CM_TOPOJSON_ERROR_INVALID, "Topology");
  assert_error ("{\"type\": \"Topology\", \"objects\": {}}", CM_TOPOJSON_ERROR_INVALID, "arcs");
  assert_error ("{\"type\": \"Topology\", \"arcs\": [[[0, 0]]], \"objects\": {}}",
                CM_TOPOJSON_ERROR_INVALID, "arcs[0]");
  assert_error ("{\"type\": \"Topology\", \"arcs\": [[[0, 0], [1, \"x\"]]], \"objects\": {}}",
                CM_TOPOJSON_ERROR_INVALID, "arcs[0]");
  assert_error ("{\"type\": \"Topology\", \"transform\": {\"scale\": [1]},"
                " \"arcs\": [], \"objects\": {}}",
                CM_TOPOJSON_ERROR_INVALID, "transform");
  assert_error ("{\"type\": \"Topology\", \"arcs\": [[[0, 0], [1, 1]]],"
                " \"objects\": {\"o\": {\"type\": \"Polygon\", \"arcs\": [[1]]}}}",
                CM_TOPOJSON_ERROR_INVALID, "out of range");
  /* ~1 == -2 is arc 1, which does not exist either. */
  assert_error ("{\"type\": \"Topology\", \"arcs\": [[[0, 0], [1, 1]]],"
                " \"objects\": {\"o\": {\"type\": \"Polygon\", \"arcs\": [[-2]]}}}",
                CM_TOPOJSON_ERROR_INVALID, "objects.o");
  assert_error ("{\"type\": \"Topology\", \"arcs\": [[[0, 0], [1, 1]]],"
                " \"objects\": {\"o\": {\"type\": \"Polygon\", \"arcs\": [[0.5]]}}}",
                CM_TOPOJSON_ERROR_INVALID, "ring");
}

static void
test_unwrap (void)
{
  /* Fiji-like ring crossing the antimeridian. */
  CmGeoPoint ring[] = {
    { 179, -16 }, { -179, -16 }, { -179, -17 }, { 179, -17 }, { 179, -16 },
  };
  /* A ring around the south pole, west to east. */
  CmGeoPoint polar[] = {
    { -180, -70 }, { -90, -72 }, { 0, -70 }, { 90, -68 }, { 180, -70 },
  };
  CmGeoPoint eastward[] = { { 170, 0 }, { -170, 0 }, { -150, 0 }, { 175, 0 } };

  g_assert_cmpint (cm_geo_unwrap_longitudes (ring, G_N_ELEMENTS (ring)), ==, 0);
  g_assert_cmpfloat (ring[1].lon, ==, 181);
  g_assert_cmpfloat (ring[2].lon, ==, 181);
  g_assert_cmpfloat (ring[3].lon, ==, 179);
  for (guint i = 1; i < G_N_ELEMENTS (ring); i++)
    g_assert_cmpfloat (fabs (ring[i].lon - ring[i - 1].lon), <=, 180);

  g_assert_cmpint (cm_geo_unwrap_longitudes (polar, G_N_ELEMENTS (polar)), ==, 1);
  g_assert_cmpfloat (polar[4].lon, ==, 180);

  g_assert_cmpint (cm_geo_unwrap_longitudes (eastward, G_N_ELEMENTS (eastward)), ==, 0);
  g_assert_cmpfloat (eastward[1].lon, ==, 190);
  g_assert_cmpfloat (eastward[2].lon, ==, 210);
  g_assert_cmpfloat (eastward[3].lon, ==, 175);
}

static void
test_world_atlas (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("CHRONOMAP_DATADIR") ?: ".", "basemap",
                                            "countries-50m.json", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CmTopology) topology = NULL;
  g_autoptr(GArray) points = g_array_new (FALSE, FALSE, sizeof (CmGeoPoint));
  const CmTopoGeometry *countries;
  guint n, polar_rings = 0, crossing_rings = 0;
  gboolean russia = FALSE, fiji = FALSE;

  topology = cm_topology_new_from_file (path, &error);
  g_assert_no_error (error);

  countries = cm_topology_get_geometries (topology, "countries", &n);
  g_assert_cmpuint (n, ==, 241);
  g_assert_cmpuint (cm_topology_get_n_arcs (topology), >, 1000);

  for (guint c = 0; c < n; c++)
    {
      russia |= g_strcmp0 (countries[c].name, "Russia") == 0;
      fiji |= g_strcmp0 (countries[c].name, "Fiji") == 0;

      for (guint p = 0; p < countries[c].n_polygons; p++)
        {
          guint polygon = countries[c].first_polygon + p;

          for (guint r = 0; r < cm_topology_get_polygon_n_rings (topology, polygon); r++)
            {
              guint n_arcs;
              const gint32 *arcs = cm_topology_get_ring_arcs (topology, polygon, r, &n_arcs);
              CmGeoPoint *pts;
              double min_lon = G_MAXDOUBLE, max_lon = -G_MAXDOUBLE;
              int turns;

              g_array_set_size (points, 0);
              cm_topology_append_ring_points (topology, arcs, n_arcs, points);
              pts = (CmGeoPoint *) points->data;
              g_assert_cmpuint (points->len, >=, 4);
              for (guint i = 0; i < points->len; i++)
                {
                  g_assert_cmpfloat (pts[i].lat, >=, -90);
                  g_assert_cmpfloat (pts[i].lat, <=, 90);
                  g_assert_cmpfloat (fabs (pts[i].lon), <=, 180.0001);
                }

              turns = cm_geo_unwrap_longitudes (pts, points->len);
              for (guint i = 0; i < points->len; i++)
                {
                  min_lon = MIN (min_lon, pts[i].lon);
                  max_lon = MAX (max_lon, pts[i].lon);
                }
              if (turns != 0)
                {
                  /* Only Antarctica goes round the pole. */
                  g_assert_cmpstr (countries[c].name, ==, "Antarctica");
                  polar_rings++;
                }
              else
                {
                  /* Closed after unwrapping, and never wider than half the
                   * world: no ring streaks across the map. */
                  g_assert_cmpfloat_with_epsilon (pts[0].lon, pts[points->len - 1].lon, 1e-6);
                  g_assert_cmpfloat (max_lon - min_lon, <, 180);
                  if (min_lon < -180 || max_lon > 180)
                    crossing_rings++;
                }
            }
        }
    }
  g_assert_true (russia);
  g_assert_true (fiji);
  /* Antarctica: its ring along the pole and its coast. */
  g_assert_cmpuint (polar_rings, ==, 2);
  /* Russia's Chukotka and some of Fiji's islands cross 180 degrees. */
  g_assert_cmpuint (crossing_rings, >=, 2);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/topojson/decode/quantised", test_quantised);
  g_test_add_func ("/topojson/decode/unquantised", test_unquantised);
  g_test_add_func ("/topojson/decode/geometries", test_geometries);
  g_test_add_func ("/topojson/decode/arc-reversal", test_arc_reversal);
  g_test_add_func ("/topojson/errors", test_errors);
  g_test_add_func ("/topojson/antimeridian/unwrap", test_unwrap);
  g_test_add_func ("/topojson/world-atlas", test_world_atlas);

  return g_test_run ();
}
