/* SPDX-License-Identifier: GPL-3.0-or-later */
/* reskill simulate: the engine's accuracy on simulated people, as catR's
 * randomCAT or catsim would measure it. */
#include <errno.h>
#include <math.h>
#include <stdio.h>

#include "rs-bank.h"
#include "rs-cli-commands.h"
#include "rs-error.h"
#include "rs-paths.h"
#include "rs-simulation.h"

/* THETAS.csv: a header "theta", then one number a line. */
static GArray *
read_thetas (const char *path, GError **error)
{
  g_autofree char *text = NULL;
  g_auto (GStrv) lines = NULL;
  g_autoptr (GArray) thetas = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GError) local = NULL;

  if (!g_file_get_contents (path, &text, NULL, &local))
    {
      g_set_error (error, RS_ERROR, RS_ERROR_IO, "%s: %s", path, local->message);
      return NULL;
    }
  lines = g_strsplit (text, "\n", -1);
  if (lines[0] == NULL || g_strcmp0 (g_strstrip (lines[0]), "theta") != 0)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_PARSE, "%s:1: the header must be 'theta'", path);
      return NULL;
    }
  for (int l = 1; lines[l] != NULL; l++)
    {
      char *line = g_strstrip (lines[l]);
      char *end = NULL;
      double theta;

      if (*line == '\0')
        continue;
      errno = 0;
      theta = g_ascii_strtod (line, &end);
      if (errno != 0 || end == line || *end != '\0' || !isfinite (theta))
        {
          g_set_error (error, RS_ERROR, RS_ERROR_PARSE, "%s:%d: '%s' is not a number", path, l + 1, line);
          return NULL;
        }
      g_array_append_val (thetas, theta);
    }
  if (thetas->len == 0)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_PARSE, "%s: no θ values after the header", path);
      return NULL;
    }
  return g_steal_pointer (&thetas);
}

/* Writes through a temporary file and renames it, so a failed run never
 * leaves half a file where a good one was. */
static gboolean
write_report (const char *path, const RsSimulationReport *report, GError **error)
{
  GString *out = g_string_new ("true_theta,theta,se,items\n");
  gboolean ok;

  for (guint i = 0; i < report->simulees->len; i++)
    {
      const RsSimulee *s = &g_array_index (report->simulees, RsSimulee, i);
      g_string_append_printf (out, "%.4f,%.4f,%.4f,%d\n", s->true_theta, s->theta, s->se, s->n_items);
    }
  ok = g_file_set_contents (path, out->str, (gssize) out->len, error);
  g_string_free (out, TRUE);
  return ok;
}

