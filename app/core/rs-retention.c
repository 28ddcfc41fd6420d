/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Retention runs; see rs-retention.h for what one run does. */
#include "rs-retention.h"

#include <string.h>

#include "rs-access.h"
#include "rs-erasure.h"
#include "rs-error.h"
#include "rs-i18n.h"
#include "rs-privacy.h"
#include "rs-store-private.h"

void
rs_retention_report_clear (RsRetentionReport *report)
{
  if (report == NULL)
    return;
  g_clear_pointer (&report->people, g_ptr_array_unref);
  g_clear_pointer (&report->log_problem, g_free);
}

static char *
format_day (gint64 unix_us)
{
  g_autoptr (GDateTime) time = g_date_time_new_from_unix_local (unix_us / G_USEC_PER_SEC);

  return time != NULL ? g_date_time_format (time, "%Y-%m-%d") : g_strdup ("?");
}

char *
rs_retention_report_describe (const RsRetentionReport *r)
{
  GString *text = g_string_new (NULL);
  g_autofree char *results_day = format_day (r->results_before);
  g_autofree char *people_day = format_day (r->inactive_before);

  g_string_append_printf (text,
                          r->dry_run ? _("Results that ended before %s: %u attempts with %u answers would be deleted")
                                     : _("Results that ended before %s: %u attempts with %u answers deleted"),
                          results_day, r->n_attempts, r->n_answers);
  if (r->n_answers_anonymous > 0)
    g_string_append_printf (text, r->dry_run ? _(" (%u answers would be kept for calibration, linked to nobody)")
                                             : _(" (%u answers kept for calibration, linked to nobody)"),
                            r->n_answers_anonymous);
  g_string_append (text, ".\n");
  g_string_append_printf (text,
                          r->dry_run ? _("People deactivated before %s: %u would be erased, with %u attempts and %u "
                                         "answers.\n")
                                     : _("People deactivated before %s: %u erased, with %u attempts and %u answers.\n"),
                          people_day, r->n_people, r->n_people_attempts, r->n_people_answers);
  for (guint i = 0; r->people != NULL && i < r->people->len; i++)
    g_string_append_printf (text, "  %s\n", (const char *) g_ptr_array_index (r->people, i));
  g_string_append_printf (text,
                          r->dry_run ? _("Older records of who looked: %u would be deleted; older audit entries: %u.")
                                     : _("Older records of who looked: %u deleted; older audit entries: %u."),
                          r->n_views, r->n_audit);
  return g_string_free (text, FALSE);
}

gint64
rs_retention_attempt_time (const RsAttempt *attempt)
{
  gint64 time = attempt->started_at;

  if (attempt->status == RS_ATTEMPT_FINISHED)
    return attempt->finished_at;
  for (guint i = 0; attempt->responses != NULL && i < attempt->responses->len; i++)
    time = MAX (time, g_array_index (attempt->responses, RsResponse, i).answered_at);
  return time;
}

/* Calendar months back from now, in UTC (a day more or less across time
 * zones does not matter at this scale, and every kiosk computes the same). */
static gint64
months_before (gint64 now, guint months)
{
  g_autoptr (GDateTime) time = g_date_time_new_from_unix_utc (now / G_USEC_PER_SEC);
  g_autoptr (GDateTime) back = NULL;

  if (time == NULL)
    return now;
  back = g_date_time_add_months (time, -(int) months);
  return back != NULL ? g_date_time_to_unix (back) * G_USEC_PER_SEC + now % G_USEC_PER_SEC : G_MININT64;
}

gboolean
rs_retention_cutoffs_tx (RsStore *store, gint64 now, gint64 *results_before, gint64 *inactive_before, GError **error)
{
  gint64 results_months = 0, inactive_months = 0;

  if (!rs_store_get_int (store, &results_months, error, "SELECT keep_results_months FROM privacy_policy WHERE id = 1",
                         "")
      || !rs_store_get_int (store, &inactive_months, error,
                            "SELECT keep_inactive_months FROM privacy_policy WHERE id = 1", ""))
    return FALSE;
  if (results_months < 1)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_DB_CORRUPT, "%s: the privacy policy is missing.", rs_store_path (store));
      return FALSE;
    }
  *results_before = months_before (now, (guint) results_months);
  *inactive_before = months_before (now, (guint) inactive_months);
  return TRUE;
}

/* rs_retention_attempt_time () in SQL, for attempts AS a. */
#define ATTEMPT_TIME \
  "(CASE WHEN a.status = 'finished' THEN a.finished_at" \
  " ELSE max (a.started_at, ifnull ((SELECT max (r.answered_at) FROM responses AS r WHERE r.attempt_id = a.uuid), 0))" \
  " END)"

