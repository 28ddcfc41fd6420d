/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Answer to next question is the path that must feel instant (≤ 16 ms at the
 * median, including the durable commit), so showing a question only swaps
 * texts and rebuilds a handful of option buttons; nothing is loaded here.
 *
 * Keyboard: 1–9 pick an option (class bindings, so a focused number entry
 * keeps its digits), Enter submits from anywhere on the page (a capture-phase
 * shortcut, so Enter on a focused option submits instead of toggling it
 * off), Space toggles the focused option, Tab walks the options. */
#include "rs-quiz-page.h"

#include <glib/gi18n-lib.h>
#include <gtksourceview/gtksource.h>

#include "rs-error.h"
#include "rs-text.h"

struct _RsQuizPage
{
  RsPage parent_instance;

  const RsItem *item;          /* owned by the bank */
  gint64 shown_at;             /* monotonic µs when the item appeared */
  /* Made once and reused: a new question only changes their texts, which
   * keeps the answer-to-next-question frame cheap. */
  GtkWidget *options[RS_ITEM_MAX_OPTIONS];
  GtkLabel *option_labels[RS_ITEM_MAX_OPTIONS];
  int n_options;
  gboolean resetting;
  GtkWidget *chips[RS_N_SKILLS];
  RsSkill chip_skills[RS_N_SKILLS];
  int n_chips;
  gulong dark_handler;
  /* The "about M" said for the current skill, kept while the core's
   * estimate stays near it (see stable_total). */
  RsSkill total_skill;
  int shown_total;

  GtkFlowBox *chips_box;
  GtkProgressBar *progress_bar;
  GtkLabel *progress_label;
  GtkScrolledWindow *scroller;
  GtkLabel *topic_label;
  GtkLabel *stem_label;
  GtkWidget *code_frame;
  GtkSourceView *code_view;
  GtkLabel *hint_label;
  GtkLabel *keys_label;
  GtkBox *options_box;
  GtkWidget *numeric_box;
  GtkEntry *numeric_entry;
  GtkLabel *unit_label;
  GtkLabel *error_label;
  GtkWidget *pause_button;
  GtkWidget *submit_button;
};

G_DEFINE_FINAL_TYPE (RsQuizPage, rs_quiz_page, RS_TYPE_PAGE)

enum {
  SIGNAL_FINISHED,
  SIGNAL_PAUSED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
show_error (RsQuizPage *self, const char *message)
{
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static RsAssessment *
quiz_assessment (RsQuizPage *self)
{
  RsContext *context = rs_page_get_context (RS_PAGE (self));

  return context != NULL ? rs_context_get_assessment (context) : NULL;
}

/* Reads the answer from the widgets; FALSE when nothing usable is given. */
static gboolean
read_answer (RsQuizPage *self, RsAnswer *answer, GError **error)
{
  memset (answer, 0, sizeof *answer);
  if (self->item == NULL)
    return FALSE;

  if (self->item->type == RS_ITEM_NUMERIC)
    {
      g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->numeric_entry))));

      if (*text == '\0')
        return FALSE;
      /* People type a decimal comma as often as a point. */
      g_strdelimit (text, ",", '.');
      return rs_answer_parse (self->item, text, answer, error);
    }

  for (int i = 0; i < self->n_options; i++)
    if (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->options[i])))
      answer->chosen |= 1u << i;
  return answer->chosen != 0;
}

static void
update_submit (RsQuizPage *self)
{
  RsAnswer answer;
  gboolean ok = read_answer (self, &answer, NULL);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "quiz.submit", ok);
}

static void
on_option_toggled (RsQuizPage *self)
{
  if (self->resetting)
    return;
  show_error (self, NULL);
  update_submit (self);
}

static void
on_numeric_changed (RsQuizPage *self)
{
  show_error (self, NULL);
  update_submit (self);
}

