/* SPDX-License-Identifier: GPL-3.0-or-later */
/* reskill study: the calibration study (rs-study) from the command line, so
 * that anyone can rerun the evidence in docs/PERFORMANCE.md with the seed
 * it prints. The study runs on a database of its own: a temporary one,
 * removed afterwards, or --db NEW_FILE to keep it. */
#include <errno.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <unistd.h>

#include "rs-calibration.h"
#include "rs-cli-commands.h"
#include "rs-error.h"
#include "rs-i18n.h"
#include "rs-paths.h"
#include "rs-study.h"

/* "quick,standard" into flags; FALSE on an unknown or empty list. */
static gboolean
parse_list (const char *text, gboolean *flags, int n, int (*from_id) (const char *), char **bad)
{
  g_auto (GStrv) parts = g_strsplit (text, ",", -1);
  gboolean any = FALSE;

  for (int i = 0; i < n; i++)
    flags[i] = FALSE;
  for (int i = 0; parts[i] != NULL; i++)
    {
      int index = from_id (g_strstrip (parts[i]));

      if (index < 0 || index >= n)
        {
          *bad = g_strdup (parts[i]);
          return FALSE;
        }
      any = flags[index] = TRUE;
    }
  if (!any)
    *bad = g_strdup ("");
  return any;
}

static int
mode_index (const char *id)
{
  return (int) rs_mode_from_id (id);
}

static int
skill_index (const char *id)
{
  return (int) rs_skill_from_id (id);
}

typedef struct {
  int last_tenth;
  const char *last_phase;
} Progress;

static void
progress (const char *phase, int done, int total, gpointer user_data)
{
  Progress *p = user_data;
  int tenth = (int) (10LL * done / MAX (total, 1));

  if (g_strcmp0 (p->last_phase, phase) != 0)
    p->last_tenth = -1;
  p->last_phase = phase;
  if (tenth != p->last_tenth)
    g_printerr ("study: %s: %d of %d people\n", phase, done, total);
  p->last_tenth = tenth;
}

/* The temporary folder and everything the store put in it (database, WAL,
 * the kiosk key). */
