/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One person's assessment from start to results: the CAT, the bank and the
 * store together. The GUI and `reskill take` both drive this object; neither
 * talks to the CAT or the store about answers directly.
 *
 * Durability: rs_assessment_submit() scores the answer, updates the
 * estimate, picks the next item and stores the answer together with that
 * next item in one durable commit before it returns. Resuming replays the
 * stored answers into a fresh CAT and puts back the item that was on screen. */
#pragma once

#include "rs-bank.h"
#include "rs-cat.h"
#include "rs-roles.h"
#include "rs-store.h"

G_BEGIN_DECLS

typedef struct _RsAssessment RsAssessment;

/* What a kiosk may set about its assessments. */
typedef struct {
  /* The exposure cap (RsCatConfig.exposure_cap): an item shown in at least
   * this share of the earlier attempts on its skill is held back while the
   * skill has others. 0: the engine's default (0.25); 1 or more: no cap.
   * The GUI reads it from the `exposure-cap` setting. */
  double exposure_cap;
  /* The new attempt's UUID; NULL: a random one. Only a reproducible study
   * (rs-study) gives its own, so that the answers come back from the store
   * in the same order on every run. */
  const char *uuid;
  /* A practice attempt (issue 14): only the person sees it; it stays out
   * of reports, exports and bundles until they share it
   * (rs_privacy_share_practice). Not for guests, who are anonymous anyway. */
  gboolean practice;
} RsAssessmentOptions;

void rs_assessment_options_init (RsAssessmentOptions *options);

/* Starts a new attempt for person_id (0 for a guest) over the given skills,
 * in that order. self_level may be NULL or hold RS_LEVEL_INVALID for skills
 * with no self-estimate. Items the person answered in the last 30 days (by
 * the store's clock) are not asked again while the bank has others; items
 * the bank withholds never. Fails with RS_ERROR_EMPTY_BANK when a chosen
 * skill has no items that may be asked. */
RsAssessment *rs_assessment_start (RsStore *store, const RsBank *bank, gint64 person_id,
                                   RsMode mode, const RsSkill *skills, int n_skills,
                                   const RsLevel *self_level, guint32 seed, GError **error);

/* The same with the kiosk's options (NULL: the defaults). */
RsAssessment *rs_assessment_start_full (RsStore *store, const RsBank *bank, gint64 person_id,
                                        RsMode mode, const RsSkill *skills, int n_skills,
                                        const RsLevel *self_level, guint32 seed,
                                        const RsAssessmentOptions *options, GError **error);

/* Continues a stored, unfinished attempt exactly where it stopped. */
RsAssessment *rs_assessment_resume (RsStore *store, const RsBank *bank, const char *uuid,
                                    GError **error);
/* The same with the kiosk's options as they are now (the uuid is ignored). */
RsAssessment *rs_assessment_resume_full (RsStore *store, const RsBank *bank, const char *uuid,
                                         const RsAssessmentOptions *options, GError **error);

void rs_assessment_free (RsAssessment *assessment);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RsAssessment, rs_assessment_free)

const char *rs_assessment_uuid (const RsAssessment *assessment);
const RsAttempt *rs_assessment_attempt (const RsAssessment *assessment);
const RsCat *rs_assessment_cat (const RsAssessment *assessment);

/* The question to show; NULL when the test is over. */
const RsItem *rs_assessment_current_item (RsAssessment *assessment);
/* The number the next answer will have (1 for the first). */
int rs_assessment_next_seq (const RsAssessment *assessment);

/* Scores and durably records an answer to the current item. On error nothing
 * changed: the same answer can be submitted again. *score (may be NULL)
 * receives the score. */
gboolean rs_assessment_submit (RsAssessment *assessment, const RsAnswer *answer,
                               int time_ms, int *score, GError **error);

gboolean rs_assessment_is_finished (const RsAssessment *assessment);

/* Writes the results (once every skill is done) and marks the attempt
 * finished. Idempotent. */
gboolean rs_assessment_finish (RsAssessment *assessment, GError **error);

/* Whether the attempt's estimate for skill rests on provisional items (any
 * answered item whose parameters are still the starting guesses, not a
 * calibration's): such an SE is shown as provisional. */
gboolean rs_assessment_se_provisional (const RsBank *bank, const RsAttempt *attempt, RsSkill skill);

/* The per-skill estimates so far, for the advisor. */
void rs_assessment_estimates (const RsAssessment *assessment, RsSkillEstimate estimates[RS_N_SKILLS]);

G_END_DECLS
