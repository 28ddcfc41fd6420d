/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The paint is observed through the frame clock's ::after-paint, which
 * fires once GSK has rendered the frame; with the X11 backend that is the
 * moment the pixels go to the server. */
#include "rs-frame.h"

#include <string.h>

#include "rs-error.h"

typedef struct {
  gint64 painted_at;
} PaintWait;

static void
on_after_paint (GdkFrameClock *clock, PaintWait *wait)
{
  if (wait->painted_at == 0)
    wait->painted_at = g_get_monotonic_time ();
}

gint64
rs_frame_wait_painted (GtkWidget *window, int timeout_ms)
{
  return rs_frame_wait_next_paint (window, timeout_ms, TRUE);
}

gint64
rs_frame_wait_next_paint (GtkWidget *window, int timeout_ms, gboolean force)
{
  PaintWait wait = { 0 };
  GdkFrameClock *clock = gtk_widget_get_frame_clock (window);
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  gulong handler;

  if (clock == NULL)
    return 0;
  /* Connected before anything runs, so a frame already due is the one
   * measured, not the one after it. */
  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), &wait);
  if (force)
    gtk_widget_queue_draw (window);
  while (wait.painted_at == 0 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_signal_handler_disconnect (clock, handler);
  return wait.painted_at;
}

static gboolean
on_timeout (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

void
rs_frame_run_for (int ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, on_timeout, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

gboolean
rs_frame_wait_until (gboolean (*condition) (gpointer data), gpointer data, int timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (!condition (data))
    {
      if (g_get_monotonic_time () >= deadline)
        return FALSE;
      /* Never block: a worker thread's result arrives as an idle source,
       * but a bounded sleep keeps the loop from spinning. */
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
  return TRUE;
}

GtkWidget *
rs_frame_find_widget (GtkWidget *root, const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (root), name) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = rs_frame_find_widget (child, name);
      if (found != NULL)
        return found;
    }
  return NULL;
}

gboolean
rs_frame_save_png (GtkWidget *window, const char *path, GError **error)
{
  g_autoptr (GdkPaintable) paintable = gtk_widget_paintable_new (window);
  g_autoptr (GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr (GskRenderNode) node = NULL;
  g_autoptr (GdkTexture) texture = NULL;
  GskRenderer *renderer;
  graphene_rect_t bounds;
  int width = gtk_widget_get_width (window);
  int height = gtk_widget_get_height (window);

  if (width <= 0 || height <= 0)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_FAILED, "the window has no size yet");
      return FALSE;
    }
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  if (node == NULL)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_FAILED, "the window drew nothing");
      return FALSE;
    }
  renderer = gtk_native_get_renderer (GTK_NATIVE (window));
  graphene_rect_init (&bounds, 0, 0, width, height);
  texture = gsk_renderer_render_texture (renderer, node, &bounds);
  if (!gdk_texture_save_to_png (texture, path))
    {
      g_set_error (error, RS_ERROR, RS_ERROR_IO, "cannot write %s", path);
      return FALSE;
    }
  return TRUE;
}

guint
rs_frame_count_colors (const char *path, guint limit, GError **error)
{
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GdkTexture) texture = gdk_texture_new_from_file (file, error);
  g_autoptr (GHashTable) colors = NULL;
  g_autofree guchar *pixels = NULL;
  int width, height;
  gsize stride;

  if (texture == NULL)
    return 0;
  width = gdk_texture_get_width (texture);
  height = gdk_texture_get_height (texture);
  stride = (gsize) width * 4;
  pixels = g_malloc (stride * height);
  gdk_texture_download (texture, pixels, stride);
  colors = g_hash_table_new (g_direct_hash, g_direct_equal);
  for (int y = 0; y < height && g_hash_table_size (colors) < limit; y++)
    for (int x = 0; x < width; x++)
      {
        guint32 pixel;

        memcpy (&pixel, pixels + y * stride + x * 4, 4);
        g_hash_table_add (colors, GUINT_TO_POINTER (pixel));
      }
  return g_hash_table_size (colors);
}
