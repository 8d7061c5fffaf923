/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-time"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "cm-time.h"

#define SECONDS_PER_DAY 86400
#define MAX_OFFSET      (18 * 3600)

/* GTimeZone is consulted for wall-clock times in these years (GDateTime's
 * range; before a zone's first transition that is its local mean time, which
 * is what clocks showed then). Outside them the zone's standard offset is
 * used: rules for years past 9999 or before the common era are fiction. */
#define ZONE_MIN_YEAR   1
#define ZONE_MAX_YEAR   9999

/* cm_time_from_civil() stays far from gint64 overflow within this: 10^11
 * years are 3.2e18 s of 9.2e18. */
#define CIVIL_MAX_YEAR  G_GINT64_CONSTANT (100000000000)

/* BCE years from this on are shown as deep time, "1 million years ago". */
#define DEEP_TIME_YEARS G_GINT64_CONSTANT (1000000)

/* Longest part of the input quoted in an error message, in characters. */
#define QUOTE_MAX       40

G_DEFINE_QUARK (cm-time-error-quark, cm_time_error)

/* Month names alone ("February 2025") and inside a date ("18 February 2025"),
 * in full and abbreviated: many languages decline the name inside a date
 * (Ukrainian "лютий 2025" but "18 лютого 2025"). */
typedef enum
{
  MONTH_FULL,
  MONTH_FULL_IN_DATE,
  MONTH_SHORT,
  MONTH_SHORT_IN_DATE,
} MonthForm;

static const char *const month_contexts[] = {
  "month", "month in a date", "abbreviated month", "abbreviated month in a date",
};

static const char *const month_names[][12] = {
  {
    NC_("month", "January"), NC_("month", "February"), NC_("month", "March"),
    NC_("month", "April"), NC_("month", "May"), NC_("month", "June"),
    NC_("month", "July"), NC_("month", "August"), NC_("month", "September"),
    NC_("month", "October"), NC_("month", "November"), NC_("month", "December"),
  },
  {
    NC_("month in a date", "January"), NC_("month in a date", "February"),
    NC_("month in a date", "March"), NC_("month in a date", "April"),
    NC_("month in a date", "May"), NC_("month in a date", "June"),
    NC_("month in a date", "July"), NC_("month in a date", "August"),
    NC_("month in a date", "September"), NC_("month in a date", "October"),
    NC_("month in a date", "November"), NC_("month in a date", "December"),
  },
  {
    NC_("abbreviated month", "Jan"), NC_("abbreviated month", "Feb"),
    NC_("abbreviated month", "Mar"), NC_("abbreviated month", "Apr"),
    NC_("abbreviated month", "May"), NC_("abbreviated month", "Jun"),
    NC_("abbreviated month", "Jul"), NC_("abbreviated month", "Aug"),
    NC_("abbreviated month", "Sep"), NC_("abbreviated month", "Oct"),
    NC_("abbreviated month", "Nov"), NC_("abbreviated month", "Dec"),
  },
  {
    NC_("abbreviated month in a date", "Jan"), NC_("abbreviated month in a date", "Feb"),
    NC_("abbreviated month in a date", "Mar"), NC_("abbreviated month in a date", "Apr"),
    NC_("abbreviated month in a date", "May"), NC_("abbreviated month in a date", "Jun"),
    NC_("abbreviated month in a date", "Jul"), NC_("abbreviated month in a date", "Aug"),
    NC_("abbreviated month in a date", "Sep"), NC_("abbreviated month in a date", "Oct"),
    NC_("abbreviated month in a date", "Nov"), NC_("abbreviated month in a date", "Dec"),
  },
};

/* ---------------------------------------------------------------------- */
/* Civil calendar: Howard Hinnant's days_from_civil / civil_from_days.     */

static gint64
floor_div (gint64 a,
           gint64 b)
{
  gint64 q = a / b;

  if (a % b != 0 && (a < 0) != (b < 0))
    q--;
  return q;
}

/* @day may lie outside the month: it carries over, so day + 1 is the next day. */
static gint64
days_from_civil (gint64 year,
                 int    month,
                 gint64 day)
{
  gint64 y = year - (month <= 2);
  gint64 era = (y >= 0 ? y : y - 399) / 400;
  gint64 yoe = y - era * 400;
  gint64 doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  gint64 doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

  return era * 146097 + doe - 719468;
}

