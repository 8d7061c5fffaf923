/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-time"

#include "config.h"

#include <string.h>

#include "cm-time.h"

#define DAY (G_GINT64_CONSTANT (86400))

/* 2025-02-18T00:00:00Z: 2025-01-01 is 1735689600 (55 years of which 14 leap
 * since 1970), plus 31 + 17 days. */
#define FEB_18_2025 (G_GINT64_CONSTANT (1735689600) + 48 * DAY)

static CmTime
parse_ok (const char *text,
          GTimeZone  *zone)
{
  g_autoptr(GError) error = NULL;
  CmTime time = { 0 };

  if (!cm_time_parse (text, zone, &time, &error))
    g_error ("\"%s\" was refused: %s", text, error->message);
  g_assert_no_error (error);
  return time;
}

static GTimeZone *
get_zone (const char *identifier)
{
  GTimeZone *zone = g_time_zone_new_identifier (identifier);

  if (zone == NULL)
    g_error ("time zone %s not found: is the tzdata package installed?", identifier);
  return zone;
}

/* ---------------------------------------------------------------------- */

static void
test_civil_known_values (void)
{
  g_assert_cmpint (cm_time_from_civil (1970, 1, 1, 0, 0, 0), ==, 0);
  g_assert_cmpint (cm_time_from_civil (1969, 12, 31, 23, 59, 59), ==, -1);
  g_assert_cmpint (cm_time_from_civil (2025, 2, 18, 0, 0, 0), ==, FEB_18_2025);
  g_assert_cmpint (cm_time_from_civil (2025, 2, 18, 10, 0, 30), ==, FEB_18_2025 + 36030);
  /* GDateTime's limits, from its documentation and g_date_time_to_unix (). */
  g_assert_cmpint (cm_time_from_civil (1, 1, 1, 0, 0, 0), ==, G_GINT64_CONSTANT (-62135596800));
  g_assert_cmpint (cm_time_from_civil (9999, 12, 31, 23, 59, 59), ==,
                   G_GINT64_CONSTANT (253402300799));
  /* Year 0 is a leap year of 366 days before 0001-01-01. */
  g_assert_cmpint (cm_time_from_civil (0, 1, 1, 0, 0, 0), ==,
                   G_GINT64_CONSTANT (-62135596800) - 366 * DAY);
  /* -0044-03-15 counted by hand: 292 days left in leap year -44 from 15 March,
   * 44 * 365 + 11 leap days in years -43..0, and 719162 days from 0001-01-01
   * to 1970-01-01: 735525 days. The same from the Julian Day Number of
   * 15 March 44 BC (Julian) = 1705426, i.e. Gregorian -0043-03-13:
   * 1705426 + 2 - 365 - 2440588 = -735525. */
  g_assert_cmpint (cm_time_from_civil (-44, 3, 15, 0, 0, 0), ==, -735525 * DAY);
  /* Overflowing fields carry over. */
  g_assert_cmpint (cm_time_from_civil (2025, 1, 49, 0, 0, 0), ==, FEB_18_2025);
  g_assert_cmpint (cm_time_from_civil (2025, 2, 17, 24, 0, 0), ==, FEB_18_2025);
}

/* Walks day by day across year 0 and several 400-year cycles, checking both
 * directions against a plain calendar count. */
static void
test_civil_day_by_day (void)
{
  gint64 year = -801;
  int month = 1, day = 1;
  gint64 seconds = cm_time_from_civil (year, month, day, 0, 0, 0);

  while (year < 801)
    {
      gint64 y;
      int m, d, h, mi, s;

      g_assert_cmpint (cm_time_from_civil (year, month, day, 0, 0, 0), ==, seconds);
      cm_time_to_civil (seconds + 86399, &y, &m, &d, &h, &mi, &s);
      if (y != year || m != month || d != day || h != 23 || mi != 59 || s != 59)
        g_error ("%" G_GINT64_FORMAT " gave %" G_GINT64_FORMAT "-%d-%d %d:%d:%d, expected %"
                 G_GINT64_FORMAT "-%d-%d 23:59:59", seconds + 86399, y, m, d, h, mi, s,
                 year, month, day);

      seconds += DAY;
      if (++day > cm_time_days_in_month (year, month))
        {
          day = 1;
          if (++month > 12)
            {
              month = 1;
              year++;
            }
        }
    }
}

