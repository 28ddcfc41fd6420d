/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The administrator's commands as a person uses them, through the real
 * program: import-people prints each new PIN once and a summary, a bad file
 * gets its file:line and changes nothing; item-stats prints a table or CSV;
 * wrong arguments exit with status 2. */
#include <sqlite3.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "rs-test-cli.h"

#include <glib/gstdio.h>

static char *tmpdir;

static char *
fixture (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "fixtures", "people", name, NULL);
}

static char *
temp_file (const char *name)
{
  return g_build_filename (tmpdir, name, NULL);
}

/* Everything in the people tables, as one string, read with SQLite itself. */
static char *
dump_people (const char *db)
{
  sqlite3 *handle = NULL;
  sqlite3_stmt *stmt = NULL;
  char *text;

  g_assert_cmpint (sqlite3_open_v2 (db, &handle, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (handle,
                                       "SELECT (SELECT group_concat(employee_no || name || ifnull(team_id, '-') || role"
                                       " || ifnull(secret_hash, '-'), '|') FROM people)"
                                       " || '#' || (SELECT group_concat(name) FROM teams)"
                                       " || '#' || (SELECT count(*) FROM team_managers)"
                                       " || '#' || (SELECT count(*) FROM audit)", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (handle);
  return text;
}

static void
test_help (void)
{
  Run run = { 0 };

  g_assert_cmpint (reskill (&run, "--help", NULL), ==, 0);
  g_assert_nonnull (strstr (run.out, "import-people"));
  g_assert_nonnull (strstr (run.out, "item-stats"));
  g_assert_cmpint (reskill (&run, "import-people", "--help", NULL), ==, 0);
  g_assert_nonnull (strstr (run.out, "Usage:"));
  g_assert_nonnull (strstr (run.out, "employee_no"));
  g_assert_cmpint (reskill (&run, "item-stats", "--help", NULL), ==, 0);
  g_assert_nonnull (strstr (run.out, "--exposure-cap"));
  run_clear (&run);
}

static void
test_import_people (void)
{
  g_autofree char *db = temp_file ("people.db");
  g_autofree char *good = fixture ("good.csv");
  g_autofree char *bad = fixture ("bad-role.csv");
  g_autofree char *before = NULL, *after = NULL;
  g_autoptr (GRegex) pin_line = g_regex_new ("^E00[1-4] [0-9]{6} ", G_REGEX_MULTILINE, 0, NULL);
  g_autoptr (GMatchInfo) match = NULL;
  int n_pins = 0;
  Run run = { 0 };

  g_assert_cmpint (reskill (&run, "import-people", "--db", db, good, NULL), ==, 0);
  g_assert_true (g_str_has_prefix (run.out, "E001 "));
  g_assert_nonnull (strstr (run.out, " Lovelace, Ada\n"));
  g_assert_nonnull (strstr (run.out, " Grace \"Amazing\" Hopper\n"));
  for (g_regex_match (pin_line, run.out, 0, &match); g_match_info_matches (match); g_match_info_next (match, NULL))
    n_pins++;
  g_assert_cmpint (n_pins, ==, 4);
  g_assert_nonnull (strstr (run.out, "added 4, updated 0, unchanged 0, 2 new teams\n"));
  g_assert_nonnull (strstr (run.err, "shown only this once"));

  /* Again: no PINs, nothing added. */
  g_assert_cmpint (reskill (&run, "import-people", "--db", db, good, NULL), ==, 0);
  g_assert_cmpstr (run.out, ==, "added 0, updated 0, unchanged 4\n");

  /* A bad file: its file:line, exit 1, the database as it was. */
  before = dump_people (db);
  g_assert_cmpint (reskill (&run, "import-people", "--db", db, bad, NULL), ==, 1);
  {
    g_autofree char *expected = g_strdup_printf ("%s:4: unknown role 'boss' (use employee, manager or admin)\n", bad);
    g_assert_cmpstr (run.err, ==, expected);
  }
  g_assert_cmpstr (run.out, ==, "");
  after = dump_people (db);
  g_assert_cmpstr (after, ==, before);

  /* Wrong command lines. */
  g_assert_cmpint (reskill (&run, "import-people", good, NULL), ==, 2);
  g_assert_nonnull (strstr (run.err, "give --db FILE or --server CONNINFO"));
  g_assert_cmpint (reskill (&run, "import-people", "--db", db, NULL), ==, 2);
  g_assert_cmpint (reskill (&run, "import-people", "--db", db, good, bad, NULL), ==, 2);
  g_assert_cmpint (reskill (&run, "import-people", "--db", db, "--frob", good, NULL), ==, 2);
  g_assert_cmpint (reskill (&run, "import-people", "--db", db, "/no/such.csv", NULL), ==, 1);
  g_assert_nonnull (strstr (run.err, "/no/such.csv"));
  run_clear (&run);
}

static void
test_item_stats (void)
{
  g_autofree char *db = temp_file ("stats.db");
  g_autofree char *missing = temp_file ("missing.db");
  g_autofree char *questions = g_build_filename (g_getenv ("RESKILL_SOURCE_ROOT"), "tests", "fixtures",
                                                 "good-bank", NULL);
  g_auto (GStrv) lines = NULL;
  Run run = { 0 };

  g_assert_cmpint (reskill (&run, "seed-demo", "--db", db, "--questions", questions, "--people", "4",
                            "--attempts-per-person", "2", NULL), ==, 0);

  g_assert_cmpint (reskill (&run, "item-stats", "--db", db, NULL), ==, 0);
  g_assert_true (g_str_has_prefix (run.out, "item"));
  g_assert_nonnull (strstr (run.out, "facility"));
  g_assert_nonnull (strstr (run.out, "items answered:"));
  /* Few attempts: everything is "too few responses", or flagged. */
  g_assert_nonnull (strstr (run.out, "too few responses"));

  /* Per skill: the largest exposure and the share of the bank shown. */
  g_assert_cmpint (reskill (&run, "item-stats", "--db", db, "--questions", questions, NULL), ==, 0);
  g_assert_true (g_regex_match_simple ("\npython: [0-9]+ attempts, maximum exposure [01][.][0-9]{3} [(][a-z0-9._-]+[)], "
                                       "[0-9]+ of [0-9]+ bank items used [(][0-9]+%[)]\n", run.out, 0, 0));
  g_assert_cmpint (reskill (&run, "item-stats", "--db", db, "--questions", "/no/such/bank", NULL), ==, 1);
  g_assert_nonnull (strstr (run.err, "/no/such/bank"));

  g_assert_cmpint (reskill (&run, "item-stats", "--db", db, "--csv", "--min-responses", "2", "--exposure-cap",
                            "0.5", NULL), ==, 0);
  lines = g_strsplit (run.out, "\n", -1);
  g_assert_cmpstr (lines[0], ==, "item_id,skill,shown,attempts,facility,discrimination,discrimination_n,"
                                 "mean_time_ms,exposure,flags,reasons");
  g_assert_nonnull (lines[1]);
  g_assert_cmpuint (g_strv_length (lines), >, 2);
  for (guint i = 1; lines[i] != NULL && lines[i][0] != '\0'; i++)
    g_assert_true (g_regex_match_simple ("^[a-z0-9._-]+,(python|statistics|ml|empathy),[0-9]+,[0-9]+,[0-9.]+,"
                                         "(-?[0-9.]+)?,[0-9]+,[0-9]+,[0-9.]+,", lines[i], 0, 0));

  /* Bad arguments: status 2; a missing database is not created. */
  g_assert_cmpint (reskill (&run, "item-stats", NULL), ==, 2);
  g_assert_nonnull (strstr (run.err, "give --db FILE or --server CONNINFO"));
  g_assert_cmpint (reskill (&run, "item-stats", "--db", db, "--exposure-cap", "2", NULL), ==, 2);
  g_assert_cmpint (reskill (&run, "item-stats", "--db", db, "--exposure-cap", "lots", NULL), ==, 2);
  g_assert_cmpint (reskill (&run, "item-stats", "--db", db, "extra", NULL), ==, 2);
  g_assert_cmpint (reskill (&run, "item-stats", "--db", missing, NULL), ==, 1);
  g_assert_nonnull (strstr (run.err, "no such file"));
  g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
  run_clear (&run);
}


/* A people file without an administrator (issue 10): refused, or with
 * --allow-no-admin imported with a warning; then the first administrator
 * only with a set-up code printed here. And the other terminal commands:
 * unlock, check. */
static void
test_no_admin (void)
{
  g_autofree char *db = temp_file ("no-admin.db");
  g_autofree char *csv = temp_file ("no-admin.csv");
  g_autofree char *missing = temp_file ("missing.db");
  g_autofree char *before = NULL, *after = NULL;
  Run run = { 0 };

  g_assert_true (g_file_set_contents (csv, "employee_no,name,team,role\n10,Mia,Ops,manager\n11,Noor,Ops,employee\n",
                                      -1, NULL));
  g_assert_cmpint (reskill (&run, "import-people", "--db", db, csv, NULL), ==, 1);
  g_assert_nonnull (strstr (run.err, "no active administrator"));
  g_assert_nonnull (strstr (run.err, "--allow-no-admin"));
  before = dump_people (db);
  g_assert_null (before);   /* nobody was added: no people to concatenate */

  g_assert_cmpint (reskill (&run, "import-people", "--db", db, "--allow-no-admin", csv, NULL), ==, 0);
  g_assert_nonnull (strstr (run.err, "Warning:"));
  g_assert_nonnull (strstr (run.err, "reskill setup-code --db"));

  g_assert_cmpint (reskill (&run, "setup-code", "--db", db, NULL), ==, 0);
  {
    g_autoptr (GRegex) code = g_regex_new ("^set-up code [0-9]{4}-[0-9]{4} ", G_REGEX_MULTILINE, 0, NULL);
    g_assert_true (g_regex_match (code, run.out, 0, NULL));
  }

  g_assert_cmpint (reskill (&run, "unlock", "--db", db, "11", NULL), ==, 0);
  g_assert_nonnull (strstr (run.out, "11: was not locked"));
  g_assert_cmpint (reskill (&run, "unlock", "--db", db, NULL), ==, 2);
  g_assert_cmpint (reskill (&run, "check", "--db", db, NULL), ==, 0);
  g_assert_nonnull (strstr (run.out, ": ok (schema version"));
  after = dump_people (db);
  g_assert_cmpint (reskill (&run, "check", "--db", missing, NULL), ==, 1);
  g_assert_nonnull (strstr (run.err, "no such database"));
  for (const char *const *cmd = (const char *const[]) { "kiosk", "setup-code", "unlock", "check", NULL }; *cmd; cmd++)
    {
      g_assert_cmpint (reskill (&run, *cmd, "--help", NULL), ==, 0);
      g_assert_nonnull (strstr (run.out, "--db"));
    }
  g_assert_cmpint (reskill (&run, "--help", NULL), ==, 0);
  for (const char *const *cmd = (const char *const[]) { "kiosk", "setup-code", "unlock", "check", NULL }; *cmd; cmd++)
    g_assert_nonnull (strstr (run.out, *cmd));
  run_clear (&run);
}

/* The installed program hashes at full cost whatever the environment says;
 * only test builds honour RESKILL_FAST_KDF. */
static void
test_product_kdf (void)
{
  g_autofree char *db = temp_file ("kdf.db");
  g_autofree char *fast_db = temp_file ("kdf-fast.db");
  g_autofree char *good = fixture ("good.csv");
  const char *product = g_getenv ("RESKILL_PRODUCT_BIN");
  const char *argv[] = { product, "import-people", "--db", db, good, NULL };
  g_autoptr (GError) error = NULL;
  g_autofree char *people = NULL;
  Run run = { 0 };
  int status = 0;

  g_assert_nonnull (product);
  g_assert_cmpstr (g_getenv ("RESKILL_FAST_KDF"), ==, "1");
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                               NULL, NULL, NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  people = dump_people (db);
  /* libsodium's interactive cost: 64 MiB; the minimum is 8 KiB. */
  g_assert_nonnull (strstr (people, "$argon2id$v=19$m=65536,"));
  g_assert_null (strstr (people, "$m=8,"));
  g_clear_pointer (&people, g_free);
  g_assert_cmpint (reskill (&run, "import-people", "--db", fast_db, good, NULL), ==, 0);
  people = dump_people (fast_db);
  g_assert_nonnull (strstr (people, "$argon2id$v=19$m=8,"));
  run_clear (&run);
}

/* A FIFO named like a people file is refused, not waited on. */
static void
test_people_fifo (void)
{
  g_autofree char *db = temp_file ("fifo.db");
  g_autofree char *fifo = temp_file ("people.csv");
  Run run = { 0 };

  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  g_assert_cmpint (reskill (&run, "import-people", "--db", db, fifo, NULL), ==, 1);
  g_assert_nonnull (strstr (run.err, "named pipe"));
  g_assert_cmpint (g_remove (fifo), ==, 0);
  run_clear (&run);
}

/* Reads a database file whole, after moving what its write-ahead log holds
 * into it (the log is then empty, and the program's own open and close
 * leave it so). */
static GBytes *
db_bytes (const char *db)
{
  sqlite3 *handle = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_assert_cmpint (sqlite3_open (db, &handle), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (handle, "PRAGMA wal_checkpoint (TRUNCATE)", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_close (handle), ==, SQLITE_OK);
  g_assert_true (g_file_get_contents (db, &contents, &length, NULL));
  return g_bytes_new_take (g_steal_pointer (&contents), length);
}

/* The database fails partway through `import-people` (a trigger raises on
 * the third new person): exit 1 with SQLite's reason, not one PIN printed,
 * and the database file byte for byte as it was. */
static void
test_import_fails_partway (void)
{
  g_autofree char *db = temp_file ("partway.db");
  g_autofree char *more = temp_file ("more.csv");
  g_autofree char *good = fixture ("good.csv");
  g_autoptr (GBytes) before = NULL, after = NULL;
  sqlite3 *handle = NULL;
  Run run = { 0 };

  g_assert_cmpint (reskill (&run, "import-people", "--db", db, good, NULL), ==, 0);
  g_assert_true (g_file_set_contents (more, "employee_no,name,team,role\nN1,Nell,Ops,employee\n"
                                      "N2,Ned,Ops,employee\nN3,Nina,Ops,employee\nN4,Noor,,employee\n", -1, NULL));
  g_assert_cmpint (sqlite3_open (db, &handle), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (handle, "CREATE TRIGGER fail_third BEFORE INSERT ON people"
                                 " WHEN (SELECT count(*) FROM people) >= 6"
                                 " BEGIN SELECT RAISE (ABORT, 'the disk gave up'); END", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_close (handle), ==, SQLITE_OK);
  before = db_bytes (db);

  g_assert_cmpint (reskill (&run, "import-people", "--db", db, more, NULL), ==, 1);
  g_test_message ("%s", run.err);
  g_assert_nonnull (strstr (run.err, "the disk gave up"));
  g_assert_cmpstr (run.out, ==, "");
  g_assert_null (strstr (run.err, "PIN"));
  after = db_bytes (db);
  g_assert_true (g_bytes_equal (before, after));
  run_clear (&run);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("reskill-cli-admin-XXXXXX", NULL);
  g_test_add_func ("/cli-admin/help", test_help);
  g_test_add_func ("/cli-admin/import-people", test_import_people);
  g_test_add_func ("/cli-admin/item-stats", test_item_stats);
  g_test_add_func ("/cli-admin/no-admin", test_no_admin);
  g_test_add_func ("/cli-admin/product-kdf", test_product_kdf);
  g_test_add_func ("/cli-admin/people-fifo", test_people_fifo);
  g_test_add_func ("/cli-admin/import-fails-partway", test_import_fails_partway);
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
  g_free (tmpdir);
  return status;
}
