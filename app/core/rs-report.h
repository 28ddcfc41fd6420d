/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Reports as data: what a manager's team page, the PDF and the CSV export
 * show, computed once in the core so that all three agree and the access
 * rules are enforced in one place.
 *
 * Every constructor takes the signed-in person (the viewer) and asks
 * rs-access first: a manager gets the teams they lead, an admin everything,
 * anyone else RS_ERROR_DENIED.
 *
 * Structures are plain and public so that a GTK page and the PDF can read
 * them directly. They point into the RsRoleSet they were made with: it must
 * outlive them.
 *
 * What a viewer sees also follows the privacy policy in force for the
 * team (rs_access_rule, issue 14): under "aggregates" a team report names
 * nobody and leaves out the figures of groups smaller than the policy's
 * threshold; a member report is refused; under "levels" and "full" names
 * and levels are shown, answers only under "full" (rs_report_load_answers).
 * Practice attempts are in none of them. Every report that shows a named
 * person's results to someone else records that they looked
 * (rs_privacy_record_views), except on a read-only database.
 *
 * Team members are the active people of the team, not counting the team's
 * own managers (the people a manager leads, not the manager). A skill's
 * "latest" result is the one from the most recently finished attempt that
 * measured it. Quarters are calendar quarters in local time. */
#pragma once

#include <glib.h>

#include "rs-privacy.h"
#include "rs-roles.h"
#include "rs-scoring.h"
#include "rs-skill.h"
#include "rs-store.h"
#include "rs-training-needs.h"

G_BEGIN_DECLS

/* One skill's result as a report shows it. */
typedef struct {
  gboolean measured;
  RsSkillScore score;          /* valid when measured */
  int n_items;
  gint64 date;                 /* when its attempt finished, unix µs; 0 when not measured */
} RsReportResult;

typedef struct {
  gint64 person_id;
  char *employee_no;
  char *name;
  RsReportResult latest[RS_N_SKILLS];
  /* rs_advise on the latest estimates (unmeasured skills as unmeasured). */
  RsAdvice *advice;
  /* The best-fitting role: advice's first fit, NULL when nothing is
   * measured yet or there are no roles. */
  const RsRoleFit *best;
} RsReportMember;

/* How a team's members spread over the levels of one skill. */
typedef struct {
  guint n_at_level[RS_N_LEVELS];   /* by the level at the estimate */
  guint n_between;                 /* of those, how many are "between" two levels */
  guint n_not_measured;
  /* Of n_at_level[l], those "between" levels (their most likely level is
   * l), and the widest run of levels named for them: a chart draws them as
   * between, in the skills map's split fill, not as one level. */
  guint n_between_at[RS_N_LEVELS];
  RsLevel between_low[RS_N_LEVELS];  /* valid where n_between_at is not 0 */
  RsLevel between_high[RS_N_LEVELS];
} RsSkillDistribution;

typedef struct {
  const RsRole *role;
  guint n_ready;                   /* members who meet it (RsRoleFit.met) */
  /* Among the members who do not: the one with the smallest gap (ties by
   * name), as an index into members, or -1 when there is none. */
  int closest;
  double closest_gap;
  GArray *closest_steps;           /* RsStep: what would open the role for them */
} RsRoleReadiness;

/* Where the team stood at the end of one calendar quarter: per skill, the
 * mean of each member's latest result by then (taken that quarter or
 * before). One member's test moves it by that member's change only. */
typedef struct {
  int year;
  int quarter;                     /* 1..4 */
  guint n[RS_N_SKILLS];            /* members with a result in the skill by then */
  double mean_theta[RS_N_SKILLS];  /* 0 when n is 0 */
  guint n_people[RS_N_SKILLS];     /* different members those results are of */
  gboolean too_few[RS_N_SKILLS];   /* left out by the policy (then n is 0) */
} RsQuarterProgress;

typedef struct {
  gint64 team_id;
  char *team_name;
  char *viewer_name;               /* who asked for it */
  gint64 generated_at;             /* unix µs */
  const RsRoleSet *roles;
  GPtrArray *members;              /* RsReportMember *, by name, then number */
  RsSkillDistribution distribution[RS_N_SKILLS];
  GArray *readiness;               /* RsRoleReadiness, in the roles file's order */
  /* Every quarter from the first result to the last, oldest first; a
   * quarter with no new result keeps the standing of the one before, so a
   * chart's axis is even and its lines unbroken. */
  GArray *progress;                /* RsQuarterProgress */
  /* The privacy policy in force for the team, and what it left out. Under
   * RS_VISIBILITY_AGGREGATES names_shown is FALSE: members is empty,
   * readiness names nobody (closest -1, no steps), and a skill's
   * distribution (too_few[skill]), role readiness (readiness_too_few) or a
   * quarter's figure (its too_few) over fewer than min_group people is
   * zeroed and flagged, to be shown as "too few to show". */
  RsVisibility visibility;
  guint min_group;
  gboolean names_shown;
  guint n_members;                 /* members, whether named or not */
  guint n_measured_members;        /* of them, those with a result in any skill */
  gboolean too_few[RS_N_SKILLS];
  gboolean readiness_too_few;
} RsTeamReport;

/* One member's results: what the drill-down shows. */
typedef struct {
  gint64 date;                     /* unix µs */
  RsSkillScore score;
  int n_items;
} RsReportPoint;

