/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Navigation lives here and only here: pages report what happened (signed
 * in, started, finished, paused) and the window decides where to go. That
 * keeps each page testable alone and the flow readable in one place.
 *
 * When the window goes away mid-quiz nothing needs saving: every answer was
 * committed before its next question appeared. */
#include "rs-window.h"

#include <glib/gi18n-lib.h>

#include "rs-a11y.h"
#include "rs-admin-page.h"
#include "rs-choose-page.h"
#include "rs-dialogs.h"
#include "rs-first-run-page.h"
#include "rs-change-pin-page.h"
#include "rs-history-page.h"
#include "rs-home-page.h"
#include "rs-member-page.h"
#include "rs-notice-page.h"
#include "rs-privacy.h"
#include "rs-quiz-page.h"
#include "rs-results-page.h"
#include "rs-sign-in-page.h"
#include "rs-team-page.h"
#include "rs-welcome-page.h"

struct _RsWindow
{
  AdwApplicationWindow parent_instance;

  RsContext *context;
  gboolean results_from_history;
  gboolean fatal;

  AdwToastOverlay *toast_overlay;
  AdwHeaderBar *header_bar;
  GtkWidget *menu_button;
  AdwWindowTitle *window_title;
  GtkWidget *back_button;
  GtkWidget *sign_out_button;
  GtkWidget *history_button;
  GtkStack *stack;
  RsWelcomePage *welcome_page;
  RsFirstRunPage *first_run_page;
  RsSignInPage *sign_in_page;
  RsChoosePage *choose_page;
  RsQuizPage *quiz_page;
  RsResultsPage *results_page;
  RsHistoryPage *history_page;
  RsChangePinPage *change_pin_page;
  RsNoticePage *notice_page;
  AdwStatusPage *error_page;
  GtkWidget *error_button;
};

G_DEFINE_FINAL_TYPE (RsWindow, rs_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_CONTEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The manager and administrator pages (home, team, member, admin): defined
 * together further down, before setup(). */
static gboolean is_manage_page (const char *page);
static void update_manage_actions (RsWindow *self);
static gboolean show_home (RsWindow *self);
static gboolean manage_back (RsWindow *self);
static void clear_pages (RsWindow *self);

static gboolean
is_page (RsWindow *self, const char *name)
{
  return g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), name) == 0;
}

