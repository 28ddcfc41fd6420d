/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The four skills Reskill measures. Fixed in code on purpose: the bank's folder
 * names, the roles file and the database all refer to these ids. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  RS_SKILL_PYTHON,
  RS_SKILL_STATISTICS,
  RS_SKILL_ML,
  RS_SKILL_EMPATHY,
  RS_N_SKILLS,
  RS_SKILL_INVALID = -1,
} RsSkill;

/* "python", "statistics", "ml", "empathy" */
const char *rs_skill_id (RsSkill skill);
/* "Python", "Statistics", "Machine learning", "Empathy" */
const char *rs_skill_title (RsSkill skill);
/* Parses an id (case-insensitive); RS_SKILL_INVALID when unknown. */
RsSkill rs_skill_from_id (const char *id);
/* Parses "python,statistics" (or "all"); FALSE with an error naming the bad word. */
gboolean rs_skill_parse_list (const char *list, gboolean selected[RS_N_SKILLS], GError **error);

G_END_DECLS
