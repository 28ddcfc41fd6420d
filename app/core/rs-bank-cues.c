/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The cue audit (see rs-bank-cues.h). Written here rather than taken from a
 * library: the features are a few word lists and counts, and the classifier
 * is a twelve-feature logistic regression fitted by Newton's method, which no
 * Debian C library offers in a form smaller than this file. */
#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "rs-bank-audit.h"
#include "rs-bank-cues.h"


#define MAX_OPTIONS RS_ITEM_MAX_OPTIONS
#define N_FOLDS 10
/* Ridge penalty of the classifier: enough to keep the fit finite when a
 * feature separates the keys perfectly, small enough not to hide a cue. */
#define RIDGE 1.0

/* Surface features of an option: what a test-wise reader can see without
 * understanding the content. */
enum {
  F_LENGTH,          /* characters, as a z-score within the item */
  F_CLAUSES,         /* z-score within the item */
  F_LONGEST,
  F_SHORTEST,
  F_JUSTIFIED,
  F_QUESTION,
  F_OPENER,
  F_ABSOLUTE,
  F_HEDGED,
  F_CONVERGENT,      /* z-score within the item */
  F_STEM_OVERLAP,    /* z-score within the item */
  F_BIAS,            /* constant 1: only the multi-select (binary) model uses it */
  N_FEATURES,
};

typedef struct {
  int n;                          /* options */
  gboolean best[MAX_OPTIONS];     /* keyed (single, multi) or top-scored (scenario) */
  int n_best;
  double raw[MAX_OPTIONS][N_FEATURES];   /* as measured */
  double x[MAX_OPTIONS][N_FEATURES];     /* standardized for the classifier */
} Sample;

G_STATIC_ASSERT (N_FEATURES == RS_CUE_N_FEATURES);

/* Shown by `reskill validate --cues`: the surface features of an option... */
static const char *const feature_names[N_FEATURES] = {
  N_("length"), N_("clauses"), N_("longest"), N_("shortest"), N_("gives a reason"), N_("asks"), N_("soft opener"),
  N_("absolute word"), N_("hedged"), N_("like the others"), N_("like the stem"), N_("intercept"),
};

const char *
rs_cue_feature_name (int feature)
{
  return feature >= 0 && feature < N_FEATURES ? _(feature_names[feature]) : "?";
}

/* ... and the strategies that pick an option by them. */
static const char *const cue_names[RS_N_CUES] = {
  N_("longest"), N_("shortest excluded"), N_("most clauses"), N_("fewest clauses"), N_("gives a reason"),
  N_("gives no reason"), N_("asks a question"), N_("asks nothing"), N_("soft opener"), N_("no soft opener"),
  N_("absolute word"), N_("no absolute word"), N_("hedged"), N_("unhedged"), N_("most like the others"),
  N_("most like the stem"), N_("surface classifier (10-fold)"),
};

const char *
rs_cue_name (RsCue cue)
{
  return cue >= 0 && cue < RS_N_CUES ? _(cue_names[cue]) : "?";
}

static const char *const justification_words[] = {
  "because", "since", "otherwise", "therefore", "hence", NULL
};
/* Two-word reasons: "so that", "in order to", ... */
static const char *const justification_pairs[][2] = {
  { "so", "that" }, { "so", "they" }, { "so", "you" }, { "so", "we" }, { "so", "it" },
  { "so", "the" }, { "order", "to" }, { "given", "that" }, { "which", "means" },
  { "to", "avoid" }, { "to", "ensure" }, { "to", "make" },
};
static const char *const question_words[] = { "ask", "asks", "asked", "asking", NULL };
static const char *const opener_words[] = {
  "ask", "thank", "thanks", "acknowledge", "listen", "apologise", "apologize", NULL
};
static const char *const absolute_words[] = {
  "always", "never", "cannot", "can't", "only", "guarantee", "guarantees", "guaranteed",
  "must", "none", "every", "impossible", "certainly", "completely", "entirely", NULL
};
static const char *const hedge_words[] = {
  "usually", "may", "might", "often", "typically", "likely", "generally", "sometimes",
  "tend", "tends", "probably", "mostly", "rarely", NULL
};
static const char *const clause_words[] = { "and", "then", "but", NULL };

static gboolean
in_list (const char *word, const char *const *list)
{
  for (int i = 0; list[i] != NULL; i++)
    if (strcmp (word, list[i]) == 0)
      return TRUE;
  return FALSE;
}

/* Lower-cased words: runs of letters, digits, apostrophes and any non-ASCII
 * byte (so "naïve" stays one word). */
