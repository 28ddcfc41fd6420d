/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Issue 10 through the window: two kiosks' administrators trust each other
 * on the Exchange page (one by fingerprint, one by key file) and swap
 * signed bundles in both directions; export and import run on a worker
 * thread while the main loop keeps turning, and a job can be cancelled;
 * a kiosk not trusted is refused and named; revoking from the page works.
 * And the first-run page: absent on a database whose people were imported
 * without an administrator, present with a set-up code, which it checks. */
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include <adwaita.h>
#include <gtksourceview/gtksource.h>

#include "rs-admin-exchange.h"
#include "rs-context.h"
#include "rs-demo.h"
#include "rs-frame.h"
#include "rs-kiosk-key.h"
#include "rs-window.h"
#include "notice-util.h"

#define TIMEOUT_MS 60000

static char *tmpdir;

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

typedef struct {
  RsContext *context;
  GtkWidget *window;
  RsAdminExchange *page;
  char *db;
} Kiosk;

/* A kiosk with the demo organization, its admin signed in, its Exchange
 * page in a window. */
static void
kiosk_open (Kiosk *k, const char *name, guint32 seed)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *questions = source_path ("tests", "fixtures", "good-bank", NULL);
  g_autofree char *roles = source_path ("data", "roles.yaml", NULL);
  g_autoptr (RsBank) bank = rs_bank_new ();
  RsDemoConfig config = { .n_people = 4, .attempts_per_person = 2, .seed = seed };

  k->db = g_build_filename (tmpdir, name, NULL);
  g_assert_true (rs_bank_load_dir (bank, questions, &error));
  {
    g_autoptr (RsStore) store = rs_store_open (k->db, &error);
    g_assert_no_error (error);
    g_assert_true (rs_demo_seed (store, bank, &config, &error));
    g_assert_no_error (error);
  }
  k->context = rs_context_load (k->db, questions, roles);
  g_assert_null (rs_context_get_problem_title (k->context));
  rs_context_set_person (k->context, rs_store_find_person (rs_context_get_store (k->context), RS_DEMO_ADMIN_NO, NULL));
  k->window = gtk_window_new ();
  k->page = g_object_new (RS_TYPE_ADMIN_EXCHANGE, NULL);
  rs_page_set_context (RS_PAGE (k->page), k->context);
  gtk_window_set_child (GTK_WINDOW (k->window), GTK_WIDGET (k->page));
  gtk_window_present (GTK_WINDOW (k->window));
}

static void
kiosk_close (Kiosk *k)
{
  gtk_window_destroy (GTK_WINDOW (k->window));
  g_clear_object (&k->context);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_free (k->db);
}

static gboolean
not_busy (gpointer data)
{
  return !rs_admin_exchange_is_busy (data);
}

/* Waits for the page's job, counting main-loop turns meanwhile: the window
 * keeps answering while the worker runs. */
static void
wait_job (Kiosk *k)
{
  g_assert_true (rs_admin_exchange_is_busy (k->page));
  g_assert_true (rs_frame_wait_until (not_busy, k->page, TIMEOUT_MS));
}

