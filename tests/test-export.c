/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-test"

#include "config.h"

#include <signal.h>
#include <sys/wait.h>

#include <string.h>
#include <cairo.h>
#include <glib/gstdio.h>

#include "cm-export-cli.h"
#include "cm-exporter-private.h"
#include "cm-exporter.h"
#include "cm-loader.h"

/* Export without a display: option parsing, each format from the sample,
 * atomic writes, size limits, the command line. */

static char *
sample_path (void)
{
  return g_test_build_filename (G_TEST_DIST, "..", "data", "samples",
                                "riyadh-talks-2025.json", NULL);
}

static CmDataset *
load_sample (void)
{
  g_autofree char *path = sample_path ();
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  CmDataset *dataset = cm_loader_load_file (file, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (dataset);
  return dataset;
}

static gboolean
have_program (const char *name)
{
  g_autofree char *path = g_find_program_in_path (name);

  return path != NULL;
}

static char *
make_temp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("cm-export-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static void
remove_dir (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_dir (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static guint
count_entries (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  guint n = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

static void
export_to (CmDataset             *dataset,
           const CmExportOptions *options,
           const char            *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;

  g_assert_true (cm_exporter_write (dataset, options, file, NULL, &error));
  g_assert_no_error (error);
}

/* Options */

static void
test_options_defaults (void)
{
  g_auto(CmExportOptions) options = { 0, };
  double width, height;

  cm_export_options_init (&options);
  g_assert_cmpint (options.format, ==, CM_EXPORT_FORMAT_PNG);
  g_assert_cmpint (options.width, ==, 2400);
  g_assert_cmpint (options.height, ==, 1200);
  g_assert_cmpint (options.scale, ==, 1);
  g_assert_true (options.show_title);
  g_assert_true (options.show_legend);
  g_assert_false (options.has_from);
  g_assert_true (cm_export_options_validate (&options, NULL));

  /* A PDF with no size asked for is A4 landscape. */
  options.format = CM_EXPORT_FORMAT_PDF;
  cm_export_options_get_page_size (&options, &width, &height);
  g_assert_cmpfloat_with_epsilon (width, 841.89, 0.01);
  g_assert_cmpfloat_with_epsilon (height, 595.28, 0.01);
}

static void
test_options_values (void)
{
  g_auto(CmExportOptions) options = { 0, };
  g_autoptr(GError) error = NULL;
  double width, height;

  cm_export_options_init (&options);
  g_assert_true (cm_export_options_set (&options, "--width", "800", &error));
  g_assert_true (cm_export_options_set (&options, "--height", "600", &error));
  g_assert_true (cm_export_options_set (&options, "--scale", "2", &error));
  g_assert_true (cm_export_options_set (&options, "--from", "2025-02", &error));
  g_assert_true (cm_export_options_set (&options, "--to", "2025-02", &error));
  g_assert_true (cm_export_options_set (&options, "--theme", "Dark", &error));
  g_assert_true (cm_export_options_set (&options, "--lanes", "actor", &error));
  g_assert_true (cm_export_options_set (&options, "--layout", "timeline+map", &error));
  g_assert_true (cm_export_options_set (&options, "--title", "Talks", &error));
  g_assert_true (cm_export_options_set (&options, "--legend", "off", &error));
  g_assert_no_error (error);

  g_assert_cmpint (options.width, ==, 800);
  g_assert_cmpint (options.height, ==, 600);
  g_assert_cmpint (options.scale, ==, 2);
  g_assert_true (options.has_from && options.has_to);
  g_assert_cmpint (options.from, ==, cm_time_from_civil (2025, 2, 1, 0, 0, 0));
  /* --to names a month: all of it is included. */
  g_assert_cmpint (options.to, ==, cm_time_from_civil (2025, 3, 1, 0, 0, 0));
  g_assert_cmpint (options.theme, ==, CM_EXPORT_THEME_DARK);
  g_assert_cmpint (options.lanes, ==, CM_LANE_MODE_ACTOR);
  g_assert_cmpint (options.layout, ==, CM_EXPORT_LAYOUT_TIMELINE_MAP);
  g_assert_cmpstr (options.title, ==, "Talks");
  g_assert_false (options.show_legend);
  g_assert_true (cm_export_options_validate (&options, &error));

  /* An empty title turns the title line off. */
  g_assert_true (cm_export_options_set (&options, "--title", "", &error));
  g_assert_false (options.show_title);

  g_assert_true (cm_export_options_set (&options, "--format", "pdf", &error));
  g_assert_true (cm_export_options_set (&options, "--paper", "letter", &error));
  g_assert_true (cm_export_options_set (&options, "--orientation", "portrait", &error));
  cm_export_options_get_page_size (&options, &width, &height);
  g_assert_cmpfloat (width, ==, 612);
  g_assert_cmpfloat (height, ==, 792);
}

static void
test_options_errors (void)
{
  static const struct
  {
    const char *option;
    const char *value;
    int         code;
    const char *message;   /* exact, or a prefix when it ends in "*" */
  } cases[] = {
    { "--width", "abc", CM_EXPORT_ERROR_INVALID_OPTION, "--width: \"abc\" is not a number" },
    { "--height", "12px", CM_EXPORT_ERROR_INVALID_OPTION, "--height: \"12px\" is not a number" },
    { "--width", "", CM_EXPORT_ERROR_INVALID_OPTION, "--width: \"\" is not a number" },
    { "--width", "10", CM_EXPORT_ERROR_INVALID_OPTION,
      "--width: 10 is too small; the smallest is 200" },
    { "--width", "-5", CM_EXPORT_ERROR_INVALID_OPTION,
      "--width: -5 is too small; the smallest is 200" },
    { "--height", "99999999999", CM_EXPORT_ERROR_TOO_LARGE,
      "--height: 99999999999 is beyond the 32767 that any export supports" },
    { "--scale", "3", CM_EXPORT_ERROR_INVALID_OPTION, "--scale must be 1 or 2, not \"3\"" },
    { "--scale", "1.5", CM_EXPORT_ERROR_INVALID_OPTION, "--scale must be 1 or 2, not \"1.5\"" },
    { "--from", "2025-13", CM_EXPORT_ERROR_INVALID_OPTION, "--from: \"2025-13\" is not a date: *" },
    { "--from", "2025-02-30", CM_EXPORT_ERROR_INVALID_OPTION,
      "--from: \"2025-02-30\" is not a date: February 2025 has 28 days" },
    { "--to", "yesterday", CM_EXPORT_ERROR_INVALID_OPTION,
      "--to: \"yesterday\" is not a date: *" },
    { "--theme", "blue", CM_EXPORT_ERROR_INVALID_OPTION,
      "--theme: \"blue\" is not a theme; use light or dark" },
    { "--lanes", "tag", CM_EXPORT_ERROR_INVALID_OPTION,
      "--lanes: \"tag\" is not a lane mode; use group, actor, place or none" },
    { "--layout", "poster", CM_EXPORT_ERROR_INVALID_OPTION,
      "--layout: \"poster\" is not a layout; use timeline, timeline+map or map" },
    { "--format", "gif", CM_EXPORT_ERROR_INVALID_OPTION,
      "--format: \"gif\" is not a format; use png, svg or pdf" },
    { "--paper", "b5", CM_EXPORT_ERROR_INVALID_OPTION,
      "--paper: \"b5\" is not a paper size; use none, a4, a3 or letter" },
    { "--orientation", "upside-down", CM_EXPORT_ERROR_INVALID_OPTION,
      "--orientation: \"upside-down\" is not an orientation; use portrait or landscape" },
    { "--legend", "maybe", CM_EXPORT_ERROR_INVALID_OPTION,
      "--legend: \"maybe\" is not on or off*" },
    { "--title", "\xff\xfe", CM_EXPORT_ERROR_INVALID_OPTION,
      "--title: the text is not valid UTF-8" },
    { "--colour", "red", CM_EXPORT_ERROR_INVALID_OPTION, "--colour: unknown export option" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(CmExportOptions) options = { 0, };
      g_auto(CmExportOptions) before = { 0, };
      g_autoptr(GError) error = NULL;
      gsize prefix = strlen (cases[i].message);

      cm_export_options_init (&options);
      cm_export_options_copy (&options, &before);

      g_assert_false (cm_export_options_set (&options, cases[i].option, cases[i].value, &error));
      g_assert_error (error, CM_EXPORT_ERROR, cases[i].code);
      if (cases[i].message[prefix - 1] == '*')
        {
          g_assert_cmpint (strncmp (error->message, cases[i].message, prefix - 1), ==, 0);
          g_assert_cmpuint (strlen (error->message), >, prefix);
        }
      else
        g_assert_cmpstr (error->message, ==, cases[i].message);

      /* A refused value changes nothing. */
      g_assert_cmpint (options.width, ==, before.width);
      g_assert_cmpint (options.scale, ==, before.scale);
      g_assert_cmpint (options.has_from, ==, before.has_from);
      g_assert_cmpint (options.theme, ==, before.theme);
    }
}

static void
test_options_output (void)
{
  g_auto(CmExportOptions) options = { 0, };
  g_autoptr(GError) error = NULL;

  cm_export_options_init (&options);
  g_assert_true (cm_export_options_set_output (&options, "/tmp/a.b/Talks.PDF", &error));
  g_assert_cmpint (options.format, ==, CM_EXPORT_FORMAT_PDF);
  g_assert_true (cm_export_options_set_output (&options, "out.svg", &error));
  g_assert_cmpint (options.format, ==, CM_EXPORT_FORMAT_SVG);

  g_assert_false (cm_export_options_set_output (&options, "/tmp/out.gif", &error));
  g_assert_error (error, CM_EXPORT_ERROR, CM_EXPORT_ERROR_UNKNOWN_FORMAT);
  g_assert_cmpstr (error->message, ==,
                   "out.gif: unknown format; use .png, .svg or .pdf or --format");
  g_clear_error (&error);

  g_assert_false (cm_export_options_set_output (&options, "/tmp/png", &error));
  g_assert_error (error, CM_EXPORT_ERROR, CM_EXPORT_ERROR_UNKNOWN_FORMAT);
  g_clear_error (&error);

  /* --format wins over the extension. */
  g_assert_true (cm_export_options_set (&options, "--format", "png", &error));
  g_assert_true (cm_export_options_set_output (&options, "out.gif", &error));
  g_assert_cmpint (options.format, ==, CM_EXPORT_FORMAT_PNG);
}

static void
test_options_validate (void)
{
  static const struct
  {
    CmExportFormat format;
    int            width;
    int            height;
    int            scale;
    const char    *message;
  } cases[] = {
    { CM_EXPORT_FORMAT_PNG, 40000, 1000, 1,
      "width 40000 px is beyond the 32767 px that PNG export supports" },
    { CM_EXPORT_FORMAT_PNG, 1000, 33000, 1,
      "height 33000 px is beyond the 32767 px that PNG export supports" },
    { CM_EXPORT_FORMAT_PNG, 20000, 1000, 2,
      "width 20000 px at scale 2 (40000 px) is beyond the 32767 px that PNG export supports" },
    { CM_EXPORT_FORMAT_PDF, 20000, 1000, 1,
      "width 20000 pt is beyond the 14400 pt that a PDF page supports" },
    { CM_EXPORT_FORMAT_SVG, 1000, 40000, 1,
      "height 40000 px is beyond the 32767 px that SVG export supports" },
  };
  g_auto(CmExportOptions) options = { 0, };
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      cm_export_options_init (&options);
      options.format = cases[i].format;
      options.width = cases[i].width;
      options.height = cases[i].height;
      options.size_set = TRUE;
      options.scale = cases[i].scale;
      g_assert_false (cm_export_options_validate (&options, &error));
      g_assert_error (error, CM_EXPORT_ERROR, CM_EXPORT_ERROR_TOO_LARGE);
      g_assert_cmpstr (error->message, ==, cases[i].message);
      g_clear_error (&error);
    }

  /* The largest PNG side is allowed; scale 2 of 16383 too. */
  cm_export_options_init (&options);
  options.width = 32767;
  g_assert_true (cm_export_options_validate (&options, &error));
  options.width = 16383;
  options.scale = 2;
  g_assert_true (cm_export_options_validate (&options, &error));

  cm_export_options_init (&options);
  g_assert_true (cm_export_options_set (&options, "--from", "2025-03", &error));
  g_assert_true (cm_export_options_set (&options, "--to", "2025-02", &error));
  g_assert_false (cm_export_options_validate (&options, &error));
  g_assert_error (error, CM_EXPORT_ERROR, CM_EXPORT_ERROR_INVALID_OPTION);
  g_assert_cmpstr (error->message, ==, "--from must be before --to");
}

/* PNG */

static guint32
crc32_of (const guchar *data,
          gsize         length)
{
  guint32 crc = 0xffffffffu;

  for (gsize i = 0; i < length; i++)
    {
      crc ^= data[i];
      for (int k = 0; k < 8; k++)
        crc = (crc >> 1) ^ (0xedb88320u & -(crc & 1));
    }
  return ~crc;
}

static guint32
read_be32 (const guchar *p)
{
  return (guint32) p[0] << 24 | (guint32) p[1] << 16 | (guint32) p[2] << 8 | p[3];
}

/* The pHYs chunk right after IHDR, with a correct CRC. */
static guint32
png_pixels_per_metre (const char *path)
{
  g_autofree char *data = NULL;
  gsize length;
  const guchar *chunk;

  g_assert_true (g_file_get_contents (path, &data, &length, NULL));
  g_assert_cmpuint (length, >, 33 + 21);
  chunk = (const guchar *) data + 33;
  g_assert_cmpuint (read_be32 (chunk), ==, 9);
  g_assert_cmpmem (chunk + 4, 4, "pHYs", 4);
  g_assert_cmpuint (read_be32 (chunk + 17), ==, crc32_of (chunk + 4, 13));
  g_assert_cmpuint (read_be32 (chunk + 8), ==, read_be32 (chunk + 12));
  g_assert_cmpuint (chunk[16], ==, 1);

  /* Every chunk's CRC is right, up to IEND at the very end. */
  for (gsize p = 8; p < length;)
    {
      guint32 n = read_be32 ((const guchar *) data + p);

      g_assert_cmpuint (p + 12 + n, <=, length);
      g_assert_cmpuint (read_be32 ((const guchar *) data + p + 8 + n), ==,
                        crc32_of ((const guchar *) data + p + 4, n + 4));
      if (memcmp (data + p + 4, "IEND", 4) == 0)
        g_assert_cmpuint (p + 12, ==, length);
      p += 12 + n;
    }

  return read_be32 (chunk + 8);
}

typedef struct
{
  guint  n_colors;
  double variance;
} ImageStats;

static void
image_stats (cairo_surface_t *surface,
             ImageStats      *stats)
{
  g_autoptr(GHashTable) colors = g_hash_table_new (NULL, NULL);
  int width = cairo_image_surface_get_width (surface);
  int height = cairo_image_surface_get_height (surface);
  int stride = cairo_image_surface_get_stride (surface);
  const guchar *data = cairo_image_surface_get_data (surface);
  double sum = 0, sum2 = 0;
  guint n = 0;

  for (int y = 0; y < height; y += 2)
    for (int x = 0; x < width; x += 2)
      {
        guint32 pixel = *(const guint32 *) (data + y * stride + x * 4) & 0xffffff;
        double lum = ((pixel >> 16) & 0xff) * 0.3 + ((pixel >> 8) & 0xff) * 0.59 +
                     (pixel & 0xff) * 0.11;

        if (g_hash_table_size (colors) < 100000)
          g_hash_table_add (colors, GUINT_TO_POINTER (pixel + 1));
        sum += lum;
        sum2 += lum * lum;
        n++;
      }

  stats->n_colors = g_hash_table_size (colors);
  stats->variance = sum2 / n - (sum / n) * (sum / n);
}

/* The file decodes (here through cairo's reader, libpng) to exactly the
 * pixels the page draws: the encoder's filler and byte-order handling
 * lose nothing. */
static void
assert_same_pixels (cairo_surface_t       *decoded,
                    CmDataset             *dataset,
                    const CmExportOptions *options)
{
  g_autoptr(GError) error = NULL;
  cairo_surface_t *drawn = cm_exporter_render_image (dataset, options, 0, NULL, &error);
  int width = cairo_image_surface_get_width (drawn);
  int height = cairo_image_surface_get_height (drawn);
  guint n_different = 0;

  g_assert_no_error (error);
  g_assert_cmpint (cairo_image_surface_get_width (decoded), ==, width);
  g_assert_cmpint (cairo_image_surface_get_height (decoded), ==, height);
  for (int y = 0; y < height; y++)
    {
      const guint32 *a = (const guint32 *) (cairo_image_surface_get_data (decoded) +
                                            y * cairo_image_surface_get_stride (decoded));
      const guint32 *b = (const guint32 *) (cairo_image_surface_get_data (drawn) +
                                            y * cairo_image_surface_get_stride (drawn));

      for (int x = 0; x < width; x++)
        n_different += (a[x] & 0xffffff) != (b[x] & 0xffffff);
    }
  g_assert_cmpuint (n_different, ==, 0);
  cairo_surface_destroy (drawn);
}

/* The iTXt chunk holds the page's title, uncompressed. */
static void
assert_png_title (const char *path,
                  const char *title)
{
  g_autofree char *data = NULL;
  g_autofree char *expected = g_strdup_printf ("iTXtTitle%c%c%c%c%c%s", 0, 0, 0, 0, 0, title);
  gsize length, expected_length = 4 + 5 + 5 + strlen (title);
  gboolean found = FALSE;

  g_assert_true (g_file_get_contents (path, &data, &length, NULL));
  for (gsize i = 0; i + expected_length <= length && !found; i++)
    found = memcmp (data + i, expected, expected_length) == 0;
  g_assert_true (found);
}

static void
test_png_sample (void)
{
  g_autoptr(CmDataset) dataset = load_sample ();
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "talks.png", NULL);
  g_autofree char *path2 = g_build_filename (dir, "talks@2.png", NULL);
  g_auto(CmExportOptions) options = { 0, };
  cairo_surface_t *surface;
  ImageStats stats;

  cm_export_options_init (&options);
  options.width = 1200;
  options.height = 600;
  options.format = CM_EXPORT_FORMAT_PNG;
  export_to (dataset, &options, path);

  surface = cairo_image_surface_create_from_png (path);
  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (surface), ==, 1200);
  g_assert_cmpint (cairo_image_surface_get_height (surface), ==, 600);
  image_stats (surface, &stats);
  /* Text antialiasing, the groups' colours, lanes: far more than a blank
   * page or a single fill. */
  g_assert_cmpuint (stats.n_colors, >, 50);
  g_assert_cmpfloat (stats.variance, >, 100);
  assert_same_pixels (surface, dataset, &options);
  cairo_surface_destroy (surface);
  /* 96 dpi */
  g_assert_cmpuint (png_pixels_per_metre (path), ==, 3780);
  assert_png_title (path, "US–Russia talks in Riyadh, February 2025");

  options.scale = 2;
  export_to (dataset, &options, path2);
  surface = cairo_image_surface_create_from_png (path2);
  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (surface), ==, 2400);
  g_assert_cmpint (cairo_image_surface_get_height (surface), ==, 1200);
  cairo_surface_destroy (surface);
  g_assert_cmpuint (png_pixels_per_metre (path2), ==, 7559);

  remove_dir (dir);
}

static void
test_png_themes_differ (void)
{
  g_autoptr(CmDataset) dataset = load_sample ();
  g_auto(CmExportOptions) options = { 0, };
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) light = NULL;
  g_autoptr(GBytes) dark = NULL;
  cairo_surface_t *image;
  guint32 corner;

  cm_export_options_init (&options);
  options.width = 800;
  options.height = 400;
  light = cm_exporter_render_png (dataset, &options, NULL, &error);
  g_assert_no_error (error);
  options.theme = CM_EXPORT_THEME_DARK;
  dark = cm_exporter_render_png (dataset, &options, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (g_bytes_equal (light, dark));

  /* The dark page's background is dark. */
  image = cm_exporter_render_image (dataset, &options, 1, NULL, &error);
  g_assert_no_error (error);
  corner = *(guint32 *) cairo_image_surface_get_data (image);
  g_assert_cmpuint ((corner >> 16) & 0xff, <, 100);
  cairo_surface_destroy (image);
}

/* SVG */

static gboolean
run_tool (const char * const *argv,
          char              **out)
{
  g_autoptr(GError) error = NULL;
  int status = -1;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, out, NULL, &status, &error))
    {
      g_test_message ("cannot run %s: %s", argv[0], error->message);
      return FALSE;
    }

  return g_spawn_check_wait_status (status, NULL);
}

