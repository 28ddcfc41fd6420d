/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The EM engine behind rs-calibrate.h. Why it is written by hand: Debian
 * packages no C library for IRT calibration (mirt is R, and R cannot be a
 * run-time dependency of a kiosk); the general numerics come from GSL
 * (Cholesky inversion, the chi-square tail).
 *
 * Where the time goes and how it is kept short:
 *
 * - The E-step is one pass over the compressed responses. Each person's
 *   likelihood on the grid is a product of rows of a per-item table of
 *   category probabilities (computed once per cycle), in probability space
 *   with a rescale every 8 answers rather than in log space, so a person
 *   costs one multiply per answer and node and no exp() at all. The grid is
 *   padded to a multiple of four and the inner loops use GCC vector types:
 *   packed SSE2 at -O2, and AVX2 in clones picked at load time on CPUs that
 *   have it (target_clones). Persons are split over the cores; each part
 *   sums its own expected counts, merged after.
 * - The M-step works on those expected counts only (items × categories ×
 *   nodes), a few Fisher-scoring steps per item.
 * - SQUAREM cuts the number of E-steps several times over on the slowly
 *   converging cases (3PL, sparse designs). */
#include "rs-calibrate.h"


#include <glib/gi18n-lib.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <math.h>
#include <string.h>

#include "rs-error.h"

/* Four doubles, aligned only as g_malloc aligns (16 bytes): packed SSE2
 * pairs by default, one AVX2 operation in the clones made for CPUs that
 * have it (HOT below). */
/* Static and always inlined: no vector crosses a call, so the note that
 * the AVX calling convention differs does not apply. */
#pragma GCC diagnostic ignored "-Wpsabi"
typedef double vd __attribute__ ((vector_size (32), aligned (16)));
typedef gint64 vi __attribute__ ((vector_size (32), aligned (16)));
#define VD_LANES 4

#if defined(__x86_64__) && defined(__has_attribute)
#if __has_attribute(target_clones) && !defined(__SANITIZE_ADDRESS__)
#define HOT __attribute__ ((target_clones ("avx2", "default")))
#endif
#endif
#ifndef HOT
#define HOT
#endif

static inline __attribute__ ((always_inline)) vd
vd_splat (double x)
{
  return (vd) { x, x, x, x };
}

static inline __attribute__ ((always_inline)) double
vd_sum (vd v)
{
  return (v[0] + v[1]) + (v[2] + v[3]);
}

/* Element-wise maximum, written with a comparison mask so that it is the
 * same on every architecture GCC targets. */
static inline __attribute__ ((always_inline)) vd
vd_max (vd a, vd b)
{
  vi m = a > b;
  return (vd) ((m & (vi) a) | (~m & (vi) b));
}

#define P_FLOOR 1e-12
#define MAX_PAR (RS_IRT_MAX_STEPS + 2)
/* A person's running likelihood is rescaled to a maximum of 1 every 8
 * answers, with nodes below 1e-150 of the maximum raised to that: 8 answers
 * at the probability floor then leave 1e-246, and times the prior still far
 * above the subnormal range, where x86 arithmetic is a hundred times slower.
 * The floor changes the likelihood by less than 1e-150 of its size. */
#define RESCALE_EVERY 8
#define LIK_FLOOR 1e-150
/* Bounds on the internal parameters: a in [0.01, 20], |d| ≤ 50, c in [1e-4, 0.6]. */
#define ALPHA_MIN (-4.6)
#define ALPHA_MAX 3.0
#define D_MAX 50.0
#define GAMMA_MIN (-9.2)
#define GAMMA_MAX 0.405
/* Above this many free parameters the covariance is taken per item block:
 * inverting the full matrix would cost more than the calibration. */
#define MAX_FULL_COVARIANCE 2500
/* S-X²: merge score groups until each expected cell count reaches this. */
#define FIT_MIN_EXPECTED 1.0

/* --- options, names --- */

void
rs_calib_options_init (RsCalibOptions *options)
{
  *options = (RsCalibOptions) {
    .tolerance = 1e-4,
    .max_iterations = 500,
    .n_quad = 41,
    .quad_range = 6.0,
    .a_prior_mean = 0.0,
    .a_prior_sd = 0.5,
    .c_prior_alpha = 5.0,
    .c_prior_beta = 17.0,
    .d_prior_sd = 0.0,
    .n_threads = 0,
    .compute_fit = TRUE,
    .accelerate = TRUE,
    .fit_alpha = 0.01,
    .min_a = 0.3,
    .max_se_a = 0.5,
    .max_se_b = 1.0,
    .max_se_c = 0.15,
  };
}

const char *
rs_calib_model_id (RsCalibModel model)
{
  switch (model)
    {
    case RS_CALIB_2PL:
      return "2pl";
    case RS_CALIB_3PL:
    case RS_CALIB_3PL_PRIOR_C:
      return "3pl";
    case RS_CALIB_GPCM:
      return "gpcm";
    default:
      return "unknown";
    }
}

char *
rs_calib_flag_ids (guint flags)
{
  GString *text = g_string_new (NULL);

  if (flags & RS_CALIB_FLAG_POOR_FIT)
    g_string_append (text, "poor-fit;");
  if (flags & RS_CALIB_FLAG_LOW_DISCRIMINATION)
    g_string_append (text, "low-discrimination;");
  if (flags & RS_CALIB_FLAG_UNSTABLE)
    g_string_append (text, "unstable;");
  if (text->len > 0)
    g_string_truncate (text, text->len - 1);
  return g_string_free (text, FALSE);
}

char *
rs_calib_flag_text (guint flags)
{
  GString *text = g_string_new (NULL);

  /* Translators: the separator between the review flags of an item. */
  const char *separator = _(", ");

  if (flags & RS_CALIB_FLAG_POOR_FIT)
    g_string_append (text, _("poor fit"));
  if (flags & RS_CALIB_FLAG_LOW_DISCRIMINATION)
    g_string_append_printf (text, "%s%s", text->len > 0 ? separator : "", _("discrimination near zero or negative"));
  if (flags & RS_CALIB_FLAG_UNSTABLE)
    g_string_append_printf (text, "%s%s", text->len > 0 ? separator : "", _("unstable estimate"));
  return g_string_free (text, FALSE);
}

/* --- data --- */

typedef struct {
  char *id;
  RsCalibModel model;
  int m;                     /* highest score */
  gboolean anchor;
  gboolean has_start;
  RsIrtParams start;
} DataItem;

typedef struct {
  guint32 person;
  guint32 item;
  gint32 score;
} Triple;

struct _RsCalibData {
  GPtrArray *items;          /* DataItem * */
  GHashTable *by_id;         /* id → index + 1 */
  GArray *triples;           /* Triple, as added */
  guint n_persons;
};

static void
data_item_free (DataItem *item)
{
  g_free (item->id);
  g_free (item);
}

RsCalibData *
rs_calib_data_new (void)
{
  RsCalibData *data = g_new0 (RsCalibData, 1);

  data->items = g_ptr_array_new_with_free_func ((GDestroyNotify) data_item_free);
  data->by_id = g_hash_table_new (g_str_hash, g_str_equal);
  data->triples = g_array_new (FALSE, FALSE, sizeof (Triple));
  return data;
}

void
rs_calib_data_free (RsCalibData *data)
{
  if (data == NULL)
    return;
  g_hash_table_unref (data->by_id);
  g_ptr_array_unref (data->items);
  g_array_unref (data->triples);
  g_free (data);
}

int
rs_calib_data_add_item (RsCalibData *data, const char *id, RsCalibModel model, int max_score,
                        const RsIrtParams *start, gboolean anchor)
{
  DataItem *item;

  g_return_val_if_fail (data != NULL && id != NULL, -1);
  g_return_val_if_fail (model >= RS_CALIB_2PL && model <= RS_CALIB_GPCM, -1);
  g_return_val_if_fail (max_score >= 1 && max_score <= RS_IRT_MAX_STEPS, -1);
  g_return_val_if_fail (model == RS_CALIB_GPCM || max_score == 1, -1);
  g_return_val_if_fail (!anchor || start != NULL, -1);
  g_return_val_if_fail (start == NULL || (start->model == RS_MODEL_GPCM) == (model == RS_CALIB_GPCM), -1);
  g_return_val_if_fail (start == NULL || model != RS_CALIB_GPCM || start->n_steps == max_score, -1);
  if (g_hash_table_contains (data->by_id, id))
    return -1;
  item = g_new0 (DataItem, 1);
  item->id = g_strdup (id);
  item->model = model;
  item->m = max_score;
  item->anchor = anchor;
  item->has_start = start != NULL;
  if (start != NULL)
    item->start = *start;
  g_ptr_array_add (data->items, item);
  g_hash_table_insert (data->by_id, item->id, GUINT_TO_POINTER (data->items->len));
  return (int) data->items->len - 1;
}

int
rs_calib_data_lookup_item (const RsCalibData *data, const char *id)
{
  return (int) GPOINTER_TO_UINT (g_hash_table_lookup (data->by_id, id)) - 1;
}

guint
rs_calib_data_n_items (const RsCalibData *data)
{
  return data->items->len;
}

guint
rs_calib_data_add_person (RsCalibData *data)
{
  return data->n_persons++;
}

gboolean
rs_calib_data_add_response (RsCalibData *data, guint person, int item, int score, GError **error)
{
  Triple t;
  const DataItem *it;

  if (person >= data->n_persons || item < 0 || (guint) item >= data->items->len)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_INVALID, _("answer of person %u to item %d: no such person or item"),
                   person, item);
      return FALSE;
    }
  it = g_ptr_array_index (data->items, item);
  if (score < 0 || score > it->m)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_INVALID, _("item %s: score %d is outside 0..%d"), it->id, score, it->m);
      return FALSE;
    }
  t = (Triple) { person, (guint32) item, score };
  g_array_append_val (data->triples, t);
  return TRUE;
}

