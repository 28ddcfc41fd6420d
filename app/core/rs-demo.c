/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n-lib.h>
#include <math.h>
#include <sqlite3.h>

#include "rs-assessment.h"
#include "rs-demo.h"
#include "rs-error.h"
#include "rs-simulation.h"
#include "rs-store-private.h"

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

/* Seeding 10,000 people with 20 attempts each (about 5 million answers)
 * went through the assessment one durable answer at a time and took the
 * better part of an hour. Now the simulated people answer through the same
 * engine (RsCat, with the configuration rs_assessment_start uses, so every
 * stored estimate is what the engine computes and the exchange's
 * recomputation accepts it) on every core, each person with their own
 * seeded random stream so the data does not depend on the number of
 * threads, and their attempts are written in order, a chunk of people per
 * transaction, through the store's own insert. */

#define CHUNK_PEOPLE 50
/* Items a person answered this recently are not asked again (as
 * rs_assessment_start does, on the demo's clock). */
#define RECENT_DAYS 30

static double
normal (GRand *rand)
{
  double u1 = 1.0 - g_rand_double (rand), u2 = g_rand_double (rand);
  return sqrt (-2.0 * log (u1)) * cos (2.0 * G_PI * u2);
}

typedef struct {
  char *item_id;
  gint64 at;
} Seen;

/* What the engine stores for one attempt by a simulated person of known
 * ability, started at *now (advanced as they answer). */
/* A version 4 UUID whose first 48 bits count up in the order attempts are
 * written: answers are keyed by their attempt's UUID, and with random keys
 * every transaction of a bulk load touches pages all over the answers'
 * b-tree (seeding 2,000 people took two minutes, mostly writing pages);
 * counting up, each one appends. The rest is random, as on a real kiosk. */
static char *
ordered_uuid (guint32 prefix, guint32 serial, GRand *rand)
{
  return g_strdup_printf ("%08x-%04x-4%03x-%04x-%04x%08x", prefix, (serial >> 12) & 0xffff, serial & 0xfff,
                          0x8000 | g_rand_int_range (rand, 0, 0x4000), g_rand_int_range (rand, 0, 0x10000),
                          g_rand_int (rand));
}

static RsAttempt *
simulate_attempt (const RsBank *bank, const char *bank_version, const char *kiosk_id, const double theta[RS_N_SKILLS],
                  RsMode mode, guint32 prefix, guint32 serial, GArray *seen, gint64 *now, GRand *rand)
{
  static const RsSkill all[RS_N_SKILLS] = { RS_SKILL_PYTHON, RS_SKILL_STATISTICS, RS_SKILL_ML, RS_SKILL_EMPATHY };
  g_autoptr (GHashTable) recent = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (RsCat) cat = NULL;
  RsAttempt *attempt = rs_attempt_new ();
  RsCatConfig config;
  const RsItem *item;

  for (guint i = 0; i < seen->len; i++)
    if (g_array_index (seen, Seen, i).at >= *now - (gint64) RECENT_DAYS * 24 * 3600 * G_USEC_PER_SEC)
      g_hash_table_add (recent, g_array_index (seen, Seen, i).item_id);
  attempt->uuid = ordered_uuid (prefix, serial, rand);
  attempt->mode = mode;
  attempt->n_skills = RS_N_SKILLS;
  for (int s = 0; s < RS_N_SKILLS; s++)
    {
      attempt->skills[s] = all[s];
      /* People overrate themselves a little. */
      attempt->self_level[s] = rs_level_for_theta (theta[s] + 0.6 * normal (rand) + 0.3);
    }
  attempt->seed = g_rand_int (rand);
  attempt->bank_version = g_strdup (bank_version);
  attempt->kiosk_id = g_strdup (kiosk_id);
  attempt->started_at = *now;
  rs_cat_config_init (&config, mode);
  cat = rs_cat_new (bank, all, RS_N_SKILLS, &config, recent, attempt->seed);
  while ((item = rs_cat_current_item (cat)) != NULL)
    {
      int drawn = rs_simulate_response (&item->irt, theta[item->skill], rand);
      const RsCatSkillState *state;
      RsResponse response = { 0 };
      RsAnswer answer;
      Seen mark;

      /* An answer that earns the drawn score (or, where none does, the
       * best one: the score stored is the answer's own). */
      if (!rs_item_answer_for_score (item, drawn, &answer))
        rs_item_best_answer (item, &answer);
      *now += (gint64) (20 + g_rand_int_range (rand, 0, 60)) * G_USEC_PER_SEC;
      /* As rs_assessment_submit: the answer's own score goes to the CAT. */
      response.seq = (int) attempt->responses->len + 1;
      response.item_id = g_strdup (item->id);
      response.skill = item->skill;
      response.answer = rs_answer_to_string (item, &answer);
      response.score = rs_item_score (item, &answer);
      response.max_score = rs_item_max_score (item);
      response.time_ms = g_rand_int_range (rand, 8000, 90000);
      response.answered_at = *now;
      rs_cat_record (cat, item, response.score);
      state = rs_cat_state_for_skill (cat, item->skill);
      response.theta = state->theta;
      response.se = state->se;
      g_array_append_val (attempt->responses, response);
      mark = (Seen) { (char *) item->id, *now };
      g_array_append_val (seen, mark);
    }
  for (int i = 0; i < rs_cat_n_skills (cat); i++)
    {
      const RsCatSkillState *state = rs_cat_skill_state (cat, i);
      RsSkillResult result = {
        .skill = state->skill,
        .theta = state->theta,
        .se = state->se,
        .n_items = state->n_items,
        .level = rs_level_for_theta (state->theta),
      };
      g_array_append_val (attempt->results, result);
    }
  attempt->status = RS_ATTEMPT_FINISHED;
  attempt->finished_at = *now;
  return attempt;
}

