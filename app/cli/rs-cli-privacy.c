/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The privacy commands (issue 14): the policy and the notice, retention,
 * a person's data export and erasure, who looked at someone's results, and
 * sharing a practice result.
 *
 * Whoever runs them can read the database file, and with it everything in
 * it: without a sign-in they act as rs_people_operator(), an administrator
 * at the terminal, recorded as such. The person's own commands (notice
 * --confirm, who-looked --sign-in, share-practice) sign in with the PIN,
 * read from the terminal or a file descriptor, never from the command line. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "rs-cli-commands.h"
#include "rs-erasure.h"
#include "rs-error.h"
#include "rs-file.h"
#include "rs-i18n.h"
#include "rs-people.h"
#include "rs-person-data.h"
#include "rs-privacy.h"
#include "rs-report.h"
#include "rs-retention.h"
#include "rs-server.h"
#include "rs-store.h"

/* Wording files larger than this are refused unread. */
#define MAX_WORDING_FILE (64 * 1024)

static int
fail (const char *command, const GError *error)
{
  rs_cli_error (command, "%s", error->message);
  return RS_EXIT_FAILURE;
}

static GOptionContext *
new_context (const char *parameters, const char *summary, GOptionEntry *entries)
{
  GOptionContext *context = g_option_context_new (parameters);

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, summary);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  return context;
}

/* The database must exist: opening would create an empty one and hide a
 * typo. NULL after saying why. */
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

/* --db FILE or --server CONNINFO, one of them. */
static gboolean
one_place (const char *command, const char *db_path, const char *server)
{
  if ((db_path == NULL) == (server == NULL))
    {
      rs_cli_error (command, _("give --db FILE or --server CONNINFO (one of them)"));
      return FALSE;
    }
  return TRUE;
}

/* The person signs in with their PIN. */
static RsPerson *
sign_in (const char *command, RsStore *store, const char *employee_no, int pin_fd)
{
  g_autofree char *prompt = g_strdup_printf (_("PIN for %s: "), employee_no);
  g_autofree char *typed = NULL;
  g_autoptr (GError) error = NULL;
  RsPerson *person;

  if (!rs_cli_read_secret (prompt, pin_fd, &typed, &error))
    {
      rs_cli_error (command, "%s", error->message);
      return NULL;
    }
  person = rs_store_authenticate (store, employee_no, typed, NULL, &error);
  sodium_memzero (typed, strlen (typed));
  if (person == NULL)
    rs_cli_error (command, "%s", error->message);
  return person;
}

static RsPerson *
find_person (const char *command, RsStore *store, const char *employee_no)
{
  g_autoptr (GError) error = NULL;
  RsPerson *person = rs_store_find_person (store, employee_no, &error);

  if (person == NULL)
    rs_cli_error (command, "%s", error->message);
  return person;
}

static gboolean
parse_months (const char *command, const char *option, const char *text, guint min, guint *months)
{
  guint64 value;

  if (text == NULL)
    return TRUE;
  if (!g_ascii_string_to_unsigned (text, 10, min, RS_PRIVACY_MAX_MONTHS, &value, NULL))
    {
      rs_cli_error (command, _("%s must be a number of months from %u to %d, not '%s'"), option, min,
                    RS_PRIVACY_MAX_MONTHS, text);
      return FALSE;
    }
  *months = (guint) value;
  return TRUE;
}

/* --- reskill privacy --- */

static char *
format_day (gint64 unix_us)
{
  g_autoptr (GDateTime) time = g_date_time_new_from_unix_local (unix_us / G_USEC_PER_SEC);

  return time != NULL ? g_date_time_format (time, "%Y-%m-%d %H:%M") : g_strdup ("?");
}

