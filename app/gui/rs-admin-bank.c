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

#include <glib/gi18n-lib.h>

#include <math.h>
#include <string.h>

#include "rs-array-model.h"
#include "rs-calibration.h"
#include "rs-error.h"
#include "rs-item-stats.h"
#include "rs-list-row.h"

/* A validation problem as its row shows it. */
typedef struct {
  char *message;
  char *where;                     /* the path within the folder, and line */
} Problem;

static void
problem_free (Problem *problem)
{
  g_free (problem->message);
  g_free (problem->where);
  g_free (problem);
}

struct _RsAdminBank
{
  RsPage parent_instance;

  GPtrArray *lines;                /* char *: the diagnostics shown */
  /* The three lists, each a GtkListView over the core's own arrays: a
   * bank of thousands of questions lists every one. */
  RsArrayModel *problems;          /* Problem */
  RsArrayModel *calibration;       /* RsCalibrationItem, in review order */
  RsArrayModel *stats;             /* RsItemStat */
  RsItemStatsOptions stats_options;
  gboolean showing_pending;        /* calibration shows pending's items */

  GtkLabel *folder_label;
  GtkLabel *summary_label;
  GtkStack *sections;
  GtkLabel *diagnostics_label;
  GtkListView *diagnostics_list;
  GtkLabel *calibration_label;
  GtkListView *calibration_list;
  GtkLabel *stats_label;
  GtkListView *stats_list;
  GtkSpinner *calibration_spinner;

  RsCalibration *pending;          /* a run under review, not stored */
  gboolean calibrating;
  guint generation;                /* bumped by a clear: a run started before it is dropped */
};

G_DEFINE_FINAL_TYPE (RsAdminBank, rs_admin_bank, RS_TYPE_PAGE)

/* The review's items point into pending: the list lets go of them first. */
static void
drop_pending (RsAdminBank *self)
{
  if (self->showing_pending)
    rs_array_model_set_array (self->calibration, NULL);
  self->showing_pending = FALSE;
  g_clear_pointer (&self->pending, rs_calibration_free);
}

static void
rs_admin_bank_clear (RsPage *page)
{
  RsAdminBank *self = RS_ADMIN_BANK (page);

  rs_array_model_set_array (self->problems, NULL);
  rs_array_model_set_array (self->stats, NULL);
  rs_array_model_set_array (self->calibration, NULL);
  drop_pending (self);
  g_ptr_array_set_size (self->lines, 0);
  gtk_stack_set_visible_child_name (self->sections, "validation");
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
bind_calibration_item (RsListRow *row, gpointer item, gpointer data)
{
  RsAdminBank *self = data;
  const RsCalibrationItem *it = rs_array_item_get (item);
  gboolean review = self->showing_pending;
  g_autofree char *title = NULL, *subtitle = NULL, *fit = NULL, *flags = NULL, *now = NULL, *old = NULL;
  g_autofree char *row_name = g_strdup_printf ("calibration-%s", it->item_id);
  const char *status = it->status == RS_ITEM_FLAGGED ? _("Flagged")
                       : it->status == RS_ITEM_CALIBRATED ? _("Calibrated") : _("Provisional");
  g_autofree char *answers = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d answer", "%d answers", (gulong) it->n), it->n);

  flags = rs_calib_flag_text (it->flags);
  fit = it->fit_df > 0 ? g_strdup_printf (_("fit S-X² %.1f (df %d, p %.3f)"), it->fit_chi2, it->fit_df, it->fit_p)
                       : g_strdup (_("fit not computed (too few answers)"));
  now = it->n > 0 || it->anchor ? format_estimate (it) : g_strdup (_("not answered yet"));
  old = format_params (&it->old_params);
  title = g_strdup_printf ("%s · %s%s", it->item_id, status, it->anchor ? _(" (held fixed)") : "");
  subtitle = g_strdup_printf ("%s · %s%s%s · %s%s%s%s", answers,
                              review ? old : "", review ? " → " : "", now, fit,
                              flags[0] != '\0' ? "\n" : "", flags,
                              it->status == RS_ITEM_FLAGGED && it->decision != RS_DECISION_NONE
                                ? (it->decision == RS_DECISION_USE ? _(" · decided: use the estimate")
                                                                   : _(" · decided: keep out of tests"))
                                : "");
  rs_list_row_set_title (row, title);
  rs_list_row_set_subtitle (row, subtitle);
  /* Named for tests: the bank's item ids, a few hundred, not people. */
  gtk_widget_set_name (GTK_WIDGET (row), row_name);
  if (it->status == RS_ITEM_FLAGGED)
    rs_list_row_set_icon (row, "dialog-warning-symbolic", _("Flagged"), "warning");
  /* A decision is taken on the calibration in force, not on a review. */
  if (!review && it->status == RS_ITEM_FLAGGED)
    {
      static const struct { const char *label, *decision, *tip; } buttons[] = {
        { N_("Use"), "use", N_("Use the estimated parameters in tests") },
        { N_("Withhold"), "withhold", N_("Keep the question out of tests") },
      };
      for (gsize b = 0; b < G_N_ELEMENTS (buttons); b++)
        {
          GtkWidget *button = gtk_button_new_with_label (_(buttons[b].label));
          g_autofree char *name = g_strdup_printf ("decide-%s-%s", buttons[b].decision, it->item_id);

          gtk_widget_set_name (button, name);
          gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
          gtk_widget_set_tooltip_text (button, _(buttons[b].tip));
          gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "bank.decide");
          gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "(ss)", it->item_id, buttons[b].decision);
          rs_list_row_add_suffix (row, button);
        }
    }
}

