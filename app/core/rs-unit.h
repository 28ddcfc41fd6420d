/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Signed units: the pieces in which results travel between databases.
 *
 * A unit is one record with a kind and a version, serialized canonically
 * and signed (Ed25519, detached) with the key of the kiosk that sends it.
 * There are two kinds: an attempt with its answers, results and
 * self-estimates, and an erasure (issue 14: a person erased on some kiosk,
 * so that every other erases them too). Results bundles (rs-exchange) are
 * containers of such units, and anything else that moves results between
 * databases (a sync to an organization's server) carries the same units
 * and hands them to the same function, rs_units_import(), which checks
 * them against the receiving store and merges them. Another kind gets its
 * own kind name and version in the first line.
 *
 * The canonical serialization (what is signed), as bytes:
 *
 *   "reskill-unit\tattempt\t1\n"
 *   "attempt" uuid employee_no mode skills seed bank_version kiosk_id status
 *             started_at finished_at pending_item_id             "\n"
 *   "self" skill level                        one line per self-estimate,
 *                                             by skill id order (python,
 *                                             statistics, ml, empathy)
 *   "response" seq item_id skill answer score max_score theta se time_ms
 *              answered_at                    one line per answer, by seq
 *   "result" skill theta se n_items level     one line per result, in the
 *                                             attempt's test order
 *
 * An erasure:
 *
 *   "reskill-unit\terasure\t1\n"
 *   "erasure" uuid employee_no kiosk_id erased_at  "\n"
 *   "attempt" uuid                    one line per erased attempt, by UUID
 *
 * where uuid is the erasure's own, kiosk_id the kiosk where the person was
 * erased, and the attempts those erased there (and, once passed on, those
 * each kiosk on the way erased). The employee number travels in the clear,
 * as in attempt units: the kiosk that receives it must find the person.
 * What it keeps afterwards is a tombstone without the number (rs-erasure.h).
 *
 * Each value is preceded by a tab and encoded by type: NULL "N"; integer
 * "I" and its decimal digits; real "R" and the 16 lower-case hex digits of
 * its IEEE 754 bits (exact); text "T", its length in bytes, ":" and the
 * bytes. Skills and levels are their lower-case ids, status "finished" or
 * "in_progress", times unix microseconds; finished_at is NULL until
 * finished; employee_no is NULL for a guest. Everything the receiving
 * store would write is in it, so nothing unsigned can reach the store.
 *
 * What rs_units_import() refuses, for all the units given at once (then
 * nothing at all is written): a signature that does not verify (forged or
 * damaged); a signer that is not this kiosk and not trusted here, or
 * revoked (rs-trust.h); content that cannot be: non-finite numbers, an SE
 * of 0 or less, times before 2020 or later than now plus
 * RS_UNIT_CLOCK_SKEW_MINUTES, answers out of time order, more answers in a
 * skill than the mode allows, a finished attempt without a result per
 * skill; and answers or results that differ from what rs_attempt_rescore()
 * computes from the answers and the bank (unknown item ids included).
 *
 * What it skips and reports, merging the rest: attempts of employee
 * numbers unknown here, attempts scored with a question bank version this
 * kiosk does not have (their numbers cannot be checked, so they are not
 * taken on trust), and conflicts: an attempt this database holds that came
 * from another kiosk, or is not the same attempt (person, mode, skills,
 * seed, start, bank), or has other answers in the same places. Conflicts
 * are listed, never merged.
 *
 * Merging is idempotent, keyed by the attempt's UUID: absent here →
 * inserted; here, unfinished and the unit has more (or is finished) →
 * brought up to it; otherwise left as it is. Attempts are never deleted
 * by a merge, except by an erasure.
 *
 * Erasures are checked like attempts (signature, the signer trusted here;
 * content: UUIDs, a time not in the future, an employee number) and applied
 * before the attempts of the same import: the person with that employee
 * number is erased here as rs_erasure_erase_person() does, and a tombstone
 * is kept. Applied once per erasure UUID. An erasure that would remove
 * the last administrator here is skipped and reported. Attempts that a
 * tombstone names, or of an erased employee number that started before
 * the erasure, are skipped and reported, as are attempts older than this
 * kiosk keeps results (rs-retention.h): an import never brings back what
 * was erased or expired. */
#pragma once

#include "rs-bank.h"
#include "rs-kiosk-key.h"
#include "rs-store.h"

G_BEGIN_DECLS

#define RS_UNIT_FORMAT "reskill-unit"
#define RS_UNIT_ATTEMPT_VERSION 1
/* How far a unit's times may be ahead of the receiving kiosk's clock. */
#define RS_UNIT_CLOCK_SKEW_MINUTES 10
/* The canonical bytes of the longest attempt are far below this: a unit
 * from elsewhere that is larger is refused unread (rs_unit_parse). */
#define RS_UNIT_MAX_BYTES (4 * 1024 * 1024)
/* Nothing Reskill made is older: earlier times are made up. */
#define RS_UNIT_EARLIEST_TIME G_GINT64_CONSTANT (1577836800000000)   /* 2020-01-01 UTC */

#define RS_UNIT_ERASURE_VERSION 1
/* One erasure names at most this many attempts. */
#define RS_UNIT_MAX_ERASED_ATTEMPTS 100000

typedef enum {
  RS_UNIT_KIND_ATTEMPT = 1,
  RS_UNIT_KIND_ERASURE = 2,
} RsUnitKind;

typedef struct {
  char *uuid;                    /* the erasure's own */
  char *kiosk_id;                /* where the person was erased */
  gint64 erased_at;              /* unix µs */
  GPtrArray *attempts;           /* char *: the erased attempts' UUIDs, sorted */
} RsErasureRecord;

RsErasureRecord *rs_erasure_record_new (void);
void rs_erasure_record_free (RsErasureRecord *record);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RsErasureRecord, rs_erasure_record_free)

