/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The commands an administrator runs at a kiosk's terminal to look after
 * it: its signing key and the kiosks it trusts (reskill kiosk), the first
 * administrator's set-up code (reskill setup-code), lifting a sign-in lock
 * (reskill unlock) and the full integrity check (reskill check). Whoever
 * runs them owns the database file, so they act as the operator (viewer
 * NULL), as the other commands do. */
#include <stdio.h>
#include <string.h>

#include "rs-cli-commands.h"
#include "rs-error.h"
#include "rs-server.h"
#include "rs-store.h"
#include "rs-trust.h"

/* Opening creates a missing database: here that would only hide a typo. */
static RsStore *
open_existing (const char *command, const char *db_path, RsStoreOpenFlags flags)
{
  g_autoptr (GError) error = NULL;
  RsStore *store;

  if (db_path == NULL)
    {
      rs_cli_error (command, "--db FILE is required");
      return NULL;
    }
  if (!g_file_test (db_path, G_FILE_TEST_IS_REGULAR))
    {
      rs_cli_error (command, "%s: no such database", db_path);
      return NULL;
    }
  store = rs_store_open_full (db_path, flags, &error);
  if (store == NULL)
    rs_cli_error (command, "%s", error->message);
  return store;
}

static int
kiosk_show_key (RsStore *store, const char *output)
{
  g_autoptr (GError) error = NULL;

  printf ("kiosk %s\n", rs_store_kiosk_id (store));
  printf ("fingerprint %s\n", rs_store_key_fingerprint (store));
  if (output != NULL)
    {
      if (!rs_kiosk_key_write_public (rs_store_kiosk_key (store), output, &error))
        {
          rs_cli_error ("kiosk", "%s", error->message);
          return RS_EXIT_FAILURE;
        }
      printf ("public key written to %s\n", output);
    }
  return RS_EXIT_OK;
}

static int
kiosk_list (RsStore *store)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) list = rs_trust_list (store, NULL, &error);

  if (list == NULL)
    {
      rs_cli_error ("kiosk", "%s", error->message);
      return RS_EXIT_FAILURE;
    }
  printf ("%s  this kiosk\n", rs_store_key_fingerprint (store));
  for (guint i = 0; i < list->len; i++)
    {
      const RsTrustedKiosk *k = g_ptr_array_index (list, i);
      g_autoptr (GDateTime) when = g_date_time_new_from_unix_local ((k->revoked_at ? k->revoked_at : k->trusted_at)
                                                                    / G_USEC_PER_SEC);
      g_autofree char *date = g_date_time_format (when, "%Y-%m-%d");

      printf ("%s  %s %s%s%s\n", k->fingerprint, k->revoked_at ? "revoked" : "trusted", date,
              k->name != NULL ? "  " : "", k->name != NULL ? k->name : "");
    }
  return RS_EXIT_OK;
}

