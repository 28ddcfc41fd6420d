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

/* --- reading the canonical bytes back --- */

/* Units are parsed where they arrive from elsewhere (the organization's
 * server): bounded, every value checked for its type, and the result
 * serialized again and compared byte for byte, so that exactly one
 * encoding of an attempt exists and the signature covers what is stored. */

typedef struct {
  const char *p, *end;
  int line;
} Reader;

typedef enum {
  VALUE_NULL,
  VALUE_INT,
  VALUE_REAL,
  VALUE_TEXT,
} ValueType;

typedef struct {
  ValueType type;
  gint64 i;
  double r;
  char *text;                /* VALUE_TEXT, NUL-terminated copy */
} Value;

#define MAX_VALUES 24
#define MAX_TEXT (64 * 1024)

static void
values_clear (Value *values, int n)
{
  for (int i = 0; i < n; i++)
    g_clear_pointer (&values[i].text, g_free);
}

static gboolean
parse_fail (GError **error, const Reader *r, const char *what)
{
  g_set_error (error, RS_ERROR, RS_ERROR_INVALID, "not a Reskill unit: line %d: %s", r->line, what);
  return FALSE;
}

/* Decimal digits with an optional minus sign, exactly representable. */
static gboolean
read_int (Reader *r, gint64 *value)
{
  const char *start = r->p;
  guint64 magnitude = 0;
  gboolean negative = FALSE;

  if (r->p < r->end && *r->p == '-')
    {
      negative = TRUE;
      r->p++;
    }
  if (r->p >= r->end || !g_ascii_isdigit (*r->p))
    return FALSE;
  while (r->p < r->end && g_ascii_isdigit (*r->p))
    {
      if (magnitude > (G_MAXUINT64 - 9) / 10 || r->p - start > 20)
        return FALSE;
      magnitude = magnitude * 10 + (guint64) (*r->p - '0');
      r->p++;
    }
  if (magnitude > (guint64) G_MAXINT64 + (negative ? 1 : 0))
    return FALSE;
  *value = negative ? (gint64) (0 - magnitude) : (gint64) magnitude;
  return TRUE;
}

static gboolean
read_value (Reader *r, Value *v)
{
  char type;

  if (r->p >= r->end)
    return FALSE;
  type = *r->p++;
  switch (type)
    {
    case 'N':
      v->type = VALUE_NULL;
      return TRUE;
    case 'I':
      v->type = VALUE_INT;
      return read_int (r, &v->i);
    case 'R':
      {
        guint64 bits = 0;

        if (r->end - r->p < 16)
          return FALSE;
        for (int k = 0; k < 16; k++)
          {
            int digit = g_ascii_xdigit_value (r->p[k]);
            if (digit < 0 || g_ascii_isupper (r->p[k]))
              return FALSE;
            bits = bits << 4 | (guint64) digit;
          }
        r->p += 16;
        v->type = VALUE_REAL;
        memcpy (&v->r, &bits, sizeof v->r);
        return TRUE;
      }
    case 'T':
      {
        gint64 length = 0;

        if (!read_int (r, &length) || length < 0 || length > MAX_TEXT || r->p >= r->end || *r->p != ':')
          return FALSE;
        r->p++;
        if (r->end - r->p < length || memchr (r->p, '\0', (size_t) length) != NULL
            || !g_utf8_validate (r->p, (gssize) length, NULL))
          return FALSE;
        v->type = VALUE_TEXT;
        v->text = g_strndup (r->p, (gsize) length);
        for (const char *q = r->p; q < r->p + length; q++)
          if (*q == '\n')
            r->line++;
        r->p += length;
        return TRUE;
      }
    default:
      return FALSE;
    }
}

