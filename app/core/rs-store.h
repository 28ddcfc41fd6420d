/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Everything Reskill keeps, in one SQLite database.
 *
 * WAL mode, foreign keys on, synchronous=FULL, a busy timeout; the schema
 * version lives in PRAGMA user_version and is migrated forward, every step in
 * one transaction, so that a failed upgrade leaves the file as it was. A
 * database that is corrupt, read-only, locked or newer than this program is
 * reported (RS_ERROR_DB_*) and never written.
 * Every statement is prepared with bound parameters. PINs and passwords are
 * stored only as libsodium argon2id hashes (crypto_pwhash_str). Attempts are
 * keyed by UUID so that databases from several kiosks merge cleanly.
 *
 * For tests only: RESKILL_FAST_KDF=1 hashes with libsodium's minimum cost,
 * but only in programs that link app/rs-fast-kdf.c (the tests, reskill-test,
 * the benchmark; never the installed reskill); RESKILL_BUSY_TIMEOUT_MS
 * shortens the 5 s wait for another process's lock. */
#pragma once

#include <glib.h>

#include "rs-cat.h"
#include "rs-scoring.h"
#include "rs-skill.h"

G_BEGIN_DECLS

#define RS_STORE_SCHEMA_VERSION 10

/* Wrong PINs in a row before a number locks, and the first lock. Each lock
 * needs a fresh series of RS_STORE_MAX_FAILED_PINS wrong tries after the
 * last one ended (a stranger's single guess cannot renew it); locks in a
 * row double, up to the maximum, and are forgotten
 * RS_STORE_FAILURE_MEMORY_HOURS after the last wrong try. Tries during a
 * lock are refused unchecked and do not count. `reskill unlock` lifts a
 * lock at the terminal. */
#define RS_STORE_MAX_FAILED_PINS 5
#define RS_STORE_LOCK_SECONDS 60
#define RS_STORE_MAX_LOCK_SECONDS 900
#define RS_STORE_FAILURE_MEMORY_HOURS 24
/* Wrong tries with numbers nobody has are remembered for this many numbers. */
#define RS_STORE_MAX_UNKNOWN_FAILURES 500
/* A set-up code (rs_store_create_setup_code) lasts this long and takes this
 * many wrong tries. */
#define RS_STORE_SETUP_CODE_MINUTES 60
#define RS_STORE_MAX_SETUP_CODE_TRIES 5
/* Shorter PINs and passwords are refused. */
#define RS_STORE_MIN_SECRET_LENGTH 4

typedef enum {
  RS_PERSON_EMPLOYEE,
  RS_PERSON_MANAGER,
  RS_PERSON_ADMIN,
} RsPersonRole;

const char *rs_person_role_id (RsPersonRole role);      /* "employee", "manager", "admin" */
gboolean rs_person_role_from_id (const char *id, RsPersonRole *role);

typedef struct {
  gint64 id;
  char *employee_no;
  char *name;
  gint64 team_id;          /* 0: no team */
  char *team_name;         /* NULL: no team */
  RsPersonRole role;
  gboolean active;
} RsPerson;

void rs_person_free (RsPerson *person);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RsPerson, rs_person_free)

typedef enum {
  RS_ATTEMPT_IN_PROGRESS,  /* answering, paused or interrupted: resumable */
  RS_ATTEMPT_FINISHED,
} RsAttemptStatus;

typedef struct {
  int seq;                 /* 1, 2, ... in the order answered */
  char *item_id;
  RsSkill skill;
  char *answer;            /* rs_answer_to_string() form */
  int score;
  int max_score;
  double theta;            /* the skill's estimate after this answer */
  double se;
  int time_ms;             /* time the question was on screen */
  gint64 answered_at;      /* unix time, microseconds */
  gboolean unscored;       /* a pretest item: kept for calibration, never part of the score */
} RsResponse;

/* A calibration's UUID, with its NUL. */
#define RS_CALIBRATION_ID_SIZE 37

typedef struct {
  RsSkill skill;
  double theta;
  double se;
  int n_items;
  RsLevel level;
  /* The calibration the result was scored with (rs_bank_calibration at the
   * time; "" for the bank's own parameters), and whether the SE rests on
   * provisional items, whose parameters are still the starting guesses. */
  char calibration[RS_CALIBRATION_ID_SIZE];
  gboolean se_provisional;
  /* The posterior probability of each level, as the result was decided;
   * FALSE for results stored before they were kept (or imported without
   * them): then rs_skill_score_init() approximates from θ and SE. */
  gboolean has_level_probability;
  double level_probability[RS_N_LEVELS];
} RsSkillResult;

