/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-export"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sys/mman.h>
#include <png.h>

#include "cm-atomic-file.h"
#include "cm-background.h"
#include "cm-exporter-private.h"

/* Writers for PNG, SVG and PDF. Every write goes to "<target>.XXXXXX" in
 * the target's folder and is renamed over the target only when complete,
 * so a failure or a cancel never leaves half a file or harms the old one. */

#define SCREEN_DPI 96.0

static gsize fail_after;

void
_cm_exporter_set_fail_after (gsize bytes)
{
  fail_after = bytes;
}

/* Where the bytes go: a file descriptor, or memory for files with no
 * local path and for the clipboard. */
typedef struct
{
  int           fd;
  GByteArray   *memory;
  const char   *display_name;
  gsize         written;
  GCancellable *cancellable;
  GError       *error;

  /* SVG: <title> and <desc> go right after the root element's start tag. */
  const char   *svg_title;
  GPtrArray    *svg_texts;
  guint         svg_matched;     /* characters of "<svg" seen so far, 4 when found */
  gboolean      svg_injected;
} Sink;

static gboolean
sink_write_raw (Sink         *sink,
                const guchar *data,
                gsize         length)
{
  if (sink->error != NULL)
    return FALSE;
  if (g_cancellable_set_error_if_cancelled (sink->cancellable, &sink->error))
    return FALSE;
  if (fail_after > 0 && sink->written + length > fail_after)
    {
      g_set_error (&sink->error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "Cannot write “%s”: simulated write failure", sink->display_name);
      return FALSE;
    }

  if (sink->memory != NULL)
    {
      g_byte_array_append (sink->memory, data, length);
      sink->written += length;
      return TRUE;
    }

  while (length > 0)
    {
      gssize n = write (sink->fd, data, length);

      if (n < 0)
        {
          int saved_errno = errno;

          if (saved_errno == EINTR)
            continue;
          g_set_error (&sink->error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       _("Cannot write “%s”: %s"), sink->display_name, g_strerror (saved_errno));
          return FALSE;
        }
      data += n;
      length -= n;
      sink->written += n;
    }

  return TRUE;
}

static gboolean
sink_write_svg_header (Sink *sink)
{
  g_autoptr(GString) text = g_string_new ("\n");
  g_autofree char *title = g_markup_escape_text (sink->svg_title, -1);

  g_string_append_printf (text, "<title>%s</title>\n<desc>", title);
  for (guint i = 0; sink->svg_texts != NULL && i < sink->svg_texts->len; i++)
    {
      g_autofree char *line = g_markup_escape_text (g_ptr_array_index (sink->svg_texts, i), -1);

      g_string_append_printf (text, "%s%s", i > 0 ? "\n" : "", line);
    }
  g_string_append (text, "</desc>\n");

  sink->svg_injected = TRUE;
  return sink_write_raw (sink, (const guchar *) text->str, text->len);
}

static cairo_status_t
sink_write_cb (void                *closure,
               const unsigned char *data,
               unsigned int         length)
{
  Sink *sink = closure;
  gsize start = 0;

  if (sink->svg_title != NULL && !sink->svg_injected)
    {
      static const char needle[] = "<svg";

      for (gsize i = 0; i < length && !sink->svg_injected; i++)
        {
          if (sink->svg_matched < 4)
            {
              sink->svg_matched = data[i] == (guchar) needle[sink->svg_matched]
                                  ? sink->svg_matched + 1
                                  : (data[i] == '<' ? 1 : 0);
            }
          else if (data[i] == '>')
            {
              if (!sink_write_raw (sink, data, i + 1) || !sink_write_svg_header (sink))
                return CAIRO_STATUS_WRITE_ERROR;
              start = i + 1;
            }
        }
    }

  return sink_write_raw (sink, data + start, length - start) ? CAIRO_STATUS_SUCCESS
                                                              : CAIRO_STATUS_WRITE_ERROR;
}

