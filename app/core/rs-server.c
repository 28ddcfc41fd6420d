/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The organization's server: schema, migrations and administration; see
 * rs-server.h. Every statement is constant SQL with bound parameters
 * (rs-pg.h); the migrations are the SQL files of app/core/server-schema/,
 * embedded at build time. */
#include "rs-server.h"

#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <string.h>

#include "rs-bank.h"
#include "rs-error.h"
#include "rs-i18n.h"
#include "rs-kiosk-key.h"
#include "rs-people-private.h"
#include "rs-server-schema.h"

/* One step per version; never edit a released one: add one. Each runs in
 * the migration's transaction, with @MODULE@ replaced by the module's
 * path. */
static const char *const migrations[RS_SERVER_SCHEMA_VERSION] = {
  server_schema_v1,
  server_schema_v2,
};

/* Roles are cluster-wide and survive a dropped database: made when
 * missing, left as they are otherwise. */
static const char make_roles[] =
  "DO $$ BEGIN\n"
  "  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'reskill_owner') THEN\n"
  "    CREATE ROLE reskill_owner NOLOGIN CREATEROLE;\n"
  "  END IF;\n"
  "  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'reskill_kiosk') THEN\n"
  "    CREATE ROLE reskill_kiosk NOLOGIN;\n"
  "  END IF;\n"
  "  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'reskill_employee') THEN\n"
  "    CREATE ROLE reskill_employee NOLOGIN;\n"
  "  END IF;\n"
  "  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'reskill_manager') THEN\n"
  "    CREATE ROLE reskill_manager NOLOGIN;\n"
  "  END IF;\n"
  "  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'reskill_admin') THEN\n"
  "    CREATE ROLE reskill_admin NOLOGIN;\n"
  "  END IF;\n"
  "END $$;\n";

/* Everything in the schema belongs to reskill_owner, whatever superuser
 * ran the migration: the checked functions run as their owner, and the
 * owner is the one role the policies do not bind. */
static const char give_to_owner[] =
  "DO $$ DECLARE r record; BEGIN\n"
  "  FOR r IN SELECT c.relname FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace\n"
  "           WHERE n.nspname = 'reskill' AND c.relkind IN ('r', 'p', 'v', 'm') LOOP\n"
  "    EXECUTE format ('ALTER TABLE reskill.%I OWNER TO reskill_owner', r.relname);\n"
  "  END LOOP;\n"
  "  FOR r IN SELECT p.oid::regprocedure AS signature FROM pg_proc AS p\n"
  "           JOIN pg_namespace AS n ON n.oid = p.pronamespace WHERE n.nspname = 'reskill' LOOP\n"
  "    EXECUTE format ('ALTER FUNCTION %s OWNER TO reskill_owner', r.signature);\n"
  "  END LOOP;\n"
  "  ALTER SCHEMA reskill OWNER TO reskill_owner;\n"
  "END $$;\n";

/* The module must be the one this program was built with. */
#define MODULE_VERSION 1

static gboolean
read_schema (RsPg *pg, gboolean *exists, int *version, char **server_id, GError **error)
{
  g_autoptr (PGresult) found = NULL;
  g_autoptr (PGresult) info = NULL;

  *exists = FALSE;
  *version = 0;
  found = rs_pg_query (pg, error, "SELECT to_regclass ('reskill.server_info') IS NOT NULL", "");
  if (found == NULL)
    return FALSE;
  if (!rs_pg_bool (found, 0, 0))
    return TRUE;
  info = rs_pg_query (pg, error, "SELECT schema_version, server_id::text FROM reskill.server_info", "");
  if (info == NULL)
    return FALSE;
  if (PQntuples (info) != 1)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_DB_CORRUPT, _("%s has Reskill's schema but no version row: it was "
                     "changed by hand."), rs_pg_describe (pg));
      return FALSE;
    }
  *exists = TRUE;
  *version = (int) rs_pg_int (info, 0, 0);
  if (server_id != NULL)
    *server_id = g_strdup (rs_pg_text (info, 0, 1));
  return TRUE;
}

gboolean
rs_server_check_schema (RsPg *pg, int *version_out, char **server_id, GError **error)
{
  gboolean exists = FALSE;
  int version = 0;

  if (!read_schema (pg, &exists, &version, server_id, error))
    return FALSE;
  if (version_out != NULL)
    *version_out = version;
  if (!exists)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_NOT_FOUND, _("%s is not a Reskill server (no schema reskill): an "
                     "administrator sets it up with reskill server init."), rs_pg_describe (pg));
      return FALSE;
    }
  if (version > RS_SERVER_SCHEMA_VERSION)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_DB_TOO_NEW,
                   _("The server %s has schema version %d, made by a newer Reskill; this one knows up to version %d. "
                     "Update Reskill on this machine. Nothing was changed, here or there."),
                   rs_pg_describe (pg), version, RS_SERVER_SCHEMA_VERSION);
      return FALSE;
    }
  if (version < RS_SERVER_SCHEMA_VERSION)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_INVALID,
                   _("The server %s has schema version %d and this Reskill needs %d: an administrator runs "
                     "reskill server migrate there first."), rs_pg_describe (pg), version, RS_SERVER_SCHEMA_VERSION);
      return FALSE;
    }
  return TRUE;
}

