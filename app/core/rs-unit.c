/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Signed units: serialization, signatures, checks and the merge; see
 * rs-unit.h. The merge rules were the results bundle's (issue 6) and moved
 * here so that every way results arrive goes through the same checks. */
#include "rs-unit.h"


#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "rs-access.h"
#include "rs-erasure.h"
#include "rs-error.h"
#include "rs-rescore.h"
#include "rs-retention.h"
#include "rs-store-private.h"
#include "rs-trust.h"

/* --- the unit --- */

RsUnit *
rs_unit_new_attempt (RsAttempt *attempt, const char *employee_no)
{
  RsUnit *unit = g_new0 (RsUnit, 1);

  unit->kind = RS_UNIT_KIND_ATTEMPT;
  unit->version = RS_UNIT_ATTEMPT_VERSION;
  unit->attempt = attempt;
  unit->employee_no = g_strdup (employee_no);
  return unit;
}

RsErasureRecord *
rs_erasure_record_new (void)
{
  RsErasureRecord *record = g_new0 (RsErasureRecord, 1);

  record->attempts = g_ptr_array_new_with_free_func (g_free);
  return record;
}

void
rs_erasure_record_free (RsErasureRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->uuid);
  g_free (record->kiosk_id);
  g_ptr_array_unref (record->attempts);
  g_free (record);
}

RsUnit *
rs_unit_new_erasure (RsErasureRecord *erasure, const char *employee_no)
{
  RsUnit *unit = g_new0 (RsUnit, 1);

  unit->kind = RS_UNIT_KIND_ERASURE;
  unit->version = RS_UNIT_ERASURE_VERSION;
  unit->erasure = erasure;
  unit->employee_no = g_strdup (employee_no);
  return unit;
}

const char *
rs_unit_uuid (const RsUnit *unit)
{
  if (unit->kind == RS_UNIT_KIND_ERASURE && unit->erasure != NULL)
    return unit->erasure->uuid;
  return unit->attempt != NULL ? unit->attempt->uuid : NULL;
}

void
rs_unit_free (RsUnit *unit)
{
  if (unit == NULL)
    return;
  rs_attempt_free (unit->attempt);
  rs_erasure_record_free (unit->erasure);
  g_free (unit->employee_no);
  g_free (unit);
}

/* --- canonical serialization --- */

static void
put_null (GString *out)
{
  g_string_append (out, "\tN");
}

static void
put_int (GString *out, gint64 value)
{
  g_string_append_printf (out, "\tI%" G_GINT64_FORMAT, value);
}

static void
put_real (GString *out, double value)
{
  guint64 bits;

  memcpy (&bits, &value, sizeof bits);
  g_string_append_printf (out, "\tR%016" G_GINT64_MODIFIER "x", bits);
}

static void
put_text (GString *out, const char *text)
{
  if (text == NULL)
    {
      put_null (out);
      return;
    }
  g_string_append_printf (out, "\tT%zu:", strlen (text));
  g_string_append (out, text);
}

static void
put_level (GString *out, RsLevel level)
{
  g_autofree char *id = g_strdup (rs_level_id (level));

  put_text (out, id);
}

static GBytes *
serialize_erasure (const RsUnit *unit)
{
  const RsErasureRecord *e = unit->erasure;
  GString *out = g_string_sized_new (160 + 48 * e->attempts->len);

  g_string_append_printf (out, "%s\terasure\t%d\n", RS_UNIT_FORMAT, unit->version);
  g_string_append (out, "erasure");
  put_text (out, e->uuid);
  put_text (out, unit->employee_no);
  put_text (out, e->kiosk_id);
  put_int (out, e->erased_at);
  g_string_append_c (out, '\n');
  for (guint i = 0; i < e->attempts->len; i++)
    {
      g_string_append (out, "attempt");
      put_text (out, g_ptr_array_index (e->attempts, i));
      g_string_append_c (out, '\n');
    }
  return g_string_free_to_bytes (out);
}