static gboolean
check_cairo (cairo_status_t   status,
             Sink            *sink,
             GError         **error)
{
  if (sink != NULL && sink->error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&sink->error));
      return FALSE;
    }
  if (status == CAIRO_STATUS_SUCCESS)
    return TRUE;

  g_set_error (error, CM_EXPORT_ERROR,
               status == CAIRO_STATUS_NO_MEMORY || status == CAIRO_STATUS_INVALID_SIZE
               ? CM_EXPORT_ERROR_TOO_LARGE : CM_EXPORT_ERROR_FAILED,
               _("Cannot draw the page: %s"), cairo_status_to_string (status));
  return FALSE;
}

static const cairo_user_data_key_t image_data_key;

/* A large image asks for huge pages: an 8000x2000 page is 64 MB, and
 * touching it 4 KB at a time costs more than drawing it on some
 * machines. The page is painted all over, so the memory needs no
 * clearing. */
static cairo_surface_t *
create_image (cairo_format_t format,
              int            width,
              int            height)
{
  int stride = cairo_format_stride_for_width (format, width);
  gsize size = (gsize) stride * height;
  const gsize huge = 2 * 1024 * 1024;
  cairo_surface_t *surface;
  void *data = NULL;

  if (stride < 0 || size < 4 * huge || posix_memalign (&data, huge, size) != 0)
    return cairo_image_surface_create (format, width, height);

#ifdef MADV_HUGEPAGE
  madvise (data, size, MADV_HUGEPAGE);
#endif
  surface = cairo_image_surface_create_for_data (data, format, width, height, stride);
  if (cairo_surface_set_user_data (surface, &image_data_key, data, free) !=
      CAIRO_STATUS_SUCCESS)
    {
      cairo_surface_destroy (surface);
      free (data);
      return cairo_image_surface_create (format, width, height);
    }

  return surface;
}

/* Both entries draw with cairo, often on a worker: the process's exit
 * cancels them and waits for them (see cm_exit_guard_enter()). */
static gboolean
exit_guard_enter (GCancellable  *cancellable,
                  GError       **error)
{
  if (cm_exit_guard_enter (cancellable))
    return TRUE;
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Chronomap is quitting"));
  return FALSE;
}

static cairo_surface_t *
render_image (CmDataset              *dataset,
              const CmExportOptions  *options,
              double                  scale,
              GCancellable           *cancellable,
              GError                **error)
{
  cairo_surface_t *surface;
  cairo_t *cr;
  double width, height;
  gboolean ok;

  g_return_val_if_fail (CM_IS_DATASET (dataset), NULL);
  g_return_val_if_fail (options != NULL, NULL);

  if (scale <= 0)
    scale = options->scale;

  _cm_export_get_page_size (dataset, options, &width, &height);
  if (ceil (width * scale) > CM_EXPORT_MAX_IMAGE_SIDE ||
      ceil (height * scale) > CM_EXPORT_MAX_IMAGE_SIDE)
    {
      g_set_error (error, CM_EXPORT_ERROR, CM_EXPORT_ERROR_TOO_LARGE,
                   _("%.0f x %.0f px is beyond the %d px per side that images support"),
                   ceil (width * scale), ceil (height * scale), CM_EXPORT_MAX_IMAGE_SIDE);
      return NULL;
    }

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int) ceil (width * scale),
                                        (int) ceil (height * scale));
  if (!check_cairo (cairo_surface_status (surface), NULL, error))
    {
      cairo_surface_destroy (surface);
      return NULL;
    }

  cr = cairo_create (surface);
  cairo_scale (cr, scale, scale);
  ok = _cm_export_page_draw (dataset, options, cr, width, height, NULL, NULL, NULL,
                             cancellable, error) &&
       check_cairo (cairo_status (cr), NULL, error);
  cairo_destroy (cr);

  if (!ok)
    g_clear_pointer (&surface, cairo_surface_destroy);
  else
    cairo_surface_flush (surface);

  return surface;
}

