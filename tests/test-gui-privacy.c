/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The privacy policy in the window (issue 14): the administrator's Privacy
 * section writes the policy the core enforces, and the manager's team page
 * follows each level: names and member buttons under "levels" (and the
 * look recorded), none under "aggregates", and "too few to show" for a
 * group under the threshold. Pages are made on their own, with the demo
 * organization, so that no sign-in notice stands in the way. */
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include <adwaita.h>

#include "rs-admin-people.h"
#include "rs-admin-settings.h"
#include "rs-dialogs.h"
#include "rs-context.h"
#include "rs-demo.h"
#include "rs-frame.h"
#include "rs-member-page.h"
#include "rs-privacy.h"
#include "rs-report.h"
#include "rs-team-page.h"

typedef struct {
  char *dir;
  char *db;
  RsContext *context;
  GtkWidget *window;
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

static void
setup (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *questions = source_path ("questions", NULL);
  g_autofree char *roles = source_path ("data", "roles.yaml", NULL);
  g_autoptr (RsBank) bank = rs_bank_new ();
  RsDemoConfig config = { .n_people = 12, .attempts_per_person = 1, .seed = 7 };

  fixture->dir = g_dir_make_tmp ("reskill-gui-privacy-XXXXXX", &error);
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
  fixture->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1024, 768);
}

static void
teardown (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GDir) dir = NULL;
  const char *name;

  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_clear_object (&fixture->context);
  dir = g_dir_open (fixture->dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
      g_assert_cmpint (g_remove (path), ==, 0);
    }
  g_assert_cmpint (g_rmdir (fixture->dir), ==, 0);
  g_free (fixture->dir);
  g_free (fixture->db);
}

static void
sign_in_as (Fixture *fixture, const char *number)
{
  g_autoptr (GError) error = NULL;
  RsPerson *person = rs_store_find_person (rs_context_get_store (fixture->context), number, &error);

  g_assert_no_error (error);
  g_assert_nonnull (person);
  rs_context_set_person (fixture->context, person);
}

static void
set_policy (Fixture *fixture, RsVisibility visibility, guint min_group)
{
  RsStore *store = rs_context_get_store (fixture->context);
  g_autoptr (GError) error = NULL;
  g_autoptr (RsPerson) admin = rs_store_find_person (store, RS_DEMO_ADMIN_NO, &error);
  RsPrivacyPolicy policy;

  g_assert_true (rs_privacy_get_policy (store, &policy, &error));
  policy.visibility = visibility;
  policy.min_group = min_group;
  g_assert_true (rs_privacy_set_policy (store, admin, &policy, &error));
  g_assert_no_error (error);
}

static GtkWidget *
find (GtkWidget *root, const char *name)
{
  GtkWidget *widget = rs_frame_find_widget (root, name);

  if (widget == NULL)
    g_test_message ("no widget named %s", name);
  g_assert_nonnull (widget);
  return widget;
}

