/* SPDX-License-Identifier: GPL-3.0-or-later */
/* export-results, import-results and kiosk through the real program: two
 * demo databases (the same employee numbers, different attempts) trust each
 * other, one by typed fingerprint and one by key file, swap bundles and end
 * with the same results; a refused file gets one clear line and exit 1
 * while the other bundles still go in; a kiosk not trusted, or revoked, is
 * refused and named; bad arguments exit 2. */
#include <glib/gstdio.h>
#include <stdarg.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/wait.h>

#include "rs-test-cli.h"

static char *tmpdir;

static char *
temp_path (const char *name)
{
  return g_build_filename (tmpdir, name, NULL);
}

static gboolean
contains (const char *text, const char *words)
{
  return text != NULL && strstr (text, words) != NULL;
}

/* Attempts (people by number), answers and results, in a fixed order. */
static char *
dump (const char *path)
{
  static const char *const queries[] = {
    "SELECT a.uuid, p.employee_no, a.mode, a.skills, a.seed, a.kiosk_id, a.status, a.started_at, a.finished_at"
    " FROM attempts AS a LEFT JOIN people AS p ON p.id = a.person_id ORDER BY a.uuid",
    "SELECT attempt_id, seq, item_id, answer, score, theta, se, answered_at FROM responses ORDER BY attempt_id, seq",
    "SELECT attempt_id, skill, theta, se, n_items, level FROM results ORDER BY attempt_id, skill",
  };
  GString *out = g_string_new (NULL);
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  for (gsize q = 0; q < G_N_ELEMENTS (queries); q++)
    {
      sqlite3_stmt *stmt = NULL;

      g_assert_cmpint (sqlite3_prepare_v2 (db, queries[q], -1, &stmt, NULL), ==, SQLITE_OK);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          for (int c = 0; c < sqlite3_column_count (stmt); c++)
            g_string_append_printf (out, "|%s", sqlite3_column_type (stmt, c) == SQLITE_NULL
                                                ? "NULL" : (const char *) sqlite3_column_text (stmt, c));
          g_string_append_c (out, '\n');
        }
      sqlite3_finalize (stmt);
    }
  sqlite3_close (db);
  return g_string_free (out, FALSE);
}

static int
count_attempts (const char *path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  int n;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count(*) FROM attempts", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n;
}

static char *
questions (void)
{
  return g_build_filename (g_getenv ("RESKILL_SOURCE_ROOT"), "tests", "fixtures", "good-bank", NULL);
}

static void
seed_demo (const char *db, const char *seed)
{
  g_autofree char *bank = questions ();
  Run run = { 0 };

  g_assert_cmpint (reskill (&run, "seed-demo", "--db", db, "--questions", bank, "--people", "4",
                            "--attempts-per-person", "2", "--seed", seed, NULL), ==, 0);
  run_clear (&run);
}

/* What `kiosk show-key` prints after "fingerprint ". */
static char *
fingerprint_of (const char *db)
{
  Run run = { 0 };
  const char *line;
  char *fingerprint;

  g_assert_cmpint (reskill (&run, "kiosk", "show-key", "--db", db, NULL), ==, 0);
  line = strstr (run.out, "fingerprint ");
  g_assert_true (line != NULL);
  fingerprint = g_strndup (line + 12, strcspn (line + 12, "\n"));
  g_assert_cmpuint (strlen (fingerprint), ==, 39);
  run_clear (&run);
  return fingerprint;
}

