/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-test-import"

#include "config.h"

#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "cm-cli.h"
#include "cm-csv.h"
#include "cm-html.h"
#include "cm-json-writer.h"
#include "cm-loader.h"

static CmDataset *
load_path (const char  *path,
           GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);

  return cm_loader_load_file (file, NULL, error);
}

static CmDataset *
load_fixture (const char  *name,
              GError     **error)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", "import", name, NULL);

  return load_path (path, error);
}

static CmDataset *
load_ok (const char *name)
{
  g_autoptr(GError) error = NULL;
  CmDataset *dataset = load_fixture (name, &error);

  g_assert_no_error (error);
  g_assert_nonnull (dataset);
  return dataset;
}

static CmDataset *
load_text (const char  *text,
           const char  *name,
           GError     **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));

  return cm_loader_load_bytes (bytes, name, NULL, error);
}

static void
assert_problems (const char *fixture,
                 const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CmDataset) dataset = load_fixture (fixture, &error);

  g_assert_null (dataset);
  g_assert_error (error, CM_LOADER_ERROR, CM_LOADER_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, expected);
}

static const CmEvent *
find_event (CmDataset  *dataset,
            const char *id)
{
  guint32 index = cm_dataset_find_event (dataset, id);

  g_assert_cmpuint (index, !=, CM_NONE);
  return cm_dataset_get_event (dataset, index);
}

static void
assert_time (const CmTime *time,
             const char   *iso,
             CmPrecision   precision)
{
  g_autofree char *text = cm_json_writer_format_time (time);

  g_assert_cmpstr (text, ==, iso);
  g_assert_cmpint (time->precision, ==, precision);
}

/* The name of the group an event is drawn in, or NULL. */
static const char *
event_group (CmDataset     *dataset,
             const CmEvent *event)
{
  guint32 group = cm_dataset_get_event_group (dataset, event);

  return group == CM_NONE ? NULL : cm_dataset_get_group (dataset, group)->name;
}

static const char *
event_property (CmDataset     *dataset,
                const CmEvent *event,
                const char    *key)
{
  guint n;
  const CmProperty *properties = cm_dataset_get_event_properties (dataset, event, &n);

  for (guint i = 0; i < n; i++)
    if (strcmp (properties[i].key, key) == 0)
      return properties[i].value;
  return NULL;
}


/* HTML and CSV */

static void
test_html (void)
{
  g_autoptr(GArray) links = cm_html_links_new ();
  g_autofree char *text = NULL;
  g_autofree char *line = NULL;

  text = cm_html_to_text ("<p>One &amp; <b>two</b>&nbsp;&lt;three&gt;</p>\n  <p>Second   "
                          "<a href=\"https://example.org/?a=1&amp;b=2\">link</a>&#x2019;s"
                          "<br/>after a break</p><script>alert('x')</script><style>p{}</style>"
                          "<!-- a comment -->&#8212;&bogus; 5 < 6 <a href='javascript:x'>js</a> "
                          "<a href=//example.com/p>protocol-relative</a>",
                          links);
  g_assert_cmpstr (text, ==,
                   "One & two <three>\nSecond link’s\nafter a break\n"
                   "—&bogus; 5 < 6 js protocol-relative");
  g_assert_cmpuint (links->len, ==, 2);
  g_assert_cmpstr (g_array_index (links, CmHtmlLink, 0).title, ==, "link");
  g_assert_cmpstr (g_array_index (links, CmHtmlLink, 0).url, ==, "https://example.org/?a=1&b=2");
  g_assert_cmpstr (g_array_index (links, CmHtmlLink, 1).url, ==, "https://example.com/p");

  line = cm_html_to_line ("Whitney Houston<br/> 1963 - 2012", NULL);
  g_assert_cmpstr (line, ==, "Whitney Houston 1963 - 2012");

  /* Nothing that looks like markup survives as markup, nor invalid text. */
  g_clear_pointer (&text, g_free);
  text = cm_html_to_text ("<b onclick=\"x\">bold</b> &#0; &#xD800; \x01", NULL);
  g_assert_cmpstr (text, ==, "bold \xef\xbf\xbd \xef\xbf\xbd");
}

typedef struct
{
  GPtrArray *records;   /* "a|b|c" per record */
} CsvResult;

static gboolean
csv_record_cb (gpointer          user_data,
               guint             record,
               const CmCsvField *fields,
               guint             n_fields)
{
  CsvResult *result = user_data;
  GString *joined = g_string_new (NULL);

  g_assert_cmpuint (record, ==, result->records->len);
  for (guint i = 0; i < n_fields; i++)
    g_string_append_printf (joined, "%s%s@%" G_GSIZE_FORMAT, i ? "|" : "", fields[i].text,
                            fields[i].offset);
  g_ptr_array_add (result->records, g_string_free (joined, FALSE));
  return TRUE;
}