static void
update_chrome (RsWindow *self)
{
  const RsPerson *person = rs_context_get_person (self->context);
  const char *page = gtk_stack_get_visible_child_name (self->stack);
  /* A one-time PIN is changed before anything else: only Sign Out leads
   * away from that page. */
  gboolean pin_forced = g_strcmp0 (page, "change-pin") == 0 && rs_change_pin_page_get_forced (self->change_pin_page);
  /* So is the privacy notice: confirmed, or Sign Out. */
  gboolean notice = g_strcmp0 (page, "notice") == 0;
  gboolean in_session = g_strcmp0 (page, "choose") == 0 || g_strcmp0 (page, "results") == 0
                        || g_strcmp0 (page, "history") == 0 || g_strcmp0 (page, "change-pin") == 0 || notice;
  gboolean can_back = !self->fatal && !pin_forced
                      && (g_strcmp0 (page, "sign-in") == 0 || g_strcmp0 (page, "choose") == 0
                          || g_strcmp0 (page, "results") == 0 || g_strcmp0 (page, "history") == 0
                          || g_strcmp0 (page, "change-pin") == 0);
  gboolean guest_session = person == NULL && (in_session || g_strcmp0 (page, "quiz") == 0);

  /* The manager and admin pages are part of a signed-in session too. */
  in_session = in_session || is_manage_page (page);
  can_back = can_back || (!self->fatal && is_manage_page (page));
  update_manage_actions (self);

  adw_window_title_set_subtitle (self->window_title,
                                 person != NULL ? person->name : guest_session ? _("Guest") : NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.back", can_back);
  gtk_widget_set_visible (self->back_button, can_back);
  {
    /* Back from the choose page, or from a guest's results, ends the
     * session (back_action): the arrow says so, to the eye and to a screen
     * reader, rather than signing someone out unannounced. */
    gboolean signs_out = g_strcmp0 (page, "choose") == 0
                         || (g_strcmp0 (page, "results") == 0 && person == NULL && !self->results_from_history);
    const char *back = !signs_out ? _("Back")
                       : person != NULL ? _("Sign Out and Go Back to the Start")
                       : _("Leave and Go Back to the Start");

    gtk_widget_set_tooltip_text (self->back_button, back);
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->back_button), GTK_ACCESSIBLE_PROPERTY_LABEL, back, -1);
  }
  /* As its button: Ctrl+H must not leave a question half answered. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.history", person != NULL && in_session && !pin_forced && !notice);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.change-pin", person != NULL && in_session && !pin_forced && !notice);
  gtk_widget_set_visible (self->history_button,
                          person != NULL && in_session && !pin_forced && !notice && g_strcmp0 (page, "history") != 0);
  gtk_widget_set_visible (self->sign_out_button, in_session);
  gtk_button_set_label (GTK_BUTTON (self->sign_out_button), person != NULL ? _("Sign _Out") : _("_Leave"));
}

void
rs_window_show_page (RsWindow *self, const char *name)
{
  g_return_if_fail (RS_IS_WINDOW (self));
  g_return_if_fail (gtk_stack_get_child_by_name (self->stack, name) != NULL);

  gtk_stack_set_visible_child_name (self->stack, name);
  update_chrome (self);

  /* Put the keyboard where the person will act next: the page's own
   * choice where it has one, else its first control (the focus chain is
   * reset first so that a page visited before starts from its top). */
  if (g_strcmp0 (name, "welcome") == 0)
    rs_welcome_page_focus (self->welcome_page);
  else if (g_strcmp0 (name, "sign-in") == 0)
    rs_sign_in_page_focus (self->sign_in_page);
  else
    {
      gtk_window_set_focus (GTK_WINDOW (self), NULL);
      gtk_widget_child_focus (gtk_stack_get_visible_child (self->stack), GTK_DIR_TAB_FORWARD);
    }
}

void
rs_window_show_toast (RsWindow *self, const char *text)
{
  AdwToast *toast;

  g_return_if_fail (RS_IS_WINDOW (self));
  toast = adw_toast_new (text);
  adw_toast_set_timeout (toast, 5);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

void
rs_window_show_problem (RsWindow *self, const char *title, const char *description, gboolean fatal)
{
  g_return_if_fail (RS_IS_WINDOW (self));
  self->fatal = fatal;
  adw_status_page_set_title (self->error_page, title);
  adw_status_page_set_description (self->error_page, description);
  gtk_button_set_label (GTK_BUTTON (self->error_button), fatal ? _("_Quit") : _("_Back to Start"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->error_button), fatal ? "window.close" : "win.done");
  rs_window_show_page (self, "error");
  gtk_widget_grab_focus (self->error_button);
}

static void rebuild_person_pages (RsWindow *self);
static void adopt_page (RsWindow *self, RsPage *page);

static void
go_start (RsWindow *self)
{
  RsStore *store = rs_context_get_store (self->context);
  const char *page = gtk_stack_get_visible_child_name (self->stack);

  /* Leaving a session (signed in or guest): the pages that showed it are
   * replaced by fresh ones, so no label, field or cached widget keeps
   * anything of that person for the next one (the kiosk's rule). */
  if (rs_context_get_person (self->context) != NULL || rs_context_get_assessment (self->context) != NULL
      || (g_strcmp0 (page, "welcome") != 0 && g_strcmp0 (page, "first-run") != 0 && g_strcmp0 (page, "sign-in") != 0))
    rebuild_person_pages (self);
  clear_pages (self);
  rs_context_sign_out (self->context);
  /* The first-run page only on an empty database, or with a set-up code
   * made at the terminal: never for whoever walks up to a kiosk whose
   * people were imported without an administrator. */
  if (store != NULL && rs_store_first_run (store) != RS_FIRST_RUN_NONE)
    rs_window_show_page (self, "first-run");
  else
    rs_window_show_page (self, "welcome");
}

static void
show_choose (RsWindow *self)
{
  rs_choose_page_refresh (self->choose_page);
  rs_window_show_page (self, "choose");
}

static void
show_results (RsWindow *self, const char *uuid, gboolean from_history)
{
  g_autoptr (GError) error = NULL;

  if (!rs_results_page_show_attempt (self->results_page, uuid, &error))
    {
      g_autofree char *description = g_strdup_printf (_("%s. The answers are stored; ask an administrator to check the database."), error->message);
      rs_window_show_problem (self, _("The results cannot be shown"), description, FALSE);
      return;
    }
  self->results_from_history = from_history;
  rs_window_show_page (self, "results");
}

static void
show_history (RsWindow *self)
{
  g_autoptr (GError) error = NULL;

  if (!rs_history_page_refresh (self->history_page, &error))
    {
      g_autofree char *description = g_strdup_printf (_("%s. Try again later or ask an administrator."), error->message);
      rs_window_show_problem (self, _("Your history cannot be read"), description, FALSE);
      return;
    }
  rs_window_show_page (self, "history");
}

static void
sign_in_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  RsWindow *self = RS_WINDOW (widget);

  rs_page_clear (RS_PAGE (self->sign_in_page));
  rs_window_show_page (self, "sign-in");
}

