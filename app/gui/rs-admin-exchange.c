/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Bundles are checked and merged by rs-exchange, all or nothing per file;
 * the page lists what each one did, newest first, so an administrator going
 * through a stick of bundles sees every outcome, not only the last.
 *
 * Exports and imports run in a GTask on a worker thread: the store is
 * locked per call, so the kiosk's window keeps answering, and a bundle
 * built to be slow meets its deadline (rs-untrusted-db) or the Cancel
 * button. The worker loads its own copy of the question bank to check
 * results against, so that the window's bank can be reloaded meanwhile. */
#include "rs-admin-exchange.h"

#include <glib/gi18n-lib.h>
#include "rs-calibration.h"

#include "rs-dialogs.h"
#include "rs-error.h"
#include "rs-exchange.h"
#include "rs-trust.h"

struct _RsAdminExchange
{
  RsPage parent_instance;

  GPtrArray *rows;
  GPtrArray *kiosk_rows;
  char *last_message;
  GCancellable *cancellable;       /* the running job's; NULL when idle */
  gboolean disposed;               /* a job may end after the page is gone */

  GtkSwitch *all_kiosks_switch;
  GtkListBox *log_list;
  GtkWidget *log_empty_row;
  AdwActionRow *key_row;
  GtkListBox *kiosks_list;
  GtkWidget *kiosks_empty_row;
  AdwEntryRow *trust_entry;
  AdwEntryRow *trust_name_entry;
  GtkWidget *progress_row;
  GtkProgressBar *progress_bar;
  AdwActionRow *sync_row;
  RsSyncScheduler *sync;           /* the context's; its signals followed while set */
};

G_DEFINE_FINAL_TYPE (RsAdminExchange, rs_admin_exchange, RS_TYPE_PAGE)

static void
log_line (RsAdminExchange *self, gboolean ok, const char *title, const char *detail)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name (ok ? "object-select-symbolic" : "dialog-error-symbolic");

  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, ok ? "Done" : "Failed", -1);
  gtk_widget_add_css_class (icon, ok ? "success" : "error");
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), detail);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  gtk_widget_set_visible (self->log_empty_row, FALSE);
  /* Newest first. */
  gtk_list_box_prepend (self->log_list, row);
  g_ptr_array_add (self->rows, row);
  g_free (self->last_message);
  self->last_message = g_strdup_printf ("%s: %s", title, detail);
}

/* --- keys and trusted kiosks --- */

static void
revoke_clicked (GtkButton *button, RsAdminExchange *self)
{
  g_autoptr (GError) error = NULL;
  const char *fingerprint = g_object_get_data (G_OBJECT (button), "fingerprint");

  if (!rs_admin_exchange_revoke (self, fingerprint, &error))
    rs_page_error (RS_PAGE (self), _("The Kiosk Was Not Revoked"), error->message);
}

static void
refresh_kiosks (RsAdminExchange *self)
{
  RsStore *store = rs_page_get_store (RS_PAGE (self));
  g_autoptr (GPtrArray) kiosks = NULL;
  g_autoptr (GError) error = NULL;

  for (guint i = 0; i < self->kiosk_rows->len; i++)
    gtk_list_box_remove (self->kiosks_list, g_ptr_array_index (self->kiosk_rows, i));
  g_ptr_array_set_size (self->kiosk_rows, 0);
  adw_action_row_set_subtitle (self->key_row, store != NULL && rs_store_key_fingerprint (store) != NULL
                                                ? rs_store_key_fingerprint (store) : _("No key: read-only database"));
  if (store == NULL)
    return;
  kiosks = rs_trust_list (store, rs_page_get_person (RS_PAGE (self)), &error);
  for (guint i = 0; kiosks != NULL && i < kiosks->len; i++)
    {
      const RsTrustedKiosk *k = g_ptr_array_index (kiosks, i);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *title = g_strdup_printf ("%s%s", k->name != NULL ? k->name : _("Unnamed kiosk"),
                                                k->revoked_at != 0 ? _(" (revoked)") : "");

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), k->fingerprint);
      gtk_widget_add_css_class (row, "property");
      if (k->revoked_at == 0)
        {
          GtkWidget *button = gtk_button_new_with_mnemonic ("_Revoke");
          g_autofree char *label = g_strdup_printf (_("Revoke %s"), title);

          gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
          gtk_widget_add_css_class (button, "destructive-action");
          gtk_widget_set_name (button, "exchange-revoke");
          gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
          g_object_set_data_full (G_OBJECT (button), "fingerprint", g_strdup (k->fingerprint), g_free);
          g_signal_connect (button, "clicked", G_CALLBACK (revoke_clicked), self);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
        }
      gtk_list_box_append (self->kiosks_list, row);
      g_ptr_array_add (self->kiosk_rows, row);
    }
  gtk_widget_set_visible (self->kiosks_empty_row, self->kiosk_rows->len == 0);
}

