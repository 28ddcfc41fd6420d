/* SPDX-License-Identifier: GPL-3.0-or-later */
/* From θ and its standard error to what a person reads: a score on a 0–100
 * scale with a confidence band, and a level that is claimed only when the
 * evidence supports it.
 *
 * The level rule works on the ability posterior: the probability of each
 * level is the posterior mass between its cut points. The most likely level
 * is named with its probability; it is claimed when that probability
 * reaches RS_LEVEL_CLAIM_PROBABILITY, and otherwise the result reads
 * "between X and Y", X..Y being the narrowest run of adjacent levels around
 * the most likely one whose probabilities add up to it. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  RS_LEVEL_NOVICE,
  RS_LEVEL_DEVELOPING,
  RS_LEVEL_PROFICIENT,
  RS_LEVEL_ADVANCED,
  RS_LEVEL_EXPERT,
  RS_N_LEVELS,
  RS_LEVEL_INVALID = -1,
} RsLevel;

/* The band is an 80% interval: wide enough to be honest, narrow enough that a
 * 20-item test can name a level. */
#define RS_BAND_Z 1.2816

/* A level is named on its own when it is at least this probable. */
#define RS_LEVEL_CLAIM_PROBABILITY 0.8

const char *rs_level_id (RsLevel level);         /* "proficient": stored and signed, never translated */
const char *rs_level_name (RsLevel level);       /* "Proficient", in the reader's language */
RsLevel rs_level_from_name (const char *name);   /* the id or the English name, any case */
/* The θ where a level begins (−inf for Novice). */
double rs_level_lower_cut (RsLevel level);
RsLevel rs_level_for_theta (double theta);

/* score = 50 + 12.5 θ, so θ in [−4, 4] covers 0–100. Clamped. */
double rs_score_from_theta (double theta);

/* The decision about a level, from the posterior probability of each. */
typedef struct {
  double probability[RS_N_LEVELS];   /* add up to 1 */
  RsLevel most_likely;               /* the first of equals, if any tie */
  double most_likely_probability;
  double threshold;                  /* the probability a claim needs */
  gboolean claimed;                  /* most_likely_probability >= threshold */
  /* claimed: both most_likely. Otherwise the narrowest run of adjacent
   * levels around most_likely whose probabilities reach the threshold,
   * grown each step towards the more probable neighbour (the lower one
   * when they are equal). */
  RsLevel low, high;
  double band_probability;           /* of low..high */
} RsLevelDecision;

/* From a posterior on a grid: n equally spaced nodes (ascending) with their
 * log densities up to a constant. Each node stands for the interval of
 * one step around it, so a cut point that falls on a node splits its mass
 * in half. threshold ≤ 0 means RS_LEVEL_CLAIM_PROBABILITY. */
void rs_level_decision_from_grid (RsLevelDecision *decision, const double *nodes,
                                  const double *log_density, int n, double threshold);
/* The same from weights proportional to the density (not logs). */
void rs_level_decision_from_weights (RsLevelDecision *decision, const double *nodes, const double *weight,
                                     int n, double threshold);
/* From a normal posterior N(theta, se²): for stored results that kept no
 * level probabilities. */
void rs_level_decision_from_normal (RsLevelDecision *decision, double theta, double se, double threshold);
/* From probabilities already computed (stored with a result); they are
 * normalised. FALSE (decision untouched) when they are not probabilities. */
gboolean rs_level_decision_from_probabilities (RsLevelDecision *decision,
                                               const double probability[RS_N_LEVELS], double threshold);
/* "Proficient", or "between Developing and Proficient". */
char *rs_level_decision_describe (const RsLevelDecision *decision);

typedef struct {
  double theta, se;
  double score, score_low, score_high;   /* the band on the 0–100 scale */
  RsLevel level;                         /* the most likely level */
  double level_probability;              /* its posterior probability */
  RsLevel level_low, level_high;         /* the levels named (equal when claimed) */
  gboolean level_claimed;                /* the most likely level reaches the claim probability */
  RsLevelDecision decision;
} RsSkillScore;

/* With the normal approximation N(theta, se²) of the posterior. */
void rs_skill_score_init (RsSkillScore *score, double theta, double se);
/* With the level probabilities stored with a result (may be NULL: then as
 * rs_skill_score_init). */
void rs_skill_score_init_full (RsSkillScore *score, double theta, double se,
                               const double *level_probability);
/* "Proficient", or "between Developing and Proficient". */
char *rs_skill_score_describe (const RsSkillScore *score);
/* The same in English whatever the language: for the CSV export. */
char *rs_skill_score_describe_untranslated (const RsSkillScore *score);

/* Change between two attempts. within_noise when the difference is smaller
 * than 1.96 × the SE of the difference, sqrt(se1² + se2²). */
typedef struct {
  double delta_theta;
  double delta_score;
  double z;
  gboolean within_noise;
} RsScoreChange;

void rs_score_change (double theta_before, double se_before,
                      double theta_after, double se_after, RsScoreChange *change);

G_END_DECLS
