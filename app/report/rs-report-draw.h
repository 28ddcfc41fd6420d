/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The drawing basics every chart shares, in the PDF and in the window
 * alike: a palette (print colours for the PDF, light and dark for the
 * window), and text set with pango, so that a PDF gets real, selectable
 * text. Units are the cairo context's: points on the PDF surface, a scaled
 * pixel in a widget. GTK-free: the widgets (app/gui/rs-chart.c) draw the
 * same charts into a cairo node of their snapshot. */
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
  RsRgb accent;                    /* a person's score bars */
  RsRgb guess;                     /* a person's own guess of their level */
} RsReportPalette;

/* For paper: light fills that stay apart in greyscale print, black text. */
const RsReportPalette *rs_report_palette_print (void);
/* For the window in the light style: the print fills, Adwaita's text and
 * accent colours on a card. */
const RsReportPalette *rs_report_palette_light (void);
/* The same hues, deeper, with light text: for the dark style. */
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
void rs_draw_color_alpha (RsDraw *draw, const RsRgb *color, double alpha);

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
/* The width of text on one line. */
double rs_draw_text_width (RsDraw *draw, const char *text, double size, RsTextFlags flags);
/* One line anchored at a point, in the colour already set: its left edge
 * at x, its centre (RS_TEXT_CENTER) or its right edge (RS_TEXT_RIGHT);
 * vertically centred on y. Returns its width. */
double rs_draw_label (RsDraw *draw, const char *text, double x, double y, double size, RsTextFlags flags);

void rs_draw_rule (RsDraw *draw, double x1, double y1, double x2, double y2, double line_width);

G_END_DECLS
