/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <string.h>

#include "rs-topics.h"

static gint
verdict_order (RsTopicVerdict v)
{
  return v == RS_TOPIC_GAP ? 0 : v == RS_TOPIC_STRENGTH ? 1 : v == RS_TOPIC_AS_EXPECTED ? 2 : 3;
}

static gint
compare_topics (gconstpointer a, gconstpointer b)
{
  const RsTopicSummary *x = a, *y = b;
  if (verdict_order (x->verdict) != verdict_order (y->verdict))
    return verdict_order (x->verdict) - verdict_order (y->verdict);
  if (x->skill != y->skill)
    return (int) x->skill - (int) y->skill;
  return strcmp (x->subtopic, y->subtopic);
}

GArray *
rs_topic_summary (const RsAttempt *attempt, const RsBank *bank)
{
  GArray *topics = g_array_new (FALSE, TRUE, sizeof (RsTopicSummary));
  g_autoptr (GArray) variances = g_array_new (FALSE, TRUE, sizeof (double));
  double final_theta[RS_N_SKILLS] = { 0 };

  /* The final estimate per skill is the θ stored with its last answer. */
  for (guint i = 0; i < attempt->responses->len; i++)
    {
      const RsResponse *r = &g_array_index (attempt->responses, RsResponse, i);
      if (r->skill >= 0 && r->skill < RS_N_SKILLS)
        final_theta[r->skill] = r->theta;
    }

  for (guint i = 0; i < attempt->responses->len; i++)
    {
      const RsResponse *r = &g_array_index (attempt->responses, RsResponse, i);
      const RsItem *item = rs_bank_lookup (bank, r->item_id);
      double probs[RS_IRT_MAX_STEPS + 1], expected = 0, second = 0;
      RsTopicSummary *topic = NULL;
      guint t;

      if (item == NULL)
        continue;
      for (t = 0; t < topics->len; t++)
        {
          RsTopicSummary *candidate = &g_array_index (topics, RsTopicSummary, t);
          if (candidate->skill == item->skill && strcmp (candidate->subtopic, item->subtopic) == 0)
            {
              topic = candidate;
              break;
            }
        }
      if (topic == NULL)
        {
          RsTopicSummary fresh = { .skill = item->skill, .subtopic = item->subtopic };
          double zero = 0;
          g_array_append_val (topics, fresh);
          g_array_append_val (variances, zero);
          topic = &g_array_index (topics, RsTopicSummary, topics->len - 1);
        }
      rs_irt_category_probs (&item->irt, final_theta[item->skill], probs);
      for (int k = 0; k <= rs_irt_max_score (&item->irt); k++)
        {
          expected += k * probs[k];
          second += (double) k * k * probs[k];
        }
      topic->n_items++;
      topic->score += r->score;
      topic->max_score += r->max_score;
      topic->residual += r->score - expected;
      g_array_index (variances, double, t) += second - expected * expected;
    }

  for (guint t = 0; t < topics->len; t++)
    {
      RsTopicSummary *topic = &g_array_index (topics, RsTopicSummary, t);
      topic->residual_se = sqrt (g_array_index (variances, double, t));
      if (topic->n_items < RS_TOPIC_MIN_ANSWERS)
        topic->verdict = RS_TOPIC_TOO_FEW;
      else if (topic->residual_se > 0 && topic->residual > topic->residual_se)
        topic->verdict = RS_TOPIC_STRENGTH;
      else if (topic->residual_se > 0 && topic->residual < -topic->residual_se)
        topic->verdict = RS_TOPIC_GAP;
      else
        topic->verdict = RS_TOPIC_AS_EXPECTED;
    }
  g_array_sort (topics, compare_topics);
  return topics;
}
