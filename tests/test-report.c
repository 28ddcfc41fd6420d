/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Reports on a small organization made by hand, whose every figure can be
 * worked out on paper: levels, distributions, quarters, who is closest to a
 * role; who may see what; the CSV byte for byte; and the PDF.
 *
 *   Alpha  (led by Max, 2001, who is also in it; leads Empty too)
 *     3001 Ann Able            2024-02-15 python 0.0/0.3, statistics -1.0/0.3
 *                              2024-05-15 python 1.0/0.3
 *                              2024-11-15 empathy 0.0/0.4
 *     3002 Bob, "Bobby" Brown  2024-02-20 python 0.5/0.5, ml 2.0/0.3
 *     3003 Cy Clear            nothing yet
 *     3009 Old Timer           inactive (python 2.0): not a member
 *     2001 Max (manager)       2024-02-10 python -2.0: not a member
 *   Beta   (led by Nia, 2002)  3101 Dee Dunn
 *   Solo   3201 Sol Single     2025-03-03 all four skills
 *   Empty  nobody
 *
 * Roles: Analyst wants Python and Statistics Proficient; Builder wants
 * Python Advanced. Times are noon UTC, and TZ is UTC, so dates and quarters
 * are what the table says. */
#include <glib/gstdio.h>
#include <math.h>
#include <sqlite3.h>
#include <string.h>

#include "rs-error.h"
#include "rs-report-cells.h"
#include "rs-report-charts.h"
#include "rs-report-pdf.h"
#include "rs-report.h"
#include "rs-store.h"

#define DAY(unix_seconds) ((gint64) (unix_seconds) * G_USEC_PER_SEC)
#define FEB_10 DAY (1707566400)
#define FEB_15 DAY (1707998400)
#define FEB_20 DAY (1708430400)
#define MAY_15 DAY (1715774400)
#define NOV_15 DAY (1731672000)
#define MAR_03 DAY (1741003200)

static const char roles_yaml[] =
  "roles:\n"
  "  - id: analyst\n"
  "    name: Analyst\n"
  "    summary: Reads data.\n"
  "    wants:\n"
  "      python: {level: Proficient, weight: 1}\n"
  "      statistics: {level: Proficient, weight: 1}\n"
  "  - id: builder\n"
  "    name: Builder\n"
  "    summary: Builds things.\n"
  "    wants:\n"
  "      python: {level: Advanced, weight: 1}\n";

typedef struct {
  char *dir;
  RsStore *store;
  RsRoleSet *roles;
  RsPerson *admin, *max, *nia, *ann, *bob;
  gint64 alpha, beta, solo, empty;
} Fixture;

static gint64 fake_now;

static gint64
fake_clock (void)
{
  return fake_now;
}

static gint64
add (Fixture *f, const char *number, const char *name, const char *team, RsPersonRole role)
{
  g_autoptr (GError) error = NULL;
  gint64 id = 0;

  g_assert_true (rs_store_add_person (f->store, number, name, team, role, NULL, &id, &error));
  g_assert_no_error (error);
  return id;
}

static void
finish (Fixture *f, gint64 person_id, gint64 when, const RsSkillResult *results, int n)
{
  g_autoptr (RsAttempt) attempt = rs_attempt_new ();
  g_autoptr (GError) error = NULL;

  fake_now = when;
  attempt->person_id = person_id;
  attempt->mode = RS_MODE_QUICK;
  attempt->n_skills = n;
  for (int i = 0; i < n; i++)
    attempt->skills[i] = results[i].skill;
  for (int s = 0; s < RS_N_SKILLS; s++)
    attempt->self_level[s] = RS_LEVEL_INVALID;
  attempt->bank_version = g_strdup ("test");
  g_assert_true (rs_store_begin_attempt (f->store, attempt, &error));
  g_assert_no_error (error);
  g_assert_true (rs_store_finish_attempt (f->store, attempt->uuid, results, n, &error));
  g_assert_no_error (error);
}

#define R(skill, theta, se) { RS_SKILL_##skill, theta, se, 10, RS_LEVEL_PROFICIENT }

static RsPerson *
person (Fixture *f, const char *number)
{
  g_autoptr (GError) error = NULL;
  RsPerson *p = rs_store_find_person (f->store, number, &error);

  g_assert_no_error (error);
  return p;
}

static gint64
team (Fixture *f, const char *name)
{
  g_autoptr (GError) error = NULL;
  gint64 id = 0;

  g_assert_true (rs_report_find_team (f->store, name, &id, &error));
  g_assert_no_error (error);
  return id;
}

