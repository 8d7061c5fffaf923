/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-html"

#include "config.h"

#include <string.h>

#include "cm-html.h"

/* One pass over the input: text is appended with browser-like white-space
 * collapsing (a run of spaces, tabs and newlines is one space), tags are
 * recognised and dropped, and block tags ask for a line break. Lines are
 * trimmed as they are finished. Nothing here allocates per character, and
 * nothing looks back more than the current tag: linear in the input. */

typedef struct
{
  GString  *out;
  gboolean  pending_space;   /* white space seen since the last text */
  guint     pending_breaks;  /* line breaks asked for since the last text */
  GArray   *links;
  gssize    link_start;      /* out->len where the open <a>'s text starts, or -1 */
  char     *link_url;
  GHashTable *seen;          /* URLs of @links, made at the first */
} Converter;

static const struct
{
  const char *name;
  gunichar    c;
} entities[] = {
  { "amp", '&' }, { "lt", '<' }, { "gt", '>' }, { "quot", '"' }, { "apos", '\'' },
  { "nbsp", 0xa0 }, { "ndash", 0x2013 }, { "mdash", 0x2014 }, { "hellip", 0x2026 },
  { "lsquo", 0x2018 }, { "rsquo", 0x2019 }, { "ldquo", 0x201c }, { "rdquo", 0x201d },
  { "laquo", 0xab }, { "raquo", 0xbb }, { "sbquo", 0x201a }, { "bdquo", 0x201e },
  { "copy", 0xa9 }, { "reg", 0xae }, { "trade", 0x2122 }, { "deg", 0xb0 },
  { "middot", 0xb7 }, { "bull", 0x2022 }, { "times", 0xd7 }, { "divide", 0xf7 },
  { "euro", 0x20ac }, { "pound", 0xa3 }, { "yen", 0xa5 }, { "cent", 0xa2 }, { "sect", 0xa7 },
  { "para", 0xb6 }, { "iexcl", 0xa1 }, { "iquest", 0xbf }, { "shy", 0xad },
  { "eacute", 0xe9 }, { "Eacute", 0xc9 }, { "egrave", 0xe8 }, { "ecirc", 0xea },
  { "aacute", 0xe1 }, { "agrave", 0xe0 }, { "acirc", 0xe2 }, { "auml", 0xe4 },
  { "Auml", 0xc4 }, { "aring", 0xe5 }, { "atilde", 0xe3 }, { "ccedil", 0xe7 },
  { "iacute", 0xed }, { "icirc", 0xee }, { "iuml", 0xef }, { "ntilde", 0xf1 },
  { "oacute", 0xf3 }, { "ograve", 0xf2 }, { "ocirc", 0xf4 }, { "ouml", 0xf6 },
  { "Ouml", 0xd6 }, { "otilde", 0xf5 }, { "oslash", 0xf8 }, { "uacute", 0xfa },
  { "ugrave", 0xf9 }, { "ucirc", 0xfb }, { "uuml", 0xfc }, { "Uuml", 0xdc },
  { "szlig", 0xdf }, { "euml", 0xeb }, { "thinsp", 0x2009 }, { "ensp", 0x2002 },
  { "emsp", 0x2003 }, { "frac12", 0xbd }, { "frac14", 0xbc }, { "frac34", 0xbe },
  { "larr", 0x2190 }, { "rarr", 0x2192 }, { "minus", 0x2212 }, { "prime", 0x2032 },
};

static const char *const block_tags[] = {
  "p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr",
  "table", "section", "article", "header", "footer", "figure", "figcaption", "hr", "pre",
  "dd", "dt", "dl", "cite", "address",
};

static void
clear_link (gpointer data)
{
  CmHtmlLink *link = data;

  g_free (link->title);
  g_free (link->url);
}

GArray *
cm_html_links_new (void)
{
  GArray *links = g_array_new (FALSE, FALSE, sizeof (CmHtmlLink));

  g_array_set_clear_func (links, clear_link);
  return links;
}

char *
cm_html_link_url (const char *url)
{
  const char *rest;

  g_return_val_if_fail (url != NULL, NULL);

  while (g_ascii_isspace (*url))
    url++;

  if (g_ascii_strncasecmp (url, "http://", 7) == 0)
    rest = url + 7;
  else if (g_ascii_strncasecmp (url, "https://", 8) == 0)
    rest = url + 8;
  else if (url[0] == '/' && url[1] == '/' && g_ascii_isalnum (url[2]))
    rest = url + 2;
  else
    return NULL;

  if (!g_ascii_isalnum (*rest))
    return NULL;
  for (const char *p = rest; *p != '\0'; p++)
    if ((guchar) *p <= 0x20)
      {
        /* Trailing space is common; space inside is not a link. */
        for (const char *q = p; *q != '\0'; q++)
          if (!g_ascii_isspace (*q))
            return NULL;
        {
          g_autofree char *cut = g_strndup (url, p - url);

          return rest == url + 2 ? g_strconcat ("https:", cut, NULL) : g_steal_pointer (&cut);
        }
      }

  return rest == url + 2 ? g_strconcat ("https:", url, NULL) : g_strdup (url);
}

