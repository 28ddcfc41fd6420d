/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Every template loads with no warning (G_DEBUG=fatal-warnings turns one
 * into a crash), and no template in the resource is left untested: a new
 * .ui file without an entry here fails the second test. Every action a
 * template names (a button's action-name, a menu item's action) is one the
 * program registers: a misspelt name makes a button that does nothing. */
#include <glib/gstdio.h>
#include <string.h>

#include <adwaita.h>
#include <gtksourceview/gtksource.h>

#include "rs-admin-bank.h"
#include "rs-application.h"
#include "rs-context.h"
#include "rs-demo.h"
#include "rs-kiosk-controller.h"
#include "rs-admin-exchange.h"
#include "rs-admin-page.h"
#include "rs-admin-people.h"
#include "rs-admin-settings.h"
#include "rs-admin-teams.h"
#include "rs-attract-page.h"
#include "rs-choose-page.h"
#include "rs-first-run-page.h"
#include "rs-change-pin-page.h"
#include "rs-history-page.h"
#include "rs-home-page.h"
#include "rs-idle-dialog.h"
#include "rs-kiosk-exit-dialog.h"
#include "rs-member-page.h"
#include "rs-notice-page.h"
#include "rs-pin-form.h"
#include "rs-pin-pad.h"
#include "rs-quiz-page.h"
#include "rs-results-page.h"
#include "rs-sign-in-page.h"
#include "rs-team-page.h"
#include "rs-text.h"
#include "rs-welcome-page.h"
#include "rs-window.h"

typedef struct {
  const char *ui;
  GType (*get_type) (void);
} Template;

static const Template templates[] = {
  { "rs-window.ui", rs_window_get_type },
  { "rs-welcome-page.ui", rs_welcome_page_get_type },
  { "rs-first-run-page.ui", rs_first_run_page_get_type },
  { "rs-sign-in-page.ui", rs_sign_in_page_get_type },
  { "rs-pin-pad.ui", rs_pin_pad_get_type },
  { "rs-pin-form.ui", rs_pin_form_get_type },
  { "rs-choose-page.ui", rs_choose_page_get_type },
  { "rs-quiz-page.ui", rs_quiz_page_get_type },
  { "rs-results-page.ui", rs_results_page_get_type },
  { "rs-history-page.ui", rs_history_page_get_type },
  { "rs-change-pin-page.ui", rs_change_pin_page_get_type },
  /* The manager's, admin's and kiosk's pages. */
  { "rs-home-page.ui", rs_home_page_get_type },
  { "rs-team-page.ui", rs_team_page_get_type },
  { "rs-member-page.ui", rs_member_page_get_type },
  { "rs-notice-page.ui", rs_notice_page_get_type },
  { "rs-admin-page.ui", rs_admin_page_get_type },
  { "rs-admin-people.ui", rs_admin_people_get_type },
  { "rs-admin-teams.ui", rs_admin_teams_get_type },
  { "rs-admin-bank.ui", rs_admin_bank_get_type },
  { "rs-admin-settings.ui", rs_admin_settings_get_type },
  { "rs-admin-exchange.ui", rs_admin_exchange_get_type },
  { "rs-attract-page.ui", rs_attract_page_get_type },
  { "rs-idle-dialog.ui", rs_idle_dialog_get_type },
  { "rs-kiosk-exit-dialog.ui", rs_kiosk_exit_dialog_get_type },
};

static void
test_every_template_instantiates (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (templates); i++)
    {
      GType type = templates[i].get_type ();
      GtkWidget *widget;

      g_test_message ("%s", templates[i].ui);
      if (g_type_is_a (type, GTK_TYPE_WINDOW))
        {
          /* A window with no context shows its "problem" page: still every
           * child of the template is built. */
          widget = GTK_WIDGET (rs_window_new (NULL, NULL));
          g_assert_true (RS_IS_WINDOW (widget));
          g_assert_cmpstr (rs_window_get_page_name (RS_WINDOW (widget)), ==, "welcome");
          gtk_window_destroy (GTK_WINDOW (widget));
          continue;
        }
      widget = g_object_ref_sink (g_object_new (type, NULL));
      g_assert_true (G_TYPE_CHECK_INSTANCE_TYPE (widget, type));
      g_assert_nonnull (gtk_widget_get_first_child (widget));
      g_assert_finalize_object (widget);
    }
}

static void
test_every_template_is_listed (void)
{
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) names = g_resources_enumerate_children ("/io/github/reskill/Reskill/ui/",
                                                         G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  guint n_ui = 0;

  g_assert_no_error (error);
  g_assert_nonnull (names);
  for (guint n = 0; names[n] != NULL; n++)
    {
      gboolean listed = FALSE;

      if (!g_str_has_suffix (names[n], ".ui"))
        continue;
      n_ui++;
      for (guint i = 0; i < G_N_ELEMENTS (templates); i++)
        listed |= g_strcmp0 (names[n], templates[i].ui) == 0;
      if (!listed)
        g_test_message ("%s has no entry in templates[]", names[n]);
      g_assert_true (listed);
    }
  g_assert_cmpuint (n_ui, ==, G_N_ELEMENTS (templates));
}


