/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The GTK application: options, start-up, one window, and the app's chrome
 * (About, keyboard shortcuts, accelerators). */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define RS_TYPE_APPLICATION (rs_application_get_type ())
G_DECLARE_FINAL_TYPE (RsApplication, rs_application, RS, APPLICATION, AdwApplication)

/* application_id is the program's profile's (io.github.reskill.Reskill, or
 * io.github.reskill.Reskill.Devel); development marks its window with the
 * "devel" style class. */
RsApplication *rs_application_new (const char *application_id, gboolean development);

gboolean rs_application_is_development (RsApplication *self);

/* The developer tools of a development-profile program (app/gui/rs-devtools.c):
 * options of their own, and what runs when one is given. */
typedef struct {
  const GOptionEntry *entries;
  /* From ::handle-local-options, before the application registers: -1 to
   * go on, else the exit status (a bad option value). May make the run
   * one-shot (G_APPLICATION_NON_UNIQUE). */
  int (*check_options) (GApplication *app, GVariantDict *options);
  /* From ::command-line, once the paths are known: -1 when no tool was
   * asked for, else the tool's exit status. */
  int (*run) (RsApplication *app, GVariantDict *options);
} RsApplicationTools;

/* Before g_application_run(); tools must outlive the application. */
void rs_application_set_tools (RsApplication *self, const RsApplicationTools *tools);

/* What the command line chose (or the defaults), from ::command-line on. */
const char *rs_application_get_db_path (RsApplication *self);
const char *rs_application_get_questions_dir (RsApplication *self);
const char *rs_application_get_roles_path (RsApplication *self);

/* Monotonic time (µs) when the application object was made: the start of
 * the "start-up to first frame" measurement. */
gint64 rs_application_get_created_at (RsApplication *self);

G_END_DECLS
