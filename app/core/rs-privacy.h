/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The privacy policy and what hangs on it (issue 14; docs/PRIVACY.md is
 * the reader's version):
 *
 * - the visibility policy, the organization's and a team's override:
 *   what a person's manager (and an administrator) may see of their
 *   results. The rule itself is rs_access_rule() (rs-access.h), the one
 *   function every report asks;
 * - the retention periods (rs-retention.h runs them);
 * - the notice: a plain-language text made from the policy in force, with
 *   the organization's own wording added, and a version that every change
 *   of the policy raises, so that everyone confirms it again;
 * - practice attempts shared after the fact;
 * - who looked: every time a manager or an administrator is shown a named
 *   person's results (drill-down, a report with names, its PDF or CSV, the
 *   answers, a data export), one row, which the person can list.
 *
 * Changing the policy needs an administrator (or the command-line
 * operator, rs_people_operator()) and is audited. Reading it needs
 * nobody: the notice must be shown before anyone is signed in to more. */
#pragma once

#include "rs-store.h"

G_BEGIN_DECLS

typedef enum {
  RS_VISIBILITY_INHERIT = -1,   /* a team without an override: the organization's */
  RS_VISIBILITY_AGGREGATES = 0, /* team figures only, never a name; small groups hidden */
  RS_VISIBILITY_LEVELS,         /* each member's levels, bands and role fit; never answers */
  RS_VISIBILITY_FULL,           /* levels and the question-by-question review */
  RS_N_VISIBILITIES,
} RsVisibility;

#define RS_PRIVACY_DEFAULT_VISIBILITY RS_VISIBILITY_LEVELS
#define RS_PRIVACY_DEFAULT_MIN_GROUP 5
#define RS_PRIVACY_MIN_MIN_GROUP 2
#define RS_PRIVACY_MAX_MIN_GROUP 1000
#define RS_PRIVACY_DEFAULT_KEEP_RESULTS_MONTHS 24
#define RS_PRIVACY_DEFAULT_KEEP_INACTIVE_MONTHS 12
#define RS_PRIVACY_MAX_MONTHS 1200
/* The organization's own wording, per language, at most this many bytes. */
#define RS_PRIVACY_MAX_WORDING 8000

/* "aggregates", "levels", "full" ("inherit" for RS_VISIBILITY_INHERIT). */
const char *rs_visibility_id (RsVisibility visibility);
/* FALSE for anything else; "inherit" only when allow_inherit. */
gboolean rs_visibility_from_id (const char *id, gboolean allow_inherit, RsVisibility *visibility);
/* A short translated name: "team summaries only", "levels", "levels and answers". */
const char *rs_visibility_title (RsVisibility visibility);

typedef struct {
  RsVisibility visibility;       /* the organization's; never INHERIT */
  guint min_group;               /* under aggregates, smaller groups are "too few to show" */
  guint keep_results_months;     /* results older than this are deleted */
  guint keep_inactive_months;    /* people deactivated longer than this are erased (0: at the next run) */
  gboolean anonymous_answers;    /* expired answers are kept for calibration with no link to anyone */
  /* Read only: set by the store. */
  gint64 version;                /* raised by every change of anything here, overrides and wording included */
  gint64 changed_at;             /* unix µs; 0: never changed */
} RsPrivacyPolicy;

/* The defaults above, version 1. */
void rs_privacy_policy_init (RsPrivacyPolicy *policy);

gboolean rs_privacy_get_policy (RsStore *store, RsPrivacyPolicy *policy, GError **error);
/* Replaces the organization's policy (version and changed_at are ignored)
 * and raises the version when anything changed. RS_ERROR_INVALID for
 * values out of range, RS_ERROR_DENIED unless an administrator. */
gboolean rs_privacy_set_policy (RsStore *store, const RsPerson *viewer, const RsPrivacyPolicy *policy,
                                GError **error);

/* The ranges above, with the words a person reads (RS_ERROR_INVALID):
 * the organization's server checks with them too. */
gboolean rs_privacy_check_policy (const RsPrivacyPolicy *policy, GError **error);
/* "" or a language tag as LANGUAGE has them (de, de_CH, sr@latin). */
gboolean rs_privacy_lang_valid (const char *lang);

/* A team's own visibility, or RS_VISIBILITY_INHERIT to use the
 * organization's again. Raises the version when it changes. */
gboolean rs_privacy_set_team_visibility (RsStore *store, const RsPerson *viewer, gint64 team_id,
                                         RsVisibility visibility, GError **error);
/* The visibility in force for a team (team_id 0: people in no team get the
 * organization's) and the group threshold. *overridden (may be NULL): the
 * team has its own. */
gboolean rs_privacy_team_policy (RsStore *store, gint64 team_id, RsVisibility *visibility, guint *min_group,
                                 gboolean *overridden, GError **error);

