/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of the people import and the administrator's people operations:
 * a good file in every CSV form (BOM, CRLF, quoted commas, doubled quotes,
 * line breaks in quotes), updates that keep PINs, every bad file refused
 * with its exact file:line and the database left as it was, one-time PINs
 * that sign in and are nowhere in the file in clear. */
#include <sqlite3.h>
#include <string.h>

#include <glib/gstdio.h>

#include "rs-error.h"
#include "rs-people.h"
#include "rs-store.h"

typedef struct {
  char *dir;
  char *path;
  RsStore *store;
  RsPerson *admin;
} Fixture;

static char *
fixture_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "fixtures", "people", name, NULL);
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  gint64 id = 0;

  f->dir = g_dir_make_tmp ("reskill-people-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "reskill.db", NULL);
  f->store = rs_store_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_true (rs_store_add_person (f->store, "A1", "Admin One", NULL, RS_PERSON_ADMIN, "9876", &id, &error));
  g_assert_no_error (error);
  f->admin = rs_store_get_person (f->store, id, &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_autoptr (GDir) dir = NULL;
  const char *name;

  g_clear_pointer (&f->admin, rs_person_free);
  g_clear_pointer (&f->store, rs_store_close);
  dir = g_dir_open (f->dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (f->dir, name, NULL);
      g_assert_cmpint (g_unlink (child), ==, 0);
    }
  g_assert_cmpint (g_rmdir (f->dir), ==, 0);
  g_free (f->dir);
  g_free (f->path);
}

/* A digest of every row the import could touch. */
static char *
db_digest (RsStore *store)
{
  static const char *const queries[] = {
    "SELECT * FROM people ORDER BY id",
    "SELECT * FROM teams ORDER BY id",
    "SELECT * FROM team_managers ORDER BY team_id, person_id",
    "SELECT * FROM audit ORDER BY id",
    "SELECT * FROM sign_in_failures ORDER BY employee_no",
  };
  g_autoptr (GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);

  for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
    {
      sqlite3_stmt *stmt = NULL;

      g_assert_cmpint (sqlite3_prepare_v2 (rs_store_get_db (store), queries[q], -1, &stmt, NULL), ==, SQLITE_OK);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        for (int c = 0; c < sqlite3_column_count (stmt); c++)
          {
            const char *text = (const char *) sqlite3_column_text (stmt, c);
            g_checksum_update (sum, (const guchar *) (text != NULL ? text : "<null>"), -1);
            g_checksum_update (sum, (const guchar *) "|", 1);
          }
      g_checksum_update (sum, (const guchar *) "#", 1);
      sqlite3_finalize (stmt);
    }
  return g_strdup (g_checksum_get_string (sum));
}

static RsPerson *
find (Fixture *f, const char *employee_no)
{
  g_autoptr (GError) error = NULL;
  RsPerson *person = rs_store_find_person (f->store, employee_no, &error);

  g_assert_no_error (error);
  g_assert_nonnull (person);
  return person;
}

static void
assert_signs_in (Fixture *f, const char *employee_no, const char *pin)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RsPerson) person = rs_store_authenticate (f->store, employee_no, pin, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (person);
  g_assert_cmpstr (person->employee_no, ==, employee_no);
}

static const char *
pin_of (GPtrArray *pins, const char *employee_no)
{
  for (guint i = 0; i < pins->len; i++)
    {
      const RsNewPin *pin = g_ptr_array_index (pins, i);
      if (g_str_equal (pin->employee_no, employee_no))
        return pin->pin;
    }
  return NULL;
}

static gboolean
manages (Fixture *f, const char *team_name, const char *employee_no)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) teams = rs_people_list_teams (f->store, f->admin, &error);

  g_assert_no_error (error);
  for (guint t = 0; t < teams->len; t++)
    {
      const RsTeam *team = g_ptr_array_index (teams, t);
      for (guint m = 0; g_str_equal (team->name, team_name) && m < team->managers->len; m++)
        if (g_str_equal (((RsPerson *) g_ptr_array_index (team->managers, m))->employee_no, employee_no))
          return TRUE;
    }
  return FALSE;
}

/* Whether the bytes of needle occur in data (which holds NUL bytes). */
static gboolean
contains_bytes (const char *data, gsize length, const char *needle)
{
  gsize n = strlen (needle);

  for (gsize i = 0; i + n <= length; i++)
    if (memcmp (data + i, needle, n) == 0)
      return TRUE;
  return FALSE;
}

