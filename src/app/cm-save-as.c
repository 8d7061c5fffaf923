/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-save-as"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "cm-json-writer.h"
#include "cm-save-as.h"

typedef struct
{
  AdwToastOverlay *overlay;   /* weak */
  CmDataset       *dataset;
  GFile           *file;
} SaveData;

static void
save_data_free (SaveData *data)
{
  g_clear_weak_pointer (&data->overlay);
  g_clear_object (&data->dataset);
  g_clear_object (&data->file);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaveData, save_data_free)

static SaveData *
save_data_new (CmDataset       *dataset,
               AdwToastOverlay *overlay)
{
  SaveData *data = g_new0 (SaveData, 1);

  g_set_weak_pointer (&data->overlay, overlay);
  data->dataset = g_object_ref (dataset);
  return data;
}

/* Opens the saved file in Chronomap, as it now reads it. */
static void
show_saved_cb (AdwToast *toast,
               gpointer  user_data)
{
  GFile *file = g_object_get_data (G_OBJECT (toast), "file");

  g_application_open (g_application_get_default (), &file, 1, "");
}

static void
saved_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(SaveData) data = user_data;
  g_autoptr(GError) error = NULL;
  AdwToast *toast;

  if (!cm_json_writer_save_finish (result, &error))
    {
      if (data->overlay != NULL)
        {
          toast = adw_toast_new (error->message);
          adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
          adw_toast_overlay_add_toast (data->overlay, toast);
        }
      return;
    }

  if (data->overlay == NULL)
    return;

  {
    g_autofree char *name = g_file_get_basename (data->file);
    g_autofree char *title = g_strdup_printf (_("Saved as “%s”"), name);

    toast = adw_toast_new (title);
  }
  /* The answer to what the user just did: before the toast on show. */
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_set_button_label (toast, _("_Open"));
  g_object_set_data_full (G_OBJECT (toast), "file", g_object_ref (data->file), g_object_unref);
  g_signal_connect_object (toast, "button-clicked", G_CALLBACK (show_saved_cb), data->overlay, 0);
  adw_toast_overlay_add_toast (data->overlay, toast);
}

void
cm_save_as_write (CmDataset       *dataset,
                  GFile           *file,
                  AdwToastOverlay *overlay)
{
  SaveData *data;

  g_return_if_fail (CM_IS_DATASET (dataset));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (ADW_IS_TOAST_OVERLAY (overlay));

  data = save_data_new (dataset, overlay);
  data->file = g_object_ref (file);
  cm_json_writer_save_async (dataset, file, NULL, saved_cb, data);
}

/* "houston.json" → "houston (Chronomap).json", beside the original. */
static char *
suggest_name (CmDataset *dataset)
{
  GFile *source = cm_dataset_get_file (dataset);
  g_autofree char *base = source ? g_file_get_basename (source) : NULL;
  char *dot;

  if (base == NULL)
    return g_strdup (_("Timeline.json"));
  dot = strrchr (base, '.');
  if (dot != NULL && dot != base)
    *dot = '\0';
  /* Translators: the suggested name of a converted file; %s is the original's name */
  return g_strdup_printf (_("%s (Chronomap).json"), base);
}

static GtkFileFilter *
create_filter (void)
{
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("Chronomap JSON"));
  gtk_file_filter_add_suffix (filter, "json");
  return filter;
}

#if GTK_CHECK_VERSION (4, 10, 0)
static void
dialog_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(SaveData) data = user_data;
  g_autoptr(GFile) file = gtk_file_dialog_save_finish (GTK_FILE_DIALOG (source), result, NULL);

  if (file != NULL && data->overlay != NULL)
    cm_save_as_write (data->dataset, file, data->overlay);
}
#else
static void
native_response_cb (GtkNativeDialog *native,
                    int              response,
                    gpointer         user_data)
{
  g_autoptr(SaveData) data = user_data;

  if (response == GTK_RESPONSE_ACCEPT && data->overlay != NULL)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native));

      if (file != NULL)
        cm_save_as_write (data->dataset, file, data->overlay);
    }
  g_object_unref (native);
}
#endif

void
cm_save_as_choose (GtkWindow       *parent,
                   CmDataset       *dataset,
                   AdwToastOverlay *overlay)
{
  g_autoptr(GtkFileFilter) filter = create_filter ();
  g_autofree char *name = suggest_name (dataset);
  GFile *source = cm_dataset_get_file (dataset);
  g_autoptr(GFile) folder = source ? g_file_get_parent (source) : NULL;
  SaveData *data;

  g_return_if_fail (CM_IS_DATASET (dataset));
  g_return_if_fail (ADW_IS_TOAST_OVERLAY (overlay));

  data = save_data_new (dataset, overlay);

  /* GTK 4 file choosers ask before replacing an existing file. */
#if GTK_CHECK_VERSION (4, 10, 0)
  {
    g_autoptr(GtkFileDialog) dialog = gtk_file_dialog_new ();
    g_autoptr(GListStore) filters = g_list_store_new (GTK_TYPE_FILE_FILTER);

    g_list_store_append (filters, filter);
    gtk_file_dialog_set_title (dialog, _("Save as Chronomap JSON"));
    gtk_file_dialog_set_accept_label (dialog, _("_Save"));
    gtk_file_dialog_set_initial_name (dialog, name);
    if (folder != NULL)
      gtk_file_dialog_set_initial_folder (dialog, folder);
    gtk_file_dialog_set_filters (dialog, G_LIST_MODEL (filters));
    gtk_file_dialog_set_default_filter (dialog, filter);
    gtk_file_dialog_save (dialog, parent, NULL, dialog_done_cb, data);
  }
#else
  {
    GtkFileChooserNative *native =
      gtk_file_chooser_native_new (_("Save as Chronomap JSON"), parent,
                                   GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));

    gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (native), TRUE);
    if (folder != NULL)
      gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (native), folder, NULL);
    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (native), name);
    gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (native), filter);
    g_signal_connect (native, "response", G_CALLBACK (native_response_cb), data);
    gtk_native_dialog_show (GTK_NATIVE_DIALOG (native));
  }
#endif
}
