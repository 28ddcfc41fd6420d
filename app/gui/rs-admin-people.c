/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Every change goes through rs-people, which checks that the signed-in
 * person is an admin and writes the audit row; this page never touches the
 * store directly. One-time PINs live only in the dialog that shows them:
 * the core's copy is wiped as soon as the text is built. */
#include "rs-admin-people.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "rs-array-model.h"
#include "rs-dialogs.h"
#include "rs-list-row.h"
#include "rs-erasure.h"
#include "rs-people.h"
#include "rs-person-data.h"

struct _RsAdminPeople
{
  RsPage parent_instance;

  RsArrayModel *people;            /* RsPerson, as listed */

  GtkSearchEntry *search_entry;
  GtkLabel *count_label;
  GtkListView *list_view;
};

G_DEFINE_FINAL_TYPE (RsAdminPeople, rs_admin_people, RS_TYPE_PAGE)

static const char *const role_titles[] = { N_("Employee"), N_("Manager"), N_("Administrator") };

static void
rs_admin_people_clear (RsPage *page)
{
  RsAdminPeople *self = RS_ADMIN_PEOPLE (page);

  rs_array_model_set_array (self->people, NULL);
  gtk_label_set_text (self->count_label, "");
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
}

static const RsPerson *
find_person (RsAdminPeople *self, gint64 id)
{
  GPtrArray *people = rs_array_model_get_array (self->people);

  for (guint i = 0; people != NULL && i < people->len; i++)
    {
      const RsPerson *person = g_ptr_array_index (people, i);
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

/* One row of the list: made for the people on screen only, as the list
 * scrolls (a GtkListView), so ten thousand people cost no more to show
 * than twenty. */
static void
bind_person (RsListRow *row, gpointer item, gpointer data)
{
  const RsPerson *person = rs_array_item_get (item);
  g_autoptr (GString) subtitle = g_string_new (NULL);
  /* Translators: %s is a person's name, in the tooltips of their row's buttons. */
  g_autofree char *edit = g_strdup_printf (_("Edit %s"), person->name);
  g_autofree char *reset = g_strdup_printf (_("Reset the PIN of %s"), person->name);
  g_autofree char *toggle = g_strdup_printf (person->active ? _("Deactivate %s") : _("Reactivate %s"), person->name);

  /* Translators: an employee number, then a role. */
  g_string_append_printf (subtitle, _("No. %s · %s"), person->employee_no, _(role_titles[person->role]));
  if (person->team_name != NULL)
    /* Translators: after a person's number and role: their team. */
    g_string_append_printf (subtitle, _(" · team %s"), person->team_name);
  if (!person->active)
    g_string_append (subtitle, _(" · deactivated"));

  rs_list_row_set_title (row, person->name);
  rs_list_row_set_subtitle (row, subtitle->str);
  rs_list_row_set_dimmed (row, !person->active);
  rs_list_row_add_suffix (row, row_button (NULL, "document-edit-symbolic", edit, "people.edit", person->id));
  rs_list_row_add_suffix (row, row_button (NULL, "dialog-password-symbolic", reset, "people.reset-pin", person->id));
  rs_list_row_add_suffix (row, row_button (NULL, person->active ? "action-unavailable-symbolic" : "object-select-symbolic",
                                           toggle, "people.toggle-active", person->id));
  {
    /* Translators: %s is a person's name. */
    g_autofree char *export = g_strdup_printf (_("Export the data of %s…"), person->name);
    g_autofree char *erase = g_strdup_printf (_("Erase %s…"), person->name);

    rs_list_row_add_suffix (row, row_button (NULL, "document-save-symbolic", export, "people.export-data", person->id));
    rs_list_row_add_suffix (row, row_button (NULL, "user-trash-symbolic", erase, "people.erase", person->id));
  }
}

gboolean
rs_admin_people_refresh (RsAdminPeople *self, GError **error)
{
  RsStore *store;
  const RsPerson *viewer;
  const char *search;
  g_autoptr (GPtrArray) people = NULL;
  g_autofree char *count = NULL;

  g_return_val_if_fail (RS_IS_ADMIN_PEOPLE (self), FALSE);
  g_return_val_if_fail (rs_page_get_context (RS_PAGE (self)) != NULL, FALSE);
  store = rs_page_get_store (RS_PAGE (self));
  viewer = rs_page_get_person (RS_PAGE (self));
  search = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  people = rs_people_list (store, viewer, search[0] != '\0' ? search : NULL, error);
  if (people == NULL)
    return FALSE;
  rs_array_model_set_array (self->people, people);
  if (people->len == 0)
    count = g_strdup (search[0] != '\0' ? _("Nobody matches the search.") : _("Nobody yet."));
  else if (search[0] != '\0')
    count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u person matches the search",
                                          "%u people match the search", people->len),
                             people->len);
  else
    count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u person", "%u people", people->len), people->len);
  gtk_label_set_text (self->count_label, count);
  gtk_widget_set_visible (GTK_WIDGET (self->list_view), people->len > 0);
  return TRUE;
}

