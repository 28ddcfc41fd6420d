/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The check runs argon2id, slow on purpose, so it runs in a worker thread
 * as the sign-in page's does; the task holds the context so that the store
 * outlives a window closed mid-check. */
#include "rs-kiosk-exit-dialog.h"

#include <string.h>

#include "rs-error.h"
#include "rs-kiosk.h"
#include "rs-pin-pad.h"

struct _RsKioskExitDialog
{
  AdwBin parent_instance;

  RsContext *context;
  GCancellable *cancellable;

  AdwEntryRow *number_row;
  AdwEntryRow *pin_row;
  GtkLabel *error_label;
  GtkWidget *pin_pad;
  GtkWidget *leave_button;
};

G_DEFINE_FINAL_TYPE (RsKioskExitDialog, rs_kiosk_exit_dialog, ADW_TYPE_BIN)

enum {
  SIGNAL_AUTHORIZED,
  SIGNAL_CANCELLED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct {
  char *employee_no;
  char *pin;
  int retry_after;
} ExitCheck;

static void
exit_check_free (ExitCheck *check)
{
  g_free (check->employee_no);
  if (check->pin != NULL)
    memset (check->pin, 0, strlen (check->pin));
  g_free (check->pin);
  g_free (check);
}

static void
show_error (RsKioskExitDialog *self, const char *message)
{
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
set_busy (RsKioskExitDialog *self, gboolean busy)
{
  gtk_editable_set_editable (GTK_EDITABLE (self->number_row), !busy);
  gtk_editable_set_editable (GTK_EDITABLE (self->pin_row), !busy);
  gtk_widget_set_sensitive (self->pin_pad, !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "kiosk-exit.leave", !busy);
}

static void
check_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  RsContext *context = g_object_get_data (G_OBJECT (task), "rs-context");
  ExitCheck *check = task_data;
  GError *error = NULL;

  if (rs_kiosk_authorize_exit (rs_context_get_store (context), check->employee_no, check->pin,
                               &check->retry_after, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
check_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  RsKioskExitDialog *self = RS_KIOSK_EXIT_DIALOG (source);
  ExitCheck *check = g_task_get_task_data (G_TASK (result));
  g_autoptr (GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      set_busy (self, FALSE);
      gtk_editable_set_text (GTK_EDITABLE (self->pin_row), "");
      if (g_error_matches (error, RS_ERROR, RS_ERROR_LOCKED_OUT))
        {
          g_autofree char *message = NULL;

          if (check->retry_after > 0)
            message = g_strdup_printf ("Too many wrong PINs. This account is locked; try again in %d minute%s.",
                                       (check->retry_after + 59) / 60, check->retry_after > 60 ? "s" : "");
          else
            message = g_strdup ("Too many wrong PINs. This account is locked for a while.");
          show_error (self, message);
        }
      else if (g_error_matches (error, RS_ERROR, RS_ERROR_AUTH) || g_error_matches (error, RS_ERROR, RS_ERROR_DENIED))
        show_error (self, error->message);
      else
        {
          g_autofree char *message = g_strdup_printf ("The PIN could not be checked: %s", error->message);
          show_error (self, message);
        }
      rs_pin_pad_set_target (RS_PIN_PAD (self->pin_pad), GTK_EDITABLE (self->pin_row));
      return;
    }
  rs_kiosk_exit_dialog_reset (self);
  g_signal_emit (self, signals[SIGNAL_AUTHORIZED], 0);
}

static void
leave_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  RsKioskExitDialog *self = RS_KIOSK_EXIT_DIALOG (widget);
  g_autofree char *number = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->number_row))));
  const char *pin = gtk_editable_get_text (GTK_EDITABLE (self->pin_row));
  g_autoptr (GTask) task = NULL;
  ExitCheck *check;

  if (*number == '\0' || *pin == '\0')
    {
      show_error (self, *number == '\0' ? "Enter an administrator’s employee number." : "Enter the PIN.");
      rs_pin_pad_set_target (RS_PIN_PAD (self->pin_pad), GTK_EDITABLE (*number == '\0' ? self->number_row : self->pin_row));
      return;
    }
  if (self->context == NULL || rs_context_get_store (self->context) == NULL)
    {
      show_error (self, "There is no database to check the PIN against.");
      return;
    }

  check = g_new0 (ExitCheck, 1);
  check->employee_no = g_steal_pointer (&number);
  check->pin = g_strdup (pin);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  show_error (self, NULL);
  set_busy (self, TRUE);
  task = g_task_new (self, self->cancellable, check_done, NULL);
  g_task_set_source_tag (task, leave_action);
  g_task_set_task_data (task, check, (GDestroyNotify) exit_check_free);
  g_object_set_data_full (G_OBJECT (task), "rs-context", g_object_ref (self->context), g_object_unref);
  g_task_run_in_thread (task, check_thread);
}

