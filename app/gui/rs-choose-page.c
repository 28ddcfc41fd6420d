/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The estimates shown per mode are measured, not promised: the core
 * simulates each mode on this bank's own items (rs_forecast_mode), which
 * says how many questions a test really takes and how wide the band around
 * the score typically ends up. Time per question is an assumption stated in
 * one place. */
#include "rs-choose-page.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "rs-error.h"
#include "rs-settings.h"
#include "rs-simulation.h"

/* A question with code to read takes longer than one without; 40 s is the
 * middle of what people take on the kind of items the bank holds. */
#define SECONDS_PER_QUESTION 40

/* One point on the 0–100 scale is 1/12.5 of a logit (rs_score_from_theta). */
#define POINTS_PER_LOGIT 12.5

/* Simulated people per skill and mode: enough for a stable average, quick
 * enough (a few milliseconds each) to compute when the page first shows. */
#define FORECAST_SIMULEES 200

struct _RsChoosePage
{
  RsPage parent_instance;

  char *resume_uuid;

  GtkCheckButton *skill_checks[RS_N_SKILLS];
  AdwActionRow *skill_rows[RS_N_SKILLS];
  GtkCheckButton *mode_checks[RS_N_MODES];
  AdwActionRow *mode_rows[RS_N_MODES];
  AdwComboRow *self_rows[RS_N_SKILLS];

  GtkScrolledWindow *scroller;
  GtkLabel *who_label;
  GtkWidget *change_pin_button;
  GtkWidget *practice_group;
  GtkSwitch *practice_switch;
  AdwPreferencesGroup *resume_group;
  AdwActionRow *resume_row;
  AdwPreferencesGroup *skills_group;
  GtkSwitch *full_switch;
  AdwPreferencesGroup *mode_group;
  char *mode_description;        /* the template's, before any pretest note */
  AdwPreferencesGroup *self_group;
  GtkLabel *error_label;
  GtkWidget *start_button;

  /* What the organization offers (GSettings), read at each refresh. */
  gboolean offered_modes[RS_N_MODES];
  gboolean offered_skills[RS_N_SKILLS];

  /* Forecasts per skill and mode, for the bank they were made on. */
  const RsBank *forecast_bank;
  gboolean forecast_ready[RS_N_SKILLS][RS_N_MODES];
  guint forecast_idle_id;
  RsModeForecast forecast[RS_N_SKILLS][RS_N_MODES];
};

G_DEFINE_FINAL_TYPE (RsChoosePage, rs_choose_page, RS_TYPE_PAGE)