guint
rs_calib_data_n_responses (const RsCalibData *data)
{
  return data->triples->len;
}

void
rs_calib_result_free (RsCalibResult *result)
{
  if (result == NULL)
    return;
  for (guint i = 0; result->items != NULL && i < result->items->len; i++)
    {
      RsCalibItem *item = g_ptr_array_index (result->items, i);
      g_free (item->id);
      g_free (item);
    }
  g_clear_pointer (&result->items, g_ptr_array_unref);
  g_free (result);
}

/* --- the run's state --- */

typedef struct {
  const DataItem *data;
  int m, K;                  /* highest score, categories */
  gboolean fixed;            /* anchor, or nothing to estimate from */
  gboolean degenerate;       /* answered, but every answer has one score */
  gboolean estimate_c;       /* a free 3PL whose c is estimated */
  int n_par;                 /* free internal parameters */
  int par_offset;            /* into the global vector */
  double x[MAX_PAR];         /* α, d (GPCM d_1..d_m), γ */
  double c_fixed, upper;     /* 3PL fixed c; 4PL upper asymptote of anchors */
  gsize p_offset;            /* into the probability and count tables */
  int n;
  double score_sum;
} Item;

typedef struct {
  const RsCalibOptions *opt;
  int n_items;
  Item *items;
  int nq, qp;                /* real and padded grid length */
  double *theta;             /* qp */
  double *prior;             /* qp, 0 on the padding */
  gboolean latent_free;
  double mean, sd;
  int n_par;                 /* global free parameters */
  /* compressed rows */
  guint n_persons;
  guint *row;                /* n_persons + 1 */
  guint32 *resp_item;
  guint8 *resp_score;
  gsize table_size;          /* Σ K × qp */
  double *ptab;              /* category probabilities, K rows of qp per item */
  /* threads */
  int n_chunks;
  guint *chunk_start;        /* person index where chunk c starts; n_chunks + 1 */
  GThreadPool *pool;
  GMutex lock;
  GCond cond;
  int pending;
  void (*job) (gpointer state, int chunk);
  /* per chunk accumulators */
  double **r;                /* expected counts, table_size each */
  double **nq_sum;           /* qp each */
  double *chunk_loglik;
  gpointer job_data;         /* the standard-error or fit pass's own state */
} State;

static inline double
logistic (double x)
{
  if (x >= 0)
    return 1.0 / (1.0 + exp (-x));
  double e = exp (x);
  return e / (1.0 + e);
}

static inline double
logit (double p)
{
  return log (p / (1.0 - p));
}

static inline gboolean
is_dichotomous (const Item *it)
{
  return it->data->model != RS_CALIB_GPCM;
}

/* Category probabilities of an item at theta under internal parameters x,
 * and when G is not NULL the derivatives ∂ log P_k / ∂x_p into G[k·MAX_PAR + p]. */
static void
item_probs (const Item *it, const double *x, double theta, double *P, double *G)
{
  double a = exp (x[0]);

  if (is_dichotomous (it))
    {
      double s = logistic (a * theta + x[1]);
      double c = it->estimate_c ? logistic (x[2]) : it->c_fixed;
      double up = it->upper;
      double p1 = CLAMP (c + (up - c) * s, P_FLOOR, 1.0 - P_FLOOR);

      P[1] = p1;
      P[0] = 1.0 - p1;
      if (G != NULL)
        {
          double ds = (up - c) * s * (1.0 - s);
          double dp[3] = { ds * a * theta, ds, c * (1.0 - c) * (1.0 - s) };

          for (int p = 0; p < it->n_par; p++)
            {
              G[MAX_PAR + p] = dp[p] / p1;
              G[p] = -dp[p] / P[0];
            }
        }
      return;
    }

  /* GPCM: z_k = k·a·θ + Σ_{v≤k} d_v, normalized with log-sum-exp. */
  {
    double z[RS_IRT_MAX_STEPS + 1], zmax = 0.0, sum = 0.0;

    z[0] = 0.0;
    for (int k = 1; k <= it->m; k++)
      {
        z[k] = z[k - 1] + a * theta + x[k];
        zmax = MAX (zmax, z[k]);
      }
    for (int k = 0; k <= it->m; k++)
      sum += (P[k] = exp (z[k] - zmax));
    for (int k = 0; k <= it->m; k++)
      P[k] = MAX (P[k] / sum, P_FLOOR);
    if (G != NULL)
      {
        double e_alpha = 0.0, tail = 0.0, e_d[RS_IRT_MAX_STEPS + 1];

        for (int k = 0; k <= it->m; k++)
          e_alpha += P[k] * k * a * theta;
        /* E[∂z/∂d_v] = P(score ≥ v). */
        for (int v = it->m; v >= 1; v--)
          e_d[v] = (tail += P[v]);
        for (int k = 0; k <= it->m; k++)
          {
            G[k * MAX_PAR] = k * a * theta - e_alpha;
            for (int v = 1; v <= it->m; v++)
              G[k * MAX_PAR + v] = (v <= k ? 1.0 : 0.0) - e_d[v];
          }
      }
  }
}

/* Internal parameters from a/b/c. */
static void
params_to_x (const Item *it, const RsIrtParams *params, double *x)
{
  double a = CLAMP (params->a, exp (ALPHA_MIN), exp (ALPHA_MAX));

  x[0] = log (a);
  if (is_dichotomous (it))
    {
      x[1] = CLAMP (-a * params->b, -D_MAX, D_MAX);
      if (it->estimate_c)
        x[2] = CLAMP (logit (CLAMP (params->c, 1e-6, 0.99)), GAMMA_MIN, GAMMA_MAX);
      return;
    }
  for (int v = 1; v <= it->m; v++)
    x[v] = CLAMP (-a * params->steps[v - 1], -D_MAX, D_MAX);
}

static void
x_to_params (const Item *it, const double *x, RsIrtParams *params)
{
  double a = exp (x[0]);

  *params = (RsIrtParams) { 0 };
  params->a = a;
  if (is_dichotomous (it))
    {
      params->model = RS_MODEL_4PL;
      params->b = -x[1] / a;
      params->c = it->estimate_c ? logistic (x[2]) : it->c_fixed;
      params->d = it->upper;
      return;
    }
  params->model = RS_MODEL_GPCM;
  params->n_steps = it->m;
  for (int v = 1; v <= it->m; v++)
    params->steps[v - 1] = -x[v] / a;
}

static void
clamp_x (const Item *it, double *x)
{
  x[0] = CLAMP (x[0], ALPHA_MIN, ALPHA_MAX);
  for (int p = 1; p < (is_dichotomous (it) ? 2 : it->m + 1); p++)
    x[p] = CLAMP (x[p], -D_MAX, D_MAX);
  if (it->estimate_c)
    x[2] = CLAMP (x[2], GAMMA_MIN, GAMMA_MAX);
}

/* Log prior of a free item and, when wanted, its gradient and (diagonal) Hessian. */
static double
item_log_prior (const State *st, const Item *it, const double *x, double *grad, double *hess_diag)
{
  const RsCalibOptions *o = st->opt;
  double lp = 0.0;

  if (it->fixed)
    return 0.0;
  if (o->a_prior_sd > 0)
    {
      double z = (x[0] - o->a_prior_mean) / o->a_prior_sd;
      lp += -0.5 * z * z - log (o->a_prior_sd * sqrt (2 * G_PI));
      if (grad != NULL)
        {
          grad[0] += -z / o->a_prior_sd;
          hess_diag[0] += -1.0 / (o->a_prior_sd * o->a_prior_sd);
        }
    }
  if (o->d_prior_sd > 0)
    for (int p = 1; p < (is_dichotomous (it) ? 2 : it->m + 1); p++)
      {
        double z = x[p] / o->d_prior_sd;
        lp += -0.5 * z * z - log (o->d_prior_sd * sqrt (2 * G_PI));
        if (grad != NULL)
          {
            grad[p] += -z / o->d_prior_sd;
            hess_diag[p] += -1.0 / (o->d_prior_sd * o->d_prior_sd);
          }
      }
  if (it->estimate_c)
    {
      double c = logistic (x[2]), A = o->c_prior_alpha, B = o->c_prior_beta;

      lp += (A - 1) * log (c) + (B - 1) * log1p (-c) - (lgamma (A) + lgamma (B) - lgamma (A + B));
      if (grad != NULL)
        {
          grad[2] += (A - 1) * (1 - c) - (B - 1) * c;
          hess_diag[2] += -(A + B - 2) * c * (1 - c);
        }
    }
  return lp;
}

/* The probability rows of every item at the current parameters; padded
 * nodes get 1, which leaves the products alone. */
static void
fill_tables (State *st)
{
  for (int j = 0; j < st->n_items; j++)
    {
      const Item *it = &st->items[j];
      double *rows = st->ptab + it->p_offset;
      double P[RS_IRT_MAX_STEPS + 1];

      for (int q = 0; q < st->qp; q++)
        {
          if (q < st->nq)
            item_probs (it, it->x, st->theta[q], P, NULL);
          for (int k = 0; k < it->K; k++)
            rows[k * st->qp + q] = q < st->nq ? P[k] : 1.0;
        }
    }
}

static void
fill_prior (State *st)
{
  double sum = 0.0;

  for (int q = 0; q < st->qp; q++)
    {
      double z = (st->theta[q] - st->mean) / st->sd;
      st->prior[q] = q < st->nq ? exp (-0.5 * z * z) : 0.0;
      sum += st->prior[q];
    }
  for (int q = 0; q < st->nq; q++)
    st->prior[q] /= sum;
}

/* --- threads --- */

static void
run_chunk (gpointer data, gpointer user_data)
{
  State *st = user_data;
  int chunk = GPOINTER_TO_INT (data) - 1;

  st->job (st, chunk);
  g_mutex_lock (&st->lock);
  if (--st->pending == 0)
    g_cond_signal (&st->cond);
  g_mutex_unlock (&st->lock);
}

