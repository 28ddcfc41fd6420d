/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "rs-bank.h"
#include "rs-error.h"
#include "rs-file.h"
#include "rs-yaml.h"

struct _RsBank {
  GPtrArray *items;                     /* RsItem *, owned, in load order */
  GHashTable *by_id;                    /* id → RsItem * */
  GPtrArray *by_skill[RS_N_SKILLS];     /* const RsItem * */
  GPtrArray *diagnostics;               /* RsDiagnostic * */
  GChecksum *checksum;                  /* over every file read */
  char *version;
  GHashTable *titles;                   /* "skill/subtopic" → the file's `title` */
  GHashTable *withheld;                 /* ids kept out of tests (owned strings) */
  char *calibration;                    /* uuid of the calibration in force; NULL: none */
  gint64 calibration_time;              /* when it was made, unix µs */
};

/* What one file's parse needs at hand. */
typedef struct {
  RsBank *bank;
  RsYamlDoc *doc;
  const char *path;
  RsSkill skill;
  const char *subtopic;
  gboolean item_ok;                     /* cleared by any error in the current item */
} Parse;

static const char *const file_fields[] = { "skill", "subtopic", "title", "items", NULL };
static const char *const item_fields[] = {
  "id", "type", "level", "stem", "code", "options", "key", "answer", "tolerance",
  "partial_tolerance", "unit", "explanation", "subtopic", "skill", "check", "unchecked",
  "compute", "related", "irt", "reviewed", NULL
};
static const char *const option_fields[] = { "text", "score", "rationale", NULL };

RsDiagnostic *
rs_diagnostic_new (const char *file, int line, const char *format, ...)
{
  RsDiagnostic *d = g_new0 (RsDiagnostic, 1);
  va_list args;

  va_start (args, format);
  d->message = g_strdup_vprintf (format, args);
  va_end (args);
  d->file = g_strdup (file);
  d->line = line;
  return d;
}

void
rs_diagnostic_free (RsDiagnostic *diagnostic)
{
  if (diagnostic == NULL)
    return;
  g_free (diagnostic->file);
  g_free (diagnostic->message);
  g_free (diagnostic);
}

#define add_diagnostic(bank, file, line, ...) \
  g_ptr_array_add ((bank)->diagnostics, rs_diagnostic_new ((file), (line), __VA_ARGS__))

/* Reports a problem with the current item and marks it to be left out. */
#define item_error(p, node, ...) \
  G_STMT_START { \
    add_diagnostic ((p)->bank, (p)->path, rs_yaml_line (node), __VA_ARGS__); \
    (p)->item_ok = FALSE; \
  } G_STMT_END

RsBank *
rs_bank_new (void)
{
  RsBank *bank = g_new0 (RsBank, 1);

  bank->items = g_ptr_array_new_with_free_func ((GDestroyNotify) rs_item_free);
  bank->by_id = g_hash_table_new (g_str_hash, g_str_equal);
  for (int s = 0; s < RS_N_SKILLS; s++)
    bank->by_skill[s] = g_ptr_array_new ();
  bank->diagnostics = g_ptr_array_new_with_free_func ((GDestroyNotify) rs_diagnostic_free);
  bank->checksum = g_checksum_new (G_CHECKSUM_SHA256);
  bank->titles = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  bank->withheld = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return bank;
}

void
rs_bank_free (RsBank *bank)
{
  if (bank == NULL)
    return;
  for (int s = 0; s < RS_N_SKILLS; s++)
    g_ptr_array_unref (bank->by_skill[s]);
  g_hash_table_unref (bank->by_id);
  g_ptr_array_unref (bank->items);
  g_ptr_array_unref (bank->diagnostics);
  g_checksum_free (bank->checksum);
  g_free (bank->version);
  g_hash_table_unref (bank->titles);
  g_hash_table_unref (bank->withheld);
  g_free (bank->calibration);
  g_free (bank);
}

void
rs_bank_add_item (RsBank *bank, RsItem *item)
{
  g_ptr_array_add (bank->items, item);
  if (!g_hash_table_contains (bank->by_id, item->id))
    g_hash_table_insert (bank->by_id, item->id, item);
  if (item->skill >= 0 && item->skill < RS_N_SKILLS)
    g_ptr_array_add (bank->by_skill[item->skill], item);
  g_clear_pointer (&bank->version, g_free);
}

static gboolean
in_list (const char *const *list, const char *word)
{
  for (int i = 0; list[i] != NULL; i++)
    if (strcmp (list[i], word) == 0)
      return TRUE;
  return FALSE;
}

/* Reports unknown and repeated keys of a mapping. Returns FALSE if any. */
static gboolean
check_keys (Parse *p, yaml_node_t *map, const char *const *allowed, const char *what)
{
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  gboolean ok = TRUE;

  for (yaml_node_pair_t *pair = map->data.mapping.pairs.start;
       pair < map->data.mapping.pairs.top; pair++)
    {
      yaml_node_t *key_node = rs_yaml_node (p->doc, pair->key);
      const char *k = rs_yaml_scalar (key_node);

      /* Translators: in these three, %s is what the field belongs to:
       * "an item", "an option", "the file", "a calibration file", "a
       * calibrated item", or the field name "irt". */
      if (k == NULL)
        {
          item_error (p, key_node, _("%s has a key that is not plain text"), what);
          ok = FALSE;
        }
      else if (!in_list (allowed, k))
        {
          item_error (p, key_node, _("unknown field '%s' in %s"), k, what);
          ok = FALSE;
        }
      else if (g_hash_table_contains (seen, k))
        {
          item_error (p, key_node, _("field '%s' appears twice in %s"), k, what);
          ok = FALSE;
        }
      else
        g_hash_table_add (seen, (gpointer) k);
    }
  return ok;
}

