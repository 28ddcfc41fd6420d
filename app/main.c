/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Entry point: a command word (validate, simulate, take, ...) runs the
 * command line with no display; anything else starts the GTK application.
 *
 * Which program this is comes from app/meson.build: its application id
 * (RESKILL_PROGRAM_APP_ID) and, in the development profile, the developer
 * tools (RESKILL_PROGRAM_DEVEL). */
#include <glib/gi18n.h>
#include <locale.h>

#include "config.h"
#include "rs-application.h"
#include "rs-cli.h"
#ifdef RESKILL_PROGRAM_DEVEL
#include "rs-devtools.h"
#endif

/* The language comes from the environment (LANGUAGE, LC_ALL, LC_MESSAGES,
 * LANG). Catalogs are read from the install's locale folder, or, for an
 * uninstalled Reskill (meson devenv, make run, the tests), from the folder
 * RESKILL_LOCALEDIR names: the build tree's po/. Messages come back in
 * UTF-8 whatever the locale's character set, as GTK and the PDF expect. */
static void
init_i18n (void)
{
  const char *localedir = g_getenv ("RESKILL_LOCALEDIR");

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL && localedir[0] != '\0' ? localedir : RESKILL_LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}

int
main (int argc, char **argv)
{
  g_autoptr (RsApplication) app = NULL;
  gboolean development = FALSE;

  init_i18n ();

  if (rs_cli_wants (argc, argv))
    return rs_cli_main (argc, argv);

#ifdef RESKILL_PROGRAM_DEVEL
  development = TRUE;
#endif
  app = rs_application_new (RESKILL_PROGRAM_APP_ID, development);
#ifdef RESKILL_PROGRAM_DEVEL
  rs_devtools_install (app);
#endif
  return g_application_run (G_APPLICATION (app), argc, argv);
}
