/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Everything shown here is an RsTeamReport from the core, which asks
 * rs-access first: the page cannot show a team the person may not see, and
 * the team list is rs_access_visible_teams, so it does not offer one either.
 * The charts are the report library's, the same as in the PDF. */
#include "rs-team-page.h"

#include <glib/gi18n-lib.h>

#include "rs-access.h"
#include "rs-array-model.h"
#include "rs-dialogs.h"
#include "rs-report-chart.h"
#include "rs-report-pdf.h"
#include "rs-settings.h"

struct _RsTeamPage
{
  RsPage parent_instance;

  GArray *team_ids;                /* gint64, in the combo's order */
  RsTeamReport *report;
  gboolean filling;

  GtkStack *stack;
  GtkScrolledWindow *scroller;
  GtkLabel *title_label;
  GtkLabel *subtitle_label;
  AdwPreferencesGroup *team_group;
  AdwComboRow *team_row;
  GtkGrid *map_header;
  GtkListBox *map_list;
  RsArrayModel *members;           /* RsReportMember, the map's rows */
  GtkBox *legend_box;
  GtkFlowBox *distribution_box;
  AdwPreferencesGroup *readiness_group;
  GtkBox *progress_box;
  GtkWidget *distribution_section;
  GtkWidget *readiness_section;
  GtkWidget *progress_section;
  GPtrArray *readiness_rows;
  GtkWidget *training_section;
  AdwPreferencesGroup *training_group;
  AdwComboRow *training_role_row;
  GPtrArray *training_rows;
  RsTrainingNeeds *needs;          /* for the report's team; NULL when it could not be made */
  GtkWidget *map_empty;            /* the map's placeholder */
  /* "EMPLOYEE_NO" → member button, "EMPLOYEE_NO/skill" → map cell. Not
   * widget names: GTK interns those as quarks, forever, and a kiosk may
   * show thousands of employee numbers over its life. */
  GHashTable *map_widgets;
};

G_DEFINE_FINAL_TYPE (RsTeamPage, rs_team_page, RS_TYPE_PAGE)

enum {
  SIGNAL_OPEN_MEMBER,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
remove_children (GtkWidget *parent)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (parent)) != NULL)
    {
      if (GTK_IS_FLOW_BOX (parent))
        gtk_flow_box_remove (GTK_FLOW_BOX (parent), child);
      else if (GTK_IS_GRID (parent))
        gtk_grid_remove (GTK_GRID (parent), child);
      else
        gtk_box_remove (GTK_BOX (parent), child);
    }
}

/* One member's row of the map, made by the list box from the members
 * model. The grid's columns are homogeneous, as the header's are, so
 * every row lines up with it: the name and the best fit take two each. */
static GtkWidget *
member_row (gpointer item, gpointer data)
{
  RsTeamPage *self = data;
  const RsReportMember *member = rs_array_item_get (item);
  /* Translators: %s is a person's name. */
  g_autofree char *a11y = g_strdup_printf (_("Open %s’s results"), member->name);
  g_autofree char *best = NULL;
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *grid = gtk_grid_new ();
  GtkWidget *button = gtk_button_new ();
  GtkWidget *name_label = gtk_label_new (member->name);
  GtkWidget *role;

  gtk_grid_set_column_spacing (GTK_GRID (grid), 4);
  gtk_grid_set_column_homogeneous (GTK_GRID (grid), TRUE);
  gtk_label_set_xalign (GTK_LABEL (name_label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name_label), PANGO_ELLIPSIZE_END);
  gtk_button_set_child (GTK_BUTTON (button), name_label);
  g_hash_table_insert (self->map_widgets, g_strdup (member->employee_no), button);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_size_request (button, -1, 48);
  gtk_widget_set_tooltip_text (button, a11y);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "team.open-member");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "x", member->person_id);
  gtk_grid_attach (GTK_GRID (grid), button, 0, 0, 2, 1);

  for (int s = 0; s < RS_N_SKILLS; s++)
    {
      GtkWidget *cell = rs_report_chart_new_cell (rs_skill_title ((RsSkill) s), &member->latest[s]);

      g_hash_table_insert (self->map_widgets,
                           g_strdup_printf ("%s/%s", member->employee_no, rs_skill_id ((RsSkill) s)), cell);
      gtk_widget_set_hexpand (cell, TRUE);
      gtk_grid_attach (GTK_GRID (grid), cell, 2 + s, 0, 1, 1);
    }
  /* The best fit says whether it is met, as the PDF and the member's page
   * do: a best fit that is not met yet is a direction, not a readiness. */
  if (member->best == NULL)
    best = g_strdup ("—");
  else if (member->best->met)
    best = g_strdup (member->best->role->name);
  else
    /* Translators: the best-fitting role of a member who does not meet it. */
    best = g_strdup_printf (_("%s (not yet met)"), member->best->role->name);
  role = gtk_label_new (best);
  gtk_label_set_wrap (GTK_LABEL (role), TRUE);
  gtk_label_set_xalign (GTK_LABEL (role), 0);
  gtk_widget_set_margin_start (role, 6);
  gtk_grid_attach (GTK_GRID (grid), role, 2 + RS_N_SKILLS, 0, 2, 1);

  /* A row of the map is read, not picked: its button is the control. */
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), grid);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_set_focusable (row, FALSE);
  return row;
}

