/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The commands an administrator runs at a kiosk's terminal to look after
 * it: its signing key and the kiosks it trusts (reskill kiosk), the first
 * administrator's set-up code (reskill setup-code), lifting a sign-in lock
 * (reskill unlock) and the full integrity check (reskill check). Whoever
 * runs them owns the database file, so they act as the operator (viewer
 * NULL), as the other commands do. */
#include <glib/gi18n-lib.h>
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
      rs_cli_error (command, _("--db FILE is required"));
      return NULL;
    }
  if (!g_file_test (db_path, G_FILE_TEST_IS_REGULAR))
    {
      rs_cli_error (command, _("%s: no such database"), db_path);
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

  /* "key value" lines that scripts read: the same in every language. */
  printf ("kiosk %s\n", rs_store_kiosk_id (store));
  printf ("fingerprint %s\n", rs_store_key_fingerprint (store));
  if (output != NULL)
    {
      if (!rs_kiosk_key_write_public (rs_store_kiosk_key (store), output, &error))
        {
          rs_cli_error ("kiosk", "%s", error->message);
          return RS_EXIT_FAILURE;
        }
      printf (_("public key written to %s\n"), output);
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
  printf ("%s  %s\n", rs_store_key_fingerprint (store), _("this kiosk"));
  for (guint i = 0; i < list->len; i++)
    {
      const RsTrustedKiosk *k = g_ptr_array_index (list, i);
      g_autoptr (GDateTime) when = g_date_time_new_from_unix_local ((k->revoked_at ? k->revoked_at : k->trusted_at)
                                                                    / G_USEC_PER_SEC);
      g_autofree char *date = g_date_time_format (when, "%Y-%m-%d");

      /* Translators: a kiosk's state in `reskill kiosk list`, before the date. */
      printf ("%s  %s %s%s%s\n", k->fingerprint, k->revoked_at ? _("revoked") : _("trusted"), date,
              k->name != NULL ? "  " : "", k->name != NULL ? k->name : "");
    }
  return RS_EXIT_OK;
}

int
rs_cli_kiosk (int argc, char **argv)
{
  g_autofree char *db_path = NULL, *name = NULL, *output = NULL;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path, N_("The kiosk's database"), N_("FILE") },
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_("trust: a name for the kiosk, shown in lists and messages"), N_("NAME") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("show-key: also write the public key file"), N_("KEYFILE") },
    { NULL },
  };
  g_autoptr (GOptionContext) context =
    g_option_context_new (_("show-key|list|trust FINGERPRINT|KEYFILE|revoke FINGERPRINT|NAME - this kiosk's key and the "
                          "kiosks it trusts"));
  g_autoptr (GError) error = NULL;
  g_autoptr (RsStore) store = NULL;
  g_autofree char *fingerprint = NULL;
  const char *verb;

  g_option_context_set_summary (context,
      _("Results travel between kiosks signed with the sending kiosk's key; a kiosk\n"
      "imports them only from kiosks an administrator has trusted here.\n"
      "\n"
      "  show-key [--output KEYFILE]   this kiosk's fingerprint (and its public key file)\n"
      "  list                          the kiosks trusted here, revoked ones too\n"
      "  trust FINGERPRINT|KEYFILE [--name NAME]\n"
      "                                accept that kiosk's bundles: first compare the\n"
      "                                fingerprint with what show-key prints there\n"
      "  revoke FINGERPRINT|NAME       refuse its bundles from now on (a stolen or\n"
      "                                retired kiosk); results already imported stay"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!rs_cli_parse (context, "kiosk", &argc, &argv))
    return RS_EXIT_USAGE;
  if (argc < 2)
    {
      rs_cli_error ("kiosk", _("say what to do: show-key, list, trust or revoke"));
      return RS_EXIT_USAGE;
    }
  verb = argv[1];
  if ((g_str_equal (verb, "show-key") || g_str_equal (verb, "list")) ? argc != 2
      : (g_str_equal (verb, "trust") || g_str_equal (verb, "revoke")) ? argc != 3 : TRUE)
    {
      if (!g_str_equal (verb, "show-key") && !g_str_equal (verb, "list") && !g_str_equal (verb, "trust")
          && !g_str_equal (verb, "revoke"))
        rs_cli_error ("kiosk", _("unknown action '%s': use show-key, list, trust or revoke"), verb);
      else
        rs_cli_error ("kiosk", "%s",
                      g_str_equal (verb, "trust") ? _("trust takes one FINGERPRINT or KEYFILE")
                      : g_str_equal (verb, "revoke") ? _("revoke takes one FINGERPRINT or NAME")
                      : g_str_equal (verb, "list") ? _("list takes no argument") : _("show-key takes no argument"));
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
      if (name != NULL)
        printf (_("trusted %s as %s\n"), fingerprint, name);
      else
        printf (_("trusted %s\n"), fingerprint);
      return RS_EXIT_OK;
    }
  if (!rs_trust_revoke (store, NULL, argv[2], &fingerprint, &error))
    {
      rs_cli_error ("kiosk", "%s", error->message);
      return RS_EXIT_FAILURE;
    }
  printf (_("revoked %s: its bundles are refused from now on\n"), fingerprint);
  return RS_EXIT_OK;
}

