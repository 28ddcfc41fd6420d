/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Administration, teams: every team with its active members and its
 * managers, and the dialog that chooses a team's managers. A team is made
 * when someone is added to it (people page or CSV import). */
#pragma once

#include <adwaita.h>

#include "rs-page.h"

G_BEGIN_DECLS

#define RS_TYPE_ADMIN_TEAMS (rs_admin_teams_get_type ())
G_DECLARE_FINAL_TYPE (RsAdminTeams, rs_admin_teams, RS, ADMIN_TEAMS, RsPage)

/* Lists the teams again. */
gboolean rs_admin_teams_refresh (RsAdminTeams *self, GError **error);
guint rs_admin_teams_get_n_teams (RsAdminTeams *self);

G_END_DECLS
