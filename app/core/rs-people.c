/* SPDX-License-Identifier: GPL-3.0-or-later */
/* People and teams for administrators, and the people import.
 *
 * Writes run in one transaction with their audit row, with SQL of their own
 * through the store's statement helpers (rs-store-private.h): the store's
 * public functions each take the store lock and run their own transaction,
 * so they cannot be combined into one from here.
 *
 * CSV is read with libcsv (Debian's libcsv-dev) in strict mode rather than by
 * hand: quoting, doubled quotes, line breaks inside quotes and CRLF are its
 * job. It does not count lines, so the file is fed to it one byte at a time
 * and the physical line where each record starts is tracked here. People
 * files are small, and this costs little: 20 000 rows (830 kB) are read and
 * checked in 0.15 s, the whole command included. */
#include "rs-people.h"
#include "rs-people-private.h"


#include <csv.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sodium.h>
#include <string.h>

#include "rs-access.h"
#include "rs-error.h"
#include "rs-file.h"
#include "rs-store-private.h"

/* --- who --- */

/* id -1 is no row of the people table (row ids start at 1), and not 0, the
 * guest, whom every access rule refuses. */
static const RsPerson operator_person = {
  .id = -1,
  .employee_no = (char *) "operator",
  .name = (char *) "command-line operator",
  .role = RS_PERSON_ADMIN,
  .active = TRUE,
};

const RsPerson *
rs_people_operator (void)
{
  return &operator_person;
}

/* The person_id audit rows get: NULL (0 binds NULL) for the operator. */
static gint64
audit_id (const RsPerson *viewer)
{
  return viewer->id > 0 ? viewer->id : 0;
}

/* Under the lock, inside a transaction. */
static gboolean
audit_tx (RsStore *store, const RsPerson *viewer, const char *event, const char *detail, GError **error)
{
  return rs_store_exec (store, error, "INSERT INTO audit (at, person_id, event, detail) VALUES (?, ?, ?, ?)",
                        "lrss", rs_store_now (), audit_id (viewer), event, detail);
}

/* A row about one person (subject_id): what an erasure finds to take the
 * person out of, and what their own data export lists (issue 14). */
static gboolean
audit_about_tx (RsStore *store, const RsPerson *viewer, const char *event, gint64 subject_id, const char *detail,
                GError **error)
{
  return rs_store_exec (store, error,
                        "INSERT INTO audit (at, person_id, event, detail, subject_id) VALUES (?, ?, ?, ?, ?)",
                        "lrssr", rs_store_now (), audit_id (viewer), event, detail, subject_id);
}

static gboolean
is_blank (const char *text)
{
  for (; text != NULL && *text != '\0'; text++)
    if (!g_ascii_isspace (*text))
      return FALSE;
  return TRUE;
}

/* --- PINs --- */

static char *
new_pin (void)
{
  char *pin = g_malloc (RS_PEOPLE_PIN_LENGTH + 1);

  for (int i = 0; i < RS_PEOPLE_PIN_LENGTH; i++)
    pin[i] = (char) ('0' + randombytes_uniform (10));
  pin[RS_PEOPLE_PIN_LENGTH] = '\0';
  return pin;
}

void
rs_people_pin_free (char *pin)
{
  if (pin == NULL)
    return;
  sodium_memzero (pin, strlen (pin));
  g_free (pin);
}

/* The import needs the hashes inside its own transaction, where the store's
 * rs_store_set_secret() (its own lock and transaction) cannot be called. The
 * cost is the store's: argon2id at libsodium's interactive limits, or its
 * minimum in test builds (rs_store_fast_kdf); a hash records its parameters,
 * so the store verifies it either way. */
typedef struct {
  unsigned long long ops;
  size_t mem;
} KdfLimits;

/* Read in the calling thread: getenv is not safe beside threads. */
static KdfLimits
kdf_limits (void)
{
  if (rs_store_fast_kdf ())
    return (KdfLimits) { crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN };
  return (KdfLimits) { crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE };
}

static char *
hash_pin (const char *pin, KdfLimits limits)
{
  char buffer[crypto_pwhash_STRBYTES];

  if (crypto_pwhash_str (buffer, pin, strlen (pin), limits.ops, limits.mem) != 0)
    return NULL;
  return g_strdup (buffer);
}

/* Hashing is slow on purpose (about 0.1 s and 64 MB each): a file of a
 * thousand new people is hashed on up to four threads, before the write
 * transaction, so the database is not locked meanwhile. */
static gboolean
set_memory_error (GError **error)
{
  g_set_error_literal (error, RS_ERROR, RS_ERROR_FAILED,
                       _("There is not enough memory to protect the PINs. Close other programs and try again."));
  return FALSE;
}

typedef struct {
  char **pins;
  char **hashes;
  KdfLimits limits;
  guint n;
  gint next;
  gint failed;
} HashJob;

static gpointer
hash_worker (gpointer data)
{
  HashJob *job = data;

  for (;;)
    {
      guint i = (guint) g_atomic_int_add (&job->next, 1);

      if (i >= job->n)
        return NULL;
      job->hashes[i] = hash_pin (job->pins[i], job->limits);
      if (job->hashes[i] == NULL)
        g_atomic_int_set (&job->failed, 1);
    }
}

