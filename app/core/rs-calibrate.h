/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Item calibration: marginal maximum likelihood by EM (Bock & Aitkin 1981)
 * on a quadrature grid, for the models of rs-irt.h on the logistic metric
 * (D = 1), with no storage and no files: the command line and rs-calibration
 * (the database side) feed it responses and read its results.
 *
 * What is maximized is the marginal log-posterior
 *
 *     Σ_persons log Σ_q π_q Π_{answered j} P_j(u_j | θ_q)  +  Σ_items log prior(item)
 *
 * over the free items' parameters (and, when anchors fix the scale, the mean
 * and SD of the normal latent distribution π). The grid is n_quad equally
 * spaced points on [−quad_range, quad_range], π_q ∝ φ((θ_q − μ)/σ) normalized
 * to sum to 1 on the grid. Priors: ln a ~ N(a_prior_mean, a_prior_sd²)
 * (the normal density of ln a, no Jacobian), and for a 3PL item whose c is
 * estimated, c ~ Beta(c_prior_alpha, c_prior_beta) (the density of c);
 * optionally a weak normal prior on the intercepts d (off by default), which
 * keeps an item that some answers separate perfectly (everyone above some
 * ability right, everyone below wrong) finite in sparse adaptive data.
 *
 * - Responses are sparse: each person lists only the items answered; nothing
 *   else enters the likelihood. They are kept as compressed rows (per person,
 *   an item index and a score), never as a dense matrix.
 * - Anchors are held exactly at their given parameters. With no anchor the
 *   latent distribution is fixed at N(0, 1), which sets the scale; with
 *   anchors its mean and SD are estimated (fixed-parameter calibration with
 *   the population updated every cycle, Kim 2006), so new items land on the
 *   anchors' scale even when the population has moved.
 * - Internally a = e^α and intercepts d = −a·b (GPCM: d_v = −a·b_v), c =
 *   logistic(γ); each M-step is Newton with step halving (Fisher scoring
 *   where the observed information is not positive definite). EM steps
 *   are accelerated with SQUAREM (Varadhan & Roland 2008), falling back to
 *   the plain EM step whenever the accelerated one would lower the objective.
 * - Converged when no internal parameter (α, d, γ, μ, ln σ) moved more than
 *   `tolerance` in one cycle; at most `max_iterations` cycles.
 * - Standard errors: the inverse of the observed-data information estimated
 *   by the cross-product of the persons' score vectors (Fisher's identity:
 *   each person's score is the posterior mean of the complete-data score),
 *   minus the priors' Hessian, taken over all free parameters at once; the
 *   delta method carries them to a, b, c. Checked against the spread of
 *   estimates over replications in tests/test-calibrate.c.
 * - Item fit: Orlando & Thissen's S-X² (2000; Kang & Chen 2008 for partial
 *   credit), with expected counts computed per person from the items that
 *   person answered (generalized Lord–Wingersky recursion), so it applies to
 *   sparse adaptive data; score groups are merged from the tails until every
 *   expected cell count is at least 1; df = cells − groups − free parameters.
 *
 * Nothing returned is ever NaN or infinite. */
#pragma once

#include <glib.h>

#include "rs-irt.h"

G_BEGIN_DECLS

typedef enum {
  RS_CALIB_2PL,          /* c = 0 */
  RS_CALIB_3PL,          /* c held at the start value */
  RS_CALIB_3PL_PRIOR_C,  /* c estimated under the Beta prior */
  RS_CALIB_GPCM,         /* scores 0..m, m = max_score */
} RsCalibModel;

/* "2pl", "3pl", "3pl" (c estimated), "gpcm" */
const char *rs_calib_model_id (RsCalibModel model);

typedef enum {
  RS_CALIB_FLAG_POOR_FIT = 1 << 0,           /* S-X² p below fit_alpha */
  RS_CALIB_FLAG_LOW_DISCRIMINATION = 1 << 1, /* a below min_a, or scores that fall as ability rises */
  RS_CALIB_FLAG_UNSTABLE = 1 << 2,           /* an SE above its limit, or EM did not converge */
} RsCalibFlags;

/* "poor-fit;low-discrimination", "" when none. */
char *rs_calib_flag_ids (guint flags);
/* "poor fit (p 0.002), discrimination near zero (a 0.12)", "" when none. */
char *rs_calib_flag_text (guint flags);