const RsPerson *
rs_admin_people_get_shown (RsAdminPeople *self, guint index)
{
  g_return_val_if_fail (RS_IS_ADMIN_PEOPLE (self), NULL);
  return rs_array_model_get (self->people, index);
}

guint
rs_admin_people_get_n_shown (RsAdminPeople *self)
{
  g_return_val_if_fail (RS_IS_ADMIN_PEOPLE (self), 0);
  return g_list_model_get_n_items (G_LIST_MODEL (self->people));
}

static void
refresh_or_say (RsAdminPeople *self)
{
  g_autoptr (GError) error = NULL;

  if (!rs_admin_people_refresh (self, &error))
    rs_page_error (RS_PAGE (self), _("People Cannot Be Listed"), error->message);
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
  g_autofree char *heading = g_strdup_printf (_("One-Time PIN for %s"), name);
  g_autofree char *body = g_strdup_printf (_("Employee number %s. Give the PIN to %s now: it is shown only this "
                                             "once and kept only as a hash."), employee_no, name);
  GtkWidget *dialog = rs_dialog_message (GTK_WIDGET (self), "one-time-pin-dialog", heading, body);
  GtkWidget *label = gtk_label_new (pin);
  g_autofree char *a11y = g_strdup_printf (_("One-time PIN %s"), pin);

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

/* The team a typed name means: an existing team whose name differs only in
 * case ("platform" for "Platform") is that team, not a second one beside
 * it. Returns the name to store (newly allocated). */
char *
rs_admin_people_match_team (GPtrArray *teams, const char *typed)
{
  g_autofree char *folded = g_utf8_casefold (typed, -1);

  for (guint t = 0; teams != NULL && t < teams->len; t++)
    {
      const RsTeam *team = g_ptr_array_index (teams, t);
      g_autofree char *other = g_utf8_casefold (team->name, -1);

      if (g_utf8_collate (folded, other) == 0)
        return g_strdup (team->name);
    }
  return g_strdup (typed);
}

/* The team chosen in the dialog: NULL for none, an existing team's name,
 * or the new team's name typed after "New team…". */
static char *
chosen_team (GtkWidget *dialog, RsStore *store, const RsPerson *viewer)
{
  AdwComboRow *combo = g_object_get_data (G_OBJECT (dialog), "team");
  GtkEditable *new_team = g_object_get_data (G_OBJECT (dialog), "new-team");
  GListModel *model = adw_combo_row_get_model (combo);
  guint selected = adw_combo_row_get_selected (combo);
  guint n = g_list_model_get_n_items (model);
  g_autofree char *typed = NULL;
  g_autoptr (GPtrArray) teams = NULL;

  if (selected == 0 || selected == GTK_INVALID_LIST_POSITION)
    return NULL;
  if (selected < n - 1)
    return g_strdup (gtk_string_list_get_string (GTK_STRING_LIST (model), selected));
  typed = g_strstrip (g_strdup (gtk_editable_get_text (new_team)));
  if (typed[0] == '\0')
    return NULL;
  teams = rs_people_list_teams (store, viewer, NULL);
  return rs_admin_people_match_team (teams, typed);
}

static void
on_person_response (AdwMessageDialog *dialog, const char *response, RsAdminPeople *self)
{
  GtkEditable *number = g_object_get_data (G_OBJECT (dialog), "number");
  GtkEditable *name = g_object_get_data (G_OBJECT (dialog), "name");
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
  team_text = chosen_team (GTK_WIDGET (dialog), store, viewer);
  role_value = (RsPersonRole) MIN (adw_combo_row_get_selected (role), (guint) RS_PERSON_ADMIN);

  if (person_id == 0)
    {
      char *pin = NULL;

      if (!rs_people_add (store, viewer, number_text, name_text, team_text, role_value, NULL, &pin, &error))
        {
          rs_page_error (RS_PAGE (self), _("The Person Was Not Added"), error->message);
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
          rs_page_error (RS_PAGE (self), _("The Changes Were Not Saved"), error->message);
          return;
        }
      refresh_or_say (self);
      toast = g_strdup_printf (_("Saved %s"), name_text);
      rs_page_toast (RS_PAGE (self), toast);
    }
}

static void
on_team_chosen (AdwComboRow *combo, GParamSpec *pspec, GtkWidget *new_team)
{
  guint n = g_list_model_get_n_items (adw_combo_row_get_model (combo));
  gboolean is_new = adw_combo_row_get_selected (combo) == n - 1;

  gtk_widget_set_visible (new_team, is_new);
  if (is_new)
    gtk_widget_grab_focus (new_team);
}

static void
open_person_dialog (RsAdminPeople *self, const RsPerson *person)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                              person != NULL ? _("Edit Person") : _("Add a Person"),
                                              person != NULL ? _("The employee number is who they are and cannot change.")
                                                             : _("They get a one-time PIN, shown once after adding."));
  GtkWidget *list = gtk_list_box_new ();
  GtkWidget *number, *name, *team, *new_team, *role;
  g_autoptr (GtkStringList) team_names = gtk_string_list_new (NULL);
  g_autoptr (GPtrArray) teams = rs_people_list_teams (rs_page_get_store (RS_PAGE (self)),
                                                      rs_page_get_person (RS_PAGE (self)), NULL);
  guint team_index = 0;
  g_autoptr (GtkStringList) roles = gtk_string_list_new ((const char *const[]) { _(role_titles[0]), _(role_titles[1]), _(role_titles[2]), NULL });

  gtk_widget_set_name (dialog, "person-dialog");
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  number = entry_row (list, "person-number", _("Employee number"), person != NULL ? person->employee_no : NULL);
  gtk_widget_set_sensitive (number, person == NULL);
  name = entry_row (list, "person-name", _("Name"), person != NULL ? person->name : NULL);
  /* A team is chosen from the teams there are; a new one only through
   * "New team…", so that a typing slip never makes a second team. */
  gtk_string_list_append (team_names, _("No team"));
  for (guint t = 0; teams != NULL && t < teams->len; t++)
    {
      const RsTeam *each = g_ptr_array_index (teams, t);

      gtk_string_list_append (team_names, each->name);
      if (person != NULL && person->team_name != NULL && g_str_equal (person->team_name, each->name))
        team_index = t + 1;
    }
  gtk_string_list_append (team_names, _("New team…"));
  team = adw_combo_row_new ();
  gtk_widget_set_name (team, "person-team");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (team), _("Team"));
  adw_combo_row_set_model (ADW_COMBO_ROW (team), G_LIST_MODEL (team_names));
  adw_combo_row_set_selected (ADW_COMBO_ROW (team), team_index);
  gtk_list_box_append (GTK_LIST_BOX (list), team);
  new_team = entry_row (list, "person-new-team", _("New team’s name"), NULL);
  gtk_widget_set_visible (new_team, FALSE);
  g_signal_connect (team, "notify::selected", G_CALLBACK (on_team_chosen), new_team);
  role = adw_combo_row_new ();
  gtk_widget_set_name (role, "person-role");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (role), _("Role"));
  adw_combo_row_set_model (ADW_COMBO_ROW (role), G_LIST_MODEL (roles));
  adw_combo_row_set_selected (ADW_COMBO_ROW (role), person != NULL ? (guint) person->role : 0);
  gtk_list_box_append (GTK_LIST_BOX (list), role);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), list);

  g_object_set_data (G_OBJECT (dialog), "number", number);
  g_object_set_data (G_OBJECT (dialog), "name", name);
  g_object_set_data (G_OBJECT (dialog), "team", team);
  g_object_set_data (G_OBJECT (dialog), "new-team", new_team);
  g_object_set_data (G_OBJECT (dialog), "role", role);
  g_object_set_data (G_OBJECT (dialog), "person-id", GSIZE_TO_POINTER (person != NULL ? (gsize) person->id : 0));

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"),
                                    "save", person != NULL ? _("_Save") : _("_Add"), NULL);
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
          rs_page_error (RS_PAGE (self), _("The PIN Was Not Reset"), error->message);
          return;
        }
      show_pin (self, employee_no, name, pin);
    }
  else if (g_str_equal (response, "deactivate"))
    {
      g_autofree char *toast = NULL;

      if (!rs_people_set_active (store, viewer, person_id, FALSE, &error))
        {
          rs_page_error (RS_PAGE (self), _("Nothing Was Changed"), error->message);
          return;
        }
      toast = g_strdup_printf (_("%s is deactivated; their results are kept"), name);
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
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), response, label, NULL);
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
  heading = g_strdup_printf (_("Reset the PIN of %s?"), person->name);
  confirm (self, "reset-pin-dialog", person, heading,
           _("Their current PIN stops working at once, and a sign-in lock is lifted. The new one-time PIN is shown next, only once."),
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
  if (person->active && rs_page_get_person (RS_PAGE (self)) != NULL
      && rs_page_get_person (RS_PAGE (self))->id == person->id)
    {
      /* Refused before anyone is asked to confirm: the core would refuse
       * it after the confirmation, which reads as if it might work. */
      rs_page_error (RS_PAGE (widget), _("You Cannot Deactivate Yourself"),
                     _("Another administrator can deactivate your account. Nothing was changed."));
      return;
    }
  if (person->active)
    {
      /* Translators: %s is a person's name. */
      g_autofree char *heading = g_strdup_printf (_("Deactivate %s?"), person->name);

      confirm (self, "deactivate-dialog", person, heading,
               _("They can no longer sign in. Their attempts and results are kept, and they can be reactivated later."),
               "deactivate", _("_Deactivate"));
      return;
    }
  if (!rs_people_set_active (rs_page_get_store (RS_PAGE (self)), rs_page_get_person (RS_PAGE (self)),
                             person->id, TRUE, &error))
    {
      rs_page_error (RS_PAGE (widget), _("Nothing Was Changed"), error->message);
      return;
    }
  refresh_or_say (self);
}