static void
test_civil_round_trip (void)
{
  static const gint64 years[] = { -1000001, -1000000, -999999, -999998, -10001, -10000,
                                  -401, -400, -101, -100, -5, -4, -1, 0, 1, 4, 100,
                                  1600, 1900, 2000, 2024, 2100, 9999, 10000, 12000,
                                  999999, 1000000,
                                  /* Deep time: the Earth, the Big Bang, the limits. */
                                  G_GINT64_CONSTANT (-4540000000),
                                  G_GINT64_CONSTANT (-13800000000),
                                  CM_TIME_MIN_YEAR, CM_TIME_MAX_YEAR };
  g_autoptr(GRand) rand = g_rand_new_with_seed (1234);

  for (guint i = 0; i < G_N_ELEMENTS (years); i++)
    {
      gint64 y = years[i];
      gint64 start = cm_time_from_civil (y, 1, 1, 0, 0, 0);
      gint64 next = cm_time_from_civil (y + 1, 1, 1, 0, 0, 0);
      gint64 year;
      int month, day, hour, minute, second;

      g_assert_cmpint (next - start, ==, (cm_time_is_leap_year (y) ? 366 : 365) * DAY);
      cm_time_to_civil (start - 1, &year, &month, &day, &hour, &minute, &second);
      g_assert_cmpint (year, ==, y - 1);
      g_assert_cmpint (month, ==, 12);
      g_assert_cmpint (day, ==, 31);
      g_assert_cmpint (hour * 3600 + minute * 60 + second, ==, 86399);
      cm_time_to_civil (start, &year, &month, &day, NULL, NULL, NULL);
      g_assert_cmpint (year, ==, y);
      g_assert_cmpint (month, ==, 1);
      g_assert_cmpint (day, ==, 1);
    }

  /* Random instants across the whole supported range. */
  for (int i = 0; i < 100000; i++)
    {
      gint64 min = cm_time_from_civil (CM_TIME_MIN_YEAR, 1, 1, 0, 0, 0);
      gint64 max = cm_time_from_civil (CM_TIME_MAX_YEAR + 1, 1, 1, 0, 0, 0);
      gint64 seconds = min + (gint64) (g_rand_double (rand) * (double) (max - min));
      gint64 year;
      int month, day, hour, minute, second;

      cm_time_to_civil (seconds, &year, &month, &day, &hour, &minute, &second);
      g_assert_cmpint (month, >=, 1);
      g_assert_cmpint (month, <=, 12);
      g_assert_cmpint (day, >=, 1);
      g_assert_cmpint (day, <=, cm_time_days_in_month (year, month));
      g_assert_cmpint (cm_time_from_civil (year, month, day, hour, minute, second), ==, seconds);
    }
}

static void
test_civil_leap_years (void)
{
  g_assert_true (cm_time_is_leap_year (2024));
  g_assert_false (cm_time_is_leap_year (2025));
  g_assert_false (cm_time_is_leap_year (1900));
  g_assert_true (cm_time_is_leap_year (2000));
  g_assert_true (cm_time_is_leap_year (0));
  g_assert_true (cm_time_is_leap_year (-4));
  g_assert_false (cm_time_is_leap_year (-1));
  g_assert_false (cm_time_is_leap_year (-100));
  g_assert_true (cm_time_is_leap_year (-400));

  g_assert_cmpint (cm_time_days_in_month (2024, 2), ==, 29);
  g_assert_cmpint (cm_time_days_in_month (2025, 2), ==, 28);
  g_assert_cmpint (cm_time_days_in_month (-4, 2), ==, 29);
  g_assert_cmpint (cm_time_days_in_month (2025, 1), ==, 31);
  g_assert_cmpint (cm_time_days_in_month (2025, 4), ==, 30);
  g_assert_cmpint (cm_time_days_in_month (2025, 12), ==, 31);
}

/* ---------------------------------------------------------------------- */

