/* SPDX-License-Identifier: GPL-3.0-or-later */
/* reskill calibrate: item parameters from answers, two ways in, one engine
 * (rs-calibrate):
 *
 * - --responses LONG.csv: any answers, in the long form person,item_id,score,
 *   so that results can be compared with other IRT software on one file;
 * - --db FILE: the answers stored by this kiosk (rs-calibration).
 *
 * CSV is read with libcsv, fed one physical line at a time so that every
 * message names the line; a bad file is refused whole and no output file is
 * written (the output is written to a temporary file and renamed). */
#include <csv.h>
#include <errno.h>
#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "rs-calibrate.h"
#include "rs-calibration.h"
#include "rs-cli-commands.h"
#include "rs-server-report.h"
#include "rs-error.h"
#include "rs-paths.h"
#include "rs-people.h"
#include "rs-store.h"

#define MAX_FIELDS 8

/* --- a streaming CSV reader with line numbers --- */

typedef struct {
  const char *path;
  int line;                  /* physical line being fed */
  int record_line;           /* where the current record started */
  gboolean between;
  int n_fields;
  char *fields[MAX_FIELDS];
  gboolean too_many;
  gboolean bad_utf8;
  /* what to do with each record; FALSE stops with *error set */
  gboolean (*record) (gpointer user_data, int line, char **fields, int n_fields, GError **error);
  gpointer user_data;
  GError *error;
} LineCsv;

static void
line_csv_field (void *data, size_t len, void *user_data)
{
  LineCsv *r = user_data;

  if (r->n_fields >= MAX_FIELDS)
    {
      r->too_many = TRUE;
      return;
    }
  if (len > 0 && !g_utf8_validate_len (data, len, NULL))
    r->bad_utf8 = TRUE;
  r->fields[r->n_fields++] = g_strndup (data != NULL ? data : "", len);
}

static void
line_csv_record (int terminator, void *user_data)
{
  LineCsv *r = user_data;

  if (r->error == NULL)
    {
      if (r->too_many)
        g_set_error (&r->error, RS_ERROR, RS_ERROR_PARSE, _("%s:%d: too many fields (%d at most)"), r->path,
                     r->record_line, MAX_FIELDS);
      else if (r->bad_utf8)
        g_set_error (&r->error, RS_ERROR, RS_ERROR_PARSE, _("%s:%d: not valid UTF-8 text"), r->path, r->record_line);
      else if (r->n_fields > 0)
        r->record (r->user_data, r->record_line, r->fields, r->n_fields, &r->error);
    }
  for (int i = 0; i < r->n_fields; i++)
    g_clear_pointer (&r->fields[i], g_free);
  r->n_fields = 0;
  r->too_many = r->bad_utf8 = FALSE;
  r->between = TRUE;
}

static int
no_spaces (unsigned char c)
{
  return 0;
}

