/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Administration, results exchange between kiosks: export a results bundle
 * and import bundles, through file choosers, with what each one added. */
#pragma once

#include <adwaita.h>

#include "rs-context.h"

G_BEGIN_DECLS

#define RS_TYPE_ADMIN_EXCHANGE (rs_admin_exchange_get_type ())
G_DECLARE_FINAL_TYPE (RsAdminExchange, rs_admin_exchange, RS, ADMIN_EXCHANGE, AdwBin)

void rs_admin_exchange_set_context (RsAdminExchange *self, RsContext *context);
/* What the buttons do once files are chosen; each adds a line to the log
 * on the page. An existing file at path is replaced (the chooser asked). */
gboolean rs_admin_exchange_export_to (RsAdminExchange *self, const char *path, GError **error);
/* Imports each bundle in turn; returns how many were imported. */
guint rs_admin_exchange_import_files (RsAdminExchange *self, GSList *paths);
/* The last line of the log, for tests. */
const char *rs_admin_exchange_get_last_message (RsAdminExchange *self);
void rs_admin_exchange_clear (RsAdminExchange *self);

G_END_DECLS
