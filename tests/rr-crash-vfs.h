/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

/* A test-only SQLite VFS over "unix", registered as the default so that
 * rr_store_open uses it unchanged. It can:
 *  - buffer writes and truncations in memory until xSync, and at a chosen
 *    sync "lose power": each unsynced write is kept or dropped at random
 *    (seeded), and every later call fails (the model of SQLite's test6.c);
 *  - fail the N-th write, sync or truncate, once or from then on;
 *  - refuse growth beyond a byte budget with SQLITE_FULL.
 * Only for single-process tests. */

typedef enum {
  RR_FAULT_NONE = 0,
  RR_FAULT_WRITE,
  RR_FAULT_SYNC,
  RR_FAULT_TRUNCATE,
} RrFaultKind;

void      rr_crash_vfs_install          (gboolean     buffered);
/* Puts "unix" back as the default and forgets every buffer. Files must be
 * closed first. */
void      rr_crash_vfs_uninstall        (void);

/* Crash at the @nth sync from now (1 = the next one). @seed decides which
 * unsynced writes survive. */
void      rr_crash_vfs_arm_crash        (guint        nth,
                                         guint32      seed);
gboolean  rr_crash_vfs_crashed          (void);
/* Whether the crash came at a sync of the database file itself (that is,
 * inside a checkpoint) rather than of the write-ahead log. */
gboolean  rr_crash_vfs_crashed_in_db    (void);
guint     rr_crash_vfs_n_syncs          (void);
/* Writes kept and dropped at the crash. */
void      rr_crash_vfs_crash_stats      (guint       *kept,
                                         guint       *dropped);

/* Fail the @nth call of @kind from now; @persistent: and every one after. */
void      rr_crash_vfs_arm_fault        (RrFaultKind  kind,
                                         guint        nth,
                                         gboolean     persistent);
void      rr_crash_vfs_disarm           (void);
gboolean  rr_crash_vfs_fault_fired      (void);

/* Let database files grow by at most @bytes from now (G_MAXINT64: no
 * limit); writes beyond fail with SQLITE_FULL. */
void      rr_crash_vfs_set_budget       (gint64       bytes);

/* An allocator for SQLITE_CONFIG_MALLOC that fails the @nth allocation from
 * rr_fault_malloc_arm (once or from then on). Install before SQLite is
 * initialised. */
void      rr_fault_malloc_install       (void);
void      rr_fault_malloc_arm           (guint        nth,
                                         gboolean     persistent);
void      rr_fault_malloc_disarm        (void);
gboolean  rr_fault_malloc_fired         (void);
/* Outstanding allocations made through the wrapper. */
gint64    rr_fault_malloc_outstanding   (void);

G_END_DECLS
