/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared by the command-line tests: run the real program ($RESKILL_BIN)
 * and keep what it printed and how it exited. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  char *out;
  char *err;
  int status;
} Run;

/* Frees what the last run printed. */
void run_clear (Run *run);

/* Runs `reskill ARGS...` (NULL-terminated) and returns its exit status. */
int reskill (Run *run, ...) G_GNUC_NULL_TERMINATED;

G_END_DECLS
