/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-export"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "cm-export-dialog-private.h"
#include "cm-exporter.h"

/* Previews are drawn in a worker thread after the options stop changing
 * for this long, so typing a date or a title stays fluid. */
#define PREVIEW_DELAY_MS 120
/* A preview at 100% of a huge page is drawn smaller than this many
 * pixels (a 16000 x 8000 PNG would need 512 MB of texture). */
#define MAX_PREVIEW_PIXELS (64.0 * 1024 * 1024)

enum
{
  RANGE_ALL,
  RANGE_DATES,
  RANGE_VIEW,
};

enum
{
  PAPER_A4,
  PAPER_A3,
  PAPER_LETTER,
};

struct _CmExportDialog
{
  AdwWindow       parent_instance;

  CmSession      *session;
  GSettings      *settings;          /* NULL when the schema is not installed */
  gboolean        has_view_range;
  gint64          view_t0;
  gint64          view_t1;

  guint           preview_source;
  GCancellable   *preview_cancellable;
  GCancellable   *export_cancellable;
  GFile          *export_file;

  GtkWidget      *cancel_button;
  GtkWidget      *export_button;
  GtkWidget      *options_box;
  GtkPicture     *preview;
  GtkWidget      *preview_scroller;
  GtkToggleButton *zoom_actual_button;
  GtkToggleButton *zoom_fit_button;
  GdkTexture     *preview_texture;   /* what the preview shows, in device pixels */
  GtkSpinner     *preview_spinner;
  GtkLabel       *status_label;
  GtkProgressBar *progress_bar;
  AdwComboRow    *format_row;
  GtkWidget      *width_row;
  GtkWidget      *height_row;
  GtkSpinButton  *width_spin;
  GtkSpinButton  *height_spin;
  AdwComboRow    *scale_row;
  AdwComboRow    *paper_row;
  AdwComboRow    *orientation_row;
  AdwComboRow    *layout_row;
  AdwComboRow    *range_row;
  GtkStringList  *range_model;
  AdwEntryRow    *from_row;
  AdwEntryRow    *to_row;
  AdwComboRow    *lanes_row;
  GtkWidget      *filter_row;
  GtkSwitch      *filter_switch;
  AdwComboRow    *theme_row;
  GtkSwitch      *title_switch;
  AdwEntryRow    *title_row;
  GtkSwitch      *legend_switch;
};

G_DEFINE_FINAL_TYPE (CmExportDialog, cm_export_dialog, ADW_TYPE_WINDOW)

enum
{
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

enum
{
  EXPORTED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static CmDataset *
get_dataset (CmExportDialog *self)
{
  return self->session != NULL ? cm_session_get_dataset (self->session) : NULL;
}

/* A date typed in a row; the message names the row, not the option. */
static gboolean
set_date (CmExportOptions  *options,
          const char       *option,
          const char       *label,
          const char       *text,
          GError          **error)
{
  g_autoptr(GError) local_error = NULL;
  gsize skip = strlen (option) + 2;

  if (cm_export_options_set (options, option, text, &local_error))
    return TRUE;

  g_set_error (error, local_error->domain, local_error->code, "%s: %s", label,
               strlen (local_error->message) > skip ? local_error->message + skip
                                                     : local_error->message);
  return FALSE;
}

/* The options as the rows show them; a bad date is an error. */
static gboolean
read_options (CmExportDialog   *self,
              CmExportOptions  *options,
              GError          **error)
{
  CmFilter *filter = self->session != NULL ? cm_session_get_filter (self->session) : NULL;
  guint range = adw_combo_row_get_selected (self->range_row);
  const char *title = gtk_editable_get_text (GTK_EDITABLE (self->title_row));

  cm_export_options_init (options);
  options->format = adw_combo_row_get_selected (self->format_row);
  options->format_set = TRUE;
  options->width = gtk_spin_button_get_value_as_int (self->width_spin);
  options->height = gtk_spin_button_get_value_as_int (self->height_spin);
  options->size_set = TRUE;
  options->scale = adw_combo_row_get_selected (self->scale_row) == 1 ? 2 : 1;
  options->paper = CM_EXPORT_PAPER_A4 + MIN (adw_combo_row_get_selected (self->paper_row),
                                             PAPER_LETTER);
  options->landscape = adw_combo_row_get_selected (self->orientation_row) == 0;
  options->layout = adw_combo_row_get_selected (self->layout_row);
  options->lanes = adw_combo_row_get_selected (self->lanes_row);
  options->theme = adw_combo_row_get_selected (self->theme_row);
  options->show_title = gtk_switch_get_active (self->title_switch);
  options->show_legend = gtk_switch_get_active (self->legend_switch);
  if (title[0] != '\0')
    options->title = g_strdup (title);

  if (range == RANGE_VIEW && self->has_view_range)
    {
      options->has_from = options->has_to = TRUE;
      options->from_zoned = options->to_zoned = TRUE;
      options->from = self->view_t0;
      options->to = self->view_t1;
    }
  else if (range == RANGE_DATES)
    {
      const char *from = gtk_editable_get_text (GTK_EDITABLE (self->from_row));
      const char *to = gtk_editable_get_text (GTK_EDITABLE (self->to_row));

      if ((from[0] != '\0' && !set_date (options, "--from", _("From"), from, error)) ||
          (to[0] != '\0' && !set_date (options, "--to", _("To"), to, error)))
        return FALSE;
    }

  if (filter != NULL && cm_filter_is_active (filter) && gtk_switch_get_active (self->filter_switch))
    cm_export_options_set_filter (options, get_dataset (self),
                                  cm_filter_get_visible (filter, NULL));

  return cm_export_options_validate (options, error);
}

static void
set_status (CmExportDialog *self,
            const char     *message,
            gboolean        is_error)
{
  gtk_label_set_text (self->status_label, message != NULL ? message : "");
  if (is_error)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "dim-label");
      gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "error");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "dim-label");
    }
}