static gboolean
hash_pins (char **pins, char **hashes, guint n, GError **error)
{
  HashJob job = { pins, hashes, kdf_limits (), n, 0, 0 };
  guint n_threads = MIN (MIN (g_get_num_processors (), 4), n);
  g_autoptr (GPtrArray) threads = g_ptr_array_new ();

  for (guint t = 1; t < n_threads; t++)
    g_ptr_array_add (threads, g_thread_new ("rs-hash-pin", hash_worker, &job));
  hash_worker (&job);
  for (guint t = 0; t < threads->len; t++)
    g_thread_join (g_ptr_array_index (threads, t));
  return !job.failed || set_memory_error (error);
}

/* --- reading people --- */

#define PEOPLE_SELECT \
  "SELECT p.id, p.employee_no, p.name, p.team_id, t.name, p.role, p.active" \
  " FROM people AS p LEFT JOIN teams AS t ON t.id = p.team_id"

static RsPerson *
person_from_row (RsStore *store, sqlite3_stmt *stmt, int first, GError **error)
{
  g_autoptr (RsPerson) p = g_new0 (RsPerson, 1);
  const char *role = (const char *) sqlite3_column_text (stmt, first + 5);

  p->id = sqlite3_column_int64 (stmt, first);
  p->employee_no = rs_store_column_strdup (stmt, first + 1);
  p->name = rs_store_column_strdup (stmt, first + 2);
  p->team_id = sqlite3_column_int64 (stmt, first + 3);
  p->team_name = rs_store_column_strdup (stmt, first + 4);
  p->active = sqlite3_column_int (stmt, first + 6) != 0;
  if (!rs_person_role_from_id (role, &p->role))
    {
      /* The schema's CHECK makes this a damaged file. */
      rs_store_fail (store, SQLITE_CORRUPT, error);
      return NULL;
    }
  return g_steal_pointer (&p);
}

/* One person, or NULL with RS_ERROR_NOT_FOUND. Under the lock. */
static RsPerson *
get_person_tx (RsStore *store, gint64 person_id, GError **error)
{
  g_autoptr (RsStoreStmt) stmt = rs_store_query (store, error, PEOPLE_SELECT " WHERE p.id = ?", "l", person_id);
  int rc;

  if (stmt == NULL)
    return NULL;
  rc = rs_store_step (store, stmt, error);
  if (rc == SQLITE_ROW)
    return person_from_row (store, stmt, 0, error);
  if (rc == SQLITE_DONE)
    g_set_error (error, RS_ERROR, RS_ERROR_NOT_FOUND, _("There is no person with id %lld."), (long long) person_id);
  return NULL;
}

static char *
fold (const char *text)
{
  g_autofree char *normalized = g_utf8_normalize (text, -1, G_NORMALIZE_ALL);

  return g_utf8_casefold (normalized != NULL ? normalized : "", -1);
}

static gint
compare_people (gconstpointer a, gconstpointer b)
{
  const RsPerson *x = *(const RsPerson *const *) a, *y = *(const RsPerson *const *) b;
  int c = g_utf8_collate (x->name, y->name);

  return c != 0 ? c : g_strcmp0 (x->employee_no, y->employee_no);
}

/* Searching happens here, not in SQL: SQLite's LIKE and lower() fold ASCII
 * only, and names are not ASCII. A few thousand people take well under a
 * millisecond. */
GPtrArray *
rs_people_list (RsStore *store, const RsPerson *viewer, const char *search, GError **error)
{
  g_autoptr (GPtrArray) people = g_ptr_array_new_with_free_func ((GDestroyNotify) rs_person_free);
  g_autofree char *needle = NULL;

  g_return_val_if_fail (store != NULL, NULL);
  if (!rs_access_require_admin (viewer, error))
    return NULL;
  if (!is_blank (search))
    {
      g_autofree char *trimmed = g_strstrip (g_strdup (search));
      needle = fold (trimmed);
    }
  {
    g_autoptr (GMutexLocker) locker = g_mutex_locker_new (rs_store_get_lock (store));
    g_autoptr (RsStoreStmt) stmt = rs_store_query (store, error, PEOPLE_SELECT, "");
    int rc;

    if (stmt == NULL)
      return NULL;
    while ((rc = rs_store_step (store, stmt, error)) == SQLITE_ROW)
      {
        RsPerson *person = person_from_row (store, stmt, 0, error);

        if (person == NULL)
          return NULL;
        if (needle != NULL)
          {
            g_autofree char *name = fold (person->name);
            g_autofree char *number = fold (person->employee_no);

            if (strstr (name, needle) == NULL && strstr (number, needle) == NULL)
              {
                rs_person_free (person);
                continue;
              }
          }
        g_ptr_array_add (people, person);
      }
    if (rc != SQLITE_DONE)
      return NULL;
  }
  g_ptr_array_sort (people, compare_people);
  return g_steal_pointer (&people);
}

/* --- changing people --- */

/* The team's id, created when new; 0 for a blank name. Under the lock. */
static gboolean
ensure_team_tx (RsStore *store, const char *name, gint64 *team_id, gboolean *created, GError **error)
{
  *team_id = 0;
  if (created != NULL)
    *created = FALSE;
  if (is_blank (name))
    return TRUE;
  if (!rs_store_get_int (store, team_id, error, "SELECT id FROM teams WHERE name = ?", "s", name))
    return FALSE;
  if (*team_id != 0)
    return TRUE;
  if (created != NULL)
    *created = TRUE;
  return rs_store_get_int (store, team_id, error, "INSERT INTO teams (name) VALUES (?) RETURNING id", "s", name);
}