static GtkWidget *
header_label (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "heading");
  return label;
}

/* The header row, once: the skills do not change. */
static void
build_map_header (RsTeamPage *self)
{
  gtk_grid_attach (self->map_header, header_label (_("Member")), 0, 0, 2, 1);
  for (int s = 0; s < RS_N_SKILLS; s++)
    {
      GtkWidget *label = header_label (rs_skill_title ((RsSkill) s));

      gtk_label_set_xalign (GTK_LABEL (label), 0.5);
      gtk_label_set_justify (GTK_LABEL (label), GTK_JUSTIFY_CENTER);
      gtk_grid_attach (self->map_header, label, 2 + s, 0, 1, 1);
    }
  gtk_grid_attach (self->map_header, header_label (_("Best fit")), 2 + RS_N_SKILLS, 0, 2, 1);
}

static void
build_map (RsTeamPage *self)
{
  /* The rows register their widgets as the list box makes them. */
  g_hash_table_remove_all (self->map_widgets);
  rs_array_model_set_array (self->members, self->report->members);
  remove_children (GTK_WIDGET (self->legend_box));
  if (self->report->members->len > 0)
    gtk_box_append (self->legend_box, rs_report_chart_new_legend ());
}

static void
build_distributions (RsTeamPage *self)
{
  remove_children (GTK_WIDGET (self->distribution_box));
  for (int s = 0; s < RS_N_SKILLS; s++)
    {
      GtkWidget *chart;
      GtkWidget *card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
      g_autofree char *name = g_strdup_printf ("team-distribution-%s", rs_skill_id ((RsSkill) s));

      if (self->report->too_few[s])
        {
          /* The policy hides a small group's figures: say so, rather than
           * draw a chart of zeros. */
          g_autofree char *text = g_strdup_printf (_("%s: too few to show"), rs_skill_title ((RsSkill) s));

          chart = gtk_label_new (text);
          gtk_label_set_wrap (GTK_LABEL (chart), TRUE);
          gtk_widget_add_css_class (chart, "dim-label");
          gtk_widget_set_margin_top (chart, 24);
          gtk_widget_set_margin_bottom (chart, 24);
        }
      else
        chart = rs_report_chart_new_distribution (rs_skill_title ((RsSkill) s), &self->report->distribution[s]);

      gtk_widget_set_name (chart, name);
      gtk_widget_set_hexpand (chart, TRUE);
      gtk_widget_add_css_class (card, "card");
      gtk_widget_add_css_class (card, "chart-card");
      gtk_box_append (GTK_BOX (card), chart);
      gtk_flow_box_append (self->distribution_box, card);
      /* The flow box's children take focus; a chart is not a control. */
      gtk_widget_set_focusable (gtk_widget_get_parent (card), FALSE);
    }
}