/* --- a person's data: export and erasure (issue 14) --- */

/* Erases for real once the employee number typed matches: a strong
 * confirmation, since an erasure cannot be undone and travels. */
gboolean
rs_admin_people_erase (RsAdminPeople *self, const char *employee_no, GError **error)
{
  RsErasureSummary summary = { 0 };
  g_autofree char *said = NULL;

  g_return_val_if_fail (RS_IS_ADMIN_PEOPLE (self), FALSE);
  if (!rs_erasure_erase_person (rs_page_get_store (RS_PAGE (self)), rs_page_get_person (RS_PAGE (self)), employee_no,
                                FALSE, &summary, error))
    {
      rs_erasure_summary_clear (&summary);
      return FALSE;
    }
  said = rs_erasure_summary_describe (&summary, FALSE);
  rs_page_toast (RS_PAGE (self), said);
  if (!summary.log_wiped && summary.log_problem != NULL)
    rs_page_error (RS_PAGE (self), _("The Erasure Is Not Complete on Disk"), summary.log_problem);
  rs_erasure_summary_clear (&summary);
  refresh_or_say (self);
  return TRUE;
}

static void
on_erase_number_changed (GtkEditable *entry, AdwMessageDialog *dialog)
{
  const char *wanted = g_object_get_data (G_OBJECT (dialog), "employee-no");
  g_autofree char *typed = g_strstrip (g_strdup (gtk_editable_get_text (entry)));

  adw_message_dialog_set_response_enabled (dialog, "erase", g_str_equal (typed, wanted));
}

