/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The privacy policy in the database, the notice made from it, practice
 * shared after the fact, and who looked; see rs-privacy.h. */
#include "rs-privacy.h"

#include <string.h>

#include "rs-access.h"
#include "rs-error.h"
#include "rs-i18n.h"
#include "rs-store-private.h"

/* --- names --- */

static const char *const visibility_ids[] = { "aggregates", "levels", "full" };
static const char *const view_ids[] = { "member", "team-report", "team-pdf", "team-csv", "answers", "data-export" };

G_STATIC_ASSERT (G_N_ELEMENTS (visibility_ids) == RS_N_VISIBILITIES);
G_STATIC_ASSERT (G_N_ELEMENTS (view_ids) == RS_N_VIEW_KINDS);

const char *
rs_visibility_id (RsVisibility visibility)
{
  if (visibility == RS_VISIBILITY_INHERIT)
    return "inherit";
  g_return_val_if_fail ((guint) visibility < RS_N_VISIBILITIES, "levels");
  return visibility_ids[visibility];
}

gboolean
rs_visibility_from_id (const char *id, gboolean allow_inherit, RsVisibility *visibility)
{
  if (id == NULL)
    return FALSE;
  if (allow_inherit && g_str_equal (id, "inherit"))
    {
      *visibility = RS_VISIBILITY_INHERIT;
      return TRUE;
    }
  for (guint v = 0; v < RS_N_VISIBILITIES; v++)
    if (g_str_equal (id, visibility_ids[v]))
      {
        *visibility = (RsVisibility) v;
        return TRUE;
      }
  return FALSE;
}

const char *
rs_visibility_title (RsVisibility visibility)
{
  switch (visibility)
    {
    case RS_VISIBILITY_INHERIT:
      return _("as the organization");
    case RS_VISIBILITY_AGGREGATES:
      return _("team summaries only");
    case RS_VISIBILITY_LEVELS:
      return _("levels, score bands and role fit");
    case RS_VISIBILITY_FULL:
      return _("levels and answers");
    case RS_N_VISIBILITIES:
    default:
      g_return_val_if_reached ("");
    }
}

const char *
rs_view_kind_id (RsViewKind kind)
{
  g_return_val_if_fail ((guint) kind < RS_N_VIEW_KINDS, "member");
  return view_ids[kind];
}

static gboolean
view_kind_from_id (const char *id, RsViewKind *kind)
{
  for (guint k = 0; id != NULL && k < RS_N_VIEW_KINDS; k++)
    if (g_str_equal (id, view_ids[k]))
      {
        *kind = (RsViewKind) k;
        return TRUE;
      }
  return FALSE;
}

const char *
rs_view_kind_title (RsViewKind kind)
{
  switch (kind)
    {
    case RS_VIEW_MEMBER:
      return _("your results on the member page");
    case RS_VIEW_TEAM_REPORT:
      return _("your results in the team report");
    case RS_VIEW_TEAM_PDF:
      return _("the team report with your results, saved as PDF");
    case RS_VIEW_TEAM_CSV:
      return _("the team report with your results, saved as CSV");
    case RS_VIEW_ANSWERS:
      return _("your answers, question by question");
    case RS_VIEW_DATA_EXPORT:
      return _("a copy of all your data");
    case RS_N_VIEW_KINDS:
    default:
      g_return_val_if_reached ("");
    }
}

/* --- who may change it --- */

/* The id rows get for the viewer: NULL (0 binds NULL) for the
 * command-line operator (id -1, no row of people). */
static gint64
person_row (const RsPerson *viewer)
{
  return viewer != NULL && viewer->id > 0 ? viewer->id : 0;
}

static gboolean
audit_tx (RsStore *store, const RsPerson *viewer, const char *event, const char *detail, GError **error)
{
  return rs_store_exec (store, error, "INSERT INTO audit (at, person_id, event, detail) VALUES (?, ?, ?, ?)",
                        "lrss", rs_store_now (), person_row (viewer), event, detail);
}

/* Every change of what the notice says makes a new version: everyone is
 * asked to confirm it again at their next sign-in. */
static gboolean
bump_version_tx (RsStore *store, const RsPerson *viewer, GError **error)
{
  return rs_store_exec (store, error,
                        "UPDATE privacy_policy SET version = version + 1, changed_at = ?, changed_by = ? WHERE id = 1",
                        "lr", rs_store_now (), person_row (viewer));
}

/* --- the policy --- */

