/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RsPage, the base of every page: its context property (notified only on
 * a real change, handed on to sections), its signals (a section's toast and
 * error come out of its page; an error nobody shows becomes a dialog), and
 * its dispose: every page type there is, given a context and shown, is
 * finalized when its last reference goes, and then the context is too. The
 * window's own pages are checked the same way: those it replaces when a
 * person leaves are finalized, not kept.
 *
 * Runs under Xvfb with GDK_BACKEND=x11 GTK_A11Y=none. */
#include <glib/gstdio.h>
#include <string.h>

#include <adwaita.h>
#include <gtksourceview/gtksource.h>

#include "rs-admin-page.h"
#include "rs-demo.h"
#include "rs-dialogs.h"
#include "rs-frame.h"
#include "rs-home-page.h"
#include "rs-page.h"
#include "rs-team-page.h"
#include "rs-window.h"

#define TIMEOUT_MS 20000

typedef struct {
  char *dir;
  char *db;
  RsContext *context;
} Fixture;

static char *
source_path (const char *first, ...)
{
  const char *root = g_getenv ("RESKILL_SOURCE_ROOT");
  g_autofree char *rest = NULL;
  va_list args;

  g_assert_nonnull (root);
  va_start (args, first);
  rest = g_build_filename_valist (first, &args);
  va_end (args);
  return g_build_filename (root, rest, NULL);
}

/* A small demo organization, the administrator signed in. */
static void
setup (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *questions = source_path ("questions", NULL);
  g_autofree char *roles = source_path ("data", "roles.yaml", NULL);
  g_autoptr (RsBank) bank = rs_bank_new ();
  RsDemoConfig config = { .n_people = 6, .attempts_per_person = 1, .seed = 11 };

  fixture->dir = g_dir_make_tmp ("reskill-page-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->db = g_build_filename (fixture->dir, "reskill.db", NULL);
  g_assert_true (rs_bank_load_dir (bank, questions, &error));
  {
    g_autoptr (RsStore) store = rs_store_open (fixture->db, &error);

    g_assert_no_error (error);
    g_assert_true (rs_demo_seed (store, bank, &config, &error));
    g_assert_no_error (error);
  }
  fixture->context = rs_context_load (fixture->db, questions, roles);
  g_assert_null (rs_context_get_problem_title (fixture->context));
  rs_context_set_person (fixture->context,
                         rs_store_find_person (rs_context_get_store (fixture->context), RS_DEMO_ADMIN_NO, &error));
  g_assert_no_error (error);
}

static void
teardown (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GDir) dir = NULL;
  const char *name;

  {
    g_autoptr (GList) toplevels = gtk_window_list_toplevels ();
    for (GList *l = toplevels; l != NULL; l = l->next)
      gtk_window_destroy (l->data);
  }
  while (g_main_context_iteration (NULL, FALSE))
    ;
  /* Nothing kept the context: no page, window or dialog. */
  if (fixture->context != NULL)
    g_assert_finalize_object (fixture->context);
  dir = g_dir_open (fixture->dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->db);
}

static void
count_notify (GObject *object, GParamSpec *pspec, gpointer data)
{
  (*(guint *) data)++;
}

static void
test_context_property (Fixture *fixture, gconstpointer data)
{
  RsPage *page = g_object_ref_sink (g_object_new (RS_TYPE_HOME_PAGE, NULL));
  g_autoptr (RsContext) other = rs_context_new (NULL, NULL, NULL);
  RsContext *read = NULL;
  guint notified = 0;

  g_signal_connect (page, "notify::context", G_CALLBACK (count_notify), &notified);
  g_assert_null (rs_page_get_context (page));
  g_assert_null (rs_page_get_store (page));
  g_assert_null (rs_page_get_person (page));

  g_object_set (page, "context", fixture->context, NULL);
  g_assert_cmpuint (notified, ==, 1);
  g_object_get (page, "context", &read, NULL);
  g_assert_true (read == fixture->context);
  g_object_unref (read);
  g_assert_true (rs_page_get_store (page) == rs_context_get_store (fixture->context));
  g_assert_true (rs_page_get_bank (page) == rs_context_get_bank (fixture->context));
  g_assert_cmpstr (rs_page_get_person (page)->employee_no, ==, RS_DEMO_ADMIN_NO);
  /* The same again is no change: no notification. */
  rs_page_set_context (page, fixture->context);
  g_assert_cmpuint (notified, ==, 1);
  rs_page_set_context (page, other);
  g_assert_cmpuint (notified, ==, 2);
  rs_page_set_context (page, NULL);
  g_assert_cmpuint (notified, ==, 3);
  g_assert_null (rs_page_get_context (page));

  /* Disposed with a context: it lets go of it. */
  rs_page_set_context (page, other);
  g_assert_finalize_object (page);
  g_assert_finalize_object (g_steal_pointer (&other));
}

