/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Marks strings for translation in the core and the command line: _(),
 * N_() and g_dngettext (GETTEXT_PACKAGE, ...) from GLib's gi18n-lib.h.
 * The text domain is the build's (config.h or the compiler's -D, which come
 * first); the fallback below only lets this compile until the build names
 * one. Strings stay English until a program binds the domain. */
#pragma once

#include "config.h"

#ifndef GETTEXT_PACKAGE
#define GETTEXT_PACKAGE "reskill"
#endif

#include <glib/gi18n-lib.h>
