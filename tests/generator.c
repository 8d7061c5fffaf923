/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-generator"

#include "config.h"

#include <math.h>

#include "cm-time.h"
#include "generator.h"

/* xorshift64*: fixed, portable, and independent of GLib's g_random, whose
 * sequence is not promised to stay the same across versions. */
typedef struct
{
  guint64 state;
} Rng;

static guint64
rng_next (Rng *rng)
{
  rng->state ^= rng->state >> 12;
  rng->state ^= rng->state << 25;
  rng->state ^= rng->state >> 27;
  return rng->state * G_GUINT64_CONSTANT (2685821657736338717);
}

/* Uniform in [0, n). */
static guint
rng_below (Rng   *rng,
           guint  n)
{
  return (guint) ((rng_next (rng) >> 32) % n);
}

static double
rng_unit (Rng *rng)
{
  return (rng_next (rng) >> 11) * (1.0 / 9007199254740992.0);
}

#define PICK(rng, array) ((array)[rng_below ((rng), G_N_ELEMENTS (array))])

static const char *const words[] = {
  "talks", "summit", "delegation", "ceasefire", "agreement", "minister", "council",
  "embassy", "envoy", "sanctions", "treaty", "negotiations", "statement", "visit",
  "parliament", "election", "referendum", "protest", "meeting", "conference", "border",
  "security", "trade", "energy", "pipeline", "aid", "reconstruction", "prisoners",
  "exchange", "observers", "mission", "declaration", "resolution", "vote", "commission",
  "inquiry", "report", "briefing", "interview", "offensive", "withdrawal", "convoy",
  "harbour", "grain", "corridor", "deal", "framework", "roadmap", "guarantees",
  "reforms", "budget", "loan", "tariffs", "court", "ruling", "appeal", "strike",
};

static const char *const first_names[] = {
  "Anna", "Boris", "Chen", "Dmytro", "Elena", "Farid", "Grace", "Hiroshi", "Ingrid",
  "Jamal", "Katarzyna", "Luis", "Maryam", "Nikolai", "Olga", "Pedro", "Quentin",
  "Rania", "Sergei", "Tomasz", "Ursula", "Viktor", "Wei", "Yusuf", "Zofia",
};

static const char *const last_names[] = {
  "Abramova", "Bennett", "Castillo", "Dubois", "Erdogan", "Fischer", "García", "Haddad",
  "Ivanenko", "Jensen", "Kowalski", "Lindqvist", "Moreau", "Nakamura", "Okafor",
  "Petrov", "Quist", "Rahman", "Schneider", "Tanaka", "Usmanov", "Varga", "Williams",
};

static const char *const kinds[] = {
  "person", "person", "person", "government", "organisation", "group", "other",
};

static const char *const countries[] = {
  "Saudi Arabia", "Ukraine", "Russia", "United States", "Turkey", "Germany", "France",
  "Poland", "Japan", "Brazil", "Kenya", "India", "Australia", "Canada", "Norway",
};

/* Zones by band of longitude, west to east, so places look plausible. */
static const struct
{
  double      lon;
  const char *zone;
} zones[] = {
  { -150, "Pacific/Honolulu" }, { -120, "America/Los_Angeles" }, { -100, "America/Chicago" },
  { -75, "America/New_York" }, { -50, "America/Sao_Paulo" }, { -20, "Atlantic/Azores" },
  { 5, "Europe/London" }, { 20, "Europe/Berlin" }, { 35, "Europe/Kyiv" },
  { 50, "Asia/Riyadh" }, { 70, "Asia/Karachi" }, { 90, "Asia/Kolkata" },
  { 110, "Asia/Bangkok" }, { 125, "Asia/Shanghai" }, { 140, "Asia/Tokyo" },
  { 160, "Australia/Sydney" }, { 181, "Pacific/Auckland" },
};

static void
append_words (GString *out,
              Rng     *rng,
              guint    target_length,
              gboolean capitalise)
{
  gsize start = out->len;

  while (out->len - start < target_length)
    {
      const char *word = PICK (rng, words);

      if (out->len > start)
        g_string_append_c (out, ' ');
      if (capitalise && out->len == start)
        {
          g_string_append_c (out, g_ascii_toupper (word[0]));
          g_string_append (out, word + 1);
        }
      else
        g_string_append (out, word);
    }
}

