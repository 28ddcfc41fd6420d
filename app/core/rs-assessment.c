/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n-lib.h>
#include <string.h>

#include "rs-assessment.h"
#include "rs-error.h"
#include "rs-store-private.h"
#include "rs-i18n.h"

/* Items answered this recently are avoided in a new attempt. */
#define RECENT_DAYS 30

struct _RsAssessment {
  RsStore *store;
  const RsBank *bank;
  RsAttempt *attempt;
  RsCat *cat;
  GHashTable *recent;        /* ids to avoid; may be NULL */
  GHashTable *provisional;   /* ids of items that may be pretested */
  RsItemUsage *usage;        /* how often items were shown before */
  RsAssessmentOptions options;  /* uuid not kept */
};

void
rs_assessment_options_init (RsAssessmentOptions *options)
{
  *options = (RsAssessmentOptions) { 0 };
}

/* Items the CAT should avoid: those the person saw recently (by the
 * store's clock, which stamped the answers). Withheld items need no
 * mention here: the CAT never asks them. NULL with error set on a
 * database error. */
static GHashTable *
recent_items (RsStore *store, gint64 person_id, GError **error)
{
  if (person_id == 0)
    return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return rs_store_recent_item_ids (store, person_id,
                                   rs_store_now () - (gint64) RECENT_DAYS * 24 * 3600 * G_USEC_PER_SEC, error);
}

/* Pretest seeding's inputs, in one place: which items are provisional, and
 * how often each item was shown (which is also what the exposure cap reads),
 * from the store's running totals. */
static gboolean
pretest_inputs (RsStore *store, const RsBank *bank, GHashTable **provisional, RsItemUsage **usage,
                GError **error)
{
  *usage = rs_store_item_usage (store, error);
  if (*usage == NULL)
    return FALSE;
  *provisional = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < rs_bank_n_items (bank); i++)
    {
      const RsItem *item = rs_bank_item (bank, i);
      /* Provisional: no calibrated parameters yet (rs_calibration puts the
       * estimates of items with enough answers in force). An item an
       * administrator withheld is not tried out either. */
      if (!item->irt_given && !rs_bank_is_withheld (bank, item->id))
        g_hash_table_add (*provisional, item->id);
    }
  return TRUE;
}

/* A new CAT for the attempt, with its priors, the exposure rates and the
 * items that may be pretested. */
static RsCat *
make_cat (const RsAssessment *self)
{
  const RsAttempt *attempt = self->attempt;
  RsCatConfig config;
  RsCat *cat;

  rs_cat_config_init (&config, attempt->mode);
  if (self->options.exposure_cap > 0)
    config.exposure_cap = self->options.exposure_cap;
  for (int s = 0; s < RS_N_SKILLS; s++)
    if (attempt->prior_sd[s] > 0)
      rs_cat_config_set_prior (&config, (RsSkill) s, attempt->prior_mean[s], attempt->prior_sd[s]);
  cat = rs_cat_new (self->bank, attempt->skills, attempt->n_skills, &config, self->recent, attempt->seed);
  rs_cat_set_usage (cat, self->usage);
  rs_cat_set_pretest_items (cat, self->provisional);
  return cat;
}

/* Builds the CAT from the stored answers: used to resume, and to undo an
 * answer whose commit failed. Items no longer in the bank (it was edited
 * since) are skipped: their information is lost but the attempt goes on.
 * Pretest answers are replayed unscored, as they were given. */
static RsCat *
replay (const RsAssessment *self)
{
  const RsAttempt *attempt = self->attempt;
  RsCat *cat = make_cat (self);
  const RsItem *pending;

  for (guint i = 0; i < attempt->responses->len; i++)
    {
      const RsResponse *r = &g_array_index (attempt->responses, RsResponse, i);
      const RsItem *item = rs_bank_lookup (self->bank, r->item_id);
      if (item == NULL || rs_cat_state_for_skill (cat, item->skill) == NULL)
        continue;
      if (r->unscored)
        rs_cat_record_unscored (cat, item, r->score);
      else
        rs_cat_record (cat, item, r->score);
    }
  /* Put back the question that was on screen, so a resume shows it again. */
  pending = rs_bank_lookup (self->bank, attempt->pending_item_id);
  if (pending != NULL)
    {
      if (attempt->pending_unscored)
        rs_cat_set_current_pretest_item (cat, pending);
      else
        rs_cat_set_current_item (cat, pending);
    }
  return cat;
}

/* The prior for each skill: a person's last result in it, widened for the
 * time passed (rs_ability_returning_prior); N(0, 1) for a guest or a first
 * time in the skill. Practice results are never a prior: the prior is
 * stored with the attempt and travels with it, and would tell a manager
 * what the person practised (issue 14). */
