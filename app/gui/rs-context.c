/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The window's link to the core. Loading lives here rather than in the
 * application so that a test, the screenshot mode and the benchmark build
 * exactly the context a person gets. */
#include "rs-context.h"
#include "rs-gsettings.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "rs-calibration.h"
#include "rs-error.h"
#include "rs-paths.h"

struct _RsContext
{
  GObject parent_instance;

  RsStore *store;
  RsBank *bank;
  RsRoleSet *roles;
  char *problem_title;
  char *problem_description;
  char *warning;
  RsPerson *person;
  RsAssessment *assessment;
  char *guest_paused;
  char *questions_dir;             /* where the bank came from; NULL if not a folder */
  RsSyncScheduler *sync;           /* made on first use; NULL without a store */
  RsLearningCatalog *learning;     /* loaded on first use */
  gboolean learning_tried;
};

G_DEFINE_FINAL_TYPE (RsContext, rs_context, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SIGNED_IN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
rs_context_finalize (GObject *object)
{
  RsContext *self = RS_CONTEXT (object);

  /* The assessment and the sync refer to the store: free them first. */
  if (self->sync != NULL)
    rs_sync_scheduler_stop (self->sync);
  g_clear_object (&self->sync);
  g_clear_pointer (&self->assessment, rs_assessment_free);
  g_clear_pointer (&self->person, rs_person_free);
  g_clear_pointer (&self->learning, rs_learning_catalog_free);
  g_clear_pointer (&self->roles, rs_role_set_free);
  g_clear_pointer (&self->bank, rs_bank_free);
  g_clear_pointer (&self->store, rs_store_close);
  g_clear_pointer (&self->problem_title, g_free);
  g_clear_pointer (&self->problem_description, g_free);
  g_clear_pointer (&self->warning, g_free);
  g_clear_pointer (&self->guest_paused, g_free);
  g_clear_pointer (&self->questions_dir, g_free);

  G_OBJECT_CLASS (rs_context_parent_class)->finalize (object);
}

static void
rs_context_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  RsContext *self = RS_CONTEXT (object);

  switch (prop_id)
    {
    case PROP_SIGNED_IN:
      g_value_set_boolean (value, self->person != NULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rs_context_class_init (RsContextClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rs_context_finalize;
  object_class->get_property = rs_context_get_property;

  properties[PROP_SIGNED_IN] =
    g_param_spec_boolean ("signed-in", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rs_context_init (RsContext *self)
{
}

RsContext *
rs_context_new (RsStore *store, RsBank *bank, RsRoleSet *roles)
{
  RsContext *self = g_object_new (RS_TYPE_CONTEXT, NULL);

  self->store = store;
  self->bank = bank;
  self->roles = roles;
  return self;
}

/* The advice for each core error: what a person at the kiosk, or the admin
 * they fetch, should do about it. */
static const char *
store_error_advice (const GError *error)
{
  if (error->domain != RS_ERROR)
    return _("Check the path given with --db.");
  switch (error->code)
    {
    case RS_ERROR_DB_READONLY:
      return _("The database file or its folder cannot be written. Make it writable for this user, or start Reskill with --db pointing to a writable place.");
    case RS_ERROR_DB_CORRUPT:
      return _("The file is not a Reskill database or is damaged. Restore it from a backup, or start Reskill with --db pointing to another file.");
    case RS_ERROR_DB_LOCKED:
      return _("Another program holds the database. Close other copies of Reskill and start again.");
    case RS_ERROR_DB_FULL:
      return _("The disk is full. Free some space and start Reskill again.");
    case RS_ERROR_DB_TOO_NEW:
      return _("A newer version of Reskill made this database. Install that version; this one will not touch the file.");
    default:
      return _("Ask an administrator to check the database file.");
    }
}

/* SQLite's messages start in lower case; ours are sentences. */
static char *
capitalize (const char *text)
{
  char *copy = g_strdup (text);

  if (copy[0] != '\0')
    copy[0] = g_ascii_toupper (copy[0]);
  return copy;
}

char *
rs_context_describe_open_error (const char *db_path, const GError *error, char **title)
{
  g_autofree char *message = capitalize (error->message);

  *title = g_strdup (_("The database cannot be opened"));
  return g_strdup_printf ("%s (%s). %s", message, db_path, store_error_advice (error));
}

RsContext *
rs_context_load (const char *db_path, const char *questions_dir, const char *roles_path)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RsStore) store = NULL;
  g_autoptr (RsBank) bank = NULL;
  g_autoptr (RsRoleSet) roles = NULL;
  g_autofree char *problem_title = NULL;
  g_autofree char *problem_description = NULL;
  g_autofree char *warning = NULL;
  g_autofree char *db_dir = g_path_get_dirname (db_path);
  RsContext *self;

  /* Only the owner should read results and PIN hashes. */
  if (g_mkdir_with_parents (db_dir, 0700) != 0)
    {
      int saved_errno = errno;

      problem_title = g_strdup (_("The database cannot be created"));
      problem_description = g_strdup_printf (_("Reskill could not create the folder %s: %s. Make it writable for this user, or start Reskill with --db pointing to a writable place."),
                                             db_dir, g_strerror (saved_errno));
    }
  else
    {
      store = rs_store_open (db_path, &error);
      if (store == NULL)
        {
          problem_description = rs_context_describe_open_error (db_path, error, &problem_title);
          g_clear_error (&error);
        }
    }

  bank = rs_bank_new ();
  if (!rs_bank_load_dir (bank, questions_dir, &error))
    {
      if (problem_title == NULL)
        {
          problem_title = g_strdup (_("The questions cannot be read"));
          problem_description = g_strdup_printf (_("%s. Start Reskill with --questions pointing to the question folder."),
                                                 error->message);
        }
      g_clear_error (&error);
      g_clear_pointer (&bank, rs_bank_free);
    }
  else if (rs_bank_diagnostics (bank)->len > 0)
    {
      const GPtrArray *diagnostics = rs_bank_diagnostics (bank);

      /* Good items still load, so the quiz goes on; the details are for the
       * admin, who runs `reskill validate`. */
      for (guint i = 0; i < diagnostics->len; i++)
        {
          const RsDiagnostic *d = g_ptr_array_index (diagnostics, i);
          g_debug ("%s:%d: %s", d->file, d->line, d->message);
        }
      warning = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              "The question bank has %u problem; some questions were left out. Run "
                                              "“reskill validate” to see them.",
                                              "The question bank has %u problems; some questions were left out. Run "
                                              "“reskill validate” to see them.", diagnostics->len),
                                 diagnostics->len);
    }

  /* The calibration in force: its parameters, flagged items withheld. The
   * quiz still works on the bank's own parameters if it cannot be read. */
  if (store != NULL && bank != NULL && !rs_calibration_apply_to_bank (store, bank, &error))
    {
      g_autofree char *note = g_strdup_printf (_("The calibration in force could not be read: %s"), error->message);

      if (warning == NULL)
        warning = g_steal_pointer (&note);
      g_clear_error (&error);
    }

  roles = rs_role_set_load (roles_path, &error);
  if (roles == NULL)
    {
      /* The quiz works without roles; only the role advice is missing. */
      g_autofree char *note = g_strdup_printf (_("Role advice is off: %s"), error->message);

      if (warning == NULL)
        warning = g_steal_pointer (&note);
      g_clear_error (&error);
    }

  self = rs_context_new (g_steal_pointer (&store), g_steal_pointer (&bank), g_steal_pointer (&roles));
  if (problem_title != NULL)
    rs_context_set_problem (self, problem_title, problem_description);
  self->warning = g_steal_pointer (&warning);
  self->questions_dir = g_strdup (questions_dir);
  /* The application's own context syncs in the background when a server
   * is set (rs-sync-scheduler.h); tests' contexts (rs_context_new) do not. */
  if (self->store != NULL && !rs_store_is_read_only (self->store))
    rs_sync_scheduler_start (rs_context_get_sync (self));
  return self;
}

RsSyncScheduler *
rs_context_get_sync (RsContext *self)
{
  g_return_val_if_fail (RS_IS_CONTEXT (self), NULL);
  if (self->sync == NULL && self->store != NULL)
    {
      g_autoptr (GSettings) settings = rs_gsettings_new ();
      self->sync = rs_sync_scheduler_new (self->store, settings);
    }
  return self->sync;
}

RsStore *
rs_context_get_store (RsContext *self)
{
  g_return_val_if_fail (RS_IS_CONTEXT (self), NULL);
  return self->store;
}

const RsBank *
rs_context_get_bank (RsContext *self)
{
  g_return_val_if_fail (RS_IS_CONTEXT (self), NULL);
  return self->bank;
}

const RsRoleSet *
rs_context_get_roles (RsContext *self)
{
  g_return_val_if_fail (RS_IS_CONTEXT (self), NULL);
  return self->roles;
}

void
rs_context_set_problem (RsContext *self, const char *title, const char *description)
{
  g_return_if_fail (RS_IS_CONTEXT (self));
  g_free (self->problem_title);
  g_free (self->problem_description);
  self->problem_title = g_strdup (title);
  self->problem_description = g_strdup (description);
}

const char *
rs_context_get_problem_title (RsContext *self)
{
  g_return_val_if_fail (RS_IS_CONTEXT (self), NULL);
  return self->problem_title;
}

const char *
rs_context_get_problem_description (RsContext *self)
{
  g_return_val_if_fail (RS_IS_CONTEXT (self), NULL);
  return self->problem_description;
}

const char *
rs_context_get_warning (RsContext *self)
{
  g_return_val_if_fail (RS_IS_CONTEXT (self), NULL);
  return self->warning;
}

void
rs_context_set_person (RsContext *self, RsPerson *person)
{
  gboolean was_signed_in;

  g_return_if_fail (RS_IS_CONTEXT (self));
  was_signed_in = self->person != NULL;
  g_clear_pointer (&self->person, rs_person_free);
  self->person = person;
  if (was_signed_in != (person != NULL))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIGNED_IN]);
}

