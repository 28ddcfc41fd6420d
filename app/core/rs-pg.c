/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libpq, with RS_ERROR: see rs-pg.h. */
#include "rs-pg.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "rs-error.h"
#include "rs-i18n.h"

struct _RsPg {
  PGconn *conn;
  char *description;
  char *user;
};

/* SQLSTATEs the server module and the schema's functions raise
 * (app/server/rs-pg-module.h). */
static const struct {
  const char *state;
  RsError code;
} reskill_states[] = {
  { "RS403", RS_ERROR_DENIED },
  { "RS404", RS_ERROR_NOT_FOUND },
  { "RS409", RS_ERROR_INVALID },
  { "RS422", RS_ERROR_INVALID },
  { "RS426", RS_ERROR_DB_TOO_NEW },
};

gboolean
rs_pg_conninfo_check (const char *conninfo, GError **error)
{
  char *message = NULL;
  PQconninfoOption *options;
  gboolean has_password = FALSE;

  if (conninfo == NULL || conninfo[0] == '\0')
    {
      g_set_error (error, RS_ERROR, RS_ERROR_INVALID, _("No server is configured: give --server, or set the "
                     "GSettings key io.github.reskill.Reskill server."));
      return FALSE;
    }
  options = PQconninfoParse (conninfo, &message);
  if (options == NULL)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_INVALID, _("The server's connection string cannot be read: %s"),
                   message != NULL ? g_strstrip (message) : _("out of memory"));
      PQfreemem (message);
      return FALSE;
    }
  for (PQconninfoOption *o = options; o->keyword != NULL; o++)
    if (g_str_equal (o->keyword, "password") && o->val != NULL && o->val[0] != '\0')
      has_password = TRUE;
  PQconninfoFree (options);
  if (has_password)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_INVALID,
                   _("The server's connection string holds a password, which would end up in the process list, the "
                     "settings and the logs. Put it in ~/.pgpass (mode 0600) instead, as libpq reads it."));
      return FALSE;
    }
  return TRUE;
}

static gboolean
state_is_unreachable (const char *state)
{
  /* 08: connection exceptions; 57P01-3: the server shuts down or starts;
   * 53300: too many connections (try again later). */
  return state == NULL || g_str_has_prefix (state, "08") || g_str_equal (state, "57P01")
         || g_str_equal (state, "57P02") || g_str_equal (state, "57P03") || g_str_equal (state, "53300");
}

static char *
describe (PGconn *conn)
{
  const char *host = PQhost (conn);

  return g_strdup_printf ("%s@%s%s%s/%s", PQuser (conn) != NULL ? PQuser (conn) : "?",
                          host != NULL && host[0] != '/' ? host : "localhost", PQport (conn) != NULL ? ":" : "",
                          PQport (conn) != NULL ? PQport (conn) : "", PQdb (conn) != NULL ? PQdb (conn) : "?");
}

RsPg *
rs_pg_connect_full (const char *conninfo, const char *password, gboolean *needs_password, GError **error)
{
  g_autofree char *timeout = g_strdup_printf ("%d", RS_PG_CONNECT_TIMEOUT);
  /* Defaults first: the connection string, expanded from dbname, overrides
   * them; the password typed at a terminal comes last. */
  const char *keywords[] = { "connect_timeout", "fallback_application_name", "dbname", "password", NULL };
  const char *values[] = { timeout, "reskill", conninfo, password, NULL };
  PGconn *conn;
  RsPg *pg;

  if (needs_password != NULL)
    *needs_password = FALSE;
  if (!rs_pg_conninfo_check (conninfo, error))
    return NULL;
  if (password == NULL)
    keywords[3] = NULL;
  conn = PQconnectdbParams (keywords, values, 1);
  if (conn == NULL)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_FAILED, _("Cannot connect to the server: out of memory."));
      return NULL;
    }
  if (PQstatus (conn) != CONNECTION_OK)
    {
      g_autofree char *message = g_strstrip (g_strdup (PQerrorMessage (conn)));
      gboolean wants_password = PQconnectionNeedsPassword (conn);
      gboolean auth = wants_password || strstr (message, "authentication failed") != NULL
                      || strstr (message, "no pg_hba.conf entry") != NULL
                      || strstr (message, "not permitted to log in") != NULL
                      || strstr (message, "permission denied") != NULL
                      || strstr (message, "does not exist") != NULL;

      if (needs_password != NULL)
        *needs_password = wants_password;
      /* libpq's own message in the middle, in libpq's language. */
      g_set_error (error, RS_ERROR, auth ? RS_ERROR_AUTH : RS_ERROR_UNREACHABLE, "%s: %s%s",
                   auth ? _("The organization's server refused the connection")
                        : _("The organization's server cannot be reached"), message,
                   wants_password ? _(" (it asks for a password: put it in ~/.pgpass)") : "");
      PQfinish (conn);
      return NULL;
    }
  /* Times and numbers as this program writes them, whatever the server's
   * defaults: floats exactly, no locale. */
  PQclear (PQexec (conn, "SET extra_float_digits = 3"));
  pg = g_new0 (RsPg, 1);
  pg->conn = conn;
  pg->description = describe (conn);
  pg->user = g_strdup (PQuser (conn));
  return pg;
}

