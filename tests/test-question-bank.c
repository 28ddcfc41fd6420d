/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The shipped question bank, verified rather than trusted: it loads without
 * a single diagnostic, meets the blueprint (rs-bank-audit), every Python
 * snippet whose output or exception is the key is run and compared, and
 * every computed answer is recomputed. Each failure names file:line. */
#include <errno.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "rs-bank-audit.h"
#include "rs-bank-cues.h"
#include "rs-bank.h"
#include "rs-learning.h"
#include "rs-roles.h"

static RsBank *shipped;

static const char *
python (void)
{
  const char *env = g_getenv ("RESKILL_PYTHON");
  return env && *env ? env : "python3";
}

/* Runs code with python3 in isolated mode and a time limit. */
static gboolean
run_python (const char *code, char **out, char **err, int *status)
{
  g_autofree char *dir = g_dir_make_tmp ("reskill-item-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "item.py", NULL);
  const char *argv[] = { "timeout", "20", python (), "-I", path, NULL };
  g_autoptr (GError) error = NULL;
  gboolean ok;

  g_assert_true (g_file_set_contents (path, code, -1, NULL));
  /* The snippet runs in its own empty folder, so files it makes go away. */
  ok = g_spawn_sync (dir, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, out, err, status, &error);
  if (!ok)
    g_test_message ("cannot run %s: %s", python (), error->message);
  g_remove (path);
  g_rmdir (dir);
  return ok;
}

/* Output as the README defines it: trailing spaces of each line and the
 * final newlines removed. */
static char *
normalise (const char *text)
{
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  g_autofree char *joined = NULL;

  for (int i = 0; lines[i] != NULL; i++)
    g_strchomp (lines[i]);
  joined = g_strjoinv ("\n", lines);
  while (g_str_has_suffix (joined, "\n"))
    joined[strlen (joined) - 1] = '\0';
  return g_steal_pointer (&joined);
}

/* The right (or best) option; the first for items without options, whose
 * text is then empty and never matches. */
static const RsOption *
keyed_option (const RsItem *item)
{
  static const RsOption none = { .text = (char *) "" };
  int best = 0;

  if (item->n_options == 0)
    return &none;
  for (int i = 1; i < item->n_options; i++)
    if (item->options[i].score > item->options[best].score)
      best = i;
  return &item->options[best];
}

static gboolean
parse_number (const char *text, double *value)
{
  char *end = NULL;
  errno = 0;
  *value = g_ascii_strtod (text, &end);
  if (errno != 0 || end == text || !isfinite (*value))
    return FALSE;
  while (g_ascii_isspace (*end))
    end++;
  return *end == '\0';
}

static void G_GNUC_PRINTF (3, 4)
fail_item (GString *failures, const RsItem *item, const char *format, ...)
{
  va_list args;
  g_string_append_printf (failures, "%s:%d: item %s: ", item->file, item->line, item->id);
  va_start (args, format);
  g_string_append_vprintf (failures, format, args);
  va_end (args);
  g_string_append_c (failures, '\n');
}

/* Compares program output with the key: a number within tolerance for
 * numeric items, the keyed option's exact text otherwise. */
static void
compare_output (GString *failures, const RsItem *item, const char *output, const char *what)
{
  g_autofree char *got = normalise (output);

  if (item->type == RS_ITEM_NUMERIC)
    {
      double value;
      if (!parse_number (got, &value))
        fail_item (failures, item, "%s printed '%s', not a number", what, got);
      else if (fabs (value - item->answer) > item->tolerance + 1e-9)
        fail_item (failures, item, "%s printed %s but the answer is %g ± %g", what, got, item->answer,
                   item->tolerance);
    }
  else if (item->type == RS_ITEM_SINGLE)
    {
      g_autofree char *want = normalise (keyed_option (item)->text);
      if (g_strcmp0 (got, want) != 0)
        fail_item (failures, item, "%s printed '%s' but the key is '%s'", what, got, want);
    }
  else
    fail_item (failures, item, "%s cannot check a %s item", what, rs_item_type_name (item->type));
}

/* Lists every failing item (file:line) before failing, so one run shows all. */
static void
assert_all_passed (GString *failures, int checked, const char *what)
{
  g_test_message ("%d %s", checked, what);
  if (failures->len > 0)
    g_test_message ("%s", failures->str);
  g_assert_cmpuint (failures->len, ==, 0);
  g_assert_cmpint (checked, >=, 30);
}

static void
test_loads_clean (void)
{
  const GPtrArray *diagnostics = rs_bank_diagnostics (shipped);
  for (guint i = 0; i < diagnostics->len; i++)
    {
      const RsDiagnostic *d = g_ptr_array_index (diagnostics, i);
      g_test_message ("%s:%d: %s", d->file, d->line, d->message);
    }
  g_assert_cmpuint (diagnostics->len, ==, 0);
  g_assert_cmpuint (rs_bank_n_items (shipped), >=, 320);
}

static void
test_blueprint (void)
{
  g_autoptr (GPtrArray) problems = rs_bank_audit (shipped);
  for (guint i = 0; i < problems->len; i++)
    {
      const RsDiagnostic *d = g_ptr_array_index (problems, i);
      g_test_message ("%s:%d: %s", d->file, d->line, d->message);
    }
  g_assert_cmpuint (problems->len, ==, 0);
}

/* No meaning-blind strategy (longest option, reasons, questions, soft
 * openers, ...) nor the surface classifier finds the key more than 10
 * points above chance, in any skill and item type: the table is printed so
 * that a failure shows which strategy and where. */
static void
test_cues (void)
{
  g_autoptr (GArray) rows = rs_bank_cue_audit (shipped);
  g_autoptr (GPtrArray) problems = rs_bank_cue_problems (shipped);

  for (guint i = 0; i < rows->len; i++)
    {
      const RsCueRow *row = &g_array_index (rows, RsCueRow, i);
      RsCue worst;
      gboolean flagged = rs_cue_row_flagged (row, &worst);
      g_test_message ("%s %s: %d items, chance %.1f%%, best strategy '%s' %.1f%%, classifier %.1f%%%s",
                      rs_skill_id (row->skill), rs_item_type_name (row->type), row->n_items,
                      100 * row->chance, rs_cue_name (worst), 100 * row->hit[worst],
                      100 * row->hit[RS_CUE_CLASSIFIER], flagged ? "  TOO HIGH" : "");
    }
  for (guint i = 0; i < problems->len; i++)
    {
      const RsDiagnostic *d = g_ptr_array_index (problems, i);
      g_test_message ("%s: %s", d->file, d->message);
    }
  g_assert_cmpuint (problems->len, ==, 0);
}

/* The bank's size per skill for this release (issue 12's blueprint): what
 * the target roles need measured, with room for the exposure cap and for
 * retiring items that calibration flags. Every subtopic has enough items
 * to say something about a person (8), spread over at least four levels. */
static void
test_counts (void)
{
  const guint minimum[RS_N_SKILLS] = { 180, 160, 210, 130 };

  for (int s = 0; s < RS_N_SKILLS; s++)
    {
      const GPtrArray *items = rs_bank_skill_items (shipped, (RsSkill) s);
      g_autoptr (GHashTable) counts = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
      GHashTableIter iter;
      gpointer name, levels;

      g_test_message ("%s: %u items (at least %u)", rs_skill_id ((RsSkill) s), items->len, minimum[s]);
      g_assert_cmpuint (items->len, >=, minimum[s]);
      for (guint i = 0; i < items->len; i++)
        {
          const RsItem *item = g_ptr_array_index (items, i);
          int *per_level = g_hash_table_lookup (counts, item->subtopic);
          if (per_level == NULL)
            g_hash_table_insert (counts, item->subtopic, per_level = g_new0 (int, 6));
          per_level[0]++;
          per_level[item->level]++;
        }
      g_hash_table_iter_init (&iter, counts);
      while (g_hash_table_iter_next (&iter, &name, &levels))
        {
          const int *l = levels;
          int spread = (l[1] > 0) + (l[2] > 0) + (l[3] > 0) + (l[4] > 0) + (l[5] > 0);
          if (l[0] < 8 || spread < 4)
            g_test_message ("%s/%s: %d items over %d levels", rs_skill_id ((RsSkill) s),
                            (const char *) name, l[0], spread);
          g_assert_cmpint (l[0], >=, 8);
          g_assert_cmpint (spread, >=, 4);
        }
    }
}

/* Every role's focus subtopics exist in the bank, and the roles lean on
 * what the newer subtopics measure: the evaluation analyst on evaluation
 * statistics and judges, the LLM application engineer on the LLM-engineering
 * subtopics. */
static void
test_roles_focus (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("RESKILL_SOURCE_ROOT"), "data", "roles.yaml", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (RsRoleSet) roles = rs_role_set_load (path, &error);
  g_autoptr (GPtrArray) problems = NULL;
  const RsRole *analyst, *app_engineer;

  g_assert_no_error (error);
  problems = rs_role_set_check_bank (roles, path, shipped);
  for (guint i = 0; i < problems->len; i++)
    g_test_message ("%s", ((RsDiagnostic *) g_ptr_array_index (problems, i))->message);
  g_assert_cmpuint (problems->len, ==, 0);
  for (guint i = 0; i < rs_role_set_n_roles (roles); i++)
    {
      const RsRole *role = rs_role_set_role (roles, i);
      int n = 0;
      for (int s = 0; s < RS_N_SKILLS; s++)
        n += role->focus[s] ? (int) g_strv_length (role->focus[s]) : 0;
      g_assert_cmpint (n, >=, 3);
    }
  analyst = rs_role_set_lookup (roles, "evaluation-analyst");
  g_assert_true (g_strv_contains ((const char *const *) analyst->focus[RS_SKILL_STATISTICS], "evaluation-statistics"));
  g_assert_true (g_strv_contains ((const char *const *) analyst->focus[RS_SKILL_STATISTICS], "annotation-and-judges"));
  app_engineer = rs_role_set_lookup (roles, "llm-app-engineer");
  g_assert_true (g_strv_contains ((const char *const *) app_engineer->focus[RS_SKILL_ML], "agents-tools"));
  g_assert_true (g_strv_contains ((const char *const *) app_engineer->focus[RS_SKILL_PYTHON], "llm-app-patterns"));
}

/* The learning catalogue loads clean and gives every subtopic of the bank
 * at least two steps, and names no subtopic the bank lacks. */
static void
test_learning_catalogue (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("RESKILL_SOURCE_ROOT"), "data", "learning.yaml", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (RsLearningCatalog) catalog = rs_learning_catalog_load (path, &error);
  g_autoptr (GPtrArray) problems = NULL;
  const GPtrArray *diagnostics;

  g_assert_no_error (error);
  diagnostics = rs_learning_catalog_diagnostics (catalog);
  problems = rs_learning_catalog_check (catalog, shipped);
  for (guint i = 0; i < diagnostics->len; i++)
    g_test_message ("%s", ((RsDiagnostic *) g_ptr_array_index (diagnostics, i))->message);
  for (guint i = 0; i < problems->len; i++)
    g_test_message ("%s", ((RsDiagnostic *) g_ptr_array_index (problems, i))->message);
  g_assert_cmpuint (diagnostics->len, ==, 0);
  g_assert_cmpuint (problems->len, ==, 0);
}

static void
test_python_snippets_run (void)
{
  g_autoptr (GString) failures = g_string_new (NULL);
  int checked = 0;

  for (guint i = 0; i < rs_bank_n_items (shipped); i++)
    {
      const RsItem *item = rs_bank_item (shipped, i);
      g_autofree char *out = NULL, *err = NULL;
      int status = 0;

      if (item->check != RS_CHECK_OUTPUT && item->check != RS_CHECK_RAISES)
        continue;
      if (!run_python (item->code, &out, &err, &status))
        {
          fail_item (failures, item, "could not run python3");
          continue;
        }
      checked++;
      if (item->check == RS_CHECK_OUTPUT)
        {
          if (status != 0)
            fail_item (failures, item, "the code failed: %s", err);
          else
            compare_output (failures, item, out, "the code");
        }
      else
        {
          /* The last line of a traceback is "ExceptionName: message". */
          g_autofree char *trace = normalise (err);
          const char *last = strrchr (trace, '\n') ? strrchr (trace, '\n') + 1 : trace;
          g_auto (GStrv) words = g_strsplit_set (keyed_option (item)->text, " :", 2);
          g_autofree char *want = g_strconcat (words[0], ":", NULL);
          if (status == 0)
            fail_item (failures, item, "the code should raise %s but ran cleanly", words[0]);
          else if (!g_str_has_prefix (last, want) && g_strcmp0 (last, words[0]) != 0)
            fail_item (failures, item, "the code raised '%s' but the key is %s", last, words[0]);
        }
    }
  assert_all_passed (failures, checked, "Python snippets run");
}

static void
test_computed_answers (void)
{
  g_autoptr (GString) failures = g_string_new (NULL);
  int checked = 0;

  for (guint i = 0; i < rs_bank_n_items (shipped); i++)
    {
      const RsItem *item = rs_bank_item (shipped, i);
      g_autofree char *out = NULL, *err = NULL;
      int status = 0;
      double ignored;
      gboolean numeric_key = item->type == RS_ITEM_SINGLE && parse_number (keyed_option (item)->text, &ignored);

      /* Statistics and ML answers that are numbers must carry their computation. */
      if ((item->skill == RS_SKILL_STATISTICS || item->skill == RS_SKILL_ML) && item->compute == NULL
          && (item->type == RS_ITEM_NUMERIC || numeric_key))
        {
          fail_item (failures, item, "a computed answer needs 'compute'");
          continue;
        }
      if (item->compute == NULL)
        continue;
      if (!run_python (item->compute, &out, &err, &status))
        {
          fail_item (failures, item, "could not run python3");
          continue;
        }
      checked++;
      if (status != 0)
        fail_item (failures, item, "compute failed: %s", err);
      else
        compare_output (failures, item, out, "compute");
    }
  assert_all_passed (failures, checked, "computations rerun");
}

static void
test_unchecked_say_why (void)
{
  for (guint i = 0; i < rs_bank_n_items (shipped); i++)
    {
      const RsItem *item = rs_bank_item (shipped, i);
      if (item->skill == RS_SKILL_PYTHON && item->code != NULL)
        g_assert_cmpint (item->check, !=, RS_CHECK_UNSET);
      if (item->check == RS_CHECK_NONE)
        g_assert_nonnull (item->unchecked);
    }
}

int
main (int argc, char **argv)
{
  g_autofree char *dir = g_build_filename (g_getenv ("RESKILL_SOURCE_ROOT"), "questions", NULL);
  int status;

  g_test_init (&argc, &argv, NULL);
  shipped = rs_bank_new ();
  if (!rs_bank_load_dir (shipped, dir, NULL))
    g_error ("cannot read %s", dir);
  g_test_add_func ("/question-bank/loads-clean", test_loads_clean);
  g_test_add_func ("/question-bank/blueprint", test_blueprint);
  g_test_add_func ("/question-bank/cues", test_cues);
  g_test_add_func ("/question-bank/counts", test_counts);
  g_test_add_func ("/question-bank/roles-focus", test_roles_focus);
  g_test_add_func ("/question-bank/learning", test_learning_catalogue);
  g_test_add_func ("/question-bank/unchecked-say-why", test_unchecked_say_why);
  g_test_add_func ("/question-bank/python-snippets", test_python_snippets_run);
  g_test_add_func ("/question-bank/computed-answers", test_computed_answers);
  status = g_test_run ();
  rs_bank_free (shipped);
  return status;
}
