/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-export"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "cm-export-options.h"

G_DEFINE_QUARK (cm-export-error-quark, cm_export_error)

/* Anything wider is a typo, not an image; refused before it can overflow
 * an int once multiplied by the scale. */
#define MAX_TYPED_SIDE 1000000

typedef struct
{
  const char *nick;
  int         value;
} Choice;

static const Choice formats[] = {
  { "png", CM_EXPORT_FORMAT_PNG },
  { "svg", CM_EXPORT_FORMAT_SVG },
  { "pdf", CM_EXPORT_FORMAT_PDF },
  { NULL, 0 },
};

static const Choice themes[] = {
  { "light", CM_EXPORT_THEME_LIGHT },
  { "dark", CM_EXPORT_THEME_DARK },
  { NULL, 0 },
};

static const Choice lanes[] = {
  { "group", CM_LANE_MODE_GROUP },
  { "actor", CM_LANE_MODE_ACTOR },
  { "place", CM_LANE_MODE_PLACE },
  { "none", CM_LANE_MODE_NONE },
  { NULL, 0 },
};

static const Choice axes[] = {
  { "auto", CM_TIMELINE_AXIS_AUTO },
  { "linear", CM_TIMELINE_AXIS_LINEAR },
  { "breaks", CM_TIMELINE_AXIS_BREAKS },
  { NULL, 0 },
};

static const Choice layouts[] = {
  { "timeline", CM_EXPORT_LAYOUT_TIMELINE },
  { "timeline+map", CM_EXPORT_LAYOUT_TIMELINE_MAP },
  { "map", CM_EXPORT_LAYOUT_MAP },
  { NULL, 0 },
};

static const Choice papers[] = {
  { "none", CM_EXPORT_PAPER_NONE },
  { "a4", CM_EXPORT_PAPER_A4 },
  { "a3", CM_EXPORT_PAPER_A3 },
  { "letter", CM_EXPORT_PAPER_LETTER },
  { NULL, 0 },
};

static const Choice orientations[] = {
  { "portrait", FALSE },
  { "landscape", TRUE },
  { NULL, 0 },
};

static const Choice switches[] = {
  { "on", TRUE }, { "off", FALSE },
  { "yes", TRUE }, { "no", FALSE },
  { "true", TRUE }, { "false", FALSE },
  { "1", TRUE }, { "0", FALSE },
  { NULL, 0 },
};

void
cm_export_options_init (CmExportOptions *options)
{
  g_return_if_fail (options != NULL);

  memset (options, 0, sizeof *options);
  options->format = CM_EXPORT_FORMAT_PNG;
  options->width = CM_EXPORT_DEFAULT_WIDTH;
  options->height = CM_EXPORT_DEFAULT_HEIGHT;
  options->paper = CM_EXPORT_PAPER_NONE;
  options->landscape = TRUE;
  options->scale = 1;
  options->theme = CM_EXPORT_THEME_LIGHT;
  options->lanes = CM_LANE_MODE_GROUP;
  options->axis = CM_TIMELINE_AXIS_AUTO;
  options->layout = CM_EXPORT_LAYOUT_TIMELINE;
  options->show_title = TRUE;
  options->show_legend = TRUE;
}

void
cm_export_options_clear (CmExportOptions *options)
{
  g_return_if_fail (options != NULL);

  g_clear_pointer (&options->title, g_free);
  g_clear_pointer (&options->filter, g_bytes_unref);
}

void
cm_export_options_copy (const CmExportOptions *src,
                        CmExportOptions       *dest)
{
  g_return_if_fail (src != NULL);
  g_return_if_fail (dest != NULL);

  if (src == dest)
    return;

  cm_export_options_clear (dest);
  *dest = *src;
  dest->title = g_strdup (src->title);
  if (src->filter != NULL)
    dest->filter = g_bytes_ref (src->filter);
}

CmExportOptions *
cm_export_options_dup (const CmExportOptions *options)
{
  CmExportOptions *copy;

  g_return_val_if_fail (options != NULL, NULL);

  copy = g_new0 (CmExportOptions, 1);
  cm_export_options_copy (options, copy);
  return copy;
}

void
cm_export_options_free (CmExportOptions *options)
{
  if (options == NULL)
    return;

  cm_export_options_clear (options);
  g_free (options);
}

