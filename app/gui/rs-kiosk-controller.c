/* SPDX-License-Identifier: GPL-3.0-or-later */
/* How the kiosk is laid over the window without the window knowing: the
 * window's content goes under a GtkOverlay that also holds the attract
 * screen, the idle warning and the exit dialog. While one of them is up the
 * content below cannot take the keyboard focus, and pointer input never
 * reaches it because the overlay child covers the whole window.
 *
 * The idle rule is rs-idle's: a capture-phase controller on the window sees
 * every key, click, touch, scroll and real pointer motion before any widget
 * does and reports it as activity; a one-second timeout polls the rule. The
 * clock is injectable so that tests are exact and instant.
 *
 * Leaving kiosk mode turns the window into an ordinary one (decorated,
 * closable, no idle sign-out); closing it then ends Reskill. Under the
 * systemd unit cage exits with it and the kiosk starts again, which is what
 * a kiosk should do after maintenance. */
#include "rs-kiosk-controller.h"

#include <glib/gi18n-lib.h>

#include "rs-settings.h"

#include "rs-attract-page.h"
#include "rs-idle-dialog.h"
#include "rs-kiosk-exit-dialog.h"
#include "config.h"

#define CONTROLLER_KEY "rs-kiosk-controller"

struct _RsKioskController
{
  GObject parent_instance;

  RsWindow *window;          /* not a reference: the window owns us */
  gboolean active;
  guint idle_seconds;
  guint warning_seconds;
  RsIdleClock clock;
  gpointer clock_data;
  RsIdleMonitor *monitor;
  guint poll_id;
  gboolean have_pointer;
  double pointer_x;
  double pointer_y;

  GtkWidget *content;        /* the window's own content, under the overlay */
  GWeakRef focus_before;     /* where the keyboard was when the warning came */
  GtkWidget *stack;
  RsAttractPage *attract;
  RsIdleDialog *idle_dialog;
  RsKioskExitDialog *exit_dialog;
};

G_DEFINE_FINAL_TYPE (RsKioskController, rs_kiosk_controller, G_TYPE_OBJECT)

static const char *
page_name (RsKioskController *self)
{
  return self->window != NULL ? rs_window_get_page_name (self->window) : NULL;
}

/* The error page of a problem that stops everything: going "back to the
 * start" from there would pretend the problem went away. */
static gboolean
on_fatal_page (RsKioskController *self)
{
  RsContext *context = rs_window_get_context (self->window);
  const RsBank *bank = rs_context_get_bank (context);

  return g_strcmp0 (page_name (self), "error") == 0
         && (rs_context_get_problem_title (context) != NULL || bank == NULL || rs_bank_n_items (bank) == 0);
}

static void
update_focusability (RsKioskController *self)
{
  gboolean covered = gtk_widget_get_visible (GTK_WIDGET (self->attract))
                     || gtk_widget_get_visible (GTK_WIDGET (self->idle_dialog))
                     || gtk_widget_get_visible (GTK_WIDGET (self->exit_dialog));

  gtk_widget_set_can_focus (self->content, !covered);
}

static void
hide_idle_dialog (RsKioskController *self)
{
  if (!gtk_widget_get_visible (GTK_WIDGET (self->idle_dialog)))
    return;
  gtk_widget_set_visible (GTK_WIDGET (self->idle_dialog), FALSE);
  update_focusability (self);
  if (gtk_widget_get_visible (GTK_WIDGET (self->exit_dialog)))
    rs_kiosk_exit_dialog_focus (self->exit_dialog);
  else if (self->window != NULL && !gtk_widget_get_visible (GTK_WIDGET (self->attract)))
    {
      g_autoptr (GtkWidget) before = g_weak_ref_get (&self->focus_before);

      /* Back where the person was typing or choosing. */
      if (before == NULL || !gtk_widget_is_ancestor (before, self->content) || !gtk_widget_grab_focus (before))
        gtk_widget_child_focus (self->content, GTK_DIR_TAB_FORWARD);
    }
  g_weak_ref_set (&self->focus_before, NULL);
}

static void
show_idle_dialog (RsKioskController *self, guint seconds_left)
{
  rs_idle_dialog_set_seconds_left (self->idle_dialog, seconds_left);
  if (gtk_widget_get_visible (GTK_WIDGET (self->idle_dialog)))
    return;
  g_weak_ref_set (&self->focus_before, gtk_window_get_focus (GTK_WINDOW (self->window)));
  rs_idle_dialog_set_guest (self->idle_dialog, rs_context_get_person (rs_window_get_context (self->window)) == NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->idle_dialog), TRUE);
  rs_idle_dialog_focus (self->idle_dialog);
  update_focusability (self);
}