static void
test_csv_reader (void)
{
  static const char data[] = "\xef\xbb\xbf" "a,\"b,c\",\"d\"\"e\"\r\n\"multi\nline\",,x\ry\n\nlast,";
  CsvResult result = { g_ptr_array_new_with_free_func (g_free) };
  g_autoptr(GError) error = NULL;
  gsize offset = 0;

  g_assert_true (cm_csv_read (data, strlen (data), csv_record_cb, &result, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.records->len, ==, 5);
  g_assert_cmpstr (result.records->pdata[0], ==, "a@3|b,c@5|d\"e@11");
  g_assert_cmpstr (result.records->pdata[1], ==, "multi\nline@19|@32|x@33");
  g_assert_cmpstr (result.records->pdata[2], ==, "y@35");
  g_assert_cmpstr (result.records->pdata[3], ==, "@37");
  g_assert_cmpstr (result.records->pdata[4], ==, "last@38|@43");

  g_ptr_array_set_size (result.records, 0);
  g_assert_false (cm_csv_read ("a,\"b\"c\n", 7, csv_record_cb, &result, &offset, &error));
  g_assert_error (error, CM_CSV_ERROR, CM_CSV_ERROR_SYNTAX);
  g_assert_cmpuint (offset, ==, 5);

  g_clear_error (&error);
  g_ptr_array_set_size (result.records, 0);
  g_assert_false (cm_csv_read ("a,b\nc,\xff\n", 8, csv_record_cb, &result, &offset, &error));
  g_assert_error (error, CM_CSV_ERROR, CM_CSV_ERROR_UTF8);
  g_assert_cmpuint (offset, ==, 6);

  g_ptr_array_unref (result.records);
}


/* TimelineJS */

static void
test_timelinejs3 (void)
{
  g_autoptr(CmDataset) dataset = load_ok ("timelinejs3.json");
  const CmEvent *event;
  g_autofree char *summary = NULL;
  g_autofree CmLink *sources = NULL;
  g_autofree CmQuote *quotes = NULL;
  const CmPeriod *period;
  guint n;

  g_assert_cmpstr (cm_dataset_get_format (dataset), ==, "TimelineJS");
  g_assert_cmpstr (cm_dataset_get_title (dataset), ==, "The Space Race 1957–1975");
  g_assert_cmpstr (cm_dataset_get_description (dataset), ==,
                   "From Sputnik to Apollo–Soyuz.\nA test of <everything>.");
  g_assert_cmpuint (cm_dataset_get_n_events (dataset), ==, 7);
  g_assert_cmpuint (cm_dataset_get_n_groups (dataset), ==, 2);
  g_assert_cmpuint (cm_dataset_get_n_places (dataset), ==, 0);

  /* unique_id kept; a repeated one replaced by one made from the title. */
  event = find_event (dataset, "sputnik");
  g_assert_cmpstr (event->title, ==, "Sputnik 1");
  assert_time (&event->start, "1957-10-04", CM_PRECISION_DAY);
  g_assert_false (event->has_end);
  g_assert_cmpstr (event_group (dataset, event), ==, "USSR");
  summary = cm_dataset_dup_event_summary (dataset, event);
  g_assert_cmpstr (summary, ==, "The first artificial satellite, launched by the USSR.\n"
                                "It beeped & the world listened…");
  sources = cm_dataset_dup_event_sources (dataset, event, &n);
  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpstr (sources[0].title, ==, "A replica of Sputnik 1");
  g_assert_cmpstr (sources[0].url, ==, "https://upload.wikimedia.org/sputnik.jpg");
  g_assert_cmpstr (sources[1].title, ==, "NASA");
  g_assert_cmpstr (sources[1].url, ==, "https://nssdc.gsfc.nasa.gov/");
  g_assert_cmpstr (sources[2].title, ==, "USSR");

  event = find_event (dataset, "vostok-1-gagarin-orbits-the-earth");
  assert_time (&event->start, "1961-04-12T06:07", CM_PRECISION_MINUTE);
  g_assert_true (event->has_end);
  assert_time (&event->end, "1961-04-12T07:55", CM_PRECISION_MINUTE);

  event = find_event (dataset, "nasa");
  assert_time (&event->start, "1958", CM_PRECISION_YEAR);
  g_assert_cmpstr (event_property (dataset, event, "Display date"), ==, "Summer 1958");
  g_assert_cmpstr (event_group (dataset, event), ==, "USA");

  event = find_event (dataset, "apollo-11-lands");
  assert_time (&event->start, "1969-07-20T20:17:40", CM_PRECISION_SECOND);
  g_assert_cmpstr (event_property (dataset, event, "Display date"), ==,
                   "20 July 1969, 20:17:40 UTC");

  /* No headline: a title from the text; "day": "" is a month; an empty
   * end_date is none. */
  event = find_event (dataset, "leonov-s-spacewalk-the-first");
  g_assert_cmpstr (event->title, ==, "Leonov’s spacewalk — the first.");
  assert_time (&event->start, "1965-03", CM_PRECISION_MONTH);
  g_assert_false (event->has_end);
  g_assert_cmpstr (event_property (dataset, event, "Display date"), ==, "March 1965");

  /* BCE and deep time; a blockquote is a quote. */
  event = find_event (dataset, "pythagoreans-imagine-a-moving-earth");
  /* TimelineJS shows "-500" as "500 BCE": astronomical year -499. */
  assert_time (&event->start, "-0499", CM_PRECISION_YEAR);
  {
    g_autofree char *shown = cm_time_format (&event->start);

    g_assert_cmpstr (shown, ==, "500 BCE");
  }
  quotes = cm_dataset_dup_event_quotes (dataset, event, &n);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpstr (quotes[0].text, ==, "The Earth is a star among stars.\nafter Philolaus");
  event = find_event (dataset, "deep-time");
  assert_time (&event->start, "-12999", CM_PRECISION_YEAR);
  g_assert_null (event_group (dataset, event));

  g_assert_cmpuint (cm_dataset_get_n_periods (dataset), ==, 2);
  period = cm_dataset_get_period (dataset, 0);
  g_assert_cmpstr (period->title, ==, "The race to the Moon");
  assert_time (&period->start, "1957", CM_PRECISION_YEAR);
  g_assert_true (period->has_end);
  assert_time (&period->end, "1969-07", CM_PRECISION_MONTH);
  period = cm_dataset_get_period (dataset, 1);
  g_assert_cmpstr (period->title, ==, "After Apollo 11");
  g_assert_cmpstr (period->description, ==, "Détente in orbit");
}

static void
test_timelinejs3_errors (void)
{
  assert_problems ("timelinejs3-errors.json",
    "timelinejs3-errors.json:4:20: events[0].start_date: missing required key \"year\"\n"
    "timelinejs3-errors.json:5:46: events[1].start_date.month: month 13 does not exist; "
    "months run from 1 to 12\n"
    "timelinejs3-errors.json:6:46: events[2].start_date.month: \"Aug\" is not a number\n"
    "timelinejs3-errors.json:7:20: events[3].start_date: February 2001 has 28 days\n"
    "timelinejs3-errors.json:8:44: events[4].start_date.day: the month is missing: a day or a "
    "time needs it\n"
    "timelinejs3-errors.json:9:50: events[5].end_date: end “1999” is before start “2001”\n"
    "timelinejs3-errors.json:10:29: events[6].start_date.year: year -100000000000 is outside "
    "the years Chronomap supports, -20000000000 to 20000000000\n"
    "timelinejs3-errors.json:11:5: events[7]: missing required key \"start_date\"\n"
    "timelinejs3-errors.json:12:29: events[8].start_date.year: 1990.5 is not a whole number");
}

static char *
sample_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "..", "..", "shared", "samples", "timelinejs",
                                name, NULL);
}

