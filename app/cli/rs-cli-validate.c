/* SPDX-License-Identifier: GPL-3.0-or-later */
/* reskill validate [DIR]: every problem as file:line: message, or counts. */
#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdio.h>

#include "rs-bank-audit.h"
#include "rs-bank-cues.h"
#include "rs-bank.h"
#include "rs-cli-commands.h"
#include "rs-learning.h"
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
  {
    g_autofree char *n_items = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u item", "%u items", items->len),
                                                items->len);
    g_autofree char *n_subtopics = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u subtopic", "%u subtopics",
                                                                 g_hash_table_size (subtopics)),
                                                    g_hash_table_size (subtopics));

    /* Translators: a skill id, then "88 items" and "9 subtopics". */
    printf (_("%s: %s, %s\n"), rs_skill_id (skill), n_items, n_subtopics);
  }
  if (items->len == 0)
    return;
  printf ("  %s", _("levels:"));
  for (int l = 1; l <= 5; l++)
    printf ("  %d: %d", l, levels[l]);
  printf ("\n  %s", _("subtopics:"));
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

/* The cue audit as a table per skill: one row per strategy, one column per
 * item type, hit rates in percent; '!' marks a rate more than
 * RS_CUE_MAX_EXCESS above chance in a group large enough to judge. Returns
 * the number of flagged groups. */
/* A row label padded to 30 characters: printf's %-30s counts bytes, and a
 * translated label may hold umlauts. */
static void
print_label (const char *label)
{
  printf ("%s%*s", label, MAX (0, 30 - (int) g_utf8_strlen (label, -1)), "");
}

static int
print_cues (const RsBank *bank)
{
  g_autoptr (GArray) rows = rs_bank_cue_audit (bank);
  int flagged = 0;

  printf ("%s\n", _("How often a strategy that reads no meaning finds the key (%), by item type."));
  printf (g_dngettext (GETTEXT_PACKAGE,
                       "'!' marks more than %.0f points above chance; groups under %d item are not judged (~).\n",
                       "'!' marks more than %.0f points above chance; groups under %d items are not judged (~).\n",
                       RS_CUE_MIN_ITEMS),
          100 * RS_CUE_MAX_EXCESS, RS_CUE_MIN_ITEMS);
  for (int s = 0; s < RS_N_SKILLS; s++)
    {
      const RsCueRow *cols[3];
      int n_cols = 0;

      for (guint i = 0; i < rows->len; i++)
        if (g_array_index (rows, RsCueRow, i).skill == (RsSkill) s)
          cols[n_cols++] = &g_array_index (rows, RsCueRow, i);
      if (n_cols == 0)
        continue;
      printf ("\n");
      print_label (rs_skill_id ((RsSkill) s));
      for (int c = 0; c < n_cols; c++)
        printf (" %9s", rs_item_type_name (cols[c]->type));
      printf ("\n");
      print_label (_("items"));
      for (int c = 0; c < n_cols; c++)
        printf (" %9d", cols[c]->n_items);
      printf ("\n");
      print_label (_("chance"));
      for (int c = 0; c < n_cols; c++)
        printf (" %9.1f", 100 * cols[c]->chance);
      printf ("\n");
      for (int cue = 0; cue < RS_N_CUES; cue++)
        {
          print_label (rs_cue_name ((RsCue) cue));
          for (int c = 0; c < n_cols; c++)
            {
              gboolean judged = cols[c]->n_items >= RS_CUE_MIN_ITEMS;
              gboolean over = cols[c]->hit[cue] > cols[c]->chance + RS_CUE_MAX_EXCESS;
              printf (" %8.1f%c", 100 * cols[c]->hit[cue], !judged ? '~' : over ? '!' : ' ');
            }
          printf ("\n");
        }
      for (int c = 0; c < n_cols; c++)
        {
          /* Translators: an item type id; surface features and their weights follow. */
          printf (_("%s: the classifier leans on"), rs_item_type_name (cols[c]->type));
          for (int f = 0; f < RS_CUE_N_FEATURES; f++)
            if (fabs (cols[c]->weight[f]) >= 0.25)
              printf (" %s %+.1f", rs_cue_feature_name (f), cols[c]->weight[f]);
          printf ("\n");
        }
      for (int c = 0; c < n_cols; c++)
        if (cols[c]->type == RS_ITEM_MULTI)
          printf (g_dngettext (GETTEXT_PACKAGE, "multi-select: %.0f%% have %d right option, the most common number\n",
                               "multi-select: %.0f%% have %d right options, the most common number\n",
                               (gulong) cols[c]->modal_keys),
                  100 * cols[c]->modal_share, cols[c]->modal_keys);
      for (int c = 0; c < n_cols; c++)
        flagged += rs_cue_row_flagged (cols[c], NULL);
    }
  return flagged;
}

