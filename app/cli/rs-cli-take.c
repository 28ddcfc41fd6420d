/* SPDX-License-Identifier: GPL-3.0-or-later */
/* reskill take: the assessment in a terminal, on the same engine and store
 * as the window. With --auto-answer it answers by itself and reports each
 * answer only once it is durable: the crash tests rely on that line. */
#include <errno.h>
#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "rs-assessment.h"
#include "rs-bank.h"
#include "rs-calibration.h"
#include "rs-cli-commands.h"
#include "rs-error.h"
#include "rs-i18n.h"
#include "rs-paths.h"
#include "rs-privacy.h"
#include "rs-roles.h"

typedef enum { AUTO_NONE, AUTO_CORRECT, AUTO_WRONG, AUTO_RANDOM } AutoAnswer;

/* An answer that scores zero: a zero-score option, or a number far off. */
static void
wrong_answer (const RsItem *item, RsAnswer *answer)
{
  *answer = (RsAnswer) { 0 };
  if (item->type == RS_ITEM_NUMERIC)
    {
      answer->has_number = TRUE;
      answer->number = item->answer + 10.0 * (item->partial_tolerance + item->tolerance + 1.0);
      return;
    }
  for (int i = 0; i < item->n_options; i++)
    if (item->options[i].score == 0)
      {
        answer->chosen = 1u << i;
        return;
      }
}

static void
random_answer (const RsItem *item, GRand *rand, RsAnswer *answer)
{
  *answer = (RsAnswer) { 0 };
  switch (item->type)
    {
    case RS_ITEM_NUMERIC:
      if (g_rand_boolean (rand))
        rs_item_best_answer (item, answer);
      else
        wrong_answer (item, answer);
      break;
    case RS_ITEM_MULTI:
      answer->chosen = (guint32) g_rand_int_range (rand, 1, 1 << item->n_options);
      break;
    default:
      answer->chosen = 1u << g_rand_int_range (rand, 0, item->n_options);
      break;
    }
}

static void
show_item (const RsAssessment *assessment, const RsItem *item)
{
  const RsCat *cat = rs_assessment_cat (assessment);
  const RsCatSkillState *state = rs_cat_state_for_skill (cat, item->skill);

  /* Translators: the skill, the question's number in it, and about how many
   * questions are left; the question itself follows. */
  printf (_("\n[%s, question %d, about %d more] %s\n"), rs_skill_title (item->skill),
          state->n_items + 1, rs_cat_estimate_remaining (cat), item->stem);
  if (item->code != NULL)
    printf ("\n%s\n", item->code);
  for (int i = 0; i < item->n_options; i++)
    printf ("  %d) %s\n", i + 1, item->options[i].text);
  if (item->type == RS_ITEM_MULTI)
    printf ("%s ", _("Numbers of all that apply, e.g. 1,3:"));
  else if (item->type == RS_ITEM_NUMERIC && item->unit != NULL)
    /* Translators: the unit of the answer, such as "ms" or "%". */
    printf (_("Your number in %s: "), item->unit);
  else if (item->type == RS_ITEM_NUMERIC)
    printf ("%s ", _("Your number:"));
  else
    printf (_("Your choice (1-%d): "), item->n_options);
  fflush (stdout);
}

/* Reads an answer typed as option numbers or a number. FALSE at end of input. */
static gboolean
read_answer (const RsItem *item, RsAnswer *answer)
{
  char line[256];

  for (;;)
    {
      g_autoptr (GError) error = NULL;
      GString *letters;
      char *text;
      gboolean ok = TRUE;

      if (fgets (line, sizeof line, stdin) == NULL)
        return FALSE;
      text = g_strstrip (line);
      if (item->type == RS_ITEM_NUMERIC)
        {
          if (rs_answer_parse (item, text, answer, &error) && answer->has_number)
            return TRUE;
          printf ("%s ", _("Please type a number:"));
          fflush (stdout);
          continue;
        }
      letters = g_string_new (NULL);
      for (char *p = text; *p; p++)
        if (*p >= '1' && *p <= '9' && *p - '1' < item->n_options)
          g_string_append_c (letters, (char) ('A' + (*p - '1')));
        else if (*p != ',' && *p != ' ')
          ok = FALSE;
      ok = ok && letters->len > 0 && rs_answer_parse (item, letters->str, answer, &error);
      g_string_free (letters, TRUE);
      if (ok)
        return TRUE;
      printf ("%s ", item->type == RS_ITEM_MULTI ? _("Please type option numbers such as 1,3:")
                                                 : _("Please type one option number:"));
      fflush (stdout);
    }
}