/* receiver trusts sender: by its key file, or by the fingerprint typed. */
static void
trust (const char *receiver, const char *sender, gboolean by_file)
{
  g_autofree char *fingerprint = fingerprint_of (sender);
  g_autofree char *key_file = g_strconcat (sender, ".pub", NULL);
  Run run = { 0 };

  if (by_file)
    {
      g_assert_cmpint (reskill (&run, "kiosk", "show-key", "--db", sender, "--output", key_file, NULL), ==, 0);
      g_assert_cmpint (reskill (&run, "kiosk", "trust", "--db", receiver, key_file, "--name", "Sender", NULL), ==, 0);
    }
  else
    g_assert_cmpint (reskill (&run, "kiosk", "trust", "--db", receiver, fingerprint, NULL), ==, 0);
  g_assert_true (contains (run.out, fingerprint));
  g_assert_cmpint (reskill (&run, "kiosk", "list", "--db", receiver, NULL), ==, 0);
  g_assert_true (contains (run.out, fingerprint));
  run_clear (&run);
}

static int
import (Run *run, const char *db, ...) G_GNUC_NULL_TERMINATED;

/* import-results against the bank the demos were seeded with. */
static int
import (Run *run, const char *db, ...)
{
  g_autofree char *bank = questions ();
  g_autoptr (GPtrArray) args = g_ptr_array_new ();
  g_autofree char *command = NULL;
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr (GError) error = NULL;
  const char *bin = g_getenv ("RESKILL_BIN");
  const char *arg;
  va_list list;
  int status = -1;

  g_ptr_array_add (args, (char *) bin);
  g_ptr_array_add (args, "import-results");
  g_ptr_array_add (args, "--db");
  g_ptr_array_add (args, (char *) db);
  g_ptr_array_add (args, "--questions");
  g_ptr_array_add (args, bank);
  va_start (list, db);
  while ((arg = va_arg (list, const char *)) != NULL)
    g_ptr_array_add (args, (char *) arg);
  va_end (list);
  g_ptr_array_add (args, NULL);
  run_clear (run);
  g_assert_true (g_spawn_sync (NULL, (char **) args->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &run->out, &run->err,
                               &status, &error));
  g_assert_no_error (error);
  run->status = WIFEXITED (status) ? WEXITSTATUS (status) : -1;
  return run->status;
}

static void
test_round_trip (void)
{
  g_autofree char *a = temp_path ("a.db"), *b = temp_path ("b.db");
  g_autofree char *a_bundle = temp_path ("a.bundle"), *b_bundle = temp_path ("b.bundle");
  g_autofree char *later = temp_path ("later.bundle");
  g_autofree char *expected = NULL, *token = NULL, *on_a = NULL, *on_b = NULL, *again = NULL;
  const char *since;
  Run run = { 0 };

  seed_demo (a, "1");
  seed_demo (b, "2");
  g_assert_cmpint (count_attempts (a), ==, 8);
  trust (b, a, TRUE);
  trust (a, b, FALSE);

  g_assert_cmpint (reskill (&run, "export-results", "--db", a, "--output", a_bundle, NULL), ==, 0);
  expected = g_strdup_printf ("%s: 8 attempts, ", a_bundle);
  g_assert_true (contains (run.out, expected));
  g_assert_true (contains (run.out, "sha256 "));
  since = strstr (run.out, "--since ");
  g_assert_true (since != NULL);
  token = g_strndup (since + 8, strcspn (since + 8, "\n"));

  g_assert_cmpint (import (&run, b, a_bundle, NULL), ==, 0);
  g_clear_pointer (&expected, g_free);
  expected = g_strdup_printf ("%s: 8 attempts added, 0 updated, 0 already here; ", a_bundle);
  g_assert_true (contains (run.out, expected));

  /* B sends back its own eight, not the eight it just received. */
  g_assert_cmpint (reskill (&run, "export-results", "--db", b, "--output", b_bundle, NULL), ==, 0);
  g_clear_pointer (&expected, g_free);
  expected = g_strdup_printf ("%s: 8 attempts, ", b_bundle);
  g_assert_true (contains (run.out, expected));
  g_assert_cmpint (import (&run, a, b_bundle, NULL), ==, 0);

  g_assert_cmpint (count_attempts (a), ==, 16);
  on_a = dump (a);
  on_b = dump (b);
  g_assert_cmpstr (on_a, ==, on_b);

  /* Both again, in one command: nothing changes. */
  g_assert_cmpint (import (&run, a, b_bundle, a_bundle, NULL), ==, 0);
  g_clear_pointer (&expected, g_free);
  expected = g_strdup_printf ("%s: 0 attempts added, 0 updated, 8 already here; 0 answers added\n", b_bundle);
  g_assert_true (contains (run.out, expected));
  again = dump (a);
  g_assert_cmpstr (again, ==, on_a);

  /* Since the last export, nothing new was made on A. */
  g_assert_cmpint (reskill (&run, "export-results", "--db", a, "--output", later, "--since", token, NULL), ==, 0);
  g_clear_pointer (&expected, g_free);
  expected = g_strdup_printf ("%s: 0 attempts, ", later);
  g_assert_true (contains (run.out, expected));

  /* An existing bundle is kept unless --force. */
  g_assert_cmpint (reskill (&run, "export-results", "--db", a, "--output", later, NULL), ==, 1);
  g_assert_true (contains (run.err, "already exists"));
  g_assert_cmpint (reskill (&run, "export-results", "--db", a, "--output", later, "--all", "--force", NULL), ==, 0);
  g_clear_pointer (&expected, g_free);
  expected = g_strdup_printf ("%s: 16 attempts, ", later);
  g_assert_true (contains (run.out, expected));
  run_clear (&run);
}