static void
civil_from_days (gint64  days,
                 gint64 *year,
                 int    *month,
                 int    *day)
{
  gint64 z = days + 719468;
  gint64 era = (z >= 0 ? z : z - 146096) / 146097;
  gint64 doe = z - era * 146097;
  gint64 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  gint64 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  gint64 mp = (5 * doy + 2) / 153;
  int m = mp < 10 ? mp + 3 : mp - 9;

  *day = doy - (153 * mp + 2) / 5 + 1;
  *month = m;
  *year = yoe + era * 400 + (m <= 2);
}

/**
 * cm_time_from_civil:
 *
 * Seconds since the epoch of a UTC wall-clock time. @month must be 1-12;
 * @day, @hour, @minute and @second may overflow and carry over (day 32 of
 * January is 1 February), which is what interval ends need.
 */
gint64
cm_time_from_civil (gint64 year,
                    int    month,
                    int    day,
                    int    hour,
                    int    minute,
                    int    second)
{
  g_return_val_if_fail (month >= 1 && month <= 12, 0);
  g_return_val_if_fail (year >= -CIVIL_MAX_YEAR && year <= CIVIL_MAX_YEAR, 0);

  return days_from_civil (year, month, day) * SECONDS_PER_DAY
         + (gint64) hour * 3600 + (gint64) minute * 60 + second;
}

void
cm_time_to_civil (gint64  seconds,
                  gint64 *year,
                  int    *month,
                  int    *day,
                  int    *hour,
                  int    *minute,
                  int    *second)
{
  gint64 days = floor_div (seconds, SECONDS_PER_DAY);
  int in_day = seconds - days * SECONDS_PER_DAY;
  gint64 y;
  int m, d;

  civil_from_days (days, &y, &m, &d);

  if (year)
    *year = y;
  if (month)
    *month = m;
  if (day)
    *day = d;
  if (hour)
    *hour = in_day / 3600;
  if (minute)
    *minute = in_day / 60 % 60;
  if (second)
    *second = in_day % 60;
}

gboolean
cm_time_is_leap_year (gint64 year)
{
  return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
}

int
cm_time_days_in_month (gint64 year,
                       int    month)
{
  static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

  g_return_val_if_fail (month >= 1 && month <= 12, 0);

  if (month == 2 && cm_time_is_leap_year (year))
    return 29;
  return days[month - 1];
}

/* ---------------------------------------------------------------------- */
/* Text of years and months, shared by messages and formatting.            */

/* @years (>= DEEP_TIME_YEARS) in millions or billions, with the decimals
 * that are not zero, in the locale's decimal point: "13.8", "66", "4.54".
 * A year either side of a round thousand is the round figure: with no year
 * 0, "-13800000000" and 13800000000 BCE are the same 13.8 billion years
 * ago, and the last year before a round one ends where it starts. */
static char *
format_deep_number (gint64   years,
                    gboolean *billions)
{
  const char *point = localeconv ()->decimal_point;
  GString *text = g_string_new (NULL);
  gint64 unit, rest;
  int digits;

  if (years % 1000 == 1)
    years--;
  else if (years % 1000 == 999)
    years++;
  unit = years >= G_GINT64_CONSTANT (1000000000) ? G_GINT64_CONSTANT (1000000000)
                                                 : DEEP_TIME_YEARS;
  digits = unit == DEEP_TIME_YEARS ? 6 : 9;
  rest = years % unit;
  *billions = unit != DEEP_TIME_YEARS;
  g_string_append_printf (text, "%" G_GINT64_FORMAT, years / unit);
  if (rest != 0)
    {
      g_string_append (text, point != NULL && *point != '\0' ? point : ".");
      g_string_append_printf (text, "%0*" G_GINT64_FORMAT, digits, rest);
      while (text->str[text->len - 1] == '0')
        g_string_truncate (text, text->len - 1);
    }
  return g_string_free (text, FALSE);
}