GBytes *
rs_unit_serialize (const RsUnit *unit)
{
  const RsAttempt *a = unit->attempt;
  GString *out;
  g_autoptr (GString) skills = NULL;

  if (unit->kind == RS_UNIT_KIND_ERASURE)
    {
      g_return_val_if_fail (unit->erasure != NULL, NULL);
      return serialize_erasure (unit);
    }
  g_return_val_if_fail (unit->kind == RS_UNIT_KIND_ATTEMPT && a != NULL, NULL);
  out = g_string_sized_new (256 + 128 * a->responses->len);
  skills = g_string_new (NULL);
  g_string_append_printf (out, "%s\tattempt\t%d\n", RS_UNIT_FORMAT, unit->version);
  for (int i = 0; i < a->n_skills; i++)
    g_string_append_printf (skills, "%s%s", i > 0 ? "," : "", rs_skill_id (a->skills[i]));
  g_string_append (out, "attempt");
  put_text (out, a->uuid);
  put_text (out, unit->employee_no);
  put_text (out, rs_mode_id (a->mode));
  put_text (out, skills->str);
  put_int (out, a->seed);
  put_text (out, a->bank_version);
  put_text (out, a->kiosk_id);
  put_text (out, a->status == RS_ATTEMPT_FINISHED ? "finished" : "in_progress");
  put_int (out, a->started_at);
  if (a->status == RS_ATTEMPT_FINISHED)
    put_int (out, a->finished_at);
  else
    put_null (out);
  put_text (out, a->pending_item_id);
  put_int (out, a->pending_unscored ? 1 : 0);
  g_string_append_c (out, '\n');
  /* The prior each skill was measured from: it decides every estimate. */
  for (int s = 0; s < RS_N_SKILLS; s++)
    if (a->prior_sd[s] > 0)
      {
        g_string_append (out, "prior");
        put_text (out, rs_skill_id ((RsSkill) s));
        put_real (out, a->prior_mean[s]);
        put_real (out, a->prior_sd[s]);
        g_string_append_c (out, '\n');
      }
  for (int s = 0; s < RS_N_SKILLS; s++)
    if (a->self_level[s] != RS_LEVEL_INVALID)
      {
        g_string_append (out, "self");
        put_text (out, rs_skill_id ((RsSkill) s));
        put_level (out, a->self_level[s]);
        g_string_append_c (out, '\n');
      }
  for (guint i = 0; i < a->responses->len; i++)
    {
      const RsResponse *r = &g_array_index (a->responses, RsResponse, i);

      g_string_append (out, "response");
      put_int (out, r->seq);
      put_text (out, r->item_id);
      put_text (out, rs_skill_id (r->skill));
      put_text (out, r->answer);
      put_int (out, r->score);
      put_int (out, r->max_score);
      put_real (out, r->theta);
      put_real (out, r->se);
      put_int (out, r->time_ms);
      put_int (out, r->answered_at);
      put_int (out, r->unscored ? 1 : 0);
      g_string_append_c (out, '\n');
    }
  for (int i = 0; i < a->n_skills; i++)
    for (guint k = 0; k < a->results->len; k++)
      {
        const RsSkillResult *r = &g_array_index (a->results, RsSkillResult, k);

        if (r->skill != a->skills[i])
          continue;
        g_string_append (out, "result");
        put_text (out, rs_skill_id (r->skill));
        put_real (out, r->theta);
        put_real (out, r->se);
        put_int (out, r->n_items);
        put_level (out, r->level);
        /* Which item parameters scored it, and whether its SE rests on
         * provisional ones: signed, because both change what it means. */
        put_text (out, r->calibration[0] != '\0' ? r->calibration : NULL);
        put_int (out, r->se_provisional ? 1 : 0);
        for (int l = 0; l < RS_N_LEVELS; l++)
          if (r->has_level_probability)
            put_real (out, r->level_probability[l]);
          else
            put_null (out);
        g_string_append_c (out, '\n');
      }
  return g_string_free_to_bytes (out);
}

void
rs_unit_sign (RsUnit *unit, const RsKioskKey *key)
{
  g_autoptr (GBytes) body = rs_unit_serialize (unit);
  gsize length = 0;
  const void *data = g_bytes_get_data (body, &length);

  memcpy (unit->signer, rs_kiosk_key_public (key), sizeof unit->signer);
  rs_kiosk_key_sign (key, data, length, unit->signature);
  unit->is_signed = TRUE;
}

gboolean
rs_unit_signature_valid (const RsUnit *unit)
{
  g_autoptr (GBytes) body = NULL;
  gsize length = 0;
  const void *data;

  if (!unit->is_signed)
    return FALSE;
  body = rs_unit_serialize (unit);
  data = g_bytes_get_data (body, &length);
  return rs_kiosk_key_verify (unit->signer, data, length, unit->signature);
}

RsUnit *
rs_unit_load_attempt (RsStore *store, const char *uuid, GError **error)
{
  g_autoptr (RsAttempt) attempt = rs_store_load_attempt (store, uuid, error);
  g_autoptr (RsPerson) person = NULL;

  if (attempt == NULL)
    return NULL;
  if (attempt->person_id != 0 && (person = rs_store_get_person (store, attempt->person_id, error)) == NULL)
    return NULL;
  return rs_unit_new_attempt (g_steal_pointer (&attempt), person != NULL ? person->employee_no : NULL);
}

/* --- summaries --- */

void
rs_import_summary_clear (RsImportSummary *summary)
{
  if (summary == NULL)
    return;
  g_clear_pointer (&summary->signer_fingerprint, g_free);
  g_clear_pointer (&summary->signer_name, g_free);
  g_clear_pointer (&summary->unknown_employee_nos, g_ptr_array_unref);
  g_clear_pointer (&summary->conflicts, g_ptr_array_unref);
  g_clear_pointer (&summary->missing_bank_versions, g_ptr_array_unref);
  g_clear_pointer (&summary->missing_calibrations, g_ptr_array_unref);
}

/* A list of ids, as the summary shows them. */
static char *
join_ids (const GPtrArray *ids)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < ids->len; i++)
    g_string_append_printf (text, "%s%s", i > 0 ? ", " : "", (const char *) g_ptr_array_index (ids, i));
  return g_string_free (text, FALSE);
}