static gboolean
count_admins_tx (RsStore *store, gint64 *n, GError **error)
{
  *n = 0;
  return rs_store_get_int (store, n, error,
                           "SELECT count(*) FROM people WHERE role = 'admin' AND active = 1"
                           " AND secret_hash IS NOT NULL", "");
}

static gboolean
refuse_no_admin (GError **error)
{
  g_set_error_literal (error, RS_ERROR, RS_ERROR_INVALID,
                       _("This would leave no active administrator who can sign in: make someone else an "
                       "administrator first."));
  return FALSE;
}

/* The role's consequences for team management: a manager manages their
 * team; an employee manages none. Under the lock. */
static gboolean
apply_management_tx (RsStore *store, gint64 person_id, RsPersonRole role, gint64 team_id, GError **error)
{
  if (role == RS_PERSON_EMPLOYEE)
    return rs_store_exec (store, error, "DELETE FROM team_managers WHERE person_id = ?", "l", person_id);
  if (role == RS_PERSON_MANAGER && team_id != 0)
    return rs_store_exec (store, error, "INSERT OR IGNORE INTO team_managers (team_id, person_id) VALUES (?, ?)",
                          "ll", team_id, person_id);
  return TRUE;
}

static gboolean
check_person (const char *employee_no, const char *name, const char *team, GError **error)
{
  if (is_blank (employee_no) || is_blank (name))
    {
      g_set_error_literal (error, RS_ERROR, RS_ERROR_INVALID, _("A person needs an employee number and a name."));
      return FALSE;
    }
  if (!g_utf8_validate (employee_no, -1, NULL) || !g_utf8_validate (name, -1, NULL)
      || (team != NULL && !g_utf8_validate (team, -1, NULL)))
    {
      g_set_error_literal (error, RS_ERROR, RS_ERROR_INVALID, _("Names must be UTF-8 text."));
      return FALSE;
    }
  return TRUE;
}

static gboolean
add_tx (RsStore *store, const RsPerson *viewer, const char *employee_no, const char *name, const char *team,
        RsPersonRole role, const char *hash, gint64 *person_id, GError **error)
{
  g_autofree char *detail = NULL;
  gint64 team_id = 0, existing = 0;

  if (!rs_store_get_int (store, &existing, error, "SELECT id FROM people WHERE employee_no = ?", "s", employee_no))
    return FALSE;
  if (existing != 0)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_INVALID,
                   _("Employee number %s is already used. Each person needs their own number."), employee_no);
      return FALSE;
    }
  if (!ensure_team_tx (store, team, &team_id, NULL, error)
      || !rs_store_get_int (store, person_id, error,
                            "INSERT INTO people (employee_no, name, team_id, role, secret_hash, pin_one_time)"
                            " VALUES (?, ?, ?, ?, ?, 1) RETURNING id",
                            "ssrss", employee_no, name, team_id, rs_person_role_id (role), hash)
      || !apply_management_tx (store, *person_id, role, team_id, error))
    return FALSE;
  detail = g_strdup_printf ("%s (%s, %s)", employee_no, rs_person_role_id (role), is_blank (team) ? "no team" : team);
  return audit_about_tx (store, viewer, "person-added", *person_id, detail, error);
}

gboolean
rs_people_add (RsStore *store, const RsPerson *viewer, const char *employee_no, const char *name,
               const char *team, RsPersonRole role, gint64 *person_id, char **pin, GError **error)
{
  g_autoptr (GMutexLocker) locker = NULL;
  g_autofree char *hash = NULL;
  char *one_time;
  gint64 id = 0;

  g_return_val_if_fail (store != NULL && pin != NULL, FALSE);
  g_return_val_if_fail ((guint) role <= RS_PERSON_ADMIN, FALSE);
  *pin = NULL;
  if (!rs_access_require_admin (viewer, error) || !check_person (employee_no, name, team, error))
    return FALSE;
  one_time = new_pin ();
  hash = hash_pin (one_time, kdf_limits ());
  if (hash == NULL)
    {
      rs_people_pin_free (one_time);
      return set_memory_error (error);
    }
  locker = g_mutex_locker_new (rs_store_get_lock (store));
  if (!rs_store_begin (store, TRUE, error)
      || !rs_store_end (store, add_tx (store, viewer, employee_no, name, team, role, hash, &id, error), error))
    {
      rs_people_pin_free (one_time);
      return FALSE;
    }
  if (person_id != NULL)
    *person_id = id;
  *pin = one_time;
  return TRUE;
}

static gboolean
update_tx (RsStore *store, const RsPerson *viewer, gint64 person_id, const char *name, const char *team,
           RsPersonRole role, GError **error)
{
  g_autoptr (RsPerson) before = get_person_tx (store, person_id, error);
  g_autofree char *detail = NULL;
  gint64 team_id = 0, n_admins = 0;

  if (before == NULL || !ensure_team_tx (store, team, &team_id, NULL, error)
      || !rs_store_exec (store, error, "UPDATE people SET name = ?, team_id = ?, role = ? WHERE id = ?", "srsl",
                         name, team_id, rs_person_role_id (role), person_id)
      || !apply_management_tx (store, person_id, role, team_id, error)
      || !count_admins_tx (store, &n_admins, error))
    return FALSE;
  if (before->role == RS_PERSON_ADMIN && role != RS_PERSON_ADMIN && n_admins == 0)
    return refuse_no_admin (error);
  detail = g_strdup_printf ("%s: name %s, team %s, role %s", before->employee_no,
                            g_strcmp0 (before->name, name) != 0 ? "changed" : "kept",
                            team_id != before->team_id ? (team_id != 0 ? team : "none") : "kept",
                            rs_person_role_id (role));
  return audit_about_tx (store, viewer, "person-updated", person_id, detail, error);
}

