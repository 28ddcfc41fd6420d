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

static double
normal (GRand *rand)
{
  double u1 = 1.0 - g_rand_double (rand), u2 = g_rand_double (rand);
  return sqrt (-2.0 * log (u1)) * cos (2.0 * G_PI * u2);
}

void
rs_perturbation_init (RsPerturbation *perturbation)
{
  *perturbation = (RsPerturbation) { 0.3, 0.5, 0.2 };
}

void
rs_perturb_params (const RsIrtParams *params, const RsPerturbation *perturbation, GRand *rand, RsIrtParams *out)
{
  double move;

  *out = *params;
  out->a = params->a * exp (perturbation->sd_a * normal (rand));
  move = perturbation->sd_b * normal (rand) + perturbation->shift;
  if (params->model == RS_MODEL_GPCM)
    for (int k = 0; k < params->n_steps; k++)
      out->steps[k] += move;
  else
    out->b += move;
}

GHashTable *
rs_perturb_bank (const RsBank *bank, RsSkill skill, const RsPerturbation *perturbation, guint32 seed)
{
  GHashTable *params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (guint i = 0; i < rs_bank_n_items (bank); i++)
    {
      const RsItem *item = rs_bank_item (bank, i);
      /* g_str_hash is djb2: the same number for an id on every machine. */
      guint32 seeds[2] = { seed, g_str_hash (item->id) };
      g_autoptr (GRand) rand = NULL;
      RsIrtParams *out;

      if (skill != RS_SKILL_INVALID && item->skill != skill)
        continue;
      rand = g_rand_new_with_seed_array (seeds, 2);
      out = g_new (RsIrtParams, 1);
      rs_perturb_params (&item->irt, perturbation, rand, out);
      g_hash_table_insert (params, g_strdup (item->id), out);
    }
  return params;
}

gboolean
rs_simulation_write_params (const char *path, const RsBank *bank, RsSkill skill, GHashTable *params, GError **error)
{
  const GPtrArray *items = rs_bank_skill_items (bank, skill);
  g_autoptr (GString) out = g_string_new ("id,a,b,c\n");
  char number[G_ASCII_DTOSTR_BUF_SIZE];

  for (guint i = 0; i < items->len; i++)
    {
      const RsItem *item = g_ptr_array_index (items, i);
      const RsIrtParams *p = params != NULL ? g_hash_table_lookup (params, item->id) : NULL;

      if (p == NULL)
        p = &item->irt;
      g_string_append_printf (out, "%s,%s,", item->id, g_ascii_formatd (number, sizeof number, "%.6g", p->a));
      if (p->model == RS_MODEL_GPCM)
        {
          for (int k = 0; k < p->n_steps; k++)
            g_string_append_printf (out, "%s%s", k > 0 ? ";" : "",
                                    g_ascii_formatd (number, sizeof number, "%.6g", p->steps[k]));
          g_string_append (out, ",\n");
        }
      else
        {
          g_string_append_printf (out, "%s,", g_ascii_formatd (number, sizeof number, "%.6g", p->b));
          g_string_append_printf (out, "%s\n", g_ascii_formatd (number, sizeof number, "%.6g", p->c));
        }
    }
  return g_file_set_contents (path, out->str, (gssize) out->len, error);
}

/* One worker's share of a wave of simulees. Simulees are independent, so
 * the work splits across cores; each simulee has its own generators, seeded
 * from its index, and reads the usage as it was before its wave, so the
 * report is the same whatever the number of threads. */
typedef struct {
  const RsBank *bank;
  RsSkill skill;
  const RsCatConfig *config;
  const RsSimulationOptions *options;
  const RsItemUsage *usage;
  GHashTable *pretest;     /* ids of provisional items */
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

      rs_cat_set_usage (cat, chunk->usage);
      rs_cat_set_pretest_items (cat, chunk->pretest);
      while ((item = rs_cat_current_item (cat)) != NULL)
        {
          guint count = GPOINTER_TO_UINT (g_hash_table_lookup (chunk->exposure, item));
          const RsIrtParams *truth = chunk->options->true_params != NULL
                                       ? g_hash_table_lookup (chunk->options->true_params, item->id)
                                       : NULL;

          g_hash_table_insert (chunk->exposure, (gpointer) item, GUINT_TO_POINTER (count + 1));
          rs_cat_record (cat, item, rs_simulate_response (truth != NULL ? truth : &item->irt,
                                                          chunk->thetas[i], answers));
        }
      state = rs_cat_skill_state (cat, 0);
      chunk->out[i] = (RsSimulee) {
        .true_theta = chunk->thetas[i],
        .theta = state->theta,
        .se = state->se,
        .n_items = state->n_items,
        .n_pretest = state->n_pretest,
        .reached_se = state->se <= chunk->config->stop.se_target,
        .level = state->level.most_likely,
        .level_probability = state->level.most_likely_probability,
        .level_claimed = state->level.claimed,
      };
    }
  return NULL;
}

