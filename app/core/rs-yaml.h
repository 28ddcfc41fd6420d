/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A thin layer over libyaml's document API for the two YAML files Reskill
 * reads (the bank and the roles): loading with every failure turned into a
 * line number and a sentence, and lookups that keep each node's line so that
 * validation messages can say "file:line". libyaml does the parsing; this
 * only adds the checks that all our readers share. */
#pragma once

#include <glib.h>
#include <yaml.h>

G_BEGIN_DECLS

typedef struct {
  yaml_document_t document;
  gboolean loaded;
} RsYamlDoc;

/* Collections nested deeper than this are refused before a document is
 * built: hand-written question and role files need four or five levels. */
#define RS_YAML_MAX_DEPTH 64

/* Reads and parses path. On failure returns FALSE with *line (1-based, 0 for
 * the whole file) and *message set (free with g_free): not a regular file,
 * file too large, empty, not UTF-8 (with the line of the first bad byte),
 * nested too deep (with the line), YAML syntax errors, more than one
 * document. */
gboolean rs_yaml_doc_load (RsYamlDoc *doc, const char *path, gsize max_size,
                           int *line, char **message);
/* The same, also handing back the file's bytes (*text_out, NUL-terminated,
 * and *len_out; free with g_free) so that a caller that hashes the file
 * does not read it twice. */
gboolean rs_yaml_doc_load_full (RsYamlDoc *doc, const char *path, gsize max_size, char **text_out,
                                gsize *len_out, int *line, char **message);
void rs_yaml_doc_clear (RsYamlDoc *doc);

yaml_node_t *rs_yaml_root (RsYamlDoc *doc);
yaml_node_t *rs_yaml_node (RsYamlDoc *doc, int index);
int rs_yaml_line (const yaml_node_t *node);

/* The text of a scalar node, NULL for mappings and sequences. */
const char *rs_yaml_scalar (const yaml_node_t *node);
gboolean rs_yaml_is_mapping (const yaml_node_t *node);
/* The value of key in a mapping node; NULL when absent or not a mapping. */
yaml_node_t *rs_yaml_mapping_get (RsYamlDoc *doc, const yaml_node_t *map, const char *key);
gboolean rs_yaml_is_sequence (const yaml_node_t *node);
int rs_yaml_sequence_length (const yaml_node_t *node);
yaml_node_t *rs_yaml_sequence_item (RsYamlDoc *doc, const yaml_node_t *node, int i);

/* Integer and floating-point scalars, strictly: "3" yes, "3x" and "" no. */
gboolean rs_yaml_int (const yaml_node_t *node, gint64 *value);
gboolean rs_yaml_double (const yaml_node_t *node, double *value);

G_END_DECLS
