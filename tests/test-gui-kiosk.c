/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Kiosk mode on the real window (issue 6): the chrome (undecorated, sized
 * to the monitor, no way to close), the attract screen, the idle rule with
 * an injected clock and once with a real short timeout, nothing of the last
 * person left in any widget after sign-out, leaving with the admin PIN (and
 * its lockout), touch targets of 48 px, and an answer that could not be
 * saved (read-only database) kept on screen to be submitted again.
 *
 * Runs under Xvfb with GDK_BACKEND=x11 GTK_A11Y=none and no window manager;
 * every test uses its own temporary database. */
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include <adwaita.h>
#include <gtksourceview/gtksource.h>

#include "rs-choose-page.h"
#include "rs-context.h"
#include "rs-frame.h"
#include "rs-idle-dialog.h"
#include "rs-kiosk-controller.h"
#include "rs-pin-form.h"
#include "rs-quiz-page.h"
#include "rs-text.h"
#include "rs-window.h"
#include "notice-util.h"

#define ADMIN_NO "900"
#define ADMIN_PIN "97531864"
#define EMPLOYEE_NO "5017"
#define EMPLOYEE_PIN "2468"
#define EMPLOYEE_NAME "Ada Kioskova"
/* A number nobody has. */
#define OTHER_NO "5018"
#define IDLE_SECONDS 120
#define TIMEOUT_MS 20000

