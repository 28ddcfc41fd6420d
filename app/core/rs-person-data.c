/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A person's data export; see rs-person-data.h. Every file is made from
 * the same rows, read in one transaction: each table below is one query,
 * written row by row to its CSV file and to its array in person.json.
 * JSON is built with json-glib (Debian's libjson-glib-dev); CSV is short
 * enough to write here (the same rules as the team report's). */
#include "rs-person-data.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "rs-access.h"
#include "rs-csv-field.h"
#include "rs-error.h"
#include "rs-exchange.h"
#include "rs-i18n.h"
#include "rs-privacy.h"
#include "rs-scoring.h"
#include "rs-store-private.h"

#define FORMAT "reskill-person-data"
#define FORMAT_VERSION 1

void
rs_person_export_clear (RsPersonExport *export)
{
  if (export == NULL)
    return;
  g_clear_pointer (&export->dir, g_free);
  g_clear_pointer (&export->files, g_ptr_array_unref);
}

/* --- columns --- */

typedef enum {
  COL_TEXT,                    /* typed by someone: guarded against spreadsheet formulas */
  COL_ID,                      /* a word Reskill wrote (skill, level, UUID) */
  COL_INT,
  COL_REAL,
  COL_BOOL,                    /* 0 / 1 in the database; true / false in JSON */
  COL_TIME,                    /* unix µs; ISO 8601 UTC */
} ColumnType;

typedef struct {
  const char *name;
  ColumnType type;
} Column;

typedef struct {
  const char *file;            /* without ".csv"; also the JSON member */
  const char *sql;             /* ?1: the person's id */
  const Column *columns;
  guint n_columns;
  /* Results: theta and se are followed by score, score_low and
   * score_high as a person reads them (rs_skill_score_init). */
  gboolean scores;
} Table;

static const Column person_columns[] = {
  { "employee_no", COL_TEXT }, { "name", COL_TEXT }, { "team", COL_TEXT }, { "role", COL_ID },
  { "active", COL_BOOL }, { "deactivated_at", COL_TIME },
};
static const Column attempt_columns[] = {
  { "attempt_uuid", COL_ID }, { "mode", COL_ID }, { "skills", COL_ID }, { "status", COL_ID },
  { "practice", COL_BOOL }, { "shared_at", COL_TIME }, { "started_at", COL_TIME }, { "finished_at", COL_TIME },
  { "abandoned_at", COL_TIME }, { "kiosk_id", COL_ID }, { "bank_version", COL_ID },
};
static const Column answer_columns[] = {
  { "attempt_uuid", COL_ID }, { "seq", COL_INT }, { "item_id", COL_ID }, { "skill", COL_ID },
  { "answer", COL_TEXT }, { "score", COL_INT }, { "max_score", COL_INT }, { "scored", COL_BOOL },
  { "theta_after", COL_REAL }, { "se_after", COL_REAL }, { "time_ms", COL_INT }, { "answered_at", COL_TIME },
};
static const Column result_columns[] = {
  { "attempt_uuid", COL_ID }, { "skill", COL_ID }, { "level", COL_ID }, { "n_items", COL_INT },
  { "calibration", COL_ID }, { "se_provisional", COL_BOOL }, { "p_novice", COL_REAL },
  { "p_developing", COL_REAL }, { "p_proficient", COL_REAL }, { "p_advanced", COL_REAL }, { "p_expert", COL_REAL },
  { "theta", COL_REAL }, { "se", COL_REAL },
};
static const Column earlier_columns[] = {
  { "attempt_uuid", COL_ID }, { "skill", COL_ID }, { "level", COL_ID }, { "n_items", COL_INT },
  { "calibration", COL_ID }, { "se_provisional", COL_BOOL }, { "replaced_at", COL_TIME },
  { "replaced_by", COL_ID }, { "theta", COL_REAL }, { "se", COL_REAL },
};
static const Column self_columns[] = {
  { "attempt_uuid", COL_ID }, { "skill", COL_ID }, { "level", COL_ID },
};
static const Column confirmation_columns[] = {
  { "notice_version", COL_INT }, { "confirmed_at", COL_TIME },
};
static const Column view_columns[] = {
  { "at", COL_TIME }, { "viewer_name", COL_TEXT }, { "viewer_employee_no", COL_TEXT }, { "viewer_role", COL_ID },
  { "what", COL_ID },
};
static const Column audit_columns[] = {
  { "at", COL_TIME }, { "event", COL_ID }, { "detail", COL_TEXT }, { "by_you", COL_BOOL }, { "about_you", COL_BOOL },
};

#define OF_PERSON " AS x JOIN attempts AS a ON a.uuid = x.attempt_id WHERE a.person_id = ?1"

static const Table tables[] = {
  { "person",
    "SELECT p.employee_no, p.name, t.name, p.role, p.active, p.deactivated_at FROM people AS p"
    " LEFT JOIN teams AS t ON t.id = p.team_id WHERE p.id = ?1",
    person_columns, G_N_ELEMENTS (person_columns), FALSE },
  { "attempts",
    "SELECT uuid, mode, skills, status, practice, shared_at, started_at, finished_at, abandoned_at, kiosk_id,"
    " bank_version FROM attempts WHERE person_id = ?1 ORDER BY started_at, uuid",
    attempt_columns, G_N_ELEMENTS (attempt_columns), FALSE },
  { "answers",
    "SELECT x.attempt_id, x.seq, x.item_id, x.skill, x.answer, x.score, x.max_score, x.scored, x.theta, x.se,"
    " x.time_ms, x.answered_at FROM responses" OF_PERSON " ORDER BY a.started_at, x.attempt_id, x.seq",
    answer_columns, G_N_ELEMENTS (answer_columns), FALSE },
  { "results",
    "SELECT x.attempt_id, x.skill, x.level, x.n_items, x.calibration, x.se_provisional, x.p_novice,"
    " x.p_developing, x.p_proficient, x.p_advanced, x.p_expert, x.theta, x.se FROM results" OF_PERSON
    " ORDER BY a.started_at, x.attempt_id, x.rowid",
    result_columns, G_N_ELEMENTS (result_columns), TRUE },
  { "earlier_results",
    "SELECT x.attempt_id, x.skill, x.level, x.n_items, x.calibration, x.se_provisional, x.replaced_at,"
    " x.replaced_by, x.theta, x.se FROM result_history" OF_PERSON " ORDER BY a.started_at, x.attempt_id, x.rowid",
    earlier_columns, G_N_ELEMENTS (earlier_columns), TRUE },
  { "self_estimates",
    "SELECT x.attempt_id, x.skill, x.level FROM self_estimates" OF_PERSON " ORDER BY a.started_at, x.attempt_id,"
    " x.skill",
    self_columns, G_N_ELEMENTS (self_columns), FALSE },
  { "notice_confirmations",
    "SELECT version, confirmed_at FROM notice_confirmations WHERE person_id = ?1 ORDER BY version",
    confirmation_columns, G_N_ELEMENTS (confirmation_columns), FALSE },
  { "who_looked",
    "SELECT v.at, p.name, p.employee_no, v.viewer_role, v.what FROM result_views AS v"
    " LEFT JOIN people AS p ON p.id = v.viewer_id WHERE v.person_id = ?1 ORDER BY v.at, v.id",
    view_columns, G_N_ELEMENTS (view_columns), FALSE },
  { "audit",
    "SELECT at, event, detail, person_id IS ?1, subject_id IS ?1 FROM audit"
    " WHERE person_id = ?1 OR subject_id = ?1 ORDER BY at, id",
    audit_columns, G_N_ELEMENTS (audit_columns), FALSE },
};

/* --- CSV --- */

static void
csv_field (GString *out, const char *text)
{
  rs_csv_append_field (out, text);
}

/* OWASP's advice against CSV injection, as in the team report. */
static void
csv_text (GString *out, const char *text)
{
  g_autofree char *safe = NULL;

  if (text != NULL && text[0] != '\0' && strchr ("=+-@\t\r", text[0]) != NULL)
    text = safe = g_strconcat ("'", text, NULL);
  csv_field (out, text);
}

/* --- the rows --- */

static char *
format_time (gint64 time_us)
{
  return rs_exchange_format_time (time_us);
}

static void
add_value (GString *csv, JsonBuilder *json, const char *name, ColumnType type, sqlite3_stmt *stmt, int c)
{
  gboolean null = sqlite3_column_type (stmt, c) == SQLITE_NULL;

  json_builder_set_member_name (json, name);
  if (null)
    {
      json_builder_add_null_value (json);
      return;
    }
  switch (type)
    {
    case COL_TEXT:
    case COL_ID:
      {
        const char *text = (const char *) sqlite3_column_text (stmt, c);
        if (type == COL_TEXT)
          csv_text (csv, text);
        else
          csv_field (csv, text);
        json_builder_add_string_value (json, text);
        break;
      }
    case COL_INT:
      g_string_append_printf (csv, "%" G_GINT64_FORMAT, (gint64) sqlite3_column_int64 (stmt, c));
      json_builder_add_int_value (json, sqlite3_column_int64 (stmt, c));
      break;
    case COL_REAL:
      {
        char number[G_ASCII_DTOSTR_BUF_SIZE];
        g_string_append (csv, g_ascii_dtostr (number, sizeof number, sqlite3_column_double (stmt, c)));
        json_builder_add_double_value (json, sqlite3_column_double (stmt, c));
        break;
      }
    case COL_BOOL:
      g_string_append (csv, sqlite3_column_int (stmt, c) != 0 ? "true" : "false");
      json_builder_add_boolean_value (json, sqlite3_column_int (stmt, c) != 0);
      break;
    case COL_TIME:
    default:
      {
        g_autofree char *time = format_time (sqlite3_column_int64 (stmt, c));
        g_string_append (csv, time);
        json_builder_add_string_value (json, time);
        break;
      }
    }
}

static void
add_scores (GString *csv, JsonBuilder *json, double theta, double se)
{
  RsSkillScore score;
  const char *names[] = { "score", "score_low", "score_high" };
  double values[3];

  rs_skill_score_init (&score, theta, se);
  values[0] = round (score.score);
  values[1] = round (score.score_low);
  values[2] = round (score.score_high);
  for (int i = 0; i < 3; i++)
    {
      g_string_append_printf (csv, ",%.0f", values[i]);
      json_builder_set_member_name (json, names[i]);
      json_builder_add_int_value (json, (gint64) values[i]);
    }
}

/* One table: its CSV (header and rows) and its JSON array (or, for the
 * person, an object). *n_rows: how many. */
static gboolean
dump_table_tx (RsStore *store, const Table *table, gint64 person_id, GString *csv, JsonBuilder *json, guint *n_rows,
               GError **error)
{
  g_autoptr (RsStoreStmt) stmt = rs_store_query (store, error, table->sql, "l", person_id);
  gboolean single = g_str_equal (table->file, "person");
  int rc;

  *n_rows = 0;
  if (stmt == NULL)
    return FALSE;
  for (guint c = 0; c < table->n_columns; c++)
    g_string_append_printf (csv, "%s%s", c > 0 ? "," : "", table->columns[c].name);
  if (table->scores)
    g_string_append (csv, ",score,score_low,score_high");
  g_string_append (csv, "\r\n");
  json_builder_set_member_name (json, table->file);
  if (!single)
    json_builder_begin_array (json);
  while ((rc = rs_store_step (store, stmt, error)) == SQLITE_ROW)
    {
      (*n_rows)++;
      json_builder_begin_object (json);
      for (guint c = 0; c < table->n_columns; c++)
        {
          if (c > 0)
            g_string_append_c (csv, ',');
          add_value (csv, json, table->columns[c].name, table->columns[c].type, stmt, (int) c);
        }
      if (table->scores)
        add_scores (csv, json, sqlite3_column_double (stmt, (int) table->n_columns - 2),
                    sqlite3_column_double (stmt, (int) table->n_columns - 1));
      g_string_append (csv, "\r\n");
      json_builder_end_object (json);
    }
  if (!single)
    json_builder_end_array (json);
  else if (*n_rows == 0)
    json_builder_add_null_value (json);
  return rc == SQLITE_DONE;
}

/* --- files --- */

static const char readme[] =
  N_("Your data from Reskill\n"
     "======================\n"
     "\n"
     "Everything Reskill held about you when this was exported, in two forms: person.json has it all in one\n"
     "document; each .csv file has one part of it as a table (UTF-8, comma-separated; a spreadsheet opens it).\n"
     "Times are in UTC, as 2026-03-14T09:30:00.000000Z. An attempt is one assessment you took; attempt_uuid\n"
     "links the files together.\n"
     "\n"
     "person.csv: your employee number, name, team, role (employee, manager, admin), whether your account is\n"
     "  active, and since when it is switched off (deactivated_at), if it is.\n"
     "attempts.csv: each assessment: its mode (quick, standard, precise), the skills it covered, status\n"
     "  (finished or in_progress), practice (true: only you see it), shared_at (when you shared a practice\n"
     "  result), when it started, finished or was set aside (abandoned_at), the kiosk, and the version of the\n"
     "  question bank.\n"
     "answers.csv: each question you answered: its id and skill, your answer (letters of the options you chose,\n"
     "  or the number you typed), the points it got of max_score, scored (false: a new question being tried\n"
     "  out, not counted in your result), the estimate of your skill after it (theta_after, se_after), how long\n"
     "  the question was on screen (time_ms) and when you answered.\n"
     "results.csv: your result in each skill of an attempt: the level, how many questions it rests on, the\n"
     "  calibration (version of the question parameters) it was scored with, se_provisional (true: some\n"
     "  questions still had starting parameters), the probability of each level, theta and its standard error\n"
     "  se (the skill estimate on the internal scale), and the score from 0 to 100 with its 80% band.\n"
     "earlier_results.csv: results as they were before the questions were re-calibrated, and when they were\n"
     "  replaced.\n"
     "self_estimates.csv: the level you guessed for yourself before an assessment.\n"
     "notice_confirmations.csv: which version of the privacy notice you confirmed, and when.\n"
     "who_looked.csv: each time someone else was shown your results: when, who (name, employee number, and\n"
     "  their role then: manager, admin, or operator for the database's owner at a terminal; empty for an\n"
     "  account since erased), and what: member (the member page), team-report, team-pdf, team-csv (the team\n"
     "  report, on screen or saved), answers (your answers, question by question), data-export (a copy of\n"
     "  your data, such as this one, made by an administrator).\n"
     "audit.csv: entries of the audit log that you caused (by_you: signing in, confirming the notice, ...) or\n"
     "  that are about you (about_you: an administrator added you, changed your team, reset your PIN, ...).\n"
     "\n"
     "To have everything about you erased, ask an administrator.\n");

static gboolean
write_file (RsPersonExport *export, const char *name, const char *contents, gsize length, GError **error)
{
  g_autofree char *path = g_build_filename (export->dir, name, NULL);
  g_autoptr (GError) local = NULL;

  if (!g_file_set_contents_full (path, contents, (gssize) length,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE, 0600, &local))
    {
      g_set_error (error, RS_ERROR, RS_ERROR_IO, _("Cannot write %s: %s"), path, local->message);
      return FALSE;
    }
  g_ptr_array_add (export->files, g_steal_pointer (&path));
  return TRUE;
}

static void
remove_files (RsPersonExport *export)
{
  for (guint i = 0; export->files != NULL && i < export->files->len; i++)
    g_unlink (g_ptr_array_index (export->files, i));
}

/* A new folder, or an empty one: an export is never mixed with other files. */
static gboolean
prepare_dir (const char *dir, GError **error)
{
  g_autoptr (GDir) listing = NULL;
  g_autoptr (GError) local = NULL;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, RS_ERROR, RS_ERROR_IO, _("Cannot make the folder %s: %s"), dir, g_strerror (saved_errno));
      return FALSE;
    }
  listing = g_dir_open (dir, 0, &local);
  if (listing == NULL)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_IO, _("Cannot open the folder %s: %s"), dir, local->message);
      return FALSE;
    }
  if (g_dir_read_name (listing) != NULL)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_IO, _("%s is not empty: choose a new folder for the export."), dir);
      return FALSE;
    }
  return TRUE;
}

