/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The employee's side of the window, round two (issue 11): what a newcomer
 * stumbled on, each checked on the real window. Results lead with the
 * decision; strengths and gaps only from enough answers; what to learn
 * next; subtopic titles and no literal backticks; the number keys' hint
 * only where keys choose; Done and Back say that they sign out; the
 * sign-in error names no password and moves nothing; history says "about
 * the same" instead of "−0". The fixture and drivers are test-gui-flow's.
 *
 * Runs under Xvfb with GDK_BACKEND=x11 GTK_A11Y=none; every test uses its
 * own temporary database. */
#include <glib/gstdio.h>
#include <string.h>

#include <adwaita.h>
#include <gtksourceview/gtksource.h>

#include "rs-change-pin-page.h"
#include "rs-choose-page.h"
#include "rs-context.h"
#include "rs-error.h"
#include "rs-dialogs.h"
#include "rs-frame.h"
#include "rs-privacy.h"
#include "rs-history-page.h"
#include "rs-learning-plan.h"
#include "rs-paths.h"
#include "rs-quiz-page.h"
#include "rs-results-page.h"
#include "rs-sign-in-page.h"
#include "rs-text.h"
#include "rs-topics.h"
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

static void
press_keys (Fixture *fixture, const char *digits)
{
  GtkWidget *pad = sign_in_part (fixture, "pin-pad");

  for (const char *p = digits; *p != '\0'; p++)
    g_assert_true (gtk_widget_activate_action (pad, "pin-pad.digit", "u", (guint) (*p - '0')));
}

/* Types the number and the PIN on the keypad, with OK in between as a
 * person at a kiosk would, and submits. */
static void
sign_in (Fixture *fixture, const char *number, const char *pin)
{
  GtkWidget *pad;

  activate (GTK_WIDGET (fixture->window), "win.sign-in");
  assert_page (fixture, "sign-in");
  press_keys (fixture, number);
  pad = sign_in_part (fixture, "pin-pad");
  activate (pad, "pin-pad.submit");
  press_keys (fixture, pin);
  activate (pad, "pin-pad.submit");
}

static void
choose (Fixture *fixture, const gboolean skills[RS_N_SKILLS], RsMode mode)
{
  RsChoosePage *page = RS_CHOOSE_PAGE (rs_window_get_page (fixture->window, "choose"));

  assert_page (fixture, "choose");
  rs_choose_page_select (page, skills, mode);
  activate (GTK_WIDGET (page), "choose.start");
}

/* Answers the question on screen. right: the keyed answer, else a wrong
 * one. Options are picked with the 1–9 action the number keys trigger. */
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
          g_assert_true (gtk_widget_activate_action (GTK_WIDGET (quiz), "quiz.pick", "i", i + 1));
    }
  activate (GTK_WIDGET (quiz), "quiz.submit");
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

/* Every text the results page shows: labels, and rows' titles and
 * subtitles, gathered into one string per widget. */
static void
collect_texts (GtkWidget *widget, GPtrArray *texts)
{
  if (GTK_IS_LABEL (widget))
    g_ptr_array_add (texts, g_strdup (gtk_label_get_text (GTK_LABEL (widget))));
  if (ADW_IS_PREFERENCES_ROW (widget))
    g_ptr_array_add (texts, g_strdup (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget))));
  if (ADW_IS_ACTION_ROW (widget) && adw_action_row_get_subtitle (ADW_ACTION_ROW (widget)) != NULL)
    g_ptr_array_add (texts, g_strdup (adw_action_row_get_subtitle (ADW_ACTION_ROW (widget))));
  if (ADW_IS_EXPANDER_ROW (widget) && adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (widget)) != NULL)
    g_ptr_array_add (texts, g_strdup (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (widget))));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    collect_texts (child, texts);
}

static gboolean
any_text_contains (GPtrArray *texts, const char *needle)
{
  for (guint i = 0; i < texts->len; i++)
    if (strstr (g_ptr_array_index (texts, i), needle) != NULL)
      {
        g_test_message ("\"%s\" found in: %s", needle, (const char *) g_ptr_array_index (texts, i));
        return TRUE;
      }
  return FALSE;
}