RsPg *
rs_server_open (const char *conninfo, const char *password, char **server_id, GError **error)
{
  g_autoptr (RsPg) pg = rs_pg_connect_full (conninfo, password, NULL, error);

  if (pg == NULL || !rs_server_check_schema (pg, NULL, server_id, error))
    return NULL;
  return g_steal_pointer (&pg);
}

static gboolean
require_superuser (RsPg *pg, const char *what, GError **error)
{
  g_autoptr (PGresult) result = rs_pg_query (pg, error, "SELECT rolsuper FROM pg_roles WHERE rolname = current_user",
                                             "");

  if (result == NULL)
    return FALSE;
  if (PQntuples (result) == 1 && rs_pg_bool (result, 0, 0))
    return TRUE;
  g_set_error (error, RS_ERROR, RS_ERROR_DENIED,
               _("%s needs a PostgreSQL superuser (it makes roles and the checked C functions), and %s is not one: "
                 "run it as the postgres user, for example sudo -u postgres reskill server ..."), what,
               rs_pg_user (pg));
  return FALSE;
}

static char *
script_for (RsPg *pg, int version, const char *module_path)
{
  char *literal = PQescapeLiteral (rs_pg_conn (pg), module_path, strlen (module_path));
  g_auto (GStrv) parts = g_strsplit (migrations[version - 1], "@MODULE@", -1);
  char *script = g_strjoinv (literal, parts);

  PQfreemem (literal);
  return script;
}

/* Steps from..RS_SERVER_SCHEMA_VERSION inside the caller's transaction. */
static gboolean
migrate_tx (RsPg *pg, int from, const char *module_path, GError **error)
{
  g_autoptr (PGresult) module = NULL;

  for (int v = from + 1; v <= RS_SERVER_SCHEMA_VERSION; v++)
    {
      g_autofree char *script = script_for (pg, v, module_path);

      if (!rs_pg_exec_script (pg, script, error))
        {
          g_prefix_error (error, _("Upgrading the server to schema version %d failed (nothing was changed): "), v);
          return FALSE;
        }
      if (v == 1 ? !rs_pg_exec (pg, error,
                                "INSERT INTO reskill.server_info (schema_version, server_id)"
                                " VALUES ($1::int, gen_random_uuid ())", "i", v)
                 : !rs_pg_exec (pg, error, "UPDATE reskill.server_info SET schema_version = $1::int", "i", v))
        return FALSE;
    }
  if (!rs_pg_exec_script (pg, give_to_owner, error))
    return FALSE;
  /* Loading the module now proves the path works on the server machine. */
  module = rs_pg_query (pg, error, "SELECT reskill.module_version ()", "");
  if (module == NULL)
    {
      g_prefix_error (error, _("The server cannot load its module from %s (install reskill-pg.so into PostgreSQL's "
                        "library folder, or give --module PATH): "), module_path);
      return FALSE;
    }
  if (rs_pg_int (module, 0, 0) != MODULE_VERSION)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_INVALID, _("The server module at %s is version %lld; this Reskill needs "
                                                        "version %d. Install the module of this Reskill."),
                   module_path, (long long) rs_pg_int (module, 0, 0), MODULE_VERSION);
      return FALSE;
    }
  return rs_pg_exec (pg, error, "INSERT INTO reskill.audit (event, detail) VALUES ('schema-migrated', $1)", "s",
                     from == 0 ? "created" : "migrated");
}

gboolean
rs_server_init (RsPg *pg, const char *module_path, gboolean *created, GError **error)
{
  gboolean exists = FALSE, ok;
  int version = 0;

  if (created != NULL)
    *created = FALSE;
  if (module_path == NULL)
    module_path = RS_SERVER_DEFAULT_MODULE;
  if (!require_superuser (pg, "reskill server init", error) || !rs_pg_begin (pg, error))
    return FALSE;
  /* One setup at a time, and the version read again under the lock. */
  ok = rs_pg_exec (pg, error, "SELECT pg_advisory_xact_lock (7013)", "")
       && read_schema (pg, &exists, &version, NULL, error);
  if (ok && exists)
    {
      rs_pg_end (pg, FALSE, NULL);
      if (version == RS_SERVER_SCHEMA_VERSION)
        return TRUE;
      return rs_server_check_schema (pg, NULL, NULL, error);
    }
  ok = ok && rs_pg_exec_script (pg, make_roles, error) && migrate_tx (pg, 0, module_path, error);
  if (!rs_pg_end (pg, ok, ok ? error : NULL))
    return FALSE;
  if (created != NULL)
    *created = TRUE;
  return TRUE;
}

