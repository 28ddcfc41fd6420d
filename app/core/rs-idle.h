/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The kiosk's idle rule as a plain state machine, so that it is tested with
 * an injected clock and no display: after idle_seconds without input the
 * person is warned ("Still there?") with a countdown of warning_seconds; any
 * input during the warning goes back to active; when the countdown runs out
 * the person is signed out. The window feeds it input and polls it once a
 * second; it never looks at a clock itself. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  RS_IDLE_ACTIVE,
  RS_IDLE_WARNING,     /* show the countdown */
  RS_IDLE_EXPIRED,     /* sign out now */
} RsIdleState;

/* Monotonic time in microseconds. */
typedef gint64 (*RsIdleClock) (gpointer user_data);

typedef struct _RsIdleMonitor RsIdleMonitor;

/* clock may be NULL for g_get_monotonic_time. */
RsIdleMonitor *rs_idle_monitor_new (guint idle_seconds, guint warning_seconds, RsIdleClock clock,
                                    gpointer clock_data);
void rs_idle_monitor_free (RsIdleMonitor *monitor);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RsIdleMonitor, rs_idle_monitor_free)

/* Input was seen: restarts the idle period (also during the warning). Has
 * no effect once expired, until rs_idle_monitor_reset. */
void rs_idle_monitor_activity (RsIdleMonitor *monitor);
/* Starts over as active (a new person signed in). */
void rs_idle_monitor_reset (RsIdleMonitor *monitor);
/* The state now. */
RsIdleState rs_idle_monitor_poll (RsIdleMonitor *monitor);
/* During the warning: whole seconds left before sign-out, rounded up. */
guint rs_idle_monitor_seconds_left (RsIdleMonitor *monitor);

G_END_DECLS
