/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The developer tools, in development-profile programs only (app/meson.build):
 * --screenshot DIR, --bench-gui N and --kiosk-screenshot FILE, with --size
 * and --dark. They write pictures and figures for the docs and the
 * benchmarks; a kiosk or a desktop has no use for them. */
#pragma once

#include "rs-application.h"

G_BEGIN_DECLS

/* Adds the tools' options to app; call before g_application_run(). */
void rs_devtools_install (RsApplication *app);

G_END_DECLS
