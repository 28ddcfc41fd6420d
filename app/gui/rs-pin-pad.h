/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A numeric keypad for touch screens: digits, delete and OK, typing into
 * the number and PIN fields of the form that owns it (RsPinForm), so the
 * keypad's rules live here once. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define RS_TYPE_PIN_PAD (rs_pin_pad_get_type ())
G_DECLARE_FINAL_TYPE (RsPinPad, rs_pin_pad, RS, PIN_PAD, AdwBin)

GtkWidget *rs_pin_pad_new (void);

/* The two fields the keypad types into: the employee number and the PIN.
 * Digits and delete go to the field that last had the focus; OK (or Enter
 * in a field) on the number moves to the PIN, on the PIN emits "submit". */
void rs_pin_pad_set_fields (RsPinPad *self, GtkEditable *number, GtkEditable *pin);
/* Empties both fields and points the keypad at the number again: nothing of
 * the last person's number or PIN stays. */
void rs_pin_pad_clear (RsPinPad *self);
/* Sends the keypad's input to field (one of the two) and focuses it. */
void rs_pin_pad_set_target (RsPinPad *self, GtkEditable *field);

G_END_DECLS