static void
guest_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  RsWindow *self = RS_WINDOW (widget);

  /* A fresh guest: nothing of whoever stood here before. */
  rs_context_sign_out (self->context);
  show_choose (self);
}

static void
done_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  RsWindow *self = RS_WINDOW (widget);

  self->fatal = FALSE;
  go_start (self);
}

static void
history_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  RsWindow *self = RS_WINDOW (widget);

  if (rs_context_get_person (self->context) != NULL)
    show_history (self);
}

/* Where a signed-in person lands: their home (managers, admins) or the
 * choose page. */
static void
show_landing (RsWindow *self)
{
  if (!show_home (self))
    show_choose (self);
}

/* After signing in (and after a forced PIN change): the privacy notice
 * first when the person has not confirmed the version in force, else
 * their landing page. */
static void
continue_session (RsWindow *self)
{
  const RsPerson *person = rs_context_get_person (self->context);
  RsStore *store = rs_context_get_store (self->context);
  g_autoptr (GError) error = NULL;

  if (person != NULL && store != NULL && rs_privacy_notice_needed (store, person))
    {
      if (!rs_notice_page_refresh (self->notice_page, &error))
        {
          g_autofree char *description = g_strdup_printf (_("%s. Try again, or ask an administrator."), error->message);
          rs_window_show_problem (self, _("The privacy notice cannot be shown"), description, FALSE);
          return;
        }
      rs_window_show_page (self, "notice");
      return;
    }
  show_landing (self);
}

static void
on_notice_confirmed (RsWindow *self)
{
  show_landing (self);
}

static void
change_pin_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  RsWindow *self = RS_WINDOW (widget);

  if (rs_context_get_person (self->context) == NULL)
    return;
  rs_change_pin_page_start (self->change_pin_page, FALSE);
  rs_window_show_page (self, "change-pin");
}

static void
on_pin_changed (RsWindow *self)
{
  rs_window_show_toast (self, _("Your new PIN is saved. Use it from now on."));
  continue_session (self);
}

static void
back_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  RsWindow *self = RS_WINDOW (widget);

  if (manage_back (self))
    return;
  if (is_page (self, "change-pin"))
    {
      if (!rs_change_pin_page_get_forced (self->change_pin_page))
        show_landing (self);
      return;
    }
  if (is_page (self, "sign-in") || is_page (self, "choose"))
    go_start (self);
  else if (is_page (self, "history"))
    show_choose (self);
  else if (is_page (self, "results"))
    {
      if (self->results_from_history)
        show_history (self);
      else if (rs_context_get_person (self->context) != NULL)
        show_choose (self);
      else
        go_start (self);
    }
}

