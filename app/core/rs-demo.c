/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <sqlite3.h>

#include "rs-assessment.h"
#include "rs-demo.h"
#include "rs-error.h"
#include "rs-simulation.h"

static const char *const team_names[] = {
  "Platform", "Data & Analytics", "Customer Apps", "Support Tools", "Payments", "Mobile",
  "Search", "Infrastructure",
};
static const char *const first_names[] = {
  "Ada", "Bilal", "Chen", "Dana", "Emeka", "Farah", "Goran", "Hana", "Ines", "Jonas", "Kavya",
  "Luca", "Mei", "Nadia", "Omar", "Priya", "Quinn", "Rosa", "Sven", "Tariq", "Uma", "Viktor",
  "Wen", "Ximena", "Yusuf", "Zoe",
};
static const char *const last_names[] = {
  "Okafor", "Lindqvist", "Nakamura", "Haddad", "Kowalski", "Moreau", "Silva", "Novak", "Singh",
  "Fischer", "Adeyemi", "Rossi", "Kim", "Petrov", "Garcia", "Murphy", "Yilmaz", "Larsen",
};

/* The demo writes years of history in seconds: its clock is moved by hand. */
static gint64 demo_now;

static gint64
demo_clock (void)
{
  return demo_now;
}

static double
normal (GRand *rand)
{
  double u1 = 1.0 - g_rand_double (rand), u2 = g_rand_double (rand);
  return sqrt (-2.0 * log (u1)) * cos (2.0 * G_PI * u2);
}

/* One finished attempt answered by a simulated person of known ability. */
static gboolean
simulate_attempt (RsStore *store, const RsBank *bank, gint64 person_id, const double theta[RS_N_SKILLS],
                  RsMode mode, GRand *rand, GError **error)
{
  static const RsSkill all[RS_N_SKILLS] = { RS_SKILL_PYTHON, RS_SKILL_STATISTICS, RS_SKILL_ML, RS_SKILL_EMPATHY };
  RsLevel self_level[RS_N_SKILLS];
  g_autoptr (RsAssessment) assessment = NULL;
  const RsItem *item;

  for (int s = 0; s < RS_N_SKILLS; s++)
    self_level[s] = rs_level_for_theta (theta[s] + 0.6 * normal (rand) + 0.3);   /* people overrate a little */
  assessment = rs_assessment_start (store, bank, person_id, mode, all, RS_N_SKILLS, self_level,
                                    g_rand_int (rand), error);
  if (assessment == NULL)
    return FALSE;
  while ((item = rs_assessment_current_item (assessment)) != NULL)
    {
      RsAnswer answer;
      int score = rs_simulate_response (&item->irt, theta[item->skill], rand);

      /* Find an answer that earns the drawn score. */
      rs_item_best_answer (item, &answer);
      if (score < rs_item_max_score (item))
        {
          if (item->type == RS_ITEM_NUMERIC)
            answer.number = item->answer + (score > 0 ? (item->tolerance + item->partial_tolerance) / 2
                                                      : 100.0 * (item->partial_tolerance + item->tolerance + 1.0));
          else
            for (guint32 bits = 0; bits < (1u << item->n_options); bits++)
              {
                RsAnswer candidate = { .chosen = bits };
                if (rs_item_score (item, &candidate) == score && (item->type == RS_ITEM_MULTI || (bits & (bits - 1)) == 0))
                  {
                    answer = candidate;
                    break;
                  }
              }
        }
      demo_now += (gint64) (20 + g_rand_int_range (rand, 0, 60)) * G_USEC_PER_SEC;
      if (!rs_assessment_submit (assessment, &answer, g_rand_int_range (rand, 8000, 90000), NULL, error))
        return FALSE;
    }
  return rs_assessment_finish (assessment, error);
}

static gboolean
exec (RsStore *store, const char *sql, GError **error)
{
  if (sqlite3_exec (rs_store_get_db (store), sql, NULL, NULL, NULL) != SQLITE_OK)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_DB, "demo: %s", sqlite3_errmsg (rs_store_get_db (store)));
      return FALSE;
    }
  return TRUE;
}

