/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A reload builds a whole new bank and swaps it in only when it loaded
 * something: a folder emptied by mistake must not leave the kiosk with no
 * questions. The swap is refused while an assessment holds the old bank
 * (rs_context_replace_bank); an admin on this page has none. The new bank
 * gets the calibration in force (rs_calibration_apply_to_bank).
 *
 * Calibration runs on a worker thread (it reads every stored answer and
 * takes a second or more on a large store); the result is shown for review
 * and stored only when the administrator applies it, which reloads the bank
 * so the new parameters and withheld items take effect. While it runs, the
 * reload is disabled: the run reads the bank in use. */
#include "rs-admin-bank.h"

#include <math.h>
#include <string.h>

#include "rs-calibration.h"
#include "rs-dialogs.h"
#include "rs-error.h"
#include "rs-item-stats.h"

#define MAX_ROWS 200

struct _RsAdminBank
{
  RsPage parent_instance;

  GPtrArray *rows;                 /* (row, group) pairs */
  GPtrArray *lines;                /* char *: the diagnostics shown */

  GtkLabel *folder_label;
  GtkLabel *summary_label;
  AdwPreferencesGroup *diagnostics_group;
  AdwPreferencesGroup *stats_group;
  AdwPreferencesGroup *calibration_group;
  GtkSpinner *calibration_spinner;

  RsCalibration *pending;          /* a run under review, not stored */
  gboolean calibrating;
  guint generation;                /* bumped by a clear: a run started before it is dropped */
  guint n_calibration_rows;
};

G_DEFINE_FINAL_TYPE (RsAdminBank, rs_admin_bank, RS_TYPE_PAGE)

static void
clear_group (RsAdminBank *self, AdwPreferencesGroup *group)
{
  for (guint i = self->rows->len; i >= 2; i -= 2)
    if (g_ptr_array_index (self->rows, i - 1) == group)
      {
        adw_preferences_group_remove (group, g_ptr_array_index (self->rows, i - 2));
        g_ptr_array_remove_range (self->rows, i - 2, 2);
      }
}

static GtkWidget *
add_row (RsAdminBank *self, AdwPreferencesGroup *group, const char *title, const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
  if (subtitle != NULL)
    {
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
    }
  adw_preferences_group_add (group, row);
  g_ptr_array_add (self->rows, row);
  g_ptr_array_add (self->rows, group);
  return row;
}

static void
rs_admin_bank_clear (RsPage *page)
{
  RsAdminBank *self = RS_ADMIN_BANK (page);

  clear_group (self, self->diagnostics_group);
  clear_group (self, self->stats_group);
  clear_group (self, self->calibration_group);
  g_ptr_array_set_size (self->lines, 0);
  g_clear_pointer (&self->pending, rs_calibration_free);
  self->n_calibration_rows = 0;
  self->generation++;
}

/* --- calibration --- */

static void
update_actions (RsAdminBank *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "bank.calibrate", !self->calibrating);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "bank.reload", !self->calibrating);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "bank.apply-calibration",
                                 !self->calibrating && self->pending != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "bank.rescore", !self->calibrating);
  gtk_widget_set_visible (GTK_WIDGET (self->calibration_spinner), self->calibrating);
  gtk_spinner_set_spinning (self->calibration_spinner, self->calibrating);
}

static char *
format_params (const RsIrtParams *p)
{
  GString *text = g_string_new (NULL);

  g_string_append_printf (text, "a %.2f, b ", p->a);
  if (p->model == RS_MODEL_GPCM)
    for (int v = 0; v < p->n_steps; v++)
      g_string_append_printf (text, "%s%.2f", v > 0 ? "; " : "", p->steps[v]);
  else
    g_string_append_printf (text, "%.2f", p->b);
  if (p->model != RS_MODEL_GPCM && p->c > 0)
    g_string_append_printf (text, ", c %.2f", p->c);
  return g_string_free (text, FALSE);
}

static char *
format_estimate (const RsCalibrationItem *it)
{
  GString *text = g_string_new (NULL);

  g_string_append_printf (text, "a %.2f ± %.2f, b ", it->params.a, it->se_a);
  if (it->params.model == RS_MODEL_GPCM)
    for (int v = 0; v < it->params.n_steps; v++)
      g_string_append_printf (text, "%s%.2f ± %.2f", v > 0 ? "; " : "", it->params.steps[v], it->se_steps[v]);
  else
    g_string_append_printf (text, "%.2f ± %.2f", it->params.b, it->se_b);
  if (it->params.model != RS_MODEL_GPCM && it->params.c > 0)
    g_string_append_printf (text, ", c %.2f", it->params.c);
  return g_string_free (text, FALSE);
}

