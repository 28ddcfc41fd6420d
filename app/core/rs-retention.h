/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Retention (issue 14): how long results and people are kept, under the
 * privacy policy in force (rs-privacy.h).
 *
 * One run, in one transaction:
 *
 * - every attempt older than keep_results_months is deleted with its
 *   answers, results, self-estimates and earlier scores; where the policy
 *   keeps anonymous answers, its answers are first copied, per skill,
 *   with only the item, the skill and the score, under a random key
 *   (rs_erasure_delete_attempt_tx), for calibration. Practice attempts
 *   and guests' are no different. An attempt's age counts from when it
 *   finished, or, unfinished, from its last answer or its start;
 * - every person deactivated longer than keep_inactive_months is erased
 *   as rs_erasure_erase_person() does, with a tombstone kept here (not
 *   passed on: every kiosk runs its own retention on its own people);
 * - records of who looked, and audit rows, older than keep_results_months
 *   are deleted;
 * - one audit row says what was done, in counts, with no name or number.
 *
 * Then the write-ahead log is cut to zero (rs_store_wipe_log). Imports
 * skip attempts older than the period (rs_units_import), so a kiosk that
 * keeps results longer cannot bring them back.
 *
 * The application runs it at start when the last run is a day old or more
 * (rs_retention_run_if_due); `reskill retention` runs it at the terminal. */
#pragma once

#include "rs-store.h"

G_BEGIN_DECLS

/* The application runs retention at most this often. */
#define RS_RETENTION_INTERVAL_HOURS 24

typedef struct {
  gboolean dry_run;
  gint64 results_before;        /* unix µs: results that ended before this expire */
  gint64 inactive_before;       /* people deactivated before this are erased */
  guint n_attempts;             /* expired attempts */
  guint n_answers;              /* their answers */
  guint n_answers_anonymous;    /* of those, kept for calibration with no link */
  guint n_people;               /* people erased after their deactivation */
  guint n_people_attempts;      /* their attempts */
  guint n_people_answers;
  guint n_views;                /* expired records of who looked */
  guint n_audit;                /* expired audit rows */
  /* The people erased (or, in a dry run, to be erased), "EMPLOYEE_NO NAME,
   * deactivated on DATE", for the administrator at the terminal only:
   * never written anywhere. */
  GPtrArray *people;
  gboolean log_wiped;           /* after a real run; see rs_erasure_summary */
  char *log_problem;
} RsRetentionReport;

void rs_retention_report_clear (RsRetentionReport *report);
/* Several lines, in words. */
char *rs_retention_report_describe (const RsRetentionReport *report);

/* Runs (or, with dry_run, only counts) retention at the store's clock.
 * viewer: an administrator, rs_people_operator(), or NULL for the
 * application's own schedule. */
gboolean rs_retention_run (RsStore *store, const RsPerson *viewer, gboolean dry_run, RsRetentionReport *report,
                           GError **error);

/* Whether the last run is RS_RETENTION_INTERVAL_HOURS old, or there was
 * none. TRUE when it cannot be read. */
gboolean rs_retention_due (RsStore *store);
/* What the application calls at start (on a worker thread if it likes):
 * runs retention when due, else nothing. *ran (may be NULL) says which;
 * report may be NULL. */
gboolean rs_retention_run_if_due (RsStore *store, gboolean *ran, RsRetentionReport *report, GError **error);

/* The time an attempt's age counts from (see above). */
gint64 rs_retention_attempt_time (const RsAttempt *attempt);
/* Under the store's lock, inside a transaction: the cutoffs of the policy
 * in force at now. */
gboolean rs_retention_cutoffs_tx (RsStore *store, gint64 now, gint64 *results_before, gint64 *inactive_before,
                                  GError **error);

G_END_DECLS