typedef struct {
  char *uuid;
  gint64 person_id;        /* 0: guest, anonymous */
  RsMode mode;
  int n_skills;
  RsSkill skills[RS_N_SKILLS];          /* in test order */
  RsLevel self_level[RS_N_SKILLS];      /* the person's own guess; RS_LEVEL_INVALID: none */
  guint32 seed;
  char *bank_version;
  char *kiosk_id;
  RsAttemptStatus status;
  gint64 started_at;       /* unix time, microseconds */
  gint64 finished_at;      /* 0 while in progress */
  char *pending_item_id;   /* the item on screen when last saved; may be NULL */
  gboolean pending_unscored; /* ... and it is a pretest item */
  /* The prior each skill was measured with (by RsSkill); sd 0: the
   * population prior N(0, 1), as for attempts from before priors were kept. */
  double prior_mean[RS_N_SKILLS];
  double prior_sd[RS_N_SKILLS];
  GArray *responses;       /* RsResponse, by seq */
  GArray *results;         /* RsSkillResult; empty until finished */
  /* A practice attempt: only the person sees it (docs/PRIVACY.md). It is
   * left out of every report, export and bundle until they share it, when
   * it becomes an ordinary attempt and shared_at (unix µs) says when. */
  gboolean practice;
  gint64 shared_at;        /* 0: never shared (or never practice) */
} RsAttempt;

RsAttempt *rs_attempt_new (void);
void rs_attempt_free (RsAttempt *attempt);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RsAttempt, rs_attempt_free)

typedef struct _RsStore RsStore;

typedef enum {
  RS_STORE_OPEN_DEFAULT = 0,
  /* Reads only (reports on a database on a read-only disk or owned by
   * someone else): never migrated, never written, no key made. */
  RS_STORE_OPEN_READ_ONLY = 1 << 0,
  /* Reads every page before anything else (see rs_store_check_integrity). */
  RS_STORE_OPEN_FULL_CHECK = 1 << 1,
} RsStoreOpenFlags;

/* How often the application runs the full check at start. */
#define RS_STORE_CHECK_INTERVAL_DAYS 7

/* Opens or creates the database (mode 0600), migrates it forward, and
 * loads the kiosk's signing key from DATABASE.key, made there when missing
 * (rs-kiosk-key.h). ":memory:" gives a private in-memory database with a
 * key in memory, for tests. Opening checks what is cheap (header, schema,
 * schema version, the last full check's verdict); see check_file(). */
RsStore *rs_store_open (const char *path, GError **error);
RsStore *rs_store_open_full (const char *path, RsStoreOpenFlags flags, GError **error);
void rs_store_close (RsStore *store);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RsStore, rs_store_close)

int rs_store_schema_version (RsStore *store);
const char *rs_store_path (RsStore *store);
gboolean rs_store_is_read_only (RsStore *store);

/* The full check: reads every page (PRAGMA quick_check). Returns FALSE only
 * when the check could not run; *problem is NULL when the file is sound,
 * else what was found. The verdict is kept in the database: while it says
 * damaged, opening refuses the file. */
gboolean rs_store_check_integrity (RsStore *store, char **problem, GError **error);
/* Keeps the verdict of a full check made on another connection (the
 * application's weekly one, on a worker thread); problem NULL: sound. */
gboolean rs_store_record_integrity (RsStore *store, const char *problem, GError **error);
/* The last full check is older than RS_STORE_CHECK_INTERVAL_DAYS (or never ran). */
gboolean rs_store_integrity_check_due (RsStore *store);

/* The kiosk's signing key; NULL (FALSE) only for a read-only database
 * without its key file. */
typedef struct _RsKioskKey RsKioskKey;
gboolean rs_store_has_key (RsStore *store);
const guint8 *rs_store_public_key (RsStore *store);      /* 32 bytes */
const char *rs_store_key_fingerprint (RsStore *store);
const RsKioskKey *rs_store_kiosk_key (RsStore *store);
/* A UUID made when the database was created: which kiosk results come from. */
const char *rs_store_kiosk_id (RsStore *store);

/* --- people and teams --- */
gboolean rs_store_ensure_team (RsStore *store, const char *name, gint64 *team_id, GError **error);
/* team may be NULL or "" (no team) and is created when new; secret (PIN or
 * password) may be NULL: the person cannot sign in until one is set. Fails
 * with RS_ERROR_INVALID on a duplicate employee number or a secret shorter
 * than RS_STORE_MIN_SECRET_LENGTH. */