static void
hide_exit_dialog (RsKioskController *self)
{
  rs_kiosk_exit_dialog_reset (self->exit_dialog);
  gtk_widget_set_visible (GTK_WIDGET (self->exit_dialog), FALSE);
  update_focusability (self);
}

static void
show_attract (RsKioskController *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->idle_dialog), FALSE);
  hide_exit_dialog (self);
  gtk_widget_set_visible (GTK_WIDGET (self->attract), TRUE);
  rs_attract_page_focus (self->attract);
  update_focusability (self);
  rs_idle_monitor_reset (self->monitor);
}

/* Signs out whoever was there; the window rebuilds its per-person pages and
 * goes to the start, where the attract screen covers it. */
static void
expire (RsKioskController *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->idle_dialog), FALSE);
  hide_exit_dialog (self);
  if (!on_fatal_page (self))
    gtk_widget_activate_action (GTK_WIDGET (self->window), "win.done", NULL);
  show_attract (self);
}

static gboolean
idle_applies (RsKioskController *self)
{
  return self->active && self->window != NULL && !gtk_widget_get_visible (GTK_WIDGET (self->attract))
         && !on_fatal_page (self);
}

void
rs_kiosk_controller_poll (RsKioskController *self)
{
  g_return_if_fail (RS_IS_KIOSK_CONTROLLER (self));

  if (!idle_applies (self))
    {
      rs_idle_monitor_reset (self->monitor);
      if (self->window != NULL)
        hide_idle_dialog (self);
      return;
    }
  switch (rs_idle_monitor_poll (self->monitor))
    {
    case RS_IDLE_ACTIVE:
      hide_idle_dialog (self);
      break;
    case RS_IDLE_WARNING:
      show_idle_dialog (self, rs_idle_monitor_seconds_left (self->monitor));
      break;
    case RS_IDLE_EXPIRED:
      expire (self);
      break;
    default:
      g_assert_not_reached ();
    }
}

static gboolean
poll_cb (gpointer data)
{
  rs_kiosk_controller_poll (RS_KIOSK_CONTROLLER (data));
  return G_SOURCE_CONTINUE;
}

void
rs_kiosk_controller_activity (RsKioskController *self)
{
  g_return_if_fail (RS_IS_KIOSK_CONTROLLER (self));
  if (!self->active)
    return;
  rs_idle_monitor_activity (self->monitor);
  /* Take the warning down at the first touch, not a second later. */
  if (gtk_widget_get_visible (GTK_WIDGET (self->idle_dialog)))
    rs_kiosk_controller_poll (self);
}

static gboolean
on_event (GtkEventControllerLegacy *controller, GdkEvent *event, RsKioskController *self)
{
  switch ((int) gdk_event_get_event_type (event))
    {
    case GDK_MOTION_NOTIFY:
      {
        double x, y;

        /* Widgets appearing under a still pointer are not a person. */
        if (!gdk_event_get_position (event, &x, &y)
            || (self->have_pointer && x == self->pointer_x && y == self->pointer_y))
          return FALSE;
        self->have_pointer = TRUE;
        self->pointer_x = x;
        self->pointer_y = y;
        break;
      }
    case GDK_BUTTON_PRESS:
    case GDK_BUTTON_RELEASE:
    case GDK_KEY_PRESS:
    case GDK_KEY_RELEASE:
    case GDK_SCROLL:
    case GDK_TOUCH_BEGIN:
    case GDK_TOUCH_UPDATE:
    case GDK_TOUCH_END:
    case GDK_TOUCHPAD_SWIPE:
    case GDK_TOUCHPAD_PINCH:
      break;
    default:
      return FALSE;
    }
  rs_kiosk_controller_activity (self);
  return FALSE;
}

static void
on_page_changed (RsKioskController *self)
{
  /* Back at the start (signed out, finished, or Back from sign-in): nobody
   * is there any more. */
  if (self->active && g_strcmp0 (page_name (self), "welcome") == 0)
    show_attract (self);
}

