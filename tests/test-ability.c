/* SPDX-License-Identifier: GPL-3.0-or-later */
/* EAP estimation, checked against a separate numerical integration. */
#include <math.h>

#include "rs-ability.h"

typedef struct {
  RsIrtParams params;
  int score;
} Response;

/* The posterior mean and SD by Simpson's rule on a fine grid, written
 * independently of rs-ability.c (normal prior, product of likelihoods). */
static void
reference_eap (const Response *responses, int n, double mean, double sd, double *theta, double *se)
{
  const int N = 4000;
  const double lo = -4.0, hi = 4.0, h = (hi - lo) / N;
  double m0 = 0, m1 = 0, m2 = 0;

  for (int i = 0; i <= N; i++)
    {
      double t = lo + i * h;
      double w = (i == 0 || i == N) ? 1 : (i % 2 ? 4 : 2);
      double density = exp (-0.5 * ((t - mean) / sd) * ((t - mean) / sd));
      for (int r = 0; r < n; r++)
        {
          double probs[RS_IRT_MAX_STEPS + 1];
          rs_irt_category_probs (&responses[r].params, t, probs);
          density *= probs[responses[r].score];
        }
      m0 += w * density;
      m1 += w * density * t;
      m2 += w * density * t * t;
    }
  *theta = m1 / m0;
  *se = sqrt (m2 / m0 - (*theta) * (*theta));
}

/* The same posterior summed at n equally spaced points of [lo, hi] with
 * equal weights: the quadrature catR's eapEst uses, and the one the engine
 * promises (81 points on [-4, 4]). */
static void
reference_eap_grid (const Response *responses, int n, int points, double lo, double hi,
                    double *theta, double *se)
{
  double m0 = 0, m1 = 0, m2 = 0;

  for (int i = 0; i < points; i++)
    {
      double t = lo + i * (hi - lo) / (points - 1);
      double density = exp (-0.5 * t * t);
      for (int r = 0; r < n; r++)
        {
          double probs[RS_IRT_MAX_STEPS + 1];
          rs_irt_category_probs (&responses[r].params, t, probs);
          density *= probs[responses[r].score];
        }
      m0 += density;
      m1 += density * t;
      m2 += density * t * t;
    }
  *theta = m1 / m0;
  *se = sqrt (m2 / m0 - (*theta) * (*theta));
}

static void
test_matches_reference (void)
{
  Response responses[] = {
    { { .model = RS_MODEL_4PL, .a = 1.2, .b = -0.5, .c = 0.25, .d = 1 }, 1 },
    { { .model = RS_MODEL_4PL, .a = 0.8, .b = 0.3, .c = 0.2, .d = 1 }, 1 },
    { { .model = RS_MODEL_4PL, .a = 1.6, .b = 1.1, .c = 0.25, .d = 1 }, 0 },
    { { .model = RS_MODEL_GPCM, .a = 1.0, .n_steps = 2, .steps = { -0.4, 0.9 } }, 1 },
    { { .model = RS_MODEL_4PL, .a = 1.0, .b = 0.0, .c = 0.0, .d = 1 }, 1 },
  };
  RsAbility ability;
  RsAbilityConfig config;
  double theta, se, ref_theta, ref_se;

  rs_ability_config_init (&config);
  config.n_points = 161;
  rs_ability_init (&ability, &config);
  for (gsize i = 0; i < G_N_ELEMENTS (responses); i++)
    rs_ability_add_response (&ability, &responses[i].params, responses[i].score);
  rs_ability_estimate (&ability, &theta, &se);
  reference_eap (responses, G_N_ELEMENTS (responses), 0.0, 1.0, &ref_theta, &ref_se);
  g_assert_cmpfloat_with_epsilon (theta, ref_theta, 1e-4);
  g_assert_cmpfloat_with_epsilon (se, ref_se, 1e-4);

  /* The default 81-point grid is close enough for practice too. */
  rs_ability_init (&ability, NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (responses); i++)
    rs_ability_add_response (&ability, &responses[i].params, responses[i].score);
  rs_ability_estimate (&ability, &theta, &se);
  g_assert_cmpfloat_with_epsilon (theta, ref_theta, 2e-3);
  g_assert_cmpfloat_with_epsilon (se, ref_se, 2e-3);
}

static void
test_prior_only (void)
{
  RsAbility ability;
  RsAbilityConfig config;
  double theta, se, ref_theta, ref_se;

  rs_ability_config_init (&config);
  config.prior_mean = 0.5;
  config.prior_sd = 0.8;
  rs_ability_init (&ability, &config);
  rs_ability_estimate (&ability, &theta, &se);
  reference_eap (NULL, 0, 0.5, 0.8, &ref_theta, &ref_se);
  g_assert_cmpfloat_with_epsilon (theta, ref_theta, 1e-3);
  g_assert_cmpfloat_with_epsilon (se, ref_se, 1e-3);
  g_assert_cmpfloat_with_epsilon (theta, 0.5, 0.01);
}

