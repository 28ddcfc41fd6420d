/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Pulling the plug loses nothing that was answered. `reskill take
 * --auto-answer random` is killed with SIGKILL at random moments, again and
 * again; after each kill every answer it reported ("answered UUID SEQ ITEM")
 * must be in the database, the database must pass integrity_check, and the
 * resumed attempt must continue at the question that was on screen. */
#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <poll.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define N_KILLS 50

typedef struct {
  char *uuid;
  int seq;
  char *item_id;
} Reported;

static void
reported_free (gpointer data)
{
  Reported *r = data;
  g_free (r->uuid);
  g_free (r->item_id);
  g_free (r);
}

/* Starts reskill with stdout on a pipe; returns its pid. */
static pid_t
spawn (const char *const *argv, int *out_fd)
{
  int fds[2];
  pid_t pid;

  g_assert_cmpint (pipe (fds), ==, 0);
  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      int null = open ("/dev/null", O_WRONLY);
      dup2 (fds[1], STDOUT_FILENO);
      dup2 (null, STDERR_FILENO);
      close (fds[0]);
      close (fds[1]);
      execv (argv[0], (char **) argv);
      _exit (127);
    }
  close (fds[1]);
  *out_fd = fds[0];
  return pid;
}

/* Counts the complete "answered" lines in what was read so far. */
static int
count_answers (const GString *output)
{
  int n = 0;
  for (const char *p = output->str; (p = strstr (p, "answered ")) != NULL; p++)
    if (strchr (p, '\n') != NULL && (p == output->str || p[-1] == '\n'))
      n++;
  return n;
}

/* Reads the child's output and kills it with SIGKILL when kill_after_ms
 * has passed or, when kill_after_answers >= 0, that many answers have been
 * reported, plus extra_us (the child keeps working meanwhile, so the kill
 * lands anywhere in its next answer, commit included). Then reads what is
 * left in the pipe. Returns TRUE when it was killed (FALSE when it finished
 * first). Only complete lines count: a line cut by the kill was not reported. */
static gboolean
run_and_kill (const char *const *argv, int kill_after_ms, int kill_after_answers, int extra_us,
              GString *output)
{
  int fd, status = 0;
  pid_t pid = spawn (argv, &fd);
  gint64 deadline = g_get_monotonic_time () + (gint64) kill_after_ms * 1000;
  gboolean killed = FALSE;
  char buf[4096];

  for (;;)
    {
      gint64 left = (deadline - g_get_monotonic_time ()) / 1000;
      struct pollfd pfd = { fd, POLLIN, 0 };
      ssize_t n;

      if (left <= 0 || (kill_after_answers >= 0 && count_answers (output) >= kill_after_answers))
        {
          g_usleep (extra_us);
          killed = kill (pid, SIGKILL) == 0;
          break;
        }
      if (poll (&pfd, 1, (int) left) <= 0)
        continue;
      n = read (fd, buf, sizeof buf);
      if (n <= 0)
        break;   /* finished on its own */
      g_string_append_len (output, buf, n);
    }
  for (ssize_t n; (n = read (fd, buf, sizeof buf)) > 0;)
    g_string_append_len (output, buf, n);
  close (fd);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  /* If it exited before the kill landed, it was not killed after all, and
   * then it must have succeeded. */
  if (killed && WIFSIGNALED (status))
    return TRUE;
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
  return FALSE;
}

static void
parse_reported (const char *output, GPtrArray *reported, char **finished_uuid)
{
  g_auto (GStrv) lines = g_strsplit (output, "\n", -1);
  int n = (int) g_strv_length (lines);

  /* The last element is whatever followed the final newline: incomplete. */
  for (int i = 0; i < n - 1; i++)
    {
      g_auto (GStrv) words = g_strsplit (lines[i], " ", -1);
      if (g_strv_length (words) == 4 && g_str_equal (words[0], "answered"))
        {
          Reported *r = g_new0 (Reported, 1);
          r->uuid = g_strdup (words[1]);
          r->seq = atoi (words[2]);
          r->item_id = g_strdup (words[3]);
          g_ptr_array_add (reported, r);
        }
      else if (g_strv_length (words) == 2 && g_str_equal (words[0], "finished"))
        *finished_uuid = g_strdup (words[1]);
    }
}

