/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Results bundles: export to and import from a USB stick. The format, what
 * is exported and how bundles merge are described in rs-exchange.h.
 *
 * Two databases meet here. The main one is only touched through the store's
 * helpers (rs-store-private.h), under the store's lock, like every other
 * store function. The bundle has its own short-lived connection: written
 * to a temporary file on export, opened read-only and immutable on import.
 * An import checks the whole bundle and loads it into memory before it
 * touches the main database, so a refusal writes nothing. */
#include "config.h"

#include "rs-exchange.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <math.h>
#include <unistd.h>

#include "rs-access.h"
#include "rs-error.h"
#include "rs-store-private.h"

/* --- the bundle's tables --- */

static const char bundle_schema[] =
  "CREATE TABLE bundle (\n"
  "  format TEXT NOT NULL,\n"
  "  format_version INTEGER NOT NULL,\n"
  "  kiosk_id TEXT NOT NULL,\n"
  "  created_at INTEGER NOT NULL,\n"
  "  since INTEGER,\n"
  "  all_kiosks INTEGER NOT NULL,\n"
  "  bank_versions TEXT NOT NULL,\n"
  "  program TEXT NOT NULL,\n"
  "  n_attempts INTEGER NOT NULL,\n"
  "  n_responses INTEGER NOT NULL,\n"
  "  n_results INTEGER NOT NULL,\n"
  "  n_self_estimates INTEGER NOT NULL,\n"
  "  content_sha256 TEXT NOT NULL\n"
  ");\n"
  "CREATE TABLE attempts (\n"
  "  uuid TEXT NOT NULL PRIMARY KEY,\n"
  "  employee_no TEXT,\n"
  "  mode TEXT NOT NULL,\n"
  "  skills TEXT NOT NULL,\n"
  "  seed INTEGER NOT NULL,\n"
  "  bank_version TEXT,\n"
  "  kiosk_id TEXT,\n"
  "  status TEXT NOT NULL,\n"
  "  started_at INTEGER NOT NULL,\n"
  "  finished_at INTEGER,\n"
  "  pending_item_id TEXT,\n"
  "  pending_scored INTEGER NOT NULL DEFAULT 1\n"
  ");\n"
  "CREATE TABLE responses (\n"
  "  attempt_uuid TEXT NOT NULL REFERENCES attempts (uuid),\n"
  "  seq INTEGER NOT NULL,\n"
  "  item_id TEXT NOT NULL,\n"
  "  skill TEXT NOT NULL,\n"
  "  answer TEXT NOT NULL,\n"
  "  score INTEGER NOT NULL,\n"
  "  max_score INTEGER NOT NULL,\n"
  "  theta REAL NOT NULL,\n"
  "  se REAL NOT NULL,\n"
  "  time_ms INTEGER NOT NULL,\n"
  "  answered_at INTEGER NOT NULL,\n"
  "  scored INTEGER NOT NULL DEFAULT 1,\n"
  "  PRIMARY KEY (attempt_uuid, seq)\n"
  ");\n"
  "CREATE TABLE results (\n"
  "  attempt_uuid TEXT NOT NULL REFERENCES attempts (uuid),\n"
  "  skill TEXT NOT NULL,\n"
  "  theta REAL NOT NULL,\n"
  "  se REAL NOT NULL,\n"
  "  n_items INTEGER NOT NULL,\n"
  "  level TEXT NOT NULL,\n"
  "  p_novice REAL,\n"
  "  p_developing REAL,\n"
  "  p_proficient REAL,\n"
  "  p_advanced REAL,\n"
  "  p_expert REAL,\n"
  "  PRIMARY KEY (attempt_uuid, skill)\n"
  ");\n"
  "CREATE TABLE self_estimates (\n"
  "  attempt_uuid TEXT NOT NULL REFERENCES attempts (uuid),\n"
  "  skill TEXT NOT NULL,\n"
  "  level TEXT NOT NULL,\n"
  "  PRIMARY KEY (attempt_uuid, skill)\n"
  ");\n";

/* What the hash covers, in its order (see rs-exchange.h). The columns are
 * named, never "*": the hash must not depend on how a table was created.
 * sql_v1 reads a version 1 bundle; columns added later come last, so the
 * readers' column numbers hold for both. */
static const struct {
  const char *table;
  const char *sql;
  const char *sql_v1;
} hashed_tables[] = {
  { "bundle",
    "SELECT format, format_version, kiosk_id, created_at, since, all_kiosks, bank_versions, program,"
    " n_attempts, n_responses, n_results, n_self_estimates FROM bundle", NULL },
  { "attempts",
    "SELECT uuid, employee_no, mode, skills, seed, bank_version, kiosk_id, status, started_at,"
    " finished_at, pending_item_id, pending_scored FROM attempts ORDER BY uuid",
    "SELECT uuid, employee_no, mode, skills, seed, bank_version, kiosk_id, status, started_at,"
    " finished_at, pending_item_id FROM attempts ORDER BY uuid" },
  { "responses",
    "SELECT attempt_uuid, seq, item_id, skill, answer, score, max_score, theta, se, time_ms, answered_at,"
    " scored FROM responses ORDER BY attempt_uuid, seq",
    "SELECT attempt_uuid, seq, item_id, skill, answer, score, max_score, theta, se, time_ms, answered_at"
    " FROM responses ORDER BY attempt_uuid, seq" },
  { "results",
    "SELECT attempt_uuid, skill, theta, se, n_items, level, p_novice, p_developing, p_proficient,"
    " p_advanced, p_expert FROM results ORDER BY attempt_uuid, skill",
    "SELECT attempt_uuid, skill, theta, se, n_items, level FROM results ORDER BY attempt_uuid, skill" },
  { "self_estimates",
    "SELECT attempt_uuid, skill, level FROM self_estimates ORDER BY attempt_uuid, skill", NULL },
};

static const char *
table_sql (gsize t, gint64 version)
{
  return version < 2 && hashed_tables[t].sql_v1 != NULL ? hashed_tables[t].sql_v1 : hashed_tables[t].sql;
}

/* --- summaries --- */

void
rs_export_summary_clear (RsExportSummary *summary)
{
  if (summary == NULL)
    return;
  g_clear_pointer (&summary->sha256, g_free);
}

void
rs_import_summary_clear (RsImportSummary *summary)
{
  if (summary == NULL)
    return;
  g_clear_pointer (&summary->kiosk_id, g_free);
  g_clear_pointer (&summary->unknown_employee_nos, g_ptr_array_unref);
  g_clear_pointer (&summary->conflicting_uuids, g_ptr_array_unref);
}

static const char *
plural (int n, const char *one, const char *many)
{
  return n == 1 ? one : many;
}

