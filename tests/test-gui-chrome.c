/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The app's chrome (issue 11): the About window from the metainfo (its
 * translations chosen by the environment's languages), the keyboard
 * shortcuts window and the keys it lists, the primary menu at the end of
 * the header bar, the development profile's striped window, and all of it
 * unreachable in kiosk mode: hidden, disabled, and no key opens it.
 *
 * The real application runs here (g_application_run with the program's
 * arguments), so the kiosk case is exactly what `reskill --kiosk` does.
 * Under Xvfb with GDK_BACKEND=x11 GTK_A11Y=none; RESKILL_NON_UNIQUE=1. */
#include <glib/gstdio.h>
#include <string.h>

#include <adwaita.h>

#include "config.h"
#include "rs-about.h"
#include "rs-application.h"
#include "rs-context.h"
#include "rs-frame.h"
#include "rs-kiosk-controller.h"
#include "rs-store.h"
#include "rs-window.h"
#include "notice-util.h"

#define TIMEOUT_MS 20000

/* --- About --- */

/* A metainfo as data/meson.build merges it: each translatable element
 * followed by its translations. */
static const char metainfo[] =
  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
  "<component type=\"desktop-application\">\n"
  "  <id>io.github.reskill.Reskill</id>\n"
  "  <project_license>GPL-3.0-or-later</project_license>\n"
  "  <name>Reskill</name>\n"
  "  <summary>Skills assessment</summary>\n"
  "  <summary xml:lang=\"de\">Kompetenzbewertung</summary>\n"
  "  <developer_name>The Reskill developers</developer_name>\n"
  "  <developer_name xml:lang=\"de\">Die Reskill-Entwickler</developer_name>\n"
  "  <url type=\"homepage\">https://example.org/reskill</url>\n"
  "  <url type=\"bugtracker\">https://example.org/reskill/issues</url>\n"
  "  <releases>\n"
  "    <release version=\"0.2.0\"><description><p>Later.</p></description></release>\n"
  "    <release version=\"0.1.0\" date=\"2026-11-28\">\n"
  "      <description>\n"
  "        <p>First   release:\n  four skills.</p>\n"
  "        <p xml:lang=\"de\">Erste Ausgabe: vier Fähigkeiten.</p>\n"
  "        <ul><li>Adaptive &amp; fair</li><li xml:lang=\"de\">Adaptiv &amp; fair</li><li>Offline</li></ul>\n"
  "      </description>\n"
  "    </release>\n"
  "  </releases>\n"
  "</component>\n";

