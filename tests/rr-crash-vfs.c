/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fault injection for the reliability tests: see rr-crash-vfs.h. */
#define G_LOG_DOMAIN "rr-crash-vfs"
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "rr-crash-vfs.h"

/* ---- buffered files ------------------------------------------------- */

typedef struct {
  gint64  offset;
  gsize   length;      /* for a truncation: the new size */
  guint8 *data;        /* NULL: a truncation */
} PendingOp;

typedef struct {
  char       *path;
  GByteArray *content;  /* what the running program sees */
  GPtrArray  *pending;  /* (element-type PendingOp): not yet synced */
  int         refs;
} Shadow;

typedef struct {
  sqlite3_file  base;
  sqlite3_file *real;
  Shadow       *shadow;   /* NULL: not buffered */
  gboolean      counted;  /* a database or journal: subject to faults */
  gboolean      main_db;
} CrashFile;

static struct {
  sqlite3_vfs  vfs;
  sqlite3_vfs *unix_vfs;
  gboolean     installed;
  gboolean     buffered;
  GHashTable  *shadows;   /* path → Shadow */
  GMutex       lock;

  guint        syncs;
  guint        crash_at;  /* 0: never */
  GRand       *rand;
  gboolean     crashed;
  gboolean     crashed_in_db;
  guint        kept;
  guint        dropped;

  RrFaultKind  fault_kind;
  guint        fault_count;
  guint        fault_nth;
  gboolean     fault_persistent;
  gboolean     fault_fired;

  gint64       budget;
} state;

static void
pending_op_free (gpointer data)
{
  PendingOp *op = data;
  g_free (op->data);
  g_free (op);
}

static void
shadow_free (gpointer data)
{
  Shadow *shadow = data;
  g_free (shadow->path);
  g_byte_array_unref (shadow->content);
  g_ptr_array_unref (shadow->pending);
  g_free (shadow);
}

/* Applies @op to the file on disk: what "reached the platter". */
static void
apply_to_disk (const char      *path,
               const PendingOp *op)
{
  int fd = g_open (path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);

  if (fd < 0)
    g_error ("crash vfs: cannot open %s: %s", path, g_strerror (errno));
  if (op->data == NULL)
    {
      if (ftruncate (fd, op->length) != 0)
        g_error ("crash vfs: truncate failed: %s", g_strerror (errno));
    }
  else if (pwrite (fd, op->data, op->length, op->offset) != (ssize_t) op->length)
    g_error ("crash vfs: write failed: %s", g_strerror (errno));
  close (fd);
}

static void
shadow_flush (Shadow *shadow)
{
  for (guint i = 0; i < shadow->pending->len; i++)
    apply_to_disk (shadow->path, g_ptr_array_index (shadow->pending, i));
  g_ptr_array_set_size (shadow->pending, 0);
}

/* Power is lost: of every unsynced write, keep or drop at random. A kept
 * write lands whole (SQLite assumes sector-atomic writes no more than
 * that; we keep whole writes, which are page-sized). */
static void
lose_power (void)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, state.shadows);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Shadow *shadow = value;

      for (guint i = 0; i < shadow->pending->len; i++)
        {
          if (g_rand_boolean (state.rand))
            {
              apply_to_disk (shadow->path, g_ptr_array_index (shadow->pending, i));
              state.kept++;
            }
          else
            state.dropped++;
        }
      g_ptr_array_set_size (shadow->pending, 0);
    }
  state.crashed = TRUE;
}

/* ---- faults ---------------------------------------------------------- */

static gboolean
fault_hits (CrashFile   *file,
            RrFaultKind  kind)
{
  if (!file->counted || state.fault_kind != kind)
    return FALSE;
  if (state.fault_fired && state.fault_persistent)
    return TRUE;
  if (state.fault_fired)
    return FALSE;
  if (++state.fault_count == state.fault_nth)
    {
      state.fault_fired = TRUE;
      return TRUE;
    }
  return FALSE;
}

/* ---- io methods ------------------------------------------------------ */