static GPtrArray *
words_of (const char *text)
{
  GPtrArray *words = g_ptr_array_new_with_free_func (g_free);
  GString *word = g_string_new (NULL);

  for (const char *p = text ? text : "";; p++)
    {
      unsigned char c = (unsigned char) *p;
      if (c != '\0' && (g_ascii_isalnum (c) || c == '\'' || c >= 0x80))
        {
          g_string_append_c (word, g_ascii_tolower (c));
          continue;
        }
      if (word->len > 0)
        g_ptr_array_add (words, g_strdup (word->str));
      g_string_truncate (word, 0);
      if (c == '\0')
        break;
    }
  g_string_free (word, TRUE);
  return words;
}

static GHashTable *
word_set (GPtrArray *words)
{
  GHashTable *set = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < words->len; i++)
    g_hash_table_add (set, g_ptr_array_index (words, i));
  return set;
}

static gboolean
has_word (GPtrArray *words, const char *const *list)
{
  for (guint i = 0; i < words->len; i++)
    if (in_list (g_ptr_array_index (words, i), list))
      return TRUE;
  return FALSE;
}

static gboolean
is_justified (GPtrArray *words)
{
  if (has_word (words, justification_words))
    return TRUE;
  for (guint i = 0; i + 1 < words->len; i++)
    for (guint k = 0; k < G_N_ELEMENTS (justification_pairs); k++)
      if (strcmp (g_ptr_array_index (words, i), justification_pairs[k][0]) == 0
          && strcmp (g_ptr_array_index (words, i + 1), justification_pairs[k][1]) == 0)
        return TRUE;
  return FALSE;
}

static int
count_clauses (const char *text, GPtrArray *words)
{
  int n = 0;
  for (const char *p = text; *p; p++)
    n += *p == ',' || *p == ';';
  for (guint i = 0; i < words->len; i++)
    n += in_list (g_ptr_array_index (words, i), clause_words);
  return n;
}

static void
standardize (Sample *s, int f)
{
  double mean = 0, var = 0;
  for (int j = 0; j < s->n; j++)
    mean += s->raw[j][f];
  mean /= s->n;
  for (int j = 0; j < s->n; j++)
    var += (s->raw[j][f] - mean) * (s->raw[j][f] - mean);
  var /= s->n;
  for (int j = 0; j < s->n; j++)
    s->x[j][f] = var > 1e-12 ? (s->raw[j][f] - mean) / sqrt (var) : 0.0;
}

static void
sample_init (Sample *s, const RsItem *item)
{
  g_autoptr (GPtrArray) stem_words = words_of (item->stem);
  g_autoptr (GHashTable) stem_set = word_set (stem_words);
  GPtrArray *words[MAX_OPTIONS];
  GHashTable *sets[MAX_OPTIONS];
  int top = 0;
  double longest = -1, shortest = G_MAXDOUBLE;

  memset (s, 0, sizeof *s);
  s->n = item->n_options;
  for (int j = 0; j < s->n; j++)
    top = MAX (top, item->options[j].score);
  for (int j = 0; j < s->n; j++)
    {
      const char *text = item->options[j].text;
      s->best[j] = item->options[j].score == top && top > 0;
      s->n_best += s->best[j];
      words[j] = words_of (text);
      sets[j] = word_set (words[j]);
      s->raw[j][F_LENGTH] = g_utf8_strlen (text, -1);
      s->raw[j][F_CLAUSES] = count_clauses (text, words[j]);
      s->raw[j][F_JUSTIFIED] = is_justified (words[j]);
      s->raw[j][F_QUESTION] = strchr (text, '?') != NULL || has_word (words[j], question_words);
      s->raw[j][F_OPENER] = words[j]->len > 0 && in_list (g_ptr_array_index (words[j], 0), opener_words);
      s->raw[j][F_ABSOLUTE] = has_word (words[j], absolute_words);
      s->raw[j][F_HEDGED] = has_word (words[j], hedge_words);
      s->raw[j][F_STEM_OVERLAP] = rs_jaccard (sets[j], stem_set);
      s->raw[j][F_BIAS] = 1.0;
      longest = MAX (longest, s->raw[j][F_LENGTH]);
      shortest = MIN (shortest, s->raw[j][F_LENGTH]);
    }
  for (int j = 0; j < s->n; j++)
    {
      double sum = 0;
      for (int k = 0; k < s->n; k++)
        if (k != j)
          sum += rs_jaccard (sets[j], sets[k]);
      s->raw[j][F_CONVERGENT] = s->n > 1 ? sum / (s->n - 1) : 0;
      /* Only a strict longest or shortest is a visible cue. */
      s->raw[j][F_LONGEST] = longest > shortest && s->raw[j][F_LENGTH] == longest;
      s->raw[j][F_SHORTEST] = longest > shortest && s->raw[j][F_LENGTH] == shortest;
    }
  for (int j = 0; j < s->n; j++)
    {
      g_hash_table_unref (sets[j]);
      g_ptr_array_unref (words[j]);
      memcpy (s->x[j], s->raw[j], sizeof s->x[j]);
    }
  standardize (s, F_LENGTH);
  standardize (s, F_CLAUSES);
  standardize (s, F_CONVERGENT);
  standardize (s, F_STEM_OVERLAP);
}