/* One record: its tag, then values up to the end of the line. */
static gboolean
read_record (Reader *r, char *tag, gsize tag_size, Value *values, int *n_values, GError **error)
{
  gsize n = 0;

  *n_values = 0;
  while (r->p < r->end && *r->p != '\t' && *r->p != '\n')
    {
      if (n + 1 >= tag_size || !g_ascii_islower (*r->p))
        return parse_fail (error, r, "a record's name is not a known word");
      tag[n++] = *r->p++;
    }
  tag[n] = '\0';
  while (r->p < r->end && *r->p == '\t')
    {
      r->p++;
      if (*n_values >= MAX_VALUES)
        return parse_fail (error, r, "too many values");
      values[*n_values] = (Value) { 0 };
      if (!read_value (r, &values[*n_values]))
        {
          (*n_values)++;
          return parse_fail (error, r, "a value that cannot be read");
        }
      (*n_values)++;
    }
  if (r->p >= r->end || *r->p != '\n')
    return parse_fail (error, r, "a record that does not end with a line break");
  r->p++;
  r->line++;
  return TRUE;
}

/* Typed getters: FALSE when the value is not of that type. */
static gboolean
get_text (const Value *v, gboolean nullable, const char **text)
{
  if (v->type == VALUE_NULL && nullable)
    {
      *text = NULL;
      return TRUE;
    }
  if (v->type != VALUE_TEXT)
    return FALSE;
  *text = v->text;
  return TRUE;
}

static gboolean
get_int (const Value *v, gint64 min, gint64 max, gint64 *out)
{
  if (v->type != VALUE_INT || v->i < min || v->i > max)
    return FALSE;
  *out = v->i;
  return TRUE;
}

static gboolean
get_real (const Value *v, double *out)
{
  if (v->type != VALUE_REAL)
    return FALSE;
  *out = v->r;
  return TRUE;
}

static gboolean
get_skill (const Value *v, RsSkill *skill)
{
  *skill = v->type == VALUE_TEXT ? rs_skill_from_id (v->text) : RS_SKILL_INVALID;
  return *skill != RS_SKILL_INVALID;
}

static gboolean
get_level (const Value *v, RsLevel *level)
{
  *level = v->type == VALUE_TEXT ? rs_level_from_name (v->text) : RS_LEVEL_INVALID;
  return *level != RS_LEVEL_INVALID;
}

static gboolean
parse_attempt_line (RsUnit *unit, const Value *v, int n, const Reader *r, GError **error)
{
  RsAttempt *a = unit->attempt;
  const char *uuid, *employee_no, *mode, *skills, *bank_version, *kiosk_id, *status, *pending;
  gint64 seed, started_at, finished_at = 0, pending_unscored;
  g_auto (GStrv) parts = NULL;

  if (n != 12 || !get_text (&v[0], FALSE, &uuid) || !get_text (&v[1], TRUE, &employee_no)
      || !get_text (&v[2], FALSE, &mode) || !get_text (&v[3], FALSE, &skills)
      || !get_int (&v[4], 0, G_MAXUINT32, &seed) || !get_text (&v[5], TRUE, &bank_version)
      || !get_text (&v[6], TRUE, &kiosk_id) || !get_text (&v[7], FALSE, &status)
      || !get_int (&v[8], 0, G_MAXINT64, &started_at)
      || (v[9].type != VALUE_NULL && !get_int (&v[9], 0, G_MAXINT64, &finished_at))
      || !get_text (&v[10], TRUE, &pending) || !get_int (&v[11], 0, 1, &pending_unscored))
    return parse_fail (error, r, "the attempt line does not have its values");
  if (!g_uuid_string_is_valid (uuid))
    return parse_fail (error, r, "the attempt's id is not a UUID");
  a->uuid = g_strdup (uuid);
  unit->employee_no = g_strdup (employee_no);
  a->mode = rs_mode_from_id (mode);
  if (a->mode == RS_MODE_INVALID)
    return parse_fail (error, r, "an unknown mode");
  parts = g_strsplit (skills, ",", -1);
  if (g_strv_length (parts) < 1 || g_strv_length (parts) > RS_N_SKILLS)
    return parse_fail (error, r, "the list of skills cannot be");
  for (int i = 0; parts[i] != NULL; i++)
    {
      RsSkill skill = rs_skill_from_id (parts[i]);

      for (int k = 0; k < a->n_skills; k++)
        if (a->skills[k] == skill)
          skill = RS_SKILL_INVALID;
      if (skill == RS_SKILL_INVALID)
        return parse_fail (error, r, "the list of skills names an unknown skill or one twice");
      a->skills[a->n_skills++] = skill;
    }
  a->seed = (guint32) seed;
  a->bank_version = g_strdup (bank_version);
  a->kiosk_id = g_strdup (kiosk_id);
  if (g_str_equal (status, "finished"))
    a->status = RS_ATTEMPT_FINISHED;
  else if (g_str_equal (status, "in_progress"))
    a->status = RS_ATTEMPT_IN_PROGRESS;
  else
    return parse_fail (error, r, "an unknown status");
  a->started_at = started_at;
  a->finished_at = finished_at;
  a->pending_item_id = g_strdup (pending);
  a->pending_unscored = pending_unscored != 0;
  return TRUE;
}