/* A required, non-empty text field. */
static char *
get_text (Parse *p, yaml_node_t *map, const char *key, gboolean required, const char *item_id)
{
  yaml_node_t *node = rs_yaml_mapping_get (p->doc, map, key);
  const char *text;

  if (node == NULL)
    {
      if (required)
        item_error (p, map, _("item %s: missing field '%s'"), item_id, key);
      return NULL;
    }
  text = rs_yaml_scalar (node);
  if (text == NULL)
    {
      item_error (p, node, _("item %s: '%s' must be text, not a list or mapping"), item_id, key);
      return NULL;
    }
  for (const char *c = text; *c; c++)
    if (!g_ascii_isspace (*c))
      return g_strdup (text);
  if (required)
    item_error (p, node, _("item %s: '%s' is empty"), item_id, key);
  return NULL;
}

static gboolean
valid_id (const char *id)
{
  if (id == NULL || *id == '\0' || strlen (id) > 64)
    return FALSE;
  for (const char *c = id; *c; c++)
    if (!g_ascii_isalnum (*c) && *c != '.' && *c != '-' && *c != '_')
      return FALSE;
  return TRUE;
}

/* Option letter "A".."I" → index; -1 when not a letter of this item. */
static int
option_index (const char *letter, int n_options)
{
  if (letter == NULL || strlen (letter) != 1)
    return -1;
  int index = g_ascii_toupper (letter[0]) - 'A';
  return index >= 0 && index < n_options ? index : -1;
}

static void
parse_options (Parse *p, yaml_node_t *map, RsItem *item)
{
  yaml_node_t *node = rs_yaml_mapping_get (p->doc, map, "options");
  int n;

  if (item->type == RS_ITEM_NUMERIC)
    {
      if (node != NULL)
        item_error (p, node, _("item %s: a numeric item has no options (use 'answer')"), item->id);
      return;
    }
  if (node == NULL)
    {
      item_error (p, map, _("item %s: missing field 'options'"), item->id);
      return;
    }
  if (!rs_yaml_is_sequence (node))
    {
      item_error (p, node, _("item %s: 'options' must be a list"), item->id);
      return;
    }
  n = rs_yaml_sequence_length (node);
  if (n < 2)
    {
      item_error (p, node, _("item %s: %s: a question needs at least two options"), item->id,
                  n == 0 ? _("no options") : _("only one option"));
      return;
    }
  if (n > RS_ITEM_MAX_OPTIONS)
    {
      item_error (p, node,
                  g_dngettext (GETTEXT_PACKAGE, "item %s: %d option; at most %d fit the keys 1-9",
                               "item %s: %d options; at most %d fit the keys 1-9", (gulong) n),
                  item->id, n, RS_ITEM_MAX_OPTIONS);
      return;
    }

  for (int i = 0; i < n; i++)
    {
      yaml_node_t *opt = rs_yaml_sequence_item (p->doc, node, i);
      RsOption *o = &item->options[i];

      if (item->type == RS_ITEM_SCENARIO)
        {
          yaml_node_t *score_node;
          gint64 score;

          if (!rs_yaml_is_mapping (opt))
            {
              item_error (p, opt, _("item %s: option %c needs text, score and rationale"), item->id,
                          'A' + i);
              continue;
            }
          check_keys (p, opt, option_fields, _("an option"));
          o->text = get_text (p, opt, "text", TRUE, item->id);
          o->rationale = get_text (p, opt, "rationale", TRUE, item->id);
          score_node = rs_yaml_mapping_get (p->doc, opt, "score");
          if (score_node == NULL)
            item_error (p, opt, _("item %s: option %c: missing field 'score'"), item->id, 'A' + i);
          else if (!rs_yaml_int (score_node, &score))
            item_error (p, score_node, _("item %s: option %c: score must be 0, 1 or 2"), item->id,
                        'A' + i);
          else if (score < 0 || score > 2)
            item_error (p, score_node,
                        _("item %s: option %c: score %lld is out of range (0 counter-productive, 1 acceptable, 2 best)"),
                        item->id, 'A' + i, (long long) score);
          else
            o->score = (int) score;
        }
      else
        {
          const char *text = rs_yaml_scalar (opt);
          if (text == NULL || *text == '\0')
            item_error (p, opt, _("item %s: option %c must be non-empty text"), item->id, 'A' + i);
          else
            o->text = g_strdup (text);
        }
      item->n_options = i + 1;
    }

  for (int i = 0; i < item->n_options; i++)
    for (int j = 0; j < i; j++)
      if (item->options[i].text && item->options[j].text
          && strcmp (item->options[i].text, item->options[j].text) == 0)
        item_error (p, rs_yaml_sequence_item (p->doc, node, i),
                    _("item %s: options %c and %c are the same"), item->id, 'A' + j, 'A' + i);
}

