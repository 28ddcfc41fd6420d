/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One widget type for the four pictures: they differ only in what they
 * hold and which of the report library's functions draws them. */
#include "rs-report-chart.h"

#include <glib/gi18n-lib.h>

#include "rs-report-cells.h"
#include "rs-report-charts.h"

typedef enum {
  KIND_CELL,
  KIND_LEGEND,
  KIND_DISTRIBUTION,
  KIND_PROGRESS,
} Kind;

struct _RsReportChart
{
  RsChart parent_instance;

  Kind kind;
  double height;                   /* in units */
  char *title;
  RsReportResult result;
  RsSkillDistribution distribution;
  GArray *progress;
};

G_DEFINE_FINAL_TYPE (RsReportChart, rs_report_chart, RS_TYPE_CHART)

static void
rs_report_chart_draw (RsChart *chart, RsDraw *draw, double width, double height)
{
  RsReportChart *self = RS_REPORT_CHART (chart);

  switch (self->kind)
    {
    case KIND_CELL:
      rs_draw_result_cell (draw, &self->result, 0, 0, width, height);
      break;
    case KIND_LEGEND:
      rs_draw_level_legend (draw, 0, 2, width);
      break;
    case KIND_DISTRIBUTION:
      rs_draw_distribution_chart (draw, self->title, &self->distribution, 0, 0, width, height);
      break;
    case KIND_PROGRESS:
    default:
      rs_draw_progress_chart (draw, self->progress, 0, 0, width, height);
      break;
    }
}

static double
rs_report_chart_get_height (RsChart *chart)
{
  return RS_REPORT_CHART (chart)->height;
}

static void
rs_report_chart_finalize (GObject *object)
{
  RsReportChart *self = RS_REPORT_CHART (object);

  g_free (self->title);
  g_clear_pointer (&self->progress, g_array_unref);
  G_OBJECT_CLASS (rs_report_chart_parent_class)->finalize (object);
}

static void
rs_report_chart_class_init (RsReportChartClass *klass)
{
  RsChartClass *chart_class = RS_CHART_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = rs_report_chart_finalize;
  chart_class->draw = rs_report_chart_draw;
  chart_class->get_height = rs_report_chart_get_height;
  gtk_widget_class_set_css_name (GTK_WIDGET_CLASS (klass), "reportchart");
}

static void
rs_report_chart_init (RsReportChart *self)
{
}

static RsReportChart *
chart_new (Kind kind, double height, const char *label, const char *text, gboolean tooltip)
{
  RsReportChart *self = g_object_new (RS_TYPE_REPORT_CHART, NULL);

  self->kind = kind;
  self->height = height;
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  rs_chart_set_text (RS_CHART (self), text, tooltip);
  return self;
}

GtkWidget *
rs_report_chart_new_cell (const char *skill_title, const RsReportResult *result)
{
  g_autofree char *text = NULL;
  RsReportChart *self;

  if (result->measured)
    {
      g_autofree char *level = rs_skill_score_describe (&result->score);
      g_autofree char *band = rs_report_result_band (result);

      /* Translators: a skill, its level, its score band. */
      text = g_strdup_printf (_("%s: %s, %s"), skill_title, level, band);
    }
  else
    text = g_strdup_printf (_("%s: not measured"), skill_title);
  self = chart_new (KIND_CELL, 30, skill_title, text, TRUE);
  self->result = *result;
  gtk_widget_set_size_request (GTK_WIDGET (self), 48, 48);
  return GTK_WIDGET (self);
}

GtkWidget *
rs_report_chart_new_legend (void)
{
  return GTK_WIDGET (chart_new (KIND_LEGEND, 36, _("Colours of the levels"),
                                _("Novice, Developing, Proficient, Advanced, Expert; a split cell is between two "
                                  "levels; grey is not measured"), FALSE));
}

GtkWidget *
rs_report_chart_new_distribution (const char *title, const RsSkillDistribution *distribution)
{
  g_autoptr (GString) text = g_string_new (NULL);
  RsReportChart *self;

  for (int l = 0; l < RS_N_LEVELS; l++)
    {
      if (l > 0)
        g_string_append (text, ", ");
      /* Translators: a level and how many members are at it. */
      g_string_append_printf (text, _("%s %u"), rs_level_name ((RsLevel) l), distribution->n_at_level[l]);
      if (distribution->n_between_at[l] > 0)
        {
          g_string_append_c (text, ' ');
          g_string_append_printf (text,
                                  g_dngettext (GETTEXT_PACKAGE, "(%u of them between two levels)",
                                               "(%u of them between two levels)", distribution->n_between_at[l]),
                                  distribution->n_between_at[l]);
        }
    }
  g_string_append_printf (text, _(", not measured %u"), distribution->n_not_measured);
  self = chart_new (KIND_DISTRIBUTION, 150, title, text->str, FALSE);
  self->title = g_strdup (title);
  self->distribution = *distribution;
  return GTK_WIDGET (self);
}

GtkWidget *
rs_report_chart_new_progress (const GArray *progress)
{
  g_autoptr (GString) text = g_string_new (NULL);
  RsReportChart *self;

  for (guint q = 0; q < progress->len; q++)
    {
      const RsQuarterProgress *point = &g_array_index (progress, RsQuarterProgress, q);

      if (q > 0)
        g_string_append (text, "; ");
      g_string_append_printf (text, _("Q%d %d:"), point->quarter, point->year);
      for (int s = 0; s < RS_N_SKILLS; s++)
        if (point->n[s] > 0)
          g_string_append_printf (text, " %s %.0f", rs_skill_title ((RsSkill) s),
                                  rs_score_from_theta (point->mean_theta[s]));
    }
  if (progress->len == 0)
    g_string_append (text, _("No finished results yet."));
  self = chart_new (KIND_PROGRESS, 170, _("Progress by quarter"), text->str, FALSE);
  self->progress = g_array_sized_new (FALSE, FALSE, sizeof (RsQuarterProgress), progress->len);
  g_array_append_vals (self->progress, progress->data, progress->len);
  return GTK_WIDGET (self);
}

const char *
rs_report_chart_get_text (RsReportChart *self)
{
  g_return_val_if_fail (RS_IS_REPORT_CHART (self), NULL);
  return rs_chart_get_text (RS_CHART (self));
}
