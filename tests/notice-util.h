/* SPDX-License-Identifier: GPL-3.0-or-later */
/* For tests that make people of their own and then sign in as them for
 * something other than the privacy notice: the person confirms the notice
 * in force through the core, exactly as the notice page does, so the
 * window goes on to their pages. (The demo data does this itself for
 * everyone but RS_DEMO_NEWCOMER_NO.) */
#pragma once

#include "rs-privacy.h"
#include "rs-store.h"

static inline void
rs_test_confirm_notice (RsStore *store, const char *employee_no)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RsPerson) person = rs_store_find_person (store, employee_no, &error);
  g_autoptr (RsNotice) notice = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (person);
  notice = rs_privacy_notice (store, person, &error);
  g_assert_no_error (error);
  g_assert_nonnull (notice);
  g_assert_true (rs_privacy_confirm_notice (store, person, notice->version, &error));
  g_assert_no_error (error);
  g_assert_false (rs_privacy_notice_needed (store, person));
}