/* Runs job on every chunk of persons, the first one on this thread. */
static void
run_parallel (State *st, void (*job) (gpointer state, int chunk))
{
  st->job = job;
  st->pending = st->n_chunks - 1;
  for (int c = 1; c < st->n_chunks; c++)
    g_thread_pool_push (st->pool, GINT_TO_POINTER (c + 1), NULL);
  job (st, 0);
  g_mutex_lock (&st->lock);
  while (st->pending > 0)
    g_cond_wait (&st->cond, &st->lock);
  g_mutex_unlock (&st->lock);
}

/* --- E-step --- */

/* The person's posterior on the grid into w (qp, 16-byte aligned); returns
 * the log of their marginal likelihood. */
static inline __attribute__ ((always_inline)) double
person_posterior (const State *st, guint i, double *w)
{
  const int n2 = st->qp / VD_LANES;
  vd *L = (vd *) w;
  const vd one = vd_splat (1.0);
  double log_scale = 0.0, total;
  int since = 0;
  vd sum = vd_splat (0.0);

  for (int q = 0; q < n2; q++)
    L[q] = one;
  for (guint r = st->row[i]; r < st->row[i + 1]; r++)
    {
      const vd *p = (const vd *) (st->ptab + st->items[st->resp_item[r]].p_offset
                                    + (gsize) st->resp_score[r] * st->qp);
      for (int q = 0; q < n2; q++)
        L[q] *= p[q];
      if (++since == RESCALE_EVERY && r + 1 < st->row[i + 1])
        {
          vd vmax = L[0];
          double max;

          since = 0;
          for (int q = 1; q < n2; q++)
            vmax = vd_max (vmax, L[q]);
          max = MAX (MAX (vmax[0], vmax[1]), MAX (vmax[2], vmax[3]));
          if (max > 0)
            {
              const vd inv = vd_splat (1.0 / max), floor = vd_splat (LIK_FLOOR);
              log_scale += log (max);
              for (int q = 0; q < n2; q++)
                L[q] = vd_max (L[q] * inv, floor);
            }
        }
    }
  {
    const vd *pi = (const vd *) st->prior;
    for (int q = 0; q < n2; q++)
      {
        L[q] *= pi[q];
        sum += L[q];
      }
  }
  total = MAX (vd_sum (sum), 1e-300);
  {
    const vd inv = vd_splat (1.0 / total);
    for (int q = 0; q < n2; q++)
      L[q] *= inv;
  }
  return log (total) + log_scale;
}

HOT static void
estep_chunk (gpointer state, int chunk)
{
  State *st = state;
  double *r = st->r[chunk];
  double *nq = st->nq_sum[chunk];
  double *w = g_alloca (st->qp * sizeof (double) + 16);
  const int n2 = st->qp / VD_LANES;
  double loglik = 0.0;

  w = (double *) (((guintptr) w + 15) & ~(guintptr) 15);
  memset (r, 0, st->table_size * sizeof (double));
  memset (nq, 0, st->qp * sizeof (double));
  for (guint i = st->chunk_start[chunk]; i < st->chunk_start[chunk + 1]; i++)
    {
      const vd *W = (const vd *) w;

      loglik += person_posterior (st, i, w);
      for (guint k = st->row[i]; k < st->row[i + 1]; k++)
        {
          vd *R = (vd *) (r + st->items[st->resp_item[k]].p_offset + (gsize) st->resp_score[k] * st->qp);
          for (int q = 0; q < n2; q++)
            R[q] += W[q];
        }
      {
        vd *N = (vd *) nq;
        for (int q = 0; q < n2; q++)
          N[q] += W[q];
      }
    }
  st->chunk_loglik[chunk] = loglik;
}

/* Expected counts into st->r[0] and st->nq_sum[0]; returns the log-likelihood. */
static double
estep (State *st)
{
  double loglik = 0.0;

  fill_tables (st);
  fill_prior (st);
  run_parallel (st, estep_chunk);
  for (int c = 1; c < st->n_chunks; c++)
    {
      for (gsize k = 0; k < st->table_size; k++)
        st->r[0][k] += st->r[c][k];
      for (int q = 0; q < st->qp; q++)
        st->nq_sum[0][q] += st->nq_sum[c][q];
    }
  for (int c = 0; c < st->n_chunks; c++)
    loglik += st->chunk_loglik[c];
  return loglik;
}

/* --- M-step --- */

/* Solves H x = g for a small positive definite H (n ≤ MAX_PAR) by
 * Cholesky; FALSE when H is not positive definite. */
static gboolean
small_solve (int n, double H[MAX_PAR][MAX_PAR], const double *g, double *x)
{
  double L[MAX_PAR][MAX_PAR] = { { 0 } }, y[MAX_PAR];

  for (int i = 0; i < n; i++)
    for (int j = 0; j <= i; j++)
      {
        double s = H[i][j];
        for (int k = 0; k < j; k++)
          s -= L[i][k] * L[j][k];
        if (i == j)
          {
            if (!(s > 1e-300))
              return FALSE;
            L[i][i] = sqrt (s);
          }
        else
          L[i][j] = s / L[j][j];
      }
  for (int i = 0; i < n; i++)
    {
      double s = g[i];
      for (int k = 0; k < i; k++)
        s -= L[i][k] * y[k];
      y[i] = s / L[i][i];
    }
  for (int i = n - 1; i >= 0; i--)
    {
      double s = y[i];
      for (int k = i + 1; k < n; k++)
        s -= L[k][i] * x[k];
      x[i] = s / L[i][i];
    }
  return TRUE;
}

/* The item's expected complete-data log-posterior at x. */
static double
item_objective (const State *st, const Item *it, const double *R, const double *x)
{
  double f = 0.0, P[RS_IRT_MAX_STEPS + 1];

  for (int q = 0; q < st->nq; q++)
    {
      item_probs (it, x, st->theta[q], P, NULL);
      for (int k = 0; k < it->K; k++)
        f += R[k * st->qp + q] * log (P[k]);
    }
  return f + item_log_prior (st, it, x, NULL, NULL);
}

/* Second derivatives of P(score 1) of a dichotomous item, for the observed
 * information: with s = σ(a θ + d), s1 = s(1 − s), s2 = s1(1 − 2s), u = a θ. */
static void
dichotomous_d2 (const Item *it, const double *x, double theta, double D[3][3])
{
  double a = exp (x[0]), u = a * theta;
  double s = logistic (a * theta + x[1]), s1 = s * (1 - s), s2 = s1 * (1 - 2 * s);
  double c = it->estimate_c ? logistic (x[2]) : it->c_fixed, A = it->upper - c, cc = c * (1 - c);

  D[0][0] = A * (s2 * u * u + s1 * u);
  D[0][1] = D[1][0] = A * s2 * u;
  D[1][1] = A * s2;
  D[0][2] = D[2][0] = -cc * s1 * u;
  D[1][2] = D[2][1] = -cc * s1;
  D[2][2] = cc * (1 - 2 * c) * (1 - s);
}

/* Newton's method with step halving on one item, from its current x. The
 * observed information is used where it is positive definite, the
 * expected (Fisher scoring) elsewhere: Fisher scoring alone crawls, or
 * overshoots, on items the model fits badly (a key that is backwards, a 3PL
 * answered right less often than its c), exactly those a calibration must
 * still bring to a stable value to flag them. */
static void
mstep_item (const State *st, Item *it, const double *R)
{
  double f = item_objective (st, it, R, it->x);
  int np = it->n_par;

  for (int iter = 0; iter < 50; iter++)
    {
      double g[MAX_PAR] = { 0 }, He[MAX_PAR][MAX_PAR] = { { 0 } }, Ho[MAX_PAR][MAX_PAR] = { { 0 } };
      double hd[MAX_PAR] = { 0 };
      double step[MAX_PAR], x_new[MAX_PAR], f_new, t = 1.0, biggest = 0.0, tol, gpcm_resid = 0.0;
      double P[RS_IRT_MAX_STEPS + 1], G[(RS_IRT_MAX_STEPS + 1) * MAX_PAR];

      for (int q = 0; q < st->nq; q++)
        {
          double n = 0.0;

          item_probs (it, it->x, st->theta[q], P, G);
          for (int k = 0; k < it->K; k++)
            {
              double rk = R[k * st->qp + q];
              n += rk;
              for (int p = 0; p < np; p++)
                g[p] += rk * G[k * MAX_PAR + p];
            }
          if (n <= 0)
            continue;
          for (int k = 0; k < it->K; k++)
            for (int p = 0; p < np; p++)
              {
                double v = n * P[k] * G[k * MAX_PAR + p], w = R[k * st->qp + q] * G[k * MAX_PAR + p];
                for (int s = 0; s <= p; s++)
                  {
                    He[p][s] += v * G[k * MAX_PAR + s];
                    Ho[p][s] += w * G[k * MAX_PAR + s];
                  }
              }
          if (is_dichotomous (it))
            {
              double D[3][3], resid = R[st->qp + q] / P[1] - R[q] / P[0];
              dichotomous_d2 (it, it->x, st->theta[q], D);
              for (int p = 0; p < np; p++)
                for (int s = 0; s <= p; s++)
                  Ho[p][s] -= resid * D[p][s];
            }
          else
            {
              /* Exponential family in z: the observed information is the
               * expected one less the residual times ∂²z_k/∂α² = k a θ. */
              double sum_r = 0.0, sum_p = 0.0;
              for (int k = 0; k < it->K; k++)
                {
                  sum_r += k * R[k * st->qp + q];
                  sum_p += k * P[k];
                }
              gpcm_resid += exp (it->x[0]) * st->theta[q] * (sum_r - n * sum_p);
            }
        }
      if (!is_dichotomous (it))
        {
          memcpy (Ho, He, sizeof Ho);
          Ho[0][0] -= gpcm_resid;
        }
      item_log_prior (st, it, it->x, g, hd);
      for (int p = 0; p < np; p++)
        {
          He[p][p] -= hd[p];
          Ho[p][p] -= hd[p];
          for (int s = 0; s < p; s++)
            {
              He[s][p] = He[p][s];
              Ho[s][p] = Ho[p][s];
            }
        }
      if (!small_solve (np, Ho, g, step) && !small_solve (np, He, g, step))
        {
          /* Flat in some direction (a category nobody reached): a small
           * ridge keeps the step finite; the bounds do the rest. */
          for (int p = 0; p < np; p++)
            He[p][p] += 1e-6 + 1e-3 * fabs (He[p][p]);
          if (!small_solve (np, He, g, step))
            return;
        }
      tol = 1e-12 * MAX (fabs (f), 1.0);
      for (;;)
        {
          for (int p = 0; p < MAX_PAR; p++)
            x_new[p] = it->x[p] + (p < np ? t * step[p] : 0.0);
          clamp_x (it, x_new);
          f_new = item_objective (st, it, R, x_new);
          if (f_new >= f - tol || t < 1e-8)
            break;
          t /= 2;
        }
      if (!(f_new >= f - tol))
        return;
      for (int p = 0; p < np; p++)
        biggest = MAX (biggest, fabs (x_new[p] - it->x[p]));
      memcpy (it->x, x_new, sizeof it->x);
      f = f_new;
      if (biggest < 1e-10)
        return;
    }
}

