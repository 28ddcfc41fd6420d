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

#include "rs-store.h"

G_BEGIN_DECLS

gboolean rs_access_require_admin (const RsPerson *viewer, GError **error);
gboolean rs_access_can_view_person (RsStore *store, const RsPerson *viewer, gint64 person_id, GError **error);
gboolean rs_access_can_view_team (RsStore *store, const RsPerson *viewer, gint64 team_id, GError **error);
/* Teams the viewer may report on, by id (gint64): the teams a manager leads,
 * every team for an admin, none for an employee. */
GArray *rs_access_visible_teams (RsStore *store, const RsPerson *viewer, GError **error);

G_END_DECLS
