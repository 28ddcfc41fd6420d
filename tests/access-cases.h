/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The access rules as a table of cases, run against both stores: a kiosk's
 * SQLite database through rs-access (tests/test-access.c) and the
 * organization's PostgreSQL server through row-level security, each viewer
 * logged in as their own role (tests/test-server.c). One organization,
 * one list of (viewer, target, allowed): the rules are one set, and a
 * difference between the stores fails one of the two tests. */
#pragma once

#include "rs-access.h"
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

/* The visibility policy (issue 14), on both stores too: team A gets its
 * own visibility, team B keeps the organization's (levels). What a viewer
 * may see of a named person: their levels (on the server: rows of
 * results), or their answers (rows of responses). The person always sees
 * everything of theirs; a leader what the rule allows; nobody else
 * anything, whatever the policy. */
typedef struct {
  RsVisibility team_a;
  const char *viewer;
  const char *target;
  RsDetail detail;           /* RS_DETAIL_LEVELS or RS_DETAIL_ANSWERS */
  gboolean allowed;
} AccessPolicyCase;

static const AccessPolicyCase access_policy_cases[] = {
  /* Aggregates: no named result for a leader, not even an administrator. */
  { RS_VISIBILITY_AGGREGATES, "MA", "EA", RS_DETAIL_LEVELS, FALSE },
  { RS_VISIBILITY_AGGREGATES, "MA", "EA", RS_DETAIL_ANSWERS, FALSE },
  { RS_VISIBILITY_AGGREGATES, "MA", "MB", RS_DETAIL_LEVELS, FALSE },
  { RS_VISIBILITY_AGGREGATES, "ADM", "EA", RS_DETAIL_LEVELS, FALSE },
  { RS_VISIBILITY_AGGREGATES, "EA", "EA", RS_DETAIL_LEVELS, TRUE },
  { RS_VISIBILITY_AGGREGATES, "EA", "EA", RS_DETAIL_ANSWERS, TRUE },
  { RS_VISIBILITY_AGGREGATES, "MB", "EB", RS_DETAIL_LEVELS, TRUE },     /* B keeps levels */
  { RS_VISIBILITY_AGGREGATES, "MB", "EB", RS_DETAIL_ANSWERS, FALSE },
  /* Levels: levels, never answers. */
  { RS_VISIBILITY_LEVELS, "MA", "EA", RS_DETAIL_LEVELS, TRUE },
  { RS_VISIBILITY_LEVELS, "MA", "EA", RS_DETAIL_ANSWERS, FALSE },
  { RS_VISIBILITY_LEVELS, "ADM", "EA", RS_DETAIL_ANSWERS, FALSE },
  { RS_VISIBILITY_LEVELS, "EA", "EA", RS_DETAIL_ANSWERS, TRUE },
  /* Full: levels and answers. */
  { RS_VISIBILITY_FULL, "MA", "EA", RS_DETAIL_LEVELS, TRUE },
  { RS_VISIBILITY_FULL, "MA", "EA", RS_DETAIL_ANSWERS, TRUE },
  { RS_VISIBILITY_FULL, "ADM", "EA", RS_DETAIL_ANSWERS, TRUE },
  { RS_VISIBILITY_FULL, "MB", "EB", RS_DETAIL_ANSWERS, FALSE },          /* B's policy is not A's */
  /* Nobody else, whatever the policy. */
  { RS_VISIBILITY_FULL, "MB", "EA", RS_DETAIL_LEVELS, FALSE },
  { RS_VISIBILITY_FULL, "EB", "EA", RS_DETAIL_ANSWERS, FALSE },
  { RS_VISIBILITY_FULL, "OLD", "EA", RS_DETAIL_LEVELS, FALSE },
};
