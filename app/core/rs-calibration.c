/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Calibrations in the database; see rs-calibration.h for the rules. */
#include "rs-calibration.h"
#include "rs-rescore.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "rs-ability.h"
#include "rs-access.h"
#include "rs-assessment.h"
#include "rs-cat.h"
#include "rs-error.h"
#include "rs-store-private.h"

/* The one query for the answers a calibration uses: every answer of every
 * finished or abandoned attempt, in-progress ones left out (they may still
 * change, and they are what a resume replays). Unscored pretest answers,
 * when the CAT asks them, belong here too: they are answers like any
 * other for calibration. Grouped by attempt (the primary key's order). */
#define CALIBRATION_ANSWERS \
  "SELECT r.attempt_id, r.skill, r.item_id, r.score, r.max_score FROM responses AS r" \
  " JOIN attempts AS a ON a.uuid = r.attempt_id" \
  " WHERE a.status = 'finished' OR a.abandoned_at IS NOT NULL" \
  " ORDER BY r.attempt_id, r.seq"

/* And the answers kept after their attempts expired (issue 14): one
 * pattern per person and skill, with nothing that links it to anyone
 * (rs-retention.h). Practice answers are in the query above like any
 * other: calibration reads no person, and what it makes is item
 * parameters. The key keeps each pattern together, as an attempt. */
#define CALIBRATION_ANONYMOUS_ANSWERS \
  "SELECT 'anonymous:' || pattern, skill, item_id, score, max_score FROM anonymous_answers" \
  " ORDER BY pattern, item_id"

/* The id audit rows and created_by get: NULL (0 binds NULL) for the
 * command-line operator (id −1, no row of people). */
static gint64
person_row (const RsPerson *viewer)
{
  return viewer->id > 0 ? viewer->id : 0;
}

/* Under the lock, inside a transaction. */
static gboolean
audit_tx (RsStore *store, const RsPerson *viewer, const char *event, const char *detail, GError **error)
{
  return rs_store_exec (store, error, "INSERT INTO audit (at, person_id, event, detail) VALUES (?, ?, ?, ?)",
                        "lrss", rs_store_now (), person_row (viewer), event, detail);
}

static const char *const status_ids[] = { "provisional", "calibrated", "flagged" };
static const char *const decision_ids[] = { "", "use", "withhold" };

void
rs_calibration_options_init (RsCalibOptions *options)
{
  rs_calib_options_init (options);
  options->d_prior_sd = RS_CALIBRATION_D_PRIOR_SD;
}

const char *
rs_item_status_id (RsItemStatus status)
{
  g_return_val_if_fail ((guint) status < G_N_ELEMENTS (status_ids), "provisional");
  return status_ids[status];
}

const char *
rs_decision_id (RsDecision decision)
{
  g_return_val_if_fail ((guint) decision < G_N_ELEMENTS (decision_ids), "");
  return decision_ids[decision];
}

static void
calibration_item_free (RsCalibrationItem *item)
{
  if (item == NULL)
    return;
  g_free (item->item_id);
  g_free (item);
}

void
rs_calibration_free (RsCalibration *calibration)
{
  if (calibration == NULL)
    return;
  g_free (calibration->uuid);
  g_free (calibration->summary);
  g_ptr_array_unref (calibration->items);
  g_array_unref (calibration->skills);
  g_free (calibration);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RsCalibrationItem, calibration_item_free)

RsCalibration *
rs_calibration_new (void)
{
  RsCalibration *calibration = g_new0 (RsCalibration, 1);

  calibration->items = g_ptr_array_new_with_free_func ((GDestroyNotify) calibration_item_free);
  calibration->skills = g_array_new (FALSE, TRUE, sizeof (RsCalibrationSkill));
  return calibration;
}

static int
compare_items (gconstpointer a, gconstpointer b)
{
  const RsCalibrationItem *x = *(const RsCalibrationItem *const *) a;
  const RsCalibrationItem *y = *(const RsCalibrationItem *const *) b;

  if (x->skill != y->skill)
    return x->skill < y->skill ? -1 : 1;
  return strcmp (x->item_id, y->item_id);
}

static RsCalibModel
item_model (const RsItem *item)
{
  if (rs_item_max_score (item) > 1)
    return RS_CALIB_GPCM;
  return item->irt.c > 0 ? RS_CALIB_3PL : RS_CALIB_2PL;
}

/* Trusted: given in the bank or calibrated by the calibration in force, and
 * not withheld. These are the anchors that keep the scale. */
static gboolean
item_trusted (const RsBank *bank, const RsItem *item)
{
  return item->irt_given && !rs_bank_is_withheld (bank, item->id);
}

/* --- running --- */

typedef struct {
  RsCalibData *data;
  char *last_attempt;
  guint person;
} SkillData;

struct _RsCalibrationAnswers {
  const RsBank *bank;
  SkillData skills[RS_N_SKILLS];
};

RsCalibrationAnswers *
rs_calibration_answers_new (const RsBank *bank)
{
  RsCalibrationAnswers *answers = g_new0 (RsCalibrationAnswers, 1);

  answers->bank = bank;
  return answers;
}

