/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The cell of a members × skills map and its legend. A claimed level fills
 * the cell with the level's colour; a band that crosses a boundary ("between
 * Developing and Proficient") splits the cell diagonally between the two
 * levels' colours, so an uncertain result never looks like a firm one. */
#pragma once

#include "rs-report-draw.h"
#include "rs-report.h"

G_BEGIN_DECLS

/* Short level names for tight cells: "Dev." */
const char *rs_level_short_name (RsLevel level);

/* Fill of a level cell: one colour, or split between low and high. */
void rs_draw_level_fill (RsDraw *draw, RsLevel low, RsLevel high, double x, double y, double width, double height);
/* A map cell: the fill, the level ("Proficient", "Dev.–Prof.") and the
 * score with its band ("62 (55–69)"); "not measured" when not. */
void rs_draw_result_cell (RsDraw *draw, const RsReportResult *result, double x, double y, double width,
                          double height);
/* The legend: one swatch per level, a split one, and "not measured".
 * Returns its height. */
double rs_draw_level_legend (RsDraw *draw, double x, double y, double width);

G_END_DECLS
