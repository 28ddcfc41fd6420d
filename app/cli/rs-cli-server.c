/* SPDX-License-Identifier: GPL-3.0-or-later */
/* reskill server: setting up and looking after the organization's
 * PostgreSQL server (rs-server.h), and the connection every --server
 * command shares.
 *
 * Passwords never travel in argv: the connection string may not hold one
 * (rs-pg.h); libpq reads ~/.pgpass and service files; when the server asks
 * for a password none of those gave, it is read from the terminal with
 * echo off, or from --password-fd. */
#include <glib/gstdio.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "rs-cli-commands.h"
#include "rs-error.h"
#include "rs-i18n.h"
#include "rs-paths.h"
#include "rs-people.h"
#include "rs-server.h"
#include "rs-store.h"

RsPg *
rs_cli_server_connect (const char *command, const char *conninfo, int password_fd, gboolean check_schema)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RsPg) pg = NULL;
  gboolean needs_password = FALSE;

  pg = rs_pg_connect_full (conninfo, NULL, &needs_password, &error);
  if (pg == NULL && needs_password)
    {
      g_autofree char *password = NULL;
      g_autofree char *prompt = g_strdup_printf (_("Password for the server (%s): "), conninfo);

      g_clear_error (&error);
      if (!rs_cli_read_secret (prompt, password_fd, &password, &error))
        {
          rs_cli_error (command, "%s", error->message);
          return NULL;
        }
      pg = rs_pg_connect_full (conninfo, password, NULL, &error);
      sodium_memzero (password, strlen (password));
    }
  if (pg != NULL && check_schema && !rs_server_check_schema (pg, NULL, NULL, &error))
    g_clear_pointer (&pg, rs_pg_close);
  if (pg == NULL)
    {
      rs_cli_error (command, "%s", error->message);
      return NULL;
    }
  return g_steal_pointer (&pg);
}

/* A random password for a kiosk's role: 24 characters of base64url, 144
 * bits from libsodium. */
static char *
new_password (void)
{
  guint8 bytes[18];
  char *text = g_malloc (sodium_base64_ENCODED_LEN (sizeof bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING));

  randombytes_buf (bytes, sizeof bytes);
  sodium_bin2base64 (text, sodium_base64_ENCODED_LEN (sizeof bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING), bytes,
                     sizeof bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  sodium_memzero (bytes, sizeof bytes);
  return text;
}

/* pgpass fields escape ':' and '\'. */
static void
pgpass_field (GString *line, const char *value)
{
  for (const char *p = value != NULL && value[0] != '\0' ? value : "*"; *p != '\0'; p++)
    {
      if (*p == ':' || *p == '\\')
        g_string_append_c (line, '\\');
      g_string_append_c (line, *p);
    }
}

/* Adds (or replaces) the kiosk role's line in the pgpass file libpq reads
 * for this user ($PGPASSFILE, else ~/.pgpass), kept mode 0600 as libpq
 * demands. */
static gboolean
write_pgpass (const char *path, RsPg *pg, const char *role, const char *password, GError **error)
{
  g_autofree char *old = NULL;
  g_autoptr (GString) text = g_string_new (NULL);
  g_autoptr (GString) key = g_string_new (NULL);
  g_auto (GStrv) lines = NULL;
  PGconn *conn = rs_pg_conn (pg);

  pgpass_field (key, PQhost (conn));
  g_string_append_c (key, ':');
  pgpass_field (key, PQport (conn));
  g_string_append_c (key, ':');
  pgpass_field (key, PQdb (conn));
  g_string_append_c (key, ':');
  pgpass_field (key, role);
  g_string_append_c (key, ':');
  if (g_file_get_contents (path, &old, NULL, NULL))
    {
      lines = g_strsplit (old, "\n", -1);
      for (int i = 0; lines[i] != NULL; i++)
        if (lines[i][0] != '\0' && !g_str_has_prefix (lines[i], key->str))
          g_string_append_printf (text, "%s\n", lines[i]);
    }
  g_string_append (text, key->str);
  pgpass_field (text, password);
  g_string_append_c (text, '\n');
  return g_file_set_contents_full (path, text->str, (gssize) text->len,
                                   G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE, 0600, error);
}

static char *
default_pgpass (void)
{
  const char *env = g_getenv ("PGPASSFILE");

  return env != NULL && env[0] != '\0' ? g_strdup (env) : g_build_filename (g_get_home_dir (), ".pgpass", NULL);
}

static int
fail (const GError *error)
{
  rs_cli_error ("server", "%s", error->message);
  return RS_EXIT_FAILURE;
}

static int
server_init (RsPg *pg, const char *module, const char *questions, gboolean migrate)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *version = NULL;
  gboolean created = FALSE, added = FALSE;
  int from = 0, to = 0, n_items = 0;

  if (migrate)
    {
      if (!rs_server_migrate (pg, module, &from, &to, &error))
        return fail (error);
      if (from == to)
        printf (_("the server's schema is at version %d already: nothing to do\n"), to);
      else
        printf (_("migrated the server's schema from version %d to %d\n"), from, to);
    }
  else
    {
      if (!rs_server_init (pg, module, &created, &error))
        return fail (error);
      printf (created ? _("made the Reskill schema, version %d, and its roles\n")
                      : _("the server has the Reskill schema, version %d, already\n"), RS_SERVER_SCHEMA_VERSION);
    }
  /* The bank this program uses, so that its kiosks' results can be
   * recomputed there from the first sync. */
  if (questions != NULL && !rs_server_add_bank (pg, questions, &version, &n_items, &added, &error))
    return fail (error);
  if (questions != NULL)
    printf (added ? _("question bank %s (%d questions) added\n") : _("question bank %s (%d questions) was there already\n"),
            version, n_items);
  return RS_EXIT_OK;
}

