/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Team, member and company reports, computed from the store in one read
 * transaction each. A team's results come back in a single query, ordered
 * by person and time, so that the latest result per skill and the quarterly
 * progress fall out of one pass: the report for a 50-person team with a
 * year of history is some thousands of rows (see docs/PERFORMANCE.md). */
#include "rs-report.h"


#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "rs-access.h"
#include "rs-csv-field.h"
#include "rs-error.h"
#include "rs-i18n.h"
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

/* The level probabilities stored with a result (columns first..first+4,
 * p_novice..p_expert) into p; NULL when the result kept none (results from
 * before they were stored), and the score then approximates them from θ
 * and SE. */
static const double *
stored_probabilities (sqlite3_stmt *stmt, int first, double p[RS_N_LEVELS])
{
  for (int l = 0; l < RS_N_LEVELS; l++)
    {
      if (sqlite3_column_type (stmt, first + l) == SQLITE_NULL)
        return NULL;
      p[l] = sqlite3_column_double (stmt, first + l);
    }
  return p;
}

/* Rows come oldest first, so the last one seen for a skill is its latest.
 * level_probability may be NULL (see stored_probabilities). */
static void
result_set (RsReportResult *result, gint64 date, double theta, double se, int n_items,
            const double *level_probability)
{
  result->measured = TRUE;
  rs_skill_score_init_full (&result->score, theta, se, level_probability);
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
  g_set_error (error, RS_ERROR, RS_ERROR_DB_CORRUPT, _("The database holds a result for an unknown skill \"%s\"."),
               id != NULL ? id : "(null)");
  return FALSE;
}

/* --- reading a team --- */

/* The team's standing as results come in, oldest first: per skill, the
 * sum and count of every member's latest result so far. */
typedef struct {
  double sum[RS_N_SKILLS];
  guint n[RS_N_SKILLS];
} Standing;

/* Appends the standing as quarter index's point. */
static void
add_quarter (GArray *progress, int index, const Standing *standing)
{
  RsQuarterProgress point = { .year = index / 4, .quarter = index % 4 + 1 };

  for (int s = 0; s < RS_N_SKILLS; s++)
    {
      point.n[s] = standing->n[s];
      /* One result per member: the members measured are the people the
       * small-group rule counts. */
      point.n_people[s] = standing->n[s];
      point.mean_theta[s] = standing->n[s] > 0 ? standing->sum[s] / standing->n[s] : 0.0;
    }
  g_array_append_val (progress, point);
}

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
        " WHERE a.person_id = ? AND a.status = 'finished' AND a.practice = 0"
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
          /* The overview shows counts and means, not levels: the covering
           * index, without the stored probabilities, keeps it fast. */
          result_set (&member->latest[skill], sqlite3_column_int64 (stmt, 0), sqlite3_column_double (stmt, 2),
                      sqlite3_column_double (stmt, 3), sqlite3_column_int (stmt, 4), NULL);
        }
      if (n_seen < RS_N_SKILLS && rc != SQLITE_DONE)
        return FALSE;
    }
  return TRUE;
}

/* Finished results as they come, oldest first, into each member's latest
 * result and, when progress is not NULL, the team's standing at the end of
 * every quarter from the first result to the last (RsQuarterProgress):
 * each member's latest result by then, so a quarter in which one person
 * took a short test moves the team by that one person's change, and a
 * quarter with no test keeps the standing it had. One reader for the
 * kiosk's database and for rows read elsewhere (the organization's server,
 * RsReportBuilder). */
typedef struct {
  GHashTable *by_id;          /* person id → RsReportMember */
  GArray *progress;           /* NULL: no quarters */
  Standing standing;
  gint64 last_date;
  int quarter, current;
} ResultReader;

static void
result_reader_init (ResultReader *reader, GHashTable *by_id, GArray *progress)
{
  *reader = (ResultReader) { .by_id = by_id, .progress = progress, .last_date = G_MININT64, .current = G_MININT };
}

/* People of the team who are not members (its managers) are skipped.
 * probabilities: the level probabilities stored with the result, or NULL. */