static gboolean
on_close_request (GtkWindow *window, RsKioskController *self)
{
  RsContext *context = rs_window_get_context (self->window);

  if (!self->active)
    return FALSE;
  /* Without a database no PIN can be checked and nobody's data is on
   * screen: let the administrator close it to fix the problem. */
  if (rs_context_get_store (context) == NULL)
    return FALSE;
  /* Alt+F4, a compositor's close, "Quit" on a fatal problem: only the
   * admin PIN leaves. */
  if (on_fatal_page (self))
    rs_kiosk_controller_ask_exit (self);
  return TRUE;
}

static void
set_quit_enabled (RsKioskController *self, gboolean enabled)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self->window));
  GAction *quit = app != NULL ? g_action_map_lookup_action (G_ACTION_MAP (app), "quit") : NULL;

  if (G_IS_SIMPLE_ACTION (quit))
    g_simple_action_set_enabled (G_SIMPLE_ACTION (quit), enabled);
}

static void
update_shortcuts_inhibit (RsKioskController *self)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (self->window));

  if (surface == NULL || !GDK_IS_TOPLEVEL (surface))
    return;
  /* Needs a focused surface; the compositor may still refuse. */
  if (self->active && gtk_window_is_active (GTK_WINDOW (self->window)))
    gdk_toplevel_inhibit_system_shortcuts (GDK_TOPLEVEL (surface), NULL);
  else if (!self->active)
    gdk_toplevel_restore_system_shortcuts (GDK_TOPLEVEL (surface));
}

static AdwHeaderBar *
find_header_bar (GtkWidget *root)
{
  if (ADW_IS_HEADER_BAR (root))
    return ADW_HEADER_BAR (root);
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      AdwHeaderBar *found = find_header_bar (child);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
set_chrome (RsKioskController *self, gboolean kiosk)
{
  GtkWindow *window = GTK_WINDOW (self->window);
  AdwHeaderBar *header_bar = find_header_bar (self->content);

  gtk_window_set_decorated (window, !kiosk);
  gtk_window_set_deletable (window, !kiosk);
  if (header_bar != NULL)
    {
      adw_header_bar_set_show_start_title_buttons (header_bar, !kiosk);
      adw_header_bar_set_show_end_title_buttons (header_bar, !kiosk);
    }
  if (kiosk)
    {
      GListModel *monitors = gdk_display_get_monitors (gtk_widget_get_display (GTK_WIDGET (window)));
      g_autoptr (GdkMonitor) monitor = g_list_model_get_n_items (monitors) > 0 ? g_list_model_get_item (monitors, 0) : NULL;

      gtk_widget_add_css_class (GTK_WIDGET (window), "kiosk");
      /* Without a window manager fullscreen does nothing: the monitor's
       * size makes the first frame fill the screen all the same. */
      if (monitor != NULL)
        {
          GdkRectangle geometry;

          gdk_monitor_get_geometry (monitor, &geometry);
          gtk_window_set_default_size (window, geometry.width, geometry.height);
        }
      gtk_window_fullscreen (window);
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (window), "kiosk");
      gtk_window_unfullscreen (window);
    }
  set_quit_enabled (self, !kiosk);
  rs_window_set_kiosk_chrome (self->window, kiosk);
}

static void
leave (RsKioskController *self)
{
  self->active = FALSE;
  g_clear_handle_id (&self->poll_id, g_source_remove);
  gtk_widget_set_visible (GTK_WIDGET (self->idle_dialog), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->attract), FALSE);
  hide_exit_dialog (self);
  set_chrome (self, FALSE);
  update_shortcuts_inhibit (self);
  if (g_strcmp0 (page_name (self), "welcome") == 0)
    rs_window_show_page (self->window, "welcome");
  rs_window_show_toast (self->window, _("Kiosk mode is off. Closing the window now ends Reskill."));
}

void
rs_kiosk_controller_start (RsKioskController *self)
{
  g_return_if_fail (RS_IS_KIOSK_CONTROLLER (self));
  if (!gtk_widget_get_visible (GTK_WIDGET (self->attract)))
    return;
  gtk_widget_set_visible (GTK_WIDGET (self->attract), FALSE);
  update_focusability (self);
  rs_idle_monitor_reset (self->monitor);
  rs_window_show_page (self->window, page_name (self));
}

void
rs_kiosk_controller_ask_exit (RsKioskController *self)
{
  g_return_if_fail (RS_IS_KIOSK_CONTROLLER (self));
  if (!self->active)
    return;
  rs_kiosk_exit_dialog_reset (self->exit_dialog);
  gtk_widget_set_visible (GTK_WIDGET (self->exit_dialog), TRUE);
  update_focusability (self);
  rs_kiosk_exit_dialog_focus (self->exit_dialog);
}

