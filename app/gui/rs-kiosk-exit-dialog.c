/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The form asks and checks (RsPinForm, for leaving kiosk mode: only an
 * administrator's PIN passes, anyone else's reads as a wrong one); the
 * dialog adds what it is for and the Cancel and Leave buttons. */
#include "rs-kiosk-exit-dialog.h"

#include "rs-a11y.h"

struct _RsKioskExitDialog
{
  AdwBin parent_instance;

  RsPinForm *form;
  GtkWidget *leave_button;
};

G_DEFINE_FINAL_TYPE (RsKioskExitDialog, rs_kiosk_exit_dialog, ADW_TYPE_BIN)

enum {
  SIGNAL_AUTHORIZED,
  SIGNAL_CANCELLED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
leave_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  rs_pin_form_submit (RS_KIOSK_EXIT_DIALOG (widget)->form);
}

static void
cancel_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  RsKioskExitDialog *self = RS_KIOSK_EXIT_DIALOG (widget);

  rs_kiosk_exit_dialog_reset (self);
  g_signal_emit (self, signals[SIGNAL_CANCELLED], 0);
}

static void
on_busy (RsKioskExitDialog *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "kiosk-exit.leave", !rs_pin_form_get_busy (self->form));
}

static void
on_accepted (RsKioskExitDialog *self)
{
  g_signal_emit (self, signals[SIGNAL_AUTHORIZED], 0);
}

static void
rs_kiosk_exit_dialog_class_init (RsKioskExitDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  signals[SIGNAL_AUTHORIZED] =
    g_signal_new ("authorized", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_CANCELLED] =
    g_signal_new ("cancelled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_install_action (widget_class, "kiosk-exit.leave", NULL, leave_action);
  gtk_widget_class_install_action (widget_class, "kiosk-exit.cancel", NULL, cancel_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "kiosk-exit.cancel", NULL);

  g_type_ensure (RS_TYPE_PIN_FORM);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/reskill/Reskill/ui/rs-kiosk-exit-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, RsKioskExitDialog, form);
  gtk_widget_class_bind_template_child (widget_class, RsKioskExitDialog, leave_button);
  gtk_widget_class_bind_template_callback (widget_class, on_busy);
  gtk_widget_class_bind_template_callback (widget_class, on_accepted);
  gtk_widget_class_set_css_name (widget_class, "kioskdialog");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_DIALOG);
}

static void
rs_kiosk_exit_dialog_init (RsKioskExitDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  rs_a11y_fix_button_names (GTK_WIDGET (self));
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
  rs_pin_form_set_context (self->form, context);
}

RsPinForm *
rs_kiosk_exit_dialog_get_form (RsKioskExitDialog *self)
{
  g_return_val_if_fail (RS_IS_KIOSK_EXIT_DIALOG (self), NULL);
  return self->form;
}

void
rs_kiosk_exit_dialog_reset (RsKioskExitDialog *self)
{
  g_return_if_fail (RS_IS_KIOSK_EXIT_DIALOG (self));
  rs_pin_form_reset (self->form);
}

void
rs_kiosk_exit_dialog_focus (RsKioskExitDialog *self)
{
  g_return_if_fail (RS_IS_KIOSK_EXIT_DIALOG (self));
  rs_pin_form_focus (self->form);
}