/* --- every action a template names is registered --- */

typedef struct {
  char *where;    /* the template's file */
  char *action;   /* "prefix.name" */
} NamedAction;

static void
named_action_free (gpointer data)
{
  NamedAction *named = data;

  g_free (named->where);
  g_free (named->action);
  g_free (named);
}

/* The action names in the templates' text: <property name="action-name">
 * of buttons, <attribute name="action"> of menus. */
static GPtrArray *
actions_in_templates (void)
{
  static const char *const markers[] = { "<property name=\"action-name\">", "<attribute name=\"action\">" };
  GPtrArray *found = g_ptr_array_new_with_free_func (named_action_free);
  g_auto (GStrv) names = g_resources_enumerate_children ("/io/github/reskill/Reskill/ui/",
                                                         G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);

  if (names == NULL)
    g_error ("no templates in the resource");
  for (guint n = 0; names[n] != NULL; n++)
    {
      g_autofree char *path = g_strconcat ("/io/github/reskill/Reskill/ui/", names[n], NULL);
      g_autoptr (GBytes) bytes = NULL;
      g_auto (GStrv) lines = NULL;

      if (!g_str_has_suffix (names[n], ".ui"))
        continue;
      bytes = g_resources_lookup_data (path, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
      g_assert_nonnull (bytes);
      {
        g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
        lines = g_strsplit (text, "\n", -1);
      }
      /* The resource's copy may have its blanks stripped: several on a
       * line, and lines that are not the source's. */
      for (guint l = 0; lines[l] != NULL; l++)
        for (guint m = 0; m < G_N_ELEMENTS (markers); m++)
          for (const char *start = strstr (lines[l], markers[m]); start != NULL;
               start = strstr (start, markers[m]))
            {
              const char *end;
              NamedAction *named;

              start += strlen (markers[m]);
              end = strchr (start, '<');
              if (end == NULL)
                g_error ("%s: unterminated %s", names[n], markers[m]);
              named = g_new0 (NamedAction, 1);
              named->where = g_strdup (names[n]);
              named->action = g_strndup (start, end - start);
              g_ptr_array_add (found, named);
            }
    }
  return found;
}

static gboolean
class_installs (GType type, const char *action)
{
  GtkWidgetClass *klass = g_type_class_ref (type);
  gboolean found = FALSE;
  const char *name;
  GType owner;
  const GVariantType *parameter_type;
  const char *property;

  for (guint i = 0; !found && gtk_widget_class_query_action (klass, i, &owner, &name, &parameter_type, &property); i++)
    found = g_strcmp0 (name, action) == 0;
  g_type_class_unref (klass);
  return found;
}

/* Whether a GActionMap has "prefix.name" under the given prefix. */
static gboolean
map_has (GActionMap *map, const char *prefix, const char *action)
{
  gsize len = strlen (prefix);

  return map != NULL && strncmp (action, prefix, len) == 0 && action[len] == '.'
         && g_action_map_lookup_action (map, action + len + 1) != NULL;
}

/* Resolves as GTK's action muxer does from this widget: the actions the
 * classes of the widget and its ancestors install, the window's own
 * ("win.") and the application's ("app."). */
static gboolean
resolves_from (GtkWidget *widget, const char *action, GActionMap *app)
{
  for (GtkWidget *w = widget; w != NULL; w = gtk_widget_get_parent (w))
    {
      if (class_installs (G_OBJECT_TYPE (w), action))
        return TRUE;
      if (G_IS_ACTION_MAP (w) && map_has (G_ACTION_MAP (w), "win", action))
        return TRUE;
    }
  return map_has (app, "app", action);
}

static void
check_actionables (GtkWidget *widget, GActionMap *app, guint *n_checked, guint *n_bad)
{
  if (GTK_IS_ACTIONABLE (widget) && gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)) != NULL)
    {
      const char *action = gtk_actionable_get_action_name (GTK_ACTIONABLE (widget));

      (*n_checked)++;
      if (!resolves_from (widget, action, app))
        {
          g_test_message ("%s (%s) names %s, which nothing above it registers", G_OBJECT_TYPE_NAME (widget),
                          gtk_widget_get_name (widget), action);
          (*n_bad)++;
        }
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    check_actionables (child, app, n_checked, n_bad);
}

/* Every action name in every template's text is registered by some class
 * of the program, the window or the application. */
static void
test_every_template_action_registered (void)
{
  g_autoptr (GPtrArray) named = actions_in_templates ();
  g_autoptr (RsApplication) app = rs_application_new ("io.github.reskill.Reskill.Test", FALSE);
  guint n_bad = 0;

  g_assert_cmpuint (named->len, >=, 40);
  for (guint i = 0; i < named->len; i++)
    {
      NamedAction *a = g_ptr_array_index (named, i);
      gboolean registered = map_has (G_ACTION_MAP (app), "app", a->action);

      for (guint t = 0; !registered && t < G_N_ELEMENTS (templates); t++)
        registered = class_installs (templates[t].get_type (), a->action);
      if (!registered && g_str_has_prefix (a->action, "win."))
        {
          /* The window's own map: actions added at run time (the
           * shortcuts window's). */
          RsWindow *window = rs_window_new (NULL, NULL);
          registered = map_has (G_ACTION_MAP (window), "win", a->action);
          gtk_window_destroy (GTK_WINDOW (window));
        }
      if (!registered)
        {
          g_test_message ("%s: action %s is registered nowhere", a->where, a->action);
          n_bad++;
        }
    }
  g_test_message ("%u action names in the templates", named->len);
  g_assert_cmpuint (n_bad, ==, 0);
}

