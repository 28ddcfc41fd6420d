/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Result exchange between kiosks: two databases that swap bundles end with
 * the same results; importing again changes nothing; damaged and foreign
 * files are refused with nothing written; unfinished attempts catch up;
 * unknown employee numbers are reported; --since filters. */
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/stat.h>

#include "rs-assessment.h"
#include "rs-error.h"
#include "rs-exchange.h"

typedef struct {
  char *dir;
  RsStore *a;
  RsStore *b;
  RsBank *bank;
} Fixture;

static const char *const people[] = { "100", "101", "102" };

/* --- a fake clock, for --since --- */

static gint64 fake_now;
static gboolean fake_ticks;

static gint64
fake_clock (void)
{
  return fake_ticks ? fake_now++ : fake_now;
}

/* --- setup --- */

static RsItem *
make_item (RsSkill skill, int index)
{
  RsItem *item = g_new0 (RsItem, 1);

  /* "python.q07": the ".q" is found in a bundle's bytes to damage it. */
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

static RsStore *
open_store (Fixture *f, const char *name, gboolean shifted)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = g_build_filename (f->dir, name, NULL);
  RsStore *store = rs_store_open (path, &error);

  g_assert_no_error (error);
  /* Another person first, so that row ids differ between the two: people
   * must travel by employee number. */
  if (shifted)
    g_assert_true (rs_store_add_person (store, "900", "Only On B", NULL, RS_PERSON_EMPLOYEE, NULL, NULL, &error));
  for (gsize i = 0; i < G_N_ELEMENTS (people); i++)
    {
      g_autofree char *name_text = g_strdup_printf ("Person %s", people[i]);
      g_assert_true (rs_store_add_person (store, people[i], name_text, "Team", RS_PERSON_EMPLOYEE, NULL, NULL,
                                          &error));
      g_assert_no_error (error);
    }
  return store;
}

static void
setup (Fixture *f, gconstpointer data)
{
  f->dir = g_dir_make_tmp ("reskill-exchange-XXXXXX", NULL);
  g_assert_true (f->dir != NULL);
  f->a = open_store (f, "a.db", FALSE);
  f->b = open_store (f, "b.db", TRUE);
  g_assert_cmpstr (rs_store_kiosk_id (f->a), !=, rs_store_kiosk_id (f->b));
  f->bank = rs_bank_new ();
  for (int s = RS_SKILL_PYTHON; s <= RS_SKILL_STATISTICS; s++)
    for (int i = 0; i < 40; i++)
      rs_bank_add_item (f->bank, make_item ((RsSkill) s, i));
}

static void
teardown (Fixture *f, gconstpointer data)
{
  g_autoptr (GDir) dir = NULL;
  const char *name;

  rs_store_set_clock (NULL);
  rs_store_close (f->a);
  rs_store_close (f->b);
  rs_bank_free (f->bank);
  dir = g_dir_open (f->dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (f->dir, name, NULL);
      g_remove (path);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
}

/* --- helpers --- */

static gint64
person (RsStore *store, const char *employee_no)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RsPerson) p = rs_store_find_person (store, employee_no, &error);

  g_assert_no_error (error);
  return p->id;
}

static void
answer (RsAssessment *a, int n, gboolean right)
{
  for (int i = 0; i < n && rs_assessment_current_item (a) != NULL; i++)
    {
      g_autoptr (GError) error = NULL;
      const RsItem *item = rs_assessment_current_item (a);
      RsAnswer given;

      rs_item_best_answer (item, &given);
      if (!right || i % 3 == 2)
        given.chosen = given.chosen == 1 ? 2 : 1;
      g_assert_true (rs_assessment_submit (a, &given, 1000 + i, NULL, &error));
      g_assert_no_error (error);
    }
}

/* Starts an attempt for employee_no (NULL: a guest) and answers n questions
 * (-1: all, and finishes). Returns the UUID. */
