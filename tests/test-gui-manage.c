/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The manager's and the administrator's window, driven like the employee's
 * in test-gui-flow.c: keypad sign-in, window and page actions, dialogs found
 * among the toplevels by name and answered. What the screen shows is checked
 * against the core's own answer (the team report recomputed, the PIN tried
 * with rs_store_authenticate), and an employee must not reach any of it.
 *
 * Runs under Xvfb with GDK_BACKEND=x11 GTK_A11Y=none. */
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include <adwaita.h>
#include <gtksourceview/gtksource.h>

#include "rs-admin-page.h"
#include "rs-calibration.h"
#include "rs-context.h"
#include "rs-demo.h"
#include "rs-dialogs.h"
#include "rs-error.h"
#include "rs-frame.h"
#include "rs-list-row.h"
#include "rs-member-page.h"
#include "rs-notice-page.h"
#include "rs-people.h"
#include "rs-report-chart.h"
#include "rs-settings.h"
#include "rs-team-page.h"
#include "rs-window.h"
#include "notice-util.h"

#define TIMEOUT_MS 20000
#define ADMIN_NO "900"
#define ADMIN_PIN "97531864"

typedef struct {
  char *dir;
  char *db;
  RsContext *context;
  RsWindow *window;
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
open_window (Fixture *fixture, const char *questions)
{
  g_autofree char *roles = source_path ("data", "roles.yaml", NULL);

  fixture->context = rs_context_load (fixture->db, questions, roles);
  g_assert_null (rs_context_get_problem_title (fixture->context));
  fixture->window = rs_window_new (NULL, fixture->context);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1280, 800);
  gtk_window_present (GTK_WINDOW (fixture->window));
  g_assert_cmpint (rs_frame_wait_painted (GTK_WIDGET (fixture->window), TIMEOUT_MS), >, 0);
}

