/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>

#include "rs-scoring.h"

#include "rs-i18n.h"

/* Level boundaries on θ. They sit halfway between the difficulties of the
 * authors' levels (b = level − 3), so a Proficient person is one who gets
 * level-3 items right about as often as not (above guessing). */
static const struct {
  const char *id;            /* stored, signed, written in roles.yaml: never translated */
  const char *name;          /* English; shown translated */
  double lower;
} levels[RS_N_LEVELS] = {
  { "novice", NC_("level", "Novice"), -INFINITY },
  { "developing", NC_("level", "Developing"), -1.5 },
  { "proficient", NC_("level", "Proficient"), -0.5 },
  { "advanced", NC_("level", "Advanced"), 0.5 },
  { "expert", NC_("level", "Expert"), 1.5 },
};

const char *
rs_level_id (RsLevel level)
{
  g_return_val_if_fail (level >= 0 && level < RS_N_LEVELS, "unknown");
  return levels[level].id;
}

static const char *
level_name (RsLevel level, gboolean translate)
{
  g_return_val_if_fail (level >= 0 && level < RS_N_LEVELS, "Unknown");
  return translate ? g_dpgettext2 (GETTEXT_PACKAGE, "level", levels[level].name) : levels[level].name;
}

const char *
rs_level_name (RsLevel level)
{
  return level_name (level, TRUE);
}

