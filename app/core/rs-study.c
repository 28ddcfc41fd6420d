/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The calibration study: see rs-study.h for what it does and why. */
#include "rs-study.h"

#include <math.h>
#include <sqlite3.h>
#include <string.h>

#include "rs-assessment.h"
#include "rs-error.h"
#include "rs-people.h"
#include "rs-store-private.h"

static const char *const phase_ids[RS_STUDY_N_PHASES] = { "before", "after", "ceiling" };

void
rs_study_config_init (RsStudyConfig *config)
{
  *config = (RsStudyConfig) {
    .n_people = 3000,
    .seed = 1,
    .min_responses = RS_CALIBRATION_MIN_RESPONSES,
    .retest = RS_STUDY_RETEST_NEW,
    .retest_days = 90,
    .exposure_cap = 0.25,
  };
  for (int m = 0; m < RS_N_MODES; m++)
    config->modes[m] = TRUE;
  for (int s = 0; s < RS_N_SKILLS; s++)
    config->skills[s] = TRUE;
  rs_perturbation_init (&config->perturbation);
}

void
rs_study_report_free (RsStudyReport *report)
{
  if (report == NULL)
    return;
  g_clear_pointer (&report->true_params, g_hash_table_unref);
  g_clear_pointer (&report->calibration, rs_calibration_free);
  g_free (report);
}

/* The store's clock while the study runs: fixed within a phase, so that
 * "recent" items and a returning person's prior are the same on every run;
 * the phase after starts retest_days later. Set only between waves, while
 * no worker runs. */
static gint64 study_time;

static gint64
study_clock (void)
{
  return study_time;
}

static double
normal (GRand *rand)
{
  double u1 = 1.0 - g_rand_double (rand), u2 = g_rand_double (rand);
  return sqrt (-2.0 * log (u1)) * cos (2.0 * G_PI * u2);
}

/* One simulated person in one phase. */
typedef struct {
  gint64 person_id;
  RsMode mode;
  double theta[RS_N_SKILLS];
  guint32 cat_seed;
  char *uuid;
  GRand *answers;                 /* draws scores and answer times */
  RsAssessment *assessment;       /* during the person's wave */
} Person;

/* Running sums for one cell. */
typedef struct {
  int n;
  double items, pretest, err, sq, se, covered, exact, claimed;
  guint *shown;                   /* per item of the skill: people shown it */
} Sums;

typedef struct {
  RsStore *store;
  RsBank *bank;
  const RsStudyConfig *config;
  RsStudyReport *report;
  RsSkill skills[RS_N_SKILLS];
  int n_skills;
  RsMode modes[RS_N_MODES];
  int n_modes;
  Person *people[RS_STUDY_N_PHASES];
  GHashTable *position[RS_N_SKILLS];   /* item id → index in its skill + 1 */
  Sums sums[RS_STUDY_N_PHASES][RS_N_SKILLS][RS_N_MODES + 1];
  RsStudyProgress progress;
  gpointer user_data;
} Study;

/* A stream of its own for everything random about one person, so that
 * nothing depends on the order threads run in. */
static GRand *
person_rand (guint32 seed, int phase, int index, guint32 purpose)
{
  guint32 seeds[4] = { seed, (guint32) phase, (guint32) index, purpose };
  return g_rand_new_with_seed_array (seeds, 4);
}

static void
person_clear (Person *person)
{
  g_clear_pointer (&person->uuid, g_free);
  g_clear_pointer (&person->answers, g_rand_free);
  g_clear_pointer (&person->assessment, rs_assessment_free);
}

/* Attempt UUIDs that count up in the order people take the test: the
 * calibration reads answers ordered by attempt, so the people enter it in
 * the same order on every run (random UUIDs would shuffle them, and with
 * them the rounding of the EM sums), and each attempt's answers are appended
 * to the index rather than spread over it. The rest is random, as a valid
 * version 4 UUID. */
static char *
study_uuid (int phase, int index, GRand *rand)
{
  return g_strdup_printf ("%08x-%04x-4%03x-%04x-%04x%08x", 0x5d000000u | ((guint32) phase << 20) | (guint32) index,
                          g_rand_int_range (rand, 0, 0x10000), g_rand_int_range (rand, 0, 0x1000),
                          0x8000 | g_rand_int_range (rand, 0, 0x4000), g_rand_int_range (rand, 0, 0x10000),
                          g_rand_int (rand));
}