int
rs_cli_simulate (int argc, char **argv)
{
  g_autofree char *bank_path = NULL, *thetas_path = NULL, *out_path = NULL;
  g_autofree char *skill_id = NULL, *questions = NULL;
  double se = 0.3;
  int max_items = 30, min_items = 1, randomesque = 1, seed = 1, n_simulees = 1000;
  GOptionEntry entries[] = {
    { "bank", 0, 0, G_OPTION_ARG_FILENAME, &bank_path, "Item parameters, CSV with header a,b,c (optionally ,d)", "BANK.csv" },
    { "thetas", 0, 0, G_OPTION_ARG_FILENAME, &thetas_path, "True abilities, CSV with header theta", "THETAS.csv" },
    { "skill", 0, 0, G_OPTION_ARG_STRING, &skill_id, "Simulate on the real bank's items of this skill instead of --bank", "SKILL" },
    { "questions", 0, 0, G_OPTION_ARG_FILENAME, &questions, "The question folder for --skill", "DIR" },
    { "simulees", 0, 0, G_OPTION_ARG_INT, &n_simulees, "With --skill and no --thetas: this many θ ~ N(0, 1) (default 1000)", "N" },
    { "se", 0, 0, G_OPTION_ARG_DOUBLE, &se, "Stop when the standard error reaches this (default 0.3)", "SE" },
    { "max-items", 0, 0, G_OPTION_ARG_INT, &max_items, "Stop after this many items (default 30)", "N" },
    { "min-items", 0, 0, G_OPTION_ARG_INT, &min_items, "Never stop before this many items (default 1)", "N" },
    { "randomesque", 0, 0, G_OPTION_ARG_INT, &randomesque, "Pick at random among the K most informative items (default 1)", "K" },
    { "seed", 0, 0, G_OPTION_ARG_INT, &seed, "Random seed (default 1)", "N" },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out_path, "Write one row per simulee: true_theta,theta,se,items", "OUT.csv" },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("- measure the adaptive engine on simulated people");
  g_autoptr (GError) error = NULL;
  g_autoptr (RsBank) bank = NULL;
  g_autoptr (GArray) thetas = NULL;
  g_autoptr (RsSimulationReport) report = NULL;
  RsSkill skill = RS_SKILL_PYTHON;
  RsCatConfig config;

  g_option_context_set_summary (context,
      "Runs one adaptive test per simulee (start at θ = 0, EAP with a N(0, 1) prior,\n"
      "maximum information) and prints\n"
      "  simulees=N mean_items=X rmse=X bias=X r=X max_exposure=X reached_se=X%");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!rs_cli_parse (context, "simulate", &argc, &argv))
    return RS_EXIT_USAGE;
  if (argc > 1)
    {
      rs_cli_error ("simulate", "unexpected argument '%s'", argv[1]);
      return RS_EXIT_USAGE;
    }
  if ((bank_path == NULL) == (skill_id == NULL))
    {
      rs_cli_error ("simulate", "give either --bank BANK.csv or --skill SKILL");
      return RS_EXIT_USAGE;
    }
  if (bank_path != NULL && thetas_path == NULL)
    {
      rs_cli_error ("simulate", "--bank needs --thetas THETAS.csv");
      return RS_EXIT_USAGE;
    }
  if (!(se > 0) || max_items < 1 || min_items < 0 || min_items > max_items || randomesque < 1
      || n_simulees < 1)
    {
      rs_cli_error ("simulate", "need --se > 0, 0 <= --min-items <= --max-items, --max-items >= 1, "
                    "--randomesque >= 1 and --simulees >= 1");
      return RS_EXIT_USAGE;
    }

  if (bank_path != NULL)
    bank = rs_bank_new_from_csv (bank_path, &error);
  else
    {
      skill = rs_skill_from_id (skill_id);
      if (skill == RS_SKILL_INVALID)
        {
          rs_cli_error ("simulate", "unknown skill '%s' (python, statistics, ml or empathy)", skill_id);
          return RS_EXIT_USAGE;
        }
      if (questions == NULL)
        questions = rs_default_questions_dir ();
      bank = rs_bank_new ();
      if (!rs_bank_load_dir (bank, questions, &error))
        g_clear_pointer (&bank, rs_bank_free);
      else if (rs_bank_skill_items (bank, skill)->len == 0)
        {
          rs_cli_error ("simulate", "%s has no %s items", questions, skill_id);
          return RS_EXIT_FAILURE;
        }
    }
  if (bank == NULL)
    {
      rs_cli_error ("simulate", "%s", error->message);
      return RS_EXIT_FAILURE;
    }

  if (thetas_path != NULL)
    {
      thetas = read_thetas (thetas_path, &error);
      if (thetas == NULL)
        {
          rs_cli_error ("simulate", "%s", error->message);
          return RS_EXIT_FAILURE;
        }
    }
  else
    {
      g_autoptr (GRand) rand = g_rand_new_with_seed ((guint32) seed ^ 0x5eed);
      thetas = g_array_new (FALSE, FALSE, sizeof (double));
      for (int i = 0; i < n_simulees; i++)
        {
          /* Box–Muller: two uniforms make one standard normal. */
          double u1 = 1.0 - g_rand_double (rand), u2 = g_rand_double (rand);
          double theta = sqrt (-2.0 * log (u1)) * cos (2.0 * G_PI * u2);
          g_array_append_val (thetas, theta);
        }
    }

  rs_cat_config_init (&config, RS_MODE_STANDARD);
  config.stop = (RsStopRule) { se, min_items, max_items };
  config.randomesque = randomesque;
  config.content_balancing = bank_path == NULL;
  report = rs_simulate (bank, skill, &config, (const double *) thetas->data, (int) thetas->len, (guint32) seed);

  if (out_path != NULL && !write_report (out_path, report, &error))
    {
      rs_cli_error ("simulate", "cannot write %s: %s", out_path, error->message);
      return RS_EXIT_FAILURE;
    }
  printf ("simulees=%d mean_items=%.2f rmse=%.4f bias=%.4f r=%.4f max_exposure=%.3f reached_se=%.1f%%\n",
          report->n_simulees, report->mean_items, report->rmse, report->bias, report->correlation,
          report->max_exposure, 100.0 * report->reached_se);
  return RS_EXIT_OK;
}
