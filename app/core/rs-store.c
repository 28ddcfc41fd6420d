/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The SQLite store. Three rules shape this file:
 *
 * - A database we do not fully understand is never written. Opening checks
 *   the file (quick_check, schema version) before anything could write to
 *   it, and keeps SQLite from checkpointing someone else's WAL into it until
 *   those checks have passed.
 * - Every statement is a constant SQL text with bound values, prepared once
 *   and cached (rs_store_query), so the per-answer path costs no parsing.
 * - Every SQLite failure goes through set_error(), which maps it into RS_ERROR
 *   with the path and what a person can do about it. */
#include "rs-store.h"


#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "rs-error.h"
#include "rs-kiosk-key.h"
#include "rs-store-private.h"

#define DEFAULT_BUSY_TIMEOUT_MS 5000

struct _RsStore {
  /* Calls are serialized: the sign-in page checks PINs on a worker thread
   * while the main thread may use the store. Each public function that
   * touches the database holds this; none calls another while holding it. */
  GMutex lock;
  sqlite3 *db;
  char *path;
  char *kiosk_id;
  int schema_version;
  GHashTable *statements;            /* SQL text (static) → sqlite3_stmt * */
  unsigned long long kdf_ops;
  size_t kdf_mem;
  char *dummy_hash;                  /* what unknown numbers are checked against */
  RsKioskKey *key;                   /* NULL: a read-only database without its key file */
  gboolean read_only;
};

static gint64 (*store_clock) (void) = g_get_real_time;

/* Defined only in app/rs-fast-kdf.c, which the tests, `reskill-test` and
 * the benchmark link and the installed program does not: a weak reference
 * is NULL where the symbol is absent. */
extern const gboolean rs_fast_kdf_linked __attribute__ ((weak));

gboolean
rs_store_fast_kdf (void)
{
  return &rs_fast_kdf_linked != NULL && rs_fast_kdf_linked
         && g_strcmp0 (g_getenv ("RESKILL_FAST_KDF"), "1") == 0;
}

void
rs_store_set_clock (gint64 (*now_us) (void))
{
  store_clock = now_us != NULL ? now_us : g_get_real_time;
}

gint64
rs_store_now (void)
{
  return store_clock ();
}

GMutex *
rs_store_get_lock (RsStore *store)
{
  return &store->lock;
}

/* --- errors --- */

/* The one place SQLite results become RS_ERROR codes. rc is a SQLite result
 * code (extended or not); sys_errno (0 when unknown) tells apart the causes
 * SQLite reports as one I/O result: a missing folder, no permission, a
 * read-only or full disk. detail is SQLite's or the system's own words. */
static void
set_error (GError **error, const char *path, int rc, int sys_errno, const char *detail)
{
  RsError code;
  const char *problem, *advice;

  /* Only for I/O results: sqlite3_system_errno() keeps its value until the
   * next failed system call, so it may be stale for other results. */
  if ((rc & 0xff) == SQLITE_CANTOPEN || (rc & 0xff) == SQLITE_IOERR)
    {
      if (sys_errno == ENOSPC)
        rc = SQLITE_FULL;
      else if (sys_errno == EROFS || sys_errno == EACCES || sys_errno == EPERM)
        rc = SQLITE_READONLY;
    }

  switch (rc & 0xff)
    {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      code = RS_ERROR_DB_CORRUPT;
      problem = _("damaged, or not a Reskill database");
      advice = _("Restore it from a backup, or move it aside to start an empty one.");
      break;
    case SQLITE_READONLY:
    case SQLITE_PERM:
      code = RS_ERROR_DB_READONLY;
      problem = _("cannot be written");
      advice = _("Make the file and its folder writable for this user, or use a database on a writable disk.");
      break;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      code = RS_ERROR_DB_LOCKED;
      problem = _("in use by another program");
      advice = _("Close any other Reskill using it and try again.");
      break;
    case SQLITE_FULL:
      code = RS_ERROR_DB_FULL;
      problem = _("the disk is full");
      advice = _("Free some space and try again.");
      break;
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
      code = RS_ERROR_IO;
      problem = _("cannot be opened, read or written");
      advice = _("Check that its folder exists and that the disk works.");
      break;
    case SQLITE_CONSTRAINT:
      code = RS_ERROR_INVALID;
      problem = _("the change breaks a rule of the database");
      advice = _("Check the data given.");
      break;
    default:
      code = RS_ERROR_DB;
      problem = _("unexpected database error");
      advice = _("Ask an administrator to check the database.");
      break;
    }
  /* Translators: the database file, what is wrong with it, SQLite's own
   * words (in English), and what to do, for example "reskill.db: the disk
   * is full (database or disk is full). Free some space and try again." */
  g_set_error (error, RS_ERROR, code, _("%s: %s (%s). %s"), path, problem, detail, advice);
}

/* The last failure of the store's connection. */
void
rs_store_fail (RsStore *store, int rc, GError **error)
{
  set_error (error, store->path, rc, sqlite3_system_errno (store->db), sqlite3_errmsg (store->db));
}

/* Content SQLite accepted but Reskill cannot read: damaged by hand or by a
 * program that does not know the schema. */
static void
store_fail_content (RsStore *store, GError **error, const char *what, const char *value)
{
  /* Translators: a kind of value ("mode", "skill list") and the value. */
  g_autofree char *detail = g_strdup_printf (_("%s \"%s\" is unknown"), what, value ? value : "(null)");

  set_error (error, store->path, SQLITE_CORRUPT, 0, detail);
}

/* --- statements --- */

/* A cached statement lent for one use: the cleanup resets it and drops its
 * bindings, which is also what makes binding text with SQLITE_STATIC safe
 * (the caller's strings outlive every step). */

void
rs_store_stmt_release (RsStoreStmt *stmt)
{
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}


/* Binds by a type string, one letter per parameter: 's' const char * (NULL
 * binds NULL), 'i' int, 'l' gint64, 'r' gint64 row id where 0 binds NULL
 * (guest, no team), 'd' double. */
static int
store_bind (sqlite3_stmt *stmt, const char *types, va_list args)
{
  int rc = SQLITE_OK;

  g_return_val_if_fail ((int) strlen (types) == sqlite3_bind_parameter_count (stmt), SQLITE_MISUSE);
  for (int i = 0; types[i] != '\0' && rc == SQLITE_OK; i++)
    {
      int n = i + 1;

      switch (types[i])
        {
        case 's':
          {
            const char *text = va_arg (args, const char *);
            rc = text != NULL ? sqlite3_bind_text (stmt, n, text, -1, SQLITE_STATIC)
                              : sqlite3_bind_null (stmt, n);
            break;
          }
        case 'i':
          rc = sqlite3_bind_int (stmt, n, va_arg (args, int));
          break;
        case 'l':
          rc = sqlite3_bind_int64 (stmt, n, va_arg (args, gint64));
          break;
        case 'r':
          {
            gint64 id = va_arg (args, gint64);
            rc = id != 0 ? sqlite3_bind_int64 (stmt, n, id) : sqlite3_bind_null (stmt, n);
            break;
          }
        case 'd':
          rc = sqlite3_bind_double (stmt, n, va_arg (args, double));
          break;
        default:
          g_return_val_if_reached (SQLITE_MISUSE);
        }
    }
  return rc;
}