static void
result_reader_add (ResultReader *reader, gint64 person_id, gint64 date, RsSkill skill, double theta, double se,
                   int n_items, const double *probabilities)
{
  RsReportMember *member = g_hash_table_lookup (reader->by_id, &person_id);
  RsReportResult *latest;

  if (member == NULL)
    return;
  latest = &member->latest[skill];
  if (reader->progress != NULL)
    {
      /* Rows of one attempt share a date: one time-zone lookup each. */
      if (date != reader->last_date)
        reader->quarter = quarter_index (date);
      reader->last_date = date;
      /* Into a later quarter: the ones behind, empty ones included,
       * close with the standing reached. */
      for (; reader->current != G_MININT && reader->current < reader->quarter; reader->current++)
        add_quarter (reader->progress, reader->current, &reader->standing);
      reader->current = reader->quarter;
      /* The member's earlier result in the skill gives way. */
      if (latest->measured)
        reader->standing.sum[skill] -= latest->score.theta;
      else
        reader->standing.n[skill]++;
      reader->standing.sum[skill] += theta;
    }
  result_set (latest, date, theta, se, n_items, probabilities);
}

/* The last quarter closes with the standing reached. */
static void
result_reader_finish (ResultReader *reader)
{
  if (reader->progress != NULL && reader->current != G_MININT)
    add_quarter (reader->progress, reader->current, &reader->standing);
}

/* Every finished result of the team's people that is not practice, oldest
 * first, through a ResultReader. */
static gboolean
load_results_tx (RsStore *store, gint64 team_id, GHashTable *by_id, GArray *progress, GError **error)
{
  g_autoptr (RsStoreStmt) stmt = rs_store_query (store, error,
    "SELECT a.person_id, a.finished_at, r.skill, r.theta, r.se, r.n_items,"
    " r.p_novice, r.p_developing, r.p_proficient, r.p_advanced, r.p_expert"
    " FROM people AS p"
    " JOIN attempts AS a ON a.person_id = p.id AND a.status = 'finished' AND a.practice = 0"
    " JOIN results AS r ON r.attempt_id = a.uuid"
    " WHERE p.team_id = ? AND p.active = 1"
    " ORDER BY a.finished_at, a.rowid",
    "l", team_id);
  ResultReader reader;
  int rc;

  if (stmt == NULL)
    return FALSE;
  result_reader_init (&reader, by_id, progress);
  while ((rc = rs_store_step (store, stmt, error)) == SQLITE_ROW)
    {
      double p[RS_N_LEVELS];
      RsSkill skill;

      if (!get_skill (store, stmt, 2, &skill, error))
        return FALSE;
      result_reader_add (&reader, sqlite3_column_int64 (stmt, 0), sqlite3_column_int64 (stmt, 1), skill,
                         sqlite3_column_double (stmt, 3), sqlite3_column_double (stmt, 4),
                         sqlite3_column_int (stmt, 5), stored_probabilities (stmt, 6, p));
    }
  if (rc != SQLITE_DONE)
    return FALSE;
  result_reader_finish (&reader);
  return TRUE;
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
              RsLevel level = result->score.level;

              distribution->n_at_level[level]++;
              if (!result->score.level_claimed)
                {
                  distribution->n_between++;
                  if (distribution->n_between_at[level]++ == 0)
                    {
                      distribution->between_low[level] = result->score.level_low;
                      distribution->between_high[level] = result->score.level_high;
                    }
                  else
                    {
                      distribution->between_low[level] = MIN (distribution->between_low[level],
                                                              result->score.level_low);
                      distribution->between_high[level] = MAX (distribution->between_high[level],
                                                               result->score.level_high);
                    }
                }
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

  if (!team_name_tx (store, report->team_id, &report->team_name, error))
    return FALSE;
  if (report->team_name == NULL)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_NOT_FOUND, _("There is no team with id %lld."),
                   (long long) report->team_id);
      return FALSE;
    }
  report->progress = g_array_new (FALSE, TRUE, sizeof (RsQuarterProgress));
  return load_members_tx (store, report->team_id, report->members, by_id, error)
         && (with_progress ? load_results_tx (store, report->team_id, by_id, report->progress, error)
                           : load_latest_tx (store, by_id, error));
}

/* --- the privacy policy --- */