typedef struct {
  gint64 person_id;
  GPtrArray *attempts;        /* RsAttempt * */
} DemoPerson;

typedef struct {
  const RsBank *bank;
  const char *bank_version;
  const char *kiosk_id;
  const RsDemoConfig *config;
  gint64 now;                 /* the real time the history ends at */
  guint32 prefix;             /* the first 32 bits of every attempt's UUID */
  DemoPerson *people;
  int n_people;
  int n_chunks;
  /* Work handed out and done, under lock. */
  GMutex lock;
  GCond changed;
  int next_chunk;             /* the next one a worker takes */
  int written;                /* chunks written so far */
  gboolean *done;             /* per chunk: simulated */
  gboolean stop;
} Seeding;

static void
simulate_person (Seeding *seeding, int p)
{
  const RsDemoConfig *config = seeding->config;
  guint32 seeds[2] = { config->seed ? config->seed : 2026, (guint32) p };
  g_autoptr (GRand) rand = g_rand_new_with_seed_array (seeds, 2);
  g_autoptr (GArray) seen = g_array_new (FALSE, FALSE, sizeof (Seen));
  DemoPerson *person = &seeding->people[p];
  double base = normal (rand) * 0.7, theta[RS_N_SKILLS];

  /* Software engineers: strongest in Python, growing with each attempt. */
  theta[RS_SKILL_PYTHON] = base + 0.6 + 0.5 * normal (rand);
  theta[RS_SKILL_STATISTICS] = base - 0.4 + 0.6 * normal (rand);
  theta[RS_SKILL_ML] = base - 0.6 + 0.6 * normal (rand);
  theta[RS_SKILL_EMPATHY] = 0.3 * base + 0.8 * normal (rand);
  person->attempts = g_ptr_array_new_with_free_func ((GDestroyNotify) rs_attempt_free);
  for (int a = 0; a < config->attempts_per_person; a++)
    {
      /* Spread attempts over the last year, oldest first. */
      gint64 now = seeding->now - (gint64) (config->attempts_per_person - a) * 365
                                  / MAX (config->attempts_per_person, 1) * 24 * 3600 * G_USEC_PER_SEC
                   + (gint64) g_rand_int_range (rand, 0, 86400) * G_USEC_PER_SEC;

      g_ptr_array_add (person->attempts,
                       simulate_attempt (seeding->bank, seeding->bank_version, seeding->kiosk_id, theta, RS_MODE_QUICK,
                                         seeding->prefix, (guint32) (p * config->attempts_per_person + a),
                                         seen, &now, rand));
      for (int s = 0; s < RS_N_SKILLS; s++)
        theta[s] += 0.12 + 0.1 * normal (rand);
    }
}

/* Takes chunks of people until none is left, staying at most a few chunks
 * ahead of the writer so that memory stays bounded. */
static gpointer
worker (gpointer data)
{
  Seeding *seeding = data;
  int ahead = 2 * (int) g_get_num_processors () + 2;

  for (;;)
    {
      int chunk;

      g_mutex_lock (&seeding->lock);
      while (!seeding->stop && seeding->next_chunk < seeding->n_chunks
             && seeding->next_chunk >= seeding->written + ahead)
        g_cond_wait (&seeding->changed, &seeding->lock);
      if (seeding->stop || seeding->next_chunk >= seeding->n_chunks)
        {
          g_mutex_unlock (&seeding->lock);
          return NULL;
        }
      chunk = seeding->next_chunk++;
      g_mutex_unlock (&seeding->lock);

      for (int p = chunk * CHUNK_PEOPLE; p < MIN ((chunk + 1) * CHUNK_PEOPLE, seeding->n_people); p++)
        simulate_person (seeding, p);

      g_mutex_lock (&seeding->lock);
      seeding->done[chunk] = TRUE;
      g_cond_broadcast (&seeding->changed);
      g_mutex_unlock (&seeding->lock);
    }
}

