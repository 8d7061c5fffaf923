/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-topojson"

#include "config.h"

#include <math.h>
#include <json-glib/json-glib.h>

#include "cm-topojson.h"

typedef struct
{
  guint32 first;
  guint32 n;
} Span;

typedef struct
{
  char   *name;
  guint32 first_geometry;
  guint32 n_geometries;
} TopoObject;

struct _CmTopology
{
  GArray       *points;         /* CmGeoPoint, all arcs back to back */
  GArray       *arcs;           /* Span into points */
  GArray       *objects;        /* TopoObject */
  GArray       *geometries;     /* CmTopoGeometry */
  GArray       *polygons;       /* Span into rings */
  GArray       *rings;          /* Span into refs */
  GArray       *refs;           /* gint32 signed arc references */
  GStringChunk *strings;
};

G_DEFINE_QUARK (cm-topojson-error-quark, cm_topojson_error)

typedef struct
{
  double scale[2];
  double translate[2];
  gboolean quantised;
} Transform;

static gboolean
read_number_pair (JsonNode *node,
                  double    out[2])
{
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return FALSE;
  array = json_node_get_array (node);
  if (json_array_get_length (array) < 2)
    return FALSE;
  for (guint i = 0; i < 2; i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (element)
          || (json_node_get_value_type (element) != G_TYPE_INT64
              && json_node_get_value_type (element) != G_TYPE_DOUBLE))
        return FALSE;
      out[i] = json_node_get_double (element);
      if (!isfinite (out[i]))
        return FALSE;
    }
  return TRUE;
}

static gboolean
read_transform (JsonObject *root,
                Transform  *transform,
                GError    **error)
{
  JsonNode *node = json_object_get_member (root, "transform");
  JsonObject *object;

  transform->quantised = FALSE;
  transform->scale[0] = transform->scale[1] = 1;
  transform->translate[0] = transform->translate[1] = 0;
  if (node == NULL)
    return TRUE;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    goto bad;
  object = json_node_get_object (node);
  if (!read_number_pair (json_object_get_member (object, "scale"), transform->scale)
      || !read_number_pair (json_object_get_member (object, "translate"), transform->translate))
    goto bad;
  transform->quantised = TRUE;
  return TRUE;

bad:
  g_set_error_literal (error, CM_TOPOJSON_ERROR, CM_TOPOJSON_ERROR_INVALID,
                       "transform: needs \"scale\" and \"translate\", each two numbers");
  return FALSE;
}

static gboolean
read_arcs (CmTopology      *self,
           JsonObject      *root,
           const Transform *transform,
           GError         **error)
{
  JsonNode *node = json_object_get_member (root, "arcs");
  JsonArray *arcs;
  guint n_arcs;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error_literal (error, CM_TOPOJSON_ERROR, CM_TOPOJSON_ERROR_INVALID,
                           "arcs: missing, or not an array");
      return FALSE;
    }

  arcs = json_node_get_array (node);
  n_arcs = json_array_get_length (arcs);
  g_array_set_size (self->arcs, n_arcs);

  for (guint i = 0; i < n_arcs; i++)
    {
      JsonNode *arc_node = json_array_get_element (arcs, i);
      Span *span = &g_array_index (self->arcs, Span, i);
      JsonArray *positions;
      guint n_positions;
      double x = 0, y = 0;

      if (!JSON_NODE_HOLDS_ARRAY (arc_node))
        goto bad;
      positions = json_node_get_array (arc_node);
      n_positions = json_array_get_length (positions);
      if (n_positions < 2)
        goto bad;

      span->first = self->points->len;
      span->n = n_positions;
      for (guint j = 0; j < n_positions; j++)
        {
          double position[2];
          CmGeoPoint point;

          if (!read_number_pair (json_array_get_element (positions, j), position))
            goto bad;
          /* Quantised arcs are delta-encoded: each position is the offset
           * from the previous one, in integer steps of the transform. */
          if (transform->quantised)
            {
              x += position[0];
              y += position[1];
              point.lon = x * transform->scale[0] + transform->translate[0];
              point.lat = y * transform->scale[1] + transform->translate[1];
            }
          else
            {
              point.lon = position[0];
              point.lat = position[1];
            }
          g_array_append_val (self->points, point);
        }
      continue;

    bad:
      g_set_error (error, CM_TOPOJSON_ERROR, CM_TOPOJSON_ERROR_INVALID,
                   "arcs[%u]: an arc is an array of at least two positions of two numbers", i);
      return FALSE;
    }

  return TRUE;
}

