/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The computerized adaptive test: which item to ask next and when to stop,
 * for one or several skills in one session, one skill after the other.
 *
 * Selection is maximum Fisher information at the current EAP estimate, with
 * randomesque exposure control (a random pick among the k most informative,
 * Kingsbury & Zara 1989), content balancing over subtopics and, within the
 * subtopic, item formats (the group furthest below its share of the bank
 * goes first), no item the person saw
 * recently, and never both items of a `related` pair. Each skill stops when
 * its SE reaches the target or its item count the maximum, never before the
 * minimum, or when it runs out of items. The CAT knows nothing of storage:
 * RsAssessment replays stored answers into it to resume. */
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

typedef struct {
  double se_target;
  int min_items;
  int max_items;
} RsStopRule;

typedef struct {
  RsStopRule stop;
  int randomesque;              /* k ≥ 1 */
  gboolean content_balancing;
  RsAbilityConfig ability;      /* prior and grid */
} RsCatConfig;

/* "quick", "standard", "precise" */
const char *rs_mode_id (RsMode mode);
const char *rs_mode_title (RsMode mode);
RsMode rs_mode_from_id (const char *id);
/* Per-skill stopping rule of a mode. */
void rs_mode_stop_rule (RsMode mode, RsStopRule *rule);
/* Defaults: standard mode, randomesque 5, balancing on, N(0, 1) prior. */
void rs_cat_config_init (RsCatConfig *config, RsMode mode);

typedef struct {
  RsSkill skill;
  double theta;
  double se;
  int n_items;
  int n_available;              /* items left that could still be asked */
  gboolean done;
  RsAbility ability;
} RsCatSkillState;

typedef struct _RsCat RsCat;

/* skills[] in the order they are tested. excluded_ids (may be NULL) are items
 * not to ask, e.g. those seen in recent attempts; it is copied. The bank must
 * outlive the CAT. */
RsCat *rs_cat_new (const RsBank *bank, const RsSkill *skills, int n_skills,
                   const RsCatConfig *config, GHashTable *excluded_ids, guint32 seed);
void rs_cat_free (RsCat *cat);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RsCat, rs_cat_free)

/* The item to ask now, chosen on first call and kept until it is answered;
 * NULL when every skill is done. */
const RsItem *rs_cat_current_item (RsCat *cat);

/* Makes item the current one (resuming a stored attempt at the exact item
 * that was on screen). FALSE when it cannot be asked now. */
gboolean rs_cat_set_current_item (RsCat *cat, const RsItem *item);

/* Records the score of an item: usually the current one, but any item of a
 * skill in this session is accepted (replaying a stored attempt). Updates the
 * estimate and the stopping state, and clears the current item. */
void rs_cat_record (RsCat *cat, const RsItem *item, int score);

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
