/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `reskill report` as an operator uses it: the real program on a seeded demo
 * database. Refusals, unknown teams and bad output paths get one clear line,
 * a non-zero exit and no file (an existing one is left as it was); every
 * export leaves an audit row. */
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/wait.h>

#include "rs-test-cli.h"

static char *tmpdir;
static char *db;

static char *
source (const char *first, const char *second)
{
  return g_build_filename (g_getenv ("RESKILL_SOURCE_ROOT"), first, second, NULL);
}

static char *
temp_file (const char *name)
{
  return g_build_filename (tmpdir, name, NULL);
}

/* Exactly one line on stderr, containing text. */
static void
assert_one_line (const Run *run, const char *text)
{
  const char *newline = strchr (run->err, '\n');

  g_assert_nonnull (strstr (run->err, text));
  g_assert_nonnull (newline);
  g_assert_cmpstr (newline, ==, "\n");
}

static gint64
count_exports (void)
{
  sqlite3 *handle = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 n = -1;

  g_assert_cmpint (sqlite3_open_v2 (db, &handle, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (handle, "SELECT count(*) FROM audit WHERE event = 'export'", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (handle);
  return n;
}

static void
test_help (void)
{
  Run run = { 0 };

  g_assert_cmpint (reskill (&run, "--help", NULL), ==, 0);
  g_assert_nonnull (strstr (run.out, "report"));
  g_assert_cmpint (reskill (&run, "report", "--help", NULL), ==, 0);
  g_assert_nonnull (strstr (run.out, "Usage:"));
  g_assert_nonnull (strstr (run.out, "--as"));
  g_assert_nonnull (strstr (run.out, "owner of the database"));
  run_clear (&run);
}

static void
test_csv (void)
{
  g_autofree char *out = temp_file ("platform.csv");
  g_autofree char *contents = NULL;
  g_auto (GStrv) lines = NULL;
  gint64 exports = count_exports ();
  Run run = { 0 };

  g_assert_cmpint (reskill (&run, "report", "--db", db, "--team", "Platform", "--format", "csv",
                            "--output", out, NULL), ==, 0);
  g_assert_cmpstr (run.err, ==, "");
  g_assert_true (g_file_get_contents (out, &contents, NULL, NULL));
  lines = g_strsplit (contents, "\r\n", -1);
  g_assert_cmpstr (lines[0], ==, "employee_no,name,skill,level,score,score_low,score_high,date,fitted_role");
  /* 30 employees over 4 teams: Platform has every fourth, 8, × 4 skills,
   * then the empty string after the last line break. */
  g_assert_cmpuint (g_strv_length (lines), ==, 1 + 8 * 4 + 1);
  g_assert_cmpstr (lines[33], ==, "");
  g_assert_nonnull (strstr (contents, "3001,Sam Employee,python,"));
  g_assert_cmpint (count_exports (), ==, exports + 1);
  run_clear (&run);
}

static void
test_pdf (void)
{
  g_autofree char *out = temp_file ("platform.pdf");
  g_autofree char *contents = NULL;
  g_autofree char *tool = g_find_program_in_path ("pdftotext");
  gsize length = 0;
  Run run = { 0 };

  g_assert_cmpint (reskill (&run, "report", "--db", db, "--team", "Platform", "--format", "pdf",
                            "--output", out, "--org", "Demo Corp", NULL), ==, 0);
  g_assert_true (g_file_get_contents (out, &contents, &length, NULL));
  g_assert_true (g_str_has_prefix (contents, "%PDF-"));
  g_assert_cmpuint (length, >, 10000);
  run_clear (&run);
  if (tool == NULL)
    {
      g_test_skip ("pdftotext (poppler-utils) is not installed: the PDF's text is not checked");
      return;
    }
  {
    Run text = { 0 };
    const char *argv[] = { tool, out, "-", NULL };
    int status = 0;

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &text.out, &text.err,
                                 &status, NULL));
    g_assert_true (g_spawn_check_wait_status (status, NULL));
    g_assert_nonnull (strstr (text.out, "Sam Employee"));
    g_assert_nonnull (strstr (text.out, "Demo Corp"));
    run_clear (&text);
  }
}

static void
test_as (void)
{
  g_autofree char *out = temp_file ("as.csv");
  g_autofree char *contents = NULL;
  gint64 exports;
  Run run = { 0 };

  /* The demo's first manager leads Platform. */
  g_assert_cmpint (reskill (&run, "report", "--db", db, "--team", "Platform", "--format", "csv",
                            "--output", out, "--as", "2000", NULL), ==, 0);
  g_assert_true (g_file_test (out, G_FILE_TEST_EXISTS));
  g_assert_cmpint (g_unlink (out), ==, 0);

  /* An existing file is left as it was when the report is refused. */
  g_assert_true (g_file_set_contents (out, "old", -1, NULL));
  exports = count_exports ();
  g_assert_cmpint (reskill (&run, "report", "--db", db, "--team", "Platform", "--format", "csv",
                            "--output", out, "--as", "2001", NULL), ==, 1);
  assert_one_line (&run, "reskill report: You can only see the teams you lead.");
  g_assert_true (g_file_get_contents (out, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "old");
  g_assert_cmpint (g_unlink (out), ==, 0);

  /* A team that does not exist gets the same refusal: a manager cannot
   * learn which team names there are by trying (issue 10). */
  g_assert_cmpint (reskill (&run, "report", "--db", db, "--team", "No Such Team", "--format", "csv",
                            "--output", out, "--as", "2000", NULL), ==, 1);
  assert_one_line (&run, "reskill report: You can only see the teams you lead.");

  g_assert_cmpint (reskill (&run, "report", "--db", db, "--team", "Platform", "--format", "pdf",
                            "--output", out, "--as", "3001", NULL), ==, 1);
  assert_one_line (&run, "Team reports are for the team's manager.");
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));

  g_assert_cmpint (reskill (&run, "report", "--db", db, "--team", "Platform", "--format", "csv",
                            "--output", out, "--as", "99999", NULL), ==, 1);
  assert_one_line (&run, "99999");
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  /* Refusals export nothing, so they are not logged as exports. */
  g_assert_cmpint (count_exports (), ==, exports);
  run_clear (&run);
}

