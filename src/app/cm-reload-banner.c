/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-reload-banner"

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <glib/gi18n.h>

#include "cm-loader.h"
#include "cm-reload-banner.h"

/* Problem lines shown; the rest are counted. */
#define MAX_SHOWN_PROBLEMS 5

struct _CmReloadBanner
{
  GtkWidget   parent_instance;

  GtkWidget  *revealer;
  GtkWidget  *icon;
  GtkWidget  *title;
  GtkWidget  *details;
};

G_DEFINE_FINAL_TYPE (CmReloadBanner, cm_reload_banner, GTK_TYPE_WIDGET)

static char *
dup_display_name (GFile *file)
{
  g_autofree char *basename = g_file_get_basename (file);

  return g_filename_display_name (basename);
}

static void
reveal (CmReloadBanner *self,
        const char     *title,
        const char     *details)
{
  gtk_label_set_text (GTK_LABEL (self->title), title);
  gtk_label_set_text (GTK_LABEL (self->details), details ? details : "");
  gtk_widget_set_visible (self->details, details != NULL && *details != '\0');
  gtk_widget_set_visible (GTK_WIDGET (self), TRUE);
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->revealer), TRUE);
}

void
cm_reload_banner_show_problems (CmReloadBanner *self,
                                GFile          *file,
                                const GError   *error)
{
  g_autofree char *name = NULL;
  g_autofree char *title = NULL;
  g_auto(GStrv) lines = NULL;
  GString *details;
  guint n;

  g_return_if_fail (CM_IS_RELOAD_BANNER (self));
  g_return_if_fail (G_IS_FILE (file) && error != NULL);

  name = dup_display_name (file);
  if (g_error_matches (error, CM_LOADER_ERROR, CM_LOADER_ERROR_INVALID))
    /* Translators: %s is a file name */
    title = g_strdup_printf (_("“%s” changed on disk and has problems; the last version that "
                               "could be read stays open"), name);
  else
    /* Translators: %s is a file name */
    title = g_strdup_printf (_("“%s” changed on disk and cannot be read; the last version that "
                               "could be read stays open"), name);

  /* The loader's lines are "FILE:LINE:COLUMN: PATH: message", the file
   * being the one named above: keep LINE:COLUMN onwards. */
  lines = g_strsplit (error->message, "\n", -1);
  n = g_strv_length (lines);
  details = g_string_new (NULL);
  for (guint i = 0; i < n && i < MAX_SHOWN_PROBLEMS; i++)
    {
      const char *line = lines[i];
      g_autofree char *prefix = g_strconcat (name, ":", NULL);

      if (g_str_has_prefix (line, prefix))
        line += strlen (prefix);
      if (details->len > 0)
        g_string_append_c (details, '\n');
      /* Translators: a problem's place in the file, as "Line 4, column 12: message" */
      {
        guint row, column;
        int consumed = 0;

        if (sscanf (line, "%u:%u: %n", &row, &column, &consumed) == 2 && consumed > 0)
          g_string_append_printf (details, _("Line %u, column %u: %s"), row, column,
                                  line + consumed);
        else
          g_string_append (details, line);
      }
    }
  if (n > MAX_SHOWN_PROBLEMS)
    {
      guint more = n - MAX_SHOWN_PROBLEMS;

      g_string_append_c (details, '\n');
      g_string_append_printf (details, ngettext ("… and %u more line", "… and %u more lines",
                                                 more), more);
    }

  gtk_image_set_from_icon_name (GTK_IMAGE (self->icon), "dialog-warning-symbolic");
  reveal (self, title, details->str);
  g_string_free (details, TRUE);
}

void
cm_reload_banner_show_gone (CmReloadBanner *self,
                            GFile          *file,
                            GFile          *new_file)
{
  g_autofree char *name = NULL;
  g_autofree char *new_name = NULL;
  g_autofree char *title = NULL;

  g_return_if_fail (CM_IS_RELOAD_BANNER (self));
  g_return_if_fail (G_IS_FILE (file));

  name = dup_display_name (file);
  if (new_file != NULL)
    {
      new_name = dup_display_name (new_file);
      /* Translators: the file on show was renamed; %s are file names */
      title = g_strdup_printf (_("“%s” was renamed to “%s”; its events stay open here"),
                               name, new_name);
    }
  else
    /* Translators: the file on show was deleted; %s is its name */
    title = g_strdup_printf (_("“%s” was deleted; its events stay open here"), name);

  gtk_image_set_from_icon_name (GTK_IMAGE (self->icon), "dialog-information-symbolic");
  reveal (self, title, NULL);
}

