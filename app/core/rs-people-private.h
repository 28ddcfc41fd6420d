/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The people import's pieces, for a second place people are kept (the
 * organization's server, rs-server.c): the same file format, the same
 * messages, the same one-time PINs and hashes. Not for use outside
 * app/core. */
#pragma once

#include "rs-people.h"

G_BEGIN_DECLS

typedef struct {
  int line;                  /* physical line where the record starts */
  const char *employee_no;   /* point into the file's records */
  const char *name;
  const char *team;          /* "" for no team */
  RsPersonRole role;
  gint64 existing_id;        /* 0: new; set by the caller before rs_people_make_pins */
  char *pin;                 /* the one-time PIN of a new person (wiped when the row is cleared) */
  char *hash;                /* its argon2id hash */
} RsPeopleRow;

/* Reads and checks a people file as rs_people_import_csv does (the first
 * problem, "PATH:LINE: message"); the rows point into *records, which must
 * outlive them. Array of RsPeopleRow, cleared on free. */
GArray *rs_people_read_csv (const char *path, GPtrArray **records, GError **error);
/* A one-time PIN and its hash for every row whose existing_id is 0, hashed
 * on a few threads. */
gboolean rs_people_make_pins (GArray *rows, GError **error);
/* A secret's argon2id hash at the cost rs-store uses. */
char *rs_people_hash_secret (const char *secret, GError **error);
/* RS_PEOPLE_PIN_LENGTH random digits; free with rs_people_pin_free. */
char *rs_people_new_pin (void);

G_END_DECLS