cairo_surface_t *
cm_exporter_render_image (CmDataset              *dataset,
                          const CmExportOptions  *options,
                          double                  scale,
                          GCancellable           *cancellable,
                          GError                **error)
{
  cairo_surface_t *surface;

  if (!exit_guard_enter (cancellable, error))
    return NULL;
  surface = render_image (dataset, options, scale, cancellable, error);
  cm_exit_guard_leave (cancellable);
  return surface;
}

gboolean
cm_exporter_render (CmDataset              *dataset,
                    const CmExportOptions  *options,
                    cairo_t                *cr,
                    GCancellable           *cancellable,
                    GError                **error)
{
  double width, height;

  g_return_val_if_fail (CM_IS_DATASET (dataset), FALSE);
  g_return_val_if_fail (options != NULL, FALSE);
  g_return_val_if_fail (cr != NULL, FALSE);

  _cm_export_get_page_size (dataset, options, &width, &height);
  return _cm_export_page_draw (dataset, options, cr, width, height, NULL, NULL, NULL,
                               cancellable, error) &&
         check_cairo (cairo_status (cr), NULL, error);
}

/* Output of the PNG encoder: a sink or memory. */
typedef gboolean (*WriteFunc) (gpointer      closure,
                               const guchar *data,
                               gsize         length);

typedef struct
{
  WriteFunc     write;
  gpointer      closure;
  GCancellable *cancellable;
  char         *message;    /* libpng's error, when it gave up */
} PngOutput;

static void
png_write_cb (png_structp  png,
              png_bytep    data,
              png_size_t   length)
{
  PngOutput *output = png_get_io_ptr (png);

  /* The sink or the caller has the details; libpng only needs to stop. */
  if (!output->write (output->closure, data, length))
    png_error (png, "write failed");
}

static void
png_flush_cb (png_structp png)
{
}

static void
png_error_cb (png_structp     png,
              png_const_charp message)
{
  PngOutput *output = png_get_error_ptr (png);

  g_free (output->message);
  output->message = g_strdup (message);
  png_longjmp (png, 1);
}

static void
png_warning_cb (png_structp     png,
                png_const_charp message)
{
  g_debug ("libpng: %s", message);
}

/* Writes rows [0, height) of @pixels; FALSE when cancelled. Separate from
 * write_png so that no local of the caller changes after its setjmp. */
static gboolean
write_png_rows (png_structp    png,
                const guchar  *pixels,
                int            height,
                int            stride,
                GCancellable  *cancellable)
{
  for (int y = 0; y < height; y++)
    {
      if (y % 64 == 0 && g_cancellable_is_cancelled (cancellable))
        return FALSE;
      png_write_row (png, (png_const_bytep) (pixels + (gsize) y * stride));
    }
  return TRUE;
}

/* Writes an opaque RGB24 surface as an 8-bit RGB PNG with its resolution
 * (pHYs) and title (iTXt), through libpng (cairo's own dependency).
 * Settings measured on the 100k page (8000x2000) and the sample
 * (2400x1200), whole export / file size:
 *
 *   filter  level strategy   100k              sample
 *   up      1     default    218 ms  1.79 MB   24.5 ms  131 kB   <- chosen
 *   up      2     default    237 ms  1.73 MB   24.5 ms  129 kB
 *   up      1     RLE        249 ms  3.96 MB   25.6 ms  188 kB
 *   up      6     default    347 ms  1.42 MB   42 ms
 *   none    1     RLE        278 ms  7.83 MB   29.6 ms
 *   paeth   1     RLE        288 ms  3.45 MB   47.8 ms
 *   all     6     default    550 ms  1.58 MB   73.8 ms   92 kB (cairo's own)
 *
 * Pages are flat colour: "up" turns every row that repeats the one above
 * into zeros and level 1 finds the runs left; the adaptive filters and
 * deeper searches cost two to three times as much for little. cairo's
 * xRGB words go in as they are: libpng drops the filler byte and swaps
 * to RGB itself. */
