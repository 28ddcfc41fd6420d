/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The organization's server at 10,000 people × 20 attempts (issue 13):
 * a local PostgreSQL 15 cluster kept in the build folder between runs,
 * loaded once from the benchmark's 10,000-person demo database, and timed
 * as a manager and an administrator use it, through their own logins and
 * row-level security: the team report, the company overview, item
 * statistics (in-process and `reskill item-stats --server` end to end),
 * `reskill report --server` end to end; then what one and two kiosks push
 * per second through the checked reskill.push_unit.
 *
 * Loading: 200,000 attempts through push_unit would take hours of
 * recomputation that the measurements do not need, so the demo database's
 * rows are copied in with COPY as the superuser, triggers off, and the
 * caches built after with reskill.rebuild_caches () (timed: it is what an
 * administrator runs after a restore). This loader is the benchmark's
 * only: the product's one way in for results is push_unit. */
#include "bench-server.h"

#include <glib/gstdio.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "rs-assessment.h"
#include "rs-demo.h"
#include "rs-error.h"
#include "rs-kiosk-key.h"
#include "rs-report.h"
#include "rs-server-report.h"
#include "rs-server.h"
#include "rs-sync.h"

static char *cluster_dir;          /* build/bench/pg-N */
static gboolean cluster_running;

static double
now_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

