/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Result exchange between kiosks: two databases that trust each other swap
 * bundles and end with the same results; importing again changes nothing;
 * damaged and foreign files are refused with nothing written; unfinished
 * attempts catch up; unknown employee numbers are reported; --since
 * filters. Then what signing is for (issue 10): edited and re-hashed
 * bundles, bundles from kiosks not trusted or revoked, unsigned ones, and
 * signed units whose content cannot be are refused with nothing written; a
 * bundle built to hang the reader is refused within a second. */
#include <glib/gstdio.h>
#include <math.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/stat.h>

#include "rs-assessment.h"
#include "rs-error.h"
#include "rs-exchange.h"
#include "rs-rescore.h"
#include "rs-trust.h"
#include "rs-unit.h"

typedef struct {
  char *dir;
  RsStore *a;
  RsStore *b;
  RsBank *bank;
} Fixture;

static const char *const people[] = { "100", "101", "102" };
static Fixture *current;

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
  current = f;
  f->dir = g_dir_make_tmp ("reskill-exchange-XXXXXX", NULL);
  g_assert_true (f->dir != NULL);
  f->a = open_store (f, "a.db", FALSE);
  f->b = open_store (f, "b.db", TRUE);
  g_assert_cmpstr (rs_store_kiosk_id (f->a), !=, rs_store_kiosk_id (f->b));
  f->bank = rs_bank_new ();
  for (int s = RS_SKILL_PYTHON; s <= RS_SKILL_STATISTICS; s++)
    for (int i = 0; i < 40; i++)
      rs_bank_add_item (f->bank, make_item ((RsSkill) s, i));
  /* The two kiosks' administrators have compared fingerprints. */
  {
    g_autoptr (GError) error = NULL;

    g_assert_true (rs_trust_kiosk (f->b, NULL, rs_store_key_fingerprint (f->a), "Kiosk A", NULL, &error));
    g_assert_no_error (error);
    g_assert_true (rs_trust_kiosk (f->a, NULL, rs_store_key_fingerprint (f->b), "Kiosk B", NULL, &error));
    g_assert_no_error (error);
  }
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

/* Every attempt (with its priors and whether the item on screen is a
 * pretest item), answer (scored or not), result (with its calibration and
 * level probabilities) and self-estimate, people by number: what must be
 * the same on both kiosks after an exchange. */
