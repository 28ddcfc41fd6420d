/* SPDX-License-Identifier: GPL-3.0-or-later */
/* First run: on a database with no administrator, create one. */
#pragma once

#include <adwaita.h>

#include "rs-page.h"

G_BEGIN_DECLS

#define RS_TYPE_FIRST_RUN_PAGE (rs_first_run_page_get_type ())
G_DECLARE_FINAL_TYPE (RsFirstRunPage, rs_first_run_page, RS, FIRST_RUN_PAGE, RsPage)

GtkWidget *rs_first_run_page_new (void);

G_END_DECLS
