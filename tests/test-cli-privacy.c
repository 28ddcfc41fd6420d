/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The privacy commands (issue 14) through the real program, on a seeded
 * demo organization: `report --as` under each visibility policy (CSV and
 * the PDF's text), a team's own policy and small groups; the notice, its
 * confirmation and the organization's wording; practice with `take
 * --practice` and `share-practice`; who looked; retention and its dry run;
 * a person's data export; an erasure that leaves no byte of the person in
 * the file and travels to another kiosk in a bundle. Bad input gets one
 * clear message and a non-zero exit. */
#define _GNU_SOURCE             /* memmem: the bytes of a database file */
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "rs-test-cli.h"

#define Z_NUMBER "ZQ-9931"
#define Z_NAME "Zora Quillfeather"

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

/* `reskill ARGS...` with input on standard input (a PIN for --pin-fd 0). */
static int
reskill_with_input (Run *run, const char *input, ...) G_GNUC_NULL_TERMINATED;

static int
reskill_with_input (Run *run, const char *input, ...)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GSubprocess) process = NULL;
  g_autoptr (GError) error = NULL;
  const char *arg;
  va_list args;

  run_clear (run);
  g_ptr_array_add (argv, (gpointer) g_getenv ("RESKILL_BIN"));
  va_start (args, input);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  process = g_subprocess_newv ((const char *const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                               | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (process, input, NULL, &run->out, &run->err, &error));
  g_assert_no_error (error);
  run->status = g_subprocess_get_exit_status (process);
  return run->status;
}

static gint64
sql_int (const char *path, const char *sql)
{
  sqlite3 *handle = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 n;

  g_assert_cmpint (sqlite3_open_v2 (path, &handle, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (handle, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (handle);
  return n;
}

static char *
read_text (const char *path)
{
  char *contents = NULL;

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  return contents;
}

static char *
pdf_text (const char *path)
{
  g_autofree char *tool = g_find_program_in_path ("pdftotext");
  const char *argv[] = { tool, "-enc", "UTF-8", path, "-", NULL };
  char *out = NULL;
  int status = 0;

  if (tool == NULL)
    return NULL;
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out, NULL,
                               &status, NULL));
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return out;
}

static gboolean
file_holds (const char *path, const char *needle)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, NULL))
    return FALSE;
  return memmem (contents, length, needle, strlen (needle)) != NULL;
}

/* Exactly one line on stderr, containing text. */
static void
assert_one_line (const Run *run, const char *text)
{
  const char *newline = strchr (run->err, '\n');

  if (strstr (run->err, text) == NULL)
    g_printerr ("stderr was: %s\n", run->err);
  g_assert_nonnull (strstr (run->err, text));
  g_assert_nonnull (newline);
  g_assert_cmpstr (newline, ==, "\n");
}

/* A fresh copy of the seeded database, so tests do not depend on order.
 * (Without its key file: the copy makes its own, as a new kiosk would.) */
static char *
copy_db (const char *name)
{
  g_autofree char *contents = NULL;
  char *path = temp_file (name);
  gsize length = 0;

  g_assert_true (g_file_get_contents (db, &contents, &length, NULL));
  g_assert_true (g_file_set_contents_full (path, contents, (gssize) length, G_FILE_SET_CONTENTS_NONE, 0600, NULL));
  return path;
}

/* --- help and usage --- */

static void
test_help (void)
{
  static const char *const commands[] = { "retention", "export-person", "erase-person", "who-looked",
                                          "share-practice" };
  Run run = { 0 };

  g_assert_cmpint (reskill (&run, "--help", NULL), ==, 0);
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_assert_nonnull (strstr (run.out, commands[i]));
    }
  g_assert_nonnull (strstr (run.out, "privacy"));
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_assert_cmpint (reskill (&run, commands[i], "--help", NULL), ==, 0);
      g_assert_nonnull (strstr (run.out, "Usage:"));
    }
  g_assert_cmpint (reskill (&run, "privacy", "--help", NULL), ==, 0);
  g_assert_nonnull (strstr (run.out, "reskill privacy set"));
  g_assert_cmpint (reskill (&run, "privacy", "set", "--help", NULL), ==, 0);
  g_assert_nonnull (strstr (run.out, "--keep-results-months"));
  g_assert_cmpint (reskill (&run, "take", "--help", NULL), ==, 0);
  g_assert_nonnull (strstr (run.out, "--practice"));

  /* Usage errors: exit 2, one line. */
  g_assert_cmpint (reskill (&run, "privacy", NULL), ==, 2);
  assert_one_line (&run, "subcommand");
  g_assert_cmpint (reskill (&run, "privacy", "frobnicate", NULL), ==, 2);
  g_assert_cmpint (reskill (&run, "privacy", "set", "--db", db, "--visibility", "everything", NULL), ==, 2);
  assert_one_line (&run, "aggregates, levels or full");
  g_assert_cmpint (reskill (&run, "privacy", "set", "--db", db, "--visibility", "inherit", NULL), ==, 2);
  g_assert_cmpint (reskill (&run, "privacy", "set", "--db", db, "--team", "Platform", "--min-group", "3", NULL), ==, 2);
  g_assert_cmpint (reskill (&run, "privacy", "set", "--db", db, "--anonymous-answers", "maybe", NULL), ==, 2);
  g_assert_cmpint (reskill (&run, "privacy", "set", "--db", db, "--keep-results-months", "0", NULL), ==, 2);
  assert_one_line (&run, "number of months");
  g_assert_cmpint (reskill (&run, "privacy", "notice", "--db", db, "--confirm", NULL), ==, 2);
  g_assert_cmpint (reskill (&run, "retention", "--db", db, "extra", NULL), ==, 2);
  g_assert_cmpint (reskill (&run, "export-person", "--db", db, "3001", NULL), ==, 2);
  assert_one_line (&run, "--output DIR");
  g_assert_cmpint (reskill (&run, "erase-person", "--db", db, NULL), ==, 2);
  g_assert_cmpint (reskill (&run, "who-looked", "--db", db, NULL), ==, 2);
  g_assert_cmpint (reskill (&run, "share-practice", "--db", db, "some-uuid", NULL), ==, 2);
  /* Failures: exit 1, one line. */
  g_assert_cmpint (reskill (&run, "retention", "--db", "/no/such.db", NULL), ==, 1);
  assert_one_line (&run, "no such database");
  g_assert_cmpint (reskill (&run, "privacy", "set", "--db", db, "--min-group", "1", NULL), ==, 1);
  assert_one_line (&run, "smallest group");
  g_assert_cmpint (reskill (&run, "privacy", "set", "--db", db, "--team", "Nowhere", "--visibility", "full", NULL),
                   ==, 1);
  assert_one_line (&run, "Nowhere");
  g_assert_cmpint (reskill (&run, "erase-person", "--db", db, "NOBODY", NULL), ==, 1);
  assert_one_line (&run, "NOBODY");
  g_assert_cmpint (reskill (&run, "export-person", "--db", db, "NOBODY", "--output", tmpdir, NULL), ==, 1);
  run_clear (&run);
}

/* --- the policy in reports --- */

static void
report (const char *database, const char *format, const char *out, Run *run)
{
  g_assert_cmpint (reskill (run, "report", "--db", database, "--team", "Platform", "--format", format, "--output",
                            out, "--as", "2000", NULL), ==, 0);
}

static void
test_policies (void)
{
  g_autofree char *copy = copy_db ("policies.db");
  g_autofree char *csv = temp_file ("platform.csv");
  g_autofree char *pdf = temp_file ("platform.pdf");
  g_autofree char *contents = NULL, *text = NULL;
  Run run = { 0 };

  /* The default, levels: names. */
  report (copy, "csv", csv, &run);
  g_assert_nonnull (strstr (run.out, "8 members"));
  contents = read_text (csv);
  g_assert_nonnull (strstr (contents, "3001,Sam Employee,python,"));
  g_assert_cmpint (sql_int (copy, "SELECT count(*) FROM result_views WHERE what = 'team-csv' AND viewer_role = "
                                  "'manager'"), ==, 8);

  /* Aggregates: figures only, in the CSV and the PDF. */
  g_assert_cmpint (reskill (&run, "privacy", "set", "--db", copy, "--visibility", "aggregates", NULL), ==, 0);
  g_assert_nonnull (strstr (run.out, "version 2"));
  g_assert_cmpint (reskill (&run, "privacy", "show", "--db", copy, NULL), ==, 0);
  g_assert_nonnull (strstr (run.out, "visibility: aggregates"));
  report (copy, "csv", csv, &run);
  g_assert_nonnull (strstr (run.out, "team figures only"));
  g_clear_pointer (&contents, g_free);
  contents = read_text (csv);
  g_assert_true (g_str_has_prefix (contents, "kind,name,level,count\r\n"));
  g_assert_null (strstr (contents, "Sam Employee"));
  g_assert_null (strstr (contents, "3001"));
  report (copy, "pdf", pdf, &run);
  text = pdf_text (pdf);
  g_assert_nonnull (text);
  g_assert_nonnull (strstr (text, "Team figures only"));
  g_assert_null (strstr (text, "Sam Employee"));
  /* Nobody named: nobody recorded (the 16 are the levels report's, on
   * screen and saved, for 8 members). */
  g_assert_cmpint (sql_int (copy, "SELECT count(*) FROM result_views"), ==, 16);

  /* A threshold above the team's size: too few to show, everywhere. */
  g_assert_cmpint (reskill (&run, "privacy", "set", "--db", copy, "--min-group", "9", NULL), ==, 0);
  report (copy, "csv", csv, &run);
  g_clear_pointer (&contents, g_free);
  contents = read_text (csv);
  g_assert_nonnull (strstr (contents, "distribution,python,too few to show,"));
  report (copy, "pdf", pdf, &run);
  g_clear_pointer (&text, g_free);
  text = pdf_text (pdf);
  g_assert_nonnull (strstr (text, "too few to show"));

  /* A team of its own: Platform shows levels again; the rest do not. */
  g_assert_cmpint (reskill (&run, "privacy", "set", "--db", copy, "--team", "Platform", "--visibility", "full", NULL),
                   ==, 0);
  g_assert_cmpint (reskill (&run, "privacy", "show", "--db", copy, NULL), ==, 0);
  g_assert_nonnull (strstr (run.out, "team Platform: full"));
  report (copy, "pdf", pdf, &run);
  g_clear_pointer (&text, g_free);
  text = pdf_text (pdf);
  g_assert_nonnull (strstr (text, "Sam Employee"));
  g_assert_cmpint (sql_int (copy, "SELECT count(*) FROM result_views WHERE what = 'team-pdf'"), ==, 8);
  /* Another manager's team under the organization's aggregates. */
  g_assert_cmpint (reskill (&run, "report", "--db", copy, "--team", "Support Tools", "--format", "csv", "--output", csv,
                            NULL), ==, 0);
  g_assert_nonnull (strstr (run.out, "team figures only"));
  run_clear (&run);
}

/* --- the notice --- */

/* 3002 is the demo's newcomer, the one person who never confirmed the
 * notice (README's demo accounts). */
static void
test_notice (void)
{
  g_autofree char *copy = copy_db ("notice.db");
  g_autofree char *wording = temp_file ("wording.txt");
  g_autofree char *empty = temp_file ("empty.txt");
  Run run = { 0 };

  /* The demo: everyone has confirmed the notice in force but 3002. */
  g_assert_cmpint (sql_int (copy, "SELECT count(*) FROM notice_confirmations JOIN people ON people.id = person_id"
                                 " WHERE employee_no = '3001'"), ==, 1);
  g_assert_cmpint (sql_int (copy, "SELECT count(*) FROM people WHERE id NOT IN"
                                 " (SELECT person_id FROM notice_confirmations)"), ==, 1);
  g_assert_cmpint (sql_int (copy, "SELECT count(*) FROM notice_confirmations JOIN people ON people.id = person_id"
                                 " WHERE employee_no = '3002'"), ==, 0);
  g_assert_cmpint (reskill (&run, "privacy", "notice", "--db", copy, NULL), ==, 0);
  g_assert_nonnull (strstr (run.out, "Who sees what"));
  g_assert_nonnull (strstr (run.out, "They do not see your answers."));
  g_assert_nonnull (strstr (run.out, "Version 1 of this notice"));
  g_assert_cmpint (reskill_with_input (&run, "2468\n", "privacy", "notice", "--db", copy, "--employee", "3002",
                                       "--pin-fd", "0", NULL), ==, 0);
  g_assert_nonnull (strstr (run.out, "Not yet confirmed"));
  g_assert_cmpint (reskill_with_input (&run, "9999\n", "privacy", "notice", "--db", copy, "--employee", "3002",
                                       "--pin-fd", "0", "--confirm", NULL), ==, 1);
  assert_one_line (&run, "Wrong employee number or PIN");
  g_assert_cmpint (reskill_with_input (&run, "2468\n", "privacy", "notice", "--db", copy, "--employee", "3002",
                                       "--pin-fd", "0", "--confirm", NULL), ==, 0);
  g_assert_nonnull (strstr (run.out, "confirmed version 1 for 3002"));
  g_assert_cmpint (sql_int (copy, "SELECT count(*) FROM notice_confirmations JOIN people ON people.id = person_id"
                                 " WHERE employee_no = '3002'"), ==, 1);
  /* Confirmed: take says nothing; after a change, it points to the notice. */
  g_assert_cmpint (reskill_with_input (&run, "2468\n", "take", "--db", copy, "--skills", "python", "--mode", "quick",
                                       "--employee", "3002", "--pin-fd", "0", "--auto-answer", "correct",
                                       "--max-answers", "1", NULL), ==, 0);
  g_assert_null (strstr (run.err, "privacy notice"));

  g_assert_true (g_file_set_contents (wording, "Questions? The works council, room 4.\n", -1, NULL));
  g_assert_cmpint (reskill (&run, "privacy", "wording", "--db", copy, wording, NULL), ==, 0);
  g_assert_cmpint (reskill (&run, "privacy", "notice", "--db", copy, NULL), ==, 0);
  g_assert_nonnull (strstr (run.out, "From your organization"));
  g_assert_nonnull (strstr (run.out, "The works council, room 4."));
  g_assert_nonnull (strstr (run.out, "Version 2 of this notice"));
  g_assert_cmpint (reskill_with_input (&run, "2468\n", "take", "--db", copy, "--skills", "python", "--mode", "quick",
                                       "--employee", "3002", "--pin-fd", "0", "--auto-answer", "correct",
                                       "--max-answers", "1", NULL), ==, 0);
  g_assert_nonnull (strstr (run.err, "reskill privacy notice"));
  /* Bad wording files: a folder, a missing one, a bad language. */
  g_assert_cmpint (reskill (&run, "privacy", "wording", "--db", copy, tmpdir, NULL), ==, 1);
  assert_one_line (&run, "is a folder");
  g_assert_cmpint (reskill (&run, "privacy", "wording", "--db", copy, "/no/such/file", NULL), ==, 1);
  g_assert_cmpint (reskill (&run, "privacy", "wording", "--db", copy, "--lang", "de;x", wording, NULL), ==, 1);
  assert_one_line (&run, "language code");
  /* An empty file removes the wording. */
  g_assert_true (g_file_set_contents (empty, "", 0, NULL));
  g_assert_cmpint (reskill (&run, "privacy", "wording", "--db", copy, empty, NULL), ==, 0);
  g_assert_nonnull (strstr (run.out, "removed"));
  g_assert_cmpint (reskill (&run, "privacy", "notice", "--db", copy, NULL), ==, 0);
  g_assert_null (strstr (run.out, "works council"));
  run_clear (&run);
}

/* --- practice --- */

static void
test_practice (void)
{
  g_autofree char *copy = copy_db ("practice.db");
  g_autofree char *csv = temp_file ("practice.csv");
  g_autofree char *before = NULL, *after = NULL, *uuid = NULL;
  const char *finished;
  Run run = { 0 };

  report (copy, "csv", csv, &run);
  before = read_text (csv);
  g_assert_cmpint (reskill (&run, "take", "--db", copy, "--skills", "python", "--practice", "--auto-answer",
                            "correct", NULL), ==, 2);
  assert_one_line (&run, "--practice needs --employee");
  g_assert_cmpint (reskill_with_input (&run, "1234\n", "take", "--db", copy, "--skills", "python,statistics",
                                       "--mode", "quick", "--employee", "3001", "--pin-fd", "0", "--practice",
                                       "--auto-answer", "wrong", NULL), ==, 0);
  finished = strstr (run.out, "finished ");
  g_assert_nonnull (finished);
  uuid = g_strndup (finished + 9, 36);
  g_assert_nonnull (strstr (finished, "(practice)"));
  g_assert_cmpint (sql_int (copy, "SELECT count(*) FROM attempts WHERE practice = 1"), ==, 1);

  /* The manager's report is exactly what it was. */
  report (copy, "csv", csv, &run);
  after = read_text (csv);
  g_assert_cmpstr (before, ==, after);

  /* Only the person shares it: not the manager, not with a wrong PIN. */
  g_assert_cmpint (reskill_with_input (&run, "1357\n", "share-practice", "--db", copy, "--employee", "2000",
                                       "--pin-fd", "0", uuid, NULL), ==, 1);
  assert_one_line (&run, "only share your own");
  g_assert_cmpint (reskill_with_input (&run, "0000\n", "share-practice", "--db", copy, "--employee", "3001",
                                       "--pin-fd", "0", uuid, NULL), ==, 1);
  g_assert_cmpint (reskill_with_input (&run, "1234\n", "share-practice", "--db", copy, "--employee", "3001",
                                       "--pin-fd", "0", uuid, NULL), ==, 0);
  g_assert_nonnull (strstr (run.out, "ordinary result"));
  g_assert_cmpint (reskill_with_input (&run, "1234\n", "share-practice", "--db", copy, "--employee", "3001",
                                       "--pin-fd", "0", uuid, NULL), ==, 1);
  assert_one_line (&run, "not a practice assessment");
  report (copy, "csv", csv, &run);
  g_clear_pointer (&after, g_free);
  after = read_text (csv);
  g_assert_cmpstr (before, !=, after);
  run_clear (&run);
}

/* --- who looked --- */

static void
test_who_looked (void)
{
  g_autofree char *copy = copy_db ("looked.db");
  g_autofree char *csv = temp_file ("looked.csv");
  Run run = { 0 };

  g_assert_cmpint (reskill (&run, "who-looked", "--db", copy, "3001", NULL), ==, 0);
  g_assert_nonnull (strstr (run.out, "Nobody else has looked"));
  report (copy, "csv", csv, &run);
  g_assert_cmpint (reskill (&run, "report", "--db", copy, "--team", "Platform", "--format", "csv", "--output", csv,
                            NULL), ==, 0);
  g_assert_cmpint (reskill (&run, "who-looked", "--db", copy, "3001", NULL), ==, 0);
  g_assert_nonnull (strstr (run.out, "(manager): the team report with your results, saved as CSV"));
  g_assert_nonnull (strstr (run.out, "the database's owner, at the terminal: your results in the team report"));
  {
    /* Two reports, each on screen and saved: four lines. */
    g_auto (GStrv) lines = g_strsplit (run.out, "\n", -1);
    g_assert_cmpuint (g_strv_length (lines), ==, 5);
  }
  g_assert_cmpint (reskill_with_input (&run, "0000\n", "who-looked", "--db", copy, "3001", "--sign-in", "--pin-fd",
                                       "0", NULL), ==, 1);
  assert_one_line (&run, "Wrong employee number or PIN");
  g_assert_cmpint (reskill_with_input (&run, "1234\n", "who-looked", "--db", copy, "3001", "--sign-in", "--pin-fd",
                                       "0", NULL), ==, 0);
  g_assert_nonnull (strstr (run.out, "saved as CSV"));
  run_clear (&run);
}

/* --- retention --- */

static void
test_retention (void)
{
  g_autofree char *copy = copy_db ("retention.db");
  gint64 attempts = sql_int (copy, "SELECT count(*) FROM attempts");
  gint64 answers = sql_int (copy, "SELECT count(*) FROM responses");
  gint64 left;
  Run run = { 0 };

  /* The demo's year of history is within 24 months: nothing goes. */
  g_assert_cmpint (reskill (&run, "retention", "--db", copy, NULL), ==, 0);
  g_assert_nonnull (strstr (run.out, "0 attempts with 0 answers deleted"));
  /* One month: most of it would go; a dry run says so and keeps it. */
  g_assert_cmpint (reskill (&run, "privacy", "set", "--db", copy, "--keep-results-months", "1", NULL), ==, 0);
  g_assert_cmpint (reskill (&run, "retention", "--db", copy, "--dry-run", NULL), ==, 0);
  g_assert_nonnull (strstr (run.out, "would be deleted"));
  g_assert_cmpint (sql_int (copy, "SELECT count(*) FROM attempts"), ==, attempts);
  g_assert_cmpint (reskill (&run, "retention", "--db", copy, NULL), ==, 0);
  g_assert_nonnull (strstr (run.out, "kept for calibration, linked to nobody"));
  left = sql_int (copy, "SELECT count(*) FROM attempts");
  g_assert_cmpint (left, <, attempts);
  g_assert_cmpint (sql_int (copy, "SELECT count(*) FROM anonymous_answers")
                   + sql_int (copy, "SELECT count(*) FROM responses"), ==, answers);
  g_assert_cmpint (sql_int (copy, "SELECT count(*) FROM audit WHERE event = 'retention'"), ==, 2);
  /* The log is empty after the run. */
  {
    g_autofree char *wal = g_strconcat (copy, "-wal", NULL);
    GStatBuf st;
    g_assert_true (g_stat (wal, &st) != 0 || st.st_size == 0);
  }
  run_clear (&run);
}

/* --- a person's data, and erasure --- */

/* Z joins Platform through import-people; returns the one-time PIN. */
static char *
add_z (const char *database)
{
  g_autofree char *people = temp_file ("z.csv");
  g_auto (GStrv) words = NULL;
  Run run = { 0 };
  char *pin;

  g_assert_true (g_file_set_contents (people, "employee_no,name,team,role\n" Z_NUMBER "," Z_NAME ",Platform,employee\n",
                                      -1, NULL));
  g_assert_cmpint (reskill (&run, "import-people", "--db", database, people, NULL), ==, 0);
  words = g_strsplit (run.out, " ", 3);
  g_assert_cmpstr (words[0], ==, Z_NUMBER);
  pin = g_strdup (words[1]);
  run_clear (&run);
  return pin;
}

static void
test_export_and_erase (void)
{
  g_autofree char *copy = copy_db ("erase.db");
  g_autofree char *wal = g_strconcat (copy, "-wal", NULL);
  g_autofree char *out = temp_file ("z-data");
  g_autofree char *csv = temp_file ("z.csv");
  g_autofree char *pin = add_z (copy);
  g_autofree char *pin_line = g_strconcat (pin, "\n", NULL);
  g_autofree char *answers = NULL, *json = NULL, *path = NULL;
  Run run = { 0 };

  g_assert_cmpint (reskill_with_input (&run, pin_line, "take", "--db", copy, "--skills", "python", "--mode", "quick",
                                       "--employee", Z_NUMBER, "--pin-fd", "0", "--auto-answer", "correct", NULL), ==, 0);
  g_assert_cmpint (reskill_with_input (&run, pin_line, "privacy", "notice", "--db", copy, "--employee", Z_NUMBER,
                                       "--pin-fd", "0", "--confirm", NULL), ==, 0);
  report (copy, "csv", csv, &run);

  g_assert_cmpint (reskill (&run, "export-person", "--db", copy, Z_NUMBER, "--output", out, NULL), ==, 0);
  g_assert_nonnull (strstr (run.out, "1 attempts"));
  g_assert_nonnull (strstr (run.out, "1 notice confirmations"));
  path = g_build_filename (out, "answers.csv", NULL);
  answers = read_text (path);
  g_assert_true (g_str_has_prefix (answers, "attempt_uuid,seq,item_id,skill,answer,"));
  g_clear_pointer (&path, g_free);
  path = g_build_filename (out, "person.json", NULL);
  json = read_text (path);
  g_assert_nonnull (strstr (json, "\"name\" : \"" Z_NAME "\""));
  g_clear_pointer (&path, g_free);
  path = g_build_filename (out, "README.txt", NULL);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpint (reskill (&run, "export-person", "--db", copy, Z_NUMBER, "--output", out, NULL), ==, 1);
  assert_one_line (&run, "not empty");
  g_assert_cmpint (reskill (&run, "who-looked", "--db", copy, Z_NUMBER, NULL), ==, 0);
  g_assert_nonnull (strstr (run.out, "a copy of all your data"));

  g_assert_cmpint (reskill (&run, "erase-person", "--db", copy, Z_NUMBER, "--dry-run", NULL), ==, 0);
  g_assert_nonnull (strstr (run.out, "Would erase " Z_NUMBER " " Z_NAME ": 1 attempt"));
  g_assert_true (file_holds (copy, Z_NAME) || file_holds (wal, Z_NAME));
  g_assert_cmpint (reskill (&run, "erase-person", "--db", copy, Z_NUMBER, NULL), ==, 0);
  g_assert_nonnull (strstr (run.out, "Erased " Z_NUMBER));
  g_assert_false (file_holds (copy, Z_NAME));
  g_assert_false (file_holds (copy, Z_NUMBER));
  g_assert_false (file_holds (wal, Z_NAME));
  g_assert_false (file_holds (wal, Z_NUMBER));
  g_assert_cmpint (reskill (&run, "erase-person", "--db", copy, Z_NUMBER, NULL), ==, 1);
  g_assert_cmpint (reskill (&run, "erase-person", "--db", copy, "1000", NULL), ==, 1);
  assert_one_line (&run, "last administrator");
  run_clear (&run);
}

/* The erasure travels: B, which trusts A, erases Z too. */
static void
test_erasure_travels (void)
{
  g_autofree char *a = copy_db ("kiosk-a.db");
  g_autofree char *b = temp_file ("kiosk-b.db");
  g_autofree char *bundle = temp_file ("a.bundle");
  g_autofree char *questions = source ("questions", NULL);
  g_autofree char *pin = NULL, *fingerprint = NULL;
  const char *line;
  Run run = { 0 };

  g_assert_cmpint (reskill (&run, "seed-demo", "--db", b, "--questions", questions, "--people", "4",
                            "--attempts-per-person", "1", NULL), ==, 0);
  g_free (add_z (a));
  pin = add_z (b);
  g_assert_cmpint (sql_int (b, "SELECT count(*) FROM people WHERE employee_no = '" Z_NUMBER "'"), ==, 1);
  g_assert_cmpint (reskill (&run, "kiosk", "show-key", "--db", a, NULL), ==, 0);
  line = strstr (run.out, "fingerprint ");
  g_assert_nonnull (line);
  fingerprint = g_strndup (line + 12, strcspn (line + 12, "\n"));
  g_assert_cmpint (reskill (&run, "kiosk", "trust", "--db", b, fingerprint, NULL), ==, 0);

  g_assert_cmpint (reskill (&run, "erase-person", "--db", a, Z_NUMBER, NULL), ==, 0);
  g_assert_cmpint (reskill (&run, "export-results", "--db", a, "--output", bundle, NULL), ==, 0);
  g_assert_cmpint (reskill (&run, "import-results", "--db", b, bundle, NULL), ==, 0);
  g_assert_nonnull (strstr (run.out, "1 erasure applied: 1 person erased here"));
  g_assert_cmpint (sql_int (b, "SELECT count(*) FROM people WHERE employee_no = '" Z_NUMBER "'"), ==, 0);
  g_assert_false (file_holds (b, Z_NAME));
  run_clear (&run);
}

int
main (int argc, char **argv)
{
  g_autofree char *questions = NULL, *roles = NULL;
  Run run = { 0 };
  int status;

  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("reskill-cli-privacy-XXXXXX", NULL);
  db = temp_file ("demo.db");
  questions = source ("questions", NULL);
  roles = source ("data", "roles.yaml");
  g_setenv ("RESKILL_ROLES", roles, TRUE);
  g_setenv ("RESKILL_QUESTIONS_DIR", questions, TRUE);
  if (reskill (&run, "seed-demo", "--db", db, "--questions", questions, "--people", "30",
               "--attempts-per-person", "2", NULL) != 0)
    g_error ("seed-demo failed: %s", run.err);
  run_clear (&run);

  g_test_add_func ("/cli-privacy/help", test_help);
  g_test_add_func ("/cli-privacy/policies", test_policies);
  g_test_add_func ("/cli-privacy/notice", test_notice);
  g_test_add_func ("/cli-privacy/practice", test_practice);
  g_test_add_func ("/cli-privacy/who-looked", test_who_looked);
  g_test_add_func ("/cli-privacy/retention", test_retention);
  g_test_add_func ("/cli-privacy/export-and-erase", test_export_and_erase);
  g_test_add_func ("/cli-privacy/erasure-travels", test_erasure_travels);
  status = g_test_run ();
  {
    /* Leave no files behind, folders of exports included. */
    g_autoptr (GDir) dir = g_dir_open (tmpdir, 0, NULL);
    const char *name;

    while (dir && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *path = g_build_filename (tmpdir, name, NULL);

        if (g_file_test (path, G_FILE_TEST_IS_DIR))
          {
            g_autoptr (GDir) inner = g_dir_open (path, 0, NULL);
            const char *file;

            while (inner && (file = g_dir_read_name (inner)) != NULL)
              {
                g_autofree char *inner_path = g_build_filename (path, file, NULL);
                g_remove (inner_path);
              }
            g_rmdir (path);
          }
        else
          g_remove (path);
      }
    g_rmdir (tmpdir);
  }
  g_free (db);
  return status;
}