gboolean
rs_admin_exchange_trust (RsAdminExchange *self, const char *fingerprint_or_file, const char *name, GError **error)
{
  g_autofree char *fingerprint = NULL, *title = NULL;

  g_return_val_if_fail (RS_IS_ADMIN_EXCHANGE (self), FALSE);
  if (!rs_trust_kiosk (rs_page_get_store (RS_PAGE (self)), rs_page_get_person (RS_PAGE (self)),
                       fingerprint_or_file, name, &fingerprint, error))
    return FALSE;
  title = g_strdup_printf (_("Trusted kiosk %s"), fingerprint);
  log_line (self, TRUE, title, _("Its signed results bundles are accepted from now on."));
  rs_page_toast (RS_PAGE (self), _("Kiosk trusted"));
  refresh_kiosks (self);
  return TRUE;
}

gboolean
rs_admin_exchange_revoke (RsAdminExchange *self, const char *fingerprint_or_name, GError **error)
{
  g_autofree char *fingerprint = NULL, *title = NULL;

  g_return_val_if_fail (RS_IS_ADMIN_EXCHANGE (self), FALSE);
  if (!rs_trust_revoke (rs_page_get_store (RS_PAGE (self)), rs_page_get_person (RS_PAGE (self)),
                        fingerprint_or_name, &fingerprint, error))
    return FALSE;
  title = g_strdup_printf (_("Revoked kiosk %s"), fingerprint);
  log_line (self, TRUE, title, _("Its bundles are refused from now on; results already imported stay."));
  rs_page_toast (RS_PAGE (self), _("Kiosk revoked"));
  refresh_kiosks (self);
  return TRUE;
}

static void
trust_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  RsAdminExchange *self = RS_ADMIN_EXCHANGE (widget);
  g_autofree char *typed = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->trust_entry))));
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->trust_name_entry))));
  g_autoptr (GError) error = NULL;

  if (*typed == '\0')
    {
      rs_page_error (RS_PAGE (widget), _("No Fingerprint"),
                         _("Type the fingerprint the other kiosk shows on its Exchange page, or choose its key file."));
      return;
    }
  if (!rs_admin_exchange_trust (self, typed, *name != '\0' ? name : NULL, &error))
    {
      rs_page_error (RS_PAGE (widget), _("The Kiosk Was Not Trusted"), error->message);
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (self->trust_entry), "");
  gtk_editable_set_text (GTK_EDITABLE (self->trust_name_entry), "");
}

static void
on_key_file_chosen (GtkWidget *from, GSList *paths, gpointer user_data)
{
  RsAdminExchange *self = RS_ADMIN_EXCHANGE (from);
  g_autofree char *name = NULL;
  g_autoptr (GError) error = NULL;

  if (paths == NULL)
    return;
  name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->trust_name_entry))));
  if (!rs_admin_exchange_trust (self, paths->data, *name != '\0' ? name : NULL, &error))
    rs_page_error (RS_PAGE (from), _("The Kiosk Was Not Trusted"), error->message);
}

static void
trust_file_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  rs_dialog_choose_open (widget, _("Trust a Kiosk’s Public Key"), _("_Trust"), FALSE, _("Kiosk public keys"), "*.pub",
                         on_key_file_chosen, NULL);
}