static void
test_svg_sample (void)
{
  g_autoptr(CmDataset) dataset = load_sample ();
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "talks.svg", NULL);
  g_auto(CmExportOptions) options = { 0, };
  g_autofree char *svg = NULL;
  g_autoptr(GMarkupParseContext) parser = NULL;
  g_autoptr(GError) error = NULL;
  static const GMarkupParser no_callbacks = { 0, };
  guint n_found = 0;
  const char *xmllint[] = { "xmllint", "--noout", path, NULL };

  cm_export_options_init (&options);
  options.format = CM_EXPORT_FORMAT_SVG;
  /* 4:3: the page is read at about 23 x 17 cm, with room for the rows. */
  options.width = 1600;
  options.height = 1200;
  g_assert_true (cm_export_options_set (&options, "--from", "2025-02-11", &error));
  g_assert_true (cm_export_options_set (&options, "--to", "2025-02-19", &error));
  export_to (dataset, &options, path);

  g_assert_true (g_file_get_contents (path, &svg, NULL, NULL));
  g_assert_true (g_str_has_prefix (svg, "<?xml"));
  g_assert_nonnull (strstr (svg, "<svg"));
  g_assert_nonnull (strstr (svg, "width=\"1600px\""));
  /* The subtitle: the events' dates, cut by the range. */
  g_assert_nonnull (strstr (svg, "16 events · 11 Feb 2025 – 19 Feb 2025"));

  /* Well-formed XML: by GMarkup here, and by xmllint when installed. */
  parser = g_markup_parse_context_new (&no_callbacks, 0, NULL, NULL);
  g_assert_true (g_markup_parse_context_parse (parser, svg, -1, &error) &&
                 g_markup_parse_context_end_parse (parser, &error));
  g_assert_no_error (error);
  if (have_program ("xmllint"))
    g_assert_true (run_tool (xmllint, NULL));

  /* cairo writes glyphs as outlines, so the text is also in <title> and
   * <desc>: the words on the page, for search and screen readers. */
  g_assert_nonnull (strstr (svg, "<title>US–Russia talks in Riyadh, February 2025</title>"));
  g_assert_nonnull (strstr (svg, "<use xlink:href=\"#glyph"));
  for (guint i = 0; i < cm_dataset_get_n_events (dataset); i++)
    {
      const CmEvent *event = cm_dataset_get_event (dataset, i);
      g_autofree char *escaped = g_markup_escape_text (event->title, -1);

      if (strstr (svg, escaped) != NULL)
        n_found++;
    }
  /* The events of these days whose label the timeline places (others are
   * counted in "+N" badges, as on screen). */
  g_test_message ("%u event titles found in the SVG", n_found);
  g_assert_cmpuint (n_found, >=, 5);
  g_assert_nonnull (strstr (svg, "US and Russian delegations meet in Riyadh"));
  /* Events outside the range are not on the page. */
  g_assert_null (strstr (svg, "Russia invades Ukraine"));

  remove_dir (dir);
}

