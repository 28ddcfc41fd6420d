/* SPDX-License-Identifier: GPL-3.0-or-later */
/* reskill validate [DIR]: every problem as file:line: message, or counts. */
#include <stdio.h>

#include "rs-bank-audit.h"
#include "rs-bank.h"
#include "rs-cli-commands.h"
#include "rs-paths.h"
#include "rs-roles.h"

static void
print_diagnostic (const RsDiagnostic *d, const char *prefix)
{
  if (d->line > 0)
    fprintf (stderr, "%s:%d: %s%s\n", d->file, d->line, prefix, d->message);
  else
    fprintf (stderr, "%s: %s%s\n", d->file, prefix, d->message);
}

/* "python: 88 items, 9 subtopics", then the levels and the subtopics. */
static void
print_counts (const RsBank *bank, RsSkill skill)
{
  const GPtrArray *items = rs_bank_skill_items (bank, skill);
  g_autoptr (GHashTable) subtopics = g_hash_table_new (g_str_hash, g_str_equal);
  GList *names;
  int levels[6] = { 0 };

  for (guint i = 0; i < items->len; i++)
    {
      const RsItem *item = g_ptr_array_index (items, i);
      guint n = GPOINTER_TO_UINT (g_hash_table_lookup (subtopics, item->subtopic));
      g_hash_table_insert (subtopics, item->subtopic, GUINT_TO_POINTER (n + 1));
      levels[CLAMP (item->level, 1, 5)]++;
    }
  printf ("%s: %u items, %u subtopics\n", rs_skill_id (skill), items->len,
          g_hash_table_size (subtopics));
  if (items->len == 0)
    return;
  printf ("  levels:");
  for (int l = 1; l <= 5; l++)
    printf ("  %d: %d", l, levels[l]);
  printf ("\n  subtopics:");
  names = g_list_sort (g_hash_table_get_keys (subtopics), (GCompareFunc) g_strcmp0);
  for (GList *l = names; l != NULL; l = l->next)
    printf ("%s %s %u", l != names ? "," : "", (const char *) l->data,
            GPOINTER_TO_UINT (g_hash_table_lookup (subtopics, l->data)));
  printf ("\n");
  g_list_free (names);
}

/* The blueprint as Markdown: subtopics × levels per skill, for docs/QUESTION-BANK.md. */
static void
print_blueprint (const RsBank *bank, RsSkill skill)
{
  const GPtrArray *items = rs_bank_skill_items (bank, skill);
  g_autoptr (GHashTable) rows = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  int totals[6] = { 0 }, types[4] = { 0 };
  GList *names;

  for (guint i = 0; i < items->len; i++)
    {
      const RsItem *item = g_ptr_array_index (items, i);
      int *row = g_hash_table_lookup (rows, item->subtopic);
      if (row == NULL)
        g_hash_table_insert (rows, item->subtopic, row = g_new0 (int, 6));
      row[CLAMP (item->level, 1, 5)]++;
      totals[CLAMP (item->level, 1, 5)]++;
      types[item->type]++;
    }
  printf ("### %s: %u items\n\n", rs_skill_title (skill), items->len);
  printf ("| subtopic | L1 | L2 | L3 | L4 | L5 | all |\n|---|---:|---:|---:|---:|---:|---:|\n");
  names = g_list_sort (g_hash_table_get_keys (rows), (GCompareFunc) g_strcmp0);
  for (GList *l = names; l != NULL; l = l->next)
    {
      const int *row = g_hash_table_lookup (rows, l->data);
      printf ("| %s | %d | %d | %d | %d | %d | %d |\n", (const char *) l->data, row[1], row[2], row[3],
              row[4], row[5], row[1] + row[2] + row[3] + row[4] + row[5]);
    }
  g_list_free (names);
  printf ("| **all** | %d | %d | %d | %d | %d | %u |\n\n", totals[1], totals[2], totals[3], totals[4],
          totals[5], items->len);
  printf ("Types: %d single, %d multi, %d numeric, %d scenario.\n\n", types[RS_ITEM_SINGLE],
          types[RS_ITEM_MULTI], types[RS_ITEM_NUMERIC], types[RS_ITEM_SCENARIO]);
}

int
rs_cli_validate (int argc, char **argv)
{
  g_autofree char *roles_path = NULL;
  gboolean strict = FALSE, markdown = FALSE;
  GOptionEntry entries[] = {
    { "markdown", 0, 0, G_OPTION_ARG_NONE, &markdown, "Print the blueprint (subtopics × levels) as Markdown tables", NULL },
    { "roles", 0, 0, G_OPTION_ARG_FILENAME, &roles_path, "Also check this roles file (default: data/roles.yaml or the installed one)", "FILE" },
    { "strict", 0, 0, G_OPTION_ARG_NONE, &strict, "Treat blueprint warnings (coverage, key balance, near-duplicates) as errors", NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("[DIR] - check the question bank");
  g_autoptr (RsBank) bank = rs_bank_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (RsRoleSet) roles = NULL;
  g_autoptr (GPtrArray) warnings = NULL;
  g_autofree char *dir = NULL;
  const GPtrArray *diagnostics;
  gboolean ok = TRUE;

  g_option_context_set_summary (context,
      "Loads every questions/<skill>/<topic>.yaml and prints one line per skill\n"
      "(SKILL: N items, M subtopics) with its levels and subtopics, or every\n"
      "problem as file:line: message. Exit status 1 when there is a problem.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!rs_cli_parse (context, "validate", &argc, &argv))
    return RS_EXIT_USAGE;
  if (argc > 2)
    {
      rs_cli_error ("validate", "expected one folder, got %d arguments", argc - 1);
      return RS_EXIT_USAGE;
    }
  dir = argc == 2 ? g_strdup (argv[1]) : rs_default_questions_dir ();

  if (!rs_bank_load_dir (bank, dir, &error))
    {
      rs_cli_error ("validate", "%s", error->message);
      return RS_EXIT_FAILURE;
    }
  diagnostics = rs_bank_diagnostics (bank);
  for (guint i = 0; i < diagnostics->len; i++)
    print_diagnostic (g_ptr_array_index (diagnostics, i), "");
  ok = diagnostics->len == 0;

  if (roles_path == NULL)
    roles_path = rs_default_roles_path ();
  roles = rs_role_set_load (roles_path, &error);
  if (roles == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      ok = FALSE;
    }

  warnings = rs_bank_audit (bank);
  for (guint i = 0; i < warnings->len; i++)
    print_diagnostic (g_ptr_array_index (warnings, i), strict ? "" : "warning: ");
  if (strict && warnings->len > 0)
    ok = FALSE;

  if (!ok)
    {
      fprintf (stderr, "%u problem%s found.\n", diagnostics->len + (roles == NULL) + (strict ? warnings->len : 0),
               diagnostics->len + (roles == NULL) + (strict ? warnings->len : 0) == 1 ? "" : "s");
      return RS_EXIT_FAILURE;
    }
  for (int s = 0; s < RS_N_SKILLS; s++)
    {
      if (markdown)
        print_blueprint (bank, (RsSkill) s);
      else
        print_counts (bank, (RsSkill) s);
    }
  return RS_EXIT_OK;
}
