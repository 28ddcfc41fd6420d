/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Sign-in with employee number and PIN (RsPinForm). The store checks the
 * PIN, counts wrong ones and locks the number; this page only shows what
 * it says. rs_page_clear empties the fields and the message. */
#pragma once

#include <adwaita.h>

#include "rs-page.h"
#include "rs-pin-form.h"

G_BEGIN_DECLS

#define RS_TYPE_SIGN_IN_PAGE (rs_sign_in_page_get_type ())
G_DECLARE_FINAL_TYPE (RsSignInPage, rs_sign_in_page, RS, SIGN_IN_PAGE, RsPage)

GtkWidget *rs_sign_in_page_new (void);
RsPinForm *rs_sign_in_page_get_form (RsSignInPage *self);
void rs_sign_in_page_focus (RsSignInPage *self);

G_END_DECLS
