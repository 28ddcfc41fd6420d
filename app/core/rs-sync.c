/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A kiosk's sync with the organization's server; see rs-sync.h. */
#include "rs-sync.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "rs-erasure.h"
#include "rs-error.h"
#include "rs-i18n.h"
#include "rs-kiosk-key.h"
#include "rs-people.h"
#include "rs-pg.h"
#include "rs-privacy.h"
#include "rs-server.h"
#include "rs-store-private.h"
#include "rs-unit.h"

/* What leaves the kiosk: this kiosk's own attempts with at least one
 * answer and not practice (a practice attempt is its person's alone until
 * they share it, which makes it an ordinary attempt), new or changed since
 * their last push, and those the server
 * skipped or refused last time (it may have the person, bank or
 * calibration now; a kiosk's clock may have been put right). Conflicts are
 * offered again only when they change: the server keeps its copy anyway.
 * Every rule about what may leave belongs in this one statement. */
#define OUTGOING_ATTEMPTS \
  "SELECT a.uuid FROM attempts AS a LEFT JOIN sync_pushed AS s ON s.attempt_id = a.uuid" \
  " WHERE a.kiosk_id = ?1 AND a.practice = 0" \
  "   AND EXISTS (SELECT 1 FROM responses AS r WHERE r.attempt_id = a.uuid)" \
  "   AND (s.attempt_id IS NULL" \
  "        OR s.outcome IN ('unknown-person', 'other-bank', 'other-calibration', 'refused')" \
  "        OR s.finished <> (a.status = 'finished')" \
  "        OR s.n_responses <> (SELECT count(*) FROM responses AS r WHERE r.attempt_id = a.uuid))" \
  " ORDER BY a.started_at, a.uuid"

/* This kiosk's own attempts with at least one answer, as it holds them:
 * compared with what the server holds (reskill.kiosk_attempts ()). */
#define OWN_ATTEMPTS \
  "SELECT a.uuid, (SELECT count(*) FROM responses AS r WHERE r.attempt_id = a.uuid), a.status = 'finished'," \
  " s.outcome = 'conflict' AND s.n_responses = (SELECT count(*) FROM responses AS r WHERE r.attempt_id = a.uuid)" \
  "   AND s.finished = (a.status = 'finished')" \
  " FROM attempts AS a LEFT JOIN sync_pushed AS s ON s.attempt_id = a.uuid WHERE a.kiosk_id = ?1" \
  "   AND a.practice = 0 AND EXISTS (SELECT 1 FROM responses AS r WHERE r.attempt_id = a.uuid)" \
  " ORDER BY a.started_at, a.uuid"

void
rs_sync_summary_clear (RsSyncSummary *summary)
{
  if (summary == NULL)
    return;
  g_clear_pointer (&summary->calibration, g_free);
  g_clear_pointer (&summary->problems, g_ptr_array_unref);
}

char *
rs_sync_summary_describe (const RsSyncSummary *s)
{
  GString *text = g_string_new (NULL);

  g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "pushed %d attempt", "pushed %d attempts", (unsigned long) s->pushed), s->pushed);
  g_string_append_printf (text, _(" (%d added, %d updated, %d already there"), s->added, s->updated, s->unchanged);
  if (s->conflicts > 0)
    g_string_append_printf (text, _(", %d in conflict"), s->conflicts);
  if (s->skipped > 0)
    g_string_append_printf (text, _(", %d skipped for now"), s->skipped);
  if (s->refused > 0)
    g_string_append_printf (text, _(", %d refused"), s->refused);
  if (s->erased > 0)
    /* Translators: attempts the server did not keep, because the person was erased. */
    g_string_append_printf (text, _(", %d kept out: their person was erased"), s->erased);
  g_string_append (text, ") ");
  g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "and %d sign-in lock", "and %d sign-in locks", (unsigned long) s->locks_pushed),
                          s->locks_pushed);
  g_string_append (text, "; ");
  g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "pulled %d person", "pulled %d people", (unsigned long) s->people), s->people);
  g_string_append (text, ", ");
  g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%d team", "%d teams", (unsigned long) s->teams), s->teams);
  g_string_append (text, ", ");
  g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%d sign-in lock", "%d sign-in locks", (unsigned long) s->locks), s->locks);
  g_string_append (text, ", ");
  g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%d setting", "%d settings", (unsigned long) s->settings), s->settings);
  g_string_append (text, ", ");
  g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%d kiosk", "%d kiosks", (unsigned long) s->kiosks), s->kiosks);
  if (s->calibration != NULL)
    g_string_append_printf (text, _(" and calibration %s (in force from the next start)"), s->calibration);
  if (s->policy)
    g_string_append (text, _("; the organization's privacy policy taken from the server (people confirm the new "
                             "notice)"));
  if (s->erasures_pushed > 0 || s->erasures_pulled > 0)
    {
      g_string_append (text, "; ");
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%d erasure passed on", "%d erasures passed on", (unsigned long) s->erasures_pushed),
                              s->erasures_pushed);
      g_string_append (text, ", ");
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%d erasure applied here",
                                             "%d erasures applied here", (unsigned long) s->erasures_pulled), s->erasures_pulled);
      g_string_append (text, " ");
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "(%d person erased)", "(%d people erased)", (unsigned long) s->people_erased),
                              s->people_erased);
    }
  if (s->views > 0)
    {
      g_string_append (text, "; ");
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%d record of who looked", "%d records of who looked", (unsigned long) s->views),
                              s->views);
    }
  for (guint i = 0; s->problems != NULL && i < s->problems->len; i++)
    g_string_append_printf (text, "\n%s", (const char *) g_ptr_array_index (s->problems, i));
  return g_string_free (text, FALSE);
}

/* --- the kiosk's own state --- */

static gboolean
state_set_tx (RsStore *store, const char *key, const char *value, GError **error)
{
  if (value == NULL)
    return rs_store_exec (store, error, "DELETE FROM sync_state WHERE key = ?", "s", key);
  return rs_store_exec (store, error,
                        "INSERT INTO sync_state (key, value) VALUES (?1, ?2)"
                        " ON CONFLICT (key) DO UPDATE SET value = excluded.value", "ss", key, value);
}

static char *
state_get_tx (RsStore *store, const char *key, GError **error)
{
  char *value = NULL;

  if (!rs_store_get_text (store, &value, error, "SELECT value FROM sync_state WHERE key = ?", "s", key))
    return NULL;
  return value;
}

/* The outcome of one try, for the status line; written even when the sync
 * failed, and never the reason the sync fails. */
static void
record_try (RsStore *store, gboolean ok, const GError *failure)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (rs_store_get_lock (store));
  g_autofree char *now = g_strdup_printf ("%" G_GINT64_FORMAT, rs_store_now ());
  gboolean done;

  if (!rs_store_begin (store, TRUE, NULL))
    return;
  done = state_set_tx (store, "last_attempt", now, NULL)
         && state_set_tx (store, "last_error", ok ? NULL : failure->message, NULL)
         && state_set_tx (store, "unreachable", !ok && rs_pg_error_is_unreachable (failure) ? "1" : NULL, NULL)
         && (!ok || state_set_tx (store, "last_success", now, NULL));
  rs_store_end (store, done, NULL);
}

