/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-test-loader"

#include "config.h"

#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "cm-cli.h"
#include "cm-loader.h"
#include "generator.h"
#include "hostile.h"

static char *
fixture_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "fixtures", name, NULL);
}

static CmDataset *
load_fixture (const char  *name,
              GError     **error)
{
  g_autofree char *path = fixture_path (name);
  g_autoptr(GFile) file = g_file_new_for_path (path);

  return cm_loader_load_file (file, NULL, error);
}

static CmDataset *
load_path (const char  *path,
           GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);

  return cm_loader_load_file (file, NULL, error);
}

static CmDataset *
load_text (const char  *text,
           const char  *name,
           GError     **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));

  return cm_loader_load_bytes (bytes, name, NULL, error);
}

/* The fixture is invalid and its problems are exactly @expected, one per
 * line, in file order. */
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

static void
test_syntax_error (void)
{
  assert_problems ("syntax-error.json",
                   "syntax-error.json:5:5: events: unexpected character “{”, expected “,” or “]”");
}

static void
test_syntax_errors_inline (void)
{
  static const struct
  {
    const char *text;
    const char *expected;
  } cases[] = {
    { "", "t.json:1:1: the file is empty" },
    { "{\"chronomap\": 1,", "t.json:1:17: unexpected end of file, expected a key in double quotes" },
    { "{\"events\": [1,]}", "t.json:1:15: events[1]: unexpected character “]”, expected a value" },
    { "{\"a\": \"x\ny\"}", "t.json:1:9: a: line break in a string (write it as \\n)" },
    { "{\"a\": \"\\q\"}", "t.json:1:9: a: unexpected character “q”, expected an escape "
                         "(\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u)" },
    { "{\"a\": \"\\ud800\"}", "t.json:1:8: a: \\uD800 is half of a surrogate pair without "
                             "its second half" },
    { "{\"a\": 012}", "t.json:1:7: a: numbers must not start with 0 (write 7, not 07)" },
    { "{\"a\": -Infinity}", "t.json:1:7: a: -Infinity is not a number: JSON numbers are finite" },
    { "{} {}", "t.json:1:4: unexpected character “{”, expected the end of the file after the "
               "top-level value" },
    { "\xef\xbb\xbf{\"a\": tru}", "t.json:1:7: a: unexpected character “t”, expected a value" },
    { "{\"a\":\t\"é\" x}", "t.json:1:11: unexpected character “x”, expected “,” or “}”" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CmDataset) dataset = load_text (cases[i].text, "t.json", &error);

      g_assert_null (dataset);
      g_assert_error (error, CM_LOADER_ERROR, CM_LOADER_ERROR_INVALID);
      g_assert_cmpstr (error->message, ==, cases[i].expected);
    }
}

static void
test_wrong_type (void)
{
  assert_problems ("wrong-type.json",
                   "wrong-type.json:4:26: events[0].title: expected a string, found a number");
}

static void
test_missing_key (void)
{
  assert_problems ("missing-key.json",
                   "missing-key.json:5:7: events[1]: missing required key \"title\"");
}

static void
test_duplicate_id (void)
{
  assert_problems ("duplicate-id.json",
                   "duplicate-id.json:6:41: actors[2].id: duplicate actor id \"rubio\" "
                   "(first at line 4)");
}

static void
test_unknown_actor (void)
{
  assert_problems ("unknown-actor.json",
                   "unknown-actor.json:5:68: events[0].actors[1]: unknown actor \"lavrov\"");
}

static void
test_unknown_place (void)
{
  assert_problems ("unknown-place.json",
                   "unknown-place.json:6:27: events[0].places[1]: unknown place \"istanbul\"");
}

static void
test_unknown_group (void)
{
  assert_problems ("unknown-group.json",
                   "unknown-group.json:6:56: actors[1].group: unknown group \"russia\"");
}

static void
test_unknown_quote_actor (void)
{
  assert_problems ("unknown-quote-actor.json",
                   "unknown-quote-actor.json:6:63: events[0].quotes[1].actor: "
                   "unknown actor \"putin\"");
}

static void
test_impossible_date (void)
{
  assert_problems ("impossible-date.json",
                   "impossible-date.json:6:15: events[1].start: \"2025-13-01\" is not a date: "
                   "month 13 does not exist");
}

static void
test_end_before_start (void)
{
  assert_problems ("end-before-start.json",
                   "end-before-start.json:4:61: events[0].end: end \"2025-02-17\" is before "
                   "start \"2025-02-18\"");
}

static void
test_lat_lon_range (void)
{
  assert_problems ("lat-lon-range.json",
                   "lat-lon-range.json:4:55: places[0].lat: latitude 91.5 is outside [-90, 90]\n"
                   "lat-lon-range.json:5:61: places[1].lon: longitude -200 is outside "
                   "[-180, 180]");
}

