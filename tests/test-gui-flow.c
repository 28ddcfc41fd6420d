/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The real window, driven from the welcome page to the results the way a
 * person would: the real buttons pressed (each found by its widget name,
 * and its "clicked" emitted: a button whose action is misspelt is
 * insensitive and fails the press), the keypad's digit and OK buttons,
 * the option buttons, and text typed into the fields. The number keys'
 * action (quiz.pick) is used once, as the keyboard path. Assertions are
 * on what is on screen (labels found by their widget names) and, where the
 * screen shows a judgement of the core, on that judgement recomputed from
 * what the store kept.
 *
 * Runs under Xvfb with GDK_BACKEND=x11 GTK_A11Y=none; every test uses its
 * own temporary database. */
#include <glib/gstdio.h>
#include <string.h>

#include <adwaita.h>
#include <gtksourceview/gtksource.h>

#include "rs-choose-page.h"
#include "rs-context.h"
#include "rs-error.h"
#include "rs-frame.h"
#include "rs-quiz-page.h"
#include "rs-results-page.h"
#include "rs-settings.h"
#include "rs-sign-in-page.h"
#include "rs-text.h"
#include "rs-welcome-page.h"
#include "rs-window.h"
#include "notice-util.h"

#define EMPLOYEE_NO "501"
#define EMPLOYEE_PIN "2468"
#define EMPLOYEE_NAME "Ada Tester"
#define TIMEOUT_MS 20000

typedef struct {
  char *dir;
  char *db;
  char *questions;
  char *roles;
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
seed_people (const char *db)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RsStore) store = rs_store_open (db, &error);

  g_assert_no_error (error);
  g_assert_true (rs_store_add_person (store, "900", "Admin", NULL, RS_PERSON_ADMIN, "97531864", NULL, &error));
  g_assert_no_error (error);
  rs_test_confirm_notice (store, "900");
  g_assert_true (rs_store_add_person (store, EMPLOYEE_NO, EMPLOYEE_NAME, "Platform", RS_PERSON_EMPLOYEE,
                                      EMPLOYEE_PIN, NULL, &error));
  g_assert_no_error (error);
  rs_test_confirm_notice (store, EMPLOYEE_NO);
}

static void
open_window (Fixture *fixture)
{
  fixture->context = rs_context_load (fixture->db, fixture->questions, fixture->roles);
  g_assert_null (rs_context_get_problem_title (fixture->context));
  fixture->window = rs_window_new (NULL, fixture->context);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1024, 768);
  gtk_window_present (GTK_WINDOW (fixture->window));
  g_assert_cmpint (rs_frame_wait_painted (GTK_WIDGET (fixture->window), TIMEOUT_MS), >, 0);
}

