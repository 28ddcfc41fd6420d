/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Who may see and do what, enforced in the core: every function that hands
 * out people's results or changes people takes the signed-in person (the
 * viewer) and asks here first. The GUI hides what a person may not use, but
 * it is this file that refuses.
 *
 *   employee  their own results only
 *   manager   their own, and those of the members of the teams they lead
 *   admin     everything
 *
 * Refusals are RS_ERROR_DENIED with a sentence a person can read. A NULL
 * viewer (nobody signed in, or a guest) may see nothing. */
#pragma once

#include "rs-privacy.h"
#include "rs-store.h"

G_BEGIN_DECLS

/* --- the visibility rule (issue 14) ---
 *
 * What a viewer may see of a person's results depends on how they stand to
 * the person and on the visibility policy of the person's team (the
 * organization's unless the team has its own, rs-privacy.h). This is the
 * whole rule, in one function that everything showing results asks, and
 * in docs/PRIVACY.md as a table an organization's server can copy:
 *
 *                         aggregates      levels       full
 *   self: anything         yes             yes          yes
 *   leader: group figures  if n >= min     yes          yes
 *   leader: levels         no              yes          yes
 *   leader: answers        no              no           yes
 *   leader: practice       no              no           no
 *   anyone else            no              no           no
 *
 * "leader" is a manager of the person's team or an administrator; group
 * figures are counts and means over a team (n: members with a result). */

typedef enum {
  RS_RELATION_SELF,         /* the person themselves */
  RS_RELATION_LEADER,       /* a manager of the person's team (or of the team asked about), or an admin */
  RS_RELATION_NONE,         /* anyone else, nobody signed in, a guest, a deactivated account */
} RsRelation;

typedef enum {
  RS_DETAIL_GROUP,          /* a team's figures: distributions, readiness counts, means over members */
  RS_DETAIL_LEVELS,         /* a named person's levels, score bands, role fit and their history */
  RS_DETAIL_ANSWERS,        /* a named person's answers, question by question */
  RS_DETAIL_PRACTICE,       /* a named person's practice results, in any detail */
} RsDetail;

/* The rule. group_size and min_group matter for RS_DETAIL_GROUP only. */
gboolean rs_access_rule (RsVisibility visibility, RsRelation relation, RsDetail detail, guint group_size,
                         guint min_group);

/* How viewer stands to person_id (a person who does not exist: NONE). */
gboolean rs_access_relation (RsStore *store, const RsPerson *viewer, gint64 person_id, RsRelation *relation,
                             GError **error);
/* Whether viewer may see detail of person_id's results under the policy in
 * force for the person's team; refusals (RS_ERROR_DENIED) say why in words. */
gboolean rs_access_can_see (RsStore *store, const RsPerson *viewer, gint64 person_id, RsDetail detail,
                            GError **error);

/* What viewer may see of a team, once rs_access_can_view_team allowed it. */
typedef struct {
  RsVisibility visibility;  /* in force for the team */
  guint min_group;
  gboolean names;           /* members by name, with levels (RS_DETAIL_LEVELS) */
  gboolean answers;         /* their answers too (RS_DETAIL_ANSWERS) */
} RsTeamView;

gboolean rs_access_team_view (RsStore *store, const RsPerson *viewer, gint64 team_id, RsTeamView *view,
                              GError **error);

gboolean rs_access_require_admin (const RsPerson *viewer, GError **error);
gboolean rs_access_can_view_person (RsStore *store, const RsPerson *viewer, gint64 person_id, GError **error);
gboolean rs_access_can_view_team (RsStore *store, const RsPerson *viewer, gint64 team_id, GError **error);
/* Teams the viewer may report on, by id (gint64): the teams a manager leads,
 * every team for an admin, none for an employee. */
GArray *rs_access_visible_teams (RsStore *store, const RsPerson *viewer, GError **error);

G_END_DECLS