static void
setup (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *db = NULL, *roles = NULL;
  gint64 ann, bob, old, max, nia, sol;

  f->dir = g_dir_make_tmp ("reskill-report-XXXXXX", NULL);
  db = g_build_filename (f->dir, "test.db", NULL);
  roles = g_build_filename (f->dir, "roles.yaml", NULL);
  g_assert_true (g_file_set_contents (roles, roles_yaml, -1, NULL));
  f->roles = rs_role_set_load (roles, &error);
  g_assert_no_error (error);
  rs_store_set_clock (fake_clock);
  fake_now = FEB_10 - DAY (86400);
  f->store = rs_store_open (db, &error);
  g_assert_no_error (error);

  add (f, "1000", "Ada Admin", NULL, RS_PERSON_ADMIN);
  max = add (f, "2001", "Max Manager", "Alpha", RS_PERSON_MANAGER);
  nia = add (f, "2002", "Nia Manager", "Beta", RS_PERSON_MANAGER);
  ann = add (f, "3001", "Ann Able", "Alpha", RS_PERSON_EMPLOYEE);
  bob = add (f, "3002", "Bob, \"Bobby\" Brown", "Alpha", RS_PERSON_EMPLOYEE);
  add (f, "3003", "Cy Clear", "Alpha", RS_PERSON_EMPLOYEE);
  old = add (f, "3009", "Old Timer", "Alpha", RS_PERSON_EMPLOYEE);
  add (f, "3101", "Dee Dunn", "Beta", RS_PERSON_EMPLOYEE);
  sol = add (f, "3201", "Sol Single", "Solo", RS_PERSON_EMPLOYEE);
  g_assert_true (rs_store_ensure_team (f->store, "Empty", &f->empty, &error));
  f->alpha = team (f, "Alpha");
  f->beta = team (f, "Beta");
  f->solo = team (f, "Solo");
  g_assert_true (rs_store_set_team_manager (f->store, f->alpha, max, &error));
  g_assert_true (rs_store_set_team_manager (f->store, f->empty, max, &error));
  g_assert_true (rs_store_set_team_manager (f->store, f->beta, nia, &error));
  g_assert_no_error (error);

  finish (f, ann, FEB_15, (RsSkillResult[]) { R (PYTHON, 0.0, 0.3), R (STATISTICS, -1.0, 0.3) }, 2);
  finish (f, ann, MAY_15, (RsSkillResult[]) { R (PYTHON, 1.0, 0.3) }, 1);
  finish (f, ann, NOV_15, (RsSkillResult[]) { R (EMPATHY, 0.0, 0.4) }, 1);
  finish (f, bob, FEB_20, (RsSkillResult[]) { R (PYTHON, 0.5, 0.5), R (ML, 2.0, 0.3) }, 2);
  finish (f, old, FEB_20, (RsSkillResult[]) { R (PYTHON, 2.0, 0.3) }, 1);
  finish (f, max, FEB_10, (RsSkillResult[]) { R (PYTHON, -2.0, 0.3) }, 1);
  finish (f, sol, MAR_03, (RsSkillResult[]) { R (PYTHON, 0.2, 0.4), R (STATISTICS, -0.2, 0.4),
                                              R (ML, 1.7, 0.3), R (EMPATHY, -1.6, 0.5) }, 4);
  /* No API switches people off yet: the column is what matters here. */
  g_assert_cmpint (sqlite3_exec (rs_store_get_db (f->store), "UPDATE people SET active = 0 WHERE employee_no = '3009'",
                                 NULL, NULL, NULL), ==, 0);

  f->admin = person (f, "1000");
  f->max = person (f, "2001");
  f->nia = person (f, "2002");
  f->ann = person (f, "3001");
  f->bob = person (f, "3002");
}

static void
teardown (Fixture *f, gconstpointer data)
{
  g_autoptr (GDir) dir = g_dir_open (f->dir, 0, NULL);
  const char *name;

  rs_store_close (f->store);
  rs_store_set_clock (NULL);
  rs_role_set_free (f->roles);
  rs_person_free (f->admin);
  rs_person_free (f->max);
  rs_person_free (f->nia);
  rs_person_free (f->ann);
  rs_person_free (f->bob);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (f->dir, name, NULL);
      g_assert_cmpint (g_unlink (path), ==, 0);
    }
  g_assert_cmpint (g_rmdir (f->dir), ==, 0);
  g_free (f->dir);
}

static RsTeamReport *
alpha_report (Fixture *f, const RsPerson *viewer)
{
  g_autoptr (GError) error = NULL;
  RsTeamReport *report = rs_team_report_new (f->store, f->roles, viewer, f->alpha, &error);

  g_assert_no_error (error);
  g_assert_nonnull (report);
  return report;
}

static const RsReportMember *
member (const RsTeamReport *report, guint index)
{
  g_assert_cmpuint (index, <, report->members->len);
  return g_ptr_array_index (report->members, index);
}

static char *
steps_text (const GArray *steps)
{
  g_autoptr (GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < steps->len; i++)
    g_ptr_array_add (parts, rs_step_describe (&g_array_index (steps, RsStep, i)));
  g_ptr_array_add (parts, NULL);
  return g_strjoinv ("; ", (char **) parts->pdata);
}

static void
test_team_members (Fixture *f, gconstpointer data)
{
  g_autoptr (RsTeamReport) report = alpha_report (f, f->max);
  const RsReportMember *ann, *bob, *cy;

  g_assert_cmpstr (report->team_name, ==, "Alpha");
  g_assert_cmpstr (report->viewer_name, ==, "Max Manager");
  /* The manager and the inactive person are not members; name order. */
  g_assert_cmpuint (report->members->len, ==, 3);
  ann = member (report, 0);
  bob = member (report, 1);
  cy = member (report, 2);
  g_assert_cmpstr (ann->name, ==, "Ann Able");
  g_assert_cmpstr (bob->employee_no, ==, "3002");
  g_assert_cmpstr (cy->name, ==, "Cy Clear");

  /* Ann's latest Python is May's 1.0: Advanced, claimed. */
  g_assert_true (ann->latest[RS_SKILL_PYTHON].measured);
  g_assert_cmpfloat_with_epsilon (ann->latest[RS_SKILL_PYTHON].score.theta, 1.0, 1e-12);
  g_assert_cmpint (ann->latest[RS_SKILL_PYTHON].date, ==, MAY_15);
  g_assert_cmpint (ann->latest[RS_SKILL_PYTHON].score.level, ==, RS_LEVEL_ADVANCED);
  g_assert_true (ann->latest[RS_SKILL_PYTHON].score.level_claimed);
  g_assert_cmpint (ann->latest[RS_SKILL_STATISTICS].score.level, ==, RS_LEVEL_DEVELOPING);
  g_assert_cmpint (ann->latest[RS_SKILL_STATISTICS].date, ==, FEB_15);
  g_assert_false (ann->latest[RS_SKILL_ML].measured);
  /* Empathy 0.0 with SE 0.4: Proficient is most likely but only 79% sure;
   * its neighbours are equally likely, and the lower one completes the band. */
  g_assert_cmpint (ann->latest[RS_SKILL_EMPATHY].score.level, ==, RS_LEVEL_PROFICIENT);
  g_assert_false (ann->latest[RS_SKILL_EMPATHY].score.level_claimed);
  g_assert_cmpint (ann->latest[RS_SKILL_EMPATHY].score.level_low, ==, RS_LEVEL_DEVELOPING);
  g_assert_cmpint (ann->latest[RS_SKILL_EMPATHY].score.level_high, ==, RS_LEVEL_PROFICIENT);
  /* Bob's Python 0.5 ± 0.64, right on the Advanced cut: Proficient and
   * Advanced equally likely (44% each); the lower is named, not claimed. */
  g_assert_cmpint (bob->latest[RS_SKILL_PYTHON].score.level, ==, RS_LEVEL_PROFICIENT);
  g_assert_cmpfloat_with_epsilon (bob->latest[RS_SKILL_PYTHON].score.decision.probability[RS_LEVEL_PROFICIENT],
                                  bob->latest[RS_SKILL_PYTHON].score.decision.probability[RS_LEVEL_ADVANCED], 1e-9);
  g_assert_false (bob->latest[RS_SKILL_PYTHON].score.level_claimed);
  g_assert_cmpint (bob->latest[RS_SKILL_ML].score.level, ==, RS_LEVEL_EXPERT);
  g_assert_true (bob->latest[RS_SKILL_ML].score.level_claimed);
  for (int s = 0; s < RS_N_SKILLS; s++)
    g_assert_false (cy->latest[s].measured);

  /* Builder (Python Advanced) is met by Ann and Bob: their best fit. Cy
   * has nothing measured: no best fit. */
  g_assert_nonnull (ann->best);
  g_assert_cmpstr (ann->best->role->id, ==, "builder");
  g_assert_true (ann->best->met);
  g_assert_cmpstr (bob->best->role->id, ==, "builder");
  g_assert_null (cy->best);
  g_assert_nonnull (cy->advice);
}