gboolean rs_store_add_person (RsStore *store, const char *employee_no, const char *name,
                              const char *team, RsPersonRole role, const char *secret,
                              gint64 *person_id, GError **error);
/* A NULL secret removes it. A new secret also lifts a sign-in lock. */
gboolean rs_store_set_secret (RsStore *store, gint64 person_id, const char *secret, GError **error);
/* The person must be a manager or an admin (else RS_ERROR_INVALID). */
gboolean rs_store_set_team_manager (RsStore *store, gint64 team_id, gint64 manager_id, GError **error);
/* An active admin who can sign in exists. TRUE when the database cannot be
 * read: a read error must never open the first-run page that creates one. */
gboolean rs_store_has_admin (RsStore *store);
/* Whether the first-run page may create the first administrator:
 * NONE when an active admin who can sign in exists (or the database cannot
 * be read); OPEN on a database with no people at all; CODE when there are
 * people but no admin and a set-up code made at the terminal is pending
 * (it is typed on the page); otherwise NONE: a walk-up person at a kiosk
 * whose people were imported without an admin cannot make themselves one. */
typedef enum {
  RS_FIRST_RUN_NONE,
  RS_FIRST_RUN_OPEN,
  RS_FIRST_RUN_CODE,
} RsFirstRun;
RsFirstRun rs_store_first_run (RsStore *store);
/* A one-time set-up code, "1234-5678", for `reskill setup-code` to print at
 * the terminal; valid RS_STORE_SETUP_CODE_MINUTES, kept only as a hash. */
gboolean rs_store_create_setup_code (RsStore *store, char **code, GError **error);
/* Creates the first administrator, checking in the same transaction that
 * the database has no admin, and either no people or the pending set-up
 * code (setup_code; may be NULL on an empty database). Refusals:
 * RS_ERROR_DENIED (not allowed now), RS_ERROR_AUTH (wrong code; after
 * RS_STORE_MAX_SETUP_CODE_TRIES the code is void). */
gboolean rs_store_create_first_admin (RsStore *store, const char *employee_no, const char *name,
                                      const char *secret, const char *setup_code, gint64 *person_id,
                                      GError **error);
/* Lifts a sign-in lock on a number and forgets its wrong tries (audited).
 * *was_locked (may be NULL): a lock was in force. */
gboolean rs_store_unlock (RsStore *store, const char *employee_no, gboolean *was_locked, GError **error);

/* Both fail with RS_ERROR_NOT_FOUND when there is no such person. */
RsPerson *rs_store_get_person (RsStore *store, gint64 person_id, GError **error);

/* One-time PINs (schema 10): a PIN an administrator made, which the person
 * must change at their first sign-in before doing anything else. Adding,
 * importing and resetting in rs-people set the flag; rs_store_set_secret
 * (also the rehash at sign-in) leaves it as it is. */
gboolean rs_store_set_pin_one_time (RsStore *store, gint64 person_id, gboolean one_time, GError **error);
gboolean rs_store_pin_is_one_time (RsStore *store, gint64 person_id, gboolean *one_time, GError **error);
/* The person's own change: current must be right (RS_ERROR_AUTH), or NULL
 * while the PIN is one-time (just used to sign in); the new PIN must
 * differ from the current one (RS_ERROR_INVALID) and be long enough. Clears
 * the one-time flag and any wrong tries, and is audited ("pin-changed"). */
gboolean rs_store_change_pin (RsStore *store, gint64 person_id, const char *current, const char *new_pin,
                              GError **error);
RsPerson *rs_store_find_person (RsStore *store, const char *employee_no, GError **error);

/* Checks the secret. Wrong: RS_ERROR_AUTH (the message says how many tries
 * are left). Too many wrong: RS_ERROR_LOCKED_OUT, and *retry_after_seconds
 * (may be NULL) says for how long. Failures are counted per number typed, so
 * an unknown number gets the same messages, the same lock and about the same
 * hashing time as a real one: the kiosk does not reveal who exists. Inactive
 * people cannot sign in: RS_ERROR_DENIED, said only after a right secret.
 * Success resets the counter and is written to the audit log, as are
 * failures. */
RsPerson *rs_store_authenticate (RsStore *store, const char *employee_no, const char *secret,
                                 int *retry_after_seconds, GError **error);
