/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "rs-report-charts.h"

#include "rs-report-cells.h"

#include <glib/gi18n-lib.h>

#include <math.h>

/* A rounded-up axis maximum with a tick every step. */
static guint
nice_max (guint value, guint *step)
{
  static const guint steps[] = { 1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000 };

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    if (value <= steps[i] * 5)
      {
        *step = steps[i];
        return MAX (steps[i], (value + steps[i] - 1) / steps[i] * steps[i]);
      }
  *step = (value + 4) / 5;
  return *step * 5;
}

void
rs_draw_distribution_chart (RsDraw *draw, const char *title, const RsSkillDistribution *distribution,
                            double x, double y, double width, double height)
{
  const double axis = 22, label_height = 22, title_size = 10, size = 7;
  double title_height = rs_draw_text (draw, title, x, y, width, title_size, RS_TEXT_BOLD) + 4;
  double top, bottom = y + height - label_height;
  double plot_x = x + axis, plot_w = width - axis;
  guint counts[RS_N_LEVELS + 1], highest = 0, step = 1, max;
  double slot = plot_w / (RS_N_LEVELS + 1), bar = slot * 0.62;

  if (distribution->n_between > 0)
    {
      /* Translators: under a chart of how many team members are at each
       * level; the split part of a bar is drawn like a "between" cell of
       * the skills map. */
      g_autofree char *note = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "%u of these is between two levels: the split part of "
                                                            "a bar, at their most likely level",
                                                            "%u of these are between two levels: the split part of "
                                                            "a bar, at their most likely level",
                                                            distribution->n_between),
                                               distribution->n_between);
      title_height += rs_draw_text (draw, note, x, y + title_height, width, size, RS_TEXT_MUTED | RS_TEXT_WRAP) + 2;
    }
  top = y + title_height + 10;
  for (int l = 0; l < RS_N_LEVELS; l++)
    counts[l] = distribution->n_at_level[l];
  counts[RS_N_LEVELS] = distribution->n_not_measured;
  for (int l = 0; l <= RS_N_LEVELS; l++)
    highest = MAX (highest, counts[l]);
  max = nice_max (MAX (highest, 1), &step);

  /* Gridlines and their numbers. */
  for (guint v = 0; v <= max; v += step)
    {
      double gy = bottom - (bottom - top) * v / max;
      g_autofree char *number = g_strdup_printf ("%u", v);

      rs_draw_color (draw, &draw->palette->grid);
      rs_draw_rule (draw, plot_x, gy, plot_x + plot_w, gy, v == 0 ? 0.9 : 0.4);
      rs_draw_text (draw, number, x, gy - size * 0.65, axis - 4, size, RS_TEXT_RIGHT | RS_TEXT_MUTED);
    }
  for (int l = 0; l <= RS_N_LEVELS; l++)
    {
      double bx = plot_x + slot * l + (slot - bar) / 2;
      double bh = (bottom - top) * counts[l] / max;
      const RsRgb *fill = l < RS_N_LEVELS ? &draw->palette->level[l] : &draw->palette->not_measured;
      g_autofree char *count = g_strdup_printf ("%u", counts[l]);

      if (counts[l] > 0)
        {
          guint n_between = l < RS_N_LEVELS ? MIN (distribution->n_between_at[l], counts[l]) : 0;
          double between_h = bh * n_between / counts[l];

          /* Those at the level, solid; those between levels on top, in the
           * split fill of the skills map's "between" cells. */
          rs_draw_color (draw, fill);
          cairo_rectangle (draw->cr, bx, bottom - bh + between_h, bar, bh - between_h);
          cairo_fill (draw->cr);
          if (n_between > 0)
            rs_draw_level_fill (draw, distribution->between_low[l], distribution->between_high[l], bx, bottom - bh,
                                bar, between_h);
          if (n_between > 0 && n_between < counts[l])
            {
              rs_draw_color (draw, &draw->palette->background);
              rs_draw_rule (draw, bx, bottom - bh + between_h, bx + bar, bottom - bh + between_h, 0.8);
            }
          rs_draw_color (draw, &draw->palette->muted);
          cairo_rectangle (draw->cr, bx, bottom - bh, bar, bh);
          cairo_set_line_width (draw->cr, 0.6);
          cairo_stroke (draw->cr);
        }
      rs_draw_text (draw, count, plot_x + slot * l, bottom - bh - size * 1.4, slot, size, RS_TEXT_CENTER);
      rs_draw_text (draw, l < RS_N_LEVELS ? rs_level_name ((RsLevel) l) : _("not measured"),
                    plot_x + slot * l - 2, bottom + 3, slot + 4, size * 0.88, RS_TEXT_CENTER | RS_TEXT_WRAP | RS_TEXT_MUTED);
    }
}