static gboolean
parse_line (RsUnit *unit, const char *tag, const Value *v, int n, const Reader *r, GError **error)
{
  RsAttempt *a = unit->attempt;

  if (g_str_equal (tag, "prior"))
    {
      RsSkill skill;
      double mean, sd;

      if (n != 3 || !get_skill (&v[0], &skill) || !get_real (&v[1], &mean) || !get_real (&v[2], &sd))
        return parse_fail (error, r, "a prior line does not have its values");
      a->prior_mean[skill] = mean;
      a->prior_sd[skill] = sd;
      return TRUE;
    }
  if (g_str_equal (tag, "self"))
    {
      RsSkill skill;
      RsLevel level;

      if (n != 2 || !get_skill (&v[0], &skill) || !get_level (&v[1], &level))
        return parse_fail (error, r, "a self line does not have its values");
      a->self_level[skill] = level;
      return TRUE;
    }
  if (g_str_equal (tag, "response"))
    {
      RsResponse resp = { 0 };
      const char *item_id, *answer;
      gint64 seq, score, max_score, time_ms, answered_at, unscored;

      if (n != 11 || !get_int (&v[0], 1, G_MAXINT, &seq) || !get_text (&v[1], FALSE, &item_id)
          || !get_skill (&v[2], &resp.skill) || !get_text (&v[3], FALSE, &answer)
          || !get_int (&v[4], G_MININT, G_MAXINT, &score) || !get_int (&v[5], G_MININT, G_MAXINT, &max_score)
          || !get_real (&v[6], &resp.theta) || !get_real (&v[7], &resp.se)
          || !get_int (&v[8], G_MININT, G_MAXINT, &time_ms) || !get_int (&v[9], 0, G_MAXINT64, &answered_at)
          || !get_int (&v[10], 0, 1, &unscored))
        return parse_fail (error, r, "a response line does not have its values");
      if (a->responses->len >= 1000)
        return parse_fail (error, r, "more answers than any test asks");
      resp.seq = (int) seq;
      resp.item_id = g_strdup (item_id);
      resp.answer = g_strdup (answer);
      resp.score = (int) score;
      resp.max_score = (int) max_score;
      resp.time_ms = (int) time_ms;
      resp.answered_at = answered_at;
      resp.unscored = unscored != 0;
      g_array_append_val (a->responses, resp);
      return TRUE;
    }
  if (g_str_equal (tag, "result"))
    {
      RsSkillResult res = { 0 };
      const char *calibration;
      gint64 n_items, provisional;
      int n_probabilities = 0;

      if (n != 7 + RS_N_LEVELS || !get_skill (&v[0], &res.skill) || !get_real (&v[1], &res.theta)
          || !get_real (&v[2], &res.se) || !get_int (&v[3], G_MININT, G_MAXINT, &n_items)
          || !get_level (&v[4], &res.level) || !get_text (&v[5], TRUE, &calibration)
          || !get_int (&v[6], 0, 1, &provisional))
        return parse_fail (error, r, "a result line does not have its values");
      if (calibration != NULL && strlen (calibration) >= sizeof res.calibration)
        return parse_fail (error, r, "a result names a calibration that cannot be");
      if (a->results->len >= RS_N_SKILLS)
        return parse_fail (error, r, "more results than skills");
      for (int l = 0; l < RS_N_LEVELS; l++)
        if (v[7 + l].type != VALUE_NULL)
          {
            if (!get_real (&v[7 + l], &res.level_probability[l]))
              return parse_fail (error, r, "a level probability that is not a number");
            n_probabilities++;
          }
      if (n_probabilities != 0 && n_probabilities != RS_N_LEVELS)
        return parse_fail (error, r, "some level probabilities but not all");
      res.has_level_probability = n_probabilities == RS_N_LEVELS;
      res.n_items = (int) n_items;
      res.se_provisional = provisional != 0;
      g_strlcpy (res.calibration, calibration != NULL ? calibration : "", sizeof res.calibration);
      g_array_append_val (a->results, res);
      return TRUE;
    }
  return parse_fail (error, r, "an unknown record");
}

