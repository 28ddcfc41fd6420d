/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "rs-report-draw.h"

/* Fills light enough for black text, and of rising darkness from Novice to
 * Expert, so that a greyscale print still orders them. */
static const RsReportPalette print = {
  .background = { 1, 1, 1 },
  .text = { 0.10, 0.10, 0.12 },
  .muted = { 0.38, 0.38, 0.42 },
  .grid = { 0.80, 0.80, 0.83 },
  .level = {
    { 0.988, 0.894, 0.839 },       /* Novice: pale coral */
    { 0.996, 0.906, 0.635 },       /* Developing: amber */
    { 0.776, 0.898, 0.702 },       /* Proficient: green */
    { 0.576, 0.792, 0.890 },       /* Advanced: blue */
    { 0.690, 0.612, 0.851 },       /* Expert: violet */
  },
  .level_text = { 0.08, 0.08, 0.10 },
  .not_measured = { 0.93, 0.93, 0.94 },
  /* Okabe–Ito: told apart with the common colour-vision deficiencies. */
  .series = { { 0.00, 0.45, 0.70 }, { 0.90, 0.62, 0.00 }, { 0.00, 0.62, 0.45 }, { 0.80, 0.47, 0.65 } },
  .accent = { 0.00, 0.45, 0.70 },
  .guess = { 0.90, 0.62, 0.00 },
};

/* On a libadwaita card: its text colour (rgba (0, 0, 0, 0.8) on white),
 * its accent blue and orange; the print fills, which were chosen for black
 * text. */
static const RsReportPalette light = {
  .background = { 1, 1, 1 },
  .text = { 0.20, 0.20, 0.20 },
  .muted = { 0.42, 0.42, 0.45 },
  .grid = { 0.84, 0.84, 0.86 },
  .level = {
    { 0.988, 0.894, 0.839 },
    { 0.996, 0.906, 0.635 },
    { 0.776, 0.898, 0.702 },
    { 0.576, 0.792, 0.890 },
    { 0.690, 0.612, 0.851 },
  },
  .level_text = { 0.08, 0.08, 0.10 },
  .not_measured = { 0.93, 0.93, 0.94 },
  .series = { { 0.00, 0.45, 0.70 }, { 0.90, 0.62, 0.00 }, { 0.00, 0.62, 0.45 }, { 0.80, 0.47, 0.65 } },
  .accent = { 0.21, 0.52, 0.89 },
  .guess = { 1.00, 0.47, 0.00 },
};

static const RsReportPalette dark = {
  .background = { 0.14, 0.14, 0.15 },
  .text = { 0.95, 0.95, 0.96 },
  .muted = { 0.70, 0.70, 0.74 },
  .grid = { 0.35, 0.35, 0.38 },
  .level = {
    { 0.55, 0.25, 0.20 },
    { 0.55, 0.42, 0.08 },
    { 0.22, 0.45, 0.18 },
    { 0.13, 0.36, 0.55 },
    { 0.36, 0.26, 0.58 },
  },
  .level_text = { 0.97, 0.97, 0.98 },
  .not_measured = { 0.25, 0.25, 0.27 },
  .series = { { 0.35, 0.70, 0.95 }, { 0.95, 0.72, 0.25 }, { 0.30, 0.80, 0.60 }, { 0.90, 0.60, 0.80 } },
  .accent = { 0.21, 0.52, 0.89 },
  .guess = { 1.00, 0.47, 0.00 },
};

const RsReportPalette *
rs_report_palette_print (void)
{
  return &print;
}

const RsReportPalette *
rs_report_palette_light (void)
{
  return &light;
}

const RsReportPalette *
rs_report_palette_dark (void)
{
  return &dark;
}

void
rs_draw_init (RsDraw *draw, cairo_t *cr, const RsReportPalette *palette, const char *family)
{
  draw->cr = cairo_reference (cr);
  draw->layout = pango_cairo_create_layout (cr);
  draw->palette = palette != NULL ? palette : &print;
  draw->family = g_strdup (family != NULL ? family : "DejaVu Sans");
}

void
rs_draw_clear (RsDraw *draw)
{
  g_clear_object (&draw->layout);
  g_clear_pointer (&draw->cr, cairo_destroy);
  g_clear_pointer (&draw->family, g_free);
}

void
rs_draw_color (RsDraw *draw, const RsRgb *color)
{
  cairo_set_source_rgb (draw->cr, color->r, color->g, color->b);
}