static void
on_key_save_chosen (GtkWidget *from, GSList *paths, gpointer user_data)
{
  RsAdminExchange *self = RS_ADMIN_EXCHANGE (from);
  g_autoptr (GError) error = NULL;
  RsStore *store = rs_page_get_store (RS_PAGE (self));

  if (paths == NULL)
    return;
  if (!rs_store_has_key (store) || !rs_kiosk_key_write_public (rs_store_kiosk_key (store), paths->data, &error))
    rs_page_error (RS_PAGE (from), _("The Key Was Not Saved"),
                       error != NULL ? error->message : _("This kiosk has no key."));
  else
    log_line (self, TRUE, _("Saved this kiosk’s public key"), paths->data);
}

static void
save_key_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  rs_dialog_choose_save (widget, _("Save This Kiosk’s Public Key"), "reskill-kiosk.pub", _("_Save"), on_key_save_chosen,
                         NULL);
}

/* --- the worker --- */

typedef enum {
  JOB_EXPORT,
  JOB_IMPORT,
} JobKind;

typedef struct {
  JobKind kind;
  RsStore *store;            /* borrowed: the context outlives the job (it is held) */
  RsContext *context;        /* a reference */
  RsPerson viewer;           /* a copy of the signed-in person's id and role */
  gboolean has_viewer;
  char *questions_dir;
  const RsBank *window_bank; /* only when there is no folder to load a copy from */
  RsExportOptions export_options;
  char **paths;
  /* Results, one line per file, filled by the worker. */
  GPtrArray *titles;
  GPtrArray *details;
  GArray *oks;
  RsAdminExchange *self;     /* a reference, for progress */
} Job;

static void
job_free (Job *job)
{
  g_clear_object (&job->context);
  g_free (job->viewer.employee_no);
  g_free (job->questions_dir);
  g_strfreev (job->paths);
  g_clear_pointer (&job->titles, g_ptr_array_unref);
  g_clear_pointer (&job->details, g_ptr_array_unref);
  g_clear_pointer (&job->oks, g_array_unref);
  g_clear_object (&job->self);
  g_free (job);
}

typedef struct {
  RsAdminExchange *self;
  double fraction;
} Progress;

static gboolean
show_progress (gpointer data)
{
  Progress *p = data;

  if (!p->self->disposed && p->self->cancellable != NULL)
    gtk_progress_bar_set_fraction (p->self->progress_bar, p->fraction);
  g_object_unref (p->self);
  g_free (p);
  return G_SOURCE_REMOVE;
}

/* From the worker: hands the fraction to the main thread. */
static void
on_progress (double fraction, gpointer data)
{
  Job *job = data;
  Progress *p = g_new0 (Progress, 1);

  p->self = g_object_ref (job->self);
  p->fraction = fraction;
  g_idle_add (show_progress, p);
}

static void
job_result (Job *job, gboolean ok, char *title, char *detail)
{
  g_ptr_array_add (job->titles, title);
  g_ptr_array_add (job->details, detail);
  g_array_append_val (job->oks, ok);
}

static void
run_export (Job *job, GCancellable *cancellable)
{
  RsExportSummary summary = { 0 };
  g_autoptr (GError) error = NULL;
  g_autofree char *basename = g_path_get_basename (job->paths[0]);

  job->export_options.cancellable = cancellable;
  job->export_options.progress = on_progress;
  job->export_options.progress_data = job;
  if (!rs_exchange_export (job->store, job->has_viewer ? &job->viewer : NULL, job->paths[0], &job->export_options,
                           &summary, &error))
    {
      job_result (job, FALSE, g_strdup_printf (_("Export to %s failed"), basename), g_strdup (error->message));
      return;
    }
  {
    g_autofree char *attempts = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d attempt", "%d attempts",
                                                              summary.n_attempts), summary.n_attempts);
    g_autofree char *answers = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d answer", "%d answers",
                                                             summary.n_responses), summary.n_responses);
    g_autofree char *results = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d result", "%d results",
                                                             summary.n_results), summary.n_results);

    job_result (job, TRUE, g_strdup_printf (_("Exported %s"), basename),
                /* Translators: "3 attempts, 40 answers, 12 results", whose, then the file. */
                g_strdup_printf (_("%s, %s, %s%s, signed by this kiosk · %s"), attempts, answers, results,
                                 job->export_options.all_kiosks ? _(" (every kiosk’s)") : _(" (made on this kiosk)"),
                                 job->paths[0]));
  }
  rs_export_summary_clear (&summary);
}