void
rs_calibration_answers_free (RsCalibrationAnswers *answers)
{
  if (answers == NULL)
    return;
  for (int s = 0; s < RS_N_SKILLS; s++)
    {
      rs_calib_data_free (answers->skills[s].data);
      g_free (answers->skills[s].last_attempt);
    }
  g_free (answers);
}

gboolean
rs_calibration_answers_add (RsCalibrationAnswers *answers, const char *attempt, const char *skill_id,
                            const char *item_id, int score, int max_score, GError **error)
{
  RsSkill skill = rs_skill_from_id (skill_id);
  const RsItem *item = rs_bank_lookup (answers->bank, item_id);
  SkillData *sd;
  int index;

  /* Items edited away, or whose scoring changed since, say nothing
   * about the items as they are now. */
  if (skill == RS_SKILL_INVALID || item == NULL || item->skill != skill || max_score != rs_item_max_score (item)
      || score < 0 || score > max_score)
    return TRUE;
  sd = &answers->skills[skill];
  if (sd->data == NULL)
    sd->data = rs_calib_data_new ();
  index = rs_calib_data_lookup_item (sd->data, item->id);
  if (index < 0)
    index = rs_calib_data_add_item (sd->data, item->id, item_model (item), max_score, &item->irt,
                                    item_trusted (answers->bank, item));
  if (g_strcmp0 (sd->last_attempt, attempt) != 0)
    {
      g_free (sd->last_attempt);
      sd->last_attempt = g_strdup (attempt);
      sd->person = rs_calib_data_add_person (sd->data);
    }
  return rs_calib_data_add_response (sd->data, sd->person, index, score, error);
}

static gboolean
read_answers (RsStore *store, RsCalibrationAnswers *answers, GError **error)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (rs_store_get_lock (store));
  /* Answers kept after their attempts expired (issue 14) count too:
   * linked to nobody, one pattern each. */
  static const char *const queries[] = { CALIBRATION_ANSWERS, CALIBRATION_ANONYMOUS_ANSWERS };
  gboolean ok = TRUE;

  if (!rs_store_begin (store, FALSE, error))
    return FALSE;
  for (gsize q = 0; ok && q < G_N_ELEMENTS (queries); q++)
    {
      g_autoptr (RsStoreStmt) stmt = rs_store_query (store, error, queries[q], "");
      int rc = SQLITE_ERROR;

      if (stmt == NULL)
        return rs_store_end (store, FALSE, NULL) && FALSE;
      while (ok && (rc = rs_store_step (store, stmt, error)) == SQLITE_ROW)
        ok = rs_calibration_answers_add (answers, (const char *) sqlite3_column_text (stmt, 0),
                                         (const char *) sqlite3_column_text (stmt, 1),
                                         (const char *) sqlite3_column_text (stmt, 2), sqlite3_column_int (stmt, 3),
                                         sqlite3_column_int (stmt, 4), error);
      ok = ok && rc == SQLITE_DONE;
    }
  return rs_store_end (store, ok, ok ? error : NULL) && ok;
}

static RsItemStatus
status_for (gboolean anchor, int n, guint flags, int min_responses)
{
  if (anchor)
    return (flags & RS_CALIB_FLAG_POOR_FIT) && n >= min_responses ? RS_ITEM_FLAGGED : RS_ITEM_CALIBRATED;
  if (n < min_responses)
    return RS_ITEM_PROVISIONAL;
  return flags != 0 ? RS_ITEM_FLAGGED : RS_ITEM_CALIBRATED;
}

RsCalibration *
rs_calibration_run (RsStore *store, const RsBank *bank, const RsPerson *viewer, int min_responses,
                    const RsCalibOptions *options, GError **error)
{
  g_autoptr (RsCalibration) current = NULL;
  g_autoptr (RsCalibrationAnswers) answers = NULL;

  g_return_val_if_fail (store != NULL && bank != NULL, NULL);
  if (!rs_access_require_admin (viewer, error))
    return NULL;
  if (min_responses < 1)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_INVALID, _("An item needs at least 1 answer to be calibrated."));
      return NULL;
    }
  current = rs_calibration_load_current (store, error);
  if (current == NULL && error != NULL && *error != NULL)
    return NULL;
  answers = rs_calibration_answers_new (bank);
  if (!read_answers (store, answers, error))
    return NULL;
  return rs_calibration_run_answers (answers, current, min_responses, options, error);
}

