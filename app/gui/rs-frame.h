/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Waiting for what a person would see: the screenshot mode, the GUI
 * benchmark and the GUI tests all need "run the main loop until the window
 * has painted" and "save the window as a PNG". */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Runs the default main context until the window has painted a frame that
 * started after this call, or timeout_ms passed. Returns the monotonic time
 * (µs) at the end of that paint, or 0 on timeout. */
gint64 rs_frame_wait_painted (GtkWidget *window, int timeout_ms);
/* The same; force FALSE does not ask for a redraw, so it measures the frame
 * that what already changed brings (the benchmark). */
gint64 rs_frame_wait_next_paint (GtkWidget *window, int timeout_ms, gboolean force);

/* Runs the default main context for about ms milliseconds. */
void rs_frame_run_for (int ms);

/* Runs the main context until condition (polled after each iteration)
 * returns TRUE, or timeout_ms passed. */
gboolean rs_frame_wait_until (gboolean (*condition) (gpointer data), gpointer data, int timeout_ms);

/* The first descendant of root (depth first, root included) whose widget
 * name (gtk_widget_set_name, the templates' name property) is name. */
GtkWidget *rs_frame_find_widget (GtkWidget *root, const char *name);

/* Renders the window as it is now and saves it as PNG. */
gboolean rs_frame_save_png (GtkWidget *window, const char *path, GError **error);

/* Counts distinct colours in a PNG (up to limit): a blank or failed
 * rendering has one or two. */
guint rs_frame_count_colors (const char *path, guint limit, GError **error);

G_END_DECLS