/* Items are independent in the M-step: every chunk takes every n-th one. */
static void
mstep_chunk (gpointer state, int chunk)
{
  State *st = state;

  for (int j = chunk; j < st->n_items; j += st->n_chunks)
    if (!st->items[j].fixed)
      mstep_item (st, &st->items[j], st->r[0] + st->items[j].p_offset);
}

static void
mstep (State *st)
{
  const double *nq = st->nq_sum[0];

  run_parallel (st, mstep_chunk);
  if (st->latent_free)
    {
      double n = 0.0, s1 = 0.0, s2 = 0.0;

      for (int q = 0; q < st->nq; q++)
        {
          n += nq[q];
          s1 += nq[q] * st->theta[q];
        }
      st->mean = CLAMP (s1 / n, -3.0, 3.0);
      for (int q = 0; q < st->nq; q++)
        s2 += nq[q] * (st->theta[q] - st->mean) * (st->theta[q] - st->mean);
      st->sd = CLAMP (sqrt (s2 / n), 0.1, 5.0);
    }
}

/* --- the global parameter vector, for convergence and SQUAREM --- */

static void
pack (const State *st, double *X)
{
  for (int j = 0; j < st->n_items; j++)
    {
      const Item *it = &st->items[j];
      for (int p = 0; p < it->n_par; p++)
        X[it->par_offset + p] = it->x[p];
    }
  if (st->latent_free)
    {
      X[st->n_par - 2] = st->mean;
      X[st->n_par - 1] = log (st->sd);
    }
}

static void
unpack (State *st, const double *X)
{
  for (int j = 0; j < st->n_items; j++)
    {
      Item *it = &st->items[j];
      for (int p = 0; p < it->n_par; p++)
        it->x[p] = isfinite (X[it->par_offset + p]) ? X[it->par_offset + p] : it->x[p];
      clamp_x (it, it->x);
    }
  if (st->latent_free)
    {
      if (isfinite (X[st->n_par - 2]))
        st->mean = CLAMP (X[st->n_par - 2], -3.0, 3.0);
      if (isfinite (X[st->n_par - 1]))
        st->sd = CLAMP (exp (X[st->n_par - 1]), 0.1, 5.0);
    }
}

static double
total_log_prior (const State *st)
{
  double lp = 0.0;

  for (int j = 0; j < st->n_items; j++)
    lp += item_log_prior (st, &st->items[j], st->items[j].x, NULL, NULL);
  return lp;
}

/* One EM cycle from X_in: X_out = M(E(X_in)); returns the objective at X_in. */
static double
em_map (State *st, const double *X_in, double *X_out)
{
  double objective;

  unpack (st, X_in);
  objective = estep (st) + total_log_prior (st);
  mstep (st);
  pack (st, X_out);
  return objective;
}

static double
max_abs_diff (const double *a, const double *b, int n)
{
  double d = 0.0;

  for (int i = 0; i < n; i++)
    d = MAX (d, fabs (a[i] - b[i]));
  return d;
}

/* EM, accelerated by SQUAREM (the SqS3 step length, with the plain EM
 * step kept whenever the extrapolated one does not do better). */
static void
run_em (State *st, int *iterations, gboolean *converged)
{
  const RsCalibOptions *o = st->opt;
  int n = st->n_par, cycles = 0;
  g_autofree double *x0 = g_new0 (double, MAX (n, 1));
  g_autofree double *x1 = g_new0 (double, MAX (n, 1));
  g_autofree double *x2 = g_new0 (double, MAX (n, 1));
  g_autofree double *xs = g_new0 (double, MAX (n, 1));
  g_autofree double *x3 = g_new0 (double, MAX (n, 1));

  *converged = FALSE;
  pack (st, x0);
  while (cycles < o->max_iterations)
    {
      double obj1, objs, rr = 0.0, vv = 0.0, alpha;

      em_map (st, x0, x1);
      cycles++;
      if (max_abs_diff (x0, x1, n) < o->tolerance)
        {
          memcpy (x0, x1, n * sizeof (double));
          *converged = TRUE;
          break;
        }
      if (!o->accelerate || cycles + 2 > o->max_iterations)
        {
          memcpy (x0, x1, n * sizeof (double));
          continue;
        }
      obj1 = em_map (st, x1, x2);
      cycles++;
      for (int i = 0; i < n; i++)
        {
          double r = x1[i] - x0[i], v = x2[i] - 2 * x1[i] + x0[i];
          rr += r * r;
          vv += v * v;
        }
      alpha = vv > 0 ? -sqrt (rr / vv) : -1.0;
      alpha = MIN (alpha, -1.0);
      for (int i = 0; i < n; i++)
        {
          double r = x1[i] - x0[i], v = x2[i] - 2 * x1[i] + x0[i];
          xs[i] = x0[i] - 2 * alpha * r + alpha * alpha * v;
        }
      objs = em_map (st, xs, x3);
      cycles++;
      /* em_map clamped xs into bounds before evaluating it: objs is the
       * objective there, and x3 the EM step from it. */
      if (isfinite (objs) && objs >= obj1)
        memcpy (x0, x3, n * sizeof (double));
      else
        memcpy (x0, x2, n * sizeof (double));
    }
  unpack (st, x0);
  *iterations = cycles;
}


/* --- standard errors: cross-product of the persons' scores --- */

/* Parameters are grouped in blocks whose covariance is inverted as a whole:
 * one block of all of them normally, one per item (and one for the latent
 * mean and SD) above MAX_FULL_COVARIANCE. */
typedef struct {
  double *gtab;              /* per free item: K × n_par rows of qp: ∂ log P_k / ∂x_p */
  gsize *g_offset;           /* per item */
  int n_blocks;
  int *block_of, *pos_of;    /* per global parameter */
  int *block_size;
  gsize *block_offset;
  gsize info_size;
  double **info;             /* per chunk */
  double **corr;             /* per chunk, per item: Σu, Σθ̂, Σuθ̂, Σu², Σθ̂² (θ̂ the person's EAP) */
} Xpd;

HOT static void
xpd_chunk (gpointer state, int chunk)
{
  State *st = state;
  Xpd *x = st->job_data;
  double *info = x->info[chunk];
  double *w = g_alloca (st->qp * sizeof (double) + 16);
  int np = st->n_par;
  g_autofree double *s = g_new (double, MAX (np, 1));
  g_autofree int *index = g_new (int, MAX (np, 1));

  double loglik = 0.0;

  double *corr = x->corr[chunk];

  w = (double *) (((guintptr) w + 15) & ~(guintptr) 15);
  memset (info, 0, x->info_size * sizeof (double));
  memset (corr, 0, (gsize) st->n_items * 5 * sizeof (double));
  for (guint i = st->chunk_start[chunk]; i < st->chunk_start[chunk + 1]; i++)
    {
      int n = 0;
      double eap = 0.0;

      loglik += person_posterior (st, i, w);
      for (int q = 0; q < st->nq; q++)
        eap += w[q] * st->theta[q];
      for (guint k = st->row[i]; k < st->row[i + 1]; k++)
        {
          double *c = corr + (gsize) st->resp_item[k] * 5, u = st->resp_score[k];
          c[0] += u;
          c[1] += eap;
          c[2] += u * eap;
          c[3] += u * u;
          c[4] += eap * eap;
        }
      for (guint k = st->row[i]; k < st->row[i + 1]; k++)
        {
          guint32 j = st->resp_item[k];
          const Item *it = &st->items[j];
          const double *g;

          if (it->fixed)
            continue;
          g = x->gtab + x->g_offset[j] + (gsize) st->resp_score[k] * it->n_par * st->qp;
          for (int p = 0; p < it->n_par; p++)
            {
              const vd *W = (const vd *) w, *gp = (const vd *) (g + (gsize) p * st->qp);
              vd v = vd_splat (0.0);
              for (int q = 0; q < st->qp / VD_LANES; q++)
                v += W[q] * gp[q];
              s[n] = vd_sum (v);
              index[n++] = it->par_offset + p;
            }
        }
      if (st->latent_free)
        {
          double sm = 0.0, ss = 0.0, var = st->sd * st->sd;
          for (int q = 0; q < st->nq; q++)
            {
              double z = st->theta[q] - st->mean;
              sm += w[q] * z / var;
              ss += w[q] * (z * z / var - 1.0);
            }
          s[n] = sm;
          index[n++] = np - 2;
          s[n] = ss;
          index[n++] = np - 1;
        }
      if (x->n_blocks == 1)
        {
          /* All in one block: the upper triangle of the outer product
           * (indices ascend: items in order, the latent pair last); the
           * lower one is mirrored once at the end. */
          for (int a = 0; a < n; a++)
            {
              double *row = info + (gsize) index[a] * np, sa = s[a];
              for (int b = a; b < n; b++)
                row[index[b]] += sa * s[b];
            }
          continue;
        }
      for (int a = 0; a < n; a++)
        {
          int block = x->block_of[index[a]];
          int size = x->block_size[block];
          double *row = info + x->block_offset[block] + (gsize) x->pos_of[index[a]] * size;

          for (int b = 0; b < n; b++)
            if (x->block_of[index[b]] == block)
              row[x->pos_of[index[b]]] += s[a] * s[b];
        }
    }
  st->chunk_loglik[chunk] = loglik;
}

