/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "rs-cat.h"


/* How free an item is to be asked. Items seen in recent attempts are only
 * "avoided": when a skill has nothing else left they may still come back,
 * which beats stopping a test early on a small bank. Withheld items, and
 * items already asked or given away by a `related` one, are blocked. */
enum { ITEM_BLOCKED, ITEM_AVOIDED, ITEM_FREE };

/* One dimension of content balancing: each item belongs to one group; the
 * test should ask each group in proportion to its share of the bank. */
typedef struct {
  int *group_of;                 /* per item */
  int n_groups;
  double *share;                 /* per group: share of the skill's items, the target */
  int *count;                    /* per group: items asked so far */
} Balance;

/* At most this many pretest items per skill, whatever the configuration. */
#define MAX_PRETEST 8

typedef struct {
  const GPtrArray *items;        /* the skill's items in the bank */
  guint8 *availability;          /* per item */
  /* Item types and subtopics, so that the cheap informative formats
   * (numbers typed, partial credit) cannot crowd out the single-choice
   * questions that test understanding, and every subtopic gets its share. */
  Balance subtopics;
  Balance types;
  int n_open;                    /* items not blocked */
  /* The 4PL parameters again, side by side: selection reads them for every
   * item at every step, and contiguous arrays keep that in cache.
   * is_polytomous items (GPCM) use their RsIrtParams instead. */
  double *a, *b, *c, *d;
  gboolean *is_polytomous;
  gboolean *over_cap;            /* exposure at or above the cap in earlier attempts */
  guint attempts_before;         /* earlier attempts on the skill since exposure counting restarted,
                                  * when rates are trusted; else 0 */
  gboolean *pretestable;         /* may be asked as a pretest item */
  guint *shown_before;           /* times shown in earlier attempts (pretest: the fewest first) */
  guint *exposed_before;         /* the same since exposure counting restarted (the cap) */
  double info_sum;               /* information of the items asked, at selection */
  /* Pretest plan: the k-th pretest item (k from 0) is due when the skill's
   * item count (scored and pretest) reaches pretest_at[k] − 1. */
  int n_pretest_planned;
  int pretest_at[MAX_PRETEST];
  gboolean stopped;              /* the scored part is over */
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
  gboolean current_is_pretest;
  int n_answered;
  gboolean has_links;            /* some item lists `related` ones */
  /* scratch for selection, sized to the largest pool */
  int *candidates;
  double *candidate_info;
};

struct _RsItemUsage {
  GHashTable *shown;             /* item id → times shown */
  guint attempts[RS_N_SKILLS];
  GHashTable *baseline;          /* item id → times shown when counting restarted */
  guint baseline_attempts[RS_N_SKILLS];
};

static const struct {
  const char *id;
  const char *title;
  RsStopRule rule;
} modes[RS_N_MODES] = {
  /* Per skill. With four-option items near a = 1 each answer carries about
   * 0.1–0.3 units of information, so SE 0.5 takes about 10 items, 0.4 about
   * 15–20 and 0.3 more than 30. The classification rule stops a test early
   * when the level is clear, which frees questions for the people near a
   * cut point; docs/PERFORMANCE.md has what each mode reaches, measured
   * with `reskill simulate --mode`. */
  { "quick", NC_("assessment length", "Quick"), { 0.50, 5, 10, RS_CLASSIFY_POSTERIOR, 0.80, 0 } },
  { "standard", NC_("assessment length", "Standard"), { 0.40, 8, 18, RS_CLASSIFY_POSTERIOR, 0.80, 0 } },
  { "precise", NC_("assessment length", "Precise"), { 0.30, 12, 32, RS_CLASSIFY_POSTERIOR, 0.90, 0 } },
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
  return g_dpgettext2 (GETTEXT_PACKAGE, "assessment length", modes[mode].title);
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

char *
rs_stop_rule_describe (const RsStopRule *rule)
{
  double points = RS_BAND_Z * rule->se_target * 12.5;
  g_autofree char *condition = NULL;
  g_autofree char *length = NULL;

  if (rule->classify == RS_CLASSIFY_POSTERIOR)
    condition = g_strdup_printf (_("the level is %.0f%% sure or the score is within ±%.0f points"),
                                 100.0 * rule->classify_target, points);
  else if (rule->classify == RS_CLASSIFY_GLR)
    condition = g_strdup_printf (_("every level boundary is decided at %.0f%% or the score is within ±%.0f points"),
                                 100.0 * rule->classify_target, points);
  else
    condition = g_strdup_printf (_("the score is within ±%.0f points"), points);
  if (rule->min_items == rule->max_items)
    length = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "after %d question", "after %d questions",
                                           (gulong) rule->max_items),
                              rule->max_items);
  else
    length = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "after %d to %d question", "after %d to %d questions",
                                           (gulong) rule->max_items),
                              rule->min_items, rule->max_items);
  /* Translators: how a test of one skill ends, for example "stops when the
   * level is 80% sure or the score is within ±8 points, after 5 to 10
   * questions"; the window puts it after "Each skill". */
  return g_strdup_printf (_("stops when %s, %s"), condition, length);
}