RsCalibration *
rs_calibration_run_answers (RsCalibrationAnswers *answers, const RsCalibration *current, int min_responses,
                            const RsCalibOptions *options, GError **error)
{
  g_autoptr (RsCalibration) calibration = NULL;
  g_autoptr (GHashTable) current_items = g_hash_table_new (g_str_hash, g_str_equal);
  const RsBank *bank = answers->bank;
  SkillData *skills = answers->skills;
  RsCalibResult *results[RS_N_SKILLS] = { NULL };
  GHashTable *by_id[RS_N_SKILLS] = { NULL };
  g_autoptr (GString) summary = g_string_new (NULL);
  gboolean ok = TRUE, any = FALSE;
  RsCalibOptions defaults;

  if (options == NULL)
    {
      rs_calibration_options_init (&defaults);
      options = &defaults;
    }
  if (min_responses < 1)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_INVALID, "An item needs at least 1 answer to be calibrated.");
      return NULL;
    }
  for (guint i = 0; current != NULL && i < current->items->len; i++)
    {
      RsCalibrationItem *it = g_ptr_array_index (current->items, i);
      g_hash_table_insert (current_items, it->item_id, it);
    }

  calibration = rs_calibration_new ();
  calibration->min_responses = min_responses;
  for (int s = 0; ok && s < RS_N_SKILLS; s++)
    {
      RsCalibrationSkill info = { .skill = (RsSkill) s };
      g_autoptr (GError) local = NULL;

      if (skills[s].data == NULL)
        continue;
      results[s] = rs_calibrate (skills[s].data, options, &local);
      if (results[s] == NULL)
        {
          g_set_error (error, RS_ERROR, RS_ERROR_INVALID, "%s: %s", rs_skill_title ((RsSkill) s), local->message);
          ok = FALSE;
          break;
        }
      any = TRUE;
      by_id[s] = g_hash_table_new (g_str_hash, g_str_equal);
      for (guint j = 0; j < results[s]->items->len; j++)
        {
          RsCalibItem *it = g_ptr_array_index (results[s]->items, j);
          g_hash_table_insert (by_id[s], it->id, it);
        }
      info.n_people = results[s]->n_persons;
      info.n_responses = results[s]->n_responses;
      info.n_items = (int) results[s]->items->len;
      info.iterations = results[s]->iterations;
      info.converged = results[s]->converged;
      info.loglik = results[s]->loglik;
      info.latent_estimated = results[s]->latent_estimated;
      info.mean = results[s]->mean;
      info.sd = results[s]->sd;
      info.seconds = results[s]->seconds;
      g_array_append_val (calibration->skills, info);
      {
        g_autofree char *attempts = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d attempt", "%d attempts",
                                                                  (gulong) info.n_people), info.n_people);
        g_autofree char *answer_count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d answer", "%d answers",
                                                                 (gulong) info.n_responses), info.n_responses);
        g_autofree char *items = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d item", "%d items",
                                                               (gulong) info.n_items), info.n_items);
        g_autofree char *iterations = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d iteration", "%d iterations",
                                                                    (gulong) info.iterations), info.iterations);

        /* Translators: one skill's calibration, for example "python: 120
         * attempts, 3400 answers to 180 items, 42 iterations, loglik
         * -1234.56, latent estimated N(0.000, 1.000²)"; the second %s of
         * the third group is " (not converged)" or nothing, the fourth
         * %s "estimated" or "fixed at". */
        g_string_append_printf (summary, _("%s: %s, %s to %s, %s%s, loglik %.2f, latent %s N(%.3f, %.3f²)\n"),
                                rs_skill_id ((RsSkill) s), attempts, answer_count, items, iterations,
                                info.converged ? "" : _(" (not converged)"), info.loglik,
                                info.latent_estimated ? _("estimated") : _("fixed at"), info.mean, info.sd);
      }
    }
  if (ok && !any)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_INVALID,
                   _("No finished or abandoned assessment has answers to questions of this bank yet: "
                   "there is nothing to calibrate from."));
      ok = FALSE;
    }
  for (int s = 0; ok && s < RS_N_SKILLS; s++)
    {
      const GPtrArray *items = rs_bank_skill_items (bank, (RsSkill) s);

      for (guint i = 0; i < items->len; i++)
        {
          const RsItem *item = g_ptr_array_index (items, i);
          const RsCalibItem *est = by_id[s] != NULL ? g_hash_table_lookup (by_id[s], item->id) : NULL;
          const RsCalibrationItem *before = g_hash_table_lookup (current_items, item->id);
          RsCalibrationItem *out = g_new0 (RsCalibrationItem, 1);

          out->item_id = g_strdup (item->id);
          out->skill = (RsSkill) s;
          out->model = item_model (item);
          out->old_params = item->irt;
          out->params = item->irt;
          out->anchor = item_trusted (bank, item);
          out->fit_p = 1.0;
          if (est != NULL)
            {
              out->n = est->n;
              out->params = est->params;
              out->se_a = est->se_a;
              out->se_b = est->se_b;
              out->se_c = est->se_c;
              memcpy (out->se_steps, est->se_steps, sizeof out->se_steps);
              out->fit_chi2 = est->fit_chi2;
              out->fit_df = est->fit_df;
              out->fit_p = est->fit_p;
              out->flags = est->flags;
            }
          if (out->anchor && before != NULL)
            {
              /* Held, not estimated here: its SEs are those of the
               * calibration that estimated it. */
              out->se_a = before->se_a;
              out->se_b = before->se_b;
              out->se_c = before->se_c;
              memcpy (out->se_steps, before->se_steps, sizeof out->se_steps);
            }
          out->status = status_for (out->anchor, out->n, out->flags, min_responses);
          g_ptr_array_add (calibration->items, out);
        }
    }
  for (int s = 0; s < RS_N_SKILLS; s++)
    {
      rs_calib_result_free (results[s]);
      g_clear_pointer (&by_id[s], g_hash_table_unref);
    }
  if (!ok)
    return NULL;
  g_ptr_array_sort (calibration->items, compare_items);
  calibration->summary = g_string_free (g_steal_pointer (&summary), FALSE);
  return g_steal_pointer (&calibration);
}