static void
close_window (Fixture *fixture)
{
  if (fixture->window != NULL)
    {
      gtk_window_destroy (GTK_WINDOW (fixture->window));
      fixture->window = NULL;
    }
  g_clear_object (&fixture->context);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
setup_bank (Fixture *fixture, const char *questions)
{
  g_autoptr (GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("reskill-gui-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->db = g_build_filename (fixture->dir, "reskill.db", NULL);
  fixture->questions = g_strdup (questions);
  fixture->roles = source_path ("data", "roles.yaml", NULL);
  seed_people (fixture->db);
  open_window (fixture);
}

static void
setup (Fixture *fixture, gconstpointer data)
{
  g_autofree char *questions = source_path ("questions", NULL);
  setup_bank (fixture, questions);
}

static void
setup_small_bank (Fixture *fixture, gconstpointer data)
{
  g_autofree char *questions = source_path ("tests", "fixtures", "gui-bank", NULL);
  setup_bank (fixture, questions);
}

static void
teardown (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GDir) dir = NULL;
  const char *name;

  close_window (fixture);
  dir = g_dir_open (fixture->dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->db);
  g_free (fixture->questions);
  g_free (fixture->roles);
}

/* --- what is on screen --- */

static GtkWidget *
find (Fixture *fixture, const char *name)
{
  GtkWidget *widget = rs_frame_find_widget (GTK_WIDGET (fixture->window), name);

  if (widget == NULL)
    g_test_message ("no widget named %s", name);
  g_assert_nonnull (widget);
  return widget;
}

static const char *
label_text (Fixture *fixture, const char *name)
{
  GtkWidget *widget = find (fixture, name);

  g_assert_true (GTK_IS_LABEL (widget));
  return gtk_label_get_text (GTK_LABEL (widget));
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

/* A part of the sign-in page's PIN form ("pin-number", "pin-secret",
 * "pin-pad", "pin-message"). */
static GtkWidget *
sign_in_part (Fixture *fixture, const char *part)
{
  GtkWidget *widget = rs_frame_find_widget (find (fixture, "sign-in-form"), part);

  if (widget == NULL)
    g_test_message ("no %s in the sign-in form", part);
  g_assert_nonnull (widget);
  return widget;
}

static gboolean
form_answered (gpointer data)
{
  return !rs_pin_form_get_busy (data) && rs_pin_form_get_message (data) != NULL;
}

/* Waits for the PIN check's answer; returns what the form says, which is
 * what its message label shows. */
static const char *
wait_form_message (RsPinForm *form)
{
  const char *message;

  g_assert_true (rs_frame_wait_until (form_answered, form, TIMEOUT_MS));
  message = rs_pin_form_get_message (form);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (rs_frame_find_widget (GTK_WIDGET (form), "pin-message"))), ==,
                   message);
  return message;
}

/* --- doing things --- */

static void
activate (GtkWidget *widget, const char *action)
{
  g_assert_true (gtk_widget_activate_action (widget, action, NULL));
}

/* Presses a button on screen as a finger would: it must be shown and
 * sensitive (GTK makes a button whose action does not exist insensitive),
 * then its clicked signal runs what the button runs. */
static void
press (GtkWidget *button)
{
  if (!gtk_widget_is_visible (button) || !gtk_widget_is_sensitive (button))
    g_test_message ("%s: visible %d, sensitive %d", gtk_widget_get_name (button), gtk_widget_is_visible (button),
                    gtk_widget_is_sensitive (button));
  g_assert_true (GTK_IS_BUTTON (button));
  g_assert_true (gtk_widget_is_visible (button));
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

static void
press_named (Fixture *fixture, const char *name)
{
  press (find (fixture, name));
}

/* The keypad's digit buttons ("pad-0" ... "pad-9"). */
static void
press_keys (Fixture *fixture, const char *digits)
{
  GtkWidget *pad = sign_in_part (fixture, "pin-pad");

  for (const char *p = digits; *p != '\0'; p++)
    {
      char name[] = { 'p', 'a', 'd', '-', *p, '\0' };
      press (rs_frame_find_widget (pad, name));
    }
}

static void
press_ok (Fixture *fixture)
{
  press (rs_frame_find_widget (sign_in_part (fixture, "pin-pad"), "pad-ok"));
}

/* Types the number and the PIN on the keypad, with OK in between as a
 * person at a kiosk would, and presses Sign In. */
static void
sign_in (Fixture *fixture, const char *number, const char *pin)
{
  press_named (fixture, "welcome-sign-in");
  assert_page (fixture, "sign-in");
  press_keys (fixture, number);
  press_ok (fixture);
  press_keys (fixture, pin);
  press_named (fixture, "sign-in-submit");
}

static void
choose (Fixture *fixture, const gboolean skills[RS_N_SKILLS], RsMode mode)
{
  RsChoosePage *page = RS_CHOOSE_PAGE (rs_window_get_page (fixture->window, "choose"));

  assert_page (fixture, "choose");
  rs_choose_page_select (page, skills, mode);
  press_named (fixture, "choose-start");
}

/* Answers the question on screen. right: the keyed answer, else a wrong
 * one. Options are picked by pressing their buttons; Submit is pressed. */
static void
answer (Fixture *fixture, gboolean right)
{
  RsQuizPage *quiz = RS_QUIZ_PAGE (rs_window_get_page (fixture->window, "quiz"));
  const RsItem *item = rs_quiz_page_get_item (quiz);
  RsAnswer best = { 0 };

  g_assert_nonnull (item);
  /* The question on screen is the one the core asks (its `code` marks
   * shown as monospace, not as backticks). */
  {
    g_autofree char *reflowed = rs_text_reflow (item->stem);
    g_autofree char *stem = rs_text_strip_code (reflowed);
    g_assert_cmpstr (label_text (fixture, "quiz-stem"), ==, stem);
  }
  g_assert_true (gtk_widget_get_visible (find (fixture, "quiz-code-frame")) == (item->code != NULL));
  if (item->code != NULL)
    {
      /* The code is really shown: at least one line tall, and the text is
       * the item's. */
      GtkWidget *view = find (fixture, "quiz-code");
      GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
      g_autofree char *shown = NULL;
      GtkTextIter start, end;

      rs_frame_wait_painted (GTK_WIDGET (fixture->window), TIMEOUT_MS);
      gtk_text_buffer_get_bounds (buffer, &start, &end);
      shown = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
      g_assert_true (g_str_has_prefix (item->code, shown));
      g_test_message ("code view %d px high", gtk_widget_get_height (view));
      g_assert_cmpint (gtk_widget_get_height (view), >=, 2 * 12);
    }

  rs_item_best_answer (item, &best);
  if (item->type == RS_ITEM_NUMERIC)
    {
      char text[G_ASCII_DTOSTR_BUF_SIZE];

      g_ascii_dtostr (text, sizeof text, right ? best.number : best.number + 1000);
      gtk_editable_set_text (GTK_EDITABLE (find (fixture, "quiz-number")), text);
    }
  else
    {
      guint32 chosen = right ? best.chosen : (~best.chosen & ((1u << item->n_options) - 1));

      if (chosen == 0)
        chosen = 1;
      if (item->type != RS_ITEM_MULTI)
        chosen &= -chosen;   /* one option only */
      for (int i = 0; i < item->n_options; i++)
        if (chosen & (1u << i))
          {
            g_autofree char *name = g_strdup_printf ("quiz-option-%d", i + 1);
            GtkWidget *option = find (fixture, name);

            press (option);
            g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (option)));
          }
    }
  press_named (fixture, "quiz-submit");
}

