/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Items are made when asked for (g_list_model_get_item) and not cached: a
 * list view keeps the few it shows, and 10,000 people cost 10,000 pointers
 * in the array, not 10,000 objects. */
#include "rs-array-model.h"

/* What an array's structs live in: the array, and whatever owns the
 * structs when the array only points at them. Shared by the model and
 * every item it gave out (g_rc_box). */
typedef struct {
  GPtrArray *array;
  gpointer owner;
  GDestroyNotify owner_free;
} Source;

static void
source_clear (gpointer data)
{
  Source *source = data;

  g_ptr_array_unref (source->array);
  if (source->owner_free != NULL)
    source->owner_free (source->owner);
}

static void
source_release (Source *source)
{
  g_rc_box_release_full (source, source_clear);
}

struct _RsArrayItem
{
  GObject parent_instance;

  Source *source;                  /* holds the struct alive */
  guint position;
};

G_DEFINE_FINAL_TYPE (RsArrayItem, rs_array_item, G_TYPE_OBJECT)

static void
rs_array_item_finalize (GObject *object)
{
  RsArrayItem *self = RS_ARRAY_ITEM (object);

  source_release (self->source);
  G_OBJECT_CLASS (rs_array_item_parent_class)->finalize (object);
}

static void
rs_array_item_class_init (RsArrayItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = rs_array_item_finalize;
}

static void
rs_array_item_init (RsArrayItem *self)
{
}

gpointer
rs_array_item_get (RsArrayItem *self)
{
  g_return_val_if_fail (RS_IS_ARRAY_ITEM (self), NULL);
  return g_ptr_array_index (self->source->array, self->position);
}

guint
rs_array_item_get_position (RsArrayItem *self)
{
  g_return_val_if_fail (RS_IS_ARRAY_ITEM (self), 0);
  return self->position;
}

struct _RsArrayModel
{
  GObject parent_instance;

  Source *source;                  /* NULL: empty */
};

static void rs_array_model_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (RsArrayModel, rs_array_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, rs_array_model_list_model_init))

static GType
rs_array_model_get_item_type (GListModel *model)
{
  return RS_TYPE_ARRAY_ITEM;
}

static guint
rs_array_model_get_n_items (GListModel *model)
{
  RsArrayModel *self = RS_ARRAY_MODEL (model);

  return self->source != NULL ? self->source->array->len : 0;
}

static gpointer
rs_array_model_get_item (GListModel *model, guint position)
{
  RsArrayModel *self = RS_ARRAY_MODEL (model);
  RsArrayItem *item;

  if (self->source == NULL || position >= self->source->array->len)
    return NULL;
  item = g_object_new (RS_TYPE_ARRAY_ITEM, NULL);
  item->source = g_rc_box_acquire (self->source);
  item->position = position;
  return item;
}

static void
rs_array_model_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = rs_array_model_get_item_type;
  iface->get_n_items = rs_array_model_get_n_items;
  iface->get_item = rs_array_model_get_item;
}

static void
rs_array_model_finalize (GObject *object)
{
  RsArrayModel *self = RS_ARRAY_MODEL (object);

  g_clear_pointer (&self->source, source_release);
  G_OBJECT_CLASS (rs_array_model_parent_class)->finalize (object);
}

static void
rs_array_model_class_init (RsArrayModelClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = rs_array_model_finalize;
}

static void
rs_array_model_init (RsArrayModel *self)
{
}

RsArrayModel *
rs_array_model_new (void)
{
  return g_object_new (RS_TYPE_ARRAY_MODEL, NULL);
}

void
rs_array_model_set_array_full (RsArrayModel *self, GPtrArray *array, gpointer owner, GDestroyNotify owner_free)
{
  guint removed, added;
  Source *old;

  g_return_if_fail (RS_IS_ARRAY_MODEL (self));
  removed = g_list_model_get_n_items (G_LIST_MODEL (self));
  added = array != NULL ? array->len : 0;
  old = g_steal_pointer (&self->source);
  if (array != NULL)
    {
      self->source = g_rc_box_new0 (Source);
      self->source->array = g_ptr_array_ref (array);
      self->source->owner = owner;
      self->source->owner_free = owner_free;
    }
  else if (owner_free != NULL)
    owner_free (owner);
  if (removed > 0 || added > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, added);
  /* After the change: the rows that showed the old structs are gone. */
  if (old != NULL)
    source_release (old);
}

void
rs_array_model_set_array (RsArrayModel *self, GPtrArray *array)
{
  rs_array_model_set_array_full (self, array, NULL, NULL);
}

GPtrArray *
rs_array_model_get_array (RsArrayModel *self)
{
  g_return_val_if_fail (RS_IS_ARRAY_MODEL (self), NULL);
  return self->source != NULL ? self->source->array : NULL;
}

gpointer
rs_array_model_get (RsArrayModel *self, guint index)
{
  g_return_val_if_fail (RS_IS_ARRAY_MODEL (self), NULL);
  if (self->source == NULL || index >= self->source->array->len)
    return NULL;
  return g_ptr_array_index (self->source->array, index);
}