/* The expected score of ticking the `pick` options a strategy ranks highest,
 * ties broken at random: every choice consistent with the ranking is equally
 * likely, so average over them. With pick = 1 and pick-one scoring this is
 * the chance that the strategy lands on a best option. Multi-select items
 * are scored as the quiz scores them: right ticks minus wrong ticks, never
 * below zero, over the number of right options. */
static double
expected_score (const Sample *s, const double *rank, int pick, gboolean multi)
{
  double total = 0;
  int n_valid = 0;

  pick = CLAMP (pick, 1, s->n);
  for (guint32 set = 0; set < (1u << s->n); set++)
    {
      double lowest_in = G_MAXDOUBLE, highest_out = -G_MAXDOUBLE;
      int right = 0, wrong = 0;

      if (__builtin_popcount (set) != pick)
        continue;
      for (int j = 0; j < s->n; j++)
        if (set & (1u << j))
          lowest_in = MIN (lowest_in, rank[j]);
        else
          highest_out = MAX (highest_out, rank[j]);
      if (highest_out > lowest_in)
        continue;
      for (int j = 0; j < s->n; j++)
        if (set & (1u << j))
          {
            right += s->best[j];
            wrong += !s->best[j];
          }
      n_valid++;
      if (multi)
        total += s->n_best > 0 ? MAX (0, right - wrong) / (double) s->n_best : 0;
      else
        total += right > 0;
    }
  return n_valid > 0 ? total / n_valid : 0;
}

/* The ranking a simple strategy applies to an item's options. */
static void
strategy_rank (const Sample *s, RsCue cue, double *rank)
{
  for (int j = 0; j < s->n; j++)
    {
      const double *f = s->raw[j];
      switch (cue)
        {
        case RS_CUE_LONGEST: rank[j] = f[F_LENGTH]; break;
        case RS_CUE_SHORTEST_EXCLUDED: rank[j] = !f[F_SHORTEST]; break;
        case RS_CUE_MOST_CLAUSES: rank[j] = f[F_CLAUSES]; break;
        case RS_CUE_FEWEST_CLAUSES: rank[j] = -f[F_CLAUSES]; break;
        case RS_CUE_JUSTIFIED: rank[j] = f[F_JUSTIFIED]; break;
        case RS_CUE_UNJUSTIFIED: rank[j] = !f[F_JUSTIFIED]; break;
        case RS_CUE_QUESTION: rank[j] = f[F_QUESTION]; break;
        case RS_CUE_NO_QUESTION: rank[j] = !f[F_QUESTION]; break;
        case RS_CUE_OPENER: rank[j] = f[F_OPENER]; break;
        case RS_CUE_NO_OPENER: rank[j] = !f[F_OPENER]; break;
        case RS_CUE_ABSOLUTE: rank[j] = f[F_ABSOLUTE]; break;
        case RS_CUE_NO_ABSOLUTE: rank[j] = !f[F_ABSOLUTE]; break;
        case RS_CUE_HEDGED: rank[j] = f[F_HEDGED]; break;
        case RS_CUE_UNHEDGED: rank[j] = !f[F_HEDGED]; break;
        case RS_CUE_CONVERGENT: rank[j] = f[F_CONVERGENT]; break;
        case RS_CUE_STEM_OVERLAP: rank[j] = f[F_STEM_OVERLAP]; break;
        case RS_CUE_CLASSIFIER:
        case RS_N_CUES:
        default: rank[j] = 0; break;
        }
    }
}