static void
on_erase_response (AdwMessageDialog *dialog, const char *response, RsAdminPeople *self)
{
  const char *employee_no = g_object_get_data (G_OBJECT (dialog), "employee-no");
  g_autoptr (GError) error = NULL;

  if (!g_str_equal (response, "erase"))
    return;
  if (!rs_admin_people_erase (self, employee_no, &error))
    rs_page_error (RS_PAGE (self), _("Nobody Was Erased"), error->message);
}

static void
erase_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  RsAdminPeople *self = RS_ADMIN_PEOPLE (widget);
  const RsPerson *person = find_person (self, g_variant_get_int64 (parameter));
  RsErasureSummary summary = { 0 };
  g_autoptr (GError) error = NULL;
  g_autofree char *heading = NULL, *body = NULL, *counts = NULL;
  GtkWidget *dialog, *list, *entry;

  if (person == NULL)
    return;
  /* A dry run first: the confirmation says what exactly goes, and a
   * refusal (the last administrator) comes before anyone confirms. */
  if (!rs_erasure_erase_person (rs_page_get_store (RS_PAGE (self)), rs_page_get_person (RS_PAGE (self)),
                                person->employee_no, TRUE, &summary, &error))
    {
      rs_erasure_summary_clear (&summary);
      rs_page_error (RS_PAGE (self), _("Nobody Was Erased"), error->message);
      return;
    }
  counts = rs_erasure_summary_describe (&summary, TRUE);
  rs_erasure_summary_clear (&summary);
  /* Translators: %s is a person's name. */
  heading = g_strdup_printf (_("Erase %s?"), person->name);
  body = g_strdup_printf (_("%s\n\nTheir account, every attempt, answer and result, their self-estimates, the "
                            "records of who looked at their results and the audit entries about them are "
                            "deleted from this database, and the file is overwritten so that nothing can be "
                            "recovered. A record of the erasure goes with the next results bundle and sync, so "
                            "that other kiosks and the server erase them too. This cannot be undone.\n\nType "
                            "their employee number, %s, to confirm."), counts, person->employee_no);
  {
    GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

    dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading, body);
    gtk_widget_set_name (dialog, "erase-dialog");
  }
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "erase", _("_Erase"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "erase", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "erase", FALSE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "employee-no", g_strdup (person->employee_no), g_free);
  list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  entry = entry_row (list, "erase-number", _("Employee number"), NULL);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), list);
  g_signal_connect (entry, "changed", G_CALLBACK (on_erase_number_changed), dialog);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_erase_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