/* Inverts a symmetric positive definite block in place; FALSE when it is not. */
static gboolean
invert_block (double *m, int size)
{
  gsl_matrix_view view = gsl_matrix_view_array (m, size, size);
  g_autofree double *copy = g_memdup2 (m, (gsize) size * size * sizeof (double));

  if (gsl_linalg_cholesky_decomp1 (&view.matrix) == GSL_SUCCESS)
    return gsl_linalg_cholesky_invert (&view.matrix) == GSL_SUCCESS;
  /* Nearly singular: a ridge relative to the diagonal, once. */
  memcpy (m, copy, (gsize) size * size * sizeof (double));
  for (int i = 0; i < size; i++)
    m[(gsize) i * size + i] += 1e-8 * fabs (m[(gsize) i * size + i]) + 1e-12;
  if (gsl_linalg_cholesky_decomp1 (&view.matrix) == GSL_SUCCESS)
    return gsl_linalg_cholesky_invert (&view.matrix) == GSL_SUCCESS;
  return FALSE;
}

static double
safe_se (double variance)
{
  if (!isfinite (variance) || variance < 0)
    return RS_CALIB_SE_UNKNOWN;
  return MIN (sqrt (variance), RS_CALIB_SE_UNKNOWN);
}

/* Fills the SEs of every free item and of the latent mean and SD, and
 * the log-likelihood (the pass over persons is the one that needs their
 * posteriors anyway); returns the method's name. The tables must be at the
 * final parameters. */
static const char *
standard_errors (State *st, RsCalibResult *result)
{
  Xpd x = { 0 };
  int np = st->n_par;
  gboolean full = np <= MAX_FULL_COVARIANCE;
  gsize g_size = 0;
  g_autofree gboolean *block_ok = NULL;

  if (np == 0)
    {
      result->loglik = estep (st);
      return _("none (nothing estimated)");
    }
  x.g_offset = g_new0 (gsize, st->n_items);
  for (int j = 0; j < st->n_items; j++)
    if (!st->items[j].fixed)
      {
        x.g_offset[j] = g_size;
        g_size += (gsize) st->items[j].K * st->items[j].n_par * st->qp;
      }
  x.gtab = g_new0 (double, MAX (g_size, 1));
  for (int j = 0; j < st->n_items; j++)
    {
      const Item *it = &st->items[j];
      double P[RS_IRT_MAX_STEPS + 1], G[(RS_IRT_MAX_STEPS + 1) * MAX_PAR];

      if (it->fixed)
        continue;
      for (int q = 0; q < st->nq; q++)
        {
          item_probs (it, it->x, st->theta[q], P, G);
          for (int k = 0; k < it->K; k++)
            for (int p = 0; p < it->n_par; p++)
              x.gtab[x.g_offset[j] + ((gsize) k * it->n_par + p) * st->qp + q] = G[k * MAX_PAR + p];
        }
    }
  x.block_of = g_new0 (int, np);
  x.pos_of = g_new0 (int, np);
  if (full)
    {
      x.n_blocks = 1;
      x.block_size = g_new0 (int, 1);
      x.block_offset = g_new0 (gsize, 1);
      x.block_size[0] = np;
      for (int p = 0; p < np; p++)
        x.pos_of[p] = p;
      x.info_size = (gsize) np * np;
    }
  else
    {
      int n = 0;

      x.block_size = g_new0 (int, st->n_items + 1);
      x.block_offset = g_new0 (gsize, st->n_items + 1);
      for (int j = 0; j < st->n_items; j++)
        if (!st->items[j].fixed)
          {
            x.block_size[n] = st->items[j].n_par;
            for (int p = 0; p < st->items[j].n_par; p++)
              {
                x.block_of[st->items[j].par_offset + p] = n;
                x.pos_of[st->items[j].par_offset + p] = p;
              }
            n++;
          }
      if (st->latent_free)
        {
          x.block_size[n] = 2;
          x.block_of[np - 2] = x.block_of[np - 1] = n;
          x.pos_of[np - 2] = 0;
          x.pos_of[np - 1] = 1;
          n++;
        }
      x.n_blocks = n;
      for (int b = 0; b < n; b++)
        {
          x.block_offset[b] = x.info_size;
          x.info_size += (gsize) x.block_size[b] * x.block_size[b];
        }
    }
  x.info = g_new0 (double *, st->n_chunks);
  x.corr = g_new0 (double *, st->n_chunks);
  for (int c = 0; c < st->n_chunks; c++)
    {
      x.info[c] = g_new (double, x.info_size);
      x.corr[c] = g_new (double, (gsize) st->n_items * 5);
    }
  st->job_data = &x;
  run_parallel (st, xpd_chunk);
  st->job_data = NULL;
  result->loglik = 0.0;
  for (int c = 0; c < st->n_chunks; c++)
    result->loglik += st->chunk_loglik[c];
  if (x.n_blocks == 1)
    for (int c = 0; c < st->n_chunks; c++)
      for (int a = 0; a < np; a++)
        for (int b = 0; b < a; b++)
          x.info[c][(gsize) a * np + b] = x.info[c][(gsize) b * np + a];
  for (int c = 1; c < st->n_chunks; c++)
    {
      for (gsize k = 0; k < x.info_size; k++)
        x.info[0][k] += x.info[c][k];
      for (gsize k = 0; k < (gsize) st->n_items * 5; k++)
        x.corr[0][k] += x.corr[c][k];
    }
  /* A score that falls as ability rises: the sign a cannot take. */
  for (int j = 0; j < st->n_items; j++)
    {
      const double *c = x.corr[0] + (gsize) j * 5;
      double n = st->items[j].n;
      double cov = n * c[2] - c[0] * c[1];
      RsCalibItem *out = g_ptr_array_index (result->items, j);

      out->eap_correlation = 0.0;
      if (n >= 2 && n * c[3] - c[0] * c[0] > 0 && n * c[4] - c[1] * c[1] > 0)
        out->eap_correlation = cov / sqrt ((n * c[3] - c[0] * c[0]) * (n * c[4] - c[1] * c[1]));
    }

  /* The priors' curvature (diagonal in α and γ). */
  for (int j = 0; j < st->n_items; j++)
    {
      const Item *it = &st->items[j];
      double g[MAX_PAR] = { 0 }, hd[MAX_PAR] = { 0 };

      if (it->fixed)
        continue;
      item_log_prior (st, it, it->x, g, hd);
      for (int p = 0; p < it->n_par; p++)
        {
          int gp = it->par_offset + p, b = x.block_of[gp], size = x.block_size[b];
          x.info[0][x.block_offset[b] + (gsize) x.pos_of[gp] * size + x.pos_of[gp]] -= hd[p];
        }
    }
  block_ok = g_new0 (gboolean, x.n_blocks);
  for (int b = 0; b < x.n_blocks; b++)
    block_ok[b] = invert_block (x.info[0] + x.block_offset[b], x.block_size[b]);

  for (int j = 0; j < st->n_items; j++)
    {
      const Item *it = &st->items[j];
      RsCalibItem *out = g_ptr_array_index (result->items, j);
      double V[MAX_PAR][MAX_PAR];
      int b;
      double a = out->params.a;

      if (it->fixed)
        continue;
      b = x.block_of[it->par_offset];
      if (!block_ok[b])
        {
          out->se_a = out->se_b = RS_CALIB_SE_UNKNOWN;
          out->se_c = it->estimate_c ? RS_CALIB_SE_UNKNOWN : 0.0;
          for (int v = 0; v < it->m && !is_dichotomous (it); v++)
            out->se_steps[v] = RS_CALIB_SE_UNKNOWN;
          continue;
        }
      for (int p = 0; p < it->n_par; p++)
        for (int s = 0; s < it->n_par; s++)
          {
            int gp = it->par_offset + p, gs = it->par_offset + s, size = x.block_size[b];
            V[p][s] = x.info[0][x.block_offset[b] + (gsize) x.pos_of[gp] * size + x.pos_of[gs]];
          }
      out->se_a = safe_se (a * a * V[0][0]);
      if (is_dichotomous (it))
        {
          double bb = out->params.b;
          out->se_b = safe_se (bb * bb * V[0][0] + V[1][1] / (a * a) + 2 * (bb / a) * V[0][1]);
          if (it->estimate_c)
            {
              double c = out->params.c;
              out->se_c = safe_se (c * c * (1 - c) * (1 - c) * V[2][2]);
            }
        }
      else
        for (int v = 1; v <= it->m; v++)
          {
            double bv = out->params.steps[v - 1];
            out->se_steps[v - 1] = safe_se (bv * bv * V[0][0] + V[v][v] / (a * a) + 2 * (bv / a) * V[0][v]);
          }
    }
  if (st->latent_free)
    {
      int b = x.block_of[np - 1], size = x.block_size[b];
      const double *m = x.info[0] + x.block_offset[b];

      result->se_mean = block_ok[b] ? safe_se (m[(gsize) x.pos_of[np - 2] * size + x.pos_of[np - 2]]) : RS_CALIB_SE_UNKNOWN;
      result->se_sd = block_ok[b] ? safe_se (st->sd * st->sd * m[(gsize) x.pos_of[np - 1] * size + x.pos_of[np - 1]])
                                  : RS_CALIB_SE_UNKNOWN;
    }

  for (int c = 0; c < st->n_chunks; c++)
    {
      g_free (x.info[c]);
      g_free (x.corr[c]);
    }
  g_free (x.info);
  g_free (x.corr);
  g_free (x.gtab);
  g_free (x.g_offset);
  g_free (x.block_of);
  g_free (x.pos_of);
  g_free (x.block_size);
  g_free (x.block_offset);
  return full ? _("cross-product (XPD) of person scores, full covariance")
              : _("cross-product (XPD) of person scores, per-item blocks");
}

