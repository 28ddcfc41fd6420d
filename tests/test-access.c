/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Every access rule, refused in the core: an employee sees only their own
 * results, a manager only the teams they lead, an admin everything; nobody
 * signed in, a guest and a deactivated account see nothing; only admins use
 * the people operations and item statistics, and a refusal changes nothing. */
#include <sqlite3.h>
#include <string.h>

#include <glib/gstdio.h>

#include "access-cases.h"
#include "rs-access.h"
#include "rs-error.h"
#include "rs-item-stats.h"
#include "rs-people.h"
#include "rs-privacy.h"
#include "rs-store.h"

typedef struct {
  RsStore *store;
  gint64 team_a, team_b;
  RsPerson *admin;
  RsPerson *manager_a;      /* leads A */
  RsPerson *manager_b;      /* leads B, and is a member of A */
  RsPerson *employee_a;
  RsPerson *employee_b;
  RsPerson *deactivated_admin;
  RsPerson guest;           /* id 0: a guest taking a test anonymously */
} Fixture;

static RsPerson *
add (Fixture *f, const char *number, const char *team, RsPersonRole role)
{
  g_autoptr (GError) error = NULL;
  gint64 id = 0;
  RsPerson *person;

  g_assert_true (rs_store_add_person (f->store, number, number, team, role, "2468", &id, &error));
  g_assert_no_error (error);
  person = rs_store_get_person (f->store, id, &error);
  g_assert_no_error (error);
  return person;
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  f->store = rs_store_open (":memory:", &error);
  g_assert_no_error (error);
  g_assert_true (rs_store_ensure_team (f->store, "A", &f->team_a, &error));
  g_assert_true (rs_store_ensure_team (f->store, "B", &f->team_b, &error));
  f->admin = add (f, "ADM", NULL, RS_PERSON_ADMIN);
  f->manager_a = add (f, "MA", "A", RS_PERSON_MANAGER);
  f->manager_b = add (f, "MB", "A", RS_PERSON_MANAGER);
  f->employee_a = add (f, "EA", "A", RS_PERSON_EMPLOYEE);
  f->employee_b = add (f, "EB", "B", RS_PERSON_EMPLOYEE);
  f->deactivated_admin = add (f, "OLD", NULL, RS_PERSON_ADMIN);
  f->deactivated_admin->active = FALSE;
  g_assert_true (rs_store_set_team_manager (f->store, f->team_a, f->manager_a->id, &error));
  g_assert_true (rs_store_set_team_manager (f->store, f->team_b, f->manager_b->id, &error));
  g_assert_no_error (error);
  f->guest = (RsPerson) { .id = 0, .role = RS_PERSON_EMPLOYEE, .active = TRUE };
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  rs_person_free (f->admin);
  rs_person_free (f->manager_a);
  rs_person_free (f->manager_b);
  rs_person_free (f->employee_a);
  rs_person_free (f->employee_b);
  rs_person_free (f->deactivated_admin);
  rs_store_close (f->store);
}

static void
assert_person (Fixture *f, const RsPerson *viewer, gint64 person_id, gboolean allowed)
{
  g_autoptr (GError) error = NULL;
  gboolean ok = rs_access_can_view_person (f->store, viewer, person_id, &error);

  g_assert_cmpint (ok, ==, allowed);
  if (allowed)
    g_assert_no_error (error);
  else
    g_assert_error (error, RS_ERROR, RS_ERROR_DENIED);
}

static void
assert_team (Fixture *f, const RsPerson *viewer, gint64 team_id, gboolean allowed)
{
  g_autoptr (GError) error = NULL;
  gboolean ok = rs_access_can_view_team (f->store, viewer, team_id, &error);

  g_assert_cmpint (ok, ==, allowed);
  if (allowed)
    g_assert_no_error (error);
  else
    g_assert_error (error, RS_ERROR, RS_ERROR_DENIED);
}

static void
test_employee (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) teams = NULL;

  assert_person (f, f->employee_a, f->employee_a->id, TRUE);
  assert_person (f, f->employee_a, f->employee_b->id, FALSE);
  assert_person (f, f->employee_a, f->manager_a->id, FALSE);
  assert_person (f, f->employee_a, f->admin->id, FALSE);
  assert_team (f, f->employee_a, f->team_a, FALSE);
  assert_team (f, f->employee_a, f->team_b, FALSE);
  teams = rs_access_visible_teams (f->store, f->employee_a, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (teams->len, ==, 0);
}

