/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The window's half of the pseudo-locale test (the command line's is
 * tests/pseudo-locale-check.py): every screen of the window, driven as a
 * person would (keypad sign-in, a quick assessment, results, history,
 * change PIN, the privacy notice at each policy level, the team report
 * with its training needs, a member, each administration tab with the
 * privacy settings, the kiosk's screens), under the
 * pseudo-locale catalog, which wraps every translated message in ‹ ›.
 * Every label, button, row, tooltip, placeholder and page title must have
 * its words inside the marks, except names (people, teams, roles), bank
 * content (questions, options, explanations, subtopic titles), numbers,
 * dates and ids.
 *
 * Its log lists what is left, page by page. Charts drawn with cairo are not widgets and are
 * not read here; their texts come from the core and app/report, which the
 * command-line half covers.
 *
 * Under Xvfb with GDK_BACKEND=x11 GTK_A11Y=none. */
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include <adwaita.h>
#include <gtksourceview/gtksource.h>

#include "rs-change-pin-page.h"
#include "rs-choose-page.h"
#include "rs-context.h"
#include "rs-demo.h"
#include "rs-frame.h"
#include "rs-kiosk-controller.h"
#include "rs-notice-page.h"
#include "rs-people.h"
#include "rs-privacy.h"
#include "rs-quiz-page.h"
#include "rs-team-page.h"
#include "rs-window.h"

#define OPEN "\u2039"
#define CLOSE "\u203a"
#define TIMEOUT_MS 20000

typedef struct {
  char *dir;
  char *db;
  RsContext *context;
  RsWindow *window;
  RsBank *bank;
  GHashTable *exempt;       /* words and whole texts that are data, not text */
} State;

static State state;

/* --- what is data --- */

static void
exempt_text (const char *text)
{
  g_auto (GStrv) words = NULL;

  if (text == NULL || *text == '\0')
    return;
  g_hash_table_add (state.exempt, g_strdup (text));
  /* Split as unmarked_word() splits, and without the backticks around
   * code that the window does not show. */
  words = g_strsplit_set (text, " \t\n,;:.()[]\"'!?·—–/`", -1);
  for (int i = 0; words[i] != NULL; i++)
    if (words[i][0] != '\0')
      g_hash_table_add (state.exempt, g_strdup (words[i]));
}

/* Names in the database, role names, and everything the bank says. */
static void
collect_exempt (void)
{
  /* Ids, and the month and day names that dates get from the C library's
   * locale data (translated there, not here). */
  static const char *const ids[] = {
    "Reskill", "python", "statistics", "ml", "empathy", "quick", "standard", "precise", "PIN", "UUID",
    "CSV", "PDF", "SHA-256", "θ", "SE",
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
    "November", "December", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
    "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun", NULL,
  };
  RsStore *store = rs_context_get_store (state.context);
  const RsRoleSet *roles = rs_context_get_roles (state.context);
  const RsLearningCatalog *learning = rs_context_get_learning (state.context);
  g_autoptr (GPtrArray) people = NULL;
  g_autoptr (GError) error = NULL;

  state.exempt = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (int i = 0; ids[i] != NULL; i++)
    g_hash_table_add (state.exempt, g_strdup (ids[i]));
  /* Where the bank is read from, and this kiosk's key: file names and
   * fingerprints are not words. */
  exempt_text (rs_context_get_questions_dir (state.context));
  exempt_text (rs_store_key_fingerprint (store));
  people = rs_people_list (store, rs_people_operator (), NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < people->len; i++)
    {
      const RsPerson *person = g_ptr_array_index (people, i);
      exempt_text (person->name);
      exempt_text (person->team_name);
    }
  for (guint i = 0; roles != NULL && i < rs_role_set_n_roles (roles); i++)
    {
      const RsRole *role = rs_role_set_role (roles, i);
      exempt_text (role->name);
      exempt_text (role->summary);
    }
  for (int s = 0; s < RS_N_SKILLS; s++)
    {
      const GPtrArray *items = rs_bank_skill_items (state.bank, (RsSkill) s);

      for (guint i = 0; i < items->len; i++)
        {
          const RsItem *item = g_ptr_array_index (items, i);
          g_autofree char *title = rs_bank_subtopic_title (state.bank, item->skill, item->subtopic);

          exempt_text (item->stem);
          exempt_text (item->explanation);
          exempt_text (item->unit);
          exempt_text (item->subtopic);
          exempt_text (title);
          /* What to learn next: the catalogue's steps are data too
           * (data/learning.yaml, in English like the bank). */
          if (learning != NULL)
            {
              const GPtrArray *steps = rs_learning_catalog_steps (learning, item->skill, item->subtopic);

              for (guint k = 0; steps != NULL && k < steps->len; k++)
                {
                  const RsLearningStep *step = g_ptr_array_index (steps, k);

                  exempt_text (step->title);
                  exempt_text (step->source);
                  exempt_text (step->detail);
                }
            }
          for (int o = 0; o < item->n_options; o++)
            {
              exempt_text (item->options[o].text);
              exempt_text (item->options[o].rationale);
            }
        }
    }
}

/* --- reading the window --- */

/* The text with every marked span blanked; FALSE when marks do not pair. */
static char *
strip_marked (const char *text, gboolean *balanced)
{
  GString *out = g_string_new (NULL);
  int depth = 0;

  *balanced = TRUE;
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      if (g_str_has_prefix (p, OPEN))
        depth++, g_string_append_c (out, ' ');
      else if (g_str_has_prefix (p, CLOSE))
        {
          if (depth == 0)
            *balanced = FALSE;
          depth = MAX (depth - 1, 0);
          g_string_append_c (out, ' ');
        }
      else if (depth > 0)
        g_string_append_c (out, ' ');
      else
        g_string_append_len (out, p, g_utf8_next_char (p) - p);
    }
  if (depth != 0)
    *balanced = FALSE;
  return g_string_free (out, FALSE);
}

