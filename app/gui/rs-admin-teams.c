/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Every change goes through rs-people, which checks that the signed-in
 * person is an administrator and writes the audit row. Teams are few, so
 * the list is a GtkListBox bound to the core's list (one row each). */
#include "rs-admin-teams.h"

#include <glib/gi18n-lib.h>

#include "rs-array-model.h"
#include "rs-people.h"

struct _RsAdminTeams
{
  RsPage parent_instance;

  RsArrayModel *teams;             /* RsTeam, as listed */

  GtkListBox *list;
};

G_DEFINE_FINAL_TYPE (RsAdminTeams, rs_admin_teams, RS_TYPE_PAGE)

static const char *const role_titles[] = { N_("Employee"), N_("Manager"), N_("Administrator") };

static GtkWidget *
team_row (gpointer item, gpointer data)
{
  const RsTeam *team = rs_array_item_get (item);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *button = gtk_button_new_from_icon_name ("system-users-symbolic");
  g_autoptr (GString) subtitle = g_string_new (NULL);
  g_autofree char *managers = g_strdup_printf (_("Choose the managers of %s"), team->name);

  g_string_append_printf (subtitle,
                          g_dngettext (GETTEXT_PACKAGE, "%u active member", "%u active members", team->n_members),
                          team->n_members);
  g_string_append (subtitle, " · ");
  if (team->managers->len == 0)
    g_string_append (subtitle, _("no manager"));
  for (guint m = 0; m < team->managers->len; m++)
    g_string_append_printf (subtitle, "%s%s", m == 0 ? _("managed by ") : ", ",
                            ((const RsPerson *) g_ptr_array_index (team->managers, m))->name);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), team->name);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_size_request (button, 48, 48);
  gtk_widget_set_tooltip_text (button, managers);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, managers, -1);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "teams.managers");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "x", team->id);
  gtk_widget_add_css_class (button, "flat");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  return row;
}

gboolean
rs_admin_teams_refresh (RsAdminTeams *self, GError **error)
{
  g_autoptr (GPtrArray) teams = NULL;

  g_return_val_if_fail (RS_IS_ADMIN_TEAMS (self), FALSE);
  teams = rs_people_list_teams (rs_page_get_store (RS_PAGE (self)), rs_page_get_person (RS_PAGE (self)), error);
  if (teams == NULL)
    return FALSE;
  rs_array_model_set_array (self->teams, teams);
  return TRUE;
}

guint
rs_admin_teams_get_n_teams (RsAdminTeams *self)
{
  g_return_val_if_fail (RS_IS_ADMIN_TEAMS (self), 0);
  return g_list_model_get_n_items (G_LIST_MODEL (self->teams));
}

static void
refresh_or_say (RsAdminTeams *self)
{
  g_autoptr (GError) error = NULL;

  if (!rs_admin_teams_refresh (self, &error))
    rs_page_error (RS_PAGE (self), _("Teams Cannot Be Listed"), error->message);
}

static void
on_managers_response (AdwMessageDialog *dialog, const char *response, RsAdminTeams *self)
{
  gint64 team_id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (dialog), "team-id"));
  GPtrArray *checks = g_object_get_data (G_OBJECT (dialog), "checks");
  RsStore *store = rs_page_get_store (RS_PAGE (self));
  const RsPerson *viewer = rs_page_get_person (RS_PAGE (self));
  guint n_changed = 0;

  if (!g_str_equal (response, "save"))
    return;
  for (guint i = 0; i < checks->len; i++)
    {
      GtkCheckButton *check = g_ptr_array_index (checks, i);
      gint64 person_id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (check), "person-id"));
      gboolean was = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (check), "was"));
      gboolean now = gtk_check_button_get_active (check);
      g_autoptr (GError) error = NULL;

      if (was == now)
        continue;
      if (!rs_people_set_team_manager (store, viewer, team_id, person_id, now, &error))
        {
          rs_page_error (RS_PAGE (self), _("The Managers Were Not All Changed"), error->message);
          break;
        }
      n_changed++;
    }
  refresh_or_say (self);
  if (n_changed > 0)
    rs_page_toast (RS_PAGE (self), _("Managers saved"));
}

