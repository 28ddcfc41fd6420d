/* SPDX-License-Identifier: GPL-3.0-or-later */
/* reskill simulate: the engine's accuracy on simulated people, as catR's
 * randomCAT or catsim would measure it. */
#include <errno.h>
#include <glib/gi18n-lib.h>
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
      g_set_error (error, RS_ERROR, RS_ERROR_IO, _("The file cannot be read: %s"), local->message);
      return NULL;
    }
  lines = g_strsplit (text, "\n", -1);
  if (lines[0] == NULL || g_strcmp0 (g_strstrip (lines[0]), "theta") != 0)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_PARSE, _("%s:1: the header must be 'theta'"), path);
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
          g_set_error (error, RS_ERROR, RS_ERROR_PARSE, _("%s:%d: '%s' is not a number"), path, l + 1, line);
          return NULL;
        }
      g_array_append_val (thetas, theta);
    }
  if (thetas->len == 0)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_PARSE, _("%s: no θ values after the header"), path);
      return NULL;
    }
  return g_steal_pointer (&thetas);
}

static gboolean
parse_double (const char *text, double *value)
{
  char *end = NULL;

  errno = 0;
  *value = g_ascii_strtod (text, &end);
  return errno == 0 && end != text && *end == '\0' && isfinite (*value);
}

/* PARAMS.csv as `reskill calibrate --out` writes it: the header id,a,b,c,
 * then one item a line, `id,a,b,c` for right-or-wrong items and
 * `id,a,b1;b2;...` (c empty or left out) for partial-credit ones, and
 * perhaps a closing `loglik=...` line, which is skipped. Every item must be
 * in the bank and fit its scoring. Returns id → RsIrtParams *. */
static GHashTable *
read_true_params (const char *path, const RsBank *bank, GError **error)
{
  g_autofree char *text = NULL;
  g_auto (GStrv) lines = NULL;
  g_autoptr (GHashTable) params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr (GHashTable) first_line = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GError) local = NULL;
  gboolean header = FALSE;