/* An erasure unit (header "reskill-unit\terasure\tN"): one erasure line,
 * then its attempts' UUIDs one a line, in increasing order. The
 * organization's server reads the erasures kiosks push with it; bundles
 * carry them as rows of their own (rs-exchange.c). */
static RsUnit *
parse_erasure (const void *data, gsize length, Reader *r, const char *header, GError **error)
{
  g_autoptr (RsUnit) unit = NULL;
  g_autoptr (GBytes) again = NULL;
  RsErasureRecord *e;
  gint64 version = 0;
  gboolean seen = FALSE;
  Reader v = { header + strlen (RS_UNIT_FORMAT "\terasure\t"), header + strlen (header), 1 };

  if (!read_int (&v, &version) || v.p != v.end || version < 1 || version > G_MAXINT)
    {
      parse_fail (error, r, "the header's version is not a number");
      return NULL;
    }
  if (version != RS_UNIT_ERASURE_VERSION)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_DB_TOO_NEW, "an erasure of version %d: this Reskill reads version %d; "
                   "update it first", (int) version, RS_UNIT_ERASURE_VERSION);
      return NULL;
    }
  unit = rs_unit_new_erasure (rs_erasure_record_new (), NULL);
  e = unit->erasure;
  while (r->p < r->end)
    {
      Value values[MAX_VALUES];
      char tag[16];
      int n = 0;
      gboolean ok = read_record (r, tag, sizeof tag, values, &n, error);
      const char *uuid = NULL, *number = NULL, *kiosk = NULL;
      gint64 erased_at = 0;

      if (ok && !seen)
        {
          if (!g_str_equal (tag, "erasure") || n != 4 || !get_text (&values[0], FALSE, &uuid)
              || !get_text (&values[1], FALSE, &number) || !get_text (&values[2], FALSE, &kiosk)
              || !get_int (&values[3], 0, G_MAXINT64, &erased_at))
            ok = parse_fail (error, r, "the erasure line does not come first with its values");
          else
            {
              e->uuid = g_strdup (uuid);
              unit->employee_no = g_strdup (number);
              e->kiosk_id = g_strdup (kiosk);
              e->erased_at = erased_at;
            }
        }
      else if (ok)
        {
          if (!g_str_equal (tag, "attempt") || n != 1 || !get_text (&values[0], FALSE, &uuid))
            ok = parse_fail (error, r, "an erasure names attempts only after its erasure line");
          else if (e->attempts->len >= RS_UNIT_MAX_ERASED_ATTEMPTS)
            ok = parse_fail (error, r, "more erased attempts than an erasure names");
          else if (e->attempts->len > 0
                   && strcmp (g_ptr_array_index (e->attempts, e->attempts->len - 1), uuid) >= 0)
            ok = parse_fail (error, r, "erased attempts out of order");
          else
            g_ptr_array_add (e->attempts, g_strdup (uuid));
        }
      seen = TRUE;
      values_clear (values, n);
      if (!ok)
        return NULL;
    }
  if (!seen)
    {
      parse_fail (error, r, "no erasure line");
      return NULL;
    }
  again = rs_unit_serialize (unit);
  if (g_bytes_get_size (again) != length || memcmp (g_bytes_get_data (again, NULL), data, length) != 0)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_INVALID,
                   "not a Reskill unit: its lines are not in the one order and form a kiosk writes");
      return NULL;
    }
  return g_steal_pointer (&unit);
}