static void
quarter_label (const RsQuarterProgress *point, char *buffer, gsize size)
{
  g_snprintf (buffer, size, _("Q%d %d"), point->quarter, point->year);
}

/* A label centred under cx, moved in just enough to stay whole between
 * left and right (the chart's edges: a widget clips what is outside). */
static void
label_within (RsDraw *draw, const char *text, double cx, double cy, double size, double left, double right)
{
  double width = rs_draw_text_width (draw, text, size, 0);
  double x = CLAMP (cx - width / 2, left, MAX (left, right - width));

  rs_draw_label (draw, text, x, cy, size, 0);
}

void
rs_draw_progress_chart (RsDraw *draw, const GArray *progress, double x, double y, double width, double height)
{
  const double axis = 26, legend = 18, label_height = 16, size = 7;
  double top = y + legend + 6, bottom = y + height - label_height;
  double plot_x = x + axis, plot_w = width - axis - 4;
  double label_w = 0, first_x, last_x, spacing;
  guint n = progress->len;
  guint label_every = 1;
  char label[32];

  /* Legend: a swatch per skill. */
  for (int s = 0; s < RS_N_SKILLS; s++)
    {
      double lx = plot_x + s * plot_w / RS_N_SKILLS;

      rs_draw_color (draw, &draw->palette->series[s]);
      cairo_set_line_width (draw->cr, 2);
      cairo_move_to (draw->cr, lx, y + 6);
      cairo_line_to (draw->cr, lx + 16, y + 6);
      cairo_stroke (draw->cr);
      rs_draw_text (draw, rs_skill_title ((RsSkill) s), lx + 20, y + 6 - size * 0.65, plot_w / RS_N_SKILLS - 22,
                    size, 0);
    }
  /* The score axis, 0–100. */
  for (int v = 0; v <= 100; v += 25)
    {
      double gy = bottom - (bottom - top) * v / 100.0;
      g_autofree char *number = g_strdup_printf ("%d", v);

      rs_draw_color (draw, &draw->palette->grid);
      rs_draw_rule (draw, plot_x, gy, plot_x + plot_w, gy, v == 0 ? 0.9 : 0.4);
      rs_draw_text (draw, number, x, gy - size * 0.65, axis - 4, size, RS_TEXT_RIGHT | RS_TEXT_MUTED);
    }
  if (n == 0)
    {
      rs_draw_text (draw, _("No finished results yet."), plot_x, (top + bottom) / 2 - 6, plot_w, 9,
                    RS_TEXT_CENTER | RS_TEXT_MUTED);
      return;
    }

  /* The quarters sit half a label in from each end, so the first and last
   * labels are whole ("Q4 2026", not "Q4 202"); and one in label_every is
   * labelled, as many as fit side by side, the last always. */
  for (guint q = 0; q < n; q++)
    {
      quarter_label (&g_array_index (progress, RsQuarterProgress, q), label, sizeof label);
      label_w = MAX (label_w, rs_draw_text_width (draw, label, size, 0));
    }
  first_x = plot_x + label_w / 2 + 2;
  last_x = plot_x + plot_w - label_w / 2 - 2;
  if (last_x < first_x)
    first_x = last_x = plot_x + plot_w / 2;
  spacing = n > 1 ? (last_x - first_x) / (n - 1) : 0;
  while (n > 1 && label_every < n && spacing * label_every < label_w + 6)
    label_every++;
#define QX(q) (n == 1 ? (first_x + last_x) / 2 : first_x + spacing * (q))
#define QY(theta) (bottom - (bottom - top) * rs_score_from_theta (theta) / 100.0)

  rs_draw_color (draw, &draw->palette->muted);
  for (guint q = 0; q < n; q++)
    {
      gboolean last = q == n - 1;

      if (q % label_every != 0 && !last)
        continue;
      /* The last quarter's label wins over a shown one it would touch. */
      if (!last && q + label_every > n - 1 && q > 0 && spacing * (n - 1 - q) < label_w + 6)
        continue;
      quarter_label (&g_array_index (progress, RsQuarterProgress, q), label, sizeof label);
      label_within (draw, label, QX (q), bottom + 3 + size * 0.65, size, x, x + width);
    }

  for (int s = 0; s < RS_N_SKILLS; s++)
    {
      gboolean started = FALSE;

      rs_draw_color (draw, &draw->palette->series[s]);
      cairo_set_line_width (draw->cr, 1.8);
      cairo_set_line_join (draw->cr, CAIRO_LINE_JOIN_ROUND);
      /* Every quarter with a point, joined: a quarter without one (before
       * anyone of the team was measured in the skill) is passed over, not
       * a break in the line. */
      for (guint q = 0; q < n; q++)
        {
          const RsQuarterProgress *point = &g_array_index (progress, RsQuarterProgress, q);

          if (point->n[s] == 0)
            continue;
          if (started)
            cairo_line_to (draw->cr, QX (q), QY (point->mean_theta[s]));
          else
            cairo_move_to (draw->cr, QX (q), QY (point->mean_theta[s]));
          started = TRUE;
        }
      if (started)
        cairo_stroke (draw->cr);
      /* Markers, so that a single quarter still shows. */
      for (guint q = 0; q < n; q++)
        {
          const RsQuarterProgress *point = &g_array_index (progress, RsQuarterProgress, q);

          if (point->n[s] == 0)
            continue;
          cairo_arc (draw->cr, QX (q), QY (point->mean_theta[s]), 2.2, 0, 2 * G_PI);
          cairo_fill (draw->cr);
        }
    }
#undef QX
#undef QY
}

