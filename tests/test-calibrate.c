/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Calibration (rs-calibrate): known parameters recovered from simulated
 * answers, complete and sparse, 2PL, 3PL and GPCM; anchors held exactly;
 * standard errors against the spread of estimates over replications; item
 * fit flags a misfitting item; bad input refused; nothing NaN.
 *
 * Every case is a fixed seed, printed, so a failure can be rerun alone:
 * `build/tests/test-calibrate -p /calibrate/recovery/2pl-complete`.
 * Two kinds of tolerance: the root mean square of (estimate − truth) / SE
 * must lie between 0.5 and 1.5 (recovered within sampling error, and SEs
 * that mean what they say), and RMSE and bias of a and b must stay under a
 * stated bound per case, about 1.5 times what a correct EM gives there
 * (docs/CALIBRATION.md has the figures), so a wrong gradient, a mis-scaled
 * prior or a lost answer fails. */
#include <math.h>
#include <string.h>

#include "rs-calibrate.h"
#include "rs-error.h"
#include "rs-irt.h"

static double
normal (GRand *rand)
{
  double u1 = 1.0 - g_rand_double (rand), u2 = g_rand_double (rand);
  return sqrt (-2.0 * log (u1)) * cos (2.0 * G_PI * u2);
}

typedef enum { DESIGN_COMPLETE, DESIGN_SPARSE } Design;

typedef struct {
  int n_items;
  int n_persons;
  RsCalibModel model;
  int max_score;             /* GPCM */
  double fixed_c;            /* RS_CALIB_3PL */
  double keep;               /* sparse: share of answers kept */
  double mean, sd;           /* true latent distribution */
  guint32 seed;
} Case;

/* True parameters in the ranges real items have: a ~ U(0.7, 2.0),
 * b ~ U(−2, 2), c ~ U(0.15, 0.3); GPCM steps spread around a location. */
static RsIrtParams *
true_params (const Case *cs, GRand *rand)
{
  RsIrtParams *p = g_new0 (RsIrtParams, cs->n_items);

  for (int j = 0; j < cs->n_items; j++)
    {
      p[j].a = g_rand_double_range (rand, 0.7, 2.0);
      if (cs->model == RS_CALIB_GPCM)
        {
          double loc = g_rand_double_range (rand, -1.5, 1.5);
          p[j].model = RS_MODEL_GPCM;
          p[j].n_steps = cs->max_score;
          for (int v = 0; v < cs->max_score; v++)
            p[j].steps[v] = loc + (v - (cs->max_score - 1) / 2.0) * 0.9 + 0.2 * normal (rand);
        }
      else
        {
          p[j].model = RS_MODEL_4PL;
          p[j].b = g_rand_double_range (rand, -2.0, 2.0);
          p[j].d = 1.0;
          p[j].c = cs->model == RS_CALIB_3PL_PRIOR_C ? g_rand_double_range (rand, 0.15, 0.3)
                   : cs->model == RS_CALIB_3PL ? cs->fixed_c : 0.0;
        }
    }
  return p;
}

static int
draw_score (const RsIrtParams *p, double theta, GRand *rand)
{
  double probs[RS_IRT_MAX_STEPS + 1], u = g_rand_double (rand), sum = 0.0;
  int m = rs_irt_max_score (p);

  rs_irt_category_probs (p, theta, probs);
  for (int k = 0; k < m; k++)
    if (u < (sum += probs[k]))
      return k;
  return m;
}

/* Items are added free (start NULL, or the fixed c for RS_CALIB_3PL), or as
 * anchors at their true values when anchor[j]. */
