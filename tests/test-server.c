/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The organization's server (issue 13), against a real PostgreSQL 15
 * cluster that tests/with-pg-cluster.sh starts for this test alone:
 *
 * - the schema: init and migrate twice change nothing; a server whose
 *   schema is newer is refused clearly, with nothing changed;
 * - two kiosks syncing the same people and different attempts end with
 *   every attempt on the server exactly once, as each kiosk has it, and
 *   the same people; a sync again sends nothing; a continued attempt
 *   catches up; a kiosk offline for a week catches up;
 * - a kiosk's credential cannot forge: units signed by another key, another
 *   kiosk's attempts, edited, unsigned, or re-signed with numbers the
 *   answers do not give are refused and write nothing; a kiosk cannot
 *   write tables or read results; a person's login cannot push;
 * - the access rules of tests/access-cases.h, each viewer logged in as
 *   their own role (row-level security), as on a kiosk;
 * - reports, company overview and item statistics from the server equal
 *   those computed from one SQLite database holding the same attempts;
 * - sign-in locks travel and an unlock lifts them everywhere; settings,
 *   the enrolled kiosks (trusted, revoked) and the calibration in force
 *   are pulled, and an attempt scored with that calibration is accepted;
 * - a server that is down: the kiosk keeps working and says so, and
 *   catches up when it is back;
 * - privacy (issue 14): practice attempts never leave the kiosk until
 *   shared; the policy levels of tests/access-cases.h through row-level
 *   security (no named result under aggregates, no answer under levels),
 *   reports under each level with pseudonyms where names are hidden; the
 *   server's policy, team overrides and wording pulled by kiosks (the
 *   server wins); who looked recorded there, read by the person and pulled
 *   by their kiosk; an erasure made on one kiosk applied on the server and
 *   on another kiosk, whose older attempt of the person is kept out, and a
 *   forged or tampered erasure refused; retention on the server. */
#include <glib/gstdio.h>
#include <math.h>
#include <sqlite3.h>
#include <string.h>

#include "access-cases.h"
#include "rs-access.h"
#include "rs-assessment.h"
#include "rs-calibration.h"
#include "rs-erasure.h"
#include "rs-error.h"
#include "rs-gsettings.h"
#include "rs-item-stats.h"
#include "rs-people.h"
#include "rs-privacy.h"
#include "rs-report.h"
#include "rs-roles.h"
#include "rs-server-report.h"
#include "rs-server.h"
#include "rs-store-private.h"
#include "rs-sync-scheduler.h"
#include "rs-sync.h"
#include "rs-trust.h"
#include "rs-unit.h"

typedef struct {
  char *name;
  RsStore *store;
  char *conninfo;            /* its own login */
} Kiosk;

static char *dir;            /* the test's own temporary folder */
static char *host;           /* the cluster's socket folder */
static RsBank *bank;
static RsRoleSet *roles;
static RsPg *super;          /* the superuser, on the database "reskill" */
static GPtrArray *kiosks;    /* Kiosk * */

/* --- helpers --- */

static char *
conninfo_as (const char *user)
{
  return g_strdup_printf ("host=%s dbname=reskill user=%s", host, user);
}

static RsPg *
connect_as (const char *user)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *conninfo = conninfo_as (user);
  RsPg *pg = rs_pg_connect (conninfo, &error);

  g_assert_no_error (error);
  return pg;
}

static gint64
super_int (const char *sql, const char *text)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (PGresult) result = rs_pg_query (super, &error, sql, text != NULL ? "s" : "", text);

  g_assert_no_error (error);
  g_assert_cmpint (PQntuples (result), ==, 1);
  return rs_pg_int (result, 0, 0);
}

static void
super_exec (const char *sql)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (rs_pg_exec_script (super, sql, &error));
  g_assert_no_error (error);
}

static Kiosk *
new_kiosk (const char *name)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = g_strdup_printf ("%s/%s.db", dir, name);
  g_autofree char *role = NULL;
  Kiosk *k = g_new0 (Kiosk, 1);

  k->name = g_strdup (name);
  k->store = rs_store_open (path, &error);
  g_assert_no_error (error);
  /* Trust authentication on the test's socket: no password to set. */
  g_assert_true (rs_server_enroll_kiosk (super, k->store, name, NULL, &role, &error));
  g_assert_no_error (error);
  k->conninfo = conninfo_as (role);
  g_ptr_array_add (kiosks, k);
  return k;
}

static void
kiosk_free (Kiosk *k)
{
  rs_store_close (k->store);
  g_free (k->name);
  g_free (k->conninfo);
  g_free (k);
}

static void
sync_ok (Kiosk *k, RsSyncSummary *out)
{
  g_autoptr (GError) error = NULL;
  RsSyncSummary summary = { 0 };

  gboolean ok = rs_sync (k->store, k->conninfo, NULL, &summary, &error);

  g_assert_no_error (error);
  g_assert_true (ok);
  for (guint i = 0; i < summary.problems->len; i++)
    g_test_message ("%s: %s", k->name, (const char *) g_ptr_array_index (summary.problems, i));
  if (out != NULL)
    *out = summary;
  else
    rs_sync_summary_clear (&summary);
}

static gint64
person_id (RsStore *store, const char *employee_no)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RsPerson) p = rs_store_find_person (store, employee_no, &error);

  g_assert_no_error (error);
  return p->id;
}

/* Answers n questions (G_MAXINT: to the end), some wrong as the seed says. */
static void
answer (RsAssessment *a, int n, guint32 seed)
{
  for (int i = 0; i < n && rs_assessment_current_item (a) != NULL; i++)
    {
      g_autoptr (GError) error = NULL;
      const RsItem *item = rs_assessment_current_item (a);
      RsAnswer given;

      rs_item_best_answer (item, &given);
      if ((seed + (guint32) i * 7u) % 3 == 0)
        {
          if (given.has_number)
            given.number += 1000;
          else
            given.chosen = 1u << ((seed + (guint32) i) % (guint32) MAX (item->n_options, 1));
        }
      g_assert_true (rs_assessment_submit (a, &given, 2000 + i, NULL, &error));
      g_assert_no_error (error);
    }
}

/* An attempt on k for employee_no (NULL: a guest), n answers (-1: all, and
 * finished). Returns its UUID. */
static char *
take_on (RsStore *store, const RsBank *with, const char *employee_no, guint32 seed, int n)
{
  static const RsSkill skills[] = { RS_SKILL_PYTHON, RS_SKILL_STATISTICS };
  static const RsLevel self[] = { RS_LEVEL_DEVELOPING, RS_LEVEL_INVALID };
  g_autoptr (GError) error = NULL;
  g_autoptr (RsAssessment) a = rs_assessment_start (store, with, employee_no ? person_id (store, employee_no) : 0,
                                                    RS_MODE_QUICK, skills, 2, self, seed, &error);

  g_assert_no_error (error);
  answer (a, n < 0 ? G_MAXINT : n, seed);
  if (n < 0)
    {
      g_assert_true (rs_assessment_finish (a, &error));
      g_assert_no_error (error);
    }
  return g_strdup (rs_assessment_uuid (a));
}

static char *
take (Kiosk *k, const char *employee_no, guint32 seed, int n)
{
  return take_on (k->store, bank, employee_no, seed, n);
}

/* An attempt as the kiosk holds it, in the words both stores use. */
static char *
local_digest (RsStore *store, const char *uuid)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RsAttempt) a = rs_store_load_attempt (store, uuid, &error);
  GString *out = g_string_new (NULL);

  g_assert_no_error (error);
  g_string_append_printf (out, "%s %s %s %" G_GINT64_FORMAT "\n", a->uuid, a->kiosk_id,
                          a->status == RS_ATTEMPT_FINISHED ? "finished" : "in_progress", a->started_at);
  for (guint i = 0; i < a->responses->len; i++)
    {
      const RsResponse *r = &g_array_index (a->responses, RsResponse, i);
      g_string_append_printf (out, "%d %s %s %d %.17g %.17g %" G_GINT64_FORMAT "\n", r->seq, r->item_id, r->answer,
                              r->score, r->theta, r->se, r->answered_at);
    }
  for (guint i = 0; i < a->results->len; i++)
    {
      const RsSkillResult *r = &g_array_index (a->results, RsSkillResult, i);
      g_string_append_printf (out, "%s %.17g %.17g %d\n", rs_skill_id (r->skill), r->theta, r->se, r->n_items);
    }
  return g_string_free (out, FALSE);
}

static char *
server_digest (const char *uuid)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (PGresult) a = rs_pg_query (super, &error,
                                        "SELECT uuid, kiosk_id, status, started_at FROM reskill.attempts WHERE uuid = $1",
                                        "s", uuid);
  g_autoptr (PGresult) r = NULL, s = NULL;
  GString *out = g_string_new (NULL);

  g_assert_no_error (error);
  if (PQntuples (a) != 1)
    return g_string_free (out, FALSE);
  g_string_append_printf (out, "%s %s %s %s\n", rs_pg_text (a, 0, 0), rs_pg_text (a, 0, 1), rs_pg_text (a, 0, 2),
                          rs_pg_text (a, 0, 3));
  r = rs_pg_query (super, &error, "SELECT seq, item_id, answer, score, theta, se, answered_at FROM reskill.responses"
                   " WHERE attempt_id = $1 ORDER BY seq", "s", uuid);
  g_assert_no_error (error);
  for (int i = 0; i < PQntuples (r); i++)
    g_string_append_printf (out, "%s %s %s %s %.17g %.17g %s\n", rs_pg_text (r, i, 0), rs_pg_text (r, i, 1),
                            rs_pg_text (r, i, 2), rs_pg_text (r, i, 3), rs_pg_double (r, i, 4), rs_pg_double (r, i, 5),
                            rs_pg_text (r, i, 6));
  s = rs_pg_query (super, &error, "SELECT skill, theta, se, n_items FROM reskill.results WHERE attempt_id = $1"
                   " ORDER BY ord", "s", uuid);
  g_assert_no_error (error);
  for (int i = 0; i < PQntuples (s); i++)
    g_string_append_printf (out, "%s %.17g %.17g %s\n", rs_pg_text (s, i, 0), rs_pg_double (s, i, 1),
                            rs_pg_double (s, i, 2), rs_pg_text (s, i, 3));
  return g_string_free (out, FALSE);
}

