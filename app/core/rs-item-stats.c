/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Item statistics in one pass over the responses.
 *
 * Why the aggregation is in C and not in SQL: the rest score needs each
 * attempt's per-skill total next to each response, and SQLite can only get
 * that by sorting all responses by (attempt, skill) and again by item
 * (window function or a joined GROUP BY). Measured on a 1000-person demo
 * (20 000 attempts, 717 000 responses), the best SQL forms took 3.0 to 4.9 s;
 * reading the responses once in primary-key order (already grouped by
 * attempt, no sort) and summing here takes about a tenth of that. SQL still
 * does the filtering and ordering; only the sums are here. */
#include "rs-item-stats.h"

#include "rs-i18n.h"

#include <math.h>
#include <string.h>

#include "rs-access.h"
#include "rs-error.h"
#include "rs-store-private.h"

void
rs_item_stats_options_init (RsItemStatsOptions *options)
{
  options->exposure_cap = RS_ITEM_STATS_EXPOSURE_CAP;
  options->min_responses = RS_ITEM_STATS_MIN_RESPONSES;
}

void
rs_item_stat_free (RsItemStat *stat)
{
  if (stat == NULL)
    return;
  g_free (stat->item_id);
  g_free (stat);
}

/* Sums for one item. x: the item's score, y: the rest score; only over
 * finished attempts. Integer sums are exact. */
typedef struct {
  RsItemStat *stat;
  double sum_facility;
  gint64 sum_time_ms;
  gint64 last_attempt;       /* serial of the last attempt counted in n_attempts */
  gint64 n, sx, sy, sxy, sxx, syy;
} ItemSums;

typedef struct {
  ItemSums *item;
  RsSkill skill;
  int score;
} Pending;

/* Adds one attempt's responses, now that its per-skill totals are known. */
static void
flush_attempt (GArray *pending, gboolean finished)
{
  gint64 totals[RS_N_SKILLS] = { 0 };

  for (guint i = 0; i < pending->len; i++)
    {
      const Pending *p = &g_array_index (pending, Pending, i);
      totals[p->skill] += p->score;
    }
  for (guint i = 0; finished && i < pending->len; i++)
    {
      const Pending *p = &g_array_index (pending, Pending, i);
      ItemSums *s = p->item;
      gint64 x = p->score, y = totals[p->skill] - p->score;

      s->n++;
      s->sx += x;
      s->sy += y;
      s->sxy += x * y;
      s->sxx += x * x;
      s->syy += y * y;
    }
  g_array_set_size (pending, 0);
}

/* Pearson's r from the sums; NAN when undefined. */
static double
pearson (const ItemSums *s)
{
  double n = (double) s->n;
  double cov = n * (double) s->sxy - (double) s->sx * (double) s->sy;
  double vx = n * (double) s->sxx - (double) s->sx * (double) s->sx;
  double vy = n * (double) s->syy - (double) s->sy * (double) s->sy;

  if (s->n < 2 || vx <= 0 || vy <= 0)
    return NAN;
  return cov / sqrt (vx * vy);
}

/* Unfinished attempts (their responses count for facility and exposure,
 * not for discrimination) and how many attempts covered each skill. */
static gboolean
read_attempts_tx (RsStore *store, GHashTable *unfinished, int skill_attempts[RS_N_SKILLS], GError **error)
{
  g_autoptr (RsStoreStmt) stmt = rs_store_query (store, error, "SELECT uuid, status, skills FROM attempts", "");
  int rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = rs_store_step (store, stmt, error)) == SQLITE_ROW)
    {
      g_auto (GStrv) skills = g_strsplit ((const char *) sqlite3_column_text (stmt, 2), ",", -1);

      if (g_strcmp0 ((const char *) sqlite3_column_text (stmt, 1), "finished") != 0)
        g_hash_table_add (unfinished, rs_store_column_strdup (stmt, 0));
      for (int i = 0; skills[i] != NULL; i++)
        {
          RsSkill skill = rs_skill_from_id (skills[i]);
          if (skill != RS_SKILL_INVALID)
            skill_attempts[skill]++;
        }
    }
  return rc == SQLITE_DONE;
}

