/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Every change goes through rs-people, which checks that the signed-in
 * person is an admin and writes the audit row; this page never touches the
 * store directly. One-time PINs live only in the dialog that shows them:
 * the core's copy is wiped as soon as the text is built. */
#include "rs-admin-people.h"

#include <string.h>

#include "rs-dialogs.h"
#include "rs-people.h"

#define MAX_ROWS 200

struct _RsAdminPeople
{
  RsPage parent_instance;

  GPtrArray *people;               /* RsPerson, as listed */
  GPtrArray *teams;                /* RsTeam, as listed */
  GPtrArray *rows;                 /* (row, group) pairs */
  guint n_shown;

  GtkSearchEntry *search_entry;
  AdwPreferencesGroup *people_group;
  AdwPreferencesGroup *teams_group;
};

G_DEFINE_FINAL_TYPE (RsAdminPeople, rs_admin_people, RS_TYPE_PAGE)

static const char *const role_titles[] = { "Employee", "Manager", "Administrator" };

static void
clear_rows (RsAdminPeople *self)
{
  for (guint i = 0; i + 1 < self->rows->len; i += 2)
    adw_preferences_group_remove (g_ptr_array_index (self->rows, i + 1), g_ptr_array_index (self->rows, i));
  g_ptr_array_set_size (self->rows, 0);
}

static void
add_row (RsAdminPeople *self, AdwPreferencesGroup *group, GtkWidget *row)
{
  adw_preferences_group_add (group, row);
  g_ptr_array_add (self->rows, row);
  g_ptr_array_add (self->rows, group);
}

static void
rs_admin_people_clear (RsPage *page)
{
  RsAdminPeople *self = RS_ADMIN_PEOPLE (page);

  clear_rows (self);
  g_ptr_array_set_size (self->people, 0);
  g_ptr_array_set_size (self->teams, 0);
  self->n_shown = 0;
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
}

static const RsPerson *
find_person (RsAdminPeople *self, gint64 id)
{
  for (guint i = 0; i < self->people->len; i++)
    {
      const RsPerson *person = g_ptr_array_index (self->people, i);
      if (person->id == id)
        return person;
    }
  return NULL;
}

static GtkWidget *
row_button (const char *label, const char *icon, const char *tooltip, const char *action, gint64 id)
{
  GtkWidget *button = icon != NULL ? gtk_button_new_from_icon_name (icon) : gtk_button_new_with_mnemonic (label);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_size_request (button, 48, 48);
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip, -1);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "x", id);
  gtk_widget_add_css_class (button, "flat");
  return button;
}

