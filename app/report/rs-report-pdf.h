/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The team report as a PDF: A4 portrait, real (selectable) text set with
 * pango, light colours for print. Pages: a title page with the contents,
 * the members × skills map, the distributions, progress by quarter, role
 * readiness, and a table per member; "Page N of M" on each. An empty team
 * gets the title page saying so. */
#pragma once

#include "rs-report.h"

G_BEGIN_DECLS

/* Written to memory first, then to a temporary file in the same folder and
 * renamed into place (mode 0600), so a failure leaves no half file.
 * org_name may be NULL. Errors in RS_ERROR (RS_ERROR_IO for the file). */
gboolean rs_team_report_write_pdf (const RsTeamReport *report, const char *org_name, const char *path,
                                   GError **error);

/* The same document as bytes; *n_pages (may be NULL) gets the page count. */
GBytes *rs_team_report_render_pdf (const RsTeamReport *report, const char *org_name, int *n_pages,
                                   GError **error);

/* The same, with a section on the team's training needs after role
 * readiness (needs may be NULL: then exactly the functions above). */
gboolean rs_team_report_write_pdf_full (const RsTeamReport *report, const RsTrainingNeeds *needs,
                                        const char *org_name, const char *path, GError **error);
GBytes *rs_team_report_render_pdf_full (const RsTeamReport *report, const RsTrainingNeeds *needs,
                                        const char *org_name, int *n_pages, GError **error);

G_END_DECLS
