/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The store's statement helpers, shared with the core units that keep their
 * own tables or queries (reports, people import, result exchange) so that
 * every SQL statement in Reskill is prepared once, bound by type and mapped
 * into RS_ERROR the same way. Not for use outside app/core. */
#pragma once

#include <sqlite3.h>

#include "rs-store.h"

G_BEGIN_DECLS

/* A cached statement lent for one use; the cleanup resets it and clears its
 * bindings (which makes binding text with SQLITE_STATIC safe). */
typedef sqlite3_stmt RsStoreStmt;
void rs_store_stmt_release (RsStoreStmt *stmt);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RsStoreStmt, rs_store_stmt_release)

/* Public functions hold this while they use the database; none calls another
 * public store function while holding it. */
GMutex *rs_store_get_lock (RsStore *store);

/* The clock behind every timestamp (unix µs); see rs_store_set_clock. */
gint64 rs_store_now (void);

/* sql must be a string constant (it keys the statement cache). types has one
 * letter per parameter: 's' const char * (NULL binds NULL), 'i' int,
 * 'l' gint64, 'r' gint64 row id where 0 binds NULL, 'd' double. */
sqlite3_stmt *rs_store_query (RsStore *store, GError **error, const char *sql, const char *types, ...);
sqlite3_stmt *rs_store_queryv (RsStore *store, GError **error, const char *sql, const char *types, va_list args);
/* SQLITE_ROW or SQLITE_DONE; anything else is mapped into error. */
int rs_store_step (RsStore *store, sqlite3_stmt *stmt, GError **error);
gboolean rs_store_exec (RsStore *store, GError **error, const char *sql, const char *types, ...);
gboolean rs_store_get_int (RsStore *store, gint64 *value, GError **error, const char *sql, const char *types, ...);
gboolean rs_store_get_text (RsStore *store, char **text, GError **error, const char *sql, const char *types, ...);
/* BEGIN IMMEDIATE (write) or BEGIN; rs_store_end commits when ok, else rolls back. */
gboolean rs_store_begin (RsStore *store, gboolean write, GError **error);
gboolean rs_store_end (RsStore *store, gboolean ok, GError **error);
void rs_store_fail (RsStore *store, int rc, GError **error);
char *rs_store_column_strdup (sqlite3_stmt *stmt, int column);
/* rs_store_load_attempt() for code that already holds the lock, inside a
 * transaction (the export). */
RsAttempt *rs_store_load_attempt_tx (RsStore *store, const char *uuid, GError **error);
/* Inserts a whole attempt (responses, results, self-estimates) as it is,
 * inside the caller's write transaction. person_id 0: a guest. */
gboolean rs_store_insert_attempt_tx (RsStore *store, const RsAttempt *attempt, gint64 person_id, GError **error);
/* Stores a result's level probabilities (nothing when it has none), inside
 * the caller's transaction. */
gboolean rs_store_set_level_probabilities_tx (RsStore *store, const char *uuid, const RsSkillResult *result,
                                              GError **error);
/* Levels are stored as lower-case names ("proficient"). */
char *rs_store_level_to_db (RsLevel level);

G_END_DECLS
