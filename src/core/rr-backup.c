/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rr-backup"
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "rr-backup.h"
#include "rr-store-private.h"

#define PAGES_PER_STEP 1024
#define ROTATE_PREFIX "regelruimte-"
#define ROTATE_SUFFIX ".db"

static gboolean
copy_with_backup_api (sqlite3       *source,
                      const char    *path,
                      GCancellable  *cancellable,
                      GError       **error)
{
  sqlite3 *dest = NULL;
  sqlite3_backup *backup;
  int rc;

  rc = sqlite3_open_v2 (path, &dest, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, RR_STORE_ERROR, RR_STORE_ERROR_FAILED,
                   _("The backup file “%s” could not be created: %s."), path,
                   sqlite3_errstr (rc));
      sqlite3_close_v2 (dest);
      return FALSE;
    }

  backup = sqlite3_backup_init (dest, "main", source, "main");
  if (backup == NULL)
    {
      g_set_error (error, RR_STORE_ERROR, RR_STORE_ERROR_FAILED,
                   _("The backup could not start: %s."), sqlite3_errmsg (dest));
      sqlite3_close_v2 (dest);
      return FALSE;
    }

  /* In steps, so that writers elsewhere are not held up for long; a write
   * from another connection restarts the copy, which stays consistent. */
  do
    {
      if (g_cancellable_is_cancelled (cancellable))
        break;
      rc = sqlite3_backup_step (backup, PAGES_PER_STEP);
      if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
        sqlite3_sleep (20);
    }
  while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);

  sqlite3_backup_finish (backup);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    {
      sqlite3_close_v2 (dest);
      return FALSE;
    }
  if (rc != SQLITE_DONE)
    {
      g_set_error (error, RR_STORE_ERROR,
                   (rc & 0xff) == SQLITE_FULL ? RR_STORE_ERROR_FULL : RR_STORE_ERROR_FAILED,
                   _("The backup failed: %s."), sqlite3_errstr (rc));
      sqlite3_close_v2 (dest);
      return FALSE;
    }
  /* A backup is a single file: no write-ahead log beside it. */
  sqlite3_exec (dest, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL);
  sqlite3_close_v2 (dest);
  return TRUE;
}

static gboolean
check_file (const char  *path,
            GError     **error)
{
  g_autoptr(RrStore) copy = rr_store_open (path, RR_STORE_OPEN_READ_ONLY, error);

  if (copy == NULL)
    return FALSE;
  return rr_store_integrity_check (copy, error);
}

