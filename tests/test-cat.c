/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Item selection and stopping, on banks built in the test. */
#include <math.h>

#include "rs-cat.h"
#include "rs-simulation.h"

static RsItem *
make_item (const char *id, RsSkill skill, const char *subtopic, double a, double b, double c)
{
  RsItem *item = g_new0 (RsItem, 1);

  item->id = g_strdup (id);
  item->skill = skill;
  item->subtopic = g_strdup (subtopic);
  item->type = RS_ITEM_SINGLE;
  item->level = 3;
  item->stem = g_strdup (id);
  item->explanation = g_strdup ("");
  item->file = g_strdup ("test");
  item->irt = (RsIrtParams) { .model = RS_MODEL_4PL, .a = a, .b = b, .c = c, .d = 1 };
  return item;
}

/* n items per skill for the given skills, in `subtopics` subtopics, with
 * difficulties spread evenly over [-2.5, 2.5]. */
static RsBank *
make_bank (int n, int subtopics, int n_skills)
{
  RsBank *bank = rs_bank_new ();

  for (int s = 0; s < n_skills; s++)
    for (int i = 0; i < n; i++)
      {
        g_autofree char *id = g_strdup_printf ("%s.%03d", rs_skill_id (s), i);
        g_autofree char *topic = g_strdup_printf ("topic%d", i % subtopics);
        rs_bank_add_item (bank, make_item (id, (RsSkill) s, topic, 0.8 + 0.8 * ((i * 37) % 11) / 10.0,
                                           -2.5 + 5.0 * i / (n - 1), 0.2));
      }
  return bank;
}

static RsCatConfig
config_with (double se, int min_items, int max_items, int k, gboolean balance)
{
  RsCatConfig config;
  rs_cat_config_init (&config, RS_MODE_STANDARD);
  config.stop = (RsStopRule) { se, min_items, max_items };
  config.randomesque = k;
  config.content_balancing = balance;
  return config;
}

static void
test_never_repeats (void)
{
  g_autoptr (RsBank) bank = make_bank (40, 4, 1);
  RsCatConfig config = config_with (0.01, 0, 40, 3, TRUE);
  RsSkill skill = RS_SKILL_PYTHON;
  g_autoptr (RsCat) cat = rs_cat_new (bank, &skill, 1, &config, NULL, 7);
  g_autoptr (GHashTable) seen = g_hash_table_new (g_direct_hash, g_direct_equal);
  const RsItem *item;
  int n = 0;

  /* Asks every item once, then stops because nothing is left. */
  while ((item = rs_cat_current_item (cat)) != NULL)
    {
      g_assert_false (g_hash_table_contains (seen, item));
      g_hash_table_add (seen, (gpointer) item);
      /* Asking again before answering gives the same item. */
      g_assert_true (rs_cat_current_item (cat) == item);
      rs_cat_record (cat, item, n++ % 2);
    }
  g_assert_cmpint (n, ==, 40);
  g_assert_true (rs_cat_is_finished (cat));
}

static void
test_max_information_pick (void)
{
  g_autoptr (RsBank) bank = make_bank (50, 1, 1);
  RsCatConfig config = config_with (0.3, 1, 10, 1, FALSE);
  RsSkill skill = RS_SKILL_PYTHON;
  g_autoptr (RsCat) cat = rs_cat_new (bank, &skill, 1, &config, NULL, 1);
  const RsItem *chosen = rs_cat_current_item (cat);
  const RsCatSkillState *state = rs_cat_skill_state (cat, 0);
  const GPtrArray *items = rs_bank_skill_items (bank, RS_SKILL_PYTHON);

  /* With k = 1 the choice is the single most informative item at θ̂. */
  for (guint i = 0; i < items->len; i++)
    {
      const RsItem *other = g_ptr_array_index (items, i);
      g_assert_cmpfloat (rs_irt_information (&chosen->irt, state->theta), >=,
                         rs_irt_information (&other->irt, state->theta));
    }
}