typedef struct {
  RsUnitKind kind;
  int version;
  RsAttempt *attempt;            /* RS_UNIT_KIND_ATTEMPT; person_id unused: people travel as numbers */
  RsErasureRecord *erasure;      /* RS_UNIT_KIND_ERASURE */
  char *employee_no;             /* the attempt's person (NULL: a guest), or the erased person */
  gboolean is_signed;
  guint8 signer[RS_KIOSK_KEY_PUBLIC_BYTES];
  guint8 signature[RS_KIOSK_KEY_SIGNATURE_BYTES];
} RsUnit;

/* Takes ownership of attempt. */
RsUnit *rs_unit_new_attempt (RsAttempt *attempt, const char *employee_no);
/* Takes ownership of erasure. */
RsUnit *rs_unit_new_erasure (RsErasureRecord *erasure, const char *employee_no);
/* The attempt's or the erasure's UUID, for messages. */
const char *rs_unit_uuid (const RsUnit *unit);
void rs_unit_free (RsUnit *unit);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RsUnit, rs_unit_free)

/* The canonical bytes described above. */
GBytes *rs_unit_serialize (const RsUnit *unit);
void rs_unit_sign (RsUnit *unit, const RsKioskKey *key);
gboolean rs_unit_signature_valid (const RsUnit *unit);

/* The canonical bytes back into an unsigned unit (set signer, signature
 * and is_signed to check it). Refused (RS_ERROR_INVALID, or
 * RS_ERROR_DB_TOO_NEW for a version this Reskill does not read): anything
 * that is not exactly what rs_unit_serialize writes for some attempt, or
 * larger than RS_UNIT_MAX_BYTES. For units that arrive from elsewhere (the
 * organization's server reads kiosks' units, attempts and erasures, with it). */
RsUnit *rs_unit_parse (const void *data, gsize length, GError **error);

/* One attempt of the store as a unit (unsigned), for export. */
RsUnit *rs_unit_load_attempt (RsStore *store, const char *uuid, GError **error);

typedef struct {
  char *signer_fingerprint;  /* of the units' signer (the first one's) */
  char *signer_name;         /* as trusted here; NULL: this kiosk, or no name */
  int attempts_added;
  int attempts_updated;
  int attempts_unchanged;    /* already here, as far along */
  int attempts_conflicting;
  int attempts_unknown;      /* skipped: their employee number is not here */
  int attempts_other_bank;   /* skipped: scored with a bank this kiosk does not have */
  int attempts_other_calibration;   /* skipped: scored with a calibration not in force here */
  int responses_added;
  int results_added;
  GPtrArray *unknown_employee_nos;   /* char *, sorted, distinct */
  GPtrArray *conflicts;              /* char *: "UUID: why", sorted */
  GPtrArray *missing_bank_versions;  /* char *, sorted, distinct */
  GPtrArray *missing_calibrations;   /* char *, sorted, distinct */
  /* Issue 14. */
  int erasures_applied;      /* erasures new here, tombstones kept */
  int erasures_known;        /* already here */
  int erasures_skipped;      /* not applied: they would erase the last administrator here */
  int people_erased;         /* people erased here by them */
  int attempts_erased;       /* skipped: of people erased (a tombstone) */
  int attempts_expired;      /* skipped: older than this kiosk keeps results */
} RsImportSummary;

