/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The cue audit: can an item be answered without the skill?
 *
 * Test-wise people pick the longest option, rule out the shortest, prefer
 * the option that hedges, avoid the one that says "always", or in a
 * situational-judgement item pick the one that asks a question. Each of
 * those strategies reads the wording, not the meaning. For every skill and
 * item type this unit measures how often each such strategy would find the
 * key (the expected hit rate, ties broken at random), and how often a
 * classifier trained on surface features alone finds it on items it was not
 * trained on (10-fold cross-validation). A bank whose items can be answered
 * this way measures test-wiseness, not the skill, so a strategy that beats
 * blind guessing by more than RS_CUE_MAX_EXCESS is a defect.
 *
 * Only item types with options are audited: single choice and scenario
 * items (pick the best option) and multi-select items (tick the modal number
 * of options the strategy ranks highest, scored with the item's own partial
 * credit). */
#pragma once

#include "rs-bank.h"

G_BEGIN_DECLS

/* How far above chance a strategy may get before it is a defect. */
#define RS_CUE_MAX_EXCESS 0.10
/* Fewer items of one type in a skill than this are too few to judge: one
 * lucky item would swing a rate by several points. */
#define RS_CUE_MIN_ITEMS 20

typedef enum {
  RS_CUE_LONGEST,            /* the longest option */
  RS_CUE_SHORTEST_EXCLUDED,  /* any option but the shortest */
  RS_CUE_MOST_CLAUSES,       /* the most commas, "and", "then", ";" */
  RS_CUE_FEWEST_CLAUSES,
  RS_CUE_JUSTIFIED,          /* gives a reason: because, since, so that ... */
  RS_CUE_UNJUSTIFIED,
  RS_CUE_QUESTION,           /* asks: a question mark or the word "ask" */
  RS_CUE_NO_QUESTION,
  RS_CUE_OPENER,             /* opens with Ask, Thank, Acknowledge, Listen, Apologise */
  RS_CUE_NO_OPENER,
  RS_CUE_ABSOLUTE,           /* always, never, cannot, guarantee, only ... */
  RS_CUE_NO_ABSOLUTE,
  RS_CUE_HEDGED,             /* usually, may, often, typically ... */
  RS_CUE_UNHEDGED,
  RS_CUE_CONVERGENT,         /* shares the most words with the other options */
  RS_CUE_STEM_OVERLAP,       /* shares the most words with the stem */
  RS_CUE_CLASSIFIER,         /* cross-validated logit on all the features */
  RS_N_CUES,
} RsCue;

/* "longest", "shortest excluded", ... */
const char *rs_cue_name (RsCue cue);

/* The surface features the classifier sees, per option. */
#define RS_CUE_N_FEATURES 12
/* "length", "clauses", ... */
const char *rs_cue_feature_name (int feature);

typedef struct {
  RsSkill skill;
  RsItemType type;
  int n_items;
  double chance;             /* the expected hit rate of a blind guess */
  double hit[RS_N_CUES];     /* expected hit rate of each strategy */
  /* Multi-select only: the most common number of right options, and the
   * share of items that have it (a guesser learns "it is usually three"). */
  int modal_keys;
  double modal_share;
  /* The classifier fitted on all the group's items: a large positive weight
   * is a feature that marks the key, a large negative one a feature that
   * marks the distractors; what an author should even out. */
  double weight[RS_CUE_N_FEATURES];
} RsCueRow;

/* One row per skill and audited type that has items, skills in order. The
 * result is deterministic: the classifier's folds and fitting use no
 * randomness. */
GArray *rs_bank_cue_audit (const RsBank *bank);

/* TRUE when the row has enough items to judge and some strategy beats chance
 * by more than RS_CUE_MAX_EXCESS; *worst (may be NULL) is the strategy that
 * beats it most. */
gboolean rs_cue_row_flagged (const RsCueRow *row, RsCue *worst);

/* The audit's findings as diagnostics (the skill's folder, line 0), one per
 * flagged row, for `reskill validate` and the bank's test. */
GPtrArray *rs_bank_cue_problems (const RsBank *bank);

G_END_DECLS
