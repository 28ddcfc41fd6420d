/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of the store: opening and migrating, refusing files it must not
 * touch (and leaving them byte for byte as they were), people and sign-in
 * with its lock, and attempts from the first answer to the results.
 *
 * Every test works in its own temporary folder, with the store's clock
 * replaced so that locks expire instantly and timestamps are known. */
#include <errno.h>
#include <grp.h>
#include <math.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "rs-error.h"
#include "rs-store.h"

#define START_TIME G_GINT64_CONSTANT (1700000000000000)
#define SECRET "Zq7-secret-4411"

typedef struct {
  char *dir;
  char *path;
} Fixture;

static gint64 fake_now;

static gint64
fake_clock (void)
{
  return fake_now;
}

static void
remove_tree (const char *path)
{
  g_autoptr (GDir) dir = NULL;
  const char *name;

  /* The read-only tests leave folders without write permission. */
  g_chmod (path, 0700);
  dir = g_dir_open (path, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_assert_cmpint (g_unlink (child), ==, 0);
    }
  g_assert_cmpint (g_rmdir (path), ==, 0);
}

static char *
make_tmp_dir (void)
{
  g_autoptr (GError) error = NULL;
  char *dir = g_dir_make_tmp ("reskill-store-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static void
fixture_setup (Fixture *f, gconstpointer data G_GNUC_UNUSED)
{
  f->dir = make_tmp_dir ();
  f->path = g_build_filename (f->dir, "reskill.db", NULL);
  fake_now = START_TIME;
  rs_store_set_clock (fake_clock);
}

static void
fixture_teardown (Fixture *f, gconstpointer data G_GNUC_UNUSED)
{
  rs_store_set_clock (NULL);
  if (g_getenv ("RESKILL_BUSY_TIMEOUT_MS") != NULL)
    g_unsetenv ("RESKILL_BUSY_TIMEOUT_MS");
  remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

/* --- helpers --- */

static RsStore *
open_store (const char *path)
{
  g_autoptr (GError) error = NULL;
  RsStore *store = rs_store_open (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (store);
  return store;
}

static sqlite3 *
raw_open (const char *path)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL), ==, SQLITE_OK);
  return db;
}

static void
raw_exec (sqlite3 *db, const char *sql)
{
  char *message = NULL;
  int rc = sqlite3_exec (db, sql, NULL, NULL, &message);

  g_assert_cmpstr (message, ==, NULL);
  g_assert_cmpint (rc, ==, SQLITE_OK);
}

static sqlite3_stmt *
raw_row (sqlite3 *db, const char *sql)
{
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return stmt;
}

static gint64
sql_int (sqlite3 *db, const char *sql)
{
  sqlite3_stmt *stmt = raw_row (db, sql);
  gint64 value = sqlite3_column_int64 (stmt, 0);

  sqlite3_finalize (stmt);
  return value;
}

static char *
sql_text (sqlite3 *db, const char *sql)
{
  sqlite3_stmt *stmt = raw_row (db, sql);
  char *value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));

  sqlite3_finalize (stmt);
  return value;
}

/* Every row of a query, one line each: to compare whole schemas. */
static char *
sql_dump (sqlite3 *db, const char *sql)
{
  GString *out = g_string_new (NULL);
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      for (int c = 0; c < sqlite3_column_count (stmt); c++)
        g_string_append_printf (out, "%s|", (const char *) sqlite3_column_text (stmt, c));
      g_string_append_c (out, '\n');
    }
  sqlite3_finalize (stmt);
  return g_string_free (out, FALSE);
}

static GBytes *
read_bytes (const char *path)
{
  g_autoptr (GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, length);
}

static void
write_bytes (const char *path, const void *data, gsize length)
{
  g_autoptr (GError) error = NULL;

  g_file_set_contents (path, data, (gssize) length, &error);
  g_assert_no_error (error);
}

static void
assert_unchanged (const char *path, GBytes *before)
{
  g_autoptr (GBytes) after = read_bytes (path);

  g_assert_cmpmem (g_bytes_get_data (before, NULL), g_bytes_get_size (before),
                   g_bytes_get_data (after, NULL), g_bytes_get_size (after));
}

static void
assert_open_fails (const char *path, int code)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RsStore) store = rs_store_open (path, &error);

  g_assert_null (store);
  g_assert_error (error, RS_ERROR, code);
  /* The message says which file, so a person knows what to fix. */
  g_assert_nonnull (strstr (error->message, path));
}

static gboolean
contains_bytes (GBytes *haystack, const char *needle)
{
  gsize size = 0, n = strlen (needle);
  const guchar *data = g_bytes_get_data (haystack, &size);

  for (gsize i = 0; i + n <= size; i++)
    if (memcmp (data + i, needle, n) == 0)
      return TRUE;
  return FALSE;
}

static int
file_mode (const char *path)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  return st.st_mode & 0777;
}

static void
load_v1_fixture (const char *path)
{
  g_autofree char *sql = NULL;
  g_autoptr (GError) error = NULL;
  const char *fixture = g_test_get_filename (G_TEST_DIST, "fixtures", "schema-v1.sql", NULL);
  sqlite3 *db;

  g_file_get_contents (fixture, &sql, NULL, &error);
  g_assert_no_error (error);
  db = raw_open (path);
  raw_exec (db, sql);
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);
}

static gint64
add_person (RsStore *store, const char *number, const char *team, RsPersonRole role, const char *secret)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *name = g_strdup_printf ("Person %s", number);
  gint64 id = 0;
  gboolean ok = rs_store_add_person (store, number, name, team, role, secret, &id, &error);

  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_cmpint (id, >, 0);
  return id;
}

static RsAttempt *
begin_attempt (RsStore *store, gint64 person_id)
{
  g_autoptr (GError) error = NULL;
  RsAttempt *attempt = rs_attempt_new ();
  gboolean ok;

  attempt->person_id = person_id;
  attempt->mode = RS_MODE_STANDARD;
  attempt->n_skills = 2;
  attempt->skills[0] = RS_SKILL_STATISTICS;
  attempt->skills[1] = RS_SKILL_PYTHON;
  attempt->self_level[RS_SKILL_PYTHON] = RS_LEVEL_ADVANCED;
  attempt->seed = 4000000000u;
  attempt->bank_version = g_strdup ("bank-test");
  attempt->pending_item_id = g_strdup ("st-000");
  ok = rs_store_begin_attempt (store, attempt, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  return attempt;
}

static RsResponse
make_response (int seq)
{
  static char item_id[32];
  RsResponse response = {
    .seq = seq,
    .item_id = item_id,
    .skill = RS_SKILL_STATISTICS,
    .answer = (char *) "2",
    .score = seq % 2,
    .max_score = 1,
    .theta = 0.25 * seq,
    .se = 1.0 / seq,
    .time_ms = 1000 * seq,
    .answered_at = 0,
  };

  g_snprintf (item_id, sizeof item_id, "st-%03d", seq);
  return response;
}

static gboolean
record (RsStore *store, const char *uuid, int seq, const char *next_item_id, GError **error)
{
  RsResponse response = make_response (seq);

  return rs_store_record_answer (store, uuid, &response, next_item_id, error);
}

static void
record_ok (RsStore *store, const char *uuid, int seq, const char *next_item_id)
{
  g_autoptr (GError) error = NULL;
  gboolean ok = record (store, uuid, seq, next_item_id, &error);

  g_assert_no_error (error);
  g_assert_true (ok);
}

static gint64
n_responses (RsStore *store)
{
  return sql_int (rs_store_get_db (store), "SELECT count(*) FROM responses");
}

/* --- opening --- */

static void
test_create_reopen (Fixture *f, gconstpointer data G_GNUC_UNUSED)
{
  g_autofree char *kiosk_id = NULL;
  g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (f->path, "-shm", NULL);
  RsStore *store;
  mode_t old_umask;

  /* Even with a careless umask the file is the owner's only. */
  old_umask = umask (0);
  store = open_store (f->path);
  umask (old_umask);
  g_assert_cmpint (rs_store_schema_version (store), ==, RS_STORE_SCHEMA_VERSION);
  g_assert_true (g_uuid_string_is_valid (rs_store_kiosk_id (store)));
  kiosk_id = g_strdup (rs_store_kiosk_id (store));
  g_assert_cmpint (file_mode (f->path), ==, 0600);
  add_person (store, "E1", NULL, RS_PERSON_EMPLOYEE, NULL);
  g_assert_true (g_file_test (wal, G_FILE_TEST_EXISTS));
  g_assert_cmpint (file_mode (wal), ==, 0600);
  g_assert_cmpint (file_mode (shm), ==, 0600);
  rs_store_close (store);

  store = open_store (f->path);
  g_assert_cmpint (rs_store_schema_version (store), ==, RS_STORE_SCHEMA_VERSION);
  g_assert_cmpstr (rs_store_kiosk_id (store), ==, kiosk_id);
  g_assert_cmpint (sql_int (rs_store_get_db (store), "SELECT count(*) FROM people"), ==, 1);
  rs_store_close (store);
  g_assert_cmpint (file_mode (f->path), ==, 0600);
}

static void
test_pragmas (Fixture *f, gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr (RsStore) store = open_store (f->path);
  g_autoptr (RsStore) quick = NULL;
  g_autofree char *journal_mode = NULL;
  g_autofree char *other = g_build_filename (f->dir, "other.db", NULL);
  sqlite3 *db = rs_store_get_db (store);

  journal_mode = sql_text (db, "PRAGMA journal_mode");
  g_assert_cmpstr (journal_mode, ==, "wal");
  g_assert_cmpint (sql_int (db, "PRAGMA synchronous"), ==, 2);      /* FULL */
  g_assert_cmpint (sql_int (db, "PRAGMA foreign_keys"), ==, 1);
  g_assert_cmpint (sql_int (db, "PRAGMA busy_timeout"), ==, 5000);
  g_assert_cmpint (sql_int (db, "PRAGMA user_version"), ==, RS_STORE_SCHEMA_VERSION);
  g_assert_cmpint (sql_int (db, "PRAGMA wal_autocheckpoint"), ==, 10000);

  g_setenv ("RESKILL_BUSY_TIMEOUT_MS", "250", TRUE);
  quick = open_store (other);
  g_assert_cmpint (sql_int (rs_store_get_db (quick), "PRAGMA busy_timeout"), ==, 250);
}

static void
test_memory (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RsStore) store = rs_store_open (":memory:", &error);

  g_assert_no_error (error);
  g_assert_nonnull (store);
  g_assert_cmpint (rs_store_schema_version (store), ==, RS_STORE_SCHEMA_VERSION);
  g_assert_false (g_file_test (":memory:", G_FILE_TEST_EXISTS));
}

