/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-details"

#include "config.h"

#include "cm-color-swatch.h"

#define SWATCH_SIZE 12

struct _CmColorSwatch
{
  GtkWidget parent_instance;

  guint32   color;
};

G_DEFINE_FINAL_TYPE (CmColorSwatch, cm_color_swatch, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_COLOR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
cm_color_swatch_measure (GtkWidget      *widget,
                         GtkOrientation  orientation,
                         int             for_size,
                         int            *minimum,
                         int            *natural,
                         int            *minimum_baseline,
                         int            *natural_baseline)
{
  *minimum = *natural = SWATCH_SIZE;
}

static void
cm_color_swatch_snapshot (GtkWidget   *widget,
                          GtkSnapshot *snapshot)
{
  CmColorSwatch *self = CM_COLOR_SWATCH (widget);
  float width = gtk_widget_get_width (widget);
  float height = gtk_widget_get_height (widget);
  float size = MIN (MIN (width, height), SWATCH_SIZE);
  graphene_rect_t bounds = GRAPHENE_RECT_INIT ((width - size) / 2, (height - size) / 2,
                                               size, size);
  GdkRGBA rgba = {
    ((self->color >> 16) & 0xff) / 255.f,
    ((self->color >> 8) & 0xff) / 255.f,
    (self->color & 0xff) / 255.f,
    1.f,
  };
  GskRoundedRect clip;

  gsk_rounded_rect_init_from_rect (&clip, &bounds, size / 2);
  gtk_snapshot_push_rounded_clip (snapshot, &clip);
  gtk_snapshot_append_color (snapshot, &rgba, &bounds);
  gtk_snapshot_pop (snapshot);
}

static void
cm_color_swatch_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  CmColorSwatch *self = CM_COLOR_SWATCH (object);

  switch (prop_id)
    {
    case PROP_COLOR:
      g_value_set_uint (value, self->color);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cm_color_swatch_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  CmColorSwatch *self = CM_COLOR_SWATCH (object);

  switch (prop_id)
    {
    case PROP_COLOR:
      cm_color_swatch_set_color (self, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cm_color_swatch_class_init (CmColorSwatchClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = cm_color_swatch_get_property;
  object_class->set_property = cm_color_swatch_set_property;

  widget_class->measure = cm_color_swatch_measure;
  widget_class->snapshot = cm_color_swatch_snapshot;

  properties[PROP_COLOR] =
    g_param_spec_uint ("color", NULL, NULL,
                       0, 0xffffff, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "cm-swatch");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
cm_color_swatch_init (CmColorSwatch *self)
{
  gtk_widget_set_valign (GTK_WIDGET (self), GTK_ALIGN_CENTER);
}

GtkWidget *
cm_color_swatch_new (guint32 color)
{
  return g_object_new (CM_TYPE_COLOR_SWATCH, "color", color & 0xffffff, NULL);
}

guint32
cm_color_swatch_get_color (CmColorSwatch *self)
{
  g_return_val_if_fail (CM_IS_COLOR_SWATCH (self), 0);

  return self->color;
}

void
cm_color_swatch_set_color (CmColorSwatch *self,
                           guint32        color)
{
  g_return_if_fail (CM_IS_COLOR_SWATCH (self));

  color &= 0xffffff;
  if (self->color == color)
    return;

  self->color = color;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COLOR]);
}

void
cm_color_swatch_set_label (CmColorSwatch *self,
                           const char    *label)
{
  g_return_if_fail (CM_IS_COLOR_SWATCH (self));

  /* A screen reader says the group's name, not "image". */
  if (label != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                    -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL);
}
