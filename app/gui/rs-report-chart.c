/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The report library draws in its own units (points on a PDF page, text of
 * 7–10 units). Here one unit is scaled to about an eleventh of the widget's
 * line height, which puts the charts' text near the desktop's own size and
 * makes it follow text scaling. */
#include "rs-report-chart.h"

#include <adwaita.h>

#include "rs-chart-util.h"
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
  GtkDrawingArea parent_instance;

  Kind kind;
  char *title;
  char *text;
  RsReportResult result;
  RsSkillDistribution distribution;
  GArray *progress;
};

G_DEFINE_FINAL_TYPE (RsReportChart, rs_report_chart, GTK_TYPE_DRAWING_AREA)

/* Units of the report's drawing per pixel row of the widget's font. */
static double
chart_scale (GtkWidget *widget)
{
  return CLAMP (rs_chart_line_height (widget, FALSE) / 11.0, 1.0, 4.0);
}

static void
draw (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer user_data)
{
  RsReportChart *self = RS_REPORT_CHART (area);
  gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());
  double s = chart_scale (GTK_WIDGET (area));
  double w = width / s, h = height / s;
  RsDraw rd;

  rs_draw_init (&rd, cr, dark ? rs_report_palette_dark () : rs_report_palette_light (), NULL);
  cairo_scale (cr, s, s);
  switch (self->kind)
    {
    case KIND_CELL:
      rs_draw_result_cell (&rd, &self->result, 0, 0, w, h);
      break;
    case KIND_LEGEND:
      rs_draw_level_legend (&rd, 0, 2, w);
      break;
    case KIND_DISTRIBUTION:
      rs_draw_distribution_chart (&rd, self->title, &self->distribution, 0, 0, w, h);
      break;
    case KIND_PROGRESS:
      rs_draw_progress_chart (&rd, self->progress, 0, 0, w, h);
      break;
    default:
      g_assert_not_reached ();
    }
  rs_draw_clear (&rd);
}

static void
rs_report_chart_finalize (GObject *object)
{
  RsReportChart *self = RS_REPORT_CHART (object);

  g_free (self->title);
  g_free (self->text);
  g_clear_pointer (&self->progress, g_array_unref);
  G_OBJECT_CLASS (rs_report_chart_parent_class)->finalize (object);
}

static void
rs_report_chart_class_init (RsReportChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = rs_report_chart_finalize;
  gtk_widget_class_set_css_name (widget_class, "reportchart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
rs_report_chart_init (RsReportChart *self)
{
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (self), draw, NULL, NULL);
  /* Redraw with the other palette when the style flips. */
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (gtk_widget_queue_draw), self, G_CONNECT_SWAPPED);
}

static RsReportChart *
chart_new (Kind kind, double height_units, const char *label, char *text)
{
  RsReportChart *self = g_object_new (RS_TYPE_REPORT_CHART, NULL);

  self->kind = kind;
  self->text = text;
  gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (self),
                                       (int) (height_units * chart_scale (GTK_WIDGET (self)) + 0.5));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text, -1);
  return self;
}

GtkWidget *
rs_report_chart_new_cell (const char *skill_title, const RsReportResult *result)
{
  g_autofree char *level = NULL;
  g_autofree char *band = NULL;
  RsReportChart *self;
  char *text;

  if (result->measured)
    {
      level = rs_skill_score_describe (&result->score);
      band = rs_report_result_band (result);
      text = g_strdup_printf ("%s: %s, %s", skill_title, level, band);
    }
  else
    text = g_strdup_printf ("%s: not measured", skill_title);
  self = chart_new (KIND_CELL, 30, skill_title, text);
  self->result = *result;
  gtk_widget_set_size_request (GTK_WIDGET (self), 48, 48);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), text);
  return GTK_WIDGET (self);
}

GtkWidget *
rs_report_chart_new_legend (void)
{
  return GTK_WIDGET (chart_new (KIND_LEGEND, 36, "Colours of the levels",
                                g_strdup ("Novice, Developing, Proficient, Advanced, Expert; a split cell is between two levels; grey is not measured")));
}

GtkWidget *
rs_report_chart_new_distribution (const char *title, const RsSkillDistribution *distribution)
{
  g_autoptr (GString) text = g_string_new (NULL);
  RsReportChart *self;

  for (int l = 0; l < RS_N_LEVELS; l++)
    g_string_append_printf (text, "%s%s %u", l > 0 ? ", " : "", rs_level_name ((RsLevel) l),
                            distribution->n_at_level[l]);
  g_string_append_printf (text, ", not measured %u", distribution->n_not_measured);
  self = chart_new (KIND_DISTRIBUTION, 150, title, g_string_free (g_steal_pointer (&text), FALSE));
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

      g_string_append_printf (text, "%sQ%d %d:", q > 0 ? "; " : "", point->quarter, point->year);
      for (int s = 0; s < RS_N_SKILLS; s++)
        if (point->n[s] > 0)
          g_string_append_printf (text, " %s %.0f", rs_skill_title ((RsSkill) s),
                                  rs_score_from_theta (point->mean_theta[s]));
    }
  if (progress->len == 0)
    g_string_append (text, "No finished results yet.");
  self = chart_new (KIND_PROGRESS, 170, "Progress by quarter", g_string_free (g_steal_pointer (&text), FALSE));
  self->progress = g_array_sized_new (FALSE, FALSE, sizeof (RsQuarterProgress), progress->len);
  g_array_append_vals (self->progress, progress->data, progress->len);
  return GTK_WIDGET (self);
}

const char *
rs_report_chart_get_text (RsReportChart *self)
{
  g_return_val_if_fail (RS_IS_REPORT_CHART (self), NULL);
  return self->text;
}