/* A sentence-like text of about @length bytes; now and then with an
 * escaped quote, to keep the escape path of readers busy. */
static void
append_text (GString *out,
             Rng     *rng,
             guint    length)
{
  g_string_append_c (out, '"');
  append_words (out, rng, length, TRUE);
  if (rng_below (rng, 20) == 0)
    g_string_append (out, ", so-called \\\"final\\\" terms");
  g_string_append (out, ".\"");
}

static void
append_date (GString  *out,
             gint64    seconds,
             int       precision,
             gboolean  with_offset)
{
  gint64 year;
  int month, day, hour, minute, second;

  cm_time_to_civil (seconds, &year, &month, &day, &hour, &minute, &second);
  switch (precision)
    {
    case CM_PRECISION_YEAR:
      g_string_append_printf (out, "\"%04" G_GINT64_FORMAT "\"", year);
      break;
    case CM_PRECISION_MONTH:
      g_string_append_printf (out, "\"%04" G_GINT64_FORMAT "-%02d\"", year, month);
      break;
    case CM_PRECISION_DAY:
      g_string_append_printf (out, "\"%04" G_GINT64_FORMAT "-%02d-%02d\"", year, month, day);
      break;
    case CM_PRECISION_MINUTE:
      g_string_append_printf (out, "\"%04" G_GINT64_FORMAT "-%02d-%02dT%02d:%02d%s\"",
                              year, month, day, hour, minute, with_offset ? "Z" : "");
      break;
    default:
      g_string_append_printf (out, "\"%04" G_GINT64_FORMAT "-%02d-%02dT%02d:%02d:%02d%s\"",
                              year, month, day, hour, minute, second,
                              with_offset ? "+03:00" : "");
      break;
    }
}

/* @n distinct values below @limit (n <= limit). */
static guint
pick_distinct (Rng   *rng,
               guint  n,
               guint  limit,
               guint *out)
{
  n = MIN (n, limit);
  for (guint i = 0; i < n; i++)
    {
      gboolean again;

      do
        {
          out[i] = rng_below (rng, limit);
          again = FALSE;
          for (guint j = 0; j < i; j++)
            again |= out[j] == out[i];
        }
      while (again);
    }

  return n;
}

static void
append_groups (GString *out,
               Rng     *rng,
               guint    n_groups)
{
  g_string_append (out, "  \"groups\": [\n");
  for (guint i = 0; i < n_groups; i++)
    g_string_append_printf (out, "    {\"id\": \"g%u\", \"name\": \"%s %u\", \"color\": \"#%06x\"}%s\n",
                            i, PICK (rng, countries), i, rng_below (rng, 0x1000000),
                            i + 1 < n_groups ? "," : "");
  g_string_append (out, "  ],\n");
}

static void
append_actors (GString *out,
               Rng     *rng,
               guint    n_actors,
               guint    n_groups)
{
  g_string_append (out, "  \"actors\": [\n");
  for (guint i = 0; i < n_actors; i++)
    {
      g_string_append_printf (out, "    {\"id\": \"a%u\", \"name\": \"%s %s\", \"kind\": \"%s\", "
                              "\"role\": ", i, PICK (rng, first_names), PICK (rng, last_names),
                              PICK (rng, kinds));
      append_text (out, rng, 30);
      if (rng_below (rng, 5) != 0)
        g_string_append_printf (out, ", \"group\": \"g%u\"", rng_below (rng, n_groups));
      g_string_append (out, ", \"description\": ");
      append_text (out, rng, 80);
      if (rng_below (rng, 3) == 0)
        g_string_append_printf (out, ", \"links\": [{\"title\": \"Profile\", "
                                "\"url\": \"https://example.org/people/a%u\"}]", i);
      g_string_append_printf (out, "}%s\n", i + 1 < n_actors ? "," : "");
    }
  g_string_append (out, "  ],\n");
}

