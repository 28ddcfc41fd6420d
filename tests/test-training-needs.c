/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A team's training needs, on a team whose every figure can be worked out
 * on paper.
 *
 * Bank: Python items, three each in async, classes and testing, all 2PL
 * with a = 1, b = 0 (P(right) = 1 / (1 + e^-θ)).
 * Roles: Analyst wants Python Proficient (cut -0.5), focus async and
 * classes, and Statistics Proficient; Builder wants Python Expert (cut 1.5),
 * no focus.
 *
 *   Alpha (led by Max, who is in it too and is not a member)
 *     Ann  θ 1.0  async 3/3, classes 2/3, testing 0/3
 *          testing: expected 3 × 0.731 = 2.19, residual -2.19,
 *          SE √(3 × 0.731 × 0.269) = 0.77: a gap
 *     Bob  θ -1.0 async 1/3, classes 1/3, testing 1/3: as expected
 *          (residuals +0.19), but below Analyst's cut: lacks its focus,
 *          async and classes
 *     Cy   θ 0.8  async 2/3, classes 3/3, testing 0/3: testing a gap
 *          (-2.07 against 0.80); a later practice attempt at θ -2 with
 *          everything wrong is not counted
 *     Dee  nothing yet
 *     Max  θ -2, everything wrong: a manager, not counted
 *
 * So for Analyst (everyone's best fit: 3 of 3): testing 2 of 3, async 1
 * of 3, classes 1 of 3; for Builder: testing 2 of 3 only. */
#include <glib/gstdio.h>
#include <string.h>

#include "rs-error.h"
#include "rs-privacy.h"
#include "rs-report-pdf.h"
#include "rs-report.h"
#include "rs-store.h"
#include "rs-training-needs.h"

static const char roles_yaml[] =
  "roles:\n"
  "  - id: analyst\n"
  "    name: Analyst\n"
  "    summary: Reads data.\n"
  "    wants:\n"
  "      python: {level: Proficient, weight: 1}\n"
  "      statistics: {level: Proficient, weight: 1}\n"
  "    focus: [python/async, python/classes]\n"
  "  - id: builder\n"
  "    name: Builder\n"
  "    summary: Builds things.\n"
  "    wants:\n"
  "      python: {level: Expert, weight: 1}\n";

static const char *const subtopics[] = { "async", "classes", "testing" };

typedef struct {
  char *dir;
  RsStore *store;
  RsRoleSet *roles;
  RsBank *bank;
  RsPerson *admin, *max, *ann;
  gint64 alpha;
} Fixture;

static gint64
add (Fixture *f, const char *number, const char *name, const char *team, RsPersonRole role)
{
  g_autoptr (GError) error = NULL;
  gint64 id = 0;

  g_assert_true (rs_store_add_person (f->store, number, name, team, role, NULL, &id, &error));
  g_assert_no_error (error);
  return id;
}

static RsItem *
make_item (const char *subtopic, int index)
{
  RsItem *item = g_new0 (RsItem, 1);

  item->id = g_strdup_printf ("python.%s.%d", subtopic, index);
  item->skill = RS_SKILL_PYTHON;
  item->subtopic = g_strdup (subtopic);
  item->type = RS_ITEM_SINGLE;
  item->level = 3;
  item->stem = g_strdup ("Question");
  item->explanation = g_strdup ("Because.");
  item->n_options = 2;
  item->options[0].text = g_strdup ("right");
  item->options[0].score = 1;
  item->options[1].text = g_strdup ("wrong");
  item->file = g_strdup ("test");
  item->irt = (RsIrtParams) { .model = RS_MODEL_4PL, .a = 1, .b = 0, .c = 0, .d = 1 };
  return item;
}

/* One finished Python attempt at theta: right[t] of the three items of
 * subtopics[t] answered right. */
static void
finish (Fixture *f, gint64 person_id, double theta, const int right[3], gboolean practice)
{
  g_autoptr (RsAttempt) attempt = rs_attempt_new ();
  g_autoptr (GError) error = NULL;
  RsSkillResult result = { RS_SKILL_PYTHON, theta, 0.3, 9, RS_LEVEL_PROFICIENT };
  int seq = 1;

  attempt->person_id = person_id;
  attempt->mode = RS_MODE_QUICK;
  attempt->n_skills = 1;
  attempt->skills[0] = RS_SKILL_PYTHON;
  for (int s = 0; s < RS_N_SKILLS; s++)
    attempt->self_level[s] = RS_LEVEL_INVALID;
  attempt->bank_version = g_strdup ("test");
  attempt->practice = practice;
  g_assert_true (rs_store_begin_attempt (f->store, attempt, &error));
  g_assert_no_error (error);
  for (int t = 0; t < 3; t++)
    for (int i = 0; i < 3; i++)
      {
        g_autofree char *id = g_strdup_printf ("python.%s.%d", subtopics[t], i);
        RsResponse response = {
          .seq = seq++, .item_id = id, .skill = RS_SKILL_PYTHON, .answer = (char *) (i < right[t] ? "0" : "1"),
          .score = i < right[t] ? 1 : 0, .max_score = 1, .theta = theta, .se = 0.3, .time_ms = 1000,
          .answered_at = g_get_real_time (),
        };

        g_assert_true (rs_store_record_answer (f->store, attempt->uuid, &response, NULL, &error));
        g_assert_no_error (error);
      }
  g_assert_true (rs_store_finish_attempt (f->store, attempt->uuid, &result, 1, &error));
  g_assert_no_error (error);
}

static void
setup (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *db = NULL, *roles = NULL;
  gint64 max, ann, bob, cy;

  f->dir = g_dir_make_tmp ("reskill-needs-XXXXXX", NULL);
  db = g_build_filename (f->dir, "test.db", NULL);
  roles = g_build_filename (f->dir, "roles.yaml", NULL);
  g_assert_true (g_file_set_contents (roles, roles_yaml, -1, NULL));
  f->roles = rs_role_set_load (roles, &error);
  g_assert_no_error (error);
  f->bank = rs_bank_new ();
  for (int t = 0; t < 3; t++)
    for (int i = 0; i < 3; i++)
      rs_bank_add_item (f->bank, make_item (subtopics[t], i));
  f->store = rs_store_open (db, &error);
  g_assert_no_error (error);

  add (f, "1000", "Ada Admin", NULL, RS_PERSON_ADMIN);
  max = add (f, "2001", "Max Manager", "Alpha", RS_PERSON_MANAGER);
  ann = add (f, "3001", "Ann Able", "Alpha", RS_PERSON_EMPLOYEE);
  bob = add (f, "3002", "Bob Brown", "Alpha", RS_PERSON_EMPLOYEE);
  cy = add (f, "3003", "Cy Clear", "Alpha", RS_PERSON_EMPLOYEE);
  add (f, "3004", "Dee Dunn", "Alpha", RS_PERSON_EMPLOYEE);
  g_assert_true (rs_report_find_team (f->store, "Alpha", &f->alpha, &error));
  g_assert_true (rs_store_set_team_manager (f->store, f->alpha, max, &error));
  g_assert_no_error (error);

  finish (f, ann, 1.0, (int[]) { 3, 2, 0 }, FALSE);
  finish (f, bob, -1.0, (int[]) { 1, 1, 1 }, FALSE);
  finish (f, cy, 0.8, (int[]) { 2, 3, 0 }, FALSE);
  finish (f, cy, -2.0, (int[]) { 0, 0, 0 }, TRUE);
  finish (f, max, -2.0, (int[]) { 0, 0, 0 }, FALSE);

  f->admin = rs_store_find_person (f->store, "1000", &error);
  f->max = rs_store_find_person (f->store, "2001", &error);
  f->ann = rs_store_find_person (f->store, "3001", &error);
  g_assert_no_error (error);
}

static void
teardown (Fixture *f, gconstpointer data)
{
  g_autoptr (GDir) dir = g_dir_open (f->dir, 0, NULL);
  const char *name;

  rs_store_close (f->store);
  rs_role_set_free (f->roles);
  rs_bank_free (f->bank);
  rs_person_free (f->admin);
  rs_person_free (f->max);
  rs_person_free (f->ann);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (f->dir, name, NULL);
      g_assert_cmpint (g_unlink (path), ==, 0);
    }
  g_assert_cmpint (g_rmdir (f->dir), ==, 0);
  g_free (f->dir);
}