static int
compare_doubles (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

RsSimulationReport *
rs_simulate (const RsBank *bank, RsSkill skill, const RsCatConfig *config, const double *thetas,
             int n_thetas, guint32 seed)
{
  return rs_simulate_full (bank, skill, config, thetas, n_thetas, seed, NULL);
}

RsSimulationReport *
rs_simulate_full (const RsBank *bank, RsSkill skill, const RsCatConfig *config, const double *thetas,
                  int n_thetas, guint32 seed, const RsSimulationOptions *options)
{
  RsSimulationReport *report = g_new0 (RsSimulationReport, 1);
  g_autoptr (GHashTable) exposure = g_hash_table_new (g_direct_hash, g_direct_equal);
  g_autoptr (GHashTable) pretest = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (RsItemUsage) usage = rs_item_usage_new ();
  g_autofree double *ses = NULL;
  const GPtrArray *items = rs_bank_skill_items (bank, skill);
  RsSimulationOptions no_options = { NULL };
  int cores = CLAMP ((int) g_get_num_processors (), 1, 8);
  double sum_err = 0, sum_sq = 0, sum_items = 0, sum_pretest = 0, n_reached = 0, sum_se = 0;
  double n_covered = 0, n_exact = 0, n_claimed = 0, n_claimed_right = 0;
  double mean_t = 0, mean_e = 0, cov = 0, var_t = 0, var_e = 0;
  guint max_count = 0;

  if (options == NULL)
    options = &no_options;
  report->simulees = g_array_sized_new (FALSE, TRUE, sizeof (RsSimulee), n_thetas);
  g_array_set_size (report->simulees, n_thetas);
  report->n_simulees = n_thetas;
  report->n_bank_items = (int) items->len;
  if (n_thetas == 0)
    return report;
  for (guint i = 0; i < items->len; i++)
    {
      const RsItem *item = g_ptr_array_index (items, i);
      if (!item->irt_given)
        g_hash_table_add (pretest, item->id);
    }

  for (int wave = 0; wave < n_thetas; wave += RS_SIMULATION_WAVE)
    {
      int wave_end = MIN (wave + RS_SIMULATION_WAVE, n_thetas);
      /* Threads are not worth it for a handful of simulees. */
      int n_threads = MIN (cores, MAX ((wave_end - wave) / 10, 1));
      Chunk chunks[8];
      GThread *threads[8] = { NULL };

      for (int t = 0; t < n_threads; t++)
        {
          chunks[t] = (Chunk) {
            bank, skill, config, options, usage, pretest, thetas,
            wave + (wave_end - wave) * t / n_threads, wave + (wave_end - wave) * (t + 1) / n_threads, seed,
            (RsSimulee *) (void *) report->simulees->data,
            g_hash_table_new (g_direct_hash, g_direct_equal),
          };
          if (t > 0)
            threads[t] = g_thread_new ("simulate", run_chunk, &chunks[t]);
        }
      run_chunk (&chunks[0]);
      /* Every thread of the wave reads the usage: update it only once all are done. */
      for (int t = 1; t < n_threads; t++)
        g_thread_join (threads[t]);
      for (int t = 0; t < n_threads; t++)
        {
          GHashTableIter iter;
          gpointer item, count;

          g_hash_table_iter_init (&iter, chunks[t].exposure);
          while (g_hash_table_iter_next (&iter, &item, &count))
            {
              guint total = GPOINTER_TO_UINT (g_hash_table_lookup (exposure, item)) + GPOINTER_TO_UINT (count);
              g_hash_table_insert (exposure, item, GUINT_TO_POINTER (total));
              rs_item_usage_add_shown (usage, ((const RsItem *) item)->id, GPOINTER_TO_UINT (count));
              max_count = MAX (max_count, total);
            }
          g_hash_table_unref (chunks[t].exposure);
        }
      rs_item_usage_add_attempts (usage, skill, (guint) (wave_end - wave));
    }
  report->n_items_used = (int) g_hash_table_size (exposure);

  ses = g_new (double, n_thetas);
  for (int i = 0; i < n_thetas; i++)
    {
      const RsSimulee *sim = &g_array_index (report->simulees, RsSimulee, i);
      gboolean right = sim->level == rs_level_for_theta (sim->true_theta);

      sum_err += sim->theta - sim->true_theta;
      sum_sq += (sim->theta - sim->true_theta) * (sim->theta - sim->true_theta);
      sum_items += sim->n_items;
      sum_pretest += sim->n_pretest;
      sum_se += sim->se;
      ses[i] = sim->se;
      n_reached += sim->reached_se;
      n_covered += fabs (sim->theta - sim->true_theta) <= RS_BAND_Z * sim->se;
      n_exact += right;
      n_claimed += sim->level_claimed;
      n_claimed_right += sim->level_claimed && right;
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
  qsort (ses, n_thetas, sizeof (double), compare_doubles);
  report->mean_items = sum_items / n_thetas;
  report->mean_pretest = sum_pretest / n_thetas;
  report->rmse = sqrt (sum_sq / n_thetas);
  report->bias = sum_err / n_thetas;
  report->correlation = var_t > 0 && var_e > 0 ? cov / sqrt (var_t * var_e) : 0.0;
  report->mean_se = sum_se / n_thetas;
  report->median_se = ses[n_thetas / 2];
  report->coverage = n_covered / n_thetas;
  report->exact_level = n_exact / n_thetas;
  report->claimed = n_claimed / n_thetas;
  report->claimed_correct = n_claimed > 0 ? n_claimed_right / n_claimed : 0.0;
  report->max_exposure = (double) max_count / n_thetas;
  report->reached_se = n_reached / n_thetas;
  return report;
}

void
rs_forecast_mode (const RsBank *bank, const RsSkill *skills, int n_skills, RsMode mode,
                  int n_simulees, RsModeForecast *forecast)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (12345);
  g_autofree double *thetas = g_new (double, MAX (n_simulees, 1));
  RsCatConfig config;

  *forecast = (RsModeForecast) { 0 };
  rs_cat_config_init (&config, mode);
  /* Evenly spaced normal quantiles: a smooth, repeatable population. */
  for (int i = 0; i < n_simulees; i++)
    thetas[i] = sqrt (2.0) * erfinv_approx ((2.0 * (i + 0.5) / n_simulees) - 1.0);
  /* In random order: simulees take the test in waves that see the exposure
   * of the ones before, and people do not arrive sorted by ability. */
  for (int i = n_simulees - 1; i > 0; i--)
    {
      int j = g_rand_int_range (rand, 0, i + 1);
      double t = thetas[i];
      thetas[i] = thetas[j];
      thetas[j] = t;
    }
  for (int s = 0; s < n_skills; s++)
    {
      g_autoptr (RsSimulationReport) report = NULL;
      if (rs_bank_skill_items (bank, skills[s])->len == 0)
        continue;
      report = rs_simulate (bank, skills[s], &config, thetas, n_simulees, g_rand_int (rand));
      /* What the person answers: pretest questions take their time too. */
      forecast->total_items += report->mean_items + report->mean_pretest;
      forecast->mean_pretest += report->mean_pretest;
      forecast->median_se = MAX (forecast->median_se, report->median_se);
      forecast->reached_se = s == 0 ? report->reached_se : MIN (forecast->reached_se, report->reached_se);
      forecast->exact_level = s == 0 ? report->exact_level : MIN (forecast->exact_level, report->exact_level);
      forecast->claimed = s == 0 ? report->claimed : MIN (forecast->claimed, report->claimed);
    }
  forecast->mean_items = n_skills > 0 ? forecast->total_items / n_skills : 0.0;
  forecast->mean_pretest = n_skills > 0 ? forecast->mean_pretest / n_skills : 0.0;
}

void
rs_simulation_report_free (RsSimulationReport *report)
{
  if (report == NULL)
    return;
  g_array_unref (report->simulees);
  g_free (report);
}
