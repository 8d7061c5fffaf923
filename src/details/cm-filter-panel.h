/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "cm-session.h"

G_BEGIN_DECLS

/* Filters of a session: a date range and check boxes for groups, actors,
 * places and tags, each with the number of events the user would see by
 * choosing it. Long lists show their twenty most frequent values, up to
 * CM_FILTER_PANEL_MAX_ROWS after "Show More", and a search entry to find
 * the others. For a popover or a sidebar. */

#define CM_TYPE_FILTER_PANEL (cm_filter_panel_get_type ())
G_DECLARE_FINAL_TYPE (CmFilterPanel, cm_filter_panel, CM, FILTER_PANEL, GtkWidget)

/* A facet with more values than this shows that many, most frequent first,
 * and a search entry. */
#define CM_FILTER_PANEL_MAX_ROWS 50

GtkWidget *cm_filter_panel_new         (CmSession     *session);
CmSession *cm_filter_panel_get_session (CmFilterPanel *self);
void       cm_filter_panel_set_session (CmFilterPanel *self,
                                        CmSession     *session);

/* Counts are a pass over every event, made in a worker for each change
 * of the filter while the panel is shown; meanwhile the panel shows the
 * last ones (none at first, in labels as wide as the counts will be).
 * TRUE while the counts of the filter now are on their way. */
gboolean   cm_filter_panel_is_counting (CmFilterPanel *self);

/* The room the panel may take (a popover's, below the header bar): two
 * columns side by side when @width allows, and at most @height, the
 * rest scrolled. */
void       cm_filter_panel_set_available_size (CmFilterPanel *self,
                                               int            width,
                                               int            height);

G_END_DECLS