GPtrArray *
rs_sync_outgoing (RsStore *store, GError **error)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (rs_store_get_lock (store));
  g_autoptr (GPtrArray) uuids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (RsStoreStmt) stmt = rs_store_query (store, error, OUTGOING_ATTEMPTS, "s", rs_store_kiosk_id (store));
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = rs_store_step (store, stmt, error)) == SQLITE_ROW)
    g_ptr_array_add (uuids, rs_store_column_strdup (stmt, 0));
  return rc == SQLITE_DONE ? g_steal_pointer (&uuids) : NULL;
}

/* --- push --- */

/* What to push: what rs_sync_outgoing says (new, changed, skipped or
 * refused since the last push), and anything the server holds less of
 * than this kiosk, whatever this kiosk believes it pushed: a server
 * restored from a backup taken before gets it again. */
static GPtrArray *
to_push (RsStore *store, RsPg *pg, GError **error)
{
  g_autoptr (GPtrArray) outgoing = rs_sync_outgoing (store, error);
  g_autoptr (GHashTable) chosen = NULL;
  g_autoptr (GHashTable) held = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (PGresult) server = NULL;
  g_autoptr (GPtrArray) all = g_ptr_array_new_with_free_func (g_free);

  if (outgoing == NULL)
    return NULL;
  server = rs_pg_query (pg, error, "SELECT uuid, n_responses, finished FROM reskill.kiosk_attempts ()", "");
  if (server == NULL)
    return NULL;
  for (int i = 0; i < PQntuples (server); i++)
    g_hash_table_insert (held, PQgetvalue (server, i, 0), GINT_TO_POINTER (i + 1));
  chosen = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < outgoing->len; i++)
    g_hash_table_add (chosen, g_ptr_array_index (outgoing, i));
  {
    g_autoptr (GMutexLocker) locker = g_mutex_locker_new (rs_store_get_lock (store));
    g_autoptr (RsStoreStmt) stmt = rs_store_query (store, error, OWN_ATTEMPTS, "s", rs_store_kiosk_id (store));
    int rc;

    if (stmt == NULL)
      return NULL;
    while ((rc = rs_store_step (store, stmt, error)) == SQLITE_ROW)
      {
        const char *uuid = (const char *) sqlite3_column_text (stmt, 0);
        int row = GPOINTER_TO_INT (g_hash_table_lookup (held, uuid)) - 1;
        /* A conflict the server kept its copy in stays one until this
         * attempt changes: not pushed again every time. */
        gboolean settled_conflict = sqlite3_column_int (stmt, 3) != 0;
        gboolean lacking = !settled_conflict
                           && (row < 0 || rs_pg_int (server, row, 1) < sqlite3_column_int (stmt, 1)
                               || (sqlite3_column_int (stmt, 2) != 0 && !rs_pg_bool (server, row, 2)));

        if (lacking || g_hash_table_contains (chosen, uuid))
          g_ptr_array_add (all, g_strdup (uuid));
      }
    if (rc != SQLITE_DONE)
      return NULL;
  }
  return g_steal_pointer (&all);
}

static gboolean
record_pushed (RsStore *store, const RsUnit *unit, const char *outcome, const char *detail, GError **error)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (rs_store_get_lock (store));

  return rs_store_exec (store, error,
                        "INSERT INTO sync_pushed (attempt_id, n_responses, finished, outcome, detail, at)"
                        " VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (attempt_id) DO UPDATE SET"
                        " n_responses = excluded.n_responses, finished = excluded.finished,"
                        " outcome = excluded.outcome, detail = excluded.detail, at = excluded.at",
                        "siissl", unit->attempt->uuid, (int) unit->attempt->responses->len,
                        unit->attempt->status == RS_ATTEMPT_FINISHED ? 1 : 0, outcome, detail, rs_store_now ());
}

static void
count_outcome (RsSyncSummary *s, const char *uuid, const char *outcome, const char *detail)
{
  if (g_str_equal (outcome, "added"))
    s->added++;
  else if (g_str_equal (outcome, "updated"))
    s->updated++;
  else if (g_str_equal (outcome, "unchanged"))
    s->unchanged++;
  else if (g_str_equal (outcome, "erased"))
    s->erased++;
  else
    {
      if (g_str_equal (outcome, "conflict"))
        s->conflicts++;
      else if (g_str_equal (outcome, "refused"))
        s->refused++;
      else
        s->skipped++;
      g_ptr_array_add (s->problems, g_strdup_printf ("%s: %s: %s", uuid, outcome, detail != NULL ? detail : ""));
    }
}