char *
rs_import_summary_describe (const RsImportSummary *s)
{
  GString *text = g_string_new (NULL);

  g_return_val_if_fail (s != NULL, NULL);
  g_string_append_printf (text, "%d %s added, %d updated, %d already here; %d %s added",
                          s->attempts_added, plural (s->attempts_added, "attempt", "attempts"),
                          s->attempts_updated, s->attempts_unchanged,
                          s->responses_added, plural (s->responses_added, "answer", "answers"));
  if (s->attempts_unknown > 0 && s->unknown_employee_nos != NULL)
    {
      g_string_append_printf (text, "\n%d %s for unknown employee %s ", s->attempts_unknown,
                              plural (s->attempts_unknown, "attempt", "attempts"),
                              plural ((int) s->unknown_employee_nos->len, "number", "numbers"));
      for (guint i = 0; i < s->unknown_employee_nos->len; i++)
        g_string_append_printf (text, "%s%s", i > 0 ? ", " : "",
                                (const char *) g_ptr_array_index (s->unknown_employee_nos, i));
      g_string_append (text, " skipped: import people first, then this bundle again");
    }
  if (s->attempts_conflicting > 0 && s->conflicting_uuids != NULL)
    {
      g_string_append_printf (text, "\n%d %s differ%s from the copy here and %s left as %s:",
                              s->attempts_conflicting, plural (s->attempts_conflicting, "attempt", "attempts"),
                              s->attempts_conflicting == 1 ? "s" : "",
                              plural (s->attempts_conflicting, "was", "were"),
                              plural (s->attempts_conflicting, "it is", "they are"));
      for (guint i = 0; i < s->conflicting_uuids->len; i++)
        g_string_append_printf (text, " %s", (const char *) g_ptr_array_index (s->conflicting_uuids, i));
    }
  return g_string_free (text, FALSE);
}

/* --- times --- */

gboolean
rs_exchange_parse_since (const char *text, gint64 *since, GError **error)
{
  g_autoptr (GTimeZone) local = g_time_zone_new_local ();
  g_autoptr (GDateTime) time = NULL;
  g_autofree char *copy = NULL;
  int year, month, day;
  char end;

  g_return_val_if_fail (text != NULL && since != NULL, FALSE);
  if (strlen (text) == 10 && sscanf (text, "%4d-%2d-%2d%c", &year, &month, &day, &end) == 3)
    time = g_date_time_new (local, year, month, day, 0, 0, 0);
  else if (strlen (text) >= 16)
    {
      copy = g_strdup (text);
      /* Accept what people type: a space for the T, and hh:mm alone. */
      if (copy[10] == ' ')
        copy[10] = 'T';
      if (strlen (copy) == 16)
        {
          char *longer = g_strconcat (copy, ":00", NULL);
          g_free (copy);
          copy = longer;
        }
      time = g_date_time_new_from_iso8601 (copy, local);
    }
  if (time == NULL)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_INVALID,
                   "\"%s\" is not a date or time: use 2026-03-01, 2026-03-01T14:30 or the time an "
                   "export printed.", text);
      return FALSE;
    }
  *since = g_date_time_to_unix (time) * G_USEC_PER_SEC + g_date_time_get_microsecond (time);
  return TRUE;
}

char *
rs_exchange_format_time (gint64 time_us)
{
  gint64 seconds = time_us / G_USEC_PER_SEC;
  gint64 micro = time_us % G_USEC_PER_SEC;
  g_autoptr (GDateTime) whole = NULL;
  g_autoptr (GDateTime) time = NULL;

  if (micro < 0)
    {
      seconds--;
      micro += G_USEC_PER_SEC;
    }
  whole = g_date_time_new_from_unix_utc (seconds);
  time = whole != NULL ? g_date_time_add (whole, micro) : NULL;
  if (time == NULL)
    return g_strdup_printf ("%" G_GINT64_FORMAT, time_us);
  return g_date_time_format (time, "%Y-%m-%dT%H:%M:%S.%fZ");
}

/* --- bundle files: errors and the hash --- */

/* Reading a bundle: SQLite's verdicts in the words the issue asks for. */
static void
bundle_read_fail (GError **error, const char *path, sqlite3 *db, int rc)
{
  const char *detail = db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc);

  switch (rc & 0xff)
    {
    case SQLITE_NOTADB:
      g_set_error (error, RS_ERROR, RS_ERROR_INVALID,
                   "%s: not a Reskill results bundle (it is not an SQLite database). Nothing was imported.",
                   path);
      break;
    case SQLITE_CORRUPT:
      g_set_error (error, RS_ERROR, RS_ERROR_DB_CORRUPT,
                   "%s: damaged: %s. Export it again on the kiosk it came from. Nothing was imported.",
                   path, detail);
      break;
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_PERM:
      g_set_error (error, RS_ERROR, RS_ERROR_IO,
                   "%s: cannot be read (%s). Check the file and the USB stick. Nothing was imported.",
                   path, detail);
      break;
    default:
      g_set_error (error, RS_ERROR, RS_ERROR_INVALID,
                   "%s: not a Reskill results bundle (%s). Nothing was imported.", path, detail);
      break;
    }
}

/* Writing a bundle: the folder, the disk, the stick. */
static void
bundle_write_fail (GError **error, const char *path, int rc, const char *detail)
{
  if ((rc & 0xff) == SQLITE_FULL)
    g_set_error (error, RS_ERROR, RS_ERROR_DB_FULL,
                 "%s: cannot be written: the disk is full. Free some space or use another USB stick.", path);
  else
    g_set_error (error, RS_ERROR, RS_ERROR_IO,
                 "%s: cannot be written (%s). Check that the folder exists, is writable and has space.",
                 path, detail);
}

static void
hash_value (GString *line, sqlite3_stmt *stmt, int column)
{
  switch (sqlite3_column_type (stmt, column))
    {
    case SQLITE_NULL:
      g_string_append (line, "\tN");
      break;
    case SQLITE_INTEGER:
      g_string_append_printf (line, "\tI%" G_GINT64_FORMAT, (gint64) sqlite3_column_int64 (stmt, column));
      break;
    case SQLITE_FLOAT:
      {
        double value = sqlite3_column_double (stmt, column);
        guint64 bits;

        memcpy (&bits, &value, sizeof bits);
        g_string_append_printf (line, "\tR%016" G_GINT64_MODIFIER "x", bits);
        break;
      }
    case SQLITE_TEXT:
      {
        const char *text = (const char *) sqlite3_column_text (stmt, column);
        int n = sqlite3_column_bytes (stmt, column);

        g_string_append_printf (line, "\tT%d:", n);
        g_string_append_len (line, text, n);
        break;
      }
    default:
      {
        const void *blob = sqlite3_column_blob (stmt, column);
        int n = sqlite3_column_bytes (stmt, column);

        g_string_append_printf (line, "\tB%d:", n);
        g_string_append_len (line, (const char *) blob, n);
        break;
      }
    }
}

/* The canonical hash of the bundle's content (see rs-exchange.h). Fails
 * with the SQLite result code in *rc_out when a table cannot be read. */