static void
test_refused (void)
{
  g_autofree char *db = temp_path ("refuse.db"), *good = temp_path ("good.bundle");
  g_autofree char *junk = temp_path ("junk.bundle"), *before = NULL, *after = NULL, *expected = NULL;
  g_autofree char *source = temp_path ("source.db");
  Run run = { 0 };

  seed_demo (db, "3");
  seed_demo (source, "4");
  trust (db, source, TRUE);
  g_assert_cmpint (reskill (&run, "export-results", "--db", source, "--output", good, NULL), ==, 0);
  g_assert_true (g_file_set_contents (junk, "PK\003\004 this is a zip file, or a photo, or anything else", -1, NULL));
  before = dump (db);

  /* The refused file says why; the good one after it still goes in. */
  g_assert_cmpint (import (&run, db, junk, good, NULL), ==, 1);
  g_clear_pointer (&expected, g_free);
  expected = g_strdup_printf ("reskill import-results: %s: not a Reskill results bundle", junk);
  g_assert_true (contains (run.err, expected));
  g_clear_pointer (&expected, g_free);
  expected = g_strdup_printf ("%s: 8 attempts added", good);
  g_assert_true (contains (run.out, expected));
  g_assert_false (contains (run.out, junk));
  after = dump (db);
  g_assert_cmpstr (before, !=, after);

  g_clear_pointer (&before, g_free);
  before = g_strdup (after);
  g_assert_cmpint (import (&run, db, junk, NULL), ==, 1);
  g_clear_pointer (&after, g_free);
  after = dump (db);
  g_assert_cmpstr (before, ==, after);
  run_clear (&run);
}

/* A kiosk nobody trusts, then one that is revoked: refused, named, and
 * nothing changes. */
