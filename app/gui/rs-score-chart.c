/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Drawn with cairo in a GtkDrawingArea. Everything is laid out from the
 * font's line height so larger desktop text gives a larger, still legible
 * chart; colours are read from the style at every draw. */
#include "rs-score-chart.h"

#include "rs-chart-util.h"

struct _RsScoreChart
{
  GtkDrawingArea parent_instance;

  int n;
  RsSkill skills[RS_N_SKILLS];
  RsSkillScore scores[RS_N_SKILLS];
  RsLevel self_levels[RS_N_SKILLS];
};

G_DEFINE_FINAL_TYPE (RsScoreChart, rs_score_chart, GTK_TYPE_DRAWING_AREA)

static double
level_low_score (RsLevel level)
{
  return level <= RS_LEVEL_NOVICE ? 0.0 : rs_score_from_theta (rs_level_lower_cut (level));
}

static double
level_high_score (RsLevel level)
{
  return level >= RS_N_LEVELS - 1 ? 100.0 : level_low_score ((RsLevel) (level + 1));
}

static void
diamond (cairo_t *cr, double x, double y, double r)
{
  cairo_move_to (cr, x, y - r);
  cairo_line_to (cr, x + r, y);
  cairo_line_to (cr, x, y + r);
  cairo_line_to (cr, x - r, y);
  cairo_close_path (cr);
}

static void
draw (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer user_data)
{
  RsScoreChart *self = RS_SCORE_CHART (area);
  GtkWidget *widget = GTK_WIDGET (area);
  static const GdkRGBA accent_fallback = { 0.21, 0.52, 0.89, 1 };
  GdkRGBA fg, accent, guess;
  double line = rs_chart_line_height (widget, FALSE);
  double small = rs_chart_line_height (widget, TRUE);
  double left = 0, x0, x1, y0, y1, slot;
  gboolean any_guess = FALSE;

  rs_chart_fg_color (widget, &fg);
  rs_chart_lookup_color (widget, "accent_bg_color", &accent_fallback, &accent);
  rs_chart_series_color (widget, 2, &guess);

  /* Room for the widest level name on the left. */
  for (int l = 0; l < RS_N_LEVELS; l++)
    {
      g_autoptr (PangoLayout) layout = gtk_widget_create_pango_layout (widget, rs_level_name ((RsLevel) l));
      int w, h;

      pango_layout_get_pixel_size (layout, &w, &h);
      left = MAX (left, w * 0.85);
    }
  for (int i = 0; i < self->n; i++)
    any_guess |= self->self_levels[i] != RS_LEVEL_INVALID;

  x0 = left + 16;
  x1 = width - 8;
  y0 = line * (any_guess ? 2.2 : 1.2);
  y1 = height - line * 1.6;
  if (x1 - x0 < 40 || y1 - y0 < 40)
    return;

#define Y(score) (y1 - ((score) / 100.0) * (y1 - y0))

  /* Level bands, alternately shaded, named on the left. */
  for (int l = 0; l < RS_N_LEVELS; l++)
    {
      double top = Y (level_high_score ((RsLevel) l));
      double bottom = Y (level_low_score ((RsLevel) l));

      if (l % 2 == 1)
        {
          cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.05);
          cairo_rectangle (cr, x0, top, x1 - x0, bottom - top);
          cairo_fill (cr);
        }
      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.65);
      rs_chart_text (widget, cr, rs_level_name ((RsLevel) l), x0 - 8, (top + bottom) / 2,
                     RS_CHART_ALIGN_END, TRUE);
    }
  cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.3);
  cairo_set_line_width (cr, 1);
  cairo_move_to (cr, x0, y1 + 0.5);
  cairo_line_to (cr, x1, y1 + 0.5);
  cairo_stroke (cr);

  if (self->n == 0)
    return;

  slot = (x1 - x0) / self->n;
  for (int i = 0; i < self->n; i++)
    {
      const RsSkillScore *s = &self->scores[i];
      double cx = x0 + slot * (i + 0.5);
      double bar = MIN (slot * 0.4, line * 4);
      double cap = bar * 0.3;
      char value[16];

      /* The bar: the estimate. */
      cairo_set_source_rgba (cr, accent.red, accent.green, accent.blue, 0.85);
      cairo_rectangle (cr, cx - bar / 2, Y (s->score), bar, y1 - Y (s->score));
      cairo_fill (cr);

      /* The error bar: the 80% band. */
      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.9);
      cairo_set_line_width (cr, 2);
      cairo_move_to (cr, cx, Y (s->score_high));
      cairo_line_to (cr, cx, Y (s->score_low));
      cairo_move_to (cr, cx - cap, Y (s->score_high));
      cairo_line_to (cr, cx + cap, Y (s->score_high));
      cairo_move_to (cr, cx - cap, Y (s->score_low));
      cairo_line_to (cr, cx + cap, Y (s->score_low));
      cairo_stroke (cr);

      g_snprintf (value, sizeof value, "%.0f", s->score);
      rs_chart_text (widget, cr, value, cx, Y (s->score_high) - line * 0.6, RS_CHART_ALIGN_CENTER, FALSE);

      /* The person's own guess: a diamond in the middle of that level. */
      if (self->self_levels[i] != RS_LEVEL_INVALID)
        {
          RsLevel l = self->self_levels[i];
          double gy = Y ((level_low_score (l) + level_high_score (l)) / 2);
          double gx = cx + bar / 2 + small;

          diamond (cr, gx, gy, small * 0.45);
          cairo_set_source_rgba (cr, guess.red, guess.green, guess.blue, 1);
          cairo_fill_preserve (cr);
          cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.8);
          cairo_set_line_width (cr, 1);
          cairo_stroke (cr);
        }

      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 1);
      rs_chart_text (widget, cr, rs_skill_title (self->skills[i]), cx, y1 + line * 0.8,
                     RS_CHART_ALIGN_CENTER, FALSE);
    }

  if (any_guess)
    {
      double lx = x1 - small * 0.5;
      double w;

      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.8);
      w = rs_chart_text (widget, cr, "Your own guess", lx, line * 0.7, RS_CHART_ALIGN_END, TRUE);
      diamond (cr, lx - w - small * 0.8, line * 0.7, small * 0.4);
      cairo_set_source_rgba (cr, guess.red, guess.green, guess.blue, 1);
      cairo_fill (cr);

      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.8);
      w = rs_chart_text (widget, cr, "Score with its 80% band", lx - w - small * 2.5, line * 0.7,
                         RS_CHART_ALIGN_END, TRUE);
    }