void
rs_privacy_policy_init (RsPrivacyPolicy *policy)
{
  *policy = (RsPrivacyPolicy) {
    .visibility = RS_PRIVACY_DEFAULT_VISIBILITY,
    .min_group = RS_PRIVACY_DEFAULT_MIN_GROUP,
    .keep_results_months = RS_PRIVACY_DEFAULT_KEEP_RESULTS_MONTHS,
    .keep_inactive_months = RS_PRIVACY_DEFAULT_KEEP_INACTIVE_MONTHS,
    .anonymous_answers = TRUE,
    .version = 1,
  };
}

/* Under the lock. */
static gboolean
get_policy_tx (RsStore *store, RsPrivacyPolicy *policy, GError **error)
{
  g_autoptr (RsStoreStmt) stmt = rs_store_query (store, error,
                                                 "SELECT visibility, min_group, keep_results_months,"
                                                 " keep_inactive_months, anonymous_answers, version,"
                                                 " ifnull (changed_at, 0) FROM privacy_policy WHERE id = 1", "");
  int rc;

  rs_privacy_policy_init (policy);
  if (stmt == NULL)
    return FALSE;
  rc = rs_store_step (store, stmt, error);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_DB_CORRUPT, "%s: the privacy policy is missing.",
                   rs_store_path (store));
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    return FALSE;
  if (!rs_visibility_from_id ((const char *) sqlite3_column_text (stmt, 0), FALSE, &policy->visibility))
    {
      g_set_error (error, RS_ERROR, RS_ERROR_DB_CORRUPT, "%s: the privacy policy names an unknown visibility.",
                   rs_store_path (store));
      return FALSE;
    }
  policy->min_group = (guint) sqlite3_column_int (stmt, 1);
  policy->keep_results_months = (guint) sqlite3_column_int (stmt, 2);
  policy->keep_inactive_months = (guint) sqlite3_column_int (stmt, 3);
  policy->anonymous_answers = sqlite3_column_int (stmt, 4) != 0;
  policy->version = sqlite3_column_int64 (stmt, 5);
  policy->changed_at = sqlite3_column_int64 (stmt, 6);
  return TRUE;
}

gboolean
rs_privacy_get_policy (RsStore *store, RsPrivacyPolicy *policy, GError **error)
{
  g_autoptr (GMutexLocker) locker = NULL;

  g_return_val_if_fail (store != NULL && policy != NULL, FALSE);
  locker = g_mutex_locker_new (rs_store_get_lock (store));
  return get_policy_tx (store, policy, error);
}

gboolean
rs_privacy_check_policy (const RsPrivacyPolicy *p, GError **error)
{
  if ((guint) p->visibility >= RS_N_VISIBILITIES)
    g_set_error (error, RS_ERROR, RS_ERROR_INVALID, "%s",
                 _("The organization's visibility must be team summaries only, levels, or levels and answers."));
  else if (p->min_group < RS_PRIVACY_MIN_MIN_GROUP || p->min_group > RS_PRIVACY_MAX_MIN_GROUP)
    g_set_error (error, RS_ERROR, RS_ERROR_INVALID,
                 _("The smallest group shown must be between %d and %d people, not %u."), RS_PRIVACY_MIN_MIN_GROUP,
                 RS_PRIVACY_MAX_MIN_GROUP, p->min_group);
  else if (p->keep_results_months < 1 || p->keep_results_months > RS_PRIVACY_MAX_MONTHS)
    g_set_error (error, RS_ERROR, RS_ERROR_INVALID,
                 _("Results must be kept between 1 and %d months, not %u."), RS_PRIVACY_MAX_MONTHS,
                 p->keep_results_months);
  else if (p->keep_inactive_months > RS_PRIVACY_MAX_MONTHS)
    g_set_error (error, RS_ERROR, RS_ERROR_INVALID,
                 _("Deactivated people must be kept at most %d months, not %u."), RS_PRIVACY_MAX_MONTHS,
                 p->keep_inactive_months);
  else
    return TRUE;
  return FALSE;
}

