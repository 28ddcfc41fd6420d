/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Item response models: response probabilities and Fisher information.
 *
 * Dichotomous items use the four-parameter logistic model on the logistic
 * metric (D = 1); with d = 1 it is the 3PL, with c = 0 as well the 2PL:
 *
 *     P(θ) = c + (d − c) / (1 + exp(−a (θ − b)))
 *
 * Items scored 0..m use the generalized partial credit model (Muraki 1992):
 *
 *     P_k(θ) ∝ exp( Σ_{v=1..k} a (θ − b_v) ),   k = 0..m   (empty sum for k = 0)
 *
 * These are the conventions of catR and mirt, so parameters move between them. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define RS_IRT_MAX_STEPS 9

typedef enum {
  RS_MODEL_4PL,   /* 3PL and 2PL are special cases */
  RS_MODEL_GPCM,
} RsModel;

typedef struct {
  RsModel model;
  double a;                           /* discrimination, > 0 */
  double b;                           /* 4PL: difficulty */
  double c;                           /* 4PL: lower asymptote (guessing) */
  double d;                           /* 4PL: upper asymptote, usually 1 */
  int n_steps;                        /* GPCM: m, the highest score */
  double steps[RS_IRT_MAX_STEPS];     /* GPCM: step difficulties b_1..b_m */
} RsIrtParams;

/* The highest score an item can get: 1 for 4PL, m for GPCM. */
int rs_irt_max_score (const RsIrtParams *params);

/* 4PL probability of a correct answer. */
double rs_irt_p_correct (const RsIrtParams *params, double theta);

/* Probabilities of every score 0..max_score at theta, written to probs
 * (max_score + 1 values, summing to 1). Works for both models. */
void rs_irt_category_probs (const RsIrtParams *params, double theta, double *probs);

/* log P(score | theta), finite even in the far tails. */
double rs_irt_log_likelihood (const RsIrtParams *params, double theta, int score);

/* Fisher information of the item at theta. */
double rs_irt_information (const RsIrtParams *params, double theta);

/* The 4PL information, I = a² (P − c)² (d − P)² / ((d − c)² P (1 − P)),
 * written with e = exp(−a(θ − b)) so that it costs one exp and one division:
 *     I = a² (d − c)² e² / ((1 + e)² (d + c e) ((1 − d) + (1 − c) e)).
 * Inline because item selection evaluates it for every item at every step.
 * The exponent is bounded so that e⁴ cannot overflow. */
static inline double
rs_irt_information_4pl (double a, double b, double c, double d, double theta)
{
  double z = a * (theta - b);
  double e = __builtin_exp (-(z < -30.0 ? -30.0 : z > 30.0 ? 30.0 : z));
  double num = a * (d - c) * e;
  double den = (1.0 + e) * (1.0 + e) * (d + c * e) * ((1.0 - d) + (1.0 - c) * e);
  return den > 0 ? num * num / den : 0.0;
}

/* Starting parameters from an author's level 1..5 and the item's shape:
 * b = level − 3; a = 1; c = guessing (e.g. 1/number of options; 0 for typed
 * answers); GPCM steps one logit apart, centred on b. */
void rs_irt_params_from_level (RsIrtParams *params, int level, int max_score, double guessing);

G_END_DECLS