int
rs_cli_kiosk (int argc, char **argv)
{
  g_autofree char *db_path = NULL, *name = NULL, *output = NULL;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path, "The kiosk's database", "FILE" },
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, "trust: a name for the kiosk, shown in lists and messages", "NAME" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "show-key: also write the public key file", "KEYFILE" },
    { NULL },
  };
  g_autoptr (GOptionContext) context =
    g_option_context_new ("show-key|list|trust FINGERPRINT|KEYFILE|revoke FINGERPRINT|NAME - this kiosk's key and the "
                          "kiosks it trusts");
  g_autoptr (GError) error = NULL;
  g_autoptr (RsStore) store = NULL;
  g_autofree char *fingerprint = NULL;
  const char *verb;

  g_option_context_set_summary (context,
      "Results travel between kiosks signed with the sending kiosk's key; a kiosk\n"
      "imports them only from kiosks an administrator has trusted here.\n"
      "\n"
      "  show-key [--output KEYFILE]   this kiosk's fingerprint (and its public key file)\n"
      "  list                          the kiosks trusted here, revoked ones too\n"
      "  trust FINGERPRINT|KEYFILE [--name NAME]\n"
      "                                accept that kiosk's bundles: first compare the\n"
      "                                fingerprint with what show-key prints there\n"
      "  revoke FINGERPRINT|NAME       refuse its bundles from now on (a stolen or\n"
      "                                retired kiosk); results already imported stay");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!rs_cli_parse (context, "kiosk", &argc, &argv))
    return RS_EXIT_USAGE;
  if (argc < 2)
    {
      rs_cli_error ("kiosk", "say what to do: show-key, list, trust or revoke");
      return RS_EXIT_USAGE;
    }
  verb = argv[1];
  if ((g_str_equal (verb, "show-key") || g_str_equal (verb, "list")) ? argc != 2
      : (g_str_equal (verb, "trust") || g_str_equal (verb, "revoke")) ? argc != 3 : TRUE)
    {
      if (!g_str_equal (verb, "show-key") && !g_str_equal (verb, "list") && !g_str_equal (verb, "trust")
          && !g_str_equal (verb, "revoke"))
        rs_cli_error ("kiosk", "unknown action '%s': use show-key, list, trust or revoke", verb);
      else
        rs_cli_error ("kiosk", "%s takes %s", verb,
                      g_str_equal (verb, "trust") ? "one FINGERPRINT or KEYFILE"
                      : g_str_equal (verb, "revoke") ? "one FINGERPRINT or NAME" : "no argument");
      return RS_EXIT_USAGE;
    }
  store = open_existing ("kiosk", db_path, RS_STORE_OPEN_DEFAULT);
  if (store == NULL)
    return RS_EXIT_FAILURE;
  if (g_str_equal (verb, "show-key"))
    return kiosk_show_key (store, output);
  if (g_str_equal (verb, "list"))
    return kiosk_list (store);
  if (g_str_equal (verb, "trust"))
    {
      if (!rs_trust_kiosk (store, NULL, argv[2], name, &fingerprint, &error))
        {
          rs_cli_error ("kiosk", "%s", error->message);
          return RS_EXIT_FAILURE;
        }
      printf ("trusted %s%s%s\n", fingerprint, name != NULL ? " as " : "", name != NULL ? name : "");
      return RS_EXIT_OK;
    }
  if (!rs_trust_revoke (store, NULL, argv[2], &fingerprint, &error))
    {
      rs_cli_error ("kiosk", "%s", error->message);
      return RS_EXIT_FAILURE;
    }
  printf ("revoked %s: its bundles are refused from now on\n", fingerprint);
  return RS_EXIT_OK;
}

int
rs_cli_setup_code (int argc, char **argv)
{
  g_autofree char *db_path = NULL;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path, "The kiosk's database", "FILE" },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("- a one-time code to create the first administrator");
  g_autoptr (GError) error = NULL;
  g_autoptr (RsStore) store = NULL;
  g_autofree char *code = NULL;

  g_option_context_set_summary (context,
      "For a database that has people but no administrator (a people file without\n"
      "one was imported): prints a code, valid for an hour, that the kiosk's\n"
      "first-run page asks for. Only someone at this machine's terminal can read it,\n"
      "so a person walking up to the kiosk cannot make themselves administrator.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!rs_cli_parse (context, "setup-code", &argc, &argv))
    return RS_EXIT_USAGE;
  if (argc > 1)
    {
      rs_cli_error ("setup-code", "unexpected argument '%s'", argv[1]);
      return RS_EXIT_USAGE;
    }
  store = open_existing ("setup-code", db_path, RS_STORE_OPEN_DEFAULT);
  if (store == NULL)
    return RS_EXIT_FAILURE;
  if (rs_store_first_run (store) == RS_FIRST_RUN_NONE && rs_store_has_admin (store))
    {
      rs_cli_error ("setup-code", "%s has an administrator already: no set-up code is needed", db_path);
      return RS_EXIT_FAILURE;
    }
  if (!rs_store_create_setup_code (store, &code, &error))
    {
      rs_cli_error ("setup-code", "%s", error->message);
      return RS_EXIT_FAILURE;
    }
  printf ("set-up code %s (valid for %d minutes, %d tries)\n", code, RS_STORE_SETUP_CODE_MINUTES,
          RS_STORE_MAX_SETUP_CODE_TRIES);
  printf ("The kiosk shows the first-run page when it next returns to its start screen; type the code there.\n");
  return RS_EXIT_OK;
}