static void
flush_pending (Converter *cv)
{
  if (cv->out->len > 0 && cv->pending_breaks > 0)
    {
      /* Trim the line being finished. */
      while (cv->out->len > 0 && cv->out->str[cv->out->len - 1] == ' ')
        g_string_truncate (cv->out, cv->out->len - 1);
      if (cv->out->len > 0 && cv->out->str[cv->out->len - 1] != '\n')
        g_string_append_c (cv->out, '\n');
    }
  else if (cv->pending_space && cv->out->len > 0 && cv->out->str[cv->out->len - 1] != '\n')
    g_string_append_c (cv->out, ' ');

  cv->pending_space = FALSE;
  cv->pending_breaks = 0;
}

static void
append_unichar (Converter *cv,
                gunichar   c)
{
  if (c == 0xa0)
    c = ' ';
  if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f')
    {
      cv->pending_space = TRUE;
      return;
    }
  /* Control characters and soft hyphens have no place in plain text. */
  if (c < 0x20 || (c >= 0x7f && c < 0xa0) || c == 0xad)
    return;
  flush_pending (cv);
  g_string_append_unichar (cv->out, c);
}

/* A character reference at @p ('&'); returns where it ends, or @p if it is
 * none (the '&' is then plain text). */
static const char *
decode_entity (Converter  *cv,
               const char *p)
{
  const char *q = p + 1;
  gunichar c = 0;

  if (*q == '#')
    {
      gboolean hex = q[1] == 'x' || q[1] == 'X';
      guint64 value = 0;
      int n = 0;

      q += hex ? 2 : 1;
      for (; hex ? g_ascii_isxdigit (*q) : g_ascii_isdigit (*q); q++, n++)
        if (value < 0x110000)
          value = value * (hex ? 16 : 10) + (hex ? g_ascii_xdigit_value (*q) : *q - '0');
      if (n == 0)
        return p;
      c = value == 0 || value >= 0x110000 || (value >= 0xd800 && value < 0xe000) ? 0xfffd
                                                                                 : (gunichar) value;
    }
  else
    {
      gsize n = 0;

      while (g_ascii_isalnum (q[n]) && n < 10)
        n++;
      for (guint i = 0; i < G_N_ELEMENTS (entities) && c == 0; i++)
        if (strlen (entities[i].name) == n && strncmp (entities[i].name, q, n) == 0)
          c = entities[i].c;
      if (c == 0)
        return p;
      q += n;
    }

  if (*q == ';')
    q++;
  append_unichar (cv, c);
  return q;
}

/* The value of attribute @name inside the tag text [@p, @end), decoded, or
 * NULL. */
static char *
get_attribute (const char *p,
               const char *end,
               const char *name)
{
  gsize n = strlen (name);

  while (p < end)
    {
      const char *attr;
      gsize attr_len;

      while (p < end && (g_ascii_isspace (*p) || *p == '/'))
        p++;
      attr = p;
      while (p < end && !g_ascii_isspace (*p) && *p != '=' && *p != '>' && *p != '/')
        p++;
      attr_len = p - attr;
      while (p < end && g_ascii_isspace (*p))
        p++;
      if (p < end && *p == '=')
        {
          const char *value;
          gsize value_len;

          p++;
          while (p < end && g_ascii_isspace (*p))
            p++;
          if (p < end && (*p == '"' || *p == '\''))
            {
              char quote = *p++;

              value = p;
              while (p < end && *p != quote)
                p++;
              value_len = p - value;
              if (p < end)
                p++;
            }
          else
            {
              value = p;
              while (p < end && !g_ascii_isspace (*p) && *p != '>')
                p++;
              value_len = p - value;
            }

          if (attr_len == n && g_ascii_strncasecmp (attr, name, n) == 0)
            {
              g_autofree char *raw = g_strndup (value, value_len);
              Converter cv = { g_string_new (NULL), };

              /* Entities in attributes, e.g. "&amp;" in URLs. */
              for (const char *r = raw; *r != '\0';)
                {
                  if (*r == '&')
                    {
                      const char *next = decode_entity (&cv, r);

                      if (next != r)
                        {
                          r = next;
                          continue;
                        }
                    }
                  flush_pending (&cv);
                  g_string_append_unichar (cv.out, g_utf8_get_char (r));
                  r = g_utf8_next_char (r);
                }
              return g_string_free (cv.out, FALSE);
            }
        }
      else if (attr_len == 0 && p < end)
        p++;
    }

  return NULL;
}

static gboolean
is_block_tag (const char *name,
              gsize       n)
{
  for (guint i = 0; i < G_N_ELEMENTS (block_tags); i++)
    if (strlen (block_tags[i]) == n && g_ascii_strncasecmp (block_tags[i], name, n) == 0)
      return TRUE;
  return FALSE;
}