static gboolean
write_png (cairo_surface_t  *surface,
           guint32           pixels_per_metre,
           const char       *title,
           WriteFunc         write,
           gpointer          closure,
           GCancellable     *cancellable,
           GError          **error)
{
  int width = cairo_image_surface_get_width (surface);
  int height = cairo_image_surface_get_height (surface);
  int stride = cairo_image_surface_get_stride (surface);
  const guchar *pixels = cairo_image_surface_get_data (surface);
  PngOutput output = { write, closure, cancellable, NULL };
  png_structp png;
  png_infop info;
  png_text text = { 0, };
  gboolean complete = FALSE;

  g_assert (cairo_image_surface_get_format (surface) == CAIRO_FORMAT_RGB24);

  png = png_create_write_struct (PNG_LIBPNG_VER_STRING, &output, png_error_cb, png_warning_cb);
  info = png != NULL ? png_create_info_struct (png) : NULL;
  if (info == NULL)
    {
      png_destroy_write_struct (&png, NULL);
      g_set_error (error, CM_EXPORT_ERROR, CM_EXPORT_ERROR_TOO_LARGE,
                   _("Cannot write the PNG: out of memory"));
      return FALSE;
    }

  if (setjmp (png_jmpbuf (png)) == 0)
    {
      png_set_write_fn (png, &output, png_write_cb, png_flush_cb);
      png_set_IHDR (png, info, width, height, 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
                    PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
      png_set_pHYs (png, info, pixels_per_metre, pixels_per_metre, PNG_RESOLUTION_METER);
      if (title != NULL && g_utf8_validate (title, -1, NULL))
        {
          text.compression = PNG_ITXT_COMPRESSION_NONE;
          text.key = (png_charp) "Title";
          text.text = (png_charp) title;
          png_set_text (png, info, &text, 1);
        }
      png_set_filter (png, PNG_FILTER_TYPE_BASE, PNG_FILTER_UP);
      png_set_compression_level (png, 1);
      png_write_info (png, info);
#if G_BYTE_ORDER == G_LITTLE_ENDIAN
      png_set_bgr (png);
      png_set_filler (png, 0, PNG_FILLER_AFTER);
#else
      png_set_filler (png, 0, PNG_FILLER_BEFORE);
#endif
      if (write_png_rows (png, pixels, height, stride, cancellable))
        {
          png_write_end (png, info);
          complete = TRUE;
        }
    }
  png_destroy_write_struct (&png, &info);

  if (complete)
    return TRUE;
  if (!g_cancellable_set_error_if_cancelled (cancellable, error))
    g_set_error (error, CM_EXPORT_ERROR, CM_EXPORT_ERROR_FAILED,
                 _("Cannot write the PNG: %s"), output.message ? output.message : "");
  g_free (output.message);
  return FALSE;
}

static const char *
get_export_title (CmDataset             *dataset,
                  const CmExportOptions *options)
{
  if (options->title != NULL && options->title[0] != '\0')
    return options->title;
  if (cm_dataset_get_title (dataset) != NULL)
    return cm_dataset_get_title (dataset);
  return _("Timeline");
}

static gboolean
byte_array_write (gpointer      closure,
                  const guchar *data,
                  gsize         length)
{
  g_byte_array_append (closure, data, length);
  return TRUE;
}

static gboolean
sink_write (gpointer      closure,
            const guchar *data,
            gsize         length)
{
  return sink_write_raw (closure, data, length);
}

/* Draws the page into a new RGB24 image and encodes it. */
static gboolean
encode_png (CmDataset              *dataset,
            const CmExportOptions  *options,
            WriteFunc               write,
            gpointer                closure,
            CmExportProgressFunc    progress,
            gpointer                progress_data,
            GCancellable           *cancellable,
            GError                **error)
{
  cairo_surface_t *surface;
  double width, height;
  cairo_t *cr;
  gboolean ok;

  _cm_export_get_page_size (dataset, options, &width, &height);
  /* Opaque pages: no alpha to store. */
  surface = create_image (CAIRO_FORMAT_RGB24, (int) ceil (width * options->scale),
                          (int) ceil (height * options->scale));
  if (!check_cairo (cairo_surface_status (surface), NULL, error))
    {
      cairo_surface_destroy (surface);
      return FALSE;
    }

  cr = cairo_create (surface);
  cairo_scale (cr, options->scale, options->scale);
  ok = _cm_export_page_draw (dataset, options, cr, width, height, NULL,
                             progress, progress_data, cancellable, error) &&
       check_cairo (cairo_status (cr), NULL, error);
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  ok = ok && write_png (surface, (guint32) lround (SCREEN_DPI * options->scale / 0.0254),
                        get_export_title (dataset, options), write, closure, cancellable,
                        error);
  cairo_surface_destroy (surface);

  return ok;
}

GBytes *
cm_exporter_render_png (CmDataset              *dataset,
                        const CmExportOptions  *options,
                        GCancellable           *cancellable,
                        GError                **error)
{
  g_autoptr(GByteArray) png = NULL;

  g_return_val_if_fail (CM_IS_DATASET (dataset), NULL);
  g_return_val_if_fail (options != NULL, NULL);

  if (!cm_export_options_validate (options, error))
    return NULL;

  png = g_byte_array_new ();
  if (!encode_png (dataset, options, byte_array_write, png, NULL, NULL, cancellable, error))
    return NULL;

  return g_byte_array_free_to_bytes (g_steal_pointer (&png));
}

typedef struct
{
  CmExportProgressFunc func;
  gpointer             data;
  double               start;
  double               span;
} ProgressRange;

/* Maps the page's [0, 1] into the part of the export it is. */
static void
progress_range_cb (double   fraction,
                   gpointer user_data)
{
  ProgressRange *range = user_data;

  if (range->func != NULL)
    range->func (range->start + fraction * range->span, range->data);
}

static gboolean
write_vector (CmDataset              *dataset,
              const CmExportOptions  *options,
              Sink                   *sink,
              CmExportProgressFunc    progress,
              gpointer                progress_data,
              GCancellable           *cancellable,
              GError                **error)
{
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  CmExportPageInfo info = { 0, };
  ProgressRange range = { progress, progress_data, 0, 0.7 };
  cairo_surface_t *surface;
  double width, height;
  cairo_t *cr;
  gboolean ok;

  _cm_export_get_page_size (dataset, options, &width, &height);

  if (options->format == CM_EXPORT_FORMAT_PDF)
    {
      surface = cairo_pdf_surface_create_for_stream (sink_write_cb, sink, width, height);
      cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE,
                                      get_export_title (dataset, options));
      cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Chronomap");
    }
  else
    {
      surface = cairo_svg_surface_create_for_stream (sink_write_cb, sink, width, height);
      cairo_svg_surface_set_document_unit (surface, CAIRO_SVG_UNIT_PX);
      sink->svg_title = get_export_title (dataset, options);
      sink->svg_texts = texts;
      info.texts = texts;
    }

  cr = cairo_create (surface);
  ok = _cm_export_page_draw (dataset, options, cr, width, height, &info,
                             progress_range_cb, &range, cancellable, error) &&
       check_cairo (cairo_status (cr), sink, error);
  cairo_destroy (cr);

  if (ok)
    {
      cairo_surface_finish (surface);
      ok = check_cairo (cairo_surface_status (surface), sink, error);
    }
  cairo_surface_destroy (surface);
  sink->svg_texts = NULL;

  return ok;
}

