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
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path, "The database to create (must not have people yet)", "FILE" },
    { "people", 0, 0, G_OPTION_ARG_INT, &people, "Employees besides the fixed demo accounts (default 24)", "N" },
    { "attempts-per-person", 0, 0, G_OPTION_ARG_INT, &attempts, "Past finished attempts each (default 3)", "M" },
    { "seed", 0, 0, G_OPTION_ARG_INT, &seed, "Random seed (default 2026)", "N" },
    { "questions", 0, 0, G_OPTION_ARG_FILENAME, &questions, "The question folder", "DIR" },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("- fill a database with a demo organization");
  g_autoptr (GError) error = NULL;
  g_autoptr (RsBank) bank = rs_bank_new ();
  g_autoptr (RsStore) store = NULL;
  RsDemoConfig config;

  g_option_context_set_summary (context,
      "Creates teams, managers and employees with past attempts answered by\n"
      "simulated people. Accounts: admin " RS_DEMO_ADMIN_NO " (PIN " RS_DEMO_ADMIN_PIN "), manager "
      RS_DEMO_MANAGER_NO " (password " RS_DEMO_MANAGER_PIN "),\nemployee " RS_DEMO_EMPLOYEE_NO " (PIN "
      RS_DEMO_EMPLOYEE_PIN ").");
  g_option_context_add_main_entries (context, entries, NULL);
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
  printf ("seeded %s: %d employees, %d attempts each\n", db_path, people, attempts);
  return RS_EXIT_OK;
}