static void
update_progress (RsQuizPage *self, RsAssessment *assessment)
{
  const RsCat *cat = rs_assessment_cat (assessment);
  RsSkill current = rs_cat_current_skill (cat);
  int n_skills = rs_cat_n_skills (cat);
  const RsCatSkillState *state = rs_cat_state_for_skill (cat, current);
  GtkWidget *child;
  int position = 0;

  /* The chips are made once per set of skills, then only relabelled. */
  {
    gboolean same = self->n_chips == n_skills;

    for (int i = 0; same && i < n_skills; i++)
      same = self->chip_skills[i] == rs_cat_skill_state (cat, i)->skill;
    if (!same)
      {
        while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->chips_box))) != NULL)
          gtk_flow_box_remove (self->chips_box, child);
        for (int i = 0; i < n_skills && i < RS_N_SKILLS; i++)
          {
            self->chips[i] = gtk_label_new (NULL);
            gtk_widget_add_css_class (self->chips[i], "skill-chip");
            gtk_flow_box_append (self->chips_box, self->chips[i]);
            /* The cell reads as its chip, not as "GtkFlowBoxChild". */
            gtk_accessible_update_relation (GTK_ACCESSIBLE (gtk_widget_get_parent (self->chips[i])),
                                            GTK_ACCESSIBLE_RELATION_LABELLED_BY, self->chips[i], NULL, -1);
            self->chip_skills[i] = rs_cat_skill_state (cat, i)->skill;
          }
        self->n_chips = MIN (n_skills, RS_N_SKILLS);
      }
  }

  for (int i = 0; i < self->n_chips; i++)
    {
      const RsCatSkillState *s = rs_cat_skill_state (cat, i);
      const char *classes[] = { "skill-chip", s->done ? "done" : s->skill == current ? "current" : "pending", NULL };
      g_autofree char *text = NULL;

      /* The chip says in words what its mark means: a bare "✓ Python · 10"
       * left people guessing what the 10 was. */
      if (s->done)
        /* Translators: a skill whose questions are over, and how many it had. */
        text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "✓ %s: done, %d question", "✓ %s: done, %d questions",
                                             (gulong) s->n_items),
                                rs_skill_title (s->skill), s->n_items);
      else if (s->skill == current)
        {
          /* Translators: the skill whose questions are being asked now. */
          text = g_strdup_printf (_("● %s: now"), rs_skill_title (s->skill));
          position = i + 1;
        }
      else
        /* Translators: a skill still to come. */
        text = g_strdup_printf (_("%s: next"), rs_skill_title (s->skill));
      if (g_strcmp0 (gtk_label_get_text (GTK_LABEL (self->chips[i])), text) != 0)
        gtk_label_set_text (GTK_LABEL (self->chips[i]), text);
      gtk_widget_set_css_classes (self->chips[i], classes);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->chips_box), n_skills > 1);

  if (state != NULL)
    {
      /* Adaptive tests have no fixed length: say "about", and let the bar
       * move by the core's own prediction rather than pretend a total. */
      int answered = state->n_items;
      int remaining = MAX (1, rs_cat_estimate_remaining (cat));
      int total = rs_quiz_stable_total (&self->shown_total, self->total_skill != current, answered + 1,
                                        answered + remaining);
      g_autofree char *text = NULL;

      self->total_skill = current;
      if (n_skills > 1)
        /* Translators: "Python (skill 1 of 4): question 3 of about 12." */
        text = g_strdup_printf (_("%s (skill %d of %d): question %d of about %d. The test stops early once it is sure enough."),
                                rs_skill_title (current), position, n_skills, answered + 1, total);
      else
        text = g_strdup_printf (_("%s: question %d of about %d. The test stops early once it is sure enough."),
                                rs_skill_title (current), answered + 1, total);
      gtk_label_set_text (self->progress_label, text);
      gtk_progress_bar_set_fraction (self->progress_bar, (double) answered / total);
    }
}

int
rs_quiz_stable_total (int *shown, gboolean new_skill, int question, int estimate)
{
  /* The core re-estimates the length after every answer, and "of about 9"
   * then "of about 10" then "of about 9" read as a counter that cannot make
   * up its mind. The number said is kept until the estimate moves away
   * from it by more than a quarter (at least 3 questions), or the count
   * reaches it: then it is said again from the new estimate. */
  int margin;

  estimate = MAX (estimate, question);
  if (new_skill || *shown <= 0)
    {
      *shown = estimate;
      return *shown;
    }
  margin = MAX (3, *shown / 4);
  if (question > *shown || ABS (estimate - *shown) > margin)
    *shown = estimate;
  return *shown;
}

