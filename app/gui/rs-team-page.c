/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Everything shown here is an RsTeamReport from the core, which asks
 * rs-access first: the page cannot show a team the person may not see, and
 * the team list is rs_access_visible_teams, so it does not offer one either.
 * The charts are the report library's, the same as in the PDF. */
#include "rs-team-page.h"

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
  g_autofree char *a11y = g_strdup_printf ("Open %s’s results", member->name);
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
  role = gtk_label_new (member->best != NULL ? member->best->role->name : "—");
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
  gtk_grid_attach (self->map_header, header_label ("Member"), 0, 0, 2, 1);
  for (int s = 0; s < RS_N_SKILLS; s++)
    {
      GtkWidget *label = header_label (rs_skill_title ((RsSkill) s));

      gtk_label_set_xalign (GTK_LABEL (label), 0.5);
      gtk_label_set_justify (GTK_LABEL (label), GTK_JUSTIFY_CENTER);
      gtk_grid_attach (self->map_header, label, 2 + s, 0, 1, 1);
    }
  gtk_grid_attach (self->map_header, header_label ("Best fit"), 2 + RS_N_SKILLS, 0, 2, 1);
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
      GtkWidget *chart = rs_report_chart_new_distribution (rs_skill_title ((RsSkill) s),
                                                           &self->report->distribution[s]);
      GtkWidget *card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
      g_autofree char *name = g_strdup_printf ("team-distribution-%s", rs_skill_id ((RsSkill) s));

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

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), "No roles are defined, so there is no role advice.");
      adw_preferences_group_add (self->readiness_group, row);
      g_ptr_array_add (self->readiness_rows, row);
      return;
    }
  for (guint r = 0; r < report->readiness->len; r++)
    {
      const RsRoleReadiness *readiness = &g_array_index (report->readiness, RsRoleReadiness, r);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *title = g_strdup_printf ("%s: %u of %u ready", readiness->role->name, readiness->n_ready,
                                                report->members->len);
      g_autoptr (GString) subtitle = g_string_new (NULL);
      g_autofree char *name = g_strdup_printf ("team-role-%s", readiness->role->id);

      if (readiness->closest >= 0)
        {
          const RsReportMember *member = g_ptr_array_index (report->members, readiness->closest);

          g_string_append_printf (subtitle, "Closest: %s", member->name);
          for (guint i = 0; readiness->closest_steps != NULL && i < readiness->closest_steps->len; i++)
            {
              g_autofree char *step = rs_step_describe (&g_array_index (readiness->closest_steps, RsStep, i));
              g_string_append_printf (subtitle, "%s%s", i == 0 ? ": " : ", ", step);
            }
        }
      else if (report->members->len == 0)
        g_string_append (subtitle, "Nobody to assess yet.");
      else
        g_string_append (subtitle, "Everyone measured meets it.");

      gtk_widget_set_name (row, name);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
      adw_preferences_group_add (self->readiness_group, row);
      g_ptr_array_add (self->readiness_rows, row);
    }
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
  g_autofree char *subtitle = NULL;
  guint n_measured = 0;

  for (guint m = 0; m < report->members->len; m++)
    {
      const RsReportMember *member = g_ptr_array_index (report->members, m);
      for (int s = 0; s < RS_N_SKILLS; s++)
        if (member->latest[s].measured)
          {
            n_measured++;
            break;
          }
    }
  subtitle = g_strdup_printf ("%u member%s, %u with results · as of %s", report->members->len,
                              report->members->len == 1 ? "" : "s", n_measured, date);
  gtk_label_set_text (self->title_label, report->team_name);
  gtk_label_set_text (self->subtitle_label, subtitle);
  build_map (self);
  build_distributions (self);
  build_readiness (self);
  build_progress (self);
  /* A team with nobody in it has a map that says so, and no empty charts. */
  gtk_widget_set_visible (self->distribution_section, report->members->len > 0);
  gtk_widget_set_visible (self->readiness_section, report->members->len > 0);
  gtk_widget_set_visible (self->progress_section, report->members->len > 0);
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
    rs_page_error (RS_PAGE (self), "The Team Report Cannot Be Shown", error->message);
}

static void
rs_team_page_clear (RsPage *page)
{
  RsTeamPage *self = RS_TEAM_PAGE (page);

  g_clear_pointer (&self->report, rs_team_report_free);
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
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "No team report is shown");
      return FALSE;
    }
  if (format == RS_TEAM_EXPORT_PDF)
    {
      g_autofree char *org = rs_settings_dup_organization ();
      ok = rs_team_report_write_pdf (self->report, org, path, error);
    }
  else
    ok = rs_team_report_write_csv (self->report, path, error);
  if (!ok)
    return FALSE;
  basename = g_path_get_basename (path);
  toast = g_strdup_printf ("Saved %s", basename);
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
    rs_page_error (RS_PAGE (from), "The Report Was Not Saved", error->message);
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
  rs_dialog_choose_save (widget, pdf ? "Export the Team Report as PDF" : "Export the Team Report as CSV", name,
                         "_Save", on_export_chosen, GINT_TO_POINTER (pdf ? RS_TEAM_EXPORT_PDF : RS_TEAM_EXPORT_CSV));
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
  G_OBJECT_CLASS (rs_team_page_parent_class)->dispose (object);
}

static void
rs_team_page_finalize (GObject *object)
{
  RsTeamPage *self = RS_TEAM_PAGE (object);

  g_array_unref (self->team_ids);
  g_ptr_array_unref (self->readiness_rows);
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
  gtk_widget_class_bind_template_callback (widget_class, on_team_selected);
}

static void
rs_team_page_init (RsTeamPage *self)
{
  self->team_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->readiness_rows = g_ptr_array_new ();
  self->map_widgets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->members = rs_array_model_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  build_map_header (self);
  {
    GtkWidget *empty = gtk_label_new ("This team has no members yet. Add people to it under Administration, or "
                                      "import a people file.");

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
