/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What to learn next: the weakest subtopics with enough answers behind
 * them, at most RS_PLAN_MAX_WEAK, then the focus subtopics of the next
 * role's raises, each once, each with the catalogue's steps (the real
 * data/learning.yaml). */
#include "rs-learning-plan.h"

static RsTopicSummary
topic (RsSkill skill, const char *subtopic, int n, double residual, double se, RsTopicVerdict verdict)
{
  RsTopicSummary t = { .skill = skill, .subtopic = subtopic, .n_items = n, .score = 0, .max_score = n,
                       .residual = residual, .residual_se = se, .verdict = verdict };
  return t;
}

static RsLearningCatalog *
load_catalog (void)
{
  g_autoptr (GError) error = NULL;
  const char *path = g_getenv ("RESKILL_LEARNING");
  RsLearningCatalog *catalog;

  g_assert_nonnull (path);
  catalog = rs_learning_catalog_load (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (catalog);
  return catalog;
}

static void
test_weakest_with_enough_answers (void)
{
  g_autoptr (RsLearningCatalog) catalog = load_catalog ();
  g_autoptr (GArray) topics = g_array_new (FALSE, TRUE, sizeof (RsTopicSummary));
  g_autoptr (GArray) plan = NULL;
  RsTopicSummary list[] = {
    topic (RS_SKILL_PYTHON, "async", 4, -2.0, 0.8, RS_TOPIC_GAP),
    /* The worst of all, but on two answers: never chosen. */
    topic (RS_SKILL_PYTHON, "typing", 2, -1.9, 0.5, RS_TOPIC_TOO_FEW),
    topic (RS_SKILL_STATISTICS, "regression", 3, -0.6, 0.8, RS_TOPIC_AS_EXPECTED),
    topic (RS_SKILL_STATISTICS, "probability", 5, -0.2, 1.0, RS_TOPIC_AS_EXPECTED),
    topic (RS_SKILL_PYTHON, "testing", 3, -0.1, 0.9, RS_TOPIC_AS_EXPECTED),
    /* Above its prediction: not weak. */
    topic (RS_SKILL_PYTHON, "classes", 6, 1.5, 0.9, RS_TOPIC_STRENGTH),
  };

  g_array_append_vals (topics, list, G_N_ELEMENTS (list));
  plan = rs_learning_plan (catalog, topics, NULL, 10);
  g_assert_cmpuint (plan->len, ==, RS_PLAN_MAX_WEAK);
  /* The gap first, then the furthest below their prediction. */
  g_assert_cmpstr (g_array_index (plan, RsPlanEntry, 0).subtopic, ==, "async");
  g_assert_cmpint (g_array_index (plan, RsPlanEntry, 0).n_answers, ==, 4);
  g_assert_cmpstr (g_array_index (plan, RsPlanEntry, 1).subtopic, ==, "regression");
  g_assert_cmpstr (g_array_index (plan, RsPlanEntry, 2).subtopic, ==, "probability");
  for (guint i = 0; i < plan->len; i++)
    {
      const RsPlanEntry *entry = &g_array_index (plan, RsPlanEntry, i);
      g_assert_cmpint (entry->reason, ==, RS_PLAN_WEAK);
      g_assert_nonnull (entry->steps);
      g_assert_cmpuint (entry->steps->len, >=, RS_LEARNING_MIN_STEPS);
      g_assert_cmpint (entry->n_answers, >=, RS_TOPIC_MIN_ANSWERS);
    }
}

static void
test_role_raises (void)
{
  g_autoptr (RsLearningCatalog) catalog = load_catalog ();
  g_autoptr (GArray) topics = g_array_new (FALSE, TRUE, sizeof (RsTopicSummary));
  g_autoptr (GArray) plan = NULL;
  const char *ml_focus[] = { "prompt-craft", "hallucination", NULL };
  const char *stats_focus[] = { "annotation-and-judges", NULL };
  RsAdvice advice = { 0 };
  RsTopicSummary weak = topic (RS_SKILL_ML, "hallucination", 3, -1.8, 0.7, RS_TOPIC_GAP);
  RsStep steps[] = {
    { .skill = RS_SKILL_ML, .from = RS_LEVEL_DEVELOPING, .to = RS_LEVEL_PROFICIENT, .focus = ml_focus },
    { .skill = RS_SKILL_STATISTICS, .from = RS_LEVEL_NOVICE, .to = RS_LEVEL_DEVELOPING, .focus = stats_focus },
    /* A raise whose role names no subtopic adds nothing. */
    { .skill = RS_SKILL_EMPATHY, .from = RS_LEVEL_DEVELOPING, .to = RS_LEVEL_PROFICIENT, .focus = NULL },
  };

  g_array_append_val (topics, weak);
  advice.next_steps = g_array_new (FALSE, TRUE, sizeof (RsStep));
  g_array_append_vals (advice.next_steps, steps, G_N_ELEMENTS (steps));

  plan = rs_learning_plan (catalog, topics, &advice, 10);
  /* hallucination once (as the weak one), prompt-craft and annotation for the role. */
  g_assert_cmpuint (plan->len, ==, 3);
  g_assert_cmpstr (g_array_index (plan, RsPlanEntry, 0).subtopic, ==, "hallucination");
  g_assert_cmpint (g_array_index (plan, RsPlanEntry, 0).reason, ==, RS_PLAN_WEAK);
  g_assert_cmpstr (g_array_index (plan, RsPlanEntry, 1).subtopic, ==, "prompt-craft");
  g_assert_cmpint (g_array_index (plan, RsPlanEntry, 1).reason, ==, RS_PLAN_ROLE);
  g_assert_cmpint (g_array_index (plan, RsPlanEntry, 1).to, ==, RS_LEVEL_PROFICIENT);
  g_assert_cmpstr (g_array_index (plan, RsPlanEntry, 2).subtopic, ==, "annotation-and-judges");
  g_clear_pointer (&plan, g_array_unref);

  /* The cap holds. */
  plan = rs_learning_plan (catalog, topics, &advice, 2);
  g_assert_cmpuint (plan->len, ==, 2);
  g_array_unref (advice.next_steps);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/learning-plan/weakest-with-enough-answers", test_weakest_with_enough_answers);
  g_test_add_func ("/learning-plan/role-raises", test_role_raises);
  return g_test_run ();
}
