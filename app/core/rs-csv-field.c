/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "rs-csv-field.h"

#include <string.h>

static gboolean
needs_quotes (const char *text)
{
  return text != NULL && strpbrk (text, ",\"\r\n") != NULL;
}

void
rs_csv_append_field (GString *out, const char *text)
{
  if (needs_quotes (text))
    {
      g_string_append_c (out, '"');
      for (const char *p = text; *p != '\0'; p++)
        {
          if (*p == '"')
            g_string_append_c (out, '"');
          g_string_append_c (out, *p);
        }
      g_string_append_c (out, '"');
    }
  else if (text != NULL)
    g_string_append (out, text);
}

void
rs_csv_append_text_field (GString *out, const char *text)
{
  if (text != NULL && text[0] != '\0' && !needs_quotes (text) && strchr ("=+-@\t\r", text[0]) != NULL)
    g_string_append_c (out, '\'');
  rs_csv_append_field (out, text);
}
