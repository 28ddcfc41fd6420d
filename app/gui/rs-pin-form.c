/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The task holds the context, so the store outlives a window closed
 * mid-check; a check that is cancelled (reset, dispose) answers nobody.
 * The PIN is wiped from memory as soon as the check is done with it. */
#include "rs-pin-form.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "rs-a11y.h"
#include "rs-error.h"
#include "rs-kiosk.h"
#include "rs-pin-pad.h"

/* Lines the message area always keeps: the longest message (a wrong PIN
 * with the tries left) takes two at the form's width. */
#define MESSAGE_LINES 2

struct _RsPinForm
{
  AdwBin parent_instance;

  RsPinFormPurpose purpose;
  RsContext *context;
  GCancellable *cancellable;      /* of the check under way */
  gboolean busy;
  char *message;

  AdwEntryRow *number_row;
  AdwEntryRow *pin_row;
  GtkLabel *message_label;
  RsPinPad *pad;
};

G_DEFINE_FINAL_TYPE (RsPinForm, rs_pin_form, ADW_TYPE_BIN)

G_DEFINE_ENUM_TYPE (RsPinFormPurpose, rs_pin_form_purpose,
                    G_DEFINE_ENUM_VALUE (RS_PIN_FORM_SIGN_IN, "sign-in"),
                    G_DEFINE_ENUM_VALUE (RS_PIN_FORM_LEAVE_KIOSK, "leave-kiosk"))

enum {
  PROP_0,
  PROP_PURPOSE,
  PROP_CONTEXT,
  PROP_BUSY,
  PROP_MESSAGE,
  N_PROPS
};

enum {
  SIGNAL_ACCEPTED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

typedef struct {
  RsPinFormPurpose purpose;
  char *employee_no;
  char *pin;
  int retry_after;
} Check;

static void
check_free (Check *check)
{
  g_free (check->employee_no);
  if (check->pin != NULL)
    memset (check->pin, 0, strlen (check->pin));
  g_free (check->pin);
  g_free (check);
}

static void
set_message (RsPinForm *self, const char *message)
{
  if (g_strcmp0 (self->message, message) == 0)
    return;
  g_free (self->message);
  self->message = g_strdup (message);
  gtk_label_set_text (self->message_label, message != NULL ? message : "");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGE]);
}

static void
set_busy (RsPinForm *self, gboolean busy)
{
  if (self->busy == busy)
    return;
  self->busy = busy;
  /* Not insensitive: taking the focused field away mid-typing upsets
   * GtkText; read-only is enough to freeze the input. */
  gtk_editable_set_editable (GTK_EDITABLE (self->number_row), !busy);
  gtk_editable_set_editable (GTK_EDITABLE (self->pin_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->pad), !busy);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

char *
rs_pin_form_describe_lockout (int seconds)
{
  int minutes = (seconds + 59) / 60;

  if (seconds <= 0)
    return g_strdup (_("Too many wrong PINs. This number is locked for a while; try again later or ask an administrator."));
  if (seconds < 90)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Too many wrong PINs. This number is locked; try again in %d second.",
                                      "Too many wrong PINs. This number is locked; try again in %d seconds.",
                                      (gulong) seconds), seconds);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Too many wrong PINs. This number is locked; try again in %d minute.",
                                    "Too many wrong PINs. This number is locked; try again in %d minutes.",
                                    (gulong) minutes), minutes);
}

static void
check_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  RsContext *context = g_object_get_data (G_OBJECT (task), "rs-context");
  Check *check = task_data;
  GError *error = NULL;
  RsPerson *person;

  if (check->purpose == RS_PIN_FORM_LEAVE_KIOSK)
    person = rs_kiosk_authorize_exit (rs_context_get_store (context), check->employee_no, check->pin,
                                      &check->retry_after, &error);
  else
    person = rs_store_authenticate (rs_context_get_store (context), check->employee_no, check->pin,
                                    &check->retry_after, &error);
  /* Done with the PIN: it need not wait for the main loop in memory. */
  memset (check->pin, 0, strlen (check->pin));
  if (person == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, person, (GDestroyNotify) rs_person_free);
}