static char *
dump (RsStore *store)
{
  GString *out = g_string_new (NULL);
  sqlite3 *db = rs_store_get_db (store);

  dump_query (out, db, "SELECT a.uuid, p.employee_no, a.mode, a.skills, a.seed, a.bank_version, a.kiosk_id, a.status,"
                       " a.started_at, a.finished_at, a.pending_item_id, a.pending_scored"
                       " FROM attempts AS a LEFT JOIN people AS p ON p.id = a.person_id ORDER BY a.uuid");
  dump_query (out, db, "SELECT * FROM attempt_priors ORDER BY attempt_id, skill");
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

/* Import options checking against the fixture's bank. */
static RsImportOptions *
options_for (Fixture *f)
{
  static RsImportOptions options;
  static const RsBank *banks[1];

  banks[0] = f->bank;
  options = (RsImportOptions) { .banks = banks, .n_banks = 1 };
  return &options;
}

static void
import (RsStore *store, const char *path, RsImportSummary *summary)
{
  g_autoptr (GError) error = NULL;

  gboolean ok = rs_exchange_import (store, NULL, path, options_for (current), summary, &error);

  g_assert_no_error (error);
  g_assert_true (ok);
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
  g_assert_cmpstr (imported.signer_fingerprint, ==, rs_store_key_fingerprint (f->a));
  g_assert_cmpstr (imported.signer_name, ==, "Kiosk A");
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

  double start = g_get_monotonic_time ();

  g_assert_false (rs_exchange_import (f->b, NULL, path, options_for (f), &summary, &error));
  /* Refusals are quick, also for files made to hang the reader. */
  g_assert_cmpfloat ((g_get_monotonic_time () - start) / 1e6, <, 1.0);
  g_test_message ("refused: %s", error != NULL ? error->message : "(no error)");
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
  g_assert_cmpint (sqlite3_exec (db, "UPDATE bundle SET format_version = 4", NULL, NULL, NULL), ==, SQLITE_OK);
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
  /* B had the first five answers; it gets the rest, and only those. */
  {
    g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM responses WHERE attempt_id = '%s'", uuid);
    g_assert_cmpint (count (f->a, sql), >, 5);
    g_assert_cmpint (imported.responses_added, ==, count (f->a, sql) - 5);
  }
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
  g_assert_true (g_str_has_prefix (g_ptr_array_index (imported.conflicts, 0), uuid));
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

  g_assert_false (rs_exchange_import (f->b, &employee, path, options_for (f), &imported, &error));
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


/* --- what signing is for (issue 10) --- */

/* The bundle's content hash, computed as rs-exchange.h describes it: what
 * anyone holding the stick can do. */
static void
hash_value (GString *line, sqlite3_stmt *stmt, int column)
{
  switch (sqlite3_column_type (stmt, column))
    {
    case SQLITE_NULL:
      g_string_append (line, "\tN");
      break;
    case SQLITE_INTEGER:
      g_string_append_printf (line, "\tI%" G_GINT64_FORMAT, (gint64) sqlite3_column_int64 (stmt, column));
      break;
    case SQLITE_FLOAT:
      {
        double value = sqlite3_column_double (stmt, column);
        guint64 bits;

        memcpy (&bits, &value, sizeof bits);
        g_string_append_printf (line, "\tR%016" G_GINT64_MODIFIER "x", bits);
        break;
      }
    default:
      g_string_append_printf (line, "\tT%d:", sqlite3_column_bytes (stmt, column));
      g_string_append_len (line, (const char *) sqlite3_column_text (stmt, column), sqlite3_column_bytes (stmt, column));
      break;
    }
}

static void
rehash (sqlite3 *db)
{
  static const char *const tables[][2] = {
    { "bundle", "SELECT format, format_version, kiosk_id, created_at, since, all_kiosks, bank_versions, program,"
                " n_attempts, n_responses, n_results, n_self_estimates, signer_key FROM bundle" },
    { "attempts", "SELECT uuid, employee_no, mode, skills, seed, bank_version, kiosk_id, status, started_at,"
                  " finished_at, pending_item_id, pending_scored FROM attempts ORDER BY uuid" },
    { "responses", "SELECT attempt_uuid, seq, item_id, skill, answer, score, max_score, theta, se, time_ms,"
                   " answered_at, scored FROM responses ORDER BY attempt_uuid, seq" },
    { "results", "SELECT attempt_uuid, skill, theta, se, n_items, level, calibration, se_provisional, p_novice,"
                 " p_developing, p_proficient, p_advanced, p_expert FROM results ORDER BY attempt_uuid, skill" },
    { "self_estimates", "SELECT attempt_uuid, skill, level FROM self_estimates ORDER BY attempt_uuid, skill" },
    { "signatures", "SELECT attempt_uuid, signer_key, signature FROM signatures ORDER BY attempt_uuid" },
    { "attempt_priors", "SELECT attempt_uuid, skill, mean, sd FROM attempt_priors ORDER BY attempt_uuid, skill" },
    { "erasures", "SELECT uuid, employee_no, kiosk_id, erased_at, attempts, signer_key, signature FROM erasures"
                  " ORDER BY uuid" },
  };
  g_autoptr (GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr (GString) line = g_string_new (NULL);
  g_autofree char *sql = NULL;

  g_checksum_update (sum, (const guchar *) "reskill-results 3\n", -1);
  for (gsize t = 0; t < G_N_ELEMENTS (tables); t++)
    {
      sqlite3_stmt *stmt = NULL;

      g_assert_cmpint (sqlite3_prepare_v2 (db, tables[t][1], -1, &stmt, NULL), ==, SQLITE_OK);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          g_string_assign (line, tables[t][0]);
          for (int c = 0; c < sqlite3_column_count (stmt); c++)
            hash_value (line, stmt, c);
          g_string_append_c (line, '\n');
          g_checksum_update (sum, (const guchar *) line->str, (gssize) line->len);
        }
      sqlite3_finalize (stmt);
    }
  sql = g_strdup_printf ("UPDATE bundle SET content_sha256 = '%s'", g_checksum_get_string (sum));
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
}

static void
edit_bundle (const char *path, const char *sql, gboolean and_rehash)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  if (and_rehash)
    rehash (db);
  sqlite3_close (db);
}

/* An employee made Expert everywhere, with the hash recomputed the way the
 * code does: only the signature tells. */
static void
test_forged (Fixture *f, gconstpointer data)
{
  g_autofree char *path = bundle_path (f, "a.bundle");
  g_autofree char *uuid = take (f->a, f->bank, "100", 1, -1);
  g_autofree char *sql = NULL;

  export (f->a, path, 0, NULL);
  edit_bundle (path, "UPDATE results SET theta = 3.9, se = 0.2, level = 'expert'", TRUE);
  assert_refused (f, path, RS_ERROR_INVALID, "forged");

  /* Re-signed by the forger's own key: a kiosk nobody trusts. */
  {
    g_autoptr (RsKioskKey) forger = rs_kiosk_key_new_ephemeral ("forger");
    g_autoptr (GError) error = NULL;
    g_autoptr (RsUnit) unit = rs_unit_load_attempt (f->a, uuid, &error);
    g_autofree char *signer = NULL, *signature = NULL, *header_signature = NULL, *hash = NULL, *signed_text = NULL;
    guint8 sig[RS_KIOSK_KEY_SIGNATURE_BYTES];
    sqlite3 *db = NULL;
    sqlite3_stmt *stmt = NULL;

    g_assert_no_error (error);
    export (f->a, path, 0, NULL);
    rs_unit_sign (unit, forger);
    signer = rs_hex_encode (unit->signer, sizeof unit->signer);
    signature = rs_hex_encode (unit->signature, sizeof unit->signature);
    g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
    sql = g_strdup_printf ("UPDATE signatures SET signer_key = '%s', signature = '%s';"
                           " UPDATE bundle SET signer_key = '%s'", signer, signature, signer);
    g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
    rehash (db);
    g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT content_sha256 FROM bundle", -1, &stmt, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    hash = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
    sqlite3_finalize (stmt);
    signed_text = g_strconcat ("reskill-results-header\t3\n", hash, NULL);
    rs_kiosk_key_sign (forger, signed_text, strlen (signed_text), sig);
    header_signature = rs_hex_encode (sig, sizeof sig);
    g_free (sql);
    sql = g_strdup_printf ("UPDATE bundle SET header_signature = '%s'", header_signature);
    g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
    sqlite3_close (db);
    assert_refused (f, path, RS_ERROR_DENIED, "does not trust");
  }
}

static RsStore *
open_third (Fixture *f)
{
  RsStore *c = open_store (f, "c.db", FALSE);

  g_free (take (c, f->bank, "100", 51, -1));
  return c;
}

static void
test_untrusted_and_revoked (Fixture *f, gconstpointer data)
{
  g_autofree char *path = bundle_path (f, "c.bundle");
  g_autofree char *key_file = bundle_path (f, "c.pub");
  g_autoptr (RsStore) c = open_third (f);
  g_autoptr (GError) error = NULL;
  RsImportSummary imported = { 0 };

  export (c, path, 0, NULL);
  assert_refused (f, path, RS_ERROR_DENIED, "does not trust");
  {
    g_autoptr (GError) refusal = NULL;
    /* The message names the fingerprint to compare and trust. */
    g_assert_false (rs_exchange_import (f->b, NULL, path, options_for (f), NULL, &refusal));
    g_assert_true (strstr (refusal->message, rs_store_key_fingerprint (c)) != NULL);
  }

  /* Trusted from its public key file, then imported. */
  g_assert_true (rs_kiosk_key_write_public (rs_store_kiosk_key (c), key_file, &error));
  g_assert_no_error (error);
  g_assert_true (rs_trust_kiosk (f->b, NULL, key_file, "Kiosk C", NULL, &error));
  g_assert_no_error (error);
  import (f->b, path, &imported);
  g_assert_cmpint (imported.attempts_added, ==, 1);
  g_assert_cmpstr (imported.signer_name, ==, "Kiosk C");
  rs_import_summary_clear (&imported);

  /* Revoked: refused, and said so. */
  g_assert_true (rs_trust_revoke (f->b, NULL, "Kiosk C", NULL, &error));
  g_assert_no_error (error);
  g_free (take (c, f->bank, "101", 52, -1));
  export (c, path, 0, NULL);
  assert_refused (f, path, RS_ERROR_DENIED, "revoked");
  g_assert_cmpint (count (f->b, "SELECT count(*) FROM audit WHERE event IN ('kiosk-trusted', 'kiosk-revoked')"), ==,
                   3);
  /* Its own key needs no trusting. */
  g_assert_false (rs_trust_kiosk (f->b, NULL, rs_store_key_fingerprint (f->b), NULL, NULL, &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_INVALID);
}

/* A bundle whose schema runs code or hides tables: refused before any
 * read, within a second (assert_refused times it). */
static void
test_hostile_schema (Fixture *f, gconstpointer data)
{
  static const struct {
    const char *sql;
    const char *words;
  } cases[] = {
    { "DROP TABLE responses; CREATE VIEW responses (attempt_uuid, seq, item_id, skill, answer, score, max_score,"
      " theta, se, time_ms, answered_at) AS WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n)"
      " SELECT 'x', i, 'python.q01', 'python', 'A', 1, 1, 0.0, 1.0, 1, 1 FROM n",
      "unexpected view \"responses\"" },
    { "CREATE TRIGGER sneaky AFTER INSERT ON attempts BEGIN DELETE FROM results; END", "unexpected trigger" },
    { "CREATE TABLE extra (x TEXT)", "unexpected table \"extra\"" },
    { "CREATE INDEX slow ON responses (answer)", "unexpected index" },
  };
  g_autofree char *path = bundle_path (f, "hostile.bundle");
  g_autofree char *uuid = take (f->a, f->bank, "100", 1, -1);

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      export (f->a, path, 0, NULL);
      edit_bundle (path, cases[i].sql, FALSE);
      assert_refused (f, path, RS_ERROR_INVALID, cases[i].words);
    }
}

/* The unsigned format of issue 6, made as that version made it. */
static void
test_unsigned (Fixture *f, gconstpointer data)
{
  g_autofree char *path = bundle_path (f, "old.bundle");
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db,
    "CREATE TABLE bundle (\n  format TEXT NOT NULL,\n  format_version INTEGER NOT NULL,\n  kiosk_id TEXT NOT NULL,\n"
    "  created_at INTEGER NOT NULL,\n  since INTEGER,\n  all_kiosks INTEGER NOT NULL,\n  bank_versions TEXT NOT NULL,\n"
    "  program TEXT NOT NULL,\n  n_attempts INTEGER NOT NULL,\n  n_responses INTEGER NOT NULL,\n"
    "  n_results INTEGER NOT NULL,\n  n_self_estimates INTEGER NOT NULL,\n  content_sha256 TEXT NOT NULL\n);\n"
    "CREATE TABLE attempts (\n  uuid TEXT NOT NULL PRIMARY KEY,\n  employee_no TEXT,\n  mode TEXT NOT NULL,\n"
    "  skills TEXT NOT NULL,\n  seed INTEGER NOT NULL,\n  bank_version TEXT,\n  kiosk_id TEXT,\n  status TEXT NOT NULL,\n"
    "  started_at INTEGER NOT NULL,\n  finished_at INTEGER,\n  pending_item_id TEXT\n);\n"
    "CREATE TABLE responses (\n  attempt_uuid TEXT NOT NULL REFERENCES attempts (uuid),\n  seq INTEGER NOT NULL,\n"
    "  item_id TEXT NOT NULL,\n  skill TEXT NOT NULL,\n  answer TEXT NOT NULL,\n  score INTEGER NOT NULL,\n"
    "  max_score INTEGER NOT NULL,\n  theta REAL NOT NULL,\n  se REAL NOT NULL,\n  time_ms INTEGER NOT NULL,\n"
    "  answered_at INTEGER NOT NULL,\n  PRIMARY KEY (attempt_uuid, seq)\n);\n"
    "CREATE TABLE results (\n  attempt_uuid TEXT NOT NULL REFERENCES attempts (uuid),\n  skill TEXT NOT NULL,\n"
    "  theta REAL NOT NULL,\n  se REAL NOT NULL,\n  n_items INTEGER NOT NULL,\n  level TEXT NOT NULL,\n"
    "  PRIMARY KEY (attempt_uuid, skill)\n);\n"
    "CREATE TABLE self_estimates (\n  attempt_uuid TEXT NOT NULL REFERENCES attempts (uuid),\n  skill TEXT NOT NULL,\n"
    "  level TEXT NOT NULL,\n  PRIMARY KEY (attempt_uuid, skill)\n);\n", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  assert_refused (f, path, RS_ERROR_DENIED, "unsigned");
}

/* Units signed by a kiosk B trusts, with content that cannot be: each is
 * refused with nothing written. This is what a stolen key, or a kiosk with
 * a broken program, could send. */
typedef void (*Corrupt) (RsAttempt *a);

static void
set_expert (RsAttempt *a)
{
  for (guint i = 0; i < a->results->len; i++)
    {
      g_array_index (a->results, RsSkillResult, i).theta = 3.9;
      g_array_index (a->results, RsSkillResult, i).level = RS_LEVEL_EXPERT;
    }
}

static void
set_infinite (RsAttempt *a)
{
  g_array_index (a->results, RsSkillResult, 0).theta = -INFINITY;
}

static void
set_zero_se (RsAttempt *a)
{
  g_array_index (a->results, RsSkillResult, 0).se = 0.0;
}

static void
set_negative_count (RsAttempt *a)
{
  g_array_index (a->results, RsSkillResult, 0).n_items = -7;
}

static void
set_wrong_count (RsAttempt *a)
{
  g_array_index (a->results, RsSkillResult, 0).n_items += 1;
}

static void
set_future (RsAttempt *a)
{
  a->finished_at = G_GINT64_CONSTANT (253402214400) * G_USEC_PER_SEC;   /* 9999-12-31 */
}

static void
set_unknown_item (RsAttempt *a)
{
  RsResponse *r = &g_array_index (a->responses, RsResponse, 0);

  g_free (r->item_id);
  r->item_id = g_strdup ("python.nope");
}

static void
set_better_score (RsAttempt *a)
{
  for (guint i = 0; i < a->responses->len; i++)
    {
      RsResponse *r = &g_array_index (a->responses, RsResponse, i);
      if (r->score == 0)
        {
          r->score = 1;
          return;
        }
    }
  g_assert_cmpuint (a->responses->len, ==, 0);
}

static void
set_no_answers (RsAttempt *a)
{
  g_array_set_size (a->responses, 0);
}

/* Level probabilities moved towards Expert, still adding up to one. */
static void
set_probabilities (RsAttempt *a)
{
  RsSkillResult *r = &g_array_index (a->results, RsSkillResult, 0);

  r->has_level_probability = TRUE;
  for (int l = 0; l < RS_N_LEVELS; l++)
    r->level_probability[l] = l == RS_LEVEL_EXPERT ? 0.96 : 0.01;
  r->level = RS_LEVEL_EXPERT;
}

/* A prior far above the population's: every estimate would move up. */
static void
set_prior (RsAttempt *a)
{
  a->prior_mean[a->skills[0]] = 2.5;
  a->prior_sd[a->skills[0]] = 0.6;
}

/* The first answers made pretest answers: more than a tenth of the test. */
static void
set_pretest (RsAttempt *a)
{
  for (guint i = 0; i < MIN (a->responses->len, 3u); i++)
    g_array_index (a->responses, RsResponse, i).unscored = TRUE;
}

static void
assert_unit_refused (Fixture *f, RsUnit *unit, gboolean resign, int code, const char *words)
{
  g_autoptr (GPtrArray) units = g_ptr_array_new ();
  g_autofree char *before = dump (f->b);
  g_autofree char *after = NULL;
  g_autoptr (GError) error = NULL;
  gint64 audit_before = count (f->b, "SELECT count(*) FROM audit");
  RsUnitCheck check = { .banks = (const RsBank *const[]) { f->bank }, .n_banks = 1, .source = "test" };

  if (resign)
    rs_unit_sign (unit, rs_store_kiosk_key (f->a));
  g_ptr_array_add (units, unit);
  g_assert_false (rs_units_import (f->b, NULL, &check, units, NULL, &error));
  g_test_message ("refused: %s", error != NULL ? error->message : "(no error)");
  g_assert_error (error, RS_ERROR, code);
  g_assert_true (strstr (error->message, words) != NULL);
  after = dump (f->b);
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpint (count (f->b, "SELECT count(*) FROM audit"), ==, audit_before);
}

static void
test_content (Fixture *f, gconstpointer data)
{
  static const struct {
    Corrupt corrupt;
    const char *words;
  } cases[] = {
    { set_expert, "claims what its answers do not give" },
    { set_infinite, "cannot be" },
    { set_zero_se, "cannot be" },
    { set_negative_count, "cannot be" },
    { set_wrong_count, "items, but it has" },
    { set_future, "time that cannot be" },
    { set_unknown_item, "does not have" },
    { set_better_score, "earns" },
    { set_no_answers, "no Python answer" },
    { set_probabilities, "likely, but its answers give" },
    { set_prior, "claims what its answers do not give" },
    { set_pretest, "pretest answers than a quick test asks" },
  };
  g_autofree char *uuid = take (f->a, f->bank, "100", 1, -1);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) units = g_ptr_array_new_with_free_func ((GDestroyNotify) rs_unit_free);
  RsUnitCheck check = { .banks = (const RsBank *const[]) { f->bank }, .n_banks = 1, .source = "test" };
  RsImportSummary imported = { 0 };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (RsUnit) unit = rs_unit_load_attempt (f->a, uuid, &error);

      g_assert_no_error (error);
      cases[i].corrupt (unit->attempt);
      assert_unit_refused (f, unit, TRUE, RS_ERROR_INVALID, cases[i].words);
    }
  /* Changed after signing: the signature says so. */
  {
    g_autoptr (RsUnit) unit = rs_unit_load_attempt (f->a, uuid, &error);

    rs_unit_sign (unit, rs_store_kiosk_key (f->a));
    set_expert (unit->attempt);
    assert_unit_refused (f, unit, FALSE, RS_ERROR_INVALID, "does not match its signature");
  }
  /* Not signed at all. */
  {
    g_autoptr (RsUnit) unit = rs_unit_load_attempt (f->a, uuid, &error);
    assert_unit_refused (f, unit, FALSE, RS_ERROR_DENIED, "not signed");
  }

  /* The bank it was scored with is not here: skipped and said, not guessed. */
  g_ptr_array_add (units, rs_unit_load_attempt (f->a, uuid, &error));
  rs_unit_sign (g_ptr_array_index (units, 0), rs_store_kiosk_key (f->a));
  check.n_banks = 0;
  g_assert_true (rs_units_import (f->b, NULL, &check, units, &imported, &error));
  g_assert_no_error (error);
  g_assert_cmpint (imported.attempts_other_bank, ==, 1);
  g_assert_cmpint (imported.attempts_added, ==, 0);
  g_assert_cmpstr (g_ptr_array_index (imported.missing_bank_versions, 0), ==, rs_bank_version (f->bank));
  {
    g_autofree char *text = rs_import_summary_describe (&imported);
    g_assert_true (strstr (text, "does not have that bank") != NULL);
  }
  rs_import_summary_clear (&imported);
  g_assert_cmpint (count (f->b, "SELECT count(*) FROM attempts"), ==, 0);

  /* With the bank: it goes in, as it is. */
  check.n_banks = 1;
  g_assert_true (rs_units_import (f->b, NULL, &check, units, &imported, &error));
  g_assert_no_error (error);
  g_assert_cmpint (imported.attempts_added, ==, 1);
  rs_import_summary_clear (&imported);
}