static int
crash_close (sqlite3_file *base)
{
  CrashFile *file = (CrashFile *) base;
  int rc = file->real->pMethods != NULL ? file->real->pMethods->xClose (file->real) : SQLITE_OK;

  g_mutex_lock (&state.lock);
  /* A closed file's unsynced writes stay at risk until the next sync of
   * anything or the crash, so the shadow stays in the table. */
  if (file->shadow != NULL)
    file->shadow->refs--;
  g_mutex_unlock (&state.lock);
  sqlite3_free (file->real);
  return rc;
}

static int
crash_read (sqlite3_file *base,
            void         *buffer,
            int           amount,
            sqlite3_int64 offset)
{
  CrashFile *file = (CrashFile *) base;
  int rc = SQLITE_OK;

  if (file->shadow == NULL)
    return file->real->pMethods->xRead (file->real, buffer, amount, offset);

  g_mutex_lock (&state.lock);
  if (state.crashed)
    rc = SQLITE_IOERR_READ;
  else
    {
      GByteArray *content = file->shadow->content;
      gsize have = offset < (gint64) content->len ? content->len - (gsize) offset : 0;
      gsize n = MIN (have, (gsize) amount);

      if (n > 0)
        memcpy (buffer, content->data + offset, n);
      if (n < (gsize) amount)
        {
          memset ((guint8 *) buffer + n, 0, (gsize) amount - n);
          rc = SQLITE_IOERR_SHORT_READ;
        }
    }
  g_mutex_unlock (&state.lock);
  return rc;
}

static gboolean
within_budget (CrashFile     *file,
               gint64         current_size,
               gint64         end)
{
  if (!file->counted || state.budget == G_MAXINT64 || end <= current_size)
    return TRUE;
  if (end - current_size > state.budget)
    return FALSE;
  state.budget -= end - current_size;
  return TRUE;
}

static int
crash_write (sqlite3_file *base,
             const void   *buffer,
             int           amount,
             sqlite3_int64 offset)
{
  CrashFile *file = (CrashFile *) base;
  int rc = SQLITE_OK;

  g_mutex_lock (&state.lock);
  if (state.crashed)
    rc = SQLITE_IOERR_WRITE;
  else if (fault_hits (file, RR_FAULT_WRITE))
    rc = SQLITE_IOERR_WRITE;
  else if (file->shadow == NULL)
    {
      sqlite3_int64 size = 0;

      file->real->pMethods->xFileSize (file->real, &size);
      if (!within_budget (file, size, offset + amount))
        rc = SQLITE_FULL;
      else
        rc = file->real->pMethods->xWrite (file->real, buffer, amount, offset);
    }
  else
    {
      Shadow *shadow = file->shadow;
      PendingOp *op;

      if (!within_budget (file, shadow->content->len, offset + amount))
        rc = SQLITE_FULL;
      else
        {
          if ((gint64) shadow->content->len < offset + amount)
            {
              gsize old = shadow->content->len;
              g_byte_array_set_size (shadow->content, offset + amount);
              memset (shadow->content->data + old, 0, shadow->content->len - old);
            }
          memcpy (shadow->content->data + offset, buffer, amount);
          op = g_new0 (PendingOp, 1);
          op->offset = offset;
          op->length = amount;
          op->data = g_memdup2 (buffer, amount);
          g_ptr_array_add (shadow->pending, op);
        }
    }
  g_mutex_unlock (&state.lock);
  return rc;
}

static int
crash_truncate (sqlite3_file *base,
                sqlite3_int64 size)
{
  CrashFile *file = (CrashFile *) base;
  int rc = SQLITE_OK;

  g_mutex_lock (&state.lock);
  if (state.crashed || fault_hits (file, RR_FAULT_TRUNCATE))
    rc = SQLITE_IOERR_TRUNCATE;
  else if (file->shadow == NULL)
    rc = file->real->pMethods->xTruncate (file->real, size);
  else
    {
      PendingOp *op = g_new0 (PendingOp, 1);
      gsize old = file->shadow->content->len;

      g_byte_array_set_size (file->shadow->content, size);
      if ((gsize) size > old)
        memset (file->shadow->content->data + old, 0, size - old);
      op->length = size;
      g_ptr_array_add (file->shadow->pending, op);
    }
  g_mutex_unlock (&state.lock);
  return rc;
}