/* All right and all wrong: EAP stays finite and far out. There the
 * posterior piles up at an end of the grid, so the estimate depends on
 * exactly where the grid ends: it must equal the sum over 81 points of
 * [-4, 4] to rounding, and the integral over [-4, 4] to the grid's
 * accuracy. */
static void
test_extreme_patterns_finite (void)
{
  for (int score = 0; score <= 1; score++)
    {
      Response responses[40];
      RsAbility ability;
      double theta, se, grid_theta, grid_se, ref_theta, ref_se;

      rs_ability_init (&ability, NULL);
      for (int i = 0; i < 40; i++)
        {
          RsIrtParams p = { .model = RS_MODEL_4PL, .a = 1.5, .b = -2 + 0.1 * i, .c = 0.2, .d = 1 };
          responses[i] = (Response) { p, score };
          rs_ability_add_response (&ability, &p, score);
        }
      rs_ability_estimate (&ability, &theta, &se);
      reference_eap_grid (responses, 40, 81, -4.0, 4.0, &grid_theta, &grid_se);
      reference_eap (responses, 40, 0.0, 1.0, &ref_theta, &ref_se);
      g_test_message ("all %s: EAP %.9f, on the grid %.9f, integral %.6f", score ? "right" : "wrong",
                      theta, grid_theta, ref_theta);
      g_assert_cmpfloat_with_epsilon (theta, grid_theta, 1e-9);
      g_assert_cmpfloat_with_epsilon (se, grid_se, 1e-9);
      g_assert_cmpfloat_with_epsilon (theta, ref_theta, 1e-2);
      g_assert_true (isfinite (theta));
      g_assert_true (isfinite (se));
      g_assert_cmpfloat (se, >, 0.0);
      if (score == 1)
        g_assert_cmpfloat (theta, >, 1.5);
      else
        g_assert_cmpfloat (theta, <, -1.5);
      g_assert_cmpint (ability.n_responses, ==, 40);
    }
}

static void
test_more_items_shrink_se (void)
{
  RsAbility ability;
  double previous = INFINITY;

  rs_ability_init (&ability, NULL);
  for (int i = 0; i < 20; i++)
    {
      RsIrtParams p = { .model = RS_MODEL_4PL, .a = 1.2, .b = 0.0, .c = 0.0, .d = 1 };
      double theta, se;
      rs_ability_add_response (&ability, &p, i % 2);
      rs_ability_estimate (&ability, &theta, &se);
      g_assert_cmpfloat (se, <, previous);
      previous = se;
    }
}

/* The prior of a returning person: SD² = SE² + 0.25 × years + 0.09, at
 * least 0.6 and at most the population's; centred on the last result,
 * clamped inside the grid. */
static void
test_returning_prior (void)
{
  double mean, sd;

  rs_ability_returning_prior (1.0, 0.3, 0.0, 1.0, &mean, &sd);      /* √0.18 = 0.42: the minimum */
  g_assert_cmpfloat (mean, ==, 1.0);
  g_assert_cmpfloat_with_epsilon (sd, RS_PRIOR_MIN_SD, 1e-12);
  rs_ability_returning_prior (1.0, 0.3, 2.0, 1.0, &mean, &sd);      /* √(0.09 + 0.5 + 0.09) */
  g_assert_cmpfloat_with_epsilon (sd, sqrt (0.68), 1e-12);
  rs_ability_returning_prior (-0.4, 0.5, 0.5, 1.0, &mean, &sd);     /* √(0.25 + 0.125 + 0.09) */
  g_assert_cmpfloat (mean, ==, -0.4);
  g_assert_cmpfloat_with_epsilon (sd, sqrt (0.465), 1e-12);
  rs_ability_returning_prior (1.0, 0.3, 10.0, 1.0, &mean, &sd);     /* years later: the population's */
  g_assert_cmpfloat (sd, ==, 1.0);
  rs_ability_returning_prior (5.0, 0.3, 1.0, 1.0, &mean, &sd);
  g_assert_cmpfloat (mean, ==, 3.0);
  rs_ability_returning_prior (NAN, NAN, 1.0, 1.0, &mean, &sd);      /* a damaged result: N(0, 1) */
  g_assert_cmpfloat (mean, ==, 0.0);
  g_assert_cmpfloat (sd, ==, 1.0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ability/matches-reference", test_matches_reference);
  g_test_add_func ("/ability/prior-only", test_prior_only);
  g_test_add_func ("/ability/returning-prior", test_returning_prior);
  g_test_add_func ("/ability/extreme-patterns", test_extreme_patterns_finite);
  g_test_add_func ("/ability/se-shrinks", test_more_items_shrink_se);
  return g_test_run ();
}