static void
assert_on_server (Kiosk *k, const char *uuid)
{
  g_autofree char *here = local_digest (k->store, uuid);
  g_autofree char *there = server_digest (uuid);

  g_assert_cmpstr (there, ==, here);
}

static GBytes *
unit_bytes (const RsUnit *unit)
{
  return rs_unit_serialize (unit);
}

/* Pushes a unit's bytes with a signer and signature as the login of pusher. */
static gboolean
push_raw (RsPg *pusher, GBytes *body, const guint8 *signer, gsize signer_length, const guint8 *signature,
          gsize signature_length, GError **error)
{
  g_autoptr (GBytes) s = g_bytes_new (signer, signer_length);
  g_autoptr (GBytes) sig = g_bytes_new (signature, signature_length);
  g_autoptr (PGresult) result = rs_pg_query (pusher, error,
                                             "SELECT outcome FROM reskill.push_unit ($1::bytea, $2::bytea, $3::bytea)",
                                             "xxx", body, s, sig);

  return result != NULL;
}

static gint64
server_attempts (void)
{
  return super_int ("SELECT count(*) FROM reskill.attempts", NULL);
}

/* --- the tests --- */

static void
test_schema_again (void)
{
  g_autoptr (GError) error = NULL;
  gboolean created = TRUE;
  int from = 0, to = 0;

  g_assert_true (rs_server_init (super, g_getenv ("RESKILL_TEST_PG_MODULE"), &created, &error));
  g_assert_no_error (error);
  g_assert_false (created);
  g_assert_true (rs_server_migrate (super, g_getenv ("RESKILL_TEST_PG_MODULE"), &from, &to, &error));
  g_assert_no_error (error);
  g_assert_cmpint (from, ==, RS_SERVER_SCHEMA_VERSION);
  g_assert_cmpint (to, ==, RS_SERVER_SCHEMA_VERSION);
  /* Not a superuser: refused, with what to do. */
  {
    g_autoptr (RsPg) admin = connect_as ("t_adm");
    g_assert_false (rs_server_migrate (admin, NULL, NULL, NULL, &error));
    g_assert_error (error, RS_ERROR, RS_ERROR_DENIED);
    g_assert_nonnull (strstr (error->message, "superuser"));
  }
}

