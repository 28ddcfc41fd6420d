/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Team, member and company reports, computed from the store in one read
 * transaction each. A team's results come back in a single query, ordered
 * by person and time, so that the latest result per skill and the quarterly
 * progress fall out of one pass: the report for a 50-person team with a
 * year of history is some thousands of rows (see docs/PERFORMANCE.md). */
#include "rs-report.h"

#include <math.h>
#include <string.h>

#include "rs-access.h"
#include "rs-error.h"
#include "rs-report-private.h"
#include "rs-store-private.h"

/* --- small pieces --- */

static void
member_free (gpointer data)
{
  RsReportMember *member = data;

  g_free (member->employee_no);
  g_free (member->name);
  g_clear_pointer (&member->advice, rs_advice_free);
  g_free (member);
}

static void
readiness_clear (gpointer data)
{
  RsRoleReadiness *readiness = data;

  g_clear_pointer (&readiness->closest_steps, g_array_unref);
}

static void
team_summary_free (gpointer data)
{
  RsTeamSummary *summary = data;

  g_free (summary->team_name);
  g_free (summary->n_ready);
  g_free (summary);
}

/* Rows come oldest first, so the last one seen for a skill is its latest. */
static void
result_set (RsReportResult *result, gint64 date, double theta, double se, int n_items)
{
  result->measured = TRUE;
  rs_skill_score_init (&result->score, theta, se);
  result->n_items = n_items;
  result->date = date;
}

static void
estimates_from (const RsReportResult latest[RS_N_SKILLS], RsSkillEstimate estimates[RS_N_SKILLS])
{
  for (int s = 0; s < RS_N_SKILLS; s++)
    estimates[s] = (RsSkillEstimate) { latest[s].measured, latest[s].score.theta, latest[s].score.se };
}

/* rs_advise on the latest results; *best is the first fit, or NULL when
 * nothing is measured (a fit on the prior alone says nothing). */
static RsAdvice *
advise (const RsRoleSet *roles, const RsReportResult latest[RS_N_SKILLS], const RsRoleFit **best)
{
  RsSkillEstimate estimates[RS_N_SKILLS];
  RsAdvice *advice;
  gboolean any = FALSE;

  estimates_from (latest, estimates);
  for (int s = 0; s < RS_N_SKILLS; s++)
    any |= latest[s].measured;
  advice = rs_advise (roles, estimates);
  *best = any && advice->fits->len > 0 ? &g_array_index (advice->fits, RsRoleFit, 0) : NULL;
  return advice;
}

static const RsRoleFit *
find_fit (const RsAdvice *advice, const RsRole *role)
{
  for (guint i = 0; i < advice->fits->len; i++)
    if (g_array_index (advice->fits, RsRoleFit, i).role == role)
      return &g_array_index (advice->fits, RsRoleFit, i);
  return NULL;
}

/* The raises that would open role, as rs_advise says them for its next role. */
static GArray *
steps_to (const RsRole *role, const RsReportResult latest[RS_N_SKILLS])
{
  GArray *steps = g_array_new (FALSE, TRUE, sizeof (RsStep));

  for (int s = 0; s < RS_N_SKILLS; s++)
    {
      RsStep step = { .skill = (RsSkill) s, .to = role->wanted[s],
                      .focus = (const char *const *) role->focus[s] };

      if (role->wanted[s] == RS_LEVEL_INVALID)
        continue;
      if (!latest[s].measured)
        step.from = RS_LEVEL_INVALID;
      else if (latest[s].score.theta < rs_level_lower_cut (role->wanted[s]))
        step.from = rs_level_for_theta (latest[s].score.theta);
      else
        continue;
      g_array_append_val (steps, step);
    }
  return steps;
}

/* Calendar quarter in local time, as one number: year × 4 + (quarter − 1). */
static int
quarter_index (gint64 unix_us)
{
  g_autoptr (GDateTime) time = g_date_time_new_from_unix_local (unix_us / G_USEC_PER_SEC);

  if (time == NULL)
    return 0;
  return g_date_time_get_year (time) * 4 + (g_date_time_get_month (time) - 1) / 3;
}