static int
crash_sync (sqlite3_file *base,
            int           flags)
{
  CrashFile *file = (CrashFile *) base;
  int rc = SQLITE_OK;

  g_mutex_lock (&state.lock);
  if (state.crashed)
    rc = SQLITE_IOERR_FSYNC;
  else if (fault_hits (file, RR_FAULT_SYNC))
    rc = SQLITE_IOERR_FSYNC;
  else
    {
      if (file->counted)
        state.syncs++;
      if (state.crash_at != 0 && file->counted && state.syncs >= state.crash_at)
        {
          lose_power ();
          state.crashed_in_db = file->main_db;
          rc = SQLITE_IOERR_FSYNC;
        }
      else if (file->shadow != NULL)
        shadow_flush (file->shadow);
      else
        rc = file->real->pMethods->xSync (file->real, flags);
    }
  g_mutex_unlock (&state.lock);
  return rc;
}

static int
crash_file_size (sqlite3_file  *base,
                 sqlite3_int64 *size)
{
  CrashFile *file = (CrashFile *) base;

  if (file->shadow == NULL)
    return file->real->pMethods->xFileSize (file->real, size);
  g_mutex_lock (&state.lock);
  *size = file->shadow->content->len;
  g_mutex_unlock (&state.lock);
  return state.crashed ? SQLITE_IOERR_FSTAT : SQLITE_OK;
}

static int
crash_lock (sqlite3_file *base, int level)
{
  CrashFile *file = (CrashFile *) base;
  return file->real->pMethods->xLock (file->real, level);
}

static int
crash_unlock (sqlite3_file *base, int level)
{
  CrashFile *file = (CrashFile *) base;
  return file->real->pMethods->xUnlock (file->real, level);
}

static int
crash_check_reserved_lock (sqlite3_file *base, int *out)
{
  CrashFile *file = (CrashFile *) base;
  return file->real->pMethods->xCheckReservedLock (file->real, out);
}

static int
crash_file_control (sqlite3_file *base, int op, void *arg)
{
  CrashFile *file = (CrashFile *) base;

  /* These would grow the real file behind the buffer's back. */
  if (file->shadow != NULL && (op == SQLITE_FCNTL_SIZE_HINT || op == SQLITE_FCNTL_CHUNK_SIZE))
    return SQLITE_NOTFOUND;
  return file->real->pMethods->xFileControl (file->real, op, arg);
}

static int
crash_sector_size (sqlite3_file *base)
{
  CrashFile *file = (CrashFile *) base;
  return file->real->pMethods->xSectorSize (file->real);
}

static int
crash_device_characteristics (sqlite3_file *base)
{
  CrashFile *file = (CrashFile *) base;

  /* Promise nothing about atomic or ordered writes when buffering. */
  if (file->shadow != NULL)
    return 0;
  return file->real->pMethods->xDeviceCharacteristics (file->real);
}

static int
crash_shm_map (sqlite3_file *base, int region, int size, int extend, void volatile **out)
{
  CrashFile *file = (CrashFile *) base;
  return file->real->pMethods->xShmMap (file->real, region, size, extend, out);
}

static int
crash_shm_lock (sqlite3_file *base, int offset, int n, int flags)
{
  CrashFile *file = (CrashFile *) base;
  return file->real->pMethods->xShmLock (file->real, offset, n, flags);
}

static void
crash_shm_barrier (sqlite3_file *base)
{
  CrashFile *file = (CrashFile *) base;
  file->real->pMethods->xShmBarrier (file->real);
}

static int
crash_shm_unmap (sqlite3_file *base, int delete_flag)
{
  CrashFile *file = (CrashFile *) base;
  return file->real->pMethods->xShmUnmap (file->real, delete_flag);
}

