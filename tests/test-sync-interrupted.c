/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A sync interrupted at random points loses nothing and doubles nothing
 * (issue 13). Two kiosks with attempts, some unfinished, sync through the
 * real program (reskill sync) while, at a random moment of each round,
 * either the kiosk's process is killed (SIGKILL) or the server is stopped
 * (immediate shutdown: no goodbye to the client) and started again; between
 * rounds the kiosks answer more. At the end one clean sync each, and the
 * server must hold every attempt of each kiosk exactly as the kiosk does,
 * once; a sync after that sends nothing.
 *
 * The cut comes at a random moment of the sync as it runs on this machine:
 * three timed syncs first (a backlog, nothing, one unit) give the start-up
 * time, the first unit's (the server loads its bank then) and each next
 * unit's, and each round cuts at a random point between the start-up and
 * the end of its pushes, so that cuts fall during the pushes, not only
 * before them. The seed is printed
 * (# seed N); RESKILL_TEST_SEED=N makes the same choices (the timings are
 * the machine's). */
#include <glib/gstdio.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/wait.h>

#include "rs-assessment.h"
#include "rs-error.h"
#include "rs-people.h"
#include "rs-server.h"
#include "rs-sync.h"

#define ROUNDS 16
#define MAX_ROUNDS 48
#define KIOSKS 2

typedef struct {
  char *path;
  char *conninfo;
  RsStore *store;
  GPtrArray *open;           /* unfinished attempts' UUIDs */
} Kiosk;

static char *dir;
static char *host;
static RsBank *bank;
static Kiosk kiosks[KIOSKS];
static GRand *rng;

static const char *const people[] = { "1000", "2000", "3001", "3002", "3003", "3004" };

static char *
conninfo_as (const char *user)
{
  return g_strdup_printf ("host=%s dbname=reskill user=%s", host, user);
}

static void
pg_ctl (const char *what)
{
  g_autofree char *command = g_strdup_printf ("%s %s", g_getenv ("RESKILL_TEST_PG_CTL"), what);
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr (GError) error = NULL;
  int status = 0;

  g_assert_true (g_spawn_command_line_sync (command, &out, &err, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_test_message ("pg_ctl %s: %s%s", what, out, err);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
}

static void
answer (RsAssessment *a, int n, guint32 seed)
{
  for (int i = 0; i < n && rs_assessment_current_item (a) != NULL; i++)
    {
      g_autoptr (GError) error = NULL;
      const RsItem *item = rs_assessment_current_item (a);
      RsAnswer given;

      rs_item_best_answer (item, &given);
      if ((seed + (guint32) i) % 3 == 0 && !given.has_number)
        given.chosen = 1;
      g_assert_true (rs_assessment_submit (a, &given, 1500, NULL, &error));
      g_assert_no_error (error);
    }
}

/* More for a kiosk to push: a new attempt (finished or not) and some
 * answers to an unfinished one, finishing it now and then. */
static void
work (Kiosk *k)
{
  static const RsSkill skills[] = { RS_SKILL_STATISTICS, RS_SKILL_ML };
  g_autoptr (GError) error = NULL;
  guint32 seed = g_rand_int (rng);
  const char *who = people[g_rand_int_range (rng, 0, G_N_ELEMENTS (people))];
  g_autoptr (RsPerson) person = rs_store_find_person (k->store, who, &error);
  g_autoptr (RsAssessment) a = NULL;

  g_assert_no_error (error);
  a = rs_assessment_start (k->store, bank, person->id, RS_MODE_QUICK, skills, 2, NULL, seed, &error);
  g_assert_no_error (error);
  if (g_rand_boolean (rng))
    {
      answer (a, G_MAXINT, seed);
      g_assert_true (rs_assessment_finish (a, &error));
      g_assert_no_error (error);
    }
  else
    {
      answer (a, g_rand_int_range (rng, 1, 6), seed);
      g_ptr_array_add (k->open, g_strdup (rs_assessment_uuid (a)));
    }
  /* Another person started at this kiosk: the earlier one was set aside
   * only if it was theirs; here they are continued from where they were. */
  if (k->open->len > 1)
    {
      guint pick = (guint) g_rand_int_range (rng, 0, (gint32) k->open->len - 1);
      const char *uuid = g_ptr_array_index (k->open, pick);
      g_autoptr (RsAssessment) resumed = rs_assessment_resume (k->store, bank, uuid, &error);

      g_assert_no_error (error);
      if (g_rand_boolean (rng))
        {
          answer (resumed, G_MAXINT, seed);
          g_assert_true (rs_assessment_finish (resumed, &error));
          g_assert_no_error (error);
          g_ptr_array_remove_index (k->open, pick);
        }
      else
        answer (resumed, 2, seed);
    }
}

static GPid
spawn_sync (Kiosk *k)
{
  const char *argv[] = { g_getenv ("RESKILL_BIN"), "sync", "--db", k->path, "--server", k->conninfo, NULL };
  g_autoptr (GError) error = NULL;
  GPid pid = 0;

  g_assert_true (g_spawn_async (NULL, (char **) argv, NULL,
                                G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL, NULL,
                                NULL, &pid, &error));
  g_assert_no_error (error);
  return pid;
}

static double
now_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

/* A whole sync through the program, timed. */
static double
timed_sync (Kiosk *k)
{
  double start = now_ms ();
  GPid pid = spawn_sync (k);
  int status = 0;

  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);
  return now_ms () - start;
}

static int
reap (GPid pid)
{
  int status = 0;

  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  return status;
}

static gint64
server_int (RsPg *pg, const char *sql, const char *text)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (PGresult) result = rs_pg_query (pg, &error, sql, text != NULL ? "s" : "", text);

  g_assert_no_error (error);
  return rs_pg_int (result, 0, 0);
}

/* Every attempt of the kiosk with an answer, on the server as here. */
static void
check_kiosk (RsPg *pg, Kiosk *k)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) mine = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = NULL;
  gint64 local_responses = 0;

  g_assert_cmpint (sqlite3_prepare_v2 (rs_store_get_db (k->store),
                                       "SELECT uuid FROM attempts WHERE kiosk_id = (SELECT value FROM meta"
                                       " WHERE key = 'kiosk_id') AND EXISTS (SELECT 1 FROM responses"
                                       " WHERE attempt_id = uuid)", -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (mine, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);
  g_assert_cmpint (server_int (pg, "SELECT count(*) FROM reskill.attempts WHERE kiosk_id = $1",
                               rs_store_kiosk_id (k->store)), ==, (gint64) mine->len);
  for (guint i = 0; i < mine->len; i++)
    {
      const char *uuid = g_ptr_array_index (mine, i);
      g_autoptr (RsAttempt) a = rs_store_load_attempt (k->store, uuid, &error);
      g_autoptr (PGresult) row = NULL, answers = NULL, results = NULL;

      g_assert_no_error (error);
      local_responses += a->responses->len;
      row = rs_pg_query (pg, &error, "SELECT status, finished_at FROM reskill.attempts WHERE uuid = $1", "s", uuid);
      g_assert_no_error (error);
      g_assert_cmpint (PQntuples (row), ==, 1);
      g_assert_cmpstr (rs_pg_text (row, 0, 0), ==, a->status == RS_ATTEMPT_FINISHED ? "finished" : "in_progress");
      answers = rs_pg_query (pg, &error, "SELECT seq, item_id, answer, score, theta FROM reskill.responses"
                             " WHERE attempt_id = $1 ORDER BY seq", "s", uuid);
      g_assert_no_error (error);
      g_assert_cmpint (PQntuples (answers), ==, (int) a->responses->len);
      for (guint r = 0; r < a->responses->len; r++)
        {
          const RsResponse *resp = &g_array_index (a->responses, RsResponse, r);

          g_assert_cmpint (rs_pg_int (answers, (int) r, 0), ==, resp->seq);
          g_assert_cmpstr (rs_pg_text (answers, (int) r, 1), ==, resp->item_id);
          g_assert_cmpstr (rs_pg_text (answers, (int) r, 2), ==, resp->answer);
          g_assert_cmpint (rs_pg_int (answers, (int) r, 3), ==, resp->score);
          g_assert_cmpfloat (rs_pg_double (answers, (int) r, 4), ==, resp->theta);
        }
      results = rs_pg_query (pg, &error, "SELECT count(*) FROM reskill.results WHERE attempt_id = $1", "s", uuid);
      g_assert_no_error (error);
      g_assert_cmpint (rs_pg_int (results, 0, 0), ==, (gint64) a->results->len);
    }
  g_assert_cmpint (server_int (pg, "SELECT count(*) FROM reskill.responses AS r JOIN reskill.attempts AS a"
                               " ON a.uuid = r.attempt_id WHERE a.kiosk_id = $1", rs_store_kiosk_id (k->store)), ==,
                   local_responses);
}

static void
test_interrupted (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RsPg) super = NULL;
  g_autofree char *super_info = conninfo_as ("postgres");
  int kills = 0, stops = 0, finished_early = 0, mid_push = 0;
  double startup_ms, first_ms, per_unit_ms;

  /* How long a sync takes here, on kiosk 1: its backlog, nothing, one. */
  {
    g_autoptr (GPtrArray) backlog = rs_sync_outgoing (kiosks[1].store, &error);
    g_autoptr (GPtrArray) one = NULL;
    double full_ms, single_ms;

    g_assert_no_error (error);
    full_ms = timed_sync (&kiosks[1]);
    startup_ms = timed_sync (&kiosks[1]);
    do
      {
        g_clear_pointer (&one, g_ptr_array_unref);
        work (&kiosks[1]);
        one = rs_sync_outgoing (kiosks[1].store, &error);
        g_assert_no_error (error);
      }
    while (one->len == 0);
    single_ms = timed_sync (&kiosks[1]);
    first_ms = MAX (single_ms - startup_ms, 1.0);
    per_unit_ms = MAX (full_ms - single_ms, 1.0) / MAX ((int) backlog->len - 1, 1);
    g_test_message ("a sync here takes %.0f ms to start, %.0f ms for its first unit, %.0f ms for each next one "
                    "(%u units in %.0f ms)", startup_ms, first_ms, per_unit_ms, backlog->len, full_ms);
  }
  /* At least ROUNDS rounds, and more (up to MAX_ROUNDS) until two cuts
   * have fallen between pushes: timings on a shared machine vary. */
  for (int round = 0; round < MAX_ROUNDS && (round < ROUNDS || mid_push < 2); round++)
    {
      Kiosk *k = &kiosks[round % KIOSKS];
      gboolean stop_server = g_rand_int_range (rng, 0, 3) == 0;
      gint64 held_before, held_after;
      guint waiting_before;
      int delay_ms;
      GPid pid;
      int status;

      for (int w = 0; w < 3; w++)
        work (k);
      {
        g_autoptr (RsPg) look = rs_pg_connect (super_info, &error);
        g_autoptr (GPtrArray) waiting = rs_sync_outgoing (k->store, &error);

        g_assert_no_error (error);
        held_before = server_int (look, "SELECT count(*) FROM reskill.attempts WHERE kiosk_id = $1",
                                  rs_store_kiosk_id (k->store));
        waiting_before = waiting->len;
      }
      delay_ms = (int) g_rand_double_range (rng, 0.8 * startup_ms,
                                            startup_ms + first_ms + (waiting_before - 1) * per_unit_ms);
      pid = spawn_sync (k);
      g_usleep ((gulong) delay_ms * 1000);
      if (stop_server)
        {
          pg_ctl ("stop -m immediate");
          status = reap (pid);
          pg_ctl ("start");
          stops++;
        }
      else
        {
          kill (pid, SIGKILL);
          status = reap (pid);
          kills++;
        }
      finished_early += WIFEXITED (status) && WEXITSTATUS (status) == 0;
      {
        g_autoptr (RsPg) look = rs_pg_connect (super_info, &error);
        g_autoptr (GPtrArray) waiting = rs_sync_outgoing (k->store, &error);

        g_assert_no_error (error);
        held_after = server_int (look, "SELECT count(*) FROM reskill.attempts WHERE kiosk_id = $1",
                                 rs_store_kiosk_id (k->store));
        g_test_message ("round %d: %s after %d ms (%s); %u attempts waited, %u still wait; the server holds %"
                        G_GINT64_FORMAT " of this kiosk's attempts (%" G_GINT64_FORMAT " before)", round,
                        stop_server ? "server stopped" : "kiosk killed", delay_ms,
                        WIFEXITED (status) ? (WEXITSTATUS (status) == 0 ? "sync had finished" : "sync failed")
                                           : "sync killed", waiting_before, waiting->len, held_after, held_before);
        mid_push += waiting->len < waiting_before && waiting->len > 0;
      }
    }
  g_test_message ("%d kiosk processes killed, %d server stops; %d cuts fell during the pushes, %d syncs finished "
                  "before the cut", kills, stops, mid_push, finished_early);
  /* Not an accident of timing: some cuts must have come between pushes. */
  g_assert_cmpint (mid_push, >, 0);
  /* Then a clean sync each, and everything is there once. */
  for (int i = 0; i < KIOSKS; i++)
    {
      RsSyncSummary summary = { 0 };

      g_assert_true (rs_sync (kiosks[i].store, kiosks[i].conninfo, NULL, &summary, &error));
      g_assert_no_error (error);
      g_assert_cmpint (summary.refused + summary.conflicts + summary.skipped, ==, 0);
      rs_sync_summary_clear (&summary);
    }
  super = rs_pg_connect (super_info, &error);
  g_assert_no_error (error);
  for (int i = 0; i < KIOSKS; i++)
    check_kiosk (super, &kiosks[i]);
  for (int i = 0; i < KIOSKS; i++)
    {
      RsSyncSummary summary = { 0 };

      g_assert_true (rs_sync (kiosks[i].store, kiosks[i].conninfo, NULL, &summary, &error));
      g_assert_no_error (error);
      g_assert_cmpint (summary.pushed, ==, 0);
      rs_sync_summary_clear (&summary);
    }
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RsPg) postgres = NULL;
  g_autoptr (RsPg) super = NULL;
  g_autoptr (GString) csv = g_string_new ("employee_no,name,team,role\n");
  g_autofree char *csv_path = NULL, *super_info = NULL;
  const char *seed_text = g_getenv ("RESKILL_TEST_SEED");
  guint32 seed;
  int status;

  g_test_init (&argc, &argv, NULL);
  if (g_getenv ("RESKILL_TEST_PG") == NULL)
    {
      g_test_skip ("no PostgreSQL cluster: run through tests/with-pg-cluster.sh");
      return 77;
    }
  seed = seed_text != NULL ? (guint32) g_ascii_strtoull (seed_text, NULL, 10) : (guint32) g_get_real_time ();
  /* Printed before anything can fail, so a failure can be rerun. */
  g_print ("# seed %u (RESKILL_TEST_SEED=%u reruns these rounds)\n", seed, seed);
  rng = g_rand_new_with_seed (seed);
  host = g_strdup (g_getenv ("RESKILL_TEST_PG_HOST"));
  dir = g_dir_make_tmp ("reskill-interrupted-XXXXXX", &error);
  g_assert_no_error (error);
  bank = rs_bank_new ();
  g_assert_true (rs_bank_load_dir (bank, g_getenv ("RESKILL_QUESTIONS_DIR"), &error));
  g_assert_no_error (error);

  postgres = rs_pg_connect (g_getenv ("RESKILL_TEST_PG"), &error);
  g_assert_no_error (error);
  g_assert_true (rs_pg_exec_script (postgres, "CREATE DATABASE reskill", &error));
  g_assert_no_error (error);
  super_info = conninfo_as ("postgres");
  super = rs_pg_connect (super_info, &error);
  g_assert_no_error (error);
  g_assert_true (rs_server_init (super, g_getenv ("RESKILL_TEST_PG_MODULE"), NULL, &error));
  g_assert_true (rs_server_add_bank (super, g_getenv ("RESKILL_QUESTIONS_DIR"), NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (people); i++)
    g_string_append_printf (csv, "%s,Person %s,Team %u,%s\n", people[i], people[i], i % 2,
                            i == 0 ? "admin" : i == 1 ? "manager" : "employee");
  csv_path = g_build_filename (dir, "people.csv", NULL);
  g_assert_true (g_file_set_contents (csv_path, csv->str, -1, &error));
  g_assert_true (rs_server_import_people (super, csv_path, FALSE, NULL, NULL, &error));
  g_assert_no_error (error);
  for (int i = 0; i < KIOSKS; i++)
    {
      g_autofree char *role = NULL;

      kiosks[i].path = g_strdup_printf ("%s/kiosk%d.db", dir, i);
      kiosks[i].store = rs_store_open (kiosks[i].path, &error);
      g_assert_no_error (error);
      g_assert_true (rs_server_enroll_kiosk (super, kiosks[i].store, NULL, NULL, &role, &error));
      g_assert_no_error (error);
      kiosks[i].conninfo = conninfo_as (role);
      kiosks[i].open = g_ptr_array_new_with_free_func (g_free);
      /* The people first, then a backlog to push. */
      g_assert_true (rs_sync (kiosks[i].store, kiosks[i].conninfo, NULL, NULL, &error));
      g_assert_no_error (error);
      for (int n = 0; n < 10; n++)
        work (&kiosks[i]);
    }
  g_clear_pointer (&super, rs_pg_close);
  g_clear_pointer (&postgres, rs_pg_close);

  g_test_add_func ("/sync/interrupted", test_interrupted);
  status = g_test_run ();

  for (int i = 0; i < KIOSKS; i++)
    {
      g_autofree char *key = g_strconcat (kiosks[i].path, ".key", NULL);
      g_autofree char *wal = g_strconcat (kiosks[i].path, "-wal", NULL);
      g_autofree char *shm = g_strconcat (kiosks[i].path, "-shm", NULL);

      rs_store_close (kiosks[i].store);
      g_remove (kiosks[i].path);
      g_remove (key);
      g_remove (wal);
      g_remove (shm);
      g_free (kiosks[i].path);
      g_free (kiosks[i].conninfo);
      g_ptr_array_unref (kiosks[i].open);
    }
  g_remove (csv_path);
  g_rmdir (dir);
  g_free (dir);
  g_free (host);
  rs_bank_free (bank);
  g_rand_free (rng);
  return status;
}