/* --- a person's charts --- */

/* Text sizes of the person's charts: about the window's body text when a
 * widget draws them (RsChart makes a unit an eleventh of its font's line),
 * 9.5 pt on paper. */
#define PERSON_TEXT 9.5
#define PERSON_SMALL 8.0

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

void
rs_draw_score_chart (RsDraw *draw, const RsScoreBar *bars, int n, double x, double y, double width, double height)
{
  const RsReportPalette *palette = draw->palette;
  double line = rs_draw_text_height (draw, "Mg", -1, PERSON_TEXT, 0);
  double small = rs_draw_text_height (draw, "Mg", -1, PERSON_SMALL, 0);
  double left = 0, x0, x1, y0, y1, slot;
  gboolean any_guess = FALSE;

  /* Room for the widest level name on the left. */
  for (int l = 0; l < RS_N_LEVELS; l++)
    left = MAX (left, rs_draw_text_width (draw, rs_level_name ((RsLevel) l), PERSON_SMALL, 0));
  for (int i = 0; i < n; i++)
    any_guess |= bars[i].guess != RS_LEVEL_INVALID;

  x0 = x + left + 12;
  x1 = x + width - 6;
  y0 = y + line * (any_guess ? 2.2 : 1.2);
  y1 = y + height - line * 1.6;
  if (x1 - x0 < 30 || y1 - y0 < 30)
    return;

#define Y(score) (y1 - ((score) / 100.0) * (y1 - y0))

  /* Level bands, alternately shaded, named on the left. */
  for (int l = 0; l < RS_N_LEVELS; l++)
    {
      double band_top = Y (level_high_score ((RsLevel) l));
      double band_bottom = Y (level_low_score ((RsLevel) l));

      if (l % 2 == 1)
        {
          rs_draw_color_alpha (draw, &palette->text, 0.05);
          cairo_rectangle (draw->cr, x0, band_top, x1 - x0, band_bottom - band_top);
          cairo_fill (draw->cr);
        }
      rs_draw_color (draw, &palette->muted);
      rs_draw_label (draw, rs_level_name ((RsLevel) l), x0 - 6, (band_top + band_bottom) / 2, PERSON_SMALL,
                     RS_TEXT_RIGHT);
    }
  rs_draw_color_alpha (draw, &palette->text, 0.3);
  rs_draw_rule (draw, x0, y1, x1, y1, 0.7);

  if (n == 0)
    return;

  slot = (x1 - x0) / n;
  for (int i = 0; i < n; i++)
    {
      const RsSkillScore *s = &bars[i].score;
      double cx = x0 + slot * (i + 0.5);
      double bar = MIN (slot * 0.4, line * 4);
      double cap = bar * 0.3;
      char value[16];

      /* The bar: the estimate. */
      rs_draw_color_alpha (draw, &palette->accent, 0.85);
      cairo_rectangle (draw->cr, cx - bar / 2, Y (s->score), bar, y1 - Y (s->score));
      cairo_fill (draw->cr);

      /* The error bar: the 80% band. */
      rs_draw_color_alpha (draw, &palette->text, 0.9);
      cairo_set_line_width (draw->cr, 1.4);
      cairo_move_to (draw->cr, cx, Y (s->score_high));
      cairo_line_to (draw->cr, cx, Y (s->score_low));
      cairo_move_to (draw->cr, cx - cap, Y (s->score_high));
      cairo_line_to (draw->cr, cx + cap, Y (s->score_high));
      cairo_move_to (draw->cr, cx - cap, Y (s->score_low));
      cairo_line_to (draw->cr, cx + cap, Y (s->score_low));
      cairo_stroke (draw->cr);

      g_snprintf (value, sizeof value, "%.0f", s->score);
      rs_draw_color (draw, &palette->text);
      rs_draw_label (draw, value, cx, Y (s->score_high) - line * 0.6, PERSON_TEXT, RS_TEXT_CENTER);

      /* The person's own guess: a diamond in the middle of that level. */
      if (bars[i].guess != RS_LEVEL_INVALID)
        {
          RsLevel l = bars[i].guess;
          double gy = Y ((level_low_score (l) + level_high_score (l)) / 2);
          double gx = cx + bar / 2 + small;

          diamond (draw->cr, gx, gy, small * 0.45);
          rs_draw_color (draw, &palette->guess);
          cairo_fill_preserve (draw->cr);
          rs_draw_color_alpha (draw, &palette->text, 0.8);
          cairo_set_line_width (draw->cr, 0.7);
          cairo_stroke (draw->cr);
        }

      rs_draw_color (draw, &palette->text);
      rs_draw_label (draw, rs_skill_title (bars[i].skill), cx, y1 + line * 0.8, PERSON_TEXT, RS_TEXT_CENTER);
    }

  if (any_guess)
    {
      double lx = x1 - small * 0.5;
      double w;

      rs_draw_color_alpha (draw, &palette->text, 0.8);
      w = rs_draw_label (draw, _("Your own guess"), lx, y + line * 0.7, PERSON_SMALL, RS_TEXT_RIGHT);
      diamond (draw->cr, lx - w - small * 0.8, y + line * 0.7, small * 0.4);
      rs_draw_color (draw, &palette->guess);
      cairo_fill (draw->cr);
      rs_draw_color_alpha (draw, &palette->text, 0.8);
      rs_draw_label (draw, _("Score with its 80% band"), lx - w - small * 2.5, y + line * 0.7, PERSON_SMALL,
                     RS_TEXT_RIGHT);
    }
#undef Y
}

