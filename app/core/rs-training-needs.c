/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A team's training needs (see rs-training-needs.h for the rule). */
#include "rs-training-needs.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "rs-access.h"
#include "rs-csv-field.h"
#include "rs-error.h"
#include "rs-scoring.h"
#include "rs-store-private.h"
#include "rs-topics.h"

typedef struct {
  gint64 person_id;
  char *uuid[RS_N_SKILLS];         /* the latest finished attempt measuring each skill; NULL: none */
} Member;

static void
member_free (Member *member)
{
  for (int s = 0; s < RS_N_SKILLS; s++)
    g_free (member->uuid[s]);
  g_free (member);
}

static void
need_free (RsTrainingNeed *need)
{
  g_free (need->subtopic);
  g_free (need->title);
  g_free (need);
}

void
rs_training_needs_free (RsTrainingNeeds *needs)
{
  if (needs == NULL)
    return;
  g_free (needs->team_name);
  g_clear_pointer (&needs->needs, g_ptr_array_unref);
  g_free (needs);
}

/* The team's members (as the team report counts them: active, not the
 * team's own managers), each with the latest finished attempt, practice
 * left out, that has a result in each skill. One query, newest first, so
 * the first row of a member and skill is the one wanted. */
static gboolean
load_members (RsStore *store, gint64 team_id, GPtrArray *members, char **team_name, GError **error)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (rs_store_get_lock (store));
  g_autoptr (GHashTable) by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  gboolean ok = rs_store_begin (store, FALSE, error);
  int rc = SQLITE_DONE;

  if (!ok)
    return FALSE;
  ok = rs_store_get_text (store, team_name, error, "SELECT name FROM teams WHERE id = ?", "l", team_id);
  if (ok)
    {
      g_autoptr (RsStoreStmt) stmt = rs_store_query (store, error,
        "SELECT p.id FROM people AS p"
        " WHERE p.team_id = ? AND p.active = 1"
        " AND NOT EXISTS (SELECT 1 FROM team_managers AS m WHERE m.team_id = p.team_id AND m.person_id = p.id)"
        " ORDER BY p.id",
        "l", team_id);

      ok = stmt != NULL;
      while (ok && (rc = rs_store_step (store, stmt, error)) == SQLITE_ROW)
        {
          Member *member = g_new0 (Member, 1);

          member->person_id = sqlite3_column_int64 (stmt, 0);
          g_ptr_array_add (members, member);
          g_hash_table_insert (by_id, &member->person_id, member);
        }
      ok = ok && rc == SQLITE_DONE;
    }
  if (ok)
    {
      g_autoptr (RsStoreStmt) stmt = rs_store_query (store, error,
        "SELECT a.person_id, r.skill, a.uuid FROM people AS p"
        " JOIN attempts AS a ON a.person_id = p.id"
        " JOIN results AS r ON r.attempt_id = a.uuid"
        " WHERE p.team_id = ? AND p.active = 1 AND a.status = 'finished' AND a.practice = 0"
        " ORDER BY a.person_id, r.skill, a.finished_at DESC, a.uuid DESC",
        "l", team_id);

      ok = stmt != NULL;
      while (ok && (rc = rs_store_step (store, stmt, error)) == SQLITE_ROW)
        {
          gint64 id = sqlite3_column_int64 (stmt, 0);
          Member *member = g_hash_table_lookup (by_id, &id);
          RsSkill skill = rs_skill_from_id ((const char *) sqlite3_column_text (stmt, 1));

          /* Not a member (a manager of the team), or a skill this
           * version does not know. */
          if (member == NULL || skill < 0 || skill >= RS_N_SKILLS)
            continue;
          if (member->uuid[skill] == NULL)
            member->uuid[skill] = rs_store_column_strdup (stmt, 2);
        }
      ok = ok && rc == SQLITE_DONE;
    }
  return rs_store_end (store, ok, error);
}

static const RsSkillResult *
attempt_result (const RsAttempt *attempt, RsSkill skill)
{
  for (guint i = 0; attempt != NULL && i < attempt->results->len; i++)
    {
      const RsSkillResult *result = &g_array_index (attempt->results, RsSkillResult, i);
      if (result->skill == skill)
        return result;
    }
  return NULL;
}

static gboolean
is_focus (const RsRole *role, RsSkill skill, const char *subtopic)
{
  for (char **f = role->focus[skill]; f != NULL && *f != NULL; f++)
    if (strcmp (*f, subtopic) == 0)
      return TRUE;
  return FALSE;
}

static RsTrainingNeed *
need_for (RsTrainingNeeds *needs, GHashTable *by_key, RsSkill skill, const char *subtopic)
{
  g_autofree char *key = g_strdup_printf ("%s/%s", rs_skill_id (skill), subtopic);
  RsTrainingNeed *need = g_hash_table_lookup (by_key, key);

  if (need == NULL)
    {
      need = g_new0 (RsTrainingNeed, 1);
      need->skill = skill;
      need->subtopic = g_strdup (subtopic);
      need->focus = is_focus (needs->role, skill, subtopic);
      g_ptr_array_add (needs->needs, need);
      g_hash_table_insert (by_key, g_steal_pointer (&key), need);
    }
  return need;
}

