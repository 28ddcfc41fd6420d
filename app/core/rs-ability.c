/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>

#include "rs-ability.h"

void
rs_ability_config_init (RsAbilityConfig *config)
{
  config->prior_mean = 0.0;
  config->prior_sd = 1.0;
  config->lower = -4.0;
  config->upper = 4.0;
  config->n_points = 81;
}

void
rs_ability_init (RsAbility *ability, const RsAbilityConfig *config)
{
  RsAbilityConfig defaults;
  int n;
  double step;

  if (config == NULL)
    {
      rs_ability_config_init (&defaults);
      config = &defaults;
    }
  ability->config = *config;
  n = CLAMP (config->n_points, 3, RS_ABILITY_MAX_POINTS);
  ability->config.n_points = n;
  if (!(ability->config.prior_sd > 0))
    ability->config.prior_sd = 1.0;
  ability->n_responses = 0;
  step = (config->upper - config->lower) / (n - 1);
  for (int q = 0; q < n; q++)
    {
      double z = (config->lower + q * step - ability->config.prior_mean) / ability->config.prior_sd;
      ability->nodes[q] = config->lower + q * step;
      /* The normal density's constant cancels in the EAP ratio. */
      ability->log_posterior[q] = -0.5 * z * z;
    }
}

void
rs_ability_add_response (RsAbility *ability, const RsIrtParams *params, int score)
{
  for (int q = 0; q < ability->config.n_points; q++)
    ability->log_posterior[q] += rs_irt_log_likelihood (params, ability->nodes[q], score);
  ability->n_responses++;
}

/* The posterior weights, relative to the largest so that long tests cannot
 * underflow, computed once for the estimate, the SE and the levels. */
static double
posterior_weights (const RsAbility *ability, double *w)
{
  double lmax = -INFINITY, total = 0.0;
  int n = ability->config.n_points;

  for (int q = 0; q < n; q++)
    lmax = MAX (lmax, ability->log_posterior[q]);
  for (int q = 0; q < n; q++)
    total += w[q] = exp (ability->log_posterior[q] - lmax);
  return total;
}

static void
estimate_from_weights (const RsAbility *ability, const double *w, double total, double *theta, double *se)
{
  double mean = 0.0, second = 0.0;
  int n = ability->config.n_points;

  for (int q = 0; q < n; q++)
    mean += w[q] * ability->nodes[q];
  mean /= total;
  for (int q = 0; q < n; q++)
    {
      double dev = ability->nodes[q] - mean;
      second += w[q] * dev * dev;
    }
  if (theta != NULL)
    *theta = mean;
  if (se != NULL)
    *se = sqrt (second / total);
}

void
rs_ability_estimate (const RsAbility *ability, double *theta, double *se)
{
  double w[RS_ABILITY_MAX_POINTS];
  double total = posterior_weights (ability, w);

  estimate_from_weights (ability, w, total, theta, se);
}

void
rs_ability_estimate_full (const RsAbility *ability, double *theta, double *se, double threshold,
                          RsLevelDecision *decision)
{
  double w[RS_ABILITY_MAX_POINTS];
  double total = posterior_weights (ability, w);

  estimate_from_weights (ability, w, total, theta, se);
  rs_level_decision_from_weights (decision, ability->nodes, w, ability->config.n_points, threshold);
}

void
rs_ability_level_decision (const RsAbility *ability, double threshold, RsLevelDecision *decision)
{
  rs_level_decision_from_grid (decision, ability->nodes, ability->log_posterior, ability->config.n_points,
                               threshold);
}

double
rs_ability_log_likelihood_at (const RsAbility *ability, int q)
{
  double z = (ability->nodes[q] - ability->config.prior_mean) / ability->config.prior_sd;
  return ability->log_posterior[q] + 0.5 * z * z;
}

void
rs_ability_returning_prior (double last_theta, double last_se, double years, double population_sd,
                            double *mean, double *sd)
{
  double var;

  if (!isfinite (last_se) || last_se < 0)
    last_se = population_sd;
  var = last_se * last_se + RS_PRIOR_DRIFT_PER_YEAR * MAX (years, 0.0) + RS_PRIOR_FLOOR_VAR;
  *sd = CLAMP (sqrt (var), MIN (RS_PRIOR_MIN_SD, population_sd), population_sd);
  *mean = isfinite (last_theta) ? CLAMP (last_theta, -3.0, 3.0) : 0.0;
}