gboolean
rs_people_update (RsStore *store, const RsPerson *viewer, gint64 person_id, const char *name, const char *team,
                  RsPersonRole role, GError **error)
{
  g_autoptr (GMutexLocker) locker = NULL;

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail ((guint) role <= RS_PERSON_ADMIN, FALSE);
  if (!rs_access_require_admin (viewer, error) || !check_person ("-", name, team, error))
    return FALSE;
  locker = g_mutex_locker_new (rs_store_get_lock (store));
  return rs_store_begin (store, TRUE, error)
         && rs_store_end (store, update_tx (store, viewer, person_id, name, team, role, error), error);
}

static gboolean
set_active_tx (RsStore *store, const RsPerson *viewer, gint64 person_id, gboolean active, GError **error)
{
  g_autoptr (RsPerson) before = get_person_tx (store, person_id, error);
  gint64 n_admins = 0;

  if (before == NULL
      /* Retention counts from the day of deactivation; reactivating
       * stops it, and a repeated deactivation keeps the first day. */
      || !rs_store_exec (store, error,
                         "UPDATE people SET active = ?1,"
                         " deactivated_at = CASE WHEN ?1 = 1 THEN NULL ELSE coalesce (deactivated_at, ?2) END"
                         " WHERE id = ?3",
                         "ill", active ? 1 : 0, rs_store_now (), person_id)
      || !count_admins_tx (store, &n_admins, error))
    return FALSE;
  if (!active && before->role == RS_PERSON_ADMIN && before->active && n_admins == 0)
    return refuse_no_admin (error);
  return audit_about_tx (store, viewer, active ? "person-reactivated" : "person-deactivated", person_id,
                         before->employee_no, error);
}

gboolean
rs_people_set_active (RsStore *store, const RsPerson *viewer, gint64 person_id, gboolean active, GError **error)
{
  g_autoptr (GMutexLocker) locker = NULL;

  g_return_val_if_fail (store != NULL, FALSE);
  if (!rs_access_require_admin (viewer, error))
    return FALSE;
  locker = g_mutex_locker_new (rs_store_get_lock (store));
  return rs_store_begin (store, TRUE, error)
         && rs_store_end (store, set_active_tx (store, viewer, person_id, active, error), error);
}

char *
rs_people_reset_pin (RsStore *store, const RsPerson *viewer, gint64 person_id, GError **error)
{
  g_autoptr (RsPerson) person = NULL;
  char *pin;

  g_return_val_if_fail (store != NULL, NULL);
  if (!rs_access_require_admin (viewer, error))
    return NULL;
  person = rs_store_get_person (store, person_id, error);
  if (person == NULL)
    return NULL;
  pin = new_pin ();
  /* Two transactions: the store hashes and sets the secret (and lifts any
   * lock), then the audit row. A failure between them leaves a reset that
   * is not logged, never a logged reset that did not happen. */
  /* The new PIN is one-time: the administrator has seen it. */
  if (!rs_store_set_secret (store, person_id, pin, error)
      || !rs_store_set_pin_one_time (store, person_id, TRUE, error))
    {
      rs_people_pin_free (pin);
      return NULL;
    }
  {
    g_autoptr (GMutexLocker) locker = g_mutex_locker_new (rs_store_get_lock (store));

    if (!audit_about_tx (store, viewer, "pin-reset", person_id, person->employee_no, error))
      {
        rs_people_pin_free (pin);
        return NULL;
      }
  }
  return pin;
}

/* --- teams --- */

void
rs_team_free (RsTeam *team)
{
  if (team == NULL)
    return;
  g_free (team->name);
  g_clear_pointer (&team->managers, g_ptr_array_unref);
  g_free (team);
}

static gboolean
list_teams_tx (RsStore *store, GPtrArray *teams, GError **error)
{
  g_autoptr (GHashTable) by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  int rc;

  {
    g_autoptr (RsStoreStmt) stmt = rs_store_query (store, error,
        "SELECT t.id, t.name, (SELECT count(*) FROM people p WHERE p.team_id = t.id AND p.active = 1)"
        " FROM teams t ORDER BY t.name", "");
    if (stmt == NULL)
      return FALSE;
    while ((rc = rs_store_step (store, stmt, error)) == SQLITE_ROW)
      {
        RsTeam *team = g_new0 (RsTeam, 1);

        team->id = sqlite3_column_int64 (stmt, 0);
        team->name = rs_store_column_strdup (stmt, 1);
        team->n_members = (guint) sqlite3_column_int (stmt, 2);
        team->managers = g_ptr_array_new_with_free_func ((GDestroyNotify) rs_person_free);
        g_ptr_array_add (teams, team);
        g_hash_table_insert (by_id, &team->id, team);
      }
    if (rc != SQLITE_DONE)
      return FALSE;
  }
  {
    g_autoptr (RsStoreStmt) stmt = rs_store_query (store, error,
        "SELECT m.team_id, p.id, p.employee_no, p.name, p.team_id, t.name, p.role, p.active"
        " FROM team_managers m JOIN people p ON p.id = m.person_id LEFT JOIN teams t ON t.id = p.team_id"
        " ORDER BY p.name, p.employee_no", "");
    if (stmt == NULL)
      return FALSE;
    while ((rc = rs_store_step (store, stmt, error)) == SQLITE_ROW)
      {
        gint64 team_id = sqlite3_column_int64 (stmt, 0);
        RsTeam *team = g_hash_table_lookup (by_id, &team_id);
        RsPerson *manager = person_from_row (store, stmt, 1, error);

        if (manager == NULL)
          return FALSE;
        if (team != NULL)
          g_ptr_array_add (team->managers, manager);
        else
          rs_person_free (manager);
      }
  }
  return rc == SQLITE_DONE;
}