enum {
  SIGNAL_STARTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
show_error (RsChoosePage *self, const char *message)
{
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static guint
bank_count (RsChoosePage *self, RsSkill skill)
{
  const RsBank *bank = rs_page_get_bank (RS_PAGE (self));
  const GPtrArray *items;

  if (bank == NULL)
    return 0;
  items = rs_bank_skill_items (bank, skill);
  return items != NULL ? items->len : 0;
}

/* The skills that will be tested, in test order; returns how many. */
static int
selected_skills (RsChoosePage *self, RsSkill skills[RS_N_SKILLS])
{
  gboolean full = gtk_switch_get_active (self->full_switch);
  int n = 0;

  for (int s = 0; s < RS_N_SKILLS; s++)
    if (self->offered_skills[s] && (full || gtk_check_button_get_active (self->skill_checks[s])))
      skills[n++] = (RsSkill) s;
  return n;
}

static RsMode
selected_mode (RsChoosePage *self)
{
  for (int m = 0; m < RS_N_MODES; m++)
    if (gtk_check_button_get_active (self->mode_checks[m]))
      return (RsMode) m;
  return RS_MODE_STANDARD;
}

static gboolean compute_forecast (gpointer data);
static void update (RsChoosePage *self);

/* A forecast when it is ready; NULL while it is being worked out. They are
 * simulated one per idle turn of the main loop, never all at once: twelve
 * simulations in one go held the window (and a kiosk's idle watch) still
 * for seconds on a slow machine. */
static const RsModeForecast *
forecast_for (RsChoosePage *self, RsSkill skill, RsMode mode)
{
  const RsBank *bank = rs_page_get_bank (RS_PAGE (self));

  if (bank != self->forecast_bank)
    {
      memset (self->forecast_ready, 0, sizeof self->forecast_ready);
      self->forecast_bank = bank;
    }
  if (self->forecast_ready[skill][mode])
    return &self->forecast[skill][mode];
  if (self->forecast_idle_id == 0)
    self->forecast_idle_id = g_idle_add (compute_forecast, self);
  return NULL;
}

static gboolean
compute_forecast (gpointer data)
{
  RsChoosePage *self = data;
  const RsBank *bank = rs_page_get_bank (RS_PAGE (self));

  if (bank == NULL || bank != self->forecast_bank)
    {
      self->forecast_idle_id = 0;
      if (bank != NULL)
        update (self);   /* starts over for the new bank */
      return G_SOURCE_REMOVE;
    }
  for (int s = 0; s < RS_N_SKILLS; s++)
    for (int m = 0; m < RS_N_MODES; m++)
      {
        RsSkill skill = (RsSkill) s;

        if (self->forecast_ready[s][m] || !self->offered_skills[s] || !self->offered_modes[m]
            || bank_count (self, skill) == 0)
          continue;
        rs_forecast_mode (bank, &skill, 1, (RsMode) m, FORECAST_SIMULEES, &self->forecast[s][m]);
        self->forecast_ready[s][m] = TRUE;
        return G_SOURCE_CONTINUE;
      }
  self->forecast_idle_id = 0;
  update (self);
  return G_SOURCE_REMOVE;
}

gboolean
rs_choose_page_forecasts_ready (RsChoosePage *self)
{
  g_return_val_if_fail (RS_IS_CHOOSE_PAGE (self), TRUE);
  return self->forecast_idle_id == 0;
}

static char *
describe_mode (RsChoosePage *self, RsMode mode, const RsSkill *skills, int n_skills)
{
  double items = 0, se = 0, exact = 1.0;
  g_autofree char *rule_text = NULL;
  RsStopRule rule;
  int minutes;

  if (rs_page_get_bank (RS_PAGE (self)) == NULL)
    return g_strdup ("");
  if (n_skills == 0)
    return g_strdup (_("Choose at least one skill."));
  rs_mode_stop_rule (mode, &rule);
  rule_text = rs_stop_rule_describe (&rule);
  for (int i = 0; i < n_skills; i++)
    {
      const RsModeForecast *f = forecast_for (self, skills[i], mode);
      if (f == NULL)
        return g_strdup_printf (_("Each skill %s. Working out how long that takes on these questions…"), rule_text);
      items += f->mean_items;
      se = MAX (se, f->median_se);
      exact = MIN (exact, f->exact_level);
    }
  minutes = MAX (1, (int) (items * SECONDS_PER_QUESTION / 60.0 + 0.5));
  /* Honest: the rule, then what the test typically reaches on these
   * questions (simulated), which for some skills is less than the rule
   * aims for. */
  /* Translators: the forecast for the chosen length; the third %s is the
   * stopping rule ("stops at 80% sure, after 5 to 10 questions"). */
  return g_strdup_printf (_("About %.0f questions, %d min. Each skill %s. Typically your score to within "
                            "±%.0f points, and the level named is the right one for about %.0f in 10 people."),
                          items, minutes, rule_text, RS_BAND_Z * se * POINTS_PER_LOGIT, 10 * exact);
}

/* Some of the chosen skills' questions are still being tried out. */
static gboolean
has_pretest (RsChoosePage *self, const RsSkill *skills, int n_skills)
{
  const RsBank *bank = rs_page_get_bank (RS_PAGE (self));
  RsCatConfig config;

  rs_cat_config_init (&config, selected_mode (self));
  for (int i = 0; bank != NULL && config.n_pretest > 0 && i < n_skills; i++)
    {
      const GPtrArray *items = rs_bank_skill_items (bank, skills[i]);
      for (guint k = 0; k < items->len; k++)
        if (!((const RsItem *) g_ptr_array_index (items, k))->irt_given)
          return TRUE;
    }
  return FALSE;
}

static void
update (RsChoosePage *self)
{
  gboolean full = gtk_switch_get_active (self->full_switch);
  RsSkill skills[RS_N_SKILLS];
  int n = selected_skills (self, skills);

  for (int s = 0; s < RS_N_SKILLS; s++)
    {
      gboolean has_items = bank_count (self, (RsSkill) s) > 0;
      gboolean chosen = FALSE;

      gtk_widget_set_sensitive (GTK_WIDGET (self->skill_rows[s]), !full && has_items);
      for (int i = 0; i < n; i++)
        chosen |= skills[i] == (RsSkill) s;
      gtk_widget_set_visible (GTK_WIDGET (self->self_rows[s]), chosen);
    }
  for (int m = 0; m < RS_N_MODES; m++)
    {
      g_autofree char *text = describe_mode (self, (RsMode) m, skills, n);
      adw_action_row_set_subtitle (self->mode_rows[m], text);
    }
  /* People are told that some questions do not count (pretest seeding). */
  {
    g_autofree char *description =
      has_pretest (self, skills, n)
        ? g_strconcat (self->mode_description != NULL ? self->mode_description : "",
                       " ",
                       _("A few questions are being tried out for future tests: they do not count "
                         "towards your result."), NULL)
        : g_strdup (self->mode_description);
    adw_preferences_group_set_description (self->mode_group, description);
  }
  gtk_widget_set_visible (GTK_WIDGET (self->self_group), n > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "choose.start", n > 0);
  show_error (self, NULL);
}

static void
on_selection_changed (RsChoosePage *self)
{
  update (self);
}

static void
start_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  RsChoosePage *self = RS_CHOOSE_PAGE (widget);
  RsContext *context = rs_page_get_context (RS_PAGE (self));
  RsSkill skills[RS_N_SKILLS];
  RsLevel self_level[RS_N_SKILLS];
  g_autoptr (GError) error = NULL;
  RsAssessmentOptions options;
  RsAssessment *assessment;
  int n = selected_skills (self, skills);

  if (n == 0)
    {
      show_error (self, _("Choose at least one skill."));
      return;
    }
  if (context == NULL || rs_context_get_store (context) == NULL || rs_context_get_bank (context) == NULL)
    {
      show_error (self, _("Reskill has no database or no questions loaded, so no assessment can start."));
      return;
    }

  /* In test order, parallel to skills[] (rs_assessment_start). */
  for (int i = 0; i < n; i++)
    {
      guint pick = adw_combo_row_get_selected (self->self_rows[skills[i]]);
      self_level[i] = (pick == 0 || pick == GTK_INVALID_LIST_POSITION) ? RS_LEVEL_INVALID : (RsLevel) (pick - 1);
    }

  rs_assessment_options_init (&options);
  options.exposure_cap = rs_settings_get_exposure_cap ();
  options.practice = rs_context_get_person_id (context) != 0 && gtk_switch_get_active (self->practice_switch);
  assessment = rs_assessment_start_full (rs_context_get_store (context),
                                         rs_context_get_bank (context),
                                         rs_context_get_person_id (context),
                                         selected_mode (self), skills, n, self_level,
                                         g_random_int (), &options, &error);
  if (assessment == NULL)
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, RS_ERROR, RS_ERROR_EMPTY_BANK))
        message = g_strdup_printf (_("%s. Choose other skills, or ask an administrator to add questions."), error->message);
      else
        message = g_strdup_printf (_("The assessment could not start: %s. Nothing was saved; try again, or ask an administrator."), error->message);
      show_error (self, message);
      return;
    }

  rs_context_set_guest_paused (context, NULL);
  rs_context_set_assessment (context, assessment);
  g_signal_emit (self, signals[SIGNAL_STARTED], 0);
}