static guint
count_measured_members (const GPtrArray *members)
{
  guint n = 0;

  for (guint m = 0; m < members->len; m++)
    {
      const RsReportMember *member = g_ptr_array_index (members, m);

      for (int s = 0; s < RS_N_SKILLS; s++)
        if (member->latest[s].measured)
          {
            n++;
            break;
          }
    }
  return n;
}

/* Once the figures are made from every member: what the policy lets the
 * viewer see of them. Every figure asks rs_access_rule as a leader of the
 * team would; what it refuses is zeroed and flagged, not merely hidden,
 * so that no page, PDF or CSV can show it by mistake. */
static void
apply_policy (RsTeamReport *report, const RsTeamView *view)
{
  report->visibility = view->visibility;
  report->min_group = view->min_group;
  report->names_shown = view->names;
  report->n_members = report->members->len;
  report->n_measured_members = count_measured_members (report->members);
  if (report->names_shown)
    return;

  for (int s = 0; s < RS_N_SKILLS; s++)
    {
      RsSkillDistribution *distribution = &report->distribution[s];
      guint n_measured = report->n_members - distribution->n_not_measured;

      /* Nobody measured: nothing about anyone's result to hide. */
      if (n_measured > 0
          && !rs_access_rule (view->visibility, RS_RELATION_LEADER, RS_DETAIL_GROUP, n_measured, view->min_group))
        {
          report->too_few[s] = TRUE;
          memset (distribution->n_at_level, 0, sizeof distribution->n_at_level);
          memset (distribution->n_between_at, 0, sizeof distribution->n_between_at);
          distribution->n_between = 0;
        }
    }
  report->readiness_too_few = report->n_measured_members > 0
                              && !rs_access_rule (view->visibility, RS_RELATION_LEADER, RS_DETAIL_GROUP,
                                                  report->n_measured_members, view->min_group);
  for (guint r = 0; r < report->readiness->len; r++)
    {
      RsRoleReadiness *readiness = &g_array_index (report->readiness, RsRoleReadiness, r);

      /* Who is closest is a named person: never under this policy. */
      readiness->closest = -1;
      readiness->closest_gap = 0;
      g_clear_pointer (&readiness->closest_steps, g_array_unref);
      if (report->readiness_too_few)
        readiness->n_ready = 0;
    }
  for (guint q = 0; report->progress != NULL && q < report->progress->len; q++)
    {
      RsQuarterProgress *point = &g_array_index (report->progress, RsQuarterProgress, q);

      for (int s = 0; s < RS_N_SKILLS; s++)
        if (point->n[s] > 0
            && !rs_access_rule (view->visibility, RS_RELATION_LEADER, RS_DETAIL_GROUP, point->n_people[s],
                                view->min_group))
          {
            point->too_few[s] = TRUE;
            point->n[s] = 0;
            point->n_people[s] = 0;
            point->mean_theta[s] = 0.0;
          }
    }
  g_ptr_array_set_size (report->members, 0);
}

static GArray *
member_ids (const RsTeamReport *report)
{
  GArray *ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), report->members->len);

  for (guint m = 0; m < report->members->len; m++)
    g_array_append_val (ids, ((const RsReportMember *) g_ptr_array_index (report->members, m))->person_id);
  return ids;
}

/* A view of named results on a read-only database cannot be recorded; the
 * command line says so (as it does for exports), so it is let through. */
static gboolean
record_views (RsStore *store, const RsPerson *viewer, const gint64 *ids, guint n, RsViewKind kind, GError **error)
{
  if (n == 0 || rs_store_is_read_only (store))
    return TRUE;
  return rs_privacy_record_views (store, viewer, ids, n, kind, error);
}