static void
run_import (Job *job, GCancellable *cancellable)
{
  g_autoptr (RsBank) own_bank = NULL;
  g_autoptr (GError) bank_error = NULL;
  const RsBank *banks[1] = { job->window_bank };
  RsImportOptions options = { 0 };
  guint n_ok = 0;

  if (job->questions_dir != NULL)
    {
      own_bank = rs_bank_new ();
      /* With the calibration in force here, as the window's bank has it:
       * results are recomputed with the parameters that scored them. */
      if (rs_bank_load_dir (own_bank, job->questions_dir, &bank_error)
          && rs_calibration_apply_to_bank (job->store, own_bank, &bank_error))
        banks[0] = own_bank;
    }
  options.banks = banks;
  options.n_banks = banks[0] != NULL ? 1 : 0;
  options.cancellable = cancellable;
  options.progress = on_progress;
  options.progress_data = job;
  for (int i = 0; job->paths[i] != NULL; i++)
    {
      g_autofree char *basename = g_path_get_basename (job->paths[i]);
      g_autoptr (GError) error = NULL;
      RsImportSummary summary = { 0 };

      if (!rs_exchange_import (job->store, job->has_viewer ? &job->viewer : NULL, job->paths[i], &options, &summary,
                               &error))
        job_result (job, FALSE, g_strdup_printf ("%s was not imported", basename), g_strdup (error->message));
      else
        {
          g_autofree char *described = rs_import_summary_describe (&summary);
          job_result (job, TRUE, g_strdup_printf (_("Imported %s"), basename),
                      g_strdup_printf (_("Signed by %s%s%s%s. %s"), summary.signer_fingerprint,
                                       summary.signer_name != NULL ? " (" : "",
                                       summary.signer_name != NULL ? summary.signer_name : "",
                                       summary.signer_name != NULL ? ")" : "", described));
          n_ok++;
        }
      rs_import_summary_clear (&summary);
      if (g_cancellable_is_cancelled (cancellable))
        break;
    }
  /* After an import, the full check (docs/ARCHITECTURE.md, Integrity). */
  if (n_ok > 0)
    {
      g_autofree char *problem = NULL;
      g_autoptr (GError) error = NULL;

      if (!rs_store_check_integrity (job->store, &problem, &error))
        job_result (job, FALSE, g_strdup (_("The database could not be checked")), g_strdup (error->message));
      else if (problem != NULL)
        job_result (job, FALSE, g_strdup (_("The database is damaged")), g_strdup (problem));
    }
}

static void
job_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  Job *job = data;

  if (job->kind == JOB_EXPORT)
    run_export (job, cancellable);
  else
    run_import (job, cancellable);
  g_task_return_boolean (task, TRUE);
}

static void
set_busy (RsAdminExchange *self, gboolean busy)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "exchange.export", !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "exchange.import", !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "exchange.cancel", busy);
  gtk_widget_set_visible (self->progress_row, busy);
  gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
}

