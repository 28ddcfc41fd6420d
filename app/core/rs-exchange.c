/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Results bundles: export to and import from a USB stick. The format, what
 * is exported and how bundles merge are described in rs-exchange.h; the
 * checks every attempt passes on the way in are rs-unit's.
 *
 * Two databases meet here. The main one is only touched through the store's
 * helpers (rs-store-private.h), under the store's lock, like every other
 * store function. The bundle has its own short-lived connection: written
 * to a temporary file on export; on import opened as an untrusted file
 * (rs-untrusted-db.h), checked, and read whole into signed units before
 * anything touches the main database, so a refusal writes nothing. */
#include "config.h"

#include "rs-exchange.h"


#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include "rs-access.h"
#include "rs-erasure.h"
#include "rs-error.h"
#include "rs-kiosk-key.h"
#include "rs-store-private.h"
#include "rs-trust.h"
#include "rs-untrusted-db.h"

/* --- the bundle's tables --- */

/* Attempts and answers. Since format 2 an attempt says whether the item on
 * screen was a pretest item, each answer whether it was scored, and the
 * prior each skill was measured from is kept beside them (issue 9). */
#define BUNDLE_ATTEMPT_TABLES_SQL \
  "CREATE TABLE attempts (\n" \
  "  uuid TEXT NOT NULL PRIMARY KEY,\n" \
  "  employee_no TEXT,\n" \
  "  mode TEXT NOT NULL,\n" \
  "  skills TEXT NOT NULL,\n" \
  "  seed INTEGER NOT NULL,\n" \
  "  bank_version TEXT,\n" \
  "  kiosk_id TEXT,\n" \
  "  status TEXT NOT NULL,\n" \
  "  started_at INTEGER NOT NULL,\n" \
  "  finished_at INTEGER,\n" \
  "  pending_item_id TEXT,\n" \
  "  pending_scored INTEGER NOT NULL\n" \
  ");\n" \
  "CREATE TABLE responses (\n" \
  "  attempt_uuid TEXT NOT NULL REFERENCES attempts (uuid),\n" \
  "  seq INTEGER NOT NULL,\n" \
  "  item_id TEXT NOT NULL,\n" \
  "  skill TEXT NOT NULL,\n" \
  "  answer TEXT NOT NULL,\n" \
  "  score INTEGER NOT NULL,\n" \
  "  max_score INTEGER NOT NULL,\n" \
  "  theta REAL NOT NULL,\n" \
  "  se REAL NOT NULL,\n" \
  "  time_ms INTEGER NOT NULL,\n" \
  "  answered_at INTEGER NOT NULL,\n" \
  "  scored INTEGER NOT NULL,\n" \
  "  PRIMARY KEY (attempt_uuid, seq)\n" \
  ");\n" \
  "CREATE TABLE attempt_priors (\n" \
  "  attempt_uuid TEXT NOT NULL REFERENCES attempts (uuid),\n" \
  "  skill TEXT NOT NULL,\n" \
  "  mean REAL NOT NULL,\n" \
  "  sd REAL NOT NULL,\n" \
  "  PRIMARY KEY (attempt_uuid, skill)\n" \
  ");\n"

/* Attempts and answers as format 1 had them. */
#define BUNDLE_ATTEMPT_TABLES_V1_SQL \
  "CREATE TABLE attempts (\n" \
  "  uuid TEXT NOT NULL PRIMARY KEY,\n" \
  "  employee_no TEXT,\n" \
  "  mode TEXT NOT NULL,\n" \
  "  skills TEXT NOT NULL,\n" \
  "  seed INTEGER NOT NULL,\n" \
  "  bank_version TEXT,\n" \
  "  kiosk_id TEXT,\n" \
  "  status TEXT NOT NULL,\n" \
  "  started_at INTEGER NOT NULL,\n" \
  "  finished_at INTEGER,\n" \
  "  pending_item_id TEXT\n" \
  ");\n" \
  "CREATE TABLE responses (\n" \
  "  attempt_uuid TEXT NOT NULL REFERENCES attempts (uuid),\n" \
  "  seq INTEGER NOT NULL,\n" \
  "  item_id TEXT NOT NULL,\n" \
  "  skill TEXT NOT NULL,\n" \
  "  answer TEXT NOT NULL,\n" \
  "  score INTEGER NOT NULL,\n" \
  "  max_score INTEGER NOT NULL,\n" \
  "  theta REAL NOT NULL,\n" \
  "  se REAL NOT NULL,\n" \
  "  time_ms INTEGER NOT NULL,\n" \
  "  answered_at INTEGER NOT NULL,\n" \
  "  PRIMARY KEY (attempt_uuid, seq)\n" \
  ");\n"

/* Results carry the calibration that scored them (issue 9) since format 2. */
#define BUNDLE_RESULTS_SQL \
  "CREATE TABLE results (\n" \
  "  attempt_uuid TEXT NOT NULL REFERENCES attempts (uuid),\n" \
  "  skill TEXT NOT NULL,\n" \
  "  theta REAL NOT NULL,\n" \
  "  se REAL NOT NULL,\n" \
  "  n_items INTEGER NOT NULL,\n" \
  "  level TEXT NOT NULL,\n" \
  "  calibration TEXT,\n" \
  "  se_provisional INTEGER NOT NULL,\n" \
  "  p_novice REAL,\n" \
  "  p_developing REAL,\n" \
  "  p_proficient REAL,\n" \
  "  p_advanced REAL,\n" \
  "  p_expert REAL,\n" \
  "  PRIMARY KEY (attempt_uuid, skill)\n" \
  ");\n"

#define BUNDLE_RESULTS_V1_SQL \
  "CREATE TABLE results (\n" \
  "  attempt_uuid TEXT NOT NULL REFERENCES attempts (uuid),\n" \
  "  skill TEXT NOT NULL,\n" \
  "  theta REAL NOT NULL,\n" \
  "  se REAL NOT NULL,\n" \
  "  n_items INTEGER NOT NULL,\n" \
  "  level TEXT NOT NULL,\n" \
  "  PRIMARY KEY (attempt_uuid, skill)\n" \
  ");\n"

#define BUNDLE_SELF_TABLES_SQL \
  "CREATE TABLE self_estimates (\n" \
  "  attempt_uuid TEXT NOT NULL REFERENCES attempts (uuid),\n" \
  "  skill TEXT NOT NULL,\n" \
  "  level TEXT NOT NULL,\n" \
  "  PRIMARY KEY (attempt_uuid, skill)\n" \
  ");\n"

