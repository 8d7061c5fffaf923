/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* How much of a date is known. A value is the *start* of the interval it
 * names: "2025-02" is 2025-02-01T00:00 in its zone, precision MONTH. */
typedef enum
{
  CM_PRECISION_YEAR,
  CM_PRECISION_MONTH,
  CM_PRECISION_DAY,
  CM_PRECISION_MINUTE,
  CM_PRECISION_SECOND,
} CmPrecision;

/* A point in time: seconds since 1970-01-01T00:00:00Z on the proleptic
 * Gregorian calendar (astronomical years: year 0 is 1 BCE), the precision
 * it was written with, and the UTC offset it is shown in. 16 bytes. */
typedef struct
{
  gint64  seconds;
  gint32  offset;      /* seconds east of UTC, for display */
  guint8  precision;   /* CmPrecision */
  guint8  has_zone;    /* TRUE if an offset or a place zone was applied */
  guint16 reserved;
} CmTime;

#define CM_TIME_ERROR (cm_time_error_quark ())

typedef enum
{
  CM_TIME_ERROR_SYNTAX,       /* not an ISO 8601 date at all */
  CM_TIME_ERROR_RANGE,        /* month 13, 30 February, hour 25, offset +25:00 */
} CmTimeError;

GQuark   cm_time_error_quark   (void);

/* Parses "2025", "2025-02", "2025-02-18", "2025-02-18T10:00",
 * "2025-02-18T10:00:00", any of the time forms followed by "Z" or "+03:00",
 * and negative years ("-0044-03-15"). A time without an offset is local to
 * @zone (may be NULL for UTC). Error messages are plain, for a person. */
gboolean cm_time_parse         (const char   *text,
                                GTimeZone    *zone,
                                CmTime       *out,
                                GError      **error);

/* The first second after the interval @time names: for "2025-02" that is
 * 2025-03-01T00:00 in the same zone; for SECOND precision seconds + 1. */
gint64   cm_time_get_end       (const CmTime *time);

/* "2025", "February 2025", "18 February 2025",
 * "18 February 2025, 10:00 +03:00", "18 February 2025, 10:00:30 UTC";
 * BCE years as "44 BCE". Translated month names. */
char    *cm_time_format        (const CmTime *time);
/* Short form for lists and axes: "2025", "Feb 2025", "18 Feb 2025",
 * "18 Feb 2025 10:00". */
char    *cm_time_format_short  (const CmTime *time);

/* Civil calendar helpers (UTC, proleptic Gregorian, astronomical years). */
gint64   cm_time_from_civil    (gint64        year,
                                int           month,
                                int           day,
                                int           hour,
                                int           minute,
                                int           second);
void     cm_time_to_civil      (gint64        seconds,
                                gint64       *year,
                                int          *month,
                                int          *day,
                                int          *hour,
                                int          *minute,
                                int          *second);
gboolean cm_time_is_leap_year  (gint64        year);
int      cm_time_days_in_month (gint64        year,
                                int           month);

int      cm_time_compare       (const CmTime *a,
                                const CmTime *b);

G_END_DECLS