static gint64
employee_id (Fixture *fixture)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RsPerson) person = rs_store_find_person (rs_context_get_store (fixture->context), EMPLOYEE_NO, &error);

  g_assert_no_error (error);
  return person->id;
}

static void
test_results_lead_with_decision (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (7);
  gboolean all[RS_N_SKILLS] = { TRUE, TRUE, TRUE, TRUE };
  RsResultsPage *results;
  const RsBank *bank = rs_context_get_bank (fixture->context);
  g_autoptr (GError) error = NULL;
  g_autoptr (RsAttempt) attempt = NULL;
  g_autoptr (GArray) topics = NULL;
  g_autoptr (GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  guint n_too_few = 0, n_judged = 0;

  g_test_message ("seed 7");
  sign_in (fixture, EMPLOYEE_NO, EMPLOYEE_PIN);
  /* Back from the choose page signs out: the arrow says so. */
  assert_page (fixture, "choose");
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (find (fixture, "window-back")), "Sign Out"));
  choose (fixture, all, RS_MODE_QUICK);
  assert_page (fixture, "quiz");
  answer_until_results (fixture, rand);
  results = RS_RESULTS_PAGE (rs_window_get_page (fixture->window, "results"));
  rs_frame_wait_painted (GTK_WIDGET (fixture->window), TIMEOUT_MS);
  rs_results_page_scroll_to (results, "review");   /* adds the whole review */

  attempt = rs_store_load_attempt (rs_context_get_store (fixture->context), rs_results_page_get_uuid (results), &error);
  g_assert_no_error (error);
  g_assert_cmpint (attempt->person_id, ==, employee_id (fixture));

  /* The decision leads each skill: "Proficient, 83% likely". */
  for (guint r = 0; r < attempt->results->len; r++)
    {
      const RsSkillResult *result = &g_array_index (attempt->results, RsSkillResult, r);
      g_autofree char *name = g_strdup_printf ("results-level-%s", rs_skill_id (result->skill));
      RsSkillScore score;
      g_autofree char *lead = NULL;

      rs_skill_score_init_full (&score, result->theta, result->se, result->level_probability);
      g_assert_true (g_str_has_prefix (label_text (fixture, name), rs_level_name (score.level)));
      g_assert_true (g_str_has_suffix (label_text (fixture, name), "% likely"));
      lead = rs_results_level_lead (&score);
      g_assert_cmpstr (label_text (fixture, name), ==, lead);
    }

  /* Strengths and gaps: no verdict from fewer than 3 answers; those are
   * counted on one row instead. */
  topics = rs_topic_summary (attempt, bank);
  for (guint t = 0; t < topics->len; t++)
    {
      const RsTopicSummary *topic = &g_array_index (topics, RsTopicSummary, t);
      if (topic->n_items < RS_TOPIC_MIN_ANSWERS)
        {
          g_assert_cmpint (topic->verdict, ==, RS_TOPIC_TOO_FEW);
          n_too_few++;
        }
      else
        n_judged++;
    }
  g_test_message ("%u topics judged, %u with too few answers", n_judged, n_too_few);
  g_assert_cmpuint (n_too_few, >, 0);
  {
    GtkWidget *row = find (fixture, "results-topics-too-few");
    g_autofree char *count = g_strdup_printf (n_judged > 0 ? "%u more topic" : "%u topic", n_too_few);
    g_assert_true (g_str_has_prefix (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), count));
  }

  /* What to learn next: the core's plan for this result, shown. */
  {
    g_autofree char *path = rs_default_learning_path ();
    g_autoptr (RsLearningCatalog) catalog = rs_learning_catalog_load (path, &error);
    RsSkillEstimate estimates[RS_N_SKILLS] = { { 0 } };
    g_autoptr (RsAdvice) advice = NULL;
    g_autoptr (GArray) plan = NULL;

    g_assert_no_error (error);
    for (int s = 0; s < RS_N_SKILLS; s++)
      estimates[s].se = 1;
    for (guint r = 0; r < attempt->results->len; r++)
      {
        const RsSkillResult *result = &g_array_index (attempt->results, RsSkillResult, r);
        estimates[result->skill] = (RsSkillEstimate) { TRUE, result->theta, result->se };
      }
    advice = rs_advise (rs_context_get_roles (fixture->context), estimates);
    plan = rs_learning_plan (catalog, topics, advice, 5);
    g_assert_cmpuint (plan->len, >, 0);
    g_assert_cmpuint (rs_results_page_get_n_learning (results), ==, plan->len);
    g_assert_true (gtk_widget_get_visible (find (fixture, "results-learning")));

    /* The role is named once: "Next step" never repeats the best role. */
    if (advice->next_role != NULL && advice->next_steps->len > 0)
      {
        GtkWidget *next = find (fixture, "results-next-step");
        const char *title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (next));
        if (advice->next_role == g_array_index (advice->fits, RsRoleFit, 0).role)
          g_assert_null (strstr (title, advice->next_role->name));
      }
    /* Not met is said plainly. */
    if (!g_array_index (advice->fits, RsRoleFit, 0).met)
      g_assert_nonnull (strstr (label_text (fixture, "results-role-fit"), "not yet met"));
    /* Two roles with the same fit are said to be equally close. */
    if (advice->fits->len > 1)
      {
        g_autofree char *a = g_strdup_printf ("%.0f", g_array_index (advice->fits, RsRoleFit, 0).fit * 100);
        g_autofree char *b = g_strdup_printf ("%.0f", g_array_index (advice->fits, RsRoleFit, 1).fit * 100);
        const char *title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (find (fixture, "results-runner-up")));
        g_assert_cmpint (g_str_has_prefix (title, "Equally close"), ==, g_strcmp0 (a, b) == 0);
      }
  }

  /* No literal backticks and no raw subtopic ids anywhere on the page;
   * the date line starts with the day, not a hidden figure space. */
  collect_texts (rs_window_get_page (fixture->window, "results"), texts);
  g_assert_false (any_text_contains (texts, "`"));
  for (guint i = 0; i < attempt->responses->len; i++)
    {
      const RsItem *item = rs_bank_lookup (bank, g_array_index (attempt->responses, RsResponse, i).item_id);
      g_autofree char *raw = NULL;

      if (item == NULL || !rs_bank_subtopic_has_title (bank, item->skill, item->subtopic)
          || strchr (item->subtopic, '-') == NULL)
        continue;
      raw = g_strdup_printf ("· %s", item->subtopic);
      g_assert_false (any_text_contains (texts, raw));
    }
  {
    const char *date = label_text (fixture, "results-subtitle");
    gunichar first = g_utf8_get_char (date);
    g_assert_true (g_unichar_isdigit (first));
  }

  /* Done signs out, and says so. */
  g_assert_nonnull (strstr (gtk_button_get_label (GTK_BUTTON (find (fixture, "results-done"))), "Sign Out"));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (find (fixture, "window-back")), ==, "Back");
}