static void
build_readiness (RsTeamPage *self)
{
  const RsTeamReport *report = self->report;

  for (guint i = 0; i < self->readiness_rows->len; i++)
    adw_preferences_group_remove (self->readiness_group, g_ptr_array_index (self->readiness_rows, i));
  g_ptr_array_set_size (self->readiness_rows, 0);

  if (report->readiness->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("No roles are defined, so there is no role advice."));
      adw_preferences_group_add (self->readiness_group, row);
      g_ptr_array_add (self->readiness_rows, row);
      return;
    }
  for (guint r = 0; r < report->readiness->len; r++)
    {
      const RsRoleReadiness *readiness = &g_array_index (report->readiness, RsRoleReadiness, r);
      GtkWidget *row = adw_action_row_new ();
      /* Translators: a role, how many members meet it, of how many. */
      g_autofree char *title = report->readiness_too_few
                                 ? g_strdup_printf (_("%s: too few to show"), readiness->role->name)
                                 : g_strdup_printf (_("%s: %u of %u ready"), readiness->role->name, readiness->n_ready,
                                                    report->n_members);
      g_autoptr (GString) subtitle = g_string_new (NULL);
      g_autofree char *name = g_strdup_printf ("team-role-%s", readiness->role->id);

      if (readiness->closest >= 0)
        {
          const RsReportMember *member = g_ptr_array_index (report->members, readiness->closest);

          g_string_append_printf (subtitle, _("Closest: %s"), member->name);
          for (guint i = 0; readiness->closest_steps != NULL && i < readiness->closest_steps->len; i++)
            {
              g_autofree char *step = rs_step_describe (&g_array_index (readiness->closest_steps, RsStep, i));
              g_string_append_printf (subtitle, "%s%s", i == 0 ? ": " : ", ", step);
            }
        }
      else if (report->n_members == 0)
        g_string_append (subtitle, _("Nobody to assess yet."));
      else if (report->readiness_too_few)
        g_string_append_printf (subtitle,
                                g_dngettext (GETTEXT_PACKAGE,
                                             "The privacy policy shows figures about at least %u person.",
                                             "The privacy policy shows figures about at least %u people.",
                                             report->min_group),
                                report->min_group);
      else if (!report->names_shown)
        g_string_append (subtitle, _("The privacy policy for this team shows no names."));
      else if (readiness->n_ready == report->n_measured_members)
        g_string_append (subtitle, _("Everyone measured meets it."));

      gtk_widget_set_name (row, name);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
      adw_preferences_group_add (self->readiness_group, row);
      g_ptr_array_add (self->readiness_rows, row);
    }
}

/* The role the training needs are for: "" for the one the team is heading
 * to (combo item 0), else a role's id. */
static const char *
training_role_id (RsTeamPage *self)
{
  guint selected = adw_combo_row_get_selected (self->training_role_row);
  const RsRoleSet *roles = rs_context_get_roles (rs_page_get_context (RS_PAGE (self)));

  if (roles == NULL || selected == 0 || selected == GTK_INVALID_LIST_POSITION
      || selected > rs_role_set_n_roles (roles))
    return "";
  return rs_role_set_role (roles, selected - 1)->id;
}

static void
fill_training_roles (RsTeamPage *self)
{
  const RsRoleSet *roles = rs_context_get_roles (rs_page_get_context (RS_PAGE (self)));
  g_autoptr (GtkStringList) names = gtk_string_list_new (NULL);
  guint n_roles = roles != NULL ? rs_role_set_n_roles (roles) : 0;

  GListModel *model = adw_combo_row_get_model (self->training_role_row);

  /* Once: the roles do not change while the window is open, and refilling
   * would lose the manager's choice. */
  if (model != NULL && g_list_model_get_n_items (model) == n_roles + 1)
    return;
  /* Translators: the role most members fit best; keep it short. */
  gtk_string_list_append (names, _("Team’s heading"));
  for (guint r = 0; r < n_roles; r++)
    gtk_string_list_append (names, rs_role_set_role (roles, r)->name);
  self->filling = TRUE;
  adw_combo_row_set_model (self->training_role_row, G_LIST_MODEL (names));
  adw_combo_row_set_selected (self->training_role_row, 0);
  self->filling = FALSE;
}