static int
server_enroll (RsPg *pg, const char *conninfo, const char *db_path, const char *name, const char *pgpass)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RsStore) store = NULL;
  g_autofree char *password = new_password ();
  g_autofree char *role = NULL, *kiosk_conninfo = NULL, *path = NULL;

  if (!g_file_test (db_path, G_FILE_TEST_IS_REGULAR))
    {
      rs_cli_error ("server", _("%s: no such database"), db_path);
      sodium_memzero (password, strlen (password));
      return RS_EXIT_FAILURE;
    }
  store = rs_store_open (db_path, &error);
  if (store == NULL || !rs_server_enroll_kiosk (pg, store, name, password, &role, &error))
    {
      sodium_memzero (password, strlen (password));
      return fail (error);
    }
  path = pgpass != NULL ? g_strdup (pgpass) : default_pgpass ();
  if (!write_pgpass (path, pg, role, password, &error))
    {
      sodium_memzero (password, strlen (password));
      return fail (error);
    }
  sodium_memzero (password, strlen (password));
  kiosk_conninfo = rs_server_conninfo_with_user (conninfo, role, &error);
  if (kiosk_conninfo == NULL)
    return fail (error);
  printf (_("enrolled kiosk %s (key %s) as role %s\n"), rs_store_kiosk_id (store), rs_store_key_fingerprint (store),
          role);
  printf (_("its password is in %s\n"), path);
  /* The line a script reads (reskill sync --server ...): the same in every language. */
  printf ("server %s\n", kiosk_conninfo);
  return RS_EXIT_OK;
}

static gboolean
read_new_password (int fd, char **password, GError **error)
{
  g_autofree char *again = NULL;

  if (!rs_cli_read_secret (_("New password: "), fd, password, error))
    return FALSE;
  if (fd >= 0)
    return TRUE;
  if (!rs_cli_read_secret (_("The same again: "), fd, &again, error))
    return FALSE;
  if (g_strcmp0 (*password, again) != 0)
    {
      g_set_error_literal (error, RS_ERROR, RS_ERROR_INVALID, _("the two passwords differ"));
      g_clear_pointer (password, g_free);
      return FALSE;
    }
  if (strlen (*password) < 8)
    {
      g_set_error_literal (error, RS_ERROR, RS_ERROR_INVALID, _("a password needs at least 8 characters"));
      g_clear_pointer (password, g_free);
      return FALSE;
    }
  return TRUE;
}

