/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Whether a change is real or noise is the core's call (rs_score_change,
 * 1.96 × the SE of the difference); this page only words it. */
#include "rs-history-page.h"

#include <glib/gi18n-lib.h>

#include "rs-dialogs.h"
#include "rs-error.h"
#include "rs-person-data.h"
#include "rs-privacy.h"
#include "rs-progress-chart.h"

struct _RsHistoryPage
{
  RsPage parent_instance;

  GPtrArray *rows;
  guint n_attempts;

  GtkStack *stack;
  GtkScrolledWindow *scroller;
  GtkLabel *subtitle_label;
  RsProgressChart *chart;
  AdwPreferencesGroup *attempts_group;
};

G_DEFINE_FINAL_TYPE (RsHistoryPage, rs_history_page, RS_TYPE_PAGE)

enum {
  SIGNAL_OPEN_ATTEMPT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
open_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  g_signal_emit (widget, signals[SIGNAL_OPEN_ATTEMPT], 0, g_variant_get_string (parameter, NULL));
}

static const RsSkillResult *
find_result (const RsAttempt *attempt, RsSkill skill)
{
  for (guint r = 0; attempt->results != NULL && r < attempt->results->len; r++)
    {
      const RsSkillResult *result = &g_array_index (attempt->results, RsSkillResult, r);
      if (result->skill == skill)
        return result;
    }
  return NULL;
}

char *
rs_history_describe_change (const RsScoreChange *change)
{
  /* Within noise is "about the same", with no number: a "−0" or a "+3"
   * that the bands cannot tell from nothing read as a change. */
  if (change->within_noise)
    return g_strdup (_("(about the same as last time)"));
  /* Translators: a change in score that is more than noise, "+12". */
  return g_strdup_printf (change->delta_score > 0 ? _("(%+.0f since last time: a real gain)")
                                                  : _("(%+.0f since last time: a real drop)"),
                          change->delta_score);
}

static char *
describe_attempt (const GPtrArray *attempts, guint index)
{
  const RsAttempt *attempt = g_ptr_array_index (attempts, index);
  g_autoptr (GString) text = g_string_new (NULL);

  for (int s = 0; s < RS_N_SKILLS; s++)
    {
      const RsSkillResult *result = find_result (attempt, (RsSkill) s);
      const RsSkillResult *before = NULL;
      RsSkillScore score;
      g_autofree char *level = NULL;

      if (result == NULL)
        continue;
      for (guint p = index; p > 0 && before == NULL; p--)
        before = find_result (g_ptr_array_index (attempts, p - 1), (RsSkill) s);

      rs_skill_score_init_full (&score, result->theta, result->se,
                                result->has_level_probability ? result->level_probability : NULL);
      level = rs_skill_score_describe (&score);
      if (text->len > 0)
        g_string_append (text, "\n");
      /* Translators: "Python: Proficient, 64" (skill, level, score). */
      g_string_append_printf (text, _("%s: %s, %.0f"), rs_skill_title ((RsSkill) s), level, score.score);
      if (before != NULL)
        {
          RsScoreChange change;

          rs_score_change (before->theta, before->se, result->theta, result->se, &change);
          g_string_append (text, " ");
          {
            g_autofree char *words = rs_history_describe_change (&change);
            g_string_append (text, words);
          }
        }
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

gboolean
rs_history_page_download_to (RsHistoryPage *self, const char *dir, GError **error)
{
  const RsPerson *person = rs_page_get_person (RS_PAGE (self));
  RsStore *store = rs_page_get_store (RS_PAGE (self));
  RsPersonExport summary = { 0 };
  gboolean ok;

  g_return_val_if_fail (RS_IS_HISTORY_PAGE (self), FALSE);
  if (person == NULL || store == NULL)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_DENIED, _("Sign in to download your data."));
      return FALSE;
    }
  ok = rs_person_export (store, person, person->id, dir, &summary, error);
  if (ok)
    {
      g_autofree char *files = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u file", "%u files",
                                                             summary.files != NULL ? summary.files->len : 0),
                                                summary.files != NULL ? summary.files->len : 0);
      /* Translators: "Your data is in /home/sam/my-data (9 files), with a README of the fields." */
      g_autofree char *text = g_strdup_printf (_("Your data is in %s (%s), with a README of the fields."), dir, files);

      rs_page_toast (RS_PAGE (self), text);
    }
  rs_person_export_clear (&summary);
  return ok;
}

static void
on_download_chosen (GtkWidget *from, GSList *paths, gpointer user_data)
{
  g_autoptr (GError) error = NULL;

  if (paths == NULL)
    return;
  if (!rs_history_page_download_to (RS_HISTORY_PAGE (from), paths->data, &error))
    rs_page_error (RS_PAGE (from), _("Your data could not be written"), error->message);
}

static void
download_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  /* A new folder's name: the export refuses a folder with anything in it,
   * so that it is never mixed into other files. */
  rs_dialog_choose_save (widget, _("Download My Data"), _("my-reskill-data"), _("_Save"),
                         on_download_chosen, NULL);
}