typedef struct {
  gint64 team_id;
  char *team_name;
  RsVisibility visibility;
} RsTeamPolicy;
void rs_team_policy_free (RsTeamPolicy *policy);
/* The teams with an override, by name. Array of RsTeamPolicy. */
GPtrArray *rs_privacy_list_team_policies (RsStore *store, GError **error);

/* --- the notice --- */

/* The organization's own wording for a language ("" for every language
 * without one of its own; "de", "de_CH" as in LANGUAGE): plain text added
 * to the notice. NULL or "" removes it. Raises the version. */
gboolean rs_privacy_set_wording (RsStore *store, const RsPerson *viewer, const char *lang, const char *text,
                                 GError **error);
/* Exactly that language's wording; *text NULL when there is none. */
gboolean rs_privacy_get_wording (RsStore *store, const char *lang, char **text, GError **error);

typedef struct {
  char *heading;
  char *body;                    /* paragraphs separated by "\n\n" */
} RsNoticeSection;

typedef struct {
  gint64 version;                /* what rs_privacy_confirm_notice() takes */
  RsVisibility visibility;       /* in force for the person it was made for */
  char *title;
  GPtrArray *sections;           /* RsNoticeSection *: what is recorded, who sees what, how long, your data,
                                  * then the organization's words when there are any */
} RsNotice;

void rs_notice_free (RsNotice *notice);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RsNotice, rs_notice_free)

/* The notice for viewer (their team's visibility; NULL: the
 * organization's, as shown before anyone signs in), in the language of the
 * process's locale, with the organization's wording for the first of
 * g_get_language_names() that has one. */
RsNotice *rs_privacy_notice (RsStore *store, const RsPerson *viewer, GError **error);
/* The same as plain text: the title, then each heading and its body. */
char *rs_notice_to_text (const RsNotice *notice);
/* Shortcut for the GUI: the plain text, or NULL (with a warning logged)
 * when the database cannot be read. */
char *rs_privacy_notice_text (RsStore *store, const RsPerson *viewer);

/* Whether person must read and confirm the notice now: they never
 * confirmed the version in force. TRUE when it cannot be told (a read
 * error must not skip the notice). Guests (id 0) never: nothing about them
 * is kept with a name. */
gboolean rs_privacy_notice_needed (RsStore *store, const RsPerson *person);
/* Records that person read and confirmed the notice of this version.
 * RS_ERROR_INVALID when the policy changed meanwhile (show the new one). */
gboolean rs_privacy_confirm_notice (RsStore *store, const RsPerson *person, gint64 version, GError **error);

/* --- practice --- */

/* The person shares a practice attempt of theirs (only they may): it
 * becomes an ordinary attempt, in reports and bundles from now on, and
 * the next export carries it (shared_at). Audited. */
gboolean rs_privacy_share_practice (RsStore *store, const RsPerson *viewer, const char *uuid, GError **error);

/* --- who looked --- */

typedef enum {
  RS_VIEW_MEMBER,                /* the member drill-down */
  RS_VIEW_TEAM_REPORT,           /* the team report with names, on screen */
  RS_VIEW_TEAM_PDF,              /* ... exported as PDF */
  RS_VIEW_TEAM_CSV,              /* ... exported as CSV */
  RS_VIEW_ANSWERS,               /* an attempt's answers, question by question */
  RS_VIEW_DATA_EXPORT,           /* all the person's data exported by someone else */
  RS_N_VIEW_KINDS,
} RsViewKind;

const char *rs_view_kind_id (RsViewKind kind);   /* the stored name: "member", "team-pdf", ... */
const char *rs_view_kind_title (RsViewKind kind); /* translated: "your results in the team report (PDF)" */

/* One row per person in person_ids: viewer saw their named results now.
 * Nothing for the person themselves (nobody records looking at their own
 * results). Refused on a read-only database (RS_ERROR_DB_READONLY): the
 * caller decides whether a view that cannot be recorded may still happen. */
gboolean rs_privacy_record_views (RsStore *store, const RsPerson *viewer, const gint64 *person_ids, guint n_people,
                                  RsViewKind kind, GError **error);

typedef struct {
  gint64 at;                     /* unix µs */
  char *viewer_name;             /* NULL: the command-line operator, or an account since erased */
  char *viewer_employee_no;      /* likewise */
  char *viewer_role;             /* "manager", "admin", "employee", "operator": as when they looked */
  RsViewKind kind;
} RsResultView;

void rs_result_view_free (RsResultView *view);
/* "2026-03-14 09:30, Maria Manager (manager): your results in the team report (PDF)" */
char *rs_result_view_describe (const RsResultView *view);

/* Who looked at person_id's results and when, newest first. For the person
 * themselves, or an administrator (answering their request). Array of
 * RsResultView. */
GPtrArray *rs_person_who_looked (RsStore *store, const RsPerson *viewer, gint64 person_id, GError **error);

G_END_DECLS
