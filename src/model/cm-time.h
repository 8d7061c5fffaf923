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

/* The years cm_time_parse() accepts: 20 billion years either side of year
 * 0, room for cosmological timelines (the Big Bang is 13.8 billion years
 * ago) while every span between two times, in seconds, stays far below
 * gint64 overflow (40 billion years are 1.3e18 s of 9.2e18). */
#define CM_TIME_MIN_YEAR G_GINT64_CONSTANT (-20000000000)
#define CM_TIME_MAX_YEAR G_GINT64_CONSTANT (20000000000)

/* Parses "2025", "2025-02", "2025-02-18", "2025-02-18T10:00",
 * "2025-02-18T10:00:00", any of the time forms followed by "Z" or "+03:00",
 * and negative years ("-0044-03-15"). A time without an offset is local to
 * @zone (may be NULL for UTC). Error messages are plain, for a person.
 *
 * The exact rules:
 * - A year without a sign has exactly four digits ("0800", not "800").
 *   With a sign it has one to eleven: "-44", "-0044" (45 BCE: year 0 is 1 BCE),
 *   "+12000", "-13799999999" (13,800,000,000 BCE). Years run from
 *   CM_TIME_MIN_YEAR to CM_TIME_MAX_YEAR.
 * - Month, day, hour, minute and second have exactly two digits; a time
 *   needs hours and minutes ("T10" is refused). Hour 24 and leap second 60
 *   are refused. A fraction of a second (".5" or ",5") is accepted and
 *   dropped: the value is the start of its second.
 * - Offsets: "Z", "+03:00", "+0300", "+03", up to ±18:00; only after a time
 *   of day ("2025-02-18Z" is refused). "-00:00" is UTC.
 * - Without an offset, a time (or the start of a day, month or year) is the
 *   wall-clock time in @zone: a time shown twice when clocks go back is its
 *   first occurrence, a time skipped when clocks go forward is moved forward
 *   by the jump (02:30 becomes 03:30). For years outside 1-9999 the zone's
 *   standard (non-daylight) offset is used. With no offset and no @zone the
 *   time is UTC and has_zone is FALSE.
 * - Errors are CM_TIME_ERROR_SYNTAX or CM_TIME_ERROR_RANGE, with messages
 *   like: "2025-02-30" is not a date: February 2025 has 28 days */
gboolean cm_time_parse         (const char   *text,
                                GTimeZone    *zone,
                                CmTime       *out,
                                GError      **error);

/* The first second after the interval @time names: for "2025-02" that is
 * 2025-03-01T00:00 in the same zone; for SECOND precision seconds + 1. */
gint64   cm_time_get_end       (const CmTime *time);

/* "2025", "February 2025", "18 February 2025",
 * "18 February 2025, 10:00 +03:00", "18 February 2025, 10:00:30 UTC";
 * BCE years as "44 BCE" (year 0 is "1 BCE"); from a million years BCE on,
 * deep time as "13.8 billion years ago", and "5 billion CE" after year
 * 999999 (see cm_time_format_year()). Translated month names.
 * Fields are shown in the value's own offset; offset 0 shows as "UTC". */
char    *cm_time_format        (const CmTime *time);
/* Short form for lists and axes: "2025", "Feb 2025", "18 Feb 2025",
 * "18 Feb 2025 10:00", "18 Feb 2025 10:00:30": in the value's own offset,
 * which is not shown. */
char    *cm_time_format_short  (const CmTime *time);

/* A year alone: "2025", "44 BCE", and deep time, whose number is the BCE
 * year (what TimelineJS and people write) cut to what is not zero:
 * "66 million years ago" / "66m years ago" (year -65999999),
 * "13.8 billion years ago" / "13.8bn years ago", "5 billion CE" / "5bn CE".
 * @is_short gives the forms for lists and axes. */
char    *cm_time_format_year   (gint64        year,
                                gboolean      is_short);

/* Civil calendar helpers (UTC, proleptic Gregorian, astronomical years).
 * cm_time_from_civil() needs @month in 1-12 and |@year| <= 10^11; day, hour,
 * minute and second carry over when out of range (31 April is 1 May). */
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

/* By seconds, then by precision, coarser first ("2025" before "2025-01-01"). */
int      cm_time_compare       (const CmTime *a,
                                const CmTime *b);

G_END_DECLS
