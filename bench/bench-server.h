/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The organization's server in `make bench` (bench-server.c). */
#pragma once

#include "rs-bank.h"
#include "rs-roles.h"

/* Loads (once) and times a local PostgreSQL server holding the
 * n_people-person demo database at sqlite_path. */
void bench_server (const char *sqlite_path, int n_people, const RsRoleSet *roles, const RsBank *bank);