/* An image of no asked-for size is as tall as its lanes need: the
 * sample's default picture labels every event of its busiest day. */
static void
test_default_size_labels_all (void)
{
  g_autoptr(CmDataset) dataset = load_sample ();
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "talks.svg", NULL);
  g_autofree char *sized_path = g_build_filename (dir, "sized.svg", NULL);
  g_auto(CmExportOptions) options = { 0, };
  g_auto(CmExportOptions) sized = { 0, };
  g_autofree char *svg = NULL;
  g_autofree char *sized_svg = NULL;
  g_autoptr(GError) error = NULL;
  const char *height;
  double page_height;

  cm_export_options_init (&options);
  options.format = CM_EXPORT_FORMAT_SVG;
  export_to (dataset, &options, path);
  g_assert_true (g_file_get_contents (path, &svg, NULL, NULL));
  height = strstr (svg, "height=\"");
  g_assert_nonnull (height);
  page_height = g_ascii_strtod (height + strlen ("height=\""), NULL);
  g_assert_cmpfloat (page_height, >, CM_EXPORT_DEFAULT_HEIGHT);
  g_assert_cmpfloat (page_height, <=, 2 * CM_EXPORT_DEFAULT_HEIGHT);
  for (guint i = 0; i < cm_dataset_get_n_events (dataset); i++)
    {
      g_autofree char *escaped = g_markup_escape_text (cm_dataset_get_event (dataset, i)->title,
                                                       -1);

      g_assert_nonnull (strstr (svg, escaped));
    }

  /* An asked-for size is kept as it is. */
  cm_export_options_init (&sized);
  sized.format = CM_EXPORT_FORMAT_SVG;
  g_assert_true (cm_export_options_set (&sized, "--height", "1200", &error));
  g_assert_no_error (error);
  export_to (dataset, &sized, sized_path);
  g_assert_true (g_file_get_contents (sized_path, &sized_svg, NULL, NULL));
  g_assert_nonnull (strstr (sized_svg, "height=\"1200px\""));

  remove_dir (dir);
}