static void
job_done (GObject *source, GAsyncResult *result, gpointer data)
{
  RsAdminExchange *self = RS_ADMIN_EXCHANGE (source);
  Job *job = g_task_get_task_data (G_TASK (result));
  guint n_ok = 0;

  g_clear_object (&self->cancellable);
  if (self->disposed)
    return;
  set_busy (self, FALSE);
  for (guint i = 0; i < job->titles->len; i++)
    {
      gboolean ok = g_array_index (job->oks, gboolean, i);

      log_line (self, ok, g_ptr_array_index (job->titles, i), g_ptr_array_index (job->details, i));
      n_ok += ok;
    }
  if (job->kind == JOB_EXPORT && job->titles->len > 0)
    rs_page_toast (RS_PAGE (self), g_ptr_array_index (job->titles, 0));
  else if (job->kind == JOB_IMPORT)
    {
      guint n = g_strv_length (job->paths);
      g_autofree char *toast = n_ok == n ? g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Imported %u bundle",
                                                                               "Imported %u bundles", n), n)
                                         : g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                                         "%u of %u bundle imported; see the list for why",
                                                                         "%u of %u bundles imported; see the list for why",
                                                                         n), n_ok, n);
      rs_page_toast (RS_PAGE (self), toast);
    }
}

static gboolean
start_job (RsAdminExchange *self, Job *job, GError **error)
{
  const RsPerson *person = rs_page_get_person (RS_PAGE (self));
  g_autoptr (GTask) task = NULL;

  if (self->cancellable != NULL)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_FAILED, _("Another export or import is running: wait for it, or cancel it."));
      job_free (job);
      return FALSE;
    }
  job->context = g_object_ref (rs_page_get_context (RS_PAGE (self)));
  job->store = rs_page_get_store (RS_PAGE (self));
  job->self = g_object_ref (self);
  job->titles = g_ptr_array_new_with_free_func (g_free);
  job->details = g_ptr_array_new_with_free_func (g_free);
  job->oks = g_array_new (FALSE, FALSE, sizeof (gboolean));
  if (person != NULL)
    {
      job->viewer = *person;
      job->viewer.employee_no = g_strdup (person->employee_no);
      job->viewer.name = NULL;
      job->viewer.team_name = NULL;
      job->has_viewer = TRUE;
    }
  job->questions_dir = g_strdup (rs_context_get_questions_dir (rs_page_get_context (RS_PAGE (self))));
  if (job->questions_dir == NULL)
    {
      job->window_bank = rs_page_get_bank (RS_PAGE (self));
      /* Computed here, once: the worker must not be the first to ask. */
      if (job->window_bank != NULL)
        rs_bank_version (job->window_bank);
    }
  self->cancellable = g_cancellable_new ();
  set_busy (self, TRUE);
  task = g_task_new (self, self->cancellable, job_done, NULL);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  g_task_run_in_thread (task, job_thread);
  return TRUE;
}

gboolean
rs_admin_exchange_export_to (RsAdminExchange *self, const char *path, GError **error)
{
  Job *job = g_new0 (Job, 1);

  g_return_val_if_fail (RS_IS_ADMIN_EXCHANGE (self), FALSE);
  job->kind = JOB_EXPORT;
  job->paths = g_new0 (char *, 2);
  job->paths[0] = g_strdup (path);
  job->export_options.all_kiosks = gtk_switch_get_active (self->all_kiosks_switch);
  job->export_options.overwrite = TRUE;
  return start_job (self, job, error);
}

gboolean
rs_admin_exchange_import_files (RsAdminExchange *self, GSList *paths, GError **error)
{
  Job *job = g_new0 (Job, 1);
  guint n = g_slist_length (paths), i = 0;

  g_return_val_if_fail (RS_IS_ADMIN_EXCHANGE (self), FALSE);
  job->kind = JOB_IMPORT;
  job->paths = g_new0 (char *, n + 1);
  for (GSList *l = paths; l != NULL; l = l->next)
    job->paths[i++] = g_strdup (l->data);
  return start_job (self, job, error);
}

gboolean
rs_admin_exchange_is_busy (RsAdminExchange *self)
{
  g_return_val_if_fail (RS_IS_ADMIN_EXCHANGE (self), FALSE);
  return self->cancellable != NULL;
}