static void
test_corrupt_random (Fixture *f, gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr (GBytes) before = NULL;
  guint32 noise[16384];

  for (guint i = 0; i < G_N_ELEMENTS (noise); i++)
    noise[i] = g_random_int ();
  write_bytes (f->path, noise, sizeof noise);
  before = read_bytes (f->path);
  assert_open_fails (f->path, RS_ERROR_DB_CORRUPT);
  assert_unchanged (f->path, before);
}

/* A database with enough pages that damage in the middle hits real data. */
static GBytes *
make_database_bytes (const char *path)
{
  g_autoptr (RsStore) store = open_store (path);
  GBytes *bytes;

  for (int i = 0; i < 300; i++)
    {
      g_autofree char *number = g_strdup_printf ("E%04d", i);
      add_person (store, number, i % 2 ? "Odd" : "Even", RS_PERSON_EMPLOYEE, NULL);
    }
  g_clear_pointer (&store, rs_store_close);
  bytes = read_bytes (path);
  g_assert_cmpuint (g_bytes_get_size (bytes), >=, 8 * 4096);
  return bytes;
}

static void
test_corrupt_truncated (Fixture *f, gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr (GBytes) whole = make_database_bytes (f->path);
  g_autoptr (GBytes) before = NULL;

  write_bytes (f->path, g_bytes_get_data (whole, NULL), g_bytes_get_size (whole) / 2);
  before = read_bytes (f->path);
  assert_open_fails (f->path, RS_ERROR_DB_CORRUPT);
  assert_unchanged (f->path, before);
}

static void
test_corrupt_garbled (Fixture *f, gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr (GBytes) whole = make_database_bytes (f->path);
  g_autoptr (GBytes) before = NULL;
  gsize size = g_bytes_get_size (whole);
  gsize page = (size / 4096 / 2) * 4096;
  g_autofree guchar *garbled = g_memdup2 (g_bytes_get_data (whole, NULL), size);

  /* One whole page of the middle overwritten, as a bad sector would. */
  memset (garbled + page, 0xa5, 4096);
  write_bytes (f->path, garbled, size);
  before = read_bytes (f->path);
  /* Opening checks what is cheap; the full check (reskill check, after an
   * import, weekly at the kiosk's start) reads every page and refuses it,
   * writing nothing. */
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (RsStore) store = rs_store_open_full (f->path, RS_STORE_OPEN_FULL_CHECK, &error);

    g_assert_null (store);
    g_assert_error (error, RS_ERROR, RS_ERROR_DB_CORRUPT);
    g_assert_nonnull (strstr (error->message, f->path));
  }
  assert_unchanged (f->path, before);

  /* A check that finds damage is remembered: every later open refuses. */
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (RsStore) store = rs_store_open (f->path, &error);
    g_autofree char *problem = NULL;

    g_assert_no_error (error);
    g_assert_true (rs_store_check_integrity (store, &problem, &error));
    g_assert_no_error (error);
    g_assert_nonnull (problem);
  }
  assert_open_fails (f->path, RS_ERROR_DB_CORRUPT);
}

/* A sound file: the full check says so, and an open does not read every
 * page (the check is due again only after RS_STORE_CHECK_INTERVAL_DAYS). */
static void
test_integrity_check (Fixture *f, gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr (GBytes) whole = make_database_bytes (f->path);
  g_autoptr (GError) error = NULL;
  g_autoptr (RsStore) store = rs_store_open (f->path, &error);
  g_autofree char *problem = NULL;

  g_assert_no_error (error);
  g_assert_true (rs_store_integrity_check_due (store));
  g_assert_true (rs_store_check_integrity (store, &problem, &error));
  g_assert_no_error (error);
  g_assert_null (problem);
  g_assert_false (rs_store_integrity_check_due (store));
  fake_now += (gint64) (RS_STORE_CHECK_INTERVAL_DAYS + 1) * 24 * 3600 * G_USEC_PER_SEC;
  g_assert_true (rs_store_integrity_check_due (store));
}

static void
test_foreign_database (Fixture *f, gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr (GBytes) before = NULL;
  sqlite3 *db = raw_open (f->path);

  raw_exec (db, "CREATE TABLE songs (title TEXT)");
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);
  before = read_bytes (f->path);
  assert_open_fails (f->path, RS_ERROR_DB_CORRUPT);
  assert_unchanged (f->path, before);
}

static void
test_too_new (Fixture *f, gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr (GBytes) before = NULL;
  g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
  sqlite3 *db;

  rs_store_close (open_store (f->path));
  db = raw_open (f->path);
  {
    g_autofree char *newer = g_strdup_printf ("PRAGMA user_version = %d", RS_STORE_SCHEMA_VERSION + 1);
    raw_exec (db, newer);
  }
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);
  before = read_bytes (f->path);
  assert_open_fails (f->path, RS_ERROR_DB_TOO_NEW);
  assert_unchanged (f->path, before);

  /* The newer program stopped with its last commit still in the WAL:
   * closing must not checkpoint it into the file either. */
  db = raw_open (f->path);
  {
    g_autofree char *newer = g_strdup_printf ("PRAGMA user_version = %d", RS_STORE_SCHEMA_VERSION + 2);
    raw_exec (db, newer);
  }
  g_assert_cmpint (sqlite3_db_config (db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);
  g_assert_true (g_file_test (wal, G_FILE_TEST_EXISTS));
  g_clear_pointer (&before, g_bytes_unref);
  before = read_bytes (f->path);
  assert_open_fails (f->path, RS_ERROR_DB_TOO_NEW);
  assert_unchanged (f->path, before);
}

static void
test_locked_at_open (Fixture *f, gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr (GBytes) before = NULL;
  g_autoptr (RsStore) store = NULL;
  sqlite3 *other;

  g_setenv ("RESKILL_BUSY_TIMEOUT_MS", "100", TRUE);

  /* A version 1 file needs an upgrade, which another writer blocks. */
  load_v1_fixture (f->path);
  before = read_bytes (f->path);
  other = raw_open (f->path);
  raw_exec (other, "BEGIN EXCLUSIVE");
  assert_open_fails (f->path, RS_ERROR_DB_LOCKED);
  assert_unchanged (f->path, before);
  raw_exec (other, "COMMIT");

  /* A WAL file held by a connection in exclusive locking mode. */
  store = open_store (f->path);
  g_clear_pointer (&store, rs_store_close);
  raw_exec (other, "PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; DELETE FROM audit; COMMIT");
  g_clear_pointer (&before, g_bytes_unref);
  before = read_bytes (f->path);
  assert_open_fails (f->path, RS_ERROR_DB_LOCKED);
  assert_unchanged (f->path, before);
  g_assert_cmpint (sqlite3_close (other), ==, SQLITE_OK);

  store = open_store (f->path);
  g_assert_cmpint (rs_store_schema_version (store), ==, RS_STORE_SCHEMA_VERSION);
}