static char *
bundle_hash (sqlite3 *db, gint64 version, int *rc_out)
{
  g_autoptr (GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr (GString) line = g_string_new (NULL);
  g_autofree char *header = g_strdup_printf ("%s %" G_GINT64_FORMAT "\n", RS_EXCHANGE_FORMAT, version);

  g_checksum_update (sum, (const guchar *) header, -1);
  for (gsize t = 0; t < G_N_ELEMENTS (hashed_tables); t++)
    {
      sqlite3_stmt *stmt = NULL;
      int rc = sqlite3_prepare_v2 (db, table_sql (t, version), -1, &stmt, NULL);

      while (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          g_string_assign (line, hashed_tables[t].table);
          for (int c = 0; c < sqlite3_column_count (stmt); c++)
            hash_value (line, stmt, c);
          g_string_append_c (line, '\n');
          g_checksum_update (sum, (const guchar *) line->str, (gssize) line->len);
          rc = SQLITE_OK;
        }
      sqlite3_finalize (stmt);
      if (rc != SQLITE_DONE)
        {
          *rc_out = rc;
          return NULL;
        }
    }
  return g_strdup (g_checksum_get_string (sum));
}

/* --- export --- */

/* The bundle's insert statements, prepared once per export. */
typedef struct {
  sqlite3 *db;
  sqlite3_stmt *attempt;
  sqlite3_stmt *response;
  sqlite3_stmt *result;
  sqlite3_stmt *self_estimate;
} BundleWriter;

static void
bundle_writer_clear (BundleWriter *w)
{
  sqlite3_finalize (w->attempt);
  sqlite3_finalize (w->response);
  sqlite3_finalize (w->result);
  sqlite3_finalize (w->self_estimate);
}

/* Copies the current row of from into the bundle with insert, value by
 * value, keeping every value's type exactly. */
static int
copy_row (sqlite3_stmt *from, sqlite3_stmt *insert)
{
  int rc = SQLITE_OK;

  for (int c = 0; c < sqlite3_column_count (from) && rc == SQLITE_OK; c++)
    rc = sqlite3_bind_value (insert, c + 1, sqlite3_column_value (from, c));
  if (rc == SQLITE_OK)
    rc = sqlite3_step (insert);
  sqlite3_reset (insert);
  sqlite3_clear_bindings (insert);
  return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* Copies the rows of one query on the main database into the bundle.
 * *bundle_rc is set when the bundle refused a row. */
static gboolean
copy_rows (RsStore *store, sqlite3_stmt *query, sqlite3_stmt *insert, int *n_rows, int *bundle_rc,
           GError **error)
{
  g_autoptr (RsStoreStmt) stmt = query;
  int rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = rs_store_step (store, stmt, error)) == SQLITE_ROW)
    {
      if ((*bundle_rc = copy_row (stmt, insert)) != SQLITE_OK)
        return FALSE;
      (*n_rows)++;
    }
  return rc == SQLITE_DONE;
}

/* Under the store's lock, in its transaction: copies the chosen attempts
 * and everything that hangs on them. */
static gboolean
export_tx (RsStore *store, BundleWriter *w, const RsExportOptions *options, RsExportSummary *sum,
           GTree *bank_versions, int *bundle_rc, GError **error)
{
  g_autoptr (RsStoreStmt) attempts = NULL;
  int rc;

  attempts = rs_store_query (store, error,
                             "SELECT a.uuid, p.employee_no, a.mode, a.skills, a.seed, a.bank_version, a.kiosk_id,"
                             " a.status, a.started_at, a.finished_at, a.pending_item_id, a.pending_scored"
                             " FROM attempts AS a LEFT JOIN people AS p ON p.id = a.person_id"
                             " WHERE (?1 <> 0 OR a.kiosk_id = ?2)"
                             " AND (?3 IS NULL OR a.started_at >= ?3 OR a.finished_at >= ?3"
                             " OR EXISTS (SELECT 1 FROM responses AS r WHERE r.attempt_id = a.uuid AND r.answered_at >= ?3))"
                             " ORDER BY a.uuid",
                             "isr", options->all_kiosks ? 1 : 0, rs_store_kiosk_id (store), options->since);
  if (attempts == NULL)
    return FALSE;
  while ((rc = rs_store_step (store, attempts, error)) == SQLITE_ROW)
    {
      const char *uuid = (const char *) sqlite3_column_text (attempts, 0);
      const char *bank_version = (const char *) sqlite3_column_text (attempts, 5);

      if ((*bundle_rc = copy_row (attempts, w->attempt)) != SQLITE_OK)
        return FALSE;
      sum->n_attempts++;
      if (bank_version != NULL)
        g_tree_insert (bank_versions, g_strdup (bank_version), NULL);
      if (!copy_rows (store,
                      rs_store_query (store, error,
                                      "SELECT attempt_id, seq, item_id, skill, answer, score, max_score, theta, se,"
                                      " time_ms, answered_at, scored FROM responses WHERE attempt_id = ? ORDER BY seq",
                                      "s", uuid),
                      w->response, &sum->n_responses, bundle_rc, error)
          || !copy_rows (store,
                         rs_store_query (store, error,
                                         "SELECT attempt_id, skill, theta, se, n_items, level, p_novice,"
                                         " p_developing, p_proficient, p_advanced, p_expert FROM results"
                                         " WHERE attempt_id = ?",
                                         "s", uuid),
                         w->result, &sum->n_results, bundle_rc, error)
          || !copy_rows (store,
                         rs_store_query (store, error,
                                         "SELECT attempt_id, skill, level FROM self_estimates WHERE attempt_id = ?",
                                         "s", uuid),
                         w->self_estimate, &sum->n_self_estimates, bundle_rc, error))
        return FALSE;
    }
  return rc == SQLITE_DONE;
}

static gboolean
append_version (gpointer key, gpointer value, gpointer data)
{
  GString *text = data;

  g_string_append_printf (text, "%s%s", text->len > 0 ? "," : "", (const char *) key);
  return FALSE;
}

static int
compare_text (gconstpointer a, gconstpointer b, gpointer data)
{
  return strcmp (a, b);
}