int
rs_cli_validate (int argc, char **argv)
{
  g_autofree char *roles_path = NULL;
  g_autofree char *learning_path = NULL;
  g_autoptr (RsLearningCatalog) learning = NULL;
  guint n_learning_problems = 0;
  gboolean strict = FALSE, markdown = FALSE, cues = FALSE;
  GOptionEntry entries[] = {
    { "cues", 0, 0, G_OPTION_ARG_NONE, &cues, N_("Print the cue audit: how often meaning-blind strategies find the key; exit 1 when one beats chance by more than 10 points"), NULL },
    { "learning", 0, 0, G_OPTION_ARG_FILENAME, &learning_path, N_("Also check this learning catalogue (default: data/learning.yaml or the installed one)"), N_("FILE") },
    { "markdown", 0, 0, G_OPTION_ARG_NONE, &markdown, N_("Print the blueprint (subtopics × levels) as Markdown tables, in English for docs/QUESTION-BANK.md"), NULL },
    { "roles", 0, 0, G_OPTION_ARG_FILENAME, &roles_path, N_("Also check this roles file (default: data/roles.yaml or the installed one)"), N_("FILE") },
    { "strict", 0, 0, G_OPTION_ARG_NONE, &strict, N_("Treat blueprint warnings (coverage, key balance, near-duplicates) as errors"), NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new (_("[DIR] - check the question bank"));
  g_autoptr (RsBank) bank = rs_bank_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (RsRoleSet) roles = NULL;
  g_autoptr (GPtrArray) warnings = NULL;
  g_autofree char *dir = NULL;
  const GPtrArray *diagnostics;
  gboolean ok = TRUE;

  g_option_context_set_summary (context,
      _("Loads every questions/<skill>/<topic>.yaml and prints one line per skill\n"
        "(SKILL: N items, M subtopics) with its levels and subtopics, or every\n"
        "problem as file:line: message. Exit status 1 when there is a problem."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!rs_cli_parse (context, "validate", &argc, &argv))
    return RS_EXIT_USAGE;
  if (argc > 2)
    {
      rs_cli_error ("validate", g_dngettext (GETTEXT_PACKAGE, "expected one folder, got %d argument",
                                             "expected one folder, got %d arguments", (gulong) (argc - 1)),
                    argc - 1);
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

  /* The learning catalogue: a broken entry is an error like a broken item;
   * a subtopic without steps is a warning like the blueprint's. */
  if (learning_path == NULL)
    learning_path = rs_default_learning_path ();
  learning = rs_learning_catalog_load (learning_path, &error);
  if (learning == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      g_clear_error (&error);
      n_learning_problems = 1;
    }
  else
    {
      const GPtrArray *problems = rs_learning_catalog_diagnostics (learning);
      for (guint i = 0; i < problems->len; i++)
        print_diagnostic (g_ptr_array_index (problems, i), "");
      n_learning_problems = problems->len;
    }
  ok = ok && n_learning_problems == 0;

  warnings = rs_bank_audit (bank);
  g_ptr_array_extend_and_steal (warnings, rs_bank_cue_problems (bank));
  /* A focus subtopic the bank lacks only costs the advice a name: a
   * warning, like the blueprint's, so a small custom bank still validates. */
  if (roles != NULL)
    g_ptr_array_extend_and_steal (warnings, rs_role_set_check_bank (roles, roles_path, bank));
  if (learning != NULL)
    g_ptr_array_extend_and_steal (warnings, rs_learning_catalog_check (learning, bank));
  for (guint i = 0; i < warnings->len; i++)
    print_diagnostic (g_ptr_array_index (warnings, i), strict ? "" : _("warning: "));
  if (strict && warnings->len > 0)
    ok = FALSE;

  if (!ok)
    {
      guint n = diagnostics->len + (roles == NULL) + n_learning_problems + (strict ? warnings->len : 0);
      fprintf (stderr, g_dngettext (GETTEXT_PACKAGE, "%u problem found.\n", "%u problems found.\n", n), n);
      return RS_EXIT_FAILURE;
    }
  if (cues)
    {
      int flagged = print_cues (bank);
      if (flagged > 0)
        fprintf (stderr, g_dngettext (GETTEXT_PACKAGE, "%d item group can be answered without the skill.\n",
                                      "%d item groups can be answered without the skill.\n", (gulong) flagged),
                 flagged);
      return flagged > 0 ? RS_EXIT_FAILURE : RS_EXIT_OK;
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