typedef struct {
  GString *csv[G_N_ELEMENTS (tables)];
  guint counts[G_N_ELEMENTS (tables)];
  JsonBuilder *json;
} Dump;

static gboolean
dump_tx (RsStore *store, gint64 person_id, Dump *dump, GError **error)
{
  g_autofree char *now = format_time (rs_store_now ());

  json_builder_begin_object (dump->json);
  json_builder_set_member_name (dump->json, "format");
  json_builder_add_string_value (dump->json, FORMAT);
  json_builder_set_member_name (dump->json, "version");
  json_builder_add_int_value (dump->json, FORMAT_VERSION);
  json_builder_set_member_name (dump->json, "exported_at");
  json_builder_add_string_value (dump->json, now);
  for (gsize t = 0; t < G_N_ELEMENTS (tables); t++)
    if (!dump_table_tx (store, &tables[t], person_id, dump->csv[t], dump->json, &dump->counts[t], error))
      return FALSE;
  json_builder_end_object (dump->json);
  return TRUE;
}

static gboolean
audit_tx (RsStore *store, const RsPerson *viewer, gint64 person_id, const char *dir, GError **error)
{
  g_autofree char *detail = g_strdup_printf ("to %s%s", dir, viewer->id == person_id ? "" : ", at their request");

  return rs_store_exec (store, error,
                        "INSERT INTO audit (at, person_id, event, detail, subject_id) VALUES (?, ?, ?, ?, ?)",
                        "lrssl", rs_store_now (), viewer->id > 0 ? viewer->id : (gint64) 0, "data-exported", detail,
                        person_id);
}