/* PDF */

static void
test_pdf_sample (void)
{
  g_autoptr(CmDataset) dataset = load_sample ();
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "talks.pdf", NULL);
  g_auto(CmExportOptions) options = { 0, };
  g_autofree char *text = NULL;
  g_autofree char *pdf = NULL;
  gsize length;
  const char *pdftotext[] = { "pdftotext", "-layout", path, "-", NULL };
  const char *pdftotext_raw[] = { "pdftotext", path, "-", NULL };
  const char *pdfinfo[] = { "pdfinfo", path, NULL };
  g_autofree char *info = NULL;

  cm_export_options_init (&options);
  options.format = CM_EXPORT_FORMAT_PDF;
  export_to (dataset, &options, path);

  g_assert_true (g_file_get_contents (path, &pdf, &length, NULL));
  g_assert_true (g_str_has_prefix (pdf, "%PDF-"));

  if (!have_program ("pdftotext"))
    {
      g_test_skip ("pdftotext (poppler-utils) is not installed");
      remove_dir (dir);
      return;
    }
  /* A4 landscape, read by poppler: cairo 1.18 writes the page dictionary
   * into a compressed object stream, so its bytes cannot be searched. */
  g_assert_true (run_tool (pdfinfo, &info));
  g_assert_nonnull (strstr (info, "841.89 x 595.28 pts (A4)"));
  g_assert_true (run_tool (pdftotext, &text));
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, "Riyadh"));
  g_assert_nonnull (strstr (text, "US–Russia talks in Riyadh, February 2025"));
  g_assert_nonnull (strstr (text, "United States"));
  /* The subtitle ends with the data's last month, not the axis's. */
  g_assert_nonnull (strstr (text, "19 events · Dec 2021 – Feb 2025"));
  /* A4 read at its size: every event's title is on the page in full. */
  g_free (text);
  text = NULL;
  g_assert_true (run_tool (pdftotext_raw, &text));
  for (char *c = text; *c != '\0'; c++)
    if (*c == '\n')
      *c = ' ';
  for (guint i = 0; i < cm_dataset_get_n_events (dataset); i++)
    {
      const char *title = cm_dataset_get_event (dataset, i)->title;

      if (strstr (text, title) == NULL)
        g_test_message ("not in full on the page: %s", title);
      g_assert_nonnull (strstr (text, title));
    }

  remove_dir (dir);
}

/* The page: type sizes, subtitle, source line */

/* Draws a page as the PNG writer would, keeping its texts. */
static CmExportPageInfo
draw_page (CmDataset             *dataset,
           const CmExportOptions *options,
           GPtrArray             *texts)
{
  CmExportPageInfo info = { texts, };
  g_autoptr(GError) error = NULL;
  double width, height;
  cairo_surface_t *surface;
  cairo_t *cr;

  cm_export_options_get_page_size (options, &width, &height);
  surface = cairo_recording_surface_create (CAIRO_CONTENT_COLOR, NULL);
  cr = cairo_create (surface);
  g_assert_true (_cm_export_page_draw (dataset, options, cr, width, height, &info, NULL, NULL,
                                       NULL, &error));
  g_assert_no_error (error);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);

  return info;
}

/* Whether one of @texts is @text, or with @part, contains it. */
static gboolean
find_text (GPtrArray  *texts,
           const char *text,
           gboolean    part)
{
  for (guint i = 0; i < texts->len; i++)
    {
      const char *t = g_ptr_array_index (texts, i);

      if (part ? strstr (t, text) != NULL : g_str_equal (t, text))
        return TRUE;
    }
  return FALSE;
}

static gboolean
has_text (GPtrArray  *texts,
          const char *text)
{
  return find_text (texts, text, FALSE);
}

/* Text is sized for the page as it is read: an image (or a PDF with no
 * paper size) as a graphic about 20 cm wide, so the default 2400 px page
 * has 9 pt text at 2400 px / 20 cm; a paper page at its real size. No
 * text on the page, the timeline's included, is smaller. */
static void
test_page_text_sizes (void)
{
  g_autoptr(CmDataset) dataset = load_sample ();
  g_auto(CmExportOptions) options = { 0, };
  /* 20 cm is 567 pt: a point of a 2400 px image read at that width. */
  double point_2400 = 2400 / (20 / 2.54 * 72);
  CmExportPageInfo info;
  double min_2400;

  cm_export_options_init (&options);
  g_assert_cmpint (options.width, ==, 2400);
  g_assert_cmpint (options.height, ==, 1200);
  info = draw_page (dataset, &options, NULL);
  g_assert_cmpfloat (info.point, >=, point_2400 * 0.95);
  g_test_message ("2400 x 1200: smallest text %.1f px, 9 pt is %.1f px",
                  info.min_text_size, 9 * point_2400);
  g_assert_cmpfloat (info.min_text_size, >=, 9 * point_2400 * 0.98);
  /* The whole story fits: every lane. */
  g_assert_cmpuint (info.n_lanes_shown, ==, info.n_lanes);
  min_2400 = info.min_text_size;

  /* Twice the size, twice the text: the same picture, sharper. */
  options.width = 4800;
  options.height = 2400;
  info = draw_page (dataset, &options, NULL);
  g_assert_cmpfloat_with_epsilon (info.min_text_size / min_2400, 2.0, 0.05);

  /* A small image never goes below the window's own text (10 pt at 96 dpi). */
  options.width = 600;
  options.height = 400;
  info = draw_page (dataset, &options, NULL);
  g_assert_cmpfloat (info.min_text_size, >=, 9 * 96.0 / 72.0 * 0.98);

  /* A4 is read at its size: 9 pt is 9 PDF units. */
  options.format = CM_EXPORT_FORMAT_PDF;
  options.paper = CM_EXPORT_PAPER_A4;
  info = draw_page (dataset, &options, NULL);
  g_assert_cmpfloat (info.point, ==, 1.0);
  g_assert_cmpfloat (info.min_text_size, >=, 9 * 0.98);
  g_assert_cmpfloat (info.min_text_size, <, 12);
}

