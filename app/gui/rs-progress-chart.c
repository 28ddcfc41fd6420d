/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The chart copies what it draws, so the caller may free the attempts. Points
 * are evenly spaced rather than by date: attempts cluster, and even spacing
 * keeps every one readable. The date is written under each point. */
#include "rs-progress-chart.h"

#include "rs-chart-util.h"

typedef struct {
  gint64 finished_at;
  gboolean has[RS_N_SKILLS];
  RsSkillScore score[RS_N_SKILLS];
} Point;

struct _RsProgressChart
{
  GtkDrawingArea parent_instance;

  GArray *points;   /* Point */
};

G_DEFINE_FINAL_TYPE (RsProgressChart, rs_progress_chart, GTK_TYPE_DRAWING_AREA)

static void
draw (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer user_data)
{
  RsProgressChart *self = RS_PROGRESS_CHART (area);
  GtkWidget *widget = GTK_WIDGET (area);
  GdkRGBA fg;
  double line = rs_chart_line_height (widget, FALSE);
  double small = rs_chart_line_height (widget, TRUE);
  double x0, x1, y0, y1, step, legend_x, span_days;
  guint n = self->points->len;
  gboolean present[RS_N_SKILLS] = { FALSE };

  rs_chart_fg_color (widget, &fg);

  x0 = line * 2.2;
  x1 = width - line * 1.5;
  y0 = line * 2.2;
  y1 = height - line * 1.8;
  if (x1 - x0 < 40 || y1 - y0 < 40)
    return;

#define Y(score) (y1 - ((score) / 100.0) * (y1 - y0))

  /* Grid every 25 points. */
  cairo_set_line_width (cr, 1);
  for (int v = 0; v <= 100; v += 25)
    {
      char label[8];

      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, v == 0 ? 0.3 : 0.1);
      cairo_move_to (cr, x0, (int) Y (v) + 0.5);
      cairo_line_to (cr, x1, (int) Y (v) + 0.5);
      cairo_stroke (cr);
      g_snprintf (label, sizeof label, "%d", v);
      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.65);
      rs_chart_text (widget, cr, label, x0 - 6, Y (v), RS_CHART_ALIGN_END, TRUE);
    }

  if (n == 0)
    return;

  step = n > 1 ? (x1 - x0 - line * 2) / (n - 1) : 0;
  span_days = (g_array_index (self->points, Point, n - 1).finished_at
               - g_array_index (self->points, Point, 0).finished_at) / (G_USEC_PER_SEC * 86400.0);
#define X(i) (n > 1 ? x0 + line + (i) * step : (x0 + x1) / 2)

  for (guint i = 0; i < n; i++)
    {
      const Point *p = &g_array_index (self->points, Point, i);
      g_autoptr (GDateTime) when = g_date_time_new_from_unix_local (p->finished_at / G_USEC_PER_SEC);
      /* With the year once attempts span more than a season. */
      g_autofree char *date = g_date_time_format (when, span_days > 200 ? "%e %b %Y" : "%e %b");

      for (int s = 0; s < RS_N_SKILLS; s++)
        present[s] |= p->has[s];
      /* Skip dates that would collide when there are many attempts. */
      if (n <= 8 || i % ((n + 7) / 8) == 0 || i == n - 1)
        {
          cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.75);
          rs_chart_text (widget, cr, g_strstrip (date), X (i), y1 + line * 0.8, RS_CHART_ALIGN_CENTER, TRUE);
        }
    }

  for (int s = 0; s < RS_N_SKILLS; s++)
    {
      GdkRGBA color;
      gboolean started = FALSE;
      double offset = (s - 1.5) * small * 0.35;   /* keep bands of equal scores apart */

      if (!present[s])
        continue;
      rs_chart_series_color (widget, s, &color);

      /* Bands first, then the line, then the points on top. */
      cairo_set_source_rgba (cr, color.red, color.green, color.blue, 0.45);
      cairo_set_line_width (cr, 3);
      for (guint i = 0; i < n; i++)
        {
          const Point *p = &g_array_index (self->points, Point, i);

          if (!p->has[s])
            continue;
          cairo_move_to (cr, X (i) + offset, Y (p->score[s].score_low));
          cairo_line_to (cr, X (i) + offset, Y (p->score[s].score_high));
          cairo_stroke (cr);
        }

      cairo_set_source_rgba (cr, color.red, color.green, color.blue, 1);
      cairo_set_line_width (cr, 2);
      for (guint i = 0; i < n; i++)
        {
          const Point *p = &g_array_index (self->points, Point, i);

          if (!p->has[s])
            continue;
          if (!started)
            cairo_move_to (cr, X (i) + offset, Y (p->score[s].score));
          else
            cairo_line_to (cr, X (i) + offset, Y (p->score[s].score));
          started = TRUE;
        }
      cairo_stroke (cr);
      for (guint i = 0; i < n; i++)
        {
          const Point *p = &g_array_index (self->points, Point, i);

          if (!p->has[s])
            continue;
          cairo_arc (cr, X (i) + offset, Y (p->score[s].score), small * 0.3, 0, 2 * G_PI);
          cairo_fill (cr);
        }
    }

  /* The legend, along the top. */
  legend_x = x0;
  for (int s = 0; s < RS_N_SKILLS; s++)
    {
      GdkRGBA color;
      double w;

      if (!present[s])
        continue;
      rs_chart_series_color (widget, s, &color);
      cairo_set_source_rgba (cr, color.red, color.green, color.blue, 1);
      cairo_rectangle (cr, legend_x, line * 0.7 - small * 0.3, small * 0.9, small * 0.6);
      cairo_fill (cr);
      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.9);
      w = rs_chart_text (widget, cr, rs_skill_title ((RsSkill) s), legend_x + small * 1.3, line * 0.7,
                         RS_CHART_ALIGN_START, TRUE);
      legend_x += small * 1.3 + w + small * 1.5;
    }
