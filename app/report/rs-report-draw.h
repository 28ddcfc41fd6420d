/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The drawing basics every report picture shares: a palette (light for
 * print, dark for a dark desktop), and text set with pango, so that a PDF
 * gets real, selectable text. Units are the cairo context's: points on the
 * PDF surface, pixels in a widget. GTK-free, so a GTK page can draw the same
 * charts into its own cairo context. */
#pragma once

#include <cairo.h>
#include <pango/pangocairo.h>

#include "rs-scoring.h"
#include "rs-skill.h"

G_BEGIN_DECLS

typedef struct {
  double r, g, b;
} RsRgb;

typedef struct {
  RsRgb background;
  RsRgb text;
  RsRgb muted;                     /* secondary text, axes */
  RsRgb grid;                      /* rules and gridlines */
  RsRgb level[RS_N_LEVELS];        /* cell and bar fills, one hue each */
  RsRgb level_text;                /* text on a level fill */
  RsRgb not_measured;
  RsRgb series[RS_N_SKILLS];       /* one line per skill */
} RsReportPalette;

/* Light fills that stay apart in greyscale print, black text on all. */
const RsReportPalette *rs_report_palette_light (void);
/* The same hues, deeper, with light text: for a dark style. */
const RsReportPalette *rs_report_palette_dark (void);

typedef struct {
  cairo_t *cr;
  PangoLayout *layout;             /* reused for every piece of text */
  const RsReportPalette *palette;
  char *family;
} RsDraw;

/* family NULL: "DejaVu Sans". */
void rs_draw_init (RsDraw *draw, cairo_t *cr, const RsReportPalette *palette, const char *family);
void rs_draw_clear (RsDraw *draw);

void rs_draw_color (RsDraw *draw, const RsRgb *color);

typedef enum {
  RS_TEXT_PLAIN = 0,
  RS_TEXT_BOLD = 1 << 0,
  RS_TEXT_WRAP = 1 << 1,           /* else one line, ellipsized to width */
  RS_TEXT_CENTER = 1 << 2,
  RS_TEXT_RIGHT = 1 << 3,
  RS_TEXT_MUTED = 1 << 4,          /* in the palette's muted colour */
} RsTextFlags;

/* Lays out text in a box width wide whose top is y; size in units. */
double rs_draw_text_height (RsDraw *draw, const char *text, double width, double size, RsTextFlags flags);
/* Draws it in the palette's text colour (or muted); returns its height. */
double rs_draw_text (RsDraw *draw, const char *text, double x, double y, double width, double size,
                     RsTextFlags flags);
/* The same, in the colour already set on the context. */
double rs_draw_text_colored (RsDraw *draw, const char *text, double x, double y, double width, double size,
                             RsTextFlags flags);

void rs_draw_rule (RsDraw *draw, double x1, double y1, double x2, double y2, double line_width);

G_END_DECLS
