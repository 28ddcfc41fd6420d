/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One question of the bank, as loaded from YAML, and how an answer to it is
 * scored. Items are plain structs owned by their RsBank. */
#pragma once

#include <glib.h>

#include "rs-irt.h"
#include "rs-skill.h"

G_BEGIN_DECLS

#define RS_ITEM_MAX_OPTIONS 9

typedef enum {
  RS_ITEM_SINGLE,     /* one right option */
  RS_ITEM_MULTI,      /* several right options, partial credit */
  RS_ITEM_NUMERIC,    /* a typed number with tolerance tiers */
  RS_ITEM_SCENARIO,   /* situational judgement: a score per option */
} RsItemType;

typedef enum {
  RS_CHECK_UNSET,     /* item has no `check` field */
  RS_CHECK_OUTPUT,    /* run the code; stdout must equal the key */
  RS_CHECK_RAISES,    /* run the code; it must raise the keyed exception */
  RS_CHECK_NONE,      /* cannot be run; `unchecked` says why */
} RsCheck;

typedef struct {
  char *text;
  int score;          /* scenario: 0..2; single and multi: 1 when keyed */
  char *rationale;    /* scenario only, else NULL */
} RsOption;

typedef struct {
  char *id;
  RsSkill skill;
  char *subtopic;
  RsItemType type;
  int level;                          /* 1..5 */
  char *stem;
  char *code;                         /* NULL when none */
  int n_options;
  RsOption options[RS_ITEM_MAX_OPTIONS];
  double answer;                      /* numeric */
  double tolerance;                   /* numeric: full credit */
  double partial_tolerance;           /* numeric: half credit; 0 when none */
  char *unit;                         /* numeric, may be NULL */
  char *explanation;
  RsCheck check;
  char *unchecked;
  char *compute;                      /* code that prints the computed answer */
  char **related;                     /* NULL-terminated, may be NULL */
  guint32 reviewed;                   /* `reviewed:` date as a GDate Julian day; 0: none */
  gboolean irt_given;                 /* TRUE when `irt` was in the file */
  RsIrtParams irt;                    /* always set: given or from the level */
  char *file;                         /* where it was defined, for messages */
  int line;
} RsItem;

/* A person's answer to an item, in the form the store keeps it. */
typedef struct {
  guint32 chosen;                     /* single, multi, scenario: bit i = option i */
  gboolean has_number;                /* numeric: a number was typed */
  double number;
} RsAnswer;

/* The highest score an answer can get. */
int rs_item_max_score (const RsItem *item);

/* Scores an answer: 0..rs_item_max_score. */
int rs_item_score (const RsItem *item, const RsAnswer *answer);

/* The answer that gets full marks (used by `take --auto-answer correct`). */
void rs_item_best_answer (const RsItem *item, RsAnswer *answer);

/* An answer that earns exactly score, as a simulated person would give it:
 * a real option (or options, or a number) where one earns it, no answer
 * only where nothing else does. FALSE (answer then earns something else)
 * when no answer to this item earns that score, e.g. a scenario whose
 * options skip a score. */
gboolean rs_item_answer_for_score (const RsItem *item, int score, RsAnswer *answer);

/* Compact text form stored in the database and shown in reviews:
 * "B", "A,C", "0.25"; an empty string for no answer. */
char *rs_answer_to_string (const RsItem *item, const RsAnswer *answer);
gboolean rs_answer_parse (const RsItem *item, const char *text, RsAnswer *answer, GError **error);

/* "single", "multi", "numeric", "scenario" */
const char *rs_item_type_name (RsItemType type);

void rs_item_free (RsItem *item);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RsItem, rs_item_free)

G_END_DECLS
