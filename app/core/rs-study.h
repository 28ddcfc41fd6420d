/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The calibration study (issue 9): the whole measurement loop of a kiosk
 * fleet, run on the real bank so that anyone can rerun the evidence.
 *
 * 1. "True" item parameters are drawn from the ones in force as real items
 *    differ from their authors' guesses (rs_perturb_bank).
 * 2. Before: n_people simulated people (θ ~ N(0, 1) per skill) take the live
 *    adaptive test, through rs_assessment against a real store: exposure cap
 *    and pretest seeding from the store's counts, durable answers, results.
 *    Their answers are drawn from the true parameters; the engine scores
 *    with the ones in force.
 * 3. Calibration from their stored answers, by the product's own path:
 *    rs_calibration_run (with its min_responses rule), rs_calibration_apply,
 *    rs_calibration_apply_to_bank.
 * 4. After: people take the test again with the calibration in force: new
 *    people from the same population (the default: the only change from
 *    "before" is the calibration), or the same people returning
 *    retest_days later with the prior of their first result.
 * 5. Optionally, the ceiling: new people take the test with the true
 *    parameters themselves in force, the best any calibration could do
 *    with this bank and these rules.
 *
 * People take the test in waves of RS_SIMULATION_WAVE, as kiosks do: each
 * wave starts from the counts the earlier waves left in the store, its
 * people answer on every core, and every random draw comes from streams
 * seeded by the study's seed and the person, so a run is the same on every
 * rerun with the same seed and bank. The store is the study's own: the
 * study fills it, switches its fsync off (the data are disposable) and sets
 * the store's clock (rs_store_set_clock) while it runs. */
#pragma once

#include "rs-bank.h"
#include "rs-calibration.h"
#include "rs-cat.h"
#include "rs-simulation.h"
#include "rs-store.h"

G_BEGIN_DECLS

typedef enum {
  RS_STUDY_RETEST_NEW,          /* new people from the same population */
  RS_STUDY_RETEST_RETURNING,    /* the same people, later, with their returning prior */
} RsStudyRetest;

typedef struct {
  int n_people;                 /* per phase; default 3000 */
  guint32 seed;                 /* default 1 */
  gboolean modes[RS_N_MODES];   /* people take the chosen modes in rotation; default all */
  gboolean skills[RS_N_SKILLS]; /* every person takes all chosen skills in one attempt; default all */
  int min_responses;            /* the calibration's rule; default RS_CALIBRATION_MIN_RESPONSES */
  RsPerturbation perturbation;  /* default rs_perturbation_init */
  RsStudyRetest retest;         /* default RS_STUDY_RETEST_NEW */
  int retest_days;              /* returning people come back this much later; default 90 */
  double exposure_cap;          /* as a kiosk sets it; default 0.25 */
  int n_threads;                /* 0: one per core, at most 8 */
  gboolean ceiling;             /* run the ceiling phase too; default FALSE */
} RsStudyConfig;

typedef enum {
  RS_STUDY_BEFORE,
  RS_STUDY_AFTER,
  RS_STUDY_CEILING,             /* only with config.ceiling */
  RS_STUDY_N_PHASES,
} RsStudyPhase;

/* One skill in one mode (RS_N_MODES: every mode together) in one phase. */
typedef struct {
  int n_people;
  double mean_items;            /* scored */
  double mean_pretest;          /* unscored pretest items */
  double rmse;
  double bias;
  double mean_se;               /* the SE people are shown */
  double coverage;              /* true θ within the 80% band θ̂ ± 1.2816 SE */
  double exact_level;           /* the most likely level is the true one */
  double claimed;               /* a level named on its own, not "between" */
  double max_exposure;          /* the largest share of these people shown one item */
  int n_items_used;             /* items shown to at least one of them (scored or pretest) */
  int n_items_askable;          /* the skill's items not withheld in this phase */
  int n_bank_items;
} RsStudyCell;

/* How close the parameters are to the truth, per skill. b counts every
 * step of a partial-credit item. */
typedef struct {
  int n_items;
  int n_calibrated, n_provisional, n_flagged;
  int n_changed;                /* items whose parameters in force changed */
  int median_answers, min_answers, max_answers;   /* per item, in the calibration */
  double a_rmse_start, b_rmse_start;              /* the starting parameters, every item */
  double a_rmse_in_force, b_rmse_in_force;        /* in force after, items not withheld */
  double a_rmse_calibrated, b_rmse_calibrated;    /* the estimates of the calibrated items */
  double a_rmse_estimated, b_rmse_estimated;      /* every estimate, provisional ones too */
} RsStudyRecovery;

typedef struct {
  RsStudyConfig config;
  int n_threads;
  RsStudyCell cells[RS_STUDY_N_PHASES][RS_N_SKILLS][RS_N_MODES + 1];
  RsStudyRecovery recovery[RS_N_SKILLS];
  int n_answers[RS_STUDY_N_PHASES];
  int n_unearnable;             /* drawn scores no answer to the item earns (then the nearest lower one) */
  double seconds_setup;         /* people and true parameters */
  double seconds[RS_STUDY_N_PHASES];
  double seconds_calibration;   /* run, apply and put in force */
  GHashTable *true_params;      /* id → RsIrtParams *, every item of the bank */
  RsCalibration *calibration;   /* as applied */
} RsStudyReport;

void rs_study_config_init (RsStudyConfig *config);
void rs_study_report_free (RsStudyReport *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RsStudyReport, rs_study_report_free)

/* Called after each wave: the phase ("before", "after", "ceiling"), people
 * done and the phase's total. */
typedef void (*RsStudyProgress) (const char *phase, int done, int total, gpointer user_data);

/* Runs the study on store, which must hold no attempt and no calibration
 * yet (RS_ERROR_INVALID otherwise), and bank, which gets the calibration
 * put in force (with config.ceiling, the true parameters at the end).
 * progress may be NULL. */
RsStudyReport *rs_study_run (RsStore *store, RsBank *bank, const RsStudyConfig *config, RsStudyProgress progress,
                             gpointer user_data, GError **error);

/* The report as Markdown tables (before → after per skill and mode, then
 * the calibration's recovery) and a last line of key=value pairs. */
char *rs_study_report_format (const RsStudyReport *report);

G_END_DECLS