/* --- item fit: S-X² --- */

/* Observed and expected counts per item, score group and category. The
 * score groups are the persons' summed scores on the items they answered. */
typedef struct {
  int smax;                  /* highest summed score any person could reach */
  gsize *offset;             /* per item: into obs/expect, (smax + 1) × K */
  gsize size;
  double **obs, **expect;    /* per chunk */
} Fit;

/* A chunk's workspace: the Lord–Wingersky tables of the current form (the
 * set of items a person answered), kept while the next person has the same
 * form, and the expectations already worked out per summed score. In
 * complete data everyone has one form, so this is computed once per score. */
typedef struct {
  int n_form;
  guint32 *form;             /* item indices, ascending */
  int *msum_before;          /* per position t: Σ m of items before t */
  int total_max;
  double *F, *B;             /* prefix and suffix distributions, (msum + 1) × nq per position */
  gsize *f_off, *b_off;
  int cap;                   /* tables hold summed scores up to this only */
  double *cache;             /* per summed score: Σ K of the form's expectations */
  guint8 *cached;
  gsize cache_width;
} Lw;

static void
lw_clear (Lw *lw)
{
  g_free (lw->form);
  g_free (lw->msum_before);
  g_free (lw->F);
  g_free (lw->B);
  g_free (lw->f_off);
  g_free (lw->b_off);
  g_free (lw->cache);
  g_free (lw->cached);
  memset (lw, 0, sizeof *lw);
}

/* next(s) = Σ_k prev(s − k) P_k: adds one item to a summed-score
 * distribution. Rows are qp long (the padding carries harmless values:
 * the prior is 0 there), so the inner loop is packed. */
HOT static void
lw_add (const State *st, const Item *it, const double *prev, int prev_max, double *next, int cap)
{
  const int n2 = st->qp / VD_LANES;

  memset (next, 0, (gsize) (MIN (prev_max + it->m, cap) + 1) * st->qp * sizeof (double));
  for (int s = 0; s <= prev_max; s++)
    for (int k = 0; k <= it->m && s + k <= cap; k++)
      {
        const vd *pk = (const vd *) (st->ptab + it->p_offset + (gsize) k * st->qp);
        const vd *src = (const vd *) (prev + (gsize) s * st->qp);
        vd *dst = (vd *) (next + (gsize) (s + k) * st->qp);
        for (int q = 0; q < n2; q++)
          dst[q] += src[q] * pk[q];
      }
}

static void
lw_build (const State *st, Lw *lw, const guint32 *items, int n, int cap)
{
  int nq = st->qp;
  gsize f_size = 0, b_size = 0;
  int *msum_after;

  lw_clear (lw);
  lw->n_form = n;
  lw->form = g_memdup2 (items, n * sizeof (guint32));
  lw->msum_before = g_new0 (int, n + 1);
  msum_after = g_new0 (int, n + 2);
  for (int t = 0; t < n; t++)
    lw->msum_before[t + 1] = lw->msum_before[t] + st->items[items[t]].m;
  lw->total_max = lw->msum_before[n];
  lw->cap = cap = MIN (cap, lw->total_max);
  for (int t = n - 1; t >= 0; t--)
    msum_after[t] = msum_after[t + 1] + st->items[items[t]].m;
  /* Summed scores above the cap are never asked for: left out. */
  for (int t = 0; t <= n; t++)
    {
      lw->msum_before[t] = MIN (lw->msum_before[t], cap);
      msum_after[t] = MIN (msum_after[t], cap);
    }
  lw->f_off = g_new0 (gsize, n + 1);
  lw->b_off = g_new0 (gsize, n + 1);
  for (int t = 0; t <= n; t++)
    {
      lw->f_off[t] = f_size;
      f_size += (gsize) (lw->msum_before[t] + 1) * nq;
      lw->b_off[t] = b_size;
      b_size += (gsize) (msum_after[t] + 1) * nq;
    }
  lw->F = g_new (double, f_size);
  lw->B = g_new (double, b_size);
  /* F[t]: items 0..t−1; B[t]: items t..n−1. */
  for (int q = 0; q < nq; q++)
    lw->F[q] = lw->B[lw->b_off[n] + q] = 1.0;
  for (int t = 0; t < n; t++)
    lw_add (st, &st->items[items[t]], lw->F + lw->f_off[t], lw->msum_before[t], lw->F + lw->f_off[t + 1], cap);
  for (int t = n - 1; t >= 0; t--)
    lw_add (st, &st->items[items[t]], lw->B + lw->b_off[t + 1], msum_after[t + 1], lw->B + lw->b_off[t], cap);
  /* The (capped) suffix sizes are needed again for the convolutions. */
  {
    int *both = g_new0 (int, 2 * (n + 1));
    for (int t = 0; t <= n; t++)
      {
        both[t] = lw->msum_before[t];
        both[n + 1 + t] = msum_after[t];
      }
    g_free (lw->msum_before);
    lw->msum_before = both;
  }
  g_free (msum_after);
  lw->cache_width = 0;
  for (int t = 0; t < n; t++)
    lw->cache_width += st->items[items[t]].K;
  lw->cache = g_new (double, (lw->total_max + 1) * lw->cache_width);
  lw->cached = g_new0 (guint8, lw->total_max + 1);
}

/* For summed score S on the form: P(score k on each item | S), into the
 * cache row of S (per item in form order, K values each). */
HOT static const double *
lw_expect (const State *st, Lw *lw, int S)
{
  int n = lw->n_form, qp = st->qp, n2 = st->qp / VD_LANES;
  double *row = lw->cache + (gsize) S * lw->cache_width;
  vd *f = g_alloca (qp * sizeof (double) + 16);
  gsize col = 0;

  f = (vd *) (((guintptr) f + 15) & ~(guintptr) 15);
  if (lw->cached[S])
    return row;
  for (int t = 0; t < n; t++)
    {
      const Item *it = &st->items[lw->form[t]];
      const double *Ft = lw->F + lw->f_off[t];
      const double *Bt = lw->B + lw->b_off[t + 1];
      int fmax = lw->msum_before[t], bmax = lw->msum_before[n + 1 + t + 1];
      double h[RS_IRT_MAX_STEPS + 1], total = 0.0;

      for (int k = 0; k <= it->m; k++)
        {
          int s = S - k;
          const vd *P = (const vd *) (st->ptab + it->p_offset + (gsize) k * qp);
          const vd *pi = (const vd *) st->prior;
          vd sum = vd_splat (0.0);

          h[k] = 0.0;
          if (s < 0 || s > fmax + bmax)
            continue;
          memset (f, 0, qp * sizeof (double));
          for (int xs = MAX (0, s - bmax); xs <= MIN (fmax, s); xs++)
            {
              const vd *fa = (const vd *) (Ft + (gsize) xs * qp), *fb = (const vd *) (Bt + (gsize) (s - xs) * qp);
              for (int q = 0; q < n2; q++)
                f[q] += fa[q] * fb[q];
            }
          for (int q = 0; q < n2; q++)
            sum += pi[q] * P[q] * f[q];
          h[k] = vd_sum (sum);
          total += h[k];
        }
      for (int k = 0; k <= it->m; k++)
        row[col + k] = total > 0 ? h[k] / total : 0.0;
      col += it->K;
    }
  lw->cached[S] = 1;
  return row;
}

static void
fit_chunk (gpointer state, int chunk)
{
  State *st = state;
  Fit *fit = st->job_data;
  double *obs = fit->obs[chunk], *expect = fit->expect[chunk];
  Lw lw = { 0 };

  memset (obs, 0, fit->size * sizeof (double));
  memset (expect, 0, fit->size * sizeof (double));
  for (guint i = st->chunk_start[chunk]; i < st->chunk_start[chunk + 1]; i++)
    {
      guint r0 = st->row[i];
      int n = (int) (st->row[i + 1] - r0), S = 0, smax = 0;
      const double *e;
      gsize col = 0;

      for (int t = 0; t < n; t++)
        {
          S += st->resp_score[r0 + t];
          smax += st->items[st->resp_item[r0 + t]].m;
        }
      /* All-lowest and all-highest persons have nothing left to predict. */
      if (S == 0 || S == smax)
        continue;
      if (lw.form == NULL || lw.n_form != n || memcmp (lw.form, st->resp_item + r0, n * sizeof (guint32)) != 0
          || S > lw.cap)
        {
          /* Tables for every summed score when the next person has the
           * same form (complete data: built once), else only up to S,
           * which is all this person needs (about half the work). */
          guint r1 = st->row[i + 1];
          gboolean shared = i + 1 < st->chunk_start[chunk + 1] && st->row[i + 2] - r1 == (guint) n
                            && memcmp (st->resp_item + r1, st->resp_item + r0, n * sizeof (guint32)) == 0;
          lw_build (st, &lw, st->resp_item + r0, n, shared ? G_MAXINT : S);
        }
      e = lw_expect (st, &lw, S);
      for (int t = 0; t < n; t++)
        {
          guint32 j = st->resp_item[r0 + t];
          const Item *it = &st->items[j];
          gsize base = fit->offset[j] + (gsize) S * it->K;

          obs[base + st->resp_score[r0 + t]] += 1.0;
          for (int k = 0; k < it->K; k++)
            expect[base + k] += e[col + k];
          col += it->K;
        }
    }
  lw_clear (&lw);
}