/* --- storing --- */

static char *
format_b (const RsIrtParams *params, const double *se_steps, double se_b, gboolean se)
{
  GString *text = g_string_new (NULL);
  char number[G_ASCII_DTOSTR_BUF_SIZE];

  if (params->model == RS_MODEL_GPCM)
    for (int v = 0; v < params->n_steps; v++)
      {
        if (v > 0)
          g_string_append_c (text, ';');
        g_string_append (text, g_ascii_dtostr (number, sizeof number, se ? se_steps[v] : params->steps[v]));
      }
  else
    g_string_append (text, g_ascii_dtostr (number, sizeof number, se ? se_b : params->b));
  return g_string_free (text, FALSE);
}

char *
rs_calibration_item_b_text (const RsCalibrationItem *item, gboolean se)
{
  return format_b (&item->params, item->se_steps, item->se_b, se);
}

static gboolean
apply_tx (RsStore *store, RsCalibration *calibration, const RsPerson *viewer, GError **error)
{
  gint64 id = 0;

  if (!rs_store_exec (store, error,
                      "INSERT INTO calibrations (uuid, created_at, created_by, min_responses, summary)"
                      " VALUES (?, ?, ?, ?, ?)",
                      "slris", calibration->uuid, calibration->created_at, person_row (viewer),
                      calibration->min_responses,
                      calibration->summary != NULL ? calibration->summary : "")
      || !rs_store_get_int (store, &id, error, "SELECT id FROM calibrations WHERE uuid = ?", "s", calibration->uuid))
    return FALSE;
  for (guint i = 0; i < calibration->items->len; i++)
    {
      const RsCalibrationItem *it = g_ptr_array_index (calibration->items, i);
      g_autofree char *b = format_b (&it->params, it->se_steps, it->se_b, FALSE);
      g_autofree char *se_b = format_b (&it->params, it->se_steps, it->se_b, TRUE);
      g_autofree char *flags = rs_calib_flag_ids (it->flags);

      if (!rs_store_exec (store, error,
                          "INSERT INTO calibration_items (calibration_id, item_id, skill, model, status, anchor, n,"
                          " a, b, c, se_a, se_b, se_c, fit_chi2, fit_df, fit_p, flags, decision)"
                          " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                          "lssssiidsddsddidss", id, it->item_id, rs_skill_id (it->skill),
                          rs_calib_model_id (it->model), rs_item_status_id (it->status), it->anchor ? 1 : 0, it->n,
                          it->params.a, b, it->params.c, it->se_a, se_b, it->se_c, it->fit_chi2, it->fit_df,
                          it->fit_p, flags, it->decision != RS_DECISION_NONE ? rs_decision_id (it->decision) : NULL))
        return FALSE;
    }
  calibration->id = id;
  /* The exposure cap counts from here (rs_store_item_usage): the new
   * parameters change which items the test prefers. */
  if (!rs_store_exec (store, error,
                      "INSERT INTO calibration_usage (calibration_id, kind, key, n)"
                      " SELECT ?, 'item', item_id, n_shown FROM item_usage",
                      "l", id)
      || !rs_store_exec (store, error,
                         "INSERT INTO calibration_usage (calibration_id, kind, key, n)"
                         " SELECT ?, 'skill', skill, n_attempts FROM skill_usage",
                         "l", id))
    return FALSE;
  return audit_tx (store, viewer, "calibration-applied", calibration->uuid, error);
}

gboolean
rs_calibration_apply (RsStore *store, RsCalibration *calibration, const RsPerson *viewer, GError **error)
{
  g_autoptr (GMutexLocker) locker = NULL;
  g_autofree char *uuid = g_uuid_string_random ();

  g_return_val_if_fail (store != NULL && calibration != NULL, FALSE);
  if (!rs_access_require_admin (viewer, error))
    return FALSE;
  if (calibration->uuid != NULL)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_INVALID, _("This calibration is already stored."));
      return FALSE;
    }
  calibration->uuid = g_steal_pointer (&uuid);
  calibration->created_at = rs_store_now ();
  locker = g_mutex_locker_new (rs_store_get_lock (store));
  if (!rs_store_begin (store, TRUE, error)
      || !rs_store_end (store, apply_tx (store, calibration, viewer, error), error))
    {
      g_clear_pointer (&calibration->uuid, g_free);
      calibration->created_at = 0;
      calibration->id = 0;
      return FALSE;
    }
  return TRUE;
}

