/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "rs-pdf-doc.h"

#include <glib/gi18n-lib.h>

#include <cairo-pdf.h>

#define FOOTER_SIZE 8.0
#define FOOTER_SPACE 28.0

RsPdfDoc *
rs_pdf_doc_new (cairo_surface_t *surface, int n_pages, const char *footer)
{
  RsPdfDoc *doc = g_new0 (RsPdfDoc, 1);
  cairo_t *cr = cairo_create (surface);

  doc->surface = cairo_surface_reference (surface);
  rs_draw_init (&doc->draw, cr, rs_report_palette_print (), NULL);
  cairo_destroy (cr);
  doc->width = RS_PDF_A4_WIDTH;
  doc->height = RS_PDF_A4_HEIGHT;
  doc->margin = 42.0;                       /* about 15 mm */
  doc->left = doc->margin;
  doc->right = doc->width - doc->margin;
  doc->n_pages = n_pages;
  doc->footer = g_strdup (footer);
  return doc;
}

void
rs_pdf_doc_free (RsPdfDoc *doc)
{
  if (doc == NULL)
    return;
  rs_draw_clear (&doc->draw);
  cairo_surface_destroy (doc->surface);
  g_free (doc->footer);
  g_free (doc);
}

static void
draw_footer (RsPdfDoc *doc)
{
  RsDraw *draw = &doc->draw;
  double y = doc->height - doc->margin + 8;
  g_autofree char *number = doc->n_pages > 0 ? g_strdup_printf (_("Page %d of %d"), doc->page, doc->n_pages)
                                             : g_strdup_printf (_("Page %d"), doc->page);

  rs_draw_color (draw, &draw->palette->grid);
  rs_draw_rule (draw, doc->left, y - 6, doc->right, y - 6, 0.5);
  rs_draw_text (draw, doc->footer, doc->left, y, (doc->right - doc->left) * 0.7, FOOTER_SIZE, RS_TEXT_MUTED);
  rs_draw_text (draw, number, doc->right - 120, y, 120, FOOTER_SIZE, RS_TEXT_RIGHT | RS_TEXT_MUTED);
}

static void
end_page (RsPdfDoc *doc)
{
  if (doc->page == 0)
    return;
  draw_footer (doc);
  cairo_show_page (doc->draw.cr);
}

void
rs_pdf_doc_new_page (RsPdfDoc *doc)
{
  end_page (doc);
  doc->page++;
  doc->y = doc->margin;
}

void
rs_pdf_doc_finish (RsPdfDoc *doc)
{
  end_page (doc);
}

double
rs_pdf_doc_bottom (const RsPdfDoc *doc)
{
  return doc->height - doc->margin - FOOTER_SPACE + 8;
}

gboolean
rs_pdf_doc_ensure (RsPdfDoc *doc, double height)
{
  if (doc->page > 0 && doc->y + height <= rs_pdf_doc_bottom (doc))
    return FALSE;
  rs_pdf_doc_new_page (doc);
  return TRUE;
}

void
rs_pdf_doc_heading (RsPdfDoc *doc, const char *title, gboolean bookmark)
{
  RsDraw *draw = &doc->draw;
  double height;

  if (bookmark && doc->n_pages > 0)
    {
      g_autofree char *link = g_strdup_printf ("page=%d", doc->page);
      cairo_pdf_surface_add_outline (doc->surface, CAIRO_PDF_OUTLINE_ROOT, title, link, 0);
    }
  height = rs_draw_text (draw, title, doc->left, doc->y, doc->right - doc->left, 15, RS_TEXT_BOLD);
  doc->y += height + 3;
  rs_draw_color (draw, &draw->palette->grid);
  rs_draw_rule (draw, doc->left, doc->y, doc->right, doc->y, 0.8);
  doc->y += 10;
}

void
rs_pdf_doc_paragraph (RsPdfDoc *doc, const char *text, double size, RsTextFlags flags)
{
  doc->y += rs_draw_text (&doc->draw, text, doc->left, doc->y, doc->right - doc->left, size, flags | RS_TEXT_WRAP);
  doc->y += size * 0.6;
}
