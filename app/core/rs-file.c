/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Bounded reads of regular files only; see rs-file.h. Written here rather
 * than with g_file_get_contents(), which follows any link, blocks on a FIFO
 * and reads a device without end. */
#include "rs-file.h"


#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rs-error.h"

static const char *
kind_of (mode_t mode)
{
  /* Translators: these complete "%s: the %s is %s; only regular files are read". */
  if (S_ISDIR (mode))
    return _("a folder");
  if (S_ISFIFO (mode))
    return _("a named pipe (FIFO)");
  if (S_ISCHR (mode) || S_ISBLK (mode))
    return _("a device");
  if (S_ISSOCK (mode))
    return _("a socket");
  return _("not a regular file");
}

gboolean
rs_file_read_regular (const char *path, gsize max_size, const char *what, char **contents, gsize *length,
                      GError **error)
{
  g_autofree char *buffer = NULL;
  struct stat st;
  gsize used = 0, allocated;
  int fd;

  g_return_val_if_fail (path != NULL && contents != NULL, FALSE);
  *contents = NULL;
  if (length != NULL)
    *length = 0;
  /* O_NONBLOCK: opening a FIFO with no writer must not wait. It is cleared
   * as soon as the file is known to be regular. */
  fd = g_open (path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY, 0);
  if (fd < 0)
    {
      int saved_errno = errno;
      /* Translators: the second %s is the kind of file, such as "people file"
       * or "question file"; the third the system's reason. */
      g_set_error (error, RS_ERROR, RS_ERROR_IO, _("%s: cannot read the %s: %s"), path, what, g_strerror (saved_errno));
      return FALSE;
    }
  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      g_set_error (error, RS_ERROR, RS_ERROR_IO, _("%s: the %s is %s; only regular files are read"), path, what,
                   kind_of (st.st_mode));
      close (fd);
      return FALSE;
    }
  if ((guint64) st.st_size > max_size)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_IO,
                   g_dngettext (GETTEXT_PACKAGE, "%s: the %s is too large (%llu bytes; the limit is %llu)",
                                "%s: the %s is too large (%llu bytes; the limit is %llu)", (gulong) st.st_size),
                   path, what, (unsigned long long) st.st_size, (unsigned long long) max_size);
      close (fd);
      return FALSE;
    }
  fcntl (fd, F_SETFL, fcntl (fd, F_GETFL) & ~O_NONBLOCK);
  allocated = (gsize) st.st_size + 2;
  buffer = g_malloc (allocated);
  for (;;)
    {
      ssize_t n;

      if (used + 1 >= allocated)
        {
          if (used > max_size)
            break;
          allocated = MIN (allocated * 2, max_size + 2);
          buffer = g_realloc (buffer, allocated);
        }
      n = read (fd, buffer + used, allocated - 1 - used);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved_errno = errno;
          g_set_error (error, RS_ERROR, RS_ERROR_IO, _("%s: cannot read the %s: %s"), path, what,
                       g_strerror (saved_errno));
          close (fd);
          return FALSE;
        }
      if (n == 0)
        break;
      used += (gsize) n;
    }
  close (fd);
  if (used > max_size)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_IO,
                   g_dngettext (GETTEXT_PACKAGE, "%s: the %s is too large (the limit is %llu byte)",
                                "%s: the %s is too large (the limit is %llu bytes)", (gulong) max_size),
                   path, what, (unsigned long long) max_size);
      return FALSE;
    }
  buffer[used] = '\0';
  *contents = g_steal_pointer (&buffer);
  if (length != NULL)
    *length = used;
  return TRUE;
}
