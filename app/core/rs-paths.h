/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Where Reskill finds its data when the command line does not say. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* $RESKILL_QUESTIONS_DIR, else the installed bank; never the working
 * directory. */
char *rs_default_questions_dir (void);
/* $RESKILL_ROLES, else the installed one; never the working directory. */
char *rs_default_roles_path (void);
/* $RESKILL_LEARNING, else the installed one. */
char *rs_default_learning_path (void);
/* $XDG_DATA_HOME/reskill/reskill.db (the folder is created, mode 0700). */
char *rs_default_database_path (void);

G_END_DECLS
