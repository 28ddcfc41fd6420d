/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The application's GSettings (io.github.reskill.Reskill), for the core
 * and the command line as well as the window: the organization server's
 * connection string is read there, and the kiosk settings a sync pulls
 * are written there. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The settings, or NULL when the schema is not installed. An uninstalled
 * Reskill (build/app/reskill, or a test in build/tests/) finds the schema
 * compiled into build/data. */
GSettings *rs_gsettings_new (void);

G_END_DECLS