static gboolean
set_priors (RsStore *store, RsAttempt *attempt, GError **error)
{
  g_autoptr (GPtrArray) past = NULL;
  RsAbilityConfig population;
  /* The clock that stamped the earlier results. */
  gint64 now = rs_store_now ();

  rs_ability_config_init (&population);
  for (int s = 0; s < RS_N_SKILLS; s++)
    {
      attempt->prior_mean[s] = population.prior_mean;
      attempt->prior_sd[s] = population.prior_sd;
    }
  if (attempt->person_id == 0)
    return TRUE;
  past = rs_store_list_finished (store, attempt->person_id, error);
  if (past == NULL)
    return FALSE;
  for (int i = 0; i < attempt->n_skills; i++)
    {
      RsSkill skill = attempt->skills[i];

      /* Oldest first: the last one that measured the skill wins. */
      for (guint a = past->len; a-- > 0;)
        {
          const RsAttempt *earlier = g_ptr_array_index (past, a);
          const RsSkillResult *found = NULL;

          if (earlier->practice)
            continue;
          for (guint r = 0; r < earlier->results->len && found == NULL; r++)
            if (g_array_index (earlier->results, RsSkillResult, r).skill == skill)
              found = &g_array_index (earlier->results, RsSkillResult, r);
          if (found == NULL)
            continue;
          rs_ability_returning_prior (found->theta, found->se,
                                      (double) MAX (now - earlier->finished_at, 0) / (365.25 * 24 * 3600 * G_USEC_PER_SEC),
                                      population.prior_sd, &attempt->prior_mean[skill], &attempt->prior_sd[skill]);
          break;
        }
    }
  return TRUE;
}

/* Every skill has an item that may be asked (not withheld). */
static gboolean
check_bank (const RsBank *bank, const RsSkill *skills, int n_skills, GError **error)
{
  for (int i = 0; i < n_skills; i++)
    {
      const GPtrArray *items = rs_bank_skill_items (bank, skills[i]);
      guint askable = 0;

      for (guint j = 0; j < items->len && askable == 0; j++)
        askable += !rs_bank_is_withheld (bank, ((const RsItem *) g_ptr_array_index (items, j))->id);
      if (askable == 0)
        {
          g_set_error (error, RS_ERROR, RS_ERROR_EMPTY_BANK,
                       "The question bank has no %s questions. Ask an administrator to check the "
                       "question folder, or choose other skills.", rs_skill_title (skills[i]));
          return FALSE;
        }
    }
  return TRUE;
}

RsAssessment *
rs_assessment_start (RsStore *store, const RsBank *bank, gint64 person_id, RsMode mode,
                     const RsSkill *skills, int n_skills, const RsLevel *self_level,
                     guint32 seed, GError **error)
{
  return rs_assessment_start_full (store, bank, person_id, mode, skills, n_skills, self_level, seed, NULL, error);
}

RsAssessment *
rs_assessment_start_full (RsStore *store, const RsBank *bank, gint64 person_id, RsMode mode,
                          const RsSkill *skills, int n_skills, const RsLevel *self_level,
                          guint32 seed, const RsAssessmentOptions *options, GError **error)
{
  g_autoptr (RsAssessment) self = g_new0 (RsAssessment, 1);
  RsAttempt *attempt;
  const RsItem *first;
  GError *local = NULL;

  g_return_val_if_fail (n_skills >= 1 && n_skills <= RS_N_SKILLS, NULL);
  g_return_val_if_fail (mode >= 0 && mode < RS_N_MODES, NULL);
  if (!check_bank (bank, skills, n_skills, error))
    return NULL;
  if (options != NULL && options->practice && person_id == 0)
    {
      g_set_error_literal (error, RS_ERROR, RS_ERROR_INVALID,
                           _("Practice is for people who sign in: a guest's assessment is anonymous already."));
      return NULL;
    }

  self->store = store;
  self->bank = bank;
  if (options != NULL)
    self->options = (RsAssessmentOptions) { .exposure_cap = options->exposure_cap };
  self->recent = recent_items (store, person_id, &local);
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return NULL;
    }
  if (!pretest_inputs (store, bank, &self->provisional, &self->usage, error))
    return NULL;
  /* A new assessment sets aside the unfinished ones, so that only this one
   * is offered for resuming later. */
  for (;;)
    {
      g_autofree char *earlier = rs_store_find_resumable (store, person_id, error);
      if (earlier == NULL)
        break;
      if (!rs_store_abandon_attempt (store, earlier, error))
        return NULL;
    }
  if (error != NULL && *error != NULL)
    return NULL;
  self->attempt = attempt = rs_attempt_new ();
  attempt->uuid = g_strdup (options != NULL ? options->uuid : NULL);
  attempt->person_id = person_id;
  attempt->practice = options != NULL && options->practice;
  attempt->mode = mode;
  attempt->n_skills = n_skills;
  for (int i = 0; i < n_skills; i++)
    attempt->skills[i] = skills[i];
  for (int s = 0; s < RS_N_SKILLS; s++)
    attempt->self_level[s] = RS_LEVEL_INVALID;
  for (int i = 0; self_level != NULL && i < n_skills; i++)
    attempt->self_level[skills[i]] = self_level[i];
  attempt->seed = seed != 0 ? seed : g_random_int ();
  attempt->bank_version = g_strdup (rs_bank_version (bank));
  if (!set_priors (store, attempt, error))
    return NULL;

  self->cat = make_cat (self);
  first = rs_cat_current_item (self->cat);
  attempt->pending_item_id = g_strdup (first ? first->id : NULL);
  attempt->pending_unscored = rs_cat_current_is_pretest (self->cat);
  if (!rs_store_begin_attempt (store, attempt, error))
    return NULL;
  return g_steal_pointer (&self);
}