static gboolean
set_policy_tx (RsStore *store, const RsPerson *viewer, const RsPrivacyPolicy *p, GError **error)
{
  RsPrivacyPolicy before;
  g_autofree char *detail = NULL;

  if (!get_policy_tx (store, &before, error))
    return FALSE;
  if (before.visibility == p->visibility && before.min_group == p->min_group
      && before.keep_results_months == p->keep_results_months
      && before.keep_inactive_months == p->keep_inactive_months
      && before.anonymous_answers == !!p->anonymous_answers)
    return TRUE;
  detail = g_strdup_printf ("visibility %s, min group %u, results kept %u months, deactivated people %u months, "
                            "anonymous answers %s",
                            rs_visibility_id (p->visibility), p->min_group, p->keep_results_months,
                            p->keep_inactive_months, p->anonymous_answers ? "kept" : "not kept");
  return rs_store_exec (store, error,
                        "UPDATE privacy_policy SET visibility = ?, min_group = ?, keep_results_months = ?,"
                        " keep_inactive_months = ?, anonymous_answers = ? WHERE id = 1",
                        "siiii", rs_visibility_id (p->visibility), (int) p->min_group, (int) p->keep_results_months,
                        (int) p->keep_inactive_months, p->anonymous_answers ? 1 : 0)
         && bump_version_tx (store, viewer, error)
         && audit_tx (store, viewer, "privacy-policy", detail, error);
}

gboolean
rs_privacy_set_policy (RsStore *store, const RsPerson *viewer, const RsPrivacyPolicy *policy, GError **error)
{
  g_autoptr (GMutexLocker) locker = NULL;

  g_return_val_if_fail (store != NULL && policy != NULL, FALSE);
  if (!rs_access_require_admin (viewer, error) || !rs_privacy_check_policy (policy, error))
    return FALSE;
  locker = g_mutex_locker_new (rs_store_get_lock (store));
  return rs_store_begin (store, TRUE, error)
         && rs_store_end (store, set_policy_tx (store, viewer, policy, error), error);
}

static gboolean
set_team_tx (RsStore *store, const RsPerson *viewer, gint64 team_id, RsVisibility visibility, GError **error)
{
  g_autofree char *name = NULL, *before = NULL, *detail = NULL;
  const char *after = visibility == RS_VISIBILITY_INHERIT ? NULL : rs_visibility_id (visibility);

  if (!rs_store_get_text (store, &name, error, "SELECT name FROM teams WHERE id = ?", "l", team_id)
      || !rs_store_get_text (store, &before, error, "SELECT visibility FROM team_policies WHERE team_id = ?", "l",
                             team_id))
    return FALSE;
  if (name == NULL)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_NOT_FOUND, _("There is no team with id %lld."), (long long) team_id);
      return FALSE;
    }
  if (g_strcmp0 (before, after) == 0)
    return TRUE;
  detail = g_strdup_printf ("team %s: %s", name, after != NULL ? after : "as the organization");
  return (after != NULL
            ? rs_store_exec (store, error,
                             "INSERT INTO team_policies (team_id, visibility) VALUES (?, ?)"
                             " ON CONFLICT (team_id) DO UPDATE SET visibility = excluded.visibility",
                             "ls", team_id, after)
            : rs_store_exec (store, error, "DELETE FROM team_policies WHERE team_id = ?", "l", team_id))
         && bump_version_tx (store, viewer, error)
         && audit_tx (store, viewer, "privacy-team-policy", detail, error);
}

gboolean
rs_privacy_set_team_visibility (RsStore *store, const RsPerson *viewer, gint64 team_id, RsVisibility visibility,
                                GError **error)
{
  g_autoptr (GMutexLocker) locker = NULL;

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (visibility == RS_VISIBILITY_INHERIT || (guint) visibility < RS_N_VISIBILITIES, FALSE);
  if (!rs_access_require_admin (viewer, error))
    return FALSE;
  locker = g_mutex_locker_new (rs_store_get_lock (store));
  return rs_store_begin (store, TRUE, error)
         && rs_store_end (store, set_team_tx (store, viewer, team_id, visibility, error), error);
}

gboolean
rs_privacy_team_policy (RsStore *store, gint64 team_id, RsVisibility *visibility, guint *min_group,
                        gboolean *overridden, GError **error)
{
  g_autoptr (GMutexLocker) locker = NULL;
  g_autofree char *own = NULL;
  RsPrivacyPolicy policy;

  g_return_val_if_fail (store != NULL && visibility != NULL, FALSE);
  locker = g_mutex_locker_new (rs_store_get_lock (store));
  if (!get_policy_tx (store, &policy, error)
      || (team_id != 0
          && !rs_store_get_text (store, &own, error, "SELECT visibility FROM team_policies WHERE team_id = ?", "l",
                                 team_id)))
    return FALSE;
  *visibility = policy.visibility;
  if (own != NULL && !rs_visibility_from_id (own, FALSE, visibility))
    {
      g_set_error (error, RS_ERROR, RS_ERROR_DB_CORRUPT, "%s: a team's privacy policy names an unknown visibility.",
                   rs_store_path (store));
      return FALSE;
    }
  if (min_group != NULL)
    *min_group = policy.min_group;
  if (overridden != NULL)
    *overridden = own != NULL;
  return TRUE;
}

