/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "rs-report-cells.h"

#include <glib/gi18n-lib.h>

/* Abbreviated levels, for a range in a narrow cell ("Dev.–Prof."). */
static const char *const short_names[RS_N_LEVELS] = {
  NC_("short level", "Nov."), NC_("short level", "Dev."), NC_("short level", "Prof."), NC_("short level", "Adv."),
  NC_("short level", "Exp."),
};

const char *
rs_level_short_name (RsLevel level)
{
  g_return_val_if_fail (level >= 0 && level < RS_N_LEVELS, "?");
  return g_dpgettext2 (GETTEXT_PACKAGE, "short level", short_names[level]);
}

void
rs_draw_level_fill (RsDraw *draw, RsLevel low, RsLevel high, double x, double y, double width, double height)
{
  cairo_t *cr = draw->cr;

  rs_draw_color (draw, &draw->palette->level[low]);
  cairo_rectangle (cr, x, y, width, height);
  cairo_fill (cr);
  if (high == low)
    return;
  /* The lower right triangle in the higher level's colour, with a rule on
   * the diagonal so the split shows in greyscale too. */
  rs_draw_color (draw, &draw->palette->level[high]);
  cairo_move_to (cr, x + width, y);
  cairo_line_to (cr, x + width, y + height);
  cairo_line_to (cr, x, y + height);
  cairo_close_path (cr);
  cairo_fill (cr);
  rs_draw_color (draw, &draw->palette->background);
  rs_draw_rule (draw, x, y + height, x + width, y, 0.8);
}

void
rs_draw_result_cell (RsDraw *draw, const RsReportResult *result, double x, double y, double width, double height)
{
  const double size = MIN (8.0, height / 3.2);
  double line = size * 1.25, top = y + (height - 2 * line) / 2;
  g_autofree char *level = NULL, *band = NULL;

  if (!result->measured)
    {
      rs_draw_color (draw, &draw->palette->not_measured);
      cairo_rectangle (draw->cr, x, y, width, height);
      cairo_fill (draw->cr);
      rs_draw_text (draw, _("not measured"), x + 2, y + (height - line) / 2, width - 4, size * 0.9,
                    RS_TEXT_CENTER | RS_TEXT_MUTED);
      return;
    }
  rs_draw_level_fill (draw, result->score.level_low, result->score.level_high, x, y, width, height);
  level = result->score.level_claimed
            ? g_strdup (rs_level_name (result->score.level))
            : g_strdup_printf ("%s\u2013%s", rs_level_short_name (result->score.level_low),
                               rs_level_short_name (result->score.level_high));
  band = rs_report_result_band (result);
  if (!result->score.level_claimed)
    {
      /* A veil of the background behind the text, so the split's diagonal
       * does not run through the letters. */
      cairo_save (draw->cr);
      rs_draw_color (draw, &draw->palette->background);
      cairo_rectangle (draw->cr, x + width * 0.12, top - size * 0.15, width * 0.76, 2 * line + size * 0.1);
      cairo_clip (draw->cr);
      cairo_paint_with_alpha (draw->cr, 0.55);
      cairo_restore (draw->cr);
    }
  rs_draw_color (draw, &draw->palette->level_text);
  rs_draw_text_colored (draw, level, x + 2, top, width - 4, size, RS_TEXT_CENTER | RS_TEXT_BOLD);
  rs_draw_text_colored (draw, band, x + 2, top + line, width - 4, size, RS_TEXT_CENTER);
}

double
rs_draw_level_legend (RsDraw *draw, double x, double y, double width)
{
  const double swatch = 11, size = 7.5, gap = 5;
  const double item = width / 4;
  int n = 0;

  /* Two rows of four: the five levels, "between" and "not measured". */
  for (int l = 0; l < RS_N_LEVELS + 2; l++, n++)
    {
      double ix = x + (n % 4) * item, iy = y + (n / 4) * (swatch + 5);
      const char *label;

      if (l < RS_N_LEVELS)
        {
          rs_draw_level_fill (draw, (RsLevel) l, (RsLevel) l, ix, iy, swatch, swatch);
          label = rs_level_name ((RsLevel) l);
        }
      else if (l == RS_N_LEVELS)
        {
          rs_draw_level_fill (draw, RS_LEVEL_DEVELOPING, RS_LEVEL_PROFICIENT, ix, iy, swatch, swatch);
          label = _("between two levels");
        }
      else
        {
          rs_draw_color (draw, &draw->palette->not_measured);
          cairo_rectangle (draw->cr, ix, iy, swatch, swatch);
          cairo_fill (draw->cr);
          label = _("not measured");
        }
      rs_draw_color (draw, &draw->palette->grid);
      cairo_rectangle (draw->cr, ix, iy, swatch, swatch);
      cairo_set_line_width (draw->cr, 0.5);
      cairo_stroke (draw->cr);
      rs_draw_text (draw, label, ix + swatch + gap, iy + (swatch - size * 1.2) / 2, item - swatch - gap - 2, size, 0);
    }
  return 2 * (swatch + 5);
}