static int
server_status (RsPg *pg)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (PGresult) info = NULL, kiosks = NULL, banks = NULL, counts = NULL;

  info = rs_pg_query (pg, &error, "SELECT schema_version, server_id, (SELECT reskill.module_version ())"
                      " FROM reskill.server_info", "");
  if (info == NULL)
    return fail (error);
  printf (_("server %s\nschema version %s, server id %s, module version %s\n"), rs_pg_describe (pg),
          rs_pg_text (info, 0, 0), rs_pg_text (info, 0, 1), rs_pg_text (info, 0, 2));
  counts = rs_pg_query (pg, &error, "SELECT (SELECT count(*) FROM reskill.people), (SELECT count(*) FROM"
                        " reskill.attempts), (SELECT count(*) FROM reskill.attempts WHERE status = 'finished')", "");
  if (counts == NULL)
    return fail (error);
  printf (_("%s people, %s attempts (%s finished)\n"), rs_pg_text (counts, 0, 0), rs_pg_text (counts, 0, 1),
          rs_pg_text (counts, 0, 2));
  banks = rs_pg_query (pg, &error, "SELECT version, n_items, to_char (added_at, 'YYYY-MM-DD') FROM reskill.banks"
                       " ORDER BY added_at", "");
  if (banks == NULL)
    return fail (error);
  for (int i = 0; i < PQntuples (banks); i++)
    printf (_("bank %s  %s questions, added %s\n"), rs_pg_text (banks, i, 0), rs_pg_text (banks, i, 1),
            rs_pg_text (banks, i, 2));
  kiosks = rs_pg_query (pg, &error,
                        "SELECT fingerprint, db_role, coalesce (name, ''), coalesce (to_char (last_push_at,"
                        " 'YYYY-MM-DD HH24:MI'), 'never'), coalesce (to_char (last_pull_at, 'YYYY-MM-DD HH24:MI'),"
                        " 'never'), revoked_at IS NOT NULL FROM reskill.kiosks ORDER BY name, fingerprint", "");
  if (kiosks == NULL)
    return fail (error);
  for (int i = 0; i < PQntuples (kiosks); i++)
    printf (_("kiosk %s  %s%s%s  last push %s, last pull %s%s\n"), rs_pg_text (kiosks, i, 0), rs_pg_text (kiosks, i, 1),
            rs_pg_text (kiosks, i, 2)[0] != '\0' ? "  " : "", rs_pg_text (kiosks, i, 2), rs_pg_text (kiosks, i, 3),
            rs_pg_text (kiosks, i, 4), rs_pg_bool (kiosks, i, 5) ? _("  REVOKED") : "");
  return RS_EXIT_OK;
}

