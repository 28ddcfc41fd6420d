/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The idle timeout and the exposure cap are bound to their spin buttons
 * (g_settings_bind keeps both in step); the lists are switches, because an "as" key has no widget of its
 * own. The last mode or skill cannot be switched off: a kiosk that offers
 * nothing is broken, so the switch stays on and the page says why. */
#include "rs-admin-settings.h"

#include <glib/gi18n-lib.h>

#include "rs-cat.h"
#include "rs-people.h"
#include "rs-privacy.h"
#include "rs-settings.h"
#include "rs-skill.h"

struct _RsAdminSettings
{
  RsPage parent_instance;

  GSettings *settings;
  gboolean filling;
  GtkWidget *mode_switches[RS_N_MODES];
  GtkWidget *skill_switches[RS_N_SKILLS];

  GtkStack *stack;
  AdwEntryRow *organization_row;
  GtkSpinButton *idle_spin;
  GtkSpinButton *exposure_spin;
  GtkWidget *kiosk_row;
  GtkSwitch *kiosk_switch;
  AdwPreferencesGroup *modes_group;
  AdwPreferencesGroup *skills_group;

  /* Privacy (issue 14): the organization's policy, in the database, not
   * in GSettings: every kiosk and the server keep the same one. */
  AdwPreferencesGroup *privacy_group;
  AdwComboRow *visibility_row;
  GtkSpinButton *min_group_spin;
  GtkSpinButton *keep_results_spin;
  GtkSpinButton *keep_inactive_spin;
  GtkSwitch *anonymous_switch;
  AdwExpanderRow *teams_row;
  GPtrArray *team_rows;            /* AdwComboRow, one per team, in teams_row */
  GArray *team_ids;                /* gint64, in team_rows' order */
  AdwEntryRow *wording_row;
};

G_DEFINE_FINAL_TYPE (RsAdminSettings, rs_admin_settings, RS_TYPE_PAGE)

static void
read_list (RsAdminSettings *self, const char *key, GtkWidget **switches, int n, const char *(*id) (int))
{
  g_auto (GStrv) values = g_settings_get_strv (self->settings, key);

  for (int i = 0; i < n; i++)
    gtk_switch_set_active (GTK_SWITCH (switches[i]), g_strv_contains ((const char *const *) values, id (i)));
}

static const char *
mode_id (int i)
{
  return rs_mode_id ((RsMode) i);
}

static const char *
skill_id (int i)
{
  return rs_skill_id ((RsSkill) i);
}

static void refresh_privacy (RsAdminSettings *self);
static const char *visibility_explanation (RsVisibility visibility);

/* Any change of the organization's policy: the whole policy is written
 * again (the store raises its version, so everyone sees the notice anew). */
static void
on_policy_changed (RsAdminSettings *self)
{
  RsStore *store;
  RsPrivacyPolicy policy;
  g_autoptr (GError) error = NULL;

  if (self->filling || rs_page_get_context (RS_PAGE (self)) == NULL)
    return;
  store = rs_page_get_store (RS_PAGE (self));
  if (!rs_privacy_get_policy (store, &policy, &error))
    goto failed;
  policy.visibility = (RsVisibility) MIN (adw_combo_row_get_selected (self->visibility_row),
                                          (guint) RS_VISIBILITY_FULL);
  policy.min_group = (guint) gtk_spin_button_get_value_as_int (self->min_group_spin);
  policy.keep_results_months = (guint) gtk_spin_button_get_value_as_int (self->keep_results_spin);
  policy.keep_inactive_months = (guint) gtk_spin_button_get_value_as_int (self->keep_inactive_spin);
  policy.anonymous_answers = gtk_switch_get_active (self->anonymous_switch);
  if (!rs_privacy_set_policy (store, rs_page_get_person (RS_PAGE (self)), &policy, &error))
    goto failed;
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->visibility_row), visibility_explanation (policy.visibility));
  return;

failed:
  rs_page_error (RS_PAGE (self), _("The Privacy Policy Was Not Changed"), error->message);
  refresh_privacy (self);
}