static const char *
hint_for (const RsItem *item)
{
  switch (item->type)
    {
    case RS_ITEM_MULTI:
      return _("Select all that apply, then submit.");
    case RS_ITEM_NUMERIC:
      return _("Type a number, then press Enter.");
    case RS_ITEM_SCENARIO:
      return _("Choose the response you think is best.");
    case RS_ITEM_SINGLE:
    default:
      return _("Choose one answer.");
    }
}

static void
make_options (RsQuizPage *self)
{
  for (int i = 0; i < RS_ITEM_MAX_OPTIONS; i++)
    {
      GtkWidget *button = gtk_toggle_button_new ();
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
      g_autofree char *key = g_strdup_printf ("%d", i + 1);
      g_autofree char *name = g_strdup_printf ("quiz-option-%d", i + 1);
      GtkWidget *key_label = gtk_label_new (key);
      GtkWidget *text_label = gtk_label_new (NULL);

      gtk_widget_add_css_class (key_label, "option-key");
      gtk_widget_set_valign (key_label, GTK_ALIGN_CENTER);
      gtk_label_set_wrap (GTK_LABEL (text_label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (text_label), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_xalign (GTK_LABEL (text_label), 0);
      gtk_widget_set_hexpand (text_label, TRUE);
      gtk_box_append (GTK_BOX (box), key_label);
      gtk_box_append (GTK_BOX (box), text_label);

      gtk_widget_set_name (button, name);
      gtk_button_set_child (GTK_BUTTON (button), box);
      gtk_widget_add_css_class (button, "option");
      gtk_widget_set_visible (button, FALSE);
      g_signal_connect_swapped (button, "toggled", G_CALLBACK (on_option_toggled), self);
      gtk_box_append (self->options_box, button);
      self->options[i] = button;
      self->option_labels[i] = GTK_LABEL (text_label);
    }
}

/* Empties the options: none active, none grouped, none shown. */
static void
clear_options (RsQuizPage *self)
{
  self->resetting = TRUE;
  for (int i = 0; i < RS_ITEM_MAX_OPTIONS; i++)
    gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (self->options[i]), NULL);
  for (int i = 0; i < RS_ITEM_MAX_OPTIONS; i++)
    {
      gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->options[i]), FALSE);
      gtk_widget_set_visible (self->options[i], FALSE);
    }
  self->n_options = 0;
  self->resetting = FALSE;
}

static void
set_options (RsQuizPage *self, const RsItem *item)
{
  int n = MIN (item->n_options, RS_ITEM_MAX_OPTIONS);

  for (int i = 0; i < n; i++)
    {
      g_autofree char *plain = rs_text_strip_code (item->options[i].text);
      g_autofree char *markup = rs_text_markup_code (item->options[i].text);
      /* Translators: the accessible name of an answer button. */
      g_autofree char *accessible = g_strdup_printf (_("Option %d: %s"), i + 1, plain);
      GtkWidget *button = self->options[i];

      gtk_label_set_markup (self->option_labels[i], markup);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
      if (item->type == RS_ITEM_MULTI)
        gtk_widget_add_css_class (button, "multi");
      else
        gtk_widget_remove_css_class (button, "multi");
      /* One answer: the buttons act as radio buttons. */
      if (item->type != RS_ITEM_MULTI && i > 0)
        gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (button), GTK_TOGGLE_BUTTON (self->options[0]));
      gtk_widget_set_visible (button, TRUE);
    }
  self->n_options = n;
}

/* GtkTextView learns its height only when an idle pass has laid out the
 * lines, one or more frames after the text is set: the first question
 * would show a collapsed code box that then jumps open. Code is never
 * wrapped, so its height is known now: one monospace line per line. */
static void
size_code_view (RsQuizPage *self, const char *code)
{
  GtkWidget *view = GTK_WIDGET (self->code_view);
  /* The view has the monospace style: its own layout has the code's font.
   * The text view lays out each line on its own, in whole pixels, so the
   * height is lines × one line's height (a layout of the whole text would
   * round once and come out short). */
  g_autoptr (PangoLayout) layout = gtk_widget_create_pango_layout (view, "Mg");
  int n_lines = 1;
  int width, line_height;

  for (const char *p = code; *p != '\0'; p++)
    n_lines += *p == '\n';
  pango_layout_get_pixel_size (layout, &width, &line_height);
  /* On the view itself: with no vertical scrolling the scrolled window takes
   * its child's minimum and ignores min-content-height. */
  gtk_widget_set_size_request (view, -1,
                               n_lines * line_height
                               + gtk_text_view_get_top_margin (GTK_TEXT_VIEW (view))
                               + gtk_text_view_get_bottom_margin (GTK_TEXT_VIEW (view)));
}