static GtkWidget *
training_row (const RsTrainingNeed *need)
{
  GtkWidget *row = adw_expander_row_new ();
  /* Translators: a skill, then one of its subtopics. */
  g_autofree char *title = g_strdup_printf (_("%s: %s"), rs_skill_title (need->skill), need->title);
  g_autofree char *count = rs_training_need_describe_count (need);
  g_autofree char *subtitle = NULL;
  g_autofree char *name = g_strdup_printf ("team-need-%s-%s", rs_skill_id (need->skill), need->subtopic);

  if (need->too_few || need->n_assessed == 0)
    subtitle = need->focus ? g_strdup_printf (_("%s · the role rests on it"), count) : g_strdup (count);
  else
    /* Translators: "2 of 3 members lack it"; the count is made by rs_training_need_describe_count. */
    subtitle = need->focus ? g_strdup_printf (_("%s lack it · the role rests on it"), count)
                           : g_strdup_printf (_("%s lack it"), count);
  gtk_widget_set_name (row, name);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), subtitle);
  for (guint i = 0; need->steps != NULL && i < need->steps->len; i++)
    {
      const RsLearningStep *step = g_ptr_array_index (need->steps, i);
      GtkWidget *child = adw_action_row_new ();
      g_autoptr (GString) detail = g_string_new (step->source);

      if (step->detail != NULL)
        g_string_append_printf (detail, "%s%s", detail->len > 0 ? "\n" : "", step->detail);
      if (step->minutes > 0)
        {
          if (detail->len > 0)
            g_string_append_c (detail, '\n');
          /* Translators: a learning step's rough time. */
          g_string_append_printf (detail, g_dngettext (GETTEXT_PACKAGE, "About %d minute", "About %d minutes",
                                                       step->minutes),
                                  step->minutes);
        }
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (child), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (child), step->title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (child), detail->str);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (child), 0);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (row), child);
    }
  if (need->steps == NULL)
    adw_expander_row_set_enable_expansion (ADW_EXPANDER_ROW (row), FALSE);
  return row;
}

static void
add_training_note (RsTeamPage *self, const char *text)
{
  GtkWidget *row = adw_action_row_new ();

  gtk_widget_set_name (row, "team-training-note");
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), text);
  adw_preferences_group_add (self->training_group, row);
  g_ptr_array_add (self->training_rows, row);
}

static void
build_training (RsTeamPage *self)
{
  RsContext *context = rs_page_get_context (RS_PAGE (self));
  const RsBank *bank = rs_context_get_bank (context);
  g_autoptr (GError) error = NULL;

  for (guint i = 0; i < self->training_rows->len; i++)
    adw_preferences_group_remove (self->training_group, g_ptr_array_index (self->training_rows, i));
  g_ptr_array_set_size (self->training_rows, 0);
  g_clear_pointer (&self->needs, rs_training_needs_free);
  if (bank == NULL || rs_context_get_roles (context) == NULL)
    {
      add_training_note (self, _("Training needs need the question bank and the roles, which are not loaded."));
      return;
    }
  fill_training_roles (self);
  self->needs = rs_training_needs_new (rs_page_get_store (RS_PAGE (self)), rs_context_get_roles (context), bank,
                                       rs_context_get_learning (context), rs_page_get_person (RS_PAGE (self)),
                                       self->report->team_id, training_role_id (self), &error);
  if (self->needs == NULL)
    {
      add_training_note (self, error->message);
      return;
    }
  if (self->needs->role == NULL)
    add_training_note (self, self->needs->role_too_few
                               ? _("Too few members have results to tell which role the team is heading to. "
                                   "Choose a role above.")
                               : _("No member has a result yet."));
  else if (self->needs->needs->len == 0)
    add_training_note (self, _("No member lacks any subtopic of this role."));
  else
    {
      if (!self->needs->role_chosen)
        {
          g_autofree char *heading = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                                   "Heading to %s: the best fit of %u member.",
                                                                   "Heading to %s: the best fit of %u members.",
                                                                   self->needs->n_heading),
                                                      self->needs->role->name, self->needs->n_heading);
          add_training_note (self, heading);
        }
      for (guint i = 0; i < self->needs->needs->len; i++)
        {
          GtkWidget *row = training_row (g_ptr_array_index (self->needs->needs, i));

          adw_preferences_group_add (self->training_group, row);
          g_ptr_array_add (self->training_rows, row);
        }
    }
}