static const sqlite3_io_methods crash_io_methods = {
  .iVersion = 2,
  .xClose = crash_close,
  .xRead = crash_read,
  .xWrite = crash_write,
  .xTruncate = crash_truncate,
  .xSync = crash_sync,
  .xFileSize = crash_file_size,
  .xLock = crash_lock,
  .xUnlock = crash_unlock,
  .xCheckReservedLock = crash_check_reserved_lock,
  .xFileControl = crash_file_control,
  .xSectorSize = crash_sector_size,
  .xDeviceCharacteristics = crash_device_characteristics,
  .xShmMap = crash_shm_map,
  .xShmLock = crash_shm_lock,
  .xShmBarrier = crash_shm_barrier,
  .xShmUnmap = crash_shm_unmap,
};

/* ---- vfs methods ----------------------------------------------------- */

static Shadow *
shadow_for (const char   *path,
            sqlite3_file *real)
{
  Shadow *shadow = g_hash_table_lookup (state.shadows, path);
  sqlite3_int64 size = 0;

  if (shadow == NULL)
    {
      shadow = g_new0 (Shadow, 1);
      shadow->path = g_strdup (path);
      shadow->content = g_byte_array_new ();
      shadow->pending = g_ptr_array_new_with_free_func (pending_op_free);
      real->pMethods->xFileSize (real, &size);
      g_byte_array_set_size (shadow->content, size);
      if (size > 0 && real->pMethods->xRead (real, shadow->content->data, size, 0) != SQLITE_OK)
        g_error ("crash vfs: could not read %s", path);
      g_hash_table_insert (state.shadows, shadow->path, shadow);
    }
  shadow->refs++;
  return shadow;
}

static int
crash_open (sqlite3_vfs  *vfs,
            const char   *name,
            sqlite3_file *base,
            int           flags,
            int          *out_flags)
{
  CrashFile *file = (CrashFile *) base;
  int kinds = SQLITE_OPEN_MAIN_DB | SQLITE_OPEN_WAL | SQLITE_OPEN_MAIN_JOURNAL;
  int rc;

  memset (file, 0, sizeof *file);
  if (state.crashed)
    return SQLITE_CANTOPEN;

  file->real = sqlite3_malloc (state.unix_vfs->szOsFile);
  if (file->real == NULL)
    return SQLITE_NOMEM;
  memset (file->real, 0, state.unix_vfs->szOsFile);
  rc = state.unix_vfs->xOpen (state.unix_vfs, name, file->real, flags, out_flags);
  if (rc != SQLITE_OK)
    {
      if (file->real->pMethods != NULL)
        file->real->pMethods->xClose (file->real);
      sqlite3_free (file->real);
      file->real = NULL;
      return rc;
    }
  file->counted = name != NULL && (flags & kinds) != 0;
  file->main_db = (flags & SQLITE_OPEN_MAIN_DB) != 0;
  if (state.buffered && file->counted)
    {
      g_mutex_lock (&state.lock);
      file->shadow = shadow_for (name, file->real);
      g_mutex_unlock (&state.lock);
    }
  base->pMethods = &crash_io_methods;
  return SQLITE_OK;
}

static int
crash_delete (sqlite3_vfs *vfs,
              const char  *name,
              int          sync_dir)
{
  if (state.crashed)
    return SQLITE_IOERR_DELETE;
  g_mutex_lock (&state.lock);
  g_hash_table_remove (state.shadows, name);
  g_mutex_unlock (&state.lock);
  return state.unix_vfs->xDelete (state.unix_vfs, name, sync_dir);
}

static int
crash_access (sqlite3_vfs *vfs,
              const char  *name,
              int          flags,
              int         *out)
{
  Shadow *shadow;

  /* A buffered file that exists only in memory exists for the program. */
  g_mutex_lock (&state.lock);
  shadow = g_hash_table_lookup (state.shadows, name);
  g_mutex_unlock (&state.lock);
  if (shadow != NULL && flags == SQLITE_ACCESS_EXISTS)
    {
      *out = 1;
      return SQLITE_OK;
    }
  return state.unix_vfs->xAccess (state.unix_vfs, name, flags, out);
}

static int
crash_full_pathname (sqlite3_vfs *vfs, const char *name, int n, char *out)
{
  return state.unix_vfs->xFullPathname (state.unix_vfs, name, n, out);
}