void
rs_team_policy_free (RsTeamPolicy *policy)
{
  if (policy == NULL)
    return;
  g_free (policy->team_name);
  g_free (policy);
}

GPtrArray *
rs_privacy_list_team_policies (RsStore *store, GError **error)
{
  g_autoptr (GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) rs_team_policy_free);
  g_autoptr (GMutexLocker) locker = NULL;
  g_autoptr (RsStoreStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (store != NULL, NULL);
  locker = g_mutex_locker_new (rs_store_get_lock (store));
  stmt = rs_store_query (store, error,
                         "SELECT t.id, t.name, p.visibility FROM team_policies AS p JOIN teams AS t ON t.id = p.team_id"
                         " ORDER BY t.name", "");
  if (stmt == NULL)
    return NULL;
  while ((rc = rs_store_step (store, stmt, error)) == SQLITE_ROW)
    {
      RsTeamPolicy *policy = g_new0 (RsTeamPolicy, 1);

      policy->team_id = sqlite3_column_int64 (stmt, 0);
      policy->team_name = rs_store_column_strdup (stmt, 1);
      g_ptr_array_add (list, policy);
      if (!rs_visibility_from_id ((const char *) sqlite3_column_text (stmt, 2), FALSE, &policy->visibility))
        {
          g_set_error (error, RS_ERROR, RS_ERROR_DB_CORRUPT,
                       "%s: a team's privacy policy names an unknown visibility.", rs_store_path (store));
          return NULL;
        }
    }
  return rc == SQLITE_DONE ? g_steal_pointer (&list) : NULL;
}

/* --- the organization's wording --- */

/* "", or a language tag as LANGUAGE has them: letters, digits, _ - . @ */
gboolean
rs_privacy_lang_valid (const char *lang)
{
  if (strlen (lang) > 32)
    return FALSE;
  for (const char *p = lang; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr ("_-.@", *p) == NULL)
      return FALSE;
  return TRUE;
}

static gboolean
set_wording_tx (RsStore *store, const RsPerson *viewer, const char *lang, const char *text, GError **error)
{
  g_autofree char *before = NULL, *detail = NULL;

  if (!rs_store_get_text (store, &before, error, "SELECT text FROM notice_wording WHERE lang = ?", "s", lang))
    return FALSE;
  if (g_strcmp0 (before, text) == 0)
    return TRUE;
  detail = g_strdup_printf ("language \"%s\": %s", lang, text != NULL ? "set" : "removed");
  return (text != NULL
            ? rs_store_exec (store, error,
                             "INSERT INTO notice_wording (lang, text) VALUES (?, ?)"
                             " ON CONFLICT (lang) DO UPDATE SET text = excluded.text", "ss", lang, text)
            : rs_store_exec (store, error, "DELETE FROM notice_wording WHERE lang = ?", "s", lang))
         && bump_version_tx (store, viewer, error)
         && audit_tx (store, viewer, "privacy-wording", detail, error);
}

gboolean
rs_privacy_set_wording (RsStore *store, const RsPerson *viewer, const char *lang, const char *text, GError **error)
{
  g_autoptr (GMutexLocker) locker = NULL;
  g_autofree char *trimmed = NULL;

  g_return_val_if_fail (store != NULL, FALSE);
  if (!rs_access_require_admin (viewer, error))
    return FALSE;
  if (lang == NULL)
    lang = "";
  if (!rs_privacy_lang_valid (lang))
    {
      g_set_error (error, RS_ERROR, RS_ERROR_INVALID, _("“%s” is not a language code such as de or de_CH."),
                   lang);
      return FALSE;
    }
  if (text != NULL)
    {
      if (!g_utf8_validate (text, -1, NULL))
        {
          g_set_error (error, RS_ERROR, RS_ERROR_INVALID, "%s", _("The organization's wording is not UTF-8 text."));
          return FALSE;
        }
      trimmed = g_strstrip (g_strdup (text));
      if (strlen (trimmed) > RS_PRIVACY_MAX_WORDING)
        {
          g_set_error (error, RS_ERROR, RS_ERROR_INVALID,
                       _("The organization's wording is longer than %d bytes: keep the notice short."),
                       RS_PRIVACY_MAX_WORDING);
          return FALSE;
        }
      if (*trimmed == '\0')
        g_clear_pointer (&trimmed, g_free);
    }
  locker = g_mutex_locker_new (rs_store_get_lock (store));
  return rs_store_begin (store, TRUE, error)
         && rs_store_end (store, set_wording_tx (store, viewer, lang, trimmed, error), error);
}

