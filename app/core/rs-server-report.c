/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Reports, statistics and calibration from the organization's server; see
 * rs-server-report.h. The queries read what row-level security lets this
 * login see and nothing else: no query here filters by the viewer's
 * rights itself (the access rule lives on the server, in
 * reskill.visible_people () and reskill.visible_teams ()). Names sort as
 * SQLite sorts them (byte order, COLLATE "C"), so that lists come out as
 * on a kiosk. */
#include "rs-server-report.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "rs-access.h"
#include "rs-error.h"
#include "rs-i18n.h"
#include "rs-privacy.h"
#include "rs-report-private.h"

RsPerson *
rs_server_viewer (RsPg *pg, GError **error)
{
  g_autoptr (PGresult) result = rs_pg_query (pg, error,
                                             "SELECT p.id, p.employee_no, p.name, coalesce (p.team_id, 0), t.name,"
                                             " p.role, p.active FROM reskill.people AS p"
                                             " LEFT JOIN reskill.teams AS t ON t.id = p.team_id"
                                             " WHERE p.id = reskill.me ()", "");
  RsPerson *person;

  if (result == NULL)
    return NULL;
  if (PQntuples (result) != 1)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_DENIED,
                   _("The login %s belongs to no active person on the server: reports are for the people an "
                     "administrator gave a login (reskill server add-login)."), rs_pg_user (pg));
      return NULL;
    }
  person = g_new0 (RsPerson, 1);
  person->id = rs_pg_int (result, 0, 0);
  person->employee_no = g_strdup (rs_pg_text (result, 0, 1));
  person->name = g_strdup (rs_pg_text (result, 0, 2));
  person->team_id = rs_pg_int (result, 0, 3);
  person->team_name = g_strdup (rs_pg_text (result, 0, 4));
  rs_person_role_from_id (rs_pg_text (result, 0, 5), &person->role);
  person->active = rs_pg_bool (result, 0, 6);
  return person;
}

gboolean
rs_server_find_team (RsPg *pg, const RsPerson *viewer, const char *name, gint64 *team_id, GError **error)
{
  g_autoptr (PGresult) result = NULL;

  if (viewer->role == RS_PERSON_EMPLOYEE)
    {
      g_set_error_literal (error, RS_ERROR, RS_ERROR_DENIED, _("Team reports are for the team's manager."));
      return FALSE;
    }
  result = rs_pg_query (pg, error, "SELECT id FROM reskill.teams WHERE name = $1", "s", name);
  if (result == NULL)
    return FALSE;
  if (PQntuples (result) == 1)
    {
      *team_id = rs_pg_int (result, 0, 0);
      return TRUE;
    }
  /* A team the server hides from this manager, or none at all: the same
   * words either way. */
  if (viewer->role == RS_PERSON_ADMIN)
    g_set_error (error, RS_ERROR, RS_ERROR_NOT_FOUND, _("There is no team named \u201c%s\u201d."), name);
  else
    g_set_error_literal (error, RS_ERROR, RS_ERROR_DENIED, _("You can only see the teams you lead."));
  return FALSE;
}

/* The view the rule gives a leader of the team under the policy the
 * server says is in force there (rs_access_team_view's, from the server's
 * rows). */
static RsTeamView
view_from_row (const PGresult *rows, int row)
{
  RsTeamView view = { .visibility = RS_PRIVACY_DEFAULT_VISIBILITY, .min_group = RS_PRIVACY_DEFAULT_MIN_GROUP };
  RsVisibility visibility;

  if (rs_visibility_from_id (rs_pg_text (rows, row, 16), FALSE, &visibility))
    view.visibility = visibility;
  view.min_group = (guint) rs_pg_int (rows, row, 17);
  view.names = rs_access_rule (view.visibility, RS_RELATION_LEADER, RS_DETAIL_LEVELS, 0, view.min_group);
  view.answers = rs_access_rule (view.visibility, RS_RELATION_LEADER, RS_DETAIL_ANSWERS, 0, view.min_group);
  return view;
}

/* The level probabilities stored with a result, or NULL when the result
 * has none (scored before they were kept): then the builder uses the
 * normal approximation, as a kiosk's report does. */
static const double *
probabilities_of (const PGresult *rows, int row, double *out)
{
  for (int l = 0; l < RS_N_LEVELS; l++)
    {
      if (PQgetisnull (rows, row, 11 + l))
        return NULL;
      out[l] = rs_pg_double (rows, row, 11 + l);
    }
  return out;
}

