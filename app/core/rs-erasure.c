/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Erasure and tombstones; see rs-erasure.h for what goes, what stays and
 * why the employee number is kept only sealed under the kiosk's key. */
#include "rs-erasure.h"

#include <sodium.h>
#include <string.h>

#include "rs-access.h"
#include "rs-error.h"
#include "rs-i18n.h"
#include "rs-kiosk-key.h"
#include "rs-store-private.h"

/* crypto_kdf contexts are 8 bytes; the subkey ids tell the uses apart. */
#define KDF_CONTEXT "rs-erase"
#define KDF_MAC_KEY 1
#define KDF_BOX_KEY 2

/* Audit events that are the person's own doing and say nothing else: they
 * go with the person. Their other rows (as an administrator) stay without
 * a name. */
static const char *const own_events[] = {
  "sign-in", "sign-in-failed", "sign-in-refused", "kiosk-exit", "notice-confirmed", "practice-shared",
  "first-admin", "data-exported",
};

void
rs_erasure_summary_clear (RsErasureSummary *summary)
{
  if (summary == NULL)
    return;
  g_clear_pointer (&summary->uuid, g_free);
  g_clear_pointer (&summary->employee_no, g_free);
  g_clear_pointer (&summary->name, g_free);
  g_clear_pointer (&summary->log_problem, g_free);
}

char *
rs_erasure_summary_describe (const RsErasureSummary *s, gboolean dry_run)
{
  g_autofree char *attempts = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u attempt", "%u attempts",
                                                            s->n_attempts), s->n_attempts);
  g_autofree char *answers = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u answer", "%u answers",
                                                           s->n_answers), s->n_answers);
  g_autofree char *views = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u record of who looked",
                                                         "%u records of who looked", s->n_views), s->n_views);
  g_autofree char *audit = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u audit entry", "%u audit entries",
                                                         s->n_audit), s->n_audit);

  return g_strdup_printf (dry_run ? _("Would erase %s %s: %s, %s, %s, %s.") : _("Erased %s %s: %s, %s, %s, %s."),
                          s->employee_no != NULL ? s->employee_no : "", s->name != NULL ? s->name : "", attempts,
                          answers, views, audit);
}

/* --- keys --- */

static gboolean
kiosk_key (RsStore *store, const RsKioskKey **key, GError **error)
{
  *key = rs_store_kiosk_key (store);
  if (*key != NULL)
    return TRUE;
  g_set_error (error, RS_ERROR, RS_ERROR_FAILED, "%s",
               _("This database has no kiosk key (it is read-only): erasures cannot be recorded or checked."));
  return FALSE;
}

/* HMAC-SHA256 of the employee number under a key derived from the
 * kiosk's: the tombstone's way to recognize a number without keeping it. */
static char *
person_mac (const RsKioskKey *key, const char *employee_no)
{
  guint8 mac_key[crypto_auth_hmacsha256_KEYBYTES];
  guint8 mac[crypto_auth_hmacsha256_BYTES];

  rs_kiosk_key_derive (key, KDF_CONTEXT, KDF_MAC_KEY, mac_key, sizeof mac_key);
  crypto_auth_hmacsha256 (mac, (const guchar *) employee_no, strlen (employee_no), mac_key);
  sodium_memzero (mac_key, sizeof mac_key);
  return rs_hex_encode (mac, sizeof mac);
}