/* An attempt a different kiosk already holds here: a conflict, reported
 * and never merged. */
static void
test_other_kiosk_conflict (Fixture *f, gconstpointer data)
{
  g_autofree char *on_b = take (f->b, f->bank, "100", 61, -1);
  g_autofree char *mine = take (f->a, f->bank, "100", 62, -1);
  g_autofree char *before = NULL, *after = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (RsUnit) unit = rs_unit_load_attempt (f->a, mine, &error);
  g_autoptr (GPtrArray) units = g_ptr_array_new ();
  RsUnitCheck check = { .banks = (const RsBank *const[]) { f->bank }, .n_banks = 1, .source = "test" };
  RsImportSummary imported = { 0 };

  /* A's attempt claims the UUID of one B made itself. */
  g_free (unit->attempt->uuid);
  unit->attempt->uuid = g_strdup (on_b);
  rs_unit_sign (unit, rs_store_kiosk_key (f->a));
  g_ptr_array_add (units, unit);
  before = dump (f->b);
  g_assert_true (rs_units_import (f->b, NULL, &check, units, &imported, &error));
  g_assert_no_error (error);
  g_assert_cmpint (imported.attempts_conflicting, ==, 1);
  g_assert_cmpint (imported.attempts_added + imported.attempts_updated, ==, 0);
  g_assert_true (strstr (g_ptr_array_index (imported.conflicts, 0), "from kiosk") != NULL);
  rs_import_summary_clear (&imported);
  after = dump (f->b);
  g_assert_cmpstr (before, ==, after);
}

