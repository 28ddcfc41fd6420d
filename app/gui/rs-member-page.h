/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One team member's results, opened from the team report: latest level and
 * band per skill, scores over time, and the role that fits best. */
#pragma once

#include <adwaita.h>

#include "rs-page.h"
#include "rs-report.h"

G_BEGIN_DECLS

#define RS_TYPE_MEMBER_PAGE (rs_member_page_get_type ())
G_DECLARE_FINAL_TYPE (RsMemberPage, rs_member_page, RS, MEMBER_PAGE, RsPage)

/* Loads rs_member_report_new for the signed-in viewer: refused (FALSE,
 * RS_ERROR_DENIED) for someone they may not see. */
gboolean rs_member_page_show_member (RsMemberPage *self, gint64 person_id, GError **error);
const RsMemberReport *rs_member_page_get_report (RsMemberPage *self);

G_END_DECLS