static int
count_attempts (const char *db_path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  int n;

  g_assert_cmpint (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count(*) FROM attempts", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n;
}

static void
export_import (Kiosk *from, Kiosk *to, const char *bundle, const char *expect)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (rs_admin_exchange_export_to (from->page, bundle, &error));
  g_assert_no_error (error);
  /* One job at a time. */
  g_assert_false (rs_admin_exchange_export_to (from->page, bundle, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  wait_job (from);
  g_assert_true (g_str_has_prefix (rs_admin_exchange_get_last_message (from->page), "Exported "));
  g_assert_true (rs_admin_exchange_import_files (to->page, &(GSList) { (char *) bundle, NULL }, &error));
  g_assert_no_error (error);
  wait_job (to);
  g_test_message ("import: %s", rs_admin_exchange_get_last_message (to->page));
  g_assert_nonnull (strstr (rs_admin_exchange_get_last_message (to->page), expect));
}

static void
test_both_directions (void)
{
  Kiosk a = { 0 }, b = { 0 }, c = { 0 };
  g_autofree char *a_bundle = g_build_filename (tmpdir, "a.sqlite", NULL);
  g_autofree char *b_bundle = g_build_filename (tmpdir, "b.sqlite", NULL);
  g_autofree char *c_bundle = g_build_filename (tmpdir, "c.sqlite", NULL);
  g_autofree char *b_key = g_build_filename (tmpdir, "b.pub", NULL);
  g_autoptr (GError) error = NULL;

  kiosk_open (&a, "a.db", 1);
  kiosk_open (&b, "b.db", 2);
  g_assert_cmpint (count_attempts (a.db), ==, 8);

  /* Before trusting: refused, with the fingerprint to compare. */
  g_assert_true (rs_admin_exchange_export_to (a.page, a_bundle, &error));
  wait_job (&a);
  g_assert_true (rs_admin_exchange_import_files (b.page, &(GSList) { a_bundle, NULL }, &error));
  wait_job (&b);
  g_assert_nonnull (strstr (rs_admin_exchange_get_last_message (b.page), "does not trust"));
  g_assert_nonnull (strstr (rs_admin_exchange_get_last_message (b.page),
                            rs_store_key_fingerprint (rs_context_get_store (a.context))));
  g_assert_cmpint (count_attempts (b.db), ==, 8);

  /* B trusts A by the fingerprint A shows; A trusts B by B's key file. */
  g_assert_true (rs_admin_exchange_trust (b.page, rs_store_key_fingerprint (rs_context_get_store (a.context)),
                                          "Kiosk A", &error));
  g_assert_no_error (error);
  g_assert_true (rs_kiosk_key_write_public (rs_store_kiosk_key (rs_context_get_store (b.context)), b_key, &error));
  g_assert_true (rs_admin_exchange_trust (a.page, b_key, "Kiosk B", &error));
  g_assert_no_error (error);
  g_assert_nonnull (rs_frame_find_widget (GTK_WIDGET (b.page), "exchange-revoke"));

  export_import (&a, &b, a_bundle, "8 attempts added");
  g_assert_nonnull (strstr (rs_admin_exchange_get_last_message (b.page), "Kiosk A"));
  export_import (&b, &a, b_bundle, "8 attempts added");
  g_assert_cmpint (count_attempts (a.db), ==, 16);
  g_assert_cmpint (count_attempts (b.db), ==, 16);
  /* Again: nothing new. */
  export_import (&a, &b, a_bundle, "0 attempts added");

  /* Cancelled before it could finish: nothing imported, said so. */
  kiosk_open (&c, "c.db", 3);
  g_assert_true (rs_admin_exchange_trust (b.page, rs_store_key_fingerprint (rs_context_get_store (c.context)),
                                          "Kiosk C", &error));
  g_assert_true (rs_admin_exchange_export_to (c.page, c_bundle, &error));
  wait_job (&c);
  g_assert_true (rs_admin_exchange_import_files (b.page, &(GSList) { c_bundle, NULL }, &error));
  rs_admin_exchange_cancel (b.page);
  wait_job (&b);
  g_assert_nonnull (strstr (rs_admin_exchange_get_last_message (b.page), "cancelled"));
  g_assert_cmpint (count_attempts (b.db), ==, 16);

  /* Revoked on the page: refused from then on. */
  g_assert_true (rs_admin_exchange_revoke (b.page, "Kiosk C", &error));
  g_assert_no_error (error);
  g_assert_true (rs_admin_exchange_import_files (b.page, &(GSList) { c_bundle, NULL }, &error));
  wait_job (&b);
  g_assert_nonnull (strstr (rs_admin_exchange_get_last_message (b.page), "revoked"));
  g_assert_cmpint (count_attempts (b.db), ==, 16);

  kiosk_close (&c);
  kiosk_close (&b);
  kiosk_close (&a);
}

/* People imported without an administrator: whoever walks up gets the
 * welcome page, not the page that makes them administrator. With a set-up
 * code made at the terminal, the first-run page asks for it. */
/* With no organization server set, the page says this kiosk works alone
 * and "Sync now" does nothing but say so (tests/test-server.c syncs). */
static void
test_no_server (void)
{
  Kiosk k = { 0 };

  kiosk_open (&k, "alone.db", 9);
  g_assert_nonnull (rs_frame_find_widget (GTK_WIDGET (k.page), "exchange-sync-now"));
  g_assert_nonnull (strstr (rs_admin_exchange_get_sync_status (k.page), "No organization server set"));
  g_assert_false (rs_admin_exchange_sync_now (k.page));
  kiosk_close (&k);
}

static void
test_first_run_needs_code (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *db = g_build_filename (tmpdir, "people.db", NULL);
  g_autofree char *questions = source_path ("tests", "fixtures", "good-bank", NULL);
  g_autofree char *roles = source_path ("data", "roles.yaml", NULL);
  g_autofree char *code = NULL;
  RsContext *context;
  RsWindow *window;
  GtkWidget *page;

  {
    g_autoptr (RsStore) store = rs_store_open (db, &error);
    g_assert_no_error (error);
    g_assert_true (rs_store_add_person (store, "2000", "Mia Manager", "Ops", RS_PERSON_MANAGER, NULL, NULL, &error));
    rs_test_confirm_notice (store, "2000");
    g_assert_true (rs_store_add_person (store, "3001", "Sam", "Ops", RS_PERSON_EMPLOYEE, "1234", NULL, &error));
    rs_test_confirm_notice (store, "3001");
  }
  context = rs_context_load (db, questions, roles);
  window = rs_window_new (NULL, context);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_cmpstr (rs_window_get_page_name (window), ==, "welcome");
  gtk_window_destroy (GTK_WINDOW (window));
  g_clear_object (&context);

  {
    g_autoptr (RsStore) store = rs_store_open (db, &error);
    g_assert_true (rs_store_create_setup_code (store, &code, &error));
    g_assert_no_error (error);
  }
  context = rs_context_load (db, questions, roles);
  window = rs_window_new (NULL, context);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_cmpstr (rs_window_get_page_name (window), ==, "first-run");
  page = rs_window_get_page (window, "first-run");
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_true (gtk_widget_get_visible (rs_frame_find_widget (page, "first-run-code")));
  gtk_editable_set_text (GTK_EDITABLE (rs_frame_find_widget (page, "first-run-name")), "Grace Admin");
  gtk_editable_set_text (GTK_EDITABLE (rs_frame_find_widget (page, "first-run-number")), "1");
  gtk_editable_set_text (GTK_EDITABLE (rs_frame_find_widget (page, "first-run-pin")), "123456");
  gtk_editable_set_text (GTK_EDITABLE (rs_frame_find_widget (page, "first-run-pin-again")), "123456");
  gtk_editable_set_text (GTK_EDITABLE (rs_frame_find_widget (page, "first-run-code")), "0000-0000");
  {
    /* The real Create button, pressed. */
    GtkWidget *create = rs_frame_find_widget (page, "first-run-create");

    g_assert_true (GTK_IS_BUTTON (create));
    g_assert_true (gtk_widget_is_sensitive (create));
    g_signal_emit_by_name (create, "clicked");
  }
  g_assert_true (gtk_widget_get_visible (rs_frame_find_widget (page, "first-run-error")));
  g_assert_false (rs_store_has_admin (rs_context_get_store (context)));
  gtk_editable_set_text (GTK_EDITABLE (rs_frame_find_widget (page, "first-run-code")), code);
  {
    /* The real Create button, pressed. */
    GtkWidget *create = rs_frame_find_widget (page, "first-run-create");

    g_assert_true (GTK_IS_BUTTON (create));
    g_assert_true (gtk_widget_is_sensitive (create));
    g_signal_emit_by_name (create, "clicked");
  }
  g_assert_true (rs_store_has_admin (rs_context_get_store (context)));
  g_assert_cmpstr (rs_window_get_page_name (window), ==, "welcome");
  gtk_window_destroy (GTK_WINDOW (window));
  g_clear_object (&context);
}

int
main (int argc, char **argv)
{
  int status;

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  gtk_source_init ();
  tmpdir = g_dir_make_tmp ("reskill-gui-exchange-XXXXXX", NULL);
  g_test_add_func ("/gui/exchange/both-directions", test_both_directions);
  g_test_add_func ("/gui/exchange/first-run-needs-code", test_first_run_needs_code);
  g_test_add_func ("/gui/exchange/no-server", test_no_server);
  status = g_test_run ();
  {
    g_autoptr (GDir) dir = g_dir_open (tmpdir, 0, NULL);
    const char *name;

    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *path = g_build_filename (tmpdir, name, NULL);
        g_remove (path);
      }
    g_rmdir (tmpdir);
  }
  return status;
}