char *
rs_report_format_date (gint64 unix_us)
{
  g_autoptr (GDateTime) time = g_date_time_new_from_unix_local (unix_us / G_USEC_PER_SEC);

  return time != NULL ? g_date_time_format (time, "%Y-%m-%d") : g_strdup ("");
}

char *
rs_report_result_band (const RsReportResult *result)
{
  if (!result->measured)
    return g_strdup ("");
  return g_strdup_printf ("%.0f (%.0f\u2013%.0f)", round (result->score.score), round (result->score.score_low),
                          round (result->score.score_high));
}

static gboolean
get_skill (RsStore *store, sqlite3_stmt *stmt, int column, RsSkill *skill, GError **error)
{
  const char *id = (const char *) sqlite3_column_text (stmt, column);

  *skill = rs_skill_from_id (id);
  if (*skill != RS_SKILL_INVALID)
    return TRUE;
  g_set_error (error, RS_ERROR, RS_ERROR_DB_CORRUPT, "The database holds a result for an unknown skill \"%s\".",
               id != NULL ? id : "(null)");
  return FALSE;
}

/* --- reading a team --- */

typedef struct {
  int index;                       /* quarter_index() */
  double sum[RS_N_SKILLS];
  guint n[RS_N_SKILLS];
} QuarterSums;

/* The team's name, or NULL (no error) when there is no such team. */
static gboolean
team_name_tx (RsStore *store, gint64 team_id, char **name, GError **error)
{
  return rs_store_get_text (store, name, error, "SELECT name FROM teams WHERE id = ?", "l", team_id);
}

static gboolean
load_members_tx (RsStore *store, gint64 team_id, GPtrArray *members, GHashTable *by_id, GError **error)
{
  g_autoptr (RsStoreStmt) stmt = rs_store_query (store, error,
    "SELECT p.id, p.employee_no, p.name FROM people AS p"
    " WHERE p.team_id = ? AND p.active = 1"
    " AND NOT EXISTS (SELECT 1 FROM team_managers AS m WHERE m.team_id = p.team_id AND m.person_id = p.id)"
    " ORDER BY p.name, p.employee_no",
    "l", team_id);
  int rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = rs_store_step (store, stmt, error)) == SQLITE_ROW)
    {
      RsReportMember *member = g_new0 (RsReportMember, 1);

      member->person_id = sqlite3_column_int64 (stmt, 0);
      member->employee_no = rs_store_column_strdup (stmt, 1);
      member->name = rs_store_column_strdup (stmt, 2);
      g_ptr_array_add (members, member);
      g_hash_table_insert (by_id, &member->person_id, member);
    }
  return rc == SQLITE_DONE;
}

/* Only each member's latest result per skill, for the company overview:
 * newest attempt first, through the covering indexes of schema version 4,
 * stopping at the first result of each skill. At 10,000 people reading
 * every result of every team (4 per attempt, 20 attempts each) took
 * seconds; this reads about one attempt per person. The order is the one
 * load_results_tx keeps (finished_at, then rowid), reversed, so the same
 * result wins. */
static gboolean
load_latest_tx (RsStore *store, GHashTable *by_id, GError **error)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, by_id);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      RsReportMember *member = value;
      g_autoptr (RsStoreStmt) stmt = rs_store_query (store, error,
        "SELECT a.finished_at, r.skill, r.theta, r.se, r.n_items"
        " FROM attempts AS a JOIN results AS r ON r.attempt_id = a.uuid"
        " WHERE a.person_id = ? AND a.status = 'finished'"
        " ORDER BY a.finished_at DESC, a.rowid DESC",
        "l", member->person_id);
      gboolean seen[RS_N_SKILLS] = { FALSE };
      int n_seen = 0, rc;

      if (stmt == NULL)
        return FALSE;
      while (n_seen < RS_N_SKILLS && (rc = rs_store_step (store, stmt, error)) == SQLITE_ROW)
        {
          RsSkill skill;

          if (!get_skill (store, stmt, 1, &skill, error))
            return FALSE;
          if (seen[skill])
            continue;
          seen[skill] = TRUE;
          n_seen++;
          result_set (&member->latest[skill], sqlite3_column_int64 (stmt, 0), sqlite3_column_double (stmt, 2),
                      sqlite3_column_double (stmt, 3), sqlite3_column_int (stmt, 4));
        }
      if (n_seen < RS_N_SKILLS && rc != SQLITE_DONE)
        return FALSE;
    }
  return TRUE;
}

