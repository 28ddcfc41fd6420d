/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Scores, bands, levels that are claimed only when the evidence allows. */
#include <math.h>

#include "rs-scoring.h"

static void
test_levels (void)
{
  g_assert_cmpint (rs_level_for_theta (-3.0), ==, RS_LEVEL_NOVICE);
  g_assert_cmpint (rs_level_for_theta (-1.5), ==, RS_LEVEL_DEVELOPING);
  g_assert_cmpint (rs_level_for_theta (0.0), ==, RS_LEVEL_PROFICIENT);
  g_assert_cmpint (rs_level_for_theta (0.49), ==, RS_LEVEL_PROFICIENT);
  g_assert_cmpint (rs_level_for_theta (1.0), ==, RS_LEVEL_ADVANCED);
  g_assert_cmpint (rs_level_for_theta (3.0), ==, RS_LEVEL_EXPERT);
  g_assert_cmpint (rs_level_from_name ("advanced"), ==, RS_LEVEL_ADVANCED);
  g_assert_cmpint (rs_level_from_name ("Wizard"), ==, RS_LEVEL_INVALID);
}

static void
test_claims (void)
{
  RsSkillScore score;
  g_autofree char *firm = NULL;
  g_autofree char *shaky = NULL;

  /* θ = 0 with SE 0.3: 80% band [−0.38, 0.38] lies within Proficient. */
  rs_skill_score_init (&score, 0.0, 0.3);
  g_assert_true (score.level_claimed);
  firm = rs_skill_score_describe (&score);
  g_assert_cmpstr (firm, ==, "Proficient");
  g_assert_cmpfloat_with_epsilon (score.score, 50.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (score.score_high - score.score, 12.5 * RS_BAND_Z * 0.3, 1e-9);

  /* θ = 0.4 with SE 0.3 crosses the Advanced boundary at 0.5. */
  rs_skill_score_init (&score, 0.4, 0.3);
  g_assert_false (score.level_claimed);
  shaky = rs_skill_score_describe (&score);
  g_assert_cmpstr (shaky, ==, "between Proficient and Advanced");
}

static void
test_scale_clamped (void)
{
  g_assert_cmpfloat (rs_score_from_theta (-10), ==, 0.0);
  g_assert_cmpfloat (rs_score_from_theta (10), ==, 100.0);
}

static void
test_change_noise (void)
{
  RsScoreChange change;

  rs_score_change (0.0, 0.4, 0.5, 0.4, &change);    /* z = 0.5 / 0.566 = 0.88 */
  g_assert_true (change.within_noise);
  rs_score_change (-0.5, 0.3, 0.6, 0.3, &change);   /* z = 1.1 / 0.424 = 2.6 */
  g_assert_false (change.within_noise);
  g_assert_cmpfloat_with_epsilon (change.delta_score, 12.5 * 1.1, 1e-9);
}

/* The level rule on posteriors made by hand: a claim needs the stated
 * probability (exactly it is enough, a hair less is not), mass on a cut
 * point splits, and the band grows towards the more likely neighbour. */
static void
test_level_decision (void)
{
  double nodes[81], log_density[81];
  RsLevelDecision d;
  g_autofree char *text1 = NULL, *text2 = NULL, *text3 = NULL, *text4 = NULL, *text5 = NULL;

  /* All the mass on the node at θ = 0: Proficient, certain. */
  for (int q = 0; q < 81; q++)
    {
      nodes[q] = -4.0 + 0.1 * q;
      log_density[q] = q == 40 ? 0.0 : -1e4;
    }
  rs_level_decision_from_grid (&d, nodes, log_density, 81, 0);
  g_assert_cmpint (d.most_likely, ==, RS_LEVEL_PROFICIENT);
  g_assert_cmpfloat_with_epsilon (d.probability[RS_LEVEL_PROFICIENT], 1.0, 1e-12);
  g_assert_true (d.claimed);

  /* All on the node at the Advanced cut, θ = 0.5: half each side. */
  log_density[40] = -1e4;
  log_density[45] = 0.0;
  rs_level_decision_from_grid (&d, nodes, log_density, 81, 0);
  g_assert_cmpfloat_with_epsilon (d.probability[RS_LEVEL_PROFICIENT], 0.5, 1e-9);
  g_assert_cmpfloat_with_epsilon (d.probability[RS_LEVEL_ADVANCED], 0.5, 1e-9);
  g_assert_false (d.claimed);
  g_assert_cmpint (d.low, ==, RS_LEVEL_PROFICIENT);
  g_assert_cmpint (d.high, ==, RS_LEVEL_ADVANCED);
  text1 = rs_level_decision_describe (&d);
  g_assert_cmpstr (text1, ==, "between Proficient and Advanced");

  /* At the Novice/Developing cut −1.5 and the Expert cut 1.5 likewise. */
  log_density[45] = -1e4;
  log_density[25] = 0.0;
  rs_level_decision_from_grid (&d, nodes, log_density, 81, 0);
  g_assert_cmpfloat_with_epsilon (d.probability[RS_LEVEL_NOVICE], 0.5, 1e-9);
  g_assert_cmpfloat_with_epsilon (d.probability[RS_LEVEL_DEVELOPING], 0.5, 1e-9);
  log_density[25] = -1e4;
  log_density[55] = 0.0;
  rs_level_decision_from_grid (&d, nodes, log_density, 81, 0);
  g_assert_cmpfloat_with_epsilon (d.probability[RS_LEVEL_ADVANCED], 0.5, 1e-9);
  g_assert_cmpfloat_with_epsilon (d.probability[RS_LEVEL_EXPERT], 0.5, 1e-9);

  /* A normal posterior centred in Proficient with P = 0.8 exactly:
   * SE = 0.5 / z(0.9). Claimed; a hair wider, not, and the band takes the
   * lower of the two equal neighbours. */
  rs_level_decision_from_normal (&d, 0.0, 0.5 / 1.2815515655446004, 0);
  g_assert_cmpfloat_with_epsilon (d.most_likely_probability, 0.8, 1e-9);
  g_assert_true (d.claimed);
  text2 = rs_level_decision_describe (&d);
  g_assert_cmpstr (text2, ==, "Proficient");
  rs_level_decision_from_normal (&d, 0.0, 0.5 / 1.2815515655446004 + 1e-4, 0);
  g_assert_false (d.claimed);
  g_assert_cmpint (d.most_likely, ==, RS_LEVEL_PROFICIENT);
  text3 = rs_level_decision_describe (&d);
  g_assert_cmpstr (text3, ==, "between Developing and Proficient");

  /* By hand: 0.5 is most likely, not enough; Advanced (0.2) joins, then
   * Developing (0.15): 0.85. */
  {
    const double p[RS_N_LEVELS] = { 0.10, 0.15, 0.50, 0.20, 0.05 };
    g_assert_true (rs_level_decision_from_probabilities (&d, p, 0));
    g_assert_cmpint (d.most_likely, ==, RS_LEVEL_PROFICIENT);
    g_assert_false (d.claimed);
    g_assert_cmpint (d.low, ==, RS_LEVEL_DEVELOPING);
    g_assert_cmpint (d.high, ==, RS_LEVEL_ADVANCED);
    g_assert_cmpfloat_with_epsilon (d.band_probability, 0.85, 1e-12);
    text4 = rs_level_decision_describe (&d);
    g_assert_cmpstr (text4, ==, "between Developing and Advanced");
  }
  /* Both sides of the threshold. */
  {
    const double at[RS_N_LEVELS] = { 0.0, 0.0, 0.2, 0.8, 0.0 };
    const double below[RS_N_LEVELS] = { 0.0, 0.0, 0.21, 0.79, 0.0 };
    g_assert_true (rs_level_decision_from_probabilities (&d, at, 0));
    g_assert_true (d.claimed);
    g_assert_cmpint (d.most_likely, ==, RS_LEVEL_ADVANCED);
    g_assert_true (rs_level_decision_from_probabilities (&d, below, 0));
    g_assert_false (d.claimed);
    text5 = rs_level_decision_describe (&d);
    g_assert_cmpstr (text5, ==, "between Proficient and Advanced");
    /* Another threshold, stated by the caller. */
    g_assert_true (rs_level_decision_from_probabilities (&d, below, 0.75));
    g_assert_true (d.claimed);
  }
  /* Not probabilities: refused, nothing written. */
  {
    const double negative[RS_N_LEVELS] = { -0.1, 0.3, 0.4, 0.3, 0.1 };
    const double zero[RS_N_LEVELS] = { 0 };
    const double nan[RS_N_LEVELS] = { NAN, 0.3, 0.4, 0.3, 0.0 };
    g_assert_false (rs_level_decision_from_probabilities (&d, negative, 0));
    g_assert_false (rs_level_decision_from_probabilities (&d, zero, 0));
    g_assert_false (rs_level_decision_from_probabilities (&d, nan, 0));
  }
}

/* Every cut point, exactly: the level begins at its cut (θ = cut is that
 * level), and the largest double below the cut is the level beneath. The
 * cuts sit halfway between the authors' levels (b = level − 3). */
static void
test_cut_points (void)
{
  static const double cuts[RS_N_LEVELS] = { -INFINITY, -1.5, -0.5, 0.5, 1.5 };

  for (int l = 0; l < RS_N_LEVELS; l++)
    {
      g_assert_cmpfloat (rs_level_lower_cut ((RsLevel) l), ==, cuts[l]);
      if (l == 0)
        continue;
      g_assert_cmpint (rs_level_for_theta (cuts[l]), ==, l);
      g_assert_cmpint (rs_level_for_theta (nextafter (cuts[l], -INFINITY)), ==, l - 1);
    }
  g_assert_cmpint (rs_level_for_theta (-INFINITY), ==, RS_LEVEL_NOVICE);
  g_assert_cmpint (rs_level_for_theta (INFINITY), ==, RS_LEVEL_EXPERT);
  /* Names both ways. */
  for (int l = 0; l < RS_N_LEVELS; l++)
    g_assert_cmpint (rs_level_from_name (rs_level_name ((RsLevel) l)), ==, l);
}

/* The grid's mass is spread evenly over a step around each node: a node a
 * quarter step below a cut gives three quarters of its mass to the level
 * under the cut; every cut splits a node that sits on it in half. */
static void
test_grid_mass_split (void)
{
  double nodes[81], log_density[81];
  RsLevelDecision d;

  for (int q = 0; q < 81; q++)
    {
      nodes[q] = -4.025 + 0.1 * q;      /* node 45 at 0.475, a quarter step under the cut 0.5 */
      log_density[q] = q == 45 ? 0.0 : -1e4;
    }
  rs_level_decision_from_grid (&d, nodes, log_density, 81, 0);
  g_assert_cmpfloat_with_epsilon (d.probability[RS_LEVEL_PROFICIENT], 0.75, 1e-9);
  g_assert_cmpfloat_with_epsilon (d.probability[RS_LEVEL_ADVANCED], 0.25, 1e-9);
  g_assert_cmpint (d.most_likely, ==, RS_LEVEL_PROFICIENT);
  g_assert_false (d.claimed);

  /* The remaining cut, −0.5, on a node: half each side (the others are in
   * test_level_decision). Weights rather than logs give the same. */
  for (int q = 0; q < 81; q++)
    {
      nodes[q] = -4.0 + 0.1 * q;
      log_density[q] = q == 35 ? 1.0 : 0.0;
    }
  rs_level_decision_from_weights (&d, nodes, log_density, 81, 0);
  g_assert_cmpfloat_with_epsilon (d.probability[RS_LEVEL_DEVELOPING], 0.5, 1e-9);
  g_assert_cmpfloat_with_epsilon (d.probability[RS_LEVEL_PROFICIENT], 0.5, 1e-9);
  /* Two equally likely levels: the lower is named first. */
  g_assert_cmpint (d.most_likely, ==, RS_LEVEL_DEVELOPING);
}

/* The band, each way it can grow, worked out by hand. */
static void
test_band (void)
{
  static const struct {
    double p[RS_N_LEVELS];
    RsLevel most_likely, low, high;
    double band;
    const char *text;
  } cases[] = {
    /* Up, to the more probable neighbour. */
    { { 0.00, 0.10, 0.60, 0.30, 0.00 }, RS_LEVEL_PROFICIENT, RS_LEVEL_PROFICIENT, RS_LEVEL_ADVANCED, 0.90,
      "between Proficient and Advanced" },
    /* Down. */
    { { 0.00, 0.30, 0.60, 0.10, 0.00 }, RS_LEVEL_PROFICIENT, RS_LEVEL_DEVELOPING, RS_LEVEL_PROFICIENT, 0.90,
      "between Developing and Proficient" },
    /* Equal neighbours: the lower; 0.8 reached exactly, so it stops there. */
    { { 0.00, 0.20, 0.60, 0.20, 0.00 }, RS_LEVEL_PROFICIENT, RS_LEVEL_DEVELOPING, RS_LEVEL_PROFICIENT, 0.80,
      "between Developing and Proficient" },
    /* At the bottom it can only grow up: two steps. */
    { { 0.70, 0.05, 0.05, 0.10, 0.10 }, RS_LEVEL_NOVICE, RS_LEVEL_NOVICE, RS_LEVEL_PROFICIENT, 0.80,
      "between Novice and Proficient" },
    /* At the top, only down. */
    { { 0.10, 0.10, 0.05, 0.05, 0.70 }, RS_LEVEL_EXPERT, RS_LEVEL_PROFICIENT, RS_LEVEL_EXPERT, 0.80,
      "between Proficient and Expert" },
    /* Claimed: the band is the level itself. */
    { { 0.05, 0.05, 0.80, 0.05, 0.05 }, RS_LEVEL_PROFICIENT, RS_LEVEL_PROFICIENT, RS_LEVEL_PROFICIENT, 0.80,
      "Proficient" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      RsLevelDecision d;
      g_autofree char *text = NULL;

      g_assert_true (rs_level_decision_from_probabilities (&d, cases[i].p, 0));
      g_assert_cmpint (d.most_likely, ==, cases[i].most_likely);
      g_assert_cmpint (d.low, ==, cases[i].low);
      g_assert_cmpint (d.high, ==, cases[i].high);
      g_assert_cmpfloat_with_epsilon (d.band_probability, cases[i].band, 1e-12);
      g_assert_cmpfloat (d.threshold, ==, RS_LEVEL_CLAIM_PROBABILITY);
      text = rs_level_decision_describe (&d);
      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

/* Both sides of the claim threshold, which the product states as 80%:
 * given as probabilities (normalised first), and from a normal posterior
 * centred on a level's middle, where P = 2Φ(0.5/SE) − 1 crosses 0.8 at
 * SE = 0.5 / z(0.9). */
static void
test_claim_threshold (void)
{
  const double weights_at[RS_N_LEVELS] = { 0, 0, 2, 8, 0 };        /* 0.8 once normalised */
  const double weights_under[RS_N_LEVELS] = { 0, 0, 2.0001, 8, 0 };
  const double se_at = 0.5 / 1.2815515655446004;
  RsLevelDecision d;

  g_assert_cmpfloat (RS_LEVEL_CLAIM_PROBABILITY, ==, 0.8);
  g_assert_true (rs_level_decision_from_probabilities (&d, weights_at, 0));
  g_assert_cmpfloat_with_epsilon (d.probability[RS_LEVEL_ADVANCED], 0.8, 1e-15);
  g_assert_true (d.claimed);
  g_assert_true (rs_level_decision_from_probabilities (&d, weights_under, 0));
  g_assert_false (d.claimed);
  g_assert_cmpint (d.most_likely, ==, RS_LEVEL_ADVANCED);

  /* Centred in Advanced (θ = 1.0) and in Developing (θ = −1.0). */
  for (double theta = -1.0; theta <= 1.0; theta += 2.0)
    {
      rs_level_decision_from_normal (&d, theta, se_at * (1 - 1e-6), 0);
      g_assert_true (d.claimed);
      rs_level_decision_from_normal (&d, theta, se_at * (1 + 1e-6), 0);
      g_assert_false (d.claimed);
      g_assert_cmpint (d.most_likely, ==, rs_level_for_theta (theta));
    }

  /* A posterior centred on a cut: the two levels are equally likely, the
   * lower is named, nothing is claimed. */
  rs_level_decision_from_normal (&d, 0.5, 0.3, 0);
  g_assert_cmpfloat_with_epsilon (d.probability[RS_LEVEL_PROFICIENT], d.probability[RS_LEVEL_ADVANCED], 1e-12);
  g_assert_cmpint (d.most_likely, ==, RS_LEVEL_PROFICIENT);
  g_assert_false (d.claimed);
  /* No uncertainty at all, on a cut: the level that begins there. */
  rs_level_decision_from_normal (&d, 0.5, 0.0, 0);
  g_assert_cmpint (d.most_likely, ==, RS_LEVEL_ADVANCED);
  g_assert_cmpfloat (d.probability[RS_LEVEL_ADVANCED], ==, 1.0);
  g_assert_true (d.claimed);

  /* The same through the result's score: level, claim and band. */
  {
    RsSkillScore score;
    const double stored[RS_N_LEVELS] = { 0.0, 0.0, 0.21, 0.79, 0.0 };

    rs_skill_score_init_full (&score, 1.0, 0.2, stored);
    g_assert_cmpint (score.level, ==, RS_LEVEL_ADVANCED);
    g_assert_false (score.level_claimed);
    g_assert_cmpint (score.level_low, ==, RS_LEVEL_PROFICIENT);
    g_assert_cmpint (score.level_high, ==, RS_LEVEL_ADVANCED);
    g_assert_cmpfloat_with_epsilon (score.level_probability, 0.79, 1e-12);
  }
}

/* The score band is θ ± 1.2816 SE on the 0–100 scale, clamped at both
 * ends. */
static void
test_score_band (void)
{
  RsSkillScore score;

  rs_skill_score_init (&score, 1.0, 0.4);
  g_assert_cmpfloat_with_epsilon (score.score, 62.5, 1e-12);
  g_assert_cmpfloat_with_epsilon (score.score_low, 50 + 12.5 * (1.0 - 1.2816 * 0.4), 1e-12);
  g_assert_cmpfloat_with_epsilon (score.score_high, 50 + 12.5 * (1.0 + 1.2816 * 0.4), 1e-12);
  rs_skill_score_init (&score, 3.8, 0.5);
  g_assert_cmpfloat (score.score_high, ==, 100.0);
  g_assert_cmpfloat_with_epsilon (score.score_low, 50 + 12.5 * (3.8 - 1.2816 * 0.5), 1e-12);
  rs_skill_score_init (&score, -3.8, 0.5);
  g_assert_cmpfloat (score.score_low, ==, 0.0);
  g_assert_cmpfloat (rs_score_from_theta (-4.0), ==, 0.0);
  g_assert_cmpfloat (rs_score_from_theta (4.0), ==, 100.0);
}

/* "Within noise" is a change smaller than 1.96 SE of the difference: a
 * change of exactly 1.96 SE is not noise, one a hair smaller is. */
static void
test_change_threshold (void)
{
  RsScoreChange change;

  /* SE of the difference sqrt(0² + 0.5²) = 0.5 exactly; 0.98 / 0.5 = 1.96. */
  rs_score_change (0.0, 0.0, 0.98, 0.5, &change);
  g_assert_cmpfloat (change.z, ==, 1.96);
  g_assert_false (change.within_noise);
  rs_score_change (0.0, 0.0, -0.98, 0.5, &change);
  g_assert_false (change.within_noise);
  rs_score_change (0.0, 0.0, 0.979, 0.5, &change);
  g_assert_true (change.within_noise);
  rs_score_change (0.0, 0.0, -0.979, 0.5, &change);
  g_assert_true (change.within_noise);
  g_assert_cmpfloat_with_epsilon (change.delta_score, -12.5 * 0.979, 1e-12);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/scoring/levels", test_levels);
  g_test_add_func ("/scoring/claims", test_claims);
  g_test_add_func ("/scoring/scale", test_scale_clamped);
  g_test_add_func ("/scoring/change", test_change_noise);
  g_test_add_func ("/scoring/level-decision", test_level_decision);
  g_test_add_func ("/scoring/cut-points", test_cut_points);
  g_test_add_func ("/scoring/grid-mass-split", test_grid_mass_split);
  g_test_add_func ("/scoring/band", test_band);
  g_test_add_func ("/scoring/claim-threshold", test_claim_threshold);
  g_test_add_func ("/scoring/score-band", test_score_band);
  g_test_add_func ("/scoring/change-threshold", test_change_threshold);
  return g_test_run ();
}