static void
append_places (GString *out,
               Rng     *rng,
               guint    n_places)
{
  g_string_append (out, "  \"places\": [\n");
  for (guint i = 0; i < n_places; i++)
    {
      /* Uniform on the sphere between 56°S and 70°N, where people live. */
      double lat = asin (sin (-56 * G_PI / 180) +
                         rng_unit (rng) * (sin (70 * G_PI / 180) - sin (-56 * G_PI / 180)));
      double lon = rng_unit (rng) * 360 - 180;
      guint zone = 0;

      while (zones[zone].lon < lon)
        zone++;

      g_string_append_printf (out, "    {\"id\": \"p%u\", \"name\": \"%s %u\", \"country\": \"%s\", "
                              "\"lat\": %.4f, \"lon\": %.4f",
                              i, PICK (rng, last_names), i, PICK (rng, countries),
                              lat * 180 / G_PI, lon);
      if (rng_below (rng, 10) != 0)
        g_string_append_printf (out, ", \"timezone\": \"%s\"", zones[zone].zone);
      g_string_append_printf (out, "}%s\n", i + 1 < n_places ? "," : "");
    }
  g_string_append (out, "  ],\n");
}

static void
append_event (GString *out,
              Rng     *rng,
              guint    index,
              guint    n_actors,
              guint    n_places,
              gboolean lean)
{
  static const gint64 first = 788918400;   /* 1995-01-01 */
  static const gint64 span = 946080000;    /* 30 years */
  guint places[2], actors[3], tags[3];
  guint n_event_places = pick_distinct (rng, 1 + rng_below (rng, 2), n_places, places);
  guint n_event_actors = pick_distinct (rng, 1 + rng_below (rng, 3), n_actors, actors);
  guint n_tags = pick_distinct (rng, rng_below (rng, 4), 200, tags);
  guint roll = rng_below (rng, 100);
  int precision = roll < 5 ? CM_PRECISION_YEAR : roll < 15 ? CM_PRECISION_MONTH :
                  roll < 75 ? CM_PRECISION_DAY : roll < 95 ? CM_PRECISION_MINUTE :
                  CM_PRECISION_SECOND;
  gint64 start = first + (gint64) (rng_unit (rng) * span);

  g_string_append_printf (out, "    {\"id\": \"e%u\", \"title\": ", index);
  append_text (out, rng, 38);
  g_string_append (out, ", \"start\": ");
  append_date (out, start, precision, rng_below (rng, 3) == 0);

  /* Ends are at day precision or coarser and at least two days later,
   * so they never fall before the start whatever the zones (±14 h). */
  if (rng_below (rng, 100) < 15)
    {
      int end_precision = MIN (precision, CM_PRECISION_DAY);
      gint64 end = start + (2 + rng_below (rng, 59)) * 86400 *
                   (end_precision == CM_PRECISION_YEAR ? 366 :
                    end_precision == CM_PRECISION_MONTH ? 31 : 1);

      g_string_append (out, ", \"end\": ");
      append_date (out, end, end_precision, FALSE);
    }

  g_string_append (out, ", \"places\": [");
  for (guint i = 0; i < n_event_places; i++)
    g_string_append_printf (out, "%s\"p%u\"", i ? ", " : "", places[i]);
  g_string_append (out, "], \"actors\": [");
  for (guint i = 0; i < n_event_actors; i++)
    g_string_append_printf (out, "%s\"a%u\"", i ? ", " : "", actors[i]);
  g_string_append (out, "], \"tags\": [");
  for (guint i = 0; i < n_tags; i++)
    g_string_append_printf (out, "%s\"%s-%u\"", i ? ", " : "", words[tags[i] % G_N_ELEMENTS (words)],
                            tags[i]);
  g_string_append (out, "]");
  if (lean)
    {
      /* An event as converted from a large event database: the rest of
       * the row is left out. */
      g_string_append (out, "}");
      return;
    }
  g_string_append (out, ", \"summary\": ");
  append_text (out, rng, 118);

  if (rng_below (rng, 5) == 0)
    {
      g_string_append_printf (out, ", \"quotes\": [{\"actor\": \"a%u\", \"text\": ", actors[0]);
      append_text (out, rng, 60);
      g_string_append (out, "}]");
    }
  if (rng_below (rng, 10) < 6)
    g_string_append_printf (out, ", \"sources\": [{\"title\": \"Report %u\", "
                            "\"url\": \"https://news.example.com/%u/report-%u\"}]",
                            index % 977, 1995 + index % 30, index);
  g_string_append (out, "}");
}