static void
on_admin_created (RsWindow *self, gint64 person_id)
{
  rs_window_show_toast (self, _("Administrator created. People can now sign in; add more from the admin tools."));
  go_start (self);
}

static void
on_signed_in (RsWindow *self, const RsPerson *person)
{
  g_autoptr (GError) error = NULL;
  RsPerson *copy = rs_store_get_person (rs_context_get_store (self->context), person->id, &error);

  if (copy == NULL)
    {
      g_autofree char *description = g_strdup_printf (_("%s. Try again, or ask an administrator."), error->message);
      rs_window_show_problem (self, _("Signing in failed"), description, FALSE);
      return;
    }
  rs_context_set_person (self->context, copy);
  /* A PIN an administrator made is changed first, before anything else. */
  {
    gboolean one_time = FALSE;

    if (!rs_store_pin_is_one_time (rs_context_get_store (self->context), copy->id, &one_time, &error))
      g_debug ("Cannot tell whether the PIN is one-time: %s", error->message);
    if (one_time)
      {
        rs_change_pin_page_start (self->change_pin_page, TRUE);
        rs_window_show_page (self, "change-pin");
        return;
      }
  }
  /* Then the privacy notice when it is due; managers and admins land on
   * their home, employees choose at once. */
  continue_session (self);
}

static void
on_started (RsWindow *self)
{
  /* Page first, question second: the question is filled in on a page that
   * is mapped, and its focus goes to the first option. */
  rs_window_show_page (self, "quiz");
  rs_quiz_page_refresh (self->quiz_page);
  /* A resumed attempt may already be complete (closed between the last
   * answer and the results): finish it at once. */
  if (rs_quiz_page_get_item (self->quiz_page) == NULL)
    gtk_widget_activate_action (GTK_WIDGET (self->quiz_page), "quiz.submit", NULL);
}

static void
on_finished (RsWindow *self)
{
  RsAssessment *assessment = rs_context_get_assessment (self->context);
  g_autofree char *uuid = g_strdup (rs_assessment_uuid (assessment));

  rs_context_set_assessment (self->context, NULL);
  show_results (self, uuid, FALSE);
}

static void
on_paused (RsWindow *self)
{
  RsAssessment *assessment = rs_context_get_assessment (self->context);

  if (assessment != NULL && rs_context_get_person (self->context) == NULL)
    rs_context_set_guest_paused (self->context, rs_assessment_uuid (assessment));
  rs_context_set_assessment (self->context, NULL);
  show_choose (self);
  rs_window_show_toast (self, rs_context_get_person (self->context) != NULL
                                ? _("Paused. Every answer is saved; sign in any time to continue.")
                                : _("Paused. Every answer is saved; continue before you leave, as guests cannot come back to it."));
}

static void
on_open_attempt (RsWindow *self, const char *uuid)
{
  show_results (self, uuid, TRUE);
}

/* Swaps one stack page for a fresh widget under the same name. The old one
 * is disposed at once: as a template child the window would otherwise keep
 * it, with all its labels, until the window itself goes. */
static void
replace_page (RsWindow *self, GtkWidget *old, GtkWidget *fresh)
{
  GtkStackPage *page = gtk_stack_get_page (self->stack, old);
  g_autofree char *name = g_strdup (gtk_stack_page_get_name (page));
  g_autofree char *title = g_strdup (gtk_stack_page_get_title (page));
  gboolean visible = gtk_stack_get_visible_child (self->stack) == old;

  g_object_ref (old);
  gtk_stack_add_titled (self->stack, fresh, NULL, title);
  if (visible)
    gtk_stack_set_visible_child (self->stack, fresh);
  gtk_stack_remove (self->stack, old);
  gtk_stack_page_set_name (gtk_stack_get_page (self->stack, fresh), name);
  g_object_run_dispose (G_OBJECT (old));
  g_object_unref (old);
  adopt_page (self, RS_PAGE (fresh));
}

