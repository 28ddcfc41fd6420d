/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Where a manager or an administrator lands after signing in: take an
 * assessment, their own history, the team report and, for an administrator,
 * the administration pages. Employees never see it. */
#pragma once

#include <adwaita.h>

#include "rs-page.h"

G_BEGIN_DECLS

#define RS_TYPE_HOME_PAGE (rs_home_page_get_type ())
G_DECLARE_FINAL_TYPE (RsHomePage, rs_home_page, RS, HOME_PAGE, RsPage)

/* Greets the signed-in person and shows the entries their role allows. */
void rs_home_page_refresh (RsHomePage *self);
void rs_home_page_focus (RsHomePage *self);

G_END_DECLS