/* One finished result, oldest first: the member's latest and, when
 * quarters is not NULL, the quarter's sums. People of the team who are not
 * members (its managers) are skipped. */
static void
add_result (GHashTable *by_id, GHashTable *quarters, gint64 *last_date, int *last_quarter, gint64 person_id,
            gint64 date, RsSkill skill, double theta, double se, int n_items)
{
  RsReportMember *member = g_hash_table_lookup (by_id, &person_id);
  QuarterSums *sums;

  if (member == NULL)
    return;
  result_set (&member->latest[skill], date, theta, se, n_items);
  if (quarters == NULL)
    return;
  /* Rows of one attempt share a date: one time-zone lookup each. */
  if (date != *last_date)
    *last_quarter = quarter_index (date);
  *last_date = date;
  sums = g_hash_table_lookup (quarters, GINT_TO_POINTER (*last_quarter));
  if (sums == NULL)
    {
      sums = g_new0 (QuarterSums, 1);
      sums->index = *last_quarter;
      g_hash_table_insert (quarters, GINT_TO_POINTER (*last_quarter), sums);
    }
  sums->sum[skill] += theta;
  sums->n[skill]++;
}

/* Every finished result of the team's people, oldest first: fills in each
 * member's latest results and, when quarters is not NULL, the sums per
 * quarter (QuarterSums by quarter index). People of the team who are not
 * members (its managers) are skipped. */
static gboolean
load_results_tx (RsStore *store, gint64 team_id, GHashTable *by_id, GHashTable *quarters, GError **error)
{
  g_autoptr (RsStoreStmt) stmt = rs_store_query (store, error,
    "SELECT a.person_id, a.finished_at, r.skill, r.theta, r.se, r.n_items"
    " FROM people AS p"
    " JOIN attempts AS a ON a.person_id = p.id AND a.status = 'finished'"
    " JOIN results AS r ON r.attempt_id = a.uuid"
    " WHERE p.team_id = ? AND p.active = 1"
    " ORDER BY a.finished_at, a.rowid",
    "l", team_id);
  gint64 last_date = G_MININT64;
  int last_quarter = 0;
  int rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = rs_store_step (store, stmt, error)) == SQLITE_ROW)
    {
      RsSkill skill;

      if (!get_skill (store, stmt, 2, &skill, error))
        return FALSE;
      add_result (by_id, quarters, &last_date, &last_quarter, sqlite3_column_int64 (stmt, 0),
                  sqlite3_column_int64 (stmt, 1), skill, sqlite3_column_double (stmt, 3),
                  sqlite3_column_double (stmt, 4), sqlite3_column_int (stmt, 5));
    }
  return rc == SQLITE_DONE;
}

/* Every quarter from the first to the last, empty ones included. */
static GArray *
progress_from (GHashTable *quarters)
{
  GArray *progress = g_array_new (FALSE, TRUE, sizeof (RsQuarterProgress));
  GHashTableIter iter;
  gpointer value;
  int first = G_MAXINT, last = G_MININT;

  g_hash_table_iter_init (&iter, quarters);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      const QuarterSums *sums = value;
      first = MIN (first, sums->index);
      last = MAX (last, sums->index);
    }
  for (int q = first; g_hash_table_size (quarters) > 0 && q <= last; q++)
    {
      const QuarterSums *sums = g_hash_table_lookup (quarters, GINT_TO_POINTER (q));
      RsQuarterProgress point = { .year = q / 4, .quarter = q % 4 + 1 };

      for (int s = 0; sums != NULL && s < RS_N_SKILLS; s++)
        {
          point.n[s] = sums->n[s];
          point.mean_theta[s] = sums->n[s] > 0 ? sums->sum[s] / sums->n[s] : 0.0;
        }
      g_array_append_val (progress, point);
    }
  return progress;
}