static void
on_toast (RsPage *page, const char *text, gpointer data)
{
  g_free (*(char **) data);
  *(char **) data = g_strdup (text);
}

static gboolean
on_error (RsPage *page, const char *heading, const char *message, gpointer data)
{
  g_free (*(char **) data);
  *(char **) data = g_strdup_printf ("%s: %s", heading, message);
  return TRUE;
}

static void
test_sections (Fixture *fixture, gconstpointer data)
{
  GtkWidget *window = gtk_window_new ();
  RsAdminPage *admin = g_object_ref_sink (g_object_new (RS_TYPE_ADMIN_PAGE, NULL));
  RsPage *sections[] = {
    RS_PAGE (rs_admin_page_get_people (admin)), RS_PAGE (rs_admin_page_get_bank (admin)),
    RS_PAGE (rs_admin_page_get_settings (admin)), RS_PAGE (rs_admin_page_get_exchange (admin)),
  };
  g_autofree char *toast = NULL;
  g_autofree char *error = NULL;
  gulong error_handler;

  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (admin));
  /* The page's context is every section's. */
  rs_page_set_context (RS_PAGE (admin), fixture->context);
  for (guint i = 0; i < G_N_ELEMENTS (sections); i++)
    g_assert_true (rs_page_get_context (sections[i]) == fixture->context);

  /* A section's toast and error come out of the page. */
  g_signal_connect (admin, "toast", G_CALLBACK (on_toast), &toast);
  error_handler = g_signal_connect (admin, "error", G_CALLBACK (on_error), &error);
  rs_page_toast (sections[1], "Bank reloaded");
  g_assert_cmpstr (toast, ==, "Bank reloaded");
  rs_page_error (sections[0], "Nothing Was Changed", "The store said no");
  g_assert_cmpstr (error, ==, "Nothing Was Changed: The store said no");
  g_assert_null (rs_dialog_find ("error-dialog"));

  /* An error nobody shows is shown by the page itself. */
  g_signal_handler_disconnect (admin, error_handler);
  rs_page_error (sections[3], "The Kiosk Was Not Trusted", "No such fingerprint");
  g_assert_nonnull (rs_dialog_find ("error-dialog"));
  g_assert_cmpstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (rs_dialog_find ("error-dialog"))), ==,
                   "No such fingerprint");
  gtk_window_destroy (GTK_WINDOW (rs_dialog_find ("error-dialog")));

  /* Leaving the context: the sections leave it too. */
  rs_page_set_context (RS_PAGE (admin), NULL);
  for (guint i = 0; i < G_N_ELEMENTS (sections); i++)
    g_assert_null (rs_page_get_context (sections[i]));
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (admin);
}

/* Every page type there is (a new one is covered by being an RsPage),
 * given the context, put in a window and drawn, then let go. */
