/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Erasing a person everywhere (issue 14).
 *
 * rs_erasure_erase_person() removes one person and everything about them
 * from this database in one transaction: their attempts with answers,
 * results, self-estimates, priors and earlier scores; notice
 * confirmations; who looked at their results; team management; sign-in
 * failures of their number; the audit rows of their own doing (sign-ins,
 * confirmations) and their name or number in the others (rows an
 * administrator wrote about them keep the event and lose the person; rows
 * they wrote as an administrator keep what was done and lose who did it);
 * and their row of people. Deleted content is overwritten (the store runs
 * with PRAGMA secure_delete) and the write-ahead log is then cut to zero
 * (rs_store_wipe_log), so neither file keeps a byte of it.
 *
 * What stays is a tombstone, so that no import brings them back:
 *
 *   erasures         the erasure's UUID, the kiosk where it was made and
 *                    when, a keyed hash of the employee number, and the
 *                    number sealed (crypto_secretbox) for passing it on;
 *   erased_attempts  the erased attempts' UUIDs.
 *
 * Both keys are derived from this kiosk's signing key (rs_kiosk_key_derive),
 * which lives in DATABASE.key, not in the database: the database file alone
 * (a backup, a copy, its log) does not tell who was erased, not even by
 * trying every employee number, which a plain or salted hash of a short
 * number would. Whoever also has the key file can; they can sign results as
 * this kiosk too. The number is kept sealed, rather than only hashed,
 * because the erasure must travel on: every later results bundle carries
 * it (a signed unit of kind "erasure", rs-unit.h) so that every kiosk, and
 * an organization's server, erases the person too, and another kiosk can
 * find them only by their number. Attempt UUIDs are random and say
 * nothing once the attempts are gone.
 *
 * An import skips an attempt whose UUID a tombstone names, and an attempt
 * of an erased employee number that started before the erasure: a person
 * who returns later is a new start. */
#pragma once

#include "rs-store.h"
#include "rs-unit.h"

G_BEGIN_DECLS

typedef struct {
  char *uuid;                  /* the erasure's; NULL for a dry run */
  char *employee_no;           /* who, for the terminal that asked: never stored */
  char *name;
  guint n_attempts;
  guint n_answers;
  guint n_answers_anonymous;   /* kept for calibration with no link (retention only) */
  guint n_views;               /* who-looked rows about them */
  guint n_audit;               /* audit rows deleted or emptied of them */
  /* After a real erasure: FALSE when another program kept the
   * write-ahead log from being cleared (log_problem says what to do). */
  gboolean log_wiped;
  char *log_problem;
} RsErasureSummary;

void rs_erasure_summary_clear (RsErasureSummary *summary);
/* "Erased 1201 Ann Able: 3 attempts, 84 answers, 2 records of who looked, 5 audit rows." */
char *rs_erasure_summary_describe (const RsErasureSummary *summary, gboolean dry_run);

/* Erases the person with employee_no (see above); with dry_run only counts
 * what would go. viewer: an administrator, or rs_people_operator(). Refused
 * (RS_ERROR_INVALID) for the last active administrator who can sign in.
 * RS_ERROR_NOT_FOUND when there is no such person. */
gboolean rs_erasure_erase_person (RsStore *store, const RsPerson *viewer, const char *employee_no, gboolean dry_run,
                                  RsErasureSummary *summary, GError **error);

/* --- for rs-unit, rs-exchange and rs-retention: inside their write
 * transaction, under the store's lock --- */

typedef enum {
  RS_ERASURE_APPLIED,          /* new here: tombstone kept, the person erased if here */
  RS_ERASURE_KNOWN,            /* this erasure was applied here before */
  RS_ERASURE_LAST_ADMIN,       /* not applied: it would erase the last administrator here */
} RsErasureOutcome;

/* Applies an erasure unit (already checked): *n_people is 1 when the
 * person was here. received_from: the fingerprint of its signer. */
gboolean rs_erasure_apply_tx (RsStore *store, const RsPerson *viewer, const RsUnit *unit, const char *received_from,
                              RsErasureOutcome *outcome, guint *n_people, GError **error);
/* Whether a tombstone keeps this attempt out: its UUID was erased, or its
 * employee number (NULL: a guest) was erased after it started. */
gboolean rs_erasure_blocks_tx (RsStore *store, const char *attempt_uuid, const char *employee_no, gint64 started_at,
                               gboolean *blocked, GError **error);
/* The erasures this database passes on, as units signed with its key
 * (appended to units). An erasure whose sealed number this key cannot
 * open (the key file was replaced) is left out. */
gboolean rs_erasure_load_units_tx (RsStore *store, GPtrArray *units, GError **error);
/* Erases person_id as rs_erasure_erase_person does, without the last
 * administrator check. travels: the erasure is passed on in bundles (an
 * erasure someone asked for); FALSE for retention, which every kiosk runs
 * itself. keep_anonymous: their answers stay for calibration with no link. */
gboolean rs_erasure_erase_person_tx (RsStore *store, const RsPerson *viewer, gint64 person_id, gboolean travels,
                                     gboolean keep_anonymous, RsErasureSummary *summary, GError **error);
/* Deletes one attempt and everything of it; keep_anonymous first copies
 * its answers to anonymous_answers, one random pattern per skill, with
 * only the item, the skill and the score. Adds to *n_answers and
 * *n_anonymous. */
gboolean rs_erasure_delete_attempt_tx (RsStore *store, const char *uuid, gboolean keep_anonymous, guint *n_answers,
                                       guint *n_anonymous, GError **error);

G_END_DECLS