static void
summarize (RsTeamReport *report)
{
  guint n_roles = rs_role_set_n_roles (report->roles);

  for (guint m = 0; m < report->members->len; m++)
    {
      RsReportMember *member = g_ptr_array_index (report->members, m);

      member->advice = advise (report->roles, member->latest, &member->best);
      for (int s = 0; s < RS_N_SKILLS; s++)
        {
          const RsReportResult *result = &member->latest[s];
          RsSkillDistribution *distribution = &report->distribution[s];

          if (!result->measured)
            distribution->n_not_measured++;
          else
            {
              distribution->n_at_level[result->score.level]++;
              if (!result->score.level_claimed)
                distribution->n_between++;
            }
        }
    }

  for (guint r = 0; r < n_roles; r++)
    {
      RsRoleReadiness readiness = { .role = rs_role_set_role (report->roles, r), .closest = -1 };

      for (guint m = 0; m < report->members->len; m++)
        {
          const RsReportMember *member = g_ptr_array_index (report->members, m);
          const RsRoleFit *fit = find_fit (member->advice, readiness.role);

          if (fit == NULL)
            continue;
          if (fit->met)
            readiness.n_ready++;
          /* Members are in name order: the first of equal gaps wins. */
          else if (readiness.closest < 0 || fit->gap < readiness.closest_gap - 1e-9)
            {
              readiness.closest = (int) m;
              readiness.closest_gap = fit->gap;
            }
        }
      if (readiness.closest >= 0)
        {
          const RsReportMember *closest = g_ptr_array_index (report->members, readiness.closest);
          readiness.closest_steps = steps_to (readiness.role, closest->latest);
        }
      g_array_append_val (report->readiness, readiness);
    }
}

static RsTeamReport *
team_report_alloc (const RsRoleSet *roles, gint64 team_id)
{
  RsTeamReport *report = g_new0 (RsTeamReport, 1);

  report->team_id = team_id;
  report->roles = roles;
  report->generated_at = rs_store_now ();
  report->members = g_ptr_array_new_with_free_func (member_free);
  report->readiness = g_array_new (FALSE, TRUE, sizeof (RsRoleReadiness));
  g_array_set_clear_func (report->readiness, readiness_clear);
  return report;
}

/* Reads one team inside the caller's transaction; with_progress FALSE
 * skips the quarters (the company overview does not show them). */
static gboolean
build_team_tx (RsStore *store, RsTeamReport *report, gboolean with_progress, GError **error)
{
  g_autoptr (GHashTable) by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr (GHashTable) quarters = with_progress ? g_hash_table_new_full (NULL, NULL, NULL, g_free) : NULL;

  if (!team_name_tx (store, report->team_id, &report->team_name, error))
    return FALSE;
  if (report->team_name == NULL)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_NOT_FOUND, "There is no team with id %" G_GINT64_FORMAT ".",
                   report->team_id);
      return FALSE;
    }
  if (!load_members_tx (store, report->team_id, report->members, by_id, error)
      || !(quarters != NULL ? load_results_tx (store, report->team_id, by_id, quarters, error)
                            : load_latest_tx (store, by_id, error)))
    return FALSE;
  report->progress = with_progress ? progress_from (quarters) : g_array_new (FALSE, TRUE, sizeof (RsQuarterProgress));
  return TRUE;
}

/* --- public --- */

