/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Every template loads with no warning (G_DEBUG=fatal-warnings turns one
 * into a crash), and no template in the resource is left untested: a new
 * .ui file without an entry here fails the second test. */
#include <string.h>

#include <adwaita.h>
#include <gtksourceview/gtksource.h>

#include "rs-admin-bank.h"
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
  g_test_add_func ("/gui/text/reflow", test_text_reflow);
  return g_test_run ();
}