char *
cm_time_format_year (gint64   year,
                     gboolean is_short)
{
  g_autofree char *number = NULL;
  gboolean billions;

  if (year > 0 && year < DEEP_TIME_YEARS)
    return g_strdup_printf ("%" G_GINT64_FORMAT, year);

  if (year >= DEEP_TIME_YEARS)
    {
      number = format_deep_number (year, &billions);
      if (billions)
        /* Translators: a year far in the future, e.g. "5 billion CE"; the
         * short form, for axes and lists, e.g. "5bn CE", follows */
        return g_strdup_printf (is_short ? _("%sbn CE") : _("%s billion CE"), number);
      /* Translators: a year far in the future, e.g. "2 million CE"; the
       * short form, for axes and lists, e.g. "2m CE", follows */
      return g_strdup_printf (is_short ? _("%sm CE") : _("%s million CE"), number);
    }

  /* Astronomical year 0 is 1 BCE. */
  if (1 - year >= DEEP_TIME_YEARS)
    {
      number = format_deep_number (1 - year, &billions);
      if (billions)
        /* Translators: deep time, e.g. "13.8 billion years ago"; the short
         * form, for axes and lists, e.g. "13.8bn years ago", follows */
        return g_strdup_printf (is_short ? _("%sbn years ago") : _("%s billion years ago"),
                                number);
      /* Translators: deep time, e.g. "66 million years ago"; the short
       * form, for axes and lists, e.g. "66m years ago", follows */
      return g_strdup_printf (is_short ? _("%sm years ago") : _("%s million years ago"), number);
    }

  number = g_strdup_printf ("%" G_GINT64_FORMAT, 1 - year);
  /* Translators: a year before the common era, e.g. "44 BCE" */
  return g_strdup_printf (_("%s BCE"), number);
}

static const char *
get_month_name (int       month,
                MonthForm form)
{
  return g_dpgettext2 (NULL, month_contexts[form], month_names[form][month - 1]);
}

static char *
format_month_year (gint64   year,
                   int      month,
                   gboolean is_short)
{
  g_autofree char *year_text = cm_time_format_year (year, is_short);
  const char *name = get_month_name (month, is_short ? MONTH_SHORT : MONTH_FULL);

  /* Translators: month name and year, e.g. "February 2025" or "Feb 2025" */
  return g_strdup_printf (C_("month and year", "%1$s %2$s"), name, year_text);
}

/* ---------------------------------------------------------------------- */
/* Parsing                                                                 */

typedef struct
{
  const char  *text;        /* the whole input, quoted in messages */
  const char  *p;           /* next character to read */
  GError     **error;

  gint64       year;
  int          month;
  int          day;
  int          hour;
  int          minute;
  int          second;
  CmPrecision  precision;

  gboolean     has_offset;
  int          offset;      /* seconds east of UTC */
  const char  *offset_text; /* where the offset was written, for messages */
  int          offset_len;
  int          offset_minutes;
} Parser;

/* The input as a person would recognise it: valid UTF-8, control characters
 * and quotes escaped, cut short if long. */
static char *
quote_text (const char *text,
            gssize      length)
{
  g_autofree char *valid = g_utf8_make_valid (text, length);
  GString *quoted = g_string_new ("\"");
  int n = 0;

  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (n++ == QUOTE_MAX)
        {
          g_string_append (quoted, "…");
          break;
        }

      if (c == '"' || c == '\\')
        g_string_append_printf (quoted, "\\%c", (char) c);
      else if (c < 0x20 || c == 0x7f)
        g_string_append_printf (quoted, "\\x%02x", (unsigned) c);
      else
        g_string_append_unichar (quoted, c);
    }

  g_string_append_c (quoted, '"');
  return g_string_free (quoted, FALSE);
}

static gboolean fail (Parser     *ps,
                      CmTimeError code,
                      const char *format,
                      ...) G_GNUC_PRINTF (3, 4);

/* Sets "<input>" is not a date: <detail>. Always returns FALSE. */
static gboolean
fail (Parser      *ps,
      CmTimeError  code,
      const char  *format,
      ...)
{
  g_autofree char *quoted = quote_text (ps->text, -1);
  g_autofree char *detail = NULL;
  va_list args;

  va_start (args, format);
  detail = g_strdup_vprintf (format, args);
  va_end (args);

  /* Translators: the first %s is the text as written, in quotes; the second
   * says what is wrong, e.g. "2025-13-01" is not a date: month 13 does not exist */
  g_set_error (ps->error, CM_TIME_ERROR, code, _("%s is not a date: %s"), quoted, detail);
  return FALSE;
}