static const RsTrainingNeed *
need (const RsTrainingNeeds *needs, guint index)
{
  g_assert_cmpuint (index, <, needs->needs->len);
  return g_ptr_array_index (needs->needs, index);
}

static void
test_heading_role (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RsTrainingNeeds) needs = rs_training_needs_new (f->store, f->roles, f->bank, NULL, f->max, f->alpha,
                                                             NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (needs->role);
  g_assert_cmpstr (needs->role->id, ==, "analyst");
  g_assert_false (needs->role_chosen);
  g_assert_cmpuint (needs->n_heading, ==, 3);
  g_assert_cmpuint (needs->n_members, ==, 4);
  g_assert_cmpuint (needs->n_measured_members, ==, 3);
  g_assert_cmpstr (needs->team_name, ==, "Alpha");
  g_assert_cmpuint (needs->needs->len, ==, 3);

  g_assert_cmpstr (need (needs, 0)->subtopic, ==, "testing");
  g_assert_cmpuint (need (needs, 0)->n_lacking, ==, 2);
  g_assert_cmpuint (need (needs, 0)->n_assessed, ==, 3);
  g_assert_false (need (needs, 0)->focus);
  g_assert_cmpstr (need (needs, 1)->subtopic, ==, "async");
  g_assert_cmpuint (need (needs, 1)->n_lacking, ==, 1);
  g_assert_true (need (needs, 1)->focus);
  g_assert_cmpstr (need (needs, 2)->subtopic, ==, "classes");
  g_assert_cmpuint (need (needs, 2)->n_lacking, ==, 1);
  g_assert_true (need (needs, 2)->focus);
  for (guint i = 0; i < 3; i++)
    {
      g_assert_cmpint (need (needs, i)->skill, ==, RS_SKILL_PYTHON);
      g_assert_false (need (needs, i)->too_few);
      g_assert_null (need (needs, i)->steps);
    }
  {
    g_autofree char *count = rs_training_need_describe_count (need (needs, 0));
    g_assert_cmpstr (count, ==, "2 of 3 members");
  }
}