typedef struct {
  char *dir;
  char *db;
  RsContext *context;
  RsWindow *window;
  RsKioskController *kiosk;
  gint64 now;                 /* the injected clock, µs */
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

static gint64
fake_clock (gpointer data)
{
  return ((Fixture *) data)->now;
}

static void
setup (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *questions = source_path ("questions", NULL);
  g_autofree char *roles = source_path ("data", "roles.yaml", NULL);

  fixture->dir = g_dir_make_tmp ("reskill-kiosk-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->db = g_build_filename (fixture->dir, "reskill.db", NULL);
  {
    g_autoptr (RsStore) store = rs_store_open (fixture->db, &error);

    g_assert_no_error (error);
    g_assert_true (rs_store_add_person (store, ADMIN_NO, "Admin", NULL, RS_PERSON_ADMIN, ADMIN_PIN, NULL, &error));
    g_assert_no_error (error);
    rs_test_confirm_notice (store, ADMIN_NO);
    g_assert_true (rs_store_add_person (store, EMPLOYEE_NO, EMPLOYEE_NAME, "Platform", RS_PERSON_EMPLOYEE,
                                        EMPLOYEE_PIN, NULL, &error));
    g_assert_no_error (error);
    rs_test_confirm_notice (store, EMPLOYEE_NO);
  }

  fixture->context = rs_context_load (fixture->db, questions, roles);
  g_assert_null (rs_context_get_problem_title (fixture->context));
  fixture->window = rs_window_new (NULL, fixture->context);
  fixture->kiosk = rs_kiosk_controller_attach (fixture->window);
  g_assert_true (rs_kiosk_controller_get (fixture->window) == fixture->kiosk);
  fixture->now = 1000 * G_USEC_PER_SEC;
  rs_kiosk_controller_set_clock (fixture->kiosk, fake_clock, fixture);
  rs_kiosk_controller_set_timeouts (fixture->kiosk, IDLE_SECONDS, RS_KIOSK_WARNING_SECONDS);
  gtk_window_present (GTK_WINDOW (fixture->window));
  g_assert_cmpint (rs_frame_wait_painted (GTK_WIDGET (fixture->window), TIMEOUT_MS), >, 0);
}

static void
teardown (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GDir) dir = NULL;
  const char *name;

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

/* --- looking --- */

static GtkWidget *
find (Fixture *fixture, const char *name)
{
  GtkWidget *widget = rs_frame_find_widget (GTK_WIDGET (fixture->window), name);

  if (widget == NULL)
    g_test_message ("no widget named %s", name);
  g_assert_nonnull (widget);
  return widget;
}

static GtkWidget *
find_type (GtkWidget *root, GType type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_type (child, type);
      if (found != NULL)
        return found;
    }
  return NULL;
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

/* Every text a widget of the window holds, shown or not. */
static void
collect_texts (GtkWidget *widget, GPtrArray *texts)
{
  if (GTK_IS_LABEL (widget))
    g_ptr_array_add (texts, g_strdup (gtk_label_get_text (GTK_LABEL (widget))));
  if (GTK_IS_EDITABLE (widget))
    g_ptr_array_add (texts, g_strdup (gtk_editable_get_text (GTK_EDITABLE (widget))));
  if (GTK_IS_TEXT_VIEW (widget))
    {
      GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (widget));
      GtkTextIter start, end;

      gtk_text_buffer_get_bounds (buffer, &start, &end);
      g_ptr_array_add (texts, gtk_text_buffer_get_text (buffer, &start, &end, TRUE));
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_texts (child, texts);
}

static void
assert_nowhere (GPtrArray *texts, const char *secret)
{
  for (guint i = 0; i < texts->len; i++)
    if (strstr (g_ptr_array_index (texts, i), secret) != NULL)
      {
        /* g_error, not g_assert_not_reached: this check must survive
         * G_DISABLE_ASSERT. */
        g_error ("“%s” is still in a widget: “%s”", secret, (char *) g_ptr_array_index (texts, i));
      }
}

/* --- doing --- */

static void
activate (GtkWidget *widget, const char *action)
{
  g_assert_true (gtk_widget_activate_action (widget, action, NULL));
}

/* Presses a button on screen as a finger would: shown, sensitive (GTK
 * makes a button whose action does not exist insensitive), clicked. */
static void
press (GtkWidget *button)
{
  g_assert_nonnull (button);
  if (!gtk_widget_is_visible (button) || !gtk_widget_is_sensitive (button))
    g_test_message ("%s: visible %d, sensitive %d", gtk_widget_get_name (button), gtk_widget_is_visible (button),
                    gtk_widget_is_sensitive (button));
  g_assert_true (GTK_IS_BUTTON (button));
  g_assert_true (gtk_widget_is_visible (button));
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

#define press_named(fixture, name) press (find ((fixture), (name)))

static void
press_keys (GtkWidget *pad, const char *digits)
{
  for (const char *p = digits; *p != '\0'; p++)
    {
      char name[] = { 'p', 'a', 'd', '-', *p, '\0' };
      press (rs_frame_find_widget (pad, name));
    }
}

/* From the attract screen to the choose page, on the keypad. */
static void
touch_and_sign_in (Fixture *fixture)
{
  GtkWidget *pad;

  g_assert_true (rs_kiosk_controller_attract_shown (fixture->kiosk));
  press_named (fixture, "kiosk-attract-start");
  g_assert_false (rs_kiosk_controller_attract_shown (fixture->kiosk));
  assert_page (fixture, "welcome");
  press_named (fixture, "welcome-sign-in");
  assert_page (fixture, "sign-in");
  pad = rs_frame_find_widget (find (fixture, "sign-in-form"), "pin-pad");
  press_keys (pad, EMPLOYEE_NO);
  press (rs_frame_find_widget (pad, "pad-ok"));
  press_keys (pad, EMPLOYEE_PIN);
  press (rs_frame_find_widget (pad, "pad-ok"));
  assert_page (fixture, "choose");
}

static void
start_quiz (Fixture *fixture)
{
  gboolean python[RS_N_SKILLS] = { TRUE, FALSE, FALSE, FALSE };
  GtkWidget *choose = rs_window_get_page (fixture->window, "choose");

  rs_choose_page_select (RS_CHOOSE_PAGE (choose), python, RS_MODE_STANDARD);
  press_named (fixture, "choose-start");
  assert_page (fixture, "quiz");
}

static RsQuizPage *
quiz_page (Fixture *fixture)
{
  return RS_QUIZ_PAGE (rs_window_get_page (fixture->window, "quiz"));
}

/* Fills in the keyed answer without submitting it. */
static void
fill_right_answer (Fixture *fixture)
{
  RsQuizPage *quiz = quiz_page (fixture);
  const RsItem *item = rs_quiz_page_get_item (quiz);
  RsAnswer best = { 0 };

  g_assert_nonnull (item);
  rs_item_best_answer (item, &best);
  rs_quiz_page_fill_answer (quiz, &best);
}

/* The texts of the question on screen that the next person must not see. */
static void
remember_item (Fixture *fixture, GPtrArray *secrets)
{
  const RsItem *item = rs_quiz_page_get_item (quiz_page (fixture));

  g_assert_nonnull (item);
  g_ptr_array_add (secrets, rs_text_reflow (item->stem));
  g_ptr_array_add (secrets, g_strndup (item->stem, 40));
  if (item->code != NULL && strlen (item->code) >= 12)
    g_ptr_array_add (secrets, g_strndup (item->code, 24));
  /* Short options ("4", "True") are also keypad digits or common words:
   * only options long enough to be this question's are checked. */
  for (int i = 0; i < item->n_options; i++)
    if (g_utf8_strlen (item->options[i].text, -1) >= 8)
      g_ptr_array_add (secrets, g_strdup (item->options[i].text));
}

static void
advance (Fixture *fixture, int seconds)
{
  fixture->now += (gint64) seconds * G_USEC_PER_SEC;
  rs_kiosk_controller_poll (fixture->kiosk);
}

/* --- the tests --- */

static void
test_chrome (Fixture *fixture, gconstpointer data)
{
  GListModel *monitors = gdk_display_get_monitors (gdk_display_get_default ());
  g_autoptr (GdkMonitor) monitor = g_list_model_get_item (monitors, 0);
  GdkRectangle geometry;
  GtkWidget *window = GTK_WIDGET (fixture->window);
  g_autoptr (GtkWidget) alive = g_object_ref (window);

  gdk_monitor_get_geometry (monitor, &geometry);
  g_assert_true (rs_kiosk_controller_is_active (fixture->kiosk));
  g_assert_false (gtk_window_get_decorated (GTK_WINDOW (window)));
  g_assert_false (gtk_window_get_deletable (GTK_WINDOW (window)));
  g_assert_true (gtk_widget_has_css_class (window, "kiosk"));
  /* No close button in the header bar either. */
  {
    GtkWidget *header = find_type (window, ADW_TYPE_HEADER_BAR);

    g_assert_nonnull (header);
    g_assert_false (adw_header_bar_get_show_end_title_buttons (ADW_HEADER_BAR (header)));
    g_assert_false (adw_header_bar_get_show_start_title_buttons (ADW_HEADER_BAR (header)));
  }
  /* Sized to the monitor even with no window manager to honour fullscreen. */
  g_assert_cmpint (gtk_widget_get_width (window), ==, geometry.width);
  g_assert_cmpint (gtk_widget_get_height (window), ==, geometry.height);

  /* Nobody there: the attract screen, with nothing about anybody, covering
   * the whole window. */
  g_assert_true (rs_kiosk_controller_attract_shown (fixture->kiosk));
  g_assert_cmpint (gtk_widget_get_width (find (fixture, "kiosk-attract")), ==, geometry.width);
  g_assert_cmpint (gtk_widget_get_height (find (fixture, "kiosk-attract")), ==, geometry.height);

  /* Closing (Alt+F4 under a window manager, the compositor's close) and
   * Escape do not leave. */
  gtk_window_close (GTK_WINDOW (window));
  gtk_widget_activate_action (window, "window.close", NULL);
  gtk_widget_activate_action (window, "win.back", NULL);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_true (gtk_widget_get_realized (window));
  g_assert_true (gtk_widget_get_visible (window));
  g_assert_true (rs_kiosk_controller_is_active (fixture->kiosk));

  /* Touch to start: the welcome page, and Back from sign-in returns to the
   * attract screen. */
  press_named (fixture, "kiosk-attract-start");
  g_assert_false (rs_kiosk_controller_attract_shown (fixture->kiosk));
  assert_page (fixture, "welcome");
  press_named (fixture, "welcome-sign-in");
  assert_page (fixture, "sign-in");
  activate (window, "win.back");
  assert_page (fixture, "welcome");
  g_assert_true (rs_kiosk_controller_attract_shown (fixture->kiosk));
}

static void
test_idle_sign_out (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GPtrArray) secrets = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *item_id = NULL;
  GtkWidget *countdown;
  GtkWidget *focused;
  guint answered = 0;

  touch_and_sign_in (fixture);
  start_quiz (fixture);

  /* Two answers, then a third question on screen, half answered. */
  for (int i = 0; i < 2; i++)
    {
      remember_item (fixture, secrets);
      fill_right_answer (fixture);
      press_named (fixture, "quiz-submit");
      answered++;
    }
  remember_item (fixture, secrets);
  fill_right_answer (fixture);
  item_id = g_strdup (rs_quiz_page_get_item (quiz_page (fixture))->id);
  rs_kiosk_controller_activity (fixture->kiosk);

  focused = gtk_window_get_focus (GTK_WINDOW (fixture->window));
  g_assert_nonnull (focused);
  /* Not yet. */
  advance (fixture, IDLE_SECONDS - 1);
  g_assert_false (rs_kiosk_controller_idle_warning_shown (fixture->kiosk));
  /* "Still there?" with the seconds left, counting down. */
  advance (fixture, 2);
  g_assert_true (rs_kiosk_controller_idle_warning_shown (fixture->kiosk));
  countdown = find (fixture, "kiosk-idle-countdown");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (countdown)), ==, "29");
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (find (fixture, "kiosk-idle-body"))), "saved"));
  advance (fixture, 10);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (countdown)), ==, "19");
  /* A touch takes it away and starts the idle period again. */
  rs_kiosk_controller_activity (fixture->kiosk);
  g_assert_false (rs_kiosk_controller_idle_warning_shown (fixture->kiosk));
  /* The keyboard is back where it was. */
  g_assert_true (gtk_window_get_focus (GTK_WINDOW (fixture->window)) == focused);
  advance (fixture, IDLE_SECONDS - 1);
  g_assert_false (rs_kiosk_controller_idle_warning_shown (fixture->kiosk));
  assert_page (fixture, "quiz");

  /* No answer this time: signed out, back to the attract screen. */
  advance (fixture, 2);
  g_assert_true (rs_kiosk_controller_idle_warning_shown (fixture->kiosk));
  advance (fixture, RS_KIOSK_WARNING_SECONDS);
  g_assert_false (rs_kiosk_controller_idle_warning_shown (fixture->kiosk));
  g_assert_true (rs_kiosk_controller_attract_shown (fixture->kiosk));
  assert_page (fixture, "welcome");
  g_assert_null (rs_context_get_person (fixture->context));
  g_assert_null (rs_context_get_assessment (fixture->context));
  /* The attract screen is not timed out. */
  advance (fixture, 10 * IDLE_SECONDS);
  g_assert_false (rs_kiosk_controller_idle_warning_shown (fixture->kiosk));

  /* Nothing of that person in any widget of the window. */
  collect_texts (GTK_WIDGET (fixture->window), texts);
  g_test_message ("%u texts in the window after sign-out", texts->len);
  g_assert_cmpuint (texts->len, >, 20);
  assert_nowhere (texts, EMPLOYEE_NAME);
  assert_nowhere (texts, "Kioskova");
  assert_nowhere (texts, EMPLOYEE_NO);
  for (guint i = 0; i < secrets->len; i++)
    assert_nowhere (texts, g_ptr_array_index (secrets, i));

  /* The attempt was kept: signing in again offers to resume it, at the
   * question that was on screen. */
  touch_and_sign_in (fixture);
  g_assert_true (gtk_widget_is_visible (find (fixture, "choose-resume-row")));
  press_named (fixture, "choose-resume");
  assert_page (fixture, "quiz");
  g_assert_cmpstr (rs_quiz_page_get_item (quiz_page (fixture))->id, ==, item_id);
  g_assert_cmpuint (answered, ==, 2);
}

