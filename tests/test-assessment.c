/* SPDX-License-Identifier: GPL-3.0-or-later */
/* An assessment end to end on a real store: durable answers, resume at the
 * exact question, no change when a commit fails, results and avoidance of
 * recently seen items. */
#include <math.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "rs-assessment.h"
#include "rs-error.h"

typedef struct {
  char *dir;
  char *path;
  RsStore *store;
  RsBank *bank;
} Fixture;

static RsItem *
make_item (RsSkill skill, int index)
{
  RsItem *item = g_new0 (RsItem, 1);

  item->id = g_strdup_printf ("%s.%02d", rs_skill_id (skill), index);
  item->skill = skill;
  item->subtopic = g_strdup_printf ("topic%d", index % 3);
  item->type = RS_ITEM_SINGLE;
  item->level = 1 + index % 5;
  item->stem = g_strdup_printf ("Question %d", index);
  item->explanation = g_strdup ("Because.");
  item->n_options = 4;
  for (int o = 0; o < 4; o++)
    item->options[o].text = g_strdup_printf ("option %c", 'A' + o);
  item->options[index % 4].score = 1;
  item->file = g_strdup ("test");
  rs_irt_params_from_level (&item->irt, item->level, 1, 0.25);
  return item;
}

static void
setup (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  f->dir = g_dir_make_tmp ("reskill-assessment-XXXXXX", NULL);
  f->path = g_build_filename (f->dir, "test.db", NULL);
  f->store = rs_store_open (f->path, &error);
  g_assert_no_error (error);
  f->bank = rs_bank_new ();
  for (int s = RS_SKILL_PYTHON; s <= RS_SKILL_STATISTICS; s++)
    for (int i = 0; i < 40; i++)
      rs_bank_add_item (f->bank, make_item ((RsSkill) s, i));
}