static int
privacy_show (int argc, char **argv)
{
  g_autofree char *db_path = NULL;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path, N_("The database"), N_("FILE") },
    { NULL },
  };
  g_autoptr (GOptionContext) context = new_context (N_("- the privacy policy in force"),
      _("Prints the organization's visibility policy, the teams with their own, the\n"
        "retention periods, and the version of the notice people confirm."), entries);
  g_autoptr (GError) error = NULL;
  g_autoptr (RsStore) store = NULL;
  g_autoptr (GPtrArray) teams = NULL;
  RsPrivacyPolicy policy;

  if (!rs_cli_parse (context, "privacy show", &argc, &argv))
    return RS_EXIT_USAGE;
  if (db_path == NULL || argc > 1)
    {
      rs_cli_error ("privacy show", _("--db FILE is required, and nothing else"));
      return RS_EXIT_USAGE;
    }
  store = open_existing ("privacy show", db_path);
  if (store == NULL)
    return RS_EXIT_FAILURE;
  if (!rs_privacy_get_policy (store, &policy, &error)
      || (teams = rs_privacy_list_team_policies (store, &error)) == NULL)
    return fail ("privacy show", error);
  if (policy.changed_at != 0)
    {
      g_autofree char *day = format_day (policy.changed_at);
      printf (_("Privacy policy, version %lld (changed %s)\n"), (long long) policy.version, day);
    }
  else
    printf (_("Privacy policy, version %lld (the defaults)\n"), (long long) policy.version);
  printf (_("  visibility: %s (%s)\n"), rs_visibility_id (policy.visibility), rs_visibility_title (policy.visibility));
  printf (_("  smallest group shown: %u\n"), policy.min_group);
  printf (_("  results kept: %u months\n"), policy.keep_results_months);
  printf (_("  deactivated people kept: %u months\n"), policy.keep_inactive_months);
  printf (_("  expired answers kept for calibration, linked to nobody: %s\n"),
          policy.anonymous_answers ? _("yes") : _("no"));
  if (teams->len == 0)
    printf (_("No team has its own visibility.\n"));
  for (guint i = 0; i < teams->len; i++)
    {
      const RsTeamPolicy *team = g_ptr_array_index (teams, i);
      printf (_("  team %s: %s (%s)\n"), team->team_name, rs_visibility_id (team->visibility),
              rs_visibility_title (team->visibility));
    }
  return RS_EXIT_OK;
}

