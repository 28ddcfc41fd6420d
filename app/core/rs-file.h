/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Reading a file that came from elsewhere (a question file, the roles, a
 * people list, a kiosk key): only a regular file, and never more than a
 * limit. A FIFO named like a question file would block a read for ever and
 * a link to /dev/zero would read until memory runs out; both are refused
 * before a byte is read. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Reads the whole of path into *contents (NUL-terminated; *length may be
 * NULL). Refuses (RS_ERROR_IO, "path: message") anything that is not a
 * regular file once opened, and a file larger than max_size, read as at most
 * max_size + 1 bytes so that a file that grows while read is caught too.
 * what names the kind of file for the message ("question file"). */
gboolean rs_file_read_regular (const char *path, gsize max_size, const char *what, char **contents,
                               gsize *length, GError **error);

G_END_DECLS