gboolean
rs_admin_people_export_data (RsAdminPeople *self, gint64 person_id, const char *dir, GError **error)
{
  RsPersonExport summary = { 0 };
  g_autofree char *basename = NULL, *toast = NULL;
  gboolean ok;

  g_return_val_if_fail (RS_IS_ADMIN_PEOPLE (self), FALSE);
  ok = rs_person_export (rs_page_get_store (RS_PAGE (self)), rs_page_get_person (RS_PAGE (self)), person_id, dir,
                         &summary, error);
  rs_person_export_clear (&summary);
  if (!ok)
    return FALSE;
  basename = g_path_get_basename (dir);
  /* Translators: %s is a folder's name. */
  toast = g_strdup_printf (_("Their data is in the folder %s"), basename);
  rs_page_toast (RS_PAGE (self), toast);
  return TRUE;
}

static void
on_export_folder_chosen (GtkWidget *from, GSList *paths, gpointer user_data)
{
  g_autoptr (GError) error = NULL;

  if (paths == NULL)
    return;
  if (!rs_admin_people_export_data (RS_ADMIN_PEOPLE (from), GPOINTER_TO_SIZE (user_data), paths->data, &error))
    rs_page_error (RS_PAGE (from), _("The Data Was Not Exported"), error->message);
}