static void
finalize_stmt (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

sqlite3_stmt *
rs_store_queryv (RsStore *store, GError **error, const char *sql, const char *types, va_list args)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (store->statements, sql);
  int rc;

  if (stmt == NULL)
    {
      rc = sqlite3_prepare_v3 (store->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
      if (rc != SQLITE_OK)
        {
          rs_store_fail (store, rc, error);
          return NULL;
        }
      g_hash_table_insert (store->statements, (gpointer) sql, stmt);
    }
  /* The same text used twice at once would reset the outer use. */
  g_return_val_if_fail (!sqlite3_stmt_busy (stmt), NULL);
  rc = store_bind (stmt, types, args);
  if (rc != SQLITE_OK)
    {
      rs_store_fail (store, rc, error);
      rs_store_stmt_release (stmt);
      return NULL;
    }
  return stmt;
}

/* The statement for sql (a string constant: it keys the cache), prepared on
 * first use, with the values that follow bound as described by types. Hold
 * it in a g_autoptr (RsStoreStmt). */
sqlite3_stmt *
rs_store_query (RsStore *store, GError **error, const char *sql, const char *types, ...)
{
  sqlite3_stmt *stmt;
  va_list args;

  va_start (args, types);
  stmt = rs_store_queryv (store, error, sql, types, args);
  va_end (args);
  return stmt;
}

/* SQLITE_ROW or SQLITE_DONE; any other result is mapped into error. */
int
rs_store_step (RsStore *store, sqlite3_stmt *stmt, GError **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    rs_store_fail (store, rc, error);
  return rc;
}

/* Runs a statement that returns no rows (or whose rows do not matter). */
gboolean
rs_store_exec (RsStore *store, GError **error, const char *sql, const char *types, ...)
{
  g_autoptr (RsStoreStmt) stmt = NULL;
  va_list args;
  int rc;

  va_start (args, types);
  stmt = rs_store_queryv (store, error, sql, types, args);
  va_end (args);
  if (stmt == NULL)
    return FALSE;
  while ((rc = rs_store_step (store, stmt, error)) == SQLITE_ROW)
    ;
  return rc == SQLITE_DONE;
}

/* Runs a query for one value of its first row. With no row (or NULL),
 * *value keeps what the caller put there, or *text is NULL. */
static gboolean
store_get_valist (RsStore *store, gint64 *value, char **text, GError **error,
                  const char *sql, const char *types, va_list args)
{
  g_autoptr (RsStoreStmt) stmt = rs_store_queryv (store, error, sql, types, args);
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = rs_store_step (store, stmt, error);
  if (rc == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    {
      if (value != NULL)
        *value = sqlite3_column_int64 (stmt, 0);
      if (text != NULL)
        *text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
    }
  return rc == SQLITE_ROW || rc == SQLITE_DONE;
}

gboolean
rs_store_get_int (RsStore *store, gint64 *value, GError **error, const char *sql, const char *types, ...)
{
  va_list args;
  gboolean ok;

  va_start (args, types);
  ok = store_get_valist (store, value, NULL, error, sql, types, args);
  va_end (args);
  return ok;
}

gboolean
rs_store_get_text (RsStore *store, char **text, GError **error, const char *sql, const char *types, ...)
{
  va_list args;
  gboolean ok;

  *text = NULL;
  va_start (args, types);
  ok = store_get_valist (store, NULL, text, error, sql, types, args);
  va_end (args);
  return ok;
}

/* Writes take the lock at BEGIN (IMMEDIATE): waiting, if at all, happens
 * before any work, and COMMIT cannot then fail for a lock. Reads use a
 * deferred transaction only to see one snapshot across several queries.
 * The *_tx functions below run between a rs_store_begin() and its rs_store_end(). */
gboolean
rs_store_begin (RsStore *store, gboolean write, GError **error)
{
  return write ? rs_store_exec (store, error, "BEGIN IMMEDIATE", "")
               : rs_store_exec (store, error, "BEGIN", "");
}

/* Commits when ok, else rolls back; returns whether the work is committed. */
gboolean
rs_store_end (RsStore *store, gboolean ok, GError **error)
{
  if (ok && rs_store_exec (store, error, "COMMIT", ""))
    return TRUE;
  /* A COMMIT that failed (disk full) can leave the transaction open. */
  if (!sqlite3_get_autocommit (store->db))
    sqlite3_exec (store->db, "ROLLBACK", NULL, NULL, NULL);
  return FALSE;
}

char *
rs_store_column_strdup (sqlite3_stmt *stmt, int column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

/* Levels are kept as lower-case names ("proficient"): readable in the file
 * and checked by the schema. */
char *
rs_store_level_to_db (RsLevel level)
{
  return g_strdup (rs_level_id (level));
}

/* --- schema --- */

/* Version 1: the first release. Never edit a released step: add one. */
static const char schema_v1[] =
  "CREATE TABLE teams (\n"
  "  id INTEGER PRIMARY KEY,\n"
  "  name TEXT NOT NULL UNIQUE CHECK (name <> '')\n"
  ");\n"
  "CREATE TABLE people (\n"
  "  id INTEGER PRIMARY KEY,\n"
  "  employee_no TEXT NOT NULL UNIQUE CHECK (employee_no <> ''),\n"
  "  name TEXT NOT NULL CHECK (name <> ''),\n"
  "  team_id INTEGER REFERENCES teams (id),\n"
  "  role TEXT NOT NULL CHECK (role IN ('employee', 'manager', 'admin')),\n"
  "  secret_hash TEXT,\n"
  "  active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))\n"
  ");\n"
  "CREATE TABLE team_managers (\n"
  "  team_id INTEGER NOT NULL REFERENCES teams (id),\n"
  "  person_id INTEGER NOT NULL REFERENCES people (id),\n"
  "  PRIMARY KEY (team_id, person_id)\n"
  ");\n"
  "CREATE TABLE attempts (\n"
  "  uuid TEXT NOT NULL PRIMARY KEY,\n"
  "  person_id INTEGER REFERENCES people (id),\n"
  "  mode TEXT NOT NULL CHECK (mode IN ('quick', 'standard', 'precise')),\n"
  "  skills TEXT NOT NULL,\n"
  "  seed INTEGER NOT NULL,\n"
  "  bank_version TEXT,\n"
  "  status TEXT NOT NULL CHECK (status IN ('in_progress', 'finished')),\n"
  "  started_at INTEGER NOT NULL,\n"
  "  finished_at INTEGER\n"
  ");\n"
  "CREATE TABLE responses (\n"
  "  attempt_id TEXT NOT NULL REFERENCES attempts (uuid),\n"
  "  seq INTEGER NOT NULL CHECK (seq >= 1),\n"
  "  item_id TEXT NOT NULL,\n"
  "  skill TEXT NOT NULL CHECK (skill IN ('python', 'statistics', 'ml', 'empathy')),\n"
  "  answer TEXT NOT NULL,\n"
  "  score INTEGER NOT NULL,\n"
  "  max_score INTEGER NOT NULL,\n"
  "  theta REAL NOT NULL,\n"
  "  se REAL NOT NULL,\n"
  "  time_ms INTEGER NOT NULL,\n"
  "  answered_at INTEGER NOT NULL,\n"
  "  PRIMARY KEY (attempt_id, seq)\n"
  ") WITHOUT ROWID;\n"
  "CREATE TABLE results (\n"
  "  attempt_id TEXT NOT NULL REFERENCES attempts (uuid),\n"
  "  skill TEXT NOT NULL CHECK (skill IN ('python', 'statistics', 'ml', 'empathy')),\n"
  "  theta REAL NOT NULL,\n"
  "  se REAL NOT NULL,\n"
  "  n_items INTEGER NOT NULL,\n"
  "  level TEXT NOT NULL CHECK (level IN ('novice', 'developing', 'proficient', 'advanced', 'expert')),\n"
  "  PRIMARY KEY (attempt_id, skill)\n"
  ");\n"
  "PRAGMA user_version = 1;\n";

/* Version 2: what running kiosks showed was missing. Sign-in failures are
 * keyed by the number typed, not by person, so that a number nobody has is
 * counted and locked exactly like a real one. */
static const char schema_v2[] =
  "CREATE TABLE meta (\n"
  "  key TEXT NOT NULL PRIMARY KEY,\n"
  "  value TEXT NOT NULL\n"
  ") WITHOUT ROWID;\n"
  "CREATE TABLE audit (\n"
  "  id INTEGER PRIMARY KEY,\n"
  "  at INTEGER NOT NULL,\n"
  "  person_id INTEGER REFERENCES people (id),\n"
  "  event TEXT NOT NULL CHECK (event <> ''),\n"
  "  detail TEXT\n"
  ");\n"
  "CREATE TABLE sign_in_failures (\n"
  "  employee_no TEXT NOT NULL PRIMARY KEY,\n"
  "  failed_count INTEGER NOT NULL,\n"
  "  locked_until INTEGER NOT NULL DEFAULT 0\n"
  ") WITHOUT ROWID;\n"
  "CREATE TABLE self_estimates (\n"
  "  attempt_id TEXT NOT NULL REFERENCES attempts (uuid),\n"
  "  skill TEXT NOT NULL CHECK (skill IN ('python', 'statistics', 'ml', 'empathy')),\n"
  "  level TEXT NOT NULL CHECK (level IN ('novice', 'developing', 'proficient', 'advanced', 'expert')),\n"
  "  PRIMARY KEY (attempt_id, skill)\n"
  ") WITHOUT ROWID;\n"
  "ALTER TABLE attempts ADD COLUMN kiosk_id TEXT;\n"
  "ALTER TABLE attempts ADD COLUMN pending_item_id TEXT;\n"
  "CREATE INDEX attempts_by_person ON attempts (person_id, status, started_at);\n"
  "CREATE INDEX people_by_team ON people (team_id);\n"
  "CREATE INDEX team_managers_by_person ON team_managers (person_id);\n"
  "CREATE INDEX audit_by_time ON audit (at);\n"
  "PRAGMA user_version = 2;\n";

/* The kiosk id is made here, not in SQL, to be a real UUID. Attempts older
 * than kiosk ids were made on this machine: they get its id. */
static gboolean
migrate_v2_data (RsStore *store, GError **error)
{
  g_autofree char *kiosk_id = g_uuid_string_random ();

  return rs_store_exec (store, error, "INSERT INTO meta (key, value) VALUES ('kiosk_id', ?)", "s", kiosk_id)
         && rs_store_exec (store, error, "UPDATE attempts SET kiosk_id = ? WHERE kiosk_id IS NULL", "s", kiosk_id);
}

/* Version 3: an unfinished attempt can be set aside for a new one instead
 * of being offered for resuming forever. */
static const char schema_v3[] =
  "ALTER TABLE attempts ADD COLUMN abandoned_at INTEGER;\n"
  "PRAGMA user_version = 3;\n";

/* Version 4 (issue 10): the kiosks whose signed results this database
 * accepts (keyed by the fingerprint of their public key, which an
 * administrator compares on both kiosks; the key itself is kept once a key
 * file or a bundle showed it); sign-in locks that each need a fresh series
 * of wrong tries, so a stranger cannot renew an administrator's lock with
 * one guess each time it ends; and covering indexes that let a team's or
 * a person's results be read without a lookup per row at 10,000 people
 * (IF NOT EXISTS: a benchmark copy may have them made by hand). */
static const char schema_v4[] =
  "CREATE TABLE trusted_kiosks (\n"
  "  fingerprint TEXT NOT NULL PRIMARY KEY CHECK (length (fingerprint) = 39),\n"
  "  public_key TEXT CHECK (public_key IS NULL OR length (public_key) = 64),\n"
  "  name TEXT,\n"
  "  trusted_at INTEGER NOT NULL,\n"
  "  trusted_by INTEGER REFERENCES people (id),\n"
  "  revoked_at INTEGER,\n"
  "  revoked_by INTEGER REFERENCES people (id)\n"
  ") WITHOUT ROWID;\n"
  "ALTER TABLE sign_in_failures ADD COLUMN lock_count INTEGER NOT NULL DEFAULT 0;\n"
  "ALTER TABLE sign_in_failures ADD COLUMN last_failed_at INTEGER NOT NULL DEFAULT 0;\n"
  "CREATE INDEX IF NOT EXISTS attempts_finished_by_person ON attempts (person_id, status, finished_at, uuid);\n"
  "CREATE INDEX IF NOT EXISTS results_by_attempt ON results (attempt_id, skill, theta, se, n_items);\n"
  "PRAGMA user_version = 4;\n";

/* Version 5: calibrations (issue 9). Each applied calibration is a new
 * version with every item's parameters, SEs, fit, status and, for flagged
 * items, the administrator's decision. A result records the calibration it
 * was scored with and whether its SE rests on provisional items; re-scoring
 * with a newer calibration moves the old values to result_history. */
static const char schema_v5[] =
  "CREATE TABLE calibrations (\n"
  "  id INTEGER PRIMARY KEY,\n"
  "  uuid TEXT NOT NULL UNIQUE,\n"
  "  created_at INTEGER NOT NULL,\n"
  "  created_by INTEGER REFERENCES people (id),\n"
  "  min_responses INTEGER NOT NULL CHECK (min_responses >= 1),\n"
  "  bank_version TEXT,\n"
  "  summary TEXT NOT NULL\n"
  ");\n"
  "CREATE TABLE calibration_items (\n"
  "  calibration_id INTEGER NOT NULL REFERENCES calibrations (id),\n"
  "  item_id TEXT NOT NULL,\n"
  "  skill TEXT NOT NULL CHECK (skill IN ('python', 'statistics', 'ml', 'empathy')),\n"
  "  model TEXT NOT NULL CHECK (model IN ('2pl', '3pl', 'gpcm')),\n"
  "  status TEXT NOT NULL CHECK (status IN ('provisional', 'calibrated', 'flagged')),\n"
  "  anchor INTEGER NOT NULL CHECK (anchor IN (0, 1)),\n"
  "  n INTEGER NOT NULL CHECK (n >= 0),\n"
  "  a REAL NOT NULL,\n"
  "  b TEXT NOT NULL,\n"
  "  c REAL NOT NULL,\n"
  "  se_a REAL NOT NULL,\n"
  "  se_b TEXT NOT NULL,\n"
  "  se_c REAL NOT NULL,\n"
  "  fit_chi2 REAL NOT NULL,\n"
  "  fit_df INTEGER NOT NULL,\n"
  "  fit_p REAL NOT NULL,\n"
  "  flags TEXT NOT NULL,\n"
  "  decision TEXT CHECK (decision IN ('use', 'withhold')),\n"
  "  decided_by INTEGER REFERENCES people (id),\n"
  "  decided_at INTEGER,\n"
  "  PRIMARY KEY (calibration_id, item_id)\n"
  ") WITHOUT ROWID;\n"
  "ALTER TABLE results ADD COLUMN calibration TEXT;\n"
  "ALTER TABLE results ADD COLUMN se_provisional INTEGER NOT NULL DEFAULT 0;\n"
  "CREATE TABLE result_history (\n"
  "  attempt_id TEXT NOT NULL REFERENCES attempts (uuid),\n"
  "  skill TEXT NOT NULL CHECK (skill IN ('python', 'statistics', 'ml', 'empathy')),\n"
  "  theta REAL NOT NULL,\n"
  "  se REAL NOT NULL,\n"
  "  n_items INTEGER NOT NULL,\n"
  "  level TEXT NOT NULL,\n"
  "  calibration TEXT,\n"
  "  se_provisional INTEGER NOT NULL,\n"
  "  replaced_at INTEGER NOT NULL,\n"
  "  replaced_by TEXT\n"
  ");\n"
  "CREATE INDEX result_history_by_attempt ON result_history (attempt_id, skill);\n"
  "PRAGMA user_version = 5;\n";

/* Version 6: what the adaptive test needs (issue 9) to spread items and to decide
 * levels. Pretest answers are kept but marked unscored, also for the item
 * on screen; each result keeps the posterior probability of each level; the
 * prior each skill was measured with is kept so a result can be recomputed;
 * and running totals of how often each item was shown (and how many
 * attempts each skill had), kept by a trigger on every inserted answer
 * whatever inserts it, feed the exposure cap and pretest seeding without
 * counting every answer at each start. */
static const char schema_v6[] =
  "ALTER TABLE responses ADD COLUMN scored INTEGER NOT NULL DEFAULT 1 CHECK (scored IN (0, 1));\n"
  "ALTER TABLE attempts ADD COLUMN pending_scored INTEGER NOT NULL DEFAULT 1 CHECK (pending_scored IN (0, 1));\n"
  "ALTER TABLE results ADD COLUMN p_novice REAL CHECK (p_novice BETWEEN 0 AND 1);\n"
  "ALTER TABLE results ADD COLUMN p_developing REAL CHECK (p_developing BETWEEN 0 AND 1);\n"
  "ALTER TABLE results ADD COLUMN p_proficient REAL CHECK (p_proficient BETWEEN 0 AND 1);\n"
  "ALTER TABLE results ADD COLUMN p_advanced REAL CHECK (p_advanced BETWEEN 0 AND 1);\n"
  "ALTER TABLE results ADD COLUMN p_expert REAL CHECK (p_expert BETWEEN 0 AND 1);\n"
  "CREATE TABLE attempt_priors (\n"
  "  attempt_id TEXT NOT NULL REFERENCES attempts (uuid),\n"
  "  skill TEXT NOT NULL CHECK (skill IN ('python', 'statistics', 'ml', 'empathy')),\n"
  "  mean REAL NOT NULL,\n"
  "  sd REAL NOT NULL CHECK (sd > 0),\n"
  "  PRIMARY KEY (attempt_id, skill)\n"
  ") WITHOUT ROWID;\n"
  "CREATE TABLE item_usage (\n"
  "  item_id TEXT NOT NULL PRIMARY KEY,\n"
  "  n_shown INTEGER NOT NULL\n"
  ") WITHOUT ROWID;\n"
  "CREATE TABLE skill_usage (\n"
  "  skill TEXT NOT NULL PRIMARY KEY CHECK (skill IN ('python', 'statistics', 'ml', 'empathy')),\n"
  "  n_attempts INTEGER NOT NULL\n"
  ") WITHOUT ROWID;\n"
  "INSERT INTO item_usage (item_id, n_shown) SELECT item_id, count(*) FROM responses GROUP BY item_id;\n"
  "INSERT INTO skill_usage (skill, n_attempts)\n"
  "  SELECT skill, count(DISTINCT attempt_id) FROM responses GROUP BY skill;\n"
  "CREATE TRIGGER responses_usage AFTER INSERT ON responses BEGIN\n"
  "  INSERT INTO item_usage (item_id, n_shown) VALUES (NEW.item_id, 1)\n"
  "    ON CONFLICT (item_id) DO UPDATE SET n_shown = n_shown + 1;\n"
  "  INSERT INTO skill_usage (skill, n_attempts) SELECT NEW.skill, 1\n"
  "    WHERE NOT EXISTS (SELECT 1 FROM responses WHERE attempt_id = NEW.attempt_id AND skill = NEW.skill\n"
  "                      AND seq <> NEW.seq)\n"
  "    ON CONFLICT (skill) DO UPDATE SET n_attempts = n_attempts + 1;\n"
  "END;\n"
  "PRAGMA user_version = 6;\n";

/* Version 7: exposure counted from the calibration in force (issue 9). A
 * calibration changes which items the test prefers; with rates over every
 * attempt ever, an item the new parameters favour could be shown to
 * everyone until its lifetime rate caught up (measured by `reskill study`:
 * 0.30 to 0.43 instead of 0.25). Each applied calibration keeps the running
 * totals of the moment it was applied, and the exposure cap counts from
 * there; pretest seeding still counts every answer. */
static const char schema_v7[] =
  "CREATE TABLE calibration_usage (\n"
  "  calibration_id INTEGER NOT NULL REFERENCES calibrations (id),\n"
  "  kind TEXT NOT NULL CHECK (kind IN ('item', 'skill')),\n"
  "  key TEXT NOT NULL,\n"
  "  n INTEGER NOT NULL CHECK (n >= 0),\n"
  "  PRIMARY KEY (calibration_id, kind, key)\n"
  ") WITHOUT ROWID;\n"
  "PRAGMA user_version = 7;\n";

/* Version 8 (issue 14): privacy. The visibility policy (the organization's
 * and per-team overrides), the retention periods and the version of the
 * notice every person confirms (one row, typed columns, so that an
 * organization's server can mirror it); the organization's own wording of
 * the notice per language; confirmations; practice attempts and when one
 * was shared; when a person was deactivated (retention counts from then);
 * the person an audit row is about (found again for the rows written
 * before, from their detail); who looked at whose results; answers kept
 * for calibration with no link to anyone; and tombstones of erasures: the
 * erased attempts' UUIDs and a keyed hash of the employee number, never
 * the number or the name (docs/PRIVACY.md says why). Reports read only
 * attempts that are not practice: a covering index with the flag keeps
 * them from looking up every attempt's row for it (a partial index on
 * practice = 0 does not cover in SQLite 3.40: the row is read anyway). */
static const char schema_v8[] =
  "CREATE TABLE privacy_policy (\n"
  "  id INTEGER PRIMARY KEY CHECK (id = 1),\n"
  "  visibility TEXT NOT NULL CHECK (visibility IN ('aggregates', 'levels', 'full')),\n"
  "  min_group INTEGER NOT NULL CHECK (min_group BETWEEN 2 AND 1000),\n"
  "  keep_results_months INTEGER NOT NULL CHECK (keep_results_months BETWEEN 1 AND 1200),\n"
  "  keep_inactive_months INTEGER NOT NULL CHECK (keep_inactive_months BETWEEN 0 AND 1200),\n"
  "  anonymous_answers INTEGER NOT NULL CHECK (anonymous_answers IN (0, 1)),\n"
  "  version INTEGER NOT NULL CHECK (version >= 1),\n"
  "  changed_at INTEGER,\n"
  "  changed_by INTEGER REFERENCES people (id)\n"
  ");\n"
  "INSERT INTO privacy_policy (id, visibility, min_group, keep_results_months, keep_inactive_months,\n"
  "  anonymous_answers, version) VALUES (1, 'levels', 5, 24, 12, 1, 1);\n"
  "CREATE TABLE team_policies (\n"
  "  team_id INTEGER NOT NULL PRIMARY KEY REFERENCES teams (id),\n"
  "  visibility TEXT NOT NULL CHECK (visibility IN ('aggregates', 'levels', 'full'))\n"
  ");\n"
  "CREATE TABLE notice_wording (\n"
  "  lang TEXT NOT NULL PRIMARY KEY,\n"
  "  text TEXT NOT NULL CHECK (text <> '')\n"
  ") WITHOUT ROWID;\n"
  "CREATE TABLE notice_confirmations (\n"
  "  person_id INTEGER NOT NULL REFERENCES people (id),\n"
  "  version INTEGER NOT NULL,\n"
  "  confirmed_at INTEGER NOT NULL,\n"
  "  PRIMARY KEY (person_id, version)\n"
  ") WITHOUT ROWID;\n"
  "ALTER TABLE people ADD COLUMN deactivated_at INTEGER;\n"
  "ALTER TABLE attempts ADD COLUMN practice INTEGER NOT NULL DEFAULT 0 CHECK (practice IN (0, 1));\n"
  "ALTER TABLE attempts ADD COLUMN shared_at INTEGER;\n"
  "CREATE INDEX attempts_shown_by_person ON attempts (person_id, status, practice, finished_at, uuid);\n"
  "ALTER TABLE audit ADD COLUMN subject_id INTEGER REFERENCES people (id);\n"
  "UPDATE audit SET subject_id = (SELECT p.id FROM people AS p WHERE p.employee_no = CASE audit.event\n"
  "    WHEN 'person-added' THEN substr (audit.detail, 1, instr (audit.detail, ' (') - 1)\n"
  "    WHEN 'person-updated' THEN substr (audit.detail, 1, instr (audit.detail, ': ') - 1)\n"
  "    WHEN 'team-manager' THEN substr (audit.detail, 1, CASE WHEN instr (audit.detail, ' no longer manages ') > 0\n"
  "      THEN instr (audit.detail, ' no longer manages ') ELSE instr (audit.detail, ' manages ') END - 1)\n"
  "    WHEN 'sign-in-unlocked' THEN substr (audit.detail, 1, instr (audit.detail, ' unlocked at the terminal') - 1)\n"
  "    ELSE audit.detail END)\n"
  "  WHERE audit.event IN ('person-added', 'person-updated', 'person-deactivated', 'person-reactivated',\n"
  "                        'pin-reset', 'team-manager', 'sign-in-unlocked');\n"
  "CREATE INDEX audit_by_person ON audit (person_id) WHERE person_id IS NOT NULL;\n"
  "CREATE INDEX audit_by_subject ON audit (subject_id) WHERE subject_id IS NOT NULL;\n"
  "CREATE TABLE result_views (\n"
  "  id INTEGER PRIMARY KEY,\n"
  "  at INTEGER NOT NULL,\n"
  "  viewer_id INTEGER REFERENCES people (id),\n"
  "  viewer_role TEXT NOT NULL CHECK (viewer_role IN ('employee', 'manager', 'admin', 'operator')),\n"
  "  person_id INTEGER NOT NULL REFERENCES people (id),\n"
  "  what TEXT NOT NULL CHECK (what IN ('member', 'team-report', 'team-pdf', 'team-csv', 'answers',\n"
  "                                     'data-export'))\n"
  ");\n"
  "CREATE INDEX result_views_by_person ON result_views (person_id, at);\n"
  "CREATE INDEX result_views_by_viewer ON result_views (viewer_id) WHERE viewer_id IS NOT NULL;\n"
  "CREATE TABLE anonymous_answers (\n"
  "  pattern INTEGER NOT NULL,\n"
  "  item_id TEXT NOT NULL,\n"
  "  skill TEXT NOT NULL CHECK (skill IN ('python', 'statistics', 'ml', 'empathy')),\n"
  "  score INTEGER NOT NULL CHECK (score >= 0),\n"
  "  max_score INTEGER NOT NULL CHECK (max_score >= score),\n"
  "  PRIMARY KEY (pattern, item_id)\n"
  ") WITHOUT ROWID;\n"
  "CREATE TABLE erasures (\n"
  "  uuid TEXT NOT NULL PRIMARY KEY,\n"
  "  kiosk_id TEXT NOT NULL,\n"
  "  erased_at INTEGER NOT NULL,\n"
  "  person_mac TEXT NOT NULL CHECK (length (person_mac) = 64),\n"
  "  number_box TEXT,\n"
  "  received_at INTEGER NOT NULL,\n"
  "  received_from TEXT\n"
  ") WITHOUT ROWID;\n"
  "CREATE INDEX erasures_by_mac ON erasures (person_mac, erased_at);\n"
  "CREATE TABLE erased_attempts (\n"
  "  attempt_id TEXT NOT NULL PRIMARY KEY,\n"
  "  erasure_uuid TEXT NOT NULL REFERENCES erasures (uuid)\n"
  ") WITHOUT ROWID;\n"
  "PRAGMA user_version = 8;\n";

/* People deactivated before version 8 have no date: retention counts
 * from the upgrade, never from a guess that could delete them at once. */
static gboolean
migrate_v8_data (RsStore *store, GError **error)
{
  return rs_store_exec (store, error, "UPDATE people SET deactivated_at = ? WHERE active = 0", "l", store_clock ());
}

/* Version 9 (issue 13): syncing with the organization's server. What was
 * pushed of each of this kiosk's attempts (how many answers, finished or
 * not) and what the server made of it, so that a sync sends only what
 * changed and an interrupted one resumes; where the last pull got to
 * (sync_state: the server's identity and its snapshot cursor); which
 * local team is which team of the server, so that renames follow. */
static const char schema_v9[] =
  "CREATE TABLE sync_state (\n"
  "  key TEXT NOT NULL PRIMARY KEY,\n"
  "  value TEXT NOT NULL\n"
  ") WITHOUT ROWID;\n"
  "CREATE TABLE sync_pushed (\n"
  "  attempt_id TEXT NOT NULL PRIMARY KEY REFERENCES attempts (uuid),\n"
  "  n_responses INTEGER NOT NULL,\n"
  "  finished INTEGER NOT NULL CHECK (finished IN (0, 1)),\n"
  "  outcome TEXT NOT NULL,\n"
  "  detail TEXT,\n"
  "  at INTEGER NOT NULL\n"
  ") WITHOUT ROWID;\n"
  "CREATE TABLE server_teams (\n"
  "  server_id INTEGER NOT NULL PRIMARY KEY,\n"
  "  team_id INTEGER NOT NULL UNIQUE REFERENCES teams (id)\n"
  ");\n"
  "PRAGMA user_version = 9;\n";

/* Version 10 (issue 11): one-time PINs. A PIN an administrator made
 * (adding a person, importing people, resetting a PIN) was seen by them
 * and often printed: it must be changed at the first sign-in, before
 * anything else. The flag is cleared only by the person's own change. */
static const char schema_v10[] =
  "ALTER TABLE people ADD COLUMN pin_one_time INTEGER NOT NULL DEFAULT 0 CHECK (pin_one_time IN (0, 1));\n"
  "PRAGMA user_version = 10;\n";

static const struct {
  const char *sql;
  gboolean (*data) (RsStore *store, GError **error);   /* may be NULL */
} migrations[RS_STORE_SCHEMA_VERSION] = {
  { schema_v1, NULL },
  { schema_v2, migrate_v2_data },
  { schema_v3, NULL },
  { schema_v4, NULL },
  { schema_v5, NULL },
  { schema_v6, NULL },
  { schema_v7, NULL },
  { schema_v8, migrate_v8_data },
  { schema_v9, NULL },
  { schema_v10, NULL },
};

static gboolean
check_not_too_new (RsStore *store, gint64 version, GError **error)
{
  if (version <= RS_STORE_SCHEMA_VERSION)
    return TRUE;
  g_set_error (error, RS_ERROR, RS_ERROR_DB_TOO_NEW,
               _("%s was made by a newer Reskill (schema version %lld, this one knows up to %d). Install that "
                 "version; this one has not changed the file."),
               store->path, (long long) version, RS_STORE_SCHEMA_VERSION);
  return FALSE;
}

/* Runs inside the migration transaction: the version is read again under the
 * write lock, since another process may have upgraded the file meanwhile. */
static gboolean
migrate_tx (RsStore *store, GError **error)
{
  gint64 version = 0;

  if (!rs_store_get_int (store, &version, error, "PRAGMA user_version", "")
      || !check_not_too_new (store, version, error))
    return FALSE;
  for (gint64 v = version; v < RS_STORE_SCHEMA_VERSION; v++)
    {
      /* Scripts of constant SQL only: values go through migrations[].data. */
      int rc = sqlite3_exec (store->db, migrations[v].sql, NULL, NULL, NULL);

      if (rc != SQLITE_OK)
        {
          rs_store_fail (store, rc, error);
          g_prefix_error (error, _("Upgrading to schema version %lld failed: "), (long long) (v + 1));
          return FALSE;
        }
      if (migrations[v].data != NULL && !migrations[v].data (store, error))
        return FALSE;
    }
  return TRUE;
}

/* --- opening --- */

static int
busy_timeout_ms (void)
{
  /* RESKILL_BUSY_TIMEOUT_MS: tests shorten the wait for another process's
   * lock so that the locked-database test takes a tenth of a second. */
  const char *text = g_getenv ("RESKILL_BUSY_TIMEOUT_MS");
  guint64 ms;

  if (text != NULL && g_ascii_string_to_unsigned (text, 10, 0, G_MAXINT, &ms, NULL))
    return (int) ms;
  return DEFAULT_BUSY_TIMEOUT_MS;
}

/* Creates a missing database file ourselves, so that it is born 0600 (SQLite
 * would honour the umask); its -wal and -shm then inherit that mode. */
static gboolean
create_private_file (const char *path, gboolean *created, GError **error)
{
  int fd = g_open (path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

  *created = fd >= 0;
  if (fd >= 0)
    return g_close (fd, NULL);
  if (errno == EEXIST)
    return TRUE;
  set_error (error, path, SQLITE_CANTOPEN, errno, g_strerror (errno));
  return FALSE;
}

/* Reads only: nothing here may write to a file that turns out to be damaged
 * or newer than us. What is checked on every open is what is cheap: the
 * header and the schema (SQLite reads and parses them: a file that is not
 * SQLite, or whose schema pages are damaged, fails here), the schema
 * version, and the verdict of the last full check, which a damaged file
 * keeps until a full check passes again. The full check reads every page
 * (about 1 s per 100 MB here), which made every command as slow as the
 * file was large; it runs where it matters instead: after an import, on
 * `reskill check`, and every RS_STORE_CHECK_INTERVAL_DAYS at the kiosk's
 * start (docs/ARCHITECTURE.md, "Integrity", says why that keeps the
 * guarantees). full_check asks for it now. */
static gboolean
check_file (RsStore *store, gint64 *version, gboolean full_check, GError **error)
{
  g_autofree char *check = NULL;
  g_autofree char *verdict = NULL;
  gint64 n_objects = 0, has_meta = 0;

  if (!store->read_only && sqlite3_db_readonly (store->db, "main") == 1)
    {
      set_error (error, store->path, SQLITE_READONLY, 0, _("the file is read-only"));
      return FALSE;
    }
  if (full_check)
    {
      if (!rs_store_get_text (store, &check, error, "PRAGMA quick_check", ""))
        return FALSE;
      if (g_strcmp0 (check, "ok") != 0)
        {
          set_error (error, store->path, SQLITE_CORRUPT, 0, check);
          return FALSE;
        }
    }
  if (!rs_store_get_int (store, version, error, "PRAGMA user_version", "")
      || !rs_store_get_int (store, &n_objects, error, "SELECT count(*) FROM sqlite_schema", "")
      || !rs_store_get_int (store, &has_meta, error,
                            "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'meta'", ""))
    return FALSE;
  if (*version == 0 && n_objects > 0)
    {
      set_error (error, store->path, SQLITE_NOTADB, 0, _("it holds the tables of another program"));
      return FALSE;
    }
  if (!check_not_too_new (store, *version, error))
    return FALSE;
  /* A full check that found damage is remembered until one passes. */
  if (!full_check && has_meta > 0
      && !rs_store_get_text (store, &verdict, error, "SELECT value FROM meta WHERE key = 'integrity'", ""))
    return FALSE;
  if (verdict != NULL && !g_str_equal (verdict, "ok"))
    {
      g_autofree char *detail = g_strdup_printf (_("the last full check found: %s; run reskill check --db %s"),
                                                 verdict, store->path);
      set_error (error, store->path, SQLITE_CORRUPT, 0, detail);
      return FALSE;
    }
  return TRUE;
}

/* A truncated file, caught from its header alone: SQLite keeps the number
 * of pages in the header (valid when the change counter and the
 * version-valid-for number agree). With no write-ahead log holding newer
 * pages, a file shorter than that lost its end. */
static gboolean
check_length (RsStore *store, GError **error)
{
  g_autofree char *wal = g_strconcat (store->path, "-wal", NULL);
  guint8 header[100];
  GStatBuf st, wal_st;
  guint64 page_size, n_pages;
  FILE *file;
  gsize n;

  if (g_str_equal (store->path, ":memory:") || g_stat (store->path, &st) != 0)
    return TRUE;
  if (g_stat (wal, &wal_st) == 0 && wal_st.st_size > 0)
    return TRUE;
  file = g_fopen (store->path, "rb");
  if (file == NULL)
    return TRUE;
  n = fread (header, 1, sizeof header, file);
  fclose (file);
  if (n < sizeof header || memcmp (header, "SQLite format 3", 16) != 0
      || memcmp (header + 24, header + 92, 4) != 0)
    return TRUE;
  page_size = ((guint64) header[16] << 8) | header[17];
  if (page_size == 1)
    page_size = 65536;
  n_pages = ((guint64) header[28] << 24) | ((guint64) header[29] << 16) | ((guint64) header[30] << 8) | header[31];
  if (n_pages == 0 || (guint64) st.st_size >= n_pages * page_size)
    return TRUE;
  set_error (error, store->path, SQLITE_CORRUPT, 0, _("the file is shorter than its header says: it was cut off"));
  return FALSE;
}

static char *
key_path_for (const char *db_path)
{
  return g_strconcat (db_path, ".key", NULL);
}

static gboolean
store_open_db (RsStore *store, gboolean in_memory, RsStoreOpenFlags flags, GError **error)
{
  g_autofree char *journal_mode = NULL;
  g_autofree char *uri = NULL;
  gint64 version = 0;
  int rc;

  if (store->read_only)
    {
      g_autofree char *escaped = g_uri_escape_string (store->path, "/", TRUE);

      uri = g_strconcat ("file:", escaped, "?mode=ro", NULL);
      rc = sqlite3_open_v2 (uri, &store->db,
                            SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_EXRESCODE | SQLITE_OPEN_NOMUTEX, NULL);
      /* A WAL database in a folder this user cannot write has no -shm to
       * share: read it as it is on disk, nothing else can write it either. */
      if (rc == SQLITE_OK)
        {
          gint64 probe = 0;
          g_autoptr (GError) probe_error = NULL;

          if (!rs_store_get_int (store, &probe, &probe_error, "PRAGMA user_version", ""))
            rc = SQLITE_CANTOPEN;
        }
      if (rc != SQLITE_OK)
        {
          g_hash_table_remove_all (store->statements);
          sqlite3_close (store->db);
          store->db = NULL;
          g_free (uri);
          uri = g_strconcat ("file:", escaped, "?immutable=1", NULL);
          rc = sqlite3_open_v2 (uri, &store->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_EXRESCODE,
                                NULL);
        }
    }
  else
    /* NOMUTEX: the store's own lock already serializes every use of the
     * connection; SQLite's would be taken again on every column read. */
    rc = sqlite3_open_v2 (store->path, &store->db,
                          SQLITE_OPEN_READWRITE | SQLITE_OPEN_EXRESCODE | SQLITE_OPEN_NOMUTEX
                          | (in_memory ? SQLITE_OPEN_CREATE : 0), NULL);
  if (rc != SQLITE_OK)
    {
      if (store->db == NULL)
        set_error (error, store->path, rc, 0, sqlite3_errstr (rc));
      else
        rs_store_fail (store, rc, error);
      return FALSE;
    }
  /* Until the checks pass, closing must not checkpoint a WAL left by another
   * program into the main file. */
  sqlite3_db_config (store->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
  sqlite3_busy_timeout (store->db, busy_timeout_ms ());

  if (!check_length (store, error)
      || !check_file (store, &version, (flags & RS_STORE_OPEN_FULL_CHECK) != 0, error))
    return FALSE;
  if (store->read_only)
    {
      if (version < RS_STORE_SCHEMA_VERSION)
        {
          g_set_error (error, RS_ERROR, RS_ERROR_DB_READONLY,
                       _("%s has schema version %lld and needs upgrading to %d, which a read-only database "
                         "cannot have. Open it once where it is writable."),
                       store->path, (long long) version, RS_STORE_SCHEMA_VERSION);
          return FALSE;
        }
    }
  else
    {
      if (!rs_store_exec (store, error, "PRAGMA synchronous = FULL", ""))
        return FALSE;
      /* Migrate before switching to WAL, in whatever journal mode the file
       * has, so that a failed upgrade leaves every byte of it as it was. */
      if (version < RS_STORE_SCHEMA_VERSION
          && (!rs_store_begin (store, TRUE, error) || !rs_store_end (store, migrate_tx (store, error), error)))
        return FALSE;

      if (!rs_store_get_text (store, &journal_mode, error, "PRAGMA journal_mode = WAL", ""))
        return FALSE;
      if (g_strcmp0 (journal_mode, in_memory ? "memory" : "wal") != 0)
        {
          set_error (error, store->path, SQLITE_CANTOPEN, 0, _("write-ahead logging cannot be turned on"));
          return FALSE;
        }
      /* Checkpoints belong between assessments (rs_store_checkpoint), not on
       * some person's answer: the automatic one waits until the WAL holds
       * about 40 MB, a safety net for a kiosk that never finishes an attempt.
       * Foreign keys only now: a future step that rebuilds a table needs them
       * off, and they cannot be switched inside its transaction. */
      /* secure_delete: whatever is deleted (an erased person, results past
       * their retention) is overwritten with zeros, in the page and in the
       * free list, not merely unlinked; rs_store_wipe_log then clears the
       * old copies in the write-ahead log (issue 14). */
      if (!rs_store_exec (store, error, "PRAGMA wal_autocheckpoint = 10000", "")
          || !rs_store_exec (store, error, "PRAGMA secure_delete = ON", "")
          || !rs_store_exec (store, error, "PRAGMA foreign_keys = ON", ""))
        return FALSE;
    }
  if (!rs_store_get_int (store, &version, error, "PRAGMA user_version", "")
      || !rs_store_get_text (store, &store->kiosk_id, error,
                             "SELECT value FROM meta WHERE key = 'kiosk_id'", ""))
    return FALSE;
  if (store->kiosk_id == NULL)
    {
      set_error (error, store->path, SQLITE_CORRUPT, 0, _("it has no kiosk id"));
      return FALSE;
    }
  store->schema_version = (int) version;
  if (in_memory)
    store->key = rs_kiosk_key_new_ephemeral (store->kiosk_id);
  else
    {
      g_autofree char *key_path = key_path_for (store->path);
      g_autoptr (GError) key_error = NULL;

      /* Made at set-up, beside the database; a read-only database signs
       * nothing, so a missing key is no reason to refuse it. */
      store->key = rs_kiosk_key_load (key_path, store->kiosk_id, !store->read_only, &key_error);
      if (store->key == NULL && !store->read_only)
        {
          g_propagate_error (error, g_steal_pointer (&key_error));
          return FALSE;
        }
    }
  if (flags & RS_STORE_OPEN_FULL_CHECK && !store->read_only
      && !rs_store_exec (store, error,
                         "INSERT INTO meta (key, value) VALUES ('integrity', 'ok'), ('integrity_checked_at', ?)"
                         " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                         "l", store_clock ()))
    return FALSE;
  sqlite3_db_config (store->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 0, NULL);
  return TRUE;
}

/* One whole attempt as it is (for the exchange's merge and the demo's bulk
 * seeding), inside the caller's transaction. */
gboolean
rs_store_insert_attempt_tx (RsStore *store, const RsAttempt *a, gint64 person_id, GError **error)
{
  g_autoptr (GString) skills = g_string_new (NULL);

  for (int i = 0; i < a->n_skills; i++)
    g_string_append_printf (skills, "%s%s", i > 0 ? "," : "", rs_skill_id (a->skills[i]));
  if (!rs_store_exec (store, error,
                      "INSERT INTO attempts (uuid, person_id, mode, skills, seed, bank_version, kiosk_id, status,"
                      " started_at, finished_at, pending_item_id, pending_scored, practice)"
                      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                      "srsslssslrsii", a->uuid, person_id, rs_mode_id (a->mode), skills->str, (gint64) a->seed,
                      a->bank_version, a->kiosk_id,
                      a->status == RS_ATTEMPT_FINISHED ? "finished" : "in_progress", a->started_at,
                      a->status == RS_ATTEMPT_FINISHED ? a->finished_at : (gint64) 0, a->pending_item_id,
                      a->pending_unscored ? 0 : 1, a->practice ? 1 : 0))
    return FALSE;
  for (int s = 0; s < RS_N_SKILLS; s++)
    if (a->prior_sd[s] > 0
        && !rs_store_exec (store, error, "INSERT INTO attempt_priors (attempt_id, skill, mean, sd) VALUES (?, ?, ?, ?)",
                           "ssdd", a->uuid, rs_skill_id ((RsSkill) s), a->prior_mean[s], a->prior_sd[s]))
      return FALSE;
  for (int s = 0; s < RS_N_SKILLS; s++)
    {
      g_autofree char *level = NULL;

      if (a->self_level[s] == RS_LEVEL_INVALID)
        continue;
      level = rs_store_level_to_db (a->self_level[s]);
      if (!rs_store_exec (store, error, "INSERT INTO self_estimates (attempt_id, skill, level) VALUES (?, ?, ?)",
                          "sss", a->uuid, rs_skill_id ((RsSkill) s), level))
        return FALSE;
    }
  for (guint i = 0; i < a->responses->len; i++)
    {
      const RsResponse *r = &g_array_index (a->responses, RsResponse, i);

      if (!rs_store_exec (store, error,
                          "INSERT INTO responses (attempt_id, seq, item_id, skill, answer, score, max_score,"
                          " theta, se, time_ms, answered_at, scored) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                          "sisssiiddili", a->uuid, r->seq, r->item_id, rs_skill_id (r->skill), r->answer, r->score,
                          r->max_score, r->theta, r->se, r->time_ms, r->answered_at, r->unscored ? 0 : 1))
        return FALSE;
    }
  /* Results in test order: the store reads them back by rowid. */
  for (int i = 0; i < a->n_skills; i++)
    for (guint k = 0; k < a->results->len; k++)
      {
        const RsSkillResult *result = &g_array_index (a->results, RsSkillResult, k);
        g_autofree char *level = NULL;

        if (result->skill != a->skills[i])
          continue;
        level = rs_store_level_to_db (result->level);
        if (!rs_store_exec (store, error,
                            "INSERT INTO results (attempt_id, skill, theta, se, n_items, level, calibration,"
                            " se_provisional) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                            "ssddissi", a->uuid, rs_skill_id (result->skill), result->theta, result->se,
                            result->n_items, level, result->calibration[0] != '\0' ? result->calibration : NULL,
                            result->se_provisional ? 1 : 0))
          return FALSE;
        if (!rs_store_set_level_probabilities_tx (store, a->uuid, result, error))
          return FALSE;
      }
  return TRUE;
}

gboolean
rs_store_set_level_probabilities_tx (RsStore *store, const char *uuid, const RsSkillResult *result, GError **error)
{
  const double *p = result->level_probability;

  if (!result->has_level_probability)
    return TRUE;
  return rs_store_exec (store, error,
                        "UPDATE results SET p_novice = ?, p_developing = ?, p_proficient = ?, p_advanced = ?,"
                        " p_expert = ? WHERE attempt_id = ? AND skill = ?",
                        "dddddss", p[0], p[1], p[2], p[3], p[4], uuid, rs_skill_id (result->skill));
}

gboolean
rs_store_checkpoint (RsStore *store, GError **error)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&store->lock);
  int rc;

  /* PASSIVE: copies what it can without waiting for readers or writers, so
   * it never blocks another kiosk process; what it leaves is copied next time. */
  rc = sqlite3_wal_checkpoint_v2 (store->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
  if (rc != SQLITE_OK && rc != SQLITE_BUSY)
    {
      rs_store_fail (store, rc, error);
      return FALSE;
    }
  return TRUE;
}

gboolean
rs_store_wipe_log (RsStore *store, GError **error)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&store->lock);
  int log_frames = -1, copied = -1;
  int rc;

  if (store->read_only)
    return TRUE;
  /* TRUNCATE waits for readers (up to the busy timeout), copies every
   * frame into the database file and cuts the log to zero bytes: the
   * frames that held the deleted rows' old pages are gone from the disk's
   * file, not merely marked reusable, as a normal checkpoint leaves them. */
  rc = sqlite3_wal_checkpoint_v2 (store->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, &log_frames, &copied);
  if (rc == SQLITE_BUSY)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_DB_LOCKED,
                   "%s: another program has the database open, so its write-ahead log still holds old copies "
                   "of what was deleted. They are cleared when that program closes it, or by running this "
                   "again.", store->path);
      return FALSE;
    }
  if (rc != SQLITE_OK)
    {
      rs_store_fail (store, rc, error);
      return FALSE;
    }
  return TRUE;
}

RsStore *
rs_store_open (const char *path, GError **error)
{
  return rs_store_open_full (path, RS_STORE_OPEN_DEFAULT, error);
}

RsStore *
rs_store_open_full (const char *path, RsStoreOpenFlags flags, GError **error)
{
  g_autoptr (RsStore) store = NULL;
  gboolean in_memory, created = FALSE;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (sodium_init () < 0)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_FAILED, _("libsodium cannot start: PINs cannot be checked."));
      return NULL;
    }
  in_memory = g_str_equal (path, ":memory:");
  if (flags & RS_STORE_OPEN_READ_ONLY)
    {
      if (in_memory || !g_file_test (path, G_FILE_TEST_IS_REGULAR))
        {
          g_set_error (error, RS_ERROR, RS_ERROR_IO, _("%s: no such database"), path);
          return NULL;
        }
    }
  else if (!in_memory && !create_private_file (path, &created, error))
    return NULL;

  store = g_new0 (RsStore, 1);
  g_mutex_init (&store->lock);
  store->path = g_strdup (path);
  store->read_only = (flags & RS_STORE_OPEN_READ_ONLY) != 0;
  store->statements = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, finalize_stmt);
  /* The minimum cost only in test builds (rs_store_fast_kdf); a hash made
   * with it still verifies in the product, and is redone at full cost at the
   * next sign-in. */
  store->kdf_ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
  store->kdf_mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;
  if (rs_store_fast_kdf ())
    {
      store->kdf_ops = crypto_pwhash_OPSLIMIT_MIN;
      store->kdf_mem = crypto_pwhash_MEMLIMIT_MIN;
    }

  if (!store_open_db (store, in_memory, flags, error))
    {
      g_clear_pointer (&store, rs_store_close);
      /* Leave no empty file behind that a later start would take as ours,
       * nor the key made for it. */
      if (created)
        {
          g_autofree char *key_path = key_path_for (path);
          g_unlink (path);
          g_unlink (key_path);
        }
      return NULL;
    }
  return g_steal_pointer (&store);
}

