/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One field of a CSV file being written (RFC 4180), for every CSV Reskill
 * writes: the team report, a person's data export, training needs.
 * libcsv has a writer too (csv_fwrite), but it always quotes and writes to
 * a FILE; these files are built in memory and compared byte for byte in
 * tests, so the few lines are kept here, once. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Appends text (NULL: an empty field), quoted when it holds a comma, a
 * quote or a line break, quotes inside doubled. */
void rs_csv_append_field (GString *out, const char *text);

/* The same for text a person typed (a name, an id from a YAML file): when
 * it is not quoted and starts with = + - @, a tab or a carriage return, a
 * ' goes first, so that a spreadsheet does not run it as a formula. */
void rs_csv_append_text_field (GString *out, const char *text);

G_END_DECLS
