/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Administration, question bank: reload from the questions folder with
 * every validation problem shown as file:line: message, and per-item
 * statistics with the items flagged for review first, with their reasons. */
#pragma once

#include <adwaita.h>

#include "rs-context.h"

G_BEGIN_DECLS

#define RS_TYPE_ADMIN_BANK (rs_admin_bank_get_type ())
G_DECLARE_FINAL_TYPE (RsAdminBank, rs_admin_bank, RS, ADMIN_BANK, AdwBin)

void rs_admin_bank_set_context (RsAdminBank *self, RsContext *context);
/* Shows the bank in use, its diagnostics and the item statistics. */
gboolean rs_admin_bank_refresh (RsAdminBank *self, GError **error);
/* Loads the questions folder again. A folder that cannot be read, or that
 * gives no question at all, leaves the bank in use as it is (FALSE with
 * error); otherwise the new bank replaces it and its problems are listed. */
gboolean rs_admin_bank_reload (RsAdminBank *self, GError **error);
guint rs_admin_bank_get_n_diagnostics (RsAdminBank *self);
/* The diagnostic lines shown ("file:line: message"), for tests. */
const GPtrArray *rs_admin_bank_get_diagnostic_lines (RsAdminBank *self);
void rs_admin_bank_clear (RsAdminBank *self);

G_END_DECLS