static void
test_idle_real_clock (Fixture *fixture, gconstpointer data)
{
  gint64 started;
  gboolean warned = FALSE;

  press_named (fixture, "kiosk-attract-start");
  press_named (fixture, "welcome-guest");
  assert_page (fixture, "choose");
  /* The real clock and the real one-second poll: 1 s idle, 3 s warning.
   * Set only now, so that a slow machine's set-up (a coverage or sanitizer
   * build on a busy machine) cannot use up the idle time before the watch
   * begins, and the warning outlasts a late poll. */
  rs_kiosk_controller_set_clock (fixture->kiosk, NULL, NULL);
  rs_kiosk_controller_set_timeouts (fixture->kiosk, 1, 3);

  started = g_get_monotonic_time ();
  while (!rs_kiosk_controller_attract_shown (fixture->kiosk) && g_get_monotonic_time () - started < 10 * G_USEC_PER_SEC)
    {
      g_main_context_iteration (NULL, TRUE);
      if (!warned && rs_kiosk_controller_idle_warning_shown (fixture->kiosk))
        {
          warned = TRUE;
          /* A guest is not promised a resume. */
          g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (find (fixture, "kiosk-idle-body"))), "guest"));
        }
    }
  g_test_message ("back to the attract screen after %.1f s", (g_get_monotonic_time () - started) / 1e6);
  g_assert_true (warned);
  g_assert_true (rs_kiosk_controller_attract_shown (fixture->kiosk));
  g_assert_cmpint (g_get_monotonic_time () - started, >=, 2 * G_USEC_PER_SEC);
  assert_page (fixture, "welcome");
}

