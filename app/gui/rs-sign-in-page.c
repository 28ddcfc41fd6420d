/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The form does the asking and the checking (RsPinForm); the page adds the
 * title, the Sign In button and, while the PIN is checked, a spinner in its
 * place. */
#include "rs-sign-in-page.h"

struct _RsSignInPage
{
  RsPage parent_instance;

  RsPinForm *form;
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

static void
submit_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  rs_pin_form_submit (RS_SIGN_IN_PAGE (widget)->form);
}

static void
on_busy (RsSignInPage *self)
{
  gboolean busy = rs_pin_form_get_busy (self->form);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sign-in.submit", !busy);
  gtk_stack_set_visible_child (self->button_stack, busy ? GTK_WIDGET (self->spinner) : self->sign_in_button);
  gtk_spinner_set_spinning (self->spinner, busy);
}

static void
on_accepted (RsSignInPage *self, const RsPerson *person)
{
  g_signal_emit (self, signals[SIGNAL_SIGNED_IN], 0, person);
}

static void
rs_sign_in_page_context_changed (RsPage *page)
{
  RsSignInPage *self = RS_SIGN_IN_PAGE (page);

  rs_pin_form_set_context (self->form, rs_page_get_context (page));
}

/* Nothing of the last person: both fields, the message, a check under way. */
static void
rs_sign_in_page_clear (RsPage *page)
{
  rs_pin_form_reset (RS_SIGN_IN_PAGE (page)->form);
}

static void
rs_sign_in_page_class_init (RsSignInPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  RsPageClass *page_class = RS_PAGE_CLASS (klass);

  page_class->context_changed = rs_sign_in_page_context_changed;
  page_class->clear = rs_sign_in_page_clear;

  /* RsSignInPage::signed-in: the PIN was right. The RsPerson is only lent
   * for the emission: copy what you keep. */
  signals[SIGNAL_SIGNED_IN] =
    g_signal_new ("signed-in", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);

  gtk_widget_class_install_action (widget_class, "sign-in.submit", NULL, submit_action);

  g_type_ensure (RS_TYPE_PIN_FORM);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/reskill/Reskill/ui/rs-sign-in-page.ui");
  gtk_widget_class_bind_template_child (widget_class, RsSignInPage, form);
  gtk_widget_class_bind_template_child (widget_class, RsSignInPage, button_stack);
  gtk_widget_class_bind_template_child (widget_class, RsSignInPage, sign_in_button);
  gtk_widget_class_bind_template_child (widget_class, RsSignInPage, spinner);
  gtk_widget_class_bind_template_callback (widget_class, on_busy);
  gtk_widget_class_bind_template_callback (widget_class, on_accepted);
}

static void
rs_sign_in_page_init (RsSignInPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
rs_sign_in_page_new (void)
{
  return g_object_new (RS_TYPE_SIGN_IN_PAGE, NULL);
}

RsPinForm *
rs_sign_in_page_get_form (RsSignInPage *self)
{
  g_return_val_if_fail (RS_IS_SIGN_IN_PAGE (self), NULL);
  return self->form;
}

void
rs_sign_in_page_focus (RsSignInPage *self)
{
  g_return_if_fail (RS_IS_SIGN_IN_PAGE (self));
  rs_pin_form_focus (self->form);
}