gboolean
rs_team_report_record_export (RsStore *store, const RsPerson *viewer, const RsTeamReport *report, RsViewKind kind,
                              GError **error)
{
  g_autoptr (GArray) ids = NULL;

  g_return_val_if_fail (store != NULL && viewer != NULL && report != NULL, FALSE);
  if (!report->names_shown)
    return TRUE;
  ids = member_ids (report);
  return record_views (store, viewer, (const gint64 *) ids->data, ids->len, kind, error);
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
      g_set_error (error, RS_ERROR, RS_ERROR_NOT_FOUND, _("There is no team named \u201c%s\u201d."), name);
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
      g_set_error (error, RS_ERROR, RS_ERROR_DENIED, _("You can only see the teams you lead."));
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

  g_autoptr (GArray) ids = NULL;
  RsTeamView view;

  g_return_val_if_fail (store != NULL && roles != NULL, NULL);
  /* Asks under its own hold of the lock: before ours. */
  if (!rs_access_team_view (store, viewer, team_id, &view, error))
    return NULL;
  report = team_report_alloc (roles, team_id);
  report->viewer_name = g_strdup (viewer->name);
  locker = g_mutex_locker_new (rs_store_get_lock (store));
  if (!rs_store_begin (store, FALSE, error)
      || !rs_store_end (store, build_team_tx (store, report, TRUE, error), error))
    return NULL;
  g_clear_pointer (&locker, g_mutex_locker_free);
  summarize (report);
  apply_policy (report, &view);
  ids = member_ids (report);
  if (!record_views (store, viewer, (const gint64 *) ids->data, ids->len, RS_VIEW_TEAM_REPORT, error))
    return NULL;
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
    "SELECT a.finished_at, r.skill, r.theta, r.se, r.n_items,"
    " r.p_novice, r.p_developing, r.p_proficient, r.p_advanced, r.p_expert"
    " FROM attempts AS a JOIN results AS r ON r.attempt_id = a.uuid"
    " WHERE a.person_id = ? AND a.status = 'finished' AND a.practice = 0"
    " ORDER BY a.finished_at, a.rowid",
    "l", report->person_id);
  int rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = rs_store_step (store, stmt, error)) == SQLITE_ROW)
    {
      RsReportPoint point = { .date = sqlite3_column_int64 (stmt, 0), .n_items = sqlite3_column_int (stmt, 4) };
      double p[RS_N_LEVELS];
      const double *stored;
      RsSkill skill;

      if (!get_skill (store, stmt, 1, &skill, error))
        return FALSE;
      stored = stored_probabilities (stmt, 5, p);
      rs_skill_score_init_full (&point.score, sqlite3_column_double (stmt, 2), sqlite3_column_double (stmt, 3), stored);
      g_array_append_val (report->history[skill], point);
      result_set (&report->latest[skill], point.date, point.score.theta, point.score.se, point.n_items, stored);
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
  if (!rs_access_can_see (store, viewer, person_id, RS_DETAIL_LEVELS, error))
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
  if (!record_views (store, viewer, &person_id, 1, RS_VIEW_MEMBER, error))
    return NULL;
  return g_steal_pointer (&report);
}

/* --- one attempt's answers --- */

GPtrArray *
rs_report_member_attempts (RsStore *store, const RsPerson *viewer, gint64 person_id, GError **error)
{
  g_autoptr (GPtrArray) attempts = NULL;
  RsRelation relation;

  g_return_val_if_fail (store != NULL, NULL);
  if (!rs_access_can_see (store, viewer, person_id, RS_DETAIL_LEVELS, error)
      || !rs_access_relation (store, viewer, person_id, &relation, error))
    return NULL;
  attempts = rs_store_list_finished (store, person_id, error);
  if (attempts == NULL)
    return NULL;
  /* Practice is the person's alone. */
  for (guint i = attempts->len; relation != RS_RELATION_SELF && i-- > 0;)
    if (((RsAttempt *) g_ptr_array_index (attempts, i))->practice)
      g_ptr_array_remove_index (attempts, i);
  return g_steal_pointer (&attempts);
}