/* --- integrity --- */

static gboolean store_audit (RsStore *store, gint64 person_id, const char *event, const char *detail,
                             GError **error);

gboolean
rs_store_check_integrity (RsStore *store, char **problem, GError **error)
{
  g_autoptr (GMutexLocker) locker = NULL;
  g_autoptr (RsStoreStmt) stmt = NULL;
  g_autoptr (GString) found = g_string_new (NULL);
  int rc;

  g_return_val_if_fail (store != NULL && problem != NULL, FALSE);
  *problem = NULL;
  locker = g_mutex_locker_new (&store->lock);
  /* quick_check: every page, every b-tree and record format; the slower
   * integrity_check adds only the indexes' agreement with their tables. */
  stmt = rs_store_query (store, error, "PRAGMA quick_check (20)", "");
  if (stmt == NULL)
    return FALSE;
  while ((rc = rs_store_step (store, stmt, error)) == SQLITE_ROW)
    {
      const char *line = (const char *) sqlite3_column_text (stmt, 0);
      if (g_strcmp0 (line, "ok") != 0)
        g_string_append_printf (found, "%s%s", found->len > 0 ? "; " : "", line);
    }
  g_clear_pointer (&stmt, rs_store_stmt_release);
  if (rc != SQLITE_DONE)
    {
      /* SQLite refusing to read a page is damage too. */
      if (error != NULL && *error != NULL && g_error_matches (*error, RS_ERROR, RS_ERROR_DB_CORRUPT))
        {
          *problem = g_strdup ((*error)->message);
          g_clear_error (error);
        }
      else
        return FALSE;
    }
  else if (found->len > 0)
    *problem = g_string_free (g_steal_pointer (&found), FALSE);
  if (store->read_only)
    return TRUE;
  if (store->read_only)
    return TRUE;
  g_clear_pointer (&locker, g_mutex_locker_free);
  return rs_store_record_integrity (store, *problem, error);
}