/* Fills the bundle file at tmp_path (an empty file) and closes it. */
static gboolean
write_bundle (RsStore *store, const char *tmp_path, const char *path, const RsExportOptions *options,
              RsExportSummary *sum, GError **error)
{
  BundleWriter w = { 0 };
  g_autoptr (GTree) bank_versions = g_tree_new_full (compare_text, NULL, g_free, NULL);
  g_autoptr (GString) versions = g_string_new (NULL);
  g_autofree char *hash = NULL;
  sqlite3_stmt *header = NULL;
  int bundle_rc = SQLITE_OK, rc;
  gboolean ok;

  rc = sqlite3_open_v2 (tmp_path, &w.db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_EXRESCODE, NULL);
  /* No journal: the file is a temporary one that is deleted on any failure
   * and gets its final name only once complete and synced. */
  if (rc == SQLITE_OK)
    rc = sqlite3_exec (w.db, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; BEGIN", NULL, NULL, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_exec (w.db, bundle_schema, NULL, NULL, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_prepare_v2 (w.db, "INSERT INTO attempts (uuid, employee_no, mode, skills, seed, bank_version,"
                             " kiosk_id, status, started_at, finished_at, pending_item_id, pending_scored)"
                             " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", -1, &w.attempt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_prepare_v2 (w.db, "INSERT INTO responses (attempt_uuid, seq, item_id, skill, answer, score,"
                             " max_score, theta, se, time_ms, answered_at, scored)"
                             " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                             -1, &w.response, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_prepare_v2 (w.db, "INSERT INTO results (attempt_uuid, skill, theta, se, n_items, level,"
                             " p_novice, p_developing, p_proficient, p_advanced, p_expert)"
                             " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", -1, &w.result, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_prepare_v2 (w.db, "INSERT INTO self_estimates (attempt_uuid, skill, level) VALUES (?, ?, ?)",
                             -1, &w.self_estimate, NULL);
  if (rc != SQLITE_OK)
    {
      bundle_write_fail (error, path, rc, w.db != NULL ? sqlite3_errmsg (w.db) : sqlite3_errstr (rc));
      bundle_writer_clear (&w);
      sqlite3_close (w.db);
      return FALSE;
    }

  {
    g_autoptr (GMutexLocker) locker = g_mutex_locker_new (rs_store_get_lock (store));

    /* A write transaction although nothing is written: no answer can be
     * committed while we read, and every later one is stamped after
     * created_at, which makes created_at an exact --since for next time. */
    ok = rs_store_begin (store, TRUE, error);
    if (ok)
      {
        sum->created_at = rs_store_now ();
        ok = rs_store_end (store, export_tx (store, &w, options, sum, bank_versions, &bundle_rc, error), error);
      }
  }
  if (!ok && bundle_rc != SQLITE_OK)
    {
      g_clear_error (error);
      bundle_write_fail (error, path, bundle_rc, sqlite3_errmsg (w.db));
    }

  g_tree_foreach (bank_versions, append_version, versions);
  if (ok)
    {
      rc = sqlite3_prepare_v2 (w.db, "INSERT INTO bundle (format, format_version, kiosk_id, created_at, since,"
                               " all_kiosks, bank_versions, program, n_attempts, n_responses, n_results,"
                               " n_self_estimates, content_sha256) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '')",
                               -1, &header, NULL);
      if (rc == SQLITE_OK)
        {
          sqlite3_bind_text (header, 1, RS_EXCHANGE_FORMAT, -1, SQLITE_STATIC);
          sqlite3_bind_int (header, 2, RS_EXCHANGE_FORMAT_VERSION);
          sqlite3_bind_text (header, 3, rs_store_kiosk_id (store), -1, SQLITE_STATIC);
          sqlite3_bind_int64 (header, 4, sum->created_at);
          if (options->since != 0)
            sqlite3_bind_int64 (header, 5, options->since);
          sqlite3_bind_int (header, 6, options->all_kiosks ? 1 : 0);
          sqlite3_bind_text (header, 7, versions->str, -1, SQLITE_STATIC);
          sqlite3_bind_text (header, 8, "reskill " RESKILL_VERSION, -1, SQLITE_STATIC);
          sqlite3_bind_int (header, 9, sum->n_attempts);
          sqlite3_bind_int (header, 10, sum->n_responses);
          sqlite3_bind_int (header, 11, sum->n_results);
          sqlite3_bind_int (header, 12, sum->n_self_estimates);
          rc = sqlite3_step (header);
          rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
        }
      sqlite3_finalize (header);
      /* Hashed as written: the importer reads the very same rows back. */
      if (rc == SQLITE_OK && (hash = bundle_hash (w.db, RS_EXCHANGE_FORMAT_VERSION, &rc)) != NULL)
        {
          rc = sqlite3_prepare_v2 (w.db, "UPDATE bundle SET content_sha256 = ?", -1, &header, NULL);
          if (rc == SQLITE_OK)
            {
              sqlite3_bind_text (header, 1, hash, -1, SQLITE_STATIC);
              rc = sqlite3_step (header);
              rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
            }
          sqlite3_finalize (header);
        }
      if (rc == SQLITE_OK)
        rc = sqlite3_exec (w.db, "COMMIT", NULL, NULL, NULL);
      if (rc != SQLITE_OK)
        {
          bundle_write_fail (error, path, rc, sqlite3_errmsg (w.db));
          ok = FALSE;
        }
    }
  bundle_writer_clear (&w);
  rc = sqlite3_close (w.db);
  if (ok && rc != SQLITE_OK)
    {
      bundle_write_fail (error, path, rc, sqlite3_errstr (rc));
      ok = FALSE;
    }
  if (ok)
    sum->sha256 = g_steal_pointer (&hash);
  return ok;
}

/* The bytes on the stick, not in a cache, before the file gets its name. */
static gboolean
sync_path (const char *path, gboolean directory, GError **error)
{
  int fd = g_open (path, O_RDONLY | O_CLOEXEC | (directory ? O_DIRECTORY : 0), 0);
  int saved_errno;

  if (fd < 0 || fsync (fd) != 0)
    {
      saved_errno = errno;
      if (fd >= 0)
        close (fd);
      /* Some file systems cannot sync a folder; the file itself was synced. */
      if (directory)
        return TRUE;
      bundle_write_fail (error, path, saved_errno == ENOSPC ? SQLITE_FULL : SQLITE_IOERR,
                         g_strerror (saved_errno));
      return FALSE;
    }
  return g_close (fd, NULL);
}

gboolean
rs_exchange_export (RsStore *store, const RsPerson *viewer, const char *path,
                    const RsExportOptions *options, RsExportSummary *summary, GError **error)
{
  static const RsExportOptions defaults = { 0 };
  RsExportSummary sum = { 0 };
  g_autofree char *dir = NULL, *base = NULL, *tmp_path = NULL, *detail = NULL, *since = NULL;
  gboolean ok;
  int fd;

  g_return_val_if_fail (store != NULL && path != NULL, FALSE);
  if (options == NULL)
    options = &defaults;
  if (viewer != NULL && !rs_access_require_admin (viewer, error))
    return FALSE;
  if (!options->overwrite && g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, RS_ERROR, RS_ERROR_IO,
                   "%s already exists: choose another name, or remove it first.", path);
      return FALSE;
    }

  dir = g_path_get_dirname (path);
  base = g_path_get_basename (path);
  tmp_path = g_strdup_printf ("%s%c.%s.XXXXXX", dir, G_DIR_SEPARATOR, base);
  /* Born 0600: a bundle holds other people's results. */
  fd = g_mkstemp_full (tmp_path, O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved_errno = errno;
      bundle_write_fail (error, path, saved_errno == ENOSPC ? SQLITE_FULL : SQLITE_CANTOPEN,
                         g_strerror (saved_errno));
      return FALSE;
    }
  g_close (fd, NULL);

  ok = write_bundle (store, tmp_path, path, options, &sum, error) && sync_path (tmp_path, FALSE, error);
  if (ok)
    {
      /* Recorded before the bundle gets its name: nothing leaves untraced. */
      since = options->since != 0 ? rs_exchange_format_time (options->since) : g_strdup ("the start");
      detail = g_strdup_printf ("%s: %d attempts, %d answers, since %s%s, sha256 %s", path, sum.n_attempts,
                                sum.n_responses, since, options->all_kiosks ? ", all kiosks" : "", sum.sha256);
      ok = rs_store_audit (store, viewer != NULL ? viewer->id : 0, "results-exported", detail, error);
    }
  if (ok && g_rename (tmp_path, path) != 0)
    {
      int saved_errno = errno;
      bundle_write_fail (error, path, SQLITE_IOERR, g_strerror (saved_errno));
      ok = FALSE;
    }
  if (!ok)
    {
      g_autofree char *journal = g_strconcat (tmp_path, "-journal", NULL);

      g_unlink (tmp_path);
      g_unlink (journal);
      rs_export_summary_clear (&sum);
      return FALSE;
    }
  sync_path (dir, TRUE, NULL);
  if (summary != NULL)
    *summary = sum;
  else
    rs_export_summary_clear (&sum);
  return TRUE;
}

/* --- import: reading and checking the bundle --- */

typedef struct {
  RsAttempt *attempt;     /* person_id unused; responses by seq, results as stored */
  char *employee_no;      /* NULL: guest */
  char *skills_text;      /* canonical, as the store writes it */
} BundleAttempt;

static void
bundle_attempt_free (BundleAttempt *b)
{
  rs_attempt_free (b->attempt);
  g_free (b->employee_no);
  g_free (b->skills_text);
  g_free (b);
}

typedef struct {
  char *path;
  char *kiosk_id;
  gint64 version;         /* of the bundle's format */
  GPtrArray *attempts;    /* BundleAttempt *, by uuid */
  GHashTable *by_uuid;    /* uuid → BundleAttempt * (borrowed) */
} Bundle;

static void
bundle_free (Bundle *bundle)
{
  g_free (bundle->path);
  g_free (bundle->kiosk_id);
  g_hash_table_unref (bundle->by_uuid);
  g_ptr_array_unref (bundle->attempts);
  g_free (bundle);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Bundle, bundle_free)

/* Content that passed the hash but breaks Reskill's rules: made by a broken
 * or foreign program. */
static gboolean
bundle_invalid (GError **error, const char *path, const char *uuid, const char *format, ...) G_GNUC_PRINTF (4, 5);

static gboolean
bundle_invalid (GError **error, const char *path, const char *uuid, const char *format, ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, RS_ERROR, RS_ERROR_INVALID,
               "%s: not a valid Reskill results bundle: attempt %s %s. Nothing was imported.",
               path, uuid != NULL ? uuid : "(none)", message);
  return FALSE;
}

static const char *
column_text (sqlite3_stmt *stmt, int column)
{
  return (const char *) sqlite3_column_text (stmt, column);
}

static gboolean
read_attempts (Bundle *bundle, sqlite3 *db, int *rc, GError **error)
{
  sqlite3_stmt *stmt = NULL;
  gboolean ok = TRUE;

  *rc = sqlite3_prepare_v2 (db, table_sql (1, bundle->version), -1, &stmt, NULL);
  while (ok && *rc == SQLITE_OK && (*rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      BundleAttempt *b = g_new0 (BundleAttempt, 1);
      RsAttempt *a = rs_attempt_new ();
      const char *uuid = column_text (stmt, 0);
      const char *skills = column_text (stmt, 3);
      const char *status = column_text (stmt, 7);
      g_auto (GStrv) ids = g_strsplit (skills != NULL ? skills : "", ",", -1);
      gboolean seen[RS_N_SKILLS] = { FALSE };
      GString *canonical = g_string_new (NULL);

      b->attempt = a;
      g_ptr_array_add (bundle->attempts, b);
      *rc = SQLITE_OK;
      a->uuid = g_strdup (uuid);
      b->employee_no = g_strdup (column_text (stmt, 1));
      a->mode = rs_mode_from_id (column_text (stmt, 2));
      a->seed = (guint32) sqlite3_column_int64 (stmt, 4);
      a->bank_version = g_strdup (column_text (stmt, 5));
      a->kiosk_id = g_strdup (column_text (stmt, 6));
      a->started_at = sqlite3_column_int64 (stmt, 8);
      a->finished_at = sqlite3_column_int64 (stmt, 9);
      a->pending_item_id = g_strdup (column_text (stmt, 10));
      a->pending_unscored = bundle->version >= 2 && sqlite3_column_int (stmt, 11) == 0;
      a->n_skills = (int) g_strv_length (ids);
      for (int i = 0; i < a->n_skills && i < RS_N_SKILLS; i++)
        {
          a->skills[i] = rs_skill_from_id (ids[i]);
          if (a->skills[i] != RS_SKILL_INVALID && !seen[a->skills[i]])
            {
              seen[a->skills[i]] = TRUE;
              g_string_append_printf (canonical, "%s%s", i > 0 ? "," : "", rs_skill_id (a->skills[i]));
            }
          else
            a->n_skills = -1;
        }
      b->skills_text = g_string_free (canonical, FALSE);

      if (uuid == NULL || !g_uuid_string_is_valid (uuid))
        ok = bundle_invalid (error, bundle->path, uuid, "has no valid UUID");
      else if (g_hash_table_contains (bundle->by_uuid, uuid))
        ok = bundle_invalid (error, bundle->path, uuid, "is there twice");
      else if (b->employee_no != NULL && b->employee_no[0] == '\0')
        ok = bundle_invalid (error, bundle->path, uuid, "has an empty employee number");
      else if (a->mode == RS_MODE_INVALID)
        ok = bundle_invalid (error, bundle->path, uuid, "has an unknown mode \"%s\"", column_text (stmt, 2));
      else if (a->n_skills < 1 || a->n_skills > RS_N_SKILLS)
        ok = bundle_invalid (error, bundle->path, uuid, "has a bad skill list \"%s\"", skills);
      else if (g_strcmp0 (status, "finished") != 0 && g_strcmp0 (status, "in_progress") != 0)
        ok = bundle_invalid (error, bundle->path, uuid, "has an unknown status \"%s\"", status);
      else if (g_str_equal (status, "finished") && sqlite3_column_type (stmt, 9) == SQLITE_NULL)
        ok = bundle_invalid (error, bundle->path, uuid, "is finished but has no finishing time");
      else
        {
          a->status = g_str_equal (status, "finished") ? RS_ATTEMPT_FINISHED : RS_ATTEMPT_IN_PROGRESS;
          g_hash_table_insert (bundle->by_uuid, a->uuid, b);
        }
    }
  sqlite3_finalize (stmt);
  return ok && *rc == SQLITE_DONE;
}

static BundleAttempt *
lookup_owner (Bundle *bundle, sqlite3_stmt *stmt, GError **error)
{
  const char *uuid = column_text (stmt, 0);
  BundleAttempt *b = uuid != NULL ? g_hash_table_lookup (bundle->by_uuid, uuid) : NULL;

  if (b == NULL)
    bundle_invalid (error, bundle->path, uuid, "has answers or results but is not in the bundle");
  return b;
}

static gboolean
attempt_has_skill (const RsAttempt *a, RsSkill skill)
{
  for (int i = 0; i < a->n_skills; i++)
    if (a->skills[i] == skill)
      return TRUE;
  return FALSE;
}

static gboolean
read_responses (Bundle *bundle, sqlite3 *db, int *rc, GError **error)
{
  sqlite3_stmt *stmt = NULL;
  gboolean ok = TRUE;

  *rc = sqlite3_prepare_v2 (db, table_sql (2, bundle->version), -1, &stmt, NULL);
  while (ok && *rc == SQLITE_OK && (*rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      BundleAttempt *b = lookup_owner (bundle, stmt, error);
      RsResponse r = { 0 };

      *rc = SQLITE_OK;
      if (b == NULL)
        {
          ok = FALSE;
          break;
        }
      r.seq = sqlite3_column_int (stmt, 1);
      r.skill = rs_skill_from_id (column_text (stmt, 3));
      r.score = sqlite3_column_int (stmt, 5);
      r.max_score = sqlite3_column_int (stmt, 6);
      r.theta = sqlite3_column_double (stmt, 7);
      r.se = sqlite3_column_double (stmt, 8);
      r.time_ms = sqlite3_column_int (stmt, 9);
      r.answered_at = sqlite3_column_int64 (stmt, 10);
      r.unscored = bundle->version >= 2 && sqlite3_column_int (stmt, 11) == 0;
      if (r.seq != (int) b->attempt->responses->len + 1)
        ok = bundle_invalid (error, bundle->path, b->attempt->uuid, "has answer %d out of sequence", r.seq);
      else if (r.skill == RS_SKILL_INVALID || !attempt_has_skill (b->attempt, r.skill))
        ok = bundle_invalid (error, bundle->path, b->attempt->uuid, "has answer %d in a skill it does not test",
                             r.seq);
      else if (column_text (stmt, 2) == NULL || column_text (stmt, 4) == NULL
               || r.score < 0 || r.score > r.max_score || r.time_ms < 0)
        ok = bundle_invalid (error, bundle->path, b->attempt->uuid, "has an impossible answer %d", r.seq);
      else
        {
          r.item_id = g_strdup (column_text (stmt, 2));
          r.answer = g_strdup (column_text (stmt, 4));
          g_array_append_val (b->attempt->responses, r);
        }
    }
  sqlite3_finalize (stmt);
  return ok && *rc == SQLITE_DONE;
}

/* Results or self-estimates: a skill and a level per row. */
static gboolean
read_levels (Bundle *bundle, sqlite3 *db, gboolean results, int *rc, GError **error)
{
  sqlite3_stmt *stmt = NULL;
  gboolean ok = TRUE;

  *rc = sqlite3_prepare_v2 (db, table_sql (results ? 3 : 4, bundle->version), -1, &stmt, NULL);
  while (ok && *rc == SQLITE_OK && (*rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      BundleAttempt *b = lookup_owner (bundle, stmt, error);
      RsSkill skill = rs_skill_from_id (column_text (stmt, 1));
      RsLevel level = rs_level_from_name (column_text (stmt, results ? 5 : 2));

      *rc = SQLITE_OK;
      if (b == NULL)
        ok = FALSE;
      else if (skill == RS_SKILL_INVALID || level == RS_LEVEL_INVALID)
        ok = bundle_invalid (error, bundle->path, b->attempt->uuid, "has an unknown skill or level");
      else if (results && (b->attempt->status != RS_ATTEMPT_FINISHED || !attempt_has_skill (b->attempt, skill)))
        ok = bundle_invalid (error, bundle->path, b->attempt->uuid, "has a result it cannot have");
      else if (results)
        {
          RsSkillResult result = {
            .skill = skill,
            .theta = sqlite3_column_double (stmt, 2),
            .se = sqlite3_column_double (stmt, 3),
            .n_items = sqlite3_column_int (stmt, 4),
            .level = level,
            .has_level_probability = bundle->version >= 2,
          };
          double total = 0;

          for (int l = 0; l < RS_N_LEVELS && result.has_level_probability; l++)
            {
              result.has_level_probability &= sqlite3_column_type (stmt, 6 + l) != SQLITE_NULL;
              result.level_probability[l] = sqlite3_column_double (stmt, 6 + l);
              result.has_level_probability &= result.level_probability[l] >= 0 && result.level_probability[l] <= 1;
              total += result.level_probability[l];
            }
          /* Probabilities that do not add up are dropped, not imported:
           * the result stands on θ and its SE. */
          if (result.has_level_probability && fabs (total - 1.0) > 1e-6)
            result.has_level_probability = FALSE;
          g_array_append_val (b->attempt->results, result);
        }
      else
        b->attempt->self_level[skill] = level;
    }
  sqlite3_finalize (stmt);
  return ok && *rc == SQLITE_DONE;
}

/* Whether a table of that name exists; FALSE with *rc set when the file
 * cannot be read at all. */
static gboolean
has_table (sqlite3 *db, const char *name, int *rc)
{
  sqlite3_stmt *stmt = NULL;
  gboolean found = FALSE;

  *rc = sqlite3_prepare_v2 (db, "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?", -1, &stmt, NULL);
  if (*rc == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
      *rc = sqlite3_step (stmt);
      found = *rc == SQLITE_ROW;
      if (*rc == SQLITE_ROW || *rc == SQLITE_DONE)
        *rc = SQLITE_OK;
    }
  sqlite3_finalize (stmt);
  return found;
}

static gboolean
check_integrity (sqlite3 *db, const char *path, int *rc, GError **error)
{
  sqlite3_stmt *stmt = NULL;
  gboolean ok = FALSE;

  *rc = sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &stmt, NULL);
  if (*rc == SQLITE_OK && (*rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *verdict = column_text (stmt, 0);

      *rc = SQLITE_OK;
      ok = g_strcmp0 (verdict, "ok") == 0;
      if (!ok)
        g_set_error (error, RS_ERROR, RS_ERROR_DB_CORRUPT,
                     "%s: damaged: the file is broken (%s). Export it again on the kiosk it came from. "
                     "Nothing was imported.", path, verdict);
    }
  sqlite3_finalize (stmt);
  return ok;
}

/* Reads the header; checks the format, the version and the hash. */
static gboolean
check_header (Bundle *bundle, sqlite3 *db, gint64 counts[4], int *rc, GError **error)
{
  sqlite3_stmt *stmt = NULL;
  g_autofree char *format = NULL, *stored_hash = NULL, *hash = NULL;
  gint64 version = 0;
  int n_rows = 0;

  *rc = sqlite3_prepare_v2 (db, "SELECT format, format_version, kiosk_id, content_sha256, n_attempts,"
                            " n_responses, n_results, n_self_estimates FROM bundle", -1, &stmt, NULL);
  while (*rc == SQLITE_OK && (*rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      *rc = SQLITE_OK;
      if (n_rows++ > 0)
        continue;
      format = g_strdup (column_text (stmt, 0));
      version = sqlite3_column_int64 (stmt, 1);
      bundle->kiosk_id = g_strdup (column_text (stmt, 2));
      stored_hash = g_strdup (column_text (stmt, 3));
      for (int i = 0; i < 4; i++)
        counts[i] = sqlite3_column_int64 (stmt, 4 + i);
    }
  sqlite3_finalize (stmt);
  if (*rc != SQLITE_DONE)
    return FALSE;
  *rc = SQLITE_OK;
  if (n_rows != 1 || g_strcmp0 (format, RS_EXCHANGE_FORMAT) != 0 || version < 1)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_INVALID,
                   "%s: not a Reskill results bundle (no \"%s\" header). Nothing was imported.",
                   bundle->path, RS_EXCHANGE_FORMAT);
      return FALSE;
    }
  bundle->version = version;
  if (version > RS_EXCHANGE_FORMAT_VERSION)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_DB_TOO_NEW,
                   "%s: made by a newer Reskill (results bundle version %" G_GINT64_FORMAT ", this one reads "
                   "version %d). Update Reskill on this kiosk first. Nothing was imported.",
                   bundle->path, version, RS_EXCHANGE_FORMAT_VERSION);
      return FALSE;
    }
  hash = bundle_hash (db, version, rc);
  if (hash == NULL)
    return FALSE;
  if (g_strcmp0 (hash, stored_hash) != 0)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_DB_CORRUPT,
                   "%s: damaged: its content does not match its SHA-256 checksum. Export it again on "
                   "the kiosk it came from. Nothing was imported.", bundle->path);
      return FALSE;
    }
  if (bundle->kiosk_id == NULL)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_INVALID,
                   "%s: not a valid Reskill results bundle: it names no kiosk. Nothing was imported.", bundle->path);
      return FALSE;
    }
  return TRUE;
}

