/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Foreign files (TimelineJS, StoryMapJS) carry HTML in their text. Chronomap
 * shows only plain text, so it is converted once, on import, and nothing is
 * ever interpreted as markup afterwards.
 *
 * cm_html_to_text() drops every tag (and the contents of <script>, <style>
 * and comments), decodes character references (named ones in common use,
 * decimal and hexadecimal; unknown ones are kept as written), collapses
 * white space as a browser would, turns <br> into a line break and block
 * elements (<p>, <div>, <li>, <h1>…, <blockquote>, <tr>) into line breaks,
 * and trims each line. The links of <a href="…">, when @links is not NULL,
 * are appended to it as CmHtmlLink values, with their text as the title;
 * only http and https links are kept ("//host/…" counts as https). The
 * result is valid UTF-8; input that is not HTML passes through with only
 * its white space tidied. */
typedef struct
{
  char *title;   /* the link's text, or NULL if it had none */
  char *url;
} CmHtmlLink;

char *cm_html_to_text       (const char *html,
                             GArray     *links);
/* The same on one line: line breaks become spaces (for titles). */
char *cm_html_to_line       (const char *html,
                             GArray     *links);
/* An array of CmHtmlLink that frees its members. */
GArray *cm_html_links_new   (void);
/* @url as an http(s) link, "//host/…" made https; NULL if it is none
 * (relative paths, other schemes, spaces). */
char *cm_html_link_url      (const char *url);

G_END_DECLS