gboolean
rs_store_record_integrity (RsStore *store, const char *problem, GError **error)
{
  g_autoptr (GMutexLocker) locker = NULL;

  g_return_val_if_fail (store != NULL, FALSE);
  locker = g_mutex_locker_new (&store->lock);
  /* Remembered, so that every later open refuses a damaged file until a
   * full check passes again. Writing that to a damaged file may fail: the
   * verdict stands either way. */
  if (problem != NULL)
    {
      rs_store_exec (store, NULL,
                     "INSERT INTO meta (key, value) VALUES ('integrity', ?), ('integrity_checked_at', ?)"
                     " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                     "sl", problem, store_clock ());
      store_audit (store, 0, "integrity-check-failed", problem, NULL);
      return TRUE;
    }
  return rs_store_exec (store, error,
                        "INSERT INTO meta (key, value) VALUES ('integrity', ?), ('integrity_checked_at', ?)"
                        " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                        "sl", "ok", store_clock ());
}

gboolean
rs_store_integrity_check_due (RsStore *store)
{
  g_autoptr (GMutexLocker) locker = NULL;
  gint64 at = 0;

  g_return_val_if_fail (store != NULL, FALSE);
  locker = g_mutex_locker_new (&store->lock);
  if (!rs_store_get_int (store, &at, NULL, "SELECT value FROM meta WHERE key = 'integrity_checked_at'", ""))
    return TRUE;
  return store_clock () - at > (gint64) RS_STORE_CHECK_INTERVAL_DAYS * 24 * 3600 * G_USEC_PER_SEC;
}

gboolean
rs_store_is_read_only (RsStore *store)
{
  g_return_val_if_fail (store != NULL, TRUE);
  return store->read_only;
}

const char *
rs_store_path (RsStore *store)
{
  g_return_val_if_fail (store != NULL, NULL);
  return store->path;
}

/* --- the kiosk's key --- */

gboolean
rs_store_has_key (RsStore *store)
{
  g_return_val_if_fail (store != NULL, FALSE);
  return store->key != NULL;
}

const guint8 *
rs_store_public_key (RsStore *store)
{
  g_return_val_if_fail (store != NULL, NULL);
  return store->key != NULL ? rs_kiosk_key_public (store->key) : NULL;
}

const char *
rs_store_key_fingerprint (RsStore *store)
{
  g_return_val_if_fail (store != NULL, NULL);
  return store->key != NULL ? rs_kiosk_key_fingerprint (store->key) : NULL;
}

const RsKioskKey *
rs_store_kiosk_key (RsStore *store)
{
  g_return_val_if_fail (store != NULL, NULL);
  return store->key;
}

void
rs_store_close (RsStore *store)
{
  if (store == NULL)
    return;
  /* Statements first: sqlite3_close() refuses while any is alive. */
  g_clear_pointer (&store->statements, g_hash_table_unref);
  sqlite3_close (store->db);
  g_free (store->path);
  g_free (store->kiosk_id);
  g_free (store->dummy_hash);
  rs_kiosk_key_free (store->key);
  g_mutex_clear (&store->lock);
  g_free (store);
}

int
rs_store_schema_version (RsStore *store)
{
  g_return_val_if_fail (store != NULL, 0);
  return store->schema_version;
}

const char *
rs_store_kiosk_id (RsStore *store)
{
  g_return_val_if_fail (store != NULL, NULL);
  return store->kiosk_id;
}

struct sqlite3 *
rs_store_get_db (RsStore *store)
{
  g_return_val_if_fail (store != NULL, NULL);
  return store->db;
}

/* --- people and teams --- */

static const char *const role_ids[] = { "employee", "manager", "admin" };

const char *
rs_person_role_id (RsPersonRole role)
{
  g_return_val_if_fail ((guint) role < G_N_ELEMENTS (role_ids), "employee");
  return role_ids[role];
}

gboolean
rs_person_role_from_id (const char *id, RsPersonRole *role)
{
  for (guint r = 0; id != NULL && r < G_N_ELEMENTS (role_ids); r++)
    if (g_str_equal (id, role_ids[r]))
      {
        *role = (RsPersonRole) r;
        return TRUE;
      }
  return FALSE;
}

void
rs_person_free (RsPerson *person)
{
  if (person == NULL)
    return;
  g_free (person->employee_no);
  g_free (person->name);
  g_free (person->team_name);
  g_free (person);
}

static gboolean
is_blank (const char *text)
{
  for (; text != NULL && *text != '\0'; text++)
    if (!g_ascii_isspace (*text))
      return FALSE;
  return TRUE;
}

static gboolean
hash_secret (RsStore *store, const char *secret, char **hash, GError **error)
{
  char buffer[crypto_pwhash_STRBYTES];

  if (strlen (secret) < RS_STORE_MIN_SECRET_LENGTH)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_INVALID,
                   g_dngettext (GETTEXT_PACKAGE, "A PIN or password needs at least %d character.",
                                "A PIN or password needs at least %d characters.", RS_STORE_MIN_SECRET_LENGTH),
                   RS_STORE_MIN_SECRET_LENGTH);
      return FALSE;
    }
  if (crypto_pwhash_str (buffer, secret, strlen (secret), store->kdf_ops, store->kdf_mem) != 0)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_FAILED,
                   _("There is not enough memory to protect the PIN. Close other programs and try again."));
      return FALSE;
    }
  *hash = g_strdup (buffer);
  return TRUE;
}