/* Reads path record by record; stops at the first problem. */
static gboolean
line_csv_read (const char *path, gboolean (*record) (gpointer, int, char **, int, GError **), gpointer user_data,
               GError **error)
{
  g_autofree char *text = NULL;
  g_autoptr (GError) local = NULL;
  gsize length = 0, i = 0;
  struct csv_parser parser;
  LineCsv r = { path, 1, 1, TRUE, 0, { NULL }, FALSE, FALSE, record, user_data, NULL };

  if (!g_file_get_contents (path, &text, &length, &local))
    {
      /* Translators: GLib's message follows, with the file's name. */
      g_set_error (error, RS_ERROR, RS_ERROR_IO, _("The file cannot be read: %s"), local->message);
      return FALSE;
    }
  if (csv_init (&parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
    g_error ("libcsv cannot start: out of memory");
  csv_set_space_func (&parser, no_spaces);
  if (length >= 3 && memcmp (text, "\xEF\xBB\xBF", 3) == 0)
    i = 3;
  while (i < length && r.error == NULL)
    {
      /* One physical line (with its terminator) at a time. */
      gsize end = i;
      while (end < length && text[end] != '\n' && text[end] != '\r')
        end++;
      if (end < length)
        end += (text[end] == '\r' && end + 1 < length && text[end + 1] == '\n') ? 2 : 1;
      if (r.between && !(text[i] == '\n' || text[i] == '\r'))
        {
          r.between = FALSE;
          r.record_line = r.line;
        }
      if (csv_parse (&parser, text + i, end - i, line_csv_field, line_csv_record, &r) != end - i)
        {
          if (r.error == NULL)
            g_set_error (&r.error, RS_ERROR, RS_ERROR_PARSE,
                         _("%s:%d: broken quoting: a quote inside an unquoted field, or text after a closing quote"),
                         path, r.record_line);
          break;
        }
      r.line++;
      i = end;
    }
  if (r.error == NULL && csv_fini (&parser, line_csv_field, line_csv_record, &r) != 0)
    g_set_error (&r.error, RS_ERROR, RS_ERROR_PARSE, _("%s:%d: a quoted field is never closed"), path, r.record_line);
  for (int k = 0; k < r.n_fields; k++)
    g_free (r.fields[k]);
  csv_free (&parser);
  if (r.error != NULL)
    {
      g_propagate_error (error, r.error);
      return FALSE;
    }
  return TRUE;
}

static gboolean
parse_number (const char *text, double *value)
{
  char *end = NULL;

  if (text == NULL || *text == '\0')
    return FALSE;
  errno = 0;
  *value = g_ascii_strtod (text, &end);
  return errno == 0 && end != NULL && *end == '\0' && isfinite (*value);
}

/* --- the long responses file --- */

typedef struct {
  guint32 person;
  guint32 item;
  int score;
} Answer;

typedef struct {
  const char *path;
  RsCalibModel model;
  int column[3];             /* person, item_id, score */
  gboolean header_seen;
  GHashTable *persons;       /* name → index + 1 */
  GHashTable *items;         /* id → index + 1 */
  GPtrArray *item_ids;       /* char *, by index (owned by items' keys) */
  GArray *max_score;         /* int, by index */
  GArray *answers;           /* Answer */
  GHashTable *seen;          /* (person, item) → line */
} Responses;

static void
responses_clear (Responses *r)
{
  g_clear_pointer (&r->persons, g_hash_table_unref);
  g_clear_pointer (&r->items, g_hash_table_unref);
  g_clear_pointer (&r->item_ids, g_ptr_array_unref);
  g_clear_pointer (&r->max_score, g_array_unref);
  g_clear_pointer (&r->answers, g_array_unref);
  g_clear_pointer (&r->seen, g_hash_table_unref);
}

static guint
intern (GHashTable *table, const char *name, GPtrArray *names)
{
  gpointer value;
  char *key;

  if (g_hash_table_lookup_extended (table, name, NULL, &value))
    return GPOINTER_TO_UINT (value) - 1;
  key = g_strdup (name);
  g_hash_table_insert (table, key, GUINT_TO_POINTER (g_hash_table_size (table) + 1));
  if (names != NULL)
    g_ptr_array_add (names, key);
  return g_hash_table_size (table) - 1;
}

static gboolean
responses_record (gpointer user_data, int line, char **fields, int n_fields, GError **error)
{
  Responses *r = user_data;
  static const char *const names[3] = { "person", "item_id", "score" };
  const char *person, *item, *score_text;
  guint p, j;
  double score;
  int max_allowed = r->model == RS_CALIB_GPCM ? RS_IRT_MAX_STEPS : 1;
  guint64 key;
  gpointer first;

  if (!r->header_seen)
    {
      r->header_seen = TRUE;
      for (int c = 0; c < 3; c++)
        r->column[c] = -1;
      for (int f = 0; f < n_fields; f++)
        for (int c = 0; c < 3; c++)
          if (g_str_equal (fields[f], names[c]))
            r->column[c] = f;
      if (n_fields != 3 || r->column[0] < 0 || r->column[1] < 0 || r->column[2] < 0)
        {
          g_set_error (error, RS_ERROR, RS_ERROR_PARSE,
                       _("%s:%d: the first line must name the columns person,item_id,score"), r->path, line);
          return FALSE;
        }
      return TRUE;
    }
  if (n_fields != 3)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_PARSE,
                   g_dngettext (GETTEXT_PACKAGE, "%s:%d: %d field where person,item_id,score are 3",
                                "%s:%d: %d fields where person,item_id,score are 3", (gulong) n_fields),
                   r->path, line, n_fields);
      return FALSE;
    }
  person = fields[r->column[0]];
  item = fields[r->column[1]];
  score_text = fields[r->column[2]];
  if (*person == '\0' || *item == '\0')
    {
      /* Translators: the third %s is a column name, person or item_id. */
      g_set_error (error, RS_ERROR, RS_ERROR_PARSE, _("%s:%d: the %s is empty"), r->path, line,
                   *person == '\0' ? "person" : "item_id");
      return FALSE;
    }
  if (!parse_number (score_text, &score) || score != floor (score) || score < 0 || score > max_allowed)
    {
      if (r->model == RS_CALIB_GPCM)
        g_set_error (error, RS_ERROR, RS_ERROR_PARSE, _("%s:%d: score '%s' is not a whole number from 0 to %d"),
                     r->path, line, score_text, RS_IRT_MAX_STEPS);
      else
        g_set_error (error, RS_ERROR, RS_ERROR_PARSE,
                     _("%s:%d: score '%s' must be 0 or 1 for the %s model (use --model gpcm for partial credit)"),
                     r->path, line, score_text, rs_calib_model_id (r->model));
      return FALSE;
    }
  p = intern (r->persons, person, NULL);
  j = intern (r->items, item, r->item_ids);
  if (j >= r->max_score->len)
    {
      int zero = 0;
      g_array_append_val (r->max_score, zero);
    }
  key = ((guint64) p << 32) | j;
  if (g_hash_table_lookup_extended (r->seen, &key, NULL, &first))
    {
      g_set_error (error, RS_ERROR, RS_ERROR_PARSE, _("%s:%d: person %s already answered item %s on line %d"),
                   r->path, line, person, item, GPOINTER_TO_INT (first));
      return FALSE;
    }
  g_hash_table_insert (r->seen, g_memdup2 (&key, sizeof key), GINT_TO_POINTER (line));
  g_array_index (r->max_score, int, j) = MAX (g_array_index (r->max_score, int, j), (int) score);
  g_array_append_vals (r->answers, &(Answer) { p, j, (int) score }, 1);
  return TRUE;
}

/* --- parameter files: id,a,b,c and id,a,b with b = "b1;b2;..." --- */

