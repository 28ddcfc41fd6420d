/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The GLib half of the server module: a kiosk's signed unit checked and
 * merged inside PostgreSQL by the core's own code (rs-unit.h), and the
 * question banks it recomputes with.
 *
 * What reskill.push_unit does, in order; anything refused raises an error
 * and writes nothing:
 *
 *   1. the calling login role must be an enrolled kiosk, not revoked;
 *   2. the bytes must parse as exactly one canonical unit (rs_unit_parse);
 *   3. the unit must be signed by that kiosk's enrolled key, and its
 *      attempt must be that kiosk's (a kiosk pushes only what it started);
 *   4. the content rules of a bundle import (rs_unit_check_signed_content);
 *   5. the numbers recomputed with the bank the attempt names, under the
 *      calibration its results name (rs_unit_check_numbers); an unfinished
 *      attempt names none, so the plain bank and then the organization's
 *      calibrations, newest first, are tried;
 *   6. the merge rule of a bundle import (rs_unit_merge_decide), under a
 *      lock on the attempt's id so that two pushes of one attempt queue.
 *
 * Skipped, and said so in the outcome (the kiosk tries again at its next
 * sync): an employee number the server does not have, a bank version it
 * does not have, results scored with a calibration it does not have.
 * Outcome "erased", never stored: an attempt a tombstone keeps out (its
 * UUID was erased, or its person's number was erased after it started).
 *
 * An erasure unit (issue 14) takes steps 1 to 3 (signed by the calling
 * kiosk's enrolled key: a kiosk passes on the erasures it made or
 * received, each signed with its own key, as in its bundles), and is then
 * applied by reskill.erase_person (): the person's rows deleted, the
 * tombstone kept, which every kiosk pulls. */
#include <errno.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <sodium.h>
#include <stdarg.h>
#include <string.h>

#include "rs-bank.h"
#include "rs-calibration.h"
#include "rs-error.h"
#include "rs-kiosk-key.h"
#include "rs-pg-module.h"
#include "rs-pg-spi.h"
#include "rs-unit.h"

/* How many of the organization's calibrations an unfinished attempt is
 * tried against (newest first): a kiosk is rarely more than one behind. */
#define MAX_CALIBRATIONS_TRIED 8

void
rs_pg_free (void *data)
{
  g_free (data);
}

char *
rs_pg_strdup_printf (const char *format, ...)
{
  va_list args;
  char *text;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  return text;
}

char *
rs_pg_fingerprint (const void *public_key, size_t length)
{
  if (length != RS_KIOSK_KEY_PUBLIC_BYTES)
    return NULL;
  return rs_kiosk_fingerprint (public_key);
}

/* --- SQL --- */

/* A PostgreSQL error is pending (rs-pg-spi.h): the caller throws it again. */
#define SPI_ERROR (g_quark_from_static_string ("reskill-spi"))

static gboolean
spi (size_t *n_rows, GError **error, const char *sql, int n_args, ...)
{
  const char *args[24];
  g_autofree char *message = NULL;
  size_t n = 0;
  va_list ap;

  g_return_val_if_fail (n_args <= (int) G_N_ELEMENTS (args), FALSE);
  va_start (ap, n_args);
  for (int i = 0; i < n_args; i++)
    args[i] = va_arg (ap, const char *);
  va_end (ap);
  if (!rs_spi_exec (sql, n_args, args, &n, &message))
    {
      g_set_error_literal (error, SPI_ERROR, 0, message);
      return FALSE;
    }
  if (n_rows != NULL)
    *n_rows = n;
  return TRUE;
}

static const char *
state_for (const GError *error)
{
  if (error->domain == SPI_ERROR)
    return NULL;
  if (error->domain != RS_ERROR)
    return RS_PG_STATE_INVALID;
  switch (error->code)
    {
    case RS_ERROR_DENIED:
      return RS_PG_STATE_DENIED;
    case RS_ERROR_NOT_FOUND:
      return RS_PG_STATE_NOT_FOUND;
    case RS_ERROR_DB_TOO_NEW:
      return RS_PG_STATE_TOO_NEW;
    default:
      return RS_PG_STATE_INVALID;
    }
}

static gboolean
fail_with (GError *error, char **message, const char **state)
{
  *state = state_for (error);
  *message = g_strdup (error->message);
  g_error_free (error);
  return FALSE;
}

/* PostgreSQL array literals of text, for unnest (): one statement per
 * table instead of one per answer. */
static void
array_add (GString *array, const char *value)
{
  if (array->len > 1)
    g_string_append_c (array, ',');
  if (value == NULL)
    {
      g_string_append (array, "NULL");
      return;
    }
  g_string_append_c (array, '"');
  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (array, '\\');
      g_string_append_c (array, *p);
    }
  g_string_append_c (array, '"');
}

static GString *
array_new (void)
{
  return g_string_new ("{");
}

static char *
array_end (GString *array)
{
  g_string_append_c (array, '}');
  return g_string_free (array, FALSE);
}

static void
array_add_int (GString *array, gint64 value)
{
  char number[32];

  g_snprintf (number, sizeof number, "%" G_GINT64_FORMAT, value);
  array_add (array, number);
}

static void
array_add_double (GString *array, double value)
{
  char number[G_ASCII_DTOSTR_BUF_SIZE];

  /* %.17g: every double comes back exactly. */
  array_add (array, g_ascii_dtostr (number, sizeof number, value));
}

static char *
int_text (gint64 value)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT, value);
}

/* --- banks --- */

typedef struct {
  GPtrArray *paths;          /* char *, relative */
  GPtrArray *contents;       /* GBytes */
} BankFiles;

