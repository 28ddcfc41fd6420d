/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>

#include "rs-file.h"
#include "rs-yaml.h"


/* Line (1-based) of a byte offset, for messages about raw bytes. */
static int
line_of_offset (const char *text, gsize offset)
{
  int line = 1;
  for (gsize i = 0; i < offset; i++)
    if (text[i] == '\n')
      line++;
  return line;
}

/* A file that holds only blanks and comments is "empty" to an author. */
static gboolean
is_blank_yaml (const char *text, gsize len)
{
  gboolean in_comment = FALSE;
  for (gsize i = 0; i < len; i++)
    {
      char ch = text[i];
      if (ch == '\n')
        in_comment = FALSE;
      else if (in_comment)
        continue;
      else if (ch == '#')
        in_comment = TRUE;
      else if (!g_ascii_isspace (ch) && ch != '-')
        return FALSE;
    }
  return TRUE;
}

/* Walks the events of the text (libyaml's event API, which builds nothing)
 * and stops at the first collection nested deeper than RS_YAML_MAX_DEPTH.
 * libyaml's scanner keeps one possible simple key per flow level and checks
 * them all at every token, so deep nesting costs time quadratic in the
 * depth (64 KB of "[" took 5.5 s); stopping at the limit bounds that before
 * yaml_parser_load() could build anything. Syntax errors are left to the
 * document load, which reports them with the same lines. */
static gboolean
check_depth (const char *text, gsize len, int *line, char **message)
{
  yaml_parser_t parser;
  yaml_event_t event;
  int depth = 0;
  gboolean ok = TRUE, done = FALSE;

  if (!yaml_parser_initialize (&parser))
    {
      *message = g_strdup (_("out of memory"));
      return FALSE;
    }
  yaml_parser_set_input_string (&parser, (const unsigned char *) text, len);
  while (ok && !done && yaml_parser_parse (&parser, &event))
    {
      switch (event.type)
        {
        case YAML_SEQUENCE_START_EVENT:
        case YAML_MAPPING_START_EVENT:
          if (++depth > RS_YAML_MAX_DEPTH)
            {
              *line = (int) event.start_mark.line + 1;
              *message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                       "nested more than %d level deep: Reskill's files never need that",
                                                       "nested more than %d levels deep: Reskill's files never need that",
                                                       RS_YAML_MAX_DEPTH),
                                          RS_YAML_MAX_DEPTH);
              ok = FALSE;
            }
          break;
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT:
          depth--;
          break;
        case YAML_STREAM_END_EVENT:
          done = TRUE;
          break;
        default:
          break;
        }
      yaml_event_delete (&event);
    }
  yaml_parser_delete (&parser);
  return ok;
}

gboolean
rs_yaml_doc_load (RsYamlDoc *doc, const char *path, gsize max_size, int *line, char **message)
{
  return rs_yaml_doc_load_full (doc, path, max_size, NULL, NULL, line, message);
}

gboolean
rs_yaml_doc_load_full (RsYamlDoc *doc, const char *path, gsize max_size, char **text_out, gsize *len_out,
                       int *line, char **message)
{
  g_autofree char *text = NULL;
  g_autoptr (GError) error = NULL;
  const char *bad = NULL;
  yaml_parser_t parser;
  yaml_document_t extra;
  gsize len = 0;
  gboolean ok = FALSE;

  memset (doc, 0, sizeof *doc);
  *line = 0;
  *message = NULL;

  /* Only a regular file, and never more than the limit: see rs-file.h. */
  /* Translators: the kind of file in "%s: cannot read the %s: %s"; here
   * any YAML file Reskill reads (questions, roles, learning steps). */
  if (!rs_file_read_regular (path, max_size, _("YAML file"), &text, &len, &error))
    {
      const char *colon = g_str_has_prefix (error->message, path) ? error->message + strlen (path) : NULL;

      /* The caller prefixes the path itself. */
      *message = g_strdup (colon != NULL && g_str_has_prefix (colon, ": ") ? colon + 2 : error->message);
      return FALSE;
    }
  if (text_out != NULL)
    {
      *text_out = g_memdup2 (text, len + 1);
      *len_out = len;
    }
  if (len == 0 || is_blank_yaml (text, len))
    {
      *message = g_strdup (_("file is empty"));
      return FALSE;
    }
  /* libyaml rejects bad UTF-8 too, but checking first lets us name the line
   * and the byte rather than libyaml's column-less reader error. */
  if (!g_utf8_validate (text, len, &bad))
    {
      *line = line_of_offset (text, bad - text);
      *message = g_strdup_printf (_("invalid UTF-8 (byte 0x%02X): save the file as UTF-8"),
                                  (guint) (guchar) *bad);
      return FALSE;
    }

  if (!yaml_parser_initialize (&parser))
    {
      *message = g_strdup (_("out of memory"));
      return FALSE;
    }
  if (!check_depth (text, len, line, message))
    {
      yaml_parser_delete (&parser);
      return FALSE;
    }
  yaml_parser_set_input_string (&parser, (const unsigned char *) text, len);
  if (!yaml_parser_load (&parser, &doc->document))
    {
      *line = (int) parser.problem_mark.line + 1;
      /* libyaml reports where it noticed; the context says where the broken
       * construct began, which is usually what the author must fix. */
      if (parser.context != NULL && parser.context_mark.line != parser.problem_mark.line)
        /* Translators: libyaml's own words (in English), then the line
         * where the broken part began. */
        *message = g_strdup_printf (_("YAML syntax error: %s %s that began at line %d"),
                                    parser.problem ? parser.problem : _("unknown problem"),
                                    parser.context, (int) parser.context_mark.line + 1);
      else
        *message = g_strdup_printf (_("YAML syntax error: %s%s%s"),
                                    parser.problem ? parser.problem : _("unknown problem"),
                                    parser.context ? " " : "",
                                    parser.context ? parser.context : "");
      goto out;
    }
  doc->loaded = TRUE;
  if (yaml_document_get_root_node (&doc->document) == NULL)
    {
      *message = g_strdup (_("file is empty"));
      goto out;
    }
  /* A second document ("---") would be silently ignored: refuse it instead. */
  if (!yaml_parser_load (&parser, &extra))
    {
      *line = (int) parser.problem_mark.line + 1;
      *message = g_strdup_printf (_("YAML syntax error: %s"),
                                  parser.problem ? parser.problem : _("unknown problem"));
      goto out;
    }
  if (yaml_document_get_root_node (&extra) != NULL)
    {
      *line = (int) extra.start_mark.line + 1;
      *message = g_strdup (_("more than one YAML document: remove the extra '---'"));
      yaml_document_delete (&extra);
      goto out;
    }
  yaml_document_delete (&extra);
  ok = TRUE;

out:
  yaml_parser_delete (&parser);
  if (!ok)
    rs_yaml_doc_clear (doc);
  return ok;
}