gboolean
rs_admin_people_refresh (RsAdminPeople *self, GError **error)
{
  RsStore *store;
  const RsPerson *viewer;
  const char *search;
  g_autoptr (GPtrArray) people = NULL;
  g_autoptr (GPtrArray) teams = NULL;
  g_autofree char *description = NULL;

  g_return_val_if_fail (RS_IS_ADMIN_PEOPLE (self), FALSE);
  g_return_val_if_fail (rs_page_get_context (RS_PAGE (self)) != NULL, FALSE);
  store = rs_page_get_store (RS_PAGE (self));
  viewer = rs_page_get_person (RS_PAGE (self));
  search = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  people = rs_people_list (store, viewer, search[0] != '\0' ? search : NULL, error);
  if (people == NULL)
    return FALSE;
  teams = rs_people_list_teams (store, viewer, error);
  if (teams == NULL)
    return FALSE;

  clear_rows (self);
  g_ptr_array_unref (self->people);
  self->people = g_ptr_array_ref (people);
  g_ptr_array_unref (self->teams);
  self->teams = g_ptr_array_ref (teams);
  self->n_shown = MIN (people->len, MAX_ROWS);

  for (guint i = 0; i < self->n_shown; i++)
    {
      const RsPerson *person = g_ptr_array_index (people, i);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *subtitle = g_strdup_printf ("No. %s · %s%s%s%s", person->employee_no, role_titles[person->role],
                                                   person->team_name != NULL ? " · team " : "",
                                                   person->team_name != NULL ? person->team_name : "",
                                                   person->active ? "" : " · deactivated");
      g_autofree char *edit = g_strdup_printf ("Edit %s", person->name);
      g_autofree char *reset = g_strdup_printf ("Reset the PIN of %s", person->name);
      g_autofree char *toggle = g_strdup_printf ("%s %s", person->active ? "Deactivate" : "Reactivate", person->name);

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), person->name);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      if (!person->active)
        gtk_widget_add_css_class (row, "dim-label");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 row_button (NULL, "document-edit-symbolic", edit, "people.edit", person->id));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 row_button (NULL, "dialog-password-symbolic", reset, "people.reset-pin", person->id));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 row_button (NULL, person->active ? "action-unavailable-symbolic" : "object-select-symbolic",
                                             toggle, "people.toggle-active", person->id));
      add_row (self, self->people_group, row);
    }
  if (people->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), search[0] != '\0' ? "Nobody matches the search." : "Nobody yet.");
      add_row (self, self->people_group, row);
    }
  if (people->len > self->n_shown)
    description = g_strdup_printf ("%u people; the first %u are shown. Search to narrow the list.", people->len, self->n_shown);
  else
    description = g_strdup_printf ("%u %s%s", people->len, people->len == 1 ? "person" : "people",
                                   search[0] != '\0' ? " match the search" : "");
  adw_preferences_group_set_description (self->people_group, description);

  for (guint t = 0; t < teams->len; t++)
    {
      const RsTeam *team = g_ptr_array_index (teams, t);
      GtkWidget *row = adw_action_row_new ();
      g_autoptr (GString) subtitle = g_string_new (NULL);

      g_string_append_printf (subtitle, "%u active member%s · ", team->n_members, team->n_members == 1 ? "" : "s");
      if (team->managers->len == 0)
        g_string_append (subtitle, "no manager");
      for (guint m = 0; m < team->managers->len; m++)
        g_string_append_printf (subtitle, "%s%s", m == 0 ? "managed by " : ", ",
                                ((const RsPerson *) g_ptr_array_index (team->managers, m))->name);
      g_autofree char *managers = g_strdup_printf ("Choose the managers of %s", team->name);

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), team->name);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 row_button (NULL, "system-users-symbolic", managers, "people.team-managers", team->id));
      add_row (self, self->teams_group, row);
    }
  if (teams->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), "No teams yet: a team is made when someone is added to it.");
      add_row (self, self->teams_group, row);
    }
  return TRUE;
}

const RsPerson *
rs_admin_people_get_shown (RsAdminPeople *self, guint index)
{
  g_return_val_if_fail (RS_IS_ADMIN_PEOPLE (self), NULL);
  return index < self->n_shown ? g_ptr_array_index (self->people, index) : NULL;
}

guint
rs_admin_people_get_n_shown (RsAdminPeople *self)
{
  g_return_val_if_fail (RS_IS_ADMIN_PEOPLE (self), 0);
  return self->n_shown;
}

static void
refresh_or_say (RsAdminPeople *self)
{
  g_autoptr (GError) error = NULL;

  if (!rs_admin_people_refresh (self, &error))
    rs_page_error (RS_PAGE (self), "People Cannot Be Listed", error->message);
}

static void
on_search_changed (RsAdminPeople *self)
{
  refresh_or_say (self);
}

/* --- the one-time PIN --- */

static void
show_pin (RsAdminPeople *self, const char *employee_no, const char *name, char *pin)
{
  g_autofree char *heading = g_strdup_printf ("One-Time PIN for %s", name);
  g_autofree char *body = g_strdup_printf ("Employee number %s. Give the PIN to %s now: it is shown only this once "
                                           "and kept only as a hash.", employee_no, name);
  GtkWidget *dialog = rs_dialog_message (GTK_WIDGET (self), "one-time-pin-dialog", heading, body);
  GtkWidget *label = gtk_label_new (pin);
  g_autofree char *a11y = g_strdup_printf ("One-time PIN %s", pin);

  /* Large and spaced out, to be read aloud or copied without mistakes. */
  gtk_widget_set_name (label, "one-time-pin");
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "title-1");
  gtk_widget_add_css_class (label, "monospace");
  gtk_accessible_update_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), label);
  rs_people_pin_free (pin);
  memset (a11y, 0, strlen (a11y));
}

/* --- add and edit --- */

static GtkWidget *
entry_row (GtkWidget *list, const char *name, const char *title, const char *text)
{
  GtkWidget *row = adw_entry_row_new ();

  gtk_widget_set_name (row, name);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_editable_set_text (GTK_EDITABLE (row), text != NULL ? text : "");
  gtk_list_box_append (GTK_LIST_BOX (list), row);
  return row;
}