static RsCalibData *
simulate (const Case *cs, const RsIrtParams *truth, const gboolean *anchor, GRand *rand)
{
  RsCalibData *data = rs_calib_data_new ();

  for (int j = 0; j < cs->n_items; j++)
    {
      g_autofree char *id = g_strdup_printf ("i%03d", j);
      RsIrtParams start = { .model = RS_MODEL_4PL, .a = 0, .c = cs->fixed_c, .d = 1 };
      gboolean fixed = anchor != NULL && anchor[j];
      const RsIrtParams *s = fixed ? &truth[j] : cs->model == RS_CALIB_3PL ? &start : NULL;

      g_assert_cmpint (rs_calib_data_add_item (data, id, cs->model, cs->model == RS_CALIB_GPCM ? cs->max_score : 1,
                                               s, fixed), ==, j);
    }
  for (int i = 0; i < cs->n_persons; i++)
    {
      guint person = rs_calib_data_add_person (data);
      double theta = cs->mean + cs->sd * normal (rand);
      int answered = 0;

      for (int j = 0; j < cs->n_items; j++)
        {
          int score = draw_score (&truth[j], theta, rand);
          if (cs->keep < 1.0 && g_rand_double (rand) >= cs->keep && !(j == cs->n_items - 1 && answered == 0))
            continue;
          g_assert_true (rs_calib_data_add_response (data, person, j, score, NULL));
          answered++;
        }
    }
  return data;
}

typedef struct {
  double bias_a, rmse_a, bias_b, rmse_b, bias_c, rmse_c;
  double z_a, z_b;           /* root mean square of (estimate − truth) / SE */
} Recovery;

/* b: for GPCM, every step counts as one b. */
static void
recovery (const Case *cs, const RsIrtParams *truth, const RsCalibResult *result, Recovery *r)
{
  int nb = 0, n = 0;

  *r = (Recovery) { 0 };
  for (int j = 0; j < cs->n_items; j++)
    {
      const RsCalibItem *it = g_ptr_array_index (result->items, j);
      if (it->anchor)
        continue;
      n++;
      r->z_a += pow ((it->params.a - truth[j].a) / it->se_a, 2);
      r->bias_a += it->params.a - truth[j].a;
      r->rmse_a += (it->params.a - truth[j].a) * (it->params.a - truth[j].a);
      r->bias_c += it->params.c - truth[j].c;
      r->rmse_c += (it->params.c - truth[j].c) * (it->params.c - truth[j].c);
      if (cs->model == RS_CALIB_GPCM)
        for (int v = 0; v < cs->max_score; v++, nb++)
          {
            double e = it->params.steps[v] - truth[j].steps[v];
            r->z_b += pow (e / it->se_steps[v], 2);
            r->bias_b += e;
            r->rmse_b += e * e;
          }
      else
        {
          double e = it->params.b - truth[j].b;
          r->z_b += pow (e / it->se_b, 2);
          r->bias_b += e;
          r->rmse_b += e * e;
          nb++;
        }
    }
  r->z_a = sqrt (r->z_a / n);
  r->z_b = sqrt (r->z_b / nb);
  r->bias_a /= n;
  r->rmse_a = sqrt (r->rmse_a / n);
  r->bias_c /= n;
  r->rmse_c = sqrt (r->rmse_c / n);
  r->bias_b /= nb;
  r->rmse_b = sqrt (r->rmse_b / nb);
}

static void
assert_all_finite (const RsCalibResult *result)
{
  g_assert_true (isfinite (result->loglik) && isfinite (result->log_posterior));
  g_assert_true (isfinite (result->mean) && isfinite (result->sd) && isfinite (result->se_mean)
                 && isfinite (result->se_sd));
  for (guint j = 0; j < result->items->len; j++)
    {
      const RsCalibItem *it = g_ptr_array_index (result->items, j);
      g_assert_true (isfinite (it->params.a) && isfinite (it->params.b) && isfinite (it->params.c));
      g_assert_true (isfinite (it->se_a) && isfinite (it->se_b) && isfinite (it->se_c));
      g_assert_true (isfinite (it->fit_chi2) && isfinite (it->fit_p));
      for (int v = 0; v < RS_IRT_MAX_STEPS; v++)
        g_assert_true (isfinite (it->params.steps[v]) && isfinite (it->se_steps[v]));
    }
}

