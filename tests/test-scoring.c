/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Scores, bands, levels that are claimed only when the evidence allows. */
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

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/scoring/levels", test_levels);
  g_test_add_func ("/scoring/claims", test_claims);
  g_test_add_func ("/scoring/scale", test_scale_clamped);
  g_test_add_func ("/scoring/change", test_change_noise);
  return g_test_run ();
}