static void
bank_files_free (gpointer data)
{
  BankFiles *files = data;

  g_ptr_array_unref (files->paths);
  g_ptr_array_unref (files->contents);
  g_free (files);
}

/* Per backend: a bank is loaded once per version and calibration. */
static GHashTable *files_cache;    /* version → BankFiles */
static GHashTable *bank_cache;     /* "version\ncalibration" → RsBank */

static gboolean
caches_init (GError **error)
{
  if (files_cache != NULL)
    return TRUE;
  if (sodium_init () < 0)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_FAILED, "libsodium cannot start in the server");
      return FALSE;
    }
  files_cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, bank_files_free);
  bank_cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) rs_bank_free);
  return TRUE;
}

/* A path as the bank's loader sees it below its folder: relative, no ".."
 * and no hidden parts, plain characters only. */
static gboolean
path_is_plain (const char *path)
{
  g_auto (GStrv) parts = g_strsplit (path, "/", -1);

  if (path[0] == '\0' || strlen (path) > 255)
    return FALSE;
  for (int i = 0; parts[i] != NULL; i++)
    {
      if (parts[i][0] == '\0' || parts[i][0] == '.')
        return FALSE;
      for (const char *p = parts[i]; *p != '\0'; p++)
        if (!g_ascii_isalnum (*p) && *p != '.' && *p != '_' && *p != '-')
          return FALSE;
    }
  return TRUE;
}

/* Loads the files with rs_bank_load_dir, exactly as a kiosk loads its
 * questions folder, from a private folder made for the purpose and removed
 * after: the one loader, not a second one that reads from memory. */
static RsBank *
load_files (const BankFiles *files, GError **error)
{
  g_autoptr (GError) local = NULL;
  g_autofree char *dir = g_dir_make_tmp ("reskill-bank-XXXXXX", &local);
  g_autoptr (GPtrArray) made = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (RsBank) bank = NULL;
  gboolean ok = TRUE;

  if (dir == NULL)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_IO, "the server cannot make a folder to load a bank in: %s",
                   local->message);
      return NULL;
    }
  for (guint i = 0; ok && i < files->paths->len; i++)
    {
      const char *relative = g_ptr_array_index (files->paths, i);
      GBytes *content = g_ptr_array_index (files->contents, i);
      g_autofree char *path = g_build_filename (dir, relative, NULL);
      g_autofree char *parent = g_path_get_dirname (path);
      gsize length = 0;
      const char *data = g_bytes_get_data (content, &length);

      if (!path_is_plain (relative))
        {
          g_set_error (error, RS_ERROR, RS_ERROR_INVALID, "bank file \"%s\" is not a plain path below the "
                       "questions folder", relative);
          ok = FALSE;
        }
      else if (g_mkdir_with_parents (parent, 0700) != 0
               || !g_file_set_contents_full (path, data != NULL ? data : "", (gssize) length,
                                             G_FILE_SET_CONTENTS_NONE, 0600, &local))
        {
          g_set_error (error, RS_ERROR, RS_ERROR_IO, "the server cannot write bank file %s: %s", relative,
                       local != NULL ? local->message : g_strerror (errno));
          ok = FALSE;
        }
      else
        g_ptr_array_add (made, g_steal_pointer (&path));
    }
  if (ok)
    {
      bank = rs_bank_new ();
      ok = rs_bank_load_dir (bank, dir, error);
    }
  /* Files, then folders deepest first. */
  for (guint i = 0; i < made->len; i++)
    g_unlink (g_ptr_array_index (made, i));
  for (guint i = made->len; i > 0; i--)
    {
      g_autofree char *parent = g_path_get_dirname (g_ptr_array_index (made, i - 1));

      while (strlen (parent) > strlen (dir) && g_rmdir (parent) == 0)
        {
          char *up = g_path_get_dirname (parent);
          g_free (parent);
          parent = up;
        }
    }
  g_rmdir (dir);
  return ok ? g_steal_pointer (&bank) : NULL;
}

static BankFiles *
bank_files_for (const char *version, GError **error)
{
  BankFiles *files = g_hash_table_lookup (files_cache, version);
  size_t n = 0;

  if (files != NULL)
    return files;
  if (!spi (&n, error, "SELECT path, encode (content, 'base64') FROM reskill.bank_files WHERE version = $1"
            " ORDER BY path", 1, version))
    return NULL;
  if (n == 0)
    return NULL;
  files = g_new0 (BankFiles, 1);
  files->paths = g_ptr_array_new_with_free_func (g_free);
  files->contents = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  for (size_t row = 0; row < n; row++)
    {
      gsize length = 0;
      guchar *data = g_base64_decode (rs_spi_value (row, 1) != NULL ? rs_spi_value (row, 1) : "", &length);

      g_ptr_array_add (files->paths, g_strdup (rs_spi_value (row, 0)));
      g_ptr_array_add (files->contents, g_bytes_new_take (data, length));
    }
  g_hash_table_insert (files_cache, g_strdup (version), files);
  return files;
}

/* The organization's calibration by uuid, or NULL (no error) when the
 * server has none by that id. */