static void
on_person_response (AdwMessageDialog *dialog, const char *response, RsAdminPeople *self)
{
  GtkEditable *number = g_object_get_data (G_OBJECT (dialog), "number");
  GtkEditable *name = g_object_get_data (G_OBJECT (dialog), "name");
  GtkEditable *team = g_object_get_data (G_OBJECT (dialog), "team");
  AdwComboRow *role = g_object_get_data (G_OBJECT (dialog), "role");
  gint64 person_id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (dialog), "person-id"));
  RsStore *store = rs_page_get_store (RS_PAGE (self));
  const RsPerson *viewer = rs_page_get_person (RS_PAGE (self));
  g_autoptr (GError) error = NULL;
  g_autofree char *number_text = NULL;
  g_autofree char *name_text = NULL;
  g_autofree char *team_text = NULL;
  RsPersonRole role_value;

  if (!g_str_equal (response, "save"))
    return;
  number_text = g_strstrip (g_strdup (gtk_editable_get_text (number)));
  name_text = g_strstrip (g_strdup (gtk_editable_get_text (name)));
  team_text = g_strstrip (g_strdup (gtk_editable_get_text (team)));
  role_value = (RsPersonRole) MIN (adw_combo_row_get_selected (role), (guint) RS_PERSON_ADMIN);

  if (person_id == 0)
    {
      char *pin = NULL;

      if (!rs_people_add (store, viewer, number_text, name_text, team_text, role_value, NULL, &pin, &error))
        {
          rs_page_error (RS_PAGE (self), "The Person Was Not Added", error->message);
          return;
        }
      refresh_or_say (self);
      show_pin (self, number_text, name_text, pin);
    }
  else
    {
      g_autofree char *toast = NULL;

      if (!rs_people_update (store, viewer, person_id, name_text, team_text, role_value, &error))
        {
          rs_page_error (RS_PAGE (self), "The Changes Were Not Saved", error->message);
          return;
        }
      refresh_or_say (self);
      toast = g_strdup_printf ("Saved %s", name_text);
      rs_page_toast (RS_PAGE (self), toast);
    }
}

static void
open_person_dialog (RsAdminPeople *self, const RsPerson *person)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                              person != NULL ? "Edit Person" : "Add a Person",
                                              person != NULL ? "The employee number is who they are and cannot change. A new team is created as needed."
                                                             : "They get a one-time PIN, shown once after adding. A new team is created as needed.");
  GtkWidget *list = gtk_list_box_new ();
  GtkWidget *number, *name, *team, *role;
  g_autoptr (GtkStringList) roles = gtk_string_list_new ((const char *const[]) { role_titles[0], role_titles[1], role_titles[2], NULL });

  gtk_widget_set_name (dialog, "person-dialog");
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  number = entry_row (list, "person-number", "Employee number", person != NULL ? person->employee_no : NULL);
  gtk_widget_set_sensitive (number, person == NULL);
  name = entry_row (list, "person-name", "Name", person != NULL ? person->name : NULL);
  team = entry_row (list, "person-team", "Team (empty: none)", person != NULL ? person->team_name : NULL);
  role = adw_combo_row_new ();
  gtk_widget_set_name (role, "person-role");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (role), "Role");
  adw_combo_row_set_model (ADW_COMBO_ROW (role), G_LIST_MODEL (roles));
  adw_combo_row_set_selected (ADW_COMBO_ROW (role), person != NULL ? (guint) person->role : 0);
  gtk_list_box_append (GTK_LIST_BOX (list), role);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), list);

  g_object_set_data (G_OBJECT (dialog), "number", number);
  g_object_set_data (G_OBJECT (dialog), "name", name);
  g_object_set_data (G_OBJECT (dialog), "team", team);
  g_object_set_data (G_OBJECT (dialog), "role", role);
  g_object_set_data (G_OBJECT (dialog), "person-id", GSIZE_TO_POINTER (person != NULL ? (gsize) person->id : 0));

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", "_Cancel",
                                    "save", person != NULL ? "_Save" : "_Add", NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "save", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "save");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_person_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (person != NULL ? name : number);
}

static void
add_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  open_person_dialog (RS_ADMIN_PEOPLE (widget), NULL);
}

static void
edit_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  RsAdminPeople *self = RS_ADMIN_PEOPLE (widget);
  const RsPerson *person = find_person (self, g_variant_get_int64 (parameter));

  if (person != NULL)
    open_person_dialog (self, person);
}

/* --- reset PIN, deactivate --- */