gboolean
rs_report_find_team (RsStore *store, const char *name, gint64 *team_id, GError **error)
{
  g_autoptr (GMutexLocker) locker = NULL;
  gint64 id = 0;

  g_return_val_if_fail (store != NULL && name != NULL && team_id != NULL, FALSE);
  locker = g_mutex_locker_new (rs_store_get_lock (store));
  if (!rs_store_get_int (store, &id, error, "SELECT id FROM teams WHERE name = ?", "s", name))
    return FALSE;
  if (id == 0)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_NOT_FOUND, "There is no team named \u201c%s\u201d.", name);
      return FALSE;
    }
  *team_id = id;
  return TRUE;
}

gboolean
rs_report_find_team_for (RsStore *store, const RsPerson *viewer, const char *name, gint64 *team_id,
                         GError **error)
{
  g_autoptr (GError) local = NULL;
  gint64 id = 0;

  g_return_val_if_fail (store != NULL && viewer != NULL && name != NULL && team_id != NULL, FALSE);
  if (viewer->role == RS_PERSON_ADMIN)
    return rs_report_find_team (store, name, team_id, error);
  /* Access first, with the same refusal whether or not the team exists:
   * a manager must not learn which team names there are by trying. */
  if (viewer->role != RS_PERSON_MANAGER)
    return rs_access_can_view_team (store, viewer, 0, error);
  if (!rs_report_find_team (store, name, &id, &local))
    {
      if (!g_error_matches (local, RS_ERROR, RS_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
      g_set_error (error, RS_ERROR, RS_ERROR_DENIED, "You can only see the teams you lead.");
      return FALSE;
    }
  if (!rs_access_can_view_team (store, viewer, id, error))
    return FALSE;
  *team_id = id;
  return TRUE;
}

RsTeamReport *
rs_team_report_new (RsStore *store, const RsRoleSet *roles, const RsPerson *viewer, gint64 team_id,
                    GError **error)
{
  g_autoptr (RsTeamReport) report = NULL;
  g_autoptr (GMutexLocker) locker = NULL;

  g_return_val_if_fail (store != NULL && roles != NULL, NULL);
  /* Asks under its own hold of the lock: before ours. */
  if (!rs_access_can_view_team (store, viewer, team_id, error))
    return NULL;
  report = team_report_alloc (roles, team_id);
  report->viewer_name = g_strdup (viewer->name);
  locker = g_mutex_locker_new (rs_store_get_lock (store));
  if (!rs_store_begin (store, FALSE, error)
      || !rs_store_end (store, build_team_tx (store, report, TRUE, error), error))
    return NULL;
  g_clear_pointer (&locker, g_mutex_locker_free);
  summarize (report);
  return g_steal_pointer (&report);
}

void
rs_team_report_free (RsTeamReport *report)
{
  if (report == NULL)
    return;
  g_free (report->team_name);
  g_free (report->viewer_name);
  g_ptr_array_unref (report->members);
  g_array_unref (report->readiness);
  g_clear_pointer (&report->progress, g_array_unref);
  g_free (report);
}

/* --- one member --- */

static gboolean
load_history_tx (RsStore *store, RsMemberReport *report, GError **error)
{
  g_autoptr (RsStoreStmt) stmt = rs_store_query (store, error,
    "SELECT a.finished_at, r.skill, r.theta, r.se, r.n_items"
    " FROM attempts AS a JOIN results AS r ON r.attempt_id = a.uuid"
    " WHERE a.person_id = ? AND a.status = 'finished'"
    " ORDER BY a.finished_at, a.rowid",
    "l", report->person_id);
  int rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = rs_store_step (store, stmt, error)) == SQLITE_ROW)
    {
      RsReportPoint point = { .date = sqlite3_column_int64 (stmt, 0), .n_items = sqlite3_column_int (stmt, 4) };
      RsSkill skill;

      if (!get_skill (store, stmt, 1, &skill, error))
        return FALSE;
      rs_skill_score_init (&point.score, sqlite3_column_double (stmt, 2), sqlite3_column_double (stmt, 3));
      g_array_append_val (report->history[skill], point);
      result_set (&report->latest[skill], point.date, point.score.theta, point.score.se, point.n_items);
    }
  return rc == SQLITE_DONE;
}