static gboolean
read_ring (CmTopology *self,
           JsonNode   *node,
           GError    **error)
{
  JsonArray *refs;
  Span ring;
  gint64 n_arcs = self->arcs->len;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    goto bad;
  refs = json_node_get_array (node);
  ring.first = self->refs->len;
  ring.n = json_array_get_length (refs);
  if (ring.n == 0)
    goto bad;

  for (guint i = 0; i < ring.n; i++)
    {
      JsonNode *element = json_array_get_element (refs, i);
      gint64 value;
      gint32 ref;

      if (!JSON_NODE_HOLDS_VALUE (element)
          || json_node_get_value_type (element) != G_TYPE_INT64)
        goto bad;
      value = json_node_get_int (element);
      /* ~i (= -i - 1) refers to arc i, walked backwards. */
      if (value >= n_arcs || value < -n_arcs)
        {
          g_set_error (error, CM_TOPOJSON_ERROR, CM_TOPOJSON_ERROR_INVALID,
                       "arc reference %" G_GINT64_FORMAT " is out of range (%" G_GINT64_FORMAT
                       " arcs)", value, n_arcs);
          return FALSE;
        }
      ref = (gint32) value;
      g_array_append_val (self->refs, ref);
    }
  g_array_append_val (self->rings, ring);
  return TRUE;

bad:
  g_set_error_literal (error, CM_TOPOJSON_ERROR, CM_TOPOJSON_ERROR_INVALID,
                       "a ring is a non-empty array of integer arc references");
  return FALSE;
}

static gboolean
read_polygon (CmTopology *self,
              JsonNode   *node,
              GError    **error)
{
  JsonArray *rings;
  Span polygon;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error_literal (error, CM_TOPOJSON_ERROR, CM_TOPOJSON_ERROR_INVALID,
                           "a polygon is an array of rings");
      return FALSE;
    }
  rings = json_node_get_array (node);
  polygon.first = self->rings->len;
  polygon.n = json_array_get_length (rings);
  for (guint i = 0; i < polygon.n; i++)
    if (!read_ring (self, json_array_get_element (rings, i), error))
      return FALSE;
  if (polygon.n > 0)
    g_array_append_val (self->polygons, polygon);
  return TRUE;
}

/* A string member, or NULL: json-glib's own getter warns (a critical) on
 * a member that is an object or an array, which a damaged file may hold. */
static const char *
string_member (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static const char *
get_string_member (CmTopology *self,
                   JsonObject *object,
                   const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return g_string_chunk_insert_const (self->strings, json_node_get_string (node));
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    {
      g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));

      return g_string_chunk_insert_const (self->strings, text);
    }
  return NULL;
}