static int
count_digits (const char *p)
{
  int n = 0;

  while (g_ascii_isdigit (p[n]))
    n++;
  return n;
}

/* Value of @n digits at @p, saturating at 10^15 so that absurdly long
 * numbers are reported as out of range, not wrapped. */
static gint64
read_number (const char *p,
             int         n)
{
  gint64 value = 0;

  for (int i = 0; i < n; i++)
    value = MIN (value * 10 + (p[i] - '0'), G_GINT64_CONSTANT (1000000000000000));
  return value;
}

/* The character at ps->p does not continue the date: say why as helpfully
 * as the character allows. */
static gboolean
fail_unexpected (Parser *ps)
{
  const char *p = ps->p;
  g_autofree char *rest = NULL;
  g_autofree char *before = NULL;

  if (g_ascii_isspace (*p))
    {
      if (*p == ' ' && ps->precision == CM_PRECISION_DAY && g_ascii_isdigit (p[1]))
        return fail (ps, CM_TIME_ERROR_SYNTAX,
                     _("write a T between date and time, as in 2025-02-18T10:00"));
      return fail (ps, CM_TIME_ERROR_SYNTAX, _("it contains a space"));
    }
  if (ps->precision < CM_PRECISION_MINUTE)
    {
      if (*p == '/' || *p == '.')
        return fail (ps, CM_TIME_ERROR_SYNTAX, _("write dates with hyphens, as in 2025-02-18"));
      if (*p == 'T')
        return fail (ps, CM_TIME_ERROR_SYNTAX,
                     _("a time needs a full date before it, as in 2025-02-18T10:00"));
      if (*p == 'Z' || *p == '+' || *p == '-')
        return fail (ps, CM_TIME_ERROR_SYNTAX,
                     _("an offset needs a time of day, as in 2025-02-18T10:00+03:00"));
    }

  rest = quote_text (p, -1);
  before = quote_text (ps->text, p - ps->text);
  return fail (ps, CM_TIME_ERROR_SYNTAX, _("unexpected %s after %s"), rest, before);
}

static gboolean
parse_year (Parser *ps)
{
  const char *start = ps->p;
  const char *p = ps->p;
  int sign = 0;
  gint64 value;
  int n;

  if (*p == '+' || *p == '-')
    sign = *p++ == '-' ? -1 : 1;

  n = count_digits (p);
  if (n == 0)
    {
      if (*ps->text == '\0')
        return fail (ps, CM_TIME_ERROR_SYNTAX, _("it is empty"));
      if (g_ascii_isspace (*p))
        return fail (ps, CM_TIME_ERROR_SYNTAX, _("it starts with a space"));
      return fail (ps, CM_TIME_ERROR_SYNTAX, _("it does not start with a year, as in 2025"));
    }

  value = read_number (p, n);
  if (sign == 0 && n == 8 && p[n] == '\0')
    return fail (ps, CM_TIME_ERROR_SYNTAX,
                 _("write dates with hyphens, as in %.4s-%.2s-%.2s"), p, p + 4, p + 6);
  if (value > CM_TIME_MAX_YEAR)
    {
      g_autofree char *year = quote_text (start, MIN (n + (sign != 0), QUOTE_MAX));
      g_autofree char *min = g_strdup_printf ("%" G_GINT64_FORMAT, CM_TIME_MIN_YEAR);
      g_autofree char *max = g_strdup_printf ("%" G_GINT64_FORMAT, CM_TIME_MAX_YEAR);

      return fail (ps, CM_TIME_ERROR_RANGE,
                   _("year %s is outside the supported range, %s to %s"), year, min, max);
    }
  if (sign == 0 && n > 4)
    return fail (ps, CM_TIME_ERROR_SYNTAX,
                 _("a year after 9999 needs a plus sign, as in +%.*s"), n, p);
  if (sign == 0 && n < 4)
    return fail (ps, CM_TIME_ERROR_SYNTAX,
                 _("write the year with four digits, as in %04d"), (int) value);
  if (n > 11)
    return fail (ps, CM_TIME_ERROR_SYNTAX, _("a year has at most eleven digits"));

  ps->year = sign < 0 ? -value : value;
  ps->precision = CM_PRECISION_YEAR;
  ps->p = p + n;
  return TRUE;
}