RsUnit *
rs_unit_parse (const void *data, gsize length, GError **error)
{
  g_autoptr (RsUnit) unit = NULL;
  g_autoptr (GBytes) again = NULL;
  g_autofree char *header = NULL;
  Reader r = { data, (const char *) data + length, 1 };
  const char *newline;
  gint64 version = 0;
  gboolean seen_attempt = FALSE;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  if (length > RS_UNIT_MAX_BYTES)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_INVALID, "a unit of %" G_GSIZE_FORMAT " bytes is larger than any "
                   "attempt (at most %d)", length, RS_UNIT_MAX_BYTES);
      return NULL;
    }
  newline = memchr (r.p, '\n', length);
  if (newline == NULL)
    {
      parse_fail (error, &r, "no header line");
      return NULL;
    }
  header = g_strndup (r.p, (gsize) (newline - r.p));
  if (g_str_has_prefix (header, RS_UNIT_FORMAT "\terasure\t"))
    {
      r.p = newline + 1;
      r.line = 2;
      return parse_erasure (data, length, &r, header, error);
    }
  if (!g_str_has_prefix (header, RS_UNIT_FORMAT "\tattempt\t"))
    {
      parse_fail (error, &r, "the header does not say reskill-unit and attempt or erasure");
      return NULL;
    }
  {
    Reader v = { header + strlen (RS_UNIT_FORMAT "\tattempt\t"), header + strlen (header), 1 };
    if (!read_int (&v, &version) || v.p != v.end || version < 1 || version > G_MAXINT)
      {
        parse_fail (error, &r, "the header's version is not a number");
        return NULL;
      }
  }
  unit = rs_unit_new_attempt (rs_attempt_new (), NULL);
  unit->version = (int) version;
  if (unit->version != RS_UNIT_ATTEMPT_VERSION)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_DB_TOO_NEW, "a unit of version %d: this Reskill reads version %d; "
                   "update it first", unit->version, RS_UNIT_ATTEMPT_VERSION);
      return NULL;
    }
  r.p = newline + 1;
  r.line = 2;
  while (r.p < r.end)
    {
      Value values[MAX_VALUES];
      char tag[16];
      int n = 0;
      gboolean ok = read_record (&r, tag, sizeof tag, values, &n, error);

      if (ok && !seen_attempt && !g_str_equal (tag, "attempt"))
        ok = parse_fail (error, &r, "the attempt line does not come first");
      else if (ok && g_str_equal (tag, "attempt"))
        ok = !seen_attempt ? parse_attempt_line (unit, values, n, &r, error)
                           : parse_fail (error, &r, "a second attempt line");
      else if (ok)
        ok = parse_line (unit, tag, values, n, &r, error);
      seen_attempt = TRUE;
      values_clear (values, n);
      if (!ok)
        return NULL;
    }
  if (!seen_attempt)
    {
      parse_fail (error, &r, "no attempt line");
      return NULL;
    }
  /* One encoding only: anything the serializer would write otherwise
   * (order, a prior of SD 0, a result for a skill not tested) is refused. */
  again = rs_unit_serialize (unit);
  if (g_bytes_get_size (again) != length || memcmp (g_bytes_get_data (again, NULL), data, length) != 0)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_INVALID,
                   "not a Reskill unit: its lines are not in the one order and form a kiosk writes");
      return NULL;
    }
  return g_steal_pointer (&unit);
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

