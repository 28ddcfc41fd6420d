/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Administration, question bank: reload from the questions folder with
 * every validation problem shown as file:line: message, per-item
 * statistics with the items flagged for review first, with their reasons,
 * and calibration: each item's status (provisional, calibrated, flagged),
 * answers, parameters with SEs and fit; a calibration run on a worker
 * thread, reviewed, then applied; the decision on flagged items. Each of
 * the three is a list of its own (GtkListView), every item of any bank. */
#pragma once

#include <adwaita.h>

#include "rs-calibration.h"
#include "rs-page.h"

G_BEGIN_DECLS

#define RS_TYPE_ADMIN_BANK (rs_admin_bank_get_type ())
G_DECLARE_FINAL_TYPE (RsAdminBank, rs_admin_bank, RS, ADMIN_BANK, RsPage)

/* Shows the bank in use, its diagnostics and the item statistics. */
gboolean rs_admin_bank_refresh (RsAdminBank *self, GError **error);
/* Loads the questions folder again. A folder that cannot be read, or that
 * gives no question at all, leaves the bank in use as it is (FALSE with
 * error); otherwise the new bank replaces it and its problems are listed. */
gboolean rs_admin_bank_reload (RsAdminBank *self, GError **error);
guint rs_admin_bank_get_n_diagnostics (RsAdminBank *self);
/* The diagnostic lines shown ("file:line: message"), for tests. */
const GPtrArray *rs_admin_bank_get_diagnostic_lines (RsAdminBank *self);

/* Starts a calibration run on a worker thread (action bank.calibrate);
 * FALSE when one is already running. The result is kept for review. */
gboolean rs_admin_bank_calibrate (RsAdminBank *self);
gboolean rs_admin_bank_is_calibrating (RsAdminBank *self);
/* The run under review, NULL when none. */
const RsCalibration *rs_admin_bank_get_pending (RsAdminBank *self);
/* Stores the run under review and reloads the bank with it in force
 * (bank.apply-calibration). */
gboolean rs_admin_bank_apply_calibration (RsAdminBank *self, GError **error);
/* A decision on a flagged item of the calibration in force (bank.decide,
 * parameter (item id, "use" or "withhold")). */
gboolean rs_admin_bank_decide (RsAdminBank *self, const char *item_id, RsDecision decision, GError **error);
/* Re-scores past results with the calibration in force (bank.rescore). */
gboolean rs_admin_bank_rescore (RsAdminBank *self, int *n_rescored, GError **error);
guint rs_admin_bank_get_n_calibration_rows (RsAdminBank *self);
/* Shows one of the page's lists: "validation", "calibration" or "statistics". */
void rs_admin_bank_show_section (RsAdminBank *self, const char *name);

/* Why a question is flagged (RsItemFlags), in words, without its numbers. */
char *rs_admin_bank_flag_words (guint flags);

G_END_DECLS
