/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <string.h>

#include "rs-cat.h"

/* How free an item is to be asked. Items seen in recent attempts are only
 * "avoided": when a skill has nothing else left they may still come back,
 * which beats stopping a test early on a small bank. */
enum { ITEM_BLOCKED, ITEM_AVOIDED, ITEM_FREE };

/* One dimension of content balancing: each item belongs to one group; the
 * test should ask each group in proportion to its share of the bank. */
typedef struct {
  int *group_of;                 /* per item */
  int n_groups;
  double *share;                 /* per group: share of the skill's items, the target */
  int *count;                    /* per group: items asked so far */
} Balance;

typedef struct {
  const GPtrArray *items;        /* the skill's items in the bank */
  guint8 *availability;          /* per item */
  /* Subtopics first; within the subtopic, item types, so that the cheap
   * informative formats (numbers typed, partial credit) cannot crowd out
   * the single-choice questions that test understanding. */
  Balance subtopics;
  Balance types;
  int n_open;                    /* items not blocked */
  /* The 4PL parameters again, side by side: selection reads them for every
   * item at every step, and contiguous arrays keep that in cache.
   * is_polytomous items (GPCM) use their RsIrtParams instead. */
  double *a, *b, *c, *d;
  gboolean *is_polytomous;
  double info_sum;               /* information of the items asked, at selection */
} SkillPool;

struct _RsCat {
  const RsBank *bank;
  RsCatConfig config;
  GRand *rand;
  int n_skills;
  RsCatSkillState states[RS_N_SKILLS];
  SkillPool pools[RS_N_SKILLS];
  GHashTable *position;          /* const RsItem * → its index in its skill's pool + 1 */
  const RsItem *current;
  int n_answered;
  gboolean has_links;            /* some item lists `related` ones */
  /* scratch for selection, sized to the largest pool */
  int *candidates;
  double *candidate_info;
};

static const struct {
  const char *id;
  const char *title;
  RsStopRule rule;
} modes[RS_N_MODES] = {
  /* Per skill. With four-option items near a = 1 each answer carries about
   * 0.1–0.3 units of information, so SE 0.5 takes about 10 items, 0.4 about
   * 15–20 and 0.3 more than 30; `reskill simulate` measures what each reaches. */
  { "quick", "Quick", { 0.50, 5, 10 } },
  { "standard", "Standard", { 0.40, 8, 18 } },
  { "precise", "Precise", { 0.30, 12, 32 } },
};

const char *
rs_mode_id (RsMode mode)
{
  g_return_val_if_fail (mode >= 0 && mode < RS_N_MODES, "invalid");
  return modes[mode].id;
}

const char *
rs_mode_title (RsMode mode)
{
  g_return_val_if_fail (mode >= 0 && mode < RS_N_MODES, "Invalid");
  return modes[mode].title;
}

RsMode
rs_mode_from_id (const char *id)
{
  for (int m = 0; id != NULL && m < RS_N_MODES; m++)
    if (g_ascii_strcasecmp (id, modes[m].id) == 0)
      return (RsMode) m;
  return RS_MODE_INVALID;
}

void
rs_mode_stop_rule (RsMode mode, RsStopRule *rule)
{
  g_return_if_fail (mode >= 0 && mode < RS_N_MODES);
  *rule = modes[mode].rule;
}

void
rs_cat_config_init (RsCatConfig *config, RsMode mode)
{
  *config = (RsCatConfig) { 0 };
  rs_mode_stop_rule (mode, &config->stop);
  config->randomesque = 3;
  config->content_balancing = TRUE;
  rs_ability_config_init (&config->ability);
}

static void
balance_init (Balance *balance, guint n_items, int n_groups)
{
  balance->n_groups = n_groups;
  balance->share = g_new0 (double, MAX (n_groups, 1));
  balance->count = g_new0 (int, MAX (n_groups, 1));
  for (guint i = 0; i < n_items; i++)
    balance->share[balance->group_of[i]] += 1.0 / n_items;
}

static void
balance_clear (Balance *balance)
{
  g_free (balance->group_of);
  g_free (balance->share);
  g_free (balance->count);
}