static void
test_chosen_role (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RsTrainingNeeds) needs = rs_training_needs_new (f->store, f->roles, f->bank, NULL, f->admin, f->alpha,
                                                             "builder", &error);
  g_autoptr (RsTrainingNeeds) none = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (needs->role->id, ==, "builder");
  g_assert_true (needs->role_chosen);
  g_assert_cmpuint (needs->n_heading, ==, 0);
  /* Builder names no focus: only the gaps in answers count. */
  g_assert_cmpuint (needs->needs->len, ==, 1);
  g_assert_cmpstr (need (needs, 0)->subtopic, ==, "testing");
  g_assert_cmpuint (need (needs, 0)->n_lacking, ==, 2);

  none = rs_training_needs_new (f->store, f->roles, f->bank, NULL, f->admin, f->alpha, "astronaut", &error);
  g_assert_error (error, RS_ERROR, RS_ERROR_NOT_FOUND);
  g_assert_null (none);
}

static void
test_refused (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RsTrainingNeeds) needs = rs_training_needs_new (f->store, f->roles, f->bank, NULL, f->ann, f->alpha,
                                                             NULL, &error);

  g_assert_error (error, RS_ERROR, RS_ERROR_DENIED);
  g_assert_null (needs);
}

static void
set_policy (Fixture *f, RsVisibility visibility, guint min_group)
{
  g_autoptr (GError) error = NULL;
  RsPrivacyPolicy policy;

  g_assert_true (rs_privacy_get_policy (f->store, &policy, &error));
  policy.visibility = visibility;
  policy.min_group = min_group;
  g_assert_true (rs_privacy_set_policy (f->store, f->admin, &policy, &error));
  g_assert_no_error (error);
}

