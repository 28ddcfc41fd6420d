/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Offline result exchange between kiosks (issue 6). Kiosks have no network,
 * so results travel on a USB stick as a "results bundle": a small,
 * self-contained SQLite file that one kiosk exports and others import.
 *
 * What is exported ("made on this kiosk"): the attempts whose kiosk_id is
 * this database's kiosk id, with their responses, results and
 * self-estimates. Attempts imported from other kiosks keep their origin
 * kiosk id and are not exported again, so bundles do not snowball as they go
 * round; all_kiosks exports every attempt (to carry everything one kiosk
 * knows to a new one). An attempt begun on kiosk A, imported into B and
 * continued there still belongs to A: it travels back from B only with
 * all_kiosks.
 *
 * since (unix µs, 0 for everything) keeps the attempts started, finished or
 * answered at or after that time: an attempt continued since the last export
 * goes again, with all its answers, and the importer brings its copy up to
 * date. The export takes the database's write lock while it reads, so every
 * answer and finish stamped before created_at is in the bundle and every
 * later one carries a later time: created_at is the exact --since of the
 * next export. (An attempt begun during the export with no answer yet may
 * miss both; it travels with its first answer.)
 *
 * The bundle (format "reskill-results", version 2) holds these tables:
 *
 *   bundle          one row: format, format_version, kiosk_id (of the
 *                   exporting database), created_at, since (NULL: all),
 *                   all_kiosks (0/1), bank_versions (the attempts' distinct
 *                   question-bank versions, sorted, joined by ","), program,
 *                   n_attempts, n_responses, n_results, n_self_estimates,
 *                   content_sha256
 *   attempts        uuid, employee_no (NULL for guests), mode, skills,
 *                   seed, bank_version, kiosk_id, status, started_at,
 *                   finished_at, pending_item_id, pending_scored (v2)
 *   responses       attempt_uuid, seq, item_id, skill, answer, score,
 *                   max_score, theta, se, time_ms, answered_at, scored (v2:
 *                   0 for a pretest answer)
 *   results         attempt_uuid, skill, theta, se, n_items, level,
 *                   p_novice .. p_expert (v2; NULL when not kept)
 *   self_estimates  attempt_uuid, skill, level
 *
 * Times are unix microseconds, as in the main database; people travel as
 * employee numbers, never as row ids, which differ between kiosks.
 *
 * content_sha256 is the lower-case hex SHA-256 of a canonical serialization,
 * so that the same content always gives the same hash, whatever the file's
 * page layout:
 *
 *   "reskill-results 1\n", then one line per row: first the bundle row
 *   (every column above but content_sha256, in that order), then attempts
 *   ORDER BY uuid, responses ORDER BY attempt_uuid, seq, results and
 *   self_estimates ORDER BY attempt_uuid, skill, each with its columns in
 *   the order listed. A line is the table name, then for each value a tab
 *   and its encoding, then "\n". Encodings: NULL "N"; integer "I" and its
 *   decimal digits; real "R" and the 16 lower-case hex digits of its
 *   IEEE 754 bits (exact); text "T", its length in bytes, ":" and its bytes;
 *   blob "B", its length, ":" and its bytes.
 *
 * Importing refuses, with nothing written: a file that is not SQLite or
 * has no bundle table of this format ("not a Reskill results bundle"), a
 * newer format version, a file SQLite finds damaged or whose content does
 * not match its hash ("damaged: ..."), and content that breaks the rules
 * (unknown skills, answers out of sequence).
 *
 * Merging, one transaction per bundle, attempts keyed by UUID:
 *   absent here                         inserted with everything it has
 *   here, in progress, and the bundle has more answers or is finished
 *                                       brought up to the bundle's state
 *   here and as far along (or finished) left as it is ("already here")
 *   here but not the same attempt (other person, mode, skills, start) or
 *   with other answers in the same places
 *                                       left as it is, counted as a conflict
 * An unfinished attempt arrives resumable on the importing kiosk too; if it
 * is then continued on both, importing it again reports a conflict and each
 * kiosk keeps its own copy. Nothing is ever deleted.
 * People are matched by employee number. Attempts of numbers unknown here
 * are not imported: they are counted and their numbers reported, so that
 * the people can be imported first and the bundle imported again (it is
 * idempotent, so that is safe). Placeholder people would have no name or
 * team and would later collide with the real people import.
 *
 * Results of other people travel in bundles: both directions need an
 * administrator (viewer NULL stands for the command-line operator who owns
 * the database file). Every export, and every import that is not refused
 * (even one that finds nothing new), adds a row to the audit log; a refused
 * import writes nothing at all. */
#pragma once

#include "rs-store.h"

G_BEGIN_DECLS

#define RS_EXCHANGE_FORMAT "reskill-results"
/* Version 2 adds what pretest seeding and level decisions store: whether an
 * answer (and the pending item) was scored, and each result's level
 * probabilities. Version 1 bundles are still read: their answers were all
 * scored and their results keep no probabilities. */
#define RS_EXCHANGE_FORMAT_VERSION 2

typedef struct {
  gint64 since;            /* unix µs; 0: every attempt */
  gboolean all_kiosks;     /* also attempts imported from other kiosks */
  gboolean overwrite;      /* replace an existing file at the path */
} RsExportOptions;

typedef struct {
  int n_attempts;
  int n_responses;
  int n_results;
  int n_self_estimates;
  gint64 created_at;       /* unix µs: the --since for the next export */
  char *sha256;
} RsExportSummary;

void rs_export_summary_clear (RsExportSummary *summary);

typedef struct {
  char *kiosk_id;          /* the kiosk the bundle came from */
  int attempts_added;
  int attempts_updated;
  int attempts_unchanged;  /* already here, as far along */
  int attempts_conflicting;
  int attempts_unknown;    /* skipped: their employee number is not here */
  int responses_added;
  int results_added;
  GPtrArray *unknown_employee_nos;  /* char *, sorted, distinct */
  GPtrArray *conflicting_uuids;     /* char *, sorted */
} RsImportSummary;

void rs_import_summary_clear (RsImportSummary *summary);
/* "12 attempts added, 3 updated, 5 already here; 240 answers added", then,
 * when there are any, sentences about unknown numbers and conflicts. */
char *rs_import_summary_describe (const RsImportSummary *summary);

/* Writes the bundle to a temporary file beside path, syncs it and renames
 * it to path when complete: a half-written bundle never has the final name.
 * The file is readable by its owner only. An existing path is refused
 * unless options->overwrite. options may be NULL (everything, this kiosk's
 * attempts). summary may be NULL. */
gboolean rs_exchange_export (RsStore *store, const RsPerson *viewer, const char *path,
                             const RsExportOptions *options, RsExportSummary *summary,
                             GError **error);

/* Checks the bundle at path (opened read-only) completely, then merges it in
 * one transaction. On any error nothing was written. summary may be NULL. */
gboolean rs_exchange_import (RsStore *store, const RsPerson *viewer, const char *path,
                             RsImportSummary *summary, GError **error);

/* "2026-03-01" (local midnight), "2026-03-01T14:30" or "2026-03-01 14:30:00"
 * (local time unless a zone is given), or the token an export prints
 * ("2026-03-01T13:30:00.123456Z"). */
gboolean rs_exchange_parse_since (const char *text, gint64 *since, GError **error);
/* The token for a time: ISO 8601 in UTC with microseconds. */
char *rs_exchange_format_time (gint64 time_us);

G_END_DECLS
