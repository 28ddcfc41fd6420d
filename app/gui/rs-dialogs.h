/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The few dialogs the manager and admin pages share: a message (AdwMessageDialog,
 * libadwaita 1.2's) and file choosers (GtkFileChooserNative: GTK 4.8 has
 * no GtkFileDialog). Each is modal over the widget's window and named, so
 * a test can find it among the toplevels and answer it. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* A message with one "Close" response. name: the dialog's widget name. */
GtkWidget *rs_dialog_message (GtkWidget *from, const char *name, const char *heading, const char *body);

/* Called with the chosen files (NULL when cancelled). */
typedef void (*RsFilesChosen) (GtkWidget *from, GSList *paths, gpointer user_data);

/* Save: one path; suggested_name is the file name offered. */
void rs_dialog_choose_save (GtkWidget *from, const char *title, const char *suggested_name, const char *accept,
                            RsFilesChosen callback, gpointer user_data);
/* Open: one file, or several when multiple. pattern (may be NULL) filters,
 * e.g. "*.csv", named filter_name. */
void rs_dialog_choose_open (GtkWidget *from, const char *title, const char *accept, gboolean multiple,
                            const char *filter_name, const char *pattern, RsFilesChosen callback,
                            gpointer user_data);

/* The first toplevel window with this widget name, or NULL: for tests. */
GtkWidget *rs_dialog_find (const char *name);

G_END_DECLS
