/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Leaving kiosk mode: an administrator's employee number and PIN in the
 * same form as at sign-in (RsPinForm), checked by rs_kiosk_authorize_exit:
 * wrong PINs count and lock out as for any account, anyone else's right PIN
 * reads and counts as a wrong one, the exit is audited. Drawn inside the
 * window like the idle warning. Emits ::authorized when the PIN was an
 * administrator's, ::cancelled on Cancel or Escape. */
#pragma once

#include <adwaita.h>

#include "rs-context.h"
#include "rs-pin-form.h"

G_BEGIN_DECLS

#define RS_TYPE_KIOSK_EXIT_DIALOG (rs_kiosk_exit_dialog_get_type ())
G_DECLARE_FINAL_TYPE (RsKioskExitDialog, rs_kiosk_exit_dialog, RS, KIOSK_EXIT_DIALOG, AdwBin)

GtkWidget *rs_kiosk_exit_dialog_new (void);
void rs_kiosk_exit_dialog_set_context (RsKioskExitDialog *self, RsContext *context);
RsPinForm *rs_kiosk_exit_dialog_get_form (RsKioskExitDialog *self);
/* Empties the fields and the message and stops a check under way. */
void rs_kiosk_exit_dialog_reset (RsKioskExitDialog *self);
void rs_kiosk_exit_dialog_focus (RsKioskExitDialog *self);

G_END_DECLS
