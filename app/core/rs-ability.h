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

G_END_DECLS