static void
parse_key (Parse *p, yaml_node_t *map, RsItem *item)
{
  yaml_node_t *node = rs_yaml_mapping_get (p->doc, map, "key");

  if (item->type == RS_ITEM_NUMERIC || item->type == RS_ITEM_SCENARIO)
    {
      if (node != NULL)
        item_error (p, node, _("item %s: a %s item has no 'key' (%s)"), item->id,
                    rs_item_type_name (item->type),
                    item->type == RS_ITEM_NUMERIC ? _("use 'answer'") : _("give each option a score"));
      if (item->type == RS_ITEM_SCENARIO && item->n_options >= 2)
        {
          gboolean has_best = FALSE;
          for (int i = 0; i < item->n_options; i++)
            has_best |= item->options[i].score == 2;
          if (!has_best)
            item_error (p, rs_yaml_mapping_get (p->doc, map, "options"),
                        _("item %s: no correct option: one option must score 2 (best)"), item->id);
        }
      return;
    }
  if (item->n_options < 2)
    return;   /* already reported */
  if (node == NULL)
    {
      item_error (p, map, _("item %s: no correct option: add 'key'"), item->id);
      return;
    }

  if (item->type == RS_ITEM_SINGLE)
    {
      int index = option_index (rs_yaml_scalar (node), item->n_options);
      if (index < 0)
        item_error (p, node, _("item %s: key must be one letter from A to %c"), item->id,
                    'A' + item->n_options - 1);
      else
        item->options[index].score = 1;
      return;
    }

  /* multi: a list of letters, or one letter */
  if (rs_yaml_scalar (node) != NULL)
    {
      int index = option_index (rs_yaml_scalar (node), item->n_options);
      if (index < 0)
        item_error (p, node, _("item %s: key must list letters from A to %c"), item->id,
                    'A' + item->n_options - 1);
      else
        item->options[index].score = 1;
      return;
    }
  if (!rs_yaml_is_sequence (node) || rs_yaml_sequence_length (node) == 0)
    {
      item_error (p, node, _("item %s: no correct option: key must list letters, e.g. [A, C]"),
                  item->id);
      return;
    }
  for (int i = 0; i < rs_yaml_sequence_length (node); i++)
    {
      yaml_node_t *letter = rs_yaml_sequence_item (p->doc, node, i);
      int index = option_index (rs_yaml_scalar (letter), item->n_options);
      if (index < 0)
        item_error (p, letter, _("item %s: key must list letters from A to %c"), item->id,
                    'A' + item->n_options - 1);
      else if (item->options[index].score > 0)
        item_error (p, letter, _("item %s: key lists %c twice"), item->id, 'A' + index);
      else
        item->options[index].score = 1;
    }
}

static gboolean
get_number (Parse *p, yaml_node_t *map, const char *key, gboolean required, double *value,
            const char *item_id)
{
  yaml_node_t *node = rs_yaml_mapping_get (p->doc, map, key);
  if (node == NULL)
    {
      if (required)
        item_error (p, map, _("item %s: missing field '%s'"), item_id, key);
      return FALSE;
    }
  if (!rs_yaml_double (node, value))
    {
      item_error (p, node, _("item %s: '%s' must be a number"), item_id, key);
      return FALSE;
    }
  return TRUE;
}

static void
parse_numeric (Parse *p, yaml_node_t *map, RsItem *item)
{
  static const char *const numeric_only[] = { "answer", "tolerance", "partial_tolerance", "unit", NULL };

  if (item->type != RS_ITEM_NUMERIC)
    {
      for (int i = 0; numeric_only[i]; i++)
        {
          yaml_node_t *node = rs_yaml_mapping_get (p->doc, map, numeric_only[i]);
          if (node != NULL)
            item_error (p, node, _("item %s: '%s' belongs to numeric items only"), item->id,
                        numeric_only[i]);
        }
      return;
    }
  get_number (p, map, "answer", TRUE, &item->answer, item->id);
  if (get_number (p, map, "tolerance", TRUE, &item->tolerance, item->id) && item->tolerance < 0)
    item_error (p, rs_yaml_mapping_get (p->doc, map, "tolerance"), _("item %s: tolerance must be 0 or more"),
                item->id);
  if (get_number (p, map, "partial_tolerance", FALSE, &item->partial_tolerance, item->id)
      && item->partial_tolerance <= item->tolerance)
    item_error (p, rs_yaml_mapping_get (p->doc, map, "partial_tolerance"),
                _("item %s: partial_tolerance must be wider than tolerance"), item->id);
  item->unit = get_text (p, map, "unit", FALSE, item->id);
}

static void
parse_check (Parse *p, yaml_node_t *map, RsItem *item)
{
  yaml_node_t *node = rs_yaml_mapping_get (p->doc, map, "check");
  const char *check = rs_yaml_scalar (node);

  item->unchecked = get_text (p, map, "unchecked", FALSE, item->id);
  item->compute = get_text (p, map, "compute", FALSE, item->id);

  if (node == NULL)
    item->check = RS_CHECK_UNSET;
  else if (g_strcmp0 (check, "output") == 0)
    item->check = RS_CHECK_OUTPUT;
  else if (g_strcmp0 (check, "raises") == 0)
    item->check = RS_CHECK_RAISES;
  else if (g_strcmp0 (check, "none") == 0)
    item->check = RS_CHECK_NONE;
  else
    {
      item_error (p, node, _("item %s: check must be output, raises or none"), item->id);
      return;
    }

  if (item->check != RS_CHECK_UNSET && item->code == NULL)
    item_error (p, node, _("item %s: 'check' needs a 'code' block to run"), item->id);
  if (item->skill == RS_SKILL_PYTHON && item->code != NULL && item->check == RS_CHECK_UNSET)
    item_error (p, map, _("item %s: Python code needs 'check: output', 'check: raises' or "
                "'check: none' with 'unchecked: why'"), item->id);
  if (item->check == RS_CHECK_NONE && item->unchecked == NULL)
    item_error (p, node, _("item %s: 'check: none' needs 'unchecked: why it cannot be run'"), item->id);
  if (item->check == RS_CHECK_RAISES && item->type != RS_ITEM_SINGLE)
    item_error (p, node, _("item %s: 'check: raises' needs a single-choice item"), item->id);
}