gboolean
rs_server_migrate (RsPg *pg, const char *module_path, int *from, int *to, GError **error)
{
  gboolean exists = FALSE, ok;
  int version = 0;

  if (module_path == NULL)
    module_path = RS_SERVER_DEFAULT_MODULE;
  if (!require_superuser (pg, "reskill server migrate", error) || !rs_pg_begin (pg, error))
    return FALSE;
  ok = rs_pg_exec (pg, error, "SELECT pg_advisory_xact_lock (7013)", "")
       && read_schema (pg, &exists, &version, NULL, error);
  if (ok && (!exists || version > RS_SERVER_SCHEMA_VERSION))
    {
      rs_pg_end (pg, FALSE, NULL);
      return rs_server_check_schema (pg, NULL, NULL, error);
    }
  if (from != NULL)
    *from = version;
  if (to != NULL)
    *to = RS_SERVER_SCHEMA_VERSION;
  if (ok && version == RS_SERVER_SCHEMA_VERSION)
    return rs_pg_end (pg, FALSE, NULL) || TRUE;
  ok = ok && rs_pg_exec_script (pg, make_roles, error) && migrate_tx (pg, version, module_path, error);
  return rs_pg_end (pg, ok, ok ? error : NULL);
}

/* --- banks --- */

gboolean
rs_server_add_bank (RsPg *pg, const char *questions_dir, char **version_out, int *n_items, gboolean *added,
                    GError **error)
{
  g_autoptr (RsBank) bank = rs_bank_new ();
  g_autoptr (GPtrArray) paths = NULL;
  g_autoptr (GString) path_array = g_string_new ("{");
  g_autoptr (GString) content_array = g_string_new ("{");
  g_autoptr (PGresult) had = NULL;
  g_autoptr (PGresult) result = NULL;
  gsize prefix;

  if (!rs_bank_load_dir (bank, questions_dir, error))
    return FALSE;
  paths = rs_bank_list_files (questions_dir, error);
  if (paths == NULL)
    return FALSE;
  prefix = strlen (questions_dir);
  while (prefix > 1 && questions_dir[prefix - 1] == '/')
    prefix--;
  for (guint i = 0; i < paths->len; i++)
    {
      const char *path = g_ptr_array_index (paths, i);
      g_autofree char *content = NULL;
      g_autofree char *hex = NULL;
      gsize length = 0;

      if (!g_file_get_contents (path, &content, &length, error))
        return FALSE;
      hex = rs_hex_encode ((const guint8 *) content, length);
      /* Paths relative to the folder, in PostgreSQL's array syntax (plain
       * characters only: the server refuses anything else). */
      g_string_append_printf (path_array, "%s\"%s\"", i > 0 ? "," : "", path + prefix + 1);
      g_string_append_printf (content_array, "%s\"\\\\x%s\"", i > 0 ? "," : "", hex);
    }
  g_string_append_c (path_array, '}');
  g_string_append_c (content_array, '}');
  had = rs_pg_query (pg, error, "SELECT count(*) FROM reskill.banks WHERE version = $1", "s", rs_bank_version (bank));
  if (had == NULL)
    return FALSE;
  result = rs_pg_query (pg, error, "SELECT reskill.add_bank ($1, $2::text[], $3::bytea[])", "sss",
                        rs_bank_version (bank), path_array->str, content_array->str);
  if (result == NULL)
    return FALSE;
  if (version_out != NULL)
    *version_out = g_strdup (rs_bank_version (bank));
  if (n_items != NULL)
    *n_items = (int) rs_pg_int (result, 0, 0);
  if (added != NULL)
    *added = rs_pg_int (had, 0, 0) == 0;
  return TRUE;
}

/* --- kiosks and logins --- */

char *
rs_server_kiosk_role (const char *kiosk_id)
{
  g_autofree char *plain = g_strdup (kiosk_id);
  GString *role = g_string_new ("reskill_kiosk_");

  for (const char *p = plain; *p != '\0' && role->len < strlen ("reskill_kiosk_") + 12; p++)
    if (*p != '-')
      g_string_append_c (role, g_ascii_tolower (*p));
  return g_string_free (role, FALSE);
}

