/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `reskill study` through the real program: wrong arguments exit 2 with a
 * message and touch nothing; a tiny study (a few dozen people, one skill)
 * prints its tables and closing line, really calibrates (parameters in
 * force change, results record the calibration), writes the true
 * parameters it drew (the same as `simulate --perturb-seed`), and gives the
 * same figures with one thread or two. The real study runs by hand and in
 * `make bench`. */
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "rs-test-cli.h"

static char *tmpdir;

static char *
temp_file (const char *name)
{
  return g_build_filename (tmpdir, name, NULL);
}

static gint64
sql_int (const char *path, const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

/* The value of key=N in the closing line. */
static int
closing_value (const char *out, const char *key)
{
  const char *line = strstr (out, "\nstudy: seed=");
  g_autofree char *pattern = g_strdup_printf (" %s=", key);
  const char *at;

  g_assert_nonnull (line);
  at = strstr (line, pattern);
  g_assert_nonnull (at);
  return atoi (at + strlen (pattern));
}

/* The output without what depends on the machine (times). */
static char *
without_times (const char *out)
{
  g_auto (GStrv) lines = g_strsplit (out, "\n", -1);
  g_autoptr (GString) kept = g_string_new (NULL);

  for (int i = 0; lines[i] != NULL; i++)
    {
      char *seconds = strstr (lines[i], " seconds_before=");

      if (g_str_has_prefix (lines[i], "- Time:"))
        continue;
      if (seconds != NULL)
        *seconds = '\0';
      g_string_append_printf (kept, "%s\n", lines[i]);
    }
  return g_string_free (g_steal_pointer (&kept), FALSE);
}

static void
test_arguments (void)
{
  Run run = { 0 };
  g_autofree char *existing = temp_file ("existing.db");
  static const char *const bad[][4] = {
    { "--people", "0", NULL },
    { "--modes", "quick,slow", NULL },
    { "--skills", "python,cooking", NULL },
    { "--skills", "", NULL },
    { "--min-responses", "0", NULL },
    { "--retest", "sometimes", NULL },
    { "--exposure-cap", "0", NULL },
    { "--exposure-cap", "1.5", NULL },
    { "--threads", "9", NULL },
    { "--sd-a", "-1", NULL },
    { "--people", "many", NULL },
    { "leftover", NULL },
  };

  g_assert_cmpint (reskill (&run, "study", "--help", NULL), ==, 0);
  g_assert_nonnull (strstr (run.out, "--people"));
  g_assert_nonnull (strstr (run.out, "--min-responses"));
  g_assert_nonnull (strstr (run.out, "--save-true-params"));
  g_assert_cmpint (reskill (&run, "--help", NULL), ==, 0);
  g_assert_nonnull (strstr (run.out, "study"));

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_assert_cmpint (reskill (&run, "study", bad[i][0], bad[i][1], NULL), ==, 2);
      g_test_message ("%s %s: %s", bad[i][0], bad[i][1] ? bad[i][1] : "", run.err);
      g_assert_true (g_str_has_prefix (run.err, "reskill study: "));
      g_assert_cmpstr (run.out, ==, "");
    }
  g_assert_cmpint (reskill (&run, "study", "--modes", "quick,slow", NULL), ==, 2);
  g_assert_nonnull (strstr (run.err, "'slow'"));

  /* A database that exists is never filled with simulated people. */
  g_assert_true (g_file_set_contents (existing, "keep me", -1, NULL));
  g_assert_cmpint (reskill (&run, "study", "--people", "5", "--db", existing, NULL), ==, 2);
  g_assert_nonnull (strstr (run.err, "exists"));
  {
    g_autofree char *text = NULL;
    g_assert_true (g_file_get_contents (existing, &text, NULL, NULL));
    g_assert_cmpstr (text, ==, "keep me");
  }
  g_assert_cmpint (reskill (&run, "study", "--people", "5", "--save-true-params", existing, NULL), ==, 2);
  g_assert_nonnull (strstr (run.err, "not a folder"));
  run_clear (&run);
}

/* A bank small enough for 40 people to calibrate: 16 single-choice
 * statistics items in two subtopics, levels 1 to 5. Returns its folder. */
static char *
write_tiny_bank (void)
{
  g_autofree char *skill_dir = NULL;
  char *dir = temp_file ("questions");

  skill_dir = g_build_filename (dir, "statistics", NULL);
  g_assert_cmpint (g_mkdir_with_parents (skill_dir, 0755), ==, 0);
  for (int f = 0; f < 2; f++)
    {
      const char *topic = f == 0 ? "spread" : "centre";
      g_autofree char *name = g_strdup_printf ("%s.yaml", topic);
      g_autofree char *path = g_build_filename (skill_dir, name, NULL);
      g_autoptr (GString) text = g_string_new (NULL);

      g_string_append_printf (text, "skill: statistics\nsubtopic: %s\nitems:\n", topic);
      for (int i = 0; i < 8; i++)
        {
          int n = 8 * f + i;
          g_string_append_printf (text,
                                  "  - id: tiny.%02d\n    type: single\n    level: %d\n"
                                  "    stem: Tiny question number %d about the %s of a sample?\n"
                                  "    options: [\"answer %d one\", \"answer %d two\", \"answer %d three\", \"answer %d four\"]\n"
                                  "    key: %c\n    explanation: Because %d.\n",
                                  n, 1 + n % 5, n, topic, n, n, n, n, "ABCD"[n % 4], n);
        }
      g_assert_true (g_file_set_contents (path, text->str, -1, NULL));
    }
  return dir;
}