void
rs_cat_config_init (RsCatConfig *config, RsMode mode)
{
  *config = (RsCatConfig) { 0 };
  rs_mode_stop_rule (mode, &config->stop);
  config->randomesque = 3;
  config->content_balancing = TRUE;
  config->exposure_cap = 0.25;
  config->n_pretest = 2;
  rs_ability_config_init (&config->ability);
  for (int s = 0; s < RS_N_SKILLS; s++)
    {
      config->prior_mean[s] = config->ability.prior_mean;
      config->prior_sd[s] = config->ability.prior_sd;
    }
}

void
rs_cat_config_set_prior (RsCatConfig *config, RsSkill skill, double mean, double sd)
{
  g_return_if_fail (skill >= 0 && skill < RS_N_SKILLS);
  config->prior_mean[skill] = mean;
  config->prior_sd[skill] = sd;
}

RsItemUsage *
rs_item_usage_new (void)
{
  RsItemUsage *usage = g_new0 (RsItemUsage, 1);

  usage->shown = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  usage->baseline = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return usage;
}

void
rs_item_usage_free (RsItemUsage *usage)
{
  if (usage == NULL)
    return;
  g_hash_table_unref (usage->shown);
  g_hash_table_unref (usage->baseline);
  g_free (usage);
}

void
rs_item_usage_add_shown (RsItemUsage *usage, const char *item_id, guint n)
{
  gpointer key, value;

  if (g_hash_table_lookup_extended (usage->shown, item_id, &key, &value))
    g_hash_table_insert (usage->shown, g_strdup (item_id), GUINT_TO_POINTER (GPOINTER_TO_UINT (value) + n));
  else
    g_hash_table_insert (usage->shown, g_strdup (item_id), GUINT_TO_POINTER (n));
}

void
rs_item_usage_add_attempts (RsItemUsage *usage, RsSkill skill, guint n)
{
  g_return_if_fail (skill >= 0 && skill < RS_N_SKILLS);
  usage->attempts[skill] += n;
}

guint
rs_item_usage_shown (const RsItemUsage *usage, const char *item_id)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (usage->shown, item_id));
}

guint
rs_item_usage_attempts (const RsItemUsage *usage, RsSkill skill)
{
  g_return_val_if_fail (skill >= 0 && skill < RS_N_SKILLS, 0);
  return usage->attempts[skill];
}

void
rs_item_usage_set_baseline (RsItemUsage *usage, const char *item_id, guint n_shown)
{
  g_hash_table_insert (usage->baseline, g_strdup (item_id), GUINT_TO_POINTER (n_shown));
}

void
rs_item_usage_set_baseline_attempts (RsItemUsage *usage, RsSkill skill, guint n)
{
  g_return_if_fail (skill >= 0 && skill < RS_N_SKILLS);
  usage->baseline_attempts[skill] = n;
}

