/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Drives the window the way a person would (window and page actions, the
 * same ones the tests use) so the pictures show real screens, not mock-ups.
 * Animations are off so that every capture shows a settled page. */
#include "rs-screenshot.h"

#include <glib/gstdio.h>

#include "rs-choose-page.h"
#include "rs-context.h"
#include "rs-demo.h"
#include "rs-error.h"
#include "rs-frame.h"
#include "rs-kiosk-screenshot.h"
#include "rs-manage-screenshot.h"
#include "rs-quiz-page.h"
#include "rs-results-page.h"
#include "rs-sign-in-page.h"
#include "rs-window.h"

typedef struct {
  RsWindow *window;
  const RsScreenshotOptions *options;
  int n_written;
  int n_failed;
} Shooter;

char *
rs_screenshot_make_demo_db (const char *questions_dir, char **tmp_dir, GError **error)
{
  g_autofree char *dir = g_dir_make_tmp ("reskill-demo-XXXXXX", error);
  g_autofree char *path = NULL;
  g_autoptr (RsStore) store = NULL;
  g_autoptr (RsBank) bank = NULL;
  RsDemoConfig config = { .n_people = 8, .attempts_per_person = 3, .seed = 20261128 };

  if (dir == NULL)
    return NULL;
  path = g_build_filename (dir, "reskill.db", NULL);
  bank = rs_bank_new ();
  if (!rs_bank_load_dir (bank, questions_dir, error))
    return NULL;
  store = rs_store_open (path, error);
  if (store == NULL || !rs_demo_seed (store, bank, &config, error))
    return NULL;
  *tmp_dir = g_steal_pointer (&dir);
  return g_steal_pointer (&path);
}