static void
test_import_good (Fixture *f, gconstpointer data)
{
  g_autofree char *csv = fixture_path ("good.csv");
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) pins = NULL;
  g_autoptr (RsPerson) ada = NULL, grace = NULL, alan = NULL, edith = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;
  RsImportReport report = { 0 };

  g_assert_true (rs_people_import_csv (f->store, f->admin, csv, &pins, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report.n_rows, ==, 4);
  g_assert_cmpuint (report.n_added, ==, 4);
  g_assert_cmpuint (report.n_updated, ==, 0);
  g_assert_cmpuint (report.n_teams_added, ==, 2);
  g_assert_cmpuint (pins->len, ==, 4);

  ada = find (f, "E001");
  grace = find (f, "E002");
  alan = find (f, "E003");
  edith = find (f, "E004");
  g_assert_cmpstr (ada->name, ==, "Lovelace, Ada");
  g_assert_cmpstr (ada->team_name, ==, "Platform");
  g_assert_cmpint (ada->role, ==, RS_PERSON_MANAGER);
  g_assert_cmpstr (grace->name, ==, "Grace \"Amazing\" Hopper");
  g_assert_cmpint (grace->role, ==, RS_PERSON_EMPLOYEE);
  /* A quoted line break is valid CSV; in a name it becomes a space. */
  g_assert_cmpstr (alan->name, ==, "Alan Turing");
  g_assert_cmpstr (alan->team_name, ==, "Data");
  g_assert_cmpstr (edith->name, ==, "\xc3\x89" "dith Piaf");
  g_assert_null (edith->team_name);
  g_assert_cmpint (edith->role, ==, RS_PERSON_ADMIN);
  g_assert_true (manages (f, "Platform", "E001"));
  g_assert_false (manages (f, "Platform", "E002"));

  /* In file order, six digits each, and each one signs in. */
  for (guint i = 0; i < pins->len; i++)
    {
      const RsNewPin *pin = g_ptr_array_index (pins, i);
      g_autofree char *number = g_strdup_printf ("E00%u", i + 1);

      g_assert_cmpstr (pin->employee_no, ==, number);
      g_assert_cmpuint (strlen (pin->pin), ==, RS_PEOPLE_PIN_LENGTH);
      g_assert_cmpuint (strspn (pin->pin, "0123456789"), ==, RS_PEOPLE_PIN_LENGTH);
      assert_signs_in (f, pin->employee_no, pin->pin);
    }
  g_assert_cmpstr (((RsNewPin *) g_ptr_array_index (pins, 0))->name, ==, "Lovelace, Ada");

  /* Not in the file in clear: close it (checkpointing the WAL) and look. */
  g_clear_pointer (&f->store, rs_store_close);
  g_assert_true (g_file_get_contents (f->path, &contents, &length, NULL));
  g_assert_cmpuint (length, >, 0);
  for (guint i = 0; i < pins->len; i++)
    {
      const char *pin = ((RsNewPin *) g_ptr_array_index (pins, i))->pin;
      g_assert_false (contains_bytes (contents, length, pin));
    }
  g_assert_true (contains_bytes (contents, length, "$argon2id$"));
  f->store = rs_store_open (f->path, &error);
  g_assert_no_error (error);
}