static void
test_team_distribution (Fixture *f, gconstpointer data)
{
  g_autoptr (RsTeamReport) report = alpha_report (f, f->admin);
  const RsSkillDistribution *python = &report->distribution[RS_SKILL_PYTHON];
  const RsSkillDistribution *statistics = &report->distribution[RS_SKILL_STATISTICS];
  const RsSkillDistribution *ml = &report->distribution[RS_SKILL_ML];
  const RsSkillDistribution *empathy = &report->distribution[RS_SKILL_EMPATHY];

  /* Ann's 1.0 is Advanced; Bob's 0.5, on the cut, counts at the lower of
   * the two equally likely levels (and among those "between"). */
  g_assert_cmpuint (python->n_at_level[RS_LEVEL_ADVANCED], ==, 1);
  g_assert_cmpuint (python->n_at_level[RS_LEVEL_PROFICIENT], ==, 1);
  g_assert_cmpuint (python->n_between, ==, 1);
  /* ... drawn as between, in the split fill of Bob's two levels. */
  g_assert_cmpuint (python->n_between_at[RS_LEVEL_PROFICIENT], ==, 1);
  g_assert_cmpuint (python->n_between_at[RS_LEVEL_ADVANCED], ==, 0);
  g_assert_cmpint (python->between_low[RS_LEVEL_PROFICIENT], ==, RS_LEVEL_PROFICIENT);
  g_assert_cmpint (python->between_high[RS_LEVEL_PROFICIENT], ==, RS_LEVEL_ADVANCED);
  g_assert_cmpuint (python->n_not_measured, ==, 1);
  g_assert_cmpuint (statistics->n_at_level[RS_LEVEL_DEVELOPING], ==, 1);
  g_assert_cmpuint (statistics->n_not_measured, ==, 2);
  g_assert_cmpuint (ml->n_at_level[RS_LEVEL_EXPERT], ==, 1);
  g_assert_cmpuint (ml->n_between, ==, 0);
  g_assert_cmpuint (ml->n_not_measured, ==, 2);
  g_assert_cmpuint (empathy->n_at_level[RS_LEVEL_PROFICIENT], ==, 1);
  g_assert_cmpuint (empathy->n_between, ==, 1);
  g_assert_cmpuint (empathy->n_not_measured, ==, 2);
  for (int s = 0; s < RS_N_SKILLS; s++)
    {
      guint total = report->distribution[s].n_not_measured;
      for (int l = 0; l < RS_N_LEVELS; l++)
        total += report->distribution[s].n_at_level[l];
      g_assert_cmpuint (total, ==, 3);
    }
}

static void
test_team_readiness (Fixture *f, gconstpointer data)
{
  g_autoptr (RsTeamReport) report = alpha_report (f, f->max);
  const RsRoleReadiness *analyst, *builder;
  g_autofree char *analyst_steps = NULL, *builder_steps = NULL;

  g_assert_cmpuint (report->readiness->len, ==, 2);
  analyst = &g_array_index (report->readiness, RsRoleReadiness, 0);
  builder = &g_array_index (report->readiness, RsRoleReadiness, 1);
  g_assert_cmpstr (analyst->role->id, ==, "analyst");

  /* Analyst: Ann misses Statistics by 0.5 (−1.0 against −0.5), Bob has
   * Statistics unmeasured (1.0), Cy has two unmeasured (2.0). */
  g_assert_cmpuint (analyst->n_ready, ==, 0);
  g_assert_cmpint (analyst->closest, ==, 0);
  g_assert_cmpfloat_with_epsilon (analyst->closest_gap, 0.5, 1e-9);
  analyst_steps = steps_text (analyst->closest_steps);
  g_assert_cmpstr (analyst_steps, ==, "raise Statistics from Developing to Proficient");

  /* Builder: Ann and Bob meet it; Cy is the only one left, his gap the
   * advisor's for an unmeasured skill: the prior 0.0 against 0.5, plus 1. */
  g_assert_cmpuint (builder->n_ready, ==, 2);
  g_assert_cmpint (builder->closest, ==, 2);
  g_assert_cmpfloat_with_epsilon (builder->closest_gap, 1.5, 1e-9);
  builder_steps = steps_text (builder->closest_steps);
  g_assert_cmpstr (builder_steps, ==, "take the Python assessment (wanted Advanced)");
}

