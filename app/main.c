/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Entry point: a command word (validate, simulate, take, ...) runs the
 * command line with no display; anything else starts the GTK application. */
#include <locale.h>

#include "rs-application.h"
#include "rs-cli.h"

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "");

  if (rs_cli_wants (argc, argv))
    return rs_cli_main (argc, argv);

  g_autoptr (RsApplication) app = rs_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