/* Reads two digits after the separator at ps->p ("-02", ":05", "T10"). The
 * messages are untranslated (N_) so that a successful parse never looks
 * them up. */
static gboolean
parse_two_digits (Parser     *ps,
                  int        *value,
                  const char *missing,
                  const char *wrong_length)
{
  int n = count_digits (ps->p + 1);

  g_assert (*ps->p == '-' || *ps->p == ':' || *ps->p == 'T');

  if (n == 0)
    {
      ps->p++;
      if (*ps->p == '\0' || !g_ascii_isalnum (*ps->p))
        return fail (ps, CM_TIME_ERROR_SYNTAX, "%s", _(missing));
      return fail_unexpected (ps);
    }
  if (n != 2)
    return fail (ps, CM_TIME_ERROR_SYNTAX, "%s", _(wrong_length));

  *value = read_number (ps->p + 1, 2);
  ps->p += 3;
  return TRUE;
}

/* "Z", "+03:00", "+0300" or "+03" */
static gboolean
parse_offset (Parser *ps)
{
  const char *start = ps->p;
  int sign, hours, minutes = 0, n;

  ps->has_offset = TRUE;
  if (*ps->p == 'Z')
    {
      ps->p++;
      ps->offset = 0;
      return TRUE;
    }

  g_assert (*ps->p == '+' || *ps->p == '-');
  sign = *ps->p == '-' ? -1 : 1;
  n = count_digits (ps->p + 1);

  if (n == 2 && ps->p[3] == ':' && count_digits (ps->p + 4) == 2)
    {
      hours = read_number (ps->p + 1, 2);
      minutes = read_number (ps->p + 4, 2);
      ps->p += 6;
    }
  else if ((n == 4 || n == 2) && ps->p[1 + n] != ':')
    {
      hours = read_number (ps->p + 1, 2);
      if (n == 4)
        minutes = read_number (ps->p + 3, 2);
      ps->p += 1 + n;
    }
  else
    {
      return fail (ps, CM_TIME_ERROR_SYNTAX,
                   _("write an offset from UTC as +03:00, -05:00 or Z"));
    }

  ps->offset = sign * (hours * 3600 + minutes * 60);
  ps->offset_minutes = minutes;
  ps->offset_text = start;
  ps->offset_len = ps->p - start;
  return TRUE;
}

/* "T10:00", "T10:00:30", "T10:00:30.25", each optionally with an offset. */
static gboolean
parse_time (Parser *ps)
{
  int n = count_digits (ps->p + 1);

  if (n == 4)
    return fail (ps, CM_TIME_ERROR_SYNTAX, _("write times with a colon, as in T10:00"));
  if (!parse_two_digits (ps, &ps->hour,
                         N_("a T must be followed by a time, as in 2025-02-18T10:00"),
                         N_("the hour needs two digits, as in T09:00")))
    return FALSE;

  if (*ps->p != ':')
    {
      if (*ps->p == '\0' || *ps->p == 'Z' || *ps->p == '+' || *ps->p == '-')
        return fail (ps, CM_TIME_ERROR_SYNTAX, _("a time needs minutes too, as in T10:00"));
      return fail_unexpected (ps);
    }
  if (!parse_two_digits (ps, &ps->minute,
                         N_("a time needs minutes too, as in T10:00"),
                         N_("the minutes need two digits, as in T10:05")))
    return FALSE;
  ps->precision = CM_PRECISION_MINUTE;

  if (*ps->p == ':')
    {
      if (!parse_two_digits (ps, &ps->second,
                             N_("the seconds are missing after the colon, as in T10:00:30"),
                             N_("the seconds need two digits, as in T10:00:05")))
        return FALSE;
      ps->precision = CM_PRECISION_SECOND;
    }

  /* Fractions of a second are dropped: a value is the start of its interval. */
  if (*ps->p == '.' || *ps->p == ',')
    {
      if (ps->precision != CM_PRECISION_SECOND)
        return fail (ps, CM_TIME_ERROR_SYNTAX,
                     _("only seconds can have a fraction, as in T10:00:30.5"));
      n = count_digits (ps->p + 1);
      if (n == 0)
        return fail (ps, CM_TIME_ERROR_SYNTAX,
                     _("a decimal point must be followed by digits, as in T10:00:30.5"));
      ps->p += 1 + n;
    }

  if (*ps->p == 'Z' || *ps->p == '+' || *ps->p == '-')
    return parse_offset (ps);
  return TRUE;
}