static void
pool_init (RsCat *cat, SkillPool *pool, RsSkill skill, GHashTable *excluded_ids)
{
  g_autoptr (GHashTable) subtopics = g_hash_table_new (g_str_hash, g_str_equal);
  int n_subtopics = 0;
  guint n;

  pool->items = rs_bank_skill_items (cat->bank, skill);
  n = pool->items->len;
  pool->availability = g_new (guint8, MAX (n, 1));
  pool->a = g_new (double, MAX (n, 1));
  pool->b = g_new (double, MAX (n, 1));
  pool->c = g_new (double, MAX (n, 1));
  pool->d = g_new (double, MAX (n, 1));
  pool->is_polytomous = g_new (gboolean, MAX (n, 1));
  pool->subtopics.group_of = g_new (int, MAX (n, 1));
  pool->types.group_of = g_new (int, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    {
      const RsItem *item = g_ptr_array_index (pool->items, i);
      gpointer index;

      pool->a[i] = item->irt.a;
      pool->b[i] = item->irt.b;
      pool->c[i] = item->irt.c;
      pool->d[i] = item->irt.d;
      pool->is_polytomous[i] = item->irt.model != RS_MODEL_4PL;
      pool->availability[i] =
        excluded_ids && g_hash_table_contains (excluded_ids, item->id) ? ITEM_AVOIDED : ITEM_FREE;
      if (!g_hash_table_lookup_extended (subtopics, item->subtopic, NULL, &index))
        {
          index = GINT_TO_POINTER (n_subtopics++);
          g_hash_table_insert (subtopics, item->subtopic, index);
        }
      pool->subtopics.group_of[i] = GPOINTER_TO_INT (index);
      pool->types.group_of[i] = (int) item->type;
      g_hash_table_insert (cat->position, (gpointer) item, GUINT_TO_POINTER (i + 1));
      cat->has_links |= item->related != NULL;
    }
  pool->n_open = (int) n;
  balance_init (&pool->subtopics, n, n_subtopics);
  balance_init (&pool->types, n, RS_ITEM_SCENARIO + 1);
}

static void
pool_clear (SkillPool *pool)
{
  g_free (pool->availability);
  g_free (pool->a);
  g_free (pool->b);
  g_free (pool->c);
  g_free (pool->d);
  g_free (pool->is_polytomous);
  balance_clear (&pool->subtopics);
  balance_clear (&pool->types);
}

static void
set_blocked (SkillPool *pool, guint pos)
{
  if (pool->availability[pos] != ITEM_BLOCKED)
    {
      pool->availability[pos] = ITEM_BLOCKED;
      pool->n_open--;
    }
}

static void
update_done (RsCat *cat, int index)
{
  RsCatSkillState *state = &cat->states[index];
  const RsStopRule *rule = &cat->config.stop;

  state->n_available = cat->pools[index].n_open;
  state->done = state->n_available == 0
                || state->n_items >= rule->max_items
                || (state->n_items >= rule->min_items && state->se <= rule->se_target);
}

RsCat *
rs_cat_new (const RsBank *bank, const RsSkill *skills, int n_skills, const RsCatConfig *config,
            GHashTable *excluded_ids, guint32 seed)
{
  RsCat *cat = g_new0 (RsCat, 1);
  guint largest = 1;

  g_return_val_if_fail (n_skills >= 1 && n_skills <= RS_N_SKILLS, NULL);
  cat->bank = bank;
  cat->config = *config;
  cat->config.randomesque = MAX (cat->config.randomesque, 1);
  cat->config.stop.min_items = MAX (cat->config.stop.min_items, 0);
  cat->config.stop.max_items = MAX (cat->config.stop.max_items, MAX (cat->config.stop.min_items, 1));
  cat->rand = g_rand_new_with_seed (seed);
  cat->position = g_hash_table_new (g_direct_hash, g_direct_equal);
  cat->n_skills = n_skills;
  for (int s = 0; s < n_skills; s++)
    {
      RsCatSkillState *state = &cat->states[s];

      state->skill = skills[s];
      rs_ability_init (&state->ability, &cat->config.ability);
      rs_ability_estimate (&state->ability, &state->theta, &state->se);
      pool_init (cat, &cat->pools[s], skills[s], excluded_ids);
      largest = MAX (largest, cat->pools[s].items->len);
      update_done (cat, s);
    }
  cat->candidates = g_new (int, largest);
  cat->candidate_info = g_new (double, largest);
  return cat;
}

void
rs_cat_free (RsCat *cat)
{
  if (cat == NULL)
    return;
  for (int s = 0; s < cat->n_skills; s++)
    pool_clear (&cat->pools[s]);
  g_hash_table_unref (cat->position);
  g_rand_free (cat->rand);
  g_free (cat->candidates);
  g_free (cat->candidate_info);
  g_free (cat);
}

static int
current_index (const RsCat *cat)
{
  for (int s = 0; s < cat->n_skills; s++)
    if (!cat->states[s].done)
      return s;
  return -1;
}

/* Kingsbury–Zara content balancing: the group whose share of the items
 * asked so far lies furthest below its share of the bank, among groups that
 * still have an item at the given availability (and in the given subtopic,
 * when subtopic ≥ 0). Ties go at random so the first question is not always
 * from the same group. -1 when no group has an item. */
static int
pick_group (RsCat *cat, const SkillPool *pool, const Balance *balance, int n_asked, guint8 level,
            int subtopic)
{
  g_autofree gboolean *open = g_new0 (gboolean, MAX (balance->n_groups, 1));
  double best_gap = -G_MAXDOUBLE;
  int best = -1, ties = 0;

  for (guint i = 0; i < pool->items->len; i++)
    if (pool->availability[i] == level && (subtopic < 0 || pool->subtopics.group_of[i] == subtopic))
      open[balance->group_of[i]] = TRUE;
  for (int g = 0; g < balance->n_groups; g++)
    {
      double gap;
      if (!open[g])
        continue;
      gap = balance->share[g] - (n_asked > 0 ? (double) balance->count[g] / n_asked : 0.0);
      if (gap > best_gap + 1e-12)
        {
          best_gap = gap;
          best = g;
          ties = 1;
        }
      else if (fabs (gap - best_gap) <= 1e-12 && g_rand_int_range (cat->rand, 0, ++ties) == 0)
        best = g;
    }
  return best;
}

static const RsItem *
select_item (RsCat *cat, int index)
{
  SkillPool *pool = &cat->pools[index];
  RsCatSkillState *state = &cat->states[index];
  int k = cat->config.randomesque;
  int n = 0, subtopic = -1, type = -1;
  guint8 level = ITEM_FREE;

  /* Prefer items not seen recently; fall back to them only when nothing else is left. */
  for (guint i = 0; i < pool->items->len && n == 0; i++)
    n += pool->availability[i] == ITEM_FREE;
  if (n == 0)
    level = ITEM_AVOIDED;
  n = 0;

  if (cat->config.content_balancing)
    {
      if (pool->subtopics.n_groups > 1)
        subtopic = pick_group (cat, pool, &pool->subtopics, state->n_items, level, -1);
      type = pick_group (cat, pool, &pool->types, state->n_items, level, subtopic);
    }

  for (guint i = 0; i < pool->items->len; i++)
    {
      if (pool->availability[i] != level || (subtopic >= 0 && pool->subtopics.group_of[i] != subtopic)
          || (type >= 0 && pool->types.group_of[i] != type))
        continue;
      cat->candidates[n] = (int) i;
      cat->candidate_info[n] =
        pool->is_polytomous[i]
          ? rs_irt_information (&((const RsItem *) g_ptr_array_index (pool->items, i))->irt, state->theta)
          : rs_irt_information_4pl (pool->a[i], pool->b[i], pool->c[i], pool->d[i], state->theta);
      n++;
    }
  if (n == 0)
    return NULL;

  /* Partial selection sort: move the k most informative to the front. */
  k = MIN (k, n);
  for (int a = 0; a < k; a++)
    {
      int best = a;
      for (int b = a + 1; b < n; b++)
        if (cat->candidate_info[b] > cat->candidate_info[best])
          best = b;
      if (best != a)
        {
          int ti = cat->candidates[a];
          double tv = cat->candidate_info[a];
          cat->candidates[a] = cat->candidates[best];
          cat->candidate_info[a] = cat->candidate_info[best];
          cat->candidates[best] = ti;
          cat->candidate_info[best] = tv;
        }
    }
  return g_ptr_array_index (pool->items, cat->candidates[k > 1 ? g_rand_int_range (cat->rand, 0, k) : 0]);
}

const RsItem *
rs_cat_current_item (RsCat *cat)
{
  int index;

  if (cat->current != NULL)
    return cat->current;
  index = current_index (cat);
  if (index < 0)
    return NULL;
  cat->current = select_item (cat, index);
  if (cat->current == NULL)
    {
      /* Nothing left to ask in this skill: it is done, move on. */
      cat->states[index].done = TRUE;
      return rs_cat_current_item (cat);
    }
  return cat->current;
}

/* The pool index of an item within skill slot s, or -1. */
static int
pool_position (const RsCat *cat, int s, const RsItem *item)
{
  guint pos = GPOINTER_TO_UINT (g_hash_table_lookup (cat->position, item));
  if (pos == 0 || pos > cat->pools[s].items->len
      || g_ptr_array_index (cat->pools[s].items, pos - 1) != item)
    return -1;
  return (int) pos - 1;
}

static int
slot_of_skill (const RsCat *cat, RsSkill skill)
{
  for (int s = 0; s < cat->n_skills; s++)
    if (cat->states[s].skill == skill)
      return s;
  return -1;
}

gboolean
rs_cat_set_current_item (RsCat *cat, const RsItem *item)
{
  int s = current_index (cat);
  int pos;

  if (s < 0 || item == NULL || cat->states[s].skill != item->skill)
    return FALSE;
  pos = pool_position (cat, s, item);
  if (pos < 0 || cat->pools[s].availability[pos] == ITEM_BLOCKED)
    return FALSE;
  cat->current = item;
  return TRUE;
}

static gboolean
lists_id (const RsItem *item, const char *id)
{
  for (int r = 0; item->related && item->related[r]; r++)
    if (g_str_equal (item->related[r], id))
      return TRUE;
  return FALSE;
}

/* Blocks an item and every item that would give it away. `related` works
 * both ways, whichever of the pair lists the other. */
static void
block_item (RsCat *cat, int s, int pos)
{
  const RsItem *item = g_ptr_array_index (cat->pools[s].items, pos);

  set_blocked (&cat->pools[s], pos);
  if (!cat->has_links)
    return;
  for (int o = 0; o < cat->n_skills; o++)
    for (guint i = 0; i < cat->pools[o].items->len; i++)
      {
        const RsItem *other = g_ptr_array_index (cat->pools[o].items, i);
        if (lists_id (item, other->id) || lists_id (other, item->id))
          set_blocked (&cat->pools[o], i);
      }
}

void
rs_cat_record (RsCat *cat, const RsItem *item, int score)
{
  int s = slot_of_skill (cat, item->skill);
  RsCatSkillState *state;
  int pos;

  g_return_if_fail (s >= 0);
  state = &cat->states[s];
  pos = pool_position (cat, s, item);
  if (pos >= 0)
    {
      cat->pools[s].info_sum += rs_irt_information (&item->irt, state->theta);
      cat->pools[s].subtopics.count[cat->pools[s].subtopics.group_of[pos]]++;
      cat->pools[s].types.count[cat->pools[s].types.group_of[pos]]++;
      block_item (cat, s, pos);
    }
  rs_ability_add_response (&state->ability, &item->irt, CLAMP (score, 0, rs_irt_max_score (&item->irt)));
  rs_ability_estimate (&state->ability, &state->theta, &state->se);
  state->n_items++;
  cat->n_answered++;
  if (cat->current == item)
    cat->current = NULL;
  for (int o = 0; o < cat->n_skills; o++)
    if (!cat->states[o].done || o == s)
      update_done (cat, o);
}

gboolean
rs_cat_is_finished (const RsCat *cat)
{
  return current_index (cat) < 0;
}

RsSkill
rs_cat_current_skill (const RsCat *cat)
{
  int s = current_index (cat);
  return s < 0 ? RS_SKILL_INVALID : cat->states[s].skill;
}

int
rs_cat_n_skills (const RsCat *cat)
{
  return cat->n_skills;
}

const RsCatSkillState *
rs_cat_skill_state (const RsCat *cat, int index)
{
  g_return_val_if_fail (index >= 0 && index < cat->n_skills, NULL);
  return &cat->states[index];
}

const RsCatSkillState *
rs_cat_state_for_skill (const RsCat *cat, RsSkill skill)
{
  int s = slot_of_skill (cat, skill);
  return s < 0 ? NULL : &cat->states[s];
}

int
rs_cat_n_answered (const RsCat *cat)
{
  return cat->n_answered;
}

const RsCatConfig *
rs_cat_config (const RsCat *cat)
{
  return &cat->config;
}

int
rs_cat_estimate_remaining (const RsCat *cat)
{
  int s = current_index (cat);
  const RsCatSkillState *state;
  const RsStopRule *rule = &cat->config.stop;
  double per_item, needed;
  int remaining;

  if (s < 0)
    return 0;
  state = &cat->states[s];
  /* Test information adds up: 1/SE² grows by each item's information. */
  per_item = state->n_items > 0 ? cat->pools[s].info_sum / state->n_items : 0.2;
  needed = 1.0 / (rule->se_target * rule->se_target) - 1.0 / (state->se * state->se);
  remaining = needed > 0 ? (int) ceil (needed / MAX (per_item, 0.05)) : 0;
  remaining = MAX (remaining, rule->min_items - state->n_items);
  remaining = MIN (remaining, rule->max_items - state->n_items);
  return MIN (MAX (remaining, 0), state->n_available);
}
