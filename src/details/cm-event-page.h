/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "cm-session.h"

G_BEGIN_DECLS

/* Everything about one event: date, places, actors, tags, summary,
 * quotes, sources, and buttons to the events just before and after it
 * among those the filter shows. Links select in the session. */

#define CM_TYPE_EVENT_PAGE (cm_event_page_get_type ())
G_DECLARE_FINAL_TYPE (CmEventPage, cm_event_page, CM, EVENT_PAGE, GtkWidget)

GtkWidget *cm_event_page_new         (void);
CmSession *cm_event_page_get_session (CmEventPage *self);
void       cm_event_page_set_session (CmEventPage *self,
                                      CmSession   *session);
/* CM_NONE when no event is shown. */
guint      cm_event_page_get_event   (CmEventPage *self);
void       cm_event_page_set_event   (CmEventPage *self,
                                      guint        event);

G_END_DECLS
