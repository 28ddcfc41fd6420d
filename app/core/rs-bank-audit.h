/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The bank's blueprint rules: what makes a set of valid items a good test.
 * Each skill needs enough items, spread over subtopics and levels; right
 * answers must not pile up in one position; no two items may be near
 * copies; every subtopic has a title people can read; items on fast-moving practice must have been reviewed within a
 * year. `reskill validate` prints these as warnings (errors with
 * --strict); the bank's own test requires none. */
#pragma once

#include "rs-bank.h"

G_BEGIN_DECLS

#define RS_AUDIT_MIN_ITEMS_PER_SKILL 80
#define RS_AUDIT_MIN_SUBTOPICS 8
#define RS_AUDIT_MIN_SUBTOPIC_ITEMS 5
#define RS_AUDIT_MIN_LEVEL_SHARE 0.10
#define RS_AUDIT_MAX_KEY_SHARE 0.40
/* Jaccard similarity of word pairs in stem + code at which two items count
 * as near-duplicates. */
#define RS_AUDIT_NEAR_DUPLICATE 0.80
/* An item on fast-moving practice whose `reviewed:` date is older than this
 * is listed for another look. */
#define RS_AUDIT_REVIEW_MAX_DAYS 365

/* The problems found, as RsDiagnostic (file and line where one item is at
 * fault; the skill's folder and line 0 for a skill-wide problem). */
GPtrArray *rs_bank_audit (const RsBank *bank);

/* |a ∩ b| / |a ∪ b| of two sets of strings; 0 when both are empty. */
double rs_jaccard (GHashTable *a, GHashTable *b);

/* Similarity of two items' stem and code, 0..1; exposed for the tests. */
double rs_bank_audit_similarity (const RsItem *a, const RsItem *b);

G_END_DECLS