char *
rs_import_summary_describe (const RsImportSummary *s)
{
  GString *text = g_string_new (NULL);
  g_autofree char *attempts = NULL, *answers = NULL;

  g_return_val_if_fail (s != NULL, NULL);
  attempts = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d attempt added", "%d attempts added",
                                           (gulong) s->attempts_added), s->attempts_added);
  answers = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d answer added", "%d answers added",
                                          (gulong) s->responses_added), s->responses_added);
  /* Translators: for example "12 attempts added, 3 updated, 5 already
   * here; 240 answers added"; the numbers in the middle count attempts. */
  g_string_append_printf (text, _("%s, %d updated, %d already here; %s"), attempts, s->attempts_updated,
                          s->attempts_unchanged, answers);
  if (s->erasures_applied > 0 || s->erasures_skipped > 0)
    {
      g_autofree char *applied = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d erasure applied",
                                                               "%d erasures applied", (gulong) s->erasures_applied),
                                                  s->erasures_applied);
      g_autofree char *erased = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d person erased here",
                                                              "%d people erased here", (gulong) s->people_erased),
                                                 s->people_erased);

      g_string_append_c (text, '\n');
      /* Translators: for example "2 erasures applied: 1 person erased here". */
      g_string_append_printf (text, _("%s: %s"), applied, erased);
      if (s->erasures_skipped > 0)
        g_string_append_printf (text,
                                g_dngettext (GETTEXT_PACKAGE,
                                             "; %d not applied, because it would remove the last administrator "
                                             "here: make another administrator, then import this bundle again",
                                             "; %d not applied, because they would remove the last administrator "
                                             "here: make another administrator, then import this bundle again",
                                             (gulong) s->erasures_skipped),
                                s->erasures_skipped);
    }
  if (s->attempts_erased > 0)
    {
      g_string_append_c (text, '\n');
      g_string_append_printf (text,
                              g_dngettext (GETTEXT_PACKAGE,
                                           "%d attempt of erased people skipped: erased results never come back",
                                           "%d attempts of erased people skipped: erased results never come back",
                                           (gulong) s->attempts_erased),
                              s->attempts_erased);
    }
  if (s->attempts_expired > 0)
    {
      g_string_append_c (text, '\n');
      g_string_append_printf (text,
                              g_dngettext (GETTEXT_PACKAGE,
                                           "%d attempt older than this kiosk keeps results skipped",
                                           "%d attempts older than this kiosk keeps results skipped",
                                           (gulong) s->attempts_expired),
                              s->attempts_expired);
    }
  if (s->attempts_unknown > 0 && s->unknown_employee_nos != NULL)
    {
      g_autofree char *list = join_ids (s->unknown_employee_nos);
      g_autofree char *skipped = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d attempt", "%d attempts",
                                                               (gulong) s->attempts_unknown), s->attempts_unknown);
      g_autofree char *numbers = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "unknown employee number %s",
                                                               "unknown employee numbers %s",
                                                               s->unknown_employee_nos->len), list);

      g_string_append_c (text, '\n');
      /* Translators: for example "3 attempts for unknown employee numbers
       * 4711, 4712 skipped: ...". */
      g_string_append_printf (text, _("%s for %s skipped: import people first, then this bundle again"), skipped,
                              numbers);
    }
  if (s->attempts_other_bank > 0 && s->missing_bank_versions != NULL)
    {
      g_autofree char *list = join_ids (s->missing_bank_versions);

      g_string_append_c (text, '\n');
      g_string_append_printf (text,
                              g_dngettext (GETTEXT_PACKAGE,
                                           "%d attempt scored with question bank version %s was refused: this kiosk "
                                           "does not have that bank, so its results cannot be checked. Install the "
                                           "same questions here, then import this bundle again",
                                           "%d attempts scored with question bank version %s were refused: this "
                                           "kiosk does not have that bank, so their results cannot be checked. "
                                           "Install the same questions here, then import this bundle again",
                                           (gulong) s->attempts_other_bank),
                              s->attempts_other_bank, list);
    }
  if (s->attempts_other_calibration > 0 && s->missing_calibrations != NULL)
    {
      g_autofree char *list = join_ids (s->missing_calibrations);

      g_string_append_c (text, '\n');
      g_string_append_printf (text,
                              g_dngettext (GETTEXT_PACKAGE,
                                           "%d attempt scored with calibration %s was refused: another calibration "
                                           "is in force here, so its results cannot be checked. Bring both kiosks "
                                           "to the same calibration (reskill calibrate --export), then import this "
                                           "bundle again",
                                           "%d attempts scored with calibration %s were refused: another "
                                           "calibration is in force here, so their results cannot be checked. "
                                           "Bring both kiosks to the same calibration (reskill calibrate --export), "
                                           "then import this bundle again",
                                           (gulong) s->attempts_other_calibration),
                              s->attempts_other_calibration, list);
    }
  if (s->attempts_conflicting > 0 && s->conflicts != NULL)
    {
      g_string_append_c (text, '\n');
      g_string_append_printf (text,
                              g_dngettext (GETTEXT_PACKAGE,
                                           "%d attempt conflicts with the copy here and was left as it is:",
                                           "%d attempts conflict with the copy here and were left as they are:",
                                           (gulong) s->attempts_conflicting),
                              s->attempts_conflicting);
      for (guint i = 0; i < s->conflicts->len; i++)
        g_string_append_printf (text, " %s%s", (const char *) g_ptr_array_index (s->conflicts, i),
                                i + 1 < s->conflicts->len ? ";" : "");
    }
  return g_string_free (text, FALSE);
}

/* --- checking a unit, before any write --- */

typedef enum {
  UNIT_OK,
  UNIT_OTHER_BANK,           /* skipped: its bank is not here */
  UNIT_OTHER_CALIBRATION,    /* skipped: scored with a calibration not in force here */
} UnitVerdict;

static gboolean
unit_refuse (GError **error, const RsUnitCheck *check, const RsUnit *unit, RsError code, const char *format, ...)
  G_GNUC_PRINTF (5, 6);

static gboolean
unit_refuse (GError **error, const RsUnitCheck *check, const RsUnit *unit, RsError code, const char *format, ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  if (unit->kind == RS_UNIT_KIND_ERASURE)
    /* Translators: the file, the erasure's UUID, and what is wrong with it. */
    g_set_error (error, RS_ERROR, code, _("%s: refused: erasure %s %s. Nothing was imported."),
                 check->source != NULL ? check->source : _("results"),
                 rs_unit_uuid (unit) != NULL ? rs_unit_uuid (unit) : "(none)", message);
  else
    /* Translators: the file, the attempt's UUID, and what is wrong with it,
     * such as "is not signed". */
    g_set_error (error, RS_ERROR, code, _("%s: refused: attempt %s %s. Nothing was imported."),
                 check->source != NULL ? check->source : _("results"),
                 rs_unit_uuid (unit) != NULL ? rs_unit_uuid (unit) : "(none)", message);
  return FALSE;
}

