/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-timeline"

#include "config.h"

#include <glib/gi18n.h>

#include "cm-time.h"
#include "cm-timeline-layout-private.h"

/* Axis ticks. Times are worked on as "local" seconds (UTC + the axis
 * offset), whose civil fields are the wall clock the axis shows; a fixed
 * offset has no daylight-saving jumps, so hours and minutes are plain
 * multiples. */

typedef enum
{
  UNIT_MINUTE,
  UNIT_HOUR,
  UNIT_DAY,
  UNIT_MONTH,
  UNIT_YEAR,
  UNIT_NONE,
} Unit;

typedef struct
{
  Unit   unit;
  gint64 step;
  int    ce_offset;  /* YEAR: 1 puts CE ticks at 1, 101, ... (centuries) */
} Scale;

#define YEAR_SECONDS  31556952.0   /* mean Gregorian year */
#define MONTH_SECONDS (YEAR_SECONDS / 12)
#define MAX_TICKS     4000
#define TICK_LABEL_GAP 14.0

static const Scale minor_scales[] = {
  { UNIT_MINUTE, 1 }, { UNIT_MINUTE, 2 }, { UNIT_MINUTE, 5 }, { UNIT_MINUTE, 10 },
  { UNIT_MINUTE, 15 }, { UNIT_MINUTE, 30 },
  { UNIT_HOUR, 1 }, { UNIT_HOUR, 2 }, { UNIT_HOUR, 3 }, { UNIT_HOUR, 6 }, { UNIT_HOUR, 12 },
  { UNIT_DAY, 1 }, { UNIT_DAY, 2 }, { UNIT_DAY, 5 }, { UNIT_DAY, 10 },
  { UNIT_MONTH, 1 }, { UNIT_MONTH, 2 }, { UNIT_MONTH, 3 }, { UNIT_MONTH, 6 },
};

static const char *const month_abbreviations[] = {
  NC_("abbreviated month", "Jan"), NC_("abbreviated month", "Feb"),
  NC_("abbreviated month", "Mar"), NC_("abbreviated month", "Apr"),
  NC_("abbreviated month", "May"), NC_("abbreviated month", "Jun"),
  NC_("abbreviated month", "Jul"), NC_("abbreviated month", "Aug"),
  NC_("abbreviated month", "Sep"), NC_("abbreviated month", "Oct"),
  NC_("abbreviated month", "Nov"), NC_("abbreviated month", "Dec"),
};

static double
get_unit_seconds (const Scale *scale)
{
  switch (scale->unit)
    {
    case UNIT_MINUTE: return 60.0 * scale->step;
    case UNIT_HOUR:   return 3600.0 * scale->step;
    case UNIT_DAY:    return 86400.0 * scale->step;
    case UNIT_MONTH:  return MONTH_SECONDS * scale->step;
    case UNIT_YEAR:   return YEAR_SECONDS * scale->step;
    case UNIT_NONE:
    default:          return G_MAXDOUBLE;
    }
}

static gint64
positive_mod (gint64 a,
              gint64 b)
{
  gint64 r = a % b;

  return r < 0 ? r + b : r;
}

/* Year ticks: CE years that are multiples of the step (plus ce_offset),
 * BCE years whose written number ("500 BCE") is a multiple of the step, so
 * labels stay round on both sides of the era boundary. */
static gint64
next_year_tick (gint64 year,
                gint64 step,
                int    ce_offset)
{
  if (year <= 0)
    {
      gint64 bce = 1 - year;
      gint64 rounded = bce / step * step;

      if (rounded >= 1)
        return 1 - rounded;
      year = 1;
    }

  return year + positive_mod (step - positive_mod (year - ce_offset, step), step);
}

static gint64
prev_year_tick (gint64 year,
                gint64 step,
                int    ce_offset)
{
  gint64 bce;

  if (year >= 1)
    {
      gint64 candidate = year - positive_mod (year - ce_offset, step);

      if (candidate >= 1)
        return candidate;
      year = 0;
    }

  bce = 1 - year;
  return 1 - (bce + step - 1) / step * step;
}

/* Days of a month that carry a tick: 1, 1 + step, ... leaving out a last
 * one closer than a step to the next month's 1st. */
static gboolean
is_day_tick (int    day,
             int    days_in_month,
             gint64 step)
{
  if ((day - 1) % step != 0)
    return FALSE;
  return step == 1 || day == 1 || days_in_month - day + 1 >= step;
}

static gint64
floor_tick (const Scale *scale,
            gint64       local)
{
  gint64 year;
  int month, day, hour, minute;

  cm_time_to_civil (local, &year, &month, &day, &hour, &minute, NULL);

  switch (scale->unit)
    {
    case UNIT_MINUTE:
      return cm_time_from_civil (year, month, day, hour, minute - minute % scale->step, 0);
    case UNIT_HOUR:
      return cm_time_from_civil (year, month, day, hour - hour % scale->step, 0, 0);
    case UNIT_DAY:
      {
        int dim = cm_time_days_in_month (year, month);

        day = 1 + (day - 1) / scale->step * scale->step;
        while (!is_day_tick (day, dim, scale->step))
          day -= scale->step;
        return cm_time_from_civil (year, month, day, 0, 0, 0);
      }
    case UNIT_MONTH:
      return cm_time_from_civil (year, month - (month - 1) % scale->step, 1, 0, 0, 0);
    case UNIT_YEAR:
      return cm_time_from_civil (prev_year_tick (year, scale->step, scale->ce_offset), 1, 1,
                                 0, 0, 0);
    case UNIT_NONE:
    default:
      g_assert_not_reached ();
    }
}