/* The demo organization (rs-demo.h), with past attempts. */
static void
setup_demo (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *questions = source_path ("questions", NULL);
  g_autoptr (RsBank) bank = rs_bank_new ();
  RsDemoConfig config = { .n_people = 12, .attempts_per_person = 2, .seed = 5 };

  fixture->dir = g_dir_make_tmp ("reskill-manage-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->db = g_build_filename (fixture->dir, "reskill.db", NULL);
  g_assert_true (rs_bank_load_dir (bank, questions, &error));
  {
    g_autoptr (RsStore) store = rs_store_open (fixture->db, &error);

    g_assert_no_error (error);
    g_assert_true (rs_demo_seed (store, bank, &config, &error));
    g_assert_no_error (error);
  }
  open_window (fixture, questions);
}

/* An admin alone, on the broken fixture bank (good items and bad ones). */
static void
setup_admin_broken_bank (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *questions = source_path ("tests", "fixtures", "bank", NULL);

  fixture->dir = g_dir_make_tmp ("reskill-manage-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->db = g_build_filename (fixture->dir, "reskill.db", NULL);
  {
    g_autoptr (RsStore) store = rs_store_open (fixture->db, &error);

    g_assert_no_error (error);
    g_assert_true (rs_store_add_person (store, ADMIN_NO, "Ada Admin", NULL, RS_PERSON_ADMIN, ADMIN_PIN, NULL, &error));
    g_assert_no_error (error);
    rs_test_confirm_notice (store, ADMIN_NO);
    g_assert_true (rs_store_add_person (store, "901", "Bo Builder", "Platform", RS_PERSON_EMPLOYEE, "1234", NULL, &error));
    g_assert_no_error (error);
    rs_test_confirm_notice (store, "901");
    g_assert_true (rs_store_ensure_team (store, "Empty Team", NULL, &error));
    g_assert_no_error (error);
  }
  open_window (fixture, questions);
}

/* An admin and ten thousand people: the size of a large company. */
#define MANY_PEOPLE 10000

static void
setup_admin_many_people (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *questions = source_path ("tests", "fixtures", "bank", NULL);

  fixture->dir = g_dir_make_tmp ("reskill-manage-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->db = g_build_filename (fixture->dir, "reskill.db", NULL);
  {
    g_autoptr (RsStore) store = rs_store_open (fixture->db, &error);
    g_autofree char *sql = g_strdup_printf ("INSERT INTO people (employee_no, name, role)"
                                            " WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d)"
                                            " SELECT printf ('P%%05d', i), printf ('Person %%05d', i), 'employee' FROM n",
                                            MANY_PEOPLE);

    g_assert_no_error (error);
    g_assert_true (rs_store_add_person (store, ADMIN_NO, "Ada Admin", NULL, RS_PERSON_ADMIN, ADMIN_PIN, NULL, &error));
    g_assert_no_error (error);
    rs_test_confirm_notice (store, ADMIN_NO);
    g_assert_cmpint (sqlite3_exec (rs_store_get_db (store), sql, NULL, NULL, NULL), ==, SQLITE_OK);
  }
  open_window (fixture, questions);
}

static void
teardown (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GDir) dir = NULL;
  const char *name;

  /* Dialogs left open belong to the window: destroy them with it. */
  {
    g_autoptr (GList) toplevels = gtk_window_list_toplevels ();
    for (GList *l = toplevels; l != NULL; l = l->next)
      if (l->data != (gpointer) fixture->window)
        gtk_window_destroy (l->data);
  }
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_clear_object (&fixture->context);
  while (g_main_context_iteration (NULL, FALSE))
    ;
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

/* --- helpers --- */

static GtkWidget *
find (GtkWidget *root, const char *name)
{
  GtkWidget *widget = rs_frame_find_widget (root, name);

  /* g_error does not return: the compiler knows widget is not NULL below. */
  if (widget == NULL)
    g_error ("no widget named %s", name);
  return widget;
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

static void
assert_page (Fixture *fixture, const char *page)
{
  PageWait wait = { fixture->window, page };

  if (!rs_frame_wait_until (page_shown, &wait, TIMEOUT_MS))
    g_test_message ("on page %s, expected %s", rs_window_get_page_name (fixture->window), page);
  g_assert_cmpstr (rs_window_get_page_name (fixture->window), ==, page);
}

static void
activate (GtkWidget *widget, const char *action)
{
  g_assert_true (gtk_widget_activate_action (widget, action, NULL));
}

/* Presses a button or an activatable row on screen as a finger would:
 * shown, sensitive (GTK makes one whose action does not exist
 * insensitive), clicked. */
static void
press (GtkWidget *button)
{
  if (!gtk_widget_is_visible (button) || !gtk_widget_is_sensitive (button))
    g_test_message ("%s: visible %d, sensitive %d", gtk_widget_get_name (button), gtk_widget_is_visible (button),
                    gtk_widget_is_sensitive (button));
  g_assert_true (GTK_IS_BUTTON (button) || GTK_IS_LIST_BOX_ROW (button));
  g_assert_true (gtk_widget_is_visible (button));
  g_assert_true (gtk_widget_is_sensitive (button));
  /* A row (the home page's) is activated as a tap on it activates it. */
  if (GTK_IS_LIST_BOX_ROW (button))
    g_assert_true (gtk_widget_activate (button));
  else
    g_signal_emit_by_name (button, "clicked");
}

static void
press_named (Fixture *fixture, const char *name)
{
  press (find (GTK_WIDGET (fixture->window), name));
}

/* The keypad's digit buttons ("pad-0" ... "pad-9"). */
static void
press_keys (Fixture *fixture, const char *digits)
{
  GtkWidget *pad = find (find (GTK_WIDGET (fixture->window), "sign-in-form"), "pin-pad");

  for (const char *p = digits; *p != '\0'; p++)
    {
      char name[] = { 'p', 'a', 'd', '-', *p, '\0' };
      press (find (pad, name));
    }
}

static void
sign_in (Fixture *fixture, const char *number, const char *pin)
{
  GtkWidget *pad;

  press_named (fixture, "welcome-sign-in");
  assert_page (fixture, "sign-in");
  press_keys (fixture, number);
  pad = find (find (GTK_WIDGET (fixture->window), "sign-in-form"), "pin-pad");
  press (find (pad, "pad-ok"));
  press_keys (fixture, pin);
  press_named (fixture, "sign-in-submit");
}

static gboolean
dialog_shown (gpointer data)
{
  return rs_dialog_find (data) != NULL;
}

static GtkWidget *
wait_dialog (const char *name)
{
  if (!rs_frame_wait_until (dialog_shown, (gpointer) name, TIMEOUT_MS))
    g_test_message ("no dialog named %s", name);
  g_assert_nonnull (rs_dialog_find (name));
  return rs_dialog_find (name);
}

static void
respond (GtkWidget *dialog, const char *response)
{
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), response);
  /* The dialog buttons close it after responding; here we close it. */
  gtk_window_destroy (GTK_WINDOW (dialog));
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* The PIN the one-time PIN dialog shows; the dialog is then closed. */
static char *
read_one_time_pin (void)
{
  GtkWidget *dialog = wait_dialog ("one-time-pin-dialog");
  char *pin = g_strdup (gtk_label_get_text (GTK_LABEL (find (dialog, "one-time-pin"))));

  g_assert_cmpuint (strlen (pin), ==, 6);
  for (int i = 0; i < 6; i++)
    g_assert_true (g_ascii_isdigit (pin[i]));
  respond (dialog, "close");
  return pin;
}

/* --- the tests --- */

static void
test_manager_team_report (Fixture *fixture, gconstpointer data)
{
  RsStore *store = rs_context_get_store (fixture->context);
  RsTeamPage *team;
  const RsTeamReport *shown;
  g_autoptr (RsTeamReport) expected = NULL;
  g_autoptr (GError) error = NULL;
  const RsPerson *manager;
  const RsReportMember *first = NULL;
  guint n_measured = 0;

  sign_in (fixture, RS_DEMO_MANAGER_NO, RS_DEMO_MANAGER_PIN);
  assert_page (fixture, "home");
  manager = rs_context_get_person (fixture->context);
  g_assert_cmpint (manager->role, ==, RS_PERSON_MANAGER);
  g_assert_true (gtk_widget_get_visible (find (GTK_WIDGET (fixture->window), "home-team")));
  g_assert_false (gtk_widget_get_visible (find (GTK_WIDGET (fixture->window), "home-admin")));

  /* A manager is not an admin: Administration does nothing. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.admin", NULL);
  assert_page (fixture, "home");

  press_named (fixture, "home-team");
  assert_page (fixture, "team");
  rs_frame_wait_painted (GTK_WIDGET (fixture->window), TIMEOUT_MS);
  team = RS_TEAM_PAGE (rs_window_get_page (fixture->window, "team"));
  shown = rs_team_page_get_report (team);
  g_assert_nonnull (shown);
  /* Only the team they lead. */
  g_assert_cmpuint (rs_team_page_get_n_teams (team), ==, 1);
  g_assert_cmpint (shown->team_id, ==, manager->team_id);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (find (GTK_WIDGET (team), "team-title"))), ==, manager->team_name);

  /* The map: every member by name, every cell with the level the core gives. */
  expected = rs_team_report_new (store, rs_context_get_roles (fixture->context), manager, manager->team_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (expected->members->len, >=, 2);
  g_assert_cmpuint (shown->members->len, ==, expected->members->len);
  for (guint m = 0; m < expected->members->len; m++)
    {
      const RsReportMember *member = g_ptr_array_index (expected->members, m);
      GtkWidget *button = rs_team_page_get_member_button (team, member->employee_no);

      g_assert_true (GTK_IS_BUTTON (button));
      g_assert_true (gtk_widget_is_ancestor (button, GTK_WIDGET (team)));
      g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (gtk_button_get_child (GTK_BUTTON (button)))), ==, member->name);
      for (int s = 0; s < RS_N_SKILLS; s++)
        {
          GtkWidget *cell = rs_team_page_get_cell (team, member->employee_no, (RsSkill) s);
          const char *text;

          g_assert_true (RS_IS_REPORT_CHART (cell));
          g_assert_true (gtk_widget_get_mapped (cell));
          text = rs_report_chart_get_text (RS_REPORT_CHART (cell));

          if (member->latest[s].measured)
            {
              g_autofree char *level = rs_skill_score_describe (&member->latest[s].score);
              g_autofree char *band = rs_report_result_band (&member->latest[s]);
              g_autofree char *want = g_strdup_printf ("%s: %s, %s", rs_skill_title ((RsSkill) s), level, band);

              g_assert_cmpstr (text, ==, want);
              n_measured++;
              if (first == NULL)
                first = member;
            }
          else
            g_assert_nonnull (strstr (text, "not measured"));
          g_assert_cmpint (gtk_widget_get_height (cell), >=, 48);
        }
    }
  g_assert_cmpuint (n_measured, >, 0);
  if (first == NULL)
    g_error ("nobody in the team has a result");

  /* Drill down to one member. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (team), "team.open-member", "x", first->person_id));
  assert_page (fixture, "member");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (find (GTK_WIDGET (fixture->window), "member-name"))), ==, first->name);
  for (int s = 0; s < RS_N_SKILLS; s++)
    {
      g_autofree char *row_name = g_strdup_printf ("member-level-%s", rs_skill_id ((RsSkill) s));
      const char *title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (find (GTK_WIDGET (fixture->window), row_name)));

      if (first->latest[s].measured)
        {
          g_autofree char *level = rs_skill_score_describe (&first->latest[s].score);
          g_assert_nonnull (strstr (title, level));
        }
      else
        g_assert_nonnull (strstr (title, "not measured"));
    }
  activate (GTK_WIDGET (fixture->window), "win.back");
  assert_page (fixture, "team");

  /* CSV export to a temporary path: what the chooser's Save does. */
  {
    g_autofree char *csv = g_build_filename (fixture->dir, "team.csv", NULL);
    g_autofree char *pdf = g_build_filename (fixture->dir, "team.pdf", NULL);
    g_autofree char *contents = NULL;
    gsize length = 0;

    g_assert_true (rs_team_page_export (team, RS_TEAM_EXPORT_CSV, csv, &error));
    g_assert_no_error (error);
    g_assert_true (g_file_get_contents (csv, &contents, &length, &error));
    g_assert_no_error (error);
    g_assert_true (g_str_has_prefix (contents, "employee_no,name,skill,level,score"));
    for (guint m = 0; m < expected->members->len; m++)
      g_assert_nonnull (strstr (contents, ((const RsReportMember *) g_ptr_array_index (expected->members, m))->name));
    g_clear_pointer (&contents, g_free);

    g_assert_true (rs_team_page_export (team, RS_TEAM_EXPORT_PDF, pdf, &error));
    g_assert_no_error (error);
    g_assert_true (g_file_get_contents (pdf, &contents, &length, &error));
    g_assert_true (g_str_has_prefix (contents, "%PDF"));

    /* A path that cannot be written: an error, no file. */
    {
      g_autofree char *bad = g_build_filename (fixture->dir, "no-such-folder", "team.csv", NULL);
      g_assert_false (rs_team_page_export (team, RS_TEAM_EXPORT_CSV, bad, &error));
      g_assert_nonnull (error);
      g_clear_error (&error);
    }
  }

  /* Back home, and signing out leaves nothing of the report. */
  activate (GTK_WIDGET (fixture->window), "win.back");
  assert_page (fixture, "home");
  activate (GTK_WIDGET (fixture->window), "win.done");
  assert_page (fixture, "welcome");
  g_assert_null (rs_team_page_get_report (team));
  g_assert_null (rs_member_page_get_report (RS_MEMBER_PAGE (rs_window_get_page (fixture->window, "member"))));
}