static void
on_confirm_response (AdwMessageDialog *dialog, const char *response, RsAdminPeople *self)
{
  gint64 person_id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (dialog), "person-id"));
  const RsPerson *person = find_person (self, person_id);
  RsStore *store = rs_page_get_store (RS_PAGE (self));
  const RsPerson *viewer = rs_page_get_person (RS_PAGE (self));
  g_autoptr (GError) error = NULL;
  g_autofree char *employee_no = NULL;
  g_autofree char *name = NULL;

  if (person == NULL || g_str_equal (response, "cancel"))
    return;
  employee_no = g_strdup (person->employee_no);
  name = g_strdup (person->name);
  if (g_str_equal (response, "reset"))
    {
      char *pin = rs_people_reset_pin (store, viewer, person_id, &error);

      if (pin == NULL)
        {
          rs_page_error (RS_PAGE (self), "The PIN Was Not Reset", error->message);
          return;
        }
      show_pin (self, employee_no, name, pin);
    }
  else if (g_str_equal (response, "deactivate"))
    {
      g_autofree char *toast = NULL;

      if (!rs_people_set_active (store, viewer, person_id, FALSE, &error))
        {
          rs_page_error (RS_PAGE (self), "Nothing Was Changed", error->message);
          return;
        }
      toast = g_strdup_printf ("%s is deactivated; their results are kept", name);
      rs_page_toast (RS_PAGE (self), toast);
    }
  refresh_or_say (self);
}

static void
confirm (RsAdminPeople *self, const char *name, const RsPerson *person, const char *heading, const char *body,
         const char *response, const char *label)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading, body);

  gtk_widget_set_name (dialog, name);
  g_object_set_data (G_OBJECT (dialog), "person-id", GSIZE_TO_POINTER ((gsize) person->id));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", "_Cancel", response, label, NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), response, ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_confirm_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
reset_pin_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  RsAdminPeople *self = RS_ADMIN_PEOPLE (widget);
  const RsPerson *person = find_person (self, g_variant_get_int64 (parameter));
  g_autofree char *heading = NULL;

  if (person == NULL)
    return;
  heading = g_strdup_printf ("Reset the PIN of %s?", person->name);
  confirm (self, "reset-pin-dialog", person, heading,
           "Their current PIN stops working at once, and a sign-in lock is lifted. The new one-time PIN is shown next, only once.",
           "reset", "_Reset PIN");
}

static void
toggle_active_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  RsAdminPeople *self = RS_ADMIN_PEOPLE (widget);
  const RsPerson *person = find_person (self, g_variant_get_int64 (parameter));
  g_autoptr (GError) error = NULL;

  if (person == NULL)
    return;
  if (person->active)
    {
      g_autofree char *heading = g_strdup_printf ("Deactivate %s?", person->name);

      confirm (self, "deactivate-dialog", person, heading,
               "They can no longer sign in. Their attempts and results are kept, and they can be reactivated later.",
               "deactivate", "_Deactivate");
      return;
    }
  if (!rs_people_set_active (rs_page_get_store (RS_PAGE (self)), rs_page_get_person (RS_PAGE (self)),
                             person->id, TRUE, &error))
    {
      rs_page_error (RS_PAGE (widget), "Nothing Was Changed", error->message);
      return;
    }
  refresh_or_say (self);
}

/* --- the managers of a team --- */

static void
on_managers_response (AdwMessageDialog *dialog, const char *response, RsAdminPeople *self)
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
          rs_page_error (RS_PAGE (self), "The Managers Were Not All Changed",
                             error->message);
          break;
        }
      n_changed++;
    }
  refresh_or_say (self);
  if (n_changed > 0)
    rs_page_toast (RS_PAGE (self), "Managers saved");
}

static void
team_managers_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  RsAdminPeople *self = RS_ADMIN_PEOPLE (widget);
  gint64 team_id = g_variant_get_int64 (parameter);
  const RsTeam *team = NULL;
  g_autoptr (GPtrArray) everyone = NULL;
  g_autoptr (GError) error = NULL;
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *dialog, *list;
  GPtrArray *checks;
  g_autofree char *heading = NULL;

  for (guint t = 0; t < self->teams->len && team == NULL; t++)
    if (((const RsTeam *) g_ptr_array_index (self->teams, t))->id == team_id)
      team = g_ptr_array_index (self->teams, t);
  if (team == NULL)
    return;
  everyone = rs_people_list (rs_page_get_store (RS_PAGE (self)), rs_page_get_person (RS_PAGE (self)), NULL, &error);
  if (everyone == NULL)
    {
      rs_page_error (RS_PAGE (widget), "People Cannot Be Listed", error->message);
      return;
    }

  heading = g_strdup_printf ("Managers of %s", team->name);
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
      subtitle = g_strdup_printf ("No. %s · %s", person->employee_no, role_titles[person->role]);
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
      adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (dialog), "Nobody can manage a team yet: make someone a manager first.");
    }
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", "_Cancel", "save", "_Save", NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "save", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "save");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_managers_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* --- import --- */

