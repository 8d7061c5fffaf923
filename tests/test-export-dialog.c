/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-test"

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "cm-export-dialog-private.h"
#include "cm-exporter.h"
#include "cm-loader.h"

/* The Export dialog in a real window: the preview follows the options,
 * bad input is shown and blocks the export, the export writes the file
 * and announces it, "Copy image" fills the clipboard. */

static CmSession *
create_session (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "samples",
                                                 "riyadh-talks-2025.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(CmDataset) dataset = cm_loader_load_file (file, NULL, &error);
  CmSession *session = cm_session_new ();

  g_assert_no_error (error);
  cm_session_set_dataset (session, dataset);
  return session;
}

static gpointer
child (CmExportDialog *dialog,
       const char     *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (dialog), CM_TYPE_EXPORT_DIALOG,
                                                   name);

  g_assert_nonnull (object);
  return object;
}

static gboolean
timeout_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop until the preview shows a picture other than @old;
 * returns its pixels. */
static GdkTexture *
wait_for_preview (CmExportDialog *dialog,
                  GdkTexture     *old)
{
  GtkPicture *picture = child (dialog, "preview");
  gboolean timed_out = FALSE;
  guint timeout = g_timeout_add_seconds (20, timeout_cb, &timed_out);

  while (!timed_out && (gtk_picture_get_paintable (picture) == NULL ||
                        _cm_export_dialog_get_preview (dialog) == old))
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (timeout);

  return _cm_export_dialog_get_preview (dialog);
}

static void
wait_ms (guint ms)
{
  gboolean timed_out = FALSE;

  g_timeout_add (ms, timeout_cb, &timed_out);
  while (!timed_out)
    g_main_context_iteration (NULL, TRUE);
}

static guchar *
download (GdkTexture *texture,
          gsize      *size)
{
  int width = gdk_texture_get_width (texture), height = gdk_texture_get_height (texture);
  guchar *data = g_malloc ((gsize) width * height * 4);

  gdk_texture_download (texture, data, width * 4);
  *size = (gsize) width * height * 4;
  return data;
}

static double
mean_brightness (const guchar *data,
                 gsize         size)
{
  double sum = 0;

  for (gsize i = 0; i < size; i += 4)
    sum += (data[i] + data[i + 1] + data[i + 2]) / 3.0;
  return sum / (size / 4);
}

static void
test_preview_follows_options (void)
{
  g_autoptr(CmSession) session = create_session ();
  CmExportDialog *dialog = cm_export_dialog_new (NULL, session);
  GdkTexture *light, *dark, *portrait;
  g_autofree guchar *light_pixels = NULL;
  g_autofree guchar *dark_pixels = NULL;
  gsize light_size, dark_size;

  g_object_ref_sink (dialog);
  gtk_window_present (GTK_WINDOW (dialog));

  light = g_object_ref (wait_for_preview (dialog, NULL));
  light_pixels = download (light, &light_size);
  /* A light page, about twice as wide as high (2400 x 1200). */
  g_assert_cmpfloat (mean_brightness (light_pixels, light_size), >, 180);
  g_assert_cmpfloat_with_epsilon ((double) gdk_texture_get_width (light) /
                                  gdk_texture_get_height (light), 2.0, 0.05);

  /* Dark colours: a new, dark preview. */
  adw_combo_row_set_selected (child (dialog, "theme_row"), 1);
  dark = g_object_ref (wait_for_preview (dialog, light));
  dark_pixels = download (dark, &dark_size);
  g_assert_cmpfloat (mean_brightness (dark_pixels, dark_size), <, 90);

  /* PDF on A4 portrait: the rows follow, and the page turns. */
  adw_combo_row_set_selected (child (dialog, "format_row"), CM_EXPORT_FORMAT_PDF);
  adw_combo_row_set_selected (child (dialog, "orientation_row"), 1);
  portrait = wait_for_preview (dialog, dark);
  g_assert_false (gtk_widget_get_visible (child (dialog, "width_row")));
  g_assert_true (gtk_widget_get_visible (child (dialog, "paper_row")));
  g_assert_cmpfloat_with_epsilon ((double) gdk_texture_get_height (portrait) /
                                  gdk_texture_get_width (portrait), 841.89 / 595.28, 0.05);
  g_assert_cmpstr (gtk_label_get_text (child (dialog, "status_label")), ==, "210 × 297 mm");

  g_object_unref (light);
  g_object_unref (dark);
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_object_unref (dialog);
}

static void
exported_cb (CmExportDialog *dialog,
             GFile          *file,
             gpointer        user_data);