static gboolean
push_one (RsStore *store, RsPg *pg, const char *uuid, RsSyncSummary *summary, GError **error)
{
  g_autoptr (RsUnit) unit = rs_unit_load_attempt (store, uuid, error);
  g_autoptr (GBytes) body = NULL, signer = NULL, signature = NULL;
  g_autoptr (PGresult) result = NULL;
  g_autoptr (GError) local = NULL;
  const char *outcome, *detail;

  if (unit == NULL)
    return FALSE;
  rs_unit_sign (unit, rs_store_kiosk_key (store));
  body = rs_unit_serialize (unit);
  signer = g_bytes_new (unit->signer, sizeof unit->signer);
  signature = g_bytes_new (unit->signature, sizeof unit->signature);
  result = rs_pg_query (pg, &local, "SELECT outcome, detail FROM reskill.push_unit ($1::bytea, $2::bytea, $3::bytea)",
                        "xxx", body, signer, signature);
  summary->pushed++;
  if (result == NULL)
    {
      /* The unit itself was refused: kept here, offered again only when
       * it changes. Anything else (the server gone, a deadlock) ends the
       * sync: the unit is offered again next time. */
      if (local->domain != RS_ERROR
          || (local->code != RS_ERROR_INVALID && local->code != RS_ERROR_DENIED && local->code != RS_ERROR_DB_TOO_NEW))
        {
          summary->pushed--;
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
      count_outcome (summary, uuid, "refused", local->message);
      return record_pushed (store, unit, "refused", local->message, error);
    }
  outcome = rs_pg_text (result, 0, 0);
  detail = rs_pg_text (result, 0, 1);
  count_outcome (summary, uuid, outcome, detail);
  return record_pushed (store, unit, outcome, detail, error);
}

static gboolean
push_locks (RsStore *store, RsPg *pg, RsSyncSummary *summary, GError **error)
{
  g_autoptr (GArray) numbers = g_array_new (FALSE, TRUE, sizeof (gint64));
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

  {
    g_autoptr (GMutexLocker) locker = g_mutex_locker_new (rs_store_get_lock (store));
    g_autoptr (RsStoreStmt) stmt = rs_store_query (store, error,
                                                   "SELECT employee_no, locked_until, lock_count, last_failed_at"
                                                   " FROM sign_in_failures WHERE locked_until > ?", "l",
                                                   rs_store_now ());
    int rc;

    if (stmt == NULL)
      return FALSE;
    while ((rc = rs_store_step (store, stmt, error)) == SQLITE_ROW)
      {
        gint64 values[3] = { sqlite3_column_int64 (stmt, 1), sqlite3_column_int64 (stmt, 2),
                             sqlite3_column_int64 (stmt, 3) };

        g_ptr_array_add (names, rs_store_column_strdup (stmt, 0));
        g_array_append_vals (numbers, values, 3);
      }
    if (rc != SQLITE_DONE)
      return FALSE;
  }
  for (guint i = 0; i < names->len; i++)
    {
      gint64 *v = &g_array_index (numbers, gint64, 3 * i);

      if (!rs_pg_exec (pg, error, "SELECT reskill.report_lock ($1, $2::bigint, $3::int, $4::bigint)", "slil",
                       (const char *) g_ptr_array_index (names, i), v[0], (int) v[1], v[2]))
        return FALSE;
      summary->locks_pushed++;
    }
  return TRUE;
}

/* The erasures this kiosk made or received that the server lacks, each
 * signed with this kiosk's key as in its bundles; the server checks the
 * signature against this kiosk's enrolled key and applies them
 * (reskill.erase_person), and every other kiosk pulls them. */
static gboolean
push_erasures (RsStore *store, RsPg *pg, RsSyncSummary *summary, GError **error)
{
  g_autoptr (GPtrArray) units = g_ptr_array_new_with_free_func ((GDestroyNotify) rs_unit_free);
  g_autoptr (GHashTable) held = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (PGresult) server = rs_pg_query (pg, error, "SELECT uuid FROM reskill.erasures", "");

  if (server == NULL)
    return FALSE;
  for (int i = 0; i < PQntuples (server); i++)
    g_hash_table_add (held, PQgetvalue (server, i, 0));
  {
    g_autoptr (GMutexLocker) locker = g_mutex_locker_new (rs_store_get_lock (store));

    if (!rs_store_begin (store, FALSE, error)
        || !rs_store_end (store, rs_erasure_load_units_tx (store, units, error), error))
      return FALSE;
  }
  for (guint i = 0; i < units->len; i++)
    {
      RsUnit *unit = g_ptr_array_index (units, i);
      g_autoptr (GBytes) body = NULL, signer = NULL, signature = NULL;
      g_autoptr (PGresult) result = NULL;
      g_autoptr (GError) local = NULL;

      if (g_hash_table_contains (held, unit->erasure->uuid))
        continue;
      body = rs_unit_serialize (unit);
      signer = g_bytes_new (unit->signer, sizeof unit->signer);
      signature = g_bytes_new (unit->signature, sizeof unit->signature);
      result = rs_pg_query (pg, &local,
                            "SELECT outcome, detail FROM reskill.push_unit ($1::bytea, $2::bytea, $3::bytea)", "xxx",
                            body, signer, signature);
      if (result == NULL)
        {
          /* Refused (this kiosk's key no longer enrolled, say): said, and
           * offered again next time, as nothing here changes. */
          if (local->domain != RS_ERROR
              || (local->code != RS_ERROR_INVALID && local->code != RS_ERROR_DENIED
                  && local->code != RS_ERROR_DB_TOO_NEW))
            {
              g_propagate_error (error, g_steal_pointer (&local));
              return FALSE;
            }
          g_ptr_array_add (summary->problems, g_strdup_printf ("%s: refused: %s", unit->erasure->uuid,
                                                               local->message));
          continue;
        }
      if (g_strcmp0 (rs_pg_text (result, 0, 0), "skipped") == 0)
        g_ptr_array_add (summary->problems, g_strdup_printf ("%s: skipped: %s", unit->erasure->uuid,
                                                             rs_pg_text (result, 0, 1)));
      else
        summary->erasures_pushed++;
    }
  return TRUE;
}

/* --- pull --- */

typedef struct {
  char *cursor;                /* the snapshot's xmin: where the next pull starts */
  PGresult *teams;             /* id, name */
  PGresult *people;            /* employee_no, name, team_id, role, secret_hash, active */
  PGresult *managers;          /* team_id, employee_no */
  PGresult *locks;             /* employee_no, locked_until, lock_count, last_failed_at, lifted_at */
  PGresult *settings;          /* key, value */
  PGresult *kiosks;            /* kiosk_id, public_key (hex), fingerprint, name, revoked */
  PGresult *calibration;       /* uuid, created_at, min_responses, bank_version, summary */
  PGresult *items;
  PGresult *policy;            /* visibility, min_group, keep_results_months, keep_inactive_months,
                                * anonymous_answers, version */
  PGresult *team_policies;     /* team_id, visibility */
  PGresult *wording;           /* lang, text */
  PGresult *erasures;          /* uuid, kiosk_id, erased_at, employee_no, attempts (comma-separated) */
  PGresult *views;             /* at, viewer's employee_no, viewer_role, person's employee_no, what */
} Pulled;

static void
pulled_clear (Pulled *p)
{
  g_free (p->cursor);
  PQclear (p->teams);
  PQclear (p->people);
  PQclear (p->managers);
  PQclear (p->locks);
  PQclear (p->settings);
  PQclear (p->kiosks);
  PQclear (p->calibration);
  PQclear (p->items);
  PQclear (p->policy);
  PQclear (p->team_policies);
  PQclear (p->wording);
  PQclear (p->erasures);
  PQclear (p->views);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Pulled, pulled_clear)

/* Everything in one snapshot of the server. */
static gboolean
read_server (RsPg *pg, const char *since, Pulled *p, GError **error)
{
  g_autoptr (PGresult) cursor = NULL;
  gboolean ok;

  if (!rs_pg_exec (pg, error, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", ""))
    return FALSE;
  /* A cursor beyond the server's newest transaction means the server went
   * back (restored from a backup): then everything is pulled again. */
  cursor = rs_pg_query (pg, error,
                        "SELECT pg_snapshot_xmin (pg_current_snapshot ())::text,"
                        " CASE WHEN $1::xid8 > pg_snapshot_xmax (pg_current_snapshot ()) THEN '0' ELSE $1 END",
                        "s", since);
  ok = cursor != NULL;
  if (ok)
    {
      p->cursor = g_strdup (rs_pg_text (cursor, 0, 0));
      since = rs_pg_text (cursor, 0, 1);
    }
  ok = ok && (p->teams = rs_pg_query (pg, error, "SELECT id, name FROM reskill.teams ORDER BY id", "")) != NULL;
  ok = ok && (p->people = rs_pg_query (pg, error,
                                       "SELECT employee_no, name, coalesce (team_id, 0), role, secret_hash, active"
                                       " FROM reskill.people WHERE changed_xid >= $1::xid8 ORDER BY id",
                                       "s", since)) != NULL;
  ok = ok && (p->managers = rs_pg_query (pg, error,
                                         "SELECT m.team_id, p.employee_no FROM reskill.team_managers AS m"
                                         " JOIN reskill.people AS p ON p.id = m.person_id ORDER BY 1, 2", "")) != NULL;
  ok = ok && (p->locks = rs_pg_query (pg, error,
                                      "SELECT employee_no, locked_until, lock_count, last_failed_at, lifted_at"
                                      " FROM reskill.lockouts WHERE changed_xid >= $1::xid8", "s", since)) != NULL;
  ok = ok && (p->settings = rs_pg_query (pg, error, "SELECT key, value FROM reskill.settings ORDER BY key", ""))
             != NULL;
  ok = ok && (p->kiosks = rs_pg_query (pg, error,
                                       "SELECT kiosk_id, encode (public_key, 'hex'), fingerprint, name,"
                                       " revoked_at IS NOT NULL FROM reskill.kiosks ORDER BY fingerprint", "")) != NULL;
  ok = ok && (p->calibration = rs_pg_query (pg, error,
                                            "SELECT id, uuid, created_at, min_responses, bank_version, summary"
                                            " FROM reskill.calibrations ORDER BY created_at DESC, id DESC LIMIT 1",
                                            "")) != NULL;
  ok = ok && (p->policy = rs_pg_query (pg, error,
                                       "SELECT visibility, min_group, keep_results_months, keep_inactive_months,"
                                       " anonymous_answers, version FROM reskill.privacy_policy", "")) != NULL;
  ok = ok && (p->team_policies = rs_pg_query (pg, error,
                                              "SELECT team_id, visibility FROM reskill.team_policies ORDER BY team_id",
                                              "")) != NULL;
  ok = ok && (p->wording = rs_pg_query (pg, error, "SELECT lang, text FROM reskill.notice_wording ORDER BY lang", ""))
             != NULL;
  ok = ok && (p->erasures = rs_pg_query (pg, error,
                                         "SELECT e.uuid, e.kiosk_id, e.erased_at, e.employee_no,"
                                         " coalesce ((SELECT string_agg (a.attempt_id, ',' ORDER BY a.attempt_id COLLATE \"C\")"
                                         "            FROM reskill.erased_attempts AS a"
                                         "            WHERE a.erasure_uuid = e.uuid), '')"
                                         " FROM reskill.erasures AS e WHERE e.changed_xid >= $1::xid8"
                                         " ORDER BY e.erased_at, e.uuid", "s", since)) != NULL;
  ok = ok && (p->views = rs_pg_query (pg, error,
                                      "SELECT v.at, w.employee_no, v.viewer_role, p.employee_no, v.what"
                                      " FROM reskill.result_views AS v JOIN reskill.people AS p ON p.id = v.person_id"
                                      " LEFT JOIN reskill.people AS w ON w.id = v.viewer_id"
                                      " WHERE v.changed_xid >= $1::xid8 ORDER BY v.id", "s", since)) != NULL;
  if (ok && PQntuples (p->calibration) == 1)
    ok = (p->items = rs_pg_query (pg, error,
                                  "SELECT item_id, skill, model, status, anchor, n, a, b, c, se_a, se_b, se_c,"
                                  " fit_chi2, fit_df, fit_p, flags, decision, decided_at"
                                  " FROM reskill.calibration_items WHERE calibration_id = $1::bigint ORDER BY item_id",
                                  "l", rs_pg_int (p->calibration, 0, 0))) != NULL;
  return rs_pg_end (pg, ok, ok ? error : NULL) && ok;
}

static gboolean
local_team_tx (RsStore *store, GHashTable *team_map, gint64 server_id, gint64 *team_id)
{
  gpointer value = g_hash_table_lookup (team_map, &server_id);

  *team_id = value != NULL ? *(gint64 *) value : 0;
  return TRUE;
}

static gboolean
apply_teams_tx (RsStore *store, const PGresult *teams, GHashTable *team_map, RsSyncSummary *s, GError **error)
{
  for (int i = 0; i < PQntuples (teams); i++)
    {
      gint64 server_id = rs_pg_int (teams, i, 0);
      const char *name = rs_pg_text (teams, i, 1);
      gint64 team_id = 0;
      gint64 *key = g_new (gint64, 2);
      g_autofree char *local_name = NULL;

      if (!rs_store_get_int (store, &team_id, error, "SELECT team_id FROM server_teams WHERE server_id = ?", "l",
                             server_id))
        {
          g_free (key);
          return FALSE;
        }
      if (team_id != 0)
        {
          if (!rs_store_get_text (store, &local_name, error, "SELECT name FROM teams WHERE id = ?", "l", team_id))
            {
              g_free (key);
              return FALSE;
            }
          /* Renamed on the server: renamed here, unless a team of this
           * kiosk's own has the new name (then both stay as they are). */
          if (g_strcmp0 (local_name, name) != 0)
            {
              if (!rs_store_exec (store, error, "UPDATE OR IGNORE teams SET name = ? WHERE id = ?", "sl", name,
                                  team_id))
                {
                  g_free (key);
                  return FALSE;
                }
              s->teams++;
            }
        }
      else
        {
          if (!rs_store_get_int (store, &team_id, error, "SELECT id FROM teams WHERE name = ?", "s", name)
              || (team_id == 0
                  && (!rs_store_exec (store, error, "INSERT INTO teams (name) VALUES (?)", "s", name)
                      || !rs_store_get_int (store, &team_id, error, "SELECT id FROM teams WHERE name = ?", "s", name)))
              || !rs_store_exec (store, error,
                                 "INSERT OR REPLACE INTO server_teams (server_id, team_id) VALUES (?, ?)", "ll",
                                 server_id, team_id))
            {
              g_free (key);
              return FALSE;
            }
          s->teams++;
        }
      key[0] = server_id;
      key[1] = team_id;
      g_hash_table_insert (team_map, key, &key[1]);
    }
  return TRUE;
}

static gboolean
apply_people_tx (RsStore *store, const PGresult *people, GHashTable *team_map, RsSyncSummary *s, GError **error)
{
  for (int i = 0; i < PQntuples (people); i++)
    {
      const char *number = rs_pg_text (people, i, 0), *name = rs_pg_text (people, i, 1);
      const char *role = rs_pg_text (people, i, 3), *hash = rs_pg_text (people, i, 4);
      gboolean active = rs_pg_bool (people, i, 5);
      gint64 team_id = 0, person_id = 0, same = 0;

      local_team_tx (store, team_map, rs_pg_int (people, i, 2), &team_id);
      if (!rs_store_get_int (store, &person_id, error, "SELECT id FROM people WHERE employee_no = ?", "s", number))
        return FALSE;
      if (person_id == 0)
        {
          if (!rs_store_exec (store, error,
                              "INSERT INTO people (employee_no, name, team_id, role, secret_hash, active)"
                              " VALUES (?, ?, ?, ?, ?, ?)", "ssrssi", number, name, team_id, role, hash, active))
            return FALSE;
          s->people++;
          continue;
        }
      if (!rs_store_get_int (store, &same, error,
                             "SELECT count(*) FROM people WHERE id = ? AND name = ? AND team_id IS ? AND role = ?"
                             " AND secret_hash IS ? AND active = ?", "lsrssi", person_id, name, team_id, role, hash,
                             active))
        return FALSE;
      if (same == 1)
        continue;
      if (!rs_store_exec (store, error,
                          "UPDATE people SET name = ?, team_id = ?, role = ?, secret_hash = ?, active = ? WHERE id = ?",
                          "srssil", name, team_id, role, hash, active, person_id))
        return FALSE;
      s->people++;
    }
  return TRUE;
}

/* Who manages the server's teams, as the server says; teams this kiosk
 * made on its own keep theirs. */
static gboolean
apply_managers_tx (RsStore *store, const PGresult *managers, GHashTable *team_map, GError **error)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, team_map);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (!rs_store_exec (store, error, "DELETE FROM team_managers WHERE team_id = ?", "l", *(gint64 *) value))
      return FALSE;
  for (int i = 0; i < PQntuples (managers); i++)
    {
      gint64 team_id = 0;

      local_team_tx (store, team_map, rs_pg_int (managers, i, 0), &team_id);
      if (team_id != 0
          && !rs_store_exec (store, error,
                             "INSERT OR IGNORE INTO team_managers (team_id, person_id)"
                             " SELECT ?, id FROM people WHERE employee_no = ?", "ls", team_id,
                             rs_pg_text (managers, i, 1)))
        return FALSE;
    }
  return TRUE;
}

/* A lock anywhere locks here too; an administrator's unlock on the server
 * lifts the locks here that began before it. */
static gboolean
apply_locks_tx (RsStore *store, const PGresult *locks, RsSyncSummary *s, GError **error)
{
  for (int i = 0; i < PQntuples (locks); i++)
    {
      const char *number = rs_pg_text (locks, i, 0);
      gint64 until = rs_pg_int (locks, i, 1), count = rs_pg_int (locks, i, 2), failed = rs_pg_int (locks, i, 3);
      gint64 lifted = rs_pg_int (locks, i, 4), local_failed = -1, changed = 0;

      if (!rs_store_get_int (store, &local_failed, error,
                             "SELECT last_failed_at FROM sign_in_failures WHERE employee_no = ?", "s", number))
        return FALSE;
      if (lifted > 0 && local_failed >= 0 && local_failed < lifted)
        {
          if (!rs_store_exec (store, error, "DELETE FROM sign_in_failures WHERE employee_no = ?", "s", number))
            return FALSE;
          s->locks++;
          continue;
        }
      if (until <= rs_store_now () || failed <= lifted)
        continue;
      if (!rs_store_exec (store, error,
                          "INSERT INTO sign_in_failures (employee_no, failed_count, locked_until, lock_count,"
                          " last_failed_at) VALUES (?1, ?5, ?2, ?3, ?4) ON CONFLICT (employee_no) DO UPDATE SET"
                          " locked_until = max (locked_until, ?2), lock_count = max (lock_count, ?3),"
                          " last_failed_at = max (last_failed_at, ?4)"
                          " WHERE locked_until < ?2 OR lock_count < ?3", "sllli", number, until, count, failed,
                          RS_STORE_MAX_FAILED_PINS)
          || !rs_store_get_int (store, &changed, error, "SELECT changes ()", ""))
        return FALSE;
      s->locks += changed > 0;
    }
  return TRUE;
}

/* The organization's kiosks: trusted here for bundles too; revoked there,
 * revoked here. A kiosk this kiosk's administrator revoked stays revoked. */
static gboolean
apply_kiosks_tx (RsStore *store, const PGresult *kiosks, RsSyncSummary *s, GError **error)
{
  for (int i = 0; i < PQntuples (kiosks); i++)
    {
      const char *fingerprint = rs_pg_text (kiosks, i, 2), *name = rs_pg_text (kiosks, i, 3);
      gboolean revoked = rs_pg_bool (kiosks, i, 4);
      gint64 known = 0, revoked_here = 0, changed = 0;
      g_autofree char *label = g_strdup_printf ("%s (server)", name != NULL ? name : rs_pg_text (kiosks, i, 0));

      if (g_strcmp0 (fingerprint, rs_store_key_fingerprint (store)) == 0)
        continue;
      if (!rs_store_get_int (store, &known, error, "SELECT count(*) FROM trusted_kiosks WHERE fingerprint = ?", "s",
                             fingerprint)
          || !rs_store_get_int (store, &revoked_here, error,
                                "SELECT count(*) FROM trusted_kiosks WHERE fingerprint = ? AND revoked_at IS NOT NULL",
                                "s", fingerprint))
        return FALSE;
      if (revoked)
        {
          if (known && !revoked_here
              && !rs_store_exec (store, error, "UPDATE trusted_kiosks SET revoked_at = ? WHERE fingerprint = ?", "ls",
                                 rs_store_now (), fingerprint))
            return FALSE;
          s->kiosks += known && !revoked_here;
          continue;
        }
      if (!rs_store_exec (store, error,
                          "INSERT INTO trusted_kiosks (fingerprint, public_key, name, trusted_at) VALUES (?, ?, ?, ?)"
                          " ON CONFLICT (fingerprint) DO UPDATE SET public_key = excluded.public_key"
                          " WHERE trusted_kiosks.public_key IS NULL", "sssl", fingerprint, rs_pg_text (kiosks, i, 1),
                          label, rs_store_now ())
          || !rs_store_get_int (store, &changed, error, "SELECT changes ()", ""))
        return FALSE;
      s->kiosks += !known;
    }
  return TRUE;
}

static gboolean
apply_calibration_tx (RsStore *store, const Pulled *p, RsSyncSummary *s, GError **error)
{
  const char *uuid;
  gint64 id = 0;

  if (p->calibration == NULL || PQntuples (p->calibration) != 1)
    return TRUE;
  uuid = rs_pg_text (p->calibration, 0, 1);
  if (!rs_store_get_int (store, &id, error, "SELECT id FROM calibrations WHERE uuid = ?", "s", uuid))
    return FALSE;
  if (id == 0)
    {
      if (!rs_store_exec (store, error,
                          "INSERT INTO calibrations (uuid, created_at, min_responses, bank_version, summary)"
                          " VALUES (?, ?, ?, ?, ?)", "slis" "s", uuid, rs_pg_int (p->calibration, 0, 2),
                          (int) rs_pg_int (p->calibration, 0, 3), rs_pg_text (p->calibration, 0, 4),
                          rs_pg_text (p->calibration, 0, 5))
          || !rs_store_get_int (store, &id, error, "SELECT id FROM calibrations WHERE uuid = ?", "s", uuid))
        return FALSE;
      for (int i = 0; i < PQntuples (p->items); i++)
        if (!rs_store_exec (store, error,
                            "INSERT INTO calibration_items (calibration_id, item_id, skill, model, status, anchor, n,"
                            " a, b, c, se_a, se_b, se_c, fit_chi2, fit_df, fit_p, flags, decision, decided_at)"
                            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                            "lssssiidsddsddidssr", id, rs_pg_text (p->items, i, 0), rs_pg_text (p->items, i, 1),
                            rs_pg_text (p->items, i, 2), rs_pg_text (p->items, i, 3),
                            rs_pg_bool (p->items, i, 4) ? 1 : 0, (int) rs_pg_int (p->items, i, 5),
                            rs_pg_double (p->items, i, 6), rs_pg_text (p->items, i, 7), rs_pg_double (p->items, i, 8),
                            rs_pg_double (p->items, i, 9), rs_pg_text (p->items, i, 10),
                            rs_pg_double (p->items, i, 11), rs_pg_double (p->items, i, 12),
                            (int) rs_pg_int (p->items, i, 13), rs_pg_double (p->items, i, 14),
                            rs_pg_text (p->items, i, 15), rs_pg_text (p->items, i, 16), rs_pg_int (p->items, i, 17)))
          return FALSE;
      s->calibration = g_strdup (uuid);
      return TRUE;
    }
  /* The same calibration: an administrator's decisions on flagged items
   * follow. */
  for (int i = 0; i < PQntuples (p->items); i++)
    {
      gint64 changed = 0;

      if (!rs_store_exec (store, error,
                          "UPDATE calibration_items SET decision = ?, decided_at = ? WHERE calibration_id = ?"
                          " AND item_id = ? AND decision IS NOT ?", "srlss", rs_pg_text (p->items, i, 16),
                          rs_pg_int (p->items, i, 17), id, rs_pg_text (p->items, i, 0), rs_pg_text (p->items, i, 16))
          || !rs_store_get_int (store, &changed, error, "SELECT changes ()", ""))
        return FALSE;
      if (changed > 0 && s->calibration == NULL)
        s->calibration = g_strdup (uuid);
    }
  return TRUE;
}

/* Erasures made anywhere in the organization: applied here as an
 * erasure from a bundle is (rs_erasure_apply_tx: the person's rows gone,
 * the tombstone kept and passed on). The server is trusted as for
 * everything it sends: the kiosk that made each one was checked there. */
static gboolean
apply_erasures_tx (RsStore *store, const PGresult *erasures, RsSyncSummary *s, GError **error)
{
  for (int i = 0; i < PQntuples (erasures); i++)
    {
      RsErasureRecord *record = rs_erasure_record_new ();
      g_autoptr (RsUnit) unit = NULL;
      g_auto (GStrv) attempts = NULL;
      RsErasureOutcome outcome;
      guint n_people = 0;

      record->uuid = g_strdup (rs_pg_text (erasures, i, 0));
      record->kiosk_id = g_strdup (rs_pg_text (erasures, i, 1));
      record->erased_at = rs_pg_int (erasures, i, 2);
      attempts = g_strsplit (rs_pg_text (erasures, i, 4), ",", -1);
      for (char **a = attempts; *a != NULL; a++)
        if (**a != '\0')
          g_ptr_array_add (record->attempts, g_strdup (*a));
      unit = rs_unit_new_erasure (record, rs_pg_text (erasures, i, 3));
      if (!rs_erasure_apply_tx (store, rs_people_operator (), unit, "server", &outcome, &n_people, error))
        return FALSE;
      if (outcome == RS_ERASURE_APPLIED)
        {
          /* What was pushed of the erased attempts goes with them. */
          s->erasures_pulled++;
          s->people_erased += (int) n_people;
        }
      else if (outcome == RS_ERASURE_LAST_ADMIN)
        g_ptr_array_add (s->problems,
                         g_strdup_printf (_("%s: not applied: it would erase this kiosk's last administrator"),
                                          record->uuid));
    }
  return TRUE;
}

/* The organization's privacy policy: the server's wins. Each kiosk's own
 * policy, team overrides of the server's teams and notice wording become
 * the server's whenever they differ (a change made at a kiosk is undone at
 * its next sync), with a new notice version, so that everybody confirms
 * what is now in force. Teams this kiosk made on its own keep theirs. */
static gboolean
apply_policy_tx (RsStore *store, const Pulled *p, GHashTable *team_map, RsSyncSummary *s, GError **error)
{
  g_autoptr (GHashTable) server_teams = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  const PGresult *policy = p->policy;
  gint64 same = 0, n_local_wording = 0;
  gboolean differs = FALSE;
  GHashTableIter iter;
  gpointer key, value;

  if (PQntuples (policy) != 1)
    return TRUE;
  if (!rs_store_get_int (store, &same, error,
                         "SELECT count(*) FROM privacy_policy WHERE id = 1 AND visibility = ? AND min_group = ?"
                         " AND keep_results_months = ? AND keep_inactive_months = ? AND anonymous_answers = ?", "siiii",
                         rs_pg_text (policy, 0, 0), (int) rs_pg_int (policy, 0, 1), (int) rs_pg_int (policy, 0, 2),
                         (int) rs_pg_int (policy, 0, 3), rs_pg_bool (policy, 0, 4) ? 1 : 0))
    return FALSE;
  differs = same != 1;
  for (int i = 0; i < PQntuples (p->team_policies); i++)
    {
      gint64 *id = g_new (gint64, 1);

      *id = rs_pg_int (p->team_policies, i, 0);
      g_hash_table_insert (server_teams, id, (gpointer) rs_pg_text (p->team_policies, i, 1));
    }
  g_hash_table_iter_init (&iter, team_map);
  while (!differs && g_hash_table_iter_next (&iter, &key, &value))
    {
      const char *wanted = g_hash_table_lookup (server_teams, key);
      g_autofree char *local = NULL;

      if (!rs_store_get_text (store, &local, error, "SELECT visibility FROM team_policies WHERE team_id = ?", "l",
                              *(gint64 *) value))
        return FALSE;
      differs = g_strcmp0 (local, wanted) != 0;
    }
  if (!rs_store_get_int (store, &n_local_wording, error, "SELECT count(*) FROM notice_wording", ""))
    return FALSE;
  differs = differs || n_local_wording != PQntuples (p->wording);
  for (int i = 0; !differs && i < PQntuples (p->wording); i++)
    {
      gint64 found = 0;

      if (!rs_store_get_int (store, &found, error, "SELECT count(*) FROM notice_wording WHERE lang = ? AND text = ?",
                             "ss", rs_pg_text (p->wording, i, 0), rs_pg_text (p->wording, i, 1)))
        return FALSE;
      differs = found != 1;
    }
  if (!differs)
    return TRUE;
  if (!rs_store_exec (store, error,
                      "UPDATE privacy_policy SET visibility = ?, min_group = ?, keep_results_months = ?,"
                      " keep_inactive_months = ?, anonymous_answers = ?, version = version + 1, changed_at = ?,"
                      " changed_by = NULL WHERE id = 1", "siiiil", rs_pg_text (policy, 0, 0),
                      (int) rs_pg_int (policy, 0, 1), (int) rs_pg_int (policy, 0, 2), (int) rs_pg_int (policy, 0, 3),
                      rs_pg_bool (policy, 0, 4) ? 1 : 0, rs_store_now ()))
    return FALSE;
  g_hash_table_iter_init (&iter, team_map);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const char *wanted = g_hash_table_lookup (server_teams, key);

      if (!rs_store_exec (store, error, "DELETE FROM team_policies WHERE team_id = ?", "l", *(gint64 *) value)
          || (wanted != NULL
              && !rs_store_exec (store, error, "INSERT INTO team_policies (team_id, visibility) VALUES (?, ?)", "ls",
                                 *(gint64 *) value, wanted)))
        return FALSE;
    }
  if (!rs_store_exec (store, error, "DELETE FROM notice_wording", ""))
    return FALSE;
  for (int i = 0; i < PQntuples (p->wording); i++)
    if (!rs_store_exec (store, error, "INSERT INTO notice_wording (lang, text) VALUES (?, ?)", "ss",
                        rs_pg_text (p->wording, i, 0), rs_pg_text (p->wording, i, 1)))
      return FALSE;
  s->policy = TRUE;
  {
    g_autofree char *detail = g_strdup_printf ("from the organization's server (its version %s): %s",
                                               rs_pg_text (policy, 0, 5), rs_pg_text (policy, 0, 0));

    return rs_store_exec (store, error, "INSERT INTO audit (at, person_id, event, detail) VALUES (?, NULL, ?, ?)",
                          "lss", rs_store_now (), "privacy-policy", detail);
  }
}