static int
compare_doubles (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

static double
median (double *values, int n)
{
  qsort (values, n, sizeof (double), compare_doubles);
  return values[n / 2];
}

/* Runs a PostgreSQL program, as nobody when we are root (the server
 * refuses to run as root). */
static gboolean
run_pg (const char *const *argv, gboolean quiet)
{
  g_autoptr (GPtrArray) args = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  int status = 0;

  if (getuid () == 0)
    {
      const char *prefix[] = { "setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--" };
      for (guint i = 0; i < G_N_ELEMENTS (prefix); i++)
        g_ptr_array_add (args, (gpointer) prefix[i]);
    }
  for (int i = 0; argv[i] != NULL; i++)
    g_ptr_array_add (args, (gpointer) argv[i]);
  g_ptr_array_add (args, NULL);
  if (!g_spawn_sync ("/", (char **) args->pdata, NULL,
                     G_SPAWN_SEARCH_PATH | (quiet ? G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL : 0), NULL,
                     NULL, NULL, NULL, &status, &error)
      || !g_spawn_check_wait_status (status, NULL))
    return FALSE;
  return TRUE;
}

static gboolean
pg_ctl (const char *action)
{
  g_autofree char *data = g_build_filename (cluster_dir, "data", NULL);
  g_autofree char *log = g_build_filename (cluster_dir, "log", NULL);
  g_autofree char *options = g_strdup_printf ("-k %s -c listen_addresses='' -c shared_buffers=256MB"
                                              " -c work_mem=32MB -c maintenance_work_mem=256MB -c max_wal_size=4GB",
                                              cluster_dir);
  const char *argv[] = { "/usr/lib/postgresql/15/bin/pg_ctl", "-D", data, "-l", log, "-w", "-t", "120", "-o", options,
                         action, "-m", "fast", NULL };

  if (g_str_equal (action, "start"))
    argv[10 + 1] = NULL;
  return run_pg (argv, TRUE);
}

static void
stop_cluster (void)
{
  if (cluster_running)
    pg_ctl ("stop");
  cluster_running = FALSE;
}

static char *
conninfo_as (const char *user)
{
  return g_strdup_printf ("host=%s dbname=reskill user=%s", cluster_dir, user);
}

/* --- loading from the demo database --- */

typedef struct {
  GString *buffer;
  PGconn *conn;
} Copy;

static void
field_sep (Copy *c, int column)
{
  if (column > 0)
    g_string_append_c (c->buffer, '\t');
}

static void
add_text (Copy *c, int column, const char *text)
{
  field_sep (c, column);
  if (text == NULL)
    {
      g_string_append (c->buffer, "\\N");
      return;
    }
  for (const char *p = text; *p != '\0'; p++)
    switch (*p)
      {
      case '\\':
        g_string_append (c->buffer, "\\\\");
        break;
      case '\t':
        g_string_append (c->buffer, "\\t");
        break;
      case '\n':
        g_string_append (c->buffer, "\\n");
        break;
      case '\r':
        g_string_append (c->buffer, "\\r");
        break;
      default:
        g_string_append_c (c->buffer, *p);
      }
}

/* A column of the SQLite row as COPY text: NULL, integer, exact double or text. */
static void
add_column (Copy *c, int column, sqlite3_stmt *stmt, int index)
{
  switch (sqlite3_column_type (stmt, index))
    {
    case SQLITE_NULL:
      add_text (c, column, NULL);
      break;
    case SQLITE_INTEGER:
      field_sep (c, column);
      g_string_append_printf (c->buffer, "%lld", (long long) sqlite3_column_int64 (stmt, index));
      break;
    case SQLITE_FLOAT:
      field_sep (c, column);
      g_string_append_printf (c->buffer, "%.17g", sqlite3_column_double (stmt, index));
      break;
    default:
      add_text (c, column, (const char *) sqlite3_column_text (stmt, index));
    }
}

static gboolean
flush (Copy *c, gboolean force)
{
  if (c->buffer->len < (1u << 20) && !force)
    return TRUE;
  if (PQputCopyData (c->conn, c->buffer->str, (int) c->buffer->len) != 1)
    return FALSE;
  g_string_truncate (c->buffer, 0);
  return TRUE;
}

/* COPY target FROM STDIN with every row of the SQLite query; a column
 * named "ord" in the query position -1 is computed from the skills list. */
static gint64
copy_rows (PGconn *conn, sqlite3 *db, const char *copy_sql, const char *select_sql, gboolean with_ord)
{
  sqlite3_stmt *stmt = NULL;
  PGresult *result = PQexec (conn, copy_sql);
  Copy c = { g_string_sized_new (1 << 21), conn };
  gint64 n = 0;
  gboolean ok = PQresultStatus (result) == PGRES_COPY_IN;

  PQclear (result);
  ok = ok && sqlite3_prepare_v2 (db, select_sql, -1, &stmt, NULL) == SQLITE_OK;
  while (ok && sqlite3_step (stmt) == SQLITE_ROW)
    {
      int n_columns = sqlite3_column_count (stmt) - (with_ord ? 2 : 0);

      for (int i = 0; i < n_columns; i++)
        add_column (&c, i, stmt, i);
      if (with_ord)
        {
          /* The last two columns: the attempt's skills and this skill. */
          g_auto (GStrv) skills = g_strsplit ((const char *) sqlite3_column_text (stmt, n_columns), ",", -1);
          const char *skill = (const char *) sqlite3_column_text (stmt, n_columns + 1);
          int ord = 0;

          while (skills[ord] != NULL && g_strcmp0 (skills[ord], skill) != 0)
            ord++;
          field_sep (&c, n_columns);
          g_string_append_printf (c.buffer, "%d", ord);
        }
      g_string_append_c (c.buffer, '\n');
      n++;
      ok = flush (&c, FALSE);
    }
  sqlite3_finalize (stmt);
  ok = ok && flush (&c, TRUE);
  PQputCopyEnd (conn, ok ? NULL : "the benchmark's loader failed");
  result = PQgetResult (conn);
  if (PQresultStatus (result) != PGRES_COMMAND_OK)
    {
      printf ("  server: copying failed: %s", PQresultErrorMessage (result));
      ok = FALSE;
    }
  PQclear (result);
  while ((result = PQgetResult (conn)) != NULL)
    PQclear (result);
  g_string_free (c.buffer, TRUE);
  return ok ? n : -1;
}

static gboolean
exec (PGconn *conn, const char *sql)
{
  PGresult *result = PQexec (conn, sql);
  gboolean ok = PQresultStatus (result) == PGRES_COMMAND_OK || PQresultStatus (result) == PGRES_TUPLES_OK;

  if (!ok)
    printf ("  server: %s", PQresultErrorMessage (result));
  PQclear (result);
  return ok;
}

static gboolean
load (const char *sqlite_path, const char *module)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *postgres_info = g_strdup_printf ("host=%s dbname=postgres user=postgres", cluster_dir);
  g_autofree char *super_info = conninfo_as ("postgres");
  g_autofree char *questions = g_build_filename (RESKILL_SOURCE_ROOT, "questions", NULL);
  g_autoptr (RsPg) postgres = NULL;
  g_autoptr (RsPg) super = NULL;
  g_autoptr (RsStore) store = rs_store_open (sqlite_path, &error);
  sqlite3 *db = store != NULL ? rs_store_get_db (store) : NULL;
  PGconn *conn;
  gboolean ok;
  double start = now_ms (), loaded_at, cached_at;
  gint64 n_responses;

  if (store == NULL)
    return FALSE;
  postgres = rs_pg_connect (postgres_info, &error);
  if (postgres == NULL || !rs_pg_exec_script (postgres, "CREATE DATABASE reskill", &error))
    {
      printf ("  server: %s\n", error->message);
      return FALSE;
    }
  super = rs_pg_connect (super_info, &error);
  if (super == NULL || !rs_server_init (super, module, NULL, &error)
      || !rs_server_add_bank (super, questions, NULL, NULL, NULL, &error))
    {
      printf ("  server: %s\n", error->message);
      return FALSE;
    }
  conn = rs_pg_conn (super);
  {
    g_autofree char *key_hex = rs_hex_encode (rs_store_public_key (store), RS_KIOSK_KEY_PUBLIC_BYTES);
    /* Constant values of the benchmark's own making: a UUID, hex, a
     * fingerprint. */
    g_autofree char *kiosk_sql = g_strdup_printf ("INSERT INTO reskill.kiosks (kiosk_id, db_role, public_key,"
                                                  " fingerprint, name) VALUES ('%s', 'reskill_kiosk_demo', '\\x%s',"
                                                  " '%s', 'demo')", rs_store_kiosk_id (store), key_hex,
                                                  rs_store_key_fingerprint (store));

    ok = exec (conn, "BEGIN") && exec (conn, "SET LOCAL session_replication_role = replica")
         && exec (conn, kiosk_sql);
  }
  ok = ok && copy_rows (conn, db, "COPY reskill.teams (id, name) FROM STDIN", "SELECT id, name FROM teams", FALSE) >= 0
       && copy_rows (conn, db, "COPY reskill.people (id, employee_no, name, team_id, role, secret_hash, active)"
                     " FROM STDIN", "SELECT id, employee_no, name, team_id, role, secret_hash, active FROM people",
                     FALSE) >= 0
       && copy_rows (conn, db, "COPY reskill.team_managers (team_id, person_id) FROM STDIN",
                     "SELECT team_id, person_id FROM team_managers", FALSE) >= 0
       && copy_rows (conn, db, "COPY reskill.attempts (uuid, person_id, mode, skills, seed, bank_version, kiosk_id,"
                     " status, started_at, finished_at, pending_item_id, pending_scored) FROM STDIN",
                     "SELECT uuid, person_id, mode, skills, seed, bank_version,"
                     " coalesce (kiosk_id, (SELECT value FROM meta WHERE key = 'kiosk_id')), status, started_at,"
                     " finished_at, pending_item_id, pending_scored FROM attempts", FALSE) >= 0
       && copy_rows (conn, db, "COPY reskill.attempt_priors (attempt_id, person_id, skill, mean, sd) FROM STDIN",
                     "SELECT p.attempt_id, a.person_id, p.skill, p.mean, p.sd FROM attempt_priors AS p"
                     " JOIN attempts AS a ON a.uuid = p.attempt_id", FALSE) >= 0
       && copy_rows (conn, db, "COPY reskill.self_estimates (attempt_id, person_id, skill, level) FROM STDIN",
                     "SELECT s.attempt_id, a.person_id, s.skill, s.level FROM self_estimates AS s"
                     " JOIN attempts AS a ON a.uuid = s.attempt_id", FALSE) >= 0;
  n_responses = ok ? copy_rows (conn, db, "COPY reskill.responses (attempt_id, person_id, seq, item_id, skill, answer,"
                                " score, max_score, theta, se, time_ms, answered_at, scored) FROM STDIN",
                                "SELECT r.attempt_id, a.person_id, r.seq, r.item_id, r.skill, r.answer, r.score,"
                                " r.max_score, r.theta, r.se, r.time_ms, r.answered_at, r.scored FROM responses AS r"
                                " JOIN attempts AS a ON a.uuid = r.attempt_id", FALSE) : -1;
  ok = ok && n_responses >= 0
       && copy_rows (conn, db, "COPY reskill.results (attempt_id, person_id, finished_at, skill, theta, se, n_items,"
                     " level, calibration, se_provisional, p_novice, p_developing, p_proficient, p_advanced, p_expert,"
                     " ord) FROM STDIN",
                     "SELECT r.attempt_id, a.person_id, a.finished_at, r.skill, r.theta, r.se, r.n_items, r.level,"
                     " r.calibration, r.se_provisional, r.p_novice, r.p_developing, r.p_proficient, r.p_advanced,"
                     " r.p_expert, a.skills, r.skill FROM results AS r JOIN attempts AS a ON a.uuid = r.attempt_id",
                     TRUE) >= 0
       && exec (conn, "SELECT setval (pg_get_serial_sequence ('reskill.people', 'id'), (SELECT max (id) FROM"
                " reskill.people))")
       && exec (conn, "SELECT setval (pg_get_serial_sequence ('reskill.teams', 'id'), (SELECT max (id) FROM"
                " reskill.teams))")
       && exec (conn, "COMMIT");
  if (!ok)
    return FALSE;
  loaded_at = now_ms ();
  ok = exec (conn, "SELECT reskill.rebuild_caches ()") && exec (conn, "VACUUM ANALYZE");
  cached_at = now_ms ();
  if (ok)
    printf ("  server: loaded %" G_GINT64_FORMAT " answers with COPY in %.0f s; reskill.rebuild_caches () %.1f s "
            "(with VACUUM ANALYZE)\n", n_responses, (loaded_at - start) / 1000.0, (cached_at - loaded_at) / 1000.0);
  /* The logins the measurements use (trust on the socket: no password). */
  return ok && rs_server_add_login (super, RS_DEMO_MANAGER_NO, "bench_manager", NULL, &error)
         && rs_server_add_login (super, RS_DEMO_ADMIN_NO, "bench_admin", NULL, &error);
}