/* Beside the map or above it, every lane of the timeline is on the page:
 * with 9 pt type the lanes, not the map, decide where the map goes. */
static void
test_page_map_keeps_lanes (void)
{
  g_autoptr(CmDataset) dataset = load_sample ();
  g_auto(CmExportOptions) options = { 0, };
  const int sizes[][2] = { { 2400, 1200 }, { 1600, 1600 }, { 1200, 1800 } };

  cm_export_options_init (&options);
  options.layout = CM_EXPORT_LAYOUT_TIMELINE_MAP;
  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      CmExportPageInfo info;

      options.width = sizes[i][0];
      options.height = sizes[i][1];
      info = draw_page (dataset, &options, NULL);
      g_assert_true (info.has_map);
      g_assert_cmpuint (info.n_lanes, ==, 4);
      g_assert_cmpuint (info.n_lanes_shown, ==, info.n_lanes);
    }
}

/* The subtitle gives the count and the first and last dates of the data
 * on the page, not the axis's range; the source line the events'
 * sources, the dataset when the headline is another, and the map's. */
static void
test_page_subtitle_and_sources (void)
{
  g_autoptr(CmDataset) dataset = load_sample ();
  g_auto(CmExportOptions) options = { 0, };
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  const char *source = "Source: Russia and US agree to form negotiation teams on Ukraine war "
                       "(news report, AFP).";
  g_autofree char *last = NULL;
  g_autofree char *expected = NULL;
  const CmTime *latest = NULL;

  /* The data's last date, as the data gives it. */
  for (guint i = 0; i < cm_dataset_get_n_events (dataset); i++)
    {
      const CmEvent *event = cm_dataset_get_event (dataset, i);

      if (latest == NULL || cm_time_get_end (&event->end) > cm_time_get_end (latest))
        latest = &event->end;
    }
  last = cm_time_format_short (latest);
  g_assert_true (g_str_has_suffix (last, "Feb 2025"));
  expected = g_strdup_printf ("19 events · Dec 2021 – %s", last);

  cm_export_options_init (&options);
  draw_page (dataset, &options, texts);
  g_assert_true (has_text (texts, "US–Russia talks in Riyadh, February 2025"));
  g_assert_true (has_text (texts, expected));
  g_assert_true (has_text (texts, source));
  /* The key explains what the page draws that is not obvious: month and
   * day dates drawn as pale spans, the war's period with no end. With
   * lanes by group, their labels name the colours: no second list. */
  g_assert_true (has_text (texts, "Imprecise date"));
  g_assert_true (has_text (texts, "No end date"));
  {
    guint n_named = 0;

    for (guint i = 0; i < texts->len; i++)
      n_named += g_str_equal (g_ptr_array_index (texts, i), "European states");
    g_assert_cmpuint (n_named, ==, 1);
  }
  /* The ticks' span is not the subtitle. */
  for (guint i = 0; i < texts->len; i++)
    g_assert_null (strstr (g_ptr_array_index (texts, i), "1 Dec 2021"));

  /* Lanes by actor: the key gives the groups' colours. */
  g_ptr_array_set_size (texts, 0);
  options.lanes = CM_LANE_MODE_ACTOR;
  draw_page (dataset, &options, texts);
  g_assert_true (has_text (texts, "European states"));
  options.lanes = CM_LANE_MODE_GROUP;

  /* Another headline: the dataset is credited; with a map, the map too. */
  g_ptr_array_set_size (texts, 0);
  options.title = g_strdup ("Talks");
  options.layout = CM_EXPORT_LAYOUT_TIMELINE_MAP;
  draw_page (dataset, &options, texts);
  g_assert_true (has_text (texts, "Source: Russia and US agree to form negotiation teams on "
                                  "Ukraine war (news report, AFP). Data: US–Russia talks in "
                                  "Riyadh, February 2025. Map data: Natural Earth."));
}

/* The legend and the source line name only what the page draws. An
 * undated event is in no lane: a page with a range (any page with a
 * timeline) leaves it out, on the map too; a map of undated events alone
 * draws those with a place, and credits only them. */
#define MIXED_HEAD \
  "{\"chronomap\": 1, \"title\": \"Mixed\"," \
  " \"groups\": [{\"id\": \"d\", \"name\": \"Dated side\"}," \
  "  {\"id\": \"u\", \"name\": \"Undated side\"}," \
  "  {\"id\": \"m\", \"name\": \"Mapped side\"}]," \
  " \"actors\": [{\"id\": \"a\", \"name\": \"A\", \"group\": \"d\"}," \
  "  {\"id\": \"b\", \"name\": \"B\", \"group\": \"u\"}," \
  "  {\"id\": \"c\", \"name\": \"C\", \"group\": \"m\"}]," \
  " \"places\": [{\"id\": \"paris\", \"name\": \"Paris\", \"lat\": 48.85, \"lon\": 2.35}]," \
  " \"events\": [" \
  "  {\"id\": \"e2\", \"title\": \"Nowhere\", \"undated\": true, \"actors\": [\"b\"]," \
  "   \"sources\": [{\"title\": \"Undated source\"}]}," \
  "  {\"id\": \"e3\", \"title\": \"In Paris\", \"undated\": true, \"actors\": [\"c\"]," \
  "   \"places\": [\"paris\"], \"sources\": [{\"title\": \"Mapped source\"}]}"

static CmDataset *
load_json (const char *json)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static (json, strlen (json));
  g_autoptr(GError) error = NULL;
  CmDataset *dataset = cm_loader_load_bytes (bytes, "mixed.json", NULL, &error);

  g_assert_no_error (error);
  return dataset;
}

static void
test_page_undated_not_credited (void)
{
  g_autoptr(CmDataset) mixed = load_json (MIXED_HEAD ","
    "  {\"id\": \"e1\", \"title\": \"Dated\", \"start\": \"2020\", \"actors\": [\"a\"],"
    "   \"sources\": [{\"title\": \"Dated source\"}]},"
    "  {\"id\": \"e0\", \"title\": \"Dated too\", \"start\": \"2021\", \"actors\": [\"a\"]}]}");
  g_autoptr(CmDataset) undated = load_json (MIXED_HEAD "]}");
  g_auto(CmExportOptions) options = { 0, };
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  const CmExportLayout layouts[] = { CM_EXPORT_LAYOUT_TIMELINE, CM_EXPORT_LAYOUT_TIMELINE_MAP,
                                     CM_EXPORT_LAYOUT_MAP };

  cm_export_options_init (&options);
  options.lanes = CM_LANE_MODE_NONE;

  /* Dated and undated, no --from/--to: only the dated events count. */
  for (guint i = 0; i < G_N_ELEMENTS (layouts); i++)
    {
      g_ptr_array_set_size (texts, 0);
      options.layout = layouts[i];
      draw_page (mixed, &options, texts);
      g_assert_true (has_text (texts, "Dated side"));
      g_assert_false (has_text (texts, "Undated side"));
      g_assert_false (has_text (texts, "Mapped side"));
      g_assert_true (find_text (texts, "Source: Dated source.", TRUE));
      g_assert_false (find_text (texts, "Undated source", TRUE));
      g_assert_false (find_text (texts, "Mapped source", TRUE));
    }

  /* A map of undated events: the one with a place is drawn, and credited. */
  g_ptr_array_set_size (texts, 0);
  options.layout = CM_EXPORT_LAYOUT_MAP;
  draw_page (undated, &options, texts);
  g_assert_true (has_text (texts, "Mapped side"));
  g_assert_false (has_text (texts, "Undated side"));
  g_assert_true (find_text (texts, "Source: Mapped source.", TRUE));
  g_assert_false (find_text (texts, "Undated source", TRUE));
}