guint
rs_item_usage_shown_since (const RsItemUsage *usage, const char *item_id)
{
  guint shown = rs_item_usage_shown (usage, item_id);
  guint before = GPOINTER_TO_UINT (g_hash_table_lookup (usage->baseline, item_id));

  return shown > before ? shown - before : 0;
}

guint
rs_item_usage_attempts_since (const RsItemUsage *usage, RsSkill skill)
{
  g_return_val_if_fail (skill >= 0 && skill < RS_N_SKILLS, 0);
  return usage->attempts[skill] > usage->baseline_attempts[skill]
           ? usage->attempts[skill] - usage->baseline_attempts[skill] : 0;
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
  pool->over_cap = g_new0 (gboolean, MAX (n, 1));
  pool->pretestable = g_new0 (gboolean, MAX (n, 1));
  pool->shown_before = g_new0 (guint, MAX (n, 1));
  pool->exposed_before = g_new0 (guint, MAX (n, 1));
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
      /* A withheld item (a calibration flagged it and no administrator
       * has cleared it) is never asked, not even when nothing else is
       * left: its parameters cannot be trusted to score anyone. */
      if (rs_bank_is_withheld (cat->bank, item->id))
        pool->availability[i] = ITEM_BLOCKED;
      else
        pool->availability[i] =
          excluded_ids && g_hash_table_contains (excluded_ids, item->id) ? ITEM_AVOIDED : ITEM_FREE;
      pool->n_open += pool->availability[i] != ITEM_BLOCKED;
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
  g_free (pool->over_cap);
  g_free (pool->pretestable);
  g_free (pool->shown_before);
  g_free (pool->exposed_before);
  balance_clear (&pool->subtopics);
  balance_clear (&pool->types);
}

static int
compare_ints (const void *a, const void *b)
{
  return *(const int *) a - *(const int *) b;
}

/* Where the pretest items go: at random positions between the first that
 * keeps the share within RS_CAT_PRETEST_MAX_SHARE and the end of the
 * longest test, drawn now so that the plan is the same when a stored
 * attempt is replayed with its seed. The k-th of them (from 1) never comes
 * before position k / share, so at no point do pretest items exceed the share. */
