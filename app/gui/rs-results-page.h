/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Results of one finished attempt, read back from the store: what was
 * stored is what is shown, whether the quiz just ended or the person opened
 * an old attempt from their history. */
#pragma once

#include <adwaita.h>

#include "rs-page.h"

G_BEGIN_DECLS

#define RS_TYPE_RESULTS_PAGE (rs_results_page_get_type ())
G_DECLARE_FINAL_TYPE (RsResultsPage, rs_results_page, RS, RESULTS_PAGE, RsPage)

GtkWidget *rs_results_page_new (void);

/* Loads and shows an attempt. FALSE with error when it cannot be read. */
gboolean rs_results_page_show_attempt (RsResultsPage *self, const char *uuid, GError **error);

/* Scrolls so that a section ("skills", "role", "topics", "review") is at
 * the top: for the screenshot mode. */
void rs_results_page_scroll_to (RsResultsPage *self, const char *section);

/* What is on screen, for tests: the level text of a skill ("Proficient",
 * "between ..."), NULL when the skill was not assessed; the suggested role's
 * name, NULL when none. */
const char *rs_results_page_get_level_text (RsResultsPage *self, RsSkill skill);
/* What leads each skill's row: the most likely level and its probability,
 * "Proficient · 84%". */
char *rs_results_level_lead (const RsSkillScore *score);
/* The attempt shown. */
const char *rs_results_page_get_uuid (RsResultsPage *self);
const char *rs_results_page_get_role_name (RsResultsPage *self);
/* How many subtopics "What to Learn Next" shows (0: the group is hidden). */
guint rs_results_page_get_n_learning (RsResultsPage *self);
guint rs_results_page_get_n_reviewed (RsResultsPage *self);

G_END_DECLS