typedef struct {
  gint64 person_id;
  char *employee_no;
  char *name;
  char *team_name;                 /* NULL: no team */
  const RsRoleSet *roles;
  RsReportResult latest[RS_N_SKILLS];
  RsAdvice *advice;
  const RsRoleFit *best;           /* as in RsReportMember */
  GArray *history[RS_N_SKILLS];    /* RsReportPoint, oldest first */
} RsMemberReport;

/* One team, in a line. */
typedef struct {
  gint64 team_id;
  char *team_name;
  guint n_members;
  guint n_measured[RS_N_SKILLS];   /* members with a result in the skill */
  double mean_theta[RS_N_SKILLS];  /* of their latest results; 0 when none */
  RsLevel mean_level[RS_N_SKILLS]; /* the level of that mean; RS_LEVEL_INVALID when none */
  guint *n_ready;                  /* members meeting each role, in the roles file's
                                    * order: rs_role_set_n_roles (roles) of them */
  /* The team's policy; under aggregates, a skill measured for fewer than
   * its min_group members has no mean (too_few), and readiness over fewer
   * members with a result is zeroed (readiness_too_few). */
  RsVisibility visibility;
  gboolean too_few[RS_N_SKILLS];
  gboolean readiness_too_few;
} RsTeamSummary;

typedef struct {
  gint64 generated_at;
  const RsRoleSet *roles;
  GPtrArray *teams;                /* RsTeamSummary *, by name */
} RsCompanyOverview;

/* The id of the team called name: RS_ERROR_NOT_FOUND when there is none. */
gboolean rs_report_find_team (RsStore *store, const char *name, gint64 *team_id, GError **error);
/* The same, for viewer: access is checked before the name is looked up,
 * and a manager gets the same refusal for a team that does not exist as for
 * one they do not lead (RS_ERROR_DENIED), so names cannot be probed. */
gboolean rs_report_find_team_for (RsStore *store, const RsPerson *viewer, const char *name, gint64 *team_id,
                                  GError **error);

/* Refused (RS_ERROR_DENIED) unless rs_access_can_view_team allows it;
 * RS_ERROR_NOT_FOUND when there is no such team. */
RsTeamReport *rs_team_report_new (RsStore *store, const RsRoleSet *roles, const RsPerson *viewer,
                                  gint64 team_id, GError **error);
void rs_team_report_free (RsTeamReport *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RsTeamReport, rs_team_report_free)

/* Records that viewer saw the named members of report in the way kind
 * says (RS_VIEW_TEAM_PDF, RS_VIEW_TEAM_CSV once written): call after an
 * export. Nothing when the report names nobody. */
gboolean rs_team_report_record_export (RsStore *store, const RsPerson *viewer, const RsTeamReport *report,
                                       RsViewKind kind, GError **error);

/* Refused unless rs_access_can_see (RS_DETAIL_LEVELS) allows it. */
RsMemberReport *rs_member_report_new (RsStore *store, const RsRoleSet *roles, const RsPerson *viewer,
                                      gint64 person_id, GError **error);
void rs_member_report_free (RsMemberReport *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RsMemberReport, rs_member_report_free)

/* A person's finished attempts with their results (no answers), oldest
 * first, for choosing one to review: their own (practice included), or a
 * member's under a policy that shows levels (practice left out). Array of
 * RsAttempt. */
GPtrArray *rs_report_member_attempts (RsStore *store, const RsPerson *viewer, gint64 person_id, GError **error);

/* One attempt with its answers, for the question-by-question review: the
 * viewer's own (practice included), or a finished attempt of someone they
 * may see under the "full" policy (rs_access_can_see, RS_DETAIL_ANSWERS;
 * practice never). Recorded as a view (RS_VIEW_ANSWERS). The same refusal
 * for an attempt that does not exist as for one not theirs to see. */
RsAttempt *rs_report_load_answers (RsStore *store, const RsPerson *viewer, const char *uuid, GError **error);

/* Every team for an admin, the teams they lead for a manager; refused for
 * anyone else. */
RsCompanyOverview *rs_company_overview_new (RsStore *store, const RsRoleSet *roles, const RsPerson *viewer,
                                            GError **error);
void rs_company_overview_free (RsCompanyOverview *overview);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RsCompanyOverview, rs_company_overview_free)

/* "62 (55–69)": the score and its band, rounded. */
char *rs_report_result_band (const RsReportResult *result);
/* "2026-03-14", local time. */
char *rs_report_format_date (gint64 unix_us);

/* RFC 4180, UTF-8, one row per member and skill:
 * employee_no,name,skill,level,score,score_low,score_high,date,fitted_role
 * Skills not measured have empty level, scores and date; fitted_role is the
 * best-fitting role's name (empty when nothing is measured). A report that
 * names nobody (the aggregates policy) has figures instead:
 * kind,name,level,count
 * with kind "distribution" (name: a skill id; level: the level name at the
 * estimate, or "not measured") and "readiness" (name: a role; level "ready"
 * or "not ready"); a group too small to show has one row with level "too
 * few to show" and no count. A typed field
 * that a spreadsheet would take for a formula (=, +, -, @) is prefixed with
 * an apostrophe. Written to a temporary file in the same folder and renamed into place
 * (mode 0600: it holds people's results), so a failure leaves no half file. */
gboolean rs_team_report_write_csv (const RsTeamReport *report, const char *path, GError **error);
/* The same, with the team's training needs after the report's rows and an
 * empty line, as rs_training_needs_append_csv writes them (needs may be
 * NULL: then exactly rs_team_report_write_csv). */
gboolean rs_team_report_write_csv_full (const RsTeamReport *report, const RsTrainingNeeds *needs, const char *path,
                                        GError **error);

G_END_DECLS
