/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Scoring answers of each item type, and the stored answer format. */
#include "rs-error.h"
#include "rs-item.h"

static RsItem *
make_choice (RsItemType type, int n, const int *scores)
{
  RsItem *item = g_new0 (RsItem, 1);

  item->id = g_strdup ("t");
  item->type = type;
  item->n_options = n;
  for (int i = 0; i < n; i++)
    {
      item->options[i].text = g_strdup_printf ("option %d", i);
      item->options[i].score = scores[i];
    }
  return item;
}

static void
test_single (void)
{
  g_autoptr (RsItem) item = make_choice (RS_ITEM_SINGLE, 4, (const int[]) { 0, 0, 1, 0 });
  RsAnswer answer = { .chosen = 1u << 2 };

  g_assert_cmpint (rs_item_max_score (item), ==, 1);
  g_assert_cmpint (rs_item_score (item, &answer), ==, 1);
  answer.chosen = 1u << 1;
  g_assert_cmpint (rs_item_score (item, &answer), ==, 0);
  answer.chosen = (1u << 2) | (1u << 1);   /* two ticks on a single choice: wrong */
  g_assert_cmpint (rs_item_score (item, &answer), ==, 0);
  answer.chosen = 0;
  g_assert_cmpint (rs_item_score (item, &answer), ==, 0);
}

static void
test_multi_partial_credit (void)
{
  g_autoptr (RsItem) item = make_choice (RS_ITEM_MULTI, 5, (const int[]) { 1, 0, 1, 1, 0 });
  struct { guint32 chosen; int score; } cases[] = {
    { 0x0D, 3 },   /* A, C, D: all right */
    { 0x05, 2 },   /* A, C */
    { 0x07, 1 },   /* A, B, C: two right, one wrong */
    { 0x1F, 1 },   /* everything: 3 right − 2 wrong */
    { 0x12, 0 },   /* only wrong ones: never below zero */
    { 0x00, 0 },
  };

  g_assert_cmpint (rs_item_max_score (item), ==, 3);
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      RsAnswer answer = { .chosen = cases[i].chosen };
      g_assert_cmpint (rs_item_score (item, &answer), ==, cases[i].score);
    }
}

static void
test_numeric_tolerance (void)
{
  g_autoptr (RsItem) item = g_new0 (RsItem, 1);
  RsAnswer answer = { .has_number = TRUE };

  item->id = g_strdup ("n");
  item->type = RS_ITEM_NUMERIC;
  item->answer = 0.15;
  item->tolerance = 0.005;
  g_assert_cmpint (rs_item_max_score (item), ==, 1);
  answer.number = 0.155;   /* exactly on the edge counts */
  g_assert_cmpint (rs_item_score (item, &answer), ==, 1);
  answer.number = 0.16;
  g_assert_cmpint (rs_item_score (item, &answer), ==, 0);

  item->partial_tolerance = 0.02;
  g_assert_cmpint (rs_item_max_score (item), ==, 2);
  answer.number = 0.15;
  g_assert_cmpint (rs_item_score (item, &answer), ==, 2);
  answer.number = 0.165;
  g_assert_cmpint (rs_item_score (item, &answer), ==, 1);
  answer.number = 0.2;
  g_assert_cmpint (rs_item_score (item, &answer), ==, 0);
  /* Both tiers' edges, on both sides of the answer: 0.15 ± 0.005 full
   * credit, ± 0.02 partial, beyond nothing. */
  {
    static const struct { double number; int score; } edges[] = {
      { 0.145, 2 }, { 0.155, 2 }, { 0.144, 1 }, { 0.156, 1 },
      { 0.13, 1 }, { 0.17, 1 }, { 0.129, 0 }, { 0.171, 0 }, { -0.15, 0 },
    };
    for (gsize i = 0; i < G_N_ELEMENTS (edges); i++)
      {
        answer.number = edges[i].number;
        g_test_message ("%g", edges[i].number);
        g_assert_cmpint (rs_item_score (item, &answer), ==, edges[i].score);
      }
  }
  answer.has_number = FALSE;
  g_assert_cmpint (rs_item_score (item, &answer), ==, 0);
}

static void
test_scenario (void)
{
  g_autoptr (RsItem) item = make_choice (RS_ITEM_SCENARIO, 4, (const int[]) { 1, 2, 0, 1 });
  RsAnswer best;

  g_assert_cmpint (rs_item_max_score (item), ==, 2);
  for (int i = 0; i < 4; i++)
    {
      RsAnswer answer = { .chosen = 1u << i };
      g_assert_cmpint (rs_item_score (item, &answer), ==, item->options[i].score);
    }
  rs_item_best_answer (item, &best);
  g_assert_cmpuint (best.chosen, ==, 1u << 1);
}

static void
test_answer_strings (void)
{
  g_autoptr (RsItem) multi = make_choice (RS_ITEM_MULTI, 4, (const int[]) { 1, 0, 1, 0 });
  g_autoptr (RsItem) single = make_choice (RS_ITEM_SINGLE, 3, (const int[]) { 0, 1, 0 });
  g_autoptr (RsItem) numeric = g_new0 (RsItem, 1);
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *number = NULL;
  RsAnswer answer = { .chosen = 0x5 }, parsed;

  text = rs_answer_to_string (multi, &answer);
  g_assert_cmpstr (text, ==, "A,C");
  g_assert_true (rs_answer_parse (multi, text, &parsed, &error));
  g_assert_cmpuint (parsed.chosen, ==, 0x5);

  g_assert_false (rs_answer_parse (single, "A,B", &parsed, &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (rs_answer_parse (single, "D", &parsed, &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_INVALID);
  g_clear_error (&error);

  numeric->id = g_strdup ("n");
  numeric->type = RS_ITEM_NUMERIC;
  answer = (RsAnswer) { .has_number = TRUE, .number = 0.25 };
  number = rs_answer_to_string (numeric, &answer);
  g_assert_cmpstr (number, ==, "0.25");
  g_assert_true (rs_answer_parse (numeric, number, &parsed, &error));
  g_assert_cmpfloat (parsed.number, ==, 0.25);
  g_assert_false (rs_answer_parse (numeric, "1/4", &parsed, &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_INVALID);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/item/single", test_single);
  g_test_add_func ("/item/multi", test_multi_partial_credit);
  g_test_add_func ("/item/numeric", test_numeric_tolerance);
  g_test_add_func ("/item/scenario", test_scenario);
  g_test_add_func ("/item/answer-strings", test_answer_strings);
  return g_test_run ();
}
