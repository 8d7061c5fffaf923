/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "cm-session.h"
#include "cm-timeline-layout.h"

G_BEGIN_DECLS

/* The drawn timeline (CSS name "timeline"). It watches a session: shows
 * its dataset, follows and sets its selection. Actions it installs:
 * timeline.zoom-in, timeline.zoom-out, timeline.zoom-fit. Signal
 * ::activate-event (guint event) when Enter is pressed on the selected
 * event or it is double-clicked. */

#define CM_TYPE_TIMELINE_VIEW (cm_timeline_view_get_type ())
G_DECLARE_FINAL_TYPE (CmTimelineView, cm_timeline_view, CM, TIMELINE_VIEW, GtkWidget)

CmTimelineView   *cm_timeline_view_new            (void);

CmSession        *cm_timeline_view_get_session    (CmTimelineView *self);
void              cm_timeline_view_set_session    (CmTimelineView *self,
                                                   CmSession      *session);
CmLaneMode        cm_timeline_view_get_lanes      (CmTimelineView *self);
void              cm_timeline_view_set_lanes      (CmTimelineView *self,
                                                   CmLaneMode      lanes);

/* Whether long empty stretches are compressed into axis breaks (TRUE by
 * default: when they would take over a third of the width). Setting it
 * zooms to fit. */
gboolean          cm_timeline_view_get_axis_breaks (CmTimelineView *self);
void              cm_timeline_view_set_axis_breaks (CmTimelineView *self,
                                                    gboolean        breaks);

/* The visible time span [t0, t1) in seconds. */
void              cm_timeline_view_get_range      (CmTimelineView *self,
                                                   gint64         *t0,
                                                   gint64         *t1);
void              cm_timeline_view_set_range      (CmTimelineView *self,
                                                   gint64          t0,
                                                   gint64          t1);
/* Zooms by @factor (> 1 zooms in) keeping the time under @x fixed. */
void              cm_timeline_view_zoom_at        (CmTimelineView *self,
                                                   double          factor,
                                                   double          x);
void              cm_timeline_view_zoom_to_fit    (CmTimelineView *self);

/* The layout of the last frame: geometry for hit tests and tests. */
CmTimelineLayout *cm_timeline_view_get_layout     (CmTimelineView *self);
gboolean          cm_timeline_view_is_arranging  (CmTimelineView *self);

G_END_DECLS