/* --- measurements --- */

static double
run_command (const char *const *argv)
{
  g_autoptr (GError) error = NULL;
  int status = 0;
  double start = now_ms ();

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                     NULL, NULL, &status, &error)
      || !g_spawn_check_wait_status (status, NULL))
    return -1.0;
  return now_ms () - start;
}

static void
measure_reports (const RsRoleSet *roles)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *manager_info = conninfo_as ("bench_manager");
  g_autofree char *admin_info = conninfo_as ("bench_admin");
  g_autoptr (RsPg) manager_pg = rs_pg_connect (manager_info, &error);
  g_autoptr (RsPg) admin_pg = manager_pg != NULL ? rs_pg_connect (admin_info, &error) : NULL;
  g_autoptr (RsPerson) manager = NULL, admin = NULL;
  double times[9];
  guint members = 0, teams = 0, items = 0;
  gint64 team = 0;

  if (admin_pg == NULL || (manager = rs_server_viewer (manager_pg, &error)) == NULL
      || (admin = rs_server_viewer (admin_pg, &error)) == NULL
      || !rs_server_find_team (manager_pg, manager, manager->team_name, &team, &error))
    {
      printf ("  server: %s\n", error->message);
      return;
    }
  for (int r = 0; r < 9; r++)
    {
      double start = now_ms ();
      g_autoptr (RsTeamReport) report = rs_server_team_report (manager_pg, roles, manager, team, NULL);

      times[r] = now_ms () - start;
      members = report != NULL ? report->members->len : 0;
    }
  printf ("  server: team report as its manager's own login (row-level security), %u members × 20 attempts: "
          "median %.1f ms   target ≤ 100 ms\n", members, median (times, 9));
  for (int r = 0; r < 5; r++)
    {
      double start = now_ms ();
      g_autoptr (RsCompanyOverview) overview = rs_server_company_overview (admin_pg, roles, admin, NULL);

      times[r] = now_ms () - start;
      teams = overview != NULL ? overview->teams->len : 0;
    }
  printf ("  server: company overview as an administrator, %u teams: median %.1f ms   target ≤ 1000 ms\n", teams,
          median (times, 5));
  for (int r = 0; r < 5; r++)
    {
      double start = now_ms ();
      g_autoptr (GPtrArray) stats = rs_server_item_stats (admin_pg, NULL, NULL);

      times[r] = now_ms () - start;
      items = stats != NULL ? stats->len : 0;
    }
  printf ("  server: item statistics, %u items, from the sums kept as answers arrive: median %.1f ms\n", items,
          median (times, 5));
  {
    g_autofree char *out = g_build_filename (g_get_tmp_dir (), "reskill-bench-server.csv", NULL);
    const char *stats[] = { RESKILL_BENCH_BIN, "item-stats", "--server", admin_info, NULL };
    g_autofree char *roles_path = g_build_filename (RESKILL_SOURCE_ROOT, "data", "roles.yaml", NULL);
    const char *report[] = { RESKILL_BENCH_BIN, "report", "--server", manager_info, "--team", manager->team_name,
                             "--format", "csv", "--output", out, "--roles", roles_path, NULL };

    for (int r = 0; r < 3; r++)
      times[r] = run_command (stats);
    printf ("  server: reskill item-stats --server, end to end (a new process and connection): median %.0f ms"
            "   target ≤ 3000 ms\n", median (times, 3));
    for (int r = 0; r < 5; r++)
      times[r] = run_command (report);
    printf ("  server: reskill report --server --format csv, end to end: median %.0f ms\n", median (times, 5));
    g_remove (out);
  }
}