gboolean
rr_backup_create (RrStore       *store,
                  const char    *path,
                  GCancellable  *cancellable,
                  GError       **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *tmp = NULL;
  int fd;

  g_return_val_if_fail (RR_IS_STORE (store), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, RR_STORE_ERROR, RR_STORE_ERROR_EXISTS,
                   _("“%s” exists already. Choose a new file name for the backup."), path);
      return FALSE;
    }
  if (!rr_store_quick_check (store, error))
    return FALSE;

  dir = g_path_get_dirname (path);
  tmp = g_build_filename (dir, ".regelruimte-backup-XXXXXX", NULL);
  fd = g_mkstemp_full (tmp, O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, RR_STORE_ERROR, RR_STORE_ERROR_FAILED,
                   _("The backup file could not be created in “%s”: %s."), dir, g_strerror (saved));
      return FALSE;
    }
  close (fd);

  if (!copy_with_backup_api (_rr_store_get_db (store), tmp, cancellable, error)
      || !check_file (tmp, error))
    {
      g_unlink (tmp);
      return FALSE;
    }
  if (g_rename (tmp, path) != 0)
    {
      int saved = errno;
      g_unlink (tmp);
      g_set_error (error, RR_STORE_ERROR, RR_STORE_ERROR_FAILED,
                   _("The backup could not be saved as “%s”: %s."), path, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

gboolean
rr_backup_restore (const char  *backup,
                   const char  *target,
                   GError     **error)
{
  g_autoptr(RrStore) source = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *tmp = NULL;
  g_autofree char *before = NULL;
  int fd;

  g_return_val_if_fail (backup != NULL && target != NULL, FALSE);

  /* Only a backup that opens as ours and passes integrity_check replaces
   * anything. */
  source = rr_store_open (backup, RR_STORE_OPEN_READ_ONLY, error);
  if (source == NULL || !rr_store_integrity_check (source, error))
    return FALSE;

  dir = g_path_get_dirname (target);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, RR_STORE_ERROR, RR_STORE_ERROR_FAILED,
                   _("The folder “%s” could not be created: %s."), dir, g_strerror (saved));
      return FALSE;
    }
  tmp = g_build_filename (dir, ".regelruimte-restore-XXXXXX", NULL);
  fd = g_mkstemp_full (tmp, O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, RR_STORE_ERROR, RR_STORE_ERROR_FAILED,
                   _("The restored database could not be created in “%s”: %s."), dir,
                   g_strerror (saved));
      return FALSE;
    }
  close (fd);

  if (!copy_with_backup_api (_rr_store_get_db (source), tmp, NULL, error)
      || !check_file (tmp, error))
    {
      g_unlink (tmp);
      return FALSE;
    }

  /* Keep what was there, whatever state it is in: never lose a file. */
  if (g_file_test (target, G_FILE_TEST_EXISTS))
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();
      g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
      const char *suffixes[] = { "-wal", "-shm" };

      before = g_strdup_printf ("%s.before-restore-%s", target, stamp);
      if (g_rename (target, before) != 0)
        {
          int saved = errno;
          g_unlink (tmp);
          g_set_error (error, RR_STORE_ERROR, RR_STORE_ERROR_FAILED,
                       _("The current database could not be set aside: %s. Nothing was "
                         "changed."), g_strerror (saved));
          return FALSE;
        }
      for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
        {
          g_autofree char *side = g_strconcat (target, suffixes[i], NULL);
          g_autofree char *side_before = g_strconcat (before, suffixes[i], NULL);
          if (g_file_test (side, G_FILE_TEST_EXISTS))
            g_rename (side, side_before);
        }
    }
  if (g_rename (tmp, target) != 0)
    {
      int saved = errno;
      if (before != NULL)
        g_rename (before, target);
      g_unlink (tmp);
      g_set_error (error, RR_STORE_ERROR, RR_STORE_ERROR_FAILED,
                   _("The backup could not be put in place: %s. Nothing was changed."),
                   g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

static gboolean
is_rotated_backup (const char *name)
{
  /* regelruimte-YYYYmmdd-HHMMSS-UUUUUU.db: the fixed width makes the
   * names sort by time. */
  const char *stamp = name + strlen (ROTATE_PREFIX);

  if (!g_str_has_prefix (name, ROTATE_PREFIX) || !g_str_has_suffix (name, ROTATE_SUFFIX))
    return FALSE;
  if (strlen (stamp) != strlen ("YYYYmmdd-HHMMSS-UUUUUU" ROTATE_SUFFIX))
    return FALSE;
  for (guint i = 0; i < 22; i++)
    {
      gboolean dash = i == 8 || i == 15;
      if (dash ? stamp[i] != '-' : !g_ascii_isdigit (stamp[i]))
        return FALSE;
    }
  return TRUE;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/**
 * rr_backup_rotate:
 * @store: the live database
 * @dir: the folder for the backups
 * @keep: how many backups to keep, at least 1
 * @error: return location for a #GError
 *
 * Makes a checked backup with rr_backup_create() under a timestamped name in
 * @dir and deletes the oldest backups beyond @keep. When the old ones cannot
 * be deleted, the new backup is still there and @error says so.
 *
 * Returns: %TRUE when the backup was written and the folder pruned
 */
gboolean
rr_backup_rotate (RrStore     *store,
                  const char  *dir,
                  guint        keep,
                  GError     **error)
{
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *stamp = NULL;
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GPtrArray) names = NULL;
  g_autoptr(GDir) listing = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *entry;

  g_return_val_if_fail (RR_IS_STORE (store), FALSE);
  g_return_val_if_fail (dir != NULL, FALSE);
  g_return_val_if_fail (keep >= 1, FALSE);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, RR_STORE_ERROR, RR_STORE_ERROR_FAILED,
                   _("The folder “%s” could not be created: %s."), dir, g_strerror (saved));
      return FALSE;
    }

  now = g_date_time_new_now_utc ();
  stamp = g_date_time_format (now, "%Y%m%d-%H%M%S-%f");
  name = g_strconcat (ROTATE_PREFIX, stamp, ROTATE_SUFFIX, NULL);
  path = g_build_filename (dir, name, NULL);
  if (!rr_backup_create (store, path, NULL, error))
    return FALSE;

  listing = g_dir_open (dir, 0, &local_error);
  if (listing == NULL)
    {
      g_set_error (error, RR_STORE_ERROR, RR_STORE_ERROR_FAILED,
                   _("The backup was written, but the folder “%s” could not be read to "
                     "remove old backups: %s."), dir, local_error->message);
      return FALSE;
    }
  names = g_ptr_array_new_with_free_func (g_free);
  while ((entry = g_dir_read_name (listing)) != NULL)
    if (is_rotated_backup (entry))
      g_ptr_array_add (names, g_strdup (entry));
  g_ptr_array_sort (names, compare_names);

  /* Oldest first; never the one just written, which sorts last. */
  for (guint i = 0; i + keep < names->len; i++)
    {
      const char *old = g_ptr_array_index (names, i);
      g_autofree char *old_path = g_build_filename (dir, old, NULL);

      if (g_str_equal (old, name))
        continue;
      if (g_unlink (old_path) != 0)
        {
          int saved = errno;
          g_set_error (error, RR_STORE_ERROR, RR_STORE_ERROR_FAILED,
                       _("The backup was written, but the old backup “%s” could not be "
                         "removed: %s."), old_path, g_strerror (saved));
          return FALSE;
        }
    }
  return TRUE;
}