static gboolean
show_calibration (RsAdminBank *self, GError **error)
{
  RsCalibration *current = NULL;
  const RsCalibration *shown = self->pending;
  g_autoptr (GPtrArray) items = g_ptr_array_new ();
  g_autofree char *description = NULL;
  guint counts[3] = { 0 };

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
      rs_array_model_set_array (self->calibration, NULL);
      self->showing_pending = FALSE;
      gtk_label_set_text (self->calibration_label,
                          _("No calibration yet. Every question uses the parameters guessed from its author’s "
                            "level. Run a calibration once people have answered; a question’s estimate is used once "
                            "it has 500 answers."));
      gtk_widget_set_visible (GTK_WIDGET (self->calibration_list), FALSE);
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
  if (shown == self->pending)
    description = g_strdup_printf (_("Review, not applied yet: %u calibrated, %u provisional (fewer than %d answers: "
                                     "their starting parameters stay in use), %u flagged (kept out of tests until you "
                                     "decide). Old → new parameters with standard errors."),
                                   counts[RS_ITEM_CALIBRATED], counts[RS_ITEM_PROVISIONAL], shown->min_responses,
                                   counts[RS_ITEM_FLAGGED]);
  else
    {
      g_autoptr (GDateTime) when = g_date_time_new_from_unix_local (shown->created_at / G_USEC_PER_SEC);
      g_autofree char *date = g_date_time_format (when, "%Y-%m-%d %H:%M");

      description = g_strdup_printf (_("In force since %s: %u calibrated, %u provisional (fewer than %d answers), "
                                       "%u flagged. Flagged questions are kept out of tests until you decide."),
                                     date, counts[RS_ITEM_CALIBRATED], counts[RS_ITEM_PROVISIONAL],
                                     shown->min_responses, counts[RS_ITEM_FLAGGED]);
    }
  /* The one in force is the list's to keep; a review stays pending's. */
  self->showing_pending = shown == self->pending;
  rs_array_model_set_array_full (self->calibration, items, current,
                                 current != NULL ? (GDestroyNotify) rs_calibration_free : NULL);
  gtk_label_set_text (self->calibration_label, description);
  gtk_widget_set_visible (GTK_WIDGET (self->calibration_list), items->len > 0);
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
      rs_page_error (RS_PAGE (self), _("The Calibration Could Not Run"), error->message);
      return;
    }
  drop_pending (self);
  self->pending = calibration;
  gtk_stack_set_visible_child_name (self->sections, "calibration");
  if (!show_calibration (self, &error))
    rs_page_error (RS_PAGE (self), _("The Calibration Cannot Be Shown"), error->message);
  rs_page_toast (RS_PAGE (self), _("Calibration ready for review: apply it to put it in force"));
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
  /* Where its spinner turns and its result will show. */
  gtk_stack_set_visible_child_name (self->sections, "calibration");
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
  return g_list_model_get_n_items (G_LIST_MODEL (self->calibration));
}

void
rs_admin_bank_show_section (RsAdminBank *self, const char *name)
{
  g_return_if_fail (RS_IS_ADMIN_BANK (self));
  gtk_stack_set_visible_child_name (self->sections, name);
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
      g_set_error_literal (error, RS_ERROR, RS_ERROR_INVALID, _("Run a calibration and review it first"));
      return FALSE;
    }
  if (!rs_calibration_apply (rs_page_get_store (RS_PAGE (self)), self->pending,
                             rs_page_get_person (RS_PAGE (self)), error))
    return FALSE;
  toast = g_strdup_printf (_("Calibration %.8s is in force"), self->pending->uuid);
  drop_pending (self);
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
  toast = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Re-scored %d result; the earlier values are kept",
                                        "Re-scored %d results; the earlier values are kept", n),
                           n);
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
    rs_page_error (RS_PAGE (widget), _("The Calibration Was Not Applied"), error->message);
}

