/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The PIN check runs argon2id, which is slow on purpose (a few hundred
 * milliseconds), so it runs in a worker thread while the page is insensitive
 * and a spinner turns; nothing else uses the store meanwhile because the
 * page is the only thing a person can touch. The context is held by the task
 * so the store outlives a window closed mid-check. */
#include "rs-sign-in-page.h"

#include <string.h>

#include "rs-error.h"
#include "rs-pin-pad.h"

struct _RsSignInPage
{
  RsPage parent_instance;

  GCancellable *cancellable;
  /* Which field the keypad types into: the last one focused. */

  AdwEntryRow *number_row;
  AdwEntryRow *pin_row;
  GtkLabel *error_label;
  GtkWidget *pin_pad;
  GtkStack *button_stack;
  GtkWidget *sign_in_button;
  GtkSpinner *spinner;
};

G_DEFINE_FINAL_TYPE (RsSignInPage, rs_sign_in_page, RS_TYPE_PAGE)

enum {
  SIGNAL_SIGNED_IN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct {
  char *employee_no;
  char *pin;
  int retry_after;
} AuthData;

static void
auth_data_free (AuthData *data)
{
  g_free (data->employee_no);
  if (data->pin != NULL)
    memset (data->pin, 0, strlen (data->pin));
  g_free (data->pin);
  g_free (data);
}

static void
show_error (RsSignInPage *self, const char *message)
{
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
set_busy (RsSignInPage *self, gboolean busy)
{
  /* Not insensitive: taking the focused field away mid-typing upsets
   * GtkText; read-only is enough to freeze the input. */
  gtk_editable_set_editable (GTK_EDITABLE (self->number_row), !busy);
  gtk_editable_set_editable (GTK_EDITABLE (self->pin_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->pin_pad), !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sign-in.submit", !busy);
  gtk_stack_set_visible_child (self->button_stack,
                               busy ? GTK_WIDGET (self->spinner) : self->sign_in_button);
  gtk_spinner_set_spinning (self->spinner, busy);
}

static void
auth_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  RsContext *context = g_object_get_data (G_OBJECT (task), "rs-context");
  AuthData *data = task_data;
  GError *error = NULL;
  RsPerson *person;

  person = rs_store_authenticate (rs_context_get_store (context), data->employee_no, data->pin,
                                  &data->retry_after, &error);
  if (person == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, person, (GDestroyNotify) rs_person_free);
}

static char *
describe_lockout (int seconds)
{
  if (seconds <= 0)
    return g_strdup ("Too many wrong PINs. This account is locked for a while; try again later or ask your administrator.");
  if (seconds < 90)
    return g_strdup_printf ("Too many wrong PINs. This account is locked; try again in %d seconds.", seconds);
  return g_strdup_printf ("Too many wrong PINs. This account is locked; try again in %d minutes.",
                          (seconds + 59) / 60);
}

static void
auth_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  RsSignInPage *self = RS_SIGN_IN_PAGE (source);
  GTask *task = G_TASK (result);
  AuthData *data = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (RsPerson) person = g_task_propagate_pointer (task, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  set_busy (self, FALSE);
  if (person == NULL)
    {
      /* A wrong PIN is emptied so the next try starts clean; the number
       * stays, it is probably right. */
      gtk_editable_set_text (GTK_EDITABLE (self->pin_row), "");
      if (g_error_matches (error, RS_ERROR, RS_ERROR_LOCKED_OUT))
        {
          g_autofree char *message = describe_lockout (data->retry_after);
          show_error (self, message);
        }
      else if (g_error_matches (error, RS_ERROR, RS_ERROR_AUTH))
        show_error (self, error->message);
      else
        {
          g_autofree char *message = g_strdup_printf ("Signing in failed: %s", error->message);
          show_error (self, message);
        }
      rs_pin_pad_set_target (RS_PIN_PAD (self->pin_pad), GTK_EDITABLE (self->pin_row));
      return;
    }

  rs_sign_in_page_reset (self);
  g_signal_emit (self, signals[SIGNAL_SIGNED_IN], 0, person);
}

static void
submit_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  RsSignInPage *self = RS_SIGN_IN_PAGE (widget);
  g_autofree char *number = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->number_row))));
  const char *pin = gtk_editable_get_text (GTK_EDITABLE (self->pin_row));
  g_autoptr (GTask) task = NULL;
  AuthData *data;

  if (*number == '\0')
    {
      show_error (self, "Enter your employee number.");
      rs_pin_pad_set_target (RS_PIN_PAD (self->pin_pad), GTK_EDITABLE (self->number_row));
      return;
    }
  if (*pin == '\0')
    {
      show_error (self, "Enter your PIN.");
      rs_pin_pad_set_target (RS_PIN_PAD (self->pin_pad), GTK_EDITABLE (self->pin_row));
      return;
    }
  if (rs_page_get_context (RS_PAGE (self)) == NULL || rs_page_get_store (RS_PAGE (self)) == NULL)
    {
      show_error (self, "There is no database to check the PIN against.");
      return;
    }

  data = g_new0 (AuthData, 1);
  data->employee_no = g_steal_pointer (&number);
  data->pin = g_strdup (pin);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  show_error (self, NULL);
  set_busy (self, TRUE);
  task = g_task_new (self, self->cancellable, auth_done, NULL);
  g_task_set_source_tag (task, submit_action);
  g_task_set_task_data (task, data, (GDestroyNotify) auth_data_free);
  g_object_set_data_full (G_OBJECT (task), "rs-context", g_object_ref (rs_page_get_context (RS_PAGE (self))), g_object_unref);
  g_task_run_in_thread (task, auth_thread);
}