/* Who looked at whose results on the server: kept here too, so that the
 * person sees it at any kiosk (rs_person_who_looked). A record pulled
 * again (after the server was restored) is not doubled. */
static gboolean
apply_views_tx (RsStore *store, const PGresult *views, RsSyncSummary *s, GError **error)
{
  for (int i = 0; i < PQntuples (views); i++)
    {
      gint64 person = 0, viewer = 0, had = 0;

      if (!rs_store_get_int (store, &person, error, "SELECT id FROM people WHERE employee_no = ?", "s",
                             rs_pg_text (views, i, 3)))
        return FALSE;
      if (person == 0)
        continue;
      if (rs_pg_text (views, i, 1) != NULL
          && !rs_store_get_int (store, &viewer, error, "SELECT id FROM people WHERE employee_no = ?", "s",
                                rs_pg_text (views, i, 1)))
        return FALSE;
      if (!rs_store_get_int (store, &had, error,
                             "SELECT count(*) FROM result_views WHERE at = ? AND person_id = ? AND viewer_id IS ?"
                             " AND what = ?", "llrs", rs_pg_int (views, i, 0), person, viewer,
                             rs_pg_text (views, i, 4)))
        return FALSE;
      if (had > 0)
        continue;
      if (!rs_store_exec (store, error,
                          "INSERT INTO result_views (at, viewer_id, viewer_role, person_id, what)"
                          " VALUES (?, ?, ?, ?, ?)", "lrsls", rs_pg_int (views, i, 0), viewer,
                          rs_pg_text (views, i, 2), person, rs_pg_text (views, i, 4)))
        return FALSE;
      s->views++;
    }
  return TRUE;
}