static int
privacy_set (int argc, char **argv)
{
  g_autofree char *db_path = NULL, *team = NULL, *visibility_text = NULL, *results_text = NULL;
  g_autofree char *inactive_text = NULL, *anonymous_text = NULL, *server = NULL;
  int min_group = -1, password_fd = -1;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path, N_("The database"), N_("FILE") },
    { "server", 0, 0, G_OPTION_ARG_STRING, &server,
      N_("The organization's server instead (an administrator's login): kiosks take its policy at their next sync"),
      N_("CONNINFO") },
    { "password-fd", 0, 0, G_OPTION_ARG_INT, &password_fd,
      N_("With --server: read the password from this file descriptor"), N_("N") },
    { "visibility", 0, 0, G_OPTION_ARG_STRING, &visibility_text,
      N_("What managers see: aggregates, levels or full (with --team also inherit)"), N_("WHAT") },
    { "team", 0, 0, G_OPTION_ARG_STRING, &team, N_("Set this team's own visibility"), N_("NAME") },
    { "min-group", 0, 0, G_OPTION_ARG_INT, &min_group, N_("Under aggregates, smaller groups are not shown"), N_("N") },
    { "keep-results-months", 0, 0, G_OPTION_ARG_STRING, &results_text, N_("Delete results older than this"),
      N_("N") },
    { "keep-inactive-months", 0, 0, G_OPTION_ARG_STRING, &inactive_text,
      N_("Erase people deactivated longer than this (0: at the next run)"), N_("N") },
    { "anonymous-answers", 0, 0, G_OPTION_ARG_STRING, &anonymous_text,
      N_("yes: keep expired answers for calibration, linked to nobody; no: delete them"), N_("yes|no") },
    { NULL },
  };
  g_autoptr (GOptionContext) context = new_context (N_("- change the privacy policy"),
      _("Changes the organization's policy, or with --team one team's visibility.\n"
        "Every change makes a new version of the notice: each person is asked to\n"
        "read and confirm it again at their next sign-in. Audited."), entries);
  g_autoptr (GError) error = NULL;
  g_autoptr (RsStore) store = NULL;
  g_autoptr (RsPg) pg = NULL;
  RsPrivacyPolicy policy;
  RsVisibility visibility = RS_VISIBILITY_INHERIT;

  if (!rs_cli_parse (context, "privacy set", &argc, &argv))
    return RS_EXIT_USAGE;
  if (!one_place ("privacy set", db_path, server))
    return RS_EXIT_USAGE;
  if (argc > 1)
    {
      rs_cli_error ("privacy set", _("options only, no arguments"));
      return RS_EXIT_USAGE;
    }
  if (visibility_text != NULL && !rs_visibility_from_id (visibility_text, team != NULL, &visibility))
    {
      rs_cli_error ("privacy set", _("--visibility must be aggregates, levels or full%s, not '%s'"),
                    team != NULL ? _(" (or inherit)") : "", visibility_text);
      return RS_EXIT_USAGE;
    }
  if (team != NULL && (visibility_text == NULL || min_group >= 0 || results_text != NULL || inactive_text != NULL
                       || anonymous_text != NULL))
    {
      rs_cli_error ("privacy set", _("with --team, give --visibility and nothing else: the other settings are the "
                                     "organization's"));
      return RS_EXIT_USAGE;
    }
  if (anonymous_text != NULL && g_strcmp0 (anonymous_text, "yes") != 0 && g_strcmp0 (anonymous_text, "no") != 0)
    {
      rs_cli_error ("privacy set", _("--anonymous-answers must be yes or no, not '%s'"), anonymous_text);
      return RS_EXIT_USAGE;
    }
  if (min_group < -1)
    {
      rs_cli_error ("privacy set", _("--min-group must be a number of people"));
      return RS_EXIT_USAGE;
    }
  if (server != NULL)
    {
      pg = rs_cli_server_connect ("privacy set", server, password_fd, TRUE);
      if (pg == NULL)
        return RS_EXIT_FAILURE;
      if (team != NULL)
        {
          if (!rs_server_set_team_visibility (pg, team, visibility, &error))
            return fail ("privacy set", error);
        }
      else
        {
          if (!rs_server_get_policy (pg, &policy, &error))
            return fail ("privacy set", error);
          if (visibility_text != NULL)
            policy.visibility = visibility;
          if (min_group >= 0)
            policy.min_group = (guint) min_group;
          if (!parse_months ("privacy set", "--keep-results-months", results_text, 1, &policy.keep_results_months)
              || !parse_months ("privacy set", "--keep-inactive-months", inactive_text, 0,
                                &policy.keep_inactive_months))
            return RS_EXIT_USAGE;
          if (anonymous_text != NULL)
            policy.anonymous_answers = g_str_equal (anonymous_text, "yes");
          if (!rs_server_set_policy (pg, &policy, &error))
            return fail ("privacy set", error);
        }
      if (!rs_server_get_policy (pg, &policy, &error))
        return fail ("privacy set", error);
      printf (_("privacy policy version %lld in force on the server; kiosks take it at their next sync\n"),
              (long long) policy.version);
      return RS_EXIT_OK;
    }
  store = open_existing ("privacy set", db_path);
  if (store == NULL)
    return RS_EXIT_FAILURE;
  if (team != NULL)
    {
      gint64 team_id = 0;

      if (!rs_report_find_team (store, team, &team_id, &error)
          || !rs_privacy_set_team_visibility (store, rs_people_operator (), team_id, visibility, &error))
        return fail ("privacy set", error);
    }
  else
    {
      if (!rs_privacy_get_policy (store, &policy, &error))
        return fail ("privacy set", error);
      if (visibility_text != NULL)
        policy.visibility = visibility;
      if (min_group >= 0)
        policy.min_group = (guint) min_group;
      else if (min_group != -1)
        {
          rs_cli_error ("privacy set", _("--min-group must be a number of people"));
          return RS_EXIT_USAGE;
        }
      if (!parse_months ("privacy set", "--keep-results-months", results_text, 1, &policy.keep_results_months)
          || !parse_months ("privacy set", "--keep-inactive-months", inactive_text, 0, &policy.keep_inactive_months))
        return RS_EXIT_USAGE;
      if (anonymous_text != NULL)
        policy.anonymous_answers = g_str_equal (anonymous_text, "yes");
      if (!rs_privacy_set_policy (store, rs_people_operator (), &policy, &error))
        return fail ("privacy set", error);
    }
  if (!rs_privacy_get_policy (store, &policy, &error))
    return fail ("privacy set", error);
  printf (_("privacy policy version %lld in force\n"), (long long) policy.version);
  return RS_EXIT_OK;
}

