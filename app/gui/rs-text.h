/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Text from the bank, made ready for a label. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The bank's YAML block scalars keep the author's line breaks; a label
 * should wrap to its own width instead. Joins lines within a paragraph,
 * keeps blank lines between paragraphs and trims the end. */
char *rs_text_reflow (const char *text);

/* Bank text as Pango markup for a label: everything escaped, and each
 * `code` span (between a pair of backticks, as the bank's authors write it)
 * in a monospace font without its backticks. An unpaired backtick is kept
 * as written. */
char *rs_text_markup_code (const char *text);

/* The same text for places that take no markup (row titles): the pairs of
 * backticks dropped, the code kept. */
char *rs_text_strip_code (const char *text);

G_END_DECLS
