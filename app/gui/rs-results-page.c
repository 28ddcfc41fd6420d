/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Everything here is read from the core: scores and levels from
 * rs-scoring, role fit, reasons and next step from rs-roles, right answers
 * from rs-item, strengths and gaps from rs-topics. */
#include "rs-results-page.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "rs-error.h"
#include "rs-learning-plan.h"
#include "rs-paths.h"
#include "rs-privacy.h"
#include "rs-text.h"
#include "rs-topics.h"
#include "rs-score-chart.h"

/* Subtopics the plan shows at most: the weak ones and the role's. */
#define LEARNING_MAX_SUBTOPICS 5
/* Steps shown per subtopic: the catalogue has two to four; the first two
 * (the reading and the exercise, as the catalogue orders them) fit a row. */
#define LEARNING_STEPS_SHOWN 3

struct _RsResultsPage
{
  RsPage parent_instance;

  char *uuid;
  RsAttempt *attempt;                /* the one shown */
  guint review_next;                 /* next response to add to the review */
  guint review_idle_id;
  GPtrArray *rows;                   /* (GtkWidget *, AdwPreferencesGroup *) pairs we added */
  char *level_text[RS_N_SKILLS];
  char *role_name;
  guint n_reviewed;

  GtkScrolledWindow *scroller;
  GtkLabel *title_label;
  GtkLabel *subtitle_label;
  RsScoreChart *chart;
  AdwPreferencesGroup *skills_group;
  AdwPreferencesGroup *role_group;
  AdwPreferencesGroup *topics_group;
  AdwPreferencesGroup *learning_group;
  AdwPreferencesGroup *review_group;
  GtkWidget *history_button;
  GtkWidget *done_button;
  GtkWidget *share_button;
  guint n_learning;
  RsLearningCatalog *learning;       /* loaded on first use; NULL when it cannot be */
  gboolean learning_tried;
};

G_DEFINE_FINAL_TYPE (RsResultsPage, rs_results_page, RS_TYPE_PAGE)

static void
add_row (RsResultsPage *self, AdwPreferencesGroup *group, GtkWidget *row)
{
  adw_preferences_group_add (group, row);
  g_ptr_array_add (self->rows, row);
  g_ptr_array_add (self->rows, group);
}

static void
clear (RsResultsPage *self)
{
  g_clear_handle_id (&self->review_idle_id, g_source_remove);
  for (guint i = 0; i + 1 < self->rows->len; i += 2)
    adw_preferences_group_remove (g_ptr_array_index (self->rows, i + 1), g_ptr_array_index (self->rows, i));
  g_ptr_array_set_size (self->rows, 0);
  for (int s = 0; s < RS_N_SKILLS; s++)
    g_clear_pointer (&self->level_text[s], g_free);
  g_clear_pointer (&self->role_name, g_free);
  self->n_reviewed = 0;
  self->n_learning = 0;
}

static GtkWidget *
action_row (const char *title, const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  /* Bank and role texts are plain text: "<" must not be taken as markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
  return row;
}

static GtkWidget *
suffix_label (GtkWidget *row, const char *text, const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  /* Short texts ("Proficient", "Fit 82%"): kept on one line, the row's
   * subtitle wraps instead. */
  gtk_label_set_xalign (GTK_LABEL (label), 1);
  gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
  return label;
}

char *
rs_results_level_lead (const RsSkillScore *score)
{
  /* Translators: the decision that leads each skill, "Proficient, 83% likely". */
  return g_strdup_printf (_("%s, %.0f%% likely"), rs_level_name (score->level), 100 * score->level_probability);
}

static const char *
guess_comparison (RsLevel guess, const RsSkillScore *score)
{
  if (guess < score->level_low)
    return _("you rated yourself lower than measured");
  if (guess > score->level_high)
    return _("you rated yourself higher than measured");
  return _("your guess fits the measurement");
}