void
rs_draw_attempts_chart (RsDraw *draw, const RsChartAttempt *attempts, guint n, double x, double y, double width,
                        double height)
{
  const RsReportPalette *palette = draw->palette;
  double line = rs_draw_text_height (draw, "Mg", -1, PERSON_TEXT, 0);
  double small = rs_draw_text_height (draw, "Mg", -1, PERSON_SMALL, 0);
  double x0 = x + line * 2.2, x1 = x + width - line * 1.5;
  double y0, y1 = y + height - line * 1.8;
  double step, legend_x, legend_y, span_days;
  gboolean present[RS_N_SKILLS] = { FALSE };
  int legend_rows = 1;

  for (guint i = 0; i < n; i++)
    for (int s = 0; s < RS_N_SKILLS; s++)
      present[s] |= attempts[i].measured[s];
  /* The legend along the top, on as many rows as the width needs. */
  legend_x = x0;
  for (int s = 0; s < RS_N_SKILLS; s++)
    {
      double item = small * 1.3 + rs_draw_text_width (draw, rs_skill_title ((RsSkill) s), PERSON_SMALL, 0);

      if (!present[s])
        continue;
      if (legend_x > x0 && legend_x + item > x1)
        {
          legend_rows++;
          legend_x = x0;
        }
      legend_x += item + small * 1.5;
    }
  y0 = y + line * 1.2 + legend_rows * small * 1.3;
  if (x1 - x0 < 30 || y1 - y0 < 30)
    return;

#define Y(score) (y1 - ((score) / 100.0) * (y1 - y0))

  /* Grid every 25 points. */
  for (int v = 0; v <= 100; v += 25)
    {
      char label[8];

      rs_draw_color_alpha (draw, &palette->text, v == 0 ? 0.3 : 0.1);
      rs_draw_rule (draw, x0, Y (v), x1, Y (v), 0.7);
      g_snprintf (label, sizeof label, "%d", v);
      rs_draw_color (draw, &palette->muted);
      rs_draw_label (draw, label, x0 - 5, Y (v), PERSON_SMALL, RS_TEXT_RIGHT);
    }

  if (n == 0)
    return;

  /* Evenly spaced rather than by date: attempts cluster, and even spacing
   * keeps every one readable. */
  step = n > 1 ? (x1 - x0 - line * 2) / (n - 1) : 0;
  span_days = (attempts[n - 1].date - attempts[0].date) / (G_USEC_PER_SEC * 86400.0);
#define X(i) (n > 1 ? x0 + line + (i) * step : (x0 + x1) / 2)

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (GDateTime) when = g_date_time_new_from_unix_local (attempts[i].date / G_USEC_PER_SEC);
      /* With the year once attempts span more than a season. */
      g_autofree char *date = when != NULL ? g_date_time_format (when, span_days > 200 ? "%e %b %Y" : "%e %b")
                                           : g_strdup ("");

      /* Skip dates that would collide when there are many attempts. */
      if (n <= 8 || i % ((n + 7) / 8) == 0 || i == n - 1)
        {
          rs_draw_color (draw, &palette->muted);
          label_within (draw, g_strstrip (date), X (i), y1 + line * 0.8, PERSON_SMALL, x, x + width);
        }
    }

  for (int s = 0; s < RS_N_SKILLS; s++)
    {
      gboolean started = FALSE;
      double offset = (s - 1.5) * small * 0.35;   /* keep bands of equal scores apart */

      if (!present[s])
        continue;

      /* Bands first, then the line, then the points on top. */
      rs_draw_color_alpha (draw, &palette->series[s], 0.45);
      cairo_set_line_width (draw->cr, 2.2);
      for (guint i = 0; i < n; i++)
        {
          if (!attempts[i].measured[s])
            continue;
          cairo_move_to (draw->cr, X (i) + offset, Y (attempts[i].score[s].score_low));
          cairo_line_to (draw->cr, X (i) + offset, Y (attempts[i].score[s].score_high));
          cairo_stroke (draw->cr);
        }

      rs_draw_color (draw, &palette->series[s]);
      cairo_set_line_width (draw->cr, 1.5);
      cairo_set_line_join (draw->cr, CAIRO_LINE_JOIN_ROUND);
      for (guint i = 0; i < n; i++)
        {
          if (!attempts[i].measured[s])
            continue;
          if (!started)
            cairo_move_to (draw->cr, X (i) + offset, Y (attempts[i].score[s].score));
          else
            cairo_line_to (draw->cr, X (i) + offset, Y (attempts[i].score[s].score));
          started = TRUE;
        }
      cairo_stroke (draw->cr);
      for (guint i = 0; i < n; i++)
        {
          if (!attempts[i].measured[s])
            continue;
          cairo_arc (draw->cr, X (i) + offset, Y (attempts[i].score[s].score), small * 0.3, 0, 2 * G_PI);
          cairo_fill (draw->cr);
        }
    }

  /* The legend, along the top. */
  legend_x = x0;
  legend_y = y + line * 0.7;
  for (int s = 0; s < RS_N_SKILLS; s++)
    {
      double item = small * 1.3 + rs_draw_text_width (draw, rs_skill_title ((RsSkill) s), PERSON_SMALL, 0);

      if (!present[s])
        continue;
      if (legend_x > x0 && legend_x + item > x1)
        {
          legend_x = x0;
          legend_y += small * 1.3;
        }
      rs_draw_color (draw, &palette->series[s]);
      cairo_rectangle (draw->cr, legend_x, legend_y - small * 0.3, small * 0.9, small * 0.6);
      cairo_fill (draw->cr);
      rs_draw_color_alpha (draw, &palette->text, 0.9);
      rs_draw_label (draw, rs_skill_title ((RsSkill) s), legend_x + small * 1.3, legend_y, PERSON_SMALL, 0);
      legend_x += item + small * 1.5;
    }
#undef X
#undef Y
}
