/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "rs-idle.h"

struct _RsIdleMonitor {
  gint64 idle_us;
  gint64 warning_us;
  RsIdleClock clock;
  gpointer clock_data;
  gint64 last_activity;
  gboolean expired;      /* sticky: only a reset brings it back */
};

static gint64
now (RsIdleMonitor *monitor)
{
  return monitor->clock != NULL ? monitor->clock (monitor->clock_data) : g_get_monotonic_time ();
}

RsIdleMonitor *
rs_idle_monitor_new (guint idle_seconds, guint warning_seconds, RsIdleClock clock, gpointer clock_data)
{
  RsIdleMonitor *monitor = g_new0 (RsIdleMonitor, 1);

  monitor->idle_us = (gint64) MAX (idle_seconds, 1) * G_USEC_PER_SEC;
  monitor->warning_us = (gint64) warning_seconds * G_USEC_PER_SEC;
  monitor->clock = clock;
  monitor->clock_data = clock_data;
  monitor->last_activity = now (monitor);
  return monitor;
}

void
rs_idle_monitor_free (RsIdleMonitor *monitor)
{
  g_free (monitor);
}

void
rs_idle_monitor_activity (RsIdleMonitor *monitor)
{
  /* Input that arrives after the deadline must not rescue a session the
   * poll has not yet noticed as expired: check first. */
  if (rs_idle_monitor_poll (monitor) != RS_IDLE_EXPIRED)
    monitor->last_activity = now (monitor);
}

void
rs_idle_monitor_reset (RsIdleMonitor *monitor)
{
  monitor->expired = FALSE;
  monitor->last_activity = now (monitor);
}

RsIdleState
rs_idle_monitor_poll (RsIdleMonitor *monitor)
{
  gint64 quiet = now (monitor) - monitor->last_activity;

  if (monitor->expired || quiet >= monitor->idle_us + monitor->warning_us)
    {
      monitor->expired = TRUE;
      return RS_IDLE_EXPIRED;
    }
  return quiet >= monitor->idle_us ? RS_IDLE_WARNING : RS_IDLE_ACTIVE;
}

guint
rs_idle_monitor_seconds_left (RsIdleMonitor *monitor)
{
  gint64 left = monitor->last_activity + monitor->idle_us + monitor->warning_us - now (monitor);

  if (left <= 0 || monitor->expired)
    return 0;
  return (guint) ((left + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);
}