static void
test_employee_cannot_reach (Fixture *fixture, gconstpointer data)
{
  const char *actions[] = { "win.team-report", "win.admin", "win.home", "win.take" };
  g_autoptr (GError) error = NULL;
  g_autoptr (RsTeamReport) report = NULL;
  const RsPerson *person;

  sign_in (fixture, RS_DEMO_EMPLOYEE_NO, RS_DEMO_EMPLOYEE_PIN);
  assert_page (fixture, "choose");
  person = rs_context_get_person (fixture->context);
  g_assert_cmpint (person->role, ==, RS_PERSON_EMPLOYEE);
  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    {
      gtk_widget_activate_action (GTK_WIDGET (fixture->window), actions[i], NULL);
      assert_page (fixture, "choose");
    }
  g_assert_null (rs_team_page_get_report (RS_TEAM_PAGE (rs_window_get_page (fixture->window, "team"))));
  /* And the core refuses anyway. */
  report = rs_team_report_new (rs_context_get_store (fixture->context), rs_context_get_roles (fixture->context),
                               person, person->team_id, &error);
  g_assert_null (report);
  g_assert_error (error, RS_ERROR, RS_ERROR_DENIED);
}

static guint
people_shown (RsAdminPeople *people)
{
  return rs_admin_people_get_n_shown (people);
}