static gboolean
ensure_team_id (RsStore *store, const char *name, gint64 *team_id, GError **error)
{
  return rs_store_exec (store, error, "INSERT OR IGNORE INTO teams (name) VALUES (?)", "s", name)
         && rs_store_get_int (store, team_id, error, "SELECT id FROM teams WHERE name = ?", "s", name);
}

gboolean
rs_store_ensure_team (RsStore *store, const char *name, gint64 *team_id, GError **error)
{
  g_autoptr (GMutexLocker) locker = NULL;
  gint64 id = 0;

  g_return_val_if_fail (store != NULL, FALSE);
  if (is_blank (name))
    {
      g_set_error (error, RS_ERROR, RS_ERROR_INVALID, _("A team needs a name."));
      return FALSE;
    }
  locker = g_mutex_locker_new (&store->lock);
  if (!ensure_team_id (store, name, &id, error))
    return FALSE;
  if (team_id != NULL)
    *team_id = id;
  return TRUE;
}

static gboolean
add_person_tx (RsStore *store, const char *employee_no, const char *name, const char *team,
               RsPersonRole role, const char *hash, gint64 *person_id, GError **error)
{
  g_autofree char *holder = NULL;
  gint64 team_id = 0;

  if (!rs_store_get_text (store, &holder, error, "SELECT name FROM people WHERE employee_no = ?",
                       "s", employee_no))
    return FALSE;
  if (holder != NULL)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_INVALID,
                   _("Employee number %s is already used by %s. Each person needs their own number."),
                   employee_no, holder);
      return FALSE;
    }
  if (!is_blank (team) && !ensure_team_id (store, team, &team_id, error))
    return FALSE;
  if (!rs_store_exec (store, error,
                   "INSERT INTO people (employee_no, name, team_id, role, secret_hash) VALUES (?, ?, ?, ?, ?)",
                   "ssrss", employee_no, name, team_id, rs_person_role_id (role), hash))
    return FALSE;
  *person_id = sqlite3_last_insert_rowid (store->db);
  return TRUE;
}

gboolean
rs_store_add_person (RsStore *store, const char *employee_no, const char *name, const char *team,
                     RsPersonRole role, const char *secret, gint64 *person_id, GError **error)
{
  g_autoptr (GMutexLocker) locker = NULL;
  g_autofree char *hash = NULL;
  gint64 id = 0;

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail ((guint) role <= RS_PERSON_ADMIN, FALSE);
  if (is_blank (employee_no) || is_blank (name))
    {
      g_set_error (error, RS_ERROR, RS_ERROR_INVALID, _("A person needs an employee number and a name."));
      return FALSE;
    }
  /* Hash before taking the write lock: argon2id takes a while on purpose. */
  if (secret != NULL && !hash_secret (store, secret, &hash, error))
    return FALSE;
  locker = g_mutex_locker_new (&store->lock);
  if (!rs_store_begin (store, TRUE, error)
      || !rs_store_end (store, add_person_tx (store, employee_no, name, team, role, hash, &id, error), error))
    return FALSE;
  if (person_id != NULL)
    *person_id = id;
  return TRUE;
}

static gboolean
set_secret_tx (RsStore *store, gint64 person_id, const char *hash, GError **error)
{
  if (!rs_store_exec (store, error, "UPDATE people SET secret_hash = ? WHERE id = ?", "sl", hash, person_id))
    return FALSE;
  if (sqlite3_changes (store->db) == 0)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_NOT_FOUND, _("There is no person with id %lld."), (long long) person_id);
      return FALSE;
    }
  return rs_store_exec (store, error,
                     "DELETE FROM sign_in_failures WHERE employee_no = (SELECT employee_no FROM people WHERE id = ?)",
                     "l", person_id);
}

gboolean
rs_store_set_secret (RsStore *store, gint64 person_id, const char *secret, GError **error)
{
  g_autoptr (GMutexLocker) locker = NULL;
  g_autofree char *hash = NULL;

  g_return_val_if_fail (store != NULL, FALSE);
  if (secret != NULL && !hash_secret (store, secret, &hash, error))
    return FALSE;
  locker = g_mutex_locker_new (&store->lock);
  return rs_store_begin (store, TRUE, error)
         && rs_store_end (store, set_secret_tx (store, person_id, hash, error), error);
}

gboolean
rs_store_set_pin_one_time (RsStore *store, gint64 person_id, gboolean one_time, GError **error)
{
  g_autoptr (GMutexLocker) locker = NULL;

  g_return_val_if_fail (store != NULL, FALSE);
  locker = g_mutex_locker_new (&store->lock);
  return rs_store_begin (store, TRUE, error)
         && rs_store_end (store, rs_store_exec (store, error, "UPDATE people SET pin_one_time = ? WHERE id = ?", "ll",
                                                (gint64) (one_time ? 1 : 0), person_id), error);
}

gboolean
rs_store_pin_is_one_time (RsStore *store, gint64 person_id, gboolean *one_time, GError **error)
{
  g_autoptr (GMutexLocker) locker = NULL;
  gint64 value = 0;

  g_return_val_if_fail (store != NULL && one_time != NULL, FALSE);
  locker = g_mutex_locker_new (&store->lock);
  if (!rs_store_get_int (store, &value, error, "SELECT pin_one_time FROM people WHERE id = ?", "l", person_id))
    return FALSE;
  *one_time = value != 0;
  return TRUE;
}

static gboolean verify_secret (RsStore *store, const char *hash, const char *secret);

static gboolean
change_pin_tx (RsStore *store, gint64 person_id, const char *hash, GError **error)
{
  return rs_store_exec (store, error, "UPDATE people SET secret_hash = ?, pin_one_time = 0 WHERE id = ?", "sl",
                        hash, person_id)
         && rs_store_exec (store, error,
                           "DELETE FROM sign_in_failures WHERE employee_no = (SELECT employee_no FROM people WHERE id = ?)",
                           "l", person_id)
         && store_audit (store, person_id, "pin-changed", NULL, error);
}

gboolean
rs_store_change_pin (RsStore *store, gint64 person_id, const char *current, const char *new_pin, GError **error)
{
  g_autoptr (GMutexLocker) locker = NULL;
  g_autofree char *old_hash = NULL;
  g_autofree char *hash = NULL;
  gint64 one_time = 0;

  g_return_val_if_fail (store != NULL && new_pin != NULL, FALSE);
  {
    g_autoptr (GMutexLocker) reading = g_mutex_locker_new (&store->lock);

    if (!rs_store_get_text (store, &old_hash, error, "SELECT secret_hash FROM people WHERE id = ?", "l", person_id)
        || !rs_store_get_int (store, &one_time, error, "SELECT pin_one_time FROM people WHERE id = ?", "l", person_id))
      return FALSE;
  }
  /* Without the current PIN only right after signing in with a one-time
   * one: the window does not keep the PIN that was typed. */
  if (current == NULL && one_time == 0)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_AUTH, _("Enter your current PIN."));
      return FALSE;
    }
  if (current != NULL && !verify_secret (store, old_hash, current))
    {
      g_set_error (error, RS_ERROR, RS_ERROR_AUTH, _("Your current PIN is not right."));
      return FALSE;
    }
  if (old_hash != NULL && crypto_pwhash_str_verify (old_hash, new_pin, strlen (new_pin)) == 0)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_INVALID, _("Choose a new PIN, not the one you have now."));
      return FALSE;
    }
  if (!hash_secret (store, new_pin, &hash, error))
    return FALSE;
  locker = g_mutex_locker_new (&store->lock);
  return rs_store_begin (store, TRUE, error) && rs_store_end (store, change_pin_tx (store, person_id, hash, error), error);
}

gboolean
rs_store_set_team_manager (RsStore *store, gint64 team_id, gint64 manager_id, GError **error)
{
  g_autoptr (GMutexLocker) locker = NULL;
  g_autofree char *role = NULL;
  gint64 n_teams = 0;

  g_return_val_if_fail (store != NULL, FALSE);
  locker = g_mutex_locker_new (&store->lock);
  if (!rs_store_get_int (store, &n_teams, error, "SELECT count(*) FROM teams WHERE id = ?", "l", team_id)
      || !rs_store_get_text (store, &role, error, "SELECT role FROM people WHERE id = ?", "l", manager_id))
    return FALSE;
  if (n_teams == 0 || role == NULL)
    {
      if (n_teams == 0)
        g_set_error (error, RS_ERROR, RS_ERROR_NOT_FOUND, _("There is no team with id %lld."), (long long) team_id);
      else
        g_set_error (error, RS_ERROR, RS_ERROR_NOT_FOUND, _("There is no person with id %lld."),
                     (long long) manager_id);
      return FALSE;
    }
  if (g_str_equal (role, "employee"))
    {
      g_set_error (error, RS_ERROR, RS_ERROR_INVALID,
                   _("Only a manager or an administrator can manage a team: make the person a manager first."));
      return FALSE;
    }
  return rs_store_exec (store, error, "INSERT OR IGNORE INTO team_managers (team_id, person_id) VALUES (?, ?)",
                     "ll", team_id, manager_id);
}

gboolean
rs_store_has_admin (RsStore *store)
{
  g_autoptr (GMutexLocker) locker = NULL;
  g_autoptr (GError) error = NULL;
  gint64 n = 0;

  g_return_val_if_fail (store != NULL, TRUE);
  locker = g_mutex_locker_new (&store->lock);
  if (!rs_store_get_int (store, &n, &error,
                      "SELECT count(*) FROM people WHERE role = 'admin' AND active = 1 AND secret_hash IS NOT NULL",
                      ""))
    {
      g_warning ("Cannot tell whether an administrator exists: %s", error->message);
      return TRUE;
    }
  return n > 0;
}

RsFirstRun
rs_store_first_run (RsStore *store)
{
  g_autoptr (GMutexLocker) locker = NULL;
  g_autoptr (GError) error = NULL;
  gint64 n_admins = 1, n_people = 1, expires = 0;

  g_return_val_if_fail (store != NULL, RS_FIRST_RUN_NONE);
  locker = g_mutex_locker_new (&store->lock);
  /* A read error counts as "an administrator exists": it must never open
   * the page that creates one. */
  if (!rs_store_get_int (store, &n_admins, &error,
                         "SELECT count(*) FROM people WHERE role = 'admin' AND active = 1"
                         " AND secret_hash IS NOT NULL", "")
      || !rs_store_get_int (store, &n_people, &error, "SELECT count(*) FROM people", "")
      || !rs_store_get_int (store, &expires, &error,
                            "SELECT value FROM meta WHERE key = 'setup_code_expires'", ""))
    {
      g_warning ("Cannot tell whether an administrator exists: %s", error->message);
      return RS_FIRST_RUN_NONE;
    }
  if (n_admins > 0)
    return RS_FIRST_RUN_NONE;
  if (n_people == 0)
    return RS_FIRST_RUN_OPEN;
  return expires > store_clock () ? RS_FIRST_RUN_CODE : RS_FIRST_RUN_NONE;
}

static char *
hash_setup_code (const char *kiosk_id, const char *digits)
{
  guint8 digest[crypto_hash_sha256_BYTES];
  g_autofree char *salted = g_strconcat ("reskill-setup-code\n", kiosk_id, "\n", digits, NULL);

  crypto_hash_sha256 (digest, (const guchar *) salted, strlen (salted));
  return rs_hex_encode (digest, sizeof digest);
}

/* The digits of a code as typed: dashes and spaces dropped. */
static char *
code_digits (const char *code)
{
  GString *digits = g_string_new (NULL);

  for (const char *p = code != NULL ? code : ""; *p != '\0'; p++)
    if (g_ascii_isdigit (*p))
      g_string_append_c (digits, *p);
    else if (*p != '-' && *p != ' ')
      {
        g_string_free (digits, TRUE);
        return g_strdup ("");
      }
  return g_string_free (digits, FALSE);
}

gboolean
rs_store_create_setup_code (RsStore *store, char **code, GError **error)
{
  g_autoptr (GMutexLocker) locker = NULL;
  g_autofree char *digits = NULL, *hash = NULL;
  guint32 a, b;

  g_return_val_if_fail (store != NULL && code != NULL, FALSE);
  a = randombytes_uniform (10000);
  b = randombytes_uniform (10000);
  digits = g_strdup_printf ("%04u%04u", a, b);
  hash = hash_setup_code (store->kiosk_id, digits);
  locker = g_mutex_locker_new (&store->lock);
  if (!rs_store_begin (store, TRUE, error)
      || !rs_store_end (store,
                        rs_store_exec (store, error,
                                       "INSERT INTO meta (key, value) VALUES ('setup_code', ?),"
                                       " ('setup_code_expires', ?), ('setup_code_tries', '0')"
                                       " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                                       "sl", hash, store_clock () + (gint64) RS_STORE_SETUP_CODE_MINUTES * 60
                                                                   * G_USEC_PER_SEC)
                        && store_audit (store, 0, "setup-code", "made at the terminal", error),
                        error))
    return FALSE;
  *code = g_strdup_printf ("%04u-%04u", a, b);
  return TRUE;
}

static gboolean
forget_setup_code_tx (RsStore *store, GError **error)
{
  return rs_store_exec (store, error,
                        "DELETE FROM meta WHERE key IN ('setup_code', 'setup_code_expires', 'setup_code_tries')", "");
}

/* Inside the write transaction: whether this database may get its first
 * administrator now, with this code. */
static gboolean
check_first_admin_tx (RsStore *store, const char *code, gboolean *refused, GError **error)
{
  g_autofree char *stored = NULL, *digits = NULL, *hash = NULL;
  gint64 n_admins = 0, n_people = 0, expires = 0, tries = 0;

  *refused = TRUE;
  if (!rs_store_get_int (store, &n_admins, error,
                         "SELECT count(*) FROM people WHERE role = 'admin' AND active = 1"
                         " AND secret_hash IS NOT NULL", "")
      || !rs_store_get_int (store, &n_people, error, "SELECT count(*) FROM people", ""))
    return FALSE;
  if (n_admins > 0)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_DENIED, _("This database has an administrator already."));
      return FALSE;
    }
  if (n_people == 0)
    {
      *refused = FALSE;
      return TRUE;
    }
  /* People but no administrator (a people file without one was imported):
   * only whoever can read the code printed at this machine's terminal. */
  if (!rs_store_get_text (store, &stored, error, "SELECT value FROM meta WHERE key = 'setup_code'", "")
      || !rs_store_get_int (store, &expires, error, "SELECT value FROM meta WHERE key = 'setup_code_expires'", "")
      || !rs_store_get_int (store, &tries, error, "SELECT value FROM meta WHERE key = 'setup_code_tries'", ""))
    return FALSE;
  if (stored == NULL || expires <= store_clock ())
    {
      g_set_error (error, RS_ERROR, RS_ERROR_DENIED,
                   _("This database has people but no administrator. At this machine's terminal, run "
                   "\"reskill setup-code --db %s\" and type the code it prints here."), store->path);
      return FALSE;
    }
  digits = code_digits (code);
  hash = hash_setup_code (store->kiosk_id, digits);
  if (strlen (digits) != 8 || sodium_memcmp (hash, stored, strlen (stored)) != 0 || strlen (hash) != strlen (stored))
    {
      /* A few tries per code: eight digits are not to be guessed. */
      if (tries + 1 >= RS_STORE_MAX_SETUP_CODE_TRIES)
        forget_setup_code_tx (store, NULL);
      else
        rs_store_exec (store, NULL, "UPDATE meta SET value = ? WHERE key = 'setup_code_tries'", "l", tries + 1);
      g_set_error (error, RS_ERROR, RS_ERROR_AUTH, "%s",
                   tries + 1 >= RS_STORE_MAX_SETUP_CODE_TRIES
                   ? _("Wrong set-up code, and too many wrong tries: make a new one at the terminal.")
                   : _("Wrong set-up code. Type the code \"reskill setup-code\" printed at the terminal."));
      *refused = TRUE;
      /* The count of tries must be kept: commit, then refuse. */
      return TRUE;
    }
  *refused = FALSE;
  return TRUE;
}