typedef struct
{
  CmDataset       *dataset;
  CmExportOptions  options;
  double           scale;         /* device pixels per page unit */
  double           logical_scale; /* what the preview shows: logical pixels per page unit */
} PreviewData;

static void
preview_data_free (gpointer data)
{
  PreviewData *preview = data;

  g_clear_object (&preview->dataset);
  cm_export_options_clear (&preview->options);
  g_free (preview);
}

static void
render_preview_thread (GTask        *task,
                       gpointer      source_object,
                       gpointer      task_data,
                       GCancellable *cancellable)
{
  PreviewData *data = task_data;
  GError *error = NULL;
  cairo_surface_t *surface = cm_exporter_render_image (data->dataset, &data->options,
                                                       data->scale, cancellable, &error);

  if (surface == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, surface, (GDestroyNotify) cairo_surface_destroy);
}

/* The surface's premultiplied native-endian words as they are
 * (GDK_MEMORY_DEFAULT), with no copy. */
static GdkTexture *
texture_for_surface (cairo_surface_t *surface)
{
  g_autoptr(GBytes) bytes = NULL;
  int height = cairo_image_surface_get_height (surface);
  int stride = cairo_image_surface_get_stride (surface);

  /* The texture keeps the surface's pixels alive. */
  bytes = g_bytes_new_with_free_func (cairo_image_surface_get_data (surface),
                                      (gsize) height * stride,
                                      (GDestroyNotify) cairo_surface_destroy,
                                      cairo_surface_reference (surface));
  return gdk_memory_texture_new (cairo_image_surface_get_width (surface), height,
                                 GDK_MEMORY_DEFAULT, bytes, stride);
}

static void
preview_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  CmExportDialog *self = CM_EXPORT_DIALOG (source);
  PreviewData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  cairo_surface_t *surface = g_task_propagate_pointer (G_TASK (result), &error);
  g_autoptr(GdkPaintable) paintable = NULL;
  GtkSnapshot *snapshot;
  graphene_size_t size;
  double width, height;
  gboolean actual;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  gtk_spinner_stop (self->preview_spinner);
  if (surface == NULL)
    {
      set_status (self, error->message, TRUE);
      g_clear_object (&self->preview_texture);
      gtk_picture_set_paintable (self->preview, NULL);
      return;
    }

  g_set_object (&self->preview_texture, NULL);
  self->preview_texture = texture_for_surface (surface);
  cairo_surface_destroy (surface);

  /* The texture has device pixels; the picture's size is in logical ones
   * (half as many at scale 2), so wrap it in a paintable of that size. */
  cm_export_options_get_page_size (&data->options, &width, &height);
  graphene_size_init (&size, width * data->logical_scale, height * data->logical_scale);
  snapshot = gtk_snapshot_new ();
  gtk_snapshot_append_texture (snapshot, self->preview_texture,
                               &GRAPHENE_RECT_INIT (0, 0, size.width, size.height));
  paintable = gtk_snapshot_free_to_paintable (snapshot, &size);

  /* At 100% the page keeps its size and the view scrolls; fitted, it
   * shrinks with the window. */
  actual = gtk_toggle_button_get_active (self->zoom_actual_button);
  gtk_picture_set_can_shrink (self->preview, !actual);
  gtk_widget_set_halign (GTK_WIDGET (self->preview), actual ? GTK_ALIGN_CENTER : GTK_ALIGN_FILL);
  gtk_widget_set_valign (GTK_WIDGET (self->preview), actual ? GTK_ALIGN_CENTER : GTK_ALIGN_FILL);
  gtk_picture_set_paintable (self->preview, paintable);
}