static void
test_about_info (void)
{
  const char *const english[] = { "fr_FR", "fr", "C", NULL };
  const char *const german[] = { "de_DE.UTF-8", "de_DE", "de", "C", NULL };
  g_autoptr (GError) error = NULL;
  RsAboutInfo info;

  g_assert_true (rs_about_info_parse (&info, metainfo, -1, "0.1.0", english, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (info.name, ==, "Reskill");
  g_assert_cmpstr (info.summary, ==, "Skills assessment");
  g_assert_cmpstr (info.developer_name, ==, "The Reskill developers");
  g_assert_cmpstr (info.project_license, ==, "GPL-3.0-or-later");
  g_assert_cmpstr (info.homepage, ==, "https://example.org/reskill");
  g_assert_cmpstr (info.bugtracker, ==, "https://example.org/reskill/issues");
  /* This version's notes only, white space as shown, markup escaped. */
  g_assert_cmpstr (info.release_notes, ==, "<p>First release: four skills.</p><ul><li>Adaptive &amp; fair</li><li>Offline</li></ul>");
  rs_about_info_clear (&info);

  g_assert_true (rs_about_info_parse (&info, metainfo, -1, "0.1.0", german, &error));
  g_assert_cmpstr (info.summary, ==, "Kompetenzbewertung");
  g_assert_cmpstr (info.developer_name, ==, "Die Reskill-Entwickler");
  g_assert_cmpstr (info.name, ==, "Reskill");
  g_assert_cmpstr (info.release_notes, ==, "<p>Erste Ausgabe: vier Fähigkeiten.</p><ul><li>Adaptiv &amp; fair</li><li>Offline</li></ul>");
  rs_about_info_clear (&info);

  /* A version without a release has no notes; a file without a name is refused. */
  g_assert_true (rs_about_info_parse (&info, metainfo, -1, "9.9.9", english, &error));
  g_assert_null (info.release_notes);
  rs_about_info_clear (&info);
  g_assert_false (rs_about_info_parse (&info, "<component><summary>x</summary></component>", -1, "0.1.0", english,
                                       &error));
  g_assert_nonnull (error);
}

/* The program's own metainfo, compiled in: the About window shows it, and
 * it has a release for this version (else the window has no notes). */
static void
test_about_window (void)
{
  g_autoptr (GError) error = NULL;
  RsAboutInfo info;
  GtkWindow *window;
  AdwAboutWindow *about;

  g_assert_true (rs_about_info_load (&info, "/io/github/reskill/Reskill/metainfo.xml", RESKILL_VERSION, &error));
  g_assert_no_error (error);
  g_assert_nonnull (info.release_notes);
  g_assert_cmpstr (info.project_license, ==, "GPL-3.0-or-later");

  window = rs_about_window_new (NULL);
  about = ADW_ABOUT_WINDOW (window);
  g_assert_cmpstr (adw_about_window_get_application_name (about), ==, info.name);
  g_assert_cmpstr (adw_about_window_get_comments (about), ==, info.summary);
  g_assert_cmpstr (adw_about_window_get_version (about), ==, RESKILL_VERSION);
  g_assert_cmpstr (adw_about_window_get_release_notes_version (about), ==, RESKILL_VERSION);
  g_assert_cmpstr (adw_about_window_get_release_notes (about), ==, info.release_notes);
  g_assert_cmpint (adw_about_window_get_license_type (about), ==, GTK_LICENSE_GPL_3_0);
  g_assert_cmpstr (adw_about_window_get_website (about), ==, info.homepage);
  g_assert_cmpstr (adw_about_window_get_issue_url (about), ==, info.bugtracker);
  g_assert_nonnull (adw_about_window_get_developers (about));
  g_assert_nonnull (strstr (adw_about_window_get_developers (about)[0], info.developer_name));
  g_assert_nonnull (strstr (adw_about_window_get_copyright (about), info.developer_name));
  gtk_window_destroy (window);
  rs_about_info_clear (&info);
}

/* --- the application --- */

typedef struct {
  char *dir;
  char *db;
  RsApplication *app;
  gboolean development;
  gboolean kiosk;
  int checked;               /* which check ran: see run_app */
  void (*check) (RsApplication *app, RsWindow *window);
} Fixture;

static void
setup (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RsStore) store = NULL;

  fixture->dir = g_dir_make_tmp ("reskill-chrome-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->db = g_build_filename (fixture->dir, "reskill.db", NULL);
  store = rs_store_open (fixture->db, &error);
  g_assert_no_error (error);
  g_assert_true (rs_store_add_person (store, "900", "Admin", NULL, RS_PERSON_ADMIN, "97531864", NULL, &error));
  g_assert_no_error (error);
  rs_test_confirm_notice (store, "900");
}

static void
teardown (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GDir) dir = g_dir_open (fixture->dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->db);
}

static gboolean
window_painted (gpointer data)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (data));
  return window != NULL && gtk_widget_get_mapped (GTK_WIDGET (window));
}

/* Runs once the window is on screen: the fixture's check, then quit. */
static gboolean
run_check (gpointer data)
{
  Fixture *fixture = data;
  RsWindow *window;

  if (!rs_frame_wait_until (window_painted, fixture->app, TIMEOUT_MS))
    {
      g_test_message ("the window never appeared");
      g_application_quit (G_APPLICATION (fixture->app));
      return G_SOURCE_REMOVE;
    }
  window = RS_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (fixture->app)));
  fixture->check (fixture->app, window);
  fixture->checked = 1;
  /* A kiosk refuses to be closed: destroyed, and the application quit. */
  gtk_window_destroy (GTK_WINDOW (window));
  g_application_quit (G_APPLICATION (fixture->app));
  return G_SOURCE_REMOVE;
}

static void
run_app (Fixture *fixture, const char *app_id, gboolean development, gboolean kiosk,
         void (*check) (RsApplication *app, RsWindow *window))
{
  const char *argv_kiosk[] = { "reskill", "--db", fixture->db, "--kiosk", NULL };
  const char *argv_plain[] = { "reskill", "--db", fixture->db, NULL };
  const char **argv = kiosk ? argv_kiosk : argv_plain;
  int status;

  fixture->app = rs_application_new (app_id, development);
  fixture->check = check;
  fixture->checked = 0;
  g_idle_add (run_check, fixture);
  status = g_application_run (G_APPLICATION (fixture->app), (int) g_strv_length ((char **) argv), (char **) argv);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpint (fixture->checked, ==, 1);
  g_clear_object (&fixture->app);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static GtkWidget *
menu_button (RsWindow *window)
{
  GtkWidget *button = rs_frame_find_widget (GTK_WIDGET (window), "window-menu");

  g_assert_nonnull (button);
  g_assert_true (GTK_IS_MENU_BUTTON (button));
  return button;
}

/* Whether a visible toplevel of type is open. */
static gboolean
toplevel_shown (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  gboolean found = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GtkWidget) window = g_list_model_get_item (toplevels, i);
      found |= G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (window);
    }
  return found;
}