/* Merges score groups from the lowest up until every expected count in a
 * group reaches FIT_MIN_EXPECTED; a short last group joins the one before. */
static void
fit_item (const State *st, const Fit *fit, int j, RsCalibItem *out)
{
  const Item *it = &st->items[j];
  const double *obs = fit->obs[0] + fit->offset[j], *expect = fit->expect[0] + fit->offset[j];
  double O[RS_IRT_MAX_STEPS + 1] = { 0 }, E[RS_IRT_MAX_STEPS + 1] = { 0 };
  double chi2 = 0.0, last_chi2 = 0.0, lastO[RS_IRT_MAX_STEPS + 1], lastE[RS_IRT_MAX_STEPS + 1];
  int n_groups = 0, df;
  gboolean open = FALSE;

  for (int S = 0; S <= fit->smax; S++)
    {
      gboolean full = TRUE;
      double n = 0.0;

      for (int k = 0; k < it->K; k++)
        n += obs[(gsize) S * it->K + k];
      if (n <= 0)
        continue;
      for (int k = 0; k < it->K; k++)
        {
          O[k] += obs[(gsize) S * it->K + k];
          E[k] += expect[(gsize) S * it->K + k];
        }
      open = TRUE;
      for (int k = 0; k < it->K; k++)
        full &= E[k] >= FIT_MIN_EXPECTED;
      if (!full)
        continue;
      last_chi2 = 0.0;
      for (int k = 0; k < it->K; k++)
        last_chi2 += (O[k] - E[k]) * (O[k] - E[k]) / E[k];
      chi2 += last_chi2;
      memcpy (lastO, O, sizeof O);
      memcpy (lastE, E, sizeof E);
      memset (O, 0, sizeof O);
      memset (E, 0, sizeof E);
      n_groups++;
      open = FALSE;
    }
  if (open && n_groups > 0)
    {
      /* Join the remainder to the last full group. */
      chi2 -= last_chi2;
      for (int k = 0; k < it->K; k++)
        chi2 += (lastO[k] + O[k] - lastE[k] - E[k]) * (lastO[k] + O[k] - lastE[k] - E[k]) / (lastE[k] + E[k]);
    }
  df = n_groups * (it->K - 1) - it->n_par;
  if (df < 1 || !isfinite (chi2))
    {
      out->fit_chi2 = 0.0;
      out->fit_df = 0;
      out->fit_p = 1.0;
      return;
    }
  out->fit_chi2 = chi2;
  out->fit_df = df;
  out->fit_p = CLAMP (gsl_cdf_chisq_Q (chi2, df), 0.0, 1.0);
  if (!isfinite (out->fit_p))
    out->fit_p = 1.0;
}

static void
item_fit (State *st, RsCalibResult *result)
{
  Fit fit = { 0 };

  for (guint i = 0; i < st->n_persons; i++)
    {
      int smax = 0;
      for (guint r = st->row[i]; r < st->row[i + 1]; r++)
        smax += st->items[st->resp_item[r]].m;
      fit.smax = MAX (fit.smax, smax);
    }
  fit.offset = g_new0 (gsize, st->n_items);
  for (int j = 0; j < st->n_items; j++)
    {
      fit.offset[j] = fit.size;
      fit.size += (gsize) (fit.smax + 1) * st->items[j].K;
    }
  fit.obs = g_new0 (double *, st->n_chunks);
  fit.expect = g_new0 (double *, st->n_chunks);
  for (int c = 0; c < st->n_chunks; c++)
    {
      fit.obs[c] = g_new (double, fit.size);
      fit.expect[c] = g_new (double, fit.size);
    }
  st->job_data = &fit;
  run_parallel (st, fit_chunk);
  st->job_data = NULL;
  for (int c = 1; c < st->n_chunks; c++)
    for (gsize k = 0; k < fit.size; k++)
      {
        fit.obs[0][k] += fit.obs[c][k];
        fit.expect[0][k] += fit.expect[c][k];
      }
  for (int j = 0; j < st->n_items; j++)
    fit_item (st, &fit, j, g_ptr_array_index (result->items, j));
  for (int c = 0; c < st->n_chunks; c++)
    {
      g_free (fit.obs[c]);
      g_free (fit.expect[c]);
    }
  g_free (fit.obs);
  g_free (fit.expect);
  g_free (fit.offset);
}

/* --- setting up --- */

static gboolean
check_options (const RsCalibOptions *o, GError **error)
{
  if (!(o->tolerance > 0 && o->tolerance < 1) || o->max_iterations < 1 || o->n_quad < 5 || o->n_quad > 401
      || !(o->quad_range >= 2 && o->quad_range <= 12) || !(o->a_prior_sd >= 0) || !isfinite (o->a_prior_mean)
      || !(o->c_prior_alpha > 1) || !(o->c_prior_beta > 1) || !(o->d_prior_sd >= 0) || o->n_threads < 0
      || !(o->fit_alpha > 0 && o->fit_alpha < 1))
    {
      g_set_error (error, RS_ERROR, RS_ERROR_INVALID,
                   _("calibration options out of range: need 0 < tolerance < 1, max iterations ≥ 1, 5–401 "
                   "quadrature points on a range of 2–12, a prior SD ≥ 0, Beta prior parameters > 1"));
      return FALSE;
    }
  return TRUE;
}

static void
state_clear (State *st)
{
  if (st->pool != NULL)
    g_thread_pool_free (st->pool, FALSE, TRUE);
  for (int c = 0; c < st->n_chunks; c++)
    {
      g_free (st->r[c]);
      g_free (st->nq_sum[c]);
    }
  g_free (st->r);
  g_free (st->nq_sum);
  g_free (st->chunk_loglik);
  g_free (st->chunk_start);
  g_free (st->items);
  g_free (st->theta);
  g_free (st->prior);
  g_free (st->row);
  g_free (st->resp_item);
  g_free (st->resp_score);
  g_free (st->ptab);
  g_mutex_clear (&st->lock);
  g_cond_clear (&st->cond);
}

/* Compressed rows, sorted by person then item, persons with no answer left
 * out; one pass of counting sort by item, then a stable one by person. */
static gboolean
build_rows (State *st, const RsCalibData *data, GError **error)
{
  const Triple *t = (const Triple *) data->triples->data;
  guint n = data->triples->len, n_items = data->items->len;
  g_autofree guint *by_item_start = g_new0 (guint, n_items + 1);
  g_autofree guint *person_count = g_new0 (guint, data->n_persons + 1);
  g_autofree guint *order = g_new (guint, n);
  g_autofree guint *person_new = g_new (guint, data->n_persons);
  guint n_persons = 0;

  for (guint k = 0; k < n; k++)
    {
      by_item_start[t[k].item + 1]++;
      person_count[t[k].person]++;
    }
  for (guint j = 0; j < n_items; j++)
    by_item_start[j + 1] += by_item_start[j];
  for (guint k = 0; k < n; k++)
    order[by_item_start[t[k].item]++] = k;
  for (guint p = 0; p < data->n_persons; p++)
    person_new[p] = person_count[p] > 0 ? n_persons++ : G_MAXUINT;
  st->n_persons = n_persons;
  st->row = g_new0 (guint, n_persons + 1);
  for (guint p = 0; p < data->n_persons; p++)
    if (person_new[p] != G_MAXUINT)
      st->row[person_new[p] + 1] = person_count[p];
  for (guint p = 0; p < n_persons; p++)
    st->row[p + 1] += st->row[p];
  st->resp_item = g_new (guint32, MAX (n, 1));
  st->resp_score = g_new (guint8, MAX (n, 1));
  {
    g_autofree guint *fill = g_memdup2 (st->row, (n_persons + 1) * sizeof (guint));
    for (guint k = 0; k < n; k++)
      {
        const Triple *x = &t[order[k]];
        guint at = fill[person_new[x->person]]++;
        st->resp_item[at] = x->item;
        st->resp_score[at] = (guint8) x->score;
      }
  }
  for (guint p = 0; p < n_persons; p++)
    for (guint r = st->row[p] + 1; r < st->row[p + 1]; r++)
      if (st->resp_item[r] == st->resp_item[r - 1])
        {
          const DataItem *item = g_ptr_array_index (data->items, st->resp_item[r]);
          g_set_error (error, RS_ERROR, RS_ERROR_INVALID,
                       _("one person answered item %s more than once; give each answer its own person"), item->id);
          return FALSE;
        }
  return TRUE;
}

static void
start_values (const State *st, Item *it, const double *counts)
{
  const DataItem *d = it->data;
  const RsCalibOptions *o = st->opt;
  double n = MAX (it->n, 1);

  if (d->has_start && d->start.a > 0)
    {
      params_to_x (it, &d->start, it->x);
      return;
    }
  it->x[0] = 0.0;
  if (is_dichotomous (it))
    {
      double c = it->estimate_c ? (o->c_prior_alpha - 1) / (o->c_prior_alpha + o->c_prior_beta - 2) : it->c_fixed;
      double p = CLAMP ((it->score_sum / n - c) / (1 - c), 0.02, 0.98);

      it->x[1] = 1.2 * logit (p);
      if (it->estimate_c)
        it->x[2] = CLAMP (logit (c), GAMMA_MIN, GAMMA_MAX);
      return;
    }
  for (int v = 1; v <= it->m; v++)
    {
      double above = 0.0;
      for (int k = v; k <= it->m; k++)
        above += counts[k];
      it->x[v] = logit (CLAMP (above / n, 0.02, 0.98));
    }
}

