/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>

#include "rs-irt.h"

/* Probabilities are kept away from exactly 0 and 1 so that logarithms and the
 * information formula stay finite at θ = ±8 with extreme items. */
#define P_FLOOR 1e-12

int
rs_irt_max_score (const RsIrtParams *params)
{
  return params->model == RS_MODEL_GPCM ? params->n_steps : 1;
}

/* The logistic function written so that neither branch overflows. */
static inline double
logistic (double x)
{
  if (x >= 0)
    return 1.0 / (1.0 + exp (-x));
  double e = exp (x);
  return e / (1.0 + e);
}

double
rs_irt_p_correct (const RsIrtParams *params, double theta)
{
  double p = params->c + (params->d - params->c) * logistic (params->a * (theta - params->b));
  return CLAMP (p, P_FLOOR, 1.0 - P_FLOOR);
}

/* GPCM: cumulative sums of a(θ − b_v) are the log numerators; subtracting the
 * largest before exp() is the usual log-sum-exp guard against overflow. */
static void
gpcm_probs (const RsIrtParams *params, double theta, double *probs)
{
  double z[RS_IRT_MAX_STEPS + 1];
  double zmax = 0.0, sum = 0.0;
  int m = params->n_steps;

  z[0] = 0.0;
  for (int k = 1; k <= m; k++)
    {
      z[k] = z[k - 1] + params->a * (theta - params->steps[k - 1]);
      zmax = MAX (zmax, z[k]);
    }
  for (int k = 0; k <= m; k++)
    {
      probs[k] = exp (z[k] - zmax);
      sum += probs[k];
    }
  for (int k = 0; k <= m; k++)
    probs[k] /= sum;
}

void
rs_irt_category_probs (const RsIrtParams *params, double theta, double *probs)
{
  if (params->model == RS_MODEL_GPCM)
    {
      gpcm_probs (params, theta, probs);
      return;
    }
  probs[1] = rs_irt_p_correct (params, theta);
  probs[0] = 1.0 - probs[1];
}

double
rs_irt_log_likelihood (const RsIrtParams *params, double theta, int score)
{
  if (params->model == RS_MODEL_GPCM)
    {
      double probs[RS_IRT_MAX_STEPS + 1];
      score = CLAMP (score, 0, params->n_steps);
      gpcm_probs (params, theta, probs);
      return log (MAX (probs[score], P_FLOOR));
    }
  double p = rs_irt_p_correct (params, theta);
  return score > 0 ? log (p) : log (1.0 - p);
}

double
rs_irt_information (const RsIrtParams *params, double theta)
{
  if (params->model == RS_MODEL_GPCM)
    {
      /* For the GPCM, I(θ) = a² Var(score | θ). */
      double probs[RS_IRT_MAX_STEPS + 1];
      double mean = 0.0, mean_sq = 0.0;

      gpcm_probs (params, theta, probs);
      for (int k = 0; k <= params->n_steps; k++)
        {
          mean += k * probs[k];
          mean_sq += (double) k * k * probs[k];
        }
      return params->a * params->a * (mean_sq - mean * mean);
    }

  return rs_irt_information_4pl (params->a, params->b, params->c, params->d, theta);
}

void
rs_irt_params_from_level (RsIrtParams *params, int level, int max_score, double guessing)
{
  double b = CLAMP (level, 1, 5) - 3.0;

  *params = (RsIrtParams) { 0 };
  params->a = 1.0;
  if (max_score <= 1)
    {
      params->model = RS_MODEL_4PL;
      params->b = b;
      params->c = CLAMP (guessing, 0.0, 0.5);
      params->d = 1.0;
      return;
    }
  params->model = RS_MODEL_GPCM;
  params->n_steps = MIN (max_score, RS_IRT_MAX_STEPS);
  for (int k = 0; k < params->n_steps; k++)
    params->steps[k] = b + (k - (params->n_steps - 1) / 2.0) * 1.0;
}
