/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The team report for a manager (their teams) or an administrator (any
 * team): the members × skills map, each skill's distribution, role
 * readiness, progress by quarter, and PDF / CSV export. Opening a member
 * emits ::open-member with their person id. */
#pragma once

#include <adwaita.h>

#include "rs-page.h"
#include "rs-report.h"

G_BEGIN_DECLS

#define RS_TYPE_TEAM_PAGE (rs_team_page_get_type ())
G_DECLARE_FINAL_TYPE (RsTeamPage, rs_team_page, RS, TEAM_PAGE, RsPage)

typedef enum {
  RS_TEAM_EXPORT_PDF,
  RS_TEAM_EXPORT_CSV,
} RsTeamExport;

/* Lists the teams the signed-in person may see (rs_access_visible_teams)
 * and shows one: the one shown before, else the person's own, else the
 * first. FALSE with error when the store refuses or cannot be read. */
gboolean rs_team_page_refresh (RsTeamPage *self, GError **error);
/* Shows this team (one of the visible ones). */
gboolean rs_team_page_select_team (RsTeamPage *self, gint64 team_id, GError **error);
/* NULL when no team is shown. */
const RsTeamReport *rs_team_page_get_report (RsTeamPage *self);
guint rs_team_page_get_n_teams (RsTeamPage *self);
/* The map's widgets for one member (NULL when not shown): the button that
 * opens them, and a skill's cell (an RsReportChart). */
GtkWidget *rs_team_page_get_member_button (RsTeamPage *self, const char *employee_no);
GtkWidget *rs_team_page_get_cell (RsTeamPage *self, const char *employee_no, RsSkill skill);

/* What the export buttons do once a file is chosen: writes the file, then
 * a toast on success or a message dialog on failure. */
gboolean rs_team_page_export (RsTeamPage *self, RsTeamExport format, const char *path, GError **error);

G_END_DECLS