static void
show_skills (RsResultsPage *self, const RsAttempt *attempt)
{
  RsSkill skills[RS_N_SKILLS];
  RsSkillScore scores[RS_N_SKILLS];
  RsLevel guesses[RS_N_SKILLS];
  int n = 0;

  for (guint r = 0; attempt->results != NULL && r < attempt->results->len && n < RS_N_SKILLS; r++)
    {
      const RsSkillResult *result = &g_array_index (attempt->results, RsSkillResult, r);
      RsLevel guess = attempt->self_level[result->skill];
      g_autofree char *level = NULL;
      g_autofree char *lead = NULL;
      g_autofree char *decision = NULL;
      g_autofree char *subtitle = NULL;
      g_autofree char *guess_text = NULL;
      g_autofree char *name = g_strdup_printf ("results-level-%s", rs_skill_id (result->skill));
      GtkWidget *row, *label;

      skills[n] = result->skill;
      /* The level probabilities stored with the result, as it was decided;
       * older results approximate them from θ and SE. */
      rs_skill_score_init_full (&scores[n], result->theta, result->se,
                                result->has_level_probability ? result->level_probability : NULL);
      guesses[n] = guess;
      level = rs_skill_score_describe (&scores[n]);
      lead = rs_results_level_lead (&scores[n]);

      if (guess != RS_LEVEL_INVALID)
        /* Translators: after the score; the second %s says how the guess compares. */
        guess_text = g_strdup_printf (_(" · Your guess: %s, %s"), rs_level_name (guess),
                                      guess_comparison (guess, &scores[n]));
      /* The decision leads (the suffix: "Proficient, 83% likely"); the
       * subtitle gives the band after it: the level alone when it is sure
       * enough to claim, else the levels it lies between with their joint
       * probability. */
      if (scores[n].level_claimed)
        /* Translators: the band when one level is sure enough to claim. */
        decision = g_strdup_printf (_("Claimed: %s"), rs_level_name (scores[n].level));
      else
        /* Translators: the band of levels ("between Developing and
         * Proficient") and how likely the true level lies in it. */
        decision = g_strdup_printf (_("Not yet sure: %s (%.0f%% likely)"), level,
                                    100 * scores[n].decision.band_probability);
      {
        g_autofree char *n_questions = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d question", "%d questions",
                                                                  (gulong) result->n_items),
                                                        result->n_items);
        /* An SE that rests on questions still being calibrated is said so:
         * their parameters are guesses, and so is part of the band. */
        /* Translators: decision · score and its 80% band · number of questions, your guess. */
        subtitle = g_strdup_printf (_("%s · Score %.0f, very likely between %.0f and %.0f · %s%s%s"),
                                    decision, scores[n].score, scores[n].score_low, scores[n].score_high,
                                    n_questions, guess_text != NULL ? guess_text : "",
                                    result->se_provisional
                                      ? _("\nProvisional: some of these questions are still being calibrated, so the band is an estimate")
                                      : "");
      }
      row = action_row (rs_skill_title (result->skill), subtitle);
      {
        g_autofree char *row_name = g_strdup_printf ("results-skill-%s", rs_skill_id (result->skill));
        gtk_widget_set_name (row, row_name);
      }
      label = suffix_label (row, lead, scores[n].level_claimed ? "level-claimed" : "level-between");
      gtk_widget_set_name (label, name);
      add_row (self, self->skills_group, row);
      self->level_text[result->skill] = g_steal_pointer (&level);
      n++;
    }
  rs_score_chart_set_scores (self->chart, n, skills, scores, guesses);
}

/* What the attempt measured, for the role advisor: unmeasured skills count
 * as the prior (θ = 0, SE = 1). */
static void
attempt_estimates (const RsAttempt *attempt, RsSkillEstimate estimates[RS_N_SKILLS])
{
  for (int s = 0; s < RS_N_SKILLS; s++)
    {
      estimates[s].measured = FALSE;
      estimates[s].theta = 0;
      estimates[s].se = 1;
    }
  for (guint r = 0; attempt->results != NULL && r < attempt->results->len; r++)
    {
      const RsSkillResult *result = &g_array_index (attempt->results, RsSkillResult, r);

      estimates[result->skill].measured = TRUE;
      estimates[result->skill].theta = result->theta;
      estimates[result->skill].se = result->se;
    }
}

/* "Fit 82%": what the suffix says; whether it is met is said beside it. */
static char *
fit_text (const RsRoleFit *fit)
{
  return fit->met ? g_strdup_printf (_("Fit %.0f%%, met"), fit->fit * 100)
                  : g_strdup_printf (_("Fit %.0f%%, not yet met"), fit->fit * 100);
}