static gboolean
one_person_shown (gpointer data)
{
  return people_shown (data) == 1;
}

static void
test_admin_people_and_bank (Fixture *fixture, gconstpointer data)
{
  RsStore *store = rs_context_get_store (fixture->context);
  RsAdminPage *admin;
  RsAdminPeople *people;
  RsAdminBank *bank_page;
  GtkWidget *dialog;
  g_autofree char *pin = NULL;
  g_autofree char *new_pin = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (RsPerson) added = NULL;
  g_autoptr (RsPerson) signed_in = NULL;

  sign_in (fixture, ADMIN_NO, ADMIN_PIN);
  assert_page (fixture, "home");
  g_assert_true (gtk_widget_get_visible (find (GTK_WIDGET (fixture->window), "home-admin")));
  press_named (fixture, "home-admin");
  assert_page (fixture, "admin");
  admin = RS_ADMIN_PAGE (rs_window_get_page (fixture->window, "admin"));
  people = rs_admin_page_get_people (admin);
  g_assert_cmpuint (rs_admin_people_get_n_shown (people), ==, 2);

  /* Search (the entry's own delayed signal). */
  gtk_editable_set_text (GTK_EDITABLE (find (GTK_WIDGET (people), "people-search")), "bo b");
  g_assert_true (rs_frame_wait_until (one_person_shown, people, TIMEOUT_MS));
  g_assert_cmpstr (rs_admin_people_get_shown (people, 0)->employee_no, ==, "901");

  /* Add a person through the dialog. */
  press_named (fixture, "people-add");
  dialog = wait_dialog ("person-dialog");
  gtk_editable_set_text (GTK_EDITABLE (find (dialog, "person-number")), "7001");
  gtk_editable_set_text (GTK_EDITABLE (find (dialog, "person-name")), "Cy Newcomer");
  {
    /* The team is chosen from the teams there are; "New team…" (last)
     * with a name that differs only in case is the existing team, not a
     * second one beside it. */
    AdwComboRow *team = ADW_COMBO_ROW (find (dialog, "person-team"));
    GListModel *teams = adw_combo_row_get_model (team);
    guint n = g_list_model_get_n_items (teams);

    g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (teams), 0), ==, "No team");
    g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (teams), n - 1), ==, "New team…");
    g_assert_false (gtk_widget_get_visible (find (dialog, "person-new-team")));
    adw_combo_row_set_selected (team, n - 1);
    g_assert_true (gtk_widget_get_visible (find (dialog, "person-new-team")));
    gtk_editable_set_text (GTK_EDITABLE (find (dialog, "person-new-team")), " platform ");
  }
  respond (dialog, "save");
  pin = read_one_time_pin ();
  added = rs_store_find_person (store, "7001", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (added->name, ==, "Cy Newcomer");
  g_assert_cmpstr (added->team_name, ==, "Platform");
  {
    g_autoptr (GPtrArray) all_teams = rs_people_list_teams (store, rs_people_operator (), &error);

    g_assert_no_error (error);
    for (guint t = 0; t < all_teams->len; t++)
      g_assert_cmpstr (((const RsTeam *) g_ptr_array_index (all_teams, t))->name, !=, "platform");
  }
  signed_in = rs_store_authenticate (store, "7001", pin, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (signed_in);
  g_clear_pointer (&signed_in, rs_person_free);

  /* Deactivating yourself is refused before anyone is asked to confirm. */
  {
    const RsPerson *me = rs_context_get_person (fixture->context);

    gtk_editable_set_text (GTK_EDITABLE (find (GTK_WIDGET (people), "people-search")), "Ada Admin");
    g_assert_true (rs_frame_wait_until (one_person_shown, people, TIMEOUT_MS));
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (people), "people.toggle-active", "x", me->id));
    g_assert_null (rs_dialog_find ("deactivate-dialog"));
    respond (wait_dialog ("error-dialog"), "close");
    g_assert_true (me->active);
  }

  /* Reset the PIN: confirmed, a new one shown, the old one refused. */
  gtk_editable_set_text (GTK_EDITABLE (find (GTK_WIDGET (people), "people-search")), "7001");
  g_assert_true (rs_frame_wait_until (one_person_shown, people, TIMEOUT_MS));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (people), "people.reset-pin", "x", added->id));
  respond (wait_dialog ("reset-pin-dialog"), "reset");
  new_pin = read_one_time_pin ();
  signed_in = rs_store_authenticate (store, "7001", new_pin, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (signed_in);
  g_clear_pointer (&signed_in, rs_person_free);
  if (g_strcmp0 (pin, new_pin) != 0)
    {
      signed_in = rs_store_authenticate (store, "7001", pin, NULL, &error);
      g_assert_null (signed_in);
      g_assert_error (error, RS_ERROR, RS_ERROR_AUTH);
      g_clear_error (&error);
    }

  /* A people file: a bad one names file:line and changes nothing; a good
   * one shows the new people's one-time PINs. */
  {
    g_autofree char *bad = source_path ("tests", "fixtures", "people", "bad-role.csv", NULL);
    g_autofree char *good = source_path ("tests", "fixtures", "people", "good.csv", NULL);
    g_autofree char *where = g_strdup_printf ("%s:4:", bad);
    g_autoptr (RsPerson) nobody = NULL;
    GtkWidget *report;

    g_assert_false (rs_admin_people_import_file (people, bad, &error));
    g_assert_nonnull (error);
    g_test_message ("%s", error->message);
    g_assert_true (g_str_has_prefix (error->message, where));
    g_clear_error (&error);
    nobody = rs_store_find_person (store, "E001", &error);
    g_assert_null (nobody);
    g_clear_error (&error);

    g_assert_true (rs_admin_people_import_file (people, good, &error));
    g_assert_no_error (error);
    report = wait_dialog ("import-dialog");
    g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (report)), "One-time PINs"));
    respond (report, "close");
  }

  /* Settings: the organization name goes to GSettings (memory backend). */
  rs_admin_page_show_section (admin, "settings");
  g_assert_true (rs_admin_settings_is_available (rs_admin_page_get_settings (admin)));
  {
    GtkWidget *organization = find (GTK_WIDGET (admin), "settings-organization");
    g_autofree char *saved = NULL;

    gtk_editable_set_text (GTK_EDITABLE (organization), "  Example Corp ");
    g_signal_emit_by_name (organization, "apply");
    saved = rs_settings_dup_organization ();
    g_assert_cmpstr (saved, ==, "Example Corp");
  }
  /* The exposure cap's spin button writes the setting assessments read. */
  {
    GtkWidget *cap = find (GTK_WIDGET (admin), "settings-exposure-cap");

    g_assert_cmpfloat (rs_settings_get_exposure_cap (), ==, 0.25);
    gtk_spin_button_set_value (GTK_SPIN_BUTTON (cap), 0.4);
    g_assert_cmpfloat_with_epsilon (rs_settings_get_exposure_cap (), 0.4, 1e-9);
    gtk_spin_button_set_value (GTK_SPIN_BUTTON (cap), 0.25);
  }

  /* The bank: the fixture's problems are listed as file:line: message,
   * the same ones the core finds, before and after a reload. */
  rs_admin_page_show_section (admin, "bank");
  bank_page = rs_admin_page_get_bank (admin);
  {
    guint n_diagnostics = rs_bank_diagnostics (rs_context_get_bank (fixture->context))->len;
    const GPtrArray *lines;
    gboolean found_bad_scores = FALSE;
    /* Compared by address only: the reload frees it. */
    gconstpointer before = rs_context_get_bank (fixture->context);

    g_assert_cmpuint (n_diagnostics, >, 0);
    g_assert_cmpuint (rs_admin_bank_get_n_diagnostics (bank_page), ==, n_diagnostics);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (bank_page), "bank.reload", NULL));
    g_assert_null (rs_dialog_find ("error-dialog"));
    g_assert_true (rs_context_get_bank (fixture->context) != before);
    lines = rs_admin_bank_get_diagnostic_lines (bank_page);
    g_assert_cmpuint (lines->len, ==, n_diagnostics);
    for (guint i = 0; i < lines->len; i++)
      {
        const char *line = g_ptr_array_index (lines, i);
        g_test_message ("%s", line);
        if (strstr (line, "bad-scores.yaml:") != NULL)
          found_bad_scores = TRUE;
      }
    g_assert_true (found_bad_scores);
    g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (find (GTK_WIDGET (bank_page), "bank-summary"))), "problem"));
  }

  /* Admins see every team, including an empty one, which renders a note. */
  activate (GTK_WIDGET (fixture->window), "win.back");
  assert_page (fixture, "home");
  press_named (fixture, "home-team");
  assert_page (fixture, "team");
  {
    RsTeamPage *team = RS_TEAM_PAGE (rs_window_get_page (fixture->window, "team"));
    gint64 empty_id = 0;

    g_assert_cmpuint (rs_team_page_get_n_teams (team), >=, 2);
    g_assert_true (rs_report_find_team (store, "Empty Team", &empty_id, &error));
    /* Make the admin a manager of it, through the team's Managers dialog. */
    {
      const RsPerson *admin_person = rs_context_get_person (fixture->context);
      g_autoptr (GPtrArray) teams = NULL;
      gboolean leads = FALSE;

      RsAdminTeams *teams_page = rs_admin_page_get_teams (admin);

      /* The teams section lists every team the core has, the one the
       * import made and the empty one too, read again when opened. */
      rs_admin_page_show_section (admin, "teams");
      teams = rs_people_list_teams (store, admin_person, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (teams->len, >=, 3);
      g_assert_cmpuint (rs_admin_teams_get_n_teams (teams_page), ==, teams->len);
      g_clear_pointer (&teams, g_ptr_array_unref);
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (teams_page), "teams.managers", "x", empty_id));
      dialog = wait_dialog ("team-managers-dialog");
      gtk_check_button_set_active (GTK_CHECK_BUTTON (find (dialog, "manager-" ADMIN_NO)), TRUE);
      respond (dialog, "save");
      teams = rs_people_list_teams (store, admin_person, &error);
      g_assert_no_error (error);
      for (guint t = 0; t < teams->len; t++)
        {
          const RsTeam *listed = g_ptr_array_index (teams, t);

          for (guint m = 0; listed->id == empty_id && m < listed->managers->len; m++)
            leads |= ((const RsPerson *) g_ptr_array_index (listed->managers, m))->id == admin_person->id;
        }
      g_assert_true (leads);
    }
    g_assert_true (rs_team_page_select_team (team, empty_id, &error));
    g_assert_no_error (error);
    rs_frame_wait_painted (GTK_WIDGET (fixture->window), TIMEOUT_MS);
    /* The map's list says so, on screen. */
    g_assert_true (gtk_widget_get_mapped (find (GTK_WIDGET (team), "team-map-empty")));
    g_assert_false (gtk_widget_is_visible (find (GTK_WIDGET (team), "team-progress")));
  }
}