static void
test_team_progress (Fixture *f, gconstpointer data)
{
  g_autoptr (RsTeamReport) report = alpha_report (f, f->max);
  const RsQuarterProgress *q;

  /* Q1 to Q4 2024, each where the team stood at its end: every member's
   * latest result by then. */
  g_assert_cmpuint (report->progress->len, ==, 4);
  q = &g_array_index (report->progress, RsQuarterProgress, 0);
  g_assert_cmpint (q->year, ==, 2024);
  g_assert_cmpint (q->quarter, ==, 1);
  /* Ann 0.0 and Bob 0.5; not the manager's −2.0 nor the inactive 2.0. */
  g_assert_cmpuint (q->n[RS_SKILL_PYTHON], ==, 2);
  g_assert_cmpfloat_with_epsilon (q->mean_theta[RS_SKILL_PYTHON], 0.25, 1e-12);
  g_assert_cmpuint (q->n[RS_SKILL_STATISTICS], ==, 1);
  g_assert_cmpfloat_with_epsilon (q->mean_theta[RS_SKILL_STATISTICS], -1.0, 1e-12);
  g_assert_cmpuint (q->n[RS_SKILL_ML], ==, 1);
  g_assert_cmpuint (q->n[RS_SKILL_EMPATHY], ==, 0);
  /* Q2: only Ann took Python again (1.0). The team is Ann's new 1.0 with
   * Bob's 0.5, not Ann alone: one person's test is not the quarter. */
  q = &g_array_index (report->progress, RsQuarterProgress, 1);
  g_assert_cmpint (q->quarter, ==, 2);
  g_assert_cmpuint (q->n[RS_SKILL_PYTHON], ==, 2);
  g_assert_cmpfloat_with_epsilon (q->mean_theta[RS_SKILL_PYTHON], 0.75, 1e-12);
  g_assert_cmpuint (q->n[RS_SKILL_STATISTICS], ==, 1);
  g_assert_cmpfloat_with_epsilon (q->mean_theta[RS_SKILL_STATISTICS], -1.0, 1e-12);
  /* Q3: nobody was tested; the team stands where it stood. */
  q = &g_array_index (report->progress, RsQuarterProgress, 2);
  g_assert_cmpint (q->quarter, ==, 3);
  g_assert_cmpuint (q->n[RS_SKILL_PYTHON], ==, 2);
  g_assert_cmpfloat_with_epsilon (q->mean_theta[RS_SKILL_PYTHON], 0.75, 1e-12);
  g_assert_cmpuint (q->n[RS_SKILL_ML], ==, 1);
  g_assert_cmpfloat_with_epsilon (q->mean_theta[RS_SKILL_ML], 2.0, 1e-12);
  g_assert_cmpuint (q->n[RS_SKILL_EMPATHY], ==, 0);
  q = &g_array_index (report->progress, RsQuarterProgress, 3);
  g_assert_cmpint (q->quarter, ==, 4);
  g_assert_cmpuint (q->n[RS_SKILL_EMPATHY], ==, 1);
  g_assert_cmpfloat_with_epsilon (q->mean_theta[RS_SKILL_EMPATHY], 0.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (q->mean_theta[RS_SKILL_PYTHON], 0.75, 1e-12);
}

/* A member tested twice: only their latest result stands for them. Gus
 * −1.0 in Q1 2024, then 1.0 in Q2 when Hal first gets 0.0: the team
 * stood at −1.0, then at (1.0 + 0.0) / 2, not at a mean of all three. */
static void
test_team_progress_latest (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RsTeamReport) report = NULL;
  gint64 gus = add (f, "3301", "Gus Gamma", "Gamma", RS_PERSON_EMPLOYEE);
  gint64 hal = add (f, "3302", "Hal Gamma", "Gamma", RS_PERSON_EMPLOYEE);
  const RsQuarterProgress *q;

  finish (f, gus, FEB_15, (RsSkillResult[]) { R (PYTHON, -1.0, 0.3) }, 1);
  finish (f, gus, MAY_15, (RsSkillResult[]) { R (PYTHON, 1.0, 0.3) }, 1);
  finish (f, hal, MAY_15 + DAY (86400), (RsSkillResult[]) { R (PYTHON, 0.0, 0.3) }, 1);
  report = rs_team_report_new (f->store, f->roles, f->admin, team (f, "Gamma"), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->progress->len, ==, 2);
  q = &g_array_index (report->progress, RsQuarterProgress, 0);
  g_assert_cmpuint (q->n[RS_SKILL_PYTHON], ==, 1);
  g_assert_cmpfloat_with_epsilon (q->mean_theta[RS_SKILL_PYTHON], -1.0, 1e-12);
  q = &g_array_index (report->progress, RsQuarterProgress, 1);
  g_assert_cmpuint (q->n[RS_SKILL_PYTHON], ==, 2);
  g_assert_cmpfloat_with_epsilon (q->mean_theta[RS_SKILL_PYTHON], 0.5, 1e-12);
}

static void
test_empty_team (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RsTeamReport) report = rs_team_report_new (f->store, f->roles, f->max, f->empty, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (report->team_name, ==, "Empty");
  g_assert_cmpuint (report->members->len, ==, 0);
  g_assert_cmpuint (report->progress->len, ==, 0);
  g_assert_cmpuint (report->readiness->len, ==, 2);
  for (guint r = 0; r < report->readiness->len; r++)
    {
      g_assert_cmpuint (g_array_index (report->readiness, RsRoleReadiness, r).n_ready, ==, 0);
      g_assert_cmpint (g_array_index (report->readiness, RsRoleReadiness, r).closest, ==, -1);
    }
  for (int s = 0; s < RS_N_SKILLS; s++)
    g_assert_cmpuint (report->distribution[s].n_not_measured, ==, 0);
}

static void
test_find_team (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RsTeamReport) report = NULL;
  gint64 id = 42;

  g_assert_false (rs_report_find_team (f->store, "Gamma", &id, &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "Gamma"));
  g_assert_cmpint (id, ==, 42);
  g_clear_error (&error);
  /* An admin asking for a team id that does not exist. */
  report = rs_team_report_new (f->store, f->roles, f->admin, 9999, &error);
  g_assert_null (report);
  g_assert_error (error, RS_ERROR, RS_ERROR_NOT_FOUND);
}

static void
assert_team_denied (Fixture *f, const RsPerson *viewer, gint64 team_id)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RsTeamReport) report = rs_team_report_new (f->store, f->roles, viewer, team_id, &error);

  g_assert_null (report);
  g_assert_error (error, RS_ERROR, RS_ERROR_DENIED);
}

static void
assert_member_denied (Fixture *f, const RsPerson *viewer, gint64 person_id)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RsMemberReport) report = rs_member_report_new (f->store, f->roles, viewer, person_id, &error);

  g_assert_null (report);
  g_assert_error (error, RS_ERROR, RS_ERROR_DENIED);
}