static GPtrArray *
expired_attempts_tx (RsStore *store, gint64 before, GError **error)
{
  g_autoptr (GPtrArray) uuids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (RsStoreStmt) stmt = rs_store_query (store, error,
    "SELECT a.uuid FROM attempts AS a WHERE " ATTEMPT_TIME " < ? ORDER BY a.uuid",
    "l", before);
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = rs_store_step (store, stmt, error)) == SQLITE_ROW)
    g_ptr_array_add (uuids, rs_store_column_strdup (stmt, 0));
  return rc == SQLITE_DONE ? g_steal_pointer (&uuids) : NULL;
}

typedef struct {
  gint64 id;
  char *line;
} Leaver;

static void
leaver_free (gpointer data)
{
  Leaver *leaver = data;

  g_free (leaver->line);
  g_free (leaver);
}

static GPtrArray *
leavers_tx (RsStore *store, gint64 before, GError **error)
{
  g_autoptr (GPtrArray) leavers = g_ptr_array_new_with_free_func (leaver_free);
  g_autoptr (RsStoreStmt) stmt = rs_store_query (store, error,
                                                 "SELECT id, employee_no, name, deactivated_at FROM people"
                                                 " WHERE active = 0 AND deactivated_at IS NOT NULL"
                                                 " AND deactivated_at < ? ORDER BY employee_no",
                                                 "l", before);
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = rs_store_step (store, stmt, error)) == SQLITE_ROW)
    {
      Leaver *leaver = g_new0 (Leaver, 1);
      g_autofree char *day = format_day (sqlite3_column_int64 (stmt, 3));

      leaver->id = sqlite3_column_int64 (stmt, 0);
      leaver->line = g_strdup_printf (_("%s %s, deactivated on %s"), (const char *) sqlite3_column_text (stmt, 1),
                                      (const char *) sqlite3_column_text (stmt, 2), day);
      g_ptr_array_add (leavers, leaver);
    }
  return rc == SQLITE_DONE ? g_steal_pointer (&leavers) : NULL;
}

static gboolean
run_tx (RsStore *store, const RsPerson *viewer, RsRetentionReport *r, GError **error)
{
  g_autoptr (GPtrArray) expired = NULL;
  g_autoptr (GPtrArray) leavers = NULL;
  g_autofree char *detail = NULL;
  gint64 now = rs_store_now (), n = 0, anonymous = 0;
  sqlite3 *db = rs_store_get_db (store);

  if (!rs_retention_cutoffs_tx (store, now, &r->results_before, &r->inactive_before, error)
      || !rs_store_get_int (store, &anonymous, error, "SELECT anonymous_answers FROM privacy_policy WHERE id = 1", ""))
    return FALSE;

  expired = expired_attempts_tx (store, r->results_before, error);
  if (expired == NULL)
    return FALSE;
  r->n_attempts = expired->len;
  for (guint i = 0; i < expired->len; i++)
    {
      const char *uuid = g_ptr_array_index (expired, i);

      if (r->dry_run)
        {
          if (!rs_store_get_int (store, &n, error, "SELECT count(*) FROM responses WHERE attempt_id = ?", "s", uuid))
            return FALSE;
          r->n_answers += (guint) n;
          if (anonymous)
            r->n_answers_anonymous += (guint) n;
        }
      else if (!rs_erasure_delete_attempt_tx (store, uuid, anonymous != 0, &r->n_answers, &r->n_answers_anonymous,
                                              error))
        return FALSE;
    }

  leavers = leavers_tx (store, r->inactive_before, error);
  if (leavers == NULL)
    return FALSE;
  r->n_people = leavers->len;
  r->people = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < leavers->len; i++)
    {
      Leaver *leaver = g_ptr_array_index (leavers, i);
      RsErasureSummary summary = { 0 };
      gboolean ok = TRUE;

      g_ptr_array_add (r->people, g_strdup (leaver->line));
      if (r->dry_run)
        {
          /* Those not counted as expired above: a real run deletes those
           * first. */
          ok = rs_store_get_int (store, &n, error,
                                 "SELECT count(*) FROM attempts AS a WHERE a.person_id = ? AND " ATTEMPT_TIME " >= ?",
                                 "ll", leaver->id, r->results_before);
          r->n_people_attempts += (guint) n;
          ok = ok && rs_store_get_int (store, &n, error,
                                       "SELECT count(*) FROM responses WHERE attempt_id IN (SELECT a.uuid FROM"
                                       " attempts AS a WHERE a.person_id = ? AND " ATTEMPT_TIME " >= ?)", "ll",
                                       leaver->id, r->results_before);
          r->n_people_answers += (guint) n;
          if (anonymous)
            r->n_answers_anonymous += (guint) n;
        }
      else
        {
          ok = rs_erasure_erase_person_tx (store, viewer, leaver->id, FALSE, anonymous != 0, &summary, error);
          r->n_people_attempts += summary.n_attempts;
          r->n_people_answers += summary.n_answers;
          r->n_answers_anonymous += summary.n_answers_anonymous;
        }
      rs_erasure_summary_clear (&summary);
      if (!ok)
        return FALSE;
    }

  if (r->dry_run)
    {
      if (!rs_store_get_int (store, &n, error, "SELECT count(*) FROM result_views WHERE at < ?", "l",
                             r->results_before))
        return FALSE;
      r->n_views = (guint) n;
      if (!rs_store_get_int (store, &n, error, "SELECT count(*) FROM audit WHERE at < ?", "l", r->results_before))
        return FALSE;
      r->n_audit = (guint) n;
      return TRUE;
    }

  if (!rs_store_exec (store, error, "DELETE FROM result_views WHERE at < ?", "l", r->results_before))
    return FALSE;
  r->n_views = (guint) sqlite3_changes (db);
  if (!rs_store_exec (store, error, "DELETE FROM audit WHERE at < ?", "l", r->results_before))
    return FALSE;
  r->n_audit = (guint) sqlite3_changes (db);
  /* Counts only: who was erased is not written down anywhere. */
  detail = g_strdup_printf ("%u attempts with %u answers expired (%u answers kept with no link); %u people "
                            "deactivated too long erased, with %u attempts; %u records of who looked and %u audit "
                            "rows expired",
                            r->n_attempts, r->n_answers, r->n_answers_anonymous, r->n_people, r->n_people_attempts,
                            r->n_views, r->n_audit);
  return rs_store_exec (store, error, "INSERT INTO audit (at, person_id, event, detail) VALUES (?, ?, ?, ?)",
                        "lrss", now, viewer != NULL && viewer->id > 0 ? viewer->id : (gint64) 0, "retention", detail)
         && rs_store_exec (store, error,
                           "INSERT INTO meta (key, value) VALUES ('retention_run_at', ?)"
                           " ON CONFLICT (key) DO UPDATE SET value = excluded.value", "l", now);
}

