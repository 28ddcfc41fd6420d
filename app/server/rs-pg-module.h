/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The GLib half of the server module: the core's checks and merge rule
 * run inside PostgreSQL (see rs-pg-spi.h for why there are two halves).
 * Plain C types only, so that reskill-pg.c need not include GLib. Every
 * string handed back is to be freed with rs_pg_free. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#define RS_PG_MODULE_VERSION 1

/* SQLSTATEs of the refusals (reskill-pg.c turns them into errcodes; the
 * client maps them back into RS_ERROR codes, rs-pg.c). */
#define RS_PG_STATE_DENIED "RS403"
#define RS_PG_STATE_NOT_FOUND "RS404"
#define RS_PG_STATE_CONFLICT "RS409"
#define RS_PG_STATE_INVALID "RS422"
#define RS_PG_STATE_TOO_NEW "RS426"

void rs_pg_free (void *data);
/* printf into memory rs_pg_free frees. */
char *rs_pg_strdup_printf (const char *format, ...) __attribute__ ((format (printf, 1, 2)));

/* A signed unit pushed by the calling kiosk. true: *outcome and *detail
 * (added, updated, unchanged, conflict, unknown-person, other-bank,
 * other-calibration). false: *message, and *state the SQLSTATE, or NULL
 * when a PostgreSQL error is pending (rs-pg-spi.h). */
bool rs_pg_push_unit (const void *body, size_t body_length, const void *signer, size_t signer_length,
                      const void *signature, size_t signature_length, char **outcome, char **detail,
                      char **message, const char **state);

/* A question bank's files, checked to load as version. */
bool rs_pg_add_bank (const char *version, int n_files, const char *const *paths, const void *const *contents,
                     const size_t *lengths, int *n_items, char **message, const char **state);

/* The fingerprint of a 32-byte public key; NULL for any other length. */
char *rs_pg_fingerprint (const void *public_key, size_t length);
