/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The data is the core's RsMemberReport, access-checked there; this page
 * only words it, with the same score and band phrases as the team map. */
#include "rs-member-page.h"

#include <glib/gi18n-lib.h>

#include "rs-score-chart.h"

struct _RsMemberPage
{
  RsPage parent_instance;

  RsMemberReport *report;
  GPtrArray *rows;                 /* (row, group) pairs to remove */

  GtkScrolledWindow *scroller;
  GtkLabel *title_label;
  GtkLabel *subtitle_label;
  RsScoreChart *chart;
  AdwPreferencesGroup *latest_group;
  AdwPreferencesGroup *history_group;
  AdwPreferencesGroup *role_group;
};

G_DEFINE_FINAL_TYPE (RsMemberPage, rs_member_page, RS_TYPE_PAGE)

static void
add_row (RsMemberPage *self, AdwPreferencesGroup *group, const char *name, const char *title, const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  if (name != NULL)
    gtk_widget_set_name (row, name);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    {
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
    }
  adw_preferences_group_add (group, row);
  g_ptr_array_add (self->rows, row);
  g_ptr_array_add (self->rows, group);
}

static void
rs_member_page_clear (RsPage *page)
{
  RsMemberPage *self = RS_MEMBER_PAGE (page);

  for (guint i = 0; i + 1 < self->rows->len; i += 2)
    adw_preferences_group_remove (g_ptr_array_index (self->rows, i + 1), g_ptr_array_index (self->rows, i));
  g_ptr_array_set_size (self->rows, 0);
  g_clear_pointer (&self->report, rs_member_report_free);
  rs_score_chart_set_scores (self->chart, 0, NULL, NULL, NULL);
  gtk_label_set_text (self->title_label, "");
  gtk_label_set_text (self->subtitle_label, "");
}

static void
fill (RsMemberPage *self)
{
  const RsMemberReport *report = self->report;
  RsSkill skills[RS_N_SKILLS];
  RsSkillScore scores[RS_N_SKILLS];
  int n = 0;
  g_autofree char *subtitle = g_strdup_printf (_("Employee number %s · %s"), report->employee_no,
                                               report->team_name != NULL ? report->team_name : _("no team"));

  gtk_label_set_text (self->title_label, report->name);
  gtk_label_set_text (self->subtitle_label, subtitle);

  for (int s = 0; s < RS_N_SKILLS; s++)
    {
      const RsReportResult *result = &report->latest[s];
      g_autofree char *name = g_strdup_printf ("member-level-%s", rs_skill_id ((RsSkill) s));
      g_autofree char *title = NULL;
      g_autofree char *detail = NULL;
      const GArray *history = report->history[s];

      if (result->measured)
        {
          g_autofree char *level = rs_skill_score_describe (&result->score);
          g_autofree char *band = rs_report_result_band (result);
          g_autofree char *date = rs_report_format_date (result->date);

          skills[n] = (RsSkill) s;
          scores[n] = result->score;
          n++;
          /* Translators: a skill and its level. */
          title = g_strdup_printf (_("%s: %s"), rs_skill_title ((RsSkill) s), level);
          /* Translators: a score band, how many questions, a date. */
          detail = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Score %s · %d question · %s",
                                                 "Score %s · %d questions · %s", result->n_items),
                                    band, result->n_items, date);
        }
      else
        {
          title = g_strdup_printf (_("%s: not measured"), rs_skill_title ((RsSkill) s));
          detail = g_strdup (_("No finished assessment of this skill yet."));
        }
      add_row (self, self->latest_group, name, title, detail);

      if (history != NULL && history->len > 0)
        {
          g_autoptr (GString) line = g_string_new (NULL);
          g_autofree char *hname = g_strdup_printf ("member-history-%s", rs_skill_id ((RsSkill) s));
          g_autofree char *first = rs_report_format_date (g_array_index (history, RsReportPoint, 0).date);
          g_autofree char *last = rs_report_format_date (g_array_index (history, RsReportPoint, history->len - 1).date);
          g_autofree char *htitle = NULL;

          for (guint i = 0; i < history->len; i++)
            g_string_append_printf (line, "%s%.0f", i > 0 ? " → " : "",
                                    g_array_index (history, RsReportPoint, i).score.score);
          if (history->len >= 2)
            {
              const RsReportPoint *a = &g_array_index (history, RsReportPoint, history->len - 2);
              const RsReportPoint *b = &g_array_index (history, RsReportPoint, history->len - 1);
              RsScoreChange change;

              rs_score_change (a->score.theta, a->score.se, b->score.theta, b->score.se, &change);
              if (change.within_noise)
                g_string_append (line, _(" (last change within noise)"));
              else
                g_string_append (line, change.delta_score > 0 ? _(" (last change: a real gain)")
                                                              : _(" (last change: a real drop)"));
            }
          /* Translators: a skill, how many results, the first and last date. */
          htitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s: %u result, %s to %s", "%s: %u results, %s to %s",
                                                 history->len),
                                    rs_skill_title ((RsSkill) s), history->len, first, last);
          add_row (self, self->history_group, hname, htitle, line->str);
        }
    }
  if (n == 0)
    add_row (self, self->history_group, NULL, _("No results yet"),
             _("Scores over time appear after the first finished assessment."));
  rs_score_chart_set_scores (self->chart, n, skills, scores, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->chart), n > 0);

  if (report->best != NULL)
    {
      /* The best fit says whether it is met, as the team page and the PDF
       * do: an unmet best fit is a direction, not a readiness. */
      g_autofree char *title = report->best->met
                                 ? g_strdup_printf (_("Best fit: %s (met)"), report->best->role->name)
                                 : g_strdup_printf (_("Best fit: %s (not yet met)"), report->best->role->name);
      g_autofree char *detail = report->best->met
                                  ? g_strdup_printf (_("Fit %.0f%%, every wanted level reached"), report->best->fit * 100)
                                  : g_strdup_printf (_("Fit %.0f%%; not every wanted level is reached yet"),
                                                     report->best->fit * 100);
      add_row (self, self->role_group, "member-best-role", title, detail);
    }
  else
    add_row (self, self->role_group, "member-best-role", _("No role advice yet"),
             _("Role advice needs at least one measured skill."));
  if (report->advice != NULL && report->advice->next_role != NULL)
    {
      g_autoptr (GString) steps = g_string_new (NULL);
      g_autofree char *title = g_strdup_printf (_("Next: %s"), report->advice->next_role->name);

      for (guint i = 0; i < report->advice->next_steps->len; i++)
        {
          g_autofree char *step = rs_step_describe (&g_array_index (report->advice->next_steps, RsStep, i));
          g_string_append_printf (steps, "%s%s", i > 0 ? "; " : "", step);
        }
      if (steps->len > 0)
        steps->str[0] = g_ascii_toupper (steps->str[0]);
      add_row (self, self->role_group, "member-next-role", title, steps->str);
    }
}

