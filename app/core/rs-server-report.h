/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Reports, item statistics and calibration against the organization's
 * server (rs-server.h), for whoever the login role is: a manager's or an
 * administrator's own login. The server's row-level security decides which
 * rows exist for them (the rules of rs-access.h, on the server); what is
 * computed from those rows is the core's own code (rs-report-private.h,
 * rs_item_stats_from_sums, rs_calibration_run_answers), so a report from
 * the server and one from a kiosk's database say the same. */
#pragma once

#include "rs-calibration.h"
#include "rs-item-stats.h"
#include "rs-pg.h"
#include "rs-privacy.h"
#include "rs-report.h"

G_BEGIN_DECLS

/* The person the login belongs to; RS_ERROR_DENIED when it is nobody's
 * (a kiosk's login, or a role no administrator gave a person). */
RsPerson *rs_server_viewer (RsPg *pg, GError **error);

/* The team of that name among those the viewer may see: the same refusal
 * as rs_report_find_team_for whether the team exists or not. */
gboolean rs_server_find_team (RsPg *pg, const RsPerson *viewer, const char *name, gint64 *team_id, GError **error);
RsTeamReport *rs_server_team_report (RsPg *pg, const RsRoleSet *roles, const RsPerson *viewer, gint64 team_id,
                                     GError **error);
/* The report was exported (PDF, CSV): who looked, on the server, when it
 * names people. */
gboolean rs_server_record_export (RsPg *pg, const RsTeamReport *report, RsViewKind kind, GError **error);
RsCompanyOverview *rs_server_company_overview (RsPg *pg, const RsRoleSet *roles, const RsPerson *viewer,
                                               GError **error);

/* From the sums the server keeps as answers arrive; administrators only. */
GPtrArray *rs_server_item_stats (RsPg *pg, const RsItemStatsOptions *options, GError **error);

/* The calibration in force on the server, or NULL with no error. */
RsCalibration *rs_server_calibration_current (RsPg *pg, GError **error);
/* Calibrates from every answer on the server of finished attempts and of
 * unfinished ones started more than RS_SERVER_ABANDONED_HOURS ago (the
 * server cannot know that a kiosk set them aside, rs_store_abandon_attempt,
 * but an attempt a day old is not being answered any more). bank must have
 * the server's calibration in force (rs_calibration_put_in_force). */
#define RS_SERVER_ABANDONED_HOURS 24
RsCalibration *rs_server_calibration_run (RsPg *pg, const RsBank *bank, int min_responses,
                                          const RsCalibOptions *options, GError **error);
/* Stores it on the server as the calibration in force, which kiosks pull. */
gboolean rs_server_calibration_apply (RsPg *pg, RsCalibration *calibration, GError **error);

G_END_DECLS