/* Runs one case; the recovery figures go to the TAP log. */
static RsCalibResult *
run_case (const char *name, const Case *cs, Recovery *r, RsIrtParams **truth_out)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (cs->seed);
  g_autofree RsIrtParams *truth = true_params (cs, rand);
  g_autoptr (RsCalibData) data = simulate (cs, truth, NULL, rand);
  g_autoptr (GError) error = NULL;
  RsCalibResult *result;

  result = rs_calibrate (data, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);
  assert_all_finite (result);
  recovery (cs, truth, result, r);
  g_test_message ("%s seed %u: %d items x %d people, %d answers, %d iterations%s, %.3f s; "
                  "a bias %+.3f rmse %.3f; b bias %+.3f rmse %.3f; c bias %+.3f rmse %.3f; rms z a %.2f b %.2f; loglik %.2f",
                  name, cs->seed, cs->n_items, cs->n_persons, result->n_responses, result->iterations,
                  result->converged ? "" : " (NOT converged)", result->seconds, r->bias_a, r->rmse_a,
                  r->bias_b, r->rmse_b, r->bias_c, r->rmse_c, r->z_a, r->z_b, result->loglik);
  g_assert_true (result->converged);
  /* Within sampling error, as the SEs measure it, and SEs not inflated. */
  g_assert_cmpfloat (r->z_a, <, 1.5);
  g_assert_cmpfloat (r->z_b, <, 1.5);
  g_assert_cmpfloat (r->z_a, >, 0.5);
  g_assert_cmpfloat (r->z_b, >, 0.5);
  if (truth_out != NULL)
    *truth_out = g_steal_pointer (&truth);
  return result;
}

static void
test_recovery_2pl_complete (void)
{
  Case cs = { .n_items = 20, .n_persons = 2000, .model = RS_CALIB_2PL, .keep = 1.0, .sd = 1.0, .seed = 101 };
  Recovery r;
  g_autoptr (RsCalibResult) result = run_case ("2pl-complete", &cs, &r, NULL);

  g_assert_cmpfloat (r.rmse_a, <, 0.15);
  g_assert_cmpfloat (r.rmse_b, <, 0.10);
  g_assert_cmpfloat (fabs (r.bias_a), <, 0.05);
  g_assert_cmpfloat (fabs (r.bias_b), <, 0.05);
}

static void
test_recovery_2pl_sparse (void)
{
  Case cs = { .n_items = 60, .n_persons = 4000, .model = RS_CALIB_2PL, .keep = 0.25, .sd = 1.0, .seed = 102 };
  Recovery r;
  g_autoptr (RsCalibResult) result = run_case ("2pl-sparse", &cs, &r, NULL);

  /* About 1000 answers per item. */
  g_assert_cmpfloat (r.rmse_a, <, 0.18);
  g_assert_cmpfloat (r.rmse_b, <, 0.15);
  g_assert_cmpfloat (fabs (r.bias_a), <, 0.06);
  g_assert_cmpfloat (fabs (r.bias_b), <, 0.06);
}

static void
test_recovery_3pl (void)
{
  Case cs = { .n_items = 30, .n_persons = 3000, .model = RS_CALIB_3PL_PRIOR_C, .keep = 1.0, .sd = 1.0, .seed = 103 };
  Recovery r;
  g_autoptr (RsCalibResult) result = run_case ("3pl-prior-c", &cs, &r, NULL);

  /* c is weakly identified for easy items: the Beta(5, 17) prior holds it near 0.2. */
  g_assert_cmpfloat (r.rmse_a, <, 0.21);
  g_assert_cmpfloat (r.rmse_b, <, 0.21);
  g_assert_cmpfloat (r.rmse_c, <, 0.06);
}

