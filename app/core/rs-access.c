/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "rs-access.h"

#include <glib/gi18n-lib.h>

#include "rs-error.h"
#include "rs-i18n.h"
#include "rs-store-private.h"

static gboolean
deny (GError **error, const char *message)
{
  g_set_error_literal (error, RS_ERROR, RS_ERROR_DENIED, message);
  return FALSE;
}

static gboolean
signed_in (const RsPerson *viewer, GError **error)
{
  if (viewer == NULL || viewer->id == 0)
    return deny (error, _("Sign in to see results."));
  if (!viewer->active)
    return deny (error, _("This account is deactivated."));
  return TRUE;
}

gboolean
rs_access_require_admin (const RsPerson *viewer, GError **error)
{
  if (!signed_in (viewer, error))
    return FALSE;
  if (viewer->role != RS_PERSON_ADMIN)
    return deny (error, _("Only an administrator can do this."));
  return TRUE;
}

/* Whether manager leads team_id. Holds the store's lock for the query. */
static gboolean
leads_team (RsStore *store, gint64 manager_id, gint64 team_id, gboolean *leads, GError **error)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (rs_store_get_lock (store));
  gint64 count = 0;

  if (!rs_store_get_int (store, &count, error,
                         "SELECT count(*) FROM team_managers WHERE person_id = ? AND team_id = ?", "ll",
                         manager_id, team_id))
    return FALSE;
  *leads = count > 0;
  return TRUE;
}

gboolean
rs_access_can_view_team (RsStore *store, const RsPerson *viewer, gint64 team_id, GError **error)
{
  gboolean leads = FALSE;

  if (!signed_in (viewer, error))
    return FALSE;
  if (viewer->role == RS_PERSON_ADMIN)
    return TRUE;
  if (viewer->role != RS_PERSON_MANAGER)
    return deny (error, _("Team reports are for the team's manager."));
  if (!leads_team (store, viewer->id, team_id, &leads, error))
    return FALSE;
  if (!leads)
    return deny (error, _("You can only see the teams you lead."));
  return TRUE;
}

gboolean
rs_access_can_view_person (RsStore *store, const RsPerson *viewer, gint64 person_id, GError **error)
{
  g_autoptr (RsPerson) person = NULL;
  gboolean leads = FALSE;

  if (!signed_in (viewer, error))
    return FALSE;
  if (viewer->id == person_id || viewer->role == RS_PERSON_ADMIN)
    return TRUE;
  if (viewer->role != RS_PERSON_MANAGER)
    return deny (error, _("You can only see your own results."));
  person = rs_store_get_person (store, person_id, NULL);
  /* The same refusal whether or not the person exists: no probing. */
  if (person == NULL || person->team_id == 0)
    return deny (error, _("You can only see the members of your teams."));
  if (!leads_team (store, viewer->id, person->team_id, &leads, error))
    return FALSE;
  if (!leads)
    return deny (error, _("You can only see the members of your teams."));
  return TRUE;
}