static void
parse_related (Parse *p, yaml_node_t *map, RsItem *item)
{
  yaml_node_t *node = rs_yaml_mapping_get (p->doc, map, "related");
  g_autoptr (GStrvBuilder) builder = NULL;

  if (node == NULL)
    return;
  if (!rs_yaml_is_sequence (node))
    {
      item_error (p, node, _("item %s: 'related' must be a list of ids"), item->id);
      return;
    }
  builder = g_strv_builder_new ();
  for (int i = 0; i < rs_yaml_sequence_length (node); i++)
    {
      const char *id = rs_yaml_scalar (rs_yaml_sequence_item (p->doc, node, i));
      if (!valid_id (id))
        item_error (p, node, _("item %s: 'related' must list item ids"), item->id);
      else
        g_strv_builder_add (builder, id);
    }
  item->related = g_strv_builder_end (builder);
}

/* reviewed: YYYY-MM-DD, the day someone last checked an item on fast-moving
 * practice (LLM tooling, prices, library APIs) against current reality. A
 * real calendar date, not in the future, so the audit can list stale ones. */
static void
parse_reviewed (Parse *p, yaml_node_t *map, RsItem *item)
{
  yaml_node_t *node = rs_yaml_mapping_get (p->doc, map, "reviewed");
  const char *text = rs_yaml_scalar (node);
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  unsigned year, month, day;
  char end;
  GDate date;

  if (node == NULL)
    return;
  if (text == NULL || sscanf (text, "%4u-%2u-%2u%c", &year, &month, &day, &end) != 3
      || strlen (text) != 10 || !g_date_valid_dmy (day, month, year))
    {
      item_error (p, node, _("item %s: reviewed must be a date written YYYY-MM-DD"), item->id);
      return;
    }
  g_date_clear (&date, 1);
  g_date_set_dmy (&date, day, month, year);
  item->reviewed = g_date_get_julian (&date);
  g_date_set_dmy (&date, g_date_time_get_day_of_month (now), g_date_time_get_month (now),
                  g_date_time_get_year (now));
  /* One day of slack: an author east of UTC may already be on tomorrow. */
  if (item->reviewed > g_date_get_julian (&date) + 1)
    item_error (p, node, _("item %s: reviewed date %s is in the future"), item->id, text);
}

/* irt: {a, b, c} for dichotomous items, {a, b: [steps]} for partial credit. */
static void
parse_irt (Parse *p, yaml_node_t *map, RsItem *item)
{
  static const char *const irt_fields[] = { "a", "b", "c", "d", NULL };
  yaml_node_t *node = rs_yaml_mapping_get (p->doc, map, "irt");
  int max_score = rs_item_max_score (item);
  RsIrtParams params = { 0 };
  yaml_node_t *b;

  if (node == NULL)
    return;
  if (!rs_yaml_is_mapping (node))
    {
      item_error (p, node, _("item %s: 'irt' must be a mapping such as {a: 1.2, b: 0.3, c: 0.2}"),
                  item->id);
      return;
    }
  if (!check_keys (p, node, irt_fields, "irt"))
    return;
  if (!get_number (p, node, "a", TRUE, &params.a, item->id))
    return;
  if (!(params.a > 0 && params.a < 10))
    {
      item_error (p, node, _("item %s: irt a must be between 0 and 10"), item->id);
      return;
    }
  b = rs_yaml_mapping_get (p->doc, node, "b");
  if (max_score == 1)
    {
      params.model = RS_MODEL_4PL;
      params.d = 1.0;
      if (!get_number (p, node, "b", TRUE, &params.b, item->id))
        return;
      get_number (p, node, "c", FALSE, &params.c, item->id);
      get_number (p, node, "d", FALSE, &params.d, item->id);
      if (params.c < 0 || params.c >= params.d || params.d > 1)
        {
          item_error (p, node, _("item %s: irt needs 0 <= c < d <= 1"), item->id);
          return;
        }
    }
  else
    {
      params.model = RS_MODEL_GPCM;
      if (!rs_yaml_is_sequence (b) || rs_yaml_sequence_length (b) != max_score)
        {
          item_error (p, b ? b : node,
                      g_dngettext (GETTEXT_PACKAGE, "item %s: irt b must list %d step difficulty (one per score above 0)",
                                   "item %s: irt b must list %d step difficulties (one per score above 0)",
                                   (gulong) max_score),
                      item->id, max_score);
          return;
        }
      params.n_steps = max_score;
      for (int i = 0; i < max_score; i++)
        if (!rs_yaml_double (rs_yaml_sequence_item (p->doc, b, i), &params.steps[i]))
          {
            item_error (p, b, _("item %s: irt b steps must be numbers"), item->id);
            return;
          }
    }
  item->irt = params;
  item->irt_given = TRUE;
}