static void
test_recovery_3pl_fixed_c (void)
{
  Case cs = { .n_items = 30, .n_persons = 2000, .model = RS_CALIB_3PL, .fixed_c = 0.25, .keep = 0.5, .sd = 1.0,
              .seed = 104 };
  Recovery r;
  g_autoptr (RsCalibResult) result = run_case ("3pl-fixed-c-sparse", &cs, &r, NULL);

  g_assert_cmpfloat (r.rmse_a, <, 0.30);
  g_assert_cmpfloat (r.rmse_b, <, 0.33);
  for (guint j = 0; j < result->items->len; j++)
    g_assert_cmpfloat (((RsCalibItem *) g_ptr_array_index (result->items, j))->params.c, ==, 0.25);
}

static void
test_recovery_gpcm_complete (void)
{
  Case cs = { .n_items = 15, .n_persons = 2000, .model = RS_CALIB_GPCM, .max_score = 3, .keep = 1.0, .sd = 1.0,
              .seed = 105 };
  Recovery r;
  g_autoptr (RsCalibResult) result = run_case ("gpcm-complete", &cs, &r, NULL);

  g_assert_cmpfloat (r.rmse_a, <, 0.10);
  g_assert_cmpfloat (r.rmse_b, <, 0.10);
}

static void
test_recovery_gpcm_sparse (void)
{
  Case cs = { .n_items = 40, .n_persons = 4000, .model = RS_CALIB_GPCM, .max_score = 2, .keep = 0.3, .sd = 1.0,
              .seed = 106 };
  Recovery r;
  g_autoptr (RsCalibResult) result = run_case ("gpcm-sparse", &cs, &r, NULL);

  g_assert_cmpfloat (r.rmse_a, <, 0.15);
  g_assert_cmpfloat (r.rmse_b, <, 0.13);
}

/* The SEs against the spread of estimates over replications: the same
 * items, new people each time. */
static void
check_se_replications (const char *name, Case cs, int n_reps)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (cs.seed);
  g_autofree RsIrtParams *truth = true_params (&cs, rand);
  int nb = cs.model == RS_CALIB_GPCM ? cs.max_score : 1;
  g_autofree double *sum_a = g_new0 (double, cs.n_items), *ss_a = g_new0 (double, cs.n_items);
  g_autofree double *se_a = g_new0 (double, cs.n_items);
  g_autofree double *sum_b = g_new0 (double, cs.n_items * nb), *ss_b = g_new0 (double, cs.n_items * nb);
  g_autofree double *se_b = g_new0 (double, cs.n_items * nb);
  double ratio_a = 0.0, ratio_b = 0.0;

  for (int rep = 0; rep < n_reps; rep++)
    {
      g_autoptr (RsCalibData) data = simulate (&cs, truth, NULL, rand);
      g_autoptr (RsCalibResult) result = rs_calibrate (data, NULL, NULL);

      g_assert_nonnull (result);
      for (int j = 0; j < cs.n_items; j++)
        {
          const RsCalibItem *it = g_ptr_array_index (result->items, j);
          sum_a[j] += it->params.a;
          ss_a[j] += it->params.a * it->params.a;
          se_a[j] += it->se_a / n_reps;
          for (int v = 0; v < nb; v++)
            {
              double b = cs.model == RS_CALIB_GPCM ? it->params.steps[v] : it->params.b;
              double se = cs.model == RS_CALIB_GPCM ? it->se_steps[v] : it->se_b;
              sum_b[j * nb + v] += b;
              ss_b[j * nb + v] += b * b;
              se_b[j * nb + v] += se / n_reps;
            }
        }
    }
  for (int j = 0; j < cs.n_items; j++)
    {
      double sd_a = sqrt ((ss_a[j] - sum_a[j] * sum_a[j] / n_reps) / (n_reps - 1));
      ratio_a += se_a[j] / sd_a / cs.n_items;
      for (int v = 0; v < nb; v++)
        {
          int k = j * nb + v;
          double sd_b = sqrt ((ss_b[k] - sum_b[k] * sum_b[k] / n_reps) / (n_reps - 1));
          ratio_b += se_b[k] / sd_b / (cs.n_items * nb);
        }
    }
  g_test_message ("%s seed %u, %d replications of %d items x %d people: mean SE / SD of estimates: a %.3f, b %.3f",
                  name, cs.seed, n_reps, cs.n_items, cs.n_persons, ratio_a, ratio_b);
  /* With 60 replications an SD is itself known to about ±9%. */
  g_assert_cmpfloat (ratio_a, >, 0.85);
  g_assert_cmpfloat (ratio_a, <, 1.2);
  g_assert_cmpfloat (ratio_b, >, 0.85);
  g_assert_cmpfloat (ratio_b, <, 1.2);
}

