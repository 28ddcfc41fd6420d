/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The window through its accessible tree, as a screen reader user meets it
 * (issue 11): sign in with a demo account, take a quick assessment and
 * reach the results, finding every control by its accessible role and name
 * and activating it with its default action (tests/gui-a11y-util.c says
 * how names are computed under GTK 4.8). No pointer position, no template
 * child, no page action called from the test. On every screen passed, the
 * findings of issue 11 are checked: each control has a name, no name is
 * doubled or carries a mnemonic underscore, the length choices are radio
 * buttons, filled fields read back their text, the PIN's show/hide button
 * and the review rows and the skill chips have names, and the kiosk's exit
 * overlay is a dialog. */
#include <glib/gstdio.h>
#include <string.h>

#include <adwaita.h>
#include <gtksourceview/gtksource.h>

#include "gui-a11y-util.h"
#include "rs-context.h"
#include "rs-demo.h"
#include "rs-frame.h"
#include "rs-kiosk-controller.h"
#include "rs-window.h"

#define TIMEOUT_MS 20000

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
setup (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *questions = source_path ("questions", NULL);
  g_autofree char *roles = source_path ("data", "roles.yaml", NULL);
  g_autoptr (RsBank) bank = rs_bank_new ();
  RsDemoConfig config = { .n_people = 2, .attempts_per_person = 0, .seed = 7 };

  fixture->dir = g_dir_make_tmp ("reskill-a11y-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->db = g_build_filename (fixture->dir, "reskill.db", NULL);
  g_assert_true (rs_bank_load_dir (bank, questions, &error));
  g_assert_no_error (error);
  {
    g_autoptr (RsStore) store = rs_store_open (fixture->db, &error);

    g_assert_no_error (error);
    g_assert_true (rs_demo_seed (store, bank, &config, &error));
    g_assert_no_error (error);
  }
  fixture->context = rs_context_load (fixture->db, questions, roles);
  g_assert_null (rs_context_get_problem_title (fixture->context));
  fixture->window = rs_window_new (NULL, fixture->context);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1024, 768);
}