void rs_import_summary_clear (RsImportSummary *summary);
/* "12 attempts added, 3 updated, 5 already here; 240 answers added", then,
 * when there are any, sentences about unknown numbers, other banks and
 * conflicts. */
char *rs_import_summary_describe (const RsImportSummary *summary);

typedef struct {
  /* The question banks this kiosk has, to recompute with (by version). */
  const RsBank *const *banks;
  guint n_banks;
  gint64 now;                /* unix µs; 0: the store's clock */
  const char *source;        /* what the units came in, for messages and the audit log */
} RsUnitCheck;

/* The pieces of the check, for a receiver that is not an RsStore (the
 * organization's server). rs_units_import runs them in this order.
 *
 * rs_unit_check_signed_content: the kind and version, the signature, and
 * the content rules above (needs nothing but the unit and the time). */
gboolean rs_unit_check_signed_content (const RsUnitCheck *check, const RsUnit *unit, gint64 now, GError **error);
/* The calibration the unit's results claim ("" for the bank's own
 * parameters), or NULL when it has no results. */
const char *rs_unit_claimed_calibration (const RsUnit *unit);
/* Recomputes the unit with bank (which must be its version, with the
 * calibration it claims in force) and compares; *mismatch (may be NULL)
 * is TRUE when the only fault is numbers that differ from what the answers
 * give, as they would under other item parameters. */
gboolean rs_unit_check_numbers (const RsUnitCheck *check, const RsUnit *unit, const RsBank *bank, gboolean *mismatch,
                                GError **error);

typedef enum {
  RS_UNIT_OK,
  RS_UNIT_OTHER_BANK,           /* skipped: its bank is not here */
  RS_UNIT_OTHER_CALIBRATION,    /* skipped: scored with a calibration not in force here */
} RsUnitVerdict;

/* All of it against check->banks: FALSE (and an error) when the unit is
 * refused, else TRUE with what to do in *verdict. */
gboolean rs_unit_check (const RsUnitCheck *check, const RsUnit *unit, gint64 now, RsUnitVerdict *verdict,
                        GError **error);

/* The merge rule, for any receiver: what to do with a unit whose attempt
 * is already held, as it is held. */
typedef struct {
  int seq;
  const char *item_id;
  const char *answer;
  int score;
  gint64 answered_at;
} RsUnitHeldAnswer;

typedef struct {
  const char *kiosk_id;
  gboolean same_person;            /* the held copy's person is the unit's (guests: both none) */
  const char *mode;                /* as stored: "quick", ... */
  const char *skills;              /* "python,ml": rs_unit_skills_text */
  guint32 seed;
  gint64 started_at;
  const char *bank_version;
  gboolean finished;
  const RsUnitHeldAnswer *answers; /* the held answers, by seq */
  guint n_answers;
} RsUnitHeld;

typedef enum {
  RS_UNIT_MERGE_EXTEND,      /* add the unit's answers after the n_answers held; then its results and
                              * finish, or its pending item when unfinished */
  RS_UNIT_MERGE_UNCHANGED,   /* the held copy is as far along */
  RS_UNIT_MERGE_CONFLICT,    /* *why says why (g_free it); never merged */
} RsUnitMergeAction;

RsUnitMergeAction rs_unit_merge_decide (const RsUnit *unit, const RsUnitHeld *held, char **why);
/* "python,statistics": the skills in test order, as stored. */
char *rs_unit_skills_text (const RsAttempt *attempt);

/* Checks every unit (signature, signer's trust, content, recomputation),
 * then merges them all in one transaction, with a row in the audit log.
 * Any refusal: FALSE, "SOURCE: ... Nothing was imported.", nothing written.
 * viewer NULL is the operator at the terminal; else an administrator. */
gboolean rs_units_import (RsStore *store, const RsPerson *viewer, const RsUnitCheck *check, GPtrArray *units,
                          RsImportSummary *summary, GError **error);

G_END_DECLS
