/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The main window: owns the page stack and the one toast overlay, and moves
 * between pages as the person signs in, chooses, answers and finishes. */
#pragma once

#include <adwaita.h>

#include "rs-context.h"

G_BEGIN_DECLS

#define RS_TYPE_WINDOW (rs_window_get_type ())
G_DECLARE_FINAL_TYPE (RsWindow, rs_window, RS, WINDOW, AdwApplicationWindow)

/* app may be NULL (tests). */
RsWindow *rs_window_new (GtkApplication *app, RsContext *context);
RsContext *rs_window_get_context (RsWindow *self);

/* The visible page: "welcome", "first-run", "sign-in", "choose", "quiz",
 * "results", "history" or "error". */
const char *rs_window_get_page_name (RsWindow *self);
GtkWidget *rs_window_get_page (RsWindow *self, const char *name);
/* Shows a page as it is, without the usual preparation: for the screenshot
 * mode (the first-run page on a database that has an admin already). */
void rs_window_show_page (RsWindow *self, const char *name);

void rs_window_show_toast (RsWindow *self, const char *text);
/* Shows the error page with what happened and what to do. */
void rs_window_show_problem (RsWindow *self, const char *title, const char *description, gboolean fatal);

/* In kiosk mode the app's chrome is hidden and disabled: the primary menu
 * (and F10), the keyboard shortcuts window (Ctrl+?) and About. The kiosk
 * controller calls this as it enters and leaves kiosk mode. */
void rs_window_set_kiosk_chrome (RsWindow *self, gboolean kiosk);

G_END_DECLS
