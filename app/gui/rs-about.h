/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The About window, filled in from the AppStream metainfo compiled into the
 * program (what adw_about_window_new_from_appdata() does from libadwaita
 * 1.4 on; Debian 12 has 1.2). */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* What the About window takes from the metainfo, in the language of the
 * environment where the metainfo has it (xml:lang), else in English. */
typedef struct {
  char *name;
  char *summary;
  char *developer_name;
  char *project_license;   /* SPDX, such as GPL-3.0-or-later */
  char *homepage;
  char *bugtracker;
  char *release_notes;     /* the release of this version, as AdwAboutWindow markup; NULL without one */
} RsAboutInfo;

/* Reads the metainfo at resource_path; the release notes are those of
 * version. FALSE with error when the resource is missing or not well
 * formed, or lacks a name. */
gboolean rs_about_info_load (RsAboutInfo *info, const char *resource_path, const char *version, GError **error);
/* The same from text, for the languages given (most wanted first, as
 * g_get_language_names() lists them). */
gboolean rs_about_info_parse (RsAboutInfo *info, const char *xml, gssize length, const char *version,
                              const char *const *languages, GError **error);
void rs_about_info_clear (RsAboutInfo *info);

/* A new About window for this program, transient for parent (may be NULL). */
GtkWindow *rs_about_window_new (GtkWindow *parent);

G_END_DECLS