static void
test_se_replications_2pl (void)
{
  Case cs = { .n_items = 8, .n_persons = 1000, .model = RS_CALIB_2PL, .keep = 0.6, .sd = 1.0, .seed = 201 };
  check_se_replications ("2pl sparse", cs, 60);
}

static void
test_se_replications_gpcm (void)
{
  Case cs = { .n_items = 6, .n_persons = 800, .model = RS_CALIB_GPCM, .max_score = 2, .keep = 1.0, .sd = 1.0,
              .seed = 202 };
  check_se_replications ("gpcm complete", cs, 60);
}

/* Anchors at the truth, a population that moved to N(0.5, 1.2²): the
 * anchors come back bit for bit, the latent mean and SD are found, and the
 * free items land on the anchors' scale. */
static void
test_anchors_fixed (void)
{
  Case cs = { .n_items = 24, .n_persons = 3000, .model = RS_CALIB_2PL, .keep = 0.6, .mean = 0.5, .sd = 1.2,
              .seed = 301 };
  g_autoptr (GRand) rand = g_rand_new_with_seed (cs.seed);
  g_autofree RsIrtParams *truth = true_params (&cs, rand);
  gboolean anchor[24] = { FALSE };
  g_autoptr (RsCalibData) data = NULL;
  g_autoptr (RsCalibResult) result = NULL;
  Recovery r;

  for (int j = 0; j < cs.n_items; j += 3)
    anchor[j] = TRUE;
  data = simulate (&cs, truth, anchor, rand);
  result = rs_calibrate (data, NULL, NULL);
  g_assert_nonnull (result);
  assert_all_finite (result);
  for (int j = 0; j < cs.n_items; j++)
    {
      const RsCalibItem *it = g_ptr_array_index (result->items, j);
      g_assert_cmpint (it->anchor, ==, anchor[j]);
      if (!anchor[j])
        continue;
      g_assert_cmpfloat (it->params.a, ==, truth[j].a);
      g_assert_cmpfloat (it->params.b, ==, truth[j].b);
      g_assert_cmpfloat (it->params.c, ==, truth[j].c);
      g_assert_cmpfloat (it->se_a, ==, 0.0);
      g_assert_cmpfloat (it->se_b, ==, 0.0);
    }
  recovery (&cs, truth, result, &r);
  g_test_message ("anchors seed %u: latent mean %.3f +/- %.3f (true 0.5), sd %.3f +/- %.3f (true 1.2); free items "
                  "a rmse %.3f b rmse %.3f b bias %+.3f; rms z a %.2f b %.2f",
                  cs.seed, result->mean, result->se_mean, result->sd, result->se_sd, r.rmse_a, r.rmse_b, r.bias_b,
                  r.z_a, r.z_b);
  g_assert_true (result->latent_estimated);
  g_assert_true (result->converged);
  g_assert_cmpfloat (fabs (result->mean - 0.5), <, 3 * result->se_mean + 0.02);
  g_assert_cmpfloat (fabs (result->sd - 1.2), <, 3 * result->se_sd + 0.02);
  g_assert_cmpfloat (result->se_mean, >, 0.0);
  g_assert_cmpfloat (fabs (r.bias_b), <, 0.08);
  g_assert_cmpfloat (r.z_a, <, 1.5);
  g_assert_cmpfloat (r.z_b, <, 1.5);
}

