/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Recomputing an attempt's scores and results from its answers: the one
 * place that says what an attempt's numbers must be.
 *
 * Each stored answer is scored again against its item (rs_answer_parse,
 * rs_item_score) and the scores are replayed, in order, through the same
 * ability estimator the CAT uses (rs_ability_add_response and
 * rs_ability_estimate on each skill's posterior), from the prior the
 * attempt was scored with (which the attempt keeps). Pretest answers are
 * scored but leave the estimate as it was. What comes out is what the
 * engine would have stored: every answer's score, maximum, and the skill's
 * θ and SE after it, and each skill's result (θ, SE, number of scored
 * items, the most likely level and the probability of each level).
 *
 * The inputs that decide the numbers are parameters, not constants: the
 * prior (mean, SD, grid) of each skill and the item parameters (by default
 * each item's own `irt`, as loaded from the bank the attempt was scored
 * with). Imports call this to check what a bundle claims; code that keeps
 * several calibrations or person-centred priors passes those. */
#pragma once

#include "rs-bank.h"
#include "rs-cat.h"
#include "rs-store.h"

G_BEGIN_DECLS

/* Claimed and recomputed values may differ by this much (θ and SE are
 * stored as exact doubles; this only allows for another compiler's
 * rounding of the same sums). */
#define RS_RESCORE_TOLERANCE 1e-6

typedef struct {
  RsAbilityConfig prior[RS_N_SKILLS];
  /* The parameters to score item with; NULL: item->irt. */
  const RsIrtParams *(*item_params) (const RsItem *item, gpointer data);
  gpointer item_params_data;
  /* TRUE: take each answer's stored score rather than scoring its text
   * again. For re-scoring this store's own attempts with new parameters,
   * where the scores are not in question; imports always score again. */
  gboolean stored_scores;
} RsRescoreInputs;

/* The inputs an attempt of this mode was scored with by this version of
 * Reskill: the mode's CAT prior for every skill, each item's own parameters. */
void rs_rescore_inputs_init (RsRescoreInputs *inputs, RsMode mode);
/* The same, with the priors the attempt kept for each skill (a returning
 * person's prior, centred on their last result). What a NULL inputs means. */
void rs_rescore_inputs_init_for_attempt (RsRescoreInputs *inputs, const RsAttempt *attempt);

typedef struct {
  int score;
  int max_score;
  double theta;            /* the skill's estimate after this answer */
  double se;
} RsRescoredResponse;

typedef struct {
  GArray *responses;       /* RsRescoredResponse, one per answer, in order */
  int n_results;
  RsSkillResult results[RS_N_SKILLS];   /* in the attempt's test order */
} RsRescore;

void rs_rescore_clear (RsRescore *rescore);

/* Recomputes everything from attempt->responses (item id, skill, answer;
 * the stored scores and estimates are not used). Fails (RS_ERROR_INVALID,
 * message names the answer) on an item the bank does not have, an answer
 * the item cannot have, or an item of a skill the attempt does not test. */
gboolean rs_attempt_rescore (const RsAttempt *attempt, const RsBank *bank, const RsRescoreInputs *inputs,
                             RsRescore *rescore, GError **error);

/* Compares what the attempt claims (its answers' scores, maxima, θ and SE,
 * and, when finished, its results) with the recomputation. NULL when they
 * agree, else the first difference in words ("answer 7: score 1, but the
 * answer earns 0"). */
char *rs_rescore_compare (const RsAttempt *attempt, const RsRescore *rescore);

G_END_DECLS