RsMemberReport *
rs_member_report_new (RsStore *store, const RsRoleSet *roles, const RsPerson *viewer, gint64 person_id,
                      GError **error)
{
  g_autoptr (RsMemberReport) report = NULL;
  g_autoptr (GMutexLocker) locker = NULL;
  g_autoptr (RsPerson) person = NULL;

  g_return_val_if_fail (store != NULL && roles != NULL, NULL);
  if (!rs_access_can_view_person (store, viewer, person_id, error))
    return NULL;
  person = rs_store_get_person (store, person_id, error);
  if (person == NULL)
    return NULL;

  report = g_new0 (RsMemberReport, 1);
  report->person_id = person->id;
  report->employee_no = g_strdup (person->employee_no);
  report->name = g_strdup (person->name);
  report->team_name = g_strdup (person->team_name);
  report->roles = roles;
  for (int s = 0; s < RS_N_SKILLS; s++)
    report->history[s] = g_array_new (FALSE, TRUE, sizeof (RsReportPoint));

  locker = g_mutex_locker_new (rs_store_get_lock (store));
  if (!rs_store_begin (store, FALSE, error)
      || !rs_store_end (store, load_history_tx (store, report, error), error))
    return NULL;
  g_clear_pointer (&locker, g_mutex_locker_free);
  report->advice = advise (roles, report->latest, &report->best);
  return g_steal_pointer (&report);
}

void
rs_member_report_free (RsMemberReport *report)
{
  if (report == NULL)
    return;
  g_free (report->employee_no);
  g_free (report->name);
  g_free (report->team_name);
  g_clear_pointer (&report->advice, rs_advice_free);
  for (int s = 0; s < RS_N_SKILLS; s++)
    g_clear_pointer (&report->history[s], g_array_unref);
  g_free (report);
}

/* --- the company --- */

static RsTeamSummary *
summary_from (const RsTeamReport *team)
{
  RsTeamSummary *summary = g_new0 (RsTeamSummary, 1);
  double sum[RS_N_SKILLS] = { 0 };

  summary->team_id = team->team_id;
  summary->team_name = g_strdup (team->team_name);
  summary->n_members = team->members->len;
  summary->n_ready = g_new0 (guint, team->readiness->len + 1);
  for (guint m = 0; m < team->members->len; m++)
    {
      const RsReportMember *member = g_ptr_array_index (team->members, m);

      for (int s = 0; s < RS_N_SKILLS; s++)
        if (member->latest[s].measured)
          {
            sum[s] += member->latest[s].score.theta;
            summary->n_measured[s]++;
          }
    }
  for (int s = 0; s < RS_N_SKILLS; s++)
    {
      summary->mean_theta[s] = summary->n_measured[s] > 0 ? sum[s] / summary->n_measured[s] : 0.0;
      summary->mean_level[s] = summary->n_measured[s] > 0 ? rs_level_for_theta (summary->mean_theta[s])
                                                          : RS_LEVEL_INVALID;
    }
  for (guint r = 0; r < team->readiness->len; r++)
    summary->n_ready[r] = g_array_index (team->readiness, RsRoleReadiness, r).n_ready;
  return summary;
}

static int
compare_summaries (gconstpointer a, gconstpointer b)
{
  const RsTeamSummary *x = *(RsTeamSummary *const *) a, *y = *(RsTeamSummary *const *) b;

  return g_strcmp0 (x->team_name, y->team_name);
}

static gboolean
build_overview_tx (RsStore *store, GArray *team_ids, GPtrArray *teams, GError **error)
{
  for (guint t = 0; t < team_ids->len; t++)
    {
      RsTeamReport *team = team_report_alloc (NULL, g_array_index (team_ids, gint64, t));

      if (!build_team_tx (store, team, FALSE, error))
        {
          rs_team_report_free (team);
          return FALSE;
        }
      g_ptr_array_add (teams, team);
    }
  return TRUE;
}

