/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>

#include "rs-simulation.h"

/* Inverse error function (Giles 2010, single-precision branch is plenty
 * for spacing simulated abilities). */
static double
erfinv_approx (double x)
{
  double w = -log ((1.0 - x) * (1.0 + x)), p;

  if (w < 5.0)
    {
      w -= 2.5;
      p = 2.81022636e-08;
      p = 3.43273939e-07 + p * w;
      p = -3.5233877e-06 + p * w;
      p = -4.39150654e-06 + p * w;
      p = 0.00021858087 + p * w;
      p = -0.00125372503 + p * w;
      p = -0.00417768164 + p * w;
      p = 0.246640727 + p * w;
      p = 1.50140941 + p * w;
    }
  else
    {
      w = sqrt (w) - 3.0;
      p = -0.000200214257;
      p = 0.000100950558 + p * w;
      p = 0.00134934322 + p * w;
      p = -0.00367342844 + p * w;
      p = 0.00573950773 + p * w;
      p = -0.0076224613 + p * w;
      p = 0.00943887047 + p * w;
      p = 1.00167406 + p * w;
      p = 2.83297682 + p * w;
    }
  return p * x;
}

int
rs_simulate_response (const RsIrtParams *params, double theta, GRand *rand)
{
  double probs[RS_IRT_MAX_STEPS + 1];
  double u = g_rand_double (rand), cumulative = 0.0;
  int max_score = rs_irt_max_score (params);

  rs_irt_category_probs (params, theta, probs);
  for (int k = 0; k < max_score; k++)
    {
      cumulative += probs[k];
      if (u < cumulative)
        return k;
    }
  return max_score;
}

/* One worker's share of the simulees. Simulees are independent, so the work
 * splits across cores; each simulee has its own generators, seeded from its
 * index, so the report is the same whatever the number of threads. */
typedef struct {
  const RsBank *bank;
  RsSkill skill;
  const RsCatConfig *config;
  const double *thetas;
  int first, last;
  guint32 seed;
  RsSimulee *out;
  GHashTable *exposure;    /* const RsItem * → times asked */
} Chunk;

static gpointer
run_chunk (gpointer data)
{
  Chunk *chunk = data;

  for (int i = chunk->first; i < chunk->last; i++)
    {
      guint32 simulee_seed = chunk->seed + 7919u * (guint32) i + 1;
      g_autoptr (RsCat) cat = rs_cat_new (chunk->bank, &chunk->skill, 1, chunk->config, NULL, simulee_seed);
      g_autoptr (GRand) answers = g_rand_new_with_seed (simulee_seed ^ 0x9e3779b9u);
      const RsCatSkillState *state;
      const RsItem *item;

      while ((item = rs_cat_current_item (cat)) != NULL)
        {
          guint count = GPOINTER_TO_UINT (g_hash_table_lookup (chunk->exposure, item));
          g_hash_table_insert (chunk->exposure, (gpointer) item, GUINT_TO_POINTER (count + 1));
          rs_cat_record (cat, item, rs_simulate_response (&item->irt, chunk->thetas[i], answers));
        }
      state = rs_cat_skill_state (cat, 0);
      chunk->out[i] = (RsSimulee) {
        .true_theta = chunk->thetas[i],
        .theta = state->theta,
        .se = state->se,
        .n_items = state->n_items,
        .reached_se = state->se <= chunk->config->stop.se_target,
      };
    }
  return NULL;
}