static void *
crash_dl_open (sqlite3_vfs *vfs, const char *name)
{
  return NULL;
}

static void
crash_dl_error (sqlite3_vfs *vfs, int n, char *out)
{
  g_strlcpy (out, "no extensions in tests", n);
}

static void (*crash_dl_sym (sqlite3_vfs *vfs, void *handle, const char *symbol)) (void)
{
  return NULL;
}

static void
crash_dl_close (sqlite3_vfs *vfs, void *handle)
{
}

static int
crash_randomness (sqlite3_vfs *vfs, int n, char *out)
{
  return state.unix_vfs->xRandomness (state.unix_vfs, n, out);
}

static int
crash_sleep (sqlite3_vfs *vfs, int microseconds)
{
  return state.unix_vfs->xSleep (state.unix_vfs, microseconds);
}

static int
crash_current_time (sqlite3_vfs *vfs, double *out)
{
  return state.unix_vfs->xCurrentTime (state.unix_vfs, out);
}

static int
crash_get_last_error (sqlite3_vfs *vfs, int n, char *out)
{
  return state.unix_vfs->xGetLastError (state.unix_vfs, n, out);
}

static int
crash_current_time_int64 (sqlite3_vfs *vfs, sqlite3_int64 *out)
{
  return state.unix_vfs->xCurrentTimeInt64 (state.unix_vfs, out);
}

void
rr_crash_vfs_install (gboolean buffered)
{
  g_assert (!state.installed);

  sqlite3_initialize ();
  state.unix_vfs = sqlite3_vfs_find ("unix");
  g_assert_nonnull (state.unix_vfs);
  state.vfs = (sqlite3_vfs) {
    .iVersion = 2,
    .szOsFile = sizeof (CrashFile),
    .mxPathname = state.unix_vfs->mxPathname,
    .zName = "rr-crash",
    .xOpen = crash_open,
    .xDelete = crash_delete,
    .xAccess = crash_access,
    .xFullPathname = crash_full_pathname,
    .xDlOpen = crash_dl_open,
    .xDlError = crash_dl_error,
    .xDlSym = crash_dl_sym,
    .xDlClose = crash_dl_close,
    .xRandomness = crash_randomness,
    .xSleep = crash_sleep,
    .xCurrentTime = crash_current_time,
    .xGetLastError = crash_get_last_error,
    .xCurrentTimeInt64 = crash_current_time_int64,
  };
  state.shadows = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, shadow_free);
  state.buffered = buffered;
  state.syncs = 0;
  state.crash_at = 0;
  state.crashed = FALSE;
  state.crashed_in_db = FALSE;
  state.kept = state.dropped = 0;
  state.budget = G_MAXINT64;
  rr_crash_vfs_disarm ();
  g_assert_cmpint (sqlite3_vfs_register (&state.vfs, 1), ==, SQLITE_OK);
  state.installed = TRUE;
}

void
rr_crash_vfs_uninstall (void)
{
  g_assert (state.installed);

  /* Without a crash, whatever is still buffered reaches the disk, as it
   * would when the operating system writes its cache back. */
  if (!state.crashed)
    {
      GHashTableIter iter;
      gpointer value;

      g_hash_table_iter_init (&iter, state.shadows);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        shadow_flush (value);
    }
  sqlite3_vfs_register (state.unix_vfs, 1);
  sqlite3_vfs_unregister (&state.vfs);
  g_clear_pointer (&state.shadows, g_hash_table_unref);
  g_clear_pointer (&state.rand, g_rand_free);
  state.installed = FALSE;
}

void
rr_crash_vfs_arm_crash (guint   nth,
                        guint32 seed)
{
  g_mutex_lock (&state.lock);
  state.crash_at = state.syncs + nth;
  g_clear_pointer (&state.rand, g_rand_free);
  state.rand = g_rand_new_with_seed (seed);
  g_mutex_unlock (&state.lock);
}

gboolean
rr_crash_vfs_crashed (void)
{
  return state.crashed;
}