static char *
query_text (sqlite3 *db, const char *sql, const char *arg)
{
  sqlite3_stmt *stmt = NULL;
  char *value = NULL;

  /* A database killed while being created may have no tables yet: then
   * there is no value, which the callers' assertions judge. */
  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    return NULL;
  if (arg != NULL)
    sqlite3_bind_text (stmt, 1, arg, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_text (stmt, 0) != NULL)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return value;
}

static void
test_kill_and_resume (void)
{
  g_autofree char *dir = g_dir_make_tmp ("reskill-durability-XXXXXX", NULL);
  g_autofree char *db_path = g_build_filename (dir, "kiosk.db", NULL);
  g_autofree char *questions = g_build_filename (g_getenv ("RESKILL_SOURCE_ROOT"), "questions", NULL);
  g_autofree char *roles = g_build_filename (g_getenv ("RESKILL_SOURCE_ROOT"), "data", "roles.yaml", NULL);
  const char *seed_env = g_getenv ("RESKILL_TEST_SEED");
  guint32 base_seed = seed_env && *seed_env ? (guint32) g_ascii_strtoull (seed_env, NULL, 10) : (guint32) g_test_rand_int ();
  g_autoptr (GRand) rand = g_rand_new_with_seed (base_seed);
  g_autofree char *uuid = NULL;
  int kills = 0, runs = 0, total_reported = 0, attempts = 0, full_run_ms;

  /* Printed first, so that a failure can be replayed exactly. */
  g_test_message ("seed %u: rerun with RESKILL_TEST_SEED=%u meson test -C build durability", base_seed, base_seed);

  /* How long one whole attempt takes here (a sanitizer build is many times
   * slower): kill moments are spread over that span, start-up included. */
  {
    g_autofree char *calibration_db = g_build_filename (dir, "calibration.db", NULL);
    const char *argv[] = { g_getenv ("RESKILL_BIN"), "take", "--db", calibration_db, "--questions", questions,
                           "--roles", roles, "--skills", "all", "--mode", "precise", "--auto-answer", "random",
                           "--seed", "1", NULL };
    g_autoptr (GString) output = g_string_new (NULL);
    gint64 start = g_get_monotonic_time ();

    g_assert_false (run_and_kill (argv, 600000, -1, 0, output));
    full_run_ms = (int) ((g_get_monotonic_time () - start) / 1000);
    g_test_message ("one whole attempt takes %d ms", full_run_ms);
    for (const char *const *suffix = (const char *const[]) { "", "-wal", "-shm", NULL }; *suffix; suffix++)
      {
        g_autofree char *file = g_strconcat (calibration_db, *suffix, NULL);
        g_remove (file);
      }
  }

  while (kills < N_KILLS)
    {
      g_autoptr (GPtrArray) reported = g_ptr_array_new_with_free_func (reported_free);
      g_autoptr (GString) output = g_string_new (NULL);
      g_autofree char *seed = g_strdup_printf ("%d", g_rand_int_range (rand, 1, 1000000));
      g_autofree char *finished = NULL;
      g_autofree char *expected_item = NULL;
      int expected_seq = 1;
      sqlite3 *db = NULL;
      gboolean killed;

      /* What the resumed run must start with: the stored pending item. A
       * kill just after the results were written (before "finished" was
       * printed) leaves a finished attempt: then start a new one. */
      if (uuid != NULL)
        {
          g_autofree char *count = NULL;
          g_autofree char *status = NULL;
          g_assert_cmpint (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
          expected_item = query_text (db, "SELECT pending_item_id FROM attempts WHERE uuid = ?", uuid);
          count = query_text (db, "SELECT count(*) FROM responses WHERE attempt_id = ?", uuid);
          status = query_text (db, "SELECT status FROM attempts WHERE uuid = ?", uuid);
          expected_seq = count ? atoi (count) + 1 : 1;
          sqlite3_close (db);
          if (g_strcmp0 (status, "finished") == 0)
            {
              g_clear_pointer (&uuid, g_free);
              attempts++;
            }
        }

      {
        const char *start[] = { g_getenv ("RESKILL_BIN"), "take", "--db", db_path, "--questions", questions,
                                "--roles", roles, "--skills", "all", "--mode", "precise", "--auto-answer",
                                "random", "--seed", seed, NULL };
        const char *resume[] = { g_getenv ("RESKILL_BIN"), "take", "--db", db_path, "--questions", questions,
                                 "--roles", roles, "--resume", uuid, "--auto-answer", "random", "--seed", seed,
                                 NULL };
        /* A quarter of the kills fall at a random time, start-up included;
         * the rest after a random number of answers plus up to 3 ms, which
         * lands inside the next answer's work or commit whatever the speed
         * of the build (a sanitizer build starts many times slower). */
        if (g_rand_int_range (rand, 0, 4) == 0)
          killed = run_and_kill (uuid ? resume : start, g_rand_int_range (rand, 2, MAX (full_run_ms, 20)), -1, 0, output);
        else
          killed = run_and_kill (uuid ? resume : start, 600000, g_rand_int_range (rand, 0, 25),
                                 g_rand_int_range (rand, 0, 3000), output);
      }
      runs++;
      parse_reported (output->str, reported, &finished);
      total_reported += reported->len;

      if (!g_file_test (db_path, G_FILE_TEST_EXISTS))
        {
          /* Killed before the database was even created. */
          g_assert_cmpuint (reported->len, ==, 0);
          kills += killed;
          continue;
        }
      /* Opened for writing, as the restarted program opens it: a kill during
       * the first migration leaves a hot rollback journal that only a writer
       * may roll back (a read-only connection would see SQLITE_READONLY). */
      g_assert_cmpint (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
      {
        g_autofree char *integrity = query_text (db, "PRAGMA integrity_check", NULL);
        g_assert_cmpstr (integrity, ==, "ok");
      }
      for (guint i = 0; i < reported->len; i++)
        {
          const Reported *r = g_ptr_array_index (reported, i);
          g_autofree char *sql_seq = g_strdup_printf ("SELECT item_id FROM responses WHERE attempt_id = ? AND seq = %d", r->seq);
          g_autofree char *stored = query_text (db, sql_seq, r->uuid);
          /* Every reported answer is there, with the item it answered. */
          g_assert_cmpstr (stored, ==, r->item_id);
          if (i == 0 && uuid != NULL && g_str_equal (r->uuid, uuid))
            {
              g_assert_cmpint (r->seq, ==, expected_seq);
              g_assert_cmpstr (r->item_id, ==, expected_item);
            }
        }
      if (reported->len > 0 && uuid == NULL)
        uuid = g_strdup (((Reported *) g_ptr_array_index (reported, 0))->uuid);
      if (uuid == NULL)
        {
          /* Killed before the first answer: the attempt, if it was created,
           * is the newest one in progress. */
          uuid = query_text (db, "SELECT uuid FROM attempts WHERE status = 'in_progress' "
                                 "ORDER BY started_at DESC LIMIT 1", NULL);
        }
      sqlite3_close (db);

      if (killed)
        kills++;
      if (finished != NULL)
        {
          /* This attempt is complete: start a new one. */
          g_clear_pointer (&uuid, g_free);
          attempts++;
        }
      g_assert_cmpint (runs, <, 20 * N_KILLS);
    }
  g_test_message ("%d kills in %d runs, %d answers reported, %d attempts finished", kills, runs,
                  total_reported, attempts);
  g_assert_cmpint (total_reported, >, N_KILLS);

  for (const char *const *suffix = (const char *const[]) { "", "-wal", "-shm", NULL }; *suffix; suffix++)
    {
      g_autofree char *file = g_strconcat (db_path, *suffix, NULL);
      g_remove (file);
    }
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/durability/kill-and-resume", test_kill_and_resume);
  return g_test_run ();
}