/* --- every signed or hashed field (issue 15) ---
 *
 * Three layers protect a bundle, and each is tested on its own, field by
 * field: the content hash (any byte of any row), the header signature over
 * that hash (an edit with the hash recomputed, which anyone can do), and
 * each unit's own signature (an edit with the hash recomputed and the
 * header signed again with the kiosk's key, which leaves the units as the
 * only defence: what a sync without bundles relies on). Each refusal is
 * asserted by its own words, so a layer that stopped covering a field is
 * seen even while another layer still refuses the edit. */

/* The header signed again over the hash the file now has. */
static void
resign_header (sqlite3 *db, const RsKioskKey *key)
{
  sqlite3_stmt *stmt = NULL;
  g_autofree char *signed_text = NULL, *hex = NULL, *sql = NULL;
  guint8 signature[RS_KIOSK_KEY_SIGNATURE_BYTES];

  /* The header signature covers the format version and the hash. */
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT format_version, content_sha256 FROM bundle", -1, &stmt, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  signed_text = g_strdup_printf ("reskill-results-header\t%d\n%s", sqlite3_column_int (stmt, 0),
                                 (const char *) sqlite3_column_text (stmt, 1));
  sqlite3_finalize (stmt);
  rs_kiosk_key_sign (key, signed_text, strlen (signed_text), signature);
  hex = rs_hex_encode (signature, sizeof signature);
  sql = g_strdup_printf ("UPDATE bundle SET header_signature = '%s'", hex);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
}

typedef enum {
  LAYER_CHECKSUM,   /* edited */
  LAYER_HEADER,     /* edited, re-hashed */
  LAYER_UNIT,       /* edited, re-hashed, the header signed again with the kiosk's key */
} Layer;

static const struct {
  const char *name;
  int code;
  const char *words;
} layers[] = {
  { "edited", RS_ERROR_DB_CORRUPT, "damaged: its content does not match its SHA-256 checksum" },
  { "edited and re-hashed", RS_ERROR_INVALID, "refused: its signature does not match its content" },
  { "edited, re-hashed, header re-signed", RS_ERROR_INVALID,
    "does not match its signature: it was changed after the kiosk signed it" },
};

/* A copy of the bundle at original, edited by sql (which must change at
 * least one row) and taken through layer: B refuses it in that layer's
 * words and is left exactly as it was. */
static void
assert_tamper_refused (Fixture *f, const char *original, const char *sql, Layer layer)
{
  g_autofree char *path = bundle_path (f, "tampered.bundle");
  g_autofree char *bytes = NULL;
  gsize length = 0;
  sqlite3 *db = NULL;

  g_test_message ("%s: %s", layers[layer].name, sql);
  g_assert_true (g_file_get_contents (original, &bytes, &length, NULL));
  /* A scratch copy: no syncs, which would make the hundreds of cases slow. */
  g_assert_true (g_file_set_contents_full (path, bytes, (gssize) length, G_FILE_SET_CONTENTS_NONE, 0600, NULL));
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA synchronous = OFF", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_total_changes (db), >, 0);
  if (layer >= LAYER_HEADER)
    rehash (db);
  if (layer >= LAYER_UNIT)
    resign_header (db, rs_store_kiosk_key (f->a));
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);
  assert_refused (f, path, layers[layer].code, layers[layer].words);
}

/* Replaces each "{KEY}" in text by its value (pairs, NULL-terminated). */
static char *
fill (const char *text, ...)
{
  g_autofree char *result = g_strdup (text);
  const char *key;
  va_list args;

  va_start (args, text);
  while ((key = va_arg (args, const char *)) != NULL)
    {
      const char *value = va_arg (args, const char *);
      g_autofree char *marker = g_strdup_printf ("{%s}", key);
      g_auto (GStrv) parts = g_strsplit (result, marker, -1);

      g_free (result);
      result = g_strjoinv (value, parts);
    }
  va_end (args);
  return g_steal_pointer (&result);
}

/* A bundle with every kind of row: a finished attempt with a
 * self-estimate, an unfinished one with an item on screen, a guest's. */
static char *
export_every_kind (Fixture *f, char **finished, char **open)
{
  g_autofree char *path = bundle_path (f, "signed.bundle");
  g_autofree char *guest = NULL;
  sqlite3 *db = NULL;

  *finished = take (f->a, f->bank, "100", 1, -1);
  *open = take (f->a, f->bank, "102", 4, 3);
  guest = take (f->a, f->bank, NULL, 3, -1);
  export (f->a, path, 0, NULL);
  /* No table may be empty, or the test of its rows would prove nothing. */
  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  for (const char *const *table = (const char *const[]) { "bundle", "attempts", "responses", "results",
                                                          "self_estimates", "signatures", "attempt_priors", NULL };
       *table != NULL; table++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM %s", *table);
      sqlite3_stmt *stmt = NULL;

      g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
      g_assert_cmpint (sqlite3_column_int (stmt, 0), >, 0);
      sqlite3_finalize (stmt);
    }
  sqlite3_close (db);
  return g_steal_pointer (&path);
}

/* Every column of every table, one at a time, in the first row: each
 * change is caught by the content hash, and once re-hashed by the header
 * signature. The header row is hashed like the rest (the bug the issue
 * found was a hash loop that left it out). */