static void
test_quiz_hints (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (3);
  gboolean all[RS_N_SKILLS] = { TRUE, TRUE, TRUE, TRUE };
  const RsBank *bank = rs_context_get_bank (fixture->context);
  gboolean seen_numeric = FALSE, seen_options = FALSE;

  g_test_message ("seed 3");
  activate (GTK_WIDGET (fixture->window), "win.guest");
  choose (fixture, all, RS_MODE_QUICK);
  assert_page (fixture, "quiz");
  while (g_strcmp0 (rs_window_get_page_name (fixture->window), "quiz") == 0)
    {
      const RsItem *item = rs_quiz_page_get_item (RS_QUIZ_PAGE (rs_window_get_page (fixture->window, "quiz")));
      const char *keys = label_text (fixture, "quiz-keys");
      const char *topic = label_text (fixture, "quiz-topic");
      g_autofree char *title = rs_bank_subtopic_title (bank, item->skill, item->subtopic);

      /* The number keys are offered only where they choose. */
      if (item->type == RS_ITEM_NUMERIC)
        {
          seen_numeric = TRUE;
          g_assert_null (strstr (keys, "1–9"));
        }
      else
        {
          seen_options = TRUE;
          g_assert_nonnull (strstr (keys, "1–9"));
        }
      /* The subtopic by its title. */
      g_assert_true (g_str_has_suffix (topic, title));
      g_assert_null (strchr (label_text (fixture, "quiz-stem"), '`'));
      answer (fixture, g_rand_double (rand) < 0.6);
      while (g_main_context_iteration (NULL, FALSE))
        ;
    }
  g_assert_true (seen_options);
  g_test_message ("numeric question seen: %d", seen_numeric);
  /* Results for a guest: Done says that it leaves. */
  assert_page (fixture, "results");
  g_assert_nonnull (strstr (gtk_button_get_label (GTK_BUTTON (find (fixture, "results-done"))), "Leave"));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (find (fixture, "window-back")), "Leave"));
}