static void
test_non_finite (void)
{
  assert_problems ("non-finite.json",
                   "non-finite.json:4:37: places[0].lat: number 1e999 is too large");
  assert_problems ("nan.json",
                   "nan.json:4:37: places[0].lat: NaN is not a number: JSON numbers are finite");
}

static void
test_unknown_version (void)
{
  /* Only the version: a newer file's other content is not judged. */
  assert_problems ("unknown-version.json",
                   "unknown-version.json:3:16: chronomap: unknown version 2; "
                   "this Chronomap reads version 1");
}

static void
test_invalid_utf8 (void)
{
  /* The column counts characters: "é" and "—" are one column each. */
  assert_problems ("invalid-utf8.json",
                   "invalid-utf8.json:4:34: events[0].title: invalid UTF-8 (byte 0xff)");
}

static char *
nested_arrays (guint depth)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < depth; i++)
    g_string_append_c (text, '[');
  for (guint i = 0; i < depth; i++)
    g_string_append_c (text, ']');

  return g_string_free (text, FALSE);
}

static void
test_deep_nesting (void)
{
  g_autofree char *ok = nested_arrays (512);
  g_autofree char *deep = nested_arrays (513);
  g_autoptr(GError) error = NULL;
  g_autoptr(CmDataset) dataset = NULL;

  /* 512 levels are fine JSON, just not a Chronomap document. */
  dataset = load_text (ok, "deep.json", &error);
  g_assert_null (dataset);
  g_assert_error (error, CM_LOADER_ERROR, CM_LOADER_ERROR_UNKNOWN_FORMAT);
  g_clear_error (&error);

  /* One more is refused before json-glib could ever see it. */
  dataset = load_text (deep, "deep.json", &error);
  g_assert_null (dataset);
  g_assert_error (error, CM_LOADER_ERROR, CM_LOADER_ERROR_INVALID);
  /* The path keeps its ends and says how deep the middle is. */
  g_assert_cmpstr (error->message, ==,
                   "deep.json:1:513: [0][0][0][0][0][0]…(500 levels)…[0][0][0][0][0][0]: "
                   "nested deeper than 512 levels");
  g_assert_null (strchr (error->message, '\n'));
}

static void
test_bad_url (void)
{
  assert_problems ("bad-url.json",
                   "bad-url.json:4:65: actors[0].links[0].url: only http and https links are allowed\n"
                   "bad-url.json:8:46: events[0].sources[0].url: only http and https links are "
                   "allowed");
}

static void
test_unknown_timezone (void)
{
  assert_problems ("unknown-timezone.json",
                   "unknown-timezone.json:5:18: places[0].timezone: unknown time zone "
                   "\"Mars/Olympus_Mons\"");
}

static void
test_many_errors (void)
{
  /* Found in another order (actors and places before events), reported in
   * file order. */
  assert_problems ("many-errors.json",
                   "many-errors.json:4:26: events[0].title: must not be empty\n"
                   "many-errors.json:4:39: events[0].start: \"2025-02-30\" is not a date: "
                   "February 2025 has 28 days\n"
                   "many-errors.json:4:64: events[0].actors[0]: unknown actor \"nobody\"\n"
                   "many-errors.json:5:5: events[1]: missing required key \"title\"\n"
                   "many-errors.json:5:12: events[1].id: duplicate event id \"a\" (first at line 4)\n"
                   "many-errors.json:5:55: events[1].places[1]: place \"riyadh\" is listed twice\n"
                   "many-errors.json:5:80: events[1].tags[1]: expected a string, found a number\n"
                   "many-errors.json:8:47: places[0].lat: expected a number, found a string\n"
                   "many-errors.json:11:12: actors[0].id: \"bad id\" is not a valid id: use "
                   "letters, digits, “_”, “.”, “:” and “-”, starting with a letter or digit\n"
                   "many-errors.json:11:49: actors[0].kind: \"robot\" is not a kind of actor: "
                   "use person, government, organisation, group or other\n"
                   "many-errors.json:13:48: groups[0].color: \"blue\" is not a colour: "
                   "write it as #rrggbb");
}

static void
test_schema_rules (void)
{
  /* What data/chronomap.schema.json says, the loader says too. */
  g_autoptr(GError) error = NULL;
  g_autoptr(CmDataset) dataset =
    load_text ("{\"chronomap\": 1, \"events\": [], \"events\": [\n"
               "{\"id\": \"e\", \"title\": \"E\", \"start\": \"2025\", \"sources\": [{}],\n"
               " \"tags\": [\"t\", \"t\"], \"quotes\": [{\"actor\": \"nobody\"}]}],\n"
               "\"actors\": [{\"id\": \"a\", \"name\": \"A\", \"links\": [{\"title\": \"no url\"}]}]}",
               "s.json", &error);

  g_assert_null (dataset);
  g_assert_error (error, CM_LOADER_ERROR, CM_LOADER_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==,
                   "s.json:1:32: events: duplicate key \"events\"\n"
                   "s.json:2:56: events[0].sources[0]: a source needs a \"title\" or a \"url\"\n"
                   "s.json:3:16: events[0].tags[1]: tag \"t\" is listed twice\n"
                   "s.json:3:33: events[0].quotes[0]: missing required key \"text\"\n"
                   "s.json:3:43: events[0].quotes[0].actor: unknown actor \"nobody\"\n"
                   "s.json:4:47: actors[0].links[0]: missing required key \"url\"");
}

