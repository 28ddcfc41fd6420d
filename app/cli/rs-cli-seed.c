/* SPDX-License-Identifier: GPL-3.0-or-later */
/* reskill seed-demo: a demo organization for trying Reskill and for benchmarks. */
#include <glib/gi18n-lib.h>
#include <stdio.h>

#include "rs-bank.h"
#include "rs-cli-commands.h"
#include "rs-demo.h"
#include "rs-paths.h"
#include "rs-store.h"

int
rs_cli_seed_demo (int argc, char **argv)
{
  g_autofree char *db_path = NULL, *questions = NULL;
  int people = 24, attempts = 3, seed = 2026;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path, N_("The database to create (must not have people yet)"), N_("FILE") },
    { "people", 0, 0, G_OPTION_ARG_INT, &people, N_("Employees besides the fixed demo accounts (default 24)"), N_("N") },
    { "attempts-per-person", 0, 0, G_OPTION_ARG_INT, &attempts, N_("Past finished attempts each (default 3)"), N_("M") },
    { "seed", 0, 0, G_OPTION_ARG_INT, &seed, N_("Random seed (default 2026)"), N_("N") },
    { "questions", 0, 0, G_OPTION_ARG_FILENAME, &questions, N_("The question folder"), N_("DIR") },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new (_("- fill a database with a demo organization"));
  g_autoptr (GError) error = NULL;
  g_autoptr (RsBank) bank = rs_bank_new ();
  g_autoptr (RsStore) store = NULL;
  RsDemoConfig config;
  g_autofree char *summary = NULL;

  /* Translators: the demo accounts: employee numbers, then their PIN or password. */
  summary = g_strdup_printf (_("Creates teams, managers and employees with past attempts answered by\n"
                               "simulated people. Accounts: admin %s (PIN %s), manager %s (password %s),\n"
                               "employee %s (PIN %s)."),
                             RS_DEMO_ADMIN_NO, RS_DEMO_ADMIN_PIN, RS_DEMO_MANAGER_NO, RS_DEMO_MANAGER_PIN,
                             RS_DEMO_EMPLOYEE_NO, RS_DEMO_EMPLOYEE_PIN);
  g_option_context_set_summary (context, summary);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!rs_cli_parse (context, "seed-demo", &argc, &argv))
    return RS_EXIT_USAGE;
  if (argc > 1)
    {
      rs_cli_error ("seed-demo", _("unexpected argument '%s'"), argv[1]);
      return RS_EXIT_USAGE;
    }
  if (db_path == NULL)
    {
      rs_cli_error ("seed-demo", _("--db FILE is required"));
      return RS_EXIT_USAGE;
    }
  if (people < 1 || attempts < 0 || people > 100000 || attempts > 100)
    {
      rs_cli_error ("seed-demo", _("need 1 <= --people <= 100000 and 0 <= --attempts-per-person <= 100"));
      return RS_EXIT_USAGE;
    }
  if (questions == NULL)
    questions = rs_default_questions_dir ();
  if (!rs_bank_load_dir (bank, questions, &error))
    {
      rs_cli_error ("seed-demo", "%s", error->message);
      return RS_EXIT_FAILURE;
    }
  store = rs_store_open (db_path, &error);
  if (store == NULL)
    {
      rs_cli_error ("seed-demo", "%s", error->message);
      return RS_EXIT_FAILURE;
    }
  config = (RsDemoConfig) { people, attempts, (guint32) seed };
  if (!rs_demo_seed (store, bank, &config, &error))
    {
      rs_cli_error ("seed-demo", "%s", error->message);
      return RS_EXIT_FAILURE;
    }
  {
    g_autofree char *employees = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d employee", "%d employees",
                                                               (gulong) people), people);
    g_autofree char *each = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d attempt each", "%d attempts each",
                                                          (gulong) attempts), attempts);

    /* Translators: the database, then "24 employees" and "3 attempts each". */
    printf (_("seeded %s: %s, %s\n"), db_path, employees, each);
  }
  return RS_EXIT_OK;
}