static void
on_team_visibility (RsAdminSettings *self, GParamSpec *pspec, AdwComboRow *row)
{
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "team-index"));
  guint selected = adw_combo_row_get_selected (row);
  g_autoptr (GError) error = NULL;

  if (self->filling || index >= self->team_ids->len)
    return;
  if (!rs_privacy_set_team_visibility (rs_page_get_store (RS_PAGE (self)), rs_page_get_person (RS_PAGE (self)),
                                       g_array_index (self->team_ids, gint64, index),
                                       selected == 0 ? RS_VISIBILITY_INHERIT : (RsVisibility) (selected - 1), &error))
    {
      rs_page_error (RS_PAGE (self), _("The Team’s Policy Was Not Changed"), error->message);
      refresh_privacy (self);
    }
}

static void
on_wording_apply (RsAdminSettings *self)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->wording_row))));
  g_autoptr (GError) error = NULL;

  if (rs_page_get_context (RS_PAGE (self)) == NULL)
    return;
  if (!rs_privacy_set_wording (rs_page_get_store (RS_PAGE (self)), rs_page_get_person (RS_PAGE (self)), "", text,
                               &error))
    {
      rs_page_error (RS_PAGE (self), _("The Wording Was Not Saved"), error->message);
      refresh_privacy (self);
      return;
    }
  rs_page_toast (RS_PAGE (self), text[0] != '\0' ? _("Your wording is added to the privacy notice")
                                                  : _("Your wording is removed from the privacy notice"));
}

static GtkSpinButton *
spin_row (RsAdminSettings *self, const char *name, const char *title, const char *subtitle, double low, double high)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *spin = gtk_spin_button_new_with_range (low, high, 1);

  gtk_widget_set_name (spin, name);
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), spin);
  g_signal_connect_object (spin, "value-changed", G_CALLBACK (on_policy_changed), self, G_CONNECT_SWAPPED);
  adw_preferences_group_add (self->privacy_group, row);
  return GTK_SPIN_BUTTON (spin);
}

static void
build_privacy (RsAdminSettings *self)
{
  g_autoptr (GtkStringList) levels = gtk_string_list_new (NULL);
  GtkWidget *row;

  self->team_rows = g_ptr_array_new ();
  self->team_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->privacy_group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  gtk_widget_set_name (GTK_WIDGET (self->privacy_group), "settings-privacy");
  adw_preferences_group_set_title (self->privacy_group, _("Privacy"));
  adw_preferences_group_set_description (self->privacy_group,
                                         _("What managers see of their members’ results, how long results are kept, "
                                           "and your own words for the notice everyone confirms. A change shows "
                                           "everyone the notice again at their next sign-in."));
  for (int v = 0; v < RS_N_VISIBILITIES; v++)
    gtk_string_list_append (levels, rs_visibility_title ((RsVisibility) v));
  self->visibility_row = ADW_COMBO_ROW (adw_combo_row_new ());
  gtk_widget_set_name (GTK_WIDGET (self->visibility_row), "privacy-visibility");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->visibility_row), _("What managers see"));
  adw_combo_row_set_model (self->visibility_row, G_LIST_MODEL (levels));
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (self->visibility_row), 0);
  g_signal_connect_object (self->visibility_row, "notify::selected", G_CALLBACK (on_policy_changed), self,
                           G_CONNECT_SWAPPED);
  adw_preferences_group_add (self->privacy_group, GTK_WIDGET (self->visibility_row));
  self->min_group_spin = spin_row (self, "privacy-min-group", _("Smallest group shown"),
                                   _("Under team figures only, a figure about fewer people says “too few to show”"),
                                   RS_PRIVACY_MIN_MIN_GROUP, RS_PRIVACY_MAX_MIN_GROUP);
  self->keep_results_spin = spin_row (self, "privacy-keep-results", _("Keep results for (months)"),
                                      _("Older results are deleted by the retention run"), 1, RS_PRIVACY_MAX_MONTHS);
  self->keep_inactive_spin = spin_row (self, "privacy-keep-inactive", _("Erase deactivated people after (months)"),
                                       _("0: at the next retention run"), 0, RS_PRIVACY_MAX_MONTHS);

  row = adw_action_row_new ();
  self->anonymous_switch = GTK_SWITCH (gtk_switch_new ());
  gtk_widget_set_name (GTK_WIDGET (self->anonymous_switch), "privacy-anonymous");
  gtk_widget_set_valign (GTK_WIDGET (self->anonymous_switch), GTK_ALIGN_CENTER);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Keep expired answers anonymously"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                               _("For calibrating the questions, with no link to anyone"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->anonymous_switch), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Keep expired answers anonymously"), -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), GTK_WIDGET (self->anonymous_switch));
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), GTK_WIDGET (self->anonymous_switch));
  g_signal_connect_object (self->anonymous_switch, "notify::active", G_CALLBACK (on_policy_changed), self,
                           G_CONNECT_SWAPPED);
  adw_preferences_group_add (self->privacy_group, row);

  self->teams_row = ADW_EXPANDER_ROW (adw_expander_row_new ());
  gtk_widget_set_name (GTK_WIDGET (self->teams_row), "privacy-teams");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->teams_row), _("Teams with their own policy"));
  adw_expander_row_set_subtitle (self->teams_row, _("A team can see less, or more, than the organization’s policy"));
  adw_preferences_group_add (self->privacy_group, GTK_WIDGET (self->teams_row));

  self->wording_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  gtk_widget_set_name (GTK_WIDGET (self->wording_row), "privacy-wording");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->wording_row), _("Your organization’s words in the notice"));
  adw_entry_row_set_show_apply_button (self->wording_row, TRUE);
  g_signal_connect_object (self->wording_row, "apply", G_CALLBACK (on_wording_apply), self, G_CONNECT_SWAPPED);
  adw_preferences_group_add (self->privacy_group, GTK_WIDGET (self->wording_row));

  gtk_box_append (GTK_BOX (gtk_widget_get_parent (GTK_WIDGET (self->skills_group))),
                  GTK_WIDGET (self->privacy_group));
  gtk_widget_set_visible (GTK_WIDGET (self->privacy_group), FALSE);
}