/* The role's summary, then what it wants, one line each, under it. */
static char *
role_subtitle (const RsRoleFit *fit, const RsSkillEstimate estimates[RS_N_SKILLS], const char *lead)
{
  g_autoptr (GPtrArray) reasons = rs_role_fit_reasons (fit, estimates);
  g_autoptr (GString) text = g_string_new (NULL);

  if (lead != NULL)
    g_string_append_printf (text, "%s\n", lead);
  if (fit->role->summary != NULL)
    g_string_append (text, fit->role->summary);
  for (guint i = 0; reasons != NULL && i < reasons->len; i++)
    g_string_append_printf (text, "%s• %s", text->len > 0 ? "\n" : "", (const char *) g_ptr_array_index (reasons, i));
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
show_role (RsResultsPage *self, const RsAttempt *attempt)
{
  const RsRoleSet *roles = rs_context_get_roles (rs_page_get_context (RS_PAGE (self)));
  const RsBank *bank = rs_page_get_bank (RS_PAGE (self));
  RsSkillEstimate estimates[RS_N_SKILLS] = { { 0 } };
  g_autoptr (RsAdvice) advice = NULL;
  const RsRoleFit *best, *runner_up;
  GtkWidget *row;

  attempt_estimates (attempt, estimates);

  adw_preferences_group_set_description (self->role_group,
                                         attempt->n_skills < RS_N_SKILLS
                                           ? _("Based on the skills assessed this time; the others count as unknown, so a full assessment gives firmer advice.")
                                           : NULL);
  adw_preferences_group_set_title (self->role_group, _("Suggested Role"));

  if (roles == NULL || rs_role_set_n_roles (roles) == 0)
    {
      add_row (self, self->role_group, action_row (_("Role advice is not available"), _("No roles file was loaded. An administrator can fix this; your scores above are complete.")));
      return;
    }

  advice = rs_advise (roles, estimates);
  if (advice == NULL || advice->fits == NULL || advice->fits->len == 0)
    {
      add_row (self, self->role_group, action_row (_("No role to suggest"), NULL));
      return;
    }

  best = &g_array_index (advice->fits, RsRoleFit, 0);
  {
    g_autofree char *fit = fit_text (best);
    g_autofree char *title = NULL;
    g_autofree char *subtitle = NULL;
    GtkWidget *label;

    /* A best fit that is not met is no suggestion: the group and the row
     * say so plainly, and what the role wants is listed under it. */
    if (best->met)
      title = g_strdup (best->role->name);
    else
      {
        adw_preferences_group_set_title (self->role_group, _("Closest Role"));
        /* Translators: the closest role when no role's wanted levels are all met. */
        title = g_strdup_printf (_("%s: not yet met"), best->role->name);
      }
    subtitle = role_subtitle (best, estimates, NULL);
    row = action_row (title, subtitle);
    gtk_widget_set_name (row, "results-best-role");
    gtk_widget_add_css_class (row, "best-role");
    label = suffix_label (row, fit, best->met ? "success" : "dim-label");
    gtk_widget_set_name (label, "results-role-fit");
    add_row (self, self->role_group, row);
    self->role_name = g_strdup (best->role->name);
  }

  if (advice->fits->len > 1)
    {
      g_autofree char *title = NULL;
      g_autofree char *fit = NULL;
      g_autofree char *best_fit = g_strdup_printf ("%.0f", best->fit * 100);
      g_autofree char *runner_fit = NULL;
      g_autofree char *lead = NULL;
      g_autofree char *subtitle = NULL;

      runner_up = &g_array_index (advice->fits, RsRoleFit, 1);
      runner_fit = g_strdup_printf ("%.0f", runner_up->fit * 100);
      /* Two roles that read the same fit are a tie on what was measured,
       * not a first and a second: say so rather than rank them. */
      if (g_strcmp0 (best_fit, runner_fit) == 0)
        {
          /* Translators: %s is the best-fitting role. */
          lead = g_strdup_printf (_("The same fit as %s: on what was measured, the two are equally close."),
                                  best->role->name);
          /* Translators: a second role that fits as well as the first. */
          title = g_strdup_printf (_("Equally close: %s"), runner_up->role->name);
        }
      else
        title = g_strdup_printf (_("Runner-up: %s"), runner_up->role->name);
      fit = fit_text (runner_up);
      subtitle = role_subtitle (runner_up, estimates, lead);
      row = action_row (title, subtitle);
      gtk_widget_set_name (row, "results-runner-up");
      suffix_label (row, fit, "dim-label");
      add_row (self, self->role_group, row);
    }

  if (advice->next_role != NULL && advice->next_steps != NULL && advice->next_steps->len > 0)
    {
      g_autoptr (GString) steps = g_string_new (NULL);
      g_autofree char *title = NULL;

      /* The role is named once: when the next role is the one just shown,
       * the row only says what would meet it. */
      if (advice->next_role == best->role)
        title = g_strdup (_("What would meet it"));
      else
        /* Translators: the role to aim for next. */
        title = g_strdup_printf (_("Next step: toward %s"), advice->next_role->name);

      for (guint i = 0; i < advice->next_steps->len; i++)
        {
          const RsStep *step = &g_array_index (advice->next_steps, RsStep, i);
          g_autofree char *text = rs_step_describe (step);
          g_autofree char *focus = bank != NULL ? rs_step_describe_focus (step, bank) : NULL;

          if (text[0] != '\0')
            text[0] = g_ascii_toupper (text[0]);
          g_string_append_printf (steps, "%s• %s%s%s", i > 0 ? "\n" : "", text, focus != NULL ? ", " : "",
                                  focus != NULL ? focus : "");
        }
      row = action_row (title, steps->str);
      gtk_widget_set_name (row, "results-next-step");
      gtk_widget_add_css_class (row, "next-step");
      add_row (self, self->role_group, row);
    }
  else if (advice->next_role == NULL)
    add_row (self, self->role_group, action_row (_("Every role's wanted levels are met"), _("Keep your skills current; take the assessment again later to see your progress.")));
}

/* The core judges each subtopic against what the person's measured level
 * predicts (rs-topics); the page only words it. Subtopics with fewer than
 * RS_TOPIC_MIN_ANSWERS answers get no verdict and no row of their own: one
 * line says how many there were. */
static void
show_topics (RsResultsPage *self, const RsAttempt *attempt)
{
  const RsBank *bank = rs_page_get_bank (RS_PAGE (self));
  g_autoptr (GArray) topics = bank != NULL ? rs_topic_summary (attempt, bank) : NULL;
  guint n = topics != NULL ? topics->len : 0;
  guint n_too_few = 0;

  for (guint t = 0; t < n; t++)
    {
      const RsTopicSummary *topic = &g_array_index (topics, RsTopicSummary, t);
      g_autofree char *subtopic = rs_bank_subtopic_title (bank, topic->skill, topic->subtopic);
      g_autofree char *title = g_strdup_printf ("%s · %s", rs_skill_title (topic->skill), subtopic);
      g_autofree char *points = NULL;
      g_autofree char *answers = NULL;
      g_autofree char *subtitle = NULL;
      GtkWidget *row, *label;

      if (topic->verdict == RS_TOPIC_TOO_FEW)
        {
          n_too_few++;
          continue;
        }
      points = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d of %d point", "%d of %d points", (gulong) topic->max_score),
                                topic->score, topic->max_score);
      answers = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d answer", "%d answers", (gulong) topic->n_items), topic->n_items);
      /* Translators: "3 of 4 points from 4 answers; 1.2 points more than your level predicts". */
      subtitle = g_strdup_printf (topic->residual >= 0 ? _("%s from %s; %.1f points more than your level predicts")
                                                       : _("%s from %s; %.1f points fewer than your level predicts"),
                                  points, answers, ABS (topic->residual));
      row = action_row (title, subtitle);
      switch (topic->verdict)
        {
        case RS_TOPIC_STRENGTH:
          label = suffix_label (row, _("Strength"), "success");
          break;
        case RS_TOPIC_GAP:
          label = suffix_label (row, _("Gap"), "warning");
          break;
        case RS_TOPIC_AS_EXPECTED:
        case RS_TOPIC_TOO_FEW:
        default:
          label = suffix_label (row, _("As expected"), "dim-label");
          break;
        }
      gtk_widget_add_css_class (label, "topic-verdict");
      add_row (self, self->topics_group, row);
    }
  if (n_too_few > 0)
    {
      /* "more" only when rows above were judged. */
      g_autofree char *title = g_strdup_printf (n_too_few < n
                                                  ? g_dngettext (GETTEXT_PACKAGE, "%u more topic had too few answers to judge",
                                                                 "%u more topics had too few answers to judge",
                                                                 (gulong) n_too_few)
                                                  : g_dngettext (GETTEXT_PACKAGE, "%u topic, with too few answers to judge",
                                                                 "%u topics, each with too few answers to judge",
                                                                 (gulong) n_too_few), n_too_few);
      g_autofree char *subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "A topic is judged from %d answers or more; "
                                                             "one or two answers can be luck either way.",
                                                             "A topic is judged from %d answers or more; "
                                                             "one or two answers can be luck either way.",
                                                             RS_TOPIC_MIN_ANSWERS),
                                                   RS_TOPIC_MIN_ANSWERS);
      GtkWidget *row = action_row (title, subtitle);

      gtk_widget_set_name (row, "results-topics-too-few");
      add_row (self, self->topics_group, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->topics_group), n > 0);
}