RsSimulationReport *
rs_simulate (const RsBank *bank, RsSkill skill, const RsCatConfig *config, const double *thetas,
             int n_thetas, guint32 seed)
{
  RsSimulationReport *report = g_new0 (RsSimulationReport, 1);
  g_autoptr (GHashTable) exposure = g_hash_table_new (g_direct_hash, g_direct_equal);
  int n_threads = CLAMP ((int) g_get_num_processors (), 1, 8);
  Chunk chunks[8];
  GThread *threads[8] = { NULL };
  double sum_err = 0, sum_sq = 0, sum_items = 0, n_reached = 0;
  double mean_t = 0, mean_e = 0, cov = 0, var_t = 0, var_e = 0;
  guint max_count = 0;

  report->simulees = g_array_sized_new (FALSE, TRUE, sizeof (RsSimulee), n_thetas);
  g_array_set_size (report->simulees, n_thetas);
  report->n_simulees = n_thetas;
  if (n_thetas == 0)
    return report;

  n_threads = MIN (n_threads, MAX (n_thetas / 50, 1));   /* threads are not worth it for a few */
  for (int t = 0; t < n_threads; t++)
    {
      chunks[t] = (Chunk) {
        bank, skill, config, thetas,
        n_thetas * t / n_threads, n_thetas * (t + 1) / n_threads, seed,
        (RsSimulee *) (void *) report->simulees->data,
        g_hash_table_new (g_direct_hash, g_direct_equal),
      };
      if (t > 0)
        threads[t] = g_thread_new ("simulate", run_chunk, &chunks[t]);
    }
  run_chunk (&chunks[0]);
  for (int t = 0; t < n_threads; t++)
    {
      GHashTableIter iter;
      gpointer item, count;

      if (threads[t] != NULL)
        g_thread_join (threads[t]);
      g_hash_table_iter_init (&iter, chunks[t].exposure);
      while (g_hash_table_iter_next (&iter, &item, &count))
        {
          guint total = GPOINTER_TO_UINT (g_hash_table_lookup (exposure, item)) + GPOINTER_TO_UINT (count);
          g_hash_table_insert (exposure, item, GUINT_TO_POINTER (total));
          max_count = MAX (max_count, total);
        }
      g_hash_table_unref (chunks[t].exposure);
    }

  for (int i = 0; i < n_thetas; i++)
    {
      const RsSimulee *sim = &g_array_index (report->simulees, RsSimulee, i);
      sum_err += sim->theta - sim->true_theta;
      sum_sq += (sim->theta - sim->true_theta) * (sim->theta - sim->true_theta);
      sum_items += sim->n_items;
      n_reached += sim->reached_se;
      mean_t += sim->true_theta;
      mean_e += sim->theta;
    }
  mean_t /= n_thetas;
  mean_e /= n_thetas;
  for (int i = 0; i < n_thetas; i++)
    {
      const RsSimulee *sim = &g_array_index (report->simulees, RsSimulee, i);
      cov += (sim->true_theta - mean_t) * (sim->theta - mean_e);
      var_t += (sim->true_theta - mean_t) * (sim->true_theta - mean_t);
      var_e += (sim->theta - mean_e) * (sim->theta - mean_e);
    }
  report->mean_items = sum_items / n_thetas;
  report->rmse = sqrt (sum_sq / n_thetas);
  report->bias = sum_err / n_thetas;
  report->correlation = var_t > 0 && var_e > 0 ? cov / sqrt (var_t * var_e) : 0.0;
  report->max_exposure = (double) max_count / n_thetas;
  report->reached_se = n_reached / n_thetas;
  return report;
}

static int
compare_doubles (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

void
rs_forecast_mode (const RsBank *bank, const RsSkill *skills, int n_skills, RsMode mode,
                  int n_simulees, RsModeForecast *forecast)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (12345);
  g_autofree double *thetas = g_new (double, MAX (n_simulees, 1));
  g_autofree double *ses = g_new (double, MAX (n_simulees, 1));
  RsCatConfig config;

  *forecast = (RsModeForecast) { 0 };
  rs_cat_config_init (&config, mode);
  /* Evenly spaced normal quantiles: a smooth, repeatable population. */
  for (int i = 0; i < n_simulees; i++)
    thetas[i] = sqrt (2.0) * erfinv_approx ((2.0 * (i + 0.5) / n_simulees) - 1.0);
  for (int s = 0; s < n_skills; s++)
    {
      g_autoptr (RsSimulationReport) report = NULL;
      if (rs_bank_skill_items (bank, skills[s])->len == 0)
        continue;
      report = rs_simulate (bank, skills[s], &config, thetas, n_simulees, g_rand_int (rand));
      for (int i = 0; i < n_simulees; i++)
        ses[i] = g_array_index (report->simulees, RsSimulee, i).se;
      qsort (ses, n_simulees, sizeof (double), compare_doubles);
      forecast->total_items += report->mean_items;
      forecast->median_se = MAX (forecast->median_se, ses[n_simulees / 2]);
      forecast->reached_se = s == 0 ? report->reached_se : MIN (forecast->reached_se, report->reached_se);
    }
  forecast->mean_items = n_skills > 0 ? forecast->total_items / n_skills : 0.0;
}

void
rs_simulation_report_free (RsSimulationReport *report)
{
  if (report == NULL)
    return;
  g_array_unref (report->simulees);
  g_free (report);
}
