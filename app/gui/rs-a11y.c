/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Repairs to the accessible tree that GTK 4.8 and libadwaita 1.2 build, for
 * what a screen reader met on Reskill's screens (issue 11):
 *
 * - GtkButton's set_label with use-underline stores the raw text
 *   ("_Sign In") as the button's accessible label AND points labelled-by at
 *   its mnemonic child label ("Sign In"); GTK 4.8 joins both, so the name
 *   reads "_Sign In Sign In". Dropping the label property leaves the
 *   child's text, underscore removed. (Without use-underline GTK sets the
 *   label property alone, which is right.)
 * - AdwEntryRow is a text box to assistive technology but has no text: its
 *   text lives in an inner GtkText whose role is "none", which AT-SPI skips,
 *   so a filled row reads back as empty. The inner text becomes the text box
 *   (named like the row) and the row a group around it.
 * - AdwPasswordEntryRow's show/hide button has only an icon: no name. */
#include "rs-a11y.h"


static void
drop_raw_label (GtkWidget *button)
{
  if (gtk_button_get_use_underline (GTK_BUTTON (button)))
    gtk_accessible_reset_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL);
}

static void
on_label_changed (GtkWidget *button, GParamSpec *pspec, gpointer data)
{
  drop_raw_label (button);
}

/* Every labelled GtkButton under root gets the single name of its label,
 * now and whenever its label changes. Cheap enough to call on every map:
 * buttons are marked once. */
void
rs_a11y_fix_button_names (GtkWidget *root)
{
  g_return_if_fail (GTK_IS_WIDGET (root));

  if (GTK_IS_BUTTON (root) && gtk_button_get_label (GTK_BUTTON (root)) != NULL
      && g_object_get_data (G_OBJECT (root), "rs-a11y-name") == NULL)
    {
      g_object_set_data (G_OBJECT (root), "rs-a11y-name", GINT_TO_POINTER (1));
      drop_raw_label (root);
      g_signal_connect_after (root, "notify::label", G_CALLBACK (on_label_changed), NULL);
      g_signal_connect_after (root, "notify::use-underline", G_CALLBACK (on_label_changed), NULL);
    }
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    rs_a11y_fix_button_names (child);
}

static void
on_title_changed (AdwPreferencesRow *row, GParamSpec *pspec, GtkWidget *text)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (text), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  adw_preferences_row_get_title (row), -1);
}

typedef struct {
  GtkText *text;
  char *peek_name;
  char *unpeek_name;
} Peek;

static void
peek_free (gpointer data, GClosure *closure)
{
  Peek *peek = data;

  g_free (peek->peek_name);
  g_free (peek->unpeek_name);
  g_free (peek);
}

static void
on_peek_clicked (GtkWidget *button, Peek *peek)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  gtk_text_get_visibility (peek->text) ? peek->unpeek_name : peek->peek_name, -1);
}

/* libadwaita 1.2's peek button is the one with a "view-reveal" or
 * "view-conceal" icon (the other inner button is "Apply"). */
static GtkWidget *
find_peek_button (GtkWidget *root)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_BUTTON (child) && g_str_has_prefix (gtk_button_get_icon_name (GTK_BUTTON (child)) ?: "", "view-"))
        return child;
      if ((found = find_peek_button (child)) != NULL)
        return found;
    }
  return NULL;
}

/* Call from the owner's init, before the row is realized (GTK refuses a
 * role change after that). peek_name, unpeek_name: the show/hide button's
 * names for a password row (ignored for others). */
void
rs_a11y_expose_entry_row (AdwEntryRow *row, const char *peek_name, const char *unpeek_name)
{
  GtkEditable *text;

  g_return_if_fail (ADW_IS_ENTRY_ROW (row));

  text = gtk_editable_get_delegate (GTK_EDITABLE (row));
  g_return_if_fail (GTK_IS_TEXT (text));
  g_object_set (text, "accessible-role", GTK_ACCESSIBLE_ROLE_TEXT_BOX, NULL);
  g_object_set (row, "accessible-role", GTK_ACCESSIBLE_ROLE_GROUP, NULL);
  on_title_changed (ADW_PREFERENCES_ROW (row), NULL, GTK_WIDGET (text));
  g_signal_connect_object (row, "notify::title", G_CALLBACK (on_title_changed), text, 0);

  if (ADW_IS_PASSWORD_ENTRY_ROW (row) && peek_name != NULL)
    {
      GtkWidget *button = find_peek_button (GTK_WIDGET (row));
      Peek *peek;

      g_return_if_fail (button != NULL);
      peek = g_new0 (Peek, 1);
      peek->text = GTK_TEXT (text);
      peek->peek_name = g_strdup (peek_name);
      peek->unpeek_name = g_strdup (unpeek_name);
      on_peek_clicked (button, peek);
      g_signal_connect_data (button, "clicked", G_CALLBACK (on_peek_clicked), peek, peek_free, G_CONNECT_AFTER);
    }
}
