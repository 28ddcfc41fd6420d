/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The window is saved with the in-process renderer (rs_frame_save_png), so
 * the picture is what the app drew, whatever the compositor does with it. */
#include "rs-kiosk-screenshot.h"

#include "rs-choose-page.h"
#include "rs-context.h"
#include "rs-demo.h"
#include "rs-frame.h"
#include "rs-kiosk-controller.h"
#include "rs-pin-form.h"
#include "rs-window.h"

typedef struct {
  GtkWidget *window;
  int width;
  int height;
} SizeWait;

static gboolean
has_size (gpointer data)
{
  SizeWait *wait = data;

  return gtk_widget_get_width (wait->window) == wait->width && gtk_widget_get_height (wait->window) == wait->height;
}

static gboolean
monitor_size (GtkWidget *widget, int *width, int *height)
{
  GListModel *monitors = gdk_display_get_monitors (gtk_widget_get_display (widget));
  g_autoptr (GdkMonitor) monitor = NULL;
  GdkRectangle geometry;

  if (g_list_model_get_n_items (monitors) == 0)
    return FALSE;
  monitor = g_list_model_get_item (monitors, 0);
  gdk_monitor_get_geometry (monitor, &geometry);
  *width = geometry.width;
  *height = geometry.height;
  return TRUE;
}

int
rs_kiosk_screenshot_first_frame (GtkApplication *app, const char *db, const char *questions_dir,
                                 const char *roles_path, const char *file)
{
  g_autoptr (RsContext) context = NULL;
  g_autoptr (GError) error = NULL;
  RsWindow *window;
  RsKioskController *kiosk;
  SizeWait wait = { NULL, 0, 0 };
  int status = 1;

  g_application_hold (G_APPLICATION (app));
  context = rs_context_load (db, questions_dir, roles_path);
  window = rs_window_new (app, context);
  kiosk = rs_kiosk_controller_attach (window);
  wait.window = GTK_WIDGET (window);
  gtk_window_present (GTK_WINDOW (window));

  if (!monitor_size (GTK_WIDGET (window), &wait.width, &wait.height))
    g_printerr ("reskill: no monitor\n");
  else if (rs_frame_wait_painted (GTK_WIDGET (window), 10000) == 0)
    g_printerr ("reskill: the kiosk window never painted\n");
  else
    {
      /* The compositor may configure the size a frame or two later. */
      if (!rs_frame_wait_until (has_size, &wait, 5000))
        g_printerr ("reskill: the window is %dx%d, the monitor %dx%d\n", gtk_widget_get_width (GTK_WIDGET (window)),
                    gtk_widget_get_height (GTK_WIDGET (window)), wait.width, wait.height);
      rs_frame_wait_painted (GTK_WIDGET (window), 2000);
      if (!rs_kiosk_controller_attract_shown (kiosk))
        g_printerr ("reskill: the attract screen is not shown (page %s)\n", rs_window_get_page_name (window));
      else if (!rs_frame_save_png (GTK_WIDGET (window), file, &error))
        g_printerr ("reskill: %s: %s\n", file, error->message);
      else
        {
          GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));
          gboolean inhibited = FALSE;

          if (GDK_IS_TOPLEVEL (surface))
            g_object_get (surface, "shortcuts-inhibited", &inhibited, NULL);
          g_print ("%s: %dx%d window on a %dx%d monitor, fullscreen %s, active %s, system shortcuts inhibited %s\n", file,
                   gtk_widget_get_width (GTK_WIDGET (window)), gtk_widget_get_height (GTK_WIDGET (window)),
                   wait.width, wait.height, gtk_window_is_fullscreen (GTK_WINDOW (window)) ? "yes" : "no",
                   gtk_window_is_active (GTK_WINDOW (window)) ? "yes" : "no", inhibited ? "yes" : "no");
          status = has_size (&wait) ? 0 : 1;
        }
    }

  /* gtk_window_destroy does not ask close-request: this one-shot run ends
   * without the admin PIN. */
  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_application_release (G_APPLICATION (app));
  return status;
}

static gint64
fake_clock (gpointer data)
{
  return *(gint64 *) data;
}

static gboolean
save (GtkWidget *window, const char *dir, const char *name, int *n_written)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr (GError) error = NULL;

  rs_frame_run_for (60);
  rs_frame_wait_painted (window, 2000);
  if (!rs_frame_save_png (window, path, &error))
    {
      g_printerr ("reskill: %s: %s\n", path, error->message);
      return FALSE;
    }
  g_print ("%s\n", path);
  (*n_written)++;
  return TRUE;
}

static gboolean
on_page (gpointer data)
{
  gpointer *pair = data;

  return g_strcmp0 (rs_window_get_page_name (pair[0]), pair[1]) == 0;
}