RsAttempt *
rs_report_load_answers (RsStore *store, const RsPerson *viewer, const char *uuid, GError **error)
{
  g_autoptr (RsAttempt) attempt = NULL;
  g_autoptr (GError) local = NULL;
  RsRelation relation = RS_RELATION_NONE;

  g_return_val_if_fail (store != NULL && uuid != NULL, NULL);
  attempt = rs_store_load_attempt (store, uuid, &local);
  if (attempt == NULL && !g_error_matches (local, RS_ERROR, RS_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  /* A guest's attempt belongs to nobody who could sign in to see it. */
  if (attempt != NULL && attempt->person_id != 0
      && !rs_access_relation (store, viewer, attempt->person_id, &relation, error))
    return NULL;
  if (relation == RS_RELATION_SELF)
    return g_steal_pointer (&attempt);
  if (attempt == NULL || relation != RS_RELATION_LEADER)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_DENIED, "%s", _("You can only see your own answers."));
      return NULL;
    }
  if (!rs_access_can_see (store, viewer, attempt->person_id,
                          attempt->practice ? RS_DETAIL_PRACTICE : RS_DETAIL_ANSWERS, error))
    return NULL;
  if (attempt->status != RS_ATTEMPT_FINISHED)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_DENIED, "%s", _("Answers are shown once the assessment is finished."));
      return NULL;
    }
  if (!record_views (store, viewer, &attempt->person_id, 1, RS_VIEW_ANSWERS, error))
    return NULL;
  return g_steal_pointer (&attempt);
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
summary_from (const RsTeamReport *team, RsVisibility visibility, guint min_group)
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
  summary->visibility = visibility;
  for (int s = 0; s < RS_N_SKILLS; s++)
    {
      /* The same rule as the team report: a mean over too few people of a
       * team that is shown only in summaries is left out. */
      summary->too_few[s] = summary->n_measured[s] > 0
                            && !rs_access_rule (visibility, RS_RELATION_LEADER, RS_DETAIL_GROUP,
                                                summary->n_measured[s], min_group);
      if (summary->too_few[s])
        sum[s] = 0.0;
      summary->mean_theta[s] = summary->n_measured[s] > 0 && !summary->too_few[s] ? sum[s] / summary->n_measured[s]
                                                                                 : 0.0;
      summary->mean_level[s] = summary->n_measured[s] > 0 && !summary->too_few[s]
                               ? rs_level_for_theta (summary->mean_theta[s]) : RS_LEVEL_INVALID;
    }
  summary->readiness_too_few = count_measured_members (team->members) > 0
                               && !rs_access_rule (visibility, RS_RELATION_LEADER, RS_DETAIL_GROUP,
                                                   count_measured_members (team->members), min_group);
  for (guint r = 0; r < team->readiness->len; r++)
    summary->n_ready[r] = summary->readiness_too_few ? 0 : g_array_index (team->readiness, RsRoleReadiness, r).n_ready;
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
                           _("The company overview is for managers and administrators."));
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
      RsVisibility visibility;
      guint min_group;

      if (!rs_privacy_team_policy (store, team->team_id, &visibility, &min_group, NULL, error))
        return NULL;
      team->roles = roles;
      summarize (team);
      g_ptr_array_add (overview->teams, summary_from (team, visibility, min_group));
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
  ResultReader reader;
  RsTeamView view;
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
  builder->report->progress = g_array_new (FALSE, TRUE, sizeof (RsQuarterProgress));
  result_reader_init (&builder->reader, builder->by_id, with_progress ? builder->report->progress : NULL);
  /* The organization's default policy until the caller sets the one in
   * force for the team. */
  builder->view = (RsTeamView) { .visibility = RS_PRIVACY_DEFAULT_VISIBILITY,
                                 .min_group = RS_PRIVACY_DEFAULT_MIN_GROUP, .names = TRUE };
  return builder;
}

void
rs_report_builder_free (RsReportBuilder *builder)
{
  if (builder == NULL)
    return;
  g_clear_pointer (&builder->report, rs_team_report_free);
  g_hash_table_unref (builder->by_id);
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
                              double theta, double se, int n_items, const double *probabilities)
{
  g_return_if_fail (skill >= 0 && skill < RS_N_SKILLS);
  result_reader_add (&builder->reader, person_id, finished_at, skill, theta, se, n_items, probabilities);
}

void
rs_report_builder_set_view (RsReportBuilder *builder, const RsTeamView *view)
{
  builder->view = *view;
}