RsCompanyOverview *
rs_company_overview_new (RsStore *store, const RsRoleSet *roles, const RsPerson *viewer, GError **error)
{
  g_autoptr (GPtrArray) teams = g_ptr_array_new_with_free_func ((GDestroyNotify) rs_team_report_free);
  g_autoptr (RsCompanyOverview) overview = NULL;
  g_autoptr (GMutexLocker) locker = NULL;
  g_autoptr (GArray) team_ids = NULL;

  g_return_val_if_fail (store != NULL && roles != NULL, NULL);
  team_ids = rs_access_visible_teams (store, viewer, error);
  if (team_ids == NULL)
    return NULL;
  if (viewer->role == RS_PERSON_EMPLOYEE)
    {
      g_set_error_literal (error, RS_ERROR, RS_ERROR_DENIED,
                           "The company overview is for managers and administrators.");
      return NULL;
    }
  locker = g_mutex_locker_new (rs_store_get_lock (store));
  if (!rs_store_begin (store, FALSE, error)
      || !rs_store_end (store, build_overview_tx (store, team_ids, teams, error), error))
    return NULL;
  g_clear_pointer (&locker, g_mutex_locker_free);

  overview = g_new0 (RsCompanyOverview, 1);
  overview->generated_at = rs_store_now ();
  overview->roles = roles;
  overview->teams = g_ptr_array_new_with_free_func (team_summary_free);
  for (guint t = 0; t < teams->len; t++)
    {
      RsTeamReport *team = g_ptr_array_index (teams, t);

      team->roles = roles;
      summarize (team);
      g_ptr_array_add (overview->teams, summary_from (team));
    }
  g_ptr_array_sort (overview->teams, compare_summaries);
  return g_steal_pointer (&overview);
}

void
rs_company_overview_free (RsCompanyOverview *overview)
{
  if (overview == NULL)
    return;
  g_clear_pointer (&overview->teams, g_ptr_array_unref);
  g_free (overview);
}

/* --- reports from rows read elsewhere --- */

struct _RsReportBuilder {
  RsTeamReport *report;
  GHashTable *by_id;
  GHashTable *quarters;
  gint64 last_date;
  int last_quarter;
};

RsReportBuilder *
rs_report_builder_new (const RsRoleSet *roles, gint64 team_id, const char *team_name, const char *viewer_name,
                       gboolean with_progress)
{
  RsReportBuilder *builder = g_new0 (RsReportBuilder, 1);

  builder->report = team_report_alloc (roles, team_id);
  builder->report->team_name = g_strdup (team_name);
  builder->report->viewer_name = g_strdup (viewer_name);
  builder->by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  builder->quarters = with_progress ? g_hash_table_new_full (NULL, NULL, NULL, g_free) : NULL;
  builder->last_date = G_MININT64;
  return builder;
}

void
rs_report_builder_free (RsReportBuilder *builder)
{
  if (builder == NULL)
    return;
  g_clear_pointer (&builder->report, rs_team_report_free);
  g_hash_table_unref (builder->by_id);
  g_clear_pointer (&builder->quarters, g_hash_table_unref);
  g_free (builder);
}

void
rs_report_builder_add_member (RsReportBuilder *builder, gint64 person_id, const char *employee_no, const char *name)
{
  RsReportMember *member = g_new0 (RsReportMember, 1);

  member->person_id = person_id;
  member->employee_no = g_strdup (employee_no);
  member->name = g_strdup (name);
  g_ptr_array_add (builder->report->members, member);
  g_hash_table_insert (builder->by_id, &member->person_id, member);
}

void
rs_report_builder_add_result (RsReportBuilder *builder, gint64 person_id, gint64 finished_at, RsSkill skill,
                              double theta, double se, int n_items)
{
  g_return_if_fail (skill >= 0 && skill < RS_N_SKILLS);
  add_result (builder->by_id, builder->quarters, &builder->last_date, &builder->last_quarter, person_id,
              finished_at, skill, theta, se, n_items);
}