static void
test_too_many_errors (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CmDataset) dataset = load_fixture ("too-many-errors.json", &error);
  g_auto(GStrv) lines = NULL;

  g_assert_null (dataset);
  g_assert_error (error, CM_LOADER_ERROR, CM_LOADER_ERROR_INVALID);
  lines = g_strsplit (error->message, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, CM_LOADER_MAX_PROBLEMS + 1);
  g_assert_cmpstr (lines[0], ==,
                   "too-many-errors.json:4:5: events[0]: missing required key \"title\"");
  g_assert_cmpstr (lines[99], ==,
                   "too-many-errors.json:103:5: events[99]: missing required key \"title\"");
  g_assert_cmpstr (lines[100], ==, "… and 50 more problems");
}

static void
test_unknown_format (void)
{
  static const char *const texts[] = { "[1, 2]", "\"text\"", "{\"type\": \"Feature\"}" };
  g_autoptr(GError) error = NULL;
  g_autoptr(CmDataset) dataset = load_fixture ("not-chronomap.json", &error);

  g_assert_null (dataset);
  g_assert_error (error, CM_LOADER_ERROR, CM_LOADER_ERROR_UNKNOWN_FORMAT);
  g_assert_cmpstr (error->message, ==,
                   "not-chronomap.json:1:1: not a Chronomap file (no \"chronomap\" key)");

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_clear_error (&error);
      dataset = load_text (texts[i], "x.json", &error);
      g_assert_null (dataset);
      g_assert_error (error, CM_LOADER_ERROR, CM_LOADER_ERROR_UNKNOWN_FORMAT);
    }

  /* "events" without "chronomap" is a Chronomap file missing its version. */
  g_clear_error (&error);
  dataset = load_text ("{\"events\": []}", "x.json", &error);
  g_assert_error (error, CM_LOADER_ERROR, CM_LOADER_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "x.json:1:1: missing required key \"chronomap\"");

  /* TimelineJS events are imported, not listed as our missing keys. */
  g_clear_error (&error);
  dataset = load_text ("{\"events\": [{\"start_date\": {\"year\": 1963},"
                       " \"text\": {\"headline\": \"Born\"}}]}", "houston.json", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cm_dataset_get_format (dataset), ==, "TimelineJS");
  g_assert_cmpuint (cm_dataset_get_n_events (dataset), ==, 1);
  g_clear_object (&dataset);
}

static void
test_io_errors (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) missing = g_file_new_for_path ("/nonexistent/chronomap/talks.json");
  g_autofree char *dir = g_test_build_filename (G_TEST_DIST, "fixtures", NULL);
  g_autoptr(GFile) directory = g_file_new_for_path (dir);
  CmDataset *dataset;

  dataset = cm_loader_load_file (missing, NULL, &error);
  g_assert_null (dataset);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==, "talks.json: cannot read: No such file or directory");
  g_clear_error (&error);

  dataset = cm_loader_load_file (directory, NULL, &error);
  g_assert_null (dataset);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY);
  g_assert_cmpstr (error->message, ==, "fixtures: this is a folder; open a file inside it");
}


/* A top-level value that is not an object is refused at its line and
 * column, like every other problem. */
static void
test_top_level (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CmDataset) dataset = load_text ("\n  [1, 2]", "x.json", &error);

  g_assert_null (dataset);
  g_assert_error (error, CM_LOADER_ERROR, CM_LOADER_ERROR_UNKNOWN_FORMAT);
  g_assert_cmpstr (error->message, ==,
                   "x.json:2:3: not a Chronomap file: expected an object, found an array");
  g_clear_error (&error);

  dataset = load_text ("42", "x.json", &error);
  g_assert_cmpstr (error->message, ==,
                   "x.json:1:1: not a Chronomap file: expected an object, found a number");
}

/* \u0000 would cut the string short: "2025-02-18\u0000garbage" read as a
 * date, "a\u0000x" and "a\u0000y" as the same id. */