typedef struct {
  RsStore *store;
  char *conninfo;
  int n_units;
  int n_answers;
  double ms;
  gboolean ok;
} Pusher;

static void
answer_all (RsAssessment *a, GRand *rand)
{
  while (rs_assessment_current_item (a) != NULL)
    {
      const RsItem *item = rs_assessment_current_item (a);
      RsAnswer given;

      rs_item_best_answer (item, &given);
      if (g_rand_int_range (rand, 0, 3) == 0 && !given.has_number)
        given.chosen = 1;
      if (!rs_assessment_submit (a, &given, 1500, NULL, NULL))
        return;
    }
}

/* A kiosk with n finished standard attempts of all four skills, enrolled. */
static gboolean
make_pusher (Pusher *p, RsPg *super, const RsBank *bank, const char *path, int n, int n_people, guint32 seed)
{
  static const RsSkill skills[] = { RS_SKILL_PYTHON, RS_SKILL_STATISTICS, RS_SKILL_ML, RS_SKILL_EMPATHY };
  g_autoptr (GError) error = NULL;
  g_autoptr (GRand) rand = g_rand_new_with_seed (seed);
  g_autofree char *role = NULL;
  g_autofree char *key = g_strconcat (path, ".key", NULL);

  g_remove (path);
  g_remove (key);
  p->store = rs_store_open (path, &error);
  if (p->store == NULL || !rs_server_enroll_kiosk (super, p->store, NULL, NULL, &role, &error))
    return FALSE;
  p->conninfo = conninfo_as (role);
  /* The people first (and then no attempt is skipped as unknown). */
  if (!rs_sync (p->store, p->conninfo, NULL, NULL, &error))
    {
      printf ("  server: %s\n", error->message);
      return FALSE;
    }
  for (int i = 0; i < n; i++)
    {
      g_autofree char *number = g_strdup_printf ("%d", 3001 + g_rand_int_range (rand, 0, n_people));
      g_autoptr (RsPerson) person = rs_store_find_person (p->store, number, NULL);
      g_autoptr (RsAssessment) a = NULL;

      if (person == NULL)
        continue;
      a = rs_assessment_start (p->store, bank, person->id, RS_MODE_STANDARD, skills, 4, NULL, g_rand_int (rand), NULL);
      if (a == NULL)
        return FALSE;
      answer_all (a, rand);
      if (!rs_assessment_finish (a, NULL))
        return FALSE;
      p->n_units++;
      p->n_answers += (int) rs_assessment_attempt (a)->responses->len;
    }
  return TRUE;
}