/* The "of about M" holds while the estimate wobbles by one or two, and
 * moves when it is really off or the count passes it. */
static void
test_stable_total (void)
{
  int shown = 0;

  g_assert_cmpint (rs_quiz_stable_total (&shown, TRUE, 1, 9), ==, 9);
  g_assert_cmpint (rs_quiz_stable_total (&shown, FALSE, 2, 10), ==, 9);
  g_assert_cmpint (rs_quiz_stable_total (&shown, FALSE, 3, 9), ==, 9);
  g_assert_cmpint (rs_quiz_stable_total (&shown, FALSE, 4, 11), ==, 9);
  /* Far off: said again. */
  g_assert_cmpint (rs_quiz_stable_total (&shown, FALSE, 5, 16), ==, 16);
  /* Past it: never "question 17 of about 16". */
  g_assert_cmpint (rs_quiz_stable_total (&shown, FALSE, 17, 16), ==, 17);
  /* A new skill starts afresh. */
  g_assert_cmpint (rs_quiz_stable_total (&shown, TRUE, 1, 6), ==, 6);
}

static void
test_text_markup (void)
{
  g_autofree char *markup = rs_text_markup_code ("Is `a < b` or `x` & y? A lone ` stays.");
  g_autofree char *plain = rs_text_strip_code ("Call `await f()` now");
  g_autofree char *none = rs_text_markup_code ("no code <here>");

  g_assert_cmpstr (markup, ==, "Is <tt>a &lt; b</tt> or <tt>x</tt> &amp; y? A lone ` stays.");
  g_assert_cmpstr (plain, ==, "Call await f() now");
  g_assert_cmpstr (none, ==, "no code &lt;here&gt;");
  g_assert_true (pango_parse_markup (markup, -1, 0, NULL, NULL, NULL, NULL));
}

/* "−0 since last time" was a change the bands could not tell from nothing. */
static void
test_history_change (void)
{
  RsScoreChange change;
  g_autofree char *same = NULL;
  g_autofree char *gain = NULL;

  rs_score_change (0.10, 0.40, 0.08, 0.40, &change);
  g_assert_true (change.within_noise);
  same = rs_history_describe_change (&change);
  g_assert_cmpstr (same, ==, "(about the same as last time)");
  g_assert_null (strstr (same, "0"));

  rs_score_change (-1.5, 0.2, 1.5, 0.2, &change);
  g_assert_false (change.within_noise);
  gain = rs_history_describe_change (&change);
  g_assert_true (g_str_has_prefix (gain, "(+"));
  g_assert_nonnull (strstr (gain, "real gain"));
}

/* A wrong PIN: the message names the employee number and the PIN (these
 * people have no password), and nothing on the page moves. */
static void
test_sign_in_error (Fixture *fixture, gconstpointer data)
{
  RsPinForm *form = RS_PIN_FORM (find (fixture, "sign-in-form"));
  GtkWidget *button = find (fixture, "sign-in-submit");
  graphene_point_t origin = GRAPHENE_POINT_INIT (0, 0), before, after;
  int height_before;
  const char *message;

  activate (GTK_WIDGET (fixture->window), "win.sign-in");
  assert_page (fixture, "sign-in");
  rs_frame_wait_painted (GTK_WIDGET (fixture->window), TIMEOUT_MS);
  height_before = gtk_widget_get_height (GTK_WIDGET (form));
  g_assert_true (gtk_widget_compute_point (button, GTK_WIDGET (fixture->window), &origin, &before));

  press_keys (fixture, EMPLOYEE_NO);
  activate (sign_in_part (fixture, "pin-pad"), "pin-pad.submit");
  press_keys (fixture, "1111");
  activate (sign_in_part (fixture, "pin-pad"), "pin-pad.submit");
  message = wait_form_message (form);
  g_assert_nonnull (strstr (message, "employee number or PIN"));
  g_assert_null (strstr (message, "password"));

  rs_frame_wait_next_paint (GTK_WIDGET (fixture->window), TIMEOUT_MS, TRUE);
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (form)), ==, height_before);
  g_assert_true (gtk_widget_compute_point (button, GTK_WIDGET (fixture->window), &origin, &after));
  g_assert_cmpfloat (after.y, ==, before.y);
}

