/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The GTK application: options, start-up, one window. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define RS_TYPE_APPLICATION (rs_application_get_type ())
G_DECLARE_FINAL_TYPE (RsApplication, rs_application, RS, APPLICATION, AdwApplication)

RsApplication *rs_application_new (void);

/* Monotonic time (µs) when the application object was made: the start of
 * the "start-up to first frame" measurement. */
gint64 rs_application_get_created_at (RsApplication *self);

G_END_DECLS
