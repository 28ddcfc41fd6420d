/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Small repairs to what GTK 4.8 and libadwaita 1.2 tell assistive
 * technology (issue 11), kept in one place so that pages need one call. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

void rs_a11y_fix_button_names (GtkWidget *root);
void rs_a11y_expose_entry_row (AdwEntryRow *row, const char *peek_name, const char *unpeek_name);

G_END_DECLS
