/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A connection to the organization's PostgreSQL server, through libpq,
 * with every failure mapped into RS_ERROR the way rs-store maps SQLite's.
 *
 * Where the connection string comes from is the caller's business (the
 * command line's --server, or the GSettings key "server"); what it may
 * hold is decided here: no password. libpq reads passwords from
 * ~/.pgpass (or PGPASSFILE), services from ~/.pg_service.conf and
 * PGSERVICEFILE, TLS from sslmode, sslrootcert and the like, and every PG*
 * variable, exactly as psql does; a password written into the string
 * itself would end up in argv, in GSettings and in logs, so it is refused.
 * A password typed at a terminal is passed to libpq directly
 * (rs_pg_connect_full) and never stored.
 *
 * Statements are constant SQL with $n parameters bound by type, as in
 * rs-store-private.h: 's' text (NULL binds NULL), 'i' int, 'l' gint64,
 * 'd' double (exactly, as text of 17 digits), 'b' boolean (gboolean),
 * 'x' bytes (a GBytes *, sent in binary). */
#pragma once

#include <glib.h>
#include <libpq-fe.h>

G_BEGIN_DECLS

typedef struct _RsPg RsPg;

/* Seconds libpq waits for a server that does not answer, unless the
 * connection string says connect_timeout. */
#define RS_PG_CONNECT_TIMEOUT 10

/* FALSE with RS_ERROR_INVALID when conninfo cannot be parsed or carries a
 * password. */
gboolean rs_pg_conninfo_check (const char *conninfo, GError **error);

/* Connects. Failures: RS_ERROR_UNREACHABLE (no server there, refused,
 * timed out, starting or stopping: try again later), RS_ERROR_AUTH
 * (authentication failed, or a password is needed: *needs_password, may be
 * NULL, says so), RS_ERROR_INVALID (a bad connection string). password may
 * be NULL. */
RsPg *rs_pg_connect_full (const char *conninfo, const char *password, gboolean *needs_password, GError **error);
RsPg *rs_pg_connect (const char *conninfo, GError **error);
void rs_pg_close (RsPg *pg);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RsPg, rs_pg_close)

PGconn *rs_pg_conn (RsPg *pg);
/* "user@host:port/dbname", for messages: never a password. */
const char *rs_pg_describe (RsPg *pg);
/* The login role (session_user). */
const char *rs_pg_user (RsPg *pg);

/* A query's rows (PGRES_TUPLES_OK) or a command's result (PGRES_COMMAND_OK);
 * NULL and an error otherwise. Free with PQclear (g_autoptr (PGresult)). */
PGresult *rs_pg_query (RsPg *pg, GError **error, const char *sql, const char *types, ...);
gboolean rs_pg_exec (RsPg *pg, GError **error, const char *sql, const char *types, ...);
/* Runs a script of constant SQL (no parameters), for migrations. */
gboolean rs_pg_exec_script (RsPg *pg, const char *script, GError **error);

gboolean rs_pg_begin (RsPg *pg, GError **error);
/* Commits when ok, else rolls back; returns whether the work is committed. */
gboolean rs_pg_end (RsPg *pg, gboolean ok, GError **error);

/* Typed reads of a result's value (NULL reads as 0, FALSE or NULL). */
gint64 rs_pg_int (const PGresult *result, int row, int column);
double rs_pg_double (const PGresult *result, int row, int column);
gboolean rs_pg_bool (const PGresult *result, int row, int column);
const char *rs_pg_text (const PGresult *result, int row, int column);

/* Whether an error means the server could not be reached (or went away). */
gboolean rs_pg_error_is_unreachable (const GError *error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGresult, PQclear)

G_END_DECLS