static const char *
visibility_explanation (RsVisibility visibility)
{
  switch (visibility)
    {
    case RS_VISIBILITY_AGGREGATES:
      return _("Managers see team figures only, never a name; figures about fewer people than the smallest group "
               "are shown as “too few to show”.");
    case RS_VISIBILITY_FULL:
      return _("Managers see each member’s levels, score bands and role fit, and their answers question by "
               "question.");
    case RS_VISIBILITY_LEVELS:
    default:
      return _("Managers see each member’s levels, score bands and role fit, but never their answers.");
    }
}

static void
refresh_privacy (RsAdminSettings *self)
{
  RsStore *store = rs_page_get_context (RS_PAGE (self)) != NULL ? rs_page_get_store (RS_PAGE (self)) : NULL;
  RsPrivacyPolicy policy;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) teams = NULL;
  g_autofree char *wording = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->privacy_group), store != NULL);
  if (store == NULL)
    return;
  if (!rs_privacy_get_policy (store, &policy, &error) || !rs_privacy_get_wording (store, "", &wording, &error))
    {
      rs_page_error (RS_PAGE (self), _("The Privacy Policy Cannot Be Read"), error->message);
      return;
    }
  self->filling = TRUE;
  adw_combo_row_set_selected (self->visibility_row, (guint) policy.visibility);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->visibility_row), visibility_explanation (policy.visibility));
  gtk_spin_button_set_value (self->min_group_spin, policy.min_group);
  gtk_spin_button_set_value (self->keep_results_spin, policy.keep_results_months);
  gtk_spin_button_set_value (self->keep_inactive_spin, policy.keep_inactive_months);
  gtk_switch_set_active (self->anonymous_switch, policy.anonymous_answers);
  gtk_editable_set_text (GTK_EDITABLE (self->wording_row), wording != NULL ? wording : "");

  for (guint i = 0; i < self->team_rows->len; i++)
    adw_expander_row_remove (self->teams_row, g_ptr_array_index (self->team_rows, i));
  g_ptr_array_set_size (self->team_rows, 0);
  g_array_set_size (self->team_ids, 0);
  teams = rs_people_list_teams (store, rs_page_get_person (RS_PAGE (self)), &error);
  for (guint t = 0; teams != NULL && t < teams->len; t++)
    {
      const RsTeam *team = g_ptr_array_index (teams, t);
      g_autoptr (GtkStringList) choices = gtk_string_list_new (NULL);
      GtkWidget *row = adw_combo_row_new ();
      g_autofree char *name = g_strdup_printf ("privacy-team-%" G_GINT64_FORMAT, team->id);
      RsVisibility visibility = RS_VISIBILITY_INHERIT;
      gboolean overridden = FALSE;

      gtk_string_list_append (choices, _("The organization’s policy"));
      for (int v = 0; v < RS_N_VISIBILITIES; v++)
        gtk_string_list_append (choices, rs_visibility_title ((RsVisibility) v));
      if (!rs_privacy_team_policy (store, team->id, &visibility, NULL, &overridden, NULL))
        overridden = FALSE;
      gtk_widget_set_name (row, name);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), team->name);
      adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (choices));
      adw_combo_row_set_selected (ADW_COMBO_ROW (row), overridden ? (guint) visibility + 1 : 0);
      g_object_set_data (G_OBJECT (row), "team-index", GUINT_TO_POINTER (t));
      adw_expander_row_add_row (self->teams_row, row);
      g_ptr_array_add (self->team_rows, row);
      g_array_append_val (self->team_ids, team->id);
      g_signal_connect_object (row, "notify::selected", G_CALLBACK (on_team_visibility), self, G_CONNECT_SWAPPED);
    }
  self->filling = FALSE;
}

