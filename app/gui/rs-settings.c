/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The settings themselves are found by the core (rs-gsettings.h), which
 * the command line shares. */
#include "rs-settings.h"

#include "rs-gsettings.h"

#include "config.h"

GSettings *
rs_settings_new (void)
{
  return rs_gsettings_new ();
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
