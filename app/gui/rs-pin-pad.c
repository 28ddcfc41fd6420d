/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The keypad's buttons are bound to widget actions in the template, so the
 * pad needs no handler per button and a test can press a digit with
 * gtk_widget_activate_action (pad, "pin-pad.digit", "u", 7). */
#include "rs-pin-pad.h"

#include <string.h>

struct _RsPinPad
{
  AdwBin parent_instance;
};

G_DEFINE_FINAL_TYPE (RsPinPad, rs_pin_pad, ADW_TYPE_BIN)

enum {
  SIGNAL_DIGIT,
  SIGNAL_BACKSPACE,
  SIGNAL_SUBMIT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
digit_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  guint digit = g_variant_get_uint32 (parameter);

  g_return_if_fail (digit <= 9);
  g_signal_emit (widget, signals[SIGNAL_DIGIT], 0, digit);
}

static void
backspace_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  g_signal_emit (widget, signals[SIGNAL_BACKSPACE], 0);
}

static void
submit_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  g_signal_emit (widget, signals[SIGNAL_SUBMIT], 0);
}

static void
rs_pin_pad_class_init (RsPinPadClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  /* RsPinPad::digit: a digit 0..9 was pressed. */
  signals[SIGNAL_DIGIT] =
    g_signal_new ("digit", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
  signals[SIGNAL_BACKSPACE] =
    g_signal_new ("backspace", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
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

void
rs_pin_pad_append_digit (GtkEditable *editable, guint digit)
{
  g_autofree char *text = g_strdup_printf ("%s%u", gtk_editable_get_text (editable), digit);

  gtk_editable_set_text (editable, text);
  gtk_editable_set_position (editable, -1);
}

void
rs_pin_pad_delete_last (GtkEditable *editable)
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