static void
test_every_page_finalizes (Fixture *fixture, gconstpointer data)
{
  g_autofree GType *types = NULL;
  guint n_types = 0;

  /* Types register on first use: the window's class registers its pages,
   * their classes their sections. */
  g_type_class_unref (g_type_class_ref (RS_TYPE_WINDOW));
  for (guint before = G_MAXUINT; before != n_types;)
    {
      before = n_types;
      g_free (types);
      types = g_type_children (RS_TYPE_PAGE, &n_types);
      for (guint i = 0; i < n_types; i++)
        g_type_class_unref (g_type_class_ref (types[i]));
    }
  g_assert_cmpuint (n_types, >=, 15);
  for (guint i = 0; i < n_types; i++)
    {
      GtkWidget *window = gtk_window_new ();
      GtkWidget *page = g_object_ref_sink (g_object_new (types[i], NULL));
      g_autoptr (GError) error = NULL;

      g_test_message ("%s", g_type_name (types[i]));
      rs_page_set_context (RS_PAGE (page), fixture->context);
      /* The pages that load something, loaded. */
      if (RS_IS_TEAM_PAGE (page))
        g_assert_true (rs_team_page_refresh (RS_TEAM_PAGE (page), &error));
      else if (RS_IS_ADMIN_PAGE (page))
        g_assert_true (rs_admin_page_refresh (RS_ADMIN_PAGE (page), &error));
      else if (RS_IS_HOME_PAGE (page))
        rs_home_page_refresh (RS_HOME_PAGE (page));
      g_assert_no_error (error);
      gtk_window_set_default_size (GTK_WINDOW (window), 1024, 768);
      gtk_window_set_child (GTK_WINDOW (window), page);
      gtk_window_present (GTK_WINDOW (window));
      g_assert_cmpint (rs_frame_wait_painted (window, TIMEOUT_MS), >, 0);
      rs_page_clear (RS_PAGE (page));
      gtk_window_set_child (GTK_WINDOW (window), NULL);
      gtk_window_destroy (GTK_WINDOW (window));
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_assert_finalize_object (page);
    }
}

typedef struct {
  RsWindow *window;
  const char *page;
} PageWait;

static gboolean
page_shown (gpointer data)
{
  PageWait *wait = data;
  return g_strcmp0 (rs_window_get_page_name (wait->window), wait->page) == 0;
}

/* The pages that showed a person are replaced when they leave (the
 * kiosk's rule): the old ones are finalized, not kept somewhere. */
static void
test_window_pages_finalize (Fixture *fixture, gconstpointer data)
{
  static const char *const person_pages[] = { "choose", "quiz", "results", "history" };
  RsWindow *window;
  GtkWidget *old[G_N_ELEMENTS (person_pages)];
  PageWait wait;

  rs_context_sign_out (fixture->context);
  window = rs_window_new (NULL, fixture->context);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_cmpint (rs_frame_wait_painted (GTK_WIDGET (window), TIMEOUT_MS), >, 0);
  wait = (PageWait) { window, "choose" };
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.guest", NULL));
  g_assert_true (rs_frame_wait_until (page_shown, &wait, TIMEOUT_MS));
  for (guint i = 0; i < G_N_ELEMENTS (person_pages); i++)
    {
      old[i] = rs_window_get_page (window, person_pages[i]);
      g_assert_true (RS_IS_PAGE (old[i]));
      g_assert_true (rs_page_get_context (RS_PAGE (old[i])) == fixture->context);
      g_object_add_weak_pointer (G_OBJECT (old[i]), (gpointer *) &old[i]);
    }
  rs_frame_wait_painted (GTK_WIDGET (window), TIMEOUT_MS);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.done", NULL));
  wait.page = "welcome";
  g_assert_true (rs_frame_wait_until (page_shown, &wait, TIMEOUT_MS));
  rs_frame_wait_painted (GTK_WIDGET (window), TIMEOUT_MS);
  for (guint i = 0; i < G_N_ELEMENTS (person_pages); i++)
    {
      GtkWidget *fresh = rs_window_get_page (window, person_pages[i]);

      g_test_message ("%s", person_pages[i]);
      g_assert_null (old[i]);
      /* The new one is wired like the old: the window's context. */
      g_assert_true (rs_page_get_context (RS_PAGE (fresh)) == fixture->context);
    }
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  gtk_source_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  g_test_add ("/gui/page/context-property", Fixture, NULL, setup, test_context_property, teardown);
  g_test_add ("/gui/page/sections", Fixture, NULL, setup, test_sections, teardown);
  g_test_add ("/gui/page/every-page-finalizes", Fixture, NULL, setup, test_every_page_finalizes, teardown);
  g_test_add ("/gui/page/window-pages-finalize", Fixture, NULL, setup, test_window_pages_finalize, teardown);
  return g_test_run ();
}