static void
resume_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  RsChoosePage *self = RS_CHOOSE_PAGE (widget);
  RsContext *context = rs_page_get_context (RS_PAGE (self));
  g_autoptr (GError) error = NULL;
  RsAssessmentOptions options;
  RsAssessment *assessment;

  if (self->resume_uuid == NULL || context == NULL)
    return;
  rs_assessment_options_init (&options);
  options.exposure_cap = rs_settings_get_exposure_cap ();
  assessment = rs_assessment_resume_full (rs_context_get_store (context),
                                          rs_context_get_bank (context),
                                          self->resume_uuid, &options, &error);
  if (assessment == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("The unfinished assessment could not be resumed: %s. Start a new one instead."), error->message);
      show_error (self, message);
      return;
    }
  rs_context_set_guest_paused (context, NULL);
  rs_context_set_assessment (context, assessment);
  g_signal_emit (self, signals[SIGNAL_STARTED], 0);
}

static void
refresh_resume (RsChoosePage *self)
{
  RsContext *context = rs_page_get_context (RS_PAGE (self));
  g_autoptr (GError) error = NULL;
  g_autoptr (RsAttempt) attempt = NULL;
  g_autofree char *uuid = NULL;
  RsStore *store;

  g_clear_pointer (&self->resume_uuid, g_free);
  gtk_widget_set_visible (GTK_WIDGET (self->resume_group), FALSE);
  if (context == NULL || (store = rs_context_get_store (context)) == NULL)
    return;

  if (rs_context_get_person (context) != NULL)
    uuid = rs_store_find_resumable (store, rs_context_get_person_id (context), &error);
  else
    uuid = g_strdup (rs_context_get_guest_paused (context));
  if (uuid == NULL)
    {
      if (error != NULL)
        g_debug ("no resumable attempt: %s", error->message);
      return;
    }

  attempt = rs_store_load_attempt (store, uuid, &error);
  if (attempt == NULL)
    {
      g_debug ("cannot load attempt %s: %s", uuid, error->message);
      return;
    }

  {
    g_autoptr (GDateTime) started = g_date_time_new_from_unix_local (attempt->started_at / G_USEC_PER_SEC);
    /* %-d: %e pads with a figure space that g_strstrip leaves. */
    g_autofree char *when = g_date_time_format (started, _("%-d %B %Y, %H:%M"));
    g_autoptr (GString) skills = g_string_new (NULL);
    g_autofree char *subtitle = NULL;
    guint answered = attempt->responses != NULL ? attempt->responses->len : 0;

    for (int i = 0; i < attempt->n_skills; i++)
      g_string_append_printf (skills, "%s%s", i > 0 ? ", " : "", rs_skill_title (attempt->skills[i]));
    subtitle = g_strdup_printf (_("Started %s · %s · %u answered, all saved"),
                                g_strstrip (when), skills->str, answered);
    adw_action_row_set_subtitle (self->resume_row, subtitle);
  }
  self->resume_uuid = g_steal_pointer (&uuid);
  gtk_widget_set_visible (GTK_WIDGET (self->resume_group), TRUE);
}

