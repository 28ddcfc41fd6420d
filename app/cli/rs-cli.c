/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "config.h"
#include "rs-cli-commands.h"
#include "rs-cli.h"
#include "rs-error.h"

static const struct {
  const char *name;
  int (*run) (int argc, char **argv);
  const char *summary;
} commands[] = {
  { "validate", rs_cli_validate, N_("Check the question bank and the roles; print counts") },
  { "simulate", rs_cli_simulate, N_("Measure the adaptive engine on simulated people") },
  { "take", rs_cli_take, N_("Take an assessment in the terminal") },
  { "seed-demo", rs_cli_seed_demo, N_("Fill a database with a demo organization") },
  { "import-people", rs_cli_import_people, N_("Create or update people and teams from a CSV file") },
  { "item-stats", rs_cli_item_stats, N_("Statistics of each question; questions to review") },
  { "calibrate", rs_cli_calibrate, N_("Estimate item parameters from answers (IRT calibration)") },
  { "export-results", rs_cli_export_results, N_("Write this kiosk's results to a bundle for other kiosks") },
  { "import-results", rs_cli_import_results, N_("Merge results bundles from other kiosks") },
  { "report", rs_cli_report, N_("Export a team report as PDF or CSV") },
  { "kiosk", rs_cli_kiosk, N_("This kiosk's signing key; trust or revoke other kiosks") },
  { "setup-code", rs_cli_setup_code, N_("A one-time code to create the first administrator") },
  { "unlock", rs_cli_unlock, N_("Lift a sign-in lock on an employee number") },
  { "check", rs_cli_check, N_("Read and check every page of a database") },
  { "study", rs_cli_study, N_("Rerun the calibration study: live tests, calibration, tests again") },
  { "privacy", rs_cli_privacy, N_("The privacy policy: show, set, the organization's wording, the notice") },
  { "retention", rs_cli_retention, N_("Delete results and people the privacy policy no longer keeps") },
  { "export-person", rs_cli_export_person, N_("Everything about one person, as JSON and CSV") },
  { "erase-person", rs_cli_erase_person, N_("Erase a person here, and through bundles everywhere") },
  { "who-looked", rs_cli_who_looked, N_("Who looked at a person's results, and when") },
  { "share-practice", rs_cli_share_practice, N_("Share a practice result: it becomes an ordinary one") },
  { "server", rs_cli_server, N_("Set up and look after the organization's PostgreSQL server") },
  { "sync", rs_cli_sync, N_("Send this kiosk's results to the server; take people and settings from it") },
};

static void
print_help (FILE *out)
{
  /* Translators: the words in capitals stand for what is typed there;
   * keep the options and "reskill" as they are. */
  fprintf (out, "%s\n", _("Usage:"));
  {
    /* The two usage lines' descriptions start in one column, whatever the
     * length of the translated placeholders; counted in characters, not
     * bytes, since they may hold "…" or umlauts. */
    g_autofree char *app = g_strdup_printf ("reskill [--db %s] [--questions %s] [--roles %s]", _("FILE"), _("DIR"),
                                            _("FILE"));
    g_autofree char *cmd = g_strdup_printf ("reskill %s [%s…]", _("COMMAND"), _("OPTION"));
    glong width = MAX (g_utf8_strlen (app, -1), g_utf8_strlen (cmd, -1)) + 3;

    fprintf (out, "  %s%*s%s\n", app, (int) (width - g_utf8_strlen (app, -1)), "", _("start the application"));
    fprintf (out, "  %s%*s%s\n", cmd, (int) (width - g_utf8_strlen (cmd, -1)), "",
             _("run a command, no display needed"));
  }
  fprintf (out, "\n%s\n", _("Commands:"));
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %-16s %s\n", commands[i].name, _(commands[i].summary));
  fprintf (out, "\n%s\n%s\n",
           _("Each command has --help. Application options: reskill --help-all."),
           _("Environment: RESKILL_QUESTIONS_DIR, RESKILL_ROLES override where the bank and roles are read."));
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

  {
    g_autofree char *message = g_strdup_printf (_("unknown command '%s'"), argv[1]);

    fprintf (stderr, "reskill: %s\n", message);
    fprintf (stderr, "%s\n", _("Run 'reskill --help' for the list of commands."));
  }
  return RS_EXIT_USAGE;
}

gboolean
rs_cli_parse (GOptionContext *context, const char *command, int *argc, char ***argv)
{
  g_autoptr (GError) error = NULL;

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      fprintf (stderr, "reskill %s: %s\n", command, error->message);
      fprintf (stderr, _("Run 'reskill %s --help' for usage.\n"), command);
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

/* One line from fd, without the line end; at most 256 bytes. */
static gboolean
read_line_fd (int fd, char **line, GError **error)
{
  GString *text = g_string_new (NULL);

  for (;;)
    {
      char c;
      ssize_t n = read (fd, &c, 1);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved_errno = errno;
          g_string_free (text, TRUE);
          g_set_error (error, RS_ERROR, RS_ERROR_IO, _("cannot read the PIN: %s"), g_strerror (saved_errno));
          return FALSE;
        }
      if (n == 0 || c == '\n')
        break;
      if (c != '\r')
        g_string_append_c (text, c);
      if (text->len > 256)
        {
          g_string_free (text, TRUE);
          g_set_error (error, RS_ERROR, RS_ERROR_INVALID, _("the PIN is longer than 256 characters"));
          return FALSE;
        }
    }
  if (text->len == 0)
    {
      g_string_free (text, TRUE);
      g_set_error (error, RS_ERROR, RS_ERROR_INVALID, _("no PIN was given"));
      return FALSE;
    }
  *line = g_string_free (text, FALSE);
  return TRUE;
}

gboolean
rs_cli_read_secret (const char *prompt, int fd, char **secret, GError **error)
{
  struct termios saved, quiet;
  gboolean ok;
  int tty;

  if (fd >= 0)
    return read_line_fd (fd, secret, error);
  tty = open ("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);
  if (tty < 0)
    return read_line_fd (STDIN_FILENO, secret, error);
  if (write (tty, prompt, strlen (prompt)) < 0)
    {
      close (tty);
      return read_line_fd (STDIN_FILENO, secret, error);
    }
  /* Echo off while the PIN is typed, and back on whatever happens. */
  if (tcgetattr (tty, &saved) == 0)
    {
      quiet = saved;
      quiet.c_lflag &= ~(tcflag_t) ECHO;
      quiet.c_lflag |= ECHONL;
      tcsetattr (tty, TCSAFLUSH, &quiet);
      ok = read_line_fd (tty, secret, error);
      tcsetattr (tty, TCSAFLUSH, &saved);
    }
  else
    ok = read_line_fd (tty, secret, error);
  close (tty);
  return ok;
}
