/* SPDX-License-Identifier: GPL-3.0-or-later */
/* An uninstalled Reskill (build/app/reskill, or a test in build/tests/)
 * finds the schema that data/meson.build compiles into build/data: one
 * folder up from the executable's, then data/. Installed, that folder does
 * not exist and only the system's schemas count. */
#include "rs-settings.h"

#include "config.h"

static GSettingsSchemaSource *
uninstalled_source (void)
{
  static GSettingsSchemaSource *source;
  static gsize done;

  if (g_once_init_enter (&done))
    {
      g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
      g_autofree char *bin_dir = exe != NULL ? g_path_get_dirname (exe) : NULL;
      g_autofree char *dir = bin_dir != NULL ? g_build_filename (bin_dir, "..", "data", NULL) : NULL;
      g_autofree char *compiled = dir != NULL ? g_build_filename (dir, "gschemas.compiled", NULL) : NULL;

      if (compiled != NULL && g_file_test (compiled, G_FILE_TEST_IS_REGULAR))
        source = g_settings_schema_source_new_from_directory (dir, g_settings_schema_source_get_default (), FALSE, NULL);
      g_once_init_leave (&done, 1);
    }
  return source;
}

GSettings *
rs_settings_new (void)
{
  GSettingsSchemaSource *sources[] = { g_settings_schema_source_get_default (), uninstalled_source () };

  for (guint i = 0; i < G_N_ELEMENTS (sources); i++)
    {
      g_autoptr (GSettingsSchema) schema = NULL;

      if (sources[i] == NULL)
        continue;
      schema = g_settings_schema_source_lookup (sources[i], RESKILL_SCHEMA_ID, TRUE);
      if (schema != NULL)
        return g_settings_new_full (schema, NULL, NULL);
    }
  return NULL;
}

char *
rs_settings_dup_organization (void)
{
  g_autoptr (GSettings) settings = rs_settings_new ();
  g_autofree char *name = NULL;

  if (settings == NULL)
    return NULL;
  name = g_settings_get_string (settings, "organization-name");
  g_strstrip (name);
  return name[0] != '\0' ? g_steal_pointer (&name) : NULL;
}

/* Marks the ids of a string-list key that from_id recognises; FALSE when none. */
static gboolean
read_list (GSettings *settings, const char *key, int n, int (*from_id) (const char *), gboolean *out)
{
  g_auto (GStrv) ids = g_settings_get_strv (settings, key);
  gboolean any = FALSE;

  for (int i = 0; i < n; i++)
    out[i] = FALSE;
  for (int i = 0; ids[i] != NULL; i++)
    {
      int index = from_id (ids[i]);
      if (index >= 0 && index < n)
        any = out[index] = TRUE;
    }
  return any;
}

static int
mode_index (const char *id)
{
  return (int) rs_mode_from_id (id);
}

static int
skill_index (const char *id)
{
  return (int) rs_skill_from_id (id);
}

void
rs_settings_get_offered (gboolean modes[RS_N_MODES], gboolean skills[RS_N_SKILLS])
{
  g_autoptr (GSettings) settings = rs_settings_new ();

  if (settings == NULL || !read_list (settings, "offered-modes", RS_N_MODES, mode_index, modes))
    for (int m = 0; m < RS_N_MODES; m++)
      modes[m] = TRUE;
  if (settings == NULL || !read_list (settings, "offered-skills", RS_N_SKILLS, skill_index, skills))
    for (int s = 0; s < RS_N_SKILLS; s++)
      skills[s] = TRUE;
}

double
rs_settings_get_exposure_cap (void)
{
  g_autoptr (GSettings) settings = rs_settings_new ();
  g_autoptr (GSettingsSchema) schema = NULL;

  if (settings == NULL)
    return 0.0;
  /* An older compiled schema may lack the key; asking for it would abort. */
  g_object_get (settings, "settings-schema", &schema, NULL);
  if (!g_settings_schema_has_key (schema, "exposure-cap"))
    return 0.0;
  return g_settings_get_double (settings, "exposure-cap");
}
