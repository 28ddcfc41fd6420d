/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The learning catalogue: good entries load, each bad one is named with its
 * line and does not take the rest down, and the check against the bank
 * finds subtopics without steps and entries for subtopics that do not
 * exist. */
#include <glib/gstdio.h>
#include <string.h>

#include "rs-error.h"
#include "rs-learning.h"

static char *dir;

static char *
write_file (const char *name, const char *text)
{
  char *path = g_build_filename (dir, name, NULL);
  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  return path;
}

static gboolean
has_diagnostic (const GPtrArray *diagnostics, int line, const char *text)
{
  for (guint i = 0; i < diagnostics->len; i++)
    {
      const RsDiagnostic *d = g_ptr_array_index (diagnostics, i);
      if (strstr (d->message, text) != NULL && d->line == line)
        return TRUE;
    }
  for (guint i = 0; i < diagnostics->len; i++)
    {
      const RsDiagnostic *d = g_ptr_array_index (diagnostics, i);
      g_test_message ("have: %s:%d: %s", d->file, d->line, d->message);
    }
  g_test_message ("missing: line %d: %s", line, text);
  return FALSE;
}

static const char good_and_bad[] =
  "subtopics:\n"                                                  /* 1 */
  "  python/async:\n"                                             /* 2 */
  "    - kind: docs\n"                                            /* 3 */
  "      title: Coroutines and Tasks\n"                           /* 4 */
  "      source: Python documentation, library reference, asyncio\n"
  "      minutes: 40\n"                                           /* 6 */
  "    - kind: exercise\n"                                        /* 7 */
  "      title: Bound a crawler\n"                                /* 8 */
  "      detail: Fetch 100 fake URLs with at most 5 at a time.\n" /* 9 */
  "    - kind: video\n"                                           /* 10 */
  "      title: Something\n"                                      /* 11 */
  "      source: Somewhere\n"                                     /* 12 */
  "  python/typing:\n"                                            /* 13 */
  "    - kind: book\n"                                            /* 14 */
  "      title: A chapter\n"                                      /* 15 */
  "      minutes: lots\n"                                         /* 16 */
  "      source: A book\n"                                        /* 17 */
  "    - kind: docs\n"                                            /* 18 */
  "      titel: typo\n"                                           /* 19 */
  "  python/async:\n"                                             /* 20 */
  "    - {kind: docs, title: Again, source: Twice}\n"             /* 21 */
  "  cooking/knives:\n"                                           /* 22 */
  "    - {kind: docs, title: Chop, source: Kitchen}\n"            /* 23 */
  "  statistics/regression:\n"                                    /* 24 */
  "    - {kind: exercise, title: Fit a line}\n";                  /* 25 */

static void
test_load (void)
{
  g_autofree char *path = write_file ("learning.yaml", good_and_bad);
  g_autoptr (GError) error = NULL;
  g_autoptr (RsLearningCatalog) catalog = rs_learning_catalog_load (path, &error);
  const GPtrArray *steps, *diagnostics;
  const RsLearningStep *step;

  g_assert_no_error (error);
  g_assert_nonnull (catalog);
  steps = rs_learning_catalog_steps (catalog, RS_SKILL_PYTHON, "async");
  g_assert_nonnull (steps);
  g_assert_cmpuint (steps->len, ==, 2);          /* the "video" step is left out */
  step = g_ptr_array_index (steps, 0);
  g_assert_cmpint (step->kind, ==, RS_LEARNING_DOCS);
  g_assert_cmpstr (step->title, ==, "Coroutines and Tasks");
  g_assert_cmpint (step->minutes, ==, 40);
  g_assert_cmpint (step->line, ==, 3);
  step = g_ptr_array_index (steps, 1);
  g_assert_cmpint (step->kind, ==, RS_LEARNING_EXERCISE);
  g_assert_null (step->source);
  g_assert_cmpstr (step->detail, ==, "Fetch 100 fake URLs with at most 5 at a time.");
  g_assert_null (rs_learning_catalog_steps (catalog, RS_SKILL_PYTHON, "typing"));
  g_assert_null (rs_learning_catalog_steps (catalog, RS_SKILL_ML, "async"));

  diagnostics = rs_learning_catalog_diagnostics (catalog);
  g_assert_true (has_diagnostic (diagnostics, 10, "python/async: kind must be docs, book, exercise or course"));
  g_assert_true (has_diagnostic (diagnostics, 16, "python/typing: minutes must be a whole number"));
  g_assert_true (has_diagnostic (diagnostics, 19, "python/typing: unknown field 'titel' in a step"));
  g_assert_true (has_diagnostic (diagnostics, 18, "python/typing: a step needs a 'title' text"));
  g_assert_true (has_diagnostic (diagnostics, 18, "python/typing: a step needs a 'source' text"));
  g_assert_true (has_diagnostic (diagnostics, 20, "python/async appears twice (first at line 2)"));
  g_assert_true (has_diagnostic (diagnostics, 22, "'cooking/knives' must be skill/subtopic"));
  g_assert_true (has_diagnostic (diagnostics, 25, "statistics/regression: a step needs a 'detail' text"));
  g_assert_cmpuint (diagnostics->len, ==, 8);
}

