/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Pictures of kiosk mode: `reskill --kiosk-screenshot FILE` (the first
 * frame of the attract screen, as the compositor sized it: the cage test
 * checks it fills the output) and the kiosk screens that `--screenshot DIR`
 * adds (kiosk-attract.png, kiosk-idle.png). */
#pragma once

#include <gtk/gtk.h>

#include "rs-screenshot.h"

G_BEGIN_DECLS

/* Starts a kiosk window on db, waits for its first frame at the monitor's
 * size, writes it to file and returns the exit status (0: written). */
int rs_kiosk_screenshot_first_frame (GtkApplication *app, const char *db, const char *questions_dir,
                                     const char *roles_path, const char *file);

/* Writes kiosk-attract.png and kiosk-idle.png into options->dir, using the
 * demo database db (its demo employee signs in and starts a quiz, then the
 * idle warning is brought up with an injected clock). Adds the number of
 * files written to *n_written. */
gboolean rs_kiosk_screenshot_shots (GtkApplication *app, const RsScreenshotOptions *options, const char *db,
                                    int *n_written);

G_END_DECLS