/* Solves A x = b for a small symmetric positive definite A (Cholesky). */
static gboolean
solve_spd (double a[N_FEATURES][N_FEATURES], const double *b, double *x, int n)
{
  double l[N_FEATURES][N_FEATURES] = { { 0 } }, y[N_FEATURES];

  for (int i = 0; i < n; i++)
    for (int j = 0; j <= i; j++)
      {
        double sum = a[i][j];
        for (int k = 0; k < j; k++)
          sum -= l[i][k] * l[j][k];
        if (i == j)
          {
            if (sum <= 0)
              return FALSE;
            l[i][i] = sqrt (sum);
          }
        else
          l[i][j] = sum / l[j][j];
      }
  for (int i = 0; i < n; i++)
    {
      double sum = b[i];
      for (int k = 0; k < i; k++)
        sum -= l[i][k] * y[k];
      y[i] = sum / l[i][i];
    }
  for (int i = n - 1; i >= 0; i--)
    {
      double sum = y[i];
      for (int k = i + 1; k < n; k++)
        sum -= l[k][i] * x[k];
      x[i] = sum / l[i][i];
    }
  return TRUE;
}

static double
dot (const double *w, const double *x, int n)
{
  double sum = 0;
  for (int f = 0; f < n; f++)
    sum += w[f] * x[f];
  return sum;
}

/* Fits the classifier on the samples whose fold is not `held_out`. Pick-one
 * items get a conditional logit (a softmax over the item's options, the
 * target spread evenly over its best options); multi-select items a binary
 * logit per option, with an intercept. Ridge-penalised Newton steps. */
static void
fit (const Sample *samples, int n_samples, int held_out, gboolean multi, double *w)
{
  int n_f = multi ? N_FEATURES : N_FEATURES - 1;

  memset (w, 0, sizeof (double) * N_FEATURES);
  for (int iteration = 0; iteration < 25; iteration++)
    {
      double grad[N_FEATURES] = { 0 }, hess[N_FEATURES][N_FEATURES] = { { 0 } }, step[N_FEATURES];
      double change = 0;

      for (int i = 0; i < n_samples; i++)
        {
          const Sample *s = &samples[i];
          if (i % N_FOLDS == held_out)
            continue;
          if (multi)
            for (int j = 0; j < s->n; j++)
              {
                double p = 1.0 / (1.0 + exp (-dot (w, s->x[j], n_f)));
                for (int f = 0; f < n_f; f++)
                  {
                    grad[f] += (s->best[j] - p) * s->x[j][f];
                    for (int g = 0; g < n_f; g++)
                      hess[f][g] += p * (1 - p) * s->x[j][f] * s->x[j][g];
                  }
              }
          else
            {
              double p[MAX_OPTIONS], mean[N_FEATURES] = { 0 }, z = 0, top = -G_MAXDOUBLE;
              for (int j = 0; j < s->n; j++)
                top = MAX (top, dot (w, s->x[j], n_f));
              for (int j = 0; j < s->n; j++)
                z += p[j] = exp (dot (w, s->x[j], n_f) - top);
              for (int j = 0; j < s->n; j++)
                {
                  p[j] /= z;
                  for (int f = 0; f < n_f; f++)
                    mean[f] += p[j] * s->x[j][f];
                }
              for (int j = 0; j < s->n; j++)
                {
                  double target = s->best[j] ? 1.0 / s->n_best : 0.0;
                  for (int f = 0; f < n_f; f++)
                    {
                      grad[f] += (target - p[j]) * s->x[j][f];
                      for (int g = 0; g < n_f; g++)
                        hess[f][g] += p[j] * (s->x[j][f] - mean[f]) * (s->x[j][g] - mean[g]);
                    }
                }
            }
        }
      for (int f = 0; f < n_f; f++)
        {
          grad[f] -= RIDGE * w[f];
          hess[f][f] += RIDGE;
        }
      if (!solve_spd (hess, grad, step, n_f))
        break;
      for (int f = 0; f < n_f; f++)
        {
          w[f] += step[f];
          change = MAX (change, fabs (step[f]));
        }
      if (change < 1e-8)
        break;
    }
}

static double
classifier_hit_rate (const Sample *samples, int n_samples, int pick, gboolean multi)
{
  double total = 0;
  int n_f = multi ? N_FEATURES : N_FEATURES - 1;

  if (n_samples < 2)
    return 0;
  for (int fold = 0; fold < MIN (N_FOLDS, n_samples); fold++)
    {
      double w[N_FEATURES];
      fit (samples, n_samples, fold, multi, w);
      for (int i = fold; i < n_samples; i += N_FOLDS)
        {
          double rank[MAX_OPTIONS];
          for (int j = 0; j < samples[i].n; j++)
            rank[j] = dot (w, samples[i].x[j], n_f);
          total += expected_score (&samples[i], rank, multi ? pick : 1, multi);
        }
    }
  return total / n_samples;
}

