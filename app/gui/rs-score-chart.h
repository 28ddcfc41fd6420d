/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Per-skill scores as bars on the 0–100 scale with their 80% band as error
 * bars, the level boundaries behind them, and the person's own guess beside
 * each bar where one was given (rs_draw_score_chart). */
#pragma once

#include "rs-chart.h"
#include "rs-scoring.h"
#include "rs-skill.h"

G_BEGIN_DECLS

#define RS_TYPE_SCORE_CHART (rs_score_chart_get_type ())
G_DECLARE_FINAL_TYPE (RsScoreChart, rs_score_chart, RS, SCORE_CHART, RsChart)

GtkWidget *rs_score_chart_new (void);
/* n ≤ RS_N_SKILLS entries; self_levels may be NULL, or hold RS_LEVEL_INVALID
 * where no guess was given. */
void rs_score_chart_set_scores (RsScoreChart *self, int n, const RsSkill *skills,
                                const RsSkillScore *scores, const RsLevel *self_levels);
int rs_score_chart_get_n_scores (RsScoreChart *self);

G_END_DECLS
