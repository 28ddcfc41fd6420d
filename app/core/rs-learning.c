/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n-lib.h>
#include <stdarg.h>
#include <string.h>

#include "rs-error.h"
#include "rs-learning.h"
#include "rs-yaml.h"

#define RS_LEARNING_MAX_FILE_SIZE (512 * 1024)

struct _RsLearningCatalog {
  char *path;
  GHashTable *steps;        /* "skill/subtopic" → GPtrArray of RsLearningStep */
  GHashTable *lines;        /* "skill/subtopic" → line of its entry */
  GPtrArray *diagnostics;   /* RsDiagnostic */
};

static const char *const kind_ids[RS_N_LEARNING_KINDS] = { "docs", "book", "exercise", "course" };

const char *
rs_learning_kind_id (RsLearningKind kind)
{
  return kind >= 0 && kind < RS_N_LEARNING_KINDS ? kind_ids[kind] : "?";
}

static void
step_free (gpointer data)
{
  RsLearningStep *step = data;
  g_free (step->title);
  g_free (step->source);
  g_free (step->detail);
  g_free (step);
}

void
rs_learning_catalog_free (RsLearningCatalog *catalog)
{
  if (catalog == NULL)
    return;
  g_free (catalog->path);
  g_clear_pointer (&catalog->steps, g_hash_table_unref);
  g_clear_pointer (&catalog->lines, g_hash_table_unref);
  g_clear_pointer (&catalog->diagnostics, g_ptr_array_unref);
  g_free (catalog);
}

static void G_GNUC_PRINTF (3, 4)
problem (RsLearningCatalog *catalog, const yaml_node_t *node, const char *format, ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_ptr_array_add (catalog->diagnostics,
                   rs_diagnostic_new (catalog->path, rs_yaml_line (node), "%s", message));
}

/* A non-empty single-line text, trimmed; NULL (with a diagnostic when
 * required) otherwise. */
static char *
get_text (RsLearningCatalog *catalog, RsYamlDoc *doc, yaml_node_t *map, const char *key,
          gboolean required, const char *entry)
{
  yaml_node_t *node = rs_yaml_mapping_get (doc, map, key);
  const char *text = rs_yaml_scalar (node);
  g_autofree char *trimmed = text ? g_strstrip (g_strdup (text)) : NULL;

  if (trimmed == NULL || *trimmed == '\0')
    {
      if (required || node != NULL)
        problem (catalog, node ? node : map, _("%s: a step needs a '%s' text"), entry, key);
      return NULL;
    }
  return g_steal_pointer (&trimmed);
}