gboolean
rs_privacy_get_wording (RsStore *store, const char *lang, char **text, GError **error)
{
  g_autoptr (GMutexLocker) locker = NULL;

  g_return_val_if_fail (store != NULL && text != NULL, FALSE);
  locker = g_mutex_locker_new (rs_store_get_lock (store));
  return rs_store_get_text (store, text, error, "SELECT text FROM notice_wording WHERE lang = ?", "s",
                            lang != NULL ? lang : "");
}

/* The wording for the first language of the locale that has one, else
 * the one for every language; under the lock. */
static gboolean
wording_for_locale_tx (RsStore *store, char **text, GError **error)
{
  const char *const *names = g_get_language_names ();

  *text = NULL;
  for (guint i = 0; names[i] != NULL; i++)
    {
      if (g_str_equal (names[i], "C"))
        break;
      if (!rs_store_get_text (store, text, error, "SELECT text FROM notice_wording WHERE lang = ?", "s", names[i]))
        return FALSE;
      if (*text != NULL)
        return TRUE;
    }
  return rs_store_get_text (store, text, error, "SELECT text FROM notice_wording WHERE lang = ''", "");
}

/* --- the notice --- */

void
rs_notice_free (RsNotice *notice)
{
  if (notice == NULL)
    return;
  g_free (notice->title);
  g_clear_pointer (&notice->sections, g_ptr_array_unref);
  g_free (notice);
}

static void
section_free (gpointer data)
{
  RsNoticeSection *section = data;

  g_free (section->heading);
  g_free (section->body);
  g_free (section);
}

static void
add_section (RsNotice *notice, const char *heading, GString *body)
{
  RsNoticeSection *section = g_new0 (RsNoticeSection, 1);

  section->heading = g_strdup (heading);
  section->body = g_strdup (body->str);
  g_ptr_array_add (notice->sections, section);
}

static void
paragraph (GString *body, const char *text)
{
  if (body->len > 0)
    g_string_append (body, "\n\n");
  g_string_append (body, text);
}

static char *
months_text (guint months)
{
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u month", "%u months", months), months);
}

/* Written for the person who reads it at a kiosk, and for a works council
 * that checks it against the settings: every sentence that depends on the
 * policy is chosen from the policy, never left general. */
static RsNotice *
notice_from (const RsPrivacyPolicy *policy, RsVisibility visibility, const char *wording)
{
  g_autoptr (RsNotice) notice = g_new0 (RsNotice, 1);
  g_autoptr (GString) body = g_string_new (NULL);
  g_autofree char *results_months = months_text (policy->keep_results_months);
  g_autofree char *inactive_months = months_text (policy->keep_inactive_months);
  g_autofree char *text = NULL;

  notice->version = policy->version;
  notice->visibility = visibility;
  notice->title = g_strdup (_("Your results and your privacy"));
  notice->sections = g_ptr_array_new_with_free_func (section_free);

  paragraph (body, _("When you take an assessment, Reskill records each question you were shown, the answer you "
                     "gave, whether it was right and how long the question was on screen; your result in each "
                     "skill (a score with its range, and a level); the level you guessed for yourself, if you gave "
                     "one; and when you took it."));
  paragraph (body, _("It also records when you sign in, that you have read this notice, and who looked at your "
                     "results. Your results stay within your organization: an administrator can copy them to its "
                     "other Reskill kiosks, and nowhere else."));
  add_section (notice, _("What Reskill records"), body);

  g_string_truncate (body, 0);
  paragraph (body, _("You see all your results and answers."));
  switch (visibility)
    {
    case RS_VISIBILITY_AGGREGATES:
      text = g_strdup_printf (_("Your manager and the administrators see only figures about your whole team, such as "
                                "how many people are at each level and how many are ready for each role. They never "
                                "see your name next to a result. When fewer than %u people in a team have a result, "
                                "even those figures are shown as “too few to show”."),
                              policy->min_group);
      paragraph (body, text);
      break;
    case RS_VISIBILITY_FULL:
      paragraph (body, _("Your manager and the administrators see your level in each skill, the range of your score "
                         "and which roles fit you, and each question with the answer you gave."));
      break;
    case RS_VISIBILITY_LEVELS:
    case RS_VISIBILITY_INHERIT:
    case RS_N_VISIBILITIES:
    default:
      paragraph (body, _("Your manager and the administrators see your level in each skill, the range of your score "
                         "and which roles fit you. They do not see your answers."));
      break;
    }
  paragraph (body, _("Practice assessments are yours alone: nobody else sees them unless you choose to share one. "
                     "Their answers may help to improve the questions, without your name."));
  paragraph (body, _("Every time a manager or an administrator looks at your results, Reskill records who it was "
                     "and when. You can see that list."));
  add_section (notice, _("Who sees what"), body);

  g_string_truncate (body, 0);
  g_clear_pointer (&text, g_free);
  text = g_strdup_printf (_("Your results are deleted %s after the assessment."), results_months);
  paragraph (body, text);
  if (policy->anonymous_answers)
    paragraph (body, _("Your answers may then be kept to improve the questions, but without your name, without the "
                       "date and without anything else that links them to you."));
  g_clear_pointer (&text, g_free);
  if (policy->keep_inactive_months == 0)
    text = g_strdup (_("If you leave and your account is switched off, everything about you is deleted within a "
                       "day."));
  else
    text = g_strdup_printf (_("If you leave and your account is switched off, everything about you is deleted %s "
                              "later."), inactive_months);
  paragraph (body, text);
  add_section (notice, _("How long it is kept"), body);

  g_string_truncate (body, 0);
  paragraph (body, _("On your history page you can download everything Reskill holds about you, and see who looked "
                     "at your results."));
  paragraph (body, _("To have everything about you erased, ask an administrator. The erasure is passed on to the "
                     "organization's other kiosks, and your results do not come back."));
  add_section (notice, _("Your data"), body);

  if (wording != NULL && *wording != '\0')
    {
      g_string_assign (body, wording);
      add_section (notice, _("From your organization"), body);
    }
  return g_steal_pointer (&notice);
}