static int
compare_needs (gconstpointer a, gconstpointer b)
{
  const RsTrainingNeed *x = *(RsTrainingNeed *const *) a;
  const RsTrainingNeed *y = *(RsTrainingNeed *const *) b;

  if (x->too_few != y->too_few)
    return x->too_few ? 1 : -1;
  if (x->n_lacking != y->n_lacking)
    return x->n_lacking > y->n_lacking ? -1 : 1;
  if (x->focus != y->focus)
    return x->focus ? -1 : 1;
  if (x->skill != y->skill)
    return (int) x->skill - (int) y->skill;
  return strcmp (x->subtopic, y->subtopic);
}

RsTrainingNeeds *
rs_training_needs_new (RsStore *store, const RsRoleSet *roles, const RsBank *bank, const RsLearningCatalog *catalog,
                       const RsPerson *viewer, gint64 team_id, const char *role_id, GError **error)
{
  g_autoptr (RsTrainingNeeds) needs = g_new0 (RsTrainingNeeds, 1);
  g_autoptr (GPtrArray) members = g_ptr_array_new_with_free_func ((GDestroyNotify) member_free);
  /* uuid → RsAttempt with its answers: a full assessment is one attempt
   * for all four skills, read once. */
  g_autoptr (GHashTable) attempts = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                           (GDestroyNotify) rs_attempt_free);
  g_autoptr (GHashTable) by_key = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint n_roles = rs_role_set_n_roles (roles);
  g_autofree guint *n_best = g_new0 (guint, MAX (n_roles, 1));
  guint n_measured[RS_N_SKILLS] = { 0 };
  RsTeamView view;

  g_return_val_if_fail (store != NULL && roles != NULL && bank != NULL, NULL);

  if (!rs_access_can_view_team (store, viewer, team_id, error)
      || !rs_access_team_view (store, viewer, team_id, &view, error))
    return NULL;
  if (role_id != NULL && role_id[0] != '\0')
    {
      needs->role = rs_role_set_lookup (roles, role_id);
      if (needs->role == NULL)
        {
          g_set_error (error, RS_ERROR, RS_ERROR_NOT_FOUND, _("There is no role “%s”."), role_id);
          return NULL;
        }
      needs->role_chosen = TRUE;
    }
  needs->team_id = team_id;
  needs->visibility = view.visibility;
  needs->min_group = view.min_group;
  needs->needs = g_ptr_array_new_with_free_func ((GDestroyNotify) need_free);
  if (!load_members (store, team_id, members, &needs->team_name, error))
    return NULL;
  needs->n_members = members->len;

  for (guint m = 0; m < members->len; m++)
    {
      Member *member = g_ptr_array_index (members, m);
      RsSkillEstimate estimates[RS_N_SKILLS] = { { 0 } };
      gboolean any = FALSE;

      for (int s = 0; s < RS_N_SKILLS; s++)
        {
          RsAttempt *attempt;
          const RsSkillResult *result;

          estimates[s].se = 1;
          if (member->uuid[s] == NULL)
            continue;
          attempt = g_hash_table_lookup (attempts, member->uuid[s]);
          if (attempt == NULL)
            {
              attempt = rs_store_load_attempt (store, member->uuid[s], error);
              if (attempt == NULL)
                return NULL;
              g_hash_table_insert (attempts, attempt->uuid, attempt);
            }
          result = attempt_result (attempt, (RsSkill) s);
          if (result == NULL)
            continue;
          estimates[s] = (RsSkillEstimate) { TRUE, result->theta, result->se };
          n_measured[s]++;
          any = TRUE;
        }
      if (!any)
        continue;
      needs->n_measured_members++;
      if (n_roles > 0)
        {
          g_autoptr (RsAdvice) advice = rs_advise (roles, estimates);

          if (advice->fits->len > 0)
            {
              const RsRole *best = g_array_index (advice->fits, RsRoleFit, 0).role;
              for (guint r = 0; r < n_roles; r++)
                if (rs_role_set_role (roles, r) == best)
                  n_best[r]++;
            }
        }
    }

  if (needs->role == NULL && n_roles > 0 && needs->n_measured_members > 0)
    {
      /* Which role most members fit best is itself a figure over the
       * team: under aggregates, not for a group below the threshold. */
      if (!rs_access_rule (view.visibility, RS_RELATION_LEADER, RS_DETAIL_GROUP, needs->n_measured_members,
                           view.min_group))
        needs->role_too_few = TRUE;
      else
        {
          guint best = 0;

          for (guint r = 1; r < n_roles; r++)
            if (n_best[r] > n_best[best])
              best = r;
          needs->role = rs_role_set_role (roles, best);
          needs->n_heading = n_best[best];
        }
    }
  if (needs->role == NULL)
    return g_steal_pointer (&needs);

  /* The role's focus subtopics first, so they are listed even when nobody
   * lacks them. */
  for (int s = 0; s < RS_N_SKILLS; s++)
    if (needs->role->wanted[s] != RS_LEVEL_INVALID)
      for (char **f = needs->role->focus[s]; f != NULL && *f != NULL; f++)
        need_for (needs, by_key, (RsSkill) s, *f);

  for (guint m = 0; m < members->len; m++)
    {
      Member *member = g_ptr_array_index (members, m);

      for (int s = 0; s < RS_N_SKILLS; s++)
        {
          const RsAttempt *attempt;
          const RsSkillResult *result;
          g_autoptr (GHashTable) lacked = NULL;
          g_autoptr (GArray) topics = NULL;

          if (needs->role->wanted[s] == RS_LEVEL_INVALID || member->uuid[s] == NULL)
            continue;
          attempt = g_hash_table_lookup (attempts, member->uuid[s]);
          result = attempt_result (attempt, (RsSkill) s);
          if (result == NULL)
            continue;
          /* A member counts once per subtopic, whichever way they lack it. */
          lacked = g_hash_table_new (g_direct_hash, g_direct_equal);
          if (result->theta < rs_level_lower_cut (needs->role->wanted[s]))
            for (char **f = needs->role->focus[s]; f != NULL && *f != NULL; f++)
              g_hash_table_add (lacked, need_for (needs, by_key, (RsSkill) s, *f));
          topics = rs_topic_summary (attempt, bank);
          for (guint t = 0; t < topics->len; t++)
            {
              const RsTopicSummary *topic = &g_array_index (topics, RsTopicSummary, t);

              if (topic->skill == (RsSkill) s && topic->verdict == RS_TOPIC_GAP)
                g_hash_table_add (lacked, need_for (needs, by_key, (RsSkill) s, topic->subtopic));
            }
          {
            GHashTableIter iter;
            gpointer key;

            g_hash_table_iter_init (&iter, lacked);
            while (g_hash_table_iter_next (&iter, &key, NULL))
              ((RsTrainingNeed *) key)->n_lacking++;
          }
        }
    }

  for (guint i = needs->needs->len; i-- > 0;)
    {
      RsTrainingNeed *need = g_ptr_array_index (needs->needs, i);

      need->n_assessed = n_measured[need->skill];
      need->title = rs_bank_subtopic_title (bank, need->skill, need->subtopic);
      need->steps = catalog != NULL ? rs_learning_catalog_steps (catalog, need->skill, need->subtopic) : NULL;
      if (need->n_assessed > 0
          && !rs_access_rule (view.visibility, RS_RELATION_LEADER, RS_DETAIL_GROUP, need->n_assessed, view.min_group))
        {
          /* A subtopic outside the role's focus is listed only because
           * someone lacks it: under the threshold even that is not said. */
          if (!need->focus)
            {
              g_ptr_array_remove_index (needs->needs, i);
              continue;
            }
          need->too_few = TRUE;
          need->n_lacking = 0;
        }
    }
  g_ptr_array_sort (needs->needs, compare_needs);
  return g_steal_pointer (&needs);
}