/* The number sealed for passing the erasure on: nonce and ciphertext, hex. */
static char *
seal_number (const RsKioskKey *key, const char *employee_no)
{
  guint8 box_key[crypto_secretbox_KEYBYTES];
  gsize length = strlen (employee_no);
  g_autofree guint8 *sealed = g_malloc (crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + length);

  rs_kiosk_key_derive (key, KDF_CONTEXT, KDF_BOX_KEY, box_key, sizeof box_key);
  randombytes_buf (sealed, crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy (sealed + crypto_secretbox_NONCEBYTES, (const guchar *) employee_no, length, sealed,
                         box_key);
  sodium_memzero (box_key, sizeof box_key);
  return rs_hex_encode (sealed, crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + length);
}

/* NULL when this key did not seal it. */
static char *
open_number (const RsKioskKey *key, const char *hex)
{
  guint8 box_key[crypto_secretbox_KEYBYTES];
  gsize n = hex != NULL ? strlen (hex) / 2 : 0;
  g_autofree guint8 *sealed = NULL;
  char *number;
  int rc;

  if (n < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + 1 || n > 4096)
    return NULL;
  sealed = g_malloc (n);
  if (!rs_hex_decode (hex, sealed, n))
    return NULL;
  number = g_malloc0 (n - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES + 1);
  rs_kiosk_key_derive (key, KDF_CONTEXT, KDF_BOX_KEY, box_key, sizeof box_key);
  rc = crypto_secretbox_open_easy ((guchar *) number, sealed + crypto_secretbox_NONCEBYTES,
                                   n - crypto_secretbox_NONCEBYTES, sealed, box_key);
  sodium_memzero (box_key, sizeof box_key);
  if (rc != 0 || !g_utf8_validate (number, -1, NULL))
    {
      g_free (number);
      return NULL;
    }
  return number;
}

/* --- deleting --- */

gboolean
rs_erasure_delete_attempt_tx (RsStore *store, const char *uuid, gboolean keep_anonymous, guint *n_answers,
                              guint *n_anonymous, GError **error)
{
  gint64 n = 0;

  if (!rs_store_get_int (store, &n, error, "SELECT count(*) FROM responses WHERE attempt_id = ?", "s", uuid))
    return FALSE;
  *n_answers += (guint) n;
  if (keep_anonymous && n > 0)
    {
      /* One pattern per skill: calibration needs each person's answers in
       * a skill together, nothing more. No attempt, person, time, order,
       * answer text or estimate goes with them, and the random key puts
       * the rows in no order that dates them. */
      for (int s = 0; s < RS_N_SKILLS; s++)
        {
          gint64 pattern = (gint64) (((guint64) randombytes_random () << 31) ^ randombytes_random ()) & G_MAXINT64;

          if (!rs_store_exec (store, error,
                              "INSERT OR IGNORE INTO anonymous_answers (pattern, item_id, skill, score, max_score)"
                              " SELECT ?, item_id, skill, score, max_score FROM responses"
                              " WHERE attempt_id = ? AND skill = ?",
                              "lss", pattern, uuid, rs_skill_id ((RsSkill) s)))
            return FALSE;
          *n_anonymous += (guint) sqlite3_changes (rs_store_get_db (store));
        }
    }
  return rs_store_exec (store, error, "DELETE FROM responses WHERE attempt_id = ?", "s", uuid)
         && rs_store_exec (store, error, "DELETE FROM results WHERE attempt_id = ?", "s", uuid)
         && rs_store_exec (store, error, "DELETE FROM result_history WHERE attempt_id = ?", "s", uuid)
         && rs_store_exec (store, error, "DELETE FROM self_estimates WHERE attempt_id = ?", "s", uuid)
         && rs_store_exec (store, error, "DELETE FROM attempt_priors WHERE attempt_id = ?", "s", uuid)
         /* What sync pushed of it (it names the attempt, and the
          * attempt cannot go while a row refers to it). */
         && rs_store_exec (store, error, "DELETE FROM sync_pushed WHERE attempt_id = ?", "s", uuid)
         && rs_store_exec (store, error, "DELETE FROM attempts WHERE uuid = ?", "s", uuid);
}

/* The employee number as a word in an import's audit row ("unknown employee
 * numbers 1201, 1202 skipped"), as rows before issue 14 listed them. */
static gboolean
scrub_import_rows_tx (RsStore *store, const char *employee_no, guint *n_audit, GError **error)
{
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) details = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *escaped = g_regex_escape_string (employee_no, -1);
  g_autofree char *pattern = g_strdup_printf ("(?<![\\w-])%s(?![\\w-])", escaped);
  g_autoptr (GRegex) regex = g_regex_new (pattern, G_REGEX_OPTIMIZE, 0, NULL);
  g_autoptr (RsStoreStmt) stmt = NULL;
  int rc;

  if (regex == NULL)
    return TRUE;
  stmt = rs_store_query (store, error,
                         "SELECT id, detail FROM audit WHERE event = 'results-imported' AND instr (detail, ?) > 0", "s",
                         employee_no);
  if (stmt == NULL)
    return FALSE;
  while ((rc = rs_store_step (store, stmt, error)) == SQLITE_ROW)
    {
      const char *detail = (const char *) sqlite3_column_text (stmt, 1);
      char *scrubbed = g_regex_replace_literal (regex, detail, -1, 0, "(erased)", 0, NULL);

      if (scrubbed == NULL || g_str_equal (scrubbed, detail))
        {
          g_free (scrubbed);
          continue;
        }
      g_ptr_array_add (ids, g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) sqlite3_column_int64 (stmt, 0)));
      g_ptr_array_add (details, scrubbed);
    }
  if (rc != SQLITE_DONE)
    return FALSE;
  g_clear_pointer (&stmt, rs_store_stmt_release);
  for (guint i = 0; i < ids->len; i++)
    if (!rs_store_exec (store, error, "UPDATE audit SET detail = ? WHERE id = ?", "sl",
                        (const char *) g_ptr_array_index (details, i),
                        g_ascii_strtoll (g_ptr_array_index (ids, i), NULL, 10)))
      return FALSE;
  *n_audit += ids->len;
  return TRUE;
}

