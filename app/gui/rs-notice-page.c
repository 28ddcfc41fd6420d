/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The notice's words are all the core's (rs-privacy.c builds them from the
 * policy in force, so that what the page says is what the access rules
 * do); this page lays them out and records the confirmation. The version
 * confirmed is the one shown: when an administrator changes the policy
 * while the page is open the core refuses, and the page shows the new
 * text with the core's message, rather than recording a confirmation of
 * words the person never saw. */
#include "rs-notice-page.h"

#include <glib/gi18n-lib.h>

#include "rs-error.h"
#include "rs-privacy.h"

struct _RsNoticePage
{
  RsPage parent_instance;

  gint64 version;
  char *text;
  char *message;

  GtkLabel *title_label;
  GtkBox *sections_box;
  GtkLabel *message_label;
  GtkWidget *confirm_button;
};

G_DEFINE_FINAL_TYPE (RsNoticePage, rs_notice_page, RS_TYPE_PAGE)

enum {
  SIGNAL_CONFIRMED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
set_message (RsNoticePage *self, const char *message)
{
  g_free (self->message);
  self->message = g_strdup (message);
  gtk_label_set_text (self->message_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), message != NULL);
}

static void
empty_sections (RsNoticePage *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->sections_box))) != NULL)
    gtk_box_remove (self->sections_box, child);
}

static GtkWidget *
section_label (const char *text, const char *style)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_selectable (GTK_LABEL (label), FALSE);
  if (style != NULL)
    gtk_widget_add_css_class (label, style);
  return label;
}

gboolean
rs_notice_page_refresh (RsNoticePage *self, GError **error)
{
  RsStore *store;
  const RsPerson *person;
  g_autoptr (RsNotice) notice = NULL;

  g_return_val_if_fail (RS_IS_NOTICE_PAGE (self), FALSE);
  store = rs_page_get_store (RS_PAGE (self));
  person = rs_page_get_person (RS_PAGE (self));
  if (store == NULL)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_INVALID, "%s", _("No database is open."));
      return FALSE;
    }
  notice = rs_privacy_notice (store, person, error);
  if (notice == NULL)
    return FALSE;

  empty_sections (self);
  self->version = notice->version;
  g_free (self->text);
  self->text = rs_notice_to_text (notice);
  gtk_label_set_text (self->title_label, notice->title);
  for (guint i = 0; i < notice->sections->len; i++)
    {
      const RsNoticeSection *section = g_ptr_array_index (notice->sections, i);
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
      GtkWidget *heading = section_label (section->heading, "heading");
      g_auto (GStrv) paragraphs = g_strsplit (section->body, "\n\n", -1);

      gtk_box_append (GTK_BOX (box), heading);
      for (guint p = 0; paragraphs[p] != NULL; p++)
        if (*g_strstrip (paragraphs[p]) != '\0')
          {
            GtkWidget *body = section_label (paragraphs[p], NULL);

            gtk_box_append (GTK_BOX (box), body);
            /* A screen reader hears each paragraph as part of its section. */
            gtk_accessible_update_relation (GTK_ACCESSIBLE (body), GTK_ACCESSIBLE_RELATION_LABELLED_BY, heading, NULL,
                                            -1);
          }
      gtk_box_append (self->sections_box, box);
    }
  set_message (self, NULL);
  return TRUE;
}

static void
confirm_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  RsNoticePage *self = RS_NOTICE_PAGE (widget);
  RsStore *store = rs_page_get_store (RS_PAGE (self));
  const RsPerson *person = rs_page_get_person (RS_PAGE (self));
  g_autoptr (GError) error = NULL;

  if (store == NULL || person == NULL || self->version <= 0)
    return;
  if (!rs_privacy_confirm_notice (store, person, self->version, &error))
    {
      g_autofree char *message = g_strdup (error->message);
      g_autoptr (GError) refresh_error = NULL;

      /* The policy changed under the page: show what is in force now,
       * and say why the text changed. */
      if (g_error_matches (error, RS_ERROR, RS_ERROR_INVALID) && !rs_notice_page_refresh (self, &refresh_error))
        g_warning ("The privacy notice cannot be made again: %s", refresh_error->message);
      set_message (self, message);
      return;
    }
  set_message (self, NULL);
  g_signal_emit (self, signals[SIGNAL_CONFIRMED], 0);
}

gint64
rs_notice_page_get_version (RsNoticePage *self)
{
  g_return_val_if_fail (RS_IS_NOTICE_PAGE (self), 0);
  return self->version;
}

const char *
rs_notice_page_get_text (RsNoticePage *self)
{
  g_return_val_if_fail (RS_IS_NOTICE_PAGE (self), NULL);
  return self->text;
}

const char *
rs_notice_page_get_message (RsNoticePage *self)
{
  g_return_val_if_fail (RS_IS_NOTICE_PAGE (self), NULL);
  return self->message;
}

/* Nothing of the last person's notice (their team's policy) stays. */
static void
rs_notice_page_clear (RsPage *page)
{
  RsNoticePage *self = RS_NOTICE_PAGE (page);

  empty_sections (self);
  self->version = 0;
  g_clear_pointer (&self->text, g_free);
  gtk_label_set_text (self->title_label, "");
  set_message (self, NULL);
}

static void
rs_notice_page_finalize (GObject *object)
{
  RsNoticePage *self = RS_NOTICE_PAGE (object);

  g_free (self->text);
  g_free (self->message);
  G_OBJECT_CLASS (rs_notice_page_parent_class)->finalize (object);
}

static void
rs_notice_page_class_init (RsNoticePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  RsPageClass *page_class = RS_PAGE_CLASS (klass);

  object_class->finalize = rs_notice_page_finalize;
  page_class->clear = rs_notice_page_clear;

  /* RsNoticePage::confirmed: the confirmation of the version shown is
   * recorded. */
  signals[SIGNAL_CONFIRMED] =
    g_signal_new ("confirmed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_install_action (widget_class, "notice.confirm", NULL, confirm_action);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/reskill/Reskill/ui/rs-notice-page.ui");
  gtk_widget_class_bind_template_child (widget_class, RsNoticePage, title_label);
  gtk_widget_class_bind_template_child (widget_class, RsNoticePage, sections_box);
  gtk_widget_class_bind_template_child (widget_class, RsNoticePage, message_label);
  gtk_widget_class_bind_template_child (widget_class, RsNoticePage, confirm_button);
}

static void
rs_notice_page_init (RsNoticePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  set_message (self, NULL);
}

GtkWidget *
rs_notice_page_new (void)
{
  return g_object_new (RS_TYPE_NOTICE_PAGE, NULL);
}
