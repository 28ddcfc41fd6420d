/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Calibrations in the database (rs-calibration): which answers count, the
 * status rule, versions, anchors held bit for bit through a second
 * calibration, decisions on flagged items, flagged items never asked,
 * results that record their calibration and a provisional SE, re-scoring
 * that keeps the old values, and calibration.yaml there and back.
 *
 * The store is filled straight through rs-store with simulated answers
 * (seed printed): 30 single-choice items (3PL, c = 0.25), a partial-credit
 * numeric item, three rarely asked items and one keyed backwards. */
#include <glib/gstdio.h>
#include <math.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "rs-assessment.h"
#include "rs-calibration.h"
#include "rs-rescore.h"
#include "rs-error.h"
#include "rs-people.h"

#define SEED 901
#define N_COMMON 26          /* answered about 12 of 26 times per attempt */
#define N_ATTEMPTS 700
#define MIN_RESPONSES 150

typedef struct {
  RsStore *store;
  RsBank *bank;
  RsIrtParams truth[40];
  char *dir;
} Fixture;

static double
normal (GRand *rand)
{
  double u1 = 1.0 - g_rand_double (rand), u2 = g_rand_double (rand);
  return sqrt (-2.0 * log (u1)) * cos (2.0 * G_PI * u2);
}

static RsItem *
make_item (const char *id, int level, gboolean numeric)
{
  RsItem *item = g_new0 (RsItem, 1);

  item->id = g_strdup (id);
  item->skill = RS_SKILL_PYTHON;
  item->subtopic = g_strdup_printf ("topic%d", level);
  item->level = level;
  item->stem = g_strdup ("stem");
  item->explanation = g_strdup ("because");
  item->file = g_strdup ("generated");
  if (numeric)
    {
      item->type = RS_ITEM_NUMERIC;
      item->answer = 1.0;
      item->tolerance = 0.01;
      item->partial_tolerance = 0.1;
      rs_irt_params_from_level (&item->irt, level, 2, 0.0);
      return item;
    }
  item->type = RS_ITEM_SINGLE;
  item->n_options = 4;
  for (int o = 0; o < 4; o++)
    {
      item->options[o].text = g_strdup_printf ("option %d", o);
      item->options[o].score = o == 0;
    }
  rs_irt_params_from_level (&item->irt, level, 1, 0.25);
  return item;
}

/* Item ids: c00..c25 common, rare0..rare2, backwards, num. */
static RsBank *
make_bank (void)
{
  RsBank *bank = rs_bank_new ();

  for (int j = 0; j < N_COMMON; j++)
    {
      g_autofree char *id = g_strdup_printf ("c%02d", j);
      rs_bank_add_item (bank, make_item (id, 1 + j % 5, FALSE));
    }
  rs_bank_add_item (bank, make_item ("rare0", 3, FALSE));
  rs_bank_add_item (bank, make_item ("rare1", 3, FALSE));
  rs_bank_add_item (bank, make_item ("rare2", 3, FALSE));
  rs_bank_add_item (bank, make_item ("backwards", 3, FALSE));
  rs_bank_add_item (bank, make_item ("num", 3, TRUE));
  return bank;
}

static void
add_attempt (RsStore *store, const RsBank *bank, const RsIrtParams *truth, GRand *rand, const char *status)
{
  g_autoptr (RsAttempt) attempt = rs_attempt_new ();
  double theta = normal (rand);
  int seq = 0;
  RsSkillResult result = { .skill = RS_SKILL_PYTHON, .se = 0.5, .n_items = 0, .level = RS_LEVEL_PROFICIENT };

  attempt->mode = RS_MODE_STANDARD;
  attempt->n_skills = 1;
  attempt->skills[0] = RS_SKILL_PYTHON;
  attempt->seed = g_rand_int (rand);
  for (int s = 0; s < RS_N_SKILLS; s++)
    attempt->self_level[s] = RS_LEVEL_INVALID;
  g_assert_true (rs_store_begin_attempt (store, attempt, NULL));
  for (guint j = 0; j < rs_bank_n_items (bank); j++)
    {
      const RsItem *item = rs_bank_item (bank, j);
      gboolean ask = g_str_has_prefix (item->id, "rare") ? g_rand_double (rand) < 0.05
                     : g_str_has_prefix (item->id, "c") ? g_rand_double (rand) < 12.0 / N_COMMON
                     : TRUE;
      double probs[RS_IRT_MAX_STEPS + 1], u = g_rand_double (rand), sum = 0.0;
      int score = 0;
      RsResponse r = { 0 };

      if (!ask)
        continue;
      rs_irt_category_probs (&truth[j], theta, probs);
      while (score < rs_irt_max_score (&truth[j]) && u >= (sum += probs[score]))
        score++;
      if (g_str_equal (item->id, "backwards"))
        score = 1 - score;
      r = (RsResponse) { .seq = ++seq, .item_id = item->id, .skill = RS_SKILL_PYTHON, .answer = (char *) "A",
                         .score = score, .max_score = rs_item_max_score (item), .se = 1.0, .time_ms = 1000 };
      g_assert_true (rs_store_record_answer (store, attempt->uuid, &r, NULL, NULL));
    }
  result.n_items = seq;
  if (g_str_equal (status, "finished"))
    g_assert_true (rs_store_finish_attempt (store, attempt->uuid, &result, 1, NULL));
  else if (g_str_equal (status, "abandoned"))
    g_assert_true (rs_store_abandon_attempt (store, attempt->uuid, NULL));
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (SEED);

  g_test_message ("store filled with seed %u", SEED);
  f->store = rs_store_open (":memory:", NULL);
  g_assert_nonnull (f->store);
  f->bank = make_bank ();
  for (guint j = 0; j < rs_bank_n_items (f->bank); j++)
    {
      f->truth[j] = rs_bank_item (f->bank, j)->irt;
      f->truth[j].a = g_rand_double_range (rand, 0.8, 1.8);
      if (f->truth[j].model == RS_MODEL_4PL)
        f->truth[j].b = g_rand_double_range (rand, -1.5, 1.5);
    }
  for (int i = 0; i < N_ATTEMPTS; i++)
    add_attempt (f->store, f->bank, f->truth, rand, i % 10 == 0 ? "abandoned" : "finished");
  f->dir = g_dir_make_tmp ("reskill-calibration-XXXXXX", NULL);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_autofree char *file = g_build_filename (f->dir, RS_BANK_CALIBRATION_FILE, NULL);

  g_unlink (file);
  g_rmdir (f->dir);
  g_free (f->dir);
  rs_bank_free (f->bank);
  rs_store_close (f->store);
}