/* Map */

static void
test_map_layouts (void)
{
  g_autoptr(CmDataset) dataset = load_sample ();
  g_auto(CmExportOptions) options = { 0, };
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) timeline = NULL;
  g_autoptr(GBytes) with_map = NULL;
  g_autoptr(GBytes) map = NULL;
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "map.svg", NULL);
  g_autofree char *svg = NULL;

  cm_export_options_init (&options);
  options.width = 1200;
  options.height = 700;
  timeline = cm_exporter_render_png (dataset, &options, NULL, &error);
  g_assert_no_error (error);
  options.layout = CM_EXPORT_LAYOUT_TIMELINE_MAP;
  with_map = cm_exporter_render_png (dataset, &options, NULL, &error);
  g_assert_no_error (error);
  options.layout = CM_EXPORT_LAYOUT_MAP;
  map = cm_exporter_render_png (dataset, &options, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (g_bytes_equal (timeline, with_map));
  g_assert_false (g_bytes_equal (with_map, map));

  /* The places are labelled and the basemap credited. */
  options.format = CM_EXPORT_FORMAT_SVG;
  export_to (dataset, &options, path);
  g_assert_true (g_file_get_contents (path, &svg, NULL, NULL));
  g_assert_nonnull (strstr (svg, "Riyadh\n"));
  g_assert_nonnull (strstr (svg, "Map data: Natural Earth"));

  remove_dir (dir);
}

/* Filters and empty data */

static void
test_filter (void)
{
  g_autoptr(CmDataset) dataset = load_sample ();
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "one.svg", NULL);
  g_auto(CmExportOptions) options = { 0, };
  guint n_events = cm_dataset_get_n_events (dataset);
  g_autofree guint64 *visible = g_new0 (guint64, (n_events + 63) / 64);
  guint32 riyadh = cm_dataset_find_event (dataset, "riyadh-talks");
  g_autofree char *svg = NULL;

  g_assert_cmpuint (riyadh, !=, CM_NONE);
  visible[riyadh / 64] |= G_GUINT64_CONSTANT (1) << (riyadh % 64);

  cm_export_options_init (&options);
  options.format = CM_EXPORT_FORMAT_SVG;
  cm_export_options_set_filter (&options, dataset, visible);
  /* The options keep their own copy. */
  memset (visible, 0, (n_events + 63) / 64 * sizeof (guint64));
  export_to (dataset, &options, path);

  g_assert_true (g_file_get_contents (path, &svg, NULL, NULL));
  g_assert_nonnull (strstr (svg, "1 event · 18 Feb 2025"));
  g_assert_nonnull (strstr (svg, "US and Russian delegations meet in Riyadh"));
  g_assert_null (strstr (svg, "Russia invades Ukraine"));

  remove_dir (dir);
}

static void
test_empty_dataset (void)
{
  CmDatasetBuilder *builder = cm_dataset_builder_new ();
  g_autoptr(CmDataset) dataset = NULL;
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "empty.png", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_auto(CmExportOptions) options = { 0, };
  g_autoptr(GError) error = NULL;

  cm_dataset_builder_set_title (builder, "Nothing yet", NULL);
  dataset = cm_dataset_builder_finish (builder);
  cm_export_options_init (&options);

  g_assert_false (cm_exporter_write (dataset, &options, file, NULL, &error));
  g_assert_error (error, CM_EXPORT_ERROR, CM_EXPORT_ERROR_EMPTY);
  g_assert_cmpuint (count_entries (dir), ==, 0);
  g_clear_error (&error);

  /* With a range, an empty timeline is a valid page. */
  g_assert_true (cm_export_options_set (&options, "--from", "2025", &error));
  g_assert_true (cm_export_options_set (&options, "--to", "2025", &error));
  g_assert_true (cm_exporter_write (dataset, &options, file, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));

  remove_dir (dir);
}

/* Atomic writes */