/* Flagged first, then calibrated, then provisional; the most answered
 * first within each (the estimates worth reading); then by skill and id. */
static int
compare_for_review (gconstpointer a, gconstpointer b)
{
  static const int rank[] = { [RS_ITEM_FLAGGED] = 0, [RS_ITEM_CALIBRATED] = 1, [RS_ITEM_PROVISIONAL] = 2 };
  const RsCalibrationItem *x = *(const RsCalibrationItem *const *) a;
  const RsCalibrationItem *y = *(const RsCalibrationItem *const *) b;

  if (rank[x->status] != rank[y->status])
    return rank[x->status] - rank[y->status];
  if (x->n != y->n)
    return x->n > y->n ? -1 : 1;
  if (x->skill != y->skill)
    return x->skill < y->skill ? -1 : 1;
  return strcmp (x->item_id, y->item_id);
}

static void
add_calibration_row (RsAdminBank *self, const RsCalibrationItem *it, gboolean review)
{
  g_autofree char *title = NULL, *subtitle = NULL, *fit = NULL, *flags = NULL, *now = NULL, *old = NULL;
  g_autofree char *row_name = g_strdup_printf ("calibration-%s", it->item_id);
  const char *status = it->status == RS_ITEM_FLAGGED ? "Flagged"
                       : it->status == RS_ITEM_CALIBRATED ? "Calibrated" : "Provisional";
  GtkWidget *row;

  flags = rs_calib_flag_text (it->flags);
  fit = it->fit_df > 0 ? g_strdup_printf ("fit S-X² %.1f (df %d, p %.3f)", it->fit_chi2, it->fit_df, it->fit_p)
                       : g_strdup ("fit not computed (too few answers)");
  now = it->n > 0 || it->anchor ? format_estimate (it) : g_strdup ("not answered yet");
  old = format_params (&it->old_params);
  title = g_strdup_printf ("%s · %s%s", it->item_id, status, it->anchor ? " (held fixed)" : "");
  subtitle = g_strdup_printf ("%d answer%s · %s%s%s · %s%s%s%s", it->n, it->n == 1 ? "" : "s",
                              review ? old : "", review ? " → " : "", now, fit,
                              flags[0] != '\0' ? "\n" : "", flags,
                              it->status == RS_ITEM_FLAGGED && it->decision != RS_DECISION_NONE
                                ? (it->decision == RS_DECISION_USE ? " · decided: use the estimate"
                                                                   : " · decided: keep out of tests")
                                : "");
  row = add_row (self, self->calibration_group, title, subtitle);
  gtk_widget_set_name (row, row_name);
  if (it->status == RS_ITEM_FLAGGED)
    {
      GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");

      gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, "Flagged", -1);
      gtk_widget_add_css_class (icon, "warning");
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
    }
  /* A decision is taken on the calibration in force, not on a review. */
  if (!review && it->status == RS_ITEM_FLAGGED)
    {
      static const struct { const char *label, *decision, *tip; } buttons[] = {
        { "Use", "use", "Use the estimated parameters in tests" },
        { "Withhold", "withhold", "Keep the question out of tests" },
      };
      for (gsize b = 0; b < G_N_ELEMENTS (buttons); b++)
        {
          GtkWidget *button = gtk_button_new_with_label (buttons[b].label);
          g_autofree char *name = g_strdup_printf ("decide-%s-%s", buttons[b].decision, it->item_id);

          gtk_widget_set_name (button, name);
          gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
          gtk_widget_set_tooltip_text (button, buttons[b].tip);
          gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "bank.decide");
          gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "(ss)", it->item_id, buttons[b].decision);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
        }
    }
}