static void
team_managers_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  RsAdminTeams *self = RS_ADMIN_TEAMS (widget);
  gint64 team_id = g_variant_get_int64 (parameter);
  const RsTeam *team = NULL;
  g_autoptr (GPtrArray) everyone = NULL;
  g_autoptr (GError) error = NULL;
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *dialog, *list;
  GPtrArray *checks;
  g_autofree char *heading = NULL;

  for (guint t = 0; t < rs_admin_teams_get_n_teams (self) && team == NULL; t++)
    if (((const RsTeam *) rs_array_model_get (self->teams, t))->id == team_id)
      team = rs_array_model_get (self->teams, t);
  if (team == NULL)
    return;
  everyone = rs_people_list (rs_page_get_store (RS_PAGE (self)), rs_page_get_person (RS_PAGE (self)), NULL, &error);
  if (everyone == NULL)
    {
      rs_page_error (RS_PAGE (widget), _("People Cannot Be Listed"), error->message);
      return;
    }

  heading = g_strdup_printf (_("Managers of %s"), team->name);
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading,
                                   "A manager sees the team report of every team they manage. Only managers and administrators are listed.");
  gtk_widget_set_name (dialog, "team-managers-dialog");
  list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  checks = g_ptr_array_new ();
  g_object_set_data_full (G_OBJECT (dialog), "checks", checks, (GDestroyNotify) g_ptr_array_unref);
  g_object_set_data (G_OBJECT (dialog), "team-id", GSIZE_TO_POINTER ((gsize) team_id));
  for (guint i = 0; i < everyone->len; i++)
    {
      const RsPerson *person = g_ptr_array_index (everyone, i);
      gboolean manages = FALSE;
      GtkWidget *row, *check;
      g_autofree char *subtitle = NULL;

      if (person->role == RS_PERSON_EMPLOYEE || !person->active)
        continue;
      for (guint m = 0; m < team->managers->len; m++)
        manages |= ((const RsPerson *) g_ptr_array_index (team->managers, m))->id == person->id;
      row = adw_action_row_new ();
      check = gtk_check_button_new ();
      subtitle = g_strdup_printf (_("No. %s · %s"), person->employee_no, _(role_titles[person->role]));
      /* Named for tests; managers and admins are few, so few quarks. */
      {
        g_autofree char *name = g_strdup_printf ("manager-%s", person->employee_no);
        gtk_widget_set_name (check, name);
      }
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), person->name);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_check_button_set_active (GTK_CHECK_BUTTON (check), manages);
      gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL, person->name, -1);
      g_object_set_data (G_OBJECT (check), "person-id", GSIZE_TO_POINTER ((gsize) person->id));
      g_object_set_data (G_OBJECT (check), "was", GINT_TO_POINTER (manages));
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      gtk_list_box_append (GTK_LIST_BOX (list), row);
      g_ptr_array_add (checks, check);
    }
  if (checks->len > 0)
    {
      GtkWidget *scroller = gtk_scrolled_window_new ();

      gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
      gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller), TRUE);
      gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scroller), 360);
      gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), list);
      adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), scroller);
    }
  else
    {
      g_object_ref_sink (list);
      g_object_unref (list);
      adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (dialog), _("Nobody can manage a team yet: make someone a manager first."));
    }
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", "_Cancel", "save", "_Save", NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "save", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "save");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_managers_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
rs_admin_teams_clear (RsPage *page)
{
  rs_array_model_set_array (RS_ADMIN_TEAMS (page)->teams, NULL);
}

static void
rs_admin_teams_dispose (GObject *object)
{
  RsAdminTeams *self = RS_ADMIN_TEAMS (object);

  if (self->list != NULL)
    gtk_list_box_bind_model (self->list, NULL, NULL, NULL, NULL);
  g_clear_object (&self->teams);
  G_OBJECT_CLASS (rs_admin_teams_parent_class)->dispose (object);
}

static void
rs_admin_teams_class_init (RsAdminTeamsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  RsPageClass *page_class = RS_PAGE_CLASS (klass);

  object_class->dispose = rs_admin_teams_dispose;
  page_class->clear = rs_admin_teams_clear;

  gtk_widget_class_install_action (widget_class, "teams.managers", "x", team_managers_action);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/reskill/Reskill/ui/rs-admin-teams.ui");
  gtk_widget_class_bind_template_child (widget_class, RsAdminTeams, list);
}

static void
rs_admin_teams_init (RsAdminTeams *self)
{
  GtkWidget *placeholder = gtk_label_new (_("No teams yet: a team is made when someone is added to it."));

  gtk_widget_init_template (GTK_WIDGET (self));
  self->teams = rs_array_model_new ();
  gtk_label_set_wrap (GTK_LABEL (placeholder), TRUE);
  gtk_widget_add_css_class (placeholder, "dim-label");
  gtk_widget_set_margin_top (placeholder, 18);
  gtk_widget_set_margin_bottom (placeholder, 18);
  gtk_widget_set_margin_start (placeholder, 12);
  gtk_widget_set_margin_end (placeholder, 12);
  gtk_list_box_set_placeholder (self->list, placeholder);
  gtk_list_box_bind_model (self->list, G_LIST_MODEL (self->teams), team_row, NULL, NULL);
}