static gboolean
write_chunk_tx (RsStore *store, Seeding *seeding, int chunk, GError **error)
{
  for (int p = chunk * CHUNK_PEOPLE; p < MIN ((chunk + 1) * CHUNK_PEOPLE, seeding->n_people); p++)
    {
      DemoPerson *person = &seeding->people[p];

      for (guint a = 0; a < person->attempts->len; a++)
        if (!rs_store_insert_attempt_tx (store, g_ptr_array_index (person->attempts, a), person->person_id, error))
          return FALSE;
    }
  return TRUE;
}

static gboolean
exec (RsStore *store, const char *sql, GError **error)
{
  if (sqlite3_exec (rs_store_get_db (store), sql, NULL, NULL, NULL) != SQLITE_OK)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_DB, _("demo: %s"), sqlite3_errmsg (rs_store_get_db (store)));
      return FALSE;
    }
  return TRUE;
}

static char *
team_name (int t)
{
  if (t < (int) G_N_ELEMENTS (team_names))
    return g_strdup (team_names[t]);
  return g_strdup_printf ("%s %d", team_names[t % G_N_ELEMENTS (team_names)], t / (int) G_N_ELEMENTS (team_names) + 1);
}

/* The employees, in one transaction (their PINs are set later, the one
 * documented account only). */
static gboolean
add_employees_tx (RsStore *store, const gint64 *team_ids, int n_teams, Seeding *seeding, GRand *rand, GError **error)
{
  for (int p = 0; p < seeding->n_people; p++)
    {
      g_autofree char *number = g_strdup_printf ("%d", 3001 + p);
      g_autofree char *name = g_strdup_printf ("%s %s", first_names[g_rand_int_range (rand, 0, G_N_ELEMENTS (first_names))],
                                               last_names[g_rand_int_range (rand, 0, G_N_ELEMENTS (last_names))]);

      if (!rs_store_get_int (store, &seeding->people[p].person_id, error,
                             "INSERT INTO people (employee_no, name, team_id, role) VALUES (?, ?, ?, 'employee')"
                             " RETURNING id",
                             "ssl", number, p == 0 ? "Sam Employee" : name, team_ids[p % n_teams]))
        return FALSE;
    }
  return TRUE;
}

