/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Strengths and gaps judged against what the final estimate predicts. */
#include <math.h>

#include "rs-topics.h"

static RsItem *
make_item (const char *id, const char *subtopic, double b)
{
  RsItem *item = g_new0 (RsItem, 1);
  item->id = g_strdup (id);
  item->skill = RS_SKILL_ML;
  item->subtopic = g_strdup (subtopic);
  item->type = RS_ITEM_SINGLE;
  item->file = g_strdup ("test");
  item->irt = (RsIrtParams) { .model = RS_MODEL_4PL, .a = 1.5, .b = b, .c = 0.0, .d = 1.0 };
  return item;
}

static void
add_response (RsAttempt *attempt, const char *id, int score, double theta)
{
  RsResponse r = { .seq = (int) attempt->responses->len + 1, .item_id = g_strdup (id), .skill = RS_SKILL_ML,
                   .answer = g_strdup ("A"), .score = score, .max_score = 1, .theta = theta, .se = 0.4 };
  g_array_append_val (attempt->responses, r);
}

static void
test_residuals (void)
{
  g_autoptr (RsBank) bank = rs_bank_new ();
  g_autoptr (RsAttempt) attempt = rs_attempt_new ();
  g_autoptr (GArray) topics = NULL;
  const RsTopicSummary *first, *second, *third;

  /* Final θ̂ = 0. "hard": 4 right answers to items at b = 1.5 (expected
   * 4 × 0.095). "easy": 4 wrong answers at b = −1.5. "fair": at b = 0, 2 of 4. */
  for (int i = 0; i < 4; i++)
    {
      g_autofree char *h = g_strdup_printf ("hard%d", i), *e = g_strdup_printf ("easy%d", i),
                      *f = g_strdup_printf ("fair%d", i);
      rs_bank_add_item (bank, make_item (h, "hard", 1.5));
      rs_bank_add_item (bank, make_item (e, "easy", -1.5));
      rs_bank_add_item (bank, make_item (f, "fair", 0.0));
      add_response (attempt, h, 1, 0.0);
      add_response (attempt, e, 0, 0.0);
      add_response (attempt, f, i % 2, 0.0);
    }
  add_response (attempt, "gone.from.bank", 1, 0.0);

  topics = rs_topic_summary (attempt, bank);
  g_assert_cmpuint (topics->len, ==, 3);
  first = &g_array_index (topics, RsTopicSummary, 0);
  second = &g_array_index (topics, RsTopicSummary, 1);
  third = &g_array_index (topics, RsTopicSummary, 2);
  /* Gaps first, then strengths, then the rest. */
  g_assert_cmpstr (first->subtopic, ==, "easy");
  g_assert_cmpint (first->verdict, ==, RS_TOPIC_GAP);
  g_assert_cmpstr (second->subtopic, ==, "hard");
  g_assert_cmpint (second->verdict, ==, RS_TOPIC_STRENGTH);
  g_assert_cmpstr (third->subtopic, ==, "fair");
  g_assert_cmpint (third->verdict, ==, RS_TOPIC_AS_EXPECTED);

  /* The numbers, computed here from the 2PL directly. */
  {
    double p = 1.0 / (1.0 + exp (-1.5 * (0.0 - 1.5)));
    g_assert_cmpint (second->score, ==, 4);
    g_assert_cmpint (second->max_score, ==, 4);
    g_assert_cmpint (second->n_items, ==, 4);
    g_assert_cmpfloat_with_epsilon (second->residual, 4 * (1 - p), 1e-9);
    g_assert_cmpfloat_with_epsilon (second->residual_se, sqrt (4 * p * (1 - p)), 1e-9);
    g_assert_cmpfloat_with_epsilon (third->residual, 0.0, 1e-9);
  }
}

/* One or two answers never make a strength or a gap, however far off they
 * are; the third answer going the same way does. */
static void
test_too_few (void)
{
  g_autoptr (RsBank) bank = rs_bank_new ();
  g_autoptr (RsAttempt) attempt = rs_attempt_new ();
  g_autoptr (GArray) topics = NULL;

  for (int i = 0; i < 3; i++)
    {
      g_autofree char *h = g_strdup_printf ("hard%d", i);
      rs_bank_add_item (bank, make_item (h, "hard", 2.5));
    }
  rs_bank_add_item (bank, make_item ("lone", "lone", 2.5));
  add_response (attempt, "lone", 1, 0.0);
  add_response (attempt, "hard0", 1, 0.0);
  add_response (attempt, "hard1", 1, 0.0);

  topics = rs_topic_summary (attempt, bank);
  g_assert_cmpuint (topics->len, ==, 2);
  for (guint t = 0; t < topics->len; t++)
    {
      const RsTopicSummary *topic = &g_array_index (topics, RsTopicSummary, t);
      g_assert_cmpint (topic->verdict, ==, RS_TOPIC_TOO_FEW);
      /* Far above the prediction all the same: the rule, not the data, held it back. */
      g_assert_cmpfloat (topic->residual, >, topic->residual_se);
    }
  g_clear_pointer (&topics, g_array_unref);

  add_response (attempt, "hard2", 1, 0.0);
  topics = rs_topic_summary (attempt, bank);
  g_assert_cmpuint (topics->len, ==, 2);
  g_assert_cmpstr (g_array_index (topics, RsTopicSummary, 0).subtopic, ==, "hard");
  g_assert_cmpint (g_array_index (topics, RsTopicSummary, 0).verdict, ==, RS_TOPIC_STRENGTH);
  g_assert_cmpint (g_array_index (topics, RsTopicSummary, 0).n_items, ==, RS_TOPIC_MIN_ANSWERS);
  /* Too few comes last. */
  g_assert_cmpstr (g_array_index (topics, RsTopicSummary, 1).subtopic, ==, "lone");
  g_assert_cmpint (g_array_index (topics, RsTopicSummary, 1).verdict, ==, RS_TOPIC_TOO_FEW);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/topics/residuals", test_residuals);
  g_test_add_func ("/topics/too-few", test_too_few);
  return g_test_run ();
}