static void
test_nul_escape (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CmDataset) dataset = NULL;

  dataset = load_text ("{\"chronomap\": 1, \"events\": [\n"
                       "{\"id\": \"x\", \"title\": \"T\", \"start\": \"2025-02-18\\u0000garbage\"}]}",
                       "n.json", &error);
  g_assert_null (dataset);
  g_assert_error (error, CM_LOADER_ERROR, CM_LOADER_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==,
                   "n.json:2:36: events[0].start: \"2025-02-18�garbage\" is not a date: "
                   "unexpected \"�garbage\" after \"2025-02-18\"\n"
                   "n.json:2:47: events[0].start: \\u0000 (the NUL character) is "
                   "not allowed in a string");
  g_clear_error (&error);

  dataset = load_text ("{\"chronomap\": 1, \"events\": [\n"
                       "{\"id\": \"a\\u0000x\", \"title\": \"T\", \"start\": \"2025\"},\n"
                       "{\"id\": \"a\\u0000y\", \"title\": \"T\", \"start\": \"2025\"}]}",
                       "n.json", &error);
  g_assert_null (dataset);
  g_assert_nonnull (strstr (error->message, "n.json:2:10: events[0].id: \\u0000 (the NUL"));
  g_assert_nonnull (strstr (error->message, "n.json:3:10: events[1].id: \\u0000 (the NUL"));
  g_assert_null (strstr (error->message, "duplicate"));
  g_clear_error (&error);

  /* In a key too. */
  dataset = load_text ("{\"chronomap\": 1, \"a\\u0000\": 1, \"events\": []}", "n.json", &error);
  g_assert_null (dataset);
  g_assert_cmpstr (error->message, ==,
                   "n.json:1:20: \\u0000 (the NUL character) is not allowed in a string");
}

/* {"events": []} without "chronomap" once indexed an empty array's NULL
 * children (clang UBSan); the suite runs under UBSan in CI. */
static void
test_empty_events (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CmDataset) dataset = load_text ("{\"events\": []}", "e.json", &error);

  g_assert_null (dataset);
  g_assert_cmpstr (error->message, ==, "e.json:1:1: missing required key \"chronomap\"");
}

/* Only regular files are read, and nothing may block or grow without end:
 * a named pipe with no writer, /dev/zero, a folder, a file over 2 GiB. */
static void
test_not_regular (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cm-test-XXXXXX", NULL);
  g_autofree char *fifo = g_build_filename (dir, "pipe.json", NULL);
  g_autofree char *link = g_build_filename (dir, "link.json", NULL);
  g_autofree char *big = g_build_filename (dir, "big.json", NULL);
  g_autoptr(GError) error = NULL;
  CmDataset *dataset;
  int fd;

  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  g_assert_cmpint (symlink (fifo, link), ==, 0);

  dataset = load_path (fifo, &error);
  g_assert_null (dataset);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE);
  g_assert_cmpstr (error->message, ==,
                   "pipe.json: this is a named pipe; Chronomap reads only regular files");
  g_clear_error (&error);

  dataset = load_path (link, &error);
  g_assert_null (dataset);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE);
  g_clear_error (&error);

  dataset = load_path ("/dev/zero", &error);
  g_assert_null (dataset);
  g_assert_cmpstr (error->message, ==,
                   "zero: this is a device; Chronomap reads only regular files");
  g_clear_error (&error);

  /* A sparse file: 3 GiB of size, no disk, refused before any memory. */
  fd = g_open (big, O_WRONLY | O_CREAT, 0600);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (ftruncate (fd, (off_t) 3 << 30), ==, 0);
  close (fd);
  dataset = load_path (big, &error);
  g_assert_null (dataset);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_assert_cmpstr (error->message, ==,
                   "big.json: the file is 3.0\u00a0GiB; Chronomap reads files of at most 2 GiB");

  g_unlink (big);
  g_unlink (link);
  g_unlink (fifo);
  g_rmdir (dir);
}

/* CPU time of the whole process (the loader's threads included), in
 * microseconds: unlike the wall clock, other processes on a loaded
 * machine do not add to it. */
static double
process_cpu_us (void)
{
  struct timespec now;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &now);
  return now.tv_sec * 1e6 + now.tv_nsec / 1e3;
}

static double
time_load (GString *text,
           GError **error_out)
{
  double best = G_MAXDOUBLE;

  for (int run = 0; run < 3; run++)
    {
      g_autoptr(GBytes) bytes = g_bytes_new_static (text->str, text->len);
      g_autoptr(GError) error = NULL;
      g_autoptr(CmDataset) dataset = NULL;
      double start = process_cpu_us ();

      dataset = cm_loader_load_bytes (bytes, "hostile.json", NULL, &error);
      best = MIN (best, process_cpu_us () - start);
      if (run == 0 && error_out != NULL)
        *error_out = g_steal_pointer (&error);
    }

  return MAX (best, 1);
}

/* Each hostile case is refused (or read) with its message, in time of
 * the order of a plain file of the same size. The bound is a generous
 * ratio, never a time: a loaded machine slows both alike. `build-aux/dev
 * bench` reports the real ratio at 50 MB. */