static RsCalibration *
load_calibration (const char *uuid, GError **error)
{
  g_autoptr (RsCalibration) calibration = NULL;
  g_autofree char *id = NULL;
  size_t n = 0;

  if (!spi (&n, error, "SELECT id, created_at FROM reskill.calibrations WHERE uuid = $1", 1, uuid))
    return NULL;
  if (n == 0)
    return NULL;
  calibration = rs_calibration_new ();
  calibration->uuid = g_strdup (uuid);
  id = g_strdup (rs_spi_value (0, 0));
  calibration->created_at = g_ascii_strtoll (rs_spi_value (0, 1), NULL, 10);
  if (!spi (&n, error,
            "SELECT item_id, skill, model, status, anchor::int, n, a, b, c, se_a, se_b, se_c, fit_chi2, fit_df,"
            " fit_p, flags, decision FROM reskill.calibration_items WHERE calibration_id = $1::bigint",
            1, id))
    return NULL;
  for (size_t row = 0; row < n; row++)
    {
      RsCalibrationItemRow r = {
        .item_id = rs_spi_value (row, 0),
        .skill = rs_spi_value (row, 1),
        .model = rs_spi_value (row, 2),
        .status = rs_spi_value (row, 3),
        .anchor = g_strcmp0 (rs_spi_value (row, 4), "1") == 0,
        .n = (int) g_ascii_strtoll (rs_spi_value (row, 5), NULL, 10),
        .a = g_ascii_strtod (rs_spi_value (row, 6), NULL),
        .b = rs_spi_value (row, 7),
        .c = g_ascii_strtod (rs_spi_value (row, 8), NULL),
        .se_a = g_ascii_strtod (rs_spi_value (row, 9), NULL),
        .se_b = rs_spi_value (row, 10),
        .se_c = g_ascii_strtod (rs_spi_value (row, 11), NULL),
        .fit_chi2 = g_ascii_strtod (rs_spi_value (row, 12), NULL),
        .fit_df = (int) g_ascii_strtoll (rs_spi_value (row, 13), NULL, 10),
        .fit_p = g_ascii_strtod (rs_spi_value (row, 14), NULL),
        .flags = rs_spi_value (row, 15),
        .decision = rs_spi_value (row, 16),
      };
      RsCalibrationItem *item = rs_calibration_item_from_row (&r, uuid, error);

      if (item == NULL)
        return NULL;
      g_ptr_array_add (calibration->items, item);
    }
  rs_calibration_sort_items (calibration);
  return g_steal_pointer (&calibration);
}

/* The bank of version with calibration in force (NULL or "": as its files
 * give it). NULL with no error: the server has no such bank or no such
 * calibration. */
static const RsBank *
bank_for (const char *version, const char *calibration, GError **error)
{
  g_autofree char *key = g_strdup_printf ("%s\n%s", version, calibration != NULL ? calibration : "");
  RsBank *bank = g_hash_table_lookup (bank_cache, key);
  BankFiles *files;
  g_autoptr (RsCalibration) loaded = NULL;
  GError *local = NULL;

  if (bank != NULL)
    return bank;
  files = bank_files_for (version, &local);
  if (files == NULL)
    {
      if (local != NULL)
        g_propagate_error (error, local);
      return NULL;
    }
  if (calibration != NULL && calibration[0] != '\0')
    {
      loaded = load_calibration (calibration, &local);
      if (loaded == NULL)
        {
          if (local != NULL)
            g_propagate_error (error, local);
          return NULL;
        }
    }
  bank = load_files (files, error);
  if (bank == NULL)
    return NULL;
  if (g_strcmp0 (rs_bank_version (bank), version) != 0)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_INVALID, "the stored files of question bank %s load as version %s",
                   version, rs_bank_version (bank));
      rs_bank_free (bank);
      return NULL;
    }
  /* A calibration the files carry (calibration.yaml) is already in force. */
  if (loaded != NULL && g_strcmp0 (rs_bank_calibration (bank), calibration) != 0)
    rs_calibration_put_in_force (bank, loaded);
  g_hash_table_insert (bank_cache, g_steal_pointer (&key), bank);
  return bank;
}

/* --- the calling kiosk --- */

typedef struct {
  char *kiosk_id;
  char *role;
  char *name;
  char *fingerprint;
  guint8 public_key[RS_KIOSK_KEY_PUBLIC_BYTES];
} Kiosk;

static void
kiosk_clear (Kiosk *kiosk)
{
  g_free (kiosk->kiosk_id);
  g_free (kiosk->role);
  g_free (kiosk->name);
  g_free (kiosk->fingerprint);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Kiosk, kiosk_clear)

static gboolean
calling_kiosk (Kiosk *kiosk, GError **error)
{
  size_t n = 0;

  if (!spi (&n, error,
            "SELECT kiosk_id, db_role, name, fingerprint, encode (public_key, 'hex'), session_user"
            " FROM reskill.kiosks WHERE db_role = session_user AND revoked_at IS NULL", 0))
    return FALSE;
  if (n != 1)
    {
      if (!spi (&n, error, "SELECT session_user::text", 0))
        return FALSE;
      g_set_error (error, RS_ERROR, RS_ERROR_DENIED, "%s is not an enrolled kiosk (or it was revoked): only a "
                   "kiosk's own login pushes its results", rs_spi_value (0, 0));
      return FALSE;
    }
  kiosk->kiosk_id = g_strdup (rs_spi_value (0, 0));
  kiosk->role = g_strdup (rs_spi_value (0, 1));
  kiosk->name = g_strdup (rs_spi_value (0, 2));
  kiosk->fingerprint = g_strdup (rs_spi_value (0, 3));
  if (!rs_hex_decode (rs_spi_value (0, 4), kiosk->public_key, sizeof kiosk->public_key))
    {
      g_set_error (error, RS_ERROR, RS_ERROR_INVALID, "kiosk %s has a key that cannot be read", kiosk->role);
      return FALSE;
    }
  return TRUE;
}

/* --- writing an attempt --- */

