/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Target roles and the advisor that fits a person's measured skills to them.
 *
 * Roles are data (data/roles.yaml): each names the level it wants in each
 * skill and how much that skill matters. For each wanted skill the advisor
 * computes the probability that the person's true ability reaches the wanted
 * level, P = Φ((θ̂ − cut) / SE), so a shaky estimate counts for less than a
 * firm one. Fit is the weighted mean of these probabilities. A role is "met"
 * when every wanted skill is more likely reached than not (θ̂ ≥ cut). */
#pragma once

#include <glib.h>

#include "rs-bank.h"
#include "rs-scoring.h"
#include "rs-skill.h"

G_BEGIN_DECLS

typedef struct {
  char *id;
  char *name;
  char *summary;
  RsLevel wanted[RS_N_SKILLS];       /* RS_LEVEL_INVALID: not needed */
  double weight[RS_N_SKILLS];        /* 0 when not needed */
  /* The subtopics the role leans on most within each wanted skill, in the
   * file's order ("evaluation-statistics"); NULL-terminated, may be NULL.
   * Advice names them, so that "raise Statistics" says which statistics. */
  char **focus[RS_N_SKILLS];
  int focus_line;                    /* where `focus` is, for messages */
} RsRole;

typedef struct _RsRoleSet RsRoleSet;

/* Loads roles; errors name file:line. */
RsRoleSet *rs_role_set_load (const char *path, GError **error);
void rs_role_set_free (RsRoleSet *set);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RsRoleSet, rs_role_set_free)
guint rs_role_set_n_roles (const RsRoleSet *set);
const RsRole *rs_role_set_role (const RsRoleSet *set, guint index);
const RsRole *rs_role_set_lookup (const RsRoleSet *set, const char *id);

/* Checks the roles against a bank: every focus subtopic must exist in its
 * skill. Returns diagnostics (the roles file and the line of `focus`). */
GPtrArray *rs_role_set_check_bank (const RsRoleSet *set, const char *path, const RsBank *bank);

/* What is known of a person's skill. Unmeasured skills count as the prior
 * (θ = 0, SE = 1): possible, but not shown. */
typedef struct {
  gboolean measured;
  double theta;
  double se;
} RsSkillEstimate;

typedef struct {
  const RsRole *role;
  double fit;                        /* 0..1 */
  gboolean met;
  double p_reach[RS_N_SKILLS];       /* per wanted skill */
  double gap;                        /* Σ max(0, cut − θ̂) over wanted skills */
} RsRoleFit;

typedef struct {
  RsSkill skill;
  RsLevel from;                      /* the level at the estimate */
  RsLevel to;                        /* the level the role wants */
  const char *const *focus;          /* the role's focus subtopics in this skill; may be NULL */
} RsStep;

typedef struct {
  GArray *fits;                      /* RsRoleFit, best fit first */
  /* The role to aim for next: the unmet role with the smallest gap, and
   * the raises that would open it. NULL / empty when every role is met. */
  const RsRole *next_role;
  GArray *next_steps;                /* RsStep */
} RsAdvice;

RsAdvice *rs_advise (const RsRoleSet *set, const RsSkillEstimate estimates[RS_N_SKILLS]);
void rs_advice_free (RsAdvice *advice);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RsAdvice, rs_advice_free)

/* Sentences for the results page: why a role fits ("Python: Proficient,
 * wanted Developing: met"), one per wanted skill, strongest weight first. */
GPtrArray *rs_role_fit_reasons (const RsRoleFit *fit, const RsSkillEstimate estimates[RS_N_SKILLS]);
/* "raise Statistics from Developing to Proficient" */
char *rs_step_describe (const RsStep *step);
/* Which subtopics the raise rests on, by their titles in bank: "above all
 * Comparing AI systems and Annotators and LLM judges"; NULL when the role
 * names none in that skill. */
char *rs_step_describe_focus (const RsStep *step, const RsBank *bank);

G_END_DECLS