RsAssessment *
rs_assessment_resume (RsStore *store, const RsBank *bank, const char *uuid, GError **error)
{
  return rs_assessment_resume_full (store, bank, uuid, NULL, error);
}

RsAssessment *
rs_assessment_resume_full (RsStore *store, const RsBank *bank, const char *uuid, const RsAssessmentOptions *options,
                           GError **error)
{
  g_autoptr (RsAssessment) self = g_new0 (RsAssessment, 1);
  GError *local = NULL;

  self->store = store;
  self->bank = bank;
  if (options != NULL)
    self->options = (RsAssessmentOptions) { .exposure_cap = options->exposure_cap };
  self->attempt = rs_store_load_attempt (store, uuid, error);
  if (self->attempt == NULL)
    return NULL;
  if (self->attempt->status == RS_ATTEMPT_FINISHED)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_INVALID, _("This assessment is already finished."));
      return NULL;
    }
  if (!check_bank (bank, self->attempt->skills, self->attempt->n_skills, error))
    return NULL;
  self->recent = recent_items (store, self->attempt->person_id, &local);
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return NULL;
    }
  if (!pretest_inputs (store, bank, &self->provisional, &self->usage, error))
    return NULL;
  self->cat = replay (self);
  return g_steal_pointer (&self);
}

void
rs_assessment_free (RsAssessment *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->cat, rs_cat_free);
  g_clear_pointer (&self->attempt, rs_attempt_free);
  g_clear_pointer (&self->recent, g_hash_table_unref);
  g_clear_pointer (&self->provisional, g_hash_table_unref);
  g_clear_pointer (&self->usage, rs_item_usage_free);
  g_free (self);
}

const char *
rs_assessment_uuid (const RsAssessment *self)
{
  return self->attempt->uuid;
}

const RsAttempt *
rs_assessment_attempt (const RsAssessment *self)
{
  return self->attempt;
}

const RsCat *
rs_assessment_cat (const RsAssessment *self)
{
  return self->cat;
}

const RsItem *
rs_assessment_current_item (RsAssessment *self)
{
  return rs_cat_current_item (self->cat);
}

int
rs_assessment_next_seq (const RsAssessment *self)
{
  return (int) self->attempt->responses->len + 1;
}