static void
test_hostile (gconstpointer data)
{
  HostileCase case_ = GPOINTER_TO_UINT (data);
  const char *problem = hostile_case_problem (case_);
  g_autoptr(GString) text = hostile_generate (case_, 2 * 1024 * 1024);
  g_autoptr(GString) plain = hostile_plain (text->len);
  g_autoptr(GError) error = NULL;
  double hostile_us, plain_us;

  hostile_us = time_load (text, &error);
  plain_us = time_load (plain, NULL);

  if (problem == NULL)
    g_assert_no_error (error);
  else
    {
      g_assert_error (error, CM_LOADER_ERROR, CM_LOADER_ERROR_INVALID);
      g_assert_true (g_str_has_prefix (error->message, "hostile.json:"));
      if (strstr (error->message, problem) == NULL)
        g_error ("%s: \"%s\" not among the problems:\n%.2000s", hostile_case_name (case_), problem,
                 error->message);
    }

  g_test_message ("%s: %.1f ms, plain %.1f ms, ratio %.2f", hostile_case_name (case_),
                  hostile_us / 1000, plain_us / 1000, hostile_us / plain_us);
  g_assert_cmpfloat (hostile_us / plain_us, <=, 10);
}

static gint64
civil (gint64 year, int month, int day, int hour, int minute)
{
  return cm_time_from_civil (year, month, day, hour, minute, 0);
}

static void
test_valid (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CmDataset) dataset = load_fixture ("valid.json", &error);
  const CmEvent *talks, *year;
  g_autofree char *summary = NULL;
  const CmActor *rubio;
  const CmPeriod *period;
  const guint32 *refs;
  g_autofree CmQuote *quotes = NULL;
  const CmLink *links;
  g_autofree CmLink *sources = NULL;
  const guint32 *order;
  guint n;

  g_assert_no_error (error);
  g_assert_nonnull (dataset);
  g_assert_cmpstr (cm_dataset_get_title (dataset), ==, "Test dataset");
  g_assert_cmpstr (cm_dataset_get_description (dataset), ==, "Everything a valid file may hold.");
  g_assert_cmpuint (cm_dataset_get_n_events (dataset), ==, 4);
  g_assert_cmpuint (cm_dataset_get_n_actors (dataset), ==, 3);
  g_assert_cmpuint (cm_dataset_get_n_places (dataset), ==, 3);
  g_assert_cmpuint (cm_dataset_get_n_groups (dataset), ==, 2);
  g_assert_cmpuint (cm_dataset_get_n_periods (dataset), ==, 2);
  /* diplomacy, talks: each tag once, however many events carry it. */
  g_assert_cmpuint (cm_dataset_get_n_tags (dataset), ==, 2);
  g_assert_nonnull (cm_dataset_get_file (dataset));

  g_assert_cmphex (cm_dataset_get_group (dataset, 0)->color, ==, 0x1c71d8);
  g_assert_true (cm_dataset_get_group (dataset, 0)->has_color);
  g_assert_false (cm_dataset_get_group (dataset, 1)->has_color);

  rubio = cm_dataset_get_actor (dataset, cm_dataset_find_actor (dataset, "rubio"));
  g_assert_cmpstr (rubio->name, ==, "Marco Rubio");
  g_assert_cmpstr (rubio->role, ==, "US Secretary of State");
  g_assert_cmpint (rubio->kind, ==, CM_ACTOR_PERSON);
  g_assert_cmpuint (rubio->group, ==, cm_dataset_find_group (dataset, "us"));
  links = cm_dataset_get_actor_links (dataset, rubio, &n);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpstr (links[0].url, ==, "https://en.wikipedia.org/wiki/Marco_Rubio");
  g_assert_cmpint (cm_dataset_get_actor (dataset, cm_dataset_find_actor (dataset, "un"))->kind,
                   ==, CM_ACTOR_ORGANISATION);
  g_assert_cmpuint (cm_dataset_get_actor (dataset, cm_dataset_find_actor (dataset, "un"))->group,
                    ==, CM_NONE);

  g_assert_cmpfloat_with_epsilon (cm_dataset_get_place (dataset, 0)->lat, 24.7136, 1e-9);
  g_assert_cmpstr (cm_dataset_get_place (dataset, 1)->country, ==, "Türkiye");
  g_assert_null (cm_dataset_get_place (dataset, 2)->timezone);

  /* Multi-place, multi-actor; local times are in the first place's zone
   * (Riyadh, UTC+3). */
  talks = cm_dataset_get_event (dataset, cm_dataset_find_event (dataset, "riyadh-talks"));
  g_assert_cmpint (talks->start.seconds, ==, civil (2025, 2, 18, 7, 0));
  g_assert_cmpint (talks->start.offset, ==, 3 * 3600);
  g_assert_cmpint (talks->start.precision, ==, CM_PRECISION_MINUTE);
  g_assert_true (talks->has_end);
  g_assert_cmpint (talks->end.seconds, ==, civil (2025, 2, 18, 11, 30));
  refs = cm_dataset_get_event_places (dataset, talks, &n);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpstr (cm_dataset_get_place (dataset, refs[0])->id, ==, "riyadh");
  g_assert_cmpstr (cm_dataset_get_place (dataset, refs[1])->id, ==, "istanbul");
  refs = cm_dataset_get_event_actors (dataset, talks, &n);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpstr (cm_dataset_get_actor (dataset, refs[1])->id, ==, "lavrov");
  refs = cm_dataset_get_event_tags (dataset, talks, &n);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpstr (cm_dataset_get_tag (dataset, refs[0]), ==, "diplomacy");
  quotes = cm_dataset_dup_event_quotes (dataset, talks, &n);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpuint (quotes[0].actor, ==, cm_dataset_find_actor (dataset, "lavrov"));
  g_assert_cmpuint (quotes[1].actor, ==, CM_NONE);
  g_assert_cmpstr (quotes[1].text, ==, "Unattributed \"words\".");
  links = sources = cm_dataset_dup_event_sources (dataset, talks, &n);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpstr (links[1].title, ==, "Print only");
  g_assert_null (links[1].url);
  summary = cm_dataset_dup_event_summary (dataset, talks);
  g_assert_cmpstr (summary, ==, "The first meeting.");
  g_assert_cmpuint (cm_dataset_get_event_group (dataset, talks), ==,
                    cm_dataset_find_group (dataset, "us"));

  /* The same tag string in two events is one tag index. */
  year = cm_dataset_get_event (dataset, cm_dataset_find_event (dataset, "year"));
  refs = cm_dataset_get_event_tags (dataset, year, &n);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpstr (cm_dataset_get_tag (dataset, refs[0]), ==, "diplomacy");
  g_assert_false (year->has_end);
  g_assert_cmpint (year->start.precision, ==, CM_PRECISION_YEAR);
  /* "UN" has no group, so the event has none. */
  g_assert_cmpuint (cm_dataset_get_event_group (dataset, year), ==, CM_NONE);

  /* An explicit offset wins over any zone. */
  g_assert_cmpint (cm_dataset_get_event (dataset, 2)->start.seconds, ==,
                   civil (2022, 2, 24, 3, 0));

  /* Time order: invasion 2022, year 2024, riyadh 2025-02-18, istanbul. */
  order = cm_dataset_get_time_order (dataset);
  g_assert_cmpstr (cm_dataset_get_event (dataset, order[0])->id, ==, "invasion");
  g_assert_cmpstr (cm_dataset_get_event (dataset, order[1])->id, ==, "year");
  g_assert_cmpstr (cm_dataset_get_event (dataset, order[2])->id, ==, "riyadh-talks");
  g_assert_cmpstr (cm_dataset_get_event (dataset, order[3])->id, ==, "istanbul-talks");

  period = cm_dataset_get_period (dataset, 1);
  g_assert_null (period->id);
  g_assert_cmpstr (period->title, ==, "Talks");
  g_assert_true (period->has_end);
  g_assert_cmpint (period->end.precision, ==, CM_PRECISION_MONTH);
  g_assert_false (cm_dataset_get_period (dataset, 0)->has_end);
}

