/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The quiz: one question of the context's assessment at a time. Emits
 * ::finished when the last answer is saved and the results are written, and
 * ::paused when the person stops (every answer is already saved). */
#pragma once

#include <adwaita.h>

#include "rs-page.h"

G_BEGIN_DECLS

#define RS_TYPE_QUIZ_PAGE (rs_quiz_page_get_type ())
G_DECLARE_FINAL_TYPE (RsQuizPage, rs_quiz_page, RS, QUIZ_PAGE, RsPage)

GtkWidget *rs_quiz_page_new (void);

/* Shows the current question of the context's assessment. */
void rs_quiz_page_refresh (RsQuizPage *self);

/* The "about M" the progress line says, given the one said before (*shown,
 * updated), whether the skill just changed, the question's number and the
 * core's estimate of the skill's length: kept while the estimate stays
 * within a quarter (at least 3) of it and the count has not passed it. */
int rs_quiz_stable_total (int *shown, gboolean new_skill, int question, int estimate);

/* The question on screen; NULL when none. For tests and the benchmark. */
const RsItem *rs_quiz_page_get_item (RsQuizPage *self);

/* Fills in an answer as a person would (options ticked, number typed),
 * without submitting it. For tests and the benchmark. */
void rs_quiz_page_fill_answer (RsQuizPage *self, const RsAnswer *answer);

G_END_DECLS
