/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Monte Carlo simulation of the CAT: simulees with known θ answer items drawn
 * from the model, and we compare the estimates with the truth. This is how
 * catR's randomCAT and catsim check an engine, and how Reskill says honestly
 * what each length mode reaches. */
#pragma once

#include "rs-bank.h"
#include "rs-cat.h"

G_BEGIN_DECLS

typedef struct {
  double true_theta;
  double theta;
  double se;
  int n_items;               /* scored */
  int n_pretest;             /* unscored pretest items answered */
  gboolean reached_se;
  RsLevel level;             /* the most likely level */
  double level_probability;
  gboolean level_claimed;
} RsSimulee;

typedef struct {
  int n_simulees;
  double mean_items;         /* scored items per simulee */
  double mean_pretest;       /* pretest items per simulee */
  double rmse;
  double bias;
  double correlation;        /* Pearson r between true and estimated θ */
  double mean_se;            /* the SE people are shown, averaged */
  double median_se;
  double coverage;           /* share whose true θ lies in the 80% band θ̂ ± 1.2816 SE */
  double exact_level;        /* share whose most likely level is their true level */
  double claimed;            /* share whose level was claimed (not "between") */
  double claimed_correct;    /* of those, the share that is right */
  double max_exposure;       /* the largest share of simulees that saw one item */
  int n_items_used;          /* items shown to at least one simulee (scored or pretest) */
  int n_bank_items;          /* the skill's items in the bank */
  double reached_se;         /* share of simulees that reached the SE target */
  GArray *simulees;          /* RsSimulee, in input order */
} RsSimulationReport;

typedef struct {
  /* Item id (char *) → RsIrtParams *: the parameters answers are drawn
   * from, where they differ from the ones the engine uses. NULL, or an item
   * not in it: its own parameters. */
  GHashTable *true_params;
} RsSimulationOptions;

/* Runs one single-skill CAT per θ in thetas on the items of skill. Answers
 * are drawn from the items' own IRT model with a generator seeded by seed, so
 * the same inputs give the same report.
 *
 * Simulees take the test in waves of RS_SIMULATION_WAVE, each wave seeing
 * how often earlier waves were shown each item, as a kiosk sees its
 * database: that is what the exposure cap and pretest seeding work from.
 * Items without `irt:` (provisional) are pretested as config->n_pretest says. */
#define RS_SIMULATION_WAVE 20
RsSimulationReport *rs_simulate (const RsBank *bank, RsSkill skill, const RsCatConfig *config,
                                 const double *thetas, int n_thetas, guint32 seed);
RsSimulationReport *rs_simulate_full (const RsBank *bank, RsSkill skill, const RsCatConfig *config,
                                      const double *thetas, int n_thetas, guint32 seed,
                                      const RsSimulationOptions *options);
void rs_simulation_report_free (RsSimulationReport *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RsSimulationReport, rs_simulation_report_free)

/* What a length mode really delivers on this bank, for the honest estimate
 * shown before a test: simulated people with θ ~ N(0, 1) take the mode's
 * test on each skill's actual items. */
typedef struct {
  double mean_items;          /* per skill, averaged over the skills: scored and pretest */
  double total_items;         /* over all the skills */
  double mean_pretest;        /* of which pretest, per skill */
  double median_se;           /* the typical final SE, worst skill */
  double reached_se;          /* share of tests that reached the SE target, worst skill */
  double exact_level;         /* share whose most likely level is the true one, worst skill */
  double claimed;             /* share of tests that name one level, worst skill */
} RsModeForecast;

void rs_forecast_mode (const RsBank *bank, const RsSkill *skills, int n_skills, RsMode mode,
                       int n_simulees, RsModeForecast *forecast);

/* Draws a score for an item from its model at theta. */
int rs_simulate_response (const RsIrtParams *params, double theta, GRand *rand);

/* How far "true" parameters are from the ones in force, drawn as real
 * items' estimates differ from their authors' guesses: a × e^N(0, sd_a),
 * b + N(0, sd_b) + shift (every step of a partial-credit item moves by the
 * same draw, so its steps keep their order), c unchanged. The one
 * definition behind `reskill study`, `reskill simulate --perturb-seed` and
 * tools/perturb-params. */
typedef struct {
  double sd_a;                /* default 0.3 */
  double sd_b;                /* default 0.5 */
  double shift;               /* default 0.2: the authors misjudge the whole bank a little */
} RsPerturbation;

void rs_perturbation_init (RsPerturbation *perturbation);
/* One item's true parameters, drawn with rand. */
void rs_perturb_params (const RsIrtParams *params, const RsPerturbation *perturbation, GRand *rand,
                        RsIrtParams *out);
/* True parameters for every item of skill (every skill: RS_SKILL_INVALID),
 * from the parameters in force: id (owned) → RsIrtParams * (owned). Each
 * item has its own stream, seeded by seed and its id, so that adding an
 * item to the bank changes no other item's draw. */
GHashTable *rs_perturb_bank (const RsBank *bank, RsSkill skill, const RsPerturbation *perturbation, guint32 seed);

/* Writes the parameters of skill's items as `reskill calibrate --out` and
 * `simulate --true-params` read them: id,a,b,c, partial credit
 * id,a,b1;b2;...,. params: id → RsIrtParams *, or NULL for the parameters
 * in force. Written whole or not at all. */
gboolean rs_simulation_write_params (const char *path, const RsBank *bank, RsSkill skill, GHashTable *params,
                                     GError **error);

G_END_DECLS
