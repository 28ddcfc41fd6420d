/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The manager's and the administrator's screens for `--screenshot DIR`:
 * home, team report (top, charts, readiness), a member's drill-down, and
 * the four administration sections. */
#pragma once

#include <gtk/gtk.h>

#include "rs-screenshot.h"

G_BEGIN_DECLS

/* Signs the demo manager, then the demo admin, into a window on a demo
 * database with larger teams (shared_db, the employee screens' database,
 * if that cannot be made) and writes their screens into options->dir. The admin's
 * window loads a copy of the question bank with one draft file of mistakes,
 * so the bank page shows what validation reports. Adds the number of files
 * written to *n_written. */
gboolean rs_manage_screenshot_shots (GtkApplication *app, const RsScreenshotOptions *options, const char *shared_db,
                                     int *n_written);

G_END_DECLS