#define BUNDLE_TABLES_SQL BUNDLE_ATTEMPT_TABLES_SQL BUNDLE_RESULTS_SQL BUNDLE_SELF_TABLES_SQL
#define BUNDLE_TABLES_V1_SQL BUNDLE_ATTEMPT_TABLES_V1_SQL BUNDLE_RESULTS_V1_SQL BUNDLE_SELF_TABLES_SQL

#define BUNDLE_SCHEMA_V2_SQL \
  "CREATE TABLE bundle (\n" \
  "  format TEXT NOT NULL,\n" \
  "  format_version INTEGER NOT NULL,\n" \
  "  kiosk_id TEXT NOT NULL,\n" \
  "  created_at INTEGER NOT NULL,\n" \
  "  since INTEGER,\n" \
  "  all_kiosks INTEGER NOT NULL,\n" \
  "  bank_versions TEXT NOT NULL,\n" \
  "  program TEXT NOT NULL,\n" \
  "  n_attempts INTEGER NOT NULL,\n" \
  "  n_responses INTEGER NOT NULL,\n" \
  "  n_results INTEGER NOT NULL,\n" \
  "  n_self_estimates INTEGER NOT NULL,\n" \
  "  signer_key TEXT NOT NULL,\n" \
  "  content_sha256 TEXT NOT NULL,\n" \
  "  header_signature TEXT NOT NULL\n" \
  ");\n" \
  BUNDLE_TABLES_SQL \
  "CREATE TABLE signatures (\n" \
  "  attempt_uuid TEXT NOT NULL PRIMARY KEY REFERENCES attempts (uuid),\n" \
  "  signer_key TEXT NOT NULL,\n" \
  "  signature TEXT NOT NULL\n" \
  ");\n"

/* Version 2 (issue 9): signed attempts only. Still read. */
static const char bundle_schema_v2[] = BUNDLE_SCHEMA_V2_SQL;

/* Version 3 (issue 14): erasures travel too, one signed unit each
 * (rs-unit.h); attempts is the erased attempts' UUIDs, sorted, joined by
 * ",". */
static const char bundle_schema[] =
  BUNDLE_SCHEMA_V2_SQL
  "CREATE TABLE erasures (\n"
  "  uuid TEXT NOT NULL PRIMARY KEY,\n"
  "  employee_no TEXT NOT NULL,\n"
  "  kiosk_id TEXT NOT NULL,\n"
  "  erased_at INTEGER NOT NULL,\n"
  "  attempts TEXT NOT NULL,\n"
  "  signer_key TEXT NOT NULL,\n"
  "  signature TEXT NOT NULL\n"
  ");\n";

/* Version 1 (issue 6): unsigned. Recognized only to refuse it by name. */
static const char bundle_schema_v1[] =
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
  BUNDLE_TABLES_V1_SQL;

/* What the header signature covers before the hash, by format version. */
#define HEADER_SIGNATURE_PREFIX "reskill-results-header\t%d\n"

/* What the hash covers, in its order (see rs-exchange.h). The columns are
 * named, never "*": the hash must not depend on how a table was created. */
static const struct {
  const char *table;
  const char *sql;
} hashed_tables[] = {
  { "bundle",
    "SELECT format, format_version, kiosk_id, created_at, since, all_kiosks, bank_versions, program,"
    " n_attempts, n_responses, n_results, n_self_estimates, signer_key FROM bundle" },
  { "attempts",
    "SELECT uuid, employee_no, mode, skills, seed, bank_version, kiosk_id, status, started_at,"
    " finished_at, pending_item_id, pending_scored FROM attempts ORDER BY uuid" },
  { "responses",
    "SELECT attempt_uuid, seq, item_id, skill, answer, score, max_score, theta, se, time_ms, answered_at,"
    " scored FROM responses ORDER BY attempt_uuid, seq" },
  { "results",
    "SELECT attempt_uuid, skill, theta, se, n_items, level, calibration, se_provisional, p_novice,"
    " p_developing, p_proficient, p_advanced, p_expert FROM results ORDER BY attempt_uuid, skill" },
  { "self_estimates",
    "SELECT attempt_uuid, skill, level FROM self_estimates ORDER BY attempt_uuid, skill" },
  { "signatures",
    "SELECT attempt_uuid, signer_key, signature FROM signatures ORDER BY attempt_uuid" },
  { "attempt_priors",
    "SELECT attempt_uuid, skill, mean, sd FROM attempt_priors ORDER BY attempt_uuid, skill" },
  /* Version 3 only. */
  { "erasures",
    "SELECT uuid, employee_no, kiosk_id, erased_at, attempts, signer_key, signature FROM erasures ORDER BY uuid" },
};

/* The tables a version's hash covers: the first N of hashed_tables. */
static gsize
n_hashed_tables (int version)
{
  return version >= 3 ? G_N_ELEMENTS (hashed_tables) : G_N_ELEMENTS (hashed_tables) - 1;
}

/* --- summaries --- */

void
rs_export_summary_clear (RsExportSummary *summary)
{
  if (summary == NULL)
    return;
  g_clear_pointer (&summary->sha256, g_free);
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
                   _("\"%s\" is not a date or time: use 2026-03-01, 2026-03-01T14:30 or the time an "
                   "export printed."), text);
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
                   _("%s: not a Reskill results bundle (it is not an SQLite database). Nothing was imported."),
                   path);
      break;
    case SQLITE_CORRUPT:
      g_set_error (error, RS_ERROR, RS_ERROR_DB_CORRUPT,
                   _("%s: damaged: %s. Export it again on the kiosk it came from. Nothing was imported."),
                   path, detail);
      break;
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_PERM:
      g_set_error (error, RS_ERROR, RS_ERROR_IO,
                   _("%s: cannot be read (%s). Check the file and the USB stick. Nothing was imported."),
                   path, detail);
      break;
    default:
      g_set_error (error, RS_ERROR, RS_ERROR_INVALID,
                   _("%s: not a Reskill results bundle (%s). Nothing was imported."), path, detail);
      break;
    }
}

