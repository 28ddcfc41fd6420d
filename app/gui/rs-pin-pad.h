/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A numeric keypad for touch screens: digits, delete and OK. It types into
 * nothing itself; the page that owns it decides which field gets the digits. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define RS_TYPE_PIN_PAD (rs_pin_pad_get_type ())
G_DECLARE_FINAL_TYPE (RsPinPad, rs_pin_pad, RS, PIN_PAD, AdwBin)

GtkWidget *rs_pin_pad_new (void);

/* What a page does with the keypad's "digit" and "backspace" signals on the
 * field it chose: append a digit, or delete the last character, keeping the
 * cursor at the end. */
void rs_pin_pad_append_digit (GtkEditable *editable, guint digit);
void rs_pin_pad_delete_last (GtkEditable *editable);

G_END_DECLS
