/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The choice of what to learn next; see rs-learning-plan.h. */
#include <string.h>

#include "rs-learning-plan.h"

static gboolean
already (const GArray *plan, RsSkill skill, const char *subtopic)
{
  for (guint i = 0; i < plan->len; i++)
    {
      const RsPlanEntry *entry = &g_array_index (plan, RsPlanEntry, i);
      if (entry->skill == skill && strcmp (entry->subtopic, subtopic) == 0)
        return TRUE;
    }
  return FALSE;
}

/* How far below its prediction a subtopic is, in standard errors. */
static double
shortfall (const RsTopicSummary *topic)
{
  return topic->residual_se > 0 ? topic->residual / topic->residual_se : 0;
}

static gint
compare_weakest (gconstpointer a, gconstpointer b)
{
  const RsTopicSummary *x = *(const RsTopicSummary *const *) a;
  const RsTopicSummary *y = *(const RsTopicSummary *const *) b;
  double dx = shortfall (x), dy = shortfall (y);

  /* Gaps before the rest, then the furthest below first. */
  if ((x->verdict == RS_TOPIC_GAP) != (y->verdict == RS_TOPIC_GAP))
    return x->verdict == RS_TOPIC_GAP ? -1 : 1;
  return dx < dy ? -1 : dx > dy ? 1 : 0;
}

GArray *
rs_learning_plan (const RsLearningCatalog *catalog, const GArray *topics, const RsAdvice *advice,
                  guint max_entries)
{
  GArray *plan = g_array_new (FALSE, TRUE, sizeof (RsPlanEntry));
  g_autoptr (GPtrArray) weak = g_ptr_array_new ();
  guint n_weak = 0;

  g_return_val_if_fail (catalog != NULL, plan);

  for (guint t = 0; topics != NULL && t < topics->len; t++)
    {
      const RsTopicSummary *topic = &g_array_index (topics, RsTopicSummary, t);

      /* Too few answers is no evidence of weakness; a subtopic that
       * merely came out as expected but under its prediction still says
       * where the next effort pays most. */
      if (topic->n_items < RS_TOPIC_MIN_ANSWERS || topic->verdict == RS_TOPIC_TOO_FEW)
        continue;
      if (topic->verdict == RS_TOPIC_GAP || (topic->verdict == RS_TOPIC_AS_EXPECTED && topic->residual < 0))
        g_ptr_array_add (weak, (gpointer) topic);
    }
  g_ptr_array_sort (weak, compare_weakest);
  for (guint i = 0; i < weak->len && n_weak < RS_PLAN_MAX_WEAK && plan->len < max_entries; i++)
    {
      const RsTopicSummary *topic = g_ptr_array_index (weak, i);
      const GPtrArray *steps = rs_learning_catalog_steps (catalog, topic->skill, topic->subtopic);
      RsPlanEntry entry = { .skill = topic->skill, .subtopic = topic->subtopic, .reason = RS_PLAN_WEAK,
                            .n_answers = topic->n_items, .from = RS_LEVEL_INVALID, .to = RS_LEVEL_INVALID,
                            .steps = steps };

      if (steps == NULL)
        continue;
      g_array_append_val (plan, entry);
      n_weak++;
    }

  for (guint i = 0; advice != NULL && advice->next_steps != NULL && i < advice->next_steps->len; i++)
    {
      const RsStep *step = &g_array_index (advice->next_steps, RsStep, i);

      for (int f = 0; step->focus != NULL && step->focus[f] != NULL && plan->len < max_entries; f++)
        {
          const GPtrArray *steps = rs_learning_catalog_steps (catalog, step->skill, step->focus[f]);
          RsPlanEntry entry = { .skill = step->skill, .subtopic = step->focus[f], .reason = RS_PLAN_ROLE,
                                .from = step->from, .to = step->to, .steps = steps };

          if (steps == NULL || already (plan, step->skill, step->focus[f]))
            continue;
          g_array_append_val (plan, entry);
        }
    }
  return plan;
}