static void
show_item (RsQuizPage *self, const RsItem *item)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->code_view));
  gboolean numeric = item->type == RS_ITEM_NUMERIC;
  g_autofree char *topic = NULL;

  self->item = item;
  clear_options (self);
  show_error (self, NULL);

  /* The subtopic by its title in the bank ("NumPy and pandas"), never its
   * id ("numpy-pandas"). */
  if (item->subtopic != NULL && rs_page_get_bank (RS_PAGE (self)) != NULL)
    {
      g_autofree char *title = rs_bank_subtopic_title (rs_page_get_bank (RS_PAGE (self)), item->skill, item->subtopic);
      topic = g_strdup_printf ("%s · %s", rs_skill_title (item->skill), title);
    }
  else
    topic = g_strdup (rs_skill_title (item->skill));
  gtk_label_set_text (self->topic_label, topic);
  {
    g_autofree char *stem = rs_text_reflow (item->stem);
    g_autofree char *markup = rs_text_markup_code (stem);
    gtk_label_set_markup (self->stem_label, markup);
  }
  gtk_label_set_text (self->hint_label, hint_for (item));
  /* The number keys choose options only; a typed-number question has none. */
  gtk_label_set_text (self->keys_label, numeric ? _("Enter submits") : _("Keys 1–9 choose, Enter submits"));

  if (item->code != NULL && *item->code != '\0')
    {
      g_autofree char *code = g_strdup (item->code);

      g_strchomp (code);
      gtk_text_buffer_set_text (buffer, code, -1);
      gtk_widget_set_visible (self->code_frame, TRUE);
      size_code_view (self, code);
    }
  else
    {
      gtk_text_buffer_set_text (buffer, "", 0);
      gtk_widget_set_visible (self->code_frame, FALSE);
    }

  gtk_widget_set_visible (self->numeric_box, numeric);
  gtk_widget_set_visible (GTK_WIDGET (self->options_box), !numeric);
  gtk_editable_set_text (GTK_EDITABLE (self->numeric_entry), "");
  gtk_label_set_text (self->unit_label, item->unit != NULL ? item->unit : "");
  gtk_widget_set_visible (GTK_WIDGET (self->unit_label), item->unit != NULL);

  if (!numeric)
    set_options (self, item);

  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scroller), 0);
  update_submit (self);

  /* Keep the keyboard where the next answer goes. */
  if (numeric)
    gtk_widget_grab_focus (GTK_WIDGET (self->numeric_entry));
  else if (self->n_options > 0)
    gtk_widget_grab_focus (self->options[0]);

  self->shown_at = g_get_monotonic_time ();
}

void
rs_quiz_page_refresh (RsQuizPage *self)
{
  RsAssessment *assessment;
  const RsItem *item;

  g_return_if_fail (RS_IS_QUIZ_PAGE (self));
  assessment = quiz_assessment (self);
  if (assessment == NULL)
    {
      self->item = NULL;
      clear_options (self);
      return;
    }
  item = rs_assessment_current_item (assessment);
  if (item == NULL)
    {
      self->item = NULL;
      clear_options (self);
      return;
    }
  update_progress (self, assessment);
  show_item (self, item);
}

static void
pick_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  RsQuizPage *self = RS_QUIZ_PAGE (widget);
  int index = g_variant_get_int32 (parameter) - 1;
  GtkToggleButton *button;

  if (self->item == NULL || index < 0 || index >= self->n_options)
    return;
  button = GTK_TOGGLE_BUTTON (self->options[index]);
  if (self->item->type == RS_ITEM_MULTI)
    gtk_toggle_button_set_active (button, !gtk_toggle_button_get_active (button));
  else
    gtk_toggle_button_set_active (button, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (button));
}

/* Writes the results once every answer is in; on failure the page stays and
 * Submit tries again (the answers are stored already). */