static gboolean
state_init (State *st, RsCalibData *data, const RsCalibOptions *o, GError **error)
{
  guint n_items = data->items->len;
  int n_threads;
  gsize offset = 0;
  g_autofree double *counts = NULL;

  memset (st, 0, sizeof *st);
  g_mutex_init (&st->lock);
  g_cond_init (&st->cond);
  st->opt = o;
  if (!check_options (o, error))
    return FALSE;
  if (data->triples->len == 0)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_INVALID, _("there are no answers to calibrate from"));
      return FALSE;
    }
  if (!build_rows (st, data, error))
    return FALSE;

  st->nq = o->n_quad;
  st->qp = (st->nq + VD_LANES - 1) & ~(VD_LANES - 1);
  st->theta = g_new0 (double, st->qp);
  st->prior = g_new0 (double, st->qp);
  for (int q = 0; q < st->qp; q++)
    st->theta[q] = q < st->nq ? -o->quad_range + 2.0 * o->quad_range * q / (st->nq - 1) : 0.0;
  st->mean = 0.0;
  st->sd = 1.0;

  st->n_items = (int) n_items;
  st->items = g_new0 (Item, MAX (n_items, 1));
  counts = g_new0 (double, (gsize) MAX (n_items, 1) * (RS_IRT_MAX_STEPS + 1));
  for (guint r = 0; r < st->row[st->n_persons]; r++)
    {
      Item *it = &st->items[st->resp_item[r]];
      it->n++;
      it->score_sum += st->resp_score[r];
      counts[(gsize) st->resp_item[r] * (RS_IRT_MAX_STEPS + 1) + st->resp_score[r]] += 1;
    }
  for (guint j = 0; j < n_items; j++)
    {
      Item *it = &st->items[j];
      const DataItem *d = g_ptr_array_index (data->items, j);

      it->data = d;
      it->m = d->m;
      it->K = d->m + 1;
      {
        int n_scores = 0;
        for (int k = 0; k <= d->m; k++)
          n_scores += counts[(gsize) j * (RS_IRT_MAX_STEPS + 1) + k] > 0;
        it->degenerate = it->n > 0 && n_scores < 2;
      }
      it->fixed = d->anchor || it->n == 0 || it->degenerate;
      it->estimate_c = d->model == RS_CALIB_3PL_PRIOR_C && !it->fixed;
      it->upper = 1.0;
      /* c held: the anchor's or the given one; an unanswered 3PL whose c
       * would be estimated keeps its start, or the prior's mode. */
      it->c_fixed = 0.0;
      if (d->model != RS_CALIB_GPCM && d->has_start)
        it->c_fixed = CLAMP (d->start.c, 0.0, 0.99);
      else if (d->model == RS_CALIB_3PL_PRIOR_C)
        it->c_fixed = (o->c_prior_alpha - 1) / (o->c_prior_alpha + o->c_prior_beta - 2);
      if (d->anchor && d->model != RS_CALIB_GPCM && d->start.d > d->start.c && d->start.d <= 1.0)
        it->upper = d->start.d;
      it->n_par = it->fixed ? 0 : is_dichotomous (it) ? (it->estimate_c ? 3 : 2) : 1 + it->m;
      if (d->anchor)
        {
          /* Held exactly: the given numbers, not a round trip through bounds. */
          it->x[0] = log (d->start.a);
          if (is_dichotomous (it))
            it->x[1] = -d->start.a * d->start.b;
          else
            for (int v = 1; v <= it->m; v++)
              it->x[v] = -d->start.a * d->start.steps[v - 1];
        }
      else
        start_values (st, it, counts + (gsize) j * (RS_IRT_MAX_STEPS + 1));
      it->par_offset = st->n_par;
      st->n_par += it->n_par;
      it->p_offset = offset;
      offset += (gsize) it->K * st->qp;
      if (d->anchor)
        st->latent_free = TRUE;
    }
  if (st->latent_free)
    st->n_par += 2;
  st->table_size = offset;
  st->ptab = g_new0 (double, offset);

  /* Chunks of about equal numbers of answers; small data stays on one thread. */
  n_threads = o->n_threads > 0 ? o->n_threads : (int) g_get_num_processors ();
  n_threads = CLAMP (n_threads, 1, 16);
  n_threads = MIN (n_threads, (int) MAX (st->row[st->n_persons] / 2000, 1));
  st->n_chunks = n_threads;
  st->chunk_start = g_new0 (guint, n_threads + 1);
  {
    guint p = 0, total = st->row[st->n_persons];
    for (int c = 1; c < n_threads; c++)
      {
        guint target = (guint) ((guint64) total * c / n_threads);
        while (p < st->n_persons && st->row[p] < target)
          p++;
        st->chunk_start[c] = p;
      }
    st->chunk_start[n_threads] = st->n_persons;
  }
  st->r = g_new0 (double *, n_threads);
  st->nq_sum = g_new0 (double *, n_threads);
  st->chunk_loglik = g_new0 (double, n_threads);
  for (int c = 0; c < n_threads; c++)
    {
      st->r[c] = g_new (double, offset);
      st->nq_sum[c] = g_new (double, st->qp);
    }
  if (n_threads > 1)
    st->pool = g_thread_pool_new (run_chunk, st, n_threads - 1, FALSE, NULL);
  return TRUE;
}

/* --- the run --- */

static void
set_flags (const State *st, const RsCalibOptions *o, gboolean converged, RsCalibItem *out, const Item *it)
{
  guint flags = 0;

  if (out->fit_df > 0 && out->fit_p < o->fit_alpha)
    flags |= RS_CALIB_FLAG_POOR_FIT;
  if (out->anchor)
    {
      out->flags = flags;
      return;
    }
  if (out->params.a < o->min_a || out->eap_correlation < 0)
    flags |= RS_CALIB_FLAG_LOW_DISCRIMINATION;
  if (it->n == 0 || it->degenerate || !converged || out->se_a > o->max_se_a || out->se_c > o->max_se_c
      || (is_dichotomous (it) && out->se_b > o->max_se_b))
    flags |= RS_CALIB_FLAG_UNSTABLE;
  for (int v = 0; !is_dichotomous (it) && v < it->m; v++)
    if (out->se_steps[v] > o->max_se_b)
      flags |= RS_CALIB_FLAG_UNSTABLE;
  out->flags = flags;
  (void) st;
}

static gsize gsl_quiet_once;

RsCalibResult *
rs_calibrate (RsCalibData *data, const RsCalibOptions *options, GError **error)
{
  RsCalibOptions defaults;
  State st;
  RsCalibResult *result;
  gint64 started = g_get_monotonic_time (), fit_started;
  gboolean converged;
  int iterations;

  g_return_val_if_fail (data != NULL, NULL);
  /* GSL's default handler aborts; its return codes are checked instead. */
  if (g_once_init_enter (&gsl_quiet_once))
    {
      gsl_set_error_handler_off ();
      g_once_init_leave (&gsl_quiet_once, TRUE);
    }
  if (options == NULL)
    {
      rs_calib_options_init (&defaults);
      options = &defaults;
    }
  if (!state_init (&st, data, options, error))
    {
      state_clear (&st);
      return NULL;
    }
  run_em (&st, &iterations, &converged);

  result = g_new0 (RsCalibResult, 1);
  result->items = g_ptr_array_new ();
  fill_tables (&st);
  fill_prior (&st);
  result->iterations = iterations;
  result->converged = converged;
  result->n_persons = (int) st.n_persons;
  result->n_responses = (int) st.row[st.n_persons];
  result->latent_estimated = st.latent_free;
  result->mean = st.mean;
  result->sd = st.sd;
  for (int j = 0; j < st.n_items; j++)
    {
      const Item *it = &st.items[j];
      RsCalibItem *out = g_new0 (RsCalibItem, 1);

      out->id = g_strdup (it->data->id);
      out->model = it->data->model;
      out->anchor = it->data->anchor;
      out->n = it->n;
      if (it->data->anchor)
        out->params = it->data->start;
      else
        x_to_params (it, it->x, &out->params);
      out->fit_p = 1.0;
      g_ptr_array_add (result->items, out);
    }
  result->se_method = standard_errors (&st, result);
  result->log_posterior = result->loglik + total_log_prior (&st);
  fit_started = g_get_monotonic_time ();
  if (options->compute_fit)
    item_fit (&st, result);
  for (int j = 0; j < st.n_items; j++)
    set_flags (&st, options, converged, g_ptr_array_index (result->items, j), &st.items[j]);
  if (!isfinite (result->loglik))
    result->loglik = result->log_posterior = -G_MAXDOUBLE;
  state_clear (&st);
  result->seconds_fit = (g_get_monotonic_time () - fit_started) / 1e6;
  result->seconds = (g_get_monotonic_time () - started) / 1e6;
  return result;
}

double
rs_calib_loglik_at (RsCalibData *data, const RsCalibOptions *options, const RsIrtParams *params,
                    double mean, double sd, GError **error)
{
  RsCalibOptions defaults;
  State st;
  double loglik;

  if (options == NULL)
    {
      rs_calib_options_init (&defaults);
      options = &defaults;
    }
  if (!state_init (&st, data, options, error))
    {
      state_clear (&st);
      return -G_MAXDOUBLE;
    }
  for (int j = 0; j < st.n_items; j++)
    {
      Item *it = &st.items[j];

      /* Evaluate exactly what is given, whatever the model would estimate. */
      it->estimate_c = FALSE;
      it->c_fixed = params[j].c;
      it->x[0] = log (params[j].a);
      if (is_dichotomous (it))
        it->x[1] = -params[j].a * params[j].b;
      else
        for (int v = 1; v <= it->m; v++)
          it->x[v] = -params[j].a * params[j].steps[v - 1];
    }
  st.mean = mean;
  st.sd = sd;
  loglik = estep (&st);
  state_clear (&st);
  return loglik;
}