GArray *
rs_access_visible_teams (RsStore *store, const RsPerson *viewer, GError **error)
{
  g_autoptr (GArray) teams = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (GMutexLocker) locker = NULL;
  g_autoptr (RsStoreStmt) stmt = NULL;
  int rc;

  if (!signed_in (viewer, error))
    return NULL;
  if (viewer->role == RS_PERSON_EMPLOYEE)
    return g_steal_pointer (&teams);
  locker = g_mutex_locker_new (rs_store_get_lock (store));
  stmt = viewer->role == RS_PERSON_ADMIN
           ? rs_store_query (store, error, "SELECT id FROM teams ORDER BY name", "")
           : rs_store_query (store, error,
                             "SELECT t.id FROM teams t JOIN team_managers m ON m.team_id = t.id "
                             "WHERE m.person_id = ? ORDER BY t.name", "l", viewer->id);
  if (stmt == NULL)
    return NULL;
  while ((rc = rs_store_step (store, stmt, error)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (teams, id);
    }
  return rc == SQLITE_DONE ? g_steal_pointer (&teams) : NULL;
}

/* --- the visibility rule --- */

gboolean
rs_access_rule (RsVisibility visibility, RsRelation relation, RsDetail detail, guint group_size, guint min_group)
{
  if (relation == RS_RELATION_SELF)
    return TRUE;
  if (relation != RS_RELATION_LEADER)
    return FALSE;
  switch (detail)
    {
    case RS_DETAIL_GROUP:
      /* Under the other policies names are shown anyway: a small group's
       * figures tell nothing the names do not. */
      return visibility != RS_VISIBILITY_AGGREGATES || group_size >= min_group;
    case RS_DETAIL_LEVELS:
      return visibility == RS_VISIBILITY_LEVELS || visibility == RS_VISIBILITY_FULL;
    case RS_DETAIL_ANSWERS:
      return visibility == RS_VISIBILITY_FULL;
    case RS_DETAIL_PRACTICE:
    default:
      return FALSE;
    }
}

gboolean
rs_access_relation (RsStore *store, const RsPerson *viewer, gint64 person_id, RsRelation *relation, GError **error)
{
  g_autoptr (GError) local = NULL;

  *relation = RS_RELATION_NONE;
  if (viewer == NULL || viewer->id == 0 || !viewer->active)
    return TRUE;
  if (viewer->id == person_id)
    {
      *relation = RS_RELATION_SELF;
      return TRUE;
    }
  if (rs_access_can_view_person (store, viewer, person_id, &local))
    *relation = RS_RELATION_LEADER;
  else if (!g_error_matches (local, RS_ERROR, RS_ERROR_DENIED))
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  return TRUE;
}

gboolean
rs_access_can_see (RsStore *store, const RsPerson *viewer, gint64 person_id, RsDetail detail, GError **error)
{
  g_autoptr (RsPerson) person = NULL;
  RsRelation relation;
  RsVisibility visibility;
  guint min_group;

  /* Who may see the person at all, with the messages rs_access_can_view_person gives. */
  if (!rs_access_can_view_person (store, viewer, person_id, error)
      || !rs_access_relation (store, viewer, person_id, &relation, error))
    return FALSE;
  if (relation == RS_RELATION_SELF)
    return TRUE;
  person = rs_store_get_person (store, person_id, error);
  if (person == NULL
      || !rs_privacy_team_policy (store, person->team_id, &visibility, &min_group, NULL, error))
    return FALSE;
  if (rs_access_rule (visibility, relation, detail, 0, min_group))
    return TRUE;
  switch (detail)
    {
    case RS_DETAIL_PRACTICE:
      return deny (error, _("Practice results are private: only the person who took them sees them."));
    case RS_DETAIL_ANSWERS:
      if (visibility == RS_VISIBILITY_LEVELS)
        return deny (error, _("The privacy policy shows this person’s levels, not their answers."));
      G_GNUC_FALLTHROUGH;
    case RS_DETAIL_LEVELS:
    case RS_DETAIL_GROUP:
    default:
      return deny (error, _("The privacy policy shows this team only as team summaries, never one person’s "
                            "results."));
    }
}

gboolean
rs_access_team_view (RsStore *store, const RsPerson *viewer, gint64 team_id, RsTeamView *view, GError **error)
{
  if (!rs_access_can_view_team (store, viewer, team_id, error)
      || !rs_privacy_team_policy (store, team_id, &view->visibility, &view->min_group, NULL, error))
    return FALSE;
  /* A leader of the team, as far as the rule is concerned. */
  view->names = rs_access_rule (view->visibility, RS_RELATION_LEADER, RS_DETAIL_LEVELS, 0, view->min_group);
  view->answers = rs_access_rule (view->visibility, RS_RELATION_LEADER, RS_DETAIL_ANSWERS, 0, view->min_group);
  return TRUE;
}