static gboolean
insert_responses (const RsAttempt *a, const char *person, guint from, GError **error)
{
  GString *seq = array_new (), *item = array_new (), *skill = array_new (), *answer = array_new ();
  GString *score = array_new (), *max_score = array_new (), *theta = array_new (), *se = array_new ();
  GString *time_ms = array_new (), *answered = array_new (), *scored = array_new ();
  g_autofree char *s1 = NULL, *s2 = NULL, *s3 = NULL, *s4 = NULL, *s5 = NULL, *s6 = NULL, *s7 = NULL;
  g_autofree char *s8 = NULL, *s9 = NULL, *s10 = NULL, *s11 = NULL;

  for (guint i = from; i < a->responses->len; i++)
    {
      const RsResponse *r = &g_array_index (a->responses, RsResponse, i);

      array_add_int (seq, r->seq);
      array_add (item, r->item_id);
      array_add (skill, rs_skill_id (r->skill));
      array_add (answer, r->answer);
      array_add_int (score, r->score);
      array_add_int (max_score, r->max_score);
      array_add_double (theta, r->theta);
      array_add_double (se, r->se);
      array_add_int (time_ms, r->time_ms);
      array_add_int (answered, r->answered_at);
      array_add (scored, r->unscored ? "f" : "t");
    }
  s1 = array_end (seq), s2 = array_end (item), s3 = array_end (skill), s4 = array_end (answer);
  s5 = array_end (score), s6 = array_end (max_score), s7 = array_end (theta), s8 = array_end (se);
  s9 = array_end (time_ms), s10 = array_end (answered), s11 = array_end (scored);
  if (from >= a->responses->len)
    return TRUE;
  return spi (NULL, error,
              "INSERT INTO reskill.responses (attempt_id, person_id, seq, item_id, skill, answer, score, max_score,"
              " theta, se, time_ms, answered_at, scored)"
              " SELECT $1, $2::bigint, u.* FROM unnest ($3::int[], $4::text[], $5::text[], $6::text[], $7::int[],"
              " $8::int[], $9::float8[], $10::float8[], $11::int[], $12::bigint[], $13::boolean[]) AS u",
              13, a->uuid, person, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10, s11);
}

static gboolean
insert_results (const RsAttempt *a, const char *person, GError **error)
{
  GString *ord = array_new (), *skill = array_new (), *theta = array_new (), *se = array_new ();
  GString *n_items = array_new (), *level = array_new (), *calibration = array_new (), *provisional = array_new ();
  GString *p[RS_N_LEVELS];
  g_autofree char *finished = int_text (a->finished_at);
  char *texts[8 + RS_N_LEVELS];
  gboolean ok;

  for (int l = 0; l < RS_N_LEVELS; l++)
    p[l] = array_new ();
  for (int i = 0; i < a->n_skills; i++)
    for (guint k = 0; k < a->results->len; k++)
      {
        const RsSkillResult *r = &g_array_index (a->results, RsSkillResult, k);
        g_autofree char *level_id = NULL;

        if (r->skill != a->skills[i])
          continue;
        level_id = g_ascii_strdown (rs_level_name (r->level), -1);
        array_add_int (ord, i);
        array_add (skill, rs_skill_id (r->skill));
        array_add_double (theta, r->theta);
        array_add_double (se, r->se);
        array_add_int (n_items, r->n_items);
        array_add (level, level_id);
        array_add (calibration, r->calibration[0] != '\0' ? r->calibration : NULL);
        array_add (provisional, r->se_provisional ? "t" : "f");
        for (int l = 0; l < RS_N_LEVELS; l++)
          {
            if (r->has_level_probability)
              array_add_double (p[l], r->level_probability[l]);
            else
              array_add (p[l], NULL);
          }
      }
  texts[0] = array_end (ord), texts[1] = array_end (skill), texts[2] = array_end (theta);
  texts[3] = array_end (se), texts[4] = array_end (n_items), texts[5] = array_end (level);
  texts[6] = array_end (calibration), texts[7] = array_end (provisional);
  for (int l = 0; l < RS_N_LEVELS; l++)
    texts[8 + l] = array_end (p[l]);
  G_STATIC_ASSERT (RS_N_LEVELS == 5);
  ok = spi (NULL, error,
            "INSERT INTO reskill.results (attempt_id, person_id, finished_at, ord, skill, theta, se, n_items, level,"
            " calibration, se_provisional, p_novice, p_developing, p_proficient, p_advanced, p_expert)"
            " SELECT $1, $2::bigint, $3::bigint, u.* FROM unnest ($4::smallint[], $5::text[], $6::float8[],"
            " $7::float8[], $8::int[], $9::text[], $10::text[], $11::boolean[], $12::float8[], $13::float8[],"
            " $14::float8[], $15::float8[], $16::float8[]) AS u",
            16, a->uuid, person, finished, texts[0], texts[1], texts[2], texts[3], texts[4], texts[5], texts[6],
            texts[7], texts[8], texts[9], texts[10], texts[11], texts[12]);
  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    g_free (texts[i]);
  return ok;
}