static void
check_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  RsPinForm *self = RS_PIN_FORM (source);
  GTask *task = G_TASK (result);
  Check *check = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (RsPerson) person = g_task_propagate_pointer (task, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->cancellable);
  set_busy (self, FALSE);
  if (person != NULL)
    {
      rs_pin_form_reset (self);
      g_signal_emit (self, signals[SIGNAL_ACCEPTED], 0, person);
      return;
    }

  /* A wrong PIN is emptied so the next try starts clean (before the
   * message: typing clears it); the number stays, it is probably right. */
  gtk_editable_set_text (GTK_EDITABLE (self->pin_row), "");
  if (g_error_matches (error, RS_ERROR, RS_ERROR_LOCKED_OUT))
    {
      g_autofree char *message = rs_pin_form_describe_lockout (check->retry_after);
      set_message (self, message);
    }
  /* The core's words: a wrong number or PIN (the same whoever it is and
   * whatever the purpose), or an account switched off. */
  else if (g_error_matches (error, RS_ERROR, RS_ERROR_AUTH) || g_error_matches (error, RS_ERROR, RS_ERROR_DENIED))
    set_message (self, error->message);
  else
    {
      g_autofree char *message = g_strdup_printf (_("The PIN could not be checked: %s"), error->message);
      set_message (self, message);
    }
  rs_pin_pad_set_target (self->pad, GTK_EDITABLE (self->pin_row));
}

void
rs_pin_form_submit (RsPinForm *self)
{
  g_autofree char *number = NULL;
  const char *pin;
  g_autoptr (GTask) task = NULL;
  Check *check;

  g_return_if_fail (RS_IS_PIN_FORM (self));
  if (self->busy)
    return;
  number = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->number_row))));
  pin = gtk_editable_get_text (GTK_EDITABLE (self->pin_row));
  if (*number == '\0')
    {
      set_message (self, _("Enter your employee number."));
      rs_pin_pad_set_target (self->pad, GTK_EDITABLE (self->number_row));
      return;
    }
  if (*pin == '\0')
    {
      set_message (self, _("Enter your PIN."));
      rs_pin_pad_set_target (self->pad, GTK_EDITABLE (self->pin_row));
      return;
    }
  if (self->context == NULL || rs_context_get_store (self->context) == NULL)
    {
      set_message (self, _("There is no database to check the PIN against."));
      return;
    }

  check = g_new0 (Check, 1);
  check->purpose = self->purpose;
  check->employee_no = g_steal_pointer (&number);
  check->pin = g_strdup (pin);

  set_message (self, NULL);
  self->cancellable = g_cancellable_new ();
  set_busy (self, TRUE);
  task = g_task_new (self, self->cancellable, check_done, NULL);
  g_task_set_source_tag (task, rs_pin_form_submit);
  g_task_set_task_data (task, check, (GDestroyNotify) check_free);
  g_object_set_data_full (G_OBJECT (task), "rs-context", g_object_ref (self->context), g_object_unref);
  g_task_run_in_thread (task, check_thread);
}

gboolean
rs_pin_form_get_busy (RsPinForm *self)
{
  g_return_val_if_fail (RS_IS_PIN_FORM (self), FALSE);
  return self->busy;
}

const char *
rs_pin_form_get_message (RsPinForm *self)
{
  g_return_val_if_fail (RS_IS_PIN_FORM (self), NULL);
  return self->message;
}

static void
cancel_check (RsPinForm *self)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  set_busy (self, FALSE);
}

void
rs_pin_form_reset (RsPinForm *self)
{
  g_return_if_fail (RS_IS_PIN_FORM (self));
  cancel_check (self);
  rs_pin_pad_clear (self->pad);
  set_message (self, NULL);
}

void
rs_pin_form_focus (RsPinForm *self)
{
  g_return_if_fail (RS_IS_PIN_FORM (self));
  rs_pin_pad_set_target (self->pad, GTK_EDITABLE (self->number_row));
}

RsPinFormPurpose
rs_pin_form_get_purpose (RsPinForm *self)
{
  g_return_val_if_fail (RS_IS_PIN_FORM (self), RS_PIN_FORM_SIGN_IN);
  return self->purpose;
}

void
rs_pin_form_set_context (RsPinForm *self, RsContext *context)
{
  g_return_if_fail (RS_IS_PIN_FORM (self));
  if (g_set_object (&self->context, context))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONTEXT]);
}

