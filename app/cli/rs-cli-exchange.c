/* SPDX-License-Identifier: GPL-3.0-or-later */
/* reskill export-results / import-results: results between kiosks on a USB
 * stick (issue 6). The bundle format and the merge rules are in
 * app/core/rs-exchange.h. The operator who can run these owns the database
 * file, so they act as an administrator (viewer NULL). */
#include <glib/gi18n-lib.h>
#include <stdio.h>

#include "rs-calibration.h"
#include "rs-cli-commands.h"
#include "rs-bank.h"
#include "rs-exchange.h"
#include "rs-paths.h"
#include "rs-store.h"

/* A missing database is an error here, not a new empty one: exporting from
 * or importing into a file nobody meant would only hide a typo. */
static RsStore *
open_existing (const char *command, const char *db_path)
{
  g_autoptr (GError) error = NULL;
  RsStore *store;

  if (!g_file_test (db_path, G_FILE_TEST_IS_REGULAR))
    {
      rs_cli_error (command, _("%s: no such database"), db_path);
      return NULL;
    }
  store = rs_store_open (db_path, &error);
  if (store == NULL)
    rs_cli_error (command, "%s", error->message);
  return store;
}

int
rs_cli_export_results (int argc, char **argv)
{
  g_autofree char *db_path = NULL, *output = NULL, *since_text = NULL, *created = NULL;
  gboolean all = FALSE, force = FALSE;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path, N_("The kiosk's database"), N_("FILE") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("The bundle to write"), N_("BUNDLE") },
    { "since", 0, 0, G_OPTION_ARG_STRING, &since_text,
      N_("Only attempts started, answered or finished since then (a date, a date-time, or the time the last "
      "export printed)"), N_("WHEN") },
    { "all", 0, 0, G_OPTION_ARG_NONE, &all, N_("Also attempts imported from other kiosks"), NULL },
    { "force", 0, 0, G_OPTION_ARG_NONE, &force, N_("Replace BUNDLE if it exists"), NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new (_("- write this kiosk's results to a bundle"));
  g_autoptr (GError) error = NULL;
  g_autoptr (RsStore) store = NULL;
  RsExportOptions options = { 0 };
  RsExportSummary summary = { 0 };

  g_option_context_set_summary (context,
      _("Writes the attempts made on this kiosk, with their answers and results, to a\n"
      "self-contained file for 'reskill import-results' on another kiosk: each attempt\n"
      "signed with this kiosk's key (see 'reskill kiosk show-key'), the whole with a\n"
      "SHA-256 of its content, signed too. Attempts imported from other kiosks are\n"
      "left out unless --all. The file appears only once it is complete."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!rs_cli_parse (context, "export-results", &argc, &argv))
    return RS_EXIT_USAGE;
  if (argc > 1)
    {
      rs_cli_error ("export-results", _("unexpected argument '%s'"), argv[1]);
      return RS_EXIT_USAGE;
    }
  if (db_path == NULL || output == NULL)
    {
      rs_cli_error ("export-results", "%s", db_path == NULL ? _("--db FILE is required") : _("--output BUNDLE is required"));
      return RS_EXIT_USAGE;
    }
  if (since_text != NULL && !rs_exchange_parse_since (since_text, &options.since, &error))
    {
      rs_cli_error ("export-results", _("--since: %s"), error->message);
      return RS_EXIT_USAGE;
    }
  options.all_kiosks = all;
  options.overwrite = force;

  store = open_existing ("export-results", db_path);
  if (store == NULL)
    return RS_EXIT_FAILURE;
  if (!rs_exchange_export (store, NULL, output, &options, &summary, &error))
    {
      rs_cli_error ("export-results", "%s", error->message);
      return RS_EXIT_FAILURE;
    }
  created = rs_exchange_format_time (summary.created_at);
  {
    g_autofree char *attempts = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d attempt", "%d attempts",
                                                              (gulong) summary.n_attempts), summary.n_attempts);
    g_autofree char *answers = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d answer", "%d answers",
                                                             (gulong) summary.n_responses), summary.n_responses);
    g_autofree char *results = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d result", "%d results",
                                                             (gulong) summary.n_results), summary.n_results);

    /* Translators: the bundle, "8 attempts", "160 answers", "24 results", and the kiosk's id. */
    printf (_("%s: %s, %s, %s from kiosk %s\n"), output, attempts, answers, results, rs_store_kiosk_id (store));
  }
  /* A "key value" line for scripts, as `kiosk show-key` prints: the same in every language. */
  printf ("sha256 %s\n", summary.sha256);
  printf (_("Next time, to export only what is new: --since %s\n"), created);
  rs_export_summary_clear (&summary);
  return RS_EXIT_OK;
}

