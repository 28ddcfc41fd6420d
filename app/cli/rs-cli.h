/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The command line: jobs that need no screen. GTK-free. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* TRUE when argv names a command (or --help / --version), so no display is needed. */
gboolean rs_cli_wants (int argc, char **argv);
/* Runs the command; returns the process exit status. */
int rs_cli_main (int argc, char **argv);

G_END_DECLS
