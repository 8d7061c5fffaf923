/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "cm-session.h"

G_BEGIN_DECLS

/* Live search of a session's events: typing sets the session's search,
 * Enter and Shift+Enter select the next and previous match in time order,
 * Escape closes the bar and clears the search. */

#define CM_TYPE_SEARCH_BAR (cm_search_bar_get_type ())
G_DECLARE_FINAL_TYPE (CmSearchBar, cm_search_bar, CM, SEARCH_BAR, GtkWidget)

GtkWidget      *cm_search_bar_new                     (CmSession   *session);
CmSession      *cm_search_bar_get_session             (CmSearchBar *self);
void            cm_search_bar_set_session             (CmSearchBar *self,
                                                       CmSession   *session);
gboolean        cm_search_bar_get_search_mode_enabled (CmSearchBar *self);
/* Opening focuses the entry; closing clears the search. */
void            cm_search_bar_set_search_mode_enabled (CmSearchBar *self,
                                                       gboolean     enabled);
/* Typing in @widget opens the bar and types into it. */
void            cm_search_bar_set_key_capture_widget  (CmSearchBar *self,
                                                       GtkWidget   *widget);
GtkSearchEntry *cm_search_bar_get_entry               (CmSearchBar *self);
/* Selects the next (@forward) or previous visible event in time order
 * after the selected event, wrapping around; FALSE when nothing matches. */
gboolean        cm_search_bar_select_match            (CmSearchBar *self,
                                                       gboolean     forward);

G_END_DECLS