static gboolean
write_to_sink (CmDataset              *dataset,
               const CmExportOptions  *options,
               Sink                   *sink,
               CmExportProgressFunc    progress,
               gpointer                progress_data,
               GCancellable           *cancellable,
               GError                **error)
{
  if (options->format == CM_EXPORT_FORMAT_PNG)
    {
      ProgressRange range = { progress, progress_data, 0, 0.6 };
      GError *local_error = NULL;

      if (encode_png (dataset, options, sink_write, sink, progress_range_cb, &range,
                      cancellable, &local_error))
        return TRUE;

      /* A failed write is the sink's error; the encoder only saw FALSE. */
      if (sink->error != NULL)
        {
          g_clear_error (&local_error);
          g_propagate_error (error, g_steal_pointer (&sink->error));
        }
      else
        g_propagate_error (error, local_error);
      return FALSE;
    }

  return write_vector (dataset, options, sink, progress, progress_data, cancellable, error);
}

/* Files with no local path (rare: remote GVfs locations) are drawn into
 * memory and handed to g_file_replace_contents(), atomic where the
 * backend can be. */
static gboolean
write_remote (CmDataset              *dataset,
              const CmExportOptions  *options,
              GFile                  *file,
              CmExportProgressFunc    progress,
              gpointer                progress_data,
              GCancellable           *cancellable,
              GError                **error)
{
  g_autoptr(GByteArray) memory = g_byte_array_new ();
  g_autofree char *name = g_file_get_parse_name (file);
  Sink sink = { -1, memory, name, 0, cancellable, NULL, };

  if (!write_to_sink (dataset, options, &sink, progress, progress_data, cancellable, error))
    {
      g_clear_error (&sink.error);
      return FALSE;
    }

  return g_file_replace_contents (file, (const char *) memory->data, memory->len, NULL, FALSE,
                                  G_FILE_CREATE_NONE, NULL, cancellable, error);
}