#define FAIL(line, ...) \
  G_STMT_START { \
    g_autofree char *message_ = g_strdup_printf (__VA_ARGS__); \
    g_set_error (error, RS_ERROR, RS_ERROR_PARSE, "%s:%d: %s", path, (line), message_); \
    return NULL; \
  } G_STMT_END

  if (!g_file_get_contents (path, &text, NULL, &local))
    {
      g_set_error (error, RS_ERROR, RS_ERROR_IO, _("The file cannot be read: %s"), local->message);
      return NULL;
    }
  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error (error, RS_ERROR, RS_ERROR_PARSE, _("%s: not UTF-8 text"), path);
      return NULL;
    }
  lines = g_strsplit (text, "\n", -1);
  for (int l = 0; lines[l] != NULL; l++)
    {
      char *line = g_strstrip (lines[l]);
      g_auto (GStrv) fields = NULL;
      g_auto (GStrv) steps = NULL;
      const RsItem *item;
      RsIrtParams p = { 0 };
      int n_fields, line_no = l + 1;

      if (*line == '\0' || g_str_has_prefix (line, "loglik="))
        continue;
      fields = g_strsplit (line, ",", -1);
      n_fields = (int) g_strv_length (fields);
      for (int f = 0; f < n_fields; f++)
        g_strstrip (fields[f]);
      if (!header)
        {
          if (n_fields != 4 || g_strcmp0 (fields[0], "id") != 0 || g_strcmp0 (fields[1], "a") != 0
              || g_strcmp0 (fields[2], "b") != 0 || g_strcmp0 (fields[3], "c") != 0)
            FAIL (line_no, _("the header must be 'id,a,b,c'"));
          header = TRUE;
          continue;
        }
      if (n_fields < 3 || n_fields > 4)
        FAIL (line_no, g_dngettext (GETTEXT_PACKAGE,
                                    "expected id,a,b,c (or id,a,b1;b2;... for a partial-credit item), found %d field",
                                    "expected id,a,b,c (or id,a,b1;b2;... for a partial-credit item), found %d fields",
                                    (gulong) n_fields),
              n_fields);
      if (*fields[0] == '\0')
        FAIL (line_no, _("the item id is empty"));
      if (g_hash_table_contains (first_line, fields[0]))
        FAIL (line_no, _("item %s is listed twice (first on line %d)"), fields[0],
              GPOINTER_TO_INT (g_hash_table_lookup (first_line, fields[0])));
      item = rs_bank_lookup (bank, fields[0]);
      if (item == NULL)
        FAIL (line_no, _("there is no item %s in the bank"), fields[0]);
      if (!parse_double (fields[1], &p.a) || !(p.a > 0 && p.a <= 10))
        FAIL (line_no, _("item %s: a must be a number above 0 and at most 10, not '%s'"), item->id, fields[1]);
      steps = g_strsplit (fields[2], ";", -1);
      if (item->irt.model == RS_MODEL_GPCM)
        {
          int n_steps = (int) g_strv_length (steps);

          if (n_steps != item->irt.n_steps)
            FAIL (line_no, g_dngettext (GETTEXT_PACKAGE, "item %s scores 0 to %d: it needs %d step difficulty b1;b2;..., not %d",
                                        "item %s scores 0 to %d: it needs %d step difficulties b1;b2;..., not %d",
                                        (gulong) item->irt.n_steps),
                  item->id, item->irt.n_steps, item->irt.n_steps, n_steps);
          if (n_fields == 4 && *fields[3] != '\0')
            FAIL (line_no, _("item %s is partial credit: it has no c (leave it empty)"), item->id);
          p.model = RS_MODEL_GPCM;
          p.n_steps = n_steps;
          for (int k = 0; k < n_steps; k++)
            if (!parse_double (g_strstrip (steps[k]), &p.steps[k]) || fabs (p.steps[k]) > 10)
              FAIL (line_no, _("item %s: step %d must be a number between -10 and 10, not '%s'"), item->id, k + 1,
                    steps[k]);
        }
      else
        {
          if (g_strv_length (steps) != 1)
            FAIL (line_no, _("item %s is right-or-wrong: b must be one number, not steps"), item->id);
          if (!parse_double (fields[2], &p.b) || fabs (p.b) > 10)
            FAIL (line_no, _("item %s: b must be a number between -10 and 10, not '%s'"), item->id, fields[2]);
          p.model = RS_MODEL_4PL;
          p.d = 1.0;
          if (n_fields == 4 && *fields[3] != '\0'
              && (!parse_double (fields[3], &p.c) || p.c < 0 || p.c >= 1))
            FAIL (line_no, _("item %s: c must be a number from 0 to below 1, not '%s'"), item->id, fields[3]);
        }
      g_hash_table_insert (first_line, item->id, GINT_TO_POINTER (line_no));
      g_hash_table_insert (params, g_strdup (item->id), g_memdup2 (&p, sizeof p));
    }
