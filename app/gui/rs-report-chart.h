/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The team report's pictures (map cells, the level legend, distributions,
 * progress by quarter) as RsChart widgets, so the team page shows exactly
 * what the PDF prints: the same drawing code, in the window's palette. */
#pragma once

#include "rs-chart.h"
#include "rs-report.h"

G_BEGIN_DECLS

#define RS_TYPE_REPORT_CHART (rs_report_chart_get_type ())
G_DECLARE_FINAL_TYPE (RsReportChart, rs_report_chart, RS, REPORT_CHART, RsChart)

/* One cell of the members × skills map; label names the skill for the
 * accessible name and tooltip ("Python: Proficient, 62 (55–69)"). */
GtkWidget *rs_report_chart_new_cell (const char *skill_title, const RsReportResult *result);
/* The legend of the map's colours. */
GtkWidget *rs_report_chart_new_legend (void);
/* One skill's spread over the levels. */
GtkWidget *rs_report_chart_new_distribution (const char *title, const RsSkillDistribution *distribution);
/* Where the team stood at the end of each quarter; progress is an array
 * of RsQuarterProgress (copied). */
GtkWidget *rs_report_chart_new_progress (const GArray *progress);

/* What the chart says in words: its accessible description. */
const char *rs_report_chart_get_text (RsReportChart *self);

G_END_DECLS