static void
test_sample (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "samples",
                                                 "riyadh-talks-2025.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(CmDataset) dataset = NULL;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("the sample dataset is not there");
      return;
    }

  dataset = cm_loader_load_file (file, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cm_dataset_get_n_events (dataset), >, 0);
  g_assert_cmpuint (cm_dataset_get_n_actors (dataset), >, 0);
}

static void
test_generated (void)
{
  gsize length;
  g_autofree char *json = cm_generator_json (2000, 50, 80, 6, 7, &length);
  g_autofree char *again = cm_generator_json (2000, 50, 80, 6, 7, NULL);
  g_autoptr(GBytes) bytes = g_bytes_new_static (json, length);
  g_autoptr(GError) error = NULL;
  g_autoptr(CmDataset) dataset = cm_loader_load_bytes (bytes, "generated.json", NULL, &error);

  g_assert_cmpstr (json, ==, again);
  g_assert_no_error (error);
  g_assert_cmpuint (cm_dataset_get_n_events (dataset), ==, 2000);
  g_assert_cmpuint (cm_dataset_get_n_actors (dataset), ==, 50);
  g_assert_cmpuint (cm_dataset_get_n_places (dataset), ==, 80);
  g_assert_cmpuint (cm_dataset_get_n_groups (dataset), ==, 6);
}

static void
test_pretty_and_compact_agree (void)
{
  /* Locations do not change the values: json-glib and this reader read
   * the same numbers and strings. */
  g_autoptr(GError) error = NULL;
  g_autoptr(CmDataset) dataset =
    load_text ("{\"chronomap\":1,\"places\":[{\"id\":\"p\",\"name\":\"P\",\"lat\":-33.8688,"
               "\"lon\":151.2093e0},{\"id\":\"q\",\"name\":\"\\u00e9\\ud83d\\ude00\","
               "\"lat\":1E1,\"lon\":-0.000001}],\"events\":[]}", "c.json", &error);

  g_assert_no_error (error);
  g_assert_cmpfloat (cm_dataset_get_place (dataset, 0)->lat, ==, -33.8688);
  g_assert_cmpfloat (cm_dataset_get_place (dataset, 0)->lon, ==, 151.2093);
  g_assert_cmpfloat (cm_dataset_get_place (dataset, 1)->lat, ==, 10.0);
  g_assert_cmpfloat (cm_dataset_get_place (dataset, 1)->lon, ==, -0.000001);
  g_assert_cmpstr (cm_dataset_get_place (dataset, 1)->name, ==, "é😀");
}