static char *
take (RsStore *store, const RsBank *bank, const char *employee_no, guint32 seed, int n)
{
  static const RsSkill skills[] = { RS_SKILL_PYTHON, RS_SKILL_STATISTICS };
  static const RsLevel self[] = { RS_LEVEL_PROFICIENT, RS_LEVEL_INVALID };
  g_autoptr (GError) error = NULL;
  g_autoptr (RsAssessment) a = rs_assessment_start (store, bank, employee_no ? person (store, employee_no) : 0,
                                                    RS_MODE_QUICK, skills, 2, self, seed, &error);

  g_assert_no_error (error);
  answer (a, n < 0 ? G_MAXINT : n, TRUE);
  if (n < 0)
    {
      g_assert_true (rs_assessment_finish (a, &error));
      g_assert_no_error (error);
    }
  return g_strdup (rs_assessment_uuid (a));
}

static void
dump_query (GString *out, sqlite3 *db, const char *sql)
{
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      for (int c = 0; c < sqlite3_column_count (stmt); c++)
        switch (sqlite3_column_type (stmt, c))
          {
          case SQLITE_NULL:
            g_string_append (out, "|NULL");
            break;
          case SQLITE_FLOAT:
            g_string_append_printf (out, "|%.17g", sqlite3_column_double (stmt, c));
            break;
          default:
            g_string_append_printf (out, "|%s", (const char *) sqlite3_column_text (stmt, c));
            break;
          }
      g_string_append_c (out, '\n');
    }
  g_assert_cmpint (sqlite3_finalize (stmt), ==, SQLITE_OK);
}

/* Every attempt, answer, result and self-estimate, people by number: what
 * must be the same on both kiosks after an exchange. */
static char *
dump (RsStore *store)
{
  GString *out = g_string_new (NULL);
  sqlite3 *db = rs_store_get_db (store);

  dump_query (out, db, "SELECT a.uuid, p.employee_no, a.mode, a.skills, a.seed, a.bank_version, a.kiosk_id, a.status,"
                       " a.started_at, a.finished_at, a.pending_item_id"
                       " FROM attempts AS a LEFT JOIN people AS p ON p.id = a.person_id ORDER BY a.uuid");
  dump_query (out, db, "SELECT * FROM responses ORDER BY attempt_id, seq");
  dump_query (out, db, "SELECT * FROM results ORDER BY attempt_id, skill");
  dump_query (out, db, "SELECT * FROM self_estimates ORDER BY attempt_id, skill");
  return g_string_free (out, FALSE);
}

