/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Reports from rows read somewhere other than this store (the
 * organization's server, app/core/rs-server-report.c): the same members,
 * latest results, quarters, distributions and role readiness as
 * rs-report.h computes, from rows handed in one at a time. Access is the
 * source's business (on the server, row-level security decided which rows
 * exist). Not for use outside app/core. */
#pragma once

#include "rs-access.h"
#include "rs-report.h"

G_BEGIN_DECLS

typedef struct _RsReportBuilder RsReportBuilder;

/* with_progress FALSE: no quarters (the company overview's teams). */
RsReportBuilder *rs_report_builder_new (const RsRoleSet *roles, gint64 team_id, const char *team_name,
                                        const char *viewer_name, gboolean with_progress);
void rs_report_builder_free (RsReportBuilder *builder);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RsReportBuilder, rs_report_builder_free)
/* Members in the order they are to be listed (by name, then number). */
void rs_report_builder_add_member (RsReportBuilder *builder, gint64 person_id, const char *employee_no,
                                   const char *name);
/* Finished results, oldest first (a later one of the same skill is the
 * latest); rows of people who are not members are skipped. */
/* probabilities: the level probabilities stored with the result
 * (RS_N_LEVELS of them), or NULL for the normal approximation. */
void rs_report_builder_add_result (RsReportBuilder *builder, gint64 person_id, gint64 finished_at, RsSkill skill,
                                   double theta, double se, int n_items, const double *probabilities);
/* The report, summarized; frees the builder. */
/* What the viewer may see of the team (the privacy policy in force);
 * without it, the organization's default policy. */
void rs_report_builder_set_view (RsReportBuilder *builder, const RsTeamView *view);
RsTeamReport *rs_report_builder_finish (RsReportBuilder *builder);

/* The overview of finished team reports (RsTeamReport *, any order). */
RsCompanyOverview *rs_company_overview_new_from_teams (const RsRoleSet *roles, GPtrArray *teams);

G_END_DECLS
