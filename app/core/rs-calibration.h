/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Calibrations in the database: the engine (rs-calibrate) run on the
 * answers this kiosk stored, kept as versions, and put in force.
 *
 * - The answers: every answer of every finished or abandoned attempt (one
 *   query, CALIBRATION_ANSWERS in rs-calibration.c), one "person" per
 *   attempt and skill, each skill calibrated on its own scale. Items no
 *   longer in the bank, or whose score range changed, are left out.
 * - Models: single-choice items 3PL with c held at the item's guessing
 *   (1/options), other right-or-wrong items 2PL, partial-credit items GPCM.
 * - The scale never moves: items whose parameters are trusted (given in the
 *   bank's `irt:`, or calibrated by the calibration in force) are anchors,
 *   held fixed; the rest are estimated. With no anchor (the first
 *   calibration) the latent distribution is N(0, 1).
 * - Status: an estimated item is provisional until it has min_responses
 *   answers (default 500): its estimate is stored but the bank's starting
 *   parameters stay in use. With enough answers it is calibrated, unless a
 *   flag (poor fit, discrimination near zero, unstable) makes it flagged:
 *   then it is kept out of tests (withheld) until an administrator decides
 *   to use the estimate or to keep it out.
 * - A calibration in force travels to other kiosks as calibration.yaml in
 *   the questions folder (rs_calibration_export, read by rs-bank).
 *
 * Administrators only: every function that reads answers or writes takes
 * the viewer and asks rs-access. */
#pragma once

#include "rs-bank.h"
#include "rs-calibrate.h"
#include "rs-store.h"

G_BEGIN_DECLS

#define RS_CALIBRATION_MIN_RESPONSES 500
/* Adaptive data leaves many items with few answers, some separated
 * perfectly; a weak N(0, 4²) prior on the intercepts keeps them finite and
 * moves a well-answered item's b by a few thousandths at most. */
#define RS_CALIBRATION_D_PRIOR_SD 4.0

/* The engine's defaults with the intercept prior above. */
void rs_calibration_options_init (RsCalibOptions *options);

typedef enum {
  RS_ITEM_PROVISIONAL,
  RS_ITEM_CALIBRATED,
  RS_ITEM_FLAGGED,
} RsItemStatus;

typedef enum {
  RS_DECISION_NONE,        /* flagged and waiting: withheld */
  RS_DECISION_USE,         /* the administrator accepts the estimate */
  RS_DECISION_WITHHOLD,    /* the administrator keeps it out of tests */
} RsDecision;

/* "provisional", "calibrated", "flagged"; "use", "withhold" ("" for none). */
const char *rs_item_status_id (RsItemStatus status);
const char *rs_decision_id (RsDecision decision);

typedef struct {
  char *item_id;
  RsSkill skill;
  RsCalibModel model;
  RsItemStatus status;
  gboolean anchor;                   /* held fixed in this calibration */
  int n;                             /* answers it was estimated from */
  RsIrtParams old_params;            /* in force before (the bank's) */
  RsIrtParams params;                /* estimated, or held */
  double se_a, se_b, se_c;
  double se_steps[RS_IRT_MAX_STEPS];
  double fit_chi2;
  int fit_df;                        /* 0: not computed */
  double fit_p;
  guint flags;                       /* RsCalibFlags */
  RsDecision decision;
} RsCalibrationItem;

typedef struct {
  RsSkill skill;
  int n_people;                      /* attempts that answered the skill */
  int n_responses;
  int n_items;                       /* answered items */
  int iterations;
  gboolean converged;
  double loglik;
  gboolean latent_estimated;
  double mean, sd;
  double seconds;
} RsCalibrationSkill;

typedef struct {
  gint64 id;                         /* 0 until stored by rs_calibration_apply */
  char *uuid;                        /* NULL until stored */
  gint64 created_at;                 /* unix µs; 0 until stored */
  int min_responses;
  char *summary;                     /* one line per skill: people, answers, iterations, loglik, latent */
  GPtrArray *items;                  /* RsCalibrationItem *, every item of the bank, by skill and id */
  GArray *skills;                    /* RsCalibrationSkill, the skills that had answers */
} RsCalibration;

void rs_calibration_free (RsCalibration *calibration);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RsCalibration, rs_calibration_free)

/* An empty calibration (no items, no skills), for code that fills one in
 * from elsewhere (the organization's server). */
RsCalibration *rs_calibration_new (void);

/* The answers a calibration is run on, collected one at a time from any
 * source: the store's (rs_calibration_run) or the organization's server.
 * Answers must come grouped by attempt (each attempt's in a row). Answers
 * to items the bank no longer has, or whose score range changed, are left
 * out. */