/* --- loading --- */

static gboolean
parse_numbers (const char *text, double *values, int max, int *n)
{
  g_auto (GStrv) parts = g_strsplit (text != NULL ? text : "", ";", -1);

  *n = (int) g_strv_length (parts);
  if (*n < 1 || *n > max)
    return FALSE;
  for (int i = 0; i < *n; i++)
    {
      char *end = NULL;
      values[i] = g_ascii_strtod (parts[i], &end);
      if (end == parts[i] || *end != '\0' || !isfinite (values[i]))
        return FALSE;
    }
  return TRUE;
}

RsCalibrationItem *
rs_calibration_item_from_row (const RsCalibrationItemRow *row, const char *calibration_uuid, GError **error)
{
  g_autoptr (RsCalibrationItem) it = g_new0 (RsCalibrationItem, 1);
  double b[RS_IRT_MAX_STEPS], se_b[RS_IRT_MAX_STEPS];
  int n_b = 0, n_se = 0;

  it->item_id = g_strdup (row->item_id);
  it->skill = rs_skill_from_id (row->skill);
  it->model = g_strcmp0 (row->model, "gpcm") == 0 ? RS_CALIB_GPCM
              : g_strcmp0 (row->model, "3pl") == 0 ? RS_CALIB_3PL : RS_CALIB_2PL;
  it->status = g_strcmp0 (row->status, "flagged") == 0 ? RS_ITEM_FLAGGED
               : g_strcmp0 (row->status, "calibrated") == 0 ? RS_ITEM_CALIBRATED : RS_ITEM_PROVISIONAL;
  it->decision = g_strcmp0 (row->decision, "use") == 0 ? RS_DECISION_USE
                 : g_strcmp0 (row->decision, "withhold") == 0 ? RS_DECISION_WITHHOLD : RS_DECISION_NONE;
  it->anchor = row->anchor;
  it->n = row->n;
  it->params.a = row->a;
  it->params.c = row->c;
  it->se_a = row->se_a;
  it->se_c = row->se_c;
  it->fit_chi2 = row->fit_chi2;
  it->fit_df = row->fit_df;
  it->fit_p = row->fit_p;
  if (it->item_id == NULL || it->skill == RS_SKILL_INVALID || !parse_numbers (row->b, b, RS_IRT_MAX_STEPS, &n_b)
      || !parse_numbers (row->se_b, se_b, RS_IRT_MAX_STEPS, &n_se) || n_b != n_se
      || (it->model != RS_CALIB_GPCM && n_b != 1) || !(it->params.a > 0))
    {
      g_set_error (error, RS_ERROR, RS_ERROR_DB_CORRUPT,
                   _("Calibration %s: the row of item %s cannot be read. Apply a new calibration."),
                   calibration_uuid != NULL ? calibration_uuid : "(none)", row->item_id != NULL ? row->item_id : "");
      return NULL;
    }
  if (it->model == RS_CALIB_GPCM)
    {
      it->params.model = RS_MODEL_GPCM;
      it->params.n_steps = n_b;
      memcpy (it->params.steps, b, n_b * sizeof (double));
      memcpy (it->se_steps, se_b, n_b * sizeof (double));
    }
  else
    {
      it->params.model = RS_MODEL_4PL;
      it->params.b = b[0];
      it->params.d = 1.0;
      it->se_b = se_b[0];
    }
  it->flags = (g_strrstr (row->flags ? row->flags : "", "poor-fit") ? RS_CALIB_FLAG_POOR_FIT : 0)
              | (g_strrstr (row->flags ? row->flags : "", "low-discrimination") ? RS_CALIB_FLAG_LOW_DISCRIMINATION : 0)
              | (g_strrstr (row->flags ? row->flags : "", "unstable") ? RS_CALIB_FLAG_UNSTABLE : 0);
  it->old_params = it->params;
  return g_steal_pointer (&it);
}

void
rs_calibration_sort_items (RsCalibration *calibration)
{
  g_ptr_array_sort (calibration->items, compare_items);
}

static gboolean
load_items_tx (RsStore *store, RsCalibration *calibration, GError **error)
{
  g_autoptr (RsStoreStmt) stmt = rs_store_query (store, error,
                                                 "SELECT item_id, skill, model, status, anchor, n, a, b, c, se_a,"
                                                 " se_b, se_c, fit_chi2, fit_df, fit_p, flags, decision"
                                                 " FROM calibration_items WHERE calibration_id = ?",
                                                 "l", calibration->id);
  int rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = rs_store_step (store, stmt, error)) == SQLITE_ROW)
    {
      RsCalibrationItemRow row = {
        .item_id = (const char *) sqlite3_column_text (stmt, 0),
        .skill = (const char *) sqlite3_column_text (stmt, 1),
        .model = (const char *) sqlite3_column_text (stmt, 2),
        .status = (const char *) sqlite3_column_text (stmt, 3),
        .anchor = sqlite3_column_int (stmt, 4) != 0,
        .n = sqlite3_column_int (stmt, 5),
        .a = sqlite3_column_double (stmt, 6),
        .b = (const char *) sqlite3_column_text (stmt, 7),
        .c = sqlite3_column_double (stmt, 8),
        .se_a = sqlite3_column_double (stmt, 9),
        .se_b = (const char *) sqlite3_column_text (stmt, 10),
        .se_c = sqlite3_column_double (stmt, 11),
        .fit_chi2 = sqlite3_column_double (stmt, 12),
        .fit_df = sqlite3_column_int (stmt, 13),
        .fit_p = sqlite3_column_double (stmt, 14),
        .flags = (const char *) sqlite3_column_text (stmt, 15),
        .decision = (const char *) sqlite3_column_text (stmt, 16),
      };
      RsCalibrationItem *it = rs_calibration_item_from_row (&row, calibration->uuid, error);

      if (it == NULL)
        return FALSE;
      g_ptr_array_add (calibration->items, it);
    }
  g_ptr_array_sort (calibration->items, compare_items);
  return rc == SQLITE_DONE;
}

