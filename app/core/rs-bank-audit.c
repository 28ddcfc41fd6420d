/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n-lib.h>
#include <stdarg.h>
#include <string.h>

#include "rs-bank-audit.h"


#define report(out, file, line, ...) g_ptr_array_add ((out), rs_diagnostic_new ((file), (line), __VA_ARGS__))

/* Word pairs of lower-cased alphanumeric runs: a set that ignores spacing,
 * punctuation and case but keeps word order locally. */
static GHashTable *
shingles (const RsItem *item)
{
  GHashTable *set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *text = g_strconcat (item->stem, " ", item->code ? item->code : "", NULL);
  g_autofree char *previous = NULL;
  GString *word = g_string_new (NULL);

  for (const char *p = text;; p++)
    {
      if (*p != '\0' && g_ascii_isalnum (*p))
        {
          g_string_append_c (word, g_ascii_tolower (*p));
          continue;
        }
      if (word->len > 0)
        {
          if (previous != NULL)
            g_hash_table_add (set, g_strconcat (previous, " ", word->str, NULL));
          g_free (previous);
          previous = g_strdup (word->str);
          g_string_truncate (word, 0);
        }
      if (*p == '\0')
        break;
    }
  /* A one-word text still needs a shingle to compare. */
  if (g_hash_table_size (set) == 0 && previous != NULL)
    g_hash_table_add (set, g_strdup (previous));
  g_string_free (word, TRUE);
  return set;
}

double
rs_jaccard (GHashTable *a, GHashTable *b)
{
  GHashTableIter iter;
  gpointer key;
  guint shared = 0, total;

  g_hash_table_iter_init (&iter, a);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    shared += g_hash_table_contains (b, key);
  total = g_hash_table_size (a) + g_hash_table_size (b) - shared;
  return total > 0 ? (double) shared / total : 0.0;
}

double
rs_bank_audit_similarity (const RsItem *a, const RsItem *b)
{
  g_autoptr (GHashTable) sa = shingles (a);
  g_autoptr (GHashTable) sb = shingles (b);
  return rs_jaccard (sa, sb);
}

/* The position of the right (or best) option; -1 for numeric and multi. */
static int
key_position (const RsItem *item)
{
  int best = -1;

  if (item->type != RS_ITEM_SINGLE && item->type != RS_ITEM_SCENARIO)
    return -1;
  for (int i = 0; i < item->n_options; i++)
    if (best < 0 || item->options[i].score > item->options[best].score)
      best = i;
  return best;
}