static char *
verifier_for (RsPg *pg, const char *role, const char *password, GError **error)
{
  char *encrypted;
  char *copy;

  if (password == NULL)
    return NULL;
  /* SCRAM here, at the client: the server stores what it would store for
   * ALTER ROLE ... PASSWORD, without ever seeing the password. */
  encrypted = PQencryptPasswordConn (rs_pg_conn (pg), password, role, "scram-sha-256");
  if (encrypted == NULL)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_FAILED, _("Cannot protect the password: %s"),
                   PQerrorMessage (rs_pg_conn (pg)));
      return NULL;
    }
  copy = g_strdup (encrypted);
  PQfreemem (encrypted);
  return copy;
}

gboolean
rs_server_enroll_kiosk (RsPg *pg, RsStore *store, const char *name, const char *password, char **role_out,
                        GError **error)
{
  g_autofree char *role = NULL;
  g_autofree char *verifier = NULL;
  g_autoptr (GBytes) key = NULL;
  g_autoptr (PGresult) result = NULL;

  if (!rs_store_has_key (store))
    {
      g_set_error (error, RS_ERROR, RS_ERROR_INVALID, _("%s has no signing key: it cannot be enrolled."),
                   rs_store_path (store));
      return FALSE;
    }
  role = rs_server_kiosk_role (rs_store_kiosk_id (store));
  verifier = verifier_for (pg, role, password, error);
  if (password != NULL && verifier == NULL)
    return FALSE;
  key = g_bytes_new (rs_store_public_key (store), RS_KIOSK_KEY_PUBLIC_BYTES);
  result = rs_pg_query (pg, error, "SELECT reskill.enroll_kiosk ($1, $2::bytea, $3, $4)", "sxss",
                        rs_store_kiosk_id (store), key, name, verifier);
  if (result == NULL)
    return FALSE;
  if (role_out != NULL)
    *role_out = g_strdup (rs_pg_text (result, 0, 0));
  return TRUE;
}

gboolean
rs_server_revoke_kiosk (RsPg *pg, const char *what, char **fingerprint, GError **error)
{
  g_autoptr (PGresult) result = rs_pg_query (pg, error, "SELECT reskill.revoke_kiosk ($1)", "s", what);

  if (result == NULL)
    return FALSE;
  if (fingerprint != NULL)
    *fingerprint = g_strdup (rs_pg_text (result, 0, 0));
  return TRUE;
}

gboolean
rs_server_add_login (RsPg *pg, const char *employee_no, const char *role_name, const char *password, GError **error)
{
  g_autofree char *verifier = verifier_for (pg, role_name, password, error);

  if (password != NULL && verifier == NULL)
    return FALSE;
  return rs_pg_exec (pg, error, "SELECT reskill.add_login ($1, $2, $3)", "sss", employee_no, role_name, verifier);
}

/* --- people --- */

static gboolean
team_id_tx (RsPg *pg, const char *name, gint64 *team_id, gboolean *created, GError **error)
{
  g_autoptr (PGresult) inserted = NULL;
  g_autoptr (PGresult) found = NULL;

  *team_id = 0;
  *created = FALSE;
  if (name == NULL || name[0] == '\0')
    return TRUE;
  inserted = rs_pg_query (pg, error, "INSERT INTO reskill.teams (name) VALUES ($1) ON CONFLICT (name) DO NOTHING"
                          " RETURNING id", "s", name);
  if (inserted == NULL)
    return FALSE;
  if (PQntuples (inserted) == 1)
    {
      *team_id = rs_pg_int (inserted, 0, 0);
      *created = TRUE;
      return TRUE;
    }
  found = rs_pg_query (pg, error, "SELECT id FROM reskill.teams WHERE name = $1", "s", name);
  if (found == NULL)
    return FALSE;
  *team_id = PQntuples (found) == 1 ? rs_pg_int (found, 0, 0) : 0;
  return TRUE;
}