RsCalibration *
rs_calibration_load_current (RsStore *store, GError **error)
{
  g_autoptr (GMutexLocker) locker = NULL;
  g_autoptr (RsCalibration) calibration = rs_calibration_new ();
  g_autoptr (RsStoreStmt) stmt = NULL;
  gboolean ok;
  int rc;

  g_return_val_if_fail (store != NULL, NULL);
  locker = g_mutex_locker_new (rs_store_get_lock (store));
  if (!rs_store_begin (store, FALSE, error))
    return NULL;
  stmt = rs_store_query (store, error,
                         "SELECT id, uuid, created_at, min_responses, summary FROM calibrations"
                         " ORDER BY id DESC LIMIT 1", "");
  if (stmt == NULL)
    {
      rs_store_end (store, FALSE, NULL);
      return NULL;
    }
  rc = rs_store_step (store, stmt, error);
  if (rc == SQLITE_ROW)
    {
      calibration->id = sqlite3_column_int64 (stmt, 0);
      calibration->uuid = rs_store_column_strdup (stmt, 1);
      calibration->created_at = sqlite3_column_int64 (stmt, 2);
      calibration->min_responses = sqlite3_column_int (stmt, 3);
      calibration->summary = rs_store_column_strdup (stmt, 4);
    }
  g_clear_pointer (&stmt, rs_store_stmt_release);
  ok = rc == SQLITE_DONE || (rc == SQLITE_ROW && load_items_tx (store, calibration, error));
  if (!rs_store_end (store, ok, ok ? error : NULL) || !ok || rc == SQLITE_DONE)
    return NULL;
  return g_steal_pointer (&calibration);
}

/* --- decisions --- */

static gboolean
decide_tx (RsStore *store, const RsPerson *viewer, const char *item_id, RsDecision decision, GError **error)
{
  gint64 id = 0;
  g_autofree char *status = NULL;
  g_autofree char *detail = NULL;

  if (!rs_store_get_int (store, &id, error, "SELECT max(id) FROM calibrations", ""))
    return FALSE;
  if (id == 0)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_NOT_FOUND, _("No calibration has been applied yet."));
      return FALSE;
    }
  if (!rs_store_get_text (store, &status, error,
                          "SELECT status FROM calibration_items WHERE calibration_id = ? AND item_id = ?", "ls", id,
                          item_id))
    return FALSE;
  if (status == NULL)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_NOT_FOUND, _("Item %s is not in the calibration in force."), item_id);
      return FALSE;
    }
  if (!g_str_equal (status, "flagged"))
    {
      /* Translators: the second %s is the item's status, "provisional" or "calibrated". */
      g_set_error (error, RS_ERROR, RS_ERROR_INVALID, _("Item %s is %s, not flagged: there is nothing to decide."),
                   item_id, status);
      return FALSE;
    }
  detail = g_strdup_printf ("%s: %s", item_id, rs_decision_id (decision));
  return rs_store_exec (store, error,
                        "UPDATE calibration_items SET decision = ?, decided_by = ?, decided_at = ?"
                        " WHERE calibration_id = ? AND item_id = ?",
                        "srlls", decision != RS_DECISION_NONE ? rs_decision_id (decision) : NULL, person_row (viewer),
                        rs_store_now (), id, item_id)
         && audit_tx (store, viewer, "calibration-decision", detail, error);
}

gboolean
rs_calibration_decide (RsStore *store, const RsPerson *viewer, const char *item_id, RsDecision decision,
                       GError **error)
{
  g_autoptr (GMutexLocker) locker = NULL;

  g_return_val_if_fail (store != NULL && item_id != NULL, FALSE);
  g_return_val_if_fail ((guint) decision <= RS_DECISION_WITHHOLD, FALSE);
  if (!rs_access_require_admin (viewer, error))
    return FALSE;
  locker = g_mutex_locker_new (rs_store_get_lock (store));
  return rs_store_begin (store, TRUE, error)
         && rs_store_end (store, decide_tx (store, viewer, item_id, decision, error), error);
}

/* --- in force --- */

