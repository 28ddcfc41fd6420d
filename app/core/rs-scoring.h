/* SPDX-License-Identifier: GPL-3.0-or-later */
/* From θ and its standard error to what a person reads: a score on a 0–100
 * scale with a confidence band, and a level that is claimed only when the
 * evidence supports it. */
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

const char *rs_level_name (RsLevel level);       /* "Proficient" */
RsLevel rs_level_from_name (const char *name);   /* case-insensitive */
/* The θ where a level begins (−inf for Novice). */
double rs_level_lower_cut (RsLevel level);
RsLevel rs_level_for_theta (double theta);

/* score = 50 + 12.5 θ, so θ in [−4, 4] covers 0–100. Clamped. */
double rs_score_from_theta (double theta);

typedef struct {
  double theta, se;
  double score, score_low, score_high;   /* the band on the 0–100 scale */
  RsLevel level;                         /* at the estimate */
  RsLevel level_low, level_high;         /* at the ends of the band */
  gboolean level_claimed;                /* the band lies within one level */
} RsSkillScore;

void rs_skill_score_init (RsSkillScore *score, double theta, double se);
/* "Proficient", or "between Developing and Proficient". */
char *rs_skill_score_describe (const RsSkillScore *score);

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