static const RsLearningCatalog *
learning_catalog (RsResultsPage *self)
{
  if (!self->learning_tried)
    {
      g_autofree char *path = rs_default_learning_path ();
      g_autoptr (GError) error = NULL;

      self->learning_tried = TRUE;
      self->learning = path != NULL ? rs_learning_catalog_load (path, &error) : NULL;
      if (self->learning == NULL)
        g_debug ("No learning catalogue: %s", error != NULL ? error->message : "no path");
    }
  return self->learning;
}

static const char *
learning_kind_title (RsLearningKind kind)
{
  switch (kind)
    {
    case RS_LEARNING_DOCS:
      return _("Read");
    case RS_LEARNING_BOOK:
      return _("Book");
    case RS_LEARNING_EXERCISE:
      return _("Do");
    case RS_LEARNING_COURSE:
      return _("Course");
    case RS_N_LEARNING_KINDS:
    default:
      return "";
    }
}

/* What to learn next: the catalogue's steps for the weakest subtopics with
 * enough answers behind them, and for the subtopics the raises toward the
 * next role rest on (rs-learning-plan chooses). */
static void
show_learning (RsResultsPage *self, const RsAttempt *attempt)
{
  const RsBank *bank = rs_page_get_bank (RS_PAGE (self));
  const RsRoleSet *roles = rs_context_get_roles (rs_page_get_context (RS_PAGE (self)));
  const RsLearningCatalog *catalog = learning_catalog (self);
  RsSkillEstimate estimates[RS_N_SKILLS];
  g_autoptr (GArray) topics = NULL;
  g_autoptr (RsAdvice) advice = NULL;
  g_autoptr (GArray) plan = NULL;

  if (bank == NULL || catalog == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->learning_group), FALSE);
      return;
    }
  attempt_estimates (attempt, estimates);
  topics = rs_topic_summary (attempt, bank);
  if (roles != NULL && rs_role_set_n_roles (roles) > 0)
    advice = rs_advise (roles, estimates);
  plan = rs_learning_plan (catalog, topics, advice, LEARNING_MAX_SUBTOPICS);

  for (guint i = 0; i < plan->len; i++)
    {
      const RsPlanEntry *entry = &g_array_index (plan, RsPlanEntry, i);
      g_autofree char *subtopic = rs_bank_subtopic_title (bank, entry->skill, entry->subtopic);
      g_autofree char *title = g_strdup_printf ("%s · %s", rs_skill_title (entry->skill), subtopic);
      g_autoptr (GString) text = g_string_new (NULL);
      GtkWidget *row, *label;

      if (entry->reason == RS_PLAN_WEAK)
        g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "Below what your level predicts, over %d answer.",
                                                "Below what your level predicts, over %d answers.",
                                                (gulong) entry->n_answers), entry->n_answers);
      else
        /* Translators: "Wanted for Proficient in Statistics by the next role." */
        g_string_append_printf (text, _("Wanted for %s in %s by the role you are heading to."),
                                rs_level_name (entry->to), rs_skill_title (entry->skill));
      for (guint k = 0; k < entry->steps->len && k < LEARNING_STEPS_SHOWN; k++)
        {
          const RsLearningStep *step = g_ptr_array_index (entry->steps, k);

          g_string_append_printf (text, "\n• %s: %s", learning_kind_title (step->kind), step->title);
          if (step->source != NULL)
            g_string_append_printf (text, " (%s)", step->source);
          if (step->minutes > 0)
            g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, ", about %d minute", ", about %d minutes", (gulong) step->minutes),
                                    step->minutes);
          if (step->detail != NULL)
            g_string_append_printf (text, ". %s", step->detail);
        }
      row = action_row (title, text->str);
      label = suffix_label (row, entry->reason == RS_PLAN_WEAK ? _("To catch up") : _("For the role"),
                            entry->reason == RS_PLAN_WEAK ? "warning" : "accent");
      gtk_widget_add_css_class (label, "learning-reason");
      add_row (self, self->learning_group, row);
    }
  self->n_learning = plan->len;
  gtk_widget_set_visible (GTK_WIDGET (self->learning_group), plan->len > 0);
}