gboolean
rs_calibration_apply_to_bank (RsStore *store, RsBank *bank, GError **error)
{
  g_autoptr (RsCalibration) calibration = NULL;
  GError *local = NULL;

  g_return_val_if_fail (store != NULL && bank != NULL, FALSE);
  calibration = rs_calibration_load_current (store, &local);
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  if (calibration == NULL)
    return TRUE;
  /* A calibration.yaml newer than this kiosk's own calibration wins. */
  if (rs_bank_calibration (bank) != NULL && g_strcmp0 (rs_bank_calibration (bank), calibration->uuid) != 0
      && rs_bank_calibration_time (bank) > calibration->created_at)
    return TRUE;
  rs_calibration_put_in_force (bank, calibration);
  return TRUE;
}

void
rs_calibration_put_in_force (RsBank *bank, const RsCalibration *calibration)
{
  for (guint i = 0; i < calibration->items->len; i++)
    {
      const RsCalibrationItem *it = g_ptr_array_index (calibration->items, i);
      gboolean use = it->status == RS_ITEM_CALIBRATED
                     || (it->status == RS_ITEM_FLAGGED && it->decision == RS_DECISION_USE);

      if (rs_bank_lookup (bank, it->item_id) == NULL)
        continue;
      rs_bank_set_withheld (bank, it->item_id, it->status == RS_ITEM_FLAGGED && !use);
      /* An item edited since (another score range) keeps the bank's own. */
      if (use)
        rs_bank_set_params (bank, it->item_id, &it->params);
    }
  rs_bank_set_calibration (bank, calibration->uuid, calibration->created_at);
}

/* --- re-scoring --- */

/* One attempt scored again: its results and, because a signed unit must
 * stay consistent with the calibration its results name, the estimate
 * after each answer too. */
typedef struct {
  char *attempt;
  RsRescore rescore;
  gboolean se_provisional[RS_N_SKILLS];
} Rescored;

static void
rescored_clear (gpointer data)
{
  Rescored *r = data;
  g_free (r->attempt);
  rs_rescore_clear (&r->rescore);
}

static gboolean
list_to_rescore (RsStore *store, const char *calibration, GPtrArray *uuids, GError **error)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (rs_store_get_lock (store));
  g_autoptr (RsStoreStmt) stmt = rs_store_query (store, error,
                                                 "SELECT DISTINCT attempt_id FROM results WHERE calibration IS NOT ?"
                                                 " ORDER BY attempt_id",
                                                 "s", calibration);
  int rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = rs_store_step (store, stmt, error)) == SQLITE_ROW)
    g_ptr_array_add (uuids, rs_store_column_strdup (stmt, 0));
  return rc == SQLITE_DONE;
}

static gboolean
rescore_tx (RsStore *store, GArray *changes, const char *calibration, const RsPerson *viewer, GError **error)
{
  gint64 now = rs_store_now ();
  g_autofree char *detail = NULL;
  guint n_results = 0;

  for (guint i = 0; i < changes->len; i++)
    {
      const Rescored *r = &g_array_index (changes, Rescored, i);

      for (int k = 0; k < r->rescore.n_results; k++)
        {
          const RsSkillResult *result = &r->rescore.results[k];
          g_autofree char *level = rs_store_level_to_db (result->level);
          RsSkillResult stored = *result;

          if (!rs_store_exec (store, error,
                              "INSERT INTO result_history (attempt_id, skill, theta, se, n_items, level, calibration,"
                              " se_provisional, replaced_at, replaced_by)"
                              " SELECT attempt_id, skill, theta, se, n_items, level, calibration, se_provisional, ?, ?"
                              " FROM results WHERE attempt_id = ? AND skill = ?",
                              "lsss", now, calibration, r->attempt, rs_skill_id (result->skill))
              || !rs_store_exec (store, error,
                                 "UPDATE results SET theta = ?, se = ?, level = ?, calibration = ?, se_provisional = ?"
                                 " WHERE attempt_id = ? AND skill = ?",
                                 "ddssiss", result->theta, result->se, level, calibration,
                                 r->se_provisional[result->skill] ? 1 : 0, r->attempt, rs_skill_id (result->skill))
              || !rs_store_set_level_probabilities_tx (store, r->attempt, &stored, error))
            return FALSE;
          n_results++;
        }
      for (guint j = 0; j < r->rescore.responses->len; j++)
        {
          const RsRescoredResponse *response = &g_array_index (r->rescore.responses, RsRescoredResponse, j);
          if (!rs_store_exec (store, error, "UPDATE responses SET theta = ?, se = ? WHERE attempt_id = ? AND seq = ?",
                              "ddsi", response->theta, response->se, r->attempt, (int) j + 1))
            return FALSE;
        }
    }
  detail = g_strdup_printf ("%u results with calibration %s", n_results, calibration ? calibration : "(none)");
  return audit_tx (store, viewer, "results-rescored", detail, error);
}