static void
export_data_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  RsAdminPeople *self = RS_ADMIN_PEOPLE (widget);
  const RsPerson *person = find_person (self, g_variant_get_int64 (parameter));
  g_autofree char *name = NULL;

  if (person == NULL)
    return;
  /* A new folder: an export is never mixed into other files. */
  name = g_strdup_printf ("reskill-data-%s", person->employee_no);
  g_strdelimit (name, "/\\:*?\"<>| ", '-');
  rs_dialog_choose_save (widget, _("Export the Person’s Data to a New Folder"), name, _("_Export"),
                         on_export_folder_chosen, GSIZE_TO_POINTER ((gsize) person->id));
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
  /* Translators: the first number is the people in the file. */
  g_string_append_printf (body, g_dngettext (GETTEXT_PACKAGE, "%u person in the file: %u added, %u updated, %u unchanged",
                                             "%u people in the file: %u added, %u updated, %u unchanged", report.n_rows),
                          report.n_rows, report.n_added, report.n_updated, report.n_unchanged);
  g_string_append_printf (body, g_dngettext (GETTEXT_PACKAGE, "; %u new team.", "; %u new teams.",
                                             report.n_teams_added),
                          report.n_teams_added);
  if (pins != NULL && pins->len > 0)
    {
      g_string_append (body, _("\n\nOne-time PINs, shown only now:\n"));
      for (guint i = 0; i < pins->len; i++)
        {
          const RsNewPin *pin = g_ptr_array_index (pins, i);
          g_string_append_printf (body, "\n%s  %s  %s", pin->employee_no, pin->pin, pin->name);
        }
    }
  refresh_or_say (self);
  rs_dialog_message (GTK_WIDGET (self), "import-dialog", _("People Imported"), body->str);
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
      g_autofree char *body = g_strdup_printf (_("%s\n\nNothing was changed: fix the file and import it again."),
                                           error->message);
      rs_page_error (RS_PAGE (from), _("The File Was Not Imported"), body);
    }
}

static void
import_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  rs_dialog_choose_open (widget, _("Import People"), _("_Import"), FALSE, _("People files (CSV)"), "*.csv",
                         on_import_chosen, NULL);
}

static void
rs_admin_people_dispose (GObject *object)
{
  RsAdminPeople *self = RS_ADMIN_PEOPLE (object);

  /* The rows go first, then what they showed. */
  if (self->list_view != NULL)
    gtk_list_view_set_model (self->list_view, NULL);
  g_clear_object (&self->people);
  G_OBJECT_CLASS (rs_admin_people_parent_class)->dispose (object);
}

static void
rs_admin_people_class_init (RsAdminPeopleClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  RsPageClass *page_class = RS_PAGE_CLASS (klass);

  page_class->clear = rs_admin_people_clear;

  object_class->dispose = rs_admin_people_dispose;

  gtk_widget_class_install_action (widget_class, "people.add", NULL, add_action);
  gtk_widget_class_install_action (widget_class, "people.import", NULL, import_action);
  gtk_widget_class_install_action (widget_class, "people.edit", "x", edit_action);
  gtk_widget_class_install_action (widget_class, "people.reset-pin", "x", reset_pin_action);
  gtk_widget_class_install_action (widget_class, "people.toggle-active", "x", toggle_active_action);
  gtk_widget_class_install_action (widget_class, "people.erase", "x", erase_action);
  gtk_widget_class_install_action (widget_class, "people.export-data", "x", export_data_action);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/reskill/Reskill/ui/rs-admin-people.ui");
  gtk_widget_class_bind_template_child (widget_class, RsAdminPeople, search_entry);
  gtk_widget_class_bind_template_child (widget_class, RsAdminPeople, count_label);
  gtk_widget_class_bind_template_child (widget_class, RsAdminPeople, list_view);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
}

static void
rs_admin_people_init (RsAdminPeople *self)
{
  g_autoptr (GtkListItemFactory) factory = rs_list_row_factory_new (bind_person, self);
  g_autoptr (GtkNoSelection) selection = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->people = rs_array_model_new ();
  selection = gtk_no_selection_new (G_LIST_MODEL (g_object_ref (self->people)));
  gtk_list_view_set_factory (self->list_view, factory);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (selection));
}