int
rs_cli_import_results (int argc, char **argv)
{
  g_autofree char *db_path = NULL, *questions = NULL;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path, N_("The kiosk's database"), N_("FILE") },
    { "questions", 0, 0, G_OPTION_ARG_FILENAME, &questions,
      N_("The question bank to check results against (default: the installed one)"), N_("DIR") },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new (_("BUNDLE... - merge results from other kiosks"));
  g_autoptr (RsStore) store = NULL;
  g_autoptr (RsBank) bank = rs_bank_new ();
  g_autoptr (GError) bank_error = NULL;
  g_autofree char *problem = NULL;
  const RsBank *banks[1];
  RsImportOptions options = { 0 };
  int status = RS_EXIT_OK, n_imported = 0;

  g_option_context_set_summary (context,
      _("Merges bundles written by 'reskill export-results' on kiosks trusted here\n"
      "('reskill kiosk trust'). Every attempt's signature is checked, and its results\n"
      "are recomputed from its answers and the question bank: a forged, unsigned or\n"
      "implausible bundle, or one from an unknown or revoked kiosk, is refused with\n"
      "nothing written. Importing a bundle twice changes nothing. People are matched\n"
      "by employee number: attempts of numbers unknown here are skipped and listed\n"
      "(import the people, then the bundle again); so are attempts scored with a\n"
      "question bank this kiosk does not have. Each bundle is merged in its own\n"
      "transaction; the other bundles are still imported. The database is checked in\n"
      "full afterwards. The exit status is 1 if any bundle was refused."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!rs_cli_parse (context, "import-results", &argc, &argv))
    return RS_EXIT_USAGE;
  if (db_path == NULL)
    {
      rs_cli_error ("import-results", _("--db FILE is required"));
      return RS_EXIT_USAGE;
    }
  if (argc < 2)
    {
      rs_cli_error ("import-results", _("give at least one BUNDLE to import"));
      return RS_EXIT_USAGE;
    }

  if (questions == NULL)
    questions = rs_default_questions_dir ();
  if (!rs_bank_load_dir (bank, questions, &bank_error))
    {
      rs_cli_error ("import-results", "%s", bank_error->message);
      return RS_EXIT_FAILURE;
    }
  banks[0] = bank;
  options.banks = banks;
  options.n_banks = 1;
  store = open_existing ("import-results", db_path);
  if (store == NULL)
    return RS_EXIT_FAILURE;
  /* The calibration in force here scores the recomputation, as it scores
   * this kiosk's own attempts. */
  if (!rs_calibration_apply_to_bank (store, bank, &bank_error))
    {
      rs_cli_error ("import-results", "%s", bank_error->message);
      return RS_EXIT_FAILURE;
    }
  for (int i = 1; i < argc; i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *description = NULL;
      g_auto (GStrv) lines = NULL;
      RsImportSummary summary = { 0 };

      if (!rs_exchange_import (store, NULL, argv[i], &options, &summary, &error))
        {
          rs_cli_error ("import-results", "%s", error->message);
          status = RS_EXIT_FAILURE;
          continue;
        }
      description = rs_import_summary_describe (&summary);
      lines = g_strsplit (description, "\n", -1);
      printf ("%s: %s\n", argv[i], lines[0]);
      for (int l = 1; lines[l] != NULL; l++)
        printf ("  %s\n", lines[l]);
      rs_import_summary_clear (&summary);
      n_imported++;
    }
  /* After an import, the full check (see docs/ARCHITECTURE.md, Integrity). */
  if (n_imported > 0)
    {
      g_autoptr (GError) error = NULL;

      if (!rs_store_check_integrity (store, &problem, &error))
        {
          rs_cli_error ("import-results", _("the check after importing failed: %s"), error->message);
          return RS_EXIT_FAILURE;
        }
      if (problem != NULL)
        {
          rs_cli_error ("import-results", _("%s is damaged: %s"), db_path, problem);
          return RS_EXIT_FAILURE;
        }
    }
  return status;
}