const RsPerson *
rs_context_get_person (RsContext *self)
{
  g_return_val_if_fail (RS_IS_CONTEXT (self), NULL);
  return self->person;
}

gint64
rs_context_get_person_id (RsContext *self)
{
  g_return_val_if_fail (RS_IS_CONTEXT (self), 0);
  return self->person != NULL ? self->person->id : 0;
}

void
rs_context_set_assessment (RsContext *self, RsAssessment *assessment)
{
  g_return_if_fail (RS_IS_CONTEXT (self));
  if (self->assessment == assessment)
    return;
  g_clear_pointer (&self->assessment, rs_assessment_free);
  self->assessment = assessment;
}

RsAssessment *
rs_context_get_assessment (RsContext *self)
{
  g_return_val_if_fail (RS_IS_CONTEXT (self), NULL);
  return self->assessment;
}

void
rs_context_set_guest_paused (RsContext *self, const char *uuid)
{
  g_return_if_fail (RS_IS_CONTEXT (self));
  g_free (self->guest_paused);
  self->guest_paused = g_strdup (uuid);
}

const char *
rs_context_get_guest_paused (RsContext *self)
{
  g_return_val_if_fail (RS_IS_CONTEXT (self), NULL);
  return self->guest_paused;
}

void
rs_context_sign_out (RsContext *self)
{
  g_return_if_fail (RS_IS_CONTEXT (self));
  rs_context_set_assessment (self, NULL);
  rs_context_set_guest_paused (self, NULL);
  rs_context_set_person (self, NULL);
}