static guint
answer_until_results (Fixture *fixture, GRand *rand)
{
  guint n = 0;

  while (g_strcmp0 (rs_window_get_page_name (fixture->window), "quiz") == 0)
    {
      answer (fixture, g_rand_double (rand) < 0.6);
      n++;
      g_assert_cmpuint (n, <, 400);
      while (g_main_context_iteration (NULL, FALSE))
        ;
    }
  assert_page (fixture, "results");
  return n;
}

/* The role the page names must be the advisor's best fit for the results
 * the store kept. */
static void
assert_results_shown (Fixture *fixture, gint64 person_id, guint n_answered)
{
  RsResultsPage *results = RS_RESULTS_PAGE (rs_window_get_page (fixture->window, "results"));
  RsStore *store = rs_context_get_store (fixture->context);
  g_autoptr (GError) error = NULL;
  g_autoptr (RsAttempt) attempt = NULL;
  RsSkillEstimate estimates[RS_N_SKILLS];
  g_autoptr (RsAdvice) advice = NULL;

  rs_frame_wait_painted (GTK_WIDGET (fixture->window), TIMEOUT_MS);
  g_assert_cmpuint (rs_results_page_get_n_reviewed (results), ==, n_answered);

  g_assert_nonnull (rs_results_page_get_uuid (results));
  attempt = rs_store_load_attempt (store, rs_results_page_get_uuid (results), &error);
  g_assert_no_error (error);
  g_assert_cmpint (attempt->status, ==, RS_ATTEMPT_FINISHED);
  g_assert_cmpint (attempt->person_id, ==, person_id);
  g_assert_cmpuint (attempt->responses->len, ==, n_answered);
  g_assert_cmpuint (attempt->results->len, ==, (guint) attempt->n_skills);

  for (int s = 0; s < RS_N_SKILLS; s++)
    {
      estimates[s].measured = FALSE;
      estimates[s].theta = 0;
      estimates[s].se = 1;
    }
  for (guint r = 0; r < attempt->results->len; r++)
    {
      const RsSkillResult *result = &g_array_index (attempt->results, RsSkillResult, r);
      g_autofree char *name = g_strdup_printf ("results-level-%s", rs_skill_id (result->skill));
      g_autofree char *expected = NULL;
      g_autofree char *lead = NULL;
      RsSkillScore score;

      /* The row leads with the most likely level and its probability, as
       * stored with the result. */
      g_assert_true (result->has_level_probability);
      rs_skill_score_init_full (&score, result->theta, result->se, result->level_probability);
      expected = rs_skill_score_describe (&score);
      lead = rs_results_level_lead (&score);
      g_assert_cmpstr (label_text (fixture, name), ==, lead);
      g_assert_cmpstr (rs_results_page_get_level_text (results, result->skill), ==, expected);
      /* A provisional SE is said so, and only then. */
      {
        g_autofree char *row_name = g_strdup_printf ("results-skill-%s", rs_skill_id (result->skill));
        GtkWidget *row = find (fixture, row_name);
        g_assert_nonnull (row);
        g_assert_cmpint (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "Provisional") != NULL, ==,
                         result->se_provisional);
      }
      estimates[result->skill].measured = TRUE;
      estimates[result->skill].theta = result->theta;
      estimates[result->skill].se = result->se;
    }

  advice = rs_advise (rs_context_get_roles (fixture->context), estimates);
  g_assert_cmpuint (advice->fits->len, >, 0);
  g_assert_cmpstr (rs_results_page_get_role_name (results), ==,
                   g_array_index (advice->fits, RsRoleFit, 0).role->name);
  g_assert_true (g_str_has_prefix (label_text (fixture, "results-role-fit"), "Fit "));
}