/* The header's counts against the rows read: both are hashed, so only a
 * broken exporter makes them differ. */
static gboolean
check_counts (Bundle *bundle, const gint64 counts[4], GError **error)
{
  gint64 n_responses = 0, n_results = 0, n_self = 0;

  for (guint i = 0; i < bundle->attempts->len; i++)
    {
      const RsAttempt *a = ((BundleAttempt *) g_ptr_array_index (bundle->attempts, i))->attempt;

      n_responses += a->responses->len;
      n_results += a->results->len;
      for (int s = 0; s < RS_N_SKILLS; s++)
        n_self += a->self_level[s] != RS_LEVEL_INVALID;
    }
  if (counts[0] == (gint64) bundle->attempts->len && counts[1] == n_responses
      && counts[2] == n_results && counts[3] == n_self)
    return TRUE;
  g_set_error (error, RS_ERROR, RS_ERROR_INVALID,
               "%s: not a valid Reskill results bundle: its header counts do not match its rows. "
               "Nothing was imported.", bundle->path);
  return FALSE;
}

/* Opens, checks and loads a whole bundle; NULL with error when refused. */
static Bundle *
bundle_read (const char *path, GError **error)
{
  g_autoptr (Bundle) bundle = g_new0 (Bundle, 1);
  g_autoptr (GError) local_error = NULL;
  g_autofree char *escaped = NULL, *uri = NULL;
  gint64 counts[4] = { 0 };
  sqlite3 *db = NULL;
  gboolean ok = FALSE;
  int rc;

  bundle->path = g_strdup (path);
  bundle->attempts = g_ptr_array_new_with_free_func ((GDestroyNotify) bundle_attempt_free);
  bundle->by_uuid = g_hash_table_new (g_str_hash, g_str_equal);

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, RS_ERROR, RS_ERROR_IO, "%s: no such file. Nothing was imported.", path);
      return NULL;
    }
  /* Read-only and immutable: nothing, not even a journal or a lock, is
   * written next to a bundle that may be on someone else's stick. */
  escaped = g_uri_escape_string (path, "/", TRUE);
  uri = g_strconcat ("file:", escaped, "?immutable=1", NULL);
  rc = sqlite3_open_v2 (uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_EXRESCODE, NULL);
  /* The first read of the schema tells whether it is SQLite at all; then
   * the structure, the header and its hash, and only then the rows. */
  if (rc == SQLITE_OK && !has_table (db, "bundle", &rc) && rc == SQLITE_OK)
    g_set_error (&local_error, RS_ERROR, RS_ERROR_INVALID,
                 "%s: not a Reskill results bundle (it is an SQLite database of another kind). "
                 "Nothing was imported.", path);
  else if (rc == SQLITE_OK)
    ok = check_integrity (db, path, &rc, &local_error)
         && check_header (bundle, db, counts, &rc, &local_error)
         && read_attempts (bundle, db, &rc, &local_error)
         && read_responses (bundle, db, &rc, &local_error)
         && read_levels (bundle, db, TRUE, &rc, &local_error)
         && read_levels (bundle, db, FALSE, &rc, &local_error)
         && check_counts (bundle, counts, &local_error);
  if (!ok && local_error == NULL)
    bundle_read_fail (&local_error, path, db, rc);
  sqlite3_close (db);
  if (!ok)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return g_steal_pointer (&bundle);
}

