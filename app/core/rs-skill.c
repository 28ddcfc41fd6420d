/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "rs-skill.h"

#include <glib/gi18n-lib.h>

#include "rs-error.h"

static const struct {
  const char *id;
  const char *title;
} skills[RS_N_SKILLS] = {
  { "python", N_("Python") },
  { "statistics", N_("Statistics") },
  { "ml", N_("Machine learning") },
  { "empathy", N_("Empathy") },
};

const char *
rs_skill_id (RsSkill skill)
{
  g_return_val_if_fail (skill >= 0 && skill < RS_N_SKILLS, "invalid");
  return skills[skill].id;
}

const char *
rs_skill_title (RsSkill skill)
{
  g_return_val_if_fail (skill >= 0 && skill < RS_N_SKILLS, "Invalid");
  return _(skills[skill].title);
}

RsSkill
rs_skill_from_id (const char *id)
{
  if (id == NULL)
    return RS_SKILL_INVALID;
  for (int i = 0; i < RS_N_SKILLS; i++)
    if (g_ascii_strcasecmp (id, skills[i].id) == 0)
      return (RsSkill) i;
  return RS_SKILL_INVALID;
}

gboolean
rs_skill_parse_list (const char *list, gboolean selected[RS_N_SKILLS], GError **error)
{
  g_auto (GStrv) words = NULL;
  gboolean any = FALSE;

  for (int i = 0; i < RS_N_SKILLS; i++)
    selected[i] = FALSE;
  if (list == NULL || *list == '\0')
    {
      g_set_error (error, RS_ERROR, RS_ERROR_INVALID,
                   _("no skills given (use python, statistics, ml, empathy or all)"));
      return FALSE;
    }
  words = g_strsplit (list, ",", -1);
  for (int w = 0; words[w] != NULL; w++)
    {
      const char *word = g_strstrip (words[w]);
      RsSkill skill;

      if (g_ascii_strcasecmp (word, "all") == 0)
        {
          for (int i = 0; i < RS_N_SKILLS; i++)
            selected[i] = TRUE;
          any = TRUE;
          continue;
        }
      skill = rs_skill_from_id (word);
      if (skill == RS_SKILL_INVALID)
        {
          g_set_error (error, RS_ERROR, RS_ERROR_INVALID,
                       _("unknown skill '%s' (use python, statistics, ml, empathy or all)"), word);
          return FALSE;
        }
      selected[skill] = TRUE;
      any = TRUE;
    }
  if (!any)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_INVALID, _("no skills given"));
      return FALSE;
    }
  return TRUE;
}