/* Everything of one person but their attempts, then the person. */
static gboolean
erase_person_rows_tx (RsStore *store, gint64 person_id, const char *employee_no, RsErasureSummary *summary,
                      GError **error)
{
  sqlite3 *db = rs_store_get_db (store);
  gint64 n = 0;

  if (!rs_store_get_int (store, &n, error, "SELECT count(*) FROM result_views WHERE person_id = ?", "l", person_id))
    return FALSE;
  summary->n_views += (guint) n;
  if (!rs_store_exec (store, error, "DELETE FROM result_views WHERE person_id = ?", "l", person_id)
      /* What they looked at as a manager stays, for the people they looked
       * at; who it was does not. */
      || !rs_store_exec (store, error, "UPDATE result_views SET viewer_id = NULL WHERE viewer_id = ?", "l", person_id)
      || !rs_store_exec (store, error, "DELETE FROM notice_confirmations WHERE person_id = ?", "l", person_id)
      || !rs_store_exec (store, error, "DELETE FROM team_managers WHERE person_id = ?", "l", person_id)
      || !rs_store_exec (store, error, "DELETE FROM sign_in_failures WHERE employee_no = ?", "s", employee_no))
    return FALSE;

  for (gsize i = 0; i < G_N_ELEMENTS (own_events); i++)
    {
      if (!rs_store_exec (store, error, "DELETE FROM audit WHERE person_id = ? AND event = ?", "ls", person_id,
                          own_events[i]))
        return FALSE;
      summary->n_audit += (guint) sqlite3_changes (db);
    }
  if (!rs_store_exec (store, error, "UPDATE audit SET person_id = NULL WHERE person_id = ?", "l", person_id))
    return FALSE;
  summary->n_audit += (guint) sqlite3_changes (db);
  /* Rows about them keep the event (an administrator added someone, reset
   * someone's PIN) and lose the person. */
  if (!rs_store_exec (store, error, "UPDATE audit SET subject_id = NULL, detail = 'a person since erased'"
                                    " WHERE subject_id = ?", "l", person_id))
    return FALSE;
  summary->n_audit += (guint) sqlite3_changes (db);
  if (!scrub_import_rows_tx (store, employee_no, &summary->n_audit, error))
    return FALSE;

  /* What they did as an administrator stays; that it was them does not. */
  return rs_store_exec (store, error, "UPDATE calibrations SET created_by = NULL WHERE created_by = ?", "l", person_id)
         && rs_store_exec (store, error, "UPDATE calibration_items SET decided_by = NULL WHERE decided_by = ?", "l",
                           person_id)
         && rs_store_exec (store, error, "UPDATE trusted_kiosks SET trusted_by = NULL WHERE trusted_by = ?", "l",
                           person_id)
         && rs_store_exec (store, error, "UPDATE trusted_kiosks SET revoked_by = NULL WHERE revoked_by = ?", "l",
                           person_id)
         && rs_store_exec (store, error, "UPDATE privacy_policy SET changed_by = NULL WHERE changed_by = ?", "l",
                           person_id)
         /* Anything else that still names them (a table a later version
          * adds) makes this fail on its foreign key, and nothing is erased:
          * better than a person half gone. */
         && rs_store_exec (store, error, "DELETE FROM people WHERE id = ?", "l", person_id);
}