/* --- import: merging --- */

typedef enum {
  MERGE_ADDED,
  MERGE_UPDATED,
  MERGE_UNCHANGED,
  MERGE_CONFLICT,
} MergeOutcome;

static gboolean
insert_response_tx (RsStore *store, const char *uuid, const RsResponse *r, GError **error)
{
  return rs_store_exec (store, error,
                        "INSERT INTO responses (attempt_id, seq, item_id, skill, answer, score, max_score,"
                        " theta, se, time_ms, answered_at, scored) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        "sisssiiddili", uuid, r->seq, r->item_id, rs_skill_id (r->skill), r->answer, r->score,
                        r->max_score, r->theta, r->se, r->time_ms, r->answered_at, r->unscored ? 0 : 1);
}

/* Results in test order: the store reads them back by rowid. */
static gboolean
insert_results_tx (RsStore *store, const RsAttempt *a, int *n_added, GError **error)
{
  for (int i = 0; i < a->n_skills; i++)
    for (guint r = 0; r < a->results->len; r++)
      {
        const RsSkillResult *result = &g_array_index (a->results, RsSkillResult, r);
        g_autofree char *level = NULL;

        if (result->skill != a->skills[i])
          continue;
        level = rs_store_level_to_db (result->level);
        if (!rs_store_exec (store, error,
                            "INSERT INTO results (attempt_id, skill, theta, se, n_items, level) VALUES (?, ?, ?, ?, ?, ?)",
                            "ssddis", a->uuid, rs_skill_id (result->skill), result->theta, result->se,
                            result->n_items, level))
          return FALSE;
        if (result->has_level_probability
            && !rs_store_exec (store, error,
                               "UPDATE results SET p_novice = ?, p_developing = ?, p_proficient = ?,"
                               " p_advanced = ?, p_expert = ? WHERE attempt_id = ? AND skill = ?",
                               "dddddss", result->level_probability[0], result->level_probability[1],
                               result->level_probability[2], result->level_probability[3],
                               result->level_probability[4], a->uuid, rs_skill_id (result->skill)))
          return FALSE;
        (*n_added)++;
      }
  return TRUE;
}