int
rs_cli_setup_code (int argc, char **argv)
{
  g_autofree char *db_path = NULL;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path, N_("The kiosk's database"), N_("FILE") },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new (_("- a one-time code to create the first administrator"));
  g_autoptr (GError) error = NULL;
  g_autoptr (RsStore) store = NULL;
  g_autofree char *code = NULL;

  g_option_context_set_summary (context,
      _("For a database that has people but no administrator (a people file without\n"
      "one was imported): prints a code, valid for an hour, that the kiosk's\n"
      "first-run page asks for. Only someone at this machine's terminal can read it,\n"
      "so a person walking up to the kiosk cannot make themselves administrator."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!rs_cli_parse (context, "setup-code", &argc, &argv))
    return RS_EXIT_USAGE;
  if (argc > 1)
    {
      rs_cli_error ("setup-code", _("unexpected argument '%s'"), argv[1]);
      return RS_EXIT_USAGE;
    }
  store = open_existing ("setup-code", db_path, RS_STORE_OPEN_DEFAULT);
  if (store == NULL)
    return RS_EXIT_FAILURE;
  if (rs_store_first_run (store) == RS_FIRST_RUN_NONE && rs_store_has_admin (store))
    {
      rs_cli_error ("setup-code", _("%s has an administrator already: no set-up code is needed"), db_path);
      return RS_EXIT_FAILURE;
    }
  if (!rs_store_create_setup_code (store, &code, &error))
    {
      rs_cli_error ("setup-code", "%s", error->message);
      return RS_EXIT_FAILURE;
    }
  {
    g_autofree char *minutes = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "valid for %d minute",
                                                             "valid for %d minutes", RS_STORE_SETUP_CODE_MINUTES),
                                                RS_STORE_SETUP_CODE_MINUTES);
    g_autofree char *tries = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d try", "%d tries",
                                                           RS_STORE_MAX_SETUP_CODE_TRIES),
                                              RS_STORE_MAX_SETUP_CODE_TRIES);

    /* Translators: the code, "valid for 30 minutes" and "5 tries". */
    printf (_("set-up code %s (%s, %s)\n"), code, minutes, tries);
  }
  printf ("%s\n", _("The kiosk shows the first-run page when it next returns to its start screen; type the code there."));
  return RS_EXIT_OK;
}

int
rs_cli_unlock (int argc, char **argv)
{
  g_autofree char *db_path = NULL, *conninfo = NULL;
  int password_fd = -1;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path, N_("The kiosk's database"), N_("FILE") },
    { "server", 0, 0, G_OPTION_ARG_STRING, &conninfo,
      N_("Lift it on the organization's server instead: every kiosk lifts it at its next sync"), N_("CONNINFO") },
    { "password-fd", 0, 0, G_OPTION_ARG_INT, &password_fd, N_("--server: read the password from this descriptor"), N_("N") },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new (_("EMPLOYEE_NO - lift a sign-in lock"));
  g_autoptr (GError) error = NULL;
  g_autoptr (RsStore) store = NULL;
  gboolean was_locked = FALSE;

  g_option_context_set_summary (context,
      _("Wrong PINs lock a number for a while. An administrator at the terminal lifts\n"
      "the lock and forgets the wrong tries, e.g. when someone kept their own admin\n"
      "number locked by guessing at the kiosk. The unlock is written to the audit log."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!rs_cli_parse (context, "unlock", &argc, &argv))
    return RS_EXIT_USAGE;
  if (argc != 2)
    {
      rs_cli_error ("unlock", _("give one EMPLOYEE_NO"));
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
  printf ("%s: %s\n", argv[1], was_locked ? _("unlocked") : _("was not locked; its wrong tries are forgotten"));
  return RS_EXIT_OK;
}

int
rs_cli_check (int argc, char **argv)
{
  g_autofree char *db_path = NULL;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path, N_("The database"), N_("FILE") },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new (_("- read every page of the database and check it"));
  g_autoptr (GError) error = NULL;
  g_autoptr (RsStore) store = NULL;
  g_autofree char *problem = NULL;

  g_option_context_set_summary (context,
      _("The full integrity check (SQLite's quick_check): every page, b-tree and record.\n"
      "Opening a database checks only what is cheap; the kiosk runs this check at\n"
      "start once a week and after every import. A damaged database is refused by\n"
      "every command until a check passes again (restore it from a backup).\n"
      "Exit status 0: sound; 1: damaged or unreadable."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!rs_cli_parse (context, "check", &argc, &argv))
    return RS_EXIT_USAGE;
  if (argc > 1)
    {
      rs_cli_error ("check", _("unexpected argument '%s'"), argv[1]);
      return RS_EXIT_USAGE;
    }
  if (db_path == NULL)
    {
      rs_cli_error ("check", _("--db FILE is required"));
      return RS_EXIT_USAGE;
    }
  if (!g_file_test (db_path, G_FILE_TEST_IS_REGULAR))
    {
      rs_cli_error ("check", _("%s: no such database"), db_path);
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
      rs_cli_error ("check", _("%s is damaged: %s"), db_path, problem);
      return RS_EXIT_FAILURE;
    }
  printf (_("%s: ok (schema version %d, kiosk %s)\n"), db_path, rs_store_schema_version (store),
          rs_store_kiosk_id (store));
  return RS_EXIT_OK;
}
