/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Finding controls the way a screen reader does: by accessible role and
 * name, in the tree of what is on screen, and activating them with their
 * default action. For GUI tests (tests/gui-a11y-util.c says what "name"
 * means under GTK 4.8). */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Before anything else in main(): GTK_A11Y=test (the accessible attributes
 * are kept and readable, with no D-Bus), then gtk_test_init(). */
void gui_a11y_init (int *argc, char ***argv);

char *gui_a11y_name (GtkWidget *widget);
const char *gui_a11y_role_name (GtkAccessibleRole role);
gboolean gui_a11y_presented (GtkWidget *widget);
GPtrArray *gui_a11y_find_all (GtkWidget *root, GtkAccessibleRole role);
GtkWidget *gui_a11y_find (GtkWidget *root, GtkAccessibleRole role, const char *name);
GtkWidget *gui_a11y_find_prefix (GtkWidget *root, GtkAccessibleRole role, const char *prefix);
GtkWidget *gui_a11y_get (GtkWidget *root, GtkAccessibleRole role, const char *name);
char *gui_a11y_dump (GtkWidget *root);
void gui_a11y_activate (GtkWidget *widget);
void gui_a11y_press (GtkWidget *root, GtkAccessibleRole role, const char *name);
gboolean gui_a11y_offers_action (GtkWidget *widget);
char *gui_a11y_text (GtkWidget *widget);

G_END_DECLS