static void
item_sums_free (gpointer data)
{
  ItemSums *s = data;

  rs_item_stat_free (s->stat);
  g_free (s);
}

/* The skill of a response row: a switch on the first letter, then one
 * comparison; rs_skill_from_id's case-insensitive search of every id cost
 * a twentieth of the scan at 10,000 people. */
static RsSkill
skill_of (const char *id)
{
  RsSkill skill;

  switch (id != NULL ? id[0] : '\0')
    {
    case 'p':
      skill = RS_SKILL_PYTHON;
      break;
    case 's':
      skill = RS_SKILL_STATISTICS;
      break;
    case 'm':
      skill = RS_SKILL_ML;
      break;
    case 'e':
      skill = RS_SKILL_EMPATHY;
      break;
    default:
      return RS_SKILL_INVALID;
    }
  return strcmp (id, rs_skill_id (skill)) == 0 ? skill : RS_SKILL_INVALID;
}

/* The running sums of one scan of response rows, in primary-key order. */
typedef struct {
  GHashTable *unfinished;    /* shared, read only */
  GHashTable *items;         /* item id → ItemSums *, this scan's own */
  GArray *pending;
  char *attempt;
  gboolean finished;
  gint64 serial;
} Scan;

static void
scan_init (Scan *scan, GHashTable *unfinished, GHashTable *items)
{
  *scan = (Scan) { .unfinished = unfinished, .items = items };
  scan->pending = g_array_new (FALSE, FALSE, sizeof (Pending));
}

static void
scan_finish (Scan *scan)
{
  flush_attempt (scan->pending, scan->finished);
  g_array_unref (scan->pending);
  g_free (scan->attempt);
}

/* One row of "attempt_id, item_id, skill, score, max_score, time_ms";
 * FALSE when it cannot be (the schema's CHECKs make that a damaged file). */
static gboolean
scan_row (Scan *scan, sqlite3_stmt *stmt)
{
  const char *attempt_id = (const char *) sqlite3_column_text (stmt, 0);
  const char *item_id = (const char *) sqlite3_column_text (stmt, 1);
  RsSkill skill = skill_of ((const char *) sqlite3_column_text (stmt, 2));
  int score = sqlite3_column_int (stmt, 3), max_score = sqlite3_column_int (stmt, 4);
  ItemSums *s;
  Pending p;

  if (skill == RS_SKILL_INVALID || item_id == NULL || attempt_id == NULL)
    return FALSE;
  if (scan->attempt == NULL || strcmp (scan->attempt, attempt_id) != 0)
    {
      flush_attempt (scan->pending, scan->finished);
      g_free (scan->attempt);
      scan->attempt = g_strdup (attempt_id);
      scan->finished = !g_hash_table_contains (scan->unfinished, scan->attempt);
      scan->serial++;
    }
  s = g_hash_table_lookup (scan->items, item_id);
  if (s == NULL)
    {
      s = g_new0 (ItemSums, 1);
      s->stat = g_new0 (RsItemStat, 1);
      s->stat->item_id = g_strdup (item_id);
      s->stat->skill = skill;
      g_hash_table_insert (scan->items, s->stat->item_id, s);
    }
  s->stat->n_shown++;
  s->sum_facility += max_score > 0 ? (double) score / max_score : 0.0;
  s->sum_time_ms += sqlite3_column_int64 (stmt, 5);
  if (s->last_attempt != scan->serial)
    {
      s->stat->n_attempts++;
      s->last_attempt = scan->serial;
    }
  p = (Pending) { s, skill, score };
  g_array_append_val (scan->pending, p);
  return TRUE;
}

static gboolean
sum_responses_tx (RsStore *store, GHashTable *unfinished, GHashTable *items, GError **error)
{
  g_autoptr (RsStoreStmt) stmt = NULL;
  Scan scan;
  gboolean ok = TRUE;
  int rc;

  /* The primary key's order: grouped by attempt with no sort. */
  stmt = rs_store_query (store, error,
                         "SELECT attempt_id, item_id, skill, score, max_score, time_ms FROM responses"
                         " ORDER BY attempt_id, seq", "");
  if (stmt == NULL)
    return FALSE;
  scan_init (&scan, unfinished, items);
  while (ok && (rc = rs_store_step (store, stmt, error)) == SQLITE_ROW)
    if (!scan_row (&scan, stmt))
      {
        rs_store_fail (store, SQLITE_CORRUPT, error);
        ok = FALSE;
      }
  scan_finish (&scan);
  return ok && rc == SQLITE_DONE;
}

