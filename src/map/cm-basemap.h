/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <cairo.h>
#include <glib.h>

G_BEGIN_DECLS

/* The offline basemap: Natural Earth country polygons (world-atlas
 * TopoJSON), projected to Web Mercator once at load, drawn with plain
 * cairo and pango. No GTK and no display: the map source draws tiles with
 * it in worker threads and the exporter draws map images with it. A
 * CmBasemap is immutable once loaded and safe to draw from any thread. */

typedef enum
{
  CM_BASEMAP_LIGHT,
  CM_BASEMAP_DARK,
} CmBasemapStyle;

typedef struct _CmBasemap CmBasemap;

/* The colours of a style, 0xRRGGBB. */
typedef struct
{
  guint32 sea;
  guint32 land;
  guint32 border;
  guint32 coast;
  guint32 label;
} CmBasemapPalette;

const CmBasemapPalette *cm_basemap_style_get_palette (CmBasemapStyle style);

/* "$CHRONOMAP_DATADIR/basemap/countries-50m.json" if the variable is set,
 * else the installed PKGDATADIR one. */
char        *cm_basemap_get_default_path   (void);

CmBasemap   *cm_basemap_new_from_file      (const char     *path,
                                            GError        **error);
CmBasemap   *cm_basemap_new_from_data      (const char     *data,
                                            gssize          length,
                                            GError        **error);
/* The process-wide basemap loaded from cm_basemap_get_default_path(),
 * loaded on first use (thread-safe), as a new reference; NULL and @error
 * set if the file is missing or bad. */
CmBasemap   *cm_basemap_get_default        (GError        **error);
/* The same if it is loaded already (the offline map's first tile loads
 * it, in a worker), else NULL: never reads or waits. */
CmBasemap   *cm_basemap_peek_default       (void);

/* Country names in @language (NULL: the interface's) from @path, a table
 * of ISO 3166-1 numeric ids and names (data/basemap/country-names.tsv).
 * Call before the basemap is shared. Countries without a name there keep
 * their English one; a language missing from the table is not an error. */
gboolean     cm_basemap_load_labels        (CmBasemap      *self,
                                            const char     *path,
                                            const char     *language,
                                            GError        **error);

CmBasemap   *cm_basemap_ref                (CmBasemap      *self);
void         cm_basemap_unref              (CmBasemap      *self);

guint        cm_basemap_get_n_countries    (CmBasemap      *self);
const char  *cm_basemap_get_country_name   (CmBasemap      *self,
                                            guint           index);
/* The country containing (@latitude, @longitude), or -1 for the sea. */
int          cm_basemap_find_country       (CmBasemap      *self,
                                            double          latitude,
                                            double          longitude);
/* The name shown on the map for country @index: in the language of the
 * interface when the basemap has it (see data/basemap/README.md), else
 * the English name. */
const char  *cm_basemap_get_country_label  (CmBasemap      *self,
                                            guint           index);
/* Where that name goes: the middle of the country's largest part, in
 * world units (cm-mercator.h). */
void         cm_basemap_get_country_label_position (CmBasemap *self,
                                                    guint      index,
                                                    double    *x,
                                                    double    *y);
/* Whether the name of country @index is shown at integer @zoom: it fits
 * in the country and clears its neighbours' names. */
gboolean     cm_basemap_country_label_visible (CmBasemap   *self,
                                               guint        index,
                                               guint        zoom);

/* Draws Web Mercator tile @zoom/@x/@y into the square (0, 0, @size, @size)
 * of @cr: sea, land, borders and coasts. Country names are not in the
 * tiles: the map layout places them, so that they give way to places. */
void         cm_basemap_draw_tile          (CmBasemap      *self,
                                            cairo_t        *cr,
                                            guint           zoom,
                                            guint           x,
                                            guint           y,
                                            guint           size,
                                            CmBasemapStyle  style);
/* Draws the view of @width x @height pixels centred on (@latitude,
 * @longitude) at (fractional) @zoom, 256-pixel tiles, into (0, 0, @width,
 * @height) of @cr. The world repeats east and west. */
void         cm_basemap_draw_view          (CmBasemap      *self,
                                            cairo_t        *cr,
                                            double          latitude,
                                            double          longitude,
                                            double          zoom,
                                            int             width,
                                            int             height,
                                            CmBasemapStyle  style);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CmBasemap, cm_basemap_unref)

G_END_DECLS