static void
test_manager (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) teams = NULL;

  assert_person (f, f->manager_a, f->manager_a->id, TRUE);
  assert_person (f, f->manager_a, f->employee_a->id, TRUE);
  assert_person (f, f->manager_a, f->manager_b->id, TRUE);     /* a member of A */
  assert_person (f, f->manager_a, f->employee_b->id, FALSE);   /* another team */
  assert_person (f, f->manager_a, f->admin->id, FALSE);        /* no team */
  assert_person (f, f->manager_a, 424242, FALSE);              /* nobody: the same refusal */
  assert_team (f, f->manager_a, f->team_a, TRUE);
  assert_team (f, f->manager_a, f->team_b, FALSE);

  /* Leading B does not come from being a member of A, nor the reverse. */
  assert_team (f, f->manager_b, f->team_b, TRUE);
  assert_team (f, f->manager_b, f->team_a, FALSE);
  assert_person (f, f->manager_b, f->employee_b->id, TRUE);
  assert_person (f, f->manager_b, f->employee_a->id, FALSE);

  teams = rs_access_visible_teams (f->store, f->manager_a, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (teams->len, ==, 1);
  g_assert_cmpint (g_array_index (teams, gint64, 0), ==, f->team_a);
}

static void
test_admin (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) teams = NULL;

  assert_person (f, f->admin, f->employee_a->id, TRUE);
  assert_person (f, f->admin, f->employee_b->id, TRUE);
  assert_person (f, f->admin, f->manager_a->id, TRUE);
  assert_team (f, f->admin, f->team_a, TRUE);
  assert_team (f, f->admin, f->team_b, TRUE);
  g_assert_true (rs_access_require_admin (f->admin, &error));
  g_assert_no_error (error);
  teams = rs_access_visible_teams (f->store, f->admin, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (teams->len, ==, 2);
}

/* Nobody signed in, a guest, a deactivated admin: nothing at all. */
static void
test_nobody (Fixture *f, gconstpointer data)
{
  const RsPerson *viewers[] = { NULL, &f->guest, f->deactivated_admin };

  for (guint v = 0; v < G_N_ELEMENTS (viewers); v++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GArray) teams = NULL;

      assert_person (f, viewers[v], f->employee_a->id, FALSE);
      assert_person (f, viewers[v], 0, FALSE);
      assert_team (f, viewers[v], f->team_a, FALSE);
      g_assert_false (rs_access_require_admin (viewers[v], &error));
      g_assert_error (error, RS_ERROR, RS_ERROR_DENIED);
      g_clear_error (&error);
      teams = rs_access_visible_teams (f->store, viewers[v], &error);
      g_assert_null (teams);
      g_assert_error (error, RS_ERROR, RS_ERROR_DENIED);
    }
  /* A deactivated admin may not even see their own results. */
  assert_person (f, f->deactivated_admin, f->deactivated_admin->id, FALSE);
}

static char *
people_digest (Fixture *f)
{
  static const char *const queries[] = {
    "SELECT group_concat(id || employee_no || name || ifnull(team_id, '-') || role || ifnull(secret_hash, '-') || active) FROM people",
    "SELECT group_concat(team_id || ':' || person_id) FROM team_managers",
    "SELECT group_concat(id || name) FROM teams",
    "SELECT count(*) FROM audit",
  };
  g_autoptr (GString) all = g_string_new (NULL);

  for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
    {
      sqlite3_stmt *stmt = NULL;
      g_assert_cmpint (sqlite3_prepare_v2 (rs_store_get_db (f->store), queries[q], -1, &stmt, NULL), ==, SQLITE_OK);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
      g_string_append_printf (all, "%s#", (const char *) sqlite3_column_text (stmt, 0));
      sqlite3_finalize (stmt);
    }
  return g_string_free (g_steal_pointer (&all), FALSE);
}

#define ASSERT_DENIED(call)                                     \
  G_STMT_START {                                                \
    g_autoptr (GError) error_ = NULL;                           \
    GError **error = &error_;                                   \
    g_assert_false ((call) != 0);                               \
    g_assert_error (error_, RS_ERROR, RS_ERROR_DENIED);         \
  } G_STMT_END

