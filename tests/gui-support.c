/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "gui-support.h"

CmApplication *
cm_test_app_start (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *display = g_strdup (g_getenv ("DISPLAY"));
  const char *wayland = g_getenv ("WAYLAND_DISPLAY");
  const char *runtime_dir = g_getenv ("XDG_RUNTIME_DIR");
  GTestDBus *bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  CmApplication *app;

  /* g_test_dbus_up() unsets XDG_RUNTIME_DIR, where a Wayland display's
   * socket is found when WAYLAND_DISPLAY is a bare name. */
  if (wayland != NULL && !g_path_is_absolute (wayland) && runtime_dir != NULL)
    {
      g_autofree char *socket = g_build_filename (runtime_dir, wayland, NULL);

      g_setenv ("WAYLAND_DISPLAY", socket, TRUE);
    }
  g_test_dbus_up (bus);
  /* g_test_dbus_up() unsets DISPLAY too. */
  if (display != NULL)
    g_setenv ("DISPLAY", display, TRUE);

  app = cm_application_new ();
  g_application_set_flags (G_APPLICATION (app),
                           g_application_get_flags (G_APPLICATION (app)) | G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  g_application_hold (G_APPLICATION (app));

  return app;
}

void
cm_test_app_stop (CmApplication *app)
{
  g_application_release (G_APPLICATION (app));
  g_object_unref (app);
}

void
cm_test_flush_main_context (void)
{
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
}

static gboolean
set_done_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;

  return G_SOURCE_REMOVE;
}

void
cm_test_run_main_loop_for (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, set_done_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

GtkWidget *
cm_test_window_child (CmWindow   *window,
                      const char *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (window), CM_TYPE_WINDOW, name);

  g_assert_nonnull (child);

  return GTK_WIDGET (child);
}

GtkWidget *
cm_test_find_descendant (GtkWidget     *widget,
                         gboolean     (*match) (GtkWidget *, gconstpointer),
                         gconstpointer  data)
{
  if (match (widget, data))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = cm_test_find_descendant (child, match, data);

      if (found != NULL)
        return found;
    }

  return NULL;
}
