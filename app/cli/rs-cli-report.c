/* SPDX-License-Identifier: GPL-3.0-or-later */
/* reskill report: a team report exported as PDF or CSV.
 *
 * Whoever runs this can read the database file, and with it every result:
 * without --as the command acts as that operator, with an administrator's
 * rights. --as EMPLOYEE_NO runs it with that person's rights instead, and is
 * refused exactly as the core refuses them. Every export is audited. */
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <stdio.h>

#include "rs-access.h"
#include "rs-cli-commands.h"
#include "rs-error.h"
#include "rs-i18n.h"
#include "rs-paths.h"
#include "rs-report-pdf.h"
#include "rs-report.h"
#include "rs-server-report.h"
#include "rs-store.h"

/* The operator without --as: admin rights, and no row in people (the
 * audit log records the export with no person). */
#define OPERATOR_ID (-1)

static int
fail (const GError *error)
{
  rs_cli_error ("report", "%s", error->message);
  return RS_EXIT_FAILURE;
}

static void
print_written (const char *output, const RsTeamReport *report)
{
  if (report->names_shown)
    printf (g_dngettext (GETTEXT_PACKAGE, "wrote %s: %u member\n", "wrote %s: %u members\n", report->n_members),
            output, report->n_members);
  else
    printf (g_dngettext (GETTEXT_PACKAGE,
                         "wrote %s: %u member, team figures only (the privacy policy for this team shows no names)\n",
                         "wrote %s: %u members, team figures only (the privacy policy for this team shows no names)\n",
                         report->n_members),
            output, report->n_members);
}

static int
report_from_server (const char *conninfo, int password_fd, const char *team, gboolean pdf, const char *output,
                    const char *roles_path, const char *org)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RsPg) pg = NULL;
  g_autoptr (RsRoleSet) roles = NULL;
  g_autoptr (RsPerson) viewer = NULL;
  g_autoptr (RsTeamReport) report = NULL;
  g_autofree char *default_roles = roles_path == NULL ? rs_default_roles_path () : NULL;
  g_autofree char *detail = NULL;
  gint64 team_id = 0;

  roles = rs_role_set_load (roles_path != NULL ? roles_path : default_roles, &error);
  if (roles == NULL)
    return fail (error);
  pg = rs_cli_server_connect ("report", conninfo, password_fd, TRUE);
  if (pg == NULL)
    return RS_EXIT_FAILURE;
  if ((viewer = rs_server_viewer (pg, &error)) == NULL || !rs_server_find_team (pg, viewer, team, &team_id, &error)
      || (report = rs_server_team_report (pg, roles, viewer, team_id, &error)) == NULL)
    return fail (error);
  if (pdf ? !rs_team_report_write_pdf (report, org != NULL ? org : "", output, &error)
          : !rs_team_report_write_csv (report, output, &error))
    return fail (error);
  detail = g_strdup_printf ("team report \"%s\" as %s to %s", team, pdf ? "pdf" : "csv", output);
  if (!rs_pg_exec (pg, &error, "SELECT reskill.audit_export ($1)", "s", detail)
      || !rs_server_record_export (pg, report, pdf ? RS_VIEW_TEAM_PDF : RS_VIEW_TEAM_CSV, &error))
    {
      g_remove (output);
      return fail (error);
    }
  print_written (output, report);
  return RS_EXIT_OK;
}

