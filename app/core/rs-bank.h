/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The question bank: every item of every YAML file under a folder, validated.
 *
 * Loading never stops at the first problem and never crashes on bad input:
 * each problem becomes a diagnostic "path:line: message", the broken item (or
 * file) is left out, and every good item of every file is kept. */
#pragma once

#include <glib.h>

#include "rs-item.h"

G_BEGIN_DECLS

/* Files larger than this are refused unread: the bank is hand-written text. */
#define RS_BANK_MAX_FILE_SIZE (1024 * 1024)

typedef struct _RsBank RsBank;

typedef struct {
  char *file;
  int line;            /* 1-based; 0 when the problem is the whole file */
  char *message;
} RsDiagnostic;

RsDiagnostic *rs_diagnostic_new (const char *file, int line, const char *format, ...) G_GNUC_PRINTF (3, 4);
void rs_diagnostic_free (RsDiagnostic *diagnostic);

RsBank *rs_bank_new (void);
void rs_bank_free (RsBank *bank);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RsBank, rs_bank_free)

/* Loads every *.yaml below dir (sorted, so results are reproducible).
 * Problems go to the diagnostics; returns FALSE only when dir itself cannot
 * be read. */
gboolean rs_bank_load_dir (RsBank *bank, const char *dir, GError **error);

/* Every file rs_bank_load_dir would look at below dir (full paths,
 * sorted): what must travel for another machine to load the same bank
 * (the organization's server keeps them, by version). */
GPtrArray *rs_bank_list_files (const char *dir, GError **error);

/* Loads one file; problems go to the diagnostics. expected_skill is the
 * folder's skill, or RS_SKILL_INVALID when the file may name any. */
void rs_bank_load_file (RsBank *bank, const char *path, RsSkill expected_skill);

/* Loads a bank of bare item parameters from CSV with the header a,b,c
 * (optionally ,d): one 3PL/4PL item per row, skill Python, one subtopic.
 * Used by `reskill simulate`. Errors name the file and line. */
RsBank *rs_bank_new_from_csv (const char *path, GError **error);

/* Adds an item; the bank takes ownership. Used by generators and tests. */
void rs_bank_add_item (RsBank *bank, RsItem *item);

/* Checks that ties items together (duplicate ids, unknown `related` ids);
 * called by rs_bank_load_dir, call it yourself after rs_bank_load_file. */
void rs_bank_check_links (RsBank *bank);

const GPtrArray *rs_bank_diagnostics (const RsBank *bank);   /* of RsDiagnostic */
guint rs_bank_n_items (const RsBank *bank);
const RsItem *rs_bank_item (const RsBank *bank, guint index);
const RsItem *rs_bank_lookup (const RsBank *bank, const char *id);
/* The items of one skill, in load order (array of const RsItem *, owned by the bank). */
const GPtrArray *rs_bank_skill_items (const RsBank *bank, RsSkill skill);
/* What people read for a subtopic: the `title:` of its file ("NumPy and
 * pandas"), else the id made readable ("Numpy pandas"). Newly allocated. */
char *rs_bank_subtopic_title (const RsBank *bank, RsSkill skill, const char *subtopic);
gboolean rs_bank_subtopic_has_title (const RsBank *bank, RsSkill skill, const char *subtopic);
/* A hash of every loaded file's content: attempts record which bank they used. */
const char *rs_bank_version (const RsBank *bank);

/* --- calibrations (rs-calibration puts them in force) --- */

/* The file in the questions folder that carries a calibration to other
 * kiosks (`reskill calibrate --export`); rs_bank_load_dir reads it last. */
#define RS_BANK_CALIBRATION_FILE "calibration.yaml"
void rs_bank_load_calibration (RsBank *bank, const char *path);
/* The calibration whose parameters are in force (its UUID), NULL: only the
 * bank's own; and when it was made (unix µs, 0 when not known). */
const char *rs_bank_calibration (const RsBank *bank);
gint64 rs_bank_calibration_time (const RsBank *bank);
void rs_bank_set_calibration (RsBank *bank, const char *uuid, gint64 created_at);
/* Puts estimated parameters in force for an item, which then counts as
 * calibrated (irt_given). FALSE when there is no such item or the model
 * or the number of scores differs. */
gboolean rs_bank_set_params (RsBank *bank, const char *id, const RsIrtParams *params);
/* Items kept out of tests (flagged by a calibration, awaiting or refused by
 * an administrator): the CAT never asks them (rs_cat_new). */
void rs_bank_set_withheld (RsBank *bank, const char *id, gboolean withheld);
gboolean rs_bank_is_withheld (const RsBank *bank, const char *id);
GHashTable *rs_bank_withheld (const RsBank *bank);

G_END_DECLS
