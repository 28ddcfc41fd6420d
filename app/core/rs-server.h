/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The organization's server: a stock PostgreSQL 15 database with Reskill's
 * schema (app/core/server-schema/), and what an administrator does there.
 *
 * Reskill brings no daemon: kiosks (rs-sync.h), managers' reports and
 * calibration (rs-server-report.h) talk to PostgreSQL itself through
 * libpq, each as its own login role, and the server enforces who may read
 * and write what (row-level security and three checked functions; the
 * schema's first comment says how). The signed results kiosks push are
 * checked inside PostgreSQL by the server module reskill-pg.so, built from
 * the core's own code (app/server/).
 *
 * The schema is versioned like the kiosk's (rs-store.h): init creates it,
 * migrate brings it forward one step per version, each whole or not at all;
 * a server whose schema is newer than this program is refused, unchanged.
 *
 * Roles (cluster-wide, made by init when missing): reskill_owner owns
 * everything and logs in never; reskill_kiosk, reskill_employee,
 * reskill_manager and reskill_admin are groups whose members are the
 * login roles of kiosks (rs_server_enroll_kiosk) and people
 * (rs_server_add_login). What a login may see follows from the people
 * table, not from its group: a manager demoted to employee sees what an
 * employee sees. */
#pragma once

#include "rs-people.h"
#include "rs-pg.h"
#include "rs-privacy.h"
#include "rs-store.h"

G_BEGIN_DECLS

#define RS_SERVER_SCHEMA_VERSION 2
/* Where init points the checked functions when --module is not given:
 * the module as installed into PostgreSQL's library folder. */
#define RS_SERVER_DEFAULT_MODULE "$libdir/reskill-pg"

/* Connects and checks the schema: RS_ERROR_NOT_FOUND on a database
 * without it ("run reskill server init"), RS_ERROR_INVALID when older
 * ("run reskill server migrate"), RS_ERROR_DB_TOO_NEW when newer (nothing
 * is changed). *server_id (may be NULL): the server's identity, which
 * changes when it is set up anew. */
RsPg *rs_server_open (const char *conninfo, const char *password, char **server_id, GError **error);
gboolean rs_server_check_schema (RsPg *pg, int *version, char **server_id, GError **error);

/* As a PostgreSQL superuser: the roles, the schema at the current version,
 * the checked functions pointing at module_path (NULL: the default). A
 * server already at this version is left as it is (*created FALSE). */
gboolean rs_server_init (RsPg *pg, const char *module_path, gboolean *created, GError **error);
/* As a superuser: every step from the server's version up to this
 * program's; *from and *to (may be NULL) say which. */
gboolean rs_server_migrate (RsPg *pg, const char *module_path, int *from, int *to, GError **error);

/* Stores the question bank of questions_dir on the server (checked there:
 * it must load as the same version), so that attempts scored with it are
 * recomputed. *added FALSE: the server had it already. */
gboolean rs_server_add_bank (RsPg *pg, const char *questions_dir, char **version, int *n_items, gboolean *added,
                             GError **error);

/* The login role a kiosk gets (derived from its kiosk id). */
char *rs_server_kiosk_role (const char *kiosk_id);
/* Enrolls the kiosk of store: its own login role with password (its SCRAM
 * verifier is computed here; the password never reaches the server) and
 * its public key. Again for a kiosk enrolled before: a new password. */
gboolean rs_server_enroll_kiosk (RsPg *pg, RsStore *store, const char *name, const char *password, char **role,
                                 GError **error);
/* A kiosk lost or retired: what is a fingerprint, name, kiosk id or role. */
gboolean rs_server_revoke_kiosk (RsPg *pg, const char *what, char **fingerprint, GError **error);
/* A person's own login (managers and admins at their desks). */
gboolean rs_server_add_login (RsPg *pg, const char *employee_no, const char *role_name, const char *password,
                              GError **error);

/* The people import of rs-people.h, into the server: the same file, the
 * same checks and messages, one-time PINs for new people, all or nothing. */
gboolean rs_server_import_people (RsPg *pg, const char *path, gboolean allow_no_admin, GPtrArray **new_pins,
                                  RsImportReport *report, GError **error);
/* A new one-time PIN for a person (which also lifts their lock); free it
 * with rs_people_pin_free. */
char *rs_server_reset_pin (RsPg *pg, const char *employee_no, GError **error);
/* Lifts a sign-in lock on every kiosk at its next sync. */
gboolean rs_server_unlock (RsPg *pg, const char *employee_no, gboolean *was_locked, GError **error);

/* The kiosk settings every kiosk pulls: key one of RS_SERVER_SETTINGS,
 * value GVariant text of its type ("'Acme'", "['quick', 'standard']",
 * "180"), checked; NULL removes it (kiosks keep their own). */
extern const char *const RS_SERVER_SETTINGS[];
gboolean rs_server_setting_parse (const char *key, const char *text, GVariant **value, GError **error);
gboolean rs_server_set_setting (RsPg *pg, const char *key, const char *value, GError **error);

/* --- privacy (issue 14; schema version 2) ---
 *
 * The organization's privacy policy on the server: the same fields,
 * ranges and messages as a kiosk's (rs-privacy.h). Kiosks pull it at sync
 * and take it as theirs (the server's wins); reports from the server
 * apply it, and its row-level security keeps it (a manager's login under
 * aggregates cannot read a named result). Changing it needs an
 * administrator's login (or the database's owner side); every change
 * raises the version and is audited there. */
gboolean rs_server_get_policy (RsPg *pg, RsPrivacyPolicy *policy, GError **error);
gboolean rs_server_set_policy (RsPg *pg, const RsPrivacyPolicy *policy, GError **error);
/* RS_VISIBILITY_INHERIT: the organization's again. */
gboolean rs_server_set_team_visibility (RsPg *pg, const char *team_name, RsVisibility visibility, GError **error);
/* NULL or blank text removes the wording of lang ("" or NULL: every language). */
gboolean rs_server_set_wording (RsPg *pg, const char *lang, const char *text, GError **error);

/* Who looked at employee_no's results on the server, newest first (array
 * of RsResultView): for the person's own login or an administrator's. */
GPtrArray *rs_server_who_looked (RsPg *pg, const char *employee_no, GError **error);

/* The policy's retention periods applied on the server as of now_us (unix
 * µs): finished attempts older than the results period, and people
 * deactivated longer than theirs, deleted; with dry_run only counted. An
 * administrator's login; audited. */
gboolean rs_server_retention (RsPg *pg, gboolean dry_run, gint64 now_us, int *n_attempts, int *n_answers,
                              int *n_people, GError **error);

/* A libpq connection string with its user replaced (for a kiosk's own). */
char *rs_server_conninfo_with_user (const char *conninfo, const char *user, GError **error);

G_END_DECLS
