/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The kiosk's idle rule with an injected clock: exact and instant. */
#include "rs-idle.h"

static gint64 fake_now;

static gint64
fake_clock (gpointer data)
{
  return fake_now;
}

static void
advance (double seconds)
{
  fake_now += (gint64) (seconds * G_USEC_PER_SEC);
}

static void
test_warning_then_expiry (void)
{
  g_autoptr (RsIdleMonitor) idle = NULL;

  fake_now = 1000 * G_USEC_PER_SEC;
  idle = rs_idle_monitor_new (90, 30, fake_clock, NULL);
  advance (89.9);
  g_assert_cmpint (rs_idle_monitor_poll (idle), ==, RS_IDLE_ACTIVE);
  advance (0.1);
  g_assert_cmpint (rs_idle_monitor_poll (idle), ==, RS_IDLE_WARNING);
  g_assert_cmpuint (rs_idle_monitor_seconds_left (idle), ==, 30);
  advance (12.5);
  g_assert_cmpuint (rs_idle_monitor_seconds_left (idle), ==, 18);
  advance (17.5);
  g_assert_cmpint (rs_idle_monitor_poll (idle), ==, RS_IDLE_EXPIRED);
  g_assert_cmpuint (rs_idle_monitor_seconds_left (idle), ==, 0);
  /* Late input cannot rescue an expired session; a reset can. */
  rs_idle_monitor_activity (idle);
  g_assert_cmpint (rs_idle_monitor_poll (idle), ==, RS_IDLE_EXPIRED);
  rs_idle_monitor_reset (idle);
  g_assert_cmpint (rs_idle_monitor_poll (idle), ==, RS_IDLE_ACTIVE);
}

static void
test_activity_restarts (void)
{
  g_autoptr (RsIdleMonitor) idle = NULL;

  fake_now = 0;
  idle = rs_idle_monitor_new (60, 20, fake_clock, NULL);
  for (int i = 0; i < 10; i++)
    {
      advance (59);
      g_assert_cmpint (rs_idle_monitor_poll (idle), ==, RS_IDLE_ACTIVE);
      rs_idle_monitor_activity (idle);
    }
  /* Input during the warning ("Still there?" answered) goes back to active. */
  advance (70);
  g_assert_cmpint (rs_idle_monitor_poll (idle), ==, RS_IDLE_WARNING);
  rs_idle_monitor_activity (idle);
  g_assert_cmpint (rs_idle_monitor_poll (idle), ==, RS_IDLE_ACTIVE);
  advance (79);
  g_assert_cmpint (rs_idle_monitor_poll (idle), ==, RS_IDLE_WARNING);
}

static void
test_expiry_noticed_late (void)
{
  g_autoptr (RsIdleMonitor) idle = NULL;

  /* The window was busy and polled only long after the deadline: input
   * arriving now must not count as having come in time. */
  fake_now = 0;
  idle = rs_idle_monitor_new (10, 5, fake_clock, NULL);
  advance (100);
  rs_idle_monitor_activity (idle);
  g_assert_cmpint (rs_idle_monitor_poll (idle), ==, RS_IDLE_EXPIRED);
}

static void
test_real_clock (void)
{
  /* One test on the real monotonic clock, with a short timeout. */
  g_autoptr (RsIdleMonitor) idle = rs_idle_monitor_new (1, 1, NULL, NULL);
  gint64 start = g_get_monotonic_time ();

  g_assert_cmpint (rs_idle_monitor_poll (idle), ==, RS_IDLE_ACTIVE);
  while (rs_idle_monitor_poll (idle) != RS_IDLE_EXPIRED)
    {
      g_usleep (20000);
      g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_USEC_PER_SEC);
    }
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 2 * G_USEC_PER_SEC);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/idle/warning-then-expiry", test_warning_then_expiry);
  g_test_add_func ("/idle/activity-restarts", test_activity_restarts);
  g_test_add_func ("/idle/expiry-noticed-late", test_expiry_noticed_late);
  g_test_add_func ("/idle/real-clock", test_real_clock);
  return g_test_run ();
}
