/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The IRT formulas, checked against values computed another way: closed
 * forms typed in from an independent calculation, and information from a
 * numerical derivative of the probabilities (I = Σ P_k'² / P_k). */
#include <math.h>

#include "rs-irt.h"

static RsIrtParams
make_4pl (double a, double b, double c, double d)
{
  return (RsIrtParams) { .model = RS_MODEL_4PL, .a = a, .b = b, .c = c, .d = d };
}

static RsIrtParams
make_gpcm (double a, int m, const double *steps)
{
  RsIrtParams p = { .model = RS_MODEL_GPCM, .a = a, .n_steps = m };
  for (int k = 0; k < m; k++)
    p.steps[k] = steps[k];
  return p;
}

/* Fisher information from central differences of the category curves. */
static double
numeric_information (const RsIrtParams *p, double theta)
{
  double h = 1e-5, info = 0.0;
  double lo[RS_IRT_MAX_STEPS + 1], mid[RS_IRT_MAX_STEPS + 1], hi[RS_IRT_MAX_STEPS + 1];

  rs_irt_category_probs (p, theta - h, lo);
  rs_irt_category_probs (p, theta, mid);
  rs_irt_category_probs (p, theta + h, hi);
  for (int k = 0; k <= rs_irt_max_score (p); k++)
    {
      double slope = (hi[k] - lo[k]) / (2 * h);
      info += slope * slope / mid[k];
    }
  return info;
}

static void
test_3pl_closed_form (void)
{
  RsIrtParams p = make_4pl (1.2, 0.5, 0.2, 1.0);

  /* 0.2 + 0.8 / (1 + e^{-0.6}) = 0.7165250... (computed separately) */
  g_assert_cmpfloat_with_epsilon (rs_irt_p_correct (&p, 1.0), 0.71652504, 1e-7);
  /* At θ = b the logistic part is exactly one half. */
  g_assert_cmpfloat_with_epsilon (rs_irt_p_correct (&p, 0.5), 0.6, 1e-12);
  /* Lower and upper asymptotes. */
  g_assert_cmpfloat_with_epsilon (rs_irt_p_correct (&p, -30), 0.2, 1e-9);
  g_assert_cmpfloat_with_epsilon (rs_irt_p_correct (&p, 30), 1.0, 1e-9);
}

static void
test_2pl_information (void)
{
  RsIrtParams p = make_4pl (1.7, -0.3, 0.0, 1.0);

  for (double theta = -3; theta <= 3; theta += 0.5)
    {
      double prob = rs_irt_p_correct (&p, theta);
      /* 2PL: I = a² P (1 − P). */
      g_assert_cmpfloat_with_epsilon (rs_irt_information (&p, theta), 1.7 * 1.7 * prob * (1 - prob), 1e-9);
    }
}

static void
test_4pl_information_matches_derivative (void)
{
  RsIrtParams items[] = {
    make_4pl (1.2, 0.5, 0.25, 1.0),
    make_4pl (0.6, -1.5, 0.1, 1.0),
    make_4pl (2.0, 1.0, 0.2, 0.95),
  };

  for (gsize i = 0; i < G_N_ELEMENTS (items); i++)
    for (double theta = -3; theta <= 3; theta += 0.25)
      g_assert_cmpfloat_with_epsilon (rs_irt_information (&items[i], theta),
                                      numeric_information (&items[i], theta), 1e-6);
}

static void
test_3pl_information_peak (void)
{
  /* Birnbaum: the 3PL information peaks at b + ln((1 + sqrt(1 + 8c)) / 2) / a. */
  RsIrtParams p = make_4pl (1.5, 0.0, 0.25, 1.0);
  double peak = log ((1 + sqrt (1 + 8 * 0.25)) / 2) / 1.5;
  double at_peak = rs_irt_information (&p, peak);

  g_assert_cmpfloat (at_peak, >, rs_irt_information (&p, peak - 0.05));
  g_assert_cmpfloat (at_peak, >, rs_irt_information (&p, peak + 0.05));
}

static void
test_gpcm_probabilities (void)
{
  const double steps[] = { -1.0, 0.2, 1.1 };
  RsIrtParams p = make_gpcm (0.9, 3, steps);

  for (double theta = -4; theta <= 4; theta += 0.5)
    {
      double probs[4], direct[4], total = 0, sum = 0;

      rs_irt_category_probs (&p, theta, probs);
      /* Direct evaluation of the definition, without log-sum-exp. */
      for (int k = 0; k <= 3; k++)
        {
          double z = 0;
          for (int v = 0; v < k; v++)
            z += 0.9 * (theta - steps[v]);
          direct[k] = exp (z);
          total += direct[k];
        }
      for (int k = 0; k <= 3; k++)
        {
          g_assert_cmpfloat_with_epsilon (probs[k], direct[k] / total, 1e-12);
          g_assert_cmpfloat (probs[k], >, 0.0);
          sum += probs[k];
        }
      g_assert_cmpfloat_with_epsilon (sum, 1.0, 1e-12);
    }
}

static void
test_gpcm_information_matches_derivative (void)
{
  const double steps2[] = { -0.5, 0.5 };
  const double steps4[] = { -1.5, -0.2, 0.4, 2.0 };
  RsIrtParams items[] = { make_gpcm (1.0, 2, steps2), make_gpcm (1.4, 4, steps4) };

  for (gsize i = 0; i < G_N_ELEMENTS (items); i++)
    for (double theta = -3; theta <= 3; theta += 0.25)
      g_assert_cmpfloat_with_epsilon (rs_irt_information (&items[i], theta),
                                      numeric_information (&items[i], theta), 1e-6);
}

static void
test_gpcm_one_step_is_2pl (void)
{
  const double step[] = { 0.7 };
  RsIrtParams gpcm = make_gpcm (1.3, 1, step);
  RsIrtParams twopl = make_4pl (1.3, 0.7, 0.0, 1.0);
  double probs[2];

  for (double theta = -3; theta <= 3; theta += 0.5)
    {
      rs_irt_category_probs (&gpcm, theta, probs);
      g_assert_cmpfloat_with_epsilon (probs[1], rs_irt_p_correct (&twopl, theta), 1e-12);
      g_assert_cmpfloat_with_epsilon (rs_irt_information (&gpcm, theta),
                                      rs_irt_information (&twopl, theta), 1e-12);
    }
}

static void
test_extremes_stay_finite (void)
{
  const double steps[] = { -3, 3 };
  RsIrtParams items[] = { make_4pl (3.0, 0.0, 0.0, 1.0), make_gpcm (3.0, 2, steps) };

  for (gsize i = 0; i < G_N_ELEMENTS (items); i++)
    for (double theta = -60; theta <= 60; theta += 30)
      for (int score = 0; score <= rs_irt_max_score (&items[i]); score++)
        {
          g_assert_true (isfinite (rs_irt_log_likelihood (&items[i], theta, score)));
          g_assert_true (isfinite (rs_irt_information (&items[i], theta)));
        }
}

static void
test_params_from_level (void)
{
  RsIrtParams p;

  rs_irt_params_from_level (&p, 5, 1, 0.25);
  g_assert_cmpint (p.model, ==, RS_MODEL_4PL);
  g_assert_cmpfloat (p.b, ==, 2.0);
  g_assert_cmpfloat (p.c, ==, 0.25);
  rs_irt_params_from_level (&p, 1, 2, 0.0);
  g_assert_cmpint (p.model, ==, RS_MODEL_GPCM);
  g_assert_cmpint (p.n_steps, ==, 2);
  g_assert_cmpfloat (p.steps[0], ==, -2.5);
  g_assert_cmpfloat (p.steps[1], ==, -1.5);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/irt/3pl/closed-form", test_3pl_closed_form);
  g_test_add_func ("/irt/2pl/information", test_2pl_information);
  g_test_add_func ("/irt/4pl/information-derivative", test_4pl_information_matches_derivative);
  g_test_add_func ("/irt/3pl/information-peak", test_3pl_information_peak);
  g_test_add_func ("/irt/gpcm/probabilities", test_gpcm_probabilities);
  g_test_add_func ("/irt/gpcm/information-derivative", test_gpcm_information_matches_derivative);
  g_test_add_func ("/irt/gpcm/one-step-is-2pl", test_gpcm_one_step_is_2pl);
  g_test_add_func ("/irt/extremes", test_extremes_stay_finite);
  g_test_add_func ("/irt/params-from-level", test_params_from_level);
  return g_test_run ();
}