gboolean
rs_assessment_submit (RsAssessment *self, const RsAnswer *answer, int time_ms, int *score_out,
                      GError **error)
{
  const RsItem *item = rs_cat_current_item (self->cat);
  const RsItem *next;
  const RsCatSkillState *state;
  RsResponse response = { 0 };
  g_autofree char *text = NULL;
  gboolean pretest, next_pretest;
  int score;

  if (item == NULL)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_INVALID, _("The assessment is over: there is no question to answer."));
      return FALSE;
    }
  score = rs_item_score (item, answer);
  text = rs_answer_to_string (item, answer);
  pretest = rs_cat_current_is_pretest (self->cat);

  /* Update the estimate and choose the next item first, so that the answer
   * and the item that follows it are committed together. A pretest answer
   * changes nothing but the items left. */
  rs_cat_record (self->cat, item, score);
  next = rs_cat_current_item (self->cat);
  next_pretest = rs_cat_current_is_pretest (self->cat);
  state = rs_cat_state_for_skill (self->cat, item->skill);

  response.seq = rs_assessment_next_seq (self);
  response.item_id = item->id;
  response.skill = item->skill;
  response.answer = text;
  response.score = score;
  response.max_score = rs_item_max_score (item);
  response.theta = state->theta;
  response.se = state->se;
  response.time_ms = MAX (time_ms, 0);
  response.answered_at = 0;   /* the store stamps it with its clock */
  response.unscored = pretest;

  if (!rs_store_record_answer_full (self->store, self->attempt->uuid, &response, next ? next->id : NULL,
                                    next_pretest, error))
    {
      /* Nothing was written: rebuild the CAT as it was, with the same item
       * current, so the person can submit the same answer again. */
      rs_cat_free (self->cat);
      self->cat = replay (self);
      if (pretest)
        rs_cat_set_current_pretest_item (self->cat, item);
      else
        rs_cat_set_current_item (self->cat, item);
      return FALSE;
    }

  response.item_id = g_strdup (item->id);
  response.answer = g_steal_pointer (&text);
  g_array_append_val (self->attempt->responses, response);
  g_free (self->attempt->pending_item_id);
  self->attempt->pending_item_id = g_strdup (next ? next->id : NULL);
  self->attempt->pending_unscored = next_pretest;
  if (score_out != NULL)
    *score_out = score;
  return TRUE;
}

gboolean
rs_assessment_is_finished (const RsAssessment *self)
{
  return rs_cat_is_finished (self->cat);
}

gboolean
rs_assessment_finish (RsAssessment *self, GError **error)
{
  RsSkillResult results[RS_N_SKILLS];
  int n = rs_cat_n_skills (self->cat);

  if (self->attempt->status == RS_ATTEMPT_FINISHED)
    return TRUE;
  if (!rs_cat_is_finished (self->cat))
    {
      g_set_error (error, RS_ERROR, RS_ERROR_INVALID, _("Some skills still have questions to answer."));
      return FALSE;
    }
  for (int i = 0; i < n; i++)
    {
      const RsCatSkillState *state = rs_cat_skill_state (self->cat, i);
      results[i] = (RsSkillResult) {
        .skill = state->skill,
        .theta = state->theta,
        .se = state->se,
        .n_items = state->n_items,
        .level = state->level.most_likely,
        .has_level_probability = TRUE,
      };
      g_strlcpy (results[i].calibration, rs_bank_calibration (self->bank) ? rs_bank_calibration (self->bank) : "",
                 sizeof results[i].calibration);
      results[i].se_provisional = rs_assessment_se_provisional (self->bank, self->attempt, state->skill);
      memcpy (results[i].level_probability, state->level.probability, sizeof results[i].level_probability);
    }
  if (!rs_store_finish_attempt (self->store, self->attempt->uuid, results, n, error))
    return FALSE;
  /* A quiet moment: the results are safe, the next person has not started.
   * A checkpoint that fails changes nothing stored; it is tried again next time. */
  {
    g_autoptr (GError) checkpoint_error = NULL;
    if (!rs_store_checkpoint (self->store, &checkpoint_error))
      g_debug ("checkpoint after an assessment: %s", checkpoint_error->message);
  }
  self->attempt->status = RS_ATTEMPT_FINISHED;
  self->attempt->finished_at = rs_store_now ();
  g_array_set_size (self->attempt->results, 0);
  g_array_append_vals (self->attempt->results, results, n);
  return TRUE;
}

/* Unscored pretest answers do not count here: they are not part of the
 * estimate. */
gboolean
rs_assessment_se_provisional (const RsBank *bank, const RsAttempt *attempt, RsSkill skill)
{
  for (guint i = 0; i < attempt->responses->len; i++)
    {
      const RsResponse *r = &g_array_index (attempt->responses, RsResponse, i);
      const RsItem *item = r->skill == skill && !r->unscored ? rs_bank_lookup (bank, r->item_id) : NULL;
      if (item != NULL && !item->irt_given)
        return TRUE;
    }
  return FALSE;
}

void
rs_assessment_estimates (const RsAssessment *self, RsSkillEstimate estimates[RS_N_SKILLS])
{
  for (int s = 0; s < RS_N_SKILLS; s++)
    estimates[s] = (RsSkillEstimate) { .measured = FALSE, .theta = 0.0, .se = 1.0 };
  for (int i = 0; i < rs_cat_n_skills (self->cat); i++)
    {
      const RsCatSkillState *state = rs_cat_skill_state (self->cat, i);
      if (state->n_items > 0)
        estimates[state->skill] = (RsSkillEstimate) { TRUE, state->theta, state->se };
    }
}
