/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The drawing is the report library's (rs_draw_score_chart); this keeps
 * the scores and says them in words for screen readers. */
#include "rs-score-chart.h"

#include <glib/gi18n-lib.h>

#include "rs-report-charts.h"

struct _RsScoreChart
{
  RsChart parent_instance;

  int n;
  RsScoreBar bars[RS_N_SKILLS];
};

G_DEFINE_FINAL_TYPE (RsScoreChart, rs_score_chart, RS_TYPE_CHART)

static void
rs_score_chart_draw (RsChart *chart, RsDraw *draw, double width, double height)
{
  RsScoreChart *self = RS_SCORE_CHART (chart);

  rs_draw_score_chart (draw, self->bars, self->n, 0, 0, width, height);
}

/* About fifteen lines of text: bars tall enough to tell 5 points apart. */
static double
rs_score_chart_get_height (RsChart *chart)
{
  return 170;
}

static void
rs_score_chart_class_init (RsScoreChartClass *klass)
{
  RsChartClass *chart_class = RS_CHART_CLASS (klass);

  chart_class->draw = rs_score_chart_draw;
  chart_class->get_height = rs_score_chart_get_height;
  gtk_widget_class_set_css_name (GTK_WIDGET_CLASS (klass), "scorechart");
}

static void
rs_score_chart_init (RsScoreChart *self)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Scores by skill"), -1);
}

GtkWidget *
rs_score_chart_new (void)
{
  return g_object_new (RS_TYPE_SCORE_CHART, NULL);
}

void
rs_score_chart_set_scores (RsScoreChart *self, int n, const RsSkill *skills,
                           const RsSkillScore *scores, const RsLevel *self_levels)
{
  g_autoptr (GString) description = g_string_new (NULL);

  g_return_if_fail (RS_IS_SCORE_CHART (self));
  g_return_if_fail (n >= 0 && n <= RS_N_SKILLS);

  self->n = n;
  for (int i = 0; i < n; i++)
    {
      self->bars[i].skill = skills[i];
      self->bars[i].score = scores[i];
      self->bars[i].guess = self_levels != NULL ? self_levels[i] : RS_LEVEL_INVALID;
      /* Screen readers get the chart as a sentence. */
      g_string_append_printf (description, "%s%s: %.0f, between %.0f and %.0f", i > 0 ? "; " : "",
                              rs_skill_title (skills[i]), scores[i].score, scores[i].score_low,
                              scores[i].score_high);
      if (self->bars[i].guess != RS_LEVEL_INVALID)
        g_string_append_printf (description, ", your guess %s", rs_level_name (self->bars[i].guess));
    }
  rs_chart_set_text (RS_CHART (self), description->str, FALSE);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

int
rs_score_chart_get_n_scores (RsScoreChart *self)
{
  g_return_val_if_fail (RS_IS_SCORE_CHART (self), 0);
  return self->n;
}
