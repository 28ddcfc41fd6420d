/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What every page of the window does, once: it holds the window's context
 * (the "context" property, notified on a real change, dropped at dispose),
 * forgets the person on rs_page_clear, and reports through two signals
 * instead of reaching for the window. ::toast carries a short message for
 * the window's one AdwToastOverlay; ::error a failure with a heading, which
 * the window shows as a message dialog (a page nobody listens to shows it
 * itself). A page made of sections (administration) adds them with
 * rs_page_add_section: they get its context, are cleared with it, and
 * their signals come out of it.
 *
 * Modelled on GNOME Console's KgxPage: a derivable type with class vfuncs,
 * so a page only writes what is its own. */
#pragma once

#include <adwaita.h>

#include "rs-context.h"

G_BEGIN_DECLS

#define RS_TYPE_PAGE (rs_page_get_type ())
G_DECLARE_DERIVABLE_TYPE (RsPage, rs_page, RS, PAGE, AdwBin)

struct _RsPageClass
{
  AdwBinClass parent_class;

  /* After the context changed (to another one, or to NULL). */
  void (*context_changed) (RsPage *self);
  /* Forget everything shown of the person who was signed in. Sections are
   * cleared after their page. */
  void (*clear) (RsPage *self);

  /* Signals. ::error returns TRUE when a handler has shown it. */
  void (*toast) (RsPage *self, const char *text);
  gboolean (*error) (RsPage *self, const char *heading, const char *message);

  gpointer padding[8];
};

RsContext *rs_page_get_context (RsPage *self);
void rs_page_set_context (RsPage *self, RsContext *context);
/* The context's store, bank and signed-in person; NULL without a context. */
RsStore *rs_page_get_store (RsPage *self);
const RsBank *rs_page_get_bank (RsPage *self);
const RsPerson *rs_page_get_person (RsPage *self);

void rs_page_clear (RsPage *self);

/* Emits ::toast. */
void rs_page_toast (RsPage *self, const char *text);
/* Emits ::error; when no handler showed it, shows a message dialog named
 * "error-dialog" over the page's window. */
void rs_page_error (RsPage *self, const char *heading, const char *message);

/* section (a descendant of self) shares self's context from now on, is
 * cleared with it, and its ::toast and ::error are emitted by self. */
void rs_page_add_section (RsPage *self, RsPage *section);

G_END_DECLS
