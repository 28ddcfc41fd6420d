/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A person's own data, all of it, in files they can read (issue 14: the
 * history page's "Download my data" and `reskill export-person`).
 *
 * rs_person_export() writes into a new (or empty) folder, mode 0700, files
 * 0600:
 *
 *   person.json               everything below in one document (json-glib)
 *   attempts.csv              one row per attempt, practice ones marked
 *   answers.csv               one row per answer
 *   results.csv               one row per result, with the score and band
 *   earlier_results.csv       results replaced when the questions were
 *                             re-calibrated
 *   self_estimates.csv        the levels the person guessed for themselves
 *   notice_confirmations.csv  which privacy notice they confirmed, when
 *   who_looked.csv            who looked at their results, when, at what
 *   audit.csv                 audit entries by them or about them
 *   README.txt                what each file and field means
 *
 * Times are ISO 8601 in UTC. CSV is RFC 4180, UTF-8; a text field that a
 * spreadsheet would run as a formula gets a leading apostrophe.
 *
 * Who may: the person themselves, or an administrator (or the command-line
 * operator) answering their request; then it is recorded as a look at
 * their results (RS_VIEW_DATA_EXPORT), which the person sees. Audited
 * either way ("data-exported", about the person). The same export is what
 * an organization's server gives for the same request. */
#pragma once

#include "rs-store.h"

G_BEGIN_DECLS

typedef struct {
  char *dir;
  guint n_attempts;
  guint n_answers;
  guint n_results;
  guint n_earlier_results;
  guint n_self_estimates;
  guint n_confirmations;
  guint n_views;
  guint n_audit;
  GPtrArray *files;            /* char *: the files written, full paths */
} RsPersonExport;

void rs_person_export_clear (RsPersonExport *export);

/* Writes person_id's data into dir (created when missing; refused when it
 * holds anything: an export is never mixed into other files). */
gboolean rs_person_export (RsStore *store, const RsPerson *viewer, gint64 person_id, const char *dir,
                           RsPersonExport *summary, GError **error);

G_END_DECLS