static gboolean
apply_tx (RsStore *store, const Pulled *p, const char *server_id, RsSyncSummary *s, GError **error)
{
  g_autoptr (GHashTable) team_map = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autofree char *detail = NULL;

  if (!apply_teams_tx (store, p->teams, team_map, s, error)
      || !apply_people_tx (store, p->people, team_map, s, error)
      || !apply_managers_tx (store, p->managers, team_map, error)
      || !apply_locks_tx (store, p->locks, s, error)
      || !apply_kiosks_tx (store, p->kiosks, s, error)
      || !apply_calibration_tx (store, p, s, error)
      || !apply_erasures_tx (store, p->erasures, s, error)
      || !apply_policy_tx (store, p, team_map, s, error)
      || !apply_views_tx (store, p->views, s, error)
      || !state_set_tx (store, "server_id", server_id, error)
      || !state_set_tx (store, "pull_cursor", p->cursor, error))
    return FALSE;
  if (s->people + s->teams + s->locks + s->kiosks + s->erasures_pulled == 0 && s->calibration == NULL)
    return TRUE;
  detail = g_strdup_printf ("from the organization's server: %d people, %d teams, %d sign-in locks, %d kiosks%s%s",
                            s->people, s->teams, s->locks, s->kiosks, s->calibration != NULL ? ", calibration " : "",
                            s->calibration != NULL ? s->calibration : "");
  return rs_store_exec (store, error, "INSERT INTO audit (at, person_id, event, detail) VALUES (?, NULL, ?, ?)", "lss",
                        rs_store_now (), "synced", detail);
}