static gboolean
parse_syntax (Parser *ps)
{
  if (!parse_year (ps))
    return FALSE;
  if (*ps->p == '\0')
    return TRUE;
  if (*ps->p != '-')
    return fail_unexpected (ps);

  if (!parse_two_digits (ps, &ps->month,
                         N_("a month must follow the hyphen, as in 2025-02"),
                         N_("the month needs two digits, as in 2025-02")))
    return FALSE;
  ps->precision = CM_PRECISION_MONTH;
  if (*ps->p == '\0')
    return TRUE;
  if (*ps->p != '-')
    return fail_unexpected (ps);

  if (!parse_two_digits (ps, &ps->day,
                         N_("a day must follow the hyphen, as in 2025-02-18"),
                         N_("the day needs two digits, as in 2025-02-08")))
    return FALSE;
  ps->precision = CM_PRECISION_DAY;
  if (*ps->p == '\0')
    return TRUE;
  if (*ps->p != 'T')
    return fail_unexpected (ps);

  if (!parse_time (ps))
    return FALSE;
  if (*ps->p != '\0')
    return fail_unexpected (ps);
  return TRUE;
}

static gboolean
check_ranges (Parser *ps)
{
  if (ps->precision >= CM_PRECISION_MONTH && (ps->month < 1 || ps->month > 12))
    return fail (ps, CM_TIME_ERROR_RANGE, _("month %02d does not exist"), ps->month);

  if (ps->precision >= CM_PRECISION_DAY)
    {
      int days = cm_time_days_in_month (ps->year, ps->month);

      if (ps->day < 1)
        return fail (ps, CM_TIME_ERROR_RANGE, _("day %02d does not exist"), ps->day);
      if (ps->day > days)
        {
          g_autofree char *month = format_month_year (ps->year, ps->month, FALSE);

          /* Translators: e.g. "February 2025 has 28 days" */
          return fail (ps, CM_TIME_ERROR_RANGE, _("%s has %d days"), month, days);
        }
    }

  if (ps->precision < CM_PRECISION_MINUTE)
    return TRUE;

  if (ps->hour == 24)
    return fail (ps, CM_TIME_ERROR_RANGE,
                 _("hour 24 does not exist; write 00:00 of the next day"));
  if (ps->hour > 23)
    return fail (ps, CM_TIME_ERROR_RANGE,
                 _("hour %02d does not exist; hours run from 00 to 23"), ps->hour);
  if (ps->minute > 59)
    return fail (ps, CM_TIME_ERROR_RANGE,
                 _("minute %02d does not exist; minutes run from 00 to 59"), ps->minute);
  if (ps->second == 60)
    return fail (ps, CM_TIME_ERROR_RANGE,
                 _("leap second 60 is not supported; seconds run from 00 to 59"));
  if (ps->second > 59)
    return fail (ps, CM_TIME_ERROR_RANGE,
                 _("second %02d does not exist; seconds run from 00 to 59"), ps->second);

  if (ps->has_offset && (ps->offset_minutes > 59 || ABS (ps->offset) > MAX_OFFSET))
    {
      g_autofree char *offset = quote_text (ps->offset_text, ps->offset_len);

      if (ps->offset_minutes > 59)
        return fail (ps, CM_TIME_ERROR_RANGE,
                     _("offset %s is not valid: its minutes run from 00 to 59"), offset);
      return fail (ps, CM_TIME_ERROR_RANGE,
                   _("offset %s is beyond the largest offset, ±18:00"), offset);
    }

  return TRUE;
}

