/* SPDX-License-Identifier: GPL-3.0-or-later */
/* See rs-untrusted-db.h. */
#include "rs-untrusted-db.h"


#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rs-error.h"

struct _RsUntrustedDb {
  sqlite3 *db;
  char *path;
  const char *what;
  gint64 deadline_us;
  GCancellable *cancellable;
  gboolean timed_out;
  gboolean cancelled;
  int schema;                     /* which accepted schema the file has */
};

/* Called every 1,000 virtual machine steps: cheap enough to leave on. */
static int
on_progress (void *data)
{
  RsUntrustedDb *self = data;

  if (g_cancellable_is_cancelled (self->cancellable))
    self->cancelled = TRUE;
  else if (g_get_monotonic_time () > self->deadline_us)
    self->timed_out = TRUE;
  return self->cancelled || self->timed_out;
}

void
rs_untrusted_db_close (RsUntrustedDb *self)
{
  if (self == NULL)
    return;
  sqlite3_close (self->db);
  g_clear_object (&self->cancellable);
  g_free (self->path);
  g_free (self);
}

sqlite3 *
rs_untrusted_db_handle (RsUntrustedDb *self)
{
  return self->db;
}

int
rs_untrusted_db_schema (RsUntrustedDb *self)
{
  return self->schema;
}

gboolean
rs_untrusted_db_interrupted (RsUntrustedDb *self, GError **error)
{
  if (self->cancelled)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("%s: cancelled. Nothing was imported."), self->path);
  else if (self->timed_out)
    g_set_error (error, RS_ERROR, RS_ERROR_INVALID,
                 _("%s: refused: reading the %s took too long (a file made to hang the reader?). Nothing was imported."),
                 self->path, self->what);
  return self->cancelled || self->timed_out;
}

/* The schema as SQLite keeps it: one "type|name|tbl_name|sql" line per row
 * of sqlite_schema, sorted. NULL with *rc on a read failure. */
