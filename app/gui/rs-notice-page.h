/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The privacy notice (issue 14): shown after signing in (and after a
 * forced PIN change) whenever the signed-in person has not confirmed the
 * version in force. The text is the core's (rs_privacy_notice: made from
 * the policy in force for the person's team, with the organization's own
 * wording in the kiosk's language); the page only shows it and records the
 * confirmation of exactly the version shown. ::confirmed when it is
 * recorded; the only other way away is Sign Out. */
#pragma once

#include <adwaita.h>

#include "rs-page.h"

G_BEGIN_DECLS

#define RS_TYPE_NOTICE_PAGE (rs_notice_page_get_type ())
G_DECLARE_FINAL_TYPE (RsNoticePage, rs_notice_page, RS, NOTICE_PAGE, RsPage)

GtkWidget *rs_notice_page_new (void);
/* Fills the page with the notice in force for the signed-in person. FALSE
 * (error set) when it cannot be made. */
gboolean rs_notice_page_refresh (RsNoticePage *self, GError **error);
/* The version shown (0 before refresh). */
gint64 rs_notice_page_get_version (RsNoticePage *self);
/* The notice shown, as plain text (title, headings, bodies); NULL before
 * refresh. */
const char *rs_notice_page_get_text (RsNoticePage *self);
/* What the page says under the notice; NULL when nothing. */
const char *rs_notice_page_get_message (RsNoticePage *self);

G_END_DECLS