static RsItem *
parse_item (Parse *p, yaml_node_t *map)
{
  g_autoptr (RsItem) item = g_new0 (RsItem, 1);
  yaml_node_t *node;
  g_autofree char *type = NULL;
  g_autofree char *skill = NULL;
  gint64 level;

  p->item_ok = TRUE;
  item->file = g_strdup (p->path);
  item->line = rs_yaml_line (map);
  item->skill = p->skill;

  if (!rs_yaml_is_mapping (map))
    {
      item_error (p, map, _("an item must be a mapping of fields (id, type, level, ...)"));
      return NULL;
    }

  item->id = get_text (p, map, "id", TRUE, "(no id)");
  if (item->id == NULL)
    return NULL;
  if (!valid_id (item->id))
    item_error (p, rs_yaml_mapping_get (p->doc, map, "id"),
                _("item id '%s' may only use letters, digits, '.', '-' and '_' (64 at most)"),
                item->id);
  check_keys (p, map, item_fields, _("an item"));

  skill = get_text (p, map, "skill", FALSE, item->id);
  if (skill != NULL && rs_skill_from_id (skill) != p->skill)
    item_error (p, rs_yaml_mapping_get (p->doc, map, "skill"),
                _("item %s: skill '%s' differs from the file's skill '%s'"), item->id, skill,
                rs_skill_id (p->skill));
  item->subtopic = get_text (p, map, "subtopic", FALSE, item->id);
  if (item->subtopic == NULL)
    item->subtopic = g_strdup (p->subtopic);

  type = get_text (p, map, "type", TRUE, item->id);
  if (type == NULL)
    return NULL;
  if (strcmp (type, "single") == 0)
    item->type = RS_ITEM_SINGLE;
  else if (strcmp (type, "multi") == 0)
    item->type = RS_ITEM_MULTI;
  else if (strcmp (type, "numeric") == 0)
    item->type = RS_ITEM_NUMERIC;
  else if (strcmp (type, "scenario") == 0)
    item->type = RS_ITEM_SCENARIO;
  else
    {
      item_error (p, rs_yaml_mapping_get (p->doc, map, "type"),
                  _("item %s: type '%s' is not single, multi, numeric or scenario"), item->id, type);
      return NULL;
    }

  node = rs_yaml_mapping_get (p->doc, map, "level");
  if (node == NULL)
    item_error (p, map, _("item %s: missing field 'level'"), item->id);
  else if (!rs_yaml_int (node, &level) || level < 1 || level > 5)
    item_error (p, node, _("item %s: level must be a whole number from 1 to 5"), item->id);
  else
    item->level = (int) level;

  item->stem = get_text (p, map, "stem", TRUE, item->id);
  item->code = get_text (p, map, "code", FALSE, item->id);
  item->explanation = get_text (p, map, "explanation", TRUE, item->id);
  parse_options (p, map, item);
  parse_key (p, map, item);
  parse_numeric (p, map, item);
  parse_check (p, map, item);
  parse_related (p, map, item);
  parse_reviewed (p, map, item);

  if (!p->item_ok)
    return NULL;

  /* Starting parameters from the level; `irt` in the file overrides them. */
  rs_irt_params_from_level (&item->irt, item->level, rs_item_max_score (item),
                            item->type == RS_ITEM_SINGLE ? 1.0 / item->n_options : 0.0);
  parse_irt (p, map, item);

  return p->item_ok ? g_steal_pointer (&item) : NULL;
}

/* Adds a parsed item unless its id is taken; the first definition wins. */
static void
add_checked (RsBank *bank, RsItem *item)
{
  const RsItem *first = g_hash_table_lookup (bank->by_id, item->id);

  if (first != NULL)
    {
      add_diagnostic (bank, item->file, item->line, _("duplicate id '%s' (first defined at %s:%d)"),
                      item->id, first->file, first->line);
      rs_item_free (item);
      return;
    }
  rs_bank_add_item (bank, item);
}

void
rs_bank_load_file (RsBank *bank, const char *path, RsSkill expected_skill)
{
  RsYamlDoc doc;
  g_autofree char *message = NULL;
  g_autofree char *contents = NULL;
  Parse p = { bank, &doc, path, RS_SKILL_INVALID, NULL, TRUE };
  yaml_node_t *root, *node, *items;
  gsize len = 0;
  int line;

  if (!rs_yaml_doc_load_full (&doc, path, RS_BANK_MAX_FILE_SIZE, &contents, &len, &line, &message))
    {
      add_diagnostic (bank, path, line, "%s", message);
      return;
    }
  g_checksum_update (bank->checksum, (const guchar *) contents, len);

  root = rs_yaml_root (&doc);
  if (!rs_yaml_is_mapping (root))
    {
      add_diagnostic (bank, path, rs_yaml_line (root),
                      _("the file must be a mapping with skill, subtopic and items"));
      goto out;
    }
  check_keys (&p, root, file_fields, _("the file"));

  node = rs_yaml_mapping_get (&doc, root, "skill");
  p.skill = rs_skill_from_id (rs_yaml_scalar (node));
  if (node == NULL)
    add_diagnostic (bank, path, rs_yaml_line (root), _("missing field 'skill'"));
  else if (p.skill == RS_SKILL_INVALID)
    add_diagnostic (bank, path, rs_yaml_line (node),
                    _("unknown skill '%s' (python, statistics, ml or empathy)"),
                    rs_yaml_scalar (node) ? rs_yaml_scalar (node) : "");
  else if (expected_skill != RS_SKILL_INVALID && p.skill != expected_skill)
    add_diagnostic (bank, path, rs_yaml_line (node),
                    _("skill '%s' does not match the folder '%s'"), rs_skill_id (p.skill),
                    rs_skill_id (expected_skill));
  if (p.skill == RS_SKILL_INVALID || (expected_skill != RS_SKILL_INVALID && p.skill != expected_skill))
    goto out;

  node = rs_yaml_mapping_get (&doc, root, "subtopic");
  p.subtopic = rs_yaml_scalar (node);
  if (p.subtopic == NULL || *p.subtopic == '\0')
    {
      add_diagnostic (bank, path, rs_yaml_line (node ? node : root), _("missing field 'subtopic'"));
      goto out;
    }
  node = rs_yaml_mapping_get (&doc, root, "title");
  if (node != NULL)
    {
      const char *title = rs_yaml_scalar (node);
      if (title == NULL || *title == '\0' || strchr (title, '\n') != NULL || g_utf8_strlen (title, -1) > 60)
        add_diagnostic (bank, path, rs_yaml_line (node),
                        _("title must be one line of at most 60 characters, e.g. 'NumPy and pandas'"));
      else
        g_hash_table_insert (bank->titles, g_strdup_printf ("%s/%s", rs_skill_id (p.skill), p.subtopic),
                             g_strdup (title));
    }

  items = rs_yaml_mapping_get (&doc, root, "items");
  if (items == NULL)
    add_diagnostic (bank, path, rs_yaml_line (root), _("missing field 'items'"));
  else if (!rs_yaml_is_sequence (items) || rs_yaml_sequence_length (items) == 0)
    add_diagnostic (bank, path, rs_yaml_line (items), _("'items' must be a non-empty list"));
  else
    for (int i = 0; i < rs_yaml_sequence_length (items); i++)
      {
        RsItem *item = parse_item (&p, rs_yaml_sequence_item (&doc, items, i));
        if (item != NULL)
          add_checked (bank, item);
      }

out:
  rs_yaml_doc_clear (&doc);
}

