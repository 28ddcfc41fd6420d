/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The organization's server through the real program (issue 13), against
 * the throwaway cluster of tests/with-pg-cluster.sh, with passwords
 * required (SCRAM) for everyone but the superuser:
 *
 * - server init twice; init as someone who is not a superuser is refused;
 * - a connection string with a password in it is refused (it would be in
 *   argv), and no server at all is a usage error;
 * - people imported into the server, a manager's login with a password
 *   given on a descriptor, a kiosk enrolled: its password goes to the
 *   pgpass file (mode 0600), and the kiosk syncs with it from there and
 *   fails, saying why, without it;
 * - report --server as the manager: their team, and the same refusal for
 *   a team they do not lead; item-stats --server only for an admin;
 * - a kiosk setting out of range is refused before connecting;
 * - the server stopped: sync exits 1 and says the kiosk keeps working;
 *   --status says so too; a newer schema is refused clearly. */
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rs-test-cli.h"

static char *dir;
static char *host;
static char *super_info;

static char *
conninfo_as (const char *user)
{
  return g_strdup_printf ("host=%s dbname=reskill user=%s", host, user);
}

/* The program with text on its standard input (for --password-fd 0). */
static int
reskill_input (Run *run, const char *input, ...)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  const char *arg;
  GPid pid;
  int in_fd, out_fd, err_fd, status = 0;
  va_list args;
  g_autoptr (GIOChannel) out = NULL, err = NULL;

  run_clear (run);
  g_ptr_array_add (argv, (gpointer) g_getenv ("RESKILL_BIN"));
  va_start (args, input);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_async_with_pipes (NULL, (char **) argv->pdata, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                                           &pid, &in_fd, &out_fd, &err_fd, &error));
  g_assert_no_error (error);
  g_assert_cmpint (write (in_fd, input, strlen (input)), ==, (gssize) strlen (input));
  close (in_fd);
  out = g_io_channel_unix_new (out_fd);
  err = g_io_channel_unix_new (err_fd);
  g_io_channel_set_close_on_unref (out, TRUE);
  g_io_channel_set_close_on_unref (err, TRUE);
  g_io_channel_read_to_end (out, &run->out, NULL, NULL);
  g_io_channel_read_to_end (err, &run->err, NULL, NULL);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFEXITED (status));
  run->status = WEXITSTATUS (status);
  return run->status;
}

static void
pg_ctl (const char *what)
{
  g_autofree char *command = g_strdup_printf ("%s %s", g_getenv ("RESKILL_TEST_PG_CTL"), what);
  g_autofree char *out = NULL, *err = NULL;
  int status = 0;

  g_assert_true (g_spawn_command_line_sync (command, &out, &err, &status, NULL));
  g_assert_true (g_spawn_check_wait_status (status, NULL));
}

static void
psql (const char *sql)
{
  const char *argv[] = { "psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", super_info, "-c", sql, NULL };
  g_autofree char *out = NULL, *err = NULL;
  int status = 0;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err, &status,
                               NULL));
  if (!g_spawn_check_wait_status (status, NULL))
    g_test_message ("psql: %s", err);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
}