void
rs_admin_settings_refresh (RsAdminSettings *self)
{
  g_autofree char *organization = NULL;

  g_return_if_fail (RS_IS_ADMIN_SETTINGS (self));
  refresh_privacy (self);
  if (self->settings == NULL)
    return;
  self->filling = TRUE;
  organization = g_settings_get_string (self->settings, "organization-name");
  gtk_editable_set_text (GTK_EDITABLE (self->organization_row), organization);
  read_list (self, "offered-modes", self->mode_switches, RS_N_MODES, mode_id);
  read_list (self, "offered-skills", self->skill_switches, RS_N_SKILLS, skill_id);
  self->filling = FALSE;
}

gboolean
rs_admin_settings_is_available (RsAdminSettings *self)
{
  g_return_val_if_fail (RS_IS_ADMIN_SETTINGS (self), FALSE);
  return self->settings != NULL;
}

static void
on_organization_apply (RsAdminSettings *self)
{
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->organization_row))));

  if (self->settings == NULL)
    return;
  g_settings_set_string (self->settings, "organization-name", name);
  rs_page_toast (RS_PAGE (self),
                 name[0] != '\0' ? _("Organization name saved: it appears on exported reports")
                                  : _("Organization name removed"));
}

static void
write_list (RsAdminSettings *self, const char *key, GtkWidget **switches, int n, const char *(*id) (int),
            GtkWidget *changed, const char *what)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  g_auto (GStrv) values = NULL;

  for (int i = 0; i < n; i++)
    if (gtk_switch_get_active (GTK_SWITCH (switches[i])))
      g_strv_builder_add (builder, id (i));
  values = g_strv_builder_end (builder);
  if (values[0] == NULL)
    {
      const char *toast = g_str_equal (what, "mode") ? _("At least one mode must stay offered")
                                                     : _("At least one skill must stay offered");

      self->filling = TRUE;
      gtk_switch_set_active (GTK_SWITCH (changed), TRUE);
      self->filling = FALSE;
      rs_page_toast (RS_PAGE (self), toast);
      return;
    }
  g_settings_set_strv (self->settings, key, (const char *const *) values);
}

static void
on_switch_changed (GtkSwitch *widget, GParamSpec *pspec, RsAdminSettings *self)
{
  if (self->filling || self->settings == NULL)
    return;
  for (int i = 0; i < RS_N_MODES; i++)
    if (self->mode_switches[i] == GTK_WIDGET (widget))
      write_list (self, "offered-modes", self->mode_switches, RS_N_MODES, mode_id, GTK_WIDGET (widget), "mode");
  for (int i = 0; i < RS_N_SKILLS; i++)
    if (self->skill_switches[i] == GTK_WIDGET (widget))
      write_list (self, "offered-skills", self->skill_switches, RS_N_SKILLS, skill_id, GTK_WIDGET (widget), "skill");
}

