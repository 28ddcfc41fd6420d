/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `reskill --bench-gui N`: answers N questions through the real window and
 * prints how long each took from the answer to the next question on screen,
 * durable commit included, and the start-up time to the first frame. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef struct {
  int n_questions;
  const char *questions_dir;
  const char *roles_path;
  int width;
  int height;
  gint64 created_at;      /* monotonic µs when the application was made */
} RsBenchOptions;

int rs_bench_gui_run (GtkApplication *app, const RsBenchOptions *options);

G_END_DECLS