static gint
compare_paths (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* Collects *.yaml below dir, recursing into folders. */
static gboolean
collect_files (const char *dir, GPtrArray *paths, GError **error)
{
  g_autoptr (GDir) handle = g_dir_open (dir, 0, error);
  const char *name;

  if (handle == NULL)
    return FALSE;
  while ((name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      if (name[0] == '.')
        continue;
      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          if (!collect_files (path, paths, error))
            return FALSE;
        }
      else if (g_str_has_suffix (name, ".yaml") || g_str_has_suffix (name, ".yml"))
        g_ptr_array_add (paths, g_steal_pointer (&path));
    }
  return TRUE;
}

GPtrArray *
rs_bank_list_files (const char *dir, GError **error)
{
  g_autoptr (GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) local = NULL;

  if (!collect_files (dir, paths, &local))
    {
      g_set_error (error, RS_ERROR, RS_ERROR_IO, "cannot read the question folder %s: %s", dir, local->message);
      return NULL;
    }
  g_ptr_array_sort (paths, compare_paths);
  return g_steal_pointer (&paths);
}

gboolean
rs_bank_load_dir (RsBank *bank, const char *dir, GError **error)
{
  g_autoptr (GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) local = NULL;

  if (!collect_files (dir, paths, &local))
    {
      g_set_error (error, RS_ERROR, RS_ERROR_IO, _("cannot read the question folder %s: %s"), dir,
                   local->message);
      return FALSE;
    }
  g_ptr_array_sort (paths, compare_paths);
  for (guint i = 0; i < paths->len; i++)
    {
      const char *path = g_ptr_array_index (paths, i);
      g_autofree char *parent = g_path_get_dirname (path);
      g_autofree char *folder = g_path_get_basename (parent);
      g_autofree char *name = g_path_get_basename (path);
      /* questions/<skill>/<topic>.yaml: the folder names the skill. */
      RsSkill skill = rs_skill_from_id (folder);

      /* The calibration travels beside the topics; it is read last. */
      if (strcmp (parent, dir) == 0 && strcmp (name, RS_BANK_CALIBRATION_FILE) == 0)
        continue;

      if (skill == RS_SKILL_INVALID && strcmp (parent, dir) != 0)
        {
          add_diagnostic (bank, path, 0,
                          _("folder '%s' is not a skill (python, statistics, ml or empathy)"), folder);
          continue;
        }
      rs_bank_load_file (bank, path, skill);
    }
  rs_bank_check_links (bank);
  {
    g_autofree char *calibration = g_build_filename (dir, RS_BANK_CALIBRATION_FILE, NULL);
    if (g_file_test (calibration, G_FILE_TEST_EXISTS))
      rs_bank_load_calibration (bank, calibration);
  }
  return TRUE;
}

/* --- calibrations --- */

/* calibration.yaml, as `reskill calibrate --export` writes it:
 *
 *     calibration: UUID
 *     created: 2026-12-02T10:00:00Z
 *     items:
 *       - {id: py.async.006, irt: {a: 1.31, b: 0.42, c: 0.25}}
 *     withheld: [py.async.009]
 *
 * Each item's irt is read exactly as in a topic file. */
void
rs_bank_load_calibration (RsBank *bank, const char *path)
{
  static const char *const fields[] = { "calibration", "created", "items", "withheld", NULL };
  static const char *const entry_fields[] = { "id", "irt", NULL };
  RsYamlDoc doc;
  g_autofree char *message = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *uuid = NULL;
  g_autofree char *created = NULL;
  g_autoptr (GDateTime) when = NULL;
  Parse p = { bank, &doc, path, RS_SKILL_INVALID, NULL, TRUE };
  yaml_node_t *root, *items, *withheld;
  gsize len = 0;
  int line;

  /* The bytes hashed into the bank's version are the bytes parsed: read
   * once. (Read a second time, the file could change in between, or fail
   * to read and be left out of the version while its parameters are in
   * force; imports recompute results with the bank of the same version.) */
  if (!rs_yaml_doc_load_full (&doc, path, RS_BANK_MAX_FILE_SIZE, &contents, &len, &line, &message))
    {
      add_diagnostic (bank, path, line, "%s", message);
      return;
    }
  g_checksum_update (bank->checksum, (const guchar *) contents, len);
  g_clear_pointer (&bank->version, g_free);
  root = rs_yaml_root (&doc);
  if (!rs_yaml_is_mapping (root))
    {
      add_diagnostic (bank, path, rs_yaml_line (root), _("a calibration file is a mapping with calibration, created and items"));
      goto out;
    }
  check_keys (&p, root, fields, _("a calibration file"));
  uuid = get_text (&p, root, "calibration", TRUE, "the calibration");
  created = get_text (&p, root, "created", TRUE, "the calibration");
  if (created != NULL && (when = g_date_time_new_from_iso8601 (created, NULL)) == NULL)
    add_diagnostic (bank, path, rs_yaml_line (rs_yaml_mapping_get (&doc, root, "created")),
                    _("created '%s' is not a date and time such as 2026-12-02T10:00:00Z"), created);
  if (uuid == NULL || !g_uuid_string_is_valid (uuid))
    {
      if (uuid != NULL)
        add_diagnostic (bank, path, rs_yaml_line (rs_yaml_mapping_get (&doc, root, "calibration")),
                        _("calibration '%s' is not a UUID"), uuid);
      goto out;
    }
  items = rs_yaml_mapping_get (&doc, root, "items");
  if (items != NULL && !rs_yaml_is_sequence (items))
    add_diagnostic (bank, path, rs_yaml_line (items), _("items must be a list of {id, irt}"));
  for (int i = 0; items != NULL && rs_yaml_is_sequence (items) && i < rs_yaml_sequence_length (items); i++)
    {
      yaml_node_t *entry = rs_yaml_sequence_item (&doc, items, i);
      g_autofree char *id = NULL;
      RsItem *item;

      p.item_ok = TRUE;
      if (!rs_yaml_is_mapping (entry))
        {
          add_diagnostic (bank, path, rs_yaml_line (entry), _("each item is a mapping {id, irt}"));
          continue;
        }
      check_keys (&p, entry, entry_fields, _("a calibrated item"));
      id = get_text (&p, entry, "id", TRUE, "(no id)");
      if (id == NULL)
        continue;
      item = g_hash_table_lookup (bank->by_id, id);
      if (item == NULL)
        {
          add_diagnostic (bank, path, rs_yaml_line (entry), _("item %s is not in the bank"), id);
          continue;
        }
      if (rs_yaml_mapping_get (&doc, entry, "irt") == NULL)
        {
          add_diagnostic (bank, path, rs_yaml_line (entry), _("item %s: missing field 'irt'"), id);
          continue;
        }
      parse_irt (&p, entry, item);
    }
  withheld = rs_yaml_mapping_get (&doc, root, "withheld");
  if (withheld != NULL && !rs_yaml_is_sequence (withheld))
    add_diagnostic (bank, path, rs_yaml_line (withheld), _("withheld must be a list of item ids"));
  for (int i = 0; withheld != NULL && rs_yaml_is_sequence (withheld) && i < rs_yaml_sequence_length (withheld); i++)
    {
      yaml_node_t *node = rs_yaml_sequence_item (&doc, withheld, i);
      const char *id = rs_yaml_scalar (node);

      if (id == NULL || !g_hash_table_contains (bank->by_id, id))
        add_diagnostic (bank, path, rs_yaml_line (node), _("withheld item %s is not in the bank"), id ? id : _("(none)"));
      else
        g_hash_table_add (bank->withheld, g_strdup (id));
    }
  rs_bank_set_calibration (bank, uuid, when != NULL ? g_date_time_to_unix (when) * G_USEC_PER_SEC : 0);

out:
  rs_yaml_doc_clear (&doc);
}

const char *
rs_bank_calibration (const RsBank *bank)
{
  return bank->calibration;
}

gint64
rs_bank_calibration_time (const RsBank *bank)
{
  return bank->calibration_time;
}

void
rs_bank_set_calibration (RsBank *bank, const char *uuid, gint64 created_at)
{
  g_free (bank->calibration);
  bank->calibration = g_strdup (uuid);
  bank->calibration_time = created_at;
}

gboolean
rs_bank_set_params (RsBank *bank, const char *id, const RsIrtParams *params)
{
  RsItem *item = g_hash_table_lookup (bank->by_id, id);

  if (item == NULL || (params->model == RS_MODEL_GPCM) != (item->irt.model == RS_MODEL_GPCM)
      || rs_irt_max_score (params) != rs_item_max_score (item) || !(params->a > 0))
    return FALSE;
  item->irt = *params;
  item->irt_given = TRUE;
  return TRUE;
}

void
rs_bank_set_withheld (RsBank *bank, const char *id, gboolean withheld)
{
  if (withheld)
    g_hash_table_add (bank->withheld, g_strdup (id));
  else
    g_hash_table_remove (bank->withheld, id);
}

gboolean
rs_bank_is_withheld (const RsBank *bank, const char *id)
{
  return id != NULL && g_hash_table_contains (bank->withheld, id);
}

GHashTable *
rs_bank_withheld (const RsBank *bank)
{
  return bank->withheld;
}

void
rs_bank_check_links (RsBank *bank)
{
  for (guint i = 0; i < bank->items->len; i++)
    {
      RsItem *item = g_ptr_array_index (bank->items, i);
      for (int r = 0; item->related && item->related[r]; r++)
        {
          if (strcmp (item->related[r], item->id) == 0)
            add_diagnostic (bank, item->file, item->line, _("item %s lists itself in 'related'"),
                            item->id);
          else if (!g_hash_table_contains (bank->by_id, item->related[r]))
            add_diagnostic (bank, item->file, item->line,
                            _("item %s: related item '%s' does not exist"), item->id,
                            item->related[r]);
        }
    }
}

/* --- CSV banks for simulation --- */

RsBank *
rs_bank_new_from_csv (const char *path, GError **error)
{
  g_autofree char *text = NULL;
  g_autoptr (GError) local = NULL;
  g_autoptr (RsBank) bank = NULL;
  g_auto (GStrv) lines = NULL;
  g_auto (GStrv) header = NULL;
  int n_cols;

  if (!rs_file_read_regular (path, 64 * 1024 * 1024, _("item parameter file"), &text, NULL, error))
    return NULL;
  lines = g_strsplit (text, "\n", -1);
  if (lines[0] == NULL)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_PARSE, _("%s:1: empty file (expected the header a,b,c)"), path);
      return NULL;
    }
  header = g_strsplit (g_strstrip (lines[0]), ",", -1);
  n_cols = (int) g_strv_length (header);
  if (!((n_cols == 3 || n_cols == 4) && strcmp (header[0], "a") == 0 && strcmp (header[1], "b") == 0
        && strcmp (header[2], "c") == 0 && (n_cols == 3 || strcmp (header[3], "d") == 0)))
    {
      g_set_error (error, RS_ERROR, RS_ERROR_PARSE, _("%s:1: the header must be a,b,c or a,b,c,d"), path);
      return NULL;
    }

  bank = rs_bank_new ();
  for (int l = 1; lines[l] != NULL; l++)
    {
      g_auto (GStrv) cells = NULL;
      RsItem *item;
      double v[4] = { 0, 0, 0, 1 };
      char *line = g_strstrip (lines[l]);

      if (*line == '\0')
        continue;
      cells = g_strsplit (line, ",", -1);
      if ((int) g_strv_length (cells) != n_cols)
        {
          g_set_error (error, RS_ERROR, RS_ERROR_PARSE,
                       g_dngettext (GETTEXT_PACKAGE, "%s:%d: expected %d value, found %u",
                                    "%s:%d: expected %d values, found %u", (gulong) n_cols),
                       path, l + 1, n_cols, g_strv_length (cells));
          return NULL;
        }
      for (int c = 0; c < n_cols; c++)
        {
          char *end = NULL;
          v[c] = g_ascii_strtod (g_strstrip (cells[c]), &end);
          if (end == cells[c] || *end != '\0' || !isfinite (v[c]))
            {
              g_set_error (error, RS_ERROR, RS_ERROR_PARSE, _("%s:%d: '%s' is not a number"), path,
                           l + 1, cells[c]);
              return NULL;
            }
        }
      if (!(v[0] > 0) || v[2] < 0 || v[2] >= v[3] || v[3] > 1)
        {
          g_set_error (error, RS_ERROR, RS_ERROR_PARSE,
                       _("%s:%d: need a > 0 and 0 <= c < d <= 1"), path, l + 1);
          return NULL;
        }
      item = g_new0 (RsItem, 1);
      item->id = g_strdup_printf ("csv.%d", l);
      item->skill = RS_SKILL_PYTHON;
      item->subtopic = g_strdup ("csv");
      item->type = RS_ITEM_SINGLE;
      item->level = 3;
      item->irt_given = TRUE;
      item->irt = (RsIrtParams) { .model = RS_MODEL_4PL, .a = v[0], .b = v[1], .c = v[2], .d = v[3] };
      item->file = g_strdup (path);
      item->line = l + 1;
      rs_bank_add_item (bank, item);
    }
  if (rs_bank_n_items (bank) == 0)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_PARSE, _("%s: no items after the header"), path);
      return NULL;
    }
  return g_steal_pointer (&bank);
}