/* Each administrator operation, by everyone who is not an admin. */
static void
test_admin_only (Fixture *f, gconstpointer data)
{
  g_autofree char *csv = g_test_build_filename (G_TEST_DIST, "fixtures", "people", "good.csv", NULL);
  const RsPerson *viewers[] = { f->employee_a, f->manager_a, &f->guest, f->deactivated_admin, NULL };
  g_autofree char *before = people_digest (f);
  g_autofree char *after = NULL;

  for (guint v = 0; v < G_N_ELEMENTS (viewers); v++)
    {
      const RsPerson *viewer = viewers[v];
      char *pin = NULL;

      ASSERT_DENIED (rs_people_list (f->store, viewer, NULL, error) != NULL);
      ASSERT_DENIED (rs_people_list (f->store, viewer, "EA", error) != NULL);
      ASSERT_DENIED (rs_people_add (f->store, viewer, "NEW", "New Person", "A", RS_PERSON_EMPLOYEE, NULL, &pin, error));
      g_assert_null (pin);
      ASSERT_DENIED (rs_people_update (f->store, viewer, f->employee_a->id, "Renamed", "B", RS_PERSON_ADMIN, error));
      /* Not even on themselves: an employee cannot make themselves admin. */
      if (viewer != NULL && viewer->id != 0)
        ASSERT_DENIED (rs_people_update (f->store, viewer, viewer->id, "Me", NULL, RS_PERSON_ADMIN, error));
      ASSERT_DENIED (rs_people_set_active (f->store, viewer, f->employee_b->id, FALSE, error));
      ASSERT_DENIED (rs_people_set_active (f->store, viewer, f->deactivated_admin->id, TRUE, error));
      ASSERT_DENIED (rs_people_reset_pin (f->store, viewer, f->employee_b->id, error) != NULL);
      ASSERT_DENIED (rs_people_list_teams (f->store, viewer, error) != NULL);
      ASSERT_DENIED (rs_people_set_team_manager (f->store, viewer, f->team_b, f->manager_a->id, TRUE, error));
      ASSERT_DENIED (rs_people_set_team_manager (f->store, viewer, f->team_a, f->manager_a->id, FALSE, error));
      ASSERT_DENIED (rs_item_stats_compute (f->store, viewer, NULL, error) != NULL);
      /* NULL is the command-line operator for the import only. */
      if (viewer != NULL)
        {
          GPtrArray *pins = NULL;
          ASSERT_DENIED (rs_people_import_csv (f->store, viewer, csv, &pins, NULL, error));
          g_assert_null (pins);
        }
    }
  after = people_digest (f);
  g_assert_cmpstr (after, ==, before);
}