static void
test_tamper_every_column (Fixture *f, gconstpointer data)
{
  g_autofree char *finished = NULL, *open = NULL;
  g_autofree char *original = export_every_kind (f, &finished, &open);
  sqlite3 *db = NULL;
  g_autoptr (GPtrArray) edits = g_ptr_array_new_with_free_func (g_free);
  int n_columns = 0;

  g_assert_cmpint (sqlite3_open_v2 (original, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  for (const char *const *table = (const char *const[]) { "bundle", "attempts", "responses", "results",
                                                          "self_estimates", "signatures", "attempt_priors", NULL };
       *table != NULL; table++)
    {
      g_autofree char *info = g_strdup_printf ("PRAGMA table_info (%s)", *table);
      sqlite3_stmt *stmt = NULL;

      g_assert_cmpint (sqlite3_prepare_v2 (db, info, -1, &stmt, NULL), ==, SQLITE_OK);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          const char *column = (const char *) sqlite3_column_text (stmt, 1);

          n_columns++;
          /* Refused before the hash, as another format: test_foreign. */
          if (g_str_equal (*table, "bundle") && (g_str_equal (column, "format") || g_str_equal (column, "format_version")))
            continue;
          /* Whatever type the value has, it becomes another value. */
          g_ptr_array_add (edits, g_strdup_printf ("UPDATE %1$s SET %2$s = CASE typeof (%2$s) WHEN 'integer' THEN %2$s + 1000"
                                                   " WHEN 'real' THEN %2$s + 0.25 WHEN 'text' THEN %2$s || 'x' ELSE 1 END"
                                                   " WHERE rowid = (SELECT min (rowid) FROM %1$s)", *table, column));
        }
      sqlite3_finalize (stmt);
    }
  sqlite3_close (db);
  /* bundle 15, attempts 12, responses 12, results 13, self-estimates 3,
   * signatures 3, priors 4: a column added to the format must be added
   * to the hash, and then here. */
  g_assert_cmpint (n_columns, ==, 62);

  for (guint i = 0; i < edits->len; i++)
    {
      const char *sql = g_ptr_array_index (edits, i);

      if (strstr (sql, "SET header_signature") != NULL)
        {
          /* Not hashed (it signs the hash): the signature check catches it. */
          assert_tamper_refused (f, original, sql, LAYER_HEADER);
          continue;
        }
      assert_tamper_refused (f, original, sql, LAYER_CHECKSUM);
      /* Re-hashing would overwrite the stored hash itself. */
      if (strstr (sql, "SET content_sha256") == NULL)
        assert_tamper_refused (f, original, sql, LAYER_HEADER);
    }

  /* The header signature replaced by another valid one (of other bytes),
   * and the signer by another kiosk B trusts (itself). */
  {
    g_autoptr (RsKioskKey) other = rs_kiosk_key_new_ephemeral ("other");
    guint8 signature[RS_KIOSK_KEY_SIGNATURE_BYTES];
    g_autofree char *hex = NULL, *sql = NULL, *b_key = NULL;

    rs_kiosk_key_sign (rs_store_kiosk_key (f->a), "something else", 14, signature);
    hex = rs_hex_encode (signature, sizeof signature);
    sql = g_strdup_printf ("UPDATE bundle SET header_signature = '%s'", hex);
    assert_tamper_refused (f, original, sql, LAYER_HEADER);
    g_free (sql);
    b_key = rs_hex_encode (rs_store_public_key (f->b), RS_KIOSK_KEY_PUBLIC_BYTES);
    sql = g_strdup_printf ("UPDATE bundle SET signer_key = '%s'", b_key);
    assert_tamper_refused (f, original, sql, LAYER_HEADER);
  }

  /* Untouched, the same bundle goes in: the refusals were the edits'. */
  {
    RsImportSummary imported = { 0 };

    import (f->b, original, &imported);
    g_assert_cmpint (imported.attempts_added, ==, 3);
    rs_import_summary_clear (&imported);
  }
}

/* Each field a unit signs, changed in the bundle to another value a
 * kiosk could have written: with the hash recomputed it is the header
 * signature that refuses, and with the header signed again it is the
 * unit's own signature (before any check of the content). */
static void
test_tamper_unit_fields (Fixture *f, gconstpointer data)
{
  static const char *const edits[] = {
    /* attempts */
    "UPDATE attempts SET employee_no = '101' WHERE uuid = '{F}'",
    "UPDATE attempts SET employee_no = NULL WHERE uuid = '{F}'",
    "UPDATE attempts SET mode = 'standard' WHERE uuid = '{F}'",
    "UPDATE attempts SET skills = 'statistics,python' WHERE uuid = '{F}'",
    "UPDATE attempts SET seed = seed + 1 WHERE uuid = '{F}'",
    "UPDATE attempts SET bank_version = 'another bank' WHERE uuid = '{F}'",
    "UPDATE attempts SET kiosk_id = '{B}' WHERE uuid = '{F}'",
    "UPDATE attempts SET started_at = started_at - 1000000 WHERE uuid = '{F}'",
    "UPDATE attempts SET finished_at = finished_at + 1 WHERE uuid = '{F}'",
    "UPDATE attempts SET status = 'finished', finished_at = started_at + 600000000 WHERE uuid = '{P}'",
    "UPDATE attempts SET pending_item_id = NULL WHERE uuid = '{P}'",
    "UPDATE attempts SET pending_scored = 1 - pending_scored WHERE uuid = '{P}'",
    "UPDATE attempts SET uuid = '{N}' WHERE uuid = '{F}';"
    " UPDATE responses SET attempt_uuid = '{N}' WHERE attempt_uuid = '{F}';"
    " UPDATE results SET attempt_uuid = '{N}' WHERE attempt_uuid = '{F}';"
    " UPDATE self_estimates SET attempt_uuid = '{N}' WHERE attempt_uuid = '{F}';"
    " UPDATE attempt_priors SET attempt_uuid = '{N}' WHERE attempt_uuid = '{F}';"
    " UPDATE signatures SET attempt_uuid = '{N}' WHERE attempt_uuid = '{F}'",
    /* responses */
    "UPDATE responses SET item_id = item_id || 'x' WHERE attempt_uuid = '{F}' AND seq = 1",
    "UPDATE responses SET skill = CASE skill WHEN 'python' THEN 'statistics' ELSE 'python' END"
    " WHERE attempt_uuid = '{F}' AND seq = 1",
    "UPDATE responses SET answer = answer || '0' WHERE attempt_uuid = '{F}' AND seq = 1",
    "UPDATE responses SET score = 1 - score WHERE attempt_uuid = '{F}' AND seq = 1",
    "UPDATE responses SET max_score = max_score + 1 WHERE attempt_uuid = '{F}' AND seq = 1",
    "UPDATE responses SET theta = theta + 0.25 WHERE attempt_uuid = '{F}' AND seq = 1",
    "UPDATE responses SET se = se + 0.25 WHERE attempt_uuid = '{F}' AND seq = 1",
    "UPDATE responses SET time_ms = time_ms + 1 WHERE attempt_uuid = '{F}' AND seq = 1",
    "UPDATE responses SET answered_at = answered_at - 1 WHERE attempt_uuid = '{F}' AND seq = 1",
    "UPDATE responses SET scored = 1 - scored WHERE attempt_uuid = '{F}' AND seq = 1",
    /* results */
    "UPDATE results SET theta = theta + 0.25 WHERE attempt_uuid = '{F}' AND skill = 'python'",
    "UPDATE results SET se = se + 0.25 WHERE attempt_uuid = '{F}' AND skill = 'python'",
    "UPDATE results SET n_items = n_items + 1 WHERE attempt_uuid = '{F}' AND skill = 'python'",
    "UPDATE results SET level = CASE level WHEN 'expert' THEN 'novice' ELSE 'expert' END"
    " WHERE attempt_uuid = '{F}' AND skill = 'python'",
    "UPDATE results SET calibration = CASE WHEN calibration IS NULL THEN '0b8e6a38-0d6e-4f5e-9d1b-1d2b3c4d5e6f'"
    " ELSE NULL END WHERE attempt_uuid = '{F}' AND skill = 'python'",
    "UPDATE results SET se_provisional = 1 - se_provisional WHERE attempt_uuid = '{F}' AND skill = 'python'",
    "UPDATE results SET p_novice = p_novice + 0.01 WHERE attempt_uuid = '{F}' AND skill = 'python'",
    "UPDATE results SET p_developing = p_developing + 0.01 WHERE attempt_uuid = '{F}' AND skill = 'python'",
    "UPDATE results SET p_proficient = p_proficient + 0.01 WHERE attempt_uuid = '{F}' AND skill = 'python'",
    "UPDATE results SET p_advanced = p_advanced + 0.01 WHERE attempt_uuid = '{F}' AND skill = 'python'",
    "UPDATE results SET p_expert = p_expert + 0.01 WHERE attempt_uuid = '{F}' AND skill = 'python'",
    /* self-estimates */
    "UPDATE self_estimates SET level = CASE level WHEN 'expert' THEN 'novice' ELSE 'expert' END"
    " WHERE attempt_uuid = '{F}'",
    "UPDATE self_estimates SET skill = 'statistics' WHERE attempt_uuid = '{F}' AND skill = 'python'",
    /* priors */
    "UPDATE attempt_priors SET mean = mean + 0.25 WHERE attempt_uuid = '{F}' AND skill = 'python'",
    "UPDATE attempt_priors SET sd = sd + 0.25 WHERE attempt_uuid = '{F}' AND skill = 'python'",
    /* signatures: another key B trusts (its own), another signature */
    "UPDATE signatures SET signer_key = '{K}' WHERE attempt_uuid = '{F}'",
    "UPDATE signatures SET signature = substr (signature, 1, 10) || CASE substr (signature, 11, 1) WHEN '0'"
    " THEN '1' ELSE '0' END || substr (signature, 12) WHERE attempt_uuid = '{F}'",
  };
  g_autofree char *finished = NULL, *open = NULL;
  g_autofree char *original = export_every_kind (f, &finished, &open);
  g_autofree char *fresh = g_uuid_string_random ();
  g_autofree char *b_key = rs_hex_encode (rs_store_public_key (f->b), RS_KIOSK_KEY_PUBLIC_BYTES);

  for (gsize i = 0; i < G_N_ELEMENTS (edits); i++)
    {
      g_autofree char *sql = fill (edits[i], "F", finished, "P", open, "N", fresh, "B", rs_store_kiosk_id (f->b),
                                   "K", b_key, NULL);

      for (Layer layer = LAYER_CHECKSUM; layer <= LAYER_UNIT; layer++)
        assert_tamper_refused (f, original, sql, layer);
    }
}

/* The header signature binds the set of units: one left out (counts put
 * right, hash recomputed) is refused, and once A signs the smaller set it
 * is a bundle like any other. A unit of a kiosk B does not trust, slipped
 * into a bundle A signed, is refused by its own signer. */
static void
test_tamper_units_bound (Fixture *f, gconstpointer data)
{
  g_autofree char *finished = NULL, *open = NULL;
  g_autofree char *original = export_every_kind (f, &finished, &open);
  g_autofree char *path = bundle_path (f, "fewer.bundle");
  g_autofree char *drop = NULL, *bytes = NULL;
  g_autoptr (RsStore) c = open_third (f);
  g_autofree char *c_bundle = bundle_path (f, "c.bundle");
  RsImportSummary imported = { 0 };
  sqlite3 *db = NULL;
  gsize length = 0;

  drop = fill ("DELETE FROM responses WHERE attempt_uuid = '{F}'; DELETE FROM results WHERE attempt_uuid = '{F}';"
               " DELETE FROM self_estimates WHERE attempt_uuid = '{F}';"
               " DELETE FROM attempt_priors WHERE attempt_uuid = '{F}';"
               " DELETE FROM signatures WHERE attempt_uuid = '{F}'; DELETE FROM attempts WHERE uuid = '{F}';"
               " UPDATE bundle SET n_attempts = (SELECT count(*) FROM attempts),"
               " n_responses = (SELECT count(*) FROM responses), n_results = (SELECT count(*) FROM results),"
               " n_self_estimates = (SELECT count(*) FROM self_estimates)", "F", finished, NULL);
  assert_tamper_refused (f, original, drop, LAYER_CHECKSUM);
  assert_tamper_refused (f, original, drop, LAYER_HEADER);

  g_assert_true (g_file_get_contents (original, &bytes, &length, NULL));
  g_assert_true (g_file_set_contents (path, bytes, (gssize) length, NULL));
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, drop, NULL, NULL, NULL), ==, SQLITE_OK);
  rehash (db);
  resign_header (db, rs_store_kiosk_key (f->a));
  sqlite3_close (db);
  import (f->b, path, &imported);
  g_assert_cmpint (imported.attempts_added, ==, 2);
  rs_import_summary_clear (&imported);

  /* C's unit, signed by C, in a bundle signed by A. */
  export (c, c_bundle, 0, NULL);
  {
    g_autofree char *merge = g_strdup_printf (
      "ATTACH '%s' AS c; INSERT INTO attempts SELECT * FROM c.attempts;"
      " INSERT INTO responses SELECT * FROM c.responses; INSERT INTO results SELECT * FROM c.results;"
      " INSERT INTO self_estimates SELECT * FROM c.self_estimates;"
      " INSERT INTO attempt_priors SELECT * FROM c.attempt_priors;"
      " INSERT INTO signatures SELECT * FROM c.signatures; DETACH c;"
      " UPDATE bundle SET n_attempts = (SELECT count(*) FROM attempts),"
      " n_responses = (SELECT count(*) FROM responses), n_results = (SELECT count(*) FROM results),"
      " n_self_estimates = (SELECT count(*) FROM self_estimates)", c_bundle);
    g_autofree char *mixed = bundle_path (f, "mixed.bundle");

    g_assert_true (g_file_set_contents (mixed, bytes, (gssize) length, NULL));
    g_assert_cmpint (sqlite3_open (mixed, &db), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (db, merge, NULL, NULL, NULL), ==, SQLITE_OK);
    rehash (db);
    resign_header (db, rs_store_kiosk_key (f->a));
    sqlite3_close (db);
    assert_refused (f, mixed, RS_ERROR_DENIED, "does not trust");
  }
}