/* The same, where only people of min_role or above may pass (leaving kiosk
 * mode: RS_PERSON_ADMIN). The right secret of anyone else, or of an
 * inactive person, is refused exactly as a wrong one: the same
 * RS_ERROR_AUTH message, counted towards the same lockout (and audited as
 * what it was), so the answer never tells that a number and a PIN are
 * valid. */
RsPerson *rs_store_authenticate_role (RsStore *store, const char *employee_no, const char *secret,
                                      RsPersonRole min_role, int *retry_after_seconds, GError **error);

/* Appends to the audit log (sign-ins, exports, kiosk exits). */
gboolean rs_store_audit (RsStore *store, gint64 person_id, const char *event,
                         const char *detail, GError **error);

/* --- attempts --- */

/* Inserts attempt (status in progress); fills in attempt->uuid, kiosk_id and
 * started_at when they are unset. */
gboolean rs_store_begin_attempt (RsStore *store, RsAttempt *attempt, GError **error);

/* Appends one answer and, in the same transaction, the item that will be
 * shown next (may be NULL). Returns only once the commit is durable
 * (synchronous=FULL). response->seq must be the next number in sequence:
 * anything else is refused with RS_ERROR_INVALID and nothing is written, as
 * is an answer to a finished attempt. No such attempt: RS_ERROR_NOT_FOUND. */
gboolean rs_store_record_answer (RsStore *store, const char *uuid, const RsResponse *response,
                                 const char *next_item_id, GError **error);
/* The same, saying whether the next item is a pretest item. */
gboolean rs_store_record_answer_full (RsStore *store, const char *uuid, const RsResponse *response,
                                      const char *next_item_id, gboolean next_unscored, GError **error);
gboolean rs_store_set_pending_item (RsStore *store, const char *uuid, const char *item_id,
                                    GError **error);
/* Writes the per-skill results and marks the attempt finished, atomically. */
gboolean rs_store_finish_attempt (RsStore *store, const char *uuid,
                                  const RsSkillResult *results, int n_results, GError **error);

/* The attempt with its responses and results. */
RsAttempt *rs_store_load_attempt (RsStore *store, const char *uuid, GError **error);
/* The person's latest unfinished attempt, or NULL (no error) when none.
 * Guests (person 0) have none: they resume only by UUID. */
char *rs_store_find_resumable (RsStore *store, gint64 person_id, GError **error);
/* Marks an unfinished attempt abandoned: it is kept (its answers count for
 * the item statistics) but no longer offered for resuming. Starting a new
 * assessment abandons the person's earlier unfinished ones. */
gboolean rs_store_abandon_attempt (RsStore *store, const char *uuid, GError **error);
/* The person's finished attempts, oldest first, with results (no responses). */
GPtrArray *rs_store_list_finished (RsStore *store, gint64 person_id, GError **error);
/* Ids of items the person answered since a time (unix µs): not asked again. */
GHashTable *rs_store_recent_item_ids (RsStore *store, gint64 person_id, gint64 since,
                                      GError **error);

/* How often each item was shown (scored or pretest) and how many attempts
 * asked anything of each skill, over every stored attempt: running totals
 * kept by a trigger on every answer inserted, so this reads a few hundred
 * rows whatever the number of answers. For the exposure cap and pretest
 * seeding. */
RsItemUsage *rs_store_item_usage (RsStore *store, GError **error);

/* Copies the write-ahead log into the database file. Called between
 * assessments (rs_assessment_finish does), so that no answer's commit pays
 * for a checkpoint; the automatic one only steps in when the log is large. */
gboolean rs_store_checkpoint (RsStore *store, GError **error);

/* Copies the write-ahead log into the database file and cuts it to zero
 * bytes (checkpoint TRUNCATE), so that old copies of deleted rows are gone
 * from the log file too; with PRAGMA secure_delete, which every writable
 * store turns on, deleted content is then gone from both files. Called
 * after an erasure and a retention run. RS_ERROR_DB_LOCKED when another
 * connection keeps it from finishing. */
gboolean rs_store_wipe_log (RsStore *store, GError **error);

/* TRUE when PINs are hashed at the minimum cost: a test build with
 * RESKILL_FAST_KDF=1 (see above). */
gboolean rs_store_fast_kdf (void);

/* The underlying handle, for tests and benchmarks only. */
struct sqlite3 *rs_store_get_db (RsStore *store);

/* Replaces the clock (unix µs) behind every timestamp and sign-in lock, so
 * that tests can step over a lock instantly and the demo seeding can write a
 * year of history; NULL restores the real one. Process-wide. */
void rs_store_set_clock (gint64 (*now_us) (void));

G_END_DECLS