static gboolean
import_people_tx (RsPg *pg, const char *path, GArray *rows, gboolean allow_no_admin, RsImportReport *report,
                  GError **error)
{
  g_autoptr (PGresult) admins = NULL;
  g_autofree char *detail = NULL;

  for (guint i = 0; i < rows->len; i++)
    {
      RsPeopleRow *row = &g_array_index (rows, RsPeopleRow, i);
      g_autoptr (PGresult) before = NULL;
      gint64 team_id = 0, person_id = row->existing_id;
      gboolean team_created = FALSE;

      if (!team_id_tx (pg, row->team, &team_id, &team_created, error))
        return FALSE;
      report->n_teams_added += team_created;
      if (person_id == 0)
        {
          g_autoptr (PGresult) added = rs_pg_query (pg, error,
            "INSERT INTO reskill.people (employee_no, name, team_id, role, secret_hash)"
            " VALUES ($1, $2, nullif ($3::bigint, 0), $4, $5) RETURNING id",
            "ssls" "s", row->employee_no, row->name, team_id, rs_person_role_id (row->role), row->hash);

          if (added == NULL)
            return FALSE;
          person_id = rs_pg_int (added, 0, 0);
          report->n_added++;
        }
      else
        {
          before = rs_pg_query (pg, error,
                                "UPDATE reskill.people SET name = $2, team_id = nullif ($3::bigint, 0), role = $4"
                                " WHERE id = $1::bigint AND (name, coalesce (team_id, 0), role)"
                                " IS DISTINCT FROM ($2, $3::bigint, $4) RETURNING id",
                                "lsls", person_id, row->name, team_id, rs_person_role_id (row->role));
          if (before == NULL)
            return FALSE;
          if (PQntuples (before) == 1)
            report->n_updated++;
          else
            report->n_unchanged++;
        }
      if (row->role == RS_PERSON_EMPLOYEE)
        {
          if (!rs_pg_exec (pg, error, "DELETE FROM reskill.team_managers WHERE person_id = $1::bigint", "l",
                           person_id))
            return FALSE;
        }
      else if (row->role == RS_PERSON_MANAGER && team_id != 0
               && !rs_pg_exec (pg, error, "INSERT INTO reskill.team_managers (team_id, person_id)"
                               " VALUES ($1::bigint, $2::bigint) ON CONFLICT DO NOTHING", "ll", team_id, person_id))
        return FALSE;
    }
  admins = rs_pg_query (pg, error, "SELECT count(*) FROM reskill.people WHERE role = 'admin' AND active", "");
  if (admins == NULL)
    return FALSE;
  report->no_admin = rs_pg_int (admins, 0, 0) == 0;
  if (report->no_admin && !allow_no_admin)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_INVALID,
                   _("%s: after this import the server would have people but no active administrator; add an admin "
                     "row, or give --allow-no-admin. Nothing was imported."), path);
      return FALSE;
    }
  detail = g_strdup_printf ("%s: %u added, %u updated, %u unchanged", path, report->n_added, report->n_updated,
                            report->n_unchanged);
  return rs_pg_exec (pg, error, "INSERT INTO reskill.audit (event, detail) VALUES ('people-imported', $1)", "s",
                     detail);
}

gboolean
rs_server_import_people (RsPg *pg, const char *path, gboolean allow_no_admin, GPtrArray **new_pins,
                         RsImportReport *report_out, GError **error)
{
  g_autoptr (GPtrArray) records = NULL;
  g_autoptr (GArray) rows = rs_people_read_csv (path, &records, error);
  RsImportReport report = { 0 };
  gboolean ok;

  if (rows == NULL)
    return FALSE;
  report.n_rows = rows->len;
  if (!rs_pg_begin (pg, error))
    return FALSE;
  /* Who exists already is read under the lock that makes imports queue,
   * and PINs are hashed (slow on purpose) with the lock held: a second
   * import waits rather than racing this one. */
  ok = rs_pg_exec (pg, error, "SELECT pg_advisory_xact_lock (7014)", "");
  for (guint i = 0; ok && i < rows->len; i++)
    {
      RsPeopleRow *row = &g_array_index (rows, RsPeopleRow, i);
      g_autoptr (PGresult) found = rs_pg_query (pg, error, "SELECT id FROM reskill.people WHERE employee_no = $1",
                                                "s", row->employee_no);

      ok = found != NULL;
      row->existing_id = ok && PQntuples (found) == 1 ? rs_pg_int (found, 0, 0) : 0;
    }
  ok = ok && rs_people_make_pins (rows, error) && import_people_tx (pg, path, rows, allow_no_admin, &report, error);
  if (!rs_pg_end (pg, ok, ok ? error : NULL))
    return FALSE;
  if (new_pins != NULL)
    {
      *new_pins = g_ptr_array_new_with_free_func ((GDestroyNotify) rs_new_pin_free);
      for (guint i = 0; i < rows->len; i++)
        {
          RsPeopleRow *row = &g_array_index (rows, RsPeopleRow, i);
          RsNewPin *pin;

          if (row->pin == NULL)
            continue;
          pin = g_new0 (RsNewPin, 1);
          pin->employee_no = g_strdup (row->employee_no);
          pin->name = g_strdup (row->name);
          pin->pin = g_strdup (row->pin);
          g_ptr_array_add (*new_pins, pin);
        }
    }
  if (report_out != NULL)
    *report_out = report;
  return TRUE;
}

