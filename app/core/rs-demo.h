/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A demo organization for `make run`, screenshots and benchmarks: teams,
 * managers, employees with known PINs, and past attempts answered by
 * simulated people through the real engine and store. */
#pragma once

#include "rs-bank.h"
#include "rs-store.h"

G_BEGIN_DECLS

/* The fixed accounts documented in the README. */
#define RS_DEMO_ADMIN_NO "1000"
#define RS_DEMO_ADMIN_PIN "246810"
#define RS_DEMO_MANAGER_NO "2000"
#define RS_DEMO_MANAGER_PIN "1357"
#define RS_DEMO_EMPLOYEE_NO "3001"
#define RS_DEMO_EMPLOYEE_PIN "1234"
/* The one demo person who has never confirmed the privacy notice, so that
 * signing in shows it; everyone else confirmed the version in force. */
#define RS_DEMO_NEWCOMER_NO "3002"
#define RS_DEMO_NEWCOMER_PIN "2468"

typedef struct {
  int n_people;               /* employees, besides the fixed accounts */
  int attempts_per_person;    /* finished past attempts each */
  guint32 seed;
} RsDemoConfig;

/* Fills store (which should be empty) with the demo organization. Fails
 * without writing anything more when the store already has people. */
gboolean rs_demo_seed (RsStore *store, const RsBank *bank, const RsDemoConfig *config, GError **error);

G_END_DECLS