static void
on_exit_cancelled (RsKioskController *self)
{
  hide_exit_dialog (self);
  if (gtk_widget_get_visible (GTK_WIDGET (self->attract)))
    rs_attract_page_focus (self->attract);
}

static void
on_idle_continue (RsKioskController *self)
{
  rs_kiosk_controller_activity (self);
}

static void
shutdown_controller (RsKioskController *self)
{
  g_clear_handle_id (&self->poll_id, g_source_remove);
  if (self->stack != NULL)
    g_signal_handlers_disconnect_by_data (self->stack, self);
  self->stack = NULL;
  self->window = NULL;
}

static void
on_window_destroy (RsKioskController *self)
{
  shutdown_controller (self);
}

static void
rs_kiosk_controller_finalize (GObject *object)
{
  RsKioskController *self = RS_KIOSK_CONTROLLER (object);

  g_clear_handle_id (&self->poll_id, g_source_remove);
  g_clear_pointer (&self->monitor, rs_idle_monitor_free);
  g_weak_ref_clear (&self->focus_before);
  G_OBJECT_CLASS (rs_kiosk_controller_parent_class)->finalize (object);
}

static void
rs_kiosk_controller_class_init (RsKioskControllerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rs_kiosk_controller_finalize;

  g_type_ensure (RS_TYPE_ATTRACT_PAGE);
  g_type_ensure (RS_TYPE_IDLE_DIALOG);
  g_type_ensure (RS_TYPE_KIOSK_EXIT_DIALOG);
}

static void
rs_kiosk_controller_init (RsKioskController *self)
{
  self->idle_seconds = 120;
  self->warning_seconds = RS_KIOSK_WARNING_SECONDS;
  g_weak_ref_init (&self->focus_before, NULL);
}

static void
read_settings (RsKioskController *self)
{
  g_autoptr (GSettings) settings = rs_settings_new ();

  if (settings != NULL)
    self->idle_seconds = g_settings_get_uint (settings, "kiosk-idle-timeout");
}

static void
wrap_content (RsKioskController *self)
{
  AdwApplicationWindow *window = ADW_APPLICATION_WINDOW (self->window);
  GtkWidget *overlay = gtk_overlay_new ();
  g_autofree char *organization = rs_settings_dup_organization ();

  self->content = adw_application_window_get_content (window);
  g_object_ref (self->content);
  adw_application_window_set_content (window, NULL);
  gtk_overlay_set_child (GTK_OVERLAY (overlay), self->content);
  g_object_unref (self->content);
  gtk_widget_set_name (overlay, "kiosk-overlay");
  adw_application_window_set_content (window, overlay);

  self->attract = RS_ATTRACT_PAGE (rs_attract_page_new ());
  rs_attract_page_set_organization (self->attract, organization);
  gtk_widget_set_visible (GTK_WIDGET (self->attract), FALSE);
  g_signal_connect_swapped (self->attract, "start", G_CALLBACK (rs_kiosk_controller_start), self);
  g_signal_connect_swapped (self->attract, "admin", G_CALLBACK (rs_kiosk_controller_ask_exit), self);
  gtk_overlay_add_overlay (GTK_OVERLAY (overlay), GTK_WIDGET (self->attract));

  self->idle_dialog = RS_IDLE_DIALOG (rs_idle_dialog_new ());
  gtk_widget_set_visible (GTK_WIDGET (self->idle_dialog), FALSE);
  g_signal_connect_swapped (self->idle_dialog, "continue", G_CALLBACK (on_idle_continue), self);
  g_signal_connect_swapped (self->idle_dialog, "sign-out", G_CALLBACK (expire), self);
  gtk_overlay_add_overlay (GTK_OVERLAY (overlay), GTK_WIDGET (self->idle_dialog));

  self->exit_dialog = RS_KIOSK_EXIT_DIALOG (rs_kiosk_exit_dialog_new ());
  rs_kiosk_exit_dialog_set_context (self->exit_dialog, rs_window_get_context (self->window));
  gtk_widget_set_visible (GTK_WIDGET (self->exit_dialog), FALSE);
  g_signal_connect_swapped (self->exit_dialog, "cancelled", G_CALLBACK (on_exit_cancelled), self);
  g_signal_connect_swapped (self->exit_dialog, "authorized", G_CALLBACK (leave), self);
  gtk_overlay_add_overlay (GTK_OVERLAY (overlay), GTK_WIDGET (self->exit_dialog));
}

