/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `reskill --screenshot DIR` through the real program: it exits 0, writes
 * every screen, and no picture is blank (a failed rendering has one or two
 * colours; a real screen has text, icons and shading). */
#include <glib/gstdio.h>

#include <adwaita.h>

#include "rs-frame.h"

static const char *screens[] = {
  "01-welcome", "02-first-run", "03-sign-in", "04-sign-in-wrong-pin", "05-choose", "05-choose-guess", "06-quiz",
  "07-quiz-code", "08-quiz-multi", "09-quiz-numeric", "10-quiz-scenario", "11-results",
  "12-results-role", "13-results-review", "14-history", "12-results-learning", "14-change-pin", "14-notice", "15-error",
  "kiosk-attract", "kiosk-exit", "kiosk-idle",
  "20-manager-home", "21-team-report", "22-team-distributions", "23-team-readiness", "23-team-progress", "24-team-member",
  "25-admin-people", "25-admin-add-person", "25-admin-one-time-pin", "25-admin-teams",
  "26-admin-bank", "26-admin-statistics", "26-admin-calibration", "27-admin-settings", "28-admin-exchange", "29-team-report-admin",
};

static void
test_screenshots (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("reskill-shots-XXXXXX", &error);
  const char *bin = g_getenv ("RESKILL_BIN");
  const char *root = g_getenv ("RESKILL_SOURCE_ROOT");
  g_autofree char *questions = g_build_filename (root, "questions", NULL);
  g_autofree char *roles = g_build_filename (root, "data", "roles.yaml", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = 0;
  const char *argv[] = { bin, "--screenshot", dir, "--size", "1024x768", "--questions", questions,
                         "--roles", roles, NULL };

  g_assert_no_error (error);
  g_assert_nonnull (bin);
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                               &status, &error));
  g_assert_no_error (error);
  g_test_message ("%s%s", out, err);
  g_assert_true (g_spawn_check_wait_status (status, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (screens); i++)
    {
      g_autofree char *file = g_strdup_printf ("%s.png", screens[i]);
      g_autofree char *path = g_build_filename (dir, file, NULL);
      guint colors = rs_frame_count_colors (path, 64, &error);

      g_assert_no_error (error);
      g_test_message ("%s: %u colours or more", file, colors);
      g_assert_cmpuint (colors, >=, 32);
      g_unlink (path);
    }
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  g_test_add_func ("/gui/screenshot", test_screenshots);
  return g_test_run ();
}