static void
print_results (RsAssessment *assessment, const RsRoleSet *roles)
{
  RsSkillEstimate estimates[RS_N_SKILLS];
  const RsCat *cat = rs_assessment_cat (assessment);

  printf ("\n%s\n", _("Results"));
  for (int i = 0; i < rs_cat_n_skills (cat); i++)
    {
      const RsCatSkillState *state = rs_cat_skill_state (cat, i);
      RsSkillScore score;
      g_autofree char *level = NULL;

      rs_skill_score_init_full (&score, state->theta, state->se, state->level.probability);
      level = rs_skill_score_describe (&score);
      g_autofree char *questions = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d question", "%d questions",
                                                                 (gulong) state->n_items), state->n_items);

      /* Translators: a skill, its level or range, the most likely level and
       * its probability, the score with its 80% band, "12 questions", and
       * " and some tried out" or nothing. */
      printf (_("  %-17s %-34s most likely %s (%.0f%%), score %3.0f (80%% band %.0f–%.0f), %s%s\n"),
              rs_skill_title (state->skill), level, rs_level_name (score.level), 100 * score.level_probability,
              score.score, score.score_low, score.score_high, questions,
              state->n_pretest > 0 ? _(" and some tried out") : "");
    }
  if (roles == NULL)
    return;
  rs_assessment_estimates (assessment, estimates);
  {
    g_autoptr (RsAdvice) advice = rs_advise (roles, estimates);
    const RsRoleFit *best = &g_array_index (advice->fits, RsRoleFit, 0);
    g_autoptr (GPtrArray) reasons = rs_role_fit_reasons (best, estimates);

    if (best->met)
      printf (_("\nBest fit: %s (%.0f%% fit, every wanted level reached)\n"), best->role->name, 100 * best->fit);
    else
      printf (_("\nBest fit: %s (%.0f%% fit)\n"), best->role->name, 100 * best->fit);
    for (guint i = 0; i < reasons->len; i++)
      printf ("  - %s\n", (const char *) g_ptr_array_index (reasons, i));
    if (advice->fits->len > 1)
      printf (_("Runner-up: %s (%.0f%% fit)\n"), g_array_index (advice->fits, RsRoleFit, 1).role->name,
              100 * g_array_index (advice->fits, RsRoleFit, 1).fit);
    if (advice->next_role != NULL)
      {
        printf (_("Next step towards %s:"), advice->next_role->name);
        for (guint i = 0; i < advice->next_steps->len; i++)
          {
            g_autofree char *step = rs_step_describe (&g_array_index (advice->next_steps, RsStep, i));
            printf ("%s %s", i ? ";" : "", step);
          }
        printf ("\n");
      }
  }
}