char *
rs_training_need_describe_count (const RsTrainingNeed *need)
{
  if (need->too_few)
    return g_strdup (_("too few to show"));
  if (need->n_assessed == 0)
    return g_strdup (_("nobody measured yet"));
  /* Translators: "3 of 5 members", those who lack a subtopic among those
   * measured in its skill. */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u member", "%u of %u members", need->n_assessed),
                          need->n_lacking, need->n_assessed);
}

static void
csv_field (GString *out, const char *text, gboolean last)
{
  /* A role id or subtopic is data a person typed into a YAML file. */
  rs_csv_append_text_field (out, text);
  g_string_append (out, last ? "\r\n" : ",");
}

void
rs_training_needs_append_csv (const RsTrainingNeeds *needs, GString *string)
{
  g_string_append (string, "role,skill,subtopic,focus,members_lacking,members_measured\r\n");
  if (needs->role == NULL)
    return;
  for (guint i = 0; i < needs->needs->len; i++)
    {
      const RsTrainingNeed *need = g_ptr_array_index (needs->needs, i);

      csv_field (string, needs->role->id, FALSE);
      csv_field (string, rs_skill_id (need->skill), FALSE);
      csv_field (string, need->subtopic, FALSE);
      csv_field (string, need->focus ? "yes" : "no", FALSE);
      if (need->too_few)
        g_string_append (string, ",too few to show\r\n");
      else
        g_string_append_printf (string, "%u,%u\r\n", need->n_lacking, need->n_assessed);
    }
}