/* --- the tests --- */

static void
test_guest_quiz (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (1);
  gboolean all[RS_N_SKILLS] = { TRUE, TRUE, TRUE, TRUE };
  guint n;

  assert_page (fixture, "welcome");
  press_named (fixture, "welcome-guest");
  g_assert_true (g_str_has_prefix (label_text (fixture, "choose-who"), "Guest"));
  choose (fixture, all, RS_MODE_QUICK);
  assert_page (fixture, "quiz");
  g_assert_true (g_str_has_prefix (label_text (fixture, "quiz-progress-label"), "Python (skill 1 of 4): question 1 of about"));

  n = answer_until_results (fixture, rand);
  g_assert_cmpuint (n, >=, 4);
  assert_results_shown (fixture, 0, n);
  /* A guest's results are anonymous: shown so, and no history button. */
  g_assert_nonnull (strstr (label_text (fixture, "results-subtitle"), "Guest"));
  g_assert_false (gtk_widget_get_visible (find (fixture, "results-history")));

  /* Done: back to the welcome page, nobody signed in. */
  press_named (fixture, "results-done");
  assert_page (fixture, "welcome");
  g_assert_null (rs_context_get_person (fixture->context));
}

static void
test_signed_in_quiz (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (2);
  gboolean some[RS_N_SKILLS] = { FALSE, TRUE, FALSE, TRUE };
  RsChoosePage *choose_page = RS_CHOOSE_PAGE (rs_window_get_page (fixture->window, "choose"));
  const RsPerson *person;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) finished = NULL;
  const RsAttempt *attempt;
  guint n;

  sign_in (fixture, EMPLOYEE_NO, EMPLOYEE_PIN);
  assert_page (fixture, "choose");
  person = rs_context_get_person (fixture->context);
  g_assert_nonnull (person);
  g_assert_cmpstr (person->name, ==, EMPLOYEE_NAME);
  g_assert_nonnull (strstr (label_text (fixture, "choose-who"), EMPLOYEE_NAME));

  /* Statistics and empathy, with a guess for statistics only. */
  rs_choose_page_select (choose_page, some, RS_MODE_QUICK);
  rs_choose_page_set_self_level (choose_page, RS_SKILL_STATISTICS, RS_LEVEL_ADVANCED);
  press_named (fixture, "choose-start");
  assert_page (fixture, "quiz");
  g_assert_true (g_str_has_prefix (label_text (fixture, "quiz-progress-label"), "Statistics (skill 1 of 2)"));

  n = answer_until_results (fixture, rand);
  assert_results_shown (fixture, person->id, n);
  g_assert_true (gtk_widget_get_visible (find (fixture, "results-history")));

  finished = rs_store_list_finished (rs_context_get_store (fixture->context), person->id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (finished->len, ==, 1);
  attempt = g_ptr_array_index (finished, 0);
  g_assert_cmpint (attempt->n_skills, ==, 2);
  g_assert_cmpint (attempt->skills[0], ==, RS_SKILL_STATISTICS);
  g_assert_cmpint (attempt->skills[1], ==, RS_SKILL_EMPATHY);
  g_assert_cmpint (attempt->self_level[RS_SKILL_STATISTICS], ==, RS_LEVEL_ADVANCED);
  g_assert_cmpint (attempt->self_level[RS_SKILL_EMPATHY], ==, RS_LEVEL_INVALID);

  /* History lists it, and opens its results again. */
  press_named (fixture, "results-history");
  assert_page (fixture, "history");
  g_assert_cmpstr (label_text (fixture, "history-subtitle"), ==, "1 finished assessment");
  g_assert_true (gtk_widget_activate_action (rs_window_get_page (fixture->window, "history"),
                                             "history.open", "s", attempt->uuid));
  assert_page (fixture, "results");
  activate (GTK_WIDGET (fixture->window), "win.back");
  assert_page (fixture, "history");

  /* Signing out leaves nothing of the person on screen. */
  activate (GTK_WIDGET (fixture->window), "win.done");
  assert_page (fixture, "welcome");
  g_assert_null (rs_context_get_person (fixture->context));
  press_named (fixture, "welcome-sign-in");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (sign_in_part (fixture, "pin-number"))), ==, "");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (sign_in_part (fixture, "pin-secret"))), ==, "");
}

