/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The file choosers keep the widget that asked alive until they answer: a
 * page may be torn down (sign out) while a chooser is open, and then the
 * answer is dropped rather than delivered to a dead page. */
#include "rs-dialogs.h"

#include <glib/gi18n-lib.h>

GtkWidget *
rs_dialog_message (GtkWidget *from, const char *name, const char *heading, const char *body)
{
  GtkRoot *root = from != NULL ? gtk_widget_get_root (from) : NULL;
  GtkWidget *dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading, body);

  gtk_widget_set_name (dialog, name);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "close");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "close");
  gtk_window_present (GTK_WINDOW (dialog));
  return dialog;
}

typedef struct {
  GtkWidget *from;
  RsFilesChosen callback;
  gpointer user_data;
} Pending;

static void
on_response (GtkNativeDialog *native, int response, gpointer data)
{
  Pending *pending = data;
  GSList *paths = NULL;

  if (response == GTK_RESPONSE_ACCEPT && gtk_widget_get_root (pending->from) != NULL)
    {
      g_autoptr (GListModel) files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (native));

      for (guint i = g_list_model_get_n_items (files); i > 0; i--)
        {
          g_autoptr (GFile) file = g_list_model_get_item (files, i - 1);
          char *path = g_file_get_path (file);

          if (path != NULL)
            paths = g_slist_prepend (paths, path);
        }
    }
  if (gtk_widget_get_root (pending->from) != NULL)
    pending->callback (pending->from, paths, pending->user_data);
  g_slist_free_full (paths, g_free);
  g_object_unref (pending->from);
  g_free (pending);
  gtk_native_dialog_destroy (native);
  g_object_unref (native);
}

static void
run (GtkWidget *from, GtkFileChooserNative *native, RsFilesChosen callback, gpointer user_data)
{
  Pending *pending = g_new0 (Pending, 1);

  pending->from = g_object_ref (from);
  pending->callback = callback;
  pending->user_data = user_data;
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (native), TRUE);
  g_signal_connect (native, "response", G_CALLBACK (on_response), pending);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (native));
}

static GtkWindow *
parent_of (GtkWidget *from)
{
  GtkRoot *root = gtk_widget_get_root (from);
  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

void
rs_dialog_choose_save (GtkWidget *from, const char *title, const char *suggested_name, const char *accept,
                       RsFilesChosen callback, gpointer user_data)
{
  GtkFileChooserNative *native = gtk_file_chooser_native_new (title, parent_of (from), GTK_FILE_CHOOSER_ACTION_SAVE,
                                                              accept, "_Cancel");

  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (native), suggested_name);
  run (from, native, callback, user_data);
}

void
rs_dialog_choose_open (GtkWidget *from, const char *title, const char *accept, gboolean multiple,
                       const char *filter_name, const char *pattern, RsFilesChosen callback, gpointer user_data)
{
  GtkFileChooserNative *native = gtk_file_chooser_native_new (title, parent_of (from), GTK_FILE_CHOOSER_ACTION_OPEN,
                                                              accept, "_Cancel");

  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (native), multiple);
  if (pattern != NULL)
    {
      g_autoptr (GtkFileFilter) filter = gtk_file_filter_new ();
      g_autoptr (GtkFileFilter) all = gtk_file_filter_new ();

      gtk_file_filter_set_name (filter, filter_name);
      gtk_file_filter_add_pattern (filter, pattern);
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (native), filter);
      gtk_file_filter_set_name (all, _("All files"));
      gtk_file_filter_add_pattern (all, "*");
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (native), all);
    }
  run (from, native, callback, user_data);
}

GtkWidget *
rs_dialog_find (const char *name)
{
  g_autoptr (GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (g_strcmp0 (gtk_widget_get_name (l->data), name) == 0 && gtk_widget_get_visible (l->data))
      return l->data;
  return NULL;
}
