/* SPDX-License-Identifier: GPL-3.0-or-later */
/* reskill import-people and reskill item-stats: the administrator's jobs that
 * need no screen. The person running them owns the database file, so they
 * act as rs_people_operator(). */
#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "rs-bank.h"
#include "rs-cli-commands.h"
#include "rs-item-stats.h"
#include "rs-paths.h"
#include "rs-people.h"
#include "rs-server.h"
#include "rs-server-report.h"
#include "rs-store.h"

int
rs_cli_import_people (int argc, char **argv)
{
  g_autofree char *db_path = NULL, *conninfo = NULL;
  gboolean allow_no_admin = FALSE;
  int password_fd = -1;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path, N_("The database (created when missing)"), N_("FILE") },
    { "server", 0, 0, G_OPTION_ARG_STRING, &conninfo,
      N_("Import into the organization's server instead (as an administrator), for every kiosk to pull"), N_("CONNINFO") },
    { "password-fd", 0, 0, G_OPTION_ARG_INT, &password_fd, N_("--server: read the password from this descriptor"), N_("N") },
    { "allow-no-admin", 0, 0, G_OPTION_ARG_NONE, &allow_no_admin,
      N_("Import even when the database is left without an administrator (then make one with a set-up code)"), NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new (_("PEOPLE.CSV - create or update people and teams"));
  g_autoptr (GError) error = NULL;
  g_autoptr (RsStore) store = NULL;
  g_autoptr (GPtrArray) new_pins = NULL;
  RsImportReport report = { 0 };

  g_option_context_set_summary (context,
      _("Reads a UTF-8 CSV file whose header names the columns employee_no, name,\n"
      "team and role (employee, manager or admin), in any order. People are matched\n"
      "by employee number: existing ones are updated and keep their PIN; each new\n"
      "one gets a one-time PIN, printed here once as \"EMPLOYEE_NO PIN NAME\" and\n"
      "stored only as a hash. A bad row rejects the whole file (FILE:LINE: message,\n"
      "exit status 1) and changes nothing. So does a file that would leave the\n"
      "database with people but no administrator, unless --allow-no-admin: a kiosk\n"
      "must never offer its first-run page to whoever walks up to it."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!rs_cli_parse (context, "import-people", &argc, &argv))
    return RS_EXIT_USAGE;
  if ((db_path == NULL) == (conninfo == NULL))
    {
      rs_cli_error ("import-people", _("give --db FILE or --server CONNINFO"));
      return RS_EXIT_USAGE;
    }
  if (argc != 2)
    {
      rs_cli_error ("import-people", g_dngettext (GETTEXT_PACKAGE, "expected one CSV file, got %d argument",
                                                  "expected one CSV file, got %d arguments", (gulong) (argc - 1)),
                    argc - 1);
      return RS_EXIT_USAGE;
    }
  if (conninfo != NULL)
    {
      g_autoptr (RsPg) pg = rs_cli_server_connect ("import-people", conninfo, password_fd, TRUE);

      if (pg == NULL)
        return RS_EXIT_FAILURE;
      if (!rs_server_import_people (pg, argv[1], allow_no_admin, &new_pins, &report, &error))
        {
          fprintf (stderr, "%s\n", error->message);
          return RS_EXIT_FAILURE;
        }
      db_path = g_strdup (rs_pg_describe (pg));
    }
  else if ((store = rs_store_open (db_path, &error)) == NULL)
    {
      rs_cli_error ("import-people", "%s", error->message);
      return RS_EXIT_FAILURE;
    }
  if (store != NULL
      && !rs_people_import_csv_full (store, rs_people_operator (), argv[1], allow_no_admin, &new_pins, &report,
                                     &error))
    {
      /* Already "file:line: message", as from `validate`. */
      fprintf (stderr, "%s\n", error->message);
      return RS_EXIT_FAILURE;
    }
  for (guint i = 0; i < new_pins->len; i++)
    {
      const RsNewPin *pin = g_ptr_array_index (new_pins, i);
      printf ("%s %s %s\n", pin->employee_no, pin->pin, pin->name);
    }
  /* Translators: counts of people. */
  printf (_("added %u, updated %u, unchanged %u"), report.n_added, report.n_updated, report.n_unchanged);
  if (report.n_teams_added > 0)
    printf (g_dngettext (GETTEXT_PACKAGE, ", %u new team", ", %u new teams", report.n_teams_added),
            report.n_teams_added);
  printf ("\n");
  if (new_pins->len > 0)
    fprintf (stderr, "%s\n", _("Hand each new person their PIN: it is shown only this once."));
  if (report.no_admin && store == NULL)
    fprintf (stderr, _("Warning: the server %s has no active administrator.\n"), db_path);
  else if (report.no_admin)
    fprintf (stderr, _("Warning: %s has no administrator who can sign in. To create one at the kiosk, run "
                       "'reskill setup-code --db %s' here and type the code on its first-run page.\n"),
             db_path, db_path);
  return RS_EXIT_OK;
}

/* A CSV field: quoted when it holds a comma, a quote or a line break. */
static void
print_csv_field (const char *text, gboolean last)
{
  if (strpbrk (text, ",\"\r\n") != NULL)
    {
      putchar ('"');
      for (const char *p = text; *p != '\0'; p++)
        {
          if (*p == '"')
            putchar ('"');
          putchar (*p);
        }
      putchar ('"');
    }
  else
    fputs (text, stdout);
  putchar (last ? '\n' : ',');
}

static void
print_csv (const GPtrArray *stats, const RsItemStatsOptions *options)
{
  printf ("item_id,skill,shown,attempts,facility,discrimination,discrimination_n,mean_time_ms,exposure,flags,reasons\n");
  for (guint i = 0; i < stats->len; i++)
    {
      const RsItemStat *s = g_ptr_array_index (stats, i);
      g_autofree char *flags = rs_item_stat_flag_ids (s->flags);
      g_autofree char *reasons = rs_item_stat_reasons_untranslated (s, options);
      g_autofree char *discrimination = isnan (s->discrimination) ? g_strdup ("")
                                                                  : g_strdup_printf ("%.4f", s->discrimination);

      print_csv_field (s->item_id, FALSE);
      printf ("%s,%d,%d,%.4f,%s,%d,%.0f,%.4f,", rs_skill_id (s->skill), s->n_shown, s->n_attempts, s->facility,
              discrimination, s->n_discrimination, s->mean_time_ms, s->exposure);
      print_csv_field (flags, FALSE);
      print_csv_field (reasons, TRUE);
    }
}

static void
print_table (const GPtrArray *stats, const RsItemStatsOptions *options)
{
  guint n_review = 0, n_few = 0;
  int width = 4;

  for (guint i = 0; i < stats->len; i++)
    {
      const RsItemStat *s = g_ptr_array_index (stats, i);
      width = MAX (width, (int) g_utf8_strlen (s->item_id, -1));
      n_review += (s->flags & RS_ITEM_FLAGS_REVIEW) != 0;
      n_few += (s->flags & RS_ITEM_FLAGS_REVIEW) == 0 && (s->flags & RS_ITEM_FLAG_TOO_FEW) != 0;
    }
  /* Translators: the headings of the item statistics table; short words,
   * the columns are narrow. */
  const char *heading[] = { _("item"), _("skill"), _("shown"), _("facility"), _("discrim"), _("time s"),
                            _("exposure"), _("review") };
  /* Each column as wide as its translated heading if that is longer;
   * counted in characters (printf pads bytes, and headings may have
   * umlauts). The first two columns and the last are left-aligned. */
  int w[G_N_ELEMENTS (heading)] = { width, 10, 6, 8, 7, 7, 8, 0 };
  g_autoptr (GString) head = g_string_new (NULL);

  for (guint c = 0; c < G_N_ELEMENTS (heading); c++)
    {
      int len = (int) g_utf8_strlen (heading[c], -1);
      gboolean left = c < 2 || c == G_N_ELEMENTS (heading) - 1;

      w[c] = MAX (w[c], len);
      if (c > 0)
        g_string_append (head, "  ");
      if (!left)
        g_string_append_printf (head, "%*s", w[c] - len, "");
      g_string_append (head, heading[c]);
      if (left && c < G_N_ELEMENTS (heading) - 1)
        g_string_append_printf (head, "%*s", w[c] - len, "");
    }
  printf ("%s\n", head->str);
  for (guint i = 0; i < stats->len; i++)
    {
      const RsItemStat *s = g_ptr_array_index (stats, i);
      g_autofree char *reasons = rs_item_stat_reasons (s, options);
      char discrimination[16];

      if (isnan (s->discrimination))
        g_strlcpy (discrimination, "-", sizeof discrimination);
      else
        g_snprintf (discrimination, sizeof discrimination, "%.2f", s->discrimination);
      printf ("%-*s  %-*s  %*d  %*.2f  %*s  %*.1f  %*.2f  %s\n", w[0], s->item_id, w[1], rs_skill_id (s->skill), w[2],
              s->n_shown, w[3], s->facility, w[4], discrimination, w[5], s->mean_time_ms / 1000.0, w[6], s->exposure,
              reasons);
    }
  printf (g_dngettext (GETTEXT_PACKAGE, "%u item answered: %u to review, %u with too few responses to judge.\n",
                       "%u items answered: %u to review, %u with too few responses to judge.\n", stats->len),
          stats->len, n_review, n_few);
}

/* Per skill: the largest exposure and how much of the bank was used, the
 * two figures that say whether every item collects answers. */
static void
print_summary (FILE *out, const GPtrArray *stats, const RsBank *bank)
{
  RsItemStatsSummary summary[RS_N_SKILLS];

  rs_item_stats_summarize (stats, bank, summary);
  for (int k = 0; k < RS_N_SKILLS; k++)
    {
      const RsItemStatsSummary *sum = &summary[k];

      if (sum->n_attempts == 0 && sum->n_bank_items == 0)
        continue;
      g_autofree char *attempts = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d attempt", "%d attempts",
                                                                (gulong) sum->n_attempts), sum->n_attempts);

      /* Translators: a skill id, "120 attempts", and the largest share of
       * attempts one item was shown in. */
      fprintf (out, _("%s: %s, maximum exposure %.3f"), rs_skill_id ((RsSkill) k), attempts, sum->max_exposure);
      if (sum->max_item_id != NULL)
        fprintf (out, " (%s)", sum->max_item_id);
      if (sum->n_bank_items > 0)
        fprintf (out, g_dngettext (GETTEXT_PACKAGE, ", %d of %d bank item used (%.0f%%)\n",
                                   ", %d of %d bank items used (%.0f%%)\n", (gulong) sum->n_bank_items),
                 sum->n_items_used, sum->n_bank_items, 100.0 * sum->n_items_used / sum->n_bank_items);
      else
        fprintf (out, g_dngettext (GETTEXT_PACKAGE, ", %d item used\n", ", %d items used\n",
                                   (gulong) sum->n_items_used), sum->n_items_used);
    }
}