/* Hands the rows of reskill.report_rows () to the builders of their teams
 * (kind 0 a team and its policy, 1 a member, 2 a result, in that order). */
static void
feed_builders (GHashTable *builders, const PGresult *rows)
{
  for (int i = 0; i < PQntuples (rows); i++)
    {
      gint64 kind = rs_pg_int (rows, i, 0), team = rs_pg_int (rows, i, 1);
      RsReportBuilder *builder = g_hash_table_lookup (builders, &team);

      if (builder == NULL)
        continue;
      if (kind == 0)
        {
          RsTeamView view = view_from_row (rows, i);

          rs_report_builder_set_view (builder, &view);
        }
      else if (kind == 1)
        rs_report_builder_add_member (builder, rs_pg_int (rows, i, 2), rs_pg_text (rows, i, 3),
                                      rs_pg_text (rows, i, 4));
      else
        {
          RsSkill skill = rs_skill_from_id (rs_pg_text (rows, i, 7));
          double p[RS_N_LEVELS];

          if (skill != RS_SKILL_INVALID)
            rs_report_builder_add_result (builder, rs_pg_int (rows, i, 2), rs_pg_int (rows, i, 6), skill,
                                          rs_pg_double (rows, i, 8), rs_pg_double (rows, i, 9),
                                          (int) rs_pg_int (rows, i, 10), probabilities_of (rows, i, p));
        }
    }
}

#define REPORT_ROWS \
  "SELECT kind, team_id, person_key, employee_no, name, seq, finished_at, skill, theta, se, n_items, p_novice," \
  " p_developing, p_proficient, p_advanced, p_expert, visibility, min_group" \
  " FROM reskill.report_rows (nullif ($1::bigint, 0), $2::boolean)"

RsTeamReport *
rs_server_team_report (RsPg *pg, const RsRoleSet *roles, const RsPerson *viewer, gint64 team_id, GError **error)
{
  g_autoptr (PGresult) team = NULL, rows = NULL, views = NULL;
  g_autoptr (GHashTable) builders = g_hash_table_new (g_int64_hash, g_int64_equal);
  RsReportBuilder *builder;
  RsTeamReport *report;
  gboolean ok;

  if (viewer->role == RS_PERSON_EMPLOYEE)
    {
      g_set_error_literal (error, RS_ERROR, RS_ERROR_DENIED, _("Team reports are for the team's manager."));
      return NULL;
    }
  /* One snapshot, as a kiosk's report reads in one transaction; not read
   * only, since who looked is recorded in it. */
  if (!rs_pg_exec (pg, error, "BEGIN ISOLATION LEVEL REPEATABLE READ", ""))
    return NULL;
  ok = (team = rs_pg_query (pg, error, "SELECT name FROM reskill.teams WHERE id = $1::bigint", "l", team_id)) != NULL
       && (rows = rs_pg_query (pg, error, REPORT_ROWS, "lb", team_id, FALSE)) != NULL;
  /* Named results shown: who looked, recorded with the report, or no
   * report (the server's function names only whom the rule shows). */
  if (ok && PQntuples (team) == 1)
    ok = (views = rs_pg_query (pg, error, "SELECT reskill.record_views ($1::bigint, 'team-report')", "l",
                               team_id)) != NULL;
  if (!rs_pg_end (pg, ok, ok ? error : NULL))
    return NULL;
  if (PQntuples (team) != 1)
    {
      if (viewer->role == RS_PERSON_ADMIN)
        g_set_error (error, RS_ERROR, RS_ERROR_NOT_FOUND, _("There is no team with id %lld."), (long long) team_id);
      else
        g_set_error_literal (error, RS_ERROR, RS_ERROR_DENIED, _("You can only see the teams you lead."));
      return NULL;
    }
  builder = rs_report_builder_new (roles, team_id, rs_pg_text (team, 0, 0), viewer->name, TRUE);
  g_hash_table_insert (builders, &team_id, builder);
  feed_builders (builders, rows);
  report = rs_report_builder_finish (builder);
  return report;
}

gboolean
rs_server_record_export (RsPg *pg, const RsTeamReport *report, RsViewKind kind, GError **error)
{
  g_return_val_if_fail (report != NULL, FALSE);
  if (!report->names_shown)
    return TRUE;
  return rs_pg_exec (pg, error, "SELECT reskill.record_views ($1::bigint, $2)", "ls", report->team_id,
                     rs_view_kind_id (kind));
}