int
rs_cli_report (int argc, char **argv)
{
  g_autofree char *db_path = NULL, *team = NULL, *format = NULL, *output = NULL, *as = NULL, *conninfo = NULL;
  g_autofree char *roles_path = NULL, *org = NULL, *detail = NULL;
  int password_fd = -1;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path, N_("The database"), N_("FILE") },
    { "server", 0, 0, G_OPTION_ARG_STRING, &conninfo,
      N_("Report from the organization's server instead, with the rights of the login's person"), N_("CONNINFO") },
    { "password-fd", 0, 0, G_OPTION_ARG_INT, &password_fd,
      N_("--server: read the login's password from this descriptor when ~/.pgpass has none"), N_("N") },
    { "team", 0, 0, G_OPTION_ARG_STRING, &team, N_("The team, by name"), N_("NAME") },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format, N_("pdf or csv"), N_("FORMAT") },
    { "output", 0, 0, G_OPTION_ARG_FILENAME, &output, N_("The file to write (replaced whole, or left as it was)"), N_("OUT") },
    { "as", 0, 0, G_OPTION_ARG_STRING, &as, N_("Run with this person's rights (a manager sees only the teams they lead)"), N_("EMPLOYEE_NO") },
    { "roles", 0, 0, G_OPTION_ARG_FILENAME, &roles_path, N_("The roles file"), N_("FILE") },
    { "org", 0, 0, G_OPTION_ARG_STRING, &org, N_("Organization name for the PDF's title page"), N_("NAME") },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new (_("- export a team report as PDF or CSV"));
  g_autoptr (GError) error = NULL;
  g_autoptr (RsStore) store = NULL;
  g_autoptr (RsRoleSet) roles = NULL;
  g_autoptr (RsPerson) viewer = NULL;
  g_autoptr (RsTeamReport) report = NULL;
  gboolean pdf;
  gint64 team_id = 0;

  g_option_context_set_summary (context,
      _("Writes the team report: members x skills, levels with their bands, role\n"
      "readiness and progress (PDF), or one row per member and skill (CSV).\n\n"
      "Without --as the report is made with the rights of whoever runs this\n"
      "command: the owner of the database file, who can read every result in it,\n"
      "is treated as an administrator. With --as it runs as that person: an\n"
      "employee is refused, a manager gets only the teams they lead.\n\n"
      "Either way the report follows the team's privacy policy (reskill privacy\n"
      "show): under \"aggregates\" it names nobody and shows no figure about fewer\n"
      "people than the policy's smallest group. A report with names is recorded\n"
      "as a look at each named member's results, which they can list.\n\n"
      "With --server (instead of --db) the report comes from the organization's\n"
      "server, and the server decides what the login may see: a manager's own\n"
      "login gets only the teams they lead (row-level security)."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!rs_cli_parse (context, "report", &argc, &argv))
    return RS_EXIT_USAGE;
  if (argc > 1)
    {
      rs_cli_error ("report", _("unexpected argument '%s'"), argv[1]);
      return RS_EXIT_USAGE;
    }
  if ((db_path == NULL) == (conninfo == NULL) || team == NULL || format == NULL || output == NULL)
    {
      rs_cli_error ("report", _("--db FILE (or --server CONNINFO), --team NAME, --format pdf|csv and --output OUT are "
                    "required"));
      return RS_EXIT_USAGE;
    }
  if (conninfo != NULL && as != NULL)
    {
      rs_cli_error ("report", _("--as goes with --db: on the server, the login says who you are"));
      return RS_EXIT_USAGE;
    }
  if (g_strcmp0 (format, "pdf") != 0 && g_strcmp0 (format, "csv") != 0)
    {
      rs_cli_error ("report", _("unknown format '%s': use pdf or csv"), format);
      return RS_EXIT_USAGE;
    }
  pdf = g_str_equal (format, "pdf");
  if (conninfo != NULL)
    return report_from_server (conninfo, password_fd, team, pdf, output, roles_path, org);
  /* The database must exist: opening would create an empty one. */
  if (!g_file_test (db_path, G_FILE_TEST_IS_REGULAR))
    {
      rs_cli_error ("report", _("%s: no such database"), db_path);
      return RS_EXIT_FAILURE;
    }
  if (roles_path == NULL)
    roles_path = rs_default_roles_path ();
  roles = rs_role_set_load (roles_path, &error);
  if (roles == NULL)
    return fail (error);
  store = rs_store_open (db_path, &error);
  if (store == NULL && g_error_matches (error, RS_ERROR, RS_ERROR_DB_READONLY))
    {
      /* A database on a read-only disk, or someone else's: report on it
       * anyway, reading only. Its audit log cannot record this export. */
      g_clear_error (&error);
      store = rs_store_open_full (db_path, RS_STORE_OPEN_READ_ONLY, &error);
    }
  if (store == NULL)
    return fail (error);

  if (as != NULL)
    {
      viewer = rs_store_find_person (store, as, &error);
      if (viewer == NULL)
        return fail (error);
    }
  else
    {
      viewer = g_new0 (RsPerson, 1);
      viewer->id = OPERATOR_ID;
      viewer->employee_no = g_strdup ("");
      /* Translators: a user name of the system, such as "root (database owner)". */
      viewer->name = g_strdup_printf (_("%s (database owner)"), g_get_user_name ());
      viewer->role = RS_PERSON_ADMIN;
      viewer->active = TRUE;
    }

  if (!rs_report_find_team_for (store, viewer, team, &team_id, &error))
    return fail (error);
  report = rs_team_report_new (store, roles, viewer, team_id, &error);
  if (report == NULL)
    return fail (error);
  if (pdf ? !rs_team_report_write_pdf (report, org != NULL ? org : "", output, &error)
          : !rs_team_report_write_csv (report, output, &error))
    return fail (error);

  /* No export without its audit row, nor without the record of whose
   * results it names (who looked, issue 14): if either cannot be written,
   * the file goes too. A read-only database cannot have them: said so. */
  if (rs_store_is_read_only (store))
    {
      fprintf (stderr, "reskill report: ");
      fprintf (stderr, _("%s is read-only: this export is not recorded in its audit log, nor who looked at "
                         "whose results\n"), db_path);
      print_written (output, report);
      return RS_EXIT_OK;
    }
  detail = g_strdup_printf ("team report \"%s\" as %s to %s%s", team, format, output,
                            as != NULL ? "" : " (by the database's owner)");
  if (!rs_team_report_record_export (store, viewer, report, pdf ? RS_VIEW_TEAM_PDF : RS_VIEW_TEAM_CSV, &error)
      || !rs_store_audit (store, viewer->id == OPERATOR_ID ? 0 : viewer->id, "export", detail, &error))
    {
      g_remove (output);
      return fail (error);
    }
  print_written (output, report);
  return RS_EXIT_OK;
}