static void
rebuild_person_pages (RsWindow *self)
{
  GtkWidget *choose = rs_choose_page_new ();
  GtkWidget *quiz = rs_quiz_page_new ();
  GtkWidget *results = rs_results_page_new ();
  GtkWidget *history = rs_history_page_new ();

  g_signal_connect_swapped (choose, "started", G_CALLBACK (on_started), self);
  g_signal_connect_swapped (quiz, "finished", G_CALLBACK (on_finished), self);
  g_signal_connect_swapped (quiz, "paused", G_CALLBACK (on_paused), self);
  g_signal_connect_swapped (history, "open-attempt", G_CALLBACK (on_open_attempt), self);
  replace_page (self, GTK_WIDGET (self->choose_page), choose);
  replace_page (self, GTK_WIDGET (self->quiz_page), quiz);
  replace_page (self, GTK_WIDGET (self->results_page), results);
  replace_page (self, GTK_WIDGET (self->history_page), history);
  self->choose_page = RS_CHOOSE_PAGE (choose);
  self->quiz_page = RS_QUIZ_PAGE (quiz);
  self->results_page = RS_RESULTS_PAGE (results);
  self->history_page = RS_HISTORY_PAGE (history);
}

/* --- the manager and administrator pages --- */

static gboolean
is_manage_page (const char *page)
{
  return g_strcmp0 (page, "home") == 0 || g_strcmp0 (page, "team") == 0 || g_strcmp0 (page, "member") == 0
         || g_strcmp0 (page, "admin") == 0;
}

static gboolean
person_has_home (RsWindow *self)
{
  const RsPerson *person = rs_context_get_person (self->context);
  return person != NULL && person->role != RS_PERSON_EMPLOYEE;
}

static gboolean
person_is_admin (RsWindow *self)
{
  const RsPerson *person = rs_context_get_person (self->context);
  return person != NULL && person->role == RS_PERSON_ADMIN;
}

/* Only what the person's role allows is enabled; the core refuses the rest
 * anyway (rs-access), this keeps it off the screen and the keyboard. */
static void
update_manage_actions (RsWindow *self)
{
  /* Not from a question: their keys (Ctrl+N, Ctrl+T, Alt+Home) would
   * leave it half answered. */
  gboolean manager = !self->fatal && person_has_home (self) && !is_page (self, "quiz") && !is_page (self, "notice")
                     && !(is_page (self, "change-pin") && rs_change_pin_page_get_forced (self->change_pin_page));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.home", manager);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.take", manager);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.team-report", manager);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.admin", manager && person_is_admin (self));
}

static gboolean
show_home (RsWindow *self)
{
  RsHomePage *home = RS_HOME_PAGE (rs_window_get_page (self, "home"));

  if (!person_has_home (self))
    return FALSE;
  rs_home_page_refresh (home);
  rs_window_show_page (self, "home");
  rs_home_page_focus (home);
  return TRUE;
}

static void
show_team (RsWindow *self)
{
  g_autoptr (GError) error = NULL;

  if (!rs_team_page_refresh (RS_TEAM_PAGE (rs_window_get_page (self, "team")), &error))
    {
      g_autofree char *description = g_strdup_printf (_("%s. Try again later or ask an administrator."), error->message);
      rs_window_show_problem (self, _("The team report cannot be shown"), description, FALSE);
      return;
    }
  rs_window_show_page (self, "team");
}

static void
show_admin (RsWindow *self)
{
  g_autoptr (GError) error = NULL;

  if (!rs_admin_page_refresh (RS_ADMIN_PAGE (rs_window_get_page (self, "admin")), &error))
    {
      g_autofree char *description = g_strdup_printf (_("%s. Try again later."), error->message);
      rs_window_show_problem (self, _("Administration cannot be shown"), description, FALSE);
      return;
    }
  rs_window_show_page (self, "admin");
}

static void
home_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  show_home (RS_WINDOW (widget));
}

static void
take_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  RsWindow *self = RS_WINDOW (widget);

  if (person_has_home (self))
    show_choose (self);
}