/* In the real window, with every page built and the kiosk's screens
 * attached, each page shown in turn: every button, menu button and row
 * with an action name finds its action from where it sits. */
static void
test_every_page_action_resolves (void)
{
  static const char *const pages[] = { "welcome", "sign-in", "choose", "quiz", "results", "history",
                                       "home", "team", "member", "admin" };
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("reskill-templates-XXXXXX", &error);
  g_autofree char *db = g_build_filename (dir, "reskill.db", NULL);
  const char *root = g_getenv ("RESKILL_SOURCE_ROOT");
  g_autofree char *questions = g_build_filename (root, "questions", NULL);
  g_autofree char *roles = g_build_filename (root, "data", "roles.yaml", NULL);
  g_autoptr (RsApplication) app = rs_application_new ("io.github.reskill.Reskill.Test", FALSE);
  g_autoptr (RsContext) context = NULL;
  RsWindow *window;
  guint n_checked = 0, n_bad = 0;

  g_assert_no_error (error);
  {
    g_autoptr (RsBank) bank = rs_bank_new ();
    g_autoptr (RsStore) store = rs_store_open (db, &error);
    RsDemoConfig config = { .n_people = 2, .attempts_per_person = 1, .seed = 3 };

    g_assert_no_error (error);
    g_assert_true (rs_bank_load_dir (bank, questions, &error));
    g_assert_true (rs_demo_seed (store, bank, &config, &error));
    g_assert_no_error (error);
  }
  context = rs_context_load (db, questions, roles);
  g_assert_null (rs_context_get_problem_title (context));
  window = rs_window_new (NULL, context);
  rs_kiosk_controller_attach (window);
  gtk_window_present (GTK_WINDOW (window));
  for (guint p = 0; p < G_N_ELEMENTS (pages); p++)
    {
      g_assert_nonnull (rs_window_get_page (window, pages[p]));
      rs_window_show_page (window, pages[p]);
      while (g_main_context_iteration (NULL, FALSE))
        ;
    }
  check_actionables (GTK_WIDGET (window), G_ACTION_MAP (app), &n_checked, &n_bad);
  g_test_message ("%u widgets with an action name", n_checked);
  g_assert_cmpuint (n_checked, >=, 40);
  g_assert_cmpuint (n_bad, ==, 0);

  gtk_window_destroy (GTK_WINDOW (window));
  g_clear_object (&context);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  {
    g_autoptr (GDir) handle = g_dir_open (dir, 0, NULL);
    const char *name;

    while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
      {
        g_autofree char *path = g_build_filename (dir, name, NULL);
        g_unlink (path);
      }
  }
  g_rmdir (dir);
}

static void
on_parsing_error (GtkCssProvider *provider, GtkCssSection *section, const GError *error, gpointer data)
{
  g_autofree char *where = gtk_css_section_to_string (section);

  g_test_message ("style.css: %s: %s", where, error->message);
  *(guint *) data += 1;
}

static void
test_style_sheet_parses (void)
{
  g_autoptr (GtkCssProvider) provider = gtk_css_provider_new ();
  guint n_errors = 0;

  g_signal_connect (provider, "parsing-error", G_CALLBACK (on_parsing_error), &n_errors);
  gtk_css_provider_load_from_resource (provider, "/io/github/reskill/Reskill/style.css");
  g_assert_cmpuint (n_errors, ==, 0);
  /* Something was loaded: the provider prints back our own rules. */
  {
    g_autofree char *text = gtk_css_provider_to_string (provider);
    g_assert_nonnull (strstr (text, ".option-key"));
  }
}

static void
test_text_reflow (void)
{
  g_autofree char *one = rs_text_reflow ("What does\nthis print?\n");
  g_autofree char *two = rs_text_reflow ("First line\nsame paragraph.\n\n  Second\nparagraph.\n\n");

  g_assert_cmpstr (one, ==, "What does this print?");
  g_assert_cmpstr (two, ==, "First line same paragraph.\n\nSecond paragraph.");
}

int
main (int argc, char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  gtk_source_init ();

  g_test_add_func ("/gui/templates/instantiate", test_every_template_instantiates);
  g_test_add_func ("/gui/templates/listed", test_every_template_is_listed);
  g_test_add_func ("/gui/templates/style", test_style_sheet_parses);
  g_test_add_func ("/gui/templates/actions-registered", test_every_template_action_registered);
  g_test_add_func ("/gui/templates/actions-resolve-in-window", test_every_page_action_resolves);
  g_test_add_func ("/gui/text/reflow", test_text_reflow);
  return g_test_run ();
}