/* The verdicts of rs_unit_check, as this file has always named them. */
typedef RsUnitVerdict UnitVerdict;
#define UNIT_OK RS_UNIT_OK
#define UNIT_OTHER_BANK RS_UNIT_OTHER_BANK
#define UNIT_OTHER_CALIBRATION RS_UNIT_OTHER_CALIBRATION

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
    return unit_refuse (error, check, unit, RS_ERROR_INVALID, _("has no valid UUID"));
  if (unit->employee_no == NULL || unit->employee_no[0] == '\0' || strlen (unit->employee_no) > 256
      || !g_utf8_validate (unit->employee_no, -1, NULL))
    return unit_refuse (error, check, unit, RS_ERROR_INVALID, _("names no valid employee number"));
  if (e->kiosk_id == NULL || e->kiosk_id[0] == '\0')
    return unit_refuse (error, check, unit, RS_ERROR_INVALID, _("names no kiosk"));
  if (e->erased_at < RS_UNIT_EARLIEST_TIME || e->erased_at > latest)
    return unit_refuse (error, check, unit, RS_ERROR_INVALID,
                        _("was made at a time that cannot be (before 2020, or after now)"));
  if (e->attempts->len > RS_UNIT_MAX_ERASED_ATTEMPTS)
    return unit_refuse (error, check, unit, RS_ERROR_INVALID, _("names more than %d attempts"),
                        RS_UNIT_MAX_ERASED_ATTEMPTS);
  for (guint i = 0; i < e->attempts->len; i++)
    {
      const char *uuid = g_ptr_array_index (e->attempts, i);

      if (uuid == NULL || !g_uuid_string_is_valid (uuid))
        return unit_refuse (error, check, unit, RS_ERROR_INVALID, _("names an attempt that is not a UUID"));
      /* Sorted and distinct: the signed form has one order. */
      if (i > 0 && strcmp (g_ptr_array_index (e->attempts, i - 1), uuid) >= 0)
        return unit_refuse (error, check, unit, RS_ERROR_INVALID, _("lists its attempts out of order or twice"));
    }
  return TRUE;
}

/* The signature, for either kind of unit. */
static gboolean
check_signature (const RsUnitCheck *check, const RsUnit *unit, GError **error)
{
  if (!unit->is_signed)
    return unit_refuse (error, check, unit, RS_ERROR_DENIED, _("is not signed"));
  if (!rs_unit_signature_valid (unit))
    return unit_refuse (error, check, unit, RS_ERROR_INVALID,
                        _("does not match its signature: it was changed after the kiosk signed it (forged or "
                          "damaged)"));
  return TRUE;
}

static gboolean
is_erasure (const RsUnit *unit)
{
  return unit->kind == RS_UNIT_KIND_ERASURE && unit->version == RS_UNIT_ERASURE_VERSION && unit->erasure != NULL;
}

gboolean
rs_unit_check_signed_content (const RsUnitCheck *check, const RsUnit *unit, gint64 now, GError **error)
{
  if (unit->kind != RS_UNIT_KIND_ATTEMPT || unit->version != RS_UNIT_ATTEMPT_VERSION || unit->attempt == NULL)
    return unit_refuse (error, check, unit, RS_ERROR_DB_TOO_NEW,
                        _("is a record of a kind or version this Reskill does not know: update it first"));
  return check_signature (check, unit, error) && check_content (check, unit, now, error);
}

const char *
rs_unit_claimed_calibration (const RsUnit *unit)
{
  if (unit->attempt->results->len == 0)
    return NULL;
  return g_array_index (unit->attempt->results, RsSkillResult, 0).calibration;
}