static gboolean
insert_attempt (const RsAttempt *a, const char *person, GError **error)
{
  g_autofree char *skills = rs_unit_skills_text (a);
  g_autofree char *seed = int_text (a->seed), *started = int_text (a->started_at);
  g_autofree char *finished = a->status == RS_ATTEMPT_FINISHED ? int_text (a->finished_at) : NULL;
  GString *prior_skill = array_new (), *prior_mean = array_new (), *prior_sd = array_new ();
  GString *self_skill = array_new (), *self_level = array_new ();
  g_autofree char *t1 = NULL, *t2 = NULL, *t3 = NULL, *t4 = NULL, *t5 = NULL;

  for (int s = 0; s < RS_N_SKILLS; s++)
    {
      if (a->prior_sd[s] > 0)
        {
          array_add (prior_skill, rs_skill_id ((RsSkill) s));
          array_add_double (prior_mean, a->prior_mean[s]);
          array_add_double (prior_sd, a->prior_sd[s]);
        }
      if (a->self_level[s] != RS_LEVEL_INVALID)
        {
          g_autofree char *level = g_ascii_strdown (rs_level_name (a->self_level[s]), -1);

          array_add (self_skill, rs_skill_id ((RsSkill) s));
          array_add (self_level, level);
        }
    }
  t1 = array_end (prior_skill), t2 = array_end (prior_mean), t3 = array_end (prior_sd);
  t4 = array_end (self_skill), t5 = array_end (self_level);
  if (!spi (NULL, error,
            "INSERT INTO reskill.attempts (uuid, person_id, mode, skills, seed, bank_version, kiosk_id, status,"
            " started_at, finished_at, pending_item_id, pending_scored)"
            " VALUES ($1, $2::bigint, $3, $4, $5::bigint, $6, $7, $8, $9::bigint, $10::bigint, $11, $12::boolean)",
            12, a->uuid, person, rs_mode_id (a->mode), skills, seed, a->bank_version, a->kiosk_id,
            a->status == RS_ATTEMPT_FINISHED ? "finished" : "in_progress", started, finished,
            a->status == RS_ATTEMPT_FINISHED ? NULL : a->pending_item_id,
            a->pending_unscored ? "f" : "t")
      || !spi (NULL, error,
               "INSERT INTO reskill.attempt_priors (attempt_id, person_id, skill, mean, sd)"
               " SELECT $1, $2::bigint, u.* FROM unnest ($3::text[], $4::float8[], $5::float8[]) AS u",
               5, a->uuid, person, t1, t2, t3)
      || !spi (NULL, error,
               "INSERT INTO reskill.self_estimates (attempt_id, person_id, skill, level)"
               " SELECT $1, $2::bigint, u.* FROM unnest ($3::text[], $4::text[]) AS u",
               4, a->uuid, person, t4, t5)
      || !insert_responses (a, person, 0, error))
    return FALSE;
  return a->status != RS_ATTEMPT_FINISHED || insert_results (a, person, error);
}

/* The attempt as the server holds it, for rs_unit_merge_decide. */
static gboolean
merge (const RsUnit *unit, const char *person, char **outcome, char **detail, GError **error)
{
  const RsAttempt *a = unit->attempt;
  g_autoptr (GArray) answers = g_array_new (FALSE, FALSE, sizeof (RsUnitHeldAnswer));
  g_autoptr (GPtrArray) strings = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *kiosk = NULL, *held_person = NULL, *mode = NULL, *skills = NULL, *bank = NULL;
  g_autofree char *why = NULL;
  RsUnitHeld held = { 0 };
  size_t n = 0;

  if (!spi (&n, error,
            "SELECT kiosk_id, coalesce (person_id, 0), mode, skills, seed, started_at, bank_version, status"
            " FROM reskill.attempts WHERE uuid = $1", 1, a->uuid))
    return FALSE;
  if (n == 0)
    {
      if (!insert_attempt (a, person, error))
        return FALSE;
      *outcome = g_strdup ("added");
      *detail = g_strdup_printf ("%u answers", a->responses->len);
      return TRUE;
    }
  kiosk = g_strdup (rs_spi_value (0, 0));
  held_person = g_strdup (rs_spi_value (0, 1));
  mode = g_strdup (rs_spi_value (0, 2));
  skills = g_strdup (rs_spi_value (0, 3));
  held.kiosk_id = kiosk;
  held.same_person = g_strcmp0 (held_person, person != NULL ? person : "0") == 0;
  held.mode = mode;
  held.skills = skills;
  held.seed = (guint32) g_ascii_strtoull (rs_spi_value (0, 4), NULL, 10);
  held.started_at = g_ascii_strtoll (rs_spi_value (0, 5), NULL, 10);
  bank = g_strdup (rs_spi_value (0, 6));
  held.bank_version = bank;
  held.finished = g_strcmp0 (rs_spi_value (0, 7), "finished") == 0;
  if (!spi (&n, error,
            "SELECT seq, item_id, answer, score, answered_at FROM reskill.responses WHERE attempt_id = $1"
            " ORDER BY seq", 1, a->uuid))
    return FALSE;
  for (size_t row = 0; row < n; row++)
    {
      RsUnitHeldAnswer h = { .seq = (int) g_ascii_strtoll (rs_spi_value (row, 0), NULL, 10),
                             .score = (int) g_ascii_strtoll (rs_spi_value (row, 3), NULL, 10),
                             .answered_at = g_ascii_strtoll (rs_spi_value (row, 4), NULL, 10) };
      char *item = g_strdup (rs_spi_value (row, 1)), *answer = g_strdup (rs_spi_value (row, 2));

      g_ptr_array_add (strings, item);
      g_ptr_array_add (strings, answer);
      h.item_id = item;
      h.answer = answer;
      g_array_append_val (answers, h);
    }
  held.answers = (const RsUnitHeldAnswer *) answers->data;
  held.n_answers = answers->len;
  switch (rs_unit_merge_decide (unit, &held, &why))
    {
    case RS_UNIT_MERGE_CONFLICT:
      *outcome = g_strdup ("conflict");
      *detail = g_strdup_printf ("%s (the server's copy is kept)", why);
      return TRUE;
    case RS_UNIT_MERGE_UNCHANGED:
      *outcome = g_strdup ("unchanged");
      *detail = NULL;
      return TRUE;
    case RS_UNIT_MERGE_EXTEND:
    default:
      break;
    }
  if (!insert_responses (a, person, answers->len, error))
    return FALSE;
  if (a->status == RS_ATTEMPT_FINISHED)
    {
      g_autofree char *finished = int_text (a->finished_at);

      if (!insert_results (a, person, error)
          || !spi (NULL, error,
                   "UPDATE reskill.attempts SET status = 'finished', finished_at = $2::bigint, pending_item_id = NULL,"
                   " updated_at = now () WHERE uuid = $1", 2, a->uuid, finished))
        return FALSE;
    }
  else if (!spi (NULL, error,
                 "UPDATE reskill.attempts SET pending_item_id = $2, pending_scored = $3::boolean, updated_at = now ()"
                 " WHERE uuid = $1", 3, a->uuid, a->pending_item_id, a->pending_unscored ? "f" : "t"))
    return FALSE;
  *outcome = g_strdup ("updated");
  *detail = g_strdup_printf ("%u answers added%s", a->responses->len - answers->len,
                             a->status == RS_ATTEMPT_FINISHED ? ", finished" : "");
  return TRUE;
}

