/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The chart copies what it draws, so the caller may free the attempts; the
 * drawing is the report library's (rs_draw_attempts_chart). */
#include "rs-progress-chart.h"

#include <glib/gi18n-lib.h>

#include "rs-report-charts.h"

struct _RsProgressChart
{
  RsChart parent_instance;

  GArray *points;   /* RsChartAttempt */
};

G_DEFINE_FINAL_TYPE (RsProgressChart, rs_progress_chart, RS_TYPE_CHART)

static void
rs_progress_chart_draw (RsChart *chart, RsDraw *draw, double width, double height)
{
  RsProgressChart *self = RS_PROGRESS_CHART (chart);

  rs_draw_attempts_chart (draw, (const RsChartAttempt *) self->points->data, self->points->len, 0, 0, width,
                          height);
}

/* Fourteen lines of text. */
static double
rs_progress_chart_get_height (RsChart *chart)
{
  return 160;
}

static void
rs_progress_chart_finalize (GObject *object)
{
  RsProgressChart *self = RS_PROGRESS_CHART (object);

  g_clear_pointer (&self->points, g_array_unref);
  G_OBJECT_CLASS (rs_progress_chart_parent_class)->finalize (object);
}

static void
rs_progress_chart_class_init (RsProgressChartClass *klass)
{
  RsChartClass *chart_class = RS_CHART_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = rs_progress_chart_finalize;
  chart_class->draw = rs_progress_chart_draw;
  chart_class->get_height = rs_progress_chart_get_height;
  gtk_widget_class_set_css_name (GTK_WIDGET_CLASS (klass), "progresschart");
}

static void
rs_progress_chart_init (RsProgressChart *self)
{
  self->points = g_array_new (FALSE, TRUE, sizeof (RsChartAttempt));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Scores over time"), -1);
}

GtkWidget *
rs_progress_chart_new (void)
{
  return g_object_new (RS_TYPE_PROGRESS_CHART, NULL);
}

void
rs_progress_chart_set_attempts (RsProgressChart *self, const GPtrArray *attempts)
{
  g_autoptr (GString) description = g_string_new (NULL);

  g_return_if_fail (RS_IS_PROGRESS_CHART (self));

  g_array_set_size (self->points, 0);
  for (guint i = 0; attempts != NULL && i < attempts->len; i++)
    {
      const RsAttempt *attempt = g_ptr_array_index (attempts, i);
      RsChartAttempt point = { .date = attempt->finished_at };

      for (guint r = 0; attempt->results != NULL && r < attempt->results->len; r++)
        {
          const RsSkillResult *result = &g_array_index (attempt->results, RsSkillResult, r);

          if (result->skill < 0 || result->skill >= RS_N_SKILLS)
            continue;
          point.measured[result->skill] = TRUE;
          rs_skill_score_init_full (&point.score[result->skill], result->theta, result->se,
                                    result->has_level_probability ? result->level_probability : NULL);
        }
      g_array_append_val (self->points, point);
    }
  /* Screen readers get the trend per skill: first and latest score. */
  for (int s = 0; s < RS_N_SKILLS && self->points->len > 0; s++)
    {
      const RsChartAttempt *first = NULL, *last = NULL;
      guint n = 0;

      for (guint i = 0; i < self->points->len; i++)
        {
          const RsChartAttempt *point = &g_array_index (self->points, RsChartAttempt, i);

          if (!point->measured[s])
            continue;
          first = first != NULL ? first : point;
          last = point;
          n++;
        }
      if (first == NULL)
        continue;
      g_string_append_printf (description, "%s%s: %.0f", description->len > 0 ? "; " : "",
                              rs_skill_title ((RsSkill) s), first->score[s].score);
      if (n > 1)
        g_string_append_printf (description, " to %.0f over %u attempts", last->score[s].score, n);
    }
  rs_chart_set_text (RS_CHART (self), description->str, FALSE);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

int
rs_progress_chart_get_n_points (RsProgressChart *self)
{
  g_return_val_if_fail (RS_IS_PROGRESS_CHART (self), 0);
  return (int) self->points->len;
}
