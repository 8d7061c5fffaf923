/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "cm-session.h"

G_BEGIN_DECLS

/* One actor: name, kind, role, group, description, links, their events in
 * time order, the places they were at and the actors they appear with
 * most often. */

#define CM_TYPE_ACTOR_PAGE (cm_actor_page_get_type ())
G_DECLARE_FINAL_TYPE (CmActorPage, cm_actor_page, CM, ACTOR_PAGE, GtkWidget)

/* How many of the most frequent companions the page lists. */
#define CM_ACTOR_PAGE_MAX_PARTNERS 5

GtkWidget *cm_actor_page_new         (void);
CmSession *cm_actor_page_get_session (CmActorPage *self);
void       cm_actor_page_set_session (CmActorPage *self,
                                      CmSession   *session);
/* CM_NONE when no actor is shown. */
guint      cm_actor_page_get_actor   (CmActorPage *self);
void       cm_actor_page_set_actor   (CmActorPage *self,
                                      guint        actor);

G_END_DECLS