typedef struct {
  const char *path;
  gboolean header_seen;
  int n_columns;
  GHashTable *params;        /* id → RsIrtParams * */
} ParamsFile;

static gboolean
params_record (gpointer user_data, int line, char **fields, int n_fields, GError **error)
{
  ParamsFile *f = user_data;
  RsIrtParams p = { .d = 1.0 };
  g_auto (GStrv) steps = NULL;

  if (!f->header_seen)
    {
      f->header_seen = TRUE;
      if ((n_fields == 4 && g_str_equal (fields[0], "id") && g_str_equal (fields[1], "a")
           && g_str_equal (fields[2], "b") && g_str_equal (fields[3], "c"))
          || (n_fields == 3 && g_str_equal (fields[0], "id") && g_str_equal (fields[1], "a")
              && g_str_equal (fields[2], "b")))
        {
          f->n_columns = n_fields;
          return TRUE;
        }
      g_set_error (error, RS_ERROR, RS_ERROR_PARSE, _("%s:%d: the first line must be id,a,b,c (or id,a,b for GPCM)"),
                   f->path, line);
      return FALSE;
    }
  if (n_fields != f->n_columns)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_PARSE,
                   g_dngettext (GETTEXT_PACKAGE, "%s:%d: %d field where the header has %d",
                                "%s:%d: %d fields where the header has %d", (gulong) n_fields),
                   f->path, line, n_fields, f->n_columns);
      return FALSE;
    }
  if (*fields[0] == '\0' || g_hash_table_contains (f->params, fields[0]))
    {
      g_set_error (error, RS_ERROR, RS_ERROR_PARSE, _("%s:%d: item id '%s' is empty or given twice"), f->path, line,
                   fields[0]);
      return FALSE;
    }
  if (!parse_number (fields[1], &p.a) || !(p.a > 0 && p.a < 20))
    {
      g_set_error (error, RS_ERROR, RS_ERROR_PARSE, _("%s:%d: a '%s' must be a number between 0 and 20"), f->path,
                   line, fields[1]);
      return FALSE;
    }
  steps = g_strsplit (fields[2], ";", -1);
  if (g_strv_length (steps) > 1 || f->n_columns == 3)
    {
      p.model = RS_MODEL_GPCM;
      p.n_steps = (int) g_strv_length (steps);
      if (p.n_steps < 1 || p.n_steps > RS_IRT_MAX_STEPS)
        {
          g_set_error (error, RS_ERROR, RS_ERROR_PARSE,
                       g_dngettext (GETTEXT_PACKAGE, "%s:%d: %d step where 1 to %d are allowed",
                                    "%s:%d: %d steps where 1 to %d are allowed", (gulong) p.n_steps),
                       f->path, line, p.n_steps, RS_IRT_MAX_STEPS);
          return FALSE;
        }
      for (int v = 0; v < p.n_steps; v++)
        if (!parse_number (steps[v], &p.steps[v]) || fabs (p.steps[v]) > 20)
          {
            g_set_error (error, RS_ERROR, RS_ERROR_PARSE, _("%s:%d: step '%s' must be a number between -20 and 20"),
                         f->path, line, steps[v]);
            return FALSE;
          }
    }
  else
    {
      p.model = RS_MODEL_4PL;
      if (!parse_number (fields[2], &p.b) || fabs (p.b) > 20)
        {
          g_set_error (error, RS_ERROR, RS_ERROR_PARSE, _("%s:%d: b '%s' must be a number between -20 and 20"), f->path,
                       line, fields[2]);
          return FALSE;
        }
      if (f->n_columns == 4 && (!parse_number (fields[3], &p.c) || p.c < 0 || p.c >= 1))
        {
          g_set_error (error, RS_ERROR, RS_ERROR_PARSE, _("%s:%d: c '%s' must be a number from 0 up to 1"), f->path,
                       line, fields[3]);
          return FALSE;
        }
    }
  g_hash_table_insert (f->params, g_strdup (fields[0]), g_memdup2 (&p, sizeof p));
  return TRUE;
}

/* --- output --- */