static gint64
next_tick (const Scale *scale,
           gint64       local)
{
  gint64 year;
  int month, day;

  switch (scale->unit)
    {
    case UNIT_MINUTE:
      return local + 60 * scale->step;
    case UNIT_HOUR:
      return local + 3600 * scale->step;
    default:
      break;
    }

  cm_time_to_civil (local, &year, &month, &day, NULL, NULL, NULL);

  switch (scale->unit)
    {
    case UNIT_DAY:
      {
        int dim = cm_time_days_in_month (year, month);

        day += scale->step;
        if (day <= dim && is_day_tick (day, dim, scale->step))
          return cm_time_from_civil (year, month, day, 0, 0, 0);
        return month == 12 ? cm_time_from_civil (year + 1, 1, 1, 0, 0, 0)
                           : cm_time_from_civil (year, month + 1, 1, 0, 0, 0);
      }
    case UNIT_MONTH:
      month += scale->step;
      if (month > 12)
        return cm_time_from_civil (year + 1, month - 12, 1, 0, 0, 0);
      return cm_time_from_civil (year, month, 1, 0, 0, 0);
    case UNIT_YEAR:
      return cm_time_from_civil (next_year_tick (year + 1, scale->step, scale->ce_offset), 1, 1,
                                 0, 0, 0);
    case UNIT_MINUTE:
    case UNIT_HOUR:
    case UNIT_NONE:
    default:
      g_assert_not_reached ();
    }
}

/* "2025", "44 BCE", "66m years ago", "13.8bn years ago". */
static char *
format_year (gint64 year)
{
  return cm_time_format_year (year, TRUE);
}

static const char *
get_ordinal_suffix (gint64 n)
{
  /* Translators: ordinal suffixes of "21st century", "2nd millennium";
   * languages with one form (Ukrainian "21-е") translate all four alike. */
  if (n % 100 >= 11 && n % 100 <= 13)
    return C_("ordinal suffix", "th");
  switch (n % 10)
    {
    case 1: return C_("ordinal suffix", "st");
    case 2: return C_("ordinal suffix", "nd");
    case 3: return C_("ordinal suffix", "rd");
    default: return C_("ordinal suffix", "th");
    }
}

/* "21st century", "5th century BCE", "2nd millennium". */
static char *
format_era_span (gint64 year,
                 gint64 span)
{
  gboolean bce = year <= 0;
  gint64 n = bce ? (1 - year) / span : (year - 1) / span + 1;
  const char *what = span == 100 ? _("century") : _("millennium");
  g_autofree char *ordinal = g_strdup_printf ("%" G_GINT64_FORMAT "%s", n, get_ordinal_suffix (n));

  if (bce)
    /* Translators: e.g. "5th century BCE" */
    return g_strdup_printf (_("%s %s BCE"), ordinal, what);
  /* Translators: an ordinal and "century" or "millennium", e.g. "21st century" */
  return g_strdup_printf (C_("era span", "%s %s"), ordinal, what);
}

static char *
format_tick (const Scale *scale,
             gboolean     major,
             gint64       local)
{
  CmTime time = { .seconds = local, .offset = 0 };
  gint64 year;
  int month, day, hour, minute;

  cm_time_to_civil (local, &year, &month, &day, &hour, &minute, NULL);

  switch (scale->unit)
    {
    case UNIT_MINUTE:
    case UNIT_HOUR:
      return g_strdup_printf ("%02d:%02d", hour, minute);
    case UNIT_DAY:
      if (!major)
        return g_strdup_printf ("%d", day);
      time.precision = CM_PRECISION_DAY;
      return cm_time_format (&time);
    case UNIT_MONTH:
      if (!major)
        return g_strdup (g_dpgettext2 (NULL, "abbreviated month", month_abbreviations[month - 1]));
      time.precision = CM_PRECISION_MONTH;
      return cm_time_format (&time);
    case UNIT_YEAR:
      if (!major || scale->step == 1)
        return format_year (year);
      if (scale->step == 10)
        {
          g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, year);

          /* Translators: a decade, e.g. "2020s" */
          return g_strdup_printf (_("%ss"), number);
        }
      return format_era_span (year, scale->step);
    case UNIT_NONE:
    default:
      g_assert_not_reached ();
    }
}

/* The unit shown above a minor one: days over a month, months over a
 * year, years over a decade, century or millennium. */