static const RsCalibrationItem *
find (const RsCalibration *calibration, const char *id)
{
  for (guint i = 0; i < calibration->items->len; i++)
    {
      const RsCalibrationItem *it = g_ptr_array_index (calibration->items, i);
      if (g_str_equal (it->item_id, id))
        return it;
    }
  g_error ("item %s is not in the calibration", id);
}

static gint64
count_answers (RsStore *store, const char *item, gboolean counted_only)
{
  sqlite3_stmt *stmt = NULL;
  gint64 n;

  g_assert_cmpint (sqlite3_prepare_v2 (rs_store_get_db (store),
                                       counted_only
                                         ? "SELECT count(*) FROM responses AS r JOIN attempts AS a ON a.uuid = r.attempt_id"
                                           " WHERE r.item_id = ? AND (a.status = 'finished' OR a.abandoned_at IS NOT NULL)"
                                         : "SELECT count(*) FROM responses WHERE item_id = ?",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, item, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

/* Finished and abandoned attempts count, unfinished ones do not; the status
 * follows n and the flags. */
static void
test_run_statuses (Fixture *f, gconstpointer data)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (SEED + 1);
  g_autoptr (RsCalibration) calibration = NULL;
  g_autoptr (GError) error = NULL;

  /* Answers of an attempt still in progress do not count. */
  add_attempt (f->store, f->bank, f->truth, rand, "in_progress");
  calibration = rs_calibration_run (f->store, f->bank, rs_people_operator (), MIN_RESPONSES, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (calibration->items->len, ==, rs_bank_n_items (f->bank));
  g_assert_cmpint (calibration->skills->len, ==, 1);
  g_test_message ("%s", calibration->summary);
  for (guint i = 0; i < calibration->items->len; i++)
    {
      const RsCalibrationItem *it = g_ptr_array_index (calibration->items, i);
      gint64 all = count_answers (f->store, it->item_id, FALSE);

      g_assert_cmpint (it->n, ==, count_answers (f->store, it->item_id, TRUE));
      g_assert_cmpint (it->n, <=, all);
      if (g_str_equal (it->item_id, "backwards"))
        g_assert_cmpint (it->n, <, all);
      g_assert_false (it->anchor);
      g_assert_true (isfinite (it->params.a) && isfinite (it->se_a) && isfinite (it->fit_p));
      if (it->n < MIN_RESPONSES)
        g_assert_cmpint (it->status, ==, RS_ITEM_PROVISIONAL);
      else
        g_assert_cmpint (it->status, ==, it->flags != 0 ? RS_ITEM_FLAGGED : RS_ITEM_CALIBRATED);
    }
  g_assert_cmpint (find (calibration, "rare0")->status, ==, RS_ITEM_PROVISIONAL);
  g_assert_cmpint (find (calibration, "backwards")->status, ==, RS_ITEM_FLAGGED);
  {
    g_autofree char *flags = rs_calib_flag_ids (find (calibration, "backwards")->flags);
    g_test_message ("backwards: a %.3f, flags %s", find (calibration, "backwards")->params.a, flags);
  }
  g_assert_true (find (calibration, "backwards")->flags & RS_CALIB_FLAG_LOW_DISCRIMINATION);
  g_assert_cmpint (find (calibration, "num")->model, ==, RS_CALIB_GPCM);
  g_assert_cmpint (find (calibration, "c00")->model, ==, RS_CALIB_3PL);
  g_assert_cmpfloat (find (calibration, "c00")->params.c, ==, 0.25);
  /* Nothing was stored by a run. */
  g_assert_null (rs_calibration_load_current (f->store, &error));
  g_assert_no_error (error);
}

static void
test_admin_only (Fixture *f, gconstpointer data)
{
  RsPerson employee = { .id = 5, .employee_no = (char *) "5", .name = (char *) "E", .role = RS_PERSON_EMPLOYEE,
                        .active = TRUE };
  g_autoptr (GError) error = NULL;
  g_autoptr (RsCalibration) calibration = NULL;

  calibration = rs_calibration_run (f->store, f->bank, &employee, MIN_RESPONSES, NULL, &error);
  g_assert_null (calibration);
  g_assert_error (error, RS_ERROR, RS_ERROR_DENIED);
  g_clear_error (&error);
  g_assert_false (rs_calibration_decide (f->store, &employee, "backwards", RS_DECISION_USE, &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_DENIED);
}

/* Apply, load it back exactly, put it in force, calibrate again: the
 * calibrated items are anchors and come back bit for bit. */
static void
test_versions_and_anchors (Fixture *f, gconstpointer data)
{
  g_autoptr (RsCalibration) first = rs_calibration_run (f->store, f->bank, rs_people_operator (), MIN_RESPONSES,
                                                        NULL, NULL);
  g_autoptr (RsCalibration) loaded = NULL;
  g_autoptr (RsCalibration) second = NULL;
  g_autoptr (GError) error = NULL;
  int n_calibrated = 0;

  g_assert_true (rs_calibration_apply (f->store, first, rs_people_operator (), &error));
  g_assert_no_error (error);
  g_assert_nonnull (first->uuid);
  g_assert_false (rs_calibration_apply (f->store, first, rs_people_operator (), &error));
  g_clear_error (&error);
  loaded = rs_calibration_load_current (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (loaded->uuid, ==, first->uuid);
  g_assert_cmpuint (loaded->items->len, ==, first->items->len);
  for (guint i = 0; i < first->items->len; i++)
    {
      const RsCalibrationItem *a = g_ptr_array_index (first->items, i), *b = find (loaded, a->item_id);
      g_assert_cmpint (a->status, ==, b->status);
      g_assert_cmpfloat (a->params.a, ==, b->params.a);
      g_assert_cmpfloat (a->params.b, ==, b->params.b);
      g_assert_cmpfloat (a->params.steps[0], ==, b->params.steps[0]);
      g_assert_cmpfloat (a->se_b, ==, b->se_b);
      g_assert_cmpint (a->flags, ==, b->flags);
    }

  g_assert_true (rs_calibration_apply_to_bank (f->store, f->bank, &error));
  g_assert_cmpstr (rs_bank_calibration (f->bank), ==, first->uuid);
  for (guint i = 0; i < first->items->len; i++)
    {
      const RsCalibrationItem *it = g_ptr_array_index (first->items, i);
      const RsItem *item = rs_bank_lookup (f->bank, it->item_id);

      g_assert_cmpint (item->irt_given, ==, it->status == RS_ITEM_CALIBRATED);
      g_assert_cmpint (rs_bank_is_withheld (f->bank, it->item_id), ==, it->status == RS_ITEM_FLAGGED);
      if (it->status == RS_ITEM_CALIBRATED)
        {
          g_assert_cmpfloat (item->irt.a, ==, it->params.a);
          g_assert_cmpfloat (item->irt.b, ==, it->params.b);
          n_calibrated++;
        }
      else
        g_assert_cmpfloat (item->irt.a, ==, it->old_params.a);
    }
  g_assert_cmpint (n_calibrated, >, 20);

  second = rs_calibration_run (f->store, f->bank, rs_people_operator (), MIN_RESPONSES, NULL, &error);
  g_assert_no_error (error);
  g_test_message ("second: %s", second->summary);
  g_assert_true (g_array_index (second->skills, RsCalibrationSkill, 0).latent_estimated);
  for (guint i = 0; i < first->items->len; i++)
    {
      const RsCalibrationItem *a = g_ptr_array_index (first->items, i), *b = find (second, a->item_id);
      g_assert_cmpint (b->anchor, ==, a->status == RS_ITEM_CALIBRATED);
      if (!b->anchor)
        continue;
      g_assert_cmpfloat (b->params.a, ==, a->params.a);
      g_assert_cmpfloat (b->params.b, ==, a->params.b);
      g_assert_cmpfloat (b->params.c, ==, a->params.c);
      g_assert_cmpfloat (b->params.steps[1], ==, a->params.steps[1]);
      g_assert_cmpfloat (b->se_a, ==, a->se_a);
    }
}

/* A flagged item is withheld and never asked until an administrator
 * decides to use it. */
static void
test_decisions_and_withheld (Fixture *f, gconstpointer data)
{
  g_autoptr (RsCalibration) calibration = rs_calibration_run (f->store, f->bank, rs_people_operator (),
                                                              MIN_RESPONSES, NULL, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (RsCalibration) current = NULL;
  int shown = 0;

  g_assert_false (rs_calibration_decide (f->store, rs_people_operator (), "backwards", RS_DECISION_USE, &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (rs_calibration_apply (f->store, calibration, rs_people_operator (), NULL));
  g_assert_true (rs_calibration_apply_to_bank (f->store, f->bank, NULL));
  g_assert_true (rs_bank_is_withheld (f->bank, "backwards"));

  /* Many assessments; the withheld item is never the current question. */
  for (int i = 0; i < 40; i++)
    {
      g_autoptr (RsAssessment) assessment = NULL;
      RsSkill skill = RS_SKILL_PYTHON;
      const RsItem *item;
      RsAnswer answer = { .chosen = 1 };

      assessment = rs_assessment_start (f->store, f->bank, 0, RS_MODE_QUICK, &skill, 1, NULL, 1000 + i, &error);
      g_assert_no_error (error);
      while ((item = rs_assessment_current_item (assessment)) != NULL)
        {
          g_assert_cmpstr (item->id, !=, "backwards");
          shown++;
          g_assert_true (rs_assessment_submit (assessment, &answer, 1000, NULL, NULL));
        }
    }
  g_test_message ("%d questions asked, none of them the withheld one", shown);

  g_assert_false (rs_calibration_decide (f->store, rs_people_operator (), "c00", RS_DECISION_USE, &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (rs_calibration_decide (f->store, rs_people_operator (), "nothing", RS_DECISION_USE, &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (rs_calibration_decide (f->store, rs_people_operator (), "backwards", RS_DECISION_USE, &error));
  g_assert_no_error (error);
  current = rs_calibration_load_current (f->store, NULL);
  g_assert_cmpint (find (current, "backwards")->decision, ==, RS_DECISION_USE);
  g_assert_true (rs_calibration_apply_to_bank (f->store, f->bank, NULL));
  g_assert_false (rs_bank_is_withheld (f->bank, "backwards"));
  g_assert_true (rs_bank_lookup (f->bank, "backwards")->irt_given);
  g_assert_true (rs_calibration_decide (f->store, rs_people_operator (), "backwards", RS_DECISION_WITHHOLD, NULL));
  g_assert_true (rs_calibration_apply_to_bank (f->store, f->bank, NULL));
  g_assert_true (rs_bank_is_withheld (f->bank, "backwards"));
}

static void
sql_result (RsStore *store, const char *sql, char **text)
{
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (rs_store_get_db (store), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  *text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
}

/* Results record their calibration and a provisional SE; re-scoring
 * replaces them and keeps the old values. */
static void
test_results_and_rescore (Fixture *f, gconstpointer data)
{
  g_autoptr (RsCalibration) calibration = rs_calibration_run (f->store, f->bank, rs_people_operator (),
                                                              MIN_RESPONSES, NULL, NULL);
  g_autoptr (RsAssessment) assessment = NULL;
  g_autoptr (RsAttempt) stored = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *before = NULL, *after = NULL, *history = NULL, *provisional = NULL;
  RsSkill skill = RS_SKILL_PYTHON;
  RsAnswer answer = { .chosen = 1 };
  int n = -1, n_results;
  const RsSkillResult *result;
  g_autofree char *real_uuid = NULL;

  /* Before any calibration: scored with the bank's own parameters, all provisional. */
  assessment = rs_assessment_start (f->store, f->bank, 0, RS_MODE_QUICK, &skill, 1, NULL, 7, NULL);
  while (rs_assessment_current_item (assessment) != NULL)
    g_assert_true (rs_assessment_submit (assessment, &answer, 1000, NULL, NULL));
  g_assert_true (rs_assessment_finish (assessment, NULL));
  stored = rs_store_load_attempt (f->store, rs_assessment_uuid (assessment), NULL);
  result = &g_array_index (stored->results, RsSkillResult, 0);
  g_assert_cmpstr (result->calibration, ==, "");
  g_assert_true (result->se_provisional);
  real_uuid = g_strdup (stored->uuid);
  g_clear_pointer (&assessment, rs_assessment_free);
  g_clear_pointer (&stored, rs_attempt_free);

  g_assert_true (rs_calibration_apply (f->store, calibration, rs_people_operator (), NULL));
  g_assert_true (rs_calibration_apply_to_bank (f->store, f->bank, NULL));
  sql_result (f->store, "SELECT count(*) FROM results", &before);
  n_results = atoi (before);
  g_clear_pointer (&before, g_free);
  sql_result (f->store, "SELECT group_concat(v, ';') FROM (SELECT theta || '/' || se AS v FROM results ORDER BY attempt_id)", &before);

  g_assert_true (rs_calibration_rescore (f->store, f->bank, rs_people_operator (), &n, &error));
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, n_results);
  sql_result (f->store, "SELECT group_concat(v, ';') FROM (SELECT theta || '/' || se AS v FROM result_history ORDER BY attempt_id)",
              &history);
  sql_result (f->store, "SELECT group_concat(v, ';') FROM (SELECT theta || '/' || se AS v FROM results ORDER BY attempt_id)", &after);
  g_assert_cmpstr (history, ==, before);
  g_assert_cmpstr (after, !=, before);
  g_clear_pointer (&after, g_free);
  sql_result (f->store, "SELECT count(*) FROM results WHERE calibration IS NOT NULL", &after);
  g_assert_cmpint (atoi (after), ==, n_results);
  /* Nothing left to re-score. */
  g_assert_true (rs_calibration_rescore (f->store, f->bank, rs_people_operator (), &n, NULL));
  g_assert_cmpint (n, ==, 0);

  /* A re-scored attempt is again exactly what its answers give under the
   * calibration it now names, answer by answer: what another kiosk with the
   * same calibration recomputes when the attempt arrives signed. */
  {
    g_autoptr (RsAttempt) rescored = rs_store_load_attempt (f->store, real_uuid, NULL);
    RsRescore again = { 0 };
    g_autofree char *difference = NULL;

    g_assert_cmpstr (g_array_index (rescored->results, RsSkillResult, 0).calibration, ==,
                     rs_bank_calibration (f->bank));
    g_assert_true (rs_attempt_rescore (rescored, f->bank, NULL, &again, NULL));
    difference = rs_rescore_compare (rescored, &again);
    g_assert_null (difference);
    rs_rescore_clear (&again);
  }

  /* A new attempt records the calibration; its SE is provisional only if
   * it answered a provisional item. */
  assessment = rs_assessment_start (f->store, f->bank, 0, RS_MODE_QUICK, &skill, 1, NULL, 8, NULL);
  while (rs_assessment_current_item (assessment) != NULL)
    g_assert_true (rs_assessment_submit (assessment, &answer, 1000, NULL, NULL));
  g_assert_true (rs_assessment_finish (assessment, NULL));
  stored = rs_store_load_attempt (f->store, rs_assessment_uuid (assessment), NULL);
  result = &g_array_index (stored->results, RsSkillResult, 0);
  g_assert_cmpstr (result->calibration, ==, calibration->uuid);
  g_assert_cmpint (result->se_provisional, ==,
                   rs_assessment_se_provisional (f->bank, stored, RS_SKILL_PYTHON));
  sql_result (f->store, "SELECT count(*) FROM results WHERE se_provisional = 1", &provisional);
  g_test_message ("%s of %d results rest on provisional items after the calibration", provisional, n_results + 1);
}

/* calibration.yaml: what --export writes, the bank reads back exactly. */
static void
test_export_round_trip (Fixture *f, gconstpointer data)
{
  g_autoptr (RsCalibration) calibration = rs_calibration_run (f->store, f->bank, rs_people_operator (),
                                                              MIN_RESPONSES, NULL, NULL);
  g_autofree char *path = g_build_filename (f->dir, RS_BANK_CALIBRATION_FILE, NULL);
  g_autoptr (RsBank) other = make_bank ();
  g_autoptr (GError) error = NULL;

  g_assert_false (rs_calibration_export (calibration, path, &error));
  g_clear_error (&error);
  g_assert_true (rs_calibration_apply (f->store, calibration, rs_people_operator (), NULL));
  g_assert_true (rs_calibration_export (calibration, path, &error));
  g_assert_no_error (error);
  rs_bank_load_calibration (other, path);
  g_assert_cmpuint (rs_bank_diagnostics (other)->len, ==, 0);
  g_assert_cmpstr (rs_bank_calibration (other), ==, calibration->uuid);
  g_assert_cmpint (rs_bank_calibration_time (other), ==, calibration->created_at / G_USEC_PER_SEC * G_USEC_PER_SEC);
  for (guint i = 0; i < calibration->items->len; i++)
    {
      const RsCalibrationItem *it = g_ptr_array_index (calibration->items, i);
      const RsItem *item = rs_bank_lookup (other, it->item_id);

      g_assert_cmpint (item->irt_given, ==, it->status == RS_ITEM_CALIBRATED);
      g_assert_cmpint (rs_bank_is_withheld (other, it->item_id), ==, it->status == RS_ITEM_FLAGGED);
      if (it->status != RS_ITEM_CALIBRATED)
        continue;
      g_assert_cmpfloat (item->irt.a, ==, it->params.a);
      g_assert_cmpfloat (item->irt.b, ==, it->params.b);
      g_assert_cmpfloat (item->irt.c, ==, it->params.c);
      g_assert_cmpfloat (item->irt.steps[0], ==, it->params.steps[0]);
    }
}

/* A broken calibration.yaml: file:line messages, nothing applied. */
static void
test_bad_calibration_file (Fixture *f, gconstpointer data)
{
  g_autofree char *path = g_build_filename (f->dir, RS_BANK_CALIBRATION_FILE, NULL);
  g_autoptr (RsBank) bank = make_bank ();
  const GPtrArray *diagnostics;
  const char *text =
    "calibration: not-a-uuid\n"                                     /* 1 */
    "created: 2026-12-02T10:00:00Z\n"                                /* 2 */
    "items:\n";                                                      /* 3 */
  const char *text2 =
    "calibration: 0b8e6a38-0d6e-4f5e-9d1b-1d2b3c4d5e6f\n"           /* 1 */
    "created: yesterday\n"                                           /* 2 */
    "items:\n"                                                       /* 3 */
    "  - {id: nothing, irt: {a: 1, b: 0}}\n"                         /* 4 */
    "  - {id: c00, irt: {a: -1, b: 0}}\n"                            /* 5 */
    "  - {id: num, irt: {a: 1, b: 0.5}}\n"                           /* 6 */
    "  - {id: c01, irt: {a: 1.5, b: 0.25, c: 0.2}}\n"                /* 7 */
    "withheld: [c02, ghost]\n";                                      /* 8 */
  gboolean seen[9] = { FALSE };

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  rs_bank_load_calibration (bank, path);
  diagnostics = rs_bank_diagnostics (bank);
  g_assert_cmpuint (diagnostics->len, ==, 1);
  g_assert_cmpint (((RsDiagnostic *) g_ptr_array_index (diagnostics, 0))->line, ==, 1);
  g_assert_null (rs_bank_calibration (bank));

  g_assert_true (g_file_set_contents (path, text2, -1, NULL));
  g_clear_pointer (&bank, rs_bank_free);
  bank = make_bank ();
  rs_bank_load_calibration (bank, path);
  diagnostics = rs_bank_diagnostics (bank);
  for (guint i = 0; i < diagnostics->len; i++)
    {
      const RsDiagnostic *d = g_ptr_array_index (diagnostics, i);
      g_test_message ("%s:%d: %s", d->file, d->line, d->message);
      g_assert_cmpint (d->line, >=, 1);
      g_assert_cmpint (d->line, <=, 8);
      seen[d->line] = TRUE;
    }
  g_assert_true (seen[2] && seen[4] && seen[5] && seen[6] && seen[8]);
  g_assert_false (seen[7]);
  /* The good entry is applied, the bad ones are not. */
  g_assert_cmpfloat (rs_bank_lookup (bank, "c01")->irt.a, ==, 1.5);
  g_assert_true (rs_bank_lookup (bank, "c01")->irt_given);
  g_assert_false (rs_bank_lookup (bank, "c00")->irt_given);
  g_assert_true (rs_bank_is_withheld (bank, "c02"));
}

/* A questions folder with calibration.yaml beside the skill folders: the
 * folder loader reads it last, not as a topic, and puts it in force. */
static void
test_folder_with_calibration (Fixture *f, gconstpointer data)
{
  g_autofree char *skill_dir = g_build_filename (f->dir, "python", NULL);
  g_autofree char *topic = g_build_filename (skill_dir, "t.yaml", NULL);
  g_autofree char *calibration = g_build_filename (f->dir, RS_BANK_CALIBRATION_FILE, NULL);
  g_autoptr (RsBank) bank = rs_bank_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GString) text = g_string_new ("skill: python\nsubtopic: t\nitems:\n");

  for (int i = 1; i <= 2; i++)
    g_string_append_printf (text,
                            "  - id: t.%d\n    type: single\n    level: 3\n    stem: Which one?\n"
                            "    options: [\"one\", \"two\", \"three\", \"four\"]\n    key: B\n"
                            "    explanation: Because.\n", i);
  g_assert_cmpint (g_mkdir (skill_dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (topic, text->str, -1, NULL));
  g_assert_true (g_file_set_contents (calibration,
                                      "calibration: 0b8e6a38-0d6e-4f5e-9d1b-1d2b3c4d5e6f\n"
                                      "created: 2026-12-02T10:00:00Z\n"
                                      "items:\n  - {id: t.1, irt: {a: 1.4, b: 0.3, c: 0.25}}\n"
                                      "withheld: [t.2]\n", -1, NULL));
  g_assert_true (rs_bank_load_dir (bank, f->dir, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < rs_bank_diagnostics (bank)->len; i++)
    g_test_message ("%s", ((RsDiagnostic *) g_ptr_array_index (rs_bank_diagnostics (bank), i))->message);
  g_assert_cmpuint (rs_bank_diagnostics (bank)->len, ==, 0);
  g_assert_cmpuint (rs_bank_n_items (bank), ==, 2);
  g_assert_cmpstr (rs_bank_calibration (bank), ==, "0b8e6a38-0d6e-4f5e-9d1b-1d2b3c4d5e6f");
  g_assert_cmpfloat (rs_bank_lookup (bank, "t.1")->irt.a, ==, 1.4);
  g_assert_true (rs_bank_lookup (bank, "t.1")->irt_given);
  g_assert_false (rs_bank_lookup (bank, "t.2")->irt_given);
  g_assert_true (rs_bank_is_withheld (bank, "t.2"));

  /* The calibration is part of the bank's version (the one imports
   * recompute results with): another parameter, another version; no
   * calibration file, another again; the same files, the same. */
  {
    g_autoptr (RsBank) same = rs_bank_new ();
    g_autoptr (RsBank) changed = rs_bank_new ();
    g_autoptr (RsBank) without = rs_bank_new ();

    g_assert_true (rs_bank_load_dir (same, f->dir, &error));
    g_assert_cmpstr (rs_bank_version (same), ==, rs_bank_version (bank));
    g_assert_true (g_file_set_contents (calibration,
                                        "calibration: 0b8e6a38-0d6e-4f5e-9d1b-1d2b3c4d5e6f\n"
                                        "created: 2026-12-02T10:00:00Z\n"
                                        "items:\n  - {id: t.1, irt: {a: 1.5, b: 0.3, c: 0.25}}\n"
                                        "withheld: [t.2]\n", -1, NULL));
    g_assert_true (rs_bank_load_dir (changed, f->dir, &error));
    g_assert_cmpfloat (rs_bank_lookup (changed, "t.1")->irt.a, ==, 1.5);
    g_assert_cmpstr (rs_bank_version (changed), !=, rs_bank_version (bank));
    g_unlink (calibration);
    g_assert_true (rs_bank_load_dir (without, f->dir, &error));
    g_assert_cmpstr (rs_bank_version (without), !=, rs_bank_version (bank));
    g_assert_cmpstr (rs_bank_version (without), !=, rs_bank_version (changed));
  }
  g_unlink (topic);
  g_rmdir (skill_dir);
}

/* Every row of every table, as text: the whole database. */
static char *
whole_db (RsStore *store)
{
  sqlite3 *db = rs_store_get_db (store);
  sqlite3_stmt *tables = NULL;
  GString *out = g_string_new (NULL);

  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name", -1,
                                       &tables, NULL), ==, SQLITE_OK);
  while (sqlite3_step (tables) == SQLITE_ROW)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT * FROM \"%s\"", (const char *) sqlite3_column_text (tables, 0));
      sqlite3_stmt *rows = NULL;

      g_string_append_printf (out, "[%s]\n", (const char *) sqlite3_column_text (tables, 0));
      g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &rows, NULL), ==, SQLITE_OK);
      while (sqlite3_step (rows) == SQLITE_ROW)
        {
          for (int c = 0; c < sqlite3_column_count (rows); c++)
            g_string_append_printf (out, "|%d:%s", sqlite3_column_type (rows, c),
                                    sqlite3_column_type (rows, c) == SQLITE_NULL ? ""
                                                                                  : (const char *) sqlite3_column_text (rows, c));
          g_string_append_c (out, '\n');
        }
      sqlite3_finalize (rows);
    }
  sqlite3_finalize (tables);
  return g_string_free (out, FALSE);
}

/* The database refuses a write in the middle of putting a calibration in
 * force (the fifth of its items) and then in the middle of re-scoring (the
 * tenth result kept in the history): each fails with SQLite's reason and
 * leaves every table as it was; without the trigger each goes through. */
static void
test_fails_partway (Fixture *f, gconstpointer data)
{
  g_autoptr (RsCalibration) calibration = rs_calibration_run (f->store, f->bank, rs_people_operator (),
                                                              MIN_RESPONSES, NULL, NULL);
  sqlite3 *db = rs_store_get_db (f->store);
  g_autoptr (GError) error = NULL;
  g_autofree char *before = NULL, *after = NULL;
  int n = -1;

  g_assert_nonnull (calibration);
  g_assert_cmpuint (calibration->items->len, >, 5);
  g_assert_cmpint (sqlite3_exec (db, "CREATE TRIGGER fail_fifth BEFORE INSERT ON calibration_items"
                                 " WHEN (SELECT count(*) FROM calibration_items) >= 4"
                                 " BEGIN SELECT RAISE (ABORT, 'the disk gave up'); END", NULL, NULL, NULL), ==, SQLITE_OK);
  before = whole_db (f->store);
  g_assert_false (rs_calibration_apply (f->store, calibration, rs_people_operator (), &error));
  g_assert_nonnull (error);
  g_test_message ("refused: %s", error->message);
  g_assert_true (strstr (error->message, "the disk gave up") != NULL);
  g_clear_error (&error);
  after = whole_db (f->store);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpint (sqlite3_exec (db, "DROP TRIGGER fail_fifth", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_true (rs_calibration_apply (f->store, calibration, rs_people_operator (), &error));
  g_assert_no_error (error);
  g_assert_true (rs_calibration_apply_to_bank (f->store, f->bank, &error));
  g_assert_no_error (error);

  g_clear_pointer (&before, g_free);
  g_clear_pointer (&after, g_free);
  g_assert_cmpint (sqlite3_exec (db, "CREATE TRIGGER fail_tenth BEFORE INSERT ON result_history"
                                 " WHEN (SELECT count(*) FROM result_history) >= 9"
                                 " BEGIN SELECT RAISE (ABORT, 'the disk gave up'); END", NULL, NULL, NULL), ==, SQLITE_OK);
  before = whole_db (f->store);
  g_assert_false (rs_calibration_rescore (f->store, f->bank, rs_people_operator (), &n, &error));
  g_assert_nonnull (error);
  g_assert_true (strstr (error->message, "the disk gave up") != NULL);
  g_clear_error (&error);
  after = whole_db (f->store);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpint (sqlite3_exec (db, "DROP TRIGGER fail_tenth", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_true (rs_calibration_rescore (f->store, f->bank, rs_people_operator (), &n, &error));
  g_assert_no_error (error);
  g_assert_cmpint (n, >, 9);
}

/* Applying a calibration restarts the exposure counts (the cap reads them)
 * but not the answer counts (pretest seeding reads those); the next
 * attempts count from the calibration on. */
static void
test_exposure_restarts (Fixture *f, gconstpointer data)
{
  g_autoptr (RsCalibration) calibration = rs_calibration_run (f->store, f->bank, rs_people_operator (),
                                                              MIN_RESPONSES, NULL, NULL);
  g_autoptr (RsItemUsage) before = rs_store_item_usage (f->store, NULL);
  g_autoptr (RsItemUsage) after = NULL;
  g_autoptr (RsItemUsage) later = NULL;
  RsSkill skill = RS_SKILL_PYTHON;
  RsAnswer answer = { .chosen = 1 };
  guint shown_c00 = rs_item_usage_shown (before, "c00");
  guint attempts = rs_item_usage_attempts (before, RS_SKILL_PYTHON);

  g_assert_nonnull (before);
  g_assert_cmpuint (attempts, ==, N_ATTEMPTS);
  g_assert_cmpuint (shown_c00, >, 0);
  g_assert_cmpuint (rs_item_usage_shown_since (before, "c00"), ==, shown_c00);
  g_assert_cmpuint (rs_item_usage_attempts_since (before, RS_SKILL_PYTHON), ==, attempts);

  g_assert_true (rs_calibration_apply (f->store, calibration, rs_people_operator (), NULL));
  after = rs_store_item_usage (f->store, NULL);
  g_assert_cmpuint (rs_item_usage_shown (after, "c00"), ==, shown_c00);
  g_assert_cmpuint (rs_item_usage_attempts (after, RS_SKILL_PYTHON), ==, attempts);
  g_assert_cmpuint (rs_item_usage_shown_since (after, "c00"), ==, 0);
  g_assert_cmpuint (rs_item_usage_attempts_since (after, RS_SKILL_PYTHON), ==, 0);

  {
    g_autoptr (RsAssessment) assessment = rs_assessment_start (f->store, f->bank, 0, RS_MODE_QUICK, &skill, 1, NULL,
                                                               11, NULL);
    g_autoptr (GHashTable) asked = g_hash_table_new (g_str_hash, g_str_equal);
    const RsItem *item;

    while ((item = rs_assessment_current_item (assessment)) != NULL)
      {
        g_hash_table_add (asked, item->id);
        g_assert_true (rs_assessment_submit (assessment, &answer, 1000, NULL, NULL));
      }
    later = rs_store_item_usage (f->store, NULL);
    g_assert_cmpuint (rs_item_usage_attempts_since (later, RS_SKILL_PYTHON), ==, 1);
    g_assert_cmpuint (rs_item_usage_attempts (later, RS_SKILL_PYTHON), ==, attempts + 1);
    for (guint i = 0; i < rs_bank_n_items (f->bank); i++)
      {
        const char *id = rs_bank_item (f->bank, i)->id;
        g_assert_cmpuint (rs_item_usage_shown_since (later, id), ==, g_hash_table_contains (asked, id) ? 1 : 0);
      }
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, fn) g_test_add ("/calibration/" path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("run-statuses", test_run_statuses);
  ADD ("admin-only", test_admin_only);
  ADD ("versions-and-anchors", test_versions_and_anchors);
  ADD ("decisions-and-withheld", test_decisions_and_withheld);
  ADD ("results-and-rescore", test_results_and_rescore);
  ADD ("exposure-restarts", test_exposure_restarts);
  ADD ("export-round-trip", test_export_round_trip);
  ADD ("bad-calibration-file", test_bad_calibration_file);
  ADD ("folder-with-calibration", test_folder_with_calibration);
  ADD ("fails-partway", test_fails_partway);
  return g_test_run ();
}