/* Screen pixels per page unit at 100%: PNG pixels are the file's pixels
 * (the page times the chosen scale), SVG units are CSS pixels, PDF points
 * are 1/72 inch on a 96 dpi screen. */
static double
get_actual_scale (const CmExportOptions *options)
{
  switch (options->format)
    {
    case CM_EXPORT_FORMAT_PNG:
      return options->scale;
    case CM_EXPORT_FORMAT_PDF:
      return 96.0 / 72.0;
    case CM_EXPORT_FORMAT_SVG:
    default:
      return 1.0;
    }
}

static void
describe_size (CmExportDialog        *self,
               const CmExportOptions *options)
{
  g_autofree char *text = NULL;
  double width, height;

  cm_export_options_get_page_size (options, &width, &height);
  if (options->format == CM_EXPORT_FORMAT_PNG)
    text = g_strdup_printf (_("%.0f × %.0f pixels"), width * options->scale,
                            height * options->scale);
  else if (options->format == CM_EXPORT_FORMAT_PDF)
    text = g_strdup_printf (_("%.0f × %.0f mm"), width / 72 * 25.4, height / 72 * 25.4);
  else
    text = g_strdup_printf (_("%.0f × %.0f"), width, height);

  set_status (self, text, FALSE);
}

static gboolean
preview_timeout_cb (gpointer user_data)
{
  CmExportDialog *self = user_data;
  g_auto(CmExportOptions) options = { 0, };
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) task = NULL;
  CmDataset *dataset = get_dataset (self);
  PreviewData *data;
  double width, height, area_width, area_height;
  int scale_factor;

  self->preview_source = 0;

  g_cancellable_cancel (self->preview_cancellable);
  g_clear_object (&self->preview_cancellable);

  if (dataset == NULL)
    return G_SOURCE_REMOVE;

  if (!read_options (self, &options, &error))
    {
      set_status (self, error->message, TRUE);
      gtk_widget_set_sensitive (self->export_button, FALSE);
      return G_SOURCE_REMOVE;
    }
  gtk_widget_set_sensitive (self->export_button, TRUE);
  describe_size (self, &options);

  cm_export_options_get_page_size (&options, &width, &height);
  area_width = MAX (gtk_widget_get_width (self->preview_scroller), 480);
  area_height = MAX (gtk_widget_get_height (self->preview_scroller), 320);
  scale_factor = gtk_widget_get_scale_factor (GTK_WIDGET (self));

  data = g_new0 (PreviewData, 1);
  data->dataset = g_object_ref (dataset);
  cm_export_options_copy (&options, &data->options);
  if (gtk_toggle_button_get_active (self->zoom_actual_button))
    {
      /* The file's own pixels, one to one on the screen's pixels (on a
       * 2x screen the page looks half as large, and exact). */
      data->scale = MIN (get_actual_scale (&options), sqrt (MAX_PREVIEW_PIXELS / (width * height)));
      if (data->scale < get_actual_scale (&options))
        {
          g_autofree char *note = g_strdup_printf (_("%s; too large to preview at 100%%, shown at %.0f%%"),
                                                   gtk_label_get_text (self->status_label),
                                                   100 * data->scale / get_actual_scale (&options));

          set_status (self, note, FALSE);
        }
      data->logical_scale = data->scale / scale_factor;
    }
  else
    {
      data->logical_scale = MIN (area_width / width, area_height / height);
      data->logical_scale = CLAMP (data->logical_scale, 0.02, 2.0);
      data->scale = data->logical_scale * scale_factor;
    }

  self->preview_cancellable = g_cancellable_new ();
  task = g_task_new (self, self->preview_cancellable, preview_done_cb, NULL);
  g_task_set_source_tag (task, preview_timeout_cb);
  g_task_set_task_data (task, data, preview_data_free);
  g_task_run_in_thread (task, render_preview_thread);
  gtk_spinner_start (self->preview_spinner);

  return G_SOURCE_REMOVE;
}