const GPtrArray *
rs_bank_diagnostics (const RsBank *bank)
{
  return bank->diagnostics;
}

guint
rs_bank_n_items (const RsBank *bank)
{
  return bank->items->len;
}

const RsItem *
rs_bank_item (const RsBank *bank, guint index)
{
  g_return_val_if_fail (index < bank->items->len, NULL);
  return g_ptr_array_index (bank->items, index);
}

const RsItem *
rs_bank_lookup (const RsBank *bank, const char *id)
{
  return id ? g_hash_table_lookup (bank->by_id, id) : NULL;
}

const GPtrArray *
rs_bank_skill_items (const RsBank *bank, RsSkill skill)
{
  g_return_val_if_fail (skill >= 0 && skill < RS_N_SKILLS, NULL);
  return bank->by_skill[skill];
}

const char *
rs_bank_version (const RsBank *bank)
{
  RsBank *mutable_bank = (RsBank *) bank;

  /* Computed lazily: the checksum can only be read once finished. */
  if (mutable_bank->version == NULL)
    {
      g_autoptr (GChecksum) copy = g_checksum_copy (bank->checksum);
      mutable_bank->version = g_strndup (g_checksum_get_string (copy), 16);
    }
  return bank->version;
}

char *
rs_bank_subtopic_title (const RsBank *bank, RsSkill skill, const char *subtopic)
{
  g_autofree char *key = g_strdup_printf ("%s/%s", rs_skill_id (skill), subtopic);
  const char *title = g_hash_table_lookup (bank->titles, key);
  char *fallback;

  if (title != NULL)
    return g_strdup (title);
  /* "numpy-pandas" → "Numpy pandas": readable, if not as good as a title. */
  fallback = g_strdelimit (g_strdup (subtopic), "-_", ' ');
  fallback[0] = g_ascii_toupper (fallback[0]);
  return fallback;
}

gboolean
rs_bank_subtopic_has_title (const RsBank *bank, RsSkill skill, const char *subtopic)
{
  g_autofree char *key = g_strdup_printf ("%s/%s", rs_skill_id (skill), subtopic);
  return g_hash_table_contains (bank->titles, key);
}