static gboolean
insert_attempt_tx (RsStore *store, const BundleAttempt *b, gint64 person_id, RsImportSummary *sum,
                   GError **error)
{
  const RsAttempt *a = b->attempt;

  if (!rs_store_exec (store, error,
                      "INSERT INTO attempts (uuid, person_id, mode, skills, seed, bank_version, kiosk_id, status,"
                      " started_at, finished_at, pending_item_id, pending_scored)"
                      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                      "srsslssslrsi", a->uuid, person_id, rs_mode_id (a->mode), b->skills_text, (gint64) a->seed,
                      a->bank_version, a->kiosk_id,
                      a->status == RS_ATTEMPT_FINISHED ? "finished" : "in_progress", a->started_at,
                      a->status == RS_ATTEMPT_FINISHED ? a->finished_at : (gint64) 0, a->pending_item_id,
                      a->pending_unscored ? 0 : 1))
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
    if (!insert_response_tx (store, a->uuid, &g_array_index (a->responses, RsResponse, i), error))
      return FALSE;
  sum->responses_added += (int) a->responses->len;
  return insert_results_tx (store, a, &sum->results_added, error);
}

/* Whether the local answers and the bundle's agree on every number both
 * have; *n_local is how many the local copy has. */
static gboolean
same_answers_tx (RsStore *store, const RsAttempt *a, int *n_local, gboolean *same, GError **error)
{
  g_autoptr (RsStoreStmt) stmt = rs_store_query (store, error,
                                                 "SELECT seq, item_id, answer, score, answered_at FROM responses"
                                                 " WHERE attempt_id = ? ORDER BY seq",
                                                 "s", a->uuid);
  int rc;

  *n_local = 0;
  *same = TRUE;
  if (stmt == NULL)
    return FALSE;
  while ((rc = rs_store_step (store, stmt, error)) == SQLITE_ROW)
    {
      int seq = sqlite3_column_int (stmt, 0);
      const RsResponse *r;

      (*n_local)++;
      if (seq < 1 || seq > (int) a->responses->len)
        continue;
      r = &g_array_index (a->responses, RsResponse, seq - 1);
      if (g_strcmp0 (r->item_id, column_text (stmt, 1)) != 0
          || g_strcmp0 (r->answer, column_text (stmt, 2)) != 0
          || r->score != sqlite3_column_int (stmt, 3)
          || r->answered_at != sqlite3_column_int64 (stmt, 4))
        *same = FALSE;
    }
  return rc == SQLITE_DONE;
}