static void
schedule_preview (CmExportDialog *self)
{
  g_clear_handle_id (&self->preview_source, g_source_remove);
  self->preview_source = g_timeout_add (PREVIEW_DELAY_MS, preview_timeout_cb, self);
}

static void
update_rows (CmExportDialog *self)
{
  CmExportFormat format = adw_combo_row_get_selected (self->format_row);
  const char *unit = format == CM_EXPORT_FORMAT_PNG ? _("Pixels") : _("Points");
  CmFilter *filter = self->session != NULL ? cm_session_get_filter (self->session) : NULL;
  gboolean dates = adw_combo_row_get_selected (self->range_row) == RANGE_DATES;

  gtk_widget_set_visible (self->width_row, format != CM_EXPORT_FORMAT_PDF);
  gtk_widget_set_visible (self->height_row, format != CM_EXPORT_FORMAT_PDF);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->width_row), unit);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->height_row), unit);
  gtk_widget_set_visible (GTK_WIDGET (self->scale_row), format == CM_EXPORT_FORMAT_PNG);
  gtk_widget_set_visible (GTK_WIDGET (self->paper_row), format == CM_EXPORT_FORMAT_PDF);
  gtk_widget_set_visible (GTK_WIDGET (self->orientation_row), format == CM_EXPORT_FORMAT_PDF);
  gtk_widget_set_visible (GTK_WIDGET (self->from_row), dates);
  gtk_widget_set_visible (GTK_WIDGET (self->to_row), dates);
  gtk_widget_set_visible (self->filter_row, filter != NULL && cm_filter_is_active (filter));
  gtk_widget_set_sensitive (GTK_WIDGET (self->title_row),
                            gtk_switch_get_active (self->title_switch));
}

static void
option_changed_cb (CmExportDialog *self)
{
  update_rows (self);
  schedule_preview (self);
}

static void
zoom_toggled_cb (CmExportDialog *self)
{
  schedule_preview (self);
}

static gboolean
zoom_shortcut_cb (GtkWidget *widget,
                  GVariant  *args,
                  gpointer   user_data)
{
  CmExportDialog *self = CM_EXPORT_DIALOG (widget);

  gtk_toggle_button_set_active (g_variant_get_boolean (args) ? self->zoom_actual_button
                                                             : self->zoom_fit_button, TRUE);
  return TRUE;
}

static void
load_settings (CmExportDialog *self)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema == NULL || !g_settings_schema_has_key (schema, "export-layout"))
    return;

  self->settings = g_settings_new (APP_ID);
  adw_combo_row_set_selected (self->format_row, g_settings_get_enum (self->settings,
                                                                     "export-format"));
  gtk_spin_button_set_value (self->width_spin, g_settings_get_int (self->settings,
                                                                   "export-width"));
  gtk_spin_button_set_value (self->height_spin, g_settings_get_int (self->settings,
                                                                    "export-height"));
  adw_combo_row_set_selected (self->scale_row,
                              g_settings_get_int (self->settings, "export-scale") == 2);
  adw_combo_row_set_selected (self->theme_row, g_settings_get_enum (self->settings,
                                                                    "export-theme"));
  gtk_switch_set_active (self->title_switch, g_settings_get_boolean (self->settings,
                                                                     "export-title"));
  gtk_switch_set_active (self->legend_switch, g_settings_get_boolean (self->settings,
                                                                      "export-legend"));
  adw_combo_row_set_selected (self->layout_row, g_settings_get_enum (self->settings,
                                                                     "export-layout"));
  if (g_settings_schema_has_key (schema, "lanes"))
    adw_combo_row_set_selected (self->lanes_row, g_settings_get_enum (self->settings, "lanes"));
}