static GtkWidget *
switch_row (RsAdminSettings *self, AdwPreferencesGroup *group, const char *name, const char *title,
            const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *toggle = gtk_switch_new ();

  gtk_widget_set_name (toggle, name);
  gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (toggle), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), toggle);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), toggle);
  gtk_widget_set_size_request (row, -1, 56);
  g_signal_connect_object (toggle, "notify::active", G_CALLBACK (on_switch_changed), self, 0);
  adw_preferences_group_add (group, row);
  return toggle;
}

static void
rs_admin_settings_dispose (GObject *object)
{
  RsAdminSettings *self = RS_ADMIN_SETTINGS (object);

  g_clear_object (&self->settings);
  g_clear_pointer (&self->team_rows, g_ptr_array_unref);
  g_clear_pointer (&self->team_ids, g_array_unref);
  G_OBJECT_CLASS (rs_admin_settings_parent_class)->dispose (object);
}

static void
rs_admin_settings_class_init (RsAdminSettingsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rs_admin_settings_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/reskill/Reskill/ui/rs-admin-settings.ui");
  gtk_widget_class_bind_template_child (widget_class, RsAdminSettings, stack);
  gtk_widget_class_bind_template_child (widget_class, RsAdminSettings, organization_row);
  gtk_widget_class_bind_template_child (widget_class, RsAdminSettings, idle_spin);
  gtk_widget_class_bind_template_child (widget_class, RsAdminSettings, exposure_spin);
  gtk_widget_class_bind_template_child (widget_class, RsAdminSettings, kiosk_row);
  gtk_widget_class_bind_template_child (widget_class, RsAdminSettings, kiosk_switch);
  gtk_widget_class_bind_template_child (widget_class, RsAdminSettings, modes_group);
  gtk_widget_class_bind_template_child (widget_class, RsAdminSettings, skills_group);
  gtk_widget_class_bind_template_callback (widget_class, on_organization_apply);
}

static void
rs_admin_settings_init (RsAdminSettings *self)
{
  static const char *const mode_notes[RS_N_MODES] = {
    N_("Fewest questions; levels often show as “between” two"),
    N_("The usual length"),
    N_("Most questions; the narrowest bands"),
  };

  gtk_widget_init_template (GTK_WIDGET (self));
  build_privacy (self);
  for (int m = 0; m < RS_N_MODES; m++)
    {
      g_autofree char *name = g_strdup_printf ("settings-mode-%s", rs_mode_id ((RsMode) m));
      self->mode_switches[m] = switch_row (self, self->modes_group, name, rs_mode_title ((RsMode) m), _(mode_notes[m]));
    }
  for (int s = 0; s < RS_N_SKILLS; s++)
    {
      g_autofree char *name = g_strdup_printf ("settings-skill-%s", rs_skill_id ((RsSkill) s));
      self->skill_switches[s] = switch_row (self, self->skills_group, name, rs_skill_title ((RsSkill) s), NULL);
    }

  self->settings = rs_settings_new ();
  if (self->settings == NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, "unavailable");
      return;
    }
  g_settings_bind (self->settings, "kiosk-idle-timeout", self->idle_spin, "value", G_SETTINGS_BIND_DEFAULT);
  {
    g_autoptr (GSettingsSchema) schema = NULL;

    g_object_get (self->settings, "settings-schema", &schema, NULL);
    gtk_widget_set_visible (GTK_WIDGET (self->kiosk_row), g_settings_schema_has_key (schema, "kiosk-mode"));
    if (g_settings_schema_has_key (schema, "kiosk-mode"))
      g_settings_bind (self->settings, "kiosk-mode", self->kiosk_switch, "active", G_SETTINGS_BIND_DEFAULT);
    /* Read by the choose page when an assessment starts (rs_settings_get_exposure_cap). */
    gtk_widget_set_sensitive (GTK_WIDGET (self->exposure_spin), g_settings_schema_has_key (schema, "exposure-cap"));
    if (g_settings_schema_has_key (schema, "exposure-cap"))
      g_settings_bind (self->settings, "exposure-cap", self->exposure_spin, "value", G_SETTINGS_BIND_DEFAULT);
  }
  rs_admin_settings_refresh (self);
  gtk_stack_set_visible_child_name (self->stack, "settings");
}
