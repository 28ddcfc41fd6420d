/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Every chart Reskill draws, with cairo into any context: the PDF's pages
 * and the window's widgets (app/gui/rs-chart.c), each with its palette.
 * One drawing, so the screen and the paper cannot disagree. Coordinates and
 * sizes are in the context's units; text sizes are chosen for a unit of
 * about a point (a widget scales its context to its font). */
#pragma once

#include "rs-report-draw.h"
#include "rs-report.h"

G_BEGIN_DECLS

/* One skill's spread over the levels: a bar per level and one for "not
 * measured", each with its count; title above, level names below. */
void rs_draw_distribution_chart (RsDraw *draw, const char *title, const RsSkillDistribution *distribution,
                                 double x, double y, double width, double height);

/* The team's standing per skill at the end of each quarter
 * (RsQuarterProgress), one line per skill, with a legend. A skill's line
 * joins every quarter that has a point; labels stay inside the width. */
void rs_draw_progress_chart (RsDraw *draw, const GArray *progress, double x, double y, double width,
                             double height);

/* A person's score in one skill, for the score chart. */
typedef struct {
  RsSkill skill;
  RsSkillScore score;
  RsLevel guess;                   /* their own guess; RS_LEVEL_INVALID: none */
} RsScoreBar;

/* Scores as bars on the 0–100 scale with their 80% band as error bars, the
 * level bands behind them, and the person's own guess beside each bar. */
void rs_draw_score_chart (RsDraw *draw, const RsScoreBar *bars, int n, double x, double y, double width,
                          double height);

/* One finished attempt, for the history chart. */
typedef struct {
  gint64 date;                     /* unix µs */
  gboolean measured[RS_N_SKILLS];
  RsSkillScore score[RS_N_SKILLS];
} RsChartAttempt;

/* A person's scores over their attempts (oldest first): one line per
 * skill, each point with its 80% band, evenly spaced with its date under
 * it, a legend along the top. */
void rs_draw_attempts_chart (RsDraw *draw, const RsChartAttempt *attempts, guint n, double x, double y,
                             double width, double height);

G_END_DECLS