static gboolean
read_geometry (CmTopology *self,
               JsonNode   *node,
               guint       depth,
               GError    **error)
{
  JsonObject *object;
  const char *type;
  JsonNode *arcs_node;
  JsonNode *properties;
  CmTopoGeometry geometry = { 0 };

  if (!JSON_NODE_HOLDS_OBJECT (node))
    goto bad;
  object = json_node_get_object (node);
  type = string_member (object, "type");
  if (type == NULL)
    goto bad;

  if (g_str_equal (type, "GeometryCollection"))
    {
      JsonNode *children = json_object_get_member (object, "geometries");
      JsonArray *array;

      if (depth > 32 || children == NULL || !JSON_NODE_HOLDS_ARRAY (children))
        goto bad;
      array = json_node_get_array (children);
      for (guint i = 0; i < json_array_get_length (array); i++)
        if (!read_geometry (self, json_array_get_element (array, i), depth + 1, error))
          return FALSE;
      return TRUE;
    }

  /* Points and lines draw nothing on a basemap; a null type is allowed by
   * the specification for a feature without geometry. */
  if (!g_str_equal (type, "Polygon") && !g_str_equal (type, "MultiPolygon"))
    return TRUE;

  arcs_node = json_object_get_member (object, "arcs");
  if (arcs_node == NULL || !JSON_NODE_HOLDS_ARRAY (arcs_node))
    goto bad;

  properties = json_object_get_member (object, "properties");
  geometry.id = get_string_member (self, object, "id");
  geometry.name = get_string_member (self,
                                     properties && JSON_NODE_HOLDS_OBJECT (properties)
                                       ? json_node_get_object (properties) : NULL,
                                     "name");
  geometry.first_polygon = self->polygons->len;

  if (g_str_equal (type, "Polygon"))
    {
      geometry.type = CM_TOPO_POLYGON;
      if (!read_polygon (self, arcs_node, error))
        return FALSE;
    }
  else
    {
      JsonArray *polygons = json_node_get_array (arcs_node);

      geometry.type = CM_TOPO_MULTI_POLYGON;
      for (guint i = 0; i < json_array_get_length (polygons); i++)
        if (!read_polygon (self, json_array_get_element (polygons, i), error))
          return FALSE;
    }
  geometry.n_polygons = self->polygons->len - geometry.first_polygon;
  g_array_append_val (self->geometries, geometry);
  return TRUE;

bad:
  if (error != NULL && *error == NULL)
    g_set_error_literal (error, CM_TOPOJSON_ERROR, CM_TOPOJSON_ERROR_INVALID,
                         "a geometry is an object with a \"type\" and its \"arcs\""
                         " or \"geometries\"");
  return FALSE;
}

static gboolean
read_objects (CmTopology *self,
              JsonObject *root,
              GError    **error)
{
  JsonNode *node = json_object_get_member (root, "objects");
  JsonObject *objects;
  g_autoptr(GList) names = NULL;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, CM_TOPOJSON_ERROR, CM_TOPOJSON_ERROR_INVALID,
                           "objects: missing, or not an object");
      return FALSE;
    }
  objects = json_node_get_object (node);
  names = json_object_get_members (objects);

  for (const GList *l = names; l != NULL; l = l->next)
    {
      TopoObject object;

      object.name = g_strdup (l->data);
      object.first_geometry = self->geometries->len;
      if (!read_geometry (self, json_object_get_member (objects, l->data), 0, error))
        {
          g_prefix_error (error, "objects.%s: ", (const char *) l->data);
          g_free (object.name);
          return FALSE;
        }
      object.n_geometries = self->geometries->len - object.first_geometry;
      g_array_append_val (self->objects, object);
    }
  return TRUE;
}

static void
clear_object (gpointer data)
{
  TopoObject *object = data;

  g_free (object->name);
}

static CmTopology *
topology_new (void)
{
  CmTopology *self = g_new0 (CmTopology, 1);

  self->points = g_array_new (FALSE, FALSE, sizeof (CmGeoPoint));
  self->arcs = g_array_new (FALSE, FALSE, sizeof (Span));
  self->objects = g_array_new (FALSE, FALSE, sizeof (TopoObject));
  g_array_set_clear_func (self->objects, clear_object);
  self->geometries = g_array_new (FALSE, FALSE, sizeof (CmTopoGeometry));
  self->polygons = g_array_new (FALSE, FALSE, sizeof (Span));
  self->rings = g_array_new (FALSE, FALSE, sizeof (Span));
  self->refs = g_array_new (FALSE, FALSE, sizeof (gint32));
  self->strings = g_string_chunk_new (4096);
  return self;
}

void
cm_topology_free (CmTopology *self)
{
  if (self == NULL)
    return;
  g_array_unref (self->points);
  g_array_unref (self->arcs);
  g_array_unref (self->objects);
  g_array_unref (self->geometries);
  g_array_unref (self->polygons);
  g_array_unref (self->rings);
  g_array_unref (self->refs);
  g_string_chunk_free (self->strings);
  g_free (self);
}

