/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Strengths and gaps by subtopic within one attempt.
 *
 * A raw percentage per subtopic misleads in an adaptive test: stronger
 * answers bring harder questions, so a strong person scores about as often
 * as a weak one. Instead each answer is compared with what the person's final
 * estimate in that skill predicts for that item (E[score | θ̂]); a subtopic
 * is a strength when its answers beat the prediction by more than their
 * standard error, a gap when they fall short by as much. With a handful of
 * items per subtopic most subtopics are, honestly, "as expected". */
#pragma once

#include "rs-bank.h"
#include "rs-store.h"

G_BEGIN_DECLS

typedef enum {
  RS_TOPIC_AS_EXPECTED,
  RS_TOPIC_STRENGTH,
  RS_TOPIC_GAP,
  RS_TOPIC_TOO_FEW,        /* fewer than RS_TOPIC_MIN_ANSWERS answers: no verdict */
} RsTopicVerdict;

/* Answers a subtopic needs before it is called a strength or a gap. With
 * one or two answers the residual's standard error is about as large as
 * any residual can be (a single 2PL item: at most ±1 point against an SE
 * of about 0.5), so one lucky or unlucky answer crossed it: a run with 20
 * subtopics called 8 of them from a single question. Three answers is the
 * fewest where a verdict needs more than one answer going the same way,
 * and a Standard assessment still reaches it for the subtopics it dwells
 * on; fewer is said as "too few answers to judge". */
#define RS_TOPIC_MIN_ANSWERS 3

typedef struct {
  RsSkill skill;
  const char *subtopic;    /* owned by the bank */
  int n_items;
  int score;               /* points scored */
  int max_score;           /* points possible */
  double residual;         /* Σ (score − expected), in points */
  double residual_se;      /* its standard error under the model */
  RsTopicVerdict verdict;
} RsTopicSummary;

/* One entry per (skill, subtopic) answered in the attempt, gaps first, then
 * strengths, then the rest, then those with too few answers; responses to items no longer in the bank are
 * left out. The skill's θ̂ is the last estimate stored with its answers. */
GArray *rs_topic_summary (const RsAttempt *attempt, const RsBank *bank);

G_END_DECLS