static gint64
count (RsStore *store, const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 n;

  g_assert_cmpint (sqlite3_prepare_v2 (rs_store_get_db (store), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

static char *
bundle_path (Fixture *f, const char *name)
{
  return g_build_filename (f->dir, name, NULL);
}

static void
export (RsStore *store, const char *path, gint64 since, RsExportSummary *summary)
{
  g_autoptr (GError) error = NULL;
  RsExportOptions options = { .since = since, .overwrite = TRUE };

  g_assert_true (rs_exchange_export (store, NULL, path, &options, summary, &error));
  g_assert_no_error (error);
}

static void
import (RsStore *store, const char *path, RsImportSummary *summary)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (rs_exchange_import (store, NULL, path, summary, &error));
  g_assert_no_error (error);
}

/* --- tests --- */

static void
test_round_trip (Fixture *f, gconstpointer data)
{
  g_autofree char *a_bundle = bundle_path (f, "a.bundle");
  g_autofree char *b_bundle = bundle_path (f, "b.bundle");
  g_autofree char *on_a = NULL, *on_b = NULL, *again_a = NULL, *again_b = NULL;
  g_autofree char *a_full = take (f->a, f->bank, "100", 1, -1);
  g_autofree char *a_other = take (f->a, f->bank, "101", 2, -1);
  g_autofree char *a_guest = take (f->a, f->bank, NULL, 3, -1);
  g_autofree char *a_open = take (f->a, f->bank, "102", 4, 3);
  g_autofree char *b_full = take (f->b, f->bank, "100", 5, -1);
  g_autofree char *b_guest = take (f->b, f->bank, NULL, 6, 2);
  g_autoptr (RsAttempt) original = NULL, copy = NULL;
  g_autoptr (GError) error = NULL;
  RsExportSummary exported = { 0 };
  RsImportSummary imported = { 0 };
  gint64 a_responses = count (f->a, "SELECT count(*) FROM responses");
  struct stat st;

  export (f->a, a_bundle, 0, &exported);
  g_assert_cmpint (exported.n_attempts, ==, 4);
  g_assert_cmpint (exported.n_responses, ==, a_responses);
  g_assert_cmpint (exported.n_results, ==, 6);
  g_assert_cmpint (exported.n_self_estimates, ==, 4);
  g_assert_cmpuint (strlen (exported.sha256), ==, 64);
  g_assert_cmpint (g_stat (a_bundle, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  rs_export_summary_clear (&exported);

  import (f->b, a_bundle, &imported);
  g_assert_cmpstr (imported.kiosk_id, ==, rs_store_kiosk_id (f->a));
  g_assert_cmpint (imported.attempts_added, ==, 4);
  g_assert_cmpint (imported.attempts_updated, ==, 0);
  g_assert_cmpint (imported.attempts_unchanged, ==, 0);
  g_assert_cmpint (imported.attempts_unknown, ==, 0);
  g_assert_cmpint (imported.responses_added, ==, a_responses);
  g_assert_cmpint (imported.results_added, ==, 6);
  rs_import_summary_clear (&imported);

  /* B exports only what was made on B: the imported attempts stay home. */
  export (f->b, b_bundle, 0, &exported);
  g_assert_cmpint (exported.n_attempts, ==, 2);
  rs_export_summary_clear (&exported);
  import (f->a, b_bundle, &imported);
  g_assert_cmpint (imported.attempts_added, ==, 2);
  rs_import_summary_clear (&imported);

  on_a = dump (f->a);
  on_b = dump (f->b);
  g_assert_cmpstr (on_a, ==, on_b);
  g_assert_cmpint (count (f->a, "SELECT count(*) FROM attempts"), ==, 6);

  /* The copy reads back exactly, results in test order, and keeps its origin. */
  original = rs_store_load_attempt (f->a, a_full, &error);
  g_assert_no_error (error);
  copy = rs_store_load_attempt (f->b, a_full, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (copy->kiosk_id, ==, rs_store_kiosk_id (f->a));
  g_assert_cmpint (copy->person_id, ==, person (f->b, "100"));
  g_assert_cmpint (copy->person_id, !=, original->person_id);
  g_assert_cmpint (copy->status, ==, RS_ATTEMPT_FINISHED);
  g_assert_cmpint (copy->self_level[RS_SKILL_PYTHON], ==, RS_LEVEL_PROFICIENT);
  g_assert_cmpuint (copy->results->len, ==, original->results->len);
  for (guint i = 0; i < copy->results->len; i++)
    {
      g_assert_cmpint (g_array_index (copy->results, RsSkillResult, i).skill, ==,
                       g_array_index (original->results, RsSkillResult, i).skill);
      g_assert_cmpfloat (g_array_index (copy->results, RsSkillResult, i).theta, ==,
                         g_array_index (original->results, RsSkillResult, i).theta);
    }
  /* The guest's attempt travelled and is still nobody's. */
  g_clear_pointer (&copy, rs_attempt_free);
  copy = rs_store_load_attempt (f->b, a_guest, &error);
  g_assert_no_error (error);
  g_assert_cmpint (copy->person_id, ==, 0);

  /* Again, in both directions: nothing changes. */
  import (f->b, a_bundle, &imported);
  g_assert_cmpint (imported.attempts_added, ==, 0);
  g_assert_cmpint (imported.attempts_updated, ==, 0);
  g_assert_cmpint (imported.attempts_unchanged, ==, 4);
  g_assert_cmpint (imported.responses_added, ==, 0);
  rs_import_summary_clear (&imported);
  import (f->a, b_bundle, &imported);
  g_assert_cmpint (imported.attempts_unchanged, ==, 2);
  rs_import_summary_clear (&imported);
  again_a = dump (f->a);
  again_b = dump (f->b);
  g_assert_cmpstr (again_a, ==, on_a);
  g_assert_cmpstr (again_b, ==, on_b);

  /* Every export and import is in the audit log. */
  g_assert_cmpint (count (f->b, "SELECT count(*) FROM audit WHERE event = 'results-imported'"), ==, 2);
  g_assert_cmpint (count (f->b, "SELECT count(*) FROM audit WHERE event = 'results-exported'"), ==, 1);

  /* Each kiosk has the other's attempts, unfinished ones as far as they got. */
  g_clear_pointer (&copy, rs_attempt_free);
  copy = rs_store_load_attempt (f->b, a_open, &error);
  g_assert_no_error (error);
  g_assert_cmpint (copy->status, ==, RS_ATTEMPT_IN_PROGRESS);
  g_assert_cmpuint (copy->responses->len, ==, 3);
  g_assert_true (copy->pending_item_id != NULL);
  g_clear_pointer (&copy, rs_attempt_free);
  copy = rs_store_load_attempt (f->a, b_guest, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (copy->responses->len, ==, 2);
  g_assert_cmpstr (copy->kiosk_id, ==, rs_store_kiosk_id (f->b));
  g_clear_pointer (&copy, rs_attempt_free);
  for (const char *const *uuid = (const char *const[]) { a_other, b_full, NULL }; *uuid != NULL; uuid++)
    {
      g_autoptr (RsAttempt) on_a_copy = rs_store_load_attempt (f->a, *uuid, &error);
      g_assert_no_error (error);
      g_assert_cmpint (on_a_copy->status, ==, RS_ATTEMPT_FINISHED);
    }
}

/* Refused with the error, and B exactly as it was (audit log included). */
static void
assert_refused (Fixture *f, const char *path, int code, const char *words)
{
  g_autofree char *before = dump (f->b);
  g_autofree char *after = NULL;
  g_autoptr (GError) error = NULL;
  gint64 audit_before = count (f->b, "SELECT count(*) FROM audit");
  RsImportSummary summary = { 0 };

  g_assert_false (rs_exchange_import (f->b, NULL, path, &summary, &error));
  g_assert_error (error, RS_ERROR, code);
  g_assert_true (strstr (error->message, words) != NULL);
  g_assert_true (strstr (error->message, path) != NULL);
  g_assert_true (summary.unknown_employee_nos == NULL);
  after = dump (f->b);
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpint (count (f->b, "SELECT count(*) FROM audit"), ==, audit_before);
}

static void
test_damaged (Fixture *f, gconstpointer data)
{
  g_autofree char *path = bundle_path (f, "a.bundle");
  g_autofree char *uuid = take (f->a, f->bank, "100", 1, -1);
  g_autofree char *contents = NULL;
  gsize length = 0;
  char *where;

  export (f->a, path, 0, NULL);
  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  /* One letter of an item id inside a response row: still a well-formed
   * SQLite file, but not the content that was hashed. */
  for (where = contents; where + 4 <= contents + length && memcmp (where, "on.q", 4) != 0; where++)
    ;
  g_assert_true (where + 4 <= contents + length);
  where[3] = 'r';
  g_assert_true (g_file_set_contents (path, contents, (gssize) length, NULL));
  assert_refused (f, path, RS_ERROR_DB_CORRUPT, "damaged: its content does not match its SHA-256");

  /* Cut short, as a stick pulled out too early leaves it. */
  g_assert_true (g_file_set_contents (path, contents, (gssize) length / 2, NULL));
  assert_refused (f, path, RS_ERROR_DB_CORRUPT, "damaged");
}

static void
test_foreign (Fixture *f, gconstpointer data)
{
  g_autofree char *noise = bundle_path (f, "noise.bin");
  g_autofree char *other = bundle_path (f, "other.sqlite");
  g_autofree char *empty = bundle_path (f, "empty.db");
  g_autofree char *newer = bundle_path (f, "newer.bundle");
  g_autofree char *missing = bundle_path (f, "missing.bundle");
  g_autofree char *main_db = bundle_path (f, "a.db");
  g_autofree char *uuid = take (f->a, f->bank, "100", 1, -1);
  g_autoptr (GRand) rand = g_rand_new_with_seed (7);
  guint8 bytes[8192];
  sqlite3 *db = NULL;

  for (gsize i = 0; i < sizeof bytes; i++)
    bytes[i] = (guint8) g_rand_int_range (rand, 0, 256);
  g_assert_true (g_file_set_contents (noise, (const char *) bytes, sizeof bytes, NULL));
  assert_refused (f, noise, RS_ERROR_INVALID, "not a Reskill results bundle");

  g_assert_cmpint (sqlite3_open (other, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "CREATE TABLE recipes (name TEXT); INSERT INTO recipes VALUES ('soup');",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  assert_refused (f, other, RS_ERROR_INVALID, "not a Reskill results bundle");

  g_assert_true (g_file_set_contents (empty, "", 0, NULL));
  assert_refused (f, empty, RS_ERROR_INVALID, "not a Reskill results bundle");
  /* A Reskill database is not a bundle either. */
  assert_refused (f, main_db, RS_ERROR_INVALID, "not a Reskill results bundle");
  assert_refused (f, missing, RS_ERROR_IO, "no such file");

  /* A later format: said so, not "damaged". */
  export (f->a, newer, 0, NULL);
  g_assert_cmpint (sqlite3_open (newer, &db), ==, SQLITE_OK);
  {
    g_autofree char *sql = g_strdup_printf ("UPDATE bundle SET format_version = %d", RS_EXCHANGE_FORMAT_VERSION + 1);
    g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  }
  sqlite3_close (db);
  assert_refused (f, newer, RS_ERROR_DB_TOO_NEW, "newer Reskill");
  g_assert_cmpint (sqlite3_open (newer, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE bundle SET format_version = 1, format = 'recipes'", NULL, NULL, NULL),
                   ==, SQLITE_OK);
  sqlite3_close (db);
  assert_refused (f, newer, RS_ERROR_INVALID, "not a Reskill results bundle");
}

static void
test_in_progress_catches_up (Fixture *f, gconstpointer data)
{
  g_autofree char *first = bundle_path (f, "first.bundle");
  g_autofree char *second = bundle_path (f, "second.bundle");
  g_autofree char *third = bundle_path (f, "third.bundle");
  g_autofree char *uuid = take (f->a, f->bank, "101", 11, 3);
  g_autofree char *on_a = NULL, *on_b = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (RsAttempt) copy = NULL;
  RsImportSummary imported = { 0 };

  export (f->a, first, 0, NULL);
  import (f->b, first, &imported);
  g_assert_cmpint (imported.attempts_added, ==, 1);
  g_assert_cmpint (imported.responses_added, ==, 3);
  rs_import_summary_clear (&imported);

  {
    g_autoptr (RsAssessment) a = rs_assessment_resume (f->a, f->bank, uuid, &error);
    g_assert_no_error (error);
    answer (a, 2, TRUE);
  }
  export (f->a, second, 0, NULL);
  import (f->b, second, &imported);
  g_assert_cmpint (imported.attempts_added, ==, 0);
  g_assert_cmpint (imported.attempts_updated, ==, 1);
  g_assert_cmpint (imported.responses_added, ==, 2);
  rs_import_summary_clear (&imported);
  on_a = dump (f->a);
  on_b = dump (f->b);
  g_assert_cmpstr (on_a, ==, on_b);
  g_clear_pointer (&on_a, g_free);
  g_clear_pointer (&on_b, g_free);

  {
    g_autoptr (RsAssessment) a = rs_assessment_resume (f->a, f->bank, uuid, &error);
    g_assert_no_error (error);
    answer (a, G_MAXINT, TRUE);
    g_assert_true (rs_assessment_finish (a, &error));
    g_assert_no_error (error);
  }
  export (f->a, third, 0, NULL);
  import (f->b, third, &imported);
  g_assert_cmpint (imported.attempts_updated, ==, 1);
  g_assert_cmpint (imported.results_added, ==, 2);
  g_assert_cmpint (imported.responses_added, >, 0);
  rs_import_summary_clear (&imported);
  copy = rs_store_load_attempt (f->b, uuid, &error);
  g_assert_no_error (error);
  g_assert_cmpint (copy->status, ==, RS_ATTEMPT_FINISHED);
  on_a = dump (f->a);
  on_b = dump (f->b);
  g_assert_cmpstr (on_a, ==, on_b);

  /* An older bundle does not take it back. */
  import (f->b, first, &imported);
  g_assert_cmpint (imported.attempts_unchanged, ==, 1);
  g_assert_cmpint (imported.responses_added, ==, 0);
  rs_import_summary_clear (&imported);
  g_clear_pointer (&on_b, g_free);
  on_b = dump (f->b);
  g_assert_cmpstr (on_a, ==, on_b);
}

static void
test_conflict (Fixture *f, gconstpointer data)
{
  g_autofree char *first = bundle_path (f, "first.bundle");
  g_autofree char *second = bundle_path (f, "second.bundle");
  g_autofree char *uuid = take (f->a, f->bank, "101", 12, 2);
  g_autofree char *before = NULL, *after = NULL, *text = NULL;
  g_autoptr (GError) error = NULL;
  RsImportSummary imported = { 0 };

  export (f->a, first, 0, NULL);
  import (f->b, first, &imported);
  rs_import_summary_clear (&imported);
  /* The same unfinished attempt continued on both kiosks, differently. */
  {
    g_autoptr (RsAssessment) on_a = rs_assessment_resume (f->a, f->bank, uuid, &error);
    g_autoptr (RsAssessment) on_b = NULL;

    g_assert_no_error (error);
    on_b = rs_assessment_resume (f->b, f->bank, uuid, &error);
    g_assert_no_error (error);
    answer (on_a, 2, TRUE);
    answer (on_b, 1, FALSE);
  }
  export (f->a, second, 0, NULL);
  before = dump (f->b);
  import (f->b, second, &imported);
  g_assert_cmpint (imported.attempts_conflicting, ==, 1);
  g_assert_cmpint (imported.attempts_updated, ==, 0);
  g_assert_cmpstr (g_ptr_array_index (imported.conflicting_uuids, 0), ==, uuid);
  text = rs_import_summary_describe (&imported);
  g_assert_true (strstr (text, uuid) != NULL);
  rs_import_summary_clear (&imported);
  after = dump (f->b);
  g_assert_cmpstr (before, ==, after);
}

static void
test_unknown_people (Fixture *f, gconstpointer data)
{
  g_autofree char *path = bundle_path (f, "a.bundle");
  g_autofree char *text = NULL, *expected = NULL;
  g_autoptr (GError) error = NULL;
  RsImportSummary imported = { 0 };

  g_assert_true (rs_store_add_person (f->a, "4712", "Not On B", NULL, RS_PERSON_EMPLOYEE, NULL, NULL, &error));
  g_assert_true (rs_store_add_person (f->a, "4711", "Nor On B", NULL, RS_PERSON_EMPLOYEE, NULL, NULL, &error));
  g_free (take (f->a, f->bank, "4711", 21, -1));
  g_free (take (f->a, f->bank, "4711", 22, 1));
  g_free (take (f->a, f->bank, "4712", 23, -1));
  g_free (take (f->a, f->bank, "100", 24, -1));
  export (f->a, path, 0, NULL);

  import (f->b, path, &imported);
  g_assert_cmpint (imported.attempts_added, ==, 1);
  g_assert_cmpint (imported.attempts_unknown, ==, 3);
  g_assert_cmpuint (imported.unknown_employee_nos->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (imported.unknown_employee_nos, 0), ==, "4711");
  g_assert_cmpstr (g_ptr_array_index (imported.unknown_employee_nos, 1), ==, "4712");
  text = rs_import_summary_describe (&imported);
  expected = g_strdup_printf ("1 attempt added, 0 updated, 0 already here; %d answers added\n"
                              "3 attempts for unknown employee numbers 4711, 4712 skipped: import people "
                              "first, then this bundle again", imported.responses_added);
  g_assert_cmpstr (text, ==, expected);
  rs_import_summary_clear (&imported);
  g_assert_cmpint (count (f->b, "SELECT count(*) FROM people WHERE employee_no LIKE '471_'"), ==, 0);

  /* People imported: the same bundle brings the rest. */
  g_assert_true (rs_store_add_person (f->b, "4711", "Nor On B", NULL, RS_PERSON_EMPLOYEE, NULL, NULL, &error));
  import (f->b, path, &imported);
  g_assert_cmpint (imported.attempts_added, ==, 2);
  g_assert_cmpint (imported.attempts_unchanged, ==, 1);
  g_assert_cmpint (imported.attempts_unknown, ==, 1);
  rs_import_summary_clear (&imported);
}

static void
test_since (Fixture *f, gconstpointer data)
{
  g_autofree char *path = bundle_path (f, "since.bundle");
  g_autofree char *token = NULL, *old = NULL, *continued = NULL, *fresh = NULL;
  g_autofree char *again = bundle_path (f, "again.bundle");
  g_autoptr (GError) error = NULL;
  RsExportSummary first = { 0 }, second = { 0 };
  gint64 parsed = 0, cut;

  fake_now = G_GINT64_CONSTANT (1700000000) * G_USEC_PER_SEC;
  fake_ticks = TRUE;
  rs_store_set_clock (fake_clock);
  old = take (f->a, f->bank, "100", 31, -1);
  continued = take (f->a, f->bank, "101", 32, 2);

  export (f->a, path, 0, &first);
  g_assert_cmpint (first.n_attempts, ==, 2);
  cut = first.created_at;
  token = rs_exchange_format_time (cut);
  g_assert_true (rs_exchange_parse_since (token, &parsed, &error));
  g_assert_no_error (error);
  g_assert_cmpint (parsed, ==, cut);

  fake_now += (gint64) 3600 * G_USEC_PER_SEC;
  fresh = take (f->a, f->bank, "102", 33, -1);
  {
    g_autoptr (RsAssessment) a = rs_assessment_resume (f->a, f->bank, continued, &error);
    g_assert_no_error (error);
    answer (a, 1, TRUE);
  }
  export (f->a, path, cut, &second);
  /* The new attempt and the continued one; not the old one. */
  g_assert_cmpint (second.n_attempts, ==, 2);
  {
    g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM responses WHERE attempt_id IN ('%s', '%s')",
                                            continued, fresh);
    g_assert_cmpint (second.n_responses, ==, count (f->a, sql));
    g_assert_cmpint (count (f->a, "SELECT count(*) FROM attempts"), ==, 3);
  }
  rs_export_summary_clear (&first);
  rs_export_summary_clear (&second);
  export (f->a, path, fake_now + 1, &second);
  g_assert_cmpint (second.n_attempts, ==, 0);
  rs_export_summary_clear (&second);

  /* The same content at the same moment hashes the same, wherever written. */
  fake_ticks = FALSE;
  export (f->a, path, 0, &first);
  export (f->a, again, 0, &second);
  g_assert_cmpstr (first.sha256, ==, second.sha256);
  rs_export_summary_clear (&first);
  rs_export_summary_clear (&second);
}

static void
test_parse_since (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GDateTime) midnight = g_date_time_new_local (2026, 3, 1, 0, 0, 0);
  g_autoptr (GDateTime) afternoon = g_date_time_new_local (2026, 3, 1, 14, 30, 0);
  gint64 since = 0;

  g_assert_true (rs_exchange_parse_since ("2026-03-01", &since, &error));
  g_assert_cmpint (since, ==, g_date_time_to_unix (midnight) * G_USEC_PER_SEC);
  g_assert_true (rs_exchange_parse_since ("2026-03-01T14:30", &since, &error));
  g_assert_cmpint (since, ==, g_date_time_to_unix (afternoon) * G_USEC_PER_SEC);
  g_assert_true (rs_exchange_parse_since ("2026-03-01 14:30:00", &since, &error));
  g_assert_cmpint (since, ==, g_date_time_to_unix (afternoon) * G_USEC_PER_SEC);
  g_assert_true (rs_exchange_parse_since ("2026-03-01T13:30:00.000250Z", &since, &error));
  g_assert_cmpint (since, ==, G_GINT64_CONSTANT (1772371800000250));
  g_assert_no_error (error);
  for (const char *const *bad = (const char *const[]) { "yesterday", "2026-02-30", "2026-03-01T25:00", "", NULL };
       *bad != NULL; bad++)
    {
      g_assert_false (rs_exchange_parse_since (*bad, &since, &error));
      g_assert_error (error, RS_ERROR, RS_ERROR_INVALID);
      g_clear_error (&error);
    }
}

static void
test_access_and_files (Fixture *f, gconstpointer data)
{
  g_autofree char *path = bundle_path (f, "a.bundle");
  g_autofree char *nowhere = g_build_filename (f->dir, "no-such-folder", "a.bundle", NULL);
  g_autofree char *contents = NULL, *after = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GDir) dir = NULL;
  RsPerson employee = { .id = person (f->a, "100"), .role = RS_PERSON_EMPLOYEE, .active = TRUE };
  RsPerson admin = { .id = person (f->a, "101"), .role = RS_PERSON_ADMIN, .active = TRUE };
  RsImportSummary imported = { 0 };
  const char *name;
  int n_files = 0;

  g_free (take (f->a, f->bank, "100", 41, -1));
  g_assert_false (rs_exchange_export (f->a, &employee, path, NULL, NULL, &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_DENIED);
  g_clear_error (&error);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_true (rs_exchange_export (f->a, &admin, path, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (f->a, "SELECT count(*) FROM audit WHERE event = 'results-exported' AND person_id IS NOT NULL"),
                   ==, 1);

  /* An existing file is not replaced unless asked. */
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_false (rs_exchange_export (f->a, NULL, path, NULL, NULL, &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_IO);
  g_assert_true (strstr (error->message, "already exists") != NULL);
  g_clear_error (&error);
  g_assert_true (g_file_get_contents (path, &after, NULL, NULL));
  g_assert_cmpstr (contents, ==, after);
  g_assert_false (rs_exchange_export (f->a, NULL, nowhere, NULL, NULL, &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_IO);
  g_clear_error (&error);

  g_assert_false (rs_exchange_import (f->b, &employee, path, &imported, &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_DENIED);
  g_clear_error (&error);
  g_assert_cmpint (count (f->b, "SELECT count(*) FROM attempts"), ==, 0);

  /* No temporary file is left behind, and importing wrote nothing beside
   * the bundle (no journal, no lock file). */
  import (f->b, path, &imported);
  rs_import_summary_clear (&imported);
  dir = g_dir_open (f->dir, 0, NULL);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_assert_false (g_str_has_prefix (name, "."));
      g_assert_false (g_str_has_prefix (name, "a.bundle-"));
      n_files++;
    }
  g_assert_cmpint (n_files, >=, 3);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/exchange/round-trip", Fixture, NULL, setup, test_round_trip, teardown);
  g_test_add ("/exchange/damaged", Fixture, NULL, setup, test_damaged, teardown);
  g_test_add ("/exchange/foreign", Fixture, NULL, setup, test_foreign, teardown);
  g_test_add ("/exchange/in-progress", Fixture, NULL, setup, test_in_progress_catches_up, teardown);
  g_test_add ("/exchange/conflict", Fixture, NULL, setup, test_conflict, teardown);
  g_test_add ("/exchange/unknown-people", Fixture, NULL, setup, test_unknown_people, teardown);
  g_test_add ("/exchange/since", Fixture, NULL, setup, test_since, teardown);
  g_test_add_func ("/exchange/parse-since", test_parse_since);
  g_test_add ("/exchange/access-and-files", Fixture, NULL, setup, test_access_and_files, teardown);
  return g_test_run ();
}