static gboolean
show_calibration (RsAdminBank *self, GError **error)
{
  g_autoptr (RsCalibration) current = NULL;
  const RsCalibration *shown = self->pending;
  g_autoptr (GPtrArray) items = g_ptr_array_new ();
  g_autofree char *description = NULL;
  guint counts[3] = { 0 };

  clear_group (self, self->calibration_group);
  self->n_calibration_rows = 0;
  if (shown == NULL)
    {
      GError *local = NULL;

      current = rs_calibration_load_current (rs_page_get_store (RS_PAGE (self)), &local);
      if (local != NULL)
        {
          g_propagate_error (error, local);
          return FALSE;
        }
      shown = current;
    }
  if (shown == NULL)
    {
      add_row (self, self->calibration_group, "No calibration yet",
               "Every question uses the parameters guessed from its author's level. Run a calibration once "
               "people have answered; a question's estimate is used once it has 500 answers.");
      adw_preferences_group_set_description (self->calibration_group, NULL);
      update_actions (self);
      return TRUE;
    }
  for (guint i = 0; i < shown->items->len; i++)
    {
      const RsCalibrationItem *it = g_ptr_array_index (shown->items, i);
      counts[it->status]++;
      g_ptr_array_add (items, (gpointer) it);
    }
  g_ptr_array_sort (items, compare_for_review);
  for (guint i = 0; i < items->len && i < MAX_ROWS; i++)
    {
      add_calibration_row (self, g_ptr_array_index (items, i), shown == self->pending);
      self->n_calibration_rows++;
    }
  if (shown == self->pending)
    description = g_strdup_printf ("Review, not applied yet: %u calibrated, %u provisional (fewer than %d answers: "
                                   "their starting parameters stay in use), %u flagged (kept out of tests until you "
                                   "decide). Old → new parameters with standard errors.%s",
                                   counts[RS_ITEM_CALIBRATED], counts[RS_ITEM_PROVISIONAL], shown->min_responses,
                                   counts[RS_ITEM_FLAGGED],
                                   items->len > MAX_ROWS ? " The first 200 are listed; `reskill calibrate --db` prints all." : "");
  else
    {
      g_autoptr (GDateTime) when = g_date_time_new_from_unix_local (shown->created_at / G_USEC_PER_SEC);
      g_autofree char *date = g_date_time_format (when, "%Y-%m-%d %H:%M");

      description = g_strdup_printf ("In force since %s: %u calibrated, %u provisional (fewer than %d answers), "
                                     "%u flagged. Flagged questions are kept out of tests until you decide.%s",
                                     date, counts[RS_ITEM_CALIBRATED], counts[RS_ITEM_PROVISIONAL],
                                     shown->min_responses, counts[RS_ITEM_FLAGGED],
                                     items->len > MAX_ROWS ? " The first 200 are listed." : "");
    }
  adw_preferences_group_set_description (self->calibration_group, description);
  update_actions (self);
  return TRUE;
}

typedef struct {
  RsContext *context;        /* kept alive, with its store and bank, for the thread */
  RsPerson viewer;           /* id and role only */
  guint generation;
} CalibrationJob;

static void
calibration_job_free (CalibrationJob *job)
{
  g_object_unref (job->context);
  g_free (job);
}

static void
calibration_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  CalibrationJob *job = data;
  GError *error = NULL;
  RsCalibration *calibration = rs_calibration_run (rs_context_get_store (job->context),
                                                   rs_context_get_bank (job->context), &job->viewer,
                                                   RS_CALIBRATION_MIN_RESPONSES, NULL, &error);

  if (calibration == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, calibration, (GDestroyNotify) rs_calibration_free);
}

static void
calibration_done (GObject *source, GAsyncResult *result, gpointer data)
{
  RsAdminBank *self = RS_ADMIN_BANK (source);
  g_autoptr (GError) error = NULL;
  RsCalibration *calibration = g_task_propagate_pointer (G_TASK (result), &error);
  const CalibrationJob *job = g_task_get_task_data (G_TASK (result));

  self->calibrating = FALSE;
  /* Started by someone who has signed out since: not for the next person. */
  if (job->generation != self->generation)
    {
      g_clear_pointer (&calibration, rs_calibration_free);
      update_actions (self);
      return;
    }
  if (calibration == NULL)
    {
      update_actions (self);
      rs_page_error (RS_PAGE (self), "The Calibration Could Not Run", error->message);
      return;
    }
  g_clear_pointer (&self->pending, rs_calibration_free);
  self->pending = calibration;
  if (!show_calibration (self, &error))
    rs_page_error (RS_PAGE (self), "The Calibration Cannot Be Shown", error->message);
  rs_page_toast (RS_PAGE (self), "Calibration ready for review: apply it to put it in force");
}