static gboolean
seed (RsStore *store, const RsBank *bank, const RsDemoConfig *config, GRand *rand, GError **error)
{
  int n_teams = CLAMP ((config->n_people + 49) / 50, 4, (int) G_N_ELEMENTS (team_names) * 50);
  gint64 now = g_get_real_time ();
  gint64 id;

  if (!rs_store_add_person (store, RS_DEMO_ADMIN_NO, "Alex Admin", NULL, RS_PERSON_ADMIN,
                            RS_DEMO_ADMIN_PIN, NULL, error))
    return FALSE;
  for (int t = 0; t < n_teams; t++)
    {
      g_autofree char *team = t < (int) G_N_ELEMENTS (team_names)
                                ? g_strdup (team_names[t])
                                : g_strdup_printf ("%s %d", team_names[t % G_N_ELEMENTS (team_names)],
                                                   t / (int) G_N_ELEMENTS (team_names) + 1);
      g_autofree char *number = g_strdup_printf ("%d", 2000 + t);
      g_autofree char *name = g_strdup_printf ("%s %s (manager)", first_names[(t * 7) % G_N_ELEMENTS (first_names)],
                                               last_names[(t * 5 + 3) % G_N_ELEMENTS (last_names)]);
      gint64 team_id;

      /* Only the first manager gets the documented password; hashing is
       * deliberately slow, and the others are there to own teams. */
      if (!rs_store_add_person (store, number, name, team, RS_PERSON_MANAGER,
                                t == 0 ? RS_DEMO_MANAGER_PIN : NULL, &id, error)
          || !rs_store_ensure_team (store, team, &team_id, error)
          || !rs_store_set_team_manager (store, team_id, id, error))
        return FALSE;
    }

  for (int p = 0; p < config->n_people; p++)
    {
      g_autofree char *number = g_strdup_printf ("%d", 3001 + p);
      g_autofree char *name = g_strdup_printf ("%s %s", first_names[g_rand_int_range (rand, 0, G_N_ELEMENTS (first_names))],
                                               last_names[g_rand_int_range (rand, 0, G_N_ELEMENTS (last_names))]);
      const char *team = team_names[0];
      g_autofree char *team_numbered = NULL;
      double base = normal (rand) * 0.7, theta[RS_N_SKILLS];
      int t = p % n_teams;

      if (t >= (int) G_N_ELEMENTS (team_names))
        team = team_numbered = g_strdup_printf ("%s %d", team_names[t % G_N_ELEMENTS (team_names)],
                                                t / (int) G_N_ELEMENTS (team_names) + 1);
      else
        team = team_names[t];
      if (!rs_store_add_person (store, number, p == 0 ? "Sam Employee" : name, team, RS_PERSON_EMPLOYEE,
                                p == 0 ? RS_DEMO_EMPLOYEE_PIN : NULL, &id, error))
        return FALSE;

      /* Software engineers: strongest in Python, growing with each attempt. */
      theta[RS_SKILL_PYTHON] = base + 0.6 + 0.5 * normal (rand);
      theta[RS_SKILL_STATISTICS] = base - 0.4 + 0.6 * normal (rand);
      theta[RS_SKILL_ML] = base - 0.6 + 0.6 * normal (rand);
      theta[RS_SKILL_EMPATHY] = 0.3 * base + 0.8 * normal (rand);
      for (int a = 0; a < config->attempts_per_person; a++)
        {
          /* Spread attempts over the last year, oldest first. */
          demo_now = now - (gint64) (config->attempts_per_person - a) * 365 / MAX (config->attempts_per_person, 1)
                             * 24 * 3600 * G_USEC_PER_SEC
                     + (gint64) g_rand_int_range (rand, 0, 86400) * G_USEC_PER_SEC;
          if (!simulate_attempt (store, bank, id, theta, RS_MODE_QUICK, rand, error))
            return FALSE;
          for (int s = 0; s < RS_N_SKILLS; s++)
            theta[s] += 0.12 + 0.1 * normal (rand);
        }
    }
  return TRUE;
}

gboolean
rs_demo_seed (RsStore *store, const RsBank *bank, const RsDemoConfig *config, GError **error)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (config->seed ? config->seed : 2026);
  gboolean ok;

  if (rs_store_has_admin (store))
    {
      g_set_error (error, RS_ERROR, RS_ERROR_INVALID,
                   "the database already has people; seed a new, empty database");
      return FALSE;
    }
  /* Demo data is disposable and comes in bulk: without an fsync per
   * answer, seeding takes seconds instead of minutes. */
  if (!exec (store, "PRAGMA synchronous=OFF", error))
    return FALSE;
  rs_store_set_clock (demo_clock);
  ok = seed (store, bank, config, rand, error);
  rs_store_set_clock (NULL);
  if (!exec (store, "PRAGMA synchronous=FULL", ok ? error : NULL))
    return FALSE;
  return ok;
}
