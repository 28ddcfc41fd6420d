/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The idle timeout and the exposure cap are bound to their spin buttons
 * (g_settings_bind keeps both in step); the lists are switches, because an "as" key has no widget of its
 * own. The last mode or skill cannot be switched off: a kiosk that offers
 * nothing is broken, so the switch stays on and the page says why. */
#include "rs-admin-settings.h"

#include "rs-cat.h"
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

void
rs_admin_settings_refresh (RsAdminSettings *self)
{
  g_autofree char *organization = NULL;

  g_return_if_fail (RS_IS_ADMIN_SETTINGS (self));
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
                 name[0] != '\0' ? "Organization name saved: it appears on exported reports" : "Organization name removed");
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
      g_autofree char *toast = g_strdup_printf ("At least one %s must stay offered", what);

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
    "Fewest questions; levels often show as “between” two",
    "The usual length",
    "Most questions; the narrowest bands",
  };

  gtk_widget_init_template (GTK_WIDGET (self));
  for (int m = 0; m < RS_N_MODES; m++)
    {
      g_autofree char *name = g_strdup_printf ("settings-mode-%s", rs_mode_id ((RsMode) m));
      self->mode_switches[m] = switch_row (self, self->modes_group, name, rs_mode_title ((RsMode) m), mode_notes[m]);
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
