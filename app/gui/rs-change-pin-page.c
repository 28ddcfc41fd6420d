/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The checks are the core's (rs_store_change_pin: the current PIN, a new
 * one that differs and is long enough); the page only asks for the new PIN
 * twice, so that a typo does not lock the person out. */
#include "rs-change-pin-page.h"

#include <glib/gi18n-lib.h>

#include "rs-error.h"

struct _RsChangePinPage
{
  RsPage parent_instance;

  gboolean forced;
  char *message;

  GtkLabel *title_label;
  GtkLabel *description_label;
  AdwPreferencesGroup *current_group;
  AdwPasswordEntryRow *current_row;
  AdwPasswordEntryRow *new_row;
  AdwPasswordEntryRow *repeat_row;
  GtkLabel *message_label;
};

G_DEFINE_FINAL_TYPE (RsChangePinPage, rs_change_pin_page, RS_TYPE_PAGE)

enum {
  SIGNAL_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
set_message (RsChangePinPage *self, const char *message)
{
  g_free (self->message);
  self->message = g_strdup (message);
  gtk_label_set_text (self->message_label, message != NULL ? message : "");
}

static void
submit_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  RsChangePinPage *self = RS_CHANGE_PIN_PAGE (widget);
  const RsPerson *person = rs_page_get_person (RS_PAGE (self));
  RsStore *store = rs_page_get_store (RS_PAGE (self));
  const char *current = gtk_editable_get_text (GTK_EDITABLE (self->current_row));
  const char *new_pin = gtk_editable_get_text (GTK_EDITABLE (self->new_row));
  const char *repeat = gtk_editable_get_text (GTK_EDITABLE (self->repeat_row));
  g_autoptr (GError) error = NULL;

  if (person == NULL || store == NULL)
    return;
  if (!self->forced && *current == '\0')
    {
      set_message (self, _("Enter your current PIN."));
      gtk_widget_grab_focus (GTK_WIDGET (self->current_row));
      return;
    }
  if (*new_pin == '\0')
    {
      set_message (self, _("Enter a new PIN."));
      gtk_widget_grab_focus (GTK_WIDGET (self->new_row));
      return;
    }
  if (g_strcmp0 (new_pin, repeat) != 0)
    {
      set_message (self, _("The two new PINs are not the same. Type the new PIN again."));
      gtk_editable_set_text (GTK_EDITABLE (self->repeat_row), "");
      gtk_widget_grab_focus (GTK_WIDGET (self->repeat_row));
      return;
    }
  /* argon2id takes a moment; short enough here (one hash and one check)
   * not to need a worker thread as sign-in does. */
  if (!rs_store_change_pin (store, person->id, self->forced ? NULL : current, new_pin, &error))
    {
      set_message (self, error->message);
      return;
    }
  set_message (self, NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->current_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->new_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->repeat_row), "");
  self->forced = FALSE;
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

void
rs_change_pin_page_start (RsChangePinPage *self, gboolean forced)
{
  g_return_if_fail (RS_IS_CHANGE_PIN_PAGE (self));
  self->forced = forced;
  set_message (self, NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->current_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->new_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->repeat_row), "");
  gtk_widget_set_visible (GTK_WIDGET (self->current_group), !forced);
  gtk_label_set_text (self->title_label, forced ? _("Choose Your Own PIN") : _("Change Your PIN"));
  gtk_label_set_text (self->description_label,
                      forced ? _("You signed in with a one-time PIN that an administrator made. Choose a PIN only you know before you go on.")
                             : _("Enter your current PIN, then the new one twice."));
}

gboolean
rs_change_pin_page_get_forced (RsChangePinPage *self)
{
  g_return_val_if_fail (RS_IS_CHANGE_PIN_PAGE (self), FALSE);
  return self->forced;
}

const char *
rs_change_pin_page_get_message (RsChangePinPage *self)
{
  g_return_val_if_fail (RS_IS_CHANGE_PIN_PAGE (self), NULL);
  return self->message;
}

/* Nothing of the last person's PINs stays. */
static void
rs_change_pin_page_clear (RsPage *page)
{
  rs_change_pin_page_start (RS_CHANGE_PIN_PAGE (page), FALSE);
}

static void
rs_change_pin_page_finalize (GObject *object)
{
  g_free (RS_CHANGE_PIN_PAGE (object)->message);
  G_OBJECT_CLASS (rs_change_pin_page_parent_class)->finalize (object);
}

static void
rs_change_pin_page_class_init (RsChangePinPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  RsPageClass *page_class = RS_PAGE_CLASS (klass);

  object_class->finalize = rs_change_pin_page_finalize;
  page_class->clear = rs_change_pin_page_clear;

  /* RsChangePinPage::changed: the new PIN is stored. */
  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_install_action (widget_class, "change-pin.submit", NULL, submit_action);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/reskill/Reskill/ui/rs-change-pin-page.ui");
  gtk_widget_class_bind_template_child (widget_class, RsChangePinPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, RsChangePinPage, description_label);
  gtk_widget_class_bind_template_child (widget_class, RsChangePinPage, current_group);
  gtk_widget_class_bind_template_child (widget_class, RsChangePinPage, current_row);
  gtk_widget_class_bind_template_child (widget_class, RsChangePinPage, new_row);
  gtk_widget_class_bind_template_child (widget_class, RsChangePinPage, repeat_row);
  gtk_widget_class_bind_template_child (widget_class, RsChangePinPage, message_label);
}

static void
on_entry_activated (RsChangePinPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "change-pin.submit", NULL);
}

static void
rs_change_pin_page_init (RsChangePinPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* Enter in the last field saves, as the button does. */
  g_signal_connect_swapped (self->repeat_row, "entry-activated", G_CALLBACK (on_entry_activated), self);
  rs_change_pin_page_start (self, FALSE);
}

GtkWidget *
rs_change_pin_page_new (void)
{
  return g_object_new (RS_TYPE_CHANGE_PIN_PAGE, NULL);
}