static void
test_aggregates (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RsTrainingNeeds) hidden = NULL;
  g_autoptr (RsTrainingNeeds) chosen = NULL;
  g_autoptr (RsTrainingNeeds) shown = NULL;

  /* Three measured members, fewer than five: which role most fit best is
   * not worked out, and a chosen role's counts are too few to show. */
  set_policy (f, RS_VISIBILITY_AGGREGATES, 5);
  hidden = rs_training_needs_new (f->store, f->roles, f->bank, NULL, f->max, f->alpha, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (hidden->role_too_few);
  g_assert_null (hidden->role);
  g_assert_cmpuint (hidden->needs->len, ==, 0);

  chosen = rs_training_needs_new (f->store, f->roles, f->bank, NULL, f->max, f->alpha, "analyst", &error);
  g_assert_no_error (error);
  /* Only the role's focus: that anyone lacks testing is not said. */
  g_assert_cmpuint (chosen->needs->len, ==, 2);
  g_assert_cmpstr (need (chosen, 0)->subtopic, ==, "async");
  g_assert_cmpstr (need (chosen, 1)->subtopic, ==, "classes");
  for (guint i = 0; i < chosen->needs->len; i++)
    {
      g_autofree char *count = rs_training_need_describe_count (need (chosen, i));

      g_assert_true (need (chosen, i)->too_few);
      g_assert_cmpuint (need (chosen, i)->n_lacking, ==, 0);
      g_assert_cmpstr (count, ==, "too few to show");
    }

  /* A threshold of three: the group is big enough. */
  set_policy (f, RS_VISIBILITY_AGGREGATES, 3);
  shown = rs_training_needs_new (f->store, f->roles, f->bank, NULL, f->max, f->alpha, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (shown->role->id, ==, "analyst");
  g_assert_false (shown->role_too_few);
  g_assert_cmpuint (need (shown, 0)->n_lacking, ==, 2);
  g_assert_false (need (shown, 0)->too_few);
}

static void
test_csv (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RsTrainingNeeds) needs = rs_training_needs_new (f->store, f->roles, f->bank, NULL, f->max, f->alpha,
                                                             NULL, &error);
  g_autoptr (RsTeamReport) report = rs_team_report_new (f->store, f->roles, f->max, f->alpha, &error);
  g_autofree char *path = g_build_filename (f->dir, "team.csv", NULL);
  g_autofree char *contents = NULL;
  g_autoptr (GString) csv = g_string_new (NULL);
  const char *section;

  g_assert_no_error (error);
  rs_training_needs_append_csv (needs, csv);
  g_assert_cmpstr (csv->str, ==,
                   "role,skill,subtopic,focus,members_lacking,members_measured\r\n"
                   "analyst,python,testing,no,2,3\r\n"
                   "analyst,python,async,yes,1,3\r\n"
                   "analyst,python,classes,yes,1,3\r\n");

  g_assert_true (rs_team_report_write_csv_full (report, needs, path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_true (g_str_has_prefix (contents, "employee_no,name,skill,"));
  section = strstr (contents, "\r\n\r\nrole,skill,subtopic,");
  g_assert_nonnull (section);
  g_assert_cmpstr (section + 4, ==, csv->str);

  /* Under aggregates, too few: the section says so, with no count. */
  set_policy (f, RS_VISIBILITY_AGGREGATES, 5);
  {
    g_autoptr (RsTrainingNeeds) hidden = rs_training_needs_new (f->store, f->roles, f->bank, NULL, f->max, f->alpha,
                                                                "analyst", &error);
    g_autoptr (GString) hidden_csv = g_string_new (NULL);

    g_assert_no_error (error);
    rs_training_needs_append_csv (hidden, hidden_csv);
    g_assert_cmpstr (hidden_csv->str, ==,
                     "role,skill,subtopic,focus,members_lacking,members_measured\r\n"
                     "analyst,python,async,yes,,too few to show\r\n"
                     "analyst,python,classes,yes,,too few to show\r\n");
  }
}

static const char learning_yaml[] =
  "subtopics:\n"
  "  python/testing:\n"
  "    - kind: docs\n"
  "      title: unittest basics\n"
  "      source: Python documentation, Library Reference\n"
  "      minutes: 30\n"
  "    - kind: exercise\n"
  "      title: Test a small function\n"
  "      detail: Write three tests for a function of your own and see one fail first.\n"
  "      minutes: 30\n";

/* The text a reader can select, by poppler's pdftotext; NULL without it. */
static char *
pdf_text (const char *path)
{
  g_autofree char *tool = g_find_program_in_path ("pdftotext");
  const char *argv[] = { tool, "-enc", "UTF-8", path, "-", NULL };
  char *out = NULL;
  int status = 0;

  if (tool == NULL)
    return NULL;
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out, NULL,
                               &status, NULL));
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return out;
}