static gboolean
exec_sql (RsStore *store, const char *sql, GError **error)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (rs_store_get_lock (store));

  if (sqlite3_exec (rs_store_get_db (store), sql, NULL, NULL, NULL) != SQLITE_OK)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_DB, "study: %s", sqlite3_errmsg (rs_store_get_db (store)));
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_empty (RsStore *store, GError **error)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (rs_store_get_lock (store));
  gint64 attempts = 0, calibrations = 0;

  if (!rs_store_get_int (store, &attempts, error, "SELECT count(*) FROM attempts", "")
      || !rs_store_get_int (store, &calibrations, error, "SELECT count(*) FROM calibrations", ""))
    return FALSE;
  if (attempts > 0 || calibrations > 0)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_INVALID,
                   "The study needs a database of its own: this one already has %" G_GINT64_FORMAT
                   " attempts and %" G_GINT64_FORMAT " calibrations.", attempts, calibrations);
      return FALSE;
    }
  return TRUE;
}

/* The people of one phase: rows in store, abilities, seeds. Returning
 * people are the rows and abilities of the phase before again. */
static gboolean
make_people (Study *study, int phase, RsStore *store, GError **error)
{
  const RsStudyConfig *config = study->config;

  study->people[phase] = g_new0 (Person, config->n_people);
  for (int i = 0; i < config->n_people; i++)
    {
      Person *person = &study->people[phase][i];
      g_autoptr (GRand) ability = person_rand (config->seed, phase, i, 0);
      g_autoptr (GRand) ids = person_rand (config->seed, phase, i, 1);

      person->mode = study->modes[i % study->n_modes];
      if (phase == RS_STUDY_AFTER && config->retest == RS_STUDY_RETEST_RETURNING)
        {
          person->person_id = study->people[RS_STUDY_BEFORE][i].person_id;
          memcpy (person->theta, study->people[RS_STUDY_BEFORE][i].theta, sizeof person->theta);
        }
      else
        {
          g_autofree char *number = g_strdup_printf ("S%d-%06d", phase + 1, i + 1);
          g_autofree char *name = g_strdup_printf ("Study person %d.%d", phase + 1, i + 1);

          /* Skills are measured on scales of their own: independent draws. */
          for (int s = 0; s < RS_N_SKILLS; s++)
            person->theta[s] = normal (ability);
          if (!rs_store_add_person (store, number, name, NULL, RS_PERSON_EMPLOYEE, NULL, &person->person_id, error))
            return FALSE;
        }
      person->cat_seed = g_rand_int (ids);
      person->uuid = study_uuid (phase, i, ids);
      person->answers = person_rand (config->seed, phase, i, 2);
    }
  return TRUE;
}

/* One worker's share of a wave: its people answer every question until
 * their tests end, then finish. */
typedef struct {
  Study *study;
  Person *people;
  int first, last;
  int n_answers;
  int n_unearnable;
  GError *error;
} Slice;

static gpointer
answer_slice (gpointer data)
{
  Slice *slice = data;
  GHashTable *truth = slice->study->report->true_params;

  for (int i = slice->first; i < slice->last && slice->error == NULL; i++)
    {
      Person *person = &slice->people[i];
      const RsItem *item;

      while ((item = rs_assessment_current_item (person->assessment)) != NULL)
        {
          const RsIrtParams *params = g_hash_table_lookup (truth, item->id);
          int drawn = rs_simulate_response (params != NULL ? params : &item->irt, person->theta[item->skill],
                                            person->answers);
          RsAnswer answer;
          int score = -1;

          /* A score no answer earns (a scenario whose options skip one):
           * the nearest lower one, counted. */
          if (!rs_item_answer_for_score (item, drawn, &answer))
            {
              slice->n_unearnable++;
              while (drawn > 0 && !rs_item_answer_for_score (item, --drawn, &answer))
                ;
            }
          if (!rs_assessment_submit (person->assessment, &answer, g_rand_int_range (person->answers, 8000, 90000),
                                     &score, &slice->error))
            break;
          if (score != drawn)
            {
              g_set_error (&slice->error, RS_ERROR, RS_ERROR_INVALID,
                           "study: item %s scored %d for an answer meant to earn %d", item->id, score, drawn);
              break;
            }
          slice->n_answers++;
        }
      if (slice->error == NULL)
        rs_assessment_finish (person->assessment, &slice->error);
    }
  return NULL;
}