RsNotice *
rs_privacy_notice (RsStore *store, const RsPerson *viewer, GError **error)
{
  g_autoptr (GMutexLocker) locker = NULL;
  g_autofree char *wording = NULL;
  RsPrivacyPolicy policy;
  RsVisibility visibility;
  gint64 team_id = viewer != NULL ? viewer->team_id : 0;

  g_return_val_if_fail (store != NULL, NULL);
  {
    locker = g_mutex_locker_new (rs_store_get_lock (store));
    if (!get_policy_tx (store, &policy, error) || !wording_for_locale_tx (store, &wording, error))
      return NULL;
  }
  g_clear_pointer (&locker, g_mutex_locker_free);
  if (!rs_privacy_team_policy (store, team_id, &visibility, NULL, NULL, error))
    return NULL;
  return notice_from (&policy, visibility, wording);
}

char *
rs_notice_to_text (const RsNotice *notice)
{
  GString *text = g_string_new (notice->title);

  for (guint i = 0; i < notice->sections->len; i++)
    {
      const RsNoticeSection *section = g_ptr_array_index (notice->sections, i);

      g_string_append_printf (text, "\n\n%s\n\n%s", section->heading, section->body);
    }
  g_string_append_c (text, '\n');
  g_string_append_printf (text, _("\n(Version %lld of this notice.)\n"), (long long) notice->version);
  return g_string_free (text, FALSE);
}

char *
rs_privacy_notice_text (RsStore *store, const RsPerson *viewer)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RsNotice) notice = rs_privacy_notice (store, viewer, &error);

  if (notice == NULL)
    {
      g_warning ("The privacy notice cannot be made: %s", error->message);
      return NULL;
    }
  return rs_notice_to_text (notice);
}

gboolean
rs_privacy_notice_needed (RsStore *store, const RsPerson *person)
{
  g_autoptr (GMutexLocker) locker = NULL;
  g_autoptr (GError) error = NULL;
  gint64 version = 0, confirmed = 0;

  g_return_val_if_fail (store != NULL, TRUE);
  if (person == NULL || person->id <= 0)
    return FALSE;
  locker = g_mutex_locker_new (rs_store_get_lock (store));
  if (!rs_store_get_int (store, &version, &error, "SELECT version FROM privacy_policy WHERE id = 1", "")
      || !rs_store_get_int (store, &confirmed, &error,
                            "SELECT count(*) FROM notice_confirmations WHERE person_id = ? AND version = ?", "ll",
                            person->id, version))
    {
      g_warning ("Cannot tell whether the privacy notice was confirmed: %s", error->message);
      return TRUE;
    }
  return confirmed == 0;
}

