/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Checks what a person can fix on the spot (empty fields, PINs that differ)
 * before asking the store, which has the last word (duplicates, I/O). On
 * success emits ::created and the window moves on. */
#include "rs-first-run-page.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "rs-error.h"

/* An administrator's PIN also unlocks kiosk mode: longer than an employee's. */
#define MIN_ADMIN_PIN 6

struct _RsFirstRunPage
{
  RsPage parent_instance;

  AdwEntryRow *name_row;
  AdwEntryRow *number_row;
  AdwEntryRow *pin_row;
  AdwEntryRow *pin_again_row;
  AdwEntryRow *code_row;
  GtkLabel *error_label;
};

G_DEFINE_FINAL_TYPE (RsFirstRunPage, rs_first_run_page, RS_TYPE_PAGE)

enum {
  SIGNAL_CREATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
show_error (RsFirstRunPage *self, const char *message)
{
  gtk_label_set_text (self->error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static RsStore *
context_store (RsFirstRunPage *self)
{
  RsContext *context = rs_page_get_context (RS_PAGE (self));

  return context != NULL ? rs_context_get_store (context) : NULL;
}

static gboolean
all_digits (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  return TRUE;
}

static void
create_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  RsFirstRunPage *self = RS_FIRST_RUN_PAGE (widget);
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row))));
  g_autofree char *number = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->number_row))));
  const char *pin = gtk_editable_get_text (GTK_EDITABLE (self->pin_row));
  const char *pin_again = gtk_editable_get_text (GTK_EDITABLE (self->pin_again_row));
  g_autoptr (GError) error = NULL;
  RsStore *store;
  gint64 person_id = 0;

  if (*name == '\0' || *number == '\0')
    {
      show_error (self, _("Enter a name and an employee number."));
      return;
    }
  if (strlen (pin) < MIN_ADMIN_PIN || !all_digits (pin))
    {
      show_error (self, _("The PIN must be at least six digits, and only digits."));
      return;
    }
  if (g_strcmp0 (pin, pin_again) != 0)
    {
      show_error (self, _("The two PINs differ. Type the same PIN twice."));
      return;
    }

  store = context_store (self);
  if (store == NULL)
    {
      show_error (self, _("There is no database to write to."));
      return;
    }
  /* The store decides, in the same transaction that writes: no admin yet,
   * and no people or the set-up code printed at the terminal. */
  if (!rs_store_create_first_admin (store, number, name, pin,
                                    gtk_widget_get_visible (GTK_WIDGET (self->code_row))
                                      ? gtk_editable_get_text (GTK_EDITABLE (self->code_row)) : NULL,
                                    &person_id, &error))
    {
      g_autofree char *message = g_strdup_printf (_("The administrator was not created: %s"), error->message);
      show_error (self, message);
      return;
    }

  show_error (self, NULL);
  /* Nothing of the PIN stays on screen for the next person. */
  gtk_editable_set_text (GTK_EDITABLE (self->pin_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->pin_again_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->code_row), "");
  g_signal_emit (self, signals[SIGNAL_CREATED], 0, person_id);
}

static void
on_changed (RsFirstRunPage *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
}

static void
on_entry_activated (RsFirstRunPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "first-run.create", NULL);
}

/* The set-up code is asked for only on a database that has people. */
static void
rs_first_run_page_map (GtkWidget *widget)
{
  RsFirstRunPage *self = RS_FIRST_RUN_PAGE (widget);
  RsStore *store = context_store (self);

  gtk_widget_set_visible (GTK_WIDGET (self->code_row),
                          store != NULL && rs_store_first_run (store) == RS_FIRST_RUN_CODE);
  GTK_WIDGET_CLASS (rs_first_run_page_parent_class)->map (widget);
}

static void
rs_first_run_page_class_init (RsFirstRunPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  widget_class->map = rs_first_run_page_map;

  /* RsFirstRunPage::created: the administrator exists now (their id). */
  signals[SIGNAL_CREATED] =
    g_signal_new ("created", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);

  gtk_widget_class_install_action (widget_class, "first-run.create", NULL, create_action);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/reskill/Reskill/ui/rs-first-run-page.ui");
  gtk_widget_class_bind_template_child (widget_class, RsFirstRunPage, name_row);
  gtk_widget_class_bind_template_child (widget_class, RsFirstRunPage, number_row);
  gtk_widget_class_bind_template_child (widget_class, RsFirstRunPage, pin_row);
  gtk_widget_class_bind_template_child (widget_class, RsFirstRunPage, pin_again_row);
  gtk_widget_class_bind_template_child (widget_class, RsFirstRunPage, code_row);
  gtk_widget_class_bind_template_child (widget_class, RsFirstRunPage, error_label);
  gtk_widget_class_bind_template_callback (widget_class, on_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activated);
}

static void
rs_first_run_page_init (RsFirstRunPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
rs_first_run_page_new (void)
{
  return g_object_new (RS_TYPE_FIRST_RUN_PAGE, NULL);
}