GPtrArray *
rs_people_list_teams (RsStore *store, const RsPerson *viewer, GError **error)
{
  g_autoptr (GPtrArray) teams = g_ptr_array_new_with_free_func ((GDestroyNotify) rs_team_free);
  g_autoptr (GMutexLocker) locker = NULL;

  g_return_val_if_fail (store != NULL, NULL);
  if (!rs_access_require_admin (viewer, error))
    return NULL;
  locker = g_mutex_locker_new (rs_store_get_lock (store));
  /* One snapshot for both queries. */
  if (!rs_store_begin (store, FALSE, error)
      || !rs_store_end (store, list_teams_tx (store, teams, error), error))
    return NULL;
  return g_steal_pointer (&teams);
}

static gboolean
set_manager_tx (RsStore *store, const RsPerson *viewer, gint64 team_id, gint64 person_id, gboolean manages,
                GError **error)
{
  g_autoptr (RsPerson) person = get_person_tx (store, person_id, error);
  g_autofree char *team = NULL;
  g_autofree char *detail = NULL;

  if (person == NULL
      || !rs_store_get_text (store, &team, error, "SELECT name FROM teams WHERE id = ?", "l", team_id))
    return FALSE;
  if (team == NULL)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_NOT_FOUND, _("There is no team with id %lld."), (long long) team_id);
      return FALSE;
    }
  if (manages && person->role == RS_PERSON_EMPLOYEE)
    {
      g_set_error_literal (error, RS_ERROR, RS_ERROR_INVALID,
                           _("Only a manager or an administrator can manage a team: make the person a manager first."));
      return FALSE;
    }
  if (!(manages ? rs_store_exec (store, error,
                                 "INSERT OR IGNORE INTO team_managers (team_id, person_id) VALUES (?, ?)",
                                 "ll", team_id, person_id)
                : rs_store_exec (store, error, "DELETE FROM team_managers WHERE team_id = ? AND person_id = ?",
                                 "ll", team_id, person_id)))
    return FALSE;
  detail = g_strdup_printf ("%s %s %s", person->employee_no, manages ? "manages" : "no longer manages", team);
  return audit_about_tx (store, viewer, "team-manager", person_id, detail, error);
}

gboolean
rs_people_set_team_manager (RsStore *store, const RsPerson *viewer, gint64 team_id, gint64 person_id,
                            gboolean manages, GError **error)
{
  g_autoptr (GMutexLocker) locker = NULL;

  g_return_val_if_fail (store != NULL, FALSE);
  if (!rs_access_require_admin (viewer, error))
    return FALSE;
  locker = g_mutex_locker_new (rs_store_get_lock (store));
  return rs_store_begin (store, TRUE, error)
         && rs_store_end (store, set_manager_tx (store, viewer, team_id, person_id, manages, error), error);
}

/* --- CSV --- */

typedef struct {
  int line;               /* physical line where the record starts */
  GPtrArray *fields;      /* char *, NUL-free valid UTF-8; see bad_utf8 */
  gboolean bad_utf8;
} CsvRecord;

static void
csv_record_free (CsvRecord *record)
{
  g_ptr_array_unref (record->fields);
  g_free (record);
}

typedef struct {
  GPtrArray *records;     /* CsvRecord */
  CsvRecord *current;
  int line;               /* the line of the byte being fed */
  int record_line;        /* where the record being read started */
  gboolean between;       /* no byte of the next record read yet */
} CsvReader;

static void
on_field (void *data, size_t len, void *user_data)
{
  CsvReader *reader = user_data;

  if (reader->current == NULL)
    {
      reader->current = g_new0 (CsvRecord, 1);
      reader->current->line = reader->record_line;
      reader->current->fields = g_ptr_array_new_with_free_func (g_free);
    }
  /* g_utf8_validate_len also refuses NUL bytes, which would cut the field. */
  if (len > 0 && !g_utf8_validate_len (data, len, NULL))
    {
      reader->current->bad_utf8 = TRUE;
      g_ptr_array_add (reader->current->fields, g_strdup (""));
      return;
    }
  g_ptr_array_add (reader->current->fields, g_strndup (data != NULL ? data : "", len));
}

static void
on_record (int terminator, void *user_data)
{
  CsvReader *reader = user_data;

  if (reader->current != NULL)
    g_ptr_array_add (reader->records, g_steal_pointer (&reader->current));
  reader->between = TRUE;
}

/* RFC 4180 leaves spaces in fields; libcsv would trim them by default. */
static int
no_spaces (unsigned char c)
{
  return 0;
}

/* Reads every record of text. A break in the CSV form (a quote inside an
 * unquoted field, text after a closing quote, a quote never closed) stops
 * the reading: *bad_line and *bad_message say where, and the records read
 * before it are returned, so that an earlier problem can be reported first. */