static void
test_parse_precisions (void)
{
  static const struct
  {
    const char *text;
    gint64      seconds;
    CmPrecision precision;
    gboolean    has_zone;
  } cases[] = {
    { "2025", G_GINT64_CONSTANT (1735689600), CM_PRECISION_YEAR, FALSE },
    { "2025-02", G_GINT64_CONSTANT (1735689600) + 31 * DAY, CM_PRECISION_MONTH, FALSE },
    { "2025-02-18", FEB_18_2025, CM_PRECISION_DAY, FALSE },
    { "2025-02-18T10:00", FEB_18_2025 + 36000, CM_PRECISION_MINUTE, FALSE },
    { "2025-02-18T10:00:30", FEB_18_2025 + 36030, CM_PRECISION_SECOND, FALSE },
    { "2025-02-18T10:00Z", FEB_18_2025 + 36000, CM_PRECISION_MINUTE, TRUE },
    { "2025-02-18T10:00:30Z", FEB_18_2025 + 36030, CM_PRECISION_SECOND, TRUE },
    { "1970-01-01T00:00:00Z", 0, CM_PRECISION_SECOND, TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      CmTime time = parse_ok (cases[i].text, NULL);

      g_test_message ("%s", cases[i].text);
      g_assert_cmpint (time.seconds, ==, cases[i].seconds);
      g_assert_cmpint (time.precision, ==, cases[i].precision);
      g_assert_cmpint (time.has_zone, ==, cases[i].has_zone);
      g_assert_cmpint (time.offset, ==, 0);
    }
}

static void
test_parse_leap_year (void)
{
  g_autoptr(GError) error = NULL;
  CmTime time;

  time = parse_ok ("2024-02-29", NULL);
  g_assert_cmpint (time.seconds, ==, cm_time_from_civil (2024, 3, 1, 0, 0, 0) - DAY);
  time = parse_ok ("2000-02-29", NULL);
  g_assert_cmpint (time.seconds, ==, cm_time_from_civil (2000, 3, 1, 0, 0, 0) - DAY);
  time = parse_ok ("-0004-02-29", NULL);
  g_assert_cmpint (time.seconds, ==, cm_time_from_civil (-4, 3, 1, 0, 0, 0) - DAY);

  g_assert_false (cm_time_parse ("2025-02-29", NULL, &time, &error));
  g_assert_error (error, CM_TIME_ERROR, CM_TIME_ERROR_RANGE);
  g_assert_cmpstr (error->message, ==, "\"2025-02-29\" is not a date: February 2025 has 28 days");
  g_clear_error (&error);

  g_assert_false (cm_time_parse ("1900-02-29", NULL, &time, &error));
  g_assert_error (error, CM_TIME_ERROR, CM_TIME_ERROR_RANGE);
  g_assert_cmpstr (error->message, ==, "\"1900-02-29\" is not a date: February 1900 has 28 days");
  g_clear_error (&error);

  g_assert_false (cm_time_parse ("-0001-02-29", NULL, &time, &error));
  g_assert_error (error, CM_TIME_ERROR, CM_TIME_ERROR_RANGE);
  g_assert_cmpstr (error->message, ==, "\"-0001-02-29\" is not a date: February 2 BCE has 28 days");
}

static void
test_parse_years (void)
{
  gint64 year;
  CmTime time;

  time = parse_ok ("-0044-03-15", NULL);
  g_assert_cmpint (time.seconds, ==, -735525 * DAY);
  g_assert_cmpint (time.precision, ==, CM_PRECISION_DAY);
  time = parse_ok ("-44-03-15", NULL);
  g_assert_cmpint (time.seconds, ==, -735525 * DAY);

  time = parse_ok ("0000", NULL);
  g_assert_cmpint (time.seconds, ==, cm_time_from_civil (0, 1, 1, 0, 0, 0));
  time = parse_ok ("-0", NULL);
  g_assert_cmpint (time.seconds, ==, cm_time_from_civil (0, 1, 1, 0, 0, 0));
  time = parse_ok ("0800", NULL);
  g_assert_cmpint (time.seconds, ==, cm_time_from_civil (800, 1, 1, 0, 0, 0));
  time = parse_ok ("+44", NULL);
  g_assert_cmpint (time.seconds, ==, cm_time_from_civil (44, 1, 1, 0, 0, 0));

  time = parse_ok ("-10000", NULL);
  cm_time_to_civil (time.seconds, &year, NULL, NULL, NULL, NULL, NULL);
  g_assert_cmpint (year, ==, -10000);
  time = parse_ok ("+12000-06", NULL);
  g_assert_cmpint (time.seconds, ==, cm_time_from_civil (12000, 6, 1, 0, 0, 0));
  g_assert_cmpint (time.precision, ==, CM_PRECISION_MONTH);

  time = parse_ok ("-999999-01-01T00:00:00Z", NULL);
  g_assert_cmpint (time.seconds, ==, cm_time_from_civil (-999999, 1, 1, 0, 0, 0));
  time = parse_ok ("+999999-12-31T23:59:59Z", NULL);
  g_assert_cmpint (time.seconds, ==, cm_time_from_civil (1000000, 1, 1, 0, 0, 0) - 1);

  /* Deep time: cosmological years, up to eleven digits. */
  time = parse_ok ("-13799999999", NULL);
  cm_time_to_civil (time.seconds, &year, NULL, NULL, NULL, NULL, NULL);
  g_assert_cmpint (year, ==, G_GINT64_CONSTANT (-13799999999));
  g_assert_cmpint (time.precision, ==, CM_PRECISION_YEAR);
  /* 13.8 billion mean years of 31556952 s: within a day of the calendar. */
  g_assert_cmpint (ABS (time.seconds - G_GINT64_CONSTANT (-13800001969) * 31556952), <, DAY);
  time = parse_ok ("-20000000000-01-01T00:00:00Z", NULL);
  g_assert_cmpint (time.seconds, ==, cm_time_from_civil (CM_TIME_MIN_YEAR, 1, 1, 0, 0, 0));
  time = parse_ok ("+20000000000-12-31T23:59:59Z", NULL);
  g_assert_cmpint (time.seconds, ==, cm_time_from_civil (CM_TIME_MAX_YEAR + 1, 1, 1, 0, 0, 0) - 1);
  time = parse_ok ("-00000000044", NULL);
  cm_time_to_civil (time.seconds, &year, NULL, NULL, NULL, NULL, NULL);
  g_assert_cmpint (year, ==, -44);
}

static void
test_parse_fraction (void)
{
  g_autoptr(GError) error = NULL;
  CmTime time;

  time = parse_ok ("2025-02-18T10:00:30.999Z", NULL);
  g_assert_cmpint (time.seconds, ==, FEB_18_2025 + 36030);
  g_assert_cmpint (time.precision, ==, CM_PRECISION_SECOND);
  time = parse_ok ("2025-02-18T10:00:30,5", NULL);
  g_assert_cmpint (time.seconds, ==, FEB_18_2025 + 36030);
  /* Truncation, not rounding, also before 1970. */
  time = parse_ok ("1969-12-31T23:59:59.9", NULL);
  g_assert_cmpint (time.seconds, ==, -1);

  g_assert_false (cm_time_parse ("2025-02-18T10:00.5", NULL, &time, &error));
  g_assert_error (error, CM_TIME_ERROR, CM_TIME_ERROR_SYNTAX);
  g_assert_nonnull (strstr (error->message, "only seconds can have a fraction"));
}

static void
test_parse_offsets (void)
{
  static const struct
  {
    const char *text;
    int         offset;
  } cases[] = {
    { "2025-02-18T10:00+03:00", 3 * 3600 },
    { "2025-02-18T10:00+0300", 3 * 3600 },
    { "2025-02-18T10:00+03", 3 * 3600 },
    { "2025-02-18T10:00-05:00", -5 * 3600 },
    { "2025-02-18T10:00:00+05:30", 5 * 3600 + 1800 },
    { "2025-02-18T10:00-00:00", 0 },
    { "2025-02-18T10:00+18:00", 18 * 3600 },
    { "2025-02-18T10:00-18:00", -18 * 3600 },
  };
  g_autoptr(GTimeZone) riyadh = get_zone ("Asia/Riyadh");
  CmTime time;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("%s", cases[i].text);
      time = parse_ok (cases[i].text, NULL);
      g_assert_cmpint (time.offset, ==, cases[i].offset);
      g_assert_cmpint (time.seconds, ==, FEB_18_2025 + 36000 - cases[i].offset);
      g_assert_true (time.has_zone);
    }

  /* Across midnight: 01:00 at +03:00 is 22:00 UTC the day before. */
  time = parse_ok ("2025-02-18T01:00+03:00", NULL);
  g_assert_cmpint (time.seconds, ==, FEB_18_2025 - 2 * 3600);
  time = parse_ok ("2025-02-18T22:00-05:00", NULL);
  g_assert_cmpint (time.seconds, ==, FEB_18_2025 + DAY + 3 * 3600);

  /* An explicit offset wins over the place's zone. */
  time = parse_ok ("2025-02-18T10:00-05:00", riyadh);
  g_assert_cmpint (time.offset, ==, -5 * 3600);
  g_assert_cmpint (time.seconds, ==, FEB_18_2025 + 15 * 3600);
}

