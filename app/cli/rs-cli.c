/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "rs-cli-commands.h"
#include "rs-cli.h"

static const struct {
  const char *name;
  int (*run) (int argc, char **argv);
  const char *summary;
} commands[] = {
  { "validate", rs_cli_validate, "Check the question bank and the roles; print counts" },
  { "simulate", rs_cli_simulate, "Measure the adaptive engine on simulated people" },
  { "take", rs_cli_take, "Take an assessment in the terminal" },
  { "seed-demo", rs_cli_seed_demo, "Fill a database with a demo organization" },
  { "import-people", rs_cli_import_people, "Create or update people and teams from a CSV file" },
  { "item-stats", rs_cli_item_stats, "Statistics of each question; questions to review" },
  { "calibrate", rs_cli_calibrate, "Estimate item parameters from answers (IRT calibration)" },
  { "export-results", rs_cli_export_results, "Write this kiosk's results to a bundle for other kiosks" },
  { "import-results", rs_cli_import_results, "Merge results bundles from other kiosks" },
  { "report", rs_cli_report, "Export a team report as PDF or CSV" },
};

static void
print_help (FILE *out)
{
  fprintf (out,
           "Usage:\n"
           "  reskill [--db FILE] [--questions DIR] [--roles FILE]   start the application\n"
           "  reskill COMMAND [OPTION...]                            run a command, no display needed\n"
           "\nCommands:\n");
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %-16s %s\n", commands[i].name, commands[i].summary);
  fprintf (out,
           "\nEach command has --help. Application options: reskill --help-gapplication.\n"
           "Environment: RESKILL_QUESTIONS_DIR, RESKILL_ROLES override where the bank and roles are read.\n");
}

gboolean
rs_cli_wants (int argc, char **argv)
{
  if (argc < 2)
    return FALSE;
  if (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0
      || strcmp (argv[1], "--version") == 0 || strcmp (argv[1], "help") == 0)
    return TRUE;
  /* A word that is not an option is a command, known or not: an unknown one
   * should get a clear message, not open a window. */
  return argv[1][0] != '-';
}

int
rs_cli_main (int argc, char **argv)
{
  if (strcmp (argv[1], "--version") == 0)
    {
      printf ("reskill %s\n", RESKILL_VERSION);
      return RS_EXIT_OK;
    }
  if (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0 || strcmp (argv[1], "help") == 0)
    {
      print_help (stdout);
      return RS_EXIT_OK;
    }
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    if (strcmp (argv[1], commands[i].name) == 0)
      return commands[i].run (argc - 1, argv + 1);

  fprintf (stderr, "reskill: unknown command '%s'\n", argv[1]);
  fprintf (stderr, "Run 'reskill --help' for the list of commands.\n");
  return RS_EXIT_USAGE;
}

gboolean
rs_cli_parse (GOptionContext *context, const char *command, int *argc, char ***argv)
{
  g_autoptr (GError) error = NULL;

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      fprintf (stderr, "reskill %s: %s\n", command, error->message);
      fprintf (stderr, "Run 'reskill %s --help' for usage.\n", command);
      return FALSE;
    }
  return TRUE;
}

void
rs_cli_error (const char *command, const char *format, ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  fprintf (stderr, "reskill %s: %s\n", command, message);
}