void
rs_draw_color_alpha (RsDraw *draw, const RsRgb *color, double alpha)
{
  cairo_set_source_rgba (draw->cr, color->r, color->g, color->b, alpha);
}

static void
set_up (RsDraw *draw, const char *text, double width, double size, RsTextFlags flags)
{
  PangoFontDescription *font = pango_font_description_new ();
  PangoAlignment align = PANGO_ALIGN_LEFT;

  pango_font_description_set_family (font, draw->family);
  pango_font_description_set_weight (font, (flags & RS_TEXT_BOLD) ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  /* Absolute: one unit of size is one unit of the context (a point on the
   * PDF), whatever resolution pango assumes. */
  pango_font_description_set_absolute_size (font, size * PANGO_SCALE);
  pango_layout_set_font_description (draw->layout, font);
  pango_font_description_free (font);
  if (flags & RS_TEXT_CENTER)
    align = PANGO_ALIGN_CENTER;
  else if (flags & RS_TEXT_RIGHT)
    align = PANGO_ALIGN_RIGHT;
  pango_layout_set_alignment (draw->layout, align);
  pango_layout_set_width (draw->layout, width > 0 ? (int) (width * PANGO_SCALE) : -1);
  if (flags & RS_TEXT_WRAP)
    {
      pango_layout_set_wrap (draw->layout, PANGO_WRAP_WORD);
      pango_layout_set_ellipsize (draw->layout, PANGO_ELLIPSIZE_NONE);
    }
  else
    pango_layout_set_ellipsize (draw->layout, width > 0 ? PANGO_ELLIPSIZE_END : PANGO_ELLIPSIZE_NONE);
  pango_layout_set_text (draw->layout, text, -1);
}

double
rs_draw_text_height (RsDraw *draw, const char *text, double width, double size, RsTextFlags flags)
{
  PangoRectangle logical;

  set_up (draw, text, width, size, flags);
  pango_layout_get_extents (draw->layout, NULL, &logical);
  return (double) logical.height / PANGO_SCALE;
}

double
rs_draw_text_colored (RsDraw *draw, const char *text, double x, double y, double width, double size,
                      RsTextFlags flags)
{
  PangoRectangle logical;

  set_up (draw, text, width, size, flags);
  cairo_move_to (draw->cr, x, y);
  pango_cairo_update_layout (draw->cr, draw->layout);
  pango_cairo_show_layout (draw->cr, draw->layout);
  pango_layout_get_extents (draw->layout, NULL, &logical);
  return (double) logical.height / PANGO_SCALE;
}

double
rs_draw_text_width (RsDraw *draw, const char *text, double size, RsTextFlags flags)
{
  PangoRectangle logical;

  set_up (draw, text, -1, size, flags & ~(RS_TEXT_WRAP | RS_TEXT_CENTER | RS_TEXT_RIGHT));
  pango_layout_get_extents (draw->layout, NULL, &logical);
  return (double) logical.width / PANGO_SCALE;
}

double
rs_draw_label (RsDraw *draw, const char *text, double x, double y, double size, RsTextFlags flags)
{
  PangoRectangle logical;
  double width, left;

  set_up (draw, text, -1, size, flags & ~(RS_TEXT_WRAP | RS_TEXT_CENTER | RS_TEXT_RIGHT));
  pango_layout_get_extents (draw->layout, NULL, &logical);
  width = (double) logical.width / PANGO_SCALE;
  left = (flags & RS_TEXT_CENTER) ? x - width / 2 : (flags & RS_TEXT_RIGHT) ? x - width : x;
  cairo_move_to (draw->cr, left, y - (double) logical.height / PANGO_SCALE / 2);
  pango_cairo_update_layout (draw->cr, draw->layout);
  pango_cairo_show_layout (draw->cr, draw->layout);
  return width;
}

double
rs_draw_text (RsDraw *draw, const char *text, double x, double y, double width, double size, RsTextFlags flags)
{
  rs_draw_color (draw, (flags & RS_TEXT_MUTED) ? &draw->palette->muted : &draw->palette->text);
  return rs_draw_text_colored (draw, text, x, y, width, size, flags);
}

void
rs_draw_rule (RsDraw *draw, double x1, double y1, double x2, double y2, double line_width)
{
  cairo_set_line_width (draw->cr, line_width);
  cairo_move_to (draw->cr, x1, y1);
  cairo_line_to (draw->cr, x2, y2);
  cairo_stroke (draw->cr);
}
