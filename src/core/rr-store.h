/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define RR_STORE_ERROR (rr_store_error_quark ())

/**
 * RrStoreError:
 * @RR_STORE_ERROR_FAILED: an unexpected database error
 * @RR_STORE_ERROR_NOT_FOUND: there is no database at the path
 * @RR_STORE_ERROR_NOT_OURS: the file is not a Regelruimte database
 * @RR_STORE_ERROR_TOO_NEW: the database was written by a newer version
 * @RR_STORE_ERROR_READ_ONLY: the file or its folder cannot be written
 * @RR_STORE_ERROR_BUSY: another program held the database for too long
 * @RR_STORE_ERROR_CORRUPT: the file is damaged
 * @RR_STORE_ERROR_FULL: the disk or the database's size limit is full
 * @RR_STORE_ERROR_NOT_INITIALISED: the database has no organisation yet
 * @RR_STORE_ERROR_EXISTS: a file already exists where a new one was asked for
 * @RR_STORE_ERROR_NO_MEMORY: there was not enough memory; nothing was changed
 */
typedef enum {
  RR_STORE_ERROR_FAILED,
  RR_STORE_ERROR_NOT_FOUND,
  RR_STORE_ERROR_NOT_OURS,
  RR_STORE_ERROR_TOO_NEW,
  RR_STORE_ERROR_READ_ONLY,
  RR_STORE_ERROR_BUSY,
  RR_STORE_ERROR_CORRUPT,
  RR_STORE_ERROR_FULL,
  RR_STORE_ERROR_NOT_INITIALISED,
  RR_STORE_ERROR_EXISTS,
  RR_STORE_ERROR_NO_MEMORY,
} RrStoreError;

typedef enum {
  RR_STORE_OPEN_DEFAULT   = 0,
  RR_STORE_OPEN_CREATE    = 1 << 0,
  RR_STORE_OPEN_READ_ONLY = 1 << 1,
  /* Bulk work on a throw-away or fresh file: large cache, no fsync, freed
   * pages not zeroed (secure_delete = FAST). */
  RR_STORE_OPEN_BULK      = 1 << 2,
} RrStoreOpenFlags;

/* 'RRLG' — written to the header so the file is recognisably ours. */
#define RR_STORE_APPLICATION_ID 0x52524c47

#define RR_TYPE_STORE (rr_store_get_type ())
G_DECLARE_FINAL_TYPE (RrStore, rr_store, RR, STORE, GObject)

GQuark       rr_store_error_quark          (void);
char        *rr_store_default_path         (void);
RrStore     *rr_store_open                 (const char        *path,
                                            RrStoreOpenFlags   flags,
                                            GError           **error);
const char  *rr_store_get_path             (RrStore           *self);
gboolean     rr_store_is_initialised       (RrStore           *self);
int          rr_store_get_schema_version   (RrStore           *self);
int          rr_store_latest_schema_version (void);
void         rr_store_set_busy_timeout     (RrStore           *self,
                                            int                milliseconds);
void         rr_store_set_cache_size       (RrStore           *self,
                                            int                kibibytes);
gboolean     rr_store_quick_check          (RrStore           *self,
                                            GError           **error);
gboolean     rr_store_integrity_check      (RrStore           *self,
                                            GError           **error);
char        *rr_store_get_setting          (RrStore           *self,
                                            const char        *key);
int          rr_store_get_setting_int      (RrStore           *self,
                                            const char        *key,
                                            int                fallback);
gboolean     rr_store_set_setting          (RrStore           *self,
                                            const char        *actor,
                                            const char        *key,
                                            const char        *value,
                                            GError           **error);
void         rr_store_emit_changed         (RrStore           *self,
                                            const char        *what);

/* Only for tests of migrations: open a file and migrate it up to @version. */
RrStore     *rr_store_open_at_version      (const char        *path,
                                            int                version,
                                            GError           **error);
gboolean     rr_store_migrate              (RrStore           *self,
                                            GError           **error);

G_END_DECLS