int
rs_cli_item_stats (int argc, char **argv)
{
  g_autofree char *db_path = NULL, *questions = NULL, *conninfo = NULL;
  gboolean csv = FALSE;
  int password_fd = -1;
  double cap = RS_ITEM_STATS_EXPOSURE_CAP;
  int min_responses = RS_ITEM_STATS_MIN_RESPONSES;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path, N_("The database"), N_("FILE") },
    { "server", 0, 0, G_OPTION_ARG_STRING, &conninfo,
      N_("Every kiosk's answers on the organization's server instead (as an administrator)"), N_("CONNINFO") },
    { "password-fd", 0, 0, G_OPTION_ARG_INT, &password_fd, N_("--server: read the password from this descriptor"), N_("N") },
    { "csv", 0, 0, G_OPTION_ARG_NONE, &csv, N_("Print CSV instead of a table"), NULL },
    { "exposure-cap", 0, 0, G_OPTION_ARG_DOUBLE, &cap, N_("Flag items shown in more than this share of attempts (default 0.25)"), N_("X") },
    { "min-responses", 0, 0, G_OPTION_ARG_INT, &min_responses, N_("Judge items only with this many responses (default 20)"), N_("N") },
    { "questions", 0, 0, G_OPTION_ARG_FILENAME, &questions, N_("The question folder, for the share of the bank used (default: the installed bank)"), N_("DIR") },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new (_("- statistics of each question from the responses"));
  g_autoptr (GError) error = NULL;
  g_autoptr (RsStore) store = NULL;
  g_autoptr (GPtrArray) stats = NULL;
  g_autoptr (RsBank) bank = NULL;
  RsItemStatsOptions options;

  g_option_context_set_summary (context,
      _("For every answered question: times shown, facility (mean score / max),\n"
      "discrimination (correlation of the item's score with the rest of its skill's\n"
      "score, as Moodle's discrimination index), mean time and exposure. Questions to\n"
      "review come first: facility outside 0.2-0.9, discrimination below 0.2, or\n"
      "exposure above the cap. Then, per skill, the maximum exposure and the share\n"
      "of the bank's items ever shown (on standard error with --csv)."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!rs_cli_parse (context, "item-stats", &argc, &argv))
    return RS_EXIT_USAGE;
  if (argc > 1)
    {
      rs_cli_error ("item-stats", _("unexpected argument '%s'"), argv[1]);
      return RS_EXIT_USAGE;
    }
  if ((db_path == NULL) == (conninfo == NULL))
    {
      rs_cli_error ("item-stats", _("give --db FILE or --server CONNINFO"));
      return RS_EXIT_USAGE;
    }
  if (!(cap > 0 && cap <= 1) || min_responses < 2)
    {
      rs_cli_error ("item-stats", _("need 0 < --exposure-cap <= 1 and --min-responses >= 2"));
      return RS_EXIT_USAGE;
    }
  options = (RsItemStatsOptions) { cap, min_responses };
  if (conninfo != NULL)
    {
      g_autoptr (RsPg) pg = rs_cli_server_connect ("item-stats", conninfo, password_fd, TRUE);

      if (pg == NULL)
        return RS_EXIT_FAILURE;
      stats = rs_server_item_stats (pg, &options, &error);
      if (stats == NULL)
        {
          rs_cli_error ("item-stats", "%s", error->message);
          return RS_EXIT_FAILURE;
        }
      goto print;
    }
  /* Reading must not create an empty database where none was. */
  if (!g_file_test (db_path, G_FILE_TEST_EXISTS))
    {
      rs_cli_error ("item-stats", _("%s: no such file"), db_path);
      return RS_EXIT_FAILURE;
    }
  store = rs_store_open (db_path, &error);
  if (store == NULL)
    {
      rs_cli_error ("item-stats", "%s", error->message);
      return RS_EXIT_FAILURE;
    }
  stats = rs_item_stats_compute (store, rs_people_operator (), &options, &error);
  if (stats == NULL)
    {
      rs_cli_error ("item-stats", "%s", error->message);
      return RS_EXIT_FAILURE;
    }
print:
  /* The bank only gives the share used: a folder asked for must load, the
   * default one may be missing (then the share is left out). */
  bank = rs_bank_new ();
  if (questions != NULL && !rs_bank_load_dir (bank, questions, &error))
    {
      rs_cli_error ("item-stats", "%s", error->message);
      return RS_EXIT_FAILURE;
    }
  if (questions == NULL)
    {
      g_autofree char *dir = rs_default_questions_dir ();
      if (!rs_bank_load_dir (bank, dir, NULL))
        g_clear_pointer (&bank, rs_bank_free);
    }
  if (csv)
    print_csv (stats, &options);
  else if (stats->len == 0)
    printf ("%s\n", _("No answers yet: nothing to compute."));
  else
    print_table (stats, &options);
  print_summary (csv ? stderr : stdout, stats, bank);
  return RS_EXIT_OK;
}
