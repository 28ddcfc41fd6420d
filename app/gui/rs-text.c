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

/* Splits at backticks: even pieces are prose, odd ones code. With an odd
 * number of backticks the last one has no partner and is prose again. */
static char *
render_code (const char *text, gboolean markup)
{
  g_auto (GStrv) pieces = NULL;
  GString *out;
  guint n;

  if (text == NULL)
    return NULL;
  pieces = g_strsplit (text, "`", -1);
  n = g_strv_length (pieces);
  out = g_string_sized_new (strlen (text) + 16);
  for (guint i = 0; i < n; i++)
    {
      gboolean code = i % 2 == 1 && i + 1 < n;
      g_autofree char *escaped = markup ? g_markup_escape_text (pieces[i], -1) : g_strdup (pieces[i]);

      if (i % 2 == 1 && !code)
        g_string_append_c (out, '`');
      if (code && markup)
        g_string_append_printf (out, "<tt>%s</tt>", escaped);
      else
        g_string_append (out, escaped);
    }
  return g_string_free (out, FALSE);
}

char *
rs_text_markup_code (const char *text)
{
  return render_code (text, TRUE);
}

char *
rs_text_strip_code (const char *text)
{
  return render_code (text, FALSE);
}