static void
test_two_kiosks (void)
{
  Kiosk *k1 = g_ptr_array_index (kiosks, 0), *k2 = g_ptr_array_index (kiosks, 1);
  g_autofree char *a1 = NULL, *a2 = NULL, *a3 = NULL, *b1 = NULL, *b2 = NULL, *b3 = NULL;
  g_autoptr (GError) error = NULL;
  RsSyncSummary summary = { 0 };
  gint64 before = server_attempts ();

  /* Both learn the same people from the server first. */
  sync_ok (k1, NULL);
  sync_ok (k2, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (access_people); i++)
    {
      g_autoptr (RsPerson) p1 = rs_store_find_person (k1->store, access_people[i].number, &error);
      g_autoptr (RsPerson) p2 = rs_store_find_person (k2->store, access_people[i].number, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (p1->name, ==, p2->name);
      g_assert_cmpstr (p1->team_name, ==, p2->team_name);
      g_assert_cmpint (p1->role, ==, p2->role);
      g_assert_cmpint (p1->role, ==, access_people[i].role);
    }
  /* Different attempts on each; one left unfinished. */
  a1 = take (k1, "EA", 11, -1);
  a2 = take (k1, "EB", 12, -1);
  a3 = take (k1, "EA", 13, 4);
  b1 = take (k2, "EA", 21, -1);
  b2 = take (k2, "EB2", 22, -1);
  b3 = take (k2, NULL, 23, -1);
  sync_ok (k1, &summary);
  g_assert_cmpint (summary.added, ==, 3);
  g_assert_cmpint (summary.refused + summary.conflicts + summary.skipped, ==, 0);
  rs_sync_summary_clear (&summary);
  sync_ok (k2, &summary);
  g_assert_cmpint (summary.added, ==, 3);
  rs_sync_summary_clear (&summary);
  g_assert_cmpint (server_attempts (), ==, before + 6);
  assert_on_server (k1, a1);
  assert_on_server (k1, a2);
  assert_on_server (k1, a3);
  assert_on_server (k2, b1);
  assert_on_server (k2, b2);
  assert_on_server (k2, b3);

  /* Again: nothing to send, nothing doubled. */
  sync_ok (k1, &summary);
  g_assert_cmpint (summary.pushed, ==, 0);
  rs_sync_summary_clear (&summary);
  g_assert_cmpint (server_attempts (), ==, before + 6);

  /* The unfinished one, continued and finished, catches up. */
  {
    g_autoptr (RsAssessment) a = rs_assessment_resume (k1->store, bank, a3, &error);

    g_assert_no_error (error);
    answer (a, G_MAXINT, 13);
    g_assert_true (rs_assessment_finish (a, &error));
    g_assert_no_error (error);
  }
  sync_ok (k1, &summary);
  g_assert_cmpint (summary.pushed, ==, 1);
  g_assert_cmpint (summary.updated, ==, 1);
  rs_sync_summary_clear (&summary);
  assert_on_server (k1, a3);
  g_assert_cmpint (super_int ("SELECT count(*) FROM reskill.responses WHERE attempt_id = $1", a3), ==,
                   super_int ("SELECT count(DISTINCT seq) FROM reskill.responses WHERE attempt_id = $1", a3));
  /* Each kept its own kiosk. */
  g_assert_cmpint (super_int ("SELECT count(*) FROM reskill.attempts WHERE kiosk_id = $1",
                              rs_store_kiosk_id (k2->store)), >=, 3);
}

static void
test_kiosk_cannot_forge (void)
{
  Kiosk *k1 = g_ptr_array_index (kiosks, 0), *k2 = g_ptr_array_index (kiosks, 1);
  g_autofree char *uuid = take (k1, "EB", 31, -1);
  g_autofree char *k2_role = rs_server_kiosk_role (rs_store_kiosk_id (k2->store));
  g_autofree char *k1_role = rs_server_kiosk_role (rs_store_kiosk_id (k1->store));
  g_autoptr (RsPg) as_k2 = connect_as (k2_role);
  g_autoptr (RsPg) as_k1 = connect_as (k1_role);
  g_autoptr (RsPg) as_manager = connect_as ("t_ma");
  g_autoptr (GError) error = NULL;
  g_autoptr (RsUnit) unit = rs_unit_load_attempt (k1->store, uuid, &error);
  g_autoptr (GBytes) body = NULL;
  gint64 before = server_attempts ();
  gint64 receipts = super_int ("SELECT count(*) FROM reskill.unit_receipts", NULL);

  g_assert_no_error (error);
  /* k1's unit, signed by k1, pushed with k2's credential. */
  rs_unit_sign (unit, rs_store_kiosk_key (k1->store));
  body = unit_bytes (unit);
  g_assert_false (push_raw (as_k2, body, unit->signer, 32, unit->signature, 64, &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_DENIED);
  g_assert_nonnull (strstr (error->message, "not by this kiosk's enrolled key"));
  g_clear_error (&error);
  /* k1's attempt re-signed with k2's own key: still not k2's attempt. */
  rs_unit_sign (unit, rs_store_kiosk_key (k2->store));
  g_assert_false (push_raw (as_k2, body, unit->signer, 32, unit->signature, 64, &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_DENIED);
  g_assert_nonnull (strstr (error->message, "pushes only its own attempts"));
  g_clear_error (&error);

  /* With k1's own credential: edited after signing, unsigned, and
   * re-signed numbers that the answers do not give. */
  rs_unit_sign (unit, rs_store_kiosk_key (k1->store));
  {
    gsize length = 0;
    const guint8 *data = g_bytes_get_data (body, &length);
    g_autofree guint8 *edited = g_memdup2 (data, length);
    g_autoptr (GBytes) edited_body = NULL;
    /* One digit of the start time, which keeps the encoding valid. */
    guint8 *at = (guint8 *) g_strstr_len ((const char *) edited, (gssize) length, "\tT8:finished");

    g_assert_nonnull (at);
    at = (guint8 *) strchr ((const char *) at + 1, '\t');
    g_assert_nonnull (at);
    at[3] = at[3] == '1' ? '2' : '1';
    edited_body = g_bytes_new (edited, length);
    g_assert_false (push_raw (as_k1, edited_body, unit->signer, 32, unit->signature, 64, &error));
    g_assert_error (error, RS_ERROR, RS_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "does not match its signature"));
    g_clear_error (&error);
  }
  g_assert_false (push_raw (as_k1, body, unit->signer, 32, unit->signature, 0, &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_DENIED);
  g_assert_nonnull (strstr (error->message, "is not signed"));
  g_clear_error (&error);
  {
    RsSkillResult *r = &g_array_index (unit->attempt->results, RsSkillResult, 0);
    g_autoptr (GBytes) forged = NULL;

    r->theta += 1.5;          /* Expert by the kiosk's own signature */
    rs_unit_sign (unit, rs_store_kiosk_key (k1->store));
    forged = unit_bytes (unit);
    g_assert_false (push_raw (as_k1, forged, unit->signer, 32, unit->signature, 64, &error));
    g_assert_error (error, RS_ERROR, RS_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "claims what its answers do not give"));
    g_clear_error (&error);
  }
  /* Bytes that are not a unit at all. */
  {
    static const char text[] = "reskill-unit\tattempt\t1\nattempt\tX\n";
    g_autoptr (GBytes) junk = g_bytes_new_static (text, strlen (text));

    g_assert_false (push_raw (as_k1, junk, unit->signer, 32, unit->signature, 64, &error));
    g_assert_error (error, RS_ERROR, RS_ERROR_INVALID);
    g_clear_error (&error);
  }
  g_assert_cmpint (server_attempts (), ==, before);
  g_assert_cmpint (super_int ("SELECT count(*) FROM reskill.unit_receipts", NULL), ==, receipts);

  /* Tables: a kiosk writes none and reads no result. */
  g_assert_false (rs_pg_exec (as_k2, &error,
                              "INSERT INTO reskill.attempts (uuid, mode, skills, seed, kiosk_id, status, started_at)"
                              " VALUES ($1, 'quick', 'python', 1, $2, 'finished', 1)", "ss", uuid,
                              rs_store_kiosk_id (k1->store)));
  g_assert_error (error, RS_ERROR, RS_ERROR_DENIED);
  g_clear_error (&error);
  g_assert_false (rs_pg_exec (as_k2, &error, "UPDATE reskill.results SET theta = 3", ""));
  g_assert_error (error, RS_ERROR, RS_ERROR_DENIED);
  g_clear_error (&error);
  g_assert_false (rs_pg_exec (as_k2, &error, "SELECT * FROM reskill.results", ""));
  g_assert_error (error, RS_ERROR, RS_ERROR_DENIED);
  g_clear_error (&error);
  g_assert_false (rs_pg_exec (as_k2, &error, "UPDATE reskill.people SET secret_hash = NULL", ""));
  g_assert_error (error, RS_ERROR, RS_ERROR_DENIED);
  g_clear_error (&error);
  /* A person's login cannot push at all. */
  g_assert_false (push_raw (as_manager, body, unit->signer, 32, unit->signature, 64, &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_DENIED);
  g_clear_error (&error);
  /* The honest push still goes through. */
  sync_ok (k1, NULL);
  assert_on_server (k1, uuid);
}

static void
test_access_cases (void)
{
  Kiosk *k1 = g_ptr_array_index (kiosks, 0);

  /* Everyone has a result; OLD is then deactivated on the server. */
  for (guint i = 0; i < G_N_ELEMENTS (access_people); i++)
    g_free (take (k1, access_people[i].number, 40 + i, -1));
  sync_ok (k1, NULL);
  super_exec ("UPDATE reskill.people SET active = false WHERE employee_no = 'OLD'");

  for (guint i = 0; i < G_N_ELEMENTS (access_cases); i++)
    {
      const AccessCase *c = &access_cases[i];
      g_autofree char *role = g_ascii_strdown (c->viewer, -1);
      g_autofree char *login = g_strdup_printf ("t_%s", role);
      g_autoptr (RsPg) viewer_pg = connect_as (login);
      g_autoptr (GError) error = NULL;
      gboolean allowed;

      if (c->kind == ACCESS_PERSON)
        {
          gint64 target = super_int ("SELECT id FROM reskill.people WHERE employee_no = $1", c->target);
          g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, target);
          g_autoptr (PGresult) attempts = rs_pg_query (viewer_pg, &error,
                                                       "SELECT count(*) FROM reskill.attempts WHERE person_id = $1::bigint",
                                                       "s", id);
          g_autoptr (PGresult) results = NULL;

          g_assert_no_error (error);
          results = rs_pg_query (viewer_pg, &error, "SELECT count(*) FROM reskill.results WHERE person_id = $1::bigint",
                                 "s", id);
          g_assert_no_error (error);
          allowed = rs_pg_int (attempts, 0, 0) > 0;
          g_assert_cmpint (rs_pg_int (results, 0, 0) > 0, ==, allowed);
        }
      else
        {
          g_autoptr (PGresult) teams = rs_pg_query (viewer_pg, &error,
                                                    "SELECT count(*) FROM reskill.teams WHERE name = $1", "s",
                                                    c->target);

          g_assert_no_error (error);
          allowed = rs_pg_int (teams, 0, 0) == 1;
          /* And what a report asks: the same answer, the same refusal. */
          {
            g_autoptr (RsPerson) viewer = rs_server_viewer (viewer_pg, NULL);
            gint64 team_id = 0;
            g_autoptr (GError) refusal = NULL;

            if (viewer != NULL)
              {
                g_assert_cmpint (rs_server_find_team (viewer_pg, viewer, c->target, &team_id, &refusal), ==, allowed);
                if (!allowed)
                  g_assert_error (refusal, RS_ERROR, RS_ERROR_DENIED);
              }
            else
              g_assert_false (allowed);
          }
        }
      if (allowed != c->allowed)
        g_test_message ("case %u: %s %s %s", i, c->viewer, c->kind == ACCESS_PERSON ? "person" : "team", c->target);
      g_assert_cmpint (allowed, ==, c->allowed);
    }
  super_exec ("UPDATE reskill.people SET active = true WHERE employee_no = 'OLD'");
}

/* A manager asking for the report of a team they do not lead. */
static void
test_manager_other_team (void)
{
  g_autoptr (RsPg) pg = connect_as ("t_ma");
  g_autoptr (RsPerson) viewer = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (RsTeamReport) report = NULL;
  g_autoptr (RsCompanyOverview) overview = NULL;
  gint64 team_b = super_int ("SELECT id FROM reskill.teams WHERE name = $1", "B");
  gint64 team = 0;

  viewer = rs_server_viewer (pg, &error);
  g_assert_no_error (error);
  g_assert_false (rs_server_find_team (pg, viewer, "B", &team, &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_DENIED);
  g_assert_cmpstr (error->message, ==, "You can only see the teams you lead.");
  g_clear_error (&error);
  /* Nor a team that does not exist: the same words. */
  g_assert_false (rs_server_find_team (pg, viewer, "No such team", &team, &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_DENIED);
  g_assert_cmpstr (error->message, ==, "You can only see the teams you lead.");
  g_clear_error (&error);
  /* Nor by its id. */
  report = rs_server_team_report (pg, roles, viewer, team_b, &error);
  g_assert_null (report);
  g_assert_error (error, RS_ERROR, RS_ERROR_DENIED);
  g_clear_error (&error);
  /* The overview has their team only; an employee gets none. */
  overview = rs_server_company_overview (pg, roles, viewer, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (overview->teams->len, ==, 1);
  g_assert_cmpstr (((RsTeamSummary *) g_ptr_array_index (overview->teams, 0))->team_name, ==, "A");
  {
    g_autoptr (RsPg) employee_pg = connect_as ("t_ea");
    g_autoptr (RsPerson) employee = rs_server_viewer (employee_pg, &error);
    g_autoptr (RsCompanyOverview) none = NULL;

    g_assert_no_error (error);
    none = rs_server_company_overview (employee_pg, roles, employee, &error);
    g_assert_null (none);
    g_assert_error (error, RS_ERROR, RS_ERROR_DENIED);
  }
}

/* What the server computes equals what a kiosk computes from the same
 * attempts: every kiosk's units imported into one SQLite database. */
static void
test_reports_match (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = g_build_filename (dir, "hq.db", NULL);
  g_autoptr (RsStore) hq = rs_store_open (path, &error);
  g_autoptr (GPtrArray) units = g_ptr_array_new_with_free_func ((GDestroyNotify) rs_unit_free);
  g_autoptr (RsPg) admin_pg = connect_as ("t_adm");
  g_autoptr (RsPerson) admin = NULL;
  g_autoptr (RsPerson) local_admin = NULL;
  const RsBank *banks[] = { bank };
  RsUnitCheck check = { banks, 1, 0, "test" };
  RsImportSummary summary = { 0 };

  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (access_people); i++)
    {
      g_assert_true (rs_store_add_person (hq, access_people[i].number, access_people[i].number, access_people[i].team,
                                          access_people[i].role, NULL, NULL, &error));
      g_assert_no_error (error);
    }
  for (guint i = 0; i < G_N_ELEMENTS (access_leads); i++)
    {
      gint64 team = 0;
      g_assert_true (rs_store_ensure_team (hq, access_leads[i].team, &team, &error));
      g_assert_true (rs_store_set_team_manager (hq, team, person_id (hq, access_leads[i].manager), &error));
      g_assert_no_error (error);
    }
  for (guint k = 0; k < kiosks->len; k++)
    {
      Kiosk *kiosk = g_ptr_array_index (kiosks, k);
      sqlite3_stmt *stmt = NULL;

      sync_ok (kiosk, NULL);
      g_assert_true (rs_trust_kiosk (hq, NULL, rs_store_key_fingerprint (kiosk->store), kiosk->name, NULL, &error));
      g_assert_no_error (error);
      g_assert_cmpint (sqlite3_prepare_v2 (rs_store_get_db (kiosk->store),
                                           "SELECT uuid FROM attempts WHERE kiosk_id = (SELECT value FROM meta"
                                           " WHERE key = 'kiosk_id')", -1, &stmt, NULL), ==, SQLITE_OK);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          RsUnit *unit = rs_unit_load_attempt (kiosk->store, (const char *) sqlite3_column_text (stmt, 0), &error);

          g_assert_no_error (error);
          rs_unit_sign (unit, rs_store_kiosk_key (kiosk->store));
          g_ptr_array_add (units, unit);
        }
      sqlite3_finalize (stmt);
    }
  g_assert_true (rs_units_import (hq, NULL, &check, units, &summary, &error));
  g_assert_no_error (error);
  g_assert_cmpint (summary.attempts_added, ==, (int) units->len);
  rs_import_summary_clear (&summary);
  /* The same attempts on both sides, then the same figures. */
  g_assert_cmpint (server_attempts (), ==, (gint64) units->len);

  admin = rs_server_viewer (admin_pg, &error);
  g_assert_no_error (error);
  local_admin = rs_store_find_person (hq, "ADM", &error);
  g_assert_no_error (error);
  for (guint t = 0; t < G_N_ELEMENTS (access_leads); t++)
    {
      gint64 server_team = 0, local_team = 0;
      g_autoptr (RsTeamReport) there = NULL, here = NULL;

      g_assert_true (rs_server_find_team (admin_pg, admin, access_leads[t].team, &server_team, &error));
      g_assert_true (rs_report_find_team (hq, access_leads[t].team, &local_team, &error));
      g_assert_no_error (error);
      there = rs_server_team_report (admin_pg, roles, admin, server_team, &error);
      g_assert_no_error (error);
      here = rs_team_report_new (hq, roles, local_admin, local_team, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (there->members->len, ==, here->members->len);
      g_assert_cmpuint (there->members->len, >, 0);
      for (guint m = 0; m < here->members->len; m++)
        {
          const RsReportMember *x = g_ptr_array_index (there->members, m), *y = g_ptr_array_index (here->members, m);

          g_assert_cmpstr (x->employee_no, ==, y->employee_no);
          for (int s = 0; s < RS_N_SKILLS; s++)
            {
              g_assert_cmpint (x->latest[s].measured, ==, y->latest[s].measured);
              g_assert_cmpfloat (x->latest[s].score.theta, ==, y->latest[s].score.theta);
              g_assert_cmpfloat (x->latest[s].score.se, ==, y->latest[s].score.se);
              g_assert_cmpint (x->latest[s].n_items, ==, y->latest[s].n_items);
            }
        }
      for (int s = 0; s < RS_N_SKILLS; s++)
        g_assert_cmpmem (&there->distribution[s], sizeof there->distribution[s], &here->distribution[s],
                         sizeof here->distribution[s]);
      g_assert_cmpuint (there->progress->len, ==, here->progress->len);
      for (guint q = 0; q < here->progress->len; q++)
        for (int s = 0; s < RS_N_SKILLS; s++)
          {
            g_assert_cmpuint (g_array_index (there->progress, RsQuarterProgress, q).n[s], ==,
                              g_array_index (here->progress, RsQuarterProgress, q).n[s]);
            g_assert_cmpfloat_with_epsilon (g_array_index (there->progress, RsQuarterProgress, q).mean_theta[s],
                                            g_array_index (here->progress, RsQuarterProgress, q).mean_theta[s], 1e-12);
          }
    }
  {
    g_autoptr (RsCompanyOverview) there = rs_server_company_overview (admin_pg, roles, admin, &error);
    g_autoptr (RsCompanyOverview) here = rs_company_overview_new (hq, roles, local_admin, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (there->teams->len, ==, here->teams->len);
    for (guint t = 0; t < here->teams->len; t++)
      {
        const RsTeamSummary *x = g_ptr_array_index (there->teams, t), *y = g_ptr_array_index (here->teams, t);

        g_assert_cmpstr (x->team_name, ==, y->team_name);
        g_assert_cmpuint (x->n_members, ==, y->n_members);
        for (int s = 0; s < RS_N_SKILLS; s++)
          {
            g_assert_cmpuint (x->n_measured[s], ==, y->n_measured[s]);
            g_assert_cmpfloat_with_epsilon (x->mean_theta[s], y->mean_theta[s], 1e-12);
          }
      }
  }
  {
    g_autoptr (GPtrArray) there = rs_server_item_stats (admin_pg, NULL, &error);
    g_autoptr (GPtrArray) here = NULL;

    g_assert_no_error (error);
    here = rs_item_stats_compute (hq, rs_people_operator (), NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (there->len, ==, here->len);
    g_assert_cmpuint (there->len, >, 10);
    for (guint i = 0; i < here->len; i++)
      {
        const RsItemStat *x = g_ptr_array_index (there, i), *y = g_ptr_array_index (here, i);

        g_assert_cmpstr (x->item_id, ==, y->item_id);
        g_assert_cmpint (x->n_shown, ==, y->n_shown);
        g_assert_cmpint (x->n_attempts, ==, y->n_attempts);
        g_assert_cmpint (x->n_skill_attempts, ==, y->n_skill_attempts);
        g_assert_cmpint (x->n_discrimination, ==, y->n_discrimination);
        g_assert_cmpfloat_with_epsilon (x->facility, y->facility, 1e-12);
        g_assert_cmpfloat_with_epsilon (x->mean_time_ms, y->mean_time_ms, 1e-9);
        g_assert_true ((isnan (x->discrimination) && isnan (y->discrimination))
                       || fabs (x->discrimination - y->discrimination) < 1e-12);
        g_assert_cmpuint (x->flags, ==, y->flags);
      }
  }
  /* A rebuild from the rows gives the caches the triggers kept. */
  {
    g_autoptr (PGresult) before = rs_pg_query (super, &error, "SELECT md5 (string_agg (t::text, '|' ORDER BY t::text))"
                                               " FROM (SELECT * FROM reskill.item_sums UNION ALL SELECT skill, '', n_attempts,"
                                               " 0, 0, 0, 0, 0, 0, 0, 0, 0 FROM reskill.skill_sums) AS t", "");
    g_autoptr (PGresult) after = NULL;
    g_autoptr (PGresult) latest_before = rs_pg_query (super, &error, "SELECT md5 (string_agg (l::text, '|' ORDER BY"
                                                      " l::text)) FROM reskill.latest_results AS l", "");
    g_autoptr (PGresult) latest_after = NULL;

    g_assert_no_error (error);
    g_assert_true (rs_pg_exec (admin_pg, &error, "SELECT reskill.rebuild_caches ()", ""));
    g_assert_no_error (error);
    after = rs_pg_query (super, &error, "SELECT md5 (string_agg (t::text, '|' ORDER BY t::text))"
                         " FROM (SELECT * FROM reskill.item_sums UNION ALL SELECT skill, '', n_attempts,"
                         " 0, 0, 0, 0, 0, 0, 0, 0, 0 FROM reskill.skill_sums) AS t", "");
    latest_after = rs_pg_query (super, &error, "SELECT md5 (string_agg (l::text, '|' ORDER BY l::text))"
                                " FROM reskill.latest_results AS l", "");
    g_assert_no_error (error);
    g_assert_cmpstr (rs_pg_text (after, 0, 0), ==, rs_pg_text (before, 0, 0));
    g_assert_cmpstr (rs_pg_text (latest_after, 0, 0), ==, rs_pg_text (latest_before, 0, 0));
  }
}

static void
test_locks (void)
{
  Kiosk *k1 = g_ptr_array_index (kiosks, 0), *k2 = g_ptr_array_index (kiosks, 1);
  g_autoptr (GError) error = NULL;
  g_autoptr (RsPerson) nobody = NULL;
  g_autoptr (RsPg) admin_pg = connect_as ("t_adm");
  gboolean was_locked = FALSE;

  /* Five wrong PINs on kiosk 1 lock EA there... */
  for (int i = 0; i < RS_STORE_MAX_FAILED_PINS; i++)
    {
      g_assert_null (rs_store_authenticate (k1->store, "EA", "0000", NULL, &error));
      g_clear_error (&error);
    }
  g_assert_null (rs_store_authenticate (k1->store, "EA", "0000", NULL, &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_LOCKED_OUT);
  g_clear_error (&error);
  /* ...and, after a sync each, on kiosk 2. */
  sync_ok (k1, NULL);
  sync_ok (k2, NULL);
  nobody = rs_store_authenticate (k2->store, "EA", "0000", NULL, &error);
  g_assert_null (nobody);
  g_assert_error (error, RS_ERROR, RS_ERROR_LOCKED_OUT);
  g_clear_error (&error);
  /* An administrator lifts it on the server: gone on both after a sync. */
  g_assert_true (rs_server_unlock (admin_pg, "EA", &was_locked, &error));
  g_assert_no_error (error);
  g_assert_true (was_locked);
  sync_ok (k1, NULL);
  sync_ok (k2, NULL);
  g_assert_null (rs_store_authenticate (k1->store, "EA", "0000", NULL, &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_AUTH);
  g_clear_error (&error);
  g_assert_null (rs_store_authenticate (k2->store, "EA", "0000", NULL, &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_AUTH);
}

static void
test_settings_and_people (void)
{
  Kiosk *k1 = g_ptr_array_index (kiosks, 0);
  g_autoptr (GSettings) settings = rs_gsettings_new ();
  g_autoptr (RsPg) admin_pg = connect_as ("t_adm");
  g_autoptr (GError) error = NULL;
  g_autoptr (RsPerson) person = NULL;
  RsSyncOptions options = { 0 };
  RsSyncSummary summary = { 0 };
  char *pin;

  g_assert_nonnull (settings);
  g_assert_true (rs_server_set_setting (admin_pg, "kiosk-idle-timeout", "300", &error));
  g_assert_true (rs_server_set_setting (admin_pg, "organization-name", "'Acme Reskilling'", &error));
  g_assert_no_error (error);
  g_assert_false (rs_server_set_setting (admin_pg, "kiosk-idle-timeout", "5", &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_INVALID);
  g_clear_error (&error);
  /* A new PIN on the server signs in on the kiosk after a sync. */
  pin = rs_server_reset_pin (admin_pg, "EB", &error);
  g_assert_no_error (error);
  options.settings = settings;
  g_assert_true (rs_sync (k1->store, k1->conninfo, &options, &summary, &error));
  g_assert_no_error (error);
  g_assert_cmpint (summary.settings, ==, 2);
  rs_sync_summary_clear (&summary);
  g_assert_cmpuint (g_settings_get_uint (settings, "kiosk-idle-timeout"), ==, 300);
  {
    g_autofree char *org = g_settings_get_string (settings, "organization-name");
    g_assert_cmpstr (org, ==, "Acme Reskilling");
  }
  person = rs_store_authenticate (k1->store, "EB", pin, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (person->employee_no, ==, "EB");
  rs_people_pin_free (pin);
  /* Renamed and moved on the server: the same on the kiosk. */
  super_exec ("UPDATE reskill.people SET name = 'Eb Renamed' WHERE employee_no = 'EB'");
  super_exec ("UPDATE reskill.teams SET name = 'B renamed' WHERE name = 'B'");
  sync_ok (k1, NULL);
  g_clear_pointer (&person, rs_person_free);
  person = rs_store_find_person (k1->store, "EB", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (person->name, ==, "Eb Renamed");
  g_assert_cmpstr (person->team_name, ==, "B renamed");
  super_exec ("UPDATE reskill.teams SET name = 'B' WHERE name = 'B renamed'");
  sync_ok (k1, NULL);
}

static void
test_calibration (void)
{
  Kiosk *k1 = g_ptr_array_index (kiosks, 0);
  g_autoptr (RsPg) admin_pg = connect_as ("t_adm");
  g_autoptr (GError) error = NULL;
  g_autoptr (RsCalibration) calibration = NULL;
  g_autoptr (RsCalibration) local = NULL;
  g_autoptr (RsBank) calibrated = rs_bank_new ();
  g_autofree char *uuid = NULL;
  RsSyncSummary summary = { 0 };

  calibration = rs_server_calibration_run (admin_pg, bank, 1, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (rs_server_calibration_apply (admin_pg, calibration, &error));
  g_assert_no_error (error);
  sync_ok (k1, &summary);
  g_assert_cmpstr (summary.calibration, ==, calibration->uuid);
  rs_sync_summary_clear (&summary);
  local = rs_calibration_load_current (k1->store, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (local->uuid, ==, calibration->uuid);
  g_assert_cmpuint (local->items->len, ==, calibration->items->len);
  /* The kiosk starts again with it in force; its next results name it,
   * and the server recomputes them with it. */
  g_assert_true (rs_bank_load_dir (calibrated, g_getenv ("RESKILL_QUESTIONS_DIR"), &error));
  g_assert_true (rs_calibration_apply_to_bank (k1->store, calibrated, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (rs_bank_calibration (calibrated), ==, calibration->uuid);
  uuid = take_on (k1->store, calibrated, "EA", 77, -1);
  sync_ok (k1, &summary);
  g_assert_cmpint (summary.added, ==, 1);
  g_assert_cmpint (summary.refused + summary.skipped, ==, 0);
  rs_sync_summary_clear (&summary);
  assert_on_server (k1, uuid);
  g_assert_cmpint (super_int ("SELECT count(*) FROM reskill.results WHERE attempt_id = $1 AND calibration IS NOT NULL",
                              uuid), ==, 2);
}

static void
test_newer_schema (void)
{
  Kiosk *k1 = g_ptr_array_index (kiosks, 0);
  g_autoptr (GError) error = NULL;
  g_autofree char *uuid = take (k1, "EA", 81, -1);
  gint64 before = server_attempts ();

  super_exec ("UPDATE reskill.server_info SET schema_version = 99");
  g_assert_false (rs_sync (k1->store, k1->conninfo, NULL, NULL, &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_DB_TOO_NEW);
  g_assert_nonnull (strstr (error->message, "schema version 99"));
  g_assert_nonnull (strstr (error->message, "Update Reskill"));
  g_clear_error (&error);
  g_assert_cmpint (server_attempts (), ==, before);
  super_exec ("UPDATE reskill.server_info SET schema_version = 2");
  sync_ok (k1, NULL);
  assert_on_server (k1, uuid);
}

static void
pg_ctl (const char *what)
{
  g_autofree char *command = g_strdup_printf ("%s %s", g_getenv ("RESKILL_TEST_PG_CTL"), what);
  g_autoptr (GError) error = NULL;
  g_autofree char *out = NULL, *err = NULL;
  int status = 0;

  /* Its chatter kept off standard output, which is TAP. */
  g_assert_true (g_spawn_command_line_sync (command, &out, &err, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
}

static void
test_server_down (void)
{
  Kiosk *k1 = g_ptr_array_index (kiosks, 0);
  g_autoptr (GError) error = NULL;
  g_autofree char *uuid = NULL;
  g_autofree char *text = NULL;
  RsSyncStatus status = { 0 };
  RsSyncSummary summary = { 0 };

  rs_pg_close (super);
  super = NULL;
  pg_ctl ("stop -m fast");
  /* The kiosk keeps working... */
  uuid = take (k1, "EB", 91, -1);
  /* ...and says the server is out of reach. */
  g_assert_false (rs_sync (k1->store, k1->conninfo, NULL, NULL, &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_UNREACHABLE);
  g_assert_nonnull (strstr (error->message, "cannot be reached"));
  g_clear_error (&error);
  g_assert_true (rs_sync_status (k1->store, &status, &error));
  g_assert_no_error (error);
  g_assert_true (status.unreachable);
  g_assert_cmpint (status.waiting, >=, 1);
  text = rs_sync_status_describe (&status);
  g_assert_nonnull (strstr (text, "Server unreachable"));
  g_assert_nonnull (strstr (text, "keeps working"));
  rs_sync_status_clear (&status);
  /* Back: it catches up. */
  pg_ctl ("start");
  super = connect_as ("postgres");
  g_assert_true (rs_sync (k1->store, k1->conninfo, NULL, &summary, &error));
  g_assert_no_error (error);
  g_assert_cmpint (summary.added, ==, 1);
  rs_sync_summary_clear (&summary);
  assert_on_server (k1, uuid);
  g_assert_true (rs_sync_status (k1->store, &status, &error));
  g_assert_false (status.unreachable);
  g_assert_null (status.last_error);
  g_assert_cmpint (status.waiting, ==, 0);
  rs_sync_status_clear (&status);
}

/* The server restored from a backup taken before some pushes: what it
 * lost comes back at the next sync, and a pull cursor from the server's
 * future starts the pull from the beginning. */
static void
test_restored_server (void)
{
  Kiosk *k1 = g_ptr_array_index (kiosks, 0);
  g_autofree char *uuid = take (k1, "MA", 111, -1);
  g_autofree char *sql = NULL;
  g_autoptr (GError) error = NULL;
  RsSyncSummary summary = { 0 };

  sync_ok (k1, NULL);
  assert_on_server (k1, uuid);
  sql = g_strdup_printf ("BEGIN; DELETE FROM reskill.responses WHERE attempt_id = '%s';"
                         " DELETE FROM reskill.results WHERE attempt_id = '%s';"
                         " DELETE FROM reskill.attempt_priors WHERE attempt_id = '%s';"
                         " DELETE FROM reskill.self_estimates WHERE attempt_id = '%s';"
                         " DELETE FROM reskill.unit_receipts WHERE attempt_id = '%s';"
                         " DELETE FROM reskill.attempts WHERE uuid = '%s'; SELECT reskill.rebuild_caches (); COMMIT",
                         uuid, uuid, uuid, uuid, uuid, uuid);
  super_exec (sql);
  {
    g_autofree char *gone = server_digest (uuid);

    g_assert_cmpstr (gone, ==, "");
  }
  /* The kiosk's record says it was pushed; the server says otherwise. */
  {
    sqlite3 *db = rs_store_get_db (k1->store);
    g_assert_cmpint (sqlite3_exec (db, "UPDATE sync_state SET value = '999999999' WHERE key = 'pull_cursor';"
                                   " UPDATE people SET name = 'stale' WHERE employee_no = 'EA'", NULL, NULL, NULL),
                     ==, SQLITE_OK);
  }
  g_assert_true (rs_sync (k1->store, k1->conninfo, NULL, &summary, &error));
  g_assert_no_error (error);
  g_assert_cmpint (summary.added, ==, 1);
  g_assert_cmpint (summary.people, >=, 1);
  rs_sync_summary_clear (&summary);
  assert_on_server (k1, uuid);
  {
    g_autoptr (RsPerson) person = rs_store_find_person (k1->store, "EA", &error);
    g_assert_no_error (error);
    g_assert_cmpstr (person->name, ==, "EA");
  }
}

static gint64 week_now;

static gint64
week_clock (void)
{
  return week_now += 1000;
}

static void
test_week_offline (void)
{
  Kiosk *k3 = new_kiosk ("k3");
  g_autoptr (GPtrArray) uuids = g_ptr_array_new_with_free_func (g_free);
  RsSyncSummary summary = { 0 };

  sync_ok (k3, NULL);
  /* A week of attempts, one a day, with no server. */
  week_now = g_get_real_time () - G_GINT64_CONSTANT (7) * 24 * 3600 * G_USEC_PER_SEC;
  rs_store_set_clock (week_clock);
  for (int day = 0; day < 7; day++)
    {
      week_now = g_get_real_time () - (gint64) (7 - day) * 24 * 3600 * G_USEC_PER_SEC;
      g_ptr_array_add (uuids, take (k3, day % 2 ? "EA" : "EB2", 100 + day, -1));
    }
  rs_store_set_clock (NULL);
  sync_ok (k3, &summary);
  g_assert_cmpint (summary.added, ==, 7);
  rs_sync_summary_clear (&summary);
  for (guint i = 0; i < uuids->len; i++)
    assert_on_server (k3, g_ptr_array_index (uuids, i));
}

static void
on_finished (RsSyncScheduler *sync, gboolean ok, gpointer data)
{
  *(int *) data = ok ? 1 : 2;
}

/* What the admin page's "Sync now" and the background timer call. */
static void
test_scheduler (void)
{
  Kiosk *k1 = g_ptr_array_index (kiosks, 0);
  g_autoptr (RsSyncScheduler) sync = rs_sync_scheduler_new (k1->store, NULL);
  g_autofree char *uuid = take (k1, "EB2", 121, -1);
  g_autofree char *before = NULL, *after = NULL;
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  int done = 0;

  before = rs_sync_scheduler_describe (sync);
  g_assert_nonnull (strstr (before, "No organization server set"));
  g_assert_false (rs_sync_scheduler_sync_now (sync));
  rs_sync_scheduler_set_server (sync, k1->conninfo);
  g_signal_connect (sync, "finished", G_CALLBACK (on_finished), &done);
  g_assert_true (rs_sync_scheduler_sync_now (sync));
  g_assert_true (rs_sync_scheduler_is_busy (sync));
  while (done == 0 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (done, ==, 1);
  g_assert_nonnull (strstr (rs_sync_scheduler_get_last_outcome (sync), "1 added"));
  after = rs_sync_scheduler_describe (sync);
  g_assert_true (g_str_has_prefix (after, "Synced "));
  g_assert_nonnull (strstr (after, "0 attempts waiting"));
  assert_on_server (k1, uuid);
}

static void
test_kiosks_trusted_and_revoked (void)
{
  Kiosk *k1 = g_ptr_array_index (kiosks, 0), *k2 = g_ptr_array_index (kiosks, 1);
  g_autoptr (RsPg) admin_pg = connect_as ("t_adm");
  g_autoptr (GError) error = NULL;
  g_autoptr (RsTrustedKiosk) entry = NULL;
  g_autofree char *fingerprint = NULL;
  RsTrustState state = RS_TRUST_UNKNOWN;

  sync_ok (k1, NULL);
  g_assert_true (rs_trust_lookup (k1->store, rs_store_public_key (k2->store), &state, NULL, &error));
  g_assert_cmpint (state, ==, RS_TRUST_TRUSTED);
  /* Kiosk 2 is lost: revoked on the server, then on kiosk 1 at its sync. */
  g_assert_true (rs_server_revoke_kiosk (admin_pg, "k2", &fingerprint, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (fingerprint, ==, rs_store_key_fingerprint (k2->store));
  sync_ok (k1, NULL);
  g_assert_true (rs_trust_lookup (k1->store, rs_store_public_key (k2->store), &state, &entry, &error));
  g_assert_cmpint (state, ==, RS_TRUST_REVOKED);
  /* And kiosk 2's login no longer works. */
  g_assert_false (rs_sync (k2->store, k2->conninfo, NULL, NULL, &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_AUTH);
}

/* --- privacy (issue 14) --- */

static RsPerson *
local_person (Kiosk *k, const char *employee_no)
{
  g_autoptr (GError) error = NULL;
  RsPerson *p = rs_store_find_person (k->store, employee_no, &error);

  g_assert_no_error (error);
  return p;
}

/* A practice attempt stays on the kiosk; shared, it is pushed at the next
 * sync. */
static void
test_practice_stays (void)
{
  static const RsSkill skills[] = { RS_SKILL_PYTHON };
  Kiosk *k1 = g_ptr_array_index (kiosks, 0);
  g_autoptr (GError) error = NULL;
  g_autoptr (RsPerson) ea = local_person (k1, "EA");
  g_autoptr (RsAssessment) a = NULL;
  g_autoptr (GPtrArray) outgoing = NULL;
  g_autofree char *uuid = NULL, *there = NULL;
  RsAssessmentOptions options;
  RsSyncSummary summary = { 0 };

  sync_ok (k1, NULL);
  rs_assessment_options_init (&options);
  options.practice = TRUE;
  a = rs_assessment_start_full (k1->store, bank, ea->id, RS_MODE_QUICK, skills, 1, NULL, 501, &options, &error);
  g_assert_no_error (error);
  answer (a, G_MAXINT, 501);
  g_assert_true (rs_assessment_finish (a, &error));
  g_assert_no_error (error);
  uuid = g_strdup (rs_assessment_uuid (a));
  outgoing = rs_sync_outgoing (k1->store, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < outgoing->len; i++)
    g_assert_cmpstr (g_ptr_array_index (outgoing, i), !=, uuid);
  sync_ok (k1, &summary);
  g_assert_cmpint (summary.pushed, ==, 0);
  rs_sync_summary_clear (&summary);
  there = server_digest (uuid);
  g_assert_cmpstr (there, ==, "");
  g_assert_cmpint (super_int ("SELECT count(*) FROM reskill.unit_receipts WHERE attempt_id = $1", uuid), ==, 0);
  /* Shared by its person: an ordinary attempt, pushed now. */
  g_assert_true (rs_privacy_share_practice (k1->store, ea, uuid, &error));
  g_assert_no_error (error);
  sync_ok (k1, &summary);
  g_assert_cmpint (summary.added, ==, 1);
  rs_sync_summary_clear (&summary);
  assert_on_server (k1, uuid);
}

static void
set_team_a (RsVisibility visibility)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (rs_server_set_team_visibility (super, "A", visibility, &error));
  g_assert_no_error (error);
}

/* The policy cases of tests/access-cases.h, each viewer logged in as their
 * own role: rows of results (levels) and of responses (answers). */
static void
test_policy_cases (void)
{
  super_exec ("UPDATE reskill.people SET active = false WHERE employee_no = 'OLD'");
  for (guint i = 0; i < G_N_ELEMENTS (access_policy_cases); i++)
    {
      const AccessPolicyCase *c = &access_policy_cases[i];
      g_autofree char *lower = g_ascii_strdown (c->viewer, -1);
      g_autofree char *login = g_strdup_printf ("t_%s", lower);
      g_autoptr (RsPg) viewer_pg = NULL;
      g_autoptr (PGresult) rows = NULL;
      g_autoptr (GError) error = NULL;
      gint64 target = super_int ("SELECT id FROM reskill.people WHERE employee_no = $1", c->target);
      g_autofree char *target_text = g_strdup_printf ("%" G_GINT64_FORMAT, target);
      gint64 held = super_int (c->detail == RS_DETAIL_LEVELS
                                 ? "SELECT count(*) FROM reskill.results WHERE person_id = $1::bigint"
                                 : "SELECT count(*) FROM reskill.responses WHERE person_id = $1::bigint",
                               target_text);
      gboolean allowed;

      /* The target has something to see or not see. */
      g_assert_cmpint (held, >, 0);
      set_team_a (c->team_a);
      viewer_pg = connect_as (login);
      rows = rs_pg_query (viewer_pg, &error,
                          c->detail == RS_DETAIL_LEVELS
                            ? "SELECT count(*) FROM reskill.results WHERE person_id = $1::bigint"
                            : "SELECT count(*) FROM reskill.responses WHERE person_id = $1::bigint",
                          "l", target);
      g_assert_no_error (error);
      allowed = rs_pg_int (rows, 0, 0) > 0;
      if (allowed != c->allowed)
        g_test_message ("policy case %u: %s sees %s of %s", i, c->viewer,
                        c->detail == RS_DETAIL_LEVELS ? "levels" : "answers", c->target);
      g_assert_cmpint (allowed, ==, c->allowed);
      /* All or nothing: what is allowed is every row the server holds. */
      if (allowed)
        g_assert_cmpint (rs_pg_int (rows, 0, 0), ==, held);
    }
  super_exec ("UPDATE reskill.people SET active = true WHERE employee_no = 'OLD'");
  set_team_a (RS_VISIBILITY_INHERIT);
}

/* Reports from the server under each level, and who looked. */
static void
test_policy_reports (void)
{
  Kiosk *k1 = g_ptr_array_index (kiosks, 0);
  g_autoptr (RsPg) pg = connect_as ("t_ma");
  g_autoptr (GError) error = NULL;
  g_autoptr (RsPerson) viewer = rs_server_viewer (pg, &error);
  gint64 team_a = super_int ("SELECT id FROM reskill.teams WHERE name = $1", "A");
  gint64 views_before = super_int ("SELECT count(*) FROM reskill.result_views", NULL);

  g_assert_no_error (error);
  /* Aggregates: no names, and nothing in what the server handed over
   * names anyone; no record of who looked (nobody was named). */
  set_team_a (RS_VISIBILITY_AGGREGATES);
  {
    g_autoptr (RsTeamReport) report = rs_server_team_report (pg, roles, viewer, team_a, &error);
    g_autoptr (PGresult) named = NULL;

    g_assert_no_error (error);
    g_assert_cmpint (report->visibility, ==, RS_VISIBILITY_AGGREGATES);
    g_assert_false (report->names_shown);
    g_assert_cmpuint (report->members->len, ==, 0);
    g_assert_cmpuint (report->n_members, ==, 2);        /* EA and MB: MA leads A */
    g_assert_cmpuint (report->n_measured_members, ==, 2);
    /* Two people are fewer than the smallest group shown (5). */
    g_assert_true (report->readiness_too_few);
    named = rs_pg_query (pg, &error, "SELECT count(*) FROM reskill.report_rows ($1::bigint, false)"
                         " WHERE employee_no IS NOT NULL OR name IS NOT NULL OR person_key > 0", "l", team_a);
    g_assert_no_error (error);
    g_assert_cmpint (rs_pg_int (named, 0, 0), ==, 0);
    g_assert_cmpint (super_int ("SELECT count(*) FROM reskill.result_views", NULL), ==, views_before);
  }
  /* Levels: names, with the stored level probabilities; who looked. */
  set_team_a (RS_VISIBILITY_LEVELS);
  {
    g_autoptr (RsTeamReport) report = rs_server_team_report (pg, roles, viewer, team_a, &error);
    g_autoptr (RsPerson) ea = local_person (k1, "EA");
    g_autoptr (RsPg) ea_pg = connect_as ("t_ea");
    g_autoptr (RsPg) eb_pg = connect_as ("t_eb");
    g_autoptr (GPtrArray) looked = NULL, here = NULL;
    gboolean found = FALSE;
    RsSyncSummary summary = { 0 };

    g_assert_no_error (error);
    g_assert_true (report->names_shown);
    g_assert_cmpuint (report->members->len, ==, 2);
    g_assert_cmpint (super_int ("SELECT count(*) FROM reskill.result_views", NULL), ==, views_before + 2);
    g_assert_true (rs_server_record_export (pg, report, RS_VIEW_TEAM_PDF, &error));
    g_assert_no_error (error);
    g_assert_cmpint (super_int ("SELECT count(*) FROM reskill.result_views", NULL), ==, views_before + 4);
    /* The person reads who looked, with their own login; nobody else. */
    looked = rs_server_who_looked (ea_pg, "EA", &error);
    g_assert_no_error (error);
    g_assert_cmpuint (looked->len, >=, 2);
    g_assert_cmpstr (((RsResultView *) g_ptr_array_index (looked, 0))->viewer_employee_no, ==, "MA");
    g_assert_cmpstr (((RsResultView *) g_ptr_array_index (looked, 0))->viewer_role, ==, "manager");
    g_assert_null (rs_server_who_looked (eb_pg, "EA", &error));
    g_assert_error (error, RS_ERROR, RS_ERROR_DENIED);
    g_clear_error (&error);
    /* And their kiosk pulls it: the person sees it there too. */
    sync_ok (k1, &summary);
    g_assert_cmpint (summary.views, >=, 2);
    rs_sync_summary_clear (&summary);
    here = rs_person_who_looked (k1->store, ea, ea->id, &error);
    g_assert_no_error (error);
    for (guint i = 0; i < here->len; i++)
      found = found || (((RsResultView *) g_ptr_array_index (here, i))->kind == RS_VIEW_TEAM_PDF
                        && g_strcmp0 (((RsResultView *) g_ptr_array_index (here, i))->viewer_employee_no, "MA") == 0);
    g_assert_true (found);
    /* Pulled again (a server restored, say): not doubled. */
    {
      guint before = here->len;
      g_autoptr (GPtrArray) again = NULL;

      g_assert_true (rs_store_exec (k1->store, &error, "DELETE FROM sync_state WHERE key = 'pull_cursor'", ""));
      g_assert_no_error (error);
      sync_ok (k1, NULL);
      again = rs_person_who_looked (k1->store, ea, ea->id, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (again->len, ==, before);
    }
  }
  set_team_a (RS_VISIBILITY_INHERIT);
}

/* The server's policy, team overrides and wording reach the kiosks, and
 * win over a kiosk's own. */
static void
test_policy_pulled (void)
{
  Kiosk *k1 = g_ptr_array_index (kiosks, 0);
  g_autoptr (GError) error = NULL;
  g_autoptr (RsPerson) ea = local_person (k1, "EA");
  g_autofree char *wording = NULL;
  RsPrivacyPolicy policy, here;
  RsSyncSummary summary = { 0 };
  RsVisibility team_b;
  guint min_group;
  gint64 version_before;

  sync_ok (k1, NULL);
  g_assert_true (rs_privacy_get_policy (k1->store, &here, &error));
  version_before = here.version;
  g_assert_true (rs_server_get_policy (super, &policy, &error));
  g_assert_no_error (error);
  policy.visibility = RS_VISIBILITY_FULL;
  policy.min_group = 3;
  policy.keep_results_months = 36;
  g_assert_true (rs_server_set_policy (super, &policy, &error));
  g_assert_no_error (error);
  g_assert_true (rs_server_set_team_visibility (super, "B", RS_VISIBILITY_AGGREGATES, &error));
  g_assert_true (rs_server_set_wording (super, NULL, "Ask the works council: works-council@example.com", &error));
  g_assert_no_error (error);
  {
    RsPrivacyPolicy now;

    g_assert_true (rs_server_get_policy (super, &now, &error));
    g_assert_cmpint (now.version, ==, policy.version + 3);
    g_assert_cmpint (super_int ("SELECT count(*) FROM reskill.audit WHERE event = 'privacy-policy'", NULL), >=, 1);
  }
  /* Bad input on the server: refused with the kiosk's words, nothing changed. */
  {
    RsPrivacyPolicy bad = policy;
    g_autoptr (RsPg) manager = connect_as ("t_ma");

    bad.min_group = 1;
    g_assert_false (rs_server_set_policy (super, &bad, &error));
    g_assert_error (error, RS_ERROR, RS_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "smallest group"));
    g_clear_error (&error);
    g_assert_false (rs_server_set_wording (super, "../de", "x", &error));
    g_assert_error (error, RS_ERROR, RS_ERROR_INVALID);
    g_clear_error (&error);
    g_assert_false (rs_server_set_team_visibility (super, "No such team", RS_VISIBILITY_FULL, &error));
    g_assert_error (error, RS_ERROR, RS_ERROR_NOT_FOUND);
    g_clear_error (&error);
    /* A manager's login cannot change it. */
    g_assert_false (rs_server_set_policy (manager, &policy, &error));
    g_assert_nonnull (error);
    g_clear_error (&error);
    g_assert_cmpint (super_int ("SELECT min_group FROM reskill.privacy_policy", NULL), ==, 3);
  }
  sync_ok (k1, &summary);
  g_assert_true (summary.policy);
  rs_sync_summary_clear (&summary);
  g_assert_true (rs_privacy_get_policy (k1->store, &here, &error));
  g_assert_cmpint (here.visibility, ==, RS_VISIBILITY_FULL);
  g_assert_cmpuint (here.min_group, ==, 3);
  g_assert_cmpuint (here.keep_results_months, ==, 36);
  g_assert_cmpint (here.version, >, version_before);
  g_assert_true (rs_privacy_notice_needed (k1->store, ea));
  {
    g_autoptr (RsPerson) eb = local_person (k1, "EB");

    g_assert_true (rs_privacy_team_policy (k1->store, eb->team_id, &team_b, &min_group, NULL, &error));
  }
  g_assert_no_error (error);
  g_assert_cmpint (team_b, ==, RS_VISIBILITY_AGGREGATES);
  g_assert_cmpuint (min_group, ==, 3);
  g_assert_true (rs_privacy_get_wording (k1->store, "", &wording, &error));
  g_assert_cmpstr (wording, ==, "Ask the works council: works-council@example.com");
  /* Nothing new: nothing taken, no new version. */
  sync_ok (k1, &summary);
  g_assert_false (summary.policy);
  rs_sync_summary_clear (&summary);
  /* A kiosk's own change is undone at its next sync: the server's wins. */
  here.visibility = RS_VISIBILITY_AGGREGATES;
  g_assert_true (rs_privacy_set_policy (k1->store, rs_people_operator (), &here, &error));
  g_assert_no_error (error);
  sync_ok (k1, &summary);
  g_assert_true (summary.policy);
  rs_sync_summary_clear (&summary);
  g_assert_true (rs_privacy_get_policy (k1->store, &here, &error));
  g_assert_cmpint (here.visibility, ==, RS_VISIBILITY_FULL);
  /* Back to the defaults for the tests after this one. */
  rs_privacy_policy_init (&policy);
  g_assert_true (rs_server_set_policy (super, &policy, &error));
  g_assert_true (rs_server_set_team_visibility (super, "B", RS_VISIBILITY_INHERIT, &error));
  g_assert_true (rs_server_set_wording (super, NULL, NULL, &error));
  g_assert_no_error (error);
  sync_ok (k1, NULL);
  g_clear_pointer (&wording, g_free);
  g_assert_true (rs_privacy_get_wording (k1->store, "", &wording, &error) && wording == NULL);
}

/* An erasure made on k1 reaches the server and k2; k2's older attempt of
 * the person, pushed after, is kept out; forged erasures are refused. */
static void
test_erasure_travels (void)
{
  Kiosk *k1 = g_ptr_array_index (kiosks, 0), *k2 = new_kiosk ("k-erase");
  g_autoptr (GError) error = NULL;
  g_autofree char *on_k1 = NULL, *on_k2 = NULL;
  g_autoptr (RsPerson) gone = NULL;
  RsErasureSummary erased = { 0 };
  RsSyncSummary summary = { 0 };
  gint64 erasures_before = super_int ("SELECT count(*) FROM reskill.erasures", NULL);

  super_exec ("INSERT INTO reskill.people (employee_no, name, team_id, role)"
              " SELECT 'ERZ', 'Erin Erasable', id, 'employee' FROM reskill.teams WHERE name = 'B'");
  sync_ok (k1, NULL);
  sync_ok (k2, NULL);
  on_k1 = take (k1, "ERZ", 601, -1);
  sync_ok (k1, NULL);
  assert_on_server (k1, on_k1);
  on_k2 = take (k2, "ERZ", 602, -1);       /* not pushed yet */

  /* A forged erasure: k2's key from k1's login, or edited after signing. */
  {
    RsErasureRecord *record = rs_erasure_record_new ();
    g_autoptr (RsUnit) unit = NULL;
    g_autoptr (GBytes) body = NULL;
    g_autoptr (RsPg) k1_pg = rs_pg_connect (k1->conninfo, &error);

    g_assert_no_error (error);
    record->uuid = g_uuid_string_random ();
    record->kiosk_id = g_strdup (rs_store_kiosk_id (k2->store));
    record->erased_at = g_get_real_time ();
    unit = rs_unit_new_erasure (record, "EA");
    rs_unit_sign (unit, rs_store_kiosk_key (k2->store));
    body = unit_bytes (unit);
    g_assert_false (push_raw (k1_pg, body, unit->signer, sizeof unit->signer, unit->signature,
                              sizeof unit->signature, &error));
    g_assert_error (error, RS_ERROR, RS_ERROR_DENIED);
    g_clear_error (&error);
    rs_unit_sign (unit, rs_store_kiosk_key (k1->store));
    unit->signature[0] ^= 1;
    g_assert_false (push_raw (k1_pg, body, unit->signer, sizeof unit->signer, unit->signature,
                              sizeof unit->signature, &error));
    g_assert_error (error, RS_ERROR, RS_ERROR_INVALID);
    g_clear_error (&error);
    g_assert_cmpint (super_int ("SELECT count(*) FROM reskill.people WHERE employee_no = $1", "EA"), ==, 1);
    g_assert_cmpint (super_int ("SELECT count(*) FROM reskill.erasures", NULL), ==, erasures_before);
  }

  g_assert_true (rs_erasure_erase_person (k1->store, rs_people_operator (), "ERZ", FALSE, &erased, &error));
  g_assert_no_error (error);
  rs_erasure_summary_clear (&erased);
  sync_ok (k1, &summary);
  g_assert_cmpint (summary.erasures_pushed, ==, 1);
  rs_sync_summary_clear (&summary);
  /* On the server: the person and their rows gone, the tombstone kept. */
  g_assert_cmpint (super_int ("SELECT count(*) FROM reskill.people WHERE employee_no = $1", "ERZ"), ==, 0);
  g_assert_cmpint (super_int ("SELECT count(*) FROM reskill.attempts WHERE uuid = $1", on_k1), ==, 0);
  g_assert_cmpint (super_int ("SELECT count(*) FROM reskill.results WHERE attempt_id = $1", on_k1), ==, 0);
  g_assert_cmpint (super_int ("SELECT count(*) FROM reskill.responses WHERE attempt_id = $1", on_k1), ==, 0);
  g_assert_cmpint (super_int ("SELECT count(*) FROM reskill.erased_attempts WHERE attempt_id = $1", on_k1), ==, 1);
  g_assert_cmpint (super_int ("SELECT count(*) FROM reskill.erasures", NULL), ==, erasures_before + 1);
  g_assert_cmpint (super_int ("SELECT count(*) FROM reskill.audit WHERE detail LIKE '%Erin%'", NULL), ==, 0);
  /* k2: its older attempt of the person is kept out, then the erasure
   * arrives and erases them there too. */
  sync_ok (k2, &summary);
  g_assert_cmpint (summary.erased, ==, 1);
  g_assert_cmpint (summary.erasures_pulled, ==, 1);
  g_assert_cmpint (summary.people_erased, ==, 1);
  rs_sync_summary_clear (&summary);
  g_assert_cmpint (super_int ("SELECT count(*) FROM reskill.attempts WHERE uuid = $1", on_k2), ==, 0);
  gone = rs_store_find_person (k2->store, "ERZ", &error);
  g_assert_null (gone);
  g_assert_error (error, RS_ERROR, RS_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (rs_store_load_attempt (k2->store, on_k2, &error));
  g_clear_error (&error);
  /* Nothing again: k2 passes on what it received, but the server has it;
   * k1 pushes nothing new. */
  sync_ok (k2, &summary);
  g_assert_cmpint (summary.erasures_pushed + summary.erasures_pulled + summary.pushed, ==, 0);
  rs_sync_summary_clear (&summary);
  sync_ok (k1, &summary);
  g_assert_cmpint (summary.erasures_pushed + summary.erasures_pulled + summary.pushed, ==, 0);
  rs_sync_summary_clear (&summary);
}

/* The policy's periods on the server: a dry run counts, changes nothing;
 * only an administrator runs it; the run deletes expired results and
 * people deactivated too long. */
static void
test_server_retention (void)
{
  g_autoptr (RsPg) admin = connect_as ("t_adm");
  g_autoptr (RsPg) manager = connect_as ("t_ma");
  g_autoptr (GError) error = NULL;
  gint64 later = g_get_real_time () + G_GINT64_CONSTANT (25) * 31 * 24 * 3600 * G_USEC_PER_SEC;
  gint64 attempts = server_attempts ();
  int n_attempts = -1, n_answers = -1, n_people = -1;

  super_exec ("UPDATE reskill.people SET active = false WHERE employee_no = 'EB2'");
  /* Today nothing has expired. */
  g_assert_true (rs_server_retention (admin, TRUE, g_get_real_time (), &n_attempts, &n_answers, &n_people, &error));
  g_assert_no_error (error);
  g_assert_cmpint (n_attempts, ==, 0);
  g_assert_cmpint (n_people, ==, 0);
  g_assert_false (rs_server_retention (manager, TRUE, later, &n_attempts, &n_answers, &n_people, &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_DENIED);
  g_clear_error (&error);
  /* 25 months on: everything has (24 months), and EB2 (12 months). */
  g_assert_true (rs_server_retention (admin, TRUE, later, &n_attempts, &n_answers, &n_people, &error));
  g_assert_no_error (error);
  g_assert_cmpint (n_attempts, ==, attempts);
  g_assert_cmpint (n_answers, >, 0);
  g_assert_cmpint (n_people, ==, 1);
  g_assert_cmpint (server_attempts (), ==, attempts);
  g_assert_true (rs_server_retention (admin, FALSE, later, &n_attempts, &n_answers, &n_people, &error));
  g_assert_no_error (error);
  g_assert_cmpint (server_attempts (), ==, 0);
  g_assert_cmpint (super_int ("SELECT count(*) FROM reskill.responses", NULL), ==, 0);
  g_assert_cmpint (super_int ("SELECT count(*) FROM reskill.latest_results", NULL), ==, 0);
  g_assert_cmpint (super_int ("SELECT count(*) FROM reskill.people WHERE employee_no = $1", "EB2"), ==, 0);
  g_assert_cmpint (super_int ("SELECT count(*) FROM pg_roles WHERE rolname = $1", "t_eb2"), ==, 0);
  g_assert_cmpint (super_int ("SELECT count(*) FROM reskill.audit WHERE event = 'retention'", NULL), ==, 1);
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  const char *conninfo = g_getenv ("RESKILL_TEST_PG");
  g_autoptr (RsPg) postgres = NULL;
  g_autofree char *csv = NULL, *csv_path = NULL, *roles_path = NULL;
  g_autoptr (GString) people = g_string_new ("employee_no,name,team,role\n");
  int status;

  g_test_init (&argc, &argv, NULL);
  if (conninfo == NULL)
    {
      g_test_skip ("no PostgreSQL cluster: run through tests/with-pg-cluster.sh");
      return 77;
    }
  host = g_strdup (g_getenv ("RESKILL_TEST_PG_HOST"));
  dir = g_dir_make_tmp ("reskill-server-XXXXXX", &error);
  g_assert_no_error (error);
  kiosks = g_ptr_array_new_with_free_func ((GDestroyNotify) kiosk_free);
  bank = rs_bank_new ();
  g_assert_true (rs_bank_load_dir (bank, g_getenv ("RESKILL_QUESTIONS_DIR"), &error));
  g_assert_no_error (error);
  roles_path = g_build_filename (g_getenv ("RESKILL_SOURCE_ROOT"), "data", "roles.yaml", NULL);
  roles = rs_role_set_load (roles_path, &error);
  g_assert_no_error (error);

  /* A database of the test's own, the schema, the bank, the people. */
  postgres = rs_pg_connect (conninfo, &error);
  g_assert_no_error (error);
  g_assert_true (rs_pg_exec_script (postgres, "CREATE DATABASE reskill", &error));
  g_assert_no_error (error);
  super = connect_as ("postgres");
  g_assert_true (rs_server_init (super, g_getenv ("RESKILL_TEST_PG_MODULE"), NULL, &error));
  g_assert_no_error (error);
  g_assert_true (rs_server_add_bank (super, g_getenv ("RESKILL_QUESTIONS_DIR"), NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (access_people); i++)
    g_string_append_printf (people, "%s,%s,%s,%s\n", access_people[i].number, access_people[i].number,
                            access_people[i].team != NULL ? access_people[i].team : "",
                            rs_person_role_id (access_people[i].role));
  csv_path = g_build_filename (dir, "people.csv", NULL);
  g_assert_true (g_file_set_contents (csv_path, people->str, -1, &error));
  g_assert_true (rs_server_import_people (super, csv_path, FALSE, NULL, NULL, &error));
  g_assert_no_error (error);
  /* Who leads what, exactly as the cases say (the import made every
   * manager a manager of their own team). */
  super_exec ("DELETE FROM reskill.team_managers");
  for (guint i = 0; i < G_N_ELEMENTS (access_leads); i++)
    {
      g_autofree char *sql = g_strdup_printf ("INSERT INTO reskill.team_managers (team_id, person_id)"
                                              " SELECT t.id, p.id FROM reskill.teams AS t, reskill.people AS p"
                                              " WHERE t.name = '%s' AND p.employee_no = '%s'",
                                              access_leads[i].team, access_leads[i].manager);
      super_exec (sql);
    }
  for (guint i = 0; i < G_N_ELEMENTS (access_people); i++)
    {
      g_autofree char *lower = g_ascii_strdown (access_people[i].number, -1);
      g_autofree char *login = g_strdup_printf ("t_%s", lower);

      g_assert_true (rs_server_add_login (super, access_people[i].number, login, NULL, &error));
      g_assert_no_error (error);
    }
  new_kiosk ("k1");
  new_kiosk ("k2");

  g_test_add_func ("/server/schema-again", test_schema_again);
  g_test_add_func ("/server/two-kiosks", test_two_kiosks);
  g_test_add_func ("/server/kiosk-cannot-forge", test_kiosk_cannot_forge);
  g_test_add_func ("/server/access-cases", test_access_cases);
  g_test_add_func ("/server/manager-other-team", test_manager_other_team);
  g_test_add_func ("/server/reports-match", test_reports_match);
  g_test_add_func ("/server/locks", test_locks);
  g_test_add_func ("/server/settings-and-people", test_settings_and_people);
  g_test_add_func ("/server/calibration", test_calibration);
  g_test_add_func ("/server/newer-schema", test_newer_schema);
  g_test_add_func ("/server/server-down", test_server_down);
  g_test_add_func ("/server/week-offline", test_week_offline);
  g_test_add_func ("/server/restored-server", test_restored_server);
  g_test_add_func ("/server/scheduler", test_scheduler);
  g_test_add_func ("/server/kiosks-trusted-and-revoked", test_kiosks_trusted_and_revoked);
  g_test_add_func ("/server/practice-stays", test_practice_stays);
  g_test_add_func ("/server/policy-cases", test_policy_cases);
  g_test_add_func ("/server/policy-reports", test_policy_reports);
  g_test_add_func ("/server/policy-pulled", test_policy_pulled);
  g_test_add_func ("/server/erasure-travels", test_erasure_travels);
  g_test_add_func ("/server/retention", test_server_retention);
  status = g_test_run ();

  g_ptr_array_unref (kiosks);
  g_clear_pointer (&super, rs_pg_close);
  rs_bank_free (bank);
  rs_role_set_free (roles);
  {
    g_autoptr (GDir) handle = g_dir_open (dir, 0, NULL);
    const char *name;

    while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
      {
        g_autofree char *path = g_build_filename (dir, name, NULL);
        g_remove (path);
      }
    g_rmdir (dir);
  }
  g_free (dir);
  g_free (host);
  return status;
}
