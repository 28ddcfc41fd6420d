/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What every chart widget does, once: it draws one of the report
 * library's charts (rs-report-charts.h, the same code the PDF uses) into a
 * cairo node of its snapshot, with the window's palette (light or dark, as
 * AdwStyleManager says, redrawn when it changes) and the widget's font,
 * scaled so that a unit of the drawing is an eleventh of the font's line:
 * larger desktop text gives a larger, still legible chart. A subclass only
 * says what to draw and how tall it is, in those units. Charts are images
 * to assistive technology; their words are their accessible description. */
#pragma once

#include <gtk/gtk.h>

#include "rs-report-draw.h"

G_BEGIN_DECLS

#define RS_TYPE_CHART (rs_chart_get_type ())
G_DECLARE_DERIVABLE_TYPE (RsChart, rs_chart, RS, CHART, GtkWidget)

struct _RsChartClass
{
  GtkWidgetClass parent_class;

  /* Draws in a box of width × height units at the origin. */
  void (*draw) (RsChart *self, RsDraw *draw, double width, double height);
  /* The height wanted, in units. */
  double (*get_height) (RsChart *self);

  gpointer padding[4];
};

/* Pixels per unit, from the widget's font. */
double rs_chart_get_scale (RsChart *self);
/* The palette the chart is drawn with now. */
const RsReportPalette *rs_chart_get_palette (RsChart *self);
/* What the chart says in words: its accessible description, and its
 * tooltip when tooltip is TRUE. */
void rs_chart_set_text (RsChart *self, const char *text, gboolean tooltip);
const char *rs_chart_get_text (RsChart *self);

G_END_DECLS