/* Where a widget is in the window, in the window's coordinates. */
static graphene_rect_t
bounds_in_window (Fixture *fixture, GtkWidget *widget)
{
  graphene_rect_t bounds;

  rs_frame_wait_painted (GTK_WIDGET (fixture->window), TIMEOUT_MS);
  g_assert_true (gtk_widget_compute_bounds (widget, GTK_WIDGET (fixture->window), &bounds));
  return bounds;
}

static void
test_wrong_pin_and_lockout (Fixture *fixture, gconstpointer data)
{
  RsPinForm *form;
  const char *message;
  graphene_rect_t pad_before, pad_after, button_before, button_after;

  press_named (fixture, "welcome-sign-in");
  assert_page (fixture, "sign-in");
  form = rs_sign_in_page_get_form (RS_SIGN_IN_PAGE (rs_window_get_page (fixture->window, "sign-in")));
  g_assert_null (rs_pin_form_get_message (form));
  pad_before = bounds_in_window (fixture, sign_in_part (fixture, "pin-pad"));
  button_before = bounds_in_window (fixture, find (fixture, "sign-in-submit"));

  sign_in (fixture, EMPLOYEE_NO, "1111");
  message = wait_form_message (form);
  assert_page (fixture, "sign-in");
  /* Wrong, with the tries left; not yet locked. */
  g_assert_nonnull (strstr (message, "left"));
  g_assert_null (strstr (message, "try again in"));
  /* The message had its room already: nothing below it moved. */
  pad_after = bounds_in_window (fixture, sign_in_part (fixture, "pin-pad"));
  button_after = bounds_in_window (fixture, find (fixture, "sign-in-submit"));
  g_assert_cmpfloat (pad_after.origin.y, ==, pad_before.origin.y);
  g_assert_cmpfloat (button_after.origin.y, ==, button_before.origin.y);
  /* The wrong PIN is cleared, the number kept for the next try. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (sign_in_part (fixture, "pin-secret"))), ==, "");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (sign_in_part (fixture, "pin-number"))), ==, EMPLOYEE_NO);

  /* Enter in the number field sends the keypad's digits to the PIN. */
  rs_sign_in_page_focus (RS_SIGN_IN_PAGE (rs_window_get_page (fixture->window, "sign-in")));
  g_signal_emit_by_name (sign_in_part (fixture, "pin-number"), "entry-activated");
  press_keys (fixture, "12");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (sign_in_part (fixture, "pin-secret"))), ==, "12");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (sign_in_part (fixture, "pin-number"))), ==, EMPLOYEE_NO);
  /* Typing took the message away. */
  g_assert_null (rs_pin_form_get_message (form));
  gtk_editable_set_text (GTK_EDITABLE (sign_in_part (fixture, "pin-secret")), "");

  for (int i = 1; i < RS_STORE_MAX_FAILED_PINS; i++)
    {
      press_keys (fixture, "1111");
      /* OK on the keypad with the PIN field as the target submits too. */
      press_ok (fixture);
      wait_form_message (form);
    }
  /* Locked now: even the right PIN is refused, and the message says for how long. */
  press_keys (fixture, EMPLOYEE_PIN);
  press_named (fixture, "sign-in-submit");
  message = wait_form_message (form);
  assert_page (fixture, "sign-in");
  g_test_message ("%s", message);
  g_assert_nonnull (strstr (message, "locked"));
  g_assert_nonnull (strstr (message, "try again in"));
  g_assert_null (rs_context_get_person (fixture->context));
  g_assert_cmpfloat (bounds_in_window (fixture, sign_in_part (fixture, "pin-pad")).origin.y, ==, pad_before.origin.y);
}