static void
test_server_commands (void)
{
  Run run = { 0 };
  g_autofree char *people = g_build_filename (dir, "people.csv", NULL);
  g_autofree char *kiosk_db = g_build_filename (dir, "kiosk.db", NULL);
  g_autofree char *pgpass = g_build_filename (dir, "pgpass", NULL);
  g_autofree char *report = g_build_filename (dir, "team.csv", NULL);
  g_autofree char *manager = conninfo_as ("max");
  g_autofree char *with_password = g_strdup_printf ("%s password=secret", manager);
  g_autofree char *kiosk_info = NULL;
  g_autofree char *csv = NULL;
  GStatBuf st;

  /* Set up, twice. */
  g_assert_cmpint (reskill (&run, "server", "init", "--server", super_info, "--module",
                            g_getenv ("RESKILL_TEST_PG_MODULE"), NULL), ==, 0);
  g_assert_nonnull (strstr (run.out, "made the Reskill schema"));
  g_assert_nonnull (strstr (run.out, "question bank"));
  g_assert_cmpint (reskill (&run, "server", "init", "--server", super_info, "--module",
                            g_getenv ("RESKILL_TEST_PG_MODULE"), NULL), ==, 0);
  g_assert_nonnull (strstr (run.out, "already"));
  g_assert_cmpint (reskill (&run, "server", "migrate", "--server", super_info, "--no-bank", NULL), ==, 0);
  g_assert_nonnull (strstr (run.out, "nothing to do"));

  /* People, a manager's login with a password, a kiosk. */
  g_assert_true (g_file_set_contents (people, "employee_no,name,team,role\n1000,Ada Admin,,admin\n"
                                      "2000,Max Manager,Platform,manager\n3001,Eve,Platform,employee\n"
                                      "3002,Bo,Data,employee\n", -1, NULL));
  g_assert_cmpint (reskill (&run, "import-people", "--server", super_info, people, NULL), ==, 0);
  g_assert_nonnull (strstr (run.out, "added 4"));
  g_assert_nonnull (strstr (run.out, "2000 "));
  g_assert_cmpint (reskill_input (&run, "manager-password\n", "server", "add-login", "--server", super_info,
                                  "--employee", "2000", "--role", "max", "--password-fd", "0", NULL), ==, 0);
  g_assert_cmpint (reskill_input (&run, "admin-password\n", "server", "add-login", "--server", super_info,
                                  "--employee", "1000", "--role", "ada", "--password-fd", "0", NULL), ==, 0);
  g_assert_cmpint (reskill (&run, "import-people", "--db", kiosk_db, people, NULL), ==, 0);
  g_setenv ("PGPASSFILE", pgpass, TRUE);
  g_assert_cmpint (reskill (&run, "server", "enroll", "--server", super_info, "--db", kiosk_db, "--name",
                            "Break room", NULL), ==, 0);
  g_assert_nonnull (strstr (run.out, "enrolled kiosk"));
  g_assert_cmpint (g_stat (pgpass, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  kiosk_info = g_strstrip (g_strdup (strstr (run.out, "\nserver ") + strlen ("\nserver ")));
  /* The kiosk's password is in the pgpass file, not in its connection string. */
  g_assert_null (strstr (kiosk_info, "password"));

  /* Not a superuser: no init. */
  {
    g_autofree char *admin = conninfo_as ("ada");
    g_autofree char *admin_pgpass = g_strdup_printf ("%s:5432:reskill:ada:admin-password\n", host);

    g_assert_true (g_file_set_contents (pgpass, admin_pgpass, -1, NULL));
    g_chmod (pgpass, 0600);
    g_assert_cmpint (reskill (&run, "server", "init", "--server", admin, "--no-bank", NULL), ==, 1);
    g_assert_nonnull (strstr (run.err, "superuser"));
  }
  /* Put the kiosk's line back: enroll again gives it a new password. */
  g_assert_cmpint (reskill (&run, "server", "enroll", "--server", super_info, "--db", kiosk_db, NULL), ==, 0);

  /* A password in the connection string, or no server: refused. */
  g_assert_cmpint (reskill (&run, "sync", "--db", kiosk_db, "--server", with_password, NULL), ==, 2);
  g_assert_nonnull (strstr (run.err, "~/.pgpass"));
  g_assert_cmpint (reskill (&run, "sync", "--db", kiosk_db, NULL), ==, 2);
  g_assert_nonnull (strstr (run.err, "no server"));

  /* The kiosk syncs with its password from the pgpass file... */
  g_assert_cmpint (reskill (&run, "take", "--db", kiosk_db, "--skills", "python", "--mode", "quick", "--auto-answer",
                            "random", "--seed", "5", NULL), ==, 0);
  g_assert_cmpint (reskill (&run, "sync", "--db", kiosk_db, "--server", kiosk_info, NULL), ==, 0);
  g_assert_nonnull (strstr (run.out, "pushed 1 attempt (1 added"));
  g_assert_cmpint (reskill (&run, "sync", "--db", kiosk_db, "--status", NULL), ==, 0);
  g_assert_nonnull (strstr (run.out, "Synced"));
  /* ...and without it is refused, saying why. */
  g_setenv ("PGPASSFILE", "/nonexistent", TRUE);
  g_assert_cmpint (reskill_input (&run, "", "sync", "--db", kiosk_db, "--server", kiosk_info, NULL), ==, 1);
  g_assert_nonnull (strstr (run.err, "~/.pgpass"));

  /* Reports as the manager: a wrong password is refused; the right one on
   * a descriptor, or in the pgpass file, works. */
  g_assert_cmpint (reskill_input (&run, "wrong-password\n", "report", "--server", manager, "--team", "Platform",
                                  "--format", "csv", "--output", report, "--password-fd", "0", NULL), ==, 1);
  g_assert_nonnull (strstr (run.err, "password authentication failed"));
  g_assert_cmpint (reskill_input (&run, "manager-password\n", "report", "--server", manager, "--team", "Platform",
                                  "--format", "csv", "--output", report, "--password-fd", "0", NULL), ==, 0);
  {
    g_autofree char *line = g_strdup_printf ("%s:*:reskill:max:manager-password\n", host);
    g_autofree char *manager_pgpass = g_build_filename (dir, "manager-pgpass", NULL);

    g_assert_true (g_file_set_contents (manager_pgpass, line, -1, NULL));
    g_chmod (manager_pgpass, 0600);
    g_setenv ("PGPASSFILE", manager_pgpass, TRUE);
  }
  g_assert_cmpint (reskill (&run, "report", "--server", manager, "--team", "Platform", "--format", "csv", "--output",
                            report, NULL), ==, 0);
  g_assert_true (g_file_get_contents (report, &csv, NULL, NULL));
  g_assert_nonnull (strstr (csv, "3001,Eve,"));
  g_assert_null (strstr (csv, "3002"));
  g_assert_cmpint (reskill (&run, "report", "--server", manager, "--team", "Data", "--format", "csv", "--output",
                            report, NULL), ==, 1);
  g_assert_nonnull (strstr (run.err, "You can only see the teams you lead."));
  g_assert_cmpint (reskill (&run, "item-stats", "--server", manager, NULL), ==, 1);
  g_assert_nonnull (strstr (run.err, "Only an administrator"));

  /* A setting out of range: refused before connecting. */
  g_assert_cmpint (reskill (&run, "server", "set", "kiosk-idle-timeout", "5", "--server", super_info, NULL), ==, 2);
  g_assert_nonnull (strstr (run.err, "kiosk-idle-timeout"));
  g_assert_cmpint (reskill (&run, "server", "set", "kiosk-idle-timeout", "240", "--server", super_info, NULL), ==, 0);
  g_assert_cmpint (reskill (&run, "server", "status", "--server", super_info, NULL), ==, 0);
  g_assert_nonnull (strstr (run.out, "Break room"));
  g_assert_nonnull (strstr (run.out, "schema version 2"));

  /* The privacy policy on the server (issue 14): set there, taken by the
   * kiosk at its next sync; bad input refused with nothing changed. */
  {
    g_autofree char *wording = g_build_filename (dir, "wording.txt", NULL);

    g_assert_true (g_file_set_contents (wording, "Questions: works-council@example.com\n", -1, NULL));
    g_assert_cmpint (reskill (&run, "privacy", "set", "--server", super_info, "--visibility", "full",
                              "--min-group", "3", NULL), ==, 0);
    g_assert_nonnull (strstr (run.out, "in force on the server"));
    g_assert_cmpint (reskill (&run, "privacy", "set", "--server", super_info, "--min-group", "1", NULL), ==, 1);
    g_assert_nonnull (strstr (run.err, "smallest group"));
    g_assert_cmpint (reskill (&run, "privacy", "set", "--server", super_info, "--db", kiosk_db, "--min-group", "4",
                              NULL), ==, 2);
    g_assert_nonnull (strstr (run.err, "one of them"));
    g_assert_cmpint (reskill (&run, "privacy", "set", "--server", super_info, "--team", "No such team",
                              "--visibility", "aggregates", NULL), ==, 1);
    g_assert_cmpint (reskill (&run, "privacy", "set", "--server", super_info, "--team", "Data", "--visibility",
                              "aggregates", NULL), ==, 0);
    g_assert_cmpint (reskill (&run, "privacy", "wording", "--server", super_info, wording, NULL), ==, 0);
    g_assert_nonnull (strstr (run.out, "set on the server"));
    g_setenv ("PGPASSFILE", pgpass, TRUE);
    g_assert_cmpint (reskill (&run, "sync", "--db", kiosk_db, "--server", kiosk_info, NULL), ==, 0);
    g_assert_nonnull (strstr (run.out, "privacy policy taken from the server"));
    g_assert_cmpint (reskill (&run, "privacy", "show", "--db", kiosk_db, NULL), ==, 0);
    g_assert_nonnull (strstr (run.out, "visibility: full"));
    g_assert_nonnull (strstr (run.out, "smallest group shown: 3"));
    g_assert_nonnull (strstr (run.out, "team Data: aggregates"));
    /* The manager's CSV export above named Eve: she (or an administrator)
     * reads who looked, on the server. */
    g_assert_cmpint (reskill (&run, "who-looked", "--server", super_info, "3001", NULL), ==, 1);
    g_assert_nonnull (strstr (run.err, "only the person themselves or an administrator"));
    {
      g_autofree char *admin = conninfo_as ("ada");
      g_autofree char *admin_pgpass = g_build_filename (dir, "admin-pgpass", NULL);
      g_autofree char *line = g_strdup_printf ("%s:*:reskill:ada:admin-password\n", host);

      g_assert_true (g_file_set_contents (admin_pgpass, line, -1, NULL));
      g_chmod (admin_pgpass, 0600);
      g_setenv ("PGPASSFILE", admin_pgpass, TRUE);
      g_assert_cmpint (reskill (&run, "who-looked", "--server", admin, "3001", NULL), ==, 0);
      g_assert_nonnull (strstr (run.out, "Max Manager"));
      g_assert_cmpint (reskill (&run, "retention", "--server", admin, "--dry-run", NULL), ==, 0);
      g_assert_nonnull (strstr (run.out, "would delete 0 attempts"));
    }
  }

  /* The server stopped: the kiosk keeps working and says so. */
  g_setenv ("PGPASSFILE", pgpass, TRUE);
  pg_ctl ("stop -m fast");
  g_assert_cmpint (reskill (&run, "take", "--db", kiosk_db, "--skills", "python", "--mode", "quick", "--auto-answer",
                            "random", "--seed", "6", NULL), ==, 0);
  g_assert_cmpint (reskill (&run, "sync", "--db", kiosk_db, "--server", kiosk_info, NULL), ==, 1);
  g_assert_nonnull (strstr (run.err, "cannot be reached"));
  g_assert_nonnull (strstr (run.err, "keeps working"));
  g_assert_nonnull (strstr (run.err, "1 attempt wait"));
  g_assert_cmpint (reskill (&run, "sync", "--db", kiosk_db, "--status", NULL), ==, 0);
  g_assert_nonnull (strstr (run.out, "Server unreachable"));
  pg_ctl ("start");
  g_assert_cmpint (reskill (&run, "sync", "--db", kiosk_db, "--server", kiosk_info, NULL), ==, 0);
  g_assert_nonnull (strstr (run.out, "1 added"));

  /* A server made by a newer Reskill: refused, nothing changed. */
  psql ("UPDATE reskill.server_info SET schema_version = 7");
  g_assert_cmpint (reskill (&run, "sync", "--db", kiosk_db, "--server", kiosk_info, NULL), ==, 1);
  g_assert_nonnull (strstr (run.err, "schema version 7, made by a newer Reskill"));
  g_assert_cmpint (reskill (&run, "server", "migrate", "--server", super_info, "--no-bank", NULL), ==, 1);
  g_assert_nonnull (strstr (run.err, "newer Reskill"));
  psql ("UPDATE reskill.server_info SET schema_version = 2");
  run_clear (&run);
}

int
main (int argc, char **argv)
{
  g_autofree char *hba = NULL;
  g_autofree char *postgres_info = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  if (g_getenv ("RESKILL_TEST_PG") == NULL)
    {
      g_test_skip ("no PostgreSQL cluster: run through tests/with-pg-cluster.sh");
      return 77;
    }
  host = g_strdup (g_getenv ("RESKILL_TEST_PG_HOST"));
  dir = g_dir_make_tmp ("reskill-cli-server-XXXXXX", NULL);
  g_assert_nonnull (dir);
  super_info = conninfo_as ("postgres");
  postgres_info = g_strdup (g_getenv ("RESKILL_TEST_PG"));
  /* Passwords for every login but the superuser's, as a real server has. */
  hba = g_build_filename (g_getenv ("RESKILL_TEST_PG_DIR"), "pg", "data", "pg_hba.conf", NULL);
  g_assert_true (g_file_set_contents (hba, "local all postgres trust\nlocal all all scram-sha-256\n", -1, NULL));
  pg_ctl ("reload");
  {
    const char *create[] = { "psql", "-X", "-q", postgres_info, "-c", "CREATE DATABASE reskill", NULL };
    int wait_status = 0;

    g_assert_true (g_spawn_sync (NULL, (char **) create, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL, NULL,
                                 NULL, NULL, NULL, &wait_status, NULL));
    g_assert_true (g_spawn_check_wait_status (wait_status, NULL));
  }
  g_test_add_func ("/cli-server/commands", test_server_commands);
  status = g_test_run ();
  {
    g_autoptr (GDir) handle = g_dir_open (dir, 0, NULL);
    const char *name;

    while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
      {
        g_autofree char *path = g_build_filename (dir, name, NULL);
        g_remove (path);
      }
    g_rmdir (dir);
  }
  g_free (dir);
  g_free (host);
  g_free (super_info);
  return status;
}