static void
test_parse_zones (void)
{
  g_autoptr(GTimeZone) riyadh = get_zone ("Asia/Riyadh");
  g_autoptr(GTimeZone) paris = get_zone ("Europe/Paris");
  g_autoptr(GTimeZone) santiago = get_zone ("America/Santiago");
  g_autoptr(GTimeZone) sydney = get_zone ("Australia/Sydney");
  gint64 mar_30_2025 = cm_time_from_civil (2025, 3, 30, 0, 0, 0);
  gint64 oct_26_2025 = cm_time_from_civil (2025, 10, 26, 0, 0, 0);
  CmTime time;

  time = parse_ok ("2025-02-18T10:00", riyadh);
  g_assert_cmpint (time.seconds, ==, FEB_18_2025 + 7 * 3600);
  g_assert_cmpint (time.offset, ==, 3 * 3600);
  g_assert_true (time.has_zone);

  /* A day in a zone starts at that zone's midnight. */
  time = parse_ok ("2025-02-18", riyadh);
  g_assert_cmpint (time.seconds, ==, FEB_18_2025 - 3 * 3600);
  g_assert_cmpint (time.offset, ==, 3 * 3600);
  g_assert_true (time.has_zone);
  time = parse_ok ("2025", riyadh);
  g_assert_cmpint (time.seconds, ==, G_GINT64_CONSTANT (1735689600) - 3 * 3600);

  /* Without zone or offset: UTC, and no zone recorded. */
  time = parse_ok ("2025-02-18T10:00", NULL);
  g_assert_cmpint (time.seconds, ==, FEB_18_2025 + 10 * 3600);
  g_assert_false (time.has_zone);

  /* Summer and winter time. */
  time = parse_ok ("2025-07-01T12:00", paris);
  g_assert_cmpint (time.seconds, ==, cm_time_from_civil (2025, 7, 1, 10, 0, 0));
  g_assert_cmpint (time.offset, ==, 7200);
  time = parse_ok ("2025-01-15T12:00", paris);
  g_assert_cmpint (time.seconds, ==, cm_time_from_civil (2025, 1, 15, 11, 0, 0));
  g_assert_cmpint (time.offset, ==, 3600);

  /* Just before and after the spring change at 02:00 local (01:00 UTC). */
  time = parse_ok ("2025-03-30T01:59", paris);
  g_assert_cmpint (time.seconds, ==, mar_30_2025 + 59 * 60);
  g_assert_cmpint (time.offset, ==, 3600);
  time = parse_ok ("2025-03-30T03:00", paris);
  g_assert_cmpint (time.seconds, ==, mar_30_2025 + 3600);
  g_assert_cmpint (time.offset, ==, 7200);
  /* 02:30 never happened that night: it is read as 03:30 CEST. */
  time = parse_ok ("2025-03-30T02:30", paris);
  g_assert_cmpint (time.seconds, ==, mar_30_2025 + 3600 + 1800);
  g_assert_cmpint (time.offset, ==, 7200);
  /* 02:30 happened twice in autumn: the first, still in summer time. */
  time = parse_ok ("2025-10-26T02:30", paris);
  g_assert_cmpint (time.seconds, ==, oct_26_2025 + 1800);
  g_assert_cmpint (time.offset, ==, 7200);
  time = parse_ok ("2025-10-26T03:30", paris);
  g_assert_cmpint (time.seconds, ==, oct_26_2025 + 2 * 3600 + 1800);
  g_assert_cmpint (time.offset, ==, 3600);

  /* Santiago moved its clocks from 00:00 to 01:00 on 8 September 2024: that
   * day started at 01:00 -03, which is 04:00 UTC. */
  time = parse_ok ("2024-09-08", santiago);
  g_assert_cmpint (time.seconds, ==, cm_time_from_civil (2024, 9, 8, 4, 0, 0));
  g_assert_cmpint (time.offset, ==, -3 * 3600);

  /* Outside years 1-9999 a zone's standard offset applies. */
  time = parse_ok ("-0044-03-15", riyadh);
  g_assert_cmpint (time.seconds, ==, -735525 * DAY - 3 * 3600);
  g_assert_cmpint (time.offset, ==, 3 * 3600);
  time = parse_ok ("+12000-07-01T12:00", paris);
  g_assert_cmpint (time.seconds, ==, cm_time_from_civil (12000, 7, 1, 11, 0, 0));
  g_assert_cmpint (time.offset, ==, 3600);
  /* Sydney is on daylight-saving time in January, standard time in July. */
  time = parse_ok ("+12000-01-15T12:00", sydney);
  g_assert_cmpint (time.seconds, ==, cm_time_from_civil (12000, 1, 15, 2, 0, 0));
  g_assert_cmpint (time.offset, ==, 10 * 3600);
  time = parse_ok ("2025-01-15T12:00", sydney);
  g_assert_cmpint (time.offset, ==, 11 * 3600);
}

