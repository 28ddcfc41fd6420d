/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Drawing helpers shared by the two charts: colours come from the current
 * style (so dark mode and high contrast work), text from the widget's font
 * (so it scales with the desktop font size). */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* A named colour of the style (libadwaita's "accent_bg_color", "blue_3"...),
 * or fallback when the style does not define it. */
void rs_chart_lookup_color (GtkWidget *widget, const char *name, const GdkRGBA *fallback, GdkRGBA *color);
/* The widget's foreground colour. */
void rs_chart_fg_color (GtkWidget *widget, GdkRGBA *color);
/* One of four distinct series colours from the style's palette. */
void rs_chart_series_color (GtkWidget *widget, int index, GdkRGBA *color);

typedef enum {
  RS_CHART_ALIGN_START,
  RS_CHART_ALIGN_CENTER,
  RS_CHART_ALIGN_END,
} RsChartAlign;

/* Draws text with its anchor at (x, y): halign decides which side of the
 * text x is on, y is the vertical centre. Returns the text's width. */
double rs_chart_text (GtkWidget *widget, cairo_t *cr, const char *text, double x, double y,
                      RsChartAlign halign, gboolean small);
/* The height of one line of text in the widget's font. */
double rs_chart_line_height (GtkWidget *widget, gboolean small);

G_END_DECLS