static gboolean
write_full (CmDataset              *dataset,
            const CmExportOptions  *options,
            GFile                  *file,
            CmExportProgressFunc    progress,
            gpointer                progress_data,
            GCancellable           *cancellable,
            GError                **error)
{
  g_autofree char *path = NULL;
  g_autofree char *name = NULL;
  g_autoptr(CmAtomicFile) atomic = NULL;
  Sink sink = { -1, };

  g_return_val_if_fail (CM_IS_DATASET (dataset), FALSE);
  g_return_val_if_fail (options != NULL, FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!cm_export_options_validate (options, error))
    return FALSE;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  path = g_file_get_path (file);
  if (path == NULL)
    return write_remote (dataset, options, file, progress, progress_data, cancellable, error);

  /* A temporary file beside the target (through a symbolic link, beside
   * the file it points to), removed on failure and on SIGINT/SIGTERM. */
  name = g_filename_display_name (path);
  atomic = cm_atomic_file_new (path, name, error);
  if (atomic == NULL)
    return FALSE;
  sink.fd = cm_atomic_file_get_fd (atomic);
  sink.display_name = name;
  sink.cancellable = cancellable;

  if (!write_to_sink (dataset, options, &sink, progress, progress_data, cancellable, error) ||
      g_cancellable_set_error_if_cancelled (cancellable, error))
    {
      g_clear_error (&sink.error);
      return FALSE;
    }

  if (!cm_atomic_file_commit (g_steal_pointer (&atomic), error))
    return FALSE;

  if (progress != NULL)
    progress (1.0, progress_data);
  return TRUE;
}

gboolean
cm_exporter_write_full (CmDataset              *dataset,
                        const CmExportOptions  *options,
                        GFile                  *file,
                        CmExportProgressFunc    progress,
                        gpointer                progress_data,
                        GCancellable           *cancellable,
                        GError                **error)
{
  gboolean written;

  if (!exit_guard_enter (cancellable, error))
    return FALSE;
  written = write_full (dataset, options, file, progress, progress_data, cancellable, error);
  cm_exit_guard_leave (cancellable);
  return written;
}

gboolean
cm_exporter_write (CmDataset              *dataset,
                   const CmExportOptions  *options,
                   GFile                  *file,
                   GCancellable           *cancellable,
                   GError                **error)
{
  return cm_exporter_write_full (dataset, options, file, NULL, NULL, cancellable, error);
}

/* Progress from the worker thread, passed to the caller's main context.
 * The relay lives until the last queued report has run. */
typedef struct
{
  CmExportProgressFunc  func;
  gpointer              data;
  GDestroyNotify        destroy;
  GMainContext         *context;
  double                last;
} ProgressRelay;

