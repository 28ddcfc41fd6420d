/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The kiosk's Ed25519 key pair and its file; see rs-kiosk-key.h. The file
 * holds the 32-byte seed, from which libsodium derives both halves, so
 * that a damaged file cannot hold a secret key that disagrees with its
 * public one. */
#include "rs-kiosk-key.h"


#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sodium.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rs-error.h"
#include "rs-file.h"

#define KEY_FILE_HEADER "reskill-kiosk-key 1"
#define PUBLIC_FILE_HEADER "reskill-kiosk-public-key 1"
#define MAX_KEY_FILE_SIZE 4096

struct _RsKioskKey {
  guint8 public_key[crypto_sign_PUBLICKEYBYTES];
  guint8 *secret_key;               /* sodium_malloc'd: locked, guarded, wiped */
  char fingerprint[RS_KIOSK_FINGERPRINT_SIZE];
  char *path;
};

G_STATIC_ASSERT (RS_KIOSK_KEY_PUBLIC_BYTES == crypto_sign_PUBLICKEYBYTES);
G_STATIC_ASSERT (RS_KIOSK_KEY_SIGNATURE_BYTES == crypto_sign_BYTES);

char *
rs_hex_encode (const guint8 *bytes, gsize n_bytes)
{
  char *text = g_malloc (2 * n_bytes + 1);

  sodium_bin2hex (text, 2 * n_bytes + 1, bytes, n_bytes);
  return text;
}

gboolean
rs_hex_decode (const char *text, guint8 *bytes, gsize n_bytes)
{
  size_t n = 0;
  const char *end = NULL;

  if (text == NULL || strlen (text) != 2 * n_bytes)
    return FALSE;
  return sodium_hex2bin (bytes, n_bytes, text, strlen (text), NULL, &n, &end) == 0 && n == n_bytes
         && *end == '\0';
}

char *
rs_kiosk_fingerprint (const guint8 public_key[RS_KIOSK_KEY_PUBLIC_BYTES])
{
  guint8 digest[crypto_hash_sha256_BYTES];
  GString *text = g_string_sized_new (RS_KIOSK_FINGERPRINT_SIZE);

  crypto_hash_sha256 (digest, public_key, RS_KIOSK_KEY_PUBLIC_BYTES);
  for (int i = 0; i < 16; i++)
    g_string_append_printf (text, "%s%02x", i > 0 && i % 2 == 0 ? "-" : "", digest[i]);
  return g_string_free (text, FALSE);
}

gboolean
rs_kiosk_fingerprint_parse (const char *text, char **canonical)
{
  GString *digits = g_string_new (NULL);
  GString *out;

  for (const char *p = text != NULL ? text : ""; *p != '\0'; p++)
    {
      if (g_ascii_isxdigit (*p))
        g_string_append_c (digits, g_ascii_tolower (*p));
      else if (*p != '-' && *p != ' ' && *p != ':')
        {
          g_string_free (digits, TRUE);
          return FALSE;
        }
    }
  if (digits->len != 32)
    {
      g_string_free (digits, TRUE);
      return FALSE;
    }
  out = g_string_new (NULL);
  for (gsize i = 0; i < 32; i += 4)
    g_string_append_printf (out, "%s%.4s", i > 0 ? "-" : "", digits->str + i);
  g_string_free (digits, TRUE);
  if (canonical != NULL)
    *canonical = g_string_free (out, FALSE);
  else
    g_string_free (out, TRUE);
  return TRUE;
}

static RsKioskKey *
key_from_seed (const guint8 seed[crypto_sign_SEEDBYTES], const char *path)
{
  RsKioskKey *key = g_new0 (RsKioskKey, 1);
  g_autofree char *fingerprint = NULL;

  key->secret_key = sodium_malloc (crypto_sign_SECRETKEYBYTES);
  if (key->secret_key == NULL)
    g_error ("Out of memory for the kiosk key");
  crypto_sign_seed_keypair (key->public_key, key->secret_key, seed);
  fingerprint = rs_kiosk_fingerprint (key->public_key);
  g_strlcpy (key->fingerprint, fingerprint, sizeof key->fingerprint);
  key->path = g_strdup (path);
  return key;
}

void
rs_kiosk_key_free (RsKioskKey *key)
{
  if (key == NULL)
    return;
  sodium_free (key->secret_key);
  g_free (key->path);
  g_free (key);
}

RsKioskKey *
rs_kiosk_key_new_ephemeral (const char *kiosk_id)
{
  guint8 seed[crypto_sign_SEEDBYTES];
  RsKioskKey *key;

  if (sodium_init () < 0)
    g_error ("libsodium cannot start");
  randombytes_buf (seed, sizeof seed);
  key = key_from_seed (seed, NULL);
  sodium_memzero (seed, sizeof seed);
  return key;
}

const guint8 *
rs_kiosk_key_public (const RsKioskKey *key)
{
  return key->public_key;
}

const char *
rs_kiosk_key_fingerprint (const RsKioskKey *key)
{
  return key->fingerprint;
}

const char *
rs_kiosk_key_path (const RsKioskKey *key)
{
  return key->path;
}