/* Every refused form: the error code, and words the message must contain. */
static void
test_parse_errors (void)
{
  static const struct
  {
    const char  *text;
    CmTimeError  code;
    const char  *words;
  } cases[] = {
    { "", CM_TIME_ERROR_SYNTAX, "is empty" },
    { "2025-13-01", CM_TIME_ERROR_RANGE, "month 13 does not exist" },
    { "2025-00", CM_TIME_ERROR_RANGE, "month 00 does not exist" },
    { "2025-02-30", CM_TIME_ERROR_RANGE, "February 2025 has 28 days" },
    { "2025-04-31", CM_TIME_ERROR_RANGE, "April 2025 has 30 days" },
    { "2025-01-32", CM_TIME_ERROR_RANGE, "January 2025 has 31 days" },
    { "2025-01-00", CM_TIME_ERROR_RANGE, "day 00 does not exist" },
    { "2025-02-18T24:00", CM_TIME_ERROR_RANGE, "hour 24 does not exist" },
    { "2025-02-18T25:00", CM_TIME_ERROR_RANGE, "hour 25 does not exist" },
    { "2025-02-18T10:60", CM_TIME_ERROR_RANGE, "minute 60 does not exist" },
    { "2025-02-18T10:00:60", CM_TIME_ERROR_RANGE, "leap second 60 is not supported" },
    { "2025-02-18T10:00:61", CM_TIME_ERROR_RANGE, "second 61 does not exist" },
    { "2025-02-18T10:00+18:01", CM_TIME_ERROR_RANGE, "offset \"+18:01\" is beyond" },
    { "2025-02-18T10:00+19:00", CM_TIME_ERROR_RANGE, "±18:00" },
    { "2025-02-18T10:00-2500", CM_TIME_ERROR_RANGE, "offset \"-2500\" is beyond" },
    { "2025-02-18T10:00+03:60", CM_TIME_ERROR_RANGE, "minutes run from 00 to 59" },
    { "-20000000001", CM_TIME_ERROR_RANGE,
      "year \"-20000000001\" is outside the supported range, -20000000000 to 20000000000" },
    { "+20000000001-01-01", CM_TIME_ERROR_RANGE,
      "outside the supported range, -20000000000 to 20000000000" },
    { "-000000000044", CM_TIME_ERROR_SYNTAX, "a year has at most eleven digits" },
    { "99999999999999999999999", CM_TIME_ERROR_RANGE, "outside the supported range" },
    { "2025x", CM_TIME_ERROR_SYNTAX, "unexpected \"x\" after \"2025\"" },
    { "2025-02-18abc", CM_TIME_ERROR_SYNTAX, "unexpected \"abc\" after \"2025-02-18\"" },
    { "2025-02-18T10:00Zjunk", CM_TIME_ERROR_SYNTAX, "unexpected \"junk\"" },
    { "2025-02-18T10:00Z+03:00", CM_TIME_ERROR_SYNTAX, "unexpected \"+03:00\"" },
    { "2025-2-18", CM_TIME_ERROR_SYNTAX, "the month needs two digits" },
    { "2025-02-8", CM_TIME_ERROR_SYNTAX, "the day needs two digits" },
    { "2025-002-18", CM_TIME_ERROR_SYNTAX, "the month needs two digits" },
    { "2025-", CM_TIME_ERROR_SYNTAX, "a month must follow the hyphen" },
    { "2025-02-", CM_TIME_ERROR_SYNTAX, "a day must follow the hyphen" },
    { "25", CM_TIME_ERROR_SYNTAX, "four digits, as in 0025" },
    { "800-01-01", CM_TIME_ERROR_SYNTAX, "four digits, as in 0800" },
    { "12000", CM_TIME_ERROR_SYNTAX, "plus sign, as in +12000" },
    { "20250218", CM_TIME_ERROR_SYNTAX, "hyphens, as in 2025-02-18" },
    { "2025/02/18", CM_TIME_ERROR_SYNTAX, "hyphens" },
    { "18.02.2025", CM_TIME_ERROR_SYNTAX, "four digits" },
    { "2025.02", CM_TIME_ERROR_SYNTAX, "hyphens" },
    { " 2025", CM_TIME_ERROR_SYNTAX, "space" },
    { "2025 ", CM_TIME_ERROR_SYNTAX, "space" },
    { "2025-02-18 10:00", CM_TIME_ERROR_SYNTAX, "write a T between date and time" },
    { "2025-02-18T", CM_TIME_ERROR_SYNTAX, "a T must be followed by a time" },
    { "2025-02-18T10", CM_TIME_ERROR_SYNTAX, "needs minutes too" },
    { "2025-02-18T10Z", CM_TIME_ERROR_SYNTAX, "needs minutes too" },
    { "2025-02-18T1000", CM_TIME_ERROR_SYNTAX, "with a colon" },
    { "2025-02-18T9:00", CM_TIME_ERROR_SYNTAX, "the hour needs two digits" },
    { "2025-02-18T10:0", CM_TIME_ERROR_SYNTAX, "the minutes need two digits" },
    { "2025-02-18T10:00:", CM_TIME_ERROR_SYNTAX, "seconds are missing" },
    { "2025-02-18T10:00:5", CM_TIME_ERROR_SYNTAX, "the seconds need two digits" },
    { "2025-02-18T10:00:00.", CM_TIME_ERROR_SYNTAX, "followed by digits" },
    { "2025-02T10:00", CM_TIME_ERROR_SYNTAX, "needs a full date" },
    { "2025-02-18Z", CM_TIME_ERROR_SYNTAX, "an offset needs a time of day" },
    { "2025-02-18+03:00", CM_TIME_ERROR_SYNTAX, "an offset needs a time of day" },
    { "2025Z", CM_TIME_ERROR_SYNTAX, "an offset needs a time of day" },
    { "2025-02-18T10:00+3", CM_TIME_ERROR_SYNTAX, "write an offset from UTC as +03:00" },
    { "2025-02-18T10:00+03:0", CM_TIME_ERROR_SYNTAX, "write an offset from UTC as +03:00" },
    { "2025-02-18t10:00", CM_TIME_ERROR_SYNTAX, "unexpected \"t10:00\"" },
    { "-", CM_TIME_ERROR_SYNTAX, "does not start with a year" },
    { "February 2025", CM_TIME_ERROR_SYNTAX, "does not start with a year" },
    { "2025-02-18\n", CM_TIME_ERROR_SYNTAX, "\"2025-02-18\\x0a\"" },
    { "\"2025\"", CM_TIME_ERROR_SYNTAX, "\"\\\"2025\\\"\" is not a date" },
    { "\xff" "2025", CM_TIME_ERROR_SYNTAX, "not valid UTF-8" },
    { "2025-02-18T10:00:00.000000000000000000000000000000000000000000001x",
      CM_TIME_ERROR_SYNTAX, "…\" is not a date" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *quoted = g_strdup_printf ("\"%s\" is not a date: ", cases[i].text);
      g_autofree char *escaped = g_strescape (cases[i].text, NULL);
      CmTime time = { .seconds = 42 };

      g_test_message ("%s", escaped);
      g_assert_false (cm_time_parse (cases[i].text, NULL, &time, &error));
      g_assert_error (error, CM_TIME_ERROR, (int) cases[i].code);
      if (strstr (error->message, cases[i].words) == NULL)
        g_error ("message for \"%s\" lacks \"%s\": %s", cases[i].text, cases[i].words,
                 error->message);
      /* Plain inputs are quoted as written at the start of the message. */
      if (g_utf8_validate (cases[i].text, -1, NULL) && strpbrk (cases[i].text, "\"\n") == NULL
          && strlen (cases[i].text) < 40)
        g_assert_true (g_str_has_prefix (error->message, quoted));
      /* A refused value leaves the output alone. */
      g_assert_cmpint (time.seconds, ==, 42);
    }
}

/* ---------------------------------------------------------------------- */

static void
test_end (void)
{
  static const struct
  {
    const char *text;
    const char *end;
  } cases[] = {
    { "2025", "2026-01-01T00:00Z" },
    { "2024", "2025-01-01T00:00Z" },
    { "-0044", "-0043-01-01T00:00Z" },
    { "0000", "0001-01-01T00:00Z" },
    { "2025-02", "2025-03-01T00:00Z" },
    { "2024-02", "2024-03-01T00:00Z" },
    { "2025-12", "2026-01-01T00:00Z" },
    { "-0001-12", "0000-01-01T00:00Z" },
    { "2025-02-18", "2025-02-19T00:00Z" },
    { "2024-02-28", "2024-02-29T00:00Z" },
    { "2024-02-29", "2024-03-01T00:00Z" },
    { "2025-02-28", "2025-03-01T00:00Z" },
    { "2024-12-31", "2025-01-01T00:00Z" },
    { "2025-02-18T23:59", "2025-02-19T00:00Z" },
    { "2025-02-18T10:00:59", "2025-02-18T10:01:00Z" },
  };
  g_autoptr(GTimeZone) riyadh = get_zone ("Asia/Riyadh");
  g_autoptr(GTimeZone) paris = get_zone ("Europe/Paris");
  CmTime time, end;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("%s", cases[i].text);
      time = parse_ok (cases[i].text, NULL);
      end = parse_ok (cases[i].end, NULL);
      g_assert_cmpint (cm_time_get_end (&time), ==, end.seconds);
    }

  /* The last supported year ends at a year that cannot be parsed. */
  time = parse_ok ("+20000000000", NULL);
  g_assert_cmpint (cm_time_get_end (&time), ==,
                   cm_time_from_civil (CM_TIME_MAX_YEAR + 1, 1, 1, 0, 0, 0));

  /* In a zone, the next interval starts at the same offset. */
  time = parse_ok ("2025-02", riyadh);
  g_assert_cmpint (cm_time_get_end (&time), ==, cm_time_from_civil (2025, 2, 28, 21, 0, 0));
  time = parse_ok ("2025-12-31", riyadh);
  g_assert_cmpint (cm_time_get_end (&time), ==, cm_time_from_civil (2025, 12, 31, 21, 0, 0));
  time = parse_ok ("2025-12-31T23:30-05:00", NULL);
  g_assert_cmpint (cm_time_get_end (&time), ==, cm_time_from_civil (2026, 1, 1, 4, 31, 0));
  time = parse_ok ("2025-07", paris);
  g_assert_cmpint (cm_time_get_end (&time), ==, cm_time_from_civil (2025, 7, 31, 22, 0, 0));

  /* Minutes and seconds. */
  time = parse_ok ("2025-02-18T10:00", riyadh);
  g_assert_cmpint (cm_time_get_end (&time), ==, time.seconds + 60);
  time = parse_ok ("2025-02-18T10:00:00", riyadh);
  g_assert_cmpint (cm_time_get_end (&time), ==, time.seconds + 1);
}