/* "2 · text" for each chosen option, or the number typed. */
static char *
describe_answer (const RsItem *item, const RsAnswer *answer)
{
  g_autoptr (GString) text = g_string_new (NULL);

  if (item->type == RS_ITEM_NUMERIC)
    {
      if (!answer->has_number)
        return g_strdup (_("no answer"));
      g_string_printf (text, "%g%s%s", answer->number, item->unit != NULL ? " " : "",
                       item->unit != NULL ? item->unit : "");
      return g_string_free (g_steal_pointer (&text), FALSE);
    }
  for (int i = 0; i < item->n_options; i++)
    if (answer->chosen & (1u << i))
      g_string_append_printf (text, "%s%d", text->len > 0 ? ", " : "", i + 1);
  if (text->len == 0)
    return g_strdup (_("no answer"));
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* text is bank text: its `code` spans are shown in monospace (rs-text). */
static GtkWidget *
wrapped_label (const char *text, const char *css_class)
{
  g_autofree char *markup = rs_text_markup_code (text);
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_markup (GTK_LABEL (label), markup);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_selectable (GTK_LABEL (label), FALSE);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  return label;
}

static GtkWidget *
review_details (const RsItem *item, const RsAnswer *given, const RsAnswer *best)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);

  gtk_widget_set_margin_top (box, 12);
  gtk_widget_set_margin_bottom (box, 12);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  {
    g_autofree char *stem = rs_text_reflow (item->stem);
    gtk_box_append (GTK_BOX (box), wrapped_label (stem, NULL));
  }
  if (item->code != NULL && *item->code != '\0')
    {
      g_autofree char *code = g_strchomp (g_strdup (item->code));
      GtkWidget *label = wrapped_label ("", "review-code");

      /* Code as it is: its backticks are Python's, not the bank's marks. */
      gtk_label_set_text (GTK_LABEL (label), code);
      gtk_box_append (GTK_BOX (box), label);
    }

  if (item->type == RS_ITEM_NUMERIC)
    {
      g_autofree char *text = g_strdup_printf (_("Right answer: %g%s%s (full credit within ±%g)"), item->answer,
                                               item->unit != NULL ? " " : "", item->unit != NULL ? item->unit : "",
                                               item->tolerance);
      gtk_box_append (GTK_BOX (box), wrapped_label (text, "heading"));
    }
  else
    for (int i = 0; i < item->n_options; i++)
      {
        gboolean chosen = (given->chosen & (1u << i)) != 0;
        gboolean right = (best->chosen & (1u << i)) != 0;
        g_autoptr (GString) text = g_string_new (NULL);
        GtkWidget *label;

        g_string_printf (text, "%d · %s", i + 1, item->options[i].text);
        if (item->type == RS_ITEM_SCENARIO)
          /* Translators: a scenario option's points and, after the colon, why. */
          g_string_append_printf (text, _("  (%d of 2 points%s%s)"), item->options[i].score,
                                  item->options[i].rationale != NULL ? ": " : "",
                                  item->options[i].rationale != NULL ? item->options[i].rationale : "");
        if (chosen)
          g_string_append (text, _("  ← your answer"));
        label = wrapped_label (text->str, right ? "review-right" : chosen ? "review-wrong" : NULL);
        gtk_box_append (GTK_BOX (box), label);
      }

  if (item->explanation != NULL)
    {
      g_autofree char *explanation = rs_text_reflow (item->explanation);
      gtk_box_append (GTK_BOX (box), wrapped_label (explanation, "review-explanation"));
    }
  return box;
}