typedef struct {
  double tolerance;          /* 1e-4 */
  int max_iterations;        /* 500 */
  int n_quad;                /* 41 */
  double quad_range;         /* 6 */
  double a_prior_mean;       /* 0: of ln a */
  double a_prior_sd;         /* 0.5; 0: no prior */
  double c_prior_alpha;      /* 5 */
  double c_prior_beta;       /* 17 */
  double d_prior_sd;         /* 0: none; else intercepts d ~ N(0, sd²) (rs-calibration uses 4) */
  int n_threads;             /* 0: one per core */
  gboolean compute_fit;      /* TRUE: S-X² */
  gboolean accelerate;       /* TRUE: SQUAREM */
  /* flags */
  double fit_alpha;          /* 0.01 */
  double min_a;              /* 0.3 */
  double max_se_a;           /* 0.5 */
  double max_se_b;           /* 1.0 */
  double max_se_c;           /* 0.15 */
} RsCalibOptions;

void rs_calib_options_init (RsCalibOptions *options);

typedef struct _RsCalibData RsCalibData;

RsCalibData *rs_calib_data_new (void);
void rs_calib_data_free (RsCalibData *data);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RsCalibData, rs_calib_data_free)

/* Adds an item; returns its index (0, 1, ...), or −1 when the id is taken.
 * start: starting values (model RS_MODEL_4PL or RS_MODEL_GPCM matching
 * model; for RS_CALIB_3PL its c is the c held fixed); NULL, or a start
 * whose a is 0: a = 1 and b from the proportion scored (c then 0, or the
 * Beta prior's mode when c is estimated). anchor: held at start exactly
 * (start must then be given). max_score: 1, or m ≥ 1 for GPCM (≤ RS_IRT_MAX_STEPS).
 * An item nobody answered, or whose answers all have one score, keeps its
 * start (nothing can be estimated from it) and is flagged unstable. */
int rs_calib_data_add_item (RsCalibData *data, const char *id, RsCalibModel model, int max_score,
                            const RsIrtParams *start, gboolean anchor);
int rs_calib_data_lookup_item (const RsCalibData *data, const char *id);
guint rs_calib_data_n_items (const RsCalibData *data);
/* A new person (an attempt, for the store); returns its index. */
guint rs_calib_data_add_person (RsCalibData *data);
/* One answer: score in 0..max_score of the item. Persons' answers may come
 * in any order; one person answering one item twice is refused by
 * rs_calibrate(). FALSE (RS_ERROR_INVALID) on a bad index or score. */
gboolean rs_calib_data_add_response (RsCalibData *data, guint person, int item, int score, GError **error);
guint rs_calib_data_n_responses (const RsCalibData *data);

/* An SE that could not be computed (the information is singular in that
 * direction): the item is flagged unstable. */
#define RS_CALIB_SE_UNKNOWN 99.0

typedef struct {
  char *id;
  RsCalibModel model;
  gboolean anchor;
  int n;                             /* answers to it */
  RsIrtParams params;                /* estimated, or the anchor's */
  double se_a, se_b, se_c;           /* 0 for what was held fixed; se_b unused for GPCM */
  double se_steps[RS_IRT_MAX_STEPS]; /* GPCM */
  double fit_chi2;                   /* S-X² */
  int fit_df;                        /* 0: not computable (too few answers or groups); p is then 1 */
  double fit_p;
  /* Pearson's r between the item's score and the answering persons' EAP
   * estimates: a is kept positive by its parametrization, so an item keyed
   * backwards shows here as r < 0 (then flagged low discrimination). */
  double eap_correlation;
  guint flags;                       /* RsCalibFlags */
} RsCalibItem;

typedef struct {
  GPtrArray *items;          /* RsCalibItem *, in the order added */
  int n_persons;             /* with at least one answer */
  int n_responses;
  int iterations;            /* EM cycles (an accelerated cycle counts its three E-steps as three) */
  gboolean converged;
  double loglik;             /* marginal log-likelihood at the estimates, priors left out */
  double log_posterior;      /* loglik plus the log priors: what was maximized */
  gboolean latent_estimated; /* anchors present: mean and SD estimated */
  double mean, sd;           /* latent distribution */
  double se_mean, se_sd;     /* 0 when fixed */
  const char *se_method;     /* "cross-product (XPD) of person scores" or the block fallback */
  double seconds;            /* wall time of rs_calibrate */
  double seconds_fit;        /* of which S-X² */
} RsCalibResult;

void rs_calib_result_free (RsCalibResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RsCalibResult, rs_calib_result_free)

/* Runs the calibration. options NULL: the defaults. Fails (RS_ERROR_INVALID)
 * on no answers, a repeated (person, item) answer, or an option out of range. */
RsCalibResult *rs_calibrate (RsCalibData *data, const RsCalibOptions *options, GError **error);

/* The marginal log-likelihood (priors left out) of the data at the given
 * parameters, one per item in the order added, with latent N(mean, sd²), on
 * the options' grid: for tests that compare optima. */
double rs_calib_loglik_at (RsCalibData *data, const RsCalibOptions *options, const RsIrtParams *params,
                           double mean, double sd, GError **error);

G_END_DECLS