static int
askable_items (const RsBank *bank, RsSkill skill)
{
  const GPtrArray *items = rs_bank_skill_items (bank, skill);
  int n = 0;

  for (guint i = 0; i < items->len; i++)
    n += !rs_bank_is_withheld (bank, ((const RsItem *) g_ptr_array_index (items, i))->id);
  return n;
}

/* What one person's test gave, into the sums of their mode and of all modes. */
static void
add_outcome (Study *study, int phase, const Person *person)
{
  const RsCat *cat = rs_assessment_cat (person->assessment);
  const RsAttempt *attempt = rs_assessment_attempt (person->assessment);

  for (int k = 0; k < study->n_skills; k++)
    {
      RsSkill skill = study->skills[k];
      const RsCatSkillState *state = rs_cat_state_for_skill (cat, skill);
      double truth = person->theta[skill], err = state->theta - truth;
      int cells[2] = { person->mode, RS_N_MODES };

      for (int c = 0; c < 2; c++)
        {
          Sums *sums = &study->sums[phase][skill][cells[c]];

          sums->n++;
          sums->items += state->n_items;
          sums->pretest += state->n_pretest;
          sums->err += err;
          sums->sq += err * err;
          sums->se += state->se;
          sums->covered += fabs (err) <= RS_BAND_Z * state->se;
          sums->exact += state->level.most_likely == rs_level_for_theta (truth);
          sums->claimed += state->level.claimed;
          for (guint r = 0; r < attempt->responses->len; r++)
            {
              const RsResponse *response = &g_array_index (attempt->responses, RsResponse, r);
              guint pos = GPOINTER_TO_UINT (g_hash_table_lookup (study->position[skill], response->item_id));

              if (response->skill == skill && pos > 0)
                sums->shown[pos - 1]++;
            }
        }
    }
}

static gboolean
run_phase (Study *study, int phase, RsStore *store, GError **error)
{
  const RsStudyConfig *config = study->config;
  RsAssessmentOptions options;
  int n = config->n_people;

  rs_assessment_options_init (&options);
  options.exposure_cap = config->exposure_cap;
  for (int wave = 0; wave < n; wave += RS_SIMULATION_WAVE)
    {
      int end = MIN (wave + RS_SIMULATION_WAVE, n);
      int n_threads = MIN (study->report->n_threads, end - wave);
      Slice slices[8];
      GThread *threads[8] = { NULL };
      gboolean ok = TRUE;

      /* Everyone in the wave starts before anyone answers: they all see
       * the counts the earlier waves left, as kiosks in use at the same
       * time do, and the order threads answer in cannot change them. */
      for (int i = wave; i < end; i++)
        {
          Person *person = &study->people[phase][i];

          options.uuid = person->uuid;
          person->assessment = rs_assessment_start_full (store, study->bank, person->person_id, person->mode,
                                                         study->skills, study->n_skills, NULL, person->cat_seed,
                                                         &options, error);
          if (person->assessment == NULL)
            return FALSE;
        }
      for (int t = 0; t < n_threads; t++)
        {
          slices[t] = (Slice) { study, study->people[phase], wave + (end - wave) * t / n_threads,
                                wave + (end - wave) * (t + 1) / n_threads, 0, 0, NULL };
          if (t > 0)
            threads[t] = g_thread_new ("study", answer_slice, &slices[t]);
        }
      answer_slice (&slices[0]);
      for (int t = 1; t < n_threads; t++)
        g_thread_join (threads[t]);
      for (int t = 0; t < n_threads; t++)
        {
          study->report->n_answers[phase] += slices[t].n_answers;
          study->report->n_unearnable += slices[t].n_unearnable;
          if (slices[t].error != NULL)
            {
              if (ok)
                g_propagate_error (error, slices[t].error);
              else
                g_error_free (slices[t].error);
              ok = FALSE;
            }
        }
      if (!ok)
        return FALSE;
      for (int i = wave; i < end; i++)
        {
          add_outcome (study, phase, &study->people[phase][i]);
          person_clear (&study->people[phase][i]);
        }
      if (study->progress != NULL)
        study->progress (phase_ids[phase], end, n, study->user_data);
    }
  return TRUE;
}

