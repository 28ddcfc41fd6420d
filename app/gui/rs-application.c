/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Options are parsed in ::handle-local-options (before the application
 * registers, so a developer tool can still make it non-unique) and acted
 * on in ::command-line, whose return value is the exit status: that is how
 * a failed screenshot run or benchmark exits non-zero.
 *
 * The chrome GNOME applications share lives here too: the About window
 * (app/gui/rs-about.c), the keyboard shortcuts window (GtkApplication loads
 * gtk/help-overlay.ui from the resource base path by itself and gives each
 * window "win.show-help-overlay" on Ctrl+?), and the accelerators of the
 * window's actions. A kiosk hides and disables all of it
 * (rs_window_set_kiosk_chrome). */
#include "rs-application.h"

#include <glib/gi18n-lib.h>
#include <gtksourceview/gtksource.h>

#include "config.h"
#include "rs-about.h"
#include "rs-context.h"
#include "rs-kiosk-controller.h"
#include "rs-paths.h"
#include "rs-window.h"

struct _RsApplication
{
  AdwApplication parent_instance;

  gint64 created_at;
  gboolean development;
  const RsApplicationTools *tools;
  char *db_path;
  char *questions_dir;
  char *roles_path;
  gboolean kiosk;
};

G_DEFINE_FINAL_TYPE (RsApplication, rs_application, ADW_TYPE_APPLICATION)

/* Translated by GApplication's option group, in the text domain main.c
 * sets. */
static const GOptionEntry options[] = {
  { "db", 0, 0, G_OPTION_ARG_FILENAME, NULL, N_("The database (default: $XDG_DATA_HOME/reskill/reskill.db)"), N_("FILE") },
  { "questions", 0, 0, G_OPTION_ARG_FILENAME, NULL, N_("The question folder (default: the installed bank, or $RESKILL_QUESTIONS_DIR)"), N_("DIR") },
  { "roles", 0, 0, G_OPTION_ARG_FILENAME, NULL, N_("The roles file (default: the installed roles.yaml, or $RESKILL_ROLES)"), N_("FILE") },
  { "kiosk", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Run as a kiosk: full screen, attract screen, idle sign-out, admin PIN to leave"), NULL },
  { NULL }
};

/* The window's actions that have a key of their own (the shortcuts window,
 * ui/gtk/help-overlay.ui, lists them; Escape and Alt+Left for Back are
 * the window's own bindings). */
static const struct {
  const char *action;
  const char *accels[3];
} accelerators[] = {
  { "app.quit", { "<Control>q", NULL } },
  { "win.history", { "<Control>h", NULL } },
  { "win.home", { "<Alt>Home", NULL } },
  { "win.take", { "<Control>n", NULL } },
  { "win.team-report", { "<Control>t", NULL } },
};

static char *
option_path (GVariantDict *dict, const char *name)
{
  g_autofree char *value = NULL;

  if (!g_variant_dict_lookup (dict, name, "^ay", &value))
    return NULL;
  return g_steal_pointer (&value);
}

static int
rs_application_handle_local_options (GApplication *app, GVariantDict *dict)
{
  RsApplication *self = RS_APPLICATION (app);

  if (self->tools != NULL && self->tools->check_options != NULL)
    return self->tools->check_options (app, dict);
  return -1;
}

/* The same defaults as the command line (rs-paths): the environment, then
 * a source tree, then the installed data. */
static char *
default_db_path (void)
{
  return rs_default_database_path ();
}

static char *
default_questions_dir (void)
{
  return rs_default_questions_dir ();
}

static char *
default_roles_path (void)
{
  return rs_default_roles_path ();
}

static int
rs_application_command_line (GApplication *app, GApplicationCommandLine *command_line)
{
  RsApplication *self = RS_APPLICATION (app);
  GVariantDict *dict = g_application_command_line_get_options_dict (command_line);
  g_autofree char *db = option_path (dict, "db");
  g_autofree char *questions = option_path (dict, "questions");
  g_autofree char *roles = option_path (dict, "roles");

  /* A second launch forwarded to a running Reskill only raises the window:
   * the first one's database stays the one in use. */
  if (g_application_command_line_get_is_remote (command_line))
    {
      g_application_activate (app);
      return 0;
    }

  g_free (self->questions_dir);
  self->questions_dir = questions != NULL ? g_steal_pointer (&questions) : default_questions_dir ();
  g_free (self->roles_path);
  self->roles_path = roles != NULL ? g_steal_pointer (&roles) : default_roles_path ();
  g_free (self->db_path);
  self->db_path = db != NULL ? g_steal_pointer (&db) : default_db_path ();
  self->kiosk = g_variant_dict_contains (dict, "kiosk") || rs_kiosk_controller_wanted_by_settings ();

  if (self->tools != NULL && self->tools->run != NULL)
    {
      int status = self->tools->run (self, dict);

      if (status >= 0)
        return status;
    }

  g_application_activate (app);
  return 0;
}

/* The weekly full check (docs/ARCHITECTURE.md, "Integrity"): every page
 * read on a worker thread through a connection of its own, so the kiosk
 * answers meanwhile; the verdict is kept in the database, and a damaged
 * file is refused from the next start on. */
static void
check_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RsStore) reader = rs_store_open_full (data, RS_STORE_OPEN_READ_ONLY, &error);
  char *problem = NULL;

  if (reader == NULL || !rs_store_check_integrity (reader, &problem, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, problem, g_free);
}