static GPtrArray *
csv_read (const char *text, gsize length, int *bad_line, char **bad_message)
{
  g_autoptr (GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) csv_record_free);
  CsvReader reader = { records, NULL, 1, 1, TRUE };
  struct csv_parser parser;
  gsize i = 0;

  *bad_line = 0;
  *bad_message = NULL;
  if (csv_init (&parser, CSV_STRICT | CSV_STRICT_FINI) != 0)
    g_error ("libcsv cannot start: out of memory");
  csv_set_space_func (&parser, no_spaces);
  if (length >= 3 && memcmp (text, "\xEF\xBB\xBF", 3) == 0)
    i = 3;
  for (; i < length; i++)
    {
      char c = text[i];

      if (reader.between && c != '\r' && c != '\n')
        {
          reader.between = FALSE;
          reader.record_line = reader.line;
        }
      if (csv_parse (&parser, &text[i], 1, on_field, on_record, &reader) != 1)
        {
          *bad_line = reader.record_line;
          *bad_message = csv_error (&parser) == CSV_EPARSE
                           ? g_strdup (_("broken quoting: a quote inside an unquoted field, or text after a "
                                         "closing quote (a quote inside a quoted field is written twice: \"\")"))
                           : g_strdup (csv_strerror (csv_error (&parser)));
          break;
        }
      /* CRLF, LF and a lone CR each end one physical line. */
      if (c == '\n' ? i == 0 || text[i - 1] != '\r' : c == '\r')
        reader.line++;
    }
  if (*bad_message == NULL && csv_fini (&parser, on_field, on_record, &reader) != 0)
    {
      *bad_line = reader.record_line;
      *bad_message = g_strdup (_("a quoted field is never closed: its closing quote is missing"));
    }
  if (reader.current != NULL)
    csv_record_free (reader.current);
  csv_free (&parser);
  return g_steal_pointer (&records);
}

/* --- import --- */

enum { COL_NUMBER, COL_NAME, COL_TEAM, COL_ROLE, N_COLUMNS };
static const char *const column_names[N_COLUMNS] = { "employee_no", "name", "team", "role" };

/* RsPeopleRow (rs-people-private.h), under the name this file always used. */
typedef RsPeopleRow ImportRow;

static void
import_row_clear (gpointer data)
{
  ImportRow *row = data;

  rs_people_pin_free (row->pin);
  g_free (row->hash);
}

static gboolean
file_error (GError **error, RsError code, const char *path, int line, const char *format, ...) G_GNUC_PRINTF (5, 6);

static gboolean
file_error (GError **error, RsError code, const char *path, int line, const char *format, ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, RS_ERROR, code, "%s:%d: %s", path, line, message);
  return FALSE;
}

static gboolean
check_form (const char *path, const CsvRecord *record, GError **error)
{
  if (record->bad_utf8)
    return file_error (error, RS_ERROR_PARSE, path, record->line,
                       _("the text is not valid UTF-8 (save the file as UTF-8)"));
  if (record->fields->len != N_COLUMNS)
    return file_error (error, RS_ERROR_PARSE, path, record->line,
                       g_dngettext (GETTEXT_PACKAGE, "expected %d field, found %u", "expected %d fields, found %u",
                                    N_COLUMNS),
                       N_COLUMNS, record->fields->len);
  return TRUE;
}

/* Which field holds each column. */
static gboolean
read_header (const char *path, const CsvRecord *header, int columns[N_COLUMNS], GError **error)
{
  if (!check_form (path, header, error))
    return FALSE;
  for (int c = 0; c < N_COLUMNS; c++)
    columns[c] = -1;
  for (guint f = 0; f < header->fields->len; f++)
    {
      g_autofree char *name = g_strstrip (g_strdup (g_ptr_array_index (header->fields, f)));
      int c = 0;

      while (c < N_COLUMNS && !g_str_equal (name, column_names[c]))
        c++;
      if (c == N_COLUMNS || columns[c] >= 0)
        return file_error (error, RS_ERROR_PARSE, path, header->line,
                           _("%s column '%s': the header must name employee_no, name, team and role, each once"),
                           c == N_COLUMNS ? "unknown" : "repeated", name);
      columns[c] = (int) f;
    }
  return TRUE;
}

/* In place: no spaces around, and each run of spaces, tabs, line breaks or
 * other control characters inside becomes one space. A quoted line break is
 * valid CSV, but a name with one would break every list it is shown in. */
static void
tidy (char *text)
{
  char *out = text;
  gboolean space = FALSE;

  for (const char *in = text; *in != '\0'; in++)
    {
      guchar c = (guchar) *in;

      if (g_ascii_isspace (c) || c < 0x20 || c == 0x7f)
        space = out != text;
      else
        {
          if (space)
            *out++ = ' ';
          space = FALSE;
          *out++ = (char) c;
        }
    }
  *out = '\0';
}

