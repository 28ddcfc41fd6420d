/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The kiosk's attract screen, shown while nobody is at the machine: the
 * product's name and purpose and "touch to start". It shows nothing about
 * anybody. Emits ::start on any touch, click or key, and ::admin from its
 * corner button (leaving kiosk mode). */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define RS_TYPE_ATTRACT_PAGE (rs_attract_page_get_type ())
G_DECLARE_FINAL_TYPE (RsAttractPage, rs_attract_page, RS, ATTRACT_PAGE, AdwBin)

GtkWidget *rs_attract_page_new (void);
/* The organization's name above the product's; NULL or empty hides it. */
void rs_attract_page_set_organization (RsAttractPage *self, const char *name);
void rs_attract_page_focus (RsAttractPage *self);

G_END_DECLS