/* An attempt the database already has: bring it forward, or leave it. */
static gboolean
merge_existing_tx (RsStore *store, const BundleAttempt *b, gint64 person_id, sqlite3_stmt *local,
                   RsImportSummary *sum, MergeOutcome *outcome, GError **error)
{
  const RsAttempt *a = b->attempt;
  gboolean local_finished = g_strcmp0 (column_text (local, 5), "finished") == 0;
  gboolean same = TRUE;
  int n_local = 0;

  *outcome = MERGE_CONFLICT;
  /* The same UUID but another person, mode, skill list or start: not the
   * same attempt. Never overwrite. */
  if (sqlite3_column_int64 (local, 0) != person_id
      || g_strcmp0 (column_text (local, 1), rs_mode_id (a->mode)) != 0
      || g_strcmp0 (column_text (local, 2), b->skills_text) != 0
      || (guint32) sqlite3_column_int64 (local, 3) != a->seed
      || sqlite3_column_int64 (local, 4) != a->started_at)
    return TRUE;
  if (!same_answers_tx (store, a, &n_local, &same, error))
    return FALSE;
  /* Continued on two kiosks at once: the answers differ. */
  if (!same)
    return TRUE;
  if (local_finished || (n_local >= (int) a->responses->len && a->status != RS_ATTEMPT_FINISHED))
    {
      *outcome = MERGE_UNCHANGED;
      return TRUE;
    }
  /* Finished elsewhere with fewer answers than this copy has: diverged. */
  if (n_local > (int) a->responses->len)
    return TRUE;

  for (guint i = (guint) n_local; i < a->responses->len; i++)
    if (!insert_response_tx (store, a->uuid, &g_array_index (a->responses, RsResponse, i), error))
      return FALSE;
  sum->responses_added += (int) a->responses->len - n_local;
  if (a->status == RS_ATTEMPT_FINISHED)
    {
      if (!insert_results_tx (store, a, &sum->results_added, error)
          || !rs_store_exec (store, error,
                             "UPDATE attempts SET status = 'finished', finished_at = ?, pending_item_id = NULL"
                             " WHERE uuid = ?",
                             "ls", a->finished_at, a->uuid))
        return FALSE;
    }
  else if (!rs_store_exec (store, error, "UPDATE attempts SET pending_item_id = ?, pending_scored = ? WHERE uuid = ?",
                           "sis", a->pending_item_id, a->pending_unscored ? 0 : 1, a->uuid))
    return FALSE;
  *outcome = MERGE_UPDATED;
  return TRUE;
}

static gboolean
merge_attempt_tx (RsStore *store, const BundleAttempt *b, RsImportSummary *sum, GHashTable *unknown,
                  GError **error)
{
  g_autoptr (RsStoreStmt) local = NULL;
  MergeOutcome outcome = MERGE_ADDED;
  gint64 person_id = 0;
  int rc;

  if (b->employee_no != NULL)
    {
      person_id = -1;
      if (!rs_store_get_int (store, &person_id, error, "SELECT id FROM people WHERE employee_no = ?", "s",
                             b->employee_no))
        return FALSE;
      if (person_id == -1)
        {
          g_hash_table_add (unknown, b->employee_no);
          sum->attempts_unknown++;
          return TRUE;
        }
    }
  local = rs_store_query (store, error,
                          "SELECT ifnull (person_id, 0), mode, skills, seed, started_at, status FROM attempts"
                          " WHERE uuid = ?",
                          "s", b->attempt->uuid);
  if (local == NULL)
    return FALSE;
  rc = rs_store_step (store, local, error);
  if (rc == SQLITE_ROW)
    {
      if (!merge_existing_tx (store, b, person_id, local, sum, &outcome, error))
        return FALSE;
    }
  else if (rc != SQLITE_DONE || !insert_attempt_tx (store, b, person_id, sum, error))
    return FALSE;

  switch (outcome)
    {
    case MERGE_ADDED:
      sum->attempts_added++;
      break;
    case MERGE_UPDATED:
      sum->attempts_updated++;
      break;
    case MERGE_UNCHANGED:
      sum->attempts_unchanged++;
      break;
    case MERGE_CONFLICT:
      sum->attempts_conflicting++;
      g_ptr_array_add (sum->conflicting_uuids, g_strdup (b->attempt->uuid));
      break;
    default:
      g_assert_not_reached ();
    }
  return TRUE;
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static gboolean
import_tx (RsStore *store, const Bundle *bundle, gint64 viewer_id, RsImportSummary *sum, GError **error)
{
  g_autoptr (GHashTable) unknown = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *description = NULL, *detail = NULL;
  g_autofree const char **numbers = NULL;
  g_auto (GStrv) lines = NULL;
  guint n_numbers = 0;

  for (guint i = 0; i < bundle->attempts->len; i++)
    if (!merge_attempt_tx (store, g_ptr_array_index (bundle->attempts, i), sum, unknown, error))
      return FALSE;

  numbers = (const char **) g_hash_table_get_keys_as_array (unknown, &n_numbers);
  for (guint i = 0; i < n_numbers; i++)
    g_ptr_array_add (sum->unknown_employee_nos, g_strdup (numbers[i]));
  g_ptr_array_sort (sum->unknown_employee_nos, compare_strings);

  description = rs_import_summary_describe (sum);
  lines = g_strsplit (description, "\n", -1);
  g_free (description);
  description = g_strjoinv ("; ", lines);
  detail = g_strdup_printf ("%s from kiosk %s: %s", bundle->path, bundle->kiosk_id, description);
  return rs_store_exec (store, error, "INSERT INTO audit (at, person_id, event, detail) VALUES (?, ?, ?, ?)",
                        "lrss", rs_store_now (), viewer_id, "results-imported", detail);
}

gboolean
rs_exchange_import (RsStore *store, const RsPerson *viewer, const char *path,
                    RsImportSummary *summary, GError **error)
{
  g_autoptr (Bundle) bundle = NULL;
  RsImportSummary sum = { 0 };
  gboolean ok;

  g_return_val_if_fail (store != NULL && path != NULL, FALSE);
  if (viewer != NULL && !rs_access_require_admin (viewer, error))
    return FALSE;
  bundle = bundle_read (path, error);
  if (bundle == NULL)
    return FALSE;

  sum.kiosk_id = g_strdup (bundle->kiosk_id);
  sum.unknown_employee_nos = g_ptr_array_new_with_free_func (g_free);
  sum.conflicting_uuids = g_ptr_array_new_with_free_func (g_free);
  {
    g_autoptr (GMutexLocker) locker = g_mutex_locker_new (rs_store_get_lock (store));

    ok = rs_store_begin (store, TRUE, error)
         && rs_store_end (store, import_tx (store, bundle, viewer != NULL ? viewer->id : 0, &sum, error), error);
  }
  if (!ok)
    {
      rs_import_summary_clear (&sum);
      return FALSE;
    }
  if (summary != NULL)
    *summary = sum;
  else
    rs_import_summary_clear (&sum);
  return TRUE;
}
