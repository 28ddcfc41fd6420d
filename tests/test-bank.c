/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Loading and validating the bank: every bad case gives file:line: message,
 * never a crash, and never takes the good items down with it. */
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rs-bank-audit.h"
#include "rs-bank-cues.h"
#include "rs-bank.h"
#include "rs-error.h"
#include "rs-roles.h"

static char *
fixture (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "fixtures", name, NULL);
}

/* The diagnostic whose message contains text; fails the test when none. */
static const RsDiagnostic *
find_diagnostic (const RsBank *bank, const char *text)
{
  const GPtrArray *diagnostics = rs_bank_diagnostics (bank);
  for (guint i = 0; i < diagnostics->len; i++)
    {
      const RsDiagnostic *d = g_ptr_array_index (diagnostics, i);
      if (strstr (d->message, text) != NULL)
        return d;
    }
  for (guint i = 0; i < diagnostics->len; i++)
    {
      const RsDiagnostic *d = g_ptr_array_index (diagnostics, i);
      g_test_message ("have: %s:%d: %s", d->file, d->line, d->message);
    }
  g_test_message ("no diagnostic contains '%s'", text);
  g_test_fail ();
  return NULL;
}

static void
assert_diagnostic (const RsBank *bank, const char *file_suffix, int line, const char *text)
{
  const RsDiagnostic *d = find_diagnostic (bank, text);
  if (d == NULL)
    return;
  g_assert_true (g_str_has_suffix (d->file, file_suffix));
  g_assert_cmpint (d->line, ==, line);
}

static void
test_fixture_bank (void)
{
  g_autofree char *dir = fixture ("bank");
  g_autoptr (RsBank) bank = rs_bank_new ();
  g_autoptr (GError) error = NULL;
  const RsItem *item;

  g_assert_true (rs_bank_load_dir (bank, dir, &error));
  g_assert_no_error (error);

  /* Good items load, including the good one after the bad ones. */
  item = rs_bank_lookup (bank, "fx.py.001");
  g_assert_nonnull (item);
  g_assert_cmpint (item->type, ==, RS_ITEM_SINGLE);
  g_assert_cmpint (item->n_options, ==, 4);
  g_assert_cmpint (item->options[0].score, ==, 1);
  g_assert_cmpint (item->check, ==, RS_CHECK_OUTPUT);
  g_assert_cmpstr (item->code, ==, "print(len([1, 2, 3]))\n");
  g_assert_true (g_str_has_suffix (item->file, "python/basics.yaml"));
  g_assert_cmpint (item->line, ==, 4);
  g_assert_nonnull (rs_bank_lookup (bank, "ok.after.bad"));
  g_assert_cmpint (rs_item_max_score (rs_bank_lookup (bank, "fx.py.002")), ==, 2);
  g_assert_cmpint (rs_bank_lookup (bank, "fx.st.001")->irt.model, ==, RS_MODEL_GPCM);
  g_assert_cmpint (rs_bank_lookup (bank, "fx.em.001")->irt.n_steps, ==, 2);
  g_assert_cmpstr (rs_bank_lookup (bank, "fx.em.001")->options[2].rationale, ==,
                   "Moves it on without ownership.");

  /* Bad items are left out and each problem is named with its line. */
  assert_diagnostic (bank, "python/broken.yaml", 10, "unknown field 'explenation'");
  assert_diagnostic (bank, "python/broken.yaml", 11, "item bad.missing: missing field 'stem'");
  assert_diagnostic (bank, "python/broken.yaml", 17, "item bad.nokey: no correct option");
  assert_diagnostic (bank, "python/broken.yaml", 27, "only one option");
  assert_diagnostic (bank, "python/broken.yaml", 32, "level must be a whole number from 1 to 5");
  assert_diagnostic (bank, "python/broken.yaml", 42, "key must be one letter from A to B");
  assert_diagnostic (bank, "python/broken.yaml", 44, "duplicate id 'fx.py.001' (first defined at");
  assert_diagnostic (bank, "python/broken.yaml", 51, "Python code needs 'check: output'");
  assert_diagnostic (bank, "python/broken.yaml", 59, "related item 'no.such.item' does not exist");
  assert_diagnostic (bank, "empathy/bad-scores.yaml", 9, "score 3 is out of range");
  assert_diagnostic (bank, "empathy/bad-scores.yaml", 17, "item bad.nobest: no correct option: one option must score 2");
  assert_diagnostic (bank, "ml/wrong-skill.yaml", 1, "does not match the folder 'ml'");
  for (const char *const *id = (const char *const[]) { "bad.unknown", "bad.missing", "bad.nokey",
         "bad.oneoption", "bad.level", "bad.keyletter", "bad.nocheck", "bad.score", "bad.nobest",
         "bad.folder", NULL }; *id; id++)
    g_assert_null (rs_bank_lookup (bank, *id));
  /* The duplicate did not replace the original. */
  g_assert_true (g_str_has_suffix (rs_bank_lookup (bank, "fx.py.001")->file, "basics.yaml"));
  g_assert_cmpuint (rs_bank_skill_items (bank, RS_SKILL_PYTHON)->len, ==, 5);
}