/* ---------------------------------------------------------------------- */

static void
test_format (void)
{
  static const struct
  {
    const char *text;
    const char *full;
    const char *abbreviated;
  } cases[] = {
    { "2025", "2025", "2025" },
    { "2025-02", "February 2025", "Feb 2025" },
    { "2025-02-18", "18 February 2025", "18 Feb 2025" },
    { "2025-02-08", "8 February 2025", "8 Feb 2025" },
    { "2025-02-18T10:00+03:00", "18 February 2025, 10:00 +03:00", "18 Feb 2025 10:00" },
    { "2025-02-18T10:00:30Z", "18 February 2025, 10:00:30 UTC", "18 Feb 2025 10:00:30" },
    { "2025-02-18T10:00:30", "18 February 2025, 10:00:30 UTC", "18 Feb 2025 10:00:30" },
    { "2025-02-18T01:05-05:00", "18 February 2025, 01:05 -05:00", "18 Feb 2025 01:05" },
    { "2025-02-18T23:00+05:30", "18 February 2025, 23:00 +05:30", "18 Feb 2025 23:00" },
    { "2025-12-31T23:59:59-18:00", "31 December 2025, 23:59:59 -18:00",
      "31 Dec 2025 23:59:59" },
    { "-0043", "44 BCE", "44 BCE" },
    { "-0043-03", "March 44 BCE", "Mar 44 BCE" },
    { "-0043-03-15", "15 March 44 BCE", "15 Mar 44 BCE" },
    { "-0043-03-15T12:00Z", "15 March 44 BCE, 12:00 UTC", "15 Mar 44 BCE 12:00" },
    { "0000", "1 BCE", "1 BCE" },
    { "0001-01", "January 1", "Jan 1" },
    { "-999998", "999999 BCE", "999999 BCE" },
    /* Deep time, from a million years BCE, by its BCE number. */
    { "-999999", "1 million years ago", "1m years ago" },
    { "-65999999", "66 million years ago", "66m years ago" },
    { "-66000000", "66 million years ago", "66m years ago" },
    { "-251901999", "251.902 million years ago", "251.902m years ago" },
    { "-1234567", "1.234568 million years ago", "1.234568m years ago" },
    { "-4539999999", "4.54 billion years ago", "4.54bn years ago" },
    { "-13799999999", "13.8 billion years ago", "13.8bn years ago" },
    { "-13800000000", "13.8 billion years ago", "13.8bn years ago" },
    { "-999999999", "1 billion years ago", "1bn years ago" },
    { "-20000000000", "20 billion years ago", "20bn years ago" },
    { "-2500004-06", "June 2.500005 million years ago", "Jun 2.500005m years ago" },
    { "+999999", "999999", "999999" },
    { "+1000000", "1 million CE", "1m CE" },
    { "+5000000000", "5 billion CE", "5bn CE" },
    { "+12000-05", "May 12000", "May 12000" },
    { "1999-09-09", "9 September 1999", "9 Sep 1999" },
  };
  g_autoptr(GTimeZone) paris = get_zone ("Europe/Paris");
  g_autoptr(GTimeZone) riyadh = get_zone ("Asia/Riyadh");
  CmTime time;
  char *text;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *full = NULL;
      g_autofree char *abbreviated = NULL;

      time = parse_ok (cases[i].text, NULL);
      full = cm_time_format (&time);
      abbreviated = cm_time_format_short (&time);
      g_assert_cmpstr (full, ==, cases[i].full);
      g_assert_cmpstr (abbreviated, ==, cases[i].abbreviated);
    }

  /* Fields are shown in the value's own zone, not in UTC. */
  time = parse_ok ("2025-07-01T00:30", paris);
  text = cm_time_format (&time);
  g_assert_cmpstr (text, ==, "1 July 2025, 00:30 +02:00");
  g_free (text);
  time = parse_ok ("2025-01-01", riyadh);
  text = cm_time_format (&time);
  g_assert_cmpstr (text, ==, "1 January 2025");
  g_free (text);
  time = parse_ok ("2025", riyadh);
  text = cm_time_format_short (&time);
  g_assert_cmpstr (text, ==, "2025");
  g_free (text);

  /* Before standard time, a zone is in local mean time, to the second. */
  time = parse_ok ("1800-01-01T10:00", riyadh);
  text = cm_time_format (&time);
  g_assert_cmpstr (text, ==, "1 January 1800, 10:00 +03:06:52");
  g_free (text);
}

