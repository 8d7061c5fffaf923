/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "cm-session.h"

G_BEGIN_DECLS

/* The side panel: shows the session's selection as an event, actor or
 * place page, with back and forward buttons over the selection history
 * (actions details.back and details.forward, Alt+Left and Alt+Right). */

#define CM_TYPE_DETAILS_PANEL (cm_details_panel_get_type ())
G_DECLARE_FINAL_TYPE (CmDetailsPanel, cm_details_panel, CM, DETAILS_PANEL, GtkWidget)

GtkWidget *cm_details_panel_new         (CmSession      *session);
CmSession *cm_details_panel_get_session (CmDetailsPanel *self);
void       cm_details_panel_set_session (CmDetailsPanel *self,
                                         CmSession      *session);
/* The name of the visible page: "empty", "event", "actor" or "place". */
const char *cm_details_panel_get_page_name (CmDetailsPanel *self);

G_END_DECLS