static gboolean
confirm_tx (RsStore *store, const RsPerson *person, gint64 version, GError **error)
{
  g_autofree char *detail = g_strdup_printf ("version %" G_GINT64_FORMAT, version);
  gint64 current = 0;

  if (!rs_store_get_int (store, &current, error, "SELECT version FROM privacy_policy WHERE id = 1", ""))
    return FALSE;
  if (current != version)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_INVALID,
                   _("The privacy notice changed while it was shown (version %lld is in force now). "
                     "Read the new one."), (long long) current);
      return FALSE;
    }
  return rs_store_exec (store, error,
                        "INSERT OR IGNORE INTO notice_confirmations (person_id, version, confirmed_at) VALUES (?, ?, ?)",
                        "lll", person->id, version, rs_store_now ())
         && audit_tx (store, person, "notice-confirmed", detail, error);
}

gboolean
rs_privacy_confirm_notice (RsStore *store, const RsPerson *person, gint64 version, GError **error)
{
  g_autoptr (GMutexLocker) locker = NULL;

  g_return_val_if_fail (store != NULL, FALSE);
  if (person == NULL || person->id <= 0)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_DENIED, "%s", _("Sign in to confirm the privacy notice."));
      return FALSE;
    }
  locker = g_mutex_locker_new (rs_store_get_lock (store));
  return rs_store_begin (store, TRUE, error)
         && rs_store_end (store, confirm_tx (store, person, version, error), error);
}

/* --- practice --- */

static gboolean
share_tx (RsStore *store, const RsPerson *viewer, const char *uuid, GError **error)
{
  g_autoptr (RsStoreStmt) stmt = rs_store_query (store, error,
                                                 "SELECT ifnull (person_id, 0), practice, status FROM attempts"
                                                 " WHERE uuid = ?", "s", uuid);
  gint64 owner;
  gboolean practice, finished;
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = rs_store_step (store, stmt, error);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return FALSE;
  owner = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
  practice = rc == SQLITE_ROW && sqlite3_column_int (stmt, 1) != 0;
  finished = rc == SQLITE_ROW && g_strcmp0 ((const char *) sqlite3_column_text (stmt, 2), "finished") == 0;
  g_clear_pointer (&stmt, rs_store_stmt_release);
  /* The same answer whether the attempt is someone else's or not there:
   * nobody learns what others practised. */
  if (owner == 0 || owner != viewer->id)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_DENIED, "%s", _("You can only share your own practice results."));
      return FALSE;
    }
  if (!practice)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_INVALID, "%s", _("This is not a practice assessment: it is shared already."));
      return FALSE;
    }
  if (!finished)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_INVALID, "%s", _("Finish the practice assessment before sharing it."));
      return FALSE;
    }
  return rs_store_exec (store, error, "UPDATE attempts SET practice = 0, shared_at = ? WHERE uuid = ?", "ls",
                        rs_store_now (), uuid)
         && audit_tx (store, viewer, "practice-shared", uuid, error);
}

gboolean
rs_privacy_share_practice (RsStore *store, const RsPerson *viewer, const char *uuid, GError **error)
{
  g_autoptr (GMutexLocker) locker = NULL;

  g_return_val_if_fail (store != NULL && uuid != NULL, FALSE);
  if (viewer == NULL || viewer->id <= 0 || !viewer->active)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_DENIED, "%s", _("Sign in to share a practice result."));
      return FALSE;
    }
  locker = g_mutex_locker_new (rs_store_get_lock (store));
  return rs_store_begin (store, TRUE, error)
         && rs_store_end (store, share_tx (store, viewer, uuid, error), error);
}

/* --- who looked --- */

static const char *
viewer_role (const RsPerson *viewer)
{
  return viewer->id > 0 ? rs_person_role_id (viewer->role) : "operator";
}

static gboolean
record_views_tx (RsStore *store, const RsPerson *viewer, const gint64 *person_ids, guint n_people, RsViewKind kind,
                 GError **error)
{
  gint64 now = rs_store_now ();

  for (guint i = 0; i < n_people; i++)
    if (person_ids[i] != viewer->id
        && !rs_store_exec (store, error,
                           "INSERT INTO result_views (at, viewer_id, viewer_role, person_id, what) VALUES (?, ?, ?, ?, ?)",
                           "lrsls", now, person_row (viewer), viewer_role (viewer), person_ids[i],
                           rs_view_kind_id (kind)))
      return FALSE;
  return TRUE;
}