static void
finish (RsQuizPage *self, RsAssessment *assessment)
{
  g_autoptr (GError) error = NULL;

  if (!rs_assessment_finish (assessment, &error))
    {
      g_autofree char *message = g_strdup_printf (_("Your answers are saved, but the results could not be written: %s. Check that the disk is not full and the database is writable, then press Submit again."),
                                                  error->message);
      show_error (self, message);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "quiz.submit", TRUE);
      return;
    }
  clear_options (self);
  g_signal_emit (self, signals[SIGNAL_FINISHED], 0);
}

static void
submit_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  RsQuizPage *self = RS_QUIZ_PAGE (widget);
  RsAssessment *assessment = quiz_assessment (self);
  g_autoptr (GError) error = NULL;
  RsAnswer answer;
  int time_ms;

  if (assessment == NULL)
    return;
  if (self->item == NULL)
    {
      if (rs_assessment_is_finished (assessment))
        finish (self, assessment);
      return;
    }
  if (!read_answer (self, &answer, &error))
    {
      if (error != NULL)
        {
          g_autofree char *message = g_strdup_printf ("%s. Type a number such as 0.25.", error->message);
          show_error (self, message);
        }
      return;
    }

  time_ms = (int) MIN ((g_get_monotonic_time () - self->shown_at) / 1000, G_MAXINT);
  if (!rs_assessment_submit (assessment, &answer, time_ms, NULL, &error))
    {
      /* The core changed nothing: the answer is still selected and the same
       * press of Submit will try again. */
      g_autofree char *message = g_strdup_printf (_("Your answer was not saved: %s. Your earlier answers are safe. Check that the disk is not full and the database is writable, then press Submit again."),
                                                  error->message);
      show_error (self, message);
      return;
    }

  if (rs_assessment_current_item (assessment) != NULL)
    {
      update_progress (self, assessment);
      show_item (self, rs_assessment_current_item (assessment));
      return;
    }

  self->item = NULL;
  finish (self, assessment);
}

static void
pause_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  g_signal_emit (widget, signals[SIGNAL_PAUSED], 0);
}

/* Enter submits from anywhere on the page, except on the Pause button,
 * which Enter should press. */
static gboolean
on_enter (GtkWidget *widget, GVariant *args, gpointer user_data)
{
  RsQuizPage *self = RS_QUIZ_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  if (focus != NULL && (focus == self->pause_button || gtk_widget_is_ancestor (focus, self->pause_button)))
    return FALSE;
  gtk_widget_activate_action (widget, "quiz.submit", NULL);
  return TRUE;
}

static void
update_scheme (RsQuizPage *self)
{
  AdwStyleManager *manager = adw_style_manager_get_default ();
  GtkSourceStyleSchemeManager *schemes = gtk_source_style_scheme_manager_get_default ();
  GtkSourceStyleScheme *scheme =
    gtk_source_style_scheme_manager_get_scheme (schemes, adw_style_manager_get_dark (manager) ? "Adwaita-dark" : "Adwaita");
  GtkSourceBuffer *buffer = GTK_SOURCE_BUFFER (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->code_view)));

  if (scheme != NULL)
    gtk_source_buffer_set_style_scheme (buffer, scheme);
}

static void
rs_quiz_page_dispose (GObject *object)
{
  RsQuizPage *self = RS_QUIZ_PAGE (object);

  g_clear_signal_handler (&self->dark_handler, adw_style_manager_get_default ());
  self->item = NULL;
  G_OBJECT_CLASS (rs_quiz_page_parent_class)->dispose (object);
}

