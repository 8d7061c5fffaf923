/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <math.h>

G_BEGIN_DECLS

/* Web Mercator (EPSG:3857) in "world units": the whole world is the unit
 * square, x = 0 at 180 W growing east, y = 0 at 85.05 N growing south.
 * At zoom z with tiles of S pixels the world is S * 2^z pixels wide, so
 * tile (x, y) covers [x, x + 1) / 2^z. This matches ShumateMapSource. */

#define CM_MERCATOR_MAX_LATITUDE 85.0511287798

static inline double
cm_mercator_x (double longitude)
{
  return (longitude + 180.0) / 360.0;
}

static inline double
cm_mercator_y (double latitude)
{
  double phi;

  latitude = CLAMP (latitude, -CM_MERCATOR_MAX_LATITUDE, CM_MERCATOR_MAX_LATITUDE);
  phi = latitude * G_PI / 180.0;
  return (1.0 - log (tan (phi) + 1.0 / cos (phi)) / G_PI) / 2.0;
}

static inline double
cm_mercator_longitude (double x)
{
  return x * 360.0 - 180.0;
}

static inline double
cm_mercator_latitude (double y)
{
  return atan (sinh (G_PI * (1.0 - 2.0 * y))) * 180.0 / G_PI;
}

/* Pixels per world unit at @zoom for @tile_size pixel tiles. */
static inline double
cm_mercator_world_size (double zoom,
                        double tile_size)
{
  return tile_size * exp2 (zoom);
}

G_END_DECLS