static void
on_changed (RsSignInPage *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
}

static void
on_pad_submit (RsSignInPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "sign-in.submit", NULL);
}

static void
rs_sign_in_page_dispose (GObject *object)
{
  RsSignInPage *self = RS_SIGN_IN_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (rs_sign_in_page_parent_class)->dispose (object);
}

static void
rs_sign_in_page_clear (RsPage *page)
{
  rs_sign_in_page_reset (RS_SIGN_IN_PAGE (page));
}

static void
rs_sign_in_page_class_init (RsSignInPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rs_sign_in_page_dispose;
  RS_PAGE_CLASS (klass)->clear = rs_sign_in_page_clear;

  /* RsSignInPage::signed-in: the PIN was right. The RsPerson is only lent
   * for the emission: copy what you keep. */
  signals[SIGNAL_SIGNED_IN] =
    g_signal_new ("signed-in", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);

  gtk_widget_class_install_action (widget_class, "sign-in.submit", NULL, submit_action);

  g_type_ensure (RS_TYPE_PIN_PAD);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/reskill/Reskill/ui/rs-sign-in-page.ui");
  gtk_widget_class_bind_template_child (widget_class, RsSignInPage, number_row);
  gtk_widget_class_bind_template_child (widget_class, RsSignInPage, pin_row);
  gtk_widget_class_bind_template_child (widget_class, RsSignInPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, RsSignInPage, pin_pad);
  gtk_widget_class_bind_template_child (widget_class, RsSignInPage, button_stack);
  gtk_widget_class_bind_template_child (widget_class, RsSignInPage, sign_in_button);
  gtk_widget_class_bind_template_child (widget_class, RsSignInPage, spinner);
  gtk_widget_class_bind_template_callback (widget_class, on_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_pad_submit);
}

static void
rs_sign_in_page_init (RsSignInPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  rs_pin_pad_set_fields (RS_PIN_PAD (self->pin_pad), GTK_EDITABLE (self->number_row), GTK_EDITABLE (self->pin_row));
}

GtkWidget *
rs_sign_in_page_new (void)
{
  return g_object_new (RS_TYPE_SIGN_IN_PAGE, NULL);
}

void
rs_sign_in_page_reset (RsSignInPage *self)
{
  g_return_if_fail (RS_IS_SIGN_IN_PAGE (self));
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  set_busy (self, FALSE);
  rs_pin_pad_clear (RS_PIN_PAD (self->pin_pad));
  show_error (self, NULL);
}

void
rs_sign_in_page_focus (RsSignInPage *self)
{
  g_return_if_fail (RS_IS_SIGN_IN_PAGE (self));
  rs_pin_pad_set_target (RS_PIN_PAD (self->pin_pad), GTK_EDITABLE (self->number_row));
}
