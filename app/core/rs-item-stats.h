/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Classical statistics of each question from the collected responses, and
 * the questions an author should look at again. Administrators only.
 *
 * For each item that has been answered:
 *
 *   n_shown        responses to it, in every attempt (finished or not)
 *   facility       mean of score / max_score over those responses (0..1)
 *   mean_time_ms   mean time the question was on screen
 *   exposure       attempts that showed it / attempts that were asked any
 *                  question of its skill
 *   discrimination Pearson's r between the item's score x and the rest
 *                  score y, over the finished attempts that showed it, where
 *                  y = the attempt's total raw score on the item's skill
 *                  minus x. This is Moodle's "discrimination index" (the
 *                  corrected item-total correlation: the item is taken out of
 *                  the total so that it does not correlate with itself), with
 *                  the skill as "the test", since each skill is its own
 *                  adaptive test. NAN when fewer than two such attempts or
 *                  when x or y never varies.
 *
 * Caveat for reading it: in an adaptive test stronger people get harder
 * questions, so raw totals understate ability differences and this r is
 * lower than it would be on a fixed form. It still ranks items usefully,
 * and a negative r means an item strong people get wrong: a bad key or a
 * trick question. */
#pragma once

#include "rs-bank.h"
#include "rs-store.h"

G_BEGIN_DECLS

#define RS_ITEM_STATS_EXPOSURE_CAP 0.25
#define RS_ITEM_STATS_MIN_RESPONSES 20
#define RS_ITEM_STATS_FACILITY_LOW 0.2
#define RS_ITEM_STATS_FACILITY_HIGH 0.9
#define RS_ITEM_STATS_DISCRIMINATION_LOW 0.2

typedef struct {
  double exposure_cap;        /* flag items shown in more than this share of attempts */
  int min_responses;          /* below it, statistics are noise: "too few responses" */
} RsItemStatsOptions;

void rs_item_stats_options_init (RsItemStatsOptions *options);

typedef enum {
  RS_ITEM_FLAG_TOO_HARD = 1 << 0,           /* facility < 0.2 */
  RS_ITEM_FLAG_TOO_EASY = 1 << 1,           /* facility > 0.9 */
  RS_ITEM_FLAG_LOW_DISCRIMINATION = 1 << 2, /* r < 0.2, or undefined */
  RS_ITEM_FLAG_OVEREXPOSED = 1 << 3,        /* exposure > cap */
  RS_ITEM_FLAG_TOO_FEW = 1 << 4,            /* a note, not a fault: not enough data to judge */
} RsItemFlags;

/* The flags that ask for a review (all but RS_ITEM_FLAG_TOO_FEW). */
#define RS_ITEM_FLAGS_REVIEW (RS_ITEM_FLAG_TOO_HARD | RS_ITEM_FLAG_TOO_EASY | RS_ITEM_FLAG_LOW_DISCRIMINATION \
                              | RS_ITEM_FLAG_OVEREXPOSED)

typedef struct {
  char *item_id;
  RsSkill skill;
  int n_shown;
  int n_attempts;             /* distinct attempts that showed it */
  int n_skill_attempts;       /* attempts asked any item of its skill */
  int n_discrimination;       /* finished attempts behind discrimination */
  double facility;
  double discrimination;      /* NAN when undefined */
  double mean_time_ms;
  double exposure;
  guint flags;                /* RsItemFlags */
} RsItemStat;

void rs_item_stat_free (RsItemStat *stat);

/* Facility and discrimination are judged only with at least min_responses
 * responses (else RS_ITEM_FLAG_TOO_FEW); exposure only when the skill has
 * at least min_responses attempts, since with three attempts every item
 * shown has an exposure of a third or more. */
guint rs_item_stats_flags (const RsItemStat *stat, const RsItemStatsOptions *options);

/* "facility 0.953 above 0.9; exposure 0.400 above 0.25", or "" when none. */
char *rs_item_stat_reasons (const RsItemStat *stat, const RsItemStatsOptions *options);
/* The same in English whatever the language: for the CSV export. */
char *rs_item_stat_reasons_untranslated (const RsItemStat *stat, const RsItemStatsOptions *options);

/* One slug per flag, ';'-separated: "too-easy;overexposed". */
char *rs_item_stat_flag_ids (guint flags);

/* Every answered item, those needing review first (most reasons first), then
 * those with too few responses, then the rest; by skill and id within each.
 * Array of RsItemStat. viewer must be an admin (rs_people_operator() on the
 * command line). options NULL: the defaults. */
GPtrArray *rs_item_stats_compute (RsStore *store, const RsPerson *viewer, const RsItemStatsOptions *options,
                                  GError **error);

/* The running sums behind one item's figures, kept elsewhere (the
 * organization's server keeps them as answers arrive): n_shown responses,
 * n_attempts distinct attempts, the sums of score / max_score and of the
 * times, and over finished attempts the sums of x (the item's score), y
 * (the rest score), xy, xx and yy for the discrimination. */
typedef struct {
  const char *item_id;
  RsSkill skill;
  gint64 n_shown;
  gint64 n_attempts;
  double sum_facility;
  gint64 sum_time_ms;
  gint64 n, sx, sy, sxy, sxx, syy;
} RsItemSums;

/* The same statistics as rs_item_stats_compute, in the same order, from
 * such sums and the number of attempts per skill. No access check: the
 * caller's source made it. options NULL: the defaults. */
GPtrArray *rs_item_stats_from_sums (const RsItemSums *sums, guint n_sums, const gint64 skill_attempts[RS_N_SKILLS],
                                    const RsItemStatsOptions *options);

/* Per skill, over the stored attempts: how far exposure is spread. */
typedef struct {
  int n_attempts;             /* attempts that asked the skill anything */
  double max_exposure;        /* the largest item exposure; 0 with no answers */
  const char *max_item_id;    /* that item (owned by the stats array); NULL with no answers */
  int n_items_used;           /* items shown at least once (of the bank's, when a bank is given) */
  int n_bank_items;           /* items of the skill in the bank; 0 when no bank is given */
} RsItemStatsSummary;

/* Sums up stats (from rs_item_stats_compute) per skill; bank may be NULL.
 * The share of the bank used is n_items_used / n_bank_items. */
void rs_item_stats_summarize (const GPtrArray *stats, const RsBank *bank, RsItemStatsSummary summary[RS_N_SKILLS]);

G_END_DECLS
