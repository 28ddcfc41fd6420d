/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The command line as a person uses it: the real program, its output and
 * exit status, and that bad input gets one clear line and changes nothing. */
#include <glib/gstdio.h>
#include <string.h>
#include <sys/wait.h>

#include <gio/gio.h>

#include "rs-test-cli.h"

static char *tmpdir;

/* Enough items for the cue audit to judge a group (RS_CUE_MIN_ITEMS). */
#define RS_TEST_CUED_ITEMS 20

static char *
source (const char *first, ...)
{
  va_list args;
  g_autoptr (GPtrArray) parts = g_ptr_array_new ();
  const char *part;

  g_ptr_array_add (parts, (gpointer) g_getenv ("RESKILL_SOURCE_ROOT"));
  g_ptr_array_add (parts, (gpointer) first);
  va_start (args, first);
  while ((part = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (parts, (gpointer) part);
  va_end (args);
  g_ptr_array_add (parts, NULL);
  return g_build_filenamev ((char **) parts->pdata);
}

static char *
temp_file (const char *name, const char *contents)
{
  char *path = g_build_filename (tmpdir, name, NULL);
  if (contents != NULL)
    g_assert_true (g_file_set_contents (path, contents, -1, NULL));
  return path;
}

static void
test_help (void)
{
  Run run = { 0 };

  g_assert_cmpint (reskill (&run, "--help", NULL), ==, 0);
  for (const char *const *cmd = (const char *const[]) { "validate", "simulate", "take", "seed-demo", NULL }; *cmd; cmd++)
    {
      g_assert_nonnull (strstr (run.out, *cmd));
      {
        Run sub = { 0 };
        g_assert_cmpint (reskill (&sub, *cmd, "--help", NULL), ==, 0);
        g_assert_nonnull (strstr (sub.out, "Usage:"));
        run_clear (&sub);
      }
    }
  g_assert_cmpint (reskill (&run, "frobnicate", NULL), ==, 2);
  g_assert_nonnull (strstr (run.err, "unknown command 'frobnicate'"));
  g_assert_cmpint (reskill (&run, "validate", "--no-such-option", NULL), ==, 2);
  g_assert_nonnull (strstr (run.err, "reskill validate: Unknown option --no-such-option"));
  run_clear (&run);
}

static void
test_validate (void)
{
  g_autofree char *good = source ("tests", "fixtures", "good-bank", NULL);
  g_autofree char *bad = source ("tests", "fixtures", "bank", NULL);
  g_autofree char *roles = source ("data", "roles.yaml", NULL);
  g_autofree char *bad_roles = source ("tests", "fixtures", "bad-roles.yaml", NULL);
  Run run = { 0 };

  g_assert_cmpint (reskill (&run, "validate", "--roles", roles, good, NULL), ==, 0);
  /* Plurals by ngettext: one item, one subtopic. */
  g_assert_nonnull (strstr (run.out, "python: 3 items, 1 subtopic\n"));
  g_assert_nonnull (strstr (run.out, "empathy: 1 item, 1 subtopic\n"));
  g_assert_nonnull (strstr (run.out, "  levels:  1: 1  2: 1  3: 1  4: 0  5: 0\n"));
  /* Small banks pass, with the blueprint's warnings; --strict refuses them. */
  g_assert_nonnull (strstr (run.err, "warning: python has 3 items"));
  g_assert_cmpint (reskill (&run, "validate", "--strict", "--roles", roles, good, NULL), ==, 1);

  g_assert_cmpint (reskill (&run, "validate", "--roles", roles, bad, NULL), ==, 1);
  g_assert_nonnull (strstr (run.err, "python/broken.yaml:10: unknown field 'explenation' in an item\n"));
  g_assert_nonnull (strstr (run.err, "empathy/bad-scores.yaml:17: item bad.nobest"));
  g_assert_nonnull (strstr (run.err, "problems found."));
  g_assert_null (strstr (run.out, "items,"));

  /* A broken learning catalogue is an error with its line. */
  {
    g_autofree char *learning = temp_file ("learning.yaml",
        "subtopics:\n  python/basics:\n    - {kind: video, title: T, source: S}\n");
    g_assert_cmpint (reskill (&run, "validate", "--roles", roles, "--learning", learning, good, NULL), ==, 1);
    g_assert_nonnull (strstr (run.err, "learning.yaml:3: python/basics: kind must be docs, book, exercise or course"));
  }

  g_assert_cmpint (reskill (&run, "validate", "--roles", bad_roles, good, NULL), ==, 1);
  g_assert_nonnull (strstr (run.err, "bad-roles.yaml:6:"));
  g_assert_cmpint (reskill (&run, "validate", "/no/such/folder", NULL), ==, 1);
  g_assert_nonnull (strstr (run.err, "/no/such/folder"));
  run_clear (&run);
}

/* validate --cues: a bank whose key is always the longest option is refused,
 * with the strategy that gives it away marked; plain validate warns. */
static void
test_validate_cues (void)
{
  g_autofree char *good = source ("tests", "fixtures", "good-bank", NULL);
  g_autofree char *dir = g_build_filename (tmpdir, "cued-bank", NULL);
  g_autofree char *skill_dir = g_build_filename (dir, "ml", NULL);
  g_autofree char *file = g_build_filename (skill_dir, "cued.yaml", NULL);
  g_autofree char *roles = source ("data", "roles.yaml", NULL);
  g_autoptr (GString) text = g_string_new ("skill: ml\nsubtopic: cued\nitems:\n");
  Run run = { 0 };

  for (int i = 0; i < RS_TEST_CUED_ITEMS; i++)
    g_string_append_printf (text,
        "  - id: cued.%02d\n    type: single\n    level: %d\n    stem: Which one, case %d?\n"
        "    options: [Short, Brief one, Terse words, The long and careful right answer]\n"
        "    key: D\n    explanation: D.\n", i, 1 + i % 5, i);
  g_assert_cmpint (g_mkdir_with_parents (skill_dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (file, text->str, -1, NULL));

  g_assert_cmpint (reskill (&run, "validate", "--cues", "--roles", roles, dir, NULL), ==, 1);
  g_assert_nonnull (strstr (run.out, "longest                           100.0!"));
  g_assert_nonnull (strstr (run.err, "1 item group can be answered without the skill."));
  g_assert_cmpint (reskill (&run, "validate", "--roles", roles, dir, NULL), ==, 0);
  g_assert_nonnull (strstr (run.err, "warning: ml single items can be answered without the skill: "
                                     "'longest' finds the key in 100% (chance 25%, allowed 35%)"));
  /* Groups too small to judge are shown but never fail. */
  g_assert_cmpint (reskill (&run, "validate", "--cues", "--roles", roles, good, NULL), ==, 0);
  g_assert_nonnull (strstr (run.out, "surface classifier (10-fold)"));
  /* Each cell of a small group is marked "not judged" (the legend says
   * "~" too, so the mark is looked for after a number), and none is marked
   * a defect: the only "!" is the legend's. */
  g_assert_true (g_regex_match_simple ("^longest +[0-9]+\\.[0-9]~", run.out, G_REGEX_MULTILINE, 0));
  g_assert_true (g_regex_match_simple ("^surface classifier \\(10-fold\\) +[0-9]+\\.[0-9]~", run.out,
                                       G_REGEX_MULTILINE, 0));
  g_assert_false (g_regex_match_simple ("[0-9]!", run.out, 0, 0));
  run_clear (&run);
  g_assert_cmpint (g_remove (file), ==, 0);
  g_assert_cmpint (g_rmdir (skill_dir), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
test_simulate (void)
{
  g_autofree char *bank = temp_file ("bank.csv", "a,b,c\n1.2,-1,0.2\n1.0,0,0.25\n1.5,1,0.2\n0.9,0.5,0.2\n1.1,-0.5,0.2\n");
  g_autofree char *thetas = temp_file ("thetas.csv", "theta\n-1\n0\n1\n0.5\n");
  g_autofree char *bad_bank = temp_file ("bad-bank.csv", "a,b,c\n1.2,-1,0.2\n1.0,oops,0.25\n");
  g_autofree char *bad_thetas = temp_file ("bad-thetas.csv", "theta\n0\nhigh\n");
  g_autofree char *out = temp_file ("out.csv", NULL);
  g_autofree char *unwritable = g_build_filename (tmpdir, "no-such-dir", "out.csv", NULL);
  g_autofree char *contents = NULL;
  g_autoptr (GRegex) summary = g_regex_new ("^simulees=4 mean_items=[0-9.]+ rmse=[0-9.]+ bias=-?[0-9.]+ "
                                            "r=-?[0-9.]+ max_exposure=[0-9.]+ reached_se=[0-9.]+% mean_se=[0-9.]+ median_se=[0-9.]+ "
                                            "coverage80=[0-9.]+% exact_level=[0-9.]+% claimed=[0-9.]+% "
                                            "mean_pretest=[0-9.]+ items_used=[0-9]+/5 seed=1\n$", 0, 0, NULL);
  Run run = { 0 };

  g_assert_cmpint (reskill (&run, "simulate", "--bank", bank, "--thetas", thetas, "--max-items", "5",
                            "--out", out, NULL), ==, 0);
  g_assert_true (g_regex_match (summary, run.out, 0, NULL));
  g_assert_true (g_file_get_contents (out, &contents, NULL, NULL));
  g_assert_true (g_str_has_prefix (contents, "true_theta,theta,se,items\n-1.0000,"));

  g_assert_cmpint (reskill (&run, "simulate", "--bank", bad_bank, "--thetas", thetas, NULL), ==, 1);
  g_assert_nonnull (strstr (run.err, "bad-bank.csv:3: 'oops' is not a number"));
  g_assert_cmpint (reskill (&run, "simulate", "--bank", bank, "--thetas", bad_thetas, NULL), ==, 1);
  g_assert_nonnull (strstr (run.err, "bad-thetas.csv:3: 'high' is not a number"));
  g_assert_cmpint (reskill (&run, "simulate", "--bank", bank, NULL), ==, 2);
  g_assert_cmpint (reskill (&run, "simulate", "--bank", bank, "--thetas", thetas, "--se", "0", NULL), ==, 2);
  g_assert_cmpint (reskill (&run, "simulate", "--bank", bank, "--thetas", thetas, "--max-items", "x", NULL), ==, 2);
  g_assert_cmpint (reskill (&run, "simulate", "--bank", bank, "--thetas", thetas, "--out", unwritable, NULL), ==, 1);
  g_assert_false (g_file_test (unwritable, G_FILE_TEST_EXISTS));
  run_clear (&run);
}

/* simulate --true-params: answers from the given parameters, the engine on
 * the bank's; every bad file is named with its line, exit status 1. */
static void
test_simulate_true_params (void)
{
  g_autofree char *questions = source ("tests", "fixtures", "good-bank", NULL);
  static const struct {
    const char *contents;
    const char *message;
  } bad[] = {
    { "", ":1: empty: the header must be 'id,a,b,c'" },
    { "item,a,b,c\n", ":1: the header must be 'id,a,b,c'" },
    { "id,a,b,c\nfx.py.001,1.2\n", ":2: expected id,a,b,c (or id,a,b1;b2;... for a partial-credit item), found 2 fields" },
    { "id,a,b,c\n\nfx.py.999,1,0,0.2\n", ":3: there is no item fx.py.999 in the bank" },
    { "id,a,b,c\nfx.py.001,1,0,0.2\nfx.py.001,1,0,0.2\n", ":3: item fx.py.001 is listed twice (first on line 2)" },
    { "id,a,b,c\nfx.py.001,-1,0,0.2\n", ":2: item fx.py.001: a must be a number above 0 and at most 10, not '-1'" },
    { "id,a,b,c\nfx.py.001,1,hard,0.2\n", ":2: item fx.py.001: b must be a number between -10 and 10, not 'hard'" },
    { "id,a,b,c\nfx.py.001,1,0,1.5\n", ":2: item fx.py.001: c must be a number from 0 to below 1, not '1.5'" },
    { "id,a,b,c\nfx.py.001,1,-1;1,\n", ":2: item fx.py.001 is right-or-wrong: b must be one number, not steps" },
    { "id,a,b,c\nfx.py.002,1,-1;0;1\n", ":2: item fx.py.002 scores 0 to 2: it needs 2 step difficulties b1;b2;..., not 3" },
    { "id,a,b,c\nfx.py.002,1,-1;x\n", ":2: item fx.py.002: step 2 must be a number between -10 and 10, not 'x'" },
    { "id,a,b,c\nfx.py.002,1,-1;1,0.2\n", ":2: item fx.py.002 is partial credit: it has no c (leave it empty)" },
  };
  g_autofree char *good = temp_file ("true.csv", "id,a,b,c\nfx.py.001,1.4,-0.3,0.2\nfx.py.002,0.8,-1.0;0.5,\n"
                                                 "fx.st.001,1,-0.5;0.5,\nloglik=-123.4 items=3 people=10 iterations=5 seconds=0.01\n");
  g_autofree char *in_force = temp_file ("in-force.csv", NULL);
  g_autoptr (GRegex) summary = g_regex_new ("^simulees=50 mean_items=[0-9.]+ rmse=[0-9.]+ .* coverage80=[0-9.]+% "
                                            "exact_level=[0-9.]+% .* seed=3\n$", G_REGEX_DOTALL, 0, NULL);
  Run run = { 0 };

  g_assert_cmpint (reskill (&run, "simulate", "--skill", "python", "--questions", questions, "--simulees", "50",
                            "--mode", "standard", "--true-params", good, "--seed", "3", NULL), ==, 0);
  g_assert_true (g_regex_match (summary, run.out, 0, NULL));
  g_assert_nonnull (strstr (run.err, "for 2 of 3 items"));
  g_assert_nonnull (strstr (run.err, "seed 3"));

  /* The parameters in force, written in the same format, read back whole. */
  g_assert_cmpint (reskill (&run, "simulate", "--skill", "python", "--questions", questions, "--write-params",
                            in_force, NULL), ==, 0);
  g_assert_cmpint (reskill (&run, "simulate", "--skill", "python", "--questions", questions, "--simulees", "20",
                            "--true-params", in_force, NULL), ==, 0);
  g_assert_nonnull (strstr (run.err, "for 3 of 3 items"));

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *name = g_strdup_printf ("bad-true-%u.csv", i);
      g_autofree char *path = temp_file (name, bad[i].contents);
      g_autofree char *expected = g_strconcat (path, bad[i].message, NULL);

      g_assert_cmpint (reskill (&run, "simulate", "--skill", "python", "--questions", questions, "--simulees", "5",
                                "--true-params", path, NULL), ==, 1);
      g_test_message ("%s", run.err);
      g_assert_nonnull (strstr (run.err, expected));
      g_assert_cmpstr (run.out, ==, "");
    }
  g_assert_cmpint (reskill (&run, "simulate", "--skill", "python", "--questions", questions,
                            "--true-params", "/no/such/params.csv", NULL), ==, 1);
  g_assert_nonnull (strstr (run.err, "/no/such/params.csv"));
  g_assert_cmpint (reskill (&run, "simulate", "--skill", "python", "--questions", questions, "--mode", "slow", NULL), ==, 2);
  g_assert_cmpint (reskill (&run, "simulate", "--skill", "python", "--questions", questions, "--classify", "vote", NULL), ==, 2);
  g_assert_cmpint (reskill (&run, "simulate", "--skill", "python", "--questions", questions, "--pretest", "-1", NULL), ==, 2);

  /* --params: the engine uses the file's parameters; a bad file is named
   * with its line, as --true-params. The answers come from the same file, so
   * the engine's SE is right: with the bank's own parameters in force it is not. */
  g_assert_cmpint (reskill (&run, "simulate", "--skill", "python", "--questions", questions, "--simulees", "20",
                            "--params", good, "--true-params", good, "--seed", "3", NULL), ==, 0);
  g_assert_true (g_str_has_prefix (run.out, "simulees=20 "));
  {
    g_autofree char *path = temp_file ("bad-params.csv", "id,a,b,c\nfx.py.001,1,0,1.5\n");
    g_autofree char *expected = g_strconcat (path, ":2: item fx.py.001: c must be", NULL);

    g_assert_cmpint (reskill (&run, "simulate", "--skill", "python", "--questions", questions, "--params", path, NULL),
                     ==, 1);
    g_assert_nonnull (strstr (run.err, expected));
  }
  g_assert_cmpint (reskill (&run, "simulate", "--bank", "x.csv", "--thetas", "y.csv", "--params", good, NULL), ==, 2);
  g_assert_nonnull (strstr (run.err, "--params needs --skill"));

  /* --perturb-seed: true parameters drawn from those in force, the same for
   * the same seed, others for another; only with --write-params. */
  {
    g_autofree char *one = temp_file ("perturbed-1.csv", NULL);
    g_autofree char *again = temp_file ("perturbed-1b.csv", NULL);
    g_autofree char *two = temp_file ("perturbed-2.csv", NULL);
    g_autofree char *text_one = NULL, *text_again = NULL, *text_two = NULL, *text_in_force = NULL;

    g_assert_cmpint (reskill (&run, "simulate", "--skill", "python", "--questions", questions, "--write-params", one,
                              "--perturb-seed", "1", NULL), ==, 0);
    g_assert_cmpint (reskill (&run, "simulate", "--skill", "python", "--questions", questions, "--write-params", again,
                              "--perturb-seed", "1", NULL), ==, 0);
    g_assert_cmpint (reskill (&run, "simulate", "--skill", "python", "--questions", questions, "--write-params", two,
                              "--perturb-seed", "2", "--sd-a", "0", "--sd-b", "0", "--shift", "0.5", NULL), ==, 0);
    g_assert_true (g_file_get_contents (one, &text_one, NULL, NULL));
    g_assert_true (g_file_get_contents (again, &text_again, NULL, NULL));
    g_assert_true (g_file_get_contents (two, &text_two, NULL, NULL));
    g_assert_true (g_file_get_contents (in_force, &text_in_force, NULL, NULL));
    g_assert_cmpstr (text_one, ==, text_again);
    g_assert_cmpstr (text_one, !=, text_in_force);
    /* No spread, a shift of 0.5: fx.py.001 (level 1, b = -2) at b = -1.5, a = 1. */
    g_assert_nonnull (strstr (text_two, "\nfx.py.001,1,-1.5,"));
    /* The file reads back as true parameters. */
    g_assert_cmpint (reskill (&run, "simulate", "--skill", "python", "--questions", questions, "--simulees", "5",
                              "--true-params", one, NULL), ==, 0);
  }
  g_assert_cmpint (reskill (&run, "simulate", "--skill", "python", "--questions", questions, "--perturb-seed", "1",
                            NULL), ==, 2);
  g_assert_nonnull (strstr (run.err, "--perturb-seed needs --write-params"));
  g_assert_cmpint (reskill (&run, "simulate", "--skill", "python", "--questions", questions, "--write-params", "/tmp/x.csv",
                            "--perturb-seed", "1", "--sd-a", "-1", NULL), ==, 2);
  run_clear (&run);
}

static int
count_lines_with (const char *text, const char *prefix)
{
  int n = 0;
  for (const char *p = text; p && *p; p = strchr (p, '\n') ? strchr (p, '\n') + 1 : NULL)
    n += g_str_has_prefix (p, prefix);
  return n;
}

static void
test_take_and_resume (void)
{
  g_autofree char *questions = source ("tests", "fixtures", "good-bank", NULL);
  g_autofree char *roles = source ("data", "roles.yaml", NULL);
  g_autofree char *db = temp_file ("take.db", NULL);
  g_autofree char *uuid = NULL;
  Run run = { 0 };

  g_assert_cmpint (reskill (&run, "take", "--db", db, "--questions", questions, "--roles", roles,
                            "--skills", "python,ml", "--mode", "quick", "--auto-answer", "correct",
                            "--seed", "3", "--max-answers", "2", NULL), ==, 0);
  g_assert_cmpint (count_lines_with (run.out, "answered "), ==, 2);
  g_assert_nonnull (strstr (run.out, "paused "));
  uuid = g_strndup (strstr (run.out, "paused ") + 7, 36);

  g_assert_cmpint (reskill (&run, "take", "--db", db, "--questions", questions, "--roles", roles,
                            "--resume", uuid, "--auto-answer", "correct", NULL), ==, 0);
  /* Numbering continues where it stopped: the answers after the pause
   * are 3 and 4 of the same attempt, and no others. Both small skills run
   * out of items: python has three, but two are `related` and only one is
   * asked. */
  {
    g_autofree char *third = g_strdup_printf ("answered %s 3 ", uuid);
    g_autofree char *fourth = g_strdup_printf ("\nanswered %s 4 ", uuid);

    g_assert_true (g_str_has_prefix (run.out, third));
    g_assert_nonnull (strstr (run.out, fourth));
  }
  g_assert_cmpint (count_lines_with (run.out, "answered "), ==, 2);
  g_assert_nonnull (strstr (run.out, "finished "));
  g_assert_nonnull (strstr (run.out, "Best fit: "));
  g_assert_nonnull (strstr (run.out, "Python"));

  g_assert_cmpint (reskill (&run, "take", "--db", db, "--questions", questions, "--roles", roles,
                            "--resume", uuid, "--auto-answer", "correct", NULL), ==, 1);
  g_assert_nonnull (strstr (run.err, "already finished"));
  run_clear (&run);
}

static void
test_take_bad_input (void)
{
  g_autofree char *questions = source ("tests", "fixtures", "good-bank", NULL);
  g_autofree char *corrupt = temp_file ("corrupt.db", "this is not a database, it is a text file............................................................\n");
  g_autofree char *before = NULL, *after = NULL;
  Run run = { 0 };

  g_assert_cmpint (reskill (&run, "take", "--skills", "python", NULL), ==, 2);
  g_assert_nonnull (strstr (run.err, "--db FILE is required"));
  g_assert_cmpint (reskill (&run, "take", "--db", corrupt, "--skills", "snakes", NULL), ==, 2);
  g_assert_nonnull (strstr (run.err, "unknown skill 'snakes'"));
  g_assert_cmpint (reskill (&run, "take", "--db", corrupt, "--skills", "python", "--mode", "endless", NULL), ==, 2);
  g_assert_cmpint (reskill (&run, "take", "--db", corrupt, "--skills", "python", "--auto-answer", "maybe", NULL), ==, 2);

  g_assert_true (g_file_get_contents (corrupt, &before, NULL, NULL));
  g_assert_cmpint (reskill (&run, "take", "--db", corrupt, "--questions", questions, "--skills", "python",
                            "--auto-answer", "correct", NULL), ==, 1);
  g_assert_nonnull (strstr (run.err, corrupt));
  g_assert_true (g_file_get_contents (corrupt, &after, NULL, NULL));
  g_assert_cmpstr (before, ==, after);
  run_clear (&run);
}

static void
test_seed_demo (void)
{
  g_autofree char *questions = source ("tests", "fixtures", "good-bank", NULL);
  g_autofree char *db = temp_file ("demo.db", NULL);
  Run run = { 0 };

  g_assert_cmpint (reskill (&run, "seed-demo", "--db", db, "--questions", questions, "--people", "3",
                            "--attempts-per-person", "1", NULL), ==, 0);
  g_assert_nonnull (strstr (run.out, "3 employees"));
  g_assert_cmpint (reskill (&run, "seed-demo", "--db", db, "--questions", questions, NULL), ==, 1);
  g_assert_nonnull (strstr (run.err, "already has people"));
  g_assert_cmpint (reskill (&run, "seed-demo", "--db", db, "--people", "0", NULL), ==, 2);
  run_clear (&run);
}


/* PINs never on the command line (issue 10): --pin is gone; --pin-fd reads
 * one from an open file descriptor (here standard input). */
static void
test_take_pin (void)
{
  g_autofree char *questions = source ("tests", "fixtures", "good-bank", NULL);
  g_autofree char *db = temp_file ("pin.db", NULL);
  g_autoptr (GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE
                                                                        | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                                                        | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr (GSubprocess) take = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *out = NULL, *err = NULL;
  Run run = { 0 };

  g_assert_cmpint (reskill (&run, "seed-demo", "--db", db, "--questions", questions, "--people", "1",
                            "--attempts-per-person", "0", NULL), ==, 0);
  g_assert_cmpint (reskill (&run, "take", "--db", db, "--questions", questions, "--skills", "python",
                            "--employee", "3001", "--pin", "1234", NULL), ==, 2);
  g_assert_nonnull (strstr (run.err, "Unknown option --pin"));
  g_assert_cmpint (reskill (&run, "take", "--help", NULL), ==, 0);
  g_assert_nonnull (strstr (run.out, "--pin-fd"));

  take = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("RESKILL_BIN"), "take", "--db", db,
                                      "--questions", questions, "--skills", "python", "--employee", "3001",
                                      "--pin-fd", "0", "--auto-answer", "correct", "--seed", "1",
                                      "--max-answers", "1", NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (take, "1234\n", NULL, &out, &err, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_subprocess_get_exit_status (take), ==, 0);
  g_assert_nonnull (strstr (out, "answered "));
  g_clear_object (&take);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  take = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("RESKILL_BIN"), "take", "--db", db,
                                      "--questions", questions, "--skills", "python", "--employee", "3001",
                                      "--pin-fd", "0", "--auto-answer", "correct", NULL);
  g_assert_true (g_subprocess_communicate_utf8 (take, "9999\n", NULL, &out, &err, &error));
  g_assert_cmpint (g_subprocess_get_exit_status (take), ==, 1);
  g_assert_nonnull (strstr (err, "Wrong employee number or PIN"));
  run_clear (&run);
}

/* The bank is where it is installed, or where RESKILL_QUESTIONS_DIR says:
 * never a "questions" folder in the working directory (issue 10). */
static void
test_bank_not_from_cwd (void)
{
  g_autofree char *dir = g_dir_make_tmp ("reskill-cwd-XXXXXX", NULL);
  g_autofree char *questions = g_build_filename (dir, "questions", NULL);
  g_autofree char *readme = g_build_filename (questions, "README.md", NULL);
  g_autoptr (GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                                                        | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr (GSubprocess) validate = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *out = NULL, *err = NULL;

  g_assert_cmpint (g_mkdir (questions, 0700), ==, 0);
  g_assert_true (g_file_set_contents (readme, "", 0, NULL));
  g_subprocess_launcher_set_cwd (launcher, dir);
  g_subprocess_launcher_unsetenv (launcher, "RESKILL_QUESTIONS_DIR");
  validate = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("RESKILL_BIN"), "validate", NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (validate, NULL, NULL, &out, &err, &error));
  g_test_message ("validate in %s: %s%s", dir, out, err);
  /* It looked at the installed bank (absent in a build tree), not ./questions. */
  g_assert_nonnull (strstr (err, "share/reskill/questions"));
  g_assert_null (strstr (err, dir));
  g_assert_null (strstr (out, dir));
  g_assert_cmpint (g_remove (readme), ==, 0);
  g_assert_cmpint (g_rmdir (questions), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("reskill-cli-XXXXXX", NULL);
  g_test_add_func ("/cli/help", test_help);
  g_test_add_func ("/cli/validate", test_validate);
  g_test_add_func ("/cli/validate-cues", test_validate_cues);
  g_test_add_func ("/cli/simulate", test_simulate);
  g_test_add_func ("/cli/simulate-true-params", test_simulate_true_params);
  g_test_add_func ("/cli/take-and-resume", test_take_and_resume);
  g_test_add_func ("/cli/take-bad-input", test_take_bad_input);
  g_test_add_func ("/cli/seed-demo", test_seed_demo);
  g_test_add_func ("/cli/take-pin", test_take_pin);
  g_test_add_func ("/cli/bank-not-from-cwd", test_bank_not_from_cwd);
  status = g_test_run ();
  {
    /* Leave no files behind. */
    g_autoptr (GDir) dir = g_dir_open (tmpdir, 0, NULL);
    const char *name;
    while (dir && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *path = g_build_filename (tmpdir, name, NULL);
        g_remove (path);
      }
    g_rmdir (tmpdir);
  }
  return status;
}