void
rs_admin_exchange_cancel (RsAdminExchange *self)
{
  g_return_if_fail (RS_IS_ADMIN_EXCHANGE (self));
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

static void
rs_admin_exchange_clear (RsPage *page)
{
  RsAdminExchange *self = RS_ADMIN_EXCHANGE (page);

  for (guint i = 0; i < self->rows->len; i++)
    gtk_list_box_remove (self->log_list, g_ptr_array_index (self->rows, i));
  g_ptr_array_set_size (self->rows, 0);
  g_clear_pointer (&self->last_message, g_free);
  gtk_widget_set_visible (self->log_empty_row, TRUE);
}

const char *
rs_admin_exchange_get_last_message (RsAdminExchange *self)
{
  g_return_val_if_fail (RS_IS_ADMIN_EXCHANGE (self), NULL);
  return self->last_message;
}

static void
on_export_chosen (GtkWidget *from, GSList *paths, gpointer user_data)
{
  g_autoptr (GError) error = NULL;

  if (paths == NULL)
    return;
  if (!rs_admin_exchange_export_to (RS_ADMIN_EXCHANGE (from), paths->data, &error))
    rs_page_error (RS_PAGE (from), _("The Results Were Not Exported"), error->message);
}

static void
on_import_chosen (GtkWidget *from, GSList *paths, gpointer user_data)
{
  g_autoptr (GError) error = NULL;

  if (paths == NULL)
    return;
  if (!rs_admin_exchange_import_files (RS_ADMIN_EXCHANGE (from), paths, &error))
    rs_page_error (RS_PAGE (from), _("The Results Were Not Imported"), error->message);
}

static void
export_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *name = g_date_time_format (now, "reskill-results-%Y-%m-%d.sqlite");

  rs_dialog_choose_save (widget, _("Export Results"), name, _("_Export"), on_export_chosen, NULL);
}

static void
import_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  rs_dialog_choose_open (widget, _("Import Results Bundles"), _("_Import"), TRUE, _("Results bundles"), "*.sqlite",
                         on_import_chosen, NULL);
}

static void
cancel_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  rs_admin_exchange_cancel (RS_ADMIN_EXCHANGE (widget));
}

/* The trusted kiosks as they are whenever the page is shown. */
/* --- the organization's server --- */

static void
refresh_sync (RsAdminExchange *self)
{
  g_autofree char *status = self->sync != NULL ? rs_sync_scheduler_describe (self->sync) : NULL;

  adw_action_row_set_subtitle (self->sync_row, status != NULL ? status : _("No database: nothing to sync"));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "exchange.sync",
                                 self->sync != NULL && !rs_sync_scheduler_is_busy (self->sync));
}

static void
sync_started (RsSyncScheduler *sync, RsAdminExchange *self)
{
  refresh_sync (self);
}

static void
sync_finished (RsSyncScheduler *sync, gboolean ok, RsAdminExchange *self)
{
  refresh_sync (self);
  log_line (self, ok, ok ? _("Synced with the organization’s server") : _("The sync did not finish"),
            rs_sync_scheduler_get_last_outcome (sync));
  refresh_kiosks (self);
}

static void
follow_sync (RsAdminExchange *self, RsSyncScheduler *sync)
{
  if (self->sync != NULL)
    g_signal_handlers_disconnect_by_data (self->sync, self);
  g_set_object (&self->sync, sync);
  if (sync != NULL)
    {
      g_signal_connect (sync, "started", G_CALLBACK (sync_started), self);
      g_signal_connect (sync, "finished", G_CALLBACK (sync_finished), self);
    }
  refresh_sync (self);
}

static void
sync_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  RsAdminExchange *self = RS_ADMIN_EXCHANGE (widget);

  if (self->sync == NULL || !rs_sync_scheduler_sync_now (self->sync))
    rs_dialog_message (widget, "exchange-error", _("No Organization Server"),
                       _("This kiosk works alone. To sync it, an administrator enrolls it with “reskill server "
                         "enroll” and sets the GSettings key “server” (docs/DEPLOYMENT.md)."));
  refresh_sync (self);
}

