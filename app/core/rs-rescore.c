/* SPDX-License-Identifier: GPL-3.0-or-later */
/* See rs-rescore.h. This replays into RsAbility directly, not through
 * RsCat: selection and stopping do not change the numbers, and the CAT's
 * own update (rs_cat_record) is exactly this add-then-estimate. */
#include "rs-rescore.h"


#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "rs-error.h"

void
rs_rescore_inputs_init (RsRescoreInputs *inputs, RsMode mode)
{
  RsCatConfig config;

  rs_cat_config_init (&config, mode >= 0 && mode < RS_N_MODES ? mode : RS_MODE_STANDARD);
  *inputs = (RsRescoreInputs) { 0 };
  for (int s = 0; s < RS_N_SKILLS; s++)
    inputs->prior[s] = config.ability;
}

void
rs_rescore_inputs_init_for_attempt (RsRescoreInputs *inputs, const RsAttempt *attempt)
{
  rs_rescore_inputs_init (inputs, attempt->mode);
  /* A returning person's prior was centred on their last result; the
   * attempt keeps it (sd 0: the population prior). */
  for (int s = 0; s < RS_N_SKILLS; s++)
    if (attempt->prior_sd[s] > 0)
      {
        inputs->prior[s].prior_mean = attempt->prior_mean[s];
        inputs->prior[s].prior_sd = attempt->prior_sd[s];
      }
}

void
rs_rescore_clear (RsRescore *rescore)
{
  if (rescore == NULL)
    return;
  g_clear_pointer (&rescore->responses, g_array_unref);
  rescore->n_results = 0;
}

static int
slot_of (const RsAttempt *attempt, RsSkill skill)
{
  for (int i = 0; i < attempt->n_skills; i++)
    if (attempt->skills[i] == skill)
      return i;
  return -1;
}

gboolean
rs_attempt_rescore (const RsAttempt *attempt, const RsBank *bank, const RsRescoreInputs *inputs,
                    RsRescore *rescore, GError **error)
{
  RsAbility *ability = g_new0 (RsAbility, RS_N_SKILLS);
  int n_items[RS_N_SKILLS] = { 0 };
  RsRescoreInputs defaults;
  gboolean ok = TRUE;

  g_return_val_if_fail (attempt != NULL && bank != NULL && rescore != NULL, FALSE);
  if (inputs == NULL)
    {
      rs_rescore_inputs_init_for_attempt (&defaults, attempt);
      inputs = &defaults;
    }
  *rescore = (RsRescore) { 0 };
  rescore->responses = g_array_new (FALSE, TRUE, sizeof (RsRescoredResponse));
  for (int i = 0; i < attempt->n_skills; i++)
    rs_ability_init (&ability[i], &inputs->prior[attempt->skills[i]]);

  for (guint i = 0; ok && i < attempt->responses->len; i++)
    {
      const RsResponse *r = &g_array_index (attempt->responses, RsResponse, i);
      const RsItem *item = rs_bank_lookup (bank, r->item_id);
      g_autoptr (GError) parse_error = NULL;
      RsRescoredResponse out = { 0 };
      const RsIrtParams *params;
      RsAnswer answer;
      int slot;

      if (item == NULL)
        {
          g_set_error (error, RS_ERROR, RS_ERROR_INVALID, _("answer %d is to item \"%s\", which the question bank "
                       "it was scored with does not have"), r->seq, r->item_id);
          ok = FALSE;
          break;
        }
      slot = slot_of (attempt, item->skill);
      if (slot < 0 || item->skill != r->skill)
        {
          g_set_error (error, RS_ERROR, RS_ERROR_INVALID, _("answer %d is to item \"%s\" of %s, a skill the attempt "
                       "does not test there"), r->seq, r->item_id, rs_skill_title (item->skill));
          ok = FALSE;
          break;
        }
      if (!inputs->stored_scores && !rs_answer_parse (item, r->answer, &answer, &parse_error))
        {
          g_set_error (error, RS_ERROR, RS_ERROR_INVALID, _("answer %d to item \"%s\" cannot be an answer to it (%s)"),
                       r->seq, r->item_id, parse_error->message);
          ok = FALSE;
          break;
        }
      params = inputs->item_params != NULL ? inputs->item_params (item, inputs->item_params_data) : &item->irt;
      out.score = inputs->stored_scores ? r->score : rs_item_score (item, &answer);
      out.max_score = rs_item_max_score (item);
      /* As rs_cat_record does: the likelihood of the clamped score. A
       * pretest answer is kept for calibration and changes nothing: the
       * skill's estimate after it is the estimate before it. */
      if (!r->unscored)
        {
          rs_ability_add_response (&ability[slot], params, CLAMP (out.score, 0, rs_irt_max_score (params)));
          n_items[slot]++;
        }
      rs_ability_estimate (&ability[slot], &out.theta, &out.se);
      g_array_append_val (rescore->responses, out);
    }
  if (ok)
    {
      rescore->n_results = attempt->n_skills;
      for (int i = 0; i < attempt->n_skills; i++)
        {
          RsSkillResult *result = &rescore->results[i];

          RsLevelDecision decision;

          result->skill = attempt->skills[i];
          rs_ability_estimate_full (&ability[i], &result->theta, &result->se, 0, &decision);
          result->n_items = n_items[i];
          /* As the assessment decides it: the most likely level. */
          result->level = decision.most_likely;
          result->has_level_probability = TRUE;
          memcpy (result->level_probability, decision.probability, sizeof result->level_probability);
        }
    }
  else
    rs_rescore_clear (rescore);
  g_free (ability);
  return ok;
}