static void
test_bad_input (void)
{
  g_autofree char *out = temp_file ("bad.csv");
  g_autofree char *unwritable = g_build_filename (tmpdir, "no-such-dir", "out.pdf", NULL);
  g_autofree char *no_db = temp_file ("no-such.db");
  Run run = { 0 };

  g_assert_cmpint (reskill (&run, "report", "--db", db, "--team", "Nowhere", "--format", "csv",
                            "--output", out, NULL), ==, 1);
  assert_one_line (&run, "There is no team named");
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));

  g_assert_cmpint (reskill (&run, "report", "--db", db, "--team", "Platform", "--format", "docx",
                            "--output", out, NULL), ==, 2);
  g_assert_nonnull (strstr (run.err, "unknown format 'docx'"));
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));

  g_assert_cmpint (reskill (&run, "report", "--db", db, "--team", "Platform", "--format", "pdf",
                            "--output", unwritable, NULL), ==, 1);
  assert_one_line (&run, "Cannot write the PDF file");
  g_assert_false (g_file_test (unwritable, G_FILE_TEST_EXISTS));

  g_assert_cmpint (reskill (&run, "report", "--db", no_db, "--team", "Platform", "--format", "csv",
                            "--output", out, NULL), ==, 1);
  assert_one_line (&run, "no such database");
  g_assert_false (g_file_test (no_db, G_FILE_TEST_EXISTS));

  g_assert_cmpint (reskill (&run, "report", "--db", db, "--format", "csv", NULL), ==, 2);
  g_assert_nonnull (strstr (run.err, "required"));
  run_clear (&run);
}

int
main (int argc, char **argv)
{
  g_autofree char *questions = NULL, *roles = NULL;
  Run run = { 0 };
  int status;

  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("reskill-cli-report-XXXXXX", NULL);
  db = temp_file ("demo.db");
  questions = source ("questions", NULL);
  roles = source ("data", "roles.yaml");
  g_setenv ("RESKILL_ROLES", roles, TRUE);
  if (reskill (&run, "seed-demo", "--db", db, "--questions", questions, "--people", "30",
               "--attempts-per-person", "2", NULL) != 0)
    g_error ("seed-demo failed: %s", run.err);
  run_clear (&run);

  g_test_add_func ("/cli-report/help", test_help);
  g_test_add_func ("/cli-report/csv", test_csv);
  g_test_add_func ("/cli-report/pdf", test_pdf);
  g_test_add_func ("/cli-report/as", test_as);
  g_test_add_func ("/cli-report/bad-input", test_bad_input);
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
  g_free (db);
  return status;
}
