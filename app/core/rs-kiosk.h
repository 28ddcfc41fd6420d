/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the kiosk asks of the core beyond an assessment: leaving kiosk mode
 * takes an administrator's PIN, checked like any sign-in (wrong PINs count
 * and lock out) and written to the audit log. */
#pragma once

#include "rs-store.h"

G_BEGIN_DECLS

/* The administrator, when employee_no and pin belong to an active one;
 * records "kiosk-exit" in the audit log. A wrong PIN counts towards the
 * lockout as any sign-in does, and so does the right PIN of anyone else
 * (rs_store_authenticate_role): the same RS_ERROR_AUTH message for both,
 * so the kiosk never confirms a valid number and PIN to whoever tries. */
RsPerson *rs_kiosk_authorize_exit (RsStore *store, const char *employee_no, const char *pin,
                                   int *retry_after_seconds, GError **error);

G_END_DECLS