static gboolean
finite_positive (double se)
{
  return isfinite (se) && se > 0.0;
}

/* What can be judged from the unit alone. */
static gboolean
check_content (const RsUnitCheck *check, const RsUnit *unit, gint64 now, GError **error)
{
  const RsAttempt *a = unit->attempt;
  gint64 latest = now + (gint64) RS_UNIT_CLOCK_SKEW_MINUTES * 60 * G_USEC_PER_SEC;
  gint64 previous = a->started_at;
  int per_skill[RS_N_SKILLS] = { 0 };     /* scored answers */
  int unscored[RS_N_SKILLS] = { 0 };      /* pretest answers */
  RsStopRule rule;

  if (a->mode < 0 || a->mode >= RS_N_MODES)
    return unit_refuse (error, check, unit, RS_ERROR_INVALID, _("has an unknown mode"));
  rs_mode_stop_rule (a->mode, &rule);
  if (a->started_at < RS_UNIT_EARLIEST_TIME || a->started_at > latest)
    return unit_refuse (error, check, unit, RS_ERROR_INVALID,
                        _("starts at a time that cannot be (before 2020, or after now)"));
  if (a->status == RS_ATTEMPT_FINISHED && (a->finished_at < a->started_at || a->finished_at > latest))
    return unit_refuse (error, check, unit, RS_ERROR_INVALID,
                        _("finishes at a time that cannot be (before it started, or after now)"));
  for (guint i = 0; i < a->responses->len; i++)
    {
      const RsResponse *r = &g_array_index (a->responses, RsResponse, i);

      if (r->seq != (int) i + 1)
        return unit_refuse (error, check, unit, RS_ERROR_INVALID, _("has answer %d out of sequence"), r->seq);
      if (!isfinite (r->theta) || !finite_positive (r->se))
        return unit_refuse (error, check, unit, RS_ERROR_INVALID,
                            _("has answer %d with an estimate that cannot be (θ %g, SE %g)"), r->seq, r->theta, r->se);
      if (r->answered_at < previous || r->answered_at > latest
          || (a->status == RS_ATTEMPT_FINISHED && r->answered_at > a->finished_at))
        return unit_refuse (error, check, unit, RS_ERROR_INVALID,
                            _("has answer %d at a time that cannot be (out of order, or after now)"), r->seq);
      if (r->time_ms < 0 || r->time_ms > 24 * 3600 * 1000)
        return unit_refuse (error, check, unit, RS_ERROR_INVALID, _("has answer %d shown for %d ms"), r->seq,
                            r->time_ms);
      previous = r->answered_at;
      if (r->skill < 0 || r->skill >= RS_N_SKILLS)
        continue;
      /* Pretest answers come on top of the scored ones, never more than a
       * tenth of the skill's questions so far (rs-cat). */
      if (r->unscored)
        unscored[r->skill]++;
      else
        per_skill[r->skill]++;
      if (r->unscored ? unscored[r->skill] > RS_CAT_PRETEST_MAX_SHARE * (per_skill[r->skill] + unscored[r->skill]) + 1e-9
                      : per_skill[r->skill] > rule.max_items)
        /* Translators: a skill, then the assessment length's id (quick,
         * standard or precise), as typed on the command line. */
        return unit_refuse (error, check, unit, RS_ERROR_INVALID,
                            r->unscored ? _("has more %s pretest answers than a %s test asks")
                                        : _("has more %s answers than a %s test asks"),
                            rs_skill_title (r->skill), rs_mode_id (a->mode));
    }
  for (guint k = 0; k < a->results->len; k++)
    {
      const RsSkillResult *r = &g_array_index (a->results, RsSkillResult, k);

      if (!isfinite (r->theta) || !finite_positive (r->se) || r->n_items < 0)
        return unit_refuse (error, check, unit, RS_ERROR_INVALID,
                            g_dngettext (GETTEXT_PACKAGE, "has a %s result that cannot be (θ %g, SE %g, %d item)",
                                         "has a %s result that cannot be (θ %g, SE %g, %d items)",
                                         (gulong) ABS (r->n_items)),
                            rs_skill_title (r->skill), r->theta, r->se, r->n_items);
    }
  if (a->status == RS_ATTEMPT_FINISHED)
    {
      if ((int) a->results->len != a->n_skills)
        return unit_refuse (error, check, unit, RS_ERROR_INVALID,
                            g_dngettext (GETTEXT_PACKAGE, "is finished with %u results for %d skill",
                                         "is finished with %u results for %d skills", (gulong) a->n_skills),
                            a->results->len, a->n_skills);
      for (int i = 0; i < a->n_skills; i++)
        if (per_skill[a->skills[i]] == 0)
          return unit_refuse (error, check, unit, RS_ERROR_INVALID, _("is finished with no %s answer"),
                              rs_skill_title (a->skills[i]));
    }
  else if (a->results->len > 0)
    return unit_refuse (error, check, unit, RS_ERROR_INVALID, _("is unfinished but has results"));
  return TRUE;
}

/* An erasure names one person and the attempts erased with them; it is
 * signed by a kiosk trusted here (checked with every unit's signer). */