/* The attempts of a person, by UUID. */
static GPtrArray *
person_attempts_tx (RsStore *store, gint64 person_id, GError **error)
{
  g_autoptr (GPtrArray) uuids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (RsStoreStmt) stmt = rs_store_query (store, error,
                                                 "SELECT uuid FROM attempts WHERE person_id = ? ORDER BY uuid", "l",
                                                 person_id);
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = rs_store_step (store, stmt, error)) == SQLITE_ROW)
    g_ptr_array_add (uuids, rs_store_column_strdup (stmt, 0));
  return rc == SQLITE_DONE ? g_steal_pointer (&uuids) : NULL;
}

/* The tombstone: the erasure and the attempts it names (already here or
 * not, for those that come later in bundles). */
static gboolean
tombstone_tx (RsStore *store, const RsErasureRecord *record, const char *employee_no, gboolean travels,
              const char *received_from, GPtrArray *more_attempts, GError **error)
{
  const RsKioskKey *key;
  g_autofree char *mac = NULL, *box = NULL;

  if (!kiosk_key (store, &key, error))
    return FALSE;
  mac = person_mac (key, employee_no);
  box = travels ? seal_number (key, employee_no) : NULL;
  if (!rs_store_exec (store, error,
                      "INSERT INTO erasures (uuid, kiosk_id, erased_at, person_mac, number_box, received_at,"
                      " received_from) VALUES (?, ?, ?, ?, ?, ?, ?)",
                      "sslssls", record->uuid, record->kiosk_id, record->erased_at, mac, box, rs_store_now (),
                      received_from))
    return FALSE;
  for (guint i = 0; i < record->attempts->len; i++)
    if (!rs_store_exec (store, error, "INSERT OR IGNORE INTO erased_attempts (attempt_id, erasure_uuid) VALUES (?, ?)",
                        "ss", (const char *) g_ptr_array_index (record->attempts, i), record->uuid))
      return FALSE;
  for (guint i = 0; more_attempts != NULL && i < more_attempts->len; i++)
    if (!rs_store_exec (store, error, "INSERT OR IGNORE INTO erased_attempts (attempt_id, erasure_uuid) VALUES (?, ?)",
                        "ss", (const char *) g_ptr_array_index (more_attempts, i), record->uuid))
      return FALSE;
  return TRUE;
}

static gboolean
audit_erasure_tx (RsStore *store, const RsPerson *viewer, gint64 person_id, const RsErasureRecord *record,
                  const RsErasureSummary *summary, const char *how, GError **error)
{
  /* No name, no number: the erasure's UUID and counts. */
  g_autofree char *detail = g_strdup_printf ("%s %s: %u attempts, %u answers (%u kept without any link)", how,
                                             record->uuid, summary->n_attempts, summary->n_answers,
                                             summary->n_answers_anonymous);
  gint64 actor = viewer != NULL && viewer->id > 0 && viewer->id != person_id ? viewer->id : 0;

  return rs_store_exec (store, error, "INSERT INTO audit (at, person_id, event, detail) VALUES (?, ?, ?, ?)",
                        "lrss", rs_store_now (), actor, "person-erased", detail);
}