static void
save_settings (CmExportDialog        *self,
               const CmExportOptions *options)
{
  if (self->settings == NULL)
    return;

  g_settings_delay (self->settings);
  g_settings_set_enum (self->settings, "export-format", options->format);
  g_settings_set_int (self->settings, "export-width", options->width);
  g_settings_set_int (self->settings, "export-height", options->height);
  g_settings_set_int (self->settings, "export-scale", options->scale);
  g_settings_set_enum (self->settings, "export-theme", options->theme);
  g_settings_set_boolean (self->settings, "export-title", options->show_title);
  g_settings_set_boolean (self->settings, "export-legend", options->show_legend);
  g_settings_set_enum (self->settings, "export-layout", options->layout);
  g_settings_apply (self->settings);
}

static void
set_exporting (CmExportDialog *self,
               gboolean        exporting)
{
  gtk_widget_set_sensitive (self->options_box, !exporting);
  gtk_widget_set_sensitive (self->export_button, !exporting);
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), exporting);
  gtk_progress_bar_set_fraction (self->progress_bar, 0);
  if (!exporting)
    g_clear_object (&self->export_cancellable);
}

static void
export_progress_cb (double   fraction,
                    gpointer user_data)
{
  CmExportDialog *self = user_data;

  gtk_progress_bar_set_fraction (self->progress_bar, fraction);
}

static void
export_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(CmExportDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = g_steal_pointer (&self->export_file);

  if (!cm_exporter_write_finish (result, &error))
    {
      set_exporting (self, FALSE);
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_status (self, _("Export cancelled"), FALSE);
      else
        set_status (self, error->message, TRUE);
      return;
    }

  set_exporting (self, FALSE);
  g_signal_emit (self, signals[EXPORTED], 0, file);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
start_export (CmExportDialog *self,
              GFile          *file)
{
  g_auto(CmExportOptions) options = { 0, };
  g_autoptr(GError) error = NULL;

  if (!read_options (self, &options, &error))
    {
      set_status (self, error->message, TRUE);
      return;
    }

  save_settings (self, &options);
  set_exporting (self, TRUE);
  {
    g_autofree char *name = g_file_get_basename (file);
    g_autofree char *text = g_strdup_printf (_("Exporting to “%s”…"), name);

    set_status (self, text, FALSE);
  }

  self->export_cancellable = g_cancellable_new ();
  g_set_object (&self->export_file, file);
  cm_exporter_write_async (get_dataset (self), &options, file, export_progress_cb,
                           g_object_ref (self), g_object_unref, self->export_cancellable,
                           export_done_cb, g_object_ref (self));
}

static char *
suggest_name (CmExportDialog *self,
              CmExportFormat  format)
{
  const char *title = gtk_editable_get_text (GTK_EDITABLE (self->title_row));
  g_autofree char *base = NULL;

  if (title[0] == '\0' && get_dataset (self) != NULL)
    title = cm_dataset_get_title (get_dataset (self));
  if (title == NULL || title[0] == '\0')
    title = _("Timeline");

  /* A file name, not a path. */
  base = g_strdelimit (g_strdup (title), "/\\:", '-');
  return g_strdup_printf ("%s.%s", base, cm_export_format_to_extension (format));
}

static GtkFileFilter *
create_filter (CmExportFormat format)
{
  GtkFileFilter *filter = gtk_file_filter_new ();
  static const char *names[] = { N_("PNG Images"), N_("SVG Drawings"), N_("PDF Documents") };

  gtk_file_filter_set_name (filter, _(names[format]));
  gtk_file_filter_add_mime_type (filter, cm_export_format_to_mime_type (format));
  return filter;
}

#if GTK_CHECK_VERSION (4, 10, 0)
static void
save_dialog_done_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(CmExportDialog) self = user_data;
  g_autoptr(GFile) file = gtk_file_dialog_save_finish (GTK_FILE_DIALOG (source), result, NULL);

  if (file != NULL)
    start_export (self, file);
}
#else
static void
native_response_cb (GtkNativeDialog *native,
                    int              response,
                    gpointer         user_data)
{
  g_autoptr(CmExportDialog) self = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native));

      if (file != NULL)
        start_export (self, file);
    }
  g_object_unref (native);
}
#endif