static void
decide_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  g_autoptr (GError) error = NULL;
  const char *item_id, *decision;

  g_variant_get (parameter, "(&s&s)", &item_id, &decision);
  if (!rs_admin_bank_decide (RS_ADMIN_BANK (widget), item_id,
                             g_str_equal (decision, "use") ? RS_DECISION_USE : RS_DECISION_WITHHOLD, &error))
    rs_page_error (RS_PAGE (widget), _("The Decision Was Not Saved"), error->message);
}

static void
rescore_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  g_autoptr (GError) error = NULL;

  if (!rs_admin_bank_rescore (RS_ADMIN_BANK (widget), NULL, &error))
    rs_page_error (RS_PAGE (widget), _("The Results Were Not Re-scored"), error->message);
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
  g_autoptr (GPtrArray) problems = NULL;

  if (bank != NULL)
    for (guint i = 0; i < rs_bank_diagnostics (bank)->len; i++)
      g_ptr_array_add (diagnostics, g_ptr_array_index (rs_bank_diagnostics (bank), i));
  g_ptr_array_sort (diagnostics, compare_diagnostics);
  n = diagnostics->len;
  gtk_label_set_text (self->folder_label, dir != NULL ? dir : _("(not known: the bank was not loaded from a folder)"));
  if (bank != NULL)
    {
      guint per_skill[RS_N_SKILLS];
      g_autoptr (GString) text = g_string_new (NULL);

      for (int s = 0; s < RS_N_SKILLS; s++)
        per_skill[s] = rs_bank_skill_items (bank, (RsSkill) s)->len;
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u question", "%u questions", rs_bank_n_items (bank)),
                              rs_bank_n_items (bank));
      for (int s = 0; s < RS_N_SKILLS; s++)
        g_string_append_printf (text, "%s%s %u", s == 0 ? ": " : ", ", rs_skill_title ((RsSkill) s), per_skill[s]);
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, ". %u problem.", ". %u problems.", n), n);
      summary = g_string_free (g_steal_pointer (&text), FALSE);
    }
  else
    summary = g_strdup (_("No question bank is loaded."));
  gtk_label_set_text (self->summary_label, summary);

  g_ptr_array_set_size (self->lines, 0);
  problems = g_ptr_array_new_full (n, (GDestroyNotify) problem_free);
  for (guint i = 0; i < n; i++)
    {
      const RsDiagnostic *d = g_ptr_array_index (diagnostics, i);
      g_autofree char *where = d->line > 0 ? g_strdup_printf ("%s:%d", d->file, d->line) : g_strdup (d->file);
      Problem *problem = g_new0 (Problem, 1);
      /* On screen, the path within the folder: the part an author edits. */
      const char *shown = where;

      if (dir != NULL && g_str_has_prefix (where, dir) && where[strlen (dir)] == G_DIR_SEPARATOR)
        shown = where + strlen (dir) + 1;
      g_ptr_array_add (self->lines, g_strdup_printf ("%s: %s", where, d->message));
      problem->message = g_strdup (d->message);
      problem->where = g_strdup (shown);
      g_ptr_array_add (problems, problem);
    }
  rs_array_model_set_array (self->problems, problems);
  gtk_widget_set_visible (GTK_WIDGET (self->diagnostics_list), n > 0);
  if (n == 0)
    description = g_strdup (_("No problems found: every question in the folder passed validation."));
  else
    description = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                 "%u problem in the question files, as file:line: message. A broken "
                                                 "question is left out; the rest of its file still loads.",
                                                 "%u problems in the question files, as file:line: message. A broken "
                                                 "question is left out; the rest of its file still loads.", n),
                                   n);
  gtk_label_set_text (self->diagnostics_label, description);
}

static void
bind_problem (RsListRow *row, gpointer item, gpointer data)
{
  const Problem *problem = rs_array_item_get (item);

  rs_list_row_set_title (row, problem->message);
  rs_list_row_set_subtitle (row, problem->where);
  rs_list_row_set_icon (row, "dialog-warning-symbolic", "Problem", "warning");
}

/* Why a question is flagged, in words: its numbers are on the line below,
 * once (rs_item_stat_reasons repeats them, which suits the command line's
 * one line per question but doubled them here). */
