/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Bundles are checked and merged by rs-exchange, all or nothing per file;
 * the page lists what each one did, newest first, so an administrator going
 * through a stick of bundles sees every outcome, not only the last. */
#include "rs-admin-exchange.h"

#include "rs-dialogs.h"
#include "rs-exchange.h"

struct _RsAdminExchange
{
  AdwBin parent_instance;

  RsContext *context;
  GPtrArray *rows;
  char *last_message;

  GtkSwitch *all_kiosks_switch;
  GtkListBox *log_list;
  GtkWidget *log_empty_row;
};

G_DEFINE_FINAL_TYPE (RsAdminExchange, rs_admin_exchange, ADW_TYPE_BIN)

enum {
  SIGNAL_TOAST,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
log_line (RsAdminExchange *self, gboolean ok, const char *title, const char *detail)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name (ok ? "object-select-symbolic" : "dialog-error-symbolic");

  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, ok ? "Done" : "Failed", -1);
  gtk_widget_add_css_class (icon, ok ? "success" : "error");
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), detail);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  gtk_widget_set_visible (self->log_empty_row, FALSE);
  /* Newest first. */
  gtk_list_box_prepend (self->log_list, row);
  g_ptr_array_add (self->rows, row);
  g_free (self->last_message);
  self->last_message = g_strdup_printf ("%s: %s", title, detail);
}

void
rs_admin_exchange_clear (RsAdminExchange *self)
{
  g_return_if_fail (RS_IS_ADMIN_EXCHANGE (self));
  for (guint i = 0; i < self->rows->len; i++)
    gtk_list_box_remove (self->log_list, g_ptr_array_index (self->rows, i));
  g_ptr_array_set_size (self->rows, 0);
  g_clear_pointer (&self->last_message, g_free);
  gtk_widget_set_visible (self->log_empty_row, TRUE);
}

gboolean
rs_admin_exchange_export_to (RsAdminExchange *self, const char *path, GError **error)
{
  RsExportOptions options = { .since = 0, .all_kiosks = gtk_switch_get_active (self->all_kiosks_switch), .overwrite = TRUE };
  RsExportSummary summary = { 0 };
  g_autofree char *basename = g_path_get_basename (path);
  g_autofree char *title = NULL;
  g_autofree char *detail = NULL;

  g_return_val_if_fail (RS_IS_ADMIN_EXCHANGE (self), FALSE);
  if (!rs_exchange_export (rs_context_get_store (self->context), rs_context_get_person (self->context), path,
                           &options, &summary, error))
    {
      title = g_strdup_printf ("Export to %s failed", basename);
      log_line (self, FALSE, title, (*error)->message);
      return FALSE;
    }
  title = g_strdup_printf ("Exported %s", basename);
  detail = g_strdup_printf ("%d attempt%s, %d answer%s, %d result%s%s · %s", summary.n_attempts,
                            summary.n_attempts == 1 ? "" : "s", summary.n_responses, summary.n_responses == 1 ? "" : "s",
                            summary.n_results, summary.n_results == 1 ? "" : "s",
                            options.all_kiosks ? " (every kiosk’s)" : " (made on this kiosk)", path);
  log_line (self, TRUE, title, detail);
  g_signal_emit (self, signals[SIGNAL_TOAST], 0, title);
  rs_export_summary_clear (&summary);
  return TRUE;
}

guint
rs_admin_exchange_import_files (RsAdminExchange *self, GSList *paths)
{
  guint n_ok = 0, n = 0;

  g_return_val_if_fail (RS_IS_ADMIN_EXCHANGE (self), 0);
  for (GSList *l = paths; l != NULL; l = l->next, n++)
    {
      const char *path = l->data;
      g_autofree char *basename = g_path_get_basename (path);
      g_autoptr (GError) error = NULL;
      RsImportSummary summary = { 0 };
      g_autofree char *title = NULL;

      if (!rs_exchange_import (rs_context_get_store (self->context), rs_context_get_person (self->context), path,
                               &summary, &error))
        {
          title = g_strdup_printf ("%s was not imported", basename);
          log_line (self, FALSE, title, error->message);
        }
      else
        {
          g_autofree char *detail = rs_import_summary_describe (&summary);

          title = g_strdup_printf ("Imported %s", basename);
          log_line (self, TRUE, title, detail);
          n_ok++;
        }
      rs_import_summary_clear (&summary);
    }
  if (n > 0)
    {
      g_autofree char *toast = n_ok == n ? g_strdup_printf ("Imported %u bundle%s", n, n == 1 ? "" : "s")
                                         : g_strdup_printf ("%u of %u bundles imported; see the list for why", n_ok, n);
      g_signal_emit (self, signals[SIGNAL_TOAST], 0, toast);
    }
  return n_ok;
}

const char *
rs_admin_exchange_get_last_message (RsAdminExchange *self)
{
  g_return_val_if_fail (RS_IS_ADMIN_EXCHANGE (self), NULL);
  return self->last_message;
}

static void
on_export_chosen (GtkWidget *from, GSList *paths, gpointer user_data)
{
  g_autoptr (GError) error = NULL;

  if (paths == NULL)
    return;
  if (!rs_admin_exchange_export_to (RS_ADMIN_EXCHANGE (from), paths->data, &error))
    rs_dialog_message (from, "exchange-error", "The Results Were Not Exported", error->message);
}

static void
on_import_chosen (GtkWidget *from, GSList *paths, gpointer user_data)
{
  rs_admin_exchange_import_files (RS_ADMIN_EXCHANGE (from), paths);
}

static void
export_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *name = g_date_time_format (now, "reskill-results-%Y-%m-%d.sqlite");

  rs_dialog_choose_save (widget, "Export Results", name, "_Export", on_export_chosen, NULL);
}

static void
import_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  rs_dialog_choose_open (widget, "Import Results Bundles", "_Import", TRUE, "Results bundles", "*.sqlite",
                         on_import_chosen, NULL);
}

static void
rs_admin_exchange_dispose (GObject *object)
{
  RsAdminExchange *self = RS_ADMIN_EXCHANGE (object);

  g_clear_object (&self->context);
  G_OBJECT_CLASS (rs_admin_exchange_parent_class)->dispose (object);
}

static void
rs_admin_exchange_finalize (GObject *object)
{
  RsAdminExchange *self = RS_ADMIN_EXCHANGE (object);

  g_ptr_array_unref (self->rows);
  g_free (self->last_message);
  G_OBJECT_CLASS (rs_admin_exchange_parent_class)->finalize (object);
}

static void
rs_admin_exchange_class_init (RsAdminExchangeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rs_admin_exchange_dispose;
  object_class->finalize = rs_admin_exchange_finalize;

  signals[SIGNAL_TOAST] =
    g_signal_new ("toast", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_install_action (widget_class, "exchange.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "exchange.import", NULL, import_action);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/reskill/Reskill/ui/rs-admin-exchange.ui");
  gtk_widget_class_bind_template_child (widget_class, RsAdminExchange, all_kiosks_switch);
  gtk_widget_class_bind_template_child (widget_class, RsAdminExchange, log_list);
  gtk_widget_class_bind_template_child (widget_class, RsAdminExchange, log_empty_row);
}

static void
rs_admin_exchange_init (RsAdminExchange *self)
{
  self->rows = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

void
rs_admin_exchange_set_context (RsAdminExchange *self, RsContext *context)
{
  g_return_if_fail (RS_IS_ADMIN_EXCHANGE (self));
  g_set_object (&self->context, context);
}
