/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Driven through the same actions as tests/test-gui-manage.c. */
#include "rs-manage-screenshot.h"

#include <glib/gstdio.h>

#include "rs-admin-page.h"
#include "rs-context.h"
#include "rs-demo.h"
#include "rs-dialogs.h"
#include "rs-frame.h"
#include "rs-team-page.h"
#include "rs-window.h"

typedef struct {
  RsWindow *window;
  const RsScreenshotOptions *options;
  int n_written;
  int n_failed;
} Shooter;

/* A draft topic with the mistakes authors make, for the bank page. */
static const char draft_yaml[] =
  "skill: python\n"
  "subtopic: draft\n"
  "items:\n"
  "  - id: draft.001\n"
  "    type: single\n"
  "    level: 2\n"
  "    stem: Which keyword defines a function?\n"
  "    options: [def, fun, lambda]\n"
  "    key: D\n"
  "    explanation: def starts a function definition.\n"
  "  - id: draft.002\n"
  "    type: single\n"
  "    level: 7\n"
  "    stem: What does len([]) return?\n"
  "    options: ['0', None]\n"
  "    key: A\n"
  "    explenation: An empty list has length zero.\n";

/* window NULL: the main window; else a dialog over it. */
static void
shoot_window (Shooter *shooter, GtkWidget *window, const char *name)
{
  g_autofree char *file = g_strdup_printf ("%s.png", name);
  g_autofree char *path = g_build_filename (shooter->options->dir, file, NULL);
  g_autoptr (GError) error = NULL;

  if (window == NULL)
    window = GTK_WIDGET (shooter->window);
  rs_frame_run_for (60);
  rs_frame_wait_painted (window, 2000);
  if (!rs_frame_save_png (window, path, &error))
    {
      g_printerr ("reskill: %s: %s\n", path, error->message);
      shooter->n_failed++;
      return;
    }
  g_print ("%s\n", path);
  shooter->n_written++;
}

static void
shoot (Shooter *shooter, const char *name)
{
  shoot_window (shooter, NULL, name);
}

static gboolean
dialog_shown (gpointer data)
{
  return rs_dialog_find (data) != NULL;
}

/* Shoots the dialog called name, then answers it. */
static gboolean
shoot_dialog (Shooter *shooter, const char *name, const char *file, const char *response)
{
  GtkWidget *dialog;

  if (!rs_frame_wait_until (dialog_shown, (gpointer) name, 5000))
    {
      g_printerr ("reskill: no dialog %s\n", name);
      return FALSE;
    }
  dialog = rs_dialog_find (name);
  shoot_window (shooter, dialog, file);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), response);
  gtk_window_destroy (GTK_WINDOW (dialog));
  return TRUE;
}

static gboolean
page_is (gpointer data)
{
  gpointer *pair = data;
  return g_strcmp0 (rs_window_get_page_name (pair[0]), pair[1]) == 0;
}

static gboolean
wait_page (RsWindow *window, const char *name)
{
  gpointer pair[2] = { window, (gpointer) name };

  if (rs_frame_wait_until (page_is, pair, 10000))
    return TRUE;
  g_printerr ("reskill: expected page %s, on %s\n", name, rs_window_get_page_name (window));
  return FALSE;
}

static gboolean
sign_in (RsWindow *window, const char *number, const char *pin, const char *page)
{
  GtkWidget *sign_in_page = rs_window_get_page (window, "sign-in");
  GtkWidget *pad = rs_frame_find_widget (sign_in_page, "pin-pad");

  gtk_widget_activate_action (GTK_WIDGET (window), "win.sign-in", NULL);
  for (const char *p = number; *p != '\0'; p++)
    gtk_widget_activate_action (pad, "pin-pad.digit", "u", (guint) (*p - '0'));
  gtk_widget_activate_action (pad, "pin-pad.submit", NULL);
  for (const char *p = pin; *p != '\0'; p++)
    gtk_widget_activate_action (pad, "pin-pad.digit", "u", (guint) (*p - '0'));
  gtk_widget_activate_action (pad, "pin-pad.submit", NULL);
  return wait_page (window, page);
}

