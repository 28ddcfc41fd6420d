/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Item statistics against values worked out here another way: a handful of
 * attempts small enough to check by hand, Pearson's r computed the textbook
 * way (deviations from the means) rather than from running sums, and the
 * flags that follow. */
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "rs-error.h"
#include "rs-item-stats.h"
#include "rs-people.h"
#include "rs-store.h"

#define PY RS_SKILL_PYTHON
#define ST RS_SKILL_STATISTICS

typedef struct {
  const char *item;
  RsSkill skill;
  int score;
  int max_score;
  int time_ms;
} Answer;

typedef struct {
  gboolean finished;
  const char *skills;       /* "python" or "python,statistics" */
  Answer answers[6];        /* up to the first with item NULL */
} Attempt;

/* Python: I1, I2, I3 (0/1). Statistics: I4 (0..2), I5 (always right).
 * A6 is unfinished: it counts for facility and exposure, not for
 * discrimination. I6 is answered once, there. */
static const Attempt attempts[] = {
  { TRUE, "python,statistics", { { "I1", PY, 1, 1, 1000 }, { "I2", PY, 1, 1, 2000 }, { "I3", PY, 1, 1, 3000 },
                                 { "I4", ST, 2, 2, 4000 }, { "I5", ST, 1, 1, 5000 } } },
  { TRUE, "python,statistics", { { "I1", PY, 1, 1, 3000 }, { "I2", PY, 0, 1, 2000 }, { "I3", PY, 1, 1, 1000 },
                                 { "I4", ST, 1, 2, 4000 }, { "I5", ST, 1, 1, 5000 } } },
  { TRUE, "python,statistics", { { "I1", PY, 0, 1, 2000 }, { "I2", PY, 0, 1, 2000 }, { "I3", PY, 1, 1, 2000 },
                                 { "I4", ST, 1, 2, 4000 }, { "I5", ST, 1, 1, 5000 } } },
  { TRUE, "python,statistics", { { "I1", PY, 1, 1, 2000 }, { "I2", PY, 1, 1, 2000 }, { "I3", PY, 0, 1, 2000 },
                                 { "I4", ST, 0, 2, 4000 } } },
  { TRUE, "python", { { "I1", PY, 0, 1, 2000 }, { "I2", PY, 0, 1, 2000 }, { "I3", PY, 0, 1, 2000 } } },
  { FALSE, "python", { { "I1", PY, 1, 1, 2000 }, { "I2", PY, 1, 1, 2000 }, { "I6", PY, 1, 1, 9000 } } },
};

typedef struct {
  RsStore *store;
  RsPerson *admin;
  char *dir;                 /* a database file's folder; NULL in memory */
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  gint64 admin_id = 0;

  /* data "file": a database file, which rs_item_stats_compute reads in two
   * halves on two threads; in memory it reads on one. Same answers. */
  if (data != NULL)
    {
      g_autofree char *path = NULL;

      f->dir = g_dir_make_tmp ("reskill-item-stats-XXXXXX", NULL);
      path = g_build_filename (f->dir, "stats.db", NULL);
      f->store = rs_store_open (path, &error);
    }
  else
    f->store = rs_store_open (":memory:", &error);
  g_assert_no_error (error);
  g_assert_true (rs_store_add_person (f->store, "A1", "Admin", NULL, RS_PERSON_ADMIN, "1357", &admin_id, &error));
  f->admin = rs_store_get_person (f->store, admin_id, &error);
  g_assert_no_error (error);

  for (guint a = 0; a < G_N_ELEMENTS (attempts); a++)
    {
      g_autoptr (RsAttempt) attempt = rs_attempt_new ();
      g_auto (GStrv) skills = g_strsplit (attempts[a].skills, ",", -1);

      attempt->person_id = admin_id;
      attempt->mode = RS_MODE_QUICK;
      attempt->n_skills = (int) g_strv_length (skills);
      for (int s = 0; s < attempt->n_skills; s++)
        attempt->skills[s] = rs_skill_from_id (skills[s]);
      g_assert_true (rs_store_begin_attempt (f->store, attempt, &error));
      g_assert_no_error (error);
      for (int i = 0; i < (int) G_N_ELEMENTS (attempts[a].answers) && attempts[a].answers[i].item != NULL; i++)
        {
          const Answer *an = &attempts[a].answers[i];
          RsResponse response = { i + 1, (char *) an->item, an->skill, (char *) "A", an->score, an->max_score,
                                  0.0, 1.0, an->time_ms, 0 };

          g_assert_true (rs_store_record_answer (f->store, attempt->uuid, &response, NULL, &error));
          g_assert_no_error (error);
        }
      if (attempts[a].finished)
        g_assert_true (rs_store_finish_attempt (f->store, attempt->uuid, NULL, 0, &error));
      g_assert_no_error (error);
    }
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  rs_person_free (f->admin);
  rs_store_close (f->store);
  if (f->dir != NULL)
    {
      g_autoptr (GDir) dir = g_dir_open (f->dir, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *path = g_build_filename (f->dir, name, NULL);
          g_remove (path);
        }
      g_rmdir (f->dir);
      g_free (f->dir);
    }
}