static void
apply_settings (GSettings *settings, const PGresult *rows, RsSyncSummary *s)
{
  g_autoptr (GSettingsSchema) schema = NULL;

  if (settings == NULL)
    return;
  g_object_get (settings, "settings-schema", &schema, NULL);
  for (int i = 0; i < PQntuples (rows); i++)
    {
      const char *key = rs_pg_text (rows, i, 0);
      g_autoptr (GVariant) value = NULL;
      g_autoptr (GVariant) current = NULL;
      g_autoptr (GSettingsSchemaKey) schema_key = NULL;

      /* Checked again here: the server's table only knows the key names. */
      if (!rs_server_setting_parse (key, rs_pg_text (rows, i, 1), &value, NULL) || schema == NULL
          || !g_settings_schema_has_key (schema, key))
        continue;
      schema_key = g_settings_schema_get_key (schema, key);
      if (!g_settings_schema_key_range_check (schema_key, value))
        continue;
      current = g_settings_get_value (settings, key);
      if (g_variant_equal (current, value))
        continue;
      if (g_settings_set_value (settings, key, value))
        s->settings++;
    }
}

static gboolean
pull (RsStore *store, RsPg *pg, const char *server_id, GSettings *settings, RsSyncSummary *s, GError **error)
{
  g_auto (Pulled) p = { 0 };
  g_autofree char *since = NULL;

  {
    g_autoptr (GMutexLocker) locker = g_mutex_locker_new (rs_store_get_lock (store));
    GError *local = NULL;

    since = state_get_tx (store, "pull_cursor", &local);
    if (local != NULL)
      {
        g_propagate_error (error, local);
        return FALSE;
      }
  }
  if (!read_server (pg, since != NULL ? since : "0", &p, error))
    return FALSE;
  {
    g_autoptr (GMutexLocker) locker = g_mutex_locker_new (rs_store_get_lock (store));

    if (!rs_store_begin (store, TRUE, error) || !rs_store_end (store, apply_tx (store, &p, server_id, s, error), error))
      return FALSE;
  }
  apply_settings (settings, p.settings, s);
  /* Only for the administrator's list of kiosks: a failure is no reason
   * to call the sync failed. */
  rs_pg_exec (pg, NULL, "SELECT reskill.kiosk_pulled ()", "");
  return TRUE;
}