static void
close_toplevels (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = g_list_model_get_n_items (toplevels); i > 0; i--)
    {
      g_autoptr (GtkWidget) window = g_list_model_get_item (toplevels, i - 1);
      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type))
        gtk_widget_set_visible (window, FALSE);
    }
}

static gboolean
menu_has_action (GMenuModel *menu, const char *action)
{
  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autofree char *name = NULL;
      g_autoptr (GMenuModel) section = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SECTION);

      if (section != NULL && menu_has_action (section, action))
        return TRUE;
      if (g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_ACTION, "s", &name)
          && g_str_equal (name, action))
        return TRUE;
    }
  return FALSE;
}

/* Every key the shortcuts window shows for an action is the key the
 * application set: the two cannot drift apart. */
static void
assert_shortcuts_match (RsApplication *app)
{
  g_autoptr (GtkBuilder) builder = gtk_builder_new_from_resource ("/io/github/reskill/Reskill/gtk/help-overlay.ui");
  GObject *overlay = gtk_builder_get_object (builder, "help_overlay");
  GSList *objects = gtk_builder_get_objects (builder);
  guint n_actions = 0;

  g_assert_true (GTK_IS_SHORTCUTS_WINDOW (overlay));
  for (GSList *l = objects; l != NULL; l = l->next)
    {
      g_autofree char *action = NULL;

      if (!GTK_IS_SHORTCUTS_SHORTCUT (l->data))
        continue;
      g_object_get (l->data, "action-name", &action, NULL);
      if (action != NULL)
        {
          g_auto (GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), action);
          if (accels[0] == NULL)
            g_test_message ("the shortcuts window lists %s, which has no key", action);
          g_assert_nonnull (accels[0]);
          n_actions++;
        }
    }
  g_slist_free (objects);
  g_assert_cmpuint (n_actions, >=, 6);
  gtk_window_destroy (GTK_WINDOW (overlay));
}

static void
check_ordinary (RsApplication *app, RsWindow *window)
{
  GtkWidget *button = menu_button (window);
  GMenuModel *menu = gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (button));
  GtkWidget *last;
  g_auto (GStrv) help = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "win.show-help-overlay");
  g_auto (GStrv) history = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "win.history");

  /* The menu: visible, F10 opens it, at the end of the header bar. */
  g_assert_true (gtk_widget_get_visible (button));
  g_assert_true (gtk_widget_is_sensitive (button));
  g_assert_true (gtk_menu_button_get_primary (GTK_MENU_BUTTON (button)));
  g_assert_true (menu_has_action (menu, "win.show-help-overlay"));
  g_assert_true (menu_has_action (menu, "app.about"));
  for (last = gtk_widget_get_last_child (gtk_widget_get_parent (button)); last != NULL && GTK_IS_WINDOW_CONTROLS (last);
       last = gtk_widget_get_prev_sibling (last))
    ;
  g_assert_true (last == button);
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (window), "devel"));

  /* Keys: Ctrl+? for the shortcuts (GtkApplication's own), and the window's actions. */
  g_assert_cmpstr (help[0], ==, "<Control>question");
  g_assert_cmpstr (history[0], ==, "<Control>h");
  assert_shortcuts_match (app);

  /* Both open. */
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (app), "about"));
  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  g_assert_true (toplevel_shown (ADW_TYPE_ABOUT_WINDOW));
  close_toplevels (ADW_TYPE_ABOUT_WINDOW);
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "show-help-overlay"));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL);
  g_assert_true (toplevel_shown (GTK_TYPE_SHORTCUTS_WINDOW));
  close_toplevels (GTK_TYPE_SHORTCUTS_WINDOW);
}

static void
test_ordinary (Fixture *fixture, gconstpointer data)
{
  run_app (fixture, "io.github.reskill.Reskill", FALSE, FALSE, check_ordinary);
}