static void
test_access (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RsPerson) inactive = person (f, "3009");
  g_autoptr (RsTeamReport) allowed = NULL;
  g_autoptr (RsMemberReport) self = NULL;

  /* Team reports: an employee never, a manager only their teams, nobody
   * signed in never, an inactive account never. */
  assert_team_denied (f, f->ann, f->alpha);
  assert_team_denied (f, f->nia, f->alpha);
  assert_team_denied (f, f->max, f->beta);
  assert_team_denied (f, NULL, f->alpha);
  assert_team_denied (f, inactive, f->alpha);
  /* A manager asking for a team that does not exist learns nothing. */
  assert_team_denied (f, f->max, 9999);
  allowed = rs_team_report_new (f->store, f->roles, f->nia, f->beta, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (allowed->members->len, ==, 1);

  /* Member reports: oneself, one's manager, an admin. */
  assert_member_denied (f, f->ann, f->bob->id);
  assert_member_denied (f, f->nia, f->ann->id);
  assert_member_denied (f, NULL, f->ann->id);
  self = rs_member_report_new (f->store, f->roles, f->ann, f->ann->id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (self->name, ==, "Ann Able");
}

static void
test_member_report (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RsMemberReport) report = rs_member_report_new (f->store, f->roles, f->max, f->ann->id, &error);
  const RsReportPoint *point;

  g_assert_no_error (error);
  g_assert_cmpstr (report->employee_no, ==, "3001");
  g_assert_cmpstr (report->team_name, ==, "Alpha");
  g_assert_cmpuint (report->history[RS_SKILL_PYTHON]->len, ==, 2);
  point = &g_array_index (report->history[RS_SKILL_PYTHON], RsReportPoint, 0);
  g_assert_cmpint (point->date, ==, FEB_15);
  g_assert_cmpfloat_with_epsilon (point->score.theta, 0.0, 1e-12);
  g_assert_cmpint (point->score.level, ==, RS_LEVEL_PROFICIENT);
  point = &g_array_index (report->history[RS_SKILL_PYTHON], RsReportPoint, 1);
  g_assert_cmpint (point->date, ==, MAY_15);
  g_assert_cmpuint (report->history[RS_SKILL_STATISTICS]->len, ==, 1);
  g_assert_cmpuint (report->history[RS_SKILL_ML]->len, ==, 0);
  g_assert_cmpuint (report->history[RS_SKILL_EMPATHY]->len, ==, 1);
  g_assert_cmpfloat_with_epsilon (report->latest[RS_SKILL_PYTHON].score.theta, 1.0, 1e-12);
  g_assert_false (report->latest[RS_SKILL_ML].measured);
  g_assert_cmpstr (report->best->role->id, ==, "builder");
  g_assert_nonnull (report->advice->next_role);
  g_assert_cmpstr (report->advice->next_role->id, ==, "analyst");
}


/* Stored level probabilities are the ones reports show; results that kept
 * none are approximated from θ and SE. The stored ones here disagree with
 * the approximation on purpose (θ 1.0, SE 0.3 reads Advanced). */
static void
test_stored_level_probabilities (Fixture *f, gconstpointer data)
{
  RsSkillResult stored = R (PYTHON, 1.0, 0.3);
  const double p[RS_N_LEVELS] = { 0.0, 0.0, 0.02, 0.08, 0.9 };
  g_autoptr (GError) error = NULL;
  g_autoptr (RsTeamReport) team = NULL;
  g_autoptr (RsMemberReport) report = NULL;
  const RsReportPoint *point;
  RsSkillScore approximated;

  stored.has_level_probability = TRUE;
  memcpy (stored.level_probability, p, sizeof p);
  finish (f, f->ann->id, NOV_15 + DAY (86400), &stored, 1);

  team = alpha_report (f, f->max);
  g_assert_cmpstr (member (team, 0)->name, ==, "Ann Able");
  g_assert_cmpint (member (team, 0)->latest[RS_SKILL_PYTHON].score.level, ==, RS_LEVEL_EXPERT);
  g_assert_cmpfloat_with_epsilon (member (team, 0)->latest[RS_SKILL_PYTHON].score.level_probability, 0.9, 1e-12);
  g_assert_true (member (team, 0)->latest[RS_SKILL_PYTHON].score.level_claimed);

  report = rs_member_report_new (f->store, f->roles, f->max, f->ann->id, &error);
  g_assert_no_error (error);
  point = &g_array_index (report->history[RS_SKILL_PYTHON], RsReportPoint, report->history[RS_SKILL_PYTHON]->len - 1);
  g_assert_cmpint (point->score.level, ==, RS_LEVEL_EXPERT);
  g_assert_cmpfloat_with_epsilon (point->score.decision.probability[RS_LEVEL_ADVANCED], 0.08, 1e-12);
  g_assert_cmpint (report->latest[RS_SKILL_PYTHON].score.level, ==, RS_LEVEL_EXPERT);
  /* The earlier result kept no probabilities: the normal approximation. */
  point = &g_array_index (report->history[RS_SKILL_PYTHON], RsReportPoint, 1);
  rs_skill_score_init (&approximated, 1.0, 0.3);
  g_assert_cmpint (point->score.level, ==, RS_LEVEL_ADVANCED);
  g_assert_cmpfloat_with_epsilon (point->score.level_probability, approximated.level_probability, 1e-12);
}

static void
test_company_overview (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RsCompanyOverview) all = rs_company_overview_new (f->store, f->roles, f->admin, &error);
  g_autoptr (RsCompanyOverview) own = NULL;
  g_autoptr (RsCompanyOverview) none = NULL;
  const RsTeamSummary *alpha;

  g_assert_no_error (error);
  g_assert_cmpuint (all->teams->len, ==, 4);
  alpha = g_ptr_array_index (all->teams, 0);
  g_assert_cmpstr (alpha->team_name, ==, "Alpha");
  g_assert_cmpuint (alpha->n_members, ==, 3);
  g_assert_cmpuint (alpha->n_measured[RS_SKILL_PYTHON], ==, 2);
  g_assert_cmpfloat_with_epsilon (alpha->mean_theta[RS_SKILL_PYTHON], 0.75, 1e-12);
  g_assert_cmpint (alpha->mean_level[RS_SKILL_PYTHON], ==, RS_LEVEL_ADVANCED);
  g_assert_cmpint (alpha->mean_level[RS_SKILL_STATISTICS], ==, RS_LEVEL_DEVELOPING);
  g_assert_cmpint (alpha->mean_level[RS_SKILL_ML], ==, RS_LEVEL_EXPERT);
  g_assert_cmpuint (alpha->n_ready[0], ==, 0);
  g_assert_cmpuint (alpha->n_ready[1], ==, 2);
  g_assert_cmpstr (((RsTeamSummary *) g_ptr_array_index (all->teams, 1))->team_name, ==, "Beta");
  g_assert_cmpuint (((RsTeamSummary *) g_ptr_array_index (all->teams, 1))->n_members, ==, 1);
  g_assert_cmpint (((RsTeamSummary *) g_ptr_array_index (all->teams, 1))->mean_level[RS_SKILL_PYTHON], ==,
                   RS_LEVEL_INVALID);

  /* A manager gets the teams they lead. */
  own = rs_company_overview_new (f->store, f->roles, f->max, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (own->teams->len, ==, 2);
  g_assert_cmpstr (((RsTeamSummary *) g_ptr_array_index (own->teams, 0))->team_name, ==, "Alpha");
  g_assert_cmpstr (((RsTeamSummary *) g_ptr_array_index (own->teams, 1))->team_name, ==, "Empty");

  none = rs_company_overview_new (f->store, f->roles, f->ann, &error);
  g_assert_null (none);
  g_assert_error (error, RS_ERROR, RS_ERROR_DENIED);
  g_clear_error (&error);
  none = rs_company_overview_new (f->store, f->roles, NULL, &error);
  g_assert_null (none);
  g_assert_error (error, RS_ERROR, RS_ERROR_DENIED);
}