/* Checks every row; rows[] points into the records' fields, tidied. */
static gboolean
read_rows (const char *path, GPtrArray *records, GArray *rows, GError **error)
{
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);   /* number → line */
  int columns[N_COLUMNS];

  if (!read_header (path, g_ptr_array_index (records, 0), columns, error))
    return FALSE;
  for (guint r = 1; r < records->len; r++)
    {
      CsvRecord *record = g_ptr_array_index (records, r);
      ImportRow row = { record->line, NULL, NULL, NULL, RS_PERSON_EMPLOYEE, 0, NULL, NULL };
      g_autofree char *role = NULL;
      gpointer first;

      if (!check_form (path, record, error))
        return FALSE;
      for (guint f = 0; f < record->fields->len; f++)
        tidy (g_ptr_array_index (record->fields, f));
      row.employee_no = g_ptr_array_index (record->fields, columns[COL_NUMBER]);
      row.name = g_ptr_array_index (record->fields, columns[COL_NAME]);
      row.team = g_ptr_array_index (record->fields, columns[COL_TEAM]);
      role = g_ascii_strdown (g_ptr_array_index (record->fields, columns[COL_ROLE]), -1);
      if (*row.employee_no == '\0')
        return file_error (error, RS_ERROR_INVALID, path, row.line, _("the employee number is empty"));
      if (*row.name == '\0')
        return file_error (error, RS_ERROR_INVALID, path, row.line, _("the name of %s is empty"), row.employee_no);
      if (!rs_person_role_from_id (role, &row.role))
        return file_error (error, RS_ERROR_INVALID, path, row.line,
                           _("unknown role '%s' (use employee, manager or admin)"),
                           (const char *) g_ptr_array_index (record->fields, columns[COL_ROLE]));
      if (g_hash_table_lookup_extended (seen, row.employee_no, NULL, &first))
        return file_error (error, RS_ERROR_INVALID, path, row.line,
                           _("employee number %s is already on line %d"), row.employee_no, GPOINTER_TO_INT (first));
      g_hash_table_insert (seen, (gpointer) row.employee_no, GINT_TO_POINTER (row.line));
      g_array_append_val (rows, row);
    }
  return TRUE;
}

/* Reads and checks the whole file; the first problem, by line, wins. */
static gboolean
parse_people (const char *path, GPtrArray **records_out, GArray *rows, GError **error)
{
  g_autofree char *text = NULL;
  g_autofree char *bad_message = NULL;
  g_autoptr (GPtrArray) records = NULL;
  g_autoptr (GError) local = NULL;
  gsize length = 0;
  int bad_line = 0;

  /* A regular file only, and never more than the limit: a wrong file picked
   * by mistake is not read whole, a FIFO does not hang the import. */
  if (!rs_file_read_regular (path, RS_PEOPLE_MAX_FILE_SIZE, _("people list"), &text, &length, &local))
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  records = csv_read (text, length, &bad_line, &bad_message);
  if (records->len == 0)
    {
      if (bad_message != NULL)
        return file_error (error, RS_ERROR_PARSE, path, bad_line, "%s", bad_message);
      return file_error (error, RS_ERROR_PARSE, path, 1, _("the file is empty: expected the header "
                         "employee_no,name,team,role"));
    }
  if (!read_rows (path, records, rows, error))
    return FALSE;
  if (bad_message != NULL)
    return file_error (error, RS_ERROR_PARSE, path, bad_line, "%s", bad_message);
  *records_out = g_steal_pointer (&records);
  return TRUE;
}

GArray *
rs_people_read_csv (const char *path, GPtrArray **records, GError **error)
{
  g_autoptr (GArray) rows = g_array_new (FALSE, TRUE, sizeof (RsPeopleRow));

  g_array_set_clear_func (rows, import_row_clear);
  if (!parse_people (path, records, rows, error))
    return NULL;
  return g_steal_pointer (&rows);
}

char *
rs_people_hash_secret (const char *secret, GError **error)
{
  char *hash = hash_pin (secret, kdf_limits ());

  if (hash == NULL)
    set_memory_error (error);
  return hash;
}

char *
rs_people_new_pin (void)
{
  return new_pin ();
}

/* Who in the file exists already: they keep their PIN, the others need one. */
static gboolean
look_up_existing (RsStore *store, GArray *rows, GError **error)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (rs_store_get_lock (store));

  for (guint i = 0; i < rows->len; i++)
    {
      ImportRow *row = &g_array_index (rows, ImportRow, i);

      if (!rs_store_get_int (store, &row->existing_id, error, "SELECT id FROM people WHERE employee_no = ?", "s",
                             row->employee_no))
        return FALSE;
    }
  return TRUE;
}

static gboolean
make_pins (GArray *rows, GError **error)
{
  g_autoptr (GPtrArray) pins = g_ptr_array_new ();
  g_autoptr (GPtrArray) targets = g_ptr_array_new ();
  g_autofree char **hashes = NULL;

  for (guint i = 0; i < rows->len; i++)
    {
      ImportRow *row = &g_array_index (rows, ImportRow, i);

      if (row->existing_id != 0)
        continue;
      row->pin = new_pin ();
      g_ptr_array_add (pins, row->pin);
      g_ptr_array_add (targets, row);
    }
  hashes = g_new0 (char *, pins->len + 1);
  if (!hash_pins ((char **) pins->pdata, hashes, pins->len, error))
    {
      for (guint i = 0; i < pins->len; i++)
        g_free (hashes[i]);
      return FALSE;
    }
  for (guint i = 0; i < targets->len; i++)
    ((ImportRow *) g_ptr_array_index (targets, i))->hash = hashes[i];
  return TRUE;
}

gboolean
rs_people_make_pins (GArray *rows, GError **error)
{
  return make_pins (rows, error);
}