static void
test_resume_after_window_destroyed (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (3);
  gboolean python[RS_N_SKILLS] = { TRUE, FALSE, FALSE, FALSE };
  g_autofree char *item_id = NULL;
  g_autofree char *stem = NULL;
  RsQuizPage *quiz;
  guint n;

  sign_in (fixture, EMPLOYEE_NO, EMPLOYEE_PIN);
  choose (fixture, python, RS_MODE_STANDARD);
  assert_page (fixture, "quiz");
  for (int i = 0; i < 3; i++)
    answer (fixture, i != 1);

  quiz = RS_QUIZ_PAGE (rs_window_get_page (fixture->window, "quiz"));
  item_id = g_strdup (rs_quiz_page_get_item (quiz)->id);
  stem = g_strdup (label_text (fixture, "quiz-stem"));

  /* The window goes away mid-question (a closed window, a crash): nothing
   * is saved at this point, everything already was. */
  close_window (fixture);
  open_window (fixture);

  sign_in (fixture, EMPLOYEE_NO, EMPLOYEE_PIN);
  assert_page (fixture, "choose");
  g_assert_true (gtk_widget_is_visible (find (fixture, "choose-resume-row")));
  press_named (fixture, "choose-resume");
  assert_page (fixture, "quiz");

  /* Exactly the question that was on screen. */
  quiz = RS_QUIZ_PAGE (rs_window_get_page (fixture->window, "quiz"));
  g_assert_cmpstr (rs_quiz_page_get_item (quiz)->id, ==, item_id);
  g_assert_cmpstr (label_text (fixture, "quiz-stem"), ==, stem);
  g_assert_true (g_str_has_prefix (label_text (fixture, "quiz-progress-label"), "Python: question 4 of about"));

  n = answer_until_results (fixture, rand);
  assert_results_shown (fixture, rs_context_get_person_id (fixture->context), n + 3);
}

static void
test_guest_pause_and_continue (Fixture *fixture, gconstpointer data)
{
  gboolean python[RS_N_SKILLS] = { TRUE, FALSE, FALSE, FALSE };
  g_autofree char *item_id = NULL;
  RsQuizPage *quiz;

  press_named (fixture, "welcome-guest");
  choose (fixture, python, RS_MODE_QUICK);
  assert_page (fixture, "quiz");
  quiz = RS_QUIZ_PAGE (rs_window_get_page (fixture->window, "quiz"));
  /* The keyboard path: key 1 (its action, quiz.pick) picks the first
   * option, as pressing it would. */
  if (rs_quiz_page_get_item (quiz)->type != RS_ITEM_NUMERIC)
    {
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (quiz), "quiz.pick", "i", 1));
      g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (find (fixture, "quiz-option-1"))));
      press (find (fixture, "quiz-option-1"));
    }
  answer (fixture, TRUE);
  item_id = g_strdup (rs_quiz_page_get_item (quiz)->id);

  press_named (fixture, "quiz-pause");
  assert_page (fixture, "choose");
  g_assert_true (gtk_widget_is_visible (find (fixture, "choose-resume-row")));
  press_named (fixture, "choose-resume");
  assert_page (fixture, "quiz");
  g_assert_cmpstr (rs_quiz_page_get_item (quiz)->id, ==, item_id);

  /* The next guest does not see it. */
  press_named (fixture, "quiz-pause");
  activate (GTK_WIDGET (fixture->window), "win.done");
  press_named (fixture, "welcome-guest");
  assert_page (fixture, "choose");
  g_assert_false (gtk_widget_is_visible (find (fixture, "choose-resume-row")));
}