RsLevel
rs_level_from_name (const char *name)
{
  for (int l = 0; name != NULL && l < RS_N_LEVELS; l++)
    if (g_ascii_strcasecmp (name, levels[l].id) == 0)
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

/* Fills in the most likely level, the claim and the band from
 * decision->probability, which must add up to 1. */
static void
decide (RsLevelDecision *decision, double threshold)
{
  RsLevel best = RS_LEVEL_NOVICE;
  double band;

  decision->threshold = threshold > 0 ? threshold : RS_LEVEL_CLAIM_PROBABILITY;
  /* Equal within rounding (a posterior centred on a cut point): the lower. */
  for (int l = 1; l < RS_N_LEVELS; l++)
    if (decision->probability[l] > decision->probability[best] + 1e-9)
      best = (RsLevel) l;
  decision->most_likely = best;
  decision->most_likely_probability = decision->probability[best];
  /* A hair of rounding must not flip a claim that sits on the threshold. */
  decision->claimed = decision->most_likely_probability >= decision->threshold - 1e-12;
  decision->low = decision->high = best;
  band = decision->probability[best];
  while (band < decision->threshold - 1e-12 && (decision->low > 0 || decision->high < RS_N_LEVELS - 1))
    {
      double below = decision->low > 0 ? decision->probability[decision->low - 1] : -1.0;
      double above = decision->high < RS_N_LEVELS - 1 ? decision->probability[decision->high + 1] : -1.0;

      /* Equal neighbours (a posterior centred in a level): the lower one,
       * so that a tie never reads as more than the evidence says. */
      if (above > below + 1e-9)
        band += decision->probability[++decision->high];
      else
        band += decision->probability[--decision->low];
    }
  decision->band_probability = MIN (band, 1.0);
}

void
rs_level_decision_from_weights (RsLevelDecision *decision, const double *nodes, const double *weight, int n,
                                double threshold)
{
  double total = 0.0, step;

  g_return_if_fail (n >= 2);
  *decision = (RsLevelDecision) { 0 };
  step = (nodes[n - 1] - nodes[0]) / (n - 1);
  for (int q = 0; q < n; q++)
    {
      double below_previous = 0.0;

      total += weight[q];
      /* The node's mass is spread evenly over [x − step/2, x + step/2]:
       * the share of it below each cut goes to the levels underneath. */
      for (int l = 1; l <= RS_N_LEVELS; l++)
        {
          double below = l < RS_N_LEVELS
                           ? CLAMP ((levels[l].lower - (nodes[q] - step / 2)) / step, 0.0, 1.0)
                           : 1.0;
          decision->probability[l - 1] += weight[q] * (below - below_previous);
          below_previous = below;
        }
    }
  for (int l = 0; l < RS_N_LEVELS; l++)
    decision->probability[l] /= total;
  decide (decision, threshold);
}

void
rs_level_decision_from_grid (RsLevelDecision *decision, const double *nodes, const double *log_density,
                             int n, double threshold)
{
  g_autofree double *weight = g_new (double, MAX (n, 1));
  double lmax = -INFINITY;

  g_return_if_fail (n >= 2);
  for (int q = 0; q < n; q++)
    lmax = MAX (lmax, log_density[q]);
  for (int q = 0; q < n; q++)
    weight[q] = exp (log_density[q] - lmax);
  rs_level_decision_from_weights (decision, nodes, weight, n, threshold);
}

void
rs_level_decision_from_normal (RsLevelDecision *decision, double theta, double se, double threshold)
{
  double below_previous = 0.0;

  *decision = (RsLevelDecision) { 0 };
  for (int l = 1; l <= RS_N_LEVELS; l++)
    {
      double below;

      if (l == RS_N_LEVELS)
        below = 1.0;
      else if (se > 0)
        below = 0.5 * erfc (-(levels[l].lower - theta) / (se * G_SQRT2));
      else
        below = theta < levels[l].lower ? 1.0 : 0.0;
      decision->probability[l - 1] = MAX (below - below_previous, 0.0);
      below_previous = below;
    }
  decide (decision, threshold);
}

gboolean
rs_level_decision_from_probabilities (RsLevelDecision *decision, const double probability[RS_N_LEVELS],
                                      double threshold)
{
  double total = 0.0;

  for (int l = 0; l < RS_N_LEVELS; l++)
    {
      if (!isfinite (probability[l]) || probability[l] < 0)
        return FALSE;
      total += probability[l];
    }
  if (!(total > 0))
    return FALSE;
  *decision = (RsLevelDecision) { 0 };
  for (int l = 0; l < RS_N_LEVELS; l++)
    decision->probability[l] = probability[l] / total;
  decide (decision, threshold);
  return TRUE;
}

static char *
describe_decision (const RsLevelDecision *decision, gboolean translate)
{
  if (decision->claimed || decision->low == decision->high)
    return g_strdup (level_name (decision->most_likely, translate));
  /* No level is likely enough: name the range rather than pretend. */
  /* Translators: two levels, for example "between Developing and Proficient". */
  return g_strdup_printf (rs_maybe_gettext (translate, "between %s and %s"), level_name (decision->low, translate),
                          level_name (decision->high, translate));
}

char *
rs_level_decision_describe (const RsLevelDecision *decision)
{
  return describe_decision (decision, TRUE);
}

void
rs_skill_score_init_full (RsSkillScore *score, double theta, double se, const double *level_probability)
{
  score->theta = theta;
  score->se = se;
  score->score = rs_score_from_theta (theta);
  score->score_low = rs_score_from_theta (theta - RS_BAND_Z * se);
  score->score_high = rs_score_from_theta (theta + RS_BAND_Z * se);
  if (level_probability == NULL
      || !rs_level_decision_from_probabilities (&score->decision, level_probability, 0))
    rs_level_decision_from_normal (&score->decision, theta, se, 0);
  score->level = score->decision.most_likely;
  score->level_probability = score->decision.most_likely_probability;
  score->level_low = score->decision.low;
  score->level_high = score->decision.high;
  score->level_claimed = score->decision.claimed;
}

void
rs_skill_score_init (RsSkillScore *score, double theta, double se)
{
  rs_skill_score_init_full (score, theta, se, NULL);
}

char *
rs_skill_score_describe (const RsSkillScore *score)
{
  return rs_level_decision_describe (&score->decision);
}

char *
rs_skill_score_describe_untranslated (const RsSkillScore *score)
{
  return describe_decision (&score->decision, FALSE);
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
