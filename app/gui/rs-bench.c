/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One sample = from just before Submit is activated (the person's click)
 * to the end of the paint that shows the next question. That covers
 * scoring, the EAP update, item selection, the durable SQLite commit,
 * rebuilding the page and rendering. Between picking an option and
 * submitting, the loop idles for THINK_MS, as a person would, so the frame
 * clock is idle when the answer comes and the sample is not a back-to-back
 * frame throttled to the refresh rate. The attempt runs on a throw-away copy of the
 * demo database, in the same kind of file (WAL, synchronous=FULL) as real use. */
#include "rs-bench.h"

#include <stdio.h>
#include <string.h>

#include "rs-choose-page.h"
#include "rs-context.h"
#include "rs-error.h"
#include "rs-frame.h"
#include "rs-quiz-page.h"
#include "rs-screenshot.h"
#include "rs-window.h"

/* When each frame phase first ran after a mark: where the time goes. */
typedef struct {
  gint64 mark;
  gint64 at[4];
} Phases;

static const char *phase_names[] = { "frame start", "layout done", "paint start", "paint done" };

static void
record_phase (Phases *phases, int index)
{
  if (phases->mark != 0 && phases->at[index] == 0)
    phases->at[index] = g_get_monotonic_time ();
}

static void
on_before_paint (GdkFrameClock *clock, Phases *phases)
{
  record_phase (phases, 0);
}

static void
on_layout (GdkFrameClock *clock, Phases *phases)
{
  record_phase (phases, 1);
}

static void
on_paint (GdkFrameClock *clock, Phases *phases)
{
  record_phase (phases, 2);
}

static void
on_after_paint (GdkFrameClock *clock, Phases *phases)
{
  record_phase (phases, 3);
}

/* Between picking an option (which repaints it) and pressing Submit a
 * person takes a quarter of a second at the very least; waiting as long
 * lets that repaint finish, so the sample is the submit alone. */
#define THINK_MS 250

static int
compare_doubles (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

static double
percentile (const GArray *sorted, double p)
{
  guint index;

  if (sorted->len == 0)
    return 0;
  index = (guint) MIN (sorted->len - 1, (guint) (p * (sorted->len - 1) + 0.5));
  return g_array_index (sorted, double, index);
}

static gboolean
start_guest_assessment (RsWindow *window)
{
  RsChoosePage *choose = RS_CHOOSE_PAGE (rs_window_get_page (window, "choose"));
  gboolean all[RS_N_SKILLS] = { TRUE, TRUE, TRUE, TRUE };

  gtk_widget_activate_action (GTK_WIDGET (window), "win.guest", NULL);
  rs_choose_page_select (choose, all, RS_MODE_PRECISE);
  gtk_widget_activate_action (GTK_WIDGET (choose), "choose.start", NULL);
  return g_strcmp0 (rs_window_get_page_name (window), "quiz") == 0;
}

int
rs_bench_gui_run (GtkApplication *app, const RsBenchOptions *options)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *tmp_dir = NULL;
  g_autofree char *db = NULL;
  g_autoptr (RsContext) context = NULL;
  g_autoptr (GArray) total = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) handler = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) to_results = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GRand) rand = g_rand_new_with_seed (11);
  GArray *phase_ms[4] = { NULL };
  Phases phases = { 0 };
  GdkFrameClock *clock;
  RsWindow *window;
  RsQuizPage *quiz;
  gint64 presented, first_frame, seed_start, seed_us;
  int status = 0;

  /* Making the demo database is the benchmark's own set-up, not start-up:
   * it is timed and taken out of the start-up figure. */
  seed_start = g_get_monotonic_time ();
  db = rs_screenshot_make_demo_db (options->questions_dir, &tmp_dir, &error);
  seed_us = g_get_monotonic_time () - seed_start;
  if (db == NULL)
    {
      g_printerr ("reskill: cannot make the benchmark database: %s\n", error->message);
      rs_screenshot_remove_dir (tmp_dir);
      return 1;
    }

  g_application_hold (G_APPLICATION (app));
  presented = g_get_monotonic_time ();
  context = rs_context_load (db, options->questions_dir, options->roles_path);
  window = rs_window_new (app, context);
  gtk_window_set_default_size (GTK_WINDOW (window), options->width, options->height);
  gtk_window_present (GTK_WINDOW (window));
  first_frame = rs_frame_wait_painted (GTK_WIDGET (window), 10000);
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  if (rs_context_get_problem_title (context) != NULL)
    {
      g_printerr ("reskill: %s: %s\n", rs_context_get_problem_title (context),
                  rs_context_get_problem_description (context));
      status = 1;
      goto out;
    }

  quiz = RS_QUIZ_PAGE (rs_window_get_page (window, "quiz"));
  if (!start_guest_assessment (window))
    {
      g_printerr ("reskill: the benchmark assessment did not start\n");
      status = 1;
      goto out;
    }
  rs_frame_wait_painted (GTK_WIDGET (window), 2000);

  /* The frame phases are connected before first (earliest) so that
   * "layout done" is when our layout handler is reached after GTK's. */
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  for (int i = 0; i < 4; i++)
    phase_ms[i] = g_array_new (FALSE, FALSE, sizeof (double));
  g_signal_connect (clock, "before-paint", G_CALLBACK (on_before_paint), &phases);
  g_signal_connect_after (clock, "layout", G_CALLBACK (on_layout), &phases);
  g_signal_connect (clock, "paint", G_CALLBACK (on_paint), &phases);
  g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), &phases);

  while ((int) total->len < options->n_questions)
    {
      const RsItem *item = rs_quiz_page_get_item (quiz);
      RsAnswer answer = { 0 };
      gint64 t0, t1, painted;
      double ms;

      if (item == NULL || g_strcmp0 (rs_window_get_page_name (window), "quiz") != 0)
        {
          /* That attempt ended: start another, unmeasured. */
          if (!start_guest_assessment (window))
            {
              g_printerr ("reskill: the benchmark assessment did not restart\n");
              status = 1;
              goto out;
            }
          rs_frame_wait_painted (GTK_WIDGET (window), 2000);
          continue;
        }

      rs_item_best_answer (item, &answer);
      if (g_rand_boolean (rand) && item->type != RS_ITEM_NUMERIC)
        answer.chosen = 1u;
      rs_quiz_page_fill_answer (quiz, &answer);
      /* A person picks, then presses Submit a moment later. */
      rs_frame_run_for (THINK_MS);

      t0 = g_get_monotonic_time ();
      memset (&phases, 0, sizeof phases);
      phases.mark = t0;
      gtk_widget_activate_action (GTK_WIDGET (quiz), "quiz.submit", NULL);
      t1 = g_get_monotonic_time ();
      /* The last answer of an attempt leads to the results page: a different
       * path (results are written and a page built), timed on its own. */
      if (g_strcmp0 (rs_window_get_page_name (window), "quiz") != 0)
        {
          painted = rs_frame_wait_next_paint (GTK_WIDGET (window), 30000, FALSE);
          ms = ((painted != 0 ? painted : g_get_monotonic_time ()) - t0) / 1000.0;
          g_array_append_val (to_results, ms);
          continue;
        }
      painted = rs_frame_wait_next_paint (GTK_WIDGET (window), 2000, FALSE);
      if (painted == 0)
        {
          g_printerr ("reskill: no frame within 2 s after answering %s\n", item->id);
          status = 1;
          goto out;
        }
      ms = (painted - t0) / 1000.0;
      g_array_append_val (total, ms);
      ms = (t1 - t0) / 1000.0;
      g_array_append_val (handler, ms);
      /* RESKILL_BENCH_VERBOSE=1 names the slow ones, to tell stalls from noise. */
      if (ms > 100 && g_getenv ("RESKILL_BENCH_VERBOSE") != NULL)
        g_printerr ("slow submit: %.1f ms at sample %u\n", ms, total->len);
      for (int i = 0; i < 4; i++)
        {
          ms = phases.at[i] != 0 ? (phases.at[i] - t0) / 1000.0 : 0;
          g_array_append_val (phase_ms[i], ms);
        }
    }
  phases.mark = 0;
  g_signal_handlers_disconnect_by_data (clock, &phases);

  g_array_sort (total, compare_doubles);
  g_array_sort (handler, compare_doubles);
  printf ("renderer: %s, window %dx%d\n", G_OBJECT_TYPE_NAME (gtk_native_get_renderer (GTK_NATIVE (window))),
          options->width, options->height);
  printf ("start-up to first frame: %.1f ms (from the application object, less %.1f ms making the demo database; of which loading the bank and opening the database, building the window and painting it: %.1f ms)\n",
          (first_frame - options->created_at - seed_us) / 1000.0, seed_us / 1000.0,
          (first_frame - presented) / 1000.0);
  printf ("answer to next question on screen, %u answers: median %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms\n",
          total->len, percentile (total, 0.5), percentile (total, 0.9), percentile (total, 0.99),
          percentile (total, 1.0));
  printf ("  of which submit handler (score, select, durable commit, rebuild): median %.1f ms, p99 %.1f ms\n",
          percentile (handler, 0.5), percentile (handler, 0.99));
  if (to_results->len > 0)
    {
      g_array_sort (to_results, compare_doubles);
      printf ("last answer to results page on screen (%u attempts): median %.1f ms, max %.1f ms\n",
              to_results->len, percentile (to_results, 0.5), percentile (to_results, 1.0));
    }
  for (int i = 0; i < 4; i++)
    {
      g_array_sort (phase_ms[i], compare_doubles);
      printf ("  %s after the click: median %.1f ms, p99 %.1f ms\n", phase_names[i],
              percentile (phase_ms[i], 0.5), percentile (phase_ms[i], 0.99));
    }
  fflush (stdout);

out:
  for (int i = 0; i < 4; i++)
    g_clear_pointer (&phase_ms[i], g_array_unref);
  gtk_window_destroy (GTK_WINDOW (window));
  g_clear_object (&context);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  rs_screenshot_remove_dir (tmp_dir);
  g_application_release (G_APPLICATION (app));
  return status;
}
