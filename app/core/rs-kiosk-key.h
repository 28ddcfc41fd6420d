/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A kiosk's signing key: the Ed25519 key pair (libsodium crypto_sign) with
 * which a kiosk signs the results it sends to others.
 *
 * The key is made when the database is set up and kept in a file beside it,
 * DATABASE.key, mode 0600, readable by the kiosk's user only:
 *
 *   # Reskill kiosk signing key. Secret: whoever has this file can sign
 *   # results as this kiosk. Keep it mode 0600; never copy it elsewhere.
 *   reskill-kiosk-key 1
 *   kiosk_id <the database's kiosk id>
 *   seed <64 hex digits: the 32-byte Ed25519 seed>
 *
 * Other kiosks know it by its public key, shown to people as a short
 * fingerprint: the first 16 bytes of the SHA-256 of the 32-byte public key,
 * in 8 groups of 4 lower-case hex digits ("3f2a-9c1e-..."), like SSH's
 * known hosts. The public key travels in every bundle; an administrator
 * compares the fingerprint shown on both kiosks before trusting it.
 *
 * A public key file (`reskill kiosk show-key --output FILE`) carries only
 * what others need:
 *
 *   reskill-kiosk-public-key 1
 *   kiosk_id <uuid>
 *   public_key <64 hex digits>
 *   fingerprint <fingerprint>
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define RS_KIOSK_KEY_PUBLIC_BYTES 32
#define RS_KIOSK_KEY_SIGNATURE_BYTES 64
/* 8 groups of 4 hex digits and 7 dashes, and the NUL. */
#define RS_KIOSK_FINGERPRINT_SIZE 40

typedef struct _RsKioskKey RsKioskKey;

/* Loads the key at path; when there is none and create is TRUE, makes one
 * (born 0600, written to a temporary file, synced and renamed). A key file
 * whose kiosk id differs from kiosk_id belongs to another database and is
 * refused. A key file others can read is made 0600 before use. */
RsKioskKey *rs_kiosk_key_load (const char *path, const char *kiosk_id, gboolean create, GError **error);
/* A key that lives in memory only (":memory:" databases, tests). */
RsKioskKey *rs_kiosk_key_new_ephemeral (const char *kiosk_id);
void rs_kiosk_key_free (RsKioskKey *key);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RsKioskKey, rs_kiosk_key_free)

const guint8 *rs_kiosk_key_public (const RsKioskKey *key);
const char *rs_kiosk_key_fingerprint (const RsKioskKey *key);
/* NULL for an ephemeral key. */
const char *rs_kiosk_key_path (const RsKioskKey *key);
void rs_kiosk_key_sign (const RsKioskKey *key, const void *message, gsize length,
                        guint8 signature[RS_KIOSK_KEY_SIGNATURE_BYTES]);

/* A secret subkey (16 to 64 bytes) derived from the key's seed, for other
 * uses than signing (keyed hashes and sealed values of erasure tombstones,
 * rs-erasure.h): context is 8 characters naming the use. Only whoever
 * holds the key file can compute it; the database alone does not tell it. */
void rs_kiosk_key_derive (const RsKioskKey *key, const char context[8], guint64 subkey_id, guint8 *out,
                          gsize length);

/* TRUE when signature is public_key's signature of message. */
gboolean rs_kiosk_key_verify (const guint8 public_key[RS_KIOSK_KEY_PUBLIC_BYTES], const void *message,
                              gsize length, const guint8 signature[RS_KIOSK_KEY_SIGNATURE_BYTES]);

/* The fingerprint of a public key (see above); g_free the result. */
char *rs_kiosk_fingerprint (const guint8 public_key[RS_KIOSK_KEY_PUBLIC_BYTES]);
/* Accepts a fingerprint as people type it: any case, with or without the
 * dashes, spaces around. FALSE when it is not 32 hex digits. *canonical
 * (may be NULL) receives the dashed lower-case form. */
gboolean rs_kiosk_fingerprint_parse (const char *text, char **canonical);

/* Hex encoding of bytes, and back (exactly n_bytes; FALSE otherwise). */
char *rs_hex_encode (const guint8 *bytes, gsize n_bytes);
gboolean rs_hex_decode (const char *text, guint8 *bytes, gsize n_bytes);

/* Writes the public key file for key (see above), replacing path. */
gboolean rs_kiosk_key_write_public (const RsKioskKey *key, const char *path, GError **error);
/* Reads a public key file; *kiosk_id may be NULL. */
gboolean rs_kiosk_key_read_public (const char *path, guint8 public_key[RS_KIOSK_KEY_PUBLIC_BYTES],
                                   char **kiosk_id, GError **error);

G_END_DECLS