RsPg *
rs_pg_connect (const char *conninfo, GError **error)
{
  return rs_pg_connect_full (conninfo, NULL, NULL, error);
}

void
rs_pg_close (RsPg *pg)
{
  if (pg == NULL)
    return;
  PQfinish (pg->conn);
  g_free (pg->description);
  g_free (pg->user);
  g_free (pg);
}

PGconn *
rs_pg_conn (RsPg *pg)
{
  return pg->conn;
}

const char *
rs_pg_describe (RsPg *pg)
{
  return pg->description;
}

const char *
rs_pg_user (RsPg *pg)
{
  return pg->user;
}

/* The one place libpq's failures become RS_ERROR codes. */
static void
set_error (RsPg *pg, const PGresult *result, GError **error)
{
  const char *state = result != NULL ? PQresultErrorField (result, PG_DIAG_SQLSTATE) : NULL;
  const char *primary = result != NULL ? PQresultErrorField (result, PG_DIAG_MESSAGE_PRIMARY) : NULL;
  g_autofree char *message = g_strstrip (g_strdup (primary != NULL ? primary : PQerrorMessage (pg->conn)));
  RsError code = RS_ERROR_DB;

  if (PQstatus (pg->conn) != CONNECTION_OK || state_is_unreachable (state))
    {
      g_set_error (error, RS_ERROR, RS_ERROR_UNREACHABLE, _("The organization's server (%s) went away: %s"),
                   pg->description, message[0] != '\0' ? message : _("the connection was lost"));
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (reskill_states); i++)
    if (g_str_equal (state, reskill_states[i].state))
      code = reskill_states[i].code;
  if (g_str_equal (state, "42501"))
    code = RS_ERROR_DENIED;
  else if (g_str_has_prefix (state, "28"))
    code = RS_ERROR_AUTH;
  else if (g_str_has_prefix (state, "23") || g_str_has_prefix (state, "22"))
    code = RS_ERROR_INVALID;
  /* The module's refusals say everything already; anything else names
   * the server. */
  if (g_str_has_prefix (state, "RS"))
    g_set_error (error, RS_ERROR, code, "%s", message);
  else
    g_set_error (error, RS_ERROR, code, _("The organization's server (%s): %s"), pg->description, message);
}

gboolean
rs_pg_error_is_unreachable (const GError *error)
{
  return error != NULL && g_error_matches (error, RS_ERROR, RS_ERROR_UNREACHABLE);
}

