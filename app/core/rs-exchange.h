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
 * The bundle (format "reskill-results", version 3) is a container of
 * signed units (rs-unit.h), one per attempt and one per erasure, kept as
 * tables so that an administrator can look inside with sqlite3:
 *
 *   bundle          one row: format, format_version, kiosk_id (of the
 *                   exporting database), created_at, since (NULL: all),
 *                   all_kiosks (0/1), bank_versions (the attempts' distinct
 *                   question-bank versions, sorted, joined by ","), program,
 *                   n_attempts, n_responses, n_results, n_self_estimates,
 *                   signer_key (hex Ed25519 public key of the exporting
 *                   kiosk), content_sha256, header_signature
 *   attempts        uuid, employee_no (NULL for guests), mode, skills,
 *                   seed, bank_version, kiosk_id, status, started_at,
 *                   finished_at, pending_item_id
 *   responses       attempt_uuid, seq, item_id, skill, answer, score,
 *                   max_score, theta, se, time_ms, answered_at
 *   results         attempt_uuid, skill, theta, se, n_items, level
 *   self_estimates  attempt_uuid, skill, level
 *   signatures      attempt_uuid, signer_key (hex), signature (hex): the
 *                   unit signature of that attempt's rows, read back as a
 *                   unit and serialized canonically (rs-unit.h)
 *   erasures        uuid, employee_no, kiosk_id, erased_at, attempts (the
 *                   erased attempts' UUIDs, sorted, joined by ","),
 *                   signer_key, signature: one erasure unit each (issue 14).
 *                   Every export carries every erasure the kiosk knows,
 *                   made here or received (re-signed, as attempts are),
 *                   whatever --since says; practice attempts are never
 *                   exported, and one shared since the last export goes
 *                   with the next (its shared_at counts for --since).
 *
 * Times are unix microseconds, as in the main database; people travel as
 * employee numbers, never as row ids, which differ between kiosks. Every
 * attempt is signed by the exporting kiosk, also those it imported from
 * others (it checked them on the way in, and vouches for them now).
 *
 * content_sha256 is the lower-case hex SHA-256 of a canonical serialization
 * of the whole file, so that the same content always gives the same hash,
 * whatever the file's page layout:
 *
 *   "reskill-results 3\n", then one line per row: first the bundle row
 *   (every column above but content_sha256 and header_signature, in that
 *   order), then attempts ORDER BY uuid, responses ORDER BY attempt_uuid,
 *   seq, results and self_estimates ORDER BY attempt_uuid, skill,
 *   signatures ORDER BY attempt_uuid, attempt_priors ORDER BY
 *   attempt_uuid, skill, and erasures ORDER BY uuid, each with its
 *   columns in the order listed. A line is the table name, then for each value a tab and its
 *   encoding, then "\n". Encodings: NULL "N"; integer "I" and its decimal
 *   digits; real "R" and the 16 lower-case hex digits of its IEEE 754 bits
 *   (exact); text "T", its length in bytes, ":" and its bytes; blob "B",
 *   its length, ":" and its bytes.
 *
 * header_signature (hex) is the exporting kiosk's signature of
 * "reskill-results-header\t3\n" followed by content_sha256: it binds the
 * set of units, so that none can be left out or added unnoticed.
 *
 * Version 2 bundles (no erasures table; "2" in both prefixes, the hash
 * without erasures) are still read.
 *
 * The hash alone only catches accidental damage (anyone can recompute it);
 * the signatures are what make a bundle unforgeable: see docs/SECURITY.md.
 *
 * Importing opens the file as untrusted (rs-untrusted-db.h: size cap,
 * defensive mode, the exact schema, limits, a deadline) and refuses, with
 * nothing written: anything that is not a bundle of this format (a version
 * 1 bundle is refused as unsigned), a damaged file or one whose content
 * does not match its hash, a header signature that does not verify, and
 * then whatever rs_units_import() refuses: unsigned units, signers that
 * are unknown here or revoked, forged or impossible content, results that
 * the answers do not give. What it skips and reports, and how it merges,
 * is rs_units_import()'s too.
 *
 * Results of other people travel in bundles: both directions need an
 * administrator (viewer NULL stands for the command-line operator who owns
 * the database file). Every export, and every import that is not refused
 * (even one that finds nothing new), adds a row to the audit log; a refused
 * import writes nothing at all. */
#pragma once

#include <gio/gio.h>

#include "rs-store.h"
#include "rs-unit.h"

G_BEGIN_DECLS

#define RS_EXCHANGE_FORMAT "reskill-results"
#define RS_EXCHANGE_FORMAT_VERSION 3
/* Larger files are refused unread: export in parts with --since. */
#define RS_EXCHANGE_MAX_BUNDLE_SIZE (G_GINT64_CONSTANT (1) << 30)

/* Progress of a long export or import, 0..1, called on the calling thread. */
typedef void (*RsExchangeProgress) (double fraction, gpointer data);

typedef struct {
  gint64 since;            /* unix µs; 0: every attempt */
  gboolean all_kiosks;     /* also attempts imported from other kiosks */
  gboolean overwrite;      /* replace an existing file at the path */
  GCancellable *cancellable;          /* may be NULL */
  RsExchangeProgress progress;        /* may be NULL */
  gpointer progress_data;
} RsExportOptions;

typedef struct {
  int n_attempts;
  int n_responses;
  int n_results;
  int n_self_estimates;
  gint64 created_at;       /* unix µs: the --since for the next export */
  char *sha256;
  int n_erasures;          /* erasures passed on (issue 14) */
} RsExportSummary;

void rs_export_summary_clear (RsExportSummary *summary);

/* Writes the bundle to a temporary file beside path, syncs it and renames
 * it to path when complete: a half-written bundle never has the final name.
 * The file is readable by its owner only. An existing path is refused
 * unless options->overwrite. options may be NULL (everything, this kiosk's
 * attempts). summary may be NULL. Needs the kiosk's key. */
gboolean rs_exchange_export (RsStore *store, const RsPerson *viewer, const char *path,
                             const RsExportOptions *options, RsExportSummary *summary,
                             GError **error);

typedef struct {
  /* The question banks to recompute results with (rs-rescore.h): usually
   * the one the kiosk runs. Attempts scored with another are skipped. */
  const RsBank *const *banks;
  guint n_banks;
  GCancellable *cancellable;          /* may be NULL */
  RsExchangeProgress progress;        /* may be NULL */
  gpointer progress_data;
  gint64 now;                         /* unix µs; 0: the store's clock (tests move it) */
} RsImportOptions;

/* Checks the bundle at path completely, then merges it in one transaction
 * (rs_units_import). On any error nothing was written. summary may be NULL. */
gboolean rs_exchange_import (RsStore *store, const RsPerson *viewer, const char *path,
                             const RsImportOptions *options, RsImportSummary *summary, GError **error);

/* "2026-03-01" (local midnight), "2026-03-01T14:30" or "2026-03-01 14:30:00"
 * (local time unless a zone is given), or the token an export prints
 * ("2026-03-01T13:30:00.123456Z"). */
gboolean rs_exchange_parse_since (const char *text, gint64 *since, GError **error);
/* The token for a time: ISO 8601 in UTC with microseconds. */
char *rs_exchange_format_time (gint64 time_us);

G_END_DECLS