static void
present (Fixture *fixture)
{
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

static GtkWidget *
root (Fixture *fixture)
{
  return GTK_WIDGET (fixture->window);
}

typedef struct {
  GtkWidget *root;
  GtkAccessibleRole role;
  const char *name;
  gboolean prefix;
} Wanted;

static gboolean
on_screen (gpointer data)
{
  Wanted *wanted = data;

  return (wanted->prefix ? gui_a11y_find_prefix (wanted->root, wanted->role, wanted->name)
                         : gui_a11y_find (wanted->root, wanted->role, wanted->name)) != NULL;
}

/* Waits until a control with this role and name is on screen (a page
 * changed, a PIN was checked), and returns it. */
static GtkWidget *
wait_for (Fixture *fixture, GtkAccessibleRole role, const char *name)
{
  Wanted wanted = { root (fixture), role, name, FALSE };

  rs_frame_wait_until (on_screen, &wanted, TIMEOUT_MS);
  return gui_a11y_get (root (fixture), role, name);
}

/* --- issue 11's findings, checked on whatever is on screen --- */

static const GtkAccessibleRole named_roles[] = {
  GTK_ACCESSIBLE_ROLE_BUTTON, GTK_ACCESSIBLE_ROLE_CHECKBOX, GTK_ACCESSIBLE_ROLE_RADIO,
  GTK_ACCESSIBLE_ROLE_SWITCH, GTK_ACCESSIBLE_ROLE_TEXT_BOX, GTK_ACCESSIBLE_ROLE_SPIN_BUTTON,
  GTK_ACCESSIBLE_ROLE_LIST_ITEM, GTK_ACCESSIBLE_ROLE_GRID_CELL, GTK_ACCESSIBLE_ROLE_DIALOG,
  GTK_ACCESSIBLE_ROLE_COMBO_BOX,
};

/* "X X" or "X Y X Y": the same words twice over. */
static gboolean
doubled (const char *name)
{
  gsize len = strlen (name);

  return len >= 3 && len % 2 == 1 && name[len / 2] == ' ' && strncmp (name, name + len / 2 + 1, len / 2) == 0;
}

/* Every control on screen under top has a name of its own: not empty (which
 * AT-SPI shows as the type name), not the raw mnemonic ("_Sign In"), not
 * doubled ("Python Python"). Returns how many were checked. */
static guint
assert_controls_named (GtkWidget *top, const char *where)
{
  guint n_bad = 0, n_checked = 0;

  for (guint r = 0; r < G_N_ELEMENTS (named_roles); r++)
    {
      g_autoptr (GPtrArray) all = gui_a11y_find_all (top, named_roles[r]);

      for (guint i = 0; i < all->len; i++)
        {
          GtkWidget *widget = g_ptr_array_index (all, i);
          g_autofree char *name = gui_a11y_name (widget);
          const char *wrong = NULL;

          n_checked++;
          if (*name == '\0')
            wrong = "has no name";
          else if (name[0] == '_' || strstr (name, " _") != NULL)
            wrong = "shows its mnemonic underscore";
          else if (doubled (name))
            wrong = "says its name twice";
          if (wrong != NULL)
            {
              g_test_message ("%s: %s \"%s\" (%s, widget name %s) %s", where,
                              gui_a11y_role_name (named_roles[r]), name, G_OBJECT_TYPE_NAME (widget),
                              gtk_widget_get_name (widget), wrong);
              n_bad++;
            }
        }
    }
  g_test_message ("%s: %u controls named", where, n_checked);
  g_assert_cmpuint (n_bad, ==, 0);
  return n_checked;
}

/* The PIN form's fields: text boxes named by their rows, that read back
 * what was typed; the PIN's show/hide button named, and renamed when the
 * PIN shows. */
static void
assert_pin_form (GtkWidget *top, const char *number)
{
  GtkWidget *number_box = gui_a11y_get (top, GTK_ACCESSIBLE_ROLE_TEXT_BOX, "Employee number");
  GtkWidget *show;
  g_autofree char *typed = gui_a11y_text (number_box);

  g_assert_cmpstr (typed, ==, number);
  gui_a11y_get (top, GTK_ACCESSIBLE_ROLE_TEXT_BOX, "PIN");
  show = gui_a11y_get (top, GTK_ACCESSIBLE_ROLE_BUTTON, "Show PIN");
  gui_a11y_activate (show);
  g_assert_true (gui_a11y_find (top, GTK_ACCESSIBLE_ROLE_BUTTON, "Hide PIN") == show);
  gui_a11y_activate (show);
  g_assert_true (gui_a11y_find (top, GTK_ACCESSIBLE_ROLE_BUTTON, "Show PIN") == show);
}

/* Digits on the on-screen keypad, each a button named by its digit. */
static void
keypad (GtkWidget *top, const char *digits)
{
  for (const char *p = digits; *p != '\0'; p++)
    {
      char name[2] = { *p, '\0' };
      gui_a11y_press (top, GTK_ACCESSIBLE_ROLE_BUTTON, name);
    }
}

/* --- the walk --- */

static void
sign_in (Fixture *fixture)
{
  g_autofree char *typed = NULL;

  assert_controls_named (root (fixture), "welcome");
  gui_a11y_press (root (fixture), GTK_ACCESSIBLE_ROLE_BUTTON, "Sign In");
  wait_for (fixture, GTK_ACCESSIBLE_ROLE_TEXT_BOX, "Employee number");
  keypad (root (fixture), RS_DEMO_EMPLOYEE_NO);
  gui_a11y_press (root (fixture), GTK_ACCESSIBLE_ROLE_BUTTON, "OK");
  assert_pin_form (root (fixture), RS_DEMO_EMPLOYEE_NO);
  keypad (root (fixture), RS_DEMO_EMPLOYEE_PIN);
  typed = gui_a11y_text (gui_a11y_get (root (fixture), GTK_ACCESSIBLE_ROLE_TEXT_BOX, "PIN"));
  g_assert_cmpstr (typed, ==, RS_DEMO_EMPLOYEE_PIN);
  assert_controls_named (root (fixture), "sign-in");
  gui_a11y_press (root (fixture), GTK_ACCESSIBLE_ROLE_BUTTON, "Sign In");
}

static void
choose_quick_two (Fixture *fixture)
{
  const char *others[] = { "Machine learning", "Empathy" };
  GtkWidget *quick;
  g_autoptr (GPtrArray) checks = NULL;

  wait_for (fixture, GTK_ACCESSIBLE_ROLE_BUTTON, "Start Assessment");
  assert_controls_named (root (fixture), "choose");

  /* The lengths are one choice of three: radio buttons, not check boxes. */
  g_assert_nonnull (gui_a11y_find (root (fixture), GTK_ACCESSIBLE_ROLE_RADIO, "Standard"));
  g_assert_nonnull (gui_a11y_find (root (fixture), GTK_ACCESSIBLE_ROLE_RADIO, "Precise"));
  g_assert_null (gui_a11y_find (root (fixture), GTK_ACCESSIBLE_ROLE_CHECKBOX, "Quick"));
  quick = gui_a11y_get (root (fixture), GTK_ACCESSIBLE_ROLE_RADIO, "Quick");
  gui_a11y_activate (quick);
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (quick)));

  /* Python and statistics: the full assessment off, two skills ticked off. */
  gui_a11y_activate (gui_a11y_get (root (fixture), GTK_ACCESSIBLE_ROLE_SWITCH, "Full assessment"));
  for (guint i = 0; i < G_N_ELEMENTS (others); i++)
    {
      GtkWidget *check = wait_for (fixture, GTK_ACCESSIBLE_ROLE_CHECKBOX, others[i]);
      gui_a11y_activate (check);
      g_assert_false (gtk_check_button_get_active (GTK_CHECK_BUTTON (check)));
    }
  checks = gui_a11y_find_all (root (fixture), GTK_ACCESSIBLE_ROLE_CHECKBOX);
  g_assert_cmpuint (checks->len, ==, 4);
  assert_controls_named (root (fixture), "choose, skills shown");
  gui_a11y_press (root (fixture), GTK_ACCESSIBLE_ROLE_BUTTON, "Start Assessment");
}