static int
privacy_wording (int argc, char **argv)
{
  g_autofree char *db_path = NULL, *lang = NULL, *contents = NULL, *server = NULL;
  int password_fd = -1;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path, N_("The database"), N_("FILE") },
    { "server", 0, 0, G_OPTION_ARG_STRING, &server,
      N_("The organization's server instead (an administrator's login): kiosks take it at their next sync"),
      N_("CONNINFO") },
    { "password-fd", 0, 0, G_OPTION_ARG_INT, &password_fd,
      N_("With --server: read the password from this file descriptor"), N_("N") },
    { "lang", 0, 0, G_OPTION_ARG_STRING, &lang,
      N_("The language it is written in, as de or de_CH (default: for every language without its own)"),
      N_("LANG") },
    { NULL },
  };
  g_autoptr (GOptionContext) context = new_context (N_("TEXT-FILE - the organization's own words in the notice"),
      _("Adds the organization's own wording (UTF-8 plain text: who to ask, the works\n"
        "council agreement, ...) to the privacy notice, per language. An empty file\n"
        "removes it. A new version of the notice, to be confirmed again."), entries);
  g_autoptr (GError) error = NULL;
  g_autoptr (RsStore) store = NULL;

  if (!rs_cli_parse (context, "privacy wording", &argc, &argv))
    return RS_EXIT_USAGE;
  if (!one_place ("privacy wording", db_path, server))
    return RS_EXIT_USAGE;
  if (argc != 2)
    {
      rs_cli_error ("privacy wording", _("one TEXT-FILE is required"));
      return RS_EXIT_USAGE;
    }
  if (!rs_file_read_regular (argv[1], MAX_WORDING_FILE, _("wording file"), &contents, NULL, &error))
    return fail ("privacy wording", error);
  if (server != NULL)
    {
      g_autoptr (RsPg) pg = rs_cli_server_connect ("privacy wording", server, password_fd, TRUE);

      if (pg == NULL)
        return RS_EXIT_FAILURE;
      if (!rs_server_set_wording (pg, lang, contents, &error))
        return fail ("privacy wording", error);
      printf (*g_strstrip (contents) != '\0' ? _("wording for %s set on the server\n")
                                             : _("wording for %s removed on the server\n"),
              lang != NULL && *lang != '\0' ? lang : _("every language"));
      return RS_EXIT_OK;
    }
  store = open_existing ("privacy wording", db_path);
  if (store == NULL)
    return RS_EXIT_FAILURE;
  if (!rs_privacy_set_wording (store, rs_people_operator (), lang, contents, &error))
    return fail ("privacy wording", error);
  printf (*g_strstrip (contents) != '\0' ? _("wording for %s set\n") : _("wording for %s removed\n"),
          lang != NULL && *lang != '\0' ? lang : _("every language"));
  return RS_EXIT_OK;
}

