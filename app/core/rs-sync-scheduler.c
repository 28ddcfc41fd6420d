/* SPDX-License-Identifier: GPL-3.0-or-later */
/* See rs-sync-scheduler.h. The worker thread opens the database again
 * for itself (SQLite's WAL lets both connections work at once), so that a
 * sync still running when the window closes never uses a store that is
 * gone; and it gets its own GSettings for the settings a sync pulls: a
 * GSettings object belongs to the thread it was made in. */
#include "rs-sync-scheduler.h"

#include <glib/gi18n-lib.h>

#include "rs-error.h"
#include "rs-gsettings.h"
#include "rs-i18n.h"
#include "rs-sync.h"

struct _RsSyncScheduler
{
  GObject parent_instance;

  RsStore *store;
  GSettings *settings;
  char *server;                /* overrides the settings' */
  guint timeout_id;
  GCancellable *cancellable;   /* the running sync's; NULL when idle */
  char *last_outcome;
  gboolean last_ok;
};

G_DEFINE_FINAL_TYPE (RsSyncScheduler, rs_sync_scheduler, G_TYPE_OBJECT)

enum {
  SIGNAL_STARTED,
  SIGNAL_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct {
  char *path;
  char *conninfo;
  gboolean use_settings;
  gboolean ok;
  char *outcome;
} Job;

static void
job_free (Job *job)
{
  g_free (job->path);
  g_free (job->conninfo);
  g_free (job->outcome);
  g_free (job);
}

static void
job_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  Job *job = data;
  g_autoptr (GSettings) settings = job->use_settings ? rs_gsettings_new () : NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (RsStore) store = rs_store_open (job->path, &error);
  RsSyncOptions options = { settings, cancellable, NULL };
  RsSyncSummary summary = { 0 };

  job->ok = store != NULL && rs_sync (store, job->conninfo, &options, &summary, &error);
  job->outcome = job->ok ? rs_sync_summary_describe (&summary) : g_strdup (error->message);
  rs_sync_summary_clear (&summary);
  g_task_return_boolean (task, TRUE);
}

static void
job_done (GObject *source, GAsyncResult *result, gpointer data)
{
  RsSyncScheduler *self = RS_SYNC_SCHEDULER (source);
  Job *job = g_task_get_task_data (G_TASK (result));
  gboolean forgotten = self->cancellable == NULL || g_cancellable_is_cancelled (self->cancellable);

  g_clear_object (&self->cancellable);
  if (forgotten)
    return;
  g_free (self->last_outcome);
  self->last_outcome = g_strdup (job->outcome);
  self->last_ok = job->ok;
  g_signal_emit (self, signals[SIGNAL_FINISHED], 0, job->ok);
}

char *
rs_sync_scheduler_dup_server (RsSyncScheduler *self)
{
  g_return_val_if_fail (RS_IS_SYNC_SCHEDULER (self), NULL);
  if (self->server != NULL)
    return g_strdup (self->server);
  return rs_sync_configured_server (self->settings);
}

gboolean
rs_sync_scheduler_sync_now (RsSyncScheduler *self)
{
  g_autofree char *conninfo = NULL;
  g_autoptr (GTask) task = NULL;
  Job *job;

  g_return_val_if_fail (RS_IS_SYNC_SCHEDULER (self), FALSE);
  conninfo = rs_sync_scheduler_dup_server (self);
  if (conninfo == NULL || rs_store_is_read_only (self->store) || g_str_equal (rs_store_path (self->store), ":memory:"))
    return FALSE;
  if (self->cancellable != NULL)
    return TRUE;
  self->cancellable = g_cancellable_new ();
  job = g_new0 (Job, 1);
  job->path = g_strdup (rs_store_path (self->store));
  job->conninfo = g_steal_pointer (&conninfo);
  job->use_settings = self->settings != NULL;
  task = g_task_new (self, self->cancellable, job_done, NULL);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  g_task_run_in_thread (task, job_thread);
  g_signal_emit (self, signals[SIGNAL_STARTED], 0);
  return TRUE;
}

gboolean
rs_sync_scheduler_is_busy (RsSyncScheduler *self)
{
  g_return_val_if_fail (RS_IS_SYNC_SCHEDULER (self), FALSE);
  return self->cancellable != NULL;
}

