/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Linked into the test programs, `reskill-test` and the benchmark only,
 * never into the installed `reskill`: with this symbol present the store
 * honours RESKILL_FAST_KDF=1 and hashes PINs at libsodium's minimum cost,
 * because the suite hashes hundreds. In the product the symbol is absent
 * (a weak reference in rs-store.c), so no environment variable can make a
 * kiosk store weak hashes. */
#include <glib.h>

extern const gboolean rs_fast_kdf_linked;
const gboolean rs_fast_kdf_linked = TRUE;