/* Files that cannot be a catalogue fail as a whole with file:line. */
static void
test_unusable (void)
{
  struct { const char *name, *text, *message; } cases[] = {
    { "empty.yaml", "", "empty.yaml:0: file is empty" },
    { "list.yaml", "- a\n- b\n", "list.yaml:1: expected 'subtopics:'" },
    { "syntax.yaml", "subtopics:\n  python/async: [\n", "syntax.yaml:" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = write_file (cases[i].name, cases[i].text);
      g_autoptr (GError) error = NULL;
      g_autoptr (RsLearningCatalog) catalog = rs_learning_catalog_load (path, &error);

      g_assert_null (catalog);
      g_assert_error (error, RS_ERROR, RS_ERROR_PARSE);
      g_assert_nonnull (strstr (error->message, cases[i].message));
    }
  {
    g_autoptr (GError) error = NULL;
    g_assert_null (rs_learning_catalog_load ("/no/such/learning.yaml", &error));
    g_assert_nonnull (strstr (error->message, "/no/such/learning.yaml"));
  }
}

static RsItem *
item (const char *id, RsSkill skill, const char *subtopic)
{
  RsItem *it = g_new0 (RsItem, 1);
  it->id = g_strdup (id);
  it->skill = skill;
  it->subtopic = g_strdup (subtopic);
  it->type = RS_ITEM_SINGLE;
  it->file = g_strdup_printf ("questions/%s/%s.yaml", rs_skill_id (skill), subtopic);
  return it;
}

/* Against a bank: a subtopic with no entry, one with too few steps, and an
 * entry for a subtopic the bank lacks are each reported; a covered subtopic
 * is not. */
static void
test_check (void)
{
  g_autofree char *path = write_file ("check.yaml",
      "subtopics:\n"
      "  python/async:\n"
      "    - {kind: docs, title: Tasks, source: Python docs}\n"
      "    - {kind: exercise, title: Crawl, detail: Five at a time.}\n"
      "  python/typing:\n"
      "    - {kind: docs, title: typing, source: Python docs}\n"
      "  ml/astrology:\n"
      "    - {kind: docs, title: Stars, source: Sky}\n"
      "    - {kind: docs, title: More stars, source: Sky}\n");
  g_autoptr (RsLearningCatalog) catalog = rs_learning_catalog_load (path, NULL);
  g_autoptr (RsBank) bank = rs_bank_new ();
  g_autoptr (GPtrArray) problems = NULL;

  rs_bank_add_item (bank, item ("a.1", RS_SKILL_PYTHON, "async"));
  rs_bank_add_item (bank, item ("a.2", RS_SKILL_PYTHON, "async"));
  rs_bank_add_item (bank, item ("t.1", RS_SKILL_PYTHON, "typing"));
  rs_bank_add_item (bank, item ("r.1", RS_SKILL_STATISTICS, "regression"));
  problems = rs_learning_catalog_check (catalog, bank);

  g_assert_true (has_diagnostic (problems, 0, "no learning steps for statistics/regression (its items are in questions/statistics/regression.yaml)"));
  g_assert_true (has_diagnostic (problems, 5, "python/typing has 1 learning step; give at least 2"));
  g_assert_true (has_diagnostic (problems, 7, "ml/astrology is not a subtopic of the bank"));
  g_assert_cmpuint (problems->len, ==, 3);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  dir = g_dir_make_tmp ("reskill-learning-XXXXXX", NULL);
  g_test_add_func ("/learning/load", test_load);
  g_test_add_func ("/learning/unusable", test_unusable);
  g_test_add_func ("/learning/check", test_check);
  status = g_test_run ();
  {
    g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
    const char *name;
    while (d != NULL && (name = g_dir_read_name (d)) != NULL)
      {
        g_autofree char *path = g_build_filename (dir, name, NULL);
        g_remove (path);
      }
  }
  g_rmdir (dir);
  return status;
}
