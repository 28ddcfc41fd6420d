/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Text that is written in the reader's language or, for records that must
 * read the same in every language, in English: the CSV exports (machine
 * readable, the same bytes whatever the locale) and the audit log's
 * details (log text, like the program's log). One function builds both,
 * so the two cannot drift apart. xgettext knows these two as keywords
 * (po/meson.build). */
#pragma once

#include <glib/gi18n-lib.h>

G_BEGIN_DECLS

G_GNUC_FORMAT (2) static inline const char *
rs_maybe_gettext (gboolean translate, const char *message)
{
  return translate ? g_dgettext (GETTEXT_PACKAGE, message) : message;
}

G_GNUC_FORMAT (3) static inline const char *
rs_maybe_ngettext (gboolean translate, const char *singular, const char *plural, gulong n)
{
  return translate ? g_dngettext (GETTEXT_PACKAGE, singular, plural, n) : n == 1 ? singular : plural;
}

G_END_DECLS