static void
fill_cells (Study *study, int phase)
{
  for (int k = 0; k < study->n_skills; k++)
    {
      RsSkill skill = study->skills[k];
      guint n_items = rs_bank_skill_items (study->bank, skill)->len;

      for (int m = 0; m <= RS_N_MODES; m++)
        {
          const Sums *sums = &study->sums[phase][skill][m];
          RsStudyCell *cell = &study->report->cells[phase][skill][m];
          guint most = 0;

          cell->n_bank_items = (int) n_items;
          cell->n_items_askable = askable_items (study->bank, skill);
          cell->n_people = sums->n;
          if (sums->n == 0)
            continue;
          cell->mean_items = sums->items / sums->n;
          cell->mean_pretest = sums->pretest / sums->n;
          cell->bias = sums->err / sums->n;
          cell->rmse = sqrt (sums->sq / sums->n);
          cell->mean_se = sums->se / sums->n;
          cell->coverage = sums->covered / sums->n;
          cell->exact_level = sums->exact / sums->n;
          cell->claimed = sums->claimed / sums->n;
          for (guint i = 0; i < n_items; i++)
            {
              most = MAX (most, sums->shown[i]);
              cell->n_items_used += sums->shown[i] > 0;
            }
          cell->max_exposure = (double) most / sums->n;
        }
    }
}

/* Squared differences of a and of every b between two parameter sets. */
static void
add_distance (const RsIrtParams *estimate, const RsIrtParams *truth, double *a_sq, double *b_sq, int *n_a, int *n_b)
{
  *a_sq += (estimate->a - truth->a) * (estimate->a - truth->a);
  (*n_a)++;
  if (estimate->model == RS_MODEL_GPCM && truth->model == RS_MODEL_GPCM)
    for (int k = 0; k < MIN (estimate->n_steps, truth->n_steps); k++)
      {
        *b_sq += (estimate->steps[k] - truth->steps[k]) * (estimate->steps[k] - truth->steps[k]);
        (*n_b)++;
      }
  else
    {
      *b_sq += (estimate->b - truth->b) * (estimate->b - truth->b);
      (*n_b)++;
    }
}

static double
root_mean (double sum, int n)
{
  return n > 0 ? sqrt (sum / n) : NAN;
}

static int
compare_ints (const void *a, const void *b)
{
  return *(const int *) a - *(const int *) b;
}

static gboolean
same_params (const RsIrtParams *x, const RsIrtParams *y)
{
  if (x->a != y->a || x->model != y->model)
    return FALSE;
  if (x->model == RS_MODEL_GPCM)
    return memcmp (x->steps, y->steps, sizeof (double) * x->n_steps) == 0;
  return x->b == y->b && x->c == y->c;
}

