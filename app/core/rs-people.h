/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The administrator's side of people and teams: list and search, add, edit,
 * deactivate and reactivate (results are always kept), reset a PIN, teams and
 * their managers, and the people import from CSV.
 *
 * Every function takes the signed-in person (the viewer) and refuses with
 * RS_ERROR_DENIED unless rs_access_require_admin() accepts them. Each change
 * writes one audit row in the same transaction as the change itself; reads
 * (lists, searches) are not audited, or the audit log would fill with every
 * keystroke of a search field.
 *
 * One-time PINs are 6 random digits (libsodium's randombytes_uniform), handed
 * back once and kept only as argon2id hashes: the caller shows them and then
 * frees them with rs_people_pin_free(), which wipes the memory. */
#pragma once

#include "rs-store.h"

G_BEGIN_DECLS

#define RS_PEOPLE_PIN_LENGTH 6
/* People files larger than this are refused unread. */
#define RS_PEOPLE_MAX_FILE_SIZE (16 * 1024 * 1024)

/* The person running the command line. Whoever can open the database file
 * already holds every right over it, so the operator counts as an admin;
 * audit rows name no person (person_id NULL). Never pass it from the GUI,
 * where the signed-in person is the viewer. */
const RsPerson *rs_people_operator (void);

/* --- people --- */

/* Everyone (active or not), ordered by name then employee number; with a
 * search text, only those whose employee number or name contains it
 * (case-insensitive, Unicode case folding). Array of RsPerson. */
GPtrArray *rs_people_list (RsStore *store, const RsPerson *viewer, const char *search, GError **error);

/* Adds a person with a fresh one-time PIN, returned in *pin (free it with
 * rs_people_pin_free). team NULL or "": no team. A manager becomes manager
 * of their team. */
gboolean rs_people_add (RsStore *store, const RsPerson *viewer, const char *employee_no, const char *name,
                        const char *team, RsPersonRole role, gint64 *person_id, char **pin, GError **error);

/* Changes name, team (NULL or "": none; created when new) and role. The
 * employee number is the identity and is not changed. A person who becomes
 * an employee stops managing teams. The last active admin who can sign in
 * cannot be demoted (RS_ERROR_INVALID): someone must be able to leave the
 * kiosk and manage it. */
gboolean rs_people_update (RsStore *store, const RsPerson *viewer, gint64 person_id, const char *name,
                           const char *team, RsPersonRole role, GError **error);

/* Deactivated people cannot sign in; their attempts and results stay. The
 * last active admin cannot be deactivated. */
gboolean rs_people_set_active (RsStore *store, const RsPerson *viewer, gint64 person_id, gboolean active,
                               GError **error);

/* Sets a new one-time PIN (which also lifts a sign-in lock) and returns it,
 * or NULL on error. Free it with rs_people_pin_free. */
char *rs_people_reset_pin (RsStore *store, const RsPerson *viewer, gint64 person_id, GError **error);

/* Wipes and frees a PIN. */
void rs_people_pin_free (char *pin);

/* --- teams --- */

typedef struct {
  gint64 id;
  char *name;
  guint n_members;        /* active members */
  GPtrArray *managers;    /* RsPerson, by name */
} RsTeam;

void rs_team_free (RsTeam *team);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RsTeam, rs_team_free)

/* Every team, by name, with its managers. Array of RsTeam. */
GPtrArray *rs_people_list_teams (RsStore *store, const RsPerson *viewer, GError **error);

/* Makes person_id a manager of team_id (manages TRUE) or ends that
 * (FALSE). Only managers and admins can manage a team (RS_ERROR_INVALID). */
gboolean rs_people_set_team_manager (RsStore *store, const RsPerson *viewer, gint64 team_id, gint64 person_id,
                                     gboolean manages, GError **error);

/* --- import --- */

typedef struct {
  guint n_rows;           /* people in the file */
  guint n_added;
  guint n_updated;        /* existing people whose name, team or role changed */
  guint n_unchanged;      /* existing people the file left as they were */
  guint n_teams_added;
  gboolean no_admin;      /* the database has no active admin who can sign in */
} RsImportReport;

typedef struct {
  char *employee_no;
  char *name;
  char *pin;              /* the one-time PIN: show it once */
} RsNewPin;

void rs_new_pin_free (RsNewPin *new_pin);

/* Imports people.csv (RFC 4180, UTF-8, optional BOM, CRLF or LF), header
 * row naming the columns employee_no, name, team, role, each once, in any
 * order (spreadsheets reorder columns; names are case-sensitive). Values
 * are trimmed, and each run of spaces, line breaks or other control
 * characters inside one becomes a single space; team may be empty (no
 * team); role is employee, manager or admin (any case).
 *
 * People are matched by employee number: existing ones get the file's name,
 * team and role and keep their PIN and their active flag; new ones get a
 * one-time PIN, returned in *new_pins (array of RsNewPin, in file order;
 * new_pins may be NULL, but then nobody learns the PINs). Teams are created
 * as needed. A manager becomes a manager of their team; links to other
 * teams are kept, except that someone the file makes an employee manages
 * no team any more.
 *
 * All in one transaction: any problem rejects the whole file with
 * "PATH:LINE: message" (LINE is the physical line where the bad record
 * starts; RS_ERROR_PARSE for the CSV form, RS_ERROR_INVALID for content)
 * and nothing changes. viewer NULL means rs_people_operator(). */
gboolean rs_people_import_csv (RsStore *store, const RsPerson *viewer, const char *path, GPtrArray **new_pins,
                               RsImportReport *report, GError **error);
/* The same; an import that would leave people but no active administrator
 * who can sign in is refused (RS_ERROR_INVALID) unless allow_no_admin, and
 * then report->no_admin says so. */
gboolean rs_people_import_csv_full (RsStore *store, const RsPerson *viewer, const char *path,
                                    gboolean allow_no_admin, GPtrArray **new_pins, RsImportReport *report,
                                    GError **error);

G_END_DECLS
