/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The rows name window actions (win.take, win.history, win.team-report,
 * win.admin): where they lead, and whether they are enabled for this
 * person, is the window's business. The page only hides what the person's
 * role does not offer, so nobody sees an entry that would be refused. */
#include "rs-home-page.h"

#include <glib/gi18n-lib.h>

struct _RsHomePage
{
  RsPage parent_instance;

  GtkLabel *title_label;
  GtkLabel *subtitle_label;
  GtkWidget *take_row;
  GtkWidget *team_row;
  GtkWidget *admin_row;
};

G_DEFINE_FINAL_TYPE (RsHomePage, rs_home_page, RS_TYPE_PAGE)

void
rs_home_page_refresh (RsHomePage *self)
{
  const RsPerson *person;
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;

  g_return_if_fail (RS_IS_HOME_PAGE (self));
  person = rs_page_get_person (RS_PAGE (self));
  title = g_strdup_printf (_("Hello, %s"), person != NULL ? person->name : "");
  if (person != NULL && person->team_name != NULL)
    /* TRANSLATORS: the person's role ("Administrator" or "Manager") and team name. */
    subtitle = g_strdup_printf (_("%s · team %s"), person->role == RS_PERSON_ADMIN ? _("Administrator") : _("Manager"),
                                person->team_name);
  else
    subtitle = g_strdup (person != NULL && person->role == RS_PERSON_ADMIN ? _("Administrator") : _("Manager"));
  gtk_label_set_text (self->title_label, title);
  gtk_label_set_text (self->subtitle_label, subtitle);
  gtk_widget_set_visible (self->team_row, person != NULL && person->role != RS_PERSON_EMPLOYEE);
  gtk_widget_set_visible (self->admin_row, person != NULL && person->role == RS_PERSON_ADMIN);
}

static void
rs_home_page_clear (RsPage *page)
{
  RsHomePage *self = RS_HOME_PAGE (page);

  gtk_label_set_text (self->title_label, "");
  gtk_label_set_text (self->subtitle_label, "");
}

void
rs_home_page_focus (RsHomePage *self)
{
  g_return_if_fail (RS_IS_HOME_PAGE (self));
  gtk_widget_grab_focus (self->take_row);
}

static void
rs_home_page_class_init (RsHomePageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  RsPageClass *page_class = RS_PAGE_CLASS (klass);

  page_class->clear = rs_home_page_clear;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/reskill/Reskill/ui/rs-home-page.ui");
  gtk_widget_class_bind_template_child (widget_class, RsHomePage, title_label);
  gtk_widget_class_bind_template_child (widget_class, RsHomePage, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, RsHomePage, take_row);
  gtk_widget_class_bind_template_child (widget_class, RsHomePage, team_row);
  gtk_widget_class_bind_template_child (widget_class, RsHomePage, admin_row);
}

static void
rs_home_page_init (RsHomePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