void
cm_reload_banner_hide (CmReloadBanner *self)
{
  g_return_if_fail (CM_IS_RELOAD_BANNER (self));

  gtk_revealer_set_reveal_child (GTK_REVEALER (self->revealer), FALSE);
}

gboolean
cm_reload_banner_is_shown (CmReloadBanner *self)
{
  g_return_val_if_fail (CM_IS_RELOAD_BANNER (self), FALSE);

  return gtk_revealer_get_reveal_child (GTK_REVEALER (self->revealer));
}

const char *
cm_reload_banner_get_title (CmReloadBanner *self)
{
  g_return_val_if_fail (CM_IS_RELOAD_BANNER (self), NULL);

  return gtk_label_get_text (GTK_LABEL (self->title));
}

const char *
cm_reload_banner_get_details (CmReloadBanner *self)
{
  g_return_val_if_fail (CM_IS_RELOAD_BANNER (self), NULL);

  return gtk_label_get_text (GTK_LABEL (self->details));
}

static void
close_clicked_cb (CmReloadBanner *self)
{
  cm_reload_banner_hide (self);
}

/* Hidden, it takes no space at all once the slide is over. */
static void
child_revealed_cb (CmReloadBanner *self)
{
  if (!gtk_revealer_get_child_revealed (GTK_REVEALER (self->revealer)) &&
      !gtk_revealer_get_reveal_child (GTK_REVEALER (self->revealer)))
    gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

static void
cm_reload_banner_dispose (GObject *object)
{
  CmReloadBanner *self = CM_RELOAD_BANNER (object);

  g_clear_pointer (&self->revealer, gtk_widget_unparent);

  G_OBJECT_CLASS (cm_reload_banner_parent_class)->dispose (object);
}

static void
cm_reload_banner_class_init (CmReloadBannerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cm_reload_banner_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "cm-reload-banner");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_STATUS);
}

static void
cm_reload_banner_init (CmReloadBanner *self)
{
  GtkWidget *box, *text, *close;

  self->revealer = gtk_revealer_new ();
  gtk_revealer_set_transition_type (GTK_REVEALER (self->revealer),
                                    GTK_REVEALER_TRANSITION_TYPE_SLIDE_DOWN);
  gtk_widget_set_parent (self->revealer, GTK_WIDGET (self));
  g_signal_connect_swapped (self->revealer, "notify::child-revealed",
                            G_CALLBACK (child_revealed_cb), self);

  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_add_css_class (box, "cm-banner-box");
  gtk_revealer_set_child (GTK_REVEALER (self->revealer), box);

  self->icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
  gtk_widget_set_valign (self->icon, GTK_ALIGN_START);
  gtk_box_append (GTK_BOX (box), self->icon);

  text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_hexpand (text, TRUE);
  gtk_box_append (GTK_BOX (box), text);

  self->title = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->title), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->title), 0);
  gtk_widget_add_css_class (self->title, "heading");
  gtk_box_append (GTK_BOX (text), self->title);

  self->details = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->details), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (self->details), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (self->details), 0);
  gtk_label_set_selectable (GTK_LABEL (self->details), TRUE);
  gtk_widget_add_css_class (self->details, "cm-banner-problems");
  gtk_box_append (GTK_BOX (text), self->details);

  close = gtk_button_new_from_icon_name ("window-close-symbolic");
  gtk_widget_set_valign (close, GTK_ALIGN_START);
  gtk_widget_add_css_class (close, "flat");
  gtk_widget_add_css_class (close, "circular");
  gtk_widget_set_tooltip_text (close, _("Hide"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (close), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Hide"), -1);
  g_signal_connect_swapped (close, "clicked", G_CALLBACK (close_clicked_cb), self);
  gtk_box_append (GTK_BOX (box), close);

  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

GtkWidget *
cm_reload_banner_new (void)
{
  return g_object_new (CM_TYPE_RELOAD_BANNER, NULL);
}
