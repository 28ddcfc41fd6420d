/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The employee number and PIN form, the one place that asks for them: the
 * two fields, the keypad, the message under them and its wording. The
 * sign-in page and the kiosk's exit dialog both use it, so a wrong PIN, a
 * lockout or a failure reads the same wherever it happens.
 *
 * The check runs on a worker thread (argon2id is slow on purpose); while
 * it runs the form is "busy" and its fields are frozen. What is checked
 * depends on the purpose: anyone's PIN (rs_store_authenticate), or an
 * administrator's to leave kiosk mode (rs_kiosk_authorize_exit), where
 * anyone else's right PIN gets the wrong-PIN answer. ::accepted lends the
 * person whose PIN it was; the form is emptied first.
 *
 * The message area keeps its room whether or not there is a message, so
 * nothing around it moves when one appears, and it wraps rather than
 * widening what holds it. */
#pragma once

#include <adwaita.h>

#include "rs-context.h"

G_BEGIN_DECLS

typedef enum {
  RS_PIN_FORM_SIGN_IN,
  RS_PIN_FORM_LEAVE_KIOSK,
} RsPinFormPurpose;

#define RS_TYPE_PIN_FORM_PURPOSE (rs_pin_form_purpose_get_type ())
GType rs_pin_form_purpose_get_type (void);

#define RS_TYPE_PIN_FORM (rs_pin_form_get_type ())
G_DECLARE_FINAL_TYPE (RsPinForm, rs_pin_form, RS, PIN_FORM, AdwBin)

GtkWidget *rs_pin_form_new (RsPinFormPurpose purpose);

/* "purpose": what the PIN is checked for; set once, at construction. */
RsPinFormPurpose rs_pin_form_get_purpose (RsPinForm *self);
/* "context": where the store is. */
void rs_pin_form_set_context (RsPinForm *self, RsContext *context);
RsContext *rs_pin_form_get_context (RsPinForm *self);

/* Checks what is typed. An empty field gets a message and the keyboard;
 * otherwise the check starts and the form is busy until it answers. */
void rs_pin_form_submit (RsPinForm *self);
/* "busy": a check is running. */
gboolean rs_pin_form_get_busy (RsPinForm *self);
/* "message": what the form says under the fields; NULL when nothing. */
const char *rs_pin_form_get_message (RsPinForm *self);

/* Stops a check under way and empties both fields and the message:
 * nothing of the last person's number or PIN stays. */
void rs_pin_form_reset (RsPinForm *self);
/* Puts the keyboard (and the keypad) on the employee number. */
void rs_pin_form_focus (RsPinForm *self);

/* The lockout wording: seconds until the lock ends, 0 when unknown. */
char *rs_pin_form_describe_lockout (int seconds);

G_END_DECLS