/* One thread or two: the same answer (only the order of sums differs). */
static void
test_threads_agree (void)
{
  Case cs = { .n_items = 30, .n_persons = 3000, .model = RS_CALIB_GPCM, .max_score = 2, .keep = 0.5, .sd = 1.0,
              .seed = 401 };
  g_autoptr (GRand) rand = g_rand_new_with_seed (cs.seed);
  g_autofree RsIrtParams *truth = true_params (&cs, rand);
  g_autoptr (RsCalibData) data = simulate (&cs, truth, NULL, rand);
  RsCalibOptions one, two;
  g_autoptr (RsCalibResult) r1 = NULL;
  g_autoptr (RsCalibResult) r2 = NULL;

  rs_calib_options_init (&one);
  one.n_threads = 1;
  two = one;
  two.n_threads = 2;
  r1 = rs_calibrate (data, &one, NULL);
  r2 = rs_calibrate (data, &two, NULL);
  g_assert_cmpint (r1->iterations, ==, r2->iterations);
  g_assert_cmpfloat_with_epsilon (r1->loglik, r2->loglik, 1e-6);
  for (int j = 0; j < cs.n_items; j++)
    {
      const RsCalibItem *a = g_ptr_array_index (r1->items, j), *b = g_ptr_array_index (r2->items, j);
      g_assert_cmpfloat_with_epsilon (a->params.a, b->params.a, 1e-8);
      g_assert_cmpfloat_with_epsilon (a->params.steps[0], b->params.steps[0], 1e-8);
      g_assert_cmpfloat_with_epsilon (a->se_a, b->se_a, 1e-8);
      g_assert_cmpfloat_with_epsilon (a->fit_chi2, b->fit_chi2, 1e-6);
    }
}

/* The loglik reported is the one at the estimates. */
static void
test_loglik_at (void)
{
  Case cs = { .n_items = 10, .n_persons = 600, .model = RS_CALIB_3PL_PRIOR_C, .keep = 0.7, .sd = 1.0, .seed = 501 };
  g_autoptr (GRand) rand = g_rand_new_with_seed (cs.seed);
  g_autofree RsIrtParams *truth = true_params (&cs, rand);
  g_autoptr (RsCalibData) data = simulate (&cs, truth, NULL, rand);
  g_autoptr (RsCalibResult) result = rs_calibrate (data, NULL, NULL);
  g_autofree RsIrtParams *at = g_new0 (RsIrtParams, cs.n_items);
  double ll_truth;

  for (int j = 0; j < cs.n_items; j++)
    at[j] = ((RsCalibItem *) g_ptr_array_index (result->items, j))->params;
  g_assert_cmpfloat_with_epsilon (rs_calib_loglik_at (data, NULL, at, 0.0, 1.0, NULL), result->loglik, 1e-6);
  /* The maximum of the posterior, not of the likelihood, but the truth is
   * never far above it. */
  ll_truth = rs_calib_loglik_at (data, NULL, truth, 0.0, 1.0, NULL);
  g_assert_cmpfloat (ll_truth, <, result->loglik + 10);
}

/* An item everyone got right, one nobody answered, a partial-credit item
 * whose middle score nobody got: all finite, and flagged unstable. */