static void
export_and_wait (CmExportDialog *dialog,
                 GFile          *file)
{
  g_autoptr(GFile) announced = NULL;
  gboolean timed_out = FALSE;
  guint timeout = g_timeout_add_seconds (20, timeout_cb, &timed_out);
  gulong handler = g_signal_connect (dialog, "exported", G_CALLBACK (exported_cb), &announced);

  _cm_export_dialog_export_to (dialog, file);
  while (announced == NULL && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (timeout);
  g_signal_handler_disconnect (dialog, handler);
}

/* "100%" shows the page pixel for pixel, scrolled, and those pixels are
 * the file the export then writes. */
static void
test_preview_actual_size (void)
{
  g_autoptr(CmSession) session = create_session ();
  CmExportDialog *dialog = cm_export_dialog_new (NULL, session);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cm-export-dialog-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "talks.png", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree guchar *shown = NULL;
  GtkAdjustment *hadjustment;
  GdkTexture *fitted, *actual;
  cairo_surface_t *written;
  gsize size;
  guint n_different = 0;

  g_object_ref_sink (dialog);
  gtk_window_set_default_size (GTK_WINDOW (dialog), 1000, 640);
  gtk_window_present (GTK_WINDOW (dialog));
  adw_combo_row_set_selected (child (dialog, "format_row"), CM_EXPORT_FORMAT_PNG);
  adw_combo_row_set_selected (child (dialog, "scale_row"), 0);
  gtk_spin_button_set_value (child (dialog, "width_spin"), 1600);
  gtk_spin_button_set_value (child (dialog, "height_spin"), 900);
  fitted = g_object_ref (wait_for_preview (dialog, NULL));
  /* Fitted: smaller than the page, the whole page in view. */
  g_assert_cmpint (gdk_texture_get_width (fitted), <, 1600);

  /* A click on "100%", as a user would. */
  g_signal_emit_by_name (child (dialog, "zoom_actual_button"), "clicked");
  g_assert_true (gtk_toggle_button_get_active (child (dialog, "zoom_actual_button")));
  actual = wait_for_preview (dialog, fitted);
  /* The file's pixels, one to one with the screen's. */
  g_assert_cmpint (gdk_texture_get_width (actual), ==, 1600);
  g_assert_cmpint (gdk_texture_get_height (actual), ==, 900);
  wait_ms (200);
  /* The page is larger than the view: it scrolls, at its own size (in
   * logical pixels: half as many on a 2x screen). */
  hadjustment = gtk_scrolled_window_get_hadjustment (child (dialog, "preview_scroller"));
  g_assert_cmpfloat (gtk_adjustment_get_upper (hadjustment), >=,
                     1600 / gtk_widget_get_scale_factor (GTK_WIDGET (dialog)));
  g_assert_cmpfloat (gtk_adjustment_get_page_size (hadjustment), <,
                     gtk_adjustment_get_upper (hadjustment));
  g_assert_cmpint (gtk_widget_get_width (child (dialog, "preview")), ==,
                   1600 / gtk_widget_get_scale_factor (GTK_WIDGET (dialog)));

  /* What is written is what was shown. */
  shown = download (actual, &size);
  export_and_wait (dialog, file);
  written = cairo_image_surface_create_from_png (path);
  g_assert_cmpint (cairo_surface_status (written), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (written), ==, 1600);
  for (int y = 0; y < 900; y++)
    {
      const guint32 *a = (const guint32 *) (shown + (gsize) y * 1600 * 4);
      const guint32 *b = (const guint32 *) (cairo_image_surface_get_data (written) +
                                            y * cairo_image_surface_get_stride (written));

      for (int x = 0; x < 1600; x++)
        n_different += (a[x] & 0xffffff) != (b[x] & 0xffffff);
    }
  g_assert_cmpuint (n_different, ==, 0);
  cairo_surface_destroy (written);

  g_object_unref (fitted);
  g_object_unref (dialog);
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_bad_date (void)
{
  g_autoptr(CmSession) session = create_session ();
  CmExportDialog *dialog = cm_export_dialog_new (NULL, session);
  GtkLabel *status;

  g_object_ref_sink (dialog);
  gtk_window_present (GTK_WINDOW (dialog));
  wait_for_preview (dialog, NULL);

  adw_combo_row_set_selected (child (dialog, "range_row"), 1);
  g_assert_true (gtk_widget_get_visible (child (dialog, "from_row")));
  gtk_editable_set_text (child (dialog, "from_row"), "2025-13");
  wait_ms (400);

  status = child (dialog, "status_label");
  g_assert_true (g_str_has_prefix (gtk_label_get_text (status), "From: \"2025-13\" is not a date"));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (status), "error"));
  g_assert_false (gtk_widget_get_sensitive (child (dialog, "export_button")));

  /* Fixed: the export is possible again. */
  gtk_editable_set_text (child (dialog, "from_row"), "2025-02-10");
  wait_ms (400);
  g_assert_true (gtk_widget_get_sensitive (child (dialog, "export_button")));

  gtk_window_destroy (GTK_WINDOW (dialog));
  g_object_unref (dialog);
}