RsTeamReport *
rs_report_builder_finish (RsReportBuilder *builder)
{
  RsTeamReport *report = g_steal_pointer (&builder->report);

  report->progress = builder->quarters != NULL ? progress_from (builder->quarters)
                                               : g_array_new (FALSE, TRUE, sizeof (RsQuarterProgress));
  rs_report_builder_free (builder);
  summarize (report);
  return report;
}

RsCompanyOverview *
rs_company_overview_new_from_teams (const RsRoleSet *roles, GPtrArray *teams)
{
  RsCompanyOverview *overview = g_new0 (RsCompanyOverview, 1);

  overview->generated_at = rs_store_now ();
  overview->roles = roles;
  overview->teams = g_ptr_array_new_with_free_func (team_summary_free);
  for (guint t = 0; t < teams->len; t++)
    g_ptr_array_add (overview->teams, summary_from (g_ptr_array_index (teams, t)));
  g_ptr_array_sort (overview->teams, compare_summaries);
  return overview;
}

/* --- CSV --- */

/* RFC 4180: a field with a comma, quote or line break is quoted, quotes
 * inside doubled. */
static void
csv_field (GString *out, const char *text, gboolean last)
{
  if (text != NULL && strpbrk (text, ",\"\r\n") != NULL)
    {
      g_string_append_c (out, '"');
      for (const char *p = text; *p != '\0'; p++)
        {
          if (*p == '"')
            g_string_append_c (out, '"');
          g_string_append_c (out, *p);
        }
      g_string_append_c (out, '"');
    }
  else if (text != NULL)
    g_string_append (out, text);
  g_string_append (out, last ? "\r\n" : ",");
}

/* Text a person typed (names, numbers, role names): a spreadsheet would run
 * a cell that starts with = + - @ (or a tab or carriage return before one)
 * as a formula, so such a cell gets a leading apostrophe, which spreadsheets
 * show as text (OWASP's advice against CSV injection). */
static void
csv_text (GString *out, const char *text, gboolean last)
{
  g_autofree char *safe = NULL;

  if (text != NULL && text[0] != '\0' && strchr ("=+-@\t\r", text[0]) != NULL)
    text = safe = g_strconcat ("'", text, NULL);
  csv_field (out, text, last);
}

static void
csv_number (GString *out, gboolean measured, double value)
{
  if (measured)
    g_string_append_printf (out, "%.0f", round (value));
  g_string_append_c (out, ',');
}

gboolean
rs_team_report_write_csv (const RsTeamReport *report, const char *path, GError **error)
{
  g_autoptr (GString) out = g_string_new ("employee_no,name,skill,level,score,score_low,score_high,date,fitted_role\r\n");
  g_autoptr (GError) local_error = NULL;

  g_return_val_if_fail (report != NULL && path != NULL, FALSE);
  for (guint m = 0; m < report->members->len; m++)
    {
      const RsReportMember *member = g_ptr_array_index (report->members, m);
      const char *role = member->best != NULL ? member->best->role->name : "";

      for (int s = 0; s < RS_N_SKILLS; s++)
        {
          const RsReportResult *result = &member->latest[s];
          g_autofree char *level = result->measured ? rs_skill_score_describe (&result->score) : NULL;
          g_autofree char *date = result->measured ? rs_report_format_date (result->date) : NULL;

          csv_text (out, member->employee_no, FALSE);
          csv_text (out, member->name, FALSE);
          csv_field (out, rs_skill_id ((RsSkill) s), FALSE);
          csv_field (out, level, FALSE);
          csv_number (out, result->measured, result->score.score);
          csv_number (out, result->measured, result->score.score_low);
          csv_number (out, result->measured, result->score.score_high);
          csv_field (out, date, FALSE);
          csv_text (out, role, TRUE);
        }
    }
  /* Temporary file in the same folder, fsynced, renamed over the target. */
  if (!g_file_set_contents_full (path, out->str, (gssize) out->len,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE, 0600, &local_error))
    {
      g_set_error (error, RS_ERROR, RS_ERROR_IO, "Cannot write the CSV file: %s", local_error->message);
      return FALSE;
    }
  return TRUE;
}