/* --- checking the numbers --- */

typedef enum {
  NUMBERS_OK,
  NUMBERS_OTHER_BANK,
  NUMBERS_OTHER_CALIBRATION,
} Numbers;

static gboolean
check_numbers (const RsUnitCheck *check, const RsUnit *unit, Numbers *verdict, GError **error)
{
  const char *version = unit->attempt->bank_version;
  const char *claimed = rs_unit_claimed_calibration (unit);
  const RsBank *plain;
  GError *local = NULL;
  size_t n = 0;
  g_autoptr (GPtrArray) candidates = g_ptr_array_new_with_free_func (g_free);

  *verdict = NUMBERS_OK;
  plain = version != NULL ? bank_for (version, NULL, &local) : NULL;
  if (plain == NULL)
    {
      if (local != NULL)
        {
          g_propagate_error (error, local);
          return FALSE;
        }
      *verdict = NUMBERS_OTHER_BANK;
      return TRUE;
    }
  if (claimed != NULL)
    {
      const char *here = rs_bank_calibration (plain);
      const RsBank *bank = plain;

      if (g_strcmp0 (claimed, here != NULL ? here : "") != 0)
        {
          bank = claimed[0] != '\0' ? bank_for (version, claimed, &local) : NULL;
          if (bank == NULL)
            {
              if (local != NULL)
                {
                  g_propagate_error (error, local);
                  return FALSE;
                }
              *verdict = NUMBERS_OTHER_CALIBRATION;
              return TRUE;
            }
        }
      return rs_unit_check_numbers (check, unit, bank, NULL, error);
    }
  /* Unfinished: the numbers so far follow from some calibration the
   * organization issued, or from the bank's own parameters. */
  if (!spi (&n, error, "SELECT uuid FROM reskill.calibrations ORDER BY created_at DESC, id DESC LIMIT $1::int", 1,
            G_STRINGIFY (MAX_CALIBRATIONS_TRIED)))
    return FALSE;
  for (size_t row = 0; row < n; row++)
    g_ptr_array_add (candidates, g_strdup (rs_spi_value (row, 0)));
  for (guint i = 0; i <= candidates->len; i++)
    {
      const RsBank *bank = i == 0 ? plain : bank_for (version, g_ptr_array_index (candidates, i - 1), &local);
      gboolean mismatch = FALSE;
      g_autoptr (GError) refusal = NULL;

      if (bank == NULL)
        {
          if (local != NULL)
            {
              g_propagate_error (error, local);
              return FALSE;
            }
          continue;
        }
      if (rs_unit_check_numbers (check, unit, bank, &mismatch, &refusal))
        return TRUE;
      if (!mismatch)
        {
          g_propagate_error (error, g_steal_pointer (&refusal));
          return FALSE;
        }
    }
  *verdict = NUMBERS_OTHER_CALIBRATION;
  return TRUE;
}

/* --- push_unit --- */

static gboolean
receipt (const Kiosk *kiosk, const char *uuid, const char *outcome, const char *detail, GError **error)
{
  return spi (NULL, error,
              "INSERT INTO reskill.unit_receipts (kiosk_id, attempt_id, outcome, detail) VALUES ($1, $2, $3, $4)",
              4, kiosk->kiosk_id, uuid, outcome, detail)
         && spi (NULL, error, "UPDATE reskill.kiosks SET last_push_at = now () WHERE kiosk_id = $1", 1,
                 kiosk->kiosk_id);
}

/* An erasure a kiosk passes on: signed by that kiosk's enrolled key, then
 * applied (reskill.erase_person, which keeps the tombstone). */