gboolean
rs_calibration_rescore (RsStore *store, const RsBank *bank, const RsPerson *viewer, int *n_rescored, GError **error)
{
  g_autoptr (GPtrArray) uuids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GArray) changes = g_array_new (FALSE, FALSE, sizeof (Rescored));
  g_autoptr (GMutexLocker) locker = NULL;
  const char *calibration = rs_bank_calibration (bank);

  g_return_val_if_fail (store != NULL && bank != NULL, FALSE);
  g_array_set_clear_func (changes, rescored_clear);
  if (!rs_access_require_admin (viewer, error) || !list_to_rescore (store, calibration, uuids, error))
    return FALSE;
  for (guint i = 0; i < uuids->len; i++)
    {
      g_autoptr (RsAttempt) attempt = rs_store_load_attempt (store, g_ptr_array_index (uuids, i), error);
      g_autoptr (GError) local = NULL;
      RsRescoreInputs inputs;
      Rescored r = { 0 };

      if (attempt == NULL)
        return FALSE;
      rs_rescore_inputs_init_for_attempt (&inputs, attempt);
      inputs.stored_scores = TRUE;
      /* The one definition of an attempt's numbers (rs-rescore): the
       * parameters in force, the prior the attempt kept, pretest answers
       * unscored. An attempt whose items left the bank keeps its results. */
      if (!rs_attempt_rescore (attempt, bank, &inputs, &r.rescore, &local))
        {
          g_debug ("attempt %s is not re-scored: %s", attempt->uuid, local->message);
          continue;
        }
      for (int k = 0; k < r.rescore.n_results; k++)
        r.se_provisional[r.rescore.results[k].skill]
          = rs_assessment_se_provisional (bank, attempt, r.rescore.results[k].skill);
      r.attempt = g_strdup (attempt->uuid);
      g_array_append_val (changes, r);
    }
  if (changes->len > 0)
    {
      locker = g_mutex_locker_new (rs_store_get_lock (store));
      if (!rs_store_begin (store, TRUE, error)
          || !rs_store_end (store, rescore_tx (store, changes, calibration, viewer, error), error))
        return FALSE;
    }
  if (n_rescored != NULL)
    {
      *n_rescored = 0;
      for (guint i = 0; i < changes->len; i++)
        *n_rescored += g_array_index (changes, Rescored, i).rescore.n_results;
    }
  return TRUE;
}

/* --- export --- */

static void
append_quoted (GString *out, const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

gboolean
rs_calibration_export (const RsCalibration *calibration, const char *path, GError **error)
{
  g_autoptr (GString) out = g_string_new (NULL);
  g_autoptr (GString) withheld = g_string_new (NULL);
  g_autoptr (GDateTime) when = NULL;
  g_autofree char *created = NULL;
  char number[G_ASCII_DTOSTR_BUF_SIZE];

  g_return_val_if_fail (calibration != NULL && path != NULL, FALSE);
  if (calibration->uuid == NULL)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_INVALID, _("Only an applied calibration can be exported: apply it first."));
      return FALSE;
    }
  when = g_date_time_new_from_unix_utc (calibration->created_at / G_USEC_PER_SEC);
  created = g_date_time_format_iso8601 (when);
  g_string_append_printf (out,
                          "# Reskill calibration, written by `reskill calibrate --export`. Put this file in the\n"
                          "# questions folder of every kiosk as %s: the bank reads it last, and\n"
                          "# results scored with it record its id. Items not listed keep their own parameters.\n"
                          "calibration: %s\ncreated: %s\nitems:\n",
                          RS_BANK_CALIBRATION_FILE, calibration->uuid, created);
  for (guint i = 0; i < calibration->items->len; i++)
    {
      const RsCalibrationItem *it = g_ptr_array_index (calibration->items, i);
      gboolean use = it->status == RS_ITEM_CALIBRATED
                     || (it->status == RS_ITEM_FLAGGED && it->decision == RS_DECISION_USE);

      if (it->status == RS_ITEM_FLAGGED && !use)
        {
          g_string_append (withheld, withheld->len > 0 ? ", " : "");
          append_quoted (withheld, it->item_id);
          continue;
        }
      if (!use)
        continue;
      g_string_append (out, "  - {id: ");
      append_quoted (out, it->item_id);
      g_string_append_printf (out, ", irt: {a: %s, b: ", g_ascii_dtostr (number, sizeof number, it->params.a));
      if (it->params.model == RS_MODEL_GPCM)
        {
          g_string_append_c (out, '[');
          for (int v = 0; v < it->params.n_steps; v++)
            g_string_append_printf (out, "%s%s", v > 0 ? ", " : "",
                                    g_ascii_dtostr (number, sizeof number, it->params.steps[v]));
          g_string_append (out, "]}}\n");
        }
      else
        {
          g_string_append (out, g_ascii_dtostr (number, sizeof number, it->params.b));
          g_string_append_printf (out, ", c: %s}}\n", g_ascii_dtostr (number, sizeof number, it->params.c));
        }
    }
  g_string_append_printf (out, "withheld: [%s]\n", withheld->str);
  return g_file_set_contents (path, out->str, (gssize) out->len, error);
}