/* ---------------------------------------------------------------------- */
/* Zones                                                                   */

static gint32
get_offset_at (GTimeZone *zone,
               gint64     utc)
{
  int interval = g_time_zone_find_interval (zone, G_TIME_TYPE_UNIVERSAL, utc);

  return g_time_zone_get_offset (zone, interval);
}

/* The zone's offset outside daylight-saving time, under today's rules
 * (2020 stands for today so that results do not change with the clock). */
static gint32
get_standard_offset (GTimeZone *zone)
{
  gint64 january = cm_time_from_civil (2020, 1, 1, 0, 0, 0);
  gint64 july = cm_time_from_civil (2020, 7, 1, 0, 0, 0);
  int interval;

  interval = g_time_zone_find_interval (zone, G_TIME_TYPE_UNIVERSAL, january);
  if (!g_time_zone_is_dst (zone, interval))
    return g_time_zone_get_offset (zone, interval);

  interval = g_time_zone_find_interval (zone, G_TIME_TYPE_UNIVERSAL, july);
  if (!g_time_zone_is_dst (zone, interval))
    return g_time_zone_get_offset (zone, interval);

  return get_offset_at (zone, january);
}

/* The instant at which clocks in @zone showed the wall-clock time @local
 * (seconds as if it were UTC), and the offset in force then. A time shown
 * twice (clocks going back) is its first occurrence; a time skipped (clocks
 * going forward) is read with the offset before the jump, so 02:30 on a night
 * that jumps from 02:00 to 03:00 is 03:30. */
static gint64
local_to_utc (GTimeZone *zone,
              gint64     local,
              gint64     year,
              gint32    *offset)
{
  gint32 before, after, high, low;
  gint64 utc;

  if (year < ZONE_MIN_YEAR || year > ZONE_MAX_YEAR)
    {
      *offset = get_standard_offset (zone);
      return local - *offset;
    }

  /* Offsets are within ±1 day, so these bracket any change near @local. */
  before = get_offset_at (zone, local - SECONDS_PER_DAY);
  after = get_offset_at (zone, local + SECONDS_PER_DAY);
  high = MAX (before, after);
  low = MIN (before, after);

  if (get_offset_at (zone, local - high) == high)
    {
      *offset = high;
      return local - high;
    }
  if (get_offset_at (zone, local - low) == low)
    {
      *offset = low;
      return local - low;
    }

  utc = local - before;
  *offset = get_offset_at (zone, utc);
  return utc;
}

gboolean
cm_time_parse (const char  *text,
               GTimeZone   *zone,
               CmTime      *out,
               GError     **error)
{
  Parser ps = { .text = text, .p = text, .error = error };
  gint64 local;
  CmTime result = { 0 };

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!g_utf8_validate (text, -1, NULL))
    return fail (&ps, CM_TIME_ERROR_SYNTAX, _("it is not valid UTF-8 text"));
  if (!parse_syntax (&ps) || !check_ranges (&ps))
    return FALSE;

  local = cm_time_from_civil (ps.year,
                              ps.precision >= CM_PRECISION_MONTH ? ps.month : 1,
                              ps.precision >= CM_PRECISION_DAY ? ps.day : 1,
                              ps.hour, ps.minute, ps.second);

  if (ps.has_offset)
    {
      result.offset = ps.offset;
      result.seconds = local - ps.offset;
      result.has_zone = TRUE;
    }
  else if (zone != NULL)
    {
      result.seconds = local_to_utc (zone, local, ps.year, &result.offset);
      result.has_zone = TRUE;
    }
  else
    {
      result.seconds = local;
    }

  result.precision = ps.precision;
  *out = result;
  return TRUE;
}

/* ---------------------------------------------------------------------- */
/* Intervals, formatting, comparison                                       */