/* Writing a bundle: the folder, the disk, the stick. */
static void
bundle_write_fail (GError **error, const char *path, int rc, const char *detail)
{
  if ((rc & 0xff) == SQLITE_FULL)
    g_set_error (error, RS_ERROR, RS_ERROR_DB_FULL,
                 _("%s: cannot be written: the disk is full. Free some space or use another USB stick."), path);
  else
    g_set_error (error, RS_ERROR, RS_ERROR_IO,
                 _("%s: cannot be written (%s). Check that the folder exists, is writable and has space."),
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
bundle_hash (sqlite3 *db, int version, int *rc_out)
{
  g_autoptr (GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr (GString) line = g_string_new (NULL);
  g_autofree char *header = g_strdup_printf ("%s %d\n", RS_EXCHANGE_FORMAT, version);

  g_checksum_update (sum, (const guchar *) header, -1);
  for (gsize t = 0; t < n_hashed_tables (version); t++)
    {
      sqlite3_stmt *stmt = NULL;
      int rc = sqlite3_prepare_v2 (db, hashed_tables[t].sql, -1, &stmt, NULL);

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
  sqlite3_stmt *erasure;
  sqlite3_stmt *attempt;
  sqlite3_stmt *response;
  sqlite3_stmt *result;
  sqlite3_stmt *self_estimate;
  sqlite3_stmt *signature;
  sqlite3_stmt *prior;
} BundleWriter;

static void
bundle_writer_clear (BundleWriter *w)
{
  sqlite3_finalize (w->erasure);
  sqlite3_finalize (w->attempt);
  sqlite3_finalize (w->prior);
  sqlite3_finalize (w->response);
  sqlite3_finalize (w->result);
  sqlite3_finalize (w->self_estimate);
  sqlite3_finalize (w->signature);
}

static int
step_reset (sqlite3_stmt *stmt)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static void
bind_text_or_null (sqlite3_stmt *stmt, int n, const char *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, n, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, n);
}

/* One signed unit as rows: exactly what the importer reads back into a
 * unit and serializes to check the signature. */
static int
write_unit (BundleWriter *w, const RsUnit *unit, RsExportSummary *sum)
{
  const RsAttempt *a = unit->attempt;
  g_autoptr (GString) skills = g_string_new (NULL);
  g_autofree char *signer = rs_hex_encode (unit->signer, sizeof unit->signer);
  g_autofree char *signature = rs_hex_encode (unit->signature, sizeof unit->signature);
  int rc;

  for (int i = 0; i < a->n_skills; i++)
    g_string_append_printf (skills, "%s%s", i > 0 ? "," : "", rs_skill_id (a->skills[i]));
  sqlite3_bind_text (w->attempt, 1, a->uuid, -1, SQLITE_TRANSIENT);
  bind_text_or_null (w->attempt, 2, unit->employee_no);
  sqlite3_bind_text (w->attempt, 3, rs_mode_id (a->mode), -1, SQLITE_STATIC);
  sqlite3_bind_text (w->attempt, 4, skills->str, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (w->attempt, 5, a->seed);
  bind_text_or_null (w->attempt, 6, a->bank_version);
  bind_text_or_null (w->attempt, 7, a->kiosk_id);
  sqlite3_bind_text (w->attempt, 8, a->status == RS_ATTEMPT_FINISHED ? "finished" : "in_progress", -1,
                     SQLITE_STATIC);
  sqlite3_bind_int64 (w->attempt, 9, a->started_at);
  if (a->status == RS_ATTEMPT_FINISHED)
    sqlite3_bind_int64 (w->attempt, 10, a->finished_at);
  bind_text_or_null (w->attempt, 11, a->pending_item_id);
  sqlite3_bind_int (w->attempt, 12, a->pending_unscored ? 0 : 1);
  if ((rc = step_reset (w->attempt)) != SQLITE_OK)
    return rc;
  sum->n_attempts++;
  for (int s = 0; s < RS_N_SKILLS; s++)
    if (a->prior_sd[s] > 0)
      {
        sqlite3_bind_text (w->prior, 1, a->uuid, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text (w->prior, 2, rs_skill_id ((RsSkill) s), -1, SQLITE_STATIC);
        sqlite3_bind_double (w->prior, 3, a->prior_mean[s]);
        sqlite3_bind_double (w->prior, 4, a->prior_sd[s]);
        if ((rc = step_reset (w->prior)) != SQLITE_OK)
          return rc;
      }
  for (guint i = 0; i < a->responses->len; i++)
    {
      const RsResponse *r = &g_array_index (a->responses, RsResponse, i);

      sqlite3_bind_text (w->response, 1, a->uuid, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int (w->response, 2, r->seq);
      sqlite3_bind_text (w->response, 3, r->item_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (w->response, 4, rs_skill_id (r->skill), -1, SQLITE_STATIC);
      sqlite3_bind_text (w->response, 5, r->answer, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int (w->response, 6, r->score);
      sqlite3_bind_int (w->response, 7, r->max_score);
      sqlite3_bind_double (w->response, 8, r->theta);
      sqlite3_bind_double (w->response, 9, r->se);
      sqlite3_bind_int (w->response, 10, r->time_ms);
      sqlite3_bind_int64 (w->response, 11, r->answered_at);
      sqlite3_bind_int (w->response, 12, r->unscored ? 0 : 1);
      if ((rc = step_reset (w->response)) != SQLITE_OK)
        return rc;
      sum->n_responses++;
    }
  for (guint i = 0; i < a->results->len; i++)
    {
      const RsSkillResult *r = &g_array_index (a->results, RsSkillResult, i);
      g_autofree char *level = rs_store_level_to_db (r->level);

      sqlite3_bind_text (w->result, 1, a->uuid, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (w->result, 2, rs_skill_id (r->skill), -1, SQLITE_STATIC);
      sqlite3_bind_double (w->result, 3, r->theta);
      sqlite3_bind_double (w->result, 4, r->se);
      sqlite3_bind_int (w->result, 5, r->n_items);
      sqlite3_bind_text (w->result, 6, level, -1, SQLITE_TRANSIENT);
      if (r->calibration[0] != '\0')
        sqlite3_bind_text (w->result, 7, r->calibration, -1, SQLITE_TRANSIENT);
      else
        sqlite3_bind_null (w->result, 7);
      sqlite3_bind_int (w->result, 8, r->se_provisional ? 1 : 0);
      for (int l = 0; l < RS_N_LEVELS && r->has_level_probability; l++)
        sqlite3_bind_double (w->result, 9 + l, r->level_probability[l]);
      if ((rc = step_reset (w->result)) != SQLITE_OK)
        return rc;
      sum->n_results++;
    }
  for (int s = 0; s < RS_N_SKILLS; s++)
    {
      g_autofree char *level = NULL;

      if (a->self_level[s] == RS_LEVEL_INVALID)
        continue;
      level = rs_store_level_to_db (a->self_level[s]);
      sqlite3_bind_text (w->self_estimate, 1, a->uuid, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (w->self_estimate, 2, rs_skill_id ((RsSkill) s), -1, SQLITE_STATIC);
      sqlite3_bind_text (w->self_estimate, 3, level, -1, SQLITE_TRANSIENT);
      if ((rc = step_reset (w->self_estimate)) != SQLITE_OK)
        return rc;
      sum->n_self_estimates++;
    }
  sqlite3_bind_text (w->signature, 1, a->uuid, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (w->signature, 2, signer, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (w->signature, 3, signature, -1, SQLITE_TRANSIENT);
  return step_reset (w->signature);
}

/* One erasure unit as its row. */
static int
write_erasure (BundleWriter *w, const RsUnit *unit, RsExportSummary *sum)
{
  const RsErasureRecord *e = unit->erasure;
  g_autofree char *signer = rs_hex_encode (unit->signer, sizeof unit->signer);
  g_autofree char *signature = rs_hex_encode (unit->signature, sizeof unit->signature);
  g_autofree char *attempts = NULL;
  int rc;

  g_ptr_array_add (e->attempts, NULL);
  attempts = g_strjoinv (",", (char **) e->attempts->pdata);
  g_ptr_array_set_size (e->attempts, e->attempts->len - 1);
  sqlite3_bind_text (w->erasure, 1, e->uuid, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (w->erasure, 2, unit->employee_no, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (w->erasure, 3, e->kiosk_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (w->erasure, 4, e->erased_at);
  sqlite3_bind_text (w->erasure, 5, attempts, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (w->erasure, 6, signer, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (w->erasure, 7, signature, -1, SQLITE_TRANSIENT);
  if ((rc = step_reset (w->erasure)) == SQLITE_OK)
    sum->n_erasures++;
  return rc;
}

typedef struct {
  char *uuid;
  char *employee_no;
} ExportRow;

static void
export_row_free (ExportRow *row)
{
  g_free (row->uuid);
  g_free (row->employee_no);
  g_free (row);
}

/* Under the store's lock, in its transaction: signs the chosen attempts as
 * units and writes them. */
static gboolean
export_tx (RsStore *store, BundleWriter *w, const RsExportOptions *options, RsExportSummary *sum,
           GTree *bank_versions, int *bundle_rc, GError **error)
{
  g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) export_row_free);
  const RsKioskKey *key = rs_store_kiosk_key (store);
  g_autoptr (RsStoreStmt) attempts = NULL;
  int rc;

  attempts = rs_store_query (store, error,
                             "SELECT a.uuid, p.employee_no"
                             " FROM attempts AS a LEFT JOIN people AS p ON p.id = a.person_id"
                             " WHERE (?1 <> 0 OR a.kiosk_id = ?2) AND a.practice = 0"
                             " AND (?3 IS NULL OR a.started_at >= ?3 OR a.finished_at >= ?3 OR a.shared_at >= ?3"
                             " OR EXISTS (SELECT 1 FROM responses AS r WHERE r.attempt_id = a.uuid AND r.answered_at >= ?3))"
                             " ORDER BY a.uuid",
                             "isr", options->all_kiosks ? 1 : 0, rs_store_kiosk_id (store), options->since);
  if (attempts == NULL)
    return FALSE;
  while ((rc = rs_store_step (store, attempts, error)) == SQLITE_ROW)
    {
      ExportRow *row = g_new0 (ExportRow, 1);

      row->uuid = rs_store_column_strdup (attempts, 0);
      row->employee_no = rs_store_column_strdup (attempts, 1);
      g_ptr_array_add (rows, row);
    }
  if (rc != SQLITE_DONE)
    return FALSE;
  g_clear_pointer (&attempts, rs_store_stmt_release);

  for (guint i = 0; i < rows->len; i++)
    {
      ExportRow *row = g_ptr_array_index (rows, i);
      RsAttempt *attempt = rs_store_load_attempt_tx (store, row->uuid, error);
      g_autoptr (RsUnit) unit = NULL;

      if (attempt == NULL)
        return FALSE;
      if (attempt->bank_version != NULL)
        g_tree_insert (bank_versions, g_strdup (attempt->bank_version), NULL);
      unit = rs_unit_new_attempt (attempt, row->employee_no);
      rs_unit_sign (unit, key);
      if ((*bundle_rc = write_unit (w, unit, sum)) != SQLITE_OK)
        return FALSE;
      if (g_cancellable_set_error_if_cancelled (options->cancellable, error))
        return FALSE;
      if (options->progress != NULL && (i % 64 == 0 || i + 1 == rows->len))
        options->progress ((double) (i + 1) / rows->len, options->progress_data);
    }

  /* Every erasure this kiosk knows, whatever the --since: they are few,
   * applying one twice changes nothing, and a kiosk that missed one
   * must still get it. */
  {
    g_autoptr (GPtrArray) erasures = g_ptr_array_new_with_free_func ((GDestroyNotify) rs_unit_free);

    if (!rs_erasure_load_units_tx (store, erasures, error))
      return FALSE;
    for (guint i = 0; i < erasures->len; i++)
      if ((*bundle_rc = write_erasure (w, g_ptr_array_index (erasures, i), sum)) != SQLITE_OK)
        return FALSE;
  }
  return TRUE;
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

/* The header row, its hash and its signature, once every unit is written. */
static int
write_header (RsStore *store, BundleWriter *w, const RsExportOptions *options, RsExportSummary *sum,
              const char *versions, char **hash_out)
{
  g_autofree char *signer = rs_hex_encode (rs_store_public_key (store), RS_KIOSK_KEY_PUBLIC_BYTES);
  g_autofree char *hash = NULL, *signed_text = NULL, *signature_hex = NULL;
  guint8 signature[RS_KIOSK_KEY_SIGNATURE_BYTES];
  sqlite3_stmt *header = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (w->db, "INSERT INTO bundle (format, format_version, kiosk_id, created_at, since,"
                           " all_kiosks, bank_versions, program, n_attempts, n_responses, n_results,"
                           " n_self_estimates, signer_key, content_sha256, header_signature)"
                           " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', '')",
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
      sqlite3_bind_text (header, 7, versions, -1, SQLITE_STATIC);
      sqlite3_bind_text (header, 8, "reskill " RESKILL_VERSION, -1, SQLITE_STATIC);
      sqlite3_bind_int (header, 9, sum->n_attempts);
      sqlite3_bind_int (header, 10, sum->n_responses);
      sqlite3_bind_int (header, 11, sum->n_results);
      sqlite3_bind_int (header, 12, sum->n_self_estimates);
      sqlite3_bind_text (header, 13, signer, -1, SQLITE_STATIC);
      rc = step_reset (header);
    }
  sqlite3_finalize (header);
  header = NULL;
  /* Hashed as written: the importer reads the very same rows back. */
  if (rc != SQLITE_OK || (hash = bundle_hash (w->db, RS_EXCHANGE_FORMAT_VERSION, &rc)) == NULL)
    return rc != SQLITE_OK ? rc : SQLITE_ERROR;
  signed_text = g_strdup_printf (HEADER_SIGNATURE_PREFIX "%s", RS_EXCHANGE_FORMAT_VERSION, hash);
  rs_kiosk_key_sign (rs_store_kiosk_key (store), signed_text, strlen (signed_text), signature);
  signature_hex = rs_hex_encode (signature, sizeof signature);
  rc = sqlite3_prepare_v2 (w->db, "UPDATE bundle SET content_sha256 = ?, header_signature = ?", -1, &header, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_text (header, 1, hash, -1, SQLITE_STATIC);
      sqlite3_bind_text (header, 2, signature_hex, -1, SQLITE_STATIC);
      rc = step_reset (header);
    }
  sqlite3_finalize (header);
  if (rc == SQLITE_OK)
    *hash_out = g_steal_pointer (&hash);
  return rc;
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
    rc = sqlite3_prepare_v2 (w.db, "INSERT INTO attempt_priors (attempt_uuid, skill, mean, sd) VALUES (?, ?, ?, ?)",
                             -1, &w.prior, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_prepare_v2 (w.db, "INSERT INTO responses (attempt_uuid, seq, item_id, skill, answer, score,"
                             " max_score, theta, se, time_ms, answered_at, scored)"
                             " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", -1, &w.response, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_prepare_v2 (w.db, "INSERT INTO results (attempt_uuid, skill, theta, se, n_items, level,"
                             " calibration, se_provisional, p_novice, p_developing, p_proficient, p_advanced,"
                             " p_expert) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", -1, &w.result, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_prepare_v2 (w.db, "INSERT INTO self_estimates (attempt_uuid, skill, level) VALUES (?, ?, ?)",
                             -1, &w.self_estimate, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_prepare_v2 (w.db, "INSERT INTO signatures (attempt_uuid, signer_key, signature) VALUES (?, ?, ?)",
                             -1, &w.signature, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_prepare_v2 (w.db, "INSERT INTO erasures (uuid, employee_no, kiosk_id, erased_at, attempts,"
                             " signer_key, signature) VALUES (?, ?, ?, ?, ?, ?, ?)", -1, &w.erasure, NULL);
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
      rc = write_header (store, &w, options, sum, versions->str, &hash);
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
  if (!rs_store_has_key (store))
    {
      g_set_error (error, RS_ERROR, RS_ERROR_FAILED,
                   _("This kiosk has no signing key (the database is read-only): its results cannot be exported."));
      return FALSE;
    }
  if (!options->overwrite && g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, RS_ERROR, RS_ERROR_IO,
                   _("%s already exists: choose another name, or remove it first."), path);
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
      detail = g_strdup_printf ("%s: %d attempts, %d answers, %d erasures, since %s%s, sha256 %s", path,
                                sum.n_attempts, sum.n_responses, sum.n_erasures, since,
                                options->all_kiosks ? ", all kiosks" : "", sum.sha256);
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
  char *path;
  char *kiosk_id;
  int version;            /* the format version its schema is */
  guint8 signer[RS_KIOSK_KEY_PUBLIC_BYTES];
  GPtrArray *units;       /* RsUnit *: attempts by uuid, then erasures */
  GHashTable *by_uuid;    /* uuid → RsUnit * (borrowed) */
} Bundle;

static void
bundle_free (Bundle *bundle)
{
  g_free (bundle->path);
  g_free (bundle->kiosk_id);
  g_hash_table_unref (bundle->by_uuid);
  g_ptr_array_unref (bundle->units);
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
  /* Translators: the third %s says what is wrong with the attempt, such as
   * "has no valid UUID" or "is there twice". */
  g_set_error (error, RS_ERROR, RS_ERROR_INVALID,
               _("%s: not a valid Reskill results bundle: attempt %s %s. Nothing was imported."),
               path, uuid != NULL ? uuid : _("(none)"), message);
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

  *rc = sqlite3_prepare_v2 (db, hashed_tables[1].sql, -1, &stmt, NULL);
  while (ok && *rc == SQLITE_OK && (*rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      RsAttempt *a = rs_attempt_new ();
      RsUnit *unit = rs_unit_new_attempt (a, column_text (stmt, 1));
      const char *uuid = column_text (stmt, 0);
      const char *skills = column_text (stmt, 3);
      const char *status = column_text (stmt, 7);
      g_auto (GStrv) ids = g_strsplit (skills != NULL ? skills : "", ",", -1);
      gboolean seen[RS_N_SKILLS] = { FALSE };

      g_ptr_array_add (bundle->units, unit);
      *rc = SQLITE_OK;
      a->uuid = g_strdup (uuid);
      a->mode = rs_mode_from_id (column_text (stmt, 2));
      a->seed = (guint32) sqlite3_column_int64 (stmt, 4);
      a->bank_version = g_strdup (column_text (stmt, 5));
      a->kiosk_id = g_strdup (column_text (stmt, 6));
      a->started_at = sqlite3_column_int64 (stmt, 8);
      a->finished_at = sqlite3_column_int64 (stmt, 9);
      a->pending_item_id = g_strdup (column_text (stmt, 10));
      a->pending_unscored = sqlite3_column_int (stmt, 11) == 0;
      a->n_skills = (int) g_strv_length (ids);
      for (int i = 0; i < a->n_skills && i < RS_N_SKILLS; i++)
        {
          a->skills[i] = rs_skill_from_id (ids[i]);
          if (a->skills[i] != RS_SKILL_INVALID && !seen[a->skills[i]])
            seen[a->skills[i]] = TRUE;
          else
            a->n_skills = -1;
        }

      if (uuid == NULL || !g_uuid_string_is_valid (uuid))
        ok = bundle_invalid (error, bundle->path, uuid, _("has no valid UUID"));
      else if (g_hash_table_contains (bundle->by_uuid, uuid))
        ok = bundle_invalid (error, bundle->path, uuid, _("is there twice"));
      else if (unit->employee_no != NULL && unit->employee_no[0] == '\0')
        ok = bundle_invalid (error, bundle->path, uuid, _("has an empty employee number"));
      else if (a->mode == RS_MODE_INVALID)
        ok = bundle_invalid (error, bundle->path, uuid, _("has an unknown mode \"%s\""), column_text (stmt, 2));
      else if (a->n_skills < 1 || a->n_skills > RS_N_SKILLS)
        ok = bundle_invalid (error, bundle->path, uuid, _("has a bad skill list \"%s\""), skills);
      else if (g_strcmp0 (status, "finished") != 0 && g_strcmp0 (status, "in_progress") != 0)
        ok = bundle_invalid (error, bundle->path, uuid, _("has an unknown status \"%s\""), status);
      else if (g_str_equal (status, "finished") && sqlite3_column_type (stmt, 9) == SQLITE_NULL)
        ok = bundle_invalid (error, bundle->path, uuid, _("is finished but has no finishing time"));
      else
        {
          a->status = g_str_equal (status, "finished") ? RS_ATTEMPT_FINISHED : RS_ATTEMPT_IN_PROGRESS;
          if (a->status != RS_ATTEMPT_FINISHED)
            a->finished_at = 0;
          g_hash_table_insert (bundle->by_uuid, a->uuid, unit);
        }
    }
  sqlite3_finalize (stmt);
  return ok && *rc == SQLITE_DONE;
}

static RsUnit *
lookup_owner (Bundle *bundle, sqlite3_stmt *stmt, GError **error)
{
  const char *uuid = column_text (stmt, 0);
  RsUnit *unit = uuid != NULL ? g_hash_table_lookup (bundle->by_uuid, uuid) : NULL;

  if (unit == NULL)
    bundle_invalid (error, bundle->path, uuid, _("has answers, results or a signature but is not in the bundle"));
  return unit;
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

  *rc = sqlite3_prepare_v2 (db, hashed_tables[2].sql, -1, &stmt, NULL);
  while (ok && *rc == SQLITE_OK && (*rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      RsUnit *unit = lookup_owner (bundle, stmt, error);
      RsAttempt *a;
      RsResponse r = { 0 };

      *rc = SQLITE_OK;
      if (unit == NULL)
        {
          ok = FALSE;
          break;
        }
      a = unit->attempt;
      r.seq = sqlite3_column_int (stmt, 1);
      r.skill = rs_skill_from_id (column_text (stmt, 3));
      r.score = sqlite3_column_int (stmt, 5);
      r.max_score = sqlite3_column_int (stmt, 6);
      r.theta = sqlite3_column_double (stmt, 7);
      r.se = sqlite3_column_double (stmt, 8);
      r.time_ms = sqlite3_column_int (stmt, 9);
      r.answered_at = sqlite3_column_int64 (stmt, 10);
      r.unscored = sqlite3_column_int (stmt, 11) == 0;
      if (r.seq != (int) a->responses->len + 1)
        ok = bundle_invalid (error, bundle->path, a->uuid, _("has answer %d out of sequence"), r.seq);
      else if (r.skill == RS_SKILL_INVALID || !attempt_has_skill (a, r.skill))
        ok = bundle_invalid (error, bundle->path, a->uuid, _("has answer %d in a skill it does not test"), r.seq);
      else if (column_text (stmt, 2) == NULL || column_text (stmt, 4) == NULL
               || r.score < 0 || r.score > r.max_score || r.time_ms < 0)
        ok = bundle_invalid (error, bundle->path, a->uuid, _("has an impossible answer %d"), r.seq);
      else
        {
          r.item_id = g_strdup (column_text (stmt, 2));
          r.answer = g_strdup (column_text (stmt, 4));
          g_array_append_val (a->responses, r);
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

  *rc = sqlite3_prepare_v2 (db, hashed_tables[results ? 3 : 4].sql, -1, &stmt, NULL);
  while (ok && *rc == SQLITE_OK && (*rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      RsUnit *unit = lookup_owner (bundle, stmt, error);
      RsSkill skill = rs_skill_from_id (column_text (stmt, 1));
      RsLevel level = rs_level_from_name (column_text (stmt, results ? 5 : 2));

      *rc = SQLITE_OK;
      if (unit == NULL)
        ok = FALSE;
      else if (skill == RS_SKILL_INVALID || level == RS_LEVEL_INVALID)
        ok = bundle_invalid (error, bundle->path, unit->attempt->uuid, _("has an unknown skill or level"));
      else if (results && (unit->attempt->status != RS_ATTEMPT_FINISHED || !attempt_has_skill (unit->attempt, skill)))
        ok = bundle_invalid (error, bundle->path, unit->attempt->uuid, _("has a result it cannot have"));
      else if (results)
        {
          RsSkillResult result = {
            .skill = skill,
            .theta = sqlite3_column_double (stmt, 2),
            .se = sqlite3_column_double (stmt, 3),
            .n_items = sqlite3_column_int (stmt, 4),
            .level = level,
            .se_provisional = sqlite3_column_int (stmt, 7) != 0,
            .has_level_probability = TRUE,
          };
          const char *calibration = column_text (stmt, 6);

          /* All five level probabilities, or none (a result from before
           * they were kept); anything between is not a result Reskill writes. */
          for (int l = 0; l < RS_N_LEVELS; l++)
            {
              result.has_level_probability &= sqlite3_column_type (stmt, 8 + l) != SQLITE_NULL;
              result.level_probability[l] = sqlite3_column_double (stmt, 8 + l);
            }
          if (!result.has_level_probability)
            for (int l = 0; l < RS_N_LEVELS; l++)
              if (sqlite3_column_type (stmt, 8 + l) != SQLITE_NULL)
                ok = bundle_invalid (error, bundle->path, unit->attempt->uuid, _("has some level probabilities only"));
          if (calibration != NULL && strlen (calibration) >= sizeof result.calibration)
            ok = bundle_invalid (error, bundle->path, unit->attempt->uuid, _("names an impossible calibration"));
          else
            {
              if (calibration != NULL)
                g_strlcpy (result.calibration, calibration, sizeof result.calibration);
              g_array_append_val (unit->attempt->results, result);
            }
        }
      else
        unit->attempt->self_level[skill] = level;
    }
  sqlite3_finalize (stmt);
  return ok && *rc == SQLITE_DONE;
}

/* Results back in the attempt's test order: the order the unit is
 * serialized (and signed) in does not depend on the file's row order. */
static void
sort_results (RsAttempt *a)
{
  g_autoptr (GArray) sorted = g_array_new (FALSE, FALSE, sizeof (RsSkillResult));

  for (int i = 0; i < a->n_skills; i++)
    for (guint k = 0; k < a->results->len; k++)
      if (g_array_index (a->results, RsSkillResult, k).skill == a->skills[i])
        g_array_append_val (sorted, g_array_index (a->results, RsSkillResult, k));
  g_array_set_size (a->results, 0);
  g_array_append_vals (a->results, sorted->data, sorted->len);
}

/* The prior each skill of an attempt was measured from. */
static gboolean
read_priors (Bundle *bundle, sqlite3 *db, int *rc, GError **error)
{
  sqlite3_stmt *stmt = NULL;
  gboolean ok = TRUE;

  *rc = sqlite3_prepare_v2 (db, hashed_tables[6].sql, -1, &stmt, NULL);
  while (ok && *rc == SQLITE_OK && (*rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      RsUnit *unit = lookup_owner (bundle, stmt, error);
      RsSkill skill = rs_skill_from_id (column_text (stmt, 1));
      double mean = sqlite3_column_double (stmt, 2), sd = sqlite3_column_double (stmt, 3);

      *rc = SQLITE_OK;
      if (unit == NULL)
        ok = FALSE;
      else if (skill == RS_SKILL_INVALID || !attempt_has_skill (unit->attempt, skill)
               || !isfinite (mean) || !(sd > 0) || !isfinite (sd))
        ok = bundle_invalid (error, bundle->path, unit->attempt->uuid, _("has an impossible prior"));
      else
        {
          unit->attempt->prior_mean[skill] = mean;
          unit->attempt->prior_sd[skill] = sd;
        }
    }
  sqlite3_finalize (stmt);
  return ok && *rc == SQLITE_DONE;
}

static gboolean
read_signatures (Bundle *bundle, sqlite3 *db, int *rc, GError **error)
{
  sqlite3_stmt *stmt = NULL;
  gboolean ok = TRUE;

  *rc = sqlite3_prepare_v2 (db, hashed_tables[5].sql, -1, &stmt, NULL);
  while (ok && *rc == SQLITE_OK && (*rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      RsUnit *unit = lookup_owner (bundle, stmt, error);

      *rc = SQLITE_OK;
      if (unit == NULL)
        ok = FALSE;
      else if (!rs_hex_decode (column_text (stmt, 1), unit->signer, sizeof unit->signer)
               || !rs_hex_decode (column_text (stmt, 2), unit->signature, sizeof unit->signature))
        ok = bundle_invalid (error, bundle->path, unit->attempt->uuid, _("has a signature that is not one"));
      else
        unit->is_signed = TRUE;
    }
  sqlite3_finalize (stmt);
  return ok && *rc == SQLITE_DONE;
}

/* Erasure units (format 3): their content is checked with the units. */
static gboolean
read_erasures (Bundle *bundle, sqlite3 *db, int *rc, GError **error)
{
  sqlite3_stmt *stmt = NULL;
  gboolean ok = TRUE;

  *rc = SQLITE_DONE;
  if (bundle->version < 3)
    return TRUE;
  *rc = sqlite3_prepare_v2 (db, hashed_tables[7].sql, -1, &stmt, NULL);
  while (ok && *rc == SQLITE_OK && (*rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr (RsErasureRecord) record = rs_erasure_record_new ();
      const char *attempts = column_text (stmt, 4);
      RsUnit *unit;

      *rc = SQLITE_OK;
      record->uuid = g_strdup (column_text (stmt, 0));
      record->kiosk_id = g_strdup (column_text (stmt, 2));
      record->erased_at = sqlite3_column_int64 (stmt, 3);
      if (attempts != NULL && *attempts != '\0')
        {
          g_auto (GStrv) uuids = g_strsplit (attempts, ",", RS_UNIT_MAX_ERASED_ATTEMPTS + 2);

          for (int i = 0; uuids[i] != NULL; i++)
            g_ptr_array_add (record->attempts, g_strdup (uuids[i]));
        }
      unit = rs_unit_new_erasure (g_steal_pointer (&record), column_text (stmt, 1));
      g_ptr_array_add (bundle->units, unit);
      if (!rs_hex_decode (column_text (stmt, 5), unit->signer, sizeof unit->signer)
          || !rs_hex_decode (column_text (stmt, 6), unit->signature, sizeof unit->signature))
        ok = bundle_invalid (error, bundle->path, rs_unit_uuid (unit), "(an erasure) has a signature that is not one");
      else
        unit->is_signed = TRUE;
    }
  sqlite3_finalize (stmt);
  return ok && *rc == SQLITE_DONE;
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
                     _("%s: damaged: the file is broken (%s). Export it again on the kiosk it came from. "
                     "Nothing was imported."), path, verdict);
    }
  sqlite3_finalize (stmt);
  return ok;
}

/* Reads the header; checks the format, the version, the hash and the
 * header's signature. */
static gboolean
check_header (Bundle *bundle, sqlite3 *db, gint64 counts[4], int *rc, GError **error)
{
  sqlite3_stmt *stmt = NULL;
  g_autofree char *format = NULL, *stored_hash = NULL, *hash = NULL, *signer_hex = NULL, *signature_hex = NULL;
  g_autofree char *signed_text = NULL;
  guint8 signature[RS_KIOSK_KEY_SIGNATURE_BYTES];
  gint64 version = 0;
  int n_rows = 0;

  *rc = sqlite3_prepare_v2 (db, "SELECT format, format_version, kiosk_id, content_sha256, n_attempts,"
                            " n_responses, n_results, n_self_estimates, signer_key, header_signature FROM bundle",
                            -1, &stmt, NULL);
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
      signer_hex = g_strdup (column_text (stmt, 8));
      signature_hex = g_strdup (column_text (stmt, 9));
    }
  sqlite3_finalize (stmt);
  if (*rc != SQLITE_DONE)
    return FALSE;
  *rc = SQLITE_OK;
  if (n_rows != 1 || g_strcmp0 (format, RS_EXCHANGE_FORMAT) != 0 || version < 1)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_INVALID,
                   _("%s: not a Reskill results bundle (no \"%s\" header). Nothing was imported."),
                   bundle->path, RS_EXCHANGE_FORMAT);
      return FALSE;
    }
  if (version != bundle->version)
    {
      if (version > RS_EXCHANGE_FORMAT_VERSION)
        g_set_error (error, RS_ERROR, RS_ERROR_DB_TOO_NEW,
                     _("%s: made by a newer Reskill (results bundle version %lld, this one reads version %d). "
                       "Update Reskill on this kiosk first. Nothing was imported."),
                     bundle->path, (long long) version, RS_EXCHANGE_FORMAT_VERSION);
      else
        g_set_error (error, RS_ERROR, RS_ERROR_DB_TOO_NEW,
                     _("%s: made by a different Reskill (results bundle version %lld, this one reads version %d). "
                       "Export it again with this version. Nothing was imported."),
                     bundle->path, (long long) version, RS_EXCHANGE_FORMAT_VERSION);
      return FALSE;
    }
  hash = bundle_hash (db, bundle->version, rc);
  if (hash == NULL)
    return FALSE;
  if (g_strcmp0 (hash, stored_hash) != 0)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_DB_CORRUPT,
                   _("%s: damaged: its content does not match its SHA-256 checksum. Export it again on "
                   "the kiosk it came from. Nothing was imported."), bundle->path);
      return FALSE;
    }
  if (bundle->kiosk_id == NULL)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_INVALID,
                   _("%s: not a valid Reskill results bundle: it names no kiosk. Nothing was imported."), bundle->path);
      return FALSE;
    }
  /* Anyone can recompute the hash; only the kiosk can sign it. */
  signed_text = g_strdup_printf (HEADER_SIGNATURE_PREFIX "%s", bundle->version, hash);
  if (!rs_hex_decode (signer_hex, bundle->signer, sizeof bundle->signer)
      || !rs_hex_decode (signature_hex, signature, sizeof signature)
      || !rs_kiosk_key_verify (bundle->signer, signed_text, strlen (signed_text), signature))
    {
      g_set_error (error, RS_ERROR, RS_ERROR_INVALID,
                   _("%s: refused: its signature does not match its content: it was changed after the kiosk "
                   "signed it (forged or damaged). Nothing was imported."), bundle->path);
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

  gint64 n_attempts = 0;

  for (guint i = 0; i < bundle->units->len; i++)
    {
      RsAttempt *a = ((RsUnit *) g_ptr_array_index (bundle->units, i))->attempt;

      if (a == NULL)
        continue;
      n_attempts++;
      sort_results (a);
      n_responses += a->responses->len;
      n_results += a->results->len;
      for (int s = 0; s < RS_N_SKILLS; s++)
        n_self += a->self_level[s] != RS_LEVEL_INVALID;
    }
  if (counts[0] == n_attempts && counts[1] == n_responses
      && counts[2] == n_results && counts[3] == n_self)
    return TRUE;
  g_set_error (error, RS_ERROR, RS_ERROR_INVALID,
               _("%s: not a valid Reskill results bundle: its header counts do not match its rows. "
               "Nothing was imported."), bundle->path);
  return FALSE;
}

/* Opens, checks and loads a whole bundle; NULL with error when refused. */
static Bundle *
bundle_read (const char *path, const RsImportOptions *options, GError **error)
{
  static const char *const old_schemas[] = { bundle_schema_v1, NULL };
  static const char *const other_schemas[] = { bundle_schema_v2, NULL };
  static const char *const old_messages[] = {
    N_("an unsigned results bundle (format 1, from a Reskill before signed results). Its results cannot be "
       "checked: update Reskill on the kiosk it came from, trust that kiosk here, and export again"),
  };
  g_autoptr (Bundle) bundle = g_new0 (Bundle, 1);
  g_autoptr (GError) local_error = NULL;
  g_autoptr (RsUntrustedDb) untrusted = NULL;
  RsUntrustedDbOptions open_options = {
    .what = _("results bundle"),
    .schema = bundle_schema,
    .old_schemas = old_schemas,
    .old_messages = old_messages,
    .other_schemas = other_schemas,
    .max_size = RS_EXCHANGE_MAX_BUNDLE_SIZE,
    .cancellable = options->cancellable,
  };
  gint64 counts[4] = { 0 };
  sqlite3 *db;
  gboolean ok = FALSE;
  int rc = SQLITE_OK;
  GStatBuf st;

  bundle->path = g_strdup (path);
  bundle->units = g_ptr_array_new_with_free_func ((GDestroyNotify) rs_unit_free);
  bundle->by_uuid = g_hash_table_new (g_str_hash, g_str_equal);

  /* Time enough for a large honest bundle (reading runs at well over
   * 20 MB/s here), never for ever. */
  open_options.deadline_us = g_get_monotonic_time ()
                             + (30 + (g_stat (path, &st) == 0 ? (gint64) st.st_size / (4 * 1024 * 1024) : 0))
                               * G_USEC_PER_SEC;
  untrusted = rs_untrusted_db_open (path, &open_options, error);
  if (untrusted == NULL)
    return NULL;
  db = rs_untrusted_db_handle (untrusted);
  bundle->version = rs_untrusted_db_schema (untrusted) == 0 ? RS_EXCHANGE_FORMAT_VERSION : 2;
  if (options->progress != NULL)
    options->progress (0.05, options->progress_data);
  /* The structure, the header, its hash and signature, and only then the rows. */
  ok = check_integrity (db, path, &rc, &local_error)
       && check_header (bundle, db, counts, &rc, &local_error)
       && read_attempts (bundle, db, &rc, &local_error)
       && read_responses (bundle, db, &rc, &local_error)
       && read_levels (bundle, db, TRUE, &rc, &local_error)
       && read_levels (bundle, db, FALSE, &rc, &local_error)
       && read_signatures (bundle, db, &rc, &local_error)
       && read_priors (bundle, db, &rc, &local_error)
       && check_counts (bundle, counts, &local_error)
       && read_erasures (bundle, db, &rc, &local_error);
  if (!ok)
    {
      g_autoptr (GError) interrupted = NULL;

      if (rs_untrusted_db_interrupted (untrusted, &interrupted))
        g_propagate_error (error, g_steal_pointer (&interrupted));
      else if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        bundle_read_fail (error, path, db, rc);
      return NULL;
    }
  return g_steal_pointer (&bundle);
}

gboolean
rs_exchange_import (RsStore *store, const RsPerson *viewer, const char *path, const RsImportOptions *options,
                    RsImportSummary *summary, GError **error)
{
  static const RsImportOptions defaults = { 0 };
  g_autoptr (Bundle) bundle = NULL;
  g_autoptr (RsTrustedKiosk) entry = NULL;
  g_autofree char *fingerprint = NULL;
  RsTrustState state;
  RsUnitCheck check = { 0 };

  g_return_val_if_fail (store != NULL && path != NULL, FALSE);
  if (options == NULL)
    options = &defaults;
  if (viewer != NULL && !rs_access_require_admin (viewer, error))
    return FALSE;
  bundle = bundle_read (path, options, error);
  if (bundle == NULL)
    return FALSE;
  /* The sender first, for a message about the bundle rather than about
   * its first attempt; every unit's own signer is checked again below. */
  if (!rs_trust_lookup (store, bundle->signer, &state, &entry, error))
    return FALSE;
  if (state != RS_TRUST_TRUSTED && state != RS_TRUST_SELF)
    {
      g_autofree char *why = NULL;

      fingerprint = rs_kiosk_fingerprint (bundle->signer);
      why = rs_trust_describe_refusal (state, entry, fingerprint);
      g_set_error (error, RS_ERROR, RS_ERROR_DENIED, _("%s: refused: %s. Nothing was imported."), path, why);
      return FALSE;
    }
  if (g_cancellable_set_error_if_cancelled (options->cancellable, error))
    return FALSE;
  if (options->progress != NULL)
    options->progress (0.5, options->progress_data);
  check.banks = options->banks;
  check.n_banks = options->n_banks;
  check.now = options->now;
  check.source = path;
  if (!rs_units_import (store, viewer, &check, bundle->units, summary, error))
    return FALSE;
  if (options->progress != NULL)
    options->progress (1.0, options->progress_data);
  return TRUE;
}
