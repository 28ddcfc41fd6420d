/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The role advisor on hand-made profiles, with the shipped roles. */
#include <math.h>
#include <glib/gstdio.h>
#include <string.h>

#include "rs-roles.h"

static RsRoleSet *
load_shipped (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("RESKILL_SOURCE_ROOT"), "data", "roles.yaml", NULL);
  g_autoptr (GError) error = NULL;
  RsRoleSet *set = rs_role_set_load (path, &error);

  g_assert_no_error (error);
  return set;
}

static void
profile (RsSkillEstimate est[RS_N_SKILLS], double py, double st, double ml, double em, double se)
{
  double t[RS_N_SKILLS] = { py, st, ml, em };
  for (int s = 0; s < RS_N_SKILLS; s++)
    est[s] = (RsSkillEstimate) { TRUE, t[s], se };
}

static void
test_shipped_roles (void)
{
  g_autoptr (RsRoleSet) set = load_shipped ();

  g_assert_cmpuint (rs_role_set_n_roles (set), >=, 5);
  g_assert_nonnull (rs_role_set_lookup (set, "prompt-engineer"));
  g_assert_nonnull (rs_role_set_lookup (set, "llm-app-engineer"));
  g_assert_nonnull (rs_role_set_lookup (set, "ml-engineer"));
  g_assert_cmpint (rs_role_set_lookup (set, "ml-engineer")->wanted[RS_SKILL_STATISTICS], ==, RS_LEVEL_ADVANCED);
}

static void
test_strong_engineer_fits_ml (void)
{
  g_autoptr (RsRoleSet) set = load_shipped ();
  g_autoptr (RsAdvice) advice = NULL;
  RsSkillEstimate est[RS_N_SKILLS];
  const RsRoleFit *best;

  profile (est, 1.8, 1.2, 1.3, 0.0, 0.25);
  advice = rs_advise (set, est);
  best = &g_array_index (advice->fits, RsRoleFit, 0);
  g_assert_true (best->met);
  /* Every role that is met comes before every one that is not. */
  for (guint i = 1; i < advice->fits->len; i++)
    if (g_array_index (advice->fits, RsRoleFit, i).met)
      g_assert_true (g_array_index (advice->fits, RsRoleFit, i - 1).met);
  g_assert_true (rs_role_set_lookup (set, "ml-engineer") != NULL);
  {
    gboolean ml_met = FALSE;
    for (guint i = 0; i < advice->fits->len; i++)
      if (strcmp (g_array_index (advice->fits, RsRoleFit, i).role->id, "ml-engineer") == 0)
        ml_met = g_array_index (advice->fits, RsRoleFit, i).met;
    g_assert_true (ml_met);
  }
}

static void
test_empathetic_novice_coder (void)
{
  g_autoptr (RsRoleSet) set = load_shipped ();
  g_autoptr (RsAdvice) advice = NULL;
  RsSkillEstimate est[RS_N_SKILLS];

  profile (est, -1.2, -0.8, -0.9, 2.0, 0.3);
  advice = rs_advise (set, est);
  g_assert_cmpstr (g_array_index (advice->fits, RsRoleFit, 0).role->id, ==, "conversational-designer");
}

static void
test_uncertainty_lowers_fit (void)
{
  g_autoptr (RsRoleSet) set = load_shipped ();
  RsSkillEstimate firm[RS_N_SKILLS], shaky[RS_N_SKILLS];
  g_autoptr (RsAdvice) a = NULL;
  g_autoptr (RsAdvice) b = NULL;
  double fit_firm = 0, fit_shaky = 0;

  /* The same estimates well above every cut: a wide SE makes the fit less certain. */
  profile (firm, 2.0, 2.0, 2.0, 2.0, 0.2);
  profile (shaky, 2.0, 2.0, 2.0, 2.0, 1.0);
  a = rs_advise (set, firm);
  b = rs_advise (set, shaky);
  for (guint i = 0; i < a->fits->len; i++)
    if (strcmp (g_array_index (a->fits, RsRoleFit, i).role->id, "ml-engineer") == 0)
      fit_firm = g_array_index (a->fits, RsRoleFit, i).fit;
  for (guint i = 0; i < b->fits->len; i++)
    if (strcmp (g_array_index (b->fits, RsRoleFit, i).role->id, "ml-engineer") == 0)
      fit_shaky = g_array_index (b->fits, RsRoleFit, i).fit;
  g_assert_cmpfloat (fit_firm, >, fit_shaky);
  g_assert_cmpfloat (fit_firm, >, 0.95);
}

static void
test_next_step (void)
{
  g_autoptr (RsRoleSet) set = load_shipped ();
  g_autoptr (RsAdvice) advice = NULL;
  RsSkillEstimate est[RS_N_SKILLS];
  g_autofree char *text = NULL;
  const RsStep *step;

  /* Meets the prompt engineer's levels except statistics, just below Developing. */
  profile (est, -0.4, -1.6, 0.0, 1.0, 0.3);
  advice = rs_advise (set, est);
  g_assert_nonnull (advice->next_role);
  g_assert_cmpstr (advice->next_role->id, ==, "prompt-engineer");
  g_assert_cmpuint (advice->next_steps->len, ==, 1);
  step = &g_array_index (advice->next_steps, RsStep, 0);
  text = rs_step_describe (step);
  g_assert_cmpstr (text, ==, "raise Statistics from Novice to Developing");
  /* The raise names the statistics the role leans on, by their titles. */
  {
    g_autoptr (RsBank) bank = rs_bank_new ();
    g_autofree char *focus = NULL;
    g_assert_nonnull (step->focus);
    focus = rs_step_describe_focus (step, bank);
    g_assert_cmpstr (focus, ==, "above all Annotation and judges");
  }
}