static void
on_training_role_selected (RsTeamPage *self)
{
  if (self->filling || self->report == NULL)
    return;
  build_training (self);
}

static void
build_progress (RsTeamPage *self)
{
  GtkWidget *chart = rs_report_chart_new_progress (self->report->progress);

  remove_children (GTK_WIDGET (self->progress_box));
  gtk_widget_set_name (chart, "team-progress");
  gtk_widget_set_hexpand (chart, TRUE);
  gtk_box_append (self->progress_box, chart);
}

static void
show_report (RsTeamPage *self)
{
  const RsTeamReport *report = self->report;
  g_autofree char *date = rs_report_format_date (report->generated_at);
  g_autofree char *members = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u member", "%u members",
                                                           report->n_members),
                                              report->n_members);
  /* Translators: "12 members", how many have results, and a date. */
  g_autofree char *subtitle = g_strdup_printf (_("%s, %u with results · as of %s"), members,
                                               report->n_measured_members, date);
  gboolean any = report->n_members > 0;
  gtk_label_set_text (self->title_label, report->team_name);
  gtk_label_set_text (self->subtitle_label, subtitle);
  build_map (self);
  build_distributions (self);
  build_readiness (self);
  build_progress (self);
  build_training (self);
  /* Under the aggregates policy the map names nobody: its placeholder says
   * why, so that nobody takes it for an empty team. */
  if (!report->names_shown && any)
    {
      g_autofree char *why = g_strdup_printf (_("The privacy policy for this team shows team figures only: no names "
                                                "and no one’s own results. Figures about fewer than %u people are "
                                                "shown as “too few to show”."), report->min_group);
      gtk_label_set_text (GTK_LABEL (self->map_empty), why);
    }
  else
    gtk_label_set_text (GTK_LABEL (self->map_empty),
                        _("This team has no members yet. Add people to it under Administration, or import a people "
                          "file."));
  /* A team with nobody in it has a map that says so, and no empty charts. */
  gtk_widget_set_visible (self->distribution_section, any);
  gtk_widget_set_visible (self->readiness_section, any);
  gtk_widget_set_visible (self->progress_section, any);
  gtk_widget_set_visible (self->training_section, any);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "team.export-pdf", TRUE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "team.export-csv", TRUE);
  gtk_stack_set_visible_child_name (self->stack, "report");
}

gboolean
rs_team_page_select_team (RsTeamPage *self, gint64 team_id, GError **error)
{
  RsTeamReport *report;

  g_return_val_if_fail (RS_IS_TEAM_PAGE (self), FALSE);
  g_return_val_if_fail (rs_page_get_context (RS_PAGE (self)) != NULL, FALSE);

  report = rs_team_report_new (rs_page_get_store (RS_PAGE (self)), rs_context_get_roles (rs_page_get_context (RS_PAGE (self))),
                               rs_page_get_person (RS_PAGE (self)), team_id, error);
  if (report == NULL)
    return FALSE;
  g_clear_pointer (&self->report, rs_team_report_free);
  self->report = report;
  for (guint i = 0; i < self->team_ids->len; i++)
    if (g_array_index (self->team_ids, gint64, i) == team_id && adw_combo_row_get_selected (self->team_row) != i)
      {
        self->filling = TRUE;
        adw_combo_row_set_selected (self->team_row, i);
        self->filling = FALSE;
      }
  show_report (self);
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scroller), 0);
  return TRUE;
}