gboolean
rs_unit_check_numbers (const RsUnitCheck *check, const RsUnit *unit, const RsBank *bank, gboolean *mismatch,
                       GError **error)
{
  RsRescore rescore = { 0 };
  g_autoptr (GError) local = NULL;
  g_autofree char *difference = NULL;

  if (mismatch != NULL)
    *mismatch = FALSE;
  for (guint k = 1; k < unit->attempt->results->len; k++)
    if (g_strcmp0 (g_array_index (unit->attempt->results, RsSkillResult, k).calibration,
                   rs_unit_claimed_calibration (unit)) != 0)
      return unit_refuse (error, check, unit, RS_ERROR_INVALID, _("has results scored with different calibrations"));
  if (!rs_attempt_rescore (unit->attempt, bank, NULL, &rescore, &local))
    return unit_refuse (error, check, unit, RS_ERROR_INVALID, _("cannot be: %s"), local->message);
  difference = rs_rescore_compare (unit->attempt, &rescore);
  rs_rescore_clear (&rescore);
  if (difference != NULL)
    {
      if (mismatch != NULL)
        *mismatch = TRUE;
      return unit_refuse (error, check, unit, RS_ERROR_INVALID, _("claims what its answers do not give: %s"),
                          difference);
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
gboolean
rs_unit_check (const RsUnitCheck *check, const RsUnit *unit, gint64 now, RsUnitVerdict *verdict, GError **error)
{
  const RsBank *bank;

  *verdict = UNIT_OK;
  /* An erasure (issue 14) has no answers to recompute. */
  if (is_erasure (unit))
    return check_signature (check, unit, error) && check_erasure (check, unit, now, error);
  if (!rs_unit_check_signed_content (check, unit, now, error))
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
      const char *here = rs_bank_calibration (bank);

      if (g_strcmp0 (rs_unit_claimed_calibration (unit), here != NULL ? here : "") != 0)
        {
          *verdict = UNIT_OTHER_CALIBRATION;
          return TRUE;
        }
    }
  return rs_unit_check_numbers (check, unit, bank, NULL, error);
}

/* --- merging --- */

typedef enum {
  MERGE_ADDED,
  MERGE_UPDATED,
  MERGE_UNCHANGED,
  MERGE_CONFLICT,
} MergeOutcome;

char *
rs_unit_skills_text (const RsAttempt *a)
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

RsUnitMergeAction
rs_unit_merge_decide (const RsUnit *unit, const RsUnitHeld *held, char **why)
{
  const RsAttempt *a = unit->attempt;
  g_autofree char *skills = rs_unit_skills_text (a);
  int n_local = (int) held->n_answers;

  *why = NULL;
  /* Held here as another kiosk's: two kiosks claim the same attempt. */
  if (g_strcmp0 (held->kiosk_id, a->kiosk_id) != 0)
    {
      *why = g_strdup_printf (_("this database has it from kiosk %s, the bundle from kiosk %s"),
                              held->kiosk_id != NULL ? held->kiosk_id : _("(none)"),
                              a->kiosk_id != NULL ? a->kiosk_id : _("(none)"));
      return RS_UNIT_MERGE_CONFLICT;
    }
  /* The same UUID but another person, mode, skill list, start or bank:
   * not the same attempt. Never overwrite. */
  if (!held->same_person || g_strcmp0 (held->mode, rs_mode_id (a->mode)) != 0
      || g_strcmp0 (held->skills, skills) != 0 || held->seed != a->seed || held->started_at != a->started_at
      || g_strcmp0 (held->bank_version, a->bank_version) != 0)
    {
      *why = g_strdup (_("not the same attempt (person, mode, skills, start or bank differ)"));
      return RS_UNIT_MERGE_CONFLICT;
    }
  /* Continued on two kiosks at once: the answers differ. */
  for (guint i = 0; i < held->n_answers; i++)
    {
      const RsUnitHeldAnswer *h = &held->answers[i];
      const RsResponse *r;

      if (h->seq < 1 || h->seq > (int) a->responses->len)
        continue;
      r = &g_array_index (a->responses, RsResponse, h->seq - 1);
      if (g_strcmp0 (r->item_id, h->item_id) != 0 || g_strcmp0 (r->answer, h->answer) != 0 || r->score != h->score
          || r->answered_at != h->answered_at)
        {
          *why = g_strdup (_("it was continued on two kiosks: the answers differ"));
          return RS_UNIT_MERGE_CONFLICT;
        }
    }
  if (held->finished || (n_local >= (int) a->responses->len && a->status != RS_ATTEMPT_FINISHED))
    return RS_UNIT_MERGE_UNCHANGED;
  /* Finished elsewhere with fewer answers than this copy has: diverged. */
  if (n_local > (int) a->responses->len)
    {
      *why = g_strdup (_("this copy has more answers than the finished one in the bundle"));
      return RS_UNIT_MERGE_CONFLICT;
    }
  return RS_UNIT_MERGE_EXTEND;
}

/* The answers this database holds for the attempt, for rs_unit_merge_decide. */
static gboolean
held_answers_tx (RsStore *store, const RsAttempt *a, GArray *answers, GPtrArray *strings, GError **error)
{
  g_autoptr (RsStoreStmt) stmt = rs_store_query (store, error,
                                                 "SELECT seq, item_id, answer, score, answered_at FROM responses"
                                                 " WHERE attempt_id = ? ORDER BY seq",
                                                 "s", a->uuid);
  int rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = rs_store_step (store, stmt, error)) == SQLITE_ROW)
    {
      RsUnitHeldAnswer h = { .seq = sqlite3_column_int (stmt, 0), .score = sqlite3_column_int (stmt, 3),
                             .answered_at = sqlite3_column_int64 (stmt, 4) };
      char *item_id = rs_store_column_strdup (stmt, 1), *answer = rs_store_column_strdup (stmt, 2);

      g_ptr_array_add (strings, item_id);
      g_ptr_array_add (strings, answer);
      h.item_id = item_id;
      h.answer = answer;
      g_array_append_val (answers, h);
    }
  return rc == SQLITE_DONE;
}

