/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The sections of a page are not referenced: they are descendants of the
 * page (template children), so they live exactly as long as it does, and
 * the list is emptied at dispose before GTK takes the children down. */
#include "rs-page.h"

#include "rs-a11y.h"
#include "rs-dialogs.h"

typedef struct
{
  RsContext *context;
  GPtrArray *sections;             /* RsPage *, not owned */
} RsPagePrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (RsPage, rs_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_CONTEXT,
  N_PROPS
};

enum {
  SIGNAL_TOAST,
  SIGNAL_ERROR,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

RsContext *
rs_page_get_context (RsPage *self)
{
  RsPagePrivate *priv;

  g_return_val_if_fail (RS_IS_PAGE (self), NULL);
  priv = rs_page_get_instance_private (self);
  return priv->context;
}

void
rs_page_set_context (RsPage *self, RsContext *context)
{
  RsPagePrivate *priv;

  g_return_if_fail (RS_IS_PAGE (self));
  g_return_if_fail (context == NULL || RS_IS_CONTEXT (context));
  priv = rs_page_get_instance_private (self);
  if (!g_set_object (&priv->context, context))
    return;
  for (guint i = 0; i < priv->sections->len; i++)
    rs_page_set_context (g_ptr_array_index (priv->sections, i), context);
  if (RS_PAGE_GET_CLASS (self)->context_changed != NULL)
    RS_PAGE_GET_CLASS (self)->context_changed (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONTEXT]);
}

RsStore *
rs_page_get_store (RsPage *self)
{
  RsContext *context = rs_page_get_context (self);

  return context != NULL ? rs_context_get_store (context) : NULL;
}

const RsBank *
rs_page_get_bank (RsPage *self)
{
  RsContext *context = rs_page_get_context (self);

  return context != NULL ? rs_context_get_bank (context) : NULL;
}

const RsPerson *
rs_page_get_person (RsPage *self)
{
  RsContext *context = rs_page_get_context (self);

  return context != NULL ? rs_context_get_person (context) : NULL;
}

void
rs_page_clear (RsPage *self)
{
  RsPagePrivate *priv;

  g_return_if_fail (RS_IS_PAGE (self));
  priv = rs_page_get_instance_private (self);
  if (RS_PAGE_GET_CLASS (self)->clear != NULL)
    RS_PAGE_GET_CLASS (self)->clear (self);
  for (guint i = 0; i < priv->sections->len; i++)
    rs_page_clear (g_ptr_array_index (priv->sections, i));
}

void
rs_page_toast (RsPage *self, const char *text)
{
  g_return_if_fail (RS_IS_PAGE (self));
  g_return_if_fail (text != NULL);
  g_signal_emit (self, signals[SIGNAL_TOAST], 0, text);
}

void
rs_page_error (RsPage *self, const char *heading, const char *message)
{
  gboolean shown = FALSE;

  g_return_if_fail (RS_IS_PAGE (self));
  g_return_if_fail (heading != NULL && message != NULL);
  g_signal_emit (self, signals[SIGNAL_ERROR], 0, heading, message, &shown);
  /* A page on its own (a test, the screenshot tool) still says it. */
  if (!shown)
    rs_dialog_message (GTK_WIDGET (self), "error-dialog", heading, message);
}

static void
on_section_toast (RsPage *self, const char *text)
{
  rs_page_toast (self, text);
}

static gboolean
on_section_error (RsPage *self, const char *heading, const char *message)
{
  gboolean shown = FALSE;

  g_signal_emit (self, signals[SIGNAL_ERROR], 0, heading, message, &shown);
  return shown;
}

void
rs_page_add_section (RsPage *self, RsPage *section)
{
  RsPagePrivate *priv;

  g_return_if_fail (RS_IS_PAGE (self));
  g_return_if_fail (RS_IS_PAGE (section) && section != self);
  g_return_if_fail (gtk_widget_is_ancestor (GTK_WIDGET (section), GTK_WIDGET (self)));
  priv = rs_page_get_instance_private (self);
  g_ptr_array_add (priv->sections, section);
  g_signal_connect_object (section, "toast", G_CALLBACK (on_section_toast), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (section, "error", G_CALLBACK (on_section_error), self, G_CONNECT_SWAPPED);
  rs_page_set_context (section, priv->context);
}

static void
rs_page_dispose (GObject *object)
{
  RsPage *self = RS_PAGE (object);
  RsPagePrivate *priv = rs_page_get_instance_private (self);

  g_ptr_array_set_size (priv->sections, 0);
  g_clear_object (&priv->context);
  G_OBJECT_CLASS (rs_page_parent_class)->dispose (object);
}

static void
rs_page_finalize (GObject *object)
{
  RsPagePrivate *priv = rs_page_get_instance_private (RS_PAGE (object));

  g_ptr_array_unref (priv->sections);
  G_OBJECT_CLASS (rs_page_parent_class)->finalize (object);
}

static void
rs_page_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  RsPage *self = RS_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, rs_page_get_context (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rs_page_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  RsPage *self = RS_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      rs_page_set_context (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rs_page_class_init (RsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = rs_page_dispose;
  object_class->finalize = rs_page_finalize;
  object_class->get_property = rs_page_get_property;
  object_class->set_property = rs_page_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, RS_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* RsPage::toast: a short message for the window's toast overlay. */
  signals[SIGNAL_TOAST] =
    g_signal_new ("toast", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  G_STRUCT_OFFSET (RsPageClass, toast),
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /* RsPage::error: something failed; heading and message for a dialog.
   * A handler that shows it returns TRUE. */
  signals[SIGNAL_ERROR] =
    g_signal_new ("error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  G_STRUCT_OFFSET (RsPageClass, error),
                  g_signal_accumulator_true_handled, NULL, NULL,
                  G_TYPE_BOOLEAN, 2, G_TYPE_STRING, G_TYPE_STRING);
}

static void
rs_page_init (RsPage *self)
{
  RsPagePrivate *priv = rs_page_get_instance_private (self);

  priv->sections = g_ptr_array_new ();
  /* On every map: pages make buttons in code after their template. */
  g_signal_connect (self, "map", G_CALLBACK (rs_a11y_fix_button_names), NULL);
}
