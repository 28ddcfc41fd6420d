/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The core's one error domain. Every core function that can fail takes a
 * GError ** and reports in this domain, with a message a person can act on. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define RS_ERROR (rs_error_quark ())

typedef enum {
  RS_ERROR_FAILED,        /* anything else */
  RS_ERROR_IO,            /* a file could not be read or written */
  RS_ERROR_PARSE,         /* bad YAML or CSV: message has file:line */
  RS_ERROR_INVALID,       /* well-formed input with wrong content */
  RS_ERROR_NOT_FOUND,     /* no such person, attempt, item, role */
  RS_ERROR_EMPTY_BANK,    /* a skill has no items to ask */
  RS_ERROR_DB,            /* any other SQLite failure */
  RS_ERROR_DB_CORRUPT,    /* not a database, or a damaged one */
  RS_ERROR_DB_READONLY,   /* cannot write: permissions, read-only medium */
  RS_ERROR_DB_LOCKED,     /* another process holds the lock past the busy timeout */
  RS_ERROR_DB_FULL,       /* the disk is full */
  RS_ERROR_DB_TOO_NEW,    /* made by a newer Reskill: never touched */
  RS_ERROR_AUTH,          /* wrong employee number or PIN */
  RS_ERROR_LOCKED_OUT,    /* too many wrong PINs: try again later */
  RS_ERROR_DENIED,        /* the signed-in person may not do or see this */
  RS_ERROR_UNREACHABLE,   /* the organization's server cannot be reached now: try again later */
} RsError;

GQuark rs_error_quark (void);

G_END_DECLS