char *
rs_admin_bank_flag_words (guint flags)
{
  g_autoptr (GPtrArray) words = g_ptr_array_new ();

  if (flags & RS_ITEM_FLAG_TOO_HARD)
    g_ptr_array_add (words, _("too hard: few answer it right"));
  if (flags & RS_ITEM_FLAG_TOO_EASY)
    g_ptr_array_add (words, _("too easy: nearly everyone answers it right"));
  if (flags & RS_ITEM_FLAG_LOW_DISCRIMINATION)
    g_ptr_array_add (words, _("does not tell stronger from weaker people"));
  if (flags & RS_ITEM_FLAG_OVEREXPOSED)
    g_ptr_array_add (words, _("shown too often"));
  g_ptr_array_add (words, NULL);
  /* Translators: the separator between the reasons a question is flagged. */
  return g_strjoinv (_("; "), (char **) words->pdata);
}

static void
bind_stat (RsListRow *row, gpointer item, gpointer data)
{
  const RsItemStat *stat = rs_array_item_get (item);
  g_autofree char *reasons = rs_admin_bank_flag_words (stat->flags & RS_ITEM_FLAGS_REVIEW);
  /* Translators: a question's discrimination when its scores never vary. */
  g_autofree char *discrimination = isnan (stat->discrimination) ? g_strdup (_("none"))
                                                                 : g_strdup_printf ("%.2f", stat->discrimination);
  gboolean review = (stat->flags & RS_ITEM_FLAGS_REVIEW) != 0;
  /* Translators: a flagged question's id and skill. */
  g_autofree char *title = review ? g_strdup_printf (_("Review: %s · %s"), stat->item_id, rs_skill_title (stat->skill))
                                  : g_strdup_printf ("%s · %s", stat->item_id, rs_skill_title (stat->skill));
  /* Translators: a question's statistics; the terms are explained above the list. */
  g_autofree char *numbers = g_strdup_printf (_("shown %d× · facility %.2f · discrimination %s · exposure %.2f · "
                                                "%.0f s on average"), stat->n_shown, stat->facility, discrimination,
                                              stat->exposure, stat->mean_time_ms / 1000);
  g_autofree char *subtitle = reasons[0] != '\0' ? g_strdup_printf ("%s\n%s", reasons, numbers) : g_strdup (numbers);

  rs_list_row_set_title (row, title);
  rs_list_row_set_subtitle (row, subtitle);
  if (review)
    rs_list_row_set_icon (row, "dialog-warning-symbolic", _("Flagged for review"), "warning");
}

static gboolean
show_stats (RsAdminBank *self, GError **error)
{
  g_autoptr (GPtrArray) stats = NULL;
  guint n_flagged = 0;
  g_autofree char *description = NULL;

  rs_item_stats_options_init (&self->stats_options);
  stats = rs_item_stats_compute (rs_page_get_store (RS_PAGE (self)), rs_page_get_person (RS_PAGE (self)),
                                 &self->stats_options, error);
  if (stats == NULL)
    return FALSE;
  for (guint i = 0; i < stats->len; i++)
    {
      const RsItemStat *stat = g_ptr_array_index (stats, i);
      if (stat->flags & RS_ITEM_FLAGS_REVIEW)
        n_flagged++;
    }
  rs_array_model_set_array (self->stats, stats);
  gtk_widget_set_visible (GTK_WIDGET (self->stats_list), stats->len > 0);
  if (stats->len == 0)
    description = g_strdup (_("No responses yet: statistics appear once people have answered questions."));
  else
    {
      g_autofree char *counts = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                              "%u question answered so far; %u flagged for review, "
                                                              "listed first with the reasons. Below %d responses the "
                                                              "numbers are too few to judge.",
                                                              "%u questions answered so far; %u flagged for review, "
                                                              "listed first with the reasons. Below %d responses the "
                                                              "numbers are too few to judge.",
                                                              stats->len),
                                                 stats->len, n_flagged, self->stats_options.min_responses);

      /* Each term once, here, rather than beside every number. */
      description = g_strdup_printf ("%s\n%s", counts,
                                     _("Facility: the share of answers that were right, from 0 to 1. "
                                       "Discrimination: how well the question tells stronger from weaker people "
                                       "(the correlation of its score with the rest of the attempt; below 0.2 it "
                                       "tells little). Exposure: the share of attempts in its skill that showed it."));
    }
  gtk_label_set_text (self->stats_label, description);
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
      g_set_error_literal (error, RS_ERROR, RS_ERROR_INVALID, _("This window was not started with a questions folder"));
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
      g_set_error_literal (error, RS_ERROR, RS_ERROR_INVALID, _("An assessment is under way on this window; finish or pause it first"));
      return FALSE;
    }
  /* The context owns it now. */
  show_bank (self, g_steal_pointer (&bank));
  toast = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Reloaded %u question", "Reloaded %u questions", n_items),
                           n_items);
  {
    g_autofree char *problems = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u problem", "%u problems", n_problems),
                                                 n_problems);
    g_autofree char *both = g_strdup_printf ("%s, %s", toast, problems);

    g_free (toast);
    toast = g_steal_pointer (&both);
  }
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
    rs_page_error (RS_PAGE (widget), _("The Questions Were Not Reloaded"), error->message);
}