static void
collect_rows (GtkWidget *widget, GPtrArray *rows)
{
  if (RS_IS_LIST_ROW (widget))
    g_ptr_array_add (rows, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_rows (child, rows);
}

static gboolean
row_titled (GtkWidget *list, const char *title)
{
  g_autoptr (GPtrArray) rows = g_ptr_array_new ();

  collect_rows (list, rows);
  for (guint i = 0; i < rows->len; i++)
    if (g_strcmp0 (rs_list_row_get_title (g_ptr_array_index (rows, i)), title) == 0)
      return TRUE;
  return FALSE;
}

/* Every person is listed, however many (no cap), and the list makes rows
 * only for what is on screen: scrolled to the end, the last one is there. */
static void
test_admin_many_people (Fixture *fixture, gconstpointer data)
{
  RsAdminPeople *people;
  GtkWidget *list;
  GtkAdjustment *adjustment;
  g_autoptr (GPtrArray) rows = g_ptr_array_new ();
  const RsPerson *last;

  sign_in (fixture, ADMIN_NO, ADMIN_PIN);
  assert_page (fixture, "home");
  press_named (fixture, "home-admin");
  assert_page (fixture, "admin");
  people = rs_admin_page_get_people (RS_ADMIN_PAGE (rs_window_get_page (fixture->window, "admin")));
  g_assert_cmpuint (rs_admin_people_get_n_shown (people), ==, MANY_PEOPLE + 1);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (find (GTK_WIDGET (people), "people-count"))), ==, "10001 people");
  list = find (GTK_WIDGET (people), "people-list");
  rs_frame_wait_painted (GTK_WIDGET (fixture->window), TIMEOUT_MS);
  collect_rows (list, rows);
  g_test_message ("%u rows made for %u people", rows->len, rs_admin_people_get_n_shown (people));
  g_assert_cmpuint (rows->len, >, 0);
  /* GTK 4.8's list view keeps about 200 rows around what is shown,
   * whatever the length of the list. */
  g_assert_cmpuint (rows->len, <=, 250);
  g_assert_true (row_titled (list, rs_admin_people_get_shown (people, 0)->name));

  last = rs_admin_people_get_shown (people, MANY_PEOPLE);
  g_assert_nonnull (last);
  g_assert_false (row_titled (list, last->name));
  adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (list));
  for (int i = 0; i < 5 && !row_titled (list, last->name); i++)
    {
      gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
      rs_frame_wait_painted (GTK_WIDGET (fixture->window), TIMEOUT_MS);
    }
  g_assert_true (row_titled (list, last->name));

  /* A search narrows it in the core. */
  gtk_editable_set_text (GTK_EDITABLE (find (GTK_WIDGET (people), "people-search")), "P09999");
  g_assert_true (rs_frame_wait_until (one_person_shown, people, TIMEOUT_MS));
  g_assert_cmpstr (rs_admin_people_get_shown (people, 0)->name, ==, "Person 09999");
}