static gboolean
wait_page (RsWindow *window, const char *name)
{
  gpointer pair[2] = { window, (gpointer) name };

  return rs_frame_wait_until (on_page, pair, 10000);
}

static void
type_digits (GtkWidget *pad, const char *digits)
{
  for (const char *p = digits; *p != '\0'; p++)
    gtk_widget_activate_action (pad, "pin-pad.digit", "u", (guint) (*p - '0'));
}

static gboolean
form_answered (gpointer data)
{
  return !rs_pin_form_get_busy (data) && rs_pin_form_get_message (data) != NULL;
}

gboolean
rs_kiosk_screenshot_shots (GtkApplication *app, const RsScreenshotOptions *options, const char *db, int *n_written)
{
  g_autoptr (RsContext) context = rs_context_load (db, options->questions_dir, options->roles_path);
  gboolean python[RS_N_SKILLS] = { TRUE, FALSE, FALSE, FALSE };
  gint64 now = 1000000;
  RsKioskController *kiosk;
  RsWindow *window;
  RsPinForm *form;
  GtkWidget *pad;
  gboolean ok = FALSE;

  window = rs_window_new (app, context);
  kiosk = rs_kiosk_controller_attach (window);
  rs_kiosk_controller_set_clock (kiosk, fake_clock, &now);
  rs_kiosk_controller_set_timeouts (kiosk, 120, RS_KIOSK_WARNING_SECONDS);
  /* No window manager here: the requested size stands in for the screen. */
  gtk_window_set_default_size (GTK_WINDOW (window), options->width, options->height);
  gtk_window_present (GTK_WINDOW (window));
  rs_frame_wait_painted (GTK_WIDGET (window), 5000);

  if (!rs_kiosk_controller_attract_shown (kiosk) || !save (GTK_WIDGET (window), options->dir, "kiosk-attract.png", n_written))
    goto out;

  /* Leaving kiosk mode with an employee's right PIN: the wrong-PIN answer,
   * in the dialog's own width. */
  rs_kiosk_controller_ask_exit (kiosk);
  form = RS_PIN_FORM (rs_frame_find_widget (GTK_WIDGET (window), "kiosk-exit-form"));
  pad = rs_frame_find_widget (GTK_WIDGET (form), "pin-pad");
  type_digits (pad, RS_DEMO_EMPLOYEE_NO);
  gtk_widget_activate_action (pad, "pin-pad.submit", NULL);
  type_digits (pad, RS_DEMO_EMPLOYEE_PIN);
  gtk_widget_activate_action (pad, "pin-pad.submit", NULL);
  if (!rs_frame_wait_until (form_answered, form, 10000))
    {
      g_printerr ("reskill: no answer in the kiosk's exit dialog\n");
      goto out;
    }
  if (!save (GTK_WIDGET (window), options->dir, "kiosk-exit.png", n_written))
    goto out;
  gtk_widget_activate_action (rs_frame_find_widget (GTK_WIDGET (window), "kiosk-exit"), "kiosk-exit.cancel", NULL);

  /* Someone signs in and starts a quiz, then walks away. */
  rs_kiosk_controller_start (kiosk);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.sign-in", NULL);
  pad = rs_frame_find_widget (rs_window_get_page (window, "sign-in"), "pin-pad");
  type_digits (pad, RS_DEMO_EMPLOYEE_NO);
  gtk_widget_activate_action (pad, "pin-pad.submit", NULL);
  type_digits (pad, RS_DEMO_EMPLOYEE_PIN);
  gtk_widget_activate_action (pad, "pin-pad.submit", NULL);
  if (!wait_page (window, "choose"))
    {
      g_printerr ("reskill: the demo employee could not sign in at the kiosk\n");
      goto out;
    }
  /* Signed in at the kiosk: the header bar's Sign Out, clear of the edge. */
  if (!save (GTK_WIDGET (window), options->dir, "kiosk-signed-in.png", n_written))
    goto out;
  rs_choose_page_select (RS_CHOOSE_PAGE (rs_window_get_page (window, "choose")), python, RS_MODE_QUICK);
  gtk_widget_activate_action (rs_window_get_page (window, "choose"), "choose.start", NULL);
  if (!wait_page (window, "quiz"))
    {
      g_printerr ("reskill: the quiz did not start at the kiosk\n");
      goto out;
    }
  rs_kiosk_controller_activity (kiosk);
  now += (gint64) 121 * G_USEC_PER_SEC;
  rs_kiosk_controller_poll (kiosk);
  now += (gint64) 4 * G_USEC_PER_SEC;
  rs_kiosk_controller_poll (kiosk);
  if (!rs_kiosk_controller_idle_warning_shown (kiosk))
    {
      g_printerr ("reskill: no idle warning\n");
      goto out;
    }
  ok = save (GTK_WIDGET (window), options->dir, "kiosk-idle.png", n_written);

out:
  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  return ok;
}
