/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The welcome page: the product's name, its purpose, "Sign in" and "Try
 * without an account". Its buttons activate window actions. */
#pragma once

#include <adwaita.h>

#include "rs-page.h"

G_BEGIN_DECLS

#define RS_TYPE_WELCOME_PAGE (rs_welcome_page_get_type ())
G_DECLARE_FINAL_TYPE (RsWelcomePage, rs_welcome_page, RS, WELCOME_PAGE, RsPage)

GtkWidget *rs_welcome_page_new (void);
/* Puts the keyboard focus on "Sign in", for a person arriving at the kiosk. */
void rs_welcome_page_focus (RsWelcomePage *self);

G_END_DECLS