int
rs_cli_unlock (int argc, char **argv)
{
  g_autofree char *db_path = NULL, *conninfo = NULL;
  int password_fd = -1;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path, "The kiosk's database", "FILE" },
    { "server", 0, 0, G_OPTION_ARG_STRING, &conninfo,
      "Lift it on the organization's server instead: every kiosk lifts it at its next sync", "CONNINFO" },
    { "password-fd", 0, 0, G_OPTION_ARG_INT, &password_fd, "--server: read the password from this descriptor", "N" },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("EMPLOYEE_NO - lift a sign-in lock");
  g_autoptr (GError) error = NULL;
  g_autoptr (RsStore) store = NULL;
  gboolean was_locked = FALSE;

  g_option_context_set_summary (context,
      "Wrong PINs lock a number for a while. An administrator at the terminal lifts\n"
      "the lock and forgets the wrong tries, e.g. when someone kept their own admin\n"
      "number locked by guessing at the kiosk. The unlock is written to the audit log.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!rs_cli_parse (context, "unlock", &argc, &argv))
    return RS_EXIT_USAGE;
  if (argc != 2)
    {
      rs_cli_error ("unlock", "give one EMPLOYEE_NO");
      return RS_EXIT_USAGE;
    }
  if (conninfo != NULL)
    {
      g_autoptr (RsPg) pg = rs_cli_server_connect ("unlock", conninfo, password_fd, TRUE);

      if (pg == NULL)
        return RS_EXIT_FAILURE;
      if (!rs_server_unlock (pg, argv[1], &was_locked, &error))
        {
          rs_cli_error ("unlock", "%s", error->message);
          return RS_EXIT_FAILURE;
        }
      printf ("%s: %s on the server; kiosks lift it at their next sync\n", argv[1],
              was_locked ? "unlocked" : "was not locked there");
      return RS_EXIT_OK;
    }
  store = open_existing ("unlock", db_path, RS_STORE_OPEN_DEFAULT);
  if (store == NULL)
    return RS_EXIT_FAILURE;
  if (!rs_store_unlock (store, argv[1], &was_locked, &error))
    {
      rs_cli_error ("unlock", "%s", error->message);
      return RS_EXIT_FAILURE;
    }
  printf ("%s: %s\n", argv[1], was_locked ? "unlocked" : "was not locked; its wrong tries are forgotten");
  return RS_EXIT_OK;
}

int
rs_cli_check (int argc, char **argv)
{
  g_autofree char *db_path = NULL;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path, "The database", "FILE" },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("- read every page of the database and check it");
  g_autoptr (GError) error = NULL;
  g_autoptr (RsStore) store = NULL;
  g_autofree char *problem = NULL;

  g_option_context_set_summary (context,
      "The full integrity check (SQLite's quick_check): every page, b-tree and record.\n"
      "Opening a database checks only what is cheap; the kiosk runs this check at\n"
      "start once a week and after every import. A damaged database is refused by\n"
      "every command until a check passes again (restore it from a backup).\n"
      "Exit status 0: sound; 1: damaged or unreadable.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!rs_cli_parse (context, "check", &argc, &argv))
    return RS_EXIT_USAGE;
  if (argc > 1)
    {
      rs_cli_error ("check", "unexpected argument '%s'", argv[1]);
      return RS_EXIT_USAGE;
    }
  if (db_path == NULL)
    {
      rs_cli_error ("check", "--db FILE is required");
      return RS_EXIT_USAGE;
    }
  if (!g_file_test (db_path, G_FILE_TEST_IS_REGULAR))
    {
      rs_cli_error ("check", "%s: no such database", db_path);
      return RS_EXIT_FAILURE;
    }
  /* FULL_CHECK: the check runs before anything else, and a file that fails
   * it is refused with what was found. A read-only file is checked without
   * recording the verdict. */
  store = rs_store_open_full (db_path, RS_STORE_OPEN_FULL_CHECK, &error);
  if (store == NULL && g_error_matches (error, RS_ERROR, RS_ERROR_DB_READONLY))
    {
      g_clear_error (&error);
      store = rs_store_open_full (db_path, RS_STORE_OPEN_READ_ONLY | RS_STORE_OPEN_FULL_CHECK, &error);
    }
  if (store == NULL)
    {
      rs_cli_error ("check", "%s", error->message);
      return RS_EXIT_FAILURE;
    }
  if (!rs_store_check_integrity (store, &problem, &error))
    {
      rs_cli_error ("check", "%s", error->message);
      return RS_EXIT_FAILURE;
    }
  if (problem != NULL)
    {
      rs_cli_error ("check", "%s is damaged: %s", db_path, problem);
      return RS_EXIT_FAILURE;
    }
  printf ("%s: ok (schema version %d, kiosk %s)\n", db_path, rs_store_schema_version (store),
          rs_store_kiosk_id (store));
  return RS_EXIT_OK;
}