static int
privacy_notice (int argc, char **argv)
{
  g_autofree char *db_path = NULL, *employee = NULL;
  gboolean confirm = FALSE;
  int pin_fd = -1;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path, N_("The database"), N_("FILE") },
    { "employee", 0, 0, G_OPTION_ARG_STRING, &employee, N_("The notice for this person (signs in with their PIN)"),
      N_("NO") },
    { "pin-fd", 0, 0, G_OPTION_ARG_INT, &pin_fd, N_("Read the PIN from this open file descriptor"), N_("N") },
    { "confirm", 0, 0, G_OPTION_ARG_NONE, &confirm, N_("Record that the person read and confirms it"), NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) context = new_context (N_("- print the privacy notice"),
      _("Prints the notice made from the policy in force: what is recorded, who sees\n"
        "what, how long it is kept, how to get or erase one's data, and the\n"
        "organization's own words. With --employee it is the notice for that person's\n"
        "team, and --confirm records that they confirmed this version."), entries);
  g_autoptr (GError) error = NULL;
  g_autoptr (RsStore) store = NULL;
  g_autoptr (RsPerson) person = NULL;
  g_autoptr (RsNotice) notice = NULL;
  g_autofree char *text = NULL;

  if (!rs_cli_parse (context, "privacy notice", &argc, &argv))
    return RS_EXIT_USAGE;
  if (db_path == NULL || argc > 1 || (confirm && employee == NULL))
    {
      rs_cli_error ("privacy notice", _("--db FILE is required; --confirm needs --employee NO"));
      return RS_EXIT_USAGE;
    }
  store = open_existing ("privacy notice", db_path);
  if (store == NULL)
    return RS_EXIT_FAILURE;
  if (employee != NULL && (person = sign_in ("privacy notice", store, employee, pin_fd)) == NULL)
    return RS_EXIT_FAILURE;
  notice = rs_privacy_notice (store, person, &error);
  if (notice == NULL)
    return fail ("privacy notice", error);
  text = rs_notice_to_text (notice);
  printf ("%s", text);
  if (confirm)
    {
      if (!rs_privacy_confirm_notice (store, person, notice->version, &error))
        return fail ("privacy notice", error);
      printf (_("\nconfirmed version %lld for %s\n"), (long long) notice->version, person->employee_no);
    }
  else if (person != NULL && rs_privacy_notice_needed (store, person))
    printf (_("\nNot yet confirmed: run this again with --confirm to confirm it.\n"));
  return RS_EXIT_OK;
}