static void
check_kiosk (RsApplication *app, RsWindow *window)
{
  GtkWidget *button = menu_button (window);
  g_auto (GStrv) keys = NULL;

  g_assert_nonnull (rs_kiosk_controller_get (window));
  /* Not on screen, not sensitive, and F10 no longer finds it. */
  g_assert_false (gtk_widget_get_visible (button));
  g_assert_false (gtk_widget_is_sensitive (button));
  g_assert_false (gtk_menu_button_get_primary (GTK_MENU_BUTTON (button)));

  /* Every key bound to the shortcuts window or About reaches a disabled
   * action, and activating them opens nothing. */
  keys = gtk_application_get_actions_for_accel (GTK_APPLICATION (app), "<Control>question");
  g_assert_nonnull (keys[0]);
  for (int i = 0; keys[i] != NULL; i++)
    if (g_str_has_prefix (keys[i], "win."))
      g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), keys[i] + 4));
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "show-help-overlay"));
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (app), "about"));
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (app), "quit"));
  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL);
  rs_frame_run_for (100);
  g_assert_false (toplevel_shown (ADW_TYPE_ABOUT_WINDOW));
  g_assert_false (toplevel_shown (GTK_TYPE_SHORTCUTS_WINDOW));

  /* Leaving kiosk mode brings the chrome back. */
  rs_window_set_kiosk_chrome (window, FALSE);
  g_assert_true (gtk_widget_get_visible (button));
  g_assert_true (gtk_menu_button_get_primary (GTK_MENU_BUTTON (button)));
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "show-help-overlay"));
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (app), "about"));
}

static void
test_kiosk (Fixture *fixture, gconstpointer data)
{
  run_app (fixture, "io.github.reskill.Reskill", FALSE, TRUE, check_kiosk);
}

static void
check_development (RsApplication *app, RsWindow *window)
{
  g_assert_cmpstr (g_application_get_application_id (G_APPLICATION (app)), ==, "io.github.reskill.Reskill.Devel");
  g_assert_true (rs_application_is_development (app));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (window), "devel"));
}

static void
test_development (Fixture *fixture, gconstpointer data)
{
  run_app (fixture, "io.github.reskill.Reskill.Devel", TRUE, FALSE, check_development);
}

/* The new keys never leave a question half answered: on the quiz page the
 * actions they reach are off, as their buttons are hidden. */
static void
test_keys_keep_the_quiz (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RsContext) context = NULL;
  RsWindow *window;
  const char *const actions[] = { "win.history", "win.home", "win.take", "win.team-report" };

  {
    g_autoptr (RsStore) store = rs_store_open (fixture->db, &error);
    g_assert_no_error (error);
    g_assert_true (rs_store_add_person (store, "901", "Mia Manager", "Platform", RS_PERSON_MANAGER, "24681357",
                                        NULL, &error));
    g_assert_no_error (error);
    rs_test_confirm_notice (store, "901");
  }
  context = rs_context_load (fixture->db, g_getenv ("RESKILL_QUESTIONS_DIR"), g_getenv ("RESKILL_ROLES"));
  window = rs_window_new (NULL, context);
  rs_context_set_person (context, rs_store_find_person (rs_context_get_store (context), "901", &error));
  g_assert_no_error (error);
  gtk_window_present (GTK_WINDOW (window));

  /* As after signing in: the window's actions follow the page shown. */
  rs_window_show_page (window, "choose");
  /* On the other pages the keys work ... */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.home", NULL);
  g_assert_cmpstr (rs_window_get_page_name (window), ==, "home");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.history", NULL);
  g_assert_cmpstr (rs_window_get_page_name (window), ==, "history");
  /* ... on a question none of them moves. */
  for (gsize i = 0; i < G_N_ELEMENTS (actions); i++)
    {
      rs_window_show_page (window, "quiz");
      gtk_widget_activate_action (GTK_WIDGET (window), actions[i], NULL);
      g_test_message ("%s on the quiz page", actions[i]);
      g_assert_cmpstr (rs_window_get_page_name (window), ==, "quiz");
    }
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/gui/chrome/about-info", test_about_info);
  g_test_add_func ("/gui/chrome/about-window", test_about_window);
  g_test_add ("/gui/chrome/menu-and-shortcuts", Fixture, NULL, setup, test_ordinary, teardown);
  g_test_add ("/gui/chrome/kiosk-unreachable", Fixture, NULL, setup, test_kiosk, teardown);
  g_test_add ("/gui/chrome/development-profile", Fixture, NULL, setup, test_development, teardown);
  g_test_add ("/gui/chrome/keys-keep-the-quiz", Fixture, NULL, setup, test_keys_keep_the_quiz, teardown);
  return g_test_run ();
}
