/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "cm-session.h"

G_BEGIN_DECLS

/* One place: name, country, coordinates, the events there in time order
 * and the actors who were there. */

#define CM_TYPE_PLACE_PAGE (cm_place_page_get_type ())
G_DECLARE_FINAL_TYPE (CmPlacePage, cm_place_page, CM, PLACE_PAGE, GtkWidget)

GtkWidget *cm_place_page_new         (void);
CmSession *cm_place_page_get_session (CmPlacePage *self);
void       cm_place_page_set_session (CmPlacePage *self,
                                      CmSession   *session);
/* CM_NONE when no place is shown. */
guint      cm_place_page_get_place   (CmPlacePage *self);
void       cm_place_page_set_place   (CmPlacePage *self,
                                      guint        place);

G_END_DECLS