RsCompanyOverview *
rs_server_company_overview (RsPg *pg, const RsRoleSet *roles, const RsPerson *viewer, GError **error)
{
  g_autoptr (PGresult) teams = NULL, rows = NULL;
  g_autoptr (GPtrArray) reports = g_ptr_array_new_with_free_func ((GDestroyNotify) rs_team_report_free);
  g_autoptr (GHashTable) builders = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr (GArray) ids = NULL;
  gboolean ok;

  if (viewer->role == RS_PERSON_EMPLOYEE)
    {
      g_set_error_literal (error, RS_ERROR, RS_ERROR_DENIED,
                           _("The company overview is for managers and administrators."));
      return NULL;
    }
  if (!rs_pg_exec (pg, error, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", ""))
    return NULL;
  /* Each person's latest result per skill comes from the cache the server
   * keeps (reskill.latest_results): one row per person and skill. */
  ok = (teams = rs_pg_query (pg, error, "SELECT id, name FROM reskill.teams ORDER BY name COLLATE \"C\"", "")) != NULL
       && (rows = rs_pg_query (pg, error, REPORT_ROWS, "lb", (gint64) 0, TRUE)) != NULL;
  if (!rs_pg_end (pg, ok, ok ? error : NULL))
    return NULL;
  ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), PQntuples (teams));
  for (int t = 0; t < PQntuples (teams); t++)
    {
      gint64 id = rs_pg_int (teams, t, 0);

      g_array_append_val (ids, id);
    }
  for (int t = 0; t < PQntuples (teams); t++)
    g_hash_table_insert (builders, &g_array_index (ids, gint64, t),
                         rs_report_builder_new (roles, rs_pg_int (teams, t, 0), rs_pg_text (teams, t, 1), viewer->name,
                                                FALSE));
  feed_builders (builders, rows);
  for (guint t = 0; t < ids->len; t++)
    {
      RsReportBuilder *builder = g_hash_table_lookup (builders, &g_array_index (ids, gint64, t));

      g_hash_table_remove (builders, &g_array_index (ids, gint64, t));
      g_ptr_array_add (reports, rs_report_builder_finish (builder));
    }
  return rs_company_overview_new_from_teams (roles, reports);
}

/* --- item statistics --- */