gboolean
rs_person_export (RsStore *store, const RsPerson *viewer, gint64 person_id, const char *dir, RsPersonExport *summary,
                  GError **error)
{
  RsPersonExport export = { 0 };
  Dump dump = { .json = json_builder_new () };
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *json = NULL;
  gsize json_length = 0;
  gboolean self, ok;

  g_return_val_if_fail (store != NULL && dir != NULL, FALSE);
  self = viewer != NULL && viewer->id > 0 && viewer->id == person_id && viewer->active;
  if (!self && !rs_access_require_admin (viewer, error))
    {
      g_object_unref (dump.json);
      return FALSE;
    }
  for (gsize t = 0; t < G_N_ELEMENTS (tables); t++)
    dump.csv[t] = g_string_new (NULL);

  {
    g_autoptr (GMutexLocker) locker = g_mutex_locker_new (rs_store_get_lock (store));
    gint64 exists = 0;

    ok = rs_store_begin (store, FALSE, error)
         && rs_store_get_int (store, &exists, error, "SELECT count(*) FROM people WHERE id = ?", "l", person_id);
    if (ok && exists == 0)
      {
        g_set_error (error, RS_ERROR, RS_ERROR_NOT_FOUND, _("There is no person with id %lld."), (long long) person_id);
        ok = FALSE;
      }
    ok = ok && dump_tx (store, person_id, &dump, error);
    ok = rs_store_end (store, ok, ok ? error : NULL) && ok;
  }

  export.dir = g_strdup (dir);
  export.files = g_ptr_array_new_with_free_func (g_free);
  if (ok)
    {
      root = json_builder_get_root (dump.json);
      json_generator_set_root (generator, root);
      json_generator_set_pretty (generator, TRUE);
      json = json_generator_to_data (generator, &json_length);
      ok = prepare_dir (dir, error) && write_file (&export, "person.json", json, json_length, error);
    }
  for (gsize t = 0; ok && t < G_N_ELEMENTS (tables); t++)
    {
      g_autofree char *name = g_strconcat (tables[t].file, ".csv", NULL);
      ok = write_file (&export, name, dump.csv[t]->str, dump.csv[t]->len, error);
    }
  if (ok)
    {
      const char *text = _(readme);
      ok = write_file (&export, "README.txt", text, strlen (text), error);
    }
  /* No export without its record: an administrator's is a look at the
   * person's results, which they see; every one is in the audit log. */
  if (ok && !rs_store_is_read_only (store))
    {
      g_autoptr (GMutexLocker) locker = NULL;

      ok = self || rs_privacy_record_views (store, viewer, &person_id, 1, RS_VIEW_DATA_EXPORT, error);
      locker = g_mutex_locker_new (rs_store_get_lock (store));
      ok = ok && rs_store_begin (store, TRUE, error)
           && rs_store_end (store, audit_tx (store, viewer, person_id, dir, error), error);
    }
  if (!ok)
    remove_files (&export);

  export.n_attempts = dump.counts[1];
  export.n_answers = dump.counts[2];
  export.n_results = dump.counts[3];
  export.n_earlier_results = dump.counts[4];
  export.n_self_estimates = dump.counts[5];
  export.n_confirmations = dump.counts[6];
  export.n_views = dump.counts[7];
  export.n_audit = dump.counts[8];
  for (gsize t = 0; t < G_N_ELEMENTS (tables); t++)
    g_string_free (dump.csv[t], TRUE);
  g_object_unref (dump.json);
  if (!ok)
    {
      rs_person_export_clear (&export);
      return FALSE;
    }
  if (summary != NULL)
    *summary = export;
  else
    rs_person_export_clear (&export);
  return TRUE;
}
