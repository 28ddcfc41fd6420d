/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What one person should learn next, from one result: the learning
 * catalogue's steps (rs-learning) for their weakest subtopics and for the
 * subtopics the raises toward their next role rest on. The results page
 * shows it; the choice lives here, GTK-free, so that it is tested without a
 * window and the command line could say the same. */
#pragma once

#include "rs-learning.h"
#include "rs-roles.h"
#include "rs-topics.h"

G_BEGIN_DECLS

typedef enum {
  RS_PLAN_WEAK,          /* answered below what the level predicts */
  RS_PLAN_ROLE,          /* a focus subtopic of a raise the next role wants */
} RsPlanReason;

typedef struct {
  RsSkill skill;
  const char *subtopic;      /* owned by the topics' bank or the role set */
  RsPlanReason reason;
  int n_answers;             /* RS_PLAN_WEAK: the answers behind it; else 0 */
  RsLevel from, to;          /* RS_PLAN_ROLE: the raise; else RS_LEVEL_INVALID */
  const GPtrArray *steps;    /* RsLearningStep *, owned by the catalogue; never NULL */
} RsPlanEntry;

/* At most this many weak subtopics: more reads as a list of faults. */
#define RS_PLAN_MAX_WEAK 3

/* topics: rs_topic_summary of the attempt (may be NULL); advice: rs_advise
 * for it (may be NULL). Weak subtopics come first: the gaps, then the
 * subtopics below their prediction without being a gap, the furthest
 * below first, only with RS_TOPIC_MIN_ANSWERS answers or more, at most
 * RS_PLAN_MAX_WEAK; then each focus subtopic of each raise toward the next
 * role, once. Subtopics the catalogue has no steps for are left out. At
 * most max_entries entries. */
GArray *rs_learning_plan (const RsLearningCatalog *catalog, const GArray *topics, const RsAdvice *advice,
                          guint max_entries);

G_END_DECLS