static void
rs_admin_bank_dispose (GObject *object)
{
  RsAdminBank *self = RS_ADMIN_BANK (object);

  /* The rows go first, then what they showed. */
  if (self->diagnostics_list != NULL)
    {
      gtk_list_view_set_model (self->diagnostics_list, NULL);
      gtk_list_view_set_model (self->calibration_list, NULL);
      gtk_list_view_set_model (self->stats_list, NULL);
    }
  g_clear_object (&self->problems);
  g_clear_object (&self->calibration);
  g_clear_object (&self->stats);
  self->showing_pending = FALSE;
  g_clear_pointer (&self->pending, rs_calibration_free);
  G_OBJECT_CLASS (rs_admin_bank_parent_class)->dispose (object);
}

static void
rs_admin_bank_finalize (GObject *object)
{
  RsAdminBank *self = RS_ADMIN_BANK (object);

  g_ptr_array_unref (self->lines);
  G_OBJECT_CLASS (rs_admin_bank_parent_class)->finalize (object);
}

static void
rs_admin_bank_class_init (RsAdminBankClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  RsPageClass *page_class = RS_PAGE_CLASS (klass);

  page_class->clear = rs_admin_bank_clear;
  object_class->dispose = rs_admin_bank_dispose;
  object_class->finalize = rs_admin_bank_finalize;

  gtk_widget_class_install_action (widget_class, "bank.reload", NULL, reload_action);
  gtk_widget_class_install_action (widget_class, "bank.calibrate", NULL, calibrate_action);
  gtk_widget_class_install_action (widget_class, "bank.apply-calibration", NULL, apply_calibration_action);
  gtk_widget_class_install_action (widget_class, "bank.decide", "(ss)", decide_action);
  gtk_widget_class_install_action (widget_class, "bank.rescore", NULL, rescore_action);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/reskill/Reskill/ui/rs-admin-bank.ui");
  gtk_widget_class_bind_template_child (widget_class, RsAdminBank, folder_label);
  gtk_widget_class_bind_template_child (widget_class, RsAdminBank, summary_label);
  gtk_widget_class_bind_template_child (widget_class, RsAdminBank, sections);
  gtk_widget_class_bind_template_child (widget_class, RsAdminBank, diagnostics_label);
  gtk_widget_class_bind_template_child (widget_class, RsAdminBank, diagnostics_list);
  gtk_widget_class_bind_template_child (widget_class, RsAdminBank, calibration_label);
  gtk_widget_class_bind_template_child (widget_class, RsAdminBank, calibration_list);
  gtk_widget_class_bind_template_child (widget_class, RsAdminBank, stats_label);
  gtk_widget_class_bind_template_child (widget_class, RsAdminBank, stats_list);
  gtk_widget_class_bind_template_child (widget_class, RsAdminBank, calibration_spinner);
}

/* A list view of the page, over model, its rows made by bind. */
static void
set_up_list (RsAdminBank *self, GtkListView *list, RsArrayModel *model, RsListRowBind bind)
{
  g_autoptr (GtkListItemFactory) factory = rs_list_row_factory_new (bind, self);
  g_autoptr (GtkNoSelection) selection = gtk_no_selection_new (G_LIST_MODEL (g_object_ref (model)));

  gtk_list_view_set_factory (list, factory);
  gtk_list_view_set_model (list, GTK_SELECTION_MODEL (selection));
}

static void
rs_admin_bank_init (RsAdminBank *self)
{
  self->lines = g_ptr_array_new_with_free_func (g_free);
  self->problems = rs_array_model_new ();
  self->calibration = rs_array_model_new ();
  self->stats = rs_array_model_new ();
  rs_item_stats_options_init (&self->stats_options);
  gtk_widget_init_template (GTK_WIDGET (self));
  set_up_list (self, self->diagnostics_list, self->problems, bind_problem);
  set_up_list (self, self->calibration_list, self->calibration, bind_calibration_item);
  set_up_list (self, self->stats_list, self->stats, bind_stat);
  update_actions (self);
}