static gboolean
check_erasure (const RsUnitCheck *check, const RsUnit *unit, gint64 now, GError **error)
{
  const RsErasureRecord *e = unit->erasure;
  gint64 latest = now + (gint64) RS_UNIT_CLOCK_SKEW_MINUTES * 60 * G_USEC_PER_SEC;

  if (e->uuid == NULL || !g_uuid_string_is_valid (e->uuid))
    return unit_refuse (error, check, unit, RS_ERROR_INVALID, "has no valid UUID");
  if (unit->employee_no == NULL || unit->employee_no[0] == '\0' || strlen (unit->employee_no) > 256
      || !g_utf8_validate (unit->employee_no, -1, NULL))
    return unit_refuse (error, check, unit, RS_ERROR_INVALID, "names no valid employee number");
  if (e->kiosk_id == NULL || e->kiosk_id[0] == '\0')
    return unit_refuse (error, check, unit, RS_ERROR_INVALID, "names no kiosk");
  if (e->erased_at < RS_UNIT_EARLIEST_TIME || e->erased_at > latest)
    return unit_refuse (error, check, unit, RS_ERROR_INVALID,
                        "was made at a time that cannot be (before 2020, or after now)");
  if (e->attempts->len > RS_UNIT_MAX_ERASED_ATTEMPTS)
    return unit_refuse (error, check, unit, RS_ERROR_INVALID, "names more than %d attempts",
                        RS_UNIT_MAX_ERASED_ATTEMPTS);
  for (guint i = 0; i < e->attempts->len; i++)
    {
      const char *uuid = g_ptr_array_index (e->attempts, i);

      if (uuid == NULL || !g_uuid_string_is_valid (uuid))
        return unit_refuse (error, check, unit, RS_ERROR_INVALID, "names an attempt that is not a UUID");
      /* Sorted and distinct: the signed form has one order. */
      if (i > 0 && strcmp (g_ptr_array_index (e->attempts, i - 1), uuid) >= 0)
        return unit_refuse (error, check, unit, RS_ERROR_INVALID, "lists its attempts out of order or twice");
    }
  return TRUE;
}

static const RsBank *
bank_for (const RsUnitCheck *check, const char *version)
{
  for (guint i = 0; version != NULL && i < check->n_banks; i++)
    if (check->banks[i] != NULL && g_strcmp0 (rs_bank_version (check->banks[i]), version) == 0)
      return check->banks[i];
  return NULL;
}

/* Everything but the store: signature, content, recomputation. The
 * signer's trust is looked up by the caller, once per signer. */
static gboolean
check_unit (const RsUnitCheck *check, const RsUnit *unit, gint64 now, UnitVerdict *verdict, GError **error)
{
  const RsBank *bank;
  RsRescore rescore = { 0 };
  g_autoptr (GError) local = NULL;
  g_autofree char *difference = NULL;

  *verdict = UNIT_OK;
  if (!(unit->kind == RS_UNIT_KIND_ATTEMPT && unit->version == RS_UNIT_ATTEMPT_VERSION && unit->attempt != NULL)
      && !(unit->kind == RS_UNIT_KIND_ERASURE && unit->version == RS_UNIT_ERASURE_VERSION && unit->erasure != NULL))
    return unit_refuse (error, check, unit, RS_ERROR_DB_TOO_NEW,
                        _("is a record of a kind or version this Reskill does not know: update it first"));
  if (!unit->is_signed)
    return unit_refuse (error, check, unit, RS_ERROR_DENIED, _("is not signed"));
  if (!rs_unit_signature_valid (unit))
    return unit_refuse (error, check, unit, RS_ERROR_INVALID,
                        _("does not match its signature: it was changed after the kiosk signed it (forged or "
                          "damaged)"));
  if (unit->kind == RS_UNIT_KIND_ERASURE)
    return check_erasure (check, unit, now, error);
  if (!check_content (check, unit, now, error))
    return FALSE;
  bank = bank_for (check, unit->attempt->bank_version);
  if (bank == NULL)
    {
      *verdict = UNIT_OTHER_BANK;
      return TRUE;
    }
  /* Results scored with another calibration cannot be recomputed here:
   * skipped and reported like another bank, never judged forged. */
  if (unit->attempt->results->len > 0)
    {
      const char *claimed = g_array_index (unit->attempt->results, RsSkillResult, 0).calibration;
      const char *here = rs_bank_calibration (bank);
      if (g_strcmp0 (claimed, here != NULL ? here : "") != 0)
        {
          *verdict = UNIT_OTHER_CALIBRATION;
          return TRUE;
        }
      for (guint k = 1; k < unit->attempt->results->len; k++)
        if (g_strcmp0 (g_array_index (unit->attempt->results, RsSkillResult, k).calibration, claimed) != 0)
          return unit_refuse (error, check, unit, RS_ERROR_INVALID,
                              _("has results scored with different calibrations"));
    }
  if (!rs_attempt_rescore (unit->attempt, bank, NULL, &rescore, &local))
    return unit_refuse (error, check, unit, RS_ERROR_INVALID, _("cannot be: %s"), local->message);
  difference = rs_rescore_compare (unit->attempt, &rescore);
  rs_rescore_clear (&rescore);
  if (difference != NULL)
    return unit_refuse (error, check, unit, RS_ERROR_INVALID,
                        _("claims what its answers do not give: %s"), difference);
  return TRUE;
}

/* --- merging --- */

typedef enum {
  MERGE_ADDED,
  MERGE_UPDATED,
  MERGE_UNCHANGED,
  MERGE_CONFLICT,
} MergeOutcome;

static char *
skills_text (const RsAttempt *a)
{
  GString *text = g_string_new (NULL);

  for (int i = 0; i < a->n_skills; i++)
    g_string_append_printf (text, "%s%s", i > 0 ? "," : "", rs_skill_id (a->skills[i]));
  return g_string_free (text, FALSE);
}

