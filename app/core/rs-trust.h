/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Which kiosks this database accepts signed results from.
 *
 * A kiosk is known by the fingerprint of its public key (rs-kiosk-key.h).
 * An administrator trusts it after comparing that fingerprint with the one
 * the other kiosk shows (`reskill kiosk show-key` there), either by typing
 * the fingerprint or by giving its public key file; from then on its
 * signed bundles are accepted, until it is revoked. A revoked kiosk stays
 * listed, with when and by whom, so that its bundles are refused with that
 * reason rather than as unknown; trusting it again lifts the revocation.
 * This kiosk's own key is always trusted.
 *
 * viewer NULL stands for the operator at the terminal who owns the
 * database file; otherwise the viewer must be an administrator. Every
 * change is audited. */
#pragma once

#include "rs-kiosk-key.h"
#include "rs-store.h"

G_BEGIN_DECLS

typedef enum {
  RS_TRUST_UNKNOWN,
  RS_TRUST_TRUSTED,
  RS_TRUST_REVOKED,
  RS_TRUST_SELF,            /* this kiosk's own key */
} RsTrustState;

typedef struct {
  char *fingerprint;
  char *public_key;         /* hex; NULL until a key file or a bundle showed it */
  char *name;               /* may be NULL */
  gint64 trusted_at;        /* unix µs */
  gint64 revoked_at;        /* 0: in force */
} RsTrustedKiosk;

void rs_trusted_kiosk_free (RsTrustedKiosk *kiosk);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RsTrustedKiosk, rs_trusted_kiosk_free)

/* fingerprint_or_file: a fingerprint as typed, or the path of a public key
 * file (which also gives the key). name may be NULL (a key file's kiosk id
 * is used then). Trusting this kiosk's own key is refused. *fingerprint
 * (may be NULL) receives the canonical fingerprint. */
gboolean rs_trust_kiosk (RsStore *store, const RsPerson *viewer, const char *fingerprint_or_file,
                         const char *name, char **fingerprint, GError **error);
/* what: a fingerprint or a name given when trusting. RS_ERROR_NOT_FOUND
 * when no trusted kiosk matches. */
gboolean rs_trust_revoke (RsStore *store, const RsPerson *viewer, const char *what, char **fingerprint,
                          GError **error);
/* Every kiosk ever trusted, revoked ones included, by name then fingerprint. */
GPtrArray *rs_trust_list (RsStore *store, const RsPerson *viewer, GError **error);

/* The state of a public key here, and its entry (NULL for SELF and
 * UNKNOWN) in *entry (may be NULL). Records the key itself the first time
 * a trusted fingerprint's key is seen. */
gboolean rs_trust_lookup (RsStore *store, const guint8 public_key[RS_KIOSK_KEY_PUBLIC_BYTES],
                          RsTrustState *state, RsTrustedKiosk **entry, GError **error);

/* "reskill kiosk trust 3f2a-...": what to say when a key is not trusted. */
char *rs_trust_describe_refusal (RsTrustState state, const RsTrustedKiosk *entry, const char *fingerprint);

G_END_DECLS