static void
load_one (const char *name, int line, const char *text)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", "bad-files", name, NULL);
  g_autoptr (RsBank) bank = rs_bank_new ();

  rs_bank_load_file (bank, path, RS_SKILL_PYTHON);
  g_assert_cmpuint (rs_bank_n_items (bank), ==, 0);
  g_assert_cmpuint (rs_bank_diagnostics (bank)->len, ==, 1);
  assert_diagnostic (bank, name, line, text);
}

static void
test_bad_files (void)
{
  load_one ("syntax.yaml", 8, "YAML syntax error: found unexpected end of stream while scanning a quoted scalar that began at line 6");
  load_one ("empty.yaml", 0, "file is empty");
  load_one ("comment-only.yaml", 0, "file is empty");
  load_one ("invalid-utf8.yaml", 7, "invalid UTF-8 (byte 0xE9)");
}

static void
test_too_large (void)
{
  g_autofree char *dir = g_dir_make_tmp ("reskill-bank-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "big.yaml", NULL);
  g_autoptr (RsBank) bank = rs_bank_new ();
  GString *text = g_string_new ("skill: python\nsubtopic: big\nitems:\n");

  while (text->len <= RS_BANK_MAX_FILE_SIZE)
    g_string_append (text, "# padding to pass the size limit ...............................\n");
  g_assert_true (g_file_set_contents (path, text->str, (gssize) text->len, NULL));
  g_string_free (text, TRUE);
  rs_bank_load_file (bank, path, RS_SKILL_INVALID);
  assert_diagnostic (bank, "big.yaml", 0, "file is too large");
  g_assert_cmpint (g_remove (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
test_missing_dir (void)
{
  g_autoptr (RsBank) bank = rs_bank_new ();
  g_autoptr (GError) error = NULL;

  g_assert_false (rs_bank_load_dir (bank, "/nonexistent/reskill/questions", &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "/nonexistent/reskill/questions"));
}

static void
test_csv_bank (void)
{
  g_autofree char *dir = g_dir_make_tmp ("reskill-csv-XXXXXX", NULL);
  g_autofree char *good = g_build_filename (dir, "good.csv", NULL);
  g_autofree char *bad = g_build_filename (dir, "bad.csv", NULL);
  g_autofree char *header = g_build_filename (dir, "header.csv", NULL);
  g_autoptr (RsBank) bank = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_true (g_file_set_contents (good, "a,b,c\n1.2,0.5,0.2\n0.8,-1,0.25\n", -1, NULL));
  g_assert_true (g_file_set_contents (bad, "a,b,c,d\n1,0,0.2,1\n1,zero,0.2,1\n", -1, NULL));
  g_assert_true (g_file_set_contents (header, "alpha,beta\n1,2\n", -1, NULL));

  bank = rs_bank_new_from_csv (good, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rs_bank_n_items (bank), ==, 2);
  g_assert_cmpfloat (rs_bank_item (bank, 1)->irt.b, ==, -1.0);
  g_assert_cmpfloat (rs_bank_item (bank, 1)->irt.d, ==, 1.0);

  g_assert_null (rs_bank_new_from_csv (bad, &error));
  g_assert_nonnull (strstr (error->message, "bad.csv:3: 'zero' is not a number"));
  g_clear_error (&error);
  g_assert_null (rs_bank_new_from_csv (header, &error));
  g_assert_nonnull (strstr (error->message, "header.csv:1: the header must be a,b,c"));
  g_remove (good);
  g_remove (bad);
  g_remove (header);
  g_rmdir (dir);
}

static void
test_audit_rules (void)
{
  g_autofree char *dir = fixture ("bank");
  g_autoptr (RsBank) bank = rs_bank_new ();
  g_autoptr (GPtrArray) problems = NULL;
  gboolean too_few = FALSE;

  g_assert_true (rs_bank_load_dir (bank, dir, NULL));
  problems = rs_bank_audit (bank);
  for (guint i = 0; i < problems->len; i++)
    {
      const RsDiagnostic *d = g_ptr_array_index (problems, i);
      too_few |= strstr (d->message, "python has 5 items; a dependable adaptive test needs at least 80") != NULL;
    }
  g_assert_true (too_few);

  /* Near-duplicates, by the Jaccard share of word pairs (stem and code,
   * lower case, punctuation and spacing ignored), counted by hand. The
   * stem gives "what does", "does this", "this print", then "print xs",
   * "xs 1", "1 2", "2 3", "3 print" ("print xs" and "xs 1" again):
   * 8 distinct pairs. */
  {
    RsItem a = { .stem = "What does this print?", .code = "xs = [1, 2, 3]\nprint(xs[-1])" };
    /* Other case, spacing, blank lines and a trailing newline: the same 8. */
    RsItem b = { .stem = "what does THIS print ?", .code = "XS = [1,2,3]\n\nprint( xs[ -1 ] )\n" };
    /* One number changed: "2 3", "3 print" become "2 4", "4 print":
     * 6 shared of 10, so a snippet this short is another item. */
    RsItem c = { .stem = "What does this print?", .code = "xs = [1, 2, 4]\nprint(xs[-1])" };
    /* Other code: "what does", "does this", "this print" shared of 15. */
    RsItem d = { .stem = "What does this print?", .code = "d = {'a': 1}\nprint(d.get('b', 0))" };
    /* In a longer snippet one changed number leaves 23 of 27 pairs: a copy. */
    RsItem e = { .stem = "What does this print?",
                 .code = "prices = {'tea': 3, 'cake': 5}\ncounts = {'tea': 2, 'cake': 1}\n"
                         "total = sum(prices[k] * counts[k] for k in prices)\nprint(total)" };
    RsItem f = { .stem = "What does this print?",
                 .code = "prices = {'tea': 3, 'cake': 5}\ncounts = {'tea': 2, 'cake': 4}\n"
                         "total = sum(prices[k] * counts[k] for k in prices)\nprint(total)" };

    g_assert_cmpfloat (rs_bank_audit_similarity (&a, &b), ==, 1.0);
    g_assert_cmpfloat (rs_bank_audit_similarity (&a, &c), ==, 6.0 / 10);
    g_assert_cmpfloat (rs_bank_audit_similarity (&a, &d), ==, 3.0 / 15);
    g_assert_cmpfloat (rs_bank_audit_similarity (&e, &f), ==, 23.0 / 27);
    g_assert_cmpfloat (rs_bank_audit_similarity (&e, &f), >=, RS_AUDIT_NEAR_DUPLICATE);
    g_assert_cmpfloat (rs_bank_audit_similarity (&a, &c), <, RS_AUDIT_NEAR_DUPLICATE);
  }
}

/* Eight lines: an item with a `reviewed:` date on its last line. */
static void
append_dated_item (GString *text, const char *id, const char *date)
{
  g_string_append_printf (text, "  - id: %s\n    type: single\n    level: 1\n    stem: Which?\n"
                          "    options: [one, two]\n    key: A\n    explanation: One.\n"
                          "    reviewed: %s\n", id, date);
}

/* `reviewed:` dates: a bad one is refused with its line, an old one is
 * listed by the audit, a recent one is not. */
static void
test_reviewed (void)
{
  g_autofree char *dir = g_dir_make_tmp ("reskill-reviewed-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "dates.yaml", NULL);
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");
  g_autoptr (GDateTime) later = g_date_time_add_days (now, 30);
  g_autofree char *future = g_date_time_format (later, "%Y-%m-%d");
  g_autoptr (GString) text = g_string_new ("skill: ml\nsubtopic: dates\nitems:\n");
  g_autoptr (RsBank) bank = rs_bank_new ();
  g_autoptr (GPtrArray) problems = NULL;
  gboolean stale_listed = FALSE, fresh_listed = FALSE;

  append_dated_item (text, "rv.old", "2020-02-29");      /* line 4 */
  append_dated_item (text, "rv.today", today);           /* line 12 */
  append_dated_item (text, "rv.badday", "2025-02-30");   /* line 20 */
  append_dated_item (text, "rv.words", "last spring");   /* line 28 */
  append_dated_item (text, "rv.future", future);         /* line 36 */
  g_assert_true (g_file_set_contents (path, text->str, -1, NULL));
  rs_bank_load_file (bank, path, RS_SKILL_ML);

  g_assert_nonnull (rs_bank_lookup (bank, "rv.old"));
  g_assert_nonnull (rs_bank_lookup (bank, "rv.today"));
  g_assert_null (rs_bank_lookup (bank, "rv.badday"));
  g_assert_null (rs_bank_lookup (bank, "rv.words"));
  g_assert_null (rs_bank_lookup (bank, "rv.future"));
  assert_diagnostic (bank, "dates.yaml", 27, "item rv.badday: reviewed must be a date written YYYY-MM-DD");
  assert_diagnostic (bank, "dates.yaml", 35, "item rv.words: reviewed must be a date");
  assert_diagnostic (bank, "dates.yaml", 43, "is in the future");
  g_assert_cmpuint (rs_bank_diagnostics (bank)->len, ==, 3);

  problems = rs_bank_audit (bank);
  for (guint i = 0; i < problems->len; i++)
    {
      const RsDiagnostic *d = g_ptr_array_index (problems, i);
      stale_listed |= strstr (d->message, "item rv.old was last reviewed") != NULL && d->line == 4;
      fresh_listed |= strstr (d->message, "item rv.today was last reviewed") != NULL;
    }
  g_assert_true (stale_listed);
  g_assert_false (fresh_listed);
  g_assert_cmpint (g_remove (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* Four options that differ in every surface feature the audit reads. */
static const char *const cue_texts[4] = {
  "Fix it",
  "Wait a little, because it may settle by itself",
  "Ask the team what they need?",
  "Always write it down, then tell everyone, and never skip the review step",
};

/* A bank of n items of one type; key_of(i) gives the keyed option(s) of
 * item i as a bit mask. */
static RsBank *
cue_bank (RsItemType type, int n, guint32 (*key_of) (int))
{
  RsBank *bank = rs_bank_new ();

  for (int i = 0; i < n; i++)
    {
      RsItem *item = g_new0 (RsItem, 1);
      guint32 key = key_of (i);

      item->id = g_strdup_printf ("cue.%03d", i);
      item->skill = RS_SKILL_EMPATHY;
      item->subtopic = g_strdup ("cues");
      item->type = type;
      item->level = 1 + i % 5;
      item->stem = g_strdup ("What do you do?");
      item->explanation = g_strdup ("Because.");
      item->file = g_strdup ("questions/empathy/cues.yaml");
      item->line = 4 + i;
      item->n_options = 4;
      for (int j = 0; j < 4; j++)
        {
          item->options[j].text = g_strdup (cue_texts[j]);
          item->options[j].score = (key >> j) & 1 ? (type == RS_ITEM_SCENARIO ? 2 : 1) : 0;
        }
      rs_bank_add_item (bank, item);
    }
  return bank;
}

static guint32 key_cycles (int i) { return 1u << (i % 4); }
static guint32 key_longest (int i) { return 1u << 3; }
static guint32 key_reason_mostly (int i) { return 1u << (i % 5 == 0 ? 0 : 1); }
static guint32 keys_two_cycle (int i) { return (1u << (i % 4)) | (1u << ((i + 1) % 4)); }

static const RsCueRow *
cue_row (GArray *rows, RsItemType type)
{
  for (guint i = 0; i < rows->len; i++)
    if (g_array_index (rows, RsCueRow, i).type == type)
      return &g_array_index (rows, RsCueRow, i);
  g_error ("no row for %s items", rs_item_type_name (type));
}

/* Keys spread evenly over options that differ in every feature: every
 * strategy does exactly as well as chance, and the classifier no better
 * (cross-validation on a bank balanced by design even does worse: each
 * training fold over-represents the keys the held-out items do not have). */
static void
test_cues_balanced (void)
{
  g_autoptr (RsBank) bank = cue_bank (RS_ITEM_SCENARIO, 40, key_cycles);
  g_autoptr (GArray) rows = rs_bank_cue_audit (bank);
  g_autoptr (GPtrArray) problems = rs_bank_cue_problems (bank);
  const RsCueRow *row = cue_row (rows, RS_ITEM_SCENARIO);

  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_cmpint (row->n_items, ==, 40);
  g_assert_cmpfloat_with_epsilon (row->chance, 0.25, 1e-12);
  for (int c = 0; c < RS_CUE_CLASSIFIER; c++)
    g_assert_cmpfloat_with_epsilon (row->hit[c], 0.25, 1e-12);
  g_assert_cmpfloat (row->hit[RS_CUE_CLASSIFIER], <=, 0.25);
  g_assert_false (rs_cue_row_flagged (row, NULL));
  g_assert_cmpuint (problems->len, ==, 0);
}

/* The key is always the longest option, which also has the most clauses,
 * an absolute word and no question: those strategies always win, their
 * opposites never do, the classifier learns it from the other folds, and the
 * problem names the skill's folder. */
static void
test_cues_longest (void)
{
  g_autoptr (RsBank) bank = cue_bank (RS_ITEM_SINGLE, 30, key_longest);
  g_autoptr (GArray) rows = rs_bank_cue_audit (bank);
  g_autoptr (GPtrArray) problems = rs_bank_cue_problems (bank);
  const RsCueRow *row = cue_row (rows, RS_ITEM_SINGLE);
  const RsDiagnostic *d;
  RsCue worst;

  g_assert_cmpfloat (row->hit[RS_CUE_LONGEST], ==, 1.0);
  g_assert_cmpfloat (row->hit[RS_CUE_MOST_CLAUSES], ==, 1.0);
  g_assert_cmpfloat (row->hit[RS_CUE_ABSOLUTE], ==, 1.0);
  g_assert_cmpfloat (row->hit[RS_CUE_FEWEST_CLAUSES], ==, 0.0);
  /* Three options are not the shortest: one in three. */
  g_assert_cmpfloat_with_epsilon (row->hit[RS_CUE_SHORTEST_EXCLUDED], 1.0 / 3, 1e-12);
  g_assert_cmpfloat (row->hit[RS_CUE_CLASSIFIER], ==, 1.0);
  g_assert_true (rs_cue_row_flagged (row, &worst));
  g_assert_cmpuint (problems->len, ==, 1);
  d = g_ptr_array_index (problems, 0);
  g_assert_cmpstr (d->file, ==, "questions/empathy");
  g_assert_nonnull (strstr (d->message, "empathy single items can be answered without the skill"));
  g_assert_nonnull (strstr (d->message, "(chance 25%, allowed 35%)"));
}

/* A group smaller than RS_CUE_MIN_ITEMS is measured but not judged. */
static void
test_cues_too_few (void)
{
  g_autoptr (RsBank) bank = cue_bank (RS_ITEM_SINGLE, RS_CUE_MIN_ITEMS - 1, key_longest);
  g_autoptr (GArray) rows = rs_bank_cue_audit (bank);
  const RsCueRow *row = cue_row (rows, RS_ITEM_SINGLE);

  g_assert_cmpfloat (row->hit[RS_CUE_LONGEST], ==, 1.0);
  g_assert_false (rs_cue_row_flagged (row, NULL));
}

/* The reason-giving option is the key in 80% of items: "gives a reason"
 * finds it 80% of the time, just over the line is still a defect, and the
 * cross-validated classifier finds the same cue on items it never saw. */
static void
test_cues_justification (void)
{
  g_autoptr (RsBank) bank = cue_bank (RS_ITEM_SCENARIO, 50, key_reason_mostly);
  g_autoptr (GArray) rows = rs_bank_cue_audit (bank);
  const RsCueRow *row = cue_row (rows, RS_ITEM_SCENARIO);

  g_assert_cmpfloat_with_epsilon (row->hit[RS_CUE_JUSTIFIED], 0.8, 1e-12);
  g_assert_cmpfloat_with_epsilon (row->hit[RS_CUE_UNJUSTIFIED], 0.2 / 3, 1e-12);
  g_assert_cmpfloat (row->hit[RS_CUE_CLASSIFIER], >=, 0.75);
  g_assert_cmpfloat (row->weight[4], >, 0.5);   /* "gives a reason" marks the key */
  g_assert_true (rs_cue_row_flagged (row, NULL));
}

/* The defect line on both sides: 40 items, the option that gives a reason
 * keyed in 15 (37.5%, over chance 25% + 10 points: a defect) or in 13
 * (32.5%, under it: not), the other keys spread evenly over the other
 * three options so that no strategy does better. */
static guint32 key_reason_15 (int i) { return 1u << (i < 15 ? 1 : (int[]) { 0, 2, 3 }[(i - 15) % 3]); }
static guint32 key_reason_13 (int i) { return 1u << (i < 13 ? 1 : (int[]) { 0, 2, 3 }[(i - 13) % 3]); }

static void
test_cues_threshold (void)
{
  g_autoptr (RsBank) over_bank = cue_bank (RS_ITEM_SCENARIO, 40, key_reason_15);
  g_autoptr (RsBank) under_bank = cue_bank (RS_ITEM_SCENARIO, 40, key_reason_13);
  g_autoptr (GArray) over_rows = rs_bank_cue_audit (over_bank);
  g_autoptr (GArray) under_rows = rs_bank_cue_audit (under_bank);
  g_autoptr (GPtrArray) over_problems = rs_bank_cue_problems (over_bank);
  g_autoptr (GPtrArray) under_problems = rs_bank_cue_problems (under_bank);
  const RsCueRow *over = cue_row (over_rows, RS_ITEM_SCENARIO);
  const RsCueRow *under = cue_row (under_rows, RS_ITEM_SCENARIO);
  RsCue worst;

  g_assert_cmpfloat_with_epsilon (over->chance, 0.25, 1e-12);
  g_assert_cmpfloat_with_epsilon (over->hit[RS_CUE_JUSTIFIED], 15.0 / 40, 1e-12);
  g_assert_cmpfloat_with_epsilon (under->hit[RS_CUE_JUSTIFIED], 13.0 / 40, 1e-12);
  for (int c = 0; c < RS_N_CUES; c++)
    {
      g_test_message ("cue %d: %.3f over, %.3f under", c, over->hit[c], under->hit[c]);
      g_assert_cmpfloat (over->hit[c], <=, over->hit[RS_CUE_JUSTIFIED] + 1e-12);
      g_assert_cmpfloat (under->hit[c], <=, 0.25 + RS_CUE_MAX_EXCESS);
    }
  g_assert_true (rs_cue_row_flagged (over, &worst));
  g_assert_cmpuint (over_problems->len, ==, 1);
  g_assert_false (rs_cue_row_flagged (under, NULL));
  g_assert_cmpuint (under_problems->len, ==, 0);
}

/* Multi-select: every item has exactly two right options, which the audit
 * reports; a random pair scores, under the quiz's partial credit, the exact
 * average of the six pairs: (1 + 1/2·0·4 ... ) computed below. */
static void
test_cues_multi (void)
{
  g_autoptr (RsBank) bank = cue_bank (RS_ITEM_MULTI, 24, keys_two_cycle);
  g_autoptr (GArray) rows = rs_bank_cue_audit (bank);
  g_autoptr (GPtrArray) problems = rs_bank_cue_problems (bank);
  const RsCueRow *row = cue_row (rows, RS_ITEM_MULTI);
  gboolean modal_reported = FALSE;

  g_assert_cmpint (row->modal_keys, ==, 2);
  g_assert_cmpfloat (row->modal_share, ==, 1.0);
  /* Of the six pairs one is both keys (score 1), four share one key
   * (1 − 1 = 0) and one shares none (0): 1/6. */
  g_assert_cmpfloat_with_epsilon (row->chance, 1.0 / 6, 1e-12);
  for (guint i = 0; i < problems->len; i++)
    modal_reported |= strstr (((RsDiagnostic *) g_ptr_array_index (problems, i))->message,
                              "100% of multi-select items have exactly 2 right options") != NULL;
  g_assert_true (modal_reported);
}

/* A file's `title:` names its subtopic for people; without one the id is
 * made readable; a bad title is refused with its line. */
static void
test_titles (void)
{
  g_autofree char *dir = g_dir_make_tmp ("reskill-titles-XXXXXX", NULL);
  g_autofree char *good = g_build_filename (dir, "numpy.yaml", NULL);
  g_autofree char *bare = g_build_filename (dir, "bare.yaml", NULL);
  g_autofree char *bad = g_build_filename (dir, "bad.yaml", NULL);
  const char *item = "items:\n  - {type: single, level: 1, stem: Which?, options: [a, b], key: A, explanation: A., id: ";
  g_autofree char *good_text = g_strconcat ("skill: python\nsubtopic: numpy-pandas\ntitle: NumPy and pandas\n", item, "t.1}\n", NULL);
  g_autofree char *bare_text = g_strconcat ("skill: python\nsubtopic: control-flow\n", item, "t.2}\n", NULL);
  g_autofree char *bad_text = g_strconcat ("skill: python\nsubtopic: odd\ntitle: \"\"\n", item, "t.3}\n", NULL);
  g_autoptr (RsBank) bank = rs_bank_new ();
  g_autofree char *title = NULL, *fallback = NULL;

  g_assert_true (g_file_set_contents (good, good_text, -1, NULL));
  g_assert_true (g_file_set_contents (bare, bare_text, -1, NULL));
  g_assert_true (g_file_set_contents (bad, bad_text, -1, NULL));
  rs_bank_load_file (bank, good, RS_SKILL_PYTHON);
  rs_bank_load_file (bank, bare, RS_SKILL_PYTHON);
  rs_bank_load_file (bank, bad, RS_SKILL_PYTHON);

  title = rs_bank_subtopic_title (bank, RS_SKILL_PYTHON, "numpy-pandas");
  g_assert_cmpstr (title, ==, "NumPy and pandas");
  g_assert_true (rs_bank_subtopic_has_title (bank, RS_SKILL_PYTHON, "numpy-pandas"));
  fallback = rs_bank_subtopic_title (bank, RS_SKILL_PYTHON, "control-flow");
  g_assert_cmpstr (fallback, ==, "Control flow");
  g_assert_false (rs_bank_subtopic_has_title (bank, RS_SKILL_PYTHON, "control-flow"));
  g_assert_false (rs_bank_subtopic_has_title (bank, RS_SKILL_ML, "numpy-pandas"));
  assert_diagnostic (bank, "bad.yaml", 3, "title must be one line of at most 60 characters");
  g_assert_cmpuint (rs_bank_diagnostics (bank)->len, ==, 1);
  for (const char *const *path = (const char *const[]) { good, bare, bad, NULL }; *path; path++)
    g_assert_cmpint (g_remove (*path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* Issue 10: 64 KB of "[" took libyaml 5.5 s; refused at depth 64 now, in
 * well under a second, with the file and line. */
static void
test_deep_nesting (void)
{
  g_autofree char *dir = g_dir_make_tmp ("reskill-bank-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "deep.yaml", NULL);
  g_autofree char *roles = g_build_filename (dir, "roles.yaml", NULL);
  g_autofree char *text = g_malloc (64 * 1024 + 1);
  g_autoptr (RsBank) bank = rs_bank_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (RsRoleSet) set = NULL;
  GString *nested = g_string_new ("skill: python\nsubtopic: deep\nitems:\n");
  gint64 start;

  memset (text, '[', 64 * 1024);
  text[64 * 1024] = '\0';
  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  start = g_get_monotonic_time ();
  rs_bank_load_file (bank, path, RS_SKILL_PYTHON);
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);
  assert_diagnostic (bank, "deep.yaml", 1, "nested more than 64 levels deep");

  /* The roles file goes through the same reader; deep nesting on line 4. */
  g_assert_true (g_file_set_contents (roles, "roles:\n  - id: x\n    title: X\n    wants: ", -1, NULL));
  {
    g_autoptr (GString) deep = g_string_new ("roles:\n  - id: x\n    title: X\n    wants: ");
    for (int i = 0; i < 1000; i++)
      g_string_append_c (deep, '{');
    g_assert_true (g_file_set_contents (roles, deep->str, (gssize) deep->len, NULL));
  }
  start = g_get_monotonic_time ();
  set = rs_role_set_load (roles, &error);
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);
  g_assert_null (set);
  g_assert_error (error, RS_ERROR, RS_ERROR_PARSE);
  {
    g_autofree char *expected = g_strdup_printf ("%s:4: nested more than 64 levels deep", roles);
    g_assert_true (g_str_has_prefix (error->message, expected));
  }

  /* Deep but allowed: not refused for depth. */
  g_string_append (nested, "  - id: py.deep\n    type: single\n    level: 2\n    stem: ok\n    options: [[[[a]]]]\n");
  g_assert_true (g_file_set_contents (path, nested->str, (gssize) nested->len, NULL));
  g_string_free (nested, TRUE);
  g_clear_pointer (&bank, rs_bank_free);
  bank = rs_bank_new ();
  rs_bank_load_file (bank, path, RS_SKILL_PYTHON);
  for (guint i = 0; i < rs_bank_diagnostics (bank)->len; i++)
    g_assert_null (strstr (((const RsDiagnostic *) g_ptr_array_index (rs_bank_diagnostics (bank), i))->message,
                           "nested"));
  g_assert_cmpint (g_remove (path), ==, 0);
  g_assert_cmpint (g_remove (roles), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* A FIFO named like a question file would block the read for ever; a link
 * to /dev/zero would read until memory ran out. Both are refused unread. */
static void
test_special_files (void)
{
  g_autofree char *dir = g_dir_make_tmp ("reskill-bank-XXXXXX", NULL);
  g_autofree char *skill_dir = g_build_filename (dir, "python", NULL);
  g_autofree char *fifo = g_build_filename (skill_dir, "fifo.yaml", NULL);
  g_autofree char *zero = g_build_filename (skill_dir, "zero.yaml", NULL);
  g_autoptr (RsBank) bank = rs_bank_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (RsRoleSet) set = NULL;
  gint64 start;

  g_assert_cmpint (g_mkdir (skill_dir, 0700), ==, 0);
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  g_assert_cmpint (symlink ("/dev/zero", zero), ==, 0);
  start = g_get_monotonic_time ();
  g_assert_true (rs_bank_load_dir (bank, dir, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);
  assert_diagnostic (bank, "fifo.yaml", 0, "named pipe (FIFO); only regular files are read");
  assert_diagnostic (bank, "zero.yaml", 0, "device; only regular files are read");
  g_assert_cmpuint (rs_bank_n_items (bank), ==, 0);

  set = rs_role_set_load (fifo, &error);
  g_assert_null (set);
  g_assert_error (error, RS_ERROR, RS_ERROR_PARSE);
  g_assert_true (strstr (error->message, "only regular files") != NULL);

  g_assert_cmpint (g_remove (fifo), ==, 0);
  g_assert_cmpint (g_remove (zero), ==, 0);
  g_assert_cmpint (g_rmdir (skill_dir), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/bank/fixtures", test_fixture_bank);
  g_test_add_func ("/bank/bad-files", test_bad_files);
  g_test_add_func ("/bank/too-large", test_too_large);
  g_test_add_func ("/bank/missing-dir", test_missing_dir);
  g_test_add_func ("/bank/csv", test_csv_bank);
  g_test_add_func ("/bank/audit", test_audit_rules);
  g_test_add_func ("/bank/reviewed", test_reviewed);
  g_test_add_func ("/bank/titles", test_titles);
  g_test_add_func ("/bank/cues/balanced", test_cues_balanced);
  g_test_add_func ("/bank/cues/longest", test_cues_longest);
  g_test_add_func ("/bank/cues/too-few", test_cues_too_few);
  g_test_add_func ("/bank/cues/justification", test_cues_justification);
  g_test_add_func ("/bank/cues/multi", test_cues_multi);
  g_test_add_func ("/bank/cues/threshold", test_cues_threshold);
  g_test_add_func ("/bank/deep-nesting", test_deep_nesting);
  g_test_add_func ("/bank/special-files", test_special_files);
  return g_test_run ();
}
