/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The keypad's buttons are bound to widget actions in the template, so the
 * pad needs no handler per button and a test can press a digit with
 * gtk_widget_activate_action (pad, "pin-pad.digit", "u", 7). */
#include "rs-pin-pad.h"

#include <string.h>

struct _RsPinPad
{
  AdwBin parent_instance;

  /* Not owned: the fields live in the same template as the pad. */
  GtkEditable *number;
  GtkEditable *pin;
  GtkEditable *target;
};

G_DEFINE_FINAL_TYPE (RsPinPad, rs_pin_pad, ADW_TYPE_BIN)

enum {
  SIGNAL_SUBMIT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
append_digit (GtkEditable *editable, guint digit)
{
  g_autofree char *text = g_strdup_printf ("%s%u", gtk_editable_get_text (editable), digit);

  gtk_editable_set_text (editable, text);
  gtk_editable_set_position (editable, -1);
}

static void
delete_last (GtkEditable *editable)
{
  g_autofree char *text = g_strdup (gtk_editable_get_text (editable));
  size_t len = strlen (text);

  if (len == 0)
    return;
  /* Digits from the pad, but anything may have been typed on a keyboard. */
  *g_utf8_find_prev_char (text, text + len) = '\0';
  gtk_editable_set_text (editable, text);
  gtk_editable_set_position (editable, -1);
}

static void
digit_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  RsPinPad *self = RS_PIN_PAD (widget);
  guint digit = g_variant_get_uint32 (parameter);

  g_return_if_fail (digit <= 9);
  if (self->target != NULL)
    append_digit (self->target, digit);
}

static void
backspace_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  RsPinPad *self = RS_PIN_PAD (widget);

  if (self->target != NULL)
    delete_last (self->target);
}

/* OK on the pad, or Enter in a field: from the number on to the PIN, from
 * the PIN to the page's "submit". */
static void
advance (RsPinPad *self)
{
  if (self->target == self->number && self->pin != NULL)
    rs_pin_pad_set_target (self, self->pin);
  else
    g_signal_emit (self, signals[SIGNAL_SUBMIT], 0);
}

static void
submit_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  advance (RS_PIN_PAD (widget));
}

static void
on_field_activated (GtkWidget *field, RsPinPad *self)
{
  self->target = GTK_EDITABLE (field);
  advance (self);
}

static void
on_focus_enter (GtkEventControllerFocus *controller, RsPinPad *self)
{
  self->target = GTK_EDITABLE (gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller)));
}

static void
rs_pin_pad_class_init (RsPinPadClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  /* RsPinPad::submit: OK (or Enter) with the PIN field as the target. */
  signals[SIGNAL_SUBMIT] =
    g_signal_new ("submit", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_install_action (widget_class, "pin-pad.digit", "u", digit_action);
  gtk_widget_class_install_action (widget_class, "pin-pad.backspace", NULL, backspace_action);
  gtk_widget_class_install_action (widget_class, "pin-pad.submit", NULL, submit_action);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/reskill/Reskill/ui/rs-pin-pad.ui");
  gtk_widget_class_set_css_name (widget_class, "pinpad");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
rs_pin_pad_init (RsPinPad *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
rs_pin_pad_new (void)
{
  return g_object_new (RS_TYPE_PIN_PAD, NULL);
}

static void
watch_focus (RsPinPad *self, GtkEditable *field)
{
  GtkEventController *focus = gtk_event_controller_focus_new ();

  g_signal_connect (focus, "enter", G_CALLBACK (on_focus_enter), self);
  gtk_widget_add_controller (GTK_WIDGET (field), focus);
  if (ADW_IS_ENTRY_ROW (field))
    g_signal_connect (field, "entry-activated", G_CALLBACK (on_field_activated), self);
}

void
rs_pin_pad_set_fields (RsPinPad *self, GtkEditable *number, GtkEditable *pin)
{
  g_return_if_fail (RS_IS_PIN_PAD (self));
  g_return_if_fail (self->number == NULL);   /* once, at the owner's init */
  self->number = number;
  self->pin = pin;
  self->target = number;
  watch_focus (self, number);
  watch_focus (self, pin);
}

void
rs_pin_pad_clear (RsPinPad *self)
{
  g_return_if_fail (RS_IS_PIN_PAD (self));
  g_return_if_fail (self->number != NULL);
  gtk_editable_set_text (self->number, "");
  gtk_editable_set_text (self->pin, "");
  self->target = self->number;
}

void
rs_pin_pad_set_target (RsPinPad *self, GtkEditable *field)
{
  g_return_if_fail (RS_IS_PIN_PAD (self));
  g_return_if_fail (field == self->number || field == self->pin);
  self->target = field;
  gtk_widget_grab_focus (GTK_WIDGET (field));
}
