/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cm-html.h"
#include "cm-loader.h"

G_BEGIN_DECLS

/* What every importer shares: it turns a foreign item into Chronomap's
 * events, places, groups and periods, and hands them to the same
 * CmDatasetBuilder the native loader fills, with the same rules:
 *
 * - ids are valid and unique per kind: an id the file gives (TimelineJS's
 *   unique_id) is kept when it is a valid id not taken yet, otherwise one
 *   is made from the title ("first-recording", "first-recording-2");
 * - a group is one per distinct name, and an event is put in its group
 *   through an actor of kind "group" with the group's name (a Chronomap
 *   event takes its group from its first actor), so lanes by group work;
 * - a place is one per distinct (name, latitude, longitude); latitudes and
 *   longitudes out of range are problems;
 * - an end before its start is a problem, reported like the native one;
 * - items go into the builder only while the input has no problem (after
 *   one, the loader throws the builder away and shows every problem).
 *
 * Importers report problems with cm_loader_context_add_problem() at the
 * foreign value, so messages read "FILE:LINE:COLUMN: events[3].start_date.
 * month: ...". */

typedef struct _CmImport CmImport;

typedef struct
{
  const char        *id;          /* wanted id, may be NULL or invalid */
  const char        *title;       /* plain text; NULL or empty: made from the summary */
  const char        *summary;     /* plain text, may be NULL */
  CmTime             start;
  CmTime             end;
  gboolean           has_end;
  gboolean           undated;
  guint32            place;       /* from cm_import_place(), or CM_NONE */
  guint32            group;       /* from cm_import_group(), or CM_NONE */
  const CmLink      *sources;
  guint              n_sources;
  const CmQuote     *quotes;      /* actor ignored */
  guint              n_quotes;
  const CmProperty  *properties;
  guint              n_properties;
} CmImportEvent;

CmImport         *cm_import_new            (CmLoaderContext    *context,
                                            CmDatasetBuilder   *builder);
void              cm_import_free           (CmImport           *import);
CmLoaderContext  *cm_import_get_context    (CmImport           *import);
/* TRUE every thousand items or so if the load was cancelled. */
gboolean          cm_import_check_cancelled (CmImport          *import);

void              cm_import_set_title      (CmImport           *import,
                                            const char         *title,
                                            const char         *description);
/* The group named @name (trimmed; NULL or empty gives CM_NONE). */
guint32           cm_import_group          (CmImport           *import,
                                            const char         *name);
/* The place at @lat, @lon named @name (NULL or empty: the coordinates as
 * a name), or CM_NONE after a problem at @at. */
guint32           cm_import_place          (CmImport           *import,
                                            const CmJsonNode   *at,
                                            const CmLoaderPath *path,
                                            const char         *name,
                                            double              lat,
                                            double              lon);
/* Checks end >= start (a problem at @end_at otherwise) and adds the
 * event. */
void              cm_import_add_event      (CmImport           *import,
                                            const CmImportEvent *event,
                                            const CmJsonNode   *end_at,
                                            const CmLoaderPath *end_path);
void              cm_import_add_period     (CmImport           *import,
                                            const char         *title,
                                            const char         *description,
                                            const CmTime       *start,
                                            const CmTime       *end,
                                            const CmJsonNode   *end_at,
                                            const CmLoaderPath *end_path);

/* A date from calendar fields, as TimelineJS and its spreadsheet give
 * them: @year is required; each later field needs the one before (a day
 * without a month is a problem), -1 means absent. The precision is the
 * last field given (an hour alone counts as minutes). UTC. FALSE with a
 * message in @error (CM_TIME_ERROR) for fields out of range, including
 * years beyond CM_TIME_MIN_YEAR..CM_TIME_MAX_YEAR. */
gboolean          cm_import_civil_time     (gint64              year,
                                            int                 month,
                                            int                 day,
                                            int                 hour,
                                            int                 minute,
                                            int                 second,
                                            CmTime             *out,
                                            GError            **error);

/* Foreign sources: a link array to fill for one event. */
typedef struct _CmImportSources CmImportSources;

CmImportSources  *cm_import_sources_new    (void);
void              cm_import_sources_free   (CmImportSources    *sources);
void              cm_import_sources_clear  (CmImportSources    *sources);
/* Adds a source unless one with the same URL (or, without URL, the same
 * title) is there. @url is made an http(s) link or dropped
 * (cm_html_link_url()); nothing is added without a title or a URL. */
void              cm_import_sources_add    (CmImportSources    *sources,
                                            const char         *title,
                                            const char         *url);
void              cm_import_sources_add_links (CmImportSources *sources,
                                               GArray          *html_links);
const CmLink     *cm_import_sources_get    (CmImportSources    *sources,
                                            guint              *n_out);

/* JSON helpers for importers. The member @key of @object if it is a
 * string with something in it other than white space, else NULL. */
const char       *cm_import_get_text       (const CmJsonNode   *object,
                                            const char         *key);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CmImport, cm_import_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CmImportSources, cm_import_sources_free)

G_END_DECLS