static void
teardown (Fixture *f, gconstpointer data)
{
  rs_store_close (f->store);
  rs_bank_free (f->bank);
  for (const char *const *suffix = (const char *const[]) { "", "-wal", "-shm", NULL }; *suffix; suffix++)
    {
      g_autofree char *file = g_strconcat (f->path, *suffix, NULL);
      g_remove (file);
    }
  g_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static RsAssessment *
start (Fixture *f, gint64 person, guint32 seed)
{
  static const RsSkill skills[] = { RS_SKILL_PYTHON, RS_SKILL_STATISTICS };
  g_autoptr (GError) error = NULL;
  RsAssessment *a = rs_assessment_start (f->store, f->bank, person, RS_MODE_QUICK, skills, 2, NULL, seed, &error);

  g_assert_no_error (error);
  g_assert_nonnull (a);
  return a;
}

static void
answer_current (RsAssessment *a, gboolean right)
{
  g_autoptr (GError) error = NULL;
  const RsItem *item = rs_assessment_current_item (a);
  RsAnswer answer;

  rs_item_best_answer (item, &answer);
  if (!right)
    answer.chosen = answer.chosen == 1 ? 2 : 1;
  g_assert_true (rs_assessment_submit (a, &answer, 1500, NULL, &error));
  g_assert_no_error (error);
}

/* Answers of an attempt in the database file itself, not counting the WAL. */
static int
answers_in_main_file (Fixture *f, const char *uuid)
{
  g_autofree char *uri = g_strconcat ("file:", f->path, "?immutable=1", NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  int count;

  g_assert_cmpint (sqlite3_open_v2 (uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count(*) FROM responses WHERE attempt_id = ?", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  count = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return count;
}

static void
test_full_run (Fixture *f, gconstpointer data)
{
  g_autoptr (RsAssessment) a = start (f, 0, 42);
  g_autoptr (RsAttempt) stored = NULL;
  g_autoptr (GError) error = NULL;
  int n = 0;

  while (rs_assessment_current_item (a) != NULL)
    answer_current (a, n++ % 3 != 0);
  g_assert_true (rs_assessment_is_finished (a));
  /* Finishing checkpoints the log: until then the answers live in the WAL
   * (the automatic checkpoint waits for ~40 MB), after it the main file
   * holds them. A connection that ignores the WAL (immutable=1) sees which. */
  g_assert_cmpint (answers_in_main_file (f, rs_assessment_uuid (a)), ==, 0);
  g_assert_true (rs_assessment_finish (a, &error));
  g_assert_true (rs_assessment_finish (a, &error));   /* idempotent */
  g_assert_cmpint (answers_in_main_file (f, rs_assessment_uuid (a)), ==, n);

  stored = rs_store_load_attempt (f->store, rs_assessment_uuid (a), &error);
  g_assert_no_error (error);
  g_assert_cmpint (stored->status, ==, RS_ATTEMPT_FINISHED);
  g_assert_cmpuint (stored->responses->len, ==, (guint) n);
  g_assert_cmpuint (stored->results->len, ==, 2);
  for (guint i = 0; i < stored->responses->len; i++)
    g_assert_cmpint (g_array_index (stored->responses, RsResponse, i).seq, ==, (int) i + 1);
  for (int s = 0; s < 2; s++)
    {
      const RsCatSkillState *state = rs_cat_skill_state (rs_assessment_cat (a), s);
      const RsSkillResult *result = &g_array_index (stored->results, RsSkillResult, s);
      const RsSkillResult *match = result->skill == state->skill ? result
                                   : &g_array_index (stored->results, RsSkillResult, 1 - s);
      g_assert_cmpfloat_with_epsilon (match->theta, state->theta, 1e-9);
      g_assert_cmpfloat_with_epsilon (match->se, state->se, 1e-9);
      g_assert_cmpint (match->n_items, ==, state->n_items);
      g_assert_cmpint (state->n_items, >=, 5);
      g_assert_cmpint (state->n_items, <=, 10);
    }
}

static void
test_resume_exactly (Fixture *f, gconstpointer data)
{
  g_autofree char *uuid = NULL;
  g_autofree char *pending = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (RsAssessment) resumed = NULL;

  {
    g_autoptr (RsAssessment) a = start (f, 0, 7);
    for (int i = 0; i < 3; i++)
      answer_current (a, TRUE);
    uuid = g_strdup (rs_assessment_uuid (a));
    pending = g_strdup (rs_assessment_current_item (a)->id);
    /* The window goes away mid-question: nothing more is written. */
  }
  resumed = rs_assessment_resume (f->store, f->bank, uuid, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rs_assessment_current_item (resumed)->id, ==, pending);
  g_assert_cmpint (rs_assessment_next_seq (resumed), ==, 4);
  g_assert_cmpint (rs_cat_state_for_skill (rs_assessment_cat (resumed), RS_SKILL_PYTHON)->n_items, ==, 3);
  while (rs_assessment_current_item (resumed) != NULL)
    answer_current (resumed, TRUE);
  g_assert_true (rs_assessment_finish (resumed, &error));

  /* A finished attempt cannot be resumed. */
  g_assert_null (rs_assessment_resume (f->store, f->bank, uuid, &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_INVALID);
}

static void
test_failed_commit_changes_nothing (Fixture *f, gconstpointer data)
{
  g_autoptr (RsAssessment) a = start (f, 0, 9);
  g_autoptr (GError) error = NULL;
  const RsItem *before;
  RsAnswer answer;
  double theta_before;

  answer_current (a, TRUE);
  before = rs_assessment_current_item (a);
  theta_before = rs_cat_state_for_skill (rs_assessment_cat (a), RS_SKILL_PYTHON)->theta;
  rs_item_best_answer (before, &answer);

  /* The database refuses writes (as a read-only or full disk would). */
  g_assert_cmpint (sqlite3_exec (rs_store_get_db (f->store), "PRAGMA query_only = ON", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_false (rs_assessment_submit (a, &answer, 1000, NULL, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_true (rs_assessment_current_item (a) == before);
  g_assert_cmpint (rs_assessment_next_seq (a), ==, 2);
  g_assert_cmpfloat (rs_cat_state_for_skill (rs_assessment_cat (a), RS_SKILL_PYTHON)->theta, ==, theta_before);

  /* Writable again: the same answer goes through. */
  g_assert_cmpint (sqlite3_exec (rs_store_get_db (f->store), "PRAGMA query_only = OFF", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_true (rs_assessment_submit (a, &answer, 1000, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (rs_assessment_next_seq (a), ==, 3);
}

/* Right on even answers, wrong on odd ones: a person in the middle, whose
 * level stays unclear, so the test runs to its maximum length. */
static void
mixed_answer (const RsItem *item, int seq, RsAnswer *answer)
{
  rs_item_best_answer (item, answer);
  if (seq % 2 == 0)
    return;
  if (item->type == RS_ITEM_NUMERIC)
    answer->number += 1000.0 * (fabs (answer->number) + 1.0);
  else
    answer->chosen = (answer->chosen & 1u) ? 2u : 1u;
}

/* A full disk, as SQLite sees it: the database may not grow past its
 * present size. Answers go on into free space until one needs a new page;
 * that one is refused with a message that says so, nothing changes, and the
 * same answer goes through once there is room again. */
static void
test_disk_full (Fixture *f, gconstpointer data)
{
  static const RsSkill skills[] = { RS_SKILL_PYTHON, RS_SKILL_STATISTICS };
  g_autoptr (GError) error = NULL;
  g_autoptr (RsAssessment) a = rs_assessment_start (f->store, f->bank, 0, RS_MODE_PRECISE, skills, 2, NULL, 5, &error);
  sqlite3 *db = rs_store_get_db (f->store);
  const RsItem *item = NULL;
  RsAnswer answer;
  int next_seq = 0;

  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA max_page_count = 1", NULL, NULL, NULL), ==, SQLITE_OK);
  /* (SQLite clamps the limit to the current size.) */
  while ((item = rs_assessment_current_item (a)) != NULL)
    {
      next_seq = rs_assessment_next_seq (a);
      mixed_answer (item, next_seq, &answer);
      if (!rs_assessment_submit (a, &answer, 1000, NULL, &error))
        break;
    }
  g_assert_nonnull (item);   /* the disk filled up before the test ended */
  g_assert_error (error, RS_ERROR, RS_ERROR_DB_FULL);
  g_test_message ("after %d answers: %s", next_seq - 1, error->message);
  g_clear_error (&error);
  g_assert_true (rs_assessment_current_item (a) == item);
  g_assert_cmpint (rs_assessment_next_seq (a), ==, next_seq);

  g_assert_cmpint (sqlite3_exec (db, "PRAGMA max_page_count = 1073741823", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_true (rs_assessment_submit (a, &answer, 1000, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (rs_assessment_next_seq (a), ==, next_seq + 1);
}

/* A new assessment sets aside the person's unfinished one: once the new
 * one is finished, nothing old is offered for resuming. */
static void
test_new_attempt_abandons_old (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *first = NULL;
  g_autofree char *offered = NULL;
  gint64 person;

  g_assert_true (rs_store_add_person (f->store, "77", "Some One", NULL, RS_PERSON_EMPLOYEE, NULL, &person, &error));
  {
    g_autoptr (RsAssessment) a = start (f, person, 2);
    answer_current (a, TRUE);
    first = g_strdup (rs_assessment_uuid (a));
  }
  offered = rs_store_find_resumable (f->store, person, &error);
  g_assert_cmpstr (offered, ==, first);
  g_clear_pointer (&offered, g_free);
  {
    g_autoptr (RsAssessment) b = start (f, person, 3);
    while (rs_assessment_current_item (b) != NULL)
      answer_current (b, TRUE);
    g_assert_true (rs_assessment_finish (b, &error));
  }
  offered = rs_store_find_resumable (f->store, person, &error);
  g_assert_no_error (error);
  g_assert_null (offered);
  /* Set aside, not lost: it can still be opened by its id. */
  {
    g_autoptr (RsAttempt) kept = rs_store_load_attempt (f->store, first, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (kept->responses->len, ==, 1);
  }
}

static void
test_empty_bank (Fixture *f, gconstpointer data)
{
  RsSkill skills[] = { RS_SKILL_EMPATHY };
  g_autoptr (GError) error = NULL;
  g_autoptr (RsAssessment) a = rs_assessment_start (f->store, f->bank, 0, RS_MODE_QUICK, skills, 1, NULL, 1, &error);

  g_assert_null (a);
  g_assert_error (error, RS_ERROR, RS_ERROR_EMPTY_BANK);
}

static void
test_recent_items_avoided (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GHashTable) first_items = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gint64 person;

  g_assert_true (rs_store_add_person (f->store, "42", "Test Person", NULL, RS_PERSON_EMPLOYEE, NULL, &person, &error));
  {
    g_autoptr (RsAssessment) a = start (f, person, 1);
    while (rs_assessment_current_item (a) != NULL)
      {
        g_hash_table_add (first_items, g_strdup (rs_assessment_current_item (a)->id));
        answer_current (a, TRUE);
      }
    g_assert_true (rs_assessment_finish (a, &error));
  }
  {
    /* 40 items per skill and at most 10 asked: the second attempt has room
     * to avoid every item of the first. */
    g_autoptr (RsAssessment) b = start (f, person, 1);
    while (rs_assessment_current_item (b) != NULL)
      {
        g_assert_false (g_hash_table_contains (first_items, rs_assessment_current_item (b)->id));
        answer_current (b, TRUE);
      }
  }
}

static RsAssessment *
start_python (Fixture *f, gint64 person, RsMode mode, guint32 seed)
{
  static const RsSkill skills[] = { RS_SKILL_PYTHON };
  g_autoptr (GError) error = NULL;
  RsAssessment *a = rs_assessment_start (f->store, f->bank, person, mode, skills, 1, NULL, seed, &error);

  g_assert_no_error (error);
  g_assert_nonnull (a);
  return a;
}

/* Pretest answers are stored, marked unscored, and the stored result is
 * exactly what the scored answers alone give; a resume at a pretest item
 * puts it back as a pretest item. */
static void
test_pretest_stored_unscored (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RsAttempt) stored = NULL;
  g_autofree char *uuid = NULL;
  g_autofree char *pending = NULL;
  const RsSkillResult *result;
  RsAbilityConfig config;
  RsAbility ability;
  double theta, se;
  int n = 0, n_unscored = 0;

  /* Up to the first pretest item, then resume there. */
  {
    g_autoptr (RsAssessment) a = start_python (f, 0, RS_MODE_PRECISE, 8);
    while (!rs_cat_current_is_pretest (rs_assessment_cat (a)))
      {
        g_assert_nonnull (rs_assessment_current_item (a));
        answer_current (a, n++ % 2 == 0);
      }
    uuid = g_strdup (rs_assessment_uuid (a));
    pending = g_strdup (rs_assessment_current_item (a)->id);
  }
  {
    g_autoptr (RsAssessment) b = rs_assessment_resume (f->store, f->bank, uuid, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (rs_assessment_current_item (b)->id, ==, pending);
    g_assert_true (rs_cat_current_is_pretest (rs_assessment_cat (b)));
    while (rs_assessment_current_item (b) != NULL)
      answer_current (b, n++ % 2 == 0);
    g_assert_true (rs_assessment_finish (b, &error));
  }

  stored = rs_store_load_attempt (f->store, uuid, &error);
  g_assert_no_error (error);
  result = &g_array_index (stored->results, RsSkillResult, 0);
  g_assert_true (result->has_level_probability);
  g_assert_cmpfloat (stored->prior_sd[RS_SKILL_PYTHON], ==, 1.0);
  rs_ability_config_init (&config);
  config.prior_mean = stored->prior_mean[RS_SKILL_PYTHON];
  config.prior_sd = stored->prior_sd[RS_SKILL_PYTHON];
  rs_ability_init (&ability, &config);
  for (guint i = 0; i < stored->responses->len; i++)
    {
      const RsResponse *r = &g_array_index (stored->responses, RsResponse, i);
      if (r->unscored)
        {
          n_unscored++;
          g_assert_cmpint (r->seq, >=, 10);   /* never before 10% allows it */
          continue;
        }
      rs_ability_add_response (&ability, &rs_bank_lookup (f->bank, r->item_id)->irt, r->score);
    }
  rs_ability_estimate (&ability, &theta, &se);
  g_assert_cmpint (n_unscored, >=, 1);
  g_assert_cmpint (n_unscored, <=, (int) (0.1 * stored->responses->len + 1e-9));
  g_assert_cmpint (result->n_items, ==, (int) stored->responses->len - n_unscored);
  g_assert_cmpfloat_with_epsilon (result->theta, theta, 1e-12);
  g_assert_cmpfloat_with_epsilon (result->se, se, 1e-12);
}

/* A returning person starts from their last result, widened for the time
 * since; the prior is stored with the attempt. A first-timer and a guest
 * start from N(0, 1). */
static void
test_returning_prior (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RsAttempt) first = NULL;
  g_autoptr (RsAttempt) second = NULL;
  g_autoptr (RsAttempt) guest = NULL;
  g_autofree char *first_uuid = NULL;
  const RsSkillResult *last;
  double mean, sd;
  gint64 person;

  g_assert_true (rs_store_add_person (f->store, "77", "Returning Person", NULL, RS_PERSON_EMPLOYEE, NULL, &person,
                                      &error));
  {
    g_autoptr (RsAssessment) a = start_python (f, person, RS_MODE_STANDARD, 3);
    while (rs_assessment_current_item (a) != NULL)
      answer_current (a, TRUE);
    g_assert_true (rs_assessment_finish (a, &error));
    first_uuid = g_strdup (rs_assessment_uuid (a));
  }
  first = rs_store_load_attempt (f->store, first_uuid, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (first->prior_mean[RS_SKILL_PYTHON], ==, 0.0);
  g_assert_cmpfloat (first->prior_sd[RS_SKILL_PYTHON], ==, 1.0);
  last = &g_array_index (first->results, RsSkillResult, 0);
  g_assert_cmpfloat (last->theta, >, 1.0);   /* all right: a high estimate to start from */

  {
    g_autoptr (RsAssessment) b = start_python (f, person, RS_MODE_STANDARD, 4);
    const RsCatSkillState *state = rs_cat_skill_state (rs_assessment_cat (b), 0);

    second = rs_store_load_attempt (f->store, rs_assessment_uuid (b), &error);
    g_assert_no_error (error);
    /* The CAT starts from the kept prior, not from N(0, 1): its first
     * estimate is the prior's own mean and SD on the 81-point grid over
     * [−4, 4], worked out here from the prior's density. */
    {
      double m = second->prior_mean[RS_SKILL_PYTHON], s = second->prior_sd[RS_SKILL_PYTHON];
      double w_sum = 0, x_sum = 0, xx_sum = 0, grid_mean, grid_sd;

      for (int q = 0; q < 81; q++)
        {
          double x = -4.0 + 0.1 * q, w = exp (-0.5 * (x - m) * (x - m) / (s * s));
          w_sum += w;
          x_sum += w * x;
          xx_sum += w * x * x;
        }
      grid_mean = x_sum / w_sum;
      grid_sd = sqrt (xx_sum / w_sum - grid_mean * grid_mean);
      g_test_message ("starts at %.6f, SE %.6f; prior N(%.6f, %.6f), on the grid %.6f, %.6f", state->theta,
                      state->se, m, s, grid_mean, grid_sd);
      g_assert_cmpfloat_with_epsilon (state->theta, grid_mean, 1e-9);
      g_assert_cmpfloat_with_epsilon (state->se, grid_sd, 1e-9);
      g_assert_cmpfloat (state->theta, >, 1.0);
    }
  }
  /* The same day: only the last SE and the floor, then the minimum. */
  rs_ability_returning_prior (last->theta, last->se, 0.0, 1.0, &mean, &sd);
  g_assert_cmpfloat_with_epsilon (second->prior_mean[RS_SKILL_PYTHON], mean, 1e-9);
  g_assert_cmpfloat_with_epsilon (second->prior_sd[RS_SKILL_PYTHON], sd, 1e-6);
  g_assert_cmpfloat_with_epsilon (mean, last->theta, 1e-9);
  g_assert_cmpfloat (sd, >=, RS_PRIOR_MIN_SD);
  g_assert_cmpfloat (sd, <, 1.0);

  {
    g_autoptr (RsAssessment) c = start_python (f, 0, RS_MODE_STANDARD, 5);
    guest = rs_store_load_attempt (f->store, rs_assessment_uuid (c), &error);
    g_assert_no_error (error);
  }
  g_assert_cmpfloat (guest->prior_mean[RS_SKILL_PYTHON], ==, 0.0);
  g_assert_cmpfloat (guest->prior_sd[RS_SKILL_PYTHON], ==, 1.0);
}


/* Usage as the store counts it: n earlier attempts on Python, each of which
 * answered item_id (and nothing else). */
static void
show_in_earlier_attempts (Fixture *f, const char *item_id, int n)
{
  for (int i = 0; i < n; i++)
    {
      g_autoptr (RsAttempt) attempt = rs_attempt_new ();
      g_autoptr (GError) error = NULL;
      RsResponse response = { .seq = 1, .item_id = (char *) item_id, .skill = RS_SKILL_PYTHON, .answer = "A",
                              .score = 1, .max_score = 1, .theta = 0.5, .se = 0.9, .time_ms = 1000 };

      attempt->mode = RS_MODE_QUICK;
      attempt->n_skills = 1;
      attempt->skills[0] = RS_SKILL_PYTHON;
      attempt->seed = (guint32) i;
      attempt->bank_version = g_strdup (rs_bank_version (f->bank));
      for (int s = 0; s < RS_N_SKILLS; s++)
        {
          attempt->self_level[s] = RS_LEVEL_INVALID;
          attempt->prior_sd[s] = 1.0;
        }
      g_assert_true (rs_store_begin_attempt (f->store, attempt, &error));
      g_assert_no_error (error);
      g_assert_true (rs_store_record_answer (f->store, attempt->uuid, &response, NULL, &error));
      g_assert_no_error (error);
    }
}

/* The kiosk's exposure cap reaches the test: with the item every earlier
 * attempt saw held back at the default cap, it is never the first
 * question; with the cap off (1) it is, as the most informative item. The
 * cap in force is the one given, on a resume too. */
static void
test_exposure_cap_option (Fixture *f, gconstpointer data)
{
  static const RsSkill python[] = { RS_SKILL_PYTHON };
  /* Level 3 (b = 0, where every test starts) in the largest subtopic, which
   * content balancing takes first. */
  const char *best = "python.12";
  int first_best[2] = { 0, 0 };

  /* Make it clearly the most informative item at θ = 0. */
  ((RsItem *) rs_bank_lookup (f->bank, best))->irt.a = 2.5;
  show_in_earlier_attempts (f, best, 12);
  for (int c = 0; c < 2; c++)
    for (guint32 seed = 1; seed <= 30; seed++)
      {
        g_autoptr (GError) error = NULL;
        g_autoptr (RsAssessment) a = NULL;
        g_autoptr (RsAssessment) resumed = NULL;
        RsAssessmentOptions options;

        rs_assessment_options_init (&options);
        options.exposure_cap = c == 0 ? 0.25 : 1.0;
        a = rs_assessment_start_full (f->store, f->bank, 0, RS_MODE_QUICK, python, 1, NULL, seed, &options, &error);
        g_assert_no_error (error);
        g_assert_cmpfloat (rs_cat_config (rs_assessment_cat (a))->exposure_cap, ==, options.exposure_cap);
        first_best[c] += g_str_equal (rs_assessment_current_item (a)->id, best);
        options.exposure_cap = 0.4;
        resumed = rs_assessment_resume_full (f->store, f->bank, rs_assessment_uuid (a), &options, &error);
        g_assert_no_error (error);
        g_assert_cmpfloat (rs_cat_config (rs_assessment_cat (resumed))->exposure_cap, ==, 0.4);
      }
  g_test_message ("the capped item came first %d times of 30 with the cap, %d without", first_best[0], first_best[1]);
  g_assert_cmpint (first_best[0], ==, 0);
  g_assert_cmpint (first_best[1], >=, 3);
}

/* A withheld item is never asked, even when the skill has nothing else
 * left: the test stops short instead. An item the person saw recently is
 * only avoided: asked when nothing else is left. */
static void
test_withheld_never_asked (Fixture *f, gconstpointer data)
{
  static const RsSkill python[] = { RS_SKILL_PYTHON };
  g_autoptr (GError) error = NULL;
  int asked = 0;

  /* Every Python item but two withheld; quick mode wants at least 5. */
  for (int i = 2; i < 40; i++)
    {
      g_autofree char *id = g_strdup_printf ("python.%02d", i);
      rs_bank_set_withheld (f->bank, id, TRUE);
    }
  {
    g_autoptr (RsAssessment) a = rs_assessment_start (f->store, f->bank, 0, RS_MODE_QUICK, python, 1, NULL, 5, &error);
    const RsItem *item;

    g_assert_no_error (error);
    while ((item = rs_assessment_current_item (a)) != NULL)
      {
        g_assert_false (rs_bank_is_withheld (f->bank, item->id));
        asked++;
        answer_current (a, TRUE);
      }
    g_assert_cmpint (asked, ==, 2);
    g_assert_cmpint (rs_cat_skill_state (rs_assessment_cat (a), 0)->n_items, ==, 2);
    g_assert_true (rs_assessment_finish (a, &error));
  }
  /* Withholding the last two too: nothing can be asked, a clear refusal. */
  rs_bank_set_withheld (f->bank, "python.00", TRUE);
  rs_bank_set_withheld (f->bank, "python.01", TRUE);
  g_assert_null (rs_assessment_start (f->store, f->bank, 0, RS_MODE_QUICK, python, 1, NULL, 6, &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_EMPTY_BANK);
  g_clear_error (&error);

  /* Recently seen items, by contrast, come back when nothing else is left. */
  for (int i = 0; i < 40; i++)
    {
      g_autofree char *id = g_strdup_printf ("python.%02d", i);
      rs_bank_set_withheld (f->bank, id, FALSE);
    }
  {
    g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    gint64 person;
    int repeats = 0;

    g_assert_true (rs_store_add_person (f->store, "55", "Often Here", NULL, RS_PERSON_EMPLOYEE, NULL, &person, &error));
    for (int round = 0; round < 10; round++)
      {
        g_autoptr (RsAssessment) a = rs_assessment_start (f->store, f->bank, person, RS_MODE_QUICK, python, 1, NULL,
                                                          (guint32) (10 + round), &error);
        const RsItem *item;

        g_assert_no_error (error);
        while ((item = rs_assessment_current_item (a)) != NULL)
          {
            if (!g_hash_table_add (seen, g_strdup (item->id)))
              repeats++;
            answer_current (a, round % 2 == 0);
          }
        g_assert_true (rs_assessment_finish (a, &error));
      }
    /* Ten quick tests of at least 5 items on 40 items: some must come back. */
    g_test_message ("%u items seen, %d repeats", g_hash_table_size (seen), repeats);
    g_assert_cmpint (repeats, >, 0);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/assessment/full-run", Fixture, NULL, setup, test_full_run, teardown);
  g_test_add ("/assessment/resume", Fixture, NULL, setup, test_resume_exactly, teardown);
  g_test_add ("/assessment/failed-commit", Fixture, NULL, setup, test_failed_commit_changes_nothing, teardown);
  g_test_add ("/assessment/disk-full", Fixture, NULL, setup, test_disk_full, teardown);
  g_test_add ("/assessment/new-abandons-old", Fixture, NULL, setup, test_new_attempt_abandons_old, teardown);
  g_test_add ("/assessment/empty-bank", Fixture, NULL, setup, test_empty_bank, teardown);
  g_test_add ("/assessment/recent-items", Fixture, NULL, setup, test_recent_items_avoided, teardown);
  g_test_add ("/assessment/pretest-stored-unscored", Fixture, NULL, setup, test_pretest_stored_unscored, teardown);
  g_test_add ("/assessment/returning-prior", Fixture, NULL, setup, test_returning_prior, teardown);
  g_test_add ("/assessment/exposure-cap-option", Fixture, NULL, setup, test_exposure_cap_option, teardown);
  g_test_add ("/assessment/withheld-never-asked", Fixture, NULL, setup, test_withheld_never_asked, teardown);
  return g_test_run ();
}