typedef struct _RsCalibrationAnswers RsCalibrationAnswers;
RsCalibrationAnswers *rs_calibration_answers_new (const RsBank *bank);
void rs_calibration_answers_free (RsCalibrationAnswers *answers);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RsCalibrationAnswers, rs_calibration_answers_free)
gboolean rs_calibration_answers_add (RsCalibrationAnswers *answers, const char *attempt, const char *skill_id,
                                     const char *item_id, int score, int max_score, GError **error);
/* rs_calibration_run on collected answers; current is the calibration in
 * force (NULL: none), whose SEs anchors keep. No access check: the caller
 * has made it. */
RsCalibration *rs_calibration_run_answers (RsCalibrationAnswers *answers, const RsCalibration *current,
                                           int min_responses, const RsCalibOptions *options, GError **error);

/* Calibrates every skill of the bank from the stored answers; stores
 * nothing (review it, then rs_calibration_apply). The bank must have the
 * calibration in force applied (rs_calibration_apply_to_bank): its
 * parameters are the old ones and its trusted items the anchors. options
 * NULL: rs_calibration_options_init. Fails with RS_ERROR_INVALID when no answer
 * can be used. */
RsCalibration *rs_calibration_run (RsStore *store, const RsBank *bank, const RsPerson *viewer, int min_responses,
                                   const RsCalibOptions *options, GError **error);

/* Stores a run as a new calibration version, which is then the one in
 * force; fills in its id, uuid and created_at, and writes the audit log. */
gboolean rs_calibration_apply (RsStore *store, RsCalibration *calibration, const RsPerson *viewer, GError **error);

/* The calibration in force (the latest applied), or NULL with no error
 * when there is none. */
RsCalibration *rs_calibration_load_current (RsStore *store, GError **error);

/* An administrator's decision on a flagged item of the calibration in
 * force. RS_ERROR_NOT_FOUND when there is no calibration or no such item,
 * RS_ERROR_INVALID when the item is not flagged. */
gboolean rs_calibration_decide (RsStore *store, const RsPerson *viewer, const char *item_id, RsDecision decision,
                                GError **error);

/* One stored row of calibration_items, as text and numbers, wherever it
 * was stored (this store, or the organization's server). */
typedef struct {
  const char *item_id;
  const char *skill;
  const char *model;
  const char *status;
  gboolean anchor;
  int n;
  double a;
  const char *b;             /* "b" or "b1;b2;..." */
  double c;
  double se_a;
  const char *se_b;
  double se_c;
  double fit_chi2;
  int fit_df;
  double fit_p;
  const char *flags;
  const char *decision;      /* NULL, "use" or "withhold" */
} RsCalibrationItemRow;

/* The item of a row; RS_ERROR_DB_CORRUPT (naming the calibration) when the
 * row cannot be an item's. Add it to calibration->items, then sort them
 * with rs_calibration_sort_items. */
RsCalibrationItem *rs_calibration_item_from_row (const RsCalibrationItemRow *row, const char *calibration_uuid,
                                                 GError **error);
void rs_calibration_sort_items (RsCalibration *calibration);
/* A row's b (se FALSE) or se_b text, as stored: every step of a partial
 * credit item, ';'-separated, to a double's full precision. */
char *rs_calibration_item_b_text (const RsCalibrationItem *item, gboolean se);

/* What rs_calibration_apply_to_bank does with the calibration it finds:
 * its estimates in force in bank, flagged items withheld, its uuid
 * recorded. */
void rs_calibration_put_in_force (RsBank *bank, const RsCalibration *calibration);

/* Puts the calibration in force into the bank: calibrated items (and
 * flagged ones the administrator chose to use) get their estimates, flagged
 * ones waiting or refused are withheld, and the bank records the
 * calibration's uuid. A calibration the bank read from calibration.yaml
 * stays when it is newer than the database's. Nothing to do is no error. */
gboolean rs_calibration_apply_to_bank (RsStore *store, RsBank *bank, GError **error);

/* Scores every finished result again with the parameters in force in the
 * bank (EAP with the attempt's prior) when it was scored with another
 * calibration; the old values go to result_history, the new ones replace
 * them in results. *n_rescored (may be NULL) counts the results changed. */
gboolean rs_calibration_rescore (RsStore *store, const RsBank *bank, const RsPerson *viewer, int *n_rescored,
                                 GError **error);

/* Writes calibration.yaml for the questions folder: the parameters in
 * force (calibrated items, and flagged ones decided "use") and the withheld
 * ids, to the full precision of a double so anchors stay exact. Written
 * whole or not at all. */
gboolean rs_calibration_export (const RsCalibration *calibration, const char *path, GError **error);

G_END_DECLS