/* The same operations by an admin, and by the command-line operator. */
static void
test_admin_allowed (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) people = NULL, teams = NULL, stats = NULL, pins = NULL;
  char *pin = NULL;
  gint64 id = 0;

  people = rs_people_list (f->store, f->admin, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (people->len, ==, 6);
  g_assert_true (rs_people_add (f->store, f->admin, "NEW", "New Person", "A", RS_PERSON_EMPLOYEE, &id, &pin, &error));
  g_assert_no_error (error);
  rs_people_pin_free (pin);
  g_assert_true (rs_people_update (f->store, f->admin, id, "Renamed", "B", RS_PERSON_EMPLOYEE, &error));
  g_assert_no_error (error);
  g_assert_true (rs_people_set_active (f->store, f->admin, id, FALSE, &error));
  g_assert_no_error (error);
  pin = rs_people_reset_pin (f->store, f->admin, id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (pin);
  rs_people_pin_free (pin);
  teams = rs_people_list_teams (f->store, f->admin, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (teams->len, ==, 2);
  g_assert_true (rs_people_set_team_manager (f->store, f->admin, f->team_b, f->manager_a->id, TRUE, &error));
  g_assert_no_error (error);
  /* Which changes what the manager may see. */
  assert_team (f, f->manager_a, f->team_b, TRUE);
  assert_person (f, f->manager_a, f->employee_b->id, TRUE);

  stats = rs_item_stats_compute (f->store, f->admin, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stats->len, ==, 0);
  g_clear_pointer (&stats, g_ptr_array_unref);
  stats = rs_item_stats_compute (f->store, rs_people_operator (), NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (stats);

  {
    g_autofree char *csv = g_test_build_filename (G_TEST_DIST, "fixtures", "people", "reordered.csv", NULL);
    g_assert_true (rs_people_import_csv (f->store, NULL, csv, &pins, NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (pins->len, ==, 2);
  }
}

/* The table of tests/access-cases.h, which tests/test-server.c runs on the
 * organization's server too. */
static void
test_shared_cases (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RsStore) store = rs_store_open (":memory:", &error);
  g_autoptr (GHashTable) people = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                         (GDestroyNotify) rs_person_free);

  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (access_people); i++)
    {
      const AccessPerson *p = &access_people[i];
      gint64 id = 0;
      RsPerson *person;

      g_assert_true (rs_store_add_person (store, p->number, p->number, p->team, p->role, "2468", &id, &error));
      g_assert_no_error (error);
      person = rs_store_get_person (store, id, &error);
      g_assert_no_error (error);
      person->active = p->active;
      g_hash_table_insert (people, (gpointer) p->number, person);
    }
  for (guint i = 0; i < G_N_ELEMENTS (access_leads); i++)
    {
      gint64 team = 0;
      const RsPerson *manager = g_hash_table_lookup (people, access_leads[i].manager);

      g_assert_true (rs_store_ensure_team (store, access_leads[i].team, &team, &error));
      g_assert_true (rs_store_set_team_manager (store, team, manager->id, &error));
      g_assert_no_error (error);
    }
  for (guint i = 0; i < G_N_ELEMENTS (access_cases); i++)
    {
      const AccessCase *c = &access_cases[i];
      const RsPerson *viewer = g_hash_table_lookup (people, c->viewer);
      g_autoptr (GError) refusal = NULL;
      gboolean allowed;

      if (c->kind == ACCESS_PERSON)
        allowed = rs_access_can_view_person (store, viewer, ((RsPerson *) g_hash_table_lookup (people, c->target))->id,
                                             &refusal);
      else
        {
          gint64 team = 0;

          g_assert_true (rs_store_ensure_team (store, c->target, &team, &error));
          allowed = rs_access_can_view_team (store, viewer, team, &refusal);
        }
      if (allowed != c->allowed)
        g_test_message ("case %u: %s %s %s", i, c->viewer, c->kind == ACCESS_PERSON ? "person" : "team", c->target);
      g_assert_cmpint (allowed, ==, c->allowed);
      if (!allowed)
        g_assert_error (refusal, RS_ERROR, RS_ERROR_DENIED);
    }
  /* The policy levels, through rs_access_can_see (the rule). */
  for (guint i = 0; i < G_N_ELEMENTS (access_policy_cases); i++)
    {
      const AccessPolicyCase *c = &access_policy_cases[i];
      const RsPerson *viewer = g_hash_table_lookup (people, c->viewer);
      const RsPerson *target = g_hash_table_lookup (people, c->target);
      g_autoptr (GError) refusal = NULL;
      gint64 team_a = 0;
      gboolean allowed;

      g_assert_true (rs_store_ensure_team (store, "A", &team_a, &error));
      g_assert_true (rs_privacy_set_team_visibility (store, rs_people_operator (), team_a, c->team_a, &error));
      g_assert_no_error (error);
      allowed = rs_access_can_see (store, viewer, target->id, c->detail, &refusal);
      if (allowed != c->allowed)
        g_test_message ("policy case %u: %s sees %s of %s", i, c->viewer,
                        c->detail == RS_DETAIL_LEVELS ? "levels" : "answers", c->target);
      g_assert_cmpint (allowed, ==, c->allowed);
      if (!allowed)
        g_assert_error (refusal, RS_ERROR, RS_ERROR_DENIED);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/access/employee", test_employee);
  ADD ("/access/manager", test_manager);
  ADD ("/access/admin", test_admin);
  ADD ("/access/nobody", test_nobody);
  ADD ("/access/admin-only", test_admin_only);
  ADD ("/access/admin-allowed", test_admin_allowed);
#undef ADD
  g_test_add_func ("/access/shared-cases", test_shared_cases);
  return g_test_run ();
}