static void
test_degenerate_items (void)
{
  g_autoptr (RsCalibData) data = rs_calib_data_new ();
  g_autoptr (GRand) rand = g_rand_new_with_seed (601);
  g_autoptr (RsCalibResult) result = NULL;
  RsIrtParams p = { .model = RS_MODEL_4PL, .a = 1.2, .d = 1 };
  int n_free = 8;

  for (int j = 0; j < n_free; j++)
    {
      g_autofree char *id = g_strdup_printf ("ok%d", j);
      rs_calib_data_add_item (data, id, RS_CALIB_2PL, 1, NULL, FALSE);
    }
  g_assert_cmpint (rs_calib_data_add_item (data, "all-right", RS_CALIB_2PL, 1, NULL, FALSE), ==, n_free);
  g_assert_cmpint (rs_calib_data_add_item (data, "unanswered", RS_CALIB_2PL, 1, NULL, FALSE), ==, n_free + 1);
  g_assert_cmpint (rs_calib_data_add_item (data, "no-middle", RS_CALIB_GPCM, 2, NULL, FALSE), ==, n_free + 2);
  g_assert_cmpint (rs_calib_data_add_item (data, "ok0", RS_CALIB_2PL, 1, NULL, FALSE), ==, -1);
  for (int i = 0; i < 400; i++)
    {
      guint person = rs_calib_data_add_person (data);
      double theta = normal (rand);
      for (int j = 0; j < n_free; j++)
        {
          p.b = -1.5 + 3.0 * j / (n_free - 1);
          g_assert_true (rs_calib_data_add_response (data, person, j, g_rand_double (rand) < rs_irt_p_correct (&p, theta), NULL));
        }
      g_assert_true (rs_calib_data_add_response (data, person, n_free, 1, NULL));
      g_assert_true (rs_calib_data_add_response (data, person, n_free + 2, theta > 0 ? 2 : 0, NULL));
    }
  result = rs_calibrate (data, NULL, NULL);
  g_assert_nonnull (result);
  assert_all_finite (result);
  for (int j = n_free; j < n_free + 3; j++)
    {
      const RsCalibItem *it = g_ptr_array_index (result->items, j);
      g_test_message ("%s: n %d, a %.3f +/- %.3f, flags 0x%x", it->id, it->n, it->params.a, it->se_a, it->flags);
      g_assert_true (it->flags & RS_CALIB_FLAG_UNSTABLE);
    }
  g_assert_cmpint (((RsCalibItem *) g_ptr_array_index (result->items, n_free + 1))->n, ==, 0);
}

/* A U-shaped item (no logistic curve fits it) fails S-X²; an item keyed
 * backwards has a near zero; the well-behaved items mostly pass. */
static void
test_fit_flags (void)
{
  Case cs = { .n_items = 20, .n_persons = 3000, .model = RS_CALIB_2PL, .keep = 1.0, .sd = 1.0, .seed = 701 };
  g_autoptr (GRand) rand = g_rand_new_with_seed (cs.seed);
  g_autofree RsIrtParams *truth = true_params (&cs, rand);
  g_autoptr (RsCalibData) data = simulate (&cs, truth, NULL, rand);
  g_autoptr (RsCalibResult) result = NULL;
  int misfit, reversed, n_poor = 0;
  RsIrtParams backwards = { .model = RS_MODEL_4PL, .a = 1.5, .b = 0.0, .d = 1 };

  misfit = rs_calib_data_add_item (data, "u-shaped", RS_CALIB_2PL, 1, NULL, FALSE);
  reversed = rs_calib_data_add_item (data, "backwards", RS_CALIB_2PL, 1, NULL, FALSE);
  /* New people answer everything, the odd items too. */
  for (int i = 0; i < cs.n_persons; i++)
    {
      guint person = rs_calib_data_add_person (data);
      double theta = normal (rand);
      for (int j = 0; j < cs.n_items; j++)
        rs_calib_data_add_response (data, person, j, g_rand_double (rand) < rs_irt_p_correct (&truth[j], theta), NULL);
      rs_calib_data_add_response (data, person, misfit,
                                  g_rand_double (rand) < 0.9 - 0.75 * exp (-theta * theta), NULL);
      rs_calib_data_add_response (data, person, reversed,
                                  g_rand_double (rand) < 1.0 - rs_irt_p_correct (&backwards, theta), NULL);
    }
  result = rs_calibrate (data, NULL, NULL);
  g_assert_nonnull (result);
  assert_all_finite (result);
  for (int j = 0; j < cs.n_items; j++)
    {
      const RsCalibItem *it = g_ptr_array_index (result->items, j);
      n_poor += (it->flags & RS_CALIB_FLAG_POOR_FIT) != 0;
      g_assert_cmpint (it->fit_df, >, 0);
      g_assert_cmpfloat (it->fit_p, >=, 0.0);
      g_assert_cmpfloat (it->fit_p, <=, 1.0);
    }
  {
    const RsCalibItem *u = g_ptr_array_index (result->items, misfit);
    const RsCalibItem *b = g_ptr_array_index (result->items, reversed);
    g_test_message ("fit seed %u: u-shaped S-X2 %.1f df %d p %.2g flags 0x%x; backwards a %.3f flags 0x%x; "
                    "%d of %d good items flagged poor fit", cs.seed, u->fit_chi2, u->fit_df, u->fit_p, u->flags,
                    b->params.a, b->flags, n_poor, cs.n_items);
    g_assert_true (u->flags & RS_CALIB_FLAG_POOR_FIT);
    g_assert_cmpfloat (u->fit_p, <, 0.001);
    g_assert_true (b->flags & RS_CALIB_FLAG_LOW_DISCRIMINATION);
    g_assert_cmpint (n_poor, <=, 2);
  }
}