static void
audit_group (const RsBank *bank, RsSkill skill, RsItemType type, GArray *rows)
{
  const GPtrArray *items = rs_bank_skill_items (bank, skill);
  g_autofree Sample *samples = g_new0 (Sample, items->len ? items->len : 1);
  gboolean multi = type == RS_ITEM_MULTI;
  RsCueRow row = { .skill = skill, .type = type };
  int key_counts[MAX_OPTIONS + 1] = { 0 };
  int n = 0;

  for (guint i = 0; i < items->len; i++)
    {
      const RsItem *item = g_ptr_array_index (items, i);
      if (item->type != type || item->n_options < 2)
        continue;
      sample_init (&samples[n], item);
      key_counts[samples[n].n_best]++;
      n++;
    }
  if (n == 0)
    return;
  row.n_items = n;
  for (int k = 1; k <= MAX_OPTIONS; k++)
    if (key_counts[k] > key_counts[row.modal_keys])
      row.modal_keys = k;
  row.modal_share = (double) key_counts[row.modal_keys] / n;

  for (int i = 0; i < n; i++)
    {
      const Sample *s = &samples[i];
      double flat[MAX_OPTIONS] = { 0 };
      int pick = multi ? row.modal_keys : 1;

      row.chance += expected_score (s, flat, pick, multi);
      for (int c = 0; c < RS_CUE_CLASSIFIER; c++)
        {
          double rank[MAX_OPTIONS];
          strategy_rank (s, (RsCue) c, rank);
          row.hit[c] += expected_score (s, rank, pick, multi);
        }
    }
  row.chance /= n;
  for (int c = 0; c < RS_CUE_CLASSIFIER; c++)
    row.hit[c] /= n;
  row.hit[RS_CUE_CLASSIFIER] = classifier_hit_rate (samples, n, row.modal_keys, multi);
  /* No item's fold is N_FOLDS: this fit sees them all. */
  fit (samples, n, N_FOLDS, multi, row.weight);
  g_array_append_val (rows, row);
}

GArray *
rs_bank_cue_audit (const RsBank *bank)
{
  GArray *rows = g_array_new (FALSE, TRUE, sizeof (RsCueRow));
  const RsItemType types[] = { RS_ITEM_SINGLE, RS_ITEM_MULTI, RS_ITEM_SCENARIO };

  for (int s = 0; s < RS_N_SKILLS; s++)
    for (guint t = 0; t < G_N_ELEMENTS (types); t++)
      audit_group (bank, (RsSkill) s, types[t], rows);
  return rows;
}

gboolean
rs_cue_row_flagged (const RsCueRow *row, RsCue *worst)
{
  RsCue top = RS_CUE_LONGEST;

  for (int c = 1; c < RS_N_CUES; c++)
    if (row->hit[c] > row->hit[top])
      top = (RsCue) c;
  if (worst != NULL)
    *worst = top;
  return row->n_items >= RS_CUE_MIN_ITEMS && row->hit[top] > row->chance + RS_CUE_MAX_EXCESS;
}

GPtrArray *
rs_bank_cue_problems (const RsBank *bank)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) rs_diagnostic_free);
  g_autoptr (GArray) rows = rs_bank_cue_audit (bank);

  for (guint i = 0; i < rows->len; i++)
    {
      const RsCueRow *row = &g_array_index (rows, RsCueRow, i);
      const GPtrArray *items = rs_bank_skill_items (bank, row->skill);
      g_autofree char *folder = g_path_get_dirname (((const RsItem *) g_ptr_array_index (items, 0))->file);
      RsCue worst;

      if (rs_cue_row_flagged (row, &worst))
        /* Translators: a skill id and an item type id, then a strategy, for
         * example "python single items can be answered without the skill:
         * 'longest' finds the key in 45% (chance 25%, allowed 35%)...". */
        g_ptr_array_add (out, rs_diagnostic_new (folder, 0,
            _("%s %s items can be answered without the skill: '%s' finds the key in %.0f%% "
              "(chance %.0f%%, allowed %.0f%%); see reskill validate --cues"),
            rs_skill_id (row->skill), rs_item_type_name (row->type), rs_cue_name (worst),
            100 * row->hit[worst], 100 * row->chance, 100 * (row->chance + RS_CUE_MAX_EXCESS)));
      /* A guesser who learns "it is usually three" ticks three every time. */
      if (row->type == RS_ITEM_MULTI && row->n_items >= 10 && row->modal_share > 0.5)
        g_ptr_array_add (out, rs_diagnostic_new (folder, 0,
            g_dngettext (GETTEXT_PACKAGE, "%s: %.0f%% of multi-select items have exactly %d right option; vary the number",
                         "%s: %.0f%% of multi-select items have exactly %d right options; vary the number",
                         (gulong) row->modal_keys),
            rs_skill_id (row->skill), 100 * row->modal_share, row->modal_keys));
    }
  return out;
}