/* The verdict is written through a connection of its own too, so that the
 * check holds no reference to the window's context (the application may
 * be closing meanwhile). */
static void
check_done (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *problem = g_task_propagate_pointer (G_TASK (result), &error);
  g_autoptr (RsStore) store = NULL;

  if (error != NULL)
    {
      g_message ("The database could not be checked: %s", error->message);
      return;
    }
  if (problem != NULL)
    g_message ("The database is damaged: %s. Restore it from a backup.", problem);
  store = rs_store_open (g_task_get_task_data (G_TASK (result)), &error);
  if (store == NULL || !rs_store_record_integrity (store, problem, &error))
    g_message ("The check's verdict could not be kept: %s", error != NULL ? error->message : "");
}

static void
start_integrity_check (RsApplication *self, RsContext *context)
{
  RsStore *store = rs_context_get_store (context);
  g_autoptr (GTask) task = NULL;

  if (store == NULL || rs_store_is_read_only (store) || !rs_store_integrity_check_due (store))
    return;
  task = g_task_new (self, NULL, check_done, NULL);
  g_task_set_task_data (task, g_strdup (rs_store_path (store)), g_free);
  g_task_run_in_thread (task, check_thread);
}

static void
rs_application_activate (GApplication *app)
{
  RsApplication *self = RS_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    {
      g_autoptr (RsContext) context = NULL;

      if (self->db_path == NULL)
        self->db_path = default_db_path ();
      if (self->questions_dir == NULL)
        self->questions_dir = default_questions_dir ();
      if (self->roles_path == NULL)
        self->roles_path = default_roles_path ();
      context = rs_context_load (self->db_path, self->questions_dir, self->roles_path);
      start_integrity_check (self, context);
      window = GTK_WINDOW (rs_window_new (GTK_APPLICATION (app), context));
      /* A development build's window says so (GNOME's striped header bar),
       * so that it is never mistaken for the installed one. */
      if (self->development)
        gtk_widget_add_css_class (GTK_WIDGET (window), "devel");
      /* Before presenting: the first frame is already full screen. */
      if (self->kiosk)
        rs_kiosk_controller_attach (RS_WINDOW (window));
    }
  gtk_window_present (window);
}