/* Erases a person under a given record (made here or received). */
static gboolean
erase_with_record_tx (RsStore *store, const RsPerson *viewer, gint64 person_id, const char *employee_no,
                      const RsErasureRecord *record, gboolean travels, gboolean keep_anonymous,
                      const char *received_from, RsErasureSummary *summary, GError **error)
{
  g_autoptr (GPtrArray) local = NULL;

  if (person_id != 0 && (local = person_attempts_tx (store, person_id, error)) == NULL)
    return FALSE;
  if (!tombstone_tx (store, record, employee_no, travels, received_from, local, error))
    return FALSE;
  /* The record's attempts that are here, whoever holds them, then the
   * person's own. */
  for (guint i = 0; i < record->attempts->len; i++)
    {
      gint64 here = 0;

      if (!rs_store_get_int (store, &here, error, "SELECT count(*) FROM attempts WHERE uuid = ?", "s",
                             (const char *) g_ptr_array_index (record->attempts, i)))
        return FALSE;
      if (here > 0)
        {
          summary->n_attempts++;
          if (!rs_erasure_delete_attempt_tx (store, g_ptr_array_index (record->attempts, i), keep_anonymous,
                                             &summary->n_answers, &summary->n_answers_anonymous, error))
            return FALSE;
        }
    }
  for (guint i = 0; local != NULL && i < local->len; i++)
    {
      gint64 here = 0;

      if (!rs_store_get_int (store, &here, error, "SELECT count(*) FROM attempts WHERE uuid = ?", "s",
                             (const char *) g_ptr_array_index (local, i)))
        return FALSE;
      if (here == 0)
        continue;
      summary->n_attempts++;
      if (!rs_erasure_delete_attempt_tx (store, g_ptr_array_index (local, i), keep_anonymous, &summary->n_answers,
                                         &summary->n_answers_anonymous, error))
        return FALSE;
    }
  if (person_id != 0 && !erase_person_rows_tx (store, person_id, employee_no, summary, error))
    return FALSE;
  return audit_erasure_tx (store, viewer, person_id, record, summary,
                           received_from != NULL ? "received" : travels ? "made here" : "retention", error);
}

gboolean
rs_erasure_erase_person_tx (RsStore *store, const RsPerson *viewer, gint64 person_id, gboolean travels,
                            gboolean keep_anonymous, RsErasureSummary *summary, GError **error)
{
  g_autoptr (RsErasureRecord) record = rs_erasure_record_new ();
  g_autofree char *employee_no = NULL;
  g_autoptr (GPtrArray) local = NULL;

  if (!rs_store_get_text (store, &employee_no, error, "SELECT employee_no FROM people WHERE id = ?", "l", person_id))
    return FALSE;
  if (employee_no == NULL)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_NOT_FOUND, _("There is no person with id %lld."), (long long) person_id);
      return FALSE;
    }
  record->uuid = g_uuid_string_random ();
  record->kiosk_id = g_strdup (rs_store_kiosk_id (store));
  record->erased_at = rs_store_now ();
  /* The record names the attempts erased here; the tombstone adds them. */
  local = person_attempts_tx (store, person_id, error);
  if (local == NULL)
    return FALSE;
  for (guint i = 0; i < local->len; i++)
    g_ptr_array_add (record->attempts, g_strdup (g_ptr_array_index (local, i)));
  g_free (summary->uuid);
  summary->uuid = g_strdup (record->uuid);
  return erase_with_record_tx (store, viewer, person_id, employee_no, record, travels, keep_anonymous, NULL, summary,
                               error);
}

/* The last active administrator who can sign in: never erased, or nobody
 * could manage the kiosk (or leave its full screen). */
static gboolean
is_last_admin_tx (RsStore *store, gint64 person_id, gboolean *last, GError **error)
{
  gint64 is_admin = 0, n_admins = 0;

  *last = FALSE;
  if (!rs_store_get_int (store, &is_admin, error,
                         "SELECT count(*) FROM people WHERE id = ? AND role = 'admin' AND active = 1"
                         " AND secret_hash IS NOT NULL", "l", person_id)
      || !rs_store_get_int (store, &n_admins, error,
                            "SELECT count(*) FROM people WHERE role = 'admin' AND active = 1"
                            " AND secret_hash IS NOT NULL", ""))
    return FALSE;
  *last = is_admin > 0 && n_admins <= 1;
  return TRUE;
}

