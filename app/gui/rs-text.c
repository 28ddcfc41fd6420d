/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "rs-text.h"

#include <string.h>

char *
rs_text_reflow (const char *text)
{
  g_auto (GStrv) lines = NULL;
  GString *out;
  gboolean paragraph_open = FALSE;

  if (text == NULL)
    return NULL;
  lines = g_strsplit (text, "\n", -1);
  out = g_string_sized_new (strlen (text));
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);

      if (*line == '\0')
        {
          if (paragraph_open)
            g_string_append (out, "\n\n");
          paragraph_open = FALSE;
          continue;
        }
      if (paragraph_open)
        g_string_append_c (out, ' ');
      g_string_append (out, line);
      paragraph_open = TRUE;
    }
  while (out->len > 0 && out->str[out->len - 1] == '\n')
    g_string_truncate (out, out->len - 1);
  return g_string_free (out, FALSE);
}
