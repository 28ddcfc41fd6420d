/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "rs-report-charts.h"

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
      g_autofree char *note = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of these is between two levels",
                                                            "%u of these are between two levels",
                                                            distribution->n_between),
                                               distribution->n_between);
      title_height += rs_draw_text (draw, note, x, y + title_height, width, size, RS_TEXT_MUTED) + 2;
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
          rs_draw_color (draw, fill);
          cairo_rectangle (draw->cr, bx, bottom - bh, bar, bh);
          cairo_fill_preserve (draw->cr);
          rs_draw_color (draw, &draw->palette->muted);
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

void
rs_draw_progress_chart (RsDraw *draw, const GArray *progress, double x, double y, double width, double height)
{
  const double axis = 26, legend = 18, label_height = 16, size = 7;
  double top = y + legend + 6, bottom = y + height - label_height;
  double plot_x = x + axis, plot_w = width - axis - 8;
  guint n = progress->len;
  guint label_every = MAX (1, (n + 7) / 8);
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
  for (guint q = 0; q < n; q++)
    {
      const RsQuarterProgress *point = &g_array_index (progress, RsQuarterProgress, q);
      double qx = n == 1 ? plot_x + plot_w / 2 : plot_x + plot_w * q / (n - 1);

      if (q % label_every != 0 && q != n - 1)
        continue;
      quarter_label (point, label, sizeof label);
      rs_draw_text (draw, label, qx - 30, bottom + 3, 60, size, RS_TEXT_CENTER | RS_TEXT_MUTED);
    }
  for (int s = 0; s < RS_N_SKILLS; s++)
    {
      gboolean drawing = FALSE;

      rs_draw_color (draw, &draw->palette->series[s]);
      cairo_set_line_width (draw->cr, 1.8);
      cairo_set_line_join (draw->cr, CAIRO_LINE_JOIN_ROUND);
      for (guint q = 0; q < n; q++)
        {
          const RsQuarterProgress *point = &g_array_index (progress, RsQuarterProgress, q);
          double qx = n == 1 ? plot_x + plot_w / 2 : plot_x + plot_w * q / (n - 1);
          double qy = bottom - (bottom - top) * rs_score_from_theta (point->mean_theta[s]) / 100.0;

          if (point->n[s] == 0)
            {
              /* A quarter with no result breaks the line. */
              if (drawing)
                cairo_stroke (draw->cr);
              drawing = FALSE;
              continue;
            }
          if (drawing)
            cairo_line_to (draw->cr, qx, qy);
          else
            cairo_move_to (draw->cr, qx, qy);
          drawing = TRUE;
        }
      if (drawing)
        cairo_stroke (draw->cr);
      /* Markers, so that a single quarter still shows. */
      for (guint q = 0; q < n; q++)
        {
          const RsQuarterProgress *point = &g_array_index (progress, RsQuarterProgress, q);
          double qx = n == 1 ? plot_x + plot_w / 2 : plot_x + plot_w * q / (n - 1);
          double qy = bottom - (bottom - top) * rs_score_from_theta (point->mean_theta[s]) / 100.0;

          if (point->n[s] == 0)
            continue;
          cairo_arc (draw->cr, qx, qy, 2.2, 0, 2 * G_PI);
          cairo_fill (draw->cr);
        }
    }
}
