/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The access rules as a table of cases, run against both stores: a kiosk's
 * SQLite database through rs-access (tests/test-access.c) and the
 * organization's PostgreSQL server through row-level security, each viewer
 * logged in as their own role (tests/test-server.c). One organization,
 * one list of (viewer, target, allowed): the rules are one set, and a
 * difference between the stores fails one of the two tests. */
#pragma once

#include "rs-store.h"

typedef struct {
  const char *number;
  const char *team;          /* NULL: no team */
  RsPersonRole role;
  gboolean active;
} AccessPerson;

/* MB manages team B and is a member of team A; OLD is a deactivated admin. */
static const AccessPerson access_people[] = {
  { "ADM", NULL, RS_PERSON_ADMIN, TRUE },
  { "MA", "A", RS_PERSON_MANAGER, TRUE },
  { "MB", "A", RS_PERSON_MANAGER, TRUE },
  { "EA", "A", RS_PERSON_EMPLOYEE, TRUE },
  { "EB", "B", RS_PERSON_EMPLOYEE, TRUE },
  { "EB2", "B", RS_PERSON_EMPLOYEE, TRUE },
  { "OLD", NULL, RS_PERSON_ADMIN, FALSE },
};

static const struct {
  const char *team;
  const char *manager;
} access_leads[] = {
  { "A", "MA" },
  { "B", "MB" },
};

typedef enum {
  ACCESS_PERSON,             /* the target person's results */
  ACCESS_TEAM,               /* the target team's report */
} AccessKind;

typedef struct {
  const char *viewer;
  AccessKind kind;
  const char *target;
  gboolean allowed;
} AccessCase;

static const AccessCase access_cases[] = {
  /* An employee: their own results, nothing else. */
  { "EA", ACCESS_PERSON, "EA", TRUE },
  { "EA", ACCESS_PERSON, "EB", FALSE },
  { "EA", ACCESS_PERSON, "MA", FALSE },
  { "EA", ACCESS_PERSON, "ADM", FALSE },
  { "EA", ACCESS_TEAM, "A", FALSE },
  { "EA", ACCESS_TEAM, "B", FALSE },
  /* A manager: their own, and the members of the teams they lead. */
  { "MA", ACCESS_PERSON, "MA", TRUE },
  { "MA", ACCESS_PERSON, "EA", TRUE },
  { "MA", ACCESS_PERSON, "MB", TRUE },      /* a member of A, who leads B */
  { "MA", ACCESS_PERSON, "EB", FALSE },
  { "MA", ACCESS_PERSON, "EB2", FALSE },
  { "MA", ACCESS_PERSON, "ADM", FALSE },
  { "MA", ACCESS_TEAM, "A", TRUE },
  { "MA", ACCESS_TEAM, "B", FALSE },
  /* Leading B does not come from being a member of A, nor the reverse. */
  { "MB", ACCESS_PERSON, "EB", TRUE },
  { "MB", ACCESS_PERSON, "EB2", TRUE },
  { "MB", ACCESS_PERSON, "EA", FALSE },
  { "MB", ACCESS_PERSON, "MA", FALSE },
  { "MB", ACCESS_TEAM, "B", TRUE },
  { "MB", ACCESS_TEAM, "A", FALSE },
  /* An administrator: everything. */
  { "ADM", ACCESS_PERSON, "EA", TRUE },
  { "ADM", ACCESS_PERSON, "EB", TRUE },
  { "ADM", ACCESS_PERSON, "MA", TRUE },
  { "ADM", ACCESS_PERSON, "ADM", TRUE },
  { "ADM", ACCESS_TEAM, "A", TRUE },
  { "ADM", ACCESS_TEAM, "B", TRUE },
  /* Deactivated: nothing, not even their own. */
  { "OLD", ACCESS_PERSON, "OLD", FALSE },
  { "OLD", ACCESS_PERSON, "EA", FALSE },
  { "OLD", ACCESS_TEAM, "A", FALSE },
};