static void
audit_skill (const RsBank *bank, RsSkill skill, guint32 today, GPtrArray *out)
{
  const GPtrArray *items = rs_bank_skill_items (bank, skill);
  g_autoptr (GHashTable) subtopics = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GPtrArray) sets = g_ptr_array_new_with_free_func ((GDestroyNotify) g_hash_table_unref);
  g_autofree char *folder = NULL;
  int levels[6] = { 0 }, keys[RS_ITEM_MAX_OPTIONS] = { 0 }, keyed = 0;
  GHashTableIter iter;
  gpointer name, count;

  if (items->len == 0)
    {
      report (out, rs_skill_id (skill), 0, _("no items for this skill"));
      return;
    }
  folder = g_path_get_dirname (((const RsItem *) g_ptr_array_index (items, 0))->file);

  for (guint i = 0; i < items->len; i++)
    {
      const RsItem *item = g_ptr_array_index (items, i);
      int position = key_position (item);

      g_hash_table_insert (subtopics, item->subtopic,
                           GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (subtopics, item->subtopic)) + 1));
      levels[CLAMP (item->level, 1, 5)]++;
      if (position >= 0)
        {
          keys[position]++;
          keyed++;
        }
      g_ptr_array_add (sets, shingles (item));
    }

  if (items->len < RS_AUDIT_MIN_ITEMS_PER_SKILL)
    report (out, folder, 0,
            g_dngettext (GETTEXT_PACKAGE, "%s has %u item; a dependable adaptive test needs at least %d",
                         "%s has %u items; a dependable adaptive test needs at least %d", items->len),
            rs_skill_id (skill), items->len, RS_AUDIT_MIN_ITEMS_PER_SKILL);
  if (g_hash_table_size (subtopics) < RS_AUDIT_MIN_SUBTOPICS)
    report (out, folder, 0,
            g_dngettext (GETTEXT_PACKAGE, "%s covers %u subtopic; at least %d are wanted",
                         "%s covers %u subtopics; at least %d are wanted", g_hash_table_size (subtopics)),
            rs_skill_id (skill), g_hash_table_size (subtopics), RS_AUDIT_MIN_SUBTOPICS);
  g_hash_table_iter_init (&iter, subtopics);
  while (g_hash_table_iter_next (&iter, &name, &count))
    if (!rs_bank_subtopic_has_title (bank, skill, name))
      report (out, folder, 0, _("%s subtopic '%s' has no title: give its file a 'title:' people can read"),
              rs_skill_id (skill), (const char *) name);
  g_hash_table_iter_init (&iter, subtopics);
  while (g_hash_table_iter_next (&iter, &name, &count))
    if (GPOINTER_TO_INT (count) < RS_AUDIT_MIN_SUBTOPIC_ITEMS)
      report (out, folder, 0,
              g_dngettext (GETTEXT_PACKAGE, "%s subtopic '%s' has %d item; at least %d are wanted",
                           "%s subtopic '%s' has %d items; at least %d are wanted", GPOINTER_TO_UINT (count)),
              rs_skill_id (skill), (const char *) name, GPOINTER_TO_INT (count),
              RS_AUDIT_MIN_SUBTOPIC_ITEMS);
  for (int l = 1; l <= 5; l++)
    if (levels[l] < RS_AUDIT_MIN_LEVEL_SHARE * items->len)
      report (out, folder, 0,
              g_dngettext (GETTEXT_PACKAGE, "%s level %d has %d of %u item, under %.0f%%",
                           "%s level %d has %d of %u items, under %.0f%%", items->len),
              rs_skill_id (skill), l, levels[l], items->len, 100 * RS_AUDIT_MIN_LEVEL_SHARE);
  /* Key balance means something only with enough items to count. */
  if (keyed >= 10)
    for (int k = 0; k < RS_ITEM_MAX_OPTIONS; k++)
      if (keys[k] > RS_AUDIT_MAX_KEY_SHARE * keyed)
        report (out, folder, 0,
                g_dngettext (GETTEXT_PACKAGE, "%s: the right option is %c in %d of %d item, over %.0f%%",
                             "%s: the right option is %c in %d of %d items, over %.0f%%", (gulong) keyed),
                rs_skill_id (skill), 'A' + k, keys[k], keyed, 100 * RS_AUDIT_MAX_KEY_SHARE);

  for (guint i = 0; i < items->len; i++)
    {
      const RsItem *item = g_ptr_array_index (items, i);
      if (item->reviewed != 0 && item->reviewed + RS_AUDIT_REVIEW_MAX_DAYS < today)
        report (out, item->file, item->line,
                g_dngettext (GETTEXT_PACKAGE,
                             "item %s was last reviewed %u day ago; check it against current practice and update 'reviewed'",
                             "item %s was last reviewed %u days ago; check it against current practice and update 'reviewed'",
                             today - item->reviewed),
                item->id, today - item->reviewed);
    }

  for (guint i = 0; i < items->len; i++)
    for (guint j = 0; j < i; j++)
      {
        const RsItem *a = g_ptr_array_index (items, i);
        const RsItem *b = g_ptr_array_index (items, j);
        double similarity = rs_jaccard (g_ptr_array_index (sets, i), g_ptr_array_index (sets, j));
        if (similarity >= RS_AUDIT_NEAR_DUPLICATE)
          report (out, a->file, a->line, _("item %s nearly repeats %s (%s:%d), %.0f%% alike"),
                  a->id, b->id, b->file, b->line, 100 * similarity);
      }
}

GPtrArray *
rs_bank_audit (const RsBank *bank)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) rs_diagnostic_free);
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, g_date_time_get_day_of_month (now), g_date_time_get_month (now),
                  g_date_time_get_year (now));
  for (int s = 0; s < RS_N_SKILLS; s++)
    audit_skill (bank, (RsSkill) s, g_date_get_julian (&date), out);
  return out;
}