void
rs_yaml_doc_clear (RsYamlDoc *doc)
{
  if (doc->loaded)
    yaml_document_delete (&doc->document);
  doc->loaded = FALSE;
}

yaml_node_t *
rs_yaml_root (RsYamlDoc *doc)
{
  return doc->loaded ? yaml_document_get_root_node (&doc->document) : NULL;
}

yaml_node_t *
rs_yaml_node (RsYamlDoc *doc, int index)
{
  return yaml_document_get_node (&doc->document, index);
}

int
rs_yaml_line (const yaml_node_t *node)
{
  return node ? (int) node->start_mark.line + 1 : 0;
}

const char *
rs_yaml_scalar (const yaml_node_t *node)
{
  if (node == NULL || node->type != YAML_SCALAR_NODE)
    return NULL;
  return (const char *) node->data.scalar.value;
}

gboolean
rs_yaml_is_mapping (const yaml_node_t *node)
{
  return node != NULL && node->type == YAML_MAPPING_NODE;
}

gboolean
rs_yaml_is_sequence (const yaml_node_t *node)
{
  return node != NULL && node->type == YAML_SEQUENCE_NODE;
}

int
rs_yaml_sequence_length (const yaml_node_t *node)
{
  if (!rs_yaml_is_sequence (node))
    return 0;
  return (int) (node->data.sequence.items.top - node->data.sequence.items.start);
}

yaml_node_t *
rs_yaml_sequence_item (RsYamlDoc *doc, const yaml_node_t *node, int i)
{
  if (i < 0 || i >= rs_yaml_sequence_length (node))
    return NULL;
  return yaml_document_get_node (&doc->document, node->data.sequence.items.start[i]);
}

gboolean
rs_yaml_int (const yaml_node_t *node, gint64 *value)
{
  const char *text = rs_yaml_scalar (node);
  char *end = NULL;
  gint64 v;

  if (text == NULL || *text == '\0')
    return FALSE;
  errno = 0;
  v = g_ascii_strtoll (text, &end, 10);
  if (errno != 0 || end == text || *end != '\0')
    return FALSE;
  *value = v;
  return TRUE;
}

gboolean
rs_yaml_double (const yaml_node_t *node, double *value)
{
  const char *text = rs_yaml_scalar (node);
  char *end = NULL;
  double v;

  if (text == NULL || *text == '\0')
    return FALSE;
  errno = 0;
  v = g_ascii_strtod (text, &end);
  if (errno != 0 || end == text || *end != '\0' || !isfinite (v))
    return FALSE;
  *value = v;
  return TRUE;
}

yaml_node_t *
rs_yaml_mapping_get (RsYamlDoc *doc, const yaml_node_t *map, const char *key)
{
  if (!rs_yaml_is_mapping (map))
    return NULL;
  for (yaml_node_pair_t *pair = map->data.mapping.pairs.start; pair < map->data.mapping.pairs.top; pair++)
    if (g_strcmp0 (rs_yaml_scalar (rs_yaml_node (doc, pair->key)), key) == 0)
      return rs_yaml_node (doc, pair->value);
  return NULL;
}