static void
plan_pretest (RsCat *cat, SkillPool *pool)
{
  int n = CLAMP (cat->config.n_pretest, 0, MAX_PRETEST);
  int first = (int) ceil (1.0 / RS_CAT_PRETEST_MAX_SHARE - 1e-9);
  int last = cat->config.stop.max_items + n;

  pool->n_pretest_planned = n;
  for (int k = 0; k < n; k++)
    pool->pretest_at[k] = last >= first ? g_rand_int_range (cat->rand, first, last + 1) : first;
  qsort (pool->pretest_at, n, sizeof (int), compare_ints);
  for (int k = 0; k < n; k++)
    {
      int earliest = (int) ceil ((k + 1) / RS_CAT_PRETEST_MAX_SHARE - 1e-9);
      pool->pretest_at[k] = MAX (pool->pretest_at[k], earliest);
      if (k > 0)
        pool->pretest_at[k] = MAX (pool->pretest_at[k], pool->pretest_at[k - 1] + 1);
    }
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

/* The level is clear enough to stop, by the stopping rule's classification. */
static gboolean
classified (const RsStopRule *rule, const RsCatSkillState *state)
{
  const RsAbility *ability = &state->ability;

  switch (rule->classify)
    {
    case RS_CLASSIFY_POSTERIOR:
      return state->level.most_likely_probability >= rule->classify_target;
    case RS_CLASSIFY_GLR:
      {
        double bound = log (rule->classify_target / MAX (1.0 - rule->classify_target, 1e-12));

        for (int l = 1; l < RS_N_LEVELS; l++)
          {
            double cut = rs_level_lower_cut ((RsLevel) l);
            double above = -INFINITY, below = -INFINITY;

            for (int q = 0; q < ability->config.n_points; q++)
              {
                double ll = rs_ability_log_likelihood_at (ability, q);
                if (ability->nodes[q] >= cut + rule->indifference - 1e-9)
                  above = MAX (above, ll);
                if (ability->nodes[q] <= cut - rule->indifference + 1e-9)
                  below = MAX (below, ll);
              }
            if (!(fabs (above - below) >= bound))
              return FALSE;
          }
        return TRUE;
      }
    case RS_CLASSIFY_NONE:
    default:
      return FALSE;
    }
}

/* The next pretest item is due now: the plan says so, and one more keeps
 * the share within bounds (it may come after the scored part stopped, in
 * the place the plan gave it or at the end of a test that stopped early). */
static gboolean
pretest_due (const RsCat *cat, int index)
{
  const SkillPool *pool = &cat->pools[index];
  const RsCatSkillState *state = &cat->states[index];
  int given = state->n_pretest, position = state->n_items + state->n_pretest + 1;

  if (given >= pool->n_pretest_planned)
    return FALSE;
  if (given + 1 > RS_CAT_PRETEST_MAX_SHARE * position + 1e-9)
    return FALSE;
  if (!pool->stopped && position < pool->pretest_at[given])
    return FALSE;
  for (guint i = 0; i < pool->items->len; i++)
    if (pool->pretestable[i] && pool->availability[i] == ITEM_FREE)
      return TRUE;
  return FALSE;
}

static void
update_done (RsCat *cat, int index)
{
  RsCatSkillState *state = &cat->states[index];
  SkillPool *pool = &cat->pools[index];
  const RsStopRule *rule = &cat->config.stop;

  state->n_available = pool->n_open;
  pool->stopped = state->n_available == 0
                  || state->n_items >= rule->max_items
                  || (state->n_items >= rule->min_items
                      && (state->se <= rule->se_target || classified (rule, state)));
  state->stopped = pool->stopped;
  state->done = pool->stopped && !pretest_due (cat, index);
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
      RsAbilityConfig ability = cat->config.ability;

      state->skill = skills[s];
      if (skills[s] >= 0 && skills[s] < RS_N_SKILLS && cat->config.prior_sd[skills[s]] > 0)
        {
          ability.prior_mean = cat->config.prior_mean[skills[s]];
          ability.prior_sd = cat->config.prior_sd[skills[s]];
        }
      rs_ability_init (&state->ability, &ability);
      rs_ability_estimate_full (&state->ability, &state->theta, &state->se, 0, &state->level);
      pool_init (cat, &cat->pools[s], skills[s], excluded_ids);
      plan_pretest (cat, &cat->pools[s]);
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

void
rs_cat_set_usage (RsCat *cat, const RsItemUsage *usage)
{
  for (int s = 0; s < cat->n_skills; s++)
    {
      SkillPool *pool = &cat->pools[s];
      guint attempts = usage != NULL ? rs_item_usage_attempts_since (usage, cat->states[s].skill) : 0;

      pool->attempts_before = attempts >= RS_CAT_EXPOSURE_MIN_ATTEMPTS ? attempts : 0;

      for (guint i = 0; i < pool->items->len; i++)
        {
          const RsItem *item = g_ptr_array_index (pool->items, i);

          pool->shown_before[i] = usage != NULL ? rs_item_usage_shown (usage, item->id) : 0;
          pool->exposed_before[i] = usage != NULL ? rs_item_usage_shown_since (usage, item->id) : 0;
          /* Rates from a handful of attempts are noise: a cap on them would
           * only shuffle the first tests at random. */
          pool->over_cap[i] = attempts >= RS_CAT_EXPOSURE_MIN_ATTEMPTS && cat->config.exposure_cap < 1.0
                              && pool->exposed_before[i] >= cat->config.exposure_cap * attempts;
        }
    }
}

void
rs_cat_set_pretest_items (RsCat *cat, GHashTable *item_ids)
{
  for (int s = 0; s < cat->n_skills; s++)
    {
      SkillPool *pool = &cat->pools[s];

      for (guint i = 0; i < pool->items->len; i++)
        {
          const RsItem *item = g_ptr_array_index (pool->items, i);
          pool->pretestable[i] = item_ids != NULL && g_hash_table_contains (item_ids, item->id);
        }
      if (!cat->states[s].done || pool->stopped)
        update_done (cat, s);
    }
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
 * asked so far lies furthest below its share of the bank, among groups
 * that still have at least RS_CAT_BALANCE_MIN_GROUP eligible items (within
 * group `within_group` of `within`, when given). A smaller group is left
 * to maximum information: steering the test into it would hand everyone
 * the same one or two items. Ties go at random, so the first question is
 * not always from the same group. -1 when no group qualifies: no restriction. */
static int
pick_group (RsCat *cat, const SkillPool *pool, const Balance *balance, int n_asked, const gboolean *eligible,
            const Balance *within, int within_group)
{
  g_autofree int *open = g_new0 (int, MAX (balance->n_groups, 1));
  double best_gap = -G_MAXDOUBLE;
  int best = -1, ties = 0;

  for (guint i = 0; i < pool->items->len; i++)
    if (eligible[i] && (within == NULL || within->group_of[i] == within_group))
      open[balance->group_of[i]]++;
  for (int g = 0; g < balance->n_groups; g++)
    {
      double gap;
      if (open[g] < RS_CAT_BALANCE_MIN_GROUP)
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

static double
item_information (const SkillPool *pool, guint i, double theta)
{
  if (pool->is_polytomous[i])
    return rs_irt_information (&((const RsItem *) g_ptr_array_index (pool->items, i))->irt, theta);
  return rs_irt_information_4pl (pool->a[i], pool->b[i], pool->c[i], pool->d[i], theta);
}

static const RsItem *
select_item (RsCat *cat, int index)
{
  SkillPool *pool = &cat->pools[index];
  RsCatSkillState *state = &cat->states[index];
  g_autofree gboolean *eligible = g_new0 (gboolean, MAX (pool->items->len, 1));
  int k = cat->config.randomesque;
  int n = 0, n_eligible = 0, subtopic = -1, type = -1;
  guint8 level = ITEM_FREE;
  double at = state->theta;

  /* Prefer items not seen recently; fall back to them only when nothing
   * else is left. Among those, items over the exposure cap only when
   * there is nothing else: the cap spreads use, it never ends a test. */
  for (guint i = 0; i < pool->items->len && n == 0; i++)
    n += pool->availability[i] == ITEM_FREE;
  if (n == 0)
    level = ITEM_AVOIDED;
  n = 0;
  for (guint i = 0; i < pool->items->len; i++)
    n_eligible += eligible[i] = pool->availability[i] == level && !pool->over_cap[i];
  /* Every item left is over the cap (a long test on a small bank uses more
   * than the cap's share of it on average): raise the bar step by step, so
   * that the excess falls on the least used items, not on the best ones. */
  for (double cap = cat->config.exposure_cap * 1.1; n_eligible == 0 && pool->attempts_before > 0 && cap < 1.0;
       cap *= 1.1)
    for (guint i = 0; i < pool->items->len; i++)
      n_eligible += eligible[i] = pool->availability[i] == level && pool->exposed_before[i] < cap * pool->attempts_before;
  if (n_eligible == 0)
    for (guint i = 0; i < pool->items->len; i++)
      n_eligible += eligible[i] = pool->availability[i] == level;
  if (n_eligible == 0)
    return NULL;

  /* Where information counts: at the estimate, or, to classify, at the
   * level cut point nearest to it (Spray & Reckase 1994). */
  if (cat->config.select_at_cut)
    {
      double best = G_MAXDOUBLE;
      for (int l = 1; l < RS_N_LEVELS; l++)
        if (fabs (rs_level_lower_cut ((RsLevel) l) - state->theta) < fabs (best - state->theta))
          best = rs_level_lower_cut ((RsLevel) l);
      at = best;
    }

  /* Formats over the whole skill first, then the subtopic among the items
   * of that format: a format that is rare in the bank (a few numeric
   * questions) keeps its share of the test without pinning it to the one
   * subtopic where it has a single item. */
  if (cat->config.content_balancing)
    {
      type = pick_group (cat, pool, &pool->types, state->n_items, eligible, NULL, -1);
      if (pool->subtopics.n_groups > 1)
        subtopic = pick_group (cat, pool, &pool->subtopics, state->n_items, eligible,
                               type >= 0 ? &pool->types : NULL, type);
    }

  for (guint i = 0; i < pool->items->len; i++)
    {
      if (!eligible[i] || (subtopic >= 0 && pool->subtopics.group_of[i] != subtopic)
          || (type >= 0 && pool->types.group_of[i] != type))
        continue;
      cat->candidates[n] = (int) i;
      cat->candidate_info[n] = item_information (pool, i, at);
      n++;
    }
  if (n == 0)
    return NULL;

  /* The progressive half of Revuelta & Ponsoda's method: early in the test
   * a random share of the criterion, fading as the test goes on, so that
   * items no estimate would ever prefer still get asked. */
  if (cat->config.progressive)
    {
      double top = 0.0, w = MIN ((double) state->n_items / MAX (cat->config.stop.max_items, 1), 1.0);

      for (int c = 0; c < n; c++)
        top = MAX (top, cat->candidate_info[c]);
      for (int c = 0; c < n; c++)
        cat->candidate_info[c] = (1.0 - w) * g_rand_double_range (cat->rand, 0.0, top) + w * cat->candidate_info[c];
    }

  /* Partial selection sort: move the k most informative to the front.
   * Items of equal information (the same level-based parameters) are taken
   * in random order, each of the tied equally likely (reservoir sampling),
   * never by their place in the bank. A difference below one part in 10¹²
   * is rounding, not information. */
  k = MIN (k, n);
  for (int a = 0; a < k; a++)
    {
      int best = a, ties = 1;
      for (int b = a + 1; b < n; b++)
        {
          double info = cat->candidate_info[b], top = cat->candidate_info[best];
          if (info > top * (1.0 + 1e-12))
            {
              best = b;
              ties = 1;
            }
          else if (info >= top * (1.0 - 1e-12) && g_rand_int_range (cat->rand, 0, ++ties) == 0)
            best = b;
        }
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

/* The pretest item with the fewest answers so far; ties at random. */
static const RsItem *
select_pretest (RsCat *cat, int index)
{
  SkillPool *pool = &cat->pools[index];
  guint fewest = G_MAXUINT;
  int best = -1, ties = 0;

  for (guint i = 0; i < pool->items->len; i++)
    {
      if (!pool->pretestable[i] || pool->availability[i] != ITEM_FREE)
        continue;
      if (pool->shown_before[i] < fewest)
        {
          fewest = pool->shown_before[i];
          best = (int) i;
          ties = 1;
        }
      else if (pool->shown_before[i] == fewest && g_rand_int_range (cat->rand, 0, ++ties) == 0)
        best = (int) i;
    }
  return best < 0 ? NULL : g_ptr_array_index (pool->items, best);
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
  cat->current_is_pretest = pretest_due (cat, index);
  cat->current = cat->current_is_pretest ? select_pretest (cat, index) : select_item (cat, index);
  if (cat->current == NULL)
    {
      /* Nothing left to ask in this skill: it is done, move on. */
      cat->current_is_pretest = FALSE;
      cat->pools[index].stopped = cat->states[index].stopped = TRUE;
      cat->states[index].done = TRUE;
      return rs_cat_current_item (cat);
    }
  return cat->current;
}

gboolean
rs_cat_current_is_pretest (const RsCat *cat)
{
  return cat->current != NULL && cat->current_is_pretest;
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

static gboolean
set_current (RsCat *cat, const RsItem *item, gboolean pretest)
{
  int s = current_index (cat);
  int pos;

  if (s < 0 || item == NULL || cat->states[s].skill != item->skill)
    return FALSE;
  pos = pool_position (cat, s, item);
  if (pos < 0 || cat->pools[s].availability[pos] == ITEM_BLOCKED)
    return FALSE;
  /* A scored item cannot be asked once the scored part has stopped. */
  if (!pretest && cat->pools[s].stopped)
    return FALSE;
  cat->current = item;
  cat->current_is_pretest = pretest;
  return TRUE;
}

gboolean
rs_cat_set_current_item (RsCat *cat, const RsItem *item)
{
  return set_current (cat, item, FALSE);
}

gboolean
rs_cat_set_current_pretest_item (RsCat *cat, const RsItem *item)
{
  return set_current (cat, item, TRUE);
}

static gboolean
lists_id (const RsItem *item, const char *id)
{
  for (int r = 0; item->related && item->related[r]; r++)
    if (g_str_equal (item->related[r], id))
      return TRUE;
  return FALSE;
}

/* Blocks an item and every item that would give it away, in every skill of
 * the session. `related` works both ways, whichever of the pair lists the other. */
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

static void
record (RsCat *cat, const RsItem *item, int score, gboolean scored)
{
  int s = slot_of_skill (cat, item->skill);
  RsCatSkillState *state;
  int pos;

  g_return_if_fail (s >= 0);
  state = &cat->states[s];
  pos = pool_position (cat, s, item);
  if (pos >= 0)
    {
      if (scored)
        {
          cat->pools[s].info_sum += rs_irt_information (&item->irt, state->theta);
          cat->pools[s].subtopics.count[cat->pools[s].subtopics.group_of[pos]]++;
          cat->pools[s].types.count[cat->pools[s].types.group_of[pos]]++;
        }
      block_item (cat, s, pos);
    }
  if (scored)
    {
      rs_ability_add_response (&state->ability, &item->irt, CLAMP (score, 0, rs_irt_max_score (&item->irt)));
      rs_ability_estimate_full (&state->ability, &state->theta, &state->se, 0, &state->level);
      state->n_items++;
    }
  else
    state->n_pretest++;
  cat->n_answered++;
  if (cat->current == item)
    {
      cat->current = NULL;
      cat->current_is_pretest = FALSE;
    }
  /* Blocking may have used up another skill's items too. */
  for (int o = 0; o < cat->n_skills; o++)
    if (!cat->states[o].done || o == s)
      update_done (cat, o);
}

void
rs_cat_record (RsCat *cat, const RsItem *item, int score)
{
  record (cat, item, score, !(cat->current == item && cat->current_is_pretest));
}

void
rs_cat_record_unscored (RsCat *cat, const RsItem *item, int score)
{
  record (cat, item, score, FALSE);
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
  const SkillPool *pool;
  const RsStopRule *rule = &cat->config.stop;
  double per_item, needed;
  int remaining = 0, pretest = 0, total;

  if (s < 0)
    return 0;
  state = &cat->states[s];
  pool = &cat->pools[s];
  if (!pool->stopped)
    {
      /* Test information adds up: 1/SE² grows by each item's information. */
      per_item = state->n_items > 0 ? pool->info_sum / state->n_items : 0.2;
      needed = 1.0 / (rule->se_target * rule->se_target) - 1.0 / (state->se * state->se);
      remaining = needed > 0 ? (int) ceil (needed / MAX (per_item, 0.05)) : 0;
      remaining = MAX (remaining, rule->min_items - state->n_items);
      remaining = MIN (remaining, rule->max_items - state->n_items);
      remaining = MIN (MAX (remaining, 0), state->n_available);
    }
  /* Planned pretest items that fit in a test of that length. */
  total = state->n_items + state->n_pretest + remaining;
  for (int k = state->n_pretest; k < pool->n_pretest_planned; k++)
    if (k + 1 <= RS_CAT_PRETEST_MAX_SHARE * (total + pretest + 1) + 1e-9)
      pretest++;
  return MIN (remaining + pretest, state->n_available);
}
