/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A row for a GtkListView that looks like libadwaita's AdwActionRow: an
 * optional icon, a title, a dimmed subtitle and buttons at the end. Lists
 * that may run to thousands (people, the bank's items) are GtkListViews,
 * which recycle a few of these rows instead of making one per item; an
 * AdwActionRow is a GtkListBoxRow and belongs in a GtkListBox.
 *
 * rs_list_row_factory_new makes the factory for such a list: it builds the
 * rows and, for each item shown, calls bind with the row (cleared first)
 * and the item. The list view gets the "rs-rows" and "card" style classes,
 * which style.css turns into a boxed list. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define RS_TYPE_LIST_ROW (rs_list_row_get_type ())
G_DECLARE_FINAL_TYPE (RsListRow, rs_list_row, RS, LIST_ROW, GtkBox)

GtkWidget *rs_list_row_new (void);
void rs_list_row_set_title (RsListRow *self, const char *title);
/* NULL or "" hides it. */
void rs_list_row_set_subtitle (RsListRow *self, const char *subtitle);
/* An icon before the title, with its accessible name (the icon is the
 * only place the fact shows); NULL hides it. css_class (may be NULL), e.g.
 * "warning", colours it. */
void rs_list_row_set_icon (RsListRow *self, const char *icon_name, const char *label, const char *css_class);
/* Adds a widget at the end (buttons); taken away by rs_list_row_clear. */
void rs_list_row_add_suffix (RsListRow *self, GtkWidget *widget);
/* Shown as switched off (dimmed). */
void rs_list_row_set_dimmed (RsListRow *self, gboolean dimmed);
/* Back to empty: no title, subtitle, icon, suffix or name. */
void rs_list_row_clear (RsListRow *self);

const char *rs_list_row_get_title (RsListRow *self);
const char *rs_list_row_get_subtitle (RsListRow *self);

typedef void (*RsListRowBind) (RsListRow *row, gpointer item, gpointer user_data);

/* A factory for a GtkListView of RsListRows. */
GtkListItemFactory *rs_list_row_factory_new (RsListRowBind bind, gpointer user_data);

G_END_DECLS
