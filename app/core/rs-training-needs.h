/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A team's training needs: for the role the team is heading to, which
 * subtopics how many members lack, and the learning steps for each, so that
 * a company knows what training to buy (issue 11).
 *
 * The role is the one a manager picks, or else the one most members fit
 * best (each member's best fit on their latest results; ties go to the
 * role listed first in the roles file).
 *
 * For each skill the role wants, each member's latest finished attempt
 * that measured it (practice never) is read back with its answers. A member
 * measured in that skill lacks a subtopic of it when
 *
 *   - their estimate is below the cut of the level the role wants and the
 *     subtopic is one of the role's focus subtopics in that skill (the
 *     raise the role needs rests on it), or
 *   - their answers in the subtopic fell short of what their own estimate
 *     predicts by more than their standard error (a gap, rs-topics.h).
 *
 * Every figure is a count over the team and names nobody, so it is a group
 * figure in the visibility rule (rs_access_rule, RS_DETAIL_GROUP): under
 * the aggregates policy a skill whose members measured are fewer than the
 * policy's threshold is "too few to show" (its counts zeroed), and so is
 * the choice of the heading role when fewer members have any result. */
#pragma once

#include "rs-bank.h"
#include "rs-learning.h"
#include "rs-privacy.h"
#include "rs-roles.h"
#include "rs-store.h"

G_BEGIN_DECLS

typedef struct {
  RsSkill skill;
  char *subtopic;                  /* as in the bank: "async" */
  char *title;                     /* the bank's title for it: "Async and await" */
  gboolean focus;                  /* one of the role's focus subtopics */
  guint n_lacking;                 /* members who lack it */
  guint n_assessed;                /* members measured in the skill */
  gboolean too_few;                /* hidden by the policy: n_lacking is 0 */
  const GPtrArray *steps;          /* RsLearningStep *, the catalogue's; NULL when it has none */
} RsTrainingNeed;

typedef struct {
  gint64 team_id;
  char *team_name;
  const RsRole *role;              /* NULL: no roles, nobody measured, or too few to tell */
  gboolean role_chosen;            /* picked by the viewer, not the team's most common best fit */
  guint n_heading;                 /* members whose best fit is role (0 when chosen or hidden) */
  guint n_members;
  guint n_measured_members;        /* with a result in any skill */
  gboolean role_too_few;           /* the heading role was not worked out: too few members measured */
  RsVisibility visibility;
  guint min_group;
  /* RsTrainingNeed *: the subtopics of the skills role wants that anyone
   * lacks, and the role's focus subtopics even when nobody does (so a
   * manager sees they were looked at), most lacking first; then focus
   * subtopics first, then by skill and subtopic. Empty without a role. */
  GPtrArray *needs;
} RsTrainingNeeds;

/* Refused (RS_ERROR_DENIED) unless viewer may see the team
 * (rs_access_can_view_team); role_id NULL or "" for the heading role, else
 * a role id of roles (RS_ERROR_NOT_FOUND when there is none). catalog may be
 * NULL: then no steps. */
RsTrainingNeeds *rs_training_needs_new (RsStore *store, const RsRoleSet *roles, const RsBank *bank,
                                        const RsLearningCatalog *catalog, const RsPerson *viewer, gint64 team_id,
                                        const char *role_id, GError **error);
void rs_training_needs_free (RsTrainingNeeds *needs);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RsTrainingNeeds, rs_training_needs_free)

/* "4 of 6 members" or "too few to show", translated. */
char *rs_training_need_describe_count (const RsTrainingNeed *need);

/* The training needs as a CSV section (RFC 4180, UTF-8), appended to
 * string: its own header line
 *   role,skill,subtopic,focus,members_lacking,members_measured
 * then one row per need (focus "yes" or "no"; members_lacking empty and
 * members_measured "too few to show" when the policy hides it). No rows
 * without a role. The team report's CSV puts it after its own rows and an
 * empty line (rs_team_report_write_csv_full). */
void rs_training_needs_append_csv (const RsTrainingNeeds *needs, GString *string);

G_END_DECLS