static gboolean
push_erasure (const Kiosk *kiosk, const char *source, const RsUnit *unit, const char *signer_fingerprint, gint64 now,
              char **outcome, char **detail, GError **error)
{
  const RsErasureRecord *e = unit->erasure;
  GString *attempts;
  g_autofree char *list = NULL, *erased_at = NULL, *result = NULL;
  size_t n = 0;

  if (unit->version != RS_UNIT_ERASURE_VERSION || e == NULL || unit->employee_no == NULL)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_DB_TOO_NEW, "%s: refused: erasure %s is of a version this Reskill does "
                   "not know: update it first", source, rs_unit_uuid (unit));
      return FALSE;
    }
  if (memcmp (unit->signer, kiosk->public_key, sizeof kiosk->public_key) != 0)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_DENIED, "%s: refused: erasure %s is signed by key %s, not by this "
                   "kiosk's enrolled key %s. Nothing was erased.", source, e->uuid, signer_fingerprint,
                   kiosk->fingerprint);
      return FALSE;
    }
  if (!rs_unit_signature_valid (unit))
    {
      g_set_error (error, RS_ERROR, RS_ERROR_INVALID, "%s: refused: erasure %s does not match its signature: it was "
                   "changed after the kiosk signed it (forged or damaged). Nothing was erased.", source, e->uuid);
      return FALSE;
    }
  /* A kiosk's clock may run a little ahead; an erasure dated far in the
   * future would block every later attempt of the number until then. */
  if (e->erased_at > now + 10 * 60 * G_USEC_PER_SEC)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_INVALID, "%s: refused: erasure %s is dated in the future. Nothing was "
                   "erased.", source, e->uuid);
      return FALSE;
    }
  attempts = array_new ();
  for (guint i = 0; i < e->attempts->len; i++)
    array_add (attempts, g_ptr_array_index (e->attempts, i));
  list = array_end (attempts);
  erased_at = int_text (e->erased_at);
  if (!spi (&n, error, "SELECT reskill.erase_person ($1, $2, $3::bigint, $4, $5::text[], $6)", 6, e->uuid,
            e->kiosk_id, erased_at, unit->employee_no, list, kiosk->fingerprint))
    return FALSE;
  result = g_strdup (rs_spi_value (0, 0));
  if (g_str_equal (result, "applied"))
    {
      *outcome = g_strdup ("erased");
      *detail = NULL;
    }
  else if (g_str_equal (result, "known"))
    {
      *outcome = g_strdup ("unchanged");
      *detail = NULL;
    }
  else
    {
      *outcome = g_strdup ("skipped");
      *detail = g_strdup ("it would erase the server's last active administrator: another administrator is needed "
                          "first");
    }
  return receipt (kiosk, e->uuid, *outcome, *detail, error);
}

static gboolean
push (const void *body, size_t body_length, const void *signer, size_t signer_length, const void *signature,
      size_t signature_length, char **outcome, char **detail, GError **error)
{
  g_auto (Kiosk) kiosk = { 0 };
  g_autoptr (RsUnit) unit = NULL;
  g_autofree char *source = NULL, *person = NULL;
  g_autofree char *signer_fingerprint = NULL;
  RsUnitCheck check = { 0 };
  Numbers verdict = NUMBERS_OK;
  gint64 now = g_get_real_time ();
  size_t n = 0;

  if (!calling_kiosk (&kiosk, error))
    return FALSE;
  source = g_strdup_printf ("a push from kiosk %s%s%s%s", kiosk.role, kiosk.name != NULL ? " (" : "",
                            kiosk.name != NULL ? kiosk.name : "", kiosk.name != NULL ? ")" : "");
  check.source = source;
  check.now = now;
  unit = rs_unit_parse (body, body_length, error);
  if (unit == NULL)
    {
      g_prefix_error (error, "%s: refused: ", source);
      return FALSE;
    }
  if (signer_length != RS_KIOSK_KEY_PUBLIC_BYTES || signature_length != RS_KIOSK_KEY_SIGNATURE_BYTES)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_DENIED, "%s: refused: attempt %s is not signed (a signer of %zu bytes "
                   "and a signature of %zu)", source, rs_unit_uuid (unit), signer_length, signature_length);
      return FALSE;
    }
  memcpy (unit->signer, signer, sizeof unit->signer);
  memcpy (unit->signature, signature, sizeof unit->signature);
  unit->is_signed = TRUE;
  signer_fingerprint = rs_kiosk_fingerprint (unit->signer);
  if (unit->kind == RS_UNIT_KIND_ERASURE)
    return push_erasure (&kiosk, source, unit, signer_fingerprint, now, outcome, detail, error);
  /* A kiosk's credential signs for that kiosk only, and only its own
   * attempts: another's key, or another kiosk's attempt, is refused before
   * anything else is looked at. */
  if (memcmp (unit->signer, kiosk.public_key, sizeof kiosk.public_key) != 0)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_DENIED, "%s: refused: attempt %s is signed by key %s, not by this "
                   "kiosk's enrolled key %s. Nothing was imported.", source, unit->attempt->uuid, signer_fingerprint,
                   kiosk.fingerprint);
      return FALSE;
    }
  if (g_strcmp0 (unit->attempt->kiosk_id, kiosk.kiosk_id) != 0)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_DENIED, "%s: refused: attempt %s was started on kiosk %s; a kiosk "
                   "pushes only its own attempts. Nothing was imported.", source, unit->attempt->uuid,
                   unit->attempt->kiosk_id != NULL ? unit->attempt->kiosk_id : "(none)");
      return FALSE;
    }
  if (!rs_unit_check_signed_content (&check, unit, now, error) || !check_numbers (&check, unit, &verdict, error))
    return FALSE;
  /* Two pushes of one attempt (two sync runs of one kiosk) queue here. */
  if (!spi (NULL, error, "SELECT pg_advisory_xact_lock (hashtextextended ($1, 7013))", 1, unit->attempt->uuid))
    return FALSE;
  /* A tombstone keeps it out; an erasure of this number queues behind
   * this push, or this push behind it (reskill.erase_person). */
  {
    g_autofree char *started = int_text (unit->attempt->started_at);

    if (unit->employee_no != NULL
        && !spi (NULL, error, "SELECT pg_advisory_xact_lock (hashtextextended ($1, 7015))", 1, unit->employee_no))
      return FALSE;
    if (!spi (&n, error, "SELECT 1 WHERE reskill.erased ($1, $2, $3::bigint)", 3, unit->attempt->uuid,
              unit->employee_no, started))
      return FALSE;
    if (n > 0)
      {
        *outcome = g_strdup ("erased");
        *detail = g_strdup ("the person was erased after this attempt began: it is not kept");
        return receipt (&kiosk, unit->attempt->uuid, *outcome, NULL, error);
      }
  }
  if (unit->employee_no != NULL)
    {
      if (!spi (&n, error, "SELECT id FROM reskill.people WHERE employee_no = $1", 1, unit->employee_no))
        return FALSE;
      if (n == 0)
        {
          *outcome = g_strdup ("unknown-person");
          *detail = g_strdup_printf ("employee number %s is not on the server: add the person there, then sync "
                                     "again", unit->employee_no);
        }
      else
        person = g_strdup (rs_spi_value (0, 0));
    }
  if (*outcome == NULL && verdict == NUMBERS_OTHER_BANK)
    {
      *outcome = g_strdup ("other-bank");
      *detail = g_strdup_printf ("question bank version %s is not on the server: an administrator adds it with "
                                 "reskill server add-bank", unit->attempt->bank_version != NULL
                                 ? unit->attempt->bank_version : "(none)");
    }
  else if (*outcome == NULL && verdict == NUMBERS_OTHER_CALIBRATION)
    {
      const char *claimed = rs_unit_claimed_calibration (unit);

      *outcome = g_strdup ("other-calibration");
      *detail = claimed != NULL
                  ? g_strdup_printf ("its results were scored with calibration %s, which the server does not have",
                                     claimed[0] != '\0' ? claimed : "(the bank's own parameters)")
                  : g_strdup ("its answers so far follow from item parameters the server does not have");
    }
  if (*outcome == NULL && !merge (unit, person, outcome, detail, error))
    return FALSE;
  return receipt (&kiosk, unit->attempt->uuid, *outcome, *detail, error);
}