static void
test_atomic_failure (void)
{
  g_autoptr(CmDataset) dataset = load_sample ();
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "talks.pdf", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_auto(CmExportOptions) options = { 0, };
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  CmExportFormat formats[] = { CM_EXPORT_FORMAT_PNG, CM_EXPORT_FORMAT_SVG,
                               CM_EXPORT_FORMAT_PDF };

  g_assert_true (g_file_set_contents (path, "old contents", -1, NULL));
  cm_export_options_init (&options);

  /* The writer fails half-way in each format. */
  _cm_exporter_set_fail_after (2000);
  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      options.format = formats[i];
      g_assert_false (cm_exporter_write (dataset, &options, file, NULL, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
      g_assert_nonnull (strstr (error->message, "talks.pdf"));
      g_clear_error (&error);

      g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
      g_assert_cmpstr (contents, ==, "old contents");
      g_clear_pointer (&contents, g_free);
      g_assert_cmpuint (count_entries (dir), ==, 1);
    }
  _cm_exporter_set_fail_after (0);

  /* Then it works, replacing the old file. */
  options.format = CM_EXPORT_FORMAT_PDF;
  g_assert_true (cm_exporter_write (dataset, &options, file, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_true (g_str_has_prefix (contents, "%PDF-"));
  g_assert_cmpuint (count_entries (dir), ==, 1);

  remove_dir (dir);
}

static void
test_atomic_cancel (void)
{
  g_autoptr(CmDataset) dataset = load_sample ();
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "talks.svg", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_auto(CmExportOptions) options = { 0, };
  g_autoptr(GError) error = NULL;

  cm_export_options_init (&options);
  options.format = CM_EXPORT_FORMAT_SVG;
  g_cancellable_cancel (cancellable);
  g_assert_false (cm_exporter_write (dataset, &options, file, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (count_entries (dir), ==, 0);

  remove_dir (dir);
}


static void
raise_on_progress_cb (double   fraction,
                      gpointer user_data)
{
  raise (GPOINTER_TO_INT (user_data));
}

/* Killing an export (SIGTERM, SIGINT) leaves no temporary file beside the
 * target, and no target. */
static void
test_atomic_signal (void)
{
  static const int signals[] = { SIGTERM, SIGINT };
  g_autoptr(CmDataset) dataset = load_sample ();
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "talks.png", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (signals); i++)
    {
      int status = 0;
      pid_t pid = fork ();

      g_assert_cmpint (pid, >=, 0);
      if (pid == 0)
        {
          g_autoptr(GFile) file = g_file_new_for_path (path);
          g_auto(CmExportOptions) options = { 0, };

          cm_export_options_init (&options);
          options.width = 400;
          options.height = 300;
          cm_exporter_write_full (dataset, &options, file, raise_on_progress_cb,
                                  GINT_TO_POINTER (signals[i]), NULL, NULL);
          _exit (0);
        }
      g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
      g_assert_true (WIFSIGNALED (status));
      g_assert_cmpint (WTERMSIG (status), ==, signals[i]);
      g_assert_cmpuint (count_entries (dir), ==, 0);
    }

  remove_dir (dir);
}

/* A symbolic link as the target is written through: the link stays, the
 * file it names is replaced, and no temporary file is left anywhere. */
static void
test_atomic_symlink (void)
{
  g_autoptr(CmDataset) dataset = load_sample ();
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *real_dir = g_build_filename (dir, "real", NULL);
  g_autofree char *real = g_build_filename (real_dir, "talks.svg", NULL);
  g_autofree char *link = g_build_filename (dir, "talks.svg", NULL);
  g_autofree char *dangling = g_build_filename (dir, "new.svg", NULL);
  g_autofree char *created = g_build_filename (real_dir, "new.svg", NULL);
  g_autofree char *contents = NULL;
  g_auto(CmExportOptions) options = { 0, };
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (link);
  g_autoptr(GFile) file2 = g_file_new_for_path (dangling);

  cm_export_options_init (&options);
  options.format = CM_EXPORT_FORMAT_SVG;
  g_assert_cmpint (g_mkdir (real_dir, 0755), ==, 0);
  g_assert_true (g_file_set_contents (real, "old", -1, NULL));
  g_assert_cmpint (symlink ("real/talks.svg", link), ==, 0);
  g_assert_cmpint (symlink ("real/new.svg", dangling), ==, 0);

  g_assert_true (cm_exporter_write (dataset, &options, file, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (link, G_FILE_TEST_IS_SYMLINK));
  g_assert_true (g_file_get_contents (real, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, "<svg"));

  g_assert_true (cm_exporter_write (dataset, &options, file2, NULL, &error));
  g_assert_true (g_file_test (dangling, G_FILE_TEST_IS_SYMLINK));
  g_assert_true (g_file_test (created, G_FILE_TEST_IS_REGULAR));

  g_assert_cmpuint (count_entries (dir), ==, 3);       /* real, two links */
  g_assert_cmpuint (count_entries (real_dir), ==, 2);  /* talks.svg, new.svg */
  remove_dir (dir);
}

static void
test_atomic_bad_target (void)
{
  g_autoptr(CmDataset) dataset = load_sample ();
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *sub = g_build_filename (dir, "taken.png", NULL);
  g_autofree char *missing = g_build_filename (dir, "no-such-folder", "out.png", NULL);
  g_autoptr(GFile) file = NULL;
  g_auto(CmExportOptions) options = { 0, };
  g_autoptr(GError) error = NULL;

  cm_export_options_init (&options);
  options.width = 400;
  options.height = 300;

  /* A folder where the file should go: the rename fails, the folder stays. */
  g_assert_cmpint (g_mkdir (sub, 0755), ==, 0);
  file = g_file_new_for_path (sub);
  g_assert_false (cm_exporter_write (dataset, &options, file, NULL, &error));
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_true (g_file_test (sub, G_FILE_TEST_IS_DIR));
  g_assert_cmpuint (count_entries (dir), ==, 1);
  g_clear_error (&error);
  g_clear_object (&file);

  file = g_file_new_for_path (missing);
  g_assert_false (cm_exporter_write (dataset, &options, file, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_true (g_str_has_prefix (error->message, "Cannot save in "));
  g_assert_cmpuint (count_entries (dir), ==, 1);

  remove_dir (dir);
}

static void
test_oversize (void)
{
  g_autoptr(CmDataset) dataset = load_sample ();
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "huge.png", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_auto(CmExportOptions) options = { 0, };
  g_autoptr(GError) error = NULL;

  cm_export_options_init (&options);
  options.width = 40000;
  g_assert_false (cm_exporter_write (dataset, &options, file, NULL, &error));
  g_assert_error (error, CM_EXPORT_ERROR, CM_EXPORT_ERROR_TOO_LARGE);
  g_assert_cmpstr (error->message, ==,
                   "width 40000 px is beyond the 32767 px that PNG export supports");
  g_assert_cmpuint (count_entries (dir), ==, 0);
  g_clear_error (&error);

  options.format = CM_EXPORT_FORMAT_PDF;
  options.width = 1000;
  options.height = 15000;
  options.size_set = TRUE;
  g_assert_false (cm_exporter_write (dataset, &options, file, NULL, &error));
  g_assert_error (error, CM_EXPORT_ERROR, CM_EXPORT_ERROR_TOO_LARGE);
  g_assert_cmpuint (count_entries (dir), ==, 0);

  remove_dir (dir);
}

/* Async */

typedef struct
{
  GMainLoop *loop;
  GArray    *fractions;
  gboolean   ok;
  GError    *error;
  gboolean   progress_freed;
} AsyncRun;

static void
progress_cb (double   fraction,
             gpointer user_data)
{
  AsyncRun *run = user_data;

  g_array_append_val (run->fractions, fraction);
}

static void
progress_destroy_cb (gpointer user_data)
{
  AsyncRun *run = user_data;

  run->progress_freed = TRUE;
}

static void
write_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  AsyncRun *run = user_data;

  run->ok = cm_exporter_write_finish (result, &run->error);
  g_main_loop_quit (run->loop);
}

static void
test_async (void)
{
  g_autoptr(CmDataset) dataset = load_sample ();
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "talks.pdf", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_auto(CmExportOptions) options = { 0, };
  AsyncRun run = { 0, };

  run.loop = g_main_loop_new (NULL, FALSE);
  run.fractions = g_array_new (FALSE, FALSE, sizeof (double));
  cm_export_options_init (&options);
  options.format = CM_EXPORT_FORMAT_PDF;

  cm_exporter_write_async (dataset, &options, file, progress_cb, &run, progress_destroy_cb,
                           NULL, write_done_cb, &run);
  /* The options were copied: changing them now changes nothing. */
  options.format = CM_EXPORT_FORMAT_PNG;
  g_main_loop_run (run.loop);
  g_assert_no_error (run.error);
  g_assert_true (run.ok);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));

  /* Progress went up to 1; the progress data is freed on this thread,
   * maybe after the result (the worker may hold the last reference). */
  for (guint i = 0; i < 5000 && !run.progress_freed; i++)
    {
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
  g_assert_cmpuint (run.fractions->len, >=, 2);
  for (guint i = 1; i < run.fractions->len; i++)
    g_assert_cmpfloat (g_array_index (run.fractions, double, i), >=,
                       g_array_index (run.fractions, double, i - 1));
  g_assert_cmpfloat (g_array_index (run.fractions, double, run.fractions->len - 1), ==, 1.0);
  g_assert_true (run.progress_freed);
  g_unlink (path);

  /* Cancelled: an error, and no file. */
  g_cancellable_cancel (cancellable);
  cm_exporter_write_async (dataset, &options, file, NULL, NULL, NULL, cancellable,
                           write_done_cb, &run);
  g_main_loop_run (run.loop);
  g_assert_false (run.ok);
  g_assert_error (run.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (count_entries (dir), ==, 0);

  g_clear_error (&run.error);
  g_array_unref (run.fractions);
  g_main_loop_unref (run.loop);
  remove_dir (dir);
}

/* Command line */

static int
run_cli (const char *first,
         ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  const char *arg;
  va_list ap;

  g_ptr_array_add (args, (char *) "chronomap");
  va_start (ap, first);
  for (arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (char *) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  g_assert_true (cm_export_cli_wanted (args->len - 1, (char **) args->pdata));
  return cm_export_cli_main_argv (args->len - 1, (char **) args->pdata);
}

static char *cli_dir;

static char *
cli_path (const char *name)
{
  return g_build_filename (cli_dir, name, NULL);
}

static void
test_cli_good_subprocess (void)
{
  g_autofree char *input = sample_path ();
  g_autofree char *out = cli_path ("talks.svg");

  exit (run_cli ("--export", out, "--width", "1000", "--height", "600", "--theme", "dark",
                 "--lanes", "actor", "--from", "2025-02", "--to", "2025-02", "--title",
                 "Riyadh", input, NULL));
}

static void
test_cli_bad_width_subprocess (void)
{
  g_autofree char *input = sample_path ();
  g_autofree char *out = cli_path ("bad.png");

  exit (run_cli ("--export", out, "--width", "abc", input, NULL));
}

static void
test_cli_bad_format_subprocess (void)
{
  g_autofree char *input = sample_path ();
  g_autofree char *out = cli_path ("out.gif");

  exit (run_cli ("--export", out, input, NULL));
}

static void
test_cli_missing_input_subprocess (void)
{
  g_autofree char *out = cli_path ("missing.png");
  g_autofree char *input = cli_path ("no-such-file.json");

  exit (run_cli ("--export", out, input, NULL));
}

static void
test_cli_invalid_input_subprocess (void)
{
  g_autofree char *out = cli_path ("invalid.png");
  g_autofree char *input = cli_path ("broken.json");

  g_assert_true (g_file_set_contents (input,
                                      "{\"chronomap\": 1, \"events\": [{\"id\": \"e\", "
                                      "\"title\": \"x\", \"start\": \"2025-13-01\"}]}",
                                      -1, NULL));
  exit (run_cli ("--export", out, input, NULL));
}

static void
test_cli_no_input_subprocess (void)
{
  g_autofree char *out = cli_path ("none.png");

  exit (run_cli ("--export", out, NULL));
}

static void
test_cli_oversize_subprocess (void)
{
  g_autofree char *input = sample_path ();
  g_autofree char *out = cli_path ("huge.png");

  exit (run_cli ("--export", out, "--width", "20000", "--scale", "2", input, NULL));
}

static void
check_cli (const char *name,
           int         status,
           const char *stderr_pattern)
{
  g_autofree char *path = g_strdup_printf ("/export/cli/%s/subprocess", name);

  g_test_trap_subprocess (path, 0, G_TEST_SUBPROCESS_DEFAULT);
  if (status == 0)
    g_test_trap_assert_passed ();
  else
    g_test_trap_assert_failed ();
  if (stderr_pattern != NULL)
    g_test_trap_assert_stderr (stderr_pattern);
  else
    g_test_trap_assert_stderr ("");
}

static void
test_cli (void)
{
  g_autofree char *svg_path = cli_path ("talks.svg");
  g_autofree char *svg = NULL;

  check_cli ("good", 0, NULL);
  g_assert_true (g_file_get_contents (svg_path, &svg, NULL, NULL));
  g_assert_nonnull (strstr (svg, "<title>Riyadh</title>"));
  g_assert_nonnull (strstr (svg, "width=\"1000px\""));

  check_cli ("bad-width", 2, "chronomap: --width: \"abc\" is not a number\n");
  check_cli ("bad-format", 2, "chronomap: out.gif: unknown format; use .png, .svg or .pdf or "
                              "--format\n");
  check_cli ("missing-input", 1, "chronomap: *no-such-file.json*: No such file or directory\n");
  check_cli ("invalid-input", 1, "chronomap: *broken.json is not a valid dataset:\n"
                                 "*events[0].start*");
  check_cli ("no-input", 2, "chronomap: --export needs an input FILE\n");
  check_cli ("oversize", 2, "chronomap: width 20000 px at scale 2 (40000 px) is beyond the "
                            "32767 px that PNG export supports\n");

  /* Failed runs left nothing behind but the broken input. */
  {
    g_autofree char *bad = cli_path ("bad.png");

    g_assert_false (g_file_test (bad, G_FILE_TEST_EXISTS));
  }
  g_assert_cmpuint (count_entries (cli_dir), ==, 2);
}

static void
test_cli_wanted (void)
{
  char *with[] = { (char *) "chronomap", (char *) "--export=out.png", (char *) "f.json", NULL };
  char *without[] = { (char *) "chronomap", (char *) "f.json", (char *) "--",
                      (char *) "--export", NULL };

  g_assert_true (cm_export_cli_wanted (3, with));
  g_assert_false (cm_export_cli_wanted (4, without));
}

/* An export option without --export is a mistake, not silently ignored. */
static void
test_cli_option_group (void)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  char *argv[] = { (char *) "chronomap", (char *) "--width", (char *) "800",
                   (char *) "f.json", NULL };
  char **args = g_memdup2 (argv, sizeof argv);
  int argc = 4;

  g_option_context_add_group (context, cm_export_cli_get_option_group ());
  g_assert_false (g_option_context_parse (context, &argc, &args, &error));
  g_assert_nonnull (error);
  g_assert_cmpstr (error->message, ==, "--width only applies to an export; add --export OUT");
  g_assert_false (cm_export_cli_requested ());
  g_free (args);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

  /* Subprocesses find the parent's folder in the environment. */
  if (g_test_subprocess ())
    cli_dir = g_strdup (g_getenv ("CM_TEST_EXPORT_DIR"));
  else
    {
      cli_dir = make_temp_dir ();
      g_setenv ("CM_TEST_EXPORT_DIR", cli_dir, TRUE);
    }
  g_assert_nonnull (cli_dir);

  g_test_add_func ("/export/options/defaults", test_options_defaults);
  g_test_add_func ("/export/options/values", test_options_values);
  g_test_add_func ("/export/options/errors", test_options_errors);
  g_test_add_func ("/export/options/output", test_options_output);
  g_test_add_func ("/export/options/validate", test_options_validate);
  g_test_add_func ("/export/png/sample", test_png_sample);
  g_test_add_func ("/export/png/themes", test_png_themes_differ);
  g_test_add_func ("/export/svg/sample", test_svg_sample);
  g_test_add_func ("/export/pdf/sample", test_pdf_sample);
  g_test_add_func ("/export/default-size/labels-all", test_default_size_labels_all);
  g_test_add_func ("/export/map/layouts", test_map_layouts);
  g_test_add_func ("/export/page/text-sizes", test_page_text_sizes);
  g_test_add_func ("/export/page/subtitle-sources", test_page_subtitle_and_sources);
  g_test_add_func ("/export/page/undated-not-credited", test_page_undated_not_credited);
  g_test_add_func ("/export/page/map-keeps-lanes", test_page_map_keeps_lanes);
  g_test_add_func ("/export/filter", test_filter);
  g_test_add_func ("/export/empty", test_empty_dataset);
  g_test_add_func ("/export/atomic/failure", test_atomic_failure);
  g_test_add_func ("/export/atomic/cancel", test_atomic_cancel);
  g_test_add_func ("/export/atomic/bad-target", test_atomic_bad_target);
  g_test_add_func ("/export/atomic/signal", test_atomic_signal);
  g_test_add_func ("/export/atomic/symlink", test_atomic_symlink);
  g_test_add_func ("/export/oversize", test_oversize);
  g_test_add_func ("/export/async", test_async);
  g_test_add_func ("/export/cli/wanted", test_cli_wanted);
  g_test_add_func ("/export/cli/option-group", test_cli_option_group);
  g_test_add_func ("/export/cli/run", test_cli);
  g_test_add_func ("/export/cli/good/subprocess", test_cli_good_subprocess);
  g_test_add_func ("/export/cli/bad-width/subprocess", test_cli_bad_width_subprocess);
  g_test_add_func ("/export/cli/bad-format/subprocess", test_cli_bad_format_subprocess);
  g_test_add_func ("/export/cli/missing-input/subprocess", test_cli_missing_input_subprocess);
  g_test_add_func ("/export/cli/invalid-input/subprocess", test_cli_invalid_input_subprocess);
  g_test_add_func ("/export/cli/no-input/subprocess", test_cli_no_input_subprocess);
  g_test_add_func ("/export/cli/oversize/subprocess", test_cli_oversize_subprocess);

  status = g_test_run ();
  if (!g_test_subprocess ())
    remove_dir (cli_dir);
  g_free (cli_dir);
  return status;
}