static void
test_unmeasured_skill (void)
{
  g_autoptr (RsRoleSet) set = load_shipped ();
  g_autoptr (RsAdvice) advice = NULL;
  g_autoptr (GPtrArray) reasons = NULL;
  RsSkillEstimate est[RS_N_SKILLS];
  gboolean mentions = FALSE;

  profile (est, 2.0, 2.0, 2.0, 0.0, 0.3);
  est[RS_SKILL_EMPATHY].measured = FALSE;
  advice = rs_advise (set, est);
  /* Nothing that wants empathy can be met without measuring it. */
  for (guint i = 0; i < advice->fits->len; i++)
    g_assert_false (g_array_index (advice->fits, RsRoleFit, i).met);
  reasons = rs_role_fit_reasons (&g_array_index (advice->fits, RsRoleFit, 0), est);
  for (guint i = 0; i < reasons->len; i++)
    mentions |= strstr (g_ptr_array_index (reasons, i), "Empathy: not measured yet") != NULL;
  g_assert_true (mentions);
}

static void
test_bad_roles_file (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", "bad-roles.yaml", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (RsRoleSet) set = rs_role_set_load (path, &error);

  g_assert_null (set);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "bad-roles.yaml:6: role bad-role: python needs a level"));
}

static char *
write_roles (const char *text)
{
  g_autofree char *dir = g_dir_make_tmp ("reskill-roles-XXXXXX", NULL);
  char *path = g_build_filename (dir, "roles.yaml", NULL);
  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  return path;
}

static void
remove_roles (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_assert_cmpint (g_remove (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

#define ROLE_HEAD "roles:\n  - id: judge\n    name: Judge\n    summary: Judges.\n" \
  "    wants:\n      statistics: {level: Advanced, weight: 2}\n      ml: {level: Proficient, weight: 1}\n"

/* focus: subtopics per wanted skill, in order; the bank check finds the one
 * the bank lacks; a focus outside the wanted skills or without a skill is
 * refused with its line. */
static void
test_focus (void)
{
  g_autofree char *good = write_roles (ROLE_HEAD
      "    focus: [statistics/evaluation, ml/rag, statistics/judges, ml/astrology]\n");
  g_autofree char *unwanted = write_roles (ROLE_HEAD "    focus: [python/async]\n");
  g_autofree char *bare = write_roles (ROLE_HEAD "    focus: [rag]\n");
  g_autoptr (GError) error = NULL;
  g_autoptr (RsRoleSet) set = rs_role_set_load (good, &error);
  g_autoptr (RsBank) bank = rs_bank_new ();
  g_autoptr (GPtrArray) problems = NULL;
  const RsRole *role;
  const char *subtopics[] = { "evaluation", "judges", "rag" };
  RsSkill skills[] = { RS_SKILL_STATISTICS, RS_SKILL_STATISTICS, RS_SKILL_ML };

  g_assert_no_error (error);
  role = rs_role_set_lookup (set, "judge");
  g_assert_cmpstr (role->focus[RS_SKILL_STATISTICS][0], ==, "evaluation");
  g_assert_cmpstr (role->focus[RS_SKILL_STATISTICS][1], ==, "judges");
  g_assert_null (role->focus[RS_SKILL_STATISTICS][2]);
  g_assert_cmpstr (role->focus[RS_SKILL_ML][0], ==, "rag");
  g_assert_cmpstr (role->focus[RS_SKILL_ML][1], ==, "astrology");
  g_assert_null (role->focus[RS_SKILL_PYTHON]);

  for (guint i = 0; i < G_N_ELEMENTS (subtopics); i++)
    {
      RsItem *item = g_new0 (RsItem, 1);
      item->id = g_strdup_printf ("x.%u", i);
      item->skill = skills[i];
      item->subtopic = g_strdup (subtopics[i]);
      item->file = g_strdup ("x.yaml");
      rs_bank_add_item (bank, item);
    }
  problems = rs_role_set_check_bank (set, good, bank);
  g_assert_cmpuint (problems->len, ==, 1);
  g_assert_cmpstr (((RsDiagnostic *) g_ptr_array_index (problems, 0))->message, ==,
                   "role judge: focus ml/astrology is not a subtopic of the bank");
  g_assert_cmpint (((RsDiagnostic *) g_ptr_array_index (problems, 0))->line, ==, 8);

  g_assert_null (rs_role_set_load (unwanted, &error));
  g_assert_nonnull (strstr (error->message, "roles.yaml:8: role judge: focus 'python/async' is in a skill the role does not want"));
  g_clear_error (&error);
  g_assert_null (rs_role_set_load (bare, &error));
  g_assert_nonnull (strstr (error->message, "roles.yaml:8: role judge: focus 'rag' must be skill/subtopic"));
  remove_roles (good);
  remove_roles (unwanted);
  remove_roles (bare);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/roles/shipped", test_shipped_roles);
  g_test_add_func ("/roles/strong-engineer", test_strong_engineer_fits_ml);
  g_test_add_func ("/roles/empathetic-novice-coder", test_empathetic_novice_coder);
  g_test_add_func ("/roles/uncertainty", test_uncertainty_lowers_fit);
  g_test_add_func ("/roles/next-step", test_next_step);
  g_test_add_func ("/roles/unmeasured", test_unmeasured_skill);
  g_test_add_func ("/roles/bad-file", test_bad_roles_file);
  g_test_add_func ("/roles/focus", test_focus);
  return g_test_run ();
}
