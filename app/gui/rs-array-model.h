/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A GListModel over a GPtrArray of plain structs (people, teams, item
 * statistics, calibration rows, report members), so a list widget can be
 * bound to what the core returns without copying it into objects first: a
 * GtkListView asks only for the rows it shows. Each item holds a reference
 * on the array its struct lives in, so a row keeps what it shows alive
 * even when the model has moved on to a new array. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define RS_TYPE_ARRAY_ITEM (rs_array_item_get_type ())
G_DECLARE_FINAL_TYPE (RsArrayItem, rs_array_item, RS, ARRAY_ITEM, GObject)

/* The struct, as the array holds it. */
gpointer rs_array_item_get (RsArrayItem *self);
/* Its position in the array it came from. */
guint rs_array_item_get_position (RsArrayItem *self);

#define RS_TYPE_ARRAY_MODEL (rs_array_model_get_type ())
G_DECLARE_FINAL_TYPE (RsArrayModel, rs_array_model, RS, ARRAY_MODEL, GObject)

RsArrayModel *rs_array_model_new (void);
/* Shows array (referenced; NULL: nothing), with one items-changed. */
void rs_array_model_set_array (RsArrayModel *self, GPtrArray *array);
/* The same, for an array that only points into owner (a calibration's
 * items, sorted for review): owner is freed with owner_free when neither
 * the model nor any item needs it any more. */
void rs_array_model_set_array_full (RsArrayModel *self, GPtrArray *array, gpointer owner, GDestroyNotify owner_free);
/* NULL when empty. */
GPtrArray *rs_array_model_get_array (RsArrayModel *self);
/* The index-th struct, or NULL. */
gpointer rs_array_model_get (RsArrayModel *self, guint index);

G_END_DECLS
