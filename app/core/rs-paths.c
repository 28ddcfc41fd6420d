/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>

#include "config.h"
#include "rs-paths.h"

/* Never the working directory: any folder named "questions" where Reskill
 * happens to be started would replace the bank (an empty one with only a
 * README did). A build tree is pointed at its sources through the
 * environment: `meson devenv -C build` and `make run` set it. */

char *
rs_default_questions_dir (void)
{
  const char *env = g_getenv ("RESKILL_QUESTIONS_DIR");

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  return g_build_filename (RESKILL_PKGDATADIR, "questions", NULL);
}

char *
rs_default_roles_path (void)
{
  const char *env = g_getenv ("RESKILL_ROLES");

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  return g_build_filename (RESKILL_PKGDATADIR, "roles.yaml", NULL);
}

char *
rs_default_learning_path (void)
{
  const char *env = g_getenv ("RESKILL_LEARNING");

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  return g_build_filename (RESKILL_PKGDATADIR, "learning.yaml", NULL);
}

char *
rs_default_database_path (void)
{
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "reskill", NULL);

  g_mkdir_with_parents (dir, 0700);
  return g_build_filename (dir, "reskill.db", NULL);
}
