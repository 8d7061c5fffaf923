/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cm-import.h"

G_BEGIN_DECLS

/* TimelineJS 3 JSON: a "title" slide, "events" with "start_date" and
 * "end_date" objects of calendar fields, "text" (headline and HTML text),
 * "media", "group", "unique_id", "display_date"; "eras" as periods. */
gboolean cm_import_timelinejs_detect      (const CmJsonNode *root);
void     cm_import_timelinejs             (CmLoaderContext  *context,
                                           const CmJsonNode *root,
                                           CmDatasetBuilder *builder);

/* TimelineJS 2 JSON: "timeline" with "date" (startDate "2011,12,10"),
 * "era", "headline", "text", "asset" and "tag". */
gboolean cm_import_timelinejs2_detect     (const CmJsonNode *root);
void     cm_import_timelinejs2            (CmLoaderContext  *context,
                                           const CmJsonNode *root,
                                           CmDatasetBuilder *builder);

/* The TimelineJS Google Sheets template saved as CSV (cm-import-timelinejs-csv.c). */
gboolean cm_import_timelinejs_csv_detect  (const char       *data,
                                           gsize             length);
void     cm_import_timelinejs_csv         (CmLoaderContext  *context,
                                           const char       *data,
                                           gsize             length,
                                           CmDatasetBuilder *builder);

/* One TimelineJS slide, as all three forms give it: HTML text, media and
 * group as written (any may be NULL). */
typedef struct
{
  const char *unique_id;
  const char *headline;        /* HTML */
  const char *text;            /* HTML */
  const char *media_url;       /* a URL or an HTML embed */
  const char *media_caption;   /* HTML */
  const char *media_credit;    /* HTML */
  const char *group;
  const char *display_date;
} CmTimelinejsSlide;

/* Adds a slide as an event, dated @start (and @end if not NULL), or,
 * with @period, as a period. Problems of the end at @end_at. */
void     _cm_import_timelinejs_add_slide  (CmImport                *import,
                                           const CmTimelinejsSlide *slide,
                                           const CmTime            *start,
                                           const CmTime            *end,
                                           gboolean                 period,
                                           const CmJsonNode        *end_at,
                                           const CmLoaderPath      *end_path);
/* A TimelineJS year as an astronomical one: TimelineJS shows year -500 as
 * "500 BCE", which is astronomical year -499. */
gint64   _cm_import_timelinejs_year       (gint64                   year);
/* The title slide as the dataset's title and description. */
void     _cm_import_timelinejs_set_title  (CmImport                *import,
                                           const CmTimelinejsSlide *slide);

G_END_DECLS