void
rs_choose_page_refresh (RsChoosePage *self)
{
  const RsPerson *person;

  g_return_if_fail (RS_IS_CHOOSE_PAGE (self));
  person = rs_page_get_person (RS_PAGE (self));
  if (person != NULL)
    {
      g_autofree char *text = g_strdup_printf (_("Signed in as %s. Your results are kept so you can see your progress."), person->name);
      gtk_label_set_text (self->who_label, text);
    }
  else
    gtk_label_set_text (self->who_label, _("Guest: your results are shown but kept anonymous and linked to no one."));
  /* A guest has no PIN to change, and is anonymous anyway: no practice. */
  gtk_widget_set_visible (self->change_pin_button, person != NULL);
  gtk_widget_set_visible (self->practice_group, person != NULL);
  gtk_switch_set_active (self->practice_switch, FALSE);

  /* Only what the organization offers is shown; a mode that is not offered
   * gives its place to the first one that is. */
  rs_settings_get_offered (self->offered_modes, self->offered_skills);
  for (int m = 0; m < RS_N_MODES; m++)
    gtk_widget_set_visible (GTK_WIDGET (self->mode_rows[m]), self->offered_modes[m]);
  if (!self->offered_modes[selected_mode (self)])
    for (int m = 0; m < RS_N_MODES; m++)
      if (self->offered_modes[m])
        {
          gtk_check_button_set_active (self->mode_checks[m], TRUE);
          break;
        }

  for (int s = 0; s < RS_N_SKILLS; s++)
    {
      guint count = bank_count (self, (RsSkill) s);
      g_autofree char *subtitle = count > 0 ? g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u question in the bank",
                                                                                     "%u questions in the bank", count), count)
                                            : g_strdup (_("No questions yet"));

      adw_action_row_set_subtitle (self->skill_rows[s], subtitle);
      gtk_widget_set_visible (GTK_WIDGET (self->skill_rows[s]), self->offered_skills[s]);
      if (count == 0 || !self->offered_skills[s])
        gtk_check_button_set_active (self->skill_checks[s], FALSE);
      adw_combo_row_set_selected (self->self_rows[s], 0);
    }
  refresh_resume (self);
  update (self);
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scroller), 0);
}

