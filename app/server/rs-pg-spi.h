/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the server module's GLib half (rs-pg-module.c) may ask of
 * PostgreSQL, through its PostgreSQL half (reskill-pg.c). The two halves
 * are kept apart because their headers do not mix (both define TRUE,
 * gettext, Min/Max-style macros) and because of how errors travel: a
 * PostgreSQL error is a longjmp, which must never cross GLib code holding
 * g_autoptr cleanups. Every function here catches it, keeps it for
 * reskill-pg.c to throw again once the GLib half has unwound, and returns
 * FALSE with its message. After a FALSE the GLib half runs no more SQL. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/* Runs sql with text arguments (NULL: SQL NULL; cast them in the SQL,
 * "$1::bigint"). *n_rows: rows returned or affected. *message on failure
 * (g_free it). */
bool rs_spi_exec (const char *sql, int n_args, const char *const *args, size_t *n_rows, char **message);
/* A value of the last rows returned, as text (NULL for NULL); valid until
 * the next rs_spi_exec. */
const char *rs_spi_value (size_t row, int column);