typedef struct {
  const RsItem *item;          /* owned by the bank, which outlives the page */
  RsAnswer given;
  RsAnswer best;
  gboolean built;
} ReviewData;

static void
on_review_expanded (AdwExpanderRow *row, GParamSpec *pspec, gpointer user_data)
{
  ReviewData *data = g_object_get_data (G_OBJECT (row), "rs-review");
  GtkWidget *details_row;

  if (data == NULL || data->built || !adw_expander_row_get_expanded (row))
    return;
  data->built = TRUE;
  details_row = gtk_list_box_row_new ();
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (details_row), FALSE);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (details_row),
                              review_details (data->item, &data->given, &data->best));
  adw_expander_row_add_row (row, details_row);
}

/* libadwaita 1.2's expander rows cannot wrap their title: keep it to the
 * first line of the stem, shortened; the full stem is inside. */
static char *
review_title (guint number, const char *stem)
{
  g_autofree char *plain = rs_text_strip_code (stem);
  g_autofree char *first = g_strndup (plain, strcspn (plain, "\n"));
  glong length = g_utf8_strlen (first, -1);

  if (length > 90)
    {
      g_autofree char *cut = g_utf8_substring (first, 0, 88);
      return g_strdup_printf ("%u. %s…", number, g_strchomp (cut));
    }
  return g_strdup_printf ("%u. %s", number, first);
}

static void
add_review_row (RsResultsPage *self, const RsAttempt *attempt, guint i)
{
  const RsBank *bank = rs_page_get_bank (RS_PAGE (self));
  const RsResponse *response = &g_array_index (attempt->responses, RsResponse, i);
  const RsItem *item = bank != NULL ? rs_bank_lookup (bank, response->item_id) : NULL;
  RsAnswer given = { 0 }, best = { 0 };
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *given_text = NULL;
  g_autofree char *best_text = NULL;
  g_autofree char *stem = NULL;
  GtkWidget *row, *icon;
  ReviewData *data;
  const char *icon_name, *verdict, *css_class;

  if (item == NULL)
    {
      /* The bank changed since: say so rather than skip silently. */
      g_autofree char *missing = g_strdup_printf (_("%u. Question %s is no longer in the bank"), i + 1, response->item_id);
      add_row (self, self->review_group, action_row (missing, NULL));
      return;
    }
  if (!rs_answer_parse (item, response->answer, &given, NULL))
    memset (&given, 0, sizeof given);
  rs_item_best_answer (item, &best);
  given_text = describe_answer (item, &given);
  best_text = describe_answer (item, &best);

  if (response->score >= response->max_score)
    {
      icon_name = "object-select-symbolic";
      verdict = _("Right");
      css_class = "success";
    }
  else if (response->score > 0)
    {
      icon_name = "dialog-warning-symbolic";
      verdict = _("Partly right");
      css_class = "warning";
    }
  else
    {
      icon_name = "window-close-symbolic";
      verdict = _("Wrong");
      css_class = "error";
    }

  stem = rs_text_reflow (item->stem);
  title = review_title (i + 1, stem);
  {
    g_autofree char *subtopic = item->subtopic != NULL ? rs_bank_subtopic_title (bank, item->skill, item->subtopic) : NULL;
    g_autofree char *points = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d of %d point", "%d of %d points", (gulong) response->max_score),
                                               response->score, response->max_score);

    /* Translators: verdict · your answer · right answer · points · skill and subtopic. */
    subtitle = g_strdup_printf (_("%s · your answer %s · right answer %s · %s · %s%s%s"), verdict,
                                given_text, best_text, points, rs_skill_title (item->skill),
                                subtopic != NULL ? ": " : "", subtopic != NULL ? subtopic : "");
  }
  row = adw_expander_row_new ();
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), subtitle);
  /* libadwaita 1.2's expander row has no name of its own. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  icon = gtk_image_new_from_icon_name (icon_name);
  gtk_widget_add_css_class (icon, css_class);
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, verdict, -1);
  adw_expander_row_add_prefix (ADW_EXPANDER_ROW (row), icon);

  /* The details are built when the row is first opened: thirty rows of
   * wrapped text, measured up front, made the page take seconds to appear. */
  data = g_new0 (ReviewData, 1);
  data->item = item;
  data->given = given;
  data->best = best;
  g_object_set_data_full (G_OBJECT (row), "rs-review", data, g_free);
  g_signal_connect (row, "notify::expanded", G_CALLBACK (on_review_expanded), NULL);
  add_row (self, self->review_group, row);
}