static void
test_locked_write (Fixture *f, gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RsStore) store = NULL;
  g_autoptr (RsAttempt) attempt = NULL;
  g_autoptr (RsAttempt) loaded = NULL;
  sqlite3 *other;

  g_setenv ("RESKILL_BUSY_TIMEOUT_MS", "100", TRUE);
  store = open_store (f->path);
  attempt = begin_attempt (store, 0);
  record_ok (store, attempt->uuid, 1, "st-002");

  other = raw_open (f->path);
  raw_exec (other, "BEGIN EXCLUSIVE");
  g_assert_false (record (store, attempt->uuid, 2, "st-003", &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_DB_LOCKED);
  g_assert_nonnull (strstr (error->message, f->path));
  g_clear_error (&error);
  raw_exec (other, "COMMIT");
  g_assert_cmpint (sqlite3_close (other), ==, SQLITE_OK);

  /* Neither the answer nor the next item went in; the same answer can be
   * given again. */
  loaded = rs_store_load_attempt (store, attempt->uuid, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (loaded->responses->len, ==, 1);
  g_assert_cmpstr (loaded->pending_item_id, ==, "st-002");
  record_ok (store, attempt->uuid, 2, "st-003");
}

/* Finishing fails in the database itself, after the first skill's result
 * went in (a trigger raises on the second): the attempt stays unfinished
 * with its answers and the item on screen, no result is kept, and it can
 * be finished once the database takes writes again. */
static void
test_finish_fails_partway (Fixture *f, gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RsStore) store = open_store (f->path);
  g_autoptr (RsAttempt) attempt = begin_attempt (store, 0);
  g_autoptr (RsAttempt) loaded = NULL;
  RsSkillResult results[] = {
    { RS_SKILL_STATISTICS, 0.4, 0.31, 1, RS_LEVEL_PROFICIENT },
    { RS_SKILL_PYTHON, -1.2, 0.42, 1, RS_LEVEL_DEVELOPING },
  };
  sqlite3 *db = rs_store_get_db (store);

  record_ok (store, attempt->uuid, 1, "st-001");
  record_ok (store, attempt->uuid, 2, "py-001");
  raw_exec (db, "CREATE TRIGGER fail_second BEFORE INSERT ON results WHEN (SELECT count(*) FROM results) >= 1"
                " BEGIN SELECT RAISE (ABORT, 'the disk gave up'); END");
  g_assert_false (rs_store_finish_attempt (store, attempt->uuid, results, G_N_ELEMENTS (results), &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "the disk gave up"));
  g_clear_error (&error);
  g_assert_cmpint (sql_int (db, "SELECT count(*) FROM results"), ==, 0);
  loaded = rs_store_load_attempt (store, attempt->uuid, &error);
  g_assert_no_error (error);
  g_assert_cmpint (loaded->status, ==, RS_ATTEMPT_IN_PROGRESS);
  g_assert_cmpint (loaded->finished_at, ==, 0);
  g_assert_cmpuint (loaded->responses->len, ==, 2);
  g_assert_cmpstr (loaded->pending_item_id, ==, "py-001");
  g_assert_cmpuint (loaded->results->len, ==, 0);

  raw_exec (db, "DROP TRIGGER fail_second");
  g_assert_true (rs_store_finish_attempt (store, attempt->uuid, results, G_N_ELEMENTS (results), &error));
  g_assert_no_error (error);
  g_assert_cmpint (sql_int (db, "SELECT count(*) FROM results"), ==, 2);
}

/* Read-only as another user: root writes whatever the permissions say, so
 * the parent prepares the files and a child that gave up root opens them. */
static void
drop_root (void)
{
  if (geteuid () != 0)
    return;
  g_assert_cmpint (setgroups (0, NULL), ==, 0);
  g_assert_cmpint (setgid (65534), ==, 0);
  g_assert_cmpint (setuid (65534), ==, 0);
  /* setuid clears the dumpable flag; LeakSanitizer needs it at exit. */
  g_assert_cmpint (prctl (PR_SET_DUMPABLE, 1, 0, 0, 0), ==, 0);
}

static void
test_readonly (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *dir_rw = NULL;
  g_autofree char *file_ro = NULL;
  g_autofree char *dir_ro = NULL;
  g_autofree char *in_dir_ro = NULL;
  g_autofree char *new_in_dir_ro = NULL;
  g_autoptr (GBytes) before_file = NULL;
  g_autoptr (GBytes) before_dir = NULL;

  if (g_test_subprocess ())
    {
      dir = g_strdup (g_getenv ("RESKILL_TEST_DIR"));
      drop_root ();
    }
  else
    dir = make_tmp_dir ();
  /* A read-only file in a folder anyone may write, and a writable file in a
   * read-only folder: each condition alone must be caught. */
  dir_rw = g_build_filename (dir, "rw", NULL);
  file_ro = g_build_filename (dir_rw, "file-ro.db", NULL);
  dir_ro = g_build_filename (dir, "dir-ro", NULL);
  in_dir_ro = g_build_filename (dir_ro, "reskill.db", NULL);
  new_in_dir_ro = g_build_filename (dir_ro, "new.db", NULL);

  if (g_test_subprocess ())
    {
      assert_open_fails (file_ro, RS_ERROR_DB_READONLY);
      assert_open_fails (in_dir_ro, RS_ERROR_DB_READONLY);
      assert_open_fails (new_in_dir_ro, RS_ERROR_DB_READONLY);
      /* Both can still be read, for reports (issue 10), and nothing is
       * written to them. */
      for (const char *const *path = (const char *const[]) { file_ro, in_dir_ro, NULL }; *path != NULL; path++)
        {
          g_autoptr (GError) error = NULL;
          g_autoptr (RsStore) reader = rs_store_open_full (*path, RS_STORE_OPEN_READ_ONLY, &error);
          g_autoptr (RsPerson) person = NULL;

          g_assert_no_error (error);
          g_assert_true (rs_store_is_read_only (reader));
          person = rs_store_find_person (reader, "RO1", &error);
          g_assert_no_error (error);
          g_assert_cmpstr (person->name, ==, "Person RO1");
          g_assert_false (rs_store_audit (reader, 0, "export", "report", &error));
          g_assert_nonnull (error);
        }
      return;
    }

  g_assert_cmpint (g_mkdir (dir_ro, 0755), ==, 0);
  g_assert_cmpint (g_mkdir (dir_rw, 0755), ==, 0);
  for (const char *const *path = (const char *const[]) { file_ro, in_dir_ro, NULL }; *path != NULL; path++)
    {
      RsStore *store = open_store (*path);
      add_person (store, "RO1", NULL, RS_PERSON_EMPLOYEE, NULL);
      rs_store_close (store);
    }
  g_assert_cmpint (g_chmod (dir, 0755), ==, 0);
  g_assert_cmpint (g_chmod (dir_rw, 0777), ==, 0);
  g_assert_cmpint (g_chmod (file_ro, 0444), ==, 0);
  g_assert_cmpint (g_chmod (in_dir_ro, 0666), ==, 0);
  g_assert_cmpint (g_chmod (dir_ro, 0555), ==, 0);
  before_file = read_bytes (file_ro);
  before_dir = read_bytes (in_dir_ro);

  g_setenv ("RESKILL_TEST_DIR", dir, TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();

  assert_unchanged (file_ro, before_file);
  assert_unchanged (in_dir_ro, before_dir);
  g_assert_false (g_file_test (new_in_dir_ro, G_FILE_TEST_EXISTS));
  remove_tree (dir);
}

static void
test_disk_full (Fixture *f, gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RsStore) store = open_store (f->path);
  g_autoptr (RsAttempt) attempt = begin_attempt (store, 0);
  sqlite3 *db = rs_store_get_db (store);
  int seq;

  /* A database that may not grow is what a full disk looks like to SQLite. */
  raw_exec (db, "PRAGMA max_page_count = 1");
  g_assert_cmpint (sql_int (db, "PRAGMA max_page_count"), ==, sql_int (db, "PRAGMA page_count"));
  for (seq = 1; seq < 1000 && record (store, attempt->uuid, seq, NULL, &error); seq++)
    ;
  g_assert_error (error, RS_ERROR, RS_ERROR_DB_FULL);
  g_assert_nonnull (strstr (error->message, f->path));
  g_assert_cmpint (n_responses (store), ==, seq - 1);
}

/* --- migration --- */

static const char fixture_finished[] = "f50d5448-8164-49d9-b3f4-11ca63782cc6";
static const char fixture_unfinished[] = "e494b0a0-4fdb-45d3-855d-25c41fdd8d6f";

