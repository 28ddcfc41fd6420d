/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The computerized adaptive test: which item to ask next and when to stop,
 * for one or several skills in one session, one skill after the other.
 *
 * Selection is maximum Fisher information at the current EAP estimate, with
 *  - randomesque exposure control: a random pick among the k = 3 most
 *    informative candidates (Kingsbury & Zara 1989), items of equal
 *    information in random order, so that ties never go to the bank's
 *    first item;
 *  - an exposure cap (the "restricted" half of Revuelta & Ponsoda's 1998
 *    progressive-restricted method): an item already shown in at least
 *    exposure_cap of the earlier attempts on its skill (since the
 *    calibration in force) is not selected while the skill has other
 *    items. The rates come from the store (RsItemUsage), so the cap holds
 *    on the people who really take the test, needs no exposure parameters
 *    computed beforehand by simulation (as Sympson–Hetter does) and adapts
 *    by itself when the bank changes;
 *  - content balancing over item formats and, within the format, subtopics
 *    (the group furthest below its share of the bank goes first), counting
 *    only groups with at least RS_CAT_BALANCE_MIN_GROUP items that could be
 *    asked, so that balancing never forces one particular item;
 *  - no item the person saw recently (while the skill has others), never
 *    both items of a `related` pair, even across skills, and never an item
 *    the bank has withheld (rs_bank_is_withheld), whatever is left.
 *
 * Pretest seeding: up to n_pretest unscored items per skill (never more than
 * RS_CAT_PRETEST_MAX_SHARE of the items asked at any point), chosen among
 * the items given by rs_cat_set_pretest_items() with the fewest answers so
 * far, at positions drawn at random when the CAT is made. Their answers are
 * recorded but never touch the estimate, the stopping rule or the balance.
 *
 * Each skill stops, never before min_items, when its SE reaches the target,
 * when the level is clear (the classification rule), at max_items, or when
 * it runs out of items. The CAT knows nothing of storage: RsAssessment
 * replays stored answers into it to resume. */
#pragma once

#include "rs-ability.h"
#include "rs-bank.h"

G_BEGIN_DECLS

typedef enum {
  RS_MODE_QUICK,
  RS_MODE_STANDARD,
  RS_MODE_PRECISE,
  RS_N_MODES,
  RS_MODE_INVALID = -1,
} RsMode;

/* How a skill decides that its level is clear. */
typedef enum {
  RS_CLASSIFY_NONE,
  /* The posterior probability of the most likely level reaches
   * classify_target. */
  RS_CLASSIFY_POSTERIOR,
  /* Generalized likelihood ratio (Bartroff, Finkelman & Lai 2008): for every
   * cut point c, the likelihood's maximum above c + δ against its maximum
   * below c − δ is at least classify_target / (1 − classify_target) one way
   * or the other (error rates α = β = 1 − classify_target; δ = indifference). */
  RS_CLASSIFY_GLR,
} RsClassifyRule;

typedef struct {
  double se_target;
  int min_items;
  int max_items;
  RsClassifyRule classify;
  double classify_target;       /* see RsClassifyRule */
  double indifference;          /* GLR only: δ in logits */
} RsStopRule;

/* Items that could be asked; smaller subtopic or format groups are not
 * steered to by content balancing. */
#define RS_CAT_BALANCE_MIN_GROUP 3
/* Pretest items never make up more than this share of a skill's items. */
#define RS_CAT_PRETEST_MAX_SHARE 0.10
/* Exposure rates are trusted from this many earlier attempts on a skill. */
#define RS_CAT_EXPOSURE_MIN_ATTEMPTS 10

typedef struct {
  RsStopRule stop;
  int randomesque;              /* k ≥ 1 */
  gboolean content_balancing;
  double exposure_cap;          /* 0 < cap ≤ 1; 1 or more: no cap. Default 0.25 */
  int n_pretest;                /* unscored items per skill; default 2 */
  gboolean select_at_cut;       /* information at the nearest level cut, not at θ̂; default FALSE */
  gboolean progressive;         /* a random share of the criterion, fading over the test; default FALSE */
  RsAbilityConfig ability;      /* grid, and the population prior */
  /* Per skill (by RsSkill): the prior used for it, by default the
   * population one. A returning person's comes from their last result. */
  double prior_mean[RS_N_SKILLS];
  double prior_sd[RS_N_SKILLS];
} RsCatConfig;

/* "quick", "standard", "precise" */
const char *rs_mode_id (RsMode mode);
const char *rs_mode_title (RsMode mode);
RsMode rs_mode_from_id (const char *id);
/* Per-skill stopping rule of a mode. */
void rs_mode_stop_rule (RsMode mode, RsStopRule *rule);
/* The rule in a sentence, for people: "stops when the level is 80% sure or
 * the SE is 0.40, after 8 to 18 questions". */
char *rs_stop_rule_describe (const RsStopRule *rule);
/* Defaults: the mode's stopping rule, randomesque 3, balancing on, exposure
 * cap 0.25, 2 pretest items, N(0, 1) prior for every skill. */