static void
rs_application_startup (GApplication *app)
{
  G_APPLICATION_CLASS (rs_application_parent_class)->startup (app);
  gtk_source_init ();
  for (gsize i = 0; i < G_N_ELEMENTS (accelerators); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (app), accelerators[i].action, accelerators[i].accels);
}

static void
quit_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static void
about_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (user_data));

  gtk_window_present (rs_about_window_new (parent));
}

static void
rs_application_finalize (GObject *object)
{
  RsApplication *self = RS_APPLICATION (object);

  g_free (self->db_path);
  g_free (self->questions_dir);
  g_free (self->roles_path);
  G_OBJECT_CLASS (rs_application_parent_class)->finalize (object);
}

static void
rs_application_class_init (RsApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = rs_application_finalize;
  app_class->handle_local_options = rs_application_handle_local_options;
  app_class->command_line = rs_application_command_line;
  app_class->activate = rs_application_activate;
  app_class->startup = rs_application_startup;
}

static void
rs_application_init (RsApplication *self)
{
  static const GActionEntry actions[] = {
    { "quit", quit_activated, NULL, NULL, NULL, { 0 } },
    { "about", about_activated, NULL, NULL, NULL, { 0 } },
  };

  self->created_at = g_get_monotonic_time ();
  g_application_add_main_option_entries (G_APPLICATION (self), options);
  /* GOption does not translate a context's summary itself. */
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Take an adaptive skills assessment: Python, statistics, machine learning, empathy."));
  g_application_set_option_context_description (G_APPLICATION (self),
                                                _("Commands such as “reskill validate” run with no display: see “reskill --help”."));
  g_action_map_add_action_entries (G_ACTION_MAP (self), actions, G_N_ELEMENTS (actions), self);
}

RsApplication *
rs_application_new (const char *application_id, gboolean development)
{
  GApplicationFlags flags = G_APPLICATION_HANDLES_COMMAND_LINE;
  const char *non_unique = g_getenv ("RESKILL_NON_UNIQUE");
  RsApplication *self;

  g_return_val_if_fail (g_application_id_is_valid (application_id), NULL);

  /* Tests set RESKILL_NON_UNIQUE=1: under a session bus a unique second
   * instance would hand over to the first and "pass" without running. */
  if (non_unique != NULL && g_strcmp0 (non_unique, "0") != 0)
    flags |= G_APPLICATION_NON_UNIQUE;
  /* The resource base path is the same in every profile: it names where
   * the program's own files are, not which program it is. */
  self = g_object_new (RS_TYPE_APPLICATION,
                       "application-id", application_id,
                       "flags", flags,
                       "resource-base-path", "/io/github/reskill/Reskill",
                       NULL);
  self->development = development;
  return self;
}

gboolean
rs_application_is_development (RsApplication *self)
{
  g_return_val_if_fail (RS_IS_APPLICATION (self), FALSE);
  return self->development;
}

void
rs_application_set_tools (RsApplication *self, const RsApplicationTools *tools)
{
  g_return_if_fail (RS_IS_APPLICATION (self));
  g_return_if_fail (self->tools == NULL);
  self->tools = tools;
  if (tools != NULL && tools->entries != NULL)
    g_application_add_main_option_entries (G_APPLICATION (self), tools->entries);
}

const char *
rs_application_get_db_path (RsApplication *self)
{
  g_return_val_if_fail (RS_IS_APPLICATION (self), NULL);
  return self->db_path;
}

const char *
rs_application_get_questions_dir (RsApplication *self)
{
  g_return_val_if_fail (RS_IS_APPLICATION (self), NULL);
  return self->questions_dir;
}

const char *
rs_application_get_roles_path (RsApplication *self)
{
  g_return_val_if_fail (RS_IS_APPLICATION (self), NULL);
  return self->roles_path;
}

gint64
rs_application_get_created_at (RsApplication *self)
{
  g_return_val_if_fail (RS_IS_APPLICATION (self), 0);
  return self->created_at;
}