static void
remove_tree (const char *dir)
{
  g_autoptr (GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;

  while (listing != NULL && (name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        remove_tree (path);
      else
        g_unlink (path);
    }
  g_rmdir (dir);
}

static void
test_tiny_study (void)
{
  g_autofree char *questions = write_tiny_bank ();
  Run run = { 0 };
  g_autofree char *db = temp_file ("study.db");
  g_autofree char *calibration = temp_file ("calibration.yaml");
  g_autofree char *params = temp_file ("true-statistics.csv");
  g_autofree char *drawn = temp_file ("drawn.csv");
  g_autofree char *first = NULL, *second = NULL, *yaml = NULL, *ours = NULL, *theirs = NULL;
  const char *recovery;
  int calibrated, changed;

  g_assert_cmpint (reskill (&run, "study", "--questions", questions, "--people", "40", "--skills", "statistics",
                            "--modes", "quick", "--min-responses", "20", "--seed", "7", "--db", db,
                            "--save-true-params", tmpdir, "--save-calibration", calibration, NULL), ==, 0);
  g_test_message ("%s", run.out);
  g_assert_true (g_str_has_prefix (run.out, "# Calibration study: seed 7, 40 people per phase, modes quick, "
                                            "skills statistics\n"));
  g_assert_nonnull (strstr (run.err, "seed 7"));
  g_assert_nonnull (strstr (run.out, "\n| skill | mode | people | items (+ pretest) | RMSE | mean SE | 80% band coverage "
                                     "| exact level | max exposure | bank used |\n"));
  g_assert_nonnull (strstr (run.out, "\n| statistics | quick | 40 | "));
  g_assert_null (strstr (run.out, "| python |"));
  recovery = strstr (run.out, "\n| skill | items | calibrated / provisional / flagged |");
  g_assert_nonnull (recovery);
  g_assert_nonnull (strstr (recovery, "\n| statistics | 16 | "));
  g_assert_nonnull (strstr (run.out, "- Time: setup "));
  g_assert_cmpint (closing_value (run.out, "people"), ==, 40);
  g_assert_cmpint (closing_value (run.out, "answers_before"), >=, 40 * 5);
  g_assert_cmpint (closing_value (run.out, "answers_after"), >=, 40 * 5);

  /* The calibration really changed what the test uses. */
  calibrated = closing_value (run.out, "calibrated");
  changed = closing_value (run.out, "changed");
  g_test_message ("calibrated %d, changed %d", calibrated, changed);
  g_assert_cmpint (calibrated, >, 0);
  g_assert_cmpint (changed, ==, calibrated);
  g_assert_cmpint (sql_int (db, "SELECT count(*) FROM calibrations"), ==, 1);
  g_assert_cmpint (sql_int (db, "SELECT count(*) FROM calibration_items WHERE status = 'calibrated'"), ==, calibrated);
  g_assert_cmpint (sql_int (db, "SELECT count(*) FROM calibration_items WHERE status = 'calibrated' AND a <> 1"), ==,
                   calibrated);
  /* Before: 40 results on the starting parameters; after: 40 on the calibration. */
  g_assert_cmpint (sql_int (db, "SELECT count(*) FROM results WHERE calibration IS NULL"), ==, 40);
  g_assert_cmpint (sql_int (db, "SELECT count(*) FROM results WHERE calibration = (SELECT uuid FROM calibrations)"),
                   ==, 40);
  g_assert_true (g_file_get_contents (calibration, &yaml, NULL, NULL));
  g_assert_true (g_str_has_prefix (strstr (yaml, "\ncalibration: "), "\ncalibration: "));
  g_assert_nonnull (strstr (yaml, "irt: {a: "));

  /* The true parameters written are the core's draw for that seed. */
  g_assert_cmpint (reskill (&run, "simulate", "--questions", questions, "--skill", "statistics", "--write-params", drawn,
                            "--perturb-seed", "7", NULL), ==, 0);
  g_assert_true (g_file_get_contents (params, &ours, NULL, NULL));
  g_assert_true (g_file_get_contents (drawn, &theirs, NULL, NULL));
  g_assert_true (g_str_has_prefix (ours, "id,a,b,c\n"));
  g_assert_cmpstr (ours, ==, theirs);

  /* The same seed gives the same figures on one thread as on two. */
  g_assert_cmpint (reskill (&run, "study", "--questions", questions, "--people", "40", "--skills", "statistics",
                            "--modes", "quick", "--min-responses", "20", "--seed", "7", "--threads", "2", NULL), ==, 0);
  first = without_times (run.out);
  g_assert_cmpint (reskill (&run, "study", "--questions", questions, "--people", "40", "--skills", "statistics",
                            "--modes", "quick", "--min-responses", "20", "--seed", "7", "--threads", "1", NULL), ==, 0);
  second = without_times (run.out);
  g_assert_cmpstr (first, ==, second);
  run_clear (&run);
  remove_tree (questions);
}

int
main (int argc, char **argv)
{
  int status;
  g_autoptr (GDir) dir = NULL;
  const char *name;

  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("reskill-cli-study-XXXXXX", NULL);
  g_test_add_func ("/cli/study/arguments", test_arguments);
  g_test_add_func ("/cli/study/tiny", test_tiny_study);
  status = g_test_run ();
  dir = g_dir_open (tmpdir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (tmpdir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (tmpdir);
  g_free (tmpdir);
  return status;
}