char *
rs_server_reset_pin (RsPg *pg, const char *employee_no, GError **error)
{
  char *pin = rs_people_new_pin ();
  g_autofree char *hash = rs_people_hash_secret (pin, error);
  g_autoptr (PGresult) result = NULL;
  gboolean ok;

  if (hash == NULL)
    {
      rs_people_pin_free (pin);
      return NULL;
    }
  ok = rs_pg_begin (pg, error);
  result = ok ? rs_pg_query (pg, error, "UPDATE reskill.people SET secret_hash = $2 WHERE employee_no = $1"
                             " RETURNING id", "ss", employee_no, hash) : NULL;
  ok = result != NULL;
  if (ok && PQntuples (result) != 1)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_NOT_FOUND, _("There is nobody with employee number %s on the server."),
                   employee_no);
      ok = FALSE;
    }
  ok = ok && rs_server_unlock (pg, employee_no, NULL, error)
       && rs_pg_exec (pg, error, "INSERT INTO reskill.audit (event, detail) VALUES ('pin-reset', $1)", "s",
                      employee_no);
  if (!rs_pg_end (pg, ok, ok ? error : NULL))
    {
      rs_people_pin_free (pin);
      return NULL;
    }
  return pin;
}

gboolean
rs_server_unlock (RsPg *pg, const char *employee_no, gboolean *was_locked, GError **error)
{
  gint64 now = g_get_real_time ();
  g_autoptr (PGresult) before = rs_pg_query (pg, error,
                                             "SELECT locked_until FROM reskill.lockouts WHERE employee_no = $1",
                                             "s", employee_no);

  if (before == NULL)
    return FALSE;
  if (was_locked != NULL)
    *was_locked = PQntuples (before) == 1 && rs_pg_int (before, 0, 0) > now;
  /* lifted_at stays: a kiosk's lock from before it, pushed late, is
   * ignored (reskill.report_lock), and kiosks lift theirs when they pull. */
  return rs_pg_exec (pg, error,
                     "INSERT INTO reskill.lockouts (employee_no, locked_until, lock_count, lifted_at)"
                     " VALUES ($1, 0, 0, $2::bigint) ON CONFLICT (employee_no) DO UPDATE"
                     " SET locked_until = 0, lock_count = 0, lifted_at = excluded.lifted_at",
                     "sl", employee_no, now)
         && rs_pg_exec (pg, error, "INSERT INTO reskill.audit (event, detail) VALUES ('unlocked', $1)", "s",
                        employee_no);
}

/* --- settings --- */

const char *const RS_SERVER_SETTINGS[] = { "organization-name", "offered-modes", "offered-skills",
                                           "kiosk-idle-timeout", NULL };

static gboolean
all_known (GVariant *list, gboolean (*known) (const char *))
{
  GVariantIter iter;
  const char *id;

  g_variant_iter_init (&iter, list);
  while (g_variant_iter_next (&iter, "&s", &id))
    if (!known (id))
      return FALSE;
  return TRUE;
}

static gboolean
known_mode (const char *id)
{
  return rs_mode_from_id (id) != RS_MODE_INVALID;
}

static gboolean
known_skill (const char *id)
{
  return rs_skill_from_id (id) != RS_SKILL_INVALID;
}

gboolean
rs_server_setting_parse (const char *key, const char *text, GVariant **value, GError **error)
{
  /* The types and ranges of data/io.github.reskill.Reskill.gschema.xml. */
  static const struct {
    const char *key;
    const char *type;
  } types[] = { { "organization-name", "s" }, { "offered-modes", "as" }, { "offered-skills", "as" },
                { "kiosk-idle-timeout", "u" } };
  g_autoptr (GVariant) parsed = NULL;
  g_autoptr (GError) local = NULL;
  const char *type = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    if (g_strcmp0 (key, types[i].key) == 0)
      type = types[i].type;
  if (type == NULL)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_INVALID, _("%s is not a setting kiosks take from the server (%s, %s, "
                     "%s or %s)"), key, RS_SERVER_SETTINGS[0], RS_SERVER_SETTINGS[1], RS_SERVER_SETTINGS[2],
                   RS_SERVER_SETTINGS[3]);
      return FALSE;
    }
  parsed = g_variant_parse (G_VARIANT_TYPE (type), text, NULL, NULL, &local);
  if (parsed == NULL)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_INVALID, _("%s: \"%s\" is not a value of type %s (%s)"), key, text, type,
                   local->message);
      return FALSE;
    }
  if ((g_str_equal (key, "offered-modes") && (!all_known (parsed, known_mode) || g_variant_n_children (parsed) == 0))
      || (g_str_equal (key, "offered-skills")
          && (!all_known (parsed, known_skill) || g_variant_n_children (parsed) == 0))
      || (g_str_equal (key, "kiosk-idle-timeout")
          && (g_variant_get_uint32 (parsed) < 30 || g_variant_get_uint32 (parsed) > 3600)))
    {
      g_set_error (error, RS_ERROR, RS_ERROR_INVALID, _("%s: %s is not allowed (modes quick, standard, precise; "
                     "skills python, statistics, ml, empathy; a timeout of 30 to 3600 seconds)"), key, text);
      return FALSE;
    }
  if (value != NULL)
    *value = g_variant_ref_sink (g_steal_pointer (&parsed));
  return TRUE;
}

