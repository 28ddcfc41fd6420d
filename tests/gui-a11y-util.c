/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The accessible tree as a screen reader meets it, for GUI tests.
 *
 * GTK 4.8 has no public call that returns the accessible name AT-SPI
 * sends, nor the list behind a relation. With GTK_A11Y=test GTK keeps
 * every accessible attribute in a test context, and its testing API
 * (gtk_test_accessible_check_property/_relation) hands back the value it
 * holds when asked for another one. From those, gui_a11y_name() computes
 * the name as GTK 4.8's gtk_at_context_get_name() does:
 *
 *   the widget's "label" property, then, for each widget of its
 *   "labelled-by" relation in order, that widget's "label" property,
 *   joined with single spaces; a widget with neither has an empty name
 *   (which AT-SPI then shows as the widget's type name, "GtkImage",
 *   "GtkListBoxRow": what issue 11 found).
 *
 * GtkLabel, GtkButton, GtkCheckButton, the libadwaita rows... set those
 * properties and relations themselves: nothing here reads a widget's own
 * text in their place. Tooltips and descriptions are not part of a name in
 * GTK 4.8 and are not read.
 *
 * What is "on screen": a widget that is mapped (visible, in a shown window,
 * its stack page the one shown) and whose role is not "none" or
 * "presentation" (GTK 4.8 leaves those out of the AT-SPI tree; their
 * children are searched).
 *
 * Activation is what an assistive technology's "click"/"activate" does:
 * a button's clicked signal, anything else's gtk_widget_activate (a check
 * button toggles, a list row is activated). Insensitive controls are
 * refused, as AT-SPI's DoAction refuses them. */
#include "gui-a11y-util.h"

#include <stdlib.h>
#include <string.h>

void
gui_a11y_init (int *argc, char ***argv)
{
  g_setenv ("GTK_A11Y", "test", TRUE);
  gtk_test_init (argc, argv, NULL);
}

const char *
gui_a11y_role_name (GtkAccessibleRole role)
{
  GEnumClass *klass = g_type_class_ref (GTK_TYPE_ACCESSIBLE_ROLE);
  GEnumValue *value = g_enum_get_value (klass, role);
  const char *nick = value != NULL ? value->value_nick : "?";

  g_type_class_unref (klass);
  return nick;
}

/* The string GTK holds for the widget's label property, or NULL. */
static char *
label_property (GtkWidget *widget)
{
  /* No real label is a lone U+0001: GTK answers with the value it has. */
  const char *probe = "\001";
  char *value;

  if (!gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL))
    return NULL;
  value = gtk_test_accessible_check_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, probe);
  return value != NULL ? value : g_strdup (probe);
}

static GtkWidget *
find_address (GtkWidget *root, gconstpointer address)
{
  if ((gconstpointer) root == address)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_address (child, address);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The widgets of the labelled-by relation, in order. GTK prints a
 * reference list as "Type<0xADDRESS> Type<0xADDRESS>"; an address counts
 * only when a widget of the same window has it (nothing is dereferenced
 * that is not known to be alive). */
static GPtrArray *
labelled_by (GtkWidget *widget)
{
  GPtrArray *list = g_ptr_array_new ();
  g_autofree char *text = NULL;
  GtkWidget *root = GTK_WIDGET (gtk_widget_get_root (widget));

  if (!gtk_test_accessible_has_relation (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_RELATION_LABELLED_BY))
    return list;
  text = gtk_test_accessible_check_relation (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_RELATION_LABELLED_BY, NULL);
  if (root == NULL)
    {
      root = widget;
      while (gtk_widget_get_parent (root) != NULL)
        root = gtk_widget_get_parent (root);
    }
  for (const char *p = text != NULL ? strstr (text, "<0x") : NULL; p != NULL; p = strstr (p + 1, "<0x"))
    {
      gconstpointer address = (gconstpointer) (guintptr) g_ascii_strtoull (p + 3, NULL, 16);
      GtkWidget *target = find_address (root, address);

      if (target != NULL)
        g_ptr_array_add (list, target);
    }
  return list;
}

char *
gui_a11y_name (GtkWidget *widget)
{
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) targets = labelled_by (widget);
  char *own = label_property (widget);

  if (own != NULL)
    g_ptr_array_add (names, own);
  for (guint i = 0; i < targets->len; i++)
    {
      char *label = label_property (g_ptr_array_index (targets, i));
      if (label != NULL)
        g_ptr_array_add (names, label);
    }
  g_ptr_array_add (names, NULL);
  return g_strjoinv (" ", (char **) names->pdata);
}