gboolean
rs_admin_bank_calibrate (RsAdminBank *self)
{
  g_autoptr (GTask) task = NULL;
  CalibrationJob *job;
  const RsPerson *person;

  g_return_val_if_fail (RS_IS_ADMIN_BANK (self), FALSE);
  person = rs_page_get_person (RS_PAGE (self));
  if (self->calibrating || rs_page_get_store (RS_PAGE (self)) == NULL || rs_page_get_bank (RS_PAGE (self)) == NULL)
    return FALSE;
  job = g_new0 (CalibrationJob, 1);
  job->context = g_object_ref (rs_page_get_context (RS_PAGE (self)));
  job->generation = self->generation;
  if (person != NULL)
    {
      job->viewer.id = person->id;
      job->viewer.role = person->role;
      job->viewer.active = person->active;
    }
  self->calibrating = TRUE;
  update_actions (self);
  task = g_task_new (self, NULL, calibration_done, NULL);
  g_task_set_task_data (task, job, (GDestroyNotify) calibration_job_free);
  g_task_run_in_thread (task, calibration_thread);
  return TRUE;
}

gboolean
rs_admin_bank_is_calibrating (RsAdminBank *self)
{
  g_return_val_if_fail (RS_IS_ADMIN_BANK (self), FALSE);
  return self->calibrating;
}

const RsCalibration *
rs_admin_bank_get_pending (RsAdminBank *self)
{
  g_return_val_if_fail (RS_IS_ADMIN_BANK (self), NULL);
  return self->pending;
}

guint
rs_admin_bank_get_n_calibration_rows (RsAdminBank *self)
{
  g_return_val_if_fail (RS_IS_ADMIN_BANK (self), 0);
  return self->n_calibration_rows;
}

/* After a calibration or a decision: the bank again, with what is in force. */
static gboolean
reload_and_show (RsAdminBank *self, const char *toast, GError **error)
{
  if (rs_context_get_questions_dir (rs_page_get_context (RS_PAGE (self))) != NULL && !rs_admin_bank_reload (self, error))
    return FALSE;
  if (rs_context_get_questions_dir (rs_page_get_context (RS_PAGE (self))) == NULL
      && !rs_calibration_apply_to_bank (rs_page_get_store (RS_PAGE (self)),
                                        (RsBank *) rs_page_get_bank (RS_PAGE (self)), error))
    return FALSE;
  if (!show_calibration (self, error))
    return FALSE;
  rs_page_toast (RS_PAGE (self), toast);
  return TRUE;
}

gboolean
rs_admin_bank_apply_calibration (RsAdminBank *self, GError **error)
{
  g_autofree char *toast = NULL;

  g_return_val_if_fail (RS_IS_ADMIN_BANK (self), FALSE);
  if (self->pending == NULL)
    {
      g_set_error_literal (error, RS_ERROR, RS_ERROR_INVALID, "Run a calibration and review it first");
      return FALSE;
    }
  if (!rs_calibration_apply (rs_page_get_store (RS_PAGE (self)), self->pending,
                             rs_page_get_person (RS_PAGE (self)), error))
    return FALSE;
  toast = g_strdup_printf ("Calibration %.8s is in force", self->pending->uuid);
  g_clear_pointer (&self->pending, rs_calibration_free);
  return reload_and_show (self, toast, error);
}

gboolean
rs_admin_bank_decide (RsAdminBank *self, const char *item_id, RsDecision decision, GError **error)
{
  g_autofree char *toast = NULL;

  g_return_val_if_fail (RS_IS_ADMIN_BANK (self), FALSE);
  if (!rs_calibration_decide (rs_page_get_store (RS_PAGE (self)), rs_page_get_person (RS_PAGE (self)), item_id,
                              decision, error))
    return FALSE;
  toast = g_strdup_printf (decision == RS_DECISION_USE ? "%s now uses its estimated parameters"
                                                       : "%s is kept out of tests", item_id);
  return reload_and_show (self, toast, error);
}

