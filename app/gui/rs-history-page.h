/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The signed-in person's finished attempts with a progress chart. Opening
 * one emits ::open-attempt with its UUID. */
#pragma once

#include <adwaita.h>

#include "rs-page.h"

G_BEGIN_DECLS

#define RS_TYPE_HISTORY_PAGE (rs_history_page_get_type ())
G_DECLARE_FINAL_TYPE (RsHistoryPage, rs_history_page, RS, HISTORY_PAGE, RsPage)

GtkWidget *rs_history_page_new (void);
/* Reloads the signed-in person's attempts. FALSE with error when the store
 * cannot be read. */
gboolean rs_history_page_refresh (RsHistoryPage *self, GError **error);
guint rs_history_page_get_n_attempts (RsHistoryPage *self);

/* How a change since the last attempt reads: "(about the same as last
 * time)" within noise, never a signed number that noise could give. */
char *rs_history_describe_change (const RsScoreChange *change);

/* "Download my data": writes the signed-in person's export
 * (rs_person_export) into dir, a new or empty folder, and says where in a
 * toast. The Download button asks for dir with a file chooser. */
gboolean rs_history_page_download_to (RsHistoryPage *self, const char *dir, GError **error);
/* "Who looked at my results": one line per look, newest first, or a
 * sentence saying nobody has. The button shows it in a message dialog
 * named "who-looked-dialog". */
char *rs_history_page_describe_views (RsHistoryPage *self, GError **error);

G_END_DECLS