#undef FAIL
  if (!header)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_PARSE, _("%s:1: empty: the header must be 'id,a,b,c'"), path);
      return NULL;
    }
  return g_steal_pointer (&params);
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
  g_autofree char *bank_path = NULL, *thetas_path = NULL, *out_path = NULL, *true_path = NULL;
  g_autofree char *skill_id = NULL, *questions = NULL, *mode_id = NULL, *classify_id = NULL, *params_out = NULL;
  g_autofree char *engine_path = NULL;
  /* Unset until given: NAN and G_MININT, values no one can type. */
  double se = NAN, exposure_cap = NAN, classify_target = NAN, indifference = NAN;
  int max_items = G_MININT, min_items = G_MININT, randomesque = G_MININT, pretest = G_MININT;
  int seed = 1, n_simulees = 1000, perturb_seed = G_MININT;
  gboolean select_at_cut = FALSE, progressive = FALSE;
  RsPerturbation perturbation;
  GOptionEntry entries[] = {
    { "bank", 0, 0, G_OPTION_ARG_FILENAME, &bank_path, N_("Item parameters, CSV with header a,b,c (optionally ,d)"), N_("BANK.csv") },
    { "thetas", 0, 0, G_OPTION_ARG_FILENAME, &thetas_path, N_("True abilities, CSV with header theta"), N_("THETAS.csv") },
    { "skill", 0, 0, G_OPTION_ARG_STRING, &skill_id, N_("Simulate on the real bank's items of this skill instead of --bank"), N_("SKILL") },
    { "questions", 0, 0, G_OPTION_ARG_FILENAME, &questions, N_("The question folder for --skill"), N_("DIR") },
    { "simulees", 0, 0, G_OPTION_ARG_INT, &n_simulees, N_("With no --thetas: this many θ ~ N(0, 1) (default 1000)"), N_("N") },
    { "mode", 0, 0, G_OPTION_ARG_STRING, &mode_id, N_("Use a mode's whole rule and the live engine's settings: quick, standard or precise"), N_("MODE") },
    { "params", 0, 0, G_OPTION_ARG_FILENAME, &engine_path, N_("With --skill: the engine uses these parameters (id,a,b,c) as if a calibration had put them in force"), N_("PARAMS.csv") },
    { "true-params", 0, 0, G_OPTION_ARG_FILENAME, &true_path, N_("Draw answers from these parameters (id,a,b,c; GPCM id,a,b1;b2;...) while the engine uses the bank's"), N_("PARAMS.csv") },
    { "se", 0, 0, G_OPTION_ARG_DOUBLE, &se, N_("Stop when the standard error reaches this (default 0.3, or the mode's)"), N_("SE") },
    { "max-items", 0, 0, G_OPTION_ARG_INT, &max_items, N_("Stop after this many items (default 30, or the mode's)"), N_("N") },
    { "min-items", 0, 0, G_OPTION_ARG_INT, &min_items, N_("Never stop before this many items (default 1, or the mode's)"), N_("N") },
    { "classify", 0, 0, G_OPTION_ARG_STRING, &classify_id, N_("Classification stopping: none, posterior or glr (default none, or the mode's)"), N_("RULE") },
    { "classify-target", 0, 0, G_OPTION_ARG_DOUBLE, &classify_target, N_("posterior: probability of the most likely level; glr: 1 - error rate (default the mode's, or 0.8)"), N_("P") },
    { "indifference", 0, 0, G_OPTION_ARG_DOUBLE, &indifference, N_("glr: half-width of the indifference region around each cut (default 0.2)"), N_("DELTA") },
    { "randomesque", 0, 0, G_OPTION_ARG_INT, &randomesque, N_("Pick at random among the K most informative items (default 1, or the engine's 3 with --mode)"), N_("K") },
    { "exposure-cap", 0, 0, G_OPTION_ARG_DOUBLE, &exposure_cap, N_("Hold back items shown to this share of earlier simulees (default 0.25; 1: no cap)"), N_("R") },
    { "pretest", 0, 0, G_OPTION_ARG_INT, &pretest, N_("Unscored pretest items per test, from items without irt: (default 0, or the engine's 2 with --mode)"), N_("N") },
    { "select-at-cut", 0, 0, G_OPTION_ARG_NONE, &select_at_cut, N_("Choose items by their information at the level cut point nearest the estimate"), NULL },
    { "progressive", 0, 0, G_OPTION_ARG_NONE, &progressive, N_("Add a random share to the criterion that fades over the test (progressive selection)"), NULL },
    { "seed", 0, 0, G_OPTION_ARG_INT, &seed, N_("Random seed (default 1)"), N_("N") },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out_path, N_("Write one row per simulee: true_theta,theta,se,items"), N_("OUT.csv") },
    { "write-params", 0, 0, G_OPTION_ARG_FILENAME, &params_out, N_("With --skill: write the parameters in force (id,a,b,c) and stop"), N_("PARAMS.csv") },
    { "perturb-seed", 0, 0, G_OPTION_ARG_INT, &perturb_seed, N_("With --write-params: write \"true\" parameters drawn from those in force instead, as `reskill study --seed N` draws them"), N_("N") },
    { "sd-a", 0, 0, G_OPTION_ARG_DOUBLE, &perturbation.sd_a, N_("With --perturb-seed: a × e^N(0, SD) (default 0.3)"), N_("SD") },
    { "sd-b", 0, 0, G_OPTION_ARG_DOUBLE, &perturbation.sd_b, N_("With --perturb-seed: b + N(0, SD) + shift (default 0.5)"), N_("SD") },
    { "shift", 0, 0, G_OPTION_ARG_DOUBLE, &perturbation.shift, N_("With --perturb-seed: every b moves by this too (default 0.2)"), N_("LOGITS") },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new (_("- measure the adaptive engine on simulated people"));
  g_autoptr (GError) error = NULL;
  g_autoptr (RsBank) bank = NULL;
  g_autoptr (GArray) thetas = NULL;
  g_autoptr (GHashTable) true_params = NULL;
  g_autoptr (RsSimulationReport) report = NULL;
  g_autofree char *rule = NULL;
  RsSimulationOptions options = { NULL };
  RsSkill skill = RS_SKILL_PYTHON;
  RsMode mode = RS_MODE_INVALID;
  RsCatConfig config;

  rs_perturbation_init (&perturbation);
  g_option_context_set_summary (context,
      _("Runs one adaptive test per simulee (EAP with a N(0, 1) prior, maximum\n"
      "information, exposure cap) and prints\n"
      "  simulees=N mean_items=X rmse=X bias=X r=X max_exposure=X reached_se=X%\n"
      "  mean_se=X median_se=X coverage80=X% exact_level=X% claimed=X% mean_pretest=X\n"
      "  items_used=U/N seed=S\n"
      "mean_se is the SE people are shown, to compare with rmse, the real error;\n"
      "coverage80 the share whose true θ lies in their 80% band; exact_level the\n"
      "share whose most likely level is their true one. With --true-params,\n"
      "answers come from those parameters while the engine keeps the bank's."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!rs_cli_parse (context, "simulate", &argc, &argv))
    return RS_EXIT_USAGE;
  if (argc > 1)
    {
      rs_cli_error ("simulate", _("unexpected argument '%s'"), argv[1]);
      return RS_EXIT_USAGE;
    }
  if ((bank_path == NULL) == (skill_id == NULL))
    {
      rs_cli_error ("simulate", _("give either --bank BANK.csv or --skill SKILL"));
      return RS_EXIT_USAGE;
    }
  if (bank_path != NULL && thetas_path == NULL)
    {
      rs_cli_error ("simulate", _("--bank needs --thetas THETAS.csv"));
      return RS_EXIT_USAGE;
    }
  if (mode_id != NULL && (mode = rs_mode_from_id (mode_id)) == RS_MODE_INVALID)
    {
      rs_cli_error ("simulate", _("unknown mode '%s' (quick, standard or precise)"), mode_id);
      return RS_EXIT_USAGE;
    }

  /* A mode brings its whole rule and the engine's live settings; without
   * one, the plain SE rule of the options. Options given override either. */
  rs_cat_config_init (&config, mode != RS_MODE_INVALID ? mode : RS_MODE_STANDARD);
  if (mode == RS_MODE_INVALID)
    {
      config.stop = (RsStopRule) { 0.3, 1, 30, RS_CLASSIFY_NONE, 0.8, 0.2 };
      config.randomesque = 1;
      config.n_pretest = 0;
    }
  if (!isnan (se))
    config.stop.se_target = se;
  if (max_items != G_MININT)
    config.stop.max_items = max_items;
  if (min_items != G_MININT)
    config.stop.min_items = min_items;
  if (classify_id != NULL)
    {
      if (g_strcmp0 (classify_id, "none") == 0)
        config.stop.classify = RS_CLASSIFY_NONE;
      else if (g_strcmp0 (classify_id, "posterior") == 0)
        config.stop.classify = RS_CLASSIFY_POSTERIOR;
      else if (g_strcmp0 (classify_id, "glr") == 0)
        config.stop.classify = RS_CLASSIFY_GLR;
      else
        {
          rs_cli_error ("simulate", _("unknown --classify '%s' (none, posterior or glr)"), classify_id);
          return RS_EXIT_USAGE;
        }
      if (config.stop.classify_target <= 0)
        config.stop.classify_target = 0.8;
    }
  if (!isnan (classify_target))
    config.stop.classify_target = classify_target;
  if (!isnan (indifference))
    config.stop.indifference = indifference;
  else if (config.stop.classify == RS_CLASSIFY_GLR && config.stop.indifference <= 0)
    config.stop.indifference = 0.2;
  if (randomesque != G_MININT)
    config.randomesque = randomesque;
  if (!isnan (exposure_cap))
    config.exposure_cap = exposure_cap;
  if (pretest != G_MININT)
    config.n_pretest = pretest;
  if (select_at_cut)
    config.select_at_cut = TRUE;
  if (progressive)
    config.progressive = TRUE;
  if (!(config.stop.se_target > 0) || config.stop.max_items < 1 || config.stop.min_items < 0
      || config.stop.min_items > config.stop.max_items || config.randomesque < 1 || n_simulees < 1
      || !(config.exposure_cap > 0) || config.n_pretest < 0 || config.n_pretest > 8
      || !(config.stop.classify_target > 0.5 && config.stop.classify_target < 1)
      || !(config.stop.indifference >= 0 && config.stop.indifference < 1))
    {
      rs_cli_error ("simulate", _("need --se > 0, 0 <= --min-items <= --max-items, --max-items >= 1, "
                    "--randomesque >= 1, --simulees >= 1, --exposure-cap > 0, 0 <= --pretest <= 8, "
                    "0.5 < --classify-target < 1 and 0 <= --indifference < 1"));
      return RS_EXIT_USAGE;
    }

  if (engine_path != NULL && bank_path != NULL)
    {
      rs_cli_error ("simulate", "--params needs --skill");
      return RS_EXIT_USAGE;
    }
  if (perturb_seed != G_MININT && params_out == NULL)
    {
      rs_cli_error ("simulate", "--perturb-seed needs --write-params");
      return RS_EXIT_USAGE;
    }
  if (bank_path != NULL)
    bank = rs_bank_new_from_csv (bank_path, &error);
  else
    {
      skill = rs_skill_from_id (skill_id);
      if (skill == RS_SKILL_INVALID)
        {
          rs_cli_error ("simulate", _("unknown skill '%s' (python, statistics, ml or empathy)"), skill_id);
          return RS_EXIT_USAGE;
        }
      if (questions == NULL)
        questions = rs_default_questions_dir ();
      bank = rs_bank_new ();
      if (!rs_bank_load_dir (bank, questions, &error))
        g_clear_pointer (&bank, rs_bank_free);
      else if (rs_bank_skill_items (bank, skill)->len == 0)
        {
          rs_cli_error ("simulate", _("%s has no %s items"), questions, skill_id);
          return RS_EXIT_FAILURE;
        }
    }
  if (bank == NULL)
    {
      rs_cli_error ("simulate", "%s", error->message);
      return RS_EXIT_FAILURE;
    }
  if (params_out != NULL)
    {
      if (bank_path != NULL)
        {
          rs_cli_error ("simulate", _("--write-params needs --skill"));
          return RS_EXIT_USAGE;
        }
      g_autoptr (GHashTable) drawn = NULL;

      if (perturb_seed != G_MININT)
        {
          if (!(perturbation.sd_a >= 0 && perturbation.sd_a <= 2 && perturbation.sd_b >= 0 && perturbation.sd_b <= 3
                && fabs (perturbation.shift) <= 3))
            {
              rs_cli_error ("simulate", "need 0 <= --sd-a <= 2, 0 <= --sd-b <= 3 and -3 <= --shift <= 3");
              return RS_EXIT_USAGE;
            }
          drawn = rs_perturb_bank (bank, skill, &perturbation, (guint32) perturb_seed);
        }
      if (!rs_simulation_write_params (params_out, bank, skill, drawn, &error))
        {
          rs_cli_error ("simulate", _("cannot write %s: %s"), params_out, error->message);
          return RS_EXIT_FAILURE;
        }
      return RS_EXIT_OK;
    }
  if (engine_path != NULL)
    {
      g_autoptr (GHashTable) engine = NULL;
      GHashTableIter iter;
      gpointer id, params;

      engine = read_true_params (engine_path, bank, &error);
      if (engine == NULL)
        {
          rs_cli_error ("simulate", "%s", error->message);
          return RS_EXIT_FAILURE;
        }
      g_hash_table_iter_init (&iter, engine);
      while (g_hash_table_iter_next (&iter, &id, &params))
        rs_bank_set_params (bank, id, params);
    }
  if (true_path != NULL)
    {
      true_params = read_true_params (true_path, bank, &error);
      if (true_params == NULL)
        {
          rs_cli_error ("simulate", "%s", error->message);
          return RS_EXIT_FAILURE;
        }
      options.true_params = true_params;
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

  config.content_balancing = bank_path == NULL;
  report = rs_simulate_full (bank, skill, &config, (const double *) thetas->data, (int) thetas->len,
                             (guint32) seed, &options);

  if (out_path != NULL && !write_report (out_path, report, &error))
    {
      rs_cli_error ("simulate", _("cannot write %s: %s"), out_path, error->message);
      return RS_EXIT_FAILURE;
    }
  rule = rs_stop_rule_describe (&config.stop);
  {
    g_autofree char *what = mode_id != NULL ? g_strdup_printf (_("%s, mode %s"), bank_path != NULL ? bank_path
                                                                                               : rs_skill_id (skill),
                                                               mode_id)
                                            : g_strdup (bank_path != NULL ? bank_path : rs_skill_id (skill));

    /* Translators: the bank or skill (and mode), the stopping rule, then
     * the engine's settings and the seed. */
    g_printerr (_("simulate: %s, %s; randomesque %d, exposure cap %.2f, %d pretest; seed %d\n"), what, rule,
                config.randomesque, config.exposure_cap, config.n_pretest, seed);
  }
  if (true_params != NULL)
    {
      const GPtrArray *items = rs_bank_skill_items (bank, skill);
      guint n_true = 0;

      for (guint i = 0; i < items->len; i++)
        n_true += g_hash_table_contains (true_params, ((const RsItem *) g_ptr_array_index (items, i))->id);
      g_printerr (g_dngettext (GETTEXT_PACKAGE, "simulate: answers from %s for %u of %u item, the bank's own for the rest\n",
                               "simulate: answers from %s for %u of %u items, the bank's own for the rest\n", items->len),
                  true_path, n_true, items->len);
    }
  /* For tools/measure-cat and other scripts: the same in every language. */
  printf ("simulees=%d mean_items=%.2f rmse=%.4f bias=%.4f r=%.4f max_exposure=%.3f reached_se=%.1f%% "
          "mean_se=%.4f median_se=%.4f coverage80=%.1f%% exact_level=%.1f%% claimed=%.1f%% mean_pretest=%.2f "
          "items_used=%d/%d seed=%d\n",
          report->n_simulees, report->mean_items, report->rmse, report->bias, report->correlation,
          report->max_exposure, 100.0 * report->reached_se, report->mean_se, report->median_se, 100.0 * report->coverage,
          100.0 * report->exact_level, 100.0 * report->claimed, report->mean_pretest, report->n_items_used,
          report->n_bank_items, seed);
  return RS_EXIT_OK;
}