static void
test_untrusted (void)
{
  g_autofree char *db = temp_path ("home.db"), *stranger = temp_path ("stranger.db");
  g_autofree char *bundle = temp_path ("stranger.bundle"), *before = NULL, *after = NULL, *fingerprint = NULL;
  Run run = { 0 };

  seed_demo (db, "5");
  seed_demo (stranger, "6");
  fingerprint = fingerprint_of (stranger);
  g_assert_cmpint (reskill (&run, "export-results", "--db", stranger, "--output", bundle, NULL), ==, 0);
  before = dump (db);
  g_assert_cmpint (import (&run, db, bundle, NULL), ==, 1);
  g_assert_true (contains (run.err, "does not trust"));
  g_assert_true (contains (run.err, fingerprint));
  after = dump (db);
  g_assert_cmpstr (before, ==, after);

  trust (db, stranger, FALSE);
  g_assert_cmpint (reskill (&run, "kiosk", "revoke", "--db", db, fingerprint, NULL), ==, 0);
  g_assert_true (contains (run.out, "revoked"));
  g_assert_cmpint (import (&run, db, bundle, NULL), ==, 1);
  g_assert_true (contains (run.err, "revoked"));
  g_clear_pointer (&after, g_free);
  after = dump (db);
  g_assert_cmpstr (before, ==, after);

  /* Bad uses of the kiosk command. */
  g_assert_cmpint (reskill (&run, "kiosk", "trust", "--db", db, "not-a-fingerprint", NULL), ==, 1);
  g_assert_true (contains (run.err, "neither a kiosk fingerprint"));
  g_assert_cmpint (reskill (&run, "kiosk", "revoke", "--db", db, "Nobody", NULL), ==, 1);
  g_assert_true (contains (run.err, "No trusted kiosk"));
  g_assert_cmpint (reskill (&run, "kiosk", "fly", "--db", db, NULL), ==, 2);
  g_assert_cmpint (reskill (&run, "kiosk", "trust", "--db", db, NULL), ==, 2);
  g_assert_cmpint (reskill (&run, "kiosk", "--help", NULL), ==, 0);
  g_assert_true (contains (run.out, "show-key"));
  run_clear (&run);
}

static void
test_bad_arguments (void)
{
  g_autofree char *db = temp_path ("args.db"), *missing = temp_path ("missing.db");
  g_autofree char *out = temp_path ("args.bundle");
  Run run = { 0 };

  for (const char *const *cmd = (const char *const[]) { "export-results", "import-results", NULL }; *cmd; cmd++)
    {
      g_assert_cmpint (reskill (&run, *cmd, "--help", NULL), ==, 0);
      g_assert_true (contains (run.out, "Usage:"));
      g_assert_true (contains (run.out, "--db"));
      g_assert_cmpint (reskill (&run, *cmd, "--no-such-option", NULL), ==, 2);
      g_assert_true (contains (run.err, "Unknown option --no-such-option"));
    }
  g_assert_cmpint (reskill (&run, "--help", NULL), ==, 0);
  g_assert_true (contains (run.out, "export-results"));
  g_assert_true (contains (run.out, "import-results"));

  g_assert_cmpint (reskill (&run, "export-results", "--output", out, NULL), ==, 2);
  g_assert_true (contains (run.err, "--db FILE is required"));
  g_assert_cmpint (reskill (&run, "export-results", "--db", db, NULL), ==, 2);
  g_assert_true (contains (run.err, "--output BUNDLE is required"));
  g_assert_cmpint (reskill (&run, "export-results", "--db", db, "--output", out, "--since", "yesterday", NULL), ==, 2);
  g_assert_true (contains (run.err, "\"yesterday\" is not a date"));
  g_assert_cmpint (reskill (&run, "export-results", "--db", db, "--output", out, "extra", NULL), ==, 2);
  g_assert_cmpint (reskill (&run, "import-results", "--db", db, NULL), ==, 2);
  g_assert_true (contains (run.err, "at least one BUNDLE"));
  g_assert_cmpint (reskill (&run, "import-results", out, NULL), ==, 2);

  /* A database that is not there is not created. */
  g_assert_cmpint (reskill (&run, "export-results", "--db", missing, "--output", out, NULL), ==, 1);
  g_assert_true (contains (run.err, "no such database"));
  g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  run_clear (&run);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("reskill-cli-exchange-XXXXXX", NULL);
  g_test_add_func ("/cli-exchange/round-trip", test_round_trip);
  g_test_add_func ("/cli-exchange/refused", test_refused);
  g_test_add_func ("/cli-exchange/untrusted", test_untrusted);
  g_test_add_func ("/cli-exchange/bad-arguments", test_bad_arguments);
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
