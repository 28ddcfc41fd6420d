/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "rs-error.h"
#include "rs-kiosk.h"
#include <glib/gi18n-lib.h>



gboolean
rs_kiosk_authorize_exit (RsStore *store, const char *employee_no, const char *pin,
                         int *retry_after_seconds, GError **error)
{
  g_autoptr (RsPerson) person = rs_store_authenticate (store, employee_no, pin, retry_after_seconds, error);

  if (person == NULL)
    return FALSE;
  if (person->role != RS_PERSON_ADMIN)
    {
      g_set_error_literal (error, RS_ERROR, RS_ERROR_DENIED, _("Only an administrator can leave kiosk mode."));
      return FALSE;
    }
  return rs_store_audit (store, person->id, "kiosk-exit", NULL, error);
}