static char *
list_choices (const Choice *choices)
{
  g_autoptr(GString) text = g_string_new (NULL);
  guint n = 0;

  while (choices[n].nick != NULL)
    n++;

  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append (text, i == n - 1 ? _(" or ") : _(", "));
      g_string_append (text, choices[i].nick);
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static gboolean
parse_choice (const char    *option,
              const char    *value,
              const Choice  *choices,
              const char    *what,
              int           *out,
              GError       **error)
{
  g_autofree char *listed = NULL;

  for (guint i = 0; choices[i].nick != NULL; i++)
    {
      if (g_ascii_strcasecmp (value, choices[i].nick) == 0)
        {
          *out = choices[i].value;
          return TRUE;
        }
    }

  listed = list_choices (choices);
  g_set_error (error, CM_EXPORT_ERROR, CM_EXPORT_ERROR_INVALID_OPTION,
               _("%s: \"%s\" is not %s; use %s"), option, value, what, listed);
  return FALSE;
}

static gboolean
parse_side (const char  *option,
            const char  *value,
            int         *out,
            GError     **error)
{
  gint64 number;

  if (!g_ascii_string_to_signed (value, 10, G_MININT64, G_MAXINT64, &number, NULL))
    {
      g_set_error (error, CM_EXPORT_ERROR, CM_EXPORT_ERROR_INVALID_OPTION,
                   _("%s: \"%s\" is not a number"), option, value);
      return FALSE;
    }
  if (number < CM_EXPORT_MIN_SIDE)
    {
      g_set_error (error, CM_EXPORT_ERROR, CM_EXPORT_ERROR_INVALID_OPTION,
                   _("%s: %lld is too small; the smallest is %d"),
                   option, (long long) number, CM_EXPORT_MIN_SIDE);
      return FALSE;
    }
  if (number > MAX_TYPED_SIDE)
    {
      g_set_error (error, CM_EXPORT_ERROR, CM_EXPORT_ERROR_TOO_LARGE,
                   _("%s: %lld is beyond the %d that any export supports"),
                   option, (long long) number, CM_EXPORT_MAX_IMAGE_SIDE);
      return FALSE;
    }

  *out = (int) number;
  return TRUE;
}

static gboolean
parse_date (const char  *option,
            const char  *value,
            CmTime      *out,
            GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  if (!cm_time_parse (value, NULL, out, &local_error))
    {
      g_autofree char *start = g_strdup_printf (_("\"%s\" is not a date"), value);

      /* The parser's messages usually quote the value already. */
      if (g_str_has_prefix (local_error->message, start))
        g_set_error (error, CM_EXPORT_ERROR, CM_EXPORT_ERROR_INVALID_OPTION,
                     "%s: %s", option, local_error->message);
      else
        g_set_error (error, CM_EXPORT_ERROR, CM_EXPORT_ERROR_INVALID_OPTION,
                     "%s: %s: %s", option, start, local_error->message);
      return FALSE;
    }

  return TRUE;
}

gboolean
cm_export_options_set (CmExportOptions  *options,
                       const char       *option,
                       const char       *value,
                       GError          **error)
{
  int choice;

  g_return_val_if_fail (options != NULL, FALSE);
  g_return_val_if_fail (option != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (value == NULL)
    {
      g_set_error (error, CM_EXPORT_ERROR, CM_EXPORT_ERROR_INVALID_OPTION,
                   _("%s needs a value"), option);
      return FALSE;
    }

  if (g_str_equal (option, "--width") || g_str_equal (option, "--height"))
    {
      int side;

      if (!parse_side (option, value, &side, error))
        return FALSE;
      if (option[2] == 'w')
        options->width = side;
      else
        options->height = side;
      options->size_set = TRUE;
      return TRUE;
    }

  if (g_str_equal (option, "--scale"))
    {
      if (g_str_equal (value, "1") || g_str_equal (value, "2"))
        {
          options->scale = value[0] - '0';
          return TRUE;
        }
      g_set_error (error, CM_EXPORT_ERROR, CM_EXPORT_ERROR_INVALID_OPTION,
                   _("--scale must be 1 or 2, not \"%s\""), value);
      return FALSE;
    }

  if (g_str_equal (option, "--from") || g_str_equal (option, "--to"))
    {
      CmTime time;

      if (!parse_date (option, value, &time, error))
        return FALSE;
      if (option[2] == 'f')
        {
          options->from = time.seconds;
          options->from_zoned = time.has_zone;
          options->has_from = TRUE;
        }
      else
        {
          /* "--to 2025-02" includes all of February. */
          options->to = cm_time_get_end (&time);
          options->to_zoned = time.has_zone;
          options->has_to = TRUE;
        }
      return TRUE;
    }

  if (g_str_equal (option, "--format"))
    {
      if (!parse_choice (option, value, formats, _("a format"), &choice, error))
        return FALSE;
      options->format = choice;
      options->format_set = TRUE;
      return TRUE;
    }

  if (g_str_equal (option, "--theme"))
    {
      if (!parse_choice (option, value, themes, _("a theme"), &choice, error))
        return FALSE;
      options->theme = choice;
      return TRUE;
    }

  if (g_str_equal (option, "--lanes"))
    {
      if (!parse_choice (option, value, lanes, _("a lane mode"), &choice, error))
        return FALSE;
      options->lanes = choice;
      return TRUE;
    }

  if (g_str_equal (option, "--axis"))
    {
      if (!parse_choice (option, value, axes, _("an axis"), &choice, error))
        return FALSE;
      options->axis = choice;
      return TRUE;
    }

  if (g_str_equal (option, "--layout"))
    {
      if (!parse_choice (option, value, layouts, _("a layout"), &choice, error))
        return FALSE;
      options->layout = choice;
      return TRUE;
    }

  if (g_str_equal (option, "--paper"))
    {
      if (!parse_choice (option, value, papers, _("a paper size"), &choice, error))
        return FALSE;
      options->paper = choice;
      return TRUE;
    }

  if (g_str_equal (option, "--orientation"))
    {
      if (!parse_choice (option, value, orientations, _("an orientation"), &choice, error))
        return FALSE;
      options->landscape = choice;
      return TRUE;
    }

  if (g_str_equal (option, "--legend"))
    {
      if (!parse_choice (option, value, switches, _("on or off"), &choice, error))
        return FALSE;
      options->show_legend = choice;
      return TRUE;
    }

  if (g_str_equal (option, "--title"))
    {
      if (!g_utf8_validate (value, -1, NULL))
        {
          g_set_error (error, CM_EXPORT_ERROR, CM_EXPORT_ERROR_INVALID_OPTION,
                       _("--title: the text is not valid UTF-8"));
          return FALSE;
        }
      /* An empty title means no title line at all. */
      g_free (options->title);
      options->title = g_strdup (value);
      options->show_title = value[0] != '\0';
      return TRUE;
    }

  g_set_error (error, CM_EXPORT_ERROR, CM_EXPORT_ERROR_INVALID_OPTION,
               _("%s: unknown export option"), option);
  return FALSE;
}

gboolean
cm_export_options_set_output (CmExportOptions  *options,
                              const char       *path,
                              GError          **error)
{
  g_autofree char *basename = NULL;
  const char *dot;

  g_return_val_if_fail (options != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (options->format_set)
    return TRUE;

  basename = g_path_get_basename (path);
  dot = strrchr (basename, '.');
  for (guint i = 0; dot != NULL && formats[i].nick != NULL; i++)
    {
      if (g_ascii_strcasecmp (dot + 1, formats[i].nick) == 0)
        {
          options->format = formats[i].value;
          return TRUE;
        }
    }

  g_set_error (error, CM_EXPORT_ERROR, CM_EXPORT_ERROR_UNKNOWN_FORMAT,
               _("%s: unknown format; use .png, .svg or .pdf or --format"), basename);
  return FALSE;
}

void
cm_export_options_get_page_size (const CmExportOptions *options,
                                 double                *width,
                                 double                *height)
{
  double w, h;
  CmExportPaper paper;

  g_return_if_fail (options != NULL);

  w = options->width;
  h = options->height;
  paper = options->paper;

  /* A PDF with no size asked for goes on A4 landscape, not on a 2400 pt
   * (85 cm) wide page. */
  if (options->format == CM_EXPORT_FORMAT_PDF && paper == CM_EXPORT_PAPER_NONE &&
      !options->size_set)
    paper = CM_EXPORT_PAPER_A4;

  if (options->format == CM_EXPORT_FORMAT_PDF && paper != CM_EXPORT_PAPER_NONE)
    {
      switch (paper)
        {
        case CM_EXPORT_PAPER_A3:
          w = 841.89, h = 1190.55;
          break;
        case CM_EXPORT_PAPER_LETTER:
          w = 612, h = 792;
          break;
        case CM_EXPORT_PAPER_A4:
        case CM_EXPORT_PAPER_NONE:
        default:
          w = 595.28, h = 841.89;
          break;
        }
      if (options->landscape)
        {
          double t = w;

          w = h;
          h = t;
        }
    }

  if (width)
    *width = w;
  if (height)
    *height = h;
}

static gboolean
check_side (const char  *name,
            double       value,
            double       limit,
            const char  *unit,
            const char  *what,
            GError     **error)
{
  if (value <= limit)
    return TRUE;

  g_set_error (error, CM_EXPORT_ERROR, CM_EXPORT_ERROR_TOO_LARGE,
               _("%s %.0f %s is beyond the %.0f %s that %s supports"),
               name, value, unit, limit, unit, what);
  return FALSE;
}

gboolean
cm_export_options_validate (const CmExportOptions  *options,
                            GError                **error)
{
  double width, height;

  g_return_val_if_fail (options != NULL, FALSE);

  if (options->scale != 1 && options->scale != 2)
    {
      g_set_error (error, CM_EXPORT_ERROR, CM_EXPORT_ERROR_INVALID_OPTION,
                   _("--scale must be 1 or 2"));
      return FALSE;
    }

  if (options->has_from && options->has_to && options->from >= options->to)
    {
      g_set_error (error, CM_EXPORT_ERROR, CM_EXPORT_ERROR_INVALID_OPTION,
                   _("--from must be before --to"));
      return FALSE;
    }

  cm_export_options_get_page_size (options, &width, &height);
  if (width < CM_EXPORT_MIN_SIDE || height < CM_EXPORT_MIN_SIDE)
    {
      g_set_error (error, CM_EXPORT_ERROR, CM_EXPORT_ERROR_INVALID_OPTION,
                   _("%.0f x %.0f is too small; the smallest side is %d"),
                   width, height, CM_EXPORT_MIN_SIDE);
      return FALSE;
    }

  switch (options->format)
    {
    case CM_EXPORT_FORMAT_PDF:
      return check_side (_("width"), width, CM_EXPORT_MAX_PDF_SIDE, "pt", _("a PDF page"), error) &&
             check_side (_("height"), height, CM_EXPORT_MAX_PDF_SIDE, "pt", _("a PDF page"), error);

    case CM_EXPORT_FORMAT_SVG:
      return check_side (_("width"), width, CM_EXPORT_MAX_IMAGE_SIDE, "px", _("SVG export"), error) &&
             check_side (_("height"), height, CM_EXPORT_MAX_IMAGE_SIDE, "px", _("SVG export"), error);

    case CM_EXPORT_FORMAT_PNG:
    default:
      {
        const char *names[2] = { _("width"), _("height") };
        double sides[2] = { width, height };

        for (guint i = 0; i < 2; i++)
          {
            if (sides[i] * options->scale <= CM_EXPORT_MAX_IMAGE_SIDE)
              continue;
            if (options->scale > 1)
              g_set_error (error, CM_EXPORT_ERROR, CM_EXPORT_ERROR_TOO_LARGE,
                           _("%s %.0f px at scale %d (%.0f px) is beyond the %d px that PNG "
                             "export supports"), names[i], sides[i], options->scale,
                           sides[i] * options->scale, CM_EXPORT_MAX_IMAGE_SIDE);
            else
              g_set_error (error, CM_EXPORT_ERROR, CM_EXPORT_ERROR_TOO_LARGE,
                           _("%s %.0f px is beyond the %d px that PNG export supports"),
                           names[i], sides[i], CM_EXPORT_MAX_IMAGE_SIDE);
            return FALSE;
          }
        return TRUE;
      }
    }
}

void
cm_export_options_set_filter (CmExportOptions *options,
                              CmDataset       *dataset,
                              const guint64   *visible)
{
  g_return_if_fail (options != NULL);
  g_return_if_fail (visible == NULL || CM_IS_DATASET (dataset));

  g_clear_pointer (&options->filter, g_bytes_unref);
  if (visible != NULL)
    {
      gsize n_words = (cm_dataset_get_n_events (dataset) + 63) / 64;

      options->filter = g_bytes_new (visible, n_words * sizeof (guint64));
    }
}

const char *
cm_export_format_to_extension (CmExportFormat format)
{
  switch (format)
    {
    case CM_EXPORT_FORMAT_SVG:
      return "svg";
    case CM_EXPORT_FORMAT_PDF:
      return "pdf";
    case CM_EXPORT_FORMAT_PNG:
    default:
      return "png";
    }
}

const char *
cm_export_format_to_mime_type (CmExportFormat format)
{
  switch (format)
    {
    case CM_EXPORT_FORMAT_SVG:
      return "image/svg+xml";
    case CM_EXPORT_FORMAT_PDF:
      return "application/pdf";
    case CM_EXPORT_FORMAT_PNG:
    default:
      return "image/png";
    }
}