static void
on_team_selected (RsTeamPage *self)
{
  guint selected = adw_combo_row_get_selected (self->team_row);
  g_autoptr (GError) error = NULL;

  if (self->filling || selected >= self->team_ids->len)
    return;
  if (!rs_team_page_select_team (self, g_array_index (self->team_ids, gint64, selected), &error))
    rs_page_error (RS_PAGE (self), _("The Team Report Cannot Be Shown"), error->message);
}

static void
rs_team_page_clear (RsPage *page)
{
  RsTeamPage *self = RS_TEAM_PAGE (page);

  g_clear_pointer (&self->report, rs_team_report_free);
  g_clear_pointer (&self->needs, rs_training_needs_free);
  for (guint i = 0; i < self->training_rows->len; i++)
    adw_preferences_group_remove (self->training_group, g_ptr_array_index (self->training_rows, i));
  g_ptr_array_set_size (self->training_rows, 0);
  g_array_set_size (self->team_ids, 0);
  g_hash_table_remove_all (self->map_widgets);
  rs_array_model_set_array (self->members, NULL);
  remove_children (GTK_WIDGET (self->distribution_box));
  remove_children (GTK_WIDGET (self->progress_box));
  remove_children (GTK_WIDGET (self->legend_box));
  gtk_label_set_text (self->title_label, "");
  gtk_label_set_text (self->subtitle_label, "");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "team.export-pdf", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "team.export-csv", FALSE);
  gtk_stack_set_visible_child_name (self->stack, "empty");
}

gboolean
rs_team_page_refresh (RsTeamPage *self, GError **error)
{
  const RsPerson *person;
  RsStore *store;
  g_autoptr (GArray) visible = NULL;
  g_autoptr (GPtrArray) teams = NULL;
  g_autoptr (GtkStringList) names = NULL;
  gint64 previous = self->report != NULL ? self->report->team_id : 0;
  gint64 chosen = 0;

  g_return_val_if_fail (RS_IS_TEAM_PAGE (self), FALSE);
  g_return_val_if_fail (rs_page_get_context (RS_PAGE (self)) != NULL, FALSE);

  person = rs_page_get_person (RS_PAGE (self));
  store = rs_page_get_store (RS_PAGE (self));
  rs_page_clear (RS_PAGE (self));
  visible = rs_access_visible_teams (store, person, error);
  if (visible == NULL)
    return FALSE;

  /* Names, in the order the core lists them (by name). The overview is
   * access-checked too and gives names for exactly the visible teams. */
  {
    g_autoptr (RsCompanyOverview) overview = NULL;

    names = gtk_string_list_new (NULL);
    if (visible->len > 0)
      {
        overview = rs_company_overview_new (store, rs_context_get_roles (rs_page_get_context (RS_PAGE (self))), person, error);
        if (overview == NULL)
          return FALSE;
        for (guint t = 0; t < overview->teams->len; t++)
          {
            const RsTeamSummary *summary = g_ptr_array_index (overview->teams, t);
            g_autofree char *label = g_strdup_printf ("%s (%u)", summary->team_name, summary->n_members);

            g_array_append_val (self->team_ids, summary->team_id);
            gtk_string_list_append (names, label);
          }
      }
  }
  self->filling = TRUE;
  adw_combo_row_set_model (self->team_row, G_LIST_MODEL (names));
  self->filling = FALSE;
  gtk_widget_set_visible (GTK_WIDGET (self->team_group), self->team_ids->len > 1);

  if (self->team_ids->len == 0)
    return TRUE;
  for (guint i = 0; i < self->team_ids->len; i++)
    {
      gint64 id = g_array_index (self->team_ids, gint64, i);
      if (id == previous)
        chosen = id;
      else if (chosen == 0 && person != NULL && id == person->team_id)
        chosen = id;
    }
  if (chosen == 0)
    chosen = g_array_index (self->team_ids, gint64, 0);
  return rs_team_page_select_team (self, chosen, error);
}

const RsTeamReport *
rs_team_page_get_report (RsTeamPage *self)
{
  g_return_val_if_fail (RS_IS_TEAM_PAGE (self), NULL);
  return self->report;
}