static void
test_csv (Fixture *f, gconstpointer data)
{
  static const char expected[] =
    "employee_no,name,skill,level,score,score_low,score_high,date,fitted_role\r\n"
    "3001,Ann Able,python,Advanced,63,58,67,2024-05-15,Builder\r\n"
    "3001,Ann Able,statistics,Developing,38,33,42,2024-02-15,Builder\r\n"
    "3001,Ann Able,ml,,,,,,Builder\r\n"
    "3001,Ann Able,empathy,between Developing and Proficient,50,44,56,2024-11-15,Builder\r\n"
    "3002,\"Bob, \"\"Bobby\"\" Brown\",python,between Proficient and Advanced,56,48,64,2024-02-20,Builder\r\n"
    "3002,\"Bob, \"\"Bobby\"\" Brown\",statistics,,,,,,Builder\r\n"
    "3002,\"Bob, \"\"Bobby\"\" Brown\",ml,Expert,75,70,80,2024-02-20,Builder\r\n"
    "3002,\"Bob, \"\"Bobby\"\" Brown\",empathy,,,,,,Builder\r\n"
    "3003,Cy Clear,python,,,,,,\r\n"
    "3003,Cy Clear,statistics,,,,,,\r\n"
    "3003,Cy Clear,ml,,,,,,\r\n"
    "3003,Cy Clear,empathy,,,,,,\r\n";
  g_autoptr (RsTeamReport) report = alpha_report (f, f->max);
  g_autoptr (RsTeamReport) empty = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *path = g_build_filename (f->dir, "alpha.csv", NULL);
  g_autofree char *missing = g_build_filename (f->dir, "no-such-folder", "alpha.csv", NULL);
  g_autofree char *contents = NULL;
  GStatBuf st;

  g_assert_true (rs_team_report_write_csv (report, path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, expected);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  /* Written again over the old file: replaced whole. */
  empty = rs_team_report_new (f->store, f->roles, f->max, f->empty, &error);
  g_assert_true (rs_team_report_write_csv (empty, path, &error));
  g_clear_pointer (&contents, g_free);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "employee_no,name,skill,level,score,score_low,score_high,date,fitted_role\r\n");

  g_assert_false (rs_team_report_write_csv (report, missing, &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_IO);
  g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
}

/* A name a spreadsheet would run as a formula is written as text. */
static void
test_csv_formula (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RsTeamReport) report = NULL;
  g_autofree char *path = g_build_filename (f->dir, "beta.csv", NULL);
  g_autofree char *contents = NULL;

  add (f, "3102", "=HYPERLINK(\"http://x\",\"y\")", "Beta", RS_PERSON_EMPLOYEE);
  add (f, "-3103", "@Eve", "Beta", RS_PERSON_EMPLOYEE);
  report = rs_team_report_new (f->store, f->roles, f->nia, f->beta, &error);
  g_assert_no_error (error);
  g_assert_true (rs_team_report_write_csv (report, path, &error));
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, "\r\n3102,\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",python,,,,,,\r\n"));
  g_assert_nonnull (strstr (contents, "\r\n'-3103,'@Eve,python,,,,,,\r\n"));
  g_assert_nonnull (strstr (contents, "\r\n3101,Dee Dunn,python,,,,,,\r\n"));
}

/* How many different colours an image has: a blank or one-colour drawing
 * has one or two. */
static guint
count_colours (cairo_surface_t *surface)
{
  g_autoptr (GHashTable) colours = g_hash_table_new (NULL, NULL);
  const guchar *data;
  int stride;

  cairo_surface_flush (surface);
  data = cairo_image_surface_get_data (surface);
  stride = cairo_image_surface_get_stride (surface);
  for (int y = 0; y < cairo_image_surface_get_height (surface); y++)
    for (int x = 0; x < cairo_image_surface_get_width (surface); x++)
      {
        guint32 pixel;
        memcpy (&pixel, data + y * stride + 4 * x, sizeof pixel);
        g_hash_table_add (colours, GUINT_TO_POINTER (pixel));
      }
  return g_hash_table_size (colours);
}

/* The charts a GTK page will reuse, in both palettes: they draw, with
 * text, and nothing fails on one person or none. */