static RsLearningStep *
parse_step (RsLearningCatalog *catalog, RsYamlDoc *doc, yaml_node_t *node, const char *entry)
{
  static const char *const fields[] = { "kind", "title", "source", "detail", "minutes", NULL };
  g_autoptr (GPtrArray) keep = g_ptr_array_new_with_free_func (step_free);
  RsLearningStep *step = g_new0 (RsLearningStep, 1);
  const char *kind;
  yaml_node_t *minutes;
  gint64 value;
  guint before = catalog->diagnostics->len;

  g_ptr_array_add (keep, step);
  step->line = rs_yaml_line (node);
  if (!rs_yaml_is_mapping (node))
    {
      problem (catalog, node, _("%s: a step must be a mapping with kind, title and source"), entry);
      return NULL;
    }
  for (yaml_node_pair_t *pair = node->data.mapping.pairs.start; pair < node->data.mapping.pairs.top; pair++)
    {
      yaml_node_t *key = rs_yaml_node (doc, pair->key);
      if (rs_yaml_scalar (key) == NULL || !g_strv_contains (fields, rs_yaml_scalar (key)))
        problem (catalog, key, _("%s: unknown field '%s' in a step"), entry,
                 rs_yaml_scalar (key) ? rs_yaml_scalar (key) : "?");
    }
  kind = rs_yaml_scalar (rs_yaml_mapping_get (doc, node, "kind"));
  step->kind = RS_N_LEARNING_KINDS;
  for (int k = 0; k < RS_N_LEARNING_KINDS; k++)
    if (g_strcmp0 (kind, kind_ids[k]) == 0)
      step->kind = (RsLearningKind) k;
  if (step->kind == RS_N_LEARNING_KINDS)
    problem (catalog, rs_yaml_mapping_get (doc, node, "kind") ? rs_yaml_mapping_get (doc, node, "kind") : node,
             _("%s: kind must be docs, book, exercise or course"), entry);
  step->title = get_text (catalog, doc, node, "title", TRUE, entry);
  /* An exercise is its own source; everything else must say where it is. */
  step->source = get_text (catalog, doc, node, "source", step->kind != RS_LEARNING_EXERCISE, entry);
  step->detail = get_text (catalog, doc, node, "detail", step->kind == RS_LEARNING_EXERCISE, entry);
  minutes = rs_yaml_mapping_get (doc, node, "minutes");
  if (minutes != NULL)
    {
      if (!rs_yaml_int (minutes, &value) || value < 1 || value > 6000)
        problem (catalog, minutes, _("%s: minutes must be a whole number from 1 to 6000"), entry);
      else
        step->minutes = (int) value;
    }
  if (catalog->diagnostics->len != before)
    return NULL;
  return g_ptr_array_steal_index (keep, 0);
}

RsLearningCatalog *
rs_learning_catalog_load (const char *path, GError **error)
{
  g_autoptr (RsLearningCatalog) catalog = g_new0 (RsLearningCatalog, 1);
  g_autofree char *message = NULL;
  RsYamlDoc doc;
  yaml_node_t *root, *entries;
  int line;

  catalog->path = g_strdup (path);
  catalog->steps = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify) g_ptr_array_unref);
  catalog->lines = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  catalog->diagnostics = g_ptr_array_new_with_free_func ((GDestroyNotify) rs_diagnostic_free);

  if (!rs_yaml_doc_load (&doc, path, RS_LEARNING_MAX_FILE_SIZE, &line, &message))
    {
      g_set_error (error, RS_ERROR, RS_ERROR_PARSE, "%s:%d: %s", path, line, message);
      return NULL;
    }
  root = rs_yaml_root (&doc);
  entries = rs_yaml_mapping_get (&doc, root, "subtopics");
  if (!rs_yaml_is_mapping (root) || !rs_yaml_is_mapping (entries)
      || entries->data.mapping.pairs.top == entries->data.mapping.pairs.start)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_PARSE,
                   _("%s:%d: expected 'subtopics:' mapping skill/subtopic to a list of steps"), path,
                   rs_yaml_line (entries ? entries : root));
      rs_yaml_doc_clear (&doc);
      return NULL;
    }
  for (yaml_node_pair_t *pair = root->data.mapping.pairs.start; pair < root->data.mapping.pairs.top; pair++)
    {
      yaml_node_t *key = rs_yaml_node (&doc, pair->key);
      if (g_strcmp0 (rs_yaml_scalar (key), "subtopics") != 0)
        problem (catalog, key, _("unknown top-level field '%s' (only 'subtopics')"),
                 rs_yaml_scalar (key) ? rs_yaml_scalar (key) : "?");
    }

  for (yaml_node_pair_t *pair = entries->data.mapping.pairs.start; pair < entries->data.mapping.pairs.top; pair++)
    {
      yaml_node_t *key = rs_yaml_node (&doc, pair->key);
      yaml_node_t *list = rs_yaml_node (&doc, pair->value);
      const char *name = rs_yaml_scalar (key);
      const char *slash = name ? strchr (name, '/') : NULL;
      g_autofree char *skill = slash ? g_strndup (name, slash - name) : NULL;
      GPtrArray *steps;

      if (slash == NULL || slash[1] == '\0' || rs_skill_from_id (skill) == RS_SKILL_INVALID)
        {
          problem (catalog, key, _("'%s' must be skill/subtopic, e.g. python/async"), name ? name : "?");
          continue;
        }
      if (g_hash_table_contains (catalog->steps, name))
        {
          problem (catalog, key, _("%s appears twice (first at line %d)"), name,
                   GPOINTER_TO_INT (g_hash_table_lookup (catalog->lines, name)));
          continue;
        }
      if (!rs_yaml_is_sequence (list) || rs_yaml_sequence_length (list) == 0)
        {
          problem (catalog, list ? list : key, _("%s: expected a list of steps"), name);
          continue;
        }
      steps = g_ptr_array_new_with_free_func (step_free);
      for (int i = 0; i < rs_yaml_sequence_length (list); i++)
        {
          RsLearningStep *step = parse_step (catalog, &doc, rs_yaml_sequence_item (&doc, list, i), name);
          if (step != NULL)
            g_ptr_array_add (steps, step);
        }
      g_hash_table_insert (catalog->steps, g_strdup (name), steps);
      g_hash_table_insert (catalog->lines, g_strdup (name), GINT_TO_POINTER (rs_yaml_line (key)));
    }
  rs_yaml_doc_clear (&doc);
  return g_steal_pointer (&catalog);
}