static void
export_clicked_cb (CmExportDialog *self)
{
  g_auto(CmExportOptions) options = { 0, };
  g_autoptr(GError) error = NULL;
  g_autoptr(GtkFileFilter) filter = NULL;
  g_autofree char *name = NULL;

  if (!read_options (self, &options, &error))
    {
      set_status (self, error->message, TRUE);
      return;
    }

  name = suggest_name (self, options.format);
  filter = create_filter (options.format);

  /* GTK 4 file choosers always ask before replacing an existing file. */
#if GTK_CHECK_VERSION (4, 10, 0)
  {
    g_autoptr(GtkFileDialog) dialog = gtk_file_dialog_new ();
    g_autoptr(GListStore) filters = g_list_store_new (GTK_TYPE_FILE_FILTER);

    g_list_store_append (filters, filter);
    gtk_file_dialog_set_title (dialog, _("Export"));
    gtk_file_dialog_set_accept_label (dialog, _("_Export"));
    gtk_file_dialog_set_initial_name (dialog, name);
    gtk_file_dialog_set_filters (dialog, G_LIST_MODEL (filters));
    gtk_file_dialog_set_default_filter (dialog, filter);
    gtk_file_dialog_save (dialog, GTK_WINDOW (self), NULL, save_dialog_done_cb,
                          g_object_ref (self));
  }
#else
  {
    GtkFileChooserNative *native =
      gtk_file_chooser_native_new (_("Export"), GTK_WINDOW (self),
                                   GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));

    gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (native), TRUE);
    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (native), name);
    gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (native), filter);
    g_signal_connect (native, "response", G_CALLBACK (native_response_cb), g_object_ref (self));
    gtk_native_dialog_show (GTK_NATIVE_DIALOG (native));
  }
#endif
}

static void
cancel_clicked_cb (CmExportDialog *self)
{
  if (self->export_cancellable != NULL)
    g_cancellable_cancel (self->export_cancellable);
  else
    gtk_window_close (GTK_WINDOW (self));
}

static void
cm_export_dialog_dispose (GObject *object)
{
  CmExportDialog *self = CM_EXPORT_DIALOG (object);

  g_clear_handle_id (&self->preview_source, g_source_remove);
  if (self->preview_cancellable != NULL)
    g_cancellable_cancel (self->preview_cancellable);
  g_clear_object (&self->preview_cancellable);
  if (self->export_cancellable != NULL)
    g_cancellable_cancel (self->export_cancellable);
  g_clear_object (&self->export_cancellable);
  g_clear_object (&self->export_file);
  g_clear_object (&self->preview_texture);
  g_clear_object (&self->session);
  g_clear_object (&self->settings);

  gtk_widget_dispose_template (GTK_WIDGET (self), CM_TYPE_EXPORT_DIALOG);

  G_OBJECT_CLASS (cm_export_dialog_parent_class)->dispose (object);
}

static void
cm_export_dialog_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  CmExportDialog *self = CM_EXPORT_DIALOG (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cm_export_dialog_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  CmExportDialog *self = CM_EXPORT_DIALOG (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      self->session = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cm_export_dialog_constructed (GObject *object)
{
  CmExportDialog *self = CM_EXPORT_DIALOG (object);
  CmDataset *dataset = get_dataset (self);

  G_OBJECT_CLASS (cm_export_dialog_parent_class)->constructed (object);

  load_settings (self);
  if (dataset != NULL && cm_dataset_get_title (dataset) != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->title_row), cm_dataset_get_title (dataset));

  update_rows (self);
  schedule_preview (self);
}

static void
cm_export_dialog_class_init (CmExportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cm_export_dialog_dispose;
  object_class->get_property = cm_export_dialog_get_property;
  object_class->set_property = cm_export_dialog_set_property;
  object_class->constructed = cm_export_dialog_constructed;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, CM_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[EXPORTED] =
    g_signal_new ("exported", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_FILE);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE
                                               "/cm-export-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CmExportDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, CmExportDialog, export_button);
  gtk_widget_class_bind_template_child (widget_class, CmExportDialog, options_box);
  gtk_widget_class_bind_template_child (widget_class, CmExportDialog, preview);
  gtk_widget_class_bind_template_child (widget_class, CmExportDialog, preview_spinner);
  gtk_widget_class_bind_template_child (widget_class, CmExportDialog, preview_scroller);
  gtk_widget_class_bind_template_child (widget_class, CmExportDialog, zoom_actual_button);
  gtk_widget_class_bind_template_child (widget_class, CmExportDialog, zoom_fit_button);
  gtk_widget_class_bind_template_child (widget_class, CmExportDialog, status_label);
  gtk_widget_class_bind_template_child (widget_class, CmExportDialog, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, CmExportDialog, format_row);
  gtk_widget_class_bind_template_child (widget_class, CmExportDialog, width_row);
  gtk_widget_class_bind_template_child (widget_class, CmExportDialog, height_row);
  gtk_widget_class_bind_template_child (widget_class, CmExportDialog, width_spin);
  gtk_widget_class_bind_template_child (widget_class, CmExportDialog, height_spin);
  gtk_widget_class_bind_template_child (widget_class, CmExportDialog, scale_row);
  gtk_widget_class_bind_template_child (widget_class, CmExportDialog, paper_row);
  gtk_widget_class_bind_template_child (widget_class, CmExportDialog, orientation_row);
  gtk_widget_class_bind_template_child (widget_class, CmExportDialog, layout_row);
  gtk_widget_class_bind_template_child (widget_class, CmExportDialog, range_row);
  gtk_widget_class_bind_template_child (widget_class, CmExportDialog, range_model);
  gtk_widget_class_bind_template_child (widget_class, CmExportDialog, from_row);
  gtk_widget_class_bind_template_child (widget_class, CmExportDialog, to_row);
  gtk_widget_class_bind_template_child (widget_class, CmExportDialog, lanes_row);
  gtk_widget_class_bind_template_child (widget_class, CmExportDialog, filter_row);
  gtk_widget_class_bind_template_child (widget_class, CmExportDialog, filter_switch);
  gtk_widget_class_bind_template_child (widget_class, CmExportDialog, theme_row);
  gtk_widget_class_bind_template_child (widget_class, CmExportDialog, title_switch);
  gtk_widget_class_bind_template_child (widget_class, CmExportDialog, title_row);
  gtk_widget_class_bind_template_child (widget_class, CmExportDialog, legend_switch);
  gtk_widget_class_bind_template_callback (widget_class, export_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, cancel_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, zoom_toggled_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_1, GDK_CONTROL_MASK, zoom_shortcut_cb,
                                "b", TRUE);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_0, GDK_CONTROL_MASK, zoom_shortcut_cb,
                                "b", FALSE);
}