static void
test_timelinejs_samples (void)
{
  g_autofree char *houston_path = sample_path ("houston.json");
  g_autofree char *women_path = sample_path ("women_in_computing.json");
  g_autoptr(CmDataset) houston = NULL;
  g_autoptr(CmDataset) women = NULL;
  g_autoptr(GError) error = NULL;
  const CmEvent *event;

  if (!g_file_test (houston_path, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("the shared TimelineJS samples are not beside this checkout");
      return;
    }

  houston = load_path (houston_path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cm_dataset_get_n_events (houston), ==, 18);
  g_assert_cmpstr (cm_dataset_get_title (houston), ==, "Whitney Houston 1963 - 2012");
  event = cm_dataset_get_event (houston, 0);
  g_assert_cmpstr (event->title, ==, "A Musical Heritage");
  assert_time (&event->start, "1963-08-09", CM_PRECISION_DAY);
  event = cm_dataset_get_event (houston, 1);
  assert_time (&event->start, "1978", CM_PRECISION_YEAR);

  women = load_path (women_path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cm_dataset_get_n_events (women), ==, 10);
  g_assert_cmpstr (cm_dataset_get_title (women), ==, "Women in Computing");

  /* No HTML anywhere. */
  for (guint i = 0; i < cm_dataset_get_n_events (houston); i++)
    {
      g_autofree char *summary = NULL;

      event = cm_dataset_get_event (houston, i);
      summary = cm_dataset_dup_event_summary (houston, event);
      g_assert_null (strstr (event->title, "<"));
      g_assert_true (summary == NULL || strstr (summary, "</") == NULL);
      g_assert_true (summary == NULL || strstr (summary, "&amp;") == NULL);
    }
}

static void
test_timelinejs2 (void)
{
  g_autoptr(CmDataset) dataset = load_ok ("timelinejs2.json");
  const CmEvent *event;

  g_assert_cmpstr (cm_dataset_get_format (dataset), ==, "TimelineJS 2");
  g_assert_cmpstr (cm_dataset_get_title (dataset), ==, "Sh*t People Say");
  g_assert_cmpuint (cm_dataset_get_n_events (dataset), ==, 4);
  g_assert_cmpuint (cm_dataset_get_n_periods (dataset), ==, 1);

  event = cm_dataset_get_event (dataset, 0);
  assert_time (&event->start, "2011-12-10", CM_PRECISION_DAY);
  assert_time (&event->end, "2011-12-11", CM_PRECISION_DAY);
  g_assert_cmpstr (event_group (dataset, event), ==, "This is Optional");
  event = cm_dataset_get_event (dataset, 1);
  g_assert_false (event->has_end);
  event = cm_dataset_get_event (dataset, 2);
  assert_time (&event->start, "2012-01-26T15:30", CM_PRECISION_MINUTE);
  event = cm_dataset_get_event (dataset, 3);
  assert_time (&event->start, "1066", CM_PRECISION_YEAR);

  assert_problems ("timelinejs2-errors.json",
    "timelinejs2-errors.json:2:17: timeline.date[0].startDate: \"December 10, 2011\" is not a "
    "date: TimelineJS 2 writes dates as year,month,day, as in \"2011,12,10\"\n"
    "timelinejs2-errors.json:3:17: timeline.date[1].startDate: \"2011,13,10\" is not a date: "
    "month 13 does not exist\n"
    "timelinejs2-errors.json:4:3: timeline.date[2]: missing required key \"startDate\"");
}

/* TimelineJS's "cosmological" scale: years in billions, as numbers and as
 * numeric strings, in JSON and in the sheet. TimelineJS shows -13800000000
 * as "13,800,000,000 BCE": astronomical -13799999999. */
static void
assert_cosmological_time (CmDataset  *dataset,
                          const char *id,
                          const char *iso,
                          const char *shown)
{
  const CmEvent *event = find_event (dataset, id);
  g_autofree char *text = cm_time_format (&event->start);

  assert_time (&event->start, iso, CM_PRECISION_YEAR);
  g_assert_cmpstr (text, ==, shown);
}

static void
test_timelinejs_cosmological (void)
{
  g_autoptr(CmDataset) dataset = load_ok ("timelinejs3-cosmological.json");
  g_autoptr(CmDataset) sheet = load_ok ("timelinejs-sheet-cosmological.csv");
  const CmEvent *event;
  const CmPeriod *period;
  gint64 min, max;

  g_assert_cmpstr (cm_dataset_get_title (dataset), ==, "The History of Everything");
  g_assert_cmpuint (cm_dataset_get_n_events (dataset), ==, 9);
  assert_cosmological_time (dataset, "the-big-bang", "-13799999999", "13.8 billion years ago");
  assert_cosmological_time (dataset, "the-first-stars", "-13599999999", "13.6 billion years ago");
  assert_cosmological_time (dataset, "the-earth-forms", "-4539999999", "4.54 billion years ago");
  assert_cosmological_time (dataset, "the-dinosaurs-die-out", "-65999999",
                            "66 million years ago");
  assert_cosmological_time (dataset, "homo-sapiens", "-299999", "300000 BCE");
  event = find_event (dataset, "the-cambrian-explosion");
  assert_time (&event->end, "-529999999", CM_PRECISION_YEAR);
  event = find_event (dataset, "humans-walk-on-the-moon");
  assert_time (&event->start, "1969-07-20", CM_PRECISION_DAY);

  period = cm_dataset_get_period (dataset, 1);
  g_assert_cmpstr (period->title, ==, "Paleozoic");
  assert_time (&period->start, "-540999999", CM_PRECISION_YEAR);
  assert_time (&period->end, "-251901999", CM_PRECISION_YEAR);

  /* The whole span, Big Bang to Moon landing, in seconds without overflow. */
  g_assert_true (cm_dataset_get_time_range (dataset, &min, &max));
  g_assert_cmpint (min, ==, cm_time_from_civil (G_GINT64_CONSTANT (-13799999999), 1, 1, 0, 0, 0));
  g_assert_cmpint (max, >=, cm_time_from_civil (1969, 7, 20, 0, 0, 0));

  g_assert_cmpuint (cm_dataset_get_n_events (sheet), ==, 4);
  g_assert_cmpstr (cm_dataset_get_title (sheet), ==, "The History of Everything");
  assert_cosmological_time (sheet, "the-big-bang", "-13799999999", "13.8 billion years ago");
  assert_cosmological_time (sheet, "the-earth-forms", "-4539999999", "4.54 billion years ago");
  period = cm_dataset_get_period (sheet, 0);
  assert_time (&period->start, "-4599999999", CM_PRECISION_YEAR);
}

static void
test_timelinejs_sheet (void)
{
  g_autoptr(CmDataset) dataset = load_ok ("timelinejs-sheet.csv");
  const CmEvent *event;
  g_autofree char *summary = NULL;
  const CmPeriod *period;

  g_assert_cmpstr (cm_dataset_get_format (dataset), ==, "TimelineJS");
  g_assert_cmpstr (cm_dataset_get_title (dataset), ==, "Women in Computing, a Sheet");
  g_assert_cmpstr (cm_dataset_get_description (dataset), ==, "Made in the Google Sheets template.");
  g_assert_cmpuint (cm_dataset_get_n_events (dataset), ==, 5);
  g_assert_cmpuint (cm_dataset_get_n_groups (dataset), ==, 2);

  period = cm_dataset_get_period (dataset, 0);
  g_assert_cmpstr (period->title, ==, "The ENIAC decade");
  assert_time (&period->start, "1940", CM_PRECISION_YEAR);

  event = find_event (dataset, "ada-lovelace");
  assert_time (&event->start, "1815-12-10", CM_PRECISION_DAY);
  assert_time (&event->end, "1852-11-27", CM_PRECISION_DAY);
  summary = cm_dataset_dup_event_summary (dataset, event);
  g_assert_cmpstr (summary, ==, "Daughter of Lord Byron, she wrote \"the first program\".\n"
                                "A second paragraph, on a second line.");
  g_assert_cmpstr (event_group (dataset, event), ==, "Pioneers");

  event = find_event (dataset, "margaret-hamilton-s-code-lands-on-the-moon");
  assert_time (&event->start, "1969-07-20T20:17", CM_PRECISION_MINUTE);
  event = find_event (dataset, "tally-sticks");
  assert_time (&event->start, "-2999", CM_PRECISION_YEAR);

  assert_problems ("timelinejs-sheet-errors.csv",
    "timelinejs-sheet-errors.csv:2:1: row 2, Year: month 13 does not exist\n"
    "timelinejs-sheet-errors.csv:3:10: row 3, Time: \"25:00\" is not a time of day such as "
    "14:30\n"
    "timelinejs-sheet-errors.csv:4:1: row 4, Year: a slide needs a Year (or Type \"title\" for "
    "the title slide)\n"
    "timelinejs-sheet-errors.csv:5:6: row 5, Month: \"x\" is not a whole number\n"
    "timelinejs-sheet-errors.csv:6:10: row 6, End Year: end “2000” is before start “May 2001”");
  assert_problems ("timelinejs-sheet-unclosed.csv",
    "timelinejs-sheet-unclosed.csv:3:10: this quoted field is never closed");
}


/* StoryMapJS and GeoJSON */

static void
test_storymap (void)
{
  g_autoptr(CmDataset) dataset = load_ok ("storymap.json");
  const guint32 *order = cm_dataset_get_time_order (dataset);
  const guint32 *places;
  const CmEvent *event;
  gint64 min, max;
  guint n;

  g_assert_cmpstr (cm_dataset_get_format (dataset), ==, "StoryMapJS");
  g_assert_cmpstr (cm_dataset_get_title (dataset), ==, "The Lewis & Clark Expedition");
  g_assert_cmpuint (cm_dataset_get_n_events (dataset), ==, 7);
  /* Camp Dubois twice at the same spot is one place. */
  g_assert_cmpuint (cm_dataset_get_n_places (dataset), ==, 5);
  g_assert_cmpuint (cm_dataset_get_n_dated_events (dataset), ==, 4);

  event = cm_dataset_get_event (dataset, 0);
  assert_time (&event->start, "1804-05-14", CM_PRECISION_DAY);
  places = cm_dataset_get_event_places (dataset, event, &n);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpstr (cm_dataset_get_place (dataset, places[0])->name, ==, "Camp Dubois");
  g_assert_cmpfloat (cm_dataset_get_place (dataset, places[0])->lat, ==, 38.8);

  event = cm_dataset_get_event (dataset, 1);
  assert_time (&event->start, "1805", CM_PRECISION_YEAR);

  /* Free text is no date: undated, with the text kept as written. */
  event = cm_dataset_get_event (dataset, 2);
  g_assert_true (event->undated);
  g_assert_cmpstr (event_property (dataset, event, "Date"), ==, "Summer, on the river");
  event = cm_dataset_get_event (dataset, 3);
  g_assert_true (event->undated);
  g_assert_cmpuint (cm_dataset_get_event_places (dataset, event, &n)[0], ==, places[0]);

  event = cm_dataset_get_event (dataset, 4);
  g_assert_false (event->undated);
  assert_time (&event->start, "1804", CM_PRECISION_YEAR);
  assert_time (&event->end, "1806", CM_PRECISION_YEAR);

  /* Only the first slide is the overview; a month and day without a year
   * is no date. */
  event = cm_dataset_get_event (dataset, 6);
  g_assert_cmpstr (event->title, ==, "A last overview");
  g_assert_true (event->undated);
  g_assert_cmpstr (event_property (dataset, event, "Date"), ==, "Sep 23");
  g_assert_cmpuint (cm_dataset_get_event_places (dataset, event, &n)[0], ==,
                    cm_dataset_get_event_places (dataset, cm_dataset_get_event (dataset, 5), &n)[0]);

  /* Undated events come last, in story order, and stay out of the range. */
  g_assert_cmpuint (order[4], ==, 2);
  g_assert_cmpuint (order[5], ==, 3);
  g_assert_cmpuint (order[6], ==, 6);
  g_assert_true (cm_dataset_get_time_range (dataset, &min, &max));
  g_assert_cmpint (min, ==, cm_time_from_civil (1804, 1, 1, 0, 0, 0));
  g_assert_cmpint (max, ==, cm_time_from_civil (1807, 1, 1, 0, 0, 0));
  g_assert_cmpuint (cm_dataset_bisect_start (dataset, G_MAXINT64), ==, 4);

  assert_problems ("storymap-errors.json",
    "storymap-errors.json:3:57: storymap.slides[1].location: latitude 123.4 and longitude 10 "
    "are not a place on Earth: latitudes run from -90 to 90, longitudes from -180 to 180\n"
    "storymap-errors.json:4:54: storymap.slides[2].location: a location needs both \"lat\" and "
    "\"lon\" as numbers\n"
    "storymap-errors.json:5:3: storymap.slides[3]: expected an object, found a string");
}

static void
test_geojson (void)
{
  g_autoptr(CmDataset) dataset = load_ok ("usgs-earthquakes.geojson");
  g_autoptr(CmDataset) iso = NULL;
  const CmEvent *event;
  g_autofree CmLink *sources = NULL;
  const guint32 *places;
  guint n;

  g_assert_cmpstr (cm_dataset_get_format (dataset), ==, "GeoJSON");
  g_assert_cmpstr (cm_dataset_get_title (dataset), ==,
                   "USGS Magnitude 2.5+ Earthquakes, Past Month");
  g_assert_cmpuint (cm_dataset_get_n_events (dataset), ==, 14);
  g_assert_cmpuint (cm_dataset_get_n_places (dataset), ==, 14);
  /* "type" has three values: earthquake, quarry blast, explosion. */
  g_assert_cmpuint (cm_dataset_get_n_groups (dataset), ==, 3);

  event = cm_dataset_get_event (dataset, 0);
  g_assert_cmpstr (event->id, ==, "ak7000abc0");
  g_assert_cmpstr (event->title, ==, "M 2.5 - 5 km N of Sand Point, Alaska");
  /* Epoch milliseconds, to the second, in UTC. */
  assert_time (&event->start, "2024-12-01T00:00:00Z", CM_PRECISION_SECOND);
  g_assert_cmpstr (event_group (dataset, event), ==, "earthquake");
  g_assert_cmpstr (event_property (dataset, event, "mag"), ==, "2.5");
  g_assert_cmpstr (event_property (dataset, event, "place"), ==, "5 km N of Sand Point, Alaska");
  g_assert_cmpstr (event_property (dataset, event, "magType"), ==, "ml");
  g_assert_cmpstr (event_property (dataset, event, "rms"), ==, "0.74");
  g_assert_cmpstr (event_property (dataset, event, "felt"), ==, "0");
  g_assert_cmpstr (event_property (dataset, cm_dataset_get_event (dataset, 3), "dmin"), ==, "0.3");
  g_assert_cmpstr (event_property (dataset, cm_dataset_get_event (dataset, 1), "cdi"), ==, NULL);
  /* Other epoch times are shown as dates. */
  g_assert_cmpstr (event_property (dataset, event, "updated"), ==, "2024-12-01T01:00:00Z");
  g_assert_null (event_property (dataset, event, "time"));
  g_assert_null (event_property (dataset, event, "cdi"));
  sources = cm_dataset_dup_event_sources (dataset, event, &n);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpstr (sources[0].url, ==,
                   "https://earthquake.usgs.gov/earthquakes/eventpage/ak7000abc0");
  places = cm_dataset_get_event_places (dataset, event, &n);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpstr (cm_dataset_get_place (dataset, places[0])->name, ==,
                   "5 km N of Sand Point, Alaska");
  g_assert_cmpfloat (cm_dataset_get_place (dataset, places[0])->lon, ==, -160.5);
  g_assert_cmpfloat (cm_dataset_get_place (dataset, places[0])->lat, ==, 55.3);
  event = cm_dataset_get_event (dataset, 5);
  g_assert_cmpstr (event_group (dataset, event), ==, "quarry blast");

  iso = load_ok ("geojson-iso.json");
  g_assert_cmpuint (cm_dataset_get_n_events (iso), ==, 5);
  g_assert_cmpuint (cm_dataset_get_n_dated_events (iso), ==, 4);
  /* Features at one point share one place, named by its coordinates. */
  g_assert_cmpuint (cm_dataset_get_n_places (iso), ==, 3);
  g_assert_cmpuint (cm_dataset_get_event_places (iso, cm_dataset_get_event (iso, 0), &n)[0], ==,
                    cm_dataset_get_event_places (iso, cm_dataset_get_event (iso, 2), &n)[0]);
  g_assert_cmpstr (cm_dataset_get_place (iso, 0)->name, ==, "35.6800, 139.6900");
  event = cm_dataset_get_event (iso, 0);
  assert_time (&event->start, "2024-04-12", CM_PRECISION_DAY);
  g_assert_cmpstr (event_group (iso, event), ==, "survey");
  g_assert_cmpstr (event_property (iso, event, "count"), ==, "12");
  event = cm_dataset_get_event (iso, 1);
  assert_time (&event->start, "2024-05-03T09:30:00", CM_PRECISION_SECOND);
  g_assert_cmpstr (event_property (iso, event, "note"), ==, "<b>not</b> markup");
  places = cm_dataset_get_event_places (iso, event, &n);
  g_assert_cmpfloat_with_epsilon (cm_dataset_get_place (iso, places[0])->lon, 139.75, 1e-9);
  g_assert_true (cm_dataset_get_event (iso, 2)->undated);
  assert_time (&cm_dataset_get_event (iso, 3)->start, "2024-10", CM_PRECISION_MONTH);
  /* Epoch seconds; no geometry is no place. */
  event = cm_dataset_get_event (iso, 4);
  assert_time (&event->start, "2024-06-01T00:00:00Z", CM_PRECISION_SECOND);
  g_assert_cmpuint (event->n_places, ==, 0);

  assert_problems ("geojson-errors.json",
    "geojson-errors.json:2:46: features[0].properties.time: \"yesterday\" is not a date: it does "
    "not start with a year, as in 2025\n"
    "geojson-errors.json:3:129: features[1].geometry.coordinates: expected positions of "
    "numbers, as in [longitude, latitude]\n"
    "geojson-errors.json:4:100: features[2].geometry: latitude 95 and longitude 10 are not a "
    "place on Earth: latitudes run from -90 to 90, longitudes from -180 to 180\n"
    "geojson-errors.json:5:46: features[3].properties.time: expected a date or a number of "
    "seconds since 1970, found true\n"
    "geojson-errors.json:6:104: features[4].geometry: expected an object, found a string");
  assert_problems ("geojson-no-time.json",
    "geojson-no-time.json:1:43: features: no feature has a time: Chronomap looks for a property "
    "named \"time\", \"timestamp\", \"datetime\", \"date\" or \"start\"");
}

/* Content decides, not the name: a CSV called .json, JSON called .txt. */
static void
test_detect_by_content (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CmDataset) csv = NULL;
  g_autoptr(CmDataset) geojson = NULL;
  g_autoptr(CmDataset) storymap = NULL;

  csv = load_text ("Year,Month,Day,Headline,Text\n2020,1,2,New year,\n", "sheet.json", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cm_dataset_get_format (csv), ==, "TimelineJS");

  geojson = load_text ("{\"type\": \"FeatureCollection\", \"features\": [{\"type\": \"Feature\", "
                       "\"properties\": {\"timestamp\": \"2020-01-02T03:04:05Z\"}, "
                       "\"geometry\": {\"type\": \"Point\", \"coordinates\": [1, 2]}}]}",
                       "points.txt", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cm_dataset_get_format (geojson), ==, "GeoJSON");
  g_assert_cmpstr (cm_dataset_get_event (geojson, 0)->title, ==, "Untitled event");

  storymap = load_text ("{\"storymap\": {\"slides\": []}}", "story", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cm_dataset_get_format (storymap), ==, "StoryMapJS");

  /* An embed's target is a source. */
  {
    g_autoptr(CmDataset) embed = NULL;
    g_autofree CmLink *sources = NULL;
    guint n;

    embed = load_text ("{\"events\": [{\"start_date\": {\"year\": 2001}, \"media\": {\"url\": "
                       "\"<iframe width='560' src='https://www.youtube.com/embed/x?a=1&amp;b=2'>"
                       "</iframe>\", \"caption\": \"A video\"}}]}", "embed.json", &error);
    g_assert_no_error (error);
    sources = cm_dataset_dup_event_sources (embed, cm_dataset_get_event (embed, 0), &n);
    g_assert_cmpuint (n, ==, 1);
    g_assert_cmpstr (sources[0].title, ==, "A video");
    g_assert_cmpstr (sources[0].url, ==, "https://www.youtube.com/embed/x?a=1&b=2");
    /* No headline and no text: an honest placeholder, not a made-up title. */
    g_assert_cmpstr (cm_dataset_get_event (embed, 0)->title, ==, "Untitled event");
  }

  /* An empty geometry is no place, not a problem. */
  {
    g_autoptr(CmDataset) empty = NULL;

    empty = load_text ("{\"type\": \"FeatureCollection\", \"features\": [{\"type\": \"Feature\", "
                       "\"properties\": {\"time\": 1700000000}, \"geometry\": {\"type\": "
                       "\"Point\", \"coordinates\": []}}]}", "empty.geojson", &error);
    g_assert_no_error (error);
    g_assert_cmpuint (cm_dataset_get_event (empty, 0)->n_places, ==, 0);
    g_assert_cmpuint (cm_dataset_get_n_places (empty), ==, 0);
  }

  /* Eight digits are a date without hyphens, not seconds since 1970. */
  g_assert_null (load_text ("{\"type\": \"FeatureCollection\", \"features\": [{\"type\": "
                            "\"Feature\", \"properties\": {\"date\": \"20240412\"}, "
                            "\"geometry\": null}]}", "points.json", &error));
  g_assert_error (error, CM_LOADER_ERROR, CM_LOADER_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "write dates with hyphens, as in 2024-04-12"));
  g_clear_error (&error);

  /* A CSV that is not the template is not taken for one, and says so. */
  g_assert_null (load_text ("name,lat,lon\nParis,48.8,2.3\n", "places.csv", &error));
  g_assert_error (error, CM_LOADER_ERROR, CM_LOADER_ERROR_UNKNOWN_FORMAT);
  g_assert_true (g_str_has_prefix (error->message, "places.csv: a CSV file Chronomap cannot read"));
}