gboolean
rs_member_page_show_member (RsMemberPage *self, gint64 person_id, GError **error)
{
  RsMemberReport *report;

  g_return_val_if_fail (RS_IS_MEMBER_PAGE (self), FALSE);
  g_return_val_if_fail (rs_page_get_context (RS_PAGE (self)) != NULL, FALSE);
  report = rs_member_report_new (rs_page_get_store (RS_PAGE (self)), rs_context_get_roles (rs_page_get_context (RS_PAGE (self))),
                                 rs_page_get_person (RS_PAGE (self)), person_id, error);
  if (report == NULL)
    return FALSE;
  rs_page_clear (RS_PAGE (self));
  self->report = report;
  fill (self);
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scroller), 0);
  return TRUE;
}

const RsMemberReport *
rs_member_page_get_report (RsMemberPage *self)
{
  g_return_val_if_fail (RS_IS_MEMBER_PAGE (self), NULL);
  return self->report;
}

static void
rs_member_page_dispose (GObject *object)
{
  RsMemberPage *self = RS_MEMBER_PAGE (object);

  g_clear_pointer (&self->report, rs_member_report_free);
  G_OBJECT_CLASS (rs_member_page_parent_class)->dispose (object);
}

static void
rs_member_page_finalize (GObject *object)
{
  RsMemberPage *self = RS_MEMBER_PAGE (object);

  g_ptr_array_unref (self->rows);
  G_OBJECT_CLASS (rs_member_page_parent_class)->finalize (object);
}

static void
rs_member_page_class_init (RsMemberPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  RsPageClass *page_class = RS_PAGE_CLASS (klass);

  page_class->clear = rs_member_page_clear;

  object_class->dispose = rs_member_page_dispose;
  object_class->finalize = rs_member_page_finalize;

  g_type_ensure (RS_TYPE_SCORE_CHART);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/reskill/Reskill/ui/rs-member-page.ui");
  gtk_widget_class_bind_template_child (widget_class, RsMemberPage, scroller);
  gtk_widget_class_bind_template_child (widget_class, RsMemberPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, RsMemberPage, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, RsMemberPage, chart);
  gtk_widget_class_bind_template_child (widget_class, RsMemberPage, latest_group);
  gtk_widget_class_bind_template_child (widget_class, RsMemberPage, history_group);
  gtk_widget_class_bind_template_child (widget_class, RsMemberPage, role_group);
}

static void
rs_member_page_init (RsMemberPage *self)
{
  self->rows = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}