int
rs_cli_take (int argc, char **argv)
{
  g_autofree char *db_path = NULL, *skills_text = NULL, *mode_text = NULL, *auto_text = NULL;
  g_autofree char *questions = NULL, *roles_path = NULL, *employee = NULL, *resume = NULL;
  int seed = 0, max_answers = -1, pin_fd = -1;
  gboolean practice = FALSE;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path, N_("The database (created if missing)"), N_("FILE") },
    { "skills", 0, 0, G_OPTION_ARG_STRING, &skills_text, N_("Skills to assess, e.g. python,statistics or all"), N_("LIST") },
    { "mode", 0, 0, G_OPTION_ARG_STRING, &mode_text, N_("quick, standard (default) or precise"), N_("MODE") },
    { "employee", 0, 0, G_OPTION_ARG_STRING, &employee, N_("Sign in with this employee number (default: guest)"), N_("NO") },
    { "pin-fd", 0, 0, G_OPTION_ARG_INT, &pin_fd,
      N_("Read the PIN for --employee from this open file descriptor (default: asked on the terminal)"), N_("N") },
    { "resume", 0, 0, G_OPTION_ARG_STRING, &resume, N_("Continue this unfinished attempt"), N_("UUID") },
    { "practice", 0, 0, G_OPTION_ARG_NONE, &practice,
      N_("A practice assessment: only you see it (needs --employee); share it later with reskill share-practice"),
      NULL },
    { "auto-answer", 0, 0, G_OPTION_ARG_STRING, &auto_text, N_("Answer by itself: correct, wrong or random"), N_("HOW") },
    { "seed", 0, 0, G_OPTION_ARG_INT, &seed, N_("Seed for item selection and random answers"), N_("N") },
    { "max-answers", 0, 0, G_OPTION_ARG_INT, &max_answers, N_("Stop (attempt kept, resumable) after this many answers"), N_("N") },
    { "questions", 0, 0, G_OPTION_ARG_FILENAME, &questions, N_("The question folder"), N_("DIR") },
    { "roles", 0, 0, G_OPTION_ARG_FILENAME, &roles_path, N_("The roles file"), N_("FILE") },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new (_("- take an assessment in the terminal"));
  g_autoptr (GError) error = NULL;
  g_autoptr (RsBank) bank = rs_bank_new ();
  g_autoptr (RsRoleSet) roles = NULL;
  g_autoptr (RsStore) store = NULL;
  g_autoptr (RsAssessment) assessment = NULL;
  g_autoptr (RsPerson) person = NULL;
  g_autoptr (GRand) rand = NULL;
  gboolean selected[RS_N_SKILLS];
  RsSkill skills[RS_N_SKILLS];
  int n_skills = 0, answered = 0;
  AutoAnswer automatic = AUTO_NONE;
  RsMode mode = RS_MODE_STANDARD;

  g_option_context_set_summary (context,
      _("With --auto-answer, prints 'answered ATTEMPT_UUID SEQ ITEM_ID' after each\n"
      "answer is durably stored (and 'finished UUID', with ' (practice)' for a\n"
      "practice assessment). Without, reads answers from the terminal;\n"
      "end of input pauses the attempt, which --resume continues."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!rs_cli_parse (context, "take", &argc, &argv))
    return RS_EXIT_USAGE;
  if (argc > 1)
    {
      rs_cli_error ("take", _("unexpected argument '%s'"), argv[1]);
      return RS_EXIT_USAGE;
    }
  if (db_path == NULL)
    {
      rs_cli_error ("take", _("--db FILE is required"));
      return RS_EXIT_USAGE;
    }
  if (resume == NULL && skills_text == NULL)
    {
      rs_cli_error ("take", _("--skills LIST is required (python, statistics, ml, empathy or all)"));
      return RS_EXIT_USAGE;
    }
  if (skills_text != NULL && !rs_skill_parse_list (skills_text, selected, &error))
    {
      rs_cli_error ("take", _("--skills: %s"), error->message);
      return RS_EXIT_USAGE;
    }
  if (mode_text != NULL && (mode = rs_mode_from_id (mode_text)) == RS_MODE_INVALID)
    {
      rs_cli_error ("take", _("--mode must be quick, standard or precise, not '%s'"), mode_text);
      return RS_EXIT_USAGE;
    }
  if (auto_text != NULL)
    {
      if (g_str_equal (auto_text, "correct"))
        automatic = AUTO_CORRECT;
      else if (g_str_equal (auto_text, "wrong"))
        automatic = AUTO_WRONG;
      else if (g_str_equal (auto_text, "random"))
        automatic = AUTO_RANDOM;
      else
        {
          rs_cli_error ("take", _("--auto-answer must be correct, wrong or random, not '%s'"), auto_text);
          return RS_EXIT_USAGE;
        }
    }
  for (int s = 0; skills_text != NULL && s < RS_N_SKILLS; s++)
    if (selected[s])
      skills[n_skills++] = (RsSkill) s;

  if (questions == NULL)
    questions = rs_default_questions_dir ();
  if (!rs_bank_load_dir (bank, questions, &error))
    {
      rs_cli_error ("take", "%s", error->message);
      return RS_EXIT_FAILURE;
    }
  if (roles_path == NULL)
    roles_path = rs_default_roles_path ();
  roles = rs_role_set_load (roles_path, &error);
  if (roles == NULL)
    {
      /* Results are still worth showing without role advice. */
      rs_cli_error ("take", _("no role advice: %s"), error->message);
      g_clear_error (&error);
    }

  store = rs_store_open (db_path, &error);
  if (store == NULL)
    {
      rs_cli_error ("take", "%s", error->message);
      return RS_EXIT_FAILURE;
    }
  /* The parameters of the calibration in force, flagged items withheld. */
  if (!rs_calibration_apply_to_bank (store, bank, &error))
    {
      rs_cli_error ("take", "%s", error->message);
      return RS_EXIT_FAILURE;
    }
  if (employee != NULL)
    {
      g_autofree char *prompt = g_strdup_printf (_("PIN for %s: "), employee);
      g_autofree char *typed = NULL;

      /* Never on the command line, where ps and the shell's history show it. */
      if (!rs_cli_read_secret (prompt, pin_fd, &typed, &error))
        {
          rs_cli_error ("take", "%s", error->message);
          return RS_EXIT_FAILURE;
        }
      person = rs_store_authenticate (store, employee, typed, NULL, &error);
      sodium_memzero (typed, strlen (typed));
      if (person == NULL)
        {
          rs_cli_error ("take", "%s", error->message);
          return RS_EXIT_FAILURE;
        }
    }

  if (practice && (employee == NULL || resume != NULL))
    {
      rs_cli_error ("take", "%s", _("--practice needs --employee (a guest is anonymous anyway), and starts a new attempt"));
      return RS_EXIT_USAGE;
    }
  if (person != NULL && rs_privacy_notice_needed (store, person))
    fprintf (stderr, _("The privacy notice has changed or was never confirmed: read it with "
                       "reskill privacy notice --db %s --employee %s --confirm\n"), db_path, person->employee_no);

  if (resume != NULL)
    assessment = rs_assessment_resume (store, bank, resume, &error);
  else
    {
      RsAssessmentOptions options;

      rs_assessment_options_init (&options);
      options.practice = practice;
      assessment = rs_assessment_start_full (store, bank, person ? person->id : 0, mode, skills, n_skills,
                                             NULL, (guint32) seed, &options, &error);
    }
  if (assessment == NULL)
    {
      rs_cli_error ("take", "%s", error->message);
      return RS_EXIT_FAILURE;
    }
  if (automatic == AUTO_NONE)
    printf (_("Attempt %s\n"), rs_assessment_uuid (assessment));
  if (rs_assessment_attempt (assessment)->practice)
    printf ("%s\n", _("Practice: only you see this result; nobody else does unless you share it "
                      "(reskill share-practice)."));
  rand = g_rand_new_with_seed ((guint32) seed ^ (guint32) g_str_hash (rs_assessment_uuid (assessment))
                               ^ (guint32) rs_assessment_next_seq (assessment));

  for (;;)
    {
      const RsItem *item = rs_assessment_current_item (assessment);
      RsAnswer answer;
      gint64 shown = g_get_monotonic_time ();
      int seq = rs_assessment_next_seq (assessment);

      if (item == NULL)
        break;
      if (max_answers >= 0 && answered >= max_answers)
        {
          /* "paused", "answered" and "finished" lines are for scripts
           * (README): the same in every language. */
          printf ("paused %s\n", rs_assessment_uuid (assessment));
          return RS_EXIT_OK;
        }
      switch (automatic)
        {
        case AUTO_CORRECT: rs_item_best_answer (item, &answer); break;
        case AUTO_WRONG: wrong_answer (item, &answer); break;
        case AUTO_RANDOM: random_answer (item, rand, &answer); break;
        case AUTO_NONE:
        default:
          show_item (assessment, item);
          if (!read_answer (item, &answer))
            {
              printf (_("\nPaused. Continue with: reskill take --db %s --resume %s\n"), db_path,
                      rs_assessment_uuid (assessment));
              return RS_EXIT_OK;
            }
          break;
        }
      if (!rs_assessment_submit (assessment, &answer, (int) ((g_get_monotonic_time () - shown) / 1000),
                                 NULL, &error))
        {
          rs_cli_error ("take", _("the answer was not saved: %s"), error->message);
          return RS_EXIT_FAILURE;
        }
      answered++;
      if (automatic != AUTO_NONE)
        {
          printf ("answered %s %d %s\n", rs_assessment_uuid (assessment), seq, item->id);
          fflush (stdout);
        }
    }

  if (!rs_assessment_finish (assessment, &error))
    {
      rs_cli_error ("take", _("the results were not saved: %s"), error->message);
      return RS_EXIT_FAILURE;
    }
  if (automatic != AUTO_NONE)
    printf ("finished %s%s\n", rs_assessment_uuid (assessment),
            rs_assessment_attempt (assessment)->practice ? " (practice)" : "");
  print_results (assessment, roles);
  return RS_EXIT_OK;
}