static gboolean
insert_response_tx (RsStore *store, const char *uuid, const RsResponse *r, GError **error)
{
  return rs_store_exec (store, error,
                        "INSERT INTO responses (attempt_id, seq, item_id, skill, answer, score, max_score,"
                        " theta, se, time_ms, answered_at, scored) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        "sisssiiddili", uuid, r->seq, r->item_id, rs_skill_id (r->skill), r->answer, r->score,
                        r->max_score, r->theta, r->se, r->time_ms, r->answered_at, r->unscored ? 0 : 1);
}

/* Results in test order: the store reads them back by rowid. */
static gboolean
insert_results_tx (RsStore *store, const RsAttempt *a, int *n_added, GError **error)
{
  for (int i = 0; i < a->n_skills; i++)
    for (guint r = 0; r < a->results->len; r++)
      {
        const RsSkillResult *result = &g_array_index (a->results, RsSkillResult, r);
        g_autofree char *level = NULL;

        if (result->skill != a->skills[i])
          continue;
        level = rs_store_level_to_db (result->level);
        if (!rs_store_exec (store, error,
                            "INSERT INTO results (attempt_id, skill, theta, se, n_items, level, calibration,"
                            " se_provisional) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                            "ssddissi", a->uuid, rs_skill_id (result->skill), result->theta, result->se,
                            result->n_items, level, result->calibration[0] != '\0' ? result->calibration : NULL,
                            result->se_provisional ? 1 : 0)
            || !rs_store_set_level_probabilities_tx (store, a->uuid, result, error))
          return FALSE;
        (*n_added)++;
      }
  return TRUE;
}

static gboolean
insert_attempt_tx (RsStore *store, const RsAttempt *a, gint64 person_id, RsImportSummary *sum, GError **error)
{
  if (!rs_store_insert_attempt_tx (store, a, person_id, error))
    return FALSE;
  sum->responses_added += (int) a->responses->len;
  sum->results_added += (int) a->results->len;
  return TRUE;
}

/* Whether the local answers and the unit's agree on every number both
 * have; *n_local is how many the local copy has. */
static gboolean
same_answers_tx (RsStore *store, const RsAttempt *a, int *n_local, gboolean *same, GError **error)
{
  g_autoptr (RsStoreStmt) stmt = rs_store_query (store, error,
                                                 "SELECT seq, item_id, answer, score, answered_at FROM responses"
                                                 " WHERE attempt_id = ? ORDER BY seq",
                                                 "s", a->uuid);
  int rc;

  *n_local = 0;
  *same = TRUE;
  if (stmt == NULL)
    return FALSE;
  while ((rc = rs_store_step (store, stmt, error)) == SQLITE_ROW)
    {
      int seq = sqlite3_column_int (stmt, 0);
      const RsResponse *r;

      (*n_local)++;
      if (seq < 1 || seq > (int) a->responses->len)
        continue;
      r = &g_array_index (a->responses, RsResponse, seq - 1);
      if (g_strcmp0 (r->item_id, (const char *) sqlite3_column_text (stmt, 1)) != 0
          || g_strcmp0 (r->answer, (const char *) sqlite3_column_text (stmt, 2)) != 0
          || r->score != sqlite3_column_int (stmt, 3)
          || r->answered_at != sqlite3_column_int64 (stmt, 4))
        *same = FALSE;
    }
  return rc == SQLITE_DONE;
}

/* An attempt the database already has: bring it forward, or leave it and
 * say why not (*why, for conflicts). */
static gboolean
merge_existing_tx (RsStore *store, const RsAttempt *a, const char *skills, gint64 person_id, sqlite3_stmt *local,
                   RsImportSummary *sum, MergeOutcome *outcome, char **why, GError **error)
{
  gboolean local_finished = g_strcmp0 ((const char *) sqlite3_column_text (local, 5), "finished") == 0;
  const char *local_kiosk = (const char *) sqlite3_column_text (local, 6);
  gboolean same = TRUE;
  int n_local = 0;

  *outcome = MERGE_CONFLICT;
  /* Held here as another kiosk's: two kiosks claim the same attempt. */
  if (g_strcmp0 (local_kiosk, a->kiosk_id) != 0)
    {
      *why = g_strdup_printf (_("this database has it from kiosk %s, the bundle from kiosk %s"),
                              local_kiosk != NULL ? local_kiosk : _("(none)"), a->kiosk_id != NULL ? a->kiosk_id : _("(none)"));
      return TRUE;
    }
  /* The same UUID but another person, mode, skill list, start or bank:
   * not the same attempt. Never overwrite. */
  if (sqlite3_column_int64 (local, 0) != person_id
      || g_strcmp0 ((const char *) sqlite3_column_text (local, 1), rs_mode_id (a->mode)) != 0
      || g_strcmp0 ((const char *) sqlite3_column_text (local, 2), skills) != 0
      || (guint32) sqlite3_column_int64 (local, 3) != a->seed
      || sqlite3_column_int64 (local, 4) != a->started_at
      || g_strcmp0 ((const char *) sqlite3_column_text (local, 7), a->bank_version) != 0)
    {
      *why = g_strdup (_("not the same attempt (person, mode, skills, start or bank differ)"));
      return TRUE;
    }
  if (!same_answers_tx (store, a, &n_local, &same, error))
    return FALSE;
  /* Continued on two kiosks at once: the answers differ. */
  if (!same)
    {
      *why = g_strdup (_("it was continued on two kiosks: the answers differ"));
      return TRUE;
    }
  if (local_finished || (n_local >= (int) a->responses->len && a->status != RS_ATTEMPT_FINISHED))
    {
      *outcome = MERGE_UNCHANGED;
      return TRUE;
    }
  /* Finished elsewhere with fewer answers than this copy has: diverged. */
  if (n_local > (int) a->responses->len)
    {
      *why = g_strdup (_("this copy has more answers than the finished one in the bundle"));
      return TRUE;
    }

  for (guint i = (guint) n_local; i < a->responses->len; i++)
    if (!insert_response_tx (store, a->uuid, &g_array_index (a->responses, RsResponse, i), error))
      return FALSE;
  sum->responses_added += (int) a->responses->len - n_local;
  if (a->status == RS_ATTEMPT_FINISHED)
    {
      if (!insert_results_tx (store, a, &sum->results_added, error)
          || !rs_store_exec (store, error,
                             "UPDATE attempts SET status = 'finished', finished_at = ?, pending_item_id = NULL"
                             " WHERE uuid = ?",
                             "ls", a->finished_at, a->uuid))
        return FALSE;
    }
  else if (!rs_store_exec (store, error, "UPDATE attempts SET pending_item_id = ?, pending_scored = ? WHERE uuid = ?",
                           "sis", a->pending_item_id, a->pending_unscored ? 0 : 1, a->uuid))
    return FALSE;
  *outcome = MERGE_UPDATED;
  return TRUE;
}