static void
test_stopping_rules (void)
{
  g_autoptr (RsBank) bank = make_bank (200, 1, 1);
  RsSkill skill = RS_SKILL_PYTHON;
  const RsItem *item;

  /* Max items: an SE target that cannot be reached. */
  {
    RsCatConfig config = config_with (0.01, 2, 12, 1, FALSE);
    g_autoptr (RsCat) cat = rs_cat_new (bank, &skill, 1, &config, NULL, 3);
    while ((item = rs_cat_current_item (cat)) != NULL)
      rs_cat_record (cat, item, 1);
    g_assert_cmpint (rs_cat_skill_state (cat, 0)->n_items, ==, 12);
  }
  /* SE target reached, but never before the minimum. */
  {
    RsCatConfig config = config_with (0.9, 6, 30, 1, FALSE);
    g_autoptr (RsCat) cat = rs_cat_new (bank, &skill, 1, &config, NULL, 3);
    while ((item = rs_cat_current_item (cat)) != NULL)
      rs_cat_record (cat, item, 0);
    g_assert_cmpint (rs_cat_skill_state (cat, 0)->n_items, ==, 6);
  }
  /* SE target: stops as soon as it is reached. */
  {
    RsCatConfig config = config_with (0.45, 1, 60, 1, FALSE);
    g_autoptr (RsCat) cat = rs_cat_new (bank, &skill, 1, &config, NULL, 3);
    int n = 0;
    while ((item = rs_cat_current_item (cat)) != NULL)
      {
        g_assert_cmpfloat (rs_cat_skill_state (cat, 0)->se, >, 0.45);
        rs_cat_record (cat, item, n++ % 2);
      }
    g_assert_cmpfloat (rs_cat_skill_state (cat, 0)->se, <=, 0.45);
    g_assert_cmpint (n, <, 60);
  }
}

static void
test_content_balancing (void)
{
  g_autoptr (RsBank) bank = make_bank (120, 4, 1);
  RsCatConfig config = config_with (0.01, 0, 20, 1, TRUE);
  RsSkill skill = RS_SKILL_PYTHON;
  g_autoptr (RsCat) cat = rs_cat_new (bank, &skill, 1, &config, NULL, 11);
  int counts[4] = { 0 };
  const RsItem *item;
  int n = 0;

  while ((item = rs_cat_current_item (cat)) != NULL)
    {
      counts[item->subtopic[5] - '0']++;
      rs_cat_record (cat, item, n++ % 3 != 0);
    }
  /* Equal shares in the bank: 20 items give 5 per subtopic exactly. */
  for (int t = 0; t < 4; t++)
    g_assert_cmpint (counts[t], ==, 5);
}

/* Item formats are balanced too: partial-credit items carry more
 * information and would otherwise crowd out the single-choice ones. */
static void
test_type_balancing (void)
{
  g_autoptr (RsBank) bank = rs_bank_new ();
  RsCatConfig config = config_with (0.01, 0, 20, 1, TRUE);
  RsSkill skill = RS_SKILL_STATISTICS;
  const RsItem *item;
  int singles = 0, numerics = 0;

  /* 60 single-choice items and 20 far more informative partial-credit ones. */
  for (int i = 0; i < 80; i++)
    {
      g_autofree char *id = g_strdup_printf ("t.%02d", i);
      RsItem *it = make_item (id, RS_SKILL_STATISTICS, "one", 1.0, -2.0 + 4.0 * (i % 20) / 19.0, 0.25);
      if (i >= 60)
        {
          it->type = RS_ITEM_NUMERIC;
          it->irt = (RsIrtParams) { .model = RS_MODEL_GPCM, .a = 2.0, .n_steps = 2,
                                    .steps = { it->irt.b - 0.5, it->irt.b + 0.5 } };
        }
      rs_bank_add_item (bank, it);
    }
  {
    g_autoptr (RsCat) cat = rs_cat_new (bank, &skill, 1, &config, NULL, 5);
    int n = 0;
    while ((item = rs_cat_current_item (cat)) != NULL)
      {
        singles += item->type == RS_ITEM_SINGLE;
        numerics += item->type == RS_ITEM_NUMERIC;
        rs_cat_record (cat, item, n++ % 2);
      }
  }
  /* The bank's 3:1 mix, in a 20-item test: 15 and 5. */
  g_assert_cmpint (singles, ==, 15);
  g_assert_cmpint (numerics, ==, 5);
}