/* A word cut short by an ellipsis ("te…") of an exempt one. */
static gboolean
cut_from_exempt (const char *word)
{
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, state.exempt);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (g_str_has_prefix (key, word))
      return TRUE;
  return FALSE;
}

/* The first word outside the marks that is not data, or NULL. */
static char *
unmarked_word (const char *text)
{
  gboolean balanced;
  g_autofree char *bare = NULL;
  g_auto (GStrv) words = NULL;

  if (text == NULL || *text == '\0' || g_hash_table_contains (state.exempt, text))
    return NULL;
  bare = strip_marked (text, &balanced);
  if (!balanced)
    return g_strdup ("(marks that do not pair)");
  {
    /* g_strsplit_set() splits on bytes, and "…" shares its first bytes
     * with "—" and "–": it is made one byte of its own first, so that a
     * word cut short keeps its mark. */
    GString *marked = g_string_new (bare);

    g_string_replace (marked, "…", "\x1f", 0);
    g_free (bare);
    bare = g_string_free (marked, FALSE);
  }
  words = g_strsplit_set (bare, " \t\n,;:.()[]\"'!?·—–/", -1);
  for (int i = 0; words[i] != NULL; i++)
    {
      char *word = words[i];
      int letters = 0;

      if (g_str_has_suffix (word, "\x1f"))
        {
          word[strlen (word) - 1] = '\0';
          if (cut_from_exempt (word))
            continue;
        }
      for (const char *p = word; *p != '\0'; p = g_utf8_next_char (p))
        letters += g_unichar_isalpha (g_utf8_get_char (p));
      if (letters < 2 || g_hash_table_contains (state.exempt, word))
        continue;
      return g_strdup (word);
    }
  return NULL;
}

static void
check_text (GPtrArray *problems, GtkWidget *widget, const char *what, const char *text)
{
  g_autofree char *word = unmarked_word (text);

  if (word != NULL)
    g_ptr_array_add (problems, g_strdup_printf ("%s %s: \"%s\" in \"%s\"", G_OBJECT_TYPE_NAME (widget), what, word,
                                                text));
}

/* What is on screen: mapped widgets only (the stack's other pages, hidden
 * rows and closed popovers are read when they are shown). */