GtkWidget *
rs_team_page_get_member_button (RsTeamPage *self, const char *employee_no)
{
  g_return_val_if_fail (RS_IS_TEAM_PAGE (self), NULL);
  return g_hash_table_lookup (self->map_widgets, employee_no);
}

GtkWidget *
rs_team_page_get_cell (RsTeamPage *self, const char *employee_no, RsSkill skill)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (RS_IS_TEAM_PAGE (self), NULL);
  key = g_strdup_printf ("%s/%s", employee_no, rs_skill_id (skill));
  return g_hash_table_lookup (self->map_widgets, key);
}

guint
rs_team_page_get_n_teams (RsTeamPage *self)
{
  g_return_val_if_fail (RS_IS_TEAM_PAGE (self), 0);
  return self->team_ids->len;
}

gboolean
rs_team_page_export (RsTeamPage *self, RsTeamExport format, const char *path, GError **error)
{
  g_autofree char *basename = NULL;
  g_autofree char *toast = NULL;
  gboolean ok;

  g_return_val_if_fail (RS_IS_TEAM_PAGE (self), FALSE);
  if (self->report == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("No team report is shown"));
      return FALSE;
    }
  if (format == RS_TEAM_EXPORT_PDF)
    {
      g_autofree char *org = rs_settings_dup_organization ();
      ok = rs_team_report_write_pdf_full (self->report, self->needs, org, path, error);
    }
  else
    ok = rs_team_report_write_csv_full (self->report, self->needs, path, error);
  if (!ok)
    return FALSE;
  /* A file with names on it left the screen: the members can see who
   * exported their results (who looked, docs/PRIVACY.md). */
  {
    g_autoptr (GError) record_error = NULL;

    if (!rs_team_report_record_export (rs_page_get_store (RS_PAGE (self)), rs_page_get_person (RS_PAGE (self)),
                                       self->report,
                                       format == RS_TEAM_EXPORT_PDF ? RS_VIEW_TEAM_PDF : RS_VIEW_TEAM_CSV,
                                       &record_error))
      g_warning ("The export was not recorded as a view: %s", record_error->message);
  }
  basename = g_path_get_basename (path);
  /* Translators: %s is a file name. */
  toast = g_strdup_printf (_("Saved %s"), basename);
  rs_page_toast (RS_PAGE (self), toast);
  return TRUE;
}

static void
on_export_chosen (GtkWidget *from, GSList *paths, gpointer user_data)
{
  RsTeamPage *self = RS_TEAM_PAGE (from);
  g_autoptr (GError) error = NULL;

  if (paths == NULL)
    return;
  if (!rs_team_page_export (self, (RsTeamExport) GPOINTER_TO_INT (user_data), paths->data, &error))
    rs_page_error (RS_PAGE (from), _("The Report Was Not Saved"), error->message);
}

static char *
suggested_name (RsTeamPage *self, const char *extension)
{
  g_autofree char *date = rs_report_format_date (self->report->generated_at);
  g_autofree char *team = g_strdup (self->report->team_name);

  g_strdelimit (team, "/\\:*?\"<>| ", '-');
  return g_strdup_printf ("team-%s-%s.%s", team, date, extension);
}

static void
export_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  RsTeamPage *self = RS_TEAM_PAGE (widget);
  gboolean pdf = g_str_equal (action_name, "team.export-pdf");
  g_autofree char *name = NULL;

  if (self->report == NULL)
    return;
  name = suggested_name (self, pdf ? "pdf" : "csv");
  rs_dialog_choose_save (widget, pdf ? _("Export the Team Report as PDF") : _("Export the Team Report as CSV"), name,
                         _("_Save"), on_export_chosen, GINT_TO_POINTER (pdf ? RS_TEAM_EXPORT_PDF : RS_TEAM_EXPORT_CSV));
}

static void
open_member_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  g_signal_emit (widget, signals[SIGNAL_OPEN_MEMBER], 0, g_variant_get_int64 (parameter));
}