void
rs_kiosk_key_sign (const RsKioskKey *key, const void *message, gsize length,
                   guint8 signature[RS_KIOSK_KEY_SIGNATURE_BYTES])
{
  crypto_sign_detached (signature, NULL, message, length, key->secret_key);
}

void
rs_kiosk_key_derive (const RsKioskKey *key, const char context[8], guint64 subkey_id, guint8 *out, gsize length)
{
  guint8 seed[crypto_sign_SEEDBYTES];

  G_STATIC_ASSERT (crypto_sign_SEEDBYTES == crypto_kdf_KEYBYTES);
  g_return_if_fail (length >= crypto_kdf_BYTES_MIN && length <= crypto_kdf_BYTES_MAX);
  /* From the seed the key file keeps, through libsodium's KDF (BLAKE2b
   * with the context as personalization): a subkey tells nothing about the
   * signing key, and each use gets its own. */
  crypto_sign_ed25519_sk_to_seed (seed, key->secret_key);
  crypto_kdf_derive_from_key (out, length, subkey_id, context, seed);
  sodium_memzero (seed, sizeof seed);
}

gboolean
rs_kiosk_key_verify (const guint8 public_key[RS_KIOSK_KEY_PUBLIC_BYTES], const void *message, gsize length,
                     const guint8 signature[RS_KIOSK_KEY_SIGNATURE_BYTES])
{
  return crypto_sign_verify_detached (signature, message, length, public_key) == 0;
}

/* "name value" lines after the header; comments and blank lines skipped.
 * Returns the value of name, or NULL. */
static const char *
field (char **lines, const char *name)
{
  gsize n = strlen (name);

  for (int i = 1; lines[i] != NULL; i++)
    if (strncmp (lines[i], name, n) == 0 && lines[i][n] == ' ')
      return lines[i] + n + 1;
  return NULL;
}

/* The lines of a key file, comments and blanks dropped, trimmed; the first
 * must be header. */
static char **
read_key_lines (const char *path, const char *header, const char *what, GError **error)
{
  g_autofree char *text = NULL;
  g_auto (GStrv) raw = NULL;
  GPtrArray *lines;

  if (!rs_file_read_regular (path, MAX_KEY_FILE_SIZE, what, &text, NULL, error))
    return NULL;
  raw = g_strsplit (text, "\n", -1);
  lines = g_ptr_array_new ();
  for (int i = 0; raw[i] != NULL; i++)
    {
      char *line = g_strstrip (raw[i]);
      if (*line != '\0' && *line != '#')
        g_ptr_array_add (lines, g_strdup (line));
    }
  g_ptr_array_add (lines, NULL);
  if (lines->len < 2 || g_strcmp0 (g_ptr_array_index (lines, 0), header) != 0)
    {
      g_strfreev ((char **) g_ptr_array_free (lines, FALSE));
      g_set_error (error, RS_ERROR, RS_ERROR_INVALID, _("%s: not a Reskill %s (it does not begin with \"%s\")"), path,
                   what, header);
      return NULL;
    }
  return (char **) g_ptr_array_free (lines, FALSE);
}

static gboolean
write_new_key (const char *path, const char *kiosk_id, guint8 seed[crypto_sign_SEEDBYTES], GError **error)
{
  g_autofree char *tmp = g_strconcat (path, ".XXXXXX", NULL);
  g_autofree char *hex = NULL;
  g_autofree char *text = NULL;
  int fd, saved_errno = 0;
  gsize written = 0;

  randombytes_buf (seed, crypto_sign_SEEDBYTES);
  hex = rs_hex_encode (seed, crypto_sign_SEEDBYTES);
  text = g_strdup_printf ("# Reskill kiosk signing key. Secret: whoever has this file can sign\n"
                          "# results as this kiosk. Keep it mode 0600; never copy it elsewhere.\n"
                          KEY_FILE_HEADER "\nkiosk_id %s\nseed %s\n", kiosk_id, hex);
  sodium_memzero (hex, strlen (hex));
  fd = g_mkstemp_full (tmp, O_WRONLY | O_CLOEXEC, 0600);
  if (fd < 0)
    saved_errno = errno;
  while (fd >= 0 && saved_errno == 0 && written < strlen (text))
    {
      ssize_t n = write (fd, text + written, strlen (text) - written);
      if (n < 0 && errno != EINTR)
        saved_errno = errno;
      else if (n > 0)
        written += (gsize) n;
    }
  if (fd >= 0 && saved_errno == 0 && fsync (fd) != 0)
    saved_errno = errno;
  if (fd >= 0)
    close (fd);
  sodium_memzero (text, strlen (text));
  /* link(2) rather than rename: two processes setting up the same database
   * at once must not replace each other's key; the loser reads the winner's. */
  if (saved_errno == 0 && link (tmp, path) != 0 && errno != EEXIST)
    saved_errno = errno;
  if (fd >= 0)
    g_unlink (tmp);
  if (saved_errno != 0)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_IO, _("%s: the kiosk's signing key cannot be written: %s"), path,
                   g_strerror (saved_errno));
      return FALSE;
    }
  return TRUE;
}