static gboolean
close_enough (double claimed, double computed)
{
  return isfinite (claimed) && fabs (claimed - computed) <= RS_RESCORE_TOLERANCE * MAX (1.0, fabs (computed));
}

char *
rs_rescore_compare (const RsAttempt *attempt, const RsRescore *rescore)
{
  g_return_val_if_fail (attempt != NULL && rescore != NULL && rescore->responses != NULL, NULL);
  if (rescore->responses->len != attempt->responses->len)
    return g_strdup (_("the number of answers changed"));
  for (guint i = 0; i < attempt->responses->len; i++)
    {
      const RsResponse *r = &g_array_index (attempt->responses, RsResponse, i);
      const RsRescoredResponse *c = &g_array_index (rescore->responses, RsRescoredResponse, i);

      if (r->score != c->score || r->max_score != c->max_score)
        return g_strdup_printf (_("answer %d claims %d of %d, but \"%s\" earns %d of %d on item %s"), r->seq, r->score,
                                r->max_score, r->answer, c->score, c->max_score, r->item_id);
      if (!close_enough (r->theta, c->theta) || !close_enough (r->se, c->se))
        return g_strdup_printf (_("answer %d claims θ %.6g and SE %.6g after it, but the answers give %.6g and %.6g"),
                                r->seq, r->theta, r->se, c->theta, c->se);
    }
  if (attempt->status != RS_ATTEMPT_FINISHED)
    return NULL;
  for (int i = 0; i < rescore->n_results; i++)
    {
      const RsSkillResult *c = &rescore->results[i];
      const RsSkillResult *claimed = NULL;

      for (guint k = 0; k < attempt->results->len; k++)
        if (g_array_index (attempt->results, RsSkillResult, k).skill == c->skill)
          claimed = &g_array_index (attempt->results, RsSkillResult, k);
      if (claimed == NULL)
        return g_strdup_printf (_("is finished but has no %s result"), rs_skill_title (c->skill));
      if (claimed->n_items != c->n_items)
        return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "its %s result claims %d item, but it has %d answers in that skill",
                                             "its %s result claims %d items, but it has %d answers in that skill",
                                             (gulong) claimed->n_items),
                                rs_skill_title (c->skill), claimed->n_items, c->n_items);
      if (!close_enough (claimed->theta, c->theta) || !close_enough (claimed->se, c->se))
        return g_strdup_printf (_("its %s result claims θ %.6g and SE %.6g, but its answers give %.6g and %.6g"),
                                rs_skill_title (c->skill), claimed->theta, claimed->se, c->theta, c->se);
      if (claimed->has_level_probability)
        {
          for (int l = 0; l < RS_N_LEVELS; l++)
            if (!close_enough (claimed->level_probability[l], c->level_probability[l]))
              return g_strdup_printf (_("its %s result claims %s is %.4f likely, but its answers give %.4f"),
                                      rs_skill_title (c->skill), rs_level_name ((RsLevel) l),
                                      claimed->level_probability[l], c->level_probability[l]);
          if (claimed->level != c->level)
            return g_strdup_printf (_("its %s result claims the level %s, but the most likely level is %s"),
                                    rs_skill_title (c->skill), rs_level_name (claimed->level),
                                    rs_level_name (c->level));
        }
      /* Results from before level probabilities were kept named the level
       * at the estimate. */
      else if (claimed->level != rs_level_for_theta (c->theta))
        return g_strdup_printf (_("its %s result claims the level %s, but θ %.3f is %s"), rs_skill_title (c->skill),
                                rs_level_name (claimed->level), c->theta,
                                rs_level_name (rs_level_for_theta (c->theta)));
    }
  if ((int) attempt->results->len != rescore->n_results)
    return g_strdup (_("it has results for skills it does not test"));
  return NULL;
}