/* Round trip: what "Save as" writes loads back as the same dataset. */

static void
assert_same_links (const CmLink *a,
                   guint         n_a,
                   const CmLink *b,
                   guint         n_b)
{
  g_assert_cmpuint (n_a, ==, n_b);
  for (guint i = 0; i < n_a; i++)
    {
      g_assert_cmpstr (a[i].title, ==, b[i].title);
      g_assert_cmpstr (a[i].url, ==, b[i].url);
    }
}

static void
assert_same_time (const CmTime *a,
                  const CmTime *b)
{
  g_assert_cmpint (a->seconds, ==, b->seconds);
  g_assert_cmpint (a->offset, ==, b->offset);
  g_assert_cmpint (a->precision, ==, b->precision);
  g_assert_cmpint (a->has_zone, ==, b->has_zone);
}

static void
assert_same_refs (const guint32 *a,
                  guint          n_a,
                  const guint32 *b,
                  guint          n_b)
{
  g_assert_cmpuint (n_a, ==, n_b);
  for (guint i = 0; i < n_a; i++)
    g_assert_cmpuint (a[i], ==, b[i]);
}

static void
assert_same_dataset (CmDataset *a,
                     CmDataset *b)
{
  g_assert_cmpstr (cm_dataset_get_title (a), ==, cm_dataset_get_title (b));
  g_assert_cmpstr (cm_dataset_get_description (a), ==, cm_dataset_get_description (b));
  g_assert_cmpuint (cm_dataset_get_n_groups (a), ==, cm_dataset_get_n_groups (b));
  g_assert_cmpuint (cm_dataset_get_n_actors (a), ==, cm_dataset_get_n_actors (b));
  g_assert_cmpuint (cm_dataset_get_n_places (a), ==, cm_dataset_get_n_places (b));
  g_assert_cmpuint (cm_dataset_get_n_periods (a), ==, cm_dataset_get_n_periods (b));
  g_assert_cmpuint (cm_dataset_get_n_events (a), ==, cm_dataset_get_n_events (b));
  g_assert_cmpuint (cm_dataset_get_n_tags (a), ==, cm_dataset_get_n_tags (b));

  for (guint i = 0; i < cm_dataset_get_n_groups (a); i++)
    {
      const CmGroup *x = cm_dataset_get_group (a, i), *y = cm_dataset_get_group (b, i);

      g_assert_cmpstr (x->id, ==, y->id);
      g_assert_cmpstr (x->name, ==, y->name);
      g_assert_cmpint (x->has_color, ==, y->has_color);
      g_assert_cmpuint (x->has_color ? x->color : 0, ==, y->has_color ? y->color : 0);
    }
  for (guint i = 0; i < cm_dataset_get_n_actors (a); i++)
    {
      const CmActor *x = cm_dataset_get_actor (a, i), *y = cm_dataset_get_actor (b, i);
      const CmLink *lx, *ly;
      guint nx, ny;

      g_assert_cmpstr (x->id, ==, y->id);
      g_assert_cmpstr (x->name, ==, y->name);
      g_assert_cmpstr (x->role, ==, y->role);
      g_assert_cmpstr (x->description, ==, y->description);
      g_assert_cmpuint (x->group, ==, y->group);
      g_assert_cmpuint (x->kind, ==, y->kind);
      lx = cm_dataset_get_actor_links (a, x, &nx);
      ly = cm_dataset_get_actor_links (b, y, &ny);
      assert_same_links (lx, nx, ly, ny);
    }
  for (guint i = 0; i < cm_dataset_get_n_places (a); i++)
    {
      const CmPlace *x = cm_dataset_get_place (a, i), *y = cm_dataset_get_place (b, i);

      g_assert_cmpstr (x->id, ==, y->id);
      g_assert_cmpstr (x->name, ==, y->name);
      g_assert_cmpstr (x->country, ==, y->country);
      g_assert_cmpstr (x->timezone, ==, y->timezone);
      g_assert_cmpfloat (x->lat, ==, y->lat);
      g_assert_cmpfloat (x->lon, ==, y->lon);
    }
  for (guint i = 0; i < cm_dataset_get_n_periods (a); i++)
    {
      const CmPeriod *x = cm_dataset_get_period (a, i), *y = cm_dataset_get_period (b, i);

      g_assert_cmpstr (x->id, ==, y->id);
      g_assert_cmpstr (x->title, ==, y->title);
      g_assert_cmpstr (x->description, ==, y->description);
      assert_same_time (&x->start, &y->start);
      g_assert_cmpint (x->has_end, ==, y->has_end);
      if (x->has_end)
        assert_same_time (&x->end, &y->end);
    }
  for (guint i = 0; i < cm_dataset_get_n_events (a); i++)
    {
      const CmEvent *x = cm_dataset_get_event (a, i), *y = cm_dataset_get_event (b, i);
      g_autofree CmQuote *qx = NULL, *qy = NULL;
      g_autofree CmLink *sx = NULL, *sy = NULL;
      const CmProperty *px, *py;
      const guint32 *rx, *ry;
      guint nx, ny;

      g_assert_cmpstr (x->id, ==, y->id);
      g_assert_cmpstr (x->title, ==, y->title);
      g_autofree char *summary_x = cm_dataset_dup_event_summary (a, x);
      g_autofree char *summary_y = cm_dataset_dup_event_summary (b, y);

      g_assert_cmpstr (summary_x, ==, summary_y);
      g_assert_cmpint (x->undated, ==, y->undated);
      assert_same_time (&x->start, &y->start);
      assert_same_time (&x->end, &y->end);
      g_assert_cmpint (x->has_end, ==, y->has_end);

      rx = cm_dataset_get_event_places (a, x, &nx);
      ry = cm_dataset_get_event_places (b, y, &ny);
      assert_same_refs (rx, nx, ry, ny);
      rx = cm_dataset_get_event_actors (a, x, &nx);
      ry = cm_dataset_get_event_actors (b, y, &ny);
      assert_same_refs (rx, nx, ry, ny);
      rx = cm_dataset_get_event_tags (a, x, &nx);
      ry = cm_dataset_get_event_tags (b, y, &ny);
      g_assert_cmpuint (nx, ==, ny);
      for (guint j = 0; j < nx; j++)
        g_assert_cmpstr (cm_dataset_get_tag (a, rx[j]), ==, cm_dataset_get_tag (b, ry[j]));

      qx = cm_dataset_dup_event_quotes (a, x, &nx);
      qy = cm_dataset_dup_event_quotes (b, y, &ny);
      g_assert_cmpuint (nx, ==, ny);
      for (guint j = 0; j < nx; j++)
        {
          g_assert_cmpuint (qx[j].actor, ==, qy[j].actor);
          g_assert_cmpstr (qx[j].text, ==, qy[j].text);
        }
      sx = cm_dataset_dup_event_sources (a, x, &nx);
      sy = cm_dataset_dup_event_sources (b, y, &ny);
      assert_same_links (sx, nx, sy, ny);
      px = cm_dataset_get_event_properties (a, x, &nx);
      py = cm_dataset_get_event_properties (b, y, &ny);
      g_assert_cmpuint (nx, ==, ny);
      for (guint j = 0; j < nx; j++)
        {
          g_assert_cmpstr (px[j].key, ==, py[j].key);
          g_assert_cmpstr (px[j].value, ==, py[j].value);
        }
    }
}

