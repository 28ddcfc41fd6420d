/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A container only: each section is its own class and talks to the core
 * itself. */
#include "rs-admin-page.h"

struct _RsAdminPage
{
  AdwBin parent_instance;

  AdwViewStack *stack;
  RsAdminPeople *people;
  RsAdminBank *bank;
  RsAdminSettings *settings;
  RsAdminExchange *exchange;
};

G_DEFINE_FINAL_TYPE (RsAdminPage, rs_admin_page, ADW_TYPE_BIN)

enum {
  SIGNAL_TOAST,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
on_toast (RsAdminPage *self, const char *text)
{
  g_signal_emit (self, signals[SIGNAL_TOAST], 0, text);
}

void
rs_admin_page_set_context (RsAdminPage *self, RsContext *context)
{
  g_return_if_fail (RS_IS_ADMIN_PAGE (self));
  rs_admin_people_set_context (self->people, context);
  rs_admin_bank_set_context (self->bank, context);
  rs_admin_exchange_set_context (self->exchange, context);
}

gboolean
rs_admin_page_refresh (RsAdminPage *self, GError **error)
{
  g_return_val_if_fail (RS_IS_ADMIN_PAGE (self), FALSE);
  rs_admin_settings_refresh (self->settings);
  return rs_admin_people_refresh (self->people, error) && rs_admin_bank_refresh (self->bank, error);
}

void
rs_admin_page_show_section (RsAdminPage *self, const char *name)
{
  g_return_if_fail (RS_IS_ADMIN_PAGE (self));
  adw_view_stack_set_visible_child_name (self->stack, name);
}

void
rs_admin_page_clear (RsAdminPage *self)
{
  g_return_if_fail (RS_IS_ADMIN_PAGE (self));
  rs_admin_people_clear (self->people);
  rs_admin_bank_clear (self->bank);
  rs_admin_exchange_clear (self->exchange);
  adw_view_stack_set_visible_child_name (self->stack, "people");
}

RsAdminPeople *
rs_admin_page_get_people (RsAdminPage *self)
{
  g_return_val_if_fail (RS_IS_ADMIN_PAGE (self), NULL);
  return self->people;
}

RsAdminBank *
rs_admin_page_get_bank (RsAdminPage *self)
{
  g_return_val_if_fail (RS_IS_ADMIN_PAGE (self), NULL);
  return self->bank;
}

RsAdminSettings *
rs_admin_page_get_settings (RsAdminPage *self)
{
  g_return_val_if_fail (RS_IS_ADMIN_PAGE (self), NULL);
  return self->settings;
}

RsAdminExchange *
rs_admin_page_get_exchange (RsAdminPage *self)
{
  g_return_val_if_fail (RS_IS_ADMIN_PAGE (self), NULL);
  return self->exchange;
}

static void
rs_admin_page_class_init (RsAdminPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  signals[SIGNAL_TOAST] =
    g_signal_new ("toast", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  g_type_ensure (RS_TYPE_ADMIN_PEOPLE);
  g_type_ensure (RS_TYPE_ADMIN_BANK);
  g_type_ensure (RS_TYPE_ADMIN_SETTINGS);
  g_type_ensure (RS_TYPE_ADMIN_EXCHANGE);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/reskill/Reskill/ui/rs-admin-page.ui");
  gtk_widget_class_bind_template_child (widget_class, RsAdminPage, stack);
  gtk_widget_class_bind_template_child (widget_class, RsAdminPage, people);
  gtk_widget_class_bind_template_child (widget_class, RsAdminPage, bank);
  gtk_widget_class_bind_template_child (widget_class, RsAdminPage, settings);
  gtk_widget_class_bind_template_child (widget_class, RsAdminPage, exchange);
  gtk_widget_class_bind_template_callback (widget_class, on_toast);
}

static void
rs_admin_page_init (RsAdminPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
