/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-launch"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "cm-launch.h"

typedef struct
{
  GtkWidget *widget;
  char      *file_name;   /* NULL: a web link */
} Launch;

static void
launch_free (Launch *launch)
{
  g_object_unref (launch->widget);
  g_free (launch->file_name);
  g_free (launch);
}

static void
launched_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Launch *launch = user_data;
  g_autoptr(GError) error = NULL;
  GtkWidget *overlay = gtk_widget_get_ancestor (launch->widget, ADW_TYPE_TOAST_OVERLAY);
  g_autofree char *title = NULL;
  gboolean launched;

#if GTK_CHECK_VERSION (4, 10, 0)
  if (GTK_IS_FILE_LAUNCHER (source))
    launched = gtk_file_launcher_launch_finish (GTK_FILE_LAUNCHER (source), result, &error);
  else
    launched = gtk_uri_launcher_launch_finish (GTK_URI_LAUNCHER (source), result, &error);
  launched = launched || g_error_matches (error, GTK_DIALOG_ERROR, GTK_DIALOG_ERROR_DISMISSED);
#else
  launched = gtk_show_uri_full_finish (GTK_WINDOW (source), result, &error);
#endif
  if (launched || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || overlay == NULL)
    {
      launch_free (launch);
      return;
    }

  /* GIO's words for "no application for this type" are "Operation not
   * supported". */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED))
    title = launch->file_name != NULL
            ? g_strdup_printf (_("No application is set up to open “%s”"), launch->file_name)
            : g_strdup (_("No application is set up to open web links"));
  else
    title = launch->file_name != NULL
            ? g_strdup_printf (_("Could not open “%s”: %s"), launch->file_name, error->message)
            : g_strdup_printf (_("Could not open the link: %s"), error->message);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (title));
  launch_free (launch);
}

static void
launch (GtkWidget  *widget,
        GFile      *file,
        const char *uri)
{
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWindow *window = GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
  Launch *data = g_new0 (Launch, 1);

  data->widget = g_object_ref (widget);
  if (file != NULL)
    {
      g_autofree char *path = g_file_get_path (file);

      data->file_name = path != NULL ? g_filename_display_basename (path) : g_file_get_parse_name (file);
    }

#if GTK_CHECK_VERSION (4, 10, 0)
  if (file != NULL)
    {
      g_autoptr(GtkFileLauncher) launcher = gtk_file_launcher_new (file);

      gtk_file_launcher_launch (launcher, window, NULL, launched_cb, data);
    }
  else
    {
      g_autoptr(GtkUriLauncher) launcher = gtk_uri_launcher_new (uri);

      gtk_uri_launcher_launch (launcher, window, NULL, launched_cb, data);
    }
#else
  {
    g_autofree char *file_uri = file != NULL ? g_file_get_uri (file) : NULL;

    gtk_show_uri_full (window, file != NULL ? file_uri : uri, GDK_CURRENT_TIME, NULL, launched_cb, data);
  }
#endif
}

void
cm_launch_file (GtkWidget *widget,
                GFile     *file)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (G_IS_FILE (file));

  launch (widget, file, NULL);
}

void
cm_launch_uri (GtkWidget  *widget,
               const char *uri)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (uri != NULL);

  launch (widget, NULL, uri);
}