void rs_cat_config_init (RsCatConfig *config, RsMode mode);
/* Sets the prior of one skill. */
void rs_cat_config_set_prior (RsCatConfig *config, RsSkill skill, double mean, double sd);

/* How often each item was shown before, and how many attempts each skill
 * had: the exposure rates for the cap and the answer counts for pretest
 * seeding. */
typedef struct _RsItemUsage RsItemUsage;

RsItemUsage *rs_item_usage_new (void);
void rs_item_usage_free (RsItemUsage *usage);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RsItemUsage, rs_item_usage_free)
/* Adds n showings of an item (id copied). */
void rs_item_usage_add_shown (RsItemUsage *usage, const char *item_id, guint n);
void rs_item_usage_add_attempts (RsItemUsage *usage, RsSkill skill, guint n);
guint rs_item_usage_shown (const RsItemUsage *usage, const char *item_id);
guint rs_item_usage_attempts (const RsItemUsage *usage, RsSkill skill);
/* The totals at the moment exposure counting restarted (a calibration was
 * put in force, which changes which items the test prefers): the exposure
 * cap counts from there; pretest seeding counts every answer. */
void rs_item_usage_set_baseline (RsItemUsage *usage, const char *item_id, guint n_shown);
void rs_item_usage_set_baseline_attempts (RsItemUsage *usage, RsSkill skill, guint n);
/* Since the restart (the totals when none). */
guint rs_item_usage_shown_since (const RsItemUsage *usage, const char *item_id);
guint rs_item_usage_attempts_since (const RsItemUsage *usage, RsSkill skill);

typedef struct {
  RsSkill skill;
  double theta;
  double se;
  int n_items;                  /* scored items answered */
  int n_pretest;                /* unscored (pretest) items answered */
  int n_available;              /* items left that could still be asked */
  gboolean done;                /* nothing more to ask in this skill */
  gboolean stopped;             /* the scored part is over (pretest items may follow) */
  RsLevelDecision level;        /* from the posterior, after each scored answer */
  RsAbility ability;
} RsCatSkillState;

typedef struct _RsCat RsCat;

/* skills[] in the order they are tested. excluded_ids (may be NULL) are items
 * to avoid, e.g. those seen in recent attempts: asked only when the skill has
 * nothing else left. The bank's withheld items are never asked. The bank
 * must outlive the CAT. */
RsCat *rs_cat_new (const RsBank *bank, const RsSkill *skills, int n_skills,
                   const RsCatConfig *config, GHashTable *excluded_ids, guint32 seed);
void rs_cat_free (RsCat *cat);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RsCat, rs_cat_free)

/* Before the first item: what earlier attempts showed (copied; NULL: no
 * history, no cap applies). */
void rs_cat_set_usage (RsCat *cat, const RsItemUsage *usage);
/* Before the first item: the ids of items that may be pretested (those
 * still without calibrated parameters). NULL or empty: no pretest. */
void rs_cat_set_pretest_items (RsCat *cat, GHashTable *item_ids);

/* The item to ask now, chosen on first call and kept until it is answered;
 * NULL when every skill is done. */
const RsItem *rs_cat_current_item (RsCat *cat);
/* The current item is a pretest item: its answer will not be scored. */
gboolean rs_cat_current_is_pretest (const RsCat *cat);

/* Makes item the current one (resuming a stored attempt at the exact item
 * that was on screen), as a scored or a pretest item. FALSE when it cannot
 * be asked now. */
gboolean rs_cat_set_current_item (RsCat *cat, const RsItem *item);
gboolean rs_cat_set_current_pretest_item (RsCat *cat, const RsItem *item);

/* Records the score of an item: usually the current one, but any item of a
 * skill in this session is accepted (replaying a stored attempt). The
 * current item, when it is a pretest item, is recorded unscored. Updates
 * the estimate and the stopping state, and clears the current item. */
void rs_cat_record (RsCat *cat, const RsItem *item, int score);
/* Records an answer that is not scored (a pretest item, when replaying):
 * the item is used up, nothing else changes. */
void rs_cat_record_unscored (RsCat *cat, const RsItem *item, int score);

gboolean rs_cat_is_finished (const RsCat *cat);
/* The skill being tested now; RS_SKILL_INVALID when finished. */
RsSkill rs_cat_current_skill (const RsCat *cat);
int rs_cat_n_skills (const RsCat *cat);
const RsCatSkillState *rs_cat_skill_state (const RsCat *cat, int index);
/* The state of a skill, NULL when it is not in this session. */
const RsCatSkillState *rs_cat_state_for_skill (const RsCat *cat, RsSkill skill);
int rs_cat_n_answered (const RsCat *cat);
const RsCatConfig *rs_cat_config (const RsCat *cat);
/* A rough number of items still to come in the current skill, for the honest
 * progress indicator: predicted from the information still needed to reach
 * the SE target at the average information of the last items. */
int rs_cat_estimate_remaining (const RsCat *cat);

G_END_DECLS