/* Scrolls the team page so that the widget named name is at the top. */
static void
scroll_team_to (RsWindow *window, const char *name)
{
  GtkWidget *team = rs_window_get_page (window, "team");
  GtkScrolledWindow *scroller = GTK_SCROLLED_WINDOW (rs_frame_find_widget (team, "team-scroller"));
  GtkWidget *target = rs_frame_find_widget (team, name);
  GtkWidget *content = gtk_scrolled_window_get_child (scroller);
  double x = 0, y = 0;

  if (target == NULL || content == NULL)
    return;
  content = gtk_widget_get_first_child (content) != NULL ? gtk_widget_get_first_child (content) : content;
  if (gtk_widget_translate_coordinates (target, content, 0, 0, &x, &y))
    gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (scroller), MAX (0, y - 60));
}

/* Scrolls target's scrolled window so that target is near the top. */
static void
scroll_into_view (GtkWidget *target)
{
  GtkWidget *scroller = target != NULL ? gtk_widget_get_ancestor (target, GTK_TYPE_SCROLLED_WINDOW) : NULL;
  GtkWidget *content;
  double x = 0, y = 0;

  if (scroller == NULL || (content = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scroller))) == NULL)
    return;
  if (gtk_widget_translate_coordinates (target, content, 0, 0, &x, &y))
    gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller)), MAX (0, y - 24));
}

static gboolean
calibration_finished (gpointer bank_page)
{
  return !rs_admin_bank_is_calibrating (bank_page);
}

/* A copy of the bank with the draft file added; NULL when it cannot be made. */
static char *
copy_bank_with_draft (const char *questions_dir)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("reskill-shot-XXXXXX", &error);
  g_autoptr (GDir) top = NULL;
  const char *skill;

  if (tmp == NULL || (top = g_dir_open (questions_dir, 0, NULL)) == NULL)
    return NULL;
  /* The folder the bank page names: call it what it is. */
  {
    char *questions = g_build_filename (tmp, "questions", NULL);

    g_mkdir (questions, 0700);
    g_free (tmp);
    tmp = questions;
  }
  while ((skill = g_dir_read_name (top)) != NULL)
    {
      g_autofree char *from = g_build_filename (questions_dir, skill, NULL);
      g_autofree char *to = g_build_filename (tmp, skill, NULL);
      g_autoptr (GDir) dir = NULL;
      const char *name;

      if (!g_file_test (from, G_FILE_TEST_IS_DIR) || (dir = g_dir_open (from, 0, NULL)) == NULL)
        continue;
      g_mkdir (to, 0700);
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *source = g_build_filename (from, name, NULL);
          g_autofree char *dest = g_build_filename (to, name, NULL);
          g_autofree char *contents = NULL;
          gsize length = 0;

          if (g_file_get_contents (source, &contents, &length, NULL))
            g_file_set_contents (dest, contents, (gssize) length, NULL);
        }
    }
  {
    g_autofree char *python = g_build_filename (tmp, "python", NULL);
    g_autofree char *draft = g_build_filename (python, "zz-draft.yaml", NULL);

    g_mkdir (python, 0700);
    g_file_set_contents (draft, draft_yaml, -1, NULL);
  }
  return g_steal_pointer (&tmp);
}