static void
append_params_line (GString *out, const RsCalibItem *it)
{
  char a[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append_printf (out, "%s,%s,", it->id, g_ascii_formatd (a, sizeof a, "%.6f", it->params.a));
  if (it->params.model == RS_MODEL_GPCM)
    for (int v = 0; v < it->params.n_steps; v++)
      g_string_append_printf (out, "%s%s", v > 0 ? ";" : "", g_ascii_formatd (a, sizeof a, "%.6f", it->params.steps[v]));
  else
    {
      g_string_append (out, g_ascii_formatd (a, sizeof a, "%.6f", it->params.b));
      g_string_append_printf (out, ",%s", g_ascii_formatd (a, sizeof a, "%.6f", it->params.c));
    }
  g_string_append_c (out, '\n');
}

/* "b ± se" for every b (GPCM: each step). */
static char *
format_b (const RsCalibItem *it)
{
  GString *text = g_string_new (NULL);

  if (it->params.model == RS_MODEL_GPCM)
    for (int v = 0; v < it->params.n_steps; v++)
      g_string_append_printf (text, "%s%.3f±%.3f", v > 0 ? ";" : "", it->params.steps[v], it->se_steps[v]);
  else
    g_string_append_printf (text, "%.3f±%.3f", it->params.b, it->se_b);
  return g_string_free (text, FALSE);
}

static void
print_items (const RsCalibResult *result)
{
  /* Translators: table headings; a, b and c are the IRT parameters, se
   * their standard errors, S-X2 the item fit statistic. */
  printf ("%-20s %6s  %-13s  %-27s  %-13s  %-22s  %s\n", _("item"), _("n"), _("a ± se"), _("b ± se"), _("c ± se"),
          _("S-X2 (df, p)"), _("flags"));
  for (guint j = 0; j < result->items->len; j++)
    {
      const RsCalibItem *it = g_ptr_array_index (result->items, j);
      g_autofree char *b = format_b (it);
      g_autofree char *flags = rs_calib_flag_ids (it->flags);
      g_autofree char *fit = it->fit_df > 0 ? g_strdup_printf ("%.1f (%d, %.3f)", it->fit_chi2, it->fit_df, it->fit_p)
                                            : g_strdup ("-");

      printf ("%-20s %6d  %6.3f±%-6.3f  %-27s  %6.3f±%-6.3f  %-22s  %s%s\n", it->id, it->n, it->params.a, it->se_a, b,
              it->params.c, it->se_c, fit, it->anchor ? _("anchor ") : "", flags);
    }
  if (result->latent_estimated)
    printf (_("latent distribution: mean %.6f ± %.6f, sd %.6f ± %.6f (anchors set the scale)\n"), result->mean,
            result->se_mean, result->sd, result->se_sd);
  /* Translators: how the standard errors were computed, then "converged" or
   * the advice. */
  printf (_("standard errors: %s; %s\n"), result->se_method,
          result->converged ? _("converged") : _("NOT converged: raise --max-iterations"));
}

/* --- the command --- */

static gboolean
parse_pair (const char *text, double *x, double *y)
{
  g_auto (GStrv) parts = text != NULL ? g_strsplit (text, ",", -1) : NULL;

  return parts != NULL && g_strv_length (parts) == 2 && parse_number (parts[0], x) && parse_number (parts[1], y);
}

static int
calibrate_responses (const char *responses_path, const char *model_name, double fix_c, const char *prior_c,
                     const char *anchors_path, const char *out_path, RsCalibOptions *options)
{
  Responses r = { 0 };
  ParamsFile anchors = { anchors_path, FALSE, 0, NULL };
  g_autoptr (RsCalibData) data = NULL;
  g_autoptr (RsCalibResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GString) out = g_string_new (NULL);
  g_autofree guint *person_index = NULL;
  RsCalibModel model;
  guint n_persons;
  char loglik[G_ASCII_DTOSTR_BUF_SIZE];
  int status = RS_EXIT_FAILURE;

  if (g_strcmp0 (model_name, "2pl") == 0)
    model = RS_CALIB_2PL;
  else if (g_strcmp0 (model_name, "3pl") == 0)
    model = isnan (fix_c) ? RS_CALIB_3PL_PRIOR_C : RS_CALIB_3PL;
  else if (g_strcmp0 (model_name, "gpcm") == 0)
    model = RS_CALIB_GPCM;
  else
    {
      rs_cli_error ("calibrate", _("--model must be 2pl, 3pl or gpcm"));
      return RS_EXIT_USAGE;
    }
  if (model != RS_CALIB_3PL && !isnan (fix_c))
    {
      rs_cli_error ("calibrate", _("--fix-c is for --model 3pl"));
      return RS_EXIT_USAGE;
    }
  if (!isnan (fix_c) && !(fix_c >= 0 && fix_c < 1))
    {
      rs_cli_error ("calibrate", _("--fix-c must be from 0 up to 1"));
      return RS_EXIT_USAGE;
    }
  if (prior_c != NULL)
    {
      if (model != RS_CALIB_3PL_PRIOR_C)
        {
          rs_cli_error ("calibrate", _("--prior-c is for --model 3pl without --fix-c"));
          return RS_EXIT_USAGE;
        }
      if (!parse_pair (prior_c, &options->c_prior_alpha, &options->c_prior_beta) || !(options->c_prior_alpha > 1)
          || !(options->c_prior_beta > 1))
        {
          rs_cli_error ("calibrate", _("--prior-c needs A,B with both above 1, such as 5,17"));
          return RS_EXIT_USAGE;
        }
    }
  if (out_path == NULL)
    {
      rs_cli_error ("calibrate", _("--out PARAMS.csv is required with --responses"));
      return RS_EXIT_USAGE;
    }

  r.path = responses_path;
  r.model = model;
  r.persons = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  r.items = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  r.item_ids = g_ptr_array_new ();
  r.max_score = g_array_new (FALSE, FALSE, sizeof (int));
  r.answers = g_array_new (FALSE, FALSE, sizeof (Answer));
  r.seen = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  if (!line_csv_read (responses_path, responses_record, &r, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      goto out;
    }
  if (r.answers->len == 0)
    {
      fprintf (stderr, _("%s: no answers: the file needs the header person,item_id,score and one line per answer\n"),
               responses_path);
      goto out;
    }
  if (anchors_path != NULL)
    {
      anchors.params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      if (!line_csv_read (anchors_path, params_record, &anchors, &error))
        {
          fprintf (stderr, "%s\n", error->message);
          goto out;
        }
    }

  data = rs_calib_data_new ();
  for (guint j = 0; j < r.item_ids->len; j++)
    {
      const char *id = g_ptr_array_index (r.item_ids, j);
      const RsIrtParams *anchor = anchors.params != NULL ? g_hash_table_lookup (anchors.params, id) : NULL;
      int max_score = MAX (g_array_index (r.max_score, int, j), 1);
      RsIrtParams start = { .model = RS_MODEL_4PL, .a = 0, .c = isnan (fix_c) ? 0 : fix_c, .d = 1 };

      if (anchor != NULL)
        {
          if ((anchor->model == RS_MODEL_GPCM) != (model == RS_CALIB_GPCM)
              || (model == RS_CALIB_GPCM && anchor->n_steps < max_score))
            {
              if (model == RS_CALIB_GPCM)
                fprintf (stderr, _("%s: anchor %s does not fit the %s model (it needs one step per score above 0)\n"),
                         anchors_path, id, rs_calib_model_id (model));
              else
                fprintf (stderr, _("%s: anchor %s does not fit the %s model\n"), anchors_path, id,
                         rs_calib_model_id (model));
              goto out;
            }
          max_score = model == RS_CALIB_GPCM ? anchor->n_steps : 1;
        }
      rs_calib_data_add_item (data, id, model, max_score,
                              anchor != NULL ? anchor : model == RS_CALIB_3PL ? &start : NULL, anchor != NULL);
    }
  n_persons = g_hash_table_size (r.persons);
  person_index = g_new (guint, MAX (n_persons, 1));
  for (guint p = 0; p < n_persons; p++)
    person_index[p] = rs_calib_data_add_person (data);
  for (guint k = 0; k < r.answers->len; k++)
    {
      const Answer *a = &g_array_index (r.answers, Answer, k);
      if (!rs_calib_data_add_response (data, person_index[a->person], (int) a->item, a->score, &error))
        {
          fprintf (stderr, "%s: %s\n", responses_path, error->message);
          goto out;
        }
    }
  if (anchors.params != NULL)
    {
      GHashTableIter iter;
      gpointer id;
      guint unused = 0;

      g_hash_table_iter_init (&iter, anchors.params);
      while (g_hash_table_iter_next (&iter, &id, NULL))
        unused += rs_calib_data_lookup_item (data, id) < 0;
      if (unused > 0)
        fprintf (stderr, g_dngettext (GETTEXT_PACKAGE, "%s: %u anchor not in the responses, left out\n",
                                      "%s: %u anchors not in the responses, left out\n", unused),
                 anchors_path, unused);
    }

  result = rs_calibrate (data, options, &error);
  if (result == NULL)
    {
      fprintf (stderr, "%s: %s\n", responses_path, error->message);
      goto out;
    }
  g_string_append (out, model == RS_CALIB_GPCM ? "id,a,b\n" : "id,a,b,c\n");
  for (guint j = 0; j < result->items->len; j++)
    append_params_line (out, g_ptr_array_index (result->items, j));
  /* Written whole or not at all (a temporary file renamed into place). */
  if (!g_file_set_contents (out_path, out->str, (gssize) out->len, &error))
    {
      rs_cli_error ("calibrate", "%s", error->message);
      goto out;
    }
  print_items (result);
  printf ("loglik=%s items=%u people=%d iterations=%d seconds=%.3f\n",
          g_ascii_formatd (loglik, sizeof loglik, "%.4f", result->loglik), result->items->len, result->n_persons,
          result->iterations, result->seconds);
  status = RS_EXIT_OK;

out:
  responses_clear (&r);
  g_clear_pointer (&anchors.params, g_hash_table_unref);
  return status;
}

/* --- from the database --- */

static char *
format_params (const RsIrtParams *p)
{
  GString *text = g_string_new (NULL);

  /* a, b and c are the IRT parameters' names in every language. */
  g_string_append_printf (text, "a %.2f b ", p->a);
  if (p->model == RS_MODEL_GPCM)
    for (int v = 0; v < p->n_steps; v++)
      g_string_append_printf (text, "%s%.2f", v > 0 ? ";" : "", p->steps[v]);
  else
    g_string_append_printf (text, "%.2f", p->b);
  if (p->model != RS_MODEL_GPCM && p->c > 0)
    g_string_append_printf (text, " c %.2f", p->c);
  return g_string_free (text, FALSE);
}

static char *
format_se (const RsCalibrationItem *it)
{
  GString *text = g_string_new (NULL);

  if (it->se_a <= 0)
    return g_string_free (text, FALSE);
  /* Translators: short for "standard error", before the standard errors
   * of the parameters a and b in the review table. */
  g_string_append_printf (text, _("se a %.2f b "), it->se_a);
  if (it->params.model == RS_MODEL_GPCM)
    for (int v = 0; v < it->params.n_steps; v++)
      g_string_append_printf (text, "%s%.2f", v > 0 ? ";" : "", it->se_steps[v]);
  else
    g_string_append_printf (text, "%.2f", it->se_b);
  return g_string_free (text, FALSE);
}

static void
print_calibration (const RsCalibration *calibration)
{
  guint counts[3] = { 0 };
  int width = 4;

  for (guint i = 0; i < calibration->items->len; i++)
    width = MAX (width, (int) strlen (((RsCalibrationItem *) g_ptr_array_index (calibration->items, i))->item_id));
  printf ("%-*s  %-11s  %5s  %-24s    %-24s  %-22s  %-20s  %s\n", width, _("item"), _("status"), _("n"), _("old"),
          _("new"), _("se"), _("S-X2 (df, p)"), _("flags"));
  for (guint i = 0; i < calibration->items->len; i++)
    {
      const RsCalibrationItem *it = g_ptr_array_index (calibration->items, i);
      g_autofree char *old = format_params (&it->old_params);
      g_autofree char *now = format_params (&it->params);
      g_autofree char *se = format_se (it);
      g_autofree char *flags = rs_calib_flag_ids (it->flags);
      g_autofree char *fit = it->fit_df > 0 ? g_strdup_printf ("%.1f (%d, %.3f)", it->fit_chi2, it->fit_df, it->fit_p)
                                            : g_strdup ("-");

      counts[it->status]++;
      printf ("%-*s  %-11s  %5d  %-24s -> %-24s  %-22s  %-20s  %s%s\n", width, it->item_id,
              rs_item_status_id (it->status), it->n, old, it->n > 0 || it->anchor ? now : _("(not answered)"), se,
              fit, it->anchor ? _("anchor ") : "", flags);
    }
  printf ("%s", calibration->summary);
  printf (g_dngettext (GETTEXT_PACKAGE,
                       "%u item: %u calibrated, %u provisional (fewer than %d answers: starting parameters stay in "
                       "use), %u flagged (kept out of tests until an administrator decides)\n",
                       "%u items: %u calibrated, %u provisional (fewer than %d answers: starting parameters stay in "
                       "use), %u flagged (kept out of tests until an administrator decides)\n",
                       calibration->items->len),
          calibration->items->len, counts[RS_ITEM_CALIBRATED], counts[RS_ITEM_PROVISIONAL],
          calibration->min_responses, counts[RS_ITEM_FLAGGED]);
}

static int
rs_cli_calibrate_db (const char *db_path, const char *questions, int min_responses, gboolean apply,
                     const char *export_path, gboolean rescore, const RsCalibOptions *options)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RsStore) store = NULL;
  g_autoptr (RsBank) bank = rs_bank_new ();
  g_autoptr (RsCalibration) calibration = NULL;
  g_autofree char *dir = questions != NULL ? g_strdup (questions) : rs_default_questions_dir ();

  /* Reading must not create an empty database where none was. */
  if (!g_file_test (db_path, G_FILE_TEST_EXISTS))
    {
      rs_cli_error ("calibrate", _("%s: no such file"), db_path);
      return RS_EXIT_FAILURE;
    }
  if (!rs_bank_load_dir (bank, dir, &error) || rs_bank_n_items (bank) == 0)
    {
      rs_cli_error ("calibrate", "%s", error != NULL ? error->message : _("the question folder has no valid question"));
      return RS_EXIT_FAILURE;
    }
  store = rs_store_open (db_path, &error);
  if (store == NULL || !rs_calibration_apply_to_bank (store, bank, &error))
    {
      rs_cli_error ("calibrate", "%s", error->message);
      return RS_EXIT_FAILURE;
    }
  calibration = rs_calibration_run (store, bank, rs_people_operator (), min_responses, options, &error);
  if (calibration == NULL)
    {
      rs_cli_error ("calibrate", "%s", error->message);
      return RS_EXIT_FAILURE;
    }
  print_calibration (calibration);
  if (apply)
    {
      if (!rs_calibration_apply (store, calibration, rs_people_operator (), &error))
        {
          rs_cli_error ("calibrate", "%s", error->message);
          return RS_EXIT_FAILURE;
        }
      printf (_("applied: calibration %s is in force\n"), calibration->uuid);
    }
  else
    printf ("%s\n", _("not applied (review only): run again with --apply to put it in force"));
  if (export_path != NULL || rescore)
    {
      /* What is in force now, applied just above or earlier. */
      g_autoptr (RsCalibration) current = rs_calibration_load_current (store, &error);
      g_autoptr (RsBank) fresh = rs_bank_new ();
      int n = 0;

      if (current == NULL)
        {
          rs_cli_error ("calibrate", "%s", error != NULL ? error->message
                                                         : _("no calibration has been applied yet: use --apply"));
          return RS_EXIT_FAILURE;
        }
      if (export_path != NULL)
        {
          if (!rs_calibration_export (current, export_path, &error))
            {
              rs_cli_error ("calibrate", "%s", error->message);
              return RS_EXIT_FAILURE;
            }
          printf (_("exported calibration %s to %s: copy it into the questions folder of each kiosk as %s\n"),
                  current->uuid, export_path, RS_BANK_CALIBRATION_FILE);
        }
      if (rescore)
        {
          if (!rs_bank_load_dir (fresh, dir, &error) || !rs_calibration_apply_to_bank (store, fresh, &error)
              || !rs_calibration_rescore (store, fresh, rs_people_operator (), &n, &error))
            {
              rs_cli_error ("calibrate", "%s", error->message);
              return RS_EXIT_FAILURE;
            }
          printf (g_dngettext (GETTEXT_PACKAGE,
                               "re-scored %d result with calibration %s; the earlier values are kept in the history\n",
                               "re-scored %d results with calibration %s; the earlier values are kept in the history\n",
                               (gulong) n),
                  n, rs_bank_calibration (fresh) ? rs_bank_calibration (fresh) : _("(none)"));
        }
    }
  return RS_EXIT_OK;
}

