/* SPDX-License-Identifier: GPL-3.0-or-later */
/* See rs-gsettings.h. The uninstalled schema is one folder up from the
 * executable's, then data/; installed, that folder does not exist and only
 * the system's schemas count. */
#include "rs-gsettings.h"

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
rs_gsettings_new (void)
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