static void
remove_dir (const char *dir)
{
  g_autoptr (GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;

  while (listing != NULL && (name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (dir);
}

int
rs_cli_study (int argc, char **argv)
{
  g_autofree char *questions = NULL, *modes = NULL, *skills = NULL, *retest = NULL, *db_path = NULL;
  g_autofree char *params_dir = NULL, *calibration_path = NULL, *tmpdir = NULL, *bad = NULL;
  g_autofree char *table = NULL;
  RsStudyConfig config;
  int people, seed, min_responses, threads, retest_days;
  double exposure_cap;
  GOptionEntry entries[] = {
    { "people", 0, 0, G_OPTION_ARG_INT, &people, N_("People per phase (default 3000)"), N_("N") },
    { "seed", 0, 0, G_OPTION_ARG_INT, &seed, N_("Random seed of everything drawn (default 1); printed"), N_("N") },
    { "modes", 0, 0, G_OPTION_ARG_STRING, &modes, N_("Modes people take, in rotation (default quick,standard,precise)"), N_("LIST") },
    { "skills", 0, 0, G_OPTION_ARG_STRING, &skills, N_("Skills every person takes (default python,statistics,ml,empathy)"), N_("LIST") },
    { "min-responses", 0, 0, G_OPTION_ARG_INT, &min_responses, N_("Answers an item needs before its estimate is used (default 500, as `calibrate`)"), N_("N") },
    { "retest", 0, 0, G_OPTION_ARG_STRING, &retest, N_("After calibration: new people (default), or the same people returning with their prior"), N_("new|returning") },
    { "retest-days", 0, 0, G_OPTION_ARG_INT, &retest_days, N_("Returning people come back this many days later (default 90)"), N_("DAYS") },
    { "exposure-cap", 0, 0, G_OPTION_ARG_DOUBLE, &exposure_cap, N_("The kiosk's exposure cap (default 0.25; 1: no cap)"), N_("R") },
    { "sd-a", 0, 0, G_OPTION_ARG_DOUBLE, &config.perturbation.sd_a, N_("True a = a × e^N(0, SD) (default 0.3)"), N_("SD") },
    { "sd-b", 0, 0, G_OPTION_ARG_DOUBLE, &config.perturbation.sd_b, N_("True b = b + N(0, SD) + shift (default 0.5)"), N_("SD") },
    { "shift", 0, 0, G_OPTION_ARG_DOUBLE, &config.perturbation.shift, N_("The shift of every true b (default 0.2)"), N_("LOGITS") },
    { "ceiling", 0, 0, G_OPTION_ARG_NONE, &config.ceiling, N_("Then new people again with the true parameters in force: what a perfect calibration would give"), NULL },
    { "threads", 0, 0, G_OPTION_ARG_INT, &threads, N_("Threads answering (default one per core, at most 8); the figures do not depend on it"), N_("N") },
    { "questions", 0, 0, G_OPTION_ARG_FILENAME, &questions, N_("The question folder (default the installed bank)"), N_("DIR") },
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path, N_("Keep the study's database here (a new file; default a temporary one, removed)"), N_("FILE") },
    { "save-true-params", 0, 0, G_OPTION_ARG_FILENAME, &params_dir, N_("Write the drawn true parameters to DIR/true-SKILL.csv (for simulate --true-params)"), N_("DIR") },
    { "save-calibration", 0, 0, G_OPTION_ARG_FILENAME, &calibration_path, N_("Write the calibration as calibration.yaml (as calibrate --export)"), N_("FILE") },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new (_("- rerun the calibration study on the real bank"));
  g_autoptr (GError) error = NULL;
  g_autoptr (RsBank) bank = NULL;
  g_autoptr (RsStore) store = NULL;
  g_autoptr (RsStudyReport) report = NULL;
  Progress state = { -1, NULL };

  rs_study_config_init (&config);
  people = config.n_people;
  seed = (int) config.seed;
  min_responses = config.min_responses;
  threads = 0;
  retest_days = config.retest_days;
  exposure_cap = config.exposure_cap;
  g_option_context_set_summary (context,
      _("The whole measurement loop on the real bank, as a kiosk fleet runs it:\n"
      "  1. true item parameters drawn from those in force as real items differ\n"
      "     from their authors' guesses (a × e^N(0, .3), b + N(0, .5) + .2);\n"
      "  2. before: N people (θ ~ N(0, 1)) take the live adaptive test against a\n"
      "     real database (exposure cap, pretest seeding), answering from the\n"
      "     true parameters;\n"
      "  3. calibration from their stored answers (calibrate --db --apply, with\n"
      "     its --min-responses rule);\n"
      "  4. after: new people (or the same people returning) take the test with\n"
      "     the calibration in force;\n"
      "  5. with --ceiling, new people again with the true parameters in force.\n"
      "Prints, per skill and mode, before → after: mean items, RMSE, mean SE,\n"
      "80% band coverage, exact level, maximum exposure and the share of the bank\n"
      "used, then how close the calibration came to the true parameters, the\n"
      "time of each phase, and a last line study: seed=... people=... calibrated=...\n"
      "The same seed and bank give the same figures on any number of threads."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!rs_cli_parse (context, "study", &argc, &argv))
    return RS_EXIT_USAGE;
  if (argc > 1)
    {
      rs_cli_error ("study", _("unexpected argument '%s'"), argv[1]);
      return RS_EXIT_USAGE;
    }
  if (people < 1 || people > 1000000)
    {
      rs_cli_error ("study", _("--people must be from 1 to 1000000, not %d"), people);
      return RS_EXIT_USAGE;
    }
  if (seed < 0)
    {
      rs_cli_error ("study", _("--seed must be 0 or more, not %d"), seed);
      return RS_EXIT_USAGE;
    }
  if (min_responses < 1)
    {
      rs_cli_error ("study", _("--min-responses must be at least 1, not %d"), min_responses);
      return RS_EXIT_USAGE;
    }
  if (threads < 0 || threads > 8)
    {
      rs_cli_error ("study", _("--threads must be from 1 to 8 (0: one per core), not %d"), threads);
      return RS_EXIT_USAGE;
    }
  if (retest_days < 0 || retest_days > 3650)
    {
      rs_cli_error ("study", _("--retest-days must be from 0 to 3650, not %d"), retest_days);
      return RS_EXIT_USAGE;
    }
  if (!(exposure_cap > 0 && exposure_cap <= 1))
    {
      rs_cli_error ("study", _("--exposure-cap must be above 0 and at most 1, not %g"), exposure_cap);
      return RS_EXIT_USAGE;
    }
  if (!(config.perturbation.sd_a >= 0 && config.perturbation.sd_a <= 2 && config.perturbation.sd_b >= 0
        && config.perturbation.sd_b <= 3 && fabs (config.perturbation.shift) <= 3))
    {
      rs_cli_error ("study", _("need 0 <= --sd-a <= 2, 0 <= --sd-b <= 3 and -3 <= --shift <= 3"));
      return RS_EXIT_USAGE;
    }
  if (modes != NULL && !parse_list (modes, config.modes, RS_N_MODES, mode_index, &bad))
    {
      rs_cli_error ("study", _("unknown mode '%s' in --modes (quick, standard, precise)"), bad);
      return RS_EXIT_USAGE;
    }
  if (skills != NULL && !parse_list (skills, config.skills, RS_N_SKILLS, skill_index, &bad))
    {
      rs_cli_error ("study", _("unknown skill '%s' in --skills (python, statistics, ml, empathy)"), bad);
      return RS_EXIT_USAGE;
    }
  if (retest != NULL && g_strcmp0 (retest, "new") != 0 && g_strcmp0 (retest, "returning") != 0)
    {
      rs_cli_error ("study", _("--retest must be new or returning, not '%s'"), retest);
      return RS_EXIT_USAGE;
    }
  if (db_path != NULL && g_file_test (db_path, G_FILE_TEST_EXISTS))
    {
      rs_cli_error ("study", _("%s exists: --db needs a new file, the study fills a database of its own"), db_path);
      return RS_EXIT_USAGE;
    }
  if (params_dir != NULL && !g_file_test (params_dir, G_FILE_TEST_IS_DIR))
    {
      rs_cli_error ("study", _("--save-true-params: %s is not a folder"), params_dir);
      return RS_EXIT_USAGE;
    }
  config.n_people = people;
  config.seed = (guint32) seed;
  config.min_responses = min_responses;
  config.n_threads = threads;
  config.retest = g_strcmp0 (retest, "returning") == 0 ? RS_STUDY_RETEST_RETURNING : RS_STUDY_RETEST_NEW;
  config.retest_days = retest_days;
  config.exposure_cap = exposure_cap;

  if (questions == NULL)
    questions = rs_default_questions_dir ();
  bank = rs_bank_new ();
  if (!rs_bank_load_dir (bank, questions, &error))
    {
      rs_cli_error ("study", "%s", error->message);
      return RS_EXIT_FAILURE;
    }
  if (db_path == NULL)
    {
      g_autofree char *path = NULL;

      tmpdir = g_dir_make_tmp ("reskill-study-XXXXXX", &error);
      if (tmpdir == NULL)
        {
          rs_cli_error ("study", _("no temporary folder: %s"), error->message);
          return RS_EXIT_FAILURE;
        }
      path = g_build_filename (tmpdir, "study.db", NULL);
      store = rs_store_open (path, &error);
    }
  else
    store = rs_store_open (db_path, &error);
  if (store == NULL)
    {
      rs_cli_error ("study", "%s", error->message);
      if (tmpdir != NULL)
        remove_dir (tmpdir);
      return RS_EXIT_FAILURE;
    }

  g_printerr ("study: seed %u, %d people per phase, questions from %s, database %s\n", config.seed, config.n_people,
              questions, db_path != NULL ? db_path : "temporary");
  report = rs_study_run (store, bank, &config, progress, &state, &error);
  g_clear_pointer (&store, rs_store_close);
  if (tmpdir != NULL)
    remove_dir (tmpdir);
  if (report == NULL)
    {
      rs_cli_error ("study", "%s", error->message);
      return RS_EXIT_FAILURE;
    }

  for (int s = 0; params_dir != NULL && s < RS_N_SKILLS; s++)
    {
      g_autofree char *name = g_strdup_printf ("true-%s.csv", rs_skill_id ((RsSkill) s));
      g_autofree char *path = g_build_filename (params_dir, name, NULL);

      if (config.skills[s] && !rs_simulation_write_params (path, bank, (RsSkill) s, report->true_params, &error))
        {
          rs_cli_error ("study", _("cannot write %s: %s"), path, error->message);
          return RS_EXIT_FAILURE;
        }
    }
  if (calibration_path != NULL && !rs_calibration_export (report->calibration, calibration_path, &error))
    {
      rs_cli_error ("study", _("cannot write %s: %s"), calibration_path, error->message);
      return RS_EXIT_FAILURE;
    }
  table = rs_study_report_format (report);
  fputs (table, stdout);
  return RS_EXIT_OK;
}