char *
rs_history_page_describe_views (RsHistoryPage *self, GError **error)
{
  const RsPerson *person = rs_page_get_person (RS_PAGE (self));
  RsStore *store = rs_page_get_store (RS_PAGE (self));
  g_autoptr (GPtrArray) views = NULL;
  g_autoptr (GString) text = g_string_new (NULL);

  g_return_val_if_fail (RS_IS_HISTORY_PAGE (self), NULL);
  if (person == NULL || store == NULL)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_DENIED, _("Sign in to see who looked at your results."));
      return NULL;
    }
  views = rs_person_who_looked (store, person, person->id, error);
  if (views == NULL)
    return NULL;
  if (views->len == 0)
    return g_strdup (_("Nobody has looked at your results yet. Each time a manager or an administrator does, it is listed here."));
  for (guint i = 0; i < views->len; i++)
    {
      g_autofree char *line = rs_result_view_describe (g_ptr_array_index (views, i));
      g_string_append_printf (text, "%s%s", i > 0 ? "\n" : "", line);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
who_looked_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *text = rs_history_page_describe_views (RS_HISTORY_PAGE (widget), &error);

  if (text == NULL)
    {
      rs_page_error (RS_PAGE (widget), _("Who looked cannot be shown"), error->message);
      return;
    }
  rs_dialog_message (widget, "who-looked-dialog", _("Who Looked at Your Results"), text);
}

gboolean
rs_history_page_refresh (RsHistoryPage *self, GError **error)
{
  g_autoptr (GPtrArray) attempts = NULL;
  RsStore *store;
  gint64 person_id;

  g_return_val_if_fail (RS_IS_HISTORY_PAGE (self), FALSE);

  for (guint i = 0; i < self->rows->len; i++)
    adw_preferences_group_remove (self->attempts_group, g_ptr_array_index (self->rows, i));
  g_ptr_array_set_size (self->rows, 0);
  self->n_attempts = 0;

  store = rs_page_get_store (RS_PAGE (self));
  person_id = rs_page_get_person (RS_PAGE (self)) != NULL ? rs_page_get_person (RS_PAGE (self))->id : 0;
  if (store == NULL || person_id == 0)
    {
      /* Guests have no history: nothing links their attempts together. */
      rs_progress_chart_set_attempts (self->chart, NULL);
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return TRUE;
    }

  attempts = rs_store_list_finished (store, person_id, error);
  if (attempts == NULL)
    return FALSE;

  rs_progress_chart_set_attempts (self->chart, attempts);
  self->n_attempts = attempts->len;

  for (guint i = attempts->len; i > 0; i--)
    {
      const RsAttempt *attempt = g_ptr_array_index (attempts, i - 1);
      g_autoptr (GDateTime) when = g_date_time_new_from_unix_local (attempt->finished_at / G_USEC_PER_SEC);
      /* %-d, not %e: GLib pads %e with a figure space that stays visible. */
      g_autofree char *date = g_date_time_format (when, _("%-d %B %Y, %H:%M"));
      /* Practice results are marked: only this person sees them. */
      g_autofree char *title = g_strdup_printf ("%s · %s%s", date, rs_mode_title (attempt->mode),
                                                attempt->practice && attempt->shared_at == 0
                                                  ? _(" · Practice (only you see it)")
                                                  : attempt->shared_at != 0 ? _(" · Practice, shared") : "");
      g_autofree char *subtitle = describe_attempt (attempts, i - 1);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *arrow = gtk_image_new_from_icon_name ("go-next-symbolic");

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), arrow);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "history.open");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (row), "s", attempt->uuid);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      adw_preferences_group_add (self->attempts_group, row);
      g_ptr_array_add (self->rows, row);
    }

  {
    g_autofree char *subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u finished assessment", "%u finished assessments",
                                                           attempts->len), attempts->len);
    gtk_label_set_text (self->subtitle_label, subtitle);
  }
  gtk_stack_set_visible_child_name (self->stack, attempts->len > 0 ? "list" : "empty");
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scroller), 0);
  return TRUE;
}

guint
rs_history_page_get_n_attempts (RsHistoryPage *self)
{
  g_return_val_if_fail (RS_IS_HISTORY_PAGE (self), 0);
  return self->n_attempts;
}

static void
rs_history_page_finalize (GObject *object)
{
  RsHistoryPage *self = RS_HISTORY_PAGE (object);

  g_ptr_array_unref (self->rows);
  G_OBJECT_CLASS (rs_history_page_parent_class)->finalize (object);
}

static void
rs_history_page_class_init (RsHistoryPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = rs_history_page_finalize;

  /* RsHistoryPage::open-attempt: show the results of this attempt (UUID). */
  signals[SIGNAL_OPEN_ATTEMPT] =
    g_signal_new ("open-attempt", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_install_action (widget_class, "history.open", "s", open_action);
  gtk_widget_class_install_action (widget_class, "history.download", NULL, download_action);
  gtk_widget_class_install_action (widget_class, "history.who-looked", NULL, who_looked_action);

  g_type_ensure (RS_TYPE_PROGRESS_CHART);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/reskill/Reskill/ui/rs-history-page.ui");
  gtk_widget_class_bind_template_child (widget_class, RsHistoryPage, stack);
  gtk_widget_class_bind_template_child (widget_class, RsHistoryPage, scroller);
  gtk_widget_class_bind_template_child (widget_class, RsHistoryPage, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, RsHistoryPage, chart);
  gtk_widget_class_bind_template_child (widget_class, RsHistoryPage, attempts_group);
}

static void
rs_history_page_init (RsHistoryPage *self)
{
  self->rows = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
rs_history_page_new (void)
{
  return g_object_new (RS_TYPE_HISTORY_PAGE, NULL);
}