/* A part of the exit dialog's PIN form ("pin-number", "pin-secret",
 * "pin-pad", "pin-message"). */
static GtkWidget *
exit_part (Fixture *fixture, const char *part)
{
  GtkWidget *widget = rs_frame_find_widget (find (fixture, "kiosk-exit-form"), part);

  g_assert_nonnull (widget);
  return widget;
}

static gboolean
form_answered (gpointer data)
{
  return !rs_pin_form_get_busy (data) && rs_pin_form_get_message (data) != NULL;
}

/* Types a number and PIN on the exit dialog's keypad and returns what the
 * form answers (its message label shows the same). */
static char *
try_exit_pin (Fixture *fixture, const char *number, const char *pin)
{
  RsPinForm *form = RS_PIN_FORM (find (fixture, "kiosk-exit-form"));
  GtkWidget *pad = exit_part (fixture, "pin-pad");
  char *message;

  press_keys (pad, number);
  press (rs_frame_find_widget (pad, "pad-ok"));
  press_keys (pad, pin);
  press (rs_frame_find_widget (pad, "pad-ok"));
  g_assert_true (rs_frame_wait_until (form_answered, form, TIMEOUT_MS));
  message = g_strdup (rs_pin_form_get_message (form));
  g_test_message ("%s %s: %s", number, pin, message);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (exit_part (fixture, "pin-message"))), ==, message);
  g_assert_true (rs_kiosk_controller_exit_dialog_shown (fixture->kiosk));
  g_assert_true (rs_kiosk_controller_is_active (fixture->kiosk));
  /* The PIN is never left in the field. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (exit_part (fixture, "pin-secret"))), ==, "");
  /* Start again from the number. */
  gtk_editable_set_text (GTK_EDITABLE (exit_part (fixture, "pin-number")), "");
  gtk_widget_grab_focus (exit_part (fixture, "pin-number"));
  return message;
}