gboolean
rr_crash_vfs_crashed_in_db (void)
{
  return state.crashed_in_db;
}

guint
rr_crash_vfs_n_syncs (void)
{
  return state.syncs;
}

void
rr_crash_vfs_crash_stats (guint *kept,
                          guint *dropped)
{
  *kept = state.kept;
  *dropped = state.dropped;
}

void
rr_crash_vfs_arm_fault (RrFaultKind kind,
                        guint       nth,
                        gboolean    persistent)
{
  g_mutex_lock (&state.lock);
  state.fault_kind = kind;
  state.fault_nth = nth;
  state.fault_count = 0;
  state.fault_persistent = persistent;
  state.fault_fired = FALSE;
  g_mutex_unlock (&state.lock);
}

void
rr_crash_vfs_disarm (void)
{
  rr_crash_vfs_arm_fault (RR_FAULT_NONE, 0, FALSE);
}

gboolean
rr_crash_vfs_fault_fired (void)
{
  return state.fault_fired;
}

void
rr_crash_vfs_set_budget (gint64 bytes)
{
  g_mutex_lock (&state.lock);
  state.budget = bytes;
  g_mutex_unlock (&state.lock);
}

/* ---- allocation faults ---------------------------------------------- */

static struct {
  sqlite3_mem_methods system;
  gint                armed;      /* atomic */
  gint                count;      /* atomic */
  gint                nth;
  gboolean            persistent;
  gint                fired;      /* atomic */
  gint                outstanding; /* atomic */
} mem;

static gboolean
malloc_should_fail (void)
{
  if (!g_atomic_int_get (&mem.armed))
    return FALSE;
  if (g_atomic_int_get (&mem.fired) && mem.persistent)
    return TRUE;
  if (g_atomic_int_get (&mem.fired))
    return FALSE;
  if (g_atomic_int_add (&mem.count, 1) + 1 == mem.nth)
    {
      g_atomic_int_set (&mem.fired, 1);
      return TRUE;
    }
  return FALSE;
}

static void *
fault_malloc (int n)
{
  void *p;

  if (malloc_should_fail ())
    return NULL;
  p = mem.system.xMalloc (n);
  if (p != NULL)
    g_atomic_int_inc (&mem.outstanding);
  return p;
}

static void
fault_free (void *p)
{
  if (p != NULL)
    g_atomic_int_add (&mem.outstanding, -1);
  mem.system.xFree (p);
}

static void *
fault_realloc (void *p,
               int   n)
{
  if (malloc_should_fail ())
    return NULL;
  if (p == NULL)
    return fault_malloc (n);
  return mem.system.xRealloc (p, n);
}

static int
fault_size (void *p)
{
  return mem.system.xSize (p);
}

static int
fault_roundup (int n)
{
  return mem.system.xRoundup (n);
}

static int
fault_init (void *data)
{
  return mem.system.xInit (mem.system.pAppData);
}

static void
fault_shutdown (void *data)
{
  mem.system.xShutdown (mem.system.pAppData);
}

void
rr_fault_malloc_install (void)
{
  static sqlite3_mem_methods methods = {
    fault_malloc, fault_free, fault_realloc, fault_size, fault_roundup,
    fault_init, fault_shutdown, NULL,
  };

  g_assert_cmpint (sqlite3_config (SQLITE_CONFIG_GETMALLOC, &mem.system), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_config (SQLITE_CONFIG_MALLOC, &methods), ==, SQLITE_OK);
}

void
rr_fault_malloc_arm (guint    nth,
                     gboolean persistent)
{
  mem.nth = nth;
  mem.persistent = persistent;
  g_atomic_int_set (&mem.count, 0);
  g_atomic_int_set (&mem.fired, 0);
  g_atomic_int_set (&mem.armed, 1);
}

void
rr_fault_malloc_disarm (void)
{
  g_atomic_int_set (&mem.armed, 0);
}

gboolean
rr_fault_malloc_fired (void)
{
  return g_atomic_int_get (&mem.fired);
}

gint64
rr_fault_malloc_outstanding (void)
{
  return g_atomic_int_get (&mem.outstanding);
}
