/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A kiosk's sync with the organization's server (rs-server.h): the one
 * function the command line (reskill sync), the admin page's "Sync now"
 * and the application's background timer call.
 *
 * Push: each attempt this kiosk started (guests' too) whose answers or
 * status changed since it was last pushed, as a signed unit (rs-unit.h),
 * one server transaction each; the server checks it as a bundle import
 * would, inside PostgreSQL, and merges it. What the server made of each
 * (added, updated, unchanged, conflict, skipped for an unknown person, a
 * bank or a calibration it lacks, refused and why) is kept per attempt
 * (sync_pushed); skipped and refused ones are offered again at every sync
 * (the server may have the person or the bank by then, a clock may have
 * been put right), conflicting ones when they change. The kiosk's sign-in
 * locks go too.
 *
 * Pull, in one snapshot of the server, applied in one local transaction
 * with the cursor it reached: teams, people (names, teams, roles, PIN
 * hashes, active), who manages which team, sign-in locks and unlocks, the
 * kiosk settings (into GSettings), the enrolled kiosks (trusted or revoked
 * here, for bundles too) and the calibration in force, which the kiosk
 * puts in force at its next start: never under a running assessment.
 *
 * Resumable and idempotent: an interrupted sync (network gone, server
 * stopped, kiosk killed) leaves every attempt either pushed and recorded,
 * pushed and not yet recorded (pushed again: the server finds it
 * unchanged), or not pushed; and the pull either applied with its cursor
 * or not at all. Nothing is lost, nothing doubled. The kiosk never waits
 * on the server to work: with the server down the sync fails with
 * RS_ERROR_UNREACHABLE, says so in its status, and everything stays here
 * for next time. */
#pragma once

#include <gio/gio.h>

#include "rs-store.h"

G_BEGIN_DECLS

typedef struct {
  GSettings *settings;         /* where pulled kiosk settings go; NULL: nowhere */
  GCancellable *cancellable;   /* checked between units */
  const char *password;        /* typed at a terminal; NULL: libpq's own sources */
} RsSyncOptions;

typedef struct {
  int pushed;                  /* units sent */
  int added, updated, unchanged, conflicts, skipped, refused;
  int locks_pushed;
  int people, teams, locks, settings, kiosks;   /* pulled and changed here */
  char *calibration;           /* a calibration pulled (its uuid); NULL: none new */
  /* Issue 14. */
  int erased;                  /* attempts the server keeps out: their person was erased */
  int erasures_pushed;         /* this kiosk's erasures (made or received here) the server lacked */
  int erasures_pulled;         /* erasures from the server applied here (tombstones kept) */
  int people_erased;           /* people erased here by them */
  gboolean policy;             /* the server's privacy policy taken here (a new notice version) */
  int views;                   /* records of who looked, pulled */
  GPtrArray *problems;         /* char *: "UUID: outcome: why", for conflicts, skips and refusals */
} RsSyncSummary;

void rs_sync_summary_clear (RsSyncSummary *summary);
/* "pushed 12 attempts (3 added, 9 updated); pulled 2 people, ...", then
 * one line per problem. */
char *rs_sync_summary_describe (const RsSyncSummary *summary);

/* Syncs store with the server at conninfo (rs-pg.h: no password in it).
 * FALSE: RS_ERROR_UNREACHABLE when the server cannot be reached or goes
 * away mid-way (what was done is kept), RS_ERROR_DB_TOO_NEW or
 * RS_ERROR_INVALID for a server of another schema version, RS_ERROR_DENIED
 * when the login is not an enrolled kiosk, RS_ERROR_AUTH when the password
 * is wrong or missing. Every outcome is recorded for rs_sync_status. */
gboolean rs_sync (RsStore *store, const char *conninfo, const RsSyncOptions *options, RsSyncSummary *summary,
                  GError **error);

/* The attempts this kiosk would push now: what the admin page shows as
 * waiting. The one place that decides what leaves the kiosk: never a
 * practice attempt (only its person sees it; once shared it is an
 * ordinary attempt and leaves at the next sync). */
GPtrArray *rs_sync_outgoing (RsStore *store, GError **error);

typedef struct {
  gint64 last_success;         /* unix µs of the last complete sync; 0: never */
  gint64 last_attempt;         /* of the last try, successful or not */
  char *last_error;            /* NULL after a success */
  gboolean unreachable;        /* the last try could not reach the server */
  int waiting;                 /* attempts to push */
  char *server_id;             /* the server last synced with; NULL: never */
} RsSyncStatus;

void rs_sync_status_clear (RsSyncStatus *status);
gboolean rs_sync_status (RsStore *store, RsSyncStatus *status, GError **error);
/* "Synced 10:42; 2 attempts waiting" / "Server unreachable since 10:42 (...);
 * this kiosk keeps working, 5 attempts waiting". */
char *rs_sync_status_describe (const RsSyncStatus *status);

/* The connection string from the settings ("server"), NULL when unset. */
char *rs_sync_configured_server (GSettings *settings);

G_END_DECLS