static void
test_migrate_v1 (Fixture *f, gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RsStore) store = NULL;
  g_autoptr (RsStore) fresh = NULL;
  g_autoptr (RsPerson) eve = NULL;
  g_autoptr (RsPerson) maria = NULL;
  g_autoptr (RsPerson) signed_in = NULL;
  g_autoptr (RsAttempt) attempt = NULL;
  g_autoptr (GPtrArray) finished = NULL;
  g_autofree char *resumable = NULL;
  g_autofree char *schema = NULL;
  g_autofree char *fresh_schema = NULL;
  g_autofree char *fresh_path = g_build_filename (f->dir, "fresh.db", NULL);
  g_autofree char *journal_mode = NULL;
  const RsResponse *r;
  sqlite3 *db;
  const char *schema_sql = "SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY type, name";

  load_v1_fixture (f->path);
  store = open_store (f->path);
  db = rs_store_get_db (store);
  g_assert_cmpint (rs_store_schema_version (store), ==, RS_STORE_SCHEMA_VERSION);
  g_assert_cmpint (sql_int (db, "PRAGMA user_version"), ==, RS_STORE_SCHEMA_VERSION);
  journal_mode = sql_text (db, "PRAGMA journal_mode");
  g_assert_cmpstr (journal_mode, ==, "wal");

  /* The upgraded schema is exactly what a new database gets. */
  fresh = open_store (fresh_path);
  schema = sql_dump (db, schema_sql);
  fresh_schema = sql_dump (rs_store_get_db (fresh), schema_sql);
  g_assert_cmpstr (schema, ==, fresh_schema);

  /* People, teams and managers. */
  g_assert_cmpint (sql_int (db, "SELECT count(*) FROM people"), ==, 4);
  eve = rs_store_find_person (store, "E300", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (eve->name, ==, "Eve Employee");
  g_assert_cmpstr (eve->team_name, ==, "Platform");
  g_assert_cmpint (eve->role, ==, RS_PERSON_EMPLOYEE);
  g_assert_true (eve->active);
  maria = rs_store_get_person (store, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpint (maria->role, ==, RS_PERSON_MANAGER);
  g_assert_cmpstr (maria->team_name, ==, "Data");
  g_assert_cmpint (sql_int (db, "SELECT count(*) FROM team_managers WHERE team_id = 2 AND person_id = 2"), ==, 1);
  g_assert_true (rs_store_has_admin (store));

  /* The finished attempt, answer by answer. */
  attempt = rs_store_load_attempt (store, fixture_finished, &error);
  g_assert_no_error (error);
  g_assert_cmpint (attempt->person_id, ==, eve->id);
  g_assert_cmpint (attempt->status, ==, RS_ATTEMPT_FINISHED);
  g_assert_cmpint (attempt->mode, ==, RS_MODE_STANDARD);
  g_assert_cmpint (attempt->n_skills, ==, 2);
  g_assert_cmpint (attempt->skills[0], ==, RS_SKILL_PYTHON);
  g_assert_cmpint (attempt->skills[1], ==, RS_SKILL_STATISTICS);
  g_assert_cmpuint (attempt->seed, ==, 42);
  g_assert_cmpstr (attempt->bank_version, ==, "bank-1");
  /* Attempts from before kiosk ids were made on this kiosk. */
  g_assert_cmpstr (attempt->kiosk_id, ==, rs_store_kiosk_id (store));
  g_assert_cmpint (attempt->started_at, ==, START_TIME);
  g_assert_cmpint (attempt->finished_at, ==, G_GINT64_CONSTANT (1700000600000000));
  g_assert_null (attempt->pending_item_id);
  for (int s = 0; s < RS_N_SKILLS; s++)
    g_assert_cmpint (attempt->self_level[s], ==, RS_LEVEL_INVALID);
  g_assert_cmpuint (attempt->responses->len, ==, 4);
  r = &g_array_index (attempt->responses, RsResponse, 1);
  g_assert_cmpint (r->seq, ==, 2);
  g_assert_cmpstr (r->item_id, ==, "py-002");
  g_assert_cmpint (r->skill, ==, RS_SKILL_PYTHON);
  g_assert_cmpstr (r->answer, ==, "0");
  g_assert_cmpint (r->score, ==, 0);
  g_assert_cmpint (r->max_score, ==, 1);
  g_assert_cmpfloat_with_epsilon (r->theta, 0.2, 1e-12);
  g_assert_cmpfloat_with_epsilon (r->se, 0.7, 1e-12);
  g_assert_cmpint (r->time_ms, ==, 15002);
  g_assert_cmpint (r->answered_at, ==, G_GINT64_CONSTANT (1700000120000000));
  g_assert_cmpuint (attempt->results->len, ==, 2);
  g_assert_cmpint (g_array_index (attempt->results, RsSkillResult, 1).skill, ==, RS_SKILL_STATISTICS);
  g_assert_cmpint (g_array_index (attempt->results, RsSkillResult, 1).level, ==, RS_LEVEL_ADVANCED);
  g_assert_cmpint (g_array_index (attempt->results, RsSkillResult, 0).n_items, ==, 2);

  /* The unfinished one can go on where it stopped. */
  resumable = rs_store_find_resumable (store, eve->id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (resumable, ==, fixture_unfinished);
  record_ok (store, fixture_unfinished, 3, NULL);
  g_assert_cmpint (sql_int (db, "SELECT count(*) FROM responses"), ==, 8);

  finished = rs_store_list_finished (store, eve->id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (finished->len, ==, 1);

  /* PIN hashes came through. */
  signed_in = rs_store_authenticate (store, "E300", "1357", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (signed_in->id, ==, eve->id);
}

static void
test_migrate_failure (Fixture *f, gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RsStore) store = NULL;
  g_autoptr (GBytes) before = NULL;
  g_autofree char *journal = g_strconcat (f->path, "-journal", NULL);
  sqlite3 *db;

  /* A table in the way makes step 2 fail half-way through its script. */
  load_v1_fixture (f->path);
  db = raw_open (f->path);
  raw_exec (db, "CREATE TABLE audit (x)");
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);
  before = read_bytes (f->path);

  store = rs_store_open (f->path, &error);
  g_assert_null (store);
  g_assert_error (error, RS_ERROR, RS_ERROR_DB);
  g_assert_nonnull (strstr (error->message, "version 2"));
  assert_unchanged (f->path, before);
  g_assert_false (g_file_test (journal, G_FILE_TEST_EXISTS));

  db = raw_open (f->path);
  g_assert_cmpint (sql_int (db, "PRAGMA user_version"), ==, 1);
  g_assert_cmpint (sql_int (db, "SELECT count(*) FROM sqlite_schema WHERE name = 'meta'"), ==, 0);
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);
}

/* --- people --- */

static void
test_people (Fixture *f, gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RsStore) store = open_store (f->path);
  g_autoptr (RsPerson) ann = NULL;
  g_autoptr (RsPerson) bob = NULL;
  g_autoptr (RsPerson) nobody = NULL;
  gint64 team = 0, team_again = 0, ann_id, bob_id, id = 0;
  RsPersonRole role;

  for (RsPersonRole r = RS_PERSON_EMPLOYEE; r <= RS_PERSON_ADMIN; r++)
    {
      g_assert_true (rs_person_role_from_id (rs_person_role_id (r), &role));
      g_assert_cmpint (role, ==, r);
    }
  g_assert_false (rs_person_role_from_id ("boss", &role));

  g_assert_true (rs_store_ensure_team (store, "Platform", &team, &error));
  g_assert_no_error (error);
  g_assert_true (rs_store_ensure_team (store, "Platform", &team_again, &error));
  g_assert_cmpint (team, ==, team_again);
  g_assert_false (rs_store_ensure_team (store, "  ", NULL, &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_false (rs_store_has_admin (store));
  ann_id = add_person (store, "E1", "Platform", RS_PERSON_MANAGER, NULL);
  bob_id = add_person (store, "E2", "Data", RS_PERSON_EMPLOYEE, SECRET);
  add_person (store, "E3", "", RS_PERSON_EMPLOYEE, NULL);
  /* An admin without a secret cannot sign in: not yet an admin to count. */
  add_person (store, "A1", NULL, RS_PERSON_ADMIN, NULL);
  g_assert_false (rs_store_has_admin (store));
  add_person (store, "A2", NULL, RS_PERSON_ADMIN, "9999");
  g_assert_true (rs_store_has_admin (store));

  ann = rs_store_get_person (store, ann_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ann->employee_no, ==, "E1");
  g_assert_cmpstr (ann->name, ==, "Person E1");
  g_assert_cmpint (ann->team_id, ==, team);
  g_assert_cmpstr (ann->team_name, ==, "Platform");
  g_assert_cmpint (ann->role, ==, RS_PERSON_MANAGER);
  g_assert_true (ann->active);
  bob = rs_store_find_person (store, "E2", &error);
  g_assert_no_error (error);
  g_assert_cmpint (bob->id, ==, bob_id);
  g_assert_cmpstr (bob->team_name, ==, "Data");
  g_clear_pointer (&bob, rs_person_free);
  bob = rs_store_find_person (store, "E3", &error);
  g_assert_no_error (error);
  g_assert_cmpint (bob->team_id, ==, 0);
  g_assert_null (bob->team_name);

  nobody = rs_store_find_person (store, "E404", &error);
  g_assert_null (nobody);
  g_assert_error (error, RS_ERROR, RS_ERROR_NOT_FOUND);
  g_clear_error (&error);
  nobody = rs_store_get_person (store, 4040, &error);
  g_assert_null (nobody);
  g_assert_error (error, RS_ERROR, RS_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Duplicate numbers, blank names and short secrets are refused, and
   * nothing is added. */
  g_assert_false (rs_store_add_person (store, "E1", "Someone Else", NULL, RS_PERSON_EMPLOYEE, NULL, &id, &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "E1"));
  g_clear_error (&error);
  g_assert_false (rs_store_add_person (store, "E9", " ", NULL, RS_PERSON_EMPLOYEE, NULL, &id, &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (rs_store_add_person (store, "E9", "Short Pin", NULL, RS_PERSON_EMPLOYEE, "123", &id, &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (sql_int (rs_store_get_db (store), "SELECT count(*) FROM people"), ==, 5);

  g_assert_true (rs_store_set_team_manager (store, team, ann_id, &error));
  g_assert_no_error (error);
  g_assert_true (rs_store_set_team_manager (store, team, ann_id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sql_int (rs_store_get_db (store), "SELECT count(*) FROM team_managers"), ==, 1);
  g_assert_false (rs_store_set_team_manager (store, team, bob_id, &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (rs_store_set_team_manager (store, 999, ann_id, &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_false (rs_store_set_secret (store, 999, "5555", &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_NOT_FOUND);
}

/* --- signing in --- */

static RsPerson *
sign_in (RsStore *store, const char *number, const char *secret, int code, int *retry_after)
{
  g_autoptr (GError) error = NULL;
  RsPerson *person = rs_store_authenticate (store, number, secret, retry_after, &error);

  if (code < 0)
    {
      g_assert_no_error (error);
      g_assert_nonnull (person);
    }
  else
    {
      g_assert_error (error, RS_ERROR, code);
      g_assert_null (person);
    }
  return person;
}

static char *
sign_in_message (RsStore *store, const char *number, const char *secret)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RsPerson) person = rs_store_authenticate (store, number, secret, NULL, &error);

  g_assert_null (person);
  g_assert_nonnull (error);
  return g_strdup (error->message);
}

static gint64
count_audit (RsStore *store, const char *event)
{
  sqlite3_stmt *stmt = NULL;
  gint64 n;

  g_assert_cmpint (sqlite3_prepare_v2 (rs_store_get_db (store), "SELECT count(*) FROM audit WHERE event = ?",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, event, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

static void
test_auth_basic (Fixture *f, gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RsStore) store = open_store (f->path);
  g_autoptr (RsPerson) person = NULL;
  g_autoptr (RsPerson) e2 = NULL;
  g_autofree char *wrong_known = NULL;
  g_autofree char *wrong_unknown = NULL;
  gint64 id = add_person (store, "E1", NULL, RS_PERSON_EMPLOYEE, SECRET);
  gint64 started;
  int retry = -1;

  person = sign_in (store, "E1", SECRET, -1, &retry);
  g_assert_cmpint (person->id, ==, id);
  g_assert_cmpint (retry, ==, 0);
  g_assert_cmpint (count_audit (store, "sign-in"), ==, 1);

  /* A wrong PIN and an unknown number read the same, and cost about the
   * same time (shown, not asserted: timing is the machine's business). */
  started = g_get_monotonic_time ();
  wrong_known = sign_in_message (store, "E1", "0000");
  g_test_message ("wrong PIN: %" G_GINT64_FORMAT " us", g_get_monotonic_time () - started);
  started = g_get_monotonic_time ();
  wrong_unknown = sign_in_message (store, "E404", "0000");
  g_test_message ("unknown number: %" G_GINT64_FORMAT " us", g_get_monotonic_time () - started);
  g_assert_cmpstr (wrong_known, ==, wrong_unknown);
  g_assert_nonnull (strstr (wrong_known, "4 tries left"));
  sign_in (store, "E1", "0000", RS_ERROR_AUTH, NULL);
  g_assert_cmpint (count_audit (store, "sign-in-failed"), ==, 3);

  /* A right PIN resets the count. */
  g_clear_pointer (&person, rs_person_free);
  person = sign_in (store, "E1", SECRET, -1, NULL);
  g_clear_pointer (&wrong_known, g_free);
  wrong_known = sign_in_message (store, "E1", "0000");
  g_assert_nonnull (strstr (wrong_known, "4 tries left"));

  /* Someone with no secret yet cannot sign in, whatever is typed. */
  add_person (store, "E2", NULL, RS_PERSON_EMPLOYEE, NULL);
  sign_in (store, "E2", "", RS_ERROR_AUTH, NULL);
  e2 = rs_store_find_person (store, "E2", &error);
  g_assert_no_error (error);
  g_assert_true (rs_store_set_secret (store, e2->id, "2222", &error));
  g_assert_no_error (error);
  g_clear_pointer (&person, rs_person_free);
  person = sign_in (store, "E2", "2222", -1, NULL);

  /* An inactive person: refused, but only once the PIN is right. */
  raw_exec (rs_store_get_db (store), "UPDATE people SET active = 0 WHERE employee_no = 'E2'");
  sign_in (store, "E2", "0000", RS_ERROR_AUTH, NULL);
  sign_in (store, "E2", "2222", RS_ERROR_DENIED, NULL);

  g_assert_true (rs_store_audit (store, id, "export", "team.csv", &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_audit (store, "export"), ==, 1);
  g_assert_true (rs_store_audit (store, 0, "kiosk-exit", NULL, &error));
  g_assert_cmpint (sql_int (rs_store_get_db (store), "SELECT at FROM audit ORDER BY id DESC LIMIT 1"), ==, START_TIME);
}

/* Only some may pass (leaving kiosk mode: an administrator). Anyone else's
 * right secret must read and count exactly as a wrong one: typed on the
 * way to a lockout side by side with a number that only gets wrong ones,
 * every answer is the same, to the last try. */
static void
test_auth_role (Fixture *f, gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RsStore) store = open_store (f->path);
  g_autoptr (RsPerson) admin = NULL;
  g_autoptr (RsPerson) manager = NULL;
  gint64 admin_id = add_person (store, "A1", NULL, RS_PERSON_ADMIN, SECRET);

  add_person (store, "M1", "Data", RS_PERSON_MANAGER, SECRET);
  add_person (store, "E1", "Data", RS_PERSON_EMPLOYEE, SECRET);
  add_person (store, "A2", NULL, RS_PERSON_ADMIN, SECRET);
  raw_exec (rs_store_get_db (store), "UPDATE people SET active = 0 WHERE employee_no = 'A2'");

  admin = rs_store_authenticate_role (store, "A1", SECRET, RS_PERSON_ADMIN, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (admin->id, ==, admin_id);
  /* A manager passes where managers may. */
  manager = rs_store_authenticate_role (store, "M1", SECRET, RS_PERSON_MANAGER, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (manager);

  for (int i = 0; i < RS_STORE_MAX_FAILED_PINS + 1; i++)
    {
      static const char *const refused[] = { "M1", "E1", "A2" };

      for (guint r = 0; r < G_N_ELEMENTS (refused); r++)
        {
          g_autoptr (GError) right_error = NULL;
          g_autoptr (GError) wrong_error = NULL;
          g_autoptr (RsPerson) right = NULL;
          g_autoptr (RsPerson) wrong = NULL;
          g_autofree char *other = g_strdup_printf ("X%s", refused[r]);
          int right_retry = -1, wrong_retry = -1;

          right = rs_store_authenticate_role (store, refused[r], SECRET, RS_PERSON_ADMIN, &right_retry, &right_error);
          wrong = rs_store_authenticate_role (store, other, "0000", RS_PERSON_ADMIN, &wrong_retry, &wrong_error);
          g_assert_null (right);
          g_assert_null (wrong);
          g_assert_nonnull (right_error);
          g_assert_nonnull (wrong_error);
          g_assert_true (right_error->domain == wrong_error->domain);
          g_assert_cmpint (right_error->code, ==, wrong_error->code);
          g_assert_cmpint (right_error->code, ==, i + 1 < RS_STORE_MAX_FAILED_PINS ? RS_ERROR_AUTH : RS_ERROR_LOCKED_OUT);
          g_assert_cmpstr (right_error->message, ==, wrong_error->message);
          g_assert_cmpint (right_retry, ==, wrong_retry);
        }
    }
  /* Audited as what they were, for the administrator reading the log. */
  g_assert_cmpint (sql_int (rs_store_get_db (store), "SELECT count(*) FROM audit WHERE event = 'sign-in-failed'"
                                                     " AND detail LIKE 'right secret, not allowed here%'"), ==,
                   3 * RS_STORE_MAX_FAILED_PINS);
  /* An ordinary sign-in keeps its own answers: the manager is locked now
   * like any number, and a switched-off account says so once its lock
   * is over. */
  g_clear_pointer (&manager, rs_person_free);
  manager = rs_store_authenticate (store, "M1", SECRET, NULL, &error);
  g_assert_error (error, RS_ERROR, RS_ERROR_LOCKED_OUT);
  g_assert_null (manager);
}

static void
test_auth_lockout (Fixture *f, gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RsStore) store = open_store (f->path);
  g_autoptr (RsPerson) person = NULL;
  g_autofree char *message = NULL;
  gint64 id = add_person (store, "E1", NULL, RS_PERSON_EMPLOYEE, SECRET);
  int retry = 0;

  for (int i = 1; i < RS_STORE_MAX_FAILED_PINS; i++)
    sign_in (store, "E1", "0000", RS_ERROR_AUTH, &retry);
  g_assert_cmpint (retry, ==, 0);
  message = sign_in_message (store, "E1", "0000");
  g_assert_nonnull (strstr (message, "locked for 1 minute"));
  sign_in (store, "E1", "0000", RS_ERROR_LOCKED_OUT, &retry);

  /* While locked even the right PIN is refused, and the wait counts down. */
  fake_now += 10 * G_USEC_PER_SEC;
  sign_in (store, "E1", SECRET, RS_ERROR_LOCKED_OUT, &retry);
  g_assert_cmpint (retry, ==, RS_STORE_LOCK_SECONDS - 10);

  /* Past the lock, one wrong PIN does not lock again: each lock needs a
   * fresh series, so a stranger's single guess each time it ends cannot
   * keep the number locked (issue 10). */
  fake_now += (RS_STORE_LOCK_SECONDS - 10) * G_USEC_PER_SEC;
  sign_in (store, "E1", "0000", RS_ERROR_AUTH, &retry);
  g_assert_cmpint (retry, ==, 0);
  person = sign_in (store, "E1", SECRET, -1, &retry);
  g_assert_cmpint (person->id, ==, id);
  g_clear_pointer (&person, rs_person_free);

  /* Series after series, the locks double, up to the cap. */
  for (int lock = RS_STORE_LOCK_SECONDS; lock <= 2 * RS_STORE_MAX_LOCK_SECONDS; lock *= 2)
    {
      for (int i = 1; i < RS_STORE_MAX_FAILED_PINS; i++)
        sign_in (store, "E1", "0000", RS_ERROR_AUTH, NULL);
      sign_in (store, "E1", "0000", RS_ERROR_LOCKED_OUT, &retry);
      g_assert_cmpint (retry, ==, MIN (lock, RS_STORE_MAX_LOCK_SECONDS));
      fake_now += (gint64) retry * G_USEC_PER_SEC;
    }

  /* Once it expires the right PIN works and the count starts over. */
  person = sign_in (store, "E1", SECRET, -1, &retry);
  g_assert_cmpint (person->id, ==, id);
  sign_in (store, "E1", "0000", RS_ERROR_AUTH, NULL);
  g_assert_cmpint (sql_int (rs_store_get_db (store), "SELECT failed_count FROM sign_in_failures"), ==, 1);

  /* A number nobody has locks the same way. */
  for (int i = 1; i < RS_STORE_MAX_FAILED_PINS; i++)
    sign_in (store, "E404", "0000", RS_ERROR_AUTH, NULL);
  sign_in (store, "E404", "0000", RS_ERROR_LOCKED_OUT, &retry);
  g_assert_cmpint (retry, ==, RS_STORE_LOCK_SECONDS);

  /* An admin's new PIN lifts a lock. E1 has one wrong try already. */
  for (int i = 2; i < RS_STORE_MAX_FAILED_PINS; i++)
    sign_in (store, "E1", "0000", RS_ERROR_AUTH, NULL);
  sign_in (store, "E1", "0000", RS_ERROR_LOCKED_OUT, NULL);
  sign_in (store, "E1", SECRET, RS_ERROR_LOCKED_OUT, NULL);
  g_assert_true (rs_store_set_secret (store, id, "8642", &error));
  g_assert_no_error (error);
  g_clear_pointer (&person, rs_person_free);
  person = sign_in (store, "E1", "8642", -1, NULL);
}

static gboolean
any_file_contains (const char *dir_path, const char *needle)
{
  g_autoptr (GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir_path, name, NULL);
      g_autoptr (GBytes) bytes = read_bytes (path);

      if (contains_bytes (bytes, needle))
        return TRUE;
    }
  return FALSE;
}

static void
test_secret_not_stored (Fixture *f, gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr (GError) error = NULL;
  RsStore *store = open_store (f->path);
  g_autoptr (RsPerson) person = NULL;
  g_autofree char *hash = NULL;
  gint64 id = add_person (store, "E1", NULL, RS_PERSON_EMPLOYEE, SECRET);

  g_assert_true (rs_store_set_secret (store, id, SECRET "-2", &error));
  g_assert_no_error (error);
  g_free (sign_in_message (store, "E1", SECRET "-wrong"));
  person = sign_in (store, "E1", SECRET "-2", -1, NULL);
  hash = sql_text (rs_store_get_db (store), "SELECT secret_hash FROM people");
  g_assert_true (g_str_has_prefix (hash, "$argon2id$"));

  /* Not in the database, its WAL or its shared memory, open or closed. */
  g_assert_false (any_file_contains (f->dir, SECRET));
  rs_store_close (store);
  g_assert_false (any_file_contains (f->dir, SECRET));
  g_assert_true (any_file_contains (f->dir, "$argon2id$"));
}

/* --- attempts --- */

static void
test_attempt_round_trip (Fixture *f, gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RsStore) store = open_store (f->path);
  g_autoptr (RsAttempt) attempt = NULL;
  g_autoptr (RsAttempt) loaded = NULL;
  g_autoptr (RsAttempt) guest = NULL;
  g_autoptr (RsAttempt) later = NULL;
  g_autoptr (GPtrArray) finished = NULL;
  g_autoptr (GHashTable) recent = NULL;
  g_autofree char *resumable = NULL;
  gint64 person = add_person (store, "E1", NULL, RS_PERSON_EMPLOYEE, NULL);
  RsSkillResult results[] = {
    { RS_SKILL_STATISTICS, 0.4, 0.31, 3, RS_LEVEL_PROFICIENT },
    { RS_SKILL_PYTHON, -1.2, 0.42, 1, RS_LEVEL_DEVELOPING },
  };
  const RsResponse *r;
  char *no_uuid = NULL;

  attempt = begin_attempt (store, person);
  g_assert_true (g_uuid_string_is_valid (attempt->uuid));
  g_assert_cmpstr (attempt->kiosk_id, ==, rs_store_kiosk_id (store));
  g_assert_cmpint (attempt->started_at, ==, START_TIME);
  g_assert_cmpint (attempt->status, ==, RS_ATTEMPT_IN_PROGRESS);

  for (int seq = 1; seq <= 3; seq++)
    {
      g_autofree char *next = g_strdup_printf ("st-%03d", seq + 1);

      fake_now += G_USEC_PER_SEC;
      record_ok (store, attempt->uuid, seq, next);
    }
  g_assert_true (rs_store_set_pending_item (store, attempt->uuid, "py-001", &error));
  g_assert_no_error (error);

  loaded = rs_store_load_attempt (store, attempt->uuid, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (loaded->uuid, ==, attempt->uuid);
  g_assert_cmpint (loaded->person_id, ==, person);
  g_assert_cmpint (loaded->mode, ==, RS_MODE_STANDARD);
  g_assert_cmpint (loaded->n_skills, ==, 2);
  g_assert_cmpint (loaded->skills[0], ==, RS_SKILL_STATISTICS);
  g_assert_cmpint (loaded->skills[1], ==, RS_SKILL_PYTHON);
  g_assert_cmpint (loaded->self_level[RS_SKILL_PYTHON], ==, RS_LEVEL_ADVANCED);
  g_assert_cmpint (loaded->self_level[RS_SKILL_STATISTICS], ==, RS_LEVEL_INVALID);
  g_assert_cmpuint (loaded->seed, ==, 4000000000u);
  g_assert_cmpstr (loaded->bank_version, ==, "bank-test");
  g_assert_cmpstr (loaded->kiosk_id, ==, rs_store_kiosk_id (store));
  g_assert_cmpint (loaded->started_at, ==, START_TIME);
  g_assert_cmpint (loaded->finished_at, ==, 0);
  g_assert_cmpint (loaded->status, ==, RS_ATTEMPT_IN_PROGRESS);
  g_assert_cmpstr (loaded->pending_item_id, ==, "py-001");
  g_assert_cmpuint (loaded->responses->len, ==, 3);
  g_assert_cmpuint (loaded->results->len, ==, 0);
  r = &g_array_index (loaded->responses, RsResponse, 2);
  g_assert_cmpint (r->seq, ==, 3);
  g_assert_cmpstr (r->item_id, ==, "st-003");
  g_assert_cmpint (r->skill, ==, RS_SKILL_STATISTICS);
  g_assert_cmpstr (r->answer, ==, "2");
  g_assert_cmpint (r->score, ==, 1);
  g_assert_cmpint (r->max_score, ==, 1);
  g_assert_cmpfloat (r->theta, ==, 0.75);
  g_assert_cmpfloat (r->se, ==, 1.0 / 3);
  g_assert_cmpint (r->time_ms, ==, 3000);
  g_assert_cmpint (r->answered_at, ==, START_TIME + 3 * G_USEC_PER_SEC);

  /* The person's unfinished attempt is found; a guest's never is. */
  guest = begin_attempt (store, 0);
  resumable = rs_store_find_resumable (store, person, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (resumable, ==, attempt->uuid);
  g_assert_null (rs_store_find_resumable (store, 0, &error));
  g_assert_no_error (error);

  g_assert_true (rs_store_finish_attempt (store, attempt->uuid, results, G_N_ELEMENTS (results), &error));
  g_assert_no_error (error);
  g_clear_pointer (&loaded, rs_attempt_free);
  loaded = rs_store_load_attempt (store, attempt->uuid, &error);
  g_assert_no_error (error);
  g_assert_cmpint (loaded->status, ==, RS_ATTEMPT_FINISHED);
  g_assert_cmpint (loaded->finished_at, ==, fake_now);
  g_assert_null (loaded->pending_item_id);
  g_assert_cmpuint (loaded->results->len, ==, 2);
  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    {
      const RsSkillResult *got = &g_array_index (loaded->results, RsSkillResult, i);

      g_assert_cmpint (got->skill, ==, results[i].skill);
      g_assert_cmpfloat (got->theta, ==, results[i].theta);
      g_assert_cmpfloat (got->se, ==, results[i].se);
      g_assert_cmpint (got->n_items, ==, results[i].n_items);
      g_assert_cmpint (got->level, ==, results[i].level);
    }
  no_uuid = rs_store_find_resumable (store, person, &error);
  g_assert_no_error (error);
  g_assert_null (no_uuid);

  /* A finished attempt takes nothing more. */
  g_assert_false (record (store, attempt->uuid, 4, NULL, &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (rs_store_set_pending_item (store, attempt->uuid, "x", &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (rs_store_finish_attempt (store, attempt->uuid, results, 1, &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (record (store, "00000000-0000-4000-8000-000000000000", 1, NULL, &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (rs_store_load_attempt (store, "00000000-0000-4000-8000-000000000000", &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* History: finished attempts, oldest first, with results only. */
  fake_now += G_USEC_PER_SEC;
  later = begin_attempt (store, person);
  record_ok (store, later->uuid, 1, NULL);
  g_assert_true (rs_store_finish_attempt (store, later->uuid, results, 1, &error));
  g_assert_no_error (error);
  finished = rs_store_list_finished (store, person, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (finished->len, ==, 2);
  g_assert_cmpstr (((RsAttempt *) finished->pdata[0])->uuid, ==, attempt->uuid);
  g_assert_cmpstr (((RsAttempt *) finished->pdata[1])->uuid, ==, later->uuid);
  g_assert_cmpuint (((RsAttempt *) finished->pdata[0])->results->len, ==, 2);
  g_assert_cmpuint (((RsAttempt *) finished->pdata[0])->responses->len, ==, 0);
  g_assert_cmpint (((RsAttempt *) finished->pdata[0])->self_level[RS_SKILL_PYTHON], ==, RS_LEVEL_ADVANCED);
  g_clear_pointer (&finished, g_ptr_array_unref);
  finished = rs_store_list_finished (store, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (finished->len, ==, 0);

  /* Items answered since a time. */
  recent = rs_store_recent_item_ids (store, person, START_TIME + 2 * G_USEC_PER_SEC, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (recent), ==, 3);
  g_assert_true (g_hash_table_contains (recent, "st-002"));
  g_assert_true (g_hash_table_contains (recent, "st-003"));
  g_assert_true (g_hash_table_contains (recent, "st-001"));   /* from the later attempt */
  g_clear_pointer (&recent, g_hash_table_unref);
  recent = rs_store_recent_item_ids (store, person, fake_now + 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (recent), ==, 0);
  g_clear_pointer (&recent, g_hash_table_unref);
  recent = rs_store_recent_item_ids (store, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (recent), ==, 0);
}

static void
test_attempt_invalid (Fixture *f, gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RsStore) store = open_store (f->path);
  g_autoptr (RsAttempt) attempt = rs_attempt_new ();
  RsSkillResult bad = { RS_SKILL_PYTHON, NAN, 0.3, 1, RS_LEVEL_NOVICE };
  RsResponse response = make_response (1);

  attempt->n_skills = 2;
  attempt->skills[0] = RS_SKILL_ML;
  attempt->skills[1] = RS_SKILL_ML;
  g_assert_false (rs_store_begin_attempt (store, attempt, &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_INVALID);
  g_clear_error (&error);
  attempt->n_skills = 1;
  attempt->person_id = 77;      /* nobody */
  g_assert_false (rs_store_begin_attempt (store, attempt, &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (sql_int (rs_store_get_db (store), "SELECT count(*) FROM attempts"), ==, 0);

  attempt->person_id = 0;
  g_assert_true (rs_store_begin_attempt (store, attempt, &error));
  g_assert_no_error (error);
  response.score = 2;
  g_assert_false (rs_store_record_answer (store, attempt->uuid, &response, NULL, &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (rs_store_finish_attempt (store, attempt->uuid, &bad, 1, &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_INVALID);
  g_assert_cmpint (n_responses (store), ==, 0);
}

static void
test_wrong_seq (Fixture *f, gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr (RsStore) store = open_store (f->path);
  g_autoptr (RsAttempt) attempt = begin_attempt (store, 0);
  g_autoptr (RsAttempt) loaded = NULL;
  const int wrong[] = { 0, -1, 1, 2, 4, 100 };

  record_ok (store, attempt->uuid, 1, "st-002");
  record_ok (store, attempt->uuid, 2, "st-003");
  for (guint i = 0; i < G_N_ELEMENTS (wrong); i++)
    {
      g_autoptr (GError) error = NULL;

      g_assert_false (record (store, attempt->uuid, wrong[i], "st-999", &error));
      g_assert_error (error, RS_ERROR, RS_ERROR_INVALID);
    }
  loaded = rs_store_load_attempt (store, attempt->uuid, NULL);
  g_assert_nonnull (loaded);
  g_assert_cmpuint (loaded->responses->len, ==, 2);
  g_assert_cmpstr (g_array_index (loaded->responses, RsResponse, 1).item_id, ==, "st-002");
  g_assert_cmpstr (loaded->pending_item_id, ==, "st-003");
  record_ok (store, attempt->uuid, 3, NULL);
}

/* The answer and the next item land together, and are on disk (visible to
 * another connection) when record_answer returns. */
static void
test_pending_with_answer (Fixture *f, gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr (RsStore) store = open_store (f->path);
  g_autoptr (RsAttempt) attempt = begin_attempt (store, 0);
  g_autofree char *pending = NULL;
  sqlite3 *other = raw_open (f->path);

  g_assert_cmpint (sql_int (other, "SELECT count(*) FROM attempts WHERE pending_item_id = 'st-000'"), ==, 1);
  record_ok (store, attempt->uuid, 1, "st-042");
  g_assert_cmpint (sql_int (other, "SELECT count(*) FROM responses"), ==, 1);
  pending = sql_text (other, "SELECT pending_item_id FROM attempts");
  g_assert_cmpstr (pending, ==, "st-042");

  record_ok (store, attempt->uuid, 2, NULL);
  g_assert_cmpint (sql_int (other, "SELECT count(*) FROM responses"), ==, 2);
  g_assert_cmpint (sql_int (other, "SELECT pending_item_id IS NULL FROM attempts"), ==, 1);
  g_assert_cmpint (sqlite3_close (other), ==, SQLITE_OK);
}

static int
compare_gint64 (gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

/* Not a pass/fail test: the time one durable answer takes here. */
static void
test_record_timing (Fixture *f, gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr (RsStore) store = open_store (f->path);
  g_autoptr (RsAttempt) attempt = begin_attempt (store, add_person (store, "E1", NULL, RS_PERSON_EMPLOYEE, NULL));
  g_autoptr (GArray) times = g_array_new (FALSE, FALSE, sizeof (gint64));
  const int n = 200;

  for (int seq = 1; seq <= n; seq++)
    {
      gint64 started = g_get_monotonic_time ();
      gint64 took;

      record_ok (store, attempt->uuid, seq, "st-next");
      took = g_get_monotonic_time () - started;
      g_array_append_val (times, took);
    }
  g_array_sort (times, compare_gint64);
  g_test_message ("record_answer over %d answers: median %.3f ms, p99 %.3f ms", n,
                  g_array_index (times, gint64, n / 2) / 1000.0,
                  g_array_index (times, gint64, n * 99 / 100) / 1000.0);
  g_assert_cmpint (n_responses (store), ==, n);
}

typedef struct {
  RsStore *store;
  int n_failed;
} SignInWork;

static gpointer
sign_in_thread (gpointer data)
{
  SignInWork *work = data;

  for (int i = 0; i < 30; i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (RsPerson) person = rs_store_authenticate (work->store, "E1", SECRET, NULL, &error);

      if (person == NULL)
        work->n_failed++;
    }
  return NULL;
}

/* The sign-in page checks PINs on a worker thread while the main thread
 * may be saving answers: calls must not trip over each other. */
static void
test_threads (Fixture *f, gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr (RsStore) store = open_store (f->path);
  g_autoptr (RsAttempt) attempt = NULL;
  SignInWork work = { store, 0 };
  GThread *thread;

  add_person (store, "E1", NULL, RS_PERSON_EMPLOYEE, SECRET);
  attempt = begin_attempt (store, 0);
  thread = g_thread_new ("sign-in", sign_in_thread, &work);
  for (int seq = 1; seq <= 100; seq++)
    record_ok (store, attempt->uuid, seq, "st-next");
  g_thread_join (thread);
  g_assert_cmpint (work.n_failed, ==, 0);
  g_assert_cmpint (count_audit (store, "sign-in"), ==, 30);
  g_assert_cmpint (n_responses (store), ==, 100);
}


/* The attack of issue 10: a stranger types one wrong PIN for the admin's
 * number each time its lock ends. The admin can still sign in. */
static void
test_auth_stranger_cannot_lock_admin (Fixture *f, gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr (RsStore) store = open_store (f->path);
  g_autoptr (GError) error = NULL;
  gint64 admin = add_person (store, "1000", NULL, RS_PERSON_ADMIN, "246810");
  gboolean was_locked = FALSE;
  int retry = 0;

  /* Round after round: a series of wrong PINs locks the number, and one
   * more wrong PIN as the lock ends (which used to lock it again, for
   * twice as long each time, up to an hour) leaves the admin free to sign
   * in. No lock is ever longer than the cap. */
  for (int round = 0; round < 10; round++)
    {
      g_autoptr (RsPerson) person = NULL;

      for (int i = 1; i < RS_STORE_MAX_FAILED_PINS; i++)
        sign_in (store, "1000", "999999", RS_ERROR_AUTH, NULL);
      sign_in (store, "1000", "999999", RS_ERROR_LOCKED_OUT, &retry);
      g_assert_cmpint (retry, <=, RS_STORE_MAX_LOCK_SECONDS);
      fake_now += (gint64) (retry + 1) * G_USEC_PER_SEC;
      sign_in (store, "1000", "999999", RS_ERROR_AUTH, NULL);
      person = sign_in (store, "1000", "246810", -1, NULL);
      g_assert_cmpint (person->id, ==, admin);
    }
  /* A lock in force, lifted at the terminal (and audited). */
  for (int i = 1; i <= RS_STORE_MAX_FAILED_PINS; i++)
    sign_in (store, "1000", "999999", i < RS_STORE_MAX_FAILED_PINS ? RS_ERROR_AUTH : RS_ERROR_LOCKED_OUT, NULL);
  sign_in (store, "1000", "246810", RS_ERROR_LOCKED_OUT, NULL);
  g_assert_true (rs_store_unlock (store, "1000", &was_locked, &error));
  g_assert_no_error (error);
  g_assert_true (was_locked);
  g_clear_pointer (&error, g_error_free);
  {
    g_autoptr (RsPerson) person = sign_in (store, "1000", "246810", -1, NULL);
    g_assert_cmpint (person->id, ==, admin);
  }
  g_assert_cmpint (sql_int (rs_store_get_db (store), "SELECT count(*) FROM audit WHERE event = 'sign-in-unlocked'"),
                   ==, 1);
}

/* Wrong tries with made-up numbers are remembered for a bounded number of
 * numbers only. */
static void
test_auth_unknown_bounded (Fixture *f, gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr (RsStore) store = open_store (f->path);

  add_person (store, "E1", NULL, RS_PERSON_EMPLOYEE, "4321");
  sign_in (store, "E1", "0000", RS_ERROR_AUTH, NULL);
  for (int i = 0; i < RS_STORE_MAX_UNKNOWN_FAILURES + 40; i++)
    {
      g_autofree char *number = g_strdup_printf ("X%05d", i);
      fake_now += G_USEC_PER_SEC;
      sign_in (store, number, "0000", RS_ERROR_AUTH, NULL);
    }
  g_assert_cmpint (sql_int (rs_store_get_db (store),
                            "SELECT count(*) FROM sign_in_failures WHERE employee_no LIKE 'X%'"),
                   ==, RS_STORE_MAX_UNKNOWN_FAILURES);
  /* A real person's count is not pushed out. */
  g_assert_cmpint (sql_int (rs_store_get_db (store), "SELECT failed_count FROM sign_in_failures WHERE employee_no = 'E1'"),
                   ==, 1);
}

/* The first administrator: freely on an empty database; with people but no
 * admin, only with the code made at the terminal. */
static void
test_first_run (Fixture *f, gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr (RsStore) store = open_store (f->path);
  g_autoptr (GError) error = NULL;
  g_autofree char *code = NULL;
  gint64 id = 0;

  g_assert_cmpint (rs_store_first_run (store), ==, RS_FIRST_RUN_OPEN);
  add_person (store, "3001", "Team", RS_PERSON_EMPLOYEE, NULL);
  add_person (store, "2000", "Team", RS_PERSON_MANAGER, NULL);
  /* An import without an admin: no first-run page for whoever walks up. */
  g_assert_cmpint (rs_store_first_run (store), ==, RS_FIRST_RUN_NONE);
  g_assert_false (rs_store_create_first_admin (store, "666", "Walk Up", "123456", NULL, &id, &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_DENIED);
  g_clear_error (&error);

  g_assert_true (rs_store_create_setup_code (store, &code, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (code), ==, 9);
  g_assert_cmpint (rs_store_first_run (store), ==, RS_FIRST_RUN_CODE);
  /* Kept only as a hash. */
  {
    g_autofree char *digits = g_strdup_printf ("%.4s%.4s", code, code + 5);
    g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM meta WHERE value LIKE '%%%s%%'", digits);
    g_assert_cmpint (sql_int (rs_store_get_db (store), sql), ==, 0);
  }
  g_assert_false (rs_store_create_first_admin (store, "666", "Walk Up", "123456", "0000-0000", &id, &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_AUTH);
  g_clear_error (&error);
  g_assert_true (rs_store_create_first_admin (store, "1", "Grace Admin", "123456", code, &id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (rs_store_first_run (store), ==, RS_FIRST_RUN_NONE);
  g_assert_true (rs_store_has_admin (store));
  /* Once only. */
  g_assert_false (rs_store_create_first_admin (store, "2", "Second", "123456", code, &id, &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_DENIED);
}

/* Wrong codes void the code after a few tries. */
static void
test_setup_code_tries (Fixture *f, gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr (RsStore) store = open_store (f->path);
  g_autoptr (GError) error = NULL;
  g_autofree char *code = NULL;

  add_person (store, "3001", "Team", RS_PERSON_EMPLOYEE, NULL);
  g_assert_true (rs_store_create_setup_code (store, &code, &error));
  for (int i = 0; i < RS_STORE_MAX_SETUP_CODE_TRIES; i++)
    {
      g_assert_false (rs_store_create_first_admin (store, "1", "Admin", "123456", "1111-2222", NULL, &error));
      g_assert_error (error, RS_ERROR, RS_ERROR_AUTH);
      g_clear_error (&error);
    }
  g_assert_cmpint (rs_store_first_run (store), ==, RS_FIRST_RUN_NONE);
  g_assert_false (rs_store_create_first_admin (store, "1", "Admin", "123456", code, NULL, &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_DENIED);
  g_clear_error (&error);
  /* And it expires. */
  g_clear_pointer (&code, g_free);
  g_assert_true (rs_store_create_setup_code (store, &code, &error));
  fake_now += (gint64) (RS_STORE_SETUP_CODE_MINUTES + 1) * 60 * G_USEC_PER_SEC;
  g_assert_false (rs_store_create_first_admin (store, "1", "Admin", "123456", code, NULL, &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_DENIED);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  /* Hashing at full cost would make this suite take minutes. */
  g_setenv ("RESKILL_FAST_KDF", "1", TRUE);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/store/open/create-reopen", test_create_reopen);
  ADD ("/store/open/pragmas", test_pragmas);
  g_test_add_func ("/store/open/memory", test_memory);
  ADD ("/store/open/corrupt-random", test_corrupt_random);
  ADD ("/store/open/corrupt-truncated", test_corrupt_truncated);
  ADD ("/store/open/corrupt-garbled", test_corrupt_garbled);
  ADD ("/store/open/integrity-check", test_integrity_check);
  ADD ("/store/open/foreign-database", test_foreign_database);
  ADD ("/store/open/too-new", test_too_new);
  ADD ("/store/open/locked", test_locked_at_open);
  g_test_add_func ("/store/open/read-only", test_readonly);
  ADD ("/store/migrate/v1", test_migrate_v1);
  ADD ("/store/migrate/failure", test_migrate_failure);
  ADD ("/store/people", test_people);
  ADD ("/store/auth/basic", test_auth_basic);
  ADD ("/store/auth/role", test_auth_role);
  ADD ("/store/auth/lockout", test_auth_lockout);
  ADD ("/store/auth/stranger-cannot-lock-admin", test_auth_stranger_cannot_lock_admin);
  ADD ("/store/auth/unknown-bounded", test_auth_unknown_bounded);
  ADD ("/store/first-run", test_first_run);
  ADD ("/store/first-run/setup-code-tries", test_setup_code_tries);
  ADD ("/store/auth/secret-not-stored", test_secret_not_stored);
  ADD ("/store/attempt/round-trip", test_attempt_round_trip);
  ADD ("/store/attempt/invalid", test_attempt_invalid);
  ADD ("/store/attempt/wrong-seq", test_wrong_seq);
  ADD ("/store/attempt/pending-with-answer", test_pending_with_answer);
  ADD ("/store/attempt/locked-write", test_locked_write);
  ADD ("/store/attempt/finish-fails-partway", test_finish_fails_partway);
  ADD ("/store/attempt/disk-full", test_disk_full);
  ADD ("/store/attempt/record-timing", test_record_timing);
  /* Last: no test may touch the environment once a thread has run. */
  ADD ("/store/attempt/threads", test_threads);
#undef ADD
  return g_test_run ();
}