static PGresult *
query_valist (RsPg *pg, GError **error, const char *sql, const char *types, va_list args)
{
  int n = (int) strlen (types);
  g_autofree const char **values = g_new0 (const char *, MAX (n, 1));
  g_autofree int *lengths = g_new0 (int, MAX (n, 1));
  g_autofree int *formats = g_new0 (int, MAX (n, 1));
  g_autoptr (GPtrArray) owned = g_ptr_array_new_with_free_func (g_free);
  PGresult *result;
  ExecStatusType status;

  for (int i = 0; i < n; i++)
    {
      switch (types[i])
        {
        case 's':
          values[i] = va_arg (args, const char *);
          break;
        case 'i':
          values[i] = g_strdup_printf ("%d", va_arg (args, int));
          g_ptr_array_add (owned, (gpointer) values[i]);
          break;
        case 'l':
          values[i] = g_strdup_printf ("%" G_GINT64_FORMAT, va_arg (args, gint64));
          g_ptr_array_add (owned, (gpointer) values[i]);
          break;
        case 'd':
          {
            char *number = g_malloc (G_ASCII_DTOSTR_BUF_SIZE);
            values[i] = g_ascii_dtostr (number, G_ASCII_DTOSTR_BUF_SIZE, va_arg (args, double));
            g_ptr_array_add (owned, number);
            break;
          }
        case 'b':
          values[i] = va_arg (args, gboolean) ? "t" : "f";
          break;
        case 'x':
          {
            GBytes *bytes = va_arg (args, GBytes *);
            gsize length = 0;

            values[i] = bytes != NULL ? g_bytes_get_data (bytes, &length) : NULL;
            /* An empty value is not NULL. */
            if (bytes != NULL && values[i] == NULL)
              values[i] = "";
            lengths[i] = (int) length;
            formats[i] = 1;
            break;
          }
        default:
          g_return_val_if_reached (NULL);
        }
    }
  result = PQexecParams (pg->conn, sql, n, NULL, values, lengths, formats, 0);
  status = result != NULL ? PQresultStatus (result) : PGRES_FATAL_ERROR;
  if (status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK)
    return result;
  set_error (pg, result, error);
  PQclear (result);
  return NULL;
}

PGresult *
rs_pg_query (RsPg *pg, GError **error, const char *sql, const char *types, ...)
{
  PGresult *result;
  va_list args;

  va_start (args, types);
  result = query_valist (pg, error, sql, types, args);
  va_end (args);
  return result;
}

gboolean
rs_pg_exec (RsPg *pg, GError **error, const char *sql, const char *types, ...)
{
  PGresult *result;
  va_list args;

  va_start (args, types);
  result = query_valist (pg, error, sql, types, args);
  va_end (args);
  PQclear (result);
  return result != NULL;
}

gboolean
rs_pg_exec_script (RsPg *pg, const char *script, GError **error)
{
  PGresult *result = PQexec (pg->conn, script);
  ExecStatusType status = result != NULL ? PQresultStatus (result) : PGRES_FATAL_ERROR;
  gboolean ok = status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;

  if (!ok)
    set_error (pg, result, error);
  PQclear (result);
  return ok;
}

gboolean
rs_pg_begin (RsPg *pg, GError **error)
{
  return rs_pg_exec (pg, error, "BEGIN", "");
}

gboolean
rs_pg_end (RsPg *pg, gboolean ok, GError **error)
{
  if (ok && rs_pg_exec (pg, error, "COMMIT", ""))
    return TRUE;
  if (PQtransactionStatus (pg->conn) != PQTRANS_IDLE && PQstatus (pg->conn) == CONNECTION_OK)
    PQclear (PQexec (pg->conn, "ROLLBACK"));
  return FALSE;
}

gint64
rs_pg_int (const PGresult *result, int row, int column)
{
  if (PQgetisnull (result, row, column))
    return 0;
  return g_ascii_strtoll (PQgetvalue (result, row, column), NULL, 10);
}

double
rs_pg_double (const PGresult *result, int row, int column)
{
  if (PQgetisnull (result, row, column))
    return 0.0;
  return g_ascii_strtod (PQgetvalue (result, row, column), NULL);
}

gboolean
rs_pg_bool (const PGresult *result, int row, int column)
{
  return !PQgetisnull (result, row, column) && PQgetvalue (result, row, column)[0] == 't';
}

const char *
rs_pg_text (const PGresult *result, int row, int column)
{
  if (PQgetisnull (result, row, column))
    return NULL;
  return PQgetvalue (result, row, column);
}
