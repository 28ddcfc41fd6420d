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
  int n_items;
  gboolean reached_se;
} RsSimulee;

typedef struct {
  int n_simulees;
  double mean_items;
  double rmse;
  double bias;
  double correlation;        /* Pearson r between true and estimated θ */
  double max_exposure;       /* the largest share of simulees that saw one item */
  double reached_se;         /* share of simulees that reached the SE target */
  GArray *simulees;          /* RsSimulee, in input order */
} RsSimulationReport;

/* Runs one single-skill CAT per θ in thetas on the items of skill. Answers
 * are drawn from the items' own IRT model with a generator seeded by seed, so
 * the same inputs give the same report. */
RsSimulationReport *rs_simulate (const RsBank *bank, RsSkill skill, const RsCatConfig *config,
                                 const double *thetas, int n_thetas, guint32 seed);
void rs_simulation_report_free (RsSimulationReport *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RsSimulationReport, rs_simulation_report_free)

/* What a length mode really delivers on this bank, for the honest estimate
 * shown before a test: simulated people with θ ~ N(0, 1) take the mode's
 * test on each skill's actual items. */
typedef struct {
  double mean_items;          /* per skill, averaged over the skills */
  double total_items;         /* over all the skills */
  double median_se;           /* the typical final SE, worst skill */
  double reached_se;          /* share of tests that reached the SE target, worst skill */
} RsModeForecast;

void rs_forecast_mode (const RsBank *bank, const RsSkill *skills, int n_skills, RsMode mode,
                       int n_simulees, RsModeForecast *forecast);

/* Draws a score for an item from its model at theta. */
int rs_simulate_response (const RsIrtParams *params, double theta, GRand *rand);

G_END_DECLS