static void
cm_export_dialog_init (CmExportDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect_swapped (self->format_row, "notify::selected",
                            G_CALLBACK (option_changed_cb), self);
  g_signal_connect_swapped (self->scale_row, "notify::selected",
                            G_CALLBACK (option_changed_cb), self);
  g_signal_connect_swapped (self->paper_row, "notify::selected",
                            G_CALLBACK (option_changed_cb), self);
  g_signal_connect_swapped (self->orientation_row, "notify::selected",
                            G_CALLBACK (option_changed_cb), self);
  g_signal_connect_swapped (self->layout_row, "notify::selected",
                            G_CALLBACK (option_changed_cb), self);
  g_signal_connect_swapped (self->range_row, "notify::selected",
                            G_CALLBACK (option_changed_cb), self);
  g_signal_connect_swapped (self->lanes_row, "notify::selected",
                            G_CALLBACK (option_changed_cb), self);
  g_signal_connect_swapped (self->theme_row, "notify::selected",
                            G_CALLBACK (option_changed_cb), self);
  g_signal_connect_swapped (self->width_spin, "value-changed",
                            G_CALLBACK (option_changed_cb), self);
  g_signal_connect_swapped (self->height_spin, "value-changed",
                            G_CALLBACK (option_changed_cb), self);
  g_signal_connect_swapped (self->from_row, "changed", G_CALLBACK (option_changed_cb), self);
  g_signal_connect_swapped (self->to_row, "changed", G_CALLBACK (option_changed_cb), self);
  g_signal_connect_swapped (self->title_row, "changed", G_CALLBACK (option_changed_cb), self);
  g_signal_connect_swapped (self->filter_switch, "notify::active",
                            G_CALLBACK (option_changed_cb), self);
  g_signal_connect_swapped (self->title_switch, "notify::active",
                            G_CALLBACK (option_changed_cb), self);
  g_signal_connect_swapped (self->legend_switch, "notify::active",
                            G_CALLBACK (option_changed_cb), self);
}

CmExportDialog *
cm_export_dialog_new (GtkWindow *parent,
                      CmSession *session)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (CM_IS_SESSION (session), NULL);

  return g_object_new (CM_TYPE_EXPORT_DIALOG,
                       "transient-for", parent,
                       "session", session,
                       NULL);
}