static void
exported_cb (CmExportDialog *dialog,
             GFile          *file,
             gpointer        user_data)
{
  GFile **out = user_data;

  *out = g_object_ref (file);
}

static void
test_export_writes_file (void)
{
  g_autoptr(CmSession) session = create_session ();
  CmExportDialog *dialog = cm_export_dialog_new (NULL, session);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cm-export-dialog-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "talks.svg", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) announced = NULL;
  g_autofree char *svg = NULL;
  gboolean timed_out = FALSE;
  guint timeout;

  g_object_ref_sink (dialog);
  g_signal_connect (dialog, "exported", G_CALLBACK (exported_cb), &announced);
  gtk_window_present (GTK_WINDOW (dialog));
  adw_combo_row_set_selected (child (dialog, "format_row"), CM_EXPORT_FORMAT_SVG);
  gtk_editable_set_text (child (dialog, "title_row"), "Talks in Riyadh");

  _cm_export_dialog_export_to (dialog, file);
  g_assert_false (gtk_widget_get_sensitive (child (dialog, "export_button")));

  timeout = g_timeout_add_seconds (20, timeout_cb, &timed_out);
  while (announced == NULL && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (timeout);

  g_assert_true (g_file_equal (announced, file));
  g_assert_true (g_file_get_contents (path, &svg, NULL, NULL));
  g_assert_nonnull (strstr (svg, "<title>Talks in Riyadh</title>"));
  /* The dialog closed itself. */
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (dialog)));

  g_object_unref (dialog);
  g_unlink (path);
  g_rmdir (dir);
}

static void
read_texture_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GdkTexture **texture = user_data;
  g_autoptr(GError) error = NULL;

  *texture = gdk_clipboard_read_texture_finish (GDK_CLIPBOARD (source), result, &error);
  g_assert_no_error (error);
}

static void
copy_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  *done = cm_export_copy_to_clipboard_finish (result, &error);
  g_assert_no_error (error);
}

static void
test_copy_image (void)
{
  g_autoptr(CmSession) session = create_session ();
  GdkClipboard *clipboard = gdk_display_get_clipboard (gdk_display_get_default ());
  g_auto(CmExportOptions) options = { 0, };
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree guchar *held = NULL;
  GdkContentProvider *content;
  GValue value = G_VALUE_INIT;
  cairo_surface_t *drawn;
  gboolean done = FALSE;
  gsize size;

  cm_export_options_init (&options);
  options.width = 900;
  options.height = 500;
  cm_export_copy_to_clipboard_async (clipboard, session, &options, NULL, copy_done_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);

  gdk_clipboard_read_texture_async (clipboard, NULL, read_texture_cb, &texture);
  while (texture == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, 900);
  g_assert_cmpint (gdk_texture_get_height (texture), ==, 500);

  /* What the clipboard holds is the drawn pixels, not a decoded PNG. */
  content = gdk_clipboard_get_content (clipboard);
  g_assert_nonnull (content);
  g_value_init (&value, GDK_TYPE_TEXTURE);
  g_assert_true (gdk_content_provider_get_value (content, &value, NULL));
  g_assert_true (GDK_IS_MEMORY_TEXTURE (g_value_get_object (&value)));
  held = download (g_value_get_object (&value), &size);
  drawn = cm_exporter_render_image (cm_session_get_dataset (session), &options, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cairo_image_surface_get_stride (drawn), ==, 900 * 4);
  g_assert_cmpmem (held, size, cairo_image_surface_get_data (drawn), 900 * 500 * 4);
  cairo_surface_destroy (drawn);
  g_value_unset (&value);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/export-dialog/preview", test_preview_follows_options);
  g_test_add_func ("/export-dialog/preview-actual-size", test_preview_actual_size);
  g_test_add_func ("/export-dialog/bad-date", test_bad_date);
  g_test_add_func ("/export-dialog/export", test_export_writes_file);
  g_test_add_func ("/export-dialog/copy-image", test_copy_image);

  return g_test_run ();
}