gboolean
rs_store_create_first_admin (RsStore *store, const char *employee_no, const char *name, const char *secret,
                             const char *setup_code, gint64 *person_id, GError **error)
{
  g_autoptr (GMutexLocker) locker = NULL;
  g_autoptr (GError) refusal = NULL;
  g_autofree char *hash = NULL;
  gboolean refused = TRUE, ok;
  gint64 id = 0;

  g_return_val_if_fail (store != NULL, FALSE);
  if (is_blank (employee_no) || is_blank (name))
    {
      g_set_error (error, RS_ERROR, RS_ERROR_INVALID, _("A person needs an employee number and a name."));
      return FALSE;
    }
  if (secret == NULL || !hash_secret (store, secret, &hash, error))
    return FALSE;
  locker = g_mutex_locker_new (&store->lock);
  if (!rs_store_begin (store, TRUE, error))
    return FALSE;
  ok = check_first_admin_tx (store, setup_code, &refused, &refusal);
  if (ok && !refused)
    ok = add_person_tx (store, employee_no, name, NULL, RS_PERSON_ADMIN, hash, &id, error)
         && forget_setup_code_tx (store, error)
         && store_audit (store, id, "first-admin", setup_code != NULL ? "with a set-up code" : "empty database",
                         error);
  if (!rs_store_end (store, ok, error))
    {
      if (refusal != NULL)
        g_propagate_error (error, g_steal_pointer (&refusal));
      return FALSE;
    }
  if (refused)
    {
      g_propagate_error (error, g_steal_pointer (&refusal));
      return FALSE;
    }
  if (person_id != NULL)
    *person_id = id;
  return TRUE;
}

gboolean
rs_store_unlock (RsStore *store, const char *employee_no, gboolean *was_locked, GError **error)
{
  g_autoptr (GMutexLocker) locker = NULL;
  g_autofree char *detail = NULL;
  gint64 locked_until = 0;

  g_return_val_if_fail (store != NULL && employee_no != NULL, FALSE);
  locker = g_mutex_locker_new (&store->lock);
  detail = g_strdup_printf ("%s unlocked at the terminal", employee_no);
  if (!rs_store_begin (store, TRUE, error))
    return FALSE;
  if (!rs_store_end (store,
                     rs_store_get_int (store, &locked_until, error,
                                       "SELECT locked_until FROM sign_in_failures WHERE employee_no = ?", "s",
                                       employee_no)
                     && rs_store_exec (store, error, "DELETE FROM sign_in_failures WHERE employee_no = ?", "s",
                                       employee_no)
                     /* About that person, when the number is someone's: an
                      * erasure finds the row by subject_id (issue 14). */
                     && rs_store_exec (store, error,
                                       "INSERT INTO audit (at, person_id, event, detail, subject_id) VALUES"
                                       " (?, NULL, 'sign-in-unlocked', ?,"
                                       " (SELECT id FROM people WHERE employee_no = ?))",
                                       "lss", store_clock (), detail, employee_no),
                     error))
    return FALSE;
  if (was_locked != NULL)
    *was_locked = locked_until > store_clock ();
  return TRUE;
}

#define PERSON_SELECT \
  "SELECT p.id, p.employee_no, p.name, p.team_id, t.name, p.role, p.active, p.secret_hash" \
  " FROM people AS p LEFT JOIN teams AS t ON t.id = p.team_id"

/* One person (or *person NULL with no error), with the secret hash when
 * hash is not NULL. */
static gboolean
load_person (RsStore *store, sqlite3_stmt *stmt, RsPerson **person, char **hash, GError **error)
{
  g_autoptr (RsStoreStmt) owned = stmt;
  g_autoptr (RsPerson) p = NULL;
  int rc;

  *person = NULL;
  if (stmt == NULL)
    return FALSE;
  rc = rs_store_step (store, stmt, error);
  if (rc != SQLITE_ROW)
    return rc == SQLITE_DONE;
  p = g_new0 (RsPerson, 1);
  p->id = sqlite3_column_int64 (stmt, 0);
  p->employee_no = rs_store_column_strdup (stmt, 1);
  p->name = rs_store_column_strdup (stmt, 2);
  p->team_id = sqlite3_column_int64 (stmt, 3);
  p->team_name = rs_store_column_strdup (stmt, 4);
  if (!rs_person_role_from_id ((const char *) sqlite3_column_text (stmt, 5), &p->role))
    {
      store_fail_content (store, error, "role", (const char *) sqlite3_column_text (stmt, 5));
      return FALSE;
    }
  p->active = sqlite3_column_int (stmt, 6) != 0;
  if (hash != NULL)
    *hash = rs_store_column_strdup (stmt, 7);
  *person = g_steal_pointer (&p);
  return TRUE;
}

static RsPerson *
person_or_not_found (RsPerson *person, gboolean ok, const char *what, GError **error)
{
  if (ok && person == NULL)
    g_set_error (error, RS_ERROR, RS_ERROR_NOT_FOUND, _("There is no person with %s."), what);
  return person;
}

RsPerson *
rs_store_get_person (RsStore *store, gint64 person_id, GError **error)
{
  g_autoptr (GMutexLocker) locker = NULL;
  /* Translators: completes "There is no person with %s." */
  g_autofree char *what = g_strdup_printf (_("id %lld"), (long long) person_id);
  RsPerson *person;
  gboolean ok;

  g_return_val_if_fail (store != NULL, NULL);
  locker = g_mutex_locker_new (&store->lock);
  ok = load_person (store, rs_store_query (store, error, PERSON_SELECT " WHERE p.id = ?", "l", person_id),
                    &person, NULL, error);
  return person_or_not_found (person, ok, what, error);
}

RsPerson *
rs_store_find_person (RsStore *store, const char *employee_no, GError **error)
{
  g_autoptr (GMutexLocker) locker = NULL;
  /* Translators: completes "There is no person with %s." */
  g_autofree char *what = g_strdup_printf (_("employee number %s"), employee_no);
  RsPerson *person;
  gboolean ok;

  g_return_val_if_fail (store != NULL && employee_no != NULL, NULL);
  locker = g_mutex_locker_new (&store->lock);
  ok = load_person (store, rs_store_query (store, error, PERSON_SELECT " WHERE p.employee_no = ?", "s", employee_no),
                    &person, NULL, error);
  return person_or_not_found (person, ok, what, error);
}

/* --- signing in --- */

static gboolean
store_audit (RsStore *store, gint64 person_id, const char *event, const char *detail, GError **error)
{
  return rs_store_exec (store, error, "INSERT INTO audit (at, person_id, event, detail) VALUES (?, ?, ?, ?)",
                     "lrss", store_clock (), person_id, event, detail);
}

gboolean
rs_store_audit (RsStore *store, gint64 person_id, const char *event, const char *detail, GError **error)
{
  g_autoptr (GMutexLocker) locker = NULL;

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (!is_blank (event), FALSE);
  locker = g_mutex_locker_new (&store->lock);
  return store_audit (store, person_id, event, detail, error);
}

/* The length of a number's lock_count-th lock in a row: the first is
 * RS_STORE_LOCK_SECONDS, each next one twice as long, capped. */
static int
lock_seconds (gint64 lock_count)
{
  int seconds = RS_STORE_LOCK_SECONDS;

  if (lock_count < 1)
    return 0;
  for (gint64 n = 1; n < lock_count && seconds < RS_STORE_MAX_LOCK_SECONDS; n++)
    seconds *= 2;
  return MIN (seconds, RS_STORE_MAX_LOCK_SECONDS);
}

static void
set_locked_out (GError **error, gint64 remaining_us, int *retry_after_seconds)
{
  int seconds = (int) ((remaining_us + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);
  int minutes = (seconds + 59) / 60;

  if (retry_after_seconds != NULL)
    *retry_after_seconds = seconds;
  if (seconds < 60)
    g_set_error (error, RS_ERROR, RS_ERROR_LOCKED_OUT,
                 g_dngettext (GETTEXT_PACKAGE, "Too many wrong tries: signing in with this number is locked for %d second.",
                              "Too many wrong tries: signing in with this number is locked for %d seconds.",
                              (gulong) seconds),
                 seconds);
  else
    g_set_error (error, RS_ERROR, RS_ERROR_LOCKED_OUT,
                 g_dngettext (GETTEXT_PACKAGE, "Too many wrong tries: signing in with this number is locked for %d minute.",
                              "Too many wrong tries: signing in with this number is locked for %d minutes.",
                              (gulong) minutes),
                 minutes);
}

/* Counts a wrong try against the number typed, locks it when due, and logs
 * it (never what was typed as the secret, nor an unknown number, which may be
 * a PIN typed in the wrong field).
 *
 * Every lock needs a fresh series of RS_STORE_MAX_FAILED_PINS wrong tries:
 * when a lock has ended the count starts again, so a stranger who types one
 * wrong PIN each time an administrator's lock ends no longer renews it.
 * Locks in a row grow (up to RS_STORE_MAX_LOCK_SECONDS) and are forgotten a
 * day after the last wrong try. *seconds is the lock this try started (0:
 * none). reason (may be NULL) is what the audit row says went wrong. */
static gboolean
record_failure_tx (RsStore *store, const char *employee_no, gint64 person_id, const char *reason, gint64 now,
                   gint64 *failed_count, int *seconds, GError **error)
{
  g_autoptr (RsStoreStmt) stmt = NULL;
  g_autofree char *detail = NULL;
  gint64 locked_until = 0, lock_count = 0, last_failed_at = 0;
  int rc;

  *failed_count = 0;
  *seconds = 0;
  stmt = rs_store_query (store, error,
                         "SELECT failed_count, locked_until, lock_count, last_failed_at FROM sign_in_failures"
                         " WHERE employee_no = ?", "s", employee_no);
  if (stmt == NULL)
    return FALSE;
  rc = rs_store_step (store, stmt, error);
  if (rc == SQLITE_ROW)
    {
      *failed_count = sqlite3_column_int64 (stmt, 0);
      locked_until = sqlite3_column_int64 (stmt, 1);
      lock_count = sqlite3_column_int64 (stmt, 2);
      last_failed_at = sqlite3_column_int64 (stmt, 3);
    }
  else if (rc != SQLITE_DONE)
    return FALSE;
  g_clear_pointer (&stmt, rs_store_stmt_release);

  if (now - last_failed_at > (gint64) RS_STORE_FAILURE_MEMORY_HOURS * 3600 * G_USEC_PER_SEC)
    *failed_count = lock_count = 0;
  else if (locked_until != 0 && locked_until <= now)
    *failed_count = 0;
  (*failed_count)++;
  if (*failed_count >= RS_STORE_MAX_FAILED_PINS)
    {
      lock_count++;
      *seconds = lock_seconds (lock_count);
      locked_until = now + (gint64) *seconds * G_USEC_PER_SEC;
    }
  else if (locked_until <= now)
    locked_until = 0;
  if (!rs_store_exec (store, error,
                      "INSERT INTO sign_in_failures (employee_no, failed_count, locked_until, lock_count, last_failed_at)"
                      " VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (employee_no) DO UPDATE SET failed_count = ?2,"
                      " locked_until = ?3, lock_count = ?4, last_failed_at = ?5",
                      "sllll", employee_no, *failed_count, locked_until, lock_count, now))
    return FALSE;
  /* Numbers nobody has are kept, so they lock like real ones, but only the
   * most recent few hundred: a script typing random numbers cannot grow
   * the table without end. */
  if (person_id == 0
      && !rs_store_exec (store, error,
                         "DELETE FROM sign_in_failures WHERE employee_no IN (SELECT f.employee_no"
                         " FROM sign_in_failures AS f WHERE NOT EXISTS (SELECT 1 FROM people AS p"
                         " WHERE p.employee_no = f.employee_no) ORDER BY f.last_failed_at DESC LIMIT -1 OFFSET ?)",
                         "i", RS_STORE_MAX_UNKNOWN_FAILURES))
    return FALSE;
  detail = g_strdup_printf ("%s, %" G_GINT64_FORMAT " wrong in a row%s",
                            reason != NULL ? reason : person_id != 0 ? "wrong secret" : "unknown number",
                            *failed_count, *seconds > 0 ? ", locked" : "");
  return store_audit (store, person_id, "sign-in-failed", detail, error);
}

static gboolean
record_success_tx (RsStore *store, const RsPerson *person, GError **error)
{
  return rs_store_exec (store, error, "DELETE FROM sign_in_failures WHERE employee_no = ?", "s", person->employee_no)
         && store_audit (store, person->id, "sign-in", NULL, error);
}

/* Under the store lock: whether the number is locked out and, if not, the
 * person with their hash (*person NULL for an unknown number). A locked
 * number is refused before any hashing: for every number alike, so the quick
 * answer tells nothing, and a lock cannot be worked around by trying on. */
static gboolean
look_up_sign_in (RsStore *store, const char *employee_no, gint64 now, RsPerson **person, char **hash,
                 int *retry_after_seconds, GError **error)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&store->lock);
  gint64 locked_until = 0;

  *person = NULL;
  if (!rs_store_get_int (store, &locked_until, error,
                      "SELECT locked_until FROM sign_in_failures WHERE employee_no = ?", "s", employee_no))
    return FALSE;
  if (locked_until > now)
    {
      set_locked_out (error, locked_until - now, retry_after_seconds);
      return FALSE;
    }
  /* What unknown numbers are checked against, made once, at the first
   * sign-in of any number, so that even the first try does not stand out.
   * Set once under the lock and never changed: read without it after. */
  if (store->dummy_hash == NULL)
    {
      guchar random[16];
      char random_hex[2 * sizeof random + 1];

      randombytes_buf (random, sizeof random);
      sodium_bin2hex (random_hex, sizeof random_hex, random, sizeof random);
      hash_secret (store, random_hex, &store->dummy_hash, NULL);
    }
  return load_person (store, rs_store_query (store, error, PERSON_SELECT " WHERE p.employee_no = ?", "s", employee_no),
                      person, hash, error);
}

/* Verifies against the stored hash or, when there is none (unknown number,
 * no secret set), against the dummy hash, so that both cost the same time. */
static gboolean
verify_secret (RsStore *store, const char *hash, const char *secret)
{
  const char *against = hash != NULL ? hash : store->dummy_hash;

  return against != NULL && crypto_pwhash_str_verify (against, secret, strlen (secret)) == 0
         && hash != NULL;
}