gboolean
rs_admin_exchange_sync_now (RsAdminExchange *self)
{
  g_return_val_if_fail (RS_IS_ADMIN_EXCHANGE (self), FALSE);
  return self->sync != NULL && rs_sync_scheduler_sync_now (self->sync);
}

const char *
rs_admin_exchange_get_sync_status (RsAdminExchange *self)
{
  g_return_val_if_fail (RS_IS_ADMIN_EXCHANGE (self), NULL);
  return adw_action_row_get_subtitle (self->sync_row);
}

static void
rs_admin_exchange_map (GtkWidget *widget)
{
  refresh_kiosks (RS_ADMIN_EXCHANGE (widget));
  GTK_WIDGET_CLASS (rs_admin_exchange_parent_class)->map (widget);
}

static void
rs_admin_exchange_context_changed (RsPage *page)
{
  RsContext *context = rs_page_get_context (page);

  refresh_kiosks (RS_ADMIN_EXCHANGE (page));
  follow_sync (RS_ADMIN_EXCHANGE (page), context != NULL ? rs_context_get_sync (context) : NULL);
}

static void
rs_admin_exchange_dispose (GObject *object)
{
  RsAdminExchange *self = RS_ADMIN_EXCHANGE (object);

  self->disposed = TRUE;
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  if (self->sync != NULL)
    g_signal_handlers_disconnect_by_data (self->sync, self);
  g_clear_object (&self->sync);
  G_OBJECT_CLASS (rs_admin_exchange_parent_class)->dispose (object);
}

static void
rs_admin_exchange_finalize (GObject *object)
{
  RsAdminExchange *self = RS_ADMIN_EXCHANGE (object);

  g_ptr_array_unref (self->rows);
  g_ptr_array_unref (self->kiosk_rows);
  g_clear_object (&self->cancellable);
  g_free (self->last_message);
  G_OBJECT_CLASS (rs_admin_exchange_parent_class)->finalize (object);
}

static void
rs_admin_exchange_class_init (RsAdminExchangeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  RsPageClass *page_class = RS_PAGE_CLASS (klass);

  page_class->context_changed = rs_admin_exchange_context_changed;
  page_class->clear = rs_admin_exchange_clear;

  object_class->dispose = rs_admin_exchange_dispose;
  object_class->finalize = rs_admin_exchange_finalize;
  widget_class->map = rs_admin_exchange_map;

  gtk_widget_class_install_action (widget_class, "exchange.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "exchange.import", NULL, import_action);
  gtk_widget_class_install_action (widget_class, "exchange.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "exchange.trust", NULL, trust_action);
  gtk_widget_class_install_action (widget_class, "exchange.trust-file", NULL, trust_file_action);
  gtk_widget_class_install_action (widget_class, "exchange.save-key", NULL, save_key_action);
  gtk_widget_class_install_action (widget_class, "exchange.sync", NULL, sync_action);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/reskill/Reskill/ui/rs-admin-exchange.ui");
  gtk_widget_class_bind_template_child (widget_class, RsAdminExchange, all_kiosks_switch);
  gtk_widget_class_bind_template_child (widget_class, RsAdminExchange, log_list);
  gtk_widget_class_bind_template_child (widget_class, RsAdminExchange, log_empty_row);
  gtk_widget_class_bind_template_child (widget_class, RsAdminExchange, key_row);
  gtk_widget_class_bind_template_child (widget_class, RsAdminExchange, kiosks_list);
  gtk_widget_class_bind_template_child (widget_class, RsAdminExchange, kiosks_empty_row);
  gtk_widget_class_bind_template_child (widget_class, RsAdminExchange, trust_entry);
  gtk_widget_class_bind_template_child (widget_class, RsAdminExchange, trust_name_entry);
  gtk_widget_class_bind_template_child (widget_class, RsAdminExchange, progress_row);
  gtk_widget_class_bind_template_child (widget_class, RsAdminExchange, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, RsAdminExchange, sync_row);
}

static void
rs_admin_exchange_init (RsAdminExchange *self)
{
  self->rows = g_ptr_array_new ();
  self->kiosk_rows = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  set_busy (self, FALSE);
}