/* An attempt the database already has: bring it forward, or leave it and
 * say why not (*why, for conflicts). */
static gboolean
merge_existing_tx (RsStore *store, const RsAttempt *a, gint64 person_id, sqlite3_stmt *local,
                   RsImportSummary *sum, MergeOutcome *outcome, char **why, GError **error)
{
  g_autoptr (GArray) answers = g_array_new (FALSE, FALSE, sizeof (RsUnitHeldAnswer));
  g_autoptr (GPtrArray) strings = g_ptr_array_new_with_free_func (g_free);
  RsUnitHeld held = {
    .kiosk_id = (const char *) sqlite3_column_text (local, 6),
    .same_person = sqlite3_column_int64 (local, 0) == person_id,
    .mode = (const char *) sqlite3_column_text (local, 1),
    .skills = (const char *) sqlite3_column_text (local, 2),
    .seed = (guint32) sqlite3_column_int64 (local, 3),
    .started_at = sqlite3_column_int64 (local, 4),
    .bank_version = (const char *) sqlite3_column_text (local, 7),
    .finished = g_strcmp0 ((const char *) sqlite3_column_text (local, 5), "finished") == 0,
  };
  RsUnit unit = { .kind = RS_UNIT_KIND_ATTEMPT, .attempt = (RsAttempt *) a };
  int n_local;

  *outcome = MERGE_CONFLICT;
  if (!held_answers_tx (store, a, answers, strings, error))
    return FALSE;
  held.answers = (const RsUnitHeldAnswer *) answers->data;
  held.n_answers = answers->len;
  n_local = (int) answers->len;
  switch (rs_unit_merge_decide (&unit, &held, why))
    {
    case RS_UNIT_MERGE_CONFLICT:
      return TRUE;
    case RS_UNIT_MERGE_UNCHANGED:
      *outcome = MERGE_UNCHANGED;
      return TRUE;
    case RS_UNIT_MERGE_EXTEND:
    default:
      break;
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
      if (!merge_existing_tx (store, a, person_id, local, sum, &outcome, &why, error))
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

      ok = rs_unit_check (check, unit, now, &verdicts[i], error);
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