/* The same for units that travel without a bundle (a sync): every field
 * of the attempt a unit carries, changed after signing, breaks the
 * signature, and rs_units_import refuses it before looking at its
 * content, with nothing written. */
static const char *
change_field (RsUnit *finished, RsUnit *open, int field, RsUnit **changed)
{
  RsAttempt *a = finished->attempt;
  RsResponse *r = &g_array_index (a->responses, RsResponse, 0);
  RsSkillResult *res = &g_array_index (a->results, RsSkillResult, 0);

  *changed = finished;
  switch (field)
    {
    case 0: g_free (a->uuid); a->uuid = g_uuid_string_random (); return "uuid";
    case 1: g_free (finished->employee_no); finished->employee_no = g_strdup ("101"); return "employee number";
    case 2: g_clear_pointer (&finished->employee_no, g_free); return "employee number made a guest's";
    case 3: a->mode = RS_MODE_PRECISE; return "mode";
    case 4: a->skills[0] = a->skills[1]; a->skills[1] = RS_SKILL_PYTHON; return "order of skills";
    case 5: a->n_skills = 1; return "number of skills";
    case 6: a->seed++; return "seed";
    case 7: g_free (a->bank_version); a->bank_version = g_strdup ("another bank"); return "bank version";
    case 8: g_free (a->kiosk_id); a->kiosk_id = g_uuid_string_random (); return "kiosk id";
    case 9: a->started_at--; return "start";
    case 10: a->finished_at++; return "finish";
    case 11: a->status = RS_ATTEMPT_IN_PROGRESS; return "status";
    case 12: a->prior_mean[RS_SKILL_PYTHON] += 0.25; return "prior mean";
    case 13: a->prior_sd[RS_SKILL_PYTHON] *= 0.5; return "prior SD";
    case 14: a->prior_sd[RS_SKILL_PYTHON] = 0; return "prior dropped";
    case 15: a->self_level[RS_SKILL_PYTHON] = RS_LEVEL_EXPERT; return "self-estimate";
    case 16: a->self_level[RS_SKILL_STATISTICS] = RS_LEVEL_NOVICE; return "self-estimate added";
    case 17: r->seq = 2; return "answer number";
    case 18: { char *id = g_strconcat (r->item_id, "x", NULL); g_free (r->item_id); r->item_id = id; }
      return "answer's item";
    case 19: r->skill = r->skill == RS_SKILL_PYTHON ? RS_SKILL_STATISTICS : RS_SKILL_PYTHON; return "answer's skill";
    case 20: { char *text = g_strconcat (r->answer, "0", NULL); g_free (r->answer); r->answer = text; }
      return "answer";
    case 21: r->score = 1 - r->score; return "answer's score";
    case 22: r->max_score++; return "answer's maximum";
    case 23: r->theta += 0.25; return "answer's θ";
    case 24: r->se += 0.25; return "answer's SE";
    case 25: r->time_ms++; return "answer's time on screen";
    case 26: r->answered_at--; return "answer's time";
    case 27: r->unscored = !r->unscored; return "answer made pretest";
    case 28: g_array_remove_index (a->responses, a->responses->len - 1); return "last answer left out";
    case 29: res->theta += 0.25; return "result's θ";
    case 30: res->se += 0.25; return "result's SE";
    case 31: res->n_items++; return "result's number of items";
    case 32: res->level = res->level == RS_LEVEL_EXPERT ? RS_LEVEL_NOVICE : RS_LEVEL_EXPERT; return "result's level";
    case 33: g_strlcpy (res->calibration, "0b8e6a38-0d6e-4f5e-9d1b-1d2b3c4d5e6f", sizeof res->calibration);
      return "result's calibration";
    case 34: res->se_provisional = !res->se_provisional; return "result's provisional SE";
    case 35: res->has_level_probability = FALSE; return "result's level probabilities left out";
    case 36: case 37: case 38: case 39: case 40:
      res->level_probability[field - 36] += 0.01;
      return "result's level probability";
    case 41: res->skill = res->skill == RS_SKILL_PYTHON ? RS_SKILL_STATISTICS : RS_SKILL_PYTHON;
      return "result's skill";
    case 42: g_array_remove_index (a->results, a->results->len - 1); return "last result left out";
    case 43: finished->version++; return "unit version";
    case 44: *changed = open; g_clear_pointer (&open->attempt->pending_item_id, g_free); return "item on screen";
    case 45: *changed = open; open->attempt->pending_unscored = !open->attempt->pending_unscored;
      return "item on screen made pretest";
    default: return NULL;
    }
}