/* The review comes in batches after the page is on screen: a precise
 * assessment has a hundred questions, and building and measuring all their
 * rows before the first frame kept the results from appearing for most of
 * a second. The top of the page (chart, levels, role) is what shows first. */
#define REVIEW_BATCH 8

static gboolean
review_idle (gpointer user_data)
{
  RsResultsPage *self = RS_RESULTS_PAGE (user_data);

  for (int k = 0; k < REVIEW_BATCH && self->review_next < self->attempt->responses->len; k++)
    add_review_row (self, self->attempt, self->review_next++);
  if (self->review_next < self->attempt->responses->len)
    return G_SOURCE_CONTINUE;
  self->review_idle_id = 0;
  return G_SOURCE_REMOVE;
}

static void
show_review (RsResultsPage *self)
{
  guint n = self->attempt->responses != NULL ? self->attempt->responses->len : 0;

  self->n_reviewed = n;
  self->review_next = 0;
  gtk_widget_set_visible (GTK_WIDGET (self->review_group), n > 0);
  if (n > 0)
    self->review_idle_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, review_idle, self, NULL);
}

/* Adds whatever of the review is still to come, at once. */
static void
flush_review (RsResultsPage *self)
{
  if (self->review_idle_id == 0)
    return;
  g_clear_handle_id (&self->review_idle_id, g_source_remove);
  while (self->attempt != NULL && self->review_next < self->attempt->responses->len)
    add_review_row (self, self->attempt, self->review_next++);
}

gboolean
rs_results_page_show_attempt (RsResultsPage *self, const char *uuid, GError **error)
{
  g_autoptr (RsAttempt) attempt = NULL;
  RsStore *store;

  g_return_val_if_fail (RS_IS_RESULTS_PAGE (self), FALSE);
  g_return_val_if_fail (uuid != NULL, FALSE);

  store = rs_page_get_store (RS_PAGE (self));
  if (store == NULL)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_FAILED, "no database is open");
      return FALSE;
    }
  attempt = rs_store_load_attempt (store, uuid, error);
  if (attempt == NULL)
    return FALSE;

  clear (self);
  g_free (self->uuid);
  self->uuid = g_strdup (uuid);
  g_clear_pointer (&self->attempt, rs_attempt_free);
  self->attempt = g_steal_pointer (&attempt);

  {
    const RsAttempt *shown = self->attempt;
    gint64 at = shown->finished_at != 0 ? shown->finished_at : shown->started_at;
    g_autoptr (GDateTime) when = g_date_time_new_from_unix_local (at / G_USEC_PER_SEC);
    /* %-d: the day without padding. %e pads with a figure space (U+2007),
     * which g_strstrip does not remove: the line started indented. */
    /* Translators: a date and time in g_date_time_format's notation. */
    g_autofree char *date = g_date_time_format (when, _("%-d %B %Y, %H:%M"));
    guint n_questions = shown->responses != NULL ? shown->responses->len : 0;
    g_autofree char *questions = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u question", "%u questions", n_questions), n_questions);
    g_autofree char *subtitle = NULL;

    /* Translators: date · mode · number of questions, and for a guest a note. */
    const char *note = shown->person_id == 0 ? _(" · Guest: kept anonymous, linked to no one")
                       : shown->practice && shown->shared_at == 0 ? _(" · Practice: only you see it")
                       : shown->shared_at != 0 ? _(" · Practice, shared with your manager")
                       : "";

    /* Translators: date · mode · number of questions, then a note (guest, practice). */
    subtitle = g_strdup_printf (_("%s · %s mode · %s%s"), date, rs_mode_title (shown->mode), questions, note);
    gtk_widget_set_visible (self->share_button, shown->person_id != 0 && shown->practice && shown->shared_at == 0
                                                  && rs_page_get_person (RS_PAGE (self)) != NULL);
    gtk_label_set_text (self->subtitle_label, subtitle);
  }

  show_skills (self, self->attempt);
  show_role (self, self->attempt);
  show_topics (self, self->attempt);
  show_learning (self, self->attempt);
  show_review (self);

  gtk_widget_set_visible (self->history_button, rs_page_get_person (RS_PAGE (self)) != NULL);
  /* Done ends the session: the button says so. */
  gtk_button_set_label (GTK_BUTTON (self->done_button), rs_page_get_person (RS_PAGE (self)) != NULL
                                                          ? _("_Done, Sign Out") : _("_Done, Leave"));
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scroller), 0);
  return TRUE;
}