RsTeamReport *
rs_report_builder_finish (RsReportBuilder *builder)
{
  RsTeamReport *report;

  result_reader_finish (&builder->reader);
  report = g_steal_pointer (&builder->report);
  summarize (report);
  apply_policy (report, &builder->view);
  rs_report_builder_free (builder);
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
    {
      const RsTeamReport *team = g_ptr_array_index (teams, t);

      /* Each team under the policy its builder applied. */
      g_ptr_array_add (overview->teams, summary_from (team, team->visibility, team->min_group));
    }
  g_ptr_array_sort (overview->teams, compare_summaries);
  return overview;
}

/* --- CSV --- */

/* RFC 4180: a field with a comma, quote or line break is quoted, quotes
 * inside doubled. */
static void
csv_field (GString *out, const char *text, gboolean last)
{
  rs_csv_append_field (out, text);
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

/* The figures of a report that names nobody (see rs-report.h). */
static void
write_aggregates_csv (const RsTeamReport *report, GString *out)
{
  g_string_append (out, "kind,name,level,count\r\n");
  for (int s = 0; s < RS_N_SKILLS; s++)
    {
      const RsSkillDistribution *distribution = &report->distribution[s];

      if (report->too_few[s])
        {
          g_string_append_printf (out, "distribution,%s,too few to show,\r\n", rs_skill_id ((RsSkill) s));
          continue;
        }
      for (int l = 0; l < RS_N_LEVELS; l++)
        {
          g_autofree char *level = g_ascii_strdown (rs_level_name ((RsLevel) l), -1);
          g_string_append_printf (out, "distribution,%s,%s,%u\r\n", rs_skill_id ((RsSkill) s), level,
                                  distribution->n_at_level[l]);
        }
      g_string_append_printf (out, "distribution,%s,not measured,%u\r\n", rs_skill_id ((RsSkill) s),
                              distribution->n_not_measured);
    }
  for (guint r = 0; r < report->readiness->len; r++)
    {
      const RsRoleReadiness *readiness = &g_array_index (report->readiness, RsRoleReadiness, r);

      csv_field (out, "readiness", FALSE);
      csv_text (out, readiness->role->name, FALSE);
      if (report->readiness_too_few)
        g_string_append (out, "too few to show,\r\n");
      else
        {
          /* The role's name is the only typed text in the row. */
          g_string_append_printf (out, "ready,%u\r\n", readiness->n_ready);
          csv_field (out, "readiness", FALSE);
          csv_text (out, readiness->role->name, FALSE);
          g_string_append_printf (out, "not ready,%u\r\n", report->n_measured_members - readiness->n_ready);
        }
    }
}

gboolean
rs_team_report_write_csv (const RsTeamReport *report, const char *path, GError **error)
{
  return rs_team_report_write_csv_full (report, NULL, path, error);
}

gboolean
rs_team_report_write_csv_full (const RsTeamReport *report, const RsTrainingNeeds *needs, const char *path,
                               GError **error)
{
  g_autoptr (GString) out = g_string_new (NULL);
  g_autoptr (GError) local_error = NULL;

  g_return_val_if_fail (report != NULL && path != NULL, FALSE);
  if (!report->names_shown)
    write_aggregates_csv (report, out);
  else
    g_string_append (out, "employee_no,name,skill,level,score,score_low,score_high,date,fitted_role\r\n");
  for (guint m = 0; report->names_shown && m < report->members->len; m++)
    {
      const RsReportMember *member = g_ptr_array_index (report->members, m);
      const char *role = member->best != NULL ? member->best->role->name : "";

      for (int s = 0; s < RS_N_SKILLS; s++)
        {
          const RsReportResult *result = &member->latest[s];
          g_autofree char *level = result->measured ? rs_skill_score_describe_untranslated (&result->score) : NULL;
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
  if (needs != NULL)
    {
      /* A second table after an empty line: spreadsheets show it below the
       * first, and a program reading the file splits at the empty line. */
      g_string_append (out, "\r\n");
      rs_training_needs_append_csv (needs, out);
    }
  /* Temporary file in the same folder, fsynced, renamed over the target. */
  if (!g_file_set_contents_full (path, out->str, (gssize) out->len,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE, 0600, &local_error))
    {
      g_set_error (error, RS_ERROR, RS_ERROR_IO, _("Cannot write the CSV file: %s"), local_error->message);
      return FALSE;
    }
  return TRUE;
}
