/* SPDX-License-Identifier: GPL-3.0-or-later */
/* reskill sync: this kiosk's results to the organization's server, people
 * and settings from it (rs-sync.h). The server is --server, else the
 * GSettings key "server". */
#include <stdio.h>
#include <string.h>

#include "rs-cli-commands.h"
#include "rs-error.h"
#include "rs-i18n.h"
#include "rs-gsettings.h"
#include "rs-paths.h"
#include "rs-pg.h"
#include "rs-store.h"
#include "rs-sync.h"

static int
print_status (RsStore *store)
{
  g_autoptr (GError) error = NULL;
  RsSyncStatus status = { 0 };
  g_autofree char *text = NULL;

  if (!rs_sync_status (store, &status, &error))
    {
      rs_cli_error ("sync", "%s", error->message);
      return RS_EXIT_FAILURE;
    }
  text = rs_sync_status_describe (&status);
  printf ("%s\n", text);
  rs_sync_status_clear (&status);
  return RS_EXIT_OK;
}

int
rs_cli_sync (int argc, char **argv)
{
  g_autofree char *db_path = NULL, *conninfo = NULL;
  gboolean status_only = FALSE;
  int password_fd = -1;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path, N_("The kiosk's database (default: this user's)"), N_("FILE") },
    { "server", 0, 0, G_OPTION_ARG_STRING, &conninfo,
      N_("The server, a libpq connection string without a password (default: the GSettings key server)"), N_("CONNINFO") },
    { "password-fd", 0, 0, G_OPTION_ARG_INT, &password_fd,
      N_("Read the login's password from this file descriptor (when ~/.pgpass has none)"), N_("N") },
    { "status", 0, 0, G_OPTION_ARG_NONE, &status_only, N_("Only say how the last sync went and what waits"), NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new (_("- sync this kiosk with the organization's server"));
  g_autoptr (GError) error = NULL;
  g_autoptr (RsStore) store = NULL;
  g_autoptr (GSettings) settings = rs_gsettings_new ();
  g_autofree char *password = NULL;
  g_autofree char *description = NULL;
  RsSyncSummary summary = { 0 };
  RsSyncOptions options = { 0 };
  gboolean ok;

  g_option_context_set_summary (context,
      _("Pushes this kiosk's attempts, answers and results that changed since the\n"
      "last sync, each signed with its key and checked by the server as a bundle\n"
      "would be; pulls people, teams, PIN hashes, sign-in locks, kiosk settings,\n"
      "the enrolled kiosks and the calibration in force. Safe to interrupt and to\n"
      "run again: nothing is lost or sent twice. With the server out of reach the\n"
      "kiosk keeps working on its own database; the sync says so and exits 1.\n"
      "The kiosk logs in as its own role (reskill server enroll), its password in\n"
      "~/.pgpass."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!rs_cli_parse (context, "sync", &argc, &argv))
    return RS_EXIT_USAGE;
  if (argc > 1)
    {
      rs_cli_error ("sync", _("unexpected argument '%s'"), argv[1]);
      return RS_EXIT_USAGE;
    }
  if (db_path == NULL)
    db_path = rs_default_database_path ();
  if (!g_file_test (db_path, G_FILE_TEST_IS_REGULAR))
    {
      rs_cli_error ("sync", _("%s: no such database"), db_path);
      return RS_EXIT_FAILURE;
    }
  store = rs_store_open (db_path, &error);
  if (store == NULL)
    {
      rs_cli_error ("sync", "%s", error->message);
      return RS_EXIT_FAILURE;
    }
  if (status_only)
    return print_status (store);
  if (conninfo == NULL)
    conninfo = rs_sync_configured_server (settings);
  if (conninfo == NULL)
    {
      rs_cli_error ("sync", _("no server: give --server CONNINFO, or set the GSettings key io.github.reskill.Reskill "
                    "server (reskill server enroll prints it)"));
      return RS_EXIT_USAGE;
    }
  if (!rs_pg_conninfo_check (conninfo, &error))
    {
      rs_cli_error ("sync", "%s", error->message);
      return RS_EXIT_USAGE;
    }
  if (password_fd >= 0 && !rs_cli_read_secret ("Password: ", password_fd, &password, &error))
    {
      rs_cli_error ("sync", "%s", error->message);
      return RS_EXIT_FAILURE;
    }
  options.settings = settings;
  options.password = password;
  ok = rs_sync (store, conninfo, &options, &summary, &error);
  if (!ok)
    {
      g_autoptr (GError) status_error = NULL;
      RsSyncStatus status = { 0 };

      rs_cli_error ("sync", "%s", error->message);
      if (rs_pg_error_is_unreachable (error) && rs_sync_status (store, &status, &status_error))
        fprintf (stderr, g_dngettext (GETTEXT_PACKAGE,
                                      "reskill sync: this kiosk keeps working on %s; %d attempt waits for the next sync\n",
                                      "reskill sync: this kiosk keeps working on %s; %d attempts wait for the next sync\n",
                                      (unsigned long) status.waiting),
                 db_path, status.waiting);
      rs_sync_status_clear (&status);
      return RS_EXIT_FAILURE;
    }
  description = rs_sync_summary_describe (&summary);
  printf ("%s\n", description);
  rs_sync_summary_clear (&summary);
  return RS_EXIT_OK;
}