RsKioskKey *
rs_kiosk_key_load (const char *path, const char *kiosk_id, gboolean create, GError **error)
{
  g_auto (GStrv) lines = NULL;
  guint8 seed[crypto_sign_SEEDBYTES];
  const char *id, *seed_hex;
  RsKioskKey *key;
  struct stat st;

  g_return_val_if_fail (path != NULL && kiosk_id != NULL, NULL);
  if (sodium_init () < 0)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_FAILED, _("libsodium cannot start: results cannot be signed."));
      return NULL;
    }
  if (lstat (path, &st) != 0 && errno == ENOENT)
    {
      if (!create)
        {
          g_set_error (error, RS_ERROR, RS_ERROR_NOT_FOUND, _("%s: this kiosk has no signing key"), path);
          return NULL;
        }
      if (!write_new_key (path, kiosk_id, seed, error))
        return NULL;
      sodium_memzero (seed, sizeof seed);
    }
  else if (S_ISREG (st.st_mode) && (st.st_mode & 077) != 0)
    /* Readable by others: close that before trusting it further. */
    g_chmod (path, 0600);

  lines = read_key_lines (path, KEY_FILE_HEADER, _("kiosk signing key"), error);
  if (lines == NULL)
    return NULL;
  id = field (lines, "kiosk_id");
  seed_hex = field (lines, "seed");
  if (id == NULL || !rs_hex_decode (seed_hex, seed, sizeof seed))
    {
      g_set_error (error, RS_ERROR, RS_ERROR_INVALID, _("%s: the kiosk signing key is damaged (no kiosk_id or seed "
                   "line). Move it aside: a new key is made, and other kiosks must trust it again."), path);
      for (int i = 0; lines[i] != NULL; i++)
        sodium_memzero (lines[i], strlen (lines[i]));
      return NULL;
    }
  if (g_strcmp0 (id, kiosk_id) != 0)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_INVALID, _("%s: this signing key belongs to kiosk %s, not to this "
                   "database (kiosk %s). Move it aside: a new key is made."), path, id, kiosk_id);
      sodium_memzero (seed, sizeof seed);
      return NULL;
    }
  key = key_from_seed (seed, path);
  sodium_memzero (seed, sizeof seed);
  for (int i = 0; lines[i] != NULL; i++)
    sodium_memzero (lines[i], strlen (lines[i]));
  return key;
}

gboolean
rs_kiosk_key_write_public (const RsKioskKey *key, const char *path, GError **error)
{
  g_autofree char *hex = rs_hex_encode (key->public_key, sizeof key->public_key);
  g_autofree char *text = NULL;
  g_autoptr (GError) local = NULL;
  const char *kiosk_id = NULL;
  g_auto (GStrv) lines = NULL;

  /* The kiosk id comes from the key file itself, when there is one. */
  if (key->path != NULL)
    {
      lines = read_key_lines (key->path, KEY_FILE_HEADER, _("kiosk signing key"), NULL);
      kiosk_id = lines != NULL ? field (lines, "kiosk_id") : NULL;
    }
  text = g_strdup_printf ("# Reskill kiosk public key: give it to the kiosks that import this one's\n"
                          "# results (reskill kiosk trust FILE). It signs nothing by itself.\n"
                          PUBLIC_FILE_HEADER "\nkiosk_id %s\npublic_key %s\nfingerprint %s\n",
                          kiosk_id != NULL ? kiosk_id : "unknown", hex, key->fingerprint);
  if (lines != NULL)
    for (int i = 0; lines[i] != NULL; i++)
      sodium_memzero (lines[i], strlen (lines[i]));
  if (!g_file_set_contents_full (path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0644, &local))
    {
      g_set_error (error, RS_ERROR, RS_ERROR_IO, "%s", local->message);
      return FALSE;
    }
  return TRUE;
}

gboolean
rs_kiosk_key_read_public (const char *path, guint8 public_key[RS_KIOSK_KEY_PUBLIC_BYTES], char **kiosk_id,
                          GError **error)
{
  g_auto (GStrv) lines = read_key_lines (path, PUBLIC_FILE_HEADER, _("kiosk public key file"), error);
  g_autofree char *fingerprint = NULL;
  const char *stated;

  if (lines == NULL)
    return FALSE;
  if (!rs_hex_decode (field (lines, "public_key"), public_key, RS_KIOSK_KEY_PUBLIC_BYTES))
    {
      g_set_error (error, RS_ERROR, RS_ERROR_INVALID, _("%s: the public_key line is not 64 hex digits"), path);
      return FALSE;
    }
  /* A fingerprint line that disagrees with the key: edited by hand. */
  fingerprint = rs_kiosk_fingerprint (public_key);
  stated = field (lines, "fingerprint");
  if (stated != NULL && g_strcmp0 (stated, fingerprint) != 0)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_INVALID, _("%s: its fingerprint line (%s) does not belong to its key "
                   "(%s): the file was changed"), path, stated, fingerprint);
      return FALSE;
    }
  if (kiosk_id != NULL)
    *kiosk_id = g_strdup (field (lines, "kiosk_id"));
  return TRUE;
}