static gboolean
quiz_or_results (gpointer data)
{
  GtkWidget *top = data;

  return gui_a11y_find (top, GTK_ACCESSIBLE_ROLE_BUTTON, "Submit Answer") != NULL
         || gui_a11y_find (top, GTK_ACCESSIBLE_ROLE_BUTTON, "Done, Sign Out") != NULL;
}

/* Answers until the results show: the first option, or 1 in a number
 * field; returns how many. */
static guint
answer_all (Fixture *fixture)
{
  guint n = 0;

  g_assert_true (rs_frame_wait_until (quiz_or_results, root (fixture), TIMEOUT_MS));
  while (gui_a11y_find (root (fixture), GTK_ACCESSIBLE_ROLE_BUTTON, "Submit Answer") != NULL)
    {
      GtkWidget *option = gui_a11y_find_prefix (root (fixture), GTK_ACCESSIBLE_ROLE_BUTTON, "Option 1: ");

      if (n == 0)
        {
          /* The skill chips read as their text, not as their cell's type. */
          g_autoptr (GPtrArray) cells = gui_a11y_find_all (root (fixture), GTK_ACCESSIBLE_ROLE_GRID_CELL);
          g_autofree char *chip = NULL;

          g_assert_cmpuint (cells->len, >=, 1);
          chip = gui_a11y_name (g_ptr_array_index (cells, 0));
          g_test_message ("first chip: %s", chip);
          g_assert_nonnull (strstr (chip, "Python"));
          g_assert_cmpuint (cells->len, ==, 2);
          assert_controls_named (root (fixture), "quiz");
        }
      if (option != NULL)
        gui_a11y_activate (option);
      else
        gtk_editable_set_text (GTK_EDITABLE (gui_a11y_get (root (fixture), GTK_ACCESSIBLE_ROLE_TEXT_BOX,
                                                           "Your answer")), "1");
      gui_a11y_press (root (fixture), GTK_ACCESSIBLE_ROLE_BUTTON, "Submit Answer");
      n++;
      g_assert_cmpuint (n, <, 100);
      g_assert_true (rs_frame_wait_until (quiz_or_results, root (fixture), TIMEOUT_MS));
    }
  return n;
}