RsContext *
rs_pin_form_get_context (RsPinForm *self)
{
  g_return_val_if_fail (RS_IS_PIN_FORM (self), NULL);
  return self->context;
}

static void
on_changed (RsPinForm *self)
{
  set_message (self, NULL);
}

static void
on_pad_submit (RsPinForm *self)
{
  rs_pin_form_submit (self);
}

/* The message area's room, in lines of its own font: kept empty or not,
 * so a message never moves what is below it. */
static void
reserve_message_room (RsPinForm *self)
{
  g_autoptr (PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self->message_label), NULL);
  g_autoptr (GString) lines = g_string_new ("Mg");
  int width, height;

  for (int i = 1; i < MESSAGE_LINES; i++)
    g_string_append (lines, "\nMg");
  pango_layout_set_text (layout, lines->str, -1);
  pango_layout_get_pixel_size (layout, &width, &height);
  gtk_widget_set_size_request (GTK_WIDGET (self->message_label), -1, height);
}

static void
rs_pin_form_dispose (GObject *object)
{
  RsPinForm *self = RS_PIN_FORM (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->context);
  G_OBJECT_CLASS (rs_pin_form_parent_class)->dispose (object);
}

static void
rs_pin_form_finalize (GObject *object)
{
  RsPinForm *self = RS_PIN_FORM (object);

  g_free (self->message);
  G_OBJECT_CLASS (rs_pin_form_parent_class)->finalize (object);
}

static void
rs_pin_form_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  RsPinForm *self = RS_PIN_FORM (object);

  switch (prop_id)
    {
    case PROP_PURPOSE:
      g_value_set_enum (value, self->purpose);
      break;
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, rs_pin_form_get_busy (self));
      break;
    case PROP_MESSAGE:
      g_value_set_string (value, self->message);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rs_pin_form_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  RsPinForm *self = RS_PIN_FORM (object);

  switch (prop_id)
    {
    case PROP_PURPOSE:
      self->purpose = g_value_get_enum (value);
      break;
    case PROP_CONTEXT:
      rs_pin_form_set_context (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rs_pin_form_class_init (RsPinFormClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rs_pin_form_dispose;
  object_class->finalize = rs_pin_form_finalize;
  object_class->get_property = rs_pin_form_get_property;
  object_class->set_property = rs_pin_form_set_property;

  properties[PROP_PURPOSE] =
    g_param_spec_enum ("purpose", NULL, NULL, RS_TYPE_PIN_FORM_PURPOSE, RS_PIN_FORM_SIGN_IN,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, RS_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_MESSAGE] =
    g_param_spec_string ("message", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* RsPinForm::accepted: the PIN was right (for the purpose). The RsPerson
   * is only lent for the emission: copy what you keep. */
  signals[SIGNAL_ACCEPTED] =
    g_signal_new ("accepted", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);

  g_type_ensure (RS_TYPE_PIN_PAD);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/reskill/Reskill/ui/rs-pin-form.ui");
  gtk_widget_class_bind_template_child (widget_class, RsPinForm, number_row);
  gtk_widget_class_bind_template_child (widget_class, RsPinForm, pin_row);
  gtk_widget_class_bind_template_child (widget_class, RsPinForm, message_label);
  gtk_widget_class_bind_template_child (widget_class, RsPinForm, pad);
  gtk_widget_class_bind_template_callback (widget_class, on_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_pad_submit);
  gtk_widget_class_set_css_name (widget_class, "pinform");
}

static void
rs_pin_form_init (RsPinForm *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  rs_pin_pad_set_fields (self->pad, GTK_EDITABLE (self->number_row), GTK_EDITABLE (self->pin_row));
  reserve_message_room (self);
  rs_a11y_expose_entry_row (ADW_ENTRY_ROW (self->number_row), NULL, NULL);
  rs_a11y_expose_entry_row (ADW_ENTRY_ROW (self->pin_row), _("Show PIN"), _("Hide PIN"));
  rs_a11y_fix_button_names (GTK_WIDGET (self));
}

GtkWidget *
rs_pin_form_new (RsPinFormPurpose purpose)
{
  return g_object_new (RS_TYPE_PIN_FORM, "purpose", purpose, NULL);
}
