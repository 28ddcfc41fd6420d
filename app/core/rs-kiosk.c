/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "rs-kiosk.h"

RsPerson *
rs_kiosk_authorize_exit (RsStore *store, const char *employee_no, const char *pin,
                         int *retry_after_seconds, GError **error)
{
  g_autoptr (RsPerson) person = rs_store_authenticate_role (store, employee_no, pin, RS_PERSON_ADMIN,
                                                            retry_after_seconds, error);

  if (person == NULL || !rs_store_audit (store, person->id, "kiosk-exit", NULL, error))
    return NULL;
  return g_steal_pointer (&person);
}