static gboolean
tick (gpointer data)
{
  rs_sync_scheduler_sync_now (RS_SYNC_SCHEDULER (data));
  return G_SOURCE_CONTINUE;
}

void
rs_sync_scheduler_start (RsSyncScheduler *self)
{
  guint minutes = 10;

  g_return_if_fail (RS_IS_SYNC_SCHEDULER (self));
  if (self->timeout_id != 0)
    return;
  if (self->settings != NULL)
    {
      g_autoptr (GSettingsSchema) schema = NULL;

      g_object_get (self->settings, "settings-schema", &schema, NULL);
      if (schema != NULL && g_settings_schema_has_key (schema, "sync-interval"))
        minutes = MAX (g_settings_get_uint (self->settings, "sync-interval"), 1);
    }
  rs_sync_scheduler_sync_now (self);
  self->timeout_id = g_timeout_add_seconds (minutes * 60, tick, self);
}

void
rs_sync_scheduler_stop (RsSyncScheduler *self)
{
  g_return_if_fail (RS_IS_SYNC_SCHEDULER (self));
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

void
rs_sync_scheduler_set_server (RsSyncScheduler *self, const char *conninfo)
{
  g_return_if_fail (RS_IS_SYNC_SCHEDULER (self));
  g_free (self->server);
  self->server = g_strdup (conninfo);
}

char *
rs_sync_scheduler_describe (RsSyncScheduler *self)
{
  g_autofree char *conninfo = NULL;
  g_autoptr (GError) error = NULL;
  RsSyncStatus status = { 0 };
  char *text;

  g_return_val_if_fail (RS_IS_SYNC_SCHEDULER (self), NULL);
  conninfo = rs_sync_scheduler_dup_server (self);
  if (conninfo == NULL)
    return g_strdup (_("No organization server set: this kiosk works alone"));
  if (self->cancellable != NULL)
    return g_strdup (_("Syncing with the organization’s server…"));
  if (!rs_sync_status (self->store, &status, &error))
    return g_strdup (error->message);
  text = rs_sync_status_describe (&status);
  rs_sync_status_clear (&status);
  return text;
}

const char *
rs_sync_scheduler_get_last_outcome (RsSyncScheduler *self)
{
  g_return_val_if_fail (RS_IS_SYNC_SCHEDULER (self), NULL);
  return self->last_outcome;
}

gboolean
rs_sync_scheduler_last_ok (RsSyncScheduler *self)
{
  g_return_val_if_fail (RS_IS_SYNC_SCHEDULER (self), FALSE);
  return self->last_ok;
}

static void
rs_sync_scheduler_dispose (GObject *object)
{
  RsSyncScheduler *self = RS_SYNC_SCHEDULER (object);

  rs_sync_scheduler_stop (self);
  g_clear_object (&self->settings);
  G_OBJECT_CLASS (rs_sync_scheduler_parent_class)->dispose (object);
}

static void
rs_sync_scheduler_finalize (GObject *object)
{
  RsSyncScheduler *self = RS_SYNC_SCHEDULER (object);

  g_free (self->server);
  g_free (self->last_outcome);
  G_OBJECT_CLASS (rs_sync_scheduler_parent_class)->finalize (object);
}

static void
rs_sync_scheduler_class_init (RsSyncSchedulerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = rs_sync_scheduler_dispose;
  object_class->finalize = rs_sync_scheduler_finalize;
  /* Both on the main context the scheduler was made in. */
  signals[SIGNAL_STARTED] = g_signal_new ("started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                          NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_FINISHED] = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                           NULL, G_TYPE_NONE, 1, G_TYPE_BOOLEAN);
}

static void
rs_sync_scheduler_init (RsSyncScheduler *self)
{
}

RsSyncScheduler *
rs_sync_scheduler_new (RsStore *store, GSettings *settings)
{
  RsSyncScheduler *self;

  g_return_val_if_fail (store != NULL, NULL);
  self = g_object_new (RS_TYPE_SYNC_SCHEDULER, NULL);
  self->store = store;
  self->settings = settings != NULL ? g_object_ref (settings) : NULL;
  return self;
}