static void
assert_round_trip (CmDataset *dataset)
{
  g_autoptr(GBytes) bytes = cm_json_writer_to_bytes (dataset);
  g_autoptr(GBytes) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CmDataset) loaded = cm_loader_load_bytes (bytes, "written.json", NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (loaded);
  g_assert_null (cm_dataset_get_format (loaded));
  assert_same_dataset (dataset, loaded);

  /* Writing is stable: the second generation is the first, byte for byte. */
  again = cm_json_writer_to_bytes (loaded);
  g_assert_true (g_bytes_equal (bytes, again));
}

static void
test_round_trip (void)
{
  static const char *const fixtures[] = {
    "timelinejs3.json", "timelinejs2.json", "timelinejs-sheet.csv", "storymap.json",
    "usgs-earthquakes.geojson", "geojson-iso.json", "timelinejs3-cosmological.json",
    "timelinejs-sheet-cosmological.csv",
  };
  g_autofree char *sample = g_test_build_filename (G_TEST_DIST, "..", "data", "samples",
                                                   "riyadh-talks-2025.json", NULL);
  g_autofree char *houston = sample_path ("houston.json");
  g_autoptr(CmDataset) native = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (fixtures); i++)
    {
      g_autoptr(CmDataset) dataset = load_ok (fixtures[i]);

      g_test_message ("round trip of %s", fixtures[i]);
      assert_round_trip (dataset);
    }

  /* The native sample too: places with time zones, quotes, tags, links. */
  native = load_path (sample, &error);
  g_assert_no_error (error);
  assert_round_trip (native);

  if (g_file_test (houston, G_FILE_TEST_EXISTS))
    {
      g_autoptr(CmDataset) dataset = load_path (houston, &error);

      g_assert_no_error (error);
      assert_round_trip (dataset);
    }
}