gboolean
rs_admin_people_import_file (RsAdminPeople *self, const char *path, GError **error)
{
  g_autoptr (GPtrArray) pins = NULL;
  g_autoptr (GString) body = g_string_new (NULL);
  RsImportReport report = { 0 };

  g_return_val_if_fail (RS_IS_ADMIN_PEOPLE (self), FALSE);
  if (!rs_people_import_csv (rs_page_get_store (RS_PAGE (self)), rs_page_get_person (RS_PAGE (self)), path,
                             &pins, &report, error))
    return FALSE;
  g_string_append_printf (body, "%u %s in the file: %u added, %u updated, %u unchanged; %u new team%s.",
                          report.n_rows, report.n_rows == 1 ? "person" : "people", report.n_added, report.n_updated,
                          report.n_unchanged, report.n_teams_added, report.n_teams_added == 1 ? "" : "s");
  if (pins != NULL && pins->len > 0)
    {
      g_string_append (body, "\n\nOne-time PINs, shown only now:\n");
      for (guint i = 0; i < pins->len; i++)
        {
          const RsNewPin *pin = g_ptr_array_index (pins, i);
          g_string_append_printf (body, "\n%s  %s  %s", pin->employee_no, pin->pin, pin->name);
        }
    }
  refresh_or_say (self);
  rs_dialog_message (GTK_WIDGET (self), "import-dialog", "People Imported", body->str);
  memset (body->str, 0, body->len);
  return TRUE;
}

static void
on_import_chosen (GtkWidget *from, GSList *paths, gpointer user_data)
{
  g_autoptr (GError) error = NULL;

  if (paths == NULL)
    return;
  if (!rs_admin_people_import_file (RS_ADMIN_PEOPLE (from), paths->data, &error))
    {
      g_autofree char *body = g_strdup_printf ("%s\n\nNothing was changed: fix the file and import it again.", error->message);
      rs_page_error (RS_PAGE (from), "The File Was Not Imported", body);
    }
}

static void
import_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  rs_dialog_choose_open (widget, "Import People", "_Import", FALSE, "People files (CSV)", "*.csv",
                         on_import_chosen, NULL);
}

static void
rs_admin_people_finalize (GObject *object)
{
  RsAdminPeople *self = RS_ADMIN_PEOPLE (object);

  g_ptr_array_unref (self->people);
  g_ptr_array_unref (self->teams);
  g_ptr_array_unref (self->rows);
  G_OBJECT_CLASS (rs_admin_people_parent_class)->finalize (object);
}

static void
rs_admin_people_class_init (RsAdminPeopleClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  RsPageClass *page_class = RS_PAGE_CLASS (klass);

  page_class->clear = rs_admin_people_clear;

  object_class->finalize = rs_admin_people_finalize;

  gtk_widget_class_install_action (widget_class, "people.add", NULL, add_action);
  gtk_widget_class_install_action (widget_class, "people.import", NULL, import_action);
  gtk_widget_class_install_action (widget_class, "people.edit", "x", edit_action);
  gtk_widget_class_install_action (widget_class, "people.reset-pin", "x", reset_pin_action);
  gtk_widget_class_install_action (widget_class, "people.toggle-active", "x", toggle_active_action);
  gtk_widget_class_install_action (widget_class, "people.team-managers", "x", team_managers_action);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/reskill/Reskill/ui/rs-admin-people.ui");
  gtk_widget_class_bind_template_child (widget_class, RsAdminPeople, search_entry);
  gtk_widget_class_bind_template_child (widget_class, RsAdminPeople, people_group);
  gtk_widget_class_bind_template_child (widget_class, RsAdminPeople, teams_group);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
}

static void
rs_admin_people_init (RsAdminPeople *self)
{
  self->people = g_ptr_array_new_with_free_func ((GDestroyNotify) rs_person_free);
  self->teams = g_ptr_array_new_with_free_func ((GDestroyNotify) rs_team_free);
  self->rows = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}