static void
rs_quiz_page_class_init (RsQuizPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rs_quiz_page_dispose;

  /* RsQuizPage::finished: the last answer and the results are stored. */
  signals[SIGNAL_FINISHED] =
    g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* RsQuizPage::paused: the person stopped; the attempt stays resumable. */
  signals[SIGNAL_PAUSED] =
    g_signal_new ("paused", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_install_action (widget_class, "quiz.pick", "i", pick_action);
  gtk_widget_class_install_action (widget_class, "quiz.submit", NULL, submit_action);
  gtk_widget_class_install_action (widget_class, "quiz.pause", NULL, pause_action);

  for (int i = 1; i <= 9; i++)
    {
      gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0 + i, 0, "quiz.pick", "i", i);
      gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_0 + i, 0, "quiz.pick", "i", i);
    }

  g_type_ensure (GTK_SOURCE_TYPE_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/reskill/Reskill/ui/rs-quiz-page.ui");
  gtk_widget_class_bind_template_child (widget_class, RsQuizPage, chips_box);
  gtk_widget_class_bind_template_child (widget_class, RsQuizPage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, RsQuizPage, progress_label);
  gtk_widget_class_bind_template_child (widget_class, RsQuizPage, scroller);
  gtk_widget_class_bind_template_child (widget_class, RsQuizPage, topic_label);
  gtk_widget_class_bind_template_child (widget_class, RsQuizPage, stem_label);
  gtk_widget_class_bind_template_child (widget_class, RsQuizPage, code_frame);
  gtk_widget_class_bind_template_child (widget_class, RsQuizPage, code_view);
  gtk_widget_class_bind_template_child (widget_class, RsQuizPage, hint_label);
  gtk_widget_class_bind_template_child (widget_class, RsQuizPage, keys_label);
  gtk_widget_class_bind_template_child (widget_class, RsQuizPage, options_box);
  gtk_widget_class_bind_template_child (widget_class, RsQuizPage, numeric_box);
  gtk_widget_class_bind_template_child (widget_class, RsQuizPage, numeric_entry);
  gtk_widget_class_bind_template_child (widget_class, RsQuizPage, unit_label);
  gtk_widget_class_bind_template_child (widget_class, RsQuizPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, RsQuizPage, pause_button);
  gtk_widget_class_bind_template_child (widget_class, RsQuizPage, submit_button);
  gtk_widget_class_bind_template_callback (widget_class, on_numeric_changed);
}

static void
rs_quiz_page_init (RsQuizPage *self)
{
  GtkSourceLanguageManager *languages = gtk_source_language_manager_get_default ();
  GtkSourceBuffer *buffer;
  GtkEventController *shortcuts;
  const guint enter_keys[] = { GDK_KEY_Return, GDK_KEY_KP_Enter, GDK_KEY_ISO_Enter };

  gtk_widget_init_template (GTK_WIDGET (self));
  make_options (self);

  buffer = GTK_SOURCE_BUFFER (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->code_view)));
  gtk_source_buffer_set_language (buffer, gtk_source_language_manager_get_language (languages, "python3"));
  gtk_source_buffer_set_highlight_matching_brackets (buffer, FALSE);
  self->dark_handler = g_signal_connect_swapped (adw_style_manager_get_default (), "notify::dark",
                                                 G_CALLBACK (update_scheme), self);
  update_scheme (self);

  shortcuts = gtk_shortcut_controller_new ();
  gtk_event_controller_set_propagation_phase (shortcuts, GTK_PHASE_CAPTURE);
  for (guint i = 0; i < G_N_ELEMENTS (enter_keys); i++)
    gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                          gtk_shortcut_new (gtk_keyval_trigger_new (enter_keys[i], 0),
                                                            gtk_callback_action_new (on_enter, NULL, NULL)));
  gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "quiz.submit", FALSE);
}

GtkWidget *
rs_quiz_page_new (void)
{
  return g_object_new (RS_TYPE_QUIZ_PAGE, NULL);
}

const RsItem *
rs_quiz_page_get_item (RsQuizPage *self)
{
  g_return_val_if_fail (RS_IS_QUIZ_PAGE (self), NULL);
  return self->item;
}

void
rs_quiz_page_fill_answer (RsQuizPage *self, const RsAnswer *answer)
{
  g_return_if_fail (RS_IS_QUIZ_PAGE (self));
  g_return_if_fail (answer != NULL);
  if (self->item == NULL)
    return;
  if (self->item->type == RS_ITEM_NUMERIC)
    {
      char buffer[G_ASCII_DTOSTR_BUF_SIZE];

      gtk_editable_set_text (GTK_EDITABLE (self->numeric_entry),
                             answer->has_number ? g_ascii_dtostr (buffer, sizeof buffer, answer->number) : "");
      return;
    }
  for (int i = 0; i < self->n_options; i++)
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->options[i]), (answer->chosen & (1u << i)) != 0);
}