int
rs_cli_privacy (int argc, char **argv)
{
  static const struct {
    const char *name;
    int (*run) (int argc, char **argv);
  } subcommands[] = {
    { "show", privacy_show },
    { "set", privacy_set },
    { "wording", privacy_wording },
    { "notice", privacy_notice },
  };

  if (argc >= 2)
    for (gsize i = 0; i < G_N_ELEMENTS (subcommands); i++)
      if (g_str_equal (argv[1], subcommands[i].name))
        return subcommands[i].run (argc - 1, argv + 1);
  if (argc >= 2 && (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h")))
    {
      printf (_("Usage:\n"
                "  reskill privacy show --db FILE\n"
                "  reskill privacy set --db FILE [--visibility aggregates|levels|full] [--min-group N]\n"
                "                      [--keep-results-months N] [--keep-inactive-months N] [--anonymous-answers yes|no]\n"
                "  reskill privacy set --db FILE --team NAME --visibility aggregates|levels|full|inherit\n"
                "  reskill privacy wording --db FILE [--lang LANG] TEXT-FILE\n"
                "  (set and wording take --server CONNINFO instead of --db: the organization's\n"
                "   server, whose policy every kiosk takes at its next sync)\n"
                "  reskill privacy notice --db FILE [--employee NO [--pin-fd N] [--confirm]]\n"
                "\n"
                "What managers may see, how long results are kept, and the notice every person\n"
                "confirms (docs/PRIVACY.md). Each subcommand has --help.\n"));
      return RS_EXIT_OK;
    }
  rs_cli_error ("privacy", _("give a subcommand: show, set, wording or notice (reskill privacy --help)"));
  return RS_EXIT_USAGE;
}

/* --- reskill retention --- */

int
rs_cli_retention (int argc, char **argv)
{
  g_autofree char *db_path = NULL, *text = NULL, *server = NULL;
  gboolean dry_run = FALSE;
  int password_fd = -1;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path, N_("The database"), N_("FILE") },
    { "server", 0, 0, G_OPTION_ARG_STRING, &server,
      N_("The organization's server instead (an administrator's login)"), N_("CONNINFO") },
    { "password-fd", 0, 0, G_OPTION_ARG_INT, &password_fd,
      N_("With --server: read the password from this file descriptor"), N_("N") },
    { "dry-run", 0, 0, G_OPTION_ARG_NONE, &dry_run, N_("Only say what would be deleted"), NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) context = new_context (N_("- delete what the privacy policy no longer keeps"),
      _("Deletes results older than the policy keeps (keeping their answers for\n"
        "calibration, linked to nobody, where the policy says so) and erases people\n"
        "deactivated longer than it keeps them; then clears the database's\n"
        "write-ahead log, so that nothing deleted stays in either file. The kiosk\n"
        "runs this by itself once a day. The audit log gets the counts, never a\n"
        "name. Exit status 1 when the log could not be cleared (another program\n"
        "has the database open): run it again later."), entries);
  g_autoptr (GError) error = NULL;
  g_autoptr (RsStore) store = NULL;
  RsRetentionReport report = { 0 };
  int status = RS_EXIT_OK;

  if (!rs_cli_parse (context, "retention", &argc, &argv))
    return RS_EXIT_USAGE;
  if (!one_place ("retention", db_path, server))
    return RS_EXIT_USAGE;
  if (argc > 1)
    {
      rs_cli_error ("retention", _("options only, no arguments"));
      return RS_EXIT_USAGE;
    }
  if (server != NULL)
    {
      g_autoptr (RsPg) pg = rs_cli_server_connect ("retention", server, password_fd, TRUE);
      int n_attempts = 0, n_answers = 0, n_people = 0;

      if (pg == NULL)
        return RS_EXIT_FAILURE;
      if (!rs_server_retention (pg, dry_run, g_get_real_time (), &n_attempts, &n_answers, &n_people, &error))
        return fail ("retention", error);
      /* Translators: the start of "would delete 3 attempts (84 answers) and 1 person on the server". */
      printf ("%s ", dry_run ? _("would delete") : _("deleted"));
      printf (g_dngettext (GETTEXT_PACKAGE, "%d attempt", "%d attempts", (unsigned long) n_attempts), n_attempts);
      printf (" ");
      printf (g_dngettext (GETTEXT_PACKAGE, "(%d answer)", "(%d answers)", (unsigned long) n_answers), n_answers);
      printf (" ");
      printf (g_dngettext (GETTEXT_PACKAGE, "and %d person on the server", "and %d people on the server",
                           (unsigned long) n_people), n_people);
      printf ("\n");
      return RS_EXIT_OK;
    }
  store = open_existing ("retention", db_path);
  if (store == NULL)
    return RS_EXIT_FAILURE;
  if (!rs_retention_run (store, rs_people_operator (), dry_run, &report, &error))
    return fail ("retention", error);
  text = rs_retention_report_describe (&report);
  printf ("%s\n", text);
  if (!dry_run && !report.log_wiped)
    {
      rs_cli_error ("retention", "%s", report.log_problem);
      status = RS_EXIT_FAILURE;
    }
  rs_retention_report_clear (&report);
  return status;
}

/* --- reskill export-person --- */

int
rs_cli_export_person (int argc, char **argv)
{
  g_autofree char *db_path = NULL, *output = NULL;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path, N_("The database"), N_("FILE") },
    { "output", 0, 0, G_OPTION_ARG_FILENAME, &output, N_("A new or empty folder for the files"), N_("DIR") },
    { NULL },
  };
  g_autoptr (GOptionContext) context = new_context (N_("EMPLOYEE_NO - everything about one person, as JSON and CSV"),
      _("Writes every attempt, answer, result, self-estimate, notice confirmation,\n"
        "record of who looked and audit entry about the person into DIR: person.json,\n"
        "one CSV file per part, and README.txt, which says what each field means.\n"
        "For a person's request for their data; recorded as a look at their results,\n"
        "which they can see."), entries);
  g_autoptr (GError) error = NULL;
  g_autoptr (RsStore) store = NULL;
  g_autoptr (RsPerson) person = NULL;
  RsPersonExport export = { 0 };

  if (!rs_cli_parse (context, "export-person", &argc, &argv))
    return RS_EXIT_USAGE;
  if (db_path == NULL || output == NULL || argc != 2)
    {
      rs_cli_error ("export-person", _("--db FILE, --output DIR and one EMPLOYEE_NO are required"));
      return RS_EXIT_USAGE;
    }
  store = open_existing ("export-person", db_path);
  if (store == NULL || (person = find_person ("export-person", store, argv[1])) == NULL)
    return RS_EXIT_FAILURE;
  if (!rs_person_export (store, rs_people_operator (), person->id, output, &export, &error))
    return fail ("export-person", error);
  printf (_("wrote %s: %u attempts, %u answers, %u results, %u self-estimates, %u notice confirmations, %u records "
            "of who looked, %u audit entries\n"),
          export.dir, export.n_attempts, export.n_answers, export.n_results, export.n_self_estimates,
          export.n_confirmations, export.n_views, export.n_audit);
  rs_person_export_clear (&export);
  return RS_EXIT_OK;
}

