/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The commands of the command line, one file each, and what they share. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Exit statuses: 0 success, 1 the input was bad or the job failed, 2 the
 * command line itself was wrong (as GNU tools do). */
#define RS_EXIT_OK 0
#define RS_EXIT_FAILURE 1
#define RS_EXIT_USAGE 2

int rs_cli_validate (int argc, char **argv);
int rs_cli_simulate (int argc, char **argv);
int rs_cli_take (int argc, char **argv);
int rs_cli_seed_demo (int argc, char **argv);
int rs_cli_import_people (int argc, char **argv);
int rs_cli_item_stats (int argc, char **argv);
int rs_cli_calibrate (int argc, char **argv);
int rs_cli_export_results (int argc, char **argv);
int rs_cli_import_results (int argc, char **argv);
int rs_cli_report (int argc, char **argv);
int rs_cli_kiosk (int argc, char **argv);
int rs_cli_setup_code (int argc, char **argv);
int rs_cli_unlock (int argc, char **argv);
int rs_cli_check (int argc, char **argv);
int rs_cli_study (int argc, char **argv);
int rs_cli_privacy (int argc, char **argv);
int rs_cli_retention (int argc, char **argv);
int rs_cli_export_person (int argc, char **argv);
int rs_cli_erase_person (int argc, char **argv);
int rs_cli_who_looked (int argc, char **argv);
int rs_cli_share_practice (int argc, char **argv);
int rs_cli_server (int argc, char **argv);
int rs_cli_sync (int argc, char **argv);

/* Parses options; on failure prints "reskill COMMAND: message" and the hint
 * to use --help, and returns FALSE. */
gboolean rs_cli_parse (GOptionContext *context, const char *command, int *argc, char ***argv);

/* Reads a PIN or password: from the open file descriptor fd when fd >= 0,
 * else from the terminal with echo off (prompt on the terminal), else, with
 * no terminal, the first line of standard input. Never from argv. */
gboolean rs_cli_read_secret (const char *prompt, int fd, char **secret, GError **error);

/* Connects to the organization's server for a command (rs-cli-server.c):
 * asks for a password at the terminal (or reads it from password_fd) only
 * when libpq found none and the server wants one; with check_schema, the
 * server's schema must be this program's version. NULL after printing
 * why. */
typedef struct _RsPg RsPg;
RsPg *rs_cli_server_connect (const char *command, const char *conninfo, int password_fd, gboolean check_schema);

/* Prints "reskill COMMAND: message" to stderr. */
void rs_cli_error (const char *command, const char *format, ...) G_GNUC_PRINTF (2, 3);

G_END_DECLS
