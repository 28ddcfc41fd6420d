/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The row's nodes carry the style classes AdwActionRow's have (box.header,
 * box.title, label.title, label.subtitle, image.icon, box.suffixes), so
 * Adwaita's own rules for "row > box.header" lay it out and colour it the
 * same, in light, dark and high contrast alike. */
#include "rs-list-row.h"

struct _RsListRow
{
  GtkBox parent_instance;

  GtkWidget *icon;
  GtkWidget *title;
  GtkWidget *subtitle;
  GtkWidget *suffixes;
};

G_DEFINE_FINAL_TYPE (RsListRow, rs_list_row, GTK_TYPE_BOX)

static void
rs_list_row_class_init (RsListRowClass *klass)
{
}

static void
rs_list_row_init (RsListRow *self)
{
  GtkWidget *texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  gtk_widget_add_css_class (GTK_WIDGET (self), "header");
  self->icon = gtk_image_new ();
  gtk_widget_add_css_class (self->icon, "icon");
  gtk_widget_set_valign (self->icon, GTK_ALIGN_CENTER);
  gtk_widget_set_visible (self->icon, FALSE);

  gtk_widget_add_css_class (texts, "title");
  gtk_widget_set_hexpand (texts, TRUE);
  gtk_widget_set_valign (texts, GTK_ALIGN_CENTER);
  self->title = gtk_label_new (NULL);
  gtk_widget_add_css_class (self->title, "title");
  self->subtitle = gtk_label_new (NULL);
  gtk_widget_add_css_class (self->subtitle, "subtitle");
  for (GtkWidget *label = self->title; label != NULL; label = label == self->title ? self->subtitle : NULL)
    {
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_box_append (GTK_BOX (texts), label);
    }

  self->suffixes = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  gtk_widget_add_css_class (self->suffixes, "suffixes");
  gtk_widget_set_valign (self->suffixes, GTK_ALIGN_CENTER);

  gtk_box_append (GTK_BOX (self), self->icon);
  gtk_box_append (GTK_BOX (self), texts);
  gtk_box_append (GTK_BOX (self), self->suffixes);
  rs_list_row_clear (self);
}

GtkWidget *
rs_list_row_new (void)
{
  return g_object_new (RS_TYPE_LIST_ROW, "orientation", GTK_ORIENTATION_HORIZONTAL, NULL);
}

void
rs_list_row_set_title (RsListRow *self, const char *title)
{
  g_return_if_fail (RS_IS_LIST_ROW (self));
  gtk_label_set_text (GTK_LABEL (self->title), title != NULL ? title : "");
}

void
rs_list_row_set_subtitle (RsListRow *self, const char *subtitle)
{
  g_return_if_fail (RS_IS_LIST_ROW (self));
  gtk_label_set_text (GTK_LABEL (self->subtitle), subtitle != NULL ? subtitle : "");
  gtk_widget_set_visible (self->subtitle, subtitle != NULL && subtitle[0] != '\0');
}

void
rs_list_row_set_icon (RsListRow *self, const char *icon_name, const char *label, const char *css_class)
{
  g_return_if_fail (RS_IS_LIST_ROW (self));
  gtk_widget_remove_css_class (self->icon, "warning");
  gtk_widget_remove_css_class (self->icon, "error");
  gtk_widget_remove_css_class (self->icon, "success");
  gtk_widget_set_visible (self->icon, icon_name != NULL);
  gtk_image_set_from_icon_name (GTK_IMAGE (self->icon), icon_name);
  if (icon_name != NULL && css_class != NULL)
    gtk_widget_add_css_class (self->icon, css_class);
  if (label != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->icon), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (self->icon), GTK_ACCESSIBLE_PROPERTY_LABEL);
}

void
rs_list_row_add_suffix (RsListRow *self, GtkWidget *widget)
{
  g_return_if_fail (RS_IS_LIST_ROW (self));
  gtk_box_append (GTK_BOX (self->suffixes), widget);
  gtk_widget_set_visible (self->suffixes, TRUE);
}

void
rs_list_row_set_dimmed (RsListRow *self, gboolean dimmed)
{
  g_return_if_fail (RS_IS_LIST_ROW (self));
  if (dimmed)
    gtk_widget_add_css_class (GTK_WIDGET (self), "dim-label");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "dim-label");
}

void
rs_list_row_clear (RsListRow *self)
{
  GtkWidget *child;

  g_return_if_fail (RS_IS_LIST_ROW (self));
  rs_list_row_set_title (self, NULL);
  rs_list_row_set_subtitle (self, NULL);
  rs_list_row_set_icon (self, NULL, NULL, NULL);
  rs_list_row_set_dimmed (self, FALSE);
  while ((child = gtk_widget_get_first_child (self->suffixes)) != NULL)
    gtk_box_remove (GTK_BOX (self->suffixes), child);
  gtk_widget_set_visible (self->suffixes, FALSE);
  gtk_widget_set_name (GTK_WIDGET (self), NULL);
}

const char *
rs_list_row_get_title (RsListRow *self)
{
  g_return_val_if_fail (RS_IS_LIST_ROW (self), NULL);
  return gtk_label_get_text (GTK_LABEL (self->title));
}

const char *
rs_list_row_get_subtitle (RsListRow *self)
{
  g_return_val_if_fail (RS_IS_LIST_ROW (self), NULL);
  return gtk_label_get_text (GTK_LABEL (self->subtitle));
}

/* --- the factory --- */

typedef struct {
  RsListRowBind bind;
  gpointer user_data;
} Binding;

static void
on_setup (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer data)
{
  /* Rows are read, not picked: their buttons are what one activates. */
  gtk_list_item_set_activatable (item, FALSE);
  gtk_list_item_set_selectable (item, FALSE);
  gtk_list_item_set_child (item, rs_list_row_new ());
}

static void
on_bind (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer data)
{
  Binding *binding = data;
  RsListRow *row = RS_LIST_ROW (gtk_list_item_get_child (item));

  rs_list_row_clear (row);
  binding->bind (row, gtk_list_item_get_item (item), binding->user_data);
}

static void
on_unbind (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer data)
{
  /* Nothing of an item stays in a row waiting for the next one. */
  rs_list_row_clear (RS_LIST_ROW (gtk_list_item_get_child (item)));
}

GtkListItemFactory *
rs_list_row_factory_new (RsListRowBind bind, gpointer user_data)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  Binding *binding = g_new0 (Binding, 1);

  g_return_val_if_fail (bind != NULL, NULL);
  binding->bind = bind;
  binding->user_data = user_data;
  g_object_set_data_full (G_OBJECT (factory), "rs-binding", binding, g_free);
  g_signal_connect (factory, "setup", G_CALLBACK (on_setup), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (on_bind), binding);
  g_signal_connect (factory, "unbind", G_CALLBACK (on_unbind), NULL);
  return factory;
}