/* min_role: who may pass; below it a right secret is a wrong try. */
static RsPerson *
authenticate (RsStore *store, const char *employee_no, const char *secret, RsPersonRole min_role,
              int *retry_after_seconds, GError **error)
{
  g_autoptr (RsPerson) person = NULL;
  g_autofree char *hash = NULL;
  gint64 now = store_clock ();
  gint64 failed_count = 0;
  gboolean ok, right, refused;

  g_return_val_if_fail (store != NULL && employee_no != NULL && secret != NULL, NULL);
  if (retry_after_seconds != NULL)
    *retry_after_seconds = 0;

  if (!look_up_sign_in (store, employee_no, now, &person, &hash, retry_after_seconds, error))
    return NULL;
  /* The slow part, on purpose: the store is not locked meanwhile. */
  right = verify_secret (store, hash, secret);
  /* The right secret of someone who may not pass here (leaving kiosk mode
   * takes an administrator) is answered and counted as a wrong one, or the
   * answer would confirm that the number and the PIN are valid. An
   * ordinary sign-in keeps its own answer for a switched-off account. */
  refused = right && min_role > RS_PERSON_EMPLOYEE && (person->role < min_role || !person->active);
  if (!right || refused)
    {
      int left, seconds = 0;

      g_mutex_lock (&store->lock);
      ok = rs_store_begin (store, TRUE, error)
           && rs_store_end (store, record_failure_tx (store, employee_no, person ? person->id : 0,
                                                   refused ? "right secret, not allowed here" : NULL, now,
                                                   &failed_count, &seconds, error), error);
      g_mutex_unlock (&store->lock);
      if (!ok)
        return NULL;
      if (seconds > 0)
        {
          set_locked_out (error, (gint64) seconds * G_USEC_PER_SEC, retry_after_seconds);
          return NULL;
        }
      left = RS_STORE_MAX_FAILED_PINS - (int) failed_count;
      g_set_error (error, RS_ERROR, RS_ERROR_AUTH,
                   g_dngettext (GETTEXT_PACKAGE,
                                "Wrong employee number or PIN. %d try left before signing in with this "
                                "number is locked for a while.",
                                "Wrong employee number or PIN. %d tries left before signing in with this "
                                "number is locked for a while.", (gulong) left),
                   left);
      return NULL;
    }

  if (!person->active)
    {
      rs_store_audit (store, person->id, "sign-in-refused", "inactive", NULL);
      g_set_error (error, RS_ERROR, RS_ERROR_DENIED,
                   _("This account is switched off. Ask an administrator to switch it on again."));
      return NULL;
    }
  g_mutex_lock (&store->lock);
  ok = rs_store_begin (store, TRUE, error) && rs_store_end (store, record_success_tx (store, person, error), error);
  g_mutex_unlock (&store->lock);
  if (!ok)
    return NULL;

  /* A hash made with older or test parameters is redone at today's cost,
   * now that the secret is at hand. Failing that is no reason to refuse. */
  if (crypto_pwhash_str_needs_rehash (hash, store->kdf_ops, store->kdf_mem) != 0)
    rs_store_set_secret (store, person->id, secret, NULL);
  return g_steal_pointer (&person);
}

RsPerson *
rs_store_authenticate (RsStore *store, const char *employee_no, const char *secret,
                       int *retry_after_seconds, GError **error)
{
  return authenticate (store, employee_no, secret, RS_PERSON_EMPLOYEE, retry_after_seconds, error);
}

RsPerson *
rs_store_authenticate_role (RsStore *store, const char *employee_no, const char *secret, RsPersonRole min_role,
                            int *retry_after_seconds, GError **error)
{
  g_return_val_if_fail (min_role >= RS_PERSON_EMPLOYEE && min_role <= RS_PERSON_ADMIN, NULL);
  return authenticate (store, employee_no, secret, min_role, retry_after_seconds, error);
}

/* --- attempts --- */

static void
response_clear (gpointer data)
{
  RsResponse *response = data;

  g_free (response->item_id);
  g_free (response->answer);
}

RsAttempt *
rs_attempt_new (void)
{
  RsAttempt *attempt = g_new0 (RsAttempt, 1);

  attempt->mode = RS_MODE_STANDARD;
  for (int s = 0; s < RS_N_SKILLS; s++)
    {
      attempt->skills[s] = RS_SKILL_INVALID;
      attempt->self_level[s] = RS_LEVEL_INVALID;
    }
  attempt->status = RS_ATTEMPT_IN_PROGRESS;
  attempt->responses = g_array_new (FALSE, TRUE, sizeof (RsResponse));
  g_array_set_clear_func (attempt->responses, response_clear);
  attempt->results = g_array_new (FALSE, TRUE, sizeof (RsSkillResult));
  return attempt;
}

void
rs_attempt_free (RsAttempt *attempt)
{
  if (attempt == NULL)
    return;
  g_free (attempt->uuid);
  g_free (attempt->bank_version);
  g_free (attempt->kiosk_id);
  g_free (attempt->pending_item_id);
  g_array_unref (attempt->responses);
  g_array_unref (attempt->results);
  g_free (attempt);
}

static gboolean
check_new_attempt (const RsAttempt *attempt, GError **error)
{
  gboolean seen[RS_N_SKILLS] = { FALSE };

  if (attempt->uuid != NULL && !g_uuid_string_is_valid (attempt->uuid))
    {
      g_set_error (error, RS_ERROR, RS_ERROR_INVALID, _("\"%s\" is not a UUID."), attempt->uuid);
      return FALSE;
    }
  if (attempt->mode < 0 || attempt->mode >= RS_N_MODES
      || attempt->n_skills < 1 || attempt->n_skills > RS_N_SKILLS)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_INVALID,
                   g_dngettext (GETTEXT_PACKAGE, "An attempt needs a mode and one to %d skill.",
                                "An attempt needs a mode and one to %d skills.", RS_N_SKILLS),
                   RS_N_SKILLS);
      return FALSE;
    }
  for (int i = 0; i < attempt->n_skills; i++)
    {
      RsSkill skill = attempt->skills[i];

      if (skill < 0 || skill >= RS_N_SKILLS || seen[skill])
        {
          g_set_error (error, RS_ERROR, RS_ERROR_INVALID, _("An attempt lists an unknown or repeated skill."));
          return FALSE;
        }
      seen[skill] = TRUE;
    }
  for (int s = 0; s < RS_N_SKILLS; s++)
    if (attempt->self_level[s] != RS_LEVEL_INVALID
        && (attempt->self_level[s] < 0 || attempt->self_level[s] >= RS_N_LEVELS))
      {
        g_set_error (error, RS_ERROR, RS_ERROR_INVALID, _("A self-estimate is not a level."));
        return FALSE;
      }
  for (int s = 0; s < RS_N_SKILLS; s++)
    if (!isfinite (attempt->prior_mean[s]) || !isfinite (attempt->prior_sd[s]) || attempt->prior_sd[s] < 0)
      {
        g_set_error (error, RS_ERROR, RS_ERROR_INVALID, _("A prior is not a mean and a standard deviation."));
        return FALSE;
      }
  return TRUE;
}

static gboolean
begin_attempt_tx (RsStore *store, const RsAttempt *attempt, GError **error)
{
  g_autoptr (GString) skills = g_string_new (NULL);

  /* Skills in test order, as "python,ml": readable, and the order matters. */
  for (int i = 0; i < attempt->n_skills; i++)
    g_string_append_printf (skills, "%s%s", i > 0 ? "," : "", rs_skill_id (attempt->skills[i]));
  if (!rs_store_exec (store, error,
                   "INSERT INTO attempts (uuid, person_id, mode, skills, seed, bank_version, kiosk_id,"
                   " status, started_at, pending_item_id, pending_scored, practice)"
                   " VALUES (?, ?, ?, ?, ?, ?, ?, 'in_progress', ?, ?, ?, ?)",
                   "srsslsslsii", attempt->uuid, attempt->person_id, rs_mode_id (attempt->mode), skills->str,
                   (gint64) attempt->seed, attempt->bank_version, attempt->kiosk_id, attempt->started_at,
                   attempt->pending_item_id, attempt->pending_unscored ? 0 : 1, attempt->practice ? 1 : 0))
    return FALSE;
  for (int i = 0; i < attempt->n_skills; i++)
    {
      RsSkill skill = attempt->skills[i];

      if (!(attempt->prior_sd[skill] > 0))
        continue;
      if (!rs_store_exec (store, error, "INSERT INTO attempt_priors (attempt_id, skill, mean, sd) VALUES (?, ?, ?, ?)",
                          "ssdd", attempt->uuid, rs_skill_id (skill), attempt->prior_mean[skill],
                          attempt->prior_sd[skill]))
        return FALSE;
    }
  for (int s = 0; s < RS_N_SKILLS; s++)
    {
      g_autofree char *level = NULL;

      if (attempt->self_level[s] == RS_LEVEL_INVALID)
        continue;
      level = rs_store_level_to_db (attempt->self_level[s]);
      if (!rs_store_exec (store, error, "INSERT INTO self_estimates (attempt_id, skill, level) VALUES (?, ?, ?)",
                       "sss", attempt->uuid, rs_skill_id ((RsSkill) s), level))
        return FALSE;
    }
  return TRUE;
}

gboolean
rs_store_begin_attempt (RsStore *store, RsAttempt *attempt, GError **error)
{
  g_autoptr (GMutexLocker) locker = NULL;

  g_return_val_if_fail (store != NULL && attempt != NULL, FALSE);
  if (!check_new_attempt (attempt, error))
    return FALSE;
  locker = g_mutex_locker_new (&store->lock);
  if (attempt->uuid == NULL)
    attempt->uuid = g_uuid_string_random ();
  if (attempt->kiosk_id == NULL)
    attempt->kiosk_id = g_strdup (store->kiosk_id);
  if (attempt->started_at == 0)
    attempt->started_at = store_clock ();
  attempt->status = RS_ATTEMPT_IN_PROGRESS;
  attempt->finished_at = 0;
  return rs_store_begin (store, TRUE, error)
         && rs_store_end (store, begin_attempt_tx (store, attempt, error), error);
}

/* Inside a write transaction: the attempt exists, is not finished, and
 * *last_seq is its highest answer number (0 before the first). */
static gboolean
check_open_attempt (RsStore *store, const char *uuid, int *last_seq, GError **error)
{
  g_autoptr (RsStoreStmt) stmt = rs_store_query (store, error,
                                            "SELECT status = 'finished',"
                                            " (SELECT ifnull (max (seq), 0) FROM responses WHERE attempt_id = ?1)"
                                            " FROM attempts WHERE uuid = ?1",
                                            "s", uuid);
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = rs_store_step (store, stmt, error);
  if (rc == SQLITE_DONE)
    g_set_error (error, RS_ERROR, RS_ERROR_NOT_FOUND, _("There is no attempt %s."), uuid);
  else if (rc == SQLITE_ROW && sqlite3_column_int (stmt, 0) != 0)
    g_set_error (error, RS_ERROR, RS_ERROR_INVALID, _("Attempt %s is finished: it takes no more answers."), uuid);
  else if (rc == SQLITE_ROW)
    {
      *last_seq = sqlite3_column_int (stmt, 1);
      return TRUE;
    }
  return FALSE;
}

static gboolean
record_answer_tx (RsStore *store, const char *uuid, const RsResponse *r, const char *next_item_id,
                  gboolean next_unscored, GError **error)
{
  int last_seq = 0;

  if (!check_open_attempt (store, uuid, &last_seq, error))
    return FALSE;
  if (r->seq != last_seq + 1)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_INVALID,
                   _("Answer number %d of attempt %s is out of order: the next one is %d."), r->seq, uuid,
                   last_seq + 1);
      return FALSE;
    }
  return rs_store_exec (store, error,
                     "INSERT INTO responses (attempt_id, seq, item_id, skill, answer, score, max_score,"
                     " theta, se, time_ms, answered_at, scored) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     "sisssiiddili", uuid, r->seq, r->item_id, rs_skill_id (r->skill), r->answer, r->score,
                     r->max_score, r->theta, r->se, r->time_ms,
                     r->answered_at != 0 ? r->answered_at : store_clock (), r->unscored ? 0 : 1)
         && rs_store_exec (store, error, "UPDATE attempts SET pending_item_id = ?, pending_scored = ? WHERE uuid = ?",
                        "sis", next_item_id, next_unscored ? 0 : 1, uuid);
}

gboolean
rs_store_record_answer (RsStore *store, const char *uuid, const RsResponse *response,
                        const char *next_item_id, GError **error)
{
  return rs_store_record_answer_full (store, uuid, response, next_item_id, FALSE, error);
}

gboolean
rs_store_record_answer_full (RsStore *store, const char *uuid, const RsResponse *response,
                             const char *next_item_id, gboolean next_unscored, GError **error)
{
  g_autoptr (GMutexLocker) locker = NULL;

  g_return_val_if_fail (store != NULL && uuid != NULL && response != NULL, FALSE);
  g_return_val_if_fail (response->item_id != NULL && response->answer != NULL, FALSE);
  g_return_val_if_fail (response->skill >= 0 && response->skill < RS_N_SKILLS, FALSE);
  if (response->score < 0 || response->score > response->max_score || response->time_ms < 0)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_INVALID,
                   _("Answer %d to %s has score %d of %d and time %d ms: that cannot be."),
                   response->seq, response->item_id, response->score, response->max_score, response->time_ms);
      return FALSE;
    }
  /* synchronous=FULL: COMMIT returns once the WAL is on disk. */
  locker = g_mutex_locker_new (&store->lock);
  return rs_store_begin (store, TRUE, error)
         && rs_store_end (store, record_answer_tx (store, uuid, response, next_item_id, next_unscored, error),
                         error);
}

static gboolean
set_pending_tx (RsStore *store, const char *uuid, const char *item_id, GError **error)
{
  int last_seq;

  return check_open_attempt (store, uuid, &last_seq, error)
         && rs_store_exec (store, error, "UPDATE attempts SET pending_item_id = ?, pending_scored = 1 WHERE uuid = ?",
                           "ss", item_id, uuid);
}

gboolean
rs_store_set_pending_item (RsStore *store, const char *uuid, const char *item_id, GError **error)
{
  g_autoptr (GMutexLocker) locker = NULL;

  g_return_val_if_fail (store != NULL && uuid != NULL, FALSE);
  locker = g_mutex_locker_new (&store->lock);
  return rs_store_begin (store, TRUE, error)
         && rs_store_end (store, set_pending_tx (store, uuid, item_id, error), error);
}

static gboolean
finish_tx (RsStore *store, const char *uuid, const RsSkillResult *results, int n_results, GError **error)
{
  int last_seq;

  if (!check_open_attempt (store, uuid, &last_seq, error))
    return FALSE;
  for (int i = 0; i < n_results; i++)
    {
      const RsSkillResult *r = &results[i];
      g_autofree char *level = rs_store_level_to_db (r->level);

      if (!rs_store_exec (store, error,
                       "INSERT INTO results (attempt_id, skill, theta, se, n_items, level, calibration, se_provisional)"
                       " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                       "ssddissi", uuid, rs_skill_id (r->skill), r->theta, r->se, r->n_items, level,
                       r->calibration[0] != '\0' ? r->calibration : NULL, r->se_provisional ? 1 : 0))
        return FALSE;
      if (r->has_level_probability
          && !rs_store_exec (store, error,
                             "UPDATE results SET p_novice = ?, p_developing = ?, p_proficient = ?, p_advanced = ?,"
                             " p_expert = ? WHERE attempt_id = ? AND skill = ?",
                             "dddddss", r->level_probability[0], r->level_probability[1], r->level_probability[2],
                             r->level_probability[3], r->level_probability[4], uuid, rs_skill_id (r->skill)))
        return FALSE;
    }
  return rs_store_exec (store, error,
                     "UPDATE attempts SET status = 'finished', finished_at = ?, pending_item_id = NULL WHERE uuid = ?",
                     "ls", store_clock (), uuid);
}

static gboolean
level_probabilities_valid (const double *p)
{
  double total = 0;

  for (int l = 0; l < RS_N_LEVELS; l++)
    {
      if (!isfinite (p[l]) || p[l] < 0 || p[l] > 1)
        return FALSE;
      total += p[l];
    }
  return fabs (total - 1.0) < 1e-6;
}

gboolean
rs_store_finish_attempt (RsStore *store, const char *uuid, const RsSkillResult *results, int n_results,
                         GError **error)
{
  g_autoptr (GMutexLocker) locker = NULL;

  g_return_val_if_fail (store != NULL && uuid != NULL, FALSE);
  g_return_val_if_fail (n_results >= 0 && (n_results == 0 || results != NULL), FALSE);
  for (int i = 0; i < n_results; i++)
    if (results[i].skill < 0 || results[i].skill >= RS_N_SKILLS
        || results[i].level < 0 || results[i].level >= RS_N_LEVELS
        || !isfinite (results[i].theta) || !isfinite (results[i].se) || results[i].n_items < 0
        || (results[i].has_level_probability && !level_probabilities_valid (results[i].level_probability)))
      {
        g_set_error (error, RS_ERROR, RS_ERROR_INVALID, _("Result %d of attempt %s is not a valid result."), i, uuid);
        return FALSE;
      }
  locker = g_mutex_locker_new (&store->lock);
  return rs_store_begin (store, TRUE, error)
         && rs_store_end (store, finish_tx (store, uuid, results, n_results, error), error);
}