/* --- reskill erase-person --- */

int
rs_cli_erase_person (int argc, char **argv)
{
  g_autofree char *db_path = NULL, *text = NULL;
  gboolean dry_run = FALSE;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path, N_("The database"), N_("FILE") },
    { "dry-run", 0, 0, G_OPTION_ARG_NONE, &dry_run, N_("Only say what would be erased"), NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) context = new_context (N_("EMPLOYEE_NO - erase a person and everything about them"),
      _("Removes the person from this database: attempts, answers, results, notice\n"
        "confirmations, who looked, sign-ins, and their name and number wherever the\n"
        "audit log had them; then clears the write-ahead log. What stays is a\n"
        "tombstone without the name or the number in readable form, which every\n"
        "results bundle from now on carries, so that other kiosks erase the person\n"
        "too and no import brings them back (docs/PRIVACY.md). Cannot be undone.\n"
        "Exit status 1 when the log could not be cleared (another program has the\n"
        "database open)."), entries);
  g_autoptr (GError) error = NULL;
  g_autoptr (RsStore) store = NULL;
  RsErasureSummary summary = { 0 };
  int status = RS_EXIT_OK;

  if (!rs_cli_parse (context, "erase-person", &argc, &argv))
    return RS_EXIT_USAGE;
  if (db_path == NULL || argc != 2)
    {
      rs_cli_error ("erase-person", _("--db FILE and one EMPLOYEE_NO are required"));
      return RS_EXIT_USAGE;
    }
  store = open_existing ("erase-person", db_path);
  if (store == NULL)
    return RS_EXIT_FAILURE;
  if (!rs_erasure_erase_person (store, rs_people_operator (), argv[1], dry_run, &summary, &error))
    return fail ("erase-person", error);
  text = rs_erasure_summary_describe (&summary, dry_run);
  printf ("%s\n", text);
  if (!dry_run)
    printf (_("Export results from this kiosk (reskill export-results) and import the bundle on the others: they "
              "erase the person too.\n"));
  if (!dry_run && !summary.log_wiped)
    {
      rs_cli_error ("erase-person", "%s", summary.log_problem);
      status = RS_EXIT_FAILURE;
    }
  rs_erasure_summary_clear (&summary);
  return status;
}

/* --- reskill who-looked --- */