/* --- the same scan in two halves, on two threads --- */

/* At 10,000 people the scan reads 7.7 million answers, about 4.5 s of one
 * core; each half is read by a thread through a connection of its own.
 * Both must see the same snapshot as the attempts were read in: the main
 * connection holds the write lock (no commit can come in between) until
 * both halves have begun their read transaction. */
typedef struct {
  const char *path;
  const char *from;          /* attempt_id range [from, to); NULL: open */
  const char *to;
  Scan scan;
  GMutex *lock;
  GCond *started;
  int n_started;
  int *n_started_shared;
  gboolean ok;
  char *message;
} Half;

static gpointer
scan_half (gpointer data)
{
  Half *half = data;
  g_autofree char *escaped = g_uri_escape_string (half->path, "/", TRUE);
  g_autofree char *uri = g_strconcat ("file:", escaped, "?mode=ro", NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_open_v2 (uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_exec (db, "PRAGMA mmap_size = 4294967296; BEGIN; SELECT count(*) FROM meta", NULL, NULL, NULL);
  g_mutex_lock (half->lock);
  (*half->n_started_shared)++;
  g_cond_broadcast (half->started);
  g_mutex_unlock (half->lock);
  if (rc == SQLITE_OK)
    rc = sqlite3_prepare_v2 (db, "SELECT attempt_id, item_id, skill, score, max_score, time_ms FROM responses"
                             " WHERE (?1 IS NULL OR attempt_id >= ?1) AND (?2 IS NULL OR attempt_id < ?2)"
                             " ORDER BY attempt_id, seq", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      if (half->from != NULL)
        sqlite3_bind_text (stmt, 1, half->from, -1, SQLITE_STATIC);
      if (half->to != NULL)
        sqlite3_bind_text (stmt, 2, half->to, -1, SQLITE_STATIC);
      half->ok = TRUE;
      while (half->ok && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
        half->ok = scan_row (&half->scan, stmt);
      if (!half->ok)
        rc = SQLITE_CORRUPT;
      else if (rc == SQLITE_DONE)
        rc = SQLITE_OK;
    }
  if (rc != SQLITE_OK)
    {
      half->ok = FALSE;
      half->message = g_strdup (db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return NULL;
}

static void
merge_items (GHashTable *into, GHashTable *from)
{
  GHashTableIter iter;
  ItemSums *s;

  g_hash_table_iter_init (&iter, from);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &s))
    {
      ItemSums *t = g_hash_table_lookup (into, s->stat->item_id);

      if (t == NULL)
        {
          g_hash_table_iter_steal (&iter);
          g_hash_table_insert (into, s->stat->item_id, s);
          continue;
        }
      /* The halves hold different attempts: every count and sum adds. */
      t->stat->n_shown += s->stat->n_shown;
      t->stat->n_attempts += s->stat->n_attempts;
      t->sum_facility += s->sum_facility;
      t->sum_time_ms += s->sum_time_ms;
      t->n += s->n;
      t->sx += s->sx;
      t->sy += s->sy;
      t->sxy += s->sxy;
      t->sxx += s->sxx;
      t->syy += s->syy;
    }
}

/* Under the store's lock: the attempts, then the two halves. FALSE with
 * *fallback when this database cannot be read that way (in memory, read
 * only): the caller scans on one thread. */
static gboolean
compute_in_halves (RsStore *store, GHashTable *unfinished, int skill_attempts[RS_N_SKILLS], GHashTable *items,
                   gboolean *fallback, GError **error)
{
  g_autofree char *middle = NULL;
  g_autoptr (GHashTable) other = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, item_sums_free);
  GMutex lock;
  GCond started;
  int n_started = 0;
  Half halves[2] = { 0 };
  GThread *threads[2];
  gint64 n_attempts = 0;
  gboolean ok;

  *fallback = g_str_equal (rs_store_path (store), ":memory:") || rs_store_is_read_only (store);
  if (*fallback)
    return FALSE;
  if (!rs_store_begin (store, TRUE, error))
    return FALSE;
  ok = read_attempts_tx (store, unfinished, skill_attempts, error)
       && rs_store_get_int (store, &n_attempts, error, "SELECT count(*) FROM attempts", "")
       && rs_store_get_text (store, &middle, error, "SELECT uuid FROM attempts ORDER BY uuid LIMIT 1 OFFSET ?", "l",
                             n_attempts / 2);
  if (!ok)
    {
      rs_store_end (store, FALSE, NULL);
      return FALSE;
    }
  g_mutex_init (&lock);
  g_cond_init (&started);
  for (int h = 0; h < 2; h++)
    {
      halves[h].path = rs_store_path (store);
      halves[h].from = h == 0 ? NULL : middle;
      halves[h].to = h == 0 ? middle : NULL;
      halves[h].lock = &lock;
      halves[h].started = &started;
      halves[h].n_started_shared = &n_started;
      scan_init (&halves[h].scan, unfinished, h == 0 ? items : other);
      threads[h] = g_thread_new ("item-stats", scan_half, &halves[h]);
    }
  g_mutex_lock (&lock);
  while (n_started < 2)
    g_cond_wait (&started, &lock);
  g_mutex_unlock (&lock);
  /* Both snapshots are taken: writers may go on. */
  rs_store_end (store, FALSE, NULL);
  for (int h = 0; h < 2; h++)
    {
      g_thread_join (threads[h]);
      scan_finish (&halves[h].scan);
    }
  g_mutex_clear (&lock);
  g_cond_clear (&started);
  ok = halves[0].ok && halves[1].ok;
  if (!ok)
    g_set_error (error, RS_ERROR, RS_ERROR_DB, _("%s: the answers cannot be read (%s)."), rs_store_path (store),
                 halves[halves[0].ok ? 1 : 0].message);
  else
    merge_items (items, other);
  g_free (halves[0].message);
  g_free (halves[1].message);
  return ok;
}

guint
rs_item_stats_flags (const RsItemStat *stat, const RsItemStatsOptions *options)
{
  guint flags = 0;

  if (stat->n_shown < options->min_responses)
    flags |= RS_ITEM_FLAG_TOO_FEW;
  else
    {
      if (stat->facility < RS_ITEM_STATS_FACILITY_LOW)
        flags |= RS_ITEM_FLAG_TOO_HARD;
      if (stat->facility > RS_ITEM_STATS_FACILITY_HIGH)
        flags |= RS_ITEM_FLAG_TOO_EASY;
      /* Undefined r with enough responses: the item (or the rest of the
       * test) never varies, so it tells people apart not at all. */
      if (stat->n_discrimination < options->min_responses)
        flags |= RS_ITEM_FLAG_TOO_FEW;
      else if (isnan (stat->discrimination) || stat->discrimination < RS_ITEM_STATS_DISCRIMINATION_LOW)
        flags |= RS_ITEM_FLAG_LOW_DISCRIMINATION;
    }
  if (stat->n_skill_attempts >= options->min_responses && stat->exposure > options->exposure_cap)
    flags |= RS_ITEM_FLAG_OVEREXPOSED;
  return flags;
}

/* The reasons in the reader's language, or in English for the CSV export,
 * which is the same in every language (rs-i18n.h). */
static char *
stat_reasons (const RsItemStat *stat, const RsItemStatsOptions *options, gboolean translate)
{
  g_autoptr (GPtrArray) reasons = g_ptr_array_new_with_free_func (g_free);

  if (stat->flags & RS_ITEM_FLAG_TOO_HARD)
    g_ptr_array_add (reasons, g_strdup_printf (rs_maybe_gettext (translate, "facility %.3f below %.1f"),
                                               stat->facility, RS_ITEM_STATS_FACILITY_LOW));
  if (stat->flags & RS_ITEM_FLAG_TOO_EASY)
    g_ptr_array_add (reasons, g_strdup_printf (rs_maybe_gettext (translate, "facility %.3f above %.1f"),
                                               stat->facility, RS_ITEM_STATS_FACILITY_HIGH));
  if (stat->flags & RS_ITEM_FLAG_LOW_DISCRIMINATION)
    g_ptr_array_add (reasons, isnan (stat->discrimination)
                                ? g_strdup (rs_maybe_gettext (translate, "discrimination undefined: scores never vary"))
                                : g_strdup_printf (rs_maybe_gettext (translate, "discrimination %.3f below %.1f"),
                                                   stat->discrimination, RS_ITEM_STATS_DISCRIMINATION_LOW));
  if (stat->flags & RS_ITEM_FLAG_OVEREXPOSED)
    g_ptr_array_add (reasons, g_strdup_printf (rs_maybe_gettext (translate, "exposure %.3f above %.2f"),
                                               stat->exposure, options->exposure_cap));
  if (stat->flags & RS_ITEM_FLAG_TOO_FEW)
    g_ptr_array_add (reasons, g_strdup_printf (rs_maybe_gettext (translate, "too few responses (fewer than %d)"),
                                               options->min_responses));
  g_ptr_array_add (reasons, NULL);
  return g_strjoinv ("; ", (char **) reasons->pdata);
}

char *
rs_item_stat_reasons (const RsItemStat *stat, const RsItemStatsOptions *options)
{
  return stat_reasons (stat, options, TRUE);
}

char *
rs_item_stat_reasons_untranslated (const RsItemStat *stat, const RsItemStatsOptions *options)
{
  return stat_reasons (stat, options, FALSE);
}

char *
rs_item_stat_flag_ids (guint flags)
{
  static const char *const ids[] = { "too-hard", "too-easy", "low-discrimination", "overexposed", "too-few" };
  g_autoptr (GString) text = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    if (flags & (1u << i))
      g_string_append_printf (text, "%s%s", text->len > 0 ? ";" : "", ids[i]);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static int
rank (guint flags)
{
  if (flags & RS_ITEM_FLAGS_REVIEW)
    return 0;
  return flags & RS_ITEM_FLAG_TOO_FEW ? 1 : 2;
}

static gint
compare_stats (gconstpointer a, gconstpointer b)
{
  const RsItemStat *x = *(const RsItemStat *const *) a, *y = *(const RsItemStat *const *) b;
  int nx = 0, ny = 0;

  if (rank (x->flags) != rank (y->flags))
    return rank (x->flags) - rank (y->flags);
  /* Most reasons first. */
  for (guint f = x->flags & RS_ITEM_FLAGS_REVIEW; f != 0; f &= f - 1)
    nx++;
  for (guint f = y->flags & RS_ITEM_FLAGS_REVIEW; f != 0; f &= f - 1)
    ny++;
  if (nx != ny)
    return ny - nx;
  if (x->skill != y->skill)
    return (int) x->skill - (int) y->skill;
  return strcmp (x->item_id, y->item_id);
}

/* From an item's sums to what is shown: the one definition of each figure,
 * whether the sums come from a scan of this store or from the
 * organization's server. */
static void
finish_stat (RsItemStat *stat, const ItemSums *s, int skill_attempts, const RsItemStatsOptions *options)
{
  stat->facility = s->sum_facility / stat->n_shown;
  stat->mean_time_ms = (double) s->sum_time_ms / stat->n_shown;
  stat->n_skill_attempts = skill_attempts;
  /* An attempt that answered an item covered its skill; the MAX only
   * guards a skill list edited by hand. */
  stat->exposure = (double) stat->n_attempts / MAX (stat->n_attempts, stat->n_skill_attempts);
  stat->n_discrimination = (int) s->n;
  stat->discrimination = pearson (s);
  stat->flags = rs_item_stats_flags (stat, options);
}

GPtrArray *
rs_item_stats_compute (RsStore *store, const RsPerson *viewer, const RsItemStatsOptions *options,
                       GError **error)
{
  g_autoptr (GHashTable) unfinished = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GHashTable) items = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, item_sums_free);
  g_autoptr (GPtrArray) stats = g_ptr_array_new_with_free_func ((GDestroyNotify) rs_item_stat_free);
  RsItemStatsOptions defaults;
  int skill_attempts[RS_N_SKILLS] = { 0 };
  GHashTableIter iter;
  ItemSums *s;

  g_return_val_if_fail (store != NULL, NULL);
  if (!rs_access_require_admin (viewer, error))
    return NULL;
  if (options == NULL)
    {
      rs_item_stats_options_init (&defaults);
      options = &defaults;
    }
  {
    g_autoptr (GMutexLocker) locker = g_mutex_locker_new (rs_store_get_lock (store));
    gboolean ok, fallback = FALSE;

    if (compute_in_halves (store, unfinished, skill_attempts, items, &fallback, error))
      goto computed;
    if (!fallback)
      return NULL;
    /* One snapshot: a kiosk may be recording answers meanwhile. The file
     * is read through a memory map for the scan: every answer is read,
     * and copying each page out of the kernel cost a quarter of the time
     * at 10,000 people. Only for this read; off again after. */
    if (!rs_store_exec (store, error, "PRAGMA mmap_size = 4294967296", "")
        || !rs_store_begin (store, FALSE, error))
      return NULL;
    ok = read_attempts_tx (store, unfinished, skill_attempts, error)
         && sum_responses_tx (store, unfinished, items, error);
    ok = rs_store_end (store, ok, error) && ok;
    rs_store_exec (store, NULL, "PRAGMA mmap_size = 0", "");
    if (!ok)
      return NULL;
  }
computed:

  g_hash_table_iter_init (&iter, items);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &s))
    {
      RsItemStat *stat = g_steal_pointer (&s->stat);

      finish_stat (stat, s, skill_attempts[stat->skill], options);
      g_ptr_array_add (stats, stat);
    }
  g_ptr_array_sort (stats, compare_stats);
  return g_steal_pointer (&stats);
}