static gboolean
import_tx (RsStore *store, const RsPerson *viewer, const char *path, GArray *rows, gboolean allow_no_admin,
           RsImportReport *report,
           GError **error)
{
  g_autofree char *detail = NULL;
  gint64 admins_before = 0, admins_after = 0;
  int demoted_admin_line = 0;

  if (!count_admins_tx (store, &admins_before, error))
    return FALSE;
  for (guint i = 0; i < rows->len; i++)
    {
      ImportRow *row = &g_array_index (rows, ImportRow, i);
      g_autoptr (RsPerson) before = NULL;
      gint64 team_id = 0, person_id = 0;
      gboolean team_created = FALSE;

      if (!ensure_team_tx (store, row->team, &team_id, &team_created, error)
          || !rs_store_get_int (store, &person_id, error, "SELECT id FROM people WHERE employee_no = ?", "s",
                                row->employee_no))
        return FALSE;
      report->n_teams_added += team_created;
      if (person_id == 0 && row->hash == NULL)
        {
          /* Cannot happen: people are never deleted. */
          return file_error (error, RS_ERROR_FAILED, path, row->line, _("%s disappeared during the import"),
                             row->employee_no);
        }
      if (person_id != 0)
        {
          /* Added by someone else since the first look: an update, and the
           * PIN made for them is dropped unseen. */
          g_clear_pointer (&row->pin, rs_people_pin_free);
          before = get_person_tx (store, person_id, error);
          if (before == NULL
              || !rs_store_exec (store, error, "UPDATE people SET name = ?, team_id = ?, role = ? WHERE id = ?",
                                 "srsl", row->name, team_id, rs_person_role_id (row->role), person_id))
            return FALSE;
          if (g_strcmp0 (before->name, row->name) != 0 || before->team_id != team_id || before->role != row->role)
            report->n_updated++;
          else
            report->n_unchanged++;
          if (before->role == RS_PERSON_ADMIN && row->role != RS_PERSON_ADMIN && demoted_admin_line == 0)
            demoted_admin_line = row->line;
        }
      else
        {
          if (!rs_store_get_int (store, &person_id, error,
                                 "INSERT INTO people (employee_no, name, team_id, role, secret_hash, pin_one_time)"
                                 " VALUES (?, ?, ?, ?, ?, 1) RETURNING id",
                                 "ssrss", row->employee_no, row->name, team_id, rs_person_role_id (row->role),
                                 row->hash))
            return FALSE;
          report->n_added++;
        }
      if (!apply_management_tx (store, person_id, row->role, team_id, error))
        return FALSE;
    }
  report->n_rows = rows->len;
  if (!count_admins_tx (store, &admins_after, error))
    return FALSE;
  if (admins_before > 0 && admins_after == 0 && demoted_admin_line > 0)
    return file_error (error, RS_ERROR_INVALID, path, demoted_admin_line,
                       _("this would leave no active administrator who can sign in: keep at least one admin"));
  /* People and no administrator: nobody could manage this kiosk, and (once
   * there are people) its first-run page would not open without a set-up
   * code either. Refused unless the caller knows. */
  report->no_admin = admins_after == 0;
  if (admins_after == 0 && !allow_no_admin)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_INVALID,
                   _("%s: this would leave the database with people but no active administrator who can sign "
                   "in. Add a row with role admin, or import with --allow-no-admin and then make the first "
                   "administrator with a set-up code (reskill setup-code)."), path);
      return FALSE;
    }
  detail = g_strdup_printf ("%s%s: added %u, updated %u, unchanged %u", viewer->id > 0 ? "" : "command line, ",
                            path, report->n_added, report->n_updated, report->n_unchanged);
  return audit_tx (store, viewer, "people-import", detail, error);
}

void
rs_new_pin_free (RsNewPin *new_pin)
{
  if (new_pin == NULL)
    return;
  g_free (new_pin->employee_no);
  g_free (new_pin->name);
  rs_people_pin_free (new_pin->pin);
  g_free (new_pin);
}

gboolean
rs_people_import_csv (RsStore *store, const RsPerson *viewer, const char *path, GPtrArray **new_pins,
                      RsImportReport *report, GError **error)
{
  return rs_people_import_csv_full (store, viewer, path, FALSE, new_pins, report, error);
}

gboolean
rs_people_import_csv_full (RsStore *store, const RsPerson *viewer, const char *path, gboolean allow_no_admin,
                           GPtrArray **new_pins, RsImportReport *report, GError **error)
{
  g_autoptr (GPtrArray) records = NULL;
  g_autoptr (GArray) rows = g_array_new (FALSE, TRUE, sizeof (ImportRow));
  RsImportReport counts = { 0 };

  g_return_val_if_fail (store != NULL && path != NULL, FALSE);
  if (new_pins != NULL)
    *new_pins = NULL;
  if (viewer == NULL)
    viewer = rs_people_operator ();
  if (!rs_access_require_admin (viewer, error))
    return FALSE;
  g_array_set_clear_func (rows, import_row_clear);
  if (!parse_people (path, &records, rows, error) || !look_up_existing (store, rows, error)
      || !make_pins (rows, error))
    return FALSE;
  {
    g_autoptr (GMutexLocker) locker = g_mutex_locker_new (rs_store_get_lock (store));

    if (!rs_store_begin (store, TRUE, error)
        || !rs_store_end (store, import_tx (store, viewer, path, rows, allow_no_admin, &counts, error), error))
      return FALSE;
  }
  if (new_pins != NULL)
    {
      *new_pins = g_ptr_array_new_with_free_func ((GDestroyNotify) rs_new_pin_free);
      for (guint i = 0; i < rows->len; i++)
        {
          ImportRow *row = &g_array_index (rows, ImportRow, i);
          RsNewPin *pin;

          if (row->pin == NULL)
            continue;
          pin = g_new0 (RsNewPin, 1);
          pin->employee_no = g_strdup (row->employee_no);
          pin->name = g_strdup (row->name);
          pin->pin = g_steal_pointer (&row->pin);
          g_ptr_array_add (*new_pins, pin);
        }
    }
  if (report != NULL)
    *report = counts;
  return TRUE;
}