static char *
schema_text (sqlite3 *db, int *rc)
{
  g_autoptr (GString) text = g_string_new (NULL);
  sqlite3_stmt *stmt = NULL;

  *rc = sqlite3_prepare_v2 (db, "SELECT type, name, tbl_name, ifnull (sql, '') FROM sqlite_schema"
                            " ORDER BY type, name", -1, &stmt, NULL);
  while (*rc == SQLITE_OK && (*rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      for (int c = 0; c < 4; c++)
        g_string_append_printf (text, "%s%s", c > 0 ? "|" : "", (const char *) sqlite3_column_text (stmt, c));
      g_string_append_c (text, '\n');
      *rc = SQLITE_OK;
    }
  sqlite3_finalize (stmt);
  if (*rc != SQLITE_DONE)
    return NULL;
  *rc = SQLITE_OK;
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* The same for CREATE statements, made in a private in-memory database. */
static char *
expected_schema_text (const char *schema)
{
  sqlite3 *db = NULL;
  char *text = NULL;
  int rc;

  if (sqlite3_open_v2 (":memory:", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_MEMORY, NULL) == SQLITE_OK
      && sqlite3_exec (db, schema, NULL, NULL, NULL) == SQLITE_OK)
    text = schema_text (db, &rc);
  sqlite3_close (db);
  return text;
}

/* The first line of a that b does not have, for the message. */
static char *
first_difference (const char *found, const char *expected)
{
  g_auto (GStrv) lines = g_strsplit (found, "\n", -1);

  for (int i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *line = g_strconcat (lines[i], "\n", NULL);
      if (*lines[i] != '\0' && strstr (expected, line) == NULL)
        {
          g_auto (GStrv) fields = g_strsplit (lines[i], "|", 3);
          if (g_strv_length (fields) >= 2)
            return g_strdup_printf ("%s \"%s\"", fields[0], fields[1]);
        }
    }
  return g_strdup (_("a table is missing or has other columns"));
}

static void
set_limits (sqlite3 *db)
{
  /* Generous for what a bundle holds (ids, answers, numbers), tight for
   * what an attack needs. */
  sqlite3_limit (db, SQLITE_LIMIT_LENGTH, 1000000);
  sqlite3_limit (db, SQLITE_LIMIT_SQL_LENGTH, 100000);
  sqlite3_limit (db, SQLITE_LIMIT_COLUMN, 64);
  sqlite3_limit (db, SQLITE_LIMIT_EXPR_DEPTH, 64);
  sqlite3_limit (db, SQLITE_LIMIT_COMPOUND_SELECT, 4);
  sqlite3_limit (db, SQLITE_LIMIT_VDBE_OP, 50000);
  sqlite3_limit (db, SQLITE_LIMIT_FUNCTION_ARG, 8);
  sqlite3_limit (db, SQLITE_LIMIT_ATTACHED, 0);
  sqlite3_limit (db, SQLITE_LIMIT_LIKE_PATTERN_LENGTH, 100);
  sqlite3_limit (db, SQLITE_LIMIT_VARIABLE_NUMBER, 64);
  sqlite3_limit (db, SQLITE_LIMIT_TRIGGER_DEPTH, 1);
  sqlite3_limit (db, SQLITE_LIMIT_WORKER_THREADS, 0);
}

RsUntrustedDb *
rs_untrusted_db_open (const char *path, const RsUntrustedDbOptions *options, GError **error)
{
  g_autoptr (RsUntrustedDb) self = g_new0 (RsUntrustedDb, 1);
  g_autofree char *escaped = NULL, *uri = NULL, *found = NULL, *expected = NULL;
  struct stat st;
  int fd, rc;

  self->path = g_strdup (path);
  self->what = options->what;
  self->deadline_us = options->deadline_us;
  self->cancellable = options->cancellable != NULL ? g_object_ref (options->cancellable) : NULL;

  /* A regular file of a sane size, looked at through the file itself. */
  fd = g_open (path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY, 0);
  if (fd < 0)
    {
      int saved_errno = errno;
      g_set_error (error, RS_ERROR, RS_ERROR_IO, _("%s: %s. Nothing was imported."), path,
                   saved_errno == ENOENT ? _("no such file") : g_strerror (saved_errno));
      return NULL;
    }
  rc = fstat (fd, &st);
  close (fd);
  if (rc != 0 || !S_ISREG (st.st_mode))
    {
      g_set_error (error, RS_ERROR, RS_ERROR_IO, _("%s: not a regular file; a %s is one file. Nothing was imported."),
                   path, options->what);
      return NULL;
    }
  if (st.st_size > options->max_size)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_INVALID,
                   _("%s: refused: larger than a %s may be (%lld MB; the limit is %lld MB). Export it in parts "
                     "with --since. Nothing was imported."),
                   path, options->what, (long long) (st.st_size / (1024 * 1024)),
                   (long long) (options->max_size / (1024 * 1024)));
      return NULL;
    }

  escaped = g_uri_escape_string (path, "/", TRUE);
  uri = g_strconcat ("file:", escaped, "?immutable=1", NULL);
  rc = sqlite3_open_v2 (uri, &self->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_EXRESCODE, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_IO, _("%s: cannot be read (%s). Nothing was imported."), path,
                   self->db != NULL ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc));
      return NULL;
    }
  sqlite3_db_config (self->db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
  sqlite3_db_config (self->db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
  sqlite3_db_config (self->db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, NULL);
  sqlite3_db_config (self->db, SQLITE_DBCONFIG_ENABLE_VIEW, 0, NULL);
  sqlite3_db_config (self->db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, NULL);
  sqlite3_db_config (self->db, SQLITE_DBCONFIG_ENABLE_FKEY, 0, NULL);
  set_limits (self->db);
  sqlite3_progress_handler (self->db, 1000, on_progress, self);

  found = schema_text (self->db, &rc);
  if (found == NULL)
    {
      if (rs_untrusted_db_interrupted (self, error))
        return NULL;
      if ((rc & 0xff) == SQLITE_CORRUPT)
        g_set_error (error, RS_ERROR, RS_ERROR_DB_CORRUPT,
                     _("%s: damaged: %s. Export it again on the kiosk it came from. Nothing was imported."), path,
                     sqlite3_errmsg (self->db));
      else
        g_set_error (error, RS_ERROR, RS_ERROR_INVALID, _("%s: not a Reskill %s (%s). Nothing was imported."), path,
                     options->what, sqlite3_errmsg (self->db));
      return NULL;
    }
  expected = expected_schema_text (options->schema);
  if (expected == NULL)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_FAILED, _("%s: the expected schema cannot be built"), path);
      return NULL;
    }
  for (int i = 0; !g_str_equal (found, expected) && options->other_schemas != NULL
                  && options->other_schemas[i] != NULL; i++)
    {
      g_autofree char *other = expected_schema_text (options->other_schemas[i]);

      if (other != NULL && g_str_equal (found, other))
        {
          self->schema = i + 1;
          return g_steal_pointer (&self);
        }
    }
  if (!g_str_equal (found, expected))
    {
      g_autofree char *extra = NULL;

      for (int i = 0; options->old_schemas != NULL && options->old_schemas[i] != NULL; i++)
        {
          g_autofree char *old = expected_schema_text (options->old_schemas[i]);
          if (old != NULL && g_str_equal (found, old))
            {
              g_set_error (error, RS_ERROR, RS_ERROR_DENIED, _("%s: refused: %s. Nothing was imported."), path,
                           _(options->old_messages[i]));
              return NULL;
            }
        }
      if (*found == '\0')
        {
          g_set_error (error, RS_ERROR, RS_ERROR_INVALID, _("%s: not a Reskill %s (it is empty). Nothing was imported."),
                       path, options->what);
          return NULL;
        }
      extra = first_difference (found, expected);
      g_set_error (error, RS_ERROR, RS_ERROR_INVALID,
                   _("%s: refused: not a Reskill %s: its structure is not the one Reskill writes (unexpected %s). "
                   "Nothing was imported."), path, options->what, extra);
      return NULL;
    }
  return g_steal_pointer (&self);
}