GPtrArray *
rs_server_item_stats (RsPg *pg, const RsItemStatsOptions *options, GError **error)
{
  g_autoptr (RsPerson) viewer = rs_server_viewer (pg, error);
  g_autoptr (PGresult) sums = NULL, skills = NULL;
  g_autofree RsItemSums *rows = NULL;
  gint64 skill_attempts[RS_N_SKILLS] = { 0 };
  gboolean ok;

  if (viewer == NULL || !rs_access_require_admin (viewer, error))
    return NULL;
  if (!rs_pg_exec (pg, error, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", ""))
    return NULL;
  ok = (sums = rs_pg_query (pg, error,
                            "SELECT item_id, skill, n_shown, n_attempts, sum_facility, sum_time_ms, n, sx, sy, sxy,"
                            " sxx, syy FROM reskill.item_sums", "")) != NULL
       && (skills = rs_pg_query (pg, error, "SELECT skill, n_attempts FROM reskill.skill_sums", "")) != NULL;
  if (!rs_pg_end (pg, ok, ok ? error : NULL))
    return NULL;
  for (int i = 0; i < PQntuples (skills); i++)
    {
      RsSkill skill = rs_skill_from_id (rs_pg_text (skills, i, 0));

      if (skill != RS_SKILL_INVALID)
        skill_attempts[skill] = rs_pg_int (skills, i, 1);
    }
  rows = g_new0 (RsItemSums, MAX (PQntuples (sums), 1));
  for (int i = 0; i < PQntuples (sums); i++)
    rows[i] = (RsItemSums) {
      .item_id = rs_pg_text (sums, i, 0),
      .skill = rs_skill_from_id (rs_pg_text (sums, i, 1)),
      .n_shown = rs_pg_int (sums, i, 2),
      .n_attempts = rs_pg_int (sums, i, 3),
      .sum_facility = rs_pg_double (sums, i, 4),
      .sum_time_ms = rs_pg_int (sums, i, 5),
      .n = rs_pg_int (sums, i, 6),
      .sx = rs_pg_int (sums, i, 7),
      .sy = rs_pg_int (sums, i, 8),
      .sxy = rs_pg_int (sums, i, 9),
      .sxx = rs_pg_int (sums, i, 10),
      .syy = rs_pg_int (sums, i, 11),
    };
  return rs_item_stats_from_sums (rows, (guint) PQntuples (sums), skill_attempts, options);
}

/* --- calibration --- */

RsCalibration *
rs_server_calibration_current (RsPg *pg, GError **error)
{
  g_autoptr (PGresult) head = NULL, items = NULL;
  g_autoptr (RsCalibration) calibration = NULL;
  gboolean ok;

  if (!rs_pg_exec (pg, error, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", ""))
    return NULL;
  ok = (head = rs_pg_query (pg, error,
                            "SELECT id, uuid, created_at, min_responses, summary FROM reskill.calibrations"
                            " ORDER BY created_at DESC, id DESC LIMIT 1", "")) != NULL;
  if (ok && PQntuples (head) == 1)
    ok = (items = rs_pg_query (pg, error,
                               "SELECT item_id, skill, model, status, anchor, n, a, b, c, se_a, se_b, se_c, fit_chi2,"
                               " fit_df, fit_p, flags, decision FROM reskill.calibration_items"
                               " WHERE calibration_id = $1::bigint", "l", rs_pg_int (head, 0, 0))) != NULL;
  if (!rs_pg_end (pg, ok, ok ? error : NULL) || PQntuples (head) == 0)
    return NULL;
  calibration = rs_calibration_new ();
  calibration->id = rs_pg_int (head, 0, 0);
  calibration->uuid = g_strdup (rs_pg_text (head, 0, 1));
  calibration->created_at = rs_pg_int (head, 0, 2);
  calibration->min_responses = (int) rs_pg_int (head, 0, 3);
  calibration->summary = g_strdup (rs_pg_text (head, 0, 4));
  for (int i = 0; i < PQntuples (items); i++)
    {
      RsCalibrationItemRow row = {
        .item_id = rs_pg_text (items, i, 0), .skill = rs_pg_text (items, i, 1), .model = rs_pg_text (items, i, 2),
        .status = rs_pg_text (items, i, 3), .anchor = rs_pg_bool (items, i, 4), .n = (int) rs_pg_int (items, i, 5),
        .a = rs_pg_double (items, i, 6), .b = rs_pg_text (items, i, 7), .c = rs_pg_double (items, i, 8),
        .se_a = rs_pg_double (items, i, 9), .se_b = rs_pg_text (items, i, 10), .se_c = rs_pg_double (items, i, 11),
        .fit_chi2 = rs_pg_double (items, i, 12), .fit_df = (int) rs_pg_int (items, i, 13),
        .fit_p = rs_pg_double (items, i, 14), .flags = rs_pg_text (items, i, 15),
        .decision = rs_pg_text (items, i, 16),
      };
      RsCalibrationItem *item = rs_calibration_item_from_row (&row, calibration->uuid, error);

      if (item == NULL)
        return NULL;
      g_ptr_array_add (calibration->items, item);
    }
  rs_calibration_sort_items (calibration);
  return g_steal_pointer (&calibration);
}

RsCalibration *
rs_server_calibration_run (RsPg *pg, const RsBank *bank, int min_responses, const RsCalibOptions *options,
                           GError **error)
{
  g_autoptr (RsPerson) viewer = rs_server_viewer (pg, error);
  g_autoptr (RsCalibration) current = NULL;
  g_autoptr (RsCalibrationAnswers) answers = NULL;
  g_autofree char *since = NULL;
  PGconn *conn = rs_pg_conn (pg);
  GError *local = NULL;
  PGresult *row;
  gboolean ok = TRUE;
  const char *values[1];

  if (viewer == NULL || !rs_access_require_admin (viewer, error))
    return NULL;
  current = rs_server_calibration_current (pg, &local);
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return NULL;
    }
  answers = rs_calibration_answers_new (bank);
  since = g_strdup_printf ("%" G_GINT64_FORMAT,
                           g_get_real_time () - (gint64) RS_SERVER_ABANDONED_HOURS * 3600 * G_USEC_PER_SEC);
  values[0] = since;
  /* Millions of rows at 10,000 people: read one at a time, never all at
   * once (libpq's single-row mode). */
  /* Through the server's function: the policy on answers shows an
   * administrator a named person's answers under full only, and
   * calibration needs only which answers belong together. */
  if (!PQsendQueryParams (conn,
                          "SELECT pattern::text, skill, item_id, score, max_score"
                          " FROM reskill.calibration_answers ($1::bigint)", 1, NULL, values, NULL, NULL, 0)
      || !PQsetSingleRowMode (conn))
    {
      g_set_error (error, RS_ERROR, RS_ERROR_UNREACHABLE, _("The organization's server (%s): %s"), rs_pg_describe (pg),
                   PQerrorMessage (conn));
      return NULL;
    }
  while ((row = PQgetResult (conn)) != NULL)
    {
      ExecStatusType status = PQresultStatus (row);

      if (ok && status == PGRES_SINGLE_TUPLE)
        ok = rs_calibration_answers_add (answers, rs_pg_text (row, 0, 0), rs_pg_text (row, 0, 1),
                                         rs_pg_text (row, 0, 2), (int) rs_pg_int (row, 0, 3), (int) rs_pg_int (row, 0, 4),
                                         error);
      else if (ok && status != PGRES_TUPLES_OK)
        {
          g_set_error (error, RS_ERROR, PQstatus (conn) == CONNECTION_OK ? RS_ERROR_DB : RS_ERROR_UNREACHABLE,
                       _("The organization's server (%s): %s"), rs_pg_describe (pg), PQresultErrorMessage (row));
          ok = FALSE;
        }
      PQclear (row);
    }
  if (!ok)
    return NULL;
  return rs_calibration_run_answers (answers, current, min_responses, options, error);
}

gboolean
rs_server_calibration_apply (RsPg *pg, RsCalibration *calibration, GError **error)
{
  g_autoptr (PGresult) stored = NULL;
  g_autofree char *uuid = g_uuid_string_random ();
  gint64 created_at = g_get_real_time ();
  gboolean ok;

  if (calibration->uuid != NULL)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_INVALID, _("This calibration is already stored."));
      return FALSE;
    }
  if (!rs_pg_begin (pg, error))
    return FALSE;
  stored = rs_pg_query (pg, error,
                        "INSERT INTO reskill.calibrations (uuid, created_at, min_responses, summary)"
                        " VALUES ($1, $2::bigint, $3::int, $4) RETURNING id", "slis", uuid, created_at,
                        calibration->min_responses, calibration->summary != NULL ? calibration->summary : "");
  ok = stored != NULL;
  for (guint i = 0; ok && i < calibration->items->len; i++)
    {
      const RsCalibrationItem *it = g_ptr_array_index (calibration->items, i);
      g_autofree char *b = rs_calibration_item_b_text (it, FALSE);
      g_autofree char *se_b = rs_calibration_item_b_text (it, TRUE);
      g_autofree char *flags = rs_calib_flag_ids (it->flags);

      ok = rs_pg_exec (pg, error,
                       "INSERT INTO reskill.calibration_items (calibration_id, item_id, skill, model, status, anchor,"
                       " n, a, b, c, se_a, se_b, se_c, fit_chi2, fit_df, fit_p, flags, decision) VALUES ($1::bigint,"
                       " $2, $3, $4, $5, $6::boolean, $7::int, $8::float8, $9, $10::float8, $11::float8, $12,"
                       " $13::float8, $14::float8, $15::int, $16::float8, $17, $18)",
                       "lssssbidsddsddidss", rs_pg_int (stored, 0, 0), it->item_id, rs_skill_id (it->skill),
                       rs_calib_model_id (it->model), rs_item_status_id (it->status), it->anchor, it->n, it->params.a,
                       b, it->params.c, it->se_a, se_b, it->se_c, it->fit_chi2, it->fit_df, it->fit_p, flags,
                       it->decision != RS_DECISION_NONE ? rs_decision_id (it->decision) : NULL);
    }
  ok = ok && rs_pg_exec (pg, error, "INSERT INTO reskill.audit (event, detail) VALUES ('calibration-applied', $1)", "s",
                         uuid);
  if (!rs_pg_end (pg, ok, ok ? error : NULL))
    return FALSE;
  calibration->id = rs_pg_int (stored, 0, 0);
  calibration->uuid = g_steal_pointer (&uuid);
  calibration->created_at = created_at;
  return TRUE;
}