/* --- the sync --- */

/* The server this kiosk synced with before: when it is another one (set up
 * anew, or a different organization), everything is pushed and pulled
 * again from the start. */
static gboolean
check_server (RsStore *store, RsPg *pg, const char *server_id, GError **error)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (rs_store_get_lock (store));
  g_autofree char *before = NULL;
  g_autoptr (PGresult) me = NULL;
  GError *local = NULL;

  me = rs_pg_query (pg, error, "SELECT reskill.my_kiosk ()", "");
  if (me == NULL)
    return FALSE;
  if (rs_pg_text (me, 0, 0) == NULL)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_DENIED,
                   _("%s is not the login of an enrolled kiosk (or the kiosk was revoked): an administrator enrolls "
                     "this kiosk with reskill server enroll"), rs_pg_user (pg));
      return FALSE;
    }
  if (g_strcmp0 (rs_pg_text (me, 0, 0), rs_store_kiosk_id (store)) != 0)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_DENIED,
                   _("%s is the login of kiosk %s, and this database is kiosk %s: each kiosk syncs with its own login"),
                   rs_pg_user (pg), rs_pg_text (me, 0, 0), rs_store_kiosk_id (store));
      return FALSE;
    }
  before = state_get_tx (store, "server_id", &local);
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  if (before == NULL || g_str_equal (before, server_id))
    return TRUE;
  return rs_store_begin (store, TRUE, error)
         && rs_store_end (store,
                          rs_store_exec (store, error, "DELETE FROM sync_pushed", "")
                            && state_set_tx (store, "pull_cursor", NULL, error)
                            && state_set_tx (store, "server_id", server_id, error),
                          error);
}