static gpointer
push_thread (gpointer data)
{
  Pusher *p = data;
  g_autoptr (GError) error = NULL;
  double start = now_ms ();

  p->ok = rs_sync (p->store, p->conninfo, NULL, NULL, &error);
  p->ms = now_ms () - start;
  if (!p->ok)
    printf ("  server: push failed: %s\n", error->message);
  return NULL;
}

static void
measure_pushes (const RsBank *bank, int n_people)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *super_info = conninfo_as ("postgres");
  g_autoptr (RsPg) super = rs_pg_connect (super_info, &error);
  Pusher pushers[3] = { { 0 } };

  if (super == NULL)
    return;
  for (int k = 0; k < 3; k++)
    {
      g_autofree char *path = g_strdup_printf ("%s/push-%d.db", cluster_dir, k);

      if (!make_pusher (&pushers[k], super, bank, path, 60, n_people, 700 + k))
        {
          printf ("  server: cannot make a pushing kiosk\n");
          return;
        }
    }
  /* One kiosk alone, then two at once. */
  push_thread (&pushers[0]);
  printf ("  server: one kiosk pushes %d finished attempts (%d answers, 4 skills each) in %.0f ms: %.0f attempts/s, "
          "%.0f answers/s, %.1f ms per attempt (checked, recomputed, merged)\n", pushers[0].n_units,
          pushers[0].n_answers, pushers[0].ms, pushers[0].n_units / (pushers[0].ms / 1000.0),
          pushers[0].n_answers / (pushers[0].ms / 1000.0), pushers[0].ms / MAX (pushers[0].n_units, 1));
  {
    GThread *threads[2];
    double start = now_ms (), wall;

    for (int k = 0; k < 2; k++)
      threads[k] = g_thread_new ("push", push_thread, &pushers[k + 1]);
    for (int k = 0; k < 2; k++)
      g_thread_join (threads[k]);
    wall = now_ms () - start;
    printf ("  server: two kiosks at once push %d attempts (%d answers) in %.0f ms: %.0f answers/s together\n",
            pushers[1].n_units + pushers[2].n_units, pushers[1].n_answers + pushers[2].n_answers, wall,
            (pushers[1].n_answers + pushers[2].n_answers) / (wall / 1000.0));
  }
  for (int k = 0; k < 3; k++)
    {
      rs_store_close (pushers[k].store);
      g_free (pushers[k].conninfo);
    }
}

