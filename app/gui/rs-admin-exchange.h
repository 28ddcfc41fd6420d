/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Administration, results exchange between kiosks: the organization
 * server's sync status and "Sync now", this kiosk's signing key,
 * the kiosks it trusts (trust by fingerprint or key file, revoke), and
 * exporting and importing results bundles. Exports and imports run on a
 * worker thread with a progress bar and a Cancel button: a large or hostile
 * bundle never freezes the kiosk. */
#pragma once

#include <adwaita.h>

#include "rs-page.h"

G_BEGIN_DECLS

#define RS_TYPE_ADMIN_EXCHANGE (rs_admin_exchange_get_type ())
G_DECLARE_FINAL_TYPE (RsAdminExchange, rs_admin_exchange, RS, ADMIN_EXCHANGE, RsPage)

/* What the buttons do once files are chosen. Each starts a job on a worker
 * thread and returns FALSE (with error) only when it cannot start (another
 * job is running); the outcome is a line in the page's log when the job
 * ends. An existing file at path is replaced (the chooser asked). */
gboolean rs_admin_exchange_export_to (RsAdminExchange *self, const char *path, GError **error);
/* Imports each bundle in turn on the worker thread. */
gboolean rs_admin_exchange_import_files (RsAdminExchange *self, GSList *paths, GError **error);
/* A job is running. */
gboolean rs_admin_exchange_is_busy (RsAdminExchange *self);
/* Stops the running job at its next check; nothing of it is written. */
void rs_admin_exchange_cancel (RsAdminExchange *self);
/* Trusts a kiosk by fingerprint or public key file (name may be NULL),
 * revokes one by fingerprint or name; the list on the page follows. */
gboolean rs_admin_exchange_trust (RsAdminExchange *self, const char *fingerprint_or_file, const char *name,
                                  GError **error);
gboolean rs_admin_exchange_revoke (RsAdminExchange *self, const char *fingerprint_or_name, GError **error);
/* "Sync now": FALSE when no organization server is set. The status line
 * (the row's subtitle) says how the last sync went and what waits. */
gboolean rs_admin_exchange_sync_now (RsAdminExchange *self);
const char *rs_admin_exchange_get_sync_status (RsAdminExchange *self);
/* The last line of the log, for tests. */
const char *rs_admin_exchange_get_last_message (RsAdminExchange *self);

G_END_DECLS
