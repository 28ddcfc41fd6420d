/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Pages of a PDF document: A4 portrait in points, margins, a running y
 * position, page breaks, headings, and the footer with "Page N of M".
 *
 * M is known only once everything is laid out, and a PDF page cannot be
 * changed after it is shown, so a document is drawn twice: first onto a
 * surface that writes nothing, to count pages (and note where sections
 * start, for the contents), then for real with those numbers. */
#pragma once

#include "rs-report-draw.h"

G_BEGIN_DECLS

#define RS_PDF_A4_WIDTH 595.276
#define RS_PDF_A4_HEIGHT 841.89

typedef struct {
  cairo_surface_t *surface;
  RsDraw draw;
  double width, height;
  double margin;
  double left, right;              /* the text column */
  double y;                        /* the next free line on the page */
  int page;                        /* 1-based; 0 before the first */
  int n_pages;                     /* from the first pass; 0 during it */
  char *footer;                    /* the footer's left side */
} RsPdfDoc;

RsPdfDoc *rs_pdf_doc_new (cairo_surface_t *surface, int n_pages, const char *footer);
void rs_pdf_doc_free (RsPdfDoc *doc);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RsPdfDoc, rs_pdf_doc_free)

/* Ends the current page (if any) and starts the next. */
void rs_pdf_doc_new_page (RsPdfDoc *doc);
/* Ends the last page. */
void rs_pdf_doc_finish (RsPdfDoc *doc);
/* The y below which nothing but the footer goes. */
double rs_pdf_doc_bottom (const RsPdfDoc *doc);
/* Starts a new page when height does not fit below y; returns TRUE when it did. */
gboolean rs_pdf_doc_ensure (RsPdfDoc *doc, double height);
/* A section title with a rule under it; adds a bookmark (outline entry). */
void rs_pdf_doc_heading (RsPdfDoc *doc, const char *title, gboolean bookmark);
/* A paragraph across the column; moves y below it. */
void rs_pdf_doc_paragraph (RsPdfDoc *doc, const char *text, double size, RsTextFlags flags);

G_END_DECLS