static graphene_rect_t
bounds_in_window (Fixture *fixture, GtkWidget *widget)
{
  graphene_rect_t bounds;

  rs_frame_wait_painted (GTK_WIDGET (fixture->window), TIMEOUT_MS);
  g_assert_true (gtk_widget_compute_bounds (widget, GTK_WIDGET (fixture->window), &bounds));
  return bounds;
}

static gint64
count_audit (Fixture *fixture, const char *event)
{
  sqlite3_stmt *stmt = NULL;
  gint64 n;

  g_assert_cmpint (sqlite3_prepare_v2 (rs_store_get_db (rs_context_get_store (fixture->context)),
                                       "SELECT count(*) FROM audit WHERE event = ?", -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, event, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

static void
test_exit_with_admin_pin (Fixture *fixture, gconstpointer data)
{
  GtkWidget *card;
  graphene_rect_t card_before, pad_before;
  g_autofree char *wrong = NULL;
  g_autofree char *admin_wrong = NULL;

  press_named (fixture, "kiosk-attract-admin");
  g_assert_true (rs_kiosk_controller_exit_dialog_shown (fixture->kiosk));
  /* Cancel goes back to the attract screen. */
  press_named (fixture, "kiosk-exit-cancel");
  g_assert_false (rs_kiosk_controller_exit_dialog_shown (fixture->kiosk));
  g_assert_true (rs_kiosk_controller_attract_shown (fixture->kiosk));

  rs_kiosk_controller_ask_exit (fixture->kiosk);
  card = gtk_widget_get_first_child (find (fixture, "kiosk-exit"));
  card_before = bounds_in_window (fixture, card);
  pad_before = bounds_in_window (fixture, exit_part (fixture, "pin-pad"));

  /* A wrong PIN: neither leaves, and the message moves nothing. */
  admin_wrong = try_exit_pin (fixture, ADMIN_NO, "11111111");
  g_assert_nonnull (strstr (admin_wrong, "left"));
  {
    graphene_rect_t card_after = bounds_in_window (fixture, card);
    graphene_rect_t pad_after = bounds_in_window (fixture, exit_part (fixture, "pin-pad"));

    g_test_message ("dialog %gx%g, with the message %gx%g", card_before.size.width, card_before.size.height,
                    card_after.size.width, card_after.size.height);
    g_assert_cmpfloat (card_after.size.width, ==, card_before.size.width);
    g_assert_cmpfloat (card_after.size.height, ==, card_before.size.height);
    g_assert_cmpfloat (pad_after.origin.y, ==, pad_before.origin.y);
  }

  /* An employee's right PIN reads exactly as a wrong one, and counts as
   * one: the same answers, try by try, as an employee number typed with
   * wrong PINs only. Nothing says the PIN was valid. */
  for (int i = 0; i < 2; i++)
    {
      g_autofree char *valid = try_exit_pin (fixture, EMPLOYEE_NO, EMPLOYEE_PIN);
      g_autofree char *invalid = try_exit_pin (fixture, OTHER_NO, "1111");

      g_assert_cmpstr (valid, ==, invalid);
      g_assert_null (strstr (valid, "administrator"));
    }
  g_assert_cmpint (count_audit (fixture, "sign-in-failed"), ==, 5);
  g_assert_cmpint (count_audit (fixture, "sign-in"), ==, 0);
  wrong = try_exit_pin (fixture, EMPLOYEE_NO, EMPLOYEE_PIN);
  g_assert_nonnull (strstr (wrong, "2 tries left"));

  /* The administrator's PIN on the keypad leaves kiosk mode. */
  press_keys (exit_part (fixture, "pin-pad"), ADMIN_NO);
  press (rs_frame_find_widget (exit_part (fixture, "pin-pad"), "pad-ok"));
  press_keys (exit_part (fixture, "pin-pad"), ADMIN_PIN);
  press (rs_frame_find_widget (exit_part (fixture, "pin-pad"), "pad-ok"));
  {
    gint64 deadline = g_get_monotonic_time () + (gint64) TIMEOUT_MS * 1000;

    while (rs_kiosk_controller_is_active (fixture->kiosk) && g_get_monotonic_time () < deadline)
      g_main_context_iteration (NULL, FALSE);
  }
  g_assert_false (rs_kiosk_controller_is_active (fixture->kiosk));
  g_assert_false (rs_kiosk_controller_exit_dialog_shown (fixture->kiosk));
  g_assert_false (rs_kiosk_controller_attract_shown (fixture->kiosk));
  g_assert_true (gtk_window_get_decorated (GTK_WINDOW (fixture->window)));
  g_assert_true (gtk_window_get_deletable (GTK_WINDOW (fixture->window)));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (fixture->window), "kiosk"));
  /* No idle sign-out any more. */
  advance (fixture, 10 * IDLE_SECONDS);
  g_assert_false (rs_kiosk_controller_idle_warning_shown (fixture->kiosk));
  g_assert_false (rs_kiosk_controller_attract_shown (fixture->kiosk));

  /* Audited. */
  g_assert_cmpint (count_audit (fixture, "kiosk-exit"), ==, 1);
}

static void
test_exit_lockout (Fixture *fixture, gconstpointer data)
{
  g_autofree char *message = NULL;
  g_autofree char *at_sign_in = NULL;

  rs_kiosk_controller_ask_exit (fixture->kiosk);
  for (int i = 0; i < RS_STORE_MAX_FAILED_PINS; i++)
    g_free (try_exit_pin (fixture, ADMIN_NO, "11111111"));
  /* Locked, as any account: even the right PIN is refused now. */
  message = try_exit_pin (fixture, ADMIN_NO, ADMIN_PIN);
  g_assert_nonnull (strstr (message, "locked"));
  g_assert_true (rs_kiosk_controller_is_active (fixture->kiosk));
  /* Worded as the sign-in page words it: one form, one wording. */
  press_named (fixture, "kiosk-exit-cancel");
  press_named (fixture, "kiosk-attract-start");
  press_named (fixture, "welcome-sign-in");
  assert_page (fixture, "sign-in");
  {
    RsPinForm *form = RS_PIN_FORM (find (fixture, "sign-in-form"));
    GtkWidget *pad = rs_frame_find_widget (GTK_WIDGET (form), "pin-pad");

    press_keys (pad, ADMIN_NO);
    press (rs_frame_find_widget (pad, "pad-ok"));
    press_keys (pad, ADMIN_PIN);
    press (rs_frame_find_widget (pad, "pad-ok"));
    g_assert_true (rs_frame_wait_until (form_answered, form, TIMEOUT_MS));
    at_sign_in = g_strdup (rs_pin_form_get_message (form));
  }
  g_test_message ("exit: %s; sign-in: %s", message, at_sign_in);
  /* The seconds left may differ by the time between; the words do not. */
  g_assert_true (g_str_has_prefix (at_sign_in, "Too many wrong PINs. This number is locked; try again in "));
  g_assert_true (g_str_has_prefix (message, "Too many wrong PINs. This number is locked; try again in "));
}

/* Every visible button, toggle, check box and switch: at least 48×48. A
 * check box or switch in an activatable row is touched through the row. */
static void
collect_small_targets (GtkWidget *widget, GString *small)
{
  if (!gtk_widget_get_mapped (widget))
    return;
  if (GTK_IS_BUTTON (widget) || GTK_IS_CHECK_BUTTON (widget) || GTK_IS_SWITCH (widget))
    {
      GtkWidget *target = widget;

      if (!GTK_IS_BUTTON (widget))
        {
          GtkWidget *row = gtk_widget_get_ancestor (widget, GTK_TYPE_LIST_BOX_ROW);

          if (row != NULL && gtk_list_box_row_get_activatable (GTK_LIST_BOX_ROW (row)))
            target = row;
        }
      graphene_rect_t bounds;

      /* The border box, what a finger hits (get_width is the content). */
      g_assert_true (gtk_widget_compute_bounds (target, target, &bounds));
      if (bounds.size.width < 48 || bounds.size.height < 48)
        g_string_append_printf (small, " %s %s (%gx%g)", G_OBJECT_TYPE_NAME (widget), gtk_widget_get_name (widget),
                                bounds.size.width, bounds.size.height);
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_small_targets (child, small);
}

static void
assert_touch_targets (Fixture *fixture, const char *where)
{
  g_autoptr (GString) small = g_string_new (NULL);

  rs_frame_wait_painted (GTK_WIDGET (fixture->window), TIMEOUT_MS);
  collect_small_targets (GTK_WIDGET (fixture->window), small);
  if (small->len > 0)
    g_test_message ("%s: too small for a finger:%s", where, small->str);
  g_assert_cmpuint (small->len, ==, 0);
}

static void
test_touch_targets (Fixture *fixture, gconstpointer data)
{
  assert_touch_targets (fixture, "attract");
  press_named (fixture, "kiosk-attract-admin");
  assert_touch_targets (fixture, "exit dialog");
  press_named (fixture, "kiosk-exit-cancel");
  press_named (fixture, "kiosk-attract-start");
  assert_touch_targets (fixture, "welcome");
  press_named (fixture, "welcome-sign-in");
  assert_page (fixture, "sign-in");
  assert_touch_targets (fixture, "sign-in");
  activate (GTK_WIDGET (fixture->window), "win.back");
  touch_and_sign_in (fixture);
  assert_touch_targets (fixture, "choose");
  start_quiz (fixture);
  /* Several questions: options differ in number and length. */
  for (int i = 0; i < 4; i++)
    {
      assert_touch_targets (fixture, "quiz");
      fill_right_answer (fixture);
      press_named (fixture, "quiz-submit");
    }
  rs_kiosk_controller_activity (fixture->kiosk);
  advance (fixture, IDLE_SECONDS + 1);
  g_assert_true (rs_kiosk_controller_idle_warning_shown (fixture->kiosk));
  assert_touch_targets (fixture, "idle warning");
}

/* No lost answers: a database that turns read-only mid-quiz refuses the
 * answer with a message in the window; the question and the answer stay,
 * and the same Submit works once the database is writable again. */
static void
test_read_only_database (Fixture *fixture, gconstpointer data)
{
  struct sqlite3 *db = rs_store_get_db (rs_context_get_store (fixture->context));
  RsQuizPage *quiz;
  const RsItem *item;
  g_autofree char *item_id = NULL;
  g_autofree char *stem = NULL;
  g_autofree char *number = NULL;
  guint32 chosen = 0;
  GtkWidget *error_label;
  GtkWidget *options;
  int i;

  touch_and_sign_in (fixture);
  start_quiz (fixture);
  quiz = quiz_page (fixture);
  fill_right_answer (fixture);
  item = rs_quiz_page_get_item (quiz);
  item_id = g_strdup (item->id);
  stem = g_strdup (gtk_label_get_text (GTK_LABEL (find (fixture, "quiz-stem"))));
  number = g_strdup (gtk_editable_get_text (GTK_EDITABLE (find (fixture, "quiz-number"))));
  options = find (fixture, "quiz-options");
  i = 0;
  for (GtkWidget *child = gtk_widget_get_first_child (options); child != NULL; child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_TOGGLE_BUTTON (child) && gtk_widget_get_visible (child))
      chosen |= (guint32) gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (child)) << i++;

  g_assert_cmpint (sqlite3_exec (db, "PRAGMA query_only=ON", NULL, NULL, NULL), ==, SQLITE_OK);
  press_named (fixture, "quiz-submit");

  /* A clear message, the same question, the same answer. */
  error_label = find (fixture, "quiz-error");
  g_assert_true (gtk_widget_get_visible (error_label));
  g_test_message ("%s", gtk_label_get_text (GTK_LABEL (error_label)));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (error_label)), "not saved"));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (error_label)), "Submit again"));
  assert_page (fixture, "quiz");
  g_assert_cmpstr (rs_quiz_page_get_item (quiz)->id, ==, item_id);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (find (fixture, "quiz-stem"))), ==, stem);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find (fixture, "quiz-number"))), ==, number);
  i = 0;
  {
    guint32 still = 0;

    for (GtkWidget *child = gtk_widget_get_first_child (options); child != NULL; child = gtk_widget_get_next_sibling (child))
      if (GTK_IS_TOGGLE_BUTTON (child) && gtk_widget_get_visible (child))
        still |= (guint32) gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (child)) << i++;
    g_assert_cmpuint (still, ==, chosen);
  }
  {
    RsAttempt *attempt = rs_store_load_attempt (rs_context_get_store (fixture->context),
                                                rs_assessment_uuid (rs_context_get_assessment (fixture->context)), NULL);
    g_assert_nonnull (attempt);
    g_assert_cmpuint (attempt->responses->len, ==, 0);
    rs_attempt_free (attempt);
  }

  /* Writable again: the same Submit saves it and moves on. */
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA query_only=OFF", NULL, NULL, NULL), ==, SQLITE_OK);
  press_named (fixture, "quiz-submit");
  g_assert_false (gtk_widget_get_visible (error_label));
  {
    RsAttempt *attempt = rs_store_load_attempt (rs_context_get_store (fixture->context),
                                                rs_assessment_uuid (rs_context_get_assessment (fixture->context)), NULL);
    g_assert_nonnull (attempt);
    g_assert_cmpuint (attempt->responses->len, ==, 1);
    rs_attempt_free (attempt);
  }
  g_assert_cmpstr (rs_quiz_page_get_item (quiz)->id, !=, item_id);
}