static void
test_exclusion_and_related (void)
{
  g_autoptr (RsBank) bank = rs_bank_new ();
  RsCatConfig config = config_with (0.01, 0, 10, 1, FALSE);
  RsSkill skill = RS_SKILL_ML;
  g_autoptr (GHashTable) recent = g_hash_table_new (g_str_hash, g_str_equal);
  RsItem *best = make_item ("best", RS_SKILL_ML, "t", 2.5, 0.0, 0.0);
  RsItem *twin = make_item ("twin", RS_SKILL_ML, "t", 2.4, 0.0, 0.0);
  const RsItem *item;
  gboolean saw_best = FALSE, saw_twin = FALSE;
  int n = 0;

  twin->related = g_strsplit ("best", ",", -1);
  rs_bank_add_item (bank, best);
  rs_bank_add_item (bank, twin);
  for (int i = 0; i < 4; i++)
    {
      g_autofree char *id = g_strdup_printf ("other%d", i);
      rs_bank_add_item (bank, make_item (id, RS_SKILL_ML, "t", 0.5, 0.0, 0.0));
    }

  /* Recently seen: avoided while others remain, asked last. */
  g_hash_table_add (recent, (gpointer) "best");
  {
    g_autoptr (RsCat) cat = rs_cat_new (bank, &skill, 1, &config, recent, 5);
    item = rs_cat_current_item (cat);
    g_assert_cmpstr (item->id, ==, "twin");
    /* The twin gives "best" away: once it is asked, best never comes. */
    while ((item = rs_cat_current_item (cat)) != NULL)
      {
        saw_best |= g_str_equal (item->id, "best");
        saw_twin |= g_str_equal (item->id, "twin");
        rs_cat_record (cat, item, 1);
        n++;
      }
    g_assert_true (saw_twin);
    g_assert_false (saw_best);
    g_assert_cmpint (n, ==, 5);
  }
}

static void
test_several_skills_in_order (void)
{
  g_autoptr (RsBank) bank = make_bank (60, 2, RS_N_SKILLS);
  RsCatConfig config = config_with (0.01, 0, 5, 2, TRUE);
  RsSkill order[] = { RS_SKILL_EMPATHY, RS_SKILL_PYTHON };
  g_autoptr (RsCat) cat = rs_cat_new (bank, order, 2, &config, NULL, 9);
  const RsItem *item;
  int n = 0;

  while ((item = rs_cat_current_item (cat)) != NULL)
    {
      g_assert_cmpint (item->skill, ==, n < 5 ? RS_SKILL_EMPATHY : RS_SKILL_PYTHON);
      g_assert_cmpint (rs_cat_current_skill (cat), ==, item->skill);
      /* Remaining estimate is honest: never more than what max allows. */
      g_assert_cmpint (rs_cat_estimate_remaining (cat), <=, 5 - n % 5);
      rs_cat_record (cat, item, 1);
      n++;
    }
  g_assert_cmpint (n, ==, 10);
  g_assert_null (rs_cat_state_for_skill (cat, RS_SKILL_ML));
  g_assert_cmpfloat (rs_cat_state_for_skill (cat, RS_SKILL_EMPATHY)->theta, >, 0.5);
}

static void
test_set_current_item_for_resume (void)
{
  g_autoptr (RsBank) bank = make_bank (30, 1, 2);
  RsCatConfig config = config_with (0.01, 0, 5, 1, FALSE);
  RsSkill order[] = { RS_SKILL_PYTHON, RS_SKILL_STATISTICS };
  g_autoptr (RsCat) cat = rs_cat_new (bank, order, 2, &config, NULL, 9);
  const RsItem *wanted = rs_bank_lookup (bank, "python.017");
  const RsItem *other_skill = rs_bank_lookup (bank, "statistics.001");

  g_assert_false (rs_cat_set_current_item (cat, other_skill));
  g_assert_true (rs_cat_set_current_item (cat, wanted));
  g_assert_true (rs_cat_current_item (cat) == wanted);
  rs_cat_record (cat, wanted, 1);
  /* Once answered it cannot be made current again. */
  g_assert_false (rs_cat_set_current_item (cat, wanted));
}