#define ATTEMPT_SELECT \
  "SELECT uuid, person_id, mode, skills, seed, bank_version, kiosk_id, status, started_at," \
  " finished_at, pending_item_id, pending_scored, practice, shared_at FROM attempts"

static gboolean
parse_skills (const char *text, RsAttempt *attempt)
{
  g_auto (GStrv) ids = g_strsplit (text != NULL ? text : "", ",", -1);

  attempt->n_skills = (int) g_strv_length (ids);
  if (attempt->n_skills < 1 || attempt->n_skills > RS_N_SKILLS)
    return FALSE;
  for (int i = 0; i < attempt->n_skills; i++)
    if ((attempt->skills[i] = rs_skill_from_id (ids[i])) == RS_SKILL_INVALID)
      return FALSE;
  return TRUE;
}

static RsAttempt *
attempt_from_row (RsStore *store, sqlite3_stmt *stmt, GError **error)
{
  g_autoptr (RsAttempt) attempt = rs_attempt_new ();
  const char *mode = (const char *) sqlite3_column_text (stmt, 2);
  const char *skills = (const char *) sqlite3_column_text (stmt, 3);

  attempt->uuid = rs_store_column_strdup (stmt, 0);
  attempt->person_id = sqlite3_column_int64 (stmt, 1);
  attempt->mode = rs_mode_from_id (mode);
  if (attempt->mode == RS_MODE_INVALID)
    {
      store_fail_content (store, error, _("mode"), mode);
      return NULL;
    }
  if (!parse_skills (skills, attempt))
    {
      store_fail_content (store, error, _("skill list"), skills);
      return NULL;
    }
  attempt->seed = (guint32) sqlite3_column_int64 (stmt, 4);
  attempt->bank_version = rs_store_column_strdup (stmt, 5);
  attempt->kiosk_id = rs_store_column_strdup (stmt, 6);
  attempt->status = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 7), "finished") == 0
                    ? RS_ATTEMPT_FINISHED : RS_ATTEMPT_IN_PROGRESS;
  attempt->started_at = sqlite3_column_int64 (stmt, 8);
  attempt->finished_at = sqlite3_column_int64 (stmt, 9);
  attempt->pending_item_id = rs_store_column_strdup (stmt, 10);
  attempt->pending_unscored = sqlite3_column_int (stmt, 11) == 0;
  attempt->practice = sqlite3_column_int (stmt, 12) != 0;
  attempt->shared_at = sqlite3_column_int64 (stmt, 13);
  return g_steal_pointer (&attempt);
}

/* Reads skill and level columns; FALSE (error set) on values Reskill does
 * not know. */
static gboolean
read_skill_level (RsStore *store, sqlite3_stmt *stmt, int skill_column, int level_column,
                  RsSkill *skill, RsLevel *level, GError **error)
{
  const char *skill_id = (const char *) sqlite3_column_text (stmt, skill_column);
  const char *level_name = (const char *) sqlite3_column_text (stmt, level_column);

  if ((*skill = rs_skill_from_id (skill_id)) == RS_SKILL_INVALID)
    store_fail_content (store, error, "skill", skill_id);
  else if ((*level = rs_level_from_name (level_name)) == RS_LEVEL_INVALID)
    store_fail_content (store, error, "level", level_name);
  else
    return TRUE;
  return FALSE;
}

static gboolean
load_self_estimates (RsStore *store, RsAttempt *attempt, GError **error)
{
  g_autoptr (RsStoreStmt) stmt = rs_store_query (store, error,
                                            "SELECT skill, level FROM self_estimates WHERE attempt_id = ?",
                                            "s", attempt->uuid);
  int rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = rs_store_step (store, stmt, error)) == SQLITE_ROW)
    {
      RsSkill skill;
      RsLevel level;

      if (!read_skill_level (store, stmt, 0, 1, &skill, &level, error))
        return FALSE;
      attempt->self_level[skill] = level;
    }
  return rc == SQLITE_DONE;
}

static gboolean
load_priors (RsStore *store, RsAttempt *attempt, GError **error)
{
  g_autoptr (RsStoreStmt) stmt = rs_store_query (store, error,
                                            "SELECT skill, mean, sd FROM attempt_priors WHERE attempt_id = ?",
                                            "s", attempt->uuid);
  int rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = rs_store_step (store, stmt, error)) == SQLITE_ROW)
    {
      const char *skill_id = (const char *) sqlite3_column_text (stmt, 0);
      RsSkill skill = rs_skill_from_id (skill_id);

      if (skill == RS_SKILL_INVALID)
        {
          store_fail_content (store, error, "skill", skill_id);
          return FALSE;
        }
      attempt->prior_mean[skill] = sqlite3_column_double (stmt, 1);
      attempt->prior_sd[skill] = sqlite3_column_double (stmt, 2);
    }
  return rc == SQLITE_DONE;
}

static gboolean
load_results (RsStore *store, RsAttempt *attempt, GError **error)
{
  /* By rowid: the order finish_attempt was given, which is test order. */
  g_autoptr (RsStoreStmt) stmt = rs_store_query (store, error,
                                            "SELECT skill, level, theta, se, n_items, calibration, se_provisional,"
                                            " p_novice, p_developing, p_proficient, p_advanced, p_expert FROM results"
                                            " WHERE attempt_id = ? ORDER BY rowid",
                                            "s", attempt->uuid);
  int rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = rs_store_step (store, stmt, error)) == SQLITE_ROW)
    {
      RsSkillResult result = { 0 };

      if (!read_skill_level (store, stmt, 0, 1, &result.skill, &result.level, error))
        return FALSE;
      result.theta = sqlite3_column_double (stmt, 2);
      result.se = sqlite3_column_double (stmt, 3);
      result.n_items = sqlite3_column_int (stmt, 4);
      if (sqlite3_column_type (stmt, 5) == SQLITE_TEXT)
        g_strlcpy (result.calibration, (const char *) sqlite3_column_text (stmt, 5), sizeof result.calibration);
      result.se_provisional = sqlite3_column_int (stmt, 6) != 0;
      result.has_level_probability = TRUE;
      for (int l = 0; l < RS_N_LEVELS; l++)
        {
          result.has_level_probability &= sqlite3_column_type (stmt, 7 + l) != SQLITE_NULL;
          result.level_probability[l] = sqlite3_column_double (stmt, 7 + l);
        }
      g_array_append_val (attempt->results, result);
    }
  return rc == SQLITE_DONE;
}

static gboolean
load_responses (RsStore *store, RsAttempt *attempt, GError **error)
{
  g_autoptr (RsStoreStmt) stmt = rs_store_query (store, error,
                                            "SELECT seq, item_id, skill, answer, score, max_score, theta, se,"
                                            " time_ms, answered_at, scored FROM responses WHERE attempt_id = ?"
                                            " ORDER BY seq",
                                            "s", attempt->uuid);
  int rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = rs_store_step (store, stmt, error)) == SQLITE_ROW)
    {
      const char *skill = (const char *) sqlite3_column_text (stmt, 2);
      RsResponse r = {
        .seq = sqlite3_column_int (stmt, 0),
        .skill = rs_skill_from_id (skill),
        .score = sqlite3_column_int (stmt, 4),
        .max_score = sqlite3_column_int (stmt, 5),
        .theta = sqlite3_column_double (stmt, 6),
        .se = sqlite3_column_double (stmt, 7),
        .time_ms = sqlite3_column_int (stmt, 8),
        .answered_at = sqlite3_column_int64 (stmt, 9),
        .unscored = sqlite3_column_int (stmt, 10) == 0,
      };

      if (r.skill == RS_SKILL_INVALID)
        {
          store_fail_content (store, error, "skill", skill);
          return FALSE;
        }
      r.item_id = rs_store_column_strdup (stmt, 1);
      r.answer = rs_store_column_strdup (stmt, 3);
      g_array_append_val (attempt->responses, r);
    }
  return rc == SQLITE_DONE;
}

RsAttempt *
rs_store_load_attempt_tx (RsStore *store, const char *uuid, GError **error)
{
  g_autoptr (RsStoreStmt) stmt = rs_store_query (store, error, ATTEMPT_SELECT " WHERE uuid = ?", "s", uuid);
  g_autoptr (RsAttempt) attempt = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  rc = rs_store_step (store, stmt, error);
  if (rc == SQLITE_DONE)
    g_set_error (error, RS_ERROR, RS_ERROR_NOT_FOUND, _("There is no attempt %s."), uuid);
  if (rc != SQLITE_ROW)
    return NULL;
  attempt = attempt_from_row (store, stmt, error);
  if (attempt == NULL
      || !load_self_estimates (store, attempt, error)
      || !load_priors (store, attempt, error)
      || !load_responses (store, attempt, error)
      || !load_results (store, attempt, error))
    return NULL;
  return g_steal_pointer (&attempt);
}

RsAttempt *
rs_store_load_attempt (RsStore *store, const char *uuid, GError **error)
{
  g_autoptr (GMutexLocker) locker = NULL;
  g_autoptr (RsAttempt) attempt = NULL;

  g_return_val_if_fail (store != NULL && uuid != NULL, NULL);
  locker = g_mutex_locker_new (&store->lock);
  if (!rs_store_begin (store, FALSE, error))
    return NULL;
  attempt = rs_store_load_attempt_tx (store, uuid, error);
  if (!rs_store_end (store, attempt != NULL, error))
    return NULL;
  return g_steal_pointer (&attempt);
}

char *
rs_store_find_resumable (RsStore *store, gint64 person_id, GError **error)
{
  g_autoptr (GMutexLocker) locker = NULL;
  char *uuid = NULL;

  g_return_val_if_fail (store != NULL, NULL);
  if (person_id == 0)
    return NULL;
  locker = g_mutex_locker_new (&store->lock);
  rs_store_get_text (store, &uuid, error,
                  "SELECT uuid FROM attempts WHERE person_id = ? AND status = 'in_progress'"
                  " AND abandoned_at IS NULL ORDER BY started_at DESC, rowid DESC LIMIT 1",
                  "l", person_id);
  return uuid;
}

gboolean
rs_store_abandon_attempt (RsStore *store, const char *uuid, GError **error)
{
  g_autoptr (GMutexLocker) locker = NULL;

  g_return_val_if_fail (store != NULL && uuid != NULL, FALSE);
  locker = g_mutex_locker_new (&store->lock);
  return rs_store_exec (store, error,
                        "UPDATE attempts SET abandoned_at = ? WHERE uuid = ? AND status = 'in_progress'"
                        " AND abandoned_at IS NULL",
                        "ls", rs_store_now (), uuid);
}

static gboolean
list_finished_tx (RsStore *store, gint64 person_id, GPtrArray *attempts, GError **error)
{
  g_autoptr (RsStoreStmt) stmt = rs_store_query (store, error,
                                            ATTEMPT_SELECT " WHERE person_id = ? AND status = 'finished'"
                                            " ORDER BY started_at, rowid",
                                            "l", person_id);
  int rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = rs_store_step (store, stmt, error)) == SQLITE_ROW)
    {
      RsAttempt *attempt = attempt_from_row (store, stmt, error);

      if (attempt == NULL)
        return FALSE;
      g_ptr_array_add (attempts, attempt);
      if (!load_self_estimates (store, attempt, error) || !load_results (store, attempt, error))
        return FALSE;
    }
  return rc == SQLITE_DONE;
}

GPtrArray *
rs_store_list_finished (RsStore *store, gint64 person_id, GError **error)
{
  g_autoptr (GMutexLocker) locker = NULL;
  g_autoptr (GPtrArray) attempts = g_ptr_array_new_with_free_func ((GDestroyNotify) rs_attempt_free);

  g_return_val_if_fail (store != NULL, NULL);
  /* Guests are anonymous: their attempts belong to no one to list. */
  if (person_id == 0)
    return g_steal_pointer (&attempts);
  locker = g_mutex_locker_new (&store->lock);
  if (!rs_store_begin (store, FALSE, error)
      || !rs_store_end (store, list_finished_tx (store, person_id, attempts, error), error))
    return NULL;
  return g_steal_pointer (&attempts);
}

GHashTable *
rs_store_recent_item_ids (RsStore *store, gint64 person_id, gint64 since, GError **error)
{
  g_autoptr (GMutexLocker) locker = NULL;
  g_autoptr (GHashTable) ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (RsStoreStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (store != NULL, NULL);
  if (person_id == 0)
    return g_steal_pointer (&ids);
  locker = g_mutex_locker_new (&store->lock);
  stmt = rs_store_query (store, error,
                      "SELECT DISTINCT r.item_id FROM attempts AS a JOIN responses AS r ON r.attempt_id = a.uuid"
                      " WHERE a.person_id = ? AND r.answered_at >= ?",
                      "ll", person_id, since);
  if (stmt == NULL)
    return NULL;
  while ((rc = rs_store_step (store, stmt, error)) == SQLITE_ROW)
    g_hash_table_add (ids, rs_store_column_strdup (stmt, 0));
  if (rc != SQLITE_DONE)
    return NULL;
  return g_steal_pointer (&ids);
}

RsItemUsage *
rs_store_item_usage (RsStore *store, GError **error)
{
  g_autoptr (GMutexLocker) locker = NULL;
  g_autoptr (RsItemUsage) usage = rs_item_usage_new ();
  g_autoptr (RsStoreStmt) items = NULL;
  g_autoptr (RsStoreStmt) skills = NULL;
  g_autoptr (RsStoreStmt) baseline = NULL;
  int rc;

  g_return_val_if_fail (store != NULL, NULL);
  locker = g_mutex_locker_new (&store->lock);
  items = rs_store_query (store, error, "SELECT item_id, n_shown FROM item_usage", "");
  if (items == NULL)
    return NULL;
  while ((rc = rs_store_step (store, items, error)) == SQLITE_ROW)
    rs_item_usage_add_shown (usage, (const char *) sqlite3_column_text (items, 0),
                             (guint) MAX (sqlite3_column_int64 (items, 1), 0));
  if (rc != SQLITE_DONE)
    return NULL;
  skills = rs_store_query (store, error, "SELECT skill, n_attempts FROM skill_usage", "");
  if (skills == NULL)
    return NULL;
  while ((rc = rs_store_step (store, skills, error)) == SQLITE_ROW)
    {
      RsSkill skill = rs_skill_from_id ((const char *) sqlite3_column_text (skills, 0));
      if (skill != RS_SKILL_INVALID)
        rs_item_usage_add_attempts (usage, skill, (guint) MAX (sqlite3_column_int64 (skills, 1), 0));
    }
  if (rc != SQLITE_DONE)
    return NULL;
  /* The totals when the calibration in force was applied: the exposure cap
   * counts from there (schema version 7). */
  baseline = rs_store_query (store, error,
                             "SELECT kind, key, n FROM calibration_usage"
                             " WHERE calibration_id = (SELECT max(id) FROM calibrations)", "");
  if (baseline == NULL)
    return NULL;
  while ((rc = rs_store_step (store, baseline, error)) == SQLITE_ROW)
    {
      const char *kind = (const char *) sqlite3_column_text (baseline, 0);
      const char *key = (const char *) sqlite3_column_text (baseline, 1);
      guint n = (guint) MAX (sqlite3_column_int64 (baseline, 2), 0);

      if (g_strcmp0 (kind, "item") == 0)
        rs_item_usage_set_baseline (usage, key, n);
      else if (rs_skill_from_id (key) != RS_SKILL_INVALID)
        rs_item_usage_set_baseline_attempts (usage, rs_skill_from_id (key), n);
    }
  if (rc != SQLITE_DONE)
    return NULL;
  return g_steal_pointer (&usage);
}
