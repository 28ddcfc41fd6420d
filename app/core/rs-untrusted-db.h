/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Opening an SQLite file that came from elsewhere (a results bundle on a
 * USB stick) so that it cannot be turned against the program reading it.
 *
 * An SQLite file is code as much as data: its schema may hold views and
 * triggers that run on reading, tables with other columns than expected,
 * and b-trees built to loop. So the file is:
 *
 * - a regular file no larger than a cap, opened read-only and immutable
 *   (nothing, not even a lock, is written beside it);
 * - opened with SQLITE_DBCONFIG_DEFENSIVE on, trusted_schema off, views and
 *   triggers disabled, and tight sqlite3_limit() values (string length,
 *   SQL length, columns, expression depth, no attached databases);
 * - compared, before any other read, with the exact schema expected: the
 *   same tables, columns, indexes and SQL text as the program itself writes
 *   (sqlite_schema row by row against a copy made in memory from the same
 *   CREATE statements), so no view, trigger, virtual or extra table passes;
 * - read under a progress handler that interrupts any statement past a
 *   deadline or when the caller cancels.
 *
 * Only then may the caller run PRAGMA integrity_check and its queries. */
#pragma once

#include <gio/gio.h>
#include <sqlite3.h>

G_BEGIN_DECLS

typedef struct _RsUntrustedDb RsUntrustedDb;

typedef struct {
  const char *what;               /* "results bundle", for messages */
  const char *schema;             /* the CREATE statements the file must have, exactly */
  /* Older schemas recognized only to refuse them with a message of their
   * own ("made by an older Reskill"); may be NULL. */
  const char *const *old_schemas;
  const char *const *old_messages;
  /* Other schemas that are accepted too (an earlier format still read);
   * may be NULL. rs_untrusted_db_schema() says which one the file has. */
  const char *const *other_schemas;
  gint64 max_size;                /* bytes */
  gint64 deadline_us;             /* g_get_monotonic_time () after which reads stop */
  GCancellable *cancellable;      /* may be NULL */
} RsUntrustedDbOptions;

/* NULL with error (RS_ERROR_*, "PATH: ...") when refused. */
RsUntrustedDb *rs_untrusted_db_open (const char *path, const RsUntrustedDbOptions *options, GError **error);
void rs_untrusted_db_close (RsUntrustedDb *db);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RsUntrustedDb, rs_untrusted_db_close)

sqlite3 *rs_untrusted_db_handle (RsUntrustedDb *db);
/* 0: the file has options->schema; i + 1: options->other_schemas[i]. */
int rs_untrusted_db_schema (RsUntrustedDb *db);
/* Whether a failed read was the deadline or the caller cancelling, and the
 * error to report then (RS_ERROR_FAILED / G_IO_ERROR_CANCELLED). */
gboolean rs_untrusted_db_interrupted (RsUntrustedDb *db, GError **error);

G_END_DECLS
