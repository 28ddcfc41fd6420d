/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The trusted_kiosks table (schema version 4); see rs-trust.h. */
#include "rs-trust.h"


#include <glib/gi18n-lib.h>
#include <sqlite3.h>

#include "rs-access.h"
#include "rs-error.h"
#include "rs-store-private.h"

void
rs_trusted_kiosk_free (RsTrustedKiosk *kiosk)
{
  if (kiosk == NULL)
    return;
  g_free (kiosk->fingerprint);
  g_free (kiosk->public_key);
  g_free (kiosk->name);
  g_free (kiosk);
}

static gboolean
check_viewer (const RsPerson *viewer, GError **error)
{
  return viewer == NULL || rs_access_require_admin (viewer, error);
}

static gboolean
audit_tx (RsStore *store, const RsPerson *viewer, const char *event, const char *detail, GError **error)
{
  return rs_store_exec (store, error, "INSERT INTO audit (at, person_id, event, detail) VALUES (?, ?, ?, ?)",
                        "lrss", rs_store_now (), viewer != NULL ? viewer->id : 0, event, detail);
}

static gboolean
trust_tx (RsStore *store, const RsPerson *viewer, const char *fingerprint, const char *key_hex, const char *name,
          GError **error)
{
  g_autofree char *detail = g_strdup_printf ("%s%s%s%s", fingerprint, name != NULL ? " (" : "",
                                             name != NULL ? name : "", name != NULL ? ")" : "");

  return rs_store_exec (store, error,
                        "INSERT INTO trusted_kiosks (fingerprint, public_key, name, trusted_at, trusted_by)"
                        " VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (fingerprint) DO UPDATE SET"
                        " public_key = ifnull (?2, public_key), name = ifnull (?3, name), trusted_at = ?4,"
                        " trusted_by = ?5, revoked_at = NULL, revoked_by = NULL",
                        "sssl" "r", fingerprint, key_hex, name, rs_store_now (),
                        viewer != NULL && viewer->id > 0 ? viewer->id : (gint64) 0)
         && audit_tx (store, viewer, "kiosk-trusted", detail, error);
}

gboolean
rs_trust_kiosk (RsStore *store, const RsPerson *viewer, const char *fingerprint_or_file, const char *name,
                char **fingerprint_out, GError **error)
{
  g_autofree char *fingerprint = NULL, *key_hex = NULL, *kiosk_id = NULL, *clean_name = NULL;
  guint8 key[RS_KIOSK_KEY_PUBLIC_BYTES];

  g_return_val_if_fail (store != NULL && fingerprint_or_file != NULL, FALSE);
  if (!check_viewer (viewer, error))
    return FALSE;
  if (!rs_kiosk_fingerprint_parse (fingerprint_or_file, &fingerprint))
    {
      if (!g_file_test (fingerprint_or_file, G_FILE_TEST_EXISTS))
        {
          g_set_error (error, RS_ERROR, RS_ERROR_INVALID,
                       _("\"%s\" is neither a kiosk fingerprint (32 hex digits, as \"reskill kiosk show-key\" "
                       "prints them) nor a public key file."), fingerprint_or_file);
          return FALSE;
        }
      if (!rs_kiosk_key_read_public (fingerprint_or_file, key, &kiosk_id, error))
        return FALSE;
      fingerprint = rs_kiosk_fingerprint (key);
      key_hex = rs_hex_encode (key, sizeof key);
    }
  if (rs_store_key_fingerprint (store) != NULL && g_str_equal (fingerprint, rs_store_key_fingerprint (store)))
    {
      g_set_error (error, RS_ERROR, RS_ERROR_INVALID,
                   _("%s is this kiosk's own key: it needs no trusting."), fingerprint);
      return FALSE;
    }
  if (name != NULL)
    clean_name = g_strstrip (g_strdup (name));
  if (clean_name != NULL && *clean_name == '\0')
    g_clear_pointer (&clean_name, g_free);
  if (clean_name == NULL && kiosk_id != NULL && !g_str_equal (kiosk_id, "unknown"))
    clean_name = g_strdup_printf (_("kiosk %s"), kiosk_id);
  {
    g_autoptr (GMutexLocker) locker = g_mutex_locker_new (rs_store_get_lock (store));

    if (!rs_store_begin (store, TRUE, error)
        || !rs_store_end (store, trust_tx (store, viewer, fingerprint, key_hex, clean_name, error), error))
      return FALSE;
  }
  if (fingerprint_out != NULL)
    *fingerprint_out = g_steal_pointer (&fingerprint);
  return TRUE;
}