#undef Y
}

/* Taller with larger text: the chart is laid out in lines of the widget's
 * font, so its height follows the desktop font size. */
static void
rs_score_chart_measure (GtkWidget *widget, GtkOrientation orientation, int for_size,
                        int *minimum, int *natural, int *minimum_baseline, int *natural_baseline)
{
  GTK_WIDGET_CLASS (rs_score_chart_parent_class)->measure (widget, orientation, for_size, minimum, natural,
                                                           minimum_baseline, natural_baseline);
  if (orientation == GTK_ORIENTATION_VERTICAL)
    {
      int lines_height = (int) (15 * rs_chart_line_height (widget, FALSE));

      *minimum = MAX (*minimum, lines_height);
      *natural = MAX (*natural, lines_height);
    }
}

static void
rs_score_chart_class_init (RsScoreChartClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  widget_class->measure = rs_score_chart_measure;
  gtk_widget_class_set_css_name (widget_class, "scorechart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
rs_score_chart_init (RsScoreChart *self)
{
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (self), draw, NULL, NULL);
  gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (self), 260);
  for (int i = 0; i < RS_N_SKILLS; i++)
    self->self_levels[i] = RS_LEVEL_INVALID;
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  "Scores by skill", -1);
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
      self->skills[i] = skills[i];
      self->scores[i] = scores[i];
      self->self_levels[i] = self_levels != NULL ? self_levels[i] : RS_LEVEL_INVALID;
      /* Screen readers get the chart as a sentence. */
      g_string_append_printf (description, "%s%s: %.0f, between %.0f and %.0f", i > 0 ? "; " : "",
                              rs_skill_title (skills[i]), scores[i].score, scores[i].score_low,
                              scores[i].score_high);
      if (self->self_levels[i] != RS_LEVEL_INVALID)
        g_string_append_printf (description, ", your guess %s", rs_level_name (self->self_levels[i]));
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  description->str, -1);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

int
rs_score_chart_get_n_scores (RsScoreChart *self)
{
  g_return_val_if_fail (RS_IS_SCORE_CHART (self), 0);
  return self->n;
}