static gboolean
sync_with (RsStore *store, const char *conninfo, const RsSyncOptions *options, RsSyncSummary *summary,
           GError **error)
{
  g_autofree char *server_id = NULL;
  g_autoptr (RsPg) pg = NULL;
  g_autoptr (GPtrArray) outgoing = NULL;

  if (rs_store_is_read_only (store) || !rs_store_has_key (store))
    {
      g_set_error (error, RS_ERROR, RS_ERROR_DB_READONLY, _("%s is read-only: it cannot sync."),
                   rs_store_path (store));
      return FALSE;
    }
  pg = rs_server_open (conninfo, options != NULL ? options->password : NULL, &server_id, error);
  if (pg == NULL || !check_server (store, pg, server_id, error))
    return FALSE;
  outgoing = to_push (store, pg, error);
  if (outgoing == NULL)
    return FALSE;
  for (guint i = 0; i < outgoing->len; i++)
    {
      if (options != NULL && g_cancellable_set_error_if_cancelled (options->cancellable, error))
        return FALSE;
      if (!push_one (store, pg, g_ptr_array_index (outgoing, i), summary, error))
        return FALSE;
    }
  return push_locks (store, pg, summary, error)
         && push_erasures (store, pg, summary, error)
         && pull (store, pg, server_id, options != NULL ? options->settings : NULL, summary, error);
}

gboolean
rs_sync (RsStore *store, const char *conninfo, const RsSyncOptions *options, RsSyncSummary *summary_out,
         GError **error)
{
  RsSyncSummary summary = { .problems = g_ptr_array_new_with_free_func (g_free) };
  GError *local = NULL;
  gboolean ok;

  g_return_val_if_fail (store != NULL, FALSE);
  ok = sync_with (store, conninfo, options, &summary, &local);
  if (!ok && rs_pg_error_is_unreachable (local))
    g_prefix_error (&local, "%s", "");
  record_try (store, ok, local);
  if (!ok)
    {
      rs_sync_summary_clear (&summary);
      g_propagate_error (error, local);
      return FALSE;
    }
  if (summary_out != NULL)
    *summary_out = summary;
  else
    rs_sync_summary_clear (&summary);
  return TRUE;
}

/* --- status --- */

void
rs_sync_status_clear (RsSyncStatus *status)
{
  if (status == NULL)
    return;
  g_clear_pointer (&status->last_error, g_free);
  g_clear_pointer (&status->server_id, g_free);
}

gboolean
rs_sync_status (RsStore *store, RsSyncStatus *status, GError **error)
{
  g_autoptr (GPtrArray) outgoing = rs_sync_outgoing (store, error);
  g_autoptr (GMutexLocker) locker = NULL;
  g_autofree char *success = NULL, *tried = NULL, *unreachable = NULL;
  GError *local = NULL;

  *status = (RsSyncStatus) { 0 };
  if (outgoing == NULL)
    return FALSE;
  status->waiting = (int) outgoing->len;
  locker = g_mutex_locker_new (rs_store_get_lock (store));
  success = state_get_tx (store, "last_success", &local);
  if (local == NULL)
    tried = state_get_tx (store, "last_attempt", &local);
  if (local == NULL)
    status->last_error = state_get_tx (store, "last_error", &local);
  if (local == NULL)
    unreachable = state_get_tx (store, "unreachable", &local);
  if (local == NULL)
    status->server_id = state_get_tx (store, "server_id", &local);
  if (local != NULL)
    {
      rs_sync_status_clear (status);
      g_propagate_error (error, local);
      return FALSE;
    }
  status->last_success = success != NULL ? g_ascii_strtoll (success, NULL, 10) : 0;
  status->last_attempt = tried != NULL ? g_ascii_strtoll (tried, NULL, 10) : 0;
  status->unreachable = unreachable != NULL;
  return TRUE;
}

static char *
time_of (gint64 unix_us)
{
  g_autoptr (GDateTime) time = g_date_time_new_from_unix_local (unix_us / G_USEC_PER_SEC);
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();

  if (time == NULL)
    return g_strdup ("?");
  if (g_date_time_get_year (time) == g_date_time_get_year (now)
      && g_date_time_get_day_of_year (time) == g_date_time_get_day_of_year (now))
    return g_date_time_format (time, "%H:%M");
  return g_date_time_format (time, "%Y-%m-%d %H:%M");
}

char *
rs_sync_status_describe (const RsSyncStatus *status)
{
  /* Translators: attempts this kiosk has not yet sent to the server. */
  g_autofree char *waiting = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d attempt waiting",
                                                           "%d attempts waiting", status->waiting),
                                              status->waiting);

  if (status->last_attempt == 0)
    /* Translators: %s is "3 attempts waiting". */
    return g_strdup_printf (_("Never synced; %s"), waiting);
  if (status->last_error == NULL)
    {
      g_autofree char *when = time_of (status->last_success);
      /* Translators: a time ("14:05" or "2026-03-14 14:05"), then "3 attempts waiting". */
      return g_strdup_printf (_("Synced at %s; %s"), when, waiting);
    }
  {
    g_autofree char *when = time_of (status->last_attempt);
    g_autofree char *last = status->last_success > 0 ? time_of (status->last_success) : g_strdup (_("never"));

    if (status->unreachable)
      /* Translators: two times, then "3 attempts waiting". */
      return g_strdup_printf (_("Server unreachable at %s (last sync %s); this kiosk keeps working; %s"), when,
                              last, waiting);
    /* Translators: two times, the server's error, then "3 attempts waiting". */
    return g_strdup_printf (_("Sync failed at %s (last sync %s): %s; %s"), when, last, status->last_error, waiting);
  }
}

char *
rs_sync_configured_server (GSettings *settings)
{
  g_autoptr (GSettingsSchema) schema = NULL;
  g_autofree char *value = NULL;

  if (settings == NULL)
    return NULL;
  g_object_get (settings, "settings-schema", &schema, NULL);
  if (schema == NULL || !g_settings_schema_has_key (schema, "server"))
    return NULL;
  value = g_strstrip (g_settings_get_string (settings, "server"));
  return value[0] != '\0' ? g_steal_pointer (&value) : NULL;
}