const GPtrArray *
rs_learning_catalog_diagnostics (const RsLearningCatalog *catalog)
{
  return catalog->diagnostics;
}

const GPtrArray *
rs_learning_catalog_steps (const RsLearningCatalog *catalog, RsSkill skill, const char *subtopic)
{
  g_autofree char *key = g_strdup_printf ("%s/%s", rs_skill_id (skill), subtopic);
  GPtrArray *steps = g_hash_table_lookup (catalog->steps, key);
  return steps != NULL && steps->len > 0 ? steps : NULL;
}

GPtrArray *
rs_learning_catalog_check (const RsLearningCatalog *catalog, const RsBank *bank)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) rs_diagnostic_free);
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GList) names = NULL;

  for (int s = 0; s < RS_N_SKILLS; s++)
    {
      const GPtrArray *items = rs_bank_skill_items (bank, (RsSkill) s);
      for (guint i = 0; i < items->len; i++)
        {
          const RsItem *item = g_ptr_array_index (items, i);
          g_autofree char *key = g_strdup_printf ("%s/%s", rs_skill_id (item->skill), item->subtopic);
          const GPtrArray *steps;

          if (g_hash_table_contains (seen, key))
            continue;
          g_hash_table_add (seen, g_strdup (key));
          steps = g_hash_table_lookup (catalog->steps, key);
          if (steps == NULL)
            g_ptr_array_add (out, rs_diagnostic_new (catalog->path, 0,
                _("no learning steps for %s (its items are in %s)"), key, item->file));
          else if (steps->len < RS_LEARNING_MIN_STEPS)
            g_ptr_array_add (out, rs_diagnostic_new (catalog->path,
                GPOINTER_TO_INT (g_hash_table_lookup (catalog->lines, key)),
                g_dngettext (GETTEXT_PACKAGE, "%s has %u learning step; give at least %d",
                             "%s has %u learning steps; give at least %d", steps->len),
                key, steps->len, RS_LEARNING_MIN_STEPS));
        }
    }
  names = g_list_sort (g_hash_table_get_keys (catalog->steps), (GCompareFunc) g_strcmp0);
  for (GList *l = names; l != NULL; l = l->next)
    if (!g_hash_table_contains (seen, l->data))
      g_ptr_array_add (out, rs_diagnostic_new (catalog->path,
          GPOINTER_TO_INT (g_hash_table_lookup (catalog->lines, l->data)),
          _("%s is not a subtopic of the bank"), (const char *) l->data));
  return out;
}