static void
test_empty_bank_message (Fixture *fixture, gconstpointer data)
{
  gboolean all[RS_N_SKILLS] = { TRUE, TRUE, TRUE, TRUE };
  gboolean python[RS_N_SKILLS] = { TRUE, FALSE, FALSE, FALSE };
  GtkWidget *error_label;
  g_autoptr (GRand) rand = g_rand_new_with_seed (4);

  press_named (fixture, "welcome-guest");
  choose (fixture, all, RS_MODE_QUICK);

  /* A message in the window, and still on the choose page. */
  assert_page (fixture, "choose");
  error_label = find (fixture, "choose-error");
  g_assert_true (gtk_widget_get_visible (error_label));
  g_test_message ("%s", gtk_label_get_text (GTK_LABEL (error_label)));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (error_label)), "Choose other skills"));

  /* Python alone works, and shows every item type of the small bank. */
  choose (fixture, python, RS_MODE_PRECISE);
  assert_page (fixture, "quiz");
  answer_until_results (fixture, rand);
}

/* The organization's settings decide which modes and skills are offered:
 * the others are not shown, and a full assessment covers only what is; the
 * exposure cap set is the one new assessments run with. */
static void
test_offered_modes_and_skills (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GSettings) settings = rs_settings_new ();
  const char *modes[] = { "quick", NULL };
  const char *skills[] = { "python", "empathy", NULL };
  gboolean all[RS_N_SKILLS] = { TRUE, TRUE, TRUE, TRUE };
  const RsAttempt *attempt;

  g_assert_nonnull (settings);
  g_assert_true (g_settings_set_strv (settings, "offered-modes", modes));
  g_assert_true (g_settings_set_strv (settings, "offered-skills", skills));

  press_named (fixture, "welcome-guest");
  assert_page (fixture, "choose");
  g_assert_true (gtk_widget_is_visible (find (fixture, "choose-mode-quick")));
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (find (fixture, "choose-mode-quick"))));
  g_assert_false (gtk_widget_is_visible (find (fixture, "choose-mode-standard")));
  g_assert_false (gtk_widget_is_visible (find (fixture, "choose-mode-precise")));
  g_assert_true (gtk_widget_is_visible (find (fixture, "choose-skill-python")));
  g_assert_false (gtk_widget_is_visible (find (fixture, "choose-skill-statistics")));
  g_assert_false (gtk_widget_is_visible (find (fixture, "choose-skill-ml")));

  choose (fixture, all, RS_MODE_QUICK);
  assert_page (fixture, "quiz");
  attempt = rs_assessment_attempt (rs_context_get_assessment (rs_window_get_context (fixture->window)));
  g_assert_cmpint (attempt->n_skills, ==, 2);
  g_assert_cmpint (attempt->skills[0], ==, RS_SKILL_PYTHON);
  g_assert_cmpint (attempt->skills[1], ==, RS_SKILL_EMPATHY);

  g_settings_reset (settings, "offered-modes");
  g_settings_reset (settings, "offered-skills");

  /* The exposure cap an administrator set is the one the test runs with. */
  g_assert_cmpfloat (rs_cat_config (rs_assessment_cat (rs_context_get_assessment (rs_window_get_context (fixture->window))))
                       ->exposure_cap, ==, 0.25);
  g_assert_true (g_settings_set_double (settings, "exposure-cap", 0.6));
  activate (GTK_WIDGET (fixture->window), "win.done");
  press_named (fixture, "welcome-guest");
  choose (fixture, all, RS_MODE_QUICK);
  assert_page (fixture, "quiz");
  g_assert_cmpfloat (rs_cat_config (rs_assessment_cat (rs_context_get_assessment (rs_window_get_context (fixture->window))))
                       ->exposure_cap, ==, 0.6);
  g_settings_reset (settings, "exposure-cap");

  /* The organization's name greets people on the welcome page. */
  g_assert_true (g_settings_set_string (settings, "organization-name", "Acme Corp"));
  rs_welcome_page_focus (RS_WELCOME_PAGE (rs_window_get_page (fixture->window, "welcome")));
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (find (fixture, "welcome-status"))), ==,
                   "Reskill at Acme Corp");
  g_settings_reset (settings, "organization-name");
}