GPtrArray *
rs_item_stats_from_sums (const RsItemSums *sums, guint n_sums, const gint64 skill_attempts[RS_N_SKILLS],
                         const RsItemStatsOptions *options)
{
  GPtrArray *stats = g_ptr_array_new_with_free_func ((GDestroyNotify) rs_item_stat_free);
  RsItemStatsOptions defaults;

  if (options == NULL)
    {
      rs_item_stats_options_init (&defaults);
      options = &defaults;
    }
  for (guint i = 0; i < n_sums; i++)
    {
      const RsItemSums *in = &sums[i];
      RsItemStat *stat;
      ItemSums s = { .sum_facility = in->sum_facility, .sum_time_ms = in->sum_time_ms, .n = in->n,
                     .sx = in->sx, .sy = in->sy, .sxy = in->sxy, .sxx = in->sxx, .syy = in->syy };

      if (in->skill < 0 || in->skill >= RS_N_SKILLS || in->n_shown < 1)
        continue;
      stat = g_new0 (RsItemStat, 1);
      stat->item_id = g_strdup (in->item_id);
      stat->skill = in->skill;
      stat->n_shown = (int) in->n_shown;
      stat->n_attempts = (int) in->n_attempts;
      finish_stat (stat, &s, (int) skill_attempts[in->skill], options);
      g_ptr_array_add (stats, stat);
    }
  g_ptr_array_sort (stats, compare_stats);
  return stats;
}

void
rs_item_stats_summarize (const GPtrArray *stats, const RsBank *bank, RsItemStatsSummary summary[RS_N_SKILLS])
{
  for (int k = 0; k < RS_N_SKILLS; k++)
    summary[k] = (RsItemStatsSummary) {
      .n_bank_items = bank != NULL ? (int) rs_bank_skill_items (bank, (RsSkill) k)->len : 0,
    };
  for (guint i = 0; i < stats->len; i++)
    {
      const RsItemStat *stat = g_ptr_array_index (stats, i);
      RsItemStatsSummary *sum = &summary[stat->skill];
      const RsItem *item = bank != NULL ? rs_bank_lookup (bank, stat->item_id) : NULL;

      sum->n_attempts = MAX (sum->n_attempts, stat->n_skill_attempts);
      if (stat->exposure > sum->max_exposure || sum->max_item_id == NULL)
        {
          sum->max_exposure = stat->exposure;
          sum->max_item_id = stat->item_id;
        }
      /* Items no longer in the bank (or moved to another skill) are not part of its share. */
      if (bank == NULL || (item != NULL && item->skill == stat->skill))
        sum->n_items_used++;
    }
}