typedef struct
{
  GMainLoop *loop;
  CmDataset *dataset;
  GError    *error;
} AsyncResult;

static void
load_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  AsyncResult *out = user_data;

  out->dataset = cm_loader_load_file_finish (result, &out->error);
  g_main_loop_quit (out->loop);
}

static void
test_async (void)
{
  g_autofree char *path = fixture_path ("valid.json");
  g_autoptr(GFile) file = g_file_new_for_path (path);
  AsyncResult result = { g_main_loop_new (NULL, FALSE), NULL, NULL };

  cm_loader_load_file_async (file, NULL, load_cb, &result);
  g_main_loop_run (result.loop);

  g_assert_no_error (result.error);
  g_assert_cmpuint (cm_dataset_get_n_events (result.dataset), ==, 4);
  g_assert_true (g_file_equal (cm_dataset_get_file (result.dataset), file));
  g_object_unref (result.dataset);
  g_main_loop_unref (result.loop);
}

static void
test_async_error (void)
{
  g_autofree char *path = fixture_path ("wrong-type.json");
  g_autoptr(GFile) file = g_file_new_for_path (path);
  AsyncResult result = { g_main_loop_new (NULL, FALSE), NULL, NULL };

  cm_loader_load_file_async (file, NULL, load_cb, &result);
  g_main_loop_run (result.loop);

  g_assert_null (result.dataset);
  g_assert_error (result.error, CM_LOADER_ERROR, CM_LOADER_ERROR_INVALID);
  g_error_free (result.error);
  g_main_loop_unref (result.loop);
}

static void
test_cancel (void)
{
  gsize length;
  g_autofree char *json = cm_generator_json (20000, 100, 100, 5, 3, &length);
  g_autoptr(GBytes) bytes = g_bytes_new_static (json, length);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  AsyncResult result = { g_main_loop_new (NULL, FALSE), NULL, NULL };
  CmDataset *dataset;
  int fd;

  /* In the middle of parsing. */
  g_cancellable_cancel (cancellable);
  dataset = cm_loader_load_bytes (bytes, "big.json", cancellable, &error);
  g_assert_null (dataset);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  /* An async load cancelled right after it started. */
  fd = g_file_open_tmp ("chronomap-test-XXXXXX.json", &path, NULL);
  g_assert_cmpint (fd, >=, 0);
  close (fd);
  g_assert_true (g_file_set_contents (path, json, length, NULL));
  file = g_file_new_for_path (path);
  g_cancellable_reset (cancellable);
  cm_loader_load_file_async (file, cancellable, load_cb, &result);
  g_cancellable_cancel (cancellable);
  g_main_loop_run (result.loop);
  g_assert_null (result.dataset);
  g_assert_error (result.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_error_free (result.error);

  /* And not cancelled, the same file loads. */
  result.error = NULL;
  g_cancellable_reset (cancellable);
  cm_loader_load_file_async (file, cancellable, load_cb, &result);
  g_main_loop_run (result.loop);
  g_assert_no_error (result.error);
  g_assert_cmpuint (cm_dataset_get_n_events (result.dataset), ==, 20000);
  g_object_unref (result.dataset);

  g_main_loop_unref (result.loop);
  g_unlink (path);
}

typedef struct
{
  CmLoaderProgress *progress;
  gboolean          done;
  guint             n_building;
  double            last_fraction;
} ProgressWatch;

static void
progress_load_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  ProgressWatch *watch = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CmDataset) dataset = cm_loader_load_file_finish (result, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (cm_dataset_get_n_events (dataset), ==, 30000);
  watch->done = TRUE;
}

/* Progress goes forward while the worker reads the events, and ends in
 * the last phase. */
static gboolean
watch_progress_cb (gpointer user_data)
{
  ProgressWatch *watch = user_data;
  double fraction;
  CmLoaderPhase phase = cm_loader_progress_get (watch->progress, &fraction);

  g_assert_true (fraction == -1 || (fraction >= 0 && fraction <= 1));
  if (phase == CM_LOADER_PHASE_BUILDING && fraction >= 0)
    {
      g_assert_cmpfloat (fraction, >=, watch->last_fraction);
      watch->last_fraction = fraction;
      watch->n_building++;
    }
  if (phase == CM_LOADER_PHASE_READING)
    g_assert_cmpfloat (watch->last_fraction, ==, 0);

  return G_SOURCE_CONTINUE;
}

