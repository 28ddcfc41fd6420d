/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A touch anywhere starts, not only on the button: the screen is an
 * invitation, and people tap where they look. The corner button is the one
 * exception, so its press is left alone. */
#include "rs-attract-page.h"

struct _RsAttractPage
{
  AdwBin parent_instance;

  GtkLabel *organization_label;
  GtkWidget *start_button;
  GtkWidget *admin_button;
};

G_DEFINE_FINAL_TYPE (RsAttractPage, rs_attract_page, ADW_TYPE_BIN)

enum {
  SIGNAL_START,
  SIGNAL_ADMIN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
start_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  g_signal_emit (widget, signals[SIGNAL_START], 0);
}

static void
admin_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  g_signal_emit (widget, signals[SIGNAL_ADMIN], 0);
}

static gboolean
inside (GtkWidget *widget, GtkWidget *ancestor)
{
  return widget != NULL && (widget == ancestor || gtk_widget_is_ancestor (widget, ancestor));
}

static void
on_released (GtkGestureClick *gesture, int n_press, double x, double y, RsAttractPage *self)
{
  GtkWidget *picked = gtk_widget_pick (GTK_WIDGET (self), x, y, GTK_PICK_DEFAULT);

  /* Buttons handle their own presses. */
  if (inside (picked, self->admin_button) || inside (picked, self->start_button))
    return;
  g_signal_emit (self, signals[SIGNAL_START], 0);
}

static gboolean
on_key_pressed (GtkEventControllerKey *controller, guint keyval, guint keycode, GdkModifierType state,
                RsAttractPage *self)
{
  /* Tab moves between the two buttons; every other key starts. */
  if (keyval == GDK_KEY_Tab || keyval == GDK_KEY_ISO_Left_Tab || keyval == GDK_KEY_Return
      || keyval == GDK_KEY_KP_Enter || keyval == GDK_KEY_space)
    return FALSE;
  if (state & (GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SUPER_MASK))
    return FALSE;
  g_signal_emit (self, signals[SIGNAL_START], 0);
  return TRUE;
}

static void
rs_attract_page_class_init (RsAttractPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  signals[SIGNAL_START] =
    g_signal_new ("start", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_ADMIN] =
    g_signal_new ("admin", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_install_action (widget_class, "attract.start", NULL, start_action);
  gtk_widget_class_install_action (widget_class, "attract.admin", NULL, admin_action);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/reskill/Reskill/ui/rs-attract-page.ui");
  gtk_widget_class_bind_template_child (widget_class, RsAttractPage, organization_label);
  gtk_widget_class_bind_template_child (widget_class, RsAttractPage, start_button);
  gtk_widget_class_bind_template_child (widget_class, RsAttractPage, admin_button);
  gtk_widget_class_set_css_name (widget_class, "attract");
}

static void
rs_attract_page_init (RsAttractPage *self)
{
  GtkGesture *click = gtk_gesture_click_new ();
  GtkEventController *keys = gtk_event_controller_key_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), 0);
  g_signal_connect (click, "released", G_CALLBACK (on_released), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
}

GtkWidget *
rs_attract_page_new (void)
{
  return g_object_new (RS_TYPE_ATTRACT_PAGE, NULL);
}

void
rs_attract_page_set_organization (RsAttractPage *self, const char *name)
{
  g_return_if_fail (RS_IS_ATTRACT_PAGE (self));
  gtk_label_set_text (self->organization_label, name != NULL ? name : "");
  gtk_widget_set_visible (GTK_WIDGET (self->organization_label), name != NULL && *name != '\0');
}

void
rs_attract_page_focus (RsAttractPage *self)
{
  g_return_if_fail (RS_IS_ATTRACT_PAGE (self));
  gtk_widget_grab_focus (self->start_button);
}
