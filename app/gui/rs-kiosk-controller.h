/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Kiosk mode for one RsWindow: full screen and undecorated from the first
 * frame, no way out but the admin PIN, the attract screen while nobody is
 * there, and the idle rule (rs-idle) that warns and then signs out. The
 * window stays in charge of navigation; the controller only asks it to go
 * back to the start ("win.done") and lays its own screens over it. */
#pragma once

#include "rs-idle.h"
#include "rs-window.h"

G_BEGIN_DECLS

#define RS_TYPE_KIOSK_CONTROLLER (rs_kiosk_controller_get_type ())
G_DECLARE_FINAL_TYPE (RsKioskController, rs_kiosk_controller, RS, KIOSK_CONTROLLER, GObject)

/* How long the "Still there?" countdown lasts. */
#define RS_KIOSK_WARNING_SECONDS 30

/* Puts window into kiosk mode. Call before presenting it, so that the first
 * frame is already full screen. The window owns the controller; the return
 * value is not a new reference. */
RsKioskController *rs_kiosk_controller_attach (RsWindow *window);
/* The controller of window, or NULL when it is not a kiosk. */
RsKioskController *rs_kiosk_controller_get (RsWindow *window);

/* TRUE when the kiosk-mode setting is on (FALSE when the schema is not
 * installed). */
gboolean rs_kiosk_controller_wanted_by_settings (void);

/* FALSE once an administrator has left kiosk mode. */
gboolean rs_kiosk_controller_is_active (RsKioskController *self);
gboolean rs_kiosk_controller_attract_shown (RsKioskController *self);
gboolean rs_kiosk_controller_idle_warning_shown (RsKioskController *self);
gboolean rs_kiosk_controller_exit_dialog_shown (RsKioskController *self);

/* What a touch on the attract screen does. */
void rs_kiosk_controller_start (RsKioskController *self);
/* Opens the admin-PIN dialog that leaves kiosk mode. */
void rs_kiosk_controller_ask_exit (RsKioskController *self);

/* Input was seen (the window's capture-phase controller calls this). */
void rs_kiosk_controller_activity (RsKioskController *self);

/* For tests and the screenshot mode: other timeouts, an injected clock
 * (NULL: the monotonic clock), and one poll now instead of waiting for the
 * next second. */
void rs_kiosk_controller_set_timeouts (RsKioskController *self, guint idle_seconds, guint warning_seconds);
void rs_kiosk_controller_set_clock (RsKioskController *self, RsIdleClock clock, gpointer clock_data);
void rs_kiosk_controller_poll (RsKioskController *self);

G_END_DECLS
