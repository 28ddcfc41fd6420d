/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Privacy (issue 14), in the core: the visibility rule, case by case; each
 * policy refusing what it hides in the team report, member drill-down,
 * answers, company overview, CSV and PDF; small groups; practice attempts
 * that no one else sees and that travel only once shared; the notice and
 * its confirmation; who looked; retention (and its dry run) with answers
 * kept for calibration and linked to nobody; a person's data export with
 * every row about them; erasure that leaves no byte of the person in the
 * database file or its log; erasures that travel in bundles and tombstones
 * that keep erased and expired results from coming back.
 *
 * The organization: team Big (B1..B6), team Small (S1..S3), both led by
 * manager M (who is in no team); admin A; O leads Other, an empty team. */
#define _GNU_SOURCE             /* memmem: the bytes of a database file */
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <sqlite3.h>
#include <string.h>

#include "rs-access.h"
#include "rs-assessment.h"
#include "rs-calibration.h"
#include "rs-erasure.h"
#include "rs-error.h"
#include "rs-exchange.h"
#include "rs-people.h"
#include "rs-person-data.h"
#include "rs-privacy.h"
#include "rs-report-pdf.h"
#include "rs-report.h"
#include "rs-retention.h"
#include "rs-trust.h"
#include "rs-unit.h"

static const char roles_yaml[] =
  "roles:\n"
  "  - id: analyst\n"
  "    name: Analyst\n"
  "    summary: Reads data.\n"
  "    wants:\n"
  "      python: {level: Proficient, weight: 1}\n"
  "      statistics: {level: Proficient, weight: 1}\n";

typedef struct {
  char *dir;
  RsStore *store;
  RsBank *bank;
  RsRoleSet *roles;
  RsPerson *admin, *manager, *other_manager, *b1, *s1;
  gint64 big, small, other;
} Fixture;

static gint64 fake_now;

static gint64
fake_clock (void)
{
  return fake_now++;
}

/* --- setup --- */

static RsItem *
make_item (RsSkill skill, int index)
{
  RsItem *item = g_new0 (RsItem, 1);

  item->id = g_strdup_printf ("%s.q%02d", rs_skill_id (skill), index);
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

static RsBank *
make_bank (void)
{
  RsBank *bank = rs_bank_new ();

  for (int s = RS_SKILL_PYTHON; s <= RS_SKILL_STATISTICS; s++)
    for (int i = 0; i < 40; i++)
      rs_bank_add_item (bank, make_item ((RsSkill) s, i));
  return bank;
}

static gint64
add_person (RsStore *store, const char *number, const char *name, const char *team, RsPersonRole role,
            const char *pin)
{
  g_autoptr (GError) error = NULL;
  gint64 id = 0;

  g_assert_true (rs_store_add_person (store, number, name, team, role, pin, &id, &error));
  g_assert_no_error (error);
  return id;
}

static RsPerson *
get_person (RsStore *store, gint64 id)
{
  g_autoptr (GError) error = NULL;
  RsPerson *person = rs_store_get_person (store, id, &error);

  g_assert_no_error (error);
  return person;
}

static gint64
person_id (RsStore *store, const char *number)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RsPerson) person = rs_store_find_person (store, number, &error);

  g_assert_no_error (error);
  return person->id;
}

/* A finished attempt in python and statistics, every answer right but
 * every third (practice when asked). Returns the UUID. */
static char *
take_full (RsStore *store, const RsBank *bank, gint64 person, guint32 seed, gboolean practice)
{
  static const RsSkill skills[] = { RS_SKILL_PYTHON, RS_SKILL_STATISTICS };
  static const RsLevel self[] = { RS_LEVEL_PROFICIENT, RS_LEVEL_INVALID };
  RsAssessmentOptions options = { .practice = practice };
  g_autoptr (GError) error = NULL;
  g_autoptr (RsAssessment) a = rs_assessment_start_full (store, bank, person, RS_MODE_QUICK, skills, 2, self, seed,
                                                         &options, &error);

  g_assert_no_error (error);
  for (int i = 0; rs_assessment_current_item (a) != NULL; i++)
    {
      const RsItem *item = rs_assessment_current_item (a);
      RsAnswer given;

      rs_item_best_answer (item, &given);
      if (i % 3 == 2)
        given.chosen = given.chosen == 1 ? 2 : 1;
      g_assert_true (rs_assessment_submit (a, &given, 1000 + i, NULL, &error));
      g_assert_no_error (error);
    }
  g_assert_true (rs_assessment_finish (a, &error));
  g_assert_no_error (error);
  return g_strdup (rs_assessment_uuid (a));
}

static char *
take (Fixture *f, const RsPerson *person, guint32 seed)
{
  return take_full (f->store, f->bank, person->id, seed, FALSE);
}

static void
setup (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *db = NULL, *roles = NULL;

  fake_now = G_GINT64_CONSTANT (1760000000) * G_USEC_PER_SEC;   /* October 2025 */
  rs_store_set_clock (fake_clock);
  f->dir = g_dir_make_tmp ("reskill-privacy-XXXXXX", NULL);
  g_assert_nonnull (f->dir);
  db = g_build_filename (f->dir, "kiosk.db", NULL);
  f->store = rs_store_open (db, &error);
  g_assert_no_error (error);
  roles = g_build_filename (f->dir, "roles.yaml", NULL);
  g_assert_true (g_file_set_contents (roles, roles_yaml, -1, NULL));
  f->roles = rs_role_set_load (roles, &error);
  g_assert_no_error (error);
  f->bank = make_bank ();

  f->admin = get_person (f->store, add_person (f->store, "A", "Ada Admin", NULL, RS_PERSON_ADMIN, "2468"));
  f->manager = get_person (f->store, add_person (f->store, "M", "Max Manager", NULL, RS_PERSON_MANAGER, "2468"));
  f->other_manager = get_person (f->store, add_person (f->store, "O", "Olga Other", NULL, RS_PERSON_MANAGER, "2468"));
  g_assert_true (rs_store_ensure_team (f->store, "Big", &f->big, &error));
  g_assert_true (rs_store_ensure_team (f->store, "Small", &f->small, &error));
  g_assert_true (rs_store_ensure_team (f->store, "Other", &f->other, &error));
  g_assert_true (rs_store_set_team_manager (f->store, f->big, f->manager->id, &error));
  g_assert_true (rs_store_set_team_manager (f->store, f->small, f->manager->id, &error));
  g_assert_true (rs_store_set_team_manager (f->store, f->other, f->other_manager->id, &error));
  g_assert_no_error (error);
  for (int i = 1; i <= 6; i++)
    {
      g_autofree char *number = g_strdup_printf ("B%d", i);
      g_autofree char *name = g_strdup_printf ("Bea Bigteam%d", i);
      g_autofree char *uuid = NULL;
      gint64 id = add_person (f->store, number, name, "Big", RS_PERSON_EMPLOYEE, "1234");
      g_autoptr (RsPerson) member = get_person (f->store, id);

      uuid = take (f, member, (guint32) i);
      if (i == 1)
        f->b1 = g_steal_pointer (&member);
    }
  for (int i = 1; i <= 3; i++)
    {
      g_autofree char *number = g_strdup_printf ("S%d", i);
      g_autofree char *name = g_strdup_printf ("Sol Smallteam%d", i);
      g_autofree char *uuid = NULL;
      gint64 id = add_person (f->store, number, name, "Small", RS_PERSON_EMPLOYEE, "1234");
      g_autoptr (RsPerson) member = get_person (f->store, id);

      uuid = take (f, member, (guint32) (10 + i));
      if (i == 1)
        f->s1 = g_steal_pointer (&member);
    }
}