static void
cancel_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  RsKioskExitDialog *self = RS_KIOSK_EXIT_DIALOG (widget);

  rs_kiosk_exit_dialog_reset (self);
  g_signal_emit (self, signals[SIGNAL_CANCELLED], 0);
}

static void
on_changed (RsKioskExitDialog *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
}

static void
on_pad_submit (RsKioskExitDialog *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "kiosk-exit.leave", NULL);
}

static void
rs_kiosk_exit_dialog_dispose (GObject *object)
{
  RsKioskExitDialog *self = RS_KIOSK_EXIT_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->context);
  G_OBJECT_CLASS (rs_kiosk_exit_dialog_parent_class)->dispose (object);
}

static void
rs_kiosk_exit_dialog_class_init (RsKioskExitDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rs_kiosk_exit_dialog_dispose;

  signals[SIGNAL_AUTHORIZED] =
    g_signal_new ("authorized", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_CANCELLED] =
    g_signal_new ("cancelled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_install_action (widget_class, "kiosk-exit.leave", NULL, leave_action);
  gtk_widget_class_install_action (widget_class, "kiosk-exit.cancel", NULL, cancel_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "kiosk-exit.cancel", NULL);

  g_type_ensure (RS_TYPE_PIN_PAD);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/reskill/Reskill/ui/rs-kiosk-exit-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, RsKioskExitDialog, number_row);
  gtk_widget_class_bind_template_child (widget_class, RsKioskExitDialog, pin_row);
  gtk_widget_class_bind_template_child (widget_class, RsKioskExitDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, RsKioskExitDialog, pin_pad);
  gtk_widget_class_bind_template_child (widget_class, RsKioskExitDialog, leave_button);
  gtk_widget_class_bind_template_callback (widget_class, on_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_pad_submit);
  gtk_widget_class_set_css_name (widget_class, "kioskdialog");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_DIALOG);
}

static void
rs_kiosk_exit_dialog_init (RsKioskExitDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  rs_pin_pad_set_fields (RS_PIN_PAD (self->pin_pad), GTK_EDITABLE (self->number_row), GTK_EDITABLE (self->pin_row));
}

GtkWidget *
rs_kiosk_exit_dialog_new (void)
{
  return g_object_new (RS_TYPE_KIOSK_EXIT_DIALOG, NULL);
}

void
rs_kiosk_exit_dialog_set_context (RsKioskExitDialog *self, RsContext *context)
{
  g_return_if_fail (RS_IS_KIOSK_EXIT_DIALOG (self));
  g_set_object (&self->context, context);
}

void
rs_kiosk_exit_dialog_reset (RsKioskExitDialog *self)
{
  g_return_if_fail (RS_IS_KIOSK_EXIT_DIALOG (self));
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  set_busy (self, FALSE);
  rs_pin_pad_clear (RS_PIN_PAD (self->pin_pad));
  show_error (self, NULL);
}

void
rs_kiosk_exit_dialog_focus (RsKioskExitDialog *self)
{
  g_return_if_fail (RS_IS_KIOSK_EXIT_DIALOG (self));
  rs_pin_pad_set_target (RS_PIN_PAD (self->pin_pad), GTK_EDITABLE (self->number_row));
}
