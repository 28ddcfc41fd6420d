/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `reskill --screenshot DIR`: walks the real window through every screen on
 * a throw-away demo database and writes one PNG per screen. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef struct {
  const char *dir;
  const char *questions_dir;
  const char *roles_path;
  int width;
  int height;
  gboolean dark;
} RsScreenshotOptions;

/* Returns the exit status: 0 when every screen was written. */
int rs_screenshot_run (GtkApplication *app, const RsScreenshotOptions *options);

/* Makes a temporary folder with a demo database seeded from the bank (the
 * demo organization of rs-demo.h). Returns the database path; *tmp_dir gets
 * the folder to delete afterwards. Shared with the GUI benchmark. */
char *rs_screenshot_make_demo_db (const char *questions_dir, char **tmp_dir, GError **error);
/* Removes the folder made above (the database and its WAL files). */
void rs_screenshot_remove_dir (const char *dir);

G_END_DECLS
