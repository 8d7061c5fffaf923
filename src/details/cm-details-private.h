/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "cm-session.h"

G_BEGIN_DECLS

/* Helpers shared by the event, actor and place pages and the filter
 * panel. Every text they are given is plain text, never markup. */

/* Lists longer than this show their first rows and "and N more". */
#define CM_DETAILS_MAX_ROWS 100

void        _cm_details_clear_list         (GtkListBox      *list);
/* A row that selects @kind @index in @session when activated, through
 * its "go to" button. @color is 0xRRGGBB or -1 for no swatch. */
GtkWidget  *_cm_details_add_selection_row  (GtkListBox      *list,
                                            CmSession       *session,
                                            CmSelectionKind  kind,
                                            guint            index,
                                            const char      *title,
                                            const char      *subtitle,
                                            gint64           color);
/* The "and N more" row at the end of a capped list. */
void        _cm_details_add_more_row       (GtkListBox      *list,
                                            guint            n_more);
/* A row for a source or a link; only http and https links get an "open"
 * button, and open only when it is clicked. */
GtkWidget  *_cm_details_add_link_row       (GtkListBox      *list,
                                            const CmLink    *link);
/* A flat button that looks like a link and selects @kind @index. */
GtkWidget  *_cm_details_selection_button   (CmSession       *session,
                                            CmSelectionKind  kind,
                                            guint            index,
                                            const char      *label);
/* Shows @section (a heading and its list) only when @n_rows > 0. */
void        _cm_details_show_section       (GtkWidget       *section,
                                            guint            n_rows);

gboolean    _cm_details_is_web_uri         (const char      *uri);
void        _cm_details_open_uri           (GtkWidget       *widget,
                                            const char      *uri);

/* "18 February 2025", or "start – end" when the event has a distinct end. */
char       *_cm_details_format_event_date  (const CmEvent   *event);
/* "24.7136° N, 46.6753° E" */
char       *_cm_details_format_coordinates (double           lat,
                                            double           lon);
const char *_cm_details_actor_kind_name    (CmActorKind      kind);

/* Indexes of @counts sorted by count, highest first, ties in index order;
 * only those with a count above zero. Free with g_free. */
guint      *_cm_details_rank_by_count      (const guint     *counts,
                                            guint            n,
                                            guint           *n_ranked);

/* What the actor and place pages show, found in one pass over the
 * events in time order: the events of an actor or at a place (the first
 * CM_DETAILS_MAX_ROWS of them) and, per actor and per place, how many of
 * those events they are part of. */
typedef struct
{
  guint32 *events;
  guint    n_shown;
  guint    n_events;
  guint   *actor_counts;
  guint   *place_counts;
} CmDetailsScan;

void        _cm_details_scan               (CmDataset       *dataset,
                                            CmSelectionKind  kind,
                                            guint            index,
                                            CmDetailsScan   *scan);
void        _cm_details_scan_clear         (CmDetailsScan   *scan);
/* Rows for the scan's events (title, date), with "and N more". */
void        _cm_details_fill_events        (GtkListBox      *list,
                                            CmSession       *session,
                                            const CmDetailsScan *scan);
/* Rows for the actors or places with the highest counts, at most @max,
 * leaving out @exclude; returns the number of rows. */
guint       _cm_details_fill_ranked        (GtkListBox      *list,
                                            CmSession       *session,
                                            CmSelectionKind  kind,
                                            const guint     *counts,
                                            guint            exclude,
                                            guint            max);

G_END_DECLS