static gboolean
seed (RsStore *store, const RsBank *bank, const RsDemoConfig *config, GRand *rand, GError **error)
{
  int n_teams = CLAMP ((config->n_people + 49) / 50, 4, (int) G_N_ELEMENTS (team_names) * 50);
  g_autofree gint64 *team_ids = g_new0 (gint64, n_teams);
  g_autoptr (GPtrArray) threads = g_ptr_array_new ();
  Seeding seeding = { 0 };
  gboolean ok = TRUE;
  gint64 id;

  if (!rs_store_add_person (store, RS_DEMO_ADMIN_NO, "Alex Admin", NULL, RS_PERSON_ADMIN,
                            RS_DEMO_ADMIN_PIN, NULL, error))
    return FALSE;
  for (int t = 0; t < n_teams; t++)
    {
      g_autofree char *team = team_name (t);
      g_autofree char *number = g_strdup_printf ("%d", 2000 + t);
      g_autofree char *name = g_strdup_printf ("%s %s (manager)", first_names[(t * 7) % G_N_ELEMENTS (first_names)],
                                               last_names[(t * 5 + 3) % G_N_ELEMENTS (last_names)]);

      /* Only the first manager gets the documented password; hashing is
       * deliberately slow, and the others are there to own teams. */
      if (!rs_store_add_person (store, number, name, team, RS_PERSON_MANAGER,
                                t == 0 ? RS_DEMO_MANAGER_PIN : NULL, &id, error)
          || !rs_store_ensure_team (store, team, &team_ids[t], error)
          || !rs_store_set_team_manager (store, team_ids[t], id, error))
        return FALSE;
    }

  seeding.bank = bank;
  seeding.bank_version = rs_bank_version (bank);
  seeding.kiosk_id = rs_store_kiosk_id (store);
  seeding.config = config;
  seeding.now = g_get_real_time ();
  /* Random per seeding, so that two demo databases never share a UUID. */
  seeding.prefix = g_random_int ();
  seeding.n_people = config->n_people;
  seeding.people = g_new0 (DemoPerson, MAX (config->n_people, 1));
  seeding.n_chunks = (config->n_people + CHUNK_PEOPLE - 1) / CHUNK_PEOPLE;
  seeding.done = g_new0 (gboolean, MAX (seeding.n_chunks, 1));
  g_mutex_init (&seeding.lock);
  g_cond_init (&seeding.changed);
  {
    g_autoptr (GMutexLocker) locker = g_mutex_locker_new (rs_store_get_lock (store));

    ok = rs_store_begin (store, TRUE, error)
         && rs_store_end (store, add_employees_tx (store, team_ids, n_teams, &seeding, rand, error), error);
  }
  if (ok && config->n_people > 0)
    {
      g_autoptr (RsPerson) employee = rs_store_find_person (store, RS_DEMO_EMPLOYEE_NO, error);
      ok = employee != NULL && rs_store_set_secret (store, employee->id, RS_DEMO_EMPLOYEE_PIN, error);
    }
  if (ok && config->n_people > 1)
    {
      g_autoptr (RsPerson) newcomer = rs_store_find_person (store, RS_DEMO_NEWCOMER_NO, error);
      ok = newcomer != NULL && rs_store_set_secret (store, newcomer->id, RS_DEMO_NEWCOMER_PIN, error);
    }
  /* Everyone but the newcomer has read the privacy notice in force, so
   * that the demo accounts (and the screenshots, tests and benchmarks
   * that sign in with them) go straight to their pages. One statement
   * rather than rs_privacy_confirm_notice per person: demo organizations
   * have thousands of people, and nobody confirmed anything in person. */
  if (ok)
    {
      g_autoptr (GMutexLocker) locker = g_mutex_locker_new (rs_store_get_lock (store));

      ok = rs_store_exec (store, error,
                          "INSERT OR IGNORE INTO notice_confirmations (person_id, version, confirmed_at)"
                          " SELECT people.id, privacy_policy.version, ? FROM people, privacy_policy"
                          " WHERE privacy_policy.id = 1 AND people.employee_no <> ?",
                          "ls", rs_store_now (), RS_DEMO_NEWCOMER_NO);
    }

  for (guint t = 0; ok && t < MAX (g_get_num_processors (), 1); t++)
    g_ptr_array_add (threads, g_thread_new ("demo", worker, &seeding));
  for (int chunk = 0; ok && chunk < seeding.n_chunks; chunk++)
    {
      g_mutex_lock (&seeding.lock);
      while (!seeding.done[chunk])
        g_cond_wait (&seeding.changed, &seeding.lock);
      g_mutex_unlock (&seeding.lock);
      {
        g_autoptr (GMutexLocker) locker = g_mutex_locker_new (rs_store_get_lock (store));

        ok = rs_store_begin (store, TRUE, error)
             && rs_store_end (store, write_chunk_tx (store, &seeding, chunk, error), error);
      }
      for (int p = chunk * CHUNK_PEOPLE; p < MIN ((chunk + 1) * CHUNK_PEOPLE, seeding.n_people); p++)
        g_clear_pointer (&seeding.people[p].attempts, g_ptr_array_unref);
      g_mutex_lock (&seeding.lock);
      seeding.written = chunk + 1;
      g_cond_broadcast (&seeding.changed);
      g_mutex_unlock (&seeding.lock);
    }
  g_mutex_lock (&seeding.lock);
  seeding.stop = TRUE;
  g_cond_broadcast (&seeding.changed);
  g_mutex_unlock (&seeding.lock);
  for (guint t = 0; t < threads->len; t++)
    g_thread_join (g_ptr_array_index (threads, t));
  for (int p = 0; p < seeding.n_people; p++)
    g_clear_pointer (&seeding.people[p].attempts, g_ptr_array_unref);
  g_free (seeding.people);
  g_free (seeding.done);
  g_mutex_clear (&seeding.lock);
  g_cond_clear (&seeding.changed);
  return ok;
}

gboolean
rs_demo_seed (RsStore *store, const RsBank *bank, const RsDemoConfig *config, GError **error)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (config->seed ? config->seed : 2026);
  gboolean ok;

  if (rs_store_has_admin (store))
    {
      g_set_error (error, RS_ERROR, RS_ERROR_INVALID,
                   _("the database already has people; seed a new, empty database"));
      return FALSE;
    }
  /* Demo data is disposable and comes in bulk: no fsync per commit, and a
   * large page cache for the answers' index. */
  if (!exec (store, "PRAGMA synchronous=OFF; PRAGMA cache_size=-262144", error))
    return FALSE;
  ok = seed (store, bank, config, rand, error);
  if (!exec (store, "PRAGMA synchronous=FULL; PRAGMA cache_size=-2000", ok ? error : NULL))
    return FALSE;
  if (ok && !rs_store_checkpoint (store, error))
    return FALSE;
  return ok;
}