static void
fill_pin_change (Fixture *fixture, const char *current, const char *new_pin, const char *repeat)
{
  if (current != NULL)
    gtk_editable_set_text (GTK_EDITABLE (find (fixture, "change-pin-current")), current);
  gtk_editable_set_text (GTK_EDITABLE (find (fixture, "change-pin-new")), new_pin);
  gtk_editable_set_text (GTK_EDITABLE (find (fixture, "change-pin-repeat")), repeat);
  activate (rs_window_get_page (fixture->window, "change-pin"), "change-pin.submit");
}

/* A one-time PIN and a privacy notice not yet confirmed: the new PIN
 * first, then the notice, then the choose page. */
static void
test_one_time_pin_then_notice (Fixture *fixture, gconstpointer data)
{
  RsStore *store = rs_context_get_store (fixture->context);
  g_autoptr (GError) error = NULL;
  g_autoptr (RsPerson) admin = rs_store_find_person (store, "900", &error);
  RsPrivacyPolicy policy;

  g_assert_true (rs_store_set_pin_one_time (store, employee_id (fixture), TRUE, &error));
  g_assert_no_error (error);
  /* A new policy: the notice the employee confirmed is out of date. */
  g_assert_true (rs_privacy_get_policy (store, &policy, &error));
  policy.visibility = RS_VISIBILITY_FULL;
  g_assert_true (rs_privacy_set_policy (store, admin, &policy, &error));
  g_assert_no_error (error);

  sign_in (fixture, EMPLOYEE_NO, EMPLOYEE_PIN);
  assert_page (fixture, "change-pin");
  fill_pin_change (fixture, NULL, "97531", "97531");
  assert_page (fixture, "notice");
  g_assert_false (gtk_widget_get_visible (find (fixture, "window-back")));
  activate (GTK_WIDGET (fixture->window), "win.change-pin");
  assert_page (fixture, "notice");
  activate (rs_window_get_page (fixture->window, "notice"), "notice.confirm");
  assert_page (fixture, "choose");
  g_assert_false (rs_privacy_notice_needed (store, rs_context_get_person (fixture->context)));
}

/* A one-time PIN (one an administrator made) leads to the change-PIN page
 * before anything else, and only a new PIN, typed twice alike, leads on. */
static void
test_one_time_pin (Fixture *fixture, gconstpointer data)
{
  RsStore *store = rs_context_get_store (fixture->context);
  RsChangePinPage *page = RS_CHANGE_PIN_PAGE (rs_window_get_page (fixture->window, "change-pin"));
  g_autoptr (GError) error = NULL;
  gboolean one_time = FALSE;

  g_assert_true (rs_store_set_pin_one_time (store, employee_id (fixture), TRUE, &error));
  g_assert_no_error (error);
  sign_in (fixture, EMPLOYEE_NO, EMPLOYEE_PIN);
  assert_page (fixture, "change-pin");
  g_assert_true (rs_change_pin_page_get_forced (page));
  /* No way around it but signing out. */
  g_assert_false (gtk_widget_get_visible (find (fixture, "window-back")));
  g_assert_true (gtk_widget_get_visible (find (fixture, "window-sign-out")));
  g_assert_false (gtk_widget_is_visible (find (fixture, "change-pin-current")));
  activate (GTK_WIDGET (fixture->window), "win.back");
  assert_page (fixture, "change-pin");

  fill_pin_change (fixture, NULL, "97531", "97532");
  g_assert_nonnull (strstr (rs_change_pin_page_get_message (page), "not the same"));
  assert_page (fixture, "change-pin");
  fill_pin_change (fixture, NULL, EMPLOYEE_PIN, EMPLOYEE_PIN);
  g_assert_nonnull (strstr (rs_change_pin_page_get_message (page), "not the one you have now"));
  assert_page (fixture, "change-pin");

  fill_pin_change (fixture, NULL, "97531", "97531");
  assert_page (fixture, "choose");
  g_assert_true (rs_store_pin_is_one_time (store, employee_id (fixture), &one_time, &error));
  g_assert_false (one_time);

  /* The new PIN signs in, straight to the choose page. */
  activate (GTK_WIDGET (fixture->window), "win.done");
  assert_page (fixture, "welcome");
  sign_in (fixture, EMPLOYEE_NO, "97531");
  assert_page (fixture, "choose");

  /* Changing it by choice asks for the current one, and Back leaves. */
  g_assert_true (gtk_widget_get_visible (find (fixture, "choose-change-pin")));
  activate (GTK_WIDGET (fixture->window), "win.change-pin");
  assert_page (fixture, "change-pin");
  g_assert_false (rs_change_pin_page_get_forced (page));
  g_assert_true (gtk_widget_is_visible (find (fixture, "change-pin-current")));
  fill_pin_change (fixture, "11111", "86420", "86420");
  g_assert_nonnull (strstr (rs_change_pin_page_get_message (page), "not right"));
  activate (GTK_WIDGET (fixture->window), "win.back");
  assert_page (fixture, "choose");
}