static void
test_compare (void)
{
  CmTime year = parse_ok ("2025", NULL);
  CmTime month = parse_ok ("2025-01", NULL);
  CmTime day = parse_ok ("2025-01-01", NULL);
  CmTime minute = parse_ok ("2025-01-01T00:00", NULL);
  CmTime later = parse_ok ("2025-01-01T00:00:01", NULL);
  CmTime earlier = parse_ok ("2025-01-01T02:59:59+03:00", NULL);
  CmTime bce = parse_ok ("-0044-03-15", NULL);
  CmTime same = parse_ok ("2025-01-01T03:00+03:00", NULL);

  g_assert_cmpint (cm_time_compare (&year, &year), ==, 0);
  g_assert_cmpint (cm_time_compare (&year, &month), <, 0);
  g_assert_cmpint (cm_time_compare (&month, &year), >, 0);
  g_assert_cmpint (cm_time_compare (&month, &day), <, 0);
  g_assert_cmpint (cm_time_compare (&day, &minute), <, 0);
  g_assert_cmpint (cm_time_compare (&minute, &later), <, 0);
  g_assert_cmpint (cm_time_compare (&later, &minute), >, 0);
  /* An instant, whatever offset it was written in. */
  g_assert_cmpint (cm_time_compare (&earlier, &year), <, 0);
  g_assert_cmpint (cm_time_compare (&same, &minute), ==, 0);
  g_assert_cmpint (cm_time_compare (&bce, &year), <, 0);
  g_assert_cmpint (cm_time_compare (&year, &bce), >, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/time/civil/known-values", test_civil_known_values);
  g_test_add_func ("/time/civil/day-by-day", test_civil_day_by_day);
  g_test_add_func ("/time/civil/round-trip", test_civil_round_trip);
  g_test_add_func ("/time/civil/leap-years", test_civil_leap_years);
  g_test_add_func ("/time/parse/precisions", test_parse_precisions);
  g_test_add_func ("/time/parse/leap-year", test_parse_leap_year);
  g_test_add_func ("/time/parse/years", test_parse_years);
  g_test_add_func ("/time/parse/fraction", test_parse_fraction);
  g_test_add_func ("/time/parse/offsets", test_parse_offsets);
  g_test_add_func ("/time/parse/zones", test_parse_zones);
  g_test_add_func ("/time/parse/errors", test_parse_errors);
  g_test_add_func ("/time/end", test_end);
  g_test_add_func ("/time/format", test_format);
  g_test_add_func ("/time/compare", test_compare);

  return g_test_run ();
}