/* Textbook Pearson over the finished attempts: x the item's score, y the
 * rest of the attempt's score on the same skill. */
static double
reference_discrimination (const char *item, int *n_out)
{
  double xs[G_N_ELEMENTS (attempts)], ys[G_N_ELEMENTS (attempts)];
  double mx = 0, my = 0, sxy = 0, sxx = 0, syy = 0;
  int n = 0;

  for (guint a = 0; a < G_N_ELEMENTS (attempts); a++)
    {
      const Answer *mine = NULL;
      int total = 0;

      if (!attempts[a].finished)
        continue;
      for (int i = 0; i < 6 && attempts[a].answers[i].item != NULL; i++)
        if (g_str_equal (attempts[a].answers[i].item, item))
          mine = &attempts[a].answers[i];
      if (mine == NULL)
        continue;
      for (int i = 0; i < 6 && attempts[a].answers[i].item != NULL; i++)
        if (attempts[a].answers[i].skill == mine->skill)
          total += attempts[a].answers[i].score;
      xs[n] = mine->score;
      ys[n] = total - mine->score;
      n++;
    }
  *n_out = n;
  for (int i = 0; i < n; i++)
    {
      mx += xs[i] / n;
      my += ys[i] / n;
    }
  for (int i = 0; i < n; i++)
    {
      sxy += (xs[i] - mx) * (ys[i] - my);
      sxx += (xs[i] - mx) * (xs[i] - mx);
      syy += (ys[i] - my) * (ys[i] - my);
    }
  return sxx > 0 && syy > 0 ? sxy / sqrt (sxx * syy) : NAN;
}

static const RsItemStat *
find (GPtrArray *stats, const char *item)
{
  for (guint i = 0; i < stats->len; i++)
    {
      const RsItemStat *s = g_ptr_array_index (stats, i);
      if (g_str_equal (s->item_id, item))
        return s;
    }
  g_error ("no statistics for item %s", item);
}