void
cm_export_dialog_set_view_range (CmExportDialog *self,
                                 gint64          t0,
                                 gint64          t1)
{
  g_return_if_fail (CM_IS_EXPORT_DIALOG (self));
  g_return_if_fail (t1 > t0);

  if (!self->has_view_range)
    gtk_string_list_append (self->range_model, _("Current view"));
  self->has_view_range = TRUE;
  self->view_t0 = t0;
  self->view_t1 = t1;
  adw_combo_row_set_selected (self->range_row, RANGE_VIEW);
  schedule_preview (self);
}

void
cm_export_dialog_set_lanes (CmExportDialog *self,
                            CmLaneMode      lanes)
{
  g_return_if_fail (CM_IS_EXPORT_DIALOG (self));

  adw_combo_row_set_selected (self->lanes_row, lanes);
}

GdkTexture *
_cm_export_dialog_get_preview (CmExportDialog *self)
{
  g_return_val_if_fail (CM_IS_EXPORT_DIALOG (self), NULL);

  return self->preview_texture;
}

void
_cm_export_dialog_export_to (CmExportDialog *self,
                             GFile          *file)
{
  g_return_if_fail (CM_IS_EXPORT_DIALOG (self));
  g_return_if_fail (G_IS_FILE (file));

  start_export (self, file);
}

/* Copy image */

typedef struct
{
  CmDataset       *dataset;
  CmExportOptions  options;
  GdkClipboard    *clipboard;
} CopyData;

static void
copy_data_free (gpointer data)
{
  CopyData *copy = data;

  g_clear_object (&copy->dataset);
  g_clear_object (&copy->clipboard);
  cm_export_options_clear (&copy->options);
  g_free (copy);
}

static void
copy_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  CopyData *data = task_data;
  GError *error = NULL;
  cairo_surface_t *surface = cm_exporter_render_image (data->dataset, &data->options, 0,
                                                       cancellable, &error);

  if (surface == NULL)
    g_task_return_error (task, error);
  else
    {
      /* The drawn pixels themselves, not a PNG encoded here to be
       * decoded again by GDK. */
      g_task_return_pointer (task, texture_for_surface (surface), g_object_unref);
      cairo_surface_destroy (surface);
    }
}

static void
copy_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  CopyData *data = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(GdkTexture) texture = g_task_propagate_pointer (G_TASK (result), &error);

  if (texture != NULL)
    {
      gdk_clipboard_set_texture (data->clipboard, texture);
      g_task_return_boolean (task, TRUE);
    }
  else
    g_task_return_error (task, error);

  g_object_unref (task);
}

void
cm_export_copy_to_clipboard_async (GdkClipboard          *clipboard,
                                   CmSession             *session,
                                   const CmExportOptions *options,
                                   GCancellable          *cancellable,
                                   GAsyncReadyCallback    callback,
                                   gpointer               user_data)
{
  GTask *task;
  g_autoptr(GTask) worker = NULL;
  CopyData *data;
  CmFilter *filter;

  g_return_if_fail (GDK_IS_CLIPBOARD (clipboard));
  g_return_if_fail (CM_IS_SESSION (session));
  g_return_if_fail (options != NULL);

  task = g_task_new (clipboard, cancellable, callback, user_data);
  g_task_set_source_tag (task, cm_export_copy_to_clipboard_async);

  if (cm_session_get_dataset (session) == NULL)
    {
      g_task_return_new_error (task, CM_EXPORT_ERROR, CM_EXPORT_ERROR_EMPTY,
                               _("There is no timeline to copy"));
      g_object_unref (task);
      return;
    }

  data = g_new0 (CopyData, 1);
  data->dataset = g_object_ref (cm_session_get_dataset (session));
  data->clipboard = g_object_ref (clipboard);
  cm_export_options_copy (options, &data->options);
  data->options.format = CM_EXPORT_FORMAT_PNG;
  filter = cm_session_get_filter (session);
  if (data->options.filter == NULL && filter != NULL && cm_filter_is_active (filter))
    cm_export_options_set_filter (&data->options, data->dataset,
                                  cm_filter_get_visible (filter, NULL));
  g_task_set_task_data (task, data, copy_data_free);

  /* The worker draws; the outer task sets the clipboard on this thread. */
  worker = g_task_new (NULL, cancellable, copy_done_cb, task);
  g_task_set_task_data (worker, g_task_get_task_data (task), NULL);
  g_task_run_in_thread (worker, copy_thread);
}

gboolean
cm_export_copy_to_clipboard_finish (GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        cm_export_copy_to_clipboard_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