bool
rs_pg_push_unit (const void *body, size_t body_length, const void *signer, size_t signer_length,
                 const void *signature, size_t signature_length, char **outcome, char **detail, char **message,
                 const char **state)
{
  GError *error = NULL;

  *outcome = *detail = *message = NULL;
  *state = NULL;
  if (caches_init (&error) && push (body, body_length, signer, signer_length, signature, signature_length, outcome, detail, &error))
    return true;
  g_clear_pointer (outcome, g_free);
  g_clear_pointer (detail, g_free);
  return fail_with (error, message, state);
}

/* --- add_bank --- */

static gboolean
add_bank (const char *version, int n_files, const char *const *paths, const void *const *contents,
          const size_t *lengths, int *n_items, GError **error)
{
  g_autoptr (RsBank) bank = NULL;
  BankFiles files = { g_ptr_array_new_with_free_func (g_free),
                      g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref) };
  g_autofree char *items = NULL;
  size_t n = 0;
  gboolean ok;

  ok = spi (&n, error, "SELECT reskill.may_administer ()", 0);
  if (ok && g_strcmp0 (rs_spi_value (0, 0), "t") != 0)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_DENIED, "only an administrator adds question banks");
      ok = FALSE;
    }
  for (int i = 0; ok && i < n_files; i++)
    {
      g_ptr_array_add (files.paths, g_strdup (paths[i]));
      g_ptr_array_add (files.contents, g_bytes_new (contents[i], lengths[i]));
    }
  if (ok)
    bank = load_files (&files, error);
  ok = ok && bank != NULL;
  if (ok && g_strcmp0 (rs_bank_version (bank), version) != 0)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_INVALID, "these files make question bank version %s, not %s",
                   rs_bank_version (bank), version);
      ok = FALSE;
    }
  if (ok && rs_bank_n_items (bank) == 0)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_INVALID, "these files hold no question that loads");
      ok = FALSE;
    }
  if (ok)
    {
      *n_items = (int) rs_bank_n_items (bank);
      items = int_text (*n_items);
      ok = spi (&n, error, "INSERT INTO reskill.banks (version, n_items) VALUES ($1, $2::int)"
                " ON CONFLICT (version) DO NOTHING", 2, version, items);
    }
  /* A version already here is the same files: nothing more to do. */
  for (int i = 0; ok && n == 1 && i < n_files; i++)
    {
      g_autofree char *base64 = g_base64_encode (contents[i], lengths[i]);

      ok = spi (NULL, error, "INSERT INTO reskill.bank_files (version, path, content)"
                " VALUES ($1, $2, decode ($3, 'base64'))", 3, version, paths[i], base64);
    }
  if (ok && n == 1)
    {
      g_autofree char *detail = g_strdup_printf ("%s: %d files, %s questions", version, n_files, items);
      ok = spi (NULL, error, "INSERT INTO reskill.audit (event, detail) VALUES ('bank-added', $1)", 1, detail);
    }
  g_ptr_array_unref (files.paths);
  g_ptr_array_unref (files.contents);
  return ok;
}

bool
rs_pg_add_bank (const char *version, int n_files, const char *const *paths, const void *const *contents,
                const size_t *lengths, int *n_items, char **message, const char **state)
{
  GError *error = NULL;

  *message = NULL;
  *state = NULL;
  if (caches_init (&error) && add_bank (version, n_files, paths, contents, lengths, n_items, &error))
    return true;
  return fail_with (error, message, state);
}