static void
rs_team_page_dispose (GObject *object)
{
  RsTeamPage *self = RS_TEAM_PAGE (object);

  /* The rows go first, then what they showed. */
  if (self->map_list != NULL)
    gtk_list_box_bind_model (self->map_list, NULL, NULL, NULL, NULL);
  g_hash_table_remove_all (self->map_widgets);
  g_clear_object (&self->members);
  g_clear_pointer (&self->report, rs_team_report_free);
  g_clear_pointer (&self->needs, rs_training_needs_free);
  G_OBJECT_CLASS (rs_team_page_parent_class)->dispose (object);
}

static void
rs_team_page_finalize (GObject *object)
{
  RsTeamPage *self = RS_TEAM_PAGE (object);

  g_array_unref (self->team_ids);
  g_ptr_array_unref (self->readiness_rows);
  g_ptr_array_unref (self->training_rows);
  g_hash_table_unref (self->map_widgets);
  G_OBJECT_CLASS (rs_team_page_parent_class)->finalize (object);
}

static void
rs_team_page_class_init (RsTeamPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  RsPageClass *page_class = RS_PAGE_CLASS (klass);

  page_class->clear = rs_team_page_clear;

  object_class->dispose = rs_team_page_dispose;
  object_class->finalize = rs_team_page_finalize;

  /* RsTeamPage::open-member: show this member's results (person id). */
  signals[SIGNAL_OPEN_MEMBER] =
    g_signal_new ("open-member", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
  gtk_widget_class_install_action (widget_class, "team.export-pdf", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "team.export-csv", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "team.open-member", "x", open_member_action);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/reskill/Reskill/ui/rs-team-page.ui");
  gtk_widget_class_bind_template_child (widget_class, RsTeamPage, stack);
  gtk_widget_class_bind_template_child (widget_class, RsTeamPage, scroller);
  gtk_widget_class_bind_template_child (widget_class, RsTeamPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, RsTeamPage, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, RsTeamPage, team_group);
  gtk_widget_class_bind_template_child (widget_class, RsTeamPage, team_row);
  gtk_widget_class_bind_template_child (widget_class, RsTeamPage, map_header);
  gtk_widget_class_bind_template_child (widget_class, RsTeamPage, map_list);
  gtk_widget_class_bind_template_child (widget_class, RsTeamPage, legend_box);
  gtk_widget_class_bind_template_child (widget_class, RsTeamPage, distribution_box);
  gtk_widget_class_bind_template_child (widget_class, RsTeamPage, readiness_group);
  gtk_widget_class_bind_template_child (widget_class, RsTeamPage, progress_box);
  gtk_widget_class_bind_template_child (widget_class, RsTeamPage, distribution_section);
  gtk_widget_class_bind_template_child (widget_class, RsTeamPage, readiness_section);
  gtk_widget_class_bind_template_child (widget_class, RsTeamPage, progress_section);
  gtk_widget_class_bind_template_child (widget_class, RsTeamPage, training_section);
  gtk_widget_class_bind_template_child (widget_class, RsTeamPage, training_group);
  gtk_widget_class_bind_template_child (widget_class, RsTeamPage, training_role_row);
  gtk_widget_class_bind_template_callback (widget_class, on_team_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_training_role_selected);
}

static void
rs_team_page_init (RsTeamPage *self)
{
  self->team_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->readiness_rows = g_ptr_array_new ();
  self->training_rows = g_ptr_array_new ();
  self->map_widgets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->members = rs_array_model_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  build_map_header (self);
  {
    GtkWidget *empty = gtk_label_new (_("This team has no members yet. Add people to it under Administration, or "
                                        "import a people file."));

    self->map_empty = empty;
    gtk_widget_set_name (empty, "team-map-empty");
    gtk_label_set_wrap (GTK_LABEL (empty), TRUE);
    gtk_label_set_xalign (GTK_LABEL (empty), 0);
    gtk_widget_add_css_class (empty, "dim-label");
    gtk_list_box_set_placeholder (self->map_list, empty);
  }
  gtk_list_box_bind_model (self->map_list, G_LIST_MODEL (self->members), member_row, self, NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "team.export-pdf", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "team.export-csv", FALSE);
}