void
bench_server (const char *sqlite_path, int n_people, const RsRoleSet *roles, const RsBank *bank)
{
  g_autofree char *loaded = NULL;
  g_autofree char *module = NULL;
  g_autofree char *size_text = NULL;

  cluster_dir = g_strdup_printf ("%s/pg-%d", RESKILL_BENCH_DIR, n_people);
  loaded = g_build_filename (cluster_dir, "loaded", NULL);
  module = g_build_filename (cluster_dir, "reskill-pg.so", NULL);
  if (!g_file_test ("/usr/lib/postgresql/15/bin/initdb", G_FILE_TEST_IS_EXECUTABLE))
    {
      printf ("  server: PostgreSQL 15 is not installed (tools/install-deps)\n");
      return;
    }
  if (!g_file_test (loaded, G_FILE_TEST_EXISTS))
    {
      g_autofree char *data = g_build_filename (cluster_dir, "data", NULL);
      const char *initdb[] = { "/usr/lib/postgresql/15/bin/initdb", "-D", data, "-A", "trust", "-U", "postgres",
                               "-E", "UTF8", "--locale=C.UTF-8", NULL };
      g_autofree char *rm = g_strdup_printf ("rm -rf %s", cluster_dir);

      printf ("  server: loading a PostgreSQL cluster in %s (once; reused after)...\n", cluster_dir);
      fflush (stdout);
      g_spawn_command_line_sync (rm, NULL, NULL, NULL, NULL);
      g_mkdir_with_parents (cluster_dir, 0755);
      if (getuid () == 0 && chown (cluster_dir, 65534, 65534) != 0)
        return;
      if (!run_pg (initdb, TRUE))
        {
          printf ("  server: initdb failed\n");
          return;
        }
    }
  /* The module of this build, where the server's user can read it. */
  {
    g_autofree char *contents = NULL;
    gsize length = 0;

    if (!g_file_get_contents (RESKILL_BENCH_MODULE, &contents, &length, NULL)
        || !g_file_set_contents_full (module, contents, (gssize) length, G_FILE_SET_CONTENTS_NONE, 0755, NULL))
      return;
  }
  if (!pg_ctl ("start"))
    {
      printf ("  server: the cluster does not start (see %s/log)\n", cluster_dir);
      return;
    }
  cluster_running = TRUE;
  atexit (stop_cluster);
  if (!g_file_test (loaded, G_FILE_TEST_EXISTS))
    {
      if (!load (sqlite_path, module))
        {
          stop_cluster ();
          return;
        }
      g_file_set_contents (loaded, "", 0, NULL);
    }
  {
    g_autoptr (GError) error = NULL;
    g_autofree char *super_info = conninfo_as ("postgres");
    g_autoptr (RsPg) super = rs_pg_connect (super_info, &error);
    g_autoptr (PGresult) size = super != NULL
      ? rs_pg_query (super, &error, "SELECT pg_size_pretty (pg_database_size ('reskill')), (SELECT count(*) FROM"
                     " reskill.attempts), (SELECT count(*) FROM reskill.responses)", "") : NULL;

    if (size != NULL)
      printf ("  server: database reskill %s, %s attempts, %s answers\n", rs_pg_text (size, 0, 0),
              rs_pg_text (size, 0, 1), rs_pg_text (size, 0, 2));
  }
  measure_reports (roles);
  measure_pushes (bank, n_people);
  stop_cluster ();
}
