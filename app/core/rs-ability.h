/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One person's ability in one skill, as a posterior on a quadrature grid.
 *
 * The log posterior at every grid point is kept and updated in place with each
 * response, so an update costs one likelihood evaluation per grid point. The
 * estimate is the expected a posteriori (EAP) mean and the posterior SD its
 * standard error (Bock & Mislevy 1982), as catR's eapEst/eapSem compute it.
 * With a proper prior it is finite for all-right and all-wrong patterns. */
#pragma once

#include "rs-irt.h"
#include "rs-scoring.h"

G_BEGIN_DECLS

#define RS_ABILITY_MAX_POINTS 401

typedef struct {
  double prior_mean;   /* default 0 */
  double prior_sd;     /* default 1 */
  double lower;        /* grid start, default -4 */
  double upper;        /* grid end, default 4 */
  int n_points;        /* default 81: a step of 0.1 */
} RsAbilityConfig;

typedef struct {
  RsAbilityConfig config;
  int n_responses;
  double nodes[RS_ABILITY_MAX_POINTS];
  double log_posterior[RS_ABILITY_MAX_POINTS];
} RsAbility;

/* Fills config with the defaults above. */
void rs_ability_config_init (RsAbilityConfig *config);

/* Starts from the prior. config may be NULL for the defaults. */
void rs_ability_init (RsAbility *ability, const RsAbilityConfig *config);

/* Multiplies the posterior by P(score | θ) of the item. */
void rs_ability_add_response (RsAbility *ability, const RsIrtParams *params, int score);

/* EAP estimate and posterior SD. */
void rs_ability_estimate (const RsAbility *ability, double *theta, double *se);

/* The estimate, its SE and the level decision in one pass. */
void rs_ability_estimate_full (const RsAbility *ability, double *theta, double *se, double threshold,
                               RsLevelDecision *decision);

/* The posterior probability of each level (rs-scoring's cut points) and
 * the decision about them; threshold ≤ 0 means RS_LEVEL_CLAIM_PROBABILITY. */
void rs_ability_level_decision (const RsAbility *ability, double threshold, RsLevelDecision *decision);

/* The log-likelihood of the answers so far at grid point q: the log
 * posterior less the log prior (both up to the same constant). */
double rs_ability_log_likelihood_at (const RsAbility *ability, int q);

/* The prior of a person coming back to a skill: centred on their last
 * result there, and as wide as what that result left unknown plus what
 * may have changed since:
 *
 *   SD² = SE_last² + RS_PRIOR_DRIFT_PER_YEAR × years + RS_PRIOR_FLOOR_VAR
 *
 * then no narrower than RS_PRIOR_MIN_SD and no wider than the population
 * prior (population_sd). The floor and the minimum are there because a
 * last result can be off by more than its SE (a bad day, items since
 * recalibrated), and a prior that is too narrow would hold a real change
 * back; at the minimum of 0.6 a standard test still outweighs the prior
 * about 1.5 to 1. The mean is clamped to [−3, 3], inside the grid. */
#define RS_PRIOR_DRIFT_PER_YEAR 0.25
#define RS_PRIOR_FLOOR_VAR 0.09
#define RS_PRIOR_MIN_SD 0.6
void rs_ability_returning_prior (double last_theta, double last_se, double years,
                                 double population_sd, double *mean, double *sd);

G_END_DECLS