/* Practice: offered to a signed-in person only, marked on the results and
 * in the history, kept private until the person shares it. */
static void
test_practice (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (11);
  gboolean python[RS_N_SKILLS] = { TRUE, FALSE, FALSE, FALSE };
  RsResultsPage *results;
  RsStore *store = rs_context_get_store (fixture->context);
  g_autoptr (GError) error = NULL;
  g_autoptr (RsAttempt) attempt = NULL;
  g_autofree char *uuid = NULL;

  g_test_message ("seed 11");
  /* A guest is anonymous already: no practice switch. */
  activate (GTK_WIDGET (fixture->window), "win.guest");
  assert_page (fixture, "choose");
  g_assert_false (gtk_widget_is_visible (find (fixture, "choose-practice")));
  activate (GTK_WIDGET (fixture->window), "win.done");
  assert_page (fixture, "welcome");

  sign_in (fixture, EMPLOYEE_NO, EMPLOYEE_PIN);
  assert_page (fixture, "choose");
  g_assert_true (gtk_widget_is_visible (find (fixture, "choose-practice")));
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (find (fixture, "choose-practice"))));
  gtk_switch_set_active (GTK_SWITCH (find (fixture, "choose-practice")), TRUE);
  choose (fixture, python, RS_MODE_QUICK);
  assert_page (fixture, "quiz");
  answer_until_results (fixture, rand);

  results = RS_RESULTS_PAGE (rs_window_get_page (fixture->window, "results"));
  uuid = g_strdup (rs_results_page_get_uuid (results));
  attempt = rs_store_load_attempt (store, uuid, &error);
  g_assert_no_error (error);
  g_assert_true (attempt->practice);
  g_assert_cmpint (attempt->shared_at, ==, 0);
  g_assert_nonnull (strstr (label_text (fixture, "results-subtitle"), "Practice: only you see it"));
  g_assert_true (gtk_widget_get_visible (find (fixture, "results-share")));

  /* The history marks it too. */
  activate (GTK_WIDGET (fixture->window), "win.history");
  assert_page (fixture, "history");
  {
    g_autoptr (GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
    collect_texts (rs_window_get_page (fixture->window, "history"), texts);
    g_assert_true (any_text_contains (texts, "Practice (only you see it)"));
  }
  activate (GTK_WIDGET (fixture->window), "win.back");
  assert_page (fixture, "choose");

  /* Shared: an ordinary result from now on, and said so. */
  g_assert_true (rs_results_page_show_attempt (results, uuid, &error));
  g_assert_no_error (error);
  rs_window_show_page (fixture->window, "results");
  activate (GTK_WIDGET (results), "results.share");
  g_clear_pointer (&attempt, rs_attempt_free);
  attempt = rs_store_load_attempt (store, uuid, &error);
  g_assert_no_error (error);
  g_assert_cmpint (attempt->shared_at, >, 0);
  g_assert_nonnull (strstr (label_text (fixture, "results-subtitle"), "shared with your manager"));
  g_assert_false (gtk_widget_get_visible (find (fixture, "results-share")));
}