static void
test_quick_assessment (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GPtrArray) items = NULL;
  guint n, n_reviews = 0;

  present (fixture);
  sign_in (fixture);
  choose_quick_two (fixture);
  n = answer_all (fixture);
  g_test_message ("%u questions answered", n);
  g_assert_cmpuint (n, >=, 3);

  /* The results: Done, and one review row per answer, each named by its
   * question. */
  wait_for (fixture, GTK_ACCESSIBLE_ROLE_BUTTON, "Done, Sign Out");
  {
    /* The review rows come in batches after the page shows: wait for the
     * last, by its number. */
    g_autofree char *last = g_strdup_printf ("%u. ", n);
    Wanted wanted = { root (fixture), GTK_ACCESSIBLE_ROLE_LIST_ITEM, last, TRUE };

    rs_frame_wait_until (on_screen, &wanted, TIMEOUT_MS);
  }
  assert_controls_named (root (fixture), "results");
  /* libadwaita's expander row holds an action row of the same title:
   * the question numbers are counted, not the rows. */
  items = gui_a11y_find_all (root (fixture), GTK_ACCESSIBLE_ROLE_LIST_ITEM);
  for (guint q = 1; q <= n; q++)
    {
      g_autofree char *prefix = g_strdup_printf ("%u. ", q);

      for (guint i = 0; i < items->len; i++)
        {
          g_autofree char *name = gui_a11y_name (g_ptr_array_index (items, i));

          if (g_str_has_prefix (name, prefix))
            {
              n_reviews++;
              break;
            }
        }
    }
  g_test_message ("%u list items, %u questions reviewed", items->len, n_reviews);
  g_assert_cmpuint (n_reviews, ==, n);

  /* Done signs out: back to the welcome page's Sign In. */
  gui_a11y_press (root (fixture), GTK_ACCESSIBLE_ROLE_BUTTON, "Done, Sign Out");
  wait_for (fixture, GTK_ACCESSIBLE_ROLE_BUTTON, "Sign In");
  g_assert_null (rs_context_get_person (fixture->context));
}

/* The kiosk's exit overlay is a dialog, named by its title, with the same
 * named PIN form; Cancel leaves it. */
static void
test_kiosk_exit_dialog (Fixture *fixture, gconstpointer data)
{
  RsKioskController *kiosk = rs_kiosk_controller_attach (fixture->window);
  GtkWidget *dialog;

  present (fixture);
  wait_for (fixture, GTK_ACCESSIBLE_ROLE_BUTTON, "Touch to Start");
  assert_controls_named (root (fixture), "attract");
  gui_a11y_press (root (fixture), GTK_ACCESSIBLE_ROLE_BUTTON, "Administrator");
  dialog = wait_for (fixture, GTK_ACCESSIBLE_ROLE_DIALOG, "Leave Kiosk Mode");
  g_assert_true (rs_kiosk_controller_exit_dialog_shown (kiosk));
  keypad (dialog, RS_DEMO_ADMIN_NO);
  gui_a11y_press (dialog, GTK_ACCESSIBLE_ROLE_BUTTON, "OK");
  assert_pin_form (dialog, RS_DEMO_ADMIN_NO);
  assert_controls_named (dialog, "kiosk exit");
  gui_a11y_press (dialog, GTK_ACCESSIBLE_ROLE_BUTTON, "Cancel");
  g_assert_false (rs_kiosk_controller_exit_dialog_shown (kiosk));
  g_assert_null (gui_a11y_find (root (fixture), GTK_ACCESSIBLE_ROLE_DIALOG, "Leave Kiosk Mode"));
}