static void
walk (GtkWidget *widget, GPtrArray *problems)
{
  const char *tooltip = gtk_widget_get_tooltip_text (widget);

  if (!gtk_widget_get_mapped (widget))
    return;
  if (GTK_IS_LABEL (widget))
    check_text (problems, widget, "label", gtk_label_get_text (GTK_LABEL (widget)));
  if (GTK_IS_TEXT (widget))
    check_text (problems, widget, "placeholder", gtk_text_get_placeholder_text (GTK_TEXT (widget)));
  if (GTK_IS_WINDOW (widget))
    check_text (problems, widget, "title", gtk_window_get_title (GTK_WINDOW (widget)));
  check_text (problems, widget, "tooltip", tooltip);
  /* Code is bank content: a Python program is not translated. */
  if (GTK_SOURCE_IS_VIEW (widget))
    return;
  /* The page being left stays mapped while the stack fades it out. */
  if (GTK_IS_STACK (widget))
    {
      GtkWidget *visible = gtk_stack_get_visible_child (GTK_STACK (widget));

      if (visible != NULL)
        walk (visible, problems);
      return;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    walk (child, problems);
}

/* One screen: every problem printed, and the check failed when any. */
static void
check_screen (const char *screen)
{
  g_autoptr (GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);

  rs_frame_wait_painted (GTK_WIDGET (state.window), TIMEOUT_MS);
  walk (GTK_WIDGET (state.window), problems);
  for (guint i = 0; i < problems->len; i++)
    g_test_message ("%s: %s", screen, (const char *) g_ptr_array_index (problems, i));
  g_test_message ("%s: %u texts outside the marks", screen, problems->len);
  if (problems->len > 0)
    g_test_fail ();
}

/* --- driving it --- */

/* The first descendant of this type (the admin page's tabs have no name). */
static GtkWidget *
find_type (GtkWidget *widget, GType type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_type (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
page_is (gpointer data)
{
  return g_strcmp0 (rs_window_get_page_name (state.window), data) == 0;
}

static gboolean
go (const char *page)
{
  if (!rs_frame_wait_until (page_is, (gpointer) page, TIMEOUT_MS))
    {
      g_test_message ("did not reach the page %s (on %s)", page, rs_window_get_page_name (state.window));
      g_test_fail ();
      return FALSE;
    }
  return TRUE;
}

static void
activate (GtkWidget *widget, const char *action)
{
  if (!gtk_widget_activate_action (widget, action, NULL))
    {
      g_test_message ("no action %s", action);
      g_test_fail ();
    }
}

static void
press (const char *digits)
{
  GtkWidget *form = rs_frame_find_widget (GTK_WIDGET (state.window), "sign-in-form");
  GtkWidget *pad = form != NULL ? rs_frame_find_widget (form, "pin-pad") : NULL;

  g_assert_nonnull (pad);
  for (const char *p = digits; *p != '\0'; p++)
    gtk_widget_activate_action (pad, "pin-pad.digit", "u", (guint) (*p - '0'));
  gtk_widget_activate_action (pad, "pin-pad.submit", NULL);
}

static void
sign_in (const char *number, const char *pin)
{
  activate (GTK_WIDGET (state.window), "win.done");
  activate (GTK_WIDGET (state.window), "win.sign-in");
  go ("sign-in");
  press (number);
  press (pin);
}

/* --- the screens --- */

static void
test_welcome (void)
{
  go ("welcome");
  check_screen ("welcome");
  /* The first-run page, as an empty database shows it. */
  rs_window_show_page (state.window, "first-run");
  check_screen ("first run");
  activate (GTK_WIDGET (state.window), "win.done");
  go ("welcome");
}

static void
test_sign_in (void)
{
  activate (GTK_WIDGET (state.window), "win.sign-in");
  go ("sign-in");
  check_screen ("sign-in");
  press (RS_DEMO_EMPLOYEE_NO);
  press ("0000");
  check_screen ("sign-in, wrong PIN");
}

static void
test_choose_quiz_results_history (void)
{
  const gboolean python_only[RS_N_SKILLS] = { TRUE, FALSE, FALSE, FALSE };
  RsChoosePage *choose;
  RsQuizPage *quiz;
  int n = 0;

  sign_in (RS_DEMO_EMPLOYEE_NO, RS_DEMO_EMPLOYEE_PIN);
  if (!go ("choose"))
    return;
  check_screen ("choose");
  choose = RS_CHOOSE_PAGE (rs_window_get_page (state.window, "choose"));
  rs_choose_page_select (choose, python_only, RS_MODE_QUICK);
  activate (GTK_WIDGET (choose), "choose.start");
  if (!go ("quiz"))
    return;
  check_screen ("quiz");
  quiz = RS_QUIZ_PAGE (rs_window_get_page (state.window, "quiz"));
  while (page_is ("quiz") && n++ < 100)
    {
      const RsItem *item = rs_quiz_page_get_item (quiz);
      RsAnswer best = { 0 };

      if (item == NULL)
        break;
      rs_item_best_answer (item, &best);
      rs_quiz_page_fill_answer (quiz, &best);
      activate (GTK_WIDGET (quiz), "quiz.submit");
      while (g_main_context_iteration (NULL, FALSE))
        ;
    }
  if (!go ("results"))
    return;
  check_screen ("results");
  activate (GTK_WIDGET (state.window), "win.history");
  if (go ("history"))
    check_screen ("history");
  activate (GTK_WIDGET (state.window), "win.change-pin");
  if (!go ("change-pin"))
    return;
  check_screen ("change PIN");
  /* Its messages too: the new PIN left empty. */
  activate (rs_window_get_page (state.window, "change-pin"), "change-pin.submit");
  g_assert_nonnull (rs_change_pin_page_get_message (RS_CHANGE_PIN_PAGE (rs_window_get_page (state.window,
                                                                                            "change-pin"))));
  check_screen ("change PIN, a message");
}

/* The privacy notice, as the demo's newcomer meets it (the policy's words
 * at each level), and the message when the policy changes while shown. */
static void
test_notice (void)
{
  RsStore *store = rs_context_get_store (state.context);
  g_autoptr (GError) error = NULL;
  g_autoptr (RsPerson) admin = rs_store_find_person (store, RS_DEMO_ADMIN_NO, &error);
  RsNoticePage *notice;
  RsPrivacyPolicy policy;

  sign_in (RS_DEMO_NEWCOMER_NO, RS_DEMO_NEWCOMER_PIN);
  if (!go ("notice"))
    return;
  check_screen ("privacy notice (levels)");
  notice = RS_NOTICE_PAGE (rs_window_get_page (state.window, "notice"));
  g_assert_true (rs_privacy_get_policy (store, &policy, &error));
  policy.visibility = RS_VISIBILITY_AGGREGATES;
  g_assert_true (rs_privacy_set_policy (store, admin, &policy, &error));
  g_assert_no_error (error);
  activate (GTK_WIDGET (notice), "notice.confirm");
  g_assert_nonnull (rs_notice_page_get_message (notice));
  check_screen ("privacy notice (team figures only), changed while shown");
  policy.visibility = RS_VISIBILITY_FULL;
  g_assert_true (rs_privacy_set_policy (store, admin, &policy, &error));
  g_assert_no_error (error);
  activate (GTK_WIDGET (notice), "notice.confirm");
  check_screen ("privacy notice (full), changed while shown");
  activate (GTK_WIDGET (notice), "notice.confirm");
  go ("choose");
}

static void
test_manager (void)
{
  RsTeamPage *team;
  const RsTeamReport *report;

  sign_in (RS_DEMO_MANAGER_NO, RS_DEMO_MANAGER_PIN);
  if (!go ("home"))
    return;
  check_screen ("manager's home");
  activate (GTK_WIDGET (state.window), "win.team-report");
  if (!go ("team"))
    return;
  /* Training needs are part of the report: make sure they are on it. */
  g_assert_true (gtk_widget_get_mapped (rs_frame_find_widget (GTK_WIDGET (state.window), "team-training")));
  check_screen ("team report");
  team = RS_TEAM_PAGE (rs_window_get_page (state.window, "team"));
  report = rs_team_page_get_report (team);
  if (report != NULL && report->members->len > 0)
    {
      const RsReportMember *member = g_ptr_array_index (report->members, 0);

      gtk_widget_activate_action (GTK_WIDGET (team), "team.open-member", "x", member->person_id);
      if (go ("member"))
        check_screen ("member");
    }
}

static void
test_admin (void)
{
  sign_in (RS_DEMO_ADMIN_NO, RS_DEMO_ADMIN_PIN);
  if (!go ("home"))
    return;
  activate (GTK_WIDGET (state.window), "win.admin");
  if (go ("admin"))
    {
      /* Each of its tabs: only the one shown is on screen. */
      static const char *const tabs[] = { "people", "teams", "bank", "settings", "exchange" };
      AdwViewStack *stack = ADW_VIEW_STACK (find_type (rs_window_get_page (state.window, "admin"),
                                                       ADW_TYPE_VIEW_STACK));

      for (guint i = 0; i < G_N_ELEMENTS (tabs); i++)
        {
          g_autofree char *screen = g_strdup_printf ("administration, %s", tabs[i]);

          adw_view_stack_set_visible_child_name (stack, tabs[i]);
          check_screen (screen);
        }
      /* The privacy settings are part of the settings tab. */
      adw_view_stack_set_visible_child_name (stack, "settings");
      g_assert_true (gtk_widget_get_mapped (rs_frame_find_widget (GTK_WIDGET (stack), "settings-privacy")));
    }
  activate (GTK_WIDGET (state.window), "win.done");
}

static gint64 now_us;

static gint64
fake_clock (gpointer data)
{
  return now_us;
}

static void
test_kiosk (void)
{
  RsKioskController *kiosk = rs_kiosk_controller_attach (state.window);

  now_us = 1000 * G_USEC_PER_SEC;
  rs_kiosk_controller_set_clock (kiosk, fake_clock, NULL);
  rs_kiosk_controller_set_timeouts (kiosk, 60, RS_KIOSK_WARNING_SECONDS);
  check_screen ("kiosk attract screen");
  rs_kiosk_controller_start (kiosk);
  now_us += 61 * G_USEC_PER_SEC;
  rs_kiosk_controller_poll (kiosk);
  check_screen ("kiosk idle warning");
  rs_kiosk_controller_activity (kiosk);
  rs_kiosk_controller_ask_exit (kiosk);
  check_screen ("kiosk exit");
}

/* --- set-up --- */

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

/* The catalog is installed as the language en@pseudo in a folder of its
 * own, before anything is translated (GLib decides once whether to). */
static void
use_pseudo_locale (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *folder = g_build_filename (state.dir, "locale", "en@pseudo", "LC_MESSAGES", NULL);
  g_autofree char *mo = g_build_filename (folder, GETTEXT_PACKAGE ".mo", NULL);
  g_autofree char *locale_dir = g_build_filename (state.dir, "locale", NULL);
  g_autofree char *contents = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (RESKILL_PSEUDO_MO, &contents, &length, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  g_assert_true (g_file_set_contents (mo, contents, (gssize) length, &error));
  g_setenv ("LANGUAGE", "en@pseudo", TRUE);
  /* gtk_test_init chose the C locale, under which gettext ignores LANGUAGE. */
  g_assert_nonnull (setlocale (LC_ALL, "C.UTF-8"));
  bindtextdomain (GETTEXT_PACKAGE, locale_dir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_assert_true (g_str_has_prefix (_("Python"), OPEN));
}

static void
set_up (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *questions = source_path ("questions", NULL);
  g_autofree char *roles = source_path ("data", "roles.yaml", NULL);
  RsDemoConfig config = { .n_people = 6, .attempts_per_person = 2, .seed = 11 };

  state.dir = g_dir_make_tmp ("reskill-pseudo-gui-XXXXXX", &error);
  g_assert_no_error (error);
  use_pseudo_locale ();
  state.db = g_build_filename (state.dir, "reskill.db", NULL);
  state.bank = rs_bank_new ();
  g_assert_true (rs_bank_load_dir (state.bank, questions, &error));
  {
    g_autoptr (RsStore) store = rs_store_open (state.db, &error);

    g_assert_no_error (error);
    g_assert_true (rs_demo_seed (store, state.bank, &config, &error));
    g_assert_no_error (error);
  }
  state.context = rs_context_load (state.db, questions, roles);
  collect_exempt ();
  state.window = rs_window_new (NULL, state.context);
  gtk_window_present (GTK_WINDOW (state.window));
}

int
main (int argc, char **argv)
{
  g_autoptr (GPtrArray) args = g_ptr_array_new ();
  int status;

  /* Every screen is read even when one fails: the log is the list of what
   * is left to mark. */
  for (int i = 0; i < argc; i++)
    g_ptr_array_add (args, argv[i]);
  g_ptr_array_add (args, (char *) "--keep-going");
  g_ptr_array_add (args, NULL);
  argc = (int) args->len - 1;
  argv = (char **) args->pdata;
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  gtk_source_init ();
  set_up ();

  g_test_add_func ("/gui/pseudo-locale/welcome", test_welcome);
  g_test_add_func ("/gui/pseudo-locale/sign-in", test_sign_in);
  g_test_add_func ("/gui/pseudo-locale/employee", test_choose_quiz_results_history);
  g_test_add_func ("/gui/pseudo-locale/manager", test_manager);
  g_test_add_func ("/gui/pseudo-locale/admin", test_admin);
  /* After the manager and the admin: it changes the policy, which shows
   * everyone the notice again. */
  g_test_add_func ("/gui/pseudo-locale/notice", test_notice);
  g_test_add_func ("/gui/pseudo-locale/kiosk", test_kiosk);
  status = g_test_run ();

  gtk_window_destroy (GTK_WINDOW (state.window));
  g_clear_object (&state.context);
  g_clear_pointer (&state.exempt, g_hash_table_unref);
  g_clear_pointer (&state.bank, rs_bank_free);
  return status;
}
