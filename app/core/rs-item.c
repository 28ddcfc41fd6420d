/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <glib/gi18n-lib.h>
#include <math.h>

#include "rs-error.h"
#include "rs-item.h"


const char *
rs_item_type_name (RsItemType type)
{
  switch (type)
    {
    case RS_ITEM_SINGLE: return "single";
    case RS_ITEM_MULTI: return "multi";
    case RS_ITEM_NUMERIC: return "numeric";
    case RS_ITEM_SCENARIO: return "scenario";
    default: return "unknown";
    }
}

static int
count_keyed (const RsItem *item)
{
  int n = 0;
  for (int i = 0; i < item->n_options; i++)
    n += item->options[i].score > 0;
  return n;
}

int
rs_item_max_score (const RsItem *item)
{
  switch (item->type)
    {
    case RS_ITEM_SINGLE:
      return 1;
    case RS_ITEM_MULTI:
      return MAX (count_keyed (item), 1);
    case RS_ITEM_NUMERIC:
      return item->partial_tolerance > 0 ? 2 : 1;
    case RS_ITEM_SCENARIO:
      {
        int best = 0;
        for (int i = 0; i < item->n_options; i++)
          best = MAX (best, item->options[i].score);
        return MAX (best, 1);
      }
    default:
      return 1;
    }
}

/* A small relative slack so that a typed 0.1 matches a tolerance edge that
 * binary floating point cannot hit exactly. */
static gboolean
within (double value, double target, double tolerance)
{
  return fabs (value - target) <= tolerance + 1e-9 * MAX (1.0, fabs (target));
}

int
rs_item_score (const RsItem *item, const RsAnswer *answer)
{
  switch (item->type)
    {
    case RS_ITEM_SINGLE:
      for (int i = 0; i < item->n_options; i++)
        if (answer->chosen == (1u << i))
          return item->options[i].score > 0 ? 1 : 0;
      return 0;

    case RS_ITEM_MULTI:
      {
        /* One point per right option ticked, minus one per wrong one, never
         * below zero: guessing "tick everything" earns nothing. */
        int score = 0;
        for (int i = 0; i < item->n_options; i++)
          if (answer->chosen & (1u << i))
            score += item->options[i].score > 0 ? 1 : -1;
        return CLAMP (score, 0, rs_item_max_score (item));
      }

    case RS_ITEM_NUMERIC:
      if (!answer->has_number || !isfinite (answer->number))
        return 0;
      if (within (answer->number, item->answer, item->tolerance))
        return rs_item_max_score (item);
      if (item->partial_tolerance > 0 && within (answer->number, item->answer, item->partial_tolerance))
        return 1;
      return 0;

    case RS_ITEM_SCENARIO:
      for (int i = 0; i < item->n_options; i++)
        if (answer->chosen == (1u << i))
          return item->options[i].score;
      return 0;

    default:
      return 0;
    }
}

void
rs_item_best_answer (const RsItem *item, RsAnswer *answer)
{
  int best = -1;

  *answer = (RsAnswer) { 0 };
  switch (item->type)
    {
    case RS_ITEM_NUMERIC:
      answer->has_number = TRUE;
      answer->number = item->answer;
      break;
    case RS_ITEM_MULTI:
      for (int i = 0; i < item->n_options; i++)
        if (item->options[i].score > 0)
          answer->chosen |= 1u << i;
      break;
    case RS_ITEM_SINGLE:
    case RS_ITEM_SCENARIO:
    default:
      for (int i = 0; i < item->n_options; i++)
        if (best < 0 || item->options[i].score > item->options[best].score)
          best = i;
      if (best >= 0)
        answer->chosen = 1u << best;
      break;
    }
}

gboolean
rs_item_answer_for_score (const RsItem *item, int score, RsAnswer *answer)
{
  rs_item_best_answer (item, answer);
  if (score >= rs_item_max_score (item))
    return rs_item_score (item, answer) == score;
  if (item->type == RS_ITEM_NUMERIC)
    {
      /* Half credit: between the two tolerances; nothing: far outside both. */
      answer->number = item->answer + (score > 0 ? (item->tolerance + item->partial_tolerance) / 2
                                                 : 100.0 * (item->partial_tolerance + item->tolerance + 1.0));
      return rs_item_score (item, answer) == score;
    }
  /* At most 2^9 option sets: try them in order, one option at a time for
   * the types that take one, and leave "no answer" (0) for last. */
  for (guint32 bits = 1; bits < (1u << item->n_options); bits++)
    {
      RsAnswer candidate = { .chosen = bits };

      if ((item->type == RS_ITEM_MULTI || (bits & (bits - 1)) == 0) && rs_item_score (item, &candidate) == score)
        {
          *answer = candidate;
          return TRUE;
        }
    }
  *answer = (RsAnswer) { 0 };
  return rs_item_score (item, answer) == score;
}

char *
rs_answer_to_string (const RsItem *item, const RsAnswer *answer)
{
  GString *out = g_string_new (NULL);

  if (item->type == RS_ITEM_NUMERIC)
    {
      if (answer->has_number)
        {
          char buf[G_ASCII_DTOSTR_BUF_SIZE];
          g_string_append (out, g_ascii_dtostr (buf, sizeof buf, answer->number));
        }
      return g_string_free (out, FALSE);
    }
  for (int i = 0; i < item->n_options; i++)
    if (answer->chosen & (1u << i))
      {
        if (out->len > 0)
          g_string_append_c (out, ',');
        g_string_append_c (out, (char) ('A' + i));
      }
  return g_string_free (out, FALSE);
}

gboolean
rs_answer_parse (const RsItem *item, const char *text, RsAnswer *answer, GError **error)
{
  *answer = (RsAnswer) { 0 };
  if (text == NULL || *text == '\0')
    return TRUE;

  if (item->type == RS_ITEM_NUMERIC)
    {
      char *end = NULL;
      double v;

      errno = 0;
      v = g_ascii_strtod (text, &end);
      if (errno != 0 || end == text || *end != '\0' || !isfinite (v))
        {
          g_set_error (error, RS_ERROR, RS_ERROR_INVALID, _("'%s' is not a number"), text);
          return FALSE;
        }
      answer->has_number = TRUE;
      answer->number = v;
      return TRUE;
    }

  for (const char *p = text; *p; p++)
    {
      int index;
      if (*p == ',' || *p == ' ')
        continue;
      index = g_ascii_toupper (*p) - 'A';
      if (index < 0 || index >= item->n_options)
        {
          g_set_error (error, RS_ERROR, RS_ERROR_INVALID,
                       _("'%c' is not an option of item %s"), *p, item->id);
          return FALSE;
        }
      answer->chosen |= 1u << index;
    }
  if ((item->type == RS_ITEM_SINGLE || item->type == RS_ITEM_SCENARIO)
      && (answer->chosen & (answer->chosen - 1)) != 0)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_INVALID, _("item %s takes one option"), item->id);
      return FALSE;
    }
  return TRUE;
}

void
rs_item_free (RsItem *item)
{
  if (item == NULL)
    return;
  g_free (item->id);
  g_free (item->subtopic);
  g_free (item->stem);
  g_free (item->code);
  for (int i = 0; i < item->n_options; i++)
    {
      g_free (item->options[i].text);
      g_free (item->options[i].rationale);
    }
  g_free (item->unit);
  g_free (item->explanation);
  g_free (item->unchecked);
  g_free (item->compute);
  g_strfreev (item->related);
  g_free (item->file);
  g_free (item);
}