int
main (int argc, char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  gtk_source_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  /* The application's style sheet, as AdwApplication loads it: the touch
   * target sizes and the kiosk's look are in it. */
  {
    g_autoptr (GtkCssProvider) provider = gtk_css_provider_new ();

    gtk_css_provider_load_from_resource (provider, "/io/github/reskill/Reskill/style.css");
    gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (provider),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  }

  g_test_add ("/gui/kiosk/chrome", Fixture, NULL, setup, test_chrome, teardown);
  g_test_add ("/gui/kiosk/idle-sign-out", Fixture, NULL, setup, test_idle_sign_out, teardown);
  g_test_add ("/gui/kiosk/idle-real-clock", Fixture, NULL, setup, test_idle_real_clock, teardown);
  g_test_add ("/gui/kiosk/exit-admin-pin", Fixture, NULL, setup, test_exit_with_admin_pin, teardown);
  g_test_add ("/gui/kiosk/exit-lockout", Fixture, NULL, setup, test_exit_lockout, teardown);
  g_test_add ("/gui/kiosk/touch-targets", Fixture, NULL, setup, test_touch_targets, teardown);
  g_test_add ("/gui/kiosk/read-only-database", Fixture, NULL, setup, test_read_only_database, teardown);
  return g_test_run ();
}
