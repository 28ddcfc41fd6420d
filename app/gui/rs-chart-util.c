/* SPDX-License-Identifier: GPL-3.0-or-later */
/* gtk_style_context_* is what GTK 4.8 offers for reading colours (4.10 adds
 * gtk_widget_get_color); it is not deprecated at the 4.8 pin. */
#include "rs-chart-util.h"

void
rs_chart_lookup_color (GtkWidget *widget, const char *name, const GdkRGBA *fallback, GdkRGBA *color)
{
  GtkStyleContext *context = gtk_widget_get_style_context (widget);

  if (!gtk_style_context_lookup_color (context, name, color))
    *color = *fallback;
}

void
rs_chart_fg_color (GtkWidget *widget, GdkRGBA *color)
{
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), color);
}

void
rs_chart_series_color (GtkWidget *widget, int index, GdkRGBA *color)
{
  /* libadwaita's palette: mid tones readable on light and dark alike. */
  static const char *names[] = { "blue_3", "green_4", "orange_3", "purple_3" };
  static const GdkRGBA fallbacks[] = {
    { 0.21, 0.52, 0.89, 1 }, { 0.18, 0.76, 0.49, 1 }, { 1.0, 0.47, 0.0, 1 }, { 0.57, 0.25, 0.67, 1 },
  };
  int i = ((index % 4) + 4) % 4;

  rs_chart_lookup_color (widget, names[i], &fallbacks[i], color);
}

static PangoLayout *
make_layout (GtkWidget *widget, const char *text, gboolean small)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (widget, text);

  if (small)
    {
      PangoAttrList *attrs = pango_attr_list_new ();

      pango_attr_list_insert (attrs, pango_attr_scale_new (0.85));
      pango_layout_set_attributes (layout, attrs);
      pango_attr_list_unref (attrs);
    }
  return layout;
}

double
rs_chart_text (GtkWidget *widget, cairo_t *cr, const char *text, double x, double y,
               RsChartAlign halign, gboolean small)
{
  g_autoptr (PangoLayout) layout = make_layout (widget, text, small);
  int width, height;
  double left;

  pango_layout_get_pixel_size (layout, &width, &height);
  switch (halign)
    {
    case RS_CHART_ALIGN_START:
      left = x;
      break;
    case RS_CHART_ALIGN_END:
      left = x - width;
      break;
    case RS_CHART_ALIGN_CENTER:
    default:
      left = x - width / 2.0;
      break;
    }
  cairo_move_to (cr, left, y - height / 2.0);
  pango_cairo_show_layout (cr, layout);
  return width;
}

double
rs_chart_line_height (GtkWidget *widget, gboolean small)
{
  g_autoptr (PangoLayout) layout = make_layout (widget, "Mg", small);
  int width, height;

  pango_layout_get_pixel_size (layout, &width, &height);
  return height;
}