gboolean
rs_admin_bank_rescore (RsAdminBank *self, int *n_rescored, GError **error)
{
  g_autofree char *toast = NULL;
  int n = 0;

  g_return_val_if_fail (RS_IS_ADMIN_BANK (self), FALSE);
  if (!rs_calibration_rescore (rs_page_get_store (RS_PAGE (self)), rs_page_get_bank (RS_PAGE (self)),
                               rs_page_get_person (RS_PAGE (self)), &n, error))
    return FALSE;
  if (n_rescored != NULL)
    *n_rescored = n;
  toast = g_strdup_printf ("Re-scored %d result%s; the earlier values are kept", n, n == 1 ? "" : "s");
  rs_page_toast (RS_PAGE (self), toast);
  return TRUE;
}

static void
calibrate_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  rs_admin_bank_calibrate (RS_ADMIN_BANK (widget));
}

static void
apply_calibration_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  g_autoptr (GError) error = NULL;

  if (!rs_admin_bank_apply_calibration (RS_ADMIN_BANK (widget), &error))
    rs_page_error (RS_PAGE (widget), "The Calibration Was Not Applied", error->message);
}

static void
decide_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  g_autoptr (GError) error = NULL;
  const char *item_id, *decision;

  g_variant_get (parameter, "(&s&s)", &item_id, &decision);
  if (!rs_admin_bank_decide (RS_ADMIN_BANK (widget), item_id,
                             g_str_equal (decision, "use") ? RS_DECISION_USE : RS_DECISION_WITHHOLD, &error))
    rs_page_error (RS_PAGE (widget), "The Decision Was Not Saved", error->message);
}

static void
rescore_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  g_autoptr (GError) error = NULL;

  if (!rs_admin_bank_rescore (RS_ADMIN_BANK (widget), NULL, &error))
    rs_page_error (RS_PAGE (widget), "The Results Were Not Re-scored", error->message);
}

/* By file, then line: the order an author works through them. */
static int
compare_diagnostics (gconstpointer a, gconstpointer b)
{
  const RsDiagnostic *x = *(const RsDiagnostic *const *) a;
  const RsDiagnostic *y = *(const RsDiagnostic *const *) b;
  int by_file = g_strcmp0 (x->file, y->file);

  return by_file != 0 ? by_file : (x->line > y->line) - (x->line < y->line);
}

static void
show_bank (RsAdminBank *self, const RsBank *bank)
{
  g_autoptr (GPtrArray) diagnostics = g_ptr_array_new ();
  guint n;
  const char *dir = rs_context_get_questions_dir (rs_page_get_context (RS_PAGE (self)));
  g_autofree char *summary = NULL;
  g_autofree char *description = NULL;

  if (bank != NULL)
    for (guint i = 0; i < rs_bank_diagnostics (bank)->len; i++)
      g_ptr_array_add (diagnostics, g_ptr_array_index (rs_bank_diagnostics (bank), i));
  g_ptr_array_sort (diagnostics, compare_diagnostics);
  n = diagnostics->len;
  gtk_label_set_text (self->folder_label, dir != NULL ? dir : "(not known: the bank was not loaded from a folder)");
  if (bank != NULL)
    {
      guint per_skill[RS_N_SKILLS];
      g_autoptr (GString) text = g_string_new (NULL);

      for (int s = 0; s < RS_N_SKILLS; s++)
        per_skill[s] = rs_bank_skill_items (bank, (RsSkill) s)->len;
      g_string_append_printf (text, "%u questions", rs_bank_n_items (bank));
      for (int s = 0; s < RS_N_SKILLS; s++)
        g_string_append_printf (text, "%s%s %u", s == 0 ? ": " : ", ", rs_skill_title ((RsSkill) s), per_skill[s]);
      g_string_append_printf (text, ". %u problem%s.", n, n == 1 ? "" : "s");
      summary = g_string_free (g_steal_pointer (&text), FALSE);
    }
  else
    summary = g_strdup ("No question bank is loaded.");
  gtk_label_set_text (self->summary_label, summary);

  clear_group (self, self->diagnostics_group);
  g_ptr_array_set_size (self->lines, 0);
  for (guint i = 0; i < n; i++)
    {
      const RsDiagnostic *d = g_ptr_array_index (diagnostics, i);
      g_autofree char *where = d->line > 0 ? g_strdup_printf ("%s:%d", d->file, d->line) : g_strdup (d->file);
      char *line = g_strdup_printf ("%s: %s", where, d->message);
      /* On screen, the path within the folder: the part an author edits. */
      const char *shown = where;

      if (dir != NULL && g_str_has_prefix (where, dir) && where[strlen (dir)] == G_DIR_SEPARATOR)
        shown = where + strlen (dir) + 1;
      g_ptr_array_add (self->lines, line);
      if (i < MAX_ROWS)
        {
          GtkWidget *row = add_row (self, self->diagnostics_group, d->message, shown);
          GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");

          gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, "Problem", -1);
          adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
          gtk_widget_add_css_class (icon, "warning");
        }
    }
  if (n == 0)
    add_row (self, self->diagnostics_group, "No problems found", "Every question in the folder passed validation.");
  if (n > MAX_ROWS)
    description = g_strdup_printf ("%u problems; the first %u are listed. Run “reskill validate” for all of them.", n, MAX_ROWS);
  else
    description = g_strdup ("Problems in the question files, as file:line: message. A broken question is left out; the rest of its file still loads.");
  adw_preferences_group_set_description (self->diagnostics_group, description);
}