/* Runs --convert with its standard output (and errors) in @printed. */
static int
run_convert (const char  *out,
             const char  *in,
             char       **printed)
{
  g_autofree char *log_path = NULL;
  int log_fd = g_file_open_tmp ("chronomap-convert-XXXXXX.log", &log_path, NULL);
  int saved_out = dup (STDOUT_FILENO), saved_err = dup (STDERR_FILENO);
  int status;

  g_assert_cmpint (log_fd, >=, 0);
  fflush (stdout);
  fflush (stderr);
  dup2 (log_fd, STDOUT_FILENO);
  dup2 (log_fd, STDERR_FILENO);
  status = cm_cli_convert (out, in);
  fflush (stdout);
  fflush (stderr);
  dup2 (saved_out, STDOUT_FILENO);
  dup2 (saved_err, STDERR_FILENO);
  close (saved_out);
  close (saved_err);
  close (log_fd);

  g_assert_true (g_file_get_contents (log_path, printed, NULL, NULL));
  g_unlink (log_path);
  return status;
}

/* --convert writes atomically beside the target and never over the input. */
static void
test_convert (void)
{
  g_autofree char *dir = g_dir_make_tmp ("chronomap-convert-XXXXXX", NULL);
  g_autofree char *input = g_test_build_filename (G_TEST_DIST, "fixtures", "import",
                                                  "storymap.json", NULL);
  g_autofree char *copy = g_build_filename (dir, "story.json", NULL);
  g_autofree char *out = g_build_filename (dir, "out.json", NULL);
  g_autofree char *original = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GFile) copy_file = g_file_new_for_path (copy);
  g_autoptr(CmDataset) written = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) listing = NULL;
  g_autofree char *printed = NULL;
  guint n_files = 0;

  g_assert_true (g_file_get_contents (input, &original, NULL, NULL));
  g_assert_true (g_file_set_contents (copy, original, -1, NULL));

  g_assert_cmpint (run_convert (out, copy, &printed), ==, 0);
  g_assert_true (g_str_has_suffix (printed, "out.json: written (StoryMapJS): 7 events, 0 actors, "
                                            "5 places, 0 groups, 0 periods, 3 undated\n"));
  g_clear_pointer (&printed, g_free);
  written = load_path (out, &error);
  g_assert_no_error (error);
  g_assert_null (cm_dataset_get_format (written));
  g_assert_cmpuint (cm_dataset_get_n_events (written), ==, 7);

  /* Over the input: refused, the input untouched. */
  g_assert_cmpint (run_convert (copy, copy, &printed), ==, 1);
  g_assert_nonnull (strstr (printed, "is the file that was opened"));
  g_clear_pointer (&printed, g_free);
  g_assert_true (g_file_get_contents (copy, &after, NULL, NULL));
  g_assert_cmpstr (after, ==, original);

  /* Nor through a link to it. */
  {
    g_autofree char *link = g_build_filename (dir, "link.json", NULL);
    g_autofree char *again = NULL;

    g_assert_cmpint (symlink (copy, link), ==, 0);
    g_assert_cmpint (run_convert (link, copy, &printed), ==, 1);
    g_assert_nonnull (strstr (printed, "is the file that was opened"));
    g_clear_pointer (&printed, g_free);
    g_assert_true (g_file_get_contents (copy, &again, NULL, NULL));
    g_assert_cmpstr (again, ==, original);
    g_assert_true (g_file_test (link, G_FILE_TEST_IS_SYMLINK));
    g_unlink (link);
  }

  /* An invalid input writes nothing. */
  g_assert_cmpint (run_convert (out, "/nonexistent/story.json", &printed), ==, 1);
  g_assert_nonnull (strstr (printed, "/nonexistent/story.json: cannot read"));
  g_clear_pointer (&printed, g_free);

  listing = g_dir_open (dir, 0, NULL);
  while (g_dir_read_name (listing) != NULL)
    n_files++;
  g_assert_cmpuint (n_files, ==, 2);

  g_unlink (out);
  g_unlink (copy);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/import/html", test_html);
  g_test_add_func ("/import/csv/reader", test_csv_reader);
  g_test_add_func ("/import/timelinejs/json", test_timelinejs3);
  g_test_add_func ("/import/timelinejs/errors", test_timelinejs3_errors);
  g_test_add_func ("/import/timelinejs/samples", test_timelinejs_samples);
  g_test_add_func ("/import/timelinejs/version-2", test_timelinejs2);
  g_test_add_func ("/import/timelinejs/sheet", test_timelinejs_sheet);
  g_test_add_func ("/import/timelinejs/cosmological", test_timelinejs_cosmological);
  g_test_add_func ("/import/storymap", test_storymap);
  g_test_add_func ("/import/geojson", test_geojson);
  g_test_add_func ("/import/detect-by-content", test_detect_by_content);
  g_test_add_func ("/import/round-trip", test_round_trip);
  g_test_add_func ("/import/convert", test_convert);

  return g_test_run ();
}