typedef struct
{
  ProgressRelay *relay;
  double         fraction;
} ProgressReport;

static gboolean
progress_destroy_cb (gpointer user_data)
{
  ProgressRelay *relay = user_data;

  relay->destroy (relay->data);
  return G_SOURCE_REMOVE;
}

static void
progress_relay_free (gpointer data)
{
  ProgressRelay *relay = data;

  /* The last reference may go in the worker thread; the data belongs to
   * the caller's thread. */
  if (relay->destroy != NULL)
    {
      ProgressRelay *copy = g_memdup2 (relay, sizeof *relay);

      g_main_context_invoke_full (relay->context, G_PRIORITY_DEFAULT, progress_destroy_cb,
                                  copy, g_free);
    }
  g_main_context_unref (relay->context);
}

static gboolean
progress_report_cb (gpointer user_data)
{
  ProgressReport *report = user_data;

  report->relay->func (report->fraction, report->relay->data);
  return G_SOURCE_REMOVE;
}

static void
progress_report_free (gpointer data)
{
  ProgressReport *report = data;

  g_atomic_rc_box_release_full (report->relay, progress_relay_free);
  g_free (report);
}

static void
relay_progress_cb (double   fraction,
                   gpointer user_data)
{
  ProgressRelay *relay = user_data;
  ProgressReport *report;

  /* A report per percent at most keeps the main loop free. */
  if (fraction < relay->last + 0.01 && fraction < 1.0)
    return;
  relay->last = fraction;

  report = g_new0 (ProgressReport, 1);
  report->relay = g_atomic_rc_box_acquire (relay);
  report->fraction = fraction;
  g_main_context_invoke_full (relay->context, G_PRIORITY_DEFAULT, progress_report_cb, report,
                              progress_report_free);
}

typedef struct
{
  CmDataset       *dataset;
  CmExportOptions  options;
  GFile           *file;
  ProgressRelay   *relay;
} WriteData;

static void
write_data_free (gpointer data)
{
  WriteData *write_data = data;

  g_clear_object (&write_data->dataset);
  g_clear_object (&write_data->file);
  cm_export_options_clear (&write_data->options);
  if (write_data->relay != NULL)
    g_atomic_rc_box_release_full (write_data->relay, progress_relay_free);
  g_free (write_data);
}

static void
write_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  WriteData *data = task_data;
  GError *error = NULL;

  if (cm_exporter_write_full (data->dataset, &data->options, data->file,
                              data->relay != NULL ? relay_progress_cb : NULL, data->relay,
                              cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
cm_exporter_write_async (CmDataset              *dataset,
                         const CmExportOptions  *options,
                         GFile                  *file,
                         CmExportProgressFunc    progress,
                         gpointer                progress_data,
                         GDestroyNotify          progress_destroy,
                         GCancellable           *cancellable,
                         GAsyncReadyCallback     callback,
                         gpointer                user_data)
{
  g_autoptr(GTask) task = NULL;
  WriteData *data;

  g_return_if_fail (CM_IS_DATASET (dataset));
  g_return_if_fail (options != NULL);
  g_return_if_fail (G_IS_FILE (file));

  data = g_new0 (WriteData, 1);
  data->dataset = g_object_ref (dataset);
  data->file = g_object_ref (file);
  cm_export_options_copy (options, &data->options);
  if (progress != NULL)
    {
      data->relay = g_atomic_rc_box_new0 (ProgressRelay);
      data->relay->func = progress;
      data->relay->data = progress_data;
      data->relay->destroy = progress_destroy;
      data->relay->context = g_main_context_ref_thread_default ();
      data->relay->last = -1;
    }
  else if (progress_destroy != NULL)
    progress_destroy (progress_data);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, cm_exporter_write_async);
  g_task_set_task_data (task, data, write_data_free);
  g_task_run_in_thread (task, write_thread);
}

gboolean
cm_exporter_write_finish (GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cm_exporter_write_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