static gboolean
count_tx (RsStore *store, gint64 person_id, const char *employee_no, RsErasureSummary *summary, GError **error)
{
  gint64 n = 0;

  if (!rs_store_get_int (store, &n, error, "SELECT count(*) FROM attempts WHERE person_id = ?", "l", person_id))
    return FALSE;
  summary->n_attempts = (guint) n;
  if (!rs_store_get_int (store, &n, error,
                         "SELECT count(*) FROM responses WHERE attempt_id IN (SELECT uuid FROM attempts"
                         " WHERE person_id = ?)", "l", person_id))
    return FALSE;
  summary->n_answers = (guint) n;
  if (!rs_store_get_int (store, &n, error, "SELECT count(*) FROM result_views WHERE person_id = ?", "l", person_id))
    return FALSE;
  summary->n_views = (guint) n;
  if (!rs_store_get_int (store, &n, error, "SELECT count(*) FROM audit WHERE person_id = ? OR subject_id = ?", "ll",
                         person_id, person_id))
    return FALSE;
  summary->n_audit = (guint) n;
  return TRUE;
}

static gboolean
erase_tx (RsStore *store, const RsPerson *viewer, const char *employee_no, gboolean dry_run,
          RsErasureSummary *summary, GError **error)
{
  gint64 person_id = 0;
  gboolean last = FALSE;

  if (!rs_store_get_int (store, &person_id, error, "SELECT id FROM people WHERE employee_no = ?", "s", employee_no)
      || !rs_store_get_text (store, &summary->name, error, "SELECT name FROM people WHERE id = ?", "l", person_id))
    return FALSE;
  if (person_id == 0)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_NOT_FOUND, _("There is no person with employee number %s."),
                   employee_no);
      return FALSE;
    }
  if (!is_last_admin_tx (store, person_id, &last, error))
    return FALSE;
  if (last)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_INVALID, "%s",
                   _("This is the last administrator who can sign in: make someone else an administrator first, "
                     "or nobody could manage this kiosk."));
      return FALSE;
    }
  summary->employee_no = g_strdup (employee_no);
  if (dry_run)
    return count_tx (store, person_id, employee_no, summary, error);
  return rs_erasure_erase_person_tx (store, viewer, person_id, TRUE, FALSE, summary, error);
}

gboolean
rs_erasure_erase_person (RsStore *store, const RsPerson *viewer, const char *employee_no, gboolean dry_run,
                         RsErasureSummary *summary, GError **error)
{
  RsErasureSummary local = { 0 };
  gboolean ok;

  g_return_val_if_fail (store != NULL && employee_no != NULL, FALSE);
  if (!rs_access_require_admin (viewer, error))
    return FALSE;
  {
    g_autoptr (GMutexLocker) locker = g_mutex_locker_new (rs_store_get_lock (store));

    ok = rs_store_begin (store, !dry_run, error)
         && rs_store_end (store, erase_tx (store, viewer, employee_no, dry_run, &local, error), error);
  }
  if (!ok)
    {
      rs_erasure_summary_clear (&local);
      return FALSE;
    }
  if (!dry_run)
    {
      g_autoptr (GError) wipe_error = NULL;

      local.log_wiped = rs_store_wipe_log (store, &wipe_error);
      if (!local.log_wiped)
        local.log_problem = g_strdup (wipe_error->message);
    }
  if (summary != NULL)
    *summary = local;
  else
    rs_erasure_summary_clear (&local);
  return TRUE;
}

/* --- erasures from elsewhere --- */

gboolean
rs_erasure_apply_tx (RsStore *store, const RsPerson *viewer, const RsUnit *unit, const char *received_from,
                     RsErasureOutcome *outcome, guint *n_people, GError **error)
{
  RsErasureSummary summary = { 0 };
  gint64 known = 0, person_id = 0;
  gboolean last = FALSE, ok;

  *n_people = 0;
  *outcome = RS_ERASURE_KNOWN;
  if (!rs_store_get_int (store, &known, error, "SELECT count(*) FROM erasures WHERE uuid = ?", "s",
                         unit->erasure->uuid))
    return FALSE;
  if (known > 0)
    return TRUE;
  if (!rs_store_get_int (store, &person_id, error, "SELECT id FROM people WHERE employee_no = ?", "s",
                         unit->employee_no))
    return FALSE;
  if (person_id != 0 && !is_last_admin_tx (store, person_id, &last, error))
    return FALSE;
  if (last)
    {
      *outcome = RS_ERASURE_LAST_ADMIN;
      return TRUE;
    }
  /* Passed on again from here (travels): every kiosk forwards what it
   * received, so an erasure reaches kiosks that never meet its origin. */
  ok = erase_with_record_tx (store, viewer, person_id, unit->employee_no, unit->erasure, TRUE, FALSE, received_from,
                             &summary, error);
  rs_erasure_summary_clear (&summary);
  if (!ok)
    return FALSE;
  *outcome = RS_ERASURE_APPLIED;
  *n_people = person_id != 0 ? 1 : 0;
  return TRUE;
}