static void
test_unwritable_database (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("reskill-gui-XXXXXX", &error);
  g_autofree char *blocker = g_build_filename (dir, "not-a-folder", NULL);
  g_autofree char *db = g_build_filename (blocker, "reskill.db", NULL);
  g_autofree char *questions = source_path ("questions", NULL);
  g_autofree char *roles = source_path ("data", "roles.yaml", NULL);
  g_autoptr (RsContext) context = NULL;
  RsWindow *window;
  GtkWidget *status;

  /* A file where the database's folder should be: root cannot write there
   * either, unlike a folder without write permission. */
  g_assert_true (g_file_set_contents (blocker, "", 0, &error));
  context = rs_context_load (db, questions, roles);
  g_assert_nonnull (rs_context_get_problem_title (context));

  window = rs_window_new (NULL, context);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_cmpstr (rs_window_get_page_name (window), ==, "error");
  status = rs_frame_find_widget (GTK_WIDGET (window), "error-status");
  g_assert_nonnull (status);
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (status)), ==, "The database cannot be created");
  g_assert_nonnull (strstr (adw_status_page_get_description (ADW_STATUS_PAGE (status)), "--db"));
  /* Nothing else is reachable from there: Back and Escape do nothing. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.back", NULL);
  g_assert_cmpstr (rs_window_get_page_name (window), ==, "error");
  gtk_window_destroy (GTK_WINDOW (window));

  g_unlink (blocker);
  g_rmdir (dir);
}

static void
test_first_run_creates_admin (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("reskill-gui-XXXXXX", &error);
  g_autofree char *db = g_build_filename (dir, "reskill.db", NULL);
  g_autofree char *questions = source_path ("questions", NULL);
  g_autofree char *roles = source_path ("data", "roles.yaml", NULL);
  g_autoptr (RsContext) context = rs_context_load (db, questions, roles);
  RsWindow *window = rs_window_new (NULL, context);
  GtkWidget *page;

  gtk_window_present (GTK_WINDOW (window));
  g_assert_cmpstr (rs_window_get_page_name (window), ==, "first-run");
  page = rs_window_get_page (window, "first-run");
  gtk_editable_set_text (GTK_EDITABLE (rs_frame_find_widget (page, "first-run-name")), "Grace Admin");
  gtk_editable_set_text (GTK_EDITABLE (rs_frame_find_widget (page, "first-run-number")), "1");
  gtk_editable_set_text (GTK_EDITABLE (rs_frame_find_widget (page, "first-run-pin")), "123456");
  gtk_editable_set_text (GTK_EDITABLE (rs_frame_find_widget (page, "first-run-pin-again")), "123465");
  press (rs_frame_find_widget (page, "first-run-create"));
  /* PINs differ: said so, nothing created. */
  g_assert_true (gtk_widget_get_visible (rs_frame_find_widget (page, "first-run-error")));
  g_assert_false (rs_store_has_admin (rs_context_get_store (context)));

  gtk_editable_set_text (GTK_EDITABLE (rs_frame_find_widget (page, "first-run-pin-again")), "123456");
  press (rs_frame_find_widget (page, "first-run-create"));
  g_assert_true (rs_store_has_admin (rs_context_get_store (context)));
  g_assert_cmpstr (rs_window_get_page_name (window), ==, "welcome");

  gtk_window_destroy (GTK_WINDOW (window));
  g_clear_pointer (&context, g_object_unref);
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

int
main (int argc, char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  gtk_source_init ();
  /* Settled pages: no crossfades between the checks. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  g_test_add ("/gui/flow/guest", Fixture, NULL, setup, test_guest_quiz, teardown);
  g_test_add ("/gui/flow/signed-in", Fixture, NULL, setup, test_signed_in_quiz, teardown);
  g_test_add ("/gui/flow/wrong-pin-lockout", Fixture, NULL, setup, test_wrong_pin_and_lockout, teardown);
  g_test_add ("/gui/flow/resume", Fixture, NULL, setup, test_resume_after_window_destroyed, teardown);
  g_test_add ("/gui/flow/guest-pause", Fixture, NULL, setup, test_guest_pause_and_continue, teardown);
  g_test_add ("/gui/flow/empty-bank", Fixture, NULL, setup_small_bank, test_empty_bank_message, teardown);
  g_test_add ("/gui/flow/offered-settings", Fixture, NULL, setup, test_offered_modes_and_skills, teardown);
  g_test_add_func ("/gui/flow/unwritable-database", test_unwritable_database);
  g_test_add_func ("/gui/flow/first-run", test_first_run_creates_admin);
  return g_test_run ();
}