static void
team_report_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  RsWindow *self = RS_WINDOW (widget);

  if (person_has_home (self))
    show_team (self);
}

static void
admin_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  RsWindow *self = RS_WINDOW (widget);

  if (person_is_admin (self))
    show_admin (self);
}

static void
on_open_member (RsWindow *self, gint64 person_id)
{
  g_autoptr (GError) error = NULL;

  if (!rs_member_page_show_member (RS_MEMBER_PAGE (rs_window_get_page (self, "member")), person_id, &error))
    {
      rs_window_show_toast (self, error->message);
      return;
    }
  rs_window_show_page (self, "member");
}

/* Back from these pages, and from choose and history for someone who has
 * a home: FALSE when the usual rules apply. */
static gboolean
manage_back (RsWindow *self)
{
  if (is_page (self, "member"))
    {
      rs_page_clear (RS_PAGE (rs_window_get_page (self, "member")));
      rs_window_show_page (self, "team");
      return TRUE;
    }
  if (is_page (self, "home"))
    {
      go_start (self);
      return TRUE;
    }
  if (is_page (self, "team") || is_page (self, "admin") || is_page (self, "choose") || is_page (self, "history"))
    return show_home (self);
  return FALSE;
}

/* --- every page --- */

/* Nothing of the last person stays: each page forgets what it showed (the
 * person's own pages are new widgets already, rebuild_person_pages). */
static void
clear_pages (RsWindow *self)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->stack)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (RS_IS_PAGE (child))
      rs_page_clear (RS_PAGE (child));
}

static void
on_page_toast (RsWindow *self, const char *text)
{
  rs_window_show_toast (self, text);
}

static gboolean
on_page_error (RsWindow *self, const char *heading, const char *message)
{
  rs_dialog_message (GTK_WIDGET (self), "error-dialog", heading, message);
  return TRUE;
}

/* A page of the stack, from the template or new: it gets the window's
 * context, and its toasts and errors are the window's to show. */
static void
adopt_page (RsWindow *self, RsPage *page)
{
  rs_page_set_context (page, self->context);
  g_signal_connect_object (page, "toast", G_CALLBACK (on_page_toast), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (page, "error", G_CALLBACK (on_page_error), self, G_CONNECT_SWAPPED);
}

static void
setup (RsWindow *self)
{
  const char *problem = rs_context_get_problem_title (self->context);
  const RsBank *bank = rs_context_get_bank (self->context);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->stack)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (RS_IS_PAGE (child))
      adopt_page (self, RS_PAGE (child));

  if (problem != NULL)
    {
      rs_window_show_problem (self, problem, rs_context_get_problem_description (self->context), TRUE);
      return;
    }
  if (bank != NULL && rs_bank_n_items (bank) == 0)
    {
      rs_window_show_problem (self, _("There Are No Questions"),
                              _("The question bank is empty, so no assessment can run. Start Reskill with --questions pointing to the question folder, or ask an administrator to add questions."),
                              TRUE);
      return;
    }
  go_start (self);
  if (rs_context_get_warning (self->context) != NULL)
    rs_window_show_toast (self, rs_context_get_warning (self->context));
}

static void
rs_window_constructed (GObject *object)
{
  RsWindow *self = RS_WINDOW (object);

  G_OBJECT_CLASS (rs_window_parent_class)->constructed (object);
  if (self->context == NULL)
    self->context = rs_context_new (NULL, NULL, NULL);
  setup (self);
}

static void
rs_window_dispose (GObject *object)
{
  RsWindow *self = RS_WINDOW (object);

  g_clear_object (&self->context);
  G_OBJECT_CLASS (rs_window_parent_class)->dispose (object);
}

static void
rs_window_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  RsWindow *self = RS_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rs_window_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  RsWindow *self = RS_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      /* Construct-only: the pages are wired to it once. */
      self->context = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* --- the app's chrome --- */

/* The primary menu (ui/rs-primary-menu.ui) at the very end of the header
 * bar, where GNOME puts it: after the buttons the template packed, before
 * the window controls. F10 opens it. */