static void
fill_recovery (Study *study)
{
  RsStudyReport *report = study->report;

  for (int k = 0; k < study->n_skills; k++)
    {
      RsSkill skill = study->skills[k];
      RsStudyRecovery *rec = &report->recovery[skill];
      g_autoptr (GArray) answers = g_array_new (FALSE, FALSE, sizeof (int));
      double sq[4][2] = { { 0 } };
      int n[4][2] = { { 0 } };

      for (guint i = 0; i < report->calibration->items->len; i++)
        {
          const RsCalibrationItem *it = g_ptr_array_index (report->calibration->items, i);
          const RsIrtParams *truth = g_hash_table_lookup (report->true_params, it->item_id);
          const RsItem *item = rs_bank_lookup (study->bank, it->item_id);

          if (it->skill != skill || truth == NULL || item == NULL)
            continue;
          rec->n_items++;
          rec->n_calibrated += it->status == RS_ITEM_CALIBRATED;
          rec->n_provisional += it->status == RS_ITEM_PROVISIONAL;
          rec->n_flagged += it->status == RS_ITEM_FLAGGED;
          rec->n_changed += !same_params (&item->irt, &it->old_params);
          g_array_append_val (answers, it->n);
          add_distance (&it->old_params, truth, &sq[0][0], &sq[0][1], &n[0][0], &n[0][1]);
          if (!rs_bank_is_withheld (study->bank, it->item_id))
            add_distance (&item->irt, truth, &sq[1][0], &sq[1][1], &n[1][0], &n[1][1]);
          if (it->status == RS_ITEM_CALIBRATED)
            add_distance (&it->params, truth, &sq[2][0], &sq[2][1], &n[2][0], &n[2][1]);
          if (!it->anchor && it->n > 0)
            add_distance (&it->params, truth, &sq[3][0], &sq[3][1], &n[3][0], &n[3][1]);
        }
      if (answers->len > 0)
        {
          qsort (answers->data, answers->len, sizeof (int), compare_ints);
          rec->min_answers = g_array_index (answers, int, 0);
          rec->max_answers = g_array_index (answers, int, answers->len - 1);
          rec->median_answers = g_array_index (answers, int, answers->len / 2);
        }
      rec->a_rmse_start = root_mean (sq[0][0], n[0][0]);
      rec->b_rmse_start = root_mean (sq[0][1], n[0][1]);
      rec->a_rmse_in_force = root_mean (sq[1][0], n[1][0]);
      rec->b_rmse_in_force = root_mean (sq[1][1], n[1][1]);
      rec->a_rmse_calibrated = root_mean (sq[2][0], n[2][0]);
      rec->b_rmse_calibrated = root_mean (sq[2][1], n[2][1]);
      rec->a_rmse_estimated = root_mean (sq[3][0], n[3][0]);
      rec->b_rmse_estimated = root_mean (sq[3][1], n[3][1]);
    }
}

