/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The kiosk's settings (io.github.reskill.Reskill), when their schema is
 * installed. An uninstalled build has no compiled schema unless
 * GSETTINGS_SCHEMA_DIR points at one, and g_settings_new() would abort; the
 * pages ask here instead and say that settings are unavailable. */
#pragma once

#include <gio/gio.h>

#include "rs-cat.h"
#include "rs-skill.h"

G_BEGIN_DECLS

/* A new GSettings, or NULL when the schema is not installed. */
GSettings *rs_settings_new (void);
/* The organization name for reports; NULL when empty or unavailable. */
char *rs_settings_dup_organization (void);
/* Which length modes and skills people may choose (offered-modes,
 * offered-skills). Everything when settings are unavailable; a list that
 * names nothing valid counts as everything, so a typo cannot empty the kiosk. */
void rs_settings_get_offered (gboolean modes[RS_N_MODES], gboolean skills[RS_N_SKILLS]);
/* The exposure cap for the assessments that start now (exposure-cap); 0,
 * the engine's default, when settings are unavailable. */
double rs_settings_get_exposure_cap (void);

G_END_DECLS
