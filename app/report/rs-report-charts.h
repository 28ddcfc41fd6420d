/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The report's charts, drawn with cairo into any context: the PDF pages and,
 * later, a GTK team page (with rs_report_palette_dark () in a dark style). */
#pragma once

#include "rs-report-draw.h"
#include "rs-report.h"

G_BEGIN_DECLS

/* One skill's spread over the levels: a bar per level and one for "not
 * measured", each with its count; title above, level names below. */
void rs_draw_distribution_chart (RsDraw *draw, const char *title, const RsSkillDistribution *distribution,
                                 double x, double y, double width, double height);

/* The team's mean score per skill and quarter (RsQuarterProgress), one line
 * per skill, with a legend; quarters without results leave a gap. */
void rs_draw_progress_chart (RsDraw *draw, const GArray *progress, double x, double y, double width,
                             double height);

G_END_DECLS