#undef X
#undef Y
}

static void
rs_progress_chart_finalize (GObject *object)
{
  RsProgressChart *self = RS_PROGRESS_CHART (object);

  g_clear_pointer (&self->points, g_array_unref);
  G_OBJECT_CLASS (rs_progress_chart_parent_class)->finalize (object);
}

/* Taller with larger text: the chart is laid out in lines of the widget's
 * font, so its height follows the desktop font size. */
static void
rs_progress_chart_measure (GtkWidget *widget, GtkOrientation orientation, int for_size,
                           int *minimum, int *natural, int *minimum_baseline, int *natural_baseline)
{
  GTK_WIDGET_CLASS (rs_progress_chart_parent_class)->measure (widget, orientation, for_size, minimum, natural,
                                                              minimum_baseline, natural_baseline);
  if (orientation == GTK_ORIENTATION_VERTICAL)
    {
      int lines_height = (int) (14 * rs_chart_line_height (widget, FALSE));

      *minimum = MAX (*minimum, lines_height);
      *natural = MAX (*natural, lines_height);
    }
}

static void
rs_progress_chart_class_init (RsProgressChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  widget_class->measure = rs_progress_chart_measure;
  object_class->finalize = rs_progress_chart_finalize;
  gtk_widget_class_set_css_name (widget_class, "progresschart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
rs_progress_chart_init (RsProgressChart *self)
{
  self->points = g_array_new (FALSE, TRUE, sizeof (Point));
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (self), draw, NULL, NULL);
  gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (self), 240);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  "Scores over time", -1);
}

GtkWidget *
rs_progress_chart_new (void)
{
  return g_object_new (RS_TYPE_PROGRESS_CHART, NULL);
}

void
rs_progress_chart_set_attempts (RsProgressChart *self, const GPtrArray *attempts)
{
  g_return_if_fail (RS_IS_PROGRESS_CHART (self));

  g_array_set_size (self->points, 0);
  for (guint i = 0; attempts != NULL && i < attempts->len; i++)
    {
      const RsAttempt *attempt = g_ptr_array_index (attempts, i);
      Point p = { 0 };

      p.finished_at = attempt->finished_at;
      for (guint r = 0; attempt->results != NULL && r < attempt->results->len; r++)
        {
          const RsSkillResult *result = &g_array_index (attempt->results, RsSkillResult, r);

          if (result->skill < 0 || result->skill >= RS_N_SKILLS)
            continue;
          p.has[result->skill] = TRUE;
          rs_skill_score_init_full (&p.score[result->skill], result->theta, result->se,
                                    result->has_level_probability ? result->level_probability : NULL);
        }
      g_array_append_val (self->points, p);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

int
rs_progress_chart_get_n_points (RsProgressChart *self)
{
  g_return_val_if_fail (RS_IS_PROGRESS_CHART (self), 0);
  return (int) self->points->len;
}