void
rs_screenshot_remove_dir (const char *dir)
{
  g_autoptr (GDir) handle = NULL;
  const char *name;

  if (dir == NULL || (handle = g_dir_open (dir, 0, NULL)) == NULL)
    return;
  while ((name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (dir);
}

static void
shoot (Shooter *shooter, const char *name)
{
  g_autofree char *file = g_strdup_printf ("%s.png", name);
  g_autofree char *path = g_build_filename (shooter->options->dir, file, NULL);
  g_autoptr (GError) error = NULL;

  rs_frame_run_for (60);
  rs_frame_wait_painted (GTK_WIDGET (shooter->window), 2000);
  if (!rs_frame_save_png (GTK_WIDGET (shooter->window), path, &error))
    {
      g_printerr ("reskill: %s: %s\n", path, error->message);
      shooter->n_failed++;
      return;
    }
  g_print ("%s\n", path);
  shooter->n_written++;
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
  return rs_frame_wait_until (page_is, pair, 10000);
}

static gboolean
forecasts_ready (gpointer data)
{
  return rs_choose_page_forecasts_ready (data);
}

/* Answers like a middling candidate: right on most easy items and some hard
 * ones, so the results show levels that are not all the same. */
static void
answer_current (RsQuizPage *quiz, GRand *rand)
{
  const RsItem *item = rs_quiz_page_get_item (quiz);
  RsAnswer answer = { 0 };

  if (item == NULL)
    return;
  rs_item_best_answer (item, &answer);
  if (g_rand_double (rand) > (item->level <= 2 ? 0.85 : 0.5))
    {
      if (item->type == RS_ITEM_NUMERIC)
        answer.number = answer.number * 2 + 1;
      else
        answer.chosen = (answer.chosen == 1u) ? 2u : 1u;
    }
  rs_quiz_page_fill_answer (quiz, &answer);
}

/* Scrolls once the page is laid out: the review's rows arrive after the
 * first frame, so the scroll range is known only after another one. */
static void
scroll_results (RsWindow *window, const char *section)
{
  RsResultsPage *results = RS_RESULTS_PAGE (rs_window_get_page (window, "results"));

  rs_results_page_scroll_to (results, section);
  rs_frame_wait_painted (GTK_WIDGET (window), 2000);
  rs_results_page_scroll_to (results, section);
}

/* The PIN was checked and the form says why it was refused. */
static gboolean
form_answered (gpointer data)
{
  return !rs_pin_form_get_busy (data) && rs_pin_form_get_message (data) != NULL;
}

static gboolean
run (Shooter *shooter)
{
  RsWindow *window = shooter->window;
  GtkWidget *sign_in = rs_window_get_page (window, "sign-in");
  GtkWidget *pad = rs_frame_find_widget (sign_in, "pin-pad");
  RsChoosePage *choose = RS_CHOOSE_PAGE (rs_window_get_page (window, "choose"));
  RsQuizPage *quiz = RS_QUIZ_PAGE (rs_window_get_page (window, "quiz"));
  g_autoptr (GRand) rand = g_rand_new_with_seed (7);
  gboolean seen[4] = { FALSE };   /* code, multi, numeric, scenario */
  const char *pages[] = { "quiz-code", "quiz-multi", "quiz-numeric", "quiz-scenario" };
  gboolean all[RS_N_SKILLS] = { TRUE, TRUE, TRUE, TRUE };

  if (g_strcmp0 (rs_window_get_page_name (window), "welcome") != 0)
    {
      shoot (shooter, "error");
      return FALSE;
    }
  shoot (shooter, "01-welcome");

  rs_window_show_page (window, "first-run");
  shoot (shooter, "02-first-run");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.done", NULL);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.sign-in", NULL);
  for (const char *p = RS_DEMO_EMPLOYEE_NO; *p != '\0'; p++)
    gtk_widget_activate_action (pad, "pin-pad.digit", "u", (guint) (*p - '0'));
  shoot (shooter, "03-sign-in");

  /* A wrong PIN, to show the message; then the right one. */
  gtk_widget_activate_action (pad, "pin-pad.submit", NULL);   /* OK on the number: on to the PIN */
  for (int i = 0; i < 4; i++)
    gtk_widget_activate_action (pad, "pin-pad.digit", "u", 9u);
  gtk_widget_activate_action (sign_in, "sign-in.submit", NULL);
  /* The PIN check runs in a thread: wait for its answer, not a guess. */
  if (!rs_frame_wait_until (form_answered, rs_sign_in_page_get_form (RS_SIGN_IN_PAGE (sign_in)), 10000))
    {
      g_printerr ("reskill: no message after a wrong PIN\n");
      return FALSE;
    }
  shoot (shooter, "04-sign-in-wrong-pin");
  for (const char *p = RS_DEMO_EMPLOYEE_PIN; *p != '\0'; p++)
    gtk_widget_activate_action (pad, "pin-pad.digit", "u", (guint) (*p - '0'));
  gtk_widget_activate_action (sign_in, "sign-in.submit", NULL);
  if (!wait_page (window, "choose"))
    {
      g_printerr ("reskill: the demo employee could not sign in\n");
      return FALSE;
    }

  rs_choose_page_select (choose, all, RS_MODE_QUICK);
  rs_choose_page_set_self_level (choose, RS_SKILL_PYTHON, RS_LEVEL_ADVANCED);
  rs_choose_page_set_self_level (choose, RS_SKILL_EMPATHY, RS_LEVEL_PROFICIENT);
  rs_frame_wait_until (forecasts_ready, choose, 60000);
  shoot (shooter, "05-choose");
  {
    GtkScrolledWindow *scroller = GTK_SCROLLED_WINDOW (rs_frame_find_widget (GTK_WIDGET (choose), "choose-scroller"));
    GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (scroller);

    gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
    shoot (shooter, "05-choose-guess");
    gtk_adjustment_set_value (adjustment, 0);
  }

  gtk_widget_activate_action (GTK_WIDGET (choose), "choose.start", NULL);
  if (!wait_page (window, "quiz"))
    {
      g_printerr ("reskill: the assessment did not start\n");
      return FALSE;
    }
  shoot (shooter, "06-quiz");

  for (int n = 0; n < 400 && g_strcmp0 (rs_window_get_page_name (window), "quiz") == 0; n++)
    {
      const RsItem *item = rs_quiz_page_get_item (quiz);
      int kind = -1;

      if (item == NULL)
        break;
      if (item->code != NULL && item->type == RS_ITEM_SINGLE)
        kind = 0;
      else if (item->type == RS_ITEM_MULTI)
        kind = 1;
      else if (item->type == RS_ITEM_NUMERIC)
        kind = 2;
      else if (item->type == RS_ITEM_SCENARIO)
        kind = 3;
      answer_current (quiz, rand);
      if (kind >= 0 && !seen[kind])
        {
          g_autofree char *name = g_strdup_printf ("%02d-%s", 7 + kind, pages[kind]);
          seen[kind] = TRUE;
          shoot (shooter, name);
        }
      gtk_widget_activate_action (GTK_WIDGET (quiz), "quiz.submit", NULL);
      while (g_main_context_iteration (NULL, FALSE))
        ;
    }

  if (!wait_page (window, "results"))
    {
      g_printerr ("reskill: the assessment did not reach the results\n");
      return FALSE;
    }
  shoot (shooter, "11-results");
  scroll_results (window, "role");
  shoot (shooter, "12-results-role");
  scroll_results (window, "learning");
  shoot (shooter, "12-results-learning");
  scroll_results (window, "review");
  shoot (shooter, "13-results-review");

  gtk_widget_activate_action (GTK_WIDGET (window), "win.history", NULL);
  if (wait_page (window, "history"))
    shoot (shooter, "14-history");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.change-pin", NULL);
  if (wait_page (window, "change-pin"))
    shoot (shooter, "14-change-pin");

  /* The privacy notice, as the demo's newcomer (who never confirmed it)
   * meets it at their first sign-in. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.done", NULL);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.sign-in", NULL);
  for (const char *p = RS_DEMO_NEWCOMER_NO; *p != '\0'; p++)
    gtk_widget_activate_action (pad, "pin-pad.digit", "u", (guint) (*p - '0'));
  gtk_widget_activate_action (pad, "pin-pad.submit", NULL);
  for (const char *p = RS_DEMO_NEWCOMER_PIN; *p != '\0'; p++)
    gtk_widget_activate_action (pad, "pin-pad.digit", "u", (guint) (*p - '0'));
  gtk_widget_activate_action (sign_in, "sign-in.submit", NULL);
  if (wait_page (window, "notice"))
    shoot (shooter, "14-notice");
  else
    {
      g_printerr ("reskill: the demo newcomer did not see the privacy notice\n");
      return FALSE;
    }

  gtk_widget_activate_action (GTK_WIDGET (window), "win.done", NULL);
  /* The title and advice rs-context.c shows when the store refuses a
   * read-only database, in the window's language. The first sentence is a
   * stand-in for the store's own message (a developer tool marks nothing
   * for translation, so it stays English here). */
  {
    g_autoptr (GError) refused = g_error_new_literal (RS_ERROR, RS_ERROR_DB_READONLY, "unable to open database file");
    g_autofree char *title = NULL;
    g_autofree char *problem = rs_context_describe_open_error ("/var/lib/reskill/reskill.db", refused, &title);

    rs_window_show_problem (window, title, problem, FALSE);
  }
  shoot (shooter, "15-error");
  return TRUE;
}

int
rs_screenshot_run (GtkApplication *app, const RsScreenshotOptions *options)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *tmp_dir = NULL;
  g_autofree char *db = NULL;
  g_autoptr (RsContext) context = NULL;
  Shooter shooter = { .options = options };
  gboolean ok;

  if (g_mkdir_with_parents (options->dir, 0755) != 0)
    {
      g_printerr ("reskill: cannot create %s\n", options->dir);
      return 1;
    }
  db = rs_screenshot_make_demo_db (options->questions_dir, &tmp_dir, &error);
  if (db == NULL)
    {
      g_printerr ("reskill: cannot make the demo database: %s\n", error->message);
      rs_screenshot_remove_dir (tmp_dir);
      return 1;
    }

  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      options->dark ? ADW_COLOR_SCHEME_FORCE_DARK : ADW_COLOR_SCHEME_FORCE_LIGHT);

  g_application_hold (G_APPLICATION (app));
  context = rs_context_load (db, options->questions_dir, options->roles_path);
  shooter.window = rs_window_new (app, context);
  gtk_window_set_default_size (GTK_WINDOW (shooter.window), options->width, options->height);
  gtk_window_present (GTK_WINDOW (shooter.window));
  rs_frame_wait_painted (GTK_WIDGET (shooter.window), 5000);

  ok = run (&shooter);
  /* Kiosk mode's own screens, in a kiosk window of the same size. */
  if (ok)
    ok = rs_kiosk_screenshot_shots (app, options, db, &shooter.n_written);
  /* The manager's and the administrator's screens, in windows of their own. */
  if (ok)
    ok = rs_manage_screenshot_shots (app, options, db, &shooter.n_written);

  gtk_window_destroy (GTK_WINDOW (shooter.window));
  g_clear_object (&context);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  rs_screenshot_remove_dir (tmp_dir);
  g_application_release (G_APPLICATION (app));

  g_print ("%d screenshots written to %s at %dx%d\n", shooter.n_written, options->dir,
           options->width, options->height);
  return ok && shooter.n_failed == 0 ? 0 : 1;
}