int
rs_cli_server (int argc, char **argv)
{
  g_autofree char *conninfo = NULL, *module = NULL, *questions = NULL, *db_path = NULL, *name = NULL;
  g_autofree char *employee = NULL, *role = NULL, *pgpass = NULL;
  gboolean no_bank = FALSE, unset = FALSE;
  int password_fd = -1;
  GOptionEntry entries[] = {
    { "server", 0, 0, G_OPTION_ARG_STRING, &conninfo,
      N_("The server: a libpq connection string or URI, without a password"), N_("CONNINFO") },
    { "module", 0, 0, G_OPTION_ARG_FILENAME, &module,
      N_("init, migrate: where the server finds reskill-pg.so (default $libdir/reskill-pg)"), N_("PATH") },
    { "questions", 0, 0, G_OPTION_ARG_FILENAME, &questions,
      N_("init, migrate, add-bank: the question bank to store (default: this program's)"), N_("DIR") },
    { "no-bank", 0, 0, G_OPTION_ARG_NONE, &no_bank, N_("init, migrate: store no question bank"), NULL },
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path, N_("enroll: the kiosk's database"), N_("FILE") },
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_("enroll: a name for the kiosk (\"Break room\")"), N_("NAME") },
    { "pgpass", 0, 0, G_OPTION_ARG_FILENAME, &pgpass,
      N_("enroll: the password file to write the kiosk's password to (default $PGPASSFILE or ~/.pgpass)"), N_("FILE") },
    { "employee", 0, 0, G_OPTION_ARG_STRING, &employee, N_("add-login: whose login it is"), N_("EMPLOYEE_NO") },
    { "role", 0, 0, G_OPTION_ARG_STRING, &role, N_("add-login: the login's name (lower case)"), N_("NAME") },
    { "password-fd", 0, 0, G_OPTION_ARG_INT, &password_fd,
      N_("Read a password from this file descriptor instead of the terminal"), N_("N") },
    { "unset", 0, 0, G_OPTION_ARG_NONE, &unset, N_("set: remove the setting (kiosks keep their own)"), NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new (_("init|migrate|add-bank|enroll|revoke|add-login|set|"
                                                                "reset-pin|rebuild-caches|status - the organization's "
                                                                "PostgreSQL server"));
  g_autoptr (GError) error = NULL;
  g_autoptr (RsPg) pg = NULL;
  const char *verb;

  g_option_context_set_summary (context,
      _("Kiosks keep working offline on their own databases and sync with the\n"
      "organization's server when they can reach it (reskill sync). The server\n"
      "is PostgreSQL 15 with Reskill's schema; docs/DEPLOYMENT.md says how to\n"
      "set one up. --server takes a libpq connection string (\"host=hq dbname=reskill\n"
      "user=alice\") or URI; passwords come from ~/.pgpass, never the command line.\n"
      "\n"
      "As a PostgreSQL superuser (sudo -u postgres):\n"
      "  init [--module PATH] [--questions DIR]   the schema, its roles, the question bank\n"
      "  migrate [--module PATH]                  bring the schema up to this Reskill's version\n"
      "As an administrator (or a superuser):\n"
      "  add-bank [--questions DIR]               store another question bank version\n"
      "  enroll --db FILE [--name NAME]           give this kiosk its own login and register its\n"
      "                                           key; its password goes to ~/.pgpass\n"
      "  revoke FINGERPRINT|NAME                  a kiosk lost or retired: no more logins or units\n"
      "  add-login --employee NO --role NAME      a manager's or administrator's own login\n"
      "                                           (the password is asked for twice)\n"
      "  set KEY VALUE | set KEY --unset          a kiosk setting every kiosk pulls: organization-name,\n"
      "                                           offered-modes, offered-skills, kiosk-idle-timeout\n"
      "                                           (values in GVariant text: \"'Acme'\", \"['quick']\", 180)\n"
      "  reset-pin EMPLOYEE_NO                    a new one-time PIN, printed once\n"
      "  rebuild-caches                           the report and statistics caches again from the rows\n"
      "  status                                   schema, banks, kiosks and when each last synced"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!rs_cli_parse (context, "server", &argc, &argv))
    return RS_EXIT_USAGE;
  if (argc < 2)
    {
      rs_cli_error ("server", _("say what to do: init, migrate, add-bank, enroll, revoke, add-login, set, reset-pin, "
                    "rebuild-caches or status"));
      return RS_EXIT_USAGE;
    }
  verb = argv[1];
  if (!g_strv_contains ((const char *const[]) { "init", "migrate", "add-bank", "enroll", "revoke", "add-login", "set",
                                                "reset-pin", "rebuild-caches", "status", NULL }, verb))
    {
      rs_cli_error ("server", _("unknown action '%s'"), verb);
      return RS_EXIT_USAGE;
    }
  if (conninfo == NULL)
    {
      rs_cli_error ("server", _("--server CONNINFO is required"));
      return RS_EXIT_USAGE;
    }
  if ((g_str_equal (verb, "enroll") && db_path == NULL)
      || (g_str_equal (verb, "add-login") && (employee == NULL || role == NULL)))
    {
      rs_cli_error ("server", "%s", g_str_equal (verb, "enroll") ? _("enroll needs --db FILE")
                                                                 : _("add-login needs --employee NO and --role NAME"));
      return RS_EXIT_USAGE;
    }
  if ((g_str_equal (verb, "revoke") || g_str_equal (verb, "reset-pin")) && argc != 3)
    {
      rs_cli_error ("server", _("%s needs one argument"), verb);
      return RS_EXIT_USAGE;
    }
  if (g_str_equal (verb, "set") && argc != (unset ? 3 : 4))
    {
      rs_cli_error ("server", _("set needs KEY VALUE, or KEY --unset"));
      return RS_EXIT_USAGE;
    }
  if (g_str_equal (verb, "set") && !unset && !rs_server_setting_parse (argv[2], argv[3], NULL, &error))
    {
      rs_cli_error ("server", "%s", error->message);
      return RS_EXIT_USAGE;
    }
  if (!g_str_equal (verb, "set") && !g_str_equal (verb, "revoke") && !g_str_equal (verb, "reset-pin") && argc > 2)
    {
      rs_cli_error ("server", _("unexpected argument '%s'"), argv[2]);
      return RS_EXIT_USAGE;
    }

  pg = rs_cli_server_connect ("server", conninfo,
                              g_str_equal (verb, "add-login") ? -1 : password_fd,
                              !g_str_equal (verb, "init") && !g_str_equal (verb, "migrate"));
  if (pg == NULL)
    return RS_EXIT_FAILURE;

  if (g_str_equal (verb, "init") || g_str_equal (verb, "migrate"))
    {
      if (questions == NULL && !no_bank)
        questions = rs_default_questions_dir ();
      return server_init (pg, module, no_bank ? NULL : questions, g_str_equal (verb, "migrate"));
    }
  if (g_str_equal (verb, "add-bank"))
    {
      g_autofree char *version = NULL;
      gboolean added = FALSE;
      int n_items = 0;

      if (questions == NULL)
        questions = rs_default_questions_dir ();
      if (!rs_server_add_bank (pg, questions, &version, &n_items, &added, &error))
        return fail (error);
      printf (added ? _("question bank %s (%d questions) added\n")
                    : _("question bank %s (%d questions) was there already\n"), version, n_items);
      return RS_EXIT_OK;
    }
  if (g_str_equal (verb, "enroll"))
    return server_enroll (pg, conninfo, db_path, name, pgpass);
  if (g_str_equal (verb, "revoke"))
    {
      g_autofree char *fingerprint = NULL;

      if (!rs_server_revoke_kiosk (pg, argv[2], &fingerprint, &error))
        return fail (error);
      printf (_("revoked kiosk %s: it can no longer log in, and its units are refused\n"), fingerprint);
      return RS_EXIT_OK;
    }
  if (g_str_equal (verb, "add-login"))
    {
      g_autofree char *password = NULL;
      gboolean ok;

      if (!read_new_password (password_fd, &password, &error))
        return fail (error);
      ok = rs_server_add_login (pg, employee, role, password, &error);
      sodium_memzero (password, strlen (password));
      if (!ok)
        return fail (error);
      printf (_("%s logs in as %s\n"), employee, role);
      return RS_EXIT_OK;
    }
  if (g_str_equal (verb, "set"))
    {
      if (!rs_server_set_setting (pg, argv[2], unset ? NULL : argv[3], &error))
        return fail (error);
      printf (unset ? _("%s removed: kiosks keep their own\n") : _("%s set: kiosks take it at their next sync\n"),
              argv[2]);
      return RS_EXIT_OK;
    }
  if (g_str_equal (verb, "reset-pin"))
    {
      char *pin = rs_server_reset_pin (pg, argv[2], &error);

      if (pin == NULL)
        return fail (error);
      printf ("%s %s\n", argv[2], pin);
      rs_people_pin_free (pin);
      return RS_EXIT_OK;
    }
  if (g_str_equal (verb, "rebuild-caches"))
    {
      if (!rs_pg_exec (pg, &error, "SELECT reskill.rebuild_caches ()", ""))
        return fail (error);
      printf ("%s\n", _("caches rebuilt"));
      return RS_EXIT_OK;
    }
  return server_status (pg);
}
