/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The report library's cairo pictures (app/report: map cells, the level
 * legend, distributions, progress by quarter) in a GtkDrawingArea, so the
 * team page shows exactly what the PDF prints. The palette follows
 * AdwStyleManager's dark flag; the drawing is scaled from the widget's font,
 * so larger desktop text gives larger charts. */
#pragma once

#include <gtk/gtk.h>

#include "rs-report.h"

G_BEGIN_DECLS

#define RS_TYPE_REPORT_CHART (rs_report_chart_get_type ())
G_DECLARE_FINAL_TYPE (RsReportChart, rs_report_chart, RS, REPORT_CHART, GtkDrawingArea)

/* One cell of the members × skills map; label names the skill for the
 * accessible name and tooltip ("Python: Proficient, 62 (55–69)"). */
GtkWidget *rs_report_chart_new_cell (const char *skill_title, const RsReportResult *result);
/* The legend of the map's colours. */
GtkWidget *rs_report_chart_new_legend (void);
/* One skill's spread over the levels. */
GtkWidget *rs_report_chart_new_distribution (const char *title, const RsSkillDistribution *distribution);
/* Mean score per skill and quarter; progress is an array of
 * RsQuarterProgress (copied). */
GtkWidget *rs_report_chart_new_progress (const GArray *progress);

/* What the chart says in words: its tooltip and accessible description. */
const char *rs_report_chart_get_text (RsReportChart *self);

G_END_DECLS