static void
test_import_update (Fixture *f, gconstpointer data)
{
  g_autofree char *good = fixture_path ("good.csv");
  g_autofree char *reordered = fixture_path ("reordered.csv");
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) pins = NULL;
  g_autoptr (RsPerson) ada = NULL, ken = NULL;
  RsImportReport report = { 0 };
  gint64 id = 0;

  /* E001 exists, with her own PIN, in another team and as an employee. */
  g_assert_true (rs_store_add_person (f->store, "E001", "Ada L.", "Old team", RS_PERSON_EMPLOYEE, "4321", &id,
                                      &error));
  g_assert_no_error (error);

  g_assert_true (rs_people_import_csv (f->store, NULL, good, &pins, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report.n_added, ==, 3);
  g_assert_cmpuint (report.n_updated, ==, 1);
  g_assert_null (pin_of (pins, "E001"));
  g_assert_nonnull (pin_of (pins, "E002"));
  ada = find (f, "E001");
  g_assert_cmpint (ada->id, ==, id);
  g_assert_cmpstr (ada->name, ==, "Lovelace, Ada");
  g_assert_cmpstr (ada->team_name, ==, "Platform");
  g_assert_cmpint (ada->role, ==, RS_PERSON_MANAGER);
  assert_signs_in (f, "E001", "4321");

  /* The same file again changes nothing and makes no PINs. */
  g_clear_pointer (&pins, g_ptr_array_unref);
  g_assert_true (rs_people_import_csv (f->store, f->admin, good, &pins, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report.n_added, ==, 0);
  g_assert_cmpuint (report.n_updated, ==, 0);
  g_assert_cmpuint (report.n_unchanged, ==, 4);
  g_assert_cmpuint (pins->len, ==, 0);

  /* Columns in another order, LF, no final line break. */
  g_clear_pointer (&pins, g_ptr_array_unref);
  g_assert_true (rs_people_import_csv (f->store, f->admin, reordered, &pins, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report.n_added, ==, 2);
  ken = find (f, "E006");
  g_assert_cmpstr (ken->name, ==, "Ken Thompson");
  g_assert_cmpstr (ken->team_name, ==, "Data");
  g_assert_true (manages (f, "Data", "E006"));
}

typedef struct {
  const char *file;
  int code;
  const char *message;   /* after "PATH:" */
} BadCase;

static const BadCase bad_cases[] = {
  { "bad-role.csv", RS_ERROR_INVALID, "4: unknown role 'boss' (use employee, manager or admin)" },
  { "empty-number.csv", RS_ERROR_INVALID, "3: the employee number is empty" },
  { "empty-name.csv", RS_ERROR_INVALID, "3: the name of E002 is empty" },
  { "duplicate.csv", RS_ERROR_INVALID, "6: employee number E001 is already on line 2" },
  { "bad-utf8.csv", RS_ERROR_PARSE, "3: the text is not valid UTF-8 (save the file as UTF-8)" },
  { "field-count.csv", RS_ERROR_PARSE, "3: expected 4 fields, found 3" },
  { "bad-header.csv", RS_ERROR_PARSE,
    "1: unknown column 'employee': the header must name employee_no, name, team and role, each once" },
  { "unclosed-quote.csv", RS_ERROR_PARSE, "3: a quoted field is never closed: its closing quote is missing" },
  { "bad-quote.csv", RS_ERROR_PARSE,
    "3: broken quoting: a quote inside an unquoted field, or text after a closing quote (a quote inside a "
    "quoted field is written twice: \"\")" },
  { "empty.csv", RS_ERROR_PARSE, "1: the file is empty: expected the header employee_no,name,team,role" },
};

static void
test_import_bad (Fixture *f, gconstpointer data)
{
  g_autofree char *good = fixture_path ("good.csv");
  g_autoptr (GError) error = NULL;
  g_autofree char *before = NULL;

  /* Some people already there, so that "unchanged" means something. */
  g_assert_true (rs_people_import_csv (f->store, f->admin, good, NULL, NULL, &error));
  g_assert_no_error (error);
  before = db_digest (f->store);

  for (guint i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    {
      g_autofree char *path = fixture_path (bad_cases[i].file);
      g_autofree char *expected = g_strdup_printf ("%s:%s", path, bad_cases[i].message);
      g_autofree char *after = NULL;
      GPtrArray *pins = (GPtrArray *) 0x1;
      RsImportReport report = { 7, 7, 7, 7, 7 };

      g_test_message ("%s", bad_cases[i].file);
      g_assert_false (rs_people_import_csv (f->store, f->admin, path, &pins, &report, &error));
      g_assert_error (error, RS_ERROR, bad_cases[i].code);
      g_assert_cmpstr (error->message, ==, expected);
      g_assert_null (pins);
      g_assert_cmpuint (report.n_added, ==, 7);
      g_clear_error (&error);
      after = db_digest (f->store);
      g_assert_cmpstr (after, ==, before);
    }
}

static void
test_import_io (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *before = db_digest (f->store);
  g_autofree char *after = NULL;

  g_assert_false (rs_people_import_csv (f->store, f->admin, "/no/such/people.csv", NULL, NULL, &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "/no/such/people.csv"));
  after = db_digest (f->store);
  g_assert_cmpstr (after, ==, before);
}

/* A file that demotes the only admin is refused: nobody could manage the
 * kiosk after it. */
static void
test_import_last_admin (Fixture *f, gconstpointer data)
{
  g_autofree char *path = g_build_filename (f->dir, "demote.csv", NULL);
  g_autoptr (GError) error = NULL;
  g_autofree char *before = db_digest (f->store);
  g_autofree char *after = NULL;
  g_autofree char *expected = NULL;

  g_assert_true (g_file_set_contents (path, "employee_no,name,team,role\nE9,Someone,,employee\nA1,Admin One,,manager\n",
                                      -1, NULL));
  g_assert_false (rs_people_import_csv (f->store, NULL, path, NULL, NULL, &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_INVALID);
  expected = g_strdup_printf ("%s:3: this would leave no active administrator who can sign in: keep at least "
                              "one admin", path);
  g_assert_cmpstr (error->message, ==, expected);
  after = db_digest (f->store);
  g_assert_cmpstr (after, ==, before);
}

static gint64
count (Fixture *f, const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 n;

  g_assert_cmpint (sqlite3_prepare_v2 (rs_store_get_db (f->store), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

/* Runs sql on the store's own connection. */
static void
store_exec (Fixture *f, const char *sql)
{
  g_assert_cmpint (sqlite3_exec (rs_store_get_db (f->store), sql, NULL, NULL, NULL), ==, SQLITE_OK);
}

/* The database file's bytes, with everything committed moved out of the
 * write-ahead log into it first. */
static GBytes *
file_bytes (Fixture *f)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  store_exec (f, "PRAGMA wal_checkpoint (TRUNCATE)");
  g_assert_true (g_file_get_contents (f->path, &contents, &length, NULL));
  return g_bytes_new_take (g_steal_pointer (&contents), length);
}

/* The database itself fails partway through an import: a trigger raises
 * on the third new person, after two people and both teams went in. The
 * whole file is rolled back: no PINs come back, the report is untouched,
 * every row and every byte of the file is as it was. Without the trigger
 * the same file then goes in whole. */
static void
test_import_fails_partway (Fixture *f, gconstpointer data)
{
  g_autofree char *good = fixture_path ("good.csv");
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) pins = NULL;
  g_autoptr (GBytes) bytes_before = NULL, bytes_after = NULL;
  g_autofree char *before = NULL, *after = NULL;
  GPtrArray *no_pins = (GPtrArray *) 0x1;
  RsImportReport report = { 7, 7, 7, 7, 7 };

  store_exec (f, "CREATE TRIGGER fail_third BEFORE INSERT ON people"
                 " WHEN (SELECT count(*) FROM people) >= 3"
                 " BEGIN SELECT RAISE (ABORT, 'the disk gave up'); END");
  before = db_digest (f->store);
  bytes_before = file_bytes (f);

  g_assert_false (rs_people_import_csv (f->store, f->admin, good, &no_pins, &report, &error));
  g_assert_nonnull (error);
  g_test_message ("refused: %s", error->message);
  g_assert_true (strstr (error->message, "the disk gave up") != NULL);
  g_assert_null (no_pins);
  g_assert_cmpuint (report.n_added, ==, 7);
  g_assert_cmpuint (report.n_teams_added, ==, 7);
  g_clear_error (&error);
  after = db_digest (f->store);
  g_assert_cmpstr (after, ==, before);
  bytes_after = file_bytes (f);
  g_assert_true (g_bytes_equal (bytes_after, bytes_before));
  g_assert_cmpint (count (f, "SELECT count(*) FROM people"), ==, 1);
  g_assert_cmpint (count (f, "SELECT count(*) FROM teams"), ==, 0);

  /* The store still works, and the same file goes in whole. */
  store_exec (f, "DROP TRIGGER fail_third");
  g_assert_true (rs_people_import_csv (f->store, f->admin, good, &pins, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (pins->len, ==, 4);
  g_assert_cmpuint (report.n_added, ==, 4);
  g_assert_cmpint (count (f, "SELECT count(*) FROM people"), ==, 5);
}

static void
test_admin_operations (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) people = NULL;
  g_autoptr (GPtrArray) teams = NULL;
  g_autoptr (RsPerson) bob = NULL;
  char *pin = NULL;
  gint64 bob_id = 0, carla_id = 0, audit_before;
  const RsTeam *team;

  audit_before = count (f, "SELECT count(*) FROM audit");
  g_assert_true (rs_people_add (f->store, f->admin, "B7", "Bob Builder", "Ops", RS_PERSON_EMPLOYEE, &bob_id, &pin,
                                &error));
  g_assert_no_error (error);
  assert_signs_in (f, "B7", pin);
  g_clear_pointer (&pin, rs_people_pin_free);
  g_assert_true (rs_people_add (f->store, f->admin, "C8", "Carla Çelik", "Ops", RS_PERSON_MANAGER, &carla_id,
                                &pin, &error));
  g_assert_no_error (error);
  g_clear_pointer (&pin, rs_people_pin_free);
  g_assert_false (rs_people_add (f->store, f->admin, "C8", "Another", NULL, RS_PERSON_EMPLOYEE, NULL, &pin, &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_INVALID);
  g_assert_null (pin);
  g_clear_error (&error);

  /* Search: by number or name, case-insensitive beyond ASCII. */
  people = rs_people_list (f->store, f->admin, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (people->len, ==, 3);
  g_clear_pointer (&people, g_ptr_array_unref);
  people = rs_people_list (f->store, f->admin, "çel", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (people->len, ==, 1);
  g_assert_cmpstr (((RsPerson *) g_ptr_array_index (people, 0))->employee_no, ==, "C8");
  g_clear_pointer (&people, g_ptr_array_unref);
  people = rs_people_list (f->store, f->admin, "b7", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (people->len, ==, 1);
  g_assert_cmpstr (((RsPerson *) g_ptr_array_index (people, 0))->team_name, ==, "Ops");
  g_clear_pointer (&people, g_ptr_array_unref);
  people = rs_people_list (f->store, f->admin, "%", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (people->len, ==, 0);
  g_clear_pointer (&people, g_ptr_array_unref);

  /* Teams and managers. */
  g_assert_true (manages (f, "Ops", "C8"));
  g_assert_false (rs_people_set_team_manager (f->store, f->admin, 1, bob_id, TRUE, &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_INVALID);
  g_clear_error (&error);
  teams = rs_people_list_teams (f->store, f->admin, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (teams->len, ==, 1);
  team = g_ptr_array_index (teams, 0);
  g_assert_cmpstr (team->name, ==, "Ops");
  g_assert_cmpuint (team->n_members, ==, 2);
  g_assert_cmpuint (team->managers->len, ==, 1);
  g_assert_true (rs_people_set_team_manager (f->store, f->admin, team->id, carla_id, FALSE, &error));
  g_assert_no_error (error);
  g_assert_false (manages (f, "Ops", "C8"));
  g_assert_true (rs_people_set_team_manager (f->store, f->admin, team->id, carla_id, TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (manages (f, "Ops", "C8"));

  /* Edit: a manager made an employee manages no team any more. */
  g_assert_true (rs_people_update (f->store, f->admin, carla_id, "Carla Celik", "Data", RS_PERSON_EMPLOYEE, &error));
  g_assert_no_error (error);
  g_assert_false (manages (f, "Ops", "C8"));
  g_assert_false (rs_people_update (f->store, f->admin, carla_id, "  ", NULL, RS_PERSON_EMPLOYEE, &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (rs_people_update (f->store, f->admin, 999, "Nobody", NULL, RS_PERSON_EMPLOYEE, &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Deactivate: cannot sign in, the row stays; reactivate. */
  g_assert_true (rs_people_set_active (f->store, f->admin, bob_id, FALSE, &error));
  g_assert_no_error (error);
  bob = find (f, "B7");
  g_assert_false (bob->active);
  pin = rs_people_reset_pin (f->store, f->admin, bob_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (pin), ==, RS_PEOPLE_PIN_LENGTH);
  {
    g_autoptr (RsPerson) none = rs_store_authenticate (f->store, "B7", pin, NULL, &error);
    g_assert_null (none);
    g_assert_error (error, RS_ERROR, RS_ERROR_DENIED);
    g_clear_error (&error);
  }
  g_assert_true (rs_people_set_active (f->store, f->admin, bob_id, TRUE, &error));
  g_assert_no_error (error);
  assert_signs_in (f, "B7", pin);
  g_clear_pointer (&pin, rs_people_pin_free);

  /* A reset PIN also lifts a sign-in lock. */
  for (int i = 0; i < RS_STORE_MAX_FAILED_PINS; i++)
    {
      g_autoptr (RsPerson) none = rs_store_authenticate (f->store, "B7", "0000000", NULL, NULL);
      g_assert_null (none);
    }
  pin = rs_people_reset_pin (f->store, f->admin, bob_id, &error);
  g_assert_no_error (error);
  assert_signs_in (f, "B7", pin);
  g_clear_pointer (&pin, rs_people_pin_free);
  g_assert_null (rs_people_reset_pin (f->store, f->admin, 999, &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* The last admin can be neither demoted nor deactivated. */
  g_assert_false (rs_people_update (f->store, f->admin, f->admin->id, "Admin One", NULL, RS_PERSON_MANAGER, &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (rs_people_set_active (f->store, f->admin, f->admin->id, FALSE, &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_INVALID);
  g_clear_error (&error);
  {
    g_autoptr (RsPerson) admin = find (f, "A1");
    g_assert_true (admin->active);
    g_assert_cmpint (admin->role, ==, RS_PERSON_ADMIN);
  }

  /* Every change above wrote one audit row; the refusals none. */
  g_assert_cmpint (count (f, "SELECT count(*) FROM audit WHERE event IN ('person-added', 'person-updated',"
                             " 'person-deactivated', 'person-reactivated', 'pin-reset', 'team-manager')"),
                   ==, 2 + 1 + 1 + 1 + 2 + 2);
  g_assert_cmpint (count (f, "SELECT count(*) FROM audit WHERE event = 'pin-reset' AND person_id = 1"), ==, 2);
  g_assert_cmpint (count (f, "SELECT count(*) FROM audit"), >, audit_before);
}

static gboolean
one_time (Fixture *f, gint64 person_id)
{
  g_autoptr (GError) error = NULL;
  gboolean value = FALSE;

  g_assert_true (rs_store_pin_is_one_time (f->store, person_id, &value, &error));
  g_assert_no_error (error);
  return value;
}

/* A PIN an administrator made is one-time until the person changes it;
 * the person's own change clears it, a reset sets it again, and the
 * rehash at sign-in leaves it alone. */
static void
test_one_time_pins (Fixture *f, gconstpointer data)
{
  g_autofree char *csv = fixture_path ("good.csv");
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) pins = NULL;
  g_autoptr (RsPerson) ada = NULL;
  g_autoptr (RsPerson) signed_in = NULL;
  char *pin = NULL;
  gint64 bob_id = 0;

  /* The first administrator chose their own PIN. */
  g_assert_false (one_time (f, f->admin->id));

  g_assert_true (rs_people_add (f->store, f->admin, "B7", "Bob Builder", "Ops", RS_PERSON_EMPLOYEE, &bob_id, &pin,
                                &error));
  g_assert_no_error (error);
  g_assert_true (one_time (f, bob_id));
  /* Signing in with it (and its rehash) does not clear it. */
  signed_in = rs_store_authenticate (f->store, "B7", pin, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (signed_in);
  g_assert_true (one_time (f, bob_id));

  /* Not the same PIN again; too short is refused too. */
  g_assert_false (rs_store_change_pin (f->store, bob_id, NULL, pin, &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (rs_store_change_pin (f->store, bob_id, NULL, "12", &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (one_time (f, bob_id));

  /* While one-time, the change needs no current PIN; after it, it does. */
  g_assert_true (rs_store_change_pin (f->store, bob_id, NULL, "24680", &error));
  g_assert_no_error (error);
  g_assert_false (one_time (f, bob_id));
  g_assert_false (rs_store_change_pin (f->store, bob_id, NULL, "13579", &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_AUTH);
  g_clear_error (&error);
  g_assert_false (rs_store_change_pin (f->store, bob_id, "11111", "13579", &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_AUTH);
  g_clear_error (&error);
  g_assert_true (rs_store_change_pin (f->store, bob_id, "24680", "13579", &error));
  g_assert_no_error (error);
  g_clear_pointer (&signed_in, rs_person_free);
  signed_in = rs_store_authenticate (f->store, "B7", "13579", NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (signed_in);
  g_clear_pointer (&pin, rs_people_pin_free);

  /* A reset makes it one-time again. */
  pin = rs_people_reset_pin (f->store, f->admin, bob_id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (pin);
  g_assert_true (one_time (f, bob_id));
  g_clear_pointer (&pin, rs_people_pin_free);

  /* Imported people get one-time PINs. */
  g_assert_true (rs_people_import_csv (f->store, f->admin, csv, &pins, NULL, &error));
  g_assert_no_error (error);
  ada = find (f, "E001");
  g_assert_true (one_time (f, ada->id));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/people/import/good", test_import_good);
  ADD ("/people/import/update", test_import_update);
  ADD ("/people/import/bad", test_import_bad);
  ADD ("/people/import/io", test_import_io);
  ADD ("/people/import/last-admin", test_import_last_admin);
  ADD ("/people/import/fails-partway", test_import_fails_partway);
  ADD ("/people/admin", test_admin_operations);
  ADD ("/people/one-time-pins", test_one_time_pins);
#undef ADD
  return g_test_run ();
}
