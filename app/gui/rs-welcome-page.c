/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Nothing to decide here: the buttons name window actions (win.sign-in,
 * win.guest) because where they lead is the window's business. */
#include "rs-welcome-page.h"

#include <glib/gi18n-lib.h>

#include "rs-settings.h"

struct _RsWelcomePage
{
  RsPage parent_instance;

  AdwStatusPage *status_page;
  GtkWidget *sign_in_button;
};

G_DEFINE_FINAL_TYPE (RsWelcomePage, rs_welcome_page, RS_TYPE_PAGE)

static void
rs_welcome_page_class_init (RsWelcomePageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/reskill/Reskill/ui/rs-welcome-page.ui");
  gtk_widget_class_bind_template_child (widget_class, RsWelcomePage, status_page);
  gtk_widget_class_bind_template_child (widget_class, RsWelcomePage, sign_in_button);
}

static void
rs_welcome_page_init (RsWelcomePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
rs_welcome_page_new (void)
{
  return g_object_new (RS_TYPE_WELCOME_PAGE, NULL);
}

void
rs_welcome_page_focus (RsWelcomePage *self)
{
  g_autofree char *organization = rs_settings_dup_organization ();

  g_return_if_fail (RS_IS_WELCOME_PAGE (self));
  /* The organization's name, when set, makes the kiosk its own. */
  if (organization != NULL)
    {
      g_autofree char *title = g_strdup_printf (_("Reskill at %s"), organization);
      adw_status_page_set_title (self->status_page, title);
    }
  else
    adw_status_page_set_title (self->status_page, "Reskill");
  gtk_widget_grab_focus (self->sign_in_button);
}