static gboolean
revoke_tx (RsStore *store, const RsPerson *viewer, const char *what, char **fingerprint, GError **error)
{
  g_autofree char *canonical = NULL, *detail = NULL;
  g_autoptr (RsStoreStmt) stmt = NULL;
  int rc, n = 0;

  if (!rs_kiosk_fingerprint_parse (what, &canonical))
    canonical = NULL;
  stmt = rs_store_query (store, error, "SELECT fingerprint FROM trusted_kiosks WHERE fingerprint = ?1 OR name = ?2",
                         "ss", canonical, what);
  if (stmt == NULL)
    return FALSE;
  while ((rc = rs_store_step (store, stmt, error)) == SQLITE_ROW)
    {
      n++;
      g_free (*fingerprint);
      *fingerprint = rs_store_column_strdup (stmt, 0);
    }
  g_clear_pointer (&stmt, rs_store_stmt_release);
  if (rc != SQLITE_DONE)
    return FALSE;
  if (n == 0)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_NOT_FOUND,
                   _("No trusted kiosk has the fingerprint or name \"%s\" (reskill kiosk list shows them)."), what);
      return FALSE;
    }
  if (n > 1)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_INVALID,
                   g_dngettext (GETTEXT_PACKAGE, "%d trusted kiosk is named \"%s\": revoke by fingerprint.",
                                "%d trusted kiosks are named \"%s\": revoke by fingerprint.", (gulong) n),
                   n, what);
      return FALSE;
    }
  detail = g_strdup (*fingerprint);
  return rs_store_exec (store, error,
                        "UPDATE trusted_kiosks SET revoked_at = ?, revoked_by = ? WHERE fingerprint = ?"
                        " AND revoked_at IS NULL",
                        "lrs", rs_store_now (), viewer != NULL ? viewer->id : (gint64) 0, *fingerprint)
         && audit_tx (store, viewer, "kiosk-revoked", detail, error);
}

gboolean
rs_trust_revoke (RsStore *store, const RsPerson *viewer, const char *what, char **fingerprint_out,
                 GError **error)
{
  g_autoptr (GMutexLocker) locker = NULL;
  g_autofree char *fingerprint = NULL;

  g_return_val_if_fail (store != NULL && what != NULL, FALSE);
  if (!check_viewer (viewer, error))
    return FALSE;
  locker = g_mutex_locker_new (rs_store_get_lock (store));
  if (!rs_store_begin (store, TRUE, error)
      || !rs_store_end (store, revoke_tx (store, viewer, what, &fingerprint, error), error))
    return FALSE;
  if (fingerprint_out != NULL)
    *fingerprint_out = g_steal_pointer (&fingerprint);
  return TRUE;
}

static RsTrustedKiosk *
kiosk_from_row (sqlite3_stmt *stmt)
{
  RsTrustedKiosk *kiosk = g_new0 (RsTrustedKiosk, 1);

  kiosk->fingerprint = rs_store_column_strdup (stmt, 0);
  kiosk->public_key = rs_store_column_strdup (stmt, 1);
  kiosk->name = rs_store_column_strdup (stmt, 2);
  kiosk->trusted_at = sqlite3_column_int64 (stmt, 3);
  kiosk->revoked_at = sqlite3_column_int64 (stmt, 4);
  return kiosk;
}

GPtrArray *
rs_trust_list (RsStore *store, const RsPerson *viewer, GError **error)
{
  g_autoptr (GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) rs_trusted_kiosk_free);
  g_autoptr (GMutexLocker) locker = NULL;
  g_autoptr (RsStoreStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (store != NULL, NULL);
  if (!check_viewer (viewer, error))
    return NULL;
  locker = g_mutex_locker_new (rs_store_get_lock (store));
  stmt = rs_store_query (store, error,
                         "SELECT fingerprint, public_key, name, trusted_at, ifnull (revoked_at, 0) FROM trusted_kiosks"
                         " ORDER BY name IS NULL, name, fingerprint", "");
  if (stmt == NULL)
    return NULL;
  while ((rc = rs_store_step (store, stmt, error)) == SQLITE_ROW)
    g_ptr_array_add (list, kiosk_from_row (stmt));
  if (rc != SQLITE_DONE)
    return NULL;
  return g_steal_pointer (&list);
}