/* The kiosk's attract screen starts by its one big button, to the welcome
 * page's Sign In, which leads to the keypad. */
static void
test_kiosk_touch_to_start (Fixture *fixture, gconstpointer data)
{
  RsKioskController *kiosk = rs_kiosk_controller_attach (fixture->window);

  present (fixture);
  gui_a11y_activate (wait_for (fixture, GTK_ACCESSIBLE_ROLE_BUTTON, "Touch to Start"));
  g_assert_false (rs_kiosk_controller_attract_shown (kiosk));
  gui_a11y_press (root (fixture), GTK_ACCESSIBLE_ROLE_BUTTON, "Sign In");
  wait_for (fixture, GTK_ACCESSIBLE_ROLE_BUTTON, "OK");
  assert_controls_named (root (fixture), "kiosk sign-in");
}

/* The helper itself: GTK 4.8's own naming, read back as documented. */
static void
test_names_as_gtk_computes (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *plain = gtk_button_new_with_mnemonic ("_Plain");
  GtkWidget *icon = gtk_button_new_from_icon_name ("edit-clear-symbolic");
  GtkWidget *check = gtk_check_button_new_with_label ("Tick");
  g_autofree char *plain_name = NULL, *icon_name = NULL, *check_name = NULL, *labelled = NULL;

  gtk_window_set_child (GTK_WINDOW (window), box);
  gtk_box_append (GTK_BOX (box), plain);
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), check);
  gtk_window_present (GTK_WINDOW (window));
  /* GTK 4.8's doubled button name, which the window repairs. */
  plain_name = gui_a11y_name (plain);
  g_assert_cmpstr (plain_name, ==, "_Plain Plain");
  /* An icon alone names nothing. */
  icon_name = gui_a11y_name (icon);
  g_assert_cmpstr (icon_name, ==, "");
  check_name = gui_a11y_name (check);
  g_assert_cmpstr (check_name, ==, "Tick");
  gtk_accessible_update_relation (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_RELATION_LABELLED_BY, check, plain, NULL, -1);
  labelled = gui_a11y_name (icon);
  /* A widget it is labelled by gives its own label property only. */
  g_assert_cmpstr (labelled, ==, "Tick _Plain");
  g_assert_true (gui_a11y_find (window, GTK_ACCESSIBLE_ROLE_CHECKBOX, "Tick") == check);
  g_assert_null (gui_a11y_find (window, GTK_ACCESSIBLE_ROLE_BUTTON, "Tick"));
  g_assert_true (doubled ("Python Python"));
  g_assert_false (doubled ("Python Pythons"));
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char **argv)
{
  gui_a11y_init (&argc, &argv);
  adw_init ();
  gtk_source_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  g_test_add_func ("/gui/a11y/names-as-gtk-computes", test_names_as_gtk_computes);
  g_test_add ("/gui/a11y/quick-assessment", Fixture, NULL, setup, test_quick_assessment, teardown);
  g_test_add ("/gui/a11y/kiosk-exit-dialog", Fixture, NULL, setup, test_kiosk_exit_dialog, teardown);
  g_test_add ("/gui/a11y/kiosk-touch-to-start", Fixture, NULL, setup, test_kiosk_touch_to_start, teardown);
  return g_test_run ();
}
