/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What every page needs to ask the core: the store, the bank, the roles, who
 * is signed in and the assessment under way. One context per window, so that
 * pages never reach for globals and tests can build a window on a temporary
 * database without the application. */
#pragma once

#include <glib-object.h>

#include "rs-assessment.h"
#include "rs-bank.h"
#include "rs-learning.h"
#include "rs-roles.h"
#include "rs-store.h"
#include "rs-sync-scheduler.h"

G_BEGIN_DECLS

#define RS_TYPE_CONTEXT (rs_context_get_type ())
G_DECLARE_FINAL_TYPE (RsContext, rs_context, RS, CONTEXT, GObject)

/* Takes ownership of all three; any may be NULL when loading failed, and
 * then problem (title and description) says what happened and what to do. */
RsContext *rs_context_new (RsStore *store, RsBank *bank, RsRoleSet *roles);

/* Opens the database, the bank and the roles the way the application does.
 * Never fails: what could not be loaded is NULL and the problem is set. */
RsContext *rs_context_load (const char *db_path, const char *questions_dir, const char *roles_path);

/* The problem page's words for a database that rs_store_open refused: the
 * title, and (returned) the store's message, the path and what to do. */
char *rs_context_describe_open_error (const char *db_path, const GError *error, char **title);
RsStore *rs_context_get_store (RsContext *self);
const RsBank *rs_context_get_bank (RsContext *self);
const RsRoleSet *rs_context_get_roles (RsContext *self);
/* The learning catalogue (data/learning.yaml or the installed one), loaded
 * on first use; NULL when there is none or it cannot be read. */
const RsLearningCatalog *rs_context_get_learning (RsContext *self);
/* The questions folder rs_context_load was given; NULL for rs_context_new. */
const char *rs_context_get_questions_dir (RsContext *self);
/* Points the admin's Reload at another folder (the screenshot mode's copy
 * of the bank with a draft file). */
void rs_context_set_questions_dir (RsContext *self, const char *dir);
/* The admin's reload: takes ownership of bank and returns TRUE, or refuses
 * (FALSE, bank still the caller's) while an assessment uses the old one. */
gboolean rs_context_replace_bank (RsContext *self, RsBank *bank);

void rs_context_set_problem (RsContext *self, const char *title, const char *description);
/* NULL when everything loaded. */
const char *rs_context_get_problem_title (RsContext *self);
const char *rs_context_get_problem_description (RsContext *self);
/* Problems that do not stop the quiz (bank diagnostics): a note for a toast. */
const char *rs_context_get_warning (RsContext *self);

/* NULL: nobody signed in (a guest, or the welcome page). Takes ownership. */
void rs_context_set_person (RsContext *self, RsPerson *person);
const RsPerson *rs_context_get_person (RsContext *self);
/* The person's id for the core: 0 for a guest. */
gint64 rs_context_get_person_id (RsContext *self);

/* The assessment being taken; the context takes ownership. */
void rs_context_set_assessment (RsContext *self, RsAssessment *assessment);
RsAssessment *rs_context_get_assessment (RsContext *self);

/* A guest's paused attempt, kept only for this visit: a guest cannot sign
 * in later to find it, and the next guest must not see it. */
void rs_context_set_guest_paused (RsContext *self, const char *uuid);
const char *rs_context_get_guest_paused (RsContext *self);

/* The organization server's sync of this store (made on first use; NULL
 * without a store). rs_context_load starts its background timer. */
RsSyncScheduler *rs_context_get_sync (RsContext *self);

/* Forgets the person, the assessment and any paused guest attempt: what the
 * next person at the kiosk must not see. */
void rs_context_sign_out (RsContext *self);

G_END_DECLS