void
rs_choose_page_select (RsChoosePage *self, const gboolean skills[RS_N_SKILLS], RsMode mode)
{
  gboolean all = TRUE;

  g_return_if_fail (RS_IS_CHOOSE_PAGE (self));
  g_return_if_fail (mode >= 0 && mode < RS_N_MODES);
  for (int s = 0; s < RS_N_SKILLS; s++)
    all &= skills[s];
  gtk_switch_set_active (self->full_switch, all);
  for (int s = 0; s < RS_N_SKILLS; s++)
    gtk_check_button_set_active (self->skill_checks[s], skills[s]);
  gtk_check_button_set_active (self->mode_checks[mode], TRUE);
  update (self);
}

void
rs_choose_page_set_self_level (RsChoosePage *self, RsSkill skill, RsLevel level)
{
  g_return_if_fail (RS_IS_CHOOSE_PAGE (self));
  g_return_if_fail (skill >= 0 && skill < RS_N_SKILLS);
  adw_combo_row_set_selected (self->self_rows[skill], level == RS_LEVEL_INVALID ? 0 : (guint) level + 1);
}

/* The guessed level's items, shown as labels that also name their list
 * item: the default factory leaves each a nameless "GtkListItemWidget". */
static void
setup_level_item (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_list_item_set_child (item, label);
}

static void
bind_level_item (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer data)
{
  GtkWidget *label = gtk_list_item_get_child (item);
  GtkWidget *cell = gtk_widget_get_parent (label);

  gtk_label_set_text (GTK_LABEL (label), gtk_string_object_get_string (gtk_list_item_get_item (item)));
  if (cell != NULL)
    gtk_accessible_update_relation (GTK_ACCESSIBLE (cell), GTK_ACCESSIBLE_RELATION_LABELLED_BY, label, NULL, -1);
}

static void
build_rows (RsChoosePage *self)
{
  g_autoptr (GtkStringList) levels = gtk_string_list_new (NULL);
  g_autoptr (GtkListItemFactory) level_factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (level_factory, "setup", G_CALLBACK (setup_level_item), NULL);
  g_signal_connect (level_factory, "bind", G_CALLBACK (bind_level_item), NULL);

  gtk_string_list_append (levels, _("Not sure"));
  for (int l = 0; l < RS_N_LEVELS; l++)
    gtk_string_list_append (levels, rs_level_name ((RsLevel) l));

  for (int s = 0; s < RS_N_SKILLS; s++)
    {
      GtkWidget *check = gtk_check_button_new ();
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *combo = adw_combo_row_new ();
      g_autofree char *check_name = g_strdup_printf ("choose-skill-%s", rs_skill_id ((RsSkill) s));
      g_autofree char *combo_name = g_strdup_printf ("choose-self-%s", rs_skill_id ((RsSkill) s));

      gtk_widget_set_name (check, check_name);
      gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
      gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
      /* Named by the row's title (its activatable widget is labelled by
       * it): a label of its own as well read "Python Python". */
      g_signal_connect_swapped (check, "toggled", G_CALLBACK (on_selection_changed), self);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), rs_skill_title ((RsSkill) s));
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      adw_preferences_group_add (self->skills_group, row);
      self->skill_checks[s] = GTK_CHECK_BUTTON (check);
      self->skill_rows[s] = ADW_ACTION_ROW (row);

      gtk_widget_set_name (combo, combo_name);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (combo), rs_skill_title ((RsSkill) s));
      adw_combo_row_set_factory (ADW_COMBO_ROW (combo), level_factory);
      adw_combo_row_set_model (ADW_COMBO_ROW (combo), G_LIST_MODEL (levels));
      adw_preferences_group_add (self->self_group, combo);
      self->self_rows[s] = ADW_COMBO_ROW (combo);
    }

  for (int m = 0; m < RS_N_MODES; m++)
    {
      /* One of a group: a radio button to assistive technology (GTK 4.8
       * calls every check button a check box). */
      GtkWidget *check = g_object_new (GTK_TYPE_CHECK_BUTTON, "accessible-role", GTK_ACCESSIBLE_ROLE_RADIO, NULL);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *name = g_strdup_printf ("choose-mode-%s", rs_mode_id ((RsMode) m));

      gtk_widget_set_name (check, name);
      gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
      if (m > 0)
        gtk_check_button_set_group (GTK_CHECK_BUTTON (check), self->mode_checks[0]);
      gtk_check_button_set_active (GTK_CHECK_BUTTON (check), m == RS_MODE_STANDARD);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), rs_mode_title ((RsMode) m));
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
      adw_preferences_group_add (self->mode_group, row);
      self->mode_checks[m] = GTK_CHECK_BUTTON (check);
      self->mode_rows[m] = ADW_ACTION_ROW (row);
    }
}