gint64
cm_time_get_end (const CmTime *time)
{
  gint64 local, year, next;
  int month, day;

  g_return_val_if_fail (time != NULL, 0);

  if (time->precision == CM_PRECISION_SECOND)
    return time->seconds + 1;
  if (time->precision == CM_PRECISION_MINUTE)
    return time->seconds + 60;

  local = time->seconds + time->offset;
  cm_time_to_civil (local, &year, &month, &day, NULL, NULL, NULL);

  switch (time->precision)
    {
    case CM_PRECISION_YEAR:
      next = cm_time_from_civil (year + 1, 1, 1, 0, 0, 0);
      break;
    case CM_PRECISION_MONTH:
      next = month == 12 ? cm_time_from_civil (year + 1, 1, 1, 0, 0, 0)
                         : cm_time_from_civil (year, month + 1, 1, 0, 0, 0);
      break;
    case CM_PRECISION_DAY:
      next = cm_time_from_civil (year, month, day + 1, 0, 0, 0);
      break;
    default:
      g_return_val_if_reached (time->seconds + 1);
    }

  return next - time->offset;
}

/* "UTC", "+03:00", "-05:00"; local mean time offsets keep their seconds. */
static char *
format_offset (gint32 offset)
{
  int magnitude = ABS (offset);
  char sign = offset < 0 ? '-' : '+';

  if (offset == 0)
    return g_strdup (_("UTC"));
  if (magnitude % 60 != 0)
    return g_strdup_printf ("%c%02d:%02d:%02d", sign, magnitude / 3600, magnitude / 60 % 60,
                            magnitude % 60);
  return g_strdup_printf ("%c%02d:%02d", sign, magnitude / 3600, magnitude / 60 % 60);
}

static char *
format_clock (CmPrecision precision,
              int         hour,
              int         minute,
              int         second)
{
  if (precision == CM_PRECISION_SECOND)
    return g_strdup_printf ("%02d:%02d:%02d", hour, minute, second);
  return g_strdup_printf ("%02d:%02d", hour, minute);
}

/* Both forms: @is_short abbreviates month names and leaves out the offset. */
static char *
format_time (const CmTime *time,
             gboolean      is_short)
{
  g_autofree char *year_text = NULL;
  g_autofree char *date = NULL;
  g_autofree char *clock = NULL;
  g_autofree char *offset = NULL;
  const char *month_name;
  gint64 year;
  int month, day, hour, minute, second;

  cm_time_to_civil (time->seconds + time->offset, &year, &month, &day, &hour, &minute, &second);
  year_text = cm_time_format_year (year, is_short);
  month_name = get_month_name (month, is_short ? MONTH_SHORT_IN_DATE : MONTH_FULL_IN_DATE);

  switch (time->precision)
    {
    case CM_PRECISION_YEAR:
      return g_steal_pointer (&year_text);
    case CM_PRECISION_MONTH:
      return format_month_year (year, month, is_short);
    default:
      break;
    }

  /* Translators: day, month name and year, e.g. "18 February 2025" or "18 Feb 2025" */
  date = g_strdup_printf (C_("date", "%1$d %2$s %3$s"), day, month_name, year_text);
  if (time->precision == CM_PRECISION_DAY)
    return g_steal_pointer (&date);

  clock = format_clock (time->precision, hour, minute, second);
  if (is_short)
    /* Translators: date and time of day, e.g. "18 Feb 2025 10:00" */
    return g_strdup_printf (C_("short date and time", "%1$s %2$s"), date, clock);

  offset = format_offset (time->offset);
  /* Translators: date, time of day and UTC offset, e.g. "18 February 2025, 10:00 +03:00" */
  return g_strdup_printf (C_("date and time", "%1$s, %2$s %3$s"), date, clock, offset);
}

char *
cm_time_format (const CmTime *time)
{
  g_return_val_if_fail (time != NULL, NULL);
  g_return_val_if_fail (time->precision <= CM_PRECISION_SECOND, NULL);

  return format_time (time, FALSE);
}

char *
cm_time_format_short (const CmTime *time)
{
  g_return_val_if_fail (time != NULL, NULL);
  g_return_val_if_fail (time->precision <= CM_PRECISION_SECOND, NULL);

  return format_time (time, TRUE);
}

int
cm_time_compare (const CmTime *a,
                 const CmTime *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, 0);

  if (a->seconds != b->seconds)
    return a->seconds < b->seconds ? -1 : 1;
  if (a->precision != b->precision)
    return a->precision < b->precision ? -1 : 1;
  return 0;
}