gboolean
rs_erasure_blocks_tx (RsStore *store, const char *attempt_uuid, const char *employee_no, gint64 started_at,
                      gboolean *blocked, GError **error)
{
  const RsKioskKey *key;
  g_autofree char *mac = NULL;
  gint64 n = 0;

  *blocked = FALSE;
  if (!rs_store_get_int (store, &n, error, "SELECT count(*) FROM erased_attempts WHERE attempt_id = ?", "s",
                         attempt_uuid))
    return FALSE;
  if (n > 0)
    {
      *blocked = TRUE;
      return TRUE;
    }
  if (employee_no == NULL)
    return TRUE;
  /* Cheap first: most databases have no erasure at all. */
  if (!rs_store_get_int (store, &n, error, "SELECT count(*) FROM erasures", ""))
    return FALSE;
  if (n == 0)
    return TRUE;
  if (!kiosk_key (store, &key, error))
    return FALSE;
  mac = person_mac (key, employee_no);
  if (!rs_store_get_int (store, &n, error, "SELECT count(*) FROM erasures WHERE person_mac = ? AND erased_at > ?",
                         "sl", mac, started_at))
    return FALSE;
  *blocked = n > 0;
  return TRUE;
}

gboolean
rs_erasure_load_units_tx (RsStore *store, GPtrArray *units, GError **error)
{
  g_autoptr (GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) rs_erasure_record_free);
  g_autoptr (GPtrArray) numbers = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (RsStoreStmt) stmt = NULL;
  const RsKioskKey *key;
  int rc;

  if (!kiosk_key (store, &key, error))
    return FALSE;
  stmt = rs_store_query (store, error,
                         "SELECT uuid, kiosk_id, erased_at, number_box FROM erasures WHERE number_box IS NOT NULL"
                         " ORDER BY uuid", "");
  if (stmt == NULL)
    return FALSE;
  while ((rc = rs_store_step (store, stmt, error)) == SQLITE_ROW)
    {
      char *number = open_number (key, (const char *) sqlite3_column_text (stmt, 3));
      RsErasureRecord *record;

      if (number == NULL)
        continue;
      record = rs_erasure_record_new ();
      record->uuid = rs_store_column_strdup (stmt, 0);
      record->kiosk_id = rs_store_column_strdup (stmt, 1);
      record->erased_at = sqlite3_column_int64 (stmt, 2);
      g_ptr_array_add (records, record);
      g_ptr_array_add (numbers, number);
    }
  if (rc != SQLITE_DONE)
    return FALSE;
  g_clear_pointer (&stmt, rs_store_stmt_release);

  for (guint i = 0; i < records->len; i++)
    {
      RsErasureRecord *record = g_ptr_array_index (records, i);
      g_autoptr (RsStoreStmt) attempts = rs_store_query (store, error,
                                                         "SELECT attempt_id FROM erased_attempts"
                                                         " WHERE erasure_uuid = ? ORDER BY attempt_id",
                                                         "s", record->uuid);
      RsUnit *unit;

      if (attempts == NULL)
        return FALSE;
      while ((rc = rs_store_step (store, attempts, error)) == SQLITE_ROW)
        g_ptr_array_add (record->attempts, rs_store_column_strdup (attempts, 0));
      if (rc != SQLITE_DONE)
        return FALSE;
      unit = rs_unit_new_erasure (g_ptr_array_steal_index (records, i), g_ptr_array_index (numbers, i));
      g_ptr_array_insert (records, (int) i, NULL);
      sodium_memzero (g_ptr_array_index (numbers, i), strlen (g_ptr_array_index (numbers, i)));
      rs_unit_sign (unit, key);
      g_ptr_array_add (units, unit);
    }
  return TRUE;
}