const char *
rs_context_get_questions_dir (RsContext *self)
{
  g_return_val_if_fail (RS_IS_CONTEXT (self), NULL);
  return self->questions_dir;
}

void
rs_context_set_questions_dir (RsContext *self, const char *dir)
{
  g_return_if_fail (RS_IS_CONTEXT (self));
  g_free (self->questions_dir);
  self->questions_dir = g_strdup (dir);
}

gboolean
rs_context_replace_bank (RsContext *self, RsBank *bank)
{
  g_return_val_if_fail (RS_IS_CONTEXT (self), FALSE);
  /* The assessment's CAT points into the bank it started with. */
  if (self->assessment != NULL)
    return FALSE;
  g_clear_pointer (&self->bank, rs_bank_free);
  self->bank = bank;
  return TRUE;
}

const RsLearningCatalog *
rs_context_get_learning (RsContext *self)
{
  g_return_val_if_fail (RS_IS_CONTEXT (self), NULL);

  /* Loaded when first asked for (the team page's training needs), once:
   * a catalogue that cannot be read leaves the steps out, with a warning
   * in the log, rather than keeping a manager from the report. */
  if (!self->learning_tried)
    {
      g_autofree char *path = rs_default_learning_path ();
      g_autoptr (GError) error = NULL;

      self->learning_tried = TRUE;
      if (path != NULL)
        self->learning = rs_learning_catalog_load (path, &error);
      if (self->learning == NULL)
        g_message ("No learning steps: %s", error != NULL ? error->message : "no learning catalogue found");
    }
  return self->learning;
}
