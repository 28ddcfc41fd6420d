/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A container only: each section is its own class and talks to the core
 * itself. */
#include "rs-admin-page.h"

#include <glib/gi18n-lib.h>

struct _RsAdminPage
{
  RsPage parent_instance;

  AdwViewStack *stack;
  RsAdminPeople *people;
  RsAdminTeams *teams;
  RsAdminBank *bank;
  RsAdminSettings *settings;
  RsAdminExchange *exchange;
};

G_DEFINE_FINAL_TYPE (RsAdminPage, rs_admin_page, RS_TYPE_PAGE)

gboolean
rs_admin_page_refresh (RsAdminPage *self, GError **error)
{
  g_return_val_if_fail (RS_IS_ADMIN_PAGE (self), FALSE);
  rs_admin_settings_refresh (self->settings);
  return rs_admin_people_refresh (self->people, error) && rs_admin_teams_refresh (self->teams, error)
         && rs_admin_bank_refresh (self->bank, error);
}

/* Teams change when people do (a new team, a member moved): read again
 * each time the section is opened. */
static void
on_section_shown (RsAdminPage *self)
{
  g_autoptr (GError) error = NULL;

  if (gtk_widget_get_visible (GTK_WIDGET (self->teams))
      && adw_view_stack_get_visible_child (self->stack) == GTK_WIDGET (self->teams)
      && rs_page_get_person (RS_PAGE (self)) != NULL
      && !rs_admin_teams_refresh (self->teams, &error))
    rs_page_error (RS_PAGE (self), _("Teams Cannot Be Listed"), error->message);
}

void
rs_admin_page_show_section (RsAdminPage *self, const char *name)
{
  g_return_if_fail (RS_IS_ADMIN_PAGE (self));
  adw_view_stack_set_visible_child_name (self->stack, name);
}

/* The sections clear themselves (rs_page_add_section). */
static void
rs_admin_page_clear (RsPage *page)
{
  adw_view_stack_set_visible_child_name (RS_ADMIN_PAGE (page)->stack, "people");
}

RsAdminPeople *
rs_admin_page_get_people (RsAdminPage *self)
{
  g_return_val_if_fail (RS_IS_ADMIN_PAGE (self), NULL);
  return self->people;
}

RsAdminTeams *
rs_admin_page_get_teams (RsAdminPage *self)
{
  g_return_val_if_fail (RS_IS_ADMIN_PAGE (self), NULL);
  return self->teams;
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
  RsPageClass *page_class = RS_PAGE_CLASS (klass);

  page_class->clear = rs_admin_page_clear;

  g_type_ensure (RS_TYPE_ADMIN_PEOPLE);
  g_type_ensure (RS_TYPE_ADMIN_TEAMS);
  g_type_ensure (RS_TYPE_ADMIN_BANK);
  g_type_ensure (RS_TYPE_ADMIN_SETTINGS);
  g_type_ensure (RS_TYPE_ADMIN_EXCHANGE);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/reskill/Reskill/ui/rs-admin-page.ui");
  gtk_widget_class_bind_template_child (widget_class, RsAdminPage, stack);
  gtk_widget_class_bind_template_child (widget_class, RsAdminPage, people);
  gtk_widget_class_bind_template_child (widget_class, RsAdminPage, teams);
  gtk_widget_class_bind_template_child (widget_class, RsAdminPage, bank);
  gtk_widget_class_bind_template_child (widget_class, RsAdminPage, settings);
  gtk_widget_class_bind_template_child (widget_class, RsAdminPage, exchange);
  gtk_widget_class_bind_template_callback (widget_class, on_section_shown);
}

static void
rs_admin_page_init (RsAdminPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  rs_page_add_section (RS_PAGE (self), RS_PAGE (self->people));
  rs_page_add_section (RS_PAGE (self), RS_PAGE (self->teams));
  rs_page_add_section (RS_PAGE (self), RS_PAGE (self->bank));
  rs_page_add_section (RS_PAGE (self), RS_PAGE (self->settings));
  rs_page_add_section (RS_PAGE (self), RS_PAGE (self->exchange));
}