static void
test_simulation_recovers_theta (void)
{
  g_autoptr (RsBank) bank = make_bank (300, 1, 1);
  RsCatConfig config = config_with (0.3, 1, 30, 1, FALSE);
  g_autoptr (GRand) rand = g_rand_new_with_seed (42);
  g_autoptr (RsSimulationReport) report = NULL;
  double thetas[300];

  for (int i = 0; i < 300; i++)
    thetas[i] = -2.0 + 4.0 * g_rand_double (rand);
  report = rs_simulate (bank, RS_SKILL_PYTHON, &config, thetas, 300, 42);
  g_test_message ("rmse=%.3f bias=%.3f r=%.3f items=%.1f", report->rmse, report->bias,
                  report->correlation, report->mean_items);
  g_assert_cmpfloat (report->rmse, <, 0.40);
  g_assert_cmpfloat (fabs (report->bias), <, 0.08);
  g_assert_cmpfloat (report->correlation, >, 0.93);
  g_assert_cmpfloat (report->mean_items, <=, 30.0);
}

static void
test_simulated_responses_follow_model (void)
{
  RsIrtParams p = { .model = RS_MODEL_4PL, .a = 1.0, .b = 0.0, .c = 0.25, .d = 1 };
  g_autoptr (GRand) rand = g_rand_new_with_seed (1);
  int right = 0, n = 20000;

  for (int i = 0; i < n; i++)
    right += rs_simulate_response (&p, 0.0, rand);
  /* P(θ = b) = c + (1 − c)/2 = 0.625; 4 SD of a binomial proportion ≈ 0.014. */
  g_assert_cmpfloat_with_epsilon ((double) right / n, 0.625, 0.014);
}

static void
test_mode_forecast (void)
{
  g_autoptr (RsBank) bank = make_bank (120, 4, 2);
  RsSkill skills[] = { RS_SKILL_PYTHON, RS_SKILL_STATISTICS };
  RsModeForecast quick, precise;
  RsStopRule rule;

  rs_forecast_mode (bank, skills, 2, RS_MODE_QUICK, 100, &quick);
  rs_forecast_mode (bank, skills, 2, RS_MODE_PRECISE, 100, &precise);
  rs_mode_stop_rule (RS_MODE_QUICK, &rule);
  /* mean_items counts what people answer, pretest questions included. */
  g_assert_cmpfloat (quick.mean_items - quick.mean_pretest, >=, rule.min_items);
  g_assert_cmpfloat (quick.mean_items - quick.mean_pretest, <=, rule.max_items);
  g_assert_cmpfloat (quick.mean_pretest, <=, RS_CAT_PRETEST_MAX_SHARE * quick.mean_items + 1e-9);
  g_assert_cmpfloat_with_epsilon (quick.total_items, 2 * quick.mean_items, 1e-9);
  /* Longer tests measure more precisely. */
  g_assert_cmpfloat (precise.mean_items, >, quick.mean_items);
  g_assert_cmpfloat (precise.median_se, <, quick.median_se);
  g_assert_cmpfloat (quick.reached_se, >=, 0.0);
  g_assert_cmpfloat (quick.reached_se, <=, 1.0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cat/never-repeats", test_never_repeats);
  g_test_add_func ("/cat/max-information", test_max_information_pick);
  g_test_add_func ("/cat/stopping-rules", test_stopping_rules);
  g_test_add_func ("/cat/content-balancing", test_content_balancing);
  g_test_add_func ("/cat/type-balancing", test_type_balancing);
  g_test_add_func ("/cat/exclusion-and-related", test_exclusion_and_related);
  g_test_add_func ("/cat/several-skills", test_several_skills_in_order);
  g_test_add_func ("/cat/resume-current-item", test_set_current_item_for_resume);
  g_test_add_func ("/cat/simulation", test_simulation_recovers_theta);
  g_test_add_func ("/cat/simulated-responses", test_simulated_responses_follow_model);
  g_test_add_func ("/cat/mode-forecast", test_mode_forecast);
  return g_test_run ();
}