static void
open_link (Converter  *cv,
           const char *attrs,
           const char *end)
{
  g_autofree char *href = NULL;

  if (cv->links == NULL)
    return;

  href = get_attribute (attrs, end, "href");
  g_clear_pointer (&cv->link_url, g_free);
  cv->link_url = href ? cm_html_link_url (href) : NULL;
  flush_pending (cv);
  cv->link_start = cv->out->len;
}

static void
close_link (Converter *cv)
{
  CmHtmlLink link;
  g_autofree char *text = NULL;

  if (cv->link_url == NULL)
    return;

  text = g_strstrip (g_strndup (cv->out->str + cv->link_start, cv->out->len - cv->link_start));
  for (char *p = text; *p != '\0'; p++)
    if (*p == '\n')
      *p = ' ';
  link.title = *text != '\0' ? g_steal_pointer (&text) : NULL;
  link.url = g_steal_pointer (&cv->link_url);

  /* The same link twice is one source (a set, not a scan: a text may
   * hold thousands of links). */
  if (cv->seen == NULL)
    cv->seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  if (!g_hash_table_add (cv->seen, g_strdup (link.url)))
    {
      clear_link (&link);
      return;
    }
  g_array_append_val (cv->links, link);
}

/* A tag (or comment) at @p ('<'); returns where it ends, or @p if it is no
 * tag (the '<' is then plain text). */
static const char *
read_tag (Converter  *cv,
          const char *p)
{
  const char *q = p + 1;
  const char *name, *end;
  gboolean closing = FALSE;
  gsize n;

  if (g_str_has_prefix (q, "!--"))
    {
      end = strstr (q + 3, "-->");
      return end ? end + 3 : q + strlen (q);
    }
  if (*q == '!' || *q == '?')
    {
      end = strchr (q, '>');
      return end ? end + 1 : q + strlen (q);
    }
  if (*q == '/')
    {
      closing = TRUE;
      q++;
    }
  if (!g_ascii_isalpha (*q))
    return p;

  name = q;
  while (g_ascii_isalnum (*q))
    q++;
  n = q - name;
  end = strchr (q, '>');
  if (end == NULL)
    end = q + strlen (q);

  if (!closing && (n == 6 || n == 5) &&
      (g_ascii_strncasecmp (name, "script", n) == 0 || g_ascii_strncasecmp (name, "style", n) == 0))
    {
      /* Their contents are not text. */
      g_autofree char *close = g_strdup_printf ("</%.*s", (int) n, name);
      const char *c = *end ? end + 1 : end;

      for (; *c != '\0'; c++)
        if (g_ascii_strncasecmp (c, close, n + 2) == 0)
          break;
      end = *c ? strchr (c, '>') : NULL;
      return end ? end + 1 : c + strlen (c);
    }

  if (n == 2 && g_ascii_strncasecmp (name, "br", 2) == 0)
    cv->pending_breaks++;
  else if (is_block_tag (name, n))
    cv->pending_breaks = MAX (cv->pending_breaks, 1);
  else if (n == 1 && g_ascii_tolower (*name) == 'a')
    {
      if (closing)
        close_link (cv);
      else
        open_link (cv, q, end);
    }
  else if (n == 3 && g_ascii_strncasecmp (name, "img", 3) == 0)
    cv->pending_space = TRUE;

  return *end ? end + 1 : end;
}

static char *
convert (const char *html,
         GArray     *links)
{
  Converter cv = { g_string_new (NULL), FALSE, 0, links, -1, NULL, NULL };
  g_autofree char *valid = NULL;
  const char *p = html;

  /* Inputs are checked UTF-8 already; never pass on anything else. */
  if (!g_utf8_validate (html, -1, NULL))
    p = valid = g_utf8_make_valid (html, -1);

  while (*p != '\0')
    {
      const char *next = p;

      if (*p == '<')
        next = read_tag (&cv, p);
      else if (*p == '&')
        next = decode_entity (&cv, p);

      if (next != p)
        {
          p = next;
          continue;
        }

      append_unichar (&cv, g_utf8_get_char (p));
      p = g_utf8_next_char (p);
    }

  if (cv.link_url != NULL)
    close_link (&cv);
  g_free (cv.link_url);
  g_clear_pointer (&cv.seen, g_hash_table_unref);

  while (cv.out->len > 0 && (cv.out->str[cv.out->len - 1] == ' ' ||
                             cv.out->str[cv.out->len - 1] == '\n'))
    g_string_truncate (cv.out, cv.out->len - 1);

  return g_string_free (cv.out, FALSE);
}

char *
cm_html_to_text (const char *html,
                 GArray     *links)
{
  g_return_val_if_fail (html != NULL, NULL);

  return convert (html, links);
}

char *
cm_html_to_line (const char *html,
                 GArray     *links)
{
  char *text;

  g_return_val_if_fail (html != NULL, NULL);

  text = convert (html, links);

  for (char *p = text; *p != '\0'; p++)
    if (*p == '\n')
      *p = ' ';

  return text;
}