static void
remove_tree (const char *path)
{
  g_autoptr (GDir) dir = NULL;
  const char *name;

  if (g_file_test (path, G_FILE_TEST_IS_DIR) && (dir = g_dir_open (path, 0, NULL)) != NULL)
    while ((name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *child = g_build_filename (path, name, NULL);
        remove_tree (child);
      }
  g_remove (path);
}

static RsWindow *
open_window (GtkApplication *app, const RsScreenshotOptions *options, const char *db)
{
  g_autoptr (RsContext) context = rs_context_load (db, options->questions_dir, options->roles_path);
  RsWindow *window = rs_window_new (app, context);

  gtk_window_set_default_size (GTK_WINDOW (window), options->width, options->height);
  gtk_window_present (GTK_WINDOW (window));
  rs_frame_wait_painted (GTK_WIDGET (window), 5000);
  return window;
}

static gboolean
manager_shots (Shooter *shooter)
{
  RsWindow *window = shooter->window;
  RsTeamPage *team = RS_TEAM_PAGE (rs_window_get_page (window, "team"));
  const RsTeamReport *report;

  if (!sign_in (window, RS_DEMO_MANAGER_NO, RS_DEMO_MANAGER_PIN, "home"))
    return FALSE;
  shoot (shooter, "20-manager-home");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.team-report", NULL);
  if (!wait_page (window, "team"))
    return FALSE;
  shoot (shooter, "21-team-report");
  scroll_team_to (window, "team-distribution-python");
  shoot (shooter, "22-team-distributions");
  scroll_team_to (window, "team-readiness");
  shoot (shooter, "23-team-readiness");
  scroll_team_to (window, "team-progress");
  shoot (shooter, "23-team-progress");
  scroll_team_to (window, "team-training");
  shoot (shooter, "23-team-training");
  {
    /* The same report as the PDF a manager exports, to look at its pages
     * (pdftoppm) beside the window's. */
    g_autofree char *pdf = g_build_filename (shooter->options->dir, "23-team-report.pdf", NULL);
    g_autoptr (GError) error = NULL;

    if (!rs_team_page_export (team, RS_TEAM_EXPORT_PDF, pdf, &error))
      g_printerr ("reskill: the team PDF was not written: %s\n", error->message);
  }

  report = rs_team_page_get_report (team);
  if (report == NULL || report->members->len == 0)
    {
      g_printerr ("reskill: the demo team has no members\n");
      return FALSE;
    }
  gtk_widget_activate_action (GTK_WIDGET (team), "team.open-member", "x",
                              ((const RsReportMember *) g_ptr_array_index (report->members, 0))->person_id);
  if (!wait_page (window, "member"))
    return FALSE;
  shoot (shooter, "24-team-member");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.done", NULL);
  return TRUE;
}

static gboolean
admin_shots (Shooter *shooter, const char *tmp_dir)
{
  RsWindow *window = shooter->window;
  RsAdminPage *admin = RS_ADMIN_PAGE (rs_window_get_page (window, "admin"));

  if (!sign_in (window, RS_DEMO_ADMIN_NO, RS_DEMO_ADMIN_PIN, "home"))
    return FALSE;
  gtk_widget_activate_action (GTK_WIDGET (window), "win.admin", NULL);
  if (!wait_page (window, "admin"))
    return FALSE;
  shoot (shooter, "25-admin-people");
  /* Adding someone: the dialog, then their one-time PIN. */
  gtk_widget_activate_action (GTK_WIDGET (rs_admin_page_get_people (admin)), "people.add", NULL);
  if (!rs_frame_wait_until (dialog_shown, "person-dialog", 5000))
    return FALSE;
  {
    GtkWidget *dialog = rs_dialog_find ("person-dialog");

    gtk_editable_set_text (GTK_EDITABLE (rs_frame_find_widget (dialog, "person-number")), "3100");
    gtk_editable_set_text (GTK_EDITABLE (rs_frame_find_widget (dialog, "person-name")), "Noor Haddad");
    AdwComboRow *team = ADW_COMBO_ROW (rs_frame_find_widget (dialog, "person-team"));
    GListModel *teams = adw_combo_row_get_model (team);

    /* The team is chosen from the teams there are. */
    for (guint t = 0; t < g_list_model_get_n_items (teams); t++)
      if (g_str_equal (gtk_string_list_get_string (GTK_STRING_LIST (teams), t), "Platform"))
        adw_combo_row_set_selected (team, t);
  }
  if (!shoot_dialog (shooter, "person-dialog", "25-admin-add-person", "save")
      || !shoot_dialog (shooter, "one-time-pin-dialog", "25-admin-one-time-pin", "close"))
    return FALSE;
  /* Erasing someone: the strong confirmation, cancelled. */
  {
    RsAdminPeople *people = rs_admin_page_get_people (admin);

    for (guint i = 0; i < rs_admin_people_get_n_shown (people); i++)
      {
        const RsPerson *shown = rs_admin_people_get_shown (people, i);

        if (shown->role != RS_PERSON_EMPLOYEE)
          continue;
        gtk_widget_activate_action (GTK_WIDGET (people), "people.erase", "x", shown->id);
        if (rs_frame_wait_until (dialog_shown, "erase-dialog", 5000))
          shoot_dialog (shooter, "erase-dialog", "25-admin-erase", "cancel");
        break;
      }
  }
  rs_admin_page_show_section (admin, "teams");
  shoot (shooter, "25-admin-teams");
  rs_admin_page_show_section (admin, "bank");
  gtk_widget_activate_action (GTK_WIDGET (rs_admin_page_get_bank (admin)), "bank.reload", NULL);
  shoot (shooter, "26-admin-bank");
  rs_admin_bank_show_section (rs_admin_page_get_bank (admin), "statistics");
  shoot (shooter, "26-admin-statistics");
  /* A calibration run under review (on the demo's answers every question
   * is still provisional). */
  if (rs_admin_bank_calibrate (rs_admin_page_get_bank (admin))
      && rs_frame_wait_until (calibration_finished, rs_admin_page_get_bank (admin), 30000))
    shoot (shooter, "26-admin-calibration");
  rs_admin_page_show_section (admin, "settings");
  shoot (shooter, "27-admin-settings");
  scroll_into_view (rs_frame_find_widget (GTK_WIDGET (rs_admin_page_get_settings (admin)), "settings-privacy"));
  shoot (shooter, "27-admin-privacy");
  rs_admin_page_show_section (admin, "exchange");
  {
    g_autofree char *bundle = g_build_filename (tmp_dir, "reskill-results.sqlite", NULL);
    RsAdminExchange *exchange = rs_admin_page_get_exchange (admin);

    /* Both run on a worker thread: wait for each. */
    rs_admin_exchange_export_to (exchange, bundle, NULL);
    while (rs_admin_exchange_is_busy (exchange))
      g_main_context_iteration (NULL, TRUE);
    rs_admin_exchange_import_files (exchange, &(GSList) { bundle, NULL }, NULL);
    while (rs_admin_exchange_is_busy (exchange))
      g_main_context_iteration (NULL, TRUE);
  }
  shoot (shooter, "28-admin-exchange");

  /* An administrator sees every team, with a choice of team. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.back", NULL);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.team-report", NULL);
  if (!wait_page (window, "team"))
    return FALSE;
  shoot (shooter, "29-team-report-admin");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.done", NULL);
  return TRUE;
}

/* A larger demo organization than the employee screens need (six people a
 * team), so the team report shows a real map. NULL: use the shared one. */
static char *
make_team_db (const char *questions_dir, const char *tmp_dir)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = g_build_filename (tmp_dir, "teams.db", NULL);
  g_autoptr (RsBank) bank = rs_bank_new ();
  g_autoptr (RsStore) store = NULL;
  RsDemoConfig config = { .n_people = 24, .attempts_per_person = 3, .seed = 20261128 };

  if (!rs_bank_load_dir (bank, questions_dir, &error)
      || (store = rs_store_open (path, &error)) == NULL
      || !rs_demo_seed (store, bank, &config, &error))
    {
      g_printerr ("reskill: the team demo database: %s\n", error->message);
      return NULL;
    }
  return g_steal_pointer (&path);
}

gboolean
rs_manage_screenshot_shots (GtkApplication *app, const RsScreenshotOptions *options, const char *shared_db,
                            int *n_written)
{
  Shooter shooter = { .options = options };
  g_autofree char *bank_copy = copy_bank_with_draft (options->questions_dir);
  g_autofree char *work = bank_copy != NULL ? g_path_get_dirname (bank_copy) : NULL;
  g_autofree char *team_db = work != NULL ? make_team_db (options->questions_dir, work) : NULL;
  const char *db = team_db != NULL ? team_db : shared_db;
  gboolean ok;

  shooter.window = open_window (app, options, db);
  ok = manager_shots (&shooter);
  gtk_window_destroy (GTK_WINDOW (shooter.window));

  if (ok)
    {
      shooter.window = open_window (app, options, db);
      /* Reload then reads the copy with the draft, as after an author's edit. */
      if (bank_copy != NULL)
        rs_context_set_questions_dir (rs_window_get_context (shooter.window), bank_copy);
      ok = admin_shots (&shooter, work != NULL ? work : g_get_tmp_dir ());
      gtk_window_destroy (GTK_WINDOW (shooter.window));
    }
  while (g_main_context_iteration (NULL, FALSE))
    ;
  if (work != NULL)
    remove_tree (work);
  *n_written += shooter.n_written;
  return ok && shooter.n_failed == 0;
}