static void
test_settings (Fixture *fixture, gconstpointer data)
{
  RsStore *store = rs_context_get_store (fixture->context);
  RsAdminSettings *settings;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) views = NULL;
  g_autofree char *wording = NULL;
  RsPrivacyPolicy policy;
  AdwComboRow *visibility;
  gint64 team_id = 0;
  g_autofree char *team_row = NULL;
  RsVisibility team_visibility;
  gboolean overridden = FALSE;

  sign_in_as (fixture, RS_DEMO_ADMIN_NO);
  settings = g_object_new (RS_TYPE_ADMIN_SETTINGS, NULL);
  gtk_window_set_child (GTK_WINDOW (fixture->window), GTK_WIDGET (settings));
  rs_page_set_context (RS_PAGE (settings), fixture->context);
  rs_admin_settings_refresh (settings);
  g_assert_true (gtk_widget_get_visible (find (GTK_WIDGET (settings), "settings-privacy")));

  /* The default, levels, shown with what it means. */
  visibility = ADW_COMBO_ROW (find (GTK_WIDGET (settings), "privacy-visibility"));
  g_assert_cmpuint (adw_combo_row_get_selected (visibility), ==, RS_VISIBILITY_LEVELS);
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (visibility)), "never their answers"));

  /* Team figures only: written to the database, explained in words. */
  adw_combo_row_set_selected (visibility, RS_VISIBILITY_AGGREGATES);
  g_assert_true (rs_privacy_get_policy (store, &policy, &error));
  g_assert_cmpint (policy.visibility, ==, RS_VISIBILITY_AGGREGATES);
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (visibility)), "never a name"));

  gtk_spin_button_set_value (GTK_SPIN_BUTTON (find (GTK_WIDGET (settings), "privacy-min-group")), 7);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (find (GTK_WIDGET (settings), "privacy-keep-results")), 36);
  gtk_switch_set_active (GTK_SWITCH (find (GTK_WIDGET (settings), "privacy-anonymous")), FALSE);
  g_assert_true (rs_privacy_get_policy (store, &policy, &error));
  g_assert_cmpuint (policy.min_group, ==, 7);
  g_assert_cmpuint (policy.keep_results_months, ==, 36);
  g_assert_false (policy.anonymous_answers);
  g_assert_cmpint (policy.visibility, ==, RS_VISIBILITY_AGGREGATES);

  /* A team of its own: full, then the organization's again. */
  g_assert_true (rs_report_find_team (store, "Platform", &team_id, &error));
  team_row = g_strdup_printf ("privacy-team-%" G_GINT64_FORMAT, team_id);
  adw_combo_row_set_selected (ADW_COMBO_ROW (find (GTK_WIDGET (settings), team_row)), 1 + RS_VISIBILITY_FULL);
  g_assert_true (rs_privacy_team_policy (store, team_id, &team_visibility, NULL, &overridden, &error));
  g_assert_true (overridden);
  g_assert_cmpint (team_visibility, ==, RS_VISIBILITY_FULL);
  adw_combo_row_set_selected (ADW_COMBO_ROW (find (GTK_WIDGET (settings), team_row)), 0);
  g_assert_true (rs_privacy_team_policy (store, team_id, &team_visibility, NULL, &overridden, &error));
  g_assert_false (overridden);

  /* The organization's words in the notice. */
  gtk_editable_set_text (GTK_EDITABLE (find (GTK_WIDGET (settings), "privacy-wording")),
                         "Questions? Ask the works council.");
  g_signal_emit_by_name (find (GTK_WIDGET (settings), "privacy-wording"), "apply");
  g_assert_true (rs_privacy_get_wording (store, "", &wording, &error));
  g_assert_cmpstr (wording, ==, "Questions? Ask the works council.");
  g_assert_no_error (error);
}