/* The person's own data from the history page: the export into a folder
 * they choose (never into one with files in it), and who looked. */
static void
test_my_data (Fixture *fixture, gconstpointer data)
{
  RsStore *store = rs_context_get_store (fixture->context);
  g_autoptr (GError) error = NULL;
  g_autoptr (RsPerson) admin = rs_store_find_person (store, "900", &error);
  RsHistoryPage *history;
  g_autofree char *dir = g_build_filename (fixture->dir, "my-data", NULL);
  g_autofree char *readme = NULL;
  g_autofree char *views = NULL;
  gint64 id = employee_id (fixture);
  GtkWidget *dialog;

  g_assert_no_error (error);
  sign_in (fixture, EMPLOYEE_NO, EMPLOYEE_PIN);
  assert_page (fixture, "choose");
  activate (GTK_WIDGET (fixture->window), "win.history");
  assert_page (fixture, "history");
  history = RS_HISTORY_PAGE (rs_window_get_page (fixture->window, "history"));
  /* With nothing finished yet the buttons are there all the same. */
  g_assert_true (gtk_widget_is_visible (find (fixture, "history-download-empty")));
  g_assert_true (gtk_widget_is_visible (find (fixture, "history-who-looked-empty")));

  views = rs_history_page_describe_views (history, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (views, "Nobody has looked"));
  g_clear_pointer (&views, g_free);

  g_assert_true (rs_privacy_record_views (store, admin, &id, 1, RS_VIEW_MEMBER, &error));
  g_assert_no_error (error);
  views = rs_history_page_describe_views (history, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (views, "Admin"));
  activate (GTK_WIDGET (history), "history.who-looked");
  dialog = rs_dialog_find ("who-looked-dialog");
  g_assert_nonnull (dialog);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)), "Admin"));
  gtk_window_destroy (GTK_WINDOW (dialog));

  g_assert_true (rs_history_page_download_to (history, dir, &error));
  g_assert_no_error (error);
  readme = g_build_filename (dir, "README.txt", NULL);
  g_assert_true (g_file_test (readme, G_FILE_TEST_IS_REGULAR));
  {
    g_autoptr (GDir) listing = g_dir_open (dir, 0, &error);
    guint n = 0;
    g_assert_no_error (error);
    while (g_dir_read_name (listing) != NULL)
      n++;
    g_assert_cmpuint (n, >, 1);
  }
  /* Never into a folder that holds anything. */
  g_assert_false (rs_history_page_download_to (history, dir, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  /* The test's folder holds a subfolder now: empty it for teardown. */
  {
    g_autoptr (GDir) listing = g_dir_open (dir, 0, NULL);
    const char *name;
    while (listing != NULL && (name = g_dir_read_name (listing)) != NULL)
      {
        g_autofree char *path = g_build_filename (dir, name, NULL);
        g_unlink (path);
      }
    g_rmdir (dir);
  }
}

int
main (int argc, char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  gtk_source_init ();

  g_test_add_func ("/gui/employee/stable-total", test_stable_total);
  g_test_add_func ("/gui/employee/text-markup", test_text_markup);
  g_test_add_func ("/gui/employee/history-change", test_history_change);
  g_test_add ("/gui/employee/results-lead-with-decision", Fixture, NULL, setup, test_results_lead_with_decision, teardown);
  g_test_add ("/gui/employee/quiz-hints", Fixture, NULL, setup, test_quiz_hints, teardown);
  g_test_add ("/gui/employee/one-time-pin", Fixture, NULL, setup, test_one_time_pin, teardown);
  g_test_add ("/gui/employee/one-time-pin-then-notice", Fixture, NULL, setup, test_one_time_pin_then_notice, teardown);
  g_test_add ("/gui/employee/practice", Fixture, NULL, setup, test_practice, teardown);
  g_test_add ("/gui/employee/my-data", Fixture, NULL, setup, test_my_data, teardown);
  g_test_add ("/gui/employee/sign-in-error", Fixture, NULL, setup, test_sign_in_error, teardown);
  return g_test_run ();
}