static void
test_bad_input (void)
{
  g_autoptr (RsCalibData) data = rs_calib_data_new ();
  g_autoptr (GError) error = NULL;
  RsCalibOptions options;
  RsCalibResult *result;
  guint person;

  /* No answers. */
  g_assert_cmpint (rs_calib_data_add_item (data, "x", RS_CALIB_2PL, 1, NULL, FALSE), ==, 0);
  result = rs_calibrate (data, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, RS_ERROR, RS_ERROR_INVALID);
  g_clear_error (&error);

  /* Scores and indices out of range. */
  person = rs_calib_data_add_person (data);
  g_assert_false (rs_calib_data_add_response (data, person, 0, 2, &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (rs_calib_data_add_response (data, person + 1, 0, 1, &error));
  g_clear_error (&error);
  g_assert_false (rs_calib_data_add_response (data, person, 1, 1, &error));
  g_clear_error (&error);

  /* The same answer twice. */
  g_assert_true (rs_calib_data_add_response (data, person, 0, 1, NULL));
  g_assert_true (rs_calib_data_add_response (data, person, 0, 0, NULL));
  result = rs_calibrate (data, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, RS_ERROR, RS_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "more than once"));
  g_clear_error (&error);

  /* Options out of range. */
  rs_calib_options_init (&options);
  options.n_quad = 2;
  result = rs_calibrate (data, &options, &error);
  g_assert_null (result);
  g_assert_error (error, RS_ERROR, RS_ERROR_INVALID);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/calibrate/recovery/2pl-complete", test_recovery_2pl_complete);
  g_test_add_func ("/calibrate/recovery/2pl-sparse", test_recovery_2pl_sparse);
  g_test_add_func ("/calibrate/recovery/3pl-prior-c", test_recovery_3pl);
  g_test_add_func ("/calibrate/recovery/3pl-fixed-c-sparse", test_recovery_3pl_fixed_c);
  g_test_add_func ("/calibrate/recovery/gpcm-complete", test_recovery_gpcm_complete);
  g_test_add_func ("/calibrate/recovery/gpcm-sparse", test_recovery_gpcm_sparse);
  g_test_add_func ("/calibrate/se/replications-2pl", test_se_replications_2pl);
  g_test_add_func ("/calibrate/se/replications-gpcm", test_se_replications_gpcm);
  g_test_add_func ("/calibrate/anchors-fixed", test_anchors_fixed);
  g_test_add_func ("/calibrate/threads-agree", test_threads_agree);
  g_test_add_func ("/calibrate/loglik-at", test_loglik_at);
  g_test_add_func ("/calibrate/degenerate-items", test_degenerate_items);
  g_test_add_func ("/calibrate/fit-flags", test_fit_flags);
  g_test_add_func ("/calibrate/bad-input", test_bad_input);
  return g_test_run ();
}