static Scale
get_major_scale (const Scale *minor,
                 gint64       first_year)
{
  Scale major = { UNIT_NONE, 1, 0 };

  switch (minor->unit)
    {
    case UNIT_MINUTE:
    case UNIT_HOUR:
      major.unit = UNIT_DAY;
      break;
    case UNIT_DAY:
      major.unit = UNIT_MONTH;
      break;
    case UNIT_MONTH:
      major.unit = UNIT_YEAR;
      break;
    case UNIT_YEAR:
      major.unit = UNIT_YEAR;
      major.ce_offset = 1;
      /* Deep time has no centuries or millennia worth naming: its minor
       * labels ("66m years ago") say it all. */
      if (first_year <= -999999)
        major.unit = UNIT_NONE;
      else if (minor->step <= 2 && first_year >= 1)
        major.step = 10, major.ce_offset = 0;
      else if (minor->step <= 20)
        major.step = 100;
      else if (minor->step <= 500)
        major.step = 1000;
      else
        major.unit = UNIT_NONE;
      break;
    case UNIT_NONE:
    default:
      g_assert_not_reached ();
    }

  return major;
}

static double
measure_sample_width (const Scale   *scale,
                      gint64         local0,
                      gint64         local1,
                      CmMeasureFunc  measure,
                      gpointer       user_data)
{
  double width = 0;

  if (scale->unit == UNIT_YEAR)
    {
      for (guint i = 0; i < 2; i++)
        {
          gint64 year;
          g_autofree char *text = NULL;

          cm_time_to_civil (i == 0 ? local0 : local1, &year, NULL, NULL, NULL, NULL, NULL);
          text = format_year (prev_year_tick (year, scale->step, 0));
          width = MAX (width, measure (text, user_data));
        }
      return width;
    }

  if (scale->unit == UNIT_MONTH)
    {
      for (guint i = 0; i < G_N_ELEMENTS (month_abbreviations); i++)
        width = MAX (width, measure (g_dpgettext2 (NULL, "abbreviated month",
                                                   month_abbreviations[i]), user_data));
      return width;
    }

  return measure (scale->unit == UNIT_DAY ? "28" : "00:00", user_data);
}

static Scale
choose_minor_scale (gint64         local0,
                    gint64         local1,
                    double         px_per_second,
                    CmMeasureFunc  measure,
                    gpointer       user_data)
{
  Scale scale = { UNIT_YEAR, 1, 0 };

  for (guint i = 0; i < G_N_ELEMENTS (minor_scales); i++)
    {
      double need = measure_sample_width (&minor_scales[i], local0, local1, measure, user_data);

      if (get_unit_seconds (&minor_scales[i]) * px_per_second >= need + TICK_LABEL_GAP)
        return minor_scales[i];
    }

  /* Years: 1, 2, 5, 10, 20, 50, ... up to 50 billion (deep time: the
   * times' range is 20 billion years either side of year 0). */
  for (gint64 magnitude = 1; magnitude <= G_GINT64_CONSTANT (10000000000); magnitude *= 10)
    {
      static const int factors[] = { 1, 2, 5 };

      for (guint i = 0; i < G_N_ELEMENTS (factors); i++)
        {
          scale.step = magnitude * factors[i];
          if (get_unit_seconds (&scale) * px_per_second
              >= measure_sample_width (&scale, local0, local1, measure, user_data) + TICK_LABEL_GAP)
            return scale;
        }
    }

  return scale;
}

static void
append_ticks (const Scale *scale,
              gboolean     major,
              gint64       local0,
              gint64       local1,
              gint32       offset,
              GArray      *ticks,
              GPtrArray   *strings)
{
  gint64 local = floor_tick (scale, local0);
  guint n = 0;

  /* Minor ticks start inside the span; a major one may start before it so
   * its label can stick to the left edge. */
  if (!major && local < local0)
    local = next_tick (scale, local);

  for (; local <= local1 && n < MAX_TICKS; local = next_tick (scale, local), n++)
    {
      CmTimelineTick tick = { 0, };
      char *label = format_tick (scale, major, local);

      g_ptr_array_add (strings, label);
      tick.time = local - offset;
      tick.label = label;
      tick.major = major;
      g_array_append_val (ticks, tick);
    }
}

void
_cm_timeline_layout_compute_ticks (gint64         t0,
                                   gint64         t1,
                                   double         px_per_second,
                                   gint32         offset,
                                   CmMeasureFunc  measure,
                                   gpointer       user_data,
                                   GArray        *ticks,
                                   GPtrArray     *strings)
{
  gint64 local0 = t0 + offset, local1 = t1 + offset;
  gint64 first_year;
  Scale minor, major;

  g_return_if_fail (t1 > t0);
  g_return_if_fail (px_per_second > 0);

  cm_time_to_civil (local0, &first_year, NULL, NULL, NULL, NULL, NULL);
  minor = choose_minor_scale (local0, local1, px_per_second, measure, user_data);
  major = get_major_scale (&minor, first_year);

  append_ticks (&minor, FALSE, local0, local1, offset, ticks, strings);
  if (major.unit != UNIT_NONE)
    append_ticks (&major, TRUE, local0, local1, offset, ticks, strings);
}