int
rs_cli_who_looked (int argc, char **argv)
{
  g_autofree char *db_path = NULL, *server = NULL;
  gboolean signed_in = FALSE;
  int pin_fd = -1, password_fd = -1;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path, N_("The database"), N_("FILE") },
    { "server", 0, 0, G_OPTION_ARG_STRING, &server,
      N_("The organization's server instead: the person's own login, or an administrator's"), N_("CONNINFO") },
    { "password-fd", 0, 0, G_OPTION_ARG_INT, &password_fd,
      N_("With --server: read the password from this file descriptor"), N_("N") },
    { "sign-in", 0, 0, G_OPTION_ARG_NONE, &signed_in, N_("Sign in as that person (their PIN) to see it"), NULL },
    { "pin-fd", 0, 0, G_OPTION_ARG_INT, &pin_fd, N_("Read the PIN from this open file descriptor"), N_("N") },
    { NULL },
  };
  g_autoptr (GOptionContext) context = new_context (N_("EMPLOYEE_NO - who looked at a person's results, and when"),
      _("Lists, newest first, every time a manager or an administrator was shown the\n"
        "person's named results: the member page, a team report with names (on screen,\n"
        "PDF or CSV), their answers, a copy of their data. With --sign-in the person\n"
        "signs in and sees their own list; without, the database's owner at the\n"
        "terminal sees it (answering the person's request)."), entries);
  g_autoptr (GError) error = NULL;
  g_autoptr (RsStore) store = NULL;
  g_autoptr (RsPerson) person = NULL;
  g_autoptr (GPtrArray) views = NULL;

  if (!rs_cli_parse (context, "who-looked", &argc, &argv))
    return RS_EXIT_USAGE;
  if (!one_place ("who-looked", db_path, server))
    return RS_EXIT_USAGE;
  if (argc != 2)
    {
      rs_cli_error ("who-looked", _("one EMPLOYEE_NO is required"));
      return RS_EXIT_USAGE;
    }
  if (server != NULL)
    {
      g_autoptr (RsPg) pg = rs_cli_server_connect ("who-looked", server, password_fd, TRUE);

      if (pg == NULL)
        return RS_EXIT_FAILURE;
      views = rs_server_who_looked (pg, argv[1], &error);
      if (views == NULL)
        return fail ("who-looked", error);
      if (views->len == 0)
        printf (_("Nobody else has looked at the results of %s.\n"), argv[1]);
      for (guint i = 0; i < views->len; i++)
        {
          g_autofree char *line = rs_result_view_describe (g_ptr_array_index (views, i));
          printf ("%s\n", line);
        }
      return RS_EXIT_OK;
    }
  store = open_existing ("who-looked", db_path);
  if (store == NULL)
    return RS_EXIT_FAILURE;
  person = signed_in ? sign_in ("who-looked", store, argv[1], pin_fd) : find_person ("who-looked", store, argv[1]);
  if (person == NULL)
    return RS_EXIT_FAILURE;
  views = rs_person_who_looked (store, signed_in ? person : rs_people_operator (), person->id, &error);
  if (views == NULL)
    return fail ("who-looked", error);
  if (views->len == 0)
    printf (_("Nobody else has looked at the results of %s.\n"), person->employee_no);
  for (guint i = 0; i < views->len; i++)
    {
      g_autofree char *line = rs_result_view_describe (g_ptr_array_index (views, i));
      printf ("%s\n", line);
    }
  return RS_EXIT_OK;
}

/* --- reskill share-practice --- */

int
rs_cli_share_practice (int argc, char **argv)
{
  g_autofree char *db_path = NULL, *employee = NULL;
  int pin_fd = -1;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path, N_("The database"), N_("FILE") },
    { "employee", 0, 0, G_OPTION_ARG_STRING, &employee, N_("Whose practice result (signs in with their PIN)"),
      N_("NO") },
    { "pin-fd", 0, 0, G_OPTION_ARG_INT, &pin_fd, N_("Read the PIN from this open file descriptor"), N_("N") },
    { NULL },
  };
  g_autoptr (GOptionContext) context = new_context (N_("ATTEMPT_UUID - share a practice result"),
      _("A practice assessment is seen by the person alone. Sharing it makes it an\n"
        "ordinary result: in reports for the manager, and in results bundles from\n"
        "the next export. Only the person can share it, after signing in."), entries);
  g_autoptr (GError) error = NULL;
  g_autoptr (RsStore) store = NULL;
  g_autoptr (RsPerson) person = NULL;

  if (!rs_cli_parse (context, "share-practice", &argc, &argv))
    return RS_EXIT_USAGE;
  if (db_path == NULL || employee == NULL || argc != 2)
    {
      rs_cli_error ("share-practice", _("--db FILE, --employee NO and one ATTEMPT_UUID are required"));
      return RS_EXIT_USAGE;
    }
  store = open_existing ("share-practice", db_path);
  if (store == NULL || (person = sign_in ("share-practice", store, employee, pin_fd)) == NULL)
    return RS_EXIT_FAILURE;
  if (!rs_privacy_share_practice (store, person, argv[1], &error))
    return fail ("share-practice", error);
  printf (_("shared %s: it is an ordinary result now\n"), argv[1]);
  return RS_EXIT_OK;
}
