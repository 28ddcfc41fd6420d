/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What to learn next: the catalogue of learning steps per subtopic.
 *
 * data/learning.yaml maps each subtopic of the bank ("python/async") to a
 * few concrete steps a person can take with no network: a named section of
 * the official documentation, a chapter of a well-known free textbook, an
 * exercise to do. The results page shows the steps for a person's weakest
 * subtopics and for the subtopics a role's next raise rests on; the team
 * report sums them into training needs. Like the bank and the roles it is
 * content a non-programmer edits, so every problem is file:line: message. */
#pragma once

#include "rs-bank.h"

G_BEGIN_DECLS

typedef enum {
  RS_LEARNING_DOCS,       /* a section of official documentation */
  RS_LEARNING_BOOK,       /* a chapter of a book */
  RS_LEARNING_EXERCISE,   /* something to do */
  RS_LEARNING_COURSE,     /* a lecture or course unit */
  RS_N_LEARNING_KINDS,
} RsLearningKind;

/* "docs", "book", "exercise", "course" */
const char *rs_learning_kind_id (RsLearningKind kind);

typedef struct {
  RsLearningKind kind;
  char *title;            /* "Coroutines and Tasks" */
  char *source;           /* "Python documentation, library reference: asyncio" */
  char *detail;           /* what to read or do, one or two sentences; may be NULL */
  int minutes;            /* rough time; 0 when not given */
  int line;               /* where it is defined */
} RsLearningStep;

typedef struct _RsLearningCatalog RsLearningCatalog;

/* Loads the catalogue. A file that cannot be read or parsed at all fails
 * with RS_ERROR_PARSE ("path:line: message"); problems with single entries
 * are kept as diagnostics and the rest still loads. */
RsLearningCatalog *rs_learning_catalog_load (const char *path, GError **error);
void rs_learning_catalog_free (RsLearningCatalog *catalog);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RsLearningCatalog, rs_learning_catalog_free)

/* Problems found while loading, as RsDiagnostic. */
const GPtrArray *rs_learning_catalog_diagnostics (const RsLearningCatalog *catalog);

/* The steps for a subtopic (RsLearningStep *), in the file's order; NULL
 * when the catalogue has none. */
const GPtrArray *rs_learning_catalog_steps (const RsLearningCatalog *catalog, RsSkill skill,
                                            const char *subtopic);

/* Checks the catalogue against the bank: every subtopic of the bank has at
 * least RS_LEARNING_MIN_STEPS steps, and every entry names a subtopic the
 * bank has. Returns new diagnostics (the catalogue's file and line, or the
 * bank's file for a missing entry). */
#define RS_LEARNING_MIN_STEPS 2
GPtrArray *rs_learning_catalog_check (const RsLearningCatalog *catalog, const RsBank *bank);

G_END_DECLS
