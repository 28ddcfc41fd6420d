/* SPDX-License-Identifier: GPL-3.0-or-later */
/* "Still there?": the kiosk's idle warning with a visible countdown. It is
 * drawn inside the window, over a dimmed page, rather than as a separate
 * toplevel: a kiosk compositor has no window manager to stack it, and the
 * window's own input watcher sees every touch on it. Emits ::continue
 * ("I'm still here") and ::sign-out ("Sign out now"). */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define RS_TYPE_IDLE_DIALOG (rs_idle_dialog_get_type ())
G_DECLARE_FINAL_TYPE (RsIdleDialog, rs_idle_dialog, RS, IDLE_DIALOG, AdwBin)

GtkWidget *rs_idle_dialog_new (void);
void rs_idle_dialog_set_seconds_left (RsIdleDialog *self, guint seconds);
/* A guest is told the session ends; a signed-in person that the answers
 * are kept. */
void rs_idle_dialog_set_guest (RsIdleDialog *self, gboolean guest);
guint rs_idle_dialog_get_seconds_left (RsIdleDialog *self);
void rs_idle_dialog_focus (RsIdleDialog *self);

G_END_DECLS