static void
test_progress (void)
{
  gsize length;
  g_autofree char *json = cm_generator_json (30000, 100, 100, 5, 3, &length);
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  ProgressWatch watch = { cm_loader_progress_new (), FALSE, 0, 0 };
  double fraction;
  guint id;
  int fd;

  g_assert_cmpint (cm_loader_progress_get (watch.progress, &fraction), ==,
                   CM_LOADER_PHASE_WAITING);
  g_assert_cmpfloat (fraction, ==, -1);

  fd = g_file_open_tmp ("chronomap-test-XXXXXX.json", &path, NULL);
  g_assert_cmpint (fd, >=, 0);
  close (fd);
  g_assert_true (g_file_set_contents (path, json, length, NULL));
  file = g_file_new_for_path (path);

  id = g_idle_add (watch_progress_cb, &watch);
  cm_loader_load_file_async_with_progress (file, watch.progress, NULL, progress_load_cb, &watch);
  while (!watch.done)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (id);

  /* The last report: sorting and indexing, which cannot tell a fraction. */
  g_assert_cmpint (cm_loader_progress_get (watch.progress, &fraction), ==,
                   CM_LOADER_PHASE_INDEXING);
  g_assert_cmpfloat (fraction, ==, -1);
  g_test_message ("%u reports seen while reading the events", watch.n_building);

  cm_loader_progress_unref (watch.progress);
  g_unlink (path);
}

static void
test_cli_validate (void)
{
  if (g_test_subprocess ())
    {
      g_autofree char *valid = fixture_path ("valid.json");
      g_autofree char *invalid = fixture_path ("wrong-type.json");
      const char *const paths[] = { valid, "/nonexistent/x.json", invalid, NULL };
      const char *const good[] = { valid, NULL };

      g_assert_cmpint (cm_cli_validate (good), ==, 0);
      g_assert_cmpint (cm_cli_validate (paths), ==, 1);
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("*/valid.json: ok: 4 events, 3 actors, 3 places, 2 groups, 2 periods\n"
                             "*/valid.json: ok: 4 events, 3 actors, 3 places, 2 groups, 2 periods\n"
                             "/nonexistent/x.json: cannot read: No such file or directory\n"
                             "*/wrong-type.json:4:26: events[0].title: expected a string, "
                             "found a number\n");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/loader/errors/syntax", test_syntax_error);
  g_test_add_func ("/loader/progress", test_progress);
  g_test_add_func ("/loader/errors/syntax-inline", test_syntax_errors_inline);
  g_test_add_func ("/loader/errors/wrong-type", test_wrong_type);
  g_test_add_func ("/loader/errors/missing-key", test_missing_key);
  g_test_add_func ("/loader/errors/duplicate-id", test_duplicate_id);
  g_test_add_func ("/loader/errors/unknown-actor", test_unknown_actor);
  g_test_add_func ("/loader/errors/unknown-place", test_unknown_place);
  g_test_add_func ("/loader/errors/unknown-group", test_unknown_group);
  g_test_add_func ("/loader/errors/unknown-quote-actor", test_unknown_quote_actor);
  g_test_add_func ("/loader/errors/impossible-date", test_impossible_date);
  g_test_add_func ("/loader/errors/end-before-start", test_end_before_start);
  g_test_add_func ("/loader/errors/lat-lon-range", test_lat_lon_range);
  g_test_add_func ("/loader/errors/non-finite", test_non_finite);
  g_test_add_func ("/loader/errors/unknown-version", test_unknown_version);
  g_test_add_func ("/loader/errors/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/loader/errors/deep-nesting", test_deep_nesting);
  g_test_add_func ("/loader/errors/bad-url", test_bad_url);
  g_test_add_func ("/loader/errors/unknown-timezone", test_unknown_timezone);
  g_test_add_func ("/loader/errors/many", test_many_errors);
  g_test_add_func ("/loader/errors/too-many", test_too_many_errors);
  g_test_add_func ("/loader/errors/schema-rules", test_schema_rules);
  g_test_add_func ("/loader/errors/unknown-format", test_unknown_format);
  g_test_add_func ("/loader/errors/io", test_io_errors);
  g_test_add_func ("/loader/errors/top-level", test_top_level);
  g_test_add_func ("/loader/errors/nul-escape", test_nul_escape);
  g_test_add_func ("/loader/errors/empty-events", test_empty_events);
  g_test_add_func ("/loader/errors/not-regular", test_not_regular);
  for (guint i = 0; i < HOSTILE_N_CASES; i++)
    {
      g_autofree char *path = g_strdup_printf ("/loader/hostile/%s", hostile_case_name (i));

      g_test_add_data_func (path, GUINT_TO_POINTER (i), test_hostile);
    }
  g_test_add_func ("/loader/valid", test_valid);
  g_test_add_func ("/loader/sample", test_sample);
  g_test_add_func ("/loader/generated", test_generated);
  g_test_add_func ("/loader/numbers-and-escapes", test_pretty_and_compact_agree);
  g_test_add_func ("/loader/async", test_async);
  g_test_add_func ("/loader/async-error", test_async_error);
  g_test_add_func ("/loader/cancel", test_cancel);
  g_test_add_func ("/loader/cli/validate", test_cli_validate);

  return g_test_run ();
}
