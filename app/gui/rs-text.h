/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Text from the bank, made ready for a label. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The bank's YAML block scalars keep the author's line breaks; a label
 * should wrap to its own width instead. Joins lines within a paragraph,
 * keeps blank lines between paragraphs and trims the end. */
char *rs_text_reflow (const char *text);

G_END_DECLS