static gboolean
merge_unit_tx (RsStore *store, const RsUnit *unit, gint64 results_before, RsImportSummary *sum, GHashTable *unknown,
               GError **error)
{
  const RsAttempt *a = unit->attempt;
  g_autoptr (RsStoreStmt) local = NULL;
  g_autofree char *skills = skills_text (a);
  g_autofree char *why = NULL;
  MergeOutcome outcome = MERGE_ADDED;
  gint64 person_id = 0;
  int rc;

  /* Never back: what an erasure removed, or what is older than this
   * kiosk keeps results (issue 14). */
  {
    gboolean blocked = FALSE;

    if (!rs_erasure_blocks_tx (store, a->uuid, unit->employee_no, a->started_at, &blocked, error))
      return FALSE;
    if (blocked)
      {
        sum->attempts_erased++;
        return TRUE;
      }
    if (rs_retention_attempt_time (a) < results_before)
      {
        sum->attempts_expired++;
        return TRUE;
      }
  }
  if (unit->employee_no != NULL)
    {
      person_id = -1;
      if (!rs_store_get_int (store, &person_id, error, "SELECT id FROM people WHERE employee_no = ?", "s",
                             unit->employee_no))
        return FALSE;
      if (person_id == -1)
        {
          g_hash_table_add (unknown, unit->employee_no);
          sum->attempts_unknown++;
          return TRUE;
        }
    }
  local = rs_store_query (store, error,
                          "SELECT ifnull (person_id, 0), mode, skills, seed, started_at, status, kiosk_id, bank_version"
                          " FROM attempts WHERE uuid = ?",
                          "s", a->uuid);
  if (local == NULL)
    return FALSE;
  rc = rs_store_step (store, local, error);
  if (rc == SQLITE_ROW)
    {
      if (!merge_existing_tx (store, a, skills, person_id, local, sum, &outcome, &why, error))
        return FALSE;
    }
  else if (rc != SQLITE_DONE || !insert_attempt_tx (store, a, person_id, sum, error))
    return FALSE;

  switch (outcome)
    {
    case MERGE_ADDED:
      sum->attempts_added++;
      break;
    case MERGE_UPDATED:
      sum->attempts_updated++;
      break;
    case MERGE_UNCHANGED:
      sum->attempts_unchanged++;
      break;
    case MERGE_CONFLICT:
    default:
      sum->attempts_conflicting++;
      g_ptr_array_add (sum->conflicts, g_strdup_printf ("%s: %s", a->uuid, why != NULL ? why : _("differs")));
      break;
    }
  return TRUE;
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static void
add_sorted_keys (GHashTable *set, GPtrArray *to)
{
  g_autofree const char **keys = NULL;
  guint n = 0;

  keys = (const char **) g_hash_table_get_keys_as_array (set, &n);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (to, g_strdup (keys[i]));
  g_ptr_array_sort (to, compare_strings);
}

static gboolean
import_tx (RsStore *store, const RsPerson *viewer, const RsUnitCheck *check, GPtrArray *units,
           const UnitVerdict *verdicts, RsImportSummary *sum, GError **error)
{
  g_autoptr (GHashTable) unknown = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *description = NULL, *detail = NULL;
  g_auto (GStrv) lines = NULL;
  RsImportSummary logged;
  gint64 results_before = 0, inactive_before = 0;

  if (!rs_retention_cutoffs_tx (store, check->now != 0 ? check->now : rs_store_now (), &results_before,
                                &inactive_before, error))
    return FALSE;
  /* Erasures first: the attempts of the same import must meet their
   * tombstones. */
  for (guint i = 0; i < units->len; i++)
    {
      const RsUnit *unit = g_ptr_array_index (units, i);
      g_autofree char *from = NULL;
      RsErasureOutcome outcome;
      guint n_people = 0;

      if (verdicts[i] != UNIT_OK || unit->kind != RS_UNIT_KIND_ERASURE)
        continue;
      from = rs_kiosk_fingerprint (unit->signer);
      if (!rs_erasure_apply_tx (store, viewer, unit, from, &outcome, &n_people, error))
        return FALSE;
      sum->erasures_applied += outcome == RS_ERASURE_APPLIED;
      sum->erasures_known += outcome == RS_ERASURE_KNOWN;
      sum->erasures_skipped += outcome == RS_ERASURE_LAST_ADMIN;
      sum->people_erased += (int) n_people;
    }
  for (guint i = 0; i < units->len; i++)
    {
      const RsUnit *unit = g_ptr_array_index (units, i);

      if (verdicts[i] == UNIT_OK && unit->kind == RS_UNIT_KIND_ATTEMPT
          && !merge_unit_tx (store, unit, results_before, sum, unknown, error))
        return FALSE;
    }
  add_sorted_keys (unknown, sum->unknown_employee_nos);
  g_ptr_array_sort (sum->conflicts, compare_strings);

  /* The log keeps how many numbers were unknown, not which: a number in
   * the audit log would outlive that person's erasure. */
  logged = *sum;
  logged.unknown_employee_nos = NULL;
  description = rs_import_summary_describe (&logged);
  lines = g_strsplit (description, "\n", -1);
  g_free (description);
  description = g_strjoinv ("; ", lines);
  detail = g_strdup_printf ("%s, signed by %s%s%s%s: %s", check->source != NULL ? check->source : "results",
                            sum->signer_fingerprint != NULL ? sum->signer_fingerprint : "(no units)",
                            sum->signer_name != NULL ? " (" : "", sum->signer_name != NULL ? sum->signer_name : "",
                            sum->signer_name != NULL ? ")" : "", description);
  return rs_store_exec (store, error, "INSERT INTO audit (at, person_id, event, detail) VALUES (?, ?, ?, ?)",
                        "lrss", rs_store_now (), viewer != NULL ? viewer->id : (gint64) 0, "results-imported",
                        detail);
}

/* Each distinct signer once: trusted here, or this kiosk itself. */
static gboolean
check_signers (RsStore *store, const RsUnitCheck *check, GPtrArray *units, RsImportSummary *sum, GError **error)
{
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_bytes_hash, g_bytes_equal, (GDestroyNotify) g_bytes_unref,
                                                       NULL);

  for (guint i = 0; i < units->len; i++)
    {
      const RsUnit *unit = g_ptr_array_index (units, i);
      g_autoptr (GBytes) key = NULL;
      g_autoptr (RsTrustedKiosk) entry = NULL;
      g_autofree char *fingerprint = NULL;
      RsTrustState state;

      if (!unit->is_signed)
        return unit_refuse (error, check, unit, RS_ERROR_DENIED,
                            _("is not signed: it comes from an older Reskill or was not exported by a kiosk"));
      key = g_bytes_new (unit->signer, sizeof unit->signer);
      if (g_hash_table_contains (seen, key))
        continue;
      if (!rs_trust_lookup (store, unit->signer, &state, &entry, error))
        return FALSE;
      fingerprint = rs_kiosk_fingerprint (unit->signer);
      if (state != RS_TRUST_TRUSTED && state != RS_TRUST_SELF)
        {
          g_autofree char *why = rs_trust_describe_refusal (state, entry, fingerprint);
          g_set_error (error, RS_ERROR, RS_ERROR_DENIED, _("%s: refused: %s. Nothing was imported."),
                       check->source != NULL ? check->source : "results", why);
          return FALSE;
        }
      if (sum->signer_fingerprint == NULL)
        {
          sum->signer_fingerprint = g_strdup (fingerprint);
          sum->signer_name = entry != NULL ? g_strdup (entry->name) : NULL;
        }
      g_hash_table_add (seen, g_steal_pointer (&key));
    }
  return TRUE;
}