static void
teardown (Fixture *f, gconstpointer data)
{
  g_autoptr (GDir) dir = NULL;
  const char *name;

  rs_store_set_clock (NULL);
  g_unsetenv ("LANGUAGE");
  rs_person_free (f->admin);
  rs_person_free (f->manager);
  rs_person_free (f->other_manager);
  rs_person_free (f->b1);
  rs_person_free (f->s1);
  rs_store_close (f->store);
  rs_bank_free (f->bank);
  rs_role_set_free (f->roles);
  /* Two levels: export folders. */
  dir = g_dir_open (f->dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (f->dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          g_autoptr (GDir) inner = g_dir_open (path, 0, NULL);
          const char *file;

          while (inner != NULL && (file = g_dir_read_name (inner)) != NULL)
            {
              g_autofree char *inner_path = g_build_filename (path, file, NULL);
              g_remove (inner_path);
            }
          g_rmdir (path);
        }
      else
        g_remove (path);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
}

static void
set_visibility (Fixture *f, RsVisibility visibility)
{
  g_autoptr (GError) error = NULL;
  RsPrivacyPolicy policy;

  g_assert_true (rs_privacy_get_policy (f->store, &policy, &error));
  policy.visibility = visibility;
  g_assert_true (rs_privacy_set_policy (f->store, f->admin, &policy, &error));
  g_assert_no_error (error);
}

static gint64
count (RsStore *store, const char *sql, gint64 person)
{
  sqlite3_stmt *stmt = NULL;
  gint64 n;

  g_assert_cmpint (sqlite3_prepare_v2 (rs_store_get_db (store), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_bind_parameter_count (stmt) > 0)
    sqlite3_bind_int64 (stmt, 1, person);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

/* The same, with a text parameter. */
static gint64
count_text (RsStore *store, const char *sql, const char *text)
{
  sqlite3_stmt *stmt = NULL;
  gint64 n;

  g_assert_cmpint (sqlite3_prepare_v2 (rs_store_get_db (store), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, text, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

static gint64
views_of (Fixture *f, gint64 person)
{
  return count (f->store, "SELECT count(*) FROM result_views WHERE person_id = ?", person);
}

static char *
read_file (const char *path)
{
  char *contents = NULL;

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  return contents;
}

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

/* --- the rule --- */

static void
test_rule (void)
{
  /* The table in rs-access.h and docs/PRIVACY.md, cell by cell. */
  static const struct {
    RsRelation relation;
    RsDetail detail;
    gboolean allowed[RS_N_VISIBILITIES];   /* aggregates, levels, full */
  } table[] = {
    { RS_RELATION_SELF, RS_DETAIL_GROUP, { TRUE, TRUE, TRUE } },
    { RS_RELATION_SELF, RS_DETAIL_LEVELS, { TRUE, TRUE, TRUE } },
    { RS_RELATION_SELF, RS_DETAIL_ANSWERS, { TRUE, TRUE, TRUE } },
    { RS_RELATION_SELF, RS_DETAIL_PRACTICE, { TRUE, TRUE, TRUE } },
    { RS_RELATION_LEADER, RS_DETAIL_LEVELS, { FALSE, TRUE, TRUE } },
    { RS_RELATION_LEADER, RS_DETAIL_ANSWERS, { FALSE, FALSE, TRUE } },
    { RS_RELATION_LEADER, RS_DETAIL_PRACTICE, { FALSE, FALSE, FALSE } },
    { RS_RELATION_NONE, RS_DETAIL_GROUP, { FALSE, FALSE, FALSE } },
    { RS_RELATION_NONE, RS_DETAIL_LEVELS, { FALSE, FALSE, FALSE } },
    { RS_RELATION_NONE, RS_DETAIL_ANSWERS, { FALSE, FALSE, FALSE } },
    { RS_RELATION_NONE, RS_DETAIL_PRACTICE, { FALSE, FALSE, FALSE } },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (table); i++)
    for (int v = 0; v < RS_N_VISIBILITIES; v++)
      g_assert_cmpint (rs_access_rule ((RsVisibility) v, table[i].relation, table[i].detail, 100, 5), ==,
                       table[i].allowed[v]);
  /* Group figures: the threshold counts only where names are hidden. */
  g_assert_false (rs_access_rule (RS_VISIBILITY_AGGREGATES, RS_RELATION_LEADER, RS_DETAIL_GROUP, 4, 5));
  g_assert_true (rs_access_rule (RS_VISIBILITY_AGGREGATES, RS_RELATION_LEADER, RS_DETAIL_GROUP, 5, 5));
  g_assert_true (rs_access_rule (RS_VISIBILITY_LEVELS, RS_RELATION_LEADER, RS_DETAIL_GROUP, 1, 5));
  g_assert_true (rs_access_rule (RS_VISIBILITY_FULL, RS_RELATION_LEADER, RS_DETAIL_GROUP, 0, 5));
}

/* --- the policy --- */

static void
test_policy (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  RsPrivacyPolicy policy, bad;
  RsVisibility visibility;
  guint min_group = 0;
  gboolean overridden = TRUE;

  g_assert_true (rs_privacy_get_policy (f->store, &policy, &error));
  g_assert_cmpint (policy.visibility, ==, RS_VISIBILITY_LEVELS);
  g_assert_cmpuint (policy.min_group, ==, 5);
  g_assert_cmpuint (policy.keep_results_months, ==, 24);
  g_assert_cmpuint (policy.keep_inactive_months, ==, 12);
  g_assert_true (policy.anonymous_answers);
  g_assert_cmpint (policy.version, ==, 1);

  /* Only an administrator; nothing changes on a refusal. */
  bad = policy;
  bad.visibility = RS_VISIBILITY_FULL;
  g_assert_false (rs_privacy_set_policy (f->store, f->manager, &bad, &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_DENIED);
  g_clear_error (&error);
  g_assert_false (rs_privacy_set_policy (f->store, f->b1, &bad, &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_DENIED);
  g_clear_error (&error);
  g_assert_false (rs_privacy_set_team_visibility (f->store, f->manager, f->big, RS_VISIBILITY_FULL, &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_DENIED);
  g_clear_error (&error);
  /* Values out of range, each with its message. */
  bad = policy;
  bad.min_group = 1;
  g_assert_false (rs_privacy_set_policy (f->store, f->admin, &bad, &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "smallest group"));
  g_clear_error (&error);
  bad = policy;
  bad.keep_results_months = 0;
  g_assert_false (rs_privacy_set_policy (f->store, f->admin, &bad, &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_INVALID);
  g_clear_error (&error);
  bad = policy;
  bad.keep_inactive_months = RS_PRIVACY_MAX_MONTHS + 1;
  g_assert_false (rs_privacy_set_policy (f->store, f->admin, &bad, &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (rs_privacy_get_policy (f->store, &policy, &error));
  g_assert_cmpint (policy.version, ==, 1);
  g_assert_cmpint (policy.visibility, ==, RS_VISIBILITY_LEVELS);

  /* A change raises the version once; the same values again do not. */
  policy.keep_results_months = 36;
  g_assert_true (rs_privacy_set_policy (f->store, f->admin, &policy, &error));
  g_assert_true (rs_privacy_set_policy (f->store, f->admin, &policy, &error));
  g_assert_no_error (error);
  g_assert_true (rs_privacy_get_policy (f->store, &policy, &error));
  g_assert_cmpint (policy.version, ==, 2);
  g_assert_cmpuint (policy.keep_results_months, ==, 36);
  g_assert_cmpint (count (f->store, "SELECT count(*) FROM audit WHERE event = 'privacy-policy'", 0), ==, 1);

  /* A team's own visibility, and back to the organization's. */
  g_assert_true (rs_privacy_set_team_visibility (f->store, f->admin, f->small, RS_VISIBILITY_AGGREGATES, &error));
  g_assert_true (rs_privacy_team_policy (f->store, f->small, &visibility, &min_group, &overridden, &error));
  g_assert_cmpint (visibility, ==, RS_VISIBILITY_AGGREGATES);
  g_assert_true (overridden);
  g_assert_cmpuint (min_group, ==, 5);
  g_assert_true (rs_privacy_team_policy (f->store, f->big, &visibility, NULL, &overridden, &error));
  g_assert_cmpint (visibility, ==, RS_VISIBILITY_LEVELS);
  g_assert_false (overridden);
  g_assert_true (rs_privacy_set_team_visibility (f->store, f->admin, f->small, RS_VISIBILITY_INHERIT, &error));
  g_assert_true (rs_privacy_team_policy (f->store, f->small, &visibility, NULL, &overridden, &error));
  g_assert_cmpint (visibility, ==, RS_VISIBILITY_LEVELS);
  g_assert_false (overridden);
  g_assert_no_error (error);
  g_assert_false (rs_privacy_set_team_visibility (f->store, f->admin, 9999, RS_VISIBILITY_FULL, &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (rs_privacy_get_policy (f->store, &policy, &error));
  g_assert_cmpint (policy.version, ==, 4);

  /* The ids, both ways, and nothing else. */
  for (int v = 0; v < RS_N_VISIBILITIES; v++)
    {
      g_assert_true (rs_visibility_from_id (rs_visibility_id ((RsVisibility) v), FALSE, &visibility));
      g_assert_cmpint (visibility, ==, v);
    }
  g_assert_false (rs_visibility_from_id ("inherit", FALSE, &visibility));
  g_assert_true (rs_visibility_from_id ("inherit", TRUE, &visibility));
  g_assert_false (rs_visibility_from_id ("everything", TRUE, &visibility));
}

/* --- each policy, in every place that shows results --- */

static void
assert_denied (GError **error)
{
  g_assert_error (*error, RS_ERROR, RS_ERROR_DENIED);
  g_clear_error (error);
}

/* Whether text has any of Big's names or numbers. */
static gboolean
names_any (const char *text)
{
  for (int i = 1; i <= 6; i++)
    {
      g_autofree char *name = g_strdup_printf ("Bigteam%d", i);
      g_autofree char *number = g_strdup_printf ("B%d,", i);

      if (strstr (text, name) != NULL || strstr (text, number) != NULL)
        return TRUE;
    }
  return FALSE;
}

static void
test_aggregates (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RsTeamReport) big = NULL;
  g_autoptr (RsTeamReport) small = NULL;
  g_autoptr (RsMemberReport) member = NULL;
  g_autoptr (RsCompanyOverview) overview = NULL;
  g_autoptr (RsAttempt) answers = NULL;
  g_autoptr (GPtrArray) attempts = NULL;
  g_autofree char *csv_path = g_build_filename (f->dir, "big.csv", NULL);
  g_autofree char *small_csv = g_build_filename (f->dir, "small.csv", NULL);
  g_autofree char *pdf_path = g_build_filename (f->dir, "big.pdf", NULL);
  g_autofree char *csv = NULL, *text = NULL;
  g_autofree char *b1_attempt = NULL;
  guint total = 0;

  set_visibility (f, RS_VISIBILITY_AGGREGATES);
  attempts = rs_report_member_attempts (f->store, f->b1, f->b1->id, &error);
  g_assert_no_error (error);
  b1_attempt = g_strdup (((RsAttempt *) g_ptr_array_index (attempts, 0))->uuid);

  /* Team figures, and no one by name, for the manager and the admin. */
  big = rs_team_report_new (f->store, f->roles, f->manager, f->big, &error);
  g_assert_no_error (error);
  g_assert_false (big->names_shown);
  g_assert_cmpint (big->visibility, ==, RS_VISIBILITY_AGGREGATES);
  g_assert_cmpuint (big->members->len, ==, 0);
  g_assert_cmpuint (big->n_members, ==, 6);
  g_assert_cmpuint (big->n_measured_members, ==, 6);
  for (int s = 0; s < RS_N_SKILLS; s++)
    {
      guint sum = big->distribution[s].n_not_measured;
      for (int l = 0; l < RS_N_LEVELS; l++)
        sum += big->distribution[s].n_at_level[l];
      g_assert_cmpuint (sum, ==, 6);
      /* Python and statistics are measured for 6 >= 5: shown; the others
       * for nobody, which hides nothing about anyone. */
      g_assert_false (big->too_few[s]);
      if (s == RS_SKILL_ML)
        g_assert_cmpuint (big->distribution[s].n_not_measured, ==, 6);
    }
  for (guint r = 0; r < big->readiness->len; r++)
    {
      const RsRoleReadiness *readiness = &g_array_index (big->readiness, RsRoleReadiness, r);
      g_assert_cmpint (readiness->closest, ==, -1);
      g_assert_null (readiness->closest_steps);
    }
  g_assert_false (big->readiness_too_few);
  for (guint q = 0; q < big->progress->len; q++)
    total += g_array_index (big->progress, RsQuarterProgress, q).n[RS_SKILL_PYTHON];
  g_assert_cmpuint (total, ==, 6);
  /* Nobody named, so nobody recorded as looked at. */
  g_assert_cmpint (views_of (f, f->b1->id), ==, 0);

  /* A group under the threshold: too few to show, figures zeroed. */
  small = rs_team_report_new (f->store, f->roles, f->admin, f->small, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (small->n_measured_members, ==, 3);
  g_assert_true (small->too_few[RS_SKILL_PYTHON]);
  g_assert_true (small->readiness_too_few);
  for (int l = 0; l < RS_N_LEVELS; l++)
    g_assert_cmpuint (small->distribution[RS_SKILL_PYTHON].n_at_level[l], ==, 0);
  for (guint r = 0; r < small->readiness->len; r++)
    g_assert_cmpuint (g_array_index (small->readiness, RsRoleReadiness, r).n_ready, ==, 0);
  for (guint q = 0; q < small->progress->len; q++)
    {
      const RsQuarterProgress *point = &g_array_index (small->progress, RsQuarterProgress, q);
      g_assert_cmpuint (point->n[RS_SKILL_PYTHON], ==, 0);
      g_assert_true (point->too_few[RS_SKILL_PYTHON]);
    }

  /* The drill-down and the answers are refused, to the admin too. */
  member = rs_member_report_new (f->store, f->roles, f->manager, f->b1->id, &error);
  g_assert_null (member);
  assert_denied (&error);
  member = rs_member_report_new (f->store, f->roles, f->admin, f->b1->id, &error);
  g_assert_null (member);
  g_assert_nonnull (strstr (error->message, "team summaries"));
  assert_denied (&error);
  answers = rs_report_load_answers (f->store, f->manager, b1_attempt, &error);
  g_assert_null (answers);
  assert_denied (&error);
  g_assert_null (rs_report_member_attempts (f->store, f->manager, f->b1->id, &error));
  assert_denied (&error);
  /* The person themselves sees everything. */
  member = rs_member_report_new (f->store, f->roles, f->b1, f->b1->id, &error);
  g_assert_no_error (error);
  g_assert_true (member->latest[RS_SKILL_PYTHON].measured);
  answers = rs_report_load_answers (f->store, f->b1, b1_attempt, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (answers->responses->len, >, 0);

  /* The overview: Small's means and readiness left out, Big's shown. */
  overview = rs_company_overview_new (f->store, f->roles, f->manager, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (overview->teams->len, ==, 2);
  for (guint t = 0; t < overview->teams->len; t++)
    {
      const RsTeamSummary *team = g_ptr_array_index (overview->teams, t);
      gboolean is_small = team->team_id == f->small;

      g_assert_cmpint (team->too_few[RS_SKILL_PYTHON], ==, is_small);
      g_assert_cmpint (team->readiness_too_few, ==, is_small);
      if (is_small)
        g_assert_cmpint (team->mean_level[RS_SKILL_PYTHON], ==, RS_LEVEL_INVALID);
      else
        g_assert_cmpint (team->mean_level[RS_SKILL_PYTHON], !=, RS_LEVEL_INVALID);
    }

  /* CSV: figures, never a name or a number. */
  g_assert_true (rs_team_report_write_csv (big, csv_path, &error));
  g_assert_no_error (error);
  csv = read_file (csv_path);
  g_assert_true (g_str_has_prefix (csv, "kind,name,level,count\r\n"));
  g_assert_nonnull (strstr (csv, "distribution,python,"));
  g_assert_nonnull (strstr (csv, "readiness,Analyst,ready,"));
  g_assert_false (names_any (csv));
  g_clear_pointer (&csv, g_free);
  g_assert_true (rs_team_report_write_csv (small, small_csv, &error));
  csv = read_file (small_csv);
  g_assert_nonnull (strstr (csv, "distribution,python,too few to show,\r\n"));
  g_assert_nonnull (strstr (csv, "readiness,Analyst,too few to show,\r\n"));
  g_assert_null (strstr (csv, "Smallteam"));

  /* PDF: the same, as a reader sees it. */
  g_assert_true (rs_team_report_write_pdf (big, NULL, pdf_path, &error));
  g_assert_no_error (error);
  text = pdf_text (pdf_path);
  if (text == NULL)
    {
      g_test_skip ("pdftotext (poppler-utils) is not installed: the PDF's text is not checked");
      return;
    }
  g_assert_nonnull (strstr (text, "Team figures only"));
  g_assert_nonnull (strstr (text, "Level distributions"));
  g_assert_null (strstr (text, "Skills map"));
  g_assert_null (strstr (text, "Closest of the others"));
  g_assert_false (names_any (text));
  g_clear_pointer (&text, g_free);
  g_assert_true (rs_team_report_write_pdf (small, NULL, pdf_path, &error));
  text = pdf_text (pdf_path);
  g_assert_nonnull (strstr (text, "too few to show"));
  g_assert_nonnull (strstr (text, "Too few to show"));
  g_assert_null (strstr (text, "Smallteam"));
}

static void
test_levels (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RsTeamReport) big = NULL;
  g_autoptr (RsMemberReport) member = NULL;
  g_autoptr (RsAttempt) answers = NULL;
  g_autoptr (GPtrArray) attempts = NULL;
  g_autofree char *csv_path = g_build_filename (f->dir, "big.csv", NULL);
  g_autofree char *pdf_path = g_build_filename (f->dir, "big.pdf", NULL);
  g_autofree char *csv = NULL, *text = NULL;

  /* The default: names, levels and role fit, never answers. */
  big = rs_team_report_new (f->store, f->roles, f->manager, f->big, &error);
  g_assert_no_error (error);
  g_assert_true (big->names_shown);
  g_assert_cmpuint (big->members->len, ==, 6);
  /* Small groups are not hidden where names are shown anyway. */
  {
    g_autoptr (RsTeamReport) small = rs_team_report_new (f->store, f->roles, f->manager, f->small, &error);
    g_assert_no_error (error);
    g_assert_false (small->too_few[RS_SKILL_PYTHON]);
    g_assert_false (small->readiness_too_few);
  }
  /* Shown by name: each member recorded as looked at, once. */
  g_assert_cmpint (views_of (f, f->b1->id), ==, 1);
  member = rs_member_report_new (f->store, f->roles, f->manager, f->b1->id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (views_of (f, f->b1->id), ==, 2);
  attempts = rs_report_member_attempts (f->store, f->manager, f->b1->id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (attempts->len, ==, 1);
  answers = rs_report_load_answers (f->store, f->manager, ((RsAttempt *) g_ptr_array_index (attempts, 0))->uuid,
                                    &error);
  g_assert_null (answers);
  g_assert_nonnull (strstr (error->message, "not their answers"));
  assert_denied (&error);
  /* Another team's manager: nothing. */
  g_assert_null (rs_team_report_new (f->store, f->roles, f->other_manager, f->big, &error));
  assert_denied (&error);
  g_assert_null (rs_member_report_new (f->store, f->roles, f->other_manager, f->b1->id, &error));
  assert_denied (&error);

  g_assert_true (rs_team_report_write_csv (big, csv_path, &error));
  csv = read_file (csv_path);
  g_assert_true (g_str_has_prefix (csv, "employee_no,name,"));
  g_assert_nonnull (strstr (csv, "Bea Bigteam1"));
  g_assert_true (rs_team_report_record_export (f->store, f->manager, big, RS_VIEW_TEAM_CSV, &error));
  g_assert_no_error (error);
  g_assert_cmpint (views_of (f, f->b1->id), ==, 3);
  g_assert_true (rs_team_report_write_pdf (big, NULL, pdf_path, &error));
  text = pdf_text (pdf_path);
  if (text == NULL)
    {
      g_test_skip ("pdftotext (poppler-utils) is not installed: the PDF's text is not checked");
      return;
    }
  g_assert_nonnull (strstr (text, "Bea Bigteam1"));
  g_assert_nonnull (strstr (text, "Skills map"));
  g_assert_null (strstr (text, "Team figures only"));
}

static void
test_full (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RsAttempt) answers = NULL;
  g_autoptr (GPtrArray) attempts = NULL;
  g_autofree char *practice = NULL;

  set_visibility (f, RS_VISIBILITY_FULL);
  attempts = rs_report_member_attempts (f->store, f->manager, f->b1->id, &error);
  g_assert_no_error (error);
  answers = rs_report_load_answers (f->store, f->manager, ((RsAttempt *) g_ptr_array_index (attempts, 0))->uuid,
                                    &error);
  g_assert_no_error (error);
  g_assert_cmpuint (answers->responses->len, >, 0);
  g_assert_cmpint (count (f->store, "SELECT count(*) FROM result_views WHERE person_id = ? AND what = 'answers'",
                          f->b1->id), ==, 1);
  g_clear_pointer (&answers, rs_attempt_free);
  /* Not to someone of another team, nor an attempt that is not there. */
  answers = rs_report_load_answers (f->store, f->other_manager,
                                    ((RsAttempt *) g_ptr_array_index (attempts, 0))->uuid, &error);
  g_assert_null (answers);
  assert_denied (&error);
  answers = rs_report_load_answers (f->store, f->manager, "00000000-0000-4000-8000-000000000000", &error);
  g_assert_null (answers);
  assert_denied (&error);
  /* A team of its own may show less than the organization. */
  g_assert_true (rs_privacy_set_team_visibility (f->store, f->admin, f->big, RS_VISIBILITY_LEVELS, &error));
  answers = rs_report_load_answers (f->store, f->manager, ((RsAttempt *) g_ptr_array_index (attempts, 0))->uuid,
                                    &error);
  g_assert_null (answers);
  assert_denied (&error);
  g_assert_true (rs_privacy_set_team_visibility (f->store, f->admin, f->big, RS_VISIBILITY_INHERIT, &error));

  /* Practice stays private even under "full". */
  practice = take_full (f->store, f->bank, f->b1->id, 77, TRUE);
  answers = rs_report_load_answers (f->store, f->manager, practice, &error);
  g_assert_null (answers);
  g_assert_nonnull (strstr (error->message, "Practice"));
  assert_denied (&error);
  answers = rs_report_load_answers (f->store, f->admin, practice, &error);
  g_assert_null (answers);
  assert_denied (&error);
  answers = rs_report_load_answers (f->store, f->b1, practice, &error);
  g_assert_no_error (error);
  g_assert_true (answers->practice);
}

/* --- practice --- */

static void
test_practice (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RsTeamReport) before = NULL;
  g_autoptr (RsTeamReport) after = NULL;
  g_autoptr (RsMemberReport) member = NULL;
  g_autoptr (GPtrArray) own = NULL;
  g_autoptr (GPtrArray) managers = NULL;
  g_autoptr (RsAttempt) later = NULL;
  g_autofree char *practice = NULL, *ordinary = NULL;
  g_autofree char *bundle = g_build_filename (f->dir, "out.bundle", NULL);
  g_autofree char *bundle2 = g_build_filename (f->dir, "out2.bundle", NULL);
  const RsReportMember *b1 = NULL;
  double practice_theta = 0;
  RsExportSummary exported = { 0 };
  RsExportOptions options = { .since = 0 };
  gint64 before_share;

  before = rs_team_report_new (f->store, f->roles, f->manager, f->big, &error);
  g_assert_no_error (error);
  /* B1 practises later and does far worse: nothing of it shows. */
  practice = take_full (f->store, f->bank, f->b1->id, 99, TRUE);
  after = rs_team_report_new (f->store, f->roles, f->manager, f->big, &error);
  g_assert_no_error (error);
  for (guint m = 0; m < after->members->len; m++)
    if (((RsReportMember *) g_ptr_array_index (after->members, m))->person_id == f->b1->id)
      b1 = g_ptr_array_index (after->members, m);
  g_assert_nonnull (b1);
  g_assert_cmpfloat (b1->latest[RS_SKILL_PYTHON].score.theta, ==,
                     ((RsReportMember *) g_ptr_array_index (before->members, 0))->latest[RS_SKILL_PYTHON].score.theta);
  g_assert_cmpint (b1->latest[RS_SKILL_PYTHON].date, ==,
                   ((RsReportMember *) g_ptr_array_index (before->members, 0))->latest[RS_SKILL_PYTHON].date);
  member = rs_member_report_new (f->store, f->roles, f->manager, f->b1->id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (member->history[RS_SKILL_PYTHON]->len, ==, 1);
  managers = rs_report_member_attempts (f->store, f->manager, f->b1->id, &error);
  g_assert_cmpuint (managers->len, ==, 1);
  own = rs_report_member_attempts (f->store, f->b1, f->b1->id, &error);
  g_assert_cmpuint (own->len, ==, 2);
  g_assert_true (((RsAttempt *) g_ptr_array_index (own, 1))->practice);
  practice_theta = g_array_index (((RsAttempt *) g_ptr_array_index (own, 1))->results, RsSkillResult, 0).theta;

  /* Never in a bundle. */
  g_assert_true (rs_exchange_export (f->store, NULL, bundle, &options, &exported, &error));
  g_assert_no_error (error);
  g_assert_cmpint (exported.n_attempts, ==, 9);
  rs_export_summary_clear (&exported);

  /* A later ordinary attempt does not start from the practice result: its
   * prior travels with it. */
  ordinary = take (f, f->b1, 5);
  later = rs_store_load_attempt (f->store, ordinary, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (later->prior_mean[RS_SKILL_PYTHON], !=, practice_theta);
  {
    g_autoptr (RsAttempt) first = rs_store_load_attempt (f->store,
                                                         ((RsAttempt *) g_ptr_array_index (own, 0))->uuid, &error);
    double first_theta = g_array_index (first->results, RsSkillResult, 0).theta;
    /* It comes from the first, ordinary result (widened for time). */
    g_assert_cmpfloat (fabs (later->prior_mean[RS_SKILL_PYTHON] - first_theta), <, 1e-9);
  }

  /* Sharing: only the person, only a finished practice attempt. */
  g_assert_false (rs_privacy_share_practice (f->store, f->manager, practice, &error));
  assert_denied (&error);
  g_assert_false (rs_privacy_share_practice (f->store, f->admin, practice, &error));
  assert_denied (&error);
  g_assert_false (rs_privacy_share_practice (f->store, f->b1, ordinary, &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_INVALID);
  g_clear_error (&error);
  before_share = fake_now;
  g_assert_true (rs_privacy_share_practice (f->store, f->b1, practice, &error));
  g_assert_no_error (error);
  g_clear_pointer (&member, rs_member_report_free);
  member = rs_member_report_new (f->store, f->roles, f->manager, f->b1->id, &error);
  g_assert_cmpuint (member->history[RS_SKILL_PYTHON]->len, ==, 3);
  /* It goes with the next export since a time after it finished. */
  options.since = before_share;
  g_assert_true (rs_exchange_export (f->store, NULL, bundle2, &options, &exported, &error));
  g_assert_no_error (error);
  g_assert_cmpint (exported.n_attempts, ==, 1);
  rs_export_summary_clear (&exported);

  /* A guest cannot practise: their attempt is anonymous anyway. */
  {
    static const RsSkill skills[] = { RS_SKILL_PYTHON };
    RsAssessmentOptions practice_options = { .practice = TRUE };
    g_autoptr (RsAssessment) guest = rs_assessment_start_full (f->store, f->bank, 0, RS_MODE_QUICK, skills, 1, NULL,
                                                               1, &practice_options, &error);
    g_assert_null (guest);
    g_assert_error (error, RS_ERROR, RS_ERROR_INVALID);
  }
}

/* --- the notice --- */

static void
test_notice (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RsNotice) notice = NULL;
  g_autofree char *text = NULL;
  RsPrivacyPolicy policy;

  g_assert_true (rs_privacy_notice_needed (f->store, f->b1));
  g_assert_false (rs_privacy_notice_needed (f->store, NULL));
  notice = rs_privacy_notice (f->store, f->b1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (notice->version, ==, 1);
  g_assert_cmpuint (notice->sections->len, ==, 4);
  text = rs_notice_to_text (notice);
  g_assert_nonnull (strstr (text, "They do not see your answers."));
  g_assert_nonnull (strstr (text, "deleted 24 months after"));
  g_assert_nonnull (strstr (text, "12 months later"));
  g_assert_nonnull (strstr (text, "without your name, without the date"));
  g_assert_nonnull (strstr (text, "Practice assessments are yours alone"));
  g_assert_nonnull (strstr (text, "download everything"));
  g_assert_nonnull (strstr (text, "Version 1 of this notice"));
  g_assert_true (rs_privacy_confirm_notice (f->store, f->b1, 1, &error));
  g_assert_no_error (error);
  g_assert_false (rs_privacy_notice_needed (f->store, f->b1));

  /* The text follows the policy: another visibility, threshold, period. */
  g_assert_true (rs_privacy_get_policy (f->store, &policy, &error));
  policy.min_group = 7;
  policy.keep_results_months = 1;
  policy.keep_inactive_months = 0;
  policy.anonymous_answers = FALSE;
  g_assert_true (rs_privacy_set_policy (f->store, f->admin, &policy, &error));
  g_assert_true (rs_privacy_set_team_visibility (f->store, f->admin, f->big, RS_VISIBILITY_AGGREGATES, &error));
  g_assert_no_error (error);
  /* A change: everyone confirms again; a stale version is refused. */
  g_assert_true (rs_privacy_notice_needed (f->store, f->b1));
  g_assert_false (rs_privacy_confirm_notice (f->store, f->b1, 1, &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_INVALID);
  g_clear_error (&error);
  g_clear_pointer (&notice, rs_notice_free);
  g_clear_pointer (&text, g_free);
  notice = rs_privacy_notice (f->store, f->b1, &error);
  text = rs_notice_to_text (notice);
  g_assert_cmpint (notice->version, ==, 3);
  g_assert_nonnull (strstr (text, "never see your name next to a result"));
  g_assert_nonnull (strstr (text, "fewer than 7 people"));
  g_assert_nonnull (strstr (text, "deleted 1 month after"));
  g_assert_nonnull (strstr (text, "within a day"));
  g_assert_null (strstr (text, "without your name, without the date"));
  /* Small's members still get the organization's. */
  g_clear_pointer (&notice, rs_notice_free);
  g_clear_pointer (&text, g_free);
  notice = rs_privacy_notice (f->store, f->s1, &error);
  text = rs_notice_to_text (notice);
  g_assert_nonnull (strstr (text, "They do not see your answers."));
  set_visibility (f, RS_VISIBILITY_FULL);
  g_clear_pointer (&notice, rs_notice_free);
  g_clear_pointer (&text, g_free);
  notice = rs_privacy_notice (f->store, f->s1, &error);
  text = rs_notice_to_text (notice);
  g_assert_nonnull (strstr (text, "each question with the answer you gave"));

  /* The organization's own words, by language. */
  g_assert_false (rs_privacy_set_wording (f->store, f->manager, "", "Ask HR.", &error));
  assert_denied (&error);
  g_assert_false (rs_privacy_set_wording (f->store, f->admin, "de;drop", "x", &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (rs_privacy_set_wording (f->store, f->admin, "", "Questions: the works council, room 4.", &error));
  g_assert_true (rs_privacy_set_wording (f->store, f->admin, "de", "Fragen: der Betriebsrat, Raum 4.", &error));
  g_assert_no_error (error);
  g_setenv ("LANGUAGE", "fr", TRUE);
  g_clear_pointer (&notice, rs_notice_free);
  g_clear_pointer (&text, g_free);
  notice = rs_privacy_notice (f->store, f->s1, &error);
  text = rs_notice_to_text (notice);
  g_assert_cmpuint (notice->sections->len, ==, 5);
  g_assert_nonnull (strstr (text, "the works council, room 4"));
  g_setenv ("LANGUAGE", "de_AT:de", TRUE);
  g_clear_pointer (&notice, rs_notice_free);
  g_clear_pointer (&text, g_free);
  notice = rs_privacy_notice (f->store, f->s1, &error);
  text = rs_notice_to_text (notice);
  g_assert_nonnull (strstr (text, "der Betriebsrat"));
  g_assert_null (strstr (text, "works council, room 4"));
  /* Each wording change is a new version too; removing one as well. */
  g_assert_cmpint (notice->version, ==, 6);
  g_assert_true (rs_privacy_set_wording (f->store, f->admin, "de", "", &error));
  g_assert_true (rs_privacy_get_policy (f->store, &policy, &error));
  g_assert_cmpint (policy.version, ==, 7);
  g_assert_true (rs_privacy_confirm_notice (f->store, f->b1, 7, &error));
  g_assert_false (rs_privacy_notice_needed (f->store, f->b1));
  g_assert_cmpint (count (f->store, "SELECT count(*) FROM notice_confirmations WHERE person_id = ?", f->b1->id), ==, 2);
}

/* --- who looked --- */

static void
test_who_looked (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RsMemberReport) member = NULL;
  g_autoptr (GPtrArray) views = NULL;
  g_autoptr (RsTeamReport) report = NULL;
  g_autofree char *line = NULL;

  /* Looking at one's own results is not recorded. */
  member = rs_member_report_new (f->store, f->roles, f->b1, f->b1->id, &error);
  g_assert_cmpint (views_of (f, f->b1->id), ==, 0);
  g_clear_pointer (&member, rs_member_report_free);
  member = rs_member_report_new (f->store, f->roles, f->manager, f->b1->id, &error);
  report = rs_team_report_new (f->store, f->roles, f->admin, f->big, &error);
  g_assert_true (rs_team_report_record_export (f->store, f->admin, report, RS_VIEW_TEAM_PDF, &error));
  g_assert_no_error (error);

  views = rs_person_who_looked (f->store, f->b1, f->b1->id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (views->len, ==, 3);
  /* Newest first: the admin's PDF, the admin's report, the manager's page. */
  g_assert_cmpint (((RsResultView *) g_ptr_array_index (views, 0))->kind, ==, RS_VIEW_TEAM_PDF);
  g_assert_cmpstr (((RsResultView *) g_ptr_array_index (views, 0))->viewer_name, ==, "Ada Admin");
  g_assert_cmpint (((RsResultView *) g_ptr_array_index (views, 2))->kind, ==, RS_VIEW_MEMBER);
  line = rs_result_view_describe (g_ptr_array_index (views, 2));
  g_assert_nonnull (strstr (line, "Max Manager (manager): your results on the member page"));
  /* Someone else's list: the admin (a request), nobody else. */
  g_clear_pointer (&views, g_ptr_array_unref);
  views = rs_person_who_looked (f->store, f->admin, f->b1->id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (views->len, ==, 3);
  g_assert_null (rs_person_who_looked (f->store, f->manager, f->b1->id, &error));
  assert_denied (&error);
  g_assert_null (rs_person_who_looked (f->store, f->s1, f->b1->id, &error));
  assert_denied (&error);
  g_assert_null (rs_person_who_looked (f->store, NULL, f->b1->id, &error));
  assert_denied (&error);
  /* The operator at the terminal is recorded as such. */
  g_clear_pointer (&views, g_ptr_array_unref);
  {
    gint64 ids[] = { f->s1->id };
    g_assert_true (rs_privacy_record_views (f->store, rs_people_operator (), ids, 1, RS_VIEW_TEAM_CSV, &error));
  }
  views = rs_person_who_looked (f->store, f->s1, f->s1->id, &error);
  g_clear_pointer (&line, g_free);
  line = rs_result_view_describe (g_ptr_array_index (views, 0));
  g_assert_nonnull (strstr (line, "the database's owner, at the terminal"));
}

/* --- retention --- */

static void
test_retention (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RsCalibration) before = NULL;
  g_autoptr (RsCalibration) after = NULL;
  RsRetentionReport report = { 0 };
  g_autofree char *text = NULL, *recent = NULL;
  gint64 n_attempts = count (f->store, "SELECT count(*) FROM attempts", 0);
  gint64 n_answers = count (f->store, "SELECT count(*) FROM responses", 0);
  gint64 big_answers;
  gboolean ran = FALSE;

  g_assert_cmpint (n_attempts, ==, 9);
  big_answers = count (f->store, "SELECT count(*) FROM responses AS r JOIN attempts AS a ON a.uuid = r.attempt_id"
                                 " JOIN people AS p ON p.id = a.person_id JOIN teams AS t ON t.id = p.team_id"
                                 " WHERE t.name = 'Big'", 0);
  before = rs_calibration_run (f->store, f->bank, rs_people_operator (), 1, NULL, &error);
  g_assert_no_error (error);

  /* Someone leaves now; 13 months on, they are past the 12 months. */
  g_assert_true (rs_people_set_active (f->store, f->admin, f->s1->id, FALSE, &error));
  g_assert_no_error (error);
  fake_now += G_GINT64_CONSTANT (396) * 24 * 3600 * G_USEC_PER_SEC;
  /* An attempt of today, for B1: it stays. */
  recent = take (f, f->b1, 31);
  /* 25 months after the first results: they are past the 24 months. */
  fake_now += G_GINT64_CONSTANT (365) * 24 * 3600 * G_USEC_PER_SEC;

  g_assert_true (rs_retention_due (f->store));
  g_assert_true (rs_retention_run (f->store, f->admin, TRUE, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report.n_attempts, ==, 9);   /* S1's too: they expire first */
  g_assert_cmpuint (report.n_people, ==, 1);
  g_assert_cmpuint (report.n_people_attempts, ==, 0);
  g_assert_cmpuint (report.people->len, ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (report.people, 0), "S1 Sol Smallteam1"));
  text = rs_retention_report_describe (&report);
  g_assert_nonnull (strstr (text, "would be deleted"));
  rs_retention_report_clear (&report);
  /* A dry run changes nothing. */
  g_assert_cmpint (count (f->store, "SELECT count(*) FROM attempts", 0), ==, n_attempts + 1);
  g_assert_cmpint (count (f->store, "SELECT count(*) FROM people WHERE employee_no = 'S1'", 0), ==, 1);
  g_assert_true (rs_retention_due (f->store));
  /* Not for a manager. */
  g_assert_false (rs_retention_run (f->store, f->manager, TRUE, &report, &error));
  assert_denied (&error);

  g_assert_true (rs_retention_run_if_due (f->store, &ran, &report, &error));
  g_assert_no_error (error);
  g_assert_true (ran);
  g_assert_cmpuint (report.n_attempts, ==, 9);
  g_assert_cmpuint (report.n_people, ==, 1);
  g_assert_true (report.log_wiped);
  /* Every answer kept for calibration, linked to nobody. */
  g_assert_cmpuint (report.n_answers_anonymous, ==, (guint) n_answers);
  rs_retention_report_clear (&report);
  g_assert_cmpint (count (f->store, "SELECT count(*) FROM attempts", 0), ==, 1);
  g_assert_cmpint (count (f->store, "SELECT count(*) FROM responses WHERE attempt_id <> (SELECT uuid FROM attempts)",
                          0), ==, 0);
  g_assert_cmpint (count (f->store, "SELECT count(*) FROM results", 0), ==, 2);
  g_assert_cmpint (count (f->store, "SELECT count(*) FROM anonymous_answers", 0), ==, n_answers);
  g_assert_cmpint (count (f->store, "SELECT count(*) FROM people WHERE employee_no = 'S1'", 0), ==, 0);
  /* The anonymous rows hold the item, skill and score: nothing else. */
  g_assert_cmpint (count (f->store, "SELECT count(*) FROM pragma_table_info ('anonymous_answers')", 0), ==, 5);
  /* The audit row says what was done, not to whom. */
  g_assert_cmpint (count (f->store, "SELECT count(*) FROM audit WHERE event = 'retention'"
                                    " AND detail LIKE '9 attempts%' AND instr (detail, 'S1') = 0"
                                    " AND instr (detail, 'Sol') = 0", 0), ==, 1);
  /* At most once a day. */
  g_assert_false (rs_retention_due (f->store));
  g_assert_true (rs_retention_run_if_due (f->store, &ran, NULL, &error));
  g_assert_false (ran);
  fake_now += G_GINT64_CONSTANT (25) * 3600 * G_USEC_PER_SEC;
  g_assert_true (rs_retention_due (f->store));

  /* Calibration still has the answers: as many, from as many patterns. */
  after = rs_calibration_run (f->store, f->bank, rs_people_operator (), 1, NULL, &error);
  g_assert_no_error (error);
  for (guint s = 0; s < before->skills->len; s++)
    {
      const RsCalibrationSkill *old_skill = &g_array_index (before->skills, RsCalibrationSkill, s);
      const RsCalibrationSkill *new_skill = &g_array_index (after->skills, RsCalibrationSkill, s);

      g_assert_cmpint (new_skill->skill, ==, old_skill->skill);
      /* Before: 9 attempts; after: the same 9 as patterns, and B1's new one. */
      g_assert_cmpint (new_skill->n_people, ==, old_skill->n_people + 1);
      g_assert_cmpint (new_skill->n_responses, >, old_skill->n_responses);
    }
  g_assert_cmpint (big_answers, >, 0);
}

static void
test_retention_without_anonymous (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  RsRetentionReport report = { 0 };
  RsPrivacyPolicy policy;

  g_assert_true (rs_privacy_get_policy (f->store, &policy, &error));
  policy.anonymous_answers = FALSE;
  policy.keep_results_months = 1;
  g_assert_true (rs_privacy_set_policy (f->store, f->admin, &policy, &error));
  fake_now += G_GINT64_CONSTANT (40) * 24 * 3600 * G_USEC_PER_SEC;
  g_assert_true (rs_retention_run (f->store, rs_people_operator (), FALSE, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report.n_attempts, ==, 9);
  g_assert_cmpuint (report.n_answers_anonymous, ==, 0);
  rs_retention_report_clear (&report);
  g_assert_cmpint (count (f->store, "SELECT count(*) FROM responses", 0), ==, 0);
  g_assert_cmpint (count (f->store, "SELECT count(*) FROM anonymous_answers", 0), ==, 0);
  /* People who are active stay, whatever their age. */
  g_assert_cmpint (count (f->store, "SELECT count(*) FROM people", 0), ==, 12);
}

/* --- a person's own data --- */

static void
assert_csv_rows (const char *dir, const char *file, gint64 expected)
{
  g_autofree char *path = g_build_filename (dir, file, NULL);
  g_autofree char *contents = read_file (path);
  gint64 lines = 0;

  for (const char *p = contents; *p != '\0'; p++)
    lines += *p == '\n';
  g_assert_cmpint (lines - 1, ==, expected);
}

static guint
json_array_length (JsonObject *root, const char *member)
{
  return json_array_get_length (json_object_get_array_member (root, member));
}

static void
test_export_person (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (RsMemberReport) member = NULL;
  g_autofree char *dir = g_build_filename (f->dir, "b1-data", NULL);
  g_autofree char *other = g_build_filename (f->dir, "by-admin", NULL);
  g_autofree char *json_path = NULL, *readme = NULL, *readme_path = NULL;
  g_autofree char *practice = NULL;
  char *new_pin = NULL;
  RsPersonExport export = { 0 };
  JsonObject *root;
  gint64 id = f->b1->id;

  /* Something of every kind about B1. */
  practice = take_full (f->store, f->bank, id, 41, TRUE);
  g_assert_true (rs_privacy_confirm_notice (f->store, f->b1, 1, &error));
  member = rs_member_report_new (f->store, f->roles, f->manager, id, &error);
  g_assert_no_error (error);
  g_assert_null (rs_store_authenticate (f->store, "B1", "9999", NULL, &error));
  g_clear_error (&error);
  new_pin = rs_people_reset_pin (f->store, f->admin, id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (new_pin);
  rs_people_pin_free (new_pin);

  /* Not for another employee, nor a manager. */
  g_assert_false (rs_person_export (f->store, f->s1, id, dir, NULL, &error));
  assert_denied (&error);
  g_assert_false (rs_person_export (f->store, f->manager, id, dir, NULL, &error));
  assert_denied (&error);
  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));

  g_assert_true (rs_person_export (f->store, f->b1, id, dir, &export, &error));
  g_assert_no_error (error);
  /* Every row about the person, counted in the database itself. */
  g_assert_cmpuint (export.n_attempts, ==, 2);
  g_assert_cmpint (export.n_attempts, ==, count (f->store, "SELECT count(*) FROM attempts WHERE person_id = ?", id));
  g_assert_cmpint (export.n_answers, ==,
                   count (f->store, "SELECT count(*) FROM responses WHERE attempt_id IN"
                                    " (SELECT uuid FROM attempts WHERE person_id = ?)", id));
  g_assert_cmpint (export.n_results, ==,
                   count (f->store, "SELECT count(*) FROM results WHERE attempt_id IN"
                                    " (SELECT uuid FROM attempts WHERE person_id = ?)", id));
  g_assert_cmpint (export.n_self_estimates, ==,
                   count (f->store, "SELECT count(*) FROM self_estimates WHERE attempt_id IN"
                                    " (SELECT uuid FROM attempts WHERE person_id = ?)", id));
  g_assert_cmpuint (export.n_self_estimates, ==, 2);
  g_assert_cmpuint (export.n_confirmations, ==, 1);
  g_assert_cmpuint (export.n_views, ==, 1);
  /* Audit: their sign-in failure and confirmation, the admin's PIN reset
   * and addition of them (the data export itself comes after). */
  g_assert_cmpint (export.n_audit, ==,
                   count (f->store, "SELECT count(*) FROM audit WHERE (person_id = ?1 OR subject_id = ?1)"
                                    " AND event <> 'data-exported'", id));
  g_assert_cmpuint (export.n_audit, >=, 3);
  g_assert_cmpuint (export.files->len, ==, 11);
  assert_csv_rows (dir, "answers.csv", export.n_answers);
  assert_csv_rows (dir, "results.csv", export.n_results);
  assert_csv_rows (dir, "attempts.csv", 2);
  assert_csv_rows (dir, "audit.csv", export.n_audit);
  assert_csv_rows (dir, "who_looked.csv", 1);
  assert_csv_rows (dir, "person.csv", 1);

  json_path = g_build_filename (dir, "person.json", NULL);
  g_assert_true (json_parser_load_from_file (parser, json_path, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "format"), ==, "reskill-person-data");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (root, "person"), "employee_no"),
                   ==, "B1");
  g_assert_cmpuint (json_array_length (root, "answers"), ==, export.n_answers);
  g_assert_cmpuint (json_array_length (root, "results"), ==, export.n_results);
  g_assert_cmpuint (json_array_length (root, "audit"), ==, export.n_audit);
  g_assert_cmpuint (json_array_length (root, "notice_confirmations"), ==, 1);
  /* The practice attempt is there, marked. */
  g_assert_true (json_object_get_boolean_member (json_array_get_object_element (
                   json_object_get_array_member (root, "attempts"), 1), "practice"));
  readme_path = g_build_filename (dir, "README.txt", NULL);
  readme = read_file (readme_path);
  g_assert_nonnull (strstr (readme, "who_looked.csv"));
  /* Their own export is not a look by someone else. */
  g_assert_cmpint (views_of (f, id), ==, 1);
  rs_person_export_clear (&export);

  /* Never mixed into a folder that holds something. */
  g_assert_false (rs_person_export (f->store, f->b1, id, dir, NULL, &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_IO);
  g_clear_error (&error);
  /* An administrator's, at the person's request, is recorded as a look. */
  g_assert_true (rs_person_export (f->store, f->admin, id, other, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (f->store, "SELECT count(*) FROM result_views WHERE person_id = ? AND what = 'data-export'",
                          id), ==, 1);
  g_assert_cmpint (count (f->store, "SELECT count(*) FROM audit WHERE event = 'data-exported' AND subject_id = ?", id),
                   ==, 2);
}

/* --- erasure --- */

#define ERASED_NAME "Zebulon Quixote-Erasmus"
#define ERASED_NUMBER "ZQ-77341"

/* Whether the bytes of path (a database or its log) hold needle. */
static gboolean
file_holds (const char *path, const char *needle)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, NULL))
    return FALSE;
  return memmem (contents, length, needle, strlen (needle)) != NULL;
}

static void
test_erase_bytes (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *db = g_strdup (rs_store_path (f->store));
  g_autofree char *wal = g_strconcat (db, "-wal", NULL);
  g_autofree char *dir = g_build_filename (f->dir, "z-data", NULL);
  g_autoptr (RsPerson) z = NULL;
  g_autoptr (RsPerson) signed_in = NULL;
  g_autoptr (RsMemberReport) member = NULL;
  g_autofree char *pin = NULL, *uuid = NULL, *practice = NULL;
  RsErasureSummary summary = { 0 };
  gint64 id = 0;

  /* Z, everywhere a person leaves a trace. */
  g_assert_true (rs_people_add (f->store, f->admin, ERASED_NUMBER, ERASED_NAME, "Big", RS_PERSON_MANAGER, &id, &pin,
                                &error));
  g_assert_no_error (error);
  z = get_person (f->store, id);
  signed_in = rs_store_authenticate (f->store, ERASED_NUMBER, pin, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (rs_store_authenticate (f->store, ERASED_NUMBER, "000000", NULL, &error));
  g_clear_error (&error);
  g_assert_true (rs_store_unlock (f->store, ERASED_NUMBER, NULL, &error));
  uuid = take (f, z, 3);
  practice = take_full (f->store, f->bank, id, 4, TRUE);
  g_assert_true (rs_privacy_confirm_notice (f->store, z, 1, &error));
  member = rs_member_report_new (f->store, f->roles, f->manager, id, &error);
  g_assert_no_error (error);
  /* Z as a manager looks at B1; as an administrator's subject, twice. */
  g_clear_pointer (&member, rs_member_report_free);
  g_assert_true (rs_people_set_team_manager (f->store, f->admin, f->big, id, TRUE, &error));
  member = rs_member_report_new (f->store, f->roles, z, f->b1->id, &error);
  g_assert_no_error (error);
  g_assert_true (rs_people_set_active (f->store, f->admin, id, FALSE, &error));
  g_assert_true (rs_people_set_active (f->store, f->admin, id, TRUE, &error));
  g_assert_true (rs_person_export (f->store, f->admin, id, dir, NULL, &error));
  g_assert_no_error (error);
  /* As an import's audit row listed unknown numbers before issue 14. */
  g_assert_true (rs_store_audit (f->store, 0, "results-imported",
                                 "b.bundle: 0 attempts added; 2 attempts for unknown employee numbers B9, "
                                 ERASED_NUMBER " skipped", &error));

  /* The test can fail: before erasure both are in the file, and in the
   * log, which an ordinary checkpoint copies but leaves as it was. */
  g_assert_true (rs_store_checkpoint (f->store, &error));
  g_assert_no_error (error);
  g_assert_true (file_holds (db, ERASED_NAME));
  g_assert_true (file_holds (db, ERASED_NUMBER));
  g_assert_true (file_holds (wal, ERASED_NAME));

  g_assert_true (rs_erasure_erase_person (f->store, rs_people_operator (), ERASED_NUMBER, FALSE, &summary, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (summary.n_attempts, ==, 2);
  g_assert_true (summary.log_wiped);
  rs_erasure_summary_clear (&summary);

  /* Nothing of Z in any table... */
  g_assert_cmpint (count (f->store, "SELECT count(*) FROM attempts WHERE person_id = ?", id), ==, 0);
  g_assert_cmpint (count (f->store, "SELECT count(*) FROM responses WHERE attempt_id NOT IN (SELECT uuid FROM attempts)",
                          0), ==, 0);
  g_assert_cmpint (count (f->store, "SELECT count(*) FROM result_views WHERE person_id = ?1 OR viewer_id = ?1", id),
                   ==, 0);
  g_assert_cmpint (count (f->store, "SELECT count(*) FROM audit WHERE person_id = ?1 OR subject_id = ?1", id), ==, 0);
  g_assert_cmpint (count (f->store, "SELECT count(*) FROM erased_attempts", 0), ==, 2);
  /* ...B1's record of being looked at by Z stays, without Z. */
  g_assert_cmpint (count (f->store, "SELECT count(*) FROM result_views WHERE person_id = ? AND viewer_id IS NULL",
                          f->b1->id), ==, 1);
  /* ...and not a byte of the name or number in the file or the log, with
   * the database still open (closing would delete the log). */
  g_assert_true (g_file_test (wal, G_FILE_TEST_EXISTS));
  g_assert_false (file_holds (db, ERASED_NAME));
  g_assert_false (file_holds (db, ERASED_NUMBER));
  g_assert_false (file_holds (wal, ERASED_NAME));
  g_assert_false (file_holds (wal, ERASED_NUMBER));
  rs_store_close (f->store);
  f->store = NULL;
  g_assert_false (file_holds (db, ERASED_NAME));
  g_assert_false (file_holds (db, ERASED_NUMBER));
  f->store = rs_store_open (db, &error);
  g_assert_no_error (error);
}

static void
test_erase_refusals (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  RsErasureSummary summary = { 0 };

  g_assert_false (rs_erasure_erase_person (f->store, f->manager, "B1", FALSE, NULL, &error));
  assert_denied (&error);
  g_assert_false (rs_erasure_erase_person (f->store, f->b1, "B1", FALSE, NULL, &error));
  assert_denied (&error);
  g_assert_false (rs_erasure_erase_person (f->store, f->admin, "NOBODY", FALSE, NULL, &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_NOT_FOUND);
  g_clear_error (&error);
  /* The last administrator who can sign in stays. */
  g_assert_false (rs_erasure_erase_person (f->store, rs_people_operator (), "A", FALSE, NULL, &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_INVALID);
  g_clear_error (&error);
  /* A dry run counts and changes nothing. */
  g_assert_true (rs_erasure_erase_person (f->store, f->admin, "B1", TRUE, &summary, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (summary.n_attempts, ==, 1);
  g_assert_cmpuint (summary.n_answers, >, 0);
  rs_erasure_summary_clear (&summary);
  g_assert_cmpint (count (f->store, "SELECT count(*) FROM attempts WHERE person_id = ?", f->b1->id), ==, 1);
  g_assert_cmpint (count (f->store, "SELECT count(*) FROM erasures", 0), ==, 0);
}

/* --- erasures between kiosks --- */

static RsStore *
open_kiosk (Fixture *f, const char *name)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = g_build_filename (f->dir, name, NULL);
  RsStore *store = rs_store_open (path, &error);

  g_assert_no_error (error);
  add_person (store, "A", "Ada Admin", NULL, RS_PERSON_ADMIN, "2468");
  add_person (store, "K1", "Kim Kiosk", "Big", RS_PERSON_EMPLOYEE, NULL);
  add_person (store, ERASED_NUMBER, ERASED_NAME, "Big", RS_PERSON_EMPLOYEE, NULL);
  return store;
}

static void
trust (RsStore *store, RsStore *other)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (rs_trust_kiosk (store, NULL, rs_store_key_fingerprint (other), NULL, NULL, &error));
  g_assert_no_error (error);
}

static void
export_to (RsStore *store, const char *path)
{
  g_autoptr (GError) error = NULL;
  RsExportOptions options = { .overwrite = TRUE };

  g_assert_true (rs_exchange_export (store, NULL, path, &options, NULL, &error));
  g_assert_no_error (error);
}

static void
import_from (Fixture *f, RsStore *store, const char *path, RsImportSummary *summary)
{
  g_autoptr (GError) error = NULL;
  const RsBank *banks[] = { f->bank };
  RsImportOptions options = { .banks = banks, .n_banks = 1 };

  g_assert_true (rs_exchange_import (store, NULL, path, &options, summary, &error));
  g_assert_no_error (error);
}

static void
test_erase_exchange (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *a_path = g_build_filename (f->dir, "a.bundle", NULL);
  g_autofree char *b_path = g_build_filename (f->dir, "b.bundle", NULL);
  g_autofree char *b_old = g_build_filename (f->dir, "b-old.bundle", NULL);
  g_autofree char *c_path = g_build_filename (f->dir, "c.bundle", NULL);
  g_autofree char *forged = g_build_filename (f->dir, "forged.bundle", NULL);
  g_autofree char *b_db = NULL, *b_wal = NULL, *c_db = NULL;
  RsStore *a = open_kiosk (f, "a.db");
  RsStore *b = open_kiosk (f, "b.db");
  RsStore *c = open_kiosk (f, "c.db");
  RsStore *stranger = open_kiosk (f, "stranger.db");
  RsImportSummary summary = { 0 };
  g_autofree char *z_on_b = NULL, *k_on_b = NULL, *z_new = NULL, *z_on_d = NULL;
  g_autofree char *d_path = g_build_filename (f->dir, "d.bundle", NULL);

  b_db = g_strdup (rs_store_path (b));
  b_wal = g_strconcat (b_db, "-wal", NULL);
  c_db = g_strdup (rs_store_path (c));
  /* A and B trust each other; C trusts B only. */
  trust (a, b);
  trust (b, a);
  trust (c, b);
  trust (a, stranger);

  /* Z took an assessment on D (the "stranger" kiosk, which A trusts)
   * that never reached A... */
  z_on_d = take_full (stranger, f->bank, person_id (stranger, ERASED_NUMBER), 7, FALSE);
  /* ...and one on B that did. */
  z_on_b = take_full (b, f->bank, person_id (b, ERASED_NUMBER), 8, FALSE);
  k_on_b = take_full (b, f->bank, person_id (b, "K1"), 9, FALSE);
  export_to (b, b_old);
  import_from (f, a, b_old, &summary);
  g_assert_cmpint (summary.attempts_added, ==, 2);
  rs_import_summary_clear (&summary);

  /* Z asks A's administrator to be erased. */
  g_assert_true (rs_erasure_erase_person (a, rs_people_operator (), ERASED_NUMBER, FALSE, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (a, "SELECT count(*) FROM attempts", 0), ==, 1);

  /* B's old bundle, again: Z's attempt does not come back. */
  import_from (f, a, b_old, &summary);
  g_assert_cmpint (summary.attempts_erased, ==, 1);
  g_assert_cmpint (summary.attempts_added, ==, 0);
  rs_import_summary_clear (&summary);
  g_assert_cmpint (count (a, "SELECT count(*) FROM attempts", 0), ==, 1);
  g_assert_cmpint (count (a, "SELECT count(*) FROM people WHERE employee_no = '" ERASED_NUMBER "'", 0), ==, 0);

  /* A's bundle carries the erasure: B erases Z too. */
  export_to (a, a_path);
  import_from (f, b, a_path, &summary);
  g_assert_cmpint (summary.erasures_applied, ==, 1);
  g_assert_cmpint (summary.people_erased, ==, 1);
  rs_import_summary_clear (&summary);
  g_assert_cmpint (count_text (b, "SELECT count(*) FROM attempts WHERE uuid = ?", z_on_b), ==, 0);
  g_assert_cmpint (count (b, "SELECT count(*) FROM people WHERE employee_no = '" ERASED_NUMBER "'", 0), ==, 0);
  g_assert_cmpint (count (b, "SELECT count(*) FROM attempts", 0), ==, 1);
  rs_store_close (b);
  g_assert_false (file_holds (b_db, ERASED_NAME));
  g_assert_false (file_holds (b_db, ERASED_NUMBER));
  g_assert_false (file_holds (b_wal, ERASED_NUMBER));
  b = rs_store_open (b_db, &error);
  g_assert_no_error (error);
  /* Applied once: the same bundle again changes nothing. */
  import_from (f, b, a_path, &summary);
  g_assert_cmpint (summary.erasures_known, ==, 1);
  g_assert_cmpint (summary.erasures_applied, ==, 0);
  rs_import_summary_clear (&summary);

  /* Passed on: C never meets A, and erases Z from B's bundle. */
  g_assert_cmpint (count (c, "SELECT count(*) FROM people WHERE employee_no = '" ERASED_NUMBER "'", 0), ==, 1);
  export_to (b, c_path);
  import_from (f, c, c_path, &summary);
  g_assert_cmpint (summary.erasures_applied, ==, 1);
  rs_import_summary_clear (&summary);
  g_assert_cmpint (count (c, "SELECT count(*) FROM people WHERE employee_no = '" ERASED_NUMBER "'", 0), ==, 0);
  /* And the old bundle from B brings nothing of Z to C either. */
  import_from (f, c, b_old, &summary);
  g_assert_cmpint (summary.attempts_erased, ==, 1);
  g_assert_cmpint (summary.attempts_unchanged, ==, 1);   /* K1's, from B's newer bundle */
  rs_import_summary_clear (&summary);

  /* Z comes back to work and is added again at A: the old results stay
   * away (the keyed hash and the time), a new attempt is welcome. */
  add_person (a, ERASED_NUMBER, ERASED_NAME, "Big", RS_PERSON_EMPLOYEE, NULL);
  import_from (f, a, b_old, &summary);
  g_assert_cmpint (summary.attempts_erased, ==, 1);
  g_assert_cmpint (summary.attempts_added, ==, 0);
  rs_import_summary_clear (&summary);
  /* An attempt the tombstone does not name, from before the erasure: kept
   * out by the keyed hash of the number. */
  export_to (stranger, d_path);
  import_from (f, a, d_path, &summary);
  g_assert_cmpint (summary.attempts_erased, ==, 1);
  g_assert_cmpint (summary.attempts_added, ==, 0);
  rs_import_summary_clear (&summary);
  g_assert_cmpint (count_text (a, "SELECT count(*) FROM attempts WHERE uuid = ?", z_on_d), ==, 0);
  add_person (b, ERASED_NUMBER, ERASED_NAME, "Big", RS_PERSON_EMPLOYEE, NULL);
  z_new = take_full (b, f->bank, person_id (b, ERASED_NUMBER), 10, FALSE);
  export_to (b, b_path);
  import_from (f, a, b_path, &summary);
  g_assert_cmpint (summary.attempts_added, ==, 1);
  g_assert_cmpint (summary.attempts_erased, ==, 0);
  rs_import_summary_clear (&summary);
  g_assert_cmpint (count (a, "SELECT count(*) FROM attempts WHERE person_id IS NOT NULL", 0), ==, 2);

  /* An erasure from a kiosk A trusts, but changed on the way: refused,
   * and nothing of the bundle is applied. */
  g_assert_true (rs_erasure_erase_person (stranger, rs_people_operator (), "K1", FALSE, NULL, &error));
  export_to (stranger, forged);
  {
    sqlite3 *db = NULL;

    g_assert_cmpint (sqlite3_open (forged, &db), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (db, "UPDATE erasures SET employee_no = 'A'", NULL, NULL, NULL), ==, SQLITE_OK);
    sqlite3_close (db);
  }
  {
    const RsBank *banks[] = { f->bank };
    RsImportOptions options = { .banks = banks, .n_banks = 1 };

    g_assert_false (rs_exchange_import (a, NULL, forged, &options, NULL, &error));
    g_assert_nonnull (error);
    g_clear_error (&error);
  }
  g_assert_cmpint (count (a, "SELECT count(*) FROM people WHERE employee_no = 'A'", 0), ==, 1);
  /* From a kiosk not trusted here (C does not trust the stranger). */
  export_to (stranger, forged);
  {
    const RsBank *banks[] = { f->bank };
    RsImportOptions options = { .banks = banks, .n_banks = 1 };

    g_assert_false (rs_exchange_import (c, NULL, forged, &options, NULL, &error));
    g_assert_error (error, RS_ERROR, RS_ERROR_DENIED);
    g_clear_error (&error);
  }
  g_assert_cmpint (count (c, "SELECT count(*) FROM people WHERE employee_no = 'K1'", 0), ==, 1);
  /* Trusted: applied. */
  import_from (f, a, forged, &summary);
  g_assert_cmpint (summary.erasures_applied, ==, 1);
  rs_import_summary_clear (&summary);
  g_assert_cmpint (count (a, "SELECT count(*) FROM people WHERE employee_no = 'K1'", 0), ==, 0);

  rs_store_close (a);
  rs_store_close (b);
  rs_store_close (c);
  rs_store_close (stranger);
}

/* An import never brings results older than this kiosk keeps. */
static void
test_import_expired (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = g_build_filename (f->dir, "old.bundle", NULL);
  RsStore *a = open_kiosk (f, "a.db");
  RsStore *b = open_kiosk (f, "b.db");
  RsImportSummary summary = { 0 };
  RsPrivacyPolicy policy;
  g_autofree char *old = NULL, *young = NULL;

  trust (a, b);
  old = take_full (b, f->bank, person_id (b, "K1"), 1, FALSE);
  fake_now += G_GINT64_CONSTANT (62) * 24 * 3600 * G_USEC_PER_SEC;
  young = take_full (b, f->bank, person_id (b, "K1"), 2, FALSE);
  g_assert_true (rs_privacy_get_policy (a, &policy, &error));
  policy.keep_results_months = 1;
  g_assert_true (rs_privacy_set_policy (a, rs_people_operator (), &policy, &error));
  export_to (b, path);
  import_from (f, a, path, &summary);
  g_assert_cmpint (summary.attempts_expired, ==, 1);
  g_assert_cmpint (summary.attempts_added, ==, 1);
  rs_import_summary_clear (&summary);
  g_assert_cmpint (count (a, "SELECT count(*) FROM attempts", 0), ==, 1);
  rs_store_close (a);
  rs_store_close (b);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/privacy/rule", test_rule);
  g_test_add ("/privacy/policy", Fixture, NULL, setup, test_policy, teardown);
  g_test_add ("/privacy/aggregates", Fixture, NULL, setup, test_aggregates, teardown);
  g_test_add ("/privacy/levels", Fixture, NULL, setup, test_levels, teardown);
  g_test_add ("/privacy/full", Fixture, NULL, setup, test_full, teardown);
  g_test_add ("/privacy/practice", Fixture, NULL, setup, test_practice, teardown);
  g_test_add ("/privacy/notice", Fixture, NULL, setup, test_notice, teardown);
  g_test_add ("/privacy/who-looked", Fixture, NULL, setup, test_who_looked, teardown);
  g_test_add ("/privacy/retention", Fixture, NULL, setup, test_retention, teardown);
  g_test_add ("/privacy/retention-without-anonymous", Fixture, NULL, setup, test_retention_without_anonymous,
              teardown);
  g_test_add ("/privacy/export-person", Fixture, NULL, setup, test_export_person, teardown);
  g_test_add ("/privacy/erase-bytes", Fixture, NULL, setup, test_erase_bytes, teardown);
  g_test_add ("/privacy/erase-refusals", Fixture, NULL, setup, test_erase_refusals, teardown);
  g_test_add ("/privacy/erase-exchange", Fixture, NULL, setup, test_erase_exchange, teardown);
  g_test_add ("/privacy/import-expired", Fixture, NULL, setup, test_import_expired, teardown);
  return g_test_run ();
}
