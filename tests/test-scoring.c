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

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/scoring/levels", test_levels);
  g_test_add_func ("/scoring/claims", test_claims);
  g_test_add_func ("/scoring/scale", test_scale_clamped);
  g_test_add_func ("/scoring/change", test_change_noise);
  g_test_add_func ("/scoring/level-decision", test_level_decision);
  return g_test_run ();
}