static void
add_primary_menu (RsWindow *self)
{
  g_autoptr (GtkBuilder) builder = gtk_builder_new_from_resource ("/io/github/reskill/Reskill/rs-primary-menu.ui");
  GtkWidget *button = gtk_menu_button_new ();
  GtkWidget *box, *last;

  gtk_widget_set_name (button, "window-menu");
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (button), "open-menu-symbolic");
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (button),
                                  G_MENU_MODEL (gtk_builder_get_object (builder, "primary_menu")));
  gtk_menu_button_set_primary (GTK_MENU_BUTTON (button), TRUE);
  gtk_widget_set_tooltip_text (button, _("Main Menu"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Main Menu"), -1);
  adw_header_bar_pack_end (self->header_bar, button);
  self->menu_button = button;

  /* pack_end puts a later child nearer the middle; move it to the end of
   * its box, before the window controls if they share it. */
  box = gtk_widget_get_parent (button);
  for (last = box != NULL ? gtk_widget_get_last_child (box) : NULL; last != NULL && GTK_IS_WINDOW_CONTROLS (last);
       last = gtk_widget_get_prev_sibling (last))
    ;
  if (GTK_IS_BOX (box) && last != NULL && last != button)
    gtk_box_reorder_child_after (GTK_BOX (box), button, last);
}

void
rs_window_set_kiosk_chrome (RsWindow *self, gboolean kiosk)
{
  GtkApplication *app;
  GAction *action;

  g_return_if_fail (RS_IS_WINDOW (self));

  /* Hidden, and unreachable by key: F10 belongs to the primary menu
   * button, and a kiosk's button is neither primary nor sensitive. */
  gtk_widget_set_visible (self->menu_button, !kiosk);
  gtk_widget_set_sensitive (self->menu_button, !kiosk);
  gtk_menu_button_set_primary (GTK_MENU_BUTTON (self->menu_button), !kiosk);
  if (kiosk)
    gtk_menu_button_popdown (GTK_MENU_BUTTON (self->menu_button));

  /* The shortcuts window (Ctrl+?) and About are toplevels of their own:
   * nothing a walk-up person should open on a kiosk. */
  action = g_action_map_lookup_action (G_ACTION_MAP (self), "show-help-overlay");
  if (G_IS_SIMPLE_ACTION (action))
    g_simple_action_set_enabled (G_SIMPLE_ACTION (action), !kiosk);
  app = gtk_window_get_application (GTK_WINDOW (self));
  action = app != NULL ? g_action_map_lookup_action (G_ACTION_MAP (app), "about") : NULL;
  if (G_IS_SIMPLE_ACTION (action))
    g_simple_action_set_enabled (G_SIMPLE_ACTION (action), !kiosk);
}

static void
rs_window_class_init (RsWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = rs_window_constructed;
  object_class->dispose = rs_window_dispose;
  object_class->get_property = rs_window_get_property;
  object_class->set_property = rs_window_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, RS_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_action (widget_class, "win.sign-in", NULL, sign_in_action);
  gtk_widget_class_install_action (widget_class, "win.guest", NULL, guest_action);
  gtk_widget_class_install_action (widget_class, "win.done", NULL, done_action);
  gtk_widget_class_install_action (widget_class, "win.history", NULL, history_action);
  gtk_widget_class_install_action (widget_class, "win.change-pin", NULL, change_pin_action);
  gtk_widget_class_install_action (widget_class, "win.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "win.home", NULL, home_action);
  gtk_widget_class_install_action (widget_class, "win.take", NULL, take_action);
  gtk_widget_class_install_action (widget_class, "win.team-report", NULL, team_report_action);
  gtk_widget_class_install_action (widget_class, "win.admin", NULL, admin_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "win.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "win.back", NULL);

  g_type_ensure (RS_TYPE_WELCOME_PAGE);
  g_type_ensure (RS_TYPE_FIRST_RUN_PAGE);
  g_type_ensure (RS_TYPE_SIGN_IN_PAGE);
  g_type_ensure (RS_TYPE_CHOOSE_PAGE);
  g_type_ensure (RS_TYPE_QUIZ_PAGE);
  g_type_ensure (RS_TYPE_RESULTS_PAGE);
  g_type_ensure (RS_TYPE_HISTORY_PAGE);
  g_type_ensure (RS_TYPE_CHANGE_PIN_PAGE);
  g_type_ensure (RS_TYPE_NOTICE_PAGE);
  g_type_ensure (RS_TYPE_HOME_PAGE);
  g_type_ensure (RS_TYPE_TEAM_PAGE);
  g_type_ensure (RS_TYPE_MEMBER_PAGE);
  g_type_ensure (RS_TYPE_ADMIN_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/reskill/Reskill/ui/rs-window.ui");
  gtk_widget_class_bind_template_child (widget_class, RsWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, RsWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, RsWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, RsWindow, back_button);
  gtk_widget_class_bind_template_child (widget_class, RsWindow, sign_out_button);
  gtk_widget_class_bind_template_child (widget_class, RsWindow, history_button);
  gtk_widget_class_bind_template_child (widget_class, RsWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, RsWindow, welcome_page);
  gtk_widget_class_bind_template_child (widget_class, RsWindow, first_run_page);
  gtk_widget_class_bind_template_child (widget_class, RsWindow, sign_in_page);
  gtk_widget_class_bind_template_child (widget_class, RsWindow, choose_page);
  gtk_widget_class_bind_template_child (widget_class, RsWindow, quiz_page);
  gtk_widget_class_bind_template_child (widget_class, RsWindow, results_page);
  gtk_widget_class_bind_template_child (widget_class, RsWindow, history_page);
  gtk_widget_class_bind_template_child (widget_class, RsWindow, change_pin_page);
  gtk_widget_class_bind_template_child (widget_class, RsWindow, notice_page);
  gtk_widget_class_bind_template_child (widget_class, RsWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, RsWindow, error_button);
  gtk_widget_class_bind_template_callback (widget_class, on_admin_created);
  gtk_widget_class_bind_template_callback (widget_class, on_signed_in);
  gtk_widget_class_bind_template_callback (widget_class, on_started);
  gtk_widget_class_bind_template_callback (widget_class, on_finished);
  gtk_widget_class_bind_template_callback (widget_class, on_paused);
  gtk_widget_class_bind_template_callback (widget_class, on_open_attempt);
  gtk_widget_class_bind_template_callback (widget_class, on_pin_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_notice_confirmed);
  gtk_widget_class_bind_template_callback (widget_class, on_open_member);
}

static void
rs_window_init (RsWindow *self)
{
  GtkIconTheme *theme = gtk_icon_theme_get_for_display (gtk_widget_get_display (GTK_WIDGET (self)));

  /* The app icon ships in the resource, so it shows even when the program
   * runs uninstalled (tests, screenshots). Once per display. */
  if (g_object_get_data (G_OBJECT (theme), "rs-icons") == NULL)
    {
      gtk_icon_theme_add_resource_path (theme, "/io/github/reskill/Reskill/icons");
      g_object_set_data (G_OBJECT (theme), "rs-icons", GINT_TO_POINTER (1));
    }
  gtk_widget_init_template (GTK_WIDGET (self));
  add_primary_menu (self);
  rs_a11y_fix_button_names (GTK_WIDGET (self));
}

RsWindow *
rs_window_new (GtkApplication *app, RsContext *context)
{
  return g_object_new (RS_TYPE_WINDOW, "application", app, "context", context, NULL);
}

RsContext *
rs_window_get_context (RsWindow *self)
{
  g_return_val_if_fail (RS_IS_WINDOW (self), NULL);
  return self->context;
}

const char *
rs_window_get_page_name (RsWindow *self)
{
  g_return_val_if_fail (RS_IS_WINDOW (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

GtkWidget *
rs_window_get_page (RsWindow *self, const char *name)
{
  g_return_val_if_fail (RS_IS_WINDOW (self), NULL);
  return gtk_stack_get_child_by_name (self->stack, name);
}
