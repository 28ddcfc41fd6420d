/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The countdown is a number people read from across a room, and the same
 * text goes to screen readers through the label's accessible description. */
#include "rs-idle-dialog.h"

#include <glib/gi18n-lib.h>

struct _RsIdleDialog
{
  AdwBin parent_instance;

  guint seconds_left;
  GtkLabel *countdown_label;
  GtkLabel *unit_label;
  GtkLabel *body_label;
  GtkWidget *continue_button;
};

G_DEFINE_FINAL_TYPE (RsIdleDialog, rs_idle_dialog, ADW_TYPE_BIN)

enum {
  SIGNAL_CONTINUE,
  SIGNAL_SIGN_OUT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
continue_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  g_signal_emit (widget, signals[SIGNAL_CONTINUE], 0);
}

static void
sign_out_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  g_signal_emit (widget, signals[SIGNAL_SIGN_OUT], 0);
}

static void
rs_idle_dialog_class_init (RsIdleDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  signals[SIGNAL_CONTINUE] =
    g_signal_new ("continue", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_SIGN_OUT] =
    g_signal_new ("sign-out", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_install_action (widget_class, "idle.continue", NULL, continue_action);
  gtk_widget_class_install_action (widget_class, "idle.sign-out", NULL, sign_out_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "idle.continue", NULL);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/reskill/Reskill/ui/rs-idle-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, RsIdleDialog, countdown_label);
  gtk_widget_class_bind_template_child (widget_class, RsIdleDialog, unit_label);
  gtk_widget_class_bind_template_child (widget_class, RsIdleDialog, body_label);
  gtk_widget_class_bind_template_child (widget_class, RsIdleDialog, continue_button);
  gtk_widget_class_set_css_name (widget_class, "kioskdialog");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_ALERT_DIALOG);
}

static void
rs_idle_dialog_init (RsIdleDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  rs_idle_dialog_set_seconds_left (self, 0);
  rs_idle_dialog_set_guest (self, FALSE);
}

GtkWidget *
rs_idle_dialog_new (void)
{
  return g_object_new (RS_TYPE_IDLE_DIALOG, NULL);
}

void
rs_idle_dialog_set_seconds_left (RsIdleDialog *self, guint seconds)
{
  char number[16];
  g_autofree char *description = NULL;

  g_return_if_fail (RS_IS_IDLE_DIALOG (self));
  self->seconds_left = seconds;
  g_snprintf (number, sizeof number, "%u", seconds);
  gtk_label_set_text (self->countdown_label, number);
  /* TRANSLATORS: the unit under the countdown's big number. */
  gtk_label_set_text (self->unit_label, g_dngettext (GETTEXT_PACKAGE, "second", "seconds", seconds));
  description = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Signing out in %u second", "Signing out in %u seconds", seconds),
                                 seconds);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->countdown_label),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, description, -1);
}

void
rs_idle_dialog_set_guest (RsIdleDialog *self, gboolean guest)
{
  g_return_if_fail (RS_IS_IDLE_DIALOG (self));
  /* A guest cannot sign in later to find the attempt: say so plainly. */
  gtk_label_set_text (self->body_label,
                      guest ? _("Then Reskill goes back to the start screen, and this guest session ends.")
                            : _("Then Reskill signs you out and goes back to the start screen. Every answer you gave is saved: sign in again to continue where you left off."));
}

guint
rs_idle_dialog_get_seconds_left (RsIdleDialog *self)
{
  g_return_val_if_fail (RS_IS_IDLE_DIALOG (self), 0);
  return self->seconds_left;
}

void
rs_idle_dialog_focus (RsIdleDialog *self)
{
  g_return_if_fail (RS_IS_IDLE_DIALOG (self));
  gtk_widget_grab_focus (self->continue_button);
}