gboolean
rs_server_set_setting (RsPg *pg, const char *key, const char *text, GError **error)
{
  g_autoptr (GVariant) value = NULL;
  g_autofree char *printed = NULL;

  if (text == NULL)
    {
      if (!g_strv_contains (RS_SERVER_SETTINGS, key))
        return rs_server_setting_parse (key, "", NULL, error);
      return rs_pg_exec (pg, error, "DELETE FROM reskill.settings WHERE key = $1", "s", key);
    }
  if (!rs_server_setting_parse (key, text, &value, error))
    return FALSE;
  printed = g_variant_print (value, FALSE);
  return rs_pg_exec (pg, error,
                     "INSERT INTO reskill.settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE"
                     " SET value = excluded.value, changed_at = now (), changed_by = session_user",
                     "ss", key, printed);
}

char *
rs_server_conninfo_with_user (const char *conninfo, const char *user, GError **error)
{
  char *message = NULL;
  PQconninfoOption *options = PQconninfoParse (conninfo, &message);
  GString *out;

  if (options == NULL)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_INVALID, _("The connection string cannot be read: %s"),
                   message != NULL ? message : "out of memory");
      PQfreemem (message);
      return NULL;
    }
  out = g_string_new (NULL);
  for (PQconninfoOption *o = options; o->keyword != NULL; o++)
    {
      const char *value = g_str_equal (o->keyword, "user") ? user : o->val;

      if (value == NULL || g_str_equal (o->keyword, "password"))
        continue;
      g_string_append_printf (out, "%s%s='", out->len > 0 ? " " : "", o->keyword);
      for (const char *p = value; *p != '\0'; p++)
        {
          if (*p == '\'' || *p == '\\')
            g_string_append_c (out, '\\');
          g_string_append_c (out, *p);
        }
      g_string_append_c (out, '\'');
    }
  if (strstr (out->str, "user='") == NULL)
    g_string_append_printf (out, "%suser='%s'", out->len > 0 ? " " : "", user);
  PQconninfoFree (options);
  return g_string_free (out, FALSE);
}

/* --- privacy --- */

gboolean
rs_server_get_policy (RsPg *pg, RsPrivacyPolicy *policy, GError **error)
{
  g_autoptr (PGresult) row = rs_pg_query (pg, error,
                                          "SELECT visibility, min_group, keep_results_months, keep_inactive_months,"
                                          " anonymous_answers, version, coalesce (changed_at, 0)"
                                          " FROM reskill.privacy_policy", "");

  if (row == NULL)
    return FALSE;
  rs_privacy_policy_init (policy);
  if (PQntuples (row) != 1 || !rs_visibility_from_id (rs_pg_text (row, 0, 0), FALSE, &policy->visibility))
    {
      g_set_error (error, RS_ERROR, RS_ERROR_DB_CORRUPT, _("%s has no privacy policy a kiosk can read: it was "
                                                           "changed by hand."), rs_pg_describe (pg));
      return FALSE;
    }
  policy->min_group = (guint) rs_pg_int (row, 0, 1);
  policy->keep_results_months = (guint) rs_pg_int (row, 0, 2);
  policy->keep_inactive_months = (guint) rs_pg_int (row, 0, 3);
  policy->anonymous_answers = rs_pg_bool (row, 0, 4);
  policy->version = rs_pg_int (row, 0, 5);
  policy->changed_at = rs_pg_int (row, 0, 6);
  return TRUE;
}

gboolean
rs_server_set_policy (RsPg *pg, const RsPrivacyPolicy *policy, GError **error)
{
  g_autoptr (PGresult) changed = NULL;

  if (!rs_privacy_check_policy (policy, error))
    return FALSE;
  /* The server's trigger raises the version when anything changed, and
   * audits it; the policy lets only an administrator write. */
  changed = rs_pg_query (pg, error,
                         "UPDATE reskill.privacy_policy SET visibility = $1, min_group = $2::int,"
                         " keep_results_months = $3::int, keep_inactive_months = $4::int, anonymous_answers = $5::boolean"
                         " RETURNING version", "siiib", rs_visibility_id (policy->visibility), (int) policy->min_group,
                         (int) policy->keep_results_months, (int) policy->keep_inactive_months,
                         policy->anonymous_answers);
  if (changed == NULL)
    return FALSE;
  return TRUE;
}