static gboolean
show_stats (RsAdminBank *self, GError **error)
{
  RsItemStatsOptions options;
  g_autoptr (GPtrArray) stats = NULL;
  guint n_flagged = 0;
  g_autofree char *description = NULL;

  rs_item_stats_options_init (&options);
  stats = rs_item_stats_compute (rs_page_get_store (RS_PAGE (self)), rs_page_get_person (RS_PAGE (self)),
                                 &options, error);
  if (stats == NULL)
    return FALSE;
  clear_group (self, self->stats_group);
  for (guint i = 0; i < stats->len; i++)
    {
      const RsItemStat *stat = g_ptr_array_index (stats, i);
      if (stat->flags & RS_ITEM_FLAGS_REVIEW)
        n_flagged++;
    }
  for (guint i = 0; i < stats->len && i < MAX_ROWS; i++)
    {
      const RsItemStat *stat = g_ptr_array_index (stats, i);
      g_autofree char *reasons = rs_item_stat_reasons (stat, &options);
      g_autofree char *title = NULL;
      g_autofree char *numbers = NULL;
      g_autofree char *discrimination = isnan (stat->discrimination) ? g_strdup ("n/a")
                                                                     : g_strdup_printf ("%.2f", stat->discrimination);
      g_autofree char *subtitle = NULL;
      gboolean review = (stat->flags & RS_ITEM_FLAGS_REVIEW) != 0;
      GtkWidget *row;

      title = g_strdup_printf ("%s%s · %s", review ? "Review: " : "", stat->item_id, rs_skill_title (stat->skill));
      numbers = g_strdup_printf ("shown %d× · facility %.2f · discrimination %s · exposure %.2f · %.0f s on average",
                                 stat->n_shown, stat->facility, discrimination, stat->exposure, stat->mean_time_ms / 1000);
      subtitle = reasons[0] != '\0' ? g_strdup_printf ("%s\n%s", reasons, numbers) : g_strdup (numbers);
      row = add_row (self, self->stats_group, title, subtitle);
      if (review)
        {
          GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");

          gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, "Flagged for review", -1);
          gtk_widget_add_css_class (icon, "warning");
          adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
        }
    }
  if (stats->len == 0)
    add_row (self, self->stats_group, "No responses yet", "Statistics appear once people have answered questions.");
  description = g_strdup_printf ("%u question%s answered so far; %u flagged for review, listed first with the reasons. "
                                 "Below %d responses the numbers are too few to judge.",
                                 stats->len, stats->len == 1 ? "" : "s", n_flagged, options.min_responses);
  adw_preferences_group_set_description (self->stats_group, description);
  return TRUE;
}

gboolean
rs_admin_bank_refresh (RsAdminBank *self, GError **error)
{
  g_return_val_if_fail (RS_IS_ADMIN_BANK (self), FALSE);
  g_return_val_if_fail (rs_page_get_context (RS_PAGE (self)) != NULL, FALSE);
  show_bank (self, rs_page_get_bank (RS_PAGE (self)));
  return show_stats (self, error) && show_calibration (self, error);
}

