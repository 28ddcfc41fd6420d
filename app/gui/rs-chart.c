/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The drawing goes through gtk_snapshot_append_cairo rather than a
 * GtkDrawingArea: the chart is part of the widget's own snapshot, sized by
 * its own measure, so a subclass needs no draw function of its own and the
 * size follows the font. */
#include "rs-chart.h"

#include <adwaita.h>

typedef struct
{
  char *text;
} RsChartPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (RsChart, rs_chart, GTK_TYPE_WIDGET)

/* The height of a line of the widget's font, in pixels. */
static double
line_height (GtkWidget *widget)
{
  g_autoptr (PangoLayout) layout = gtk_widget_create_pango_layout (widget, "Mg");
  int width, height;

  pango_layout_get_pixel_size (layout, &width, &height);
  return height;
}

double
rs_chart_get_scale (RsChart *self)
{
  g_return_val_if_fail (RS_IS_CHART (self), 1.0);
  return CLAMP (line_height (GTK_WIDGET (self)) / 11.0, 1.0, 4.0);
}

const RsReportPalette *
rs_chart_get_palette (RsChart *self)
{
  g_return_val_if_fail (RS_IS_CHART (self), NULL);
  return adw_style_manager_get_dark (adw_style_manager_get_default ()) ? rs_report_palette_dark ()
                                                                       : rs_report_palette_light ();
}

void
rs_chart_set_text (RsChart *self, const char *text, gboolean tooltip)
{
  RsChartPrivate *priv;

  g_return_if_fail (RS_IS_CHART (self));
  priv = rs_chart_get_instance_private (self);
  g_free (priv->text);
  priv->text = g_strdup (text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  text != NULL ? text : "", -1);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), tooltip ? text : NULL);
}

const char *
rs_chart_get_text (RsChart *self)
{
  RsChartPrivate *priv;

  g_return_val_if_fail (RS_IS_CHART (self), NULL);
  priv = rs_chart_get_instance_private (self);
  return priv->text;
}

static void
rs_chart_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  RsChart *self = RS_CHART (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  double scale = rs_chart_get_scale (self);
  const PangoFontDescription *font = pango_context_get_font_description (gtk_widget_get_pango_context (widget));
  cairo_t *cr;
  RsDraw draw;

  if (width <= 0 || height <= 0 || RS_CHART_GET_CLASS (self)->draw == NULL)
    return;
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  rs_draw_init (&draw, cr, rs_chart_get_palette (self),
                font != NULL ? pango_font_description_get_family (font) : NULL);
  cairo_scale (cr, scale, scale);
  RS_CHART_GET_CLASS (self)->draw (self, &draw, width / scale, height / scale);
  rs_draw_clear (&draw);
  cairo_destroy (cr);
}

static void
rs_chart_measure (GtkWidget *widget, GtkOrientation orientation, int for_size, int *minimum, int *natural,
                  int *minimum_baseline, int *natural_baseline)
{
  RsChart *self = RS_CHART (widget);

  *minimum = *natural = 0;
  if (orientation == GTK_ORIENTATION_VERTICAL && RS_CHART_GET_CLASS (self)->get_height != NULL)
    *minimum = *natural = (int) (RS_CHART_GET_CLASS (self)->get_height (self) * rs_chart_get_scale (self) + 0.5);
}

static void
rs_chart_finalize (GObject *object)
{
  RsChartPrivate *priv = rs_chart_get_instance_private (RS_CHART (object));

  g_free (priv->text);
  G_OBJECT_CLASS (rs_chart_parent_class)->finalize (object);
}

static void
rs_chart_class_init (RsChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = rs_chart_finalize;
  widget_class->snapshot = rs_chart_snapshot;
  widget_class->measure = rs_chart_measure;
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
rs_chart_init (RsChart *self)
{
  /* Redraw with the other palette when the style flips. */
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (gtk_widget_queue_draw), self, G_CONNECT_SWAPPED);
}
