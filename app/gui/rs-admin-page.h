/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Administration: a view switcher over people, teams, the question bank,
 * settings and results exchange. Only an administrator reaches it (the
 * window enables win.admin for them alone), and every core call behind it
 * checks again. The sections are RsPage sections of this page: they share
 * its context, and their toasts and errors come out of it. */
#pragma once

#include <adwaita.h>

#include "rs-admin-bank.h"
#include "rs-admin-exchange.h"
#include "rs-admin-people.h"
#include "rs-admin-teams.h"
#include "rs-admin-settings.h"
#include "rs-page.h"

G_BEGIN_DECLS

#define RS_TYPE_ADMIN_PAGE (rs_admin_page_get_type ())
G_DECLARE_FINAL_TYPE (RsAdminPage, rs_admin_page, RS, ADMIN_PAGE, RsPage)

/* Loads every section for the signed-in administrator. */
gboolean rs_admin_page_refresh (RsAdminPage *self, GError **error);
/* "people", "teams", "bank", "settings" or "exchange". */
void rs_admin_page_show_section (RsAdminPage *self, const char *name);

RsAdminPeople *rs_admin_page_get_people (RsAdminPage *self);
RsAdminTeams *rs_admin_page_get_teams (RsAdminPage *self);
RsAdminBank *rs_admin_page_get_bank (RsAdminPage *self);
RsAdminSettings *rs_admin_page_get_settings (RsAdminPage *self);
RsAdminExchange *rs_admin_page_get_exchange (RsAdminPage *self);

G_END_DECLS