static void
test_values (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  RsItemStatsOptions options = { 0.9, 3 };
  g_autoptr (GPtrArray) stats = rs_item_stats_compute (f->store, f->admin, &options, &error);
  static const char *const items[] = { "I1", "I2", "I3", "I4", "I5", "I6" };
  const RsItemStat *s;

  g_assert_no_error (error);
  g_assert_cmpuint (stats->len, ==, 6);

  /* I1 by hand: x = 1 1 0 1 0, rest y = 2 1 1 1 0 (totals 3 2 1 2 0).
   * Deviations: x .4 .4 -.6 .4 -.6, y 1 0 0 0 -1; sum xy = 1.0,
   * sum xx = 1.2, sum yy = 2; r = 1 / sqrt (2.4). */
  s = find (stats, "I1");
  g_assert_cmpfloat_with_epsilon (s->discrimination, 1.0 / sqrt (2.4), 1e-12);
  g_assert_cmpfloat_with_epsilon (s->discrimination, 0.6454972, 1e-7);
  g_assert_cmpint (s->n_discrimination, ==, 5);
  g_assert_cmpint (s->n_shown, ==, 6);
  g_assert_cmpfloat_with_epsilon (s->facility, 4.0 / 6.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (s->mean_time_ms, 12000.0 / 6.0, 1e-9);
  g_assert_cmpint (s->n_skill_attempts, ==, 6);
  g_assert_cmpfloat_with_epsilon (s->exposure, 1.0, 1e-12);
  g_assert_cmpint (s->skill, ==, RS_SKILL_PYTHON);

  /* Every item against the textbook computation. */
  for (guint i = 0; i < G_N_ELEMENTS (items); i++)
    {
      int n = 0;
      double expected = reference_discrimination (items[i], &n);

      s = find (stats, items[i]);
      g_test_message ("%s: r = %f, expected %f", items[i], s->discrimination, expected);
      g_assert_cmpint (s->n_discrimination, ==, n);
      if (isnan (expected))
        g_assert_true (isnan (s->discrimination));
      else
        g_assert_cmpfloat_with_epsilon (s->discrimination, expected, 1e-12);
    }

  /* Partial credit: facility is the mean of score / max. */
  s = find (stats, "I4");
  g_assert_cmpfloat_with_epsilon (s->facility, (1.0 + 0.5 + 0.5 + 0.0) / 4, 1e-12);
  g_assert_cmpint (s->n_skill_attempts, ==, 4);
  g_assert_cmpfloat_with_epsilon (s->exposure, 1.0, 1e-12);
  /* x = 2 1 1 0, rest y = 1 1 1 0. */
  g_assert_cmpfloat_with_epsilon (s->discrimination, 0.8164966, 1e-7);

  s = find (stats, "I5");
  g_assert_cmpfloat_with_epsilon (s->facility, 1.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (s->exposure, 0.75, 1e-12);
  g_assert_true (isnan (s->discrimination));    /* always right: x never varies */

  s = find (stats, "I3");
  g_assert_cmpint (s->n_shown, ==, 5);
  g_assert_cmpfloat_with_epsilon (s->exposure, 5.0 / 6.0, 1e-12);
}

static void
test_flags (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  RsItemStatsOptions options = { 0.9, 3 };
  g_autoptr (GPtrArray) stats = rs_item_stats_compute (f->store, f->admin, &options, &error);
  g_autoptr (GPtrArray) defaults = NULL;
  g_autofree char *reasons = NULL;
  g_autofree char *ids = NULL;

  g_assert_no_error (error);
  /* I1: exposure 1.0 over 0.9; r 0.65 is fine. */
  g_assert_cmpuint (find (stats, "I1")->flags, ==, RS_ITEM_FLAG_OVEREXPOSED);
  /* I2 by hand: x = 1 0 0 1 0, rest y = 2 2 1 1 0 (totals 3 2 1 2 0).
   * Deviations: x .6 -.4 -.4 .6 -.4, y .8 .8 -.2 -.2 -1.2; sum xy = 0.6,
   * sum xx = 1.2, sum yy = 2.8; r = 0.6 / sqrt (3.36) = 0.327, above 0.2:
   * only its exposure (1.0) is flagged. */
  g_assert_cmpfloat_with_epsilon (find (stats, "I2")->discrimination, 0.6 / sqrt (3.36), 1e-12);
  g_assert_cmpuint (find (stats, "I2")->flags, ==, RS_ITEM_FLAG_OVEREXPOSED);
  /* I3: x = 1 1 1 0 0, y = 2 1 0 2 0: r = 0, low; exposure 5/6 under the cap. */
  g_assert_cmpfloat_with_epsilon (find (stats, "I3")->discrimination, 0.0, 1e-12);
  g_assert_cmpuint (find (stats, "I3")->flags, ==, RS_ITEM_FLAG_LOW_DISCRIMINATION);
  /* I4: four of four statistics attempts. */
  g_assert_cmpuint (find (stats, "I4")->flags, ==, RS_ITEM_FLAG_OVEREXPOSED);
  /* I5: always right (too easy), r undefined (low). */
  g_assert_cmpuint (find (stats, "I5")->flags, ==, RS_ITEM_FLAG_TOO_EASY | RS_ITEM_FLAG_LOW_DISCRIMINATION);
  reasons = rs_item_stat_reasons (find (stats, "I5"), &options);
  g_assert_cmpstr (reasons, ==, "facility 1.000 above 0.9; discrimination undefined: scores never vary");
  ids = rs_item_stat_flag_ids (find (stats, "I5")->flags);
  g_assert_cmpstr (ids, ==, "too-easy;low-discrimination");
  /* I6: one response, too few to judge; shown in 1 of 6 python attempts. */
  g_assert_cmpuint (find (stats, "I6")->flags, ==, RS_ITEM_FLAG_TOO_FEW);

  /* Order: review first, most reasons first; too few next; then the rest. */
  g_assert_cmpuint (((RsItemStat *) g_ptr_array_index (stats, stats->len - 1))->flags, ==, RS_ITEM_FLAG_TOO_FEW);
  g_assert_cmpstr (((RsItemStat *) g_ptr_array_index (stats, 0))->item_id, ==, "I5");
  for (guint i = 0; i + 1 < stats->len; i++)
    g_assert_cmpuint (((RsItemStat *) g_ptr_array_index (stats, i))->flags & RS_ITEM_FLAGS_REVIEW, !=, 0);

  /* The default minimum (20 responses) judges nothing here. */
  defaults = rs_item_stats_compute (f->store, f->admin, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < defaults->len; i++)
    g_assert_cmpuint (((RsItemStat *) g_ptr_array_index (defaults, i))->flags, ==, RS_ITEM_FLAG_TOO_FEW);

  /* A low cap flags the exposure of I3 and I5 too. */
  {
    RsItemStatsOptions low = { 0.25, 3 };
    g_autoptr (GPtrArray) capped = rs_item_stats_compute (f->store, f->admin, &low, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (find (capped, "I3")->flags & RS_ITEM_FLAG_OVEREXPOSED, !=, 0);
    g_assert_cmpuint (find (capped, "I5")->flags & RS_ITEM_FLAG_OVEREXPOSED, !=, 0);
    /* I6: 1 of 6 is under the cap. */
    g_assert_cmpuint (find (capped, "I6")->flags & RS_ITEM_FLAG_OVEREXPOSED, ==, 0);
  }
}

/* Each flag's rule on both sides of its line, on statistics made by hand:
 * facility under 0.2 is too hard (0.2 itself is not), over 0.9 too easy
 * (0.9 is not), r under 0.2 (or undefined) low (0.2 is not), exposure
 * over the cap overexposed (the cap itself is not); under the minimum of
 * responses nothing is judged but the exposure, which needs the minimum
 * of attempts on the skill. */
static void
test_flag_lines (void)
{
  RsItemStatsOptions options = { 0.25, 20 };
  const RsItemStat fine = { .n_shown = 20, .n_discrimination = 20, .n_skill_attempts = 20, .facility = 0.5,
                            .discrimination = 0.5, .exposure = 0.1 };
  RsItemStat s;

  g_assert_cmpuint (rs_item_stats_flags (&fine, &options), ==, 0);

  s = fine, s.facility = 0.2;
  g_assert_cmpuint (rs_item_stats_flags (&s, &options), ==, 0);
  s.facility = nextafter (0.2, 0);
  g_assert_cmpuint (rs_item_stats_flags (&s, &options), ==, RS_ITEM_FLAG_TOO_HARD);

  s = fine, s.facility = 0.9;
  g_assert_cmpuint (rs_item_stats_flags (&s, &options), ==, 0);
  s.facility = nextafter (0.9, 1);
  g_assert_cmpuint (rs_item_stats_flags (&s, &options), ==, RS_ITEM_FLAG_TOO_EASY);

  s = fine, s.discrimination = 0.2;
  g_assert_cmpuint (rs_item_stats_flags (&s, &options), ==, 0);
  s.discrimination = nextafter (0.2, 0);
  g_assert_cmpuint (rs_item_stats_flags (&s, &options), ==, RS_ITEM_FLAG_LOW_DISCRIMINATION);
  s.discrimination = NAN;
  g_assert_cmpuint (rs_item_stats_flags (&s, &options), ==, RS_ITEM_FLAG_LOW_DISCRIMINATION);

  s = fine, s.exposure = 0.25;
  g_assert_cmpuint (rs_item_stats_flags (&s, &options), ==, 0);
  s.exposure = nextafter (0.25, 1);
  g_assert_cmpuint (rs_item_stats_flags (&s, &options), ==, RS_ITEM_FLAG_OVEREXPOSED);
  /* ... judged only with enough attempts on the skill. */
  s.n_skill_attempts = 19;
  g_assert_cmpuint (rs_item_stats_flags (&s, &options), ==, 0);

  /* One response short: too few to judge facility and discrimination. */
  s = fine, s.n_shown = 19, s.facility = 0.0, s.discrimination = NAN;
  g_assert_cmpuint (rs_item_stats_flags (&s, &options), ==, RS_ITEM_FLAG_TOO_FEW);
  /* Enough responses, too few finished attempts behind r. */
  s = fine, s.n_discrimination = 19, s.discrimination = NAN;
  g_assert_cmpuint (rs_item_stats_flags (&s, &options), ==, RS_ITEM_FLAG_TOO_FEW);
  /* The product's defaults are these lines. */
  rs_item_stats_options_init (&options);
  g_assert_cmpfloat (options.exposure_cap, ==, 0.25);
  g_assert_cmpint (options.min_responses, ==, 20);
}

static void
test_empty (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RsStore) store = rs_store_open (":memory:", &error);
  g_autoptr (GPtrArray) stats = NULL;

  g_assert_no_error (error);
  stats = rs_item_stats_compute (store, rs_people_operator (), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stats->len, ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/item-stats/values", Fixture, NULL, fixture_setup, test_values, fixture_teardown);
  g_test_add ("/item-stats/flags", Fixture, NULL, fixture_setup, test_flags, fixture_teardown);
  g_test_add ("/item-stats/values-two-threads", Fixture, "file", fixture_setup, test_values, fixture_teardown);
  g_test_add ("/item-stats/flags-two-threads", Fixture, "file", fixture_setup, test_flags, fixture_teardown);
  g_test_add_func ("/item-stats/flag-lines", test_flag_lines);
  g_test_add_func ("/item-stats/empty", test_empty);
  return g_test_run ();
}
