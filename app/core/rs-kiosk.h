/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the kiosk asks of the core beyond an assessment: leaving kiosk mode
 * takes an administrator's PIN, checked like any sign-in (wrong PINs count
 * and lock out) and written to the audit log. */
#pragma once

#include "rs-store.h"

G_BEGIN_DECLS

/* TRUE when employee_no and pin belong to an active administrator; records
 * "kiosk-exit" in the audit log. A wrong PIN counts towards the lockout as
 * any sign-in does; a right PIN of someone who is not an administrator is
 * refused with RS_ERROR_DENIED (and does not reveal whether it was right). */
gboolean rs_kiosk_authorize_exit (RsStore *store, const char *employee_no, const char *pin,
                                  int *retry_after_seconds, GError **error);

G_END_DECLS