static void
test_unit_every_field_signed (Fixture *f, gconstpointer data)
{
  g_autofree char *finished_uuid = take (f->a, f->bank, "100", 1, -1);
  g_autofree char *open_uuid = take (f->a, f->bank, "102", 4, 3);
  const char *name;
  int field;

  for (field = 0;; field++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (RsUnit) finished = rs_unit_load_attempt (f->a, finished_uuid, &error);
      g_autoptr (RsUnit) open = rs_unit_load_attempt (f->a, open_uuid, &error);
      g_autoptr (GBytes) before = NULL, after = NULL;
      RsUnit *changed = NULL;

      g_assert_no_error (error);
      g_assert_cmpuint (finished->attempt->results->len, ==, 2);
      g_assert_true (open->attempt->pending_item_id != NULL);
      rs_unit_sign (finished, rs_store_kiosk_key (f->a));
      rs_unit_sign (open, rs_store_kiosk_key (f->a));
      g_assert_true (rs_unit_signature_valid (finished));
      g_assert_true (rs_unit_signature_valid (open));
      before = rs_unit_serialize (finished);
      if ((name = change_field (finished, open, field, &changed)) == NULL)
        break;
      g_test_message ("changed: %s", name);
      after = rs_unit_serialize (changed);
      g_assert_false (changed == finished && g_bytes_equal (before, after));
      g_assert_false (rs_unit_signature_valid (changed));
      if (changed->version != RS_UNIT_ATTEMPT_VERSION)
        assert_unit_refused (f, changed, FALSE, RS_ERROR_DB_TOO_NEW, "kind or version");
      else
        assert_unit_refused (f, changed, FALSE, RS_ERROR_INVALID, "does not match its signature");
      /* assert_unit_refused took it into its array but does not own it. */
    }
  g_assert_cmpint (field, ==, 46);
}

/* A unit signed by a kiosk this database does not trust, or no longer
 * trusts, is refused whatever carries it. */
static void
test_unit_signer_trust (Fixture *f, gconstpointer data)
{
  g_autoptr (RsStore) c = open_third (f);
  g_autoptr (GError) error = NULL;
  g_autofree char *uuid = take (c, f->bank, "101", 53, -1);
  g_autoptr (RsUnit) unit = rs_unit_load_attempt (c, uuid, &error);
  g_autoptr (RsKioskKey) stranger = rs_kiosk_key_new_ephemeral ("stranger");

  g_assert_no_error (error);
  rs_unit_sign (unit, rs_store_kiosk_key (c));
  assert_unit_refused (f, unit, FALSE, RS_ERROR_DENIED, "does not trust");
  g_assert_true (rs_trust_kiosk (f->b, NULL, rs_store_key_fingerprint (c), "Kiosk C", NULL, &error));
  g_assert_no_error (error);
  g_assert_true (rs_trust_revoke (f->b, NULL, "Kiosk C", NULL, &error));
  g_assert_no_error (error);
  assert_unit_refused (f, unit, FALSE, RS_ERROR_DENIED, "revoked");
  rs_unit_sign (unit, stranger);
  assert_unit_refused (f, unit, FALSE, RS_ERROR_DENIED, "does not trust");
}

/* --- content rules, each on its own (issue 15) ---
 *
 * A unit whose numbers are recomputed after the change, so that they are
 * what its answers give: only the content rule under test can refuse it. */