static void
test_charts (Fixture *f, gconstpointer data)
{
  g_autoptr (RsTeamReport) report = alpha_report (f, f->max);
  const RsReportPalette *palettes[] = { rs_report_palette_print (), rs_report_palette_light (), rs_report_palette_dark () };

  for (guint p = 0; p < G_N_ELEMENTS (palettes); p++)
    {
      cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 600, 700);
      cairo_t *cr = cairo_create (surface);
      RsDraw draw;
      g_autoptr (GArray) no_progress = g_array_new (FALSE, TRUE, sizeof (RsQuarterProgress));
      RsSkillDistribution nobody = { { 0 } };

      rs_draw_init (&draw, cr, palettes[p], NULL);
      rs_draw_color (&draw, &palettes[p]->background);
      cairo_paint (cr);
      rs_draw_distribution_chart (&draw, "Python", &report->distribution[RS_SKILL_PYTHON], 10, 10, 280, 200);
      rs_draw_distribution_chart (&draw, "Nobody", &nobody, 310, 10, 280, 200);
      rs_draw_progress_chart (&draw, report->progress, 10, 230, 580, 200);
      rs_draw_progress_chart (&draw, no_progress, 10, 440, 580, 120);
      rs_draw_result_cell (&draw, &member (report, 0)->latest[RS_SKILL_EMPATHY], 10, 580, 84, 26);
      rs_draw_result_cell (&draw, &member (report, 2)->latest[RS_SKILL_EMPATHY], 100, 580, 84, 26);
      g_assert_cmpfloat (rs_draw_level_legend (&draw, 10, 620, 580), >, 10);
      {
        RsScoreBar bars[2] = { { RS_SKILL_PYTHON, member (report, 0)->latest[RS_SKILL_PYTHON].score, RS_LEVEL_ADVANCED },
                               { RS_SKILL_EMPATHY, member (report, 0)->latest[RS_SKILL_EMPATHY].score, RS_LEVEL_INVALID } };
        RsChartAttempt one = { .date = MAY_15, .measured = { TRUE, FALSE, FALSE, FALSE } };

        one.score[RS_SKILL_PYTHON] = bars[0].score;
        rs_draw_score_chart (&draw, bars, 2, 200, 580, 390, 110);
        rs_draw_score_chart (&draw, NULL, 0, 200, 580, 390, 110);
        rs_draw_attempts_chart (&draw, &one, 1, 10, 650, 180, 50);
        rs_draw_attempts_chart (&draw, NULL, 0, 10, 650, 180, 50);
      }
      g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
      g_assert_cmpuint (count_colours (surface), >, 50);
      rs_draw_clear (&draw);
      cairo_destroy (cr);
      cairo_surface_destroy (surface);
    }
}

/* The ink a drawing leaves, recorded: where it is and how much of it. */
typedef void (*DrawFunc) (RsDraw *draw, gconstpointer data, double x, double y, double width, double height);

static void
assert_ink_inside (DrawFunc func, gconstpointer data, double width, double height, const char *what)
{
  cairo_surface_t *surface = cairo_recording_surface_create (CAIRO_CONTENT_COLOR_ALPHA, NULL);
  cairo_t *cr = cairo_create (surface);
  RsDraw draw;
  double x0, y0, w, h;

  rs_draw_init (&draw, cr, rs_report_palette_light (), NULL);
  func (&draw, data, 100, 100, width, height);
  rs_draw_clear (&draw);
  cairo_destroy (cr);
  cairo_recording_surface_ink_extents (surface, &x0, &y0, &w, &h);
  cairo_surface_destroy (surface);
  g_test_message ("%s in %gx%g: ink from (%.1f, %.1f) to (%.1f, %.1f)", what, width, height, x0 - 100, y0 - 100,
                  x0 + w - 100, y0 + h - 100);
  /* Something is drawn, and all of it in the box: a widget clips the rest. */
  g_assert_cmpfloat (w, >, width / 2);
  g_assert_cmpfloat (x0, >=, 100 - 0.5);
  g_assert_cmpfloat (y0, >=, 100 - 0.5);
  g_assert_cmpfloat (x0 + w, <=, 100 + width + 0.5);
  g_assert_cmpfloat (y0 + h, <=, 100 + height + 0.5);
}

static void
draw_progress (RsDraw *draw, gconstpointer data, double x, double y, double width, double height)
{
  rs_draw_progress_chart (draw, data, x, y, width, height);
}

static void
draw_scores (RsDraw *draw, gconstpointer data, double x, double y, double width, double height)
{
  rs_draw_score_chart (draw, data, RS_N_SKILLS, x, y, width, height);
}

typedef struct {
  const RsChartAttempt *attempts;
  guint n;
} Attempts;

static void
draw_attempts (RsDraw *draw, gconstpointer data, double x, double y, double width, double height)
{
  const Attempts *attempts = data;
  rs_draw_attempts_chart (draw, attempts->attempts, attempts->n, x, y, width, height);
}

/* The charts keep every label whole inside their box, however narrow:
 * the last quarter reads "Q4 2026", not "Q4 202" (issue 11). */
static void
test_charts_inside (Fixture *f, gconstpointer data)
{
  g_autoptr (GArray) progress = g_array_new (FALSE, TRUE, sizeof (RsQuarterProgress));
  RsScoreBar bars[RS_N_SKILLS];
  RsChartAttempt attempts[12];
  Attempts all = { attempts, G_N_ELEMENTS (attempts) };

  /* Quarters from Q1 2024 to Q4 2026, the last ones the widest labels. */
  for (int i = 0; i < 12; i++)
    {
      RsQuarterProgress point = { .year = 2024 + i / 4, .quarter = i % 4 + 1 };

      for (int s = 0; s < RS_N_SKILLS; s++)
        {
          point.n[s] = 3;
          point.mean_theta[s] = -1.5 + 0.25 * i - 0.5 * s;
        }
      g_array_append_val (progress, point);
    }
  for (int s = 0; s < RS_N_SKILLS; s++)
    {
      bars[s].skill = (RsSkill) s;
      rs_skill_score_init (&bars[s].score, 2.2 - 1.5 * s, 0.3);
      bars[s].guess = s % 2 == 0 ? RS_LEVEL_EXPERT : RS_LEVEL_INVALID;
    }
  for (guint i = 0; i < G_N_ELEMENTS (attempts); i++)
    {
      attempts[i].date = DAY (1707998400 + 86400 * 30 * (gint64) i);
      for (int s = 0; s < RS_N_SKILLS; s++)
        {
          attempts[i].measured[s] = (i + s) % 3 != 0;
          rs_skill_score_init (&attempts[i].score[s], -2.0 + 0.3 * i + 0.2 * s, 0.4);
        }
    }
  for (double width = 260; width <= 900; width += 320)
    {
      assert_ink_inside (draw_progress, progress, width, 200, "quarters");
      assert_ink_inside (draw_scores, bars, width, 170, "scores");
      assert_ink_inside (draw_attempts, &all, width, 160, "attempts");
    }
  /* One quarter, one attempt. */
  g_array_set_size (progress, 1);
  all.n = 1;
  assert_ink_inside (draw_progress, progress, 400, 200, "one quarter");
  assert_ink_inside (draw_attempts, &all, 400, 160, "one attempt");
}

