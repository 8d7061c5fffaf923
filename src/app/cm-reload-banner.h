/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* A strip across the top of the dataset view that says what became of
 * the file on show when it changed on disk and could not be reloaded (its
 * problems, each with line and column), or when it was deleted or
 * renamed. The data on show stays; the strip slides away once the file
 * reads again. (AdwBanner arrived in libadwaita 1.3 and cannot list
 * problems; this works on 1.2.) */
#define CM_TYPE_RELOAD_BANNER (cm_reload_banner_get_type ())
G_DECLARE_FINAL_TYPE (CmReloadBanner, cm_reload_banner, CM, RELOAD_BANNER, GtkWidget)

GtkWidget  *cm_reload_banner_new           (void);
/* @problems: the loader's message, one problem a line. */
void        cm_reload_banner_show_problems (CmReloadBanner *self,
                                            GFile          *file,
                                            const GError   *error);
/* @new_file: where a rename took the file, or NULL if it was deleted. */
void        cm_reload_banner_show_gone     (CmReloadBanner *self,
                                            GFile          *file,
                                            GFile          *new_file);
void        cm_reload_banner_hide          (CmReloadBanner *self);
gboolean    cm_reload_banner_is_shown      (CmReloadBanner *self);
/* What it says: the heading, then the problems (for tests). */
const char *cm_reload_banner_get_title     (CmReloadBanner *self);
const char *cm_reload_banner_get_details   (CmReloadBanner *self);

G_END_DECLS
