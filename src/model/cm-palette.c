/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-palette"

#include "config.h"

#include "cm-palette.h"

/* GNOME HIG palette, ordered so neighbours differ in hue. */
static const guint32 default_palette[CM_PALETTE_SIZE] = {
  0x3584e4,   /* blue 3 */
  0xe01b24,   /* red 3 */
  0x2ec27e,   /* green 4 */
  0xff7800,   /* orange 3 */
  0x9141ac,   /* purple 3 */
  0xe5a50a,   /* yellow 5 */
  0x2190a4,   /* teal */
  0xd56199,   /* pink */
  0x986a44,   /* brown 3 */
  0x6f8396,   /* slate */
};

guint32
cm_palette_get_default_color (guint index)
{
  return default_palette[index % CM_PALETTE_SIZE];
}

guint32
cm_palette_get_no_group_color (void)
{
  return 0x77767b;   /* dark 1 */
}

guint32
cm_palette_get_group_color (CmDataset *dataset,
                            guint32    group)
{
  const CmGroup *g;

  g_return_val_if_fail (CM_IS_DATASET (dataset), cm_palette_get_no_group_color ());

  if (group == CM_NONE || group >= cm_dataset_get_n_groups (dataset))
    return cm_palette_get_no_group_color ();
  g = cm_dataset_get_group (dataset, group);
  return g->has_color ? g->color : cm_palette_get_default_color (group);
}

void
cm_palette_to_rgb (guint32  color,
                   double  *red,
                   double  *green,
                   double  *blue)
{
  *red = ((color >> 16) & 0xff) / 255.0;
  *green = ((color >> 8) & 0xff) / 255.0;
  *blue = (color & 0xff) / 255.0;
}