static void
make_consistent (Fixture *f, RsAttempt *a)
{
  g_autoptr (GError) error = NULL;
  RsRescore rescore = { 0 };

  g_assert_true (rs_attempt_rescore (a, f->bank, NULL, &rescore, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < a->responses->len; i++)
    {
      RsResponse *r = &g_array_index (a->responses, RsResponse, i);
      const RsRescoredResponse *c = &g_array_index (rescore.responses, RsRescoredResponse, i);

      r->score = c->score;
      r->max_score = c->max_score;
      r->theta = c->theta;
      r->se = c->se;
    }
  for (guint k = 0; k < a->results->len; k++)
    for (int i = 0; i < rescore.n_results; i++)
      {
        RsSkillResult *claimed = &g_array_index (a->results, RsSkillResult, k);
        const RsSkillResult *c = &rescore.results[i];

        if (c->skill != claimed->skill)
          continue;
        claimed->theta = c->theta;
        claimed->se = c->se;
        claimed->n_items = c->n_items;
        claimed->level = c->level;
        claimed->has_level_probability = TRUE;
        memcpy (claimed->level_probability, c->level_probability, sizeof c->level_probability);
      }
  g_assert_null (rs_rescore_compare (a, &rescore));
  rs_rescore_clear (&rescore);
}

/* More scored Python answers than a quick test asks: unused items
 * answered after the last one, a second apart. */
static void
add_answers (Fixture *f, RsAttempt *a, int n)
{
  const GPtrArray *items = rs_bank_skill_items (f->bank, RS_SKILL_PYTHON);
  gint64 at = g_array_index (a->responses, RsResponse, a->responses->len - 1).answered_at;

  for (guint i = 0; i < items->len && n > 0; i++)
    {
      const RsItem *item = g_ptr_array_index (items, i);
      gboolean used = FALSE;
      RsAnswer given;
      RsResponse r = { 0 };

      for (guint k = 0; k < a->responses->len; k++)
        used |= g_str_equal (g_array_index (a->responses, RsResponse, k).item_id, item->id);
      if (used)
        continue;
      rs_item_best_answer (item, &given);
      r.seq = (int) a->responses->len + 1;
      r.item_id = g_strdup (item->id);
      r.skill = RS_SKILL_PYTHON;
      r.answer = rs_answer_to_string (item, &given);
      r.time_ms = 1000;
      r.answered_at = at += G_USEC_PER_SEC;
      g_array_append_val (a->responses, r);
      n--;
    }
  g_assert_cmpint (n, ==, 0);
  a->finished_at = at + G_USEC_PER_SEC;
}

static void
test_content_rules (Fixture *f, gconstpointer data)
{
  g_autofree char *uuid = take (f->a, f->bank, "100", 1, -1);
  RsStopRule quick;
  int python_answers = 0;

  rs_mode_stop_rule (RS_MODE_QUICK, &quick);
  for (int rule = 0; rule < 8; rule++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (RsUnit) unit = rs_unit_load_attempt (f->a, uuid, &error);
      RsAttempt *a = unit->attempt;
      const char *words = NULL;

      g_assert_no_error (error);
      g_assert_cmpint (a->mode, ==, RS_MODE_QUICK);
      g_assert_cmpuint (a->responses->len, >=, 3);
      switch (rule)
        {
        case 0:
          /* One scored Python answer more than the most a quick test asks. */
          python_answers = 0;
          for (guint i = 0; i < a->responses->len; i++)
            python_answers += g_array_index (a->responses, RsResponse, i).skill == RS_SKILL_PYTHON
                              && !g_array_index (a->responses, RsResponse, i).unscored;
          add_answers (f, a, quick.max_items - python_answers + 1);
          words = "more Python answers than a quick test asks";
          break;
        case 1:
          g_array_index (a->responses, RsResponse, 1).time_ms = 24 * 3600 * 1000 + 1;
          words = "shown for 86400001 ms";
          break;
        case 2:
          /* The first two answers' times swapped. */
          {
            RsResponse *first = &g_array_index (a->responses, RsResponse, 0);
            RsResponse *second = &g_array_index (a->responses, RsResponse, 1);
            gint64 t = first->answered_at;

            g_assert_cmpint (first->answered_at, <, second->answered_at);
            first->answered_at = second->answered_at;
            second->answered_at = t;
          }
          words = "answer 2 at a time that cannot be";
          break;
        case 3:
          /* Started before Reskill existed (answers still after it). */
          a->started_at = RS_UNIT_EARLIEST_TIME - G_USEC_PER_SEC;
          words = "starts at a time that cannot be";
          break;
        case 4:
          /* Finished before it started. */
          a->finished_at = a->started_at - 1;
          words = "finishes at a time that cannot be";
          break;
        case 5:
          /* Started in the future (ten minutes of clock skew are allowed). */
          {
            gint64 shift = g_get_real_time () + (RS_UNIT_CLOCK_SKEW_MINUTES + 1) * 60 * G_USEC_PER_SEC - a->started_at;

            a->started_at += shift;
            a->finished_at += shift;
            for (guint i = 0; i < a->responses->len; i++)
              g_array_index (a->responses, RsResponse, i).answered_at += shift;
          }
          words = "starts at a time that cannot be";
          break;
        case 6:
          words = "is finished with 1 results for 2 skills";
          break;
        case 7:
          /* Answered after it finished. */
          a->finished_at = g_array_index (a->responses, RsResponse, a->responses->len - 1).answered_at - 1;
          words = "at a time that cannot be (out of order, or after now)";
          break;
        }
      make_consistent (f, a);
      /* A result for every skill but one: the rest as the answers give it. */
      if (rule == 6)
        g_array_remove_index (a->results, a->results->len - 1);
      assert_unit_refused (f, unit, TRUE, RS_ERROR_INVALID, words);
    }

  /* The edges themselves are allowed: exactly the most answers, a day on
   * screen, a start within the clock skew. */
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (RsUnit) unit = rs_unit_load_attempt (f->a, uuid, &error);
    g_autoptr (GPtrArray) units = g_ptr_array_new ();
    RsUnitCheck check = { .banks = (const RsBank *const[]) { f->bank }, .n_banks = 1, .source = "test" };
    RsImportSummary imported = { 0 };
    RsAttempt *a = unit->attempt;
    gint64 shift;

    add_answers (f, a, quick.max_items - python_answers);
    g_array_index (a->responses, RsResponse, 0).time_ms = 24 * 3600 * 1000;
    shift = g_get_real_time () + (RS_UNIT_CLOCK_SKEW_MINUTES - 1) * 60 * G_USEC_PER_SEC - a->finished_at;
    a->started_at += shift;
    a->finished_at += shift;
    for (guint i = 0; i < a->responses->len; i++)
      g_array_index (a->responses, RsResponse, i).answered_at += shift;
    make_consistent (f, a);
    rs_unit_sign (unit, rs_store_kiosk_key (f->a));
    g_ptr_array_add (units, unit);
    g_assert_true (rs_units_import (f->b, NULL, &check, units, &imported, &error));
    g_assert_no_error (error);
    g_assert_cmpint (imported.attempts_added, ==, 1);
    rs_import_summary_clear (&imported);
  }
}

/* --- the database failing partway (issue 15) --- */

/* Every check passes, and then the database refuses a write in the middle
 * of the merge (a trigger raises on an answer of the second attempt): the
 * import fails with SQLite's reason, the summary is untouched, and B is
 * exactly as it was, audit log included. Without the trigger the same
 * bundle goes in whole. */
static void
test_merge_fails_partway (Fixture *f, gconstpointer data)
{
  g_autofree char *path = bundle_path (f, "a.bundle");
  g_autofree char *first = take (f->a, f->bank, "100", 1, -1);
  g_autofree char *second = take (f->a, f->bank, "101", 2, -1);
  g_autofree char *third = take (f->a, f->bank, NULL, 3, -1);
  g_autofree char *before = NULL, *after = NULL;
  g_autoptr (GError) error = NULL;
  RsImportSummary imported = { .attempts_added = 77 };
  gint64 audit_before;
  sqlite3 *db = rs_store_get_db (f->b);

  export (f->a, path, 0, NULL);
  g_assert_cmpint (count (f->a, "SELECT count(*) FROM responses"), >, 30);
  g_assert_cmpint (sqlite3_exec (db, "CREATE TRIGGER fail_midway BEFORE INSERT ON responses"
                                 " WHEN (SELECT count(*) FROM responses) >= 30"
                                 " BEGIN SELECT RAISE (ABORT, 'the disk gave up'); END", NULL, NULL, NULL), ==, SQLITE_OK);
  before = dump (f->b);
  audit_before = count (f->b, "SELECT count(*) FROM audit");

  g_assert_false (rs_exchange_import (f->b, NULL, path, options_for (f), &imported, &error));
  g_assert_nonnull (error);
  g_test_message ("refused: %s", error->message);
  g_assert_true (strstr (error->message, "the disk gave up") != NULL);
  g_assert_cmpint (imported.attempts_added, ==, 77);
  g_assert_null (imported.conflicts);
  after = dump (f->b);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpint (count (f->b, "SELECT count(*) FROM audit"), ==, audit_before);
  g_assert_cmpint (count (f->b, "SELECT count(*) FROM attempts"), ==, 0);

  g_assert_cmpint (sqlite3_exec (db, "DROP TRIGGER fail_midway", NULL, NULL, NULL), ==, SQLITE_OK);
  imported = (RsImportSummary) { 0 };
  import (f->b, path, &imported);
  g_assert_cmpint (imported.attempts_added, ==, 3);
  rs_import_summary_clear (&imported);
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
  g_test_add ("/exchange/forged", Fixture, NULL, setup, test_forged, teardown);
  g_test_add ("/exchange/untrusted-and-revoked", Fixture, NULL, setup, test_untrusted_and_revoked, teardown);
  g_test_add ("/exchange/hostile-schema", Fixture, NULL, setup, test_hostile_schema, teardown);
  g_test_add ("/exchange/unsigned", Fixture, NULL, setup, test_unsigned, teardown);
  g_test_add ("/exchange/content", Fixture, NULL, setup, test_content, teardown);
  g_test_add ("/exchange/other-kiosk-conflict", Fixture, NULL, setup, test_other_kiosk_conflict, teardown);
  g_test_add ("/exchange/tamper/every-column", Fixture, NULL, setup, test_tamper_every_column, teardown);
  g_test_add ("/exchange/tamper/unit-fields", Fixture, NULL, setup, test_tamper_unit_fields, teardown);
  g_test_add ("/exchange/tamper/units-bound", Fixture, NULL, setup, test_tamper_units_bound, teardown);
  g_test_add ("/exchange/unit/every-field-signed", Fixture, NULL, setup, test_unit_every_field_signed, teardown);
  g_test_add ("/exchange/unit/signer-trust", Fixture, NULL, setup, test_unit_signer_trust, teardown);
  g_test_add ("/exchange/unit/content-rules", Fixture, NULL, setup, test_content_rules, teardown);
  g_test_add ("/exchange/merge-fails-partway", Fixture, NULL, setup, test_merge_fails_partway, teardown);
  return g_test_run ();
}