/* Pages counted the way a PDF reader finds them: page objects. */
static guint
count_pages (GBytes *pdf)
{
  gsize size;
  const char *data = g_bytes_get_data (pdf, &size);
  static const char needle[] = "/Type /Page";
  guint n = 0;

  for (gsize i = 0; i + sizeof needle < size; i++)
    if (memcmp (data + i, needle, sizeof needle - 1) == 0 && data[i + sizeof needle - 1] != 's')
      n++;
  return n;
}

static gboolean
contains (GBytes *bytes, const char *text)
{
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);

  gsize length = strlen (text);

  for (gsize i = 0; i + length <= size; i++)
    if (memcmp (data + i, text, length) == 0)
      return TRUE;
  return FALSE;
}

/* The text a reader can select and search, extracted by poppler's
 * pdftotext (tools/install-deps installs poppler-utils); NULL without it. */
static char *
pdf_text (Fixture *f, const char *path)
{
  g_autofree char *tool = g_find_program_in_path ("pdftotext");
  const char *argv[] = { tool, "-enc", "UTF-8", path, "-", NULL };
  char *out = NULL;
  int status = 0;

  if (tool == NULL)
    return NULL;
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out, NULL,
                               &status, NULL));
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return out;
}

static void
test_pdf (Fixture *f, gconstpointer data)
{
  g_autoptr (RsTeamReport) report = alpha_report (f, f->max);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) pdf = NULL;
  g_autoptr (GBytes) written = NULL;
  g_autofree char *path = g_build_filename (f->dir, "alpha.pdf", NULL);
  g_autofree char *missing = g_build_filename (f->dir, "no-such-folder", "alpha.pdf", NULL);
  g_autofree char *contents = NULL, *text = NULL;
  gsize length = 0;
  int n_pages = 0;

  pdf = rs_team_report_render_pdf (report, "Acme, Inc.", &n_pages, &error);
  g_assert_no_error (error);
  g_assert_nonnull (pdf);
  g_assert_true (contains (pdf, "%PDF-"));
  g_assert_cmpuint (g_bytes_get_size (pdf), >, 10000);
  /* Title, map, distributions, progress, readiness, members. */
  g_assert_cmpint (n_pages, ==, 6);
  g_assert_cmpuint (count_pages (pdf), ==, 6);
  /* Pango's text is real text in an embedded font, with bookmarks. */
  g_assert_true (contains (pdf, "DejaVuSans"));
  g_assert_true (contains (pdf, "/ToUnicode"));
  g_assert_true (contains (pdf, "/Outlines"));

  g_assert_true (rs_team_report_write_pdf (report, "Acme, Inc.", path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  written = g_bytes_new_take (g_steal_pointer (&contents), length);
  g_assert_cmpuint (count_pages (written), ==, 6);
  g_assert_false (rs_team_report_write_pdf (report, NULL, missing, &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_IO);
  g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));

  /* Last, because a machine without pdftotext skips it, and says so. */
  text = pdf_text (f, path);
  if (text == NULL)
    {
      g_test_skip ("pdftotext (poppler-utils) is not installed: the PDF's text is not checked");
      return;
    }
  g_assert_nonnull (strstr (text, "Team skills report"));
  g_assert_nonnull (strstr (text, "Acme, Inc."));
  g_assert_nonnull (strstr (text, "Ann Able"));
  g_assert_nonnull (strstr (text, "Cy Clear"));
  g_assert_nonnull (strstr (text, "63 (58\u201367)"));
  g_assert_nonnull (strstr (text, "Page 6 of 6"));
}

static void
test_pdf_small_teams (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RsTeamReport) empty = rs_team_report_new (f->store, f->roles, f->admin, f->empty, &error);
  g_autoptr (RsTeamReport) solo = rs_team_report_new (f->store, f->roles, f->admin, f->solo, &error);
  g_autofree char *empty_path = g_build_filename (f->dir, "empty.pdf", NULL);
  g_autofree char *solo_path = g_build_filename (f->dir, "solo.pdf", NULL);
  g_autofree char *text = NULL;
  g_autoptr (GBytes) pdf = NULL;
  int n_pages = 0;

  g_assert_no_error (error);
  /* An empty team: the title page, saying so. */
  pdf = rs_team_report_render_pdf (empty, NULL, &n_pages, &error);
  g_assert_no_error (error);
  g_assert_cmpint (n_pages, ==, 1);
  g_assert_true (rs_team_report_write_pdf (empty, NULL, empty_path, &error));
  g_clear_pointer (&pdf, g_bytes_unref);

  /* One person, one quarter: every section, nothing divided by zero. */
  g_assert_cmpuint (solo->members->len, ==, 1);
  g_assert_cmpuint (solo->progress->len, ==, 1);
  pdf = rs_team_report_render_pdf (solo, "Solo Ltd", &n_pages, &error);
  g_assert_no_error (error);
  g_assert_cmpint (n_pages, ==, 6);
  g_assert_true (rs_team_report_write_pdf (solo, "Solo Ltd", solo_path, &error));

  text = pdf_text (f, empty_path);
  if (text == NULL)
    {
      g_test_skip ("pdftotext (poppler-utils) is not installed: the PDFs' text is not checked");
      return;
    }
  g_assert_nonnull (strstr (text, "No members yet"));
  g_clear_pointer (&text, g_free);
  text = pdf_text (f, solo_path);
  g_assert_nonnull (strstr (text, "Sol Single"));
}

int
main (int argc, char **argv)
{
  /* Dates and quarters in the expectations are UTC. */
  g_setenv ("TZ", "UTC", TRUE);
  g_test_init (&argc, &argv, NULL);
#define ADD(path, func) g_test_add ("/report/" path, Fixture, NULL, setup, func, teardown)
  ADD ("stored-level-probabilities", test_stored_level_probabilities);
  ADD ("team/members", test_team_members);
  ADD ("team/distribution", test_team_distribution);
  ADD ("team/readiness", test_team_readiness);
  ADD ("team/progress", test_team_progress);
  ADD ("team/progress-latest", test_team_progress_latest);
  ADD ("team/empty", test_empty_team);
  ADD ("team/find", test_find_team);
  ADD ("access", test_access);
  ADD ("member", test_member_report);
  ADD ("company", test_company_overview);
  ADD ("csv", test_csv);
  ADD ("csv-formula", test_csv_formula);
  ADD ("charts", test_charts);
  ADD ("charts-inside", test_charts_inside);
  ADD ("pdf", test_pdf);
  ADD ("pdf-small-teams", test_pdf_small_teams);
#undef ADD
  return g_test_run ();
}
