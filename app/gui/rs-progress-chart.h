/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A person's scores over their finished attempts: one line per skill, each
 * point with its 80% band, oldest on the left (rs_draw_attempts_chart). */
#pragma once

#include "rs-chart.h"
#include "rs-store.h"

G_BEGIN_DECLS

#define RS_TYPE_PROGRESS_CHART (rs_progress_chart_get_type ())
G_DECLARE_FINAL_TYPE (RsProgressChart, rs_progress_chart, RS, PROGRESS_CHART, RsChart)

GtkWidget *rs_progress_chart_new (void);
/* attempts: RsAttempt with results, oldest first (rs_store_list_finished). */
void rs_progress_chart_set_attempts (RsProgressChart *self, const GPtrArray *attempts);
int rs_progress_chart_get_n_points (RsProgressChart *self);

G_END_DECLS