CmTopology *
cm_topology_new_from_data (const char *data,
                           gssize      length,
                           GError    **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(CmTopology) self = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;
  JsonObject *object;
  Transform transform;

  g_return_val_if_fail (data != NULL, NULL);

  if (!json_parser_load_from_data (parser, data, length, &local_error))
    {
      g_set_error (error, CM_TOPOJSON_ERROR, CM_TOPOJSON_ERROR_PARSE,
                   "not JSON: %s", local_error->message);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root)
      || g_strcmp0 (string_member (json_node_get_object (root), "type"), "Topology") != 0)
    {
      g_set_error_literal (error, CM_TOPOJSON_ERROR, CM_TOPOJSON_ERROR_INVALID,
                           "not a TopoJSON topology (\"type\": \"Topology\")");
      return NULL;
    }
  object = json_node_get_object (root);

  self = topology_new ();
  if (!read_transform (object, &transform, error)
      || !read_arcs (self, object, &transform, error)
      || !read_objects (self, object, error))
    return NULL;

  return g_steal_pointer (&self);
}

CmTopology *
cm_topology_new_from_file (const char *path,
                           GError    **error)
{
  g_autofree char *contents = NULL;
  gsize length;
  CmTopology *self;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_get_contents (path, &contents, &length, error))
    return NULL;
  self = cm_topology_new_from_data (contents, length, error);
  if (self == NULL)
    g_prefix_error (error, "%s: ", path);
  return self;
}

guint
cm_topology_get_n_arcs (CmTopology *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->arcs->len;
}

const CmGeoPoint *
cm_topology_get_arc (CmTopology *self,
                     guint       index,
                     guint      *n_points)
{
  const Span *span;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->arcs->len, NULL);
  g_return_val_if_fail (n_points != NULL, NULL);

  span = &g_array_index (self->arcs, Span, index);
  *n_points = span->n;
  return &g_array_index (self->points, CmGeoPoint, span->first);
}

const CmTopoGeometry *
cm_topology_get_geometries (CmTopology *self,
                            const char *name,
                            guint      *n_geometries)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (n_geometries != NULL, NULL);

  for (guint i = 0; i < self->objects->len; i++)
    {
      const TopoObject *object = &g_array_index (self->objects, TopoObject, i);

      if (g_str_equal (object->name, name))
        {
          *n_geometries = object->n_geometries;
          return &g_array_index (self->geometries, CmTopoGeometry, object->first_geometry);
        }
    }
  *n_geometries = 0;
  return NULL;
}

guint
cm_topology_get_polygon_n_rings (CmTopology *self,
                                 guint       polygon)
{
  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (polygon < self->polygons->len, 0);

  return g_array_index (self->polygons, Span, polygon).n;
}

const gint32 *
cm_topology_get_ring_arcs (CmTopology *self,
                           guint       polygon,
                           guint       ring,
                           guint      *n_arcs)
{
  const Span *poly;
  const Span *span;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (polygon < self->polygons->len, NULL);
  g_return_val_if_fail (n_arcs != NULL, NULL);

  poly = &g_array_index (self->polygons, Span, polygon);
  g_return_val_if_fail (ring < poly->n, NULL);

  span = &g_array_index (self->rings, Span, poly->first + ring);
  *n_arcs = span->n;
  return &g_array_index (self->refs, gint32, span->first);
}

void
cm_topology_append_ring_points (CmTopology   *self,
                                const gint32 *arcs,
                                guint         n_arcs,
                                GArray       *points)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (points != NULL);

  for (guint i = 0; i < n_arcs; i++)
    {
      gboolean reversed = arcs[i] < 0;
      guint index = reversed ? (guint) ~arcs[i] : (guint) arcs[i];
      const CmGeoPoint *arc;
      guint n;

      g_return_if_fail (index < self->arcs->len);
      arc = cm_topology_get_arc (self, index, &n);

      /* Consecutive arcs share their joining point: skip the repeat. */
      for (guint j = i > 0 ? 1 : 0; j < n; j++)
        g_array_append_val (points, arc[reversed ? n - 1 - j : j]);
    }
}

int
cm_geo_unwrap_longitudes (CmGeoPoint *points,
                          guint       n_points)
{
  double shift = 0;

  if (n_points < 2)
    return 0;

  for (guint i = 1; i < n_points; i++)
    {
      double previous = points[i - 1].lon;   /* already unwrapped */
      double step;

      points[i].lon += shift;
      step = points[i].lon - previous;
      if (step > 180)
        {
          shift -= 360;
          points[i].lon -= 360;
        }
      else if (step < -180)
        {
          shift += 360;
          points[i].lon += 360;
        }
    }

  return (int) lround ((points[n_points - 1].lon - points[0].lon) / 360);
}