static gboolean
calibration_finished (gpointer data)
{
  return !rs_admin_bank_is_calibrating (data);
}

static gint64
count_rows (RsStore *store, const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 n;

  g_assert_cmpint (sqlite3_prepare_v2 (rs_store_get_db (store), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

/* The bank page's calibration: run on a worker thread, review, apply,
 * decide on a flagged item, re-score. */
static void
test_admin_calibration (Fixture *fixture, gconstpointer data)
{
  RsStore *store = rs_context_get_store (fixture->context);
  RsAdminPage *admin;
  RsAdminBank *bank_page;
  const RsCalibration *pending;
  g_autoptr (RsCalibration) current = NULL;
  g_autoptr (GError) error = NULL;
  const RsCalibrationItem *item = NULL;
  g_autofree char *item_id = NULL;
  g_autofree char *row_name = NULL;
  g_autofree char *button_name = NULL;
  GtkWidget *row;

  sign_in (fixture, RS_DEMO_ADMIN_NO, RS_DEMO_ADMIN_PIN);
  assert_page (fixture, "home");
  press_named (fixture, "home-admin");
  assert_page (fixture, "admin");
  admin = RS_ADMIN_PAGE (rs_window_get_page (fixture->window, "admin"));
  rs_admin_page_show_section (admin, "bank");
  bank_page = rs_admin_page_get_bank (admin);
  g_assert_cmpuint (rs_admin_bank_get_n_calibration_rows (bank_page), ==, 0);
  g_assert_null (rs_admin_bank_get_pending (bank_page));

  /* Run: on a worker thread, the window stays live; nothing stored yet. */
  press_named (fixture, "bank-calibrate");
  g_assert_true (rs_admin_bank_is_calibrating (bank_page));
  g_assert_true (rs_frame_wait_until (calibration_finished, bank_page, 20 * TIMEOUT_MS));
  g_assert_null (rs_dialog_find ("error-dialog"));
  pending = rs_admin_bank_get_pending (bank_page);
  g_assert_nonnull (pending);
  /* Every item, however many (no cap): the demo bank has over 700. */
  g_assert_cmpuint (pending->items->len, >, 200);
  g_assert_cmpuint (rs_admin_bank_get_n_calibration_rows (bank_page), ==, pending->items->len);
  g_assert_null (rs_calibration_load_current (store, &error));
  g_assert_no_error (error);

  /* Apply: stored, and the bank in use now carries it. */
  press_named (fixture, "bank-apply-calibration");
  g_assert_null (rs_dialog_find ("error-dialog"));
  g_assert_null (rs_admin_bank_get_pending (bank_page));
  current = rs_calibration_load_current (store, &error);
  g_assert_no_error (error);
  g_assert_nonnull (current);
  g_assert_cmpstr (rs_bank_calibration (rs_context_get_bank (fixture->context)), ==, current->uuid);

  /* The demo has too few answers for a flag (500 needed); flag one by hand
   * to decide on it through its row's button. */
  for (guint i = 0; i < current->items->len && item == NULL; i++)
    if (((RsCalibrationItem *) g_ptr_array_index (current->items, i))->n > 0)
      item = g_ptr_array_index (current->items, i);
  if (item == NULL)
    g_error ("the demo calibration has no answered item");
  item_id = g_strdup (item->item_id);
  {
    g_autofree char *sql = g_strdup_printf ("UPDATE calibration_items SET status = 'flagged' WHERE item_id = '%s'",
                                            item_id);
    g_assert_cmpint (sqlite3_exec (rs_store_get_db (store), sql, NULL, NULL, NULL), ==, SQLITE_OK);
  }
  g_assert_true (rs_admin_bank_reload (bank_page, &error));
  g_assert_true (rs_admin_bank_refresh (bank_page, &error));
  g_assert_no_error (error);
  g_assert_true (rs_bank_is_withheld (rs_context_get_bank (fixture->context), item_id));
  /* Flagged first: its row is at the top of the calibration list. */
  rs_admin_bank_show_section (bank_page, "calibration");
  rs_frame_wait_painted (GTK_WIDGET (fixture->window), TIMEOUT_MS);
  row_name = g_strdup_printf ("calibration-%s", item_id);
  row = find (GTK_WIDGET (bank_page), row_name);
  g_assert_nonnull (row);
  g_assert_nonnull (strstr (rs_list_row_get_title (RS_LIST_ROW (row)), "Flagged"));
  button_name = g_strdup_printf ("decide-use-%s", item_id);
  g_assert_nonnull (find (row, button_name));
  g_signal_emit_by_name (find (row, button_name), "clicked");
  g_assert_null (rs_dialog_find ("error-dialog"));
  g_assert_false (rs_bank_is_withheld (rs_context_get_bank (fixture->context), item_id));
  g_clear_pointer (&current, rs_calibration_free);
  current = rs_calibration_load_current (store, NULL);
  for (guint i = 0; i < current->items->len; i++)
    if (g_str_equal (((RsCalibrationItem *) g_ptr_array_index (current->items, i))->item_id, item_id))
      g_assert_cmpint (((RsCalibrationItem *) g_ptr_array_index (current->items, i))->decision, ==, RS_DECISION_USE);

  /* Re-score: every result now records the calibration, the old kept. */
  press_named (fixture, "bank-rescore");
  g_assert_null (rs_dialog_find ("error-dialog"));
  g_assert_cmpint (count_rows (store, "SELECT count(*) FROM results WHERE calibration IS NULL"), ==, 0);
  g_assert_cmpint (count_rows (store, "SELECT count(*) FROM result_history"), ==,
                   count_rows (store, "SELECT count(*) FROM results"));
}

/* --- the privacy notice (issue 14) --- */

static void
notice_set_policy (Fixture *fixture, RsVisibility visibility)
{
  RsStore *store = rs_context_get_store (fixture->context);
  g_autoptr (GError) error = NULL;
  g_autoptr (RsPerson) admin = rs_store_find_person (store, RS_DEMO_ADMIN_NO, &error);
  RsPrivacyPolicy policy;

  g_assert_no_error (error);
  g_assert_true (rs_privacy_get_policy (store, &policy, &error));
  policy.visibility = visibility;
  g_assert_true (rs_privacy_set_policy (store, admin, &policy, &error));
  g_assert_no_error (error);
}

static RsNoticePage *
notice_page (Fixture *fixture)
{
  return RS_NOTICE_PAGE (rs_window_get_page (fixture->window, "notice"));
}

/* Whether the page shows text: the notice is read from the labels the
 * person sees, not only from the core. */
static gboolean
notice_shows (Fixture *fixture, const char *text)
{
  GtkWidget *sections = find (GTK_WIDGET (fixture->window), "notice-sections");

  for (GtkWidget *section = gtk_widget_get_first_child (sections); section != NULL;
       section = gtk_widget_get_next_sibling (section))
    for (GtkWidget *label = gtk_widget_get_first_child (section); label != NULL;
         label = gtk_widget_get_next_sibling (label))
      if (GTK_IS_LABEL (label) && strstr (gtk_label_get_text (GTK_LABEL (label)), text) != NULL)
        return TRUE;
  return FALSE;
}

/* The demo's newcomer never confirmed: the notice comes first, says the
 * policy in force and the organization's words, and I Have Read It
 * records the version shown and goes on to the choose page. */
static void
test_notice_first_sign_in (Fixture *fixture, gconstpointer data)
{
  RsStore *store = rs_context_get_store (fixture->context);
  g_autoptr (GError) error = NULL;
  g_autoptr (RsPerson) admin = rs_store_find_person (store, RS_DEMO_ADMIN_NO, &error);
  g_autoptr (RsPerson) employee = rs_store_find_person (store, RS_DEMO_EMPLOYEE_NO, &error);
  RsPrivacyPolicy policy;
  const RsPerson *person;

  /* The demo: everyone else has confirmed the notice in force. */
  g_assert_false (rs_privacy_notice_needed (store, admin));
  g_assert_false (rs_privacy_notice_needed (store, employee));
  g_assert_true (rs_privacy_set_wording (store, admin, "", "Questions? Ask Petra in the works council.", &error));
  g_assert_no_error (error);
  g_assert_true (rs_privacy_get_policy (store, &policy, &error));

  sign_in (fixture, RS_DEMO_NEWCOMER_NO, RS_DEMO_NEWCOMER_PIN);
  assert_page (fixture, "notice");
  person = rs_context_get_person (fixture->context);
  g_assert_cmpstr (person->employee_no, ==, RS_DEMO_NEWCOMER_NO);
  g_assert_true (rs_privacy_notice_needed (store, person));
  g_assert_cmpint (rs_notice_page_get_version (notice_page (fixture)), ==, policy.version);
  /* The default policy (levels) in words, and the organization's own. */
  g_assert_true (notice_shows (fixture, "They do not see your answers."));
  g_assert_false (notice_shows (fixture, "each question with the answer you gave"));
  g_assert_true (notice_shows (fixture, "Questions? Ask Petra in the works council."));
  g_assert_true (notice_shows (fixture, "Your results are deleted"));
  /* Nothing else to reach from here: no history, no back. */
  g_assert_false (gtk_widget_get_visible (find (GTK_WIDGET (fixture->window), "window-back")));
  g_assert_true (gtk_widget_get_visible (find (GTK_WIDGET (fixture->window), "window-sign-out")));
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.history", NULL);
  assert_page (fixture, "notice");

  press_named (fixture, "notice-confirm");
  assert_page (fixture, "choose");
  g_assert_false (rs_privacy_notice_needed (store, rs_context_get_person (fixture->context)));
  g_assert_null (rs_notice_page_get_message (notice_page (fixture)));
}

/* A changed policy: the notice again for someone who confirmed the old
 * one, written from the new policy; and a change while the page is open
 * is refused with the core's message and the new text shown. */
static void
test_notice_after_policy_change (Fixture *fixture, gconstpointer data)
{
  RsStore *store = rs_context_get_store (fixture->context);
  gint64 shown;

  notice_set_policy (fixture, RS_VISIBILITY_AGGREGATES);
  sign_in (fixture, RS_DEMO_EMPLOYEE_NO, RS_DEMO_EMPLOYEE_PIN);
  assert_page (fixture, "notice");
  g_assert_true (notice_shows (fixture, "They never see your name next to a result."));
  g_assert_false (notice_shows (fixture, "They do not see your answers."));

  /* The administrator changes it again while the notice is open. */
  shown = rs_notice_page_get_version (notice_page (fixture));
  notice_set_policy (fixture, RS_VISIBILITY_FULL);
  press_named (fixture, "notice-confirm");
  assert_page (fixture, "notice");
  g_assert_nonnull (rs_notice_page_get_message (notice_page (fixture)));
  g_assert_nonnull (strstr (rs_notice_page_get_message (notice_page (fixture)), "changed while it was shown"));
  g_assert_cmpint (rs_notice_page_get_version (notice_page (fixture)), >, shown);
  g_assert_true (notice_shows (fixture, "each question with the answer you gave"));
  g_assert_true (gtk_widget_get_visible (find (GTK_WIDGET (fixture->window), "notice-message")));
  g_assert_true (rs_privacy_notice_needed (store, rs_context_get_person (fixture->context)));

  press_named (fixture, "notice-confirm");
  assert_page (fixture, "choose");
  g_assert_false (rs_privacy_notice_needed (store, rs_context_get_person (fixture->context)));

  /* Confirmed: the next sign-in goes straight on. */
  press_named (fixture, "window-sign-out");
  assert_page (fixture, "welcome");
  sign_in (fixture, RS_DEMO_EMPLOYEE_NO, RS_DEMO_EMPLOYEE_PIN);
  assert_page (fixture, "choose");
}

/* Sign Out from the notice: back to the start, nothing confirmed, and the
 * notice page keeps nothing of that person. A manager gets the notice
 * before their home page too. */
static void
test_notice_sign_out (Fixture *fixture, gconstpointer data)
{
  RsStore *store = rs_context_get_store (fixture->context);
  g_autoptr (GError) error = NULL;
  g_autoptr (RsPerson) newcomer = rs_store_find_person (store, RS_DEMO_NEWCOMER_NO, &error);

  sign_in (fixture, RS_DEMO_NEWCOMER_NO, RS_DEMO_NEWCOMER_PIN);
  assert_page (fixture, "notice");
  press_named (fixture, "window-sign-out");
  assert_page (fixture, "welcome");
  g_assert_null (rs_context_get_person (fixture->context));
  g_assert_true (rs_privacy_notice_needed (store, newcomer));
  g_assert_null (rs_notice_page_get_text (notice_page (fixture)));
  g_assert_cmpint (rs_notice_page_get_version (notice_page (fixture)), ==, 0);

  notice_set_policy (fixture, RS_VISIBILITY_FULL);
  sign_in (fixture, RS_DEMO_MANAGER_NO, RS_DEMO_MANAGER_PIN);
  assert_page (fixture, "notice");
  /* Home, Take and Team Report wait until the notice is confirmed. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.home", NULL);
  assert_page (fixture, "notice");
  press_named (fixture, "notice-confirm");
  assert_page (fixture, "home");
}

int
main (int argc, char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  gtk_source_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  g_test_add ("/gui/manage/manager-team-report", Fixture, NULL, setup_demo, test_manager_team_report, teardown);
  g_test_add ("/gui/manage/employee-cannot-reach", Fixture, NULL, setup_demo, test_employee_cannot_reach, teardown);
  g_test_add ("/gui/manage/admin-people-and-bank", Fixture, NULL, setup_admin_broken_bank, test_admin_people_and_bank,
              teardown);
  g_test_add ("/gui/manage/notice-first-sign-in", Fixture, NULL, setup_demo, test_notice_first_sign_in, teardown);
  g_test_add ("/gui/manage/notice-after-policy-change", Fixture, NULL, setup_demo, test_notice_after_policy_change,
              teardown);
  g_test_add ("/gui/manage/notice-sign-out", Fixture, NULL, setup_demo, test_notice_sign_out, teardown);
  g_test_add ("/gui/manage/admin-calibration", Fixture, NULL, setup_demo, test_admin_calibration, teardown);
  g_test_add ("/gui/manage/admin-many-people", Fixture, NULL, setup_admin_many_people, test_admin_many_people,
              teardown);
  return g_test_run ();
}
