/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Administration, settings of this kiosk (GSettings io.github.reskill.Reskill):
 * organization name on reports, the kiosk idle timeout, and which modes and
 * skills people are offered. */
#pragma once

#include <adwaita.h>

#include "rs-page.h"

G_BEGIN_DECLS

#define RS_TYPE_ADMIN_SETTINGS (rs_admin_settings_get_type ())
G_DECLARE_FINAL_TYPE (RsAdminSettings, rs_admin_settings, RS, ADMIN_SETTINGS, RsPage)

/* Reads the settings again into the controls. */
void rs_admin_settings_refresh (RsAdminSettings *self);
/* FALSE when the schema is not installed (the page says so). */
gboolean rs_admin_settings_is_available (RsAdminSettings *self);

G_END_DECLS