void
rs_results_page_scroll_to (RsResultsPage *self, const char *section)
{
  GtkWidget *target;
  GtkWidget *content;
  graphene_point_t point = GRAPHENE_POINT_INIT (0, 0);
  graphene_point_t out;

  g_return_if_fail (RS_IS_RESULTS_PAGE (self));
  flush_review (self);
  if (g_strcmp0 (section, "role") == 0)
    target = GTK_WIDGET (self->role_group);
  else if (g_strcmp0 (section, "topics") == 0)
    target = GTK_WIDGET (self->topics_group);
  else if (g_strcmp0 (section, "learning") == 0)
    target = GTK_WIDGET (self->learning_group);
  else if (g_strcmp0 (section, "review") == 0)
    target = GTK_WIDGET (self->review_group);
  else
    target = GTK_WIDGET (self->skills_group);

  /* Positions are known only after a layout: the caller lets one happen. */
  /* Measure inside the scrolled content, which does not move. */
  content = gtk_scrolled_window_get_child (self->scroller);
  if (GTK_IS_VIEWPORT (content))
    content = gtk_viewport_get_child (GTK_VIEWPORT (content));
  if (content != NULL && gtk_widget_compute_point (target, content, &point, &out))
    gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scroller), MAX (0, out.y - 12));
}

const char *
rs_results_page_get_level_text (RsResultsPage *self, RsSkill skill)
{
  g_return_val_if_fail (RS_IS_RESULTS_PAGE (self), NULL);
  g_return_val_if_fail (skill >= 0 && skill < RS_N_SKILLS, NULL);
  return self->level_text[skill];
}

const char *
rs_results_page_get_uuid (RsResultsPage *self)
{
  g_return_val_if_fail (RS_IS_RESULTS_PAGE (self), NULL);
  return self->uuid;
}

const char *
rs_results_page_get_role_name (RsResultsPage *self)
{
  g_return_val_if_fail (RS_IS_RESULTS_PAGE (self), NULL);
  return self->role_name;
}

guint
rs_results_page_get_n_learning (RsResultsPage *self)
{
  g_return_val_if_fail (RS_IS_RESULTS_PAGE (self), 0);
  return self->n_learning;
}

guint
rs_results_page_get_n_reviewed (RsResultsPage *self)
{
  g_return_val_if_fail (RS_IS_RESULTS_PAGE (self), 0);
  return self->n_reviewed;
}

/* The person shares their practice result: from now on it is an ordinary
 * one (rs_privacy_share_practice checks that it is theirs). */
static void
share_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  RsResultsPage *self = RS_RESULTS_PAGE (widget);
  const RsPerson *person = rs_page_get_person (RS_PAGE (self));
  RsStore *store = rs_page_get_store (RS_PAGE (self));
  g_autoptr (GError) error = NULL;
  g_autofree char *uuid = g_strdup (self->uuid);

  if (person == NULL || store == NULL || uuid == NULL)
    return;
  if (!rs_privacy_share_practice (store, person, uuid, &error)
      || !rs_results_page_show_attempt (self, uuid, &error))
    {
      rs_page_error (RS_PAGE (self), _("The result could not be shared"), error->message);
      return;
    }
  rs_page_toast (RS_PAGE (self), _("Shared: your manager and team reports can see this result now."));
}

static void
rs_results_page_dispose (GObject *object)
{
  RsResultsPage *self = RS_RESULTS_PAGE (object);

  g_clear_handle_id (&self->review_idle_id, g_source_remove);
  g_clear_pointer (&self->attempt, rs_attempt_free);
  g_clear_pointer (&self->learning, rs_learning_catalog_free);
  G_OBJECT_CLASS (rs_results_page_parent_class)->dispose (object);
}

static void
rs_results_page_finalize (GObject *object)
{
  RsResultsPage *self = RS_RESULTS_PAGE (object);

  for (int s = 0; s < RS_N_SKILLS; s++)
    g_free (self->level_text[s]);
  g_free (self->role_name);
  g_free (self->uuid);
  g_ptr_array_unref (self->rows);
  G_OBJECT_CLASS (rs_results_page_parent_class)->finalize (object);
}

static void
rs_results_page_class_init (RsResultsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rs_results_page_dispose;
  object_class->finalize = rs_results_page_finalize;

  g_type_ensure (RS_TYPE_SCORE_CHART);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/reskill/Reskill/ui/rs-results-page.ui");
  gtk_widget_class_bind_template_child (widget_class, RsResultsPage, scroller);
  gtk_widget_class_bind_template_child (widget_class, RsResultsPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, RsResultsPage, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, RsResultsPage, chart);
  gtk_widget_class_bind_template_child (widget_class, RsResultsPage, skills_group);
  gtk_widget_class_bind_template_child (widget_class, RsResultsPage, role_group);
  gtk_widget_class_bind_template_child (widget_class, RsResultsPage, topics_group);
  gtk_widget_class_bind_template_child (widget_class, RsResultsPage, learning_group);
  gtk_widget_class_bind_template_child (widget_class, RsResultsPage, review_group);
  gtk_widget_class_bind_template_child (widget_class, RsResultsPage, done_button);
  gtk_widget_class_bind_template_child (widget_class, RsResultsPage, share_button);
  gtk_widget_class_install_action (widget_class, "results.share", NULL, share_action);
  gtk_widget_class_bind_template_child (widget_class, RsResultsPage, history_button);
}

static void
rs_results_page_init (RsResultsPage *self)
{
  self->rows = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
rs_results_page_new (void)
{
  return g_object_new (RS_TYPE_RESULTS_PAGE, NULL);
}