/* The same against the organization's server, as an administrator's own
 * login: every kiosk's answers, and the result kiosks pull. */
static int
rs_cli_calibrate_server (const char *conninfo, int password_fd, const char *questions, int min_responses,
                         gboolean apply, const RsCalibOptions *options)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RsPg) pg = NULL;
  g_autoptr (RsBank) bank = rs_bank_new ();
  g_autoptr (RsCalibration) current = NULL;
  g_autoptr (RsCalibration) calibration = NULL;
  g_autofree char *dir = questions != NULL ? g_strdup (questions) : rs_default_questions_dir ();

  if (!rs_bank_load_dir (bank, dir, &error) || rs_bank_n_items (bank) == 0)
    {
      rs_cli_error ("calibrate", "%s", error != NULL ? error->message : "the question folder has no valid question");
      return RS_EXIT_FAILURE;
    }
  pg = rs_cli_server_connect ("calibrate", conninfo, password_fd, TRUE);
  if (pg == NULL)
    return RS_EXIT_FAILURE;
  /* The server's calibration in force gives the anchors, as a kiosk's own
   * does for --db. */
  current = rs_server_calibration_current (pg, &error);
  if (error != NULL)
    {
      rs_cli_error ("calibrate", "%s", error->message);
      return RS_EXIT_FAILURE;
    }
  if (current != NULL)
    rs_calibration_put_in_force (bank, current);
  calibration = rs_server_calibration_run (pg, bank, min_responses, options, &error);
  if (calibration == NULL)
    {
      rs_cli_error ("calibrate", "%s", error->message);
      return RS_EXIT_FAILURE;
    }
  print_calibration (calibration);
  if (!apply)
    {
      printf ("not applied (review only): run again with --apply to put it in force on the server\n");
      return RS_EXIT_OK;
    }
  if (!rs_server_calibration_apply (pg, calibration, &error))
    {
      rs_cli_error ("calibrate", "%s", error->message);
      return RS_EXIT_FAILURE;
    }
  printf ("applied: calibration %s is in force on the server; kiosks take it at their next sync\n",
          calibration->uuid);
  return RS_EXIT_OK;
}