gboolean
rs_trust_lookup (RsStore *store, const guint8 public_key[RS_KIOSK_KEY_PUBLIC_BYTES], RsTrustState *state,
                 RsTrustedKiosk **entry_out, GError **error)
{
  g_autoptr (GMutexLocker) locker = NULL;
  g_autoptr (RsStoreStmt) stmt = NULL;
  g_autoptr (RsTrustedKiosk) entry = NULL;
  g_autofree char *fingerprint = NULL, *key_hex = NULL;
  const guint8 *own = rs_store_public_key (store);
  int rc;

  *state = RS_TRUST_UNKNOWN;
  if (entry_out != NULL)
    *entry_out = NULL;
  if (own != NULL && memcmp (own, public_key, RS_KIOSK_KEY_PUBLIC_BYTES) == 0)
    {
      *state = RS_TRUST_SELF;
      return TRUE;
    }
  fingerprint = rs_kiosk_fingerprint (public_key);
  key_hex = rs_hex_encode (public_key, RS_KIOSK_KEY_PUBLIC_BYTES);
  locker = g_mutex_locker_new (rs_store_get_lock (store));
  stmt = rs_store_query (store, error,
                         "SELECT fingerprint, public_key, name, trusted_at, ifnull (revoked_at, 0) FROM trusted_kiosks"
                         " WHERE fingerprint = ?", "s", fingerprint);
  if (stmt == NULL)
    return FALSE;
  rc = rs_store_step (store, stmt, error);
  if (rc == SQLITE_ROW)
    entry = kiosk_from_row (stmt);
  else if (rc != SQLITE_DONE)
    return FALSE;
  g_clear_pointer (&stmt, rs_store_stmt_release);
  if (entry == NULL)
    return TRUE;
  /* The fingerprint matched; a key recorded earlier must match too (it
   * always does unless SHA-256 collides: then trust nothing). */
  if (entry->public_key != NULL && !g_str_equal (entry->public_key, key_hex))
    return TRUE;
  *state = entry->revoked_at != 0 ? RS_TRUST_REVOKED : RS_TRUST_TRUSTED;
  if (entry->public_key == NULL && *state == RS_TRUST_TRUSTED && !rs_store_is_read_only (store))
    {
      /* Trusted by fingerprint: keep the key now that it has been seen. */
      rs_store_exec (store, NULL, "UPDATE trusted_kiosks SET public_key = ? WHERE fingerprint = ?", "ss", key_hex,
                     fingerprint);
      entry->public_key = g_strdup (key_hex);
    }
  if (entry_out != NULL)
    *entry_out = g_steal_pointer (&entry);
  return TRUE;
}

char *
rs_trust_describe_refusal (RsTrustState state, const RsTrustedKiosk *entry, const char *fingerprint)
{
  if (state == RS_TRUST_REVOKED && entry != NULL)
    {
      g_autoptr (GDateTime) when = g_date_time_new_from_unix_local (entry->revoked_at / G_USEC_PER_SEC);
      g_autofree char *date = when != NULL ? g_date_time_format (when, "%Y-%m-%d %H:%M") : g_strdup ("?");

      g_autofree char *kiosk = entry->name != NULL ? g_strdup_printf ("%s (%s)", fingerprint, entry->name)
                                                   : g_strdup (fingerprint);

      return g_strdup_printf (_("signed by kiosk %s, whose key was revoked here on %s: its results are no "
                                "longer accepted"), kiosk, date);
    }
  return g_strdup_printf (_("signed by kiosk %s, which this kiosk does not trust. Compare that fingerprint with "
                            "the one \"reskill kiosk show-key\" (or the Exchange page) shows on the kiosk it came "
                            "from, then trust it with \"reskill kiosk trust %s\""), fingerprint, fingerprint);
}