gboolean
rs_units_import (RsStore *store, const RsPerson *viewer, const RsUnitCheck *check, GPtrArray *units,
                 RsImportSummary *summary, GError **error)
{
  g_autofree UnitVerdict *verdicts = NULL;
  g_autoptr (GHashTable) other_banks = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GHashTable) other_calibrations = g_hash_table_new (g_str_hash, g_str_equal);
  RsImportSummary sum = { 0 };
  gint64 now;
  gboolean ok;

  g_return_val_if_fail (store != NULL && check != NULL && units != NULL, FALSE);
  if (viewer != NULL && !rs_access_require_admin (viewer, error))
    return FALSE;
  now = check->now != 0 ? check->now : rs_store_now ();
  sum.unknown_employee_nos = g_ptr_array_new_with_free_func (g_free);
  sum.conflicts = g_ptr_array_new_with_free_func (g_free);
  sum.missing_bank_versions = g_ptr_array_new_with_free_func (g_free);
  sum.missing_calibrations = g_ptr_array_new_with_free_func (g_free);
  verdicts = g_new0 (UnitVerdict, MAX (units->len, 1));

  /* Everything that can refuse comes before the first write. */
  ok = check_signers (store, check, units, &sum, error);
  for (guint i = 0; ok && i < units->len; i++)
    {
      const RsUnit *unit = g_ptr_array_index (units, i);

      ok = check_unit (check, unit, now, &verdicts[i], error);
      if (ok && verdicts[i] == UNIT_OTHER_BANK)
        {
          sum.attempts_other_bank++;
          g_hash_table_add (other_banks, unit->attempt->bank_version != NULL ? unit->attempt->bank_version
                                                                             : (char *) "(none)");
        }
      else if (ok && verdicts[i] == UNIT_OTHER_CALIBRATION)
        {
          const char *calibration = g_array_index (unit->attempt->results, RsSkillResult, 0).calibration;
          sum.attempts_other_calibration++;
          g_hash_table_add (other_calibrations, (char *) (calibration[0] != '\0' ? calibration
                                                                                 : _("(the starting parameters)")));
        }
    }
  if (ok)
    {
      g_autoptr (GMutexLocker) locker = g_mutex_locker_new (rs_store_get_lock (store));

      add_sorted_keys (other_banks, sum.missing_bank_versions);
      add_sorted_keys (other_calibrations, sum.missing_calibrations);
      ok = rs_store_begin (store, TRUE, error)
           && rs_store_end (store, import_tx (store, viewer, check, units, verdicts, &sum, error), error);
    }
  if (!ok)
    {
      rs_import_summary_clear (&sum);
      return FALSE;
    }
  if (summary != NULL)
    *summary = sum;
  else
    rs_import_summary_clear (&sum);
  return TRUE;
}