gboolean
rs_privacy_record_views (RsStore *store, const RsPerson *viewer, const gint64 *person_ids, guint n_people,
                         RsViewKind kind, GError **error)
{
  g_autoptr (GMutexLocker) locker = NULL;

  g_return_val_if_fail (store != NULL && viewer != NULL, FALSE);
  g_return_val_if_fail ((guint) kind < RS_N_VIEW_KINDS, FALSE);
  g_return_val_if_fail (n_people == 0 || person_ids != NULL, FALSE);
  if (rs_store_is_read_only (store))
    {
      g_set_error (error, RS_ERROR, RS_ERROR_DB_READONLY,
                   _("%s is read-only: who looked at these results cannot be recorded."), rs_store_path (store));
      return FALSE;
    }
  if (n_people == 0 || (n_people == 1 && person_ids[0] == viewer->id))
    return TRUE;
  locker = g_mutex_locker_new (rs_store_get_lock (store));
  return rs_store_begin (store, TRUE, error)
         && rs_store_end (store, record_views_tx (store, viewer, person_ids, n_people, kind, error), error);
}

void
rs_result_view_free (RsResultView *view)
{
  if (view == NULL)
    return;
  g_free (view->viewer_name);
  g_free (view->viewer_employee_no);
  g_free (view->viewer_role);
  g_free (view);
}

static const char *
role_title (const char *role)
{
  if (g_strcmp0 (role, "manager") == 0)
    return _("manager");
  if (g_strcmp0 (role, "admin") == 0)
    return _("administrator");
  if (g_strcmp0 (role, "employee") == 0)
    return _("employee");
  return role != NULL ? role : "";
}

char *
rs_result_view_describe (const RsResultView *view)
{
  g_autoptr (GDateTime) time = g_date_time_new_from_unix_local (view->at / G_USEC_PER_SEC);
  g_autofree char *when = time != NULL ? g_date_time_format (time, "%Y-%m-%d %H:%M") : g_strdup ("");
  g_autofree char *who = NULL;

  if (view->viewer_name != NULL)
    who = g_strdup_printf ("%s (%s)", view->viewer_name, role_title (view->viewer_role));
  else if (g_strcmp0 (view->viewer_role, "operator") == 0)
    who = g_strdup (_("the database's owner, at the terminal"));
  else
    who = g_strdup_printf (_("an account since erased (%s)"), role_title (view->viewer_role));
  return g_strdup_printf (_("%s, %s: %s"), when, who, rs_view_kind_title (view->kind));
}

GPtrArray *
rs_person_who_looked (RsStore *store, const RsPerson *viewer, gint64 person_id, GError **error)
{
  g_autoptr (GPtrArray) views = g_ptr_array_new_with_free_func ((GDestroyNotify) rs_result_view_free);
  g_autoptr (GMutexLocker) locker = NULL;
  g_autoptr (RsStoreStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (store != NULL, NULL);
  /* The person, or an administrator answering their request. */
  if (!(viewer != NULL && viewer->id > 0 && viewer->id == person_id && viewer->active)
      && !(viewer != NULL && viewer->id != 0 && viewer->role == RS_PERSON_ADMIN && viewer->active))
    {
      g_set_error (error, RS_ERROR, RS_ERROR_DENIED, "%s",
                   _("Only the person themselves, or an administrator, can see who looked at their results."));
      return NULL;
    }
  locker = g_mutex_locker_new (rs_store_get_lock (store));
  stmt = rs_store_query (store, error,
                         "SELECT v.at, p.name, p.employee_no, v.viewer_role, v.what FROM result_views AS v"
                         " LEFT JOIN people AS p ON p.id = v.viewer_id"
                         " WHERE v.person_id = ? ORDER BY v.at DESC, v.id DESC", "l", person_id);
  if (stmt == NULL)
    return NULL;
  while ((rc = rs_store_step (store, stmt, error)) == SQLITE_ROW)
    {
      RsResultView *view = g_new0 (RsResultView, 1);

      view->at = sqlite3_column_int64 (stmt, 0);
      view->viewer_name = rs_store_column_strdup (stmt, 1);
      view->viewer_employee_no = rs_store_column_strdup (stmt, 2);
      view->viewer_role = rs_store_column_strdup (stmt, 3);
      g_ptr_array_add (views, view);
      if (!view_kind_from_id ((const char *) sqlite3_column_text (stmt, 4), &view->kind))
        {
          g_set_error (error, RS_ERROR, RS_ERROR_DB_CORRUPT, "%s: a record of who looked has an unknown kind.",
                       rs_store_path (store));
          return NULL;
        }
    }
  return rc == SQLITE_DONE ? g_steal_pointer (&views) : NULL;
}
