/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "cm-session.h"

G_BEGIN_DECLS

/* The session's events as a sortable table: date, title, places, actors.
 * Its selection follows the session's selected event, both ways. */

#define CM_TYPE_EVENT_LIST (cm_event_list_get_type ())
G_DECLARE_FINAL_TYPE (CmEventList, cm_event_list, CM, EVENT_LIST, GtkWidget)

GtkWidget     *cm_event_list_new             (void);
CmSession     *cm_event_list_get_session     (CmEventList *self);
void           cm_event_list_set_session     (CmEventList *self,
                                              CmSession   *session);
GtkColumnView *cm_event_list_get_column_view (CmEventList *self);
/* Whether a worker sorts the events by a text column (a large dataset):
 * the rows keep their order until it is done. */
gboolean       cm_event_list_is_sorting      (CmEventList *self);

G_END_DECLS
