/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Administration, people: list and search (every person, however many:
 * the list is a GtkListView over the core's list), add, edit, deactivate
 * and reactivate, reset a PIN (the one-time PIN is shown once, in a
 * dialog), and the people CSV import with its file:line messages. */
#pragma once

#include <adwaita.h>

#include "rs-page.h"

G_BEGIN_DECLS

#define RS_TYPE_ADMIN_PEOPLE (rs_admin_people_get_type ())
G_DECLARE_FINAL_TYPE (RsAdminPeople, rs_admin_people, RS, ADMIN_PEOPLE, RsPage)

/* Lists the people matching the search text. */
gboolean rs_admin_people_refresh (RsAdminPeople *self, GError **error);
/* People listed now (after the search): all of them, no cap. */
guint rs_admin_people_get_n_shown (RsAdminPeople *self);
/* The index-th person listed, or NULL. */
const RsPerson *rs_admin_people_get_shown (RsAdminPeople *self, guint index);
/* What the import button does once a file is chosen: imports it and shows
 * what changed (with the new PINs) or why nothing did. */
gboolean rs_admin_people_import_file (RsAdminPeople *self, const char *path, GError **error);

/* Erases the person for real (the window asks first, with a dry run's
 * counts and their employee number typed again). */
gboolean rs_admin_people_erase (RsAdminPeople *self, const char *employee_no, GError **error);
/* Exports person_id's data into dir (a new folder), as the window's
 * "Export the data of …" does after choosing it. */
gboolean rs_admin_people_export_data (RsAdminPeople *self, gint64 person_id, const char *dir, GError **error);

/* The name to store for a team typed as typed: an existing team's own
 * name when one matches it but for case (teams: RsTeam), else typed. */
char *rs_admin_people_match_team (GPtrArray *teams, const char *typed);

G_END_DECLS
