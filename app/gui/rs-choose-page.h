/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Choosing an assessment: all four skills or some, the length mode with an
 * honest estimate of time and precision, and an optional self-estimate per
 * skill. Starting or resuming puts the assessment in the context and emits
 * ::started. */
#pragma once

#include <adwaita.h>

#include "rs-page.h"

G_BEGIN_DECLS

#define RS_TYPE_CHOOSE_PAGE (rs_choose_page_get_type ())
G_DECLARE_FINAL_TYPE (RsChoosePage, rs_choose_page, RS, CHOOSE_PAGE, RsPage)

GtkWidget *rs_choose_page_new (void);
/* Re-reads who is signed in and whether an attempt can be resumed. */
void rs_choose_page_refresh (RsChoosePage *self);

/* For tests and the screenshot mode: the same as clicking the rows. */
void rs_choose_page_select (RsChoosePage *self, const gboolean skills[RS_N_SKILLS], RsMode mode);
void rs_choose_page_set_self_level (RsChoosePage *self, RsSkill skill, RsLevel level);

/* The per-mode estimates are worked out in the background; TRUE once they
 * are all on screen (the screenshot mode waits for it). */
gboolean rs_choose_page_forecasts_ready (RsChoosePage *self);

G_END_DECLS
