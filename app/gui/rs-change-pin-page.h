/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The signed-in person changes their PIN. Forced right after signing in
 * with a one-time PIN (one an administrator made): then the current PIN is
 * not asked again (the store allows that only while the PIN is one-time)
 * and the page cannot be left except by signing out. ::changed when the new
 * PIN is stored. */
#pragma once

#include <adwaita.h>

#include "rs-page.h"

G_BEGIN_DECLS

#define RS_TYPE_CHANGE_PIN_PAGE (rs_change_pin_page_get_type ())
G_DECLARE_FINAL_TYPE (RsChangePinPage, rs_change_pin_page, RS, CHANGE_PIN_PAGE, RsPage)

GtkWidget *rs_change_pin_page_new (void);
/* Empties the fields and says whether the change is forced. */
void rs_change_pin_page_start (RsChangePinPage *self, gboolean forced);
gboolean rs_change_pin_page_get_forced (RsChangePinPage *self);
/* What the page says under the fields; NULL when nothing. */
const char *rs_change_pin_page_get_message (RsChangePinPage *self);

G_END_DECLS