int
rs_cli_calibrate (int argc, char **argv)
{
  g_autofree char *responses = NULL, *model = NULL, *prior_c = NULL, *anchors = NULL, *out = NULL;
  g_autofree char *db_path = NULL, *export_path = NULL, *a_prior = NULL, *questions = NULL, *conninfo = NULL;
  double fix_c = NAN;
  int min_responses = RS_CALIBRATION_MIN_RESPONSES, quadrature = 0, threads = 0, max_iterations = 0;
  int password_fd = -1;
  gboolean apply = FALSE, rescore = FALSE;
  GOptionEntry entries[] = {
    { "responses", 0, 0, G_OPTION_ARG_FILENAME, &responses, N_("Long CSV of answers: person,item_id,score"), N_("LONG.csv") },
    { "model", 0, 0, G_OPTION_ARG_STRING, &model, N_("With --responses: 2pl, 3pl or gpcm"), N_("MODEL") },
    { "fix-c", 0, 0, G_OPTION_ARG_DOUBLE, &fix_c, N_("3PL: hold every c at this value"), N_("C") },
    { "prior-c", 0, 0, G_OPTION_ARG_STRING, &prior_c, N_("3PL: estimate c under a Beta(A, B) prior (default 5,17)"), N_("A,B") },
    { "anchors", 0, 0, G_OPTION_ARG_FILENAME, &anchors, N_("Items held at these parameters (id,a,b,c)"), N_("PARAMS.csv") },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out, N_("With --responses: where to write id,a,b,c"), N_("PARAMS.csv") },
    { "a-prior", 0, 0, G_OPTION_ARG_STRING, &a_prior, N_("Prior of ln a: MEAN,SD (default 0,0.5; SD 0: none)"), N_("M,S") },
    { "quadrature", 0, 0, G_OPTION_ARG_INT, &quadrature, N_("Grid points on [-6, 6] (default 41)"), N_("N") },
    { "max-iterations", 0, 0, G_OPTION_ARG_INT, &max_iterations, N_("EM cycles at most (default 500)"), N_("N") },
    { "threads", 0, 0, G_OPTION_ARG_INT, &threads, N_("Threads (default: one per core)"), N_("N") },
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path, N_("Calibrate from the answers stored in this database"), N_("FILE") },
    { "server", 0, 0, G_OPTION_ARG_STRING, &conninfo,
      N_("Calibrate from every answer on the organization's server (as an administrator); --apply stores it there"), N_("CONNINFO") },
    { "password-fd", 0, 0, G_OPTION_ARG_INT, &password_fd, N_("With --server: read the password from this descriptor"), N_("N") },
    { "questions", 0, 0, G_OPTION_ARG_FILENAME, &questions, N_("With --db: the question folder"), N_("DIR") },
    { "min-responses", 0, 0, G_OPTION_ARG_INT, &min_responses,
      N_("With --db: answers an item needs before its estimate is used (default 500)"), N_("N") },
    { "apply", 0, 0, G_OPTION_ARG_NONE, &apply, N_("With --db: store the calibration and put it in force"), NULL },
    { "export", 0, 0, G_OPTION_ARG_FILENAME, &export_path,
      N_("With --db: write the calibration in force as a file for the questions folder"), N_("FILE") },
    { "rescore", 0, 0, G_OPTION_ARG_NONE, &rescore,
      N_("With --db: score past results again with the calibration in force (old values kept)"), NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new (_("- item parameters from answers"));
  RsCalibOptions options;

  g_option_context_set_summary (context,
      _("Marginal maximum likelihood (EM on a 41-point grid over [-6, 6]) on the\n"
      "logistic metric (D = 1), with a lognormal prior on a.\n"
      "\n"
      "  reskill calibrate --responses LONG.csv --model 2pl|3pl|gpcm [--fix-c C]\n"
      "                    [--prior-c A,B] [--anchors PARAMS.csv] --out PARAMS.csv\n"
      "    reads person,item_id,score (0/1, or 0..m for gpcm), writes id,a,b,c\n"
      "    (gpcm: id,a,b1;b2;...), prints each item with standard errors, S-X2 fit\n"
      "    and flags, and ends with: loglik=X items=N people=M iterations=K seconds=S.\n"
      "    Anchors are held exactly; with none the latent distribution is N(0, 1).\n"
      "\n"
      "  reskill calibrate --db FILE [--min-responses N] [--apply] [--export FILE]\n"
      "                    [--rescore]\n"
      "    calibrates each skill from the answers of finished and abandoned\n"
      "    attempts, holding the trusted items fixed; prints each item's n,\n"
      "    old -> new parameters with SE, fit and flag. --apply stores it as a new\n"
      "    calibration; an item's estimate is used once it has N answers (default\n"
      "    500), flagged items wait for an administrator's decision. A weak N(0, 4^2)\n"
      "    prior on the intercepts keeps sparsely answered items finite.\n"
      "    --export writes the calibration in force as calibration.yaml for the\n"
      "    questions folder of other kiosks; --rescore scores past results again\n"
      "    with it, keeping the earlier values.\n"
      "\n"
      "  reskill calibrate --server CONNINFO [--min-responses N] [--apply]\n"
      "    the same on every kiosk's answers on the organization's server, as an\n"
      "    administrator's own login; --apply stores it there as the calibration in\n"
      "    force, which every kiosk pulls at its next sync."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!rs_cli_parse (context, "calibrate", &argc, &argv))
    return RS_EXIT_USAGE;
  if (argc > 1)
    {
      rs_cli_error ("calibrate", _("unexpected argument '%s'"), argv[1]);
      return RS_EXIT_USAGE;
    }
  rs_calib_options_init (&options);
  if (quadrature != 0)
    options.n_quad = quadrature;
  if (max_iterations != 0)
    options.max_iterations = max_iterations;
  options.n_threads = threads;
  if (a_prior != NULL && (!parse_pair (a_prior, &options.a_prior_mean, &options.a_prior_sd) || options.a_prior_sd < 0))
    {
      rs_cli_error ("calibrate", _("--a-prior needs MEAN,SD with SD >= 0, such as 0,0.5"));
      return RS_EXIT_USAGE;
    }
  if (options.n_quad < 5 || options.n_quad > 401 || options.max_iterations < 1 || threads < 0)
    {
      rs_cli_error ("calibrate", _("--quadrature must be 5-401, --max-iterations and --threads positive"));
      return RS_EXIT_USAGE;
    }
  if ((responses != NULL) + (db_path != NULL) + (conninfo != NULL) != 1)
    {
      rs_cli_error ("calibrate", _("give one of --responses LONG.csv, --db FILE or --server CONNINFO"));
      return RS_EXIT_USAGE;
    }
  if (responses != NULL)
    {
      if (apply || rescore || export_path != NULL || questions != NULL)
        {
          rs_cli_error ("calibrate", _("--apply, --export, --rescore and --questions go with --db"));
          return RS_EXIT_USAGE;
        }
      if (model == NULL)
        {
          rs_cli_error ("calibrate", _("--model 2pl|3pl|gpcm is required with --responses"));
          return RS_EXIT_USAGE;
        }
      return calibrate_responses (responses, model, fix_c, prior_c, anchors, out, &options);
    }
  if (model != NULL || out != NULL || anchors != NULL || prior_c != NULL || !isnan (fix_c))
    {
      rs_cli_error ("calibrate", _("--model, --out, --anchors, --fix-c and --prior-c go with --responses"));
      return RS_EXIT_USAGE;
    }
  if (min_responses < 1)
    {
      rs_cli_error ("calibrate", _("--min-responses must be at least 1"));
      return RS_EXIT_USAGE;
    }
  options.d_prior_sd = RS_CALIBRATION_D_PRIOR_SD;
  if (conninfo != NULL)
    {
      if (export_path != NULL || rescore)
        {
          rs_cli_error ("calibrate", "--export and --rescore go with --db: with a server, kiosks pull the "
                        "calibration in force");
          return RS_EXIT_USAGE;
        }
      return rs_cli_calibrate_server (conninfo, password_fd, questions, min_responses, apply, &options);
    }
  return rs_cli_calibrate_db (db_path, questions, min_responses, apply, export_path, rescore, &options);
}