static guint
count_views (Fixture *fixture, const char *kind)
{
  sqlite3_stmt *stmt = NULL;
  guint n = 0;

  g_assert_cmpint (sqlite3_prepare_v2 (rs_store_get_db (rs_context_get_store (fixture->context)),
                                       "SELECT count(*) FROM result_views WHERE what = ?", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, kind, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = (guint) sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

static RsTeamPage *
team_page (Fixture *fixture)
{
  RsTeamPage *page = g_object_new (RS_TYPE_TEAM_PAGE, NULL);
  g_autoptr (GError) error = NULL;

  gtk_window_set_child (GTK_WINDOW (fixture->window), GTK_WIDGET (page));
  rs_page_set_context (RS_PAGE (page), fixture->context);
  g_assert_true (rs_team_page_refresh (page, &error));
  g_assert_no_error (error);
  gtk_window_present (GTK_WINDOW (fixture->window));
  rs_frame_wait_painted (fixture->window, 20000);
  return page;
}

static void
test_team_levels (Fixture *fixture, gconstpointer data)
{
  RsTeamPage *page;
  const RsTeamReport *report;
  const RsReportMember *first;
  g_autoptr (GError) error = NULL;
  g_autofree char *csv = g_build_filename (fixture->dir, "team.csv", NULL);
  g_autofree char *contents = NULL;
  guint views_before;

  sign_in_as (fixture, RS_DEMO_MANAGER_NO);
  page = team_page (fixture);
  report = rs_team_page_get_report (page);
  g_assert_true (report->names_shown);
  g_assert_cmpuint (report->members->len, >, 0);
  first = g_ptr_array_index (report->members, 0);
  /* Allowed: each member by name, with a button to their results. */
  g_assert_nonnull (rs_team_page_get_member_button (page, first->employee_no));
  g_assert_cmpuint (count_views (fixture, "team-report"), >, 0);
  /* The training needs section is there, with the team's heading. */
  g_assert_true (gtk_widget_get_visible (gtk_widget_get_parent (find (GTK_WIDGET (page), "team-training"))));

  /* The member's page: allowed under levels, a look recorded, and the
   * best fit says whether it is met. */
  {
    RsMemberPage *member = g_object_new (RS_TYPE_MEMBER_PAGE, NULL);
    guint member_views = count_views (fixture, "member");
    const char *title;

    gtk_window_set_child (GTK_WINDOW (fixture->window), GTK_WIDGET (member));
    rs_page_set_context (RS_PAGE (member), fixture->context);
    g_assert_true (rs_member_page_show_member (member, first->person_id, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (count_views (fixture, "member"), ==, member_views + 1);
    title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (find (GTK_WIDGET (member), "member-best-role")));
    if (first->best != NULL)
      g_assert_true (g_str_has_suffix (title, first->best->met ? " (met)" : " (not yet met)"));
    gtk_window_set_child (GTK_WINDOW (fixture->window), GTK_WIDGET (page));
  }

  /* An export with names is recorded for each member named. */
  views_before = count_views (fixture, "team-csv");
  g_assert_true (rs_team_page_export (page, RS_TEAM_EXPORT_CSV, csv, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_views (fixture, "team-csv"), ==, views_before + report->members->len);
  g_assert_true (g_file_get_contents (csv, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, first->name));
  g_assert_nonnull (strstr (contents, "\r\n\r\nrole,skill,subtopic,focus,members_lacking,members_measured\r\n"));
}

static void
test_team_aggregates (Fixture *fixture, gconstpointer data)
{
  RsTeamPage *page;
  const RsTeamReport *report;
  GtkWidget *python;
  g_autoptr (GError) error = NULL;
  g_autofree char *csv = g_build_filename (fixture->dir, "team.csv", NULL);

  /* Team figures only, and every group too small: nobody named, no
   * member buttons, every distribution "too few to show". */
  set_policy (fixture, RS_VISIBILITY_AGGREGATES, 100);
  sign_in_as (fixture, RS_DEMO_MANAGER_NO);
  page = team_page (fixture);
  report = rs_team_page_get_report (page);
  g_assert_false (report->names_shown);
  g_assert_cmpuint (report->members->len, ==, 0);
  g_assert_cmpuint (report->n_members, >, 0);
  g_assert_null (rs_team_page_get_member_button (page, "2001"));
  g_assert_cmpuint (count_views (fixture, "team-report"), ==, 0);
  /* Refused: a member's page under team figures only. */
  {
    RsMemberPage *member = g_object_new (RS_TYPE_MEMBER_PAGE, NULL);
    g_autoptr (RsPerson) someone = rs_store_find_person (rs_context_get_store (fixture->context),
                                                             RS_DEMO_EMPLOYEE_NO, NULL);

    g_object_ref_sink (member);
    rs_page_set_context (RS_PAGE (member), fixture->context);
    g_autoptr (GError) refused = NULL;

    g_assert_nonnull (someone);
    g_assert_false (rs_member_page_show_member (member, someone->id, &refused));
    g_assert_nonnull (refused);
    g_object_unref (member);
  }
  python = find (GTK_WIDGET (page), "team-distribution-python");
  g_assert_true (GTK_IS_LABEL (python));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (python)), "too few to show"));
  g_assert_true (gtk_widget_get_visible (gtk_widget_get_parent (find (GTK_WIDGET (page), "team-training"))));

  /* The export names nobody either, and records no look. */
  g_assert_true (rs_team_page_export (page, RS_TEAM_EXPORT_CSV, csv, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_views (fixture, "team-csv"), ==, 0);

  /* A threshold of two: the figures are shown, still without names. */
  set_policy (fixture, RS_VISIBILITY_AGGREGATES, 2);
  g_assert_true (rs_team_page_refresh (page, &error));
  g_assert_no_error (error);
  report = rs_team_page_get_report (page);
  g_assert_false (report->too_few[RS_SKILL_PYTHON]);
  g_assert_false (GTK_IS_LABEL (find (GTK_WIDGET (page), "team-distribution-python")));
  g_assert_cmpuint (report->members->len, ==, 0);
}

static gboolean
dialog_shown (gpointer data)
{
  return rs_dialog_find (data) != NULL;
}

static void
test_erase_and_export (Fixture *fixture, gconstpointer data)
{
  RsStore *store = rs_context_get_store (fixture->context);
  RsAdminPeople *people;
  g_autoptr (GError) error = NULL;
  g_autoptr (RsPerson) target = NULL;
  g_autoptr (RsPerson) gone = NULL;
  g_autofree char *employee_no = NULL;
  g_autofree char *export_dir = g_build_filename (fixture->dir, "export", NULL);
  g_autoptr (GDir) exported = NULL;
  GtkWidget *dialog, *entry;
  guint n_files = 0;

  sign_in_as (fixture, RS_DEMO_ADMIN_NO);
  people = g_object_new (RS_TYPE_ADMIN_PEOPLE, NULL);
  gtk_window_set_child (GTK_WINDOW (fixture->window), GTK_WIDGET (people));
  rs_page_set_context (RS_PAGE (people), fixture->context);
  g_assert_true (rs_admin_people_refresh (people, &error));
  g_assert_no_error (error);
  gtk_window_present (GTK_WINDOW (fixture->window));
  for (guint i = 0; i < rs_admin_people_get_n_shown (people) && target == NULL; i++)
    {
      const RsPerson *shown = rs_admin_people_get_shown (people, i);

      if (shown->role == RS_PERSON_EMPLOYEE)
        target = rs_store_get_person (store, shown->id, &error);
    }
  g_assert_nonnull (target);
  employee_no = g_strdup (target->employee_no);

  /* Their data first: a new folder with files in it. */
  g_assert_true (rs_admin_people_export_data (people, target->id, export_dir, &error));
  g_assert_no_error (error);
  exported = g_dir_open (export_dir, 0, &error);
  g_assert_no_error (error);
  while (g_dir_read_name (exported) != NULL)
    n_files++;
  g_assert_cmpuint (n_files, >=, 2);
  {
    g_autoptr (GDir) dir = g_dir_open (export_dir, 0, NULL);
    const char *name;

    while ((name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *path = g_build_filename (export_dir, name, NULL);
        g_assert_cmpint (g_remove (path), ==, 0);
      }
    g_assert_cmpint (g_rmdir (export_dir), ==, 0);
  }

  /* The erasure: a strong confirmation that says what goes and that it
   * travels, enabled only once the employee number is typed again. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (people), "people.erase", "x", target->id));
  g_assert_true (rs_frame_wait_until (dialog_shown, (gpointer) "erase-dialog", 20000));
  dialog = rs_dialog_find ("erase-dialog");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)), "results bundle"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)), "cannot be undone"));
  g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "erase"));
  entry = find (dialog, "erase-number");
  gtk_editable_set_text (GTK_EDITABLE (entry), "not their number");
  g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "erase"));
  /* Still there while only asked. */
  gone = rs_store_find_person (store, employee_no, NULL);
  g_assert_nonnull (gone);
  g_clear_pointer (&gone, rs_person_free);
  gtk_editable_set_text (GTK_EDITABLE (entry), employee_no);
  g_assert_true (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "erase"));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "erase");
  gtk_window_destroy (GTK_WINDOW (dialog));
  gone = rs_store_find_person (store, employee_no, NULL);
  g_assert_null (gone);
}

int
main (int argc, char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_test_add ("/gui/privacy/settings", Fixture, NULL, setup, test_settings, teardown);
  g_test_add ("/gui/privacy/team-levels", Fixture, NULL, setup, test_team_levels, teardown);
  g_test_add ("/gui/privacy/erase-and-export", Fixture, NULL, setup, test_erase_and_export, teardown);
  g_test_add ("/gui/privacy/team-aggregates", Fixture, NULL, setup, test_team_aggregates, teardown);
  return g_test_run ();
}