RsKioskController *
rs_kiosk_controller_attach (RsWindow *window)
{
  RsKioskController *self;
  GtkEventController *watcher;
  GtkWidget *welcome;

  g_return_val_if_fail (RS_IS_WINDOW (window), NULL);
  g_return_val_if_fail (rs_kiosk_controller_get (window) == NULL, NULL);

  self = g_object_new (RS_TYPE_KIOSK_CONTROLLER, NULL);
  self->window = window;
  self->active = TRUE;
  g_object_set_data_full (G_OBJECT (window), CONTROLLER_KEY, self, g_object_unref);
  read_settings (self);
  self->monitor = rs_idle_monitor_new (self->idle_seconds, self->warning_seconds, NULL, NULL);

  wrap_content (self);
  set_chrome (self, TRUE);

  watcher = gtk_event_controller_legacy_new ();
  gtk_event_controller_set_propagation_phase (watcher, GTK_PHASE_CAPTURE);
  gtk_event_controller_set_name (watcher, "kiosk-idle-watcher");
  g_signal_connect (watcher, "event", G_CALLBACK (on_event), self);
  gtk_widget_add_controller (GTK_WIDGET (window), watcher);

  g_signal_connect (window, "close-request", G_CALLBACK (on_close_request), self);
  g_signal_connect_swapped (window, "notify::is-active", G_CALLBACK (update_shortcuts_inhibit), self);
  g_signal_connect_swapped (window, "map", G_CALLBACK (update_shortcuts_inhibit), self);
  g_signal_connect_swapped (window, "destroy", G_CALLBACK (on_window_destroy), self);

  /* The pages live in one stack: its visible child says where the window
   * went. */
  welcome = rs_window_get_page (window, "welcome");
  self->stack = welcome != NULL ? gtk_widget_get_parent (welcome) : NULL;
  if (self->stack != NULL)
    g_signal_connect_swapped (self->stack, "notify::visible-child-name", G_CALLBACK (on_page_changed), self);

  self->poll_id = g_timeout_add (1000, poll_cb, self);
  on_page_changed (self);
  return self;
}

RsKioskController *
rs_kiosk_controller_get (RsWindow *window)
{
  g_return_val_if_fail (RS_IS_WINDOW (window), NULL);
  return g_object_get_data (G_OBJECT (window), CONTROLLER_KEY);
}

gboolean
rs_kiosk_controller_is_active (RsKioskController *self)
{
  g_return_val_if_fail (RS_IS_KIOSK_CONTROLLER (self), FALSE);
  return self->active;
}

gboolean
rs_kiosk_controller_attract_shown (RsKioskController *self)
{
  g_return_val_if_fail (RS_IS_KIOSK_CONTROLLER (self), FALSE);
  return gtk_widget_get_visible (GTK_WIDGET (self->attract));
}

gboolean
rs_kiosk_controller_idle_warning_shown (RsKioskController *self)
{
  g_return_val_if_fail (RS_IS_KIOSK_CONTROLLER (self), FALSE);
  return gtk_widget_get_visible (GTK_WIDGET (self->idle_dialog));
}

gboolean
rs_kiosk_controller_exit_dialog_shown (RsKioskController *self)
{
  g_return_val_if_fail (RS_IS_KIOSK_CONTROLLER (self), FALSE);
  return gtk_widget_get_visible (GTK_WIDGET (self->exit_dialog));
}

static void
replace_monitor (RsKioskController *self)
{
  g_clear_pointer (&self->monitor, rs_idle_monitor_free);
  self->monitor = rs_idle_monitor_new (self->idle_seconds, self->warning_seconds, self->clock, self->clock_data);
}

void
rs_kiosk_controller_set_timeouts (RsKioskController *self, guint idle_seconds, guint warning_seconds)
{
  g_return_if_fail (RS_IS_KIOSK_CONTROLLER (self));
  self->idle_seconds = idle_seconds;
  self->warning_seconds = warning_seconds;
  replace_monitor (self);
}

void
rs_kiosk_controller_set_clock (RsKioskController *self, RsIdleClock clock, gpointer clock_data)
{
  g_return_if_fail (RS_IS_KIOSK_CONTROLLER (self));
  self->clock = clock;
  self->clock_data = clock_data;
  replace_monitor (self);
}

gboolean
rs_kiosk_controller_wanted_by_settings (void)
{
  g_autoptr (GSettings) settings = rs_settings_new ();

  return settings != NULL && g_settings_get_boolean (settings, "kiosk-mode");
}