/* Writes the document into @out; with @stream, @out is written out and
 * emptied every megabyte, so that any size takes little memory. */
static gboolean
generate (GString      *out,
          GOutputStream *stream,
          guint         n_events,
          guint         n_actors,
          guint         n_places,
          guint         n_groups,
          guint32       seed,
          gboolean      lean,
          gsize        *length,
          GError      **error)
{
  Rng rng = { G_GUINT64_CONSTANT (0x9e3779b97f4a7c15) ^ seed };
  gsize written = 0;

  /* The state must never be zero; warm up past the seed's low entropy. */
  if (rng.state == 0)
    rng.state = 1;
  for (int i = 0; i < 8; i++)
    rng_next (&rng);

  g_string_append_printf (out, "{\n  \"chronomap\": 1,\n"
                          "  \"title\": \"Generated dataset (%u events, seed %u)\",\n"
                          "  \"description\": \"A deterministic workload for benchmarks.\",\n",
                          n_events, seed);
  append_groups (out, &rng, n_groups);
  append_actors (out, &rng, n_actors, n_groups);
  append_places (out, &rng, n_places);
  g_string_append (out, "  \"periods\": [\n"
                   "    {\"id\": \"first-decade\", \"title\": \"First decade\", "
                   "\"start\": \"1995\", \"end\": \"2004\"},\n"
                   "    {\"title\": \"Recent years\", \"start\": \"2020-03\"}\n"
                   "  ],\n");

  g_string_append (out, "  \"events\": [\n");
  for (guint i = 0; i <= n_events; i++)
    {
      if (i == n_events)
        g_string_append (out, "  ]\n}\n");
      else
        {
          append_event (out, &rng, i, n_actors, n_places, lean);
          g_string_append (out, i + 1 < n_events ? ",\n" : "\n");
        }
      if (stream != NULL && (out->len >= 1 << 20 || i == n_events))
        {
          if (!g_output_stream_write_all (stream, out->str, out->len, NULL, NULL, error))
            return FALSE;
          written += out->len;
          g_string_truncate (out, 0);
        }
    }

  if (length)
    *length = stream != NULL ? written : out->len;

  return TRUE;
}

char *
cm_generator_json (guint    n_events,
                   guint    n_actors,
                   guint    n_places,
                   guint    n_groups,
                   guint32  seed,
                   gsize   *length)
{
  GString *out;

  g_return_val_if_fail (n_actors > 0 && n_places > 0 && n_groups > 0, NULL);

  out = g_string_sized_new (512 + (gsize) n_events * 560 + (gsize) n_actors * 260 +
                            (gsize) n_places * 140);
  generate (out, NULL, n_events, n_actors, n_places, n_groups, seed, FALSE, length, NULL);

  return g_string_free (out, FALSE);
}

gboolean
cm_generator_write_file (const char *path,
                         guint       n_events,
                         guint       n_actors,
                         guint       n_places,
                         guint       n_groups,
                         guint32     seed,
                         gboolean    lean,
                         gsize      *length,
                         GError    **error)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileOutputStream) stream = NULL;
  g_autoptr(GString) out = NULL;

  g_return_val_if_fail (n_actors > 0 && n_places > 0 && n_groups > 0, FALSE);

  file = g_file_new_for_path (path);
  stream = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, error);
  if (stream == NULL)
    return FALSE;
  out = g_string_sized_new (2 << 20);
  if (!generate (out, G_OUTPUT_STREAM (stream), n_events, n_actors, n_places, n_groups, seed,
                 lean, length, error))
    return FALSE;

  return g_output_stream_close (G_OUTPUT_STREAM (stream), NULL, error);
}
