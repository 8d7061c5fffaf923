/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The JSON reader alone: any bytes parse or fail cleanly, and every
 * location (problems, the error, each value) maps to a line and column. */
#include "config.h"

#include <string.h>

#include "cm-json-reader.h"
#include "fuzz.h"

typedef struct
{
  CmJsonLines *lines;
  gsize        length;
} State;

static void
problem_cb (gpointer    user_data,
            gsize       offset,
            const char *path,
            const char *message)
{
  State *state = user_data;
  guint line, column;

  g_assert (offset <= state->length);
  g_assert (path != NULL && message != NULL);
  cm_json_lines_locate (state->lines, offset, &line, &column);
}

static void
walk (const CmJsonNode *node,
      State            *state,
      guint             depth)
{
  guint line, column;

  g_assert (depth <= CM_JSON_MAX_DEPTH + 1);
  g_assert (node->offset <= state->length);
  cm_json_lines_locate (state->lines, node->offset, &line, &column);

  if (node->type == CM_JSON_STRING)
    g_assert (strlen (node->v.string) == node->length);
  else if (node->type == CM_JSON_ARRAY)
    for (guint i = 0; i < node->length; i++)
      walk (cm_json_node_get_element (node, i), state, depth + 1);
  else if (node->type == CM_JSON_OBJECT)
    for (guint i = 0; i < 2 * node->length; i++)
      walk (&node->v.children[i], state, depth + 1);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *copy = g_malloc (size + 1);
  g_autoptr(CmJsonDocument) document = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *error_path = NULL;
  gsize error_offset = 0;
  State state = { NULL, size };

  memcpy (copy, data, size);
  state.lines = cm_json_lines_new (copy, size);
  document = cm_json_document_parse (copy, size, NULL, problem_cb, &state, NULL,
                                     &error_offset, &error_path, &error);
  if (document == NULL)
    {
      guint line, column;

      g_assert (error != NULL && error_path != NULL);
      g_assert (error_offset <= size);
      cm_json_lines_locate (state.lines, error_offset, &line, &column);
    }
  else
    walk (cm_json_document_get_root (document), &state, 0);

  cm_json_lines_free (state.lines);
  return 0;
}