gboolean
rs_retention_run (RsStore *store, const RsPerson *viewer, gboolean dry_run, RsRetentionReport *report,
                  GError **error)
{
  RsRetentionReport local = { .dry_run = dry_run };
  gboolean ok;

  g_return_val_if_fail (store != NULL, FALSE);
  if (viewer != NULL && !rs_access_require_admin (viewer, error))
    return FALSE;
  if (!dry_run && rs_store_is_read_only (store))
    {
      g_set_error (error, RS_ERROR, RS_ERROR_DB_READONLY, _("%s is read-only: nothing can be deleted from it."),
                   rs_store_path (store));
      return FALSE;
    }
  {
    g_autoptr (GMutexLocker) locker = g_mutex_locker_new (rs_store_get_lock (store));

    ok = rs_store_begin (store, !dry_run, error)
         && rs_store_end (store, run_tx (store, viewer, &local, error), error);
  }
  if (!ok)
    {
      rs_retention_report_clear (&local);
      return FALSE;
    }
  if (!dry_run)
    {
      g_autoptr (GError) wipe_error = NULL;

      local.log_wiped = rs_store_wipe_log (store, &wipe_error);
      if (!local.log_wiped)
        local.log_problem = g_strdup (wipe_error->message);
    }
  if (report != NULL)
    *report = local;
  else
    rs_retention_report_clear (&local);
  return TRUE;
}

gboolean
rs_retention_due (RsStore *store)
{
  g_autoptr (GMutexLocker) locker = NULL;
  gint64 at = 0;

  g_return_val_if_fail (store != NULL, TRUE);
  locker = g_mutex_locker_new (rs_store_get_lock (store));
  if (!rs_store_get_int (store, &at, NULL, "SELECT value FROM meta WHERE key = 'retention_run_at'", ""))
    return TRUE;
  return rs_store_now () - at >= (gint64) RS_RETENTION_INTERVAL_HOURS * 3600 * G_USEC_PER_SEC;
}

gboolean
rs_retention_run_if_due (RsStore *store, gboolean *ran, RsRetentionReport *report, GError **error)
{
  if (ran != NULL)
    *ran = FALSE;
  if (rs_store_is_read_only (store) || !rs_retention_due (store))
    return TRUE;
  if (!rs_retention_run (store, NULL, FALSE, report, error))
    return FALSE;
  if (ran != NULL)
    *ran = TRUE;
  return TRUE;
}