gboolean
rs_admin_bank_reload (RsAdminBank *self, GError **error)
{
  const char *dir;
  g_autoptr (RsBank) bank = NULL;
  g_autofree char *toast = NULL;
  guint n_items, n_problems;

  g_return_val_if_fail (RS_IS_ADMIN_BANK (self), FALSE);
  dir = rs_context_get_questions_dir (rs_page_get_context (RS_PAGE (self)));
  if (dir == NULL)
    {
      g_set_error_literal (error, RS_ERROR, RS_ERROR_INVALID, "This window was not started with a questions folder");
      return FALSE;
    }
  bank = rs_bank_new ();
  if (!rs_bank_load_dir (bank, dir, error)
      || (rs_page_get_store (RS_PAGE (self)) != NULL
          && !rs_calibration_apply_to_bank (rs_page_get_store (RS_PAGE (self)), bank, error)))
    return FALSE;
  n_items = rs_bank_n_items (bank);
  n_problems = rs_bank_diagnostics (bank)->len;
  if (n_items == 0)
    {
      /* Show why, but keep the questions in use. */
      show_bank (self, bank);
      g_set_error (error, RS_ERROR, RS_ERROR_INVALID,
                   "%s has no valid question (%u problem%s listed below); the questions in use are kept", dir,
                   n_problems, n_problems == 1 ? "" : "s");
      return FALSE;
    }
  if (!rs_context_replace_bank (rs_page_get_context (RS_PAGE (self)), bank))
    {
      g_set_error_literal (error, RS_ERROR, RS_ERROR_INVALID, "An assessment is under way on this window; finish or pause it first");
      return FALSE;
    }
  /* The context owns it now. */
  show_bank (self, g_steal_pointer (&bank));
  toast = g_strdup_printf ("Reloaded %u question%s, %u problem%s", n_items, n_items == 1 ? "" : "s", n_problems,
                           n_problems == 1 ? "" : "s");
  rs_page_toast (RS_PAGE (self), toast);
  return TRUE;
}

guint
rs_admin_bank_get_n_diagnostics (RsAdminBank *self)
{
  g_return_val_if_fail (RS_IS_ADMIN_BANK (self), 0);
  return self->lines->len;
}

const GPtrArray *
rs_admin_bank_get_diagnostic_lines (RsAdminBank *self)
{
  g_return_val_if_fail (RS_IS_ADMIN_BANK (self), NULL);
  return self->lines;
}

static void
reload_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  g_autoptr (GError) error = NULL;

  if (!rs_admin_bank_reload (RS_ADMIN_BANK (widget), &error))
    rs_page_error (RS_PAGE (widget), "The Questions Were Not Reloaded", error->message);
}

static void
rs_admin_bank_finalize (GObject *object)
{
  RsAdminBank *self = RS_ADMIN_BANK (object);

  g_ptr_array_unref (self->rows);
  g_ptr_array_unref (self->lines);
  g_clear_pointer (&self->pending, rs_calibration_free);
  G_OBJECT_CLASS (rs_admin_bank_parent_class)->finalize (object);
}

static void
rs_admin_bank_class_init (RsAdminBankClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  RsPageClass *page_class = RS_PAGE_CLASS (klass);

  page_class->clear = rs_admin_bank_clear;

  object_class->finalize = rs_admin_bank_finalize;

  gtk_widget_class_install_action (widget_class, "bank.reload", NULL, reload_action);
  gtk_widget_class_install_action (widget_class, "bank.calibrate", NULL, calibrate_action);
  gtk_widget_class_install_action (widget_class, "bank.apply-calibration", NULL, apply_calibration_action);
  gtk_widget_class_install_action (widget_class, "bank.decide", "(ss)", decide_action);
  gtk_widget_class_install_action (widget_class, "bank.rescore", NULL, rescore_action);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/reskill/Reskill/ui/rs-admin-bank.ui");
  gtk_widget_class_bind_template_child (widget_class, RsAdminBank, folder_label);
  gtk_widget_class_bind_template_child (widget_class, RsAdminBank, summary_label);
  gtk_widget_class_bind_template_child (widget_class, RsAdminBank, diagnostics_group);
  gtk_widget_class_bind_template_child (widget_class, RsAdminBank, stats_group);
  gtk_widget_class_bind_template_child (widget_class, RsAdminBank, calibration_group);
  gtk_widget_class_bind_template_child (widget_class, RsAdminBank, calibration_spinner);
}

static void
rs_admin_bank_init (RsAdminBank *self)
{
  self->rows = g_ptr_array_new ();
  self->lines = g_ptr_array_new_with_free_func (g_free);
  gtk_widget_init_template (GTK_WIDGET (self));
  update_actions (self);
}
