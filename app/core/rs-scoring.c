/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>

#include "rs-scoring.h"

/* Level boundaries on θ. They sit halfway between the difficulties of the
 * authors' levels (b = level − 3), so a Proficient person is one who gets
 * level-3 items right about as often as not (above guessing). */
static const struct {
  const char *name;
  double lower;
} levels[RS_N_LEVELS] = {
  { "Novice", -INFINITY },
  { "Developing", -1.5 },
  { "Proficient", -0.5 },
  { "Advanced", 0.5 },
  { "Expert", 1.5 },
};

const char *
rs_level_name (RsLevel level)
{
  g_return_val_if_fail (level >= 0 && level < RS_N_LEVELS, "Unknown");
  return levels[level].name;
}

RsLevel
rs_level_from_name (const char *name)
{
  for (int l = 0; name != NULL && l < RS_N_LEVELS; l++)
    if (g_ascii_strcasecmp (name, levels[l].name) == 0)
      return (RsLevel) l;
  return RS_LEVEL_INVALID;
}

double
rs_level_lower_cut (RsLevel level)
{
  g_return_val_if_fail (level >= 0 && level < RS_N_LEVELS, -INFINITY);
  return levels[level].lower;
}

RsLevel
rs_level_for_theta (double theta)
{
  RsLevel level = RS_LEVEL_NOVICE;
  for (int l = 1; l < RS_N_LEVELS; l++)
    if (theta >= levels[l].lower)
      level = (RsLevel) l;
  return level;
}

double
rs_score_from_theta (double theta)
{
  return CLAMP (50.0 + 12.5 * theta, 0.0, 100.0);
}

void
rs_skill_score_init (RsSkillScore *score, double theta, double se)
{
  double low = theta - RS_BAND_Z * se;
  double high = theta + RS_BAND_Z * se;

  score->theta = theta;
  score->se = se;
  score->score = rs_score_from_theta (theta);
  score->score_low = rs_score_from_theta (low);
  score->score_high = rs_score_from_theta (high);
  score->level = rs_level_for_theta (theta);
  score->level_low = rs_level_for_theta (low);
  score->level_high = rs_level_for_theta (high);
  score->level_claimed = score->level_low == score->level_high;
}

char *
rs_skill_score_describe (const RsSkillScore *score)
{
  if (score->level_claimed)
    return g_strdup (rs_level_name (score->level));
  /* The band crosses a boundary: name both ends rather than pretend. */
  return g_strdup_printf ("between %s and %s", rs_level_name (score->level_low),
                          rs_level_name (score->level_high));
}

void
rs_score_change (double theta_before, double se_before, double theta_after, double se_after,
                 RsScoreChange *change)
{
  double se_diff = sqrt (se_before * se_before + se_after * se_after);

  change->delta_theta = theta_after - theta_before;
  change->delta_score = rs_score_from_theta (theta_after) - rs_score_from_theta (theta_before);
  change->z = se_diff > 0 ? change->delta_theta / se_diff : 0.0;
  change->within_noise = fabs (change->z) < 1.96;
}
