/* SPDX-License-Identifier: GPL-3.0-or-later */
/* When a kiosk syncs (rs-sync.h): every "sync-interval" minutes in the
 * background while a server is set in GSettings ("server"), and at once
 * when an administrator presses "Sync now". Each sync runs on a worker
 * thread, never two at once, so the kiosk never waits on the network; the
 * status line (rs_sync_scheduler_describe) says how the last one went and
 * what waits. GTK-free: the application owns one per window's store. */
#pragma once

#include <gio/gio.h>

#include "rs-store.h"

G_BEGIN_DECLS

#define RS_TYPE_SYNC_SCHEDULER (rs_sync_scheduler_get_type ())
G_DECLARE_FINAL_TYPE (RsSyncScheduler, rs_sync_scheduler, RS, SYNC_SCHEDULER, GObject)

/* store must outlive the scheduler; settings may be NULL (then only the
 * server given by rs_sync_scheduler_set_server is used). */
RsSyncScheduler *rs_sync_scheduler_new (RsStore *store, GSettings *settings);
/* Overrides the settings' server (tests, the command line); NULL: back to
 * the settings. */
void rs_sync_scheduler_set_server (RsSyncScheduler *self, const char *conninfo);
/* The connection string in use, NULL when none is set. */
char *rs_sync_scheduler_dup_server (RsSyncScheduler *self);
/* Starts the background timer (a sync now, then every interval). */
void rs_sync_scheduler_start (RsSyncScheduler *self);
/* A sync now, unless one is running; FALSE when no server is set (or the
 * database is read-only or in memory). The "finished" signal says when it
 * is done. */
gboolean rs_sync_scheduler_sync_now (RsSyncScheduler *self);
gboolean rs_sync_scheduler_is_busy (RsSyncScheduler *self);
/* The status line: "No organization server set: this kiosk works alone",
 * "Syncing…", or rs_sync_status_describe's. */
char *rs_sync_scheduler_describe (RsSyncScheduler *self);
/* What the last sync did (its summary) or why it failed; NULL before. */
const char *rs_sync_scheduler_get_last_outcome (RsSyncScheduler *self);
gboolean rs_sync_scheduler_last_ok (RsSyncScheduler *self);
/* Stops the timer and forgets a running sync's result (it finishes on its
 * thread; the store stays usable). */
void rs_sync_scheduler_stop (RsSyncScheduler *self);

G_END_DECLS