gboolean
rs_server_set_team_visibility (RsPg *pg, const char *team_name, RsVisibility visibility, GError **error)
{
  g_autoptr (PGresult) team = rs_pg_query (pg, error, "SELECT id FROM reskill.teams WHERE name = $1", "s", team_name);

  if (team == NULL)
    return FALSE;
  if (PQntuples (team) != 1)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_NOT_FOUND, _("There is no team named \u201c%s\u201d."), team_name);
      return FALSE;
    }
  if (visibility == RS_VISIBILITY_INHERIT)
    return rs_pg_exec (pg, error, "DELETE FROM reskill.team_policies WHERE team_id = $1::bigint", "l",
                       rs_pg_int (team, 0, 0));
  return rs_pg_exec (pg, error,
                     "INSERT INTO reskill.team_policies (team_id, visibility) VALUES ($1::bigint, $2)"
                     " ON CONFLICT (team_id) DO UPDATE SET visibility = excluded.visibility"
                     " WHERE team_policies.visibility <> excluded.visibility", "ls", rs_pg_int (team, 0, 0),
                     rs_visibility_id (visibility));
}

gboolean
rs_server_set_wording (RsPg *pg, const char *lang, const char *text, GError **error)
{
  g_autofree char *trimmed = text != NULL ? g_strstrip (g_strdup (text)) : NULL;

  if (lang == NULL)
    lang = "";
  if (!rs_privacy_lang_valid (lang))
    {
      g_set_error (error, RS_ERROR, RS_ERROR_INVALID, _("\u201c%s\u201d is not a language code such as de or de_CH."),
                   lang);
      return FALSE;
    }
  if (trimmed != NULL && !g_utf8_validate (trimmed, -1, NULL))
    {
      g_set_error_literal (error, RS_ERROR, RS_ERROR_INVALID, _("The organization's wording is not UTF-8 text."));
      return FALSE;
    }
  if (trimmed != NULL && strlen (trimmed) > RS_PRIVACY_MAX_WORDING)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_INVALID,
                   _("The organization's wording is longer than %d bytes: keep the notice short."),
                   RS_PRIVACY_MAX_WORDING);
      return FALSE;
    }
  if (trimmed == NULL || trimmed[0] == '\0')
    return rs_pg_exec (pg, error, "DELETE FROM reskill.notice_wording WHERE lang = $1", "s", lang);
  return rs_pg_exec (pg, error,
                     "INSERT INTO reskill.notice_wording (lang, text) VALUES ($1, $2) ON CONFLICT (lang)"
                     " DO UPDATE SET text = excluded.text WHERE notice_wording.text <> excluded.text", "ss", lang,
                     trimmed);
}

GPtrArray *
rs_server_who_looked (RsPg *pg, const char *employee_no, GError **error)
{
  g_autoptr (GPtrArray) views = g_ptr_array_new_with_free_func ((GDestroyNotify) rs_result_view_free);
  g_autoptr (PGresult) rows = rs_pg_query (pg, error,
                                           "SELECT at, viewer_name, viewer_employee_no, viewer_role, what"
                                           " FROM reskill.who_looked ($1)", "s", employee_no);

  if (rows == NULL)
    return NULL;
  for (int i = 0; i < PQntuples (rows); i++)
    {
      RsResultView *view = g_new0 (RsResultView, 1);

      view->at = rs_pg_int (rows, i, 0);
      view->viewer_name = g_strdup (rs_pg_text (rows, i, 1));
      view->viewer_employee_no = g_strdup (rs_pg_text (rows, i, 2));
      view->viewer_role = g_strdup (rs_pg_text (rows, i, 3));
      view->kind = RS_VIEW_TEAM_REPORT;
      for (int k = 0; k < RS_N_VIEW_KINDS; k++)
        if (g_strcmp0 (rs_view_kind_id ((RsViewKind) k), rs_pg_text (rows, i, 4)) == 0)
          view->kind = (RsViewKind) k;
      g_ptr_array_add (views, view);
    }
  return g_steal_pointer (&views);
}

gboolean
rs_server_retention (RsPg *pg, gboolean dry_run, gint64 now_us, int *n_attempts, int *n_answers, int *n_people,
                     GError **error)
{
  g_autoptr (PGresult) row = rs_pg_query (pg, error,
                                          "SELECT n_attempts, n_answers, n_people"
                                          " FROM reskill.run_retention ($1::boolean, $2::bigint)", "bl", dry_run,
                                          now_us);

  if (row == NULL)
    return FALSE;
  *n_attempts = (int) rs_pg_int (row, 0, 0);
  *n_answers = (int) rs_pg_int (row, 0, 1);
  *n_people = (int) rs_pg_int (row, 0, 2);
  return TRUE;
}