static void
rs_choose_page_dispose (GObject *object)
{
  RsChoosePage *self = RS_CHOOSE_PAGE (object);

  g_clear_pointer (&self->resume_uuid, g_free);
  g_clear_pointer (&self->mode_description, g_free);
  g_clear_handle_id (&self->forecast_idle_id, g_source_remove);
  G_OBJECT_CLASS (rs_choose_page_parent_class)->dispose (object);
}

static void
rs_choose_page_class_init (RsChoosePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rs_choose_page_dispose;

  /* RsChoosePage::started: the context holds a new or resumed assessment. */
  signals[SIGNAL_STARTED] =
    g_signal_new ("started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_install_action (widget_class, "choose.start", NULL, start_action);
  gtk_widget_class_install_action (widget_class, "choose.resume", NULL, resume_action);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/reskill/Reskill/ui/rs-choose-page.ui");
  gtk_widget_class_bind_template_child (widget_class, RsChoosePage, scroller);
  gtk_widget_class_bind_template_child (widget_class, RsChoosePage, who_label);
  gtk_widget_class_bind_template_child (widget_class, RsChoosePage, change_pin_button);
  gtk_widget_class_bind_template_child (widget_class, RsChoosePage, practice_group);
  gtk_widget_class_bind_template_child (widget_class, RsChoosePage, practice_switch);
  gtk_widget_class_bind_template_child (widget_class, RsChoosePage, resume_group);
  gtk_widget_class_bind_template_child (widget_class, RsChoosePage, resume_row);
  gtk_widget_class_bind_template_child (widget_class, RsChoosePage, skills_group);
  gtk_widget_class_bind_template_child (widget_class, RsChoosePage, full_switch);
  gtk_widget_class_bind_template_child (widget_class, RsChoosePage, mode_group);
  gtk_widget_class_bind_template_child (widget_class, RsChoosePage, self_group);
  gtk_widget_class_bind_template_child (widget_class, RsChoosePage, error_label);
  gtk_widget_class_bind_template_child (widget_class, RsChoosePage, start_button);
  gtk_widget_class_bind_template_callback (widget_class, on_selection_changed);
}

static void
rs_choose_page_init (RsChoosePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->mode_description = g_strdup (adw_preferences_group_get_description (self->mode_group));
  for (int m = 0; m < RS_N_MODES; m++)
    self->offered_modes[m] = TRUE;
  for (int s = 0; s < RS_N_SKILLS; s++)
    self->offered_skills[s] = TRUE;
  build_rows (self);
  update (self);
}

GtkWidget *
rs_choose_page_new (void)
{
  return g_object_new (RS_TYPE_CHOOSE_PAGE, NULL);
}