static void
test_pdf (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *catalog_path = g_build_filename (f->dir, "learning.yaml", NULL);
  g_autofree char *path = g_build_filename (f->dir, "team.pdf", NULL);
  g_autofree char *text = NULL;
  g_autoptr (RsLearningCatalog) catalog = NULL;
  g_autoptr (RsTrainingNeeds) needs = NULL;
  g_autoptr (RsTeamReport) report = rs_team_report_new (f->store, f->roles, f->max, f->alpha, &error);

  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (catalog_path, learning_yaml, -1, NULL));
  catalog = rs_learning_catalog_load (catalog_path, &error);
  g_assert_no_error (error);
  needs = rs_training_needs_new (f->store, f->roles, f->bank, catalog, f->max, f->alpha, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (need (needs, 0)->steps);
  g_assert_cmpuint (need (needs, 0)->steps->len, ==, 2);
  g_assert_true (rs_team_report_write_pdf_full (report, needs, "Acme", path, &error));
  g_assert_no_error (error);

  text = pdf_text (path);
  if (text == NULL)
    {
      g_test_skip ("pdftotext (poppler-utils) is not installed: the PDF's text is not checked");
      return;
    }
  /* The section, in the contents and as a page. */
  g_assert_nonnull (strstr (text, "Training needs"));
  g_assert_nonnull (strstr (text, "the best fit of 3 members"));
  g_assert_nonnull (strstr (text, "2 of 3 members"));
  g_assert_nonnull (strstr (text, "unittest basics (Python documentation, Library Reference)"));
  g_assert_nonnull (strstr (text, "Test a small function"));
  g_assert_nonnull (strstr (text, "the role rests on it"));
  /* The skills map's Best fit column: Bob's best fit is not met. */
  g_assert_nonnull (strstr (text, "Best fit"));
  g_assert_nonnull (strstr (text, "not yet met"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_setenv ("TZ", "UTC", TRUE);
#define ADD(name, func) g_test_add ("/training-needs/" name, Fixture, NULL, setup, func, teardown)
  ADD ("heading-role", test_heading_role);
  ADD ("chosen-role", test_chosen_role);
  ADD ("refused", test_refused);
  ADD ("aggregates", test_aggregates);
  ADD ("csv", test_csv);
  ADD ("pdf", test_pdf);
  return g_test_run ();
}