static double
seconds_since (gint64 start)
{
  return (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;
}

static gboolean
check_config (const RsStudyConfig *config, GError **error)
{
  gboolean any_mode = FALSE, any_skill = FALSE;

  for (int m = 0; m < RS_N_MODES; m++)
    any_mode |= config->modes[m];
  for (int s = 0; s < RS_N_SKILLS; s++)
    any_skill |= config->skills[s];
  if (config->n_people < 1 || config->n_people > 1000000 || !any_mode || !any_skill || config->min_responses < 1
      || config->retest_days < 0 || !(config->exposure_cap > 0) || config->n_threads < 0
      || !(config->perturbation.sd_a >= 0) || !(config->perturbation.sd_b >= 0)
      || !isfinite (config->perturbation.shift))
    {
      g_set_error (error, RS_ERROR, RS_ERROR_INVALID,
                   "study: need 1 to 1,000,000 people, a mode, a skill, min-responses >= 1, retest days >= 0, "
                   "an exposure cap above 0 and spreads of at least 0");
      return FALSE;
    }
  return TRUE;
}

static gboolean
study_run (Study *study, GError **error)
{
  const RsStudyConfig *config = study->config;
  RsStudyReport *report = study->report;
  gint64 start = g_get_monotonic_time ();

  if (!check_empty (study->store, error)
      /* Disposable data in bulk: no fsync per answer. The code path is the
       * kiosk's; only the disk's promise is dropped. */
      || !exec_sql (study->store, "PRAGMA synchronous=OFF", error))
    return FALSE;
  report->true_params = rs_perturb_bank (study->bank, RS_SKILL_INVALID, &config->perturbation, config->seed);
  if (!make_people (study, RS_STUDY_BEFORE, study->store, error)
      || !make_people (study, RS_STUDY_AFTER, study->store, error))
    return FALSE;
  report->seconds_setup = seconds_since (start);

  start = g_get_monotonic_time ();
  if (!run_phase (study, RS_STUDY_BEFORE, study->store, error))
    return FALSE;
  fill_cells (study, RS_STUDY_BEFORE);
  report->seconds[RS_STUDY_BEFORE] = seconds_since (start);

  start = g_get_monotonic_time ();
  report->calibration = rs_calibration_run (study->store, study->bank, rs_people_operator (), config->min_responses,
                                            NULL, error);
  if (report->calibration == NULL || !rs_calibration_apply (study->store, report->calibration, rs_people_operator (), error)
      || !rs_calibration_apply_to_bank (study->store, study->bank, error))
    return FALSE;
  report->seconds_calibration = seconds_since (start);
  fill_recovery (study);

  study_time += (gint64) config->retest_days * 24 * 3600 * G_USEC_PER_SEC;
  start = g_get_monotonic_time ();
  if (!run_phase (study, RS_STUDY_AFTER, study->store, error))
    return FALSE;
  fill_cells (study, RS_STUDY_AFTER);
  report->seconds[RS_STUDY_AFTER] = seconds_since (start);

  if (config->ceiling)
    {
      /* The true parameters in force for every item, none withheld: what a
       * perfect calibration would give, on a kiosk that had them from the
       * start (a database of its own, so exposure counts from zero). */
      g_autoptr (RsStore) fresh = rs_store_open (":memory:", error);
      GHashTableIter iter;
      gpointer id, params;

      if (fresh == NULL || !make_people (study, RS_STUDY_CEILING, fresh, error))
        return FALSE;
      g_hash_table_iter_init (&iter, report->true_params);
      while (g_hash_table_iter_next (&iter, &id, &params))
        {
          rs_bank_set_params (study->bank, id, params);
          rs_bank_set_withheld (study->bank, id, FALSE);
        }
      start = g_get_monotonic_time ();
      if (!run_phase (study, RS_STUDY_CEILING, fresh, error))
        return FALSE;
      fill_cells (study, RS_STUDY_CEILING);
      report->seconds[RS_STUDY_CEILING] = seconds_since (start);
    }
  return exec_sql (study->store, "PRAGMA synchronous=FULL", error) && rs_store_checkpoint (study->store, error);
}

RsStudyReport *
rs_study_run (RsStore *store, RsBank *bank, const RsStudyConfig *config, RsStudyProgress progress, gpointer user_data,
              GError **error)
{
  g_autoptr (RsStudyReport) report = g_new0 (RsStudyReport, 1);
  Study study = { store, bank, config, report };
  gboolean ok;

  g_return_val_if_fail (store != NULL && bank != NULL && config != NULL, NULL);
  if (!check_config (config, error))
    return NULL;
  report->config = *config;
  report->n_threads = config->n_threads > 0 ? config->n_threads : (int) g_get_num_processors ();
  report->n_threads = CLAMP (report->n_threads, 1, 8);
  study.progress = progress;
  study.user_data = user_data;
  for (int s = 0; s < RS_N_SKILLS; s++)
    if (config->skills[s])
      {
        const GPtrArray *items = rs_bank_skill_items (bank, (RsSkill) s);

        if (items->len == 0)
          {
            g_set_error (error, RS_ERROR, RS_ERROR_EMPTY_BANK, "study: the bank has no %s items",
                         rs_skill_id ((RsSkill) s));
            return NULL;
          }
        study.skills[study.n_skills++] = (RsSkill) s;
        study.position[s] = g_hash_table_new (g_str_hash, g_str_equal);
        for (guint i = 0; i < items->len; i++)
          g_hash_table_insert (study.position[s], ((const RsItem *) g_ptr_array_index (items, i))->id,
                               GUINT_TO_POINTER (i + 1));
        for (int phase = 0; phase < RS_STUDY_N_PHASES; phase++)
          for (int m = 0; m <= RS_N_MODES; m++)
            study.sums[phase][s][m].shown = g_new0 (guint, items->len);
      }
  for (int m = 0; m < RS_N_MODES; m++)
    if (config->modes[m])
      study.modes[study.n_modes++] = (RsMode) m;

  study_time = g_get_real_time ();
  rs_store_set_clock (study_clock);
  ok = study_run (&study, error);
  rs_store_set_clock (NULL);

  for (int phase = 0; phase < RS_STUDY_N_PHASES; phase++)
    {
      for (int i = 0; study.people[phase] != NULL && i < config->n_people; i++)
        person_clear (&study.people[phase][i]);
      g_free (study.people[phase]);
    }
  for (int s = 0; s < RS_N_SKILLS; s++)
    {
      g_clear_pointer (&study.position[s], g_hash_table_unref);
      for (int phase = 0; phase < RS_STUDY_N_PHASES; phase++)
        for (int m = 0; m <= RS_N_MODES; m++)
          g_free (study.sums[phase][s][m].shown);
    }
  return ok ? g_steal_pointer (&report) : NULL;
}

/* --- the table --- */

/* Three decimals, or a dash where there was nothing to measure. */
static const char *
decimals3 (char *buffer, gsize size, double value)
{
  if (isnan (value))
    return "–";
  g_snprintf (buffer, size, "%.3f", value);
  return buffer;
}

static const char *
mode_name (int m)
{
  return m < RS_N_MODES ? rs_mode_id ((RsMode) m) : "all";
}

char *
rs_study_report_format (const RsStudyReport *report)
{
  const RsStudyConfig *config = &report->config;
  GString *out = g_string_new (NULL);
  g_autoptr (GString) modes = g_string_new (NULL);
  g_autoptr (GString) skills = g_string_new (NULL);
  int n_modes = 0, calibrated = 0, changed = 0;

  for (int m = 0; m < RS_N_MODES; m++)
    if (config->modes[m])
      {
        g_string_append_printf (modes, "%s%s", modes->len > 0 ? "," : "", rs_mode_id ((RsMode) m));
        n_modes++;
      }
  for (int s = 0; s < RS_N_SKILLS; s++)
    if (config->skills[s])
      g_string_append_printf (skills, "%s%s", skills->len > 0 ? "," : "", rs_skill_id ((RsSkill) s));

  g_string_append_printf (out, "# Calibration study: seed %u, %d people per phase, modes %s%s, skills %s\n\n",
                          config->seed, config->n_people, modes->str, n_modes > 1 ? " (in rotation)" : "", skills->str);
  g_string_append_printf (out,
                          "- True parameters: a × e^N(0, %.2f), b + N(0, %.2f) + %.2f (every step alike), c as in "
                          "force; seed %u.\n",
                          config->perturbation.sd_a, config->perturbation.sd_b, config->perturbation.shift, config->seed);
  g_string_append_printf (out,
                          "- Before: the live test (rs_assessment, exposure cap %.2f, pretest seeding) with the "
                          "starting parameters, answers drawn from the true ones.\n", config->exposure_cap);
  g_string_append_printf (out,
                          "- Calibration: rs_calibration_run on the stored answers, min-responses %d, then "
                          "rs_calibration_apply and rs_calibration_apply_to_bank.\n", config->min_responses);
  if (config->retest == RS_STUDY_RETEST_RETURNING)
    g_string_append_printf (out,
                            "- After: the same people, %d days later, with their returning prior (centred on the "
                            "first result), the calibration in force.\n", config->retest_days);
  else
    g_string_append (out, "- After: new people from the same population (N(0, 1) prior), the calibration in force.\n");
  g_string_append_printf (out,
                          "- Time: setup %.1f s; before %.1f s (%d answers); calibration %.1f s; after %.1f s "
                          "(%d answers)",
                          report->seconds_setup, report->seconds[RS_STUDY_BEFORE], report->n_answers[RS_STUDY_BEFORE],
                          report->seconds_calibration, report->seconds[RS_STUDY_AFTER],
                          report->n_answers[RS_STUDY_AFTER]);
  if (config->ceiling)
    g_string_append_printf (out, "; ceiling %.1f s (%d answers)", report->seconds[RS_STUDY_CEILING],
                            report->n_answers[RS_STUDY_CEILING]);
  g_string_append_printf (out, "; %d threads.\n\n", report->n_threads);

  g_string_append (out, "| skill | mode | people | items (+ pretest) | RMSE | mean SE | 80% band coverage "
                        "| exact level | max exposure | bank used |\n"
                        "|---|---|---|---|---|---|---|---|---|---|\n");
  for (int s = 0; s < RS_N_SKILLS; s++)
    for (int m = 0; config->skills[s] && m <= RS_N_MODES; m++)
      {
        const RsStudyCell *b = &report->cells[RS_STUDY_BEFORE][s][m];
        const RsStudyCell *a = &report->cells[RS_STUDY_AFTER][s][m];

        if ((m < RS_N_MODES && !config->modes[m]) || (m == RS_N_MODES && n_modes < 2))
          continue;
        g_string_append_printf (out,
                                "| %s | %s | %d | %.2f (+%.2f) → %.2f (+%.2f) | %.3f → %.3f | %.3f → %.3f "
                                "| %.1f%% → %.1f%% | %.1f%% → %.1f%% | %.3f → %.3f | %d/%d → %d/%d |\n",
                                rs_skill_id ((RsSkill) s), mode_name (m), a->n_people, b->mean_items, b->mean_pretest,
                                a->mean_items, a->mean_pretest, b->rmse, a->rmse, b->mean_se, a->mean_se,
                                100 * b->coverage, 100 * a->coverage, 100 * b->exact_level, 100 * a->exact_level,
                                b->max_exposure, a->max_exposure, b->n_items_used, b->n_items_askable,
                                a->n_items_used, a->n_items_askable);
      }

  if (config->ceiling)
    {
      g_string_append (out, "\nThe ceiling: new people, the true parameters in force (what a perfect calibration "
                            "would give with this bank and these rules):\n\n"
                            "| skill | mode | people | items (+ pretest) | RMSE | mean SE | 80% band coverage "
                            "| exact level | max exposure | bank used |\n"
                            "|---|---|---|---|---|---|---|---|---|---|\n");
      for (int s = 0; s < RS_N_SKILLS; s++)
        for (int m = 0; config->skills[s] && m <= RS_N_MODES; m++)
          {
            const RsStudyCell *c = &report->cells[RS_STUDY_CEILING][s][m];

            if ((m < RS_N_MODES && !config->modes[m]) || (m == RS_N_MODES && n_modes < 2))
              continue;
            g_string_append_printf (out, "| %s | %s | %d | %.2f (+%.2f) | %.3f | %.3f | %.1f%% | %.1f%% | %.3f | %d/%d |\n",
                                    rs_skill_id ((RsSkill) s), mode_name (m), c->n_people, c->mean_items,
                                    c->mean_pretest, c->rmse, c->mean_se, 100 * c->coverage, 100 * c->exact_level,
                                    c->max_exposure, c->n_items_used, c->n_items_askable);
          }
    }

  g_string_append (out, "\nCalibration against the true parameters (b counts every step of a partial-credit "
                        "item; \"in force\": the parameters the test used after, withheld items left out):\n\n"
                        "| skill | items | calibrated / provisional / flagged | answers per item: median (min–max) "
                        "| a RMSE: start → in force | b RMSE: start → in force | calibrated items' estimates: "
                        "a RMSE, b RMSE | every estimate: a RMSE, b RMSE |\n"
                        "|---|---|---|---|---|---|---|---|\n");
  for (int s = 0; s < RS_N_SKILLS; s++)
    {
      const RsStudyRecovery *r = &report->recovery[s];

      if (!config->skills[s])
        continue;
      calibrated += r->n_calibrated;
      changed += r->n_changed;
      char v[8][16];

      g_string_append_printf (out,
                              "| %s | %d | %d / %d / %d | %d (%d–%d) | %s → %s | %s → %s | %s, %s | %s, %s |\n",
                              rs_skill_id ((RsSkill) s), r->n_items, r->n_calibrated, r->n_provisional, r->n_flagged,
                              r->median_answers, r->min_answers, r->max_answers,
                              decimals3 (v[0], 16, r->a_rmse_start), decimals3 (v[1], 16, r->a_rmse_in_force),
                              decimals3 (v[2], 16, r->b_rmse_start), decimals3 (v[3], 16, r->b_rmse_in_force),
                              decimals3 (v[4], 16, r->a_rmse_calibrated), decimals3 (v[5], 16, r->b_rmse_calibrated),
                              decimals3 (v[6], 16, r->a_rmse_estimated), decimals3 (v[7], 16, r->b_rmse_estimated));
    }
  if (report->calibration != NULL && report->calibration->summary != NULL)
    g_string_append_printf (out, "\n```\n%s```\n", report->calibration->summary);
  g_string_append_printf (out,
                          "\nstudy: seed=%u people=%d calibrated=%d changed=%d answers_before=%d answers_after=%d "
                          "unearnable=%d seconds_before=%.1f seconds_calibration=%.1f seconds_after=%.1f\n",
                          config->seed, config->n_people, calibrated, changed, report->n_answers[RS_STUDY_BEFORE],
                          report->n_answers[RS_STUDY_AFTER], report->n_unearnable, report->seconds[RS_STUDY_BEFORE],
                          report->seconds_calibration, report->seconds[RS_STUDY_AFTER]);
  return g_string_free (out, FALSE);
}