gboolean
gui_a11y_presented (GtkWidget *widget)
{
  GtkAccessibleRole role = gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (widget));

  return gtk_widget_get_mapped (widget) && role != GTK_ACCESSIBLE_ROLE_NONE
         && role != GTK_ACCESSIBLE_ROLE_PRESENTATION;
}

static void
collect (GtkWidget *widget, GtkAccessibleRole role, GPtrArray *out)
{
  if (!gtk_widget_get_mapped (widget))
    return;
  if (gui_a11y_presented (widget) && gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (widget)) == role)
    g_ptr_array_add (out, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect (child, role, out);
}

/* Every widget on screen under root (root included) with this role, in
 * tree order. */
GPtrArray *
gui_a11y_find_all (GtkWidget *root, GtkAccessibleRole role)
{
  GPtrArray *out = g_ptr_array_new ();

  collect (root, role, out);
  return out;
}

static GtkWidget *
find_matching (GtkWidget *root, GtkAccessibleRole role, const char *text, gboolean prefix)
{
  g_autoptr (GPtrArray) all = gui_a11y_find_all (root, role);

  for (guint i = 0; i < all->len; i++)
    {
      g_autofree char *name = gui_a11y_name (g_ptr_array_index (all, i));

      if (prefix ? g_str_has_prefix (name, text) : g_strcmp0 (name, text) == 0)
        return g_ptr_array_index (all, i);
    }
  return NULL;
}

GtkWidget *
gui_a11y_find (GtkWidget *root, GtkAccessibleRole role, const char *name)
{
  return find_matching (root, role, name, FALSE);
}

GtkWidget *
gui_a11y_find_prefix (GtkWidget *root, GtkAccessibleRole role, const char *prefix)
{
  return find_matching (root, role, prefix, TRUE);
}

static void
dump (GtkWidget *widget, int depth, GString *out)
{
  if (!gtk_widget_get_mapped (widget))
    return;
  if (gui_a11y_presented (widget))
    {
      g_autofree char *name = gui_a11y_name (widget);
      g_string_append_printf (out, "%*s%s \"%s\" (%s)\n", depth * 2, "",
                              gui_a11y_role_name (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (widget))),
                              name, G_OBJECT_TYPE_NAME (widget));
      depth++;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    dump (child, depth, out);
}

/* The tree on screen, one "role "name" (type)" a line: for messages. */
char *
gui_a11y_dump (GtkWidget *root)
{
  GString *out = g_string_new (NULL);

  dump (root, 0, out);
  return g_string_free (out, FALSE);
}

/* The one on screen, or the test stops with the tree it searched. */
GtkWidget *
gui_a11y_get (GtkWidget *root, GtkAccessibleRole role, const char *name)
{
  GtkWidget *found = gui_a11y_find (root, role, name);

  if (found == NULL)
    {
      g_autofree char *tree = gui_a11y_dump (root);
      g_error ("no %s named \"%s\" on screen; the accessible tree:\n%s", gui_a11y_role_name (role), name, tree);
    }
  return found;
}

/* Whether GTK 4.8's AT-SPI bridge gives the widget an Action interface
 * (gtkatspiaction.c picks one by type: buttons, switches, expanders, the
 * entries; nothing else). */
gboolean
gui_a11y_offers_action (GtkWidget *widget)
{
  return GTK_IS_BUTTON (widget) || GTK_IS_SWITCH (widget) || GTK_IS_EXPANDER (widget) || GTK_IS_ENTRY (widget)
         || GTK_IS_PASSWORD_ENTRY (widget) || GTK_IS_SEARCH_ENTRY (widget);
}

void
gui_a11y_activate (GtkWidget *widget)
{
  g_autofree char *name = gui_a11y_name (widget);

  if (!gtk_widget_is_sensitive (widget))
    g_error ("%s \"%s\" cannot be activated: it is insensitive",
             gui_a11y_role_name (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (widget))), name);
  if (GTK_IS_BUTTON (widget))
    g_signal_emit_by_name (widget, "clicked");
  else
    g_assert_true (gtk_widget_activate (widget));
}

void
gui_a11y_press (GtkWidget *root, GtkAccessibleRole role, const char *name)
{
  gui_a11y_activate (gui_a11y_get (root, role, name));
}

/* What the text interface reads: the text of an editable on screen. */
char *
gui_a11y_text (GtkWidget *widget)
{
  g_assert_true (GTK_IS_EDITABLE (widget));
  return g_strdup (gtk_editable_get_text (GTK_EDITABLE (widget)));
}
